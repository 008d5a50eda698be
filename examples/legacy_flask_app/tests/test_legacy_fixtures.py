"""load_fixtures() must always produce the same database state."""

from legacy_flask_app import create_app
from legacy_flask_app.fixtures import ADMIN_PASSWORD, ADMIN_USERNAME, ITEMS, load_fixtures


def snapshot(client, api_headers):
    return {
        "items": client.get("/api/v1/items/?per_page=100").json,
        "reviews": client.get("/api/v1/reviews/").json,
        "users": client.get("/users/", headers=api_headers).json,
        "stats": client.get("/api/v1/stats").json,
    }


def test_reload_resets_state(app, client, api_headers):
    before = snapshot(client, api_headers)
    assert before["stats"]["items"] == len(ITEMS)
    client.post("/api/v1/items/", json={"name": "Temp", "price": 1}, headers=api_headers)
    client.delete("/api/v1/reviews/1", headers=api_headers)
    client.post("/api/v1/reviews/2/helpful")
    assert snapshot(client, api_headers) != before
    load_fixtures(app)
    assert snapshot(client, api_headers) == before


def test_two_apps_get_identical_data(tmp_path, api_headers):
    snaps = []
    for name in ("a", "b"):
        app = create_app(
            {
                "TESTING": True,
                "DATABASE": str(tmp_path / f"{name}.db"),
                "API_KEY": api_headers["X-API-Key"],
            }
        )
        load_fixtures(app)
        snaps.append(snapshot(app.test_client(), api_headers))
    assert snaps[0] == snaps[1]


def test_known_admin_credentials(client):
    resp = client.post(
        "/auth/session", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
    )
    assert resp.status_code == 200
    assert resp.json["user"]["role"] == "admin"
