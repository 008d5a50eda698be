"""WSGI middleware that only changes the request (`app.wsgi_app = Prefixed(app.wsgi_app)`): its
app's routes convert, and the generated app runs the middleware before each converted route.

Three real apps from PyPI were kept on Flask entirely by such a class, all the "serve under a
prefix behind a proxy" snippet (flask.pocoo.org/snippets/35): ihatemoney 7.2.1 (`PrefixedWSGI`:
`SCRIPT_NAME` from the config, the scheme from `X-Scheme`), sqlite-web 0.8.2
(`PrefixMiddleware`: answers 404 itself outside its prefix) and calibre-web 0.6.27
(`ReverseProxied`: also drops a reverse-proxy login header sent from an untrusted address). The
classes below have their shapes. The scan reads each `__call__` (scan/middleware.py) and the
generated app runs it (flask_compat.LegacyMiddlewarePass): a request it leaves alone reaches
the converted route in the environ it handed on (scheme, root path); one it answers gets its
answer; one whose headers, path, query or body it changes gets Flask's own answer, since
FastAPI read the route's parameters from the request as it was. Every answer is compared with
Flask's (test client), and the tests check which of the two ran the view.
"""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from fastapi import Cookie, Depends, FastAPI, Header, Query, Request
from flask import Flask
from starlette.responses import StreamingResponse
from starlette.testclient import TestClient
from werkzeug.test import EnvironBuilder

from migrator.scan import scan_path
from migrator.scan.middleware import read_middleware
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.scan_support import write_tree
from tests.test_flask_compat import fc

PROXIED_APP = '''
from flask import Flask, request, url_for


class PrefixedWSGI:
    """ihatemoney's: the root from the config, the scheme from the proxy's header."""

    def __init__(self, app):
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ, start_response):
        script_name = self.app.config["APPLICATION_ROOT"]
        if script_name != "/":
            environ["SCRIPT_NAME"] = script_name
            path_info = environ["PATH_INFO"]
            if path_info.startswith(script_name):
                environ["PATH_INFO"] = path_info[len(script_name):]
        scheme = environ.get("HTTP_X_SCHEME", "")
        if scheme:
            environ["wsgi.url_scheme"] = scheme
        return self.wsgi_app(environ, start_response)


class ReverseProxied:
    """calibre-web's: a login header only counts from the trusted proxy."""

    def __init__(self, application):
        self.app = application

    def __call__(self, environ, start_response):
        trusted = app.config["TRUSTED_PROXY"]
        if "HTTP_X_REMOTE_USER" in environ and environ.get("REMOTE_ADDR") != trusted:
            environ.pop("HTTP_X_REMOTE_USER")
        environ["proxied.checked"] = "yes"
        forwarded_host = environ.get("HTTP_X_FORWARDED_HOST", "")
        if forwarded_host:
            environ["HTTP_HOST"] = forwarded_host
        return self.app(environ, start_response)


app = Flask(__name__)
app.config["TRUSTED_PROXY"] = "10.0.0.1"
app.wsgi_app = PrefixedWSGI(app)
app.wsgi_app = ReverseProxied(app.wsgi_app)


@app.get("/whoami")
def whoami():
    user = request.headers.get("X-Remote-User")
    if user is None:
        return {"error": "not logged in"}, 401
    return {"user": user, "checked": request.environ.get("proxied.checked")}


@app.get("/items/<int:item_id>")
def item(item_id):
    return {"id": item_id, "url": url_for("item", item_id=item_id, _external=True),
            "scheme": request.scheme}
'''

