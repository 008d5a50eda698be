"""A decorator reached through an attribute the project sets on the app, or through an alias.

Specter Desktop 2.1.11 sets `app.csrf = csrf` (`csrf = CSRFProtect()`) in its factory, and its
views, imported in the factory's `app.app_context()`, write `@app.csrf.exempt` with `app` being
`flask.current_app`. The scan named that decorator `flask.current_app.csrf.exempt`, which it
cannot show safe, and kept 21 routes on Flask. Where the project sets that attribute of the app
once, to a name or a third-party object, the decorator is what the rest names there: here
Flask-WTF's `exempt` (FM024), and the converted routes answer as Flask's, token or not.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

FACTORY = '''
from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "s"
    csrf.init_app(app)
    app.csrf = csrf
    with app.app_context():
        from csrf_ctx import views
        app.register_blueprint(views.bp)
    return app
'''

VIEWS = '''
from flask import Blueprint
from flask import current_app as app
from flask import request

bp = Blueprint("views", __name__)


@bp.route("/hook", methods=["POST"])
@app.csrf.exempt
def hook():
    """A webhook: no form, no token."""
    return {"got": request.form.get("x")}


@bp.route("/form", methods=["POST"])
def form():
    return {"got": request.form.get("x")}
'''


def test_current_app_attribute_set_in_the_factory(tmp_path: Path) -> None:
    files = {"__init__.py": FACTORY, "views.py": VIEWS}
    with converted_snippet(tmp_path, "csrf_ctx", files, "csrf_ctx_fastapi") as (result, out, _):
        assert sorted(view.route.rule for view in result.converted) == ["/form", "/hook"]
        hook = next(route for route in result.scan.routes if route.rule == "/hook")
        assert hook.reasons[0].startswith("FM024 decorator:exempt (flask-wtf)")
        router = (out / "routers" / "views.py").read_text(encoding="utf-8")
        assert "# FM024: @app.csrf.exempt marks the legacy view by name" in router
        assert "@app.csrf.exempt" not in router.replace("# FM024: @app.csrf.exempt", "")
        from csrf_ctx_fastapi.main import create_app

        app = create_app()
        flask_client = app.state.legacy_flask_app.test_client()
        with TestClient(app, base_url="http://localhost") as client:
            for path in ("/hook", "/form"):
                old = flask_client.post(path, data={"x": "1"})
                new = client.post(path, data={"x": "1"})
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert client.post("/hook", data={"x": "1"}).json() == {"got": "1"}
            assert client.post("/form", data={"x": "1"}).status_code == 400  # no CSRF token


MODULE_APP = '''
from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
app.csrf = CSRFProtect(app)


@app.post("/hook")
@app.csrf.exempt
def hook():
    return {"got": request.form.get("x")}
'''


def statuses(root: Path) -> dict[str, str]:
    return {route.rule: route.status for route in scan_path(root).routes}


def test_an_attribute_set_to_a_third_party_object_on_a_module_app(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app.py": MODULE_APP})
    [route] = scan_path(root).routes
    assert (route.rule, route.status) == ("/hook", "assisted")
    assert route.reasons[0].startswith("FM024 decorator:exempt (flask-wtf)")


def test_an_attribute_set_twice_or_on_an_unknown_object_is_not_read(tmp_path: Path) -> None:
    twice = MODULE_APP.replace(
        "app.csrf = CSRFProtect(app)\n",
        "app.csrf = CSRFProtect(app)\nif app.debug:\n    app.csrf = object()\n")
    assert statuses(write_tree(tmp_path / "twice", {"app.py": twice})) == {"/hook": "manual"}
    # `holder` may be the app: which object's attribute is set is not known
    unknown = MODULE_APP.replace(
        "app.csrf = CSRFProtect(app)\n",
        "app.csrf = CSRFProtect(app)\n\n\ndef swap(holder):\n    holder.csrf = object()\n")
    assert statuses(write_tree(tmp_path / "unknown", {"app.py": unknown})) == {"/hook": "manual"}
    # an object of a class that is no Flask app is not the app
    method = MODULE_APP + "\n\nclass Form:\n    def __init__(self):\n        self.csrf = None\n"
    assert statuses(write_tree(tmp_path / "method", {"app.py": method})) == {"/hook": "assisted"}
    # a test's assignment runs in no app production serves
    in_test = {"app.py": MODULE_APP, "tests/test_app.py": "from app import app\n\n"
               "app.csrf = object()\n"}
    assert statuses(write_tree(tmp_path / "in_test", in_test)) == {"/hook": "assisted"}


ALIASED = '''
import os

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
csrf = CSRFProtect(app)
csrf_exempt = csrf.exempt


@app.post("/hook")
@csrf_exempt
def hook():
    return {"got": request.form.get("x")}


@app.post("/form")
def form():
    return {"got": request.form.get("x")}
'''


def test_a_decorator_named_by_an_alias_is_what_the_alias_names(tmp_path: Path) -> None:
    """pyLoad 0.5: `csrf_exempt = csrf.exempt`, then `@csrf_exempt` on 11 views, each kept on
    Flask as "an unresolved name"."""
    with converted_snippet(tmp_path, "aliased_app", ALIASED, "aliased_fastapi") as (
            result, out, _):
        assert sorted(view.route.rule for view in result.converted) == ["/form", "/hook"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "# FM024: @csrf_exempt marks the legacy view by name" in router
        from aliased_app import app as legacy_app
        from aliased_fastapi.main import create_app

        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            for path in ("/hook", "/form"):
                old = legacy_app.test_client().post(path, data={"x": "1"})
                new = client.post(path, data={"x": "1"})
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert client.post("/form", data={"x": "1"}).status_code == 400
    # an alias bound differently on two paths is known at run time only
    branching = ALIASED.replace(
        "csrf_exempt = csrf.exempt\n",
        "if os.environ.get('STRICT'):\n    csrf_exempt = csrf.protect\n"
        "else:\n    csrf_exempt = csrf.exempt\n")
    assert statuses(write_tree(tmp_path / "branching", {"app.py": branching}))["/hook"] \
        == "manual"
