"""/users: API-key reads, admin-only writes, cookies, uuid converter."""

import pytest

ADMIN_ID, EDITOR_ID, ALICE_ID, BOB_ID = 1, 2, 3, 4
BOB_TOKEN = "6f1c2d4e-8a9b-4c3d-9e8f-0123456789ab"

NEW_USER = {"username": "dave_01", "email": "dave@example.com", "password": "s3cret-pass"}


def test_list_users(client, api_headers):
    resp = client.get("/users/", headers=api_headers)
    assert resp.status_code == 200
    assert [u["username"] for u in resp.json] == ["admin", "editor", "alice", "bob"]
    assert resp.json[3] == {
        "id": 4,
        "username": "bob",
        "email": "bob@example.com",
        "role": "viewer",
        "verified": False,
    }
    assert "password_hash" not in resp.json[0]
    viewers = client.get("/users/?role=viewer", headers=api_headers).json
    assert [u["id"] for u in viewers] == [3, 4]


def test_list_users_requires_api_key(client):
    assert client.get("/users/").status_code == 401
    assert client.get("/users/", headers={"X-API-Key": "nope"}).status_code == 403
    assert client.get("/users").status_code == 308


def test_get_user(client, api_headers):
    resp = client.get("/users/2", headers=api_headers)
    assert resp.status_code == 200
    assert resp.json["username"] == "editor"
    assert resp.headers["Cache-Control"] == "no-store"
    resp = client.get("/users/50", headers=api_headers)
    assert resp.status_code == 404
    assert resp.json["message"] == "User 50 not found"
    assert "Cache-Control" not in resp.headers  # (the abort goes through @no_store)
    assert client.get("/users/2").status_code == 401


def test_create_user(admin_client, api_headers):
    resp = admin_client.post("/users/", json=NEW_USER)
    assert resp.status_code == 201
    assert resp.headers["Location"] == "/users/5"
    assert resp.json == {
        "id": 5,
        "username": "dave_01",
        "email": "dave@example.com",
        "role": "viewer",
        "verified": False,
    }
    resp = admin_client.post(
        "/auth/session", json={"username": "dave_01", "password": "s3cret-pass"}
    )
    assert resp.status_code == 200


def test_create_user_with_role(admin_client):
    resp = admin_client.post("/users/", json={**NEW_USER, "role": "editor"})
    assert resp.status_code == 201
    assert resp.json["role"] == "editor"


def test_create_user_validation(admin_client):
    resp = admin_client.post("/users/", json={"username": "x!", "email": "x", "role": "boss"})
    assert resp.status_code == 400
    assert resp.json == {
        "errors": [
            "username must be between 3 and 30 characters",
            "username may only contain letters, digits and underscores",
            "email must be a valid email address",
            "password is required",
            "role must be one of: admin, editor, viewer",
        ]
    }
    resp = admin_client.post("/users/", data="x")
    assert resp.status_code == 400
    assert resp.json == {"errors": ["body must be a JSON object"]}
    resp = admin_client.post("/users/", json={**NEW_USER, "username": "alice"})
    assert resp.status_code == 409
    assert resp.json == {"errors": ["username 'alice' is already taken"]}


def test_create_user_requires_admin(client, auth):
    resp = client.post("/users/", json=NEW_USER)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/auth/login?next=/users/"
    auth.login_as(EDITOR_ID)
    resp = client.post("/users/", json=NEW_USER)
    assert resp.status_code == 403
    assert resp.json["name"] == "Forbidden"


def test_delete_user(admin_client, api_headers):
    resp = admin_client.delete("/users/4")
    assert resp.status_code == 204
    assert admin_client.get("/users/4", headers=api_headers).status_code == 404
    assert admin_client.delete("/users/4").status_code == 404
    # the review bob wrote survives, anonymised (ON DELETE SET NULL)
    assert admin_client.get("/api/v1/reviews/4").json["user_id"] is None


