"""Legacy catalog app: the Flask application the migration toolkit is demoed on.

Usage::

    from legacy_flask_app import create_app
    app = create_app({"TESTING": True, "DATABASE": "/tmp/test.sqlite3"})
"""

import os
import sqlite3
import time

import click
from flask import Flask, g, url_for

from . import db
from .converters import SlugConverter
from .errors import register_error_handlers

__version__ = "1.4.2"


def create_app(config=None):
    """Application factory. ``config`` is a mapping merged into ``app.config`` last."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object("legacy_flask_app.config.DefaultConfig")
    app.config.from_envvar("LEGACY_APP_SETTINGS", silent=True)
    if config:
        app.config.update(config)

    if not app.config.get("DATABASE"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE"] = os.path.join(app.instance_path, "legacy.sqlite3")
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")

    db.init_app(app)
    register_error_handlers(app)
    # before any blueprint adds a rule naming it
    app.url_map.converters["slug"] = SlugConverter

    # imported here to keep `import legacy_flask_app` cheap and cycle-free
    from .admin import admin_bp
    from .api import api_bp
    from .auth import auth_bp
    from .users import users_bp

    app.register_blueprint(api_bp)  # url_prefix="/api/v1" set on the blueprint
    app.register_blueprint(auth_bp)  # url_prefix="/auth" set on the blueprint
    app.register_blueprint(users_bp, url_prefix="/users")
    app.register_blueprint(admin_bp)  # url_prefix="/admin" set on the blueprint

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def add_standard_headers(response):
        started = g.get("request_started")
        if started is not None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.headers["X-Request-Duration"] = f"{elapsed_ms:.2f}ms"
        response.headers["X-App-Version"] = app.config["APP_VERSION"]
        return response

    @app.route("/")
    def index():
        return {
            "name": "legacy-catalog",
            "version": app.config["APP_VERSION"],
            "links": {
                "items": url_for("api.item_list"),
                "categories": url_for("api.list_categories"),
                "login": url_for("auth.login"),
                "health": url_for("health"),
            },
        }

    @app.get("/health")
    def health():
        try:
            items = db.get_db().execute("SELECT COUNT(*) FROM items").fetchone()[0]
        except sqlite3.Error as exc:
            return {"status": "degraded", "database": str(exc)}, 503
        return {"status": "ok", "database": "ok", "items": items}

    @app.cli.command("init-db")
    @click.option("--seed/--no-seed", default=False, help="Also load the demo fixtures.")
    def init_db_command(seed):
        """Clear the existing data and create new tables."""
        if seed:
            from .fixtures import load_fixtures

            load_fixtures(app)
            click.echo("Initialized the database with demo data.")
        else:
            db.init_db()
            click.echo("Initialized the database.")

    return app
