"""Flask's URL converters and query-argument rules, for the converted routes.

Starlette's own convertors differ from Werkzeug's in ways a client can see: Starlette's `float`
also matches `10` (Flask's only `10.5`), its `path` also matches a leading slash, and its `uuid`
also matches a UUID written without hyphens (Flask's answers 404). The routes use these instead,
so that exactly the URLs Flask matched still match.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import (
    validation_error_definition,
    validation_error_response_definition,
)
from fastapi.routing import APIRoute
from flask import current_app as flask_current_app
from flask import request as flask_request
from pydantic import TypeAdapter, ValidationError
from starlette.convertors import Convertor, register_url_convertor

from .flask_compat import _route_candidates, code_named, edit_openapi, wrapped_chain

T = TypeVar("T")

# `openapi_extra` of a route whose view reads its JSON body with Flask's `request.get_json()`.
JSON_BODY: dict[str, Any] = {
    "requestBody": {
        "content": {"application/json": {"schema": {"title": "JSON body read by the view"}}},
    }
}


def json_body(model: Any, required: bool = True) -> dict[str, Any]:
    """`openapi_extra` of a route whose JSON body is described by `model` (a model of
    schemas.py, or `list[Model]`), while the view still reads and checks it with the legacy code
    (so its answers stay the legacy ones). The schema is inlined: `openapi_extra` cannot add
    components. `required=False`: the legacy code also takes a request without a body
    (flask-smorest's `@blp.arguments(..., required=False)`)."""
    return json_schema_body(TypeAdapter(model).json_schema(), required)


def json_schema_body(schema: Mapping[str, Any], required: bool = True) -> dict[str, Any]:
    """`openapi_extra` of a route whose JSON body is described by the JSON `schema`: a model's
    (`json_body`), or the very schema flask-expects-json's `@expects_json(schema)` checks
    (FM031: read when the router is imported; the decorator stays on the view, so its 400s stay
    the legacy app's)."""
    return {"requestBody": {"content": {"application/json": {"schema": _inlined(schema)}},
                            "required": required}}


def query_parameters(model: Any, documented: Iterable[str] = ()) -> dict[str, Any]:
    """`openapi_extra` of a route whose query string is described by `model`, one parameter per
    field, while the legacy code still parses it (webargs under flask-smorest's
    `@blp.arguments(Schema, location="query")` or APIFlask's `@bp.input(Schema,
    location="query")`, FM032). `documented`: query parameters the endpoint has of its own,
    which FastAPI documents (OpenAPI allows one parameter per name and place)."""
    schema = _inlined(TypeAdapter(model).json_schema())
    required = set(schema.get("required", ()))
    own = set(documented)
    return {"parameters": [
        {"name": name, "in": "query", "required": name in required, "schema": field}
        for name, field in (schema.get("properties") or {}).items() if name not in own]}


#: How many objects an inlined schema may hold. Models that refer to the same models along many
#: paths (udata's Flask-RESTX models) grow exponentially when each `$ref` is replaced by what it
#: names: the schema of one of its routes filled the memory. Past the budget, the `$ref`s nested
#: deepest become `{}` (any value): the documentation is less detailed there, never wrong.
INLINED_OBJECTS = 5000


class _TooLarge(Exception):
    """An inlined schema past INLINED_OBJECTS objects."""


def _inlined(schema: Mapping[str, Any]) -> dict[str, Any]:
    """`schema` with each local `$ref` (`#/$defs/Name`, `#/definitions/Name`) replaced by what it
    names: `openapi_extra` cannot add components, and a `$ref` left as it is would point into the
    OpenAPI document. A `$ref` to a definition it is inside of (a recursive schema), or to
    anything else, becomes `{}` (any value); so do those nested more deeply than the most that
    keeps the schema within INLINED_OBJECTS objects."""
    pointers = {f"#/{section}/{name}": definition
                for section in ("$defs", "definitions")
                for name, definition in (schema.get(section) or {}).items()}
    body = {key: value for key, value in schema.items() if key not in ("$defs", "definitions")}

    # the most `$ref`s replaced along one path: all of them where that stays within the budget,
    # else the largest number that does (more never write fewer objects: a binary search)
    def within_budget(most: int) -> dict[str, Any] | None:
        try:
            return _inline(body, pointers, most, [0])
        except (_TooLarge, RecursionError):  # (a chain of $refs deeper than Python recurses)
            return None

    inlined = within_budget(len(pointers))
    if inlined is not None:
        return inlined
    fits, beyond, best = 0, len(pointers), None
    while beyond - fits > 1:
        most = (fits + beyond) // 2
        found = within_budget(most)
        if found is None:
            beyond = most
        else:
            fits, best = most, found
    # (with no `$ref` replaced, the budget is not checked)
    return best if best is not None else _inline(body, pointers, 0, [0])


def _inline(node: Any, pointers: Mapping[str, Any], most: int, written: list[int],
            within: frozenset[str] = frozenset()) -> Any:
    if isinstance(node, Mapping):
        written[0] += 1
        if most and written[0] > INLINED_OBJECTS:
            raise _TooLarge
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = pointers.get(ref)
            return {} if target is None or ref in within or len(within) >= most \
                else _inline(target, pointers, most, written, within | {ref})
        return {key: _inline(value, pointers, most, written, within)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, pointers, most, written, within) for value in node]
    return node


