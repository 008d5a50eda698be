"""The legacy app behind the FastAPI routes: ``flask_compat.LegacyMount`` and ``LegacyShortcut``.

``mount_legacy`` mounts the legacy Flask app at ``"/"`` as a ``LegacyMount`` (a WSGI adapter
that shares the bridge's environ and thread pool, so a short legacy view runs in place on the
event loop) and puts a ``LegacyShortcut`` first among the app's routes (a path no FastAPI
route can match goes straight to the mount). These tests check that routes left on Flask
answer as Flask does, where their calls run, that streamed answers and streamed request
bodies never hold the event loop, and that the shortcut changes no routing decision.
"""

import asyncio
import hashlib
import re
import threading
import time
from typing import Any

import anyio
import anyio.to_thread
import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from flask import Flask, Response, request, stream_with_context
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import Host, Match

from tests.test_flask_compat import TestClient, fc

#: The event loop's thread in the test that is running (set by ``on_one_loop``).
LOOP_THREAD: list[int] = [0]


def where() -> str:
    return "loop" if threading.get_ident() == LOOP_THREAD[0] else "thread"


def legacy_app() -> Flask:
    app = Flask("legacy_mount_test")
    app.secret_key = "test"
    app.config["RELEASE"] = threading.Event()
    app.config["CLOSED"] = []
    app.config["PRODUCED"] = threading.Event()
    app.config["READ"] = []

    @app.get("/hello")
    def hello() -> Any:
        return {"hello": request.args.get("name", "world")}, 200, {"X-Legacy": "yes"}

    @app.get("/short")
    def short() -> Any:
        return {"ran": where()}

    @app.post("/form")
    def form() -> Any:
        return {"fields": request.form.to_dict(), "cookie": request.cookies.get("c")}

    @app.get("/slash/")
    def slash() -> Any:
        return "slash"

    @app.get("/waits")
    def waits() -> Any:
        time.sleep(0.06)  # longer than lenient_pool()'s inline limit (50 ms), on every call
        return {"ran": where()}

    @app.post("/upload")
    def upload() -> Any:
        data = request.get_data()
        return {"size": len(data), "sha": hashlib.sha256(data).hexdigest(), "ran": where()}

    @app.get("/stream")
    def stream() -> Any:
        started_on = where()
        view_thread = threading.get_ident()

        def chunks() -> Any:
            yield f"started {started_on};"
            # Until another request sets the event: if this ran on the event loop's thread,
            # that request could never run.
            released = app.config["RELEASE"].wait(timeout=10)
            app.config["RELEASE"].clear()
            same = "the view's" if threading.get_ident() == view_thread else "another"
            yield f"released {released} ({where()}, {same}) for {request.args['who']};"
            yield "end"

        response = Response(stream_with_context(chunks()), mimetype="text/plain")
        response.call_on_close(lambda: app.config["CLOSED"].append("stream"))
        return response

    @app.get("/lines")
    def lines() -> Any:
        """200 small chunks at once, then it says so (one JSON document per line, say)."""

        def numbered() -> Any:
            for n in range(200):
                yield f"{n}\n"
            app.config["PRODUCED"].set()

        response = Response(numbered(), mimetype="text/plain")
        response.call_on_close(lambda: app.config["CLOSED"].append("lines"))
        return response

    @app.get("/endless")
    def endless() -> Any:
        def kilobytes() -> Any:
            while True:
                app.config["READ"].append(1)
                yield b"k" * 1024

        response = Response(kilobytes(), mimetype="application/octet-stream")
        response.call_on_close(lambda: app.config["CLOSED"].append("endless"))
        return response

    @app.get("/broken")
    def broken() -> Any:
        def lines() -> Any:
            yield "read before the failure;"
            yield "and this;"
            raise RuntimeError("the stream broke off")

        response = Response(lines(), mimetype="text/plain")
        response.call_on_close(lambda: app.config["CLOSED"].append("broken"))
        return response

    @app.get("/release")
    def release() -> Any:
        app.config["RELEASE"].set()
        return "released"

    @app.get("/closed")
    def closed() -> Any:
        response = Response("buffered")
        response.call_on_close(lambda: app.config["CLOSED"].append("buffered"))
        return response

    @app.get("/boom")
    def boom() -> Any:
        raise RuntimeError("boom")

    return app


