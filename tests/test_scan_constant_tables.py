"""Prefixes kept in a config class, and blueprints kept in a dict.

- `app.register_blueprint(bp, url_prefix=Config.API_PREFIX)`, `class Config: API_PREFIX =
  "/api/v2"` (inherited attributes included): the scan said "`Config.API_PREFIX` is not a
  constant the scan can read" and kept the routes on Flask with an `<unresolved: url_prefix>`.
- `for prefix, bp in BLUEPRINTS.items(): app.register_blueprint(bp, url_prefix=prefix)` over a
  dict display (`.keys()`, `.values()`, or the dict itself likewise): "cannot tell which
  blueprint ... registers", and the blueprints were "never registered".
"""

from __future__ import annotations

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import listed_rules, served_rules

FILES = {
    "config.py": '''
class Config:
    API_PREFIX = "/api/v2"
    ADMIN_PREFIX = API_PREFIX + "/admin"


class ProductionConfig(Config):
    DEBUG = False
''',
    "tables.py": '''
from .bps import d_bp, e_bp

MORE = {"/d": d_bp, "/e": e_bp}
''',
    "bps.py": '''
from flask import Blueprint

a_bp = Blueprint("a", __name__)
b_bp = Blueprint("b", __name__)
c_bp = Blueprint("c", __name__)
d_bp = Blueprint("d", __name__)
e_bp = Blueprint("e", __name__)
f_bp = Blueprint("f", __name__, url_prefix="/f")
g_bp = Blueprint("g", __name__, url_prefix="/g")


@a_bp.get("/x")
def ax():
    return {"bp": "a"}


@b_bp.get("/x")
def bx():
    return {"bp": "b"}


@c_bp.get("/x")
def cx():
    return {"bp": "c"}


@d_bp.get("/x")
def dx():
    return {"bp": "d"}


@e_bp.get("/x")
def ex():
    return {"bp": "e"}


@f_bp.get("/x")
def fx():
    return {"bp": "f"}


@g_bp.get("/x")
def gx():
    return {"bp": "g"}
''',
    "__init__.py": '''
from flask import Flask

from .bps import a_bp, b_bp, c_bp, f_bp, g_bp
from .config import ProductionConfig
from .tables import MORE

BLUEPRINTS = {"/a": a_bp, "/b": b_bp}
BY_NAME = {"f": f_bp, "g": g_bp}


def create_app():
    app = Flask(__name__)
    for prefix, bp in BLUEPRINTS.items():
        app.register_blueprint(bp, url_prefix=prefix)
    for prefix, bp in MORE.items():
        app.register_blueprint(bp, url_prefix=ProductionConfig.API_PREFIX + prefix)
    for bp in BY_NAME.values():
        app.register_blueprint(bp)
    app.register_blueprint(c_bp, url_prefix=ProductionConfig.ADMIN_PREFIX)
    return app
''',
}


def test_config_class_prefixes_and_dicts_of_blueprints(tmp_path):
    with converted_snippet(tmp_path, "tables", FILES, "tables_fastapi") as (result, _, _):
        scan = result.scan
        from tables import create_app as create_legacy

        legacy_app = create_legacy()
        flask_rules = served_rules(legacy_app)
        assert listed_rules(scan.routes) == flask_rules == {
            ("/a/x", "a.ax"), ("/b/x", "b.bx"), ("/api/v2/admin/x", "c.cx"),
            ("/api/v2/d/x", "d.dx"), ("/api/v2/e/x", "e.ex"), ("/f/x", "f.fx"),
            ("/g/x", "g.gx")}
        assert scan.diagnostics == []
        assert len(result.converted) == 7

        from tables_fastapi.main import create_app

        flask_client = legacy_app.test_client()
        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            for rule, _ in sorted(flask_rules):
                old, new = flask_client.get(rule), client.get(rule)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), rule
                assert old.status_code == 200


def test_a_dict_or_attribute_known_only_at_run_time_is_not_guessed(tmp_path):
    (tmp_path / "runtime.py").write_text('''
import os

from flask import Blueprint, Flask

a_bp = Blueprint("a", __name__)
b_bp = Blueprint("b", __name__)


@a_bp.get("/x")
def ax():
    return "a"


@b_bp.get("/x")
def bx():
    return "b"


class Config:
    PREFIX = os.environ.get("PREFIX", "/b")


if os.environ.get("LEGACY"):
    TABLE = {"/old": a_bp}
else:
    TABLE = {"/new": a_bp}

app = Flask(__name__)
for prefix, bp in TABLE.items():
    app.register_blueprint(bp, url_prefix=prefix)
app.register_blueprint(b_bp, url_prefix=Config.PREFIX)
''')
    scan = scan_path(tmp_path)
    assert [(r.rule, r.status) for r in scan.routes] == [("<unresolved: url_prefix>/x", "manual")]
    assert sorted((d.code, d.line) for d in scan.diagnostics) == [
        ("scan.blueprint_not_registered", 6), ("scan.unresolved_argument", 32),
        ("scan.unresolved_blueprint", 31)]


def test_a_loop_over_the_dict_itself_reads_its_keys(tmp_path):
    (tmp_path / "keys.py").write_text('''
from flask import Blueprint, Flask

a_bp = Blueprint("a", __name__)
b_bp = Blueprint("b", __name__)


@a_bp.get("/x")
def ax():
    return "a"


@b_bp.get("/x")
def bx():
    return "b"


PREFIXES = {a_bp: "/one", b_bp: "/two"}
app = Flask(__name__)
for bp in PREFIXES:
    app.register_blueprint(bp, url_prefix="/k")
''')
    scan = scan_path(tmp_path)
    assert sorted((r.rule, r.endpoint) for r in scan.routes) == [("/k/x", "a.ax"),
                                                                   ("/k/x", "b.bx")]
    assert scan.diagnostics == []
