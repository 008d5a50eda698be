"""A legacy module with odd formatting, comments, CRLF line endings and unusual imports
(`import flask`, `from flask import request as req`, `jsonify as to_json`, `flask.request`,
`flask.abort`) converts to exactly the expected router, byte for byte, and behaves the same."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from migrator.convert.run import convert_project
from tests.lint_support import new_lint_findings

FIXTURE = Path(__file__).parent / "fixtures" / "odd_app"


def test_odd_module_converts_to_the_expected_router(tmp_path):
    out = tmp_path / "migrated_odd"
    result = convert_project(FIXTURE, out)
    assert [v.route.endpoint for v in result.converted] == ["odd.get_thing", "odd.search"]
    produced = (out / "routers" / "odd.py").read_bytes()
    expected = (FIXTURE / "expected_router_odd.py.txt").read_bytes()
    assert produced == expected
    assert b"\r\n" in produced and b"\n" not in produced.replace(b"\r\n", b"")
    for kept in (b"# a comment inside the body", b"# trailing comment", b"# another one",
                 b"The docstring survives.", b"# a comment on the decorator"):
        assert kept in produced
    assert (FIXTURE / "legacy_odd.py").read_bytes().count(b"\r\n") > 10  # source untouched
    assert not new_lint_findings(out, FIXTURE, "legacy_odd")

    probe = textwrap.dedent("""
        import json, sys
        from fastapi.testclient import TestClient
        from app import app as flask_app
        from migrated_odd.main import create_app
        fastapi_client = TestClient(create_app(flask_app), base_url="http://localhost")
        flask_client = flask_app.test_client()
        for path in ["/odd/things/3", "/odd/things/3?verbose=1", "/odd/things/3?verbose=x",
                     "/odd/things/11", "/odd/things/x", "/odd/search?q=a&tag=b&tag=c",
                     "/odd/search", "/odd/search?q="]:
            a, b = flask_client.get(path), fastapi_client.get(path)
            assert (a.status_code, a.get_data(), a.headers.get("Content-Type")) == (
                b.status_code, b.content, b.headers.get("content-type")), (path, a.get_data(), b.content)
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False, timeout=120,
                          env={"PYTHONPATH": f"{FIXTURE}:{tmp_path}", "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


def test_json_fastapi_opts_into_fastapis_encoding(tmp_path):
    """`--json fastapi`: same values, FastAPI's bytes (insertion order, no trailing newline)."""
    out = tmp_path / "migrated_odd"
    convert_project(FIXTURE, out, json_encoding="fastapi")
    assert 'LegacyBridge(json_encoding="fastapi")' in (out / "bridge.py").read_text()
    probe = textwrap.dedent("""
        import json
        from fastapi.testclient import TestClient
        from app import app as flask_app
        from migrated_odd.main import create_app
        b = TestClient(create_app(flask_app)).get("/odd/things/3?verbose=1")
        a = flask_app.test_client().get("/odd/things/3?verbose=1")
        assert a.get_data() == b'{"id":3,"verbose":1}\\n', a.get_data()
        assert b.content == b'{"id":3,"verbose":1}', b.content
        b = TestClient(create_app(flask_app)).get("/odd/search?q=z&tag=t")
        assert b.content == b'{"q":"z","tags":["t"]}' and b.status_code == 200, b.content
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False, timeout=120,
                          env={"PYTHONPATH": f"{FIXTURE}:{tmp_path}", "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


REBINDING_MODULE = '''\
from flask import Flask, Response, jsonify

try:
    from werkzeug.wrappers import Response  # Werkzeug's: text/plain by default
except ImportError:
    from werkzeug.wrappers import BaseResponse as Response

LIMIT = 5
LIMIT = 7

app = Flask(__name__)


@app.route("/plain")
def plain():
    return Response("x" * LIMIT)


@app.route("/data")
def data():
    return jsonify(limit=LIMIT)
'''


def test_a_name_bound_twice_or_conditionally_is_imported_from_the_legacy_module(tmp_path):
    """Which binding of `Response` or `LIMIT` wins is only known at run time, so the router
    imports them from the legacy module (their run-time values), not from the first import."""
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "rebinding.py").write_text(REBINDING_MODULE)
    out = tmp_path / "migrated_rebinding"
    result = convert_project(legacy, out)
    assert sorted(v.route.endpoint for v in result.converted) == ["data", "plain"]
    router = (out / "routers" / "app_routes.py").read_text()
    assert "from rebinding import LIMIT, Response" in router
    assert "from flask import Response" not in router
    assert "from werkzeug" not in router
    probe = textwrap.dedent("""
        from fastapi.testclient import TestClient
        from rebinding import app as flask_app
        from migrated_rebinding.main import create_app
        fastapi_client = TestClient(create_app(flask_app))
        flask_client = flask_app.test_client()
        for path in ["/plain", "/data"]:
            a, b = flask_client.get(path), fastapi_client.get(path)
            assert (a.status_code, a.get_data(), a.headers["Content-Type"]) == (
                b.status_code, b.content, b.headers["content-type"]), (path, a.headers, b.headers)
        assert flask_client.get("/plain").headers["Content-Type"].startswith("text/plain")
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False, timeout=120,
                          env={"PYTHONPATH": f"{legacy}:{tmp_path}", "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
