"""Apps built with the API frameworks on top of Flask (APIFlask, flask-smorest, both from PyPI)
are scanned, converted and answer alike.

The scan knew only `flask.Flask` and `flask.Blueprint`: an APIFlask app scanned as "0 routes"
with no word, and flask-smorest's blueprints (registered with `api.register_blueprint`) were not
listed. Their routes are now listed, `@blp.route` on a MethodView class included (both frameworks
register `Cls.as_view(<class name>)`); and the generated app's own pages leave `/openapi.json`
and `/docs`, which both serve from rules they add while the app runs (no scan sees them).

The frameworks' own view decorators (APIFlask's `@bp.input`, `@bp.output`; flask-smorest's
`@blp.arguments`, `@blp.response`, `@blp.paginate`, `@blp.etag`...) kept their views on Flask.
They work on the legacy request and answer at call time (webargs parsing, which hands the view
what it parsed; schema dumping; the pagination header; the ETag and its 304), and their errors
reach the app's or Api's handlers: they now stay on the converted view, inside the bridge (FM029),
and the endpoint gives them the rule's values (FM028). So does APIFlask's `@auth_required`
(Flask-HTTPAuth's check around the view): refused requests get the same 401/403. The schemas
they are given document the FastAPI routes (FM032).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.scan_support import write_tree

PETS = '''
from apiflask import APIBlueprint, APIFlask, Schema
from apiflask.fields import Integer, String
from apiflask.validators import Range
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


class PetOut(Schema):
    id = Integer()
    name = String()


class Paging(Schema):
    page = Integer(load_default=1, validate=Range(min=1))


@pets.get("/")
@pets.input(Paging, location="query")
@pets.output(PetOut(many=True))
def list_pets(query_data):
    """APIFlask's own parsing (query) and dumping (the schema drops `secret`)."""
    pets_page = [{"id": query_data["page"], "name": "rex", "secret": "s3"}]
    return pets_page


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
    assert routes["/pets/"].status == "assisted"
    assert routes["/pets/"].reasons[0] == (
        "FM029 decorator:input (apiflask): stays on the view, inside the bridge: it works on "
        "the legacy request and answer (webargs parsing, schema dumping) and its errors reach "
        "the legacy app's handlers")
    [app] = result.apps
    assert [(e.name, e.call, e.line) for e in app.extensions] == \
        [("apiflask.APIFlask", "app_class", 6)]


def test_an_apiflask_app_converts_and_answers_alike(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "petshop", PETS, "petshop_fastapi") as (result, out, _):
        assert sorted(view.route.rule for view in result.converted) == \
            ["/", "/pets/", "/pets/", "/pets/<int:pet_id>", "/search"]
        main = (out / "main.py").read_text(encoding="utf-8")
        assert 'openapi_url="/fastapi/openapi.json"' in main
        import petshop
        from petshop_fastapi.main import create_app

        flask_client = petshop.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "petshop_fastapi")
        with TestClient(create_app(petshop.app)) as client:
            cases = [
                ("GET", "/", None), ("GET", "/search?q=cat", None), ("GET", "/pets/3", None),
                ("GET", "/pets/12", None), ("GET", "/pets/x", None),  # APIFlask's JSON 404
                ("POST", "/pets/", {"name": "rex"}), ("POST", "/pets/", {}),  # 422: APIFlask's
                ("GET", "/pets/?page=3", None), ("GET", "/pets/?page=0", None),
                ("GET", "/pets/?page=x", None),
                ("GET", "/openapi.json", None), ("GET", "/docs", None),  # APIFlask's pages
                ("HEAD", "/pets/3", None), ("OPTIONS", "/pets/3", None),
            ]
            assert_answer_alike(flask_client, client, cases)
            assert client.get("/openapi.json").json()["info"]["title"] == "APIFlask"
            schema = client.get("/fastapi/openapi.json").json()
            assert sorted(schema["paths"]) == ["/", "/pets/", "/pets/{pet_id}", "/search"]
            assert_documented_like_apiflask(schema)
        # APIFlask's own pages and the 404 of a path no rule takes; every /pets/ request was
        # answered by a converted route
        assert sorted(set(mounted)) == ["/docs", "/openapi.json", "/pets/x"]


