"""Third-party decorators kept on converted views (FM029): flask-limiter's, flask-caching's,
flask-expects-json's, flask-cors's, flasgger's, Flask-RESTful's `marshal_with` (flask-smorest's and
APIFlask's: test_api_frameworks.py).

`@limiter.limit("5 per minute")` kept every route it guards on Flask ("from
flask_limiter.Limiter.limit; its effect cannot be shown"): ihatemoney's login and admin pages.
flask-limiter registers a decorated limit under the name of the function it wraps and counts each
request in a bucket named by the limit, its key (the client's address) and the Flask endpoint,
`request.endpoint`. The decorator stays on the converted view, inside the bridge, where
`request.endpoint` is the legacy endpoint: the converted route's requests count in the very
buckets the Flask route's do (one storage shared by both apps, in a rollout), so a client gets no
more tries through the new app. `@limiter.exempt` only records the legacy view's name, which the
Limiter's before_request check (run by the bridge) looks up: it leaves the endpoint, as
`@csrf.exempt` does (FM024).
"""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings

LEGACY = '''
from flask import Flask, jsonify
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, default_limits=["3 per minute"],
                  storage_uri="memory://")


@app.post("/login")
@limiter.limit("2 per minute")
def login():
    """Brute-force protection: two tries a minute."""
    return jsonify(ok=True, left=limiter.current_limit.remaining)


@app.get("/items/<int:item_id>")
@limiter.limit("1 per minute", per_method=True)
def item(item_id):
    return {"item": item_id}


@app.get("/ping")
@limiter.exempt
def ping():
    return {"pong": True}


@app.get("/open")
def open_page():
    return {"open": True}
'''


def test_rate_limits_count_in_the_legacy_routes_buckets(tmp_path, monkeypatch):
    with converted_snippet(tmp_path, "limited_app", LEGACY, "limited_fastapi") as (
            result, out, legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        assert scanned["login"].status == "assisted"
        assert scanned["login"].reasons[0].startswith(
            "FM029 decorator:limit (flask-limiter): stays on the view, inside the bridge")
        assert scanned["ping"].reasons[0].startswith("FM024 decorator:exempt (flask-limiter)")
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ('@router.post("/login", name="login")\n@bridge.route\n# FM029: @limiter.limit '
                "runs inside the bridge: its requests count in the legacy endpoint's buckets, "
                'as in Flask\n@limiter.limit("2 per minute")\ndef login():\n') in router
        assert ("# FM024: @limiter.exempt marks the legacy view by name; the rate-limit check "
                "the bridge runs looks up that view, as in Flask\ndef ping():\n") in router
        assert "from limited_app import limiter" in router
        assert not new_lint_findings(out, legacy.parent, "limited_app")

        import limited_app
        from limited_fastapi.main import create_app

        flask_client = limited_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "limited_fastapi")
        with TestClient(create_app(limited_app.app), base_url="http://localhost") as client:
            def both(method, path):
                """The same request to each app in turn, from the same address: (Flask's
                answer, the converted route's)."""
                old = flask_client.open(path, method=method,
                                        environ_base={"REMOTE_ADDR": "testclient"})
                new = client.request(method, path)
                return ((old.status_code, old.headers.get("content-type"), old.get_data()),
                        (new.status_code, new.headers.get("content-type"), new.content))

            limited_app.limiter.reset()
            # the two apps' requests share the buckets: Flask's first try, then the new app's
            # second; the third is refused by either, with the same answer
            first, second = both("POST", "/login")
            assert first[:2] == (200, "application/json") and second[0] == 200
            assert second[2] == b'{"left":0,"ok":true}\n'  # the bucket both counted in
            refused = both("POST", "/login")
            assert refused[0] == refused[1] and refused[0][0] == 429
            # per method: GET counts on its own
            assert [answer[0] for answer in both("GET", "/items/1")] == [200, 429]
            limited_app.limiter.reset()
            # the app's default limit applies to a route with no decorator of its own (the
            # Limiter's before_request check, run by the bridge) ...
            assert [answer[0] for pair in (both("GET", "/open"), both("GET", "/open"))
                    for answer in pair] == [200, 200, 200, 429]
            # ... and not to an exempt one
            pings = [both("GET", "/ping") for _ in range(3)]
            assert all(old == new and old[0] == 200 for old, new in pings)
        assert mounted == []  # each answered by a converted route


