"""/api/v1/items...: the MethodView pair and the function views around it."""

import io
import json
import os
import time

import pytest

NEW_ITEM = {
    "name": "Spirit Level",
    "description": "60 cm aluminium level.",
    "price": 12.75,
    "category": "tools",
    "tags": ["Hand-Tool", "precision", "hand-tool"],
}


def ids(resp):
    return [item["id"] for item in resp.json["items"]]


# --------------------------------------------------------------------------- #
# collection (ItemListAPI)
# --------------------------------------------------------------------------- #


def test_collection_without_trailing_slash_redirects(client):
    resp = client.get("/api/v1/items")
    assert resp.status_code == 308
    assert resp.headers["Location"].endswith("/api/v1/items/")
    resp = client.get("/api/v1/items?page=2", follow_redirects=True)
    assert resp.status_code == 200
    assert resp.json["page"] == 2


def test_list_items_default_page(client):
    resp = client.get("/api/v1/items/")
    assert resp.status_code == 200
    body = resp.json
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 10, 12, 2)
    assert ids(resp) == list(range(1, 11))
    first = body["items"][0]
    assert first == {
        "id": 1,
        "name": "Claw Hammer",
        "slug": "claw-hammer",
        "description": "16 oz steel claw hammer.",
        "price": 19.99,
        "in_stock": True,
        "category": "tools",
        "tags": ["hand-tool", "steel"],
        "image": None,
        "created_at": "2024-01-10T10:00:00",
    }


def test_list_items_pagination(client):
    assert ids(client.get("/api/v1/items/?page=2")) == [11, 12]
    assert ids(client.get("/api/v1/items/?page=3")) == []
    assert ids(client.get("/api/v1/items/?page=2&per_page=5")) == [6, 7, 8, 9, 10]
    # type=int: a non-numeric page silently falls back to the default
    assert client.get("/api/v1/items/?page=abc").json["page"] == 1


@pytest.mark.parametrize(
    "query, field",
    [("page=0", "page"), ("per_page=0", "per_page"), ("per_page=101", "per_page")],
)
def test_list_items_bad_pagination(client, query, field):
    resp = client.get(f"/api/v1/items/?{query}")
    assert resp.status_code == 400
    assert resp.json["field"] == field
    assert set(resp.json) == {"error", "field"}


def test_list_items_filters(client):
    assert ids(client.get("/api/v1/items/?tag=steel")) == [1, 6, 8, 11]
    assert ids(client.get("/api/v1/items/?tag=steel&tag=hand-tool")) == [1]
    assert ids(client.get("/api/v1/items/?tag=STEEL&tag=precision")) == [8]
    assert ids(client.get("/api/v1/items/?q=knife")) == [8]
    assert ids(client.get("/api/v1/items/?category=garden")) == [5, 6, 7]
    assert ids(client.get("/api/v1/items/?in_stock=false")) == [3, 7]
    assert ids(client.get("/api/v1/items/?in_stock=1&category=garden")) == [5, 6]
    # unparseable booleans are ignored (type= callable raised ValueError)
    assert client.get("/api/v1/items/?in_stock=maybe").json["total"] == 12


def test_list_items_sorting(client):
    assert ids(client.get("/api/v1/items/?sort=-price&per_page=3")) == [3, 8, 9]
    assert ids(client.get("/api/v1/items/?sort=price&per_page=2")) == [12, 4]
    assert ids(client.get("/api/v1/items/?sort=name&per_page=2")) == [10, 8]
    assert ids(client.get("/api/v1/items/?sort=newest&per_page=2")) == [12, 11]
    resp = client.get("/api/v1/items/?sort=rating")
    assert resp.status_code == 400
    assert resp.json == {
        "code": 400,
        "name": "Bad Request",
        "description": "sort must be one of: id, name, price, -price, newest",
    }


def test_create_item(client, api_headers):
    resp = client.post("/api/v1/items/", json=NEW_ITEM, headers=api_headers)
    assert resp.status_code == 201
    assert resp.headers["Location"] == "/api/v1/items/13"
    item = resp.json
    assert item["id"] == 13
    assert item["slug"] == "spirit-level"
    assert item["in_stock"] is True  # default
    assert item["tags"] == ["hand-tool", "precision"]
    assert item["category"] == "tools"
    assert client.get("/api/v1/items/13").json["name"] == "Spirit Level"


