"""Streamed answers through the strangler proxy, end to end: a real nginx with the rendered
config in front of a small legacy app under gunicorn and its converted app under uvicorn.

A route whose view streams its answer (an event stream) converts (tests/test_convert_streams.py),
so it can reach every stage of a rollout. Three things could break it behind the proxy that
no in-process test sees:

- nginx buffers what an upstream answers (`proxy_buffering` is on, and the generated config
  leaves it on): were it to hold the first event until it had more, an event stream would stop
  being one. The usual advice is to turn buffering off for event streams; measured with the
  config we render, nginx sends each chunk to the client as it reads it, from Flask and from
  FastAPI alike. The first test holds the second event back until the client has read the
  first (a file the test writes releases it), so a proxy that buffered fails it by timeout.
- In `shadow`, nginx mirrors the request to FastAPI. For an endless stream the mirrored copy is
  endless too: were it to outlive the client, each visit would hold one of FastAPI's
  connections for good (at most `max_conns` per server, after which every further copy is
  dropped). The second test shows that when the client leaves, nginx ends both the answer and
  its mirrored copy, and each app closes its generator (which the view's `finally` notes).
- nginx closes an answer whose upstream sends nothing for `proxy_read_timeout` (60 s by
  default), which would cut an event stream that pauses longer, as Flask alone never did. The
  locations of rules the scan sees streaming read for `[proxy] stream_read_timeout` instead
  (1h by default); the third test sets it to 2 s and pauses 4 s, to see it act.

Apart from that deliberate pause, nothing here is timed: each wait is a bounded poll or a
socket timeout, far above what a passing run takes.
"""

from __future__ import annotations

import http.client
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from benchmarks.app_bench import gunicorn_without_control_socket
from migrator.convert.run import convert_project
from migrator.proxy.nginx import render_nginx
from migrator.proxy.plan import MigrationPlan, ProxySettings, RouteStage
from tests.proxy_processes import HOST, free_port, private_prefix, start, start_nginx
from tests.scan_support import write_tree

SERVED = "X-Served-By"
PAUSE_LIMIT = 2  # the proxy's stream_read_timeout in these tests, in seconds

