"""FM011: marshmallow schemas -> Pydantic models: `schema.load(request.get_json())` documents the
route's typed body, `return schema.dump(obj)` its answer (`response_model` / `responses`).

As with FM010 the view is not changed: `schema.load` keeps running inside the legacy request
context (after the auth decorators and hooks) and answers invalid input as it always did; the
models describe the body and the answer in OpenAPI. The endpoint returns a finished response
(`bridge.route`), which FastAPI never re-serialises through a `response_model`, so the bytes
stay the legacy JSON provider's. With `--errors fastapi`, an exact body model (no TODO)
validates the body just before a top-level `load` (`validate_load`), so FastAPI answers 422
where `load` would have rejected it.
"""

from __future__ import annotations

import ast

from codemods.body_models import METHOD_SUFFIX, SCHEMAS_MODULE, ModelRule, payload_names
from codemods.query_args import FLASK_PARAMS
from migrator.convert import schema_classes, schemas
from migrator.scan.extract import ast_dotted


class MarshmallowModel(ModelRule):
    RULE_ID = "FM011"
    SUMMARY = "marshmallow schema.load(body) / .dump(x) -> Pydantic models documenting body and answer"

    SKIP_WHEN_BODY_DOCUMENTED = False  # the answer's model is documented all the same

    def infer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        self.body(function, legacy)
        self.answer(function, legacy)

    def schema_call(self, call: ast.expr, method: str, legacy: schemas.LegacySource):
        """(module, class, instance options, call) for `<schema>.load(...)` / `.dump(...)`."""
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == method and len(call.args) >= 1):
            return None
        found = schema_classes.schema_reference(legacy, self.qualify, call.func.value)
        if found is None:
            return None
        module, cls, options = found
        if "only" in options or "exclude" in options or "load_only" in options \
                or "dump_only" in options:
            raise schemas.Unreadable(f"{cls.name}(only/exclude=...)")
        return module, cls, options, call

    def body(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        if "openapi_extra" in self.context.route_options:
            return
        payloads = payload_names(function, self.context.aliases)
        for call in ast.walk(function):
            found = self.schema_call(call, "load", legacy)
            if found is None:
                continue
            module, cls, options, node = found
            argument = ast.unparse(node.args[0])
            if not ("get_json" in argument or ".json" in argument or argument in payloads):
                continue
            partial = any(k.arg == "partial" and isinstance(k.value, ast.Constant)
                          and k.value.value is True for k in node.keywords) or (
                isinstance(options.get("partial"), ast.Constant)
                and options["partial"].value is True)  # type: ignore[union-attr]
            base = cls.name.removesuffix("Schema")
            name = base + ("Update" if partial else METHOD_SUFFIX.get(
                self.context.route.methods[0], "Body"))
            model = schema_classes.schema_model(legacy, module, cls, "in", name, partial)
            model = self.tagged(model)
            many = self.many(options, node)
            self.declare(model)
            body_type = f"list[{model.name}]" if many else model.name
            self.context.route_options["openapi_extra"] = f"json_body({body_type})"
            self.context.imports.add((FLASK_PARAMS, "json_body"))
            self.changed()
            self.validate_load(function, node, options, model, body_type, payloads)
            return

    def validate_load(self, function: ast.FunctionDef, call: ast.Call,
                      options: dict[str, ast.expr], model: schemas.ModelSpec, body_type: str,
                      payloads: set[str]) -> None:
        """`--errors fastapi`: `validate_body(Model, payload)` just before the top-level statement
        whose first step is the `schema.load(payload)` call, only where the model validates
        exactly the value `load` would get, at the moment it would get it:

        * `load`'s options (of the call and of the schema instance) are constant `many` /
          `partial=True|False` only (`unknown=`, `partial=("a",)`, `context=` change what is
          accepted and are not in the model);
        * the statement is `x = <load>` / `return <load>` / `<load>`, either at the top level or
          the first statement of a top-level `try` with no `finally` (a 422 must not skip code
          the legacy view runs on a rejected body);
        * the argument is a name read from the body at the top level before that statement, or
          the read itself: `request.get_json(force=…, silent=…)` / `request.json` (`or {}`).
          Evaluated again just before, it gives the same value (Flask caches the parsed body) or
          raises the same error; so that the error is answered the same way, the `try` may then
          catch marshmallow's ValidationError only.
        """
        if self.context.error_format != "fastapi" or len(call.args) != 1:
            return
        flags = [*((k.arg, k.value) for k in call.keywords), *options.items()]
        if any(name not in ("many", "partial") or not (
                isinstance(value, ast.Constant) and isinstance(value.value, bool))
                for name, value in flags):
            return
        statement = next((st for st in function.body
                          if st.lineno <= call.lineno <= (st.end_lineno or st.lineno)), None)
        handlers: list[ast.ExceptHandler] = []
        if isinstance(statement, ast.Try):
            if statement.finalbody:
                return
            handlers, statement = statement.handlers, statement.body[0]
        if not (isinstance(statement, (ast.Assign, ast.AnnAssign, ast.Return, ast.Expr))
                and statement.value is call):
            return
        argument = call.args[0]
        if isinstance(argument, ast.Name) and argument.id in payloads:
            self.validate_at(function, call.lineno, model, argument.id, argument.id, body_type)
        elif self.reads_body(argument) and all(self.catches_only_invalid(h) for h in handlers):
            self.validate_at(function, call.lineno, model, ast.unparse(argument), None,
                             body_type)

    def reads_body(self, node: ast.expr) -> bool:
        """`request.json`, `request.get_json(force=<bool>, silent=<bool>)`, either `or {}`."""
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) \
                and len(node.values) == 2 and isinstance(node.values[1], ast.Dict) \
                and not node.values[1].keys:
            node = node.values[0]
        if isinstance(node, ast.Call) and not node.args and all(
                k.arg in ("force", "silent") and isinstance(k.value, ast.Constant)
                and isinstance(k.value.value, bool) for k in node.keywords):
            node = node.func
            if not (isinstance(node, ast.Attribute) and node.attr == "get_json"):
                return False
        elif not (isinstance(node, ast.Attribute) and node.attr == "json"):
            return False
        return self.qualify(node.value) == "flask.request"

    def catches_only_invalid(self, handler: ast.ExceptHandler) -> bool:
        caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        return all(c is not None and self.qualify(c) in (
            "marshmallow.ValidationError", "marshmallow.exceptions.ValidationError")
            for c in caught)

    def answer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        """`return schema.dump(x)` / `return schema.dump(x), 201` / `jsonify(schema.dump(x))`."""
        if not self.documents_answer():
            return
        for node in ast.walk(function):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            value, status = node.value, 200
            if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
                if not (isinstance(value.elts[1], ast.Constant)
                        and isinstance(value.elts[1].value, int)):
                    continue
                value, status = value.elts[0], value.elts[1].value
            if isinstance(value, ast.Call) and ast_dotted(value.func) and \
                    self.qualify(value.func) == "flask.jsonify" and len(value.args) == 1:
                value = value.args[0]
            found = self.schema_call(value, "dump", legacy)
            if found is None:
                continue
            module, cls, options, call = found
            model = self.tagged(schema_classes.schema_model(legacy, module, cls, "out", None))
            self.declare(model)
            answer = f"list[{model.name}]" if self.many(options, call) else model.name
            if status == 200:
                self.context.route_options["response_model"] = answer
            else:
                self.context.route_options["responses"] = f'{{{status}: {{"model": {answer}}}}}'
            self.changed()
            return

    @staticmethod
    def many(options: dict[str, ast.expr], call: ast.Call) -> bool:
        flags = [options.get("many")] + [k.value for k in call.keywords if k.arg == "many"]
        return any(isinstance(f, ast.Constant) and f.value is True for f in flags)

    def declare(self, model: schemas.ModelSpec) -> None:
        self.context.models.append(model)
        self.context.imports.add((SCHEMAS_MODULE, model.name))
