"""A `MethodView` method inherited from a project base class in another module.

INGInious's pages (`class IndexPage(INGIniousStaticPage)`, whose `get` is defined in
`pages/utils.py`: `return self.GET(*args, **kwargs)`) and some of zou's resources stayed on Flask
with `convert.inherited_method`: convert reads a class's methods along single inheritance within
its own module only. The scan makes sure that no base convert does not read defines
`dispatch_request` (scan.unseen_dispatch) and that every base is the project's or Flask's
(scan.unread_base), so Flask's own `MethodView.dispatch_request` is what Flask runs: the
endpoint now calls it on the instance Flask dispatches to, and it finds the method as Python
does, with the decorators written on it (`@require_key` on `GuardedPage.get`), which the scan
records per method function (`Route.method_function_decorators`). A method no class defines
where the chain ends at Flask's `MethodView` in the same module still keeps the route on Flask.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

# each module of base classes below starts with the same key check
GUARD = '''
import functools

from flask import abort, request
from flask.views import MethodView


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return wrapper
'''

PAGES = GUARD + '''

class Page(MethodView):
    def get(self, *args, **kwargs):
        """Interfaces pages with Flask views."""
        return self.GET(*args, **kwargs)

    def post(self, *args, **kwargs):
        return self.POST(*args, **kwargs)


class GuardedPage(MethodView):
    @require_key
    def get(self, *args, **kwargs):
        return self.GET(*args, **kwargs)
'''

LEGACY = '''
from flask import Flask, request

from .pages import GuardedPage, Page

app = Flask(__name__)


class CoursePage(Page):
    def GET(self, course_id):
        return {"course": course_id, "head": request.method == "HEAD"}

    def POST(self, course_id):
        return {"posted": course_id, "form": request.form.get("name")}, 201


class Secret(GuardedPage):
    def GET(self):
        return {"secret": True}


class Missing(Page):
    """Page defines no `put`: Flask's dispatch fails the assertion, a 500."""

    methods = ["PUT"]


app.add_url_rule("/courses/<int:course_id>", view_func=CoursePage.as_view("course"))
app.add_url_rule("/secret", view_func=Secret.as_view("secret"))
app.add_url_rule("/missing", view_func=Missing.as_view("missing"))
'''

EXPECTED_GET = '''\
@router.get("/courses/{course_id:int}", name="course")
@bridge.route
@rule_values(course_id=int)  # FM028: FastAPI gives the rule's values; the view, which takes *args/**kwargs, gets them by name, as in Flask
def course_get(**kwargs):
    self = view_instance("course")  # the instance Flask dispatches to
    # CoursePage.get is not in a class convert reads: Flask's MethodView dispatch looks it up, as in Flask
    return self.dispatch_request(**kwargs)
'''


def test_an_inherited_method_runs_through_flasks_dispatch(tmp_path: Path) -> None:
    files = {"__init__.py": LEGACY, "pages.py": PAGES}
    with converted_snippet(tmp_path, "pages_app", files, "pages_fastapi") as (
            result, out, legacy):
        assert sorted((view.route.rule, tuple(view.route.methods))
                      for view in result.converted) == [
            ("/courses/<int:course_id>", ("GET",)), ("/courses/<int:course_id>", ("POST",)),
            ("/missing", ("PUT",)), ("/secret", ("GET",))]
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert EXPECTED_GET in router
        assert not new_lint_findings(out, legacy, "pages_app")
        import pages_app
        from pages_fastapi.main import create_app

        flask_client = pages_app.app.test_client()
        with TestClient(create_app(pages_app.app), raise_server_exceptions=False) as client:
            for method, path, headers, data in [
                    ("GET", "/courses/3", {}, None), ("HEAD", "/courses/3", {}, None),
                    ("GET", "/courses/x", {}, None), ("POST", "/courses/3", {}, {"name": "a"}),
                    ("DELETE", "/courses/3", {}, None), ("GET", "/secret", {}, None),
                    ("GET", "/secret", {"X-Key": "k"}, None), ("PUT", "/missing", {}, None)]:
                legacy_answer = flask_client.open(path, method=method, headers=headers,
                                                  data=data)
                new = client.request(method, path, headers=headers, data=data)
                assert (new.status_code, new.content, new.headers.get("allow")) == (
                    legacy_answer.status_code, legacy_answer.data,
                    legacy_answer.headers.get("Allow")), (method, path)
        assert flask_client.put("/missing").status_code == 500


CRUD_BASE = GUARD + '''

class BaseModelsResource(MethodView):
    def __init__(self, model):
        self.model = model

    @require_key
    def get(self):
        return {"model": self.model, "items": []}

    @require_key
    def post(self):
        return {"model": self.model, "created": request.get_json()}, 201
'''

CRUD = '''
from flask import Flask

from .base import BaseModelsResource

app = Flask(__name__)


class OutputFilesResource(BaseModelsResource):
    """Both methods are the base's, each behind its own `@require_key`."""

    def __init__(self):
        BaseModelsResource.__init__(self, "output_file")


app.add_url_rule("/data/output-files", view_func=OutputFilesResource.as_view("output_files"))
'''


def test_an_inherited_methods_own_decorators_run_with_it(tmp_path: Path) -> None:
    """zou's CRUD resources inherit `get` and `post` from `crud/base.py`, each behind its own
    `@jwt_required()`. The scan records the decorators each method function carries
    (`Route.method_function_decorators`); an endpoint that calls Flask's dispatch runs the
    method with them, so they count as written there, and the route converts. A request without
    the key gets Flask's 401 from both apps."""
    files = {"__init__.py": CRUD, "base.py": CRUD_BASE}
    with converted_snippet(tmp_path, "crud_app", files, "crud_fastapi") as (
            result, out, legacy):
        [route] = [view.route for view in result.converted][:1]
        assert route.method_function_decorators == {"get": ["require_key"],
                                                    "post": ["require_key"]}
        assert sorted(tuple(view.route.methods) for view in result.converted) == [
            ("GET",), ("POST",)]
        assert not result.left
        assert not new_lint_findings(out, legacy, "crud_app")
        import crud_app
        from crud_fastapi.main import create_app

        flask_client = crud_app.app.test_client()
        with TestClient(create_app(crud_app.app)) as client:
            for method, headers in [("GET", {}), ("GET", {"X-Key": "k"}), ("POST", {}),
                                    ("POST", {"X-Key": "k"}), ("PUT", {"X-Key": "k"})]:
                body = {"name": "a"} if method == "POST" else None
                legacy_answer = flask_client.open("/data/output-files", method=method,
                                                  headers=headers, json=body)
                new = client.request(method, "/data/output-files", headers=headers, json=body)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), (method, headers)
        assert flask_client.get("/data/output-files").status_code == 401
