"""Which decorators Flask applies to a registered view, and what convert makes of them.

- `add_url_rule("/w", view_func=require_key(view))` (or `require_key(View.as_view("v"))`, or
  `require("k")(view)`) registers the *wrapped* view. The converter once kept only decorators
  written on the `def` and served `/w` without the key check Flask makes (a route reachable
  with less authentication); then such routes stayed on Flask, except that a `MethodView` whose
  `post` was itself decorated with the same wrapper had its `get` converted without it. The scan
  now records the wrappers (`Route.wrapped_at_registration`, with what their names import) and
  convert writes them on the converted view, outermost, so the route checks what Flask checks.
  A wrapper made inside a function, or called with a name as argument, keeps the route on Flask.
- The Flask documentation's own pattern puts the view in `views.py` and wraps it where the rule
  is added in another module; the converter looked for the view in the registering module and
  never found it (`convert.view_not_found`). The scan now records where the view is
  (`Route.view_file`, `Route.view_module`).
- A decorator written *above* the route decorator wraps the module's name only: Flask registers
  the function as the decorators below it made it. The scan listed it anyway, and the converted
  route checked a key Flask never checks. The scan now lists only the decorators below, and warns
  (`scan.decorator_above_route`) about the one above.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from starlette.testclient import TestClient
from typer.testing import CliRunner

from migrator.cli import app as cli
from migrator.scan import scan_path
from tests.example_support import converted_snippet

LEGACY = '''
import functools

from flask import Flask, abort, make_response, request
from flask.views import MethodView

app = Flask(__name__)


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


def require(key):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.headers.get("X-Key") != key:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def stamp(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["X-Stamp"] = "1"
        return response
    return wrapper


@require_key
@app.get("/above")
def above():
    return {"above": True}


@app.get("/below")
@require_key
def below():
    return {"below": True}


@app.get("/outer", endpoint="outer")
@require_key
@app.get("/inner")
def stacked():
    return {"stacked": True}


def plain():
    return {"plain": True}


class Things(MethodView):
    def get(self):
        return {"things": []}

    @require_key
    def post(self):
        return {"created": True}, 201


protected_things = require_key(Things.as_view("things"))
app.add_url_rule("/wrapped", view_func=require_key(plain))
app.add_url_rule("/bare", "bare", plain)
app.add_url_rule("/things", view_func=protected_things)
app.add_url_rule("/open-things", view_func=Things.as_view("open_things"))
app.add_url_rule("/stamped", "stamped", stamp(require_key(plain)))
app.add_url_rule("/called", "called", require("k")(plain))


def register(flask_app):
    local_check = require("k")
    flask_app.add_url_rule("/local", "local", local_check(plain))


register(app)


def has_key():
    return request.headers.get("X-Key") == "k"


def require_that(check):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not check():
                abort(401)
            return view(*args, **kwargs)
        return wrapper
    return decorator


key_checked = require_that(has_key)  # a factory called with a function: not a wrapped view


@app.get("/checked")
@key_checked
def checked():
    return {"checked": True}
'''

REQUESTS = ["/above", "/below", "/outer", "/inner", "/wrapped", "/bare", "/things",
            "/open-things", "/stamped", "/called", "/local", "/checked"]


def test_the_scan_lists_the_decorators_flask_applies(tmp_path: Path) -> None:
    package = tmp_path / "placement_app"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(LEGACY), encoding="utf-8")
    result = scan_path(package)
    assert {route.rule: route.decorators for route in result.routes} == {
        "/above": [], "/below": ["require_key"], "/outer": ["require_key"], "/inner": [],
        "/wrapped": ["require_key"], "/bare": [], "/things": ["require_key", "require_key"],
        "/open-things": ["require_key"], "/stamped": ["stamp", "require_key"],
        "/called": ["require"], "/local": ["local_check"], "/checked": ["key_checked"],
    }
    assert {route.rule: [(w.code, w.imports) for w in route.wrapped_at_registration]
            for route in result.routes if route.wrapped_at_registration} == {
        "/wrapped": [("require_key", "placement_app.require_key")],
        "/things": [("require_key", "placement_app.require_key")],
        "/stamped": [("stamp", "placement_app.stamp"),
                     ("require_key", "placement_app.require_key")],
        "/called": [('require("k")', "placement_app.require")],
        "/local": [("local_check", None)],  # bound inside register(): not importable
    }
    # Flask names an endpoint after the view functools.wraps copied its name from
    assert {route.rule: route.endpoint for route in result.routes}["/wrapped"] == "plain"
    local = next(route for route in result.routes if route.rule == "/local")
    assert local.status == "manual"
    assert local.reasons[0].startswith("scan.wrapper_not_importable: `local_check` wraps")
    assert [(d.code, d.file, d.line, d.message.split(":")[0]) for d in result.diagnostics] == [
        ("scan.decorator_above_route", "__init__.py", 40,
         "@require_key is above @app.get(...) on `above`"),
        ("scan.decorator_above_route", "__init__.py", 53,
         "@require_key is above @app.get(...) on `stacked`"),
    ]

    shown = CliRunner().invoke(cli, ["scan", str(package)])
    # not a terminal: no colour, and no markup printed as text
    assert "warning __init__.py:40: [scan.decorator_above_route] @require_key" in shown.output
    assert "[yellow]" not in shown.output


def test_converted_routes_check_exactly_what_flask_checks(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "placement_app", LEGACY, "placement_fastapi") as (
            result, _out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/above", "/bare", "/below", "/called", "/checked", "/inner", "/open-things",
            "/open-things", "/outer", "/stamped", "/things", "/things", "/wrapped"]
        assert [(entry.route.rule, entry.reasons[0].split(":")[0]) for entry in result.left] == [
            ("/local", "scan.wrapper_not_importable")]
        import placement_app
        from placement_fastapi.main import create_app

        flask_client = placement_app.app.test_client()
        new_app = create_app(placement_app.app)
        # views wrapped where their rule is added, decorators above @route: all as converted
        assert new_app.state.legacy_views_changed == {}
        with TestClient(new_app) as client:
            for path in REQUESTS:
                for method in ("GET", "POST"):
                    for headers in ({}, {"X-Key": "k"}):
                        legacy_answer = flask_client.open(path, method=method, headers=headers)
                        new = client.request(method, path, headers=headers)
                        assert (new.status_code, new.content, new.headers.get("X-Stamp")) == (
                            legacy_answer.status_code, legacy_answer.data,
                            legacy_answer.headers.get("X-Stamp")), (method, path, headers)
        # the checks really are there: without the key, the wrapped routes refuse
        for path in ("/wrapped", "/things", "/stamped", "/checked"):
            assert flask_client.get(path).status_code == 401, path
        assert flask_client.get("/called").status_code == 403
        assert flask_client.get("/local").status_code == 403
        assert flask_client.get("/open-things").status_code == 200  # its get is not wrapped


DOCS_PATTERN = {
    "__init__.py": '''
        from flask import Flask

        from . import pages
        from .auth import login_required
        from .views import UserAPI, health

        app = Flask(__name__)

        user_view = login_required(UserAPI.as_view("users"))
        app.add_url_rule("/users/", view_func=user_view)
        app.add_url_rule("/health", view_func=health)
        app.add_url_rule("/health/private", "private_health", login_required(health))
        app.add_url_rule("/page", view_func=login_required(pages.page))
        ''',
    "auth.py": '''
        import functools

        from flask import abort, request


        def login_required(view):
            @functools.wraps(view)
            def wrapped(*args, **kwargs):
                if request.headers.get("Authorization") != "Bearer ok":
                    abort(401)
                return view(*args, **kwargs)
            return wrapped
        ''',
    "views.py": '''
        from flask.views import MethodView


        class UserAPI(MethodView):
            def get(self):
                """List users."""
                return {"users": ["a", "b"]}

            def post(self):
                return {"created": True}, 201


        def health():
            return {"ok": True}
        ''',
    "pages.py": '''
        import functools


        def login_required(view):  # this module's own, a no-op: not the one that wraps /page
            @functools.wraps(view)
            def wrapped(*args, **kwargs):
                return view(*args, **kwargs)
            return wrapped


        def page():
            return {"page": True}
        ''',
}


def test_views_wrapped_in_another_module_than_their_own(tmp_path: Path) -> None:
    """Flask's documented pattern: the view in views.py, wrapped where its rule is added."""
    with converted_snippet(tmp_path, "docs_app", DOCS_PATTERN, "docs_fastapi") as (
            result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/health", "/health/private", "/users/", "/users/"]
        assert {view.route.view_file for view in result.converted} == {"views.py"}
        # /page: the router would import views' names and pages' `login_required` is not the
        # one that wraps it where the rule is added
        assert [(entry.route.rule, entry.reasons[0].split(":")[0]) for entry in result.left] == [
            ("/page", "convert.name_clash")]
        router = (out / "routers" / "app_routes.py").read_text()
        assert '"""List users."""' in router
        import docs_app
        from docs_fastapi.main import create_app

        flask_client = docs_app.app.test_client()
        with TestClient(create_app(docs_app.app)) as client:
            for path in ("/users/", "/health", "/health/private", "/page"):
                for method in ("GET", "POST"):
                    for headers in ({}, {"Authorization": "Bearer ok"}):
                        legacy_answer = flask_client.open(path, method=method, headers=headers)
                        new = client.request(method, path, headers=headers)
                        assert (new.status_code, new.content) == (
                            legacy_answer.status_code, legacy_answer.data), (method, path, headers)
        assert flask_client.get("/users/").status_code == 401
        assert flask_client.get("/health/private").status_code == 401


def test_a_view_the_scan_cannot_follow_is_manual(tmp_path: Path) -> None:
    """Such routes were `auto` with no view, and convert then failed to find `def `."""
    package = tmp_path / "unknown_views"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent('''
        from flask import Flask

        app = Flask(__name__)


        def make_view():
            def inner():
                return {"made": True}
            return inner


        VIEWS = [lambda: "x"]

        app.add_url_rule("/lambda", "lam", lambda: "hi")
        app.add_url_rule("/made", "made", make_view())
        app.add_url_rule("/indexed", "indexed", VIEWS[0])
        '''), encoding="utf-8")
    result = scan_path(package)
    assert {route.rule: (route.status, route.reasons[0].split(":")[0])
            for route in result.routes} == {
        "/lambda": ("manual", "scan.view_not_found"),
        "/made": ("manual", "scan.view_not_found"),
        "/indexed": ("manual", "scan.view_not_found"),
    }


