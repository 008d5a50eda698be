"""FM030: the arguments a view parses with a Flask-RESTful `RequestParser` are documented.

A Flask-RESTful resource reads its input with `args = parser.parse_args()`. The converted view
keeps doing so (the parser's 400 answers, one message per argument, are the legacy API's), so the
route's OpenAPI entry listed none of it: no query parameter, no body. The scan now names the
parsers of the view's module a view calls `parse_args` on (`reqparse:NAME`), and FM030 gives the
route `openapi_extra=reqparse_openapi(parser)`, made from the legacy parser object itself when
the router is imported. Nothing changes on the wire (checked against Flask below).

Not documented, left as they are: a parser made in the view or kept on the resource
(`self.reqparse`, made in `__init__`), which does not exist when the router is imported.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from starlette.testclient import TestClient

from codemods.base import NewParameter
from codemods.reqparse_doc import RequestParserDoc
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.test_codemods import run_rule


# -- the codemod: before/after ----------------------------------------------------------------
def test_fm030_documents_the_parsers_the_view_calls_and_leaves_the_view_as_it_is() -> None:
    source = """
        def put(todo_id):
            # the parser's 400 stays the answer to a bad body
            args = parser.parse_args(strict=True)
            extra = parsers.paging.parse_args()
            return {"task": args["task"], **extra}, 201
    """
    features = ["reqparse:parser", "reqparse:parsers.paging", "reqparse:unused"]
    code, context = run_rule(RequestParserDoc, source, route_fields={"features": features})
    assert code == textwrap.dedent(source).lstrip("\n")  # the view is unchanged
    assert context.route_options == {
        "openapi_extra": "reqparse_openapi(parser, parsers.paging)"}
    assert context.imports == {(".flask_params", "reqparse_openapi")}
    assert context.applied == {"FM030"}


def test_fm030_leaves_out_what_the_endpoint_s_own_parameters_document() -> None:
    """`request.args.get("page")` beside the parser gave the route a `page` query parameter
    (FM002): the parser's `page` would be a second one, and OpenAPI allows one per name and
    place."""
    source = """
        def get():
            args = listing.parse_args()
            return {"page": page, "search": args["search"]}
    """
    own = [NewParameter("page", "Annotated[int | None, Query()]", "None", ("query", "page")),
           NewParameter("x_request_id", 'Annotated[str | None, Header(alias="X-Request-Id")]',
                        "None", ("header", "X-Request-Id")),
           NewParameter("legacy", "Request", None)]
    _, context = run_rule(RequestParserDoc, source, route_fields={"features": ["reqparse:listing"]},
                          new_parameters=own)
    assert context.route_options == {"openapi_extra": (
        'reqparse_openapi(listing, documented=[("header", "X-Request-Id"), ("query", "page")])')}


def test_fm030_leaves_parsers_the_scan_did_not_name_and_bodies_already_described() -> None:
    source = """
        def post(self):
            args = self.reqparse.parse_args()  # made in __init__: not there at import time
            return args
    """
    _, context = run_rule(RequestParserDoc, source, route_fields={"features": []})
    assert context.route_options == {} and not context.applied
    source = "def post():\n    return parser.parse_args()\n"
    _, context = run_rule(RequestParserDoc, source, route_fields={"features": ["reqparse:parser"]},
                          route_options={"openapi_extra": "json_body(ItemIn)"})
    assert context.route_options == {"openapi_extra": "json_body(ItemIn)"}
    assert not context.applied


# -- the scan -------------------------------------------------------------------------------
PARSERS = '''
from flask_restful import reqparse

from flask_restx import reqparse as restx_reqparse
from flask_restful.reqparse import RequestParser

paging = RequestParser()
paging.add_argument("page", type=int, location="args")
restx_paging = restx_reqparse.RequestParser()
'''

SCANNED = '''
from flask import Flask
from flask_restful import Api, Resource, reqparse

from . import parsers
from .parsers import paging

app = Flask(__name__)
api = Api(app)

parser = reqparse.RequestParser()
parser.add_argument("task", required=True)
update_parser = parser.copy()
update_parser.replace_argument("task", required=False)


class Todo(Resource):
    def put(self, todo_id):
        return parser.parse_args()

    def patch(self, todo_id):
        return update_parser.parse_args()

    def get(self, todo_id):
        return {**paging.parse_args(), **parsers.restx_paging.parse_args()}


class Made(Resource):
    def __init__(self):
        self.reqparse = reqparse.RequestParser()

    def post(self):
        local = reqparse.RequestParser()
        return {**local.parse_args(), **self.reqparse.parse_args()}


api.add_resource(Todo, "/todos/<todo_id>")
api.add_resource(Made, "/made")
'''


def test_the_scan_names_the_parsers_of_the_module_a_view_parses_with(tmp_path: Path) -> None:
    from migrator.scan import scan_path

    package = tmp_path / "legacy" / "todo_app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(SCANNED, encoding="utf-8")
    (package / "parsers.py").write_text(PARSERS, encoding="utf-8")
    routes = {route.rule: route for route in scan_path(tmp_path / "legacy").routes}
    parsed = {rule: sorted(f for f in route.features if f.startswith("reqparse:"))
              for rule, route in routes.items()}
    assert parsed == {
        "/todos/<todo_id>": ["reqparse:paging", "reqparse:parser",
                             "reqparse:parsers.restx_paging", "reqparse:update_parser"],
        "/made": [],  # made in the view, or on the resource: not there at import time
    }
    # documenting the parsers needs no person: no reason is added for them
    assert not any("reqparse" in reason for reason in routes["/todos/<todo_id>"].reasons)


# -- converted, against Flask ---------------------------------------------------------------
LEGACY = '''
from flask import Flask, request
from flask_restful import Api, Resource, inputs, reqparse

app = Flask(__name__)
api = Api(app)
TODOS = {}

parser = reqparse.RequestParser()
parser.add_argument("task", type=str, required=True, location="json", help="what to do")
parser.add_argument("priority", type=inputs.int_range(1, 5), default=3, location="json")
parser.add_argument("tags", action="append", location="args", choices=("home", "work"))
parser.add_argument("X-Request-Id", dest="request_id", location="headers")
parser.add_argument("due", type=inputs.date, location="json")
parser.add_argument("note")  # Flask-RESTful's default: the JSON body, the query or the form

listing = reqparse.RequestParser()
listing.add_argument("page", type=inputs.positive, default=1, location="args")
listing.add_argument("search")  # the JSON body, the query or the form: on a GET, the query


class TodoList(Resource):
    def get(self):
        args = listing.parse_args()
        return {"page": args["page"], "search": args["search"], "count": len(TODOS)}


class Todo(Resource):
    def put(self, todo_id):
        """Create or replace a todo."""
        args = parser.parse_args()
        TODOS[todo_id] = {"task": args["task"], "priority": args["priority"],
                          "tags": args["tags"], "note": args["note"]}
        return TODOS[todo_id], 201

    def get(self, todo_id):
        return TODOS.get(todo_id, {})


class Search(Resource):
    def get(self):
        args = listing.parse_args()
        return {"page": args["page"], "search": request.args.get("search", "")}


api.add_resource(Todo, "/todos/<todo_id>")
api.add_resource(TodoList, "/todos")
api.add_resource(Search, "/search")
'''

EXPECTED_EXTRA = {
    "parameters": [
        {"name": "tags", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string", "enum": ["home", "work"]}}},
        {"name": "X-Request-Id", "in": "header", "required": False,
         "schema": {"type": "string"}},
        {"name": "note", "in": "query", "required": False, "schema": {"type": "string"}},
    ],
    "requestBody": {
        "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "task": {"type": "string", "description": "what to do"},
                "priority": {"type": "integer", "minimum": 1, "maximum": 5, "default": 3},
                "due": {"type": "string", "format": "date"},
                "note": {"type": "string"},
            }, "required": ["task"]}},
            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                "note": {"type": "string"}}}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "note": {"type": "string"}}}},
        },
        "required": True,
    },
}


def test_a_converted_resource_documents_its_parser_and_answers_as_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "reqparse_app", LEGACY, "reqparse_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.endpoint for view in result.converted) == [
            "search", "todo", "todo", "todolist"]
        router = (out / "routers" / "app_routes.py").read_text()
        assert ('@router.put("/todos/{todo_id}", name="todo", '
                'openapi_extra=reqparse_openapi(parser))') in router
        # a GET carries no body: the parser's query (and header, cookie) arguments only
        assert ('@router.get("/todos", name="todolist", '
                'openapi_extra=reqparse_openapi(listing, body=False))') in router
        assert '"""Create or replace a todo."""' in router
        assert new_lint_findings(out, legacy.parent, "reqparse_app") == []

        import reqparse_app
        from reqparse_fastapi.flask_params import reqparse_openapi
        from reqparse_fastapi.main import create_app

        assert reqparse_openapi(reqparse_app.parser) == EXPECTED_EXTRA
        new_app = create_app(reqparse_app.app)
        put = new_app.openapi()["paths"]["/todos/{todo_id}"]["put"]
        assert [(p["name"], p["in"]) for p in put["parameters"]] == [
            ("todo_id", "path"), ("tags", "query"), ("X-Request-Id", "header"),
            ("note", "query")]
        assert put["requestBody"] == EXPECTED_EXTRA["requestBody"]
        assert "requestBody" not in new_app.openapi()["paths"]["/todos/{todo_id}"]["get"]
        todo_list = new_app.openapi()["paths"]["/todos"]["get"]
        assert todo_list["parameters"] == [
            {"name": "page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "default": 1}},
            {"name": "search", "in": "query", "required": False, "schema": {"type": "string"}}]
        assert "requestBody" not in todo_list
        # the view reads `search` itself too: FastAPI's query parameter documents it, once
        assert ('openapi_extra=reqparse_openapi(listing, documented=[("query", "search")], '
                'body=False))') in router
        search = new_app.openapi()["paths"]["/search"]["get"]
        assert [(p["name"], p["in"]) for p in search["parameters"]] == [
            ("search", "query"), ("page", "query")]

        flask_client = reqparse_app.app.test_client()
        cases = [
            ("/todos/a", {}, {"task": "write", "priority": 2}),
            ("/todos/b?tags=home&tags=work", {"X-Request-Id": "7"}, {"task": "x", "note": "n"}),
            ("/todos/c", {}, {"priority": 2}),  # task missing: the parser's 400
            ("/todos/d", {}, {"task": "x", "priority": 9}),  # out of range: 400
            ("/todos/e?tags=garden", {}, {"task": "x"}),  # not a choice: 400
            ("/todos/f?note=from-the-query", {}, {"task": "x"}),
        ]
        with TestClient(create_app(reqparse_app.app)) as client:
            for path, headers, body in cases:
                old = flask_client.put(path, headers=headers, json=body)
                new = client.put(path, headers=headers, json=body)
                assert (new.status_code, new.json()) == (old.status_code, old.json), path
            for path in ("/todos", "/todos?page=2&search=x", "/todos?page=0", "/todos?page=a",
                         "/search?search=x&page=2", "/search", "/search?page=0"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.json()) == (old.status_code, old.json), path
