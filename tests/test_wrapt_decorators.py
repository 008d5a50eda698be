"""View decorators made with wrapt (PyPI `wrapt`).

AiiDA's REST API wraps 43 of its 46 resources' methods in `close_thread_connection`, written as

    @wrapt.decorator
    def close_thread_connection(wrapped, _, args, kwargs):
        try:
            return wrapped(*args, **kwargs)
        finally:
            ...  # close the storage's connection

The decorator wrapt makes keeps the view's signature and runs this body with the view as
`wrapped` and its arguments as the tuple `args` and the dict `kwargs`: the contract of a
`functools.wraps` wrapper. The scan read it as a decorator "that does not keep the view's
signature", and kept each such route on Flask. The wrapper's body is now read as a wrapper's is:
a guard becomes a route dependency (FM020), a decorator working on the answer stays on the view
(FM022). `@wrapt.decorator(enabled=...)`, whose argument may turn it off, stays unread.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet

LEGACY = '''
import wrapt
from flask import Flask, abort, make_response, request
from wrapt import decorator

app = Flask(__name__)
CLOSED = []


@decorator
def closing(wrapped, _, args, kwargs):
    """Runs the view, then closes a connection, whatever happens."""
    try:
        return wrapped(*args, **kwargs)
    finally:
        CLOSED.append(request.path)


@wrapt.decorator
def api_key(wrapped, instance, args, kwargs):
    if request.headers.get("X-Key") != "s3cret":
        abort(401, description="key please")
    return wrapped(*args, **kwargs)


@decorator
def stamped(wrapped, instance, args, kwargs):
    response = make_response(wrapped(*args, **kwargs))
    response.headers["X-Stamp"] = "yes"
    return response


@wrapt.decorator(enabled=lambda: False)
def maybe(wrapped, instance, args, kwargs):
    abort(403)


@decorator
def extra(wrapped, instance, args, kwargs, more=1):
    return wrapped(*args, **kwargs)


@app.route("/items/<int:n>")
@closing
def item(n):
    # a comment that survives
    return {"n": n, "doubled": n * 2}


@app.get("/secret")
@api_key
def secret():
    return {"secret": 42}


@app.get("/both/<name>")
@stamped
@api_key
def both(name):
    return {"name": name}


@app.get("/maybe")
@maybe
def maybe_view():
    return "maybe"


@app.get("/extra")
@extra
def extra_view():
    return "extra"
'''


def test_the_scan_reads_wrapts_wrapper_as_a_wrapper(tmp_path: Path) -> None:
    (tmp_path / "wrapt_app").mkdir()
    (tmp_path / "wrapt_app" / "__init__.py").write_text(LEGACY, encoding="utf-8")
    routes = {route.endpoint: route for route in scan_path(tmp_path / "wrapt_app").routes}
    shapes = {endpoint: [(d.name, d.shape) for d in route.decorator_details]
              for endpoint, route in routes.items()}
    assert shapes == {
        "item": [("closing", "post_processing")],
        "secret": [("api_key", "guard")],
        "both": [("stamped", "post_processing"), ("api_key", "guard")],
        "maybe_view": [("maybe", None)],
        "extra_view": [("extra", "unread")],
    }
    assert {routes[e].status for e in ("item", "secret", "both")} == {"assisted"}
    assert routes["maybe_view"].status == routes["extra_view"].status == "manual"
    assert "`(wrapped, instance, args, kwargs)`" in routes["extra_view"].reasons[0]


def test_routes_under_such_decorators_convert_and_answer_as_in_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "wrapt_app", LEGACY, "wrapt_fastapi") as (result, out, _):
        assert sorted(left.route.endpoint for left in result.left) == ["extra_view", "maybe_view"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert router.count("dependencies=[Depends(dependencies.api_key)]") == 2
        assert "\n@closing\n" in router and "\n@stamped\n" in router
        assert "# a comment that survives" in router
        import wrapt_app
        from wrapt_fastapi.main import create_app

        new_app = create_app(wrapt_app.app)
        assert new_app.state.legacy_views_changed == {}
        flask_client = wrapt_app.app.test_client()
        with TestClient(new_app, base_url="http://localhost") as client:
            for path in ("/items/7", "/items/x", "/secret", "/both/ann", "/maybe", "/extra"):
                for headers in ({}, {"X-Key": "s3cret"}):
                    del wrapt_app.CLOSED[:]
                    old = flask_client.get(path, headers=headers)
                    closed_by_flask = list(wrapt_app.CLOSED)
                    del wrapt_app.CLOSED[:]
                    new = client.get(path, headers=headers)
                    assert (new.status_code, new.headers.get("content-type"),
                            new.headers.get("x-stamp"), new.content) == (
                        old.status_code, old.headers.get("content-type"),
                        old.headers.get("x-stamp"), old.get_data()), (path, headers)
                    assert wrapt_app.CLOSED == closed_by_flask, path
            assert client.get("/secret").status_code == 401
            assert client.get("/both/ann", headers={"X-Key": "s3cret"}).headers["x-stamp"] == "yes"
            assert client.get("/items/7").json() == {"n": 7, "doubled": 14}