BLUEPRINT_LIMITED = '''
from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, storage_uri="memory://")
opds = Blueprint("opds", __name__, url_prefix="/opds")


@opds.get("/")
def feed():
    return {"feed": True}


@opds.get("/books/<int:book_id>")
def book(book_id):
    return {"book": book_id}


def create_app():
    app = Flask(__name__)
    limiter.init_app(app)
    # every route of the blueprint, one limit (calibre-web's main() does this to its OPDS feed)
    limiter.limit("2 per minute")(opds)
    app.register_blueprint(opds)
    return app
'''


def test_a_blueprints_rate_limit_counts_the_converted_routes_requests(tmp_path, monkeypatch):
    """`limiter.limit("3/minute", key_func=...)(opds)` in calibre-web 0.6.27's `main()` limits
    every route of its OPDS blueprint; flask-limiter keeps the limit under the blueprint's name
    and finds it through `request.blueprint` in its before_request check. The bridge runs that
    check with the legacy endpoint, so the converted routes count in the blueprint's buckets (one
    per endpoint) with Flask's, and a third request to an endpoint, through either app, is
    refused alike."""
    with converted_snippet(tmp_path, "opds_app", BLUEPRINT_LIMITED, "opds_fastapi") as (
            result, out, legacy):
        assert sorted(v.route.rule for v in result.converted) == [
            "/opds/", "/opds/books/<int:book_id>"]
        assert not new_lint_findings(out, legacy.parent, "opds_app")
        import opds_app
        from opds_fastapi.main import create_app

        legacy_app = opds_app.create_app()
        flask_client = legacy_app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "opds_fastapi")
        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            opds_app.limiter.reset()
            # each endpoint of the blueprint has its own bucket, which both apps count in
            for path in ("/opds/books/7", "/opds/"):
                old = flask_client.get(path, environ_base={"REMOTE_ADDR": "testclient"})
                new = client.get(path)
                assert (old.status_code, new.status_code) == (200, 200)
                assert new.content == old.get_data()
            refused_old = flask_client.get("/opds/books/7",
                                           environ_base={"REMOTE_ADDR": "testclient"})
            refused_new = client.get("/opds/")
            assert (refused_old.status_code, refused_new.status_code) == (429, 429)
            assert refused_new.content == refused_old.get_data()
        assert mounted == []


CACHED = '''
from flask import Flask, abort, jsonify, request
from flask_caching import Cache

app = Flask(__name__)
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})
COMPUTED = {"n": 0}


def computed():
    COMPUTED["n"] += 1
    return COMPUTED["n"]


@app.get("/reports/<int:year>")
@cache.cached(timeout=60)
def report(year):
    """An expensive report, cached by path."""
    return jsonify(year=year, computed=computed())


@app.get("/search")
@cache.cached(timeout=60, query_string=True, unless=lambda: request.args.get("fresh") == "1")
def search():
    return {"q": request.args.get("q"), "computed": computed()}


@app.get("/missing")
@cache.cached(timeout=60)
def missing():
    computed()
    abort(404)


@app.post("/reports/<int:year>/refresh")
def refresh(year):
    cache.delete(f"view//reports/{year}")
    return "", 204


@app.get("/count")
def count():
    return {"computed": COMPUTED["n"]}
'''


