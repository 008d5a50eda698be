"""Blueprints found by walking a package's modules.

Many apps register every blueprint module of a package instead of naming each one: Armin
Ronacher's "Flask for fun and profit" pattern with Werkzeug's `find_modules` and
`import_string`, or `pkgutil.iter_modules` / `pkgutil.walk_packages` over a package's
`__path__` or a folder next to `__file__`, each module imported with `importlib`, and
`hasattr(module, "bp")` or `getattr(module, "blueprint", None)` to skip modules without one,
or, in the package itself, `import_module("." + name, __name__)` over its own `__path__`.
The scan listed none of these routes ("cannot tell which blueprint ... registers", and each
blueprint "never registered"). It now lists what the walk finds among the project's files, in
pkgutil's order, and compares exactly with the url_map the app builds.

Not read (the scan keeps its warnings): a walk of a folder it cannot compute (an absolute path,
a path from the environment, `pathlib` arithmetic), CKAN 2.12's walk, which imports each
module through `loader.find_spec` / `module_from_spec` and picks blueprints with
`inspect.getmembers` and a predicate reading an attribute set elsewhere (`auto_register`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.runtime_urlmap import runtime_routes, runtime_url_map
from tests.scan_support import describe_difference, scanned_keys, write_tree

BLUEPRINT_MODULE = """
    from flask import Blueprint

    {name} = Blueprint("{endpoint}", __name__)


    @{name}.get("{rule}")
    def {endpoint}_view():
        return {{"from": "{endpoint}"}}
"""


def blueprint_module(endpoint: str, rule: str, name: str = "bp") -> str:
    return textwrap.dedent(BLUEPRINT_MODULE.format(name=name, endpoint=endpoint, rule=rule))


WALKS = {
    "walk_app/__init__.py": """
        import importlib
        import os
        import pkgutil

        from flask import Flask
        from werkzeug.utils import find_modules, import_string

        from walk_app import api, extensions, views

        PLUGIN_FOLDER = os.path.join(os.path.dirname(__file__), "plugins")


        def create_app():
            app = Flask(__name__)
            # every module of the views package that has a blueprint, in pkgutil's order
            for _, name, _ in pkgutil.iter_modules(views.__path__):
                module = importlib.import_module(f"{views.__name__}.{name}")
                if hasattr(module, "bp"):
                    app.register_blueprint(module.bp)
            # "Flask for fun and profit": packages too, and what they hold
            for name in find_modules("walk_app.sections", include_packages=True, recursive=True):
                module = import_string(name)
                if hasattr(module, "bp"):
                    app.register_blueprint(module.bp, url_prefix="/admin")
            for info in pkgutil.iter_modules([PLUGIN_FOLDER], "walk_app.plugins."):
                plugin = importlib.import_module(info.name)
                blueprint = getattr(plugin, "blueprint", None)
                if blueprint is not None:
                    app.register_blueprint(blueprint, url_prefix="/plugins")
            for _, name, _ in pkgutil.walk_packages(api.__path__, api.__name__ + "."):
                module = importlib.import_module(name)
                if hasattr(module, "init_app"):
                    module.init_app(app)
            extensions.register(app)
            return app
    """,
    # a package registering its own modules, relative to itself
    "walk_app/extensions/__init__.py": """
        import importlib
        import pkgutil


        def register(app):
            for _, name, _ in pkgutil.iter_modules(__path__):
                module = importlib.import_module("." + name, __name__)
                app.register_blueprint(module.bp, url_prefix="/ext")
    """,
    "walk_app/extensions/search.py": blueprint_module("search", "/search"),
    "walk_app/views/__init__.py": "",
    # two rules for one path: the first registered (`items.py` before `items_v2.py`) wins
    "walk_app/views/items.py": blueprint_module("items", "/items"),
    "walk_app/views/items_v2.py": blueprint_module("items_v2", "/items"),
    "walk_app/views/helpers.py": """
        def page_size():
            return 20
    """,
    "walk_app/views/Zebra.py": blueprint_module("zebra", "/zebra"),
    "walk_app/views/people/__init__.py": blueprint_module("people", "/people"),
    # find_modules lists what a package holds, not the package itself
    "walk_app/sections/__init__.py": blueprint_module("sections", "/sections"),
    "walk_app/sections/admin/__init__.py": blueprint_module("admin_home", "/"),
    "walk_app/sections/admin/users.py": blueprint_module("admin_users", "/users"),
    "walk_app/sections/admin/reports/__init__.py": "",
    "walk_app/sections/admin/reports/daily.py": blueprint_module("admin_daily", "/reports/daily"),
    "walk_app/plugins/__init__.py": "",
    "walk_app/plugins/weather.py": blueprint_module("weather", "/weather", name="blueprint"),
    "walk_app/plugins/no_routes.py": """
        NAME = "nothing here"
    """,
    "walk_app/api/__init__.py": "",
    "walk_app/api/v1/__init__.py": "",
    "walk_app/api/v1/stock.py": blueprint_module("stock", "/stock") + """

def init_app(app):
    app.register_blueprint(bp, url_prefix="/api/v1")