def on_one_loop(app: Any, requests: Any) -> Any:
    """Run ``requests(client)`` (a coroutine function) with an httpx client on one event loop."""

    async def main() -> Any:
        LOOP_THREAD[0] = threading.get_ident()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await requests(client)

    return asyncio.run(main())


def mounted(legacy: Flask, pool: fc.LegacyThreadPool | None = None,
            **mount_options: Any) -> FastAPI:
    """A FastAPI app with one route of its own and ``legacy`` behind it, as ``mount_legacy``
    builds it (``mount_options`` go to the ``LegacyMount``; ``pool``: the thread pool, by
    default the generated app's)."""
    app = FastAPI()

    @app.get("/fastapi/{item_id}")
    def fastapi_item(item_id: int) -> dict[str, Any]:
        return {"fastapi": item_id}

    fc.mount_legacy(app, legacy, pool or fc.LegacyThreadPool())
    mount = app.router.routes[-1].app
    assert isinstance(mount, fc.LegacyMount)
    for name, value in mount_options.items():
        assert hasattr(mount, name), name
        setattr(mount, name, value)
    return app


# --------------------------------------------------------------------------------------
# the mount
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "options"),
    [
        ("GET", "/hello?name=caf%C3%A9", {}),
        ("POST", "/form", {"data": {"a": "1", "b": "two"}, "cookies": {"c": "crumb"}}),
        ("GET", "/slash", {}),  # Flask's redirect to the slash
        ("GET", "/missing", {}),
        ("POST", "/hello", {}),  # 405
        ("HEAD", "/hello", {}),
        ("OPTIONS", "/hello", {}),
    ],
)
def test_routes_left_on_flask_answer_as_flask_does(method: str, path: str, options: Any) -> None:
    legacy = legacy_app()
    cookies = options.pop("cookies", {})
    flask_client = legacy.test_client()
    for name, value in cookies.items():
        flask_client.set_cookie(name, value)
    flask_answer = flask_client.open(path, method=method, **options)
    with TestClient(mounted(legacy), base_url="http://localhost") as client:
        client.cookies.update(cookies)
        answer = client.request(method, path, follow_redirects=False, **options)
    assert answer.status_code == flask_answer.status_code
    assert answer.content == flask_answer.data
    for header in ("Content-Type", "Content-Length", "Location", "Allow", "X-Legacy"):
        assert answer.headers.get(header) == flask_answer.headers.get(header), header


def lenient_pool() -> fc.LegacyThreadPool:
    """A pool whose views count as short up to 50 ms, not 5: these tests check where calls
    run, and a call of a tiny view can take 5 ms in a thread on a loaded machine (a CI
    runner), which would keep it there one round longer."""
    return fc.LegacyThreadPool(inline_limit=0.05)


def test_a_short_legacy_view_runs_in_place_after_three_calls_and_one_that_waits_stays_in_threads() -> (
    None
):
    app = mounted(legacy_app(), lenient_pool())

    async def requests(client: httpx.AsyncClient) -> tuple[list[str], list[str]]:
        short = [(await client.get("/short")).json()["ran"] for _ in range(8)]
        waits = [(await client.get("/waits")).json()["ran"] for _ in range(8)]
        return short, waits

    short, waits = on_one_loop(app, requests)
    assert short == ["thread"] * 3 + ["loop"] * 5
    assert waits == ["thread"] * 8


