"""How the generated package gets the legacy app when its factory cannot be called bare.

`main.load_legacy_app()` called the factory with no arguments. A factory that takes arguments
without a default (flasky's `create_app(config_name)`) raised TypeError when the app was first
served; an app made in a method (locust's `WebUI.__init__`: `app = Flask(__name__)`) gave
`from locust.web import WebUI.__init__`, a main.py that did not parse. Now the scan records the
factory's required parameters and the module-level names bound to an app the project made with
it (`app = create_app("production")` in wsgi.py, what production serves), the package imports
that app, and with neither it says so: main.py raises a clear RuntimeError until a person passes
the app to `create_app(legacy_app)`, and convert prints that instead of a serve command. The
same when loading the app would not register its blueprints: calibre-web's `main()` registers
every one, then starts its own server; importing its `app` gives an app without routes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.scan_support import write_tree

FACTORY = """
from flask import Flask


def create_app(config, name=None):
    app = Flask(name or __name__)
    app.config.update(config)
    from .views import bp

    app.register_blueprint(bp)
    return app
"""

VIEWS = """
from flask import Blueprint, current_app

bp = Blueprint("pages", __name__)


@bp.get("/greeting")
def greeting():
    return {"greeting": current_app.config["GREETING"]}
"""

WSGI = """
from factory_app import create_app

app = create_app({"GREETING": "production"})
"""


def apps_of(root: Path) -> list[dict]:
    return [app.to_json() for app in scan_path(root).apps]


def test_the_scan_records_what_calling_the_factory_takes(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "factory_app", {
        "__init__.py": FACTORY, "views.py": VIEWS, "wsgi.py": WSGI,
        # not the app production serves: a test's, a conditional one, one bound twice
        "tests/test_app.py": "from factory_app import create_app\n"
                             "app = create_app({'TESTING': True})\n",
        "dev.py": "from factory_app import create_app\n"
                  "if DEBUG:\n    app = create_app({})\n",
        "twice.py": "from factory_app import create_app\n"
                    "app = create_app({})\napp = app.wsgi_app\n",
    })
    [app] = apps_of(root)
    assert (app["factory"], app["factory_requires"], app["instances"]) == (
        "create_app", ["config"], ["factory_app.wsgi:app"])


def test_an_app_made_in_a_method_is_not_a_factory_an_import_reaches(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ui_app", {"__init__.py": """
from flask import Flask


class WebUI:
    def __init__(self, environment):
        app = Flask(__name__)
        self.app = app

        @app.route("/")
        def index():
            return "ui"
"""})
    [app] = apps_of(root)
    assert (app["factory"], app["factory_requires"], app["instances"]) == (
        "WebUI.__init__", ["environment"], [])  # Python passes `self` itself


def test_the_package_serves_the_app_a_module_made_with_the_factory(tmp_path: Path) -> None:
    files = {"__init__.py": FACTORY, "views.py": VIEWS, "wsgi.py": WSGI}
    with converted_snippet(tmp_path, "factory_app", files, "factory_fastapi") as (
            result, out, legacy):
        assert [view.route.endpoint for view in result.converted] == ["pages.greeting"]
        main = (out / "main.py").read_text(encoding="utf-8")
        assert ('    """The legacy Flask app: `app` in `factory_app.wsgi`, made by the factory: '
                '`create_app` in `factory_app` (__init__.py:6) takes arguments without a '
                'default (config)."""\n'
                "    from factory_app.wsgi import app\n\n    return app\n") in main
        assert "uvicorn factory_fastapi.main:app" in main
        assert not new_lint_findings(out, legacy.parent, "factory_app")
        from factory_app.wsgi import app as legacy_app
        from factory_fastapi import main as generated

        with TestClient(generated.app, base_url="http://localhost") as client:
            new = client.get("/greeting")
        old = legacy_app.test_client().get("/greeting")
        assert (new.status_code, new.json()) == (old.status_code, old.get_json()) == (
            200, {"greeting": "production"})


