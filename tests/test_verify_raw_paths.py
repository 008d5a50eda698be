"""`migrate verify` gives the generated app each request's path as a server does.

Starlette's test client goes through httpx, which removes `..` segments from a path and whose
path the client decodes once more: a case for `/w/pct%2541` reached FastAPI as `/w/pctA` (Flask
gets `pct%41`, as uvicorn gives FastAPI), and `/w/a/../b` as `/w/b`. On flaskcode, verify
reported a converted route reading `..%252Fsecret.txt` where Flask answered 404: no server does.
"""

from __future__ import annotations

from pathlib import Path

from migrator.verify.casefile import load_case_file
from migrator.verify.run import VerifyInputs, verify_routes
from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask

app = Flask(__name__)


@app.get("/w/<path:value>")
def whole(value):
    return {"value": value}
'''

CASES = """
cases:
  - {method: GET, path: /w/pct%2541}
  - {method: GET, path: /w/a/../b}
  - {method: GET, path: /w/..%252Fsecret.txt}
  - {method: GET, path: /w/caf%C3%A9}
"""


def test_paths_reach_both_apps_as_a_server_gives_them(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").write_text(CASES, encoding="utf-8")
    with converted_snippet(tmp_path, "raw_path_app", LEGACY, "raw_path_fastapi") as (
            result, _out, _legacy):
        assert len(result.converted) == 1
        verified = verify_routes(VerifyInputs(
            "raw_path_app:app", "raw_path_fastapi.main:app", generate=False,
            case_file=load_case_file(tmp_path / "cases.yaml")))
    [route] = verified.routes
    answers = {outcome.case.request.path: (outcome.legacy.body, outcome.new.body)
               for outcome in route.outcomes}
    assert answers == {
        "/w/pct%2541": (b'{"value":"pct%41"}\n',) * 2,
        "/w/a/../b": (b'{"value":"a/../b"}\n',) * 2,
        "/w/..%252Fsecret.txt": (b'{"value":"..%2Fsecret.txt"}\n',) * 2,
        "/w/caf%C3%A9": (b'{"value":"caf\\u00e9"}\n',) * 2,
    }, answers
    assert verified.ok


ROOTED = '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/")
def index():
    return {"path": request.path, "host": request.host}


@app.get("/w/<path:value>")
def whole(value):
    return {"value": value, "path": request.path}
'''

ROOTED_CASES = """
cases:
  - {method: GET, path: "//"}
  - {method: GET, path: "//w/x"}
"""


def test_a_path_that_begins_with_two_slashes_is_a_path_not_a_host(tmp_path: Path) -> None:
    """mapchete's `GET //`: Werkzeug's test client read `//admin/secret` as host `admin` and
    path `/secret`, and httpx sent it to host `admin`, where gunicorn and uvicorn give the apps
    the whole path: verify reported 308 from Flask and 307 from FastAPI for `//`, which both
    servers answer 200 (`curl --path-as-is`), with the bodies below (host aside)."""
    (tmp_path / "cases.yaml").write_text(ROOTED_CASES, encoding="utf-8")
    with converted_snippet(tmp_path, "rooted_app", ROOTED, "rooted_fastapi") as (
            result, _out, _legacy):
        assert len(result.converted) == 2
        verified = verify_routes(VerifyInputs(
            "rooted_app:app", "rooted_fastapi.main:app", generate=False,
            case_file=load_case_file(tmp_path / "cases.yaml")))
    answers = {outcome.case.request.path: (outcome.legacy.status, outcome.legacy.body,
                                           outcome.new.status, outcome.new.body)
               for route in verified.routes for outcome in route.outcomes}
    assert answers == {
        "//": (200, b'{"host":"localhost","path":"/"}\n') * 2,
        "//w/x": (200, b'{"path":"/w/x","value":"x"}\n') * 2,
    }, answers
    assert verified.ok
