"""`migrate convert` on flaskr, the Flask tutorial app shipped in Flask's own sdist.

It is the shape most small Flask apps have: an app factory, two blueprints, a project
`login_required` decorator that redirects, a `before_app_request` hook that loads the user into
`g`, the session, `flash`, templates and a `get_db()` cached on `g`. Every route but the
endpoint-only `/` rule converts (the factory's nested `/hello` too), and a whole user session
(register, log in, write, edit and delete a post, log out, plus the refusals on the way) gets
the same answers from the generated app as from flaskr itself: status, `Location`, and the HTML
after whitespace normalisation. Both start from their own fresh database. `migrate verify`,
with the cases it generates itself, finds every converted route green.

flaskr is imported in a subprocess, so its package never lingers in this test process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from migrator.convert.run import convert_project
from tests.lint_support import new_lint_findings
from tests.realworld import flaskr_app, realworld_cache  # noqa: F401 (fixtures)

FLOW = textwrap.dedent(r'''
    import json, os, re, sys, tempfile, warnings
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
    from flaskr import create_app
    from flaskr.db import init_db
    from migrated_flaskr import main

    def fresh():
        folder = tempfile.mkdtemp(dir=os.getcwd())  # the test's tmp_path: pytest removes it
        app = create_app({"DATABASE": os.path.join(folder, "flaskr.sqlite"), "SECRET_KEY": "t"})
        with app.app_context():
            init_db()
        return app

    flask_client = fresh().test_client()
    new_app = main.create_app(fresh())
    assert new_app.state.legacy_views_changed == {}  # flaskr's views run as converted
    new_app.openapi()
    fastapi_client = TestClient(new_app, base_url="http://localhost", follow_redirects=False)
    login = {"username": "ada", "password": "secret"}
    steps = [
        ("GET", "/", None), ("GET", "/auth/register", None),
        ("POST", "/auth/register", login), ("POST", "/auth/register", login),
        ("POST", "/auth/register", {"username": "", "password": "p"}),
        ("POST", "/auth/login", {"username": "ada", "password": "wrong"}),
        ("GET", "/create", None), ("POST", "/1/delete", None),
        ("POST", "/auth/login", login), ("GET", "/create", None),
        ("POST", "/create", {"title": "", "body": "b"}),
        ("POST", "/create", {"title": "First", "body": "Hello"}),
        ("GET", "/", None), ("GET", "/1/update", None), ("GET", "/9/update", None),
        ("POST", "/1/update", {"title": "", "body": "x"}),
        ("POST", "/1/update", {"title": "Edited", "body": "Bye"}),
        ("GET", "/", None), ("HEAD", "/1/update", None), ("OPTIONS", "/create", None),
        ("PUT", "/create", None), ("POST", "/1/delete", None), ("POST", "/1/delete", None),
        ("GET", "/auth/logout", None), ("GET", "/1/update", None), ("GET", "/hello", None),
    ]
    html = lambda body: re.sub(rb"\s+", b" ", body).strip()
    results = []
    for method, path, form in steps:
        a = flask_client.open(path, method=method, data=form)
        b = fastapi_client.request(method, path, data=form)
        results.append({
            "step": f"{method} {path} {form}",
            "flask": [a.status_code, a.headers.get("Location"), a.headers.get("Allow"),
                      html(a.data).decode()],
            "fastapi": [b.status_code, b.headers.get("location"), b.headers.get("allow"),
                        html(b.content).decode()],
        })
    print(json.dumps(results))
''')


def test_flaskr_converts_and_a_user_session_gets_the_same_answers(flaskr_app, tmp_path):  # noqa: F811
    out = tmp_path / "migrated_flaskr"
    result = convert_project(flaskr_app.scan_root, out)
    assert sorted((v.route.rule, tuple(v.route.methods)) for v in result.converted) == [
        ("/", ("GET",)),
        ("/<int:id>/delete", ("POST",)),
        ("/<int:id>/update", ("GET", "POST")),
        ("/auth/login", ("GET", "POST")),
        ("/auth/logout", ("GET",)),
        ("/auth/register", ("GET", "POST")),
        ("/create", ("GET", "POST")),
        ("/hello", ("GET",)),  # defined inside create_app (FM026)
    ]
    assert sorted((entry.route.rule, entry.reasons[0].split(":")[0]) for entry in result.left) == [
        ("/", "convert.kind_rule_only"),  # add_url_rule("/", endpoint="index"): no view
    ]
    assert not any(view.todos for view in result.converted)
    assert new_lint_findings(out, flaskr_app.scan_root, "flaskr") == []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(flaskr_app.scan_root), str(tmp_path)])}
    probe = subprocess.run([sys.executable, "-c", FLOW], capture_output=True, text=True,
                           env=env, timeout=300, check=False, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr[-3000:]
    results = json.loads(probe.stdout)
    assert len(results) == 26
    different = [r for r in results if r["flask"] != r["fastapi"]]
    assert different == []
    # the session really went through its states: logged out, refused, logged in, redirected
    answers = [(r["step"], r["flask"][:2]) for r in results]
    assert answers[6] == ("GET /create None", [302, "/auth/login"])  # not logged in yet
    assert answers[9] == ("GET /create None", [200, None])  # logged in
    assert answers[11] == ("POST /create {'title': 'First', 'body': 'Hello'}", [302, "/"])
    assert answers[14] == ("GET /9/update None", [404, None])


SETUP = """
import os, tempfile
from flaskr.db import init_db


def fresh(app):
    # one folder per case, in the test's tmp_path (the working directory), which pytest removes
    app.config["DATABASE"] = os.path.join(tempfile.mkdtemp(dir=os.getcwd()), "flaskr.sqlite")
    with app.app_context():
        init_db()
"""


def test_migrate_verify_finds_flaskr_s_converted_routes_green(flaskr_app, tmp_path):  # noqa: F811
    """`migrate verify` (its own generated cases: valid and invalid input, unknown ids, wrong
    methods, HEAD) on every converted route, each case from a fresh database."""
    convert_project(flaskr_app.scan_root, tmp_path / "migrated_flaskr")
    (tmp_path / "flaskr_setup.py").write_text(SETUP, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(flaskr_app.scan_root), str(tmp_path)])}
    done = subprocess.run(
        [sys.executable, "-m", "migrator", "verify", "--legacy", "flaskr:create_app",
         "--new", "migrated_flaskr.main:app", "--setup", "flaskr_setup:fresh",
         "--format", "json"],
        capture_output=True, text=True, env=env, timeout=300, check=False, cwd=tmp_path)
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    report = json.loads(done.stdout)
    summary = report["summary"]
    assert (summary["routes"], summary["routes_passed"], summary["cases_failed"]) == (8, 8, 0)
    assert summary["cases"] >= 70
