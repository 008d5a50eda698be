"""FM033: a converted Flask-RESTX method documents what its RESTX decorators say.

`@ns.expect(model)` and `@ns.marshal_with(model, code=201)` / `@ns.marshal_list_with(model)`
stay on the converted method (FM029): RESTX validates the payload against the model (where its
dispatch would, `restx_payload`) and marshals the answer with it, as in Flask. The route's FastAPI
OpenAPI entry described neither. It now does, from the very model objects, read when the router
is imported (`flask_params.restx_openapi`, which inlines the models they nest or inherit from):

    @router.post("/todos/", name="todos_todo_list",
                 openapi_extra=restx_openapi(expects=[todo], answers=[(201, todo, False)]))

An expected `RequestParser` documents its arguments, as FM030 does. Left as they are: an argument
that is not a name (a model made in the decorator: it would be made twice), `envelope=` (the
answer is wrapped in a key), a status that is not a literal integer, an answer a project
decorator above the marshalling one may change, and a route whose OpenAPI entry an earlier rule
described.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.base import ViewCodemod, decorator_call, literal_argument
from codemods.query_args import FLASK_PARAMS
from migrator.scan.classify import RESTX_EXPECTING, RESTX_MARSHALLING


class RestxModelDoc(ViewCodemod):
    RULE_ID = "FM033"
    SUMMARY = ("Flask-RESTX's @ns.expect(model) / @ns.marshal_with(model) (kept on the view) -> "
               "the route documents the body and the answer with those very models (OpenAPI)")

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if "openapi_extra" in self.context.route_options:
            return updated_node
        expects: list[str] = []
        answers: list[str] = []
        answer_changed_outside = False
        for decorator in original_node.decorators:  # outermost first
            detail = self.context.decorator_detail(decorator)
            qualified = detail.qualified if detail is not None else None
            call = decorator_call(decorator)
            if qualified in RESTX_EXPECTING and call is not None:
                expects.extend(self.expected(call))
            elif qualified in RESTX_MARSHALLING and call is not None:
                if not answer_changed_outside:
                    answers.extend(self.answer(call, qualified.endswith("_list_with")))
                answer_changed_outside = True  # an inner one's answer is marshalled again
            elif not self.context.keeps_answer_shape(decorator):
                answer_changed_outside = True
        if not expects and not answers:
            return updated_node
        arguments = []
        if expects:
            arguments.append(f"expects=[{', '.join(expects)}]")
        if answers:
            arguments.append(f"answers=[{', '.join(answers)}]")
        self.context.route_options["openapi_extra"] = f"restx_openapi({', '.join(arguments)})"
        self.context.imports.add((FLASK_PARAMS, "restx_openapi"))
        self.changed()
        return updated_node

    @staticmethod
    def expected(call: ast.Call) -> list[str]:
        """What `@ns.expect(a, [b], validate=True)` names, where each is a name (or a list of
        one name): the models and parsers it validates or documents."""
        found = []
        for argument in call.args:
            inner = argument.elts[0] if isinstance(argument, ast.List) and \
                len(argument.elts) == 1 else argument
            if not isinstance(inner, (ast.Name, ast.Attribute)):
                return []  # made in the decorator: documenting it would make it twice
            found.append(ast.unparse(argument))
        return found

    @staticmethod
    def answer(call: ast.Call, as_list: bool) -> list[str]:
        """`(status, model, is a list)` of `@ns.marshal_with(model, code=201, as_list=...)`."""
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        if not call.args or not isinstance(call.args[0], (ast.Name, ast.Attribute)) \
                or len(call.args) > 1 or "envelope" in keywords or any(
                    k.arg is None for k in call.keywords):
            return []
        status = literal_argument(keywords.get("code"), 200)
        many = as_list or literal_argument(keywords.get("as_list"), False)
        if not isinstance(status, int) or isinstance(status, bool) or not isinstance(many, bool):
            return []
        return [f"({status}, {ast.unparse(call.args[0])}, {many})"]
