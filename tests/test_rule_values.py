"""Decorators that hand the view other arguments than the rule's values (FM028).

The most common Flask auth decorator of the tutorials, `token_required`, calls
`view(current_user, *args, **kwargs)`; ihatemoney's `need_auth` pops `project_id` and passes
`project=`; others set `kwargs["user"]`. Such routes stayed on Flask: the scan read the wrapper as
unreadable ("the view is used other than called with its own arguments", FM023), or convert
refused a view taking a parameter the rule lacks (FM025). Flask calls the view it registered with
the rule's values by name, and the decorator makes the view's arguments of them. So the decorator
stays around the view (FM025), the view keeps its parameters as written, and the endpoint FastAPI
sees takes the rule's values, typed as Flask's converters make them, and calls the decorators with
`request.view_args`, as Flask does (`@rule_values(todo_id=int)`). The decorator's check therefore
runs exactly as in Flask: no route is reachable with less checking.
"""

from __future__ import annotations

import base64

from starlette.testclient import TestClient

from codemods.path_params import PathParameters
from codemods.rule_values import RuleValues
from migrator.model import DecoratorInfo, PathParameter
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings
from tests.test_codemods import check_noop, run_rule

LEGACY = '''
import functools

from flask import Flask, abort, jsonify, request
from flask.views import MethodView
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app)

USERS = {"t-ann": {"name": "ann"}, "t-bob": {"name": "bob"}}
TODOS = {1: {"id": 1, "owner": "ann", "text": "milk"}, 2: {"id": 2, "owner": "bob", "text": "tea"}}


def token_required(f):
    @functools.wraps(f)
    def decorated(*args, **kwargs):
        token = request.headers.get("X-Access-Token")
        if not token:
            return jsonify({"message": "Token is missing!"}), 401
        current_user = USERS.get(token)
        if current_user is None:
            return jsonify({"message": "Token is invalid!"}), 401
        return f(current_user, *args, **kwargs)
    return decorated


def need_project(f):
    """ihatemoney's need_auth: the project in place of its id."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        project_id = kwargs.get("project_id").lower()
        auth = request.authorization
        if auth and auth.username == project_id and auth.password == "secret":
            kwargs.pop("project_id")
            return f(*args, project={"id": project_id}, **kwargs)
        abort(401)
    return wrapper


def require_key(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(403)
        return view(*args, **kwargs)
    return wrapped


@app.get("/todos")
@token_required
def todos(current_user):
    """The caller's todos."""
    # oldest first
    return jsonify([t for t in TODOS.values() if t["owner"] == current_user["name"]])


@app.get("/todos/<int:todo_id>")
@require_key
@token_required
def todo(current_user, todo_id):
    found = TODOS.get(todo_id)
    if found is None or found["owner"] != current_user["name"]:
        abort(404)
    return found


@app.get("/projects/<project_id>/bills/<int:bill_id>")
@need_project
def bill(project, bill_id):
    return {"project": project["id"], "bill": bill_id, "q": request.args.get("q")}


@app.get("/pages", defaults={"page": 1})
@app.get("/pages/<int:page>")
@token_required
def pages(current_user, page):
    return {"user": current_user["name"], "page": page}


class Note(MethodView):
    # View.as_view's function takes keywords only: Flask answers 500 (TypeError)
    decorators = [token_required]

    def get(self, current_user, note_id):
        return {"user": current_user["name"], "note": str(note_id)}


app.add_url_rule("/notes/<uuid:note_id>", view_func=Note.as_view("note"))


class ProjectNote(MethodView):
    decorators = [need_project]

    def get(self, project, note_id):
        return {"project": project["id"], "note": str(note_id)}

    def delete(self, project, note_id):
        return "", 204


app.add_url_rule("/projects/<project_id>/notes/<uuid:note_id>",
                 view_func=ProjectNote.as_view("project_note"))


class Bills(Resource):
    method_decorators = [need_project]

    def get(self, project):
        return {"project": project["id"], "bills": []}


api.add_resource(Bills, "/api/projects/<project_id>/bills")


class Mine(Resource):
    # Flask-RESTful applies them to the bound method: a positional argument reaches it
    method_decorators = [token_required]

    def get(self, current_user):
        return {"user": current_user["name"]}


api.add_resource(Mine, "/api/mine")
'''

