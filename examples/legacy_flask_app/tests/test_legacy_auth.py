"""/auth: form login, JSON session login, the login_required decorator."""

from flask import session


def test_login_page(client):
    resp = client.get("/auth/login")
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    assert b'action="/auth/login"' in resp.data
    assert b'href="/static/style.css"' in resp.data


def test_login_admin_redirects_to_dashboard(client, auth):
    resp = auth.login("admin", "admin-password")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/admin/"
    with client:
        client.get("/")
        assert session["user_id"] == 1


def test_login_viewer_redirects_home(client, auth):
    resp = auth.login("alice", "alice-password")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"


def test_login_follows_local_next_only(client, auth):
    resp = auth.login("editor", "editor-password", next_url="/admin/items?page=2")
    assert resp.headers["Location"] == "/admin/items?page=2"
    resp = auth.login("editor", "editor-password", next_url="//evil.example/")
    assert resp.headers["Location"] == "/"
    resp = auth.login("editor", "editor-password", next_url="https://evil.example/")
    assert resp.headers["Location"] == "/"


def test_login_failure(client, auth):
    resp = auth.login("admin", "wrong-password")
    assert resp.status_code == 401
    assert b"Incorrect username or password." in resp.data
    resp = auth.login("nobody", "whatever")
    assert resp.status_code == 401
    resp = client.post("/auth/login", data={})
    assert resp.status_code == 401
    with client.session_transaction() as sess:
        assert "user_id" not in sess


def test_login_get_keeps_next(client):
    resp = client.get("/auth/login?next=/admin/users")
    assert b'name="next" value="/admin/users"' in resp.data


def test_logout(client, auth):
    auth.login_as(1)
    resp = auth.logout()
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/auth/login"
    with client.session_transaction() as sess:
        assert "user_id" not in sess
    assert client.get("/auth/logout").status_code == 405


def test_session_login_json(client):
    resp = client.post("/auth/session", json={"username": "alice", "password": "alice-password"})
    assert resp.status_code == 200
    assert resp.json == {
        "user": {
            "id": 3,
            "username": "alice",
            "email": "alice@example.com",
            "role": "viewer",
            "verified": True,
        }
    }
    cookie = client.get_cookie("last_user")
    assert cookie is not None and cookie.value == "alice"
    set_cookies = resp.headers.getlist("Set-Cookie")
    assert any(h.startswith("last_user=alice;") and "Max-Age=2592000" in h for h in set_cookies)
    assert any(h.startswith("session=") for h in set_cookies)
    assert client.get("/auth/me").json["username"] == "alice"


def test_session_login_json_failure(client):
    resp = client.post("/auth/session", json={"username": "alice", "password": "nope"})
    assert resp.status_code == 401
    assert resp.json == {"error": "invalid credentials"}
    resp = client.post("/auth/session", data="garbage")
    assert resp.status_code == 401


def test_session_logout_json(client, auth):
    resp = client.delete("/auth/session")
    assert resp.status_code == 200
    assert resp.json == {"logged_out": False}
    auth.login_as(3)
    assert client.delete("/auth/session").json == {"logged_out": True}
    assert client.get("/auth/me").status_code == 302


def test_me_requires_login(client, auth):
    resp = client.get("/auth/me")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/auth/login?next=/auth/me"
    auth.login_as(2)
    resp = client.get("/auth/me")
    assert resp.status_code == 200
    assert resp.json == {
        "id": 2,
        "username": "editor",
        "email": "editor@example.com",
        "role": "editor",
        "verified": True,
    }


def test_me_with_stale_session(client, auth):
    auth.login_as(999)  # user deleted since
    assert client.get("/auth/me").status_code == 302


def test_change_password(client, auth):
    auth.login_as(3)
    resp = client.post(
        "/auth/password",
        json={"current_password": "alice-password", "new_password": "correct horse"},
    )
    assert resp.status_code == 200
    assert resp.json == {"message": "password changed"}
    auth.logout()
    assert auth.login("alice", "alice-password").status_code == 401
    assert auth.login("alice", "correct horse").status_code == 302


def test_change_password_errors(client, auth):
    resp = client.post("/auth/password", json={})
    assert resp.status_code == 302  # not logged in
    auth.login_as(3)
    resp = client.post("/auth/password", json={"current_password": "bad", "new_password": "x" * 9})
    assert resp.status_code == 403
    assert resp.json["description"] == "Current password is wrong"
    resp = client.post(
        "/auth/password", json={"current_password": "alice-password", "new_password": "short"}
    )
    assert resp.status_code == 400
    assert resp.json == {"error": "password must be at least 8 characters", "field": "new_password"}
    resp = client.post("/auth/password", json=["x"])
    assert resp.status_code == 400
    assert resp.json["description"] == "Request body must be a JSON object"
    resp = client.post("/auth/password", data="x")
    assert resp.status_code == 415


def bearer(client, username, password):
    resp = client.post("/auth/token", json={"username": username, "password": password})
    assert resp.status_code == 200
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def test_token_is_issued_for_valid_credentials_only(client):
    assert client.post("/auth/token", json={"username": "alice", "password": "nope"}).status_code == 401
    assert client.post("/auth/token", data="not json").get_json() == {"error": "invalid credentials"}
    first = bearer(client, "alice", "alice-password")
    assert first == bearer(client, "alice", "alice-password")  # the same user, the same token
    assert first != bearer(client, "bob", "bob-password")


def test_token_user_required_hands_the_view_the_token_s_user(client):
    alice = bearer(client, "alice", "alice-password")
    resp = client.get("/users/me/reviews", headers=alice)
    assert resp.status_code == 200
    assert [review["id"] for review in resp.get_json()] == [3, 1]  # newest first
    assert client.get("/users/me/reviews/3", headers=alice).get_json()["title"] == "Sharp!"
    # another user's review (bob's), like a missing one
    assert client.get("/users/me/reviews/4", headers=alice).status_code == 404
    assert client.get("/users/me/reviews", headers=bearer(client, "bob", "bob-password")
                      ).get_json() == [{"id": 4, "item_id": 5, "rating": 3, "title": "Okay"}]


def test_token_user_required_refuses_without_a_valid_token(client):
    for headers in ({}, {"Authorization": "Basic YWxpY2U6eA=="}, {"Authorization": "Bearer"},
                    {"Authorization": "Bearer Mw.forged"}):
        resp = client.get("/users/me/reviews/3", headers=headers)
        assert resp.status_code == 401, headers
        assert "error" in resp.get_json()
