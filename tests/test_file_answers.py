"""File answers of converted routes (`send_file`, `send_from_directory`) are streamed.

The bridge read every Flask answer of a converted route into memory before sending it: a
converted download of a large file held the whole file in memory, and the client got its first
byte only once the last was read. A file answer (Werkzeug's `direct_passthrough` body: a file
wrapper, or a byte range of one) is now sent a chunk at a time, each read in a worker thread, as
a WSGI server reads it; the file is closed at the end, also when the client goes away. (A
generator, which may need the thread that ran the view, is read by that thread: see
test_streamed_bridge_answers.py.) A HEAD request's answer has no body.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from tests.proxy_processes import HOST, request, start_app_module

CHUNK = 8192
SIZE = 64 * CHUNK

GATED = '''
import threading

from fastapi import FastAPI
from flask import Flask, send_file

import flask_compat

legacy = Flask(__name__)
RELEASE = threading.Event()
EVENTS = []


class GatedFile:
    """A file whose second half is readable once RELEASE is set (in 20 s at the latest)."""

    def __init__(self, size):
        self.size, self.position = size, 0

    def read(self, n=-1):
        if self.position >= self.size // 2:
            RELEASE.wait(20)
        n = self.size - self.position if n < 0 else min(n, self.size - self.position)
        self.position += n
        return b"x" * n

    def close(self):
        EVENTS.append(("closed", self.position))


app = FastAPI()
bridge = flask_compat.LegacyBridge()


@app.api_route("/download", methods=["GET", "HEAD"])
@bridge.route
def download():
    return send_file(GatedFile(SIZE), mimetype="application/octet-stream",
                     download_name="big.bin")


@app.get("/plain")
@bridge.route
def plain():
    response = legacy.make_response({"plain": True})
    response.call_on_close(lambda: EVENTS.append(["on_close"]))
    return response


@app.get("/release")
def release():
    RELEASE.set()
    return {"released": True}


@app.get("/events")
def events():
    return {"events": EVENTS}


@app.get("/reset")
def reset():
    RELEASE.clear()
    EVENTS.clear()
    return {}


flask_compat.mount_legacy(app, legacy)
'''


def _get(port: int, path: str, method: str = "GET") -> tuple[int, object, bytes]:
    return request(port, method, path, timeout=30)


def _unchunked(body: bytes) -> bytes:
    """The payload of a body sent with `Transfer-Encoding: chunked` (a file of unknown size)."""
    payload = b""
    while True:
        size, _, body = body.partition(b"\r\n")
        if int(size, 16) == 0:
            return payload
        payload, body = payload + body[:int(size, 16)], body[int(size, 16) + 2:]


def _events(port: int) -> list:
    return json.loads(_get(port, "/events")[2])["events"]


def test_a_file_answer_is_sent_before_it_is_read_whole(tmp_path: Path) -> None:
    server = start_app_module(tmp_path, "gated_app", GATED.replace("SIZE", str(SIZE)))
    port = server.port
    try:
        with socket.create_connection((HOST, port), timeout=10) as client:
            client.sendall(b"GET /download HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            # the first half arrives while the second half cannot be read yet (read whole
            # before sending, nothing would arrive and recv would time out)
            while b"\r\n\r\n" not in received or len(received.partition(b"\r\n\r\n")[2]) < CHUNK:
                received += client.recv(65536)
            head = received.partition(b"\r\n\r\n")[0].decode().lower()
            assert "content-type: application/octet-stream" in head
            assert "content-disposition: inline; filename=big.bin" in head
            assert _get(port, "/release")[0] == 200
            while not received.endswith(b"\r\n0\r\n\r\n"):  # the last chunk
                received += client.recv(65536)
        assert _unchunked(received.partition(b"\r\n\r\n")[2]) == b"x" * SIZE
        deadline = time.monotonic() + 10
        while not _events(port):
            assert time.monotonic() < deadline, "the file was never closed"
            time.sleep(0.05)
        assert _events(port) == [["closed", SIZE]]  # once read to its end

        # a client that leaves in the middle: the file is closed all the same
        _get(port, "/reset")
        with socket.create_connection((HOST, port), timeout=10) as client:
            client.sendall(b"GET /download HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while len(received) < CHUNK:
                received += client.recv(65536)
        _get(port, "/release")
        deadline = time.monotonic() + 20
        while not _events(port):
            assert time.monotonic() < deadline, "the file was never closed"
            time.sleep(0.05)

        # an answer read whole is closed once too: its `call_on_close` callbacks run once
        _get(port, "/reset")
        assert _get(port, "/plain")[2] == b'{"plain":true}\n'
        assert _events(port) == [["on_close"]]

        # HEAD: the headers of the GET, no body
        _get(port, "/reset")
        _get(port, "/release")
        status, headers, body = _get(port, "/download", "HEAD")
        assert (status, headers["content-type"], body) == (200, "application/octet-stream", b"")
    finally:
        server.stop()
    assert "Traceback" not in server.log_text(), server.log_text()[-3000:]


def test_a_file_answer_is_read_64_kib_at_a_time(tmp_path: Path) -> None:
    """Werkzeug's file wrapper reads 8 KiB at a time, and each read used to be a trip to a
    worker thread and an ASGI message of its own: a 4 MiB download through a converted route
    cost 40 times the CPU Flask spends reading it. One trip now reads up to 64 KiB."""
    import asyncio

    from fastapi import FastAPI
    from flask import Flask, send_file

    from tests.test_flask_compat import fc
    from tests.test_flask_compat_mount import receive_of_a_client_that_stays

    size = 1 << 20
    (tmp_path / "big.bin").write_bytes(bytes(range(256)) * (size // 256))
    legacy = Flask(__name__)
    app = FastAPI()
    bridge = fc.LegacyBridge()

    @app.get("/download")
    @bridge.route
    def download() -> object:
        return send_file(tmp_path / "big.bin", mimetype="application/octet-stream")

    fc.mount_legacy(app, legacy)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/download", "raw_path": b"/download",
             "root_path": "", "query_string": b"", "headers": [(b"host", b"x")]}
    bodies: list[bytes] = []

    async def call() -> None:
        async def send(message: dict) -> None:
            if message["type"] == "http.response.body":
                bodies.append(message["body"])

        await app(scope, receive_of_a_client_that_stays(), send)

    asyncio.run(call())
    assert b"".join(bodies) == (tmp_path / "big.bin").read_bytes()
    assert {len(body) for body in bodies[:-1]} <= {1 << 16, 0}, [len(b) for b in bodies]
    assert len(bodies) <= size // (1 << 16) + 2
