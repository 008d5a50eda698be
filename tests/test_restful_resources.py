"""Flask-RESTful resources convert (FM027), and view classes get the instance Flask dispatches to.

A resource's methods were all left on Flask ("Flask-RESTful/RESTX resources need a person"):
ihatemoney's whole API, changedetection.io's. Flask-RESTful registers
`Api.output(Resource.as_view(endpoint, *resource_class_args, **resource_class_kwargs))`, with
the Api's own `decorators` around it; the resource's dispatch applies its `method_decorators` to
the method. Each method now becomes an endpoint whose answer the very Api the legacy app
registered makes (`restful_output`: `output_json` with `RESTFUL_JSON`, the `Accept` header),
with those decorators where Flask-RESTful puts them. Errors (`flask_restful.abort`,
`reqparse`'s 400) reach the Api's own error handling through the legacy app, as in Flask.

Left on Flask: a resource with its own `representations` (applied inside Flask-RESTful's
dispatch), RESTX resources, and every resource when FM027 is skipped.

A method that uses `self` got `self = Store()`: a class whose `__init__(self, **kwargs)` reads
what `as_view`/`resource_class_kwargs` passes then answered 500 (KeyError), and a class with
`init_every_request = False` got a new instance per request instead of Flask's one. Such a class
now gets `self = view_instance(endpoint)`, made as `View.as_view` makes it. A decorator written on
a method, which Flask calls with the instance first, and which reads it (changedetection.io's
`@auth.check_token` reads `args[0].datastore`), kept the route on Flask; the method now keeps
`self` and `@bound_method(endpoint)` passes that instance (FM025).
"""

from __future__ import annotations

import functools
from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings

LEGACY = '''
import functools

from flask import Blueprint, Flask, jsonify, make_response, request
from flask.views import MethodView
from flask_restful import Api, Resource, abort, reqparse

app = Flask(__name__)
app.config["RESTFUL_JSON"] = {"indent": 1}  # Flask-RESTful's encoding, not Flask's
api = Api(app)

TODOS = {"todo1": {"task": "build an API", "done": False}}

parser = reqparse.RequestParser()
parser.add_argument("task", type=str, required=True, help="the task")


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401, message="a key is needed")
        return view(*args, **kwargs)
    return wrapper


def stamped(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        response.headers["X-Stamp"] = "1"
        return response
    return wrapper


def as_csv(data, code, headers):
    response = make_response(",".join(f"{k}={v}" for k, v in data.items()), code)
    response.headers.extend(headers or {})
    return response


class Todo(Resource):
    def get(self, todo_id):
        # the todo, or Flask-RESTful's 404
        if todo_id not in TODOS:
            abort(404, message=f"Todo {todo_id} doesn't exist")
        return TODOS[todo_id]

    def delete(self, todo_id):
        TODOS.pop(todo_id, None)
        return "", 204

    def put(self, todo_id):
        args = parser.parse_args()
        TODOS[todo_id] = {"task": args["task"], "done": False}
        return TODOS[todo_id], 201, {"X-Created": todo_id}


class TodoList(Resource):
    def get(self):
        return {"todos": TODOS, "count": len(TODOS), "unicode": "\\u00e9"}

    def post(self):
        return jsonify(request.get_json())  # Flask's encoding: the Api passes a response on


class Secret(Resource):
    method_decorators = [require_key]

    def get(self):
        return {"secret": 42}


class Store(Resource):
    def __init__(self, **kwargs):
        self.store = kwargs["store"]

    def get(self, name):
        return {"name": name, "value": self.store.get(name)}


def owner_only(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Owner") != args[0].owner:  # the resource instance
            return {"message": "not yours"}, 403
        return method(*args, **kwargs)
    return wrapper


class Vault(Resource):
    def __init__(self, owner):
        self.owner = owner

    @owner_only
    def get(self, box):
        """A box of the vault."""
        return {"box": box, "owner": self.owner}


class Csv(Resource):
    representations = {"text/csv": as_csv}

    def get(self):
        return {"a": 1}


api.add_resource(Todo, "/todos/<todo_id>")
api.add_resource(TodoList, "/todos")
api.add_resource(Secret, "/secret")
api.add_resource(Store, "/store/<name>", resource_class_kwargs={"store": {"x": 1}})
api.add_resource(Csv, "/csv")
api.add_resource(Vault, "/vault/<box>", resource_class_args=("ann",))

bp = Blueprint("v2", __name__, url_prefix="/v2")
v2 = Api(bp, decorators=[stamped, require_key])  # require_key outermost


class Ping(Resource):
    def get(self):
        return {"pong": True}


v2.add_resource(Ping, "/ping", endpoint="ping")
app.register_blueprint(bp)


class Counter(MethodView):
    init_every_request = False  # as_view makes one instance, for every request

    def __init__(self, model):
        self.model = model
        self.calls = 0

    def get(self, item_id):
        self.calls += 1
        return {"model": self.model, "id": item_id, "calls": self.calls}


class Settings(MethodView):
    def __init__(self, **options):
        self.options = options

    def get(self):
        return self.options


app.add_url_rule("/counter/<int:item_id>", view_func=Counter.as_view("counter", "Item"))
app.add_url_rule("/settings", view_func=Settings.as_view("settings", theme="dark"))
'''

