"""The bridge's deferred request context: Flask's request cycle without building the request
object until something asks for it (``templates/fastapi_app/flask_compat.py``).

A converted view that no longer reads ``flask.request`` (FastAPI reads its parameters) runs
with the hooks of its blueprints but without the request object, the URL adapter or the URL
match, which are most of what Flask's request context costs. Every test here compares the
bridged answer with Flask's own (status, every header, body) and, where it matters, counts
how many request objects the legacy app built.
"""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, HTTPException
from flask import Blueprint, Flask, abort, g, request, session, url_for
from flask.ctx import RequestContext
from flask.wrappers import Request
from itsdangerous import TimestampSigner

from tests.test_flask_compat import TestClient, fc


class CountingRequest(Request):
    """Flask's request class, counting how many times the app builds one."""

    built = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).built += 1
        super().__init__(*args, **kwargs)


def make_legacy(**config: Any) -> Flask:
    """A legacy app with app, blueprint and nested-blueprint hooks of every kind."""
    app = Flask("deferred_legacy")
    app.config.update({"SECRET_KEY": "s3cret", **config})
    app.request_class = CountingRequest
    calls: list[str] = app.extensions.setdefault("calls", [])

    @app.before_request
    def app_before() -> None:
        calls.append("before:app")
        g.seen = ["app"]

    @app.after_request
    def app_after(response: Any) -> Any:
        calls.append("after:app")
        response.headers["X-Hooks"] = ",".join(g.seen)
        return response

    @app.teardown_request
    def app_teardown(exc: BaseException | None) -> None:
        calls.append(f"teardown:app:{type(exc).__name__ if exc else None}")

    api = Blueprint("api", __name__, url_prefix="/api")
    v1 = Blueprint("v1", __name__, url_prefix="/v1")

    @api.before_request
    def api_before() -> Any:
        calls.append("before:api")
        g.seen.append("api")
        return None

    @api.after_request
    def api_after(response: Any) -> Any:
        calls.append("after:api")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @api.teardown_request
    def api_teardown(exc: BaseException | None) -> None:
        calls.append("teardown:api")

    @v1.before_request
    def v1_before() -> Any:
        calls.append("before:v1")
        g.seen.append("v1")
        return None

    @v1.after_request
    def v1_after(response: Any) -> Any:
        calls.append("after:v1")
        response.headers["X-V1"] = "yes"
        return response

    @v1.route("/plain")
    def plain() -> Any:
        return {"rows": [1, 2, 3], "who": g.seen}

    @v1.route("/path")
    def path_reader() -> Any:
        return {"path": request.path, "endpoint": request.endpoint, "rule": request.url_rule.rule}

    @v1.route("/link/<int:item_id>")
    def link(item_id: int) -> Any:
        return {"self": url_for("api.v1.link", item_id=item_id), "id": item_id}

    @v1.route("/missing/<int:item_id>")
    def missing(item_id: int) -> Any:
        abort(404, f"no item {item_id}")

    @v1.route("/login", methods=["POST"])
    def login() -> Any:
        session["user"] = "ada"
        return {"ok": True}

    @v1.route("/whoami")
    def whoami() -> Any:
        return {"user": session.get("user")}

    @app.errorhandler(404)
    def not_found(e: Any) -> Any:
        return {"error": e.description, "endpoint": request.endpoint}, 404

    api.register_blueprint(v1)
    app.register_blueprint(api)
    return app


def make_fastapi(legacy: Flask) -> FastAPI:
    bridge = fc.LegacyBridge(legacy)
    router = APIRouter()

    @router.get("/api/v1/plain", name="api.v1.plain")
    @bridge.route
    def plain() -> Any:
        return {"rows": [1, 2, 3], "who": g.seen}

    @router.get("/api/v1/path", name="api.v1.path_reader")
    @bridge.route
    def path_reader() -> Any:
        return {"path": request.path, "endpoint": request.endpoint, "rule": request.url_rule.rule}

    @router.get("/api/v1/link/{item_id}", name="api.v1.link")
    @bridge.route
    def link(item_id: int) -> Any:
        return {"self": url_for("api.v1.link", item_id=item_id), "id": item_id}

    @router.get("/api/v1/missing/{item_id}", name="api.v1.missing")
    @bridge.route
    def missing(item_id: int) -> Any:
        raise HTTPException(status_code=404, detail=f"no item {item_id}")

    @router.post("/api/v1/login", name="api.v1.login")
    @bridge.route
    def login() -> Any:
        session["user"] = "ada"
        return {"ok": True}

    @router.get("/api/v1/whoami", name="api.v1.whoami")
    @bridge.route
    def whoami() -> Any:
        return {"user": session.get("user")}

    app = FastAPI()
    app.include_router(router)
    fc.mount_legacy(app, legacy)
    return app


