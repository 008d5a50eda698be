"""A view wrapped or replaced while the legacy app is set up, where no static scan can see it.

The scan keeps a route on Flask when the project's own code changes `app.view_functions`
(`scan.view_replaced`). An extension's `init_app` can do the same from site-packages, which the
scan does not read: before this check, such a route converted, and the converted route skipped
the extension's wrapper (here a token check: 200 where Flask answered 401).

Now the generated package names each converted endpoint's legacy view (`routers.LEGACY_VIEWS`:
module, name, registration wrappers) and, at start-up, `mount_legacy` checks that the legacy app
runs exactly that view: function views, `MethodView` classes (through `view_class`), views
wrapped where their rule is added, and views under a decorator written above `@app.route`
(which Flask does not apply) all pass; anything else is answered by the legacy app, with a
warning, and `app.state.legacy_views_changed` says why.
"""

from __future__ import annotations

import logging
import sys
import textwrap
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.example_support import converted_snippet

# A third-party extension: outside the scanned package, like anything in site-packages.
TOKEN_EXTENSION = '''
import functools

from flask import abort, request


class TokenAuth:
    """Protects every view of the app it is given (as some auth extensions do)."""

    def init_app(self, app):
        for endpoint, view in list(app.view_functions.items()):
            if endpoint != "static":
                app.view_functions[endpoint] = self.protect(view)

    @staticmethod
    def protect(view):
        @functools.wraps(view)
        def protected(*args, **kwargs):
            if request.headers.get("X-Token") != "t":
                abort(401)
            return view(*args, **kwargs)

        return protected
'''

LEGACY = '''
import functools

from flask import Flask, abort, request
from flask.views import MethodView

from token_extension import TokenAuth


def require_key(view):
    @functools.wraps(view)
    def checked(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(403)
        return view(*args, **kwargs)

    return checked


def logged(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


def items():
    return {"items": [1, 2]}


class Things(MethodView):
    decorators = [logged]

    def get(self):
        return {"things": request.args.get("q", "")}

    def post(self):
        return {"made": True}, 201


def wrapped():
    return {"wrapped": True}


def create_app(protect=False):
    app = Flask(__name__)
    app.add_url_rule("/items", view_func=items)
    app.add_url_rule("/things", view_func=Things.as_view("things"))
    app.add_url_rule("/wrapped", view_func=require_key(wrapped))

    @logged
    @app.route("/above")
    def above():  # Flask registers it unwrapped: @logged is applied after the rule is added
        return {"above": True}

    if protect:
        TokenAuth().init_app(app)
    return app


def create_protected_app():
    return create_app(protect=True)


@logged
def _unused():
    return None
'''

def _legacy(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "legacy").mkdir(parents=True, exist_ok=True)
    (tmp_path / "legacy" / "token_extension.py").write_text(
        textwrap.dedent(TOKEN_EXTENSION), encoding="utf-8")
    return {"__init__.py": LEGACY}


def _served(client, flask_client, method: str, path: str, **headers: str) -> tuple:
    legacy = flask_client.open(path, method=method, headers=headers)
    new = client.request(method, path, headers=headers)
    assert (new.status_code, new.content, new.headers.get("allow")) == (
        legacy.status_code, legacy.data, legacy.headers.get("Allow")), (method, path, headers)
    return new.status_code, new.content