TODO_PUT = '''@router.put("/todos/{todo_id}", name="todo", openapi_extra=reqparse_openapi(parser))
@bridge.route
@restful_output("todo")  # FM027: the legacy Api makes the answer
def todo_put(todo_id: str):
    args = parser.parse_args()
    TODOS[todo_id] = {"task": args["task"], "done": False}
    return TODOS[todo_id], 201, {"X-Created": todo_id}
'''

PING = '''@router.get("/ping", name="v2.ping", dependencies=[Depends(dependencies.require_key)])
@bridge.route
# FM022: @stamped works on the view's response; it runs inside the bridge, as in Flask
@stamped
@restful_output("v2.ping")  # FM027: the legacy Api makes the answer
def ping_get():
    return {"pong": True}
'''

VAULT = '''@router.get("/vault/{box}", name="vault")
@bridge.route
@restful_output("vault")  # FM027: the legacy Api makes the answer
@bound_method("vault")  # `self`: the instance Flask dispatches to, as the decorators below read it
# FM025: @owner_only reads or changes the view's arguments; it runs inside the bridge, around the view, as in Flask
@owner_only
def vault_get(self, box: str):
    """A box of the vault."""
    return {"box": box, "owner": self.owner}
'''

CASES = [  # (method, path, headers, JSON body)
    ("GET", "/todos/todo1", {}, None), ("GET", "/todos/nope", {}, None),
    ("PUT", "/todos/t2", {}, {"task": "write tests"}), ("PUT", "/todos/t3", {}, {}),
    ("GET", "/todos", {}, None), ("GET", "/todos", {"Accept": "text/plain"}, None),
    ("GET", "/todos", {"Accept": "application/xml"}, None),
    ("POST", "/todos", {}, {"b": 1, "a": 2}), ("DELETE", "/todos/t2", {}, None),
    ("PATCH", "/todos/t2", {}, None), ("HEAD", "/todos", {}, None), ("OPTIONS", "/todos", {}, None),
    ("GET", "/secret", {}, None), ("GET", "/secret", {"X-Key": "k"}, None),
    ("GET", "/store/x", {}, None), ("GET", "/store/y", {}, None),
    ("GET", "/csv", {"Accept": "text/csv"}, None), ("GET", "/csv", {"Accept": "*/*"}, None),
    ("GET", "/v2/ping", {}, None), ("GET", "/v2/ping", {"X-Key": "k"}, None),
    ("GET", "/settings", {}, None),
    ("GET", "/vault/gold", {}, None), ("GET", "/vault/gold", {"X-Owner": "ann"}, None),
]
ANSWERED_BY_FLASK = {"/csv", "/todos/t2"}  # Csv stays on Flask; PATCH has no converted route


def _answer(status: int, body: bytes, headers) -> tuple:
    return (status, body, *(headers.get(name) for name in (
        "Content-Type", "X-Stamp", "X-Created", "Allow")))


