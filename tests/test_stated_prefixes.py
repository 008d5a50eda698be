"""A blueprint prefix the deployment sets, stated in `[tool.migrate.blueprint-prefixes]`.

`app.register_blueprint(shop, url_prefix=shop_prefix)`, with the prefix a parameter of the
factory whose default is read from the environment, is known only when the app is made: the scan lists the routes as
`<unresolved: url_prefix>/items` and keeps them on Flask. The nearest `pyproject.toml` can state
the prefix the deployment uses; the scan then takes it (noted), the routes convert, and the
generated app checks at start-up that the legacy app really serves them there.
"""

from __future__ import annotations

import logging
import re
import textwrap
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

LEGACY = '''
import os

from flask import Blueprint, Flask

shop = Blueprint("shop", __name__)
reports = Blueprint("reports", __name__)
fixed = Blueprint("fixed", __name__)


@shop.route("/items")
def items():
    return {"items": [1, 2]}


@reports.route("/daily")
def daily():
    return {"report": "daily"}


@fixed.route("/here")
def here():
    return {"fixed": True}


shop.register_blueprint(reports, url_prefix=os.environ.get("REPORTS_PREFIX", "/r"))


def create_app(shop_prefix=os.environ.get("SHOP_PREFIX", "/v1")):
    app = Flask(__name__)
    app.register_blueprint(shop, url_prefix=shop_prefix)
    app.register_blueprint(fixed, url_prefix="/fixed")
    return app
'''

STATED = '''
[project]
name = "shop"

[tool.migrate.blueprint-prefixes]
shop = "/v1"
"shop.reports" = "/r"
fixed = "/elsewhere"
shoop = "/typo"
'''


def _write(root: Path, pyproject: str | None) -> Path:
    package = root / "shop_app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(LEGACY), encoding="utf-8")
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return package


def test_without_a_statement_the_prefix_stays_unknown(tmp_path: Path) -> None:
    result = scan_path(_write(tmp_path, "[project]\nname = 'shop'\n"))
    assert {(r.rule, r.status) for r in result.routes} == {
        ("<unresolved: url_prefix>/items", "manual"),
        ("<unresolved: url_prefix>/<unresolved: url_prefix>/daily", "manual"),
        ("/fixed/here", "auto")}
    assert not result.errors


def test_the_reason_says_how_to_state_the_prefix(tmp_path: Path) -> None:
    """Each unread prefix's reason names the line to state it with (the dotted name quoted
    where TOML needs it); those lines, with the prefixes filled in, make the routes convert."""
    result = scan_path(_write(tmp_path / "before", "[project]\nname = 'shop'\n"))
    hints = sorted({re.search(r"`\[tool\.migrate\.blueprint-prefixes\]` `(.+?)`\)", reason)[1]
                    for route in result.routes for reason in route.reasons
                    if reason.startswith("scan.unresolved_registration")})
    assert hints == ['"shop.reports" = "/..."', 'shop = "/..."']
    stated = "\n".join(hint.replace("/...", "/stated") for hint in hints)
    after = scan_path(_write(tmp_path / "after",
                             f"[tool.migrate.blueprint-prefixes]\n{stated}\n"))
    assert {(r.rule, r.status) for r in after.routes} == {
        ("/stated/items", "auto"), ("/stated/stated/daily", "auto"), ("/fixed/here", "auto")}


def test_the_stated_prefixes_are_taken_where_the_source_has_none(tmp_path: Path) -> None:
    result = scan_path(_write(tmp_path, STATED))
    assert {(r.rule, r.endpoint, r.status) for r in result.routes} == {
        ("/v1/items", "shop.items", "auto"),
        ("/v1/r/daily", "shop.reports.daily", "auto"),
        ("/fixed/here", "fixed.here", "auto")}  # the source's prefix wins
    found = {(d.code, d.file, d.line, d.severity) for d in result.diagnostics}
    pyproject = str(tmp_path / "pyproject.toml")
    assert found == {
        ("scan.stated_prefix", "__init__.py", 26, "info"),
        ("scan.stated_prefix", "__init__.py", 31, "info"),
        ("scan.stated_prefix_ignored", "__init__.py", 32, "warning"),
        ("scan.stated_prefix_unused", pyproject, 9, "warning")}
    notes = [d.message for d in result.diagnostics if d.code == "scan.stated_prefix"]
    assert f"taken as '/v1', as {pyproject} states for `shop`" in notes[0] + notes[1]
    assert not result.errors


@pytest.mark.parametrize(("pyproject", "line", "message"), [
    ("[tool.migrate.blueprint-prefixes]\nshop = /v1\n", 2, "not valid TOML"),
    ("[tool.migrate.blueprint-prefixes]\nfixed = \"/f\"\nshop = 1\n", 3,
     "[tool.migrate.blueprint-prefixes] shop: the prefix must be a string, not 1; it is ignored"),
    ("[tool.migrate.blueprint-prefixes]\nshop = \"v1\"\n", 2,
     ("[tool.migrate.blueprint-prefixes] shop: the prefix must be empty or start with '/', not "
     "'v1'; it is ignored")),
    ("[tool.migrate]\nblueprint-prefixes = ['/v1']\n", 2,
     "[tool.migrate] blueprint-prefixes must be a table of blueprint names and prefixes"),
])
def test_a_bad_statement_is_an_error_with_its_line_and_the_scan_goes_on(
        tmp_path: Path, pyproject: str, line: int, message: str) -> None:
    result = scan_path(_write(tmp_path, pyproject))
    assert [(e.file, e.line) for e in result.errors] == [(str(tmp_path / "pyproject.toml"), line)]
    assert message in result.errors[0].message
    assert ("<unresolved: url_prefix>/items", "manual") in {
        (r.rule, r.status) for r in result.routes}


def test_stated_routes_convert_and_are_checked_against_the_legacy_app(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "pyproject.toml").write_text(STATED, encoding="utf-8")
    with converted_snippet(tmp_path, "shop_app", LEGACY, "shop_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/fixed/here", "/v1/items", "/v1/r/daily"]
        assert not new_lint_findings(out, legacy.parent, "shop_app")
        import shop_app
        from shop_fastapi.main import create_app

        app = create_app(shop_app.create_app())  # deployed as stated
        assert app.state.legacy_views_changed == {}
        assert app.openapi()["paths"].keys() == {"/fixed/here", "/v1/items", "/v1/r/daily"}
        with TestClient(app) as client:
            assert client.get("/v1/r/daily").json() == {"report": "daily"}

        elsewhere = shop_app.create_app(shop_prefix="/v2")  # deployed otherwise
        with caplog.at_level(logging.WARNING, logger="flask_compat"):
            app = create_app(elsewhere)
        assert sorted(app.state.legacy_views_changed) == ["shop.items", "shop.reports.daily"]
        flask_client = elsewhere.test_client()
        with TestClient(app) as client:
            for path in ("/v1/items", "/v1/r/daily", "/v2/items", "/v2/r/daily", "/fixed/here"):
                new, old = client.get(path), flask_client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
