"""FM032: flask-smorest's and APIFlask's schemas document the converted route.

Their decorators stay on the converted view (FM029) and parse, dump and refuse as in Flask; the
route's FastAPI OpenAPI entry described none of it. The marshmallow schemas they are given now
become Pydantic models (read as FM011 reads `schema.load` / `schema.dump`): the JSON body, the
query string and the answer. The view is never changed. End to end (the generated apps' OpenAPI
and their answers against Flask's) in test_api_frameworks.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codemods.framework_schemas import FrameworkSchemaDocs
from migrator.convert.schemas import LegacySource
from migrator.model import DecoratorInfo
from templates.fastapi_app.flask_params import query_parameters
from tests.test_codemods import run_rule

SMOREST = "flask_smorest.Blueprint"
APIFLASK = "apiflask.APIBlueprint"

SCHEMAS = '''
import marshmallow as ma
from apiflask import Schema
from apiflask.fields import Integer, String
from apiflask.validators import Length
from flask_smorest import Blueprint
from apiflask import APIBlueprint

blp = Blueprint("pets", __name__)
bp = APIBlueprint("pets", __name__)


class PetSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1))


class PetIn(Schema):
    name = String(required=True, validate=Length(max=20))


class PetOut(Schema):
    id = Integer()
    name = String()


class Filters(ma.Schema):
    prefix = ma.fields.String(load_default="")


pet_schema = PetSchema()
'''


def decorator(written: str, package_class: str) -> DecoratorInfo:
    return DecoratorInfo(written, f"{package_class}.{written.rsplit('.', 1)[-1]}", "external",
                         False)


def documented(tmp_path: Path, view: str, decorators: list[DecoratorInfo],
               methods=("POST",), **options):
    """Run FM032 on `view` (in a module beside SCHEMAS): (route options, model names, imports,
    the models' TODOs). The view itself never changes."""
    source = SCHEMAS + textwrap.dedent(view)
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    code, context = run_rule(FrameworkSchemaDocs, source, decorators=decorators,
                             route_fields={"methods": list(methods)},
                             legacy=LegacySource(tmp_path, "m", "m.py"), **options)
    function = textwrap.dedent(view).lstrip("\n")
    assert code.lstrip("\n") == function  # the view is unchanged
    assert context.applied <= {"FM032"}
    return (context.route_options, [m.name for m in context.models], context.imports,
            [todo for m in context.models for todo in m.todos])


def test_smorest_arguments_and_response_are_documented(tmp_path: Path) -> None:
    options, models, imports, todos = documented(tmp_path, '''
        @blp.arguments(PetSchema)
        @blp.response(201, PetSchema)
        def create(new_pet):
            # smorest parsed and checked the body; the view sees the dict
            return {"id": 2, **new_pet}
    ''', [decorator("blp.arguments", SMOREST), decorator("blp.response", SMOREST)])
    assert options == {"openapi_extra": "json_body(PetCreate)",
                       "responses": '{201: {"model": PetOut}}'}
    assert models == ["PetCreate", "PetOut"]
    assert imports == {(".flask_params", "json_body"), ("..schemas", "PetCreate"),
                       ("..schemas", "PetOut")}
    assert todos == []


def test_apiflask_query_input_and_list_output(tmp_path: Path) -> None:
    options, models, imports, _ = documented(tmp_path, '''
        @bp.input(Filters, location="query")
        @bp.output(PetOut(many=True))
        def pets(query_data):
            return []
    ''', [decorator("bp.input", APIFLASK), decorator("bp.output", APIFLASK)], methods=("GET",))
    assert options == {"openapi_extra": "query_parameters(FiltersQuery)",
                       "response_model": "list[PetOut]"}
    assert models == ["FiltersQuery", "PetOut"]
    assert (".flask_params", "query_parameters") in imports


def test_a_body_and_a_query_string_together_and_a_module_instance(tmp_path: Path) -> None:
    options, models, _, _ = documented(tmp_path, '''
        @blp.arguments(pet_schema, required=False, description="the pet")
        @blp.arguments(Filters, location="querystring")
        def update(pet, filters):
            return {}
    ''', [decorator("blp.arguments", SMOREST)], methods=("PATCH",))
    assert options == {
        "openapi_extra": "json_body(PetUpdate, required=False) | query_parameters(FiltersQuery)"}
    assert models == ["PetUpdate", "FiltersQuery"]


def test_the_query_parameters_the_endpoint_has_of_its_own_are_left_to_fastapi(
        tmp_path: Path) -> None:
    from codemods.base import NewParameter
    own = NewParameter("prefix", "str", '""', documents=("query", "prefix"))
    options, _, _, _ = documented(tmp_path, '''
        @bp.input(Filters, location="query")
        def pets(query_data):
            return {}
    ''', [decorator("bp.input", APIFLASK)], methods=("GET",), new_parameters=[own])
    assert options == {"openapi_extra": "query_parameters(FiltersQuery, documented=['prefix'])"}


@pytest.mark.parametrize("view", [
    # a project decorator outside the dumping one may change the answer: only the body
    '''
    @envelope
    @blp.response(200, PetSchema)
    def show():
        return {}
    ''',
    # options that change what is accepted or dumped, a schema that is not a marshmallow class
    # of the project, a location or content type no model describes
    '''
    @blp.response(200, PetSchema(only=("id",)))
    def show():
        return {}
    ''',
    '''
    @bp.output({}, status_code=204)
    def show():
        return ""
    ''',
    '''
    @blp.arguments(PetSchema, location="form")
    @blp.arguments(PetSchema, content_type="application/xml")
    @blp.arguments(PetSchema, unknown=ma.INCLUDE)
    @blp.arguments(Filters(many=True), location="query")
    @blp.response(HTTPStatus.OK, PetSchema)
    def show(a, b, c):
        return {}
    ''',
])
def test_what_cannot_be_shown_exact_is_left_undocumented(tmp_path: Path, view: str) -> None:
    decorators = [decorator("blp.arguments", SMOREST), decorator("blp.response", SMOREST),
                  decorator("bp.output", APIFLASK)]
    options, models, imports, _ = documented(tmp_path, view, decorators)
    assert (options, models, imports) == ({}, [], set())


def test_what_an_earlier_rule_documented_is_kept(tmp_path: Path) -> None:
    options, models, _, _ = documented(tmp_path, '''
        @blp.arguments(PetSchema)
        @blp.response(200, PetSchema)
        def create(pet):
            return pet
    ''', [decorator("blp.arguments", SMOREST), decorator("blp.response", SMOREST)],
        route_options={"openapi_extra": "json_body(Other)", "response_model": "OtherOut"})
    assert options == {"openapi_extra": "json_body(Other)", "response_model": "OtherOut"}
    assert models == []


def test_apiflask_s_own_fields_and_validators_are_marshmallow_s(tmp_path: Path) -> None:
    options, models, _, todos = documented(tmp_path, '''
        @bp.input(PetIn)
        def create(json_data):
            return json_data
    ''', [decorator("bp.input", APIFLASK)])
    # apiflask.Schema, apiflask.fields.String, apiflask.validators.Length: marshmallow's own
    assert (options, models) == ({"openapi_extra": "json_body(PetCreate)"}, ["PetCreate"])
    assert todos == []


def test_query_parameters_are_the_model_s_fields() -> None:
    from pydantic import BaseModel, Field

    class Paging(BaseModel):
        page: int = Field(1, ge=1)
        sort: str
        tag: list[str] = []

    assert query_parameters(Paging, documented=["tag"]) == {"parameters": [
        {"name": "page", "in": "query", "required": False,
         "schema": {"default": 1, "minimum": 1, "title": "Page", "type": "integer"}},
        {"name": "sort", "in": "query", "required": True,
         "schema": {"title": "Sort", "type": "string"}},
    ]}


PYDANTIC = '''
from typing import List

from apiflask import APIFlask
from pydantic import BaseModel, Field

app = APIFlask(__name__)


class PetIn(BaseModel):
    name: str = Field(min_length=1, max_length=10)


class PetOut(PetIn):
    id: int


class Filters(BaseModel):
    prefix: str = ""
'''


def test_apiflask_pydantic_models_document_the_route_as_written(tmp_path: Path) -> None:
    """APIFlask 3 validates with the project's Pydantic models themselves: the very models,
    as the decorator names them (the router imports those names for the decorator)."""
    (tmp_path / "m.py").write_text(PYDANTIC, encoding="utf-8")
    view = '''
        @app.input(PetIn, location="json")
        @app.input(Filters, location="query")
        @app.output(List[PetOut], status_code=201)
        def create(json_data, query_data):
            return [json_data]
    '''
    inputs = [DecoratorInfo(f"app.{name}", f"apiflask.APIFlask.{name}", "external", False)
              for name in ("input", "output")]
    code, context = run_rule(FrameworkSchemaDocs, PYDANTIC + textwrap.dedent(view),
                             decorators=inputs, route_fields={"methods": ["POST"]},
                             legacy=LegacySource(tmp_path, "m", "m.py"))
    assert code.lstrip("\n") == textwrap.dedent(view).lstrip("\n")
    assert context.route_options == {
        "openapi_extra": "json_body(PetIn) | query_parameters(Filters)",
        "responses": '{201: {"model": List[PetOut]}}'}
    assert context.models == []
    assert context.imports == {(".flask_params", "json_body"),
                               (".flask_params", "query_parameters")}
    # a list is no query string, and a list of marshmallow schemas no model
    view = '''
        @app.input(List[Filters], location="query")
        def search(query_data):
            return []
    '''
    code, context = run_rule(FrameworkSchemaDocs, PYDANTIC + textwrap.dedent(view),
                             decorators=inputs, route_fields={"methods": ["GET"]},
                             legacy=LegacySource(tmp_path, "m", "m.py"))
    assert (context.route_options, context.imports) == ({}, set())
