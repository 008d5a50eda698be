"""Streamed answers of converted routes: the bridge sends a generator's chunks as they come.

The bridge read a converted route's Flask answer whole before sending any of it. The scan keeps
the views it sees streaming on Flask, but it cannot see every stream (a generator a method makes,
`Response(upstream.iter_content())`): such a converted route that streamed an endless event
stream was never answered, and its memory grew without end. Now, as under a WSGI server, the
worker thread that ran the view reads the chunks after the context is popped and the event loop
sends them as they come; the stream stops and is closed when the client goes away. A generator
body whose `Content-Length` says it is small is still read at once.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from fastapi import BackgroundTasks, FastAPI
from fastapi.testclient import TestClient
from flask import Flask, Response, g, request, stream_with_context

from tests.example_support import returns_within
from tests.proxy_processes import HOST, start_app_module
from tests.proxy_processes import request as http_request
from tests.test_flask_compat import fc
from tests.test_flask_compat_mount import lenient_pool, receive_of_a_client_that_stays

ENDLESS = '''
import sqlite3
import time

from fastapi import FastAPI
from flask import Flask, Response

import flask_compat

legacy = Flask(__name__)
CLOSED = []
DATABASE = __file__.replace(".py", ".sqlite")
app = FastAPI()
bridge = flask_compat.LegacyBridge()


class Ticker:
    """A stream made by a method: the scan cannot tell that the view streams."""

    def events(self):
        n = 0
        while True:
            n += 1
            yield f"data: {n}\\n\\n"
            time.sleep(0.01)


@app.get("/events")
@bridge.route
def events():
    response = Response(Ticker().events(), mimetype="text/event-stream")
    response.call_on_close(lambda: CLOSED.append("events"))
    return response


@app.get("/rows/{count}")
@bridge.route
def rows(count: int):
    db = sqlite3.connect(DATABASE)  # refuses every thread but this one

    def lines():
        try:
            for (n,) in db.execute("SELECT value FROM numbers WHERE value < ? ORDER BY value",
                                   (count,)):
                time.sleep(0.001)
                yield f"{n}\\n"
        finally:
            db.close()

    return Response(lines(), mimetype="text/plain")


@app.get("/closed")
def closed():
    return {"closed": CLOSED}


flask_compat.mount_legacy(app, legacy)
'''


def _closed(port: int) -> list[str]:
    return json.loads(http_request(port, "GET", "/closed")[2])["closed"]


def test_an_endless_stream_is_answered_and_closed_when_the_client_leaves(tmp_path: Path) -> None:
    """Read whole, the endless stream was never answered: the client's read timed out."""
    server = start_app_module(tmp_path, "endless_bridge", ENDLESS)
    try:
        with socket.create_connection((HOST, server.port), timeout=10) as client:
            client.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while received.count(b"data: ") < 5:
                received += client.recv(65536)
        head = received.partition(b"\r\n\r\n")[0].decode().lower()
        assert head.startswith("http/1.1 200")
        assert "content-type: text/event-stream" in head
        assert "transfer-encoding: chunked" in head
        assert b"data: 1\n\n" in received and b"data: 4\n\n" in received
        deadline = time.monotonic() + 10
        while _closed(server.port) != ["events"]:
            assert time.monotonic() < deadline, "the stream was never closed"
            time.sleep(0.05)
    finally:
        server.stop()
    log = server.log_text()
    assert "Traceback" not in log, log[-3000:]


def test_a_stream_that_reads_the_view_s_database_connection_works_under_load(
        tmp_path: Path) -> None:
    """The rows come from the sqlite3 connection the view opened, which refuses every other
    thread: the chunks are read by the thread that ran the view, whichever it was."""
    database = sqlite3.connect(tmp_path / "endless_bridge.sqlite")
    with database:
        database.execute("CREATE TABLE numbers (value INTEGER)")
        database.executemany("INSERT INTO numbers VALUES (?)", [(n,) for n in range(100)])
    database.close()
    server = start_app_module(tmp_path, "endless_bridge", ENDLESS)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(
                lambda n: http_request(server.port, "GET", f"/rows/{n}", timeout=30),
                [20 + n % 60 for n in range(40)]))
    finally:
        server.stop()
    log = server.log_text()
    assert "Traceback" not in log, log[-3000:]
    for n, (status, headers, body) in zip([20 + n % 60 for n in range(40)], answers):
        assert status == 200
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        assert body.decode() == "".join(f"{value}\n" for value in range(n))