PREFIX_APP = '''
from flask import Flask, url_for


class PrefixMiddleware(object):
    """sqlite-web's: the app lives under a prefix, and answers nothing outside it."""

    def __init__(self, app, prefix):
        self.app = app
        self.prefix = "/%s" % prefix.strip("/")
        self.prefix_len = len(self.prefix)

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == self.prefix or path.startswith(self.prefix + "/"):
            environ["PATH_INFO"] = path[self.prefix_len:] or "/"
            environ["SCRIPT_NAME"] = self.prefix
            return self.app(environ, start_response)
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return ["URL does not match application prefix.".encode()]


app = Flask(__name__)
app.wsgi_app = PrefixMiddleware(app.wsgi_app, prefix="db")


@app.get("/tables")
def tables():
    return {"tables": ["a", "b"], "self": url_for("tables")}
'''


class DispatchCount:
    """Counts Flask's own request cycles (`full_dispatch_request`): a request the bridge serves
    runs the view without one."""

    def __init__(self, flask_app) -> None:
        self.calls = 0
        own = flask_app.full_dispatch_request

        def counted():
            self.calls += 1
            return own()

        flask_app.full_dispatch_request = counted


def answer(response) -> tuple:
    return (response.status_code, response.headers.get("Content-Type"),
            response.headers.get("Location"), response.content)


def flask_answer(flask_client, method: str, path: str, headers: dict | None = None) -> tuple:
    """Flask's answer, asked as Starlette's test client asks (its host and address)."""
    response = flask_client.open(path, method=method, headers=headers or {},
                                 base_url="http://testserver",
                                 environ_base={"REMOTE_ADDR": "testclient"})
    # (Werkzeug's test client keeps a HEAD answer's body; a server drops it)
    return (response.status_code, response.headers.get("Content-Type"),
            response.headers.get("Location"), b"" if method == "HEAD" else response.data)


def test_the_routes_convert_and_the_middleware_runs_first(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "proxied_app", PROXIED_APP, "proxied_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/items/<int:item_id>", "/whoami"]
        scan = scan_path(legacy)
        [flask_app_model] = scan.apps
        assert flask_app_model.middleware == {"proxied_app.PrefixedWSGI": "wsgi_app",
                                              "proxied_app.ReverseProxied": "app"}
        assert [(d.code, d.severity, d.line) for d in scan.diagnostics] == [
            ("scan.wsgi_middleware", "info", 44), ("scan.wsgi_middleware", "info", 45)]
        assert "LEGACY_MIDDLEWARE = {" in (out / "main.py").read_text()
        assert not new_lint_findings(out, legacy.parent, legacy.name)

        import proxied_app
        from proxied_fastapi.main import create_app

        flask_app = proxied_app.app
        new_app = create_app(flask_app)
        assert new_app.state.legacy_middleware == ("proxied_app.ReverseProxied",
                                                   "proxied_app.PrefixedWSGI")
        assert getattr(new_app.state, "legacy_only_because", None) is None
        dispatch = DispatchCount(flask_app)
        flask_client = flask_app.test_client()
        # (request, served by the bridge with the app's default config)
        cases = [
            (("GET", "/whoami", {}), True),
            # untrusted: the middleware drops the header FastAPI read; Flask's answer (401)
            (("GET", "/whoami", {"X-Remote-User": "mallory"}), False),
            (("HEAD", "/whoami", {"X-Remote-User": "mallory"}), False),
            (("GET", "/items/7", {}), True),
            (("GET", "/items/7", {"X-Scheme": "https"}), True),
            # a header the route does not read (`Host`): the converted route, on the new host
            (("GET", "/items/7", {"X-Forwarded-Host": "books.example"}), True),
            (("GET", "/whoami", {"X-Forwarded-Host": "books.example"}), True),
            (("HEAD", "/items/7", {"X-Scheme": "https"}), True),
            (("OPTIONS", "/items/7", {}), False),
            (("GET", "/items/x", {}), False),  # no converted route: the legacy mount's 404
        ]
        with TestClient(new_app) as client:
            for (method, path, headers), bridged in cases:
                expected = flask_answer(flask_client, method, path, headers)
                dispatch.calls = 0
                assert answer(client.request(method, path, headers=headers)) == expected, (
                    method, path, headers)
                assert dispatch.calls == (0 if bridged else 1), (method, path, headers)
            whoami = client.get("/whoami", headers={"X-Remote-User": "mallory"})
            assert whoami.json() == {"error": "not logged in"}
            item = client.get("/items/7", headers={"X-Scheme": "https"}).json()
            assert item["url"] == "https://testserver/items/7"
            item = client.get("/items/7", headers={"X-Forwarded-Host": "books.example"}).json()
            assert item["url"] == "http://books.example/items/7"

            # the trusted proxy's header counts: the converted route answers, with the
            # environ the middleware handed on
            flask_app.config["TRUSTED_PROXY"] = "testclient"
            expected = flask_answer(flask_client, "GET", "/whoami", {"X-Remote-User": "alice"})
            dispatch.calls = 0
            new = client.get("/whoami", headers={"X-Remote-User": "alice"})
            assert answer(new) == expected
            assert new.json() == {"user": "alice", "checked": "yes"}
            assert dispatch.calls == 0

            # a root set in the config: requests under it are not the converted routes' paths
            # (the legacy mount serves them, through the middleware); the converted route's own
            # path now gives Flask another root: Flask's answer
            flask_app.config["APPLICATION_ROOT"] = "/money"
            for path in ("/money/items/7", "/items/7"):
                expected = flask_answer(flask_client, "GET", path)
                dispatch.calls = 0
                assert answer(client.get(path)) == expected, path
                assert dispatch.calls == 1, path
            assert client.get("/money/items/7").json()["url"] == \
                "http://testserver/money/items/7"


