"""Before/after tests for each view-decorator shape (FM020-FM023), on small real Flask projects.

Each project is written to a temporary folder, scanned and converted for real; then the router
text shows what became of each decorator, and for the converted ones the Flask app and the
generated FastAPI app are asked the same requests and must answer alike.

- guards (checks, then `return view(*args, **kwargs)`) become `Depends(dependencies.x)` (FM020),
  a factory keeps its (literal) arguments, flask-login's `login_required` too (FM021);
- a guard inside a decorator that works on the response stays a decorator (Flask's order);
- decorators that work on the response stay on the view, inside the bridge (FM022);
- decorators whose wrapper cannot be read keep the route on Flask, the reason named (FM023), and
  the scan says so first.
"""

from __future__ import annotations

import ast
import functools
import importlib
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from fastapi.testclient import TestClient

from codemods.base import ViewContext
from codemods.guards import GuardDependencies
from migrator.convert.run import convert_project
from migrator.model import DecoratorInfo, Route
from migrator.scan import scan_path
from migrator.scan.extract import import_aliases

GUARDS = '''
import functools

from flask import abort, g, make_response, request


def api_key(view):
    """401 without the token."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Token") != "s3cret":
            abort(401, description="token please")
        return view(*args, **kwargs)

    return wrapper


def roles(*names):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.headers.get("X-Role") not in names:
                return {"error": "forbidden", "need": list(names)}, 403
            return view(*args, **kwargs)

        return wrapper

    return decorator


def load_user(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.user = request.headers.get("X-User", "nobody")
        return view(*args, **kwargs)

    return wrapper


def timed(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["X-Timed"] = "yes"
        return response

    return wrapper


COUNT = []


def counted(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        COUNT.append(request.path)
        response = make_response(view(*args, **kwargs))
        response.headers["X-Timed"] = "counted"
        return response

    return wrapper


def inject_user(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        kwargs["user"] = request.headers.get("X-User")
        return view(*args, **kwargs)

    return wrapper


def twice(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        view(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapper


def never(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return {"maintenance": True}, 503

    return wrapper


def handoff(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return retry(view, *args, **kwargs)

    return wrapper


def retry(function, *args, **kwargs):
    return function(*args, **kwargs)


def async_wrap(view):
    @functools.wraps(view)
    async def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper
'''

VIEWS = '''
import functools

from flask import Blueprint, g

from .guards import (
    api_key,
    async_wrap,
    counted,
    handoff,
    inject_user,
    load_user,
    never,
    roles,
    timed,
    twice,
)

bp = Blueprint("v", __name__)
ROLE = "admin"


@bp.get("/keyed")
@api_key  # the token check
def keyed():
    return {"ok": True}


@bp.get("/roles")
@roles("admin", "editor")
def with_roles():
    return {"ok": True}


@bp.get("/roles-by-name")
@roles(ROLE)
def roles_by_name():
    return {"ok": True}


@bp.get("/user")
@api_key
@load_user
def user():
    return {"user": g.user}


@bp.get("/timed-outside")
@timed
@api_key
def timed_outside():
    return {"ok": True}


@bp.get("/timed-roles")
@timed
@roles("admin")
def timed_roles():
    return {"ok": True}


@bp.get("/counted")
@counted
@api_key
def counted_view():
    return {"ok": True}


@bp.get("/timed-inside")
@api_key
@timed
def timed_inside():
    return {"ok": True}


@bp.get("/inject")
@inject_user
def inject(user=None):
    return {"user": user}


@bp.get("/twice")
@twice
def called_twice():
    return {"ok": True}


@bp.get("/never")
@never
def never_called():
    return {"ok": True}


@bp.get("/handoff")
@handoff
def handed_off():
    return {"ok": True}


@bp.get("/async")
@async_wrap
def async_wrapped():
    return {"ok": True}


@bp.get("/memo")
@functools.lru_cache(maxsize=None)
def memoized():
    return {"ok": True}
'''

APP = '''
from flask import Flask

from .views import bp

app = Flask(__name__)
app.register_blueprint(bp)
'''

FLASK_LOGIN_APP = '''
from flask import Blueprint, Flask
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user

app = Flask(__name__)
app.secret_key = "test-secret"
login_manager = LoginManager(app)
login_manager.blueprint_login_views = {"web": "web.login_page"}


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id


@login_manager.user_loader
def load(user_id):
    return User(user_id) if user_id == "7" else None


api = Blueprint("api", __name__)
web = Blueprint("web", __name__)


@api.post("/login")
def login():
    login_user(User("7"))
    return {"logged_in": True}


@api.get("/me")
@login_required
def me():
    return {"user": current_user.id}


@web.get("/page")
@login_required
def page():
    return "<p>private</p>"


@web.get("/login-page")
def login_page():
    return "<p>please log in</p>"


app.register_blueprint(api, url_prefix="/api")
app.register_blueprint(web)
'''


TIMED_NOTE = "# FM022: @timed works on the view's response; it runs inside the bridge, as in Flask\n"


HTTPAUTH_APP = '''
from flask import Flask
from flask_httpauth import HTTPBasicAuth

app = Flask(__name__)
auth = HTTPBasicAuth()
USERS = {"ann": "pw", "boss": "pw2"}


@auth.verify_password
def verify(username, password):
    return username if USERS.get(username) == password else None


@auth.get_user_roles
def roles(user):
    return ["admin"] if user == "boss" else []


@app.get("/secret")
@auth.login_required
def secret():
    return {"user": auth.current_user()}


@app.get("/admin")
@auth.login_required(role="admin")
def admin():
    return {"user": auth.current_user()}
'''


def write_project(root: Path, name: str, files: dict[str, str]) -> Path:
    package = root / name
    package.mkdir(parents=True)
    for file, text in files.items():
        (package / file).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return package


@pytest.fixture()
def imported(tmp_path):
    """Import the legacy project (tmp_path/src) and the generated package (tmp_path); forget
    both after the test."""
    paths = [str(tmp_path), str(tmp_path / "src")]
    sys.path[:0] = paths
    before = set(sys.modules)
    yield importlib.import_module
    for path in paths:
        sys.path.remove(path)
    for name in set(sys.modules) - before:
        del sys.modules[name]


