"""View decorators that a project function or method makes as an instance of a project class.

flask-principal's form, which OctoPrint vendors (`octoprint/vendor/flask_principal.py`):
`Permission.require(self, http_exception=None)` does `return IdentityContext(self,
http_exception)`, and `IdentityContext.__call__(self, f)` returns a `functools.wraps` wrapper
that calls the view inside `with self:` (whose `__enter__` checks the identity the app's
`before_request` loaded into `g`, and aborts or raises). The scan resolved
`@Permissions.ADMIN.require(403)` to the project's `Permission.require`, found no wrapper in it
and said "does not keep the view's signature": OctoPrint's 65 routes so guarded stayed on Flask.
It now reads the class the method returns an instance of, as it reads `@requires("admin")` of a
class (tests/test_class_decorators.py): here a decorator that calls the view inside a `with`
block, which stays on the view inside the bridge (FM022) and checks what Flask checks.

A guard so made (`@Permissions.ADMIN.gate()`), or a guard that is a method of an object the
project makes (`@auth.required`, `auth = Auth()`), becomes a route dependency (FM020). Its
`dependencies.py` imported `gate` from `shop.permissions.Permissions.ADMIN` and `required` from
`shop.security.auth`, as if those were modules, and the generated package did not import; it now
imports the first name the view's module binds (`Permissions`, `auth`, or the module `security`
of `security.auth.required`) and reaches the method through it; so too for a staticmethod
reached through its class (`@Auth.signed`: it imported `signed` from `shop.security.Auth`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.scan_support import write_tree

# a vendored flask-principal, cut down to what the routes below use
PRINCIPAL = '''
from functools import wraps

from flask import abort, g


class PermissionDenied(RuntimeError):
    pass


class IdentityContext:
    def __init__(self, permission, http_exception=None):
        self.permission = permission
        self.http_exception = http_exception

    def can(self):
        return self.permission.role in g.identity

    def __call__(self, f):
        @wraps(f)
        def _decorated(*args, **kw):
            with self:
                rv = f(*args, **kw)
            return rv
        return _decorated

    def __enter__(self):
        if not self.can():
            if self.http_exception:
                abort(self.http_exception)
            raise PermissionDenied(self.permission.role)

    def __exit__(self, *args):
        return False


class Wrapped:
    """Made around the view itself: its instance is what Flask calls."""

    def __init__(self, view):
        self.view = view
        self.__name__ = view.__name__

    def __call__(self, *args, **kwargs):
        return self.view(*args, **kwargs)


class Permission:
    def __init__(self, role):
        self.role = role

    def require(self, http_exception=None):
        return IdentityContext(self, http_exception)

    def gate(self):
        return Gate(self)

    def wrap(self, view):
        return Wrapped(view)


class Gate:
    """A guard: checks, then calls the view unchanged."""

    def __init__(self, permission):
        self.permission = permission

    def __call__(self, view):
        @wraps(view)
        def checked(*args, **kwargs):
            if self.permission.role not in g.identity:
                abort(403)
            return view(*args, **kwargs)
        return checked
'''

# a guard that is a method of an object the project makes
SECURITY = '''
from functools import wraps

from flask import abort, request


class Auth:
    def required(self, view):
        @wraps(view)
        def checked(*args, **kwargs):
            if request.headers.get("X-Key") != "k":
                abort(401)
            return view(*args, **kwargs)
        return checked

    @staticmethod
    def signed(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if request.headers.get("X-Signature") != "s":
                abort(401)
            return view(*args, **kwargs)
        return checked


auth = Auth()
'''

# OctoPrint's `Permissions`: a class whose attributes are the permissions
PERMISSIONS = '''
from .principal import Permission


class Permissions:
    ADMIN = Permission("admin")
    EDITOR = Permission("editor")
'''

VIEWS = '''
from flask import Flask, g, jsonify, request

from . import security
from .permissions import Permissions
from .principal import Permission, PermissionDenied
from .security import Auth, auth

app = Flask(__name__)
reader = Permission("reader")


@app.before_request
def load_identity():
    g.identity = set(filter(None, request.headers.get("X-Roles", "").split(",")))


@app.errorhandler(PermissionDenied)
def denied(error):
    return jsonify(denied=str(error)), 401


@app.route("/admin/<int:item>")
@Permissions.ADMIN.require(403)
def admin(item):
    """Only admins."""
    return {"item": item}


@app.route("/edit", methods=["POST"])
@Permissions.EDITOR.require()
def edit():
    return {"edited": request.get_json(silent=True)}


@app.route("/read")
@reader.require(http_exception=403)
def read():
    return "read"


@app.route("/gated")
@Permissions.ADMIN.gate()
def gated():
    return "gated"


@app.route("/key")
@auth.required
def key():
    return "key"


@app.route("/key-through-module")
@security.auth.required
def key_through_module():
    return "key"


@app.route("/signed")
@Auth.signed
def signed():
    return "signed"


@app.route("/wrapped")
@reader.wrap
def wrapped():
    return "wrapped"
'''

LEGACY = {"__init__.py": "", "principal.py": PRINCIPAL, "permissions.py": PERMISSIONS,
          "security.py": SECURITY, "views.py": VIEWS}


def test_a_decorator_a_method_makes_of_a_project_class_is_read_from_that_class(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path / "scan", {f"shop/{name}": source
                                          for name, source in LEGACY.items()})
    routes = {r.rule: r for r in scan_path(root).routes}
    assert {rule: [(d.qualified, d.preserves_signature, d.shape)
                   for d in route.decorator_details] for rule, route in routes.items()} == {
        "/admin/<int:item>": [("shop.principal.Permission.require", True, "post_processing")],
        "/edit": [("shop.principal.Permission.require", True, "post_processing")],
        "/read": [("shop.principal.Permission.require", True, "post_processing")],
        "/gated": [("shop.principal.Permission.gate", True, "guard")],
        "/key": [("shop.security.Auth.required", True, "guard")],
        "/key-through-module": [("shop.security.Auth.required", True, "guard")],
        "/signed": [("shop.security.Auth.signed", True, "guard")],
        # `Wrapped(view)`: its `__call__` is no decorator's; still kept on Flask
        "/wrapped": [("shop.principal.Permission.wrap", False, None)]}
    assert {rule: route.status for rule, route in routes.items()} == {
        "/admin/<int:item>": "assisted", "/edit": "assisted", "/read": "assisted",
        "/gated": "assisted", "/key": "assisted", "/key-through-module": "assisted",
        "/signed": "assisted", "/wrapped": "manual"}
    assert routes["/admin/<int:item>"].reasons == [
        ("FM022 decorator:require: works on the view's response; it keeps running around the "
         "endpoint, inside the legacy request context, as in Flask")]
    assert routes["/wrapped"].reasons == [
        ("decorator:wrap: a project decorator that does not keep the view's signature "
         "(functools.wraps); the route stays on Flask")]


def test_routes_guarded_by_such_a_decorator_convert_and_check_what_flask_checks(
        tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "principal_shop", LEGACY, "principal_shop_fastapi") as (
            result, out, legacy):
        assert sorted(v.route.rule for v in result.converted) == [
            "/admin/<int:item>", "/edit", "/gated", "/key", "/key-through-module", "/read",
            "/signed"]
        assert [left.route.rule for left in result.left] == ["/wrapped"]
        source = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert '@Permissions.ADMIN.require(403)\ndef admin(item: int):\n    """Only admins."""' \
            in source
        assert "@reader.require(http_exception=403)\ndef read():" in source
        # the guards become route dependencies, reached through the objects the views name
        # (a module holds no `Permissions.ADMIN` nor `security.auth`: importing them as modules
        # broke the generated package)
        assert '"/gated", name="gated", dependencies=[Depends(dependencies.ADMIN_gate())]' \
            in source
        assert "dependencies=[Depends(dependencies.auth_required)]" in source
        dependencies = (out / "dependencies.py").read_text(encoding="utf-8")
        assert "from principal_shop import security as legacy_auth_required\n" in dependencies
        assert "from principal_shop.permissions import Permissions as legacy_ADMIN_gate\n" \
            in dependencies
        assert "from principal_shop.security import auth as legacy_auth_required_2\n" \
            in dependencies
        assert "return LegacyGuard(legacy_ADMIN_gate.ADMIN.gate(*args, **kwargs))" \
            in dependencies
        # a staticmethod, reached through its class (not a module `principal_shop.security.Auth`)
        assert "from principal_shop.security import Auth as legacy_Auth_signed\n" in dependencies
        assert not new_lint_findings(out, legacy.parent, "principal_shop")
        from principal_shop.views import app as legacy_app
        from principal_shop_fastapi.main import create_app

        flask_client = legacy_app.test_client()
        cases = [("GET", "/admin/3", {}), ("GET", "/admin/3", {"X-Roles": "editor"}),
                 ("GET", "/admin/3", {"X-Roles": "editor,admin"}), ("POST", "/edit", {}),
                 ("POST", "/edit", {"X-Roles": "admin"}), ("POST", "/edit", {"X-Roles": "editor"}),
                 ("GET", "/read", {}), ("GET", "/read", {"X-Roles": "reader"}),
                 ("GET", "/gated", {}), ("GET", "/gated", {"X-Roles": "admin"}),
                 ("GET", "/key", {}), ("GET", "/key", {"X-Key": "k"}),
                 ("GET", "/key-through-module", {"X-Key": "no"}),
                 ("GET", "/key-through-module", {"X-Key": "k"}),
                 ("GET", "/signed", {}), ("GET", "/signed", {"X-Signature": "s"}),
                 ("GET", "/wrapped", {}), ("HEAD", "/admin/3", {})]
        with TestClient(create_app(legacy_app)) as client:
            for method, path, headers in cases:
                body = {"json": {"a": 1}} if method == "POST" else {}
                legacy_answer = flask_client.open(path, method=method, headers=headers, **body)
                new = client.request(method, path, headers=headers, **body)
                assert (new.status_code, new.content, new.headers["content-type"]) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers["Content-Type"]), (method, path, headers)
            # the checks ran: refused without the role, by abort or by the error handler
            assert [client.get(path).status_code for path in (
                "/admin/3", "/read", "/gated", "/key", "/key-through-module", "/signed")] == [
                    403, 403, 403, 401, 401, 401]
            assert client.post("/edit").status_code == 401
