"""Flask-RESTful and Flask-RESTX resources: the scan's rules, methods and endpoints equal the
runtime url_map. Both packages are installed from PyPI into an isolated folder during the run.

RESTX also registers routes of its own while the app runs (the Swagger UI, `swagger.json`, its
static files): they are not in the app's source, no static scan can see them, and they are told
apart by the module of their view function — only routes whose view comes from the app's own
module are compared, and the test checks that RESTX's own exist and are few.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from migrator.scan import scan_path
from tests.runtime_urlmap import runtime_routes
from tests.scan_support import (
    describe_difference,
    listed_rules,
    scanned_keys,
    served_rules,
    write_tree,
)

RESTFUL_APP = """
    from flask import Blueprint, Flask
    from flask_restful import Api, Resource

    class Todo(Resource):
        def get(self, todo_id):
            return {}

        def put(self, todo_id):
            return {}

    class TodoList(Resource):
        def get(self):
            return []

        def post(self):
            return {}, 201

    class Health(Resource):
        methods = ["GET"]

        def get(self):
            return "ok"

    app = Flask(__name__)
    api = Api(app)
    api.add_resource(TodoList, "/todos")
    api.add_resource(Todo, "/todos/<int:todo_id>", endpoint="todo_ep")

    bp = Blueprint("v2", __name__, url_prefix="/v2")
    api_v2 = Api(bp, prefix="/api")
    api_v2.add_resource(TodoList, "/list", "/all")
    api_v2.add_resource(Health, "/health")
    app.register_blueprint(bp)
"""

RESTX_APP = """
    from flask import Flask
    from flask_restx import Api, Namespace, Resource

    app = Flask(__name__)
    api = Api(app, doc="/docs")
    cats = Namespace("cats", path="/cats")

    @cats.route("/<int:cat_id>")
    class Cat(Resource):
        def get(self, cat_id):
            return {}

        def delete(self, cat_id):
            return "", 204

    @cats.route("/")
    class CatList(Resource):
        def get(self):
            return []

    @api.route("/hello")
    class HelloWorld(Resource):
        def get(self):
            return {"hello": "world"}

    api.add_namespace(cats)
