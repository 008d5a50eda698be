"""The example app's body models accept exactly what its validation helpers accept.

`migrate convert` infers a Pydantic model (in the generated `schemas.py`) for every JSON body the
example checks by hand. Hypothesis generates payloads (valid ones, missing keys, wrong types,
bools where numbers are expected, null, boundary lengths, extra keys, non-object bodies) and each
is given both to the legacy helper and to the model (from its JSON text, as on the wire): both
must accept it or both reject it. "No weaker and no stronger", shown rather than claimed.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from legacy_flask_app import validation
from legacy_flask_app.errors import ValidationError as LegacyValidationError
from pydantic import ValidationError

from migrator.convert.run import convert_project

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "legacy_flask_app"
SETTINGS = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "migrated_models"
    convert_project(EXAMPLE, out)
    spec = importlib.util.spec_from_file_location("migrated_models_schemas", out / "schemas.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


# -- payloads ---------------------------------------------------------------------------------
BOUNDARY_LENGTHS = [0, 1, 2, 3, 4, 7, 8, 9, 29, 30, 31, 99, 100, 101, 119, 120, 121, 499, 500, 501]
ALPHABET = "aZ9_@ .-\né"
strings = st.one_of(
    st.sampled_from(BOUNDARY_LENGTHS).flatmap(
        lambda n: st.text(alphabet=ALPHABET, min_size=n, max_size=n)),
    st.sampled_from(["admin", "editor", "viewer", "boss", "light", "dark", "a@b", "@", "abc\n"]),
    st.text(max_size=12),
)
numbers = st.one_of(
    st.sampled_from([0, 1, -1, 5, 0.0, -0.0, 0.5, 1e-9, -1e-9, 2**63, math.inf, -math.inf]),
    st.integers(), st.floats(allow_nan=False),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, strings)
values = st.one_of(scalars, st.lists(scalars, max_size=3),
                   st.dictionaries(st.text(max_size=3), scalars, max_size=2))


def objects(keys: list[str]):
    """Objects over the helper's keys (each present or not) plus an extra key."""
    return st.fixed_dictionaries({}, optional={k: values for k in [*keys, "extra"]})


def payloads(keys: list[str]):
    """Mostly objects; sometimes a non-object body."""
    return st.one_of(objects(keys), objects(keys), objects(keys), values)


def model_accepts(model, payload) -> bool:
    try:
        model.model_validate_json(json.dumps(payload))
    except ValidationError:
        return False
    return True


def raises_validation_error(call) -> bool:
    try:
        call()
    except LegacyValidationError:
        return False
    return True


# -- validate_item_data -> (bool, str) --------------------------------------------------------
ITEM_KEYS = ["name", "description", "price", "in_stock"]


@SETTINGS
@given(payloads(ITEM_KEYS))
@example({"name": "x" * 100, "price": 1e-9})
@example({"name": "x" * 101, "price": 1})
@example({"name": "", "price": 1})
@example({"name": "n", "price": True})
@example({"name": "n", "price": "5"})
@example({"name": "n", "price": 1, "in_stock": 1})
@example({"name": "n", "price": 1, "description": None})
@example({"name": "n", "price": 1, "description": "d" * 501})
@example(["name"])
def test_item_create_model_accepts_what_validate_item_data_accepts(models, payload):
    ok, _ = validation.validate_item_data(payload)
    assert model_accepts(models.ItemCreate, payload) == ok
    assert model_accepts(models.ItemReplace, payload) == ok


@SETTINGS
@given(payloads(ITEM_KEYS))
@example({})
@example({"price": -1})
@example({"name": None})
def test_item_update_model_accepts_what_partial_validation_accepts(models, payload):
    ok, _ = validation.validate_item_data(payload, partial=True)
    assert model_accepts(models.ItemUpdate, payload) == ok


def test_nan_price_is_the_one_documented_difference(models):
    # Flask's JSON parser reads `NaN`; `NaN <= 0` is false, so the helper accepts it, and
    # pydantic's `gt=0` rejects it (docs/models.md, "Known differences").
    payload = {"name": "n", "price": math.nan}
    assert validation.validate_item_data(payload) == (True, "")
    assert not model_accepts(models.ItemCreate, payload)


# -- validate_user_data -> list[str] ----------------------------------------------------------
@SETTINGS
@given(payloads(["username", "email", "password", "role"]))
@example({"username": "abc", "email": "a@b", "password": "12345678"})
@example({"username": "abc\n", "email": "a@b", "password": "12345678"})
@example({"username": "ab", "email": "a@b", "password": "12345678"})
@example({"username": "abc", "email": "a@b", "password": "12345678", "role": None})
@example({"username": "abc", "email": "@", "password": "12345678", "role": "editor"})
@example({"username": "abc", "email": "a@b", "password": 12345678})
def test_user_create_model_accepts_what_validate_user_data_accepts(models, payload):
    ok = not validation.validate_user_data(payload)
    assert model_accepts(models.UserCreate, payload) == ok


