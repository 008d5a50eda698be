"""`migrate verify` with a migration state file: it reads the declared ignore pointers and
records each route's outcome, which `migrate rollout` then uses as its gate."""

from __future__ import annotations

import os
import shutil

import pytest
from typer.testing import CliRunner

from migrator.cli import app as cli_app
from migrator.proxy.state import add_routes, load_plan
from tests.example_support import EXAMPLE, REPO, converted_example, forget_package

SETUP = "legacy_flask_app.verify_setup:fresh_database"


@pytest.fixture
def project(tmp_path, monkeypatch):
    settings = tmp_path / "legacy_settings.py"
    settings.write_text(f"DATABASE = {str(tmp_path / 'unused.sqlite3')!r}\n"
                        f"UPLOAD_FOLDER = {str(tmp_path / 'unused-uploads')!r}\n")
    monkeypatch.setenv("LEGACY_APP_SETTINGS", str(settings))
    monkeypatch.chdir(tmp_path)
    with converted_example(tmp_path, "stateful_example", patterns=["api.reviews.*"]) as (
            result, out):
        state = tmp_path / "migration.toml"
        add_routes(state, result.converted_routes(), legacy_source=EXAMPLE, scan=result.scan)
        yield out, state
    forget_package("stateful_broken")
    os.chdir(REPO)


def verify(state, package):
    return CliRunner().invoke(cli_app, [
        "verify", "--legacy", "legacy_flask_app:create_app", "--new", f"{package}.main:app",
        "--setup", SETUP, "--setup-each", "route", "--state", str(state),
        "--cases", str(EXAMPLE / "verify_cases.yaml"), "--route", "api.reviews.*"])


def test_outcomes_are_recorded_and_gate_the_rollout(project):
    out, state = project
    passed = verify(state, "stateful_example")
    assert passed.exit_code == 0, passed.output
    plan = load_plan(state, check_routes=False)
    assert len(plan.routes) == 5
    assert all(r.verify is not None and r.verify.passed and r.verify.cases >= 5
               for r in plan.routes)

    broken = out.parent / "stateful_broken"
    shutil.copytree(out, broken)
    router = broken / "routers" / "api_reviews.py"
    router.write_text(router.read_text().replace('{"reviews": reviews, "count": len(reviews)}',
                                                 '{"reviews": reviews}'))
    failed = verify(state, "stateful_broken")
    assert failed.exit_code == 1
    records = {r.endpoint: r.verify for r in load_plan(state, check_routes=False).routes}
    assert not records["api.reviews.list_reviews"].passed
    assert records["api.reviews.list_reviews"].failed >= 1
    assert all(v.passed for e, v in records.items() if e != "api.reviews.list_reviews")

    refused = CliRunner().invoke(cli_app, ["rollout", "api.reviews.list_reviews", "--percent",
                                           "10", "--state", str(state)])
    assert refused.exit_code != 0
    allowed = CliRunner().invoke(cli_app, ["rollout", "api.reviews.get_review", "--percent",
                                           "10", "--state", str(state)])
    assert allowed.exit_code == 0, allowed.output


def test_ignore_pointers_of_the_state_file_are_used(project):
    out, state = project
    broken = out.parent / "stateful_broken"
    shutil.copytree(out, broken)
    router = broken / "routers" / "api_reviews.py"
    router.write_text(router.read_text().replace('{"reviews": reviews, "count": len(reviews)}',
                                                 '{"reviews": reviews, "count": -1}'))
    assert verify(state, "stateful_broken").exit_code == 1
    forget_package("stateful_broken")
    text = state.read_text()
    route = 'endpoint = "api.reviews.list_reviews"\n'
    assert text.count(route) == 1
    state.write_text(text.replace(route, route + 'ignore = ["/count"]\n'))
    declared = verify(state, "stateful_broken")
    assert declared.exit_code == 0, declared.output