def test_create_item_minimal(client, api_headers):
    resp = client.post(
        "/api/v1/items/", json={"name": "Rope", "price": 3, "in_stock": False}, headers=api_headers
    )
    assert resp.status_code == 201
    assert resp.json["in_stock"] is False
    assert resp.json["category"] is None
    assert resp.json["description"] is None
    assert resp.json["tags"] == []


def test_create_item_requires_api_key(client):
    resp = client.post("/api/v1/items/", json=NEW_ITEM)
    assert resp.status_code == 401
    assert resp.json == {
        "code": 401,
        "name": "Unauthorized",
        "description": "Missing X-API-Key header",
    }
    resp = client.post("/api/v1/items/", json=NEW_ITEM, headers={"X-API-Key": "wrong"})
    assert resp.status_code == 403
    assert resp.json["description"] == "Invalid API key"
    assert client.get("/api/v1/items/").json["total"] == 12


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"name": "No price"}, "price is required"),
        ({"name": "Free", "price": 0}, "price must be greater than 0"),
        ({"name": "", "price": 1}, "name must be between 1 and 100 characters"),
        ({"name": "Stocky", "price": 1, "in_stock": "yes"}, "in_stock must be a boolean"),
        ([1, 2], "body must be a JSON object"),
    ],
)
def test_create_item_invalid(client, api_headers, payload, message):
    resp = client.post("/api/v1/items/", json=payload, headers=api_headers)
    assert resp.status_code == 400
    assert resp.json == {"error": message}


def test_create_item_not_json(client, api_headers):
    resp = client.post("/api/v1/items/", data="name=x", headers=api_headers)
    assert resp.status_code == 400
    assert resp.json == {"error": "body must be a JSON object"}


def test_create_item_conflicts_and_bad_references(client, api_headers):
    resp = client.post(
        "/api/v1/items/", json={"name": "Claw  Hammer", "price": 1}, headers=api_headers
    )
    assert resp.status_code == 409
    assert resp.json == {"error": "an item named 'Claw  Hammer' already exists"}

    resp = client.post(
        "/api/v1/items/", json={"name": "A", "price": 1, "category": "toys"}, headers=api_headers
    )
    assert resp.status_code == 400
    assert resp.json["description"] == "Unknown category: toys"

    resp = client.post(
        "/api/v1/items/", json={"name": "B", "price": 1, "tags": "steel"}, headers=api_headers
    )
    assert resp.status_code == 400
    assert resp.json["description"] == "tags must be a list of strings"

    resp = client.post(
        "/api/v1/items/", json={"name": "C", "price": 1, "tags": ["x" * 31]}, headers=api_headers
    )
    assert resp.status_code == 400


# --------------------------------------------------------------------------- #
# detail (ItemAPI)
# --------------------------------------------------------------------------- #


def test_get_item(client):
    resp = client.get("/api/v1/items/8")
    assert resp.status_code == 200
    assert resp.json["name"] == "Chef Knife"
    assert resp.json["tags"] == ["precision", "steel"]
    assert resp.headers["X-Elapsed"].endswith("ms")  # MethodView.decorators = [timed]


def test_get_item_not_found_and_bad_converter(client):
    assert client.get("/api/v1/items/999").status_code == 404
    # <int:item_id> does not match negative numbers or words
    assert client.get("/api/v1/items/-1").status_code == 404
    assert client.get("/api/v1/items/abc").status_code == 404
    # the detail rule has no trailing slash: /items/1/ is a 404, not a redirect
    assert client.get("/api/v1/items/1/").status_code == 404


def test_put_item(client, api_headers):
    resp = client.put(
        "/api/v1/items/4",
        headers=api_headers,
        json={"name": "Tape Measure 5m", "price": 8.5, "category": "tools", "in_stock": False},
    )
    assert resp.status_code == 200
    body = resp.json
    assert (body["name"], body["price"], body["in_stock"]) == ("Tape Measure 5m", 8.5, False)
    assert body["slug"] == "tape-measure"  # slugs are permanent
    assert body["tags"] == ["hand-tool"]  # not sent -> unchanged


def test_put_item_replaces_optional_fields(client, api_headers):
    resp = client.put("/api/v1/items/1", headers=api_headers, json={"name": "Hammer", "price": 20})
    assert resp.status_code == 200
    assert resp.json["description"] is None
    assert resp.json["category"] is None
    assert resp.json["in_stock"] is True


