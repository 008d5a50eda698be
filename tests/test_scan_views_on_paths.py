"""Which view a rule gets, when the name given as `view_func` is bound more than once.

The scan read such a name as its last binding in the scope, wherever that was: after the rule
was added (`view = require_key(index)`, the rule, then `view = index`), or on one branch only
(`view = require_key(index)`, then `if PUBLIC: view = index`). Both listed the route as `index`
with no decorator, and convert served it without the key check Flask runs: less
authentication than the original. A name is now read as the bindings that can reach the place
that reads it: the last one made on every path to it, and those after it made on some paths
only (in a branch, a loop, a try, or later in a loop around the read, for its next turn). When
they do not all give the same view with the same decorators, which view Flask runs is decided
at run time: the route stays on Flask (`scan.conditional_view`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import listed_rules, write_tree

CONDITIONAL = (
    "scan.conditional_view: the view given where the rule is added is bound differently on "
    "different paths through the code (an if, a loop, a try), so which view, and which "
    "decorators, Flask runs is decided at run time")

LEGACY = '''
import functools
import os

from flask import Flask, abort, request

app = Flask(__name__)
PUBLIC = os.environ.get("PATHS_APP_PUBLIC")


def require_key(view):
    """The project's auth decorator: a request without the key gets 401."""
    @functools.wraps(view)
    def checked(*args, **kwargs):
        if request.headers.get("X-Key") != "secret":
            abort(401)
        return view(*args, **kwargs)
    return checked


def index():
    return {"page": "index"}


def other():
    return {"page": "other"}


# public only where a setting says so
view = require_key(index)
if PUBLIC:
    view = index
app.add_url_rule("/branch", endpoint="branch", view_func=view)

# rebound after the rule is added: Flask has the wrapped view
later = require_key(index)
app.add_url_rule("/before-rebinding", endpoint="before_rebinding", view_func=later)
later = index

# rebound before: the last binding on every path
step = index
step = require_key(step)
app.add_url_rule("/sequence", endpoint="sequence", view_func=step)

# a loop body binds, then reads, on every turn
for rule, name, target in (("/loop-a", "loop_a", index), ("/loop-b", "loop_b", other)):
    wrapped = require_key(target)
    app.add_url_rule(rule, endpoint=name, view_func=wrapped)

# wrapped again after each rule: the second turn reads the first turn's binding (the scan
# reads the body once for all turns, so neither turn's view is known to it)
turned = index
for rule, name in (("/turn-1", "turn_1"), ("/turn-2", "turn_2")):
    app.add_url_rule(rule, endpoint=name, view_func=turned)
    turned = require_key(turned)

# bound in one branch only: where the other is taken, reading it fails before the rule is added
if not PUBLIC:
    only = require_key(other)
app.add_url_rule("/only-in-branch", endpoint="only_in_branch", view_func=only)

try:
    from json import JSONDecoder as fallback_probe  # noqa: F401
    chosen = other
except ImportError:
    chosen = require_key(other)
app.add_url_rule("/try", endpoint="try_view", view_func=chosen)


def register(target_app, rule, endpoint, given):
    target_app.add_url_rule(rule, endpoint=endpoint, view_func=given)


def register_public(target_app):
    local = require_key(other)
    if PUBLIC:
        local = other
    target_app.add_url_rule("/in-function", endpoint="in_function", view_func=local)


passed = require_key(other)
if PUBLIC:
    passed = other
