"""App-level behaviour: factory, app routes, hooks, error handlers, CLI, wsgi."""

import importlib
import sqlite3
import sys

from legacy_flask_app import create_app
from legacy_flask_app.db import get_db


def test_factory_merges_config(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "x.db"), "ITEMS_PER_PAGE": 3})
    assert app.testing
    assert app.config["ITEMS_PER_PAGE"] == 3
    assert app.config["API_KEY"] == "dev-api-key"
    assert app.config["UPLOAD_FOLDER"].endswith("uploads")


def test_factory_defaults_database_to_instance_path(monkeypatch):
    created = []
    # don't litter the source tree with an instance/ folder
    monkeypatch.setattr("legacy_flask_app.os.makedirs", lambda p, exist_ok=False: created.append(p))
    app = create_app()
    assert not app.testing
    assert created == [app.instance_path]
    assert app.config["DATABASE"] == f"{app.instance_path}/legacy.sqlite3"
    assert app.config["UPLOAD_FOLDER"] == f"{app.instance_path}/uploads"


def test_url_map_has_all_blueprints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {
        "index",
        "health",
        "api.item_list",
        "api.item_api",
        "api.reviews.mark_helpful",
        "auth.login",
        "users.list_users",
        "admin.dashboard",
        "api.stats",
        "api.inventory_report",
    } <= endpoints
    own = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    assert len(own) >= 40


def test_index(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.json == {
        "name": "legacy-catalog",
        "version": "1.4.2",
        "links": {
            "items": "/api/v1/items/",
            "categories": "/api/v1/categories",
            "login": "/auth/login",
            "health": "/health",
        },
    }


def test_health_ok(client):
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok", "database": "ok", "items": 12}


def test_health_degraded_without_schema(app, client):
    with app.app_context():
        db = get_db()
        db.execute("DROP TABLE reviews")
        db.execute("DROP TABLE item_tags")
        db.execute("DROP TABLE items")
        db.commit()
    resp = client.get("/health")
    assert resp.status_code == 503
    assert resp.json["status"] == "degraded"
    assert "items" in resp.json["database"]


def test_standard_headers_added(client):
    resp = client.get("/health")
    assert resp.headers["X-App-Version"] == "1.4.2"
    assert resp.headers["X-Request-Duration"].endswith("ms")
    # not added by the API blueprint's after_request
    assert "X-API-Version" not in resp.headers


def test_api_blueprint_headers(client):
    resp = client.get("/api/v1/tags")
    assert resp.headers["X-API-Version"] == "1"
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-App-Version"] == "1.4.2"


def test_404_json_outside_admin(client):
    resp = client.get("/does/not/exist")
    assert resp.status_code == 404
    assert resp.is_json
    assert resp.json["error"] == "not_found"
    assert resp.json["path"] == "/does/not/exist"


def test_404_abort_description_is_kept(client):
    resp = client.get("/api/v1/items/999")
    assert resp.status_code == 404
    assert resp.json == {
        "error": "not_found",
        "message": "Item 999 not found",
        "path": "/api/v1/items/999",
    }


def test_404_html_under_admin(client):
    resp = client.get("/admin/nothing-here")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert b"Page not found" in resp.data
    assert b"/admin/nothing-here" in resp.data


def test_405_is_json_and_keeps_allow_header(client):
    resp = client.delete("/health")
    assert resp.status_code == 405
    assert resp.json["code"] == 405
    assert resp.json["name"] == "Method Not Allowed"
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_405_under_admin_is_html(client):
    resp = client.put("/admin/users")
    assert resp.status_code == 405
    assert resp.mimetype == "text/html"


def test_head_and_options_are_automatic(client):
    head = client.head("/health")
    assert head.status_code == 200
    assert head.data == b""
    options = client.options("/api/v1/items/")
    assert options.status_code == 200
    assert set(options.headers["Allow"].split(", ")) == {"GET", "POST", "HEAD", "OPTIONS"}


def test_static_file(client):
    resp = client.get("/static/style.css")
    assert resp.status_code == 200
    assert b"font-family" in resp.data
    resp.close()


def test_cli_init_db(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "Initialized the database." in result.output
    with app.app_context():
        db = get_db()
        assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM categories").fetchone()[0] == 3


def test_cli_init_db_seed(app, runner):
    result = runner.invoke(args=["init-db", "--seed"])
    assert result.exit_code == 0
    assert "demo data" in result.output
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM users").fetchone()[0] == 4


def test_settings_file_from_envvar(tmp_path, monkeypatch):
    settings = tmp_path / "settings.py"
    settings.write_text(f"DATABASE = {str(tmp_path / 'env.db')!r}\nAPP_VERSION = '9.9.9'\n")
    monkeypatch.setenv("LEGACY_APP_SETTINGS", str(settings))
    app = create_app({"TESTING": True})
    assert app.config["DATABASE"] == str(tmp_path / "env.db")
    assert app.config["APP_VERSION"] == "9.9.9"


def test_wsgi_module_bootstraps_database(tmp_path, monkeypatch):
    db_path = tmp_path / "wsgi.db"
    settings = tmp_path / "settings.py"
    settings.write_text(f"DATABASE = {str(db_path)!r}\nUPLOAD_FOLDER = {str(tmp_path / 'up')!r}\n")
    monkeypatch.setenv("LEGACY_APP_SETTINGS", str(settings))
    monkeypatch.delitem(sys.modules, "legacy_flask_app.wsgi", raising=False)
    wsgi = importlib.import_module("legacy_flask_app.wsgi")
    try:
        assert db_path.exists()
        resp = wsgi.app.test_client().get("/api/v1/stats")
        assert resp.status_code == 200
        assert resp.json["items"] == 12
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 4
    finally:
        sys.modules.pop("legacy_flask_app.wsgi", None)
