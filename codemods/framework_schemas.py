"""FM032: flask-smorest's and APIFlask's schemas document the converted route in OpenAPI.

Their view decorators stay on the converted view (FM029): `@blp.arguments(Schema)` /
`@bp.input(Schema)` parse the legacy request with webargs and hand the view what they parsed,
`@blp.response(200, Schema)` / `@bp.output(Schema)` dump its answer, and their errors stay the
legacy app's. What changes is the FastAPI OpenAPI entry, which described none of it: the
marshmallow schemas become Pydantic models in `schemas.py`, read as FM011 reads a schema that
`load`s a body or `dump`s an answer:

    @router.post("/", name="pets.create_pet", openapi_extra=json_body(PetCreate),
                 responses={201: {"model": PetOut}})

* a JSON body (`location="json"`, the default): `json_body(Model)` (`required=False` where
  flask-smorest's `required=False` says so);
* the query string (`location="query"`): `query_parameters(Model)`, one parameter per field;
* the answer: `response_model` for a 200, `responses={status: {"model": Model}}` otherwise; only
  where no decorator outside the dumping one may change the answer (a project decorator that
  wraps it). A list (`many=True`, as flask-smorest's `@blp.paginate` needs) is `list[Model]`.

APIFlask 3 also takes Pydantic models of the project, which it validates with pydantic: the very
model documents the route (`json_body(PetIn)`, `response_model=List[PetOut]`, as written in the
decorator, whose names the router imports).

Left as they are (the decorator still does its work): other locations (form, files, headers,
cookies), a content type other than JSON, options that change what is accepted (`unknown=`,
`partial=`), a schema that is neither a marshmallow class nor a Pydantic model of the project
(`{}`, a dataclass), and what an earlier rule documented.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.base import decorator_call, literal_argument
from codemods.body_models import METHOD_SUFFIX, SCHEMAS_MODULE, ModelRule
from codemods.query_args import FLASK_PARAMS
from migrator.convert import schema_classes, schemas
from migrator.scan.classify import (
    APIFLASK_BLUEPRINT_CLASSES,
    APP_FRAMEWORK_CLASSES,
    SMOREST_BLUEPRINT_CLASSES,
)

# What each decorator reads: "input" (a schema, where to read it) or "output" (status, schema),
# and how its arguments are passed: the names of its first positional parameters.
_DECORATORS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{f"{cls}.arguments": ("input", ("schema",)) for cls in SMOREST_BLUEPRINT_CLASSES},
    **{f"{cls}.response": ("output", ("status_code", "schema"))
       for cls in SMOREST_BLUEPRINT_CLASSES},
    **{f"{cls}.input": ("input", ("schema", "location"))
       for cls in APP_FRAMEWORK_CLASSES | APIFLASK_BLUEPRINT_CLASSES},
    **{f"{cls}.output": ("output", ("schema", "status_code"))
       for cls in APP_FRAMEWORK_CLASSES | APIFLASK_BLUEPRINT_CLASSES},
}
# Keywords that only document (or name the argument the view gets): the model still says what is
# accepted and answered.
_DOCUMENTING = frozenset({"description", "example", "examples", "schema_name", "arg_name",
                          "as_kwargs", "links", "headers", "location", "required",
                          "content_type", "status_code", "schema"})
_QUERY_LOCATIONS = ("query", "querystring")
_JSON = "application/json"
# APIFlask 3 also takes Pydantic models (`@bp.input(PetIn)`, `@bp.output(List[PetOut])`), which it
# validates with pydantic itself: the very model documents the route.
_PYDANTIC_MODELS = ("pydantic.BaseModel", "pydantic.main.BaseModel")
_LISTS = ("typing.List", "builtins.list")


def _suffixless(name: str) -> str:
    """`PetSchema` -> `Pet`, `PetIn` -> `Pet`: the base of the models' names."""
    for suffix in ("Schema", "Input", "Output", "Query", "Args", "In", "Out"):
        if name.endswith(suffix) and name != suffix:
            return name.removesuffix(suffix)
    return name


