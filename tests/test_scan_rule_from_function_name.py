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

`@wraps(func)` on the view only copies the metadata of the function passed (a module-level
function no decorator wraps): its `__name__` (the endpoint's), `__doc__`, `__wrapped__`. The
scan records it as `view_wraps`, not as a decorator, so the routes convert: the converted view
(named after the function passed) takes `func`, `method` and the rest from the closure of the
view Flask registered (FM026), found in the registered view's `__wrapped__` chain by its code's
own name, since `functools.wraps` replaced its `__qualname__`. The generated app's start-up
check finds that view, with the function passed below it, or leaves the route to Flask.
"""

from __future__ import annotations

import functools
from pathlib import Path

from migrator.scan import scan_path
from tests.example_support import (
    assert_answered_alike,
    converted_snippet,
    paths_the_legacy_mount_serves,
)
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
        assert route.decorators == []  # @wraps(func) only copies the metadata of:
        assert route.view_wraps == f"ledger.{route.endpoint.partition('.')[2]}"
        assert route.status == "assisted"
        assert "@wraps(...) only copies the metadata of ledger." in " ".join(route.reasons)


def test_each_converted_route_runs_its_own_call_s_function(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "ledger", JSON_API, "ledger_fastapi") as (result, out, _):
        assert sorted(view.route.endpoint for view in result.converted) == [
            "json_api.get_changed", "json_api.get_errors", "json_api.put_note"]
        router = (out / "routers" / "json_api.py").read_text()
        assert "def get_changed():" in router  # named as Flask's view is, after wraps
        assert ('func = enclosing_value("json_api.get_changed", "func", '
                'view="api_endpoint._wrapper")') in router
        import ledger
        from ledger_fastapi.main import create_app
        from starlette.testclient import TestClient

        legacy = ledger.create_app()
        flask_client = legacy.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "ledger_fastapi")
        with TestClient(create_app(legacy)) as client:
            assert_answered_alike(flask_client, client, [
                ("GET", "/api/changed"), ("GET", "/api/errors"), ("DELETE", "/api/errors"),
                ("PUT", "/api/note")])
            new = client.put("/api/note", json={"text": "a"})
            old = flask_client.put("/api/note", json={"text": "a"})
            assert (new.status_code, new.content) == (old.status_code, old.data)
            assert new.json() == {"data": {"saved": {"text": "a"}}, "method": "put"}
        # the 405 of DELETE only; the PUT without a body is the converted view's (Flask's
        # `get_json(silent=True)` gives None, as in Flask)
        assert mounted == ["/api/errors"]


def test_a_view_replaced_after_registration_is_left_to_flask(tmp_path: Path, monkeypatch,
                                                             caplog) -> None:
    """functools.wraps gave the view `get_changed`'s `__qualname__` and `__module__`: the
    start-up check tells it by its code, so a replacement that also says `get_changed` is
    found out."""
    with converted_snippet(tmp_path, "ledger", JSON_API, "ledger_fastapi"):
        import functools

        import ledger
        from ledger_fastapi.main import create_app
        from starlette.testclient import TestClient

        legacy = ledger.create_app()
        original = legacy.view_functions["json_api.get_changed"]
        legacy.view_functions["json_api.get_changed"] = functools.wraps(original)(
            lambda: "replaced")
        legacy.view_functions["json_api.get_errors"] = functools.wraps(ledger.get_errors)(
            lambda: "replaced too")
        mounted = paths_the_legacy_mount_serves(monkeypatch, "ledger_fastapi")
        with TestClient(create_app(legacy)) as client:
            assert client.get("/api/changed").text == "replaced"
            assert client.get("/api/errors").text == "replaced too"
            assert client.put("/api/note", json={}).json()["method"] == "put"
        assert mounted == ["/api/changed", "/api/errors"]
        assert "json_api.get_changed" in caplog.text and "json_api.get_errors" in caplog.text


DECORATED = JSON_API.replace('''
def get_errors():
''', '''
def logged(view):
    @wraps(view)
    def inner(*args):
        return view(*args)

    return inner


@logged
def get_errors():
''')


def test_a_decorated_function_passed_keeps_its_route_on_flask(tmp_path: Path) -> None:
    """`functools.wraps` copies the `__dict__` of what it is given, which a decorator the scan
    does not read may have filled (`required_methods`, `provide_automatic_options`: Flask reads
    them when it adds the rule): only a plain function's copy is known to change nothing."""
    root = write_tree(tmp_path, {"ledger/__init__.py": DECORATED})
    routes = {route.endpoint: route for route in scan_path(root).routes}
    assert routes["json_api.get_errors"].decorators == ["wraps"]
    assert routes["json_api.get_errors"].status == "manual"
    assert routes["json_api.get_changed"].status == "assisted"


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


def _endpoint_maker(func):
    @functools.wraps(func)
    def view():
        return func()

    return view


def _one():
    return 1


def _two():
    return 2


def test_the_start_up_check_tells_the_view_by_its_code_and_what_it_wraps() -> None:
    from templates.fastapi_app.flask_compat import _nested_view_change

    view = _endpoint_maker(_one)
    assert view.__qualname__ == "_one"  # functools.wraps renamed it
    assert _nested_view_change(view, __name__, "_endpoint_maker.view", 0,
                               f"{__name__}._one") is None
    assert "does not wrap" in _nested_view_change(view, __name__, "_endpoint_maker.view", 0,
                                                  f"{__name__}._two")
    # one wrapper more than converted: the function at that place is `_one`, not the view
    assert "not tests." in _nested_view_change(view, __name__, "_endpoint_maker.view", 1,
                                               f"{__name__}._one")
    wrapped = functools.wraps(view)(lambda: view())
    assert _nested_view_change(wrapped, __name__, "_endpoint_maker.view", 1,
                               f"{__name__}._one") is None