def test_a_streamed_answer_is_read_in_threads_and_never_holds_the_event_loop() -> None:
    """The generator waits until another request has run. The view and every chunk run in one
    thread, as under a WSGI server (a generator may use the view's sqlite3 connection, which
    refuses other threads), in the view's context (``stream_with_context`` reads ``request``
    there); a view whose answer waits this long never moves in place."""
    legacy = legacy_app()
    app = mounted(legacy, lenient_pool())

    async def one_round(client: httpx.AsyncClient, n: int) -> str:
        async def release_soon() -> None:
            await asyncio.sleep(0.05)
            assert (await client.get("/release")).text == "released"

        answer, _ = await asyncio.gather(client.get(f"/stream?who={n}"), release_soon())
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/plain; charset=utf-8"
        assert "content-length" not in answer.headers
        return answer.text

    async def requests(client: httpx.AsyncClient) -> list[str]:
        return [await one_round(client, n) for n in range(5)]

    answers = on_one_loop(app, requests)
    assert answers == [
        f"started thread;released True (thread, the view's) for {n};end" for n in range(5)
    ]
    assert legacy.config["CLOSED"] == ["stream"] * 5


def receive_of_a_client_that_stays() -> Any:
    """An ASGI ``receive`` for a GET: its (empty) body, then nothing; the client never leaves."""
    body_sent = False

    async def receive() -> dict[str, Any]:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    return receive


def call_mount(app: FastAPI, path: str, send: Any) -> None:
    """Call the legacy mount of ``app`` for a GET of ``path`` with the ASGI ``send`` given."""
    mount = app.router.routes[-1].app
    asyncio.run(mount(http_scope(path), receive_of_a_client_that_stays(), send))


def test_a_stream_of_many_small_chunks_is_sent_in_few_messages() -> None:
    """The thread that reads a streamed answer does not wait for each chunk to be sent (a round
    trip to the event loop per chunk cost a stream of small chunks 2.5 times Flask's CPU): it
    reads on while the loop sends, and the loop sends all that has come in one message. Here
    the first chunk's send takes until the view has made all 200; the 199 others then leave
    together, and the answer is whole and closed."""
    legacy = legacy_app()
    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and len(messages) == 2:
            await anyio.to_thread.run_sync(legacy.config["PRODUCED"].wait, 10)

    call_mount(mounted(legacy), "/lines", send)
    assert messages[0]["type"] == "http.response.start" and messages[0]["status"] == 200
    bodies = messages[1:]
    assert b"".join(m["body"] for m in bodies) == "".join(f"{n}\n" for n in range(200)).encode()
    assert [m["more_body"] for m in bodies][-1] is False
    assert len(bodies) <= 3, [m["body"][:20] for m in bodies]
    assert legacy.config["CLOSED"] == ["lines"]


def test_a_stream_the_client_does_not_read_is_read_only_so_far_ahead_and_a_failed_send_stops_it(
) -> None:
    """While the first chunk's send hangs (a client that reads nothing), the thread reads
    ``QUEUED_BYTES`` ahead and then waits, as a WSGI server's write waits on a full socket. When
    that send fails, the thread stops reading, the stream is closed and the error reaches the
    server."""
    legacy = legacy_app()
    fail = threading.Event()

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            await anyio.to_thread.run_sync(fail.wait, 10)
            raise OSError("the client's socket is gone")

    def watch() -> None:
        deadline = time.monotonic() + 10
        while len(legacy.config["READ"]) < 64 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # time to read on, were it not held back
        read_ahead.append(len(legacy.config["READ"]))
        fail.set()

    read_ahead: list[int] = []
    watcher = threading.Thread(target=watch)
    watcher.start()
    with pytest.raises(OSError, match="socket is gone"):
        call_mount(mounted(legacy), "/endless", send)
    watcher.join()
    ahead = fc._StreamFromThread.QUEUED_BYTES // 1024
    assert ahead <= read_ahead[0] <= ahead + 3
    assert legacy.config["CLOSED"] == ["endless"]
    assert len(legacy.config["READ"]) <= ahead + 4


