"""A view parameter the rule has no value for is not a query parameter.

Flask calls a view with the values of the rule that matched, so in

    @app.get("/users/")
    @app.get("/users/<int:page>")
    def users(page=1): ...

`/users/` always runs with `page=1`. The converted `/users/` endpoint kept `page=1` in its
signature, and FastAPI read it from the query string: `/users/?page=9` answered page 9, and
`def item(item_id, is_admin=False)` let any client send `?is_admin=1`. FM001 now binds such a
default in the body (or drops a parameter the body never reads), and keeps the route on Flask
when the default is not an immutable literal.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

LEGACY = '''
from flask import Flask

app = Flask(__name__)


@app.get("/users/")
@app.get("/users/<int:page>")
def users(page=1):
    """Pages of users."""
    return {"page": page}


@app.get("/items/<int:item_id>")
def item(item_id, is_admin=False, unused=None):
    if is_admin:
        return {"item": item_id, "secret": "s3cret"}
    return {"item": item_id}


@app.get("/cached/<int:item_id>")
def cached(item_id, seen=[]):
    seen.append(item_id)
    return {"seen": len(seen)}
'''


def test_parameters_the_rule_lacks_keep_their_default(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "defaults_app", LEGACY, "defaults_fastapi") as (
            result, out, legacy):
        assert sorted(v.route.rule for v in result.converted) == [
            "/items/<int:item_id>", "/users/", "/users/<int:page>"]
        [left] = result.left
        assert left.route.rule == "/cached/<int:item_id>"
        assert left.reasons == [("FM001: the view's parameter 'seen' is not in the rule, and "
                                 "its default is not a literal the converted view could bind "
                                 "the same way")]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "def item(item_id: int):\n    is_admin = False  # FM001:" in router
        assert "unused" not in router
        assert not new_lint_findings(out, legacy.parent, "defaults_app")
        import defaults_app
        from defaults_fastapi.main import create_app

        flask_client = defaults_app.app.test_client()
        with TestClient(create_app(defaults_app.app)) as client:
            for path in ("/users/", "/users/?page=9", "/users/3", "/items/1", "/items/1?is_admin=1",
                         "/items/1?is_admin=true&unused=x"):
                legacy_answer, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
            schema = client.get("/openapi.json").json()["paths"]
            assert "parameters" not in schema["/users/"]["get"]
            assert [p["name"] for p in schema["/items/{item_id}"]["get"]["parameters"]] == [
                "item_id"]