def test_proxy_fix_runs_with_the_other_middleware(tmp_path: Path) -> None:
    """ihatemoney wraps its app in `PrefixedWSGI`, then in ProxyFix: the generated app runs the
    whole chain, so a converted route sees the client address ProxyFix gives, as in Flask (the
    scan says so, instead of asking for `uvicorn --proxy-headers`)."""
    source = PROXIED_APP.replace(
        "from flask import Flask, request, url_for\n",
        "from flask import Flask, request, url_for\n"
        "from werkzeug.middleware.proxy_fix import ProxyFix\n") + '''
app.wsgi_app = ProxyFix(app.wsgi_app)


@app.get("/ip")
def ip():
    return {"ip": request.remote_addr}
'''
    with converted_snippet(tmp_path, "fixed_app", source, "fixed_fastapi") as (
            result, _out, legacy):
        assert "/ip" in [view.route.rule for view in result.converted]
        scan = scan_path(legacy)
        assert [(d.code, d.severity) for d in scan.diagnostics] == [
            ("scan.wsgi_middleware", "info")] * 3
        assert not any("ProxyFix" in reason for route in scan.routes for reason in route.reasons)
        import fixed_app
        from fixed_fastapi.main import create_app

        dispatch = DispatchCount(fixed_app.app)
        flask_client = fixed_app.app.test_client()
        with TestClient(create_app(fixed_app.app)) as client:
            headers = {"X-Forwarded-For": "203.0.113.9"}
            expected = flask_answer(flask_client, "GET", "/ip", headers)
            dispatch.calls = 0
            new = client.get("/ip", headers=headers)
            assert answer(new) == expected
            assert new.json() == {"ip": "203.0.113.9"}
            assert dispatch.calls == 0  # the converted route, after ProxyFix


def test_a_middleware_answering_by_itself_answers_converted_routes(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "prefixed_app", PREFIX_APP, "prefixed_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/tables"]
        import prefixed_app
        from prefixed_fastapi.main import create_app

        flask_app = prefixed_app.app
        new_app = create_app(flask_app)
        dispatch = DispatchCount(flask_app)
        flask_client = flask_app.test_client()
        with TestClient(new_app) as client:
            for method in ("GET", "HEAD", "OPTIONS", "POST"):
                for path in ("/tables", "/db/tables", "/db/nothing", "/elsewhere"):
                    expected = flask_answer(flask_client, method, path)
                    dispatch.calls = 0
                    assert answer(client.request(method, path)) == expected, (method, path)
                    # the middleware itself answers outside its prefix; Flask under it
                    assert dispatch.calls == (path.startswith("/db/")), (method, path)
            assert client.get("/tables").content == b"URL does not match application prefix."
            assert client.get("/db/tables").json() == {"tables": ["a", "b"],
                                                       "self": "/db/tables"}


