"""FM033: a converted Flask-RESTX method documents the models its RESTX decorators name.

`@ns.expect(model)` and `@ns.marshal_with(model)` stay on the method (FM029): RESTX validates
and marshals as in Flask. The FastAPI OpenAPI entry described neither; it now does, from the
very model objects (`restx_openapi`, read when the router is imported). End to end (the README's
TodoMVC API) in test_restx_resources.py.
"""

from __future__ import annotations

import textwrap

from flask import Flask
from flask_restx import Api, fields, reqparse

from codemods.restx_doc import RestxModelDoc
from migrator.model import DecoratorInfo
from templates.fastapi_app.flask_params import restx_openapi
from tests.test_codemods import run_rule

NS = "flask_restx.Namespace"


def restx(written: str) -> DecoratorInfo:
    return DecoratorInfo(f"ns.{written}", f"{NS}.{written}", "external", False)


DECORATORS = [restx(name) for name in ("expect", "marshal_with", "marshal_list_with", "doc")]


def documented(source: str, decorators=DECORATORS, **options) -> dict[str, str]:
    code, context = run_rule(RestxModelDoc, source, decorators=decorators,
                             route_fields={"methods": ["POST"]}, **options)
    assert code == textwrap.dedent(source).lstrip("\n")  # the method is unchanged
    if context.applied:
        assert context.imports == {(".flask_params", "restx_openapi")}
    return context.route_options


def test_fm033_documents_the_expected_and_marshalled_models() -> None:
    source = """
        @ns.doc("create_todo")
        @ns.expect(todo, validate=True)
        @ns.marshal_with(todo, code=201)
        def todo_list_post():
            # RESTX validated the payload; the answer is marshalled with the model
            return DAO.create(api.payload), 201
    """
    assert documented(source) == {
        "openapi_extra": "restx_openapi(expects=[todo], answers=[(201, todo, False)])"}
    source = """
        @ns.expect([todo], parser)
        @ns.marshal_list_with(models.todo)
        def todo_list_get():
            return DAO.todos
    """
    assert documented(source) == {"openapi_extra": (
        "restx_openapi(expects=[[todo], parser], answers=[(200, models.todo, True)])")}


def test_fm033_leaves_what_it_cannot_document_as_restx_does_it() -> None:
    for source in (
        # made in the decorator; wrapped in a key; a status that is not a literal
        "@ns.expect(api.model('T', {}))\ndef f():\n    return {}\n",
        "@ns.marshal_with(todo, envelope='data')\ndef f():\n    return {}\n",
        "@ns.marshal_with(todo, code=HTTPStatus.CREATED)\ndef f():\n    return {}\n",
        # a project decorator above the marshalling one may change the answer
        "@wrapped\n@ns.marshal_with(todo)\ndef f():\n    return {}\n",
    ):
        assert documented(source) == {}, source
    described = "@ns.expect(todo)\ndef f():\n    return {}\n"
    assert documented(described, route_options={"openapi_extra": "json_body(Other)"}) == {
        "openapi_extra": "json_body(Other)"}


def test_restx_openapi_reads_the_models_and_parsers_themselves() -> None:
    api = Api(Flask(__name__))
    tag = api.model("Tag", {"name": fields.String(required=True)})
    todo = api.model("Todo", {"task": fields.String(required=True),
                              "tags": fields.List(fields.Nested(tag))})
    child = api.inherit("Child", todo, {"done": fields.Boolean()})
    parser = reqparse.RequestParser()
    parser.add_argument("page", type=int, location="args")
    tag_schema = {"required": ["name"], "properties": {"name": {"type": "string"}},
                  "type": "object"}
    todo_schema = {"required": ["task"], "type": "object", "properties": {
        "task": {"type": "string"}, "tags": {"type": "array", "items": tag_schema}}}
    assert restx_openapi(expects=[[child], parser], answers=[(201, todo, False)]) == {
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "array", "items": {"allOf": [todo_schema, {
                "properties": {"done": {"type": "boolean"}}, "type": "object"}]}}}}},
        "parameters": [{"name": "page", "in": "query", "required": False,
                        "schema": {"type": "integer"}}],
        "responses": {"201": {"description": "Created", "content": {
            "application/json": {"schema": todo_schema}}}},
    }
    # a GET or DELETE route: no body
    assert restx_openapi(expects=[todo], answers=[(200, tag, True)], body=False) == {
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"type": "array", "items": tag_schema}}}}}}


def test_models_that_share_models_along_many_paths_document_a_bounded_body() -> None:
    """udata's Flask-RESTX models refer to the same models along many paths: replacing each
    `$ref` by what it names made the schema grow exponentially, and `migrate verify` building
    the generated app's OpenAPI filled 23 GB in half a minute. Past INLINED_OBJECTS objects a
    `$ref` is documented as any value."""
    import json

    from templates.fastapi_app.flask_params import INLINED_OBJECTS

    api = Api(Flask(__name__))
    models = {}
    for index in reversed(range(40)):
        following = models.get(index + 1)
        models[index] = api.model(f"M{index}", {"name": fields.String()} if following is None
                                  else {f"to_{n}": fields.Nested(following) for n in "abc"})
    documented = restx_openapi(expects=[models[0]])
    schema = documented["requestBody"]["content"]["application/json"]["schema"]
    text = json.dumps(schema)
    assert "$ref" not in text
    assert text.count("{") < 3 * INLINED_OBJECTS  # 3 ** 40 objects before
    assert schema["properties"]["to_a"]["properties"]["to_b"]["type"] == "object"