# --------------------------------------------------------------------------------------
# in process, with the ASGI messages in sight
# --------------------------------------------------------------------------------------


def bridged_app(pool: fc.LegacyThreadPool | None = None) -> tuple[FastAPI, Flask]:
    legacy = Flask("bridged_streams_test")
    legacy.config.update(CLOSED=[], FIRST_SENT=threading.Event(), THREADS=[], TASKS=[],
                         CHUNK_THREADS=[])
    first_sent = legacy.config["FIRST_SENT"]
    app = FastAPI()
    bridge = fc.LegacyBridge(threads=pool)

    @app.get("/waits-for-its-first-chunk")
    @bridge.route
    def waits_for_its_first_chunk() -> Any:
        def chunks() -> Any:
            yield "first;"
            # Read whole before sending, the first chunk is never sent while this waits.
            yield "sent before the end;" if first_sent.wait(10) else "read whole;"
            yield from (f"{n}," for n in range(200))

        response = Response(chunks(), mimetype="text/plain")
        response.call_on_close(lambda: legacy.config["CLOSED"].append("first"))
        return response

    @app.get("/sized")
    @bridge.route
    def sized() -> Any:
        return Response(iter([b"12", b"345"]), headers={"Content-Length": "5"})

    @app.get("/maybe-streams")
    @bridge.route
    def maybe_streams(stream: bool = False) -> Any:
        legacy.config["THREADS"].append(threading.get_ident())
        if not stream:
            return {"short": True}

        def chunks() -> Any:
            legacy.config["CHUNK_THREADS"].append(threading.get_ident())
            yield f"who={request.args['who']};"  # the request, as stream_with_context keeps it
            for n in range(int(request.args.get("slow", 0))):
                if "busy" in request.args:  # computes for 20 ms
                    until = time.thread_time() + 0.02
                    while time.thread_time() < until:
                        pass
                else:  # waits for 20 ms
                    time.sleep(0.02)
                legacy.config["CHUNK_THREADS"].append(threading.get_ident())
                yield f"{n};"
            if "breaks" in request.args:
                raise RuntimeError("the stream broke off")
            legacy.config["CHUNK_THREADS"].append(threading.get_ident())
            yield "end"

        response = Response(stream_with_context(chunks()), mimetype="text/plain")
        response.call_on_close(lambda: legacy.config["CLOSED"].append("maybe"))
        return response

    @app.get("/breaks-off")
    @bridge.route
    def breaks_off() -> Any:
        def chunks() -> Any:
            yield "read before the failure;"
            raise RuntimeError("the stream broke off")

        return Response(chunks())

    @app.get("/with-a-task")
    @bridge.route
    def with_a_task(tasks: BackgroundTasks) -> Any:
        tasks.add_task(legacy.config["TASKS"].append, "ran")
        g.user = "ada"
        return Response(stream_with_context(iter([f"user={g.user}"])))

    def endless(name: str) -> Any:
        def ticks() -> Any:
            n = 0
            while True:
                n += 1
                yield f"data: {n}\n\n"
                time.sleep(0.01)

        response = Response(ticks(), mimetype="text/event-stream")
        response.call_on_close(lambda: legacy.config["CLOSED"].append(name))
        return response

    app.get("/endless")(bridge.route(lambda: endless("bridged")))
    legacy.add_url_rule("/legacy-endless", view_func=lambda: endless("legacy"))
    fc.mount_legacy(app, legacy)
    return app, legacy


def scope_of(path: str) -> dict[str, Any]:
    """The ASGI scope of a GET of ``path`` (with its query string)."""
    target, _, query = path.partition("?")
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": target, "raw_path": target.encode(),
            "root_path": "", "query_string": query.encode(), "headers": [(b"host", b"x")],
            "client": ("127.0.0.1", 5000), "server": ("x", 80)}


def call(app: FastAPI, path: str, send: Any) -> None:
    asyncio.run(app(scope_of(path), receive_of_a_client_that_stays(), send))


def recorder(messages: list[dict[str, Any]]) -> Any:
    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    return send