def test_flask_s_own_answer_is_streamed_not_held_in_memory() -> None:
    """A request the middleware changes gets Flask's whole answer; a download (calibre-web's
    books, behind a proxy that sets a root path) is streamed as the legacy mount streams it,
    not read into memory first."""
    produced: list[int] = []
    flask_app = Flask("streaming")

    @flask_app.get("/file")
    def download():
        def chunks():
            for number in range(3):
                produced.append(number)
                yield b"%d" % number
        return flask_app.response_class(chunks(), mimetype="application/octet-stream")

    class UnderPrefix:
        def __init__(self, app):
            self.app = app

        def __call__(self, environ, start_response):
            environ["SCRIPT_NAME"], environ["PATH_INFO"] = "/dl", environ["PATH_INFO"][3:]
            return self.app(environ, start_response)

    flask_app.wsgi_app = UnderPrefix(flask_app.wsgi_app)
    flask_app.request_context = passing = fc.LegacyMiddlewarePass(flask_app)
    answer = passing.run(EnvironBuilder("/dl/file").get_environ(), frozenset())
    assert isinstance(answer, StreamingResponse)
    assert (answer.status_code, produced) == (200, [])  # nothing read yet

    async def read() -> bytes:
        return b"".join([chunk async for chunk in answer.body_iterator])

    assert asyncio.run(read()) == b"012"
    assert produced == [0, 1, 2]


def test_what_fastapi_reads_for_a_route() -> None:
    """The environ keys whose change by the middleware sends a request to Flask: those FastAPI
    read the route's parameters from (a guard's check runs in the legacy context); everything,
    when a dependency takes the whole request."""
    app = FastAPI()
    guard = fc.LegacyGuard(lambda view: view, headers=["X-Api-Key"])

    @app.get("/a", dependencies=[Depends(guard)])
    def a(q: str = Query(""), agent: str | None = Header(None, alias="User-Agent"),
          session: str | None = Cookie(None)) -> None: ...

    def whole(request: Request) -> None: ...

    @app.get("/b", dependencies=[Depends(whole)])
    def b() -> None: ...

    @app.post("/c")
    def c(body: dict) -> None: ...

    reads = {route.path: fc._fastapi_reads(route) for route in app.routes if route.path in (
        "/a", "/b", "/c")}
    assert reads == {"/a": {"QUERY_STRING", "HTTP_USER_AGENT", "HTTP_COOKIE"}, "/b": None,
                     "/c": {"CONTENT_TYPE", "CONTENT_LENGTH", "wsgi.input"}}


REWRITING_MIDDLEWARE = {
    "its answer is changed": '''
        def __call__(self, environ, start_response):
            body = self.app(environ, start_response)
            return [part.upper() for part in body]
    ''',
    "start_response is wrapped": '''
        def __call__(self, environ, start_response):
            def add_header(status, headers, exc_info=None):
                return start_response(status, headers + [("X-Served-By", "me")], exc_info)
            return self.app(environ, add_header)
    ''',
    "an error is caught": '''
        def __call__(self, environ, start_response):
            try:
                return self.app(environ, start_response)
            except Exception:
                start_response("500 Oops", [])
                return [b"oops"]
    ''',
}


