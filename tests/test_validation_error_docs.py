"""The generated app's OpenAPI lists FastAPI's 422 answer on exactly the routes that may send it
(`flask_params.document_validation_errors`, called by every generated `main.create_app`).

FastAPI lists a 422 on every route with a parameter. The converted routes' parameters are read
with Flask's rules (text with Flask's defaults, path values a convertor already typed), so the
example's schema listed 32 errors no client ever gets; and a route whose view validates its body
(`--errors fastapi`) but has no parameter sent a 422 it did not list. A route FastAPI may refuse
(a required or typed parameter, a body it parses) and a 422 a route declares keep theirs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, FastAPI, Query
from fastapi.testclient import TestClient

from templates.fastapi_app.flask_params import (
    FlaskRuleConvertor,
    document_validation_errors,
    validate_body,
)


def listed_422(app: FastAPI) -> set[tuple[str, str]]:
    return {(method, path) for path, item in app.openapi()["paths"].items()
            for method, operation in item.items() if "422" in operation.get("responses", {})}


def test_a_422_is_listed_where_a_request_can_get_one_and_nowhere_else() -> None:
    from starlette.convertors import CONVERTOR_TYPES

    CONVERTOR_TYPES.setdefault("two_letters", FlaskRuleConvertor("[a-z]{2}", str))
    app = FastAPI()
    router = APIRouter(prefix="/r")

    @router.get("/text")  # Flask's reading: text with a default, lists of text
    def text(q: Annotated[str | None, Query()] = None, s: Annotated[str, Query()] = "x",
             tags: Annotated[list[str] | None, Query()] = None):
        return {}

    @router.get("/items/{item_id:int}/{name}/{cc:two_letters}")  # typed by the convertor
    def item(item_id: int, name: str, cc: str):
        return {}

    @router.post("/validated")  # --errors fastapi: the view validates its body
    def validated():
        validate_body(list[int], ["x"])

    app.include_router(router)

    @app.get("/typed")  # FastAPI refuses `?n=x`
    def typed(n: int = 0):
        return {}

    @app.get("/required")  # ...and a missing `q`
    def required(q: str):
        return {}

    @app.get("/untyped-path/{n}")  # `/untyped-path/x` matches, then fails as an int
    def untyped_path(n: int):
        return {}

    @app.post("/body")
    def body(value: Annotated[int, Body()]):
        return {}

    @app.get("/declared/{n:int}", responses={422: {"description": "the view's own"}})
    def declared(n: int):
        return {}

    document_validation_errors(app)
    assert listed_422(app) == {("post", "/r/validated"), ("get", "/typed"),
                               ("get", "/required"), ("get", "/untyped-path/{n}"),
                               ("post", "/body"), ("get", "/declared/{n}")}
    schema = app.openapi()
    assert schema["paths"]["/declared/{n}"]["get"]["responses"]["422"] == {
        "description": "the view's own"}
    assert set(schema["components"]["schemas"]) == {"HTTPValidationError", "ValidationError"}
    with TestClient(app) as client:  # what the listing says
        assert client.get("/r/text?q=1&s=&tags=a").status_code == 200
        assert client.get("/r/items/1/a/xy").status_code == 200
        assert client.post("/r/validated").status_code == 422
        assert client.get("/typed?n=x").status_code == 422
        assert client.get("/untyped-path/x").status_code == 422


def test_an_app_no_request_gets_a_422_from_lists_none_and_no_error_schema() -> None:
    app = FastAPI()

    @app.get("/items/{item_id:int}")
    def item(item_id: int, q: Annotated[str | None, Query()] = None):
        return {}

    document_validation_errors(app)
    schema = app.openapi()
    assert listed_422(app) == set()
    assert "components" not in schema
    assert app.openapi() is schema  # built once
