"""Blueprints registered by pluggy hook implementations (FlaskBB's way).

FlaskBB 2.0.2 registers each of its blueprints in a `flaskbb_load_blueprints(app)` function
marked `@impl` (`impl = HookimplMarker("flaskbb")`) and called through its plugin manager:
`app.pluggy.hook.flaskbb_load_blueprints(app=app)`. The scan listed none of its 101 routes: no
call it could see passed an app to those functions. A pluggy hook call runs every registered
implementation of that hook, each with the arguments named as its own parameters; the scan
follows each implementation in the project and says so at the call, as it cannot tell which
modules are registered with the plugin manager at run time.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, write_files
from tests.scan_support import listed_rules, served_rules

PLUGGABLE = {
    "hookspecs.py": '''
import pluggy

hookspec = pluggy.HookspecMarker("shop")


@hookspec
def shop_load_blueprints(app):
    """Register the plugin's blueprints on `app`."""
''',
    "pages.py": '''
from flask import Blueprint
from pluggy import HookimplMarker

impl = HookimplMarker("shop")


@impl(tryfirst=True)
def shop_load_blueprints(app):
    pages = Blueprint("pages", __name__)

    @pages.get("/page")
    def page():
        return {"bp": "pages"}

    app.register_blueprint(pages, url_prefix="/p")
''',
    "admin.py": '''
import pluggy
from flask import Blueprint

hookimpl = pluggy.HookimplMarker("shop")
admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.get("/panel")
def panel():
    return {"bp": "admin"}


@hookimpl(specname="shop_load_blueprints")
def load_admin(app):
    app.register_blueprint(admin)


def shop_load_blueprints(app):
    """Not marked as an implementation: pluggy never calls it."""
    app.register_blueprint(admin, name="unmarked", url_prefix="/unmarked")
''',
    "__init__.py": '''
import pluggy
from flask import Flask

from . import admin, hookspecs, pages


def configure_blueprints(app):
    app.pluggy.hook.shop_load_blueprints(app=app)


def create_app():
    app = Flask(__name__)
    app.pluggy = pluggy.PluginManager("shop")
    app.pluggy.add_hookspecs(hookspecs)
    for module in (pages, admin):
        app.pluggy.register(module)
    configure_blueprints(app)
    return app
''',
}


def test_blueprints_registered_by_hook_implementations_are_listed(tmp_path):
    with converted_snippet(tmp_path, "plugged_app", PLUGGABLE, "plugged_fastapi") as (
            result, _, _):
        scan = result.scan
        from plugged_app import create_app

        legacy_app = create_app()
        flask_rules = served_rules(legacy_app)
        assert listed_rules(scan.routes) == flask_rules == {
            ("/p/page", "pages.page"), ("/admin/panel", "admin.panel")}
        [hook] = scan.diagnostics
        assert (hook.code, hook.severity, hook.file, hook.line) == (
            "scan.plugin_hook", "info", "__init__.py", 9)
        assert hook.message == (
            "`app.pluggy.hook.shop_load_blueprints(...)` runs the implementations of the pluggy "
            "hook `shop_load_blueprints` registered at run time; the scan follows the 2 in the "
            "scanned code as if each is registered: admin.py:15 `load_admin`, pages.py:9 "
            "`shop_load_blueprints`")
        assert {view.route.endpoint for view in result.converted} == {
            "pages.page", "admin.panel"}

        from plugged_fastapi.main import app as fastapi_app

        flask_client = legacy_app.test_client()
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            for rule, _ in sorted(flask_rules):
                old, new = flask_client.get(rule), client.get(rule)
                assert old.status_code == 200
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), rule


def test_a_hook_no_implementation_answers_is_not_followed(tmp_path):
    """A call of a hook nobody implements (or of an object's `hook` attribute that pluggy does
    not make) leaves the blueprint unregistered, as before, and says nothing of plugins."""
    write_files(tmp_path, {
        "__init__.py": '''
from flask import Blueprint, Flask

app = Flask(__name__)
late = Blueprint("late", __name__)


@late.get("/late")
def later():
    return "late"


def shop_load_blueprints(app):
    app.register_blueprint(late)


app.pluggy.hook.shop_load_blueprints(app=app)
app.pluggy.hook.other_hook(app=app)
''',
    })
    scan = scan_path(tmp_path)
    assert scan.routes == []
    assert [d.code for d in scan.diagnostics] == ["scan.blueprint_not_registered"]
