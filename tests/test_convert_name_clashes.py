"""A converted view never reads a name as something other than what it read in Flask.

Rules import FastAPI names (`HTTPException` for FM004, `Query`, ...) into the router, and a
router is one module for all the views of a blueprint. Before these checks, a view reading
Werkzeug's `HTTPException` (`except HTTPException as e: e.code`) shared the router with a view
whose `abort()` became FastAPI's `raise HTTPException(...)`: one import hid the other, and one of
the two views answered 500. An `abort()` inside a `try` also became an exception its
`except NotFound:` no longer caught. Now FM004 leaves such aborts as they are, and a view that
needs a name its router already imports from elsewhere stays on Flask, with a reason.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask, abort, request
from werkzeug.exceptions import HTTPException, NotFound

app = Flask(__name__)


@app.get("/caught")
def caught():
    try:
        abort(404)
    except NotFound:
        return {"caught": "not found"}


@app.get("/caught-any")
def caught_any():
    try:
        abort(400, "bad")
    except HTTPException as error:
        return {"caught": error.code, "description": error.description}


@app.get("/code")
def by_code():
    if request.args.get("c") == "418":
        abort(418)
    abort(404)
'''


def test_views_read_what_they_read_in_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "clash_app", LEGACY, "clash_fastapi") as (
            result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == ["/caught", "/caught-any"]
        [left] = result.left
        assert left.route.rule == "/code"
        assert left.reasons == [(
            "convert.name_clash: this view reads HTTPException as fastapi.HTTPException, but its "
            "router already imports HTTPException as werkzeug.exceptions.HTTPException for "
            "another view; the route stays on Flask")]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "from werkzeug.exceptions import HTTPException, NotFound" in router
        assert "from fastapi import APIRouter\n" in router
        import clash_app
        from clash_fastapi.main import create_app

        flask_client = clash_app.app.test_client()
        with TestClient(create_app(clash_app.app)) as client:
            for path in ("/caught", "/caught-any", "/code", "/code?c=418"):
                legacy_answer, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path


def test_a_view_that_reads_a_name_a_rule_imports_stays_on_flask(tmp_path: Path) -> None:
    source = '''
from flask import Flask, request

app = Flask(__name__)


class Query:
    """The project's own query object (as SQLAlchemy's is named)."""

    def __init__(self, term):
        self.term = term


@app.get("/search")
def search():
    return {"term": Query(request.args.get("q", "")).term}
'''
    with converted_snippet(tmp_path, "query_app", source, "query_fastapi") as (result, _o, _l):
        assert not result.converted
        [left] = result.left
        assert left.reasons == [(
            "convert.name_clash: the converted view would import Query from fastapi, hiding "
            "the query_app.Query it reads; the route stays on Flask")]
