"""Decorators that keep the view's signature in ways beside `@functools.wraps` on the wrapper.

* one that returns `functools.update_wrapper(new_func, func)` (psiTurk's `nocache`, on six of its
  pages): the scan read only `@wraps`;
* a factory that returns another factory's result (cellxgene's `cache_control(**kwargs)`, which
  returns `_cache_control(False, **kwargs)`, on eleven API routes), a decorator another's, or
  a decorator that applies a factory's decorator to its view (`return roles("admin")(view)`).

Each was "a project decorator that does not keep the view's signature" and its routes stayed on
Flask (manual). The scan now reads the wrapper `update_wrapper` names, as it reads one `@wraps`
decorates, and a decorator (or factory) as the one whose result it returns; the routes convert
and the decorator keeps running around the view, as in Flask.
"""

from __future__ import annotations

import importlib

from fastapi.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, write_files

LEGACY = '''
import functools
from functools import update_wrapper

from flask import Flask, make_response, request

app = Flask(__name__)


def nocache(func):
    """psiturk.user_utils.nocache, as written there."""
    def new_func(*args, **kwargs):
        resp = make_response(func(*args, **kwargs))
        resp.cache_control.no_cache = True
        return resp
    return update_wrapper(new_func, func)


def max_age(seconds):
    def decorator(view):
        def timed(*args, **kwargs):
            resp = make_response(view(*args, **kwargs))
            resp.cache_control.max_age = seconds
            return resp
        return functools.update_wrapper(timed, view)
    return decorator


@app.route("/ad/<int:number>")
@nocache
def ad(number):
    return {"ad": number}


@app.route("/page")
@max_age(60)
def page():
    return "<p>page</p>"


def _cache_control(always, **cache_kwargs):
    def inner_cache_control(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            response = make_response(f(*args, **kwargs))
            if always or response.status_code < 400:
                for name, value in cache_kwargs.items():
                    setattr(response.cache_control, name, value)
            return response
        return wrapper
    return inner_cache_control


def cache_control(**cache_kwargs):
    """cellxgene's: config driven there, a constant here."""
    return _cache_control(False, **cache_kwargs)


def fresh(view):
    return nocache(view)


def roles(*names):
    def decorator(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            if request.headers.get("X-Role") not in names:
                return {"error": "forbidden"}, 403
            return view(*args, **kwargs)
        return checked
    return decorator


def admin_required(view):
    return roles("admin")(view)


@app.route("/config")
@cache_control(public=True, max_age=30)
def config():
    return {"config": 1}


@app.route("/secret/<name>")
@fresh
def secret(name):
    if name == "none":
        return {"error": name}, 404
    return {"secret": name}


@app.route("/fresh")
@fresh
def fresh_page():
    return "fresh"


@app.route("/admin")
@admin_required
def admin():
    return {"admin": True}
'''


def test_each_such_decorator_is_read_as_keeping_the_view_s_signature(tmp_path) -> None:
    write_files(tmp_path, {"app.py": LEGACY})
    routes = {route.rule: route for route in scan_path(tmp_path).routes}
    for rule, name in (("/ad/<int:number>", "nocache"), ("/page", "max_age"),
                       ("/config", "cache_control"), ("/fresh", "fresh")):
        route = routes[rule]
        assert route.status == "assisted", route.reasons
        assert any(reason.startswith(f"FM022 decorator:{name}:") for reason in route.reasons), \
            route.reasons
    # a guard, as the factory's decorator is: a route dependency
    assert any(reason.startswith("FM020 decorator:admin_required:")
               for reason in routes["/admin"].reasons), routes["/admin"].reasons


def test_such_a_route_converts_and_answers_as_flask(tmp_path) -> None:
    with converted_snippet(tmp_path, "nocache_legacy", LEGACY, "nocache_fastapi") as (
            result, _, _):
        assert not result.left and len(result.converted) == 6
        app = importlib.import_module("nocache_fastapi.main").app
        legacy = importlib.import_module("nocache_legacy").app.test_client()
        with TestClient(app) as client:
            for path in ("/ad/7", "/page", "/ad/x", "/config", "/secret/a", "/secret/none",
                         "/fresh"):
                new, old = client.get(path), legacy.get(path)
                assert (new.status_code, new.content, new.headers.get("cache-control"),
                        new.headers.get("content-type")) == (
                    old.status_code, old.get_data(), old.headers.get("cache-control"),
                    old.headers.get("content-type")), path
            for role in ("admin", "user", None):
                headers = {"X-Role": role} if role else {}
                new, old = client.get("/admin", headers=headers), legacy.get("/admin",
                                                                              headers=headers)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), role
        assert client.get("/ad/7").headers["cache-control"] == "no-cache"
