"""Two idioms the scan read as nothing.

- A route decorator named by an alias of the app's or blueprint's method: `route = app.route`,
  then `@route("/a")`; `get = bp.get`, then `@get("/b")`. Those routes were not listed, and
  nothing was said.
- A blueprint named after its module: `Blueprint(__name__.split(".")[-1], __name__)` (common in
  real projects; `__name__.rsplit(".", 1)[-1]` likewise). The scan said the name "is computed at
  run time" and kept its routes on Flask with `<unresolved: name>` endpoints.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet

FILES = {
    "__init__.py": '''
from flask import Flask

from .views.items import bp as items_bp
from .views.users import blueprint as users_bp

app = Flask(__name__)
route = app.route
app.register_blueprint(items_bp, url_prefix="/items")
app.register_blueprint(users_bp, url_prefix="/users")


@route("/a")
def a():
    return {"a": True}
''',
    "views/__init__.py": "",
    "views/items.py": '''
from flask import Blueprint

bp = Blueprint(__name__.split(".")[-1], __name__)
get = bp.get


@get("/<int:item_id>")
def item(item_id):
    return {"item": item_id}
''',
    "views/users.py": '''
from flask import Blueprint

blueprint = Blueprint(__name__.rsplit(".", 1)[-1], __name__)


@blueprint.route("/me")
def me():
    return {"me": True}
''',
}


def test_method_aliases_and_module_named_blueprints(tmp_path):
    with converted_snippet(tmp_path, "idioms", FILES, "idioms_fastapi") as (result, _, _):
        scan = result.scan
        from idioms import app

        flask_rules = {(rule.rule, rule.endpoint, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"})))
                       for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
        assert {(r.rule, r.endpoint, tuple(r.methods)) for r in scan.routes} == flask_rules == {
            ("/a", "a", ("GET",)), ("/items/<int:item_id>", "items.item", ("GET",)),
            ("/users/me", "users.me", ("GET",))}
        assert scan.diagnostics == []
        assert {r.status for r in scan.routes} == {"auto"}
        assert len(result.converted) == 3

        from idioms_fastapi.main import create_app

        flask_client = app.test_client()
        with TestClient(create_app(app), base_url="http://localhost") as client:
            for path in ("/a", "/items/4", "/users/me", "/items/x"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path


def test_an_alias_bound_twice_or_a_split_the_scan_cannot_compute(tmp_path):
    (tmp_path / "odd.py").write_text('''
import os

from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint(os.environ["BP"].split(".")[-1], __name__)
route = app.route
if os.environ.get("OTHER"):
    route = bp.route


@route("/a")
def a():
    return "a"
''')
    scan = scan_path(tmp_path)
    assert scan.routes == []  # which object `route` belongs to is decided at run time
    assert [(d.code, d.line, d.message) for d in scan.diagnostics] == [(
        "scan.unresolved_argument", 7,
        'name of `bp`: `os.environ["BP"]` is computed at run time')]


def test_a_split_python_refuses_is_not_read(tmp_path):
    (tmp_path / "refused.py").write_text('''
from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint(__name__.split("")[0], __name__)
other = Blueprint(__name__.split(".")[5], __name__)
''')
    scan = scan_path(tmp_path)  # no crash: ValueError("empty separator") is not the scan's
    assert [(d.code, d.line) for d in scan.diagnostics] == [
        ("scan.unresolved_argument", 5), ("scan.unresolved_argument", 6)]