def test_cached_views_share_the_legacy_routes_cache_entries(tmp_path, monkeypatch):
    """flask-caching's `@cache.cached(...)` kept every route it caches on Flask. Its entries are
    keyed by the request's path (and query string), not by the function, and hold what the view
    returns: kept on the converted view, inside the bridge, it reads and fills the legacy
    route's entries (an entry the Flask app made answers the converted route, a key the legacy
    code deletes is gone for both). It hands the view's arguments to `unless`,
    `make_cache_key`..., so the view keeps reading the query from the request (FM025), and its
    returns and aborts stay as written: the cached values are the legacy ones."""
    with converted_snippet(tmp_path, "cached_app", CACHED, "cached_fastapi") as (
            result, out, legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        assert scanned["report"].reasons[0].startswith(
            "FM029 decorator:cached (flask-caching): stays on the view, inside the bridge")
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ("# FM029: @cache.cached runs inside the bridge: it reads and fills the legacy "
                "route's cache entries (keyed by the path), as in Flask\n"
                "@cache.cached(timeout=60)\ndef report(year: int):\n"
                '    """An expensive report, cached by path."""\n'
                "    return jsonify(year=year, computed=computed())\n") in router
        assert "def search():\n" in router  # no query parameter: `unless` gets the arguments
        assert "    abort(404)\n" in router  # the cache keeps Werkzeug's exception
        assert not new_lint_findings(out, legacy.parent, "cached_app")

        import cached_app
        from cached_fastapi.main import create_app

        flask_client = cached_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "cached_fastapi")
        with TestClient(create_app(cached_app.app), base_url="http://localhost") as client:
            def both(method, path):
                old = flask_client.open(path, method=method)
                new = client.request(method, path)
                return ((old.status_code, old.headers.get("content-type"), old.get_data()),
                        (new.status_code, new.headers.get("content-type"), new.content))

            # filled by Flask, read by the converted route; and the other way round
            first, second = both("GET", "/reports/2024")
            assert first == second and b'"computed":1' in first[2]
            new_first = client.get("/reports/2025").content
            assert flask_client.get("/reports/2025").get_data() == new_first
            # the legacy code's delete empties the entry for both
            assert client.post("/reports/2024/refresh").status_code == 204
            after = both("GET", "/reports/2024")
            assert after[0] == after[1] and b'"computed":3' in after[0][2]
            # by query string, in any order; `unless` bypasses the cache in both
            a, b = both("GET", "/search?q=lamp&page=2")
            assert a == b
            assert both("GET", "/search?page=2&q=lamp") == (a, a)
            fresh_old, fresh_new = both("GET", "/search?q=lamp&page=2&fresh=1")
            assert fresh_old[2] != fresh_new[2]  # computed anew by each
            # an abort is cached and raised again: the 404 computes once
            before = client.get("/count").json()["computed"]
            assert both("GET", "/missing") == (both("GET", "/missing")[0],) * 2
            assert client.get("/count").json()["computed"] == before + 1
        assert mounted == []


EXPECTS_JSON = '''
from flask import Flask, g, request
from flask_expects_json import expects_json
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app)
TAGS = {}

tag_schema = {
    "type": "object",
    "properties": {"title": {"type": "string", "minLength": 1},
                   "colour": {"$ref": "#/definitions/colour"}},
    "required": ["title"],
    "definitions": {"colour": {"type": "string", "enum": ["red", "blue"]}},
}


@app.route("/notes", methods=["GET", "POST"])
@expects_json({"type": "object", "properties": {"text": {"type": "string"}},
               "required": ["text"]}, ignore_for=["GET"])
def notes():
    if request.method == "GET":
        return {"notes": []}
    return {"saved": g.data["text"]}, 201


class Tag(Resource):
    @expects_json(tag_schema)
    def put(self, name):
        """Create or replace a tag (changedetection.io's API is written so)."""
        TAGS[name] = g.data
        return TAGS[name], 201


api.add_resource(Tag, "/tags/<name>")
'''


