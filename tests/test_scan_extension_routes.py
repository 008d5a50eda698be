"""Routes that extensions add when the app starts, which no scan of the project's source lists.

Flask-Admin's pages, flasgger's documentation, prometheus-flask-exporter's `/metrics` and a
blueprint flask-swagger-ui makes exist only in the running app's `url_map`. The scan used to pass
over the three extensions in silence, and said it "cannot tell which blueprint
`app.register_blueprint(docs)` registers" of the fourth. It now names each
(`scan.extension_routes`, `scan.external_blueprint`), and this test holds the warnings to the
real `url_map`: every rule the scan does not list comes from one of the extensions it named.
That is the exception to "the scan lists every route": what an extension adds at run time is
named, not listed. The generated app serves those routes from the legacy app, even behind a
converted catch-all route (Werkzeug prefers `/admin/` to `/<path:page>`, and so does the mount).
"""

from __future__ import annotations

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import (
    converted_snippet,
    paths_the_legacy_mount_serves,
    write_files,
)
from tests.scan_support import listed_rules, served_rules

LEGACY = '''
from flasgger import Swagger
from flask import Flask
from flask_admin import Admin, BaseView, expose
from flask_swagger_ui import get_swaggerui_blueprint
from prometheus_client import CollectorRegistry
from prometheus_flask_exporter import PrometheusMetrics


class StatsView(BaseView):
    @expose("/")
    def index(self):
        return "stats"


def create_app():
    app = Flask(__name__)
    admin = Admin(app, name="shop")
    admin.add_view(StatsView(name="Stats", endpoint="stats"))
    Swagger(app)
    PrometheusMetrics(app, registry=CollectorRegistry())
    docs = get_swaggerui_blueprint("/docs", "/apispec_1.json")
    app.register_blueprint(docs)

    @app.get("/items")
    def items():
        return {"items": [1, 2]}

    @app.get("/<path:page>")
    def page(page):
        return {"page": page}

    return app
'''

# What each named extension adds, by the endpoints Flask gives its rules
ADDED_BY = {
    "flask_admin.Admin": ("admin.", "stats."),
    "flasgger.Swagger": ("flasgger.",),
    "prometheus_flask_exporter.PrometheusMetrics": ("prometheus_metrics",),
    "flask_swagger_ui.get_swaggerui_blueprint": ("swagger_ui.",),
}