@pytest.mark.parametrize("change", sorted(REWRITING_MIDDLEWARE))
def test_middleware_that_does_more_keeps_the_routes_on_flask(tmp_path: Path, change: str
                                                             ) -> None:
    call = REWRITING_MIDDLEWARE[change].strip("\n")
    source = (
        "from flask import Flask\n\n\n"
        "class Middleware:\n"
        "    def __init__(self, app):\n"
        "        self.app = app\n\n"
        + "\n".join(line[4:] if line.strip() else "" for line in call.splitlines()) + "\n\n\n"
        "app = Flask(__name__)\n"
        "app.wsgi_app = Middleware(app.wsgi_app)\n\n\n"
        "@app.get('/data')\n"
        "def data():\n"
        "    return {'data': 1}\n"
    )
    with converted_snippet(tmp_path, "rewriting_app", source, "rewriting_fastapi") as (
            result, _out, _legacy):
        assert not result.converted
        [left] = result.left
        assert left.reasons[0].startswith("scan.wsgi_middleware: __init__.py:"), left.reasons
        assert "wraps `app.wsgi_app` in Middleware (" in left.reasons[0]


def shape(source: str):
    module = cst.parse_module(textwrap.dedent(source))
    [klass] = [node for node in module.body if isinstance(node, cst.ClassDef)]
    return read_middleware(klass)


CALL = "    def __call__(self, environ, start_response):\n"

# (the class, what the reader says: None for no __call__, "app" for the attribute handed on, or
# why it is unread)
READER_CASES = [
    ("class M:\n    def __init__(self, app):\n        self.app = app\n", None),
    ("class M:\n" + CALL + "        environ['X'] = '1'\n"
     "        return self.app(environ, start_response)\n", "app"),
    ("class M(Base):\n" + CALL + "        return self.app(environ, start_response)\n",
     "it has a base class, whose code is not read"),
    ("class M:\n" + CALL + "        log(self)\n"
     "        return self.app(environ, start_response)\n",
     "its __call__ uses `self` other than to read or set its attributes"),
    ("class M:\n" + CALL + "        self.app.config['X'] = 1\n"
     "        return self.app(environ, start_response)\n",
     "its __call__ uses `self.app`, the app it wraps, other than to hand the request on"),
    ("class M:\n" + CALL + "        return self.app(environ, start_response)\n"
     "    def again(self, environ, sr):\n        return self.app(environ, sr)\n",
     "another of its methods uses `self.app`, the app it wraps"),
    ("class M:\n" + CALL + "        if environ.get('A'):\n"
     "            return self.a(environ, start_response)\n"
     "        return self.b(environ, start_response)\n",
     "its __call__ hands the request on to more than one app"),
    ("class M:\n" + CALL + "        yield from self.app(environ, start_response)\n",
     "its __call__ is a generator"),
    ("class M:\n" + CALL + "        with lock:\n"
     "            return self.app(environ, start_response)\n",
     "it calls the app it wraps inside a try or with block"),
    ("class M:\n" + CALL + "        start_response('200 OK', [])\n"
     "        return [b'maintenance']\n",
     "its __call__ never hands the request on as `return self.app(environ, start_response)`"),
    # Blazar's RequestLog: a method of its own wraps start_response, then calls the app
    ("class M:\n    def __init__(self, application):\n        self.application = application\n"
     + CALL + "        return self._log_app(environ, start_response)\n"
     "    def _log_app(self, environ, start_response):\n"
     "        def replacement(status, headers, exc_info=None):\n"
     "            return start_response(status, headers + [('X-Logged', '1')], exc_info)\n"
     "        return self.application(environ, replacement)\n",
     "its __call__ hands the request on to its own method `_log_app`, whose code is not read"),
    ("class M:\n" + CALL.replace("start_response)", "start_response, extra=None)")
     + "        return self.app(environ, start_response)\n",
     "its __call__ does not take just (environ, start_response)"),
]


@pytest.mark.parametrize(("source", "expected"), READER_CASES)
def test_the_middleware_reader(source: str, expected: str | None) -> None:
    found = shape(source)
    if expected is None:
        assert found is None
    elif expected == "app":
        assert (found.passes_on, found.reason) == ("app", None)
    else:
        assert (found.passes_on, found.reason) == (None, expected)


