"""Rules added by a project function, with its parameters, to an app or blueprint of its module.

Flask's documentation on method views long showed

    def register_api(view, endpoint, url, pk="id", pk_type="int"):
        view_func = view.as_view(endpoint)
        app.add_url_rule(url, defaults={pk: None}, view_func=view_func, methods=["GET"])
        ...

    register_api(UserAPI, "user_api", "/users/", pk="user_id")

on the module's `app`, and gramps-webapi 3.24 registers 148 resources through
`register_endpt(Resource, "/people/", "people")` on its module's blueprint. The scan read the
rule in the function's body, found `url` unreadable, and listed one route with an unresolved
rule (gramps-webapi: 8 routes in all, now 155). Each call of such a function now adds its own
rules, read with that call's arguments and the parameters' defaults, as when the function is
given the app or blueprint itself (`register_api(app, ...)`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import describe_difference, scanned_keys, write_tree

FLASK_DOCS = {"docs_app/__init__.py": """
from flask import Flask
from flask.views import MethodView

app = Flask(__name__)


class UserAPI(MethodView):
    def get(self, user_id):
        return {"user": user_id}

    def post(self):
        return {"created": True}


class TagAPI(MethodView):
    def get(self, name):
        return {"tag": name}


def register_api(view, endpoint, url, pk="id", pk_type="int"):
    view_func = view.as_view(endpoint)
    app.add_url_rule(url, defaults={pk: None}, view_func=view_func, methods=["GET"])
    app.add_url_rule(url, view_func=view_func, methods=["POST"])
    app.add_url_rule(f"{url}<{pk_type}:{pk}>", view_func=view_func,
                     methods=["GET", "PUT", "DELETE"])


def health():
    return "ok"


def fetch(url):
    import requests

    return requests.get(url)  # a call named like a route verb, on no app: no rule


def setup_health():
    app.add_url_rule("/health", "health", health)  # reads no parameter: listed once


register_api(UserAPI, "user_api", "/users/", pk="user_id")
register_api(TagAPI, "tag_api", "/tags/", pk="name", pk_type="string")
setup_health()
setup_health()
if __name__ == "__main__":
    fetch("/users/")
"""}

BLUEPRINT_HELPER = {
    "res_app/__init__.py": """
from flask import Flask

from .api import api_blueprint


def create_app():
    app = Flask(__name__)
    app.register_blueprint(api_blueprint)
    return app
""",
    "res_app/blueprint.py": """
from flask import Blueprint

api_blueprint = Blueprint("api", __name__, url_prefix="/api")
""",
    "res_app/api.py": """
from flask.views import MethodView

from .blueprint import api_blueprint
from .register import register_endpt


class PeopleResource(MethodView):
    def get(self):
        return {"people": []}


class PersonResource(MethodView):
    def get(self, handle):
        return {"person": handle}


register_endpt(PeopleResource, "/people/", "people", tags=["People"])
register_endpt(PersonResource, "/people/<string:handle>", "person")

from . import events  # noqa: E402,F401
""",
    # no Flask name in it: the scan's pre-filter skips such a file unless a rule function
    # is called there
    "res_app/events.py": """
from .register import register_endpt
from .views import EventsView

register_endpt(EventsView, "/events/", "events")
""",
    "res_app/views.py": """
from flask.views import MethodView


class EventsView(MethodView):
    def get(self):
        return {"events": []}
""",
    "res_app/register.py": """
from .blueprint import api_blueprint


def register_endpt(resource, url, name, tags=None):
    kwargs = {}
    api_blueprint.add_url_rule(url, endpoint=name, view_func=resource.as_view(name),
                               methods=["GET", "POST"])