def convert(tmp_path: Path, name: str, files: dict[str, str]):
    source = write_project(tmp_path / "src", name, files)
    out = tmp_path / f"{name}_fastapi"
    return convert_project(source, out), out


def left_reasons(result) -> dict[str, list[str]]:
    return {left.route.endpoint: left.reasons for left in result.left}


def answers(response) -> tuple:
    headers = {k.lower(): v for k, v in response.headers.items()
               if k.lower() in ("content-type", "location", "x-timed", "www-authenticate")}
    body = response.get_data() if hasattr(response, "get_data") else response.content
    return response.status_code, headers, body


def test_guard_shapes_become_dependencies_or_stay(tmp_path, imported):
    result, out = convert(tmp_path, "shapes", {"__init__.py": APP, "guards.py": GUARDS,
                                         "views.py": VIEWS})
    router = (out / "routers" / "v.py").read_text(encoding="utf-8")
    dependencies = (out / "dependencies.py").read_text(encoding="utf-8")

    # FM020: a guard leaves the view for the route's dependencies; its comment survives
    assert ('@router.get("/keyed", response_model=KeyedOut, name="v.keyed", '  # FM013: answer
            'dependencies=[Depends(dependencies.api_key)])'
            '\n@bridge.route\n# the token check\ndef keyed():') in router
    # a factory keeps its literal arguments ...
    assert 'dependencies=[Depends(dependencies.roles("admin", "editor"))])' in router
    # ... but arguments naming module values stay a decorator (inside the bridge)
    assert ('"v.roles_by_name")\n@bridge.route\n# FM020: @roles stays a decorator: its arguments '
            'are not literals (or it is not importable)\n@roles(ROLE)\ndef roles_by_name') in router
    # the outermost guards are lifted in order; a guard inside @timed stays with it
    assert ('"v.user", dependencies=[Depends(dependencies.api_key), '
            'Depends(dependencies.load_user)])\n@bridge.route\ndef user():') in router
    # a guard that refuses only by raising runs first: @timed did nothing before the view and
    # lets its errors through, so the answers are the same
    assert ('"v.timed_outside", dependencies=[Depends(dependencies.api_key)])\n@bridge.route\n'
            + TIMED_NOTE + '@timed\ndef timed_outside') in router
    # a guard that refuses by returning an answer stays inside @timed (which times that answer)
    assert ('"v.timed_roles")\n@bridge.route\n' + TIMED_NOTE + '@timed\n# FM020: @roles stays '
            "a decorator, inside the one above it (Flask's order of effects)\n"
            '@roles("admin")\ndef timed_roles') in router
    # ... and so does any guard inside a decorator that does something before the view
    assert ('"v.counted_view")\n@bridge.route\n# FM022: @counted works on the view\'s response; '
            "it runs inside the bridge, as in Flask\n@counted\n# FM020: @api_key stays a "
            "decorator, inside the one above it (Flask's order of effects)\n@api_key\n"
            "def counted_view") in router
    # FM022: @timed works on the response: it stays on the view, the guard above it is lifted
    assert ('"v.timed_inside", dependencies=[Depends(dependencies.api_key)])\n@bridge.route\n'
            + TIMED_NOTE + '@timed\ndef timed_inside') in router
    assert "from shapes.guards import api_key as legacy_api_key" in dependencies
    assert "api_key = LegacyGuard(legacy_api_key, headers=[\"X-Token\"])" in dependencies
    assert "return LegacyGuard(legacy_roles(*args, **kwargs), headers=[\"X-Role\"])" in dependencies

    # FM023: unreadable wrappers keep their routes on Flask, the reason named
    left = left_reasons(result)
    # FM025: @inject_user passes `user`, a parameter the rule lacks, which the view keeps;
    # FM028 gives the endpoint the rule's values (none)
    assert ('@bridge.route\n@rule_values()  # FM028: FastAPI gives the rule\'s values, which '
            '@inject_user gets as in Flask; the view keeps its parameters\n') in router
    expected = {
        "v.called_twice": "calls the view more than once",
        "v.never_called": "never calls the view",
        "v.handed_off": "the view is used other than called",
        "v.async_wrapped": "`async def`",
        "v.memoized": "from functools.lru_cache",  # third party, not a known decorator
    }
    assert set(left) == set(expected)
    read = {d.name: (d.refuses_by_raising, d.lets_errors_through)
            for r in result.scan.routes for d in r.decorator_details}
    assert read["api_key"] == (True, False) and read["roles"] == (False, False)
    assert read["timed"] == (False, True) and read["counted"] == (False, False)
    for endpoint, why in expected.items():
        rule = "decorator:" if endpoint == "v.memoized" else "FM023 "
        assert any(r.startswith(rule) and why in r for r in left[endpoint]), left[endpoint]
        assert f'name="{endpoint}"' not in router
    # the scan predicts it: those routes are manual, with the same reason
    scanned = {r.endpoint: r for r in scan_path(tmp_path / "src" / "shapes").routes}
    assert {e for e, r in scanned.items() if r.status == "manual"} == set(expected)
    assert scanned["v.inject"].status == "assisted"
    assert scanned["v.inject"].reasons[0].startswith("FM025 decorator:inject_user: reads or ")
    shapes = {d.name: d.shape for r in scanned.values() for d in r.decorator_details}
    assert shapes == {"api_key": "guard", "roles": "guard", "load_user": "guard",
                      "timed": "post_processing", "counted": "post_processing", "inject_user": "guard", "twice": "unread",
                      "never": "unread", "handoff": "unread", "async_wrap": "unread",
                      "functools.lru_cache": None}

    # the converted routes answer as Flask does, with and without the credentials
    legacy = imported("shapes").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    cases = [
        ("/keyed", {}), ("/keyed", {"X-Token": "wrong"}), ("/keyed", {"X-Token": "s3cret"}),
        ("/roles", {}), ("/roles", {"X-Role": "editor"}),
        ("/roles-by-name", {"X-Role": "editor"}), ("/roles-by-name", {"X-Role": "admin"}),
        ("/user", {"X-Token": "s3cret", "X-User": "ann"}), ("/user", {"X-User": "ann"}),
        ("/timed-outside", {}), ("/timed-outside", {"X-Token": "s3cret"}),
        ("/timed-inside", {}), ("/timed-inside", {"X-Token": "s3cret"}),
        ("/timed-roles", {}), ("/timed-roles", {"X-Role": "admin"}),
        ("/counted", {}), ("/counted", {"X-Token": "s3cret"}),
        ("/inject", {"X-User": "ann"}), ("/never", {}),  # /never: left on Flask, through the mount
    ]
    for path, headers in cases:
        assert answers(fastapi.get(path, headers=headers)) == \
            answers(flask.get(path, headers=headers)), (path, headers)
    assert fastapi.get("/user", headers={"X-Token": "s3cret", "X-User": "ann"}).json() == \
        {"user": "ann"}  # what the guard set on g, the view sees


