"""The app's own static rule keeps FastAPI's pages off the paths it answers.

Flask adds `<static_url_path>/<path:filename>` for the app's static folder. The scan does not
list it as a route (Flask's, not the project's: it stays on Flask), but records it on the app,
for FastAPI's own pages must not shadow it: seldon-core's `Flask(__name__,
static_url_path="")` serves every path its files have, `/openapi.json` among them, and answers
Flask's 404 for `/docs`, where the generated app answered FastAPI's pages.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet


@pytest.mark.parametrize(("arguments", "rule"), [
    ("__name__", "/static/<path:filename>"),
    ("__name__, static_url_path=''", "/<path:filename>"),
    ("__name__, static_url_path='/files/'", "/files/<path:filename>"),
    ("__name__, static_folder='assets'", "/assets/<path:filename>"),
    ("__name__, static_folder='web/public/'", "/public/<path:filename>"),
    ("__name__, '/s', 'assets'", "/s/<path:filename>"),
    ("__name__, static_folder=None", None),
    ("__name__, static_url_path=PREFIX", "<unresolved: static_url_path>/<path:filename>"),
])
def test_the_scan_records_the_apps_static_rule(tmp_path: Path, arguments: str,
                                                rule: str | None) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(f"""
        import os
        from flask import Flask

        PREFIX = os.environ["PREFIX"]
        app = Flask({arguments})


        @app.route("/ping")
        def ping():
            return {{"ok": True}}
        """), encoding="utf-8")
    result = scan_path(tmp_path)
    assert [a.static_rule for a in result.apps] == [rule]
    assert [r.rule for r in result.routes] == ["/ping"]  # not listed: it stays on Flask


LEGACY = {
    "__init__.py": '''
        from flask import Flask, jsonify

        app = Flask(__name__, static_url_path="")


        @app.route("/ping")
        def ping():
            return jsonify(ok=True)
        ''',
    "static/openapi.json": '{"mine": true}\n',
}


def test_fastapi_pages_stay_off_a_static_rule_that_answers_every_path(tmp_path: Path) -> None:
    """`/<path:filename>` answers `/fastapi/...` and `/_fastapi/...` too: no path is free, so
    the generated app serves no page of its own, as the README says of a catch-all rule."""
    with converted_snippet(tmp_path, "seldonish", LEGACY, "seldonish_fastapi") as (
            result, out, _):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        main = (out / "main.py").read_text("utf-8")
        assert "openapi_url=None," in main and "docs_url=None," in main
        import seldonish
        from seldonish_fastapi.main import create_app

        flask_client = seldonish.app.test_client()
        with TestClient(create_app(seldonish.app)) as client:
            for path in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect",
                         "/fastapi/openapi.json", "/ping"):
                new, old = client.get(path), flask_client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
            assert client.get("/openapi.json").json() == {"mine": True}


def test_fastapi_pages_move_off_a_static_rule_at_their_paths(tmp_path: Path) -> None:
    """`static_url_path="/docs"` answers below `/docs`: the pages move under `/fastapi`."""
    source = {**LEGACY, "__init__.py": LEGACY["__init__.py"].replace(
        'static_url_path=""', 'static_url_path="/docs", static_folder="static"')}
    with converted_snippet(tmp_path, "docsish", source, "docsish_fastapi") as (_, out, _):
        main = (out / "main.py").read_text("utf-8")
        assert 'docs_url="/fastapi/docs"' in main and "openapi_url" not in main
