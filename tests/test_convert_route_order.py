"""Overlapping rules in a converted app answer as Flask routes them.

`migrate convert` lists the routes of a router, and includes the routers in `main.py`, in an
order where Starlette reaches the view Werkzeug would choose (`migrator/convert/order.py`).

Werkzeug sends a path to the most specific rule (text before converters); Starlette to the first
route in order. Where no order can do it (a rule left on Flask), ``LegacyShortcut`` lets the
legacy app serve the paths Flask sends elsewhere (``tests/test_flask_compat_mount.py``).
"""

from __future__ import annotations

import itertools
import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RoutingException, Rule

from migrator.convert.order import precedence_order
from migrator.model import CustomConverter, PathParameter, Route
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves

LEGACY = '''
from flask import Blueprint, Flask

alpha = Blueprint("alpha", __name__, url_prefix="/x")
zulu = Blueprint("zulu", __name__, url_prefix="/x")


@alpha.get("/<name>")
def by_name(name):
    return {"by_name": name}


@alpha.get("/<name>/items")
def named_items(name):
    return {"named_items": name}


@alpha.get("/<int:number>/items")
def numbered_items(number):
    return {"numbered_items": number}


@zulu.get("/me")
def me():
    return {"me": True}


app = Flask(__name__)
app.register_blueprint(alpha)
app.register_blueprint(zulu)
'''

PATHS = ["/x/me", "/x/bob", "/x/5/items", "/x/bob/items", "/x/me/", "/x/"]


@pytest.mark.parametrize("blueprints", [[], ["alpha"]], ids=["all converted", "zulu on Flask"])
def test_overlapping_rules_answer_as_flask_routes_them(tmp_path, blueprints: list[str]) -> None:
    with converted_snippet(tmp_path, "overlap_app", LEGACY, "overlap_fastapi",
                           blueprints=blueprints) as (result, _out, _legacy):
        assert len(result.converted) == (3 if blueprints else 4)
        import overlap_app
        from overlap_fastapi.main import create_app

        flask_client = overlap_app.app.test_client()
        with TestClient(create_app(overlap_app.app), base_url="http://localhost") as client:
            for path in PATHS:
                legacy_answer, new = flask_client.get(path), client.get(path, follow_redirects=False)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path


def route(rule: str, methods: tuple[str, ...] = ("GET",)) -> Route:
    return Route(rule=rule, methods=list(methods), endpoint=rule, blueprint=None, app="a:app",
                 file="views.py", line=1, function="view")


@pytest.mark.parametrize(("rules", "expected"), [
    (["/x/<name>", "/x/me"], [1, 0]),  # a segment's text before a converter
    (["/x/me", "/x/<name>"], [0, 1]),  # already in order
    (["/n/<name>", "/n/<int:n>"], [1, 0]),  # int before string
    (["/s/<path:rest>", "/s/fixed", "/s/<int:n>"], [1, 2, 0]),  # path last
    (["/f/<name>.json", "/f/<name>"], [0, 1]),  # no path both take: source order
    (["/items/<int:id>", "/categories"], [0, 1]),
    (["/u/<name>", "/u/<int:n>/x"], [0, 1]),
    (["/c/<name>", "/c/<color(a,b):c>"], [0, 1]),  # a custom converter: not judged
    # text after a `path` converter (pygeoapi's `/collections/<path:collection_id>` beside its
    # `.../position`, `.../items`): its shared paths were not found, so the catch-all stayed
    # first and FastAPI never answered the others (the legacy shortcut sent them to Flask)
    (["/c", "/c/<path:cid>", "/c/<path:cid>/items", "/c/<path:cid>/pos"], [0, 2, 3, 1]),
    (["/c/<path:cid>", "/c/<cid>/map", "/c/<path:cid>/items"], [1, 2, 0]),
    # ...and where the other rule has a converter (found by the property test below: the
    # shared `/a/a/items` was not tried, and the `path` rule stayed first)
    (["/a/<path:p>/items", "/a/a/<name>"], [1, 0]),
])
def test_routes_are_listed_in_the_order_werkzeug_chooses(rules, expected) -> None:
    assert precedence_order([[route(rule)] for rule in rules]) == expected


