"""A converted view never reads a name as something other than what it read in Flask.

Rules import FastAPI names (`HTTPException` for FM004, `Query`, ...) into the router, and a
router is one module for all the views of a blueprint. Before these checks, a view reading
Werkzeug's `HTTPException` (`except HTTPException as e: e.code`) shared the router with a view
whose `abort()` became FastAPI's `raise HTTPException(...)`: one import hid the other, and one of
the two views answered 500. An `abort()` inside a `try` also became an exception its
`except NotFound:` no longer caught. Now FM004 leaves such aborts as they are, and a view that
needs a name its router already imports from elsewhere imports it under a name of its own, which
it reads instead: the project's own (each view module's `app` or `log`: `facts_app`), or a
library's (FastAPI's `HTTPException` beside Werkzeug's: `fastapi_HTTPException`). Such a view
stayed on Flask before (`convert.name_clash`, 10 of OctoPrint's routes); it still does where the
name cannot be renamed (read in a string annotation, bound with `global`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

LEGACY = '''
from flask import Flask, abort, request
from werkzeug.exceptions import HTTPException, NotFound

app = Flask(__name__)


@app.get("/caught")
def caught():
    try:
        abort(404)
    except NotFound:
        return {"caught": "not found"}


@app.get("/caught-any")
def caught_any():
    try:
        abort(400, "bad")
    except HTTPException as error:
        return {"caught": error.code, "description": error.description}


@app.get("/code")
def by_code():
    if request.args.get("c") == "418":
        abort(418)
    abort(404)
'''


def test_views_read_what_they_read_in_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "clash_app", LEGACY, "clash_fastapi") as (
            result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/caught", "/caught-any", "/code"]
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "from werkzeug.exceptions import HTTPException, NotFound\n" in router
        assert "from fastapi import HTTPException as fastapi_HTTPException\n" in router
        assert ('        raise fastapi_HTTPException(status_code=418)\n'
                '    raise fastapi_HTTPException(status_code=404)\n') in router
        assert "    except HTTPException as error:\n" in router
        assert not new_lint_findings(out, _legacy.parent, "clash_app")
        import clash_app
        from clash_fastapi.main import create_app

        flask_client = clash_app.app.test_client()
        with TestClient(create_app(clash_app.app)) as client:
            for path in ("/caught", "/caught-any", "/code", "/code?c=418"):
                legacy_answer, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path


QUERY_CLASH = {
    "__init__.py": """
from flask import Flask

app = Flask(__name__)

from . import views  # noqa: E402,F401
""",
    "models.py": """
class Query:
    \"\"\"The project's own query object (as SQLAlchemy's and TinyDB's are named).\"\"\"

    def __init__(self, term=""):
        self.term = term

    def __eq__(self, other):
        return {"matches": other}
""",
    "views.py": """
from flask import request

from . import app
from .models import Query


@app.get("/search")
def search():
    return {"term": Query(request.args.get("q", "")).term}


@app.get("/find")
def find():
    # reads Query (the project's) and no request value: it keeps the router's plain import
    return Query() == "x"


@app.get("/page")
def page():
    # its rule-made parameter needs fastapi's Query, which the router binds to the project's
    return {"page": request.args.get("page", "1")}
""",
}


def test_a_rule_made_parameter_names_fastapi_query_where_the_view_reads_its_own(
        tmp_path: Path) -> None:
    """`Query` from fastapi, for the parameters a rule adds, next to the project's `Query`
    (in the same view, or in another view of the router): the parameters write `fastapi.Query`
    and the view bodies keep reading the project's class. Before, such routes stayed on Flask
    (convert.name_clash)."""
    with converted_snippet(tmp_path, "query_app", QUERY_CLASH, "query_fastapi") as (
            result, out, _legacy):
        assert not result.left
        assert sorted(view.route.rule for view in result.converted) == ["/find", "/page", "/search"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "import fastapi\n" in router
        assert "from query_app.models import Query\n" in router
        assert "from fastapi import APIRouter\n" in router
        assert 'def search(*, q: Annotated[str, fastapi.Query()] = ""):' in router
        assert "return {\"term\": Query(q).term}" in router
        assert 'def page(*, page: Annotated[str, fastapi.Query()] = "1"):' in router
        assert not new_lint_findings(out, _legacy.parent, "query_app")
        import query_app
        from query_fastapi.main import create_app

        flask_client = query_app.app.test_client()
        with TestClient(create_app(query_app.app)) as client:
            for path in ("/search?q=x", "/search", "/find", "/page?page=3", "/page"):
                legacy_answer, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
            assert {p["name"] for p in client.get("/openapi.json").json()["paths"]["/search"]
                    ["get"]["parameters"]} == {"q"}


MODULE_NAMES = {
    "__init__.py": """
from flask import Flask

app = Flask(__name__)
LOG = []


def get_app():
    return app


