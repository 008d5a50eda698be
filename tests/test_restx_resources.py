"""Flask-RESTX resources convert (FM027), with RESTX's payload validation where its dispatch runs it.

Every RESTX resource stayed on Flask ("Flask-RESTX resources need a person"). RESTX registers a
resource as Flask-RESTful does, `Api.output(Resource.as_view(endpoint, api, ...))` with the
Namespace's and the Api's `decorators` around it, and its resource's dispatch applies the
`method_decorators`; but between those and the method it validates the JSON body against the
models the method's documentation expects (`@ns.expect(model, validate=True)`, or the Api's
`validate=True`), answering RESTX's 400. A converted method skipping that would accept bodies
Flask refuses. It now gets `@restx_payload(endpoint)` there, and its RESTX decorators stay on it
(FM029): `@ns.marshal_with` marshals its answer as in Flask, `@ns.doc`/`@ns.expect`/
`@ns.response`/`@ns.param` only document (on the class too). The answers are the legacy Api's.

Left on Flask: a decorator of unknown effect written on the resource class (it may change or
replace the class, which convert reads from its body), and a resource whose Api's or Namespace's
`decorators` list is changed after it is made (`api.decorators.append(...)`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings
from tests.scan_support import write_tree

LEGACY = '''
import functools

from flask import Flask, request
from flask_restx import Api, Namespace, Resource, abort, fields

app = Flask(__name__)
api = Api(app, version="1.0", title="Todos", doc="/docs", validate=False)  # FastAPI's path
todos = Namespace("todos", description="the todos")
keys = Namespace("keys", validate=True)  # every expected model of its methods is checked

todo = api.model("Todo", {
    "id": fields.Integer(readonly=True),
    "task": fields.String(required=True, min_length=1),
    "done": fields.Boolean(default=False),
})

TODOS = {1: {"id": 1, "task": "write", "done": False}}


def require_key(method):
    """A method decorator (`method_decorators`): the check runs after RESTX's validation."""
    @functools.wraps(method)
    def check(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401, "no key")
        return method(*args, **kwargs)
    return check


@todos.route("/")
class TodoList(Resource):
    """The todos, and a new one."""

    @todos.doc("list_todos")
    @todos.marshal_list_with(todo)
    def get(self):
        return list(TODOS.values())

    @todos.doc("create_todo")
    @todos.expect(todo, validate=True)
    @todos.marshal_with(todo, code=201)
    def post(self):
        # not stored: each client starts from the same todos
        return {"id": max(TODOS) + 1, **api.payload, "secret": "dropped by the model"}, 201


@todos.route("/<int:todo_id>")
@todos.response(404, "Todo not found")
@todos.param("todo_id", "The task identifier")
class Todo(Resource):
    method_decorators = [require_key]

    @todos.marshal_with(todo)
    def get(self, todo_id):
        if todo_id not in TODOS:
            todos.abort(404, f"Todo {todo_id} doesn't exist")
        return TODOS[todo_id]

    @todos.expect(todo)  # the Api says validate=False: documented, not checked
    def put(self, todo_id):
        return {"replaced": todo_id, "with": api.payload}

    @todos.response(204, "Todo deleted")
    def delete(self, todo_id):
        return "", 204


@keys.route("/<string:name>")
class Key(Resource):
    method_decorators = [require_key]

    @keys.expect(todo)  # checked: the Namespace says validate=True, before require_key runs
    def post(self, name):
        return {"name": name, "api": self.api.title}  # the instance has its Api


