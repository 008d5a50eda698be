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