"""


@pytest.fixture(scope="module")
def rest_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("rest-site")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "--target", str(site), "flask-restful==0.3.10", "flask-restx==1.3.2"],
        capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, f"installing from PyPI failed (network?):\n{done.stderr[-2000:]}"
    return site


@pytest.mark.parametrize("name, source", [("restful_app", RESTFUL_APP),
                                          ("restx_app", RESTX_APP)])
def test_resources_match_runtime(name, source, rest_site, tmp_path):
    root = write_tree(tmp_path / "src", {f"{name}.py": source})
    runtime = runtime_routes(f"{name}:app", pythonpath=[root, rest_site])
    own = {r.key for r in runtime if r.view_module == name}
    third_party = [r for r in runtime if r.view_module != name]
    if name == "restx_app":
        assert third_party and len(third_party) <= 6, third_party
        assert all((r.view_module or "").startswith("flask_restx") or r.view_module is None
                   or r.blueprint == "restx_doc" for r in third_party), third_party
    else:
        assert not third_party, third_party
    scanned = scanned_keys(root)
    assert scanned == own, describe_difference(scanned, own)


def test_an_unregistered_blueprint_counts_the_resources_of_its_api(tmp_path):
    """lemur's blueprints hold nothing but Flask-RESTful resources (`api = Api(mod)`): the
    warning for one the scan never sees registered said "its 0 route(s)"."""
    from migrator.scan import scan_path

    root = write_tree(tmp_path, {"views.py": '''
from flask import Blueprint
from flask_restful import Api, Resource

mod = Blueprint("api_keys", __name__)
api = Api(mod)


class ApiKeys(Resource):
    def get(self):
        return []


api.add_resource(ApiKeys, "/keys", "/keys/all", endpoint="api_keys")
'''})
    [diagnostic] = scan_path(root).diagnostics
    assert (diagnostic.code, diagnostic.line) == ("scan.blueprint_not_registered", 4)
    assert diagnostic.message.endswith("its 2 route(s) are not listed")


SPREAD_ROUTES = {
    "routes.py": '''
from flask_restful import Resource


class Sketches(Resource):
    def get(self):
        return []


class Sketch(Resource):
    def get(self, sketch_id):
        return {"id": sketch_id}


API_ROUTES = [
    (Sketches, "/sketches/"),
    (Sketch, "/sketches/<int:sketch_id>/"),
]
NAMED_ROUTES = [
    (Sketches, "/all/", "all_sketches"),
    (Sketch, "/one/<int:sketch_id>", "one_sketch"),
]
''',
    "__init__.py": '''
from flask import Flask
from flask_restful import Api

from .routes import API_ROUTES as V1_API_ROUTES
from .routes import NAMED_ROUTES


def create_app():
    app = Flask(__name__)
    api_v1 = Api(app, prefix="/api/v1")
    for route in V1_API_ROUTES:
        api_v1.add_resource(*route)
    for resource, url, endpoint in NAMED_ROUTES:
        api_v1.add_resource(resource, url, endpoint=endpoint)
    return app


def unread(api, routes):
    api.add_resource(*routes[0])
''',
}


def test_resources_spread_from_a_list_another_module_binds_are_listed(tmp_path):
    """timesketch adds its API with `for route in API_ROUTES: api_v1.add_resource(*route)`,
    `API_ROUTES` a list of `(Resource, url)` tuples in another module: the scan listed none of
    them, and said nothing. A loop over such a list with a tuple target listed the rules, but
    with the endpoint `<unknown>` and no view (the class was looked up in the wrong module), as
    `assisted`."""
    from migrator.scan import scan_path
    from tests.example_support import converted_snippet

    with converted_snippet(tmp_path, "spread_app", SPREAD_ROUTES, "spread_fastapi") as (
            result, _, _):
        from spread_app import create_app

        legacy_app = create_app()
        flask_rules = served_rules(legacy_app)
        assert listed_rules(result.scan.routes) == flask_rules == {
            ("/api/v1/sketches/", "sketches"), ("/api/v1/sketches/<int:sketch_id>/", "sketch"),
            ("/api/v1/all/", "all_sketches"), ("/api/v1/one/<int:sketch_id>", "one_sketch")}
        assert {(r.function, r.view_module) for r in result.scan.routes} == {
            ("Sketches", "spread_app.routes"), ("Sketch", "spread_app.routes")}
        assert len(result.converted) == 4
    root = write_tree(tmp_path / "unread", {
        "__init__.py": SPREAD_ROUTES["__init__.py"].replace(
            "    return app\n", "    unread(api_v1, V1_API_ROUTES)\n    return app\n"),
        "routes.py": SPREAD_ROUTES["routes.py"]})
    [unread] = scan_path(root).diagnostics
    assert (unread.code, unread.line) == ("scan.unresolved_rule", 20)
    assert unread.message.startswith("cannot tell what `api.add_resource(*routes[0])` passes")


CLASS_DECORATOR_REGISTERS = {
    "api.py": '''
from flask import Blueprint
from flask_restful import Api, Resource

api_bp = Blueprint("api", __name__, url_prefix="/api")
api_rest = Api(api_bp)


class BaseResource(Resource):
    endpoints = []


def rest_resource(resource_cls):
    """Decorator for adding resources to Api App"""
    api_rest.add_resource(resource_cls, *resource_cls.endpoints)
''',
    "health.py": '''
from .api import BaseResource, rest_resource


@rest_resource
class Liveness(BaseResource):
    endpoints = ["/healthz/liveness", "/alive"]

    def get(self):
        return {"message": "i am alive"}


@rest_resource
class Readiness(BaseResource):
    endpoints = ["/healthz/readyness"]

    def get(self):
        return {"message": "ready"}
''',
    "__init__.py": '''
from flask import Flask

from . import health  # noqa: F401 (its resources register themselves)
from .api import api_bp

app = Flask(__name__)
app.register_blueprint(api_bp)
''',
}


def test_resources_a_class_decorator_adds_are_listed(tmp_path):
    """specter registers its REST resources with a class decorator of its own,
    `@rest_resource`, whose body is `api_rest.add_resource(resource_cls,
    *resource_cls.endpoints)`: the scan listed none of them, and said nothing. A project
    function used as a class decorator is a call of it with the class, and a `*` argument
    naming a list (here a class attribute) spreads its items. The routes stay on Flask."""
    from tests.example_support import converted_snippet

    with converted_snippet(tmp_path, "decorated_app", CLASS_DECORATOR_REGISTERS,
                           "decorated_fastapi") as (result, _, _):
        from decorated_app import app

        flask_rules = served_rules(app)
        assert listed_rules(result.scan.routes) == flask_rules == {
            ("/api/healthz/liveness", "api.liveness"), ("/api/alive", "api.liveness"),
            ("/api/healthz/readyness", "api.readiness")}
        assert result.scan.diagnostics == []
        # `rest_resource` returns None: the module's `Liveness` is None, so nothing may import
        # the class by its name; the decorator is not read, and the routes stay on Flask
        assert not result.converted
        assert {route.reasons[0] for route in result.scan.routes} == {
            f"decorator:<rest_resource on the class {name}>: the scan does not read what it "
            "does; its effect cannot be shown, so the route stays on Flask"
            for name in ("Liveness", "Readiness")}


def test_an_unregistered_blueprint_whose_api_gets_resources_the_scan_cannot_see(tmp_path):
    """keystone adds every resource through `self.api`, a property over the `self.__api` made
    beside the blueprint: the warning said "its 0 route(s) are not listed" for 122 rules."""
    from migrator.scan import scan_path

    root = write_tree(tmp_path, {"common.py": '''
import flask
import flask_restful


class APIBase:
    resources = []

    def __init__(self):
        self.__blueprint = flask.Blueprint("users", __name__)
        self.__api = flask_restful.Api(app=self.__blueprint)
        for resource in self.resources:
            self.api.add_resource(resource, resource.url)

    @property
    def api(self):
        return self.__api
'''})
    [diagnostic] = [d for d in scan_path(root).diagnostics
                    if d.code == "scan.blueprint_not_registered"]
    assert diagnostic.line == 9
    assert diagnostic.message.endswith(
        "; the routes its Api `self.__api` get are not listed (the scan sees no resource added)")
    assert "0 route(s)" not in diagnostic.message


def test_a_blueprint_registered_through_its_api_s_attribute(tmp_path):
    """cellxgene registers `app.register_blueprint(resources.blueprint)`, the blueprint its
    Flask-RESTful Api was made on: the scan could not tell which blueprint that is, and listed
    none of its 11 resources. An Api made on an app has no blueprint (None in Flask-RESTful and
    RESTX): nothing is registered through it."""
    from migrator.scan import scan_path

    root = write_tree(tmp_path, {"app.py": '''
from flask import Blueprint, Flask
from flask_restful import Api, Resource
from flask_restx import Api as RestxApi, Resource as RestxResource


class Hello(Resource):
    def get(self):
        return {"hello": "world"}


class Ping(RestxResource):
    def get(self):
        return {"ping": True}


def get_resources(bp):
    api = Api(bp)
    api.add_resource(Hello, "/hello")
    return api


bp = Blueprint("api", __name__, url_prefix="/api")
resources = get_resources(bp)
restx_bp = Blueprint("restx", __name__, url_prefix="/x")
restx = RestxApi(restx_bp, doc=False)
restx.add_resource(Ping, "/ping")
app = Flask(__name__)
app.register_blueprint(resources.blueprint)
app.register_blueprint(restx.blueprint)
on_app = Api(app)
app.register_blueprint(on_app.blueprint)
'''})
    result = scan_path(root)
    assert {(route.rule, route.endpoint) for route in result.routes} == {
        ("/api/hello", "api.hello"), ("/x/ping", "restx.ping")}
    assert [(d.code, d.line) for d in result.diagnostics
            if d.code.startswith("scan.unresolved") or "not_registered" in d.code] == [
        ("scan.unresolved_blueprint", 31)]


def test_resources_an_api_subclass_adds_to_itself_are_named_as_not_listed(tmp_path):
    """AiiDA's `AiidaApi.__init__` adds every resource of its REST API to `self`: the scan does
    not follow the objects made with the class into its methods, and said nothing (0 routes,
    `migrate convert`: "no Flask app with routes found"). Each such call is now a
    `scan.unresolved_app` warning, as a rule added to another object it cannot name is."""
    (tmp_path / "app.py").write_text('''
from flask import Flask
from flask_restful import Api, Resource


class Server(Resource):
    def get(self):
        return {"ok": True}


class ServerApi(Api):
    def __init__(self, app=None, **kwargs):
        super().__init__(app=app, prefix="/api/v4")
        self.add_resource(Server, "/server/", endpoint="server")


class Helper:
    def add_resource(self, *args):
        return args

    def setup(self):
        self.add_resource(Server, "/not/a/rule")  # no Api: nothing to say


app = Flask(__name__)
api = ServerApi(app)
''')
    scan = scan_path(tmp_path)
    assert scan.routes == []
    [warning] = scan.diagnostics
    assert (warning.code, warning.file, warning.line, warning.severity) == (
        "scan.unresolved_app", "app.py", 14, "warning")
    assert warning.message.startswith(
        'cannot tell which app, blueprint or Api `self.add_resource(Server, "/server/", '
        'endpoint="server")` adds a rule to (an object made at run time, `self` in a subclass of '
        "Flask or of an Api,")
