"""A blueprint the legacy app registers only under some setting keeps its router out of the
generated app where the legacy app has not registered it.

psiTurk registers its dashboard and API blueprints only where its config enables them, and the
dashboard's module raises at import without a login configured. The generated package imported
every router when it was built, so with psiTurk's default config there was no app at all
(`RuntimeError` from `from psiturk.dashboard import ...`), where Flask served every other route
and answered 404 on the dashboard's. Each blueprint's router is now imported and included only
where the legacy app has the blueprint; Flask answers its paths otherwise.
"""

from __future__ import annotations

import importlib

import pytest
from fastapi.testclient import TestClient

from tests.example_support import converted_snippet, forget_package

LEGACY = {
    "__init__.py": "",
    "app.py": '''
        import os

        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route("/ping")
        def ping():
            return jsonify(pong=True)


        if os.environ.get("ENABLE_ADMIN"):  # off by default, as psiTurk's dashboard
            from condbp.admin import admin

            app.register_blueprint(admin)
    ''',
    "admin.py": '''
        import os

        from flask import Blueprint, jsonify

        PASSWORD = os.environ.get("ADMIN_PASSWORD")
        if not PASSWORD:  # psiturk.dashboard: PsiTurkAuthorization(config)
            raise RuntimeError("ADMIN_PASSWORD not set")

        admin = Blueprint("admin", __name__, url_prefix="/admin")


        @admin.route("/stats")
        def stats():
            return jsonify(password_length=len(PASSWORD))
    ''',
}


def answers(monkeypatch, enabled: bool) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]],
                                                   list[str]]:
    """What Flask and the generated app answer to /ping and /admin/stats, and the generated
    app's documented paths, with the admin blueprint enabled or not."""
    for name in ("ENABLE_ADMIN", "ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    if enabled:
        monkeypatch.setenv("ENABLE_ADMIN", "1")
        monkeypatch.setenv("ADMIN_PASSWORD", "s3cret")
    forget_package("condbp")
    forget_package("condbp_fastapi")
    legacy = importlib.import_module("condbp.app").app.test_client()
    app = importlib.import_module("condbp_fastapi.main").create_app()
    with TestClient(app) as client:
        new = [(r.status_code, r.content) for r in map(client.get, ("/ping", "/admin/stats"))]
    old = [(r.status_code, r.get_data()) for r in map(legacy.get, ("/ping", "/admin/stats"))]
    return old, new, list(app.openapi()["paths"])


@pytest.fixture()
def converted(tmp_path, monkeypatch):
    monkeypatch.setenv("ENABLE_ADMIN", "1")
    monkeypatch.setenv("ADMIN_PASSWORD", "s3cret")
    with converted_snippet(tmp_path, "condbp", LEGACY, "condbp_fastapi") as (result, out, _):
        assert sorted(view.route.endpoint for view in result.converted) == ["admin.stats", "ping"]
        yield out


def test_a_blueprint_registered_only_under_a_setting_keeps_its_router_out(converted,
                                                                          monkeypatch) -> None:
    main = (converted / "main.py").read_text()
    assert '    if "admin" in legacy_app.blueprints:\n        from .routers import admin\n' in main
    old, new, paths = answers(monkeypatch, enabled=False)
    assert new == old and [status for status, _ in old] == [200, 404]
    assert "/admin/stats" not in paths and "/ping" in paths


def test_where_the_legacy_app_registers_it_its_routes_are_converted(converted,
                                                                    monkeypatch) -> None:
    old, new, paths = answers(monkeypatch, enabled=True)
    assert new == old and old[1] == (200, b'{"password_length":6}\n')
    assert "/admin/stats" in paths
