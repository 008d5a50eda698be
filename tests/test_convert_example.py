"""`migrate convert` on the example app, end to end.

The generated package must parse, pass `ruff check`, import and build its OpenAPI schema; and a
table of requests (valid and invalid input, with and without credentials, every converted route
and some left on Flask) must get the same answers from the Flask app (its test client) and from
the generated FastAPI app (Starlette's TestClient, legacy app mounted), each starting from an
identical fresh database: same status, byte-identical JSON, same HTML after whitespace
normalisation, same Location and Content-Type.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import importlib
import io
import json
import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeSerializer

from migrator.convert.run import convert_project
from tests.example_support import EXAMPLE, converted_example, paths_the_legacy_mount_serves

API_KEY = "test-api-key"
# alice's (user 3) bearer token, as POST /auth/token makes it with the tests' SECRET_KEY
ALICE_TOKEN = {"Authorization": "Bearer "
               + URLSafeSerializer("test-secret", salt="api-token").dumps(3)}
PACKAGE = "migrated_example"
# far in the future, and past: the two ends of a signed link's life (auth.signed_link)
GOOD_UNTIL, EXPIRED_AT = 4102444800, 946684800


def signed(path, expires):
    """The query of a link to `path` signed as auth.sign_link signs it, with the tests' key."""
    digest = hmac.new(b"test-secret", f"{path}|{expires}".encode(), hashlib.sha256).hexdigest()
    return {"query": {"expires": str(expires), "signature": digest}}


# SQLite CURRENT_TIMESTAMP values differ when the two requests straddle a second boundary.
TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    with converted_example(tmp_path_factory.mktemp("convert"), PACKAGE) as converted:
        yield converted


def legacy_app(tmp_path, name):
    from legacy_flask_app import create_app
    from legacy_flask_app.fixtures import load_fixtures

    app = create_app({
        "TESTING": True,
        "DATABASE": str(tmp_path / f"{name}.sqlite3"),
        "UPLOAD_FOLDER": str(tmp_path / f"{name}-uploads"),
        "SECRET_KEY": "test-secret",
        "API_KEY": API_KEY,
    })
    load_fixtures(app)
    return app


def test_at_least_90_percent_of_routes_convert(converted):
    result, _ = converted
    # a MethodView route becomes one endpoint per method: count routes, not endpoints
    routes = {(v.route.rule, v.route.endpoint) for v in result.converted}
    with_todo = {(v.route.rule, v.route.endpoint) for v in result.converted if v.todos}
    total = len(routes) + len(result.left)
    assert total == 51
    assert len(routes - with_todo) / total >= 0.9, [lo.reasons for lo in result.left]


def test_scan_predicts_what_stays_on_flask(converted):
    """`manual` in the scan is exactly what convert leaves on Flask."""
    result, _ = converted
    manual = {r.endpoint for r in result.scan.routes if r.status == "manual"}
    # a guard written as a class that inherits its `__init__` cannot be read, so its route
    # keeps Flask's check; the streamed export and `index` and `health`, defined inside
    # create_app, convert
    assert {lo.route.endpoint for lo in result.left} == manual == {"api.item_datasheet"}


def test_a_decorator_without_functools_wraps_stays_around_the_view(converted):
    """`@no_store` copies the view's name by hand, not its signature: it stays around the
    converted view, inside the bridge, called with the rule's values (FM036, FM028); the API key
    check under it, which refuses by raising, still becomes a dependency (FM020)."""
    _, out = converted
    router = (out / "routers" / "users.py").read_text(encoding="utf-8")
    assert ('"/{user_id:int}", name="users.get_user", '
            "dependencies=[Depends(dependencies.require_api_key)])\n@bridge.route\n"
            "@rule_values(user_id=int)  # FM028: FastAPI gives the rule's values, which "
            "@no_store gets as in Flask; the view keeps its parameters\n# FM036: @no_store does "
            "not keep the view's signature; it runs inside the bridge, around the view, called "
            "with the rule's values as in Flask\n@no_store  # an account's details: never kept "
            "by a cache\ndef get_user(user_id):\n") in router


