"""A Flask view's return annotation describes what `make_response` gets, not a JSON answer.

Found converting privacyidea 3.14: `def single_page_application() -> Response` (Flask's). FastAPI
makes a response model of an endpoint's return annotation and cannot make one of a Flask
response: importing the generated router raised FastAPIError, so the generated package did not
import at all. The bridge now shows FastAPI the annotation only where it describes a JSON answer:
not a Werkzeug/Flask response, a `(body, status)` tuple, a `str`/`bytes` body (HTML, raw bytes) or
a name it cannot resolve.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from fastapi import FastAPI
from flask import Flask, Response
from pydantic import BaseModel
from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.test_flask_compat import fc


class Item(BaseModel):
    name: str


LEGACY = '''
from __future__ import annotations

from flask import Flask, Response, jsonify

app = Flask(__name__)


@app.get("/page")
def page() -> Response:
    """The single page application."""
    return Response("<p>app</p>", mimetype="text/html")


@app.get("/pair")
def pair() -> tuple[Response, int]:
    return jsonify(ok=True), 202


@app.get("/text")
def text() -> str:
    return "<b>hi</b>"


@app.get("/data")
def data() -> dict:
    return {"a": 1}
'''


def test_a_converted_view_annotated_with_flasks_response_imports_and_answers(tmp_path: Path):
    with converted_snippet(tmp_path, "annotated_app", LEGACY, "annotated_fastapi") as (
            result, out, legacy):
        assert not result.left
        assert not new_lint_findings(out, legacy.parent, "annotated_app")
        import annotated_app
        from annotated_fastapi.main import create_app

        app = create_app(annotated_app.app)
        schema = app.openapi()["paths"]
        # no model for Flask-style answers; the dict answer keeps its model (FM013)
        for path in ("/page", "/pair", "/text"):
            assert schema[path]["get"]["responses"]["200"]["content"] == {
                "application/json": {"schema": {}}}, path
        assert schema["/data"]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"] == {"$ref": "#/components/schemas/DataOut"}
        flask_client = annotated_app.app.test_client()
        with TestClient(app, base_url="http://localhost") as client:
            for path in ("/page", "/pair", "/text", "/data"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.headers["content-type"], new.content) == (
                    old.status_code, old.headers["content-type"], old.get_data()), path


EMPTY = inspect.Signature.empty


@pytest.mark.parametrize(("annotation", "shown"), [
    (Response, EMPTY), (Response | None, EMPTY), (tuple[dict, int], EMPTY), (str, EMPTY),
    (bytes, EMPTY), ("Unknown", EMPTY), (dict, dict), (list[dict], list[dict]), (Item, Item),
    ("Item", Item), (Item | None, Item | None), (EMPTY, EMPTY)])
def test_the_bridge_shows_fastapi_only_annotations_of_json_answers(annotation, shown):
    bridge = fc.LegacyBridge(Flask(__name__))

    def view():
        return {}

    view.__annotations__ = {} if annotation is EMPTY else {"return": annotation}
    bridged = bridge.route(view)
    assert inspect.signature(bridged).return_annotation == shown
    FastAPI().get("/x")(bridged)  # FastAPI accepts the endpoint
