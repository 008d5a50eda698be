"""A rule added in a function only an entry point runs stays on Flask.

mlflow 3.18's tracking server is `mlflow.server:app`; its optional basic-auth plugin adds about 50
rules to that app in `mlflow.server.auth.create_app(app: Flask = app)`, which only the
`basic-auth` entry point calls, and its module raises ImportError without Flask-WTF. The scan
listed those rules on the default app, `/signup` converted, and the generated router imported the
plugin: `uvicorn mlflow_fastapi.main:app` failed at start-up on a stock install, where the legacy
app answers `/signup` with 404. A rule added to a module-level app in a module-level function that
no code of the project calls or names (so only something outside it, an entry point, runs it) is
now `manual` (`scan.run_time_rule`): no router imports the plugin, and Flask answers as before. A
function the project does call (`add_version` here, or a decorator that registers the view) is
read as before.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, write_files

SERVER = {
    "__init__.py": '''
        from flask import Flask

        app = Flask(__name__)


        def add_version(app):
            @app.route("/version")
            def version():
                return "1.0"


        add_version(app)


        @app.route("/health")
        def health():
            return "OK"
        ''',
    "auth/__init__.py": '''
        from flask import Flask

        from myserver import app

        try:
            import flask_wtf_is_not_installed  # noqa: F401
        except ImportError as error:
            raise ImportError("the auth plugin needs Flask-WTF") from error


        def signup():
            return "welcome"


        def create_app(app: Flask = app):
            app.add_url_rule("/signup", view_func=signup)
            return app
        ''',
}


def test_a_rule_only_an_entry_point_adds_is_manual(tmp_path: Path) -> None:
    root = tmp_path / "myserver"
    write_files(root, SERVER)
    routes = {route.rule: route for route in scan_path(root).routes}
    assert {rule: route.status for rule, route in routes.items()} == {
        "/health": "auto", "/version": "assisted", "/signup": "manual"}
    [reason] = routes["/signup"].reasons
    assert reason.startswith("scan.run_time_rule: the rule is added in create_app() "
                             f"({Path('auth') / '__init__.py'}), which no code of the project "
                             "calls or names (an entry point's or a command's function)")


def test_the_generated_app_starts_without_the_plugin(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "myserver", SERVER, "myserver_fastapi") as (
            result, _, _):
        assert sorted(view.route.rule for view in result.converted) == ["/health", "/version"]
        import myserver
        from myserver_fastapi.main import create_app

        flask_client = myserver.app.test_client()
        with TestClient(create_app()) as client:  # before: ImportError, nothing served
            for path in ("/health", "/version", "/signup"):
                new, old = client.get(path), flask_client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
            assert "/signup" not in client.get("/openapi.json").json()["paths"]
