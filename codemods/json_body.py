"""FM007: a view that reads `request.get_json()` / `request.json` documents a JSON request body.

The view keeps reading the body with Flask's own `get_json()` (it runs inside the legacy request
context), because Flask's answers to a bad body are part of the API: 415 for a non-JSON content
type, 400 for malformed JSON, `None` with `silent=True`. A FastAPI `Body()` parameter would answer
422 instead. So the route declares the body in its OpenAPI entry (`openapi_extra`) and nothing
changes on the wire; typed Pydantic models with the legacy error contract come from the schema
rules.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import ViewCodemod
from codemods.query_args import FLASK_PARAMS

#: What reads the request's JSON body (FM007; FM039 finds a form read in its place).
JSON_READS = frozenset({"flask.request.get_json", "flask.request.json"})


class JsonBodyDoc(ViewCodemod):
    RULE_ID = "FM007"
    SUMMARY = "request.get_json()/request.json -> the route documents its JSON body (OpenAPI)"

    def __init__(self, context) -> None:
        super().__init__(context)
        self.reads_json = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.context.qualified(node) in JSON_READS:
            self.reads_json = True

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.reads_json and "openapi_extra" not in self.context.route_options:
            self.context.route_options["openapi_extra"] = "JSON_BODY"  # flask_params.JSON_BODY
            self.context.imports.add((FLASK_PARAMS, "JSON_BODY"))
            self.changed()
        return updated_node
