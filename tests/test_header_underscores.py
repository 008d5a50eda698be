"""Request headers whose names hold an underscore.

WSGI puts a header in the environ as `HTTP_` + its name upper-cased with `-` made `_`, so
`X_Remote_User` and `X-Remote-User` would share `HTTP_X_REMOTE_USER`. gunicorn (its default
`header_map = "drop"`, since 22.0) and Werkzeug's own server leave such headers out of the legacy
app's environ; a proxy in front that strips or sets `X-Remote-User` does not touch
`X_Remote_User` (nginx drops it too by default, but a generated app may be served directly). The
generated app built the environ of both converted routes and the legacy mount by folding the
names, so a client's `X_Remote_User: admin` reached `request.headers["X-Remote-User"]` (found by
running moto's server, whose S3 metadata `x-amz-meta-my_key` came through). It is now left out,
as those servers leave it out. Flask's test client folds the names, so the reference here is
Werkzeug's server, run on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import threading
from pathlib import Path

from starlette.testclient import TestClient
from werkzeug.serving import make_server

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask, request

app = Flask(__name__)


def seen():
    return {"user": request.headers.get("X-Remote-User"),
            "names": sorted(name for name in request.headers.keys() if name.startswith("X"))}


@app.get("/converted")
def converted():
    return seen()


@app.get("/left")
def left():
    return seen()
'''

CASES = [
    {"X-Remote-User": "alice"},
    {"X_Remote_User": "mallory"},
    {"X-Remote-User": "alice", "X_Remote_User": "mallory"},
    {"X_Remote_User": "mallory", "X-Remote-User": "alice", "X-Other": "1"},
]


def werkzeug_answers(app, path: str) -> list[dict]:
    """What Werkzeug's own server gives the legacy app's view for each of CASES."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    answers = []
    try:
        for headers in CASES:
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("GET", path, headers=headers)
            answers.append(json.loads(connection.getresponse().read()))
            connection.close()
    finally:
        server.shutdown()
        thread.join(10)
    return answers


def test_a_header_named_with_an_underscore_does_not_pose_as_another(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "underscore_app", LEGACY, "underscore_fastapi",
                           patterns=["/converted"]) as (result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/converted"]
        import underscore_app
        from underscore_fastapi.main import create_app

        with TestClient(create_app(underscore_app.app)) as client:
            for path in ("/converted", "/left"):
                expected = werkzeug_answers(underscore_app.app, path)
                assert [answer["user"] for answer in expected] == [
                    "alice", None, "alice", "alice"]
                answers = [client.get(path, headers=headers).json() for headers in CASES]
                assert answers == expected, path