LEGACY = {
    "streams_app/__init__.py": '''
        import os
        import time

        from flask import Flask, Response, stream_with_context

        app = Flask(__name__)
        # what this process's streams did, as empty files the test looks for
        NOTES = os.environ["STREAM_NOTES"]


        def note(text):
            open(os.path.join(NOTES, text), "w").close()


        @app.route("/events/<name>")
        def events(name):
            """Two events; the second once the test has read the first (at most 30 s later)."""

            def generate():
                yield f"data: {name} opened\\n\\n"
                for _ in range(600):
                    if os.path.exists(os.path.join(NOTES, "release-" + name)):
                        break
                    time.sleep(0.05)
                yield f"data: {name} released\\n\\n"

            return Response(stream_with_context(generate()), mimetype="text/event-stream")


        def endless(name):
            note("opened-" + name)
            try:
                tick = 0
                while True:
                    yield f"data: {tick}\\n\\n"
                    tick += 1
                    time.sleep(0.05)
            finally:  # the server closes the generator when the client has gone
                note("closed-" + name)


        @app.route("/ticks/<name>")
        def ticks(name):
            return Response(endless(name), mimetype="text/event-stream")


        @app.route("/watch/<name>")
        def watch(name):
            return Response(endless(name), mimetype="text/event-stream")
    ''',
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    work = tmp_path_factory.mktemp("proxy-streams")
    write_tree(work / "src", LEGACY)
    package = work / "migrated_streams"
    result = convert_project(work / "src" / "streams_app", package)
    assert sorted(v.route.endpoint for v in result.converted) == ["events", "ticks", "watch"], \
        result.left
    notes = {"legacy": work / "notes-flask", "new": work / "notes-fastapi"}
    for folder in notes.values():
        folder.mkdir()
    started, prefix = [], None
    try:
        port = free_port()
        started.append(start("gunicorn", [
            sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", "1",
            "--worker-class", "gthread", "--threads", "8", *gunicorn_without_control_socket(),
            "streams_app:app"], port, work / "gunicorn.log",
            env={"PYTHONPATH": str(work / "src"), "STREAM_NOTES": str(notes["legacy"])}))
        port = free_port()
        started.append(start("uvicorn", [
            sys.executable, "-m", "uvicorn", "migrated_streams.main:app", "--host", HOST,
            "--port", str(port)], port, work / "uvicorn.log",
            env={"PYTHONPATH": os.pathsep.join([str(work), str(work / "src")]),
                 "STREAM_NOTES": str(notes["new"])}))
        legacy, new = started
        port = free_port()
        plan = MigrationPlan(
            legacy_upstreams=[legacy.address], new_upstreams=[new.address],
            routes=[RouteStage("/events/<name>", ("GET",), "events", stage="full"),
                    RouteStage("/ticks/<name>", ("GET",), "ticks", stage="shadow"),
                    RouteStage("/watch/<name>", ("GET",), "watch", stage="full")],
            # as `migrate proxy` reads them from the scan: every rule here streams
            streamed_rules=sorted({r.rule for r in result.scan.routes if "stream" in r.features}),
            # short, to see it act within a test (the default is 1h; other routes keep 60 s)
            settings=ProxySettings(listen=f"{HOST}:{port}", worker_processes="1",
                                   stream_read_timeout=f"{PAUSE_LIMIT}s"))
        assert plan.streamed_rules == ["/events/<name>", "/ticks/<name>", "/watch/<name>"]
        prefix = private_prefix()
        started.append(start_nginx(prefix, render_nginx(plan), port))
        yield {"port": port, "notes": notes, "servers": started}
    finally:
        for server in reversed(started):
            server.stop()
        if prefix:
            shutil.rmtree(prefix, ignore_errors=True)


def open_stream(port: int, path: str, headers: dict[str, str] | None = None
                ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    # 10 s per read: far above a passing run, far below the 30 s the first test's view waits
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    return conn, conn.getresponse()


def next_event(answer: http.client.HTTPResponse) -> str:
    """The next event's data line (the reads are chunk-aware: http.client decodes chunking)."""
    while True:
        line = answer.readline()
        assert line, "the stream ended"
        if line.startswith(b"data: "):
            return line[6:].decode().strip()


def wait_for(path: Path, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("backend", ["new", "legacy"])
def test_each_event_reaches_the_client_as_the_app_sends_it(servers, backend):
    """`/events/<name>` is fully on FastAPI; a tester's header puts a request back on Flask."""
    name = f"e-{backend}"
    conn, answer = open_stream(servers["port"], f"/events/{name}",
                               {"X-Migrate-Backend": backend})
    try:
        assert answer.status == 200
        assert answer.getheader(SERVED) == backend
        assert answer.getheader("Content-Type").startswith("text/event-stream")
        # the view sends nothing more until this event has reached the client
        assert next_event(answer) == f"{name} opened"
        (servers["notes"][backend] / f"release-{name}").touch()
        assert next_event(answer) == f"{name} released"
        assert answer.read() == b"\n"  # the event's blank line, and the answer ends
    finally:
        conn.close()


@pytest.mark.parametrize(("path", "answered_by", "copied_to"), [
    ("/ticks/shadowed", "legacy", "new"),  # shadow: Flask answers, FastAPI gets the mirror copy
    ("/watch/full", "new", None),
])
def test_an_endless_stream_ends_in_every_app_when_its_client_leaves(
        servers, path, answered_by, copied_to):
    notes = servers["notes"]
    name = path.rsplit("/", 1)[1]
    conn, answer = open_stream(servers["port"], path)
    try:
        assert answer.status == 200
        assert answer.getheader(SERVED) == answered_by
        assert [next_event(answer) for _ in range(3)] == ["0", "1", "2"]
        running = [answered_by] + ([copied_to] if copied_to else [])
        for app in running:
            assert wait_for(notes[app] / f"opened-{name}"), f"{app} never started {path}"
    finally:
        conn.close()  # the client leaves
    for app in running:
        assert wait_for(notes[app] / f"closed-{name}"), \
            f"{app}'s stream of {path} still runs after its client left"


def test_a_stream_that_pauses_longer_than_stream_read_timeout_is_cut_off(servers):
    """The streamed route's location reads with `[proxy] stream_read_timeout` (2 s here): an
    app that sends nothing for longer loses the answer, as with nginx's own 60 s elsewhere. So
    the setting reaches the location this request takes (the default, 1h, lets an event stream
    pause as long as it did without the proxy)."""
    name = "paused"
    conn, answer = open_stream(servers["port"], f"/events/{name}")
    try:
        assert answer.getheader(SERVED) == "new"
        assert next_event(answer) == f"{name} opened"
        time.sleep(2 * PAUSE_LIMIT)  # nginx gives up after PAUSE_LIMIT; then the app goes on
        (servers["notes"]["new"] / f"release-{name}").touch()
        with pytest.raises(http.client.IncompleteRead):
            answer.read()  # the chunked answer stops without its last chunk
    finally:
        conn.close()
