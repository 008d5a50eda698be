"""FastAPI's own pages answer through the legacy app's request hooks.

The generated app serves `/openapi.json`, `/docs` (with `/docs/oauth2-redirect`) and `/redoc`
itself. Before, they answered without running the legacy app's `before_request` hooks, so an
app that checks every request there (a login or an API key, mlflow's check of the `Host`
header) gave the description of its API to anyone, and its `after_request` headers
(`X-Frame-Options`...) were missing. Now a page runs the legacy request cycle as a converted
route does: a hook's answer is the page's answer, as Flask gives it for any URL, and the
`after_request` hooks run on the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask, request

app = Flask(__name__)


@app.before_request
def require_token():
    # every URL of the app, its 404s included, needs the token
    if request.headers.get("Authorization") != "Bearer secret":
        return {"error": "unauthorized"}, 401


@app.after_request
def deny_frames(response):
    response.headers["X-Frame-Options"] = "DENY"
    return response


@app.route("/items/<int:item_id>")
def item(item_id):
    return {"id": item_id}
'''

PAGES = ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")
TOKEN = {"Authorization": "Bearer secret"}


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("pages")
    with converted_snippet(folder, "tokenapp", LEGACY, "tokenapp_fastapi") as (result, _, _):
        assert [view.route.rule for view in result.converted] == ["/items/<int:item_id>"]
        import tokenapp
        from tokenapp_fastapi.main import create_app

        with TestClient(create_app(tokenapp.app)) as client:
            yield tokenapp.app.test_client(), client


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_a_page_answers_a_refused_request_as_the_legacy_app_does(clients, path: str,
                                                                 method: str) -> None:
    flask_client, client = clients
    old, new = flask_client.open(path, method=method), client.request(method, path)
    assert (new.status_code, new.content, new.headers["content-type"]) == (
        old.status_code, old.data, old.headers["content-type"]) == (
        401, b"" if method == "HEAD" else b'{"error":"unauthorized"}\n', "application/json")
    assert new.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(("path", "content_type"), [
    ("/openapi.json", "application/json"),
    ("/docs", "text/html; charset=utf-8"),
    ("/docs/oauth2-redirect", "text/html; charset=utf-8"),
    ("/redoc", "text/html; charset=utf-8"),
])
def test_a_page_lets_a_request_the_hooks_let_through_see_it(clients, path: str,
                                                            content_type: str) -> None:
    _, client = clients
    answer = client.get(path, headers=TOKEN)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == content_type
    assert answer.headers["x-frame-options"] == "DENY"  # the after_request hook ran
    assert int(answer.headers["content-length"]) == len(answer.content)
    if path == "/openapi.json":
        assert list(answer.json()["paths"]) == ["/items/{item_id}"]
    options = client.options(path, headers=TOKEN)
    assert (options.status_code, options.headers["allow"], options.headers["x-frame-options"]
            ) == (200, "GET, HEAD, OPTIONS", "DENY")


def test_converted_routes_and_legacy_urls_answer_as_before(clients) -> None:
    flask_client, client = clients
    for path, headers in [("/items/3", TOKEN), ("/items/3", {}), ("/nowhere", TOKEN),
                          ("/nowhere", {})]:
        old, new = flask_client.get(path, headers=headers), client.get(path, headers=headers)
        assert (new.status_code, new.content, new.headers["x-frame-options"]) == (
            old.status_code, old.data, old.headers["x-frame-options"]), path


GUARDED_BY_MIDDLEWARE = '''
from flask import Flask


class BlockList:
    """WSGI middleware that answers a blocked client itself (sqlite-web's PrefixMiddleware
    answers outside its prefix the same way)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_CLIENT") == "blocked":
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"blocked"]
        return self.wsgi_app(environ, start_response)


app = Flask(__name__)
app.wsgi_app = BlockList(app.wsgi_app)


@app.route("/ping")
def ping():
    return {"ok": True}
'''


def test_a_page_answers_through_the_legacy_apps_wsgi_middleware(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "blockapp", GUARDED_BY_MIDDLEWARE, "blockapp_fastapi") as (
            result, _, _):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        import blockapp
        from blockapp_fastapi.main import create_app

        flask_client = blockapp.app.test_client()
        with TestClient(create_app(blockapp.app)) as client:
            for path in (*PAGES, "/ping"):
                old = flask_client.get(path, headers={"X-Client": "blocked"})
                new = client.get(path, headers={"X-Client": "blocked"})
                assert (new.status_code, new.content) == (old.status_code, old.data) == (
                    403, b"blocked"), path
            assert [client.get(path).status_code for path in (*PAGES, "/ping")] == [200] * 5


CORS_APP = '''
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["https://docs.example"])


@app.route("/ping")
def ping():
    return {"ok": True}
'''


def test_flask_cors_answers_on_the_pages_as_on_the_converted_routes(tmp_path: Path) -> None:
    """flask-cors adds its headers in an `after_request` hook: a browser page of another origin
    the app allows may read the schema, as it may read the routes it describes."""
    with converted_snippet(tmp_path, "corsapp", CORS_APP, "corsapp_fastapi") as (result, _, _):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        import corsapp
        from corsapp_fastapi.main import create_app

        with TestClient(create_app(corsapp.app)) as client:
            for origin, allowed in (("https://docs.example", "https://docs.example"),
                                    ("https://evil.example", None)):
                for path in ("/ping", "/openapi.json"):
                    answer = client.get(path, headers={"Origin": origin})
                    assert answer.status_code == 200
                    assert answer.headers.get("access-control-allow-origin") == allowed, path


def test_with_the_pages_off_their_paths_answer_as_flask_does(tmp_path: Path) -> None:
    """onionshare's receive mode (no catch-all rule): with the right password the pages answered
    200 where Flask answers 404, describing the API (and the app's module name) to every user
    who may use it. `migrate convert --no-fastapi-pages` turns them off: Flask answers their
    paths through the legacy mount, as it answers any other path; the schema still builds."""
    with converted_snippet(tmp_path, "tokenapp", LEGACY, "tokenapp_nopages",
                           fastapi_pages=False) as (result, out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/items/<int:item_id>"]
        assert "FastAPI's own pages are off" in (out / "main.py").read_text()
        import tokenapp
        from tokenapp_nopages.main import create_app

        app = create_app(tokenapp.app)
        assert "/items/{item_id}" in app.openapi()["paths"]
        flask_client = tokenapp.app.test_client()
        with TestClient(app) as client:
            for path in PAGES:
                for headers in ({}, TOKEN):
                    old, new = flask_client.get(path, headers=headers), client.get(
                        path, headers=headers)
                    assert (new.status_code, new.content) == (old.status_code, old.get_data())
                    assert old.status_code == (404 if headers else 401), path
