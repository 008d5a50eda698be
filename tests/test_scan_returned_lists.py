"""Blueprints registered in a loop over what a project function returns.

pgAdmin 4 (9.18) registers its modules with `for module in get_submodules():
app.register_blueprint(module)`, where `get_submodules()` returns a list of the blueprints its
`submodules.py` imports. The scan read loops over names and over constant tables, not over a
call: "cannot tell which blueprint `app.register_blueprint(module)` registers", and none of
those blueprints' routes were listed. A project function called without arguments whose one
`return` is a list (or tuple) of names now gives the loop those names, read where the function
is. Checked against the url_map of the app Flask builds.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.scan_support import registered_endpoints, write_tree

FILES = {
    "pg/__init__.py": '''
from flask import Flask


def create_app():
    app = Flask(__name__)
    from pg.submodules import get_submodules
    for module in get_submodules():
        if app.blueprints.get(module.name) is None:
            app.register_blueprint(module)
    return app
''',
    "pg/submodules.py": '''
from pg.about import blueprint as AboutModule
from pg.tools import blueprint as ToolsModule


def get_submodules():
    return [
        AboutModule,
        ToolsModule,
    ]
''',
    "pg/about.py": '''
from flask import Blueprint

blueprint = Blueprint("about", __name__, url_prefix="/about")


@blueprint.route("/")
def index():
    return "about"
''',
    "pg/tools.py": '''
from flask import Blueprint

blueprint = Blueprint("tools", __name__, url_prefix="/tools")


@blueprint.route("/run/<int:n>")
def run(n):
    return str(n)
''',
}


def test_blueprints_a_function_returns_as_a_list_are_registered(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    scan = scan_path(root)
    registered = registered_endpoints(root, "pg", lambda pg: pg.create_app())
    assert {route.rule: route.endpoint for route in scan.routes} == registered == {
        "/about/": "about.index", "/tools/run/<int:n>": "tools.run"}
    # (registered under pgAdmin's `if app.blueprints.get(...) is None:`)
    assert {d.code for d in scan.diagnostics} == {"scan.conditional_registration"}


def test_a_function_with_more_than_one_return_is_not_read(tmp_path: Path) -> None:
    """Which list such a function returns depends on the path taken: the loop stays unread,
    and said so."""
    files = dict(FILES)
    files["pg/submodules.py"] = FILES["pg/submodules.py"].replace(
        "def get_submodules():\n",
        "def get_submodules(minimal=False):\n    if minimal:\n        return [AboutModule]\n")
    scan = scan_path(write_tree(tmp_path, files))
    assert scan.routes == []
    assert "scan.unresolved_blueprint" in {d.code for d in scan.diagnostics}