def test_flask_login_login_required_becomes_a_dependency(tmp_path, imported):
    result, out = convert(tmp_path, "loginapp", {"__init__.py": FLASK_LOGIN_APP})
    assert not result.left, left_reasons(result)
    scanned = {r.endpoint: r for r in result.scan.routes}
    assert any(reason.startswith("FM021 ") for reason in scanned["api.me"].reasons)
    router = (out / "routers" / "api.py").read_text(encoding="utf-8")
    assert 'dependencies=[Depends(dependencies.login_required)])\n@bridge.route\ndef me' in router
    dependencies = (out / "dependencies.py").read_text(encoding="utf-8")
    assert "from flask_login import login_required as legacy_login_required" in dependencies
    assert "(FM021)" in dependencies

    legacy = imported("loginapp").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost",
                         follow_redirects=False)
    flask = legacy.test_client()
    # anonymous: 401 on the API (no login view), a redirect on the web blueprint
    for path in ("/api/me", "/page"):
        assert answers(fastapi.get(path)) == answers(flask.get(path)), path
    assert fastapi.get("/api/me").status_code == 401
    assert fastapi.get("/page").headers["location"].startswith("/login-page?next=")
    # a forged remember/session cookie is no login either
    flask.set_cookie("session", "forged")
    fastapi.cookies.set("session", "forged")
    assert answers(fastapi.get("/api/me")) == answers(flask.get("/api/me"))
    flask.delete_cookie("session")
    fastapi.cookies.clear()
    # logged in (each app's own login; the session cookie format is Flask's in both)
    assert flask.post("/api/login").status_code == fastapi.post("/api/login").status_code == 200
    for path in ("/api/me", "/page"):
        assert answers(fastapi.get(path)) == answers(flask.get(path)), path
    assert fastapi.get("/api/me").json() == {"user": "7"}


def test_flask_httpauth_login_required_becomes_a_dependency(tmp_path, imported):
    result, out = convert(tmp_path, "basicapp", {"__init__.py": HTTPAUTH_APP})
    assert not result.left, left_reasons(result)
    router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
    assert 'dependencies=[Depends(dependencies.login_required)])\n@bridge.route\ndef secret' \
        in router
    assert 'dependencies=[Depends(dependencies.login_required_2(role="admin"))])' in router
    dependencies = (out / "dependencies.py").read_text(encoding="utf-8")
    assert "from basicapp import auth as legacy_login_required\n" in dependencies
    # the header its check reads is documented, as a project guard's are
    assert ('LegacyGuard(legacy_login_required.login_required, headers=["Authorization"])'
            in dependencies)

    legacy = imported("basicapp").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    cases = [{}, {"Authorization": "Basic YW5uOm5v"},  # ann:no
             {"Authorization": "Basic YW5uOnB3"},  # ann:pw
             {"Authorization": "Basic Ym9zczpwdzI="}]  # boss:pw2
    for path in ("/secret", "/admin"):
        for headers in cases:
            assert answers(fastapi.get(path, headers=headers)) == \
                answers(flask.get(path, headers=headers)), (path, headers)
    assert [fastapi.get("/admin", headers=h).status_code for h in cases] == [401, 401, 403, 200]
    assert fastapi.get("/secret", headers=cases[2]).json() == {"user": "ann"}


def test_guard_on_a_route_that_is_not_bridged_fails_closed(tmp_path, imported):
    """A LegacyGuard on an endpoint without @bridge.route would let everyone through: it refuses
    to (500) instead."""
    _, out = convert(tmp_path, "closed", {"__init__.py": APP, "guards.py": GUARDS,
                                         "views.py": VIEWS})
    imported("closed")
    dependencies = imported(f"{out.name}.dependencies")
    from fastapi import Depends, FastAPI

    app = FastAPI()

    @app.get("/open", dependencies=[Depends(dependencies.api_key)])
    def not_bridged():
        return {"leaked": True}

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/open").status_code == 500


# -- the codemod alone: before/after pairs ------------------------------------------------------
def run_guards(source: str, details: list[DecoratorInfo]):
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    [function] = [s for s in module.body if isinstance(s, cst.FunctionDef)]
    route = Route(rule="/x", methods=["GET"], endpoint="x", blueprint=None, app=None,
                  file="m.py", line=1, function=function.name.value, module="app.views",
                  decorators=[d.name for d in details], decorator_details=details)
    context = ViewContext(route, import_aliases(module, "app.views", False))
    result = GuardDependencies(context).transform(function)
    again = ViewContext(route, context.aliases)
    assert GuardDependencies(again).transform(result).deep_equals(result)  # idempotent
    code = cst.Module(body=[result]).code
    ast.parse(code)
    return code, context


def guard(name, qualified, headers=()):
    return DecoratorInfo(name, qualified, "project", True, shape="guard", headers=list(headers))


