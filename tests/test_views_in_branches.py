"""Views defined inside an `if`/`try`/`with` block of their module convert.

calibre-web defines its Google Drive callback in a `try:` block: the scan listed the route, and
convert looked for the function only among the module's top-level statements and left the
route on Flask (`convert.view_not_found`). Such a block makes no scope of its own: the function
is the module's. Where branches define the function more than once, which one Flask serves is
decided at run time, and the route stays on Flask, saying so.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings

LEGACY = '''
import os

from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)

try:
    import json

    @app.get("/in-try")
    def in_try():
        """Defined in a try block (calibre-web's Google Drive callback)."""
        return {"q": request.args.get("q"), "json": json.__name__}
except ImportError:
    pass

if os.environ.get("NO_SUCH_SETTING") is None:
    with app.app_context():
        class Items(MethodView):
            def get(self):
                return {"items": ["lamp"]}

    app.add_url_rule("/items", view_func=Items.as_view("items"))

try:
    from json import dumps

    def either():
        return {"branch": "try", "dumps": dumps.__name__}
except ImportError:
    def either():
        return {"branch": "except"}

app.add_url_rule("/either", view_func=either)
'''


def test_a_view_in_a_block_converts_and_one_per_branch_stays(tmp_path: Path,
                                                              monkeypatch) -> None:
    with converted_snippet(tmp_path, "branches_app", LEGACY, "branches_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.endpoint for view in result.converted) == ["in_try", "items"]
        [left] = result.left
        assert left.route.endpoint == "either"
        # the scan sees a `def` in each branch (tests/test_scan_views_on_paths.py)
        assert left.reasons == [(
            "scan.conditional_view: the view given where the rule is added is bound differently "
            "on different paths through the code (an if, a loop, a try), so which view, and "
            "which decorators, Flask runs is decided at run time")]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert '"""Defined in a try block (calibre-web\'s Google Drive callback)."""' in router
        assert not new_lint_findings(out, legacy.parent, "branches_app")

        import branches_app
        from branches_fastapi.main import create_app

        flask_client = branches_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "branches_fastapi")
        with TestClient(create_app(branches_app.app), base_url="http://localhost") as client:
            for path in ("/in-try?q=lamp", "/items", "/either"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
        assert mounted == ["/either"]


CONDITIONAL_BLUEPRINT = '''
from flask import Blueprint, Flask, session

debug = Blueprint("debug", __name__)


@debug.get("/login/debug/<name>")
def login_as(name):
    """Log in as anyone: for development only (anitya's `debug_blueprint`)."""
    session["user"] = name
    return {"user": name}


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="s", **(config or {}))

    @app.get("/")
    def index():
        return {"user": session.get("user")}

    if app.config.get("DEBUG_LOGIN"):
        app.register_blueprint(debug)
    return app
'''


def test_a_blueprint_registered_in_a_branch_is_served_only_where_flask_has_it(
        tmp_path: Path, monkeypatch) -> None:
    """anitya registers a blueprint that logs anyone in only `if os.environ.get("FLASK_DEBUG")`.
    The scan lists its routes (which path is taken is decided at run time) with a
    `scan.conditional_registration` note at the call, and they convert; the generated app
    serves one only where the legacy app it wraps has the endpoint: built without the setting,
    the route answers Flask's 404, never a login."""
    with converted_snippet(tmp_path, "debug_app", CONDITIONAL_BLUEPRINT, "debug_fastapi") as (
            result, _out, legacy):
        [note] = [d for d in result.scan.diagnostics
                  if d.code == "scan.conditional_registration"]
        lines = (legacy / "__init__.py").read_text(encoding="utf-8").splitlines()
        assert note.severity == "info"
        assert lines[note.line - 1].strip() == "app.register_blueprint(debug)"
        assert "blueprint `debug` is registered inside an if/try/while/match block" \
            in note.message
        assert "/login/debug/<name>" in {view.route.rule for view in result.converted}

        import debug_app
        from debug_fastapi.main import create_app

        for config in ({}, {"DEBUG_LOGIN": True}):
            flask_app = debug_app.create_app(config)
            flask_client = flask_app.test_client()
            with TestClient(create_app(flask_app), base_url="http://localhost") as client:
                old, new = flask_client.get("/login/debug/eve"), client.get("/login/debug/eve")
                assert (new.status_code, new.content) == (old.status_code, old.get_data())
                assert new.status_code == (200 if config else 404)