NOTE = "0b7c1c1e-8d0e-4f5e-9a51-6f7a2c3d4e5f"


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


ANN, BOB, BAD = ({"X-Access-Token": token} for token in ("t-ann", "t-bob", "t-eve"))
CASES = [
    ("GET", "/todos", {}), ("GET", "/todos", BAD), ("GET", "/todos", ANN),
    ("GET", "/todos", BOB),
    ("GET", "/todos/1", ANN), ("GET", "/todos/1", {**ANN, "X-Key": "k"}),
    ("GET", "/todos/1", {**BOB, "X-Key": "k"}), ("GET", "/todos/1", {"X-Key": "k"}),
    ("GET", "/todos/9", {**ANN, "X-Key": "k"}), ("GET", "/todos/x", {**ANN, "X-Key": "k"}),
    ("GET", "/projects/p1/bills/3?q=z", basic("p1", "secret")),
    ("GET", "/projects/P1/bills/3", basic("p1", "secret")),
    ("GET", "/projects/p1/bills/3", basic("p1", "wrong")),
    ("GET", "/projects/p1/bills/3", {}),
    ("GET", "/pages", ANN), ("GET", "/pages/4", BOB), ("GET", "/pages/4", {}),
    ("GET", f"/notes/{NOTE}", ANN), ("GET", f"/notes/{NOTE}", {}),
    ("GET", "/notes/not-a-uuid", ANN),
    ("GET", f"/projects/p1/notes/{NOTE}", basic("p1", "secret")),
    ("DELETE", f"/projects/p1/notes/{NOTE}", basic("p1", "secret")),
    ("DELETE", f"/projects/p1/notes/{NOTE}", {}),
    ("GET", "/api/projects/p1/bills", basic("p1", "secret")),
    ("GET", "/api/projects/p1/bills", {}),
    ("GET", "/api/mine", BOB), ("GET", "/api/mine", BAD),
]


def test_views_given_other_arguments_by_their_decorators_convert(tmp_path, monkeypatch):
    with converted_snippet(tmp_path, "token_app", LEGACY, "token_fastapi") as (
            result, out, legacy):
        scanned = {(r.endpoint, r.rule): r for r in result.scan.routes}
        details = {d.name: (d.shape, d.reads_arguments)
                   for r in scanned.values() for d in r.decorator_details}
        assert details == {"token_required": ("guard", True), "need_project": ("guard", True),
                           "require_key": ("guard", False)}
        assert not result.left
        assert {view.route.endpoint for view in result.converted} == {
            "todos", "todo", "bill", "pages", "note", "project_note", "bills",
            "mine"}

        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        fm028 = ("  # FM028: FastAPI gives the rule's values, which @{} gets as in Flask; the "
                 "view keeps its parameters\n# FM025: @{} reads or changes the view's arguments; "
                 "it runs inside the bridge, around the view, as in Flask\n@{}\n")
        # the guard outside it still becomes a dependency; the view keeps its parameters, its
        # docstring and comments; FM004 rewrites its abort (the decorator returns its answer)
        assert ('@router.get("/todos/{todo_id:int}", name="todo", '
                'dependencies=[Depends(dependencies.require_key)])\n@bridge.route\n'
                "@rule_values(todo_id=int)" + fm028.format(*["token_required"] * 3)
                + "def todo(current_user, todo_id):\n    found = TODOS.get(todo_id)\n"
                '    if found is None or found["owner"] != current_user["name"]:\n'
                "        raise HTTPException(status_code=404)\n    return found\n") in router
        assert ('@bridge.route\n@rule_values()' + fm028.format(*["token_required"] * 3)
                + 'def todos(current_user):\n    """The caller\'s todos."""\n'
                "    # oldest first\n") in router
        # the request read stays (a query parameter would be one more argument)
        assert ("@rule_values(project_id=str, bill_id=int)" + fm028.format(*["need_project"] * 3)
                + 'def bill(project, bill_id):\n    return {"project": project["id"], "bill": '
                'bill_id, "q": request.args.get("q")}\n') in router
        assert "@rule_values(note_id=UUID)" in router and "from uuid import UUID" in router
        # the class's decorators wrap what View.as_view registers, which takes keywords only
        assert ("@rule_values(project_id=str, note_id=UUID)" + fm028.format(*["need_project"] * 3)
                + "@class_view  # what View.as_view registers: the rule's values by keyword "
                "only\ndef project_note_delete(project, note_id):\n") in router
        # ... but a resource's method_decorators wrap the bound method
        assert ('@restful_output("mine")  # FM027: the legacy Api makes the answer\n'
                + fm028.format(*["token_required"] * 3).split("\n", 1)[1]
                + "def mine_get(current_user):\n") in router
        assert not new_lint_findings(out, legacy.parent, "token_app")

        import token_app
        from token_fastapi.main import create_app

        new_app = create_app(token_app.app)
        schema = new_app.openapi()
        parameters = {(path, method): [(p["name"], p["in"], p["schema"].get("type"))
                                       for p in operation.get("parameters", [])]
                      for path, item in schema["paths"].items()
                      for method, operation in item.items()}
        assert parameters[("/todos/{todo_id}", "get")] == [("todo_id", "path", "integer")]
        assert parameters[("/todos", "get")] == []
        assert parameters[("/projects/{project_id}/notes/{note_id}", "delete")] == [
            ("project_id", "path", "string"), ("note_id", "path", "string")]  # (format uuid)
        assert parameters[("/projects/{project_id}/bills/{bill_id}", "get")] == [
            ("project_id", "path", "string"), ("bill_id", "path", "integer")]
        # no operation reads what the decorators hand the views (`current_user`, `project`)
        assert {name for found in parameters.values() for name, _, _ in found} == {
            "todo_id", "project_id", "bill_id", "page", "note_id"}

        mounted = paths_the_legacy_mount_serves(monkeypatch, "token_fastapi")
        flask_client = token_app.app.test_client()
        with TestClient(new_app, base_url="http://localhost") as client:
            for method, path, headers in CASES:
                old = flask_client.open(path, method=method, headers=headers)
                new = client.request(method, path, headers=headers)
                assert (new.status_code, new.headers.get("content-type"), new.content) == (
                    old.status_code, old.headers.get("content-type"), old.get_data()), (
                    method, path, headers)
        # each answered by a converted route, but for the two paths no rule matches
        assert mounted == ["/todos/x", "/notes/not-a-uuid"]