def test_fm020_lifts_the_outermost_guards_and_keeps_the_rest():
    code, context = run_guards("""
        from app.auth import require_key, roles
        from app.deco import timed
        # the view
        @require_key  # key first
        @roles("a", -1, ("b", None))
        @timed
        @roles("c")
        def v():
            return 1
    """, [guard("require_key", "app.auth.require_key", ["X-Key"]),
          guard("roles", "app.auth.roles"),
          DecoratorInfo("timed", "app.deco.timed", "project", True, shape="post_processing")])
    assert code == textwrap.dedent("""
        # the view
        # FM022: @timed works on the view's response; it runs inside the bridge, as in Flask
        @timed
        # FM020: @roles stays a decorator, inside the one above it (Flask's order of effects)
        @roles("c")
        # key first
        def v():
            return 1
    """).lstrip("\n")
    assert [(g.name, g.target, g.arguments, g.headers) for g in context.guards] == [
        ("require_key", "app.auth.require_key", None, ("X-Key",)),
        ("roles", "app.auth.roles", '("a", -1, ("b", None))', ())]
    assert context.imports == {("fastapi", "Depends"), (".", "dependencies")}
    assert context.applied == {"FM020", "FM022"}


def test_fm020_lifts_a_raising_guard_from_inside_a_decorator_that_lets_errors_through():
    timed = DecoratorInfo("timed", "app.deco.timed", "project", True, shape="post_processing",
                          lets_errors_through=True)
    raising = guard("key", "app.auth.key")
    raising.refuses_by_raising = True
    code, context = run_guards("""
        from app.auth import key, roles
        from app.deco import timed
        @timed
        @key
        @roles("a")
        def v():
            return 1
    """, [timed, raising, guard("roles", "app.auth.roles")])
    assert code == textwrap.dedent("""
        # FM022: @timed works on the view's response; it runs inside the bridge, as in Flask
        @timed
        # FM020: @roles stays a decorator, inside the one above it (Flask's order of effects)
        @roles("a")
        def v():
            return 1
    """).lstrip("\n")
    assert [g.name for g in context.guards] == ["key"]


def test_fm020_leaves_what_it_cannot_show():
    code, context = run_guards("""
        from app.auth import roles
        ROLE = "a"
        @roles(ROLE)
        @auth.login_required
        def v():
            return 1
    """, [guard("roles", "app.auth.roles"),
          DecoratorInfo("auth.login_required", None, "unresolved", False)])
    assert code == textwrap.dedent("""
        # FM020: @roles stays a decorator: its arguments are not literals (or it is not importable)
        @roles(ROLE)
        @auth.login_required
        def v():
            return 1
    """).lstrip("\n")
    assert not context.guards and not context.applied


