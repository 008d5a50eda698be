"""/api/v1 catalog endpoints: categories, tags, search, convert, reports, bulk import."""

import time

import pytest
from legacy_flask_app.fixtures import load_fixtures


def test_categories_cached(client, api_headers):
    first = client.get("/api/v1/categories")
    assert first.status_code == 200
    assert first.headers["X-Cache"] == "MISS"
    assert first.json == [
        {"slug": "garden", "name": "Garden", "item_count": 3},
        {"slug": "kitchen", "name": "Kitchen", "item_count": 4},
        {"slug": "tools", "name": "Tools", "item_count": 4},
    ]
    # a new item does not show up until the cache entry expires...
    client.post(
        "/api/v1/items/",
        json={"name": "Rake", "price": 9, "category": "garden"},
        headers=api_headers,
    )
    second = client.get("/api/v1/categories")
    assert second.headers["X-Cache"] == "HIT"
    assert second.json == first.json
    # ...but a different query string is a different cache key
    third = client.get("/api/v1/categories?fresh=1")
    assert third.headers["X-Cache"] == "MISS"
    assert third.json[0]["item_count"] == 4


def test_categories_cache_reset_by_fixtures(app, client, api_headers):
    client.get("/api/v1/categories")
    client.post(
        "/api/v1/items/",
        json={"name": "Rake", "price": 9, "category": "garden"},
        headers=api_headers,
    )
    load_fixtures(app)
    resp = client.get("/api/v1/categories")
    assert resp.headers["X-Cache"] == "MISS"
    assert resp.json[0]["item_count"] == 3


def test_category_detail(client):
    resp = client.get("/api/v1/categories/kitchen")
    assert resp.status_code == 200
    assert resp.json["category"] == {"slug": "kitchen", "name": "Kitchen"}
    assert [i["slug"] for i in resp.json["items"]] == [
        "chef-knife",
        "cutting-board",
        "cast-iron-skillet",
        "espresso-tamper",
    ]
    resp = client.get("/api/v1/categories/toys")
    assert resp.status_code == 404
    assert resp.json["message"] == "Unknown category 'toys'"


def test_tags(client):
    resp = client.get("/api/v1/tags")
    assert resp.status_code == 200
    assert resp.json[:3] == [
        {"tag": "steel", "count": 4},
        {"tag": "hand-tool", "count": 3},
        {"tag": "outdoor", "count": 2},
    ]
    assert len(resp.json) == 7


def test_search(client):
    resp = client.get("/api/v1/search?q=steel")
    assert resp.status_code == 200
    assert resp.json["query"] == "steel"
    assert [r["id"] for r in resp.json["results"]] == [1, 6]
    assert resp.json["count"] == 2


def test_search_filters(client):
    url = "/api/v1/search?q=e&min_price=20&max_price=50"
    assert [r["id"] for r in client.get(url).json["results"]] == [2, 5, 7, 9, 10]
    url = "/api/v1/search?q=e&tag=steel&tag=wood"
    assert [r["id"] for r in client.get(url).json["results"]] == [1, 6, 8, 9, 11]
    assert client.get("/api/v1/search?q=e&limit=2").json["count"] == 2
    # type=float: garbage is ignored
    assert client.get("/api/v1/search?q=hammer&min_price=cheap").json["count"] == 1


def test_search_strict_slashes_false(client):
    with_slash = client.get("/api/v1/search/?q=knife")
    assert with_slash.status_code == 200
    assert with_slash.json["count"] == 1
    assert client.get("/api/v1/search?q=knife").json == with_slash.json


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20"])
def test_search_requires_q(client, query):
    resp = client.get(f"/api/v1/search{query}")
    assert resp.status_code == 400
    assert resp.json["description"] == "Query parameter 'q' is required"


def test_convert(client):
    resp = client.get("/api/v1/convert/10.5/eur")
    assert resp.status_code == 200
    assert resp.json == {"amount": 10.5, "currency": "EUR", "rate": 0.9, "converted": 9.45}
    assert client.get("/api/v1/convert/2.0/JPY").json["converted"] == 300.0


