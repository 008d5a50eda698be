"""One app or blueprint that a chained assignment gives several names.

CKAN 2.12's `make_flask_stack` makes its app with `app = flask_app = CKANFlask(__name__, ...)`.
Python evaluates the call once and assigns the one object to each target, but the scan bound
every name to the call itself and so modelled two apps: `app` (listed with no line) and
`flask_app`, each with the routes, hooks and blueprints registered through its own name. Now
the first target holds the object and the others are bound to it (to the receiver's attribute
where one is among the targets, `self.app = app = Flask(...)`, which the class's other methods
read). Each shape is checked against the url_map of the app Flask builds.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.scan_support import registered_endpoints, write_tree

FACTORY = {
    "shop/__init__.py": '''
from flask import Blueprint, Flask

# routes added through either name, registered through one
views = pages = Blueprint("pages", __name__, url_prefix="/pages")


@views.route("/about")
def about():
    return "about"


@pages.route("/terms")
def terms():
    return "terms"


def create_app():
    app = flask_app = Flask(__name__)
    app.register_blueprint(pages)

    @flask_app.route("/health")
    def health():
        return "ok"

    @app.before_request
    def check():
        return None

    return flask_app
''',
}

CLASS = {
    "board/__init__.py": '''
from flask import Flask


class Board:
    def __init__(self):
        self.app = app = Flask(__name__)

        @app.route("/a")
        def a():
            return "a"

        self.add_routes()

    def add_routes(self):
        @self.app.route("/b")
        def b():
            return "b"


board = Board()
''',
}


def test_a_factory_app_and_a_blueprint_with_two_names_are_one_each(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FACTORY)
    scan = scan_path(root)
    registered = registered_endpoints(root, "shop", lambda module: module.create_app())
    assert {route.rule: route.endpoint for route in scan.routes} == registered == {
        "/pages/about": "pages.about", "/pages/terms": "pages.terms", "/health": "health"}
    assert [(app.key, app.line) for app in scan.apps] == [("shop:create_app.app", 18)]
    assert [blueprint.name for blueprint in scan.blueprints] == ["pages"]
    assert {route.app for route in scan.routes} == {"shop:create_app.app"}
    # the hook added through `app` is the one app's, so the route added through `flask_app`
    # (and the blueprint's) runs it
    assert [(hook.kind, hook.function) for hook in scan.apps[0].hooks] == [
        ("before_request", "check")]
    assert scan.diagnostics == []


def test_an_app_held_by_an_attribute_and_a_local_name_is_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path, CLASS)
    scan = scan_path(root)
    registered = registered_endpoints(root, "board", lambda module: module.board.app)
    assert {route.rule: route.endpoint for route in scan.routes} == registered == {
        "/a": "a", "/b": "b"}
    assert [app.key for app in scan.apps] == ["board:Board.__init__.self.app"]
    assert {route.app for route in scan.routes} == {"board:Board.__init__.self.app"}
