"""FM031: a view that flask-expects-json's `@expects_json(schema)` guards documents that schema.

The decorator stays on the converted view (FM029) and checks the body as in Flask; the route's
OpenAPI entry had no body at all. It now documents the very schema object, required, with the
schema's own `$ref`s to its definitions inlined (`openapi_extra` cannot add components). The
end-to-end check, against Flask and in the generated app's OpenAPI, is in
test_kept_extension_decorators.py.
"""

from __future__ import annotations

import textwrap

from codemods.json_schema_doc import JsonSchemaDoc
from migrator.model import DecoratorInfo
from templates.fastapi_app.flask_params import json_schema_body
from tests.test_codemods import run_rule

EXPECTS = DecoratorInfo("expects_json", "flask_expects_json.expects_json", "external", False)


def documented(source: str, methods=("POST",), **options) -> dict[str, str]:
    code, context = run_rule(JsonSchemaDoc, source, decorators=[EXPECTS],
                             route_fields={"methods": list(methods)}, **options)
    assert code == textwrap.dedent(source).lstrip("\n")  # the view is unchanged
    if context.applied:
        assert context.applied == {"FM031"}
        assert context.imports == {(".flask_params", "json_schema_body")}
    else:
        assert not context.imports
    return context.route_options


def test_fm031_documents_the_schema_the_decorator_checks() -> None:
    source = """
        @expects_json(schemas.tag_schema, check_formats=True)
        def tags():
            # the decorator's 400 stays the answer to a bad body
            return {"saved": g.data}, 201
    """
    assert documented(source) == {"openapi_extra": "json_schema_body(schemas.tag_schema)"}
    source = """
        @expects_json(schema=tag_schema, ignore_for=["GET"])
        def tags():
            return {"saved": g.data}
    """
    assert documented(source, methods=("GET", "POST")) == {
        "openapi_extra": "json_schema_body(tag_schema)"}


def test_fm031_leaves_what_it_cannot_document_as_the_decorator_checks_it() -> None:
    inline = """
        @expects_json({"type": "object"})
        def tags():
            return {}
    """
    assert documented(inline) == {}  # it would be written twice
    ignored = """
        @expects_json(tag_schema, ignore_for=["POST"])
        def tags():
            return {}
    """
    assert documented(ignored, methods=("POST", "PUT")) == {}  # no body required on a POST
    unknown = """
        @expects_json(tag_schema, ignore_for=IGNORED)
        def tags():
            return {}
    """
    assert documented(unknown) == {}
    described = """
        @expects_json(tag_schema)
        def tags():
            return {}
    """
    assert documented(described, route_options={"openapi_extra": "json_body(TagIn)"}) == {
        "openapi_extra": "json_body(TagIn)"}


def test_the_schema_s_own_definitions_are_inlined_and_a_recursive_one_stops() -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"colour": {"$ref": "#/definitions/colour"},
                       "parent": {"$ref": "#/$defs/node"},
                       "remote": {"$ref": "https://example.com/other.json"}},
        "required": ["colour"],
        "definitions": {"colour": {"type": "string", "enum": ["red", "blue"]}},
        "$defs": {"node": {"type": "object",
                           "properties": {"child": {"$ref": "#/$defs/node"}}}},
    }
    assert json_schema_body(schema) == {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {"colour": {"type": "string", "enum": ["red", "blue"]},
                           "parent": {"type": "object", "properties": {"child": {}}},
                           "remote": {}},
            "required": ["colour"],
        }}}}}


def test_a_recursive_body_model_is_documented_down_to_where_it_recurs() -> None:
    """`json_body(Model)` inlined the `$defs` Pydantic writes without end for a model that holds
    itself (RecursionError when the router was imported); Pydantic puts such a model's own
    schema under `$defs` too, and the top is a `$ref` to it."""
    from pydantic import BaseModel

    from templates.fastapi_app.flask_params import json_body

    class Node(BaseModel):
        name: str
        child: Node | None = None

    schema = json_body(Node)["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"title": "Node", "type": "object", "required": ["name"], "properties": {
        "name": {"title": "Name", "type": "string"},
        "child": {"anyOf": [{}, {"type": "null"}], "default": None}}}