# -- the runtime alone: LegacyGuard and the bridge (flask_compat) --------------------------------
def test_legacy_guards_run_after_the_hooks_outermost_first_and_answer_as_flask():
    from fastapi import APIRouter, Depends, FastAPI
    from flask import Flask, abort, g, request

    from tests.test_flask_compat import fc

    calls: list[str] = []

    def guard(name, refuse):
        def decorator(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                calls.append(name)
                answer = refuse()
                if answer is not False:
                    return answer
                return view(*args, **kwargs)
            return wrapper
        return decorator

    def outer_refusal():
        if request.headers.get("X-Outer") == "no":
            abort(401)
        g.seen = "outer"
        return False

    def inner_refusal():
        if request.headers.get("X-Inner") == "no":
            return {"inner": "no"}, 403
        if request.headers.get("X-Inner") == "none":
            return None  # a guard answering None: Flask's "did not return a valid response"
        return False

    outer, inner = guard("outer", outer_refusal), guard("inner", inner_refusal)
    legacy = Flask("guarded")

    @legacy.before_request
    def hook():
        calls.append("hook")
        if request.headers.get("X-Hook") == "stop":
            return {"hook": "stopped"}, 418
        return None

    @legacy.after_request
    def after(response):
        response.headers["X-After"] = "yes"
        return response

    @legacy.get("/g")
    @outer
    @inner
    def view():
        calls.append("view")
        return {"seen": g.seen}

    bridge = fc.LegacyBridge(legacy)
    router = APIRouter()

    @router.get("/g", dependencies=[Depends(fc.LegacyGuard(outer)),
                                    Depends(fc.LegacyGuard(inner))])
    @bridge.route
    def endpoint():
        calls.append("view")
        return {"seen": g.seen}

    app = FastAPI()
    app.include_router(router)
    fastapi = TestClient(app, raise_server_exceptions=False)
    flask = legacy.test_client()
    for headers in ({}, {"X-Outer": "no", "X-Inner": "no"}, {"X-Inner": "no"},
                    {"X-Inner": "none"}, {"X-Hook": "stop", "X-Outer": "no"}):
        calls.clear()
        expected = answers(flask.get("/g", headers=headers)), list(calls)
        calls.clear()
        got = answers(fastapi.get("/g", headers=headers)), list(calls)
        assert got[0][:2] == expected[0][:2] and got[0][2] == expected[0][2], headers
        assert got[1] == expected[1], headers  # hooks, then the guards outermost first, then view
    assert fastapi.get("/g", headers={"X-Inner": "none"}).status_code == 500
    assert fastapi.get("/g").headers["x-after"] == "yes"


BRANCHING_GUARDS = '''
import functools

from flask import Flask, current_app, request

app = Flask(__name__)


def login_optionally_required(view):
    """changedetection.io's shape: several ways to let the request through, each a
    `return view(*args, **kwargs)`, and a refusal in between."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Share") == "yes" and request.endpoint == "shared":
            return view(*args, **kwargs)
        elif current_app.config.get("LOGIN_DISABLED"):
            return view(*args, **kwargs)
        elif request.headers.get("X-Token") != "s3cret":
            return {"error": "login please"}, 401
        return view(*args, **kwargs)

    return wrapper


def retry_once(view):
    """Calls the view again when it fails: not a guard (the second call is the point)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except KeyError:
            return view(*args, **kwargs)

    return wrapper


@app.get("/private/<int:n>")
@login_optionally_required
def private(n):
    return {"n": n}


@app.get("/shared")
@login_optionally_required
def shared():
    return {"shared": True}


@app.get("/flaky")
@retry_once
def flaky():
    return {"ok": True}
'''


def test_a_guard_letting_the_request_through_in_several_branches_is_a_guard(tmp_path, imported):
    """Every call of the view is `return view(*args, **kwargs)` outside a try or with block:
    the view runs at most once, its answer unchanged, so the wrapper is a guard (FM020), as
    when it has one such return at its end. A wrapper whose second call is in an `except`
    (retrying the view) is still unread."""
    result, out = convert(tmp_path, "branching", {"__init__.py": BRANCHING_GUARDS})
    shapes = {d.name: d.shape for r in result.scan.routes for d in r.decorator_details}
    assert shapes == {"login_optionally_required": "guard", "retry_once": "unread"}
    read = {d.name: d.refuses_by_raising for r in result.scan.routes for d in r.decorator_details}
    assert read["login_optionally_required"] is False  # it refuses by returning an answer
    assert left_reasons(result) == {"flaky": [(
        "FM023 decorator:retry_once: its wrapper calls the view more than once; the converter "
        "cannot show its effect is kept, so the route stays on Flask")]}
    router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
    assert ('name="private", dependencies=[Depends(dependencies.login_optionally_required)])'
            '\n@bridge.route\ndef private(n: int):') in router

    legacy = imported("branching").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    cases = [("/private/1", {}), ("/private/2", {"X-Token": "wrong"}),
             ("/private/3", {"X-Token": "s3cret"}), ("/private/4", {"X-Share": "yes"}),
             ("/shared", {}), ("/shared", {"X-Share": "yes"}), ("/flaky", {})]
    for path, headers in cases:
        assert answers(fastapi.get(path, headers=headers)) == \
            answers(flask.get(path, headers=headers)), (path, headers)
    assert fastapi.get("/private/1").status_code == 401
    assert fastapi.get("/shared", headers={"X-Share": "yes"}).status_code == 200
    legacy.config["LOGIN_DISABLED"] = True
    for path in ("/private/5", "/shared"):
        assert answers(fastapi.get(path)) == answers(flask.get(path))
        assert fastapi.get(path).status_code == 200


def test_fm024_drops_csrf_exempt_with_a_note_and_still_lifts_the_guard_below_it():
    code, context = run_guards("""
        from app import csrf
        from app.auth import require_key
        # the webhook
        @csrf.exempt  # no form, no token
        @require_key
        def hook():
            return 1
    """, [DecoratorInfo("csrf.exempt", "flask_wtf.csrf.CSRFProtect.exempt", "external", False),
          guard("require_key", "app.auth.require_key")])
    assert code == textwrap.dedent("""
        # the webhook
        # FM024: @csrf.exempt marks the legacy view by name; the CSRF check the bridge runs looks up that view, as in Flask
        def hook():
            return 1
    """).lstrip("\n")
    assert context.applied == {"FM020", "FM024"}
    assert [g.name for g in context.guards] == ["require_key"]


CSRF_APP = '''
import functools

from flask import Flask, request
from flask_wtf import CSRFProtect

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
csrf = CSRFProtect(app)


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            return {"error": "key"}, 401
        return view(*args, **kwargs)

    return wrapper


@app.post("/hook")
@csrf.exempt
@require_key
def hook():
    return {"got": request.form.get("x")}


@csrf.exempt  # above the rule: Flask-WTF records the name either way
@app.post("/hook-above")
def hook_above():
    return {"got": request.form.get("x")}


@app.post("/form")
def form():
    return {"got": request.form.get("x")}
'''


def test_csrf_exempt_routes_convert_and_keep_flask_wtf_s_answers(tmp_path, imported):
    """Flask-WTF's CSRF check (a before_request hook) skips a view `@csrf.exempt` recorded by
    name; the bridge runs that hook with the legacy view registered for the endpoint, so the
    converted routes are exempt, and a route that is not still answers 400 without a token."""
    result, out = convert(tmp_path, "csrfapp", {"__init__.py": CSRF_APP})
    assert left_reasons(result) == {}
    scanned = {r.endpoint: r for r in result.scan.routes}
    assert any(reason.startswith("FM024 decorator:exempt (flask-wtf)")
               for reason in scanned["hook"].reasons)
    assert [d.code for d in result.scan.diagnostics] == []  # no "decorator above the rule"
    router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
    assert "\n@csrf.exempt" not in router and "import csrf" not in router
    assert ('name="hook", dependencies=[Depends(dependencies.require_key)], '
            'openapi_extra=form_fields({"x": "str"}))\n@bridge.route\n'
            "# FM024: @csrf.exempt marks the legacy view by name") in router

    legacy = imported("csrfapp").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    cases = [("/hook", {}), ("/hook", {"X-Key": "k"}), ("/hook-above", {}), ("/form", {})]
    for path, headers in cases:
        assert answers(fastapi.post(path, data={"x": "1"}, headers=headers)) == \
            answers(flask.post(path, data={"x": "1"}, headers=headers)), path
    assert fastapi.post("/hook", data={"x": "1"}, headers={"X-Key": "k"}).json() == {"got": "1"}
    assert fastapi.post("/hook-above", data={"x": "1"}).status_code == 200
    assert fastapi.post("/form", data={"x": "1"}).status_code == 400  # CSRF token missing


# flask-login with the user named by an `X-User` header, for the guards below
HEADER_USERS = '''
app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
login_manager = LoginManager(app)


class User(UserMixin):
    def __init__(self, name):
        self.id = name


@login_manager.request_loader
def from_header(req):
    name = req.headers.get("X-User")
    return User(name) if name else None
'''

COMPOSED_GUARD = '''
import functools

from flask import Flask, g, request
from flask_login import LoginManager, UserMixin, login_required
''' + HEADER_USERS + '''

def login_unless_proxy_user(view):
    """calibreweb's shape: a trusted header lets the request through, otherwise flask-login's
    own login_required decides: `login_required(view)(*args, **kwargs)`."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Proxy-User") == "trusted":
            g.proxy_user = True
            return view(*args, **kwargs)
        return login_required(view)(*args, **kwargs)

    return wrapper


@app.get("/books/<int:n>")
@login_unless_proxy_user
def books(n):
    return {"n": n, "proxy": g.get("proxy_user", False)}
'''


def guard_answers_as_flask(tmp_path, imported, name: str, source: str, path: str,
                           header_sets: list[dict[str, str]]) -> TestClient:
    """Convert `source` (one route, one decorator); check that the scan read the decorator as a
    guard that may refuse by returning an answer, that the route converts, and that `path`
    answers as in Flask with each set of headers. Returns the generated app's client."""
    result, out = convert(tmp_path, name, {"__init__.py": source})
    [detail] = [d for r in result.scan.routes for d in r.decorator_details]
    assert (detail.shape, detail.refuses_by_raising) == ("guard", False)
    assert left_reasons(result) == {}
    legacy = imported(name).app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost",
                         follow_redirects=False)
    flask = legacy.test_client()
    for headers in header_sets:
        assert answers(fastapi.get(path, headers=headers)) == \
            answers(flask.get(path, headers=headers)), headers
    return fastapi