class FrameworkSchemaDocs(ModelRule):
    RULE_ID = "FM032"
    SUMMARY = ("flask-smorest's @blp.arguments/@blp.response and APIFlask's @bp.input/@bp.output "
               "(kept on the view, FM029) -> Pydantic models documenting the JSON body, the "
               "query string and the answer (OpenAPI)")

    SKIP_WHEN_BODY_DOCUMENTED = False  # each part checks what earlier rules documented

    def on_view(self, node: cst.FunctionDef) -> None:
        self.decorators = list(node.decorators)

    def infer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        extra: list[str] = []
        # an earlier rule documented the request (FM011 from a `schema.load` in the view...)
        documents_request = "openapi_extra" not in self.context.route_options
        answer_changed_outside = False  # by a decorator above the one that dumps it
        for decorator in self.decorators:  # outermost first
            detail = self.context.decorator_detail(decorator)
            kind = _DECORATORS.get(detail.qualified) if detail is not None else None
            if kind is None:
                answer_changed_outside |= not self.context.keeps_answer_shape(decorator)
                continue
            call = decorator_call(decorator)
            if call is None:
                continue
            use, positional = kind
            arguments = self.arguments(call, positional)
            if arguments is None:
                continue
            if use == "input":
                if documents_request:
                    self.input(arguments, legacy, extra)
            elif not answer_changed_outside:
                self.output(arguments, legacy)
                answer_changed_outside = True  # what an inner one dumps, this one dumps again
        if extra:
            self.context.route_options["openapi_extra"] = " | ".join(extra)
            self.changed()

    @staticmethod
    def arguments(call: ast.Call, positional: tuple[str, ...]) -> dict[str, ast.expr] | None:
        """The decorator's arguments by name; None where some cannot be named (`*args`)."""
        if len(call.args) > len(positional) or any(
                isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords):
            return None
        named = dict(zip(positional, call.args))
        named.update({k.arg: k.value for k in call.keywords if k.arg})
        return named

    def input(self, arguments: dict[str, ast.expr], legacy: schemas.LegacySource,
              extra: list[str]) -> None:
        """`@blp.arguments(Schema[, location=...])` / `@bp.input(Schema[, location])`."""
        location = literal_argument(arguments.get("location"), "json")
        content_type = literal_argument(arguments.get("content_type"), _JSON)
        if content_type != _JSON or set(arguments) - _DOCUMENTING:
            return
        written = self.pydantic_model(arguments.get("schema"), legacy)
        found = self.schema(arguments.get("schema"), legacy) if written is None else None
        if written is None and found is None:
            return
        method = self.context.route.methods[0]
        try:
            if location == "json":
                if any(part.startswith("json_body(") for part in extra):
                    return  # (webargs reads one body)
                required = literal_argument(arguments.get("required"), True)
                if required not in (True, False):
                    return
                body = written or self.body_model(legacy, found, METHOD_SUFFIX.get(method, "Body"))
                extra.append(f"json_body({body})" if required else
                             f"json_body({body}, required=False)")
                self.context.imports.add((FLASK_PARAMS, "json_body"))
            elif location in _QUERY_LOCATIONS:
                if isinstance(arguments["schema"], ast.Subscript) or (
                        found is not None and self.many(found[2])):
                    return  # a query string is no list
                query = written or self.body_model(legacy, found, "Query")
                documented = sorted(parameter.documents[1] for parameter in self.context.parameters
                                    if parameter.documents is not None
                                    and parameter.documents[0] == "query")
                names = f", documented={documented!r}" if documented else ""
                extra.append(f"query_parameters({query}{names})")
                self.context.imports.add((FLASK_PARAMS, "query_parameters"))
        except schemas.Unreadable:  # no model rather than a wrong one
            return

    def output(self, arguments: dict[str, ast.expr], legacy: schemas.LegacySource) -> None:
        """`@blp.response(status, Schema)` / `@bp.output(Schema[, status_code])`."""
        options = self.context.route_options
        status = literal_argument(arguments.get("status_code"), 200)
        content_type = literal_argument(arguments.get("content_type"), _JSON)
        if "response_model" in options or "responses" in options or content_type != _JSON \
                or not isinstance(status, int) or isinstance(status, bool):
            return
        answer = self.pydantic_model(arguments.get("schema"), legacy)
        found = self.schema(arguments.get("schema"), legacy) if answer is None else None
        if found is not None:
            module, cls, schema_options = found
            try:
                model = self.model(legacy, module, cls, "out", _suffixless(cls.name) + "Out")
            except schemas.Unreadable:
                return
            answer = f"list[{model.name}]" if self.many(schema_options) else model.name
        if answer is None:
            return
        if status == 200:
            options["response_model"] = answer
        else:
            options["responses"] = f'{{{status}: {{"model": {answer}}}}}'
        self.changed()

    def schema(self, node: ast.expr | None, legacy: schemas.LegacySource):
        """(module, class, instance options) of the marshmallow schema a decorator is given."""
        if node is None:
            return None
        found = schema_classes.schema_reference(legacy, self.qualify, node, classes=True)
        if found is None or set(found[2]) - {"many"}:  # only=, exclude=, partial=, unknown=...
            return None
        return found

    def body_model(self, legacy: schemas.LegacySource, found, suffix: str) -> str:
        """The model of what the schema `found` loads, named `<base><suffix>`: its name, or
        `list[Name]` for a `many=True` instance."""
        module, cls, options = found
        model = self.model(legacy, module, cls, "in", _suffixless(cls.name) + suffix)
        return f"list[{model.name}]" if self.many(options) else model.name

    def pydantic_model(self, node: ast.expr | None, legacy: schemas.LegacySource) -> str | None:
        """`node` as written where it names a Pydantic model of the project (`PetIn`), or a list
        of one (`List[PetOut]`, `list[PetOut]`); None otherwise. The decorator stays on the view
        with these very names, so the router has them."""
        inner = node
        if isinstance(node, ast.Subscript):
            qualified = self.qualify(node.value)
            if not (qualified in _LISTS or (isinstance(node.value, ast.Name)
                                            and node.value.id == "list"
                                            and legacy.lookup(qualified or "") is None)):
                return None
            inner = node.slice
        if not isinstance(inner, (ast.Name, ast.Attribute)):
            return None
        target = self.qualify(inner)
        found = schema_classes.schema_class(legacy, target) if target else None
        if found is None or not schema_classes.derives_from(legacy, *found, _PYDANTIC_MODELS):
            return None
        return ast.unparse(node)

    def model(self, legacy: schemas.LegacySource, module: schemas.LegacyModule,
              cls: ast.ClassDef, direction: str, name: str) -> schemas.ModelSpec:
        spec = schema_classes.schema_model(legacy, module, cls, direction, name)
        spec = self.tagged(spec)
        self.context.models.append(spec)
        self.context.imports.add((SCHEMAS_MODULE, spec.name))
        return spec

    @staticmethod
    def many(options: dict[str, ast.expr]) -> bool:
        flag = options.get("many")
        return isinstance(flag, ast.Constant) and flag.value is True