from .views import catalogs, facts  # noqa: E402,F401
""",
    "views/catalogs.py": """
import logging

from .. import LOG, get_app

app = get_app()
log = logging.getLogger(__name__)


@app.get("/catalogs")
def catalogs():
    LOG.append(log.name)
    return {"catalogs": app.name}
""",
    "views/facts.py": """
import logging

from .. import LOG, get_app

app = get_app()
log = logging.getLogger(__name__)
facts_app = "taken"  # the alias the converter picks first is a name this module has


@app.get("/facts/<name>")
def facts(name):
    def inner(log="local"):  # a local of the same name stays
        return log
    LOG.append(log.name)
    return {"fact": name, "app": app.name, "inner": inner(), "taken": facts_app}
""",
}


def test_views_of_several_modules_keep_their_own_module_names(tmp_path: Path) -> None:
    """puppetboard 7: each view module binds `app = get_app()` (and most Flask projects bind
    `log = logging.getLogger(__name__)` per module); views of one blueprint from two modules read
    `app` and `log` as two different names of the project, which one router cannot import under
    one name: the second view stayed on Flask. It now imports them under names of their own."""
    with converted_snippet(tmp_path, "names_app", MODULE_NAMES, "names_fastapi") as (
            result, out, legacy):
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "from names_app.views.catalogs import app\n" in router
        assert ("from names_app.views.facts import app as facts_app_2\n"
                "from names_app.views.facts import facts_app\n") in router
        # each module's logger is made in the router (tests/test_router_loggers.py)
        assert ('log = logging.getLogger("names_app.views.catalogs")\n'
                'log_facts = logging.getLogger("names_app.views.facts")\n') in router
        assert ('        return log\n    LOG.append(log_facts.name)\n    return {"fact": name, '
                '"app": facts_app_2.name, "inner": inner(), "taken": facts_app}\n') in router
        assert not new_lint_findings(out, legacy.parent, "names_app")
        import names_app
        from names_fastapi.main import create_app

        flask_client = names_app.app.test_client()
        with TestClient(create_app(names_app.app), base_url="http://localhost") as client:
            for path in ("/catalogs", "/facts/os"):
                names_app.LOG.clear()
                old = flask_client.get(path)
                flask_log = list(names_app.LOG)
                names_app.LOG.clear()
                new = client.get(path)
                assert (new.status_code, new.content, names_app.LOG) == (
                    old.status_code, old.get_data(), flask_log), path


BLUEPRINTS_NAMED_ALIKE = {
    "__init__.py": '''
from flask import Flask

from .views import api_lower, api_upper, app_blueprint, health_check

app = Flask(__name__)
app.register_blueprint(health_check, url_prefix="/healthcheck")
app.register_blueprint(api_lower, url_prefix="/v1")
app.register_blueprint(api_upper, url_prefix="/v2")
app.register_blueprint(app_blueprint, url_prefix="/app")


@app.get("/")
def index():
    return {"at": "index"}
''',
    "views.py": '''
from flask import Blueprint

health_check = Blueprint("healthCheck", __name__)
api_lower = Blueprint("api", __name__)
api_upper = Blueprint("API", __name__)
app_blueprint = Blueprint("app", __name__)


@health_check.get("/")
def health():
    return {"at": "healthCheck"}


@api_lower.get("/items")
def items_v1():
    return {"at": "api"}


@api_upper.get("/items")
def items_v2():
    return {"at": "API"}


@app_blueprint.get("/home")
def home():
    return {"at": "app"}
''',
}


def test_router_modules_are_lower_case_and_one_per_blueprint(tmp_path: Path,
                                                              monkeypatch) -> None:
    """lemur's `healthCheck` blueprint went to `routers/healthCheck.py`, a module name ruff's
    N999 refuses. Module names are lower case with underscores now; blueprints whose names
    then read alike (`api` and `API`, or `app` beside the app's own routes, both
    `app_routes` before) each keep a router of their own instead of one overwriting the
    other."""
    from tests.example_support import paths_the_legacy_mount_serves

    with converted_snippet(tmp_path, "alike_app", BLUEPRINTS_NAMED_ALIKE, "alike_fastapi") as (
            result, out, legacy):
        assert len(result.converted) == 5
        assert sorted(path.name for path in (out / "routers").glob("*.py")) == [
            "__init__.py", "api.py", "api_2.py", "app_routes.py", "app_routes_2.py",
            "health_check.py"]
        assert not new_lint_findings(out, legacy.parent, "alike_app")
        import alike_app
        from alike_fastapi.main import create_app

        mounted = paths_the_legacy_mount_serves(monkeypatch, "alike_fastapi")
        flask_client = alike_app.app.test_client()
        with TestClient(create_app(alike_app.app)) as client:
            for path in ("/", "/healthcheck/", "/v1/items", "/v2/items", "/app/home"):
                assert client.get(path).json() == flask_client.get(path).get_json(), path
        assert mounted == []