def test_delete_self_forbidden(admin_client):
    resp = admin_client.delete(f"/users/{ADMIN_ID}")
    assert resp.status_code == 403
    assert resp.json["description"] == "You cannot delete your own account"


def test_delete_user_requires_admin(client, auth):
    assert client.delete("/users/4").status_code == 302
    auth.login_as(ALICE_ID)
    assert client.delete("/users/4").status_code == 403


def test_set_role(admin_client):
    resp = admin_client.put("/users/3/role", json={"role": "editor"})
    assert resp.status_code == 200
    assert resp.json["role"] == "editor"


@pytest.mark.parametrize("body", [{"role": "superuser"}, {}, None])
def test_set_role_invalid(admin_client, body):
    resp = admin_client.put("/users/3/role", json=body)
    assert resp.status_code == 400
    assert resp.json == {"error": "role must be one of: admin, editor, viewer", "field": "role"}


def test_set_role_errors(client, auth):
    assert client.put("/users/3/role", json={"role": "admin"}).status_code == 302
    auth.login_as(EDITOR_ID)
    assert client.put("/users/3/role", json={"role": "admin"}).status_code == 403
    auth.login_as(ADMIN_ID)
    assert client.put("/users/99/role", json={"role": "admin"}).status_code == 404


def test_public_profile(client):
    resp = client.get("/users/alice/profile")
    assert resp.status_code == 200
    assert resp.json == {
        "username": "alice",
        "role": "viewer",
        "member_since": "2023-03-04",
        "review_count": 2,
    }
    assert client.get("/users/ghost/profile").status_code == 404


def test_verify_email(client, api_headers):
    resp = client.get(f"/users/verify/{BOB_TOKEN}")
    assert resp.status_code == 200
    assert resp.json == {"username": "bob", "verified": True}
    assert client.get("/users/4", headers=api_headers).json["verified"] is True


def test_verify_email_errors(client):
    resp = client.get("/users/verify/00000000-0000-4000-8000-000000000000")
    assert resp.status_code == 404
    assert resp.json["message"] == "Unknown or expired verification token"
    # <uuid:> does not match malformed tokens at all
    assert client.get("/users/verify/not-a-uuid").status_code == 404


def test_new_user_gets_verify_token(app, admin_client):
    admin_client.post("/users/", json=NEW_USER)
    with app.app_context():
        from legacy_flask_app.db import get_db

        token = get_db().execute("SELECT verify_token FROM users WHERE id = 5").fetchone()[0]
    assert admin_client.get(f"/users/verify/{token}").json["verified"] is True


def test_preferences_defaults(client):
    resp = client.get("/users/preferences")
    assert resp.status_code == 200
    assert resp.json == {"theme": "light", "language": "en"}
    resp = client.get("/users/preferences", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert resp.json["language"] == "de-DE"


def test_preferences_from_cookies(client):
    client.set_cookie("theme", "dark")
    client.set_cookie("lang", "fr")
    assert client.get("/users/preferences").json == {"theme": "dark", "language": "fr"}


def test_preferences_update_sets_cookies(client):
    resp = client.put("/users/preferences", json={"theme": "dark", "language": "nl"})
    assert resp.status_code == 200
    assert resp.json == {"theme": "dark", "language": "nl"}
    assert client.get_cookie("theme").value == "dark"
    assert client.get_cookie("lang").value == "nl"
    # partial update keeps the other cookie
    resp = client.put("/users/preferences", json={"theme": "light"})
    assert resp.json == {"theme": "light", "language": "nl"}
    assert client.get("/users/preferences").json == {"theme": "light", "language": "nl"}


def test_preferences_update_invalid(client):
    resp = client.put("/users/preferences", json={"theme": "neon"})
    assert resp.status_code == 400
    assert resp.json["description"] == "theme must be one of: light, dark"
    resp = client.put("/users/preferences", json={"language": "klingon-x"})
    assert resp.status_code == 400
    assert client.get_cookie("theme") is None
    assert client.post("/users/preferences").status_code == 405