def assert_documented_like_apiflask(schema: dict[str, Any]) -> None:
    """The FastAPI OpenAPI entries describe what APIFlask's decorators parse and dump (FM032):
    the models are named apart from the legacy schemas the views read (`PetOut`)."""
    pets = schema["paths"]["/pets/"]
    body = pets["post"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"]["properties"] == {
        "name": {"title": "Name", "type": "string"}}
    assert pets["get"]["parameters"] == [{"name": "page", "in": "query", "required": False,
                                          "schema": {"default": 1, "minimum": 1,
                                                     "title": "Page", "type": "integer"}}]
    answer = pets["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["items"] == {"$ref": "#/components/schemas/PetOutModel"}
    assert sorted(schema["components"]["schemas"]["PetOutModel"]["properties"]) == ["id", "name"]


def assert_documented_like_smorest(schema: dict[str, Any]) -> None:
    """... and what flask-smorest's do: the body, the 201 answer, the query string."""
    pets = schema["paths"]["/v1/pets/"]
    assert pets["post"]["requestBody"]["content"]["application/json"]["schema"]["required"] \
        == ["name"]
    created = pets["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/PetOut"}
    names = schema["paths"]["/v1/pets/names"]["get"]
    assert [p["name"] for p in names["parameters"]] == ["prefix"]
    assert names["responses"]["200"]["content"]["application/json"]["schema"]["items"] == \
        {"$ref": "#/components/schemas/PetOut"}


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


class NameQuery(ma.Schema):
    prefix = ma.fields.String(load_default="")


@pets.route("/names")
@pets.etag
@pets.arguments(NameQuery, location="query")
@pets.response(200, PetSchema(many=True))
@pets.paginate()
def names(query, pagination_parameters):
    """A page of the pets whose name starts with `prefix` (flask-smorest's own pagination)."""
    found = [{"id": n, "name": name} for n, name in enumerate(("rex", "rox", "tom", "rax"))
             if name.startswith(query["prefix"])]
    pagination_parameters.item_count = len(found)
    first = pagination_parameters.first_item
    return found[first:first + pagination_parameters.page_size]


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
    assert sorted(routes) == ["/health", "/v1/pets/", "/v1/pets/<int:pet_id>", "/v1/pets/names"]
    view_class = routes["/v1/pets/"]
    assert (view_class.endpoint, view_class.methods, view_class.status) == \
        ("pets.Pets", ["GET", "POST"], "assisted")
    assert view_class.reasons[:2] == [
        f"FM029 decorator:{name} (flask-smorest): stays on the view, inside the bridge: it "
        "works on the legacy request and answer (webargs parsing, schema dumping, pagination, "
        "ETag) and its errors reach the legacy Api's handlers"
        for name in ("response", "arguments")]
    # flask-smorest takes `tags=` and `parameters=` for its documentation, not for the rule
    assert routes["/v1/pets/<int:pet_id>"].status == "auto"
    assert routes["/v1/pets/<int:pet_id>"].rule_options == {}
    assert not [d for d in result.diagnostics if d.code == "scan.blueprint_not_registered"]
    [app] = result.apps
    assert [(e.name, e.call) for e in app.extensions] == [("flask_smorest.Api", "init_app")]


def test_a_flask_smorest_app_converts_and_answers_alike(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "smorest_pets", SMOREST, "smorest_fastapi") as (
            result, out, _):
        assert sorted(view.route.rule for view in result.converted) == \
            ["/health", "/v1/pets/", "/v1/pets/", "/v1/pets/<int:pet_id>", "/v1/pets/names"]
        assert 'openapi_url="/fastapi/openapi.json"' in (out / "main.py").read_text("utf-8")
        import smorest_pets
        from smorest_fastapi.main import create_app

        flask_client = smorest_pets.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "smorest_fastapi")
        with TestClient(create_app(smorest_pets.app)) as client:
            cases = [
                ("GET", "/v1/pets/3", None), ("GET", "/v1/pets/12", None),  # smorest's abort
                ("GET", "/v1/pets/", None), ("POST", "/v1/pets/", {"name": "rex"}),
                ("POST", "/v1/pets/", {}), ("GET", "/health", None), ("GET", "/nope", None),
                ("GET", "/openapi.json", None),  # flask-smorest's own, still Flask's
                ("GET", "/v1/pets/names?prefix=r&page=2&page_size=2", None),
                ("GET", "/v1/pets/names?page=0", None),  # webargs: 422 through the Api
                ("GET", "/v1/pets/names?prefix=7", None),
            ]
            assert_answer_alike(flask_client, client, cases)
            # flask-smorest's pagination header and ETag, and its 304 for a known ETag
            page = "/v1/pets/names?prefix=r&page=2&page_size=2"
            legacy, new = flask_client.get(page), client.get(page)
            assert new.headers["X-Pagination"] == legacy.headers["X-Pagination"]
            assert '"total": 3' in new.headers["X-Pagination"]
            assert new.headers["ETag"] == legacy.headers["ETag"]
            again = {"If-None-Match": legacy.headers["ETag"]}
            assert (flask_client.get(page, headers=again).status_code,
                    client.get(page, headers=again).status_code) == (304, 304)
            assert client.get("/openapi.json").json()["info"]["title"] == "pets"
            schema = client.get("/fastapi/openapi.json").json()
            assert sorted(schema["paths"]) == [
                "/health", "/v1/pets/", "/v1/pets/names", "/v1/pets/{pet_id}"]
            assert_documented_like_smorest(schema)
        assert sorted(set(mounted)) == ["/nope", "/openapi.json"]  # the rest: converted routes


