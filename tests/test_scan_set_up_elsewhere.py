"""An app made at module level that modules its loading does not import add to.

The generated package loads such an app by importing its module. A `wsgi.py` that imports it
and adds an auth hook (`gunicorn wsgi:app` in production) was not imported: `uvicorn
package.main:app` served `/data` with 200 and no token where production answered 401, and the
scan said nothing. Sematic 0.41 has the other half: its views and hooks are imported only by
`server.py`, and a test-only storage module imported by nothing adds routes; converted, they
answered on the generated app (its router imported the module) where production's Flask app has
no such route. Now: routes such modules add stay on Flask; with nothing stated, a
`scan.set_up_elsewhere` warning names the module and the package asks for the app; a statement
of the module production serves (`legacy-app = "wsgi:app"`) makes the package import it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

APP = '''
from flask import Flask

app = Flask(__name__)


@app.get("/data")
def data():
    return {"data": 1}
'''

WSGI = '''
from flask import abort, request

from {package} import app


@app.before_request
def require_token():
    if request.headers.get("X-Token") != "t":
        abort(401)


@app.get("/health")
def health():
    return {{"ok": True}}
'''


def set_up_elsewhere(result) -> list[tuple[str, int | None, str]]:
    return [(d.file, d.line, d.message) for d in result.diagnostics
            if d.code == "scan.set_up_elsewhere"]


def test_a_hook_added_where_the_app_is_served_makes_the_package_ask_for_it(
        tmp_path: Path) -> None:
    source = {"__init__.py": APP, "wsgi.py": WSGI.format(package="hooked_app")}
    with converted_snippet(tmp_path, "hooked_app", source, "hooked_fastapi") as (
            result, _out, legacy):
        assert [view.route.rule for view in result.converted] == ["/data"]
        [left] = result.left
        assert (left.route.rule, left.reasons[0]) == ("/health", (
            "scan.set_up_elsewhere: `hooked_app.wsgi` adds the route when imported, and the "
            "generated package, which imports `hooked_app` for the app, does not import it: "
            "whether production's app has it the scan cannot tell; the route stays on Flask"))
        scan = scan_path(legacy)
        assert [app.set_up_elsewhere for app in scan.apps] == [
            ["`hooked_app.wsgi` (wsgi.py:7: the before_request hook require_token, and 1 more)"]]
        [(file, line, message)] = set_up_elsewhere(scan)
        assert (file, line) == ("wsgi.py", 7)
        assert message.endswith("state the module production serves the app from in "
                                "pyproject.toml (`[tool.migrate]` `legacy-app = "
                                "\"hooked_app.wsgi:app\"`)")
        from hooked_fastapi.main import create_app, load_legacy_app

        with pytest.raises(RuntimeError, match="lacks what modules that importing it does not "
                                               "import add to it: `hooked_app.wsgi`"):
            load_legacy_app()
        from hooked_app import wsgi

        # given production's app, the hook runs for the converted route too
        with TestClient(create_app(wsgi.app)) as client:
            assert client.get("/data").status_code == 401
            assert client.get("/data", headers={"X-Token": "t"}).json() == {"data": 1}
            assert client.get("/health", headers={"X-Token": "t"}).json() == {"ok": True}


def test_stating_the_module_production_serves_makes_the_package_import_it(
        tmp_path: Path) -> None:
    source = {"__init__.py": APP, "wsgi.py": WSGI.format(package="stated_hook_app"),
              "pyproject.toml": '[tool.migrate]\nlegacy-app = "stated_hook_app.wsgi:app"\n'}
    with converted_snippet(tmp_path, "stated_hook_app", source, "stated_hook_fastapi") as (
            result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == ["/data", "/health"]
        assert "    from stated_hook_app.wsgi import app\n" in (out / "main.py").read_text()
        from stated_hook_fastapi.main import app

        with TestClient(app) as client:
            assert client.get("/data").status_code == 401
            assert client.get("/health", headers={"X-Token": "t"}).json() == {"ok": True}


def test_routes_of_a_module_nothing_imports_stay_on_flask_once_the_app_is_stated(
        tmp_path: Path) -> None:
    """Sematic's test-only memory storage routes: converted, the router imported the module
    for its names, which added the route to the legacy app too: `PUT` answered 200 where
    production's app (which never imports the module) answers 404."""
    source = {"__init__.py": "", "app.py": APP, "testing_store.py": '''
from flask import request

from plugged.app import app

STORE = {}


@app.route("/debug/store/<key>", methods=["PUT"])
def put_store(key):
    STORE[key] = request.get_data(as_text=True)
    return {"stored": key}
''', "pyproject.toml": '[tool.migrate]\nlegacy-app = "plugged.app:app"\n'}
    with converted_snippet(tmp_path, "plugged", source, "plugged_fastapi") as (
            result, out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/data"]
        [left] = result.left
        assert left.reasons[0].startswith(
            "scan.set_up_elsewhere: `plugged.testing_store` adds the route when imported, and "
            "`plugged.app`, which the generated package imports for the app as pyproject.toml "
            "states, does not import it")
        assert "testing_store" not in "".join(
            path.read_text() for path in out.rglob("*.py"))
        from plugged.app import app as flask_app
        from plugged_fastapi.main import app

        with TestClient(app) as client:
            answer = client.put("/debug/store/k", content="x")
        assert answer.status_code == flask_app.test_client().put(
            "/debug/store/k", data="x").status_code == 404


def test_nothing_is_said_where_the_app_module_imports_by_name(tmp_path: Path) -> None:
    """Which modules `importlib.import_module(name)` imports the scan cannot tell."""
    root = write_tree(tmp_path, {
        "shop/__init__.py": APP + "\n\nimport importlib\n\nfor name in ('views',):\n"
                                  "    importlib.import_module(f'shop.{name}')\n",
        "shop/views.py": "from shop import app\n\n\n@app.get('/more')\ndef more():\n"
                         "    return {}\n"})
    scan = scan_path(root / "shop")
    assert set_up_elsewhere(scan) == []
    assert {route.rule: route.status for route in scan.routes} == {"/data": "auto",
                                                                   "/more": "auto"}


def test_the_module_importing_every_view_module_is_imported_first(tmp_path: Path) -> None:
    """Sematic's shape: the app in `app.py`, each view module imports it, and only `server.py`
    imports the view modules and the one adding an auth hook: the package imports `server.py`
    before taking the app, as production, serving `server:app`, does."""
    source = {"__init__.py": "", "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
              "views.py": "from served.app import app\n\n\n@app.get('/ping')\ndef ping():\n"
                          "    return {'ok': True}\n",
              "hooks.py": "from flask import abort, request\n\nfrom served.app import app\n\n\n"
                          "@app.before_request\ndef require_token():\n"
                          "    if request.headers.get('X-Token') != 't':\n        abort(401)\n",
              "server.py": "import served.hooks  # noqa: F401\nimport served.views  # noqa: F401\n"
                           "from served.app import app\n"}
    with converted_snippet(tmp_path, "served", source, "served_fastapi") as (
            result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        scan = scan_path(legacy)
        assert [(app.loaded_with, app.set_up_elsewhere) for app in scan.apps] == [
            ("served.server", [])]
        assert set_up_elsewhere(scan) == []
        [note] = [d for d in scan.diagnostics if d.code == "scan.loaded_with"]
        assert (note.file, note.severity) == ("server.py", "info")
        assert "    import served.server  # noqa: F401" in (out / "main.py").read_text()
        from served_fastapi.main import app

        with TestClient(app) as client:
            assert client.get("/ping").status_code == 401
            assert client.get("/ping", headers={"X-Token": "t"}).json() == {"ok": True}


def test_a_module_that_serves_when_imported_is_not_imported(tmp_path: Path) -> None:
    """`run.py` calling `app.run()` outside a `__main__` block would start Flask's server."""
    root = write_tree(tmp_path, {
        "shop/__init__.py": APP,
        "shop/extra.py": "from shop import app\n\n\n@app.get('/extra')\ndef extra():\n"
                         "    return {}\n",
        "shop/run.py": "import shop.extra  # noqa: F401\nfrom shop import app\n\napp.run()\n"})
    scan = scan_path(root / "shop")
    assert [app.loaded_with for app in scan.apps] == [None]
    assert {route.rule: route.status for route in scan.routes} == {"/data": "auto",
                                                                   "/extra": "manual"}
    [(file, _, message)] = set_up_elsewhere(scan)
    assert file == "extra.py" and message.endswith('`legacy-app = "shop.extra:app"`)')