def test_generated_package_parses_lints_imports_and_builds_openapi(converted, tmp_path):
    _, out = converted
    for path in out.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # the legacy package is first party where ruff runs beside it, third party from the
    # repository's root (`examples/legacy_flask_app`, the README's quick start)
    for party in ("first", "third"):
        lint = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
             f"lint.isort.known-{party}-party = ['legacy_flask_app']", str(out)],
            capture_output=True, text=True, check=False, cwd=out.parent, timeout=120)
        assert lint.returncode == 0, party + lint.stdout + lint.stderr
    main = importlib.import_module(f"{PACKAGE}.main")
    app = main.create_app(legacy_app(tmp_path, "openapi"))
    assert app.state.legacy_views_changed == {}  # every converted view is Flask's as converted
    schema = app.openapi()
    assert "/api/v1/search" in schema["paths"]
    search = schema["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in search["parameters"]} >= {"q", "min_price", "tag"}
    bulk = schema["paths"]["/api/v1/items/bulk"]["post"]["requestBody"]["content"]
    assert bulk["application/json"]["schema"]["type"] == "array"  # FM010: a list of ItemCreate
    assert bulk["application/json"]["schema"]["maxItems"] == 50
    assert bulk["application/json"]["schema"]["items"]["title"] == "ItemCreate"
    tags = schema["paths"]["/api/v1/tags"]
    assert "requestBody" not in tags["get"]
    # the converted routes read their parameters with Flask's rules: none answers FastAPI's 422,
    # and none lists it (FastAPI listed it on 32 operations: each one with a parameter)
    assert not [(path, method) for path, item in schema["paths"].items()
                for method, operation in item.items() if "422" in operation["responses"]]
    assert "HTTPValidationError" not in schema.get("components", {}).get("schemas", {})
    # FM010/FM011: the JSON-body routes checked by a helper or schema show their typed body
    typed = {("post", "/api/v1/items/"): "ItemCreate", ("put", "/api/v1/items/{item_id}"):
             "ItemReplace", ("patch", "/api/v1/items/{item_id}"): "ItemUpdate",
             ("patch", "/api/v1/items/{item_id}/stock"): "SetStockBody",
             ("post", "/api/v1/reviews/"): "ReviewCreate", ("post", "/users/"): "UserCreate",
             ("put", "/users/{user_id}/role"): "SetRoleBody",
             ("post", "/auth/password"): "ChangePasswordBody"}
    for (method, path), title in typed.items():
        body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
        assert body["schema"]["title"] == title and body["schema"]["properties"], path
    assert schema["paths"]["/api/v1/reviews/{review_id}"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ReviewOut"}
    # FM030: the stock resources' Flask-RESTful parsers, on the query string and the JSON body
    assert schema["paths"]["/api/v1/stock"]["get"]["parameters"] == [
        {"name": "in_stock", "in": "query", "required": False, "description":
         "in_stock must be 0 or 1", "schema": {"type": "integer", "enum": [0, 1]}}]
    assert schema["paths"]["/api/v1/stock/{item_id}"]["put"]["requestBody"]["content"][
        "application/json"]["schema"] == {"type": "object", "required": ["in_stock"], "properties": {
            "in_stock": {"type": "integer", "enum": [0, 1],
                         "description": "in_stock (0 or 1) is required"}}}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            names = {p["name"] for p in operation.get("parameters", [])}
            assert not names & {"_legacy_request", "_legacy_body"}, path


def test_rerun_is_idempotent_and_check_passes(converted):
    _, out = converted
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = convert_project(EXAMPLE, out, write=False)
    assert not result.plan.changed
    convert_project(EXAMPLE, out)
    assert before == {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}


# (method, path, options); options: query, json, data, headers, files, as_admin
REQUESTS: list[tuple[str, str, dict]] = [
    # catalog, anonymous
    ("GET", "/api/v1/categories", {}),
    ("GET", "/api/v1/categories", {}),  # served from the cache the first call filled
    ("GET", "/api/v1/categories/books", {}),
    ("GET", "/api/v1/categories/nope", {}),
    ("GET", "/api/v1/categories/Tools", {}),  # the app's converter lowercases it
    ("GET", "/api/v1/categories/no_such", {}),  # its regex refuses it: 404
    ("GET", "/api/v1/categories/" + "a" * 65, {}),  # its to_python refuses it: 404
    ("GET", "/api/v1/tags", {}),
    ("GET", "/api/v1/search", {"query": {"q": "a"}}),
    ("GET", "/api/v1/search", {"query": {"q": "a", "min_price": "5", "max_price": "x"}}),
    ("GET", "/api/v1/search", {"query": {"q": "a", "limit": "2", "tag": ["new", "SALE"]}}),
    ("GET", "/api/v1/search", {"query": {"q": "  "}}),
    ("GET", "/api/v1/search", {}),
    ("GET", "/api/v1/search/", {"query": {"q": "a"}}),
    ("GET", "/api/v1/convert/10.5/EUR", {}),
    ("GET", "/api/v1/convert/10.5/XXX", {}),
    ("GET", "/api/v1/convert/10/EUR", {}),
    ("GET", "/api/v1/stats", {}),
    ("GET", "/api/v1/slow/report", {}),
    ("GET", "/api/v1/items/1", {}),
    ("GET", "/api/v1/items/999", {}),
    ("GET", "/api/v1/items/", {}),
    ("GET", "/api/v1/items", {}),
    ("GET", "/api/v1/items/by-slug/nope", {}),
    ("GET", "/api/v1/items/", {"query": {"page": "2", "per_page": "3", "sort": "price"}}),
    ("GET", "/api/v1/items/", {"query": {"page": "x", "q": "ham", "in_stock": "true"}}),
    # the MethodView routes' write methods, without and with credentials, valid and invalid
    ("POST", "/api/v1/items/", {"json": {"name": "Saw", "price": 9.5}}),
    ("POST", "/api/v1/items/", {"json": {"name": "Saw", "price": 9.5},
                                "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/", {"json": {"name": "", "price": 0},
                                "headers": {"X-API-Key": API_KEY}}),
    ("PUT", "/api/v1/items/2", {"json": {"name": "Saw 2", "price": 10},
                                "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/2", {"json": {"price": -1}, "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/2", {"json": {"price": 11.25}, "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/2", {"json": {"price": 11.25}}),
    ("DELETE", "/api/v1/items/3", {}),
    ("DELETE", "/api/v1/items/3", {"headers": {"X-API-Key": API_KEY}}),
    ("DELETE", "/api/v1/items/3", {"headers": {"X-API-Key": API_KEY}}),
    ("GET", "/api/v1/items/1/reviews", {}),
    ("GET", "/api/v1/items/999/reviews", {}),
    ("GET", "/api/v1/items/export.csv", {}),
    ("GET", "/api/v1/files/missing.png", {}),
    # (httpx removes `..` segments before sending, Flask's test client does not: no such case)
    ("GET", "/api/v1/files/nested/dir/x.png", {}),
    ("GET", "/api/v1/reviews/", {}),
    ("GET", "/api/v1/reviews/", {"query": {"item_id": "1", "min_rating": "4"}}),
    ("GET", "/api/v1/reviews/", {"query": {"item_id": "x"}}),
    ("GET", "/api/v1/reviews/1", {}),
    ("GET", "/api/v1/reviews/999", {}),
    ("POST", "/api/v1/reviews/1/helpful", {}),
    ("POST", "/api/v1/reviews/999/helpful", {}),
    # API key protected, without / with a wrong / with the right key
    ("POST", "/api/v1/reviews/", {"json": {"item_id": 1, "rating": 5, "body": "great"}}),
    ("POST", "/api/v1/reviews/", {"json": {"item_id": 1, "rating": 5, "body": "great"},
                                  "headers": {"X-API-Key": "wrong"}}),
    ("POST", "/api/v1/reviews/", {"json": {"item_id": 1, "rating": 5, "body": "great",
                                           "author_email": "a@example.com"},
                                  "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/reviews/", {"json": {"item_id": 1, "rating": 9, "body": ""},
                                  "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/reviews/", {"data": "not json", "headers": {"X-API-Key": API_KEY}}),
    # the Flask-RESTful resources (FM027): Flask-RESTful's encoding and {"message": ...} errors
    ("GET", "/api/v1/stock", {}),
    ("GET", "/api/v1/stock", {"query": {"in_stock": "1"}}),
    ("GET", "/api/v1/stock", {"query": {"in_stock": "7"}}),
    ("GET", "/api/v1/stock/1", {}),
    ("GET", "/api/v1/stock/1", {"headers": {"X-API-Key": "wrong"}}),
    ("GET", "/api/v1/stock/1", {"headers": {"X-API-Key": API_KEY}}),
    ("GET", "/api/v1/stock/999", {"headers": {"X-API-Key": API_KEY}}),
    ("PUT", "/api/v1/stock/2", {"json": {"in_stock": 0}, "headers": {"X-API-Key": API_KEY}}),
    ("PUT", "/api/v1/stock/2", {"json": {"in_stock": 5}, "headers": {"X-API-Key": API_KEY}}),
    ("PUT", "/api/v1/stock/2", {"json": {"in_stock": 0}}),
    ("GET", "/api/v1/stock/2", {"headers": {"X-API-Key": API_KEY}}),
    ("DELETE", "/api/v1/stock/2", {"headers": {"X-API-Key": API_KEY}}),
    # invalid bodies for each validation helper (the body models' error contract): the legacy
    # status and JSON shape, and 401 before any body check for a client without credentials
    ("POST", "/api/v1/reviews/", {"json": {"item_id": 1, "rating": "5", "body": "b",
                                           "author_email": "a@example.com", "id": 3},
                                  "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/reviews/", {"json": {"rating": 0}}),
    ("POST", "/api/v1/items/", {"json": {"name": "n", "price": True},
                                "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/", {"json": {"name": "n", "price": "5"},
                                "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/", {"json": {"name": "n" * 101, "price": 1},
                                "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/", {"json": {"name": "n", "price": 1, "description": "d" * 501},
                                "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/", {"json": {"name": "n", "price": 1, "in_stock": "yes"},
                                "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/", {"json": [{"name": "n", "price": 1}],
                                "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/", {"json": {"name": "", "price": -1}}),
    ("PUT", "/api/v1/items/2", {"json": {"name": "Saw 2"}, "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/2", {"json": {"name": ""}, "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/2", {"json": {"in_stock": 1}, "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/2", {"json": {"in_stock": 1}}),
    ("DELETE", "/api/v1/reviews/1", {}),
    ("DELETE", "/api/v1/reviews/1", {"headers": {"X-API-Key": API_KEY}}),
    ("DELETE", "/api/v1/reviews/1", {"headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/1/stock", {"json": {"in_stock": False}}),
    ("PATCH", "/api/v1/items/1/stock", {"json": {"in_stock": False},
                                        "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/1/stock", {"json": {"in_stock": "maybe"},
                                        "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/1/stock", {"json": {"in_stock": None},
                                        "headers": {"X-API-Key": API_KEY}}),
    ("PATCH", "/api/v1/items/1/stock", {"json": {"in_stock": None}}),
    ("PATCH", "/api/v1/items/999/stock", {"json": {"in_stock": True},
                                          "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/bulk", {"json": [{"name": "A", "price": 1.5}],
                                    "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/bulk", {"json": [{"name": "", "price": -1}],
                                    "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/bulk", {"json": {"name": "x"}, "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/bulk", {"json": [{"name": "B", "price": 2}]}),
    ("POST", "/api/v1/items/1/image", {"files": {"image": ("pic.png", b"\x89PNG-data")}}),
    ("POST", "/api/v1/items/1/image", {"files": {"image": ("pic.png", b"\x89PNG-data")},
                                       "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/1/image", {"files": {"image": ("evil.exe", b"MZ")},
                                       "headers": {"X-API-Key": API_KEY}}),
    ("POST", "/api/v1/items/1/image", {"headers": {"X-API-Key": API_KEY}}),
    ("GET", "/api/v1/files/item-1.png", {}),
    ("GET", "/users/", {}),
    ("GET", "/users/", {"headers": {"X-API-Key": API_KEY}}),
    ("GET", "/users/", {"headers": {"X-API-Key": API_KEY}, "query": {"role": "admin"}}),
    ("GET", "/users/1", {"headers": {"X-API-Key": API_KEY}}),
    ("GET", "/users/999", {"headers": {"X-API-Key": API_KEY}}),
    ("GET", "/users/1", {"headers": {"X-API-Key": "wrong"}}),
    ("GET", "/users", {}),
    ("GET", "/users/alice/profile", {}),
    ("GET", "/users/nobody/profile", {}),
    ("GET", "/users/verify/00000000-0000-0000-0000-000000000000", {}),
    ("GET", "/users/verify/not-a-uuid", {}),
    ("GET", "/users/verify/00000000000000000000000000000000", {}),  # Werkzeug wants the hyphens
    ("GET", "/users/preferences", {}),
    ("PUT", "/users/preferences", {"json": {"theme": "dark"}}),
    ("PUT", "/users/preferences", {"json": {"theme": "neon"}}),
    ("PUT", "/users/preferences", {"json": {"theme": "dark", "language": "x"}}),
    ("GET", "/users/preferences", {}),
    # a bearer token; @token_user_required hands the view the token's user (FM028)
    ("POST", "/auth/token", {"json": {"username": "alice", "password": "alice-password"}}),
    ("POST", "/auth/token", {"json": {"username": "alice", "password": "nope"}}),
    ("GET", "/users/me/reviews", {}),
    ("GET", "/users/me/reviews", {"headers": ALICE_TOKEN}),
    ("GET", "/users/me/reviews", {"headers": {"Authorization": "Bearer Mw.forged"}}),
    ("GET", "/users/me/reviews/3", {"headers": ALICE_TOKEN}),
    ("GET", "/users/me/reviews/4", {"headers": ALICE_TOKEN}),  # bob's
    ("GET", "/users/me/reviews/x", {"headers": ALICE_TOKEN}),
    ("GET", "/users/me/reviews/3", {}),
    # session-protected, before logging in
    ("GET", "/auth/me", {}),
    ("GET", "/admin/", {}),
    ("GET", "/admin/items", {}),
    ("POST", "/users/", {"json": {"username": "zed", "email": "z@example.com",
                                  "password": "pw123456"}}),
    ("POST", "/auth/password", {"json": {"old_password": "x", "new_password": "y"}}),
    ("POST", "/users/", {"json": {"username": "z", "email": "nope", "role": "boss"}}),
    ("PUT", "/users/4/role", {"json": {"role": 5}}),
    ("POST", "/auth/password", {"json": {"current_password": "x", "new_password": 5}}),
    ("GET", "/auth/login", {}),
    ("POST", "/auth/login", {"data": {"username": "admin", "password": "wrong"}}),
    ("POST", "/auth/login", {"data": {"username": "admin", "password": "admin-password"}}),
    # logged in as admin (the session cookie came from whichever app answered the login)
    ("GET", "/auth/me", {}),
    ("GET", "/admin/", {}),
    ("GET", "/admin/items", {"query": {"page": "1"}}),
    ("GET", "/admin/items", {"query": {"page": "99"}}),
    ("GET", "/admin/items/new", {}),
    ("POST", "/admin/items/new", {"data": {"name": "", "price": "1"}}),
    ("POST", "/admin/items/new", {"data": {"name": "Lamp", "price": "12.5",
                                           "description": "bright"}}),
    ("GET", "/admin/items/1/edit", {}),
    ("POST", "/admin/items/1/edit", {"data": {"name": "Renamed", "price": "3"}}),
    ("GET", "/admin/items/999/edit", {}),
    ("GET", "/admin/users", {}),
    ("GET", "/admin/export", {}),
    ("POST", "/users/", {"json": {"username": "zed", "email": "z@example.com",
                                  "password": "pw123456"}}),
    ("POST", "/users/", {"json": {"username": "z", "email": "nope", "role": "boss"}}),
    ("PUT", "/users/4/role", {"json": {"role": "editor"}}),
    ("PUT", "/users/4/role", {"json": {"role": "boss"}}),
    ("PUT", "/users/4/role", {"json": {"role": None}}),
    ("PUT", "/users/4/role", {"json": []}),
    ("POST", "/users/", {"json": {"username": "zed\n", "email": "z@example.com",
                                  "password": "pw123456"}}),
    ("POST", "/users/", {"json": {"username": "zoe", "email": "z@example.com", "role": None}}),
    ("POST", "/users/", {"json": ["zoe"]}),
    ("POST", "/auth/password", {"json": {"current_password": "admin-password",
                                         "new_password": "short"}}),
    ("POST", "/auth/password", {"json": {"current_password": "admin-password",
                                         "new_password": 12345678}}),
    ("DELETE", "/users/1", {}),
    ("DELETE", "/users/4", {}),
    ("POST", "/admin/items/2/delete", {}),
    ("POST", "/auth/password", {"json": {"old_password": "wrong", "new_password": "n3w-pass!"}}),
    ("POST", "/auth/password", {"json": {"old_password": "admin-password",
                                         "new_password": "n3w-pass!"}}),
    ("POST", "/auth/session", {"json": {"username": "alice", "password": "nope"}}),
    ("DELETE", "/auth/session", {}),
    ("GET", "/auth/me", {}),
    ("POST", "/auth/logout", {}),
    ("GET", "/health", {}),
    ("GET", "/", {}),
    # a streamed answer: the bridge sends it as Flask does
    ("GET", "/api/v1/items/export.ndjson", {}),
    ("HEAD", "/api/v1/items/export.ndjson", {}),
    ("POST", "/api/v1/items/export.ndjson", {}),
    # left on Flask (its guard is a class): the legacy mount serves it, with its check
    ("GET", "/api/v1/items/1/datasheet", {}),
    ("GET", "/api/v1/items/1/datasheet", signed("/api/v1/items/1/datasheet", GOOD_UNTIL)),
    ("GET", "/api/v1/items/1/datasheet", signed("/api/v1/items/1/datasheet", EXPIRED_AT)),
    ("GET", "/api/v1/items/1/datasheet", signed("/api/v1/items/2/datasheet", GOOD_UNTIL)),
    ("GET", "/api/v1/items/999/datasheet", signed("/api/v1/items/999/datasheet", GOOD_UNTIL)),
    ("HEAD", "/api/v1/tags", {}),
    ("OPTIONS", "/api/v1/tags", {}),
    ("OPTIONS", "/users/preferences", {}),
]


def flask_call(client, method, path, options):
    kwargs = {"method": method, "query_string": options.get("query"),
              "headers": options.get("headers")}
    if "json" in options:
        kwargs["json"] = options["json"]
    if "data" in options:
        kwargs["data"] = options["data"]
    if "files" in options:
        kwargs["data"] = {name: (io.BytesIO(content), filename)
                          for name, (filename, content) in options["files"].items()}
    return client.open(path, **kwargs)


def starlette_call(client, method, path, options):
    kwargs = {"params": options.get("query"), "headers": options.get("headers")}
    if "json" in options:
        kwargs["json"] = options["json"]
    if "data" in options:
        data = options["data"]
        if isinstance(data, str):
            kwargs["content"] = data.encode()
        else:
            kwargs["data"] = data
    if "files" in options:
        kwargs["files"] = options["files"]
    return client.request(method, path, **kwargs)


def normalised_body(content_type: str, body: bytes) -> bytes:
    body = TIMESTAMP.sub(b"<timestamp>", body)
    if content_type.startswith("text/html"):
        return b" ".join(body.split())
    return body


def test_differential_requests(converted, tmp_path, monkeypatch):
    result, _ = converted
    main = importlib.import_module(f"{PACKAGE}.main")
    flask_client = legacy_app(tmp_path, "flask").test_client()
    # Flask's test client sends `Host: localhost`; absolute redirect URLs must agree.
    fastapi_client = TestClient(main.create_app(legacy_app(tmp_path, "fastapi")),
                                base_url="http://localhost", follow_redirects=False)
    mounted = paths_the_legacy_mount_serves(monkeypatch, PACKAGE)
    assert len(REQUESTS) >= 80
    mismatches = []
    served_by_fastapi = 0
    for method, path, options in REQUESTS:
        expected = flask_call(flask_client, method, path, options)
        before = len(mounted)
        actual = starlette_call(fastapi_client, method, path, options)
        expected_type = expected.headers.get("Content-Type", "")
        actual_type = actual.headers.get("content-type", "")
        expected_body = normalised_body(expected_type, expected.get_data())
        actual_body = normalised_body(actual_type, actual.content)
        if expected_type == "application/json" and expected_body != actual_body:
            try:
                same_value = json.loads(expected_body) == json.loads(actual_body)
            except ValueError:
                same_value = False
            if same_value:
                mismatches.append(f"{method} {path}: wire-format difference (same JSON value)")
                continue
        checks = {
            "status": (expected.status_code, actual.status_code),
            "content-type": (expected_type, actual_type),
            "location": (expected.headers.get("Location"), actual.headers.get("location")),
            "allow": (expected.headers.get("Allow"), actual.headers.get("allow")),
            # (@no_store's, FM036)
            "cache-control": (expected.headers.get("Cache-Control"),
                              actual.headers.get("cache-control")),
            "body": (expected_body[:300], actual_body[:300]),
        }
        for what, (want, got) in checks.items():
            if want != got:
                mismatches.append(f"{method} {path}: {what}: flask={want!r} fastapi={got!r}")
        if len(mounted) == before:  # a converted route answered, not the legacy mount
            served_by_fastapi += 1
    assert not mismatches, "\n".join(mismatches)
    assert served_by_fastapi >= 80
    assert "/api/v1/items/1/datasheet" in mounted
    # every route left on Flask was asked too
    assert result.left and all(
        any(re.fullmatch(re.sub(r"<[^>]+>", "[^/]+", left.route.rule), path)
            for _, path, _ in REQUESTS) for left in result.left)