def test_a_json_schema_check_runs_inside_the_bridge_and_answers_as_flask(tmp_path, monkeypatch):
    """flask-expects-json's `@expects_json(schema)` kept every route it guards on Flask ("its
    effect cannot be shown"): changedetection.io's whole notifications and tags API. It reads
    the legacy request, answers a body that is not JSON or fails the schema with `abort(400,
    ...)`, keeps the body in `g.data` and calls the view with its arguments: kept on the
    converted view, inside the bridge, it does the same, and its 400 is the legacy app's."""
    with converted_snippet(tmp_path, "expects_app", EXPECTS_JSON, "expects_fastapi") as (
            result, out, legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        for endpoint in ("notes", "tag"):
            assert scanned[endpoint].status == "assisted"
            assert any(reason.startswith("FM029 decorator:expects_json (flask-expects-json): "
                                         "stays on the view, inside the bridge")
                       for reason in scanned[endpoint].reasons), scanned[endpoint].reasons
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ("# FM029: @expects_json runs inside the bridge: its JSON-schema check runs "
                "before the view and answers a bad body with the legacy app's 400, as in "
                "Flask\n@expects_json(tag_schema)\n") in router
        # FM031: the schema documents the body (an inline one would be written twice)
        assert ('@router.put("/tags/{name}", name="tag", '
                "openapi_extra=json_schema_body(tag_schema))") in router
        assert '@router.post("/notes", name="notes")' in router
        assert "from expects_app import TAGS, tag_schema" in router
        assert not new_lint_findings(out, legacy.parent, "expects_app")

        import expects_app
        from expects_fastapi.main import create_app

        flask_client = expects_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "expects_fastapi")
        as_json = {"Content-Type": "application/json"}
        cases = [  # the same bytes to both (each test client orders JSON keys its own way)
            ("GET", "/notes", None, {}),  # ignore_for: no body needed
            ("POST", "/notes", '{"text": "milk"}', as_json),
            ("POST", "/notes", '{"words": "milk"}', as_json),  # fails the schema
            ("POST", "/notes", "not json", {"Content-Type": "text/plain"}),
            ("PUT", "/tags/home", '{"title": "Home", "colour": "red"}', as_json),
            ("PUT", "/tags/home", '{"title": "Home", "colour": "green"}', as_json),
            ("PUT", "/tags/home", '{"title": ""}', as_json),
            ("PUT", "/tags/home", "[", as_json),
        ]
        statuses = []
        with TestClient(create_app(expects_app.app), base_url="http://localhost") as client:
            for method, path, body, headers in cases:
                old = flask_client.open(path, method=method, data=body, headers=headers)
                new = client.request(method, path, content=body, headers=headers)
                assert new.status_code == old.status_code, (method, path, body)
                assert new.headers["content-type"] == old.headers["content-type"]
                assert new.content == old.get_data(), (method, path, body)
                statuses.append(old.status_code)
        assert statuses == [200, 201, 400, 415, 201, 400, 400, 400]
        paths = create_app(expects_app.app).openapi()["paths"]
        assert paths["/tags/{name}"]["put"]["requestBody"] == {"required": True, "content": {
            "application/json": {"schema": {
                "type": "object",
                "properties": {"title": {"type": "string", "minLength": 1},
                               "colour": {"type": "string", "enum": ["red", "blue"]}},
                "required": ["title"]}}}}
        assert "requestBody" not in paths["/notes"]["post"]
        assert mounted == []  # each answered by a converted route


OPTIONAL_LIMITER = {
    "__init__.py": '''
from flask import Flask

try:
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address
    limiter_present = True
except ImportError:
    limiter_present = False

app = Flask(__name__)

if limiter_present:
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
else:
    limiter = None

if limiter_present:
    throttle = Limiter(get_remote_address, app=app, storage_uri="memory://")
else:
    class NoLimits:
        def limit(self, *args, **kwargs):
            return lambda view: view

    throttle = NoLimits()

from . import views  # noqa: E402,F401
''',
    "views.py": '''
from . import app, limiter, throttle


@app.post("/login")
@limiter.limit("1 per minute")
def login():
    return {"ok": True}


@app.post("/register")
@throttle.limit("1 per minute")
def register():
    return {"ok": True}
''',
}


