"""Flask-SocketIO on the app (changedetection.io 0.60.10: `socketio = SocketIO(app, ...)`;
pgadmin4, faraday and zou: `socketio.init_app(app)`): its routes convert, and the generated app
runs Flask-SocketIO's middleware before each converted route, as Flask does.

Setting the extension up on an app wraps the app's `wsgi_app` in `_SocketIOMiddleware`, which
answers the requests under its Socket.IO path (`/socket.io/`) itself and hands every other one
to the app it wraps (`self.wsgi_app`), with the environ copied and `flask.app` added. The wrap
happens in the extension's code, not the project's, so the scan did not see it: the routes
converted, and the generated app, finding a wrapper it did not know around `wsgi_app` at
start-up, sent every request to Flask (changedetection.io's 103 converted routes all answered
by the legacy mount). Now the scan records the middleware on the app (`App.middleware`) and
flask_compat's LegacyMiddlewarePass runs it before each converted route; a converted rule under
the Socket.IO path gets the middleware's answer, as in Flask.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import (
    assert_answered_alike,
    converted_snippet,
    paths_the_legacy_mount_serves,
)
from tests.lint_support import new_lint_findings

SOCKETIO_APP = '''
from flask import Flask, request
from flask_socketio import SocketIO

app = Flask(__name__)
socketio = SocketIO(app, async_mode="threading")


@app.get("/users/<name>")
def user(name):
    return {"user": name, "q": request.args.get("q"), "app": request.environ.get("flask.app") is app}


@app.route("/socket.io/stats")
def stats():
    """Shadowed by the Socket.IO middleware: Flask never runs it."""
    return {"stats": True}


@socketio.on("ping")
def ping(data):
    return data
'''

# the extension made first, set up on the app in a factory (pgadmin4's and zou's shape)
SOCKETIO_FACTORY = '''
from flask import Flask
from flask_socketio import SocketIO

socketio = SocketIO()


def create_app():
    app = Flask(__name__)

    @app.get("/health")
    def health():
        return {"ok": True}

    socketio.init_app(app, async_mode="threading")
    return app
'''

MIDDLEWARE = {"flask_socketio._SocketIOMiddleware": "wsgi_app"}


def test_socketio_middleware_runs_before_the_converted_routes(tmp_path: Path,
                                                               monkeypatch) -> None:
    with converted_snippet(tmp_path, "socket_app", SOCKETIO_APP, "socket_fastapi") as (
            result, out, legacy):
        scanned = scan_path(legacy)
        [app] = scanned.apps
        assert app.middleware == MIDDLEWARE
        [note] = [d for d in scanned.diagnostics if d.code == "scan.wsgi_middleware"]
        assert note.severity == "info" and "flask_socketio._SocketIOMiddleware" in note.message
        assert sorted(view.route.rule for view in result.converted) == [
            "/socket.io/stats", "/users/<name>"]
        assert not new_lint_findings(out, legacy.parent, "socket_app")

        import socket_app
        from socket_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "socket_fastapi")
        flask_client = socket_app.app.test_client()
        fastapi_app = create_app(socket_app.app)
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            # the converted routes answer themselves: nothing sends everything to Flask
            assert getattr(fastapi_app.state, "legacy_only_because", None) is None
            assert fastapi_app.state.legacy_middleware == tuple(MIDDLEWARE)
            assert_answered_alike(flask_client, client, (
                ("GET", "/users/ada?q=1"), ("POST", "/users/ada"), ("GET", "/socket.io/stats"),
                ("GET", "/socket.io"), ("GET", "/nope")))
            # the view ran behind the middleware (it added `flask.app`), through FastAPI
            mounted.clear()
            assert client.get("/users/ada").json()["app"] is True
            assert mounted == []
            # Engine.IO's handshake, served by the mount through the middleware, as by Flask
            old = flask_client.get("/socket.io/?EIO=4&transport=polling")
            new = client.get("/socket.io/?EIO=4&transport=polling")
            assert new.status_code == old.status_code == 200
            assert new.content[:8] == old.get_data()[:8] == b'0{"sid":'


def test_socketio_set_up_in_a_factory(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "socket_factory", SOCKETIO_FACTORY,
                           "socket_factory_fastapi") as (result, _out, legacy):
        [app] = scan_path(legacy).apps
        assert app.middleware == MIDDLEWARE
        assert [view.route.rule for view in result.converted] == ["/health"]

        import socket_factory
        from socket_factory_fastapi.main import create_app

        fastapi_app = create_app(socket_factory.create_app())
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            assert getattr(fastapi_app.state, "legacy_only_because", None) is None
            assert client.get("/health").json() == {"ok": True}


# python-socketio's own middleware, which Flask-SocketIO's derives from (sematic 0.41's
# `run_locally()`: `app.wsgi_app = socketio.WSGIApp(sio, app.wsgi_app)`): the scan kept every
# route on Flask as behind middleware a converted route cannot run
PLAIN_SOCKETIO = '''
import socketio
from flask import Flask

app = Flask(__name__)
sio = socketio.Server(async_mode="threading")
app.wsgi_app = socketio.WSGIApp(sio, app.wsgi_app)


@app.get("/ping")
def ping():
    return {"ok": True}
'''


def test_python_socketio_middleware_runs_before_the_converted_routes(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "plain_socket_app", PLAIN_SOCKETIO,
                           "plain_socket_fastapi") as (result, _out, legacy):
        [app] = scan_path(legacy).apps
        assert app.middleware == {"socketio.middleware.WSGIApp": "wsgi_app"}
        assert [view.route.rule for view in result.converted] == ["/ping"]

        import plain_socket_app
        from plain_socket_fastapi.main import create_app

        flask_client = plain_socket_app.app.test_client()
        fastapi_app = create_app(plain_socket_app.app)
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            assert getattr(fastapi_app.state, "legacy_only_because", None) is None
            assert fastapi_app.state.legacy_middleware == ("socketio.middleware.WSGIApp",)
            assert_answered_alike(flask_client, client, (
                ("GET", "/ping"), ("POST", "/ping"), ("GET", "/nope")))
            old = flask_client.get("/socket.io/?EIO=4&transport=polling")
            new = client.get("/socket.io/?EIO=4&transport=polling")
            assert new.status_code == old.status_code == 200
            assert new.content[:8] == old.get_data()[:8] == b'0{"sid":'