def test_routes_whose_views_an_extension_wrapped_are_answered_by_flask(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with converted_snippet(tmp_path, "views_app", _legacy(tmp_path), "views_fastapi") as (
            result, out, _legacy_dir):
        assert sorted({v.route.endpoint for v in result.converted}) == [
            "above", "items", "things", "wrapped"]
        routers = (out / "routers" / "__init__.py").read_text(encoding="utf-8")
        assert '"items": ("views_app", "items", 0),' in routers
        assert '"things": ("views_app", "Things", 0),' in routers
        assert '"wrapped": ("views_app", "wrapped", 1),' in routers
        # defined inside create_app (FM026): found below its wrappers, by its qualified name
        assert '"above": ("views_app", "create_app.above", 0, 0),' in routers
        import views_app
        from views_fastapi.main import create_app

        # Unchanged legacy app: every converted route is FastAPI's.
        plain = create_app(views_app.create_app())
        assert plain.state.legacy_views_changed == {}

        legacy_app = views_app.create_app(protect=True)
        with caplog.at_level(logging.WARNING, logger="flask_compat"):
            app = create_app(legacy_app)
        changed = app.state.legacy_views_changed
        assert sorted(changed) == ["above", "items", "things", "wrapped"]
        assert changed["above"] == (
            "the legacy app runs views_app.create_app.above inside 1 wrapper(s), where the "
            "converted route has 0: something wrapped the view while the app was set up")
        extension = tmp_path / "legacy" / "token_extension.py"
        assert changed["items"] == (
            f"the legacy app runs a function defined at {extension}:17 for it, not "
            "views_app.items as it was converted: something wrapped or replaced the view while "
            "the app was set up")
        assert "the converted route 'items' is answered by the legacy app" in caplog.text
        flask_client = views_app.create_app(protect=True).test_client()
        with TestClient(app) as client:
            for path in ("/items", "/things", "/wrapped", "/above"):
                # Before: 200 from the converted route, which skipped the extension's check.
                assert _served(client, flask_client, "GET", path)[0] == 401
                assert _served(client, flask_client, "HEAD", path)[0] == 401
                _served(client, flask_client, "OPTIONS", path)  # Flask's own answer
            assert _served(client, flask_client, "POST", "/things")[0] == 401
            assert _served(client, flask_client, "GET", "/items", **{"X-Token": "t"}) == (
                200, b'{"items":[1,2]}\n')
            assert _served(client, flask_client, "GET", "/wrapped", **{"X-Token": "t"})[0] == 403
            assert _served(client, flask_client, "GET", "/wrapped",
                           **{"X-Token": "t", "X-Key": "k"})[0] == 200
            assert _served(client, flask_client, "POST", "/things", **{"X-Token": "t"})[0] == 201
            assert _served(client, flask_client, "PUT", "/things", **{"X-Token": "t"})[0] == 405


def test_the_check_accepts_what_flask_registers_as_converted(tmp_path: Path) -> None:
    """No false alarm: a function view, a MethodView with its class decorators, a view wrapped
    at registration (the converted route has that wrapper too), a decorator above `@route`
    (Flask runs the view without it, and so does the converted route); and each change found."""
    with converted_snippet(tmp_path, "views_app", _legacy(tmp_path), "views_fastapi") as (
            _result, _out, _legacy_dir):
        import views_app
        from views_fastapi import flask_compat

        app = views_app.create_app()
        views_app.above = views_app.logged(app.view_functions["above"])  # as `@logged` binds it
        table = {"items": ("views_app", "items", 0), "things": ("views_app", "Things", 0),
                 "wrapped": ("views_app", "wrapped", 1), "above": ("views_app", "above", 0)}
        assert flask_compat.changed_legacy_views(app, table) == {}

        # A view wrapped once more, a view replaced, an endpoint gone, a wrapper without
        # functools.wraps around the class view: each is found.
        as_view = app.view_functions["things"]
        app.view_functions["items"] = views_app.logged(app.view_functions["items"])
        app.view_functions["wrapped"] = views_app.items
        del app.view_functions["above"]
        app.view_functions["things"] = lambda **kwargs: as_view(**kwargs)
        changed = flask_compat.changed_legacy_views(app, table)
        assert sorted(changed) == ["above", "items", "things", "wrapped"]
        assert changed["above"] == "the legacy app has no view for this endpoint"
        # ...and a class view wrapped with functools.wraps (view_class copied along).
        app.view_functions["things"] = views_app.logged(as_view)
        assert "things" in flask_compat.changed_legacy_views(app, table)
        app.view_functions["things"] = as_view
        assert "things" not in flask_compat.changed_legacy_views(app, table)
        missing = {"items": ("views_app", "no_such_view", 0)}
        assert flask_compat.changed_legacy_views(app, missing)["items"].startswith(
            "views_app.no_such_view, the converted view, is not found")


def test_verify_does_not_pass_a_route_the_legacy_mount_answers(tmp_path: Path) -> None:
    """Both apps answer alike (401: the generated app's legacy mount runs the extension), but
    that proves nothing about the converted code: `migrate verify` says so and fails."""
    from migrator.verify.run import VerifyInputs, verify_routes

    with converted_snippet(tmp_path, "views_app", _legacy(tmp_path), "views_fastapi") as (
            _result, out, _legacy_dir):
        (out.parent / "protected_new.py").write_text(
            "import views_app\nfrom views_fastapi.main import create_app\n\n"
            "app = create_app(views_app.create_protected_app())\n", encoding="utf-8")
        try:
            result = verify_routes(VerifyInputs("views_app:create_protected_app",
                                                "protected_new:app"))
            unprotected = verify_routes(VerifyInputs("views_app:create_app",
                                                     "views_fastapi.main:app"))
        finally:
            sys.modules.pop("protected_new", None)
    assert not result.ok
    summary = result.to_json()["summary"]
    assert (summary["routes_passed"], summary["routes_failed"],
            summary["routes_answered_by_legacy"], summary["routes_without_cases"]) == (0, 0, 4, 0)
    # the verdict says why no route is green: it said "4 route(s) with mismatches"
    from rich.console import Console

    from migrator.report import print_verify_report

    console = Console(record=True, width=200)
    print_verify_report(result, console)
    verdict = console.export_text().strip().splitlines()[-1]
    assert verdict.startswith("0/4 routes green, ") and ", 0 failed, " in verdict
    assert "4 route(s) answered alike by the generated app's legacy mount, not by the " \
           "converted code" in verdict
    assert "mismatches" not in verdict
    for route in result.routes:
        assert route.outcomes and not route.failed  # alike, answered by Flask on both sides
        assert not route.passed
        assert route.answered_by_legacy is not None
        assert route.notes[0].startswith("answered by the generated app's legacy mount, not by "
                                         "the converted code: the legacy app runs ")
    assert len(result.routes) == 4  # `above`, defined inside create_app, is checked too
    assert unprotected.ok and all(r.answered_by_legacy is None for r in unprotected.routes)


# An extension that wraps a view while the app serves (Flask-MonitoringDashboard wraps a view
# when an admin sets a monitoring rule): here a lock, which answers 403 from then on.
LOCK_EXTENSION = '''
import functools

from flask import Blueprint, current_app, jsonify

bp = Blueprint("lock", __name__)


@bp.post("/_lock/<endpoint>")
def lock(endpoint):
    view = current_app.view_functions[endpoint]

    @functools.wraps(view)
    def locked(*args, **kwargs):
        return jsonify(error="locked"), 403

    locked.unlocked = view
    current_app.view_functions[endpoint] = locked
    return "locked"


@bp.post("/_unlock/<endpoint>")
def unlock(endpoint):
    views = current_app.view_functions
    views[endpoint] = views[endpoint].unlocked
    return "unlocked"


@bp.post("/_reset")
def reset():
    current_app.view_functions = dict(current_app.view_functions)  # a new dict
    current_app.view_functions.update(items=current_app.view_functions["other"])
    return "reset"
'''

LOCKED_LEGACY = '''
from flask import Flask

from lock_extension import bp


def items():
    return {"items": [1, 2]}


def other():
    return {"other": True}


def create_app():
    app = Flask(__name__)
    app.add_url_rule("/items", view_func=items)
    app.add_url_rule("/other", view_func=other)
    app.register_blueprint(bp)
    return app
'''


def test_a_view_changed_while_the_app_serves_is_answered_by_flask_from_then_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Before, only start-up was checked: after the lock, Flask answered 403 and the converted
    route, still running the original view, 200. Each side gets the same requests in the same
    order, each on its own app."""
    (tmp_path / "legacy").mkdir(parents=True)
    (tmp_path / "legacy" / "lock_extension.py").write_text(LOCK_EXTENSION, encoding="utf-8")
    with converted_snippet(tmp_path, "locked_app", LOCKED_LEGACY, "locked_fastapi") as (
            result, _out, _legacy_dir):
        assert sorted(v.route.endpoint for v in result.converted) == ["items", "other"]
        import locked_app
        from locked_fastapi.main import create_app

        flask_client = locked_app.create_app().test_client()
        app = create_app(locked_app.create_app())
        with TestClient(app) as client:
            assert _served(client, flask_client, "GET", "/items") == (200, b'{"items":[1,2]}\n')
            assert app.state.legacy_views_changed == {}
            with caplog.at_level(logging.WARNING, logger="flask_compat"):
                assert _served(client, flask_client, "POST", "/_lock/items")[0] == 200
            assert "the view of the converted route 'items' changed after start-up" \
                in caplog.text
            assert sorted(app.state.legacy_views_changed) == ["items"]
            assert app.state.legacy_views_changed["items"].endswith("(after start-up)")
            assert _served(client, flask_client, "GET", "/items") == (
                403, b'{"error":"locked"}\n')
            assert _served(client, flask_client, "GET", "/other")[0] == 200
            # unlocked: the converted view again, served by its converted route
            assert _served(client, flask_client, "POST", "/_unlock/items")[0] == 200
            assert app.state.legacy_views_changed == {}
            assert _served(client, flask_client, "GET", "/items") == (200, b'{"items":[1,2]}\n')
            # a new dict set as view_functions, then written through `update`
            assert _served(client, flask_client, "POST", "/_reset")[0] == 200
            assert _served(client, flask_client, "GET", "/items") == (200, b'{"other":true}\n')
            assert sorted(app.state.legacy_views_changed) == ["items"]


def test_apps_made_around_one_legacy_app_share_its_watched_views(tmp_path: Path) -> None:
    """Two generated apps around one legacy app (a test's, verify's): both are told of a view
    changed while they serve, and neither wraps the other's `view_functions` again on each
    request (each would have found it replaced, and checked every converted view)."""
    (tmp_path / "legacy").mkdir(parents=True)
    (tmp_path / "legacy" / "lock_extension.py").write_text(LOCK_EXTENSION, encoding="utf-8")
    with converted_snippet(tmp_path, "locked_app", LOCKED_LEGACY, "locked_fastapi") as (
            _result, _out, _legacy_dir):
        import locked_app
        from locked_fastapi.main import create_app

        legacy_app = locked_app.create_app()
        first, second = create_app(legacy_app), create_app(legacy_app)
        views = legacy_app.view_functions
        with TestClient(first) as one, TestClient(second) as two:
            assert one.get("/items").status_code == two.get("/items").status_code == 200
            assert legacy_app.view_functions is views
            assert one.post("/_lock/items").status_code == 200
            assert one.get("/items").status_code == two.get("/items").status_code == 403
            assert sorted(first.state.legacy_views_changed) == ["items"]
            assert sorted(second.state.legacy_views_changed) == ["items"]
            assert legacy_app.view_functions is views


RELOADED = {
    "__init__.py": '''
        from flask import Flask

        from . import views

        app = Flask(__name__)
        app.add_url_rule("/items", view_func=views.items)
        ''',
    "views.py": '''
        def items():
            return {"items": [1]}
        ''',
}


def test_a_view_module_run_again_after_the_app_was_made_is_named_as_such(
        tmp_path: Path) -> None:
    """`importlib.reload` of a view's module (Specter's tests) leaves the app running the first
    copy of the view: the route goes to Flask, and the reason says what happened rather than
    that something wrapped or replaced the view. The OpenAPI schema leaves the route out, as it
    does every converted route the legacy app answers (mlflow's `/signup` was documented)."""
    import importlib

    with converted_snippet(tmp_path, "reloaded_app", RELOADED, "reloaded_fastapi") as (
            result, _, _):
        assert [view.route.endpoint for view in result.converted] == ["items"]
        import reloaded_app
        from reloaded_fastapi.main import create_app

        unchanged = create_app(reloaded_app.app)
        assert unchanged.state.legacy_views_changed == {}
        assert "/items" in unchanged.openapi()["paths"]
        importlib.reload(reloaded_app.views)
        app = create_app(reloaded_app.app)
        # the schema does not document what the converted code would take and answer
        assert "/items" not in app.openapi()["paths"]
        assert app.state.legacy_views_changed == {"items": (
            "the legacy app runs another copy of reloaded_app.views.items than its module now "
            "holds: the module ran again after the app was made (importlib.reload, or an import "
            "under a second name), and the converted route would run the new copy")}
        with TestClient(app) as client:
            assert client.get("/items").json() == {"items": [1]}


def test_a_route_handed_to_flask_after_start_up_leaves_the_schema(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "handed_app", RELOADED, "handed_fastapi"):
        import handed_app
        from handed_fastapi.flask_compat import LegacyShortcut
        from handed_fastapi.main import create_app

        app = create_app(handed_app.app)
        assert set(app.openapi()["paths"]) == {"/items"}
        [shortcut] = [r for r in app.router.routes if isinstance(r, LegacyShortcut)]
        shortcut.legacy_only = frozenset({"items"})
        assert app.openapi()["paths"] == {}
        shortcut.legacy_only = frozenset()
        assert set(app.openapi()["paths"]) == {"/items"}
