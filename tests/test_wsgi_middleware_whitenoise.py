"""WhiteNoise around the app's `wsgi_app` (noggin-aaa 1.11.0: `app.wsgi_app = WhiteNoise(
app.wsgi_app, root=..., prefix="static/")`): its routes convert, and the generated app runs
WhiteNoise before each converted route, as Flask does.

WhiteNoise answers GET and HEAD for the files under its prefix (a 405 for another method) and
hands every other request to the app untouched (`self.application(environ, start_response)`):
the shape of a project class the scan reads as only changing the request (scan/middleware.py),
which flask_compat's LegacyMiddlewarePass runs. It kept all 31 of noggin's routes on Flask
(`scan.wsgi_middleware`). A path that is both a converted rule and one of WhiteNoise's files gets
the file, as in Flask.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import assert_answered_alike, converted_snippet
from tests.lint_support import new_lint_findings

WHITENOISE_APP = '''
from pathlib import Path

from flask import Flask, request
from whitenoise import WhiteNoise

app = Flask(__name__)
app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(Path(__file__).parent / "files"),
                          prefix="static/")


@app.get("/users/<name>")
def user(name):
    return {"user": name, "q": request.args.get("q")}


@app.route("/static/notes.txt", methods=["GET", "POST"])
def notes():
    """Shadowed by WhiteNoise for GET: it has a file of that name."""
    return {"notes": request.method}
'''


def test_whitenoise_runs_before_the_converted_routes(tmp_path: Path) -> None:
    files = {"__init__.py": WHITENOISE_APP, "files/notes.txt": "from the file\n",
             "files/site.css": "body {}\n"}
    with converted_snippet(tmp_path, "static_app", files, "static_fastapi") as (
            result, out, legacy):
        [app] = scan_path(legacy).apps
        assert app.middleware == {"whitenoise.base.WhiteNoise": "application"}
        assert sorted({view.route.rule for view in result.converted}) == [
            "/static/notes.txt", "/users/<name>"]
        assert not new_lint_findings(out, legacy.parent, "static_app")

        import static_app
        from static_fastapi.main import create_app

        flask_client = static_app.app.test_client()
        with TestClient(create_app(static_app.app), base_url="http://localhost") as client:
            assert_answered_alike(flask_client, client, (
                ("GET", "/users/ada?q=1"), ("POST", "/users/ada"), ("GET", "/static/notes.txt"),
                ("HEAD", "/static/notes.txt"), ("POST", "/static/notes.txt"),
                ("GET", "/static/site.css"), ("GET", "/static/missing.css")))
            # the file, not the view: WhiteNoise answered, in both
            assert client.get("/static/notes.txt").text == "from the file\n"
