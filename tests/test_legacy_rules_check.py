"""A converted route whose Flask rule the legacy app no longer serves is answered by Flask.

The generated package imports the legacy code as it is when the app starts, and teams keep
editing that code while they migrate. Here the `shop` blueprint's prefix moves from `/v1` to
`/v2` after the conversion. Before this check, the converted routes kept answering at `/v1`
(200 where Flask now answers 404) and `/v2` reached Flask: the converted view served a path
the legacy app had dropped, outside whatever now guards the paths that replaced it.

Now the generated package names the rules each endpoint was converted from
(`routers.LEGACY_RULES`) and, at start-up, `mount_legacy` checks that the legacy app serves each
of them for that endpoint; one that does not is answered by the legacy app, with a warning, and
`app.state.legacy_views_changed` says why. (The same check will hold a rule whose prefix a
person states for a deployment, which no scan can read.)
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Blueprint, Flask

shop = Blueprint("shop", __name__)


@shop.route("/items")
def items():
    return {"items": [1, 2]}


@shop.route("/items/<int:item_id>")
@shop.route("/item/<int:item_id>")
def item(item_id):
    return {"id": item_id}


def create_app():
    app = Flask(__name__)
    app.register_blueprint(shop, url_prefix="/v1")
    return app
'''


def test_routes_the_legacy_app_moved_are_answered_by_flask(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with converted_snippet(tmp_path, "shop_app", LEGACY, "shop_fastapi") as (result, out, legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/v1/item/<int:item_id>", "/v1/items", "/v1/items/<int:item_id>"]
        routers = (out / "routers" / "__init__.py").read_text(encoding="utf-8")
        assert '    "shop.item": ("/v1/item/<int:item_id>", "/v1/items/<int:item_id>"),\n' \
            in routers
        assert '    "shop.items": ("/v1/items",),\n' in routers
        import shop_app
        from shop_fastapi.main import create_app
        app = create_app(shop_app.create_app())
        assert app.state.legacy_views_changed == {}
        with TestClient(app) as client:
            assert client.get("/v1/items/3").json() == {"id": 3}

        # A person moves the blueprint after the conversion; the package is not re-generated.
        source = (legacy / "__init__.py").read_text(encoding="utf-8")
        (legacy / "__init__.py").write_text(source.replace('"/v1"', '"/v2"'), encoding="utf-8")
        del sys.modules["shop_app"]
        import shop_app as edited
        legacy_app = edited.create_app()
        with caplog.at_level(logging.WARNING, logger="flask_compat"):
            app = create_app(legacy_app)
        assert app.state.legacy_views_changed == {
            "shop.item": "the legacy app does not serve /v1/item/<int:item_id>, "
                         "/v1/items/<int:item_id> for this endpoint (it serves "
                         "/v2/item/<int:item_id>, /v2/items/<int:item_id>): the converted route "
                         "would answer where Flask does not",
            "shop.items": "the legacy app does not serve /v1/items for this endpoint (it serves "
                          "/v2/items): the converted route would answer where Flask does not",
        }
        assert "the converted route 'shop.items' is answered by the legacy app" in caplog.text
        flask_client = legacy_app.test_client()
        with TestClient(app) as client:
            for path in ("/v1/items", "/v1/items/3", "/v1/item/3", "/v2/items", "/v2/items/3",
                         "/v2/item/3"):
                for method in ("GET", "HEAD", "POST"):
                    new = client.request(method, path)
                    old = flask_client.open(path, method=method)
                    assert (new.status_code, new.content) == (old.status_code, old.data), \
                        (method, path)
            # before: 200 from the converted route at a path Flask no longer serves
            assert client.get("/v1/items").status_code == 404
            assert client.get("/v2/items").json() == {"items": [1, 2]}


def test_a_rule_written_with_doubled_slashes_is_served_where_werkzeug_merges_them(
        tmp_path: Path) -> None:
    """Flask-RESTX joins a blueprint's prefix "/" and a rule "/hello" into "//hello", which
    Werkzeug (merging slashes, its default) serves at "/hello", as the scan reads it. The check
    compared the rule strings and sent the converted route to Flask, saying that Flask does not
    serve it (localtileserver's `/`, `/split/`, `/split/form/`). A rule that keeps its slashes
    (`merge_slashes=False`) is still not the one converted."""
    from flask import Flask

    with converted_snippet(tmp_path, "shop_app", LEGACY, "shop_fastapi") as (_r, _out, _l):
        import shop_app
        from shop_fastapi.main import create_app

        def served_with(merge_slashes: bool) -> Flask:
            legacy = Flask("shop_app")
            legacy.add_url_rule("//v1//items", "shop.items", shop_app.items,
                                merge_slashes=merge_slashes)
            legacy.add_url_rule("/v1/items/<int:item_id>", "shop.item", shop_app.item)
            legacy.add_url_rule("/v1/item/<int:item_id>", "shop.item", shop_app.item)
            return legacy

        legacy = served_with(True)
        assert legacy.test_client().get("/v1/items").get_json() == {"items": [1, 2]}
        app = create_app(legacy)
        assert app.state.legacy_views_changed == {}  # before: "shop.items" sent to Flask
        with TestClient(app) as client:
            assert client.get("/v1/items").json() == {"items": [1, 2]}
        kept = create_app(served_with(False))
        assert list(kept.state.legacy_views_changed) == ["shop.items"]