def test_a_guard_that_hands_the_view_to_flask_login_s_login_required_is_a_guard(tmp_path,
                                                                                  imported):
    """`return login_required(view)(*args, **kwargs)`: a known guard (FM021) applied to the view
    and called with the request's own arguments lets the view run at most once, unchanged, or
    answers itself: the wrapper is a guard (FM020), one that may refuse by returning an answer.
    Before, 'the view is used other than called' kept the route on Flask."""
    fastapi = guard_answers_as_flask(
        tmp_path, imported, "composed", COMPOSED_GUARD, "/books/3",
        [{}, {"X-User": "ann"}, {"X-Proxy-User": "trusted"}, {"X-Proxy-User": "other"}])
    assert fastapi.get("/books/3").status_code == 401
    assert fastapi.get("/books/3", headers={"X-Proxy-User": "trusted"}).json() == \
        {"n": 3, "proxy": True}


COPIED_LOGIN_REQUIRED = '''
import functools

from flask import Flask, current_app, request
from flask_login import LoginManager, UserMixin, current_user
''' + HEADER_USERS + '''

def login_required(func):
    """flask-login 0.6's own login_required, as projects copy it (calibre-web vendors it)."""

    @functools.wraps(func)
    def decorated_view(*args, **kwargs):
        if request.method in {"OPTIONS"} or current_app.config.get("LOGIN_DISABLED"):
            pass
        elif not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if callable(getattr(current_app, "ensure_sync", None)):
            return current_app.ensure_sync(func)(*args, **kwargs)
        return func(*args, **kwargs)

    return decorated_view


@app.get("/shelf/<int:n>")
@login_required
def shelf(n):
    return {"n": n, "user": current_user.id}
'''


def test_a_copy_of_flask_login_s_login_required_is_a_guard(tmp_path, imported):
    """flask-login's `login_required` calls the view as `current_app.ensure_sync(func)(*args,
    **kwargs)`, which Flask makes the view itself for a plain function: a project's copy of it
    is a guard (FM020). Before, 'the view is used other than called' kept it on Flask."""
    fastapi = guard_answers_as_flask(tmp_path, imported, "copied", COPIED_LOGIN_REQUIRED,
                                     "/shelf/3", [{}, {"X-User": "ann"}])
    assert fastapi.get("/shelf/3").status_code == 401
    assert fastapi.get("/shelf/3", headers={"X-User": "ann"}).json() == {"n": 3, "user": "ann"}


PROJECT_LOGIN_REQUIRED = COPIED_LOGIN_REQUIRED.split("@app.get")[0]

# COMPOSED_GUARD's decorator and route, around the project's own copy of login_required
GUARD_THROUGH_PROJECT_GUARD = PROJECT_LOGIN_REQUIRED.replace(
    "from flask import Flask, current_app, request", "from flask import Flask, current_app, g, request"
) + COMPOSED_GUARD.split(HEADER_USERS)[1]


def test_a_guard_that_hands_the_view_to_a_project_guard_is_a_guard(tmp_path, imported):
    """`return login_required(view)(*args, **kwargs)` where `login_required` is the project's
    own (calibre-web vendors flask-login as `cw_login`): the scan reads that decorator too, and
    it is a guard, so the two checks run before the view, the outer first, as one guard (FM020).
    Before, 'the view is used other than called' kept 200 of calibre-web's routes on Flask."""
    fastapi = guard_answers_as_flask(
        tmp_path, imported, "through_project", GUARD_THROUGH_PROJECT_GUARD, "/books/3",
        [{}, {"X-User": "ann"}, {"X-Proxy-User": "trusted"}, {"X-Proxy-User": "other"}])
    assert fastapi.get("/books/3").status_code == 401
    assert fastapi.get("/books/3", headers={"X-User": "ann"}).json() == {"n": 3, "proxy": False}


BASIC_AUTH_THROUGH_ENSURE_SYNC = '''
import functools

from flask import Flask, g
from flask_httpauth import HTTPBasicAuth

app = Flask(__name__)
auth = HTTPBasicAuth()


@auth.verify_password
def verify(username, password):
    return username if password == "pw" else None


def requires_basic_auth(f):
    """calibre-web's `requires_basic_auth_if_no_ano`: Flask-HTTPAuth's checks, then the view
    called as Flask-HTTPAuth calls it, through the auth object's `ensure_sync`."""

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        user = auth.authenticate(auth.get_auth(), "")
        if user in (False, None):
            return auth.auth_error_callback(401)
        g.user = user
        return auth.ensure_sync(f)(*args, **kwargs)

    return decorated


@app.get("/feed/<int:n>")
@requires_basic_auth
def feed(n):
    return {"n": n, "user": g.user}
'''