def test_a_stream_that_breaks_off_sends_what_was_read_and_the_error_reaches_the_server() -> None:
    """As under a WSGI server, which has written the chunks read before the failure: they are
    sent (never the end of the body), the answer is closed, and the error reaches the ASGI
    server, which then drops the connection."""
    legacy = legacy_app()
    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    with pytest.raises(RuntimeError, match="the stream broke off"):
        call_mount(mounted(legacy), "/broken", send)
    assert messages[0]["type"] == "http.response.start"
    assert b"".join(m["body"] for m in messages[1:]) == b"read before the failure;and this;"
    assert all(m["more_body"] for m in messages[1:])
    assert legacy.config["CLOSED"] == ["broken"]


def test_a_large_or_chunked_request_body_streams_to_the_legacy_view_in_a_thread() -> None:
    legacy = legacy_app()
    app = mounted(legacy, max_buffered_body=16)
    payload = bytes(range(256)) * 400  # 100 KiB

    async def chunked() -> Any:
        for start in range(0, len(payload), 4096):
            yield payload[start : start + 4096]

    async def requests(client: httpx.AsyncClient) -> list[Any]:
        answers = []
        for _ in range(5):
            answers.append((await client.post("/upload", content=payload)).json())
            answers.append((await client.post("/upload", content=chunked())).json())
        answers.append((await client.post("/upload", content=b"small")).json())
        return answers

    answers = on_one_loop(app, requests)
    expected = {"size": len(payload), "sha": hashlib.sha256(payload).hexdigest(), "ran": "thread"}
    assert answers[:10] == [expected] * 10
    assert answers[10]["size"] == 5


def test_the_legacy_answer_is_closed_whether_buffered_or_streamed() -> None:
    legacy = legacy_app()
    with TestClient(mounted(legacy, max_buffered_answer=4)) as client:
        assert client.get("/closed").text == "buffered"  # 8 bytes: streamed past the limit
        legacy.config["RELEASE"].set()
        assert client.get("/stream?who=x").text.endswith("end")
    with TestClient(mounted(legacy)) as client:
        assert client.get("/closed").text == "buffered"
    assert legacy.config["CLOSED"] == ["buffered", "stream", "buffered"]


def test_an_exception_the_legacy_app_lets_out_reaches_the_server() -> None:
    legacy = legacy_app()
    legacy.config["PROPAGATE_EXCEPTIONS"] = True
    with TestClient(mounted(legacy)) as client, pytest.raises(RuntimeError, match="boom"):
        client.get("/boom")
    legacy.config["PROPAGATE_EXCEPTIONS"] = False
    with TestClient(mounted(legacy)) as client:
        assert client.get("/boom").status_code == 500


def test_a_websocket_to_the_legacy_app_is_closed() -> None:
    from starlette.websockets import WebSocketDisconnect

    with (
        TestClient(mounted(legacy_app())) as client,
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/hello") as websocket,
    ):
        websocket.receive_text()


# --------------------------------------------------------------------------------------
# the shortcut
# --------------------------------------------------------------------------------------


def http_scope(path: str, method: str = "GET") -> dict[str, Any]:
    return {
        "type": "http", "method": method, "path": path, "root_path": "", "headers": [],
        "query_string": b"",
    }  # fmt: skip


def test_the_shortcut_sends_paths_no_route_knows_straight_to_the_mount() -> None:
    app = mounted(legacy_app())
    shortcut, legacy = app.router.routes[0], app.router.routes[-1]
    assert isinstance(shortcut, fc.LegacyShortcut)
    assert shortcut.matches(http_scope("/hello")) == legacy.matches(http_scope("/hello"))
    assert shortcut.matches(http_scope("/hello"))[0] is Match.FULL
    for path in ("/fastapi/3", "/docs", "/openapi.json"):
        assert shortcut.matches(http_scope(path)) == (Match.NONE, {})
    with TestClient(app) as client:
        assert client.get("/fastapi/3").json() == {"fastapi": 3}
        assert client.get("/hello").json()["hello"] == "world"
        # A path FastAPI knows, with a method it lacks: still Flask's, through the mount.
        assert client.post("/fastapi/3").status_code == 404


