"""Class-based views: a plain `View` answers through its own `dispatch_request`, and a method
that calls `super()` takes its class and instance explicitly once it leaves its class.

- `View` subclasses with `dispatch_request` stayed on Flask with a wrong reason ("Plain.get is
  inherited"): Flask calls `dispatch_request` for every method of the rule. They now convert to
  one endpoint for all of them, its body.
- A `MethodView` method that called `super()` was converted as a plain function, where
  `super()` raises RuntimeError (500 for every request). Such a route then stayed on Flask (150
  of zou's routes, whose resources end in `return super().post()`). The converted endpoint now
  calls `super(Child, self)`: exactly what Python passes a zero-argument `super()` in a method
  of `Child` (the class defining the method, and the method's first argument, which the
  endpoint binds to the instance). A `super()` in a function nested in the method (it fails in
  Flask too), or a method that reads `__class__`, still keeps the route on Flask.
- `class Items(ProtectedAPI)` inherits ProtectedAPI's `decorators = [require_key]`. Neither the
  scan nor the converter looked at base classes: `/items` was served without the key check
  Flask makes. The scan now looks `decorators` and the HTTP methods up through the project's
  base classes; the converter does so through the base classes of the same module, and keeps a
  route on Flask when a decorator the scan found is written on none of its endpoints
  (`decorators = COMMON`). An inherited `get` converts. (The list of a base in another module,
  `RemoteProtectedAPI`, kept `/remote-items` on Flask too; the scan now hands it to convert,
  which writes it on the endpoint: tests/test_inherited_decorator_lists.py.)
- `Late.decorators = [require_key]` (or `setattr(Users, "post", ...)`) outside the class body
  changes what Flask runs; the scan reads class bodies, so such a route stays on Flask.
- A `dispatch_request` of a base class in another module (`KeyedAPI`, a key check before every
  method) or of a mixin (`class Mixed(Audited, MethodView)`) was skipped by the converted method
  endpoints: `/keyed` and `/mixed` were served without the check. Such a route stayed on Flask.
  Since the converter looks names up in Python's order, `/mixed` converts to one endpoint,
  Audited's `dispatch_request` (tests/test_class_views_multiple_inheritance.py).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
from starlette.testclient import TestClient

from tests.example_support import converted_snippet

BASE = '''
import functools

from flask import abort, request
from flask.views import MethodView


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


COMMON = [require_key]


class RemoteProtectedAPI(MethodView):
    decorators = [require_key]


class KeyedAPI(MethodView):
    def dispatch_request(self, *args, **kwargs):  # a check before every method
        if request.headers.get("X-Key") != "k":
            abort(401)
        return super().dispatch_request(*args, **kwargs)
'''

LEGACY = '''
from flask import Flask, abort, request
from flask.views import MethodView, View

from .base import COMMON, KeyedAPI, RemoteProtectedAPI, require_key

app = Flask(__name__)


class ProtectedAPI(MethodView):
    decorators = [require_key]


class Items(ProtectedAPI):
    def get(self):
        return {"items": []}


class Greeting(MethodView):
    def get(self):
        return {"greeting": self.word}


class Users(Greeting):
    word = "hello users"


class RemoteItems(RemoteProtectedAPI):
    def get(self):
        return {"remote": []}


class Orders(MethodView):
    decorators = COMMON

    def get(self):
        return {"orders": []}


class Plain(View):
    methods = ["GET", "POST"]

    def dispatch_request(self, name):
        """Echo the name and the method."""
        return {"name": name, "method": request.method}


class Base(MethodView):
    def get(self):
        return {"base": True}


class Child(Base):
    def get(self):
        return {"child": super().get(), "explicit": super(Child, self).get()}


class GrandChild(Child):
    word = "inherited get: super() is still Child's"


class Nested(Base):
    def get(self):
        def inner():
            return super().get()  # no argument to take here: RuntimeError, in Flask too
        return {"nested": inner()}


app.add_url_rule("/plain/<name>", view_func=Plain.as_view("plain"))
app.add_url_rule("/child", view_func=Child.as_view("child"))
app.add_url_rule("/grandchild", view_func=GrandChild.as_view("grandchild"))
app.add_url_rule("/nested", view_func=Nested.as_view("nested"))
app.add_url_rule("/items", view_func=Items.as_view("items"))
app.add_url_rule("/users", view_func=Users.as_view("users"))
app.add_url_rule("/remote-items", view_func=RemoteItems.as_view("remote_items"))
app.add_url_rule("/orders", view_func=Orders.as_view("orders"))


class Late(MethodView):
    def get(self):
        return {"late": []}


class Extra(Greeting):
    word = "extra"


Late.decorators = [require_key]  # outside the class body
setattr(Extra, "post", Greeting.get)
app.add_url_rule("/late", view_func=Late.as_view("late"))
app.add_url_rule("/extra", view_func=Extra.as_view("extra"))


class Keyed(KeyedAPI):
    def get(self):
        return {"keyed": []}


class Audited:
    def dispatch_request(self, *args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return super().dispatch_request(*args, **kwargs)


class Mixed(Audited, MethodView):
    def get(self):
        return {"mixed": []}


app.add_url_rule("/keyed", view_func=Keyed.as_view("keyed"))
app.add_url_rule("/mixed", view_func=Mixed.as_view("mixed"))
'''

ENDPOINT = '''@router.get("/plain/{name}", response_model=PlainOut, name="plain")
@router.post("/plain/{name}", response_model=PlainOut, name="plain")
@bridge.route
def plain(name: str):
    """Echo the name and the method."""
    return {"name": name, "method": request.method}
'''


def test_a_views_dispatch_request_is_one_endpoint_for_its_methods(tmp_path: Path) -> None:
    sources = {"__init__.py": LEGACY, "base.py": BASE}
    with converted_snippet(tmp_path, "class_views", sources, "class_views_fastapi") as (
            result, out, _legacy):
        assert sorted((view.route.rule, tuple(view.route.methods))
                      for view in result.converted) == [
            ("/child", ("GET",)), ("/grandchild", ("GET",)), ("/items", ("GET",)),
            ("/mixed", ("GET",)), ("/plain/<name>", ("GET", "POST")),
            ("/remote-items", ("GET",)), ("/users", ("GET",))]
        router = (out / "routers" / "app_routes.py").read_text()
        assert ENDPOINT in router
        assert router.count('    return {"child": super(Child, self).get(), "explicit": '
                            'super(Child, self).get()}\n') == 2  # /child and /grandchild
        unwritten = ("convert.decorator_not_written: @require_key applies to the view in "
                     "Flask, but the converter cannot find where it is written (a base class "
                     "in another module, a list it cannot read); the route stays on Flask")
        assert sorted((entry.route.rule, entry.reasons[0]) for entry in result.left) == [
            ("/extra", ("scan.class_changed: __init__.py:89 sets `Extra.post` outside the "
                        "class, which the scan does not read; the route stays on Flask")),
            ("/keyed", ("scan.unseen_dispatch: KeyedAPI.dispatch_request (base.py), which "
                        "Flask may run for every request of Keyed, is in a base class that "
                        "convert does not read (one in another module, or after one there); the "
                        "route stays on Flask")),
            ("/late", ("scan.class_changed: __init__.py:88 sets `Late.decorators` outside "
                       "the class, which the scan does not read; the route stays on Flask")),
            ("/nested", ("convert.super_call: Nested.get calls super() where the converter "
                         "cannot name its class and instance (in a nested function, or `super` "
                         "not called, or `__class__` read), which only works inside its class; "
                         "the route stays on Flask")),
            ("/orders", unwritten)]
        import class_views
        from class_views_fastapi.main import create_app

        flask_client = class_views.app.test_client()
        new_app = create_app(class_views.app)
        assert new_app.state.legacy_views_changed == {}  # as_view's functions, as converted
        with TestClient(new_app) as client:
            for method in ("GET", "POST", "PUT", "HEAD", "OPTIONS"):
                for path in ("/plain/bob", "/child", "/grandchild", "/nested", "/items",
                             "/users", "/remote-items", "/orders", "/late", "/extra", "/keyed",
                             "/mixed"):
                    for headers in ({}, {"X-Key": "k"}):
                        legacy_answer = flask_client.open(path, method=method, headers=headers)
                        new = client.request(method, path, headers=headers)
                        assert (new.status_code, new.content, new.headers.get("Allow")) == (
                            legacy_answer.status_code, legacy_answer.data,
                            legacy_answer.headers.get("Allow")), (method, path, headers)
        assert flask_client.get("/child").json == flask_client.get("/grandchild").json == {
            "child": {"base": True}, "explicit": {"base": True}}
        assert flask_client.get("/nested").status_code == 500
        for path in ("/items", "/remote-items", "/orders", "/late", "/keyed", "/mixed"):
            assert flask_client.get(path).status_code == 401, path


THIRD_PARTY_INSTANCE_DECORATORS = {"app.py": '''
from flask import Flask
from flask.views import MethodView
from flask_allows import Allows

app = Flask(__name__)
allows = Allows()


class Admin(MethodView):
    decorators = [allows.requires("admin")]

    def get(self):
        return {"admin": True}


@app.get("/panel")
@allows.requires("admin")
def panel():
    return {"panel": True}


app.add_url_rule("/admin", view_func=Admin.as_view("admin"))
'''}


def test_a_class_decorator_list_names_a_third_party_instance_method(tmp_path: Path) -> None:
    """FlaskBB's `decorators = [allows.requires(IsAdmin)]`, `allows = Allows()`: on a view
    function the scan names Flask-Allows' method, in a class's `decorators` it said "from an
    unresolved name". Both routes stay on Flask, now for the same, named reason."""
    from migrator.scan import scan_path
    from tests.scan_support import write_tree

    result = scan_path(write_tree(tmp_path / "allows", THIRD_PARTY_INSTANCE_DECORATORS))
    reasons = {route.rule: (route.status, [r for r in route.reasons if "allows" in r])
               for route in result.routes}
    named = ("manual", [("decorator:allows.requires: from flask_allows.Allows.requires; its "
                         "effect cannot be shown, so the route stays on Flask")])
    assert reasons == {"/admin": named, "/panel": named}


