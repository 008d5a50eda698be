"""An app production serves inside a WSGI composition: mounted by Werkzeug's
DispatcherMiddleware under a prefix, or within middleware given the dispatcher.

CloudKitty 25.0.0 serves `setup_app()`: `DispatcherMiddleware(root, {"/v2": get_api_app()})`,
behind keystone's auth middleware. Convert chose the v2 app (the one with the most routes) and
the generated package loaded it bare: its routes answered at `/scope` instead of `/v2/scope`, and
without the token check (`X-Roles: admin` and no token: 401 from production, 200 from the
generated app). Now such an app's routes stay on Flask, a `scan.served_inside` warning names the
composition, and the generated package asks for the app instead of loading it. The default app of
a dispatcher given to no other call keeps its paths: its routes convert, with a warning that the
package does not serve the other mounts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

COMPOSED = '''
from flask import Flask, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware


def get_api_app():
    api = Flask(__name__)

    @api.get("/secret")
    def secret():
        return {"secret": 42, "roles": request.headers.get("X-Roles")}

    return api


class RequireToken:
    """Auth in front of everything (CloudKitty: keystonemiddleware through paste)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AUTH_TOKEN") != "s3cret":
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"401\\n"]
        return self.app(environ, start_response)


def setup_app():
    """What production serves: gunicorn 'composed:setup_app()'."""
    root = Flask("root")
    return RequireToken(DispatcherMiddleware(root, {"/v2": get_api_app()}))
'''


def served_inside(result) -> list[tuple[str, int | None, str]]:
    return [(d.file, d.line, d.message) for d in result.diagnostics
            if d.code == "scan.served_inside"]


def test_a_mounted_app_behind_middleware_stays_on_flask_and_is_asked_for(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "composed", COMPOSED, "composed_fastapi") as (
            result, out, legacy):
        assert result.converted == []
        [left] = result.left
        assert left.reasons[0] == (
            "scan.served_inside: production serves the app inside DispatcherMiddleware mounted "
            "at `/v2` (in setup_app(), __init__.py:32) within `RequireToken`: requests reach the "
            "route under that prefix and through that middleware, which a converted route would "
            "not; the route stays on Flask")
        scan = scan_path(legacy)
        apps = {app.name: app.served_inside for app in scan.apps}
        assert apps == {
            "api": [("DispatcherMiddleware mounted at `/v2` (in setup_app(), __init__.py:32) "
                    "within `RequireToken`")],
            "root": [("DispatcherMiddleware as its default app (in setup_app(), __init__.py:32) "
                     "within `RequireToken`")]}
        assert [(file, line) for file, line, _ in served_inside(scan)] == [
            ("__init__.py", 32), ("__init__.py", 32)]
        # the package does not serve the bare app, at other paths and without the token check
        from composed_fastapi.main import create_app, load_legacy_app

        with pytest.raises(RuntimeError, match="is served inside WSGI middleware that loading "
                                               "it does not set up: DispatcherMiddleware"):
            load_legacy_app()
        assert "TODO(migrate): make the legacy app here" in (out / "main.py").read_text()
        import composed

        # given the app, every request reaches Flask through the mount
        with TestClient(create_app(composed.get_api_app())) as client:
            assert client.get("/secret", headers={"X-Roles": "r"}).json() == {
                "roles": "r", "secret": 42}


def test_the_default_app_of_a_dispatcher_keeps_its_paths_and_converts(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"shop/__init__.py": '''
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

app = Flask(__name__)


@app.get("/items")
def items():
    return {"items": []}


def metrics(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"up 1\\n"]


application = DispatcherMiddleware(app, {"/metrics": metrics})
'''})
    scan = scan_path(root / "shop")
    assert [(route.rule, route.status) for route in scan.routes] == [("/items", "auto")]
    assert [app.served_inside for app in scan.apps] == [[]]
    assert served_inside(scan) == [(
        "__init__.py", 17, ("`app` is served by DispatcherMiddleware (__init__.py:17) at its own "
        "paths, beside `/metrics`: the generated package serves the app alone, without the other "
        "mounts"))]
    # with no other mount, the package serves what production does: nothing to say (the
    # warning said "beside nothing")
    source = (root / "shop" / "__init__.py").read_text()
    (root / "shop" / "__init__.py").write_text(
        source.replace('{"/metrics": metrics}', "{}"))
    scan = scan_path(root / "shop")
    assert [(route.rule, route.status) for route in scan.routes] == [("/items", "auto")]
    assert served_inside(scan) == []


def test_an_app_mounted_into_another_apps_wsgi_app_stays_on_flask(tmp_path: Path) -> None:
    """`app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/admin": admin})`: the outer app's
    own middleware is `scan.wsgi_middleware`'s; the mounted app answers under `/admin`."""
    root = write_tree(tmp_path, {"site/__init__.py": '''
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

admin = Flask("admin")


@admin.get("/users")
def users():
    return {"users": []}


app = Flask(__name__)
app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/admin": admin})
'''})
    scan = scan_path(root / "site")
    apps = {app.name: app.served_inside for app in scan.apps}
    assert apps["admin"] == ["DispatcherMiddleware mounted at `/admin` (__init__.py:13)"]
    [users] = [route for route in scan.routes if route.rule == "/users"]
    assert users.status == "manual"
    assert users.reasons[0].startswith("scan.served_inside: production serves the app inside "
                                       "DispatcherMiddleware mounted at `/admin`")


def test_mounts_bound_to_a_name_before_the_call_are_read(tmp_path: Path) -> None:
    """CloudKitty's `setup_app()`: `dispatch_dict = {'/v1': ..., '/v2': get_v2_app()}`, perhaps
    changed under a condition (`dispatch_dict.pop('/v2')`), then `DispatcherMiddleware(
    root_app, dispatch_dict)`: the v2 app is taken as mounted, its routes kept on Flask."""
    root = write_tree(tmp_path, {"kitty/__init__.py": '''
import os

import flask
from werkzeug.middleware import dispatcher


def get_v2_app():
    app = flask.Flask("v2")

    @app.get("/scope")
    def scope():
        return {"scopes": []}

    return app


def setup_app():
    root_app = flask.Flask("cloudkitty")
    dispatch_dict = {"/v2": get_v2_app()}
    if os.environ.get("V1_ONLY"):
        dispatch_dict.pop("/v2")
    app = dispatcher.DispatcherMiddleware(root_app, dispatch_dict)
    return app
'''})
    scan = scan_path(root / "kitty")
    apps = {app.name: app.served_inside for app in scan.apps}
    assert apps == {"app": [("DispatcherMiddleware mounted at `/v2` (in setup_app(), "
                            "__init__.py:22)")], "root_app": []}
    assert [(route.rule, route.status) for route in scan.routes] == [("/scope", "manual")]
    assert [message.split(":")[0] for _, _, message in served_inside(scan)] == [
        "`root_app` is served by DispatcherMiddleware (in setup_app(), __init__.py",
        ("`app` is served inside DispatcherMiddleware mounted at `/v2` (in setup_app(), "
        "__init__.py")]