def test_resources_answer_as_their_flask_restful_originals(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "restful_app", LEGACY, "restful_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.endpoint for view in result.converted) == [
            "counter", "secret", "settings", "store", "todo", "todo", "todo", "todolist",
            "todolist", "v2.ping", "vault"]
        assert [(entry.route.rule, entry.reasons) for entry in result.left] == [
            ("/csv", [("convert.resource_representations: Csv chooses its own representations, "
                      "which Flask-RESTful applies inside the resource's dispatch; the route "
                      "stays on Flask")])]
        app_routes = (out / "routers" / "app_routes.py").read_text()
        assert TODO_PUT in app_routes
        assert PING in (out / "routers" / "v2.py").read_text()
        assert VAULT in app_routes
        assert 'self = view_instance("store")  # the instance Flask dispatches to' in app_routes
        assert new_lint_findings(out, legacy.parent, "restful_app") == []

        import restful_app
        from restful_fastapi.main import create_app

        flask_client = restful_app.app.test_client()
        new_app = create_app(restful_app.app)
        assert new_app.state.legacy_views_changed == {}
        put = new_app.openapi()["paths"]["/todos/{todo_id}"]["put"]  # the parser's (FM030)
        assert put["requestBody"]["content"]["application/json"]["schema"]["properties"] == {
            "task": {"type": "string", "description": "the task (required in one of: the JSON "
                     "body, the query string, the form)"}}
        vault = new_app.openapi()["paths"]["/vault/{box}"]["get"]
        assert [parameter["name"] for parameter in vault["parameters"]] == ["box"]  # no `self`
        mounted = paths_the_legacy_mount_serves(monkeypatch, "restful_fastapi")
        with TestClient(new_app) as client:
            for method, path, headers, body in CASES:
                legacy_answer = flask_client.open(path, method=method, headers=headers, json=body)
                new = client.request(method, path, headers=headers, json=body)
                assert _answer(new.status_code, new.content, new.headers) == _answer(
                    legacy_answer.status_code, legacy_answer.data, legacy_answer.headers), (
                    method, path, headers)
            # one Counter instance, Flask's: the converted route counts on from the legacy calls
            assert flask_client.get("/counter/3").json["calls"] == 1
            assert client.get("/counter/3").json() == {"model": "Item", "id": 3, "calls": 2}
            assert flask_client.get("/counter/3").json["calls"] == 3
        assert set(mounted) == ANSWERED_BY_FLASK
        assert flask_client.get("/todos/nope").json == {  # Flask-RESTful's own error answer
            "message": "Todo nope doesn't exist"}
        assert flask_client.get("/settings").json == {"theme": "dark"}


def test_a_resource_wrapped_after_registration_is_answered_by_flask(tmp_path: Path,
                                                                     monkeypatch) -> None:
    with converted_snippet(tmp_path, "restful_app", LEGACY, "restful_fastapi"):
        import restful_app
        from restful_fastapi.main import create_app

        registered = restful_app.app.view_functions["secret"]

        @functools.wraps(registered)
        def audited(*args, **kwargs):  # an extension wrapping the view while the app is set up
            return registered(*args, **kwargs)

        monkeypatch.setitem(restful_app.app.view_functions, "secret", audited)
        new_app = create_app(restful_app.app)
        assert "secret" in new_app.state.legacy_views_changed
        assert set(new_app.state.legacy_views_changed) == {"secret"}
        mounted = paths_the_legacy_mount_serves(monkeypatch, "restful_fastapi")
        with TestClient(new_app) as client:
            assert client.get("/secret").status_code == 401
            assert client.get("/secret", headers={"X-Key": "k"}).json() == {"secret": 42}
        assert mounted == ["/secret", "/secret"]


def test_without_fm027_resources_stay_on_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "restful_app", LEGACY, "restful_fastapi",
                           skip={"FM027"}) as (result, _out, _legacy):
        assert sorted(view.route.endpoint for view in result.converted) == ["counter", "settings"]
        left = {entry.route.endpoint: entry.reasons for entry in result.left}
        assert left["todolist"] == [
            ("convert.resource_output: FM027 did not run (--skip/--only), and without the Api's "
            "output the resource would answer otherwise; the route stays on Flask")]


CSRF_EXEMPT_API = '''
from flask import Flask, request
from flask_restful import Api, Resource
from flask_wtf import CSRFProtect

app = Flask(__name__)
app.config["SECRET_KEY"] = "not secret"
csrf = CSRFProtect(app)
api = Api(app, decorators=[csrf.exempt])  # changedetection.io's API


def hook():
    return {"hook": request.get_data(as_text=True)}


class Echo(Resource):
    def post(self):
        return {"echo": request.get_json()}


api.add_resource(Echo, "/api/echo")
app.add_url_rule("/hook", view_func=csrf.exempt(hook), methods=["POST"])
'''


def test_views_csrf_exempt_where_they_are_registered_convert(tmp_path: Path,
                                                            monkeypatch) -> None:
    """`csrf.exempt` applied where the view is registered (an Api's `decorators`, `view_func=
    csrf.exempt(hook)`) was an unresolved decorator (the route stayed on Flask), and the start-up
    check counted it as a wrapper, where it returns the view itself."""
    with converted_snippet(tmp_path, "exempt_app", CSRF_EXEMPT_API, "exempt_fastapi") as (
            result, _out, _legacy):
        assert sorted(view.route.endpoint for view in result.converted) == ["echo", "hook"]
        import exempt_app
        from exempt_fastapi.main import create_app

        new_app = create_app(exempt_app.app)
        assert new_app.state.legacy_views_changed == {}
        flask_client = exempt_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "exempt_fastapi")
        with TestClient(new_app) as client:
            for path in ("/api/echo", "/hook"):
                body, headers = b'{"b": 2, "a": 1}', {"Content-Type": "application/json"}
                legacy_answer = flask_client.post(path, data=body, headers=headers)
                new = client.post(path, content=body, headers=headers)
                assert legacy_answer.status_code == 200  # no CSRF token needed
                assert (new.status_code, new.content) == (200, legacy_answer.data)
        assert mounted == []


