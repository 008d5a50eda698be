"""Every protected route of the example app, without, with wrong and with correct credentials.

The example app guards routes with an API key (`@require_api_key`: 401 without, 403 wrong), a
session login (`@login_required`: a redirect to the login page) and roles
(`@roles_required("admin", "editor")`, `@admin_required`: 403). `migrate convert` turns them into
route dependencies (FM020); each request below goes to the Flask app and to the generated FastAPI
app, each on its own fresh database, and must get the same status, Location, content type and
body. The test also checks that the FastAPI routes really carry the dependencies (so the answers
come from them, not from decorators left on the view).
"""

from __future__ import annotations

import importlib
import sys

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from migrator.convert.run import convert_project
from tests.test_convert_example import (
    API_KEY,
    EXAMPLE,
    flask_call,
    legacy_app,
    normalised_body,
    starlette_call,
)

PACKAGE = "migrated_auth_example"
KEY = {"X-API-Key": API_KEY}
WRONG_KEY = {"X-API-Key": "not-the-key"}

# (method, path, options, credentials) for each protected route; the FastAPI route it hits must
# carry the named guards as dependencies.
API_KEY_ROUTES = [
    ("GET", "/users/", {}),
    ("GET", "/users/2", {}),
    ("POST", "/api/v1/items/bulk", {"json": [{"name": "Drill", "price": 30}]}),
    ("POST", "/api/v1/items/", {"json": {"name": "Saw", "price": 9.5}}),
    ("PATCH", "/api/v1/items/1/stock", {"json": {"in_stock": False}}),
    ("POST", "/api/v1/items/1/image", {"files": {"image": ("pic.png", b"\x89PNG-data")}}),
    ("POST", "/api/v1/reviews/", {"json": {"item_id": 1, "rating": 5, "body": "great"}}),
    ("DELETE", "/api/v1/reviews/2", {}),
    # ItemAPI: the class decorator @timed wraps the methods' @require_api_key; the check runs
    # first all the same (it refuses by raising, @timed lets errors through; docs/dependencies.md)
    ("PUT", "/api/v1/items/2", {"json": {"name": "Saw 2", "price": 10}}),
    ("PATCH", "/api/v1/items/2", {"json": {"price": 11.25}}),
    ("DELETE", "/api/v1/items/3", {}),
]
LOGIN_ROUTES = [  # login_required only
    ("GET", "/auth/me", {}),
    ("POST", "/auth/password", {"json": {"current_password": "x", "new_password": "y"}}),
    ("GET", "/admin/export", {}),
]
ADMIN_ROUTES = [  # login_required + admin_required / roles_required("admin")
    ("GET", "/admin/", {}),
    ("GET", "/admin/users", {}),
    ("POST", "/users/", {"json": {"username": "zed", "email": "z@example.com",
                                  "password": "pw123456"}}),
    ("PUT", "/users/4/role", {"json": {"role": "editor"}}),
    ("POST", "/admin/items/2/delete", {}),
    ("DELETE", "/users/4", {}),
]
EDITOR_ROUTES = [  # login_required + roles_required("admin", "editor")
    ("GET", "/admin/items", {}),
    ("GET", "/admin/items/new", {}),
    ("POST", "/admin/items/new", {"data": {"name": "Lamp", "price": "12.5"}}),
    ("GET", "/admin/items/1/edit", {}),
    ("POST", "/admin/items/1/edit", {"data": {"name": "Renamed", "price": "3"}}),
]
INVALID_INPUT = [
    ("POST", "/api/v1/reviews/", {"data": "not json", "headers": {"Content-Type":
                                                                  "application/json"}}),
    ("POST", "/api/v1/items/bulk", {"json": {"not": "a list"}}),
    ("PATCH", "/api/v1/items/1/stock", {"json": {"in_stock": "maybe"}}),
    ("GET", "/users/2", {"query": {"verbose": "nope"}}),
    ("GET", "/admin/items", {"query": {"page": "x"}}),
    ("PUT", "/users/4/role", {"data": "{broken", "headers": {"Content-Type":
                                                             "application/json"}}),
]
USERS = {"admin": "admin-password", "editor": "editor-password", "alice": "alice-password"}


@pytest.fixture(scope="module")
def fastapi_main(tmp_path_factory):
    out = tmp_path_factory.mktemp("convert-auth") / PACKAGE
    convert_project(EXAMPLE, out)
    sys.path.insert(0, str(out.parent))
    yield importlib.import_module(f"{PACKAGE}.main")
    sys.path.remove(str(out.parent))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


class Pair:
    """The Flask app and the generated app, each on its own fresh database, asked the same."""

    def __init__(self, main, tmp_path) -> None:
        self.flask = legacy_app(tmp_path, "flask").test_client()
        self.fastapi = TestClient(main.create_app(legacy_app(tmp_path, "fastapi")),
                                  base_url="http://localhost", follow_redirects=False)
        self.mismatches: list[str] = []
        self.statuses: list[tuple[str, int]] = []

    def login(self, username: str | None) -> None:
        for client in (self.flask, self.fastapi):
            client.cookies.clear() if client is self.fastapi else client.delete_cookie("session")
        if username is not None:
            self.ask("POST", "/auth/login", {"data": {"username": username,
                                                      "password": USERS[username]}}, "login")

    def forge_session(self) -> None:
        """A session cookie that is not signed with the app's key: anonymous to both apps."""
        self.flask.set_cookie("session", "eyJ1c2VyX2lkIjoxfQ.forged.signature")
        self.fastapi.cookies.set("session", "eyJ1c2VyX2lkIjoxfQ.forged.signature")

    def ask(self, method: str, path: str, options: dict, label: str) -> None:
        expected = flask_call(self.flask, method, path, options)
        actual = starlette_call(self.fastapi, method, path, options)
        expected_type = expected.headers.get("Content-Type", "")
        actual_type = actual.headers.get("content-type", "")
        checks = {
            "status": (expected.status_code, actual.status_code),
            "content-type": (expected_type, actual_type),
            "location": (expected.headers.get("Location"), actual.headers.get("location")),
            "www-authenticate": (expected.headers.get("WWW-Authenticate"),
                                 actual.headers.get("www-authenticate")),
            # @timed's header (its value is a duration): on the same answers
            "x-elapsed": ("X-Elapsed" in expected.headers, "x-elapsed" in actual.headers),
            "body": (normalised_body(expected_type, expected.get_data()),
                     normalised_body(actual_type, actual.content)),
        }
        for what, (want, got) in checks.items():
            if want != got:
                self.mismatches.append(f"{label}: {method} {path}: {what}: flask={want!r} "
                                       f"fastapi={got!r}")
        self.statuses.append((f"{label}: {method} {path}", expected.status_code))