def form_body(model: Any) -> dict[str, Any]:
    """`openapi_extra` of a route whose form body (a Flask-WTF/WTForms form the view still
    validates) is described by `model`."""
    content = json_body(model)["requestBody"]["content"]["application/json"]
    return {"requestBody": {"content": {"application/x-www-form-urlencoded": content}}}


#: Where Flask reads `request.form` (and `request.files`, from the second alone).
_FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: The JSON schema of a form field's value, by what the view reads it as (FM039).
_FORM_VALUE_SCHEMAS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"}, "int": {"type": "integer"}, "float": {"type": "number"},
    "file": {"type": "string", "format": "binary"},
}


def form_fields(fields: Mapping[str, str], required: Iterable[str] = (),
                also: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`openapi_extra` of a route whose view reads the form fields and uploaded files named in
    `fields` with Flask's `request.form` and `request.files` (FM039), each as what the view
    reads it as: `"str"`, `"int"` or `"float"` (`type=`), `"file"`, or a list of one of those
    (`getlist`). The view still reads them, so a missing field still gets Flask's 400.
    `required`: those it reads on every request with `[...]`; a route that requires a file
    takes `multipart/form-data` alone. `also`: the route's other documentation (its JSON body),
    which the form joins."""
    def value_schema(kind: str) -> dict[str, Any]:
        if kind.startswith("list[") and kind.endswith("]"):
            return {"type": "array", "items": value_schema(kind[5:-1])}
        return dict(_FORM_VALUE_SCHEMAS.get(kind, _FORM_VALUE_SCHEMAS["str"]))

    needed = list(required)
    schema: dict[str, Any] = {"type": "object", "title": "Form read by the view",
                              "properties": {name: value_schema(kind)
                                             for name, kind in fields.items()}}
    if needed:
        schema["required"] = needed
    types = _FORM_CONTENT_TYPES[1:] if any(fields.get(name) == "file" for name in needed) \
        else _FORM_CONTENT_TYPES
    extra = dict(also or {})
    body = dict(extra.get("requestBody") or {})
    content = dict(body.get("content") or {})
    for content_type in types:
        documented = content.get(content_type)
        content[content_type] = {"schema": schema} if documented is None else {
            **documented, "schema": _joined_schemas(documented.get("schema") or {}, schema)}
    body["content"] = content
    if needed or body.get("required"):
        body["required"] = True
    extra["requestBody"] = body
    return extra


def json_or_form(extra: Mapping[str, Any]) -> dict[str, Any]:
    """`openapi_extra` of a route whose view reads its body as JSON or, where there is none, as
    a form (`request.get_json(silent=True) or request.form`, FM039): the JSON body `extra`
    documents (FM010's model, FM007's untyped body) stands for the form too."""
    body = dict(extra.get("requestBody") or {})
    content = dict(body.get("content") or {})
    documented = content.get("application/json")
    if documented is None:
        return dict(extra)
    schema = documented.get("schema") or {}
    if schema == JSON_BODY["requestBody"]["content"]["application/json"]["schema"]:
        schema = {"type": "object", "title": "Form read by the view"}
    for content_type in _FORM_CONTENT_TYPES:
        content.setdefault(content_type, {**documented, "schema": schema})
    return {**extra, "requestBody": {**body, "content": content}}


def _joined_schemas(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, Any]:
    """One object schema with the properties (and required names) of both; `first` where
    either is not an object of properties."""
    if "properties" not in first or "properties" not in second:
        return dict(first)
    required = [*first.get("required", ()),
                *(name for name in second.get("required", ()) if name not in
                  first.get("required", ()))]
    joined = {**first, "properties": {**second["properties"], **first["properties"]}}
    if required:
        joined["required"] = required
    return joined


def reqparse_openapi(*parsers: Any, body: bool = True,
                     documented: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """`openapi_extra` of a route whose view reads its arguments with Flask-RESTful's (or
    Flask-RESTX's) `RequestParser.parse_args()`: each argument of the legacy parsers, documented
    where the parser reads it (its `location`), with its type, `required`, `action="append"`,
    `choices`, `default` and `help`. The view still parses the request with them, so its answers
    (Flask-RESTful's 400 with its messages) stay the legacy ones. Read from the parsers
    themselves when the router is imported: what the legacy code adds to them is what is
    documented. An argument that may come from several places (by default the JSON body, the
    query string or the form) is documented in each, required in none, and its description
    says so. `body=False` (a GET or DELETE route) leaves out what the parsers read from a
    body. `documented` holds the (place, name) pairs of the route's own parameters (a query
    parameter the view also reads with `request.args`): those are documented by FastAPI, and
    OpenAPI allows one parameter per name and place."""
    own = {(place, _wire_name(place, name)) for place, name in documented}
    parameters: list[dict[str, Any]] = []
    bodies: dict[str, dict[str, Any]] = {}  # content type -> object schema
    required_body = False
    for parser in parsers:
        for argument in getattr(parser, "args", ()):
            places = _reqparse_places(getattr(argument, "location", ("json", "values")))
            if not places:
                continue
            schema = _reqparse_schema(argument)
            required = bool(getattr(argument, "required", False))
            description = getattr(argument, "help", None)
            description = description if isinstance(description, str) else ""
            if required and len(places) > 1:
                where = ", ".join(_REQPARSE_PLACE_NAMES[place] for place in places)
                description = f"{description} (required in one of: {where})".strip()
            alone = required and len(places) == 1  # required where it is read
            for place in places:
                if place in ("query", "header", "cookie"):
                    if (place, _wire_name(place, argument.name)) in own:
                        continue
                    parameter: dict[str, Any] = {"name": argument.name, "in": place,
                                                 "required": alone, "schema": schema}
                    if description:
                        parameter["description"] = description
                    parameters.append(parameter)
                    continue
                property_schema = dict(schema, description=description) if description \
                    else schema
                for content_type in _REQPARSE_CONTENT_TYPES[place]:
                    content = bodies.setdefault(content_type, {"type": "object",
                                                               "properties": {}})
                    content["properties"][argument.name] = (
                        {"type": "string", "format": "binary"} if place == "files"
                        else property_schema)
                    if alone:
                        content.setdefault("required", []).append(argument.name)
                        required_body = True
    extra: dict[str, Any] = {}
    if parameters:
        extra["parameters"] = parameters
    if bodies and body:
        extra["requestBody"] = {
            "content": {kind: {"schema": schema} for kind, schema in bodies.items()},
            "required": required_body,
        }
    return extra


def restx_openapi(expects: Iterable[Any] = (), answers: Iterable[tuple[int, Any, bool]] = (),
                  body: bool = True) -> dict[str, Any]:
    """FM033: `openapi_extra` of a converted Flask-RESTX method, read from the very objects its
    decorators (kept on it, FM029) were given when the router is imported. `expects`: what
    `@ns.expect(...)` names, a model (`todo`, or `[todo]` for a list of them) documenting the
    JSON body, or a `RequestParser` its arguments (as `reqparse_openapi`); `answers`: for each
    `@ns.marshal_with(model, code=...)` / `@ns.marshal_list_with(model)`, the status, the model
    and whether the answer is a list of it. RESTX still validates and marshals, so the answers
    stay the legacy ones. `body=False` (a GET or DELETE route) leaves the body out."""
    extra: dict[str, Any] = {}
    for expected in expects:
        many = isinstance(expected, list) and len(expected) == 1
        schema = _restx_schema(expected[0] if many else expected)
        if schema is not None:
            if body:
                extra["requestBody"] = {"content": {"application/json": {"schema": (
                    {"type": "array", "items": schema} if many else schema)}}, "required": True}
        elif hasattr(expected, "args") and hasattr(expected, "parse_args"):
            for key, value in reqparse_openapi(expected, body=body).items():
                if key == "parameters":
                    extra.setdefault("parameters", []).extend(value)
                else:
                    extra.setdefault(key, value)
    responses: dict[str, Any] = {}
    for status, model, many in answers:
        schema = _restx_schema(model)
        if schema is not None:
            responses[str(status)] = {"description": _status_phrase(status), "content": {
                "application/json": {"schema": {"type": "array", "items": schema} if many
                                     else schema}}}
    if responses:
        extra["responses"] = responses
    return extra


def _restx_schema(model: Any) -> dict[str, Any] | None:
    """The JSON schema of a Flask-RESTX model (`api.model(...)`), the models it nests or
    inherits from inlined; None for anything else."""
    schema = getattr(model, "__schema__", None)
    if not isinstance(schema, Mapping) or not hasattr(model, "values"):
        return None
    definitions: dict[str, Any] = {}

    def collect(current: Any) -> None:
        related = list(getattr(current, "__parents__", ()))
        for field in current.values() if hasattr(current, "values") else ():
            for holder in (field, getattr(field, "container", None)):
                nested = getattr(holder, "nested", None) if holder is not None else None
                if nested is not None:
                    related.append(nested)
        for other in related:
            name = getattr(other, "name", None)
            if isinstance(name, str) and name not in definitions and \
                    isinstance(getattr(other, "__schema__", None), Mapping):
                definitions[name] = other.__schema__
                collect(other)

    collect(model)
    return _inlined({**schema, "definitions": definitions})


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


def _wire_name(place: str, name: str) -> str:
    """A parameter's name as its place compares it: header names are case-insensitive."""
    return name.lower() if place == "header" else name


#: Where a `RequestParser` argument's `location` reads it: OpenAPI's parameter places, or a body.
_REQPARSE_LOCATIONS = {
    "args": ("query",), "values": ("query", "form"), "headers": ("header",),
    "cookies": ("cookie",), "json": ("json",), "form": ("form",), "files": ("files",),
}
_REQPARSE_PLACE_NAMES = {
    "query": "the query string", "header": "the headers", "cookie": "the cookies",
    "json": "the JSON body", "form": "the form", "files": "the uploaded files",
}
_REQPARSE_CONTENT_TYPES = {
    "json": ("application/json",),
    "form": ("application/x-www-form-urlencoded", "multipart/form-data"),
    "files": ("multipart/form-data",),
}


def _reqparse_places(location: Any) -> list[str]:
    """The places of a `location` (`"args"`, `("json", "values")`), in order, once each; the
    raw body (`"data"`) and others it cannot name are left out."""
    locations = [location] if isinstance(location, str) else list(location or ())
    places: list[str] = []
    for name in locations:
        for place in _REQPARSE_LOCATIONS.get(name, ()):
            if place not in places:
                places.append(place)
    return places


def _reqparse_schema(argument: Any) -> dict[str, Any]:
    """The JSON schema of one `RequestParser` argument's values."""
    kind = getattr(argument, "type", None)
    schema = dict(_REQPARSE_TYPES.get(kind, {})) if isinstance(kind, type) else {}
    name = getattr(kind, "__name__", type(kind).__name__)
    module = getattr(kind, "__module__", None) or ""
    if module.endswith(".reqparse"):  # the parser's own default: the text as it came
        schema = {"type": "string"}
    elif module.endswith(".inputs"):
        schema = dict(_REQPARSE_INPUTS.get(name, {}))
        if name == "int_range":  # an instance: `inputs.int_range(1, 10)`
            schema.update(minimum=kind.low, maximum=kind.high)
        elif name == "regex":
            schema["pattern"] = kind.pattern
    choices = getattr(argument, "choices", ())
    if choices and all(isinstance(choice, (str, int, float, bool)) for choice in choices):
        schema["enum"] = list(choices)
    default = getattr(argument, "default", None)
    if isinstance(default, (str, int, float, bool)):
        schema["default"] = default
    if getattr(argument, "action", "store") == "append":
        schema = {"type": "array", "items": schema}
    return schema


_REQPARSE_TYPES: dict[type, dict[str, Any]] = {
    int: {"type": "integer"}, float: {"type": "number"}, str: {"type": "string"},
    bool: {"type": "boolean"}, dict: {"type": "object"}, list: {"type": "array"},
}
#: Flask-RESTful's and Flask-RESTX's `inputs`, by name.
_REQPARSE_INPUTS: dict[str, dict[str, Any]] = {
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime_from_iso8601": {"type": "string", "format": "date-time"},
    "datetime_from_rfc822": {"type": "string"},
    "iso8601interval": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "URL": {"type": "string", "format": "uri"},
    "email": {"type": "string", "format": "email"},
    "natural": {"type": "integer", "minimum": 0},
    "positive": {"type": "integer", "minimum": 1},
    "int_range": {"type": "integer"},
    "regex": {"type": "string"},
}


def validate_body(model: Any, value: Any) -> None:
    """`--errors fastapi`: validate the body the view read with `model` (proven to accept
    exactly what the legacy check accepts), inside the legacy request context, after the
    `before_request` hooks and the auth checks; an invalid body gets FastAPI's 422
    `{"detail": [...]}` (the bridge hands RequestValidationError to FastAPI)."""
    try:
        TypeAdapter(model).validate_python(value)
    except ValidationError as error:
        details = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        raise RequestValidationError(details, body=value) from None


def document_validation_errors(app: FastAPI) -> None:
    """Make `app`'s OpenAPI list FastAPI's 422 answer on exactly the routes that may send it.

    FastAPI lists it on every route with a parameter, but the converted routes' parameters are
    read with Flask's rules (text with Flask's defaults, typed path values a convertor already
    made): no request gets a 422 from them, and listing one tells clients of an error they never
    see. A route whose view validates its body (`--errors fastapi`, `validate_body`) does send
    it, with or without parameters. A 422 the route declares itself (`responses=`,
    `openapi_extra`) stays as written."""

    def list_where_sent(schema: dict[str, Any]) -> None:
        for route in _route_candidates(app.router.routes):
            if not isinstance(getattr(route, "original_route", route), APIRoute) \
                    or not route.include_in_schema:
                continue
            declared = {str(status) for status in route.responses} | {
                str(status) for status in (route.openapi_extra or {}).get("responses", {})}
            sends = _may_answer_422(route)
            for method in route.methods or ():
                operation = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
                if operation is None or "422" in declared or sends is None:
                    continue
                responses = operation.setdefault("responses", {})
                if sends and not {"422", "4XX", "default"} & set(responses):
                    responses["422"] = {"description": "Validation Error", "content": {
                        "application/json": {"schema": {"$ref": _HTTP_VALIDATION_ERROR}}}}
                elif not sends:
                    responses.pop("422", None)
        _keep_validation_error_schemas(schema)

    edit_openapi(app, list_where_sent)


_HTTP_VALIDATION_ERROR = "#/components/schemas/HTTPValidationError"
# The parameter types any text takes: a missing value gets the default, a present one is text.
_TEXT_TYPES = (str, list[str])


def _may_answer_422(route: Any) -> bool | None:
    """Whether FastAPI may refuse a request of `route` (a body it parses, a parameter it may find
    missing or not of its type), or its endpoint calls `validate_body`; None where the endpoint
    is no function whose code can be read (FastAPI's own listing stands). `route`: an APIRoute,
    or the context FastAPI gives one of an included router (`_route_candidates`)."""
    if route.body_field is not None:
        return True
    dependants = [route.dependant]
    while dependants:
        dependant = dependants.pop()
        dependants += dependant.dependencies
        if dependant.body_params:
            return True
        for field in dependant.path_params:
            convertor = route.param_convertors.get(field.alias)
            made = convertor.value_type if isinstance(convertor, FlaskRuleConvertor) else next(
                (args[0] for base in getattr(type(convertor), "__orig_bases__", ())
                 if (args := typing.get_args(base))), None)
            if made is None or made is not _without_none(field.field_info.annotation):
                return True
        for field in (*dependant.query_params, *dependant.header_params,
                      *dependant.cookie_params):
            if field.field_info.is_required() \
                    or _without_none(field.field_info.annotation) not in _TEXT_TYPES:
                return True
    endpoint = inspect.unwrap(route.endpoint)
    code, names = getattr(endpoint, "__code__", None), getattr(endpoint, "__globals__", None)
    if code is None or names is None:
        return None
    return any(names.get(name) is validate_body for name in code.co_names)


def _without_none(annotation: Any) -> Any:
    """`str` for `str | None` (`Optional[str]`); other annotations as they are."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kept = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(kept) == 1:
            return kept[0]
    return annotation


def _keep_validation_error_schemas(schema: dict[str, Any]) -> None:
    """FastAPI's `HTTPValidationError` and `ValidationError` components, where a 422 refers to
    them, and only there."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    others = {name: value for name, value in components.items()
              if name not in ("HTTPValidationError", "ValidationError")}
    referred = json.dumps({**schema, "components": {"schemas": others}})
    if _HTTP_VALIDATION_ERROR in referred:
        components.setdefault("ValidationError", validation_error_definition)
        components.setdefault("HTTPValidationError", validation_error_response_definition)
    else:
        components.pop("HTTPValidationError", None)
        if "#/components/schemas/ValidationError" not in referred:
            components.pop("ValidationError", None)
    if not components:
        del schema["components"]["schemas"]
        if not schema["components"]:
            del schema["components"]