# APIFlask's classes imported from the modules that define them, and its `auth_required`, which
# puts Flask-HTTPAuth's `auth.login_required(role=roles, optional=optional)` around the view
GUARDED_PETS = '''
from apiflask import HTTPTokenAuth
from apiflask.app import APIFlask
from apiflask.blueprint import APIBlueprint
from apiflask.fields import String
from apiflask.schemas import Schema

app = APIFlask(__name__)
pets = APIBlueprint("pets", __name__, url_prefix="/pets")
auth = HTTPTokenAuth()
TOKENS = {"t-admin": ("ann", ["admin"]), "t-user": ("bob", [])}


@auth.verify_token
def verify_token(token):
    return TOKENS.get(token)


@auth.get_user_roles
def roles_of(user):
    return user[1]


class PetIn(Schema):
    name = String(required=True)


@pets.get("/<int:pet_id>")
@pets.auth_required(auth)
def get_pet(pet_id):
    return {"id": pet_id, "by": auth.current_user[0]}


@pets.post("/")
@pets.auth_required(auth, roles=["admin"])
@pets.input(PetIn)
def create_pet(json_data):
    return json_data, 201


@app.get("/whoami")
@app.auth_required(auth, optional=True)
def whoami():
    return {"user": auth.current_user[0] if auth.current_user else None}


app.register_blueprint(pets)
'''


def test_apiflask_auth_required_stays_on_the_view(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path, {"guarded/__init__.py": GUARDED_PETS}))
    routes = {route.rule: route for route in result.routes}
    assert sorted(routes) == ["/pets/", "/pets/<int:pet_id>", "/whoami"]
    assert {route.status for route in routes.values()} == {"assisted"}
    assert routes["/pets/<int:pet_id>"].reasons[0] == (
        "FM029 decorator:auth_required (apiflask): stays on the view, inside the bridge: its "
        "Flask-HTTPAuth check (and role check) runs before the view and answers a refused "
        "request through the auth object's error handler")
    assert routes["/pets/"].reasons[1].startswith("FM029 decorator:input (apiflask)")


