"""Rules added to the app's URL map directly: `app.url_map.add(Rule(...))`.

Flask's documentation of `app.endpoint` binds a view to a rule made with Werkzeug's `Rule`:
`app.url_map.add(Rule("/", endpoint="index"))` then `@app.endpoint("index")`; real apps use it for
catch-all pages (`Rule("/<path:path>", endpoint="index")`). The scan listed none of those rules
and said nothing. It now lists them as it lists `add_url_rule("/", endpoint="index")`: rules whose
view is bound elsewhere (`rule_only`), so they stay on Flask. Unlike `add_url_rule`, Flask gives
such a rule no OPTIONS answer of its own, and a Rule without `methods` takes every method.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.scan_support import listed_rules, served_rules

LEGACY = '''
from flask import Flask
from werkzeug.routing import Rule, Submount

app = Flask(__name__)
app.url_map.add(Rule("/", endpoint="index"))
app.url_map.add(Rule("/pages/", defaults={"path": ""}, endpoint="page", methods=["GET"]))
app.url_map.add(Rule("/pages/<path:path>", endpoint="page", methods=["GET"]))
status_rule = Rule("/status", endpoint="status", methods=["GET", "POST"])
app.url_map.add(status_rule)
app.url_map.add(Submount("/v1", [Rule("/ping", endpoint="ping")]))


@app.endpoint("index")
def my_index():
    return "Hello world"


@app.endpoint("page")
def page(path):
    return {"path": path}


def status():
    return {"ok": True}


app.view_functions["status"] = status
app.view_functions["ping"] = lambda: "pong"


@app.get("/plain")
def plain():
    return {"plain": True}
'''


def test_rules_added_to_the_url_map_are_listed_and_stay_on_flask(tmp_path):
    with converted_snippet(tmp_path, "mapapp", LEGACY, "mapapp_fastapi") as (result, _, _):
        scan = result.scan
        from mapapp import app

        flask_rules = served_rules(app)
        listed = listed_rules(scan.routes)
        # all but the Submount's rule, which the scan says it cannot read
        assert flask_rules - listed == {("/v1/ping", "ping")}
        assert listed <= flask_rules
        methods = {r.rule: r.methods for r in scan.routes}
        assert methods["/pages/<path:path>"] == ["GET"]
        assert methods["/status"] == ["GET", "POST"]
        # a Rule without methods takes every one (HEAD with GET, OPTIONS as the view answers)
        assert methods["/"] == ["DELETE", "GET", "PATCH", "POST", "PUT", "TRACE"]
        assert app.test_client().delete("/").status_code == 200
        by_rule = {r.rule: r for r in scan.routes}
        for rule in ("/", "/pages/", "/pages/<path:path>", "/status"):
            assert by_rule[rule].status == "manual"
            assert any(reason.startswith("rule_only:") for reason in by_rule[rule].reasons)
        assert by_rule["/pages/"].rule_options == {"defaults": '{"path": ""}',
                                                   "provide_automatic_options": "False"}
        assert [(d.code, d.line) for d in scan.diagnostics if d.code == "scan.unresolved_rule"] \
            == [("scan.unresolved_rule", 11)]
        assert [v.route.rule for v in result.converted] == ["/plain"]

        from mapapp_fastapi.main import create_app

        flask_client = app.test_client()
        with TestClient(create_app(app), base_url="http://localhost") as client:
            for method, path in [("GET", "/"), ("POST", "/"), ("GET", "/pages/"),
                                 ("GET", "/pages/a/b"), ("POST", "/pages/a"), ("GET", "/status"),
                                 ("POST", "/status"), ("OPTIONS", "/status"), ("GET", "/v1/ping"),
                                 ("GET", "/plain"), ("OPTIONS", "/plain")]:
                old = flask_client.open(path, method=method)
                new = client.request(method, path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), \
                    (method, path)
            # Flask answers OPTIONS for a raw Rule only where the rule allows it
            assert flask_client.options("/status").status_code == 405
