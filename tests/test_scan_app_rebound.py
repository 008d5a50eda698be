"""An app factory that rebinds its app's name after registering on it.

dtale 3.22's `build_app` makes `app = DtaleFlask(...)`, registers its `dtale` blueprint (88 rules)
and its own `@app.route(...)` views, then ends with `with app.app_context(): app =
dash_views.add_dash(app); return app`. The scan read every `app.` in the function as the last
thing bound to `app`, the call of a project function it cannot follow, and listed none of the 96
rules (the blueprint "never registered"). A registration or decorator in a function now reads
the name as it is bound where it runs: the app made above it. Checked against the url_map of
the app the factory makes, under Flask.

What the scan cannot read stays unlisted and said: a rule added after the rebinding, on what
`add_dash` returned (the same app here, which no static reading can show).
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import (  # noqa: F401 (fixtures)
    declared_route_decorators,
    dtale_package,
    realworld_cache,
)
from tests.scan_support import registered_endpoints, write_tree

FILES = {
    "board/__init__.py": '''
import warnings

from flask import Blueprint

with warnings.catch_warnings():
    warnings.filterwarnings("ignore")
    board = Blueprint("board", __name__, url_prefix="/board")

    from board.app import build_app  # noqa: F401
''',
    "board/views.py": '''
from board import board


@board.route("/main/<int:data_id>")
def main(data_id):
    return str(data_id)
''',
    "board/dash.py": '''
def add_dash(app):
    """Adds more to the app, and returns it."""
    app.config["DASH"] = True
    return app
''',
    "board/app.py": '''
from flask import Flask

from board import board
from board.dash import add_dash
from board.views import main  # noqa: F401


def build_app():
    app = Flask("board")
    app.register_blueprint(board)

    @app.route("/health")
    def health():
        return "ok"

    def version():
        return "1"

    app.add_url_rule("/version", view_func=version)

    with app.app_context():
        app = add_dash(app)
        app.add_url_rule("/after", "after", version)
        return app
''',
}


def test_registrations_before_the_app_is_rebound_are_listed(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    scan = scan_path(root)
    scanned = {route.rule: route.endpoint for route in scan.routes}
    registered = registered_endpoints(root, "board.app", lambda factory: factory.build_app())
    # on what `add_dash` returned: the scan cannot follow it, and says so where the rule is added
    assert registered.pop("/after") == "after"
    assert scanned == registered == {
        "/board/main/<int:data_id>": "board.main", "/health": "health", "/version": "version"}
    assert {route.app for route in scan.routes} == {"board.app:build_app.app"}
    assert [(d.code, d.file, d.line) for d in scan.diagnostics] == [
        ("scan.unresolved_app", "board/app.py", 23)]


def test_dtale_rules_registered_before_its_factory_rebinds_the_app_are_listed(
        dtale_package: Path,  # noqa: F811 (the fixture)
) -> None:
    """dtale 3.22.0 (not run here: pandas, dash and more): the `@dtale.route(...)` rules of
    `dtale/views.py` under the blueprint's `/dtale` prefix, and the `@app.route(...)` views
    `build_app` defines, read with `ast` independently of the scan."""
    views = ast.parse((dtale_package / "views.py").read_text(encoding="utf-8"))
    factory = ast.parse((dtale_package / "app.py").read_text(encoding="utf-8"))
    declared = {("/dtale" + rule, f"dtale.{endpoint}", methods)
                for rule, endpoint, methods in declared_route_decorators(views, "dtale")}
    declared |= set(declared_route_decorators(factory, "app"))
    assert len(declared) == 96
    scan = scan_path(dtale_package.parent)
    assert {(route.rule, route.endpoint, frozenset(route.methods))
            for route in scan.routes} == declared
    assert {route.app for route in scan.routes} == {"dtale.app:build_app.app"}
    assert "scan.blueprint_not_registered" not in {d.code for d in scan.diagnostics}


REUSED_NAME = '''
from flask import Blueprint, Flask


def create_app():
    app = Flask(__name__)

    bp = Blueprint("first", __name__)

    @bp.route("/one")
    def one():
        return "1"

    app.register_blueprint(bp, url_prefix="/a")

    bp = Blueprint("second", __name__)

    @bp.route("/two")
    def two():
        return "2"

    app.register_blueprint(bp, url_prefix="/b")
    return app
'''


def test_a_blueprint_name_bound_again_registers_what_it_holds_at_each_call(
        tmp_path: Path) -> None:
    """One name for two blueprints in turn: each `register_blueprint(bp)` registers the one `bp`
    holds there. The scan read both as the last (`/a/two`, a rule Flask does not have; `first`
    "never registered", and a warning that `second` is registered twice)."""
    root = write_tree(tmp_path, {"portal/__init__.py": REUSED_NAME})
    scan = scan_path(root)
    registered = registered_endpoints(root, "portal", lambda portal: portal.create_app())
    assert {route.rule: route.endpoint for route in scan.routes} == registered == {
        "/a/one": "first.one", "/b/two": "second.two"}
    assert not scan.diagnostics
