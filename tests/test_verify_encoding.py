"""`migrate verify` on compressed answers.

verify sends `Accept-Encoding: gzip, deflate` to both apps. An app that compresses its answers
(an `after_request` hook, flask-compress, httpbin's `/gzip`) answered both apps alike, but verify
saw two different bodies: Starlette's test client (httpx) decompressed the FastAPI side's body
and Werkzeug's did not, and gzip stamps the time into its bytes besides. Both sides are now
decoded alike, the body is compared as a client reads it, and `Content-Encoding` is compared
as a header.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from migrator.verify.compare import Answer, CompareOptions, compare_answers, decoded_body
from migrator.verify.run import VerifyInputs, verify_routes
from tests.example_support import converted_snippet

LEGACY = '''
import gzip
import zlib

from flask import Flask, request

app = Flask(__name__)


@app.after_request
def compress(response):
    accepted = request.headers.get("Accept-Encoding", "")
    if response.direct_passthrough or "gzip" not in accepted:
        return response
    if request.path.startswith("/deflated"):
        response.set_data(zlib.compress(response.get_data()))
        response.headers["Content-Encoding"] = "deflate"
    else:
        # gzip.compress stamps the current time into its header: no two answers share bytes
        response.set_data(gzip.compress(response.get_data()))
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


@app.get("/items/<int:item_id>")
def item(item_id):
    return {"id": item_id, "name": "widget"}


@app.get("/deflated/<name>")
def deflated(name):
    return {"name": name}


@app.get("/page")
def page():
    return "<p>hello</p>"
'''


def test_compressed_answers_verify_green(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "enc_app", LEGACY, "enc_fastapi") as (converted, _, _):
        assert converted.left == []
        result = verify_routes(VerifyInputs("enc_app:app", "enc_fastapi.main:app"))
    failed = [r.to_json() for r in result.routes if not r.passed]
    assert result.ok and not failed, failed
    assert {r.migrated.route.endpoint for r in result.routes} == {"item", "deflated", "page"}


def answer(body: bytes, encoding: str | None) -> Answer:
    headers = [("content-type", "application/json")]
    if encoding:
        headers.append(("content-encoding", encoding))
    return Answer(200, headers, decoded_body(headers, body))


def test_bodies_compare_as_a_client_reads_them_and_the_encoding_as_a_header() -> None:
    document = b'{"a":1}\n'
    early, late = gzip.compress(document, mtime=1), gzip.compress(document, mtime=2)
    assert early != late
    options = CompareOptions()
    assert compare_answers(answer(early, "gzip"), answer(late, "gzip"), options) == []
    assert compare_answers(answer(zlib.compress(document), "deflate"),
                           answer(document, None), options)[0].aspect == "content-encoding"
    other = gzip.compress(b'{"a":2}\n', mtime=1)
    assert [m.aspect for m in compare_answers(answer(early, "gzip"), answer(other, "gzip"),
                                              options)] == ["json"]
    # a body that does not decode as its header says is compared as sent
    assert decoded_body([("content-encoding", "gzip")], b"not gzip") == b"not gzip"
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    stream = raw_deflate.compress(document) + raw_deflate.flush()
    assert decoded_body([("content-encoding", "deflate")], stream) == document
