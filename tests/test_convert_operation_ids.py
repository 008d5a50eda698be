"""Two rules of one endpoint that differ only in a character FastAPI's operationId drops.

zou keeps `/data/entities/guess_from_path` as an alias of `/data/entities/guess-from-path` on one
resource. FastAPI names an operation by the route's name and path with every non-word character
made `_` (`fastapi.utils.generate_unique_id`), so both converted endpoints got
`files_GuessFromPathResource_data_entities_guess_from_path_post`: building the schema warned
"Duplicate Operation ID", and the schema named two operations alike (OpenAPI wants each
operationId unique; client generators make one function of them). The later one now gets the
default with `_2`, written on its decorator; the first keeps FastAPI's own.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings


def warning_free_schema(fastapi_app) -> dict:
    """The app's OpenAPI schema; a warning while it is built (FastAPI warns of a duplicate
    operationId) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fastapi_app.openapi()


LEGACY = '''
from flask import Blueprint, Flask, request
from flask.views import MethodView

files = Blueprint("files", __name__, url_prefix="/data")


class GuessFromPath(MethodView):
    def post(self):
        """Guess the entity a path names."""
        return {"path": (request.get_json(silent=True) or {}).get("path")}


view = GuessFromPath.as_view("GuessFromPathResource")
files.add_url_rule("/entities/guess-from-path", view_func=view)
files.add_url_rule("/entities/guess_from_path", view_func=view)  # the old spelling


@files.get("/item-<int:item_id>")
@files.get("/item_<int:item_id>")
def item(item_id):
    return {"item": item_id}


app = Flask(__name__)
app.register_blueprint(files)
'''


def test_rules_alike_but_for_dashes_get_distinct_operation_ids(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "alias_app", LEGACY, "alias_fastapi") as (
            result, out, legacy):
        assert not result.left
        router = (out / "routers" / "files.py").read_text(encoding="utf-8")
        decorators = [line for line in router.splitlines() if line.startswith("@router.")]
        assert decorators == [
            ('@router.post("/entities/guess-from-path", response_model=GuessFromPathResourceOut, '
             'name="files.GuessFromPathResource", openapi_extra=JSON_BODY)'),
            ('@router.post("/entities/guess_from_path", response_model=GuessFromPathResourceOut, '
             'name="files.GuessFromPathResource", '
             'operation_id="files_GuessFromPathResource_data_entities_guess_from_path_post_2", '
             'openapi_extra=JSON_BODY)'),
            '@router.get("/item-{item_id:int}", response_model=ItemOut, name="files.item")',
            ('@router.get("/item_{item_id:int}", response_model=ItemOut, name="files.item", '
             'operation_id="files_item_data_item__item_id__get_2")'),
        ]
        assert not new_lint_findings(out, legacy.parent, "alias_app")

        import alias_app
        from alias_fastapi.main import create_app

        fastapi_app = create_app(alias_app.app)
        schema = warning_free_schema(fastapi_app)
        operations = [operation["operationId"] for path in schema["paths"].values()
                      for operation in path.values()]
        # the first of each pair keeps FastAPI's own (written by FastAPI: no operation_id)
        assert sorted(operations) == [
            "files_GuessFromPathResource_data_entities_guess_from_path_post",
            "files_GuessFromPathResource_data_entities_guess_from_path_post_2",
            "files_item_data_item__item_id__get", "files_item_data_item__item_id__get_2"]

        flask_client = alias_app.app.test_client()
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            for method, path in (("POST", "/data/entities/guess-from-path"),
                                 ("POST", "/data/entities/guess_from_path"),
                                 ("GET", "/data/item-3"), ("GET", "/data/item_4")):
                old = flask_client.open(path, method=method, json={"path": "/a/b"})
                new = client.request(method, path, json={"path": "/a/b"})
                assert (new.status_code, new.content) == (old.status_code, old.get_data())


DAV = '''
from flask import Flask, request

app = Flask(__name__)


@app.route("/calendar", methods=["GET", "PROPFIND", "REPORT"])
def calendar():
    """A WebDAV collection: its properties, a report, or its listing."""
    return {"method": request.method}
'''


def test_methods_without_a_shortcut_get_a_route_each(tmp_path: Path) -> None:
    """`methods=["GET", "PROPFIND", "REPORT"]` was one `api_route` of three methods, all named
    by one operationId (FastAPI warned "Duplicate Operation ID" twice): each method is now a
    route of its own, `@router.get` and an `api_route` for each method without a shortcut."""
    with converted_snippet(tmp_path, "dav_app", DAV, "dav_fastapi") as (result, out, legacy):
        assert not result.left
        [router_file] = [path for path in (out / "routers").glob("*.py")
                         if path.name != "__init__.py"]
        router = router_file.read_text(encoding="utf-8")
        decorators = [line for line in router.splitlines() if line.startswith("@router.")]
        assert decorators == [
            '@router.get("/calendar", response_model=CalendarOut, name="calendar")',
            ('@router.api_route("/calendar", response_model=CalendarOut, methods=["PROPFIND"], '
             'name="calendar")'),
            ('@router.api_route("/calendar", response_model=CalendarOut, methods=["REPORT"], '
             'name="calendar")'),
        ]
        assert not new_lint_findings(out, legacy.parent, "dav_app")

        import dav_app
        from dav_fastapi.main import create_app

        fastapi_app = create_app(dav_app.app)
        schema = warning_free_schema(fastapi_app)
        assert sorted(operation["operationId"] for operation in
                      schema["paths"]["/calendar"].values()) == [
            "calendar_calendar_get", "calendar_calendar_propfind", "calendar_calendar_report"]

        flask_client = dav_app.app.test_client()
        with TestClient(fastapi_app, base_url="http://localhost") as client:
            for method in ("GET", "PROPFIND", "REPORT", "HEAD", "POST"):
                old = flask_client.open("/calendar", method=method)
                new = client.request(method, "/calendar")
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), \
                    method