def test_without_such_a_module_the_package_asks_for_the_app(tmp_path: Path) -> None:
    files = {"__init__.py": FACTORY, "views.py": VIEWS}
    with converted_snippet(tmp_path, "bare_app", files, "bare_fastapi") as (
            result, out, legacy):
        main = (out / "main.py").read_text(encoding="utf-8")
        reason = ("`create_app` in `bare_app` (__init__.py:6) takes arguments without a default "
                  "(config), and no module binds an app made with it unconditionally, once, at "
                  "its top level (state the call that makes "
                  "the production app in pyproject.toml: `[tool.migrate]` `legacy-app = "
                  "\"bare_app:create_app(...)\"`, literal arguments)")
        message = json.dumps(f"the legacy Flask app cannot be made here: {reason}; pass it to "
                             "create_app(legacy_app)")
        assert ("    # TODO(migrate): make the legacy app here, or pass it to "
                f"create_app(legacy_app)\n    raise RuntimeError({message})\n") in main
        assert "Serve it with" not in main
        assert result.to_json()["serve"] is None
        assert result.to_json()["legacy_app_unloadable"] == reason
        assert not new_lint_findings(out, legacy.parent, "bare_app")
        import bare_app
        from bare_fastapi import main as generated

        try:
            generated.app  # noqa: B018 -- what `uvicorn bare_fastapi.main:app` asks for
        except RuntimeError as error:
            assert reason in str(error)
        else:
            raise AssertionError("the package made an app it cannot make")
        legacy_app = bare_app.create_app({"GREETING": "passed in"})
        with TestClient(generated.create_app(legacy_app), base_url="http://localhost") as client:
            assert client.get("/greeting").json() == {"greeting": "passed in"}


def test_convert_says_so_instead_of_a_serve_command(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "legacy" / "ui_app", {"__init__.py": """
from flask import Flask


class WebUI:
    def __init__(self):
        self.app = app = Flask(__name__)

        @app.route("/")
        def index():
            return "ui"
"""})
    command = [sys.executable, "-m", "migrator", "convert", str(root), "--out",
               str(tmp_path / "generated" / "ui_fastapi"), "--no-state"]
    shown = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120,
                           env={"COLUMNS": "300", "PATH": ""})
    assert shown.returncode == 0, shown.stderr
    assert "Serve it with" not in shown.stdout
    assert ("The generated package cannot make the legacy app itself: `WebUI.__init__` in "
            "`ui_app` (__init__.py:6) is not a module-level function, and no module binds an "
            "app made with it unconditionally, once, at its top level.") in " ".join(
                shown.stdout.split())
    main = tmp_path / "generated" / "ui_fastapi" / "main.py"
    compile(main.read_text(encoding="utf-8"), str(main), "exec")  # it parses
    data = json.loads(subprocess.run([*command, "--format", "json"], capture_output=True,
                                     text=True, check=True, timeout=120).stdout)
    assert data["serve"] is None and "WebUI.__init__" in data["legacy_app_unloadable"]


SERVER_MAIN = {
    "__init__.py": """
from flask import Flask

app = Flask(__name__)
app.config["GREETING"] = "hello"
""",
    "views.py": VIEWS,
    # calibre-web's shape: `main()` registers the blueprints, then starts a server of its own
    "main.py": """
from . import app


def serve():
    pass


def main():
    from .views import bp

    app.register_blueprint(bp)
    serve()


if __name__ == "__main__":
    main()
""",
}


def test_blueprints_registered_by_a_main_function_make_the_app_unloadable(tmp_path: Path
                                                                        ) -> None:
    """Importing `served_app` gives an app without the blueprint that `main()` registers (only
    running the module does that), so the package cannot load the app the routes belong to:
    it says so, as for a factory it cannot call, instead of serving an app without them."""
    scanned = scan_path(write_tree(tmp_path / "scanned" / "served_app", SERVER_MAIN))
    [app] = [app.to_json() for app in scanned.apps]
    assert app["run_time_registrations"] == ["`pages` in main() (main.py:11)"]
    assert [(d.code, d.file, d.line) for d in scanned.diagnostics] == [
        ("scan.run_time_registration", "main.py", 11)]
    with converted_snippet(tmp_path, "served_app", SERVER_MAIN, "served_fastapi") as (
            result, _out, _legacy):
        assert [view.route.endpoint for view in result.converted] == ["pages.greeting"]
        reason = result.to_json()["legacy_app_unloadable"]
        assert reason == ("`app` in `served_app` (__init__.py:4) lacks the blueprints registered "
                          "by code that loading it does not run: `pages` in main() (main.py:12)")
        assert result.to_json()["serve"] is None
        import served_app
        from served_app.views import bp
        from served_fastapi import main as generated

        served_app.app.register_blueprint(bp)  # what main() does before serving
        with TestClient(generated.create_app(served_app.app),
                        base_url="http://localhost") as client:
            assert client.get("/greeting").json() == {"greeting": "hello"}


