"""View decorators made with the `decorator` package (PyPI `decorator`).

httpbin and many older Flask apps write view decorators as callers of `decorator.decorator`:

    @decorator
    def gzip(f, *args, **kwargs):
        data = f(*args, **kwargs)
        ...

`gzip` is then a decorator whose wrapper has the view's own signature and runs this body with
the view as `f`: the same contract as a `functools.wraps` wrapper. The scan read it as a
decorator "that does not keep the view's signature", so every such route stayed on Flask
(httpbin's `/gzip`, `/deflate`, `/brotli`). The caller's body is now read as a wrapper's is: a
guard becomes a route dependency (FM020), a decorator working on the answer stays on the view
(FM022); a caller that takes more than `(view, *args, **kwargs)` (a decorator factory in
decorator 5, `def slow(f, limit=1, *args, **kwargs)`) stays unread, and its route on Flask.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet

LEGACY = '''
import decorator
from decorator import decorator as make_decorator
from flask import Flask, abort, jsonify, make_response, request

app = Flask(__name__)


@make_decorator
def api_key(view, *args, **kwargs):
    """401 without the key."""
    if request.headers.get("X-Key") != "s3cret":
        abort(401, description="key please")
    return view(*args, **kwargs)


@decorator.decorator
def stamped(f, *args, **kwargs):
    response = make_response(f(*args, **kwargs))
    response.headers["X-Stamp"] = "yes"
    return response


@make_decorator
def slow(f, limit=1, *args, **kwargs):
    return f(*args, **kwargs)


@app.get("/secret")
@api_key
def secret():
    return jsonify(secret=42)


@app.get("/items/<int:item_id>")
@stamped
def item(item_id):
    # a comment that survives
    return jsonify(id=item_id, doubled=item_id * 2)


@app.get("/both/<name>")
@stamped
@api_key
def both(name):
    return {"name": name}


@app.get("/slow")
@slow
def slow_view():
    return "slow"
'''


def test_the_scan_reads_the_callers_body_as_a_wrapper(tmp_path: Path) -> None:
    (tmp_path / "deco_app").mkdir()
    (tmp_path / "deco_app" / "__init__.py").write_text(LEGACY, encoding="utf-8")
    routes = {route.endpoint: route for route in scan_path(tmp_path / "deco_app").routes}
    shapes = {endpoint: [(d.name, d.shape) for d in route.decorator_details]
              for endpoint, route in routes.items()}
    assert shapes == {
        "secret": [("api_key", "guard")],
        "item": [("stamped", "post_processing")],
        "both": [("stamped", "post_processing"), ("api_key", "guard")],
        "slow_view": [("slow", "unread")],
    }
    assert routes["slow_view"].status == "manual"
    assert any("(view, *args, **kwargs)" in reason for reason in routes["slow_view"].reasons)
    assert {routes[e].status for e in ("secret", "item", "both")} == {"assisted"}


def test_routes_under_such_decorators_convert_and_answer_as_in_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "deco_app", LEGACY, "deco_fastapi") as (result, out, _):
        assert [left.route.endpoint for left in result.left] == ["slow_view"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        # the guard is a route dependency; the decorator working on the answer stays on the view
        assert "dependencies=[Depends(dependencies.api_key)]" in router
        assert router.count("\n@stamped\n") == 2
        assert "# a comment that survives" in router
        import deco_app
        from deco_fastapi.main import create_app

        flask_client = deco_app.app.test_client()
        with TestClient(create_app(deco_app.app), base_url="http://localhost") as client:
            for path in ("/secret", "/items/7", "/items/x", "/both/ann", "/slow"):
                for headers in ({}, {"X-Key": "wrong"}, {"X-Key": "s3cret"}):
                    old, new = flask_client.get(path, headers=headers), client.get(
                        path, headers=headers)
                    assert (new.status_code, new.headers.get("content-type"),
                            new.headers.get("x-stamp"), new.content) == (
                        old.status_code, old.headers.get("content-type"),
                        old.headers.get("x-stamp"), old.get_data()), (path, headers)
            assert client.get("/secret").status_code == 401
            assert client.get("/items/7").headers["x-stamp"] == "yes"
