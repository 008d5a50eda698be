"""A MethodView or Flask-RESTful resource one of whose methods cannot be converted converts the
others; that method stays on Flask, which the generated app hands each request its converted
routes lack the method of.

Lyrebird 3.2.6 registers `Flow` at `/api/flow` and `/api/flow/<action>`, where only `post`
takes `action`: Flask calls `get(action=...)` and fails. The whole rule stayed on Flask ("the
view takes no parameter 'action'"), `POST /api/flow/<action>` included; 25 of its rules did.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet, paths_the_legacy_mount_serves

LEGACY = '''
from flask import Flask, abort, request
from flask.views import MethodView
from flask_restful import Api, Resource

app = Flask(__name__)


def require_key(view):
    def checked(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return checked


class Flow(Resource):
    def get(self):
        return {"flows": []}

    def post(self, action):
        return {"done": action}

    @require_key
    def delete(self):
        return {"deleted": True}


class Items(MethodView):
    def get(self, item_id=None):
        return {"item": item_id}

    def put(self, item_id):
        return {"put": item_id}


api = Api(app)
api.add_resource(Flow, "/flow", "/flow/<action>")
items = Items.as_view("items")
app.add_url_rule("/items", view_func=items)
app.add_url_rule("/items/<int:item_id>", view_func=items)
'''


def test_the_methods_that_convert_do_and_the_others_stay_on_flask(tmp_path: Path,
                                                                  monkeypatch) -> None:
    with converted_snippet(tmp_path, "partial_app", LEGACY, "partial_fastapi") as (
            result, out, _legacy):
        converted = sorted((v.route.rule, tuple(v.route.methods)) for v in result.converted)
        # (`delete`'s decorator takes any arguments: FM028 hands the rule's values through it,
        # and the 500 Flask answers with the key comes from the converted route too)
        assert converted == [("/flow", ("DELETE",)), ("/flow", ("GET",)),
                             ("/flow/<action>", ("DELETE",)), ("/flow/<action>", ("POST",)),
                             ("/items", ("GET",)),
                             ("/items/<int:item_id>", ("GET",)), ("/items/<int:item_id>", ("PUT",))]
        left = sorted((entry.route.rule, tuple(entry.route.methods), entry.reasons[0])
                      for entry in result.left)
        assert [(rule, methods) for rule, methods, _why in left] == [
            ("/flow", ("POST",)), ("/flow/<action>", ("GET",)), ("/items", ("PUT",))]
        assert all(why.startswith("FM001: ") for _rule, _methods, why in left), left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert '@router.post("/flow/{action}"' in router
        assert '@router.get("/flow/{action}"' not in router
        import partial_app
        from partial_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "partial_fastapi")
        flask_app = partial_app.app
        flask_app.config["PROPAGATE_EXCEPTIONS"] = False  # Flask's 500, as a server answers
        flask_client = flask_app.test_client()
        with TestClient(create_app(flask_app), base_url="http://localhost") as client:
            for path in ("/flow", "/flow/run", "/items", "/items/3"):
                for method in ("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"):
                    for headers in ({}, {"X-Key": "k"}):
                        old = flask_client.open(path, method=method, headers=headers)
                        new = client.request(method, path, headers=headers)
                        assert (new.status_code, new.content, new.headers.get("Allow")) == (
                            old.status_code, old.data, old.headers.get("Allow")), (
                                method, path, headers)
        # the methods left on Flask, and nothing else converted, reached the legacy mount
        assert "/flow/run" in mounted and "/items" in mounted
        # GET and HEAD (GET's), and PUT (Flask's 405), twice each
        assert mounted.count("/flow/run") == 3 * 2