def test_registrations_that_run_when_the_app_is_loaded_keep_it_loadable(tmp_path: Path
                                                                         ) -> None:
    """A function called at module level by a module that loading the app imports, and one
    the factory calls, run when the package loads the app. Not one called by a module nothing
    imports (a wsgi.py): the package does not import it either (this test said it did)."""
    module_level = dict(SERVER_MAIN, **{"main.py": SERVER_MAIN["main.py"].replace(
        'if __name__ == "__main__":\n    main()', "main()")})
    [app] = apps_of(write_tree(tmp_path / "a" / "served_app", module_level))
    assert app["run_time_registrations"] == ["`pages` in main() (main.py:11)"]
    imported = dict(module_level, **{"__init__.py": SERVER_MAIN["__init__.py"] +
                                     "\nfrom . import main  # noqa: E402\n"})
    [app] = apps_of(write_tree(tmp_path / "a2" / "served_app", imported))
    assert app["run_time_registrations"] == []
    elsewhere = dict(SERVER_MAIN, **{"wsgi.py": "from .main import main\n\nmain()\n"})
    [app] = apps_of(write_tree(tmp_path / "b" / "served_app", elsewhere))
    assert app["run_time_registrations"] == ["`pages` in main() (main.py:11)"]
    helper = {"__init__.py": FACTORY.replace(
        "    app.register_blueprint(bp)\n", "    register(app, bp)\n") +
        "\n\ndef register(app, bp):\n    app.register_blueprint(bp)\n", "views.py": VIEWS}
    [app] = apps_of(write_tree(tmp_path / "c" / "factory_app", helper))
    assert app["run_time_registrations"] == []


WSGI_REGISTERING = {
    "__init__.py": """
from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config["GREETING"] = "made"
    return app
""",
    "views.py": VIEWS,
    # the factory makes a bare app; the module production serves gives it its blueprint
    "wsgi.py": """
from registering_app import create_app
from registering_app.views import bp

app = create_app()
app.register_blueprint(bp)
""",
}


def test_an_app_given_its_blueprints_where_it_is_made_is_loaded_from_there(tmp_path: Path
                                                                          ) -> None:
    """`create_app()` can be called bare, but the app it gives lacks the blueprint wsgi.py
    registers on the one it made: the package loads that one (before, it called the factory
    and served an app whose converted route the legacy app did not have)."""
    with converted_snippet(tmp_path, "registering_app", WSGI_REGISTERING,
                           "registering_fastapi") as (result, out, legacy):
        [app] = result.scan.apps
        assert app.instance_registrations == ["registering_app.wsgi:`pages` (wsgi.py:6)"]
        main = (out / "main.py").read_text(encoding="utf-8")
        assert "    from registering_app.wsgi import app\n\n    return app\n" in main
        assert not new_lint_findings(out, legacy.parent, "registering_app")
        from registering_fastapi import main as generated

        with TestClient(generated.app, base_url="http://localhost") as client:
            assert client.get("/greeting").json() == {"greeting": "made"}
            assert generated.app.state.legacy_views_changed == {}


def test_blueprints_registered_on_apps_made_elsewhere_make_the_app_unloadable(tmp_path: Path
                                                                             ) -> None:
    files = dict(WSGI_REGISTERING, **{"wsgi.py": WSGI_REGISTERING["wsgi.py"].replace(
        "app = create_app()\napp.register_blueprint(bp)",
        "application = create_app()\napplication.register_blueprint(bp)\n"
        "other = create_app()\nother.register_blueprint(bp, name='again')"),
        "cli.py": "from registering_app import create_app\n"
                  "from registering_app.views import bp\n\n"
                  "app = create_app()\napp.register_blueprint(bp)\n"})
    [app] = apps_of(write_tree(tmp_path / "registering_app", files))
    assert app["instance_registrations"] == [
        "registering_app.cli:`pages` (cli.py:5)", "registering_app.wsgi:`pages` (wsgi.py:5)",
        "registering_app.wsgi:`again` (wsgi.py:7)"]
    with converted_snippet(tmp_path, "registering_app", files, "registering_fastapi") as (
            result, _out, _legacy):
        assert result.to_json()["legacy_app_unloadable"].startswith(
            "blueprints are registered on apps `create_app` made, by module-level code that "
            "loading one does not run: `pages` (cli.py:5)")


