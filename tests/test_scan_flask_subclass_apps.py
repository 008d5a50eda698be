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

import importlib
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


def test_its_routes_convert_and_the_package_makes_the_app_as_the_project_does(
        tmp_path: Path) -> None:
    """The package asked for the app (`create_app(legacy_app)`: "`Portal.__init__` is not a
    module-level function"); it now calls `create_app()`, the module-level function that
    returns `Portal()`, as moin 2.0's `create_app()` returns `create_app_ext(...)`, which
    returns `MoinApp(...)`."""
    with converted_snippet(tmp_path, "portal_app", SUBCLASS_APP, "portal_fastapi") as (
            result, out, _legacy):
        assert sorted({view.route.rule for view in result.converted}) == [
            "/health", "/pages/<int:number>", "/search"]
        assert result.to_json()["legacy_app_unloadable"] is None
        assert "    from portal_app import create_app\n\n    return create_app()\n" in (
            out / "main.py").read_text()

        import portal_app
        from portal_fastapi.main import load_legacy_app

        flask_app = portal_app.create_app()
        flask_client = flask_app.test_client()
        loaded = load_legacy_app()
        assert isinstance(loaded, portal_app.Portal) and loaded is not flask_app
        from portal_fastapi.main import app

        with TestClient(app, base_url="http://localhost") as client:
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


CHAINED = SUBCLASS_APP.replace("def create_app():\n    return Portal()\n", '''def create_app(config=None):
    """moin 2.0's: a wrapper of the function that makes the app."""
    return create_app_ext(greeting=config or "hi")


def create_app_ext(greeting="hello", **kwargs):
    return Portal(greeting=greeting, **kwargs)


def make_for_tests(name):
    return Portal(name)
''')


def test_the_app_is_made_by_the_outermost_function_returning_the_subclass_s_instance(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path / "chained", {"portal_app.py": CHAINED})
    [app] = scan_path(root).apps
    # (make_for_tests takes an argument without a default: production does not call it bare)
    assert (app.factory, app.wrapping_factory) == ("Portal.__init__", "portal_app:create_app")

    # no function makes it: the class itself, called bare (as a factory taking no argument)
    alone = SUBCLASS_APP.replace("def create_app():\n    return Portal()\n", "")
    with converted_snippet(tmp_path, "alone_app", alone, "alone_fastapi") as (result, out, _):
        assert result.to_json()["legacy_app_unloadable"] is None
        main = (out / "main.py").read_text()
        assert "    from alone_app import Portal\n\n    return Portal()\n" in main
        assert "`Portal()` in `alone_app` (__init__.py:" in main
        import alone_app
        from alone_fastapi.main import app

        with TestClient(app, base_url="http://localhost") as client:
            assert_answered_alike(alone_app.Portal().test_client(), client, (
                ("GET", "/pages/3"), ("GET", "/health"), ("POST", "/search?q=desk")))

    # its `__init__` takes an argument without a default: asked for, as before
    needs = alone.replace('def __init__(self, name=__name__, greeting="hello"):',
                          "def __init__(self, name, greeting):")
    with converted_snippet(tmp_path, "needs_app", needs, "needs_fastapi") as (result, _o, _l):
        assert "`Portal` in `needs_app` (__init__.py:16), the app's own subclass of Flask, takes " \
               "arguments without a default (name, greeting)" in result.to_json()[
                   "legacy_app_unloadable"]


# grip's shape: `class Grip(Flask)` adds its rules in `__init__`, which takes the folder to serve;
# `grip.api.create_app(path, ..., grip_class=None)` makes it (`grip_class` defaults to `Grip`).
GRIPISH = {
    "__init__.py": "",
    "app.py": '''
from flask import Blueprint, Flask

pages = Blueprint("pages", __name__)


@pages.get("/title")
def title():
    from flask import current_app

    return {"title": current_app.config["TITLE"]}


class Grip(Flask):
    def __init__(self, source, title=None):
        super().__init__(__name__)
        self.config["TITLE"] = title or source
        self.register_blueprint(pages)
''',
    "api.py": '''
from .app import Grip


def create_app(path, title=None, grip_class=None):
    if grip_class is None:
        grip_class = Grip
    return grip_class(path, title=title)
''',
}


