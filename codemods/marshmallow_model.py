"""FM011: marshmallow schemas -> Pydantic models: `schema.load(request.get_json())` documents the
route's typed body, `return schema.dump(obj)` its answer (`response_model` / `responses`).

As with FM010 the view is not changed: `schema.load` keeps running inside the legacy request
context (after the auth decorators and hooks) and answers invalid input as it always did; the
models describe the body and the answer in OpenAPI. The endpoint returns a finished response
(`bridge.route`), which FastAPI never re-serialises through a `response_model`, so the bytes
stay the legacy JSON provider's.
"""

from __future__ import annotations

import ast

from codemods.body_models import METHOD_SUFFIX, SCHEMAS_MODULE, ModelRule, payload_names
from codemods.query_args import FLASK_PARAMS
from migrator.convert import schema_classes, schemas


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
        receiver = call.func.value
        options: dict[str, ast.expr] = {}
        if isinstance(receiver, ast.Call):  # ReviewSchema(many=True).load(...)
            options = {k.arg: k.value for k in receiver.keywords if k.arg}
            receiver = receiver.func
            qualified = self.qualify(receiver)
            found = schema_classes.schema_class(legacy, qualified) if qualified else None
            if found is None:
                return None
            module, cls = found
        else:
            qualified = self.qualify(receiver)
            instance = schema_classes.schema_instance(legacy, qualified) if qualified else None
            if instance is None:
                return None
            module, cls, options = instance
        if not schema_classes.is_schema(legacy, module, cls):
            return None
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
            return

    def answer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        """`return schema.dump(x)` / `return schema.dump(x), 201` / `jsonify(schema.dump(x))`."""
        if "response_model" in self.context.route_options or \
                "responses" in self.context.route_options:
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
            if isinstance(value, ast.Call) and schemas._dotted(value.func) and \
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

    def tagged(self, model: schemas.ModelSpec) -> schemas.ModelSpec:
        return schemas.ModelSpec(model.name, model.origin, model.fields, model.extra,
                                 model.python_re, model.todos,
                                 tuple(self.tagged(m) for m in model.nested), self.RULE_ID)

    def declare(self, model: schemas.ModelSpec) -> None:
        self.context.models.append(model)
        self.context.imports.add((SCHEMAS_MODULE, model.name))
