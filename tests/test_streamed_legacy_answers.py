"""Streamed answers of routes left on Flask, served by the generated app under a real uvicorn.

The benchmark found it: under 64 connections every request to the example app's streamed
NDJSON export failed through the generated app (0 answered, thousands of read errors), while
gunicorn served 900 a second. Each chunk was read in whichever worker thread was free, and the
generator's sqlite3 connection refuses every thread but the one that opened it. A WSGI server
reads an answer in the thread that called the app; the legacy mount now does too. And where the
client goes away in the middle, the stream stops and is closed, as a WSGI server's failed write
stops it: an endless event stream used to keep its thread forever.
"""

from __future__ import annotations

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.example_support import converted_example
from tests.proxy_processes import HOST, request, start_app_module, start_uvicorn

EXPORT = "/api/v1/items/export.ndjson"

ENDLESS = '''
import time

from fastapi import FastAPI
from flask import Flask, Response, stream_with_context

import flask_compat

legacy = Flask(__name__)
CLOSED = []


@legacy.get("/events")
def events():
    def ticks():
        n = 0
        while True:
            n += 1
            yield f"data: {n}\\n\\n"
            time.sleep(0.01)

    response = Response(stream_with_context(ticks()), mimetype="text/event-stream")
    response.call_on_close(lambda: CLOSED.append("events"))
    return response


@legacy.get("/closed")
def closed():
    return {"closed": CLOSED}


app = FastAPI()
flask_compat.mount_legacy(app, legacy)
'''


def _get(port: int, path: str) -> tuple[int, bytes]:
    status, _headers, body = request(port, "GET", path, timeout=30)
    return status, body


@pytest.mark.parametrize("served_by", ["legacy mount", "bridge"])
def test_a_streamed_answer_that_reads_the_database_is_read_in_the_view_s_thread(
        tmp_path: Path, served_by: str) -> None:
    """Through the legacy mount (the export left on Flask: only another route converted) and
    through the bridge of the converted export route."""
    patterns = ["api.list_tags"] if served_by == "legacy mount" else None
    with converted_example(tmp_path, "streamed_example", patterns=patterns) as (result, out):
        converted = {view.route.rule for view in result.converted}
        assert (EXPORT in converted) == (served_by == "bridge")
        server = start_uvicorn(tmp_path, out)
        try:
            with ThreadPoolExecutor(max_workers=8) as pool:
                answers = list(pool.map(lambda _: _get(server.port, EXPORT), range(40)))
        finally:
            server.stop()
    log = server.log_text()
    assert "Traceback" not in log, log[-3000:]
    assert {status for status, _ in answers} == {200}
    for _, body in answers:
        items = [json.loads(line) for line in body.decode().splitlines()]
        assert [item["id"] for item in items] == list(range(1, 13))
    assert len({body for _, body in answers}) == 1


def test_a_stream_the_client_leaves_is_stopped_and_closed(tmp_path: Path) -> None:
    server = start_app_module(tmp_path, "endless_app", ENDLESS)
    port = server.port
    try:
        with socket.create_connection((HOST, port), timeout=10) as client:
            client.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while received.count(b"data: ") < 3:
                received += client.recv(4096)
        # the client has gone: the stream stops, and the legacy answer is closed
        deadline = time.monotonic() + 20
        while json.loads(_get(port, "/closed")[1])["closed"] != ["events"]:
            assert time.monotonic() < deadline, "the endless stream was never closed"
            time.sleep(0.1)
    finally:
        server.stop()
    assert "Traceback" not in server.log_text(), server.log_text()[-3000:]


GENERATOR_VIEWS = '''
from flask import Flask, Response, current_app, make_response

try:  # Werkzeug < 2.1 and later, as httpbin imports it
    from werkzeug.wrappers import Response as OldResponse
except ImportError:
    from werkzeug.wrappers import BaseResponse as OldResponse

app = Flask(__name__)


@app.get("/events")
def events():
    def ticks():
        while True:
            yield "data: tick\\n\\n"

    return Response(ticks(), mimetype="text/event-stream")


@app.get("/lines")
def lines():
    return make_response(f"{n}\\n" for n in range(3))


@app.get("/rows")
def rows():
    return current_app.response_class(all_rows(), mimetype="text/csv")


@app.get("/page")
def page():
    def render():
        return "<p>whole</p>"

    return Response(render(), mimetype="text/html")


def all_rows():  # defined below the view that calls it
    yield "a,b\\n"


@app.get("/feed")
def feed():
    return EventStream(ticks_forever())


@app.get("/legacy-feed")
def legacy_feed():
    return OldResponse(all_rows())


class EventStream(Response):  # a class of the app, made from Flask's
    mimetype = "text/event-stream"


def ticks_forever():
    while True:
        yield "data: tick\\n\\n"
'''