def test_a_guard_calling_the_view_through_flask_httpauth_s_ensure_sync_is_a_guard(
        tmp_path, imported):
    """`auth.ensure_sync(view)` (`auth = HTTPBasicAuth()`) is Flask's `ensure_sync`: the view
    itself for a plain function."""
    fastapi = guard_answers_as_flask(
        tmp_path, imported, "basic_sync", BASIC_AUTH_THROUGH_ENSURE_SYNC, "/feed/2",
        [{}, {"Authorization": "Basic YW5uOnB3"}, {"Authorization": "Basic YW5uOng="}])
    assert fastapi.get("/feed/2").status_code == 401
    assert fastapi.get("/feed/2", headers={"Authorization": "Basic YW5uOnB3"}).json() == \
        {"n": 2, "user": "ann"}


@pytest.mark.parametrize(("inner", "why"), [
    ("""
def inner(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs) + "!"
    return wrapper
""", ("its wrapper hands the view to `inner`, which is not a guard (its wrapper is "
     "post_processing)")),
    ("""
def inner(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return outer(view)(*args, **kwargs)
    return wrapper
""", ("its wrapper hands the view to `inner`, which is not a guard (its wrapper hands the view "
     "to `outer`, which is not a guard (the scan cannot read it))")),
    ("", ("its wrapper hands the view to `inner`, which is not a guard (the scan cannot read "
         "it)")),
])
def test_a_guard_handing_the_view_to_anything_but_a_guard_stays_on_flask(tmp_path, inner, why):
    source = (
        "import functools\n\nfrom flask import Flask, request\n\n"
        "app = Flask(__name__)\n" + inner + '''

def outer(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            return "no", 401
        return inner(view)(*args, **kwargs)
    return wrapper


@app.get("/x")
@outer
def x():
    return "x"
''')
    result, _out = convert(tmp_path, "handed_on", {"__init__.py": source})
    [route] = result.scan.routes
    [detail] = route.decorator_details
    assert (detail.shape, detail.shape_reason) == ("unread", why)
    assert left_reasons(result)["x"][0].startswith("FM023 decorator:outer: " + why)


ANSWER_DECORATORS = '''
import functools

from flask import Flask, abort, jsonify
from flask.views import MethodView
from werkzeug.exceptions import NotFound

app = Flask(__name__)


def stamped(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        resp = view(*args, **kwargs)
        resp.headers["X-Stamp"] = "1"
        return resp
    return wrapper


def soft404(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except NotFound:
            return {"soft": True}
    return wrapper


def counted(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        rv = view(*args, **kwargs)
        if isinstance(rv, dict):
            rv = dict(rv, counted=True)
        return rv
    return wrapper


@app.get("/stamped")
@stamped
def stamped_view():
    return jsonify({"a": 1})


@app.get("/soft/<int:x>")
@soft404
def soft(x):
    if x == 0:
        abort(404)
    return {"x": x}


@app.get("/counted")
@counted
def counted_view():
    return jsonify({"c": 1})


class Items(MethodView):
    decorators = [stamped]

    def get(self):
        return jsonify([1, 2])


def plain():
    return jsonify({"p": 1})


app.add_url_rule("/items", view_func=Items.as_view("items"))
app.add_url_rule("/wrapped", view_func=stamped(plain))
'''


def test_decorators_working_on_the_answer_get_flasks_answer(tmp_path, imported):
    """A decorator that stays around the converted view (FM022) works on what the view returns
    and raises: `return jsonify(...)` keeps its Response (FM003 made it a dict: `resp.headers`
    raised, a 500; a dict-only change altered the body) and `abort(404)` keeps Werkzeug's
    NotFound (FM004's FastAPI HTTPException passed `except NotFound:` by, a 404)."""
    result, out = convert(tmp_path, "answers", {"__init__.py": ANSWER_DECORATORS})
    assert not result.left
    assert sorted(v.route.endpoint for v in result.converted) == [
        "counted_view", "items", "plain", "soft", "stamped_view"]
    router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
    assert router.count("return jsonify(") == 4
    assert "abort(404)" in router and "HTTPException" not in router
    legacy = imported("answers").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    for path in ("/stamped", "/soft/0", "/soft/3", "/counted", "/items", "/wrapped"):
        old, new = flask.get(path), fastapi.get(path)
        assert (new.status_code, new.headers.get("content-type"), new.headers.get("x-stamp"),
                new.content) == (old.status_code, old.headers.get("content-type"),
                                 old.headers.get("x-stamp"), old.get_data()), path


ARMS = '''
import functools

from flask import Flask, current_app, jsonify, request

app = Flask(__name__)


def jsonp(func):
    """alerta's: JSONP when asked for, the view's answer otherwise."""
    @functools.wraps(func)
    def decorated(*args, **kwargs):
        callback = request.args.get("callback", False)
        if callback:
            data = func(*args, **kwargs).get_data(as_text=True)
            content = str(callback) + "(" + data + ")"
            return current_app.response_class(content, mimetype="application/javascript")
        else:
            return func(*args, **kwargs)
    return decorated


def tried_twice(func):
    @functools.wraps(func)
    def decorated(*args, **kwargs):
        if func(*args, **kwargs).status_code == 200:
            return func(*args, **kwargs)
        return func(*args, **kwargs)
    return decorated


def looped(func):
    @functools.wraps(func)
    def decorated(*args, **kwargs):
        for _ in range(2):
            if request.args.get("a"):
                answer = func(*args, **kwargs)
            else:
                answer = func(*args, **kwargs)
        return answer
    return decorated


@app.get("/alerts/<int:alert_id>")
@jsonp
def alert(alert_id):
    return jsonify(id=alert_id, status="open")


@app.get("/twice")
@tried_twice
def twice():
    return jsonify(ok=True)


@app.get("/looped")
@looped
def looped_view():
    return jsonify(ok=True)
'''


