"""A Blueprint subclass whose `__init__` sets the prefix the call does not pass.

pgAdmin 4 9.18 makes every module with `class PgAdminModule(Blueprint)`, whose `__init__` does
`kwargs.setdefault('url_prefix', '/' + name)`. The scan read the prefix from the call only, and
listed 114 of pgAdmin's rules without theirs (`/` for `/about/`); a route of such a blueprint was
`auto`, converted, and the generated app's start-up check had to hand it back to Flask (its
OpenAPI schema documenting a path that answers 404). A project `__init__` that names
`url_prefix` now makes the prefix unknown: the routes are listed as `<unresolved:
url_prefix>/...`, stay on Flask, and the prefix can be stated. A subclass whose `__init__`
only passes its arguments on keeps the call's prefix (ground truth: the real Flask app).
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import listed_rules, registered_endpoints, write_tree

MODULES = '''
from flask import Blueprint, Flask


class Module(Blueprint):
    def __init__(self, name, import_name, **kwargs):
        kwargs.setdefault("url_prefix", "/" + name)
        super().__init__(name, import_name, **kwargs)


class AboutModule(Module):
    """A module of a module class: the prefix is still Module's."""


class Plain(Blueprint):
    def __init__(self, *args, **kwargs):
        self.extra = []
        super().__init__(*args, **kwargs)


admin = Module("admin", __name__)
about = AboutModule("about", __name__)
other = Plain("other", __name__, url_prefix="/o")


@admin.route("/hello")
def hello():
    return {"hello": True}


@about.route("/")
def index():
    return {"about": True}


@other.route("/x")
def x():
    return {"x": True}


app = Flask(__name__)
app.register_blueprint(admin)
app.register_blueprint(about)
app.register_blueprint(other)
'''


def test_a_prefix_the_subclass_sets_is_unknown(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"mods/__init__.py": MODULES})
    result = scan_path(root)
    runtime = registered_endpoints(tmp_path, "mods", lambda mods: mods.app)
    assert runtime == {"/admin/hello": "admin.hello", "/about/": "about.index", "/o/x": "other.x"}
    assert listed_rules(result.routes) == {
        ("<unresolved: url_prefix>/hello", "admin.hello"),
        ("<unresolved: url_prefix>/", "about.index"), ("/o/x", "other.x")}
    by_rule = {route.endpoint: route for route in result.routes}
    assert by_rule["admin.hello"].status == "manual"
    assert by_rule["admin.hello"].reasons == [(
        "scan.unresolved_registration: the url_prefix of Blueprint 'admin' (mods/__init__.py:20) "
        "is set by Module.__init__ (mods/__init__.py:5), which the scan does not read, so the "
        "route's full rule is known only at run time; the route stays on Flask (if every "
        "deployment uses one prefix, state it in pyproject.toml: "
        "`[tool.migrate.blueprint-prefixes]` `admin = \"/...\"`)")]
    assert by_rule["other.x"].status == "auto"


def test_a_stated_prefix_converts_the_routes(tmp_path: Path) -> None:
    files = {"__init__.py": MODULES}
    stated = '[tool.migrate.blueprint-prefixes]\nadmin = "/admin"\nabout = "/about"\n'
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "pyproject.toml").write_text(stated, encoding="utf-8")
    with converted_snippet(tmp_path, "mods_app", files, "mods_fastapi") as (result, _, _):
        assert sorted(view.route.rule for view in result.converted) == [
            "/about/", "/admin/hello", "/o/x"]
        from mods_app import app as legacy_app
        from mods_fastapi.main import create_app

        app = create_app(legacy_app)
        assert app.state.legacy_views_changed == {}
        with TestClient(app, base_url="http://localhost") as client:
            for path in ("/admin/hello", "/about/", "/o/x", "/hello", "/"):
                old, new = legacy_app.test_client().get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