# -- raising helpers applied to one field -----------------------------------------------------
@SETTINGS
@given(objects(["role"]))  # the view reads `get_json(silent=True) or {}` first
@example({"role": "admin"})
@example({})
def test_set_role_model_accepts_what_validate_role_accepts(models, payload):
    ok = raises_validation_error(lambda: validation.validate_role(payload.get("role")))
    assert model_accepts(models.SetRoleBody, payload) == ok


@SETTINGS
@given(objects(["new_password"]))  # the view rejects other bodies before (abort 400)
@example({"new_password": "x" * 8})
@example({"new_password": "x" * 7})
def test_change_password_model_carries_validate_password(models, payload):
    ok = raises_validation_error(
        lambda: validation.validate_password(payload.get("new_password"), field="new_password"))
    assert model_accepts(models.ChangePasswordBody, payload) == ok


# -- the view's own check (set_stock) ---------------------------------------------------------
@SETTINGS
@given(objects(["in_stock"]))  # `get_json(silent=True) or {}`: an object
@example({})
def test_set_stock_model_accepts_what_the_view_accepts(models, payload):
    ok = isinstance(payload.get("in_stock"), bool)
    assert model_accepts(models.SetStockBody, payload) == ok


# -- a list body: the view's own checks plus validate_item_data on each item -------------------
@SETTINGS
@given(st.one_of(st.lists(objects(ITEM_KEYS), max_size=3), values,
                 st.lists(st.just({"name": "n", "price": 1}), min_size=49, max_size=52)))
@example([])
def test_bulk_model_accepts_what_bulk_create_items_accepts(models, payload):
    ok = (isinstance(payload, list) and 1 <= len(payload) <= 50
          and all(validation.validate_item_data(item)[0] for item in payload))
    assert model_accepts(models.BulkCreateItemsBody, payload) == ok


# -- --errors fastapi: exact models validate, after the auth checks --------------------------
KEY = {"X-API-Key": "test-api-key"}
ERRORS_FASTAPI_CASES = [
    # (method, path, json body, headers, the legacy status)
    ("POST", "/api/v1/items/", {"name": "n", "price": True}, KEY, 400),
    ("POST", "/api/v1/items/", {"name": "n", "price": True}, {}, 401),  # auth first, as before
    ("POST", "/api/v1/items/", {"name": "Lamp", "price": 2}, KEY, 201),
    ("PATCH", "/api/v1/items/2", {"in_stock": 1}, KEY, 400),
    ("PATCH", "/api/v1/items/999", {"in_stock": 1}, KEY, 404),  # the view's 404 comes first
    ("PUT", "/api/v1/items/2", {"name": "Saw 2"}, KEY, 400),
    ("PATCH", "/api/v1/items/1/stock", {"in_stock": None}, KEY, 400),
    ("PATCH", "/api/v1/items/1/stock", {"in_stock": True}, KEY, 200),
    ("POST", "/api/v1/items/bulk", [], KEY, 400),
    ("POST", "/api/v1/items/bulk", [{"name": "B", "price": 2}], KEY, 201),
    ("POST", "/api/v1/reviews/", {"rating": "5"}, KEY, 400),  # a model with TODOs: legacy answer
]


def test_errors_fastapi_answers_422_only_where_the_legacy_check_rejected(tmp_path):
    from fastapi.testclient import TestClient

    from tests.test_convert_example import legacy_app

    out = tmp_path / "migrated_errors"
    convert_project(EXAMPLE, out, errors="fastapi")
    sys.path.insert(0, str(tmp_path))
    try:
        main = importlib.import_module("migrated_errors.main")
        flask_client = legacy_app(tmp_path, "flask").test_client()
        with TestClient(main.create_app(legacy_app(tmp_path, "fastapi"))) as client:
            for method, path, body, headers, legacy_status in ERRORS_FASTAPI_CASES:
                expected = flask_client.open(path, method=method, json=body, headers=headers)
                actual = client.request(method, path, json=body, headers=headers)
                assert expected.status_code == legacy_status, (method, path, body)
                typed = "reviews" not in path
                if legacy_status == 400 and typed:
                    assert actual.status_code == 422, (method, path, body)
                    assert all(e["loc"][0] == "body" for e in actual.json()["detail"])
                else:
                    assert actual.status_code == expected.status_code, (method, path, body)
                    assert actual.json().keys() == expected.get_json().keys()
            # OpenAPI lists the 422 on the routes whose view validates its body, and only there
            # (`/api/v1/items/bulk` and `/users/` have no parameter: FastAPI listed none)
            paths = client.app.openapi()["paths"]
            assert {(method, path) for path, item in paths.items()
                    for method, operation in item.items() if "422" in operation["responses"]
                    } == {("post", "/api/v1/items/"), ("post", "/api/v1/items/bulk"),
                          ("patch", "/api/v1/items/{item_id}"), ("put", "/api/v1/items/{item_id}"),
                          ("patch", "/api/v1/items/{item_id}/stock"), ("post", "/users/"),
                          ("put", "/users/{user_id}/role")}
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("migrated_errors")]:
            del sys.modules[name]