register(app, "/passed", "passed", passed)
register(app, "/passed-plain", "passed_plain", require_key(other))
register_public(app)
'''

ON_FLASK = {"/branch", "/turn-1", "/turn-2", "/try", "/in-function", "/passed"}


def test_a_view_bound_differently_on_some_path_stays_on_flask(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"paths_app/__init__.py": LEGACY})
    routes = {route.rule: route for route in scan_path(root / "paths_app").routes}
    assert set(routes) == {"/branch", "/before-rebinding", "/sequence", "/loop-a", "/loop-b",
                           "/turn-1", "/turn-2", "/try", "/in-function", "/passed",
                           "/passed-plain", "/only-in-branch"}
    for rule in ON_FLASK:
        assert routes[rule].status == "manual", rule
        assert CONDITIONAL in routes[rule].reasons, rule
    for rule in set(routes) - ON_FLASK:
        assert CONDITIONAL not in routes[rule].reasons, rule
    # the view and its decorator as Flask has them
    for rule in ("/before-rebinding", "/sequence", "/loop-a", "/passed-plain",
                 "/only-in-branch"):
        assert routes[rule].decorators == ["require_key"], rule
    assert (routes["/loop-b"].function, routes["/sequence"].function) == ("other", "index")
    # rules and endpoints as Flask has them
    runtime = {(rule, endpoint) for rule, _, endpoint in
               runtime_url_map("paths_app:app", pythonpath=[root])}
    assert listed_rules(routes.values()) == runtime


def test_converted_routes_keep_the_key_check_and_the_others_answer_through_flask(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("PATHS_APP_PUBLIC", raising=False)
    with converted_snippet(tmp_path, "paths_app", LEGACY, "paths_fastapi") as (result, _, _):
        assert {view.route.rule for view in result.left} == ON_FLASK
        import paths_app
        from paths_fastapi.main import create_app

        flask_client = paths_app.app.test_client()
        with TestClient(create_app(paths_app.app), base_url="http://localhost") as client:
            for rule in sorted({route.rule for route in scan_path(
                    tmp_path / "legacy" / "paths_app").routes}):
                for headers in ({}, {"X-Key": "secret"}):
                    old = flask_client.get(rule, headers=headers)
                    new = client.get(rule, headers=headers)
                    assert (new.status_code, new.content) == (
                        old.status_code, old.get_data()), (rule, headers)
            # without the key, every route Flask guards answers 401 here too
            assert client.get("/before-rebinding").status_code == 401
            assert client.get("/branch").status_code == 401


CLASS_BODIES = '''
import os

from flask import Flask, abort, request
from flask.views import MethodView

app = Flask(__name__)
PUBLIC = os.environ.get("CLASS_APP_PUBLIC")


def require_key(view):
    def checked(*args, **kwargs):
        if request.headers.get("X-Key") != "secret":
            abort(401)
        return view(*args, **kwargs)
    return checked


class Guarded(MethodView):
    if not PUBLIC:
        decorators = [require_key]

    def get(self):
        return {"items": []}


class Rebound(MethodView):
    decorators = []
    if not PUBLIC:
        decorators = [require_key]

    def get(self):
        return {"items": []}


class Base(MethodView):
    try:
        decorators = [require_key]
    except NameError:
        decorators = []


class Inherits(Base):
    def get(self):
        return {"items": []}


class Plain(MethodView):
    decorators = [require_key]

    def get(self):
        return {"items": []}

    if PUBLIC:
        def post(self):
            return {"created": True}


class Loose(MethodView):
    if PUBLIC:
        page_size = 50  # not something Flask reads

    def get(self):
        return {"items": []}


for rule, view in (("/guarded", Guarded), ("/rebound", Rebound), ("/inherits", Inherits),
                   ("/plain", Plain), ("/loose", Loose)):
    app.add_url_rule(rule, view_func=view.as_view(rule[1:]))
