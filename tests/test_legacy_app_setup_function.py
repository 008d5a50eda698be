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

import pytest
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


# -- the call stated in pyproject.toml -----------------------------------------------------------
# `get_app(conf)` takes an argument: the scan does not call it on its own, and the bare `_app` an
# import gives has no middleware. The project states the call production makes.
MAIN_WITH_ARGUMENT = MAIN.replace("def get_app():", "def get_app(conf):").replace(
    '"""What the WSGI script serves."""', '"""What the WSGI script serves."""\n    assert conf')
STATED = '[tool.migrate]\nlegacy-app = "inspector.main:get_app(\'/etc/inspector.conf\')"\n'


def stated_files(main: str) -> dict[str, str]:
    return {**FILES, "main.py": main}


def test_a_stated_call_of_a_function_returning_the_module_app_is_taken(tmp_path: Path) -> None:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "pyproject.toml").write_text(STATED, encoding="utf-8")
    with converted_snippet(tmp_path, "inspector", stated_files(MAIN_WITH_ARGUMENT),
                           "inspector_fastapi") as (result, out, _legacy):
        [app] = [app for app in result.scan.apps if app.name == "_app"]
        assert app.wrapping_factory is None  # (it needs an argument)
        assert app.stated_app == "inspector.main:get_app('/etc/inspector.conf')"
        assert "scan.stated_app" in {d.code for d in result.scan.diagnostics}
        main_source = (out / "main.py").read_text(encoding="utf-8")
        assert "return get_app('/etc/inspector.conf')" in main_source
        from inspector_fastapi.main import app as package_app

        with TestClient(package_app) as client:
            assert client.get("/secret").status_code == 401  # before: 200, the bare `_app`
            assert client.get("/secret", headers={"X-Auth-Token": "s3cret"}).json() == {
                "secret": 42}


def test_a_stated_call_that_skips_the_middleware_is_not_used(tmp_path: Path) -> None:
    """`bare_app()` returns the module's app without running what wraps its `wsgi_app`: the
    package would serve it without the auth middleware. The scan keeps `get_app()`."""
    main = MAIN + '\n\ndef bare_app(name):\n    return _app\n'
    root = write_tree(tmp_path, {"pyproject.toml": '[tool.migrate]\nlegacy-app = '
                                                   '"inspector.main:bare_app(\'x\')"\n',
                                 **{f"inspector/{name}": text
                                    for name, text in stated_files(main).items()}})
    result = scan_path(root)
    [app] = [app for app in result.apps if app.name == "_app"]
    assert app.stated_app is None
    assert app.wrapping_factory == "inspector.main:get_app"
    [ignored] = [d for d in result.diagnostics if d.code == "scan.stated_app_ignored"]
    assert ("makes an app without the middleware where `inspector.auth.install()` wraps "
            "`app.wsgi_app` (inspector/auth.py:5)") in ignored.message
    assert app.unloaded_middleware == []  # get_app() runs it
    assert (ignored.file, ignored.line) == ("pyproject.toml", 2)


# -- middleware that no way of getting the app runs ----------------------------------------------
def test_an_app_whose_middleware_no_loading_runs_is_asked_for(tmp_path: Path) -> None:
    """`get_app(conf)` takes an argument and nothing states the call: the package cannot make
    the app with its middleware, and does not make it without (every route, converted or not,
    would skip the auth check). It asks for the app; given production's, it serves it."""
    with converted_snippet(tmp_path, "inspector", stated_files(MAIN_WITH_ARGUMENT),
                           "inspector_fastapi") as (result, _out, _legacy):
        [app] = [app for app in result.scan.apps if app.name == "_app"]
        assert app.unloaded_middleware == [
            "`inspector.auth.install()` wraps `app.wsgi_app` (auth.py:6)"]
        [warning] = [d for d in result.scan.diagnostics
                     if d.code == "scan.unloaded_middleware"]
        assert (warning.file, warning.line) == ("main.py", 6)  # the app
        assert "legacy-app = \"inspector.main:...(...)\"" in warning.message
        from inspector import main as legacy_main
        from inspector_fastapi.main import create_app
        with pytest.raises(RuntimeError, match="lacks the WSGI middleware production runs"):
            create_app()
        with TestClient(create_app(legacy_app=legacy_main.get_app("prod"))) as client:
            assert client.get("/secret").status_code == 401
            assert client.get("/secret", headers={"X-Auth-Token": "s3cret"}).json() == {
                "secret": 42}


@pytest.mark.parametrize("main", [
    # set up when the module is imported
    MAIN_WITH_ARGUMENT + "\n\n_init_middleware()\n",
    # ProxyFix only, which the ASGI server reproduces
    MAIN_WITH_ARGUMENT.replace("auth.install(_app)", "_app.wsgi_app = ProxyFix(_app.wsgi_app)")
    .replace("import flask\n", "import flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n"),
])
def test_middleware_an_import_sets_up_or_proxy_fix_needs_no_call(tmp_path: Path, main) -> None:
    result = scan_path(write_tree(tmp_path, {f"inspector/{name}": text
                                             for name, text in stated_files(main).items()}))
    [app] = [app for app in result.apps if app.name == "_app"]
    assert app.unloaded_middleware == []
    assert "scan.unloaded_middleware" not in {d.code for d in result.diagnostics}


def test_middleware_a_script_the_package_does_not_import_sets_up_is_asked_for(tmp_path: Path
                                                                               ) -> None:
    """`wsgi.py` calls the setup at import, then serves `_app`: the generated package imports
    `inspector.main`, not the script, so an import gives the app without the middleware."""
    wsgi = "from inspector.main import _app, _init_middleware\n\n_init_middleware()\n" \
           "application = _app\n"
    files = {**stated_files(MAIN_WITH_ARGUMENT), "wsgi.py": wsgi}
    result = scan_path(write_tree(tmp_path, {f"inspector/{name}": text
                                             for name, text in files.items()}))
    [app] = [app for app in result.apps if app.name == "_app"]
    assert app.unloaded_middleware == [
        "`inspector.auth.install()` wraps `app.wsgi_app` (inspector/auth.py:5)"]
    [warning] = [d for d in result.diagnostics if d.code == "scan.unloaded_middleware"]
    assert "which importing `inspector.main` does not run:" in warning.message