def test_routes_added_after_the_first_request_are_seen() -> None:
    app = mounted(legacy_app())
    router = APIRouter()

    @router.get("/hello")
    def fastapi_hello() -> str:
        return "fastapi"

    with TestClient(app) as client:
        assert client.get("/hello").json()["hello"] == "world"
        app.router.routes.insert(1, APIRoute("/hello", fastapi_hello, methods=["GET"]))
        assert client.get("/hello").json() == "fastapi"

    # A route added to a router after it was included: FastAPI 0.137+ serves it, earlier
    # versions copied the router's routes when it was included and do not.
    app = mounted(legacy_app())
    late = APIRouter()
    inner = APIRouter()
    late.include_router(inner)
    app.include_router(late)
    app.router.routes.insert(1, app.router.routes.pop())  # before the mount
    without = mounted(legacy_app())
    without.include_router(late)
    without.router.routes.insert(1, without.router.routes.pop())
    del without.router.routes[0]
    with TestClient(app) as client, TestClient(without) as plain:
        assert client.get("/short").status_code == plain.get("/short").status_code == 200
        inner.add_api_route("/short", fastapi_hello, methods=["GET"])
        assert client.get("/short").json() == plain.get("/short").json()


def test_the_shortcut_stands_aside_when_a_route_may_match_on_more_than_its_path() -> None:
    class AnyPathRoute(APIRoute):
        def matches(self, scope: Any) -> Any:
            return Match.FULL, {"endpoint": self.endpoint, "path_params": {}, "route": self}

    for extra in (
        Host("api.example.com", app=FastAPI()),
        AnyPathRoute("/only-here", lambda: "custom", methods=["GET"]),
    ):
        app = mounted(legacy_app())
        app.router.routes.insert(1, extra)
        assert app.router.routes[0].matches(http_scope("/hello")) == (Match.NONE, {})
    with TestClient(app) as client:
        assert client.get("/hello").json() == "custom"  # as without the shortcut


def test_urls_and_the_openapi_schema_are_unchanged() -> None:
    with_shortcut = mounted(legacy_app())
    without = mounted(legacy_app())
    del without.router.routes[0]
    assert with_shortcut.openapi() == without.openapi()
    assert with_shortcut.url_path_for("fastapi_item", item_id=3) == "/fastapi/3"
    assert with_shortcut.url_path_for("legacy", path="/hello") == "/hello"


SEGMENTS = st.sampled_from(["fastapi", "3", "x", "", "docs", "openapi.json", "api", "hello"])


@settings(max_examples=150, deadline=None)
@given(
    segments=st.lists(SEGMENTS, min_size=0, max_size=4),
    method=st.sampled_from(["GET", "POST", "HEAD"]),
)
def test_the_shortcut_changes_no_routing_decision(segments: list[str], method: str) -> None:
    """With or without the shortcut, every request reaches the same route (or none)."""
    path = "/" + "/".join(segments)
    with_shortcut = mounted(legacy_app())
    without = mounted(legacy_app())
    del without.router.routes[0]

    def route_taken(app: FastAPI) -> Any:
        scope = http_scope(path, method)
        for route in app.router.routes:
            match, _child = route.matches(dict(scope))
            if match is Match.FULL:
                return getattr(route, "legacy", route)
        return None

    assert route_taken(with_shortcut) is not None
    legacy_mount = without.router.routes[-1]
    taken_with, taken_without = route_taken(with_shortcut), route_taken(without)
    if taken_without is legacy_mount:
        assert taken_with is with_shortcut.router.routes[-1]
    else:
        assert getattr(taken_with, "path", None) == taken_without.path


