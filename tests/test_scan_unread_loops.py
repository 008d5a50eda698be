"""A rule added with the item of a loop over what the scan cannot read.

CloudKitty's v2 API (`do_init(app, resources)`: `for info in schema(resources):
api.add_resource(info["resource"], info["url"])`) adds one resource per item of a list that a
call returns. Flask adds as many rules as there are items; the scan listed one placeholder route
with methods `GET`, as if it were one GET route, and said nothing at the top of the report, and a
resource that is a call's result (`api.add_resource(make_resource(), "/x")`) was even listed as
`assisted` (convert then said "no class  in ..."). Now:

- the loop gets a warning (`scan.unread_loop`) naming the call and what it goes over: it may add
  any number of routes;
- the one route listed for it is `manual` (`scan.unread_loop`), and a resource the scan cannot
  follow to a class is `scan.view_not_found` with its methods unknown (`scan.unresolved_methods`);
- convert leaves it on Flask, and the generated app answers every rule the loop added through the
  legacy mount, as Flask does.

A loop over a list the scan reads lists each item's route, with no warning; a loop whose item the
call does not read adds the one rule it shows, with no warning either.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import write_tree

LEGACY = '''
import flask
import flask_restful


class Items(flask_restful.Resource):
    def post(self):
        return {"created": True}, 201


class Item(flask_restful.Resource):
    def put(self, item_id):
        return {"id": item_id}


def checked(resources):
    """What CloudKitty's `schema(...)` does: check the list, give it back."""
    return [dict(info) for info in resources]


def do_init(app, resources):
    bp = flask.Blueprint("items", __name__)
    api = flask_restful.Api(bp)
    for info in checked(resources):
        api.add_resource(info["resource"], info["url"])
    app.register_blueprint(bp, url_prefix="/items")


def create_app():
    app = flask.Flask(__name__)
    do_init(app, [
        {"resource": Items, "url": ""},
        {"resource": Item, "url": "/<item_id>"},
    ])
    return app
'''


def test_a_loop_over_a_calls_result_is_warned_and_its_route_stays_on_flask(
        tmp_path: Path, monkeypatch) -> None:
    root = write_tree(tmp_path / "src", {"unread_loop/__init__.py": LEGACY})
    # Flask adds a rule per item
    assert runtime_url_map("unread_loop:create_app", pythonpath=[root]) == {
        ("/items", frozenset({"POST"}), "items.items"),
        ("/items/<item_id>", frozenset({"PUT"}), "items.item"),
    }
    result = scan_path(root)
    [route] = result.routes
    assert (route.rule, route.status) == (
        "/items/<unresolved: `info[\"url\"]` is computed at run time>", "manual")
    assert [reason.split(":")[0] for reason in route.reasons if reason.startswith("scan.")] == [
        "scan.unresolved_rule", "scan.unresolved_methods", "scan.view_not_found",
        "scan.unread_loop"]
    assert ("scan.unread_loop: added once per item of `checked(resources)`, which the scan "
            "cannot read; the loop may add other routes like it") in route.reasons
    warnings = [(d.code, d.file, d.line, d.severity) for d in result.diagnostics
                if d.code == "scan.unread_loop"]
    assert warnings == [("scan.unread_loop", "unread_loop/__init__.py", 24, "warning")]
    [message] = [d.message for d in result.diagnostics if d.code == "scan.unread_loop"]
    assert message.startswith(
        '`api.add_resource(info["resource"], info["url"])` runs once per item of '
        "`checked(resources)`, which the scan cannot read")
    assert "may add any number of routes" in message

    with converted_snippet(tmp_path / "convert", "unread_loop", LEGACY,
                           "unread_loop_fastapi") as (converted, _out, _legacy):
        assert not converted.converted
        import unread_loop
        from unread_loop_fastapi.main import create_app

        flask_client = unread_loop.create_app().test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "unread_loop_fastapi")
        with TestClient(create_app(unread_loop.create_app()),
                        base_url="http://localhost") as client:
            for method, path in [("POST", "/items"), ("PUT", "/items/7"), ("GET", "/items")]:
                old = flask_client.open(path, method=method)
                new = client.request(method, path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data())
        assert mounted == ["/items", "/items/7", "/items"]


def test_a_resource_made_by_a_call_is_not_taken_for_a_class(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"made/__init__.py": '''
        import flask
        import flask_restful


        class Items(flask_restful.Resource):
            def post(self):
                return {"created": True}, 201


        def make_resource():
            return Items


        app = flask.Flask(__name__)
        api = flask_restful.Api(app)
        api.add_resource(make_resource(), "/x")
        '''})
    [route] = scan_path(root).routes
    assert (route.rule, route.methods, route.status) == ("/x", ["GET"], "manual")
    methods_unknown = ("scan.unresolved_methods: methods are those the resource class "
                       "defines, and the scan cannot tell which class it is")
    view_unknown = ("scan.view_not_found: the resource is an expression the scan cannot follow "
                    "to a `def` or class in the project (a lambda, a factory's result, an item of "
                    "a collection)")
    assert route.reasons[:2] == [methods_unknown, view_unknown]


def test_loops_the_scan_reads_or_whose_item_adds_nothing_are_not_warned(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"read/__init__.py": '''
        import flask


        def view():
            return "x"


        def rules():
            return ["/a", "/b"]


        app = flask.Flask(__name__)
        for rule in ["/one", "/two"]:
            app.add_url_rule(rule, endpoint=rule, view_func=view)
        for _ in rules():
            app.add_url_rule("/same", endpoint="same", view_func=view)
        '''})
    result = scan_path(root)
    assert sorted((route.rule, route.status) for route in result.routes) == [
        ("/one", "auto"), ("/same", "auto"), ("/two", "auto")]
    assert not [d for d in result.diagnostics if d.code == "scan.unread_loop"]