def test_extension_routes_are_named_and_served_by_the_legacy_app(tmp_path, monkeypatch):
    with converted_snippet(tmp_path, "shopext", LEGACY, "shopext_fastapi") as (result, _, _):
        scan = result.scan
        assert sorted(r.rule for r in scan.routes) == ["/<path:page>", "/items"]
        assert sorted(v.route.rule for v in result.converted) == ["/<path:page>", "/items"]
        warnings = {(d.code, d.line): d.message for d in scan.diagnostics}
        assert sorted(warnings) == [("scan.extension_routes", 18),
                                    ("scan.extension_routes", 20),
                                    ("scan.extension_routes", 21),
                                    ("scan.external_blueprint", 23)]
        assert warnings[("scan.extension_routes", 18)].startswith(
            "flask_admin.Admin adds routes to shopext:create_app.app when it starts: "
            "Flask-Admin's index (`/admin/` unless `url=` says otherwise)")
        assert warnings[("scan.extension_routes", 20)].startswith("flasgger.Swagger adds routes")
        assert warnings[("scan.extension_routes", 21)].startswith(
            "prometheus_flask_exporter.PrometheusMetrics adds routes")
        assert warnings[("scan.external_blueprint", 23)] == (
            "`app.register_blueprint(docs)` registers a blueprint made by "
            "flask_swagger_ui.get_swaggerui_blueprint, outside the scanned code: its routes are "
            "not listed; they stay on Flask, which the generated app still serves them from")
        named = {message.split(" ")[0] for (code, _), message in warnings.items()
                 if code == "scan.extension_routes"} | {"flask_swagger_ui.get_swaggerui_blueprint"}
        assert named == set(ADDED_BY)

        from shopext import create_app as create_legacy
        from shopext_fastapi.main import create_app

        legacy_app = create_legacy()
        listed = {r.rule for r in scan.routes} | {"/static/<path:filename>"}
        unlisted = [rule for rule in legacy_app.url_map.iter_rules() if rule.rule not in listed]
        assert len(unlisted) == 11
        for rule in unlisted:  # each comes from an extension the scan named
            assert any(rule.endpoint.startswith(prefixes)
                       for prefixes in ADDED_BY.values()), rule

        mounted = paths_the_legacy_mount_serves(monkeypatch, "shopext_fastapi")
        flask_client = legacy_app.test_client()
        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            for path in ("/admin/", "/admin/stats/", "/apidocs/", "/apispec_1.json", "/docs/"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
                assert old.status_code == 200, path
            metrics = client.get("/metrics")
            assert metrics.status_code == 200
            assert metrics.headers["content-type"] == \
                flask_client.get("/metrics").headers["content-type"]
            assert mounted == ["/admin/", "/admin/stats/", "/apidocs/", "/apispec_1.json",
                               "/docs/", "/metrics"]
            for path in ("/items", "/some/page"):  # the converted routes answer the rest
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert mounted == ["/admin/", "/admin/stats/", "/apidocs/", "/apispec_1.json",
                               "/docs/", "/metrics"]


def test_a_blueprint_one_of_two_third_party_functions_makes(tmp_path):
    """calibre-web 0.6.27's oauth_bb.py: `blueprint_func = make_github_blueprint`, else
    `make_google_blueprint`, then `app.register_blueprint(blueprint_func(...))` in a loop."""
    from migrator.scan import scan_path

    (tmp_path / "oauthapp.py").write_text('''
from flask import Flask
from flask_dance.contrib.github import make_github_blueprint
from flask_dance.contrib.google import make_google_blueprint

app = Flask(__name__)

for provider in ("github", "google"):
    if provider == "github":
        blueprint_func = make_github_blueprint
    else:
        blueprint_func = make_google_blueprint
    blueprint = blueprint_func(client_id="id", client_secret="secret")
    app.register_blueprint(blueprint, url_prefix="/login")
''')
    scan = scan_path(tmp_path)
    assert [(d.code, d.line, d.message) for d in scan.diagnostics] == [(
        "scan.external_blueprint", 14,
        ('`app.register_blueprint(blueprint, url_prefix="/login")` registers a blueprint made by '
        "flask_dance.contrib.github.make_github_blueprint or "
        "flask_dance.contrib.google.make_google_blueprint, outside the scanned code: its routes "
        "are not listed; they stay on Flask, which the generated app still serves them from"))]


CLASSFUL = '''
from flask import Flask
from flask_classful import FlaskView, route


class QuotesView(FlaskView):
    def index(self):
        return "all"

    def get(self, id):
        return f"one {id}"

    @route("/word/<word>/")
    def word(self, word):
        return word


app = Flask(__name__)


@app.get("/plain")
def plain():
    return {"plain": True}


QuotesView.register(app)
'''


def test_flask_classful_views_are_listed_and_served_by_the_legacy_app(tmp_path):
    """Flask-Classful makes a view's routes from its methods in `QuotesView.register(app)`.
    The scan listed none (then named the call in a warning); it now lists them, `manual`
    (tests/test_scan_flask_classful.py), and the generated app serves them from Flask."""
    with converted_snippet(tmp_path, "quotes", CLASSFUL, "quotes_fastapi") as (result, _, _):
        scan = result.scan
        assert sorted((r.rule, r.endpoint, r.status) for r in scan.routes) == [
            ("/plain", "plain", "auto"), ("/quotes/", "QuotesView:index", "manual"),
            ("/quotes/<id>/", "QuotesView:get", "manual"),
            ("/quotes/word/<word>/", "QuotesView:word", "manual")]
        assert scan.diagnostics == []
        assert [view.route.rule for view in result.converted] == ["/plain"]
        assert sorted(left.route.endpoint for left in result.left) == [
            "QuotesView:get", "QuotesView:index", "QuotesView:word"]
        from quotes import app
        from quotes_fastapi.main import create_app

        listed = listed_rules(scan.routes)
        assert listed == served_rules(app)
        flask_client = app.test_client()
        with TestClient(create_app(app), base_url="http://localhost") as client:
            for path in ("/quotes/", "/quotes/3/", "/quotes/word/hi/", "/plain"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path


def test_an_extension_function_given_the_app_is_named(tmp_path):
    """`dashboard.bind(app)` (Flask-MonitoringDashboard: its dashboard's 56 rules) and
    `configure_uploads(app, photos)` (Flask-Uploads: `/_uploads/<set>/<filename>`) add routes as
    Admin(app) does, but they are functions: the scan followed them as calls that pass the app
    on, and named neither (found by the Flask-MonitoringDashboard hand run: no warning at all).
    Neither package is installed here: the scan reads the names only."""
    (tmp_path / "hosted.py").write_text('''
import flask_monitoringdashboard as dashboard
from flask import Flask
from flask_uploads import IMAGES, UploadSet, configure_uploads

photos = UploadSet("photos", IMAGES)


def create_app():
    app = Flask(__name__)
    dashboard.bind(app)
    configure_uploads(app, photos)

    @app.get("/items")
    def items():
        return {"items": []}

    return app
''', encoding="utf-8")
    from migrator.scan import scan_path

    scan = scan_path(tmp_path)
    assert [r.rule for r in scan.routes] == ["/items"]
    warnings = {(d.code, d.line): d.message for d in scan.diagnostics}
    assert sorted(warnings) == [("scan.extension_routes", 11), ("scan.extension_routes", 12)]
    assert warnings[("scan.extension_routes", 11)].startswith(
        "flask_monitoringdashboard.bind adds routes to hosted:create_app.app when it starts: its "
        "dashboard's pages and API (`/dashboard/...`)")
    assert warnings[("scan.extension_routes", 12)].startswith(
        "flask_uploads.configure_uploads adds routes to hosted:create_app.app when it starts")
    assert [(e.name, e.call) for e in scan.apps[0].extensions] == [
        ("flask_monitoringdashboard.bind", "function"),
        ("flask_uploads.configure_uploads", "function")]



FLASK_SOCK = '''
from flask import Flask
from flask_sock import Sock

app = Flask(__name__)
sock = Sock(app)


@app.route("/hello")
def hello():
    return {"hello": "world"}


@sock.route("/echo")
def echo(ws):
    ws.send(ws.receive())
'''


def test_flask_sock_s_websocket_routes_are_named_with_where_to_serve_them(tmp_path) -> None:
    """Dallinger's chat and waiting room are flask-sock WebSockets (`sock.route("/chat")`): the
    scan listed `/hello` and said nothing, and the generated app's mount closes WebSockets."""
    write_files(tmp_path, {"socks.py": FLASK_SOCK})
    result = scan_path(tmp_path)
    assert [route.rule for route in result.routes] == ["/hello"]
    [note] = [d for d in result.diagnostics if d.code == "scan.extension_routes"]
    assert "flask-sock's WebSocket routes (those given to `sock.route`), which the generated " \
        "app's legacy mount cannot serve" in note.message


def test_flask_apispec_s_documentation_pages_are_named(tmp_path) -> None:
    """cornflow 1.3.9: `FlaskApiSpec(app)` adds `/swagger/`, `/swagger-ui/` and
    `/flask-apispec/static/<path:filename>` (its real url_map), and the scan said nothing.
    flask-apispec 0.11.4 does not import beside marshmallow 4 (which the test extras install),
    so this test reads only the scan; the extension's own `add_swagger_routes` is where those
    three rules come from."""
    write_files(tmp_path, {"specs.py": '''
from flask import Flask
from flask_apispec import FlaskApiSpec

app = Flask(__name__)


@app.route("/ping")
def ping():
    return {"ok": True}


docs = FlaskApiSpec()
docs.init_app(app)
'''})
    result = scan_path(tmp_path)
    assert [route.rule for route in result.routes] == ["/ping"]
    [note] = [d for d in result.diagnostics if d.code == "scan.extension_routes"]
    assert (note.file, note.line) == ("specs.py", 14)  # the `init_app` call
    assert note.message.startswith(
        "flask_apispec.FlaskApiSpec adds routes to specs:app when it starts: flask-apispec's "
        "documentation pages (`/swagger/`, `/swagger-ui/` and `/flask-apispec/static/...`")