'''


def test_a_view_class_whose_body_sets_what_flask_reads_on_some_paths_stays_on_flask(
        tmp_path: Path, monkeypatch) -> None:
    """`if not PUBLIC: decorators = [require_key]` in a class body was not read at all (only
    the body's own top-level statements were): the class converted without the key check."""
    monkeypatch.delenv("CLASS_APP_PUBLIC", raising=False)
    with converted_snippet(tmp_path, "class_app", CLASS_BODIES, "class_fastapi") as (
            result, _, legacy):
        routes = {route.rule: route for route in scan_path(legacy).routes}
        for rule, (klass, name) in {"/guarded": ("Guarded", "decorators"),
                                    "/rebound": ("Rebound", "decorators"),
                                    "/inherits": ("Base", "decorators"),
                                    "/plain": ("Plain", "post")}.items():
            assert routes[rule].status == "manual", rule
            assert (f"scan.conditional_class_body: class {klass} (__init__.py) binds `{name}` "
                    "inside an if/try/loop of its body, so what Flask runs is decided at run "
                    "time; the route stays on Flask") in routes[rule].reasons, rule
        assert not any("conditional" in reason for reason in routes["/loose"].reasons)
        assert sorted(view.route.rule for view in result.left) == [
            "/guarded", "/inherits", "/plain", "/rebound"]
        import class_app
        from class_fastapi.main import create_app

        flask_client = class_app.app.test_client()
        with TestClient(create_app(class_app.app), base_url="http://localhost") as client:
            for rule in sorted(routes):
                for method, headers in (("GET", {}), ("GET", {"X-Key": "secret"}),
                                        ("POST", {"X-Key": "secret"})):
                    old = flask_client.open(rule, method=method, headers=headers)
                    new = client.request(method, rule, headers=headers)
                    assert (new.status_code, new.content) == (
                        old.status_code, old.get_data()), (rule, method, headers)
            assert client.get("/guarded").status_code == 401


FACTORY_VIEWS = '''
from flask import Flask

app = Flask(__name__)


def make_view(greeting):
    def hello():
        return {"greeting": greeting}
    return hello


def make_plain():
    def plain():
        return {"plain": True}
    return plain


view = make_view("hi")
app.add_url_rule("/hello", view_func=view)
other = make_plain()
app.add_url_rule("/plain", view_func=other)
'''


def test_a_view_a_project_factory_makes_is_found_through_the_name_it_is_bound_to(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"factory_app/__init__.py": FACTORY_VIEWS})
    routes = {route.rule: route for route in scan_path(root / "factory_app").routes}
    assert {rule: route.function for rule, route in routes.items()} == {
        "/hello": "make_view.hello", "/plain": "make_plain.plain"}
    assert all(route.status == "assisted" for route in routes.values())
    runtime = {(rule, endpoint) for rule, _, endpoint in
               runtime_url_map("factory_app:app", pythonpath=[root])}
    assert listed_rules(routes.values()) == runtime


CACHED_VIEWS = '''
import functools

from flask import Blueprint, Flask, abort, request
from flask.views import MethodView


