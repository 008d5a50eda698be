"""View decorators that are not about authentication."""

import functools
import time

from flask import current_app, make_response, request


def timed(view):
    """Add an ``X-Elapsed`` header (milliseconds spent in the view)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        response = make_response(view(*args, **kwargs))
        response.headers["X-Elapsed"] = f"{(time.perf_counter() - started) * 1000:.2f}ms"
        return response

    return wrapper


def no_store(view):
    """``Cache-Control: no-store`` on the answer: no proxy or browser keeps a copy.

    Written before the team used ``functools.wraps``: it copies the view's name by hand, so that
    Flask names the endpoint after the view, but the wrapper's signature is ``(*args, **kwargs)``.
    """

    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    wrapper.__name__ = view.__name__
    return wrapper


def cached(seconds=60):
    """Tiny per-app, in-memory response cache keyed on the full request path.

    Only for views that return plain data (dict/list); sets ``X-Cache: HIT|MISS``.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            store = current_app.extensions.setdefault("legacy_view_cache", {})
            key = (view.__module__, view.__qualname__, request.full_path)
            now = time.monotonic()
            hit = store.get(key)
            if hit is not None and now - hit[0] < seconds:
                response = make_response(hit[1])
                response.headers["X-Cache"] = "HIT"
                return response
            value = view(*args, **kwargs)
            store[key] = (now, value)
            response = make_response(value)
            response.headers["X-Cache"] = "MISS"
            return response

        return wrapper

    return decorator
