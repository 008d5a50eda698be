"""A route-making function that derives the rule, the method and the endpoint from the name of
the function it is given (fava 1.30's JSON API, 35 endpoints):

    def api_endpoint(func):
        method, _, name = func.__name__.partition("_")

        @json_api.route(f"/{name}", methods=[method])
        @wraps(func)
        def _wrapper():
            ...

    @api_endpoint
    def get_changed(): ...

    api_endpoint(get_errors)

The scan listed one route, its rule unresolved ("`func.__name__.partition("_")` is computed at
run time"). It now reads each bare use of the decorator as the call Python makes of it
(`api_endpoint(get_changed)`), the names a tuple assignment unpacks from `partition` (and
`rpartition`, `split`, `rsplit`) of a string it knows, and the endpoint `functools.wraps(func)`
names after the function passed: one route per call, as Flask's URL map has them.

The routes stay on Flask for now (`decorator:wraps`): the converted view would have to drop
`@wraps(func)`, which only copies the function's metadata, and find the legacy view's closure
below it; the converter does not do that yet.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import describe_difference, scanned_keys, write_tree

JSON_API = '''
from functools import wraps

from flask import Blueprint, Flask, jsonify, request

json_api = Blueprint("json_api", __name__)


def get_errors():
    """List the errors."""
    return ["e1"]


def api_endpoint(func):
    """The part of the function name up to the first underscore is the method."""
    method, _, name = func.__name__.partition("_")
    if method not in {"get", "delete", "put"}:
        raise ValueError(func.__name__)

    @json_api.route(f"/{name}", methods=[method])
    @wraps(func)
    def _wrapper():
        if method == "put":
            res = func(request.get_json(silent=True))
        else:
            res = func()
        return jsonify({"data": res, "method": method})

    return _wrapper


@api_endpoint
def get_changed():
    """Check for file changes."""
    return False


@api_endpoint
def put_note(data):
    return {"saved": data}


api_endpoint(get_errors)


def create_app():
    app = Flask(__name__)
    app.register_blueprint(json_api, url_prefix="/api")
    return app
'''


def test_each_use_is_a_route_named_after_its_function(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"ledger/__init__.py": JSON_API})
    scanned = scanned_keys(root)
    runtime = runtime_url_map("ledger:create_app()", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert scanned == {("/api/changed", frozenset({"GET"}), "json_api.get_changed"),
                       ("/api/note", frozenset({"PUT"}), "json_api.put_note"),
                       ("/api/errors", frozenset({"GET"}), "json_api.get_errors")}
    for route in scan_path(root).routes:
        # what the converter cannot do yet is said, and the route stays on Flask
        assert route.status == "manual"
        assert any(reason.startswith("decorator:wraps") for reason in route.reasons)


SPLITS = '''
from flask import Flask

app = Flask(__name__)


def page(func):
    _, _, name = func.__name__.rpartition("_")
    verb, noun = func.__name__.split("_", 1)

    @app.route(f"/{noun}/{name}", methods=[verb], endpoint=f"{verb}-{noun}")
    def view():
        return func()

    return view


@page
def get_user_name():
    return "n"


def post_user_key():
    return "k"


page(post_user_key)
'''


def test_rpartition_and_split_with_a_limit_are_read(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"wiki/__init__.py": SPLITS})
    scanned = scanned_keys(root)
    runtime = runtime_url_map("wiki:app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert ("/user_name/name", frozenset({"GET"}), "get-user_name") in scanned


UNREAD = '''
from functools import wraps

from flask import Flask

app = Flask(__name__)


def logged(view):
    @wraps(view)
    def inner():
        return view()

    return inner


def api_endpoint(func):
    verb, _, rest = func.__name__.partition("_")

    @app.route(f"/{rest}", methods=[verb])
    def _wrapper():
        return func()

    return _wrapper


@api_endpoint
@logged
def get_status():
    return "ok"


def get_version():
    return "1"


api_endpoint(get_version)
'''


def test_a_use_above_another_decorator_is_not_guessed(tmp_path: Path) -> None:
    """Python passes `api_endpoint` what `@logged` made of `get_status`, which the scan does not
    read: that route is listed unresolved (and stays on Flask), the other with its rule."""
    root = write_tree(tmp_path, {"svc/__init__.py": UNREAD})
    routes = {route.rule: route for route in scan_path(root).routes}
    assert len(routes) == 2
    assert routes["/version"].methods == ["GET"]
    unread = next(route for rule, route in routes.items() if rule != "/version")
    assert unread.rule == "<unresolved: `func.__name__` is not a constant the scan can read>"
    assert unread.status == "manual"