""",
}


def test_each_call_adds_its_own_rules_as_flask_does(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FLASK_DOCS)
    scanned = scanned_keys(root / "docs_app")
    runtime = runtime_url_map("docs_app:app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert ("/users/<int:user_id>", frozenset({"GET", "PUT", "DELETE"}), "user_api") in scanned
    assert ("/tags/<string:name>", frozenset({"GET", "PUT", "DELETE"}), "tag_api") in scanned
    routes = {(r.rule, r.endpoint, tuple(r.methods)): r for r in scan_path(root / "docs_app").routes}
    users = routes[("/users/", "user_api", ("POST",))]
    # the view is the class the call passes, found through `view.as_view(endpoint)`
    assert (users.view_module, users.function, users.kind) == (
        "docs_app", "UserAPI", "method_view")
    assert not any(reason.startswith("scan.view_not_found") for reason in users.reasons)
    # `defaults={pk: None}`: the key this call gives, which convert reads
    assert routes[("/users/", "user_api", ("GET",))].rule_options == {
        "defaults": "{'user_id': None}"}
    assert routes[("/tags/", "tag_api", ("GET",))].rule_options == {"defaults": "{'name': None}"}
    assert users.status == "assisted"


def test_the_docs_pattern_converts_and_answers_as_flask(tmp_path: Path) -> None:
    files = {"__init__.py": FLASK_DOCS["docs_app/__init__.py"]}
    with converted_snippet(tmp_path, "docs_app", files, "docs_fastapi") as (result, _, _):
        converted = {(view.route.rule, tuple(view.route.methods)) for view in result.converted}
        assert {("/users/", ("GET",)), ("/users/", ("POST",)), ("/tags/", ("GET",)),
                ("/health", ("GET",)), ("/users/<int:user_id>", ("GET",))} <= converted
        # the item rule lists DELETE and PUT, which UserAPI does not define: they stay on Flask
        # (its 500), and its GET converts
        [item] = [left for left in result.left if left.route.rule == "/users/<int:user_id>"]
        assert item.route.methods == ["DELETE", "PUT"]
        assert item.reasons == [(
            f"convert.inherited_method: UserAPI.{method} is not defined in UserAPI or its bases "
            f"in __init__.py (inherited from elsewhere, or missing, and Flask answers "
            f"{method.upper()} with a 500); the route stays on Flask") for method in ("delete", "put")]
        import docs_app
        from docs_fastapi.main import create_app

        flask_client = docs_app.app.test_client()
        with TestClient(create_app(docs_app.app), base_url="http://localhost",
                        follow_redirects=False) as client:
            for method, path in [("GET", "/users/"), ("POST", "/users/"), ("GET", "/users/5"),
                                 ("GET", "/tags/"), ("GET", "/tags/python"), ("GET", "/health"),
                                 ("GET", "/users/x"), ("GET", "/users"), ("PUT", "/users/5"),
                                 ("DELETE", "/users/5")]:
                old = flask_client.open(path, method=method)
                new = client.request(method, path)
                assert (new.status_code, new.content, new.headers.get("location")) == (
                    old.status_code, old.get_data(), old.headers.get("Location")), path


def test_a_helper_in_another_module_adds_to_the_blueprint_it_imports(tmp_path: Path) -> None:
    root = write_tree(tmp_path, BLUEPRINT_HELPER)
    scanned = scanned_keys(root / "res_app")
    runtime = runtime_url_map("res_app:create_app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert scanned == {("/api/people/", frozenset({"GET", "POST"}), "api.people"),
                       ("/api/people/<string:handle>", frozenset({"GET", "POST"}), "api.person"),
                       ("/api/events/", frozenset({"GET", "POST"}), "api.events")}


def test_calls_in_tests_add_no_rules_to_the_app_production_serves(tmp_path: Path) -> None:
    files = {**BLUEPRINT_HELPER, "res_app/tests/test_api.py": """
from flask import Flask  # parsed by the scan like any module that names Flask

from res_app.register import register_endpt


def test_register():
    register_endpt(object, "/only-in-a-test", "test_only")
""", "res_app/conftest.py": """
from flask import Flask

from res_app.register import register_endpt

register_endpt(object, "/conftest", "conftest_only")
"""}
    root = write_tree(tmp_path, files)
    assert {rule for rule, _, _ in scanned_keys(root / "res_app")} == {
        "/api/people/", "/api/people/<string:handle>", "/api/events/"}


def test_a_function_nobody_calls_still_reports_its_rule(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"idle_app/__init__.py": """
from flask import Flask

app = Flask(__name__)


def register(url, view):
    app.add_url_rule(url, view_func=view)
"""})
    result = scan_path(root / "idle_app")
    assert [route.rule.startswith("<unresolved") for route in result.routes] == [True]
