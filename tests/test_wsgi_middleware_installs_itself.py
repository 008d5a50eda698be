"""WSGI middleware that puts itself around the app: `app.wsgi_app = self` in its `__init__`
(buku 5.1's bukuserver, a copy of the flask-reverse-proxy-fix package: `ReverseProxyPrefixFix(app)`
keeps `app.wsgi_app`, wrapped in ProxyFix, as `self.app`, then sets itself as `app.wsgi_app`).

The write's value is not a call, so the scan said `app.wsgi_app` "is wrapped in an expression"
and kept every route of buku on Flask. The class itself has the shape of middleware that only
changes the request before handing it on (scan/middleware.py): read now, the app records it and
its routes convert; the generated app runs it (and the ProxyFix inside it) before each converted
route, as Flask does, so `url_for` in a converted view gives the prefixed URL too.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

MIDDLEWARE = '''
from flask import Flask as App
from werkzeug.middleware.proxy_fix import ProxyFix


class ReverseProxyPrefixFix:
    """Sets SCRIPT_NAME to the prefix the reverse proxy serves the app under."""

    def __init__(self, app: App, **kwargs):
        self.app = app.wsgi_app
        self.prefix = None

        if "REVERSE_PROXY_PATH" in app.config:
            self.prefix = app.config["REVERSE_PROXY_PATH"]

        self.app = ProxyFix(self.app, **kwargs)

        app.wsgi_app = self

    def __call__(self, environ, start_response):
        if self.prefix is not None:
            environ["SCRIPT_NAME"] = self.prefix
            path_info = environ["PATH_INFO"]
            if path_info.startswith(self.prefix):
                environ["PATH_INFO"] = path_info[len(self.prefix):]

        return self.app(environ, start_response)
'''

APP = '''
from flask import Flask, request, url_for

from .middleware import ReverseProxyPrefixFix


def create_app():
    app = Flask(__name__)
    app.config["REVERSE_PROXY_PATH"] = "/bm"

    @app.get("/items/<int:item_id>")
    def item(item_id):
        return {"id": item_id, "self": url_for("item", item_id=item_id),
                "root": request.script_root, "client": request.remote_addr}

    ReverseProxyPrefixFix(app, x_for=1)
    return app
'''


def test_middleware_that_installs_itself_runs_before_the_converted_routes(tmp_path: Path
                                                                         ) -> None:
    files = {"__init__.py": APP, "middleware.py": MIDDLEWARE}
    with converted_snippet(tmp_path, "prefixed_app", files, "prefixed_fastapi") as (
            result, out, legacy):
        scanned = scan_path(legacy)
        [app] = scanned.apps
        assert app.middleware == {"prefixed_app.middleware.ReverseProxyPrefixFix": "app"}
        [note] = [d for d in scanned.diagnostics if d.code == "scan.wsgi_middleware"]
        assert note.severity == "info", note.message
        assert note.file == "middleware.py"
        assert "ReverseProxyPrefixFix" in note.message
        assert [view.route.rule for view in result.converted] == ["/items/<int:item_id>"]
        assert not new_lint_findings(out, legacy.parent, "prefixed_app")

        import prefixed_app
        from prefixed_fastapi.main import create_app

        legacy_app = prefixed_app.create_app()
        flask_client = legacy_app.test_client()
        fastapi_app = create_app(legacy_app)
        forwarded = {"X-Forwarded-For": "203.0.113.9"}
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            assert getattr(fastapi_app.state, "legacy_only_because", None) is None
            for path, headers in (("/items/3", {}), ("/items/3", forwarded),
                                  ("/bm/items/3", {}), ("/items/x", {}), ("/bm/nope", {})):
                old = flask_client.get(path, headers=headers,
                                       environ_base={"REMOTE_ADDR": "testclient"})
                new = client.get(path, headers=headers)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert client.get("/items/3").json() == {
                "id": 3, "self": "/bm/items/3", "root": "/bm", "client": "testclient"}
            assert client.get("/items/3", headers=forwarded).json()["client"] == "203.0.113.9"


REWRITING_MIDDLEWARE = '''
class StampAnswers:
    def __init__(self, app):
        self.app = app.wsgi_app
        app.wsgi_app = self

    def __call__(self, environ, start_response):
        def stamped(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Stamp", "1")], exc_info)

        return self.app(environ, stamped)
'''


def test_middleware_that_installs_itself_and_changes_the_answer_keeps_the_routes(
        tmp_path: Path) -> None:
    app = APP.replace("from .middleware import ReverseProxyPrefixFix",
                      "from .middleware import StampAnswers").replace(
        "ReverseProxyPrefixFix(app, x_for=1)", "StampAnswers(app)")
    files = {"__init__.py": app, "middleware.py": REWRITING_MIDDLEWARE}
    with converted_snippet(tmp_path, "stamped_app", files, "stamped_fastapi") as (
            result, _out, legacy):
        scanned = scan_path(legacy)
        assert scanned.apps[0].middleware == {}
        [route] = scanned.routes
        assert route.status == "manual"
        [reason] = [r for r in route.reasons if r.startswith("scan.wsgi_middleware")]
        assert "StampAnswers (its __call__ defines a function: middleware.py:2)" in reason
        assert not result.converted
