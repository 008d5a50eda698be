"""scan.endpoint_clash: two views registered under one endpoint of an app.

Flask keeps one view per endpoint: `add_url_rule` with an endpoint that already has another view
raises AssertionError ("View function mapping is overwriting an existing endpoint function"). So
where the source registers two views under one endpoint, at most one of those registrations runs,
chosen by the setup: cryptoadvance-specter registers `index` for `/` in `create_app`'s `else:`
branch and in the module of its global routes. The scan listed both routes as convertible, and
the converted package held a FastAPI route for each view; the first answered every request,
whatever Flask ran (the start-up check compares the one view the endpoint names). The routes of
such an endpoint now stay on Flask, each naming the other view, with one diagnostic per endpoint.
"""

from __future__ import annotations

import os

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

TWINS = """
    import os

    from flask import Blueprint, Flask

    app = Flask(__name__)
    pages = Blueprint("pages", __name__)

    if os.environ.get("NEW_UI"):
        @app.route("/a", endpoint="page")
        def page_new():
            return "new"
    else:
        @app.route("/a", endpoint="page")
        def page_old():
            return "old"


    @app.route("/b")
    @app.route("/b2")
    def b():
        return "b"


    @pages.route("/c")
    def c():
        return "c"


    app.register_blueprint(pages)
"""
# ... and another app with a view of its own under that endpoint
OTHER_APP = """

    other = Flask("other")


    @other.route("/d", endpoint="page")
    def page_elsewhere():
        return "d"
"""


def test_the_routes_of_an_endpoint_with_two_views_stay_on_flask(tmp_path):
    result = scan_path(write_tree(tmp_path / "twins", {"__init__.py": TWINS + OTHER_APP}))
    statuses = {(route.rule, route.function): (route.status, (route.reasons or [""])[0])
                for route in result.routes}
    assert statuses[("/a", "page_new")] == ("manual", (
        "scan.endpoint_clash: the endpoint `page` is registered with another view too, "
        "`page_old` (__init__.py:13); Flask runs one view per endpoint, chosen when the app is "
        "set up, so the route stays on Flask"))
    assert statuses[("/a", "page_old")] == ("manual", (
        "scan.endpoint_clash: the endpoint `page` is registered with another view too, "
        "`page_new` (__init__.py:9); Flask runs one view per endpoint, chosen when the app is "
        "set up, so the route stays on Flask"))
    # one view on two rules, a blueprint's endpoint, the same endpoint on another app: as before
    assert {rule: status for (rule, _function), (status, _reason) in statuses.items()
            if rule != "/a"} == {"/b": "auto", "/b2": "auto", "/c": "auto", "/d": "auto"}
    assert [(d.code, d.file, d.line, d.message) for d in result.diagnostics
            if d.code == "scan.endpoint_clash"] == [(
                "scan.endpoint_clash", "__init__.py", 9,
                ("2 views are registered under the endpoint `page`: Flask keeps one view per "
                 "endpoint and refuses a second (AssertionError), so at most one of these "
                 "registrations runs, which the setup decides; their routes stay on Flask"))]


def test_flask_answers_the_endpoint_with_the_view_the_setup_chose(tmp_path, monkeypatch):
    monkeypatch.delenv("NEW_UI", raising=False)
    source = "\n".join(line[4:] for line in TWINS.splitlines())
    with converted_snippet(tmp_path, "twins_app", source, "twins_fastapi") as (result, _, _):
        assert sorted(view.route.rule for view in result.converted) == ["/b", "/b2", "/c"]
        import twins_app
        from twins_fastapi.main import create_app

        assert not os.environ.get("NEW_UI")
        with TestClient(create_app(twins_app.app)) as client:
            # the converted package answered "new", from the first of the two routes
            assert (client.get("/a").text, client.get("/b").text) == ("old", "b")
