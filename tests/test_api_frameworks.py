"""Apps built with the API frameworks on top of Flask (APIFlask, flask-smorest, both from PyPI)
are scanned, converted and answer alike.

The scan knew only `flask.Flask` and `flask.Blueprint`: an APIFlask app scanned as "0 routes"
with no word, and flask-smorest's blueprints (registered with `api.register_blueprint`) were not
listed. Their routes are now listed, `@blp.route` on a MethodView class included (both frameworks
register `Cls.as_view(<class name>)`); a view under a framework's own decorators (`@bp.input`,
`@blp.arguments`, `@blp.response`: they validate and serialise around the view) stays on Flask,
named; and the generated app's own pages leave `/openapi.json` and `/docs`, which both serve
from rules they add while the app runs (no scan sees them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

PETS = '''
from apiflask import APIBlueprint, APIFlask, Schema
from apiflask.fields import String
from flask import request

app = APIFlask(__name__)
pets = APIBlueprint("pets", __name__, url_prefix="/pets")


class PetIn(Schema):
    name = String(required=True)


@app.get("/")
def index():
    return {"message": "hello"}


@app.get("/search")
def search():
    return {"q": request.args.get("q", "")}


@pets.post("/")
@pets.input(PetIn)
def create_pet(json_data):
    return json_data, 201


@pets.get("/<int:pet_id>")
def get_pet(pet_id):
    if pet_id > 9:
        return {"error": "no such pet"}, 404
    return {"id": pet_id}


app.register_blueprint(pets)
'''


def assert_answer_alike(flask_client: Any, client: TestClient,
                        cases: list[tuple[str, str, Any]]) -> None:
    """Each `(method, path, JSON body)` gets the same status, bytes and content type from both."""
    for method, path, body in cases:
        legacy = flask_client.open(path, method=method, json=body)
        new = client.request(method, path, json=body)
        assert (new.status_code, new.content, new.headers.get("content-type")) == (
            legacy.status_code, legacy.data, legacy.headers.get("content-type")), path


def test_an_apiflask_app_is_scanned(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path, {"petshop/__init__.py": PETS}))
    routes = {route.rule: route for route in result.routes}
    assert sorted(routes) == ["/", "/pets/", "/pets/<int:pet_id>", "/search"]
    assert routes["/pets/<int:pet_id>"].endpoint == "pets.get_pet"
    assert routes["/pets/<int:pet_id>"].methods == ["GET"]
    assert [routes[rule].status for rule in ("/", "/search", "/pets/<int:pet_id>")] == \
        ["auto"] * 3
    assert routes["/pets/"].status == "manual"
    assert routes["/pets/"].reasons[0].startswith(
        "decorator:pets.input: from apiflask.APIBlueprint.input;")
    [app] = result.apps
    assert [(e.name, e.call, e.line) for e in app.extensions] == \
        [("apiflask.APIFlask", "app_class", 5)]


def test_an_apiflask_app_converts_and_answers_alike(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "petshop", PETS, "petshop_fastapi") as (result, out, _):
        assert sorted(view.route.rule for view in result.converted) == \
            ["/", "/pets/<int:pet_id>", "/search"]
        main = (out / "main.py").read_text(encoding="utf-8")
        assert 'openapi_url="/fastapi/openapi.json"' in main
        import petshop
        from petshop_fastapi.main import create_app

        flask_client = petshop.app.test_client()
        with TestClient(create_app(petshop.app)) as client:
            cases = [
                ("GET", "/", None), ("GET", "/search?q=cat", None), ("GET", "/pets/3", None),
                ("GET", "/pets/12", None), ("GET", "/pets/x", None),  # APIFlask's JSON 404
                ("POST", "/pets/", {"name": "rex"}), ("POST", "/pets/", {}),  # left on Flask
                ("GET", "/openapi.json", None), ("GET", "/docs", None),  # APIFlask's pages
                ("HEAD", "/pets/3", None), ("OPTIONS", "/pets/3", None),
            ]
            assert_answer_alike(flask_client, client, cases)
            assert client.get("/openapi.json").json()["info"]["title"] == "APIFlask"
            schema = client.get("/fastapi/openapi.json").json()
            assert sorted(schema["paths"]) == ["/", "/pets/{pet_id}", "/search"]


SMOREST = '''
import marshmallow as ma
from flask import Flask
from flask.views import MethodView
from flask_smorest import Api, Blueprint, abort

app = Flask(__name__)
app.config.update(API_TITLE="pets", API_VERSION="v1", OPENAPI_VERSION="3.0.2",
                  OPENAPI_URL_PREFIX="/")
api = Api()
pets = Blueprint("pets", __name__, url_prefix="/pets")


class PetSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    name = ma.fields.String(required=True)


@pets.route("/")
class Pets(MethodView):
    @pets.response(200, PetSchema(many=True))
    def get(self):
        return [{"id": 1, "name": "rex"}]

    @pets.arguments(PetSchema)
    @pets.response(201, PetSchema)
    def post(self, new_pet):
        return {"id": 2, **new_pet}


@pets.route("/<int:pet_id>", tags=["pets"], parameters=["pet_id"])  # documentation only
def get_pet(pet_id):
    if pet_id > 9:
        abort(404, message="no such pet")
    return {"id": pet_id}


api.init_app(app)
api.register_blueprint(pets, url_prefix="/v1/pets")


@app.get("/health")
def health():
    return {"ok": True}
'''


def test_a_flask_smorest_app_is_scanned(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path, {"smorest_pets/__init__.py": SMOREST}))
    routes = {route.rule: route for route in result.routes}
    # the registration's url_prefix wins over the blueprint's, as in Flask
    assert sorted(routes) == ["/health", "/v1/pets/", "/v1/pets/<int:pet_id>"]
    view_class = routes["/v1/pets/"]
    assert (view_class.endpoint, view_class.methods, view_class.status) == \
        ("pets.Pets", ["GET", "POST"], "manual")
    assert "decorator:pets.arguments: from flask_smorest.Blueprint.arguments;" in \
        " ".join(view_class.reasons)
    # flask-smorest takes `tags=` and `parameters=` for its documentation, not for the rule
    assert routes["/v1/pets/<int:pet_id>"].status == "auto"
    assert routes["/v1/pets/<int:pet_id>"].rule_options == {}
    assert not [d for d in result.diagnostics if d.code == "scan.blueprint_not_registered"]
    [app] = result.apps
    assert [(e.name, e.call) for e in app.extensions] == [("flask_smorest.Api", "init_app")]


def test_a_flask_smorest_app_converts_and_answers_alike(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "smorest_pets", SMOREST, "smorest_fastapi") as (
            result, out, _):
        assert sorted(view.route.rule for view in result.converted) == \
            ["/health", "/v1/pets/<int:pet_id>"]
        assert 'openapi_url="/fastapi/openapi.json"' in (out / "main.py").read_text("utf-8")
        import smorest_pets
        from smorest_fastapi.main import create_app

        flask_client = smorest_pets.app.test_client()
        with TestClient(create_app(smorest_pets.app)) as client:
            cases = [
                ("GET", "/v1/pets/3", None), ("GET", "/v1/pets/12", None),  # smorest's abort
                ("GET", "/v1/pets/", None), ("POST", "/v1/pets/", {"name": "rex"}),
                ("POST", "/v1/pets/", {}), ("GET", "/health", None), ("GET", "/nope", None),
                ("GET", "/openapi.json", None),  # flask-smorest's own, still Flask's
            ]
            assert_answer_alike(flask_client, client, cases)
            assert client.get("/openapi.json").json()["info"]["title"] == "pets"
            schema = client.get("/fastapi/openapi.json").json()
            assert sorted(schema["paths"]) == ["/health", "/v1/pets/{pet_id}"]