def test_views_replaced_in_view_functions_stay_on_flask(tmp_path: Path) -> None:
    """`app.view_functions[endpoint] = require_key(view)` wraps views after their rules were
    added (a common way to protect every view). The scan did not see it and `/a` was converted
    without the key check (200 where Flask answers 401)."""
    source = '''
import functools

from flask import Flask, abort, request

app = Flask(__name__)


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


@app.get("/a")
def a():
    return {"a": True}


@app.get("/b")
def b():
    return {"b": True}


@app.get("/c")
def c():
    return {"c": True}


for endpoint, view in list(app.view_functions.items()):
    if endpoint == "a":
        app.view_functions[endpoint] = require_key(view)
app.view_functions.update({"b": require_key(b)})
del app.view_functions["c"]
'''
    with converted_snippet(tmp_path, "replaced_app", source, "replaced_fastapi") as (
            result, _out, legacy):
        assert not result.converted
        assert sorted((entry.route.rule, entry.reasons[0].split(":")[0])
                      for entry in result.left) == [
            ("/a", "scan.view_replaced"), ("/b", "scan.view_replaced"),
            ("/c", "scan.view_replaced")]
        found = scan_path(legacy).diagnostics
        diagnostics = [(d.code, d.line) for d in found]
        assert diagnostics == [("scan.view_functions_replaced", 35),
                               ("scan.view_functions_replaced", 36),
                               ("scan.view_functions_replaced", 37)]
        # (it said "is changed after the rules are added", where a write may come before some:
        # explainerdashboard wraps its Dash views, then adds its own routes)
        assert found[1].message.startswith(
            "`app.view_functions[...]` is written (a view replaced or wrapped): 3 route(s) keep "
            "the view Flask runs now, on Flask"), found[1].message
        import replaced_app

        client = replaced_app.app.test_client()
        assert (client.get("/a").status_code, client.get("/b").status_code) == (401, 401)
