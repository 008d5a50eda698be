"""Converted query, header and cookie parameters get the value Flask reads, where FastAPI's differs.

`request.args.get("x")` and `request.cookies.get("x")` give the first of repeated values in Flask
(Werkzeug's `MultiDict`); a FastAPI `str` query or cookie parameter gets the last one. A
repeated header reaches Flask joined with "," by the WSGI server (gunicorn, Werkzeug's own
server, and the bridge's environ); a FastAPI `str` header parameter gets the first. Werkzeug also
keeps a percent-escape that is not UTF-8 as it is (Starlette: U+FFFD), reads a bare cookie name
as an empty value and octal escapes in a quoted cookie as UTF-8. The bridge gives the converted
parameters Flask's value, so `?x=1&x=2` answers as it did; a `getlist` parameter gets Flask's
list where an escape is not UTF-8.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/args")
def args():
    first = request.args.get("x")
    n = request.args.get("n", 5, type=int)
    tags = request.args.getlist("tag")
    return {"x": first, "n": n, "tags": tags, "y": request.args.get("y", "none")}


@app.get("/headers")
def headers():
    return {"thing": request.headers.get("X-Thing"), "lang": request.headers.get("Accept-Language", "en")}


@app.get("/cookies")
def cookies():
    return {"tok": request.cookies.get("tok", "none"), "other": request.cookies.get("other")}
'''

# (path, query string, headers as a client sends them)
REQUESTS = [
    ("/args", "x=1&x=2", []),
    ("/args", "x=1&x=", []),
    ("/args", "x=&x=1", []),
    ("/args", "n=3&n=4&tag=a&tag=b&y=p&y=q", []),
    ("/args", "x=1", []),
    ("/args", "x=%ff", []),  # Werkzeug keeps bytes that are not UTF-8 escaped: "%FF"
    ("/args", "x=a%ffb&x=c&y=%C3%A9", []),
    # `getlist` keeps them too (datagrepper's `/v2/search?user=%FFx`): ["%FFx", "caf%E9"]
    ("/args", "tag=%FFx&tag=caf%E9&tag=b", []),
    ("/args", "tag=ok&tag=%ff", []),
    ("/args", "", []),
    ("/headers", "", [("X-Thing", "a"), ("X-Thing", "b")]),
    ("/headers", "", [("Accept-Language", "de"), ("accept-language", "fr"), ("X-Thing", "c")]),
    ("/headers", "", [("X-Thing", "only")]),
    ("/cookies", "", [("Cookie", "tok=a; tok=b")]),
    ("/cookies", "", [("Cookie", "tok=a"), ("Cookie", "tok=b; other=1")]),
    ("/cookies", "", [("Cookie", "xtok=a; tok=b")]),
    ("/cookies", "", [("Cookie", "other=1")]),
    ("/cookies", "", [("Cookie", "tok")]),  # Werkzeug: tok is ""
    ("/cookies", "", [("Cookie", 'tok="\\303\\251"')]),  # Werkzeug: "é" (UTF-8 octal escapes)
    ("/cookies", "", [("Cookie", 'tok="a b"; other="x\\"y"')]),
]


def flask_answer(app, path: str, query: str, headers: list[tuple[str, str]]) -> bytes:
    """Flask's answer as a WSGI server gives it the request: repeated headers joined with ","
    (gunicorn, Werkzeug's server), repeated Cookie headers with "; "."""
    environ = EnvironBuilder(path, query_string=query).get_environ()
    for name, value in headers:
        key = "HTTP_" + name.upper().replace("-", "_")
        if key in environ:
            value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        environ[key] = value
    body, status, _ = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    assert status.startswith("200"), status
    return b"".join(body)


@pytest.mark.parametrize(("path", "query", "headers"), REQUESTS)
def test_converted_parameters_read_repeated_keys_as_flask_does(
        tmp_path: Path, path: str, query: str, headers: list[tuple[str, str]]) -> None:
    with converted_snippet(tmp_path, "repeated_keys_app", LEGACY, "repeated_keys_fastapi") as (
            result, out, _legacy):
        assert len(result.converted) == 3
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        # The converter made them FastAPI parameters: the bridge, not Flask, supplies the values.
        assert 'x: Annotated[str | None, Query()] = None' in router
        assert 'Header(alias="X-Thing"' in router and "Cookie()" in router
        import repeated_keys_app
        from repeated_keys_fastapi.main import create_app

        expected = flask_answer(repeated_keys_app.app, path, query, headers)
        with TestClient(create_app(repeated_keys_app.app)) as client:
            answer = client.get(f"{path}?{query}" if query else path, headers=headers)
        assert answer.status_code == 200
        assert answer.content == expected