""",
}


def test_blueprints_of_walked_packages_are_listed_as_flask_registers_them(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path, WALKS)
    scanned = scanned_keys(root / "walk_app")
    runtime = runtime_url_map("walk_app:create_app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert {rule for rule, _, _ in scanned} == {
        "/items", "/zebra", "/people", "/admin/", "/admin/users", "/admin/reports/daily",
        "/plugins/weather", "/api/v1/stock", "/ext/search"}
    # each walk registers in pkgutil's order (`Zebra.py` before `helpers.py`, `items.py`
    # before `items_v2.py`), as Flask's url_map has them: of the two `/items` rules, the
    # scan's first is the one Flask answers with
    result = scan_path(root / "walk_app")
    order = [route.endpoint for route in result.routes]
    flask_order = [route.endpoint
                   for route in runtime_routes("walk_app:create_app", pythonpath=[root])]
    views = ["zebra.zebra_view", "items.items_view", "items_v2.items_v2_view",
             "people.people_view"]
    sections = ["admin_home.admin_home_view", "admin_daily.admin_daily_view",
                "admin_users.admin_users_view"]
    for walked in (views, sections):
        assert [e for e in order if e in walked] == [e for e in flask_order if e in walked] \
            == walked
    # the modules without a blueprint cost no warning; the one blueprint Flask never
    # registers (the walked package's own) is named
    warnings = [d for d in result.diagnostics if d.severity == "warning"]
    assert [(d.code, d.file) for d in warnings] == [
        ("scan.blueprint_not_registered", "sections/__init__.py")]


# the module an import returns, used at once: `import_string(name).bp`, and lektor 3.3.14's
# builtin `__import__(name, None, None, ["bp"]).bp` (with a non-empty fromlist, `__import__`
# returns the module itself; with none, its top-level package)
INLINE_IMPORT_WALKS = {
    "inline_app/__init__.py": """
        from flask import Flask
        from werkzeug.utils import find_modules, import_string


        def create_app():
            app = Flask(__name__)
            for name in find_modules("inline_app.pages"):
                app.register_blueprint(import_string(name).bp)
            for module in find_modules("inline_app.admin"):
                app.register_blueprint(__import__(module, None, None, ["bp"]).bp,
                                       url_prefix="/admin")
            return app
    """,
    "inline_app/pages/__init__.py": "",
    "inline_app/pages/home.py": blueprint_module("home", "/"),
    "inline_app/pages/about.py": blueprint_module("about", "/about"),
    "inline_app/admin/__init__.py": "",
    "inline_app/admin/users.py": blueprint_module("users", "/users"),
    "inline_app/admin/stats.py": blueprint_module("stats", "/stats"),
}


def test_a_walk_that_uses_the_imported_module_at_once_is_read(tmp_path: Path) -> None:
    root = write_tree(tmp_path, INLINE_IMPORT_WALKS)
    scanned = scanned_keys(root / "inline_app")
    runtime = runtime_url_map("inline_app:create_app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert {rule for rule, _, _ in scanned} == {"/", "/about", "/admin/users", "/admin/stats"}
    result = scan_path(root / "inline_app")
    assert [d.code for d in result.diagnostics if d.severity == "warning"] == []

    # `__import__` without a fromlist returns the top-level package, which has no `bp`
    top_level = {**INLINE_IMPORT_WALKS, "inline_app/__init__.py": INLINE_IMPORT_WALKS[
        "inline_app/__init__.py"].replace('(module, None, None, ["bp"])', "(module)")}
    result = scan_path(write_tree(tmp_path / "top", top_level) / "inline_app")
    assert {route.rule for route in result.routes} == {"/", "/about"}
    assert "scan.unresolved_blueprint" in [d.code for d in result.diagnostics]


UNREAD_WALKS = {
    "far_app/__init__.py": """
        import importlib
        import os
        import pkgutil

        from flask import Flask


        def create_app():
            app = Flask(__name__)
            folder = os.environ.get("PLUGINS", "/srv/plugins")
            for _, name, _ in pkgutil.iter_modules([folder]):
                module = importlib.import_module(name)
                app.register_blueprint(module.bp)
            return app
    """,
    "far_app/views.py": blueprint_module("views", "/v"),
}


def test_a_walk_of_a_folder_the_scan_cannot_compute_keeps_its_warnings(tmp_path: Path) -> None:
    root = write_tree(tmp_path, UNREAD_WALKS)
    result = scan_path(root / "far_app")
    assert result.routes == []
    codes = sorted(d.code for d in result.diagnostics if d.severity == "warning")
    assert codes == ["scan.blueprint_not_registered", "scan.unresolved_blueprint"]


def test_walked_blueprints_convert_and_answer_as_in_flask(tmp_path: Path, monkeypatch) -> None:
    files = {name.removeprefix("walk_app/"): text for name, text in WALKS.items()}
    with converted_snippet(tmp_path, "walk_app", files, "walk_fastapi") as (result, _, _):
        assert result.left == []
        import walk_app
        from walk_fastapi.main import create_app

        legacy = walk_app.create_app()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "walk_fastapi")
        flask_client = legacy.test_client()
        rules = ["/items", "/zebra", "/people", "/admin/", "/admin/users",
                 "/admin/reports/daily", "/plugins/weather", "/api/v1/stock", "/ext/search",
                 "/sections"]
        with TestClient(create_app(legacy), base_url="http://localhost") as client:
            for rule in rules:
                old, new = flask_client.get(rule), client.get(rule)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), rule
        assert flask_client.get("/items").json == {"from": "items"}
        # every rule but the one Flask never registered is answered by a converted route
        assert mounted == ["/sections"]
