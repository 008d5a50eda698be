"""Routes a project decorator registers: `@api("/v1/rules", methods=["POST"])`.

ironic-inspector 12.5 routes its whole API with such a decorator: `api(path, is_public_api=False,
rule=None, **flask_kwargs)` returns `outer(func)`, which registers its own `wrapper` with
`@_app.route(path, **flask_kwargs)`; the wrapper checks the caller's policy, then calls the view.
The scan listed one route, at the rule `path` ("not a constant the scan can read"), named
`wrapper`, and none of the ~20 rules the decorator registers. Each use of such a decorator is
now a route, with the rule, methods and options the use passes, the endpoint Flask names after
the view (`functools.wraps(func)`), at the line of the use; `manual`
(`scan.registering_decorator`): Flask runs the decorator's own wrapper, and keeping the route on
Flask keeps its checks.

A decorator that adds the view it is given (Flask's own `route` kept as a project's: `def
route(rule, **options): def decorator(view): app.add_url_rule(rule, view_func=view,
**options); return view`) registers the decorated function itself: its uses are routes as
`@app.route(...)` ones are, and convert.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.scan_support import registered_endpoints, write_tree

REGISTERING = {
    "inspector/__init__.py": '''
import functools

from flask import Flask, jsonify, request

app = Flask(__name__)


def convert_exceptions(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KeyError:
            return jsonify(error="not found"), 404
    return wrapper


def api(path, is_public_api=False, **flask_kwargs):
    """Route the view, checking the caller's token first (ironic-inspector's `api`)."""
    def outer(func):
        @app.route(path, **flask_kwargs)
        @convert_exceptions
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if not is_public_api and request.headers.get("X-Token") != "secret":
                return jsonify(error="unauthorized"), 401
            return func(*args, **kwargs)
        return wrapper
    return outer


@api("/", is_public_api=True, methods=["GET"])
def api_root():
    return jsonify(versions=["1.0"])


@api("/v1/items/<int:item_id>", methods=["GET", "DELETE"])
def item(item_id):
    return jsonify(id={1: 1}[item_id])


from . import rules  # noqa: E402,F401
''',
    "inspector/rules.py": '''
from flask import jsonify

from . import api


# the rule registered in another module, with its options
@api("/v1/rules", methods=["POST"], strict_slashes=False)
def create_rule():
    return jsonify(created=True), 201
''',
}


@pytest.fixture
def inspector(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "legacy", REGISTERING)


def test_each_use_of_a_registering_decorator_is_a_route(inspector: Path) -> None:
    result = scan_path(inspector)
    routes = {route.rule: route for route in result.routes}
    assert {rule: route.endpoint for rule, route in routes.items()} == registered_endpoints(
        inspector, "inspector", lambda module: module.app) == {
        "/": "api_root", "/v1/items/<int:item_id>": "item", "/v1/rules": "create_rule"}
    assert {rule: route.methods for rule, route in routes.items()} == {
        "/": ["GET"], "/v1/items/<int:item_id>": ["DELETE", "GET"], "/v1/rules": ["POST"]}
    assert routes["/v1/rules"].strict_slashes is False
    # each where the decorator is used, which is where a person looks for the view
    assert {rule: (route.file, route.line)
            for rule, route in routes.items()} == {
        "/": ("inspector/__init__.py", 32), "/v1/items/<int:item_id>": ("inspector/__init__.py", 37),
        "/v1/rules": ("inspector/rules.py", 7)}
    for route in routes.values():
        assert route.status == "manual"
        assert any(reason.startswith("scan.registering_decorator: registered by @api(...) "
                                     "(inspector/__init__.py:18)") for reason in route.reasons), \
            route.reasons


def in_package(tree: dict[str, str]) -> dict[str, str]:
    """The files of a one-package tree (`{"pkg/views.py": ...}`), by their name in the
    package, as converted_snippet writes them."""
    return {name.split("/", 1)[1]: source for name, source in tree.items()}


def test_routes_a_registering_decorator_adds_stay_on_flask_with_its_checks(tmp_path: Path
                                                                          ) -> None:
    with converted_snippet(tmp_path, "inspector", in_package(REGISTERING),
                           "inspector_fastapi") as (result, _out, _legacy):
        assert not result.converted
        assert sorted(left.route.rule for left in result.left) == [
            "/", "/v1/items/<int:item_id>", "/v1/rules"]
        import inspector as legacy
        from inspector_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = legacy.app.test_client()
        with TestClient(create_app(legacy.app)) as client:
            for method, path, headers in [("GET", "/", {}), ("GET", "/v1/items/1", {}),
                                          ("GET", "/v1/items/1", {"X-Token": "secret"}),
                                          ("GET", "/v1/items/2", {"X-Token": "secret"}),
                                          ("POST", "/v1/rules", {"X-Token": "secret"}),
                                          ("POST", "/v1/rules/", {})]:
                fastapi_answer = client.request(method, path, headers=headers)
                flask_answer = flask_client.open(path, method=method, headers=headers)
                assert (fastapi_answer.status_code, fastapi_answer.content) == (
                    flask_answer.status_code, flask_answer.data), (method, path)
            assert client.get("/v1/items/1").status_code == 401


ROUTING = {
    "shop/__init__.py": '''
import functools

from flask import Flask, jsonify, request

app = Flask(__name__)


def route(rule, **options):
    """Flask's own `route`, kept as the project's: it adds the view itself."""
    def decorator(view):
        app.add_url_rule(rule, view_func=view, **options)
        return view
    return decorator


def logged(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        app.logger.info("calling %s", view.__name__)
        return view(*args, **kwargs)
    return wrapper


@route("/items/<int:item_id>", methods=["GET", "DELETE"])
@logged
def item(item_id: int):
    """One item; DELETE says what it would remove."""
    if request.method == "DELETE":
        return jsonify(removed=item_id)
    return jsonify(id=item_id, limit=request.args.get("limit", 10, type=int))


from . import tags  # noqa: E402,F401
''',
    "shop/tags.py": '''
from flask import jsonify

from . import route


def audited(view):
    view.audited = True
    return view


# above the use: Flask has registered `tags` before it applies
@audited
@route("/tags", endpoint="tag_list", strict_slashes=False)
def tags():
    return jsonify(["a", "b"])
''',
}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "legacy", ROUTING)


def test_a_decorator_that_adds_the_view_itself_is_read_as_a_route_decorator(shop: Path
                                                                            ) -> None:
    """`route(rule, **options)` returning a decorator that calls `app.add_url_rule(rule,
    view_func=view, **options)` and returns the view: Flask runs the decorated function itself
    (with the decorators below the use), so the route converts as `@app.route` would."""
    result = scan_path(shop)
    routes = {route.rule: route for route in result.routes}
    assert {rule: route.endpoint for rule, route in routes.items()} == registered_endpoints(
        shop, "shop", lambda module: module.app) == {
        "/items/<int:item_id>": "item", "/tags": "tag_list"}
    item, tags = routes["/items/<int:item_id>"], routes["/tags"]
    assert (item.methods, item.file, item.line, item.function, item.decorators) == (
        ["DELETE", "GET"], "shop/__init__.py", 24, "item", ["logged"])
    assert (tags.methods, tags.file, tags.line, tags.function, tags.strict_slashes,
            tags.decorators) == (["GET"], "shop/tags.py", 13, "tags", False, [])
    assert [(d.code, d.file, d.line) for d in result.diagnostics] == [
        ("scan.decorator_above_route", "shop/tags.py", 13)]
    assert item.status != "manual" and tags.status != "manual"


def test_routes_a_decorator_adds_convert_and_answer_as_flask(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with converted_snippet(tmp_path, "shop", in_package(ROUTING), "shop_fastapi") as (
            result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/items/<int:item_id>", "/tags"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "@route(" not in router
        assert '    """One item; DELETE says what it would remove."""\n' in router
        import shop as legacy
        from shop_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = legacy.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "shop_fastapi")
        with TestClient(create_app(legacy.app), follow_redirects=False) as client:
            for method, path in [("GET", "/items/3"), ("GET", "/items/3?limit=5"),
                                 ("GET", "/items/3?limit=x"), ("DELETE", "/items/4"),
                                 ("POST", "/items/4"), ("GET", "/items/x"), ("GET", "/tags"),
                                 ("GET", "/tags/")]:
                fastapi_answer = client.request(method, path)
                flask_answer = flask_client.open(path, method=method)
                assert (fastapi_answer.status_code, fastapi_answer.content) == (
                    flask_answer.status_code, flask_answer.data), (method, path)
        # answered by the converted routes, but Flask's 405, the path no rule matches and the
        # slash strict_slashes=False lets Flask match
        assert mounted == ["/items/4", "/items/x", "/tags/"]

