"""Dash apps: a Dash app serves on a Flask app, its `server`, to which the project may add routes
of its own (`@dash_app.server.route("/download/<name>")`).

The scan listed none of those routes: `dash_app.server` named nothing it knew, and an app made
with `Dash(__name__)`, whose Flask app Dash makes itself at run time, was passed over in
silence. Now `Dash(__name__, server=app)` makes `dash_app.server` that app, and Dash's own
routes are named as an extension's (`scan.extension_routes`); `Dash(__name__)` gets a
`scan.dash_server` warning saying that none of its routes are listed and how to have them
listed. The project's routes convert; Dash's pages keep being served by Flask.
"""

from __future__ import annotations

import importlib

from fastapi.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, write_files

SERVED_ON_THE_PROJECT_S_APP = '''
import flask
from dash import Dash, html

server = flask.Flask(__name__)


@server.route("/health")
def health():
    return {"ok": True}


app = Dash(__name__, server=server, url_base_pathname="/dash/")
app.layout = html.Div("hello")


@app.server.route("/files/<name>")
def files(name):
    if name != "a.txt":
        flask.abort(404)
    return {"name": name}
'''

MADE_BY_DASH = '''
from dash import Dash, html

app = Dash(__name__)
server = app.server
app.layout = html.Div("hello")


@server.route("/health")
def health():
    return {"ok": True}
'''


def test_the_routes_of_a_dash_app_s_server_are_listed(tmp_path) -> None:
    write_files(tmp_path / "given", {"app.py": SERVED_ON_THE_PROJECT_S_APP})
    result = scan_path(tmp_path / "given")
    assert [(route.rule, route.status) for route in result.routes] == [
        ("/health", "auto"), ("/files/<name>", "auto")]
    [app] = result.apps
    assert [(e.name, e.call) for e in app.extensions] == [("dash.Dash", "constructor")]
    [note] = [d for d in result.diagnostics if d.code == "scan.extension_routes"]
    assert "dash.Dash adds routes to app:server when it starts: Dash's page" in note.message
    assert note.line == 13

    write_files(tmp_path / "made", {"app.py": MADE_BY_DASH})
    result = scan_path(tmp_path / "made")
    assert result.routes == [] and result.apps == []
    [warning] = result.diagnostics
    assert (warning.code, warning.file, warning.line) == ("scan.dash_server", "app.py", 4)
    assert warning.message.startswith(
        "`Dash(__name__)` makes the Flask app Dash serves on at run time (its `server`): the "
        "scan lists none of its routes")


def test_the_project_s_routes_convert_and_dash_s_stay_on_flask(tmp_path) -> None:
    with converted_snippet(tmp_path, "dash_legacy", {"__init__.py": "",
                                                     "app.py": SERVED_ON_THE_PROJECT_S_APP},
                           "dash_fastapi") as (result, _, _):
        assert sorted(view.route.rule for view in result.converted) == [
            "/files/<name>", "/health"]
        server = importlib.import_module("dash_legacy.app").server
        app = importlib.import_module("dash_fastapi.main").create_app(server)
        flask_client = server.test_client()
        with TestClient(app) as client:
            for path in ("/health", "/files/a.txt", "/files/b.txt", "/dash/_dash-layout",
                         "/dash/_dash-dependencies", "/nope"):
                new, old = client.get(path, follow_redirects=False), flask_client.get(path)
                assert (new.status_code, new.content, new.headers.get("content-type")) == (
                    old.status_code, old.get_data(), old.headers.get("content-type")), path
            # Dash's page: the same but for the id Dash makes for each answer
            page = client.get("/dash/")
            assert page.status_code == 200 and '"url_base_pathname":"\\u002fdash\\u002f"' in page.text
        assert sorted(app.openapi()["paths"]) == ["/files/{name}", "/health"]


DASH_AT_THE_ROOT = '''
import flask
from dash import Dash, html

server = flask.Flask(__name__)
app = Dash(__name__, server=server)  # url_base_pathname "/": a catch-all `/<path:path>`
app.layout = html.Div("hello")


@server.route("/api/hello")
def hello():
    return {"hello": "world"}
'''


def test_fastapi_s_pages_leave_paths_a_rule_the_scan_did_not_list_answers(tmp_path,
                                                                        caplog) -> None:
    """Dash at `/` answers every path, `/docs` and `/openapi.json` included; the pages moved
    only off the rules the scan listed, so the generated app answered Swagger UI, the schema
    and ReDoc where Flask answered Dash's page (explainerdashboard's standalone dashboard)."""
    with converted_snippet(tmp_path, "dash_root_legacy", {"__init__.py": "",
                                                          "app.py": DASH_AT_THE_ROOT},
                           "dash_root_fastapi") as (result, _, _):
        assert [view.route.rule for view in result.converted] == ["/api/hello"]
        server = importlib.import_module("dash_root_legacy.app").server
        with caplog.at_level("WARNING", logger="flask_compat"):
            app = importlib.import_module("dash_root_fastapi.main").create_app(server)
        assert "FastAPI's page /docs is off: the legacy app answers that path (rule " \
            "/<path:path>, endpoint /<path:path>)" in caplog.text
        flask_client = server.test_client()
        with TestClient(app) as client:
            for path in ("/docs", "/openapi.json", "/redoc", "/docs/oauth2-redirect",
                         "/api/hello", "/_dash-layout"):
                new, old = client.get(path, follow_redirects=False), flask_client.get(path)
                assert (new.status_code, new.headers.get("content-type")) == (
                    old.status_code, old.headers.get("content-type")), path
                if path != "/api/hello":
                    assert "dash" in new.text.lower(), path
        assert sorted(app.openapi()["paths"]) == ["/api/hello"]  # the schema, still built


SERVER_THE_SCAN_CANNOT_TELL = '''
import flask
from dash import Dash
from flask_simplelogin import SimpleLogin


class Board:
    def __init__(self, **settings):
        for name, value in settings.items():
            setattr(self, name, value)
        self.app = Dash(server=self.server, url_base_pathname="/board/")


server = flask.Flask(__name__)
SimpleLogin(server)
board = Board(server=server)


@server.route("/hello")
def hello():
    return "hi"
'''


def test_what_the_scan_cannot_list_of_dash_and_simplelogin_is_named(tmp_path) -> None:
    """explainerdashboard's `Dash(server=self.server, ...)` (an attribute its `__init__` sets
    with `setattr`) and flask_simplelogin's `/login/` and `/logout/` were passed over in
    silence: the scan listed one route of the app's 13."""
    write_files(tmp_path, {"board.py": SERVER_THE_SCAN_CANNOT_TELL})
    result = scan_path(tmp_path)
    assert [route.rule for route in result.routes] == ["/hello"]
    found = {(d.code, d.line): d.message for d in result.diagnostics}
    assert found[("scan.dash_server", 11)].startswith(
        '`Dash(server=self.server, url_base_pathname="/board/")` serves on a Flask app the '
        "scan cannot tell (`server=`): Dash adds its pages and endpoints to it at run time")
    [login] = [message for (code, _line), message in found.items()
               if code == "scan.extension_routes"]
    assert "flask_simplelogin's login and logout views (`/login/`, `/logout/`" in login