def require_key(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.headers.get("X-Key") != "secret":
            abort(401)
        return view(*args, **kwargs)
    return wrapped


def configure_api(blueprint, routes, decorators=None):
    """zou's helper: one view per resource class, however many rules it is on."""
    view_funcs = {}
    for path, resource in routes:
        view_func = view_funcs.get(resource)
        if view_func is None:
            view_func = resource.as_view(resource.__name__)
            for decorator in decorators or []:
                view_func = decorator(view_func)
            view_funcs[resource] = view_func
        blueprint.add_url_rule(path, view_func=view_func)
    return blueprint


def configure_by_path(blueprint, routes):
    """The same cache, but what it keeps depends on the path too: the view of a class's first
    rule serves its other rules, whichever view they would make."""
    view_funcs = {}
    for path, resource in routes:
        view_func = view_funcs.get(resource)
        if view_func is None:
            view_func = resource.as_view(resource.__name__)
            if path.startswith("/private"):
                view_func = require_key(view_func)
            view_funcs[resource] = view_func
        blueprint.add_url_rule(path, view_func=view_func)
    return blueprint


class Items(MethodView):
    def get(self, item_id=None):
        return {"item": item_id}


class Tags(MethodView):
    def get(self):
        return {"tags": []}


public = Blueprint("public", __name__)
configure_api(public, [("/items", Items), ("/items/<int:item_id>", Items), ("/tags", Tags)])
keyed = Blueprint("keyed", __name__, url_prefix="/keyed")
configure_api(keyed, [("/items", Items)], decorators=[require_key])
mixed = Blueprint("mixed", __name__, url_prefix="/mixed")
configure_by_path(mixed, [("/open", Items), ("/private", Items)])

app = Flask(__name__)
for blueprint in (public, keyed, mixed):
    app.register_blueprint(blueprint)
'''


def test_a_view_kept_in_a_dict_per_class_is_the_class_s_view(tmp_path: Path) -> None:
    """zou's helper makes one view per resource class and keeps it in a dict. The scan read the
    view as bound on several paths (`view_funcs.get(resource)`, `resource.as_view(...)` in the
    `if`, the loop over the decorators): every route stayed on Flask. The cache's `if` is read
    as running on every path when what it keeps depends on the key alone, and a loop over
    `decorators or []` given no decorators makes nothing; given a list, each item wraps the view
    (tests/test_scan_wrapping_loops.py). Where the kept view depends on the path too
    (`/mixed/private` gets the view `/mixed/open` made, with no key check), the view is still
    decided at run time: those stay on Flask."""
    with converted_snippet(tmp_path, "cached_app", CACHED_VIEWS, "cached_fastapi") as (
            result, _out, legacy):
        routes = {route.rule: route for route in scan_path(legacy).routes}
        conditional = {rule for rule, route in routes.items() if CONDITIONAL in route.reasons}
        assert conditional == {"/mixed/open", "/mixed/private"}
        # (a view bound on several paths has no name the scan can tell)
        assert {(rule, frozenset(r.methods), "?" if rule in conditional else r.endpoint)
                for rule, r in routes.items()} == {
            (rule, methods, "?" if rule in conditional else endpoint) for rule, methods, endpoint
            in runtime_url_map("cached_app:app", pythonpath=[legacy.parent])}
        assert {rule: routes[rule].endpoint for rule in routes if rule not in conditional} == {
            "/items": "public.Items", "/items/<int:item_id>": "public.Items",
            "/tags": "public.Tags", "/keyed/items": "keyed.Items"}
        assert [w.code for w in routes["/keyed/items"].wrapped_at_registration] == ["require_key"]
        assert {view.route.rule for view in result.left} == conditional
        import cached_app
        from cached_fastapi.main import create_app

        flask_client = cached_app.app.test_client()
        with TestClient(create_app(cached_app.app), base_url="http://localhost") as client:
            for path in ("/items", "/items/3", "/tags", "/keyed/items", "/mixed/open",
                         "/mixed/private"):
                for headers in ({}, {"X-Key": "secret"}):
                    old, new = flask_client.get(path, headers=headers), client.get(
                        path, headers=headers)
                    assert (new.status_code, new.content) == (
                        old.status_code, old.get_data()), (path, headers)
            assert client.get("/keyed/items").status_code == 401  # converted, and guarded
            assert "/keyed/items" in {view.route.rule for view in result.converted}
            assert client.get("/mixed/private").status_code == 200  # Flask's: the cached view


FILLED_AT_RUN_TIME = '''
import functools
import os

from flask import Flask, abort, request

app = Flask(__name__)
EXTRA = []
if not os.environ.get("FILLED_APP_PUBLIC"):
    EXTRA.append("key")


def require_key(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.headers.get("X-Key") != "secret":
            abort(401)
        return view(*args, **kwargs)
    return wrapped


def index():
    return {"index": True}


def register(app, decorators=None):
    view = index
    for _ in EXTRA:
        view = require_key(view)
    app.add_url_rule("/", view_func=view)
    open_view = index
    for decorator in decorators or []:
        open_view = decorator(open_view)
    app.add_url_rule("/open", "open", view_func=open_view)


register(app)
'''


def test_a_loop_over_a_list_filled_at_run_time_is_not_known_empty(tmp_path: Path) -> None:
    """`for _ in EXTRA: view = require_key(view)` where `EXTRA = []` is appended to at import:
    the list the scan reads is not the one Flask's loop sees, so the key check may wrap the
    view; the route stays on Flask. Only a loop over literals and over parameters given a
    literal (`decorators or []` with no decorators) is known to make nothing."""
    root = write_tree(tmp_path, {"filled_app/__init__.py": FILLED_AT_RUN_TIME})
    routes = {route.rule: route for route in scan_path(root / "filled_app").routes}
    assert CONDITIONAL in routes["/"].reasons and routes["/"].status == "manual"
    assert CONDITIONAL not in routes["/open"].reasons and routes["/open"].endpoint == "open"