HTTPAUTH_CLASS_LIST = '''
from flask import Flask
from flask.views import MethodView
from flask_httpauth import HTTPBasicAuth

app = Flask(__name__)
auth = HTTPBasicAuth()


@auth.verify_password
def verify(username, password):
    return username if (username, password) == ("ada", "secret") else None


class Secret(MethodView):
    decorators = [auth.login_required]

    def get(self):
        return {"user": auth.current_user()}


app.add_url_rule("/secret", view_func=Secret.as_view("secret"))
'''


def test_a_third_party_guard_in_a_class_decorator_list_becomes_a_dependency(
        tmp_path: Path) -> None:
    """cryptoadvance-specter's `decorators = [auth.login_required]` (Flask-HTTPAuth's
    `HTTPBasicAuth()`): in a class's list it was "from an unresolved name", so the route stayed
    on Flask, where the same decorator on a view function converts (FM021). It converts now,
    with the check as a route dependency: the same answers with and without credentials."""
    import base64

    with converted_snippet(tmp_path, "httpauth_app", HTTPAUTH_CLASS_LIST,
                           "httpauth_fastapi") as (result, out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/secret"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert 'dependencies=[Depends(dependencies.login_required)]' in router
        import httpauth_app
        from httpauth_fastapi.main import create_app

        flask_client = httpauth_app.app.test_client()
        with TestClient(create_app(httpauth_app.app)) as client:
            for credentials in (None, "ada:secret", "ada:wrong"):
                headers = {"Authorization": "Basic " + base64.b64encode(
                    credentials.encode()).decode()} if credentials else {}
                old, new = flask_client.get("/secret", headers=headers), client.get(
                    "/secret", headers=headers)
                assert (new.status_code, new.content, new.headers.get("WWW-Authenticate")) == (
                    old.status_code, old.get_data(), old.headers.get("WWW-Authenticate"))
            assert client.get("/secret").status_code == 401


def test_only_the_method_s_own_zero_argument_supers_are_made_explicit() -> None:
    from migrator.convert.view import _explicit_supers, _zero_argument_super

    def rewritten(source: str) -> tuple[str, bool]:
        function = cst.parse_module(textwrap.dedent(source).lstrip("\n")).body[0]
        assert isinstance(function, cst.FunctionDef)
        result = _explicit_supers(function, "Child")
        return cst.Module(body=[result]).code, _zero_argument_super(result)

    assert rewritten('''
        def get(self, item_id):
            # the base's answer, wrapped
            data = super( ).get(item_id)  # odd spacing
            return {"data": data, "same": super(Child, self).get(item_id)}
    ''') == (textwrap.dedent('''
        def get(self, item_id):
            # the base's answer, wrapped
            data = super(Child, self).get(item_id)  # odd spacing
            return {"data": data, "same": super(Child, self).get(item_id)}
    ''').lstrip("\n"), False)
    # nested scopes have no first argument to give super(); a bare `super` is not a call
    for body in ("return (lambda: super().get())()",
                 "return [super().get() for _ in range(1)]",
                 "def inner():\n        return super().get()\n    return inner()",
                 "return super"):
        code, left = rewritten(f"def get(self):\n    {body}\n")
        assert left and "super(Child" not in code, body
    # not `self` first (the endpoint binds `self`), or the class's name bound in the method
    for source in ("def get(this):\n    return super().get()\n",
                   "def get(self):\n    Child = None\n    return super().get()\n"):
        code, left = rewritten(source)
        assert left and code == source
