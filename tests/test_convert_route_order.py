"""Overlapping rules in a converted app answer as Flask routes them.

Werkzeug sends a path to the most specific rule (text before converters); Starlette to the first
route in order. The generated routers keep the legacy source order, one router per blueprint,
so a converted ``/x/<name>`` may come before ``/x/me`` (in a later router, or left on Flask).
``LegacyShortcut`` then lets the legacy app serve the paths Flask sends elsewhere
(``tests/test_flask_compat_mount.py`` tests the rule itself).
"""

from __future__ import annotations

import sys
import textwrap

import pytest
from fastapi.testclient import TestClient

from migrator.convert.run import convert_project
from tests.example_support import forget_package

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
    legacy = tmp_path / "legacy" / "overlap_app"
    legacy.mkdir(parents=True)
    (legacy / "__init__.py").write_text(textwrap.dedent(LEGACY), encoding="utf-8")
    out = tmp_path / "generated" / "overlap_fastapi"
    result = convert_project(legacy, out, blueprints=blueprints)
    assert len(result.converted) == (3 if blueprints else 4)
    sys.path[:0] = [str(tmp_path / "legacy"), str(tmp_path / "generated")]
    try:
        import overlap_app
        from overlap_fastapi.main import create_app

        flask_client = overlap_app.app.test_client()
        with TestClient(create_app(overlap_app.app), base_url="http://localhost") as client:
            for path in PATHS:
                legacy_answer, new = flask_client.get(path), client.get(path, follow_redirects=False)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
    finally:
        sys.path.remove(str(tmp_path / "legacy"))
        sys.path.remove(str(tmp_path / "generated"))
        forget_package("overlap_app")
        forget_package("overlap_fastapi")
