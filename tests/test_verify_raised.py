"""A legacy app that lets an exception out of its WSGI callable (an error handler that fails,
as opentaxii's 500 handler returns None, or `PROPAGATE_EXCEPTIONS`, as keystone sets it) gets
a 500 from any WSGI server, whose body is the server's own. Flask's test client raises instead,
and verify counted every such case as a mismatch ("error") against the generated app's 500.
It now compares such a case by status alone, and the route says how many cases it did so for
(found by the opentaxii and keystone hand runs)."""

from __future__ import annotations

from pathlib import Path

from migrator.verify.compare import Answer, CompareOptions, compare_answers
from tests.example_support import converted_snippet

RAISING = '''
from flask import Flask

app = Flask(__name__)


@app.errorhandler(500)
def broken(error):
    return None  # Flask raises TypeError: the handler made no answer


@app.route("/boom")
def boom():
    raise RuntimeError("boom")


@app.route("/fine")
def fine():
    return {"fine": True}
'''


def test_a_case_the_legacy_app_raises_for_is_compared_by_status(tmp_path: Path) -> None:
    from migrator.verify.run import VerifyInputs, verify_routes

    with converted_snippet(tmp_path, "raising_app", RAISING, "raising_fastapi") as (
            result, _out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == ["/boom", "/fine"]
        verified = verify_routes(VerifyInputs("raising_app:app", "raising_fastapi.main:app"))
        by_rule = {route.migrated.route.rule: route for route in verified.routes}
        assert verified.ok, [route.to_json() for route in verified.routes]
        boom = by_rule["/boom"]
        raised = [outcome for outcome in boom.outcomes if outcome.legacy.raised]
        assert raised and all(outcome.new.status == 500 for outcome in raised)
        assert (f"{len(raised)} case(s): the legacy app raised (TypeError), which a WSGI server "
                "answers with a 500 of its own; compared by status alone") in boom.notes
        assert not any(outcome.legacy.raised for outcome in by_rule["/fine"].outcomes)


def test_a_raised_case_still_fails_where_the_new_app_does_not_answer_500() -> None:
    raised = Answer(0, [], b"", error="TypeError: no answer", raised=True)
    ok = Answer(200, [("content-type", "application/json")], b"{}")
    failed = Answer(500, [("content-type", "text/plain")], b"Internal Server Error")
    assert [m.aspect for m in compare_answers(raised, ok, CompareOptions())] == ["status"]
    assert compare_answers(raised, failed, CompareOptions()) == []
    crashed = Answer(0, [], b"", error="RuntimeError: setup failed")  # not the app's answer
    assert [m.aspect for m in compare_answers(crashed, failed, CompareOptions())] == ["error"]