SHARED_DECORATORS = {
    "auth.py": '''
import functools

from flask import abort, request


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


API_DECORATORS = [require_key]
''',
    "__init__.py": '''
from flask import Flask
from flask_restful import Api, Resource

from .auth import API_DECORATORS

app = Flask(__name__)
api = Api(app, decorators=API_DECORATORS)


class Ping(Resource):
    def get(self):
        return {"pong": True}


api.add_resource(Ping, "/ping")
'''}


def test_an_apis_decorator_list_from_another_module_is_read_there(tmp_path: Path) -> None:
    """`Api(app, decorators=API_DECORATORS)`, the list imported from auth.py: its names were
    looked up in the Api's module, where `require_key` is not bound, so the route stayed on
    Flask as an unresolved decorator. They are now looked up where the list is, as for a class's
    `decorators = COMMON`, and the converted route checks the key as Flask does."""
    with converted_snippet(tmp_path, "shared_app", SHARED_DECORATORS, "shared_fastapi") as (
            result, _out, _legacy):
        assert [view.route.endpoint for view in result.converted] == ["ping"]
        import shared_app
        from shared_fastapi.main import create_app

        new_app = create_app(shared_app.app)
        assert new_app.state.legacy_views_changed == {}
        flask_client = shared_app.app.test_client()
        with TestClient(new_app) as client:
            for headers in ({}, {"X-Key": "k"}):
                legacy_answer = flask_client.get("/ping", headers=headers)
                new = client.get("/ping", headers=headers)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), headers
            assert client.get("/ping").status_code == 401


API_SUBCLASSES = '''
import functools

from flask import Flask, abort, request
from flask_restful import Api, Resource


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


class KeyedApi(Api):
    """udata's UDataApi: its own check first among the decorators it is given."""

    def __init__(self, app=None, **kwargs):
        decorators = kwargs.pop("decorators", []) or []
        kwargs["decorators"] = [require_key] + decorators
        super().__init__(app, **kwargs)


class TimedApi(Api):
    def output(self, resource):
        return require_key(super().output(resource))


class TitledApi(Api):
    def __init__(self, app=None, title="API", **kwargs):
        self.title = title
        super().__init__(app, **kwargs)


class Items(Resource):
    def get(self):
        return {"items": [1, 2]}


app = Flask(__name__)
keyed = KeyedApi(app, prefix="/keyed")
keyed.add_resource(Items, "/items", endpoint="keyed")
timed = TimedApi(app, prefix="/timed")
timed.add_resource(Items, "/items", endpoint="timed")
titled = TitledApi(app, prefix="/titled")
titled.add_resource(Items, "/items", endpoint="titled")
'''


def test_an_api_subclass_that_sets_or_applies_decorators_keeps_its_resources_on_flask(
        tmp_path: Path) -> None:
    """udata's `UDataApi.__init__` puts its own check among the Api's decorators: the scan read
    the constructor's arguments only, so the route was reported converted (and handed to Flask at
    start-up, whose view check saw another function). An Api subclass whose `__init__` names
    `decorators`, or that overrides how Api wraps each view (`output`), now keeps its resources
    on Flask, saying why; one whose `__init__` does neither still converts."""
    with converted_snippet(tmp_path, "subclass_app", API_SUBCLASSES, "subclass_fastapi") as (
            result, _out, _legacy):
        assert [view.route.endpoint for view in result.converted] == ["titled"]
        left = {entry.route.endpoint: entry.reasons[0] for entry in result.left}
        assert left == {
            "keyed": "decorator:<KeyedApi.__init__ (__init__.py:20), which may wrap the view>: the "
                     "scan does not read what it does; its effect cannot be shown, so the route "
                     "stays on Flask",
            "timed": "decorator:<TimedApi.output (__init__.py:27), which may wrap the view>: the "
                     "scan does not read what it does; its effect cannot be shown, so the route "
                     "stays on Flask",
        }
        import subclass_app
        from subclass_fastapi.main import create_app

        new_app = create_app(subclass_app.app)
        assert new_app.state.legacy_views_changed == {}
        flask_client = subclass_app.app.test_client()
        with TestClient(new_app) as client:
            for path in ("/keyed/items", "/timed/items", "/titled/items"):
                for headers in ({}, {"X-Key": "k"}):
                    legacy_answer = flask_client.get(path, headers=headers)
                    new = client.get(path, headers=headers)
                    assert (new.status_code, new.content) == (
                        legacy_answer.status_code, legacy_answer.data), (path, headers)
            assert client.get("/keyed/items").status_code == 401