api.add_namespace(todos)
api.add_namespace(keys)
'''

KEY = {"X-Key": "k"}
CASES: list[tuple[str, str, dict[str, str], Any]] = [
    ("GET", "/todos/", {}, None),
    ("POST", "/todos/", {}, {"task": "read"}),
    ("POST", "/todos/", {}, {"task": ""}),  # RESTX's 400: too short
    ("POST", "/todos/", {}, {"done": True}),  # RESTX's 400: task is required
    ("POST", "/todos/", {}, [1, 2]),
    ("POST", "/todos/", {}, None),  # Flask's 415, through the Api's error handling
    ("GET", "/todos/1", {}, None),  # 401 from the method decorator
    ("GET", "/todos/1", KEY, None),
    ("GET", "/todos/7", KEY, None),  # RESTX's abort, its 404 message
    ("PUT", "/todos/1", KEY, {"task": ""}),  # not validated: the Api says validate=False
    ("DELETE", "/todos/1", KEY, None),
    ("HEAD", "/todos/1", KEY, None),
    ("OPTIONS", "/todos/1", {}, None),
    ("POST", "/keys/a", {}, {"task": ""}),  # 400 before the key is checked, as in RESTX
    ("POST", "/keys/a", {}, {"task": "x"}),  # 401
    ("POST", "/keys/a", KEY, {"task": "x"}),
    ("GET", "/swagger.json", {}, None),  # RESTX's own, still Flask's
    ("GET", "/docs", {}, None),  # RESTX's Swagger UI: FastAPI's pages moved under /fastapi
]


def test_restx_resources_are_scanned_as_convertible(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path, {"restx_app/__init__.py": LEGACY}))
    routes = {route.rule: route for route in result.routes}
    assert sorted(routes) == ["/keys/<string:name>", "/todos/", "/todos/<int:todo_id>"]
    assert {route.status for route in routes.values()} == {"assisted"}
    todo_list = routes["/todos/"]
    assert (todo_list.endpoint, todo_list.resource_api) == ("todos_todo_list", "flask_restx.Api")
    assert "resource: FM027: becomes one endpoint per HTTP method, answered through the legacy " \
        "Api's own output (its representations, its error handling); Flask-RESTX's payload " \
        "validation runs before the method, as in its dispatch" in todo_list.reasons
    assert "FM029 decorator:marshal_with (flask-restx): stays on the view, inside the bridge: " \
        "it marshals the method's answer with the model, and the legacy Api makes the response " \
        "of that" in todo_list.reasons
    # `@todos.response(404, ...)` and `@todos.param(...)` on the class only document it
    assert not [reason for reason in routes["/todos/<int:todo_id>"].reasons
                if "on the class" in reason]


def test_restx_resources_answer_as_their_originals(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "restx_app", LEGACY, "restx_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.endpoint for view in result.converted) == [
            "keys_key", "todos_todo", "todos_todo", "todos_todo", "todos_todo_list",
            "todos_todo_list"]
        assert result.left == []
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert (
            '@restful_output("keys_key")  # FM027: the legacy Api makes the answer\n'
            '@restx_payload("keys_key")  # Flask-RESTX\'s dispatch: the payload is validated '
            'before the method\n'
            '# FM020: @require_key stays a decorator, inside the one above it (Flask\'s order '
            'of effects)\n'
            '@require_key\n') in router
        assert 'self = view_instance("keys_key")  # the instance Flask dispatches to' in router
        assert new_lint_findings(out, legacy.parent, "restx_app") == []

        import restx_app
        from restx_fastapi.main import create_app

        flask_client = restx_app.app.test_client()
        new_app = create_app(restx_app.app)
        assert new_app.state.legacy_views_changed == {}
        mounted = paths_the_legacy_mount_serves(monkeypatch, "restx_fastapi")
        statuses = []
        with TestClient(new_app) as client:
            for method, path, headers, body in CASES:
                legacy_answer = flask_client.open(path, method=method, headers=headers, json=body)
                new = client.request(method, path, headers=headers, json=body)
                assert (new.status_code, new.content, new.headers.get("content-type"),
                        new.headers.get("allow")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("content-type"),
                    legacy_answer.headers.get("allow")), (method, path, headers, body)
                statuses.append(new.status_code)
            assert client.get("/fastapi/openapi.json").json()["paths"]["/todos/"]
        assert statuses == [200, 201, 400, 400, 400, 415, 401, 200, 404, 200, 204, 200, 200, 400,
                            401, 200, 200, 200]
        assert mounted == ["/swagger.json", "/docs"]  # every resource request: a converted route


UNKNOWN_CHANGES = '''
from flask import Flask
from flask_restx import Api, Namespace, Resource