def test_convert_errors(client):
    # <float:> does not match integers (or negative numbers) -> 404, not 400
    assert client.get("/api/v1/convert/10/EUR").status_code == 404
    assert client.get("/api/v1/convert/-1.5/EUR").status_code == 404
    resp = client.get("/api/v1/convert/1.0/XYZ")
    assert resp.status_code == 400
    assert resp.json["description"] == "Unsupported currency 'XYZ'"


def test_slow_report(client):
    started = time.perf_counter()
    resp = client.get("/api/v1/slow/report")
    assert time.perf_counter() - started >= 0.01
    assert resp.status_code == 200
    assert resp.json == {
        "source": "warehouse",
        "categories": [
            {"category": "garden", "items": 3, "in_stock": 2, "average_price": 24.0},
            {"category": "kitchen", "items": 4, "in_stock": 4, "average_price": 40.71},
            {"category": "tools", "items": 4, "in_stock": 3, "average_price": 35.19},
        ],
    }


def test_slow_report_only_get(client):
    assert client.post("/api/v1/slow/report").status_code == 405


def test_stats(client, api_headers):
    resp = client.get("/api/v1/stats")
    assert resp.status_code == 200
    assert resp.json == {
        "items": 12,
        "categories": 3,
        "users": 4,
        "reviews": 5,
        "average_rating": 3.8,
    }
    for review_id in range(1, 6):
        client.delete(f"/api/v1/reviews/{review_id}", headers=api_headers)
    assert client.get("/api/v1/stats").json["average_rating"] is None


def test_bulk_create(client, api_headers):
    payload = [
        {"name": "Rake", "price": 14.0, "category": "garden", "tags": ["outdoor"]},
        {"name": "Spatula", "price": 4.5, "category": "kitchen", "in_stock": False},
    ]
    resp = client.post("/api/v1/items/bulk", json=payload, headers=api_headers)
    assert resp.status_code == 201
    created = resp.json["created"]
    assert [c["id"] for c in created] == [13, 14]
    assert created[1]["in_stock"] is False
    assert client.get("/api/v1/items/").json["total"] == 14


def test_bulk_create_validation_errors(client, api_headers):
    payload = [{"name": "Ok", "price": 1}, {"name": "Bad"}, {"price": -1}]
    resp = client.post("/api/v1/items/bulk", json=payload, headers=api_headers)
    assert resp.status_code == 400
    assert resp.json == {
        "errors": [
            {"index": 1, "error": "price is required"},
            {"index": 2, "error": "name is required"},
        ]
    }
    assert client.get("/api/v1/items/").json["total"] == 12


def test_bulk_create_is_all_or_nothing(client, api_headers):
    payload = [{"name": "Fresh", "price": 1}, {"name": "Chef Knife", "price": 2}]
    resp = client.post("/api/v1/items/bulk", json=payload, headers=api_headers)
    assert resp.status_code == 409
    assert resp.json == {"errors": [{"index": 1, "error": "duplicate name"}]}
    assert client.get("/api/v1/items/by-slug/fresh").status_code == 404


@pytest.mark.parametrize("payload", [[], {"name": "x", "price": 1}, "items"])
def test_bulk_create_wrong_shape(client, api_headers, payload):
    resp = client.post("/api/v1/items/bulk", json=payload, headers=api_headers)
    assert resp.status_code == 400
    assert resp.json["description"] == "Body must be a non-empty JSON list of items"


def test_bulk_create_limits_and_auth(client, api_headers):
    payload = [{"name": f"Item {n}", "price": 1} for n in range(51)]
    resp = client.post("/api/v1/items/bulk", json=payload, headers=api_headers)
    assert resp.status_code == 400
    assert resp.json["description"] == "At most 50 items per request"
    assert client.post("/api/v1/items/bulk", json=payload[:1]).status_code == 401
    resp = client.post("/api/v1/items/bulk", data="x", headers=api_headers)
    assert resp.status_code == 415
