"""FM013: a view whose every answer is a dict literal of one shape documents it (`response_model`).

`return {"id": item_id, "in_stock": flag}` (or `jsonify(id=..., in_stock=...)`, with or without a
status) in every `return` of the view: the keys are the same each time, so the answer has a
stable shape, and `<View>Out` in `schemas.py` lists them, typed where the value says so (a
constant, `bool(...)`, a comparison, `len(...)`, an f-string, a list or dict literal) and `Any`
elsewhere. A view with any other answer (a redirect, a `make_response`, a 204, two shapes) gets
no model. Documentation only: the endpoint returns a finished response (`bridge.route`), which
FastAPI does not re-serialise, so no byte changes.
"""

from __future__ import annotations

import ast

from codemods.base import camel_name
from codemods.body_models import SCHEMAS_MODULE, ModelRule
from migrator.convert import schemas

_CONSTANT_TYPES = {bool: "bool", int: "int", float: "float", str: "str"}


def value_type(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return "None" if node.value is None else _CONSTANT_TYPES.get(type(node.value), "Any")
    if isinstance(node, ast.Compare) or isinstance(node, ast.UnaryOp) and \
            isinstance(node.op, ast.Not):
        return "bool"
    if isinstance(node, ast.JoinedStr):
        return "str"
    if isinstance(node, (ast.List, ast.ListComp)):
        return "list[Any]"
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return "dict[str, Any]"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords \
            and node.func.id in ("bool", "int", "float", "str", "len") and len(node.args) == 1:
        return "int" if node.func.id == "len" else node.func.id
    return "Any"


class ResponseShapeModel(ModelRule):
    RULE_ID = "FM013"
    SUMMARY = "every answer a dict literal of one shape -> a response_model documenting it"
    SKIP_WHEN_BODY_DOCUMENTED = False  # about the answer, not the body

    def infer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        if not self.documents_answer():
            return
        shapes: list[tuple[int, dict[str, ast.expr]]] = []
        for node in own_returns(function):
            answer = self.answer(node.value)
            if answer is None:
                return  # some answer is not a dict literal: no stable shape to state
            shapes.append(answer)
        if not shapes or len({(status, tuple(keys)) for status, keys in shapes}) != 1:
            return
        status, _ = shapes[0]
        fields = []
        for key in shapes[0][1]:
            types = {value_type(keys[key]) for _, keys in shapes}
            annotation = types.pop() if len(types) == 1 else "Any"
            if annotation == "None":
                annotation = "Any"
            fields.append(schemas.FieldSpec(key, annotation, None))
        name = f"{camel_name(self.context.route.endpoint.rsplit('.', 1)[-1]) or 'Answer'}Out"
        model = schemas.ModelSpec(name, f"{self.context.route.view_module}.{function.name}",
                                  tuple(fields), "allow", rule=self.RULE_ID)
        self.context.models.append(model)
        self.context.imports.add((SCHEMAS_MODULE, name))
        if status == 200:
            self.context.route_options["response_model"] = name
        else:
            self.context.route_options["responses"] = f'{{{status}: {{"model": {name}}}}}'
        self.changed()

    def answer(self, value: ast.expr | None) -> tuple[int, dict[str, ast.expr]] | None:
        """(status, {key: value}) of `{...}` / `jsonify(k=v)` / either with a status."""
        status = 200
        if isinstance(value, ast.Tuple) and len(value.elts) == 2:
            code = value.elts[1]
            if not (isinstance(code, ast.Constant) and isinstance(code.value, int)):
                return None
            value, status = value.elts[0], code.value
        if not 200 <= status < 300:
            return None
        if isinstance(value, ast.Call) and self.qualify(value.func) == "flask.jsonify" \
                and not value.args and all(k.arg for k in value.keywords):
            return status, {k.arg: k.value for k in value.keywords if k.arg}
        if isinstance(value, ast.Dict) and value.keys and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys):
            return status, {k.value: v for k, v in zip(value.keys, value.values)}  # type: ignore[union-attr]
        return None


def own_returns(function: ast.FunctionDef) -> list[ast.Return]:
    """The view's `return` statements, not those of functions defined inside it."""
    found: list[ast.Return] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                  ast.ClassDef)):
                continue
            if isinstance(child, ast.Return):
                found.append(child)
            walk(child)

    walk(function)
    return found