class FlaskFloatConvertor(Convertor[float]):
    regex = r"\d+\.\d+"  # werkzeug.routing.FloatConverter (signed=False)

    def convert(self, value: str) -> float:
        return float(value)

    def to_string(self, value: float) -> str:
        return str(value)


class FlaskPathConvertor(Convertor[str]):
    regex = r"[^/].*?"  # werkzeug.routing.PathConverter

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class FlaskUUIDConvertor(Convertor[uuid.UUID]):
    # werkzeug.routing.UUIDConverter: hyphens required, either case
    regex = r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"

    def convert(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_string(self, value: uuid.UUID) -> str:
        return str(value)


class FlaskRuleConvertor(Convertor[Any]):
    """A Werkzeug converter with arguments (`<any(a, b):kind>`, `<string(length=2):cc>`,
    `<int(signed=True):n>`), by the regex that alone decides what Werkzeug matches;
    `value_type` (str, int or float) makes the value, as Werkzeug's converter does. For a
    converter the app registers, the regex of its class and `str`: the view takes the value its
    `to_python` gave from the legacy URL map (`request.view_args`)."""

    def __init__(self, regex: str, value_type: Callable[[str], Any]) -> None:
        self.regex = regex
        self.value_type = value_type

    def convert(self, value: str) -> Any:
        return self.value_type(value)

    def to_string(self, value: Any) -> str:
        return str(value)


def view_arg(name: str) -> Any:
    """`flask.request.view_args[name]`: the value a converter the app registers made of the
    path, as Flask passed it to the view (the legacy URL map ran its `to_python`). A function,
    so that a view whose module binds `request` to something else can read it too."""
    return flask_request.view_args[name]


# The closure cells of each legacy view function (below its wrappers), by name, read once.
_CLOSURE_CELLS: WeakKeyDictionary[Callable[..., Any], dict[str, Any]] = WeakKeyDictionary()
# The Flask-RESTful Api around each registered resource view (restful_output), found once.
_RESTFUL_APIS: WeakKeyDictionary[Callable[..., Any], Any] = WeakKeyDictionary()


def _legacy_view_cells(endpoint: str, view: str | None = None) -> dict[str, Any]:
    """The closure cells of the function at the bottom of the legacy view of `endpoint`, below
    its decorators (functools.wraps): the view a factory defined, or what `View.as_view` made.
    `view`: the view's qualified name (`<locals>` left out) where `functools.wraps` is written on
    the view itself, whose `__wrapped__` then names the function it was given: the chain is
    followed down to the view, not past it."""
    registered = flask_current_app.view_functions[endpoint]
    cells = _CLOSURE_CELLS.get(registered)
    if cells is None:
        original = inspect.unwrap(registered) if view is None else next(
            (layer for layer in wrapped_chain(registered) if code_named(layer, view)),
            None)
        if original is None:
            raise RuntimeError(f"the legacy view of {endpoint!r} is not {view}: run `migrate "
                               "convert` again")
        code = getattr(original, "__code__", None)
        cells = dict(zip(code.co_freevars, original.__closure__ or ())) if code else {}
        _CLOSURE_CELLS[registered] = cells
    return cells


def enclosing_value(endpoint: str, name: str, view: str | None = None) -> Any:
    """What `name` is now in the function that defined the legacy view of `endpoint` (an app
    or blueprint factory, FM026): the view read it from its closure, a cell that the function
    object the legacy app registered holds. The generated app's start-up check made sure that
    function is the one the view was converted from. A name the factory has not bound (yet)
    raises NameError, as in the view. `view`: the view's qualified name, where functools.wraps
    on the view itself names another function as its `__wrapped__` (`_legacy_view_cells`)."""
    cell = _legacy_view_cells(endpoint, view).get(name)
    if cell is None:
        raise RuntimeError(f"the legacy view of {endpoint!r} does not read {name!r} from the "
                           "function it is defined in: run `migrate convert` again")
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        raise NameError(f"cannot access free variable {name!r} where it is not associated with "
                        "a value in enclosing scope") from None


def view_instance(endpoint: str) -> Any:
    """The instance of the legacy view class (a `MethodView`, a Flask-RESTful `Resource`) that
    Flask dispatches a request of `endpoint` to, made as `View.as_view` makes it: a new one per
    request, with the arguments `as_view` was given (`ItemAPI.as_view("items", model)`,
    `add_resource(..., resource_class_kwargs=...)`), or the one `as_view` made once when the
    class sets `init_every_request = False`. The generated app's start-up check made sure the
    registered view is that class's."""
    cells = _legacy_view_cells(endpoint)
    if "self" in cells and "class_args" not in cells:  # init_every_request = False
        return cells["self"].cell_contents
    try:
        view_class = cells["view"].cell_contents.view_class
        args, kwargs = cells["class_args"].cell_contents, cells["class_kwargs"].cell_contents
    except (KeyError, AttributeError, ValueError):
        raise RuntimeError(f"the legacy view of {endpoint!r} is not one that View.as_view made "
                           "(below decorators that use functools.wraps): run `migrate convert` "
                           "again") from None
    return view_class(*args, **kwargs)


def bound_method(endpoint: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view class's method whose own decorators read its arguments (changedetection.io's
    `@auth.check_token` reads `args[0].datastore`), called as Flask calls it: with the instance
    Flask dispatches to (`view_instance`) first, as `self`, then the values FastAPI gives. FastAPI
    sees the method's parameters without `self`."""
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(method)

        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            return method(view_instance(endpoint), *args, **kwargs)

        call.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=list(signature.parameters.values())[1:])
        return call

    return decorate


