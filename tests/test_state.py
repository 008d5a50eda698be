"""The migration state file (migrator/proxy/state.py) on real files: rewrites keep a person's
comments and layout, every error is one line with file and line, a failed write leaves the old
file, selectors, and the verify gate with --force recorded."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from migrator.proxy.plan import ProxySettings, RouteStage, VerifyRecord
from migrator.proxy.state import (
    StateError,
    VerifyGateError,
    add_routes,
    load_plan,
    record_verification,
    set_stage,
)
from migrator.scan import scan_path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "legacy_flask_app"

# A file as a person would write it: comments everywhere, keys in their own order, a nested
# blueprint, a rule with two methods.
STATE = f"""\
# Our migration. Owner: platform team.
version = 1

[legacy]
upstreams = ["127.0.0.1:8000", "unix:/run/legacy.sock"]   # two gunicorns
source = "{EXAMPLE}"

[new]
upstreams = ["127.0.0.1:8001"]

# tags first: cheapest route
[[route]]
rule = "/api/v1/tags"
endpoint = "api.list_tags"
blueprint = "api"
methods = ["GET"]
stage = "shadow"   # since Monday
percent = 0

[[route]]
rule = "/api/v1/reviews/<int:review_id>"
methods = ["GET"]
endpoint = "api.reviews.get_review"
blueprint = "api.reviews"
stage   =   "shadow"
ignore = ["/fetched_at"]

