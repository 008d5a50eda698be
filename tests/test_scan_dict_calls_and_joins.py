"""Rules read from constants written other ways than dict displays and concatenations.

cornflow 1.3.9 lists its 52 resources as `dict(resource=..., urls=..., endpoint=...)` calls in a
module-level list that a loop adds to its Api, and its login rule as `CONDITIONAL_ENDPOINTS[
"login"]`; mapchete 2023.12.3 builds its tile rule with `"/".join([...])`. The scan listed one
placeholder for the 52 resources (methods `GET`, endpoint `<unknown>`), left the login rule
unresolved, and said the joined rule was "`(...)` computed at run time". Now a `dict(...)` of
keywords is read as the dict display it makes, an item of a dict display bound once is read
where a rule names it, and a `str.join` of constants is joined; a part that is not a constant is
named in the reason. Each is checked against the url_map Flask builds.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import write_tree

TABLES = {
    "tables/endpoints.py": '''
        CONDITIONAL_ENDPOINTS = {"login": "/login/", "signup": "/signup/"}
        ''',
    "tables/__init__.py": '''
        from flask import Flask
        from flask_restful import Api, Resource

        from .endpoints import CONDITIONAL_ENDPOINTS

        LOCAL = {"health": "/health/"}


        class Items(Resource):
            def get(self):
                return []

            def post(self):
                return {}, 201


        class Item(Resource):
            def get(self, idx):
                return {"id": idx}

            def delete(self, idx):
                return "", 204


        class Login(Resource):
            def post(self):
                return {"token": "t"}


        class Health(Resource):
            def get(self):
                return {"status": "ok"}


        resources = [
            dict(resource=Items, urls="/items/", endpoint="items"),
            dict(resource=Item, urls="/items/<int:idx>/", endpoint="item"),
        ]


        def tile(zoom, col):
            return f"{zoom}/{col}"


        def create_app():
            app = Flask(__name__)
            api = Api(app)
            for res in resources:
                api.add_resource(res["resource"], res["urls"], endpoint=res["endpoint"])
            api.add_resource(Login, CONDITIONAL_ENDPOINTS["login"], endpoint="login")
            api.add_resource(Health, LOCAL["health"], endpoint="health")
            app.add_url_rule("/".join(["", "wmts", "<int:zoom>", "<int:col>.png"]), "tile", tile)
            return app
        ''',
}


def test_dict_calls_constant_items_and_joins_give_flask_s_rules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, TABLES)
    listed = {(route.rule, frozenset(route.methods), route.endpoint)
              for route in scan_path(root).routes}
    assert listed == runtime_url_map("tables:create_app", pythonpath=[root]) == {
        ("/items/", frozenset({"GET", "POST"}), "items"),
        ("/items/<int:idx>/", frozenset({"GET", "DELETE"}), "item"),
        ("/login/", frozenset({"POST"}), "login"),
        ("/health/", frozenset({"GET"}), "health"),
        ("/wmts/<int:zoom>/<int:col>.png", frozenset({"GET"}), "tile"),
    }


def test_a_join_with_a_part_computed_at_run_time_names_that_part(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"tiles.py": '''
        import os

        from flask import Flask

        app = Flask(__name__)
        grid = "g" if os.environ.get("GEODETIC") else "WGS84"


        @app.route("/".join(["", "wmts", grid, "<int:zoom>"]))
        def tile(zoom):
            return str(zoom)
        '''})
    [route] = scan_path(root).routes
    assert route.status == "manual"
    assert route.reasons[0] == ("scan.unresolved_rule: the rule `\"g\" if "
                                "os.environ.get(\"GEODETIC\") else \"WGS84\"` is computed at run "
                                "time")