def test_a_limiter_that_is_none_without_the_package_is_still_the_limiter(tmp_path, monkeypatch):
    """calibre-web binds `limiter = Limiter(...)` where flask-limiter is installed and `limiter =
    None` where it is not: the scan could not tell what `@limiter.limit` was, and its login and
    registration pages stayed on Flask. The decorator is applied when its module is imported,
    which fails with `None`: wherever the app runs, `limiter` is the Limiter (FM029). A name
    that is another object in the other branch (a project class) stays unknown."""
    with converted_snippet(tmp_path, "optional_app", OPTIONAL_LIMITER, "optional_fastapi") as (
            result, _out, _legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        assert scanned["login"].reasons[0].startswith(
            "FM029 decorator:limit (flask-limiter): stays on the view, inside the bridge")
        assert scanned["register"].status == "manual"
        assert scanned["register"].reasons[0].startswith("decorator:throttle.limit:")
        assert [left.route.endpoint for left in result.left] == ["register"]

        import optional_app
        from optional_fastapi.main import create_app

        flask_client = optional_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "optional_fastapi")
        with TestClient(create_app(optional_app.app), base_url="http://localhost") as client:
            optional_app.limiter.reset()
            old = flask_client.post("/login", environ_base={"REMOTE_ADDR": "testclient"})
            new = client.post("/login")  # the bucket Flask's request counted in
            assert (old.status_code, new.status_code) == (200, 429)
        assert mounted == []


CORS_LEGACY = '''
from flask import Flask, jsonify
from flask_cors import cross_origin

app = Flask(__name__)


@app.route("/alerts", methods=["OPTIONS", "GET"])  # alerta's form
@cross_origin()
def alerts():
    """Every origin, and the preflight answered by flask-cors."""
    return jsonify(alerts=[], total=0)


@app.route("/alert/<alert_id>", methods=["OPTIONS", "PUT"])
@cross_origin(origins=["http://good.example"], supports_credentials=True)
def update(alert_id):
    return jsonify(id=alert_id, status="ok")


@app.get("/public")
@cross_origin(origins="*", automatic_options=False)
def public():
    return {"public": True}
'''

CORS_REQUESTS = [
    ("GET", "/alerts", {}),
    ("GET", "/alerts", {"Origin": "http://any.example"}),
    ("OPTIONS", "/alerts", {"Origin": "http://any.example",
                            "Access-Control-Request-Method": "GET"}),
    ("PUT", "/alert/7", {"Origin": "http://good.example"}),
    ("PUT", "/alert/7", {"Origin": "http://evil.example"}),
    ("OPTIONS", "/alert/7", {"Origin": "http://good.example",
                             "Access-Control-Request-Method": "PUT",
                             "Access-Control-Request-Headers": "Content-Type"}),
    ("OPTIONS", "/alert/7", {"Origin": "http://evil.example",
                             "Access-Control-Request-Method": "PUT"}),
    ("GET", "/public", {"Origin": "http://any.example"}),
    ("OPTIONS", "/public", {"Origin": "http://any.example"}),
    ("HEAD", "/alerts", {"Origin": "http://any.example"}),
]


def cors_answer(status: int, headers, body: bytes) -> tuple:
    kept = sorted((k.lower(), v) for k, v in headers.items()
                  if k.lower().startswith("access-control-")
                  or k.lower() in ("vary", "allow", "content-type"))
    return status, kept, body