[[route]]
rule = "/users/preferences"
methods = ["GET", "PUT"]
endpoint = "users.preferences"
blueprint = "users"
stage = "shadow"
"""


@pytest.fixture(scope="module")
def scan():
    return scan_path(EXAMPLE)


@pytest.fixture
def state(tmp_path) -> Path:
    path = tmp_path / "migration.toml"
    path.write_text(STATE)
    return path


PASSED = VerifyRecord(passed=True, at="2026-11-30T09:00:00Z", cases=12, failed=0)
FAILED = VerifyRecord(passed=False, at="2026-11-30T09:05:00Z", cases=12, failed=2)


def test_load_plan_reads_the_file_into_the_shared_plan(state, scan):
    plan = load_plan(state, scan=scan)
    assert plan.legacy_upstreams == ["127.0.0.1:8000", "unix:/run/legacy.sock"]
    assert plan.new_upstreams == ["127.0.0.1:8001"]
    assert plan.settings == ProxySettings()  # no [proxy] table: the defaults
    assert plan.legacy_source == str(EXAMPLE)
    assert [(r.rule, r.methods, r.endpoint, r.blueprint, r.stage, r.line) for r in plan.routes] == [
        ("/api/v1/tags", ("GET",), "api.list_tags", "api", "shadow", 12),
        ("/api/v1/reviews/<int:review_id>", ("GET",), "api.reviews.get_review", "api.reviews",
         "shadow", 20),
        ("/users/preferences", ("GET", "PUT"), "users.preferences", "users", "shadow", 28),
    ]
    assert plan.routes[1].ignore == ("/fetched_at",)


def test_rewrite_changes_only_the_changed_values_byte_for_byte(state, scan):
    record_verification(state, {("/api/v1/tags", ("GET",)): PASSED})
    changed = set_stage(state, "/api/v1/tags", "canary", 25, scan=scan)
    assert [(r.rule, r.stage, r.percent) for r in changed] == [("/api/v1/tags", "canary", 25)]
    expected = STATE.replace(
        'stage = "shadow"   # since Monday\npercent = 0\n',
        'stage = "canary"   # since Monday\npercent = 25\n'
        'verify = {passed = true, at = "2026-11-30T09:00:00Z", cases = 12, failed = 0}\n')
    assert state.read_text() == expected
    # the same command again changes nothing and writes nothing
    before = state.stat().st_mtime_ns
    assert set_stage(state, "/api/v1/tags", "canary", 25, scan=scan) == []
    assert state.stat().st_mtime_ns == before


def test_parse_error_is_one_line_with_file_and_line(state):
    state.write_text(STATE.replace('endpoint = "users.preferences"', 'endpoint = "users.pref'))
    with pytest.raises(StateError) as caught:
        load_plan(state, check_routes=False)
    message = str(caught.value)
    assert "\n" not in message
    assert message == f"{state}:31: not valid TOML: a string is not closed on this line (write " \
        "a newline in it as \\n)"


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ('endpoint = "api.list_tags"', 'endpoint = "api.list_tagz"', 12,
     "unknown route: the scan of"),
    ('methods = ["GET", "PUT"]', 'methods = ["GET", "DELETE"]', 28, "does not answer DELETE"),
    ('stage   =   "shadow"', 'stage = "halfway"', 25, "unknown stage 'halfway'"),
    ("percent = 0\n", "percent = 101\n", 18, "percent must be a whole number 0..100"),
    ("percent = 0\n", "percent = 40\n", 18, "stage 'shadow' puts 0% of clients on FastAPI"),
    ('upstreams = ["127.0.0.1:8001"]', 'upstreams = ["127.0.0.1:80010"]', 9,
     "bad upstream '127.0.0.1:80010' in [new]"),
    ('ignore = ["/fetched_at"]', 'ignore = ["fetched_at"]', 26, "'fetched_at': not a JSON pointer"),
    ('blueprint = "users"', 'blueprint = "users"\nstaeg = "full"', 33, "unknown key 'staeg'"),
    ('rule = "/users/preferences"', 'rule = "/api/v1/tags"', 28,
     "duplicate route: GET /api/v1/tags is already listed at line 12"),
    ("version = 1", "version = 2", 2, "version must be 1"),
])
def test_semantic_errors_point_at_the_offending_line(state, scan, old, new, line, words):
    state.write_text(STATE.replace(old, new))
    with pytest.raises(StateError) as caught:
        load_plan(state, scan=scan)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{state}:{line}: "), message
    assert words in message


def test_unknown_route_is_found_by_scanning_the_legacy_source(state):
    """Without a scan passed in, load_plan scans `[legacy] source` itself."""
    state.write_text(STATE.replace('"/users/preferences"', '"/users/preferencez"'))
    with pytest.raises(StateError, match=r":28: unknown route"):
        load_plan(state)
    assert load_plan(state, check_routes=False).routes[2].rule == "/users/preferencez"


def test_a_failed_write_leaves_the_old_file_intact(state):
    """A real write failure: the file-size limit stops the rewrite in the middle; the state file
    keeps its old bytes and no temporary file is left behind."""
    before = state.read_bytes()
    limit = len(before) // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    run = subprocess.run(
        [sys.executable, "-m", "migrator", "rollout", "/api/v1/tags", "--rollback", "--state",
         str(state)],
        check=False, cwd=REPO, capture_output=True, text=True, preexec_fn=small_files,
        timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1
    assert f"{state}: cannot write: File too large; the file is unchanged" in run.stderr
    assert state.read_bytes() == before
    assert [p.name for p in state.parent.iterdir()] == ["migration.toml"]


def test_a_change_on_disk_during_an_update_is_not_overwritten(state, scan):
    """Read-modify-write: if the file changed between reading and writing, nothing is written."""
    from migrator.proxy.state import _save, read_state

    loaded = read_state(state, scan=scan)
    loaded.document["route"][0]["stage"] = "rolled-back"
    state.write_text(STATE + "# a colleague's note\n")
    with pytest.raises(StateError, match="changed while it was being updated"):
        _save(loaded)
    assert state.read_text() == STATE + "# a colleague's note\n"


@pytest.mark.parametrize(("selector", "endpoints"), [
    ("/api/v1/*", ["api.list_tags", "api.reviews.get_review"]),  # rule glob
    ("users.preferences", ["users.preferences"]),  # endpoint
    ("api.rev*", ["api.reviews.get_review"]),  # endpoint glob
    ("api", ["api.list_tags", "api.reviews.get_review"]),  # blueprint, nested ones included
    ("api.reviews", ["api.reviews.get_review"]),  # a nested blueprint alone
])
def test_selectors(state, scan, selector, endpoints):
    changed = set_stage(state, selector, "rolled-back", scan=scan)
    assert [r.endpoint for r in changed] == endpoints
    plan = load_plan(state, scan=scan)
    assert sorted(r.endpoint for r in plan.routes if r.stage == "rolled-back") == sorted(endpoints)


def test_a_selector_matching_nothing_is_an_error(state, scan):
    with pytest.raises(StateError, match="no route in the state file matches 'admin'"):
        set_stage(state, "admin", "rolled-back", scan=scan)
    assert state.read_text() == STATE


def test_verify_gate_refuses_beyond_shadow_and_force_is_recorded(state, scan):
    record_verification(state, {("/api/v1/reviews/<int:review_id>", ("GET",)): FAILED})
    before = state.read_text()
    with pytest.raises(VerifyGateError) as caught:
        set_stage(state, "api", "full", scan=scan)
    assert [r.endpoint for r in caught.value.refused] == ["api.list_tags",
                                                           "api.reviews.get_review"]
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{state}:12: refusing to move GET /api/v1/tags (api.list_tags) "
                               "beyond shadow: it has never passed `migrate verify`")
    assert lines[1].startswith(f"{state}:20: refusing to move GET /api/v1/reviews/<int:review_id>"
                               " (api.reviews.get_review) beyond shadow: its last verify "
                               "(2026-11-30T09:05:00Z) failed 2 of 12 cases")
    assert state.read_text() == before  # all or nothing
    # a canary at 0% sends nobody to FastAPI: allowed without a verify
    assert [r.percent for r in set_stage(state, "api.list_tags", "canary", 0, scan=scan)] == [0]

    forced = set_stage(state, "api.reviews.*", "full", force=True, scan=scan)
    assert [(r.stage, r.forced) for r in forced] == [("full", True)]
    assert 'stage   =   "full"\nignore = ["/fetched_at"]\n' in state.read_text()
    assert "percent = 100\nforced = true\n" in state.read_text()
    # rollback is always allowed, and the forced move stays on record
    rolled = set_stage(state, "api.reviews", "rolled-back", scan=scan)
    assert [(r.stage, r.percent, r.forced) for r in rolled] == [("rolled-back", 0, True)]
    # a later move through the gate with a passing verify clears the mark
    record_verification(state, {("/api/v1/reviews/<int:review_id>", ("GET",)): PASSED})
    again = set_stage(state, "api.reviews.get_review", "canary", 10, scan=scan)
    assert [(r.stage, r.percent, r.forced) for r in again] == [("canary", 10, False)]
    assert "forced" not in state.read_text()


def test_record_verification_returns_the_routes_it_does_not_know(state):
    missing = record_verification(state, {("/users/preferences", ("PUT", "GET")): PASSED,
                                          ("/nowhere", ("GET",)): PASSED})
    assert missing == [("/nowhere", ("GET",))]
    plan = load_plan(state, check_routes=False)
    assert plan.routes[2].verify == PASSED


def test_common_ignore_pointers_apply_to_every_route(state):
    state.write_text(STATE.replace("[new]", '[verify]\nignore = ["/generated_at"]\n\n[new]'))
    plan = load_plan(state, check_routes=False)
    assert [r.ignore for r in plan.routes] == [("/generated_at",),
                                               ("/generated_at", "/fetched_at"),
                                               ("/generated_at",)]


def test_add_routes_creates_a_documented_file_then_leaves_existing_entries_alone(tmp_path, scan):
    path = tmp_path / "migration.toml"
    added = add_routes(path, [RouteStage("/api/v1/tags", ("GET",), "api.list_tags", "api")],
                       legacy_source=EXAMPLE, scan=scan)
    assert [(r.rule, r.stage) for r in added] == [("/api/v1/tags", "shadow")]
    text = path.read_text()
    assert text.startswith("# Migration state: which Flask routes have moved to FastAPI")
    assert '"shadow"      Flask answers; FastAPI gets a mirrored copy' in text
    plan = load_plan(path, scan=scan)
    assert plan.settings == ProxySettings()
    assert (plan.legacy_upstreams, plan.new_upstreams) == (["127.0.0.1:8000"], ["127.0.0.1:8001"])
    assert [(r.rule, r.methods, r.endpoint, r.stage) for r in plan.routes] == [
        ("/api/v1/tags", ("GET",), "api.list_tags", "shadow")]

    record_verification(path, {("/api/v1/tags", ("GET",)): PASSED})
    set_stage(path, "/api/v1/tags", "full", scan=scan)
    before = path.read_text()
    added = add_routes(path, [RouteStage("/api/v1/tags", ("GET",), "api.list_tags", "api"),
                              RouteStage("/users/", ("GET",), "users.list_users", "users")],
                       legacy_source=EXAMPLE, scan=scan)
    assert [r.endpoint for r in added] == ["users.list_users"]
    after = path.read_text()
    assert after.startswith(before)  # nothing above was touched: the tags route is still full
    assert after[len(before):] == textwrap.dedent("""
        [[route]]
        rule = "/users/"
        methods = ["GET"]
        endpoint = "users.list_users"
        blueprint = "users"
        stage = "shadow"
        percent = 0
        """)


def test_add_routes_adds_only_the_methods_not_yet_listed(state, scan):
    added = add_routes(state, [RouteStage("/api/v1/items/<int:item_id>",
                                          ("DELETE", "GET", "PATCH", "PUT"), "api.item_api", "api"),
                               RouteStage("/users/preferences", ("GET", "PUT"),
                                          "users.preferences", "users")],
                       legacy_source=EXAMPLE, scan=scan)
    assert [(r.rule, r.methods) for r in added] == [
        ("/api/v1/items/<int:item_id>", ("DELETE", "GET", "PATCH", "PUT"))]
    assert state.read_text().startswith(STATE)


def test_add_routes_refuses_a_state_file_of_another_code_base(state, scan, tmp_path):
    other = tmp_path / "other_app"
    other.mkdir()
    with pytest.raises(StateError, match=rf":6: this state file is for {EXAMPLE}, not {other}"):
        add_routes(state, [], legacy_source=other, scan=scan)


def test_the_documented_example_is_a_valid_state_file(tmp_path, scan):
    """docs/state.md's annotated example loads, against the example app, as documented."""
    docs = (REPO / "docs" / "state.md").read_text()
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "migration.toml"
    path.write_text(example.replace('source = "legacy_flask_app"', f'source = "{EXAMPLE}"'))
    plan = load_plan(path, scan=scan)
    assert [(r.methods, r.stage, r.percent, r.forced, r.ignore) for r in plan.routes] == [
        (("GET",), "canary", 25, False, ("/generated_at", "/cached_at")),
        (("DELETE", "PATCH", "PUT"), "full", 100, True, ("/generated_at",)),
    ]
    assert plan.total_requests == 120000


def test_the_tools_never_write_a_file_they_would_refuse_to_read(state, scan):
    before = state.read_text()
    with pytest.raises(StateError, match=r":35: unknown route: the scan of .* has no rule /now"):
        add_routes(state, [RouteStage("/nowhere", ("GET",), "nowhere", None)],
                   legacy_source=EXAMPLE, scan=scan)
    assert state.read_text() == before
    fresh = state.parent / "fresh.toml"
    with pytest.raises(StateError, match="unknown route"):
        add_routes(fresh, [RouteStage("/nowhere", ("GET",), "nowhere", None)],
                   legacy_source=EXAMPLE, scan=scan)
    assert not fresh.exists()
