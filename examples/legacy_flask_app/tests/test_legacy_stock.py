"""The Flask-RESTful stock resources: Flask-RESTful's encoding and error answers."""


def test_stock_list_in_the_order_written_and_filtered(client):
    answer = client.get("/api/v1/stock")
    assert answer.status_code == 200
    assert answer.data.startswith(b'{"stock": [{"id": 1, "slug": ')  # output_json, not jsonify
    data = answer.get_json()
    assert data["count"] == len(data["stock"]) > 0
    only_out = client.get("/api/v1/stock?in_stock=0").get_json()
    assert all(row["in_stock"] == 0 for row in only_out["stock"])
    refused = client.get("/api/v1/stock?in_stock=7")
    assert refused.status_code == 400
    assert refused.get_json() == {"message": {"in_stock": "in_stock must be 0 or 1"}}


def test_item_stock_needs_the_api_key(client, api_headers):
    assert client.get("/api/v1/stock/1").status_code == 401
    assert client.get("/api/v1/stock/1", headers={"X-API-Key": "wrong"}).status_code == 403
    answer = client.get("/api/v1/stock/1", headers=api_headers)
    assert answer.status_code == 200 and set(answer.get_json()) == {"id", "slug", "in_stock"}
    missing = client.get("/api/v1/stock/999", headers=api_headers)
    assert missing.status_code == 404
    assert missing.get_json() == {"message": "Item 999 has no stock record"}


def test_item_stock_changes(client, api_headers):
    changed = client.put("/api/v1/stock/1", json={"in_stock": 0}, headers=api_headers)
    assert changed.status_code == 200 and changed.headers["X-Stock-Changed"] == "1"
    assert changed.get_json() == {"id": 1, "in_stock": False}
    assert client.get("/api/v1/stock/1", headers=api_headers).get_json()["in_stock"] is False
    assert client.put("/api/v1/stock/1", json={}, headers=api_headers).status_code == 400
    assert client.put("/api/v1/stock/999", json={"in_stock": 1},
                      headers=api_headers).status_code == 404
