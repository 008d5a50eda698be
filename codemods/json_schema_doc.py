"""FM031: a view that flask-expects-json's `@expects_json(schema)` guards documents that schema as
its JSON request body.

The decorator stays on the converted view (FM029): it checks the body against its JSON schema
inside the legacy request context, and its 400s are the legacy app's. What changes is the OpenAPI
entry: the route's `openapi_extra` is made from the very schema object when the router is
imported (`flask_params.json_schema_body(schema)`), so the body is documented, and required, as
the decorator enforces it:

    @router.post("/tags", name="tags", openapi_extra=json_schema_body(tag_schema))

Left as they are (the decorator still checks the body): a schema written inline in the decorator
(it would be written twice), an `ignore_for` that names a method the route answers with a body
(the body is not required there) or is not a literal, and a route whose body an earlier rule
described.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import BODILESS_METHODS, ViewCodemod
from codemods.query_args import FLASK_PARAMS

#: The decorator, as the scan names it.
EXPECTS_JSON = "flask_expects_json.expects_json"


class JsonSchemaDoc(ViewCodemod):
    RULE_ID = "FM031"
    SUMMARY = ("@expects_json(schema) (flask-expects-json, kept on the view) -> the route "
               "documents that JSON schema as its required JSON body (OpenAPI)")

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if "openapi_extra" in self.context.route_options:
            return updated_node
        for decorator in updated_node.decorators:
            detail = self.context.decorator_detail(decorator)
            if detail is None or detail.qualified != EXPECTS_JSON:
                continue
            schema = self._documented_schema(decorator.decorator)
            if schema is not None:
                self.context.route_options["openapi_extra"] = f"json_schema_body({schema})"
                self.context.imports.add((FLASK_PARAMS, "json_schema_body"))
                self.changed()
            break
        return updated_node

    def _documented_schema(self, call: cst.BaseExpression) -> str | None:
        """The source of the schema `expects_json(...)` checks every body the route takes
        against, if it is a name (or attribute) the router can import; else None."""
        if not isinstance(call, cst.Call):
            return None
        schema: cst.BaseExpression | None = None
        for position, argument in enumerate(call.args):
            if argument.star:
                return None
            keyword = argument.keyword.value if argument.keyword is not None else None
            if keyword == "schema" or (keyword is None and position == 0):
                schema = argument.value
            elif keyword == "ignore_for" and not self._ignores_no_body(argument.value):
                return None
        if not isinstance(schema, (cst.Name, cst.Attribute)):
            return None
        return cst.Module([]).code_for_node(schema)

    def _ignores_no_body(self, methods: cst.BaseExpression) -> bool:
        """Whether `ignore_for=[...]` is a literal that names none of the methods the route
        takes a body with (there, the decorator would not require one)."""
        if not isinstance(methods, (cst.List, cst.Tuple, cst.Set)):
            return False
        named = set()
        for element in methods.elements:
            if not isinstance(element.value, cst.SimpleString):
                return False
            named.add(element.value.evaluated_value)
        with_body = {method.upper() for method in self.context.route.methods} - BODILESS_METHODS
        return not (named & with_body)
