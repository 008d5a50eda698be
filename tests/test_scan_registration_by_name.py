"""Blueprints registered by name, and registration helpers whose result is kept.

zou 1.0.97 (Kitsu's API server, PyPI) registers its 26 blueprint packages with

    for module_name in BLUEPRINT_MODULES:
        module = importlib.import_module(f"zou.app.blueprints.{module_name}")
        app.register_blueprint(module.blueprint)

and each package adds its routes with `api = configure_api_from_blueprint(blueprint, routes)`,
a project function given the blueprint and a list of `(path, resource)` tuples. The scan listed
6 of its routes: it followed no blueprint imported by name, and no project function whose
result is assigned (`api = ...`), only one called as a statement. Both are followed now (zou:
593 routes, every one of its 587 route tuples among them). Werkzeug's `import_string`
(`"pkg.views:bp"` or `"pkg.views.bp"`) is read the same way, and so is a function of a module
imported by name (`module.init_app(app)`, udata 17.18's form, where the loop variable's own
name is rebound to the module: it made the scan recurse until Python stopped it).

A project function that makes the app it adds rules to (`app = create_app(server)` in two
modules, opentaxii's) still adds them once: each call makes its own app, one app to the scan.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import describe_difference, scanned_keys, write_tree

BY_NAME = {
    "named_app/__init__.py": """
        import importlib

        from flask import Flask
        from werkzeug.utils import import_string

        BLUEPRINT_MODULES = ["people", "tags"]


        def create_app():
            app = Flask(__name__)
            for module_name in BLUEPRINT_MODULES:
                module = importlib.import_module(f"named_app.blueprints.{module_name}")
                app.register_blueprint(module.blueprint)
            app.register_blueprint(import_string("named_app.blueprints.admin:admin_bp"),
                                   url_prefix="/admin")
            reports = import_string("named_app.blueprints.reports.reports_bp")
            app.register_blueprint(reports)
            init_extensions(app)
            return app


        EXTENSIONS = ("search", "constants")


        def init_extensions(app):
            # udata's form: the loop variable's name is rebound to the module
            for module in EXTENSIONS:
                module = importlib.import_module("named_app.ext.{0}".format(module))
                if hasattr(module, "init_app"):
                    module.init_app(app)
    """,
    "named_app/ext/__init__.py": "",
    "named_app/ext/constants.py": """
        PAGE_SIZE = 20
    """,
    "named_app/ext/search.py": """
        from flask import Blueprint

        search_bp = Blueprint("search", __name__)


        @search_bp.get("/search")
        def search():
            return {"results": []}


        def init_app(app):
            app.register_blueprint(search_bp, url_prefix="/find")
    """,
    "named_app/blueprints/__init__.py": "",
    "named_app/blueprints/people.py": """
        from flask import Blueprint
        from flask.views import MethodView

        from named_app.api import configure_api_from_blueprint


        class PeopleResource(MethodView):
            def get(self):
                return {"people": []}

            def post(self):
                return {"created": True}, 201


        class PersonResource(MethodView):
            def get(self, person_id):
                return {"id": person_id}

            def delete(self, person_id):
                return "", 204


        routes = [
            ("/data/people", PeopleResource),
            ("/data/people/<person_id>", PersonResource),
        ]

        blueprint = Blueprint("people", __name__)
        api = configure_api_from_blueprint(blueprint, routes)
    """,
    "named_app/blueprints/tags.py": """
        from flask import Blueprint
        from flask.views import MethodView

        from named_app.api import configure_api_from_blueprint


        class TagsResource(MethodView):
            def get(self):
                return {"tags": []}


        blueprint = Blueprint("tags", __name__, url_prefix="/v2")
        api = configure_api_from_blueprint(blueprint, [("/tags", TagsResource)])
    """,
    "named_app/blueprints/admin.py": """
        from flask import Blueprint

        admin_bp = Blueprint("admin", __name__)


        @admin_bp.get("/stats")
        def stats():
            return {"users": 3}
    """,
    "named_app/blueprints/reports.py": """
        from flask import Blueprint

        reports_bp = Blueprint("reports", __name__, url_prefix="/reports")


        @reports_bp.get("/daily")
        def daily():
            return {"day": 1}
    """,
    "named_app/api.py": """
        def configure_api_from_blueprint(blueprint, route_tuples):
            for path, resource in route_tuples:
                blueprint.add_url_rule(path, view_func=resource.as_view(resource.__name__))
            return blueprint
    """,
}

FACTORY_CALLED_TWICE = {
    "twice_app/__init__.py": """
        from flask import Flask


        def create_app(server):
            app = Flask(__name__)
            app.add_url_rule("/<path:relative_path>", "services", server.handle_request,
                             methods=["GET", "POST"])
            app.add_url_rule("/health", "health", health)
            return app


        def health():
            return "ok"
    """,
    "twice_app/http.py": """
        from twice_app import create_app
        from twice_app.server import Server

        server = Server()
        app = create_app(server)
    """,
    "twice_app/cli.py": """
        from twice_app import create_app
        from twice_app.server import Server

        server = Server()
        app = create_app(server)
    """,
    "twice_app/server.py": """
        class Server:
            def handle_request(self, relative_path):
                return relative_path
    """,
}


def test_blueprints_imported_by_name_and_helpers_whose_result_is_kept(tmp_path: Path) -> None:
    root = write_tree(tmp_path, BY_NAME)
    scanned = scanned_keys(root / "named_app")
    runtime = runtime_url_map("named_app:create_app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert scanned == {
        ("/data/people", frozenset({"GET", "POST"}), "people.PeopleResource"),
        ("/data/people/<person_id>", frozenset({"GET", "DELETE"}), "people.PersonResource"),
        ("/v2/tags", frozenset({"GET"}), "tags.TagsResource"),
        ("/admin/stats", frozenset({"GET"}), "admin.stats"),
        ("/reports/daily", frozenset({"GET"}), "reports.daily"),
        ("/find/search", frozenset({"GET"}), "search.search"),
    }
    result = scan_path(root / "named_app")
    assert not [d for d in result.diagnostics if d.code == "scan.unresolved_blueprint"]
    people = next(r for r in result.routes if r.rule == "/data/people")
    assert (people.view_module, people.function, people.kind) == (
        "named_app.blueprints.people", "PeopleResource", "method_view")
    # `module.init_app(app)` calls the project's own modules, no extension (it was listed as
    # one named `importlib.import_module` per module: udata's app had 11)
    [app] = result.apps
    assert app.extensions == []


def test_a_factory_called_in_two_modules_adds_its_rules_once(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FACTORY_CALLED_TWICE)
    result = scan_path(root / "twice_app")
    rules = sorted(route.rule for route in result.routes)
    assert rules == ["/<path:relative_path>", "/health"]
    runtime = runtime_url_map("twice_app.http:app", pythonpath=[root])
    assert {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes} == runtime