def test_a_skipped_fm028_keeps_such_routes_on_flask(tmp_path):
    with converted_snippet(tmp_path, "token_skip_app", LEGACY, "token_skip_fastapi",
                           skip={"FM028"}) as (result, _out, _legacy):
        left = {left.route.endpoint: left.reasons for left in result.left}
        assert left["todo"] == [
            ("FM028: the view takes other arguments (current_user, todo_id) than the rule's "
             "values FastAPI gives (todo_id), and FM028, which calls it with Flask's, did not run "
             "(--skip/--only); the route stays on Flask")]
        assert set(left) == {"todos", "todo", "bill", "pages", "note", "project_note", "bills",
            "mine"}


TOKEN = DecoratorInfo("token_required", "m.token_required", "project", True, shape="guard",
                      reads_arguments=True)


def test_fm028_gives_the_endpoint_the_rule_s_values():
    code, context = run_rule(RuleValues, '''
        @token_required  # the caller
        def item(current_user, item_id, fmt="json"):
            """One item."""
            # the owner's only
            return {"user": current_user, "item": item_id}
    ''', parameters=[PathParameter("item_id", "int"), PathParameter("ref", "uuid"),
                     PathParameter("rest", "path")], decorators=[TOKEN])
    assert code == '''
@rule_values(item_id=int, ref=UUID, rest=str)  # FM028: FastAPI gives the rule's values, which @token_required gets as in Flask; the view keeps its parameters
@token_required  # the caller
def item(current_user, item_id, fmt="json"):
    """One item."""
    # the owner's only
    return {"user": current_user, "item": item_id}
'''.lstrip("\n")
    assert context.imports == {(".flask_params", "rule_values"), ("uuid", "UUID")}
    assert context.applied == {"FM028"}