# moin 2.0's shape: its views module and its items package import each other, and only the
# order its app module sets (items first) works; importing the views first fails
CYCLE = {
    "__init__.py": "",
    "app.py": """
from flask import Flask

import cycle_app.items  # noqa: F401


def create_app():
    from cycle_app.views import bp

    app = Flask(__name__)
    app.register_blueprint(bp)
    return app
""",
    "items.py": """
def describe(name):
    return f"item {name}"


from cycle_app.blog import blog_title  # noqa: E402,F401  (moin's load_package_modules)
""",
    "blog.py": """
from cycle_app.views import permissions


def blog_title():
    return "blog " + ",".join(permissions())
""",
    "views.py": """
from flask import Blueprint

from cycle_app.items import describe

bp = Blueprint("pages", __name__)


def permissions():
    return ["read"]


def summary(name):
    return describe(name)


@bp.get("/items/<name>")
def item(name):
    return {"item": name, "permissions": permissions()}
""",
}


def test_the_routers_import_the_legacy_app_s_module_before_any_view_s(tmp_path: Path) -> None:
    """`uvicorn moin_fastapi.main:app` failed with an ImportError (a circular import): the
    routers imported moin's views module first, which imports its items package, which imports
    the views module again, half loaded. Serving the legacy app imports `moin.app` first, which
    imports the items package; the routers' package now does the same."""
    root = write_tree(tmp_path / "legacy", {f"cycle_app/{name}": source
                                            for name, source in CYCLE.items()})
    done = subprocess.run([sys.executable, "-c", "import cycle_app.views"], cwd=root,
                          capture_output=True, text=True, timeout=60, check=False)
    assert "circular import" in done.stderr  # the legacy package's own constraint
    out = tmp_path / "generated" / "cycle_fastapi"
    command = [sys.executable, "-m", "migrator", "convert", str(root / "cycle_app"), "--out",
               str(out), "--no-state"]
    subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert new_lint_findings(out, root / "cycle_app", "cycle_app") == []
    serve = ("from starlette.testclient import TestClient\n"
             "from cycle_fastapi.main import app\n"
             "print(TestClient(app).get('/items/lamp').json())\n")
    done = subprocess.run([sys.executable, "-c", serve], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={"PYTHONPATH": f"{root}:{tmp_path / 'generated'}",
                               "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'item': 'lamp', 'permissions': ['read']}"


WEB_UI = """
from flask import Flask


class WebUI:
    \"\"\"locust's shape: the app is made in a method, so the package cannot make it.\"\"\"

    def __init__(self, greeting="hi"):
        self.app = app = Flask(__name__)

        @app.get("/hello")
        def hello():
            return {"hello": greeting}


def make():
    return WebUI("there").app
"""


def test_verify_makes_such_a_package_around_the_legacy_app_it_is_given(tmp_path: Path) -> None:
    """`migrate verify --new pkg.main:app --legacy ...` failed (exit 2) on a package that can
    only serve the app it is given (`create_app(legacy_app)`), as convert writes for locust's
    web UI: loading `app` raises. With --legacy, the generated app is now made around that app,
    with a note; without it, the error stays."""
    from migrator.verify.run import VerifyError, VerifyInputs, verify_routes

    with converted_snippet(tmp_path, "webui_app", WEB_UI, "webui_fastapi") as (result, _out, _l):
        assert [view.route.endpoint for view in result.converted] == ["hello"]
        for new in ("webui_fastapi.main:app", "webui_fastapi.main:create_app"):
            verified = verify_routes(VerifyInputs("webui_app:make", new))
            assert verified.ok and [route.migrated.route.endpoint
                                    for route in verified.routes] == ["hello"]
            assert any(note.endswith("so the generated app was made by create_app(legacy_app) "
                                     "around --legacy's app, which both sides share (state it "
                                     "keeps in memory, such as rate-limit counters, is shared "
                                     "too)") and "cannot be made here" in note
                       for note in verified.notes)
        with pytest.raises(VerifyError, match="load_legacy_app"):
            verify_routes(VerifyInputs(None, "webui_fastapi.main:app"))


NAMED_APART = {
    "__init__.py": """
from flask import Flask


def create_app():
    app = Flask("public")  # keystone's name: not a module
    @app.route("/hello")
    def hello():
        return {"hello": "world"}
    return app
""",
}


def test_verify_reads_the_routes_of_an_app_whose_import_name_is_no_module(
        tmp_path: Path) -> None:
    """keystone makes its app with `Flask("public")`: verify imported `public` to find the
    legacy source and failed (ModuleNotFoundError, printed nowhere, since keystone's logging
    replaces `sys.excepthook`). It now reads the source the package's manifest records, and
    says in one line what it cannot find where there is none."""
    from migrator.verify.run import VerifyError, VerifyInputs, verify_routes

    with converted_snippet(tmp_path, "pubapp", NAMED_APART, "pubapp_fastapi") as (
            result, out, _legacy):
        assert [view.route.endpoint for view in result.converted] == ["hello"]
        verified = verify_routes(VerifyInputs("pubapp:create_app", "pubapp_fastapi.main:app"))
        assert verified.ok and [route.migrated.route.endpoint
                                for route in verified.routes] == ["hello"]
        (out / ".migrate-manifest.json").unlink()
        with pytest.raises(VerifyError, match=(
                r"^--legacy pubapp:create_app: the app's import name `public` is no module verify "
                r"can import, and the package records no source it was converted from: convert "
                r"it again to record one$")):
            verify_routes(VerifyInputs("pubapp:create_app", "pubapp_fastapi.main:app"))


UNSET_SETTING = """
from flask import Flask


class Settings:
    def __getattr__(self, name):
        raise AttributeError(f"no such option {name} in group [manager]")


CONF = Settings()


def make_app():
    app = Flask(__name__)
    app.config["PLUGINS"] = CONF.plugins  # oslo.config raises NoSuchOptError, an AttributeError

    @app.get("/ping")
    def ping():
        return "pong"

    return app
"""


def test_an_attribute_error_while_building_the_app_is_shown_as_it_is(tmp_path: Path) -> None:
    """Blazar's `make_app()` reads an oslo.config option the config does not define; its
    NoSuchOptError is an AttributeError, which escaped main.py's module `__getattr__("app")`:
    uvicorn then said only `Attribute "app" not found in module "blazar_fastapi.main"`."""
    from uvicorn.importer import import_from_string

    with converted_snippet(tmp_path, "unset_setting_app", UNSET_SETTING,
                           "unset_setting_fastapi") as (result, _out, _legacy):
        assert len(result.converted) == 1
        with pytest.raises(RuntimeError, match="no such option plugins in group"):
            import_from_string("unset_setting_fastapi.main:app")


REGISTERED_BY_WSGI = {
    "__init__.py": "",
    "app.py": """
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.route("/health")
    def health():
        return {"up": True}

    return app


def standalone(app):
    from . import api

    api.init_app(app)
    return app
""",
    "api.py": """
from flask import Blueprint

bp = Blueprint("api", __name__)


@bp.route("/ping")
def ping():
    return {"ok": True}


def init_app(app):
    app.register_blueprint(bp)
""",
    "wsgi.py": """
from .app import create_app, standalone

app = standalone(create_app())
""",
}


def test_registrations_made_only_by_an_entry_module_are_not_those_of_the_factory_s_app(
        tmp_path: Path) -> None:
    """udata's `wsgi.py` is `app = standalone(create_app())`, and `standalone` registers the
    API's blueprints: every module's module-level calls counted as run when the package loads
    the app, so the package served a bare `create_app()`, without the API (404 on /api/1/...).
    The package now asks for the app, and loads `wsgi.app` where pyproject.toml states it."""
    with converted_snippet(tmp_path / "bare", "wsgi_shop", REGISTERED_BY_WSGI,
                           "wsgi_shop_fastapi") as (result, _out, _legacy):
        reason = result.to_json()["legacy_app_unloadable"]
        assert reason is not None and "`api` in init_app() (api.py:13)" in reason, reason
        assert result.to_json()["serve"] is None
        from wsgi_shop_fastapi import main as generated

        with pytest.raises(RuntimeError, match="lacks the blueprints registered by code that "
                                               "loading it does not run"):
            generated.load_legacy_app()
    stated = dict(REGISTERED_BY_WSGI,
                  **{"pyproject.toml": '[tool.migrate]\nlegacy-app = "wsgi_shop.wsgi:app"\n'})
    with converted_snippet(tmp_path / "stated", "wsgi_shop", stated, "wsgi_shop_fastapi") as (
            result, _out, _legacy):
        assert result.to_json()["legacy_app_unloadable"] is None
        assert sorted(view.route.rule for view in result.converted) == ["/health", "/ping"]
        from wsgi_shop_fastapi import main as generated

        with TestClient(generated.app, base_url="http://localhost") as client:
            assert client.get("/ping").json() == {"ok": True}