def test_the_first_chunks_are_sent_before_the_generator_has_ended() -> None:
    app, legacy = bridged_app()
    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and message["body"]:
            legacy.config["FIRST_SENT"].set()
            await anyio.to_thread.run_sync(time.sleep, 0.05)  # the rest piles up meanwhile

    call(app, "/waits-for-its-first-chunk", send)
    start, *bodies = messages
    assert start["type"] == "http.response.start" and start["status"] == 200
    assert (b"content-type", b"text/plain; charset=utf-8") in start["headers"]
    assert not any(name == b"content-length" for name, _ in start["headers"])
    content = b"".join(m["body"] for m in bodies)
    assert content == ("first;sent before the end;"
                       + "".join(f"{n}," for n in range(200))).encode()
    assert bodies[-1]["more_body"] is False
    assert len(bodies) <= 4, [m["body"][:20] for m in bodies]  # the small chunks go together
    assert legacy.config["CLOSED"] == ["first"]


def test_a_generator_body_with_a_small_content_length_is_read_at_once() -> None:
    app, _legacy = bridged_app()
    messages: list[dict[str, Any]] = []
    call(app, "/sized", recorder(messages))
    start, body = messages
    assert (b"content-length", b"5") in start["headers"]
    assert (body["body"], body.get("more_body", False)) == (b"12345", False)


def test_a_stream_that_breaks_off_sends_what_was_read_and_the_error_reaches_the_server() -> None:
    app, _legacy = bridged_app()
    messages: list[dict[str, Any]] = []
    with pytest.raises(RuntimeError, match="the stream broke off"):
        call(app, "/breaks-off", recorder(messages))
    assert messages[0]["type"] == "http.response.start"
    assert b"".join(m["body"] for m in messages[1:]) == b"read before the failure;"
    assert all(m["more_body"] for m in messages[1:])  # never the end of the body


