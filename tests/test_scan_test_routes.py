"""A test that makes the production app and adds a rule of its own to it.

bepasty 1.2.2 ships its tests in the package: `bepasty/tests/test_app.py` calls `app =
create_app()` and then `app.add_url_rule('/test_call', view_func=TestView.as_view(...))`. The scan
listed `/test_call` as a route of the app production serves, and `migrate convert` wrote it into
the generated router, which then imported the test module (and whatever it imports: pytest) in
production. Production never runs tests: such a rule is not listed, and an info diagnostic
(`scan.test_route`) names it with its file and line. A test's own app keeps its routes (the scan
lists every app it finds; convert leaves test apps out).
"""

from __future__ import annotations

from pathlib import Path

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.scan_support import listed_rules, registered_endpoints, write_tree

PASTEBIN = {
    "pastebin/__init__.py": "",
    "pastebin/app.py": '''
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "index"

    return app
''',
    "pastebin/tests/__init__.py": "",
    "pastebin/tests/test_app.py": '''
import pytest
from flask import Flask
from flask.views import MethodView

from ..app import create_app


class TestView(MethodView):
    def get(self):
        return "done"


def prepare():
    app = create_app()
    app.add_url_rule("/test_call", view_func=TestView.as_view("test.test_call"))
    return app


def test_call():
    assert prepare().test_client().get("/test_call").data == b"done"


def test_own_app():
    own = Flask(__name__)
    own.add_url_rule("/own", view_func=TestView.as_view("own"))
''',
}


def test_a_rule_a_test_adds_to_the_production_app_is_not_listed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", PASTEBIN)
    scan = scan_path(root)
    production = [route for route in scan.routes if route.app == "pastebin.app:create_app.app"]
    assert listed_rules(production) == set(
        registered_endpoints(root, "pastebin.app", lambda m: m.create_app()).items())
    assert [(d.code, d.file, d.line, d.severity) for d in scan.diagnostics
            if d.code == "scan.test_route"] == [
        ("scan.test_route", "pastebin/tests/test_app.py", 15, "info")]
    # the test's own app is still one the scan lists
    assert "/own" in {route.rule for route in scan.routes}

    out = tmp_path / "pastebin_fastapi"
    result = convert_project(root, out)
    assert [view.route.rule for view in result.converted] == ["/"]
    routers = "".join(path.read_text() for path in (out / "routers").glob("*.py"))
    assert "tests" not in routers and "test_call" not in routers
