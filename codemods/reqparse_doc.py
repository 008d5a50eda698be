"""FM030: a view that parses its arguments with a Flask-RESTful (or RESTX) `RequestParser`
documents them.

`args = parser.parse_args()` reads the request with the legacy parser, and its answers to bad
input are part of the API (Flask-RESTful's 400 with a message per argument), so the view keeps
calling it inside the legacy request context. What changes is the OpenAPI entry: the route's
`openapi_extra` is made from the very parser object when the router is imported
(`flask_params.reqparse_openapi(parser)`), so every argument the legacy code adds to it is
documented where it is read (query, headers, cookies, JSON body, form, files). A query, header
or cookie parameter the endpoint has of its own (the view also reads `request.args["page"]`,
FM002) is left to FastAPI to document (`documented=[("query", "page")]`): OpenAPI allows one
parameter per name and place.

The scan names the parsers (`reqparse:NAME` features): names of the view's module bound at its
top level (or imported there) to a `RequestParser()` or to its `.copy()`. A parser made in the
view, or kept on the resource (`self.reqparse`), is not there when the router is imported: such
a view is left as it is (no documentation, the same behaviour). A route whose OpenAPI body was
already described by an earlier rule (a marshmallow schema, a form) keeps that description.
"""

from __future__ import annotations

import json

import libcst as cst

from codemods.base import ViewCodemod
from codemods.query_args import FLASK_PARAMS
from migrator.scan.extract import dotted_name

#: The scan's feature for a parser the view calls `parse_args` on: `reqparse:parser`.
REQPARSE_FEATURE = "reqparse:"


class RequestParserDoc(ViewCodemod):
    RULE_ID = "FM030"
    SUMMARY = ("parser.parse_args() with a module's Flask-RESTful/RESTX RequestParser -> the "
               "route documents its arguments (OpenAPI), the view still parses them")

    def __init__(self, context) -> None:
        super().__init__(context)
        self.parsers = [feature.removeprefix(REQPARSE_FEATURE)
                        for feature in sorted(context.route.features)
                        if feature.startswith(REQPARSE_FEATURE)]
        self.parsed: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        called = dotted_name(node.func)
        if called is None or not called.endswith(".parse_args"):
            return
        parser = called.removesuffix(".parse_args")
        if parser in self.parsers and parser not in self.parsed:
            self.parsed.append(parser)

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.parsed and "openapi_extra" not in self.context.route_options:
            arguments = list(self.parsed)
            # what the endpoint's own parameters (FM002, FM005, FM006) document is not
            # documented twice: OpenAPI allows one parameter per name and place
            documented = sorted(parameter.documents for parameter in self.context.parameters
                                if parameter.documents is not None)
            if documented:
                pairs = ", ".join(f"({json.dumps(place)}, {json.dumps(name)})"
                                  for place, name in documented)
                arguments.append(f"documented=[{pairs}]")
            self.context.route_options["openapi_extra"] = \
                f"reqparse_openapi({', '.join(arguments)})"
            self.context.imports.add((FLASK_PARAMS, "reqparse_openapi"))
            self.changed()
        return updated_node