def test_routes_that_share_no_method_keep_their_order() -> None:
    assert precedence_order([[route("/x/<name>", ("POST",))], [route("/x/me")]]) == [0, 1]
    assert precedence_order([[route("/x/<name>", ("GET", "POST"))], [route("/x/me")]]) == [1, 0]


def test_routers_are_included_in_the_order_werkzeug_chooses(tmp_path) -> None:
    with converted_snippet(tmp_path, "overlap_app", LEGACY, "overlap_fastapi") as (_, out, _l):
        main = (out / "main.py").read_text(encoding="utf-8")
        assert main.index("include_router(zulu.router)") < main.index("include_router(alpha.router)")
        alpha = (out / "routers" / "alpha.py").read_text(encoding="utf-8")
        assert [line.split("(")[1].split(",")[0] for line in alpha.splitlines()
                if line.startswith("@router.")] == ['"/{name}"', '"/{number:int}/items"',
                                                    '"/{name}/items"']


ORDER_PARTS = ["a", "me", "1", "<name>", "<int:n>", "<float:f>", "x<name>"]
ORDER_VALUES = ["a", "me", "1", "1.5", "-1", "xa", "items"]


def numbered_rule(parts: list[str], last: str | None) -> str:
    """A rule from `parts` (parameters numbered by position), ending with `last` if given."""
    named = [re.sub(r"(name|:n|:f|:p)>", lambda m, i=i: f"{m[1]}{i}>", part)
             for i, part in enumerate([*parts, *([last] if last else [])])]
    return "/" + "/".join(named)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(ORDER_PARTS), min_size=1, max_size=3),
                          st.sampled_from([None, None, "<path:p>", "<path:p>/items"])),
                min_size=2, max_size=4))
def test_starlette_s_first_match_in_the_order_is_werkzeug_s_choice(shapes) -> None:
    """For every sample path, the first route in the order that matches it is the rule Werkzeug
    chooses. (Converters of equal weight, a string and a UUID say, are left out: in a larger
    set Werkzeug breaks their tie by how its state machine groups the rules, which a pairwise
    judgement cannot see; the generated app's LegacyShortcut covers such paths.)"""
    rules = list(dict.fromkeys(numbered_rule(parts, last) for parts, last in shapes))
    order = precedence_order([[route(rule)] for rule in rules])
    werkzeug = Map([Rule(rule, endpoint=rule) for rule in rules]).bind("localhost")
    alone = [Map([Rule(rules[i], endpoint=rules[i])]).bind("localhost") for i in order]

    def chosen(urls, path: str) -> str | None:
        try:
            return urls.match(path, "GET")[0]
        except (HTTPException, RoutingException):
            return None

    for length in range(1, 5):
        for values in itertools.product(ORDER_VALUES, repeat=length):
            path = "/" + "/".join(values)
            first = next((chosen(urls, path) for urls in alone if chosen(urls, path)), None)
            assert first == chosen(werkzeug, path), (
                [rules[i] for i in order], path)


WIKI = '''
from flask import Blueprint, Flask
from werkzeug.routing import PathConverter


class ItemNameConverter(PathConverter):
    """moin 2.0's: a path that neither starts nor ends with a slash."""

    regex = "[^/]+?(/[^/]+?)*"
    weight = 200


frontend = Blueprint("frontend", __name__)
admin = Blueprint("admin", __name__)


@frontend.route("/<itemname:item_name>")
def show_item(item_name):
    return {"show": item_name}


@frontend.route("/+login")
def login():
    return {"login": True}


@frontend.route("/+history/<itemname:item_name>")
def history(item_name):
    return {"history": item_name}


@frontend.route("/+history/<int:number>")
def history_by_number(number):
    return {"number": number}


@admin.route("/+admin/<itemname:item_name>/users")
def users(item_name):
    return {"users": item_name}


app = Flask(__name__)
app.url_map.converters["itemname"] = ItemNameConverter
app.register_blueprint(frontend)
app.register_blueprint(admin)
'''

