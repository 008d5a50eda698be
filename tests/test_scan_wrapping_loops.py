"""A view wrapped in each decorator of a list, in a loop, before its rule is added.

zou's `configure_api_from_blueprint(blueprint, routes, decorators=[...])` makes each resource's
view with `resource.as_view(...)`, then `for decorator in decorators or []: view_func =
decorator(view_func)`, then adds the rule. The scan read the binding in the loop as one made on
some paths only: the 44 routes of zou's `user` blueprint (`decorators=[permissions.require_person,
jwt_required()]`) stayed on Flask as `scan.conditional_view`, with endpoint `user.<unknown>` and
the wrong methods. Over a list display the scan can read (in the function, or passed by the
call), the loop now wraps the view in each item in turn, the last outermost, as Flask runs it:
the decorators are listed, and a converted route runs them (a guard refuses as in Flask).

Not read, and still `scan.conditional_view`: a loop whose body may end a turn early or holds a
block (`if`, `break`), and a list kept in a module-level name (another module may append to it
where the scan does not look).
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import write_tree

CONDITIONAL = "scan.conditional_view: "

LEGACY = '''
import functools

from flask import Blueprint, Flask, abort, g, request
from flask.views import MethodView


def require_key(view):
    """Refuse a request without the API key."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "secret":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


def tagged(label):
    """Record which wrappers ran, outermost first."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.trail = [*getattr(g, "trail", []), label]
            return view(*args, **kwargs)
        return wrapper
    return decorator


class Items(MethodView):
    def get(self):
        return {"items": ["lamp"], "trail": g.trail}

    def post(self):
        return {"created": True, "trail": g.trail}, 201


class Item(MethodView):
    def get(self, item_id):
        return {"item": item_id, "trail": g.trail}


def configure(blueprint, routes, decorators=None):
    views = {}
    for path, resource in routes:
        view = views.get(resource)
        if view is None:
            view = resource.as_view(resource.__name__)
            for decorator in decorators or []:
                view = decorator(view)
            views[resource] = view
        blueprint.add_url_rule(path, view_func=view)
    return blueprint


guarded = Blueprint("guarded", __name__)
configure(guarded, [("/guarded/items", Items), ("/guarded/items/<int:item_id>", Item),
                    ("/guarded/all-items", Items)],
          decorators=[tagged("inner"), require_key, tagged("outer")])

public = Blueprint("public", __name__)
configure(public, [("/public/items", Items)])

app = Flask(__name__)
app.register_blueprint(guarded)
app.register_blueprint(public)
'''


def test_the_loop_wraps_the_view_in_each_item_the_last_outermost(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "scanned", {"loop_app.py": LEGACY})
    result = scan_path(root)
    scanned = {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes}
    assert scanned == runtime_url_map("loop_app:app", pythonpath=[root])
    guarded = [r for r in result.routes if r.blueprint == "guarded"]
    assert len(guarded) == 3
    for route in guarded:
        assert not [reason for reason in route.reasons if reason.startswith(CONDITIONAL)]
        assert route.status != "manual", route.reasons
        assert [(w.code, w.imports) for w in route.wrapped_at_registration] == [
            ('tagged("outer")', "loop_app.tagged"), ("require_key", "loop_app.require_key"),
            ('tagged("inner")', "loop_app.tagged")]
        assert route.decorators == ["tagged", "require_key", "tagged"]
    [public] = [r for r in result.routes if r.blueprint == "public"]
    assert public.wrapped_at_registration == [] and public.status != "manual"


def test_a_converted_route_runs_the_loop_decorators_as_flask_does(tmp_path: Path,
                                                                  monkeypatch) -> None:
    with converted_snippet(tmp_path, "loop_app", LEGACY, "loop_fastapi") as (
            result, out, legacy):
        assert sorted({view.route.rule for view in result.converted}) == [
            "/guarded/all-items", "/guarded/items", "/guarded/items/<int:item_id>",
            "/public/items"]
        assert not new_lint_findings(out, legacy.parent, "loop_app")

        import loop_app
        from loop_fastapi.main import create_app

        flask_client = loop_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "loop_fastapi")
        with TestClient(create_app(loop_app.app), base_url="http://localhost") as client:
            for method, path, headers in (
                    ("GET", "/guarded/items", {}),
                    ("GET", "/guarded/items", {"X-Key": "wrong"}),
                    ("GET", "/guarded/items", {"X-Key": "secret"}),
                    ("POST", "/guarded/items", {"X-Key": "secret"}),
                    ("POST", "/guarded/all-items", {}),
                    ("GET", "/guarded/items/7", {"X-Key": "secret"}),
                    ("GET", "/guarded/items/7", {}),
                    ("GET", "/public/items", {})):
                old = flask_client.open(path, method=method, headers=headers)
                new = client.request(method, path, headers=headers)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), (
                    method, path, headers)
            # the trail shows the order: "outer" ran first, and the guard before "inner"
            answer = client.get("/guarded/items", headers={"X-Key": "secret"}).json()
            assert answer["trail"] == ["outer", "inner"]
        assert mounted == []


def test_loops_the_scan_cannot_show_to_wrap_in_order_stay_conditional(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "unread", {"unread_app.py": '''
        from flask import Flask

        from extra import EXTRA

        app = Flask(__name__)


        def require_key(view):
            return view


        def index():
            return "index"


        def add_read():
            view = index
            for decorator in [require_key]:
                view = decorator(view)
            app.add_url_rule("/read", "read", view_func=view)


        def add_early():
            view = index
            for decorator in [require_key, None]:
                if decorator is None:
                    break
                view = decorator(view)
            app.add_url_rule("/early", "early", view_func=view)


        def add_listed():
            view = index
            for decorator in EXTRA:
                view = decorator(view)
            app.add_url_rule("/listed", "listed", view_func=view)


        add_read()
        add_early()
        add_listed()
        ''', "extra.py": '''
        EXTRA = []
        '''})
    result = scan_path(root)
    by_rule = {r.rule: r for r in result.routes}
    assert sorted(by_rule) == ["/early", "/listed", "/read"]
    read = by_rule.pop("/read")  # the same function with a list display it can read
    assert read.decorators == ["require_key"]
    assert not [reason for reason in read.reasons if reason.startswith(CONDITIONAL)]
    for route in by_rule.values():
        assert route.status == "manual"
        assert [reason for reason in route.reasons if reason.startswith(CONDITIONAL)], route.rule