def with_routers(shortcut: bool = True) -> FastAPI:
    """The legacy app behind three included routers whose paths overlap, and a route of the
    app's own list (FastAPI's own names: no route stands for a legacy endpoint)."""
    app = FastAPI()
    first, second, third = APIRouter(), APIRouter(prefix="/api"), APIRouter()
    routes = [
        (first, "/items/{item_id:int}", ["GET"], "first.int"),
        (first, "/items/{name}", ["POST"], "first.post"),
        (second, "/items/{name}", ["GET", "PUT"], "second.name"),
        (third, "/items/{name}", ["GET"], "third.name"),
        (third, "/api/items/special", ["GET"], "third.special"),
        (third, "/hello", ["DELETE"], "third.hello"),
    ]
    for router, path, methods, name in routes:
        router.add_api_route(path, answers_as(name), methods=methods, name=name)
    third.add_api_websocket_route("/socket", lambda: None)
    for router in (first, second, third):
        app.include_router(router)
    app.add_api_route("/own/{x}", answers_as("own"), methods=["GET"])
    fc.mount_legacy(app, legacy_app(), fc.LegacyThreadPool())
    if not shortcut:
        del app.router.routes[0]
    return app


ROUTER_SEGMENTS = st.sampled_from(["items", "api", "3", "x", "special", "hello", "own", "socket"])


@settings(max_examples=120, deadline=None)
@given(
    segments=st.lists(ROUTER_SEGMENTS, min_size=1, max_size=3),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD"]),
)
def test_a_request_handed_to_an_included_router_is_answered_as_starlette_routes_it(
        segments: list[str], method: str) -> None:
    """The shortcut hands a request to the included router of the first route whose path
    matches, when that route takes the method: the answer is the one Starlette's own routing
    gives (FastAPI 0.137+; earlier versions list every route in the app's list)."""
    path = "/" + "/".join(segments)
    with TestClient(with_routers()) as client, TestClient(with_routers(False)) as plain:
        answer, expected = client.request(method, path), plain.request(method, path)
    assert (answer.status_code, answer.content, answer.headers.get("allow")) == (
        expected.status_code, expected.content, expected.headers.get("allow"))


def test_a_route_of_a_later_router_is_reached_without_trying_the_routers_before_it() -> None:
    app = with_routers()
    included = [route for route in app.router.routes if hasattr(route, "original_router")]
    if not included:
        pytest.skip("this FastAPI copies the routes of an included router into the app's list")
    tried: list[int] = []
    for number, route in enumerate(included):
        route.matches = lambda scope, number=number, matches=route.matches: (
            tried.append(number), matches(scope))[1]
    with TestClient(app) as client:
        assert client.delete("/hello").json() == {"fastapi": "third.hello"}
        assert client.get("/api/items/special").json() == {"fastapi": "second.name"}
        assert client.get("/items/3").json() == {"fastapi": "first.int"}
        assert client.post("/items/x").json() == {"fastapi": "first.post"}
        assert tried == []
        # the first route of that path takes another method: routing as before
        assert client.get("/items/x").json() == {"fastapi": "third.name"}
        assert tried == [0, 1, 2]


# --------------------------------------------------------------------------------------
# Flask's choice among overlapping rules
# --------------------------------------------------------------------------------------


def overlapping_legacy_app() -> Flask:
    """Rules that share paths: Werkzeug picks the most specific, whatever their order."""
    app = Flask("overlapping_rules_test")
    for rule, endpoint in [
        ("/x/<name>", "x_by_name"), ("/x/me", "x_me"),
        ("/n/<name>", "n_by_name"), ("/n/<int:number>", "n_by_number"),
        ("/s/<path:rest>", "s_rest"), ("/s/fixed", "s_fixed"),
        ("/native/me", "native_me"),
    ]:  # fmt: skip
        app.add_url_rule(rule, endpoint, lambda endpoint=endpoint, **_: {"flask": endpoint})
    return app


def answers_as(name: str) -> Any:
    def endpoint() -> dict[str, str]:
        return {"fastapi": name}

    return endpoint


