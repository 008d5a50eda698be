"""Fixtures for the example app's own tests.

Run from the repo root with::

    python -m pytest examples/legacy_flask_app/tests -q -p no:cacheprovider --import-mode=importlib
"""

import sys
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parents[2]
if str(EXAMPLES_DIR) not in sys.path:
    sys.path.insert(0, str(EXAMPLES_DIR))

from legacy_flask_app import create_app
from legacy_flask_app.fixtures import load_fixtures

API_KEY = "test-api-key"

# ids of the seeded users (see fixtures.USERS)
ADMIN_ID, EDITOR_ID, ALICE_ID, BOB_ID = 1, 2, 3, 4


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "legacy-test.sqlite3"),
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "SECRET_KEY": "test-secret",
            "API_KEY": API_KEY,
        }
    )
    load_fixtures(app)
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def api_headers():
    return {"X-API-Key": API_KEY}


class AuthActions:
    """Log in through the real login form, or (faster) by writing the session."""

    def __init__(self, client):
        self._client = client

    def login(self, username="admin", password="admin-password", next_url=None):
        data = {"username": username, "password": password}
        if next_url is not None:
            data["next"] = next_url
        return self._client.post("/auth/login", data=data)

    def login_as(self, user_id):
        with self._client.session_transaction() as sess:
            sess["user_id"] = user_id

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def admin_client(client, auth):
    auth.login_as(ADMIN_ID)
    return client