def test_a_response_made_of_a_generator_is_a_stream(tmp_path: Path) -> None:
    """An event stream made with `Response(generator())` and no `stream_with_context` is a
    stream too: the scan calls such a view `stream` (assisted: it converts, the bridge streams
    its answer as Flask does, test_streamed_bridge_answers.py, and the scan's reason leaves a
    `StreamingResponse` to a person). So is one whose response is a class of the app
    made from Flask's (`EventStream(ticks())`), or Werkzeug's under its old name
    (`BaseResponse`: httpbin binds `Response` to it or to the new name in a `try` block, and
    its `/drip` and `/stream/<n>` stream through it)."""
    from migrator.convert.run import convert_project
    from migrator.scan import scan_path

    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "app.py").write_text(GENERATOR_VIEWS, encoding="utf-8")
    routes = {route.rule: route for route in scan_path(tmp_path / "legacy").routes}
    for rule in ("/events", "/lines", "/rows", "/feed", "/legacy-feed"):
        assert routes[rule].status == "assisted", rule
        assert "stream" in routes[rule].features, rule
        assert any(reason.startswith("stream: ") for reason in routes[rule].reasons), rule
    assert routes["/page"].status == "assisted"  # a plain function, not a generator
    assert "stream" not in routes["/page"].features
    result = convert_project(tmp_path / "legacy", tmp_path / "out")
    assert not result.left


STREAMING_HELPERS = '''
from flask import Response, stream_with_context


class EventStream(Response):
    default_mimetype = "text/event-stream"


def rows_of(rows):
    for row in rows:
        yield f"{row}\\n"


def ticks():
    while True:
        yield "data: tick\\n\\n"


def csv_response(rows):
    return Response(rows_of(rows), mimetype="text/csv")


def export(rows):  # a helper that calls a helper that streams
    return csv_response(sorted(rows))


def logged(rows):
    return Response(stream_with_context(rows_of(rows)))


def joined(rows):
    return "".join(rows_of(rows))


def whole_page():
    return "<p>whole</p>"


def first(rows, again=True):  # calls `second`, which calls it back, and a helper that streams
    return second(rows) if again else csv_response(rows)


def second(rows):
    return first(rows, again=False)
'''

VIEWS_USING_HELPERS = '''
from flask import Flask, Response

from . import helpers
from .helpers import EventStream, csv_response, export, first, joined, rows_of, second, whole_page

app = Flask(__name__)


@app.get("/csv")
def csv():
    return csv_response([1, 2])


@app.get("/rows")
def rows():
    return Response(rows_of([1, 2]), mimetype="text/csv")


@app.get("/feed")
def feed():
    return EventStream(helpers.ticks())


@app.get("/feed-of-lines")
def feed_of_lines():
    return EventStream(f"data: {n}\\n\\n" for n in range(3))


@app.get("/export")
def export_view():
    return export([2, 1])


@app.get("/logged")
def logged():
    return helpers.logged([1])


@app.get("/via-first")
def via_first():
    return first([1])


@app.get("/via-second")  # asked about after `first`, whose answer needed `second`'s
def via_second():
    return second([1])


@app.get("/joined")
def joined_view():
    return joined([1, 2])


@app.get("/page")
def page():
    return Response(whole_page(), mimetype="text/html")


@app.get("/stream-of-a-page")
def stream_of_a_page():
    return EventStream(whole_page())


@app.get("/variable")
def variable():
    stream = rows_of([1])
    return Response(stream, mimetype="text/csv")


@app.get("/variable-of-a-generator-expression")
def variable_of_a_generator_expression():
    lines = (f"{n}\\n" for n in range(3))
    return helpers.EventStream(lines)


@app.get("/variable-of-a-nested-generator")
def variable_of_a_nested_generator():
    def generate():
        yield "x"

    body = generate()
    return Response(body)


@app.get("/variable-of-a-page")
def variable_of_a_page():
    text = whole_page()
    return Response(text)
'''


def test_a_response_streamed_by_another_module_s_names_is_a_stream(tmp_path: Path) -> None:
    """The scan saw a streamed response only where the view made it from names of its own
    module. A helper of another module that makes one (`return csv_response(rows)`, also a
    helper's helper), a generator function imported for the body (`Response(rows_of(...))`,
    `EventStream(helpers.ticks())`) and a response class of another module made from Flask's
    were converted with no word of a stream, when the bridge read answers whole: an endless
    event stream was never answered. So was a response made of a variable of the view
    (`stream = generate()`, `lines = (... for ...)`). They now have the `stream` feature, also
    through helpers that call each other, and its reason in the report (the bridge streams them
    now); views whose helpers make whole answers do not."""
    from migrator.convert.run import convert_project
    from migrator.scan import scan_path

    package = tmp_path / "legacy" / "shop"
    package.mkdir(parents=True)
    (package / "helpers.py").write_text(STREAMING_HELPERS, encoding="utf-8")
    (package / "__init__.py").write_text(VIEWS_USING_HELPERS, encoding="utf-8")
    routes = {route.rule: route for route in scan_path(tmp_path / "legacy").routes}
    streamed = ["/csv", "/rows", "/feed", "/feed-of-lines", "/export", "/logged", "/variable",
                "/variable-of-a-generator-expression", "/variable-of-a-nested-generator",
                "/via-first", "/via-second"]
    for rule in streamed:
        assert routes[rule].status == "assisted", rule
        assert "stream" in routes[rule].features, rule
        assert any(reason.startswith("stream: ") for reason in routes[rule].reasons), rule
    whole = ["/joined", "/page", "/stream-of-a-page", "/variable-of-a-page"]
    for rule in whole:
        assert "stream" not in routes[rule].features, rule
    result = convert_project(tmp_path / "legacy", tmp_path / "out")
    assert not result.left
