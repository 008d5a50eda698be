"""An app factory that rebinds its app's name after registering on it.

dtale 3.22's `build_app` makes `app = DtaleFlask(...)`, registers its `dtale` blueprint (88 rules)
and its own `@app.route(...)` views, then ends with `with app.app_context(): app =
dash_views.add_dash(app); return app`. The scan read every `app.` in the function as the last
thing bound to `app`, the call of a project function it cannot follow, and listed none of the 96
rules (the blueprint "never registered"). A registration or decorator in a function now reads
the name as it is bound where it runs: the app made above it. Checked against the url_map of
the app the factory makes, under Flask.

So is an app passed to a function (`add_dash(app)`): what that function returns, `return app`,
is the app it was passed, and a rule added after the rebinding, on what it returned, is the
same app's.
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
    # `/after` is added on what `add_dash(app)` returned: its parameter, the app it was passed
    # (before the scan read that argument as bound where the call is made, it was not listed)
    assert scanned == registered == {
        "/board/main/<int:data_id>": "board.main", "/health": "health", "/version": "version",
        "/after": "after"}
    assert {route.app for route in scan.routes} == {"board.app:build_app.app"}
    assert not scan.diagnostics


def test_dtale_rules_registered_before_its_factory_rebinds_the_app_are_listed(
        dtale_package: Path,  # noqa: F811 (the fixture)
) -> None:
    """dtale 3.22.0 (not run here: pandas, dash and more): the `@dtale.route(...)` rules of
    `dtale/views.py` under the blueprint's `/dtale` prefix, the `@app.route(...)` views
    `build_app` defines and those of `auth.setup_auth(app)`, which it calls with its app before
    rebinding the name (`/login`, `/logout`, when auth is on; before the scan read the argument
    as bound where the call is made, they were not listed), read with `ast` independently of the
    scan."""
    views = ast.parse((dtale_package / "views.py").read_text(encoding="utf-8"))
    factory = ast.parse((dtale_package / "app.py").read_text(encoding="utf-8"))
    auth = ast.parse((dtale_package / "auth.py").read_text(encoding="utf-8"))
    declared = {("/dtale" + rule, f"dtale.{endpoint}", methods)
                for rule, endpoint, methods in declared_route_decorators(views, "dtale")}
    declared |= set(declared_route_decorators(factory, "app"))
    declared |= set(declared_route_decorators(auth, "app"))
    assert len(declared) == 98
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


PASSED_BEFORE_WRAPPING = '''
from flask import Blueprint, Flask
from flask_cors import CORS

pages = Blueprint("pages", __name__)


@pages.route("/about")
def about():
    return "about"


def health():
    return "ok"


class Middleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


MIDDLEWARE = [Middleware]


def register_blueprints(app):
    app.register_blueprint(pages)


def add_health(app):
    app.add_url_rule("/health", "health", health)


def create_app():
    app = Flask(__name__)
    register_blueprints(app)
    add_health(app)
    CORS(app)
    flask_app = app
    for middleware in MIDDLEWARE:
        app = middleware(app)
    return flask_app
'''


def test_an_app_passed_to_helpers_before_the_name_is_rebound_is_followed(
        tmp_path: Path) -> None:
    """CKAN 2.12's `make_flask_stack` passes its app to `_setup_webassets(app)` and
    `register_package_blueprints(app)`, and later wraps it in each plugin's middleware with `app
    = plugin.make_middleware(app, config)`. The scan read the argument as the last thing bound to
    `app`, the wrapper, so what the helpers register was not listed ("registered only on `app`,
    a parameter ... for which no call the scan can see passes an app"). An argument is now read
    as bound where the call is made, as a registration in the function already was; so is an
    extension's (`CORS(app)`)."""
    root = write_tree(tmp_path, {"hub/__init__.py": PASSED_BEFORE_WRAPPING})
    scan = scan_path(root)
    registered = registered_endpoints(root, "hub", lambda hub: hub.create_app())
    assert {route.rule: route.endpoint for route in scan.routes} == registered == {
        "/about": "pages.about", "/health": "health"}
    assert {route.app for route in scan.routes} == {"hub:create_app.app"}
    assert [extension.name for extension in scan.apps[0].extensions] == ["flask_cors.CORS"]
    assert not scan.diagnostics
