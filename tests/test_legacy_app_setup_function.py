"""An app made at module level, whose middleware a function production calls sets up.

ironic-inspector 12.5.0's `main.py` makes `_app = flask.Flask(__name__)`; its `get_app()` wraps
`_app.wsgi_app` in ProxyFix, keystone or HTTP basic auth, CORS and a healthcheck, and returns
it; its WSGI script serves `main.get_app()`. The generated `main.load_legacy_app()` imported the
bare `_app`, so `uvicorn pkg.main:app` served every route, converted or not, without the auth
middleware: 200 where Flask answers 401 (its hand run). Now the scan takes such a function as
the way production gets the app (`App.wrapping_factory`), and the package calls it; a converted
route then runs middleware that only looks at the request, as Flask does.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

MIDDLEWARE = '''
class RequireToken:
    """401 unless the request carries the token."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AUTH_TOKEN") != "s3cret":
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"no token"]
        return self.app(environ, start_response)
'''

MAIN = '''
import flask

from . import auth

_app = flask.Flask(__name__)


def _init_middleware():
    auth.install(_app)


def get_app():
    """What the WSGI script serves."""
    with _app.app_context():
        _init_middleware()
    return _app


@_app.route("/secret")
def secret():
    return {"secret": 42}
'''

AUTH = '''
from .middleware import RequireToken


def install(app):
    app.wsgi_app = RequireToken(app.wsgi_app)
'''

FILES = {"__init__.py": "", "main.py": MAIN, "auth.py": AUTH, "middleware.py": MIDDLEWARE}


def test_the_scan_takes_the_function_production_gets_the_app_from(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path, {f"inspector/{name}": text
                                             for name, text in FILES.items()}))
    app = next(app for app in result.apps if app.name == "_app")
    assert app.factory is None
    assert app.wrapping_factory == "inspector.main:get_app"
    [route] = result.routes
    # the middleware only looks at the request before handing it on: converted routes run it
    assert route.status == "auto"
    assert app.middleware == {"inspector.middleware.RequireToken": "app"}


def test_the_package_serves_the_app_with_its_middleware(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "inspector", FILES, "inspector_fastapi") as (
            result, out, _legacy):
        main_source = (out / "main.py").read_text(encoding="utf-8")
        assert "from inspector.main import get_app\n\n    return get_app()" in main_source
        assert [view.route.endpoint for view in result.converted] == ["secret"]
        from inspector import main as legacy_main
        from inspector_fastapi.main import app

        # the app the package made with get_app(), with its middleware: as production's (a
        # second get_app() would wrap it twice)
        flask_client = legacy_main._app.test_client()
        with TestClient(app) as client:  # the package's own app, as `uvicorn ...:app` serves it
            for headers in ({}, {"X-Auth-Token": "wrong"}, {"X-Auth-Token": "s3cret"}):
                old = flask_client.get("/secret", headers=headers)
                new = client.get("/secret", headers=headers)
                assert (new.status_code, new.content) == (old.status_code, old.data), headers
            # before: 200 {"secret": 42} without a token
            assert client.get("/secret").status_code == 401
            # answered by the converted route, which runs the middleware first
            assert app.state.legacy_views_changed == {}
            assert getattr(app.state, "legacy_only_because", None) is None
