"""verify's inputs and its comparison, on their own: bad cases files and log lines are reported
with file and line and never crash; the comparison tells a wire-format difference from a value
difference and applies only declared ignores."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from migrator.model import PathParameter, Route
from migrator.verify.casefile import CaseFileError, load_case_file
from migrator.verify.cases import CaseHints, CredentialProfile, Credentials, generate_cases
from migrator.verify.compare import Answer, CompareOptions, compare_answers
from migrator.verify.replay import read_access_logs


def answer(body: bytes, status=200, content_type="application/json", headers=()):
    return Answer(status, [("content-type", content_type), *headers], body)


def aspects(legacy, new, **options):
    return [m.aspect for m in compare_answers(legacy, new, CompareOptions(**options))]


def test_same_value_other_bytes_is_a_wire_format_difference_unless_native_json():
    flask = answer(b'{"a":1,"b":"\\u00e9"}\n')  # sorted, ASCII, newline: Flask's provider
    fastapi = answer('{"b":"é","a":1}'.encode())
    assert aspects(flask, fastapi) == ["json-wire-format"]
    assert aspects(flask, fastapi, native_json=True) == []
    assert aspects(flask, answer(b'{"a":2,"b":"\\u00e9"}\n')) == ["json"]
    found = compare_answers(flask, answer(b'{"a":2,"b":"x"}'), CompareOptions())
    assert found[0].detail == "/a"  # the first differing pointer


def test_ignored_pointers_are_removed_from_both_sides_only_where_declared():
    flask = answer(b'{"items":[{"id":1,"created_at":"09:00:00"}],"created_at":"09:00:00"}\n')
    later = answer(b'{"items":[{"id":1,"created_at":"09:00:01"}],"created_at":"09:00:01"}\n')
    assert aspects(flask, later) == ["json"]
    assert aspects(flask, later, ignore=("/created_at",)) == ["json"]
    assert aspects(flask, later, ignore=("/created_at", "/items/*/created_at")) == []
    reordered = answer(b'{"created_at":"x","items":[{"created_at":"y","id":1}]}\n')
    assert aspects(flask, reordered, ignore=("/created_at", "/items/*/created_at")) == []
    swapped = answer(b'{"items":[{"created_at":"y","id":1}],"created_at":"x"}')
    assert aspects(flask, swapped, ignore=("/created_at", "/items/*/created_at")) == [
        "json-wire-format"]  # the trailing newline survives the ignore


def test_status_type_location_cookies_and_text():
    html = answer(b"<p>\n  hi </p>", content_type="text/html; charset=utf-8")
    assert aspects(html, answer(b"<p> hi </p>", content_type="text/html; charset=utf-8")) == []
    assert aspects(html, answer(b"<p>ho</p>", content_type="text/html; charset=utf-8")) == [
        "body"]
    assert aspects(html, answer(b"<p> hi </p>", status=201, content_type="text/html")) == [
        "status", "content-type"]
    moved = answer(b"", 302, "text/html", [("location", "http://localhost/a?next=%2Fb")])
    same = answer(b"", 302, "text/html", [("location", "/a?next=%2Fb")])
    other = answer(b"", 302, "text/html", [("location", "/b")])
    assert aspects(moved, same) == [] and aspects(moved, other) == ["location"]
    session = answer(b"{}", headers=[("set-cookie", "session=abc; HttpOnly; Path=/")])
    again = answer(b"{}", headers=[("set-cookie", "session=xyz; Path=/")])
    assert aspects(session, again) == [] and aspects(session, answer(b"{}")) == ["set-cookie"]
    assert aspects(answer(b"{}"), answer(b"{}"), expect_status=201) == ["expected-status"] * 2
    crashed = Answer(0, [], b"", error="RuntimeError: boom")
    assert aspects(answer(b"{}"), crashed) == ["error"]


def test_json_lines_are_compared_document_by_document():
    flask = answer(b'{"id": 0}\n{"id": 1}\n')
    assert aspects(flask, answer(b'{"id": 0}\n{"id": 1}\n')) == []
    assert aspects(flask, answer(b'{"id": 0}\n{"id": 2}\n')) == ["json"]


def test_bad_cases_file_entries_are_reported_with_their_line_and_skipped(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(
        "credentials:\n"
        "  key: {correct: {headers: {X-Key: k}}}\n"
        "  broken: {headers: {X-Key: k}}\n"           # line 3: no 'correct'
        "values: {slug: [a, b]}\n"
        "unknown_section: 1\n"                        # line 5
        "ignore: {'/api/*': [created_at]}\n"          # line 6: not a pointer
        "cases:\n"
        "  - {method: GET, path: /a}\n"
        "  - {method: FETCH, path: /a}\n"             # line 9
        "  - {path: no-slash}\n"                      # line 10
        "  - {path: /a, json: {}, form: {}}\n"        # line 11
        "  - {path: /a, expect_status: 999}\n"        # line 12
        "  - {path: /a, credentials: nobody}\n"       # line 13
        "  - {path: /b, credentials: key, query: {q: x}, json: [1]}\n")
    loaded = load_case_file(path)
    assert [(p.line, p.reason.split(":")[0]) for p in loaded.problems] == [
        (3, "credentials.broken"), (5, ("unknown section 'unknown_section' (expected cases, "
                                       "credentials, values, examples, ignore)")),
        (6, "ignore./api/*"), (9, "cases[1]"), (10, "cases[2]"), (11, "cases[3]"),
        (12, "cases[4]"), (13, "unknown credentials profile 'nobody'")]
    assert all(p.file == str(path) for p in loaded.problems)
    assert [(c.request.method, c.request.target, profile) for c, profile in loaded.cases] == [
        ("GET", "/a", None), ("GET", "/b?q=x", "key")]
    assert loaded.cases[1][0].request.body == b"[1]"
    assert loaded.hints.values == {"slug": ["a", "b"]}
    assert [p.name for p in loaded.profiles] == ["key"]


@pytest.mark.parametrize("text, line", [("cases:\n  - {method: GET\n", 3),
                                        ("[1, 2]\n", 1), ('{"cases": [}\n', 1)])
def test_a_cases_file_that_does_not_parse_is_one_error_with_its_line(tmp_path, text, line):
    path = tmp_path / "cases.json"
    path.write_text(text)
    with pytest.raises(CaseFileError, match=rf"^{path}:{line}: "):
        load_case_file(path)


def test_json_cases_file(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": [{"method": "POST", "path": "/x", "form": {"a": "1"},
                                           "expect_status": 302}]}, indent=1))
    (case, _), = load_case_file(path).cases
    assert case.request.body == b"a=1" and case.expect_status == 302
    assert case.origin == f"{path}:3"


def test_log_lines_that_do_not_parse_are_counted_never_fatal(tmp_path):
    log = tmp_path / "access.log"
    log.write_bytes(
        b'1.2.3.4 - - [30/Nov/2026:09:00:01 +0000] "GET /a?x=1 HTTP/1.1" 200 5 "-" "ua"\n'
        b"\n"
        b"\xff\xfe garbage\n"
        b'1.2.3.4 - - [30/Nov/2026:09:00:01 +0000] "GET http://evil/ HTTP/1.1" 400 5 "-" "-"\n'
        b'1.2.3.4 - - [30/Nov/2026:09:00:01 +0000] "GET /a?x=1" 200 5 "-" "-"\n'
        b'1.2.3.4 - - [30/Nov/2026:09:00:0'  # truncated last line
    )
    replay = read_access_logs([log])
    assert [(p.line, p.reason[:20]) for p in replay.malformed] == [
        (3, "not in combined/guni"), (4, "not an origin-form t"), (5, "not a request line: "),
        (6, "not in combined/guni")]
    assert [(c.request.method, c.request.target) for c in replay.cases] == [("GET", "/a?x=1")]


class Review(BaseModel):
    rating: int = Field(ge=1, le=5)
    body: str = Field(min_length=1, max_length=10)
    mood: Literal["happy", "sad"]
    title: str | None = None


def test_typed_bodies_are_generated_from_the_openapi_schema():
    """When a body is a Pydantic model (as the models work makes them), the valid body and the
    invalid ones come from its schema: required fields, types, bounds and enums."""
    app = FastAPI()

    @app.post("/items/{item_id}/reviews", name="api.add_review")
    def add_review(item_id: int, review: Review, limit: int = 3):
        return {}

    schema = app.openapi()
    operation = schema["paths"]["/items/{item_id}/reviews"]["post"]
    route = Route(rule="/items/<int:item_id>/reviews", methods=["POST"], endpoint="api.add_review",
                  blueprint=None, app=None, file="x.py", line=1, function="add_review",
                  decorators=["require_api_key"], parameters=[PathParameter("item_id", "int")])
    key = CredentialProfile("key", Credentials(headers=(("X-Key", "k"),)),
                            Credentials(headers=(("X-Key", "bad"),)), decorators=("require_api_key",))
    cases = generate_cases(route, "POST", operation, schema["components"]["schemas"], [key],
                           CaseHints())
    bodies = {c.label: json.loads(c.request.body) for c in cases
              if c.request.body and c.request.body != b"not json"}
    assert bodies["valid body"] == {"rating": 1, "body": "a", "mood": "happy"}
    assert {"required field 'rating' missing", "required field 'mood' missing",
            "field 'rating' of the wrong type", "field 'rating' = 6",
            "field 'body' = \"aaaaaaaaaaa\"", "field 'body' = \"\""} <= set(bodies)
    assert "required field 'title' missing" not in bodies  # optional: not in the valid body
    paths = {c.request.path for c in cases}
    assert {"/items/1/reviews", "/items/999999/reviews", "/items/abc/reviews"} <= paths
    assert any(c.request.query == (("limit", "not-a-number"),) for c in cases)
    labels = [c.label for c in cases]
    valid = labels.index("valid body")
    assert labels[valid + 1:valid + 3] == ["valid body, without credentials",
                                           "valid body, wrong credentials"]
    assert cases[valid].credentials == (key.correct,) and cases[valid + 1].credentials == ()
    assert cases[valid + 2].credentials == (key.wrong,)
    assert cases[valid + 1].request == cases[valid].request


@pytest.mark.parametrize("extra, message", [
    (["--from-log", "missing.log"], "access log not found: missing.log"),
    (["--ignore", "created_at"], "--ignore takes JSON pointers"),
    (["--cases", "{bad}"], ":3: not YAML or JSON"),
    ([], "--legacy: cannot import no_such_module: ModuleNotFoundError"),
])
def test_cli_usage_errors_exit_2_with_one_line(tmp_path, monkeypatch, extra, message):
    from typer.testing import CliRunner

    from migrator.cli import app as cli_app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("cases:\n  - {method: GET\n")
    extra = [str(tmp_path / "bad.yaml") if a == "{bad}" else a for a in extra]
    done = CliRunner().invoke(cli_app, ["verify", "--legacy", "no_such_module:app",
                                        "--new", "no_such_package.main:app", *extra])
    assert done.exit_code == 2
    assert message in done.stderr and done.stderr.count("\n") == 1


def test_credentials_follow_what_the_openapi_operation_declares():
    """A route whose scan shows no auth decorator still gets the credential cases when its
    OpenAPI operation declares the profile's header (as a security scheme or a parameter)."""
    from fastapi import Depends
    from fastapi.security import APIKeyHeader

    from migrator.verify.cases import declared_credentials

    app = FastAPI()

    @app.get("/secret", name="secret", dependencies=[Depends(APIKeyHeader(name="X-Key"))])
    def secret():
        return {}

    schema = app.openapi()
    operation = schema["paths"]["/secret"]["get"]
    declared = declared_credentials(operation, schema["components"]["securitySchemes"])
    assert declared == {"x-key"}
    route = Route(rule="/secret", methods=["GET"], endpoint="secret", blueprint=None, app=None,
                  file="x.py", line=1, function="secret")
    key = CredentialProfile("key", Credentials(headers=(("X-Key", "k"),)))
    other = CredentialProfile("other", Credentials(headers=(("X-Other", "o"),)))
    cases = generate_cases(route, "GET", operation, {}, [key, other], CaseHints(), declared)
    assert any(c.label.endswith(", without credentials") for c in cases)
    assert all(c.credentials in ((key.correct,), ()) for c in cases)
    assert not any(c.label.endswith("credentials") for c in
                   generate_cases(route, "GET", operation, {}, [key], CaseHints()))