def test_a_streamed_answer_s_background_tasks_run_after_it_is_sent() -> None:
    app, legacy = bridged_app()
    messages: list[dict[str, Any]] = []
    tasks_when_sent: list[list[str]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            tasks_when_sent.append(list(legacy.config["TASKS"]))

    call(app, "/with-a-task", send)
    assert messages[0]["type"] == "http.response.start"
    assert not any(name == b"content-length" for name, _ in messages[0]["headers"])  # streamed
    assert b"".join(m.get("body", b"") for m in messages) == b"user=ada"
    assert tasks_when_sent == [[]]
    assert legacy.config["TASKS"] == ["ran"]


def test_a_view_in_place_that_streams_is_read_on_the_event_loop_s_thread_and_stays_there() -> None:
    """A short view moves in place on the event loop's thread. When it then streams, its answer
    is read there, as the worker thread that runs a view reads it (a generator may use the
    view's sqlite3 connection, which refuses other threads), in the view's context
    (stream_with_context's request, and its end), and sent in one message: the view stays in
    place. (Each chunk used to be read in a worker thread, and the view to run in threads from
    then on: a thread's hand-offs cost the example's export about half its CPU per request.)"""
    app, legacy = bridged_app(lenient_pool())
    loop_thread: list[int] = []
    sent: list[list[dict[str, Any]]] = []

    async def requests() -> list[bytes]:
        loop_thread.append(threading.get_ident())
        answers = []
        for path in ["/maybe-streams"] * 6 + ["/maybe-streams?stream=1&who=1",
                                              "/maybe-streams?stream=1&who=2"]:
            messages: list[dict[str, Any]] = []
            await app(scope_of(path), receive_of_a_client_that_stays(), recorder(messages))
            answers.append(b"".join(m.get("body", b"") for m in messages))
            sent.append(messages)
        return answers

    answers = asyncio.run(requests())
    assert answers[:6] == [b'{"short":true}\n'] * 6
    assert answers[6:] == [b"who=1;end", b"who=2;end"]
    ran_in_place = [ident == loop_thread[0] for ident in legacy.config["THREADS"]]
    assert ran_in_place == [False] * 3 + [True] * 5  # moved in place after three calls, and stays
    assert set(legacy.config["CHUNK_THREADS"]) == {loop_thread[0]}
    assert legacy.config["CLOSED"] == ["maybe", "maybe"]
    for messages in sent[6:]:
        start, body = messages
        assert start["status"] == 200
        assert not any(name == b"content-length" for name, _ in start["headers"])  # streamed
        assert not body.get("more_body", False)  # one message: the whole answer


def in_place_then(path: str, messages: list[dict[str, Any]]) -> tuple[FastAPI, Flask, int]:
    """Call ``/maybe-streams`` until it runs in place, then ``path``, recording its messages;
    the app, its legacy app and the event loop's thread."""
    app, legacy = bridged_app(lenient_pool())
    loop_thread: list[int] = []

    async def requests() -> None:
        loop_thread.append(threading.get_ident())
        for _ in range(4):
            await app(scope_of("/maybe-streams"), receive_of_a_client_that_stays(), recorder([]))
        await app(scope_of(path), receive_of_a_client_that_stays(), recorder(messages))

    try:
        asyncio.run(requests())
    finally:
        assert legacy.config["THREADS"][3] == loop_thread[0]  # in place by then
    return app, legacy, loop_thread[0]


def test_a_long_stream_in_place_that_computes_is_read_at_once_up_to_the_limit_then_chunk_by_chunk(
) -> None:
    """A stream that takes longer than a short call to read in place (chunks that each compute
    for 20 ms, against the pool's 50 ms) is sent as read so far, then a chunk at a time, every
    chunk read on the event loop's thread, in the view's context; it is closed once."""
    messages: list[dict[str, Any]] = []
    _app, legacy, loop_thread = in_place_then("/maybe-streams?stream=1&who=3&slow=5&busy=1",
                                              messages)
    start, *bodies = messages
    assert start["status"] == 200
    assert b"".join(m["body"] for m in bodies) == b"who=3;0;1;2;3;4;end"
    assert len(bodies) >= 3 and bodies[0]["body"].startswith(b"who=3;0;")  # read at once first
    assert [m["more_body"] for m in bodies][-1] is False
    assert set(legacy.config["CHUNK_THREADS"]) == {loop_thread}
    assert legacy.config["CLOSED"] == ["maybe"]


def test_a_long_stream_in_place_that_waits_is_read_on_in_worker_threads() -> None:
    """A view that was short, and so moved in place, streams an answer whose chunks wait (each
    20 ms, as an event stream waits for its events): what the limit of a short call allows is
    read in place, and the rest in worker threads, so that the event loop never waits for a
    chunk again; the answer is whole, its later chunks still read in the view's context, and
    it is closed once."""
    messages: list[dict[str, Any]] = []
    _app, legacy, loop_thread = in_place_then("/maybe-streams?stream=1&who=5&slow=5", messages)
    start, *bodies = messages
    assert start["status"] == 200
    assert b"".join(m["body"] for m in bodies) == b"who=5;0;1;2;3;4;end"
    assert bodies[0]["body"].startswith(b"who=5;0;")  # read at once first
    threads = legacy.config["CHUNK_THREADS"]
    assert threads[:2] == [loop_thread] * 2  # the first chunks, read at once
    assert threads[-2:] != [loop_thread] * 2 and loop_thread not in threads[-2:]
    assert legacy.config["CLOSED"] == ["maybe"]


def test_a_stream_in_place_that_breaks_off_sends_what_was_read_and_the_error_reaches_the_server() -> (
    None
):
    messages: list[dict[str, Any]] = []
    with pytest.raises(RuntimeError, match="the stream broke off"):
        in_place_then("/maybe-streams?stream=1&who=4&breaks=1", messages)
    assert messages[0]["type"] == "http.response.start"
    assert b"".join(m["body"] for m in messages[1:]) == b"who=4;"
    assert all(m["more_body"] for m in messages[1:])  # never the end of the body


@pytest.mark.parametrize(("path", "name"), [("/endless", "bridged"),
                                            ("/legacy-endless", "legacy")])
def test_a_client_that_cancels_an_endless_stream_stops_it(path: str, name: str) -> None:
    """Starlette's test client (as `migrate verify` uses it) cancels the request when a stream
    it reads is closed before its end, where uvicorn tells the app that the client has gone.
    The task waited for the worker thread that read and sent the stream, which never ended:
    closing never returned. The task now stops waiting at once, the stream is stopped, and the
    thread closes it."""
    app, legacy = bridged_app()

    def read_three_events() -> bytes:
        with TestClient(app) as client, client.stream("GET", path) as response:
            received = b""
            for chunk in response.iter_raw():
                received += chunk
                if received.count(b"data: ") >= 3:
                    return received
        return received

    received = returns_within(30, read_three_events)
    assert isinstance(received, bytes) and received.startswith(b"data: 1\n\ndata: 2\n\n")
    deadline = time.monotonic() + 10
    while legacy.config["CLOSED"] != [name]:
        assert time.monotonic() < deadline, "the stream was never closed"
        time.sleep(0.01)
