"""A path value that a `url_value_preprocessor` takes is not the view's.

Flask's documented i18n pattern registers a blueprint under `/<lang_code>` and pops `lang_code`
into `g` before the view runs, so the views take no `lang_code` parameter. FM001 refused such
routes ("the view takes no parameter 'lang_code'"). When the app or one of the route's
blueprints has a `url_value_preprocessor` (the scan lists the hooks), the route now converts:
the bridge runs the preprocessor as Flask does, with the values Werkzeug's own match gives.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from codemods.path_params import PathParameters
from migrator.model import PathParameter
from tests.example_support import converted_snippet
from tests.test_codemods import run_rule

LEGACY = '''
from flask import Blueprint, Flask, g, url_for

app = Flask(__name__)
bp = Blueprint("i18n", __name__, url_prefix="/<lang_code>")


@bp.url_defaults
def add_language_code(endpoint, values):
    values.setdefault("lang_code", g.lang_code)


@bp.url_value_preprocessor
def pull_lang_code(endpoint, values):
    g.lang_code = values.pop("lang_code")


@bp.get("/about")
def about():
    return {"lang": g.lang_code, "self": url_for(".about")}


@bp.get("/page/<int:n>")
def page(n):
    return {"lang": g.lang_code, "n": n}


@app.get("/plain/<name>")
def plain():
    return {"plain": True}


app.register_blueprint(bp)
'''


def test_fm001_leaves_a_preprocessed_path_value_to_the_preprocessor() -> None:
    code, context = run_rule(PathParameters, "def v(n):\n    return ''\n",
                             [PathParameter("lang_code", "default"), PathParameter("n", "int")])
    assert context.refusals == [("FM001", "the view takes no parameter 'lang_code'")]
    code, context = run_rule(PathParameters, "def v(n):\n    return ''\n",
                             [PathParameter("lang_code", "default"), PathParameter("n", "int")],
                             path_values_preprocessed=True)
    assert context.refusals == []
    assert code == "def v(n: int):\n    return ''\n"


def test_i18n_routes_convert_and_answer_as_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "i18n_app", LEGACY, "i18n_fastapi") as (result, _out, _l):
        assert sorted(view.route.rule for view in result.converted) == [
            "/<lang_code>/about", "/<lang_code>/page/<int:n>"]
        # no preprocessor on the app: a value the view does not take is still refused
        assert [(entry.route.rule, entry.reasons) for entry in result.left] == [
            ("/plain/<name>", ["FM001: the view takes no parameter 'name'"])]
        import i18n_app
        from i18n_fastapi.main import create_app

        flask_client = i18n_app.app.test_client()
        new_app = create_app(i18n_app.app)
        new_app.openapi()
        with TestClient(new_app) as client:
            for path in ("/en/about", "/de/page/3", "/de/page/x", "/en/about/", "/plain/x"):
                legacy_answer, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
            assert client.get("/fr/about").json() == {"lang": "fr", "self": "/fr/about"}
