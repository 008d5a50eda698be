"""`migrate verify` on the example app and its generated package (issue 6's acceptance).

- Every converted route verifies green, with at least 5 generated cases per route, including
  invalid input and, for routes behind an auth decorator, missing credentials.
- Mutations of the generated code (a status code, a default value, a dropped field, a removed
  auth check, a changed path converter) are each reported on exactly the mutated route.
- Access logs in Nginx's combined and gunicorn's default format are replayed; malformed lines
  are counted with their line numbers and skipped.

The example is converted once for the module; every run uses the example's own setup function
(a fresh database per case) and cases file, as a user would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from typer.testing import CliRunner

from migrator.cli import app as cli_app
from migrator.verify.casefile import load_case_file
from migrator.verify.replay import read_access_logs
from migrator.verify.run import VerifyInputs, verify_routes
from tests.example_support import EXAMPLE, converted_example, forget_package

PACKAGE = "verified_example"
LEGACY = "legacy_flask_app:create_app"
SETUP = "legacy_flask_app.verify_setup:fresh_database"
CASES = EXAMPLE / "verify_cases.yaml"
INVALID_INPUT = re.compile(r"refuses|wrong type|missing|not JSON|not found|= \(empty\)|"
                           r"unknown query|= \"\"|= 0|= -1|empty JSON")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("verify")
    # The apps `--new PACKAGE.main:app` builds call create_app() without a config: keep their
    # default database out of the source tree (the setup function gives each its own anyway).
    settings = folder / "legacy_settings.py"
    settings.write_text(f"DATABASE = {str(folder / 'unused.sqlite3')!r}\n"
                        f"UPLOAD_FOLDER = {str(folder / 'unused-uploads')!r}\n")
    previous = os.environ.get("LEGACY_APP_SETTINGS")
    os.environ["LEGACY_APP_SETTINGS"] = str(settings)
    try:
        with converted_example(folder, PACKAGE) as (result, out):
            yield result, out
    finally:
        if previous is None:
            del os.environ["LEGACY_APP_SETTINGS"]
        else:
            os.environ["LEGACY_APP_SETTINGS"] = previous


def run(package: str, **options):
    return verify_routes(VerifyInputs(LEGACY, f"{package}.main:app",
                                      case_file=load_case_file(CASES), setup=SETUP, **options))


@pytest.fixture(scope="module")
def green(generated):
    return run(PACKAGE)


def test_every_converted_route_verifies_green(generated, green):
    result, _ = generated
    problems = [f"{r.migrated.label}: {o.case.label}: {o.case.request.method} "
                f"{o.case.request.target}: {'; '.join(map(str, o.mismatches))}"
                for r in green.routes for o in r.failed]
    assert not problems, "\n".join(problems)
    assert green.ok and not green.case_file_problems
    converted = {view.route.endpoint for view in result.converted}
    assert {r.migrated.route.endpoint for r in green.routes} == converted
    assert len(converted) == 50


def test_each_route_has_five_generated_cases_with_invalid_input_and_missing_credentials(green):
    for route in green.routes:
        generated = [o.case for o in route.outcomes if o.case.source == "generated"]
        assert len(generated) >= 5, route.migrated.label
        assert any(INVALID_INPUT.search(c.label) for c in generated), route.migrated.label
        if {"require_api_key", "login_required"} & set(route.migrated.route.decorators):
            labels = [c.label for c in generated]
            assert any("without credentials" in label for label in labels), route.migrated.label
            assert any("wrong credentials" in label for label in labels), route.migrated.label
            # the other cases carry the correct credentials, so valid input reaches the view
            statuses = {o.legacy.status for o in route.outcomes if o.case.credentials}
            assert statuses - {401, 403, 302}, route.migrated.label
    user_cases = [o for r in green.routes for o in r.outcomes if o.case.source == "cases-file"]
    assert len(user_cases) == 7
    assert any(o.case.expect_status == 401 and o.legacy.status == 401 for o in user_cases)


def _remove_auth(text: str) -> str:
    # today convert keeps the legacy decorator; the auth work may turn it into a dependency
    if "@require_api_key\ndef delete_review" in text:
        return text.replace("@require_api_key\ndef delete_review", "def delete_review")
    dependency = re.search(r'(@router\.delete\("/\{review_id:int\}"[^\n]*?)'
                           r',\s*dependencies=\[[^\]]*\]', text)
    assert dependency, "the auth check of delete_review is in neither known form"
    return text[:dependency.start()] + dependency.group(1) + text[dependency.end():]


def _replace_once(old: str, new: str):
    def mutate(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} is not in the generated code exactly once"
        return text.replace(old, new)
    return mutate


MUTATIONS = {
    "status_code": ("routers/api_reviews.py", "api.reviews.*", "api.reviews.create_review",
                    _replace_once("(cur.lastrowid)), 201", "(cur.lastrowid)), 200")),
    "default_value": ("routers/api.py", "api.item*", "api.item_list",
                      _replace_once('sort: Annotated[str, Query()] = "id"',
                                    'sort: Annotated[str, Query()] = "price"')),
    "dropped_field": ("routers/api_reviews.py", "api.reviews.*", "api.reviews.list_reviews",
                      _replace_once('{"reviews": reviews, "count": len(reviews)}',
                                    '{"reviews": reviews}')),
    "removed_auth": ("routers/api_reviews.py", "api.reviews.*", "api.reviews.delete_review",
                     _remove_auth),
    "path_converter": ("routers/api_reviews.py", "api.reviews.*", "api.reviews.get_review",
                       _replace_once('get("/{review_id:int}"', 'get("/{review_id}"')),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_reported_on_the_mutated_route(generated, name):
    _, out = generated
    file, routes, endpoint, mutate = MUTATIONS[name]
    package = f"mutated_{name}"
    copy = out.parent / package
    shutil.copytree(out, copy)
    try:
        path = copy / file
        path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
        result = run(package, patterns=[routes], setup_each="route")
    finally:
        forget_package(package)
        shutil.rmtree(copy)
    assert len(result.routes) >= 3  # the mutated route's neighbours were verified too
    assert {r.migrated.route.endpoint for r in result.routes if not r.passed} == {endpoint}


def test_cli_reports_a_mismatch_with_exit_1_and_json(generated, tmp_path):
    _, out = generated
    package = "mutated_cli"
    shutil.copytree(out, tmp_path / package)
    path = tmp_path / package / "routers" / "api_reviews.py"
    path.write_text(path.read_text().replace("(cur.lastrowid)), 201", "(cur.lastrowid)), 202"))
    os.chdir(tmp_path)  # `--new` names a package of the working folder
    try:
        args = ["verify", "--legacy", LEGACY, "--new", f"{package}.main:app", "--setup", SETUP,
                "--cases", str(CASES), "--route", "/api/v1/reviews/", "--setup-each", "route"]
        table = CliRunner().invoke(cli_app, args)
        as_json = CliRunner().invoke(cli_app, [*args, "--format", "json"])
    finally:
        os.chdir(EXAMPLE.parent.parent)
        forget_package(package)
    assert table.exit_code == 1, table.output
    assert "api.reviews.create_review" in table.output
    assert "status" in table.output and "202" in table.output
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    failing = [r for r in report["routes"] if not r["ok"]]
    assert [r["endpoint"] for r in failing] == ["api.reviews.create_review"]
    assert any(m["aspect"] == "status" and m["new"] == "202"
               for item in report["mismatches"] for m in item["mismatches"])


NGINX_LOG = """\
127.0.0.1 - - [30/Nov/2026:09:00:01 +0000] "GET /api/v1/tags HTTP/1.1" 200 57 "-" "curl/8.5"
127.0.0.1 - - [30/Nov/2026:09:00:02 +0000] "GET /api/v1/search?q=hammer&limit=2 HTTP/1.1" \
200 310 "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64)"
127.0.0.1 - - [30/Nov/2026:09:00:02 +0000] "GET /api/v1/tags HTTP/1.1" 200 57 "-" "curl/8.5"
10.0.0.7 - alice [30/Nov/2026:09:00:03 +0000] "GET /api/v1/items/2 HTTP/2.0" 200 200 "-" "-"
10.0.0.7 - - [30/Nov/2026:09:00:04 +0000] "POST /api/v1/reviews/1/helpful HTTP/1.1" 200 20 "-" "-"
this line is not an access log line
10.0.0.7 - - [30/Nov/2026:09:00:05 +0000] "\\x16\\x03\\x01" 400 150 "-" "-"
10.0.0.7 - - [30/Nov/2026:09:00:06 +0000] "GET /api/v1/items/1/datasheet HTTP/1.1" 401 30 "-" "-"
"""

GUNICORN_LOG = """\
127.0.0.1 - - [30/Nov/2026:09:10:00 +0000] "GET /users/alice/profile HTTP/1.1" 200 80 "-" "python-requests/2.32"
127.0.0.1 - - [30/Nov/2026:09:10:01 +0000] "GET /api/v1/convert/10.5/EUR HTTP/1.1" 200 60 "-" "python-requests/2.32"
127.0.0.1 - - [30/Nov/2026:09:10:02 +0000] "HEAD /api/v1/categories HTTP/1.1" 200 0 "-" "python-requests/2.32"
127.0.0.1 - - [30/Nov/2026:09:10:03 +0000] "DELETE /api/v1/reviews/2 HTTP/1.1" 204 0 "-" "python-requests/2.32"
127.0.0.1 - - [30/Nov/2026:09:10:04 +0000] "GET /api/v1/reviews/?item_id=1 HTTP/1.1" 200 400 "-"
127.0.0.1 - - [30/Nov/2026:09:10:05 +0000] "BREW /pot HTTP/1.1" 418 0 "-" "-"
"""


def test_access_logs_are_replayed_and_malformed_lines_counted(generated, tmp_path):
    nginx, gunicorn = tmp_path / "access.log", tmp_path / "gunicorn-access.log"
    nginx.write_text(NGINX_LOG)
    gunicorn.write_text(GUNICORN_LOG)
    replay = read_access_logs([nginx, gunicorn])
    assert replay.lines == 14
    assert [(p.file, p.line) for p in replay.malformed] == [
        (str(nginx), 6), (str(nginx), 7), (str(gunicorn), 6)]
    assert replay.duplicates == 1 and replay.writes_skipped == 2
    result = run(PACKAGE, replay=replay, generate=False, setup_each="route")
    replayed = {o.case.origin: o for r in result.routes for o in r.outcomes
                if o.case.source == "replay"}
    # the signed datasheet is not migrated: counted as matching no route, not run
    assert [c.origin for c in result.unmatched if c.source == "replay"] == [f"{nginx}:8"]
    assert len(replayed) == 7
    assert all(not o.mismatches for o in replayed.values())
    assert replayed[f"{nginx}:4"].legacy.status == 200  # /api/v1/items/2 answered, not 404
    with_writes = read_access_logs([nginx, gunicorn], replay_writes=True)
    assert len(with_writes.cases) == len(replay.cases) + 2 and with_writes.writes_skipped == 0


def test_wire_format_differences_fail_unless_the_app_opted_into_fastapi_json(tmp_path):
    with converted_example(tmp_path, "native_json_example", json_encoding="fastapi",
                           patterns=["api.reviews.*"]):
        native = run("native_json_example", patterns=["api.reviews.*"], setup_each="route")
        manifest = tmp_path / "native_json_example" / ".migrate-manifest.json"
        manifest.write_text(manifest.read_text().replace('"json_encoding": "fastapi"',
                                                         '"json_encoding": "flask"'))
        forget_package("native_json_example")
        strict = run("native_json_example", patterns=["api.reviews.*"], setup_each="route")
    assert native.native_json and native.ok, [r.to_json() for r in native.routes if not r.passed]
    assert not strict.native_json and not strict.ok
    wire = {m.aspect for r in strict.routes for o in r.outcomes for m in o.mismatches}
    assert wire == {"json-wire-format"}


def test_a_real_gunicorn_access_log_is_replayed(generated, tmp_path):
    """gunicorn serves the Flask app and writes its access log in its default format; the log
    of that real run is replayed against both apps."""
    settings = tmp_path / "settings.py"
    settings.write_text(f"DATABASE = {str(tmp_path / 'served.sqlite3')!r}\n"
                        f"UPLOAD_FOLDER = {str(tmp_path / 'uploads')!r}\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn-access.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(log), "legacy_flask_app.wsgi:app"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(EXAMPLE.parent),
             "LEGACY_APP_SETTINGS": str(settings)})
    paths = ["/api/v1/tags", "/api/v1/search?q=hammer&limit=1", "/api/v1/items/2",
             "/users/alice/profile", "/api/v1/categories/tools", "/api/v1/items/999",
             "/api/v1/tags", "/health", "/api/v1/items/export.ndjson",
             "/api/v1/items/1/datasheet"]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "no gunicorn"
                time.sleep(0.2)
        for path in paths:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).close()
            except urllib.error.HTTPError:
                pass  # a 404 is logged like any answer
    finally:
        server.terminate()
        server.wait(timeout=30)
    replay = read_access_logs([log])
    assert not replay.malformed and replay.lines >= len(paths)
    result = run(PACKAGE, replay=replay, generate=False, setup_each="route")
    replayed = [o for r in result.routes for o in r.outcomes if o.case.source == "replay"]
    assert {o.case.request.target for o in replayed} == set(paths) - {
        "/api/v1/items/1/datasheet"}  # not migrated
    assert all(not o.mismatches for o in replayed)