def rule_values(*given_by_decorators: str, **annotations: Any
                ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """FM028: the endpoint of a view whose decorators hand it other arguments than the rule's
    values (`token_required` calling `view(current_user, *args, **kwargs)`), or to which a
    `url_value_preprocessor` gives values the rule lacks. FastAPI sees the rule's values, typed
    as Flask's converters make them, and the query, header and cookie parameters the rules gave
    the view (keyword-only); what is decorated is called as Flask calls the view it registered,
    with `request.view_args` by name (the legacy URL map's match: a converter's `to_python`, the
    rule's `defaults`, after the `url_value_preprocessor`s), and those parameters. The view's own
    keyword-only parameters, which its decorators give it (`given_by_decorators`), are not the
    endpoint's."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        try:
            signature = inspect.signature(view, eval_str=True)
        except NameError:
            signature = inspect.signature(view)
        added = [parameter for parameter in signature.parameters.values()
                 if parameter.kind is inspect.Parameter.KEYWORD_ONLY
                 and parameter.name not in annotations
                 and parameter.name not in given_by_decorators]

        @functools.wraps(view)
        def endpoint(**values: Any) -> Any:
            return view(**flask_request.view_args,
                        **{parameter.name: values[parameter.name] for parameter in added})

        endpoint.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
            *(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
              for name, annotation in annotations.items()), *added])
        return endpoint

    return decorate


def class_view(method: Callable[..., Any]) -> Callable[..., Any]:
    """What `View.as_view` registers for a view class, around a converted method: a function
    taking the rule's values by keyword only, which the class's `decorators` (and a Flask-RESTful
    Api's, and those applied where the view is registered) wrap. One of them handing it a
    positional argument (`view(current_user, *args, **kwargs)`) fails here as in Flask."""
    @functools.wraps(method)
    def view(**kwargs: Any) -> Any:
        return method(**kwargs)

    return view


def restful_output(endpoint: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """FM027: Flask-RESTful's (or Flask-RESTX's) `Api.output` around a converted `Resource`
    method. What the method returns (`data`, `(data, status)`, `(data, status, headers)`)
    becomes the answer the legacy Api makes of it (its representations: `output_json` with the
    app's `RESTFUL_JSON`, content negotiation by `Accept`); a response passes as it is. The Api
    is the very one the legacy app registered the resource with: `Api.output` holds it in the
    registered view."""
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def answer(*args: Any, **kwargs: Any) -> Any:
            return _restful_api(endpoint).output(method)(*args, **kwargs)

        return answer

    return decorate


def restx_payload(endpoint: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """What Flask-RESTX's `Resource.dispatch_request` does between the resource's
    `method_decorators` and the method: `validate_payload`, which checks the JSON body against
    each model the method's documentation expects (`@ns.expect(model, validate=True)`, or every
    expected model where the Api or Namespace says `validate=True`) and answers a failure with
    RESTX's 400. It runs on the instance Flask would make (`view_instance`: the resource gets its
    Api), and only where the method expects something."""
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def dispatch(*args: Any, **kwargs: Any) -> Any:
            documentation = getattr(method, "__apidoc__", None)
            if documentation and documentation.get("expect"):
                view_instance(endpoint).validate_payload(method)
            return method(*args, **kwargs)

        return dispatch

    return decorate


def _restful_api(endpoint: str) -> Any:
    """The flask_restful.Api (or flask_restx.Api) whose `output` wraps the legacy view of
    `endpoint`."""
    view = flask_current_app.view_functions[endpoint]
    api = _RESTFUL_APIS.get(view)
    if api is None:
        api_classes = _resource_api_classes()
        layer: Any = view
        for _ in range(64):  # Api decorators (outermost), then Api.output's wrapper
            api = next((value for value in _cell_values(layer)
                        if isinstance(value, api_classes)), None)
            layer = getattr(layer, "__wrapped__", None)
            if api is not None or layer is None:
                break
        if api is None:
            raise RuntimeError(f"the legacy view of {endpoint!r} is not wrapped by a "
                               "Flask-RESTful or Flask-RESTX Api's output: run `migrate convert` "
                               "again")
        _RESTFUL_APIS[view] = api
    return api


def _resource_api_classes() -> tuple[type, ...]:
    """The Api classes of the resource frameworks the legacy app has installed."""
    classes: list[type] = []
    for module_name in ("flask_restful", "flask_restx"):
        try:
            classes.append(importlib.import_module(module_name).Api)
        except ImportError:  # the legacy app uses the other one
            continue
    return tuple(classes)


def _cell_values(function: Any) -> list[Any]:
    """The values in a function's closure cells (empty cells left out)."""
    values = []
    for cell in getattr(function, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    return values


def register_rule_convertor(name: str, regex: str, value_type: Callable[[str], Any]) -> None:
    """Register `name` (used by the routes as `{kind:NAME}`) before the routers are built: the
    package `routers` does it for the converters its routes use."""
    register_url_convertor(name, FlaskRuleConvertor(regex, value_type))


def register_flask_convertors() -> None:
    register_url_convertor("flask_float", FlaskFloatConvertor())
    register_url_convertor("flask_path", FlaskPathConvertor())
    register_url_convertor("flask_uuid", FlaskUUIDConvertor())


register_flask_convertors()


def arg_value(value: str | None, default: Any, type: Callable[[str], T]) -> T | Any:
    """`request.args.get(key, default, type=type)`: a value that `type` rejects is the default."""
    if value is None:
        return default
    try:
        return type(value)
    except ValueError:
        return default


def arg_list(values: list[str] | None, type: Callable[[str], Any] | None = None) -> list[Any]:
    """`request.args.getlist(key[, type=type])`: `[]` when absent; values that `type` rejects
    are left out."""
    if type is None:
        return list(values or ())
    result = []
    for value in values or ():
        try:
            result.append(type(value))
        except ValueError:
            continue
    return result
