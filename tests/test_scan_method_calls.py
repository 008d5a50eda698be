"""Apps built by the methods of a class, and parameters that hide module-level names.

- pyload-ng builds its app in `App.__new__` and registers blueprints in classmethods it calls
  as `cls._configure_blueprints(app, path_prefix)`, looping over `cls.FLASK_BLUEPRINTS`, a
  class attribute holding a list imported from another module. The scan listed none of its 56
  routes: it did not follow calls through `self` / `cls` (nor `extension.init_app(app)` on an
  instance of a project class), did not read `cls.NAME`, and read the items of a list
  imported from another module in the wrong module.
- A function's parameter was looked up as the module-level name it shadows: `def
  add_admin(app): app.register_blueprint(admin)`, called with another app, listed the admin
  routes on the module's `app`, which Flask never gives them.
- `def create_app(app: Flask = app)` (mlflow's auth app): the parameter's default is the app.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, write_files
from tests.scan_support import listed_rules, served_rules

BUILDER = {
    "blueprints.py": '''
from .views import admin_bp, pages_bp

BLUEPRINTS = [pages_bp]
EXTRA = [admin_bp]
''',
    "views.py": '''
from flask import Blueprint

pages_bp = Blueprint("pages", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")
tools_bp = Blueprint("tools", __name__, url_prefix="/tools")
help_bp = Blueprint("help", __name__, url_prefix="/help")
ext_bp = Blueprint("ext", __name__, url_prefix="/ext")


@ext_bp.get("/status")
def ext_status():
    return {"bp": "ext"}


@pages_bp.get("/page")
def page():
    return {"bp": "pages"}


@admin_bp.get("/panel")
def panel():
    return {"bp": "admin"}


@tools_bp.get("/list")
def tools():
    return {"bp": "tools"}


@help_bp.get("/")
def help_index():
    return {"bp": "help"}
''',
    "__init__.py": '''
import flask

from .blueprints import BLUEPRINTS, EXTRA
from .views import ext_bp, help_bp, tools_bp


class Extension:
    def init_app(self, app):
        app.register_blueprint(ext_bp)


extension = Extension()


class Installer:
    def install(self, app):
        app.register_blueprint(help_bp)


class App:
    FLASK_BLUEPRINTS = BLUEPRINTS

    @classmethod
    def _configure_blueprints(cls, app, path_prefix):
        for blueprint in cls.FLASK_BLUEPRINTS:
            app.register_blueprint(blueprint, url_prefix=path_prefix)
        for blueprint in EXTRA:
            app.register_blueprint(blueprint)

    @staticmethod
    def _configure_tools(app):
        app.register_blueprint(tools_bp)

    def _configure_health(self, app):
        @app.get("/health")
        def health():
            return {"ok": True}

    def __new__(cls):
        app = flask.Flask(__name__)
        cls._configure_blueprints(app, "/ui")
        cls._configure_tools(app)
        Installer.install(None, app)
        extension.init_app(app)
        return app

    def __init__(self, *args, **kwargs):
        raise AssertionError("__new__ returns a Flask app: Python never calls App.__init__")


class Instrumented:
    """An object that sets up an app it is given, through its own methods."""

    def __init__(self, app):
        self.setup(app)

    def setup(self, app):
        self.add_health(app)

    def add_health(self, app):
        @app.get("/ready")
        def ready():
            return {"ready": True}


app = App()
Instrumented(app)
''',
}


def test_apps_built_and_set_up_by_methods_are_listed_as_flask_builds_them(tmp_path):
    with converted_snippet(tmp_path, "methods_app", BUILDER, "methods_fastapi") as (
            result, _, _):
        scan = result.scan
        from methods_app import app as legacy_app

        flask_rules = served_rules(legacy_app)
        assert listed_rules(scan.routes) == flask_rules == {
            ("/ui/page", "pages.page"), ("/admin/panel", "admin.panel"),
            ("/tools/list", "tools.tools"), ("/help/", "help.help_index"),
            ("/ext/status", "ext.ext_status"), ("/ready", "ready")}
        assert scan.diagnostics == []
        [app] = scan.apps
        # `app = App()`: the instance the package loads; `App(...)` passes `cls` itself
        assert (app.factory, app.factory_requires, app.instances) == (
            "App.__new__", [], ["methods_app:app"])
        assert {view.route.endpoint for view in result.converted} >= {
            "pages.page", "admin.panel", "tools.tools"}

        from methods_fastapi.main import app as fastapi_app

        flask_client = legacy_app.test_client()
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            for rule, _ in sorted(flask_rules):
                old, new = flask_client.get(rule), client.get(rule)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), rule
                assert old.status_code == 200


def test_a_parameter_is_not_the_module_level_name_it_shadows(tmp_path):
    """`add_admin(other)` registers the admin blueprint on `other`, not on the module's `app`
    (the scan listed `/admin/panel` on `app`); `create_app(app=app)` called bare uses its
    default; nothing passes `configure`'s `app` (flaskbb's plugin hooks: `def
    flaskbb_load_blueprints(app)`), so what it registers is not listed, and the diagnostic says
    where it is registered."""
    write_files(tmp_path / "shadow", {"__init__.py": '''
from flask import Blueprint, Flask

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")
extra_bp = Blueprint("extra", __name__, url_prefix="/extra")
unused_bp = Blueprint("unused", __name__, url_prefix="/unused")


@admin_bp.get("/panel")
def panel():
    return "admin"


@extra_bp.get("/x")
def extra():
    return "extra"


@unused_bp.get("/x")
def unused():
    return "unused"


app = Flask(__name__)
other = Flask("other")


def add_admin(app):
    app.register_blueprint(admin_bp)


def create_app(app: Flask = app):
    app.register_blueprint(extra_bp)
    return app


def configure(app):
    app.register_blueprint(unused_bp)


add_admin(other)
create_app()
'''})
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        import shadow
        runtime = {(rule.rule, rule.endpoint, app_name)
                   for app_name, flask_app in (("app", shadow.app), ("other", shadow.other))
                   for rule in flask_app.url_map.iter_rules() if rule.endpoint != "static"}
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("shadow", None)
    scan = scan_path(tmp_path)
    assert {(r.rule, r.endpoint, r.app.rpartition(".")[2].rpartition(":")[2])
            for r in scan.routes} == runtime == {
        ("/admin/panel", "admin.panel", "other"), ("/extra/x", "extra.extra", "app")}
    [diagnostic] = scan.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.message) == (
        "scan.blueprint_not_registered", 6,
        ("blueprint 'unused' (`unused_bp`) is registered only on `app`, a parameter of "
         "`configure` (shadow/__init__.py:38), for which no call the scan can see passes an app "
         "(a plugin hook, or a caller outside the scanned code); its 1 route(s) are not listed"))


def test_a_method_a_subclass_overrides_is_not_guessed(tmp_path):
    """`self.register(app)` in `Base.setup` runs `Child.register` for a `Child`: the scan does
    not take `Base.register` for it (which would list `/a/x`, a route Flask never has)."""
    write_files(tmp_path / "override", {"__init__.py": '''
from flask import Blueprint, Flask

a_bp = Blueprint("a", __name__, url_prefix="/a")
b_bp = Blueprint("b", __name__, url_prefix="/b")


@a_bp.get("/x")
def ax():
    return "a"


@b_bp.get("/x")
def bx():
    return "b"


class Base:
    def setup(self, app):
        self.register(app)

    def register(self, app):
        app.register_blueprint(a_bp)


class Child(Base):
    def register(self, app):
        app.register_blueprint(b_bp)


app = Flask(__name__)
Child().setup(app)
'''})
    scan = scan_path(tmp_path)
    assert ("/a/x", "a.ax") not in listed_rules(scan.routes)
    assert sorted((d.code, d.line) for d in scan.diagnostics) == [
        ("scan.blueprint_not_registered", 4), ("scan.blueprint_not_registered", 5)]


def test_a_streamed_answer_made_by_a_method_of_a_project_class_is_seen(tmp_path):
    """`Response(answer.stream())` where `answer = Answer(...)` on every path and
    `Answer.stream` is a generator (mindsdb's `result.stream_http_response_sse(...)`): the
    route streams, so it stays on Flask. Where `answer` is another class's object on another
    path, the scan cannot tell which `stream` runs and, as before, says nothing of streaming
    (a limit of the scan, named in the session note)."""
    write_files(tmp_path, {"streams.py": '''
from flask import Flask, Response, request

app = Flask(__name__)


class Answer:
    def __init__(self, rows):
        self.rows = rows

    def stream(self):
        for row in self.rows:
            yield f"{row}\\n"


class Cached:
    def stream(self):
        return "cached\\n"


@app.get("/rows")
def rows():
    if request.args.get("empty"):
        answer = Answer([])
    else:
        answer = Answer([1, 2])
    return Response(answer.stream(), mimetype="text/plain")


@app.get("/maybe")
def maybe():
    if request.args.get("cached"):
        answer = Cached()
    else:
        answer = Answer([1])
    return Response(answer.stream(), mimetype="text/plain")
'''})
    scan = scan_path(tmp_path)
    streamed = {r.endpoint: any(reason.startswith("stream:") for reason in r.reasons)
                for r in scan.routes}
    assert streamed == {"rows": True, "maybe": False}


SERVER_CLASS = {
    "globals.py": '''
RESOURCES = ["rule", "user"]
''',
    "resource/__init__.py": "",
    "resource/rule.py": '''
from flask_restful import Resource


class Rules(Resource):
    def get(self):
        return {"rules": []}


def setup(api, api_base):
    api.add_resource(Rules, api_base + "/rule", endpoint="rule_without_id")
''',
    "resource/user.py": '''
from flask_restful import Resource


class User(Resource):
    def get(self, id):
        return {"user": id}


def setup(api, api_base):
    api.add_resource(User, api_base + "/user/<int:id>", endpoint="user_with_id")
''',
    "__init__.py": '''
import importlib

from flask import Flask
from flask_restful import Api

from .globals import RESOURCES


class ServerApp:
    """vantage6-server's shape: the app and its Api are attributes set in `__init__`."""

    def __init__(self, api_path="/api"):
        self.app = Flask(__name__)
        self.api = Api(self.app)
        self.api_path = api_path
        self.configure_flask()
        self.load_resources()

    def configure_flask(self):
        @self.app.route("/robots.txt")
        def robots():
            return "User-agent: *"

    def load_resources(self):
        for res in RESOURCES:
            module = importlib.import_module("server_app.resource." + res)
            module.setup(self.api, "/api")


class Sometimes:
    """`self.app` is set on one path only: which object the method sees is not guessed."""

    def __init__(self, debug):
        if debug:
            self.app = Flask("debug")
        self.add_routes()

    def add_routes(self):
        self.app.add_url_rule("/debug", "debug", lambda: "debug")
''',
}


def test_an_app_kept_as_an_instance_attribute_is_followed_through_self(tmp_path):
    """vantage6-server keeps its app and Flask-RESTful Api as `self.app` / `self.api`, set in
    `ServerApp.__init__`; its other methods add routes through them. The scan listed none of
    its routes, and said nothing."""
    with converted_snippet(tmp_path, "server_app", SERVER_CLASS, "server_fastapi") as (
            result, _, _):
        scan = result.scan
        from server_app import ServerApp

        legacy_app = ServerApp().app
        flask_rules = served_rules(legacy_app)
        assert listed_rules(scan.routes) == flask_rules == {
            ("/robots.txt", "robots"), ("/api/rule", "rule_without_id"),
            ("/api/user/<int:id>", "user_with_id")}
        assert [(app.key, app.factory) for app in scan.apps] == [
            ("server_app:ServerApp.__init__.self.app", "ServerApp.__init__"),
            ("server_app:Sometimes.__init__.self.app", "Sometimes.__init__")]
        [unresolved] = scan.diagnostics
        assert (unresolved.code, unresolved.line) == ("scan.unresolved_app", 40)
        assert {view.route.endpoint for view in result.converted} == {
            "robots", "rule_without_id", "user_with_id"}


def test_an_attribute_a_subclass_sets_is_not_guessed(tmp_path):
    """`self.app` in `Base.add_routes` is the Child's app on a Child: a subclass that sets the
    attribute itself leaves it unknown, with a warning, rather than giving its routes to the
    base class's app only. Nor is an attribute only a base class sets read in a subclass's
    method: each subclass's objects make their own app (Flask-Blogging's test cases, each
    adding routes in its own `setUp`), which one app in the scan would merge."""
    write_files(tmp_path, {"__init__.py": '''
from flask import Flask


class Base:
    def __init__(self):
        self.app = Flask("base")
        self.add_routes()

    def add_routes(self):
        self.app.add_url_rule("/shared", "shared", lambda: "shared")


class Child(Base):
    def __init__(self):
        self.app = Flask("child")
        self.add_routes()


class Suite:
    def setUp(self):
        self.app = Flask("suite")


class ViewsSuite(Suite):
    def setUp(self):
        super().setUp()
        self.app.add_url_rule("/views", "views", lambda: "views")
'''})
    scan = scan_path(tmp_path)
    assert scan.routes == []
    assert [(d.code, d.line) for d in scan.diagnostics] == [
        ("scan.unresolved_app", 11), ("scan.unresolved_app", 28)]
