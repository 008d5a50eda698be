"""Unit tests for the hand-written validators and the marshmallow schema."""

import pytest
from legacy_flask_app.errors import ValidationError
from legacy_flask_app.schemas import ReviewSchema
from legacy_flask_app.validation import (
    parse_bool,
    slugify,
    validate_item_data,
    validate_pagination,
    validate_password,
    validate_role,
    validate_upload_filename,
    validate_user_data,
)
from marshmallow import ValidationError as SchemaValidationError

VALID_ITEM = {"name": "Hammer", "price": 9.5}


@pytest.mark.parametrize(
    "data",
    [
        VALID_ITEM,
        {"name": "x", "price": 1},
        {"name": "x" * 100, "price": 0.01, "description": "d" * 500, "in_stock": False},
        {"name": "Hammer", "price": 3, "description": None, "extra": "ignored"},
    ],
)
def test_validate_item_data_accepts(data):
    assert validate_item_data(data) == (True, "")


@pytest.mark.parametrize(
    "data, message",
    [
        (None, "body must be a JSON object"),
        ([VALID_ITEM], "body must be a JSON object"),
        ({"price": 1}, "name is required"),
        ({"name": 5, "price": 1}, "name must be a string"),
        ({"name": "", "price": 1}, "name must be between 1 and 100 characters"),
        ({"name": "x" * 101, "price": 1}, "name must be between 1 and 100 characters"),
        ({"name": "x", "price": 1, "description": 7}, "description must be a string"),
        (
            {"name": "x", "price": 1, "description": "d" * 501},
            "description must be at most 500 characters",
        ),
        ({"name": "x"}, "price is required"),
        ({"name": "x", "price": "9.99"}, "price must be a number"),
        ({"name": "x", "price": True}, "price must be a number"),
        ({"name": "x", "price": None}, "price must be a number"),
        ({"name": "x", "price": 0}, "price must be greater than 0"),
        ({"name": "x", "price": -2.5}, "price must be greater than 0"),
        ({"name": "x", "price": 1, "in_stock": "yes"}, "in_stock must be a boolean"),
        ({"name": "x", "price": 1, "in_stock": 1}, "in_stock must be a boolean"),
    ],
)
def test_validate_item_data_rejects(data, message):
    assert validate_item_data(data) == (False, message)


def test_validate_item_data_partial():
    assert validate_item_data({}, partial=True) == (True, "")
    assert validate_item_data({"price": 2}, partial=True) == (True, "")
    assert validate_item_data({"price": -1}, partial=True) == (
        False,
        "price must be greater than 0",
    )
    assert validate_item_data({"name": ""}, partial=True)[0] is False


def test_validate_user_data_valid():
    data = {"username": "new_user", "email": "n@example.com", "password": "longenough"}
    assert validate_user_data(data) == []
    assert validate_user_data({**data, "role": "editor"}) == []
    assert validate_user_data({"username": "abc", "email": "a@b"}, require_password=False) == []


def test_validate_user_data_collects_all_errors():
    errors = validate_user_data(
        {"username": "a-", "email": "nope", "password": "short", "role": "root"}
    )
    assert errors == [
        "username must be between 3 and 30 characters",
        "username may only contain letters, digits and underscores",
        "email must be a valid email address",
        "password must be at least 8 characters",
        "role must be one of: admin, editor, viewer",
    ]
    assert validate_user_data({}) == [
        "username is required",
        "email is required",
        "password is required",
    ]
    assert validate_user_data("x") == ["body must be a JSON object"]
    assert validate_user_data({"username": 42, "email": "a@b", "password": 12345678}) == [
        "username must be a string",
        "password must be a string",
    ]
    assert "username must be between 3 and 30 characters" in validate_user_data(
        {"username": "a" * 31, "email": "a@b", "password": "12345678"}
    )


def test_raising_validators():
    assert validate_role("editor") == "editor"
    with pytest.raises(ValidationError) as exc:
        validate_role("root")
    assert exc.value.field == "role"
    assert exc.value.message == "role must be one of: admin, editor, viewer"

    assert validate_password("12345678") == "12345678"
    with pytest.raises(ValidationError) as exc:
        validate_password("short", field="new_password")
    assert exc.value.field == "new_password"

    assert validate_pagination(1, 10) == (1, 10)
    with pytest.raises(ValidationError, match="page must be >= 1"):
        validate_pagination(0, 10)
    with pytest.raises(ValidationError, match="per_page must be between 1 and 100"):
        validate_pagination(1, 101)

    assert validate_upload_filename("a.PNG", {"png"}) == "png"
    with pytest.raises(ValidationError, match="no extension"):
        validate_upload_filename("README", {"png"})
    with pytest.raises(ValidationError, match=r"\.exe is not allowed"):
        validate_upload_filename("virus.exe", {"png"})


def test_parse_bool_and_slugify():
    assert parse_bool("Yes") is True
    assert parse_bool("0") is False
    with pytest.raises(ValueError):
        parse_bool("maybe")
    assert slugify("Cast Iron Skillet!") == "cast-iron-skillet"
    assert slugify("***") == "item"


def test_review_schema_load_and_dump():
    schema = ReviewSchema()
    data = schema.load(
        {"item_id": 1, "rating": 4, "body": "  Nice  ", "author_email": "x@example.com"}
    )
    assert data == {
        "item_id": 1,
        "rating": 4,
        "body": "Nice",
        "author_email": "x@example.com",
        "title": None,
    }
    dumped = schema.dump(
        {**data, "id": 3, "helpful": 0, "user_id": None, "created_at": "2024-01-01T00:00:00"}
    )
    assert dumped["id"] == 3 and dumped["helpful"] == 0


def test_review_schema_errors():
    schema = ReviewSchema()
    with pytest.raises(SchemaValidationError) as exc:
        schema.load({"item_id": "1", "rating": 6, "body": "", "author_email": "nope", "id": 5})
    messages = exc.value.messages
    assert set(messages) == {"item_id", "rating", "body", "author_email", "id"}
    assert messages["rating"] == ["Must be greater than or equal to 1 and less than or equal to 5."]
    assert messages["id"] == ["Unknown field."]
    with pytest.raises(SchemaValidationError) as exc:
        schema.load({})
    assert set(exc.value.messages) == {"item_id", "rating", "body", "author_email"}
