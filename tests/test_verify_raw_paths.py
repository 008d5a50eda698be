"""`migrate verify` gives the generated app each request's path as a server does.

Starlette's test client goes through httpx, which removes `..` segments from a path and whose
path the client decodes once more: a case for `/w/pct%2541` reached FastAPI as `/w/pctA` (Flask
gets `pct%41`, as uvicorn gives FastAPI), and `/w/a/../b` as `/w/b`. On flaskcode, verify
reported a converted route reading `..%252Fsecret.txt` where Flask answered 404: no server does.
"""

from __future__ import annotations

from pathlib import Path

from migrator.verify.casefile import load_case_file
from migrator.verify.replay import read_access_logs
from migrator.verify.run import VerifyInputs, VerifyResult, verify_routes
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


def verified_cases(tmp_path: Path, package: str, source: str, cases: str, converted: int,
                   **inputs) -> VerifyResult:
    """`migrate verify` of the user's `cases` only, on `source` converted (`converted` routes)."""
    (tmp_path / "cases.yaml").write_text(cases, encoding="utf-8")
    with converted_snippet(tmp_path, package, source, f"{package}_fastapi") as (
            result, _out, _legacy):
        assert len(result.converted) == converted
        return verify_routes(VerifyInputs(
            f"{package}:app", f"{package}_fastapi.main:app", generate=False,
            case_file=load_case_file(tmp_path / "cases.yaml"), **inputs))


def test_paths_reach_both_apps_as_a_server_gives_them(tmp_path: Path) -> None:
    verified = verified_cases(tmp_path, "raw_path_app", LEGACY, CASES, 1)
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
    verified = verified_cases(tmp_path, "rooted_app", ROOTED, ROOTED_CASES, 2)
    answers = {outcome.case.request.path: (outcome.legacy.status, outcome.legacy.body,
                                           outcome.new.status, outcome.new.body)
               for route in verified.routes for outcome in route.outcomes}
    assert answers == {
        "//": (200, b'{"host":"localhost","path":"/"}\n') * 2,
        "//w/x": (200, b'{"path":"/w/x","value":"x"}\n') * 2,
    }, answers
    assert verified.ok


TAGS = '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/tags")
def tags():
    return {"tags": request.args.getlist("tag"), "q": request.query_string.decode()}
'''

QUERY_CASES = """
cases:
  - {method: GET, path: "/tags?tag=%FFx&tag=caf%E9"}
  - {method: GET, path: "/tags?tag=a b&tag=%C3%A9"}
  - {method: GET, path: /tags, query: {tag: "%FF"}}
"""


def test_a_query_written_in_the_path_is_sent_as_written(tmp_path: Path) -> None:
    """datagrepper: `{path: "/v2/search?user=%FFx"}` matched no route ("not run") and verify
    still said "all routes verify green"; on a `<path:...>` rule the same case raised Werkzeug's
    "Query string is defined in the path and as an argument"; and `query:` can only say `%FF`
    as `%25FF`. A query in a case's path, and in a replayed log line, is now sent as written
    (spaces and characters that are not ASCII percent-encoded, as clients do)."""
    log = tmp_path / "access.log"
    log.write_bytes(b'1.2.3.4 - - [30/Nov/2026:09:00:00 +0000] "GET /tags?tag=%FF&tag=b '
                    b'HTTP/1.1" 200 5 "-" "-"\n')
    verified = verified_cases(tmp_path, "query_app", TAGS, QUERY_CASES, 1,
                              replay=read_access_logs([log]))
    answers = {outcome.case.request.target: (outcome.legacy.body, outcome.new.body)
               for route in verified.routes for outcome in route.outcomes}
    assert answers == {
        "/tags?tag=%FFx&tag=caf%E9": (
            b'{"q":"tag=%FFx&tag=caf%E9","tags":["%FFx","caf%E9"]}\n',) * 2,
        "/tags?tag=a b&tag=%C3%A9": (
            b'{"q":"tag=a%20b&tag=%C3%A9","tags":["a b","\\u00e9"]}\n',) * 2,
        "/tags?tag=%25FF": (b'{"q":"tag=%25FF","tags":["%FF"]}\n',) * 2,
        "/tags?tag=%FF&tag=b": (b'{"q":"tag=%FF&tag=b","tags":["%FF","b"]}\n',) * 2,
    }, answers
    assert verified.ok


def test_a_query_in_the_path_and_in_query_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").write_text(
        'cases:\n  - {method: GET, path: "/tags?a=1", query: {b: "2"}}\n', encoding="utf-8")
    [problem] = load_case_file(tmp_path / "cases.yaml").problems
    assert problem.line == 2
    assert problem.reason.endswith("give the query in 'path' (as written, `?a=1`) or in "
                                   "'query', not both")