def test_the_root_rule_gets_no_toggled_slash_case() -> None:
    """Toggling the slash of `/` gave `//`, which Werkzeug's test client reads as a URL with an
    empty host: flaskr's index then "failed" with 308 from Flask against 200 from FastAPI,
    while Flask under a WSGI server answers `//` with the index as FastAPI did."""
    def paths(rule: str) -> list[str]:
        route = Route(rule=rule, methods=["GET"], endpoint="e", blueprint=None, app=None,
                      file="x.py", line=1, function="e")
        return [c.request.path for c in generate_cases(route, "GET", {}, {}, [], CaseHints())
                if c.label == "trailing slash toggled"]

    assert paths("/") == []
    assert paths("/a") == ["/a/"]
    assert paths("/a/") == ["/a"]


def test_a_rule_werkzeug_merges_the_slashes_of_is_requested_at_its_path() -> None:
    """cellxgene's rules `//api/v0.2/...` (its prefix "/" + "/api/v0.2") answer at
    `/api/v0.2/...`, where the converted route is: a case for `//api/v0.2/config` would be a
    URL with a host `api` to Werkzeug's test client. A rule that keeps its slashes (`merge_slashes
    =False`) is requested as written."""
    def paths(rule: str, options: dict[str, str]) -> set[str]:
        route = Route(rule=rule, methods=["GET"], endpoint="e", blueprint=None, app=None,
                      file="x.py", line=1, function="e",
                      parameters=[PathParameter("n", "int")] if "<" in rule else [])
        route.rule_options = options
        return {c.request.path for c in generate_cases(route, "GET", {}, {}, [], CaseHints())}

    merged = paths("//api/v0.2//items/<int:n>", {"merge_slashes": "True"})
    assert merged and all(path.startswith("/api/v0.2/items/") for path in merged), merged
    assert paths("//api/v0.2/config", {"merge_slashes": "True"}) == {
        "/api/v0.2/config", "/api/v0.2/config/"}
    assert paths("/kept//b", {}) == {"/kept//b", "/kept//b/"}


