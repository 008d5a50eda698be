"""Rules registered from a route table in a dict, a loop choosing the view by the item's key.

module-build-service 3.9.2 (and freshmaker 0.1.2, odcs 0.9.2, of the same family) keeps its
rules in a dict display, `api_routes = {"module_builds": {"url": ..., "options": {"methods": ["POST"]}}, ...}`,
and adds them in a loop whose `if`/`elif` arms pick the view from the key:

    for key, val in api_routes.items():
        if key.startswith("component_build"):
            app.add_url_rule(val["url"], endpoint=key, view_func=component_view, **val["options"])
        elif key == "import_module":
            ...

The scan listed every key in every arm (77 routes for module-build-service's 11), each with an
unresolved rule (`val["url"]`) and the options of none. It now reads an item of a dict display
by a literal key, a `**` of one, and the `if` tests of a loop's item (comparisons, `in`, the
str tests `startswith`/`endswith`..., `not`/`and`/`or`): a turn whose tests do not hold does
not reach the call. A test it cannot evaluate keeps the turn, and the route stays on Flask
(`scan.loop_condition`): which view pairs with which rule is then decided at run time. The
same family's other shapes: a table of a function's own whose entries name view classes (odcs)
and an inner loop over the table of an outer loop's key (freshmaker).
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import (
    describe_difference,
    registered_endpoints,
    scanned_keys,
    write_tree,
)

ROUTE_TABLE = '''
from flask import Flask, jsonify
from flask.views import MethodView

app = Flask(__name__)

api_routes = {
    "module_builds": {
        "url": "/api/<int:api_version>/module-builds/",
        "options": {"methods": ["POST"]},
    },
    "module_builds_list": {
        "url": "/api/<int:api_version>/module-builds/",
        "options": {"defaults": {"id": None}, "methods": ["GET"]},
    },
    "module_build": {
        "url": "/api/<int:api_version>/module-builds/<int:id>",
        "options": {"methods": ["GET", "PATCH"]},
    },
    "about": {"url": "/api/<int:api_version>/about/", "options": {"methods": ["GET"]}},
    "import_module": {
        "url": "/api/<int:api_version>/import-module/",
        "options": {"methods": ["POST"]},
    },
}


class ModuleBuildAPI(MethodView):
    def get(self, api_version, id):
        return jsonify(api_version=api_version, id=id)

    def post(self, api_version):
        return jsonify(created=api_version), 201

    def patch(self, api_version, id):
        return jsonify(patched=id)


class AboutAPI(MethodView):
    def get(self, api_version):
        return jsonify(version=api_version)


class ImportModuleAPI(MethodView):
    def post(self, api_version):
        return jsonify(imported=True), 201


def register_api():
    """Registers the API."""
    module_view = ModuleBuildAPI.as_view("module_builds")
    about_view = AboutAPI.as_view("about")
    import_module = ImportModuleAPI.as_view("import_module")
    for key, val in api_routes.items():
        if key.startswith("module_build"):
            app.add_url_rule(val["url"], endpoint=key, view_func=module_view, **val["options"])
        elif key.startswith("about"):
            app.add_url_rule(val["url"], endpoint=key, view_func=about_view, **val["options"])
        elif key == "import_module":
            app.add_url_rule(val["url"], endpoint=key, view_func=import_module, **val["options"])
        else:
            raise NotImplementedError("Unhandled api key.")


register_api()
'''


def test_a_route_table_loop_lists_each_key_once_with_its_rule_and_options(tmp_path: Path
                                                                         ) -> None:
    root = write_tree(tmp_path, {"mbs/__init__.py": ROUTE_TABLE})
    scanned = scanned_keys(root)
    runtime = runtime_url_map("mbs:app", pythonpath=[root])  # what Flask itself registers
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert len(runtime) == 5
    routes = scan_path(root).routes
    [listing] = [r for r in routes if r.endpoint == "module_builds_list"]
    assert any(reason.startswith("rule_option:defaults") for reason in listing.reasons)
    assert {r.status for r in routes} == {"assisted"}
    assert {r.line for r in routes} == {55, 57, 59}  # the three add_url_rule calls


def test_a_route_table_converts_and_answers_as_flask(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "mbs", ROUTE_TABLE, "mbs_fastapi") as (result, _out, _):
        assert sorted({view.route.endpoint for view in result.converted}) == [
            "about", "import_module", "module_build", "module_builds", "module_builds_list"]
        assert not result.left
        import mbs
        from mbs_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = mbs.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "mbs_fastapi")
        requests = [("GET", "/api/1/module-builds/"), ("POST", "/api/1/module-builds/"),
                    ("GET", "/api/2/module-builds/7"), ("PATCH", "/api/2/module-builds/7"),
                    ("GET", "/api/3/about/"), ("POST", "/api/3/import-module/")]
        with TestClient(create_app(mbs.app)) as client:
            for method, path in requests:
                new = client.request(method, path)
                old = flask_client.open(path, method=method)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
        assert mounted == []  # each answered by a converted route


UNREAD_TEST = '''
from flask import Flask

app = Flask(__name__)

ROUTES = {
    "public": {"url": "/public", "enabled": True},
    "admin": {"url": "/admin", "enabled": False},
}


def public_view():
    return "public"


def other_view():
    return "other"


for key, val in ROUTES.items():
    if val.get("enabled", True):
        app.add_url_rule(val["url"], endpoint=key, view_func=public_view)
    else:
        app.add_url_rule(val["url"], endpoint=key, view_func=other_view)
'''


def test_a_test_the_scan_cannot_evaluate_keeps_the_routes_on_flask(tmp_path: Path) -> None:
    """`val.get("enabled", True)` is not evaluated: each key is listed in both arms, as it
    was, and none converts, since the view a rule has is decided at run time."""
    routes = scan_path(write_tree(tmp_path, {"flags/__init__.py": UNREAD_TEST})).routes
    assert sorted((r.rule, r.function) for r in routes) == [
        ("/admin", "other_view"), ("/admin", "public_view"),
        ("/public", "other_view"), ("/public", "public_view")]
    for route in routes:
        assert route.status == "manual"
        assert any(reason.startswith("scan.loop_condition: the rule is added in a loop, under "
                                     '`if val.get("enabled", True)`')
                   for reason in route.reasons)


LIST_TABLE = '''
from flask import Flask

app = Flask(__name__)

PAGES = [("home", "/"), ("docs", "/docs"), ("admin-users", "/admin/users")]


def page():
    return "page"


def admin_page():
    return "admin"


for name, rule in PAGES:
    if not name.startswith("admin-") and name != "docs":
        app.add_url_rule(rule, endpoint=name, view_func=page)
    elif name in ("docs",) or name.endswith("-users") and len(name) > 3:
        app.add_url_rule(rule, endpoint=name, view_func=admin_page)
'''


def test_tests_of_a_list_item_pick_the_view_flask_registers(tmp_path: Path) -> None:
    """Each item reaches the arm whose tests hold for it. `len(name) > 3` is not evaluated,
    but `or` needs only its first operand where that holds."""
    root = write_tree(tmp_path, {"pages/__init__.py": LIST_TABLE})
    routes = scan_path(root).routes
    assert sorted((r.rule, r.endpoint, r.function) for r in routes) == [
        ("/", "home", "page"), ("/admin/users", "admin-users", "admin_page"),
        ("/docs", "docs", "admin_page")]
    endpoints = registered_endpoints(root, "pages", lambda module: module.app)
    assert endpoints == {"/": "home", "/admin/users": "admin-users", "/docs": "docs"}
    [admin] = [r for r in routes if r.endpoint == "admin-users"]
    assert admin.status == "manual"  # `len(name) > 3` is not evaluated for it
    assert {r.status for r in routes if r is not admin} == {"auto"}


VIEW_CLASS_TABLE = '''
from flask import Flask, jsonify
from flask.views import MethodView

app = Flask(__name__)


class ComposeAPI(MethodView):
    def get(self, id=None):
        return jsonify(id=id)

    def post(self, id=None):
        return jsonify(created=id is None), 201


class AboutAPI(MethodView):
    def get(self):
        return jsonify(version="1")


def register_api_v1():
    """A route table of the function's own, each entry naming its view class."""
    api_v1 = {
        "composes": {
            "url": "/api/1/composes/",
            "options": {"defaults": {"id": None}, "methods": ["GET", "POST"]},
            "view_class": ComposeAPI,
        },
        "composedetail": {
            "url": "/api/1/composes/<int:id>",
            "options": {"methods": ["GET"]},
            "view_class": ComposeAPI,
        },
        "about": {"url": "/api/1/about/", "options": {"methods": ["GET"]},
                  "view_class": AboutAPI},
    }
    for key, val in api_v1.items():
        view_func = val["view_class"].as_view(key)
        app.add_url_rule(val["url"], endpoint=key, view_func=view_func, **val["options"])


