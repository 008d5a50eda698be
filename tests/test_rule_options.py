"""Werkzeug rule options that a FastAPI route cannot reproduce keep their routes on Flask.

A blueprint's `url_defaults`, `subdomain=`, `host=`, `redirect_to=`, `build_only=`,
`alias=`, and a `//` that Werkzeug merges all change which requests a rule answers, or how. Before the scan read them,
`migrate convert` turned such routes into FastAPI routes that answered differently: 422 for a
view whose value came from `defaults`, 200 for a `build_only` rule Flask never serves, the view's
body instead of `redirect_to`'s redirect, any host for a `subdomain` rule. The scan records them (`Route.rule_options`, checked
here against the real app's `url_map`), the route is `manual`, convert leaves it on Flask, and the
generated app answers exactly as Flask does.

`provide_automatic_options=False` (or a view that answers OPTIONS itself, flask-cors's
`methods=["OPTIONS", "GET"]`) converts for the rule's other methods (assisted): the generated
app reads the legacy rule and hands OPTIONS requests for it to the legacy app, which answers
them as Flask does (the view's own answer, or 405). A rule for OPTIONS alone stays on Flask.

A rule's own `defaults={...}` with string keys converts (assisted): the view reads the values
from the legacy request (`request.view_args`, matched against the legacy URL map, so a value from
`app.config` is Flask's too), and a request for a sibling rule that Werkzeug redirects to the rule
with the defaults (`/pages/1` -> `/pages/`) is left to Flask by the generated app.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from flask import Flask
from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, forget_package

LEGACY = '''
from flask import Blueprint, Flask, request

localized = Blueprint("localized", __name__, url_prefix="/l", url_defaults={"lang": "en"})
parent = Blueprint("parent", __name__, subdomain="api")
child = Blueprint("child", __name__)
reused = Blueprint("reused", __name__)
OPTIONS = {"strict_slashes": False}


@localized.get("/hello")
def hello(lang):
    return {"lang": lang}


@child.get("/child")
def child_view():
    return {"child": True}


@reused.get("/hi")
def hi(lang="none"):
    return {"lang": lang}


app = Flask(__name__)


@app.get("/pages/", defaults={"page": 1})
@app.get("/pages/<int:page>")
def pages(page):
    return {"page": page}


@app.get("/old", redirect_to="/new")
def old():
    return {"old": True}


@app.get("/new")
def new():
    return {"new": True}


@app.get("/built", build_only=True)
def built():
    return {"built": True}


@app.get("/canonical")
@app.get("/alias", alias=True)
def aliased():
    return {"aliased": True}


@app.get("/no-options", provide_automatic_options=False)
def no_options():
    return {"no_options": True}


@app.route("/own-options", methods=["GET", "OPTIONS"])
def own_options():
    if request.method == "OPTIONS":
        return "", 204, {"Allow": "GET, OPTIONS, PATCH"}
    return {"own_options": True}


@app.route("/only-options", methods=["OPTIONS"])
def only_options():
    return "", 204, {"Allow": "OPTIONS"}


@app.get("/sub", subdomain="www")
def sub():
    return {"sub": True}


@app.get("/host", host="example.org")
def hosted():
    return {"host": True}


@app.get("/a//b")
def merged():
    return {"merged": True}


@app.get("/kept//b", merge_slashes=False)
def kept():
    return {"kept": True}


@app.get("/splat", **OPTIONS)
def splat():
    return {"splat": True}


@app.get("/plain", build_only=False, subdomain=None, defaults=None, alias=False)
def plain():
    return {"plain": True}


parent.register_blueprint(child)
app.register_blueprint(localized)
app.register_blueprint(parent)
app.register_blueprint(reused, url_prefix="/r", url_defaults={"lang": "fr"})
app.register_blueprint(reused, name="reused2", url_prefix="/r2")
'''

EXPECTED_OPTIONS = {
    "/l/hello": {"url_defaults": '{"lang": "en"}'},
    "/child": {"subdomain": "'api'"},
    "/r/hi": {"url_defaults": '{"lang": "fr"}'},
    "/r2/hi": {},
    "/pages/": {"defaults": '{"page": 1}'},
    "/pages/<int:page>": {},
    "/old": {"redirect_to": "'/new'"},
    "/new": {},
    "/built": {"build_only": "True"},
    "/canonical": {},
    "/alias": {"alias": "True"},
    "/no-options": {"provide_automatic_options": "False"},
    "/own-options": {"provide_automatic_options": "False (the view handles OPTIONS)"},
    "/only-options": {"provide_automatic_options": "False (the view handles OPTIONS)"},
    "/sub": {"subdomain": "'www'"},
    "/host": {"host": "'example.org'"},
    "/a//b": {"merge_slashes": "True"},
    "/kept//b": {},
    "/splat": {"**": "OPTIONS"},
    "/plain": {},
}
# An endpoint with readable `defaults` converts: the rule with them, and its sibling, whose
# request Werkzeug redirects to it (`/pages/1` -> `/pages/`) the generated app leaves to Flask.
DEFAULTS_READ = {"/pages/", "/pages/<int:page>"}
# A rule without Flask's automatic OPTIONS answer converts for its other methods: the generated
# app reads the legacy rule and hands OPTIONS to the legacy app (the view's 204, or a 405). A
# rule for OPTIONS alone stays on Flask.
OPTIONS_LEFT_TO_FLASK = {"/no-options", "/own-options"}
# A rule holding `//` that merges slashes (Werkzeug's default) answers at `/a/b`: the converted
# route is there, and a request for `/a//b` gets Werkzeug's redirect from Flask (cellxgene's
# `url_prefix="/" + "/api/v0.2"` makes eleven such rules).
MERGED_SLASHES = {"/a//b"}
CONVERTED = {"/r2/hi", "/new", "/canonical", "/kept//b", "/plain", *DEFAULTS_READ,
             *OPTIONS_LEFT_TO_FLASK, *MERGED_SLASHES}

# Requests whose answers differed before the options were read (each noted), and neighbours.
REQUESTS = [
    ("GET", "/l/hello"),  # was 422: `lang` became a required query parameter
    ("GET", "/r/hi"),  # was {"lang": "none"}: the registration's url_defaults were lost
    ("GET", "/r2/hi"),
    ("GET", "/pages/"),  # was 422
    ("GET", "/pages/1"),  # was 200: Werkzeug redirects it to /pages/
    ("HEAD", "/pages/1"),
    ("POST", "/pages/1"),
    ("GET", "/pages/2"),
    ("GET", "/pages"),
    ("GET", "/old"),  # was 200 with the view's body
    ("GET", "/new"),
    ("GET", "/built"),  # was 200: Flask never serves a build-only rule
    ("GET", "/alias"),  # was 200: Werkzeug redirects an alias to the main rule
    ("GET", "/canonical"),
    ("OPTIONS", "/no-options"),  # was 200
    ("GET", "/no-options"),
    ("HEAD", "/no-options"),
    ("OPTIONS", "/own-options"),  # was 200 with FastAPI's Allow, not the view's 204
    ("GET", "/own-options"),
    ("PATCH", "/own-options"),
    ("OPTIONS", "/only-options"),
    ("GET", "/only-options"),
    ("GET", "/sub"),  # was 200 on any host
    ("GET", "/child"),  # was 200 on any host
    ("GET", "/host"),
    ("GET", "/a//b"),  # was 200: Werkzeug redirects it to /a/b
    ("GET", "/a/b"),  # was Flask's answer: now the converted route's
    ("HEAD", "/a/b"),
    ("GET", "/a/b/"),
    ("GET", "/a///b"),
    ("GET", "/kept//b"),
    ("GET", "/kept/b"),
    ("GET", "/splat"),
    ("GET", "/splat/"),
    ("GET", "/plain"),
]


@pytest.fixture
def legacy_package(tmp_path: Path):
    root = tmp_path / "scanned"
    package = root / "rule_options_app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(LEGACY), encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        yield package
    finally:
        sys.path.remove(str(root))
        forget_package("rule_options_app")


def test_the_scan_records_the_options_werkzeug_has(legacy_package: Path) -> None:
    routes = {route.rule: route for route in scan_path(legacy_package).routes}
    assert {rule: route.rule_options for rule, route in routes.items()} == EXPECTED_OPTIONS

    import rule_options_app

    # Ground truth: what Werkzeug's rules hold. Each recorded option is one the real rule has,
    # and each rule with such a setting has its option recorded.
    for rule in rule_options_app.app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        options = routes[rule.rule].rule_options
        assert bool(rule.defaults) == ("defaults" in options or "url_defaults" in options), rule
        assert bool(rule.subdomain) == ("subdomain" in options), rule
        assert bool(rule.host) == ("host" in options), rule
        assert (rule.redirect_to is not None) == ("redirect_to" in options), rule
        assert rule.build_only == ("build_only" in options), rule
        assert rule.alias == ("alias" in options), rule
        assert (not rule.provide_automatic_options) == ("provide_automatic_options" in options)
        assert ("//" in rule.rule and rule.merge_slashes) == ("merge_slashes" in options), rule
    # `**OPTIONS` could hold anything; here it holds strict_slashes, which the scan cannot see.
    assert rule_options_app.app.url_map._rules_by_endpoint["splat"][0].strict_slashes is False


def test_such_routes_are_manual_with_a_reason_naming_the_option(legacy_package: Path) -> None:
    for route in scan_path(legacy_package).routes:
        codes = [r.split(": ", 1)[0] for r in route.reasons if r.startswith("rule_option:")]
        if route.rule in DEFAULTS_READ:
            assert (route.status, codes) == ("assisted", ["rule_option:defaults"])
            assert [r for r in route.reasons if r.startswith("rule_option:")] == [(
                "rule_option:defaults: `defaults={\"page\": 1}`: the view gets these values from "
                "the legacy URL map (`request.view_args`), as Flask passes them")
                if route.rule == "/pages/" else (
                "rule_option:defaults: the endpoint's rule `/pages/` has defaults; a request "
                "Werkzeug redirects here to that rule is answered by Flask (the generated app "
                "asks the legacy URL map)")]
            continue
        if route.rule in OPTIONS_LEFT_TO_FLASK:
            assert (route.status, codes) == ("assisted",
                                             ["rule_option:provide_automatic_options"])
            continue
        if route.rule in MERGED_SLASHES:
            assert (route.status, codes, route.served_rule) == (
                "assisted", ["rule_option:merge_slashes"], "/a/b")
            continue
        if route.rule in CONVERTED:
            assert route.status != "manual", route.reasons
            assert not codes
            continue
        assert route.status == "manual", route.rule
        assert codes == [f"rule_option:{o}" for o in EXPECTED_OPTIONS[route.rule]]
        assert all(r.endswith("the route stays on Flask") for r in route.reasons
                   if r.startswith("rule_option:"))


def test_the_generated_app_answers_them_as_flask_does(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "rule_options_app", LEGACY, "rule_options_fastapi") as (
            result, _out, _legacy):
        assert {view.route.rule for view in result.converted} == CONVERTED
        left = {entry.route.rule for entry in result.left}
        assert left == set(EXPECTED_OPTIONS) - CONVERTED
        import rule_options_app
        from rule_options_fastapi.main import create_app

        flask_client = rule_options_app.app.test_client()
        with TestClient(create_app(rule_options_app.app), base_url="http://localhost") as client:
            for method, path in REQUESTS:
                legacy_answer = flask_client.open(path, method=method)
                new = client.request(method, path, follow_redirects=False)
                assert (new.status_code, new.content, new.headers.get("location"),
                        new.headers.get("allow")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("Location"),
                    legacy_answer.headers.get("Allow")), (method, path)
            # the view's own OPTIONS answer, from the legacy app; a 405 where Flask gives none
            assert client.options("/own-options").status_code == 204
            assert client.options("/no-options").status_code == 405
            paths = client.app.openapi()["paths"]
            assert "/a/b" in paths and "/a//b" not in paths  # the converted route's path
        # an app whose URL map keeps slashes as written does not answer `/a/b`: Flask does
        unmerged = Flask("rule_options_app")
        unmerged.url_map.merge_slashes = False
        unmerged.add_url_rule("/a//b", "merged", rule_options_app.merged)
        changed = create_app(unmerged).state.legacy_views_changed
        assert changed["merged"].startswith("the legacy app does not serve /a/b for this "
                                            "endpoint (it serves /a//b)"), changed["merged"]


@pytest.mark.parametrize(("arguments", "expected"), [
    ("host_matching=True, static_host='static.example.org'", {"host_matching": "True"}),
    ("subdomain_matching=True", {"subdomain_matching": "True"}),
    ("host_matching=False, subdomain_matching=False", {}),
])
def test_an_app_that_matches_hosts_keeps_every_route_on_flask(tmp_path: Path, arguments: str,
                                                               expected: dict[str, str]) -> None:
    package = tmp_path / "hosts_app"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(f'''
        import flask

        app = flask.Flask(__name__, {arguments})


        @app.get("/y")
        def y():
            return {{}}
    '''), encoding="utf-8")
    [route] = scan_path(package).routes
    assert route.rule_options == expected
    assert (route.status == "manual") == bool(expected)


NO_AUTOMATIC_OPTIONS = '''
from flask import Flask

app = Flask(__name__)
app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False  # Flask 3.1: no rule answers OPTIONS by itself


@app.get("/items")
def items():
    return {"items": []}
'''


def test_an_app_without_automatic_options_answers_options_as_flask_does(tmp_path: Path) -> None:
    # What the scan cannot see (the config, set at run time) the generated app reads from the
    # legacy rule: Flask's 405, not an automatic 200 with an Allow header.
    with converted_snippet(tmp_path, "no_options_app", NO_AUTOMATIC_OPTIONS,
                           "no_options_fastapi") as (result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/items"]
        import no_options_app
        from no_options_fastapi.main import create_app

        flask_client = no_options_app.app.test_client()
        with TestClient(create_app(no_options_app.app)) as client:
            for method in ("OPTIONS", "GET", "HEAD"):
                legacy_answer = flask_client.open("/items", method=method)
                new = client.request(method, "/items")
                assert (new.status_code, new.content, new.headers.get("allow")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("Allow")), method
        assert flask_client.options("/items").status_code == 405


def _assert_same_answers(flask_client, client: TestClient,
                         requests: list[tuple[str, str]]) -> None:
    """Each request gets the same status, body and `Location` from Flask's test client and from
    the generated app (redirects not followed)."""
    for method, path in requests:
        legacy_answer = flask_client.open(path, method=method)
        new = client.request(method, path, follow_redirects=False)
        assert (new.status_code, new.content, new.headers.get("location")) == (
            legacy_answer.status_code, legacy_answer.data,
            legacy_answer.headers.get("Location")), (method, path)


CONFIG_DEFAULTS = '''
from flask import Flask, url_for

app = Flask(__name__)
app.config["DEFAULT_ENV"] = "production"


@app.route("/", defaults={"env": app.config["DEFAULT_ENV"]})
@app.route("/<env>/")
def index(env):
    return {"env": env, "self": url_for("index", env=env)}


@app.route("/nodes/<env>/", defaults={"kind": "all"})
@app.route("/nodes/<env>/<kind>")
def nodes(env, kind):
    return {"env": env, "kind": kind}


@app.get("/broken/", defaults={"page": 1, "size": 10})
def broken(page):
    return {"page": page}
'''


def test_defaults_from_the_config_and_beside_rule_values(tmp_path: Path) -> None:
    """puppetboard 7's pattern: `defaults={"env": app.config["DEFAULT_ENVIRONMENT"]}`, a value
    the scan cannot read, which the legacy URL map holds; `/production/` is redirected to `/`.
    A default the view does not take (Flask fails to call it) keeps the route on Flask."""
    with converted_snippet(tmp_path, "config_defaults_app", CONFIG_DEFAULTS,
                           "config_defaults_fastapi") as (result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/", "/<env>/", "/nodes/<env>/", "/nodes/<env>/<kind>"]
        assert [(left.route.rule, left.reasons) for left in result.left] == [("/broken/", [
            ("FM001: the rule's defaults pass 'size', which the view does not take (Flask fails "
            "to call it)")])]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ('def index():\n    env = request.view_args["env"]  # FM001: the rule\'s '
                '`defaults`, as Flask passed them\n') in router
        import config_defaults_app
        from config_defaults_fastapi.main import create_app

        flask_client = config_defaults_app.app.test_client()
        with TestClient(create_app(config_defaults_app.app), base_url="http://localhost") as client:
            _assert_same_answers(flask_client, client, [
                ("GET", "/"), ("GET", "/production/"), ("GET", "/staging/"), ("GET", "/staging"),
                ("GET", "/nodes/production/"), ("GET", "/nodes/production/all"),
                ("GET", "/nodes/x/y"), ("HEAD", "/production/"), ("GET", "/broken/")])


DICT_CALL_DEFAULTS = '''
from flask import Flask

CURRENT = "current"
OTHER = {"kind": "all"}

app = Flask(__name__)


@app.route("/+show/<name>", defaults=dict(rev=CURRENT))
@app.route("/+show/<name>/<rev>")
def show(name, rev):
    return {"name": name, "rev": rev}


@app.post("/+delete", defaults=dict(item_name=""))
@app.post("/+delete/<item_name>")
def delete(item_name):
    return {"deleted": item_name}


@app.get("/copied/", defaults=dict(OTHER))
@app.get("/copied/<kind>")
def copied(kind):
    return {"kind": kind}


@app.get("/spread/", defaults=dict(**OTHER))
@app.get("/spread/<kind>")
def spread(kind):
    return {"kind": kind}
'''


def test_defaults_written_as_a_dict_call(tmp_path: Path) -> None:
    """moin 2's form, `defaults=dict(rev=CURRENT)`: the keywords name what the view gets, read
    from the legacy URL map as with a dict display; `/+show/x/current` is redirected by
    Werkzeug to `/+show/x`, and the generated app leaves it to Flask. `dict(OTHER)` and
    `dict(**OTHER)` name no keys the scan can read: their endpoints stay on Flask."""
    with converted_snippet(tmp_path, "dict_defaults_app", DICT_CALL_DEFAULTS,
                           "dict_defaults_fastapi") as (result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/+delete", "/+delete/<item_name>", "/+show/<name>", "/+show/<name>/<rev>"]
        assert sorted(left.route.rule for left in result.left) == [
            "/copied/", "/copied/<kind>", "/spread/", "/spread/<kind>"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ('    rev = request.view_args["rev"]  # FM001: the rule\'s `defaults`, as Flask '
                'passed them\n') in router
        import dict_defaults_app
        from dict_defaults_fastapi.main import create_app

        flask_client = dict_defaults_app.app.test_client()
        with TestClient(create_app(dict_defaults_app.app), base_url="http://localhost") as client:
            _assert_same_answers(flask_client, client, [
                ("GET", "/+show/x"), ("GET", "/+show/x/current"), ("GET", "/+show/x/old"),
                ("HEAD", "/+show/x/current"), ("POST", "/+delete"), ("POST", "/+delete/x"),
                ("GET", "/+delete"), ("GET", "/copied/"), ("GET", "/copied/all"),
                ("GET", "/spread/")])


OWN_OPTIONS_ANSWER = '''
from flask import Flask, jsonify


class ApiApp(Flask):
    """openEO's OpenEoApiApp: its automatic OPTIONS answer is 204, as JSON."""

    def make_default_options_response(self):
        response = super().make_default_options_response()
        response.status_code = 204
        response.content_type = "application/json"
        return response


app = ApiApp(__name__)


@app.route("/ping", methods=["GET", "POST"])
def ping():
    return jsonify(pong=True)
'''


def test_an_app_class_s_own_options_answer_is_given_on_converted_routes(tmp_path: Path) -> None:
    """openEO's app class overrides `make_default_options_response`: Flask answered OPTIONS
    204 as JSON, the converted route 200 as HTML (the bridge built Flask's default answer
    itself). The bridge now calls the app's own method where its class overrides it."""
    with converted_snippet(tmp_path, "options_app", OWN_OPTIONS_ANSWER, "options_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        import options_app
        from options_fastapi.main import create_app

        flask_client = options_app.app.test_client()
        with TestClient(create_app(options_app.app)) as client:
            for method in ("OPTIONS", "GET", "POST", "HEAD"):
                legacy_answer = flask_client.open("/ping", method=method)
                new = client.request(method, "/ping")
                assert (new.status_code, new.content, new.headers.get("content-type"),
                        new.headers.get("allow")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("Content-Type"),
                    legacy_answer.headers.get("Allow")), method
        assert flask_client.options("/ping").status_code == 204
