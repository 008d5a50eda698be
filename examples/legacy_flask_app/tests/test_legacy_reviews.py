"""The nested reviews blueprint (/api/v1/reviews, endpoints api.reviews.*)."""

import pytest

NEW_REVIEW = {
    "item_id": 9,
    "rating": 4,
    "title": "Heavy",
    "body": "Beautiful board, weighs a ton.",
    "author_email": "carol@example.org",
}


def test_list_reviews_redirects_without_slash(client):
    resp = client.get("/api/v1/reviews")
    assert resp.status_code == 308
    assert resp.headers["Location"].endswith("/api/v1/reviews/")


def test_list_reviews(client):
    resp = client.get("/api/v1/reviews/")
    assert resp.status_code == 200
    assert resp.json["count"] == 5
    assert resp.json["reviews"][0] == {
        "id": 1,
        "item_id": 1,
        "user_id": 3,
        "author_email": "alice@example.com",
        "title": "Solid",
        "body": "Feels great in the hand.",
        "rating": 5,
        "helpful": 3,
        "created_at": "2024-02-01T12:00:00",
    }


def test_list_reviews_filters(client):
    def review_ids(query):
        return [r["id"] for r in client.get(f"/api/v1/reviews/?{query}").json["reviews"]]

    assert review_ids("item_id=1") == [1, 2]
    assert review_ids("min_rating=4") == [1, 3, 5]
    assert review_ids("item_id=1&min_rating=4") == [1]
    assert review_ids("item_id=abc") == [1, 2, 3, 4, 5]  # type=int -> ignored


def test_create_review(client, api_headers):
    resp = client.post("/api/v1/reviews/", json=NEW_REVIEW, headers=api_headers)
    assert resp.status_code == 201
    body = resp.json
    assert body["id"] == 6
    assert body["helpful"] == 0
    assert body["user_id"] is None
    assert {k: body[k] for k in NEW_REVIEW} == NEW_REVIEW
    assert client.get("/api/v1/reviews/6").json == body


def test_create_review_records_logged_in_user(client, auth, api_headers):
    auth.login_as(3)
    payload = {k: v for k, v in NEW_REVIEW.items() if k != "title"}
    resp = client.post("/api/v1/reviews/", json=payload, headers=api_headers)
    assert resp.status_code == 201
    assert resp.json["user_id"] == 3
    assert resp.json["title"] is None
    assert client.get("/users/alice/profile").json["review_count"] == 3


def test_create_review_validation(client, api_headers):
    bad = {"item_id": 1, "rating": 9, "body": "", "author_email": "not-an-email"}
    resp = client.post("/api/v1/reviews/", json=bad, headers=api_headers)
    assert resp.status_code == 400
    assert resp.json == {
        "errors": {
            "rating": ["Must be greater than or equal to 1 and less than or equal to 5."],
            "body": ["Length must be between 1 and 2000."],
            "author_email": ["Not a valid email address."],
        }
    }
    resp = client.post("/api/v1/reviews/", json={**NEW_REVIEW, "spam": 1}, headers=api_headers)
    assert resp.status_code == 400
    assert resp.json == {"errors": {"spam": ["Unknown field."]}}
    resp = client.post("/api/v1/reviews/", json={}, headers=api_headers)
    assert set(resp.json["errors"]) == {"item_id", "rating", "body", "author_email"}
    resp = client.post("/api/v1/reviews/", json=[NEW_REVIEW], headers=api_headers)
    assert resp.status_code == 400
    assert resp.json == {"errors": {"_schema": ["Invalid input type."]}}


def test_create_review_errors(client, api_headers):
    resp = client.post("/api/v1/reviews/", json={**NEW_REVIEW, "item_id": 99}, headers=api_headers)
    assert resp.status_code == 404
    assert resp.json["message"] == "Item 99 not found"
    assert client.post("/api/v1/reviews/", json=NEW_REVIEW).status_code == 401
    # request.get_json() (not silent): form bodies are rejected by Flask itself
    resp = client.post("/api/v1/reviews/", data={"rating": "5"}, headers=api_headers)
    assert resp.status_code == 415


def test_get_review(client):
    resp = client.get("/api/v1/reviews/3")
    assert resp.status_code == 200
    assert resp.json["title"] == "Sharp!"
    resp = client.get("/api/v1/reviews/42")
    assert resp.status_code == 404
    assert resp.json["message"] == "Review 42 not found"


def test_delete_review(client, api_headers):
    assert client.delete("/api/v1/reviews/2").status_code == 401
    assert client.delete("/api/v1/reviews/2", headers={"X-API-Key": "x"}).status_code == 403
    resp = client.delete("/api/v1/reviews/2", headers=api_headers)
    assert resp.status_code == 204
    assert client.get("/api/v1/reviews/2").status_code == 404
    assert client.delete("/api/v1/reviews/2", headers=api_headers).status_code == 404


@pytest.mark.parametrize("times", [1, 3])
def test_mark_helpful(client, times):
    for _ in range(times):
        resp = client.post("/api/v1/reviews/1/helpful")
    assert resp.status_code == 200
    assert resp.json == {"id": 1, "helpful": 3 + times}
    assert client.get("/api/v1/reviews/1/helpful").status_code == 405
    assert client.post("/api/v1/reviews/77/helpful").status_code == 404


def test_nested_endpoint_names(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("api.reviews.mark_helpful", review_id=5) == "/api/v1/reviews/5/helpful"
        assert url_for("api.reviews.list_reviews") == "/api/v1/reviews/"
