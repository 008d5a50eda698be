"""App-level inventory: error handlers, request hooks, extensions, CLI commands."""

from __future__ import annotations

from migrator.scan import scan_path
from tests.scan_support import write_tree

APP = {
    "proj/__init__.py": """
        import click
        from flask import Flask
        from flask_cors import CORS
        from flask_login import LoginManager
        from . import db
        from .errors import register_error_handlers
        from .views import bp

        login_manager = LoginManager()

        def create_app():
            app = Flask(__name__)
            CORS(app, origins=["https://example.com"])
            login_manager.init_app(app)
            db.init_app(app)
            register_error_handlers(app)
            app.register_blueprint(bp)

            @app.before_request
            def start():
                pass

            @app.cli.command("seed")
            def seed():
                pass

            return app
    """,
    "proj/db.py": """
        import click

        def close_db(e=None):
            pass

        @click.command("init-db")
        def init_db_command():
            pass

        def init_app(app):
            app.teardown_appcontext(close_db)
            app.cli.add_command(init_db_command)
    """,
    "proj/errors.py": """
        from werkzeug.exceptions import HTTPException

        class ValidationError(Exception):
            pass

        def _register_more(application):
            application.register_error_handler(500, lambda e: ("oops", 500))

        def register_error_handlers(app):
            @app.errorhandler(ValidationError)
            def invalid(err):
                return {"error": str(err)}, 400

            @app.errorhandler(404)
            def not_found(err):
                return {"error": "not found"}, 404

            _register_more(app)
    """,
    "proj/views.py": """
        from flask import Blueprint

        bp = Blueprint("views", __name__)

        @bp.before_app_request
        def load_user():
            pass

        @bp.app_errorhandler(403)
        def forbidden(err):
            return "no", 403

        @bp.route("/")
        def index():
            return ""
    """,
}


def test_app_inventory(tmp_path):
    result = scan_path(write_tree(tmp_path, APP))
    [app] = result.apps
    assert app.factory == "create_app"
    assert [(h.target, h.function, h.file) for h in app.error_handlers] == [
        ("ValidationError", "invalid", "proj/errors.py"),
        ("404", "not_found", "proj/errors.py"),
        ("500", 'lambda e: ("oops", 500)', "proj/errors.py"),
    ]
    hooks = {(h.kind, h.function, h.file) for h in app.hooks}
    assert hooks == {("before_request", "start", "proj/__init__.py"),
                     ("teardown_appcontext", "close_db", "proj/db.py")}
    assert sorted((c.target, c.file) for c in app.cli_commands) == [
        ("init_db_command", "proj/db.py"), ("seed", "proj/__init__.py")]
    assert sorted((e.name, e.call) for e in app.extensions) == [
        ("flask_cors.CORS", "constructor"), ("flask_login.LoginManager", "init_app")]
    [blueprint] = result.blueprints
    assert {(h.kind, h.target, h.function) for h in blueprint.hooks} == {
        ("before_request", None, "load_user"), ("errorhandler", "403", "forbidden")}
    assert all(h.line for h in app.error_handlers + app.hooks + blueprint.hooks)


def test_statements_written_over_several_lines_in_a_function_have_their_line(tmp_path):
    """LibCST writes a node inside an indented block without the block's indentation, so a call
    spread over several lines in `create_app` was not found in the source: its route, blueprint
    registration and warnings had no line (fava's `app.wsgi_app = DispatcherMiddleware(`)."""
    root = write_tree(tmp_path, {"app.py": """
        from flask import Flask, Blueprint
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        bp = Blueprint("bp", __name__)


        def view():
            return "x"


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(
                bp,
                url_prefix="/bp",
            )
            app.add_url_rule(
                "/y",
                view_func=view,
                endpoint="y",
            )
            app.view_functions["y"] = wrap(
                view,
            )
            app.wsgi_app = DispatcherMiddleware(
                app.wsgi_app,
                {},
            )
            return app
    """})
    result = scan_path(root)
    assert [(r.rule, r.line) for r in result.routes] == [("/y", 17)]
    [blueprint] = result.blueprints
    assert [(reg.name, reg.line) for reg in blueprint.registrations] == [("bp", 13)]
    assert sorted((d.code, d.line) for d in result.diagnostics) == [
        ("scan.view_functions_replaced", 22), ("scan.wsgi_middleware", 25)]
