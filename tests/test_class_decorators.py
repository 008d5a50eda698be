"""View decorators written as classes.

`@requires("admin")`, where `requires` is a project class whose `__call__(self, view)` returns a
`functools.wraps` wrapper, is a decorator factory like a function returning a decorator. The
scan resolved it to a class and gave up: "from an unresolved name" (wrong: it is the project's),
and the route stayed on Flask. Now the scan reads its `__call__` as it reads a function
decorator, so a guard becomes a route dependency (FM020) and a decorator working on the response
stays on the view (FM022), with the same answers as Flask. A class used bare (`@Bare`: its
instance wraps the view) is read from its own `__init__` and `__call__`, and stays around the view
as a decorator without functools.wraps does (FM036, tests/test_unwrapped_decorators.py); one that
inherits them (`@Inherited`) stays on Flask, with a reason that says so.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.scan_support import write_tree

LEGACY = '''
from functools import update_wrapper, wraps

from flask import Flask, abort, request


class requires:
    """Only callers with this role."""

    def __init__(self, role):
        self.role = role

    def __call__(self, view):
        @wraps(view)
        def checked(*args, **kwargs):
            if request.headers.get("X-Role") != self.role:
                abort(403)
            return view(*args, **kwargs)

        return checked


class stamped:
    def __call__(self, view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            response = view(*args, **kwargs)
            return response, 200, {"X-Stamped": "1"}

        return wrapper


class Bare:
    def __init__(self, view):
        self.view = view
        update_wrapper(self, view)

    def __call__(self, *args, **kwargs):
        return self.view(*args, **kwargs)


class NoCall(requires):
    """Inherits `__call__`: not read (only a class's own)."""


class Inherited(Bare):
    """Used bare, inherits `__init__` and `__call__`: not read (only a class's own)."""


app = Flask(__name__)


@app.route("/admin")
@requires("admin")
def admin():
    return {"admin": True}


@app.route("/stamped")
@stamped()
def stamp():
    return "stamped"


@app.route("/bare")
@Bare
def bare():
    return "bare"


@app.route("/no-call")
@NoCall("admin")
def no_call():
    return "no"


@app.route("/inherited")
@Inherited
def inherited():
    return "inherited"


def editors_only():
    return {"editors": True}


app.add_url_rule("/editors", view_func=requires("editor")(editors_only))
'''


def test_the_scan_reads_a_class_decorator_like_a_function_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app.py": LEGACY})
    routes = {r.rule: r for r in scan_path(root).routes}
    [admin] = routes["/admin"].decorator_details
    assert (admin.qualified, admin.origin, admin.shape, admin.headers) == (
        "app.requires", "project", "guard", ["X-Role"])
    assert routes["/admin"].status == "assisted"
    assert routes["/stamped"].decorator_details[0].shape == "post_processing"
    assert routes["/editors"].status == "assisted"
    assert routes["/bare"].status == "assisted"
    assert routes["/bare"].reasons[0].startswith(
        "FM036 decorator:Bare: does not keep the view's signature (no functools.wraps)")
    assert routes["/inherited"].status == "manual"
    assert routes["/inherited"].reasons[0] == (
        "decorator:Inherited: a class of the project used as a decorator (`@Inherited`): its "
        "instance wraps the view, which the converter cannot read; the route stays on Flask")
    assert routes["/no-call"].status == "manual"
    assert routes["/no-call"].reasons[0].startswith(
        "FM023 decorator:NoCall: its class has no `__call__` of its own to read")


def test_class_decorators_convert_and_check_what_flask_checks(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "class_deco", LEGACY, "class_deco_fastapi") as (
            result, out, legacy):
        assert sorted(v.route.rule for v in result.converted) == ["/admin", "/bare",
                                                                  "/editors", "/stamped"]
        assert sorted(left.route.rule for left in result.left) == ["/inherited", "/no-call"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert 'dependencies=[Depends(dependencies.requires("admin"))]' in router
        assert "@stamped()\ndef stamp():" in router
        dependencies = (out / "dependencies.py").read_text(encoding="utf-8")
        assert "return LegacyGuard(legacy_requires(*args, **kwargs), headers=[\"X-Role\"])" in \
            dependencies
        assert not new_lint_findings(out, legacy.parent, "class_deco")
        import class_deco
        from class_deco_fastapi.main import create_app

        flask_client = class_deco.app.test_client()
        app = create_app(class_deco.app)
        assert app.state.legacy_views_changed == {}
        with TestClient(app) as client:
            for path, headers in [("/admin", {}), ("/admin", {"X-Role": "admin"}),
                                  ("/admin", {"X-Role": "editor"}), ("/editors", {}),
                                  ("/editors", {"X-Role": "editor"}), ("/stamped", {}),
                                  ("/bare", {}), ("/no-call", {}), ("/inherited", {})]:
                legacy_answer = flask_client.get(path, headers=headers)
                new = client.get(path, headers=headers)
                assert (new.status_code, new.content, new.headers.get("x-stamped")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("X-Stamped")), (path, headers)
            assert client.get("/admin").status_code == 403


INSTANCES = '''
from functools import wraps

from flask import Flask, abort, request


class Protector:
    """fittrackee's shape: an instance whose `__call__` is a decorator factory."""

    def __call__(self, scopes=None, *, role=None):
        def wrapper(view):
            @wraps(view)
            def decorated(*args, **kwargs):
                token = request.headers.get("Authorization")
                if token is None or (role and token != f"Bearer {role}"):
                    abort(401)
                return view(token, *args, **kwargs)

            return decorated

        return wrapper


class Gate:
    """Used bare, the instance is the decorator: `__call__(self, view)` makes the wrapper."""

    def __call__(self, view):
        @wraps(view)
        def checked(*args, **kwargs):
            if request.headers.get("X-Gate") != "open":
                abort(403)
            return view(*args, **kwargs)

        return checked


require_auth = Protector()
gate = Gate()
app = Flask(__name__)


@app.route("/me/<int:item>")
@require_auth(scopes=["profile:read"])
def me(token, item):
    return {"token": token, "item": item}


@app.route("/admin")
@require_auth(role="admin")
def admin(token):
    return {"admin": token}


@app.route("/gated")
@gate
def gated():
    return "gated"
'''


def test_an_instance_of_a_project_class_as_a_decorator_is_read_and_kept_checking(
        tmp_path: Path) -> None:
    """fittrackee 1.3 guards its 135 routes with `@require_auth(scopes=[...])`, where
    `require_auth = CustomResourceProtector()`: an instance whose `__call__` returns the
    decorator. The scan named it "from an unresolved name" and kept every route on Flask. It is
    read now: bare, the instance is the decorator (`__call__(self, view)`); called, its
    `__call__` is a decorator factory. The converted routes check what Flask checks."""
    root = write_tree(tmp_path / "scan", {"app.py": INSTANCES})
    routes = {r.rule: r for r in scan_path(root).routes}
    [auth] = routes["/me/<int:item>"].decorator_details
    assert (auth.qualified, auth.origin, auth.shape, auth.headers, auth.reads_arguments) == (
        "app.require_auth", "project", "guard", ["Authorization"], True)
    [gate] = routes["/gated"].decorator_details
    assert (gate.qualified, gate.shape, gate.reads_arguments) == ("app.gate", "guard", False)
    assert {rule: route.status for rule, route in routes.items()} == {
        "/me/<int:item>": "assisted", "/admin": "assisted", "/gated": "assisted"}
    assert any(reason.startswith("FM025 decorator:require_auth")
               for reason in routes["/admin"].reasons)
    assert any(reason.startswith("FM020 decorator:gate") for reason in routes["/gated"].reasons)

    with converted_snippet(tmp_path, "instance_deco", INSTANCES, "instance_deco_fastapi") as (
            result, out, legacy):
        assert sorted(v.route.rule for v in result.converted) == [
            "/admin", "/gated", "/me/<int:item>"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert '@require_auth(role="admin")\ndef admin(token):' in router
        assert "Depends(dependencies.gate)" in router
        assert not new_lint_findings(out, legacy.parent, "instance_deco")
        import instance_deco
        from instance_deco_fastapi.main import create_app

        flask_client = instance_deco.app.test_client()
        with TestClient(create_app(instance_deco.app)) as client:
            for path, headers in [
                    ("/me/5", {}), ("/me/5", {"Authorization": "t"}), ("/admin", {}),
                    ("/admin", {"Authorization": "Bearer x"}),
                    ("/admin", {"Authorization": "Bearer admin"}), ("/gated", {}),
                    ("/gated", {"X-Gate": "open"})]:
                legacy_answer = flask_client.get(path, headers=headers)
                new = client.get(path, headers=headers)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), (path, headers)
            assert [client.get(path).status_code for path in ("/me/5", "/admin", "/gated")] == [
                401, 401, 403]


# the decorator classes of LEGACY and INSTANCES above (`requires`, `stamped`, `Bare`, `Gate`),
# in class lists
DECORATOR_CLASSES = LEGACY[LEGACY.index("class requires:"):LEGACY.index("class NoCall(")]
GATE = INSTANCES[INSTANCES.index("class Gate:"):INSTANCES.index("require_auth = Protector()")]
CLASS_LISTS = '''
from functools import update_wrapper, wraps

from flask import Flask, abort, request
from flask.views import MethodView


''' + DECORATOR_CLASSES + GATE + '''gate = Gate()
app = Flask(__name__)


class Admin(MethodView):
    decorators = [requires("admin")]

    def get(self):
        return {"admin": True}

    def post(self):
        return {"posted": request.get_json(silent=True)}


class Stamped(MethodView):
    decorators = [stamped(), gate]

    def get(self):
        return "stamped"


class Wrapped(MethodView):
    decorators = [Bare]

    def get(self):
        return "bare"


app.add_url_rule("/admin", view_func=Admin.as_view("admin"))
app.add_url_rule("/stamped", view_func=Stamped.as_view("stamped"))
app.add_url_rule("/wrapped", view_func=Wrapped.as_view("wrapped"))
'''


def test_project_class_decorators_in_a_class_list_are_read_as_on_a_view_function(
        tmp_path: Path) -> None:
    """`decorators = [requires("admin")]` in a MethodView, with `requires` a project class: on a
    view function the scan reads its `__call__` (above), in a class's list it said "from an
    unresolved name" and kept the route on Flask. The list is now read as the decorators of a
    view function are: a guard becomes a route dependency, a decorator working on the response
    stays around the endpoint, so does a class used bare (FM036), and the converted routes
    answer as Flask does, in the list's order (its first item innermost)."""
    root = write_tree(tmp_path / "scan", {"app.py": CLASS_LISTS})
    routes = {r.rule: r for r in scan_path(root).routes}
    assert {rule: [(d.qualified, d.shape) for d in route.decorator_details]
            for rule, route in routes.items()} == {
        "/admin": [("app.requires", "guard")],
        "/stamped": [("app.stamped", "post_processing"), ("app.gate", "guard")],
        "/wrapped": [("app.Bare", "guard")]}
    assert {rule: route.status for rule, route in routes.items()} == {
        "/admin": "assisted", "/stamped": "assisted", "/wrapped": "assisted"}

    with converted_snippet(tmp_path, "class_list_deco", CLASS_LISTS,
                           "class_list_deco_fastapi") as (result, out, legacy):
        assert sorted({v.route.rule for v in result.converted}) == ["/admin", "/stamped",
                                                                    "/wrapped"]
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert 'Depends(dependencies.requires("admin"))' in router
        assert not new_lint_findings(out, legacy.parent, "class_list_deco")
        import class_list_deco
        from class_list_deco_fastapi.main import create_app

        flask_client = class_list_deco.app.test_client()
        with TestClient(create_app(class_list_deco.app)) as client:
            for method, path, headers in [
                    ("GET", "/admin", {}), ("GET", "/admin", {"X-Role": "admin"}),
                    ("POST", "/admin", {}), ("POST", "/admin", {"X-Role": "admin"}),
                    ("GET", "/stamped", {}), ("GET", "/stamped", {"X-Gate": "open"}),
                    ("GET", "/wrapped", {})]:
                legacy_answer = flask_client.open(path, method=method, headers=headers,
                                                  json={"a": 1})
                new = client.request(method, path, headers=headers, json={"a": 1})
                assert (new.status_code, new.content, new.headers.get("x-stamped")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("X-Stamped")), (method, path, headers)
            assert [client.get(path).status_code for path in ("/admin", "/stamped")] == [
                403, 403]
