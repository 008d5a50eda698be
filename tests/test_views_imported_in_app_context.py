"""Legacy view modules that can be imported only inside the legacy app's context.

Specter Desktop 2.1.11 imports its controllers in `init_app`, inside `with
app.app_context():`, and they read `current_app` at import (`@app.csrf.exempt`, with `app` being
`flask.current_app`). The generated `main.py` imported its routers, and so those modules, at its
own import: `import specter_fastapi.main` raised "Working outside of application context", so
neither `uvicorn specter_fastapi.main:app` nor `create_app(legacy_app)` could run. The routers
are now imported by `create_app`, once the legacy app is made: the factory has imported the
modules then, in its context, as Flask does.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

FILES = {
    "__init__.py": '''
from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config["GREETING"] = "hello"
    with app.app_context():
        from greet_app import views
        app.register_blueprint(views.bp)
    return app
''',
    "views.py": '''
from flask import Blueprint, current_app

# read when the module is imported: only inside the app's context
GREETING = current_app.config["GREETING"]
bp = Blueprint("views", __name__)


@bp.route("/greet/<name>")
def greet(name):
    """Greets `name` as the app is configured to."""
    return {"greeting": f"{GREETING}, {name}"}
''',
}


def test_the_package_imports_before_the_legacy_app_is_made(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "greet_app", FILES, "greet_fastapi") as (result, out, _):
        assert [view.route.rule for view in result.converted] == ["/greet/<name>"]
        main = importlib.import_module("greet_fastapi.main")  # raised RuntimeError before
        assert "greet_app.views" not in sys.modules
        app = main.create_app()
        legacy_app = app.state.legacy_flask_app
        with TestClient(app, base_url="http://localhost") as client:
            old, new = legacy_app.test_client().get("/greet/ann"), client.get("/greet/ann")
            assert (new.status_code, new.content) == (old.status_code, old.get_data())
            assert new.json() == {"greeting": "hello, ann"}
        assert app.state.legacy_views_changed == {}
        assert '"""Greets `name` as the app is configured to."""' in (
            out / "routers" / "views.py").read_text(encoding="utf-8")