def test_fm028_and_fm001_leave_views_taking_the_rule_s_values_alone():
    source = "@token_required\ndef item(item_id):\n    return {}\n"
    check_noop(RuleValues, source, [PathParameter("item_id", "int")], [TOKEN])
    # a decorator that does not touch the arguments: FM001's own work
    plain = DecoratorInfo("timed", "m.timed", "project", True, shape="post_processing")
    check_noop(RuleValues, "@timed\ndef item(user, item_id):\n    return {}\n",
               [PathParameter("item_id", "int")], [plain])
    # the view handed other arguments keeps its parameters: no type, no default moved
    check_noop(PathParameters, "@token_required\ndef item(user, item_id, fmt='json'):\n"
               "    return {}\n", [PathParameter("item_id", "int")], [TOKEN])


def test_fm028_refuses_a_rule_value_no_endpoint_can_take():
    _code, context = run_rule(RuleValues, "@token_required\ndef v(user):\n    return {}\n",
                              parameters=[PathParameter("class", "int")], decorators=[TOKEN])
    assert context.refusals == [("FM028", ("the rule's value 'class' cannot be the name of an "
                                          "endpoint parameter"))]
    _code, context = run_rule(RuleValues, "@token_required\ndef v(user):\n    return {}\n",
                              parameters=[PathParameter("n", "int", "min=2")],
                              decorators=[TOKEN])
    assert context.refusals == [("FM028", ("<int(min=2):n> has no Starlette convertor that "
                                          "matches the same URLs"))]


CONVERTED_VALUES = '''
import functools

from flask import Flask, g
from werkzeug.routing import BaseConverter

app = Flask(__name__)


class UpperConverter(BaseConverter):
    regex = "[a-z]+"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value.lower()


app.url_map.converters["upper"] = UpperConverter


def remember_code(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.code_seen = kwargs["code"]
        return view(*args, **kwargs)
    return wrapper


@app.get("/codes/<upper:code>")
@remember_code
def code(code):
    return {"code": code, "seen": g.code_seen}
'''


def test_a_decorator_reading_a_value_the_app_s_converter_made_gets_flask_s(tmp_path):
    """A decorator reading the view's arguments around a rule with a converter the app registers:
    FastAPI's value is the text it matched, Flask's what `to_python` made of it. The decorator
    used to get FastAPI's (`seen: "abc"` where Flask says `"ABC"`); FM028 hands it Flask's."""
    with converted_snippet(tmp_path, "upper_app", CONVERTED_VALUES, "upper_fastapi") as (
            result, out, legacy):
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "@rule_values(code=str)" in router and "\ndef code(code):\n" in router
        assert not new_lint_findings(out, legacy.parent, "upper_app")

        import upper_app
        from upper_fastapi.main import create_app

        with TestClient(create_app(upper_app.app), base_url="http://localhost") as client:
            for path in ("/codes/abc", "/codes/ABC"):
                old = upper_app.app.test_client().get(path)
                new = client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert client.get("/codes/abc").json() == {"code": "ABC", "seen": "ABC"}


PREPROCESSED = '''
from flask import Blueprint, Flask, g, request

app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/<lang>")


@shop.url_value_preprocessor
def pull_lang(endpoint, values):
    g.lang = values.pop("lang")
    if endpoint == "shop.item":  # a value the rule lacks, given by the preprocessor
        values["currency"] = "EUR" if g.lang == "de" else "USD"


@shop.get("/items/<int:item_id>")
def item(item_id, currency):
    return {"item": item_id, "currency": currency, "lang": g.lang, "q": request.args.get("q")}


@shop.get("/login")
def login(project_id=None):
    """A parameter no preprocessor gives: Flask always passes its default."""
    return {"project": project_id, "lang": g.lang}


app.register_blueprint(shop)
'''


def test_a_skipped_fm028_keeps_views_a_preprocessor_gives_values_on_flask(tmp_path):
    """Else FastAPI would read `currency` from the query string."""
    with converted_snippet(tmp_path, "preprocessed_skip_app", PREPROCESSED,
                           "preprocessed_skip_fastapi", skip={"FM028"}) as (result, _out, _legacy):
        left = {left.route.endpoint: left.reasons for left in result.left}
        assert left == {
            "shop.item": [("FM028: the view takes other arguments (item_id, currency) than the "
                           "rule's values FastAPI gives (lang, item_id), and FM028, which calls "
                           "it with Flask's, did not run (--skip/--only); the route stays on "
                           "Flask")],
            "shop.login": [("FM028: the view takes other arguments (project_id) than the rule's "
                            "values FastAPI gives (lang), and FM028, which calls it with Flask's, "
                            "did not run (--skip/--only); the route stays on Flask")]}