def test_cross_origin_stays_on_the_view_and_the_preflight_is_flasks(tmp_path, monkeypatch):
    """flask-cors's `@cross_origin(...)` kept every route it is on on Flask ("from
    flask_cors.cross_origin; its effect cannot be shown"): 104 of alerta's 110 routes, with
    alerta's `methods=["OPTIONS", "GET"]`. It stays on the converted view, inside the bridge,
    where it reads the legacy request and config and adds the CORS headers to the legacy answer;
    the rule it marks as answering OPTIONS itself gets the legacy app's answer to OPTIONS (the
    preflight flask-cors makes), as the rule's other requests get the converted view's."""
    with converted_snippet(tmp_path, "cors_app", CORS_LEGACY, "cors_fastapi") as (
            result, out, legacy_root):
        assert result.left == []
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert router.count("\n@cross_origin(") == 3
        import cors_app
        from cors_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "cors_fastapi")
        flask_client = cors_app.app.test_client()
        with TestClient(create_app(cors_app.app), base_url="http://localhost") as client:
            for method, path, headers in CORS_REQUESTS:
                old = flask_client.open(path, method=method, headers=headers)
                new = client.request(method, path, headers=headers)
                assert cors_answer(new.status_code, new.headers, new.content) == cors_answer(
                    old.status_code, old.headers, old.get_data()), (method, path, headers)
            # the preflights of the rules that answer OPTIONS themselves come from the legacy
            # app; every other request from a converted route
            assert mounted == ["/alerts", "/alert/7", "/alert/7"]
            preflight = client.options("/alert/7", headers={
                "Origin": "http://good.example", "Access-Control-Request-Method": "PUT"})
            assert preflight.headers["access-control-allow-origin"] == "http://good.example"
            assert client.get("/alerts", headers={"Origin": "http://x.example"}).headers[
                "access-control-allow-origin"] == "http://x.example"
        assert not new_lint_findings(out, legacy_root.parent, "cors_app")


SWAG_LEGACY = '''
from flasgger import Swagger, swag_from
from flask import Flask, jsonify, request
from flask.views import MethodView

app = Flask(__name__)
swagger = Swagger(app)


class ItemResource(MethodView):
    @swag_from({"parameters": [{"name": "item_id", "in": "path", "type": "integer"}],
                "responses": {"200": {"description": "an item"}}})
    def get(self, item_id):
        return jsonify(id=item_id)


app.add_url_rule("/items/<int:item_id>", view_func=ItemResource.as_view("item"))


@app.post("/orders")
@swag_from({"parameters": [{"name": "body", "in": "body", "required": True,
                            "schema": {"type": "object", "required": ["sku"],
                                       "properties": {"sku": {"type": "string"}}}}],
            "responses": {"200": {"description": "ok"}}})
def orders():
    return jsonify(sku=request.get_json()["sku"])


@app.post("/checked")
@swag_from({"parameters": [{"name": "body", "in": "body", "required": True,
                            "schema": {"type": "object", "required": ["sku"],
                                       "properties": {"sku": {"type": "string"}}}}],
            "responses": {"200": {"description": "ok"}}}, validation=True)
def checked():
    return jsonify(sku=request.get_json()["sku"])
'''


def test_swag_from_documents_the_legacy_view_and_stays_on_the_converted_one(tmp_path):
    """flasgger's `@swag_from(spec)` kept every route it is on on Flask (zou's 587, buku's):
    without `validation` it only records the spec on the function and wraps it in a wrapper
    that calls it; flasgger documents the legacy app's views. It stays on the converted view
    (FM029), and flasgger's spec of the legacy app is unchanged. With `validation=True` it
    validates the body against a spec it resolves next to the decorated function's module:
    that route stays on Flask."""
    with converted_snippet(tmp_path, "swag_app", SWAG_LEGACY, "swag_fastapi") as (
            result, out, legacy_root):
        assert sorted(v.route.endpoint for v in result.converted) == ["item", "orders"]
        [left] = result.left
        assert left.route.endpoint == "checked"
        assert any("flasgger.swag_from(..., validation=...)" in reason
                   for reason in left.reasons), left.reasons
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert router.count("@swag_from(") == 2
        import swag_app
        from swag_fastapi.main import create_app

        flask_client = swag_app.app.test_client()
        spec = flask_client.get("/apispec_1.json").get_json()
        with TestClient(create_app(swag_app.app), base_url="http://localhost") as client:
            for method, path, body in (("GET", "/items/4", None), ("GET", "/items/x", None),
                                       ("POST", "/orders", {"sku": "a1"}),
                                       ("POST", "/checked", {"sku": "a1"}),
                                       ("POST", "/checked", {"nope": 1})):
                old = flask_client.open(path, method=method, json=body)
                new = client.request(method, path, json=body)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), (
                    method, path, body)
            # flasgger's own pages are the legacy app's, and so is its spec
            assert client.get("/apispec_1.json").json() == spec
        assert set(spec["paths"]) == {"/items/{item_id}", "/orders", "/checked"}
        assert not new_lint_findings(out, legacy_root.parent, "swag_app")