from .registry import register

app = Flask(__name__)
api = Api(app)
ns = Namespace("things")
api.add_namespace(ns)


@ns.route("/registered")
@register  # may change or replace the class: convert reads the class body
class Registered(Resource):
    def get(self):
        return {}


other = Api(app, prefix="/other")
other.decorators.append(lambda view: view)  # every resource of `other` is wrapped


@other.route("/late")
class Late(Resource):
    def get(self):
        return {}


third = Api(app, prefix="/third")
third.decorators = [lambda view: view]  # set after the Api is made


@third.route("/set")
class Set(Resource):
    def get(self):
        return {}
'''


def test_what_changes_a_resource_outside_its_body_keeps_it_on_flask(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path, {
        "changed/__init__.py": UNKNOWN_CHANGES,
        "changed/registry.py": "def register(cls):\n    return cls\n"}))
    routes = {route.rule: route for route in result.routes}
    assert routes["/things/registered"].status == "manual"
    assert routes["/things/registered"].reasons[0] == (
        "decorator:<register on the class Registered>: the scan does not read what it does; its "
        "effect cannot be shown, so the route stays on Flask")
    assert routes["/other/late"].status == "manual"
    assert (
        "decorator:<other.decorators changed at changed/__init__.py:20>: the scan does not read "
        "what it does; its effect cannot be shown, so the route stays on Flask"
    ) in routes["/other/late"].reasons
    assert routes["/third/set"].status == "manual"
    assert (
        "decorator:<third.decorators changed at changed/__init__.py:30>: the scan does not read "
        "what it does; its effect cannot be shown, so the route stays on Flask"
    ) in routes["/third/set"].reasons


NAMESPACE_DECORATORS = '''
import functools

from flask import Flask, request
from flask_restx import Api, Namespace, Resource, abort


def require_key(view):
    @functools.wraps(view)
    def check(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401, "no key")
        return view(*args, **kwargs)
    return check


def stamped(view):
    @functools.wraps(view)
    def stamp(*args, **kwargs):
        answer = view(*args, **kwargs)
        answer.headers["X-Stamp"] = "yes"
        return answer
    return stamp


app = Flask(__name__)
api = Api(app, decorators=[stamped])  # outside the Namespace's, on every resource's view
ns = Namespace("vault", decorators=[require_key])
api.add_namespace(ns)


@ns.route("/<int:box>")
class Box(Resource):
    def get(self, box):
        return {"box": box}
'''


def test_the_namespace_s_and_the_api_s_decorators_wrap_the_converted_resource(
        tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "vault_app", NAMESPACE_DECORATORS, "vault_fastapi") as (
            result, out, _):
        assert [view.route.endpoint for view in result.converted] == ["vault_box"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        # the Api's decorator outermost; the Namespace's, a guard that only raises, runs first
        assert 'dependencies=[Depends(dependencies.require_key)])\n@bridge.route\n' in router
        assert '@stamped\n@restful_output("vault_box")' in router
        import vault_app
        from vault_fastapi.main import create_app

        flask_client = vault_app.app.test_client()
        with TestClient(create_app(vault_app.app)) as client:
            for headers in ({}, KEY, {"X-Key": "wrong"}):
                legacy = flask_client.get("/vault/3", headers=headers)
                new = client.get("/vault/3", headers=headers)
                assert (new.status_code, new.content, new.headers.get("X-Stamp")) == (
                    legacy.status_code, legacy.data, legacy.headers.get("X-Stamp"))
            assert client.get("/vault/3").status_code == 401
            assert client.get("/vault/3", headers=KEY).headers["X-Stamp"] == "yes"


# mindsdb's shape (mindsdb 26.1 on PyPI: 58 resource classes): the Api is made in a factory that
# returns it with the app, and its namespaces are added in a loop over a list of names; one
# namespace object is added more than once (several modules share it)
FACTORY = {
    "factory_app/__init__.py": '''
