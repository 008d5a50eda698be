"""Overlapping rules in a converted app answer as Flask routes them.

Werkzeug sends a path to the most specific rule (text before converters); Starlette to the first
route in order. The generated routers keep the legacy source order, one router per blueprint,
so a converted ``/x/<name>`` may come before ``/x/me`` (in a later router, or left on Flask).
``LegacyShortcut`` then lets the legacy app serve the paths Flask sends elsewhere
(``tests/test_flask_compat_mount.py`` tests the rule itself).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Blueprint, Flask

alpha = Blueprint("alpha", __name__, url_prefix="/x")
zulu = Blueprint("zulu", __name__, url_prefix="/x")


@alpha.get("/<name>")
def by_name(name):
    return {"by_name": name}


@alpha.get("/<name>/items")
def named_items(name):
    return {"named_items": name}


@alpha.get("/<int:number>/items")
def numbered_items(number):
    return {"numbered_items": number}


@zulu.get("/me")
def me():
    return {"me": True}


app = Flask(__name__)
app.register_blueprint(alpha)
app.register_blueprint(zulu)
'''

PATHS = ["/x/me", "/x/bob", "/x/5/items", "/x/bob/items", "/x/me/", "/x/"]


@pytest.mark.parametrize("blueprints", [[], ["alpha"]], ids=["all converted", "zulu on Flask"])
def test_overlapping_rules_answer_as_flask_routes_them(tmp_path, blueprints: list[str]) -> None:
    with converted_snippet(tmp_path, "overlap_app", LEGACY, "overlap_fastapi",
                           blueprints=blueprints) as (result, _out, _legacy):
        assert len(result.converted) == (3 if blueprints else 4)
        import overlap_app
        from overlap_fastapi.main import create_app

        flask_client = overlap_app.app.test_client()
        with TestClient(create_app(overlap_app.app), base_url="http://localhost") as client:
            for path in PATHS:
                legacy_answer, new = flask_client.get(path), client.get(path, follow_redirects=False)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