def answer(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers (sorted, names lower-cased, no Content-Length) and body bytes of an
    httpx (TestClient) or a Werkzeug (Flask test client) response."""
    headers = sorted(
        (name.lower(), value) for name, value in response.headers.items()
        if name.lower() != "content-length"
    )
    body = response.content if hasattr(response, "content") else response.get_data()
    return response.status_code, headers, body


def both(
    path: str, method: str = "GET", build: Callable[..., Flask] = make_legacy, **config: Any
) -> tuple[Any, Any, list[str], list[str], int]:
    """Send one request to Flask and to the bridged app (fresh apps from ``build(**config)``);
    return both answers, both hook call logs, and how many request objects the bridged side
    built."""
    flask_app = build(**config)
    flask_resp = flask_app.test_client().open(path, method=method)
    legacy = build(**config)
    client = TestClient(make_fastapi(legacy))
    CountingRequest.built = 0
    bridged = client.request(method, path)
    built = CountingRequest.built
    return (
        answer(flask_resp),
        answer(bridged),
        flask_app.extensions["calls"],
        legacy.extensions["calls"],
        built,
    )


def test_a_view_and_hooks_that_never_read_the_request_build_none() -> None:
    flask_side, bridged, flask_calls, bridged_calls, built = both("/api/v1/plain")
    assert bridged == flask_side
    assert bridged_calls == flask_calls  # same hooks, same order, nested blueprints included
    assert bridged_calls[:3] == ["before:app", "before:api", "before:v1"]
    assert built == 0


def test_the_request_is_built_when_the_view_reads_it_and_matches_as_in_flask() -> None:
    flask_side, bridged, flask_calls, bridged_calls, built = both("/api/v1/path")
    assert bridged == flask_side
    assert bridged_calls == flask_calls
    assert built == 1


def test_url_for_builds_the_url_adapter_on_first_use() -> None:
    flask_side, bridged, *_ = both("/api/v1/link/7")
    assert bridged == flask_side
    assert bridged[2] == b'{"id":7,"self":"/api/v1/link/7"}\n'


def test_an_error_handler_that_reads_the_request_sees_flasks_match() -> None:
    flask_side, bridged, flask_calls, bridged_calls, built = both("/api/v1/missing/3")
    assert bridged == flask_side
    assert bridged_calls == flask_calls
    assert built == 1


def test_session_written_by_a_deferred_view_sets_the_same_cookie_and_is_read_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The signed cookie carries the second it was signed: one clock for both apps, or a
    # second that ticks between the two requests makes the cookies differ.
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_700_000_000)
    flask_side, bridged, *_ = both("/api/v1/login", method="POST")
    assert bridged == flask_side
    legacy = make_legacy()
    client = TestClient(make_fastapi(legacy))
    assert client.post("/api/v1/login").status_code == 200
    CountingRequest.built = 0
    # With the session cookie, the session is opened by Flask, which reads the request.
    assert client.get("/api/v1/whoami").json() == {"user": "ada"}
    assert CountingRequest.built == 1


def test_an_accessed_empty_session_adds_vary_cookie_as_in_flask() -> None:
    flask_side, bridged, _f, _b, built = both("/api/v1/whoami")
    assert bridged == flask_side
    assert ("vary", "Cookie") in bridged[1]
    assert built == 0


@pytest.mark.parametrize(
    "config",
    [{"TRUSTED_HOSTS": ["testserver", "localhost"]}, {"SECRET_KEY": None}],
    ids=["trusted-hosts", "no-secret-key"],
)
def test_configs_where_the_request_decides_early_use_flasks_own_context(config: dict) -> None:
    flask_side, bridged, flask_calls, bridged_calls, built = both("/api/v1/plain", **config)
    assert bridged == flask_side
    assert bridged_calls == flask_calls
    assert built == 1


def test_url_value_preprocessors_get_flasks_own_context() -> None:
    seen: list[Any] = []

    def build(app: Flask) -> Flask:
        @app.url_value_preprocessor
        def remember(endpoint: str | None, values: dict | None) -> None:
            seen.append((endpoint, values))
        return app

    legacy = build(make_legacy())
    client = TestClient(make_fastapi(legacy))
    CountingRequest.built = 0
    assert client.get("/api/v1/link/5").status_code == 200
    assert CountingRequest.built == 1
    assert seen == [("api.v1.link", {"item_id": 5})]


def test_a_before_request_answer_short_circuits_the_deferred_cycle() -> None:
    def build() -> Flask:
        app = make_legacy()

        @app.before_request
        def closed() -> Any:
            return {"error": "closed"}, 503
        return app

    expected, got, flask_calls, bridged_calls, built = both("/api/v1/plain", build=build)
    assert got == expected
    assert got[0] == 503
    assert bridged_calls == flask_calls
    assert built == 0


def test_a_teardown_hook_that_reads_the_request_gets_it() -> None:
    def build() -> Flask:
        app = make_legacy()
        paths: list[str] = app.extensions.setdefault("paths", [])

        @app.teardown_request
        def log_path(exc: BaseException | None) -> None:
            paths.append(f"{request.method} {request.path} {request.endpoint}")
        return app

    flask_app = build()
    flask_app.test_client().get("/api/v1/plain")
    legacy = build()
    TestClient(make_fastapi(legacy)).get("/api/v1/plain")
    assert legacy.extensions["paths"] == flask_app.extensions["paths"] == [
        "GET /api/v1/plain api.v1.plain"
    ]


def test_a_route_that_is_not_a_legacy_endpoint_gets_flasks_own_context() -> None:
    legacy = make_legacy()
    bridge = fc.LegacyBridge(legacy)
    app = FastAPI()

    @app.get("/api/v1/new", name="brand_new")
    @bridge.route
    def brand_new() -> Any:
        return {"ok": True}

    fc.mount_legacy(app, legacy)
    CountingRequest.built = 0
    response = TestClient(app).get("/api/v1/new")
    assert response.json() == {"ok": True}
    assert CountingRequest.built == 1
    # No legacy rule for the path: only the app-level hooks apply, as Flask would run them.
    assert response.headers["X-Hooks"] == "app"


def test_the_deferred_context_is_a_flask_request_context() -> None:
    assert issubclass(fc._DeferredRequestContext, RequestContext)
    assert fc._blueprints_of("api.v1.plain") == ("api.v1", "api")
    assert fc._blueprints_of("index") == ()


@pytest.mark.parametrize("host", ["evil.example", "localhost"])
def test_a_host_that_trusted_hosts_rejects_gets_flasks_400(host: str) -> None:
    """Flask answers 400 to a Host header outside TRUSTED_HOSTS, after the before_request
    hooks and before the view; a converted route must not serve it either."""
    config = {"TRUSTED_HOSTS": ["localhost"]}
    flask_app = make_legacy(**config)
    flask_resp = flask_app.test_client().get("/api/v1/plain", headers={"Host": host})
    legacy = make_legacy(**config)
    bridged = TestClient(make_fastapi(legacy)).get("/api/v1/plain", headers={"Host": host})
    assert answer(bridged) == answer(flask_resp)
    assert bridged.status_code == (400 if host == "evil.example" else 200)
    assert legacy.extensions["calls"] == flask_app.extensions["calls"]


def test_async_and_unhashable_hooks_run_as_flask_runs_them() -> None:
    """Flask runs ``async def`` hooks through ``ensure_sync``; a hook may also be a callable
    object that cannot be hashed (``__eq__`` without ``__hash__``)."""

    class HeaderHook:
        def __eq__(self, other: object) -> bool:
            return isinstance(other, HeaderHook)

        def __call__(self, response: Any) -> Any:
            response.headers["X-Object-Hook"] = "1"
            return response

    def build() -> Flask:
        app = make_legacy()

        @app.before_request
        async def async_before() -> None:
            g.seen.append("async")

        app.after_request(HeaderHook())
        return app

    expected, got, _f, _b, built = both("/api/v1/plain", build=build)
    assert got == expected
    assert ("x-object-hook", "1") in got[1]
    assert ("x-hooks", "app,async,api,v1") in got[1]
    assert built == 0