from flask import Flask
from flask_restx import Api

from .configs import projects
from .projects import ns_conf as projects_ns
from .models import ns_conf as models_ns
from .tabs import ns_conf as tabs_ns


class SwaggerApi(Api):
    pass


def initialize_flask():
    app = Flask(__name__)
    api = SwaggerApi(app, prefix="/api", doc="/doc/")
    return app, api


def initialize_app():
    app, api = initialize_flask()
    protected = [
        projects_ns,
        tabs_ns,
        models_ns,  # the same Namespace as projects_ns
    ]
    for ns in protected:
        api.add_namespace(ns)
    return app
''',
    "factory_app/configs.py": '''
from flask_restx import Namespace

projects = Namespace("projects")
tabs = Namespace("tabs")
''',
    "factory_app/projects.py": '''
from flask_restx import Resource

from .configs import projects as ns_conf


@ns_conf.route("/<name>")
class Project(Resource):
    def get(self, name):
        return {"name": name}
''',
    "factory_app/models.py": '''
from flask_restx import Resource

from .configs import projects as ns_conf


@ns_conf.route("/<name>/models", "/<name>/models/")
class Models(Resource):
    def get(self, name):
        return []
''',
    "factory_app/tabs.py": '''
from flask_restx import Resource

from .configs import tabs as ns_conf


@ns_conf.route("/")
class Tabs(Resource):
    def get(self):
        return []
''',
}


def test_an_api_a_factory_returns_with_its_app_and_namespaces_added_in_a_loop(
        tmp_path: Path) -> None:
    """The scan saw none of these resources: `app, api = initialize_flask()` bound nothing, and
    a list of names made in a function was not followed. The routes and endpoints are now those
    Flask has, the namespace added twice included (RESTX registers its resources again, under
    `_2` endpoints)."""
    root = write_tree(tmp_path, FACTORY)
    scanned = sorted((route.rule, route.endpoint) for route in scan_path(root).routes)
    sys_path = str(tmp_path)
    import sys
    sys.path.insert(0, sys_path)
    try:
        import factory_app
        app = factory_app.initialize_app()
        flask_rules = sorted((rule.rule, rule.endpoint) for rule in app.url_map.iter_rules()
                             if rule.rule.startswith("/api/") and rule.endpoint not in (
                                 "root", "specs", "doc", "restx_doc.static"))
    finally:
        sys.path.remove(sys_path)
        for name in [n for n in sys.modules if n.split(".")[0] == "factory_app"]:
            del sys.modules[name]
    assert scanned == flask_rules
    assert ("/api/projects/<name>/models/", "projects_models_2") in scanned


REGISTRATION_OPTIONS = {
    "options_app/__init__.py": '''
from flask import Flask
from flask_restful import Api as RestfulApi, Resource as RestfulResource
from flask_restx import Api, Namespace, Resource

app = Flask(__name__)
api = Api(app, doc=False)
auth = Namespace("auth")


# Python applies the lower decorator first: RESTX registers `/callback/home` first, as
# `auth_callback`, and `/callback` as `auth_callback_2`; `methods=` narrows the class's methods
@auth.route("/callback", methods=["GET"])
@auth.route("/callback/home", methods=["GET"], doc={"description": "home"})
class Callback(Resource):
    def get(self):
        return {}

    def post(self):
        return {}


api.add_namespace(auth)

legacy = Flask("legacy")
restful = RestfulApi(legacy)