def test_a_view_taking_values_a_url_value_preprocessor_gives_converts(tmp_path, monkeypatch):
    """A blueprint's `url_value_preprocessor` may pop a value of the rule and put others in
    `request.view_args`, which Flask then calls the view with. A view taking a parameter the
    rule lacks stayed on Flask ("a url_value_preprocessor may give it its value": ihatemoney's
    `authenticate(project_id=None)`). FM028 now gives the endpoint the rule's values and calls
    the view with what the preprocessors left, as Flask does; the query parameters FM002 adds
    are passed on to it."""
    with converted_snippet(tmp_path, "preprocessed_app", PREPROCESSED,
                           "preprocessed_fastapi") as (result, out, legacy):
        assert not result.left, [left.reasons for left in result.left]
        router = (out / "routers" / "shop.py").read_text(encoding="utf-8")
        assert ('@bridge.route\n@rule_values(lang=str, item_id=int)  # FM028: FastAPI gives the '
                "rule's values; the view gets what the url_value_preprocessors left of them, as "
                "in Flask\ndef item(") in router
        assert "def item(item_id, currency, *, q: Annotated[str | None, Query()] = None):" in router
        assert "@rule_values(lang=str)" in router and "def login(project_id=None):" in router
        assert not new_lint_findings(out, legacy.parent, "preprocessed_app")

        import preprocessed_app
        from preprocessed_fastapi.main import create_app

        new_app = create_app(preprocessed_app.app)
        operation = new_app.openapi()["paths"]["/{lang}/items/{item_id}"]["get"]
        assert [(p["name"], p["in"]) for p in operation["parameters"]] == [
            ("lang", "path"), ("item_id", "path"), ("q", "query")]
        flask_client = preprocessed_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "preprocessed_fastapi")
        with TestClient(new_app, base_url="http://localhost") as client:
            for path in ("/de/items/3?q=lamp", "/en/items/4", "/de/items/x", "/fr/login",
                         "/fr/login?project_id=p"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
        assert mounted == ["/de/items/x"]  # no rule matches it


VARARGS = '''
from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


@app.get("/items/<int:item_id>/<slug>")
def item(*args, **kwargs):
    """Flask calls it with the rule's values by name."""
    return {"args": list(args), "kwargs": kwargs, "page": request.args.get("page", 1, type=int)}


@app.get("/plain/<name>")
def plain(**values):
    return {"values": values}


class Things(MethodView):
    def get(self, *args, **kwargs):
        return {"method": "get", "kwargs": kwargs}

    def delete(self, thing_id, **rest):
        return {"method": "delete", "thing_id": thing_id, "rest": rest}


app.add_url_rule("/things/<int:thing_id>", view_func=Things.as_view("things"))
'''


def test_fm028_gives_a_view_taking_varargs_the_rule_s_values():
    code, context = run_rule(RuleValues, '''
        def plain(*args, **values):
            return {"values": values}
    ''', parameters=[PathParameter("name", "default")])
    assert code == '''
@rule_values(name=str)  # FM028: FastAPI gives the rule's values; the view, which takes *args/**kwargs, gets them by name, as in Flask
def plain(*args, **values):
    return {"values": values}
'''.lstrip("\n")
    assert context.applied == {"FM028"}


def test_views_taking_varargs_convert_and_answer_as_flask(tmp_path):
    """A view taking `*args`/`**kwargs` stayed on Flask (FastAPI cannot read that signature as
    request parameters). Flask calls it with the rule's values by name; so does the endpoint
    FM028 gives it. Without FM028 they stay on Flask, with the reason."""
    with converted_snippet(tmp_path, "varargs_app", VARARGS, "varargs_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.endpoint for view in result.converted) == [
            "item", "plain", "things", "things"]
        assert result.left == []
        router = (out / "routers" / "app_routes.py").read_text()
        assert "def item(*args, page: Annotated[str | None, Query()] = None, **kwargs):" in router
        assert new_lint_findings(out, legacy.parent, "varargs_app") == []

        import varargs_app
        from varargs_fastapi.main import create_app

        app = create_app(varargs_app.app)
        item = app.openapi()["paths"]["/items/{item_id}/{slug}"]["get"]
        assert [(p["name"], p["in"]) for p in item["parameters"]] == [
            ("item_id", "path"), ("slug", "path"), ("page", "query")]
        flask_client = varargs_app.app.test_client()
        with TestClient(app) as client:
            for method, path in [("GET", "/items/3/abc?page=2"), ("GET", "/items/3/abc"),
                                 ("GET", "/items/x/abc"), ("GET", "/plain/bob"),
                                 ("HEAD", "/plain/bob"), ("GET", "/things/4"),
                                 ("DELETE", "/things/5")]:
                old = flask_client.open(path, method=method)
                new = client.request(method, path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
    with converted_snippet(tmp_path / "skipped", "varargs_skip_app", VARARGS,
                           "varargs_skip_fastapi", skip={"FM028"}) as (result, _out, _legacy):
        left = {left.route.endpoint: left.reasons for left in result.left}
        assert left["plain"] == [
            ("FM028: the view takes other arguments (**values) than the rule's values FastAPI "
             "gives (name), and FM028, which calls it with Flask's, did not run (--skip/--only); "
             "the route stays on Flask")]


def test_fm028_names_the_view_s_own_keyword_only_parameters_first():
    """pyLoad's `@expect_json` hands `def generate_apikey(*, user, password, ...)` the JSON
    body's values; `rule_values` took every keyword-only parameter for one the rules add (a
    query parameter), and FastAPI answered 422 for a missing `?user`."""
    code, context = run_rule(RuleValues, '''
        @expect_json  # the body's values
        def greet(*, name, greeting="hello"):
            return {"message": f"{greeting} {name}"}
    ''', decorators=[DecoratorInfo("expect_json", "m.expect_json", "project", True,
                                   shape="guard", reads_arguments=True)])
    assert code == '''
@rule_values("name", "greeting")  # FM028: FastAPI gives the rule's values, which @expect_json gets as in Flask; the view keeps its parameters
@expect_json  # the body's values
def greet(*, name, greeting="hello"):
    return {"message": f"{greeting} {name}"}
'''.lstrip("\n")
    assert context.applied == {"FM028"}


KEYWORD_ONLY = '''
import functools

from flask import Flask, jsonify, request

app = Flask(__name__)


def expect_json(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify(error="a JSON object is expected"), 400
        try:
            return view(*args, **kwargs, **body)
        except TypeError:
            return jsonify(error="bad fields"), 400
    return wrapper


@app.post("/greet/<int:times>")
@expect_json
def greet(times, *, name, greeting="hello"):
    """Greets `name`, `times` times, from the JSON body."""
    page = request.args.get("page", 1, type=int)
    return jsonify(message=" ".join([f"{greeting} {name}"] * times), page=page)
'''


def test_a_view_given_keyword_only_arguments_by_its_decorator_answers_as_flask(tmp_path):
    with converted_snippet(tmp_path, "kwonly_app", KEYWORD_ONLY, "kwonly_fastapi") as (
            result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/greet/<int:times>"]
        router = (out / "routers" / "app_routes.py").read_text()
        assert '@rule_values("name", "greeting", times=int)' in router
        assert new_lint_findings(out, legacy.parent, "kwonly_app") == []
        import kwonly_app
        from kwonly_fastapi.main import create_app

        app = create_app(kwonly_app.app)
        operation = app.openapi()["paths"]["/greet/{times}"]["post"]
        # (no query parameter is added under a decorator that reads the arguments: FM025)
        assert [(p["name"], p["in"]) for p in operation["parameters"]] == [("times", "path")]
        flask_client = kwonly_app.app.test_client()
        with TestClient(app) as client:
            for path, body in [("/greet/2", {"name": "Ann"}), ("/greet/1?page=3", {"name": "Bo"}),
                               ("/greet/1", {"name": "Cy", "greeting": "hi"}),
                               ("/greet/1", {"greeting": "hi"}), ("/greet/1", ["x"]),
                               ("/greet/x", {"name": "Ann"})]:
                old, new = flask_client.post(path, json=body), client.post(path, json=body)
                assert (new.status_code, new.content) == (old.status_code, old.data), (path, body)
            assert client.post("/greet/2", json={"name": "Ann"}).json()["message"] == \
                "hello Ann hello Ann"