register_api_v1()
'''


def test_a_route_table_in_a_function_naming_view_classes(tmp_path: Path, monkeypatch) -> None:
    """odcs 0.9.2's `register_api_v1`: the table is the function's own, and each entry names the
    class whose `as_view(key)` is the view (`val["view_class"].as_view(key)`). Before, the
    scan listed one route, its rule and endpoint unresolved."""
    root = write_tree(tmp_path / "scanned", {"odcs/__init__.py": VIEW_CLASS_TABLE})
    scanned = scanned_keys(root)
    runtime = runtime_url_map("odcs:app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert {(r.endpoint, r.function) for r in scan_path(root).routes} == {
        ("composes", "ComposeAPI"), ("composedetail", "ComposeAPI"), ("about", "AboutAPI")}
    with converted_snippet(tmp_path, "odcs", VIEW_CLASS_TABLE, "odcs_fastapi") as (
            result, _out, _):
        assert sorted({view.route.endpoint for view in result.converted}) == [
            "about", "composedetail", "composes"]
        import odcs
        from odcs_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = odcs.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "odcs_fastapi")
        with TestClient(create_app(odcs.app)) as client:
            for method, path in [("GET", "/api/1/composes/"), ("POST", "/api/1/composes/"),
                                 ("GET", "/api/1/composes/4"), ("GET", "/api/1/about/")]:
                new = client.request(method, path)
                old = flask_client.open(path, method=method)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
        assert mounted == []


NESTED_TABLES = '''
from flask import Flask, jsonify
from flask.views import MethodView