WIKI_PATHS = ["/Home", "/a/b", "/+login", "/+history/Home", "/+history/a/b", "/+history/7",
              "/+admin/a/b/users", "/+admin/x", "/Home/"]


def test_rules_with_the_app_s_converter_are_ordered_as_werkzeug_chooses(
        tmp_path, monkeypatch) -> None:
    """moin 2.0's catch-all `/<itemname:item_name>` (its own `PathConverter`) is declared before
    `/+login`: with the converter not judged, the catch-all stayed first, and Flask answered 63
    of moin's 92 converted rules (its shortcut sending them to the legacy app). The order now
    lets Werkzeug judge with a stand-in made of what the scan read from the class, so each of
    these paths is answered by the converted route Flask chooses, not by the legacy mount."""
    with converted_snippet(tmp_path, "wiki_app", WIKI, "wiki_fastapi") as (result, out, _):
        assert len(result.converted) == 5
        frontend = (out / "routers" / "frontend.py").read_text(encoding="utf-8")
        assert [line.split('name="')[1].split('"')[0] for line in frontend.splitlines()
                if line.startswith("@router.")] == [
            "frontend.login", "frontend.history_by_number", "frontend.history",
            "frontend.show_item"]
        main = (out / "main.py").read_text(encoding="utf-8")
        assert main.index("include_router(admin.router)") < main.index(
            "include_router(frontend.router)")
        import wiki_app
        from wiki_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "wiki_fastapi")
        flask_client = wiki_app.app.test_client()
        with TestClient(create_app(wiki_app.app), base_url="http://localhost") as client:
            for path in WIKI_PATHS:
                legacy_answer, new = flask_client.get(path), client.get(path, follow_redirects=False)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
        # (`/Home/` is Flask's 404: no converted route may answer it)
        assert mounted == ["/Home/"]


def wiki_route(rule: str, traits: dict | None) -> Route:
    """A route whose `<itemname:...>` parameters are moin's converter with the scan's `traits`
    (the default converter's have none)."""
    converter = CustomConverter("itemname", "moin.ItemNameConverter", "[^/]+?(/[^/]+?)*",
                                "its regex", **(traits or {}))
    parameters = [PathParameter(name, kind or "default", None,
                                converter if kind == "itemname" else None)
                  for kind, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule)]
    found = route(rule)
    found.parameters = parameters
    return found


READ = {"weight": 200, "part_isolating": False}


@pytest.mark.parametrize(("traits", "arguments", "expected"), [
    (READ, None, [1, 2, 0]),
    (None, None, [0, 1, 2]),  # the scan could not read its weight: not judged
    ({"weight": 200, "part_isolating": None}, None, [0, 1, 2]),
    (READ, "x=1", [0, 1, 2]),  # arguments its class may read: not judged
    (READ, "first of two", [0, 1, 2]),  # ...also on one parameter of a rule naming it twice
])
def test_an_app_s_converter_is_judged_only_when_the_scan_read_it(
        traits, arguments, expected) -> None:
    first = {None: "/<itemname:name>", "x=1": "/<itemname(x=1):name>",
             "first of two": "/<itemname(x=1):name>/<itemname:other>"}[arguments]
    rules = [first, "/+login/<other>" if "other" in first else "/+login",
             "/+history/<itemname:name>"]
    routes = [wiki_route(rule, traits) for rule in rules]
    routes[0].parameters[0].arguments = "x=1" if arguments else None
    assert precedence_order([[route] for route in routes]) == expected