def test_put_item_errors(client, api_headers):
    assert client.put("/api/v1/items/1", json={"name": "x", "price": 1}).status_code == 401
    resp = client.put("/api/v1/items/1", headers=api_headers, json={"name": "x"})
    assert resp.status_code == 400
    assert resp.json == {"error": "price is required"}
    # request.json refuses bodies that are not sent as JSON
    resp = client.put("/api/v1/items/1", headers=api_headers, data={"name": "x", "price": "1"})
    assert resp.status_code == 415
    resp = client.put(
        "/api/v1/items/1", headers=api_headers, data="{oops", content_type="application/json"
    )
    assert resp.status_code == 400
    resp = client.put("/api/v1/items/999", headers=api_headers, json={"name": "x", "price": 1})
    assert resp.status_code == 404


def test_patch_item(client, api_headers):
    resp = client.patch(
        "/api/v1/items/2", headers=api_headers, json={"price": 22.0, "tags": ["Gift"]}
    )
    assert resp.status_code == 200
    body = resp.json
    assert body["price"] == 22.0
    assert body["name"] == "Screwdriver Set"
    assert body["category"] == "tools"
    assert body["tags"] == ["gift"]


def test_patch_item_errors(client, api_headers):
    resp = client.patch("/api/v1/items/2", headers=api_headers, json={"price": -1})
    assert resp.status_code == 400
    assert resp.json == {"error": "price must be greater than 0"}
    resp = client.patch("/api/v1/items/2", headers=api_headers, json=["price"])
    assert resp.status_code == 400
    assert client.patch("/api/v1/items/2", json={"price": 1}).status_code == 401
    assert client.patch("/api/v1/items/99", headers=api_headers, json={}).status_code == 404


def test_delete_item_cascades_reviews(client, api_headers):
    assert client.delete("/api/v1/items/1").status_code == 401
    resp = client.delete("/api/v1/items/1", headers=api_headers)
    assert resp.status_code == 204
    assert resp.data == b""
    assert client.get("/api/v1/items/1").status_code == 404
    assert client.get("/api/v1/reviews/1").status_code == 404
    assert client.delete("/api/v1/items/1", headers=api_headers).status_code == 404


def test_detail_method_not_allowed(client):
    resp = client.post("/api/v1/items/1", json={})
    assert resp.status_code == 405
    assert set(resp.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "PUT",
        "PATCH",
        "DELETE",
    }


# --------------------------------------------------------------------------- #
# function views
# --------------------------------------------------------------------------- #


def test_get_item_by_slug(client):
    resp = client.get("/api/v1/items/by-slug/garden-hose")
    assert resp.status_code == 200
    assert resp.json["id"] == 5
    resp = client.get("/api/v1/items/by-slug/nope")
    assert resp.status_code == 404
    assert resp.json["message"] == "No item with slug 'nope'"


def test_item_reviews(client):
    resp = client.get("/api/v1/items/1/reviews")
    assert resp.status_code == 200
    assert [r["id"] for r in resp.json] == [1, 2]
    assert resp.json[1] == {
        "id": 2,
        "item_id": 1,
        "user_id": None,
        "author_email": "guest@example.net",
        "title": None,
        "body": "Handle cracked after a month.",
        "rating": 2,
        "helpful": 0,
        "created_at": "2024-02-02T12:00:00",
    }
    assert client.get("/api/v1/items/12/reviews").json == []
    assert client.get("/api/v1/items/99/reviews").status_code == 404


def test_set_stock(client, api_headers):
    resp = client.patch("/api/v1/items/3/stock", json={"in_stock": True}, headers=api_headers)
    assert resp.status_code == 200
    assert resp.json == {"id": 3, "in_stock": True}
    assert client.get("/api/v1/items/3").json["in_stock"] is True
    resp = client.patch("/api/v1/items/3/stock", json={"in_stock": "no"}, headers=api_headers)
    assert resp.status_code == 400
    assert resp.json["description"] == "in_stock must be a boolean"
    assert client.patch("/api/v1/items/3/stock", json={"in_stock": True}).status_code == 401
    assert (
        client.patch(
            "/api/v1/items/99/stock", json={"in_stock": True}, headers=api_headers
        ).status_code
        == 404
    )


