"""Answer headers go out without whitespace around their values, on every route.

moin 2.0's `after_request` hook sets `Content-Security-Policy-Report-Only` to a value that ends
with a space. Answers of the routes left on Flask went out stripped (as gunicorn sends a Flask
app's); those of the converted routes kept the space, which uvicorn's h11 refuses ("Illegal
header value"): under `uvicorn --http h11` every converted moin page came back empty. Both
paths now send the same stripped headers. Served here by a real uvicorn on loopback, with h11.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.example_support import converted_snippet
from tests.proxy_processes import HOST, free_port, request, start

CSP = '''
from flask import Flask

app = Flask(__name__)


@app.after_request
def policy(response):
    response.headers["Content-Security-Policy"] = "default-src 'self'; "
    response.headers["X-Padded"] = "  both sides  "
    return response


@app.route("/page")
def page():
    return "converted"


def make_view():
    def view():
        return "left on Flask"
    return view


app.add_url_rule("/legacy", "legacy", make_view())
'''


def test_converted_and_legacy_answers_send_the_same_stripped_headers(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "csp_app", CSP, "csp_fastapi") as (result, out, _):
        assert [view.route.endpoint for view in result.converted] == ["page"]
        port = free_port()
        server = start("uvicorn", [
            sys.executable, "-m", "uvicorn", "csp_fastapi.main:app", "--http", "h11",
            "--host", HOST, "--port", str(port)], port, tmp_path / "uvicorn.log",
            env={"PYTHONPATH": os.pathsep.join([str(out.parent), str(tmp_path / "legacy")])})
        try:
            answers = {path: request(port, "GET", path) for path in ("/page", "/legacy")}
        finally:
            server.stop()
        for path, (status, headers, _body) in answers.items():
            assert status == 200, (path, server.log_text()[-2000:])
            assert headers["Content-Security-Policy"] == "default-src 'self';", path
            assert headers["X-Padded"] == "both sides", path
        assert answers["/page"][2] == b"converted"
        assert "Illegal header value" not in server.log_text()