def test_a_stated_call_of_a_function_making_the_subclass_makes_the_app(tmp_path: Path) -> None:
    """grip's `Grip.__init__` takes the folder to serve, and so does `create_app`, which makes
    it: the package cannot make the app bare, and a statement of `create_app(...)` was not used
    (`scan.stated_app_unused`: "found no app made or returned by a function `create_app`"), as the app's
    factory is `Grip.__init__`. A call of the class or of any function returning its instance is
    taken now."""
    with converted_snippet(tmp_path / "bare", "gripish", GRIPISH, "bare_fastapi") as (
            result, _out, _legacy):
        assert result.to_json()["legacy_app_unloadable"] == (
            "`Grip` in `gripish.app` (app.py:14), the app's own subclass of Flask, takes "
            "arguments without a default (source), and no module binds an app made with it "
            "unconditionally, once, at its top level (state the call that makes the production app in pyproject.toml: `[tool.migrate]` "
            "`legacy-app = \"gripish.app:Grip(...)\"`, or a call of a function returning it, "
            "literal arguments)")

    for stated, made_by in (("gripish.api:create_app('docs', title='Docs')", "create_app"),
                            ("gripish.app:Grip('docs', title='Docs')", "Grip")):
        root = tmp_path / made_by
        (root / "legacy").mkdir(parents=True)
        (root / "legacy" / "pyproject.toml").write_text(
            f'[tool.migrate]\nlegacy-app = "{stated}"\n')
        with converted_snippet(root, "gripish", GRIPISH, f"{made_by.lower()}_fastapi") as (
                result, out, _legacy):
            assert result.to_json()["legacy_app_unloadable"] is None
            assert "scan.stated_app" in {d.code for d in result.scan.diagnostics}
            module, _, call = stated.partition(":")
            assert f"    from {module} import {made_by}\n\n    return {call}\n" in (
                out / "main.py").read_text()
            import gripish.app
            from gripish.api import create_app as make_grip

            main = importlib.import_module(f"{made_by.lower()}_fastapi.main")
            assert isinstance(main.load_legacy_app(), gripish.app.Grip)
            with TestClient(main.app, base_url="http://localhost") as client:
                assert_answered_alike(make_grip("docs", title="Docs").test_client(), client, (
                    ("GET", "/title"), ("POST", "/title"), ("GET", "/nothing")))
                assert client.get("/title").json() == {"title": "Docs"}


def test_a_view_defined_in_a_class_body_says_how_flask_calls_it(tmp_path: Path) -> None:
    """grip's views are methods its `__init__` registers bound (`self._render_page`): the reason
    said Flask calls them "as a plain function", which is what it does with a function
    decorated in a class body, not with these."""
    root = write_tree(tmp_path / "bound", {"bound_app.py": '''
from flask import Flask

app = Flask(__name__)


class Pages:
    @app.get("/plain")
    def plain():
        return "plain"


class Grip(Flask):
    def __init__(self):
        super().__init__(__name__)
        self.add_url_rule("/", "render", self._render_page)

    def _render_page(self):
        return "page"
'''})
    reasons = {route.endpoint: route.reasons[0] for route in scan_path(root).routes}
    assert reasons == {
        "plain": "scan.class_body_view: Pages.plain is defined in the body of class Pages; "
                 "Flask calls it as a plain function, which a router cannot import",
        "render": "scan.class_body_view: Grip._render_page is defined in the body of class Grip; "
                  "Flask calls it as a method of an instance of Grip, which a router cannot "
                  "import"}