NOTHING_CONVERTS = '''
from flask import Flask


class AuditedFlask(Flask):  # it runs every view: converted routes would not (scan.class_override)
    def dispatch_request(self):
        return super().dispatch_request()


app = AuditedFlask(__name__)


@app.get("/only")
def only():
    return {"only": True}
'''


def test_verify_says_when_the_package_converts_nothing(tmp_path, monkeypatch):
    """Blazar and explainerdashboard convert no route: verify said "none of the generated
    app's routes is named after an endpoint of the legacy app", as for a wrong --new. It now says
    the package converts nothing, so there is nothing to compare (a usage error all the same:
    nothing was verified)."""
    from typer.testing import CliRunner

    from migrator.cli import app as cli_app
    from tests.example_support import converted_snippet

    with converted_snippet(tmp_path, "unconverted_app", NOTHING_CONVERTS,
                           "unconverted_fastapi") as (result, _out, _legacy):
        assert result.converted == [] and len(result.left) == 1
        monkeypatch.chdir(tmp_path)
        done = CliRunner().invoke(cli_app, ["verify", "--legacy", "unconverted_app:app",
                                            "--new", "unconverted_fastapi.main:app"])
    assert done.exit_code == 2
    assert done.stderr == (
        "migrate: error: no migrated route found: the generated package converts no route "
        "(`migrate convert` left every route on Flask; its report says why), so the legacy app "
        "answers every request through the mount: nothing to compare\n")