def test_every_protected_route_answers_alike_without_wrong_and_right_credentials(
        fastapi_main, tmp_path):
    pair = Pair(fastapi_main, tmp_path)
    for method, path, options in API_KEY_ROUTES:
        pair.ask(method, path, options, "no key")
        pair.ask(method, path, {**options, "headers": WRONG_KEY}, "wrong key")
        pair.ask(method, path, {**options, "headers": KEY}, "key")
    for label, headers in (("no key", {}), ("wrong key", WRONG_KEY), ("key", KEY)):
        pair.ask("HEAD", "/users/2", {"headers": headers}, label)  # HEAD checks, as GET does
    # Flask checks credentials before the view reads its input: invalid input without
    # credentials still gets the legacy refusal (no FastAPI 422 comes first)
    for method, path, options in INVALID_INPUT:
        pair.login(None)
        pair.ask(method, path, options, "invalid input")
    for method, path, options in LOGIN_ROUTES + ADMIN_ROUTES + EDITOR_ROUTES:
        pair.login(None)
        pair.ask(method, path, options, "anonymous")
        pair.forge_session()
        pair.ask(method, path, options, "forged session")
    for method, path, options in ADMIN_ROUTES + EDITOR_ROUTES:
        pair.login("alice")  # a viewer: logged in, wrong role
        pair.ask(method, path, options, "viewer")
    for method, path, options in ADMIN_ROUTES:
        pair.login("editor")  # allowed on the editor routes only
        pair.ask(method, path, options, "editor")
    for method, path, options in EDITOR_ROUTES + LOGIN_ROUTES + ADMIN_ROUTES:
        pair.login("admin")
        pair.ask(method, path, options, "admin")
    assert not pair.mismatches, "\n".join(pair.mismatches)
    # The cases really cover each answer: refusals and successes.
    statuses = dict(pair.statuses)
    assert statuses["no key: GET /users/"] == 401
    assert statuses["wrong key: GET /users/"] == 403
    assert statuses["key: GET /users/"] == 200
    assert [statuses[f"{label}: HEAD /users/2"] for label in ("no key", "wrong key", "key")] \
        == [401, 403, 200]
    assert statuses["anonymous: GET /admin/"] == 302
    assert statuses["forged session: GET /auth/me"] == 302
    assert statuses["viewer: GET /admin/items"] == 403
    assert statuses["editor: GET /admin/"] == 403
    assert statuses["admin: GET /admin/"] == 200
    assert statuses["admin: GET /auth/me"] == 200
    assert statuses["invalid input: POST /api/v1/reviews/"] == 401
    assert statuses["invalid input: PUT /users/4/role"] == 302


def _guards(route: APIRoute) -> list[str]:
    return [repr(d.call) for d in route.dependant.dependencies
            if type(d.call).__name__ == "LegacyGuard"]


def _api_routes(routes) -> list[APIRoute]:
    """The APIRoutes, also those of included routers (kept as one entry by recent FastAPI)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_api_routes(route.original_router.routes))
    return found


def test_guards_are_route_dependencies(fastapi_main, tmp_path):
    app = fastapi_main.create_app(legacy_app(tmp_path, "routes"))
    routes = {(method, route.path): route for route in _api_routes(app.routes)
              for method in route.methods}
    expected = {
        ("GET", "/users/"): ["LegacyGuard(require_api_key)"],
        ("POST", "/api/v1/items/"): ["LegacyGuard(require_api_key)"],
        ("GET", "/auth/me"): ["LegacyGuard(login_required)"],
        ("GET", "/admin/"): ["LegacyGuard(login_required)",
                             "LegacyGuard(roles_required.<locals>.decorator)"],
        ("POST", "/users/"): ["LegacyGuard(login_required)",
                              "LegacyGuard(roles_required.<locals>.decorator)"],
    }
    for key, guards in expected.items():
        assert _guards(routes[key]) == guards, key
    for method in ("PUT", "PATCH", "DELETE"):  # ItemAPI, inside its class decorator @timed
        assert _guards(routes[(method, "/api/v1/items/{item_id:int}")]) == \
            ["LegacyGuard(require_api_key)"]
    assert _guards(routes[("GET", "/api/v1/items/{item_id:int}")]) == []
    # every route of the auth tables is served by FastAPI, guarded one way or the other
    assert ("GET", "/admin/items/{item_id:int}/edit") in routes
    # OpenAPI documents the API key the check reads, without requiring it (the check decides)
    schema = app.openapi()
    assert schema["components"]["securitySchemes"]["X-API-Key"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schema["paths"]["/users/"]["get"]["security"] == [{"X-API-Key": []}]
    assert "security" not in schema["paths"]["/auth/me"]["get"]