# graphite-api 1.1.3's own two middleware classes, one wrapped in the other in one statement:
# TrailingSlash only changes the path; CORS adds headers to the answer (it wraps start_response)
NESTED_APP = '''
from flask import Flask, request


class CORS(object):
    def __init__(self, app, origins=None):
        self.app = app
        self.origins = origins

    def __call__(self, environ, start_response):
        origin = environ.get("HTTP_ORIGIN")
        if origin is None or self.origins is None:
            return self.app(environ, start_response)
        allow_origin = [("Access-Control-Allow-Origin", origin)]

        def custom_start_response(status, headers, exc_info=None):
            headers.extend(allow_origin)
            return start_response(status, headers, exc_info)
        return self.app(environ, custom_start_response)


class TrailingSlash(object):
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path_info = environ["PATH_INFO"]
        if len(path_info) > 1 and path_info.endswith("/"):
            environ["PATH_INFO"] = path_info.rstrip("/")
        return self.app(environ, start_response)


class Stamp:
    def __init__(self, app, value):
        self.app = app
        self.value = value

    def __call__(self, environ, start_response):
        environ["stamp"] = self.value
        return self.app(environ, start_response)


app = Flask(__name__)
app.wsgi_app = TrailingSlash(INNER)


@app.get("/metrics")
def metrics():
    return {"metrics": [], "stamp": request.environ.get("stamp")}
'''


def test_middleware_nested_in_the_wrapper_s_argument_is_read_too(tmp_path: Path) -> None:
    """graphite-api: `app.wsgi_app = TrailingSlash(CORS(app.wsgi_app, origins))`. The scan read
    only the outer class, recorded it as run by converted routes and let the routes convert
    (`auto`); the generated app, finding CORS at start-up, then sent every request to Flask.
    Each class of the nesting is read: CORS changes the answer, so the routes stay on Flask,
    and the reason names it."""
    source = NESTED_APP.replace("INNER", 'CORS(app.wsgi_app, ["*"])')
    with converted_snippet(tmp_path, "nested_app", source, "nested_fastapi") as (
            result, _out, legacy):
        assert not result.converted
        scan = scan_path(legacy)
        assert scan.apps[0].middleware == {}
        [route] = scan.routes
        assert route.status == "manual"
        assert route.reasons[0].startswith(
            "scan.wsgi_middleware: __init__.py:44 wraps `app.wsgi_app` in TrailingSlash around "
            "CORS (its __call__ defines a function: __init__.py:5)"), route.reasons


def test_middleware_nested_in_the_wrapper_s_argument_runs_when_all_of_it_passes(
        tmp_path: Path) -> None:
    source = NESTED_APP.replace("INNER", 'Stamp(ProxyFix(app.wsgi_app), "inner")').replace(
        "from flask import Flask, request\n",
        "from flask import Flask, request\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n")
    with converted_snippet(tmp_path, "nested_ok_app", source, "nested_ok_fastapi") as (
            result, _out, legacy):
        assert [view.route.rule for view in result.converted] == ["/metrics"]
        assert scan_path(legacy).apps[0].middleware == {
            "nested_ok_app.TrailingSlash": "app", "nested_ok_app.Stamp": "app"}
        import nested_ok_app
        from nested_ok_fastapi.main import create_app

        dispatch = DispatchCount(nested_ok_app.app)
        flask_client = nested_ok_app.app.test_client()
        with TestClient(create_app(nested_ok_app.app)) as client:
            for path in ("/metrics", "/metrics/"):
                expected = flask_answer(flask_client, "GET", path)
                dispatch.calls = 0
                assert answer(client.get(path)) == expected, path
                assert dispatch.calls == (path == "/metrics/"), path  # a changed path: Flask's
            assert client.get("/metrics").json() == {"metrics": [], "stamp": "inner"}


