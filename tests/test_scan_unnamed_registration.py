"""A blueprint registered where the scan can name neither the app nor the blueprint.

Airflow 2's webserver gives its pages to its own copy of Flask-AppBuilder's `AppBuilder`, whose
`add_view` registers each with `self.get_app.register_blueprint(baseview.create_blueprint(...))`
when the app starts. The scan cannot list those routes, and said nothing of them: Airflow's scan
listed 19 routes and no word of the other views. Such a registration is now named
(`scan.unresolved_blueprint`, with its file and line), except in a test module, and where the
call is a project's own method of that name (`AirflowAppBuilder.register_blueprint`, which the
scan reads through). A blueprint a project factory makes and registers on a parameter nobody
passes an app for is named as registered only there, as one bound to a name is.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.scan_support import registered_endpoints, write_tree

BUILDER = {
    "board/__init__.py": '''
from flask import Blueprint, Flask


class PageView:
    """A view the builder turns into a blueprint when the app starts."""

    route_base = "/pages"

    def create_blueprint(self):
        blueprint = Blueprint("pages", __name__, url_prefix=self.route_base)
        blueprint.add_url_rule("/", view_func=self.index)
        return blueprint

    def index(self):
        return "pages"


class ViewBuilder:
    def __init__(self):
        self.app = None
        self.views = []

    def add_view(self, view):
        self.views.append(view)

    def init_app(self, app):
        self.app = app
        for view in self.views:
            self.register_blueprint(view)

    def register_blueprint(self, view):
        # the builder's own method: the one below it is Flask's
        self.app.register_blueprint(view.create_blueprint())


def make_extra():
    extra = Blueprint("extra", __name__)

    @extra.route("/extra")
    def extra_page():
        return "extra"

    return extra


def load_plugin(app):
    """A plugin hook the app's plugin manager calls, not the project's code."""
    app.register_blueprint(make_extra())


app = Flask(__name__)


@app.route("/")
def home():
    return "home"


builder = ViewBuilder()
builder.add_view(PageView())
builder.init_app(app)
''',
    "tests/test_board.py": '''
from board import app, make_extra


def test_extra():
    app.extensions["unused"].register_blueprint(make_extra())
''',
}


def test_a_registration_of_an_unnamed_blueprint_on_an_unnamed_app_is_named(
        tmp_path: Path) -> None:
    write_tree(tmp_path, BUILDER)
    scan = scan_path(tmp_path)
    # Flask serves the builder's page; the scan cannot list it, and says where it is made
    assert registered_endpoints(tmp_path, "board", lambda module: module.app) == {
        "/": "home", "/pages/": "pages.index"}
    assert {route.rule: route.endpoint for route in scan.routes} == {"/": "home"}
    assert sorted((d.code, d.file, d.line, d.message) for d in scan.diagnostics) == [
        # the page view's own blueprint, which the scan reads but sees registered nowhere
        ("scan.blueprint_not_registered", "board/__init__.py", 10,
         ("blueprint 'pages' (`blueprint`) is never registered on an app the scan can see; its "
          "1 route(s) are not listed")),
        ("scan.blueprint_not_registered", "board/__init__.py", 37,
         ("blueprint 'extra' (`extra`) is registered only on `app`, a parameter of `load_plugin` "
          "(board/__init__.py:48), for which no call the scan can see passes an app (a plugin "
          "hook, or a caller outside the scanned code); its 1 route(s) are not listed")),
        ("scan.unresolved_argument", "board/__init__.py", 10,
         "url_prefix of `blueprint`: `self.route_base` is not a constant the scan can read"),
        # the builder's registration, not its own method's call nor the test module's
        ("scan.unresolved_blueprint", "board/__init__.py", 33,
         ("cannot tell which app `self.app.register_blueprint(view.create_blueprint())` "
          "registers a blueprint on, nor which blueprint: the scan lists no route from this "
          "registration; such routes stay on Flask")),
    ]