app = Flask(__name__)

api_v1 = {
    "events": {
        "events_list": {"url": "/api/1/events/",
                        "options": {"defaults": {"id": None}, "methods": ["GET"]}},
        "event": {"url": "/api/1/events/<int:id>", "options": {"methods": ["GET"]}},
    },
    "builds": {
        "builds_list": {"url": "/api/1/builds/",
                        "options": {"defaults": {"id": None}, "methods": ["GET"]}},
        "manual_trigger": {"url": "/api/1/builds/", "options": {"methods": ["POST"]}},
    },
}


class EventAPI(MethodView):
    def get(self, id):
        return jsonify(event=id)


class BuildAPI(MethodView):
    def get(self, id):
        return jsonify(build=id)

    def post(self):
        return jsonify(triggered=True), 201


class StateAPI(MethodView):  # no entry in api_v1: no rule
    def get(self, id):
        return jsonify(state=id)


API_V1_MAPPING = {"events": EventAPI, "builds": BuildAPI, "states": StateAPI}


def register_api_v1():
    for k, v in API_V1_MAPPING.items():
        view = v.as_view(k)
        for key, val in api_v1.get(k, {}).items():
            app.add_url_rule(val["url"], endpoint=key, view_func=view, **val["options"])


register_api_v1()
'''


def test_a_loop_over_the_table_of_each_turn_of_an_outer_loop(tmp_path: Path) -> None:
    """freshmaker 0.1.2: an inner loop over `api_v1.get(k, {}).items()`, `k` the outer loop's
    key (a key the table does not have gives `{}`, no rule). Before, the scan listed one route
    per view class, its rule unresolved."""
    root = write_tree(tmp_path, {"freshmaker/__init__.py": NESTED_TABLES})
    scanned = scanned_keys(root)
    runtime = runtime_url_map("freshmaker:app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert len(runtime) == 4
    assert {(r.endpoint, r.function, r.status) for r in scan_path(root).routes} == {
        ("events_list", "EventAPI", "assisted"), ("event", "EventAPI", "assisted"),
        ("builds_list", "BuildAPI", "assisted"), ("manual_trigger", "BuildAPI", "assisted")}


SKIPPED_TURNS = '''
from flask import Flask

app = Flask(__name__)

HIDDEN = ("debug", "internal")
PAGES = [("home", "/"), ("debug", "/debug"), ("docs", "/docs"), ("internal", "/internal"),
         ("admin-users", "/admin/users")]


def page():
    return "page"


def admin_page():
    return "admin"


for name, rule in PAGES:
    if name in HIDDEN:
        continue
    if name.startswith("admin-"):
        app.add_url_rule(rule, endpoint=name, view_func=admin_page)
        continue
    app.add_url_rule(rule, endpoint=name, view_func=page)
'''


def test_a_turn_a_test_skips_with_continue_registers_nothing_after_it(tmp_path: Path) -> None:
    """`if name in HIDDEN: continue` (HIDDEN a constant the scan reads) ends the turn for the
    hidden pages: the rules after it are not listed for them, as Flask never adds them; the
    admin page's turn ends after its own rule."""
    root = write_tree(tmp_path, {"skipping/__init__.py": SKIPPED_TURNS})
    scanned = scanned_keys(root)
    runtime = runtime_url_map("skipping:app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    routes = scan_path(root).routes
    assert sorted((r.rule, r.function, r.status) for r in routes) == [
        ("/", "page", "auto"), ("/admin/users", "admin_page", "auto"),
        ("/docs", "page", "auto")]