def overlapping_app() -> FastAPI:
    """Converted routes (named after their legacy endpoints) in an order Starlette would get
    wrong; x_me and s_fixed are left on Flask; native is FastAPI's own."""
    app = FastAPI()
    router = APIRouter()
    for path, name in [
        ("/x/{name}", "x_by_name"),
        ("/n/{name}", "n_by_name"), ("/n/{number:int}", "n_by_number"),
        ("/s/{rest:path}", "s_rest"),
        ("/native/{name}", "native"),
    ]:  # fmt: skip
        router.add_api_route(path, answers_as(name), name=name)
    app.include_router(router)
    fc.mount_legacy(app, overlapping_legacy_app(), fc.LegacyThreadPool())
    return app


@pytest.mark.parametrize(
    ("path", "served_by"),
    [
        ("/x/me", {"flask": "x_me"}),  # a static rule left on Flask beats the converted /x/<name>
        ("/x/bob", {"fastapi": "x_by_name"}),
        ("/n/5", {"flask": "n_by_number"}),  # Flask's int rule, listed after /n/{name} here
        ("/n/five", {"fastapi": "n_by_name"}),
        ("/s/fixed", {"flask": "s_fixed"}),
        ("/s/a/b", {"fastapi": "s_rest"}),
        ("/native/me", {"fastapi": "native"}),  # FastAPI's own route keeps its precedence
    ],
)
def test_a_path_goes_where_flask_would_send_it(path: str, served_by: dict[str, str]) -> None:
    app = overlapping_app()
    with TestClient(app) as client:
        assert client.get(path).json() == served_by
        assert client.head(path).status_code == 200
    if "flask" in served_by:
        assert overlapping_legacy_app().test_client().get(path).json == served_by


def test_no_route_is_contested_when_no_rule_shares_its_paths() -> None:
    app = mounted(legacy_app())
    with TestClient(app) as client:
        assert client.get("/fastapi/3").json() == {"fastapi": 3}
    assert app.router.routes[0]._contested is None


ROUTE_PARTS = ["a", "me", "5", "{p}", "{p:int}", "{p:float}", "{p:uuid}", "{p:path}", "x{p}"]
RULE_PARTS = ["a", "me", "5", "<p>", "<int:p>", "<float:p>", "<uuid:p>", "<path:p>",
              "<int(signed=True):p>", "<string(length=2):p>", "x<p>"]  # fmt: skip
PATH_PARTS = ["a", "me", "5", "-5", "1.5", "ab", "xa", "", "12345678-1234-1234-1234-123456789abc"]


def numbered(parts: list[str]) -> str:
    """Join ``parts`` into a path, numbering the parameters (p0, p1, ...)."""
    parameter = re.compile(r"\{p(?=[}:])|<p>|:p>")
    return "".join(
        "/" + parameter.sub(lambda found, n=index: found[0].replace("p", f"p{n}"), part)
        for index, part in enumerate(parts)
    )


@settings(max_examples=300, deadline=None)
@given(
    route=st.lists(st.sampled_from(ROUTE_PARTS), min_size=1, max_size=3),
    rule=st.lists(st.sampled_from(RULE_PARTS), min_size=1, max_size=3),
    paths=st.lists(st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=4), max_size=12),
)
def test_paths_a_route_and_a_rule_share_are_never_missed(
    route: list[str], rule: list[str], paths: list[list[str]]
) -> None:
    """Soundness: ``_may_share_a_path`` says "no" only if no path matches both."""
    from starlette.routing import compile_path
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map, RoutingException, Rule

    route_regex, route_format, convertors = compile_path(numbered(route))
    url_map = Map([Rule(numbered(rule), endpoint="rule")])
    urls = url_map.bind("localhost")
    verdict = fc._may_share_a_path(
        fc._route_segments(route_format, convertors), fc._rule_segments(numbered(rule), url_map)
    )
    for parts in [*paths, route, rule]:
        path = "/" + "/".join(parts)
        try:
            urls.match(path, "GET")
        except (HTTPException, RoutingException):  # not the rule's path (404, a redirect)
            rule_matches = False
        else:
            rule_matches = True
        if rule_matches and route_regex.match(path):
            assert verdict, (numbered(route), numbered(rule), path)
