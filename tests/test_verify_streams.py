"""`migrate verify` on streamed answers, including ones that never end.

A route whose answer streams from a generator converts now (tests/test_convert_streams.py), an
event stream among them. verify read each answer whole, from both apps: on an endless stream it
never returned. It now reads an answer until it ends, or until it has read for
`STREAM_READ_SECONDS` or `STREAM_READ_BYTES` (checked as each chunk comes), and then stops and
closes it; a stream cut there is compared on what both apps sent (the shorter's length), byte
for byte. Answers that end within the bounds are compared whole, as before.
"""

from __future__ import annotations

from pathlib import Path

from migrator.verify import run as verify_run
from migrator.verify.compare import Answer, CompareOptions, compare_answers
from migrator.verify.run import VerifyInputs, VerifyResult, verify_routes
from tests.example_support import converted_snippet, returns_within

LEGACY = '''
import itertools
import time

from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/events")
def events():
    """An event stream that never ends: a tick every 20 ms."""
    def ticks():
        for n in itertools.count():
            yield f"data: {n}\\n\\n"
            time.sleep(0.02)

    return Response(ticks(), mimetype="text/event-stream")


@app.get("/lines/<int:n>")
def lines(n):
    width = request.args.get("width", 8, type=int)
    return Response((f"{i:0{width}}\\n" for i in range(n)), mimetype="text/plain")
'''


def test_verify_reads_an_endless_stream_for_a_bounded_time_and_compares_it(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(verify_run, "STREAM_READ_SECONDS", 0.5)
    with converted_snippet(tmp_path, "sse_app", LEGACY, "sse_fastapi") as (converted, _, _):
        assert converted.left == []
        result = returns_within(120, lambda: verify_routes(
            VerifyInputs("sse_app:app", "sse_fastapi.main:app")))
    assert isinstance(result, VerifyResult)
    failed = [r.to_json() for r in result.routes if not r.passed]
    assert result.ok and not failed, failed
    assert {r.migrated.route.endpoint for r in result.routes} == {"events", "lines"}
    events = next(r for r in result.routes if r.migrated.route.endpoint == "events")
    cut = [o for o in events.outcomes if o.legacy.cut]
    assert cut and all(o.new.cut for o in cut)
    assert all(o.legacy.body.startswith(b"data: 0\n\ndata: 1\n\n") for o in cut)


def test_verify_reads_a_long_stream_up_to_its_byte_bound(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(verify_run, "STREAM_READ_BYTES", 4096)
    with converted_snippet(tmp_path, "long_app", LEGACY, "long_fastapi") as (converted, _, _):
        assert converted.left == []
        result = verify_routes(VerifyInputs("long_app:app", "long_fastapi.main:app",
                                            patterns=["lines"]))
    [lines] = result.routes
    assert lines.passed, lines.to_json()
    long_answers = [o for o in lines.outcomes if o.legacy.cut]
    assert long_answers, [o.case.request.target for o in lines.outcomes]
    assert all(4096 <= len(o.legacy.body) < 4096 + 4096 for o in long_answers)
    # short answers end within the bounds and are compared whole
    assert any(not o.legacy.cut and o.legacy.status == 200 for o in lines.outcomes)


def streamed(body: bytes, cut: bool) -> Answer:
    return Answer(200, [("content-type", "text/event-stream")], body, cut=cut)


def test_a_cut_stream_is_compared_on_what_both_apps_sent() -> None:
    options = CompareOptions()
    same_start = compare_answers(streamed(b"data: 0\n\ndata: 1\n\n", True),
                                 streamed(b"data: 0\n\ndata: 1\n\ndata: 2\n\n", True), options)
    assert same_start == []
    differs = compare_answers(streamed(b"data: 0\n\ndata: 1\n\n", True),
                              streamed(b"data: 0\n\ndata: 9\n\n", True), options)
    assert [m.aspect for m in differs] == ["body"]
    # one side ended early, the other went on past the bound: a stream that stops is a change
    ended = compare_answers(streamed(b"data: 0\n\n", False),
                            streamed(b"data: 0\n\ndata: 1\n\n", True), options)
    assert [m.aspect for m in ended] == ["body"]
