"""Views defined inside functions: app factories, blueprint factories, a class's `__init__` (FM026).

Flask's own tutorial defines `/hello` inside `create_app`; changedetection.io defines about 70
routes inside `construct_blueprint(datastore, ...)`; locust defines its UI inside
`WebUI.__init__`. These views read the enclosing function's names through their closure, which
a router cannot import, so they all stayed on Flask. The converted view now takes each such name
from the legacy view's closure when it is called (`enclosing_value`), and the generated app's
start-up check makes sure the legacy app registered that very function. These tests send the
same requests to Flask and to the generated app, and show what stays on Flask, and why.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from starlette.testclient import TestClient

from codemods.base import EnclosingScope
from migrator.convert.view import enclosing_scope
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings

SHOP = '''
"""A shop whose views live inside its factories."""
import functools

from flask import Flask, abort, jsonify, request

from . import things
from .auth import require_token
from .dashboard import Dashboard
from .store import Store

GREETING = "module greeting"  # the factory's own GREETING hides this one


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(GREETING_SUFFIX="!", **(config or {}))
    store = Store()
    GREETING = "factory greeting"

    def render_item(item):  # a helper defined in the factory
        return {"name": item, "app": app.name}

    @app.route("/hello")
    def hello():
        """Says hello."""
        return GREETING + app.config["GREETING_SUFFIX"]

    @app.route("/items", methods=["GET", "POST"])
    @require_token
    def items():
        # the factory's store, shared by every request
        if request.method == "POST":
            store.add(request.get_json()["name"])
            return jsonify(ok=True), 201
        limit = request.args.get("limit", 10, type=int)
        return jsonify([render_item(i) for i in store.items[:limit]])

    @app.route("/late")
    def late():
        return str(bound_after_the_def)

    @app.route("/never")
    def never():
        return str(not_bound_yet)

    @app.route("/suffix")
    def suffix(): return app.config["GREETING_SUFFIX"]  # one line

    @app.route("/count")
    def count():
        nonlocal bound_after_the_def
        bound_after_the_def += 1
        return str(bound_after_the_def)

    def store_token_required(view):  # a guard defined in the factory
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.headers.get("X-Token") != store.token:
                abort(401)
            return view(*args, **kwargs)
        return wrapper

    @app.route("/limited")
    @store_token_required
    def limited():
        return "limited"

    bound_after_the_def = 5
    if config and config.get("NEVER"):
        not_bound_yet = 1
    app.register_blueprint(things.make_blueprint(store))
    Dashboard(app, "Main")
    return app
'''

FILES = {
    "__init__.py": SHOP,
    "store.py": '''
        class Store:
            token = "secret"

            def __init__(self):
                self.items = ["apple", "pear"]

            def add(self, name):
                self.items.append(name)
    ''',
    "auth.py": '''
        import functools

        from flask import abort, request


        def require_token(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                if request.headers.get("X-Token") != "secret":
                    abort(401)
                return view(*args, **kwargs)
            return wrapper
    ''',
    "things.py": '''
        from flask import Blueprint, abort


        def make_blueprint(store):
            from .auth import require_token  # imported here, as changedetection.io does

            bp = Blueprint("things", __name__, url_prefix="/things")

            @bp.route("/<int:index>")
            @require_token
            def thing(index):
                if index >= len(store.items):
                    abort(404)
                return {"item": store.items[index]}

            return bp
    ''',
    "dashboard.py": '''
        class Dashboard:
            def __init__(self, app, title):
                self.title = title

                @app.route("/dashboard")
                def dashboard():
                    return {"title": self.title}
    ''',
}

TOKEN = {"X-Token": "secret"}
REQUESTS = [
    ("GET", "/hello", None, {}),
    ("HEAD", "/hello", None, {}),
    ("GET", "/items", None, TOKEN),
    ("GET", "/items", None, {}),  # the decorator's 401
    ("POST", "/items", {"name": "plum"}, TOKEN),
    ("GET", "/items", None, TOKEN),  # the store the factory made holds plum now
    ("GET", "/items?limit=1", None, TOKEN),
    ("GET", "/items?limit=x", None, TOKEN),  # type=int: the default
    ("GET", "/late", None, {}),  # bound after the def: the closure sees the last value
    ("GET", "/never", None, {}),  # never bound: NameError, a 500
    ("GET", "/suffix", None, {}),
    ("GET", "/count", None, {}),  # stays on Flask
    ("GET", "/count", None, {}),
    ("GET", "/late", None, {}),  # ...where it rebound the factory's name
    ("GET", "/limited", None, TOKEN),  # stays on Flask
    ("GET", "/limited", None, {}),
    ("GET", "/things/2", None, TOKEN),
    ("GET", "/things/9", None, TOKEN),
    ("GET", "/things/0", None, {}),
    ("GET", "/dashboard", None, {}),
    ("OPTIONS", "/items", None, {}),
]


def test_views_inside_functions_convert_and_answer_as_flask_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with converted_snippet(tmp_path, "nested_shop", FILES, "nested_fastapi") as (
            result, out, legacy):
        left = {entry.route.endpoint: entry.reasons for entry in result.left}
        assert left == {
            "count": [("FM026: the view rebinds bound_after_the_def of create_app() "
                       "(`nonlocal`), which a converted view cannot")],
            "limited": [("FM026: the view's decorators, defaults or annotations read "
                         "store_token_required of create_app(), which create_app() evaluated "
                         "when it defined the view; a router cannot")],
        }
        assert sorted(view.route.endpoint for view in result.converted) == [
            "dashboard", "hello", "items", "late", "never", "suffix", "things.thing"]
        router = (out / "routers" / "app_routes.py").read_text()
        assert textwrap.dedent('''
            @router.get("/items", name="items", dependencies=[Depends(dependencies.require_token)])
            @router.post("/items", name="items", dependencies=[Depends(dependencies.require_token)], openapi_extra=JSON_BODY)
            @bridge.route
            def items(*, limit: Annotated[str | None, Query()] = None):
                render_item = enclosing_value("items", "render_item")  # FM026: create_app()'s `render_item`, from the legacy view's closure
                store = enclosing_value("items", "store")  # FM026: create_app()'s `store`, from the legacy view's closure
                # the factory's store, shared by every request
                if request.method == "POST":
                    store.add(request.get_json()["name"])
                    return {"ok": True}, 201
                limit = arg_value(limit, 10, int)
                return [render_item(i) for i in store.items[:limit]]
        ''') in router
        # the docstring stays first; the module's GREETING is not imported: the factory's wins
        assert 'def hello():\n    """Says hello."""\n    GREETING = enclosing_value(' in router
        assert "from nested_shop import GREETING" not in router
        assert 'def suffix():\n    app = enclosing_value("suffix", "app")  # FM026: ' \
               "create_app()'s `app`, from the legacy view's closure\n" \
               '    return app.config["GREETING_SUFFIX"]  # one line\n' in router
        assert 'self = enclosing_value("dashboard", "self")  # FM026: Dashboard.__init__()' \
            in router
        package = (out / "routers" / "__init__.py").read_text()
        assert '"items": ("nested_shop", "create_app.items", 0, 1),' in package
        assert '"things.thing": ("nested_shop.things", "make_blueprint.thing", 0, 1),' in package
        assert '"dashboard": ("nested_shop.dashboard", "Dashboard.__init__.dashboard", 0, 0),' \
            in package
        assert new_lint_findings(out, legacy.parent, "nested_shop") == []

        import nested_shop
        from nested_fastapi.main import create_app

        flask_client = nested_shop.create_app().test_client()
        new_app = create_app(nested_shop.create_app())
        assert new_app.state.legacy_views_changed == {}
        new_app.openapi()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "nested_fastapi")
        with TestClient(new_app, raise_server_exceptions=False) as client:
            for method, path, body, headers in REQUESTS:
                legacy_answer = flask_client.open(path, method=method, json=body, headers=headers)
                new = client.request(method, path, json=body, headers=headers)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), (method, path)
                assert new.headers.get("content-type") == legacy_answer.headers.get(
                    "content-type"), (method, path)
        # what stays on Flask is all the mount served
        assert sorted(set(mounted)) == ["/count", "/limited"]


def test_the_start_up_check_finds_a_nested_view_wrapped_or_replaced(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "nested_shop2", FILES, "nested_fastapi2") as (_, _, _):
        import nested_shop2
        from nested_fastapi2.main import create_app

        legacy_app = nested_shop2.create_app()
        hello = legacy_app.view_functions["hello"]

        @functools.wraps(hello)
        def audited(*args, **kwargs):  # an extension's wrapper, added while the app is set up
            return hello(*args, **kwargs)

        legacy_app.view_functions["hello"] = audited
        legacy_app.view_functions["late"] = lambda: "replaced"
        changed = create_app(legacy_app).state.legacy_views_changed
        assert changed["hello"] == (
            "the legacy app runs nested_shop2.create_app.hello inside 1 wrapper(s), where the "
            "converted route has 0: something wrapped the view while the app was set up")
        assert changed["late"].startswith("the legacy app runs a function defined at ")
        assert changed["late"].endswith(
            "not nested_shop2.create_app.late as it was converted: something wrapped or "
            "replaced the view while the app was set up")
        assert set(changed) == {"hello", "late"}
        # ...and those are answered by Flask: the wrapper runs, the replacement answers
        with TestClient(create_app(legacy_app)) as client:
            assert client.get("/late").text == "replaced"
            assert client.get("/hello").text == "factory greeting!"


@pytest.mark.parametrize(("source", "qualname", "expected"), [
    ("""
     def create_app(config):
         import json
         app = object()
         global ONE
         ONE = 1
         for key, value in config.items():
             pass
         def hello():
             pass
         if config:
             from os import path
         else:
             path = None
     """, "create_app.hello", EnclosingScope(
        "create_app", frozenset({"config", "app", "key", "value", "hello", "path"}),
        (("json", "json"),))),
    ("""
     def make_blueprint(store):
         from .auth import require_token as required, roles
         from . import db
         import os.path
         def thing():
             pass
     """, "make_blueprint.thing", EnclosingScope(
        "make_blueprint", frozenset({"store", "thing"}),
        (("db", "shop.db"), ("os", "os"), ("required", "shop.auth.require_token"),
         ("roles", "shop.auth.roles")))),
    ("""
     class WebUI:
         seen_by_methods_only = 1
         def __init__(self, app):
             def index():
                 pass
     """, "WebUI.__init__.index", EnclosingScope(
        "WebUI.__init__", frozenset({"self", "app", "index"}))),
    ("""
     def outer(a):
         def inner(b):
             def view():
                 pass
     """, "outer.inner.view", EnclosingScope(
        "outer.inner", frozenset({"a", "inner", "b", "view"}))),
    ("""
     class Views:
         def show(self):
             pass
     """, "Views.show", "show is a method of class Views"),
    ("""
     def create_app():
         pass
     """, "create_app.gone.view", ("create_app.gone.view is not found as a `def` inside "
                                   "`def`s and classes")),
])
def test_the_names_an_enclosing_function_binds(source: str, qualname: str,
                                                expected: EnclosingScope | str) -> None:
    module = cst.parse_module(textwrap.dedent(source))
    assert enclosing_scope(module, qualname, "shop.things", False) == expected


SAME_NAME = '''
from flask import Flask

app = Flask(__name__)


def health(app):
    status = "ok"

    @app.route("/health")
    def health():
        return {"status": status}

    return app


health(app)
'''


def test_a_view_named_like_the_function_it_is_defined_in(tmp_path):
    """`health.health`: the view was looked up as the first `def health` on the way, the factory
    itself, and stayed on Flask for its parameter `app` ("not in the rule"). The view is the
    innermost `def health`, as Python binds it."""
    with converted_snippet(tmp_path, "same_name", SAME_NAME, "same_name_fastapi") as (
            result, _out, _legacy):
        assert [view.route.endpoint for view in result.converted] == ["health"]
        import same_name
        from same_name_fastapi.main import create_app

        new_app = create_app(same_name.app)
        assert new_app.state.legacy_views_changed == {}
        with TestClient(new_app) as client:
            assert client.get("/health").content == same_name.app.test_client().get(
                "/health").data == b'{"status":"ok"}\n'
