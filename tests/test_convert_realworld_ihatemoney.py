"""`migrate convert` on ihatemoney from PyPI (7.2.1), run: a shared-budget manager nobody here
wrote, with two blueprints (Flask-WTF pages with a session login, and a Flask-RESTful API
behind HTTP Basic auth through its `need_auth` decorator, which hands the view the project in
place of `project_id`: FM028), Flask-Babel, Flask-Limiter, Flask-Talisman's headers, SQLAlchemy
with history (SQLAlchemy-Continuum), and WSGI middleware around `wsgi_app` (its own
`PrefixedWSGI`, then Werkzeug's `ProxyFix`).

Every one of its 44 routes converts with no TODO, and the package adds no ruff finding to the
legacy modules' own. Each side gets its own app and database, made with the configuration of
ihatemoney's own tests (CSRF off, as its tests have it, so forms post without a token), and the
same requests in the same order: a project is made, logged into, given members (through a page
and through the API) and bills (the same), then every page and API resource is read with GET and
HEAD, the API with the right password, a wrong one and none, and the visitor logs out. The
converted app answers every request as ihatemoney does (status, `Location`, content type, body
bytes), and answers them itself, but for the paths no rule has.

The project's password hash signs its feed and invite links. Werkzeug salts each hash at random,
so the probe gives both sides one salt; otherwise the two projects' links differ. The history
page shows each change's time to the second, which the two sides may not share: its times are
masked (a flaky failure in CI before).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from migrator.convert.run import convert_project
from tests.lint_support import new_lint_findings
from tests.realworld import ihatemoney_site, realworld_cache  # noqa: F401 (fixtures)

PROBE = textwrap.dedent(r'''
    import base64, json, re, tempfile, warnings
    warnings.simplefilter("ignore")
    import werkzeug.security
    from fastapi.testclient import TestClient
    from ihatemoney.run import create_app as make_legacy
    from migrated_ihatemoney import flask_compat
    from migrated_ihatemoney.main import create_app

    werkzeug.security.gen_salt = lambda length: "s" * length  # one salt for both sides


    def legacy_app():
        folder = tempfile.mkdtemp()

        class Config:  # ihatemoney's own tests' settings
            SECRET_KEY = "TEST SESSION"
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/ihatemoney.db"
            ENABLE_CAPTCHA = False
            PASSWORD_HASH_METHOD = "pbkdf2:sha1:1"
            PASSWORD_HASH_SALT_LENGTH = 1
            WTF_CSRF_ENABLED = False
            SESSION_COOKIE_SECURE = False  # the clients speak plain HTTP
            ACTIVATE_ADMIN_DASHBOARD = True

        return make_legacy(configuration=Config, instance_path=folder)


    mounted = []
    mount_call = flask_compat.LegacyMount.__call__


    async def counted(self, scope, receive, send):
        mounted.append(scope["path"])
        await mount_call(self, scope, receive, send)


    flask_compat.LegacyMount.__call__ = counted
    app = create_app(legacy_app())
    assert len(app.openapi()["paths"]) > 30
    old = legacy_app().test_client()
    new = TestClient(app, base_url="http://localhost", follow_redirects=False)

    def basic(password):
        return {"Authorization": "Basic " + base64.b64encode(
            f"raclette:{password}".encode()).decode()}

    P = "/raclette"
    steps = [
        ("POST", "/create", {"name": "Raclette", "id": "raclette", "password": "raclette",
                             "contact_email": "r@example.org", "default_currency": "XXX",
                             "project_history": "y"}, None),
        ("POST", "/authenticate", {"id": "raclette", "password": "raclette"}, None),
        ("POST", P + "/members/add", {"name": "zorglub", "weight": "1"}, None),
        ("POST", P + "/members/add", {"name": "fred", "weight": "2"}, None),
        ("POST", "/api/projects/raclette/members", {"name": "alexis"}, basic("raclette")),
        ("POST", "/api/projects/raclette/bills",
         {"date": "2011-08-10", "what": "fromage", "payer": "1", "payed_for": ["1", "2"],
          "amount": "25", "bill_type": "Expense"}, basic("raclette")),
        ("POST", P + "/add", {"date": "2011-08-11", "what": "vin", "payer": "2",
                              "payed_for": ["1", "2", "3"], "amount": "12.5",
                              "original_currency": "XXX", "bill_type": "Expense"}, None),
    ]
    pages = ["/", "/healthcheck", "/mobile", "/create", "/password-reminder",
             "/password-reminder-sent", "/authenticate", "/reset-password", "/dashboard",
             "/favicon.ico", "/lang/fr", "/nope", P + "/", P + "/edit", P + "/invite",
             P + "/members/add", P + "/members/1/edit", P + "/add", P + "/edit/1", P + "/edit/9",
             P + "/settle_bills", P + "/history", P + "/statistics", P + "/export/bills.json",
             P + "/export/bills.csv", P + "/export/transactions.json", P + "/export/bills.xls",
             "/other/", "/api/currencies"]
    resources = ["/api/projects/raclette", "/api/projects/raclette/members",
                 "/api/projects/raclette/members/1", "/api/projects/raclette/bills",
                 "/api/projects/raclette/bills/1", "/api/projects/raclette/statistics",
                 "/api/projects/raclette/token", "/api/projects/nope"]

    results = []
    # The history page shows when each change was made, to the second: a step sent to one app
    # and then the other may straddle a second, so the times are masked there (and counted).
    # (French by then, `4 déc. 2026, 14:48:50`: the visitor chose it on `/lang/fr`)
    clock = re.compile(rb"\d{1,2}:\d{2}:\d{2}(?:(?:\xe2\x80\xaf|\s)?[AP]M)?")

    def send(method, path, data=None, headers=None, label=""):
        legacy = old.open(path, method=method, data=data, headers=headers)
        converted = new.request(method, path, data=data, headers=headers)
        legacy_body, converted_body = legacy.get_data(), converted.content
        masked = 0
        if path.endswith("/history"):
            legacy_body, masked = clock.subn(b"<time>", legacy_body)
            converted_body = clock.sub(b"<time>", converted_body)
        results.append({
            "case": f"{method} {path} {label}".strip(),
            "legacy": [legacy.status_code, legacy.headers.get("Location"),
                       legacy.headers.get("Content-Type")],
            "converted": [converted.status_code, converted.headers.get("location"),
                          converted.headers.get("content-type")],
            "same_body": legacy_body == converted_body,
            "times_masked": masked,
        })

    for method, path, data, headers in steps:
        send(method, path, data, headers)
    for path in pages:
        send("GET", path)
        send("HEAD", path)
    for path in resources:
        for label, headers in (("right", basic("raclette")), ("wrong", basic("nope")),
                               ("none", None)):
            send("GET", path, headers=headers, label=label)
    send("POST", "/exit")
    send("GET", P + "/")
    print(json.dumps({"results": results, "mounted": sorted(set(mounted))}))
''')


def test_ihatemoney_converts_whole_and_answers_as_ihatemoney(
        ihatemoney_site: Path, tmp_path: Path) -> None:  # noqa: F811 (the fixture)
    legacy = ihatemoney_site / "ihatemoney"
    out = tmp_path / "migrated_ihatemoney"
    result = convert_project(legacy, out)
    assert not result.left, [(left.route.rule, left.reasons) for left in result.left]
    assert len({view.route.endpoint for view in result.converted}) == 44  # a resource: one each
    assert len(result.converted) == 52  # ... of its methods
    assert [(v.route.rule, v.todos) for v in result.converted if v.todos] == []
    assert new_lint_findings(out, ihatemoney_site, "ihatemoney") == []

    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ihatemoney_site)])})
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    results = found["results"]
    assert len(results) == 91
    differ = [r for r in results if r["legacy"] != r["converted"] or not r["same_body"]]
    assert differ == []
    # the history lists the project's changes, each with its time (masked above)
    assert {r["case"]: r["times_masked"] for r in results}["GET /raclette/history"] >= 5
    statuses = {r["case"]: r["legacy"][0] for r in results}
    assert statuses["POST /create"] == statuses["POST /authenticate"] == 302
    assert (results[-1]["case"], results[-1]["legacy"][0]) == ("GET /raclette/", 303)  # logged out
    assert statuses["GET /api/projects/raclette/bills right"] == 200
    assert statuses["GET /api/projects/raclette/bills wrong"] == 401
    assert statuses["GET /raclette/export/bills.csv"] == 200
    # Werkzeug's redirect of `/nope` to `/nope/` (the `/<project_id>/` rule), which no
    # converted route takes: the only path the legacy mount answered
    assert found["mounted"] == ["/nope"]
