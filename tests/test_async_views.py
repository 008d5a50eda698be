"""`async def` views stay on Flask, and convert reports them instead of crashing.

Flask runs an `async def` view to completion in the request's worker thread (asgiref); the bridge
that keeps the legacy request cycle around a converted view runs plain `def` views only. Before
the scan read `async def`, `migrate convert` stopped with an AssertionError in FM010 on the first
such view, and wrote nothing.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
import asyncio

from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


@app.post("/async")
async def async_view():
    """An async view that reads the JSON body."""
    await asyncio.sleep(0)
    data = request.get_json()
    return {"async": data}


class Things(MethodView):
    async def get(self):
        return {"things": []}


app.add_url_rule("/things", view_func=Things.as_view("things"))


@app.get("/sync")
def sync_view():
    return {"sync": True}
'''


def test_async_views_stay_on_flask_and_answer_as_flask_does(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "async_views_app", LEGACY, "async_views_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/sync"]
        left = {entry.route.rule: entry for entry in result.left}
        assert set(left) == {"/async", "/things"}
        for entry in left.values():
            assert entry.route.status == "manual"
            assert "async" in entry.route.features
            assert any(reason.startswith("async: an `async def` view")
                       for reason in entry.route.reasons)
        import async_views_app
        from async_views_fastapi.main import create_app

        flask_client = async_views_app.app.test_client()
        with TestClient(create_app(async_views_app.app)) as client:
            for method, path, body in [("POST", "/async", {"a": 1}), ("GET", "/things", None),
                                       ("GET", "/sync", None)]:
                legacy_answer = flask_client.open(path, method=method, json=body)
                new = client.request(method, path, json=body)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path


def test_a_converter_error_keeps_its_route_on_flask_and_the_run_goes_on(
        tmp_path: Path, monkeypatch) -> None:
    from codemods.jsonify_return import JsonifyReturn

    original = JsonifyReturn.leave_view

    def failing(self, original_node, updated_node):
        if original_node.name.value == "sync_view":
            raise RuntimeError("injected converter failure")
        return original(self, original_node, updated_node)

    monkeypatch.setattr(JsonifyReturn, "leave_view", failing)
    source = LEGACY + '''

@app.get("/other")
def other():
    return {"other": True}
'''
    with converted_snippet(tmp_path, "failing_app", source, "failing_fastapi") as (
            result, out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/other"]
        [failed] = [entry for entry in result.left if entry.route.rule == "/sync"]
        assert failed.reasons == [(
            "convert.internal_error: converting __init__.py:26 raised RuntimeError: injected "
            "converter failure; the route stays on Flask (a converter bug: please report it)")]
        assert (out / "main.py").is_file()
