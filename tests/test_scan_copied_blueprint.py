"""A blueprint registered as a copy of itself: `copy.deepcopy(TILE_API)`.

terracotta 0.10's `create_app` copies its two module-level blueprints before registering them
("extensions might modify the global blueprints, so copy before use"), then gives each copy its
own CORS origins. The scan read the copy as an object made outside the scanned code
(`scan.external_blueprint`) and the originals as never registered: 15 of its 18 routes were not
listed. A copy of a blueprint has the routes registered on it so far, so the scan now reads it as
the blueprint copied. A rule added to the original after the copy is made is not the copy's;
the scan cannot order that, and lists it, but the generated app's start-up check finds the legacy
app not serving that endpoint and keeps the route on Flask, which answers 404 as before.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings
from tests.scan_support import registered_endpoints, write_tree

TILES = {
    "api.py": '''
from flask import Blueprint

# populated by the view modules, copied by create_app
TILE_API = Blueprint("tile_api", __name__)
METADATA_API = Blueprint("metadata_api", __name__)
''',
    "tiles.py": '''
from flask import jsonify, request

from .api import TILE_API


@TILE_API.route("/tiles/<int:z>/<int:x>/<int:y>.json")
def get_tile(z, x, y):
    """One tile, its size from the query."""
    size = request.args.get("size", 256, type=int)
    return jsonify(z=z, x=x, y=y, size=size)
''',
    "metadata.py": '''
from flask import jsonify

from .api import METADATA_API


@METADATA_API.route("/keys")
def get_keys():
    return jsonify(keys=["type", "date"])
''',
    "__init__.py": '''
import copy

from flask import Flask
from flask_cors import CORS

from .api import METADATA_API, TILE_API


def create_app():
    from . import metadata, tiles  # noqa: F401  (their routes, on the global blueprints)

    new_app = Flask(__name__)
    new_tile_api = copy.deepcopy(TILE_API)
    new_metadata_api = copy.copy(METADATA_API)

    @TILE_API.route("/late")
    def late():
        # added to the original after the copy: Flask does not serve it
        return "late"

    CORS(new_tile_api, origins=["http://maps.example"])
    CORS(new_metadata_api, origins="*")
    new_app.register_blueprint(new_tile_api, url_prefix="")
    new_app.register_blueprint(new_metadata_api, url_prefix="/meta")
    return new_app
''',
}


def test_a_registered_copy_of_a_blueprint_has_its_routes(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tileserver", TILES)
    scan = scan_path(tmp_path / "tileserver")
    registered = registered_endpoints(tmp_path, "tileserver", lambda module: module.create_app())
    assert registered == {"/tiles/<int:z>/<int:x>/<int:y>.json": "tile_api.get_tile",
                          "/meta/keys": "metadata_api.get_keys"}
    # the route added to the original after the copy is listed too: the scan cannot tell
    # which came first (the generated app's start-up check can; below)
    assert {route.rule: route.endpoint for route in scan.routes} == {
        **registered, "/late": "tile_api.late"}
    assert sorted(blueprint.name for blueprint in scan.blueprints) == [
        "metadata_api", "tile_api"]
    assert scan.diagnostics == [], root


def test_the_copys_routes_convert_and_answer_with_its_cors_headers(tmp_path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "tileserver", TILES, "tiles_fastapi") as (
            result, out, legacy_root):
        assert sorted(converted.route.endpoint for converted in result.converted) == [
            "metadata_api.get_keys", "tile_api.get_tile", "tile_api.late"]
        import tileserver
        from tiles_fastapi.main import create_app

        legacy = tileserver.create_app()
        flask_client = legacy.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "tiles_fastapi")
        with TestClient(create_app(legacy), base_url="http://localhost") as client:
            for path, origin in [("/tiles/1/2/3.json?size=512", "http://maps.example"),
                                 ("/tiles/1/2/3.json", "http://evil.example"),
                                 ("/tiles/1/x/3.json", "http://maps.example"),
                                 ("/meta/keys", "http://any.example"),
                                 ("/late", "http://maps.example")]:
                old = flask_client.get(path, headers={"Origin": origin})
                new = client.get(path, headers={"Origin": origin})
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
                assert new.headers.get("access-control-allow-origin") == old.headers.get(
                    "access-control-allow-origin"), path
            assert client.get("/tiles/1/2/3.json", headers={"Origin": "http://maps.example"}
                              ).headers["access-control-allow-origin"] == "http://maps.example"
            # the copy's routes answer from the converted routes; `/late`, which Flask does not
            # serve, is not answered by its converted route (the start-up check) but by Flask
            assert mounted == ["/tiles/1/x/3.json", "/late"]
        assert not new_lint_findings(out, legacy_root.parent, "tileserver")