class Item(RestfulResource):
    def get(self):
        return {}

    def delete(self):
        return {}


restful.add_resource(Item, "/items", methods=["GET"], resource_class_kwargs={})
''',
}


def test_a_resource_s_registration_options_reach_its_rule_as_in_flask(tmp_path: Path) -> None:
    """`methods=` (and the rest `add_url_rule` takes) given to RESTX's `@ns.route(...)` or to
    `add_resource(...)` were dropped: the scan listed POST and DELETE, which Flask answers 405,
    and a converted route would have answered them."""
    root = write_tree(tmp_path, REGISTRATION_OPTIONS)
    scanned = sorted((route.rule, route.endpoint, tuple(route.methods))
                     for route in scan_path(root).routes)
    import sys
    sys.path.insert(0, str(tmp_path))
    try:
        import options_app
        flask_rules = sorted(
            (rule.rule, rule.endpoint, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"})))
            for flask_app in (options_app.app, options_app.legacy)
            for rule in flask_app.url_map.iter_rules()
            # RESTX's own rules, which it adds while the app runs (no scan sees them)
            if rule.endpoint not in ("static", "root", "specs", "doc", "restx_doc.static"))
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.split(".")[0] == "options_app"]:
            del sys.modules[name]
    assert scanned == flask_rules == [
        ("/auth/callback", "auth_callback_2", ("GET",)),
        ("/auth/callback/home", "auth_callback", ("GET",)),
        ("/items", "item", ("GET",)),
    ]


def test_the_restx_readme_s_todo_api_converts(tmp_path: Path, monkeypatch) -> None:
    """Flask-RESTX's own README example, as written there: `ns = api.namespace("todos")`, the
    Api's method that makes a Namespace and adds it. The scan listed none of its resources
    (the namespace was no object it knew)."""
    source = (Path(__file__).parent / "fixtures" / "restx_readme_todo.py").read_text("utf-8")
    with converted_snippet(tmp_path, "restx_todo", source, "restx_todo_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.endpoint for view in result.converted) == [
            "hello", "todos_todo", "todos_todo", "todos_todo", "todos_todo_list",
            "todos_todo_list"]
        assert new_lint_findings(out, legacy.parent, "restx_todo") == []
        import restx_todo
        from restx_todo_fastapi.main import create_app

        flask_client = restx_todo.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "restx_todo_fastapi")
        with TestClient(create_app(restx_todo.app)) as client:
            for method, path, body in [
                ("GET", "/todos/", None), ("POST", "/todos/", {"task": "test"}),
                ("GET", "/todos/1", None), ("GET", "/todos/9", None),
                ("PUT", "/todos/1", {"task": "changed"}), ("DELETE", "/todos/1", None),
                ("GET", "/hello", None), ("GET", "/swagger.json", None),
            ]:
                saved = (restx_todo.DAO.counter, [dict(todo) for todo in restx_todo.DAO.todos])
                legacy_answer = flask_client.open(path, method=method, json=body)
                restx_todo.DAO.counter, restx_todo.DAO.todos = saved[0], saved[1]
                new = client.request(method, path, json=body)
                assert (new.status_code, new.content, new.headers.get("content-type")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("content-type")), (method, path)
            schema = client.get("/fastapi/openapi.json").json()  # RESTX's models (FM033)
        assert mounted == ["/swagger.json"]
        todo = {"required": ["task"], "type": "object", "properties": {
            "id": {"type": "integer", "readOnly": True,
                   "description": "The task unique identifier"},
            "task": {"type": "string", "description": "The task details"}}}
        todos = schema["paths"]["/todos/"]
        assert todos["post"]["requestBody"]["content"]["application/json"]["schema"] == todo
        assert todos["post"]["responses"]["201"]["content"]["application/json"]["schema"] == todo
        assert todos["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
            "type": "array", "items": todo}
        assert "requestBody" not in schema["paths"]["/todos/{id}"]["get"]