def test_a_view_called_in_different_arms_of_an_if_runs_at_most_once(tmp_path, imported):
    """alerta's `jsonp` calls the view in both arms of an `if`: once whichever arm runs, so it
    works on the answer (FM022) and the route converts (it stayed on Flask: "calls the view more
    than once"). A call in the condition and in an arm, or arms inside a loop, may run twice."""
    result, out = convert(tmp_path, "arms", {"__init__.py": ARMS})
    shapes = {d.name: (d.shape, d.shape_reason) for r in result.scan.routes
              for d in r.decorator_details}
    assert shapes == {
        "jsonp": ("post_processing", None),
        "tried_twice": ("unread", "its wrapper calls the view more than once"),
        "looped": ("unread", "its wrapper calls the view more than once"),
    }
    assert sorted(left_reasons(result)) == ["looped_view", "twice"]
    legacy = imported("arms").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    for path in ("/alerts/3", "/alerts/3?callback=show", "/alerts/x", "/twice", "/looped"):
        assert answers(fastapi.get(path)) == answers(flask.get(path)), path
    assert fastapi.get("/alerts/3?callback=show").content == \
        b'show({"id":3,"status":"open"}\n)'


QUERY_GUARD = '''
import functools

from flask import Flask, abort, request

app = Flask(__name__)


def token_in_query(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.args.get("token") != "s3cret":
            abort(403)
        return view(*args, **kwargs)
    return wrapper


@app.get("/reports/<int:report_id>")
@token_in_query
def report(report_id):
    return {"id": report_id}
'''


def test_a_guard_reading_request_args_reads_no_view_arguments(tmp_path, imported):
    """`request.args` in a wrapper whose `*args` is named `args` was read as the view's
    arguments (the attribute's name taken for the variable): the guard stayed around the view
    (FM025) instead of becoming a route dependency."""
    result, out = convert(tmp_path, "query_guard", {"__init__.py": QUERY_GUARD})
    [detail] = result.scan.routes[0].decorator_details
    assert (detail.shape, detail.reads_arguments) == ("guard", False)
    router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
    assert "dependencies=[Depends(dependencies.token_in_query)]" in router
    legacy = imported("query_guard").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    for path in ("/reports/1", "/reports/1?token=no", "/reports/1?token=s3cret"):
        assert answers(fastapi.get(path)) == answers(flask.get(path)), path
    assert fastapi.get("/reports/1?token=s3cret").json() == {"id": 1}


# -- FM034: a decorator that returns the view itself ---------------------------------------------
def test_fm034_keeps_a_decorator_returning_the_view_with_a_note():
    code, context = run_guards("""
        from app.auth import require_key
        from app.docs import copy_doc, Api
        @require_key
        @copy_doc(Api.get_info)  # the docs live on the API class
        def info():
            return 1
    """, [guard("require_key", "app.auth.require_key"),
          DecoratorInfo("copy_doc", "app.docs.copy_doc", "project", True, shape="returns_view")])
    assert code == textwrap.dedent("""
        # FM034: @copy_doc returns the view itself (it at most sets attributes of it), as in Flask
        @copy_doc(Api.get_info)  # the docs live on the API class
        def info():
            return 1
    """).lstrip("\n")
    assert context.applied == {"FM020", "FM034"}
    assert [g.name for g in context.guards] == ["require_key"]


RETURNING_VIEWS = '''
from flask import Flask, abort, request

app = Flask(__name__)


class Docs:
    def info(self):
        """What the server is."""


def copy_doc(documented):
    """aw-server's: copy another function's docstring onto the view."""

    def decorator(f):
        f.__doc__ = documented.__doc__
        return f

    return decorator


def public(view):
    """A marker the app's own before_request hook reads."""
    view.is_public = True
    return view


def post_only(view):
    view.methods = ["POST"]  # Flask reads it where the rule is added
    return view


def named(view):
    view.label = view.__name__.upper()  # reads the view: not only a marker
    return view


@app.before_request
def require_login():
    view = app.view_functions.get(request.endpoint)
    if view is not None and not getattr(view, "is_public", False) \\
            and request.headers.get("X-User") is None:
        abort(401)


@app.get("/info")
@copy_doc(Docs.info)
def info():
    return {"info": "server"}


@app.get("/open")
@public
def open_page():
    return {"open": True}


@app.route("/posted")
@post_only
def posted():
    return {"posted": True}


@app.get("/named")
@named
def named_view():
    return {"named": True}
'''


def test_decorators_returning_the_view_convert_and_answer_as_flask(tmp_path, imported):
    """aw-server's `@copy_doc(ServerAPI.get_info)` kept 11 of its 18 routes on Flask ("does not
    keep the view's signature": it has no functools.wraps wrapper, because it wraps nothing). A
    decorator returning the view itself, at most setting attributes of it, changes nothing of
    what the view does: it stays on the converted view (FM034), and an attribute the app reads
    at request time is read from the legacy view, as in Flask. One setting an attribute Flask
    reads where the rule is added (`methods`), or reading the view, is not such a decorator."""
    result, out = convert(tmp_path, "returning", {"__init__.py": RETURNING_VIEWS})
    details = {d.name: d.shape for r in result.scan.routes for d in r.decorator_details}
    assert details == {"copy_doc": "returns_view", "public": "returns_view",
                       "post_only": None, "named": None}
    assert sorted(view.route.endpoint for view in result.converted) == ["info", "open_page"]
    assert {endpoint: reasons[0].split(":")[0] for endpoint, reasons
            in left_reasons(result).items()} == {"posted": "decorator", "named_view": "decorator"}
    router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
    assert "# FM034: @copy_doc returns the view itself" in router
    assert "@copy_doc(Docs.info)" in router and "@public\n" in router
    legacy = imported("returning").app
    main = imported(f"{out.name}.main")
    fastapi = TestClient(main.create_app(legacy), base_url="http://localhost")
    flask = legacy.test_client()
    for path in ("/info", "/open", "/posted", "/named"):
        for headers in ({}, {"X-User": "ada"}):
            assert answers(fastapi.get(path, headers=headers)) == \
                answers(flask.get(path, headers=headers)), (path, headers)
    # the copied docstring documents the converted route
    schema = main.create_app(legacy).openapi()
    assert schema["paths"]["/info"]["get"]["description"] == "What the server is."