MERGED_SLASHES_LEGACY = '''
from flask import Blueprint, Flask

api = Blueprint("api", __name__, url_prefix="/" + "/api")


@api.get("/<name>")
def by_name(name):
    return {"by_name": name}


@api.get("/special")
def special():
    return {"special": True}


app = Flask(__name__)
app.register_blueprint(api)
'''


def test_rules_holding_doubled_slashes_are_ordered_at_the_paths_they_answer(tmp_path) -> None:
    """cellxgene's `url_prefix="/" + "/api/v0.2"` makes rules `//api/...` that answer at
    `/api/...`, where the generated routes are. The order is judged on the rules as written:
    Werkzeug matches the sample `//api/special` against them as it does `/api/special` (it
    merges the slashes of both), so `/special` goes before `/{name}` as in Flask."""
    merged = [Route(rule=rule, methods=["GET"], endpoint=rule, blueprint="api", app="a:app",
                    file="views.py", line=1, function="view",
                    rule_options={"merge_slashes": "True"})
              for rule in ("//api/<name>", "//api/special")]
    assert precedence_order([[route] for route in merged]) == [1, 0]
    with converted_snippet(tmp_path, "merged_order_app", MERGED_SLASHES_LEGACY,
                           "merged_order_fastapi") as (result, _out, _legacy):
        assert len(result.converted) == 2
        import merged_order_app
        from merged_order_fastapi.main import create_app

        flask_client = merged_order_app.app.test_client()
        with TestClient(create_app(merged_order_app.app), base_url="http://localhost") as client:
            for path in ("/api/special", "/api/bob", "//api/special"):
                legacy_answer, new = flask_client.get(path), client.get(path, follow_redirects=False)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path


SAME_ENDPOINT = '''
from flask import Flask
from flask_restful import Api, Resource

app = Flask(__name__)


@app.route("/checker/<checker_id>")
@app.route("/checker/search", methods=["GET"])
def checker(checker_id):
    return {"checker_id": checker_id}


class Flow(Resource):
    def get(self, flow_id=None):
        return {"flow": flow_id}

    def put(self, flow_id):
        return {"put": flow_id}


api = Api(app)
api.add_resource(Flow, "/flow/<flow_id>", "/flow/search")
'''


def test_a_rule_of_the_same_endpoint_left_on_flask_keeps_its_paths(tmp_path, monkeypatch) -> None:
    """Lyrebird's `/api/checker/<checker_id>` converts while the same endpoint's
    `/api/checker/search`, which Flask cannot call the view for (no `checker_id`), stays on
    Flask: Starlette let the converted route take `/checker/search` (`{"checker_id":
    "search"}` where Flask answers 500, or the listing with `checker_id=None`), as the shortcut
    asked the legacy URL map only whether Flask chose another endpoint."""
    with converted_snippet(tmp_path, "same_endpoint_app", SAME_ENDPOINT,
                           "same_endpoint_fastapi") as (result, _out, _legacy):
        assert {(v.route.rule, v.route.methods[0]) for v in result.converted} >= {
            ("/checker/<checker_id>", "GET"), ("/flow/<flow_id>", "GET")}
        assert ("/checker/search", "checker") in {(r.route.rule, r.route.endpoint)
                                                   for r in result.left}
        import same_endpoint_app
        from same_endpoint_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "same_endpoint_fastapi")
        flask_app = same_endpoint_app.app
        flask_app.config["PROPAGATE_EXCEPTIONS"] = False  # Flask's 500, as a server answers
        flask_client = flask_app.test_client()
        with TestClient(create_app(flask_app), base_url="http://localhost") as client:
            for method, path in [("GET", "/checker/search"), ("GET", "/checker/7"),
                                 ("GET", "/flow/search"), ("PUT", "/flow/search"),
                                 ("GET", "/flow/7"), ("PUT", "/flow/7")]:
                old = flask_client.open(path, method=method)
                new = client.request(method, path, follow_redirects=False)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
        assert "/checker/search" in mounted and "/checker/7" not in mounted
