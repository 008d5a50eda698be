"""/admin: server-rendered pages behind login_required + role checks."""

import pytest

ADMIN_ID, EDITOR_ID, ALICE_ID = 1, 2, 3


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/items",
        "/admin/items/new",
        "/admin/items/1/edit",
        "/admin/users",
        "/admin/export",
    ],
)
def test_pages_redirect_anonymous_users_to_login(client, path):
    resp = client.get(path)
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"/auth/login?next={path}"


def test_login_then_dashboard(client, auth):
    resp = client.get("/admin/", follow_redirects=True)
    assert resp.request.path == "/auth/login"
    resp = auth.login("admin", "admin-password", next_url="/admin/")
    assert resp.headers["Location"] == "/admin/"
    resp = client.get("/admin/")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Items: <strong>12</strong> (2 out of stock)" in html
    assert "Users: <strong>4</strong>" in html
    assert 'href="/api/v1/slow/report"' in html
    assert 'href="/admin/items/3/edit"' in html  # latest review is on the drill
    assert ">admin<" in html  # nav shows g.user


def test_dashboard_admin_only(client, auth):
    auth.login_as(EDITOR_ID)
    resp = client.get("/admin/")
    assert resp.status_code == 403
    assert resp.mimetype == "text/html"


def test_items_page(client, auth):
    auth.login_as(EDITOR_ID)
    resp = client.get("/admin/items")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Items <small>(12)</small>" in html
    assert "$19.99" in html and "$89.00" in html  # money filter
    assert 'action="/admin/items/12/delete"' in html
    assert "Next &raquo;" not in html
    resp = client.get("/admin/items?page=2")
    assert resp.status_code == 200
    assert 'href="/admin/items?page=1"' in resp.get_data(as_text=True)
    assert client.get("/admin/items?page=0").status_code == 404


def test_items_page_forbidden_for_viewers(client, auth):
    auth.login_as(ALICE_ID)
    assert client.get("/admin/items").status_code == 403
    assert client.get("/admin/items/new").status_code == 403


def test_new_item_form(admin_client):
    resp = admin_client.get("/admin/items/new")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<h1>New item</h1>" in html
    assert 'action="/admin/items/new"' in html
    assert '<option value="2"' in html  # categories from the db


def test_new_item_create(admin_client):
    resp = admin_client.post(
        "/admin/items/new",
        data={
            "name": "Trowel",
            "price": "6.50",
            "description": "",
            "category_id": "2",
            "in_stock": "on",
        },
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/admin/items"
    page = admin_client.get("/admin/items").get_data(as_text=True)
    assert "Created Trowel." in page  # flashed message
    item = admin_client.get("/api/v1/items/by-slug/trowel").json
    assert (item["price"], item["category"], item["in_stock"], item["description"]) == (
        6.5,
        "garden",
        True,
        None,
    )


def test_new_item_without_in_stock_checkbox(admin_client):
    admin_client.post("/admin/items/new", data={"name": "Sieve", "price": "3"})
    assert admin_client.get("/api/v1/items/by-slug/sieve").json["in_stock"] is False


@pytest.mark.parametrize(
    "form, message",
    [
        ({"name": "Trowel", "price": "abc"}, "price must be a number"),
        ({"name": "Trowel"}, "price is required"),
        ({"name": "Trowel", "price": "-3"}, "price must be greater than 0"),
        ({"name": "", "price": "3"}, "name must be between 1 and 100 characters"),
        ({"name": "Chef Knife", "price": "3"}, "An item with this name already exists."),
    ],
)
def test_new_item_invalid(admin_client, form, message):
    resp = admin_client.post("/admin/items/new", data=form)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f'<p class="error">{message}</p>' in html
    assert admin_client.get("/api/v1/items/").json["total"] == 12


def test_edit_item(admin_client):
    resp = admin_client.get("/admin/items/5/edit")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<h1>Edit Garden Hose</h1>" in html
    assert 'value="34.99"' in html
    resp = admin_client.post(
        "/admin/items/5/edit",
        data={"name": "Garden Hose XL", "price": "44", "description": "50 m", "category_id": "2"},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/admin/items"
    item = admin_client.get("/api/v1/items/5").json
    assert (item["name"], item["price"], item["in_stock"]) == ("Garden Hose XL", 44.0, False)
    assert "Saved Garden Hose XL." in admin_client.get("/admin/items").get_data(as_text=True)


def test_edit_item_invalid_and_missing(admin_client):
    resp = admin_client.post("/admin/items/5/edit", data={"name": "Hose", "price": "0"})
    assert resp.status_code == 400
    assert "price must be greater than 0" in resp.get_data(as_text=True)
    assert admin_client.get("/api/v1/items/5").json["name"] == "Garden Hose"
    resp = admin_client.get("/admin/items/99/edit")
    assert resp.status_code == 404
    assert b"Page not found" in resp.data


def test_delete_item(admin_client):
    resp = admin_client.post("/admin/items/12/delete")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/admin/items"
    assert admin_client.get("/api/v1/items/12").status_code == 404
    assert "Deleted Mystery Box." in admin_client.get("/admin/items").get_data(as_text=True)
    assert admin_client.post("/admin/items/12/delete").status_code == 404
    assert admin_client.get("/admin/items/1/delete").status_code == 405


def test_delete_item_admin_only(client, auth):
    auth.login_as(EDITOR_ID)
    assert client.post("/admin/items/12/delete").status_code == 403
    assert client.get("/api/v1/items/12").status_code == 200


def test_users_page(client, auth):
    auth.login_as(EDITOR_ID)
    assert client.get("/admin/users").status_code == 403
    auth.login_as(ADMIN_ID)
    resp = client.get("/admin/users")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'href="/users/bob/profile"' in html
    assert "bob@example.com" in html


def test_export_redirects_to_api(client, auth):
    auth.login_as(ALICE_ID)  # any logged-in user
    resp = client.get("/admin/export")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/api/v1/items/export.csv"
    resp = client.get("/admin/export", follow_redirects=True)
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    resp.close()