def test_upload_and_download_image(app, client, api_headers):
    png = b"\x89PNG\r\n\x1a\nfake-image-bytes"
    resp = client.post(
        "/api/v1/items/2/image",
        headers=api_headers,
        data={"image": (io.BytesIO(png), "my photo.png"), "alt_text": "The set"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201
    assert resp.json == {
        "id": 2,
        "image": "item-2-my_photo.png",
        "alt_text": "The set",
        "url": "/api/v1/files/item-2-my_photo.png",
    }
    assert os.path.exists(os.path.join(app.config["UPLOAD_FOLDER"], "item-2-my_photo.png"))
    assert client.get("/api/v1/items/2").json["image"] == "item-2-my_photo.png"

    download = client.get("/api/v1/files/item-2-my_photo.png")
    assert download.status_code == 200
    assert download.data == png
    assert download.mimetype == "image/png"
    download.close()


def test_uploaded_file_subdirectory_and_missing(app, client):
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "archive", "2023")
    os.makedirs(folder)
    with open(os.path.join(folder, "old.txt"), "w") as fh:
        fh.write("old")
    resp = client.get("/api/v1/files/archive/2023/old.txt")  # <path:> matches slashes
    assert resp.status_code == 200
    assert resp.data == b"old"
    resp.close()
    assert client.get("/api/v1/files/archive/2023/missing.txt").status_code == 404
    assert client.get("/api/v1/files/../legacy-test.sqlite3").status_code == 404


def test_upload_errors(client, api_headers):
    url = "/api/v1/items/2/image"
    resp = client.post(
        url, headers=api_headers, data={"alt_text": "x"}, content_type="multipart/form-data"
    )
    assert resp.status_code == 400
    assert resp.json["description"] == "No file part named 'image'"

    resp = client.post(
        url,
        headers=api_headers,
        data={"image": (io.BytesIO(b"x"), "")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    assert resp.json["description"] == "No file selected"

    resp = client.post(
        url,
        headers=api_headers,
        data={"image": (io.BytesIO(b"x"), "run.exe")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    assert resp.json == {
        "error": "file type .exe is not allowed (allowed: gif, jpeg, jpg, png, webp)",
        "field": "image",
    }

    resp = client.post(
        url, data={"image": (io.BytesIO(b"x"), "a.png")}, content_type="multipart/form-data"
    )
    assert resp.status_code == 401
    resp = client.post(
        "/api/v1/items/99/image",
        headers=api_headers,
        data={"image": (io.BytesIO(b"x"), "a.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 404


def test_upload_too_large(app, client, api_headers):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    resp = client.post(
        "/api/v1/items/2/image",
        headers=api_headers,
        data={"image": (io.BytesIO(b"x" * 4096), "big.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 413
    assert resp.json["name"] == "Request Entity Too Large"


def test_export_csv(client):
    resp = client.get("/api/v1/items/export.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"] == "attachment; filename=items.csv"
    assert resp.headers["X-Elapsed"].endswith("ms")
    lines = resp.data.decode().splitlines()
    assert lines[0] == "id,name,slug,price,in_stock,category"
    assert lines[1] == "1,Claw Hammer,claw-hammer,19.99,1,tools"
    assert lines[3] == "3,Cordless Drill,cordless-drill,89.00,0,tools"
    assert lines[-1] == "12,Mystery Box,mystery-box,5.00,1,"
    assert len(lines) == 13
    resp.close()


def test_export_ndjson_streams_one_item_per_line(client):
    resp = client.get("/api/v1/items/export.ndjson")
    assert resp.status_code == 200
    assert resp.mimetype == "application/x-ndjson"
    assert resp.is_streamed
    items = [json.loads(line) for line in resp.data.decode().splitlines()]
    assert [item["id"] for item in items] == list(range(1, 13))
    assert items[0]["slug"] == "claw-hammer" and items[0]["category"] == "tools"
    assert items[-1]["category"] is None
    resp.close()


def test_datasheet_needs_a_signed_link_that_has_not_expired(app, client):
    from legacy_flask_app.auth import sign_link

    path = "/api/v1/items/1/datasheet"
    with app.app_context():
        good = sign_link(path, int(time.time()) + 60)
        expired = sign_link(path, int(time.time()) - 1)
        other = sign_link("/api/v1/items/2/datasheet", int(time.time()) + 60)
        missing = sign_link("/api/v1/items/999/datasheet", int(time.time()) + 60)
    assert client.get(path).status_code == 401
    assert client.get(f"{path}?expires=1").status_code == 401
    resp = client.get(f"{path}?{good}")
    assert resp.status_code == 200 and resp.json["slug"] == "claw-hammer"
    assert resp.json["tags"]
    assert client.get(f"{path}?{expired}").status_code == 403
    assert client.get(f"{path}?{other}").status_code == 403  # signed for another item
    assert client.get(f"/api/v1/items/999/datasheet?{missing}").status_code == 404
