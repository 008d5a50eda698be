"""An app that is an instance of a project subclass of Flask, whose own methods add its rules.

grip's `class Grip(Flask)` adds its rules with `self.add_url_rule(...)` in `__init__`, and
knowledge-repo's `KnowledgeFlask(Flask)` registers its blueprints with
`self.register_blueprint(...)`; both apps are made inside functions (`return Grip(...)`). The scan
could not name `self`: it listed none of their routes (grip: 0, with a `scan.unresolved_app`
warning per rule). Now, where the project makes no object of the class that the scan names,
the app is the class's instance (`self` in its methods; factory `Grip.__init__`, which the
generated package cannot call, so it asks for the app); where the project binds one object
made with the class (`app = MyFlask(__name__)`), `self` is that object; several, not guessed.
The ground truth is the real url_map.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import assert_answered_alike, converted_snippet
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import write_tree

SUBCLASS_APP = '''
from flask import Blueprint, Flask, request

pages = Blueprint("pages", __name__, url_prefix="/pages")


@pages.get("/<int:number>")
def page(number):
    return {"page": number}


def health():
    return {"ok": True}


class Portal(Flask):
    """The app: its rules are added where it is made."""

    def __init__(self, name=__name__, greeting="hello"):
        super().__init__(name)
        self.greeting = greeting
        self.register_blueprint(pages)
        self.add_url_rule("/health", "health", health)
        self._add_search()

    def _add_search(self):
        self.add_url_rule("/search", "search", search, methods=["GET", "POST"])


def search():
    return {"q": request.values.get("q")}


def create_app():
    return Portal()
'''


def test_the_instance_of_a_flask_subclass_is_the_app_its_methods_add_rules_to(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path / "portal", {"portal_app.py": SUBCLASS_APP})
    result = scan_path(root)
    [app] = result.apps
    assert (app.name, app.factory, app.factory_requires) == ("self", "Portal.__init__", [])
    scanned = {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes}
    assert scanned == runtime_url_map("portal_app:create_app", pythonpath=[root])
    assert len(scanned) == 3
    assert not [d for d in result.diagnostics if d.code == "scan.unresolved_app"]


def test_its_routes_convert_and_the_package_asks_for_the_app(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "portal_app", SUBCLASS_APP, "portal_fastapi") as (
            result, _out, _legacy):
        assert sorted({view.route.rule for view in result.converted}) == [
            "/health", "/pages/<int:number>", "/search"]
        assert "Portal.__init__" in result.to_json()["legacy_app_unloadable"]

        import portal_app
        from portal_fastapi.main import create_app

        flask_app = portal_app.create_app()
        flask_client = flask_app.test_client()
        with TestClient(create_app(flask_app), base_url="http://localhost") as client:
            assert_answered_alike(flask_client, client, (
                ("GET", "/pages/3"), ("GET", "/pages/x"), ("GET", "/health"),
                ("GET", "/search?q=lamp"), ("POST", "/search?q=desk"), ("DELETE", "/search")))


def test_self_is_the_one_object_the_project_binds_and_not_guessed_among_several(
        tmp_path: Path) -> None:
    one = SUBCLASS_APP.replace("def create_app():\n    return Portal()\n",
                               "app = Portal()\n\n\n@app.get('/extra')\ndef extra():\n"
                               "    return 'extra'\n")
    root = write_tree(tmp_path / "one", {"portal_app.py": one})
    result = scan_path(root)
    [app] = result.apps
    assert (app.name, app.factory) == ("app", None)
    assert {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes} == \
        runtime_url_map("portal_app:app", pythonpath=[root])

    several = one.replace("app = Portal()", "app = Portal()\nother = Portal('other')")
    root = write_tree(tmp_path / "several", {"portal_app.py": several})
    result = scan_path(root)
    assert sorted(r.rule for r in result.routes) == ["/extra"]  # `self` is either of them
    assert [d.code for d in result.diagnostics].count("scan.unresolved_app") == 2


# lektor's admin app (3.3.14): `WebUI(Flask)` hands `self` to a module function whose loop
# registers every blueprint; nothing in the class calls a method of `self` that adds a rule.
HANDED_SELF = {
    "admin/__init__.py": "",
    "admin/modules.py": '''
from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/admin/api")
dash = Blueprint("dash", __name__, url_prefix="/admin")


@api.get("/ping")
def ping():
    return {"pong": True}


@dash.get("/", defaults={"path": ""})
@dash.get("/<path:path>")
def panel(path):
    return {"path": path}


def register_modules(app, *, blueprints=(api, dash)):
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
''',
    "admin/webui.py": '''
from flask import Flask

from .modules import register_modules


class WebUI(Flask):
    def __init__(self, debug=False):
        Flask.__init__(self, "admin", static_url_path="/admin/static")
        self.debug = debug
        register_modules(self)


WebAdmin = WebUI
''',
    "devserver.py": '''
from admin.webui import WebAdmin


def run_server(debug=False):
    app = WebAdmin(debug=debug)
    return app
''',
}


def test_a_flask_subclass_that_hands_self_to_a_function_registering_on_it_is_the_app(
        tmp_path: Path) -> None:
    """The app was not found ("registered only on `app`, a parameter of `register_modules`,
    for which no call the scan can see passes an app"): the call that passes it is
    `register_modules(self)` in `WebUI.__init__`, `self` being the app."""
    root = write_tree(tmp_path / "lektorish", HANDED_SELF)
    result = scan_path(root)
    [app] = result.apps
    assert app.factory == "WebUI.__init__"
    scanned = {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes}
    assert scanned == runtime_url_map("devserver:run_server", pythonpath=[root])
    assert len(scanned) == 3  # ping and the panel's two rules (static routes are not compared)
    assert not [d for d in result.diagnostics if d.code == "scan.blueprint_not_registered"]

    # a function handed `self` that adds nothing to it does not make the class an app
    inert = {**HANDED_SELF, "admin/modules.py": HANDED_SELF["admin/modules.py"].replace(
        "        app.register_blueprint(blueprint)", "        print(app, blueprint)")}
    result = scan_path(write_tree(tmp_path / "inert", inert))
    assert result.routes == [] and result.apps == []
