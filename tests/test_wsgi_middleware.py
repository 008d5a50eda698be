"""WSGI middleware around the legacy app (`app.wsgi_app = Middleware(app.wsgi_app)`), and an
app class overriding Flask's dispatch: code of the legacy app a converted route would skip.

A converted route runs its view through the bridge, not through `wsgi_app`, so it skipped such
middleware: with a token check there, `/data` answered 200 where Flask answered 403. Now:

- the scan sees `app.wsgi_app = ...` and keeps the app's routes on Flask
  (`scan.wsgi_middleware`), except for Werkzeug's ProxyFix, whose part the ASGI server plays
  (`uvicorn --proxy-headers`): those routes convert, with a note; and except for middleware
  that only reads and changes the request before handing it on, which the generated app runs
  before each converted route (tests/test_wsgi_middleware_pass.py): `RequireToken` below;
- at run time, a wrapper the scan could not see (set by an extension, or with `setattr`) makes
  the generated app send every request to the legacy app, through the middleware, and log why;
- the same for `class GuardedFlask(Flask)` overriding `dispatch_request` (an auth check),
  `full_dispatch_request`, `wsgi_app` or `__call__`, which the bridge does not run either;
- and a `class SecureBlueprint(Blueprint)` whose `add_url_rule` wraps every view in
  `login_required` keeps its routes on Flask: the scan reads the views as written.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.scan_support import write_tree

MIDDLEWARE = '''
from flask import Flask, request


class RequireToken:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_TOKEN") != "t":
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"forbidden"]
        return self.wsgi_app(environ, start_response)


app = Flask(__name__)
{wrap}


@app.get("/data")
def data():
    return {{"data": 1}}
'''


def answers_as_flask(flask_app, client: TestClient) -> None:
    """`/data` answers GET, HEAD and OPTIONS, with and without the token, as Flask does."""
    flask_client = flask_app.test_client()
    for method in ("GET", "HEAD", "OPTIONS"):
        for headers in ({}, {"X-Token": "t"}):
            legacy_answer = flask_client.open("/data", method=method, headers=headers)
            new = client.request(method, "/data", headers=headers)
            # (Werkzeug's test client keeps a HEAD answer's body; a server drops it)
            body = b"" if method == "HEAD" else legacy_answer.data
            assert (new.status_code, new.content) == (
                legacy_answer.status_code, body), (method, headers)


def test_a_token_check_in_wsgi_middleware_runs_before_converted_routes(tmp_path: Path) -> None:
    source = MIDDLEWARE.format(wrap="app.wsgi_app = RequireToken(app.wsgi_app)")
    with converted_snippet(tmp_path, "wrapped_app", source, "wrapped_fastapi") as (
            result, _out, legacy):
        # it only reads the request and answers by itself, or hands it on untouched
        # (tests/test_wsgi_middleware_pass.py): the generated app runs it first
        assert [view.route.rule for view in result.converted] == ["/data"]
        # the middleware's own `self.wsgi_app = wsgi_app` is not an app being wrapped
        assert [(d.code, d.line, d.severity) for d in scan_path(legacy).diagnostics] == [
            ("scan.wsgi_middleware", 17, "info")]
        import wrapped_app
        from wrapped_fastapi.main import create_app

        new_app = create_app(wrapped_app.app)
        assert new_app.state.legacy_middleware == ("wrapped_app.RequireToken",)
        with TestClient(new_app) as client:
            answers_as_flask(wrapped_app.app, client)
            assert client.get("/data").status_code == 403
            assert client.get("/data", headers={"X-Token": "t"}).json() == {"data": 1}


def test_middleware_the_scan_cannot_see_sends_everything_to_flask(tmp_path: Path) -> None:
    source = MIDDLEWARE.format(wrap='setattr(app, "wsgi_app", RequireToken(app.wsgi_app))')
    with converted_snippet(tmp_path, "hidden_app", source, "hidden_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/data"]
        import hidden_app
        from hidden_fastapi.main import create_app

        new_app = create_app(hidden_app.app)
        assert new_app.state.legacy_only_because == "hidden_app.RequireToken"
        with TestClient(new_app) as client:
            answers_as_flask(hidden_app.app, client)
        assert hidden_app.app.test_client().get("/data").status_code == 403


def test_no_diagnostic_for_middleware_around_an_app_without_listed_routes(
        tmp_path: Path) -> None:
    """keystone and Superset wrap `wsgi_app` in middleware of their own and make their routes
    at run time: the scan said "0 route(s) stay on Flask" for each wrapper. A wrapper that keeps
    no listed route on Flask is not reported; ProxyFix's advice on serving still is."""
    source = """
from flask import Flask


class AddServerHeader:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("Server", "legacy")], exc_info)
        return self.wsgi_app(environ, start)


app = Flask(__name__)
app.wsgi_app = AddServerHeader(app.wsgi_app)
"""
    route = '\n\n@app.get("/data")\ndef data():\n    return {"data": 1}\n'
    write_tree(tmp_path, {"bare_app/__init__.py": source + route})
    assert [d.message.split(": ")[-1] for d in scan_path(tmp_path).diagnostics] == [
        "1 route(s) stay on Flask, where requests still go through it"]
    write_tree(tmp_path, {"bare_app/__init__.py": source})
    assert scan_path(tmp_path).diagnostics == []
    write_tree(tmp_path, {"bare_app/__init__.py": source + (
        "from werkzeug.middleware.proxy_fix import ProxyFix\n\n"
        "app.wsgi_app = ProxyFix(app.wsgi_app)\n")})
    assert [d.code for d in scan_path(tmp_path).diagnostics] == ["scan.wsgi_middleware"]