RESTFUL_MARSHAL = '''
from flask import Flask
from flask_restful import Api, Resource, fields, marshal_with, marshal_with_field

app = Flask(__name__)
api = Api(app)

WAIVER = {"id": fields.Integer, "comment": fields.String,
          "uri": fields.Url("waiver", absolute=True)}
WAIVERS = {}


class Waiver(Resource):
    @marshal_with(WAIVER)
    def get(self, waiver_id):
        """One waiver, its fields as the API documents them."""
        if waiver_id not in WAIVERS:
            return {"id": waiver_id, "waiver_id": waiver_id}, 404, {"X-Missing": "yes"}
        return dict(WAIVERS[waiver_id], waiver_id=waiver_id, secret="never shown")

    @marshal_with(WAIVER, envelope="data")
    def put(self, waiver_id):
        WAIVERS[waiver_id] = {"id": waiver_id, "comment": "waived"}
        return dict(WAIVERS[waiver_id], waiver_id=waiver_id), 201


class Count(Resource):
    @marshal_with_field(fields.List(fields.Integer))
    def get(self):
        return sorted(WAIVERS)


api.add_resource(Waiver, "/waivers/<int:waiver_id>", endpoint="waiver")
api.add_resource(Count, "/waivers/ids")
'''


def test_flask_restful_marshal_with_stays_on_the_method_and_answers_as_flask(tmp_path,
                                                                             monkeypatch):
    """Flask-RESTful's `@marshal_with(fields)` (and `marshal_with_field`) kept every method it
    is on on Flask ("from flask_restful.marshal_with; its effect cannot be shown"): waiverdb's
    resources. It only marshals what the method returns (the data of a `(data, code, headers)`
    tuple), in the legacy request context, where `fields.Url` builds the legacy app's URL; the
    Api makes the response of that. It stays on the converted method (FM029)."""
    with converted_snippet(tmp_path, "waiver_app", RESTFUL_MARSHAL, "waiver_fastapi") as (
            result, out, legacy_root):
        assert sorted(v.route.rule for v in result.converted) == [
            "/waivers/<int:waiver_id>", "/waivers/<int:waiver_id>", "/waivers/ids"]
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert router.count("@marshal_with(") == 2
        import waiver_app
        from waiver_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "waiver_fastapi")
        flask_client = waiver_app.app.test_client()
        answers = []
        with TestClient(create_app(waiver_app.app), base_url="http://localhost") as client:
            for method, path in (("GET", "/waivers/1"), ("GET", "/waivers/ids"),
                                 ("PUT", "/waivers/1"), ("GET", "/waivers/1"),
                                 ("GET", "/waivers/ids")):
                old = flask_client.open(path, method=method)
                if method == "PUT":  # both apps share the legacy module: the same start
                    waiver_app.WAIVERS.clear()
                new = client.request(method, path)
                assert (new.status_code, new.content, new.headers.get("X-Missing")) == (
                    old.status_code, old.get_data(), old.headers.get("X-Missing")), (method, path)
                answers.append((new.status_code, new.json()))
        assert answers == [
            (404, {"id": 1, "comment": None, "uri": "http://localhost/waivers/1"}),
            (200, []),
            (201, {"data": {"id": 1, "comment": "waived", "uri": "http://localhost/waivers/1"}}),
            (200, {"id": 1, "comment": "waived", "uri": "http://localhost/waivers/1"}),
            (200, [1])]
        assert mounted == []
        assert not new_lint_findings(out, legacy_root.parent, "waiver_app")
