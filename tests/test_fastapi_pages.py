"""FastAPI's own pages never shadow a legacy URL.

The generated app adds `/openapi.json`, `/docs` (and `/docs/oauth2-redirect`) and `/redoc`, and
FastAPI's routes come before the legacy mount: a legacy `/docs` page, or a converted `/redoc`
route, answered with Swagger UI or ReDoc instead. A page whose path a legacy rule may answer now
moves under `/fastapi` (or `/_fastapi`), or is turned off when no candidate is free.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from migrator.convert.render import fastapi_page_urls
from tests.example_support import converted_snippet

MOVED = {"docs_url": "/fastapi/docs", "swagger_ui_oauth2_redirect_url":
         "/fastapi/docs/oauth2-redirect"}


@pytest.mark.parametrize(("rules", "expected"), [
    (["/items/<int:id>", "/api/v1/docs"], {}),  # nothing in the way: FastAPI's defaults
    (["/docs"], MOVED),
    (["/docs/"], MOVED),  # Flask redirects /docs to /docs/
    (["/docs/<path:page>"], MOVED),  # it answers /docs/oauth2-redirect
    (["/<page>"], {"openapi_url": "/fastapi/openapi.json", "docs_url": "/fastapi/docs",
                   "redoc_url": "/fastapi/redoc",
                   "swagger_ui_oauth2_redirect_url": "/fastapi/docs/oauth2-redirect"}),
    (["/<page>", "/fastapi/<path:rest>"], {
        "openapi_url": "/_fastapi/openapi.json", "docs_url": "/_fastapi/docs",
        "redoc_url": "/_fastapi/redoc",
        "swagger_ui_oauth2_redirect_url": "/_fastapi/docs/oauth2-redirect"}),
    (["/<path:anything>"], {"openapi_url": None, "docs_url": None, "redoc_url": None}),
    # a converter with arguments counts as matching what its class matches: /docs is not free
    (["/<string(length=2):code>"], {
        "openapi_url": "/fastapi/openapi.json", "docs_url": "/fastapi/docs",
        "redoc_url": "/fastapi/redoc",
        "swagger_ui_oauth2_redirect_url": "/fastapi/docs/oauth2-redirect"}),
    (["/<custom:x>"], {"openapi_url": None, "docs_url": None, "redoc_url": None}),  # anything
])
def test_pages_move_off_the_paths_legacy_rules_answer(rules, expected) -> None:
    assert fastapi_page_urls(rules) == expected


LEGACY = '''
from flask import Flask

app = Flask(__name__)


@app.get("/docs")
def docs():
    return "<h1>Our own documentation</h1>"


@app.get("/redoc")
def redoc():
    return {"redoc": "legacy"}
'''


def test_legacy_and_converted_pages_keep_their_paths(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "pages_app", LEGACY, "pages_fastapi",
                           patterns=["/redoc"]) as (result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/redoc"]
        import pages_app
        from pages_fastapi.main import create_app

        flask_client = pages_app.app.test_client()
        with TestClient(create_app(pages_app.app)) as client:
            for path in ("/docs", "/redoc"):  # left on Flask, converted
                legacy_answer, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
            assert client.get("/fastapi/docs").text.count("swagger-ui") > 0
            assert "redoc" in client.get("/fastapi/redoc").text
            assert client.get("/openapi.json").json()["paths"].keys() == {"/redoc"}


SMOREST = '''
from flask import Flask
from flask_smorest import Api, Blueprint

app = Flask(__name__)
app.config.update(API_TITLE="pets", API_VERSION="v1", OPENAPI_VERSION="3.0.2",
                  OPENAPI_URL_PREFIX="/", OPENAPI_REDOC_PATH="/redoc")
api = Api(app)
pets = Blueprint("pets", __name__)


@pets.get("/pets")
def list_pets():
    return {"pets": []}


api.register_blueprint(pets)


@app.get("/health")
def health():
    return {"ok": True}
'''


def test_pages_leave_the_default_paths_when_an_extension_serves_its_own(tmp_path: Path) -> None:
    """flask-smorest serves `/openapi.json` and `/redoc` (under `OPENAPI_URL_PREFIX`) from rules
    it adds while the app runs, which no scan sees: with such an extension on the app, FastAPI's
    pages go under `/fastapi` (the scan does not import flask-smorest, so it need not be
    installed; nothing here runs it)."""
    assert fastapi_page_urls(["/pets"], extensions=["flask_smorest.Api"]) == {
        "openapi_url": "/fastapi/openapi.json", "docs_url": "/fastapi/docs",
        "redoc_url": "/fastapi/redoc",
        "swagger_ui_oauth2_redirect_url": "/fastapi/docs/oauth2-redirect"}
    assert fastapi_page_urls(["/pets"], extensions=["flask_cors.CORS"]) == {}
    legacy = tmp_path / "petsapp"
    legacy.mkdir()
    (legacy / "__init__.py").write_text(SMOREST, encoding="utf-8")
    from migrator.convert.run import convert_project

    convert_project(legacy, tmp_path / "pets_fastapi")
    main = (tmp_path / "pets_fastapi" / "main.py").read_text(encoding="utf-8")
    assert 'openapi_url="/fastapi/openapi.json"' in main and 'redoc_url="/fastapi/redoc"' in main