@pytest.mark.parametrize(("inner", "shown"), [
    # an inner wrapper that is not a name: the message says so, rather than blaming the outer
    ('make_wrapper()(app.wsgi_app)', "TrailingSlash around an expression"),
    # the same class twice: the reason names the chain up to the one that may not run
    ('TrailingSlash(CORS(app.wsgi_app, ["*"]))', "TrailingSlash around TrailingSlash around CORS"),
])
def test_the_reason_names_the_nesting_up_to_the_wrapper_that_may_not_run(
        tmp_path: Path, inner: str, shown: str) -> None:
    source = NESTED_APP.replace("INNER", inner) + "\n\ndef make_wrapper():\n    return CORS\n"
    legacy = tmp_path / "shown_app"
    legacy.mkdir()
    (legacy / "__init__.py").write_text(source)
    [route] = scan_path(legacy).routes
    assert route.status == "manual"
    assert route.reasons[0].startswith(
        f"scan.wsgi_middleware: __init__.py:44 wraps `app.wsgi_app` in {shown}"), route.reasons


TAGGED_NOTHING_CONVERTED = '''
from flask import Flask


class Tag:
    """Only marks the request, then hands it on."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        environ["HTTP_X_TAG"] = "1"
        return self.app(environ, start_response)


app = Flask(__name__)
app.wsgi_app = Tag(app.wsgi_app)
app.add_url_rule("/old", "old", redirect_to="/new")
'''


def test_fastapi_s_pages_are_served_when_no_route_converts(tmp_path: Path) -> None:
    """pgAdmin 4 9.18, none of whose routes convert: main.py gave mount_legacy no
    LEGACY_MIDDLEWARE when it had no routers, so the mount took its known request-only
    middleware for one it cannot run and sent every path to Flask, FastAPI's own schema and
    docs pages too (Flask's 404)."""
    with converted_snippet(tmp_path, "tagged_app", TAGGED_NOTHING_CONVERTED,
                           "tagged_fastapi") as (result, out, _):
        assert not result.converted and [v.route.rule for v in result.left] == ["/old"]
        main = (out / "main.py").read_text(encoding="utf-8")
        assert "legacy_middleware=LEGACY_MIDDLEWARE" in main
        from tagged_app import app as legacy_app
        from tagged_fastapi.main import create_app

        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            schema = client.get("/openapi.json")
            assert schema.status_code == 200 and schema.json()["paths"] == {}
            assert client.get("/docs").status_code == 200
            old, new = legacy_app.test_client().get("/old"), client.get(
                "/old", follow_redirects=False)
            assert (new.status_code, new.headers["location"]) == (
                old.status_code, old.headers["location"])


def test_a_middleware_class_whose_call_is_inherited_is_said_to_be(tmp_path: Path) -> None:
    """Blazar's `BlazarReqIdMiddleware(request_id.RequestId)` defines no `__call__` of its own:
    the reason said "it has no __call__", where it inherits one from oslo.middleware."""
    source = (
        "from flask import Flask\n"
        "from oslo_middleware import request_id\n\n\n"
        "class ReqIdMiddleware(request_id.RequestId):\n"
        "    compat_headers = ['x-request-id']\n\n\n"
        "class NoCall:\n"
        "    def __init__(self, app):\n"
        "        self.app = app\n\n\n"
        "app = Flask(__name__)\n"
        "app.wsgi_app = ReqIdMiddleware(app.wsgi_app)\n"
        "other = Flask('other')\n"
        "other.wsgi_app = NoCall(other.wsgi_app)\n\n\n"
        "@app.get('/data')\n"
        "def data():\n"
        "    return {'data': 1}\n\n\n"
        "@other.get('/other')\n"
        "def other_data():\n"
        "    return {'data': 2}\n"
    )
    write_tree(tmp_path, {"inherited_call/__init__.py": source})
    found = {route.rule: route for route in scan_path(tmp_path).routes}
    [data] = [reason for reason in found["/data"].reasons if "wsgi_middleware" in reason]
    assert "ReqIdMiddleware (its __call__ is inherited, whose code is not read:" in data, data
    [other] = [reason for reason in found["/other"].reasons if "wsgi_middleware" in reason]
    assert "NoCall (it has no __call__:" in other, other
