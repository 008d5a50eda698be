"""A prefix held in a name of the factory that uses it.

    def create_app():
        app = Flask(__name__)
        api_prefix = "/api/v1"
        app.register_blueprint(bp, url_prefix=api_prefix)

The scan bound no local data of a function, so it said "`api_prefix` is not a constant the scan
can read" and kept every route of the blueprint on Flask under `<unresolved: url_prefix>`
(FlexMeasures 1.0.1 registers its 30-odd Flask-Classful API routes with `route_prefix=
v3_0_api_prefix`). A text the function's only binding of the name gives it is now read; a name
bound twice is still not guessed, and neither is a module's constant that a function declares
`global` (which the scan read as the module's value).
"""

from __future__ import annotations

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import assert_answered_alike, converted_snippet
from tests.scan_support import listed_rules, served_rules

FILES = {
    "bps.py": '''
from flask import Blueprint
from flask_classful import FlaskView

items_bp = Blueprint("items", __name__)
tags_bp = Blueprint("tags", __name__)
users_bp = Blueprint("users", __name__)

API_VERSION = "v2"


@items_bp.get("/items")
def items():
    return {"items": []}


@tags_bp.get("/tags")
def tags():
    return {"tags": []}


@users_bp.get("/users")
def users():
    return {"users": []}


class QuotesView(FlaskView):
    def index(self):
        return {"quotes": []}
''',
    "__init__.py": '''
from flask import Flask

from .bps import API_VERSION, QuotesView, items_bp, tags_bp, users_bp


def register_versions(app):
    for version in ("v3", "v4"):
        versioned = f"/api/{version}"  # a text made of the loop's item, on each turn
        app.register_blueprint(users_bp, url_prefix=versioned, name=f"users_{version}")


def create_app():
    app = Flask(__name__)
    api_prefix = "/api/v1"
    app.register_blueprint(items_bp, url_prefix=api_prefix)
    current = "/api/" + API_VERSION
    app.register_blueprint(tags_bp, url_prefix=current)
    QuotesView.register(app, route_prefix=api_prefix)
    register_versions(app)
    return app
''',
}


def test_a_prefix_in_a_local_name_is_read(tmp_path):
    with converted_snippet(tmp_path, "locals", FILES, "locals_fastapi") as (result, _, _):
        scan = result.scan
        from locals import create_app as create_legacy

        legacy_app = create_legacy()
        flask_rules = served_rules(legacy_app)
        assert listed_rules(scan.routes) == flask_rules == {
            ("/api/v1/items", "items.items"), ("/api/v2/tags", "tags.tags"),
            ("/api/v1/quotes/", "QuotesView:index"), ("/api/v3/users", "users_v3.users"),
            ("/api/v4/users", "users_v4.users")}
        assert scan.diagnostics == []
        # Flask-Classful's views stay on Flask (convert.kind_flask_classful): listed with their
        # full rule, and answered through the fallback
        assert sorted(view.route.rule for view in result.converted) == [
            "/api/v1/items", "/api/v2/tags", "/api/v3/users", "/api/v4/users"]

        from locals_fastapi.main import create_app

        flask_client = legacy_app.test_client()
        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            assert_answered_alike(flask_client, client,
                                  [("GET", rule) for rule, _ in sorted(flask_rules)])
        assert all(flask_client.get(rule).status_code == 200 for rule, _ in flask_rules)


def test_a_name_with_another_value_somewhere_is_not_guessed(tmp_path):
    (tmp_path / "rebound.py").write_text('''
from flask import Blueprint, Flask

a_bp = Blueprint("a", __name__)
b_bp = Blueprint("b", __name__)
c_bp = Blueprint("c", __name__)
d_bp = Blueprint("d", __name__)
PREFIX = "/module"


@a_bp.get("/x")
def ax():
    return "a"


@b_bp.get("/x")
def bx():
    return "b"


@c_bp.get("/x")
def cx():
    return "c"


@d_bp.get("/x")
def dx():
    return "d"


def add_a(app):
    prefix = "/one"
    app.register_blueprint(a_bp, url_prefix=prefix)
    prefix = "/two"


def add_b(app):
    prefix = "/one"
    prefix += "/more"
    app.register_blueprint(b_bp, url_prefix=prefix)


def add_c(app, prefix="/given"):
    app.register_blueprint(c_bp, url_prefix=prefix)
    prefix = "/later"


def add_d(app):
    global PREFIX
    PREFIX = "/global"
    app.register_blueprint(d_bp, url_prefix=PREFIX)


app = Flask(__name__)
add_a(app)
add_b(app)
add_c(app)
add_d(app)
''')
    scan = scan_path(tmp_path)
    # add_c reads its parameter's default before it gives the name another value, as Flask does
    assert sorted((r.rule, r.endpoint, r.status) for r in scan.routes) == [
        ("/given/x", "c.cx", "auto"), ("<unresolved: url_prefix>/x", "a.ax", "manual"),
        ("<unresolved: url_prefix>/x", "b.bx", "manual"),
        ("<unresolved: url_prefix>/x", "d.dx", "manual")]
    assert sorted((d.code, d.line) for d in scan.diagnostics) == [
        ("scan.unresolved_argument", 33), ("scan.unresolved_argument", 40),
        ("scan.unresolved_argument", 51)]
    assert "`PREFIX` may be given another value at run time by a function of rebound.py " \
           "(`global PREFIX`)" in scan.diagnostics[2].message
