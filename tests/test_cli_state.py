"""`migrate convert --state`, `migrate rollout` and `migrate status` as a user meets them, on
the example app: what gets recorded, exit codes, messages, --format json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from migrator.proxy.plan import VerifyRecord
from migrator.proxy.state import load_plan, record_verification

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "legacy_flask_app"
runner = CliRunner()


def migrate(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def converted_in_json(output: str) -> list[tuple[str, tuple[str, ...], str]]:
    document = json.loads(output)
    return sorted((r["rule"], tuple(r["methods"]), r["endpoint"]) for r in document["routes"]
                  if r["result"] != "left_on_flask")


def routes_in_state(path: Path) -> list[tuple[str, tuple[str, ...], str]]:
    return sorted((r.rule, r.methods, r.endpoint) for r in load_plan(path).routes)


def test_convert_records_converted_routes_and_keeps_their_stages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    state = tmp_path / "migration.toml"
    first = migrate("convert", EXAMPLE, "--out", "migrated", "--blueprint", "users",
                    "--state", state, "--format", "json")
    assert first.exit_code == 0, first.output
    users = converted_in_json(first.stdout)
    assert users and all(endpoint.startswith("users.") for _, _, endpoint in users)
    assert routes_in_state(state) == users  # one entry per converted route, its methods
    assert {r.stage for r in load_plan(state).routes} == {"shadow"}
    assert sorted((a["rule"], tuple(a["methods"]), a["endpoint"])
                  for a in json.loads(first.stdout)["state"]["added"]) == users

    assert migrate("rollout", "users.list_users", "--rollback").exit_code == 0
    # ./migration.toml is found without --state; the second run adds the auth routes only
    second = migrate("convert", EXAMPLE, "--out", "migrated", "--blueprint", "auth")
    assert second.exit_code == 0, second.output
    assert "migration.toml: " in second.stdout and "route(s) added at stage shadow" in second.stdout
    plan = load_plan(state)
    assert {r.endpoint.split(".")[0] for r in plan.routes} == {"users", "auth"}
    assert [r.stage for r in plan.routes if r.endpoint == "users.list_users"] == ["rolled-back"]


def test_convert_writes_no_state_unless_asked_or_present(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = migrate("convert", EXAMPLE, "--out", "migrated", "--route", "/api/v1/tags")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "migration.toml").exists()
    # --diff and --check write nothing, the state file included
    for flag in ("--diff", "--check"):
        migrate("convert", EXAMPLE, "--out", "migrated", "--route", "/users/", "--state",
                "migration.toml", flag)
        assert not (tmp_path / "migration.toml").exists()
    assert migrate("convert", EXAMPLE, "--out", "migrated", "--state", "s.toml",
                   "--no-state").exit_code == 2


def test_convert_with_a_broken_state_file_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "migration.toml").write_text("version = 1\n[legacy\n")
    result = migrate("convert", EXAMPLE, "--out", "migrated", "--route", "/api/v1/tags")
    assert result.exit_code == 2
    assert result.stderr.startswith("migrate: error: migration.toml:2: not valid TOML")
    assert result.stderr.count("\n") == 1
    assert migrate("convert", EXAMPLE, "--out", "migrated2", "--route", "/api/v1/tags",
                   "--no-state").exit_code == 0


@pytest.fixture
def state(tmp_path, monkeypatch) -> Path:
    """A state file with the api.reviews routes, as convert records them."""
    monkeypatch.chdir(tmp_path)
    result = migrate("convert", EXAMPLE, "--out", "migrated", "--blueprint", "api.reviews",
                     "--state", "migration.toml")
    assert result.exit_code == 0, result.output
    return tmp_path / "migration.toml"


def test_rollout_exit_codes_and_the_verify_gate(state):
    refused = migrate("rollout", "api.reviews.get_review", "--percent", "20")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("migration.toml:")
    assert "refusing to move GET /api/v1/reviews/<int:review_id> (api.reviews.get_review) " \
           "beyond shadow" in refused.stderr
    assert [r.stage for r in load_plan(state).routes if r.endpoint.endswith("get_review")] == \
        ["shadow"]

    record_verification(state, {("/api/v1/reviews/<int:review_id>", ("GET",)):
                                VerifyRecord(True, "2026-11-30T10:00:00Z", 4, 0)})
    moved = migrate("rollout", "api.reviews.get_review", "--percent", "20")
    assert moved.exit_code == 0, moved.output
    assert moved.stdout == "canary 20%: GET /api/v1/reviews/<int:review_id> " \
                           "(api.reviews.get_review)\n"
    again = migrate("rollout", "api.reviews.get_review", "--percent", "20")
    assert again.exit_code == 0 and again.stdout.startswith("nothing to change")
    # the same for machines: each route moved as `migrate status --format json` shows it
    record_verification(state, {("/api/v1/reviews/<int:review_id>", ("GET",)):
                                VerifyRecord(True, "2026-11-30T10:00:00Z", 4, 0)})
    moved = migrate("rollout", "api.reviews.get_review", "--percent", "50", "--format", "json")
    assert moved.exit_code == 0, moved.output
    document = json.loads(moved.stdout)
    assert (document["stage"], document["percent"], document["selector"]) == (
        "canary", 50, "api.reviews.get_review")
    [route] = document["changed"]
    status = json.loads(migrate("status", "--format", "json").stdout)
    assert route == next(r for r in status["routes"] if r["endpoint"] == "api.reviews.get_review")
    assert (route["stage"], route["percent"], route["forced"]) == ("canary", 50, False)
    unchanged = migrate("rollout", "api.reviews.get_review", "--percent", "50", "--format", "json")
    assert json.loads(unchanged.stdout)["changed"] == []

    forced = migrate("rollout", "/api/v1/reviews/", "--full", "--force")
    assert forced.exit_code == 0, forced.output
    assert "full (forced): GET /api/v1/reviews/ (api.reviews.list_reviews)" in forced.stdout
    assert "forced = true" in state.read_text()
    assert migrate("rollout", "api.reviews", "--rollback").exit_code == 0
    assert {r.stage for r in load_plan(state).routes} == {"rolled-back"}


def test_rollback_works_without_the_legacy_source(state, tmp_path):
    record_verification(state, {("/api/v1/reviews/", ("GET",)):
                                VerifyRecord(True, "2026-11-30T10:00:00Z", 4, 0)})
    assert migrate("rollout", "api.reviews.list_reviews", "--full").exit_code == 0
    text = state.read_text()
    source_line = next(line for line in text.splitlines() if line.startswith("source = "))
    state.write_text(text.replace(source_line, f'source = "{tmp_path / "gone"}"'))
    # Moving traffic forward still checks the routes against the legacy source ...
    forward = migrate("rollout", "api.reviews.get_review", "--shadow")
    assert forward.exit_code == 2 and "gone" in forward.stderr
    # ... but the emergency exit back to Flask never depends on it.
    back = migrate("rollout", "api.reviews", "--rollback")
    assert back.exit_code == 0, back.output
    assert {r.stage for r in load_plan(state, check_routes=False).routes} == {"rolled-back"}


@pytest.mark.parametrize("args", [
    ["api.reviews"],  # no stage
    ["api.reviews", "--full", "--shadow"],  # two stages
    ["admin", "--shadow"],  # matches no route in the state
    ["api.reviews", "--percent", "101"],
    ["api.reviews", "--shadow", "--state", "missing.toml"],
])
def test_rollout_usage_errors(state, args):
    before = state.read_bytes()
    result = migrate("rollout", *args)
    assert result.exit_code == 2, result.output
    assert state.read_bytes() == before


def test_status_table_and_json(state):
    record_verification(state, {("/api/v1/reviews/<int:review_id>", ("GET",)):
                                VerifyRecord(True, "2026-11-30T10:00:00Z", 4, 0)})
    assert migrate("rollout", "api.reviews.get_review", "--percent", "50").exit_code == 0
    plan = load_plan(state)
    scanned_methods = 60  # the example app's route methods (51 routes, some with several)
    migrated_methods = sum(len(r.methods) for r in plan.routes)

    table = migrate("status")
    assert table.exit_code == 0, table.output
    assert "\x1b[" not in table.stdout  # no colour off a terminal
    assert "canary 50%" in table.stdout and "passed 4/4 (2026-11-30T10:00:00Z)" in table.stdout
    assert f"{len(plan.routes)} routes in the state file ({migrated_methods} route methods of " \
           f"{scanned_methods} in the app): shadow {len(plan.routes) - 1}, canary 1" in table.stdout
    share = 0.5 / scanned_methods
    assert f"On FastAPI: {share:.1%} of traffic (route-weighted" in table.stdout

    document = json.loads(migrate("status", "--format", "json").stdout)
    assert document["progress"]["route_methods"] == {"in_state": migrated_methods,
                                                     "in_app": scanned_methods}
    assert document["progress"]["share_on_new"] == pytest.approx(share)
    canary = [r for r in document["routes"] if r["stage"] == "canary"]
    assert [(r["endpoint"], r["percent"], r["verify"]["passed"]) for r in canary] == [
        ("api.reviews.get_review", 50, True)]


def test_status_weighs_by_traffic_when_every_route_has_requests(state):
    record_verification(state, {("/api/v1/reviews/<int:review_id>", ("GET",)):
                                VerifyRecord(True, "2026-11-30T10:00:00Z", 4, 0)})
    assert migrate("rollout", "api.reviews.get_review", "--full").exit_code == 0
    text = state.read_text()
    routes = len(load_plan(state).routes)
    # 900 requests on the route now on FastAPI, 100 on each other route
    text = text.replace('endpoint = "api.reviews.get_review"',
                        'endpoint = "api.reviews.get_review"\nrequests = 900')
    for endpoint in ("list_reviews", "create_review", "delete_review", "mark_helpful"):
        text = text.replace(f'endpoint = "api.reviews.{endpoint}"',
                            f'endpoint = "api.reviews.{endpoint}"\nrequests = 100')
    state.write_text(text)
    document = json.loads(migrate("status", "--format", "json").stdout)
    others = (routes - 1) * 100
    assert document["progress"]["share_on_new"] == pytest.approx(900 / (900 + others))
    assert document["progress"]["share_basis"].startswith("requests of the routes")

    state.write_text(text.replace("[new]", "[traffic]\ntotal_requests = 10000\n\n[new]"))
    document = json.loads(migrate("status", "--format", "json").stdout)
    assert document["progress"]["share_on_new"] == pytest.approx(0.09)
    assert document["progress"]["share_basis"].startswith("requests of the whole app")


def test_status_of_a_missing_or_broken_file_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = migrate("status")
    assert missing.exit_code == 2
    assert missing.stderr == "migrate: error: migration.toml: no such state file " \
                             "(`migrate convert --state FILE` creates one)\n"


@pytest.mark.parametrize("command", ["rollout", "status"])
def test_help(command):
    result = migrate(command, "--help")
    assert result.exit_code == 0
    assert "--state" in result.stdout