PREFIXED = """
import os

from flask import Flask, Response
from werkzeug.middleware.dispatcher import DispatcherMiddleware


def create_app():
    app = Flask(__name__)

    @app.get("/data")
    def data():
        return {"data": 1}

    # the app under a URL prefix, where one is set (cryptoadvance-specter's, Airflow's)
    prefix = os.environ.get("APP_URL_PREFIX", "")
    if prefix:
        app.wsgi_app = DispatcherMiddleware(Response("Not Found", status=404),
                                            {prefix: app.wsgi_app})
    return app
"""


def test_middleware_set_where_a_condition_holds_is_found_at_start_up(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """Airflow 2 and cryptoadvance-specter mount their app under a URL prefix with Werkzeug's
    DispatcherMiddleware, only where one is configured: the scan kept every route on Flask, as
    for middleware that always runs. Such routes now convert, with a note; where the condition
    holds, the generated app's start-up check finds the wrapper and serves every request from
    Flask, through it, as before the migration; so it does when the wrapper is set after the
    FastAPI app is made."""
    from flask import Response
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    with converted_snippet(tmp_path, "prefixed_app", PREFIXED, "prefixed_fastapi") as (
            result, _out, legacy):
        assert [view.route.rule for view in result.converted] == ["/data"]
        scan = scan_path(legacy)
        [route] = scan.routes
        assert route.status == "assisted"
        assert [reason.split(": ")[0] for reason in route.reasons] == [
            "nested_view", "wsgi_middleware:conditional"]
        assert route.reasons[1].startswith("wsgi_middleware:conditional: __init__.py:18:")
        [diagnostic] = scan.diagnostics
        assert "DispatcherMiddleware where a condition holds" in diagnostic.message
        import prefixed_app
        from prefixed_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "prefixed_fastapi")
        unprefixed = prefixed_app.create_app()
        new_app = create_app(unprefixed)
        assert getattr(new_app.state, "legacy_only_because", None) is None
        with TestClient(new_app) as client:
            assert client.get("/data").json() == {"data": 1}
            assert mounted == []  # the converted route answered
            assert set(new_app.openapi()["paths"]) == {"/data"}
            # a wrapper set on the legacy app after the FastAPI app was made is found too, at
            # the next request
            unprefixed.wsgi_app = DispatcherMiddleware(Response("Not Found", status=404),
                                                       {"/late": unprefixed.wsgi_app})
            flask_client = unprefixed.test_client()
            for path in ("/data", "/late/data"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
            assert "DispatcherMiddleware" in new_app.state.legacy_only_because
            # the schema documents no route the legacy app answers (klaus with smart HTTP on)
            assert new_app.openapi()["paths"] == {}
        assert mounted == ["/data", "/late/data"]
        mounted.clear()

        monkeypatch.setenv("APP_URL_PREFIX", "/base")
        prefixed = prefixed_app.create_app()
        new_app = create_app(prefixed)
        assert "DispatcherMiddleware" in new_app.state.legacy_only_because
        assert new_app.openapi()["paths"] == {}
        flask_client = prefixed.test_client()
        with TestClient(new_app) as client:
            for path in ("/data", "/base/data", "/base/other"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
            assert client.get("/base/data").json() == {"data": 1}
        assert mounted == ["/data", "/base/data", "/base/other", "/base/data"]


def test_proxy_fix_routes_convert_with_a_note(tmp_path: Path) -> None:
    source = MIDDLEWARE.format(
        wrap="from werkzeug.middleware.proxy_fix import ProxyFix\n"
             "app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)")
    with converted_snippet(tmp_path, "proxied_app", source, "proxied_fastapi") as (
            result, _out, legacy):
        assert [view.route.rule for view in result.converted] == ["/data"]
        [route] = scan_path(legacy).routes
        assert route.status == "assisted"
        assert route.reasons[0].startswith("wsgi_middleware:ProxyFix: __init__.py:18:")
        import proxied_app
        from proxied_fastapi.main import create_app

        new_app = create_app(proxied_app.app)
        assert getattr(new_app.state, "legacy_only_because", None) is None
        with TestClient(new_app) as client:
            assert client.get("/data").json() == {"data": 1}


def test_profiled_routes_convert_and_go_unprofiled(tmp_path: Path) -> None:
    """timesketch wraps its app in Werkzeug's ProfilerMiddleware when profiling is on: the scan
    kept all of its routes on Flask. The middleware only measures (it changes no request or
    answer), so the routes convert, with a note that they are no longer profiled; at run time
    the generated app does not send everything to Flask because of it."""
    source = MIDDLEWARE.format(
        wrap="from werkzeug.middleware.profiler import ProfilerMiddleware\n"
             "if app.config.get(\"ENABLE_PROFILING\", True):\n"
             "    app.wsgi_app = ProfilerMiddleware(app.wsgi_app, stream=None)")
    with converted_snippet(tmp_path, "profiled_app", source, "profiled_fastapi") as (
            result, _out, legacy):
        assert [view.route.rule for view in result.converted] == ["/data"]
        scan = scan_path(legacy)
        [route] = scan.routes
        assert route.status == "assisted"
        assert route.reasons[0] == (
            "wsgi_middleware:ProfilerMiddleware: __init__.py:19: once converted, the route is not "
            "profiled (the middleware only measures)")
        [note] = scan.diagnostics
        assert (note.code, note.severity) == ("scan.wsgi_middleware", "warning")
        assert "converted routes are not profiled" in note.message
        # (AiiDA's `if wsgi_profile:`, False by default: the warning did not say)
        assert note.message.startswith("`app.wsgi_app` is wrapped in ProfilerMiddleware where a "
                                       "condition holds: ")
        import profiled_app
        from profiled_fastapi.main import create_app
        from werkzeug.middleware.profiler import ProfilerMiddleware

        assert isinstance(profiled_app.app.wsgi_app, ProfilerMiddleware)
        new_app = create_app(profiled_app.app)
        assert getattr(new_app.state, "legacy_only_because", None) is None
        with TestClient(new_app) as client:
            answers_as_flask(profiled_app.app, client)


GUARDED_CLASS = '''
from flask import Flask, abort, request


class GuardedFlask(Flask):
    def dispatch_request(self):
        if request.headers.get("X-Token") != "t":
            abort(403)
        return super().dispatch_request()


app = GuardedFlask(__name__)


@app.get("/data")
def data():
    return {"data": 1}
'''


def test_an_app_class_overriding_dispatch_keeps_its_routes_on_flask(tmp_path: Path) -> None:
    """The bridge runs the view itself, never the app's `dispatch_request`: an override with an
    auth check was skipped by the converted route (200 where Flask answered 403)."""
    with converted_snippet(tmp_path, "guarded_app", GUARDED_CLASS, "guarded_fastapi") as (
            result, _out, legacy):
        assert not result.converted
        assert result.left[0].reasons[0].startswith(
            "scan.class_override: GuardedFlask.dispatch_request (__init__.py:5)")
        assert [d.code for d in scan_path(legacy).diagnostics] == ["scan.class_override"]
        import guarded_app
        from guarded_fastapi.main import create_app

        # a package converted before the check (or an override the scan cannot see): the
        # generated app finds it at start-up and the legacy app answers every request
        new_app = create_app(guarded_app.app)
        assert new_app.state.legacy_only_because == \
            "guarded_app.GuardedFlask.dispatch_request"
        with TestClient(new_app) as client:
            assert client.get("/data").status_code == 403
            assert client.get("/data", headers={"X-Token": "t"}).json() == {"data": 1}


SECURE_BLUEPRINT = '''
import functools

from flask import Blueprint, Flask, abort, request


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Token") != "t":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


class SecureBlueprint(Blueprint):
    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        if view_func is not None:
            view_func = login_required(view_func)
        super().add_url_rule(rule, endpoint, view_func, **options)


class PlainBlueprint(Blueprint):
    """A subclass that changes nothing of how views are registered."""


app = Flask(__name__)
secure = SecureBlueprint("secure", __name__, url_prefix="/secure")
plain = PlainBlueprint("plain", __name__, url_prefix="/plain")


@secure.get("/data")
def secure_data():
    return {"data": 1}


@plain.get("/data")
def plain_data():
    return {"data": 2}


app.register_blueprint(secure)
app.register_blueprint(plain)
'''


def test_a_blueprint_class_wrapping_its_views_keeps_them_on_flask(tmp_path: Path) -> None:
    """`SecureBlueprint.add_url_rule` wraps every view in `login_required`: the converted
    route served `/secure/data` without it (200 where Flask answered 401)."""
    with converted_snippet(tmp_path, "secure_app", SECURE_BLUEPRINT, "secure_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/plain/data"]
        [left] = result.left
        assert (left.route.rule, left.reasons[0].split(":")[0]) == (
            "/secure/data", "scan.class_override")
        import secure_app
        from secure_fastapi.main import create_app

        flask_client = secure_app.app.test_client()
        with TestClient(create_app(secure_app.app)) as client:
            for path in ("/secure/data", "/plain/data"):
                for headers in ({}, {"X-Token": "t"}):
                    legacy_answer = flask_client.get(path, headers=headers)
                    new = client.get(path, headers=headers)
                    assert (new.status_code, new.content) == (
                        legacy_answer.status_code, legacy_answer.data), (path, headers)
        assert flask_client.get("/secure/data").status_code == 401


def test_a_blueprint_class_a_helper_makes_keeps_its_views_on_flask(tmp_path: Path) -> None:
    """`secure = make_secure("secure", "/secure")`, a project function whose `return
    SecureBlueprint(name, __name__, url_prefix=prefix)` makes the blueprint: the class is still
    the one that wraps every view (an app or blueprint made by a helper is the helper's class's)."""
    made_by_helper = SECURE_BLUEPRINT.replace(
        'secure = SecureBlueprint("secure", __name__, url_prefix="/secure")',
        'def make_secure(name, prefix):\n'
        '    return SecureBlueprint(name, __name__, url_prefix=prefix)\n\n\n'
        'secure = make_secure("secure", "/secure")')
    assert "make_secure(" in made_by_helper
    with converted_snippet(tmp_path, "helper_secure_app", made_by_helper,
                           "helper_secure_fastapi") as (result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/plain/data"]
        [left] = result.left
        assert (left.route.rule, left.reasons[0].split(":")[0]) == (
            "/secure/data", "scan.class_override")


def test_one_diagnostic_for_a_class_that_makes_several_blueprints(tmp_path: Path) -> None:
    """pgAdmin 4 makes 78 blueprints from its `PgAdminModule`, whose `register` overrides
    Flask's: the scan said so once per blueprint, "0 route(s) stay on Flask" for most. Now once
    for the class, with the routes of every blueprint made from it."""
    two_secure = SECURE_BLUEPRINT.replace(
        'plain = PlainBlueprint("plain", __name__, url_prefix="/plain")',
        'plain = SecureBlueprint("plain", __name__, url_prefix="/plain")\n'
        'spare = SecureBlueprint("spare", __name__)  # never registered: no routes')
    write_tree(tmp_path, {"two_secure/__init__.py": two_secure})
    scan = scan_path(tmp_path)
    assert {route.rule: route.status for route in scan.routes} == {
        "/secure/data": "manual", "/plain/data": "manual"}
    assert [(d.code, d.message, d.line) for d in scan.diagnostics] == [
        ("scan.class_override",
         ("SecureBlueprint.add_url_rule overrides Flask's, through which views are registered "
          "or run: 2 route(s) (of the 3 apps and blueprints made from it) stay on Flask"), 15)]


def test_no_diagnostic_for_a_class_whose_objects_have_no_route(tmp_path: Path) -> None:
    """pgAdmin 4's Kerberos and OAuth modules are made from `PgAdminModule` but registered
    where the scan cannot see (or not at all): "0 route(s) stay on Flask" named a class that
    keeps nothing on Flask. Such a class is not reported."""
    unused = SECURE_BLUEPRINT.replace(
        'secure = SecureBlueprint("secure", __name__, url_prefix="/secure")',
        'secure = PlainBlueprint("secure", __name__, url_prefix="/secure")\n'
        'spare = SecureBlueprint("spare", __name__)  # never registered: no routes')
    assert "spare = SecureBlueprint(" in unused
    write_tree(tmp_path, {"unused_secure/__init__.py": unused})
    scan = scan_path(tmp_path)
    assert {route.rule: route.status for route in scan.routes} == {
        "/secure/data": "auto", "/plain/data": "auto"}
    assert scan.diagnostics == []
