"""Routes added to `current_app` by a module the app factory imports inside its app context.

The application factory of hackersandslackers' tutorial (and cryptoadvance-specter's
`server_endpoints/controller.py`): `with app.app_context(): from . import routes` in
`create_app()`, routes.py doing `from flask import current_app as app` and `@app.route(...)`.
The scan listed none of those routes and said nothing: `current_app` named no app it knew. At a
module's top level, `current_app` is the app whose context is pushed where the module is
imported; the scan now reads it so.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import listed_rules, served_rules

FILES = {
    "__init__.py": '''
from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config["GREETING"] = "hello"
    with app.app_context():
        from . import routes  # noqa: F401  (adds its routes to current_app)
        from .api import api_bp
        app.register_blueprint(api_bp, url_prefix="/api")
    return app
''',
    "routes.py": '''
from flask import current_app as app
from flask import g, jsonify

from . import pages  # noqa: F401  (imported here, so in the same app context)


@app.before_request
def mark():
    g.marked = True


@app.route("/")
def home():
    """The greeting the config holds."""
    return jsonify(greeting=app.config["GREETING"], marked=g.marked)


@app.get("/items/<int:item_id>")
def item(item_id):
    return {"item": item_id}
''',
    "pages.py": '''
import flask


@flask.current_app.get("/about")
def about():
    return {"about": True}
''',
    "api.py": '''
from flask import Blueprint, current_app

api_bp = Blueprint("api", __name__)


@api_bp.get("/ping")
def ping():
    return {"pong": True}


def health():
    return {"ok": True}


current_app.add_url_rule("/health", "health", health)
''',
}


def test_routes_added_to_current_app_in_the_factory_s_app_context(tmp_path):
    with converted_snippet(tmp_path, "ctxapp", FILES, "ctxapp_fastapi") as (result, _, _):
        scan = result.scan
        from ctxapp import create_app as create_legacy

        legacy_app = create_legacy()  # the first app create_app() makes: it has the routes
        flask_rules = served_rules(legacy_app)
        assert listed_rules(scan.routes) == flask_rules == {
            ("/", "home"), ("/items/<int:item_id>", "item"), ("/about", "about"),
            ("/api/ping", "api.ping"), ("/health", "health")}
        [app] = scan.apps
        assert {r.app for r in scan.routes} == {app.key}
        assert [(h.kind, h.function) for h in app.hooks] == [("before_request", "mark")]
        # registered while the factory runs: no instance's own registration, nothing at run time
        assert app.instance_registrations == [] and app.run_time_registrations == []
        assert sorted((d.code, d.file, d.line) for d in scan.diagnostics) == [
            ("scan.import_once_registration", "__init__.py", 9),
            ("scan.import_once_registration", "__init__.py", 10)]
        assert sorted(v.route.rule for v in result.converted) == [
            "/", "/about", "/api/ping", "/health", "/items/<int:item_id>"]

        from ctxapp_fastapi.main import create_app

        flask_client = legacy_app.test_client()
        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            for path in ("/", "/items/7", "/about", "/api/ping", "/health", "/missing"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert client.get("/").json() == {"greeting": "hello", "marked": True}

        # the pattern's catch, which the scan's warning names: Python runs routes.py once, so
        # a second app the factory makes has none of those routes
        second = create_legacy()
        assert second.test_client().get("/items/7").status_code == 404


def test_current_app_without_an_app_context_the_scan_can_follow(tmp_path):
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "__init__.py").write_text('''
from flask import Flask

app = Flask(__name__)
''')
    (tmp_path / "loose" / "routes.py").write_text('''
from flask import current_app


@current_app.get("/somewhere")
def somewhere():
    return {}
''')
    scan = scan_path(tmp_path / "loose")
    assert scan.routes == []
    assert [(d.code, d.file, d.line, d.message) for d in scan.diagnostics] == [(
        "scan.unresolved_app", "routes.py", 5,
        ("cannot tell which app `current_app` (flask.current_app) is when loose.routes is "
        "imported: no `with app.app_context():` the scan can follow imports it; the route is "
        "not listed"))]


def test_verify_makes_the_generated_app_around_the_legacy_app_that_has_the_routes(tmp_path):
    """`migrate verify` makes the legacy app, then the generated package makes its own, which
    lacks the routes routes.py gave the first one. Verify notices that the two legacy apps'
    rules differ and makes the generated app around `--legacy`'s app (a note says so): all
    green, where every such route used to be red (Flask 200, the generated app 404)."""
    from migrator.verify.run import VerifyInputs, verify_routes

    with converted_snippet(tmp_path, "ctxverify", FILES, "ctxverify_fastapi"):
        result = verify_routes(VerifyInputs("ctxverify:create_app",
                                            "ctxverify_fastapi.main:app"))
    failed = [r.to_json() for r in result.routes if not r.passed]
    assert result.ok and not failed, failed
    assert {r.migrated.route.endpoint for r in result.routes} == {
        "home", "item", "about", "api.ping", "health"}
    [note] = result.notes
    assert note.startswith("the generated app's own legacy app lacks 4 rule(s) that --legacy's "
                           "has: / (home), /about (about), /health (health) and 1 more")
    assert result.to_json()["notes"] == [note]