def test_apiflask_auth_required_converts_and_refuses_alike(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "guarded", GUARDED_PETS, "guarded_fastapi") as (
            result, out, _):
        assert sorted(view.route.rule for view in result.converted) == \
            ["/pets/", "/pets/<int:pet_id>", "/whoami"]
        router = (out / "routers" / "pets.py").read_text(encoding="utf-8")
        assert "@pets.auth_required(auth, roles=[\"admin\"])" in router
        import guarded
        from guarded_fastapi.main import create_app

        flask_client = guarded.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "guarded_fastapi")
        admin, user = ({"Authorization": f"Bearer {token}"} for token in ("t-admin", "t-user"))
        wrong = {"Authorization": "Bearer nope"}
        with TestClient(create_app(guarded.app)) as client:
            cases = [
                ("GET", "/pets/3", None), ("GET", "/pets/3", admin), ("GET", "/pets/3", wrong),
                ("POST", "/pets/", None), ("POST", "/pets/", user), ("POST", "/pets/", admin),
                ("GET", "/whoami", None), ("GET", "/whoami", user), ("GET", "/whoami", wrong),
            ]
            statuses = []
            for method, path, headers in cases:
                body = {"name": "rex"} if method == "POST" else None
                legacy = flask_client.open(path, method=method, json=body, headers=headers)
                new = client.request(method, path, json=body, headers=headers)
                assert (new.status_code, new.content, new.headers.get("WWW-Authenticate")) == (
                    legacy.status_code, legacy.data,
                    legacy.headers.get("WWW-Authenticate")), (method, path, headers)
                statuses.append(new.status_code)
            assert statuses == [401, 200, 401, 401, 403, 201, 200, 200, 200]
        assert mounted == []  # every request was answered by a converted route


# APIFlask 3 validates with the project's Pydantic models (as in APIFlask's own example app)
PYDANTIC_PETS = '''
from typing import List

from apiflask import APIFlask, abort
from pydantic import BaseModel, Field

app = APIFlask(__name__)
PETS = [{"id": 0, "name": "Kitty"}, {"id": 1, "name": "Coco"}]


class PetIn(BaseModel):
    name: str = Field(min_length=1, max_length=10)


class PetOut(PetIn):
    id: int


@app.get("/pets")
@app.output(List[PetOut])
def get_pets():
    return PETS


@app.post("/pets")
@app.input(PetIn, location="json")
@app.output(PetOut, status_code=201)
def create_pet(json_data: PetIn):
    if json_data.name == "Rex":
        abort(409, "taken")
    return {"id": len(PETS), **json_data.model_dump()}
'''


def test_an_apiflask_app_with_pydantic_models_converts_and_documents_them(
        tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "pydantic_pets", PYDANTIC_PETS, "pydantic_fastapi") as (
            result, out, _):
        assert len(result.converted) == 2
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert '@router.get("/pets", response_model=List[PetOut], name="get_pets")' in router
        assert not (out / "schemas.py").exists()  # the project's own models document the routes
        import pydantic_pets
        from pydantic_fastapi.main import create_app

        flask_client = pydantic_pets.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "pydantic_fastapi")
        with TestClient(create_app(pydantic_pets.app)) as client:
            assert_answer_alike(flask_client, client, [
                ("GET", "/pets", None), ("POST", "/pets", {"name": "Bo"}),
                ("POST", "/pets", {"name": ""}), ("POST", "/pets", {"name": "Rex"}),
                ("POST", "/pets", {}), ("POST", "/pets", [1]),
            ])
            schema = client.get("/fastapi/openapi.json").json()
        assert mounted == []
        create = schema["paths"]["/pets"]["post"]
        assert create["requestBody"]["content"]["application/json"]["schema"]["properties"] == {
            "name": {"maxLength": 10, "minLength": 1, "title": "Name", "type": "string"}}
        assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/PetOut"}
        listed = schema["paths"]["/pets"]["get"]["responses"]["200"]["content"]
        assert listed["application/json"]["schema"]["items"] == {
            "$ref": "#/components/schemas/PetOut"}
