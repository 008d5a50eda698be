"""A view's own annotation on a value of its rule (FM001).

Flask hands a view what the rule's converter made of the URL, whatever the view's annotation
says: `item_id: str` on `<int:item_id>` gets an int, `slug: int` on `<slug>` a string, and an
annotation no converter makes (`Sequence[str]`) is never looked at. FastAPI reads the endpoint's
annotations: it validated the int Starlette's convertor made against `str` (422 on every
request), the text of `<slug>` against `int` (422 on every slug that is not a number), and
refused to start with `Sequence[str]` ("Path params must be of one of the supported types"). The
converted view now takes the converter's type where the view's annotation names another; an
annotation that names the converter's type (quoted, aliased, or with None) stays as written.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

LEGACY = '''
from __future__ import annotations

from collections.abc import Sequence
from typing import Optional
from uuid import UUID

from flask import Flask

app = Flask(__name__)
ITEMS = ["lamp", "desk", "chair"]


@app.get("/items/<int:item_id>")
def item(item_id: str):
    # Flask gives an int, which indexes the list
    return {"item": ITEMS[item_id], "type": type(item_id).__name__}


@app.get("/pages/<slug>")
def page(slug: int):
    return {"slug": slug, "type": type(slug).__name__}


@app.get("/files/<path:names>")
def files(names: Sequence[str]):
    """The parts of the path."""
    return {"parts": names.split("/")}


@app.get("/tokens/<uuid:token>")
def token(token: Optional[UUID]):
    return {"token": str(token), "type": type(token).__name__}
'''

CASES = ["/items/1", "/items/7", "/items/x", "/pages/about", "/pages/12", "/files/a/b/c",
         "/tokens/0b7e7f4c-8d2a-4a7e-9f39-1f4b2c7d9e10", "/tokens/nope"]


def test_the_view_takes_the_converter_s_value_as_in_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "annotated_app", LEGACY, "annotated_fastapi") as (
            result, out, legacy):
        assert sorted(c.route.endpoint for c in result.converted) == [
            "files", "item", "page", "token"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "def item(item_id: int):\n    # Flask gives an int" in router
        assert "def page(slug: str):\n" in router
        assert 'def files(names: str):\n    """The parts of the path."""' in router
        assert "def token(token: Optional[UUID]):\n" in router  # the converter's type with None
        assert not new_lint_findings(out, legacy.parent, "annotated_app")

        import annotated_app
        from annotated_fastapi.main import app, create_app

        app.openapi()  # `Sequence[str]` made FastAPI refuse the route at start-up
        flask_client = annotated_app.app.test_client()
        with TestClient(create_app(annotated_app.app), base_url="http://localhost") as client:
            for path in CASES:
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.headers.get("content-type"), new.content) == (
                    old.status_code, old.headers.get("content-type"), old.get_data()), path
        assert [flask_client.get(path).status_code for path in CASES] == [
            200, 500, 404, 200, 200, 200, 200, 404]
