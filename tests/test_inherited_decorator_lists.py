"""A view class's decorator list written on a base class in another module.

lemur's resources derive from `AuthenticatedResource`, defined in lemur/auth/service.py as

    class AuthenticatedResource(Resource):
        method_decorators = [login_required]

and 60 of its 66 routes stayed on Flask: convert reads the view's own module, found no
`method_decorators` there, and refused the route (`convert.decorator_not_written`: the scan had
found `@login_required` applying to it). The scan now records such a list, each item with what
its first name imports (`Route.inherited_decorator_lists`), and convert writes it on the
endpoints as it writes a list of the view's module, importing the names from where the base
class's module has them. The converted routes check what Flask checks. A list whose item cannot
be imported (a name bound in the arms of an `if`) still keeps its routes on Flask, with its
reason, as does a class with several bases, where the scan's lookup order may not be Python's.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

BASES = '''
from functools import wraps

from flask import abort, request
from flask.views import MethodView
from flask_restful import Resource

TIMED = False

def login_required(view):
    @wraps(view)
    def checked(*args, **kwargs):
        if request.headers.get("Authorization") != "Bearer secret":
            abort(401)
        return view(*args, **kwargs)

    return checked


def roles(name):
    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if request.headers.get("X-Role") != name:
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorator


class AuthenticatedResource(Resource):
    method_decorators = [login_required]


class AdminView(MethodView):
    decorators = [roles("admin"), login_required]


if TIMED:
    def audit(view):
        return view
else:
    def audit(view):
        return view


class Audited(MethodView):
    decorators = [audit]


class Mixin:
    pass


class Other(MethodView):
    decorators = [login_required]
'''

VIEWS = '''
from flask import Flask
from flask_restful import Api

from .bases import AdminView, AuthenticatedResource, Mixin, Other

app = Flask(__name__)
api = Api(app)


class Keys(AuthenticatedResource):
    def get(self):
        return {"keys": []}

    def post(self):
        return {"created": True}, 201


class Panel(AdminView):
    def get(self):
        return {"panel": True}


class Mixed(Mixin, Other):
    def get(self):
        return {"mixed": True}


api.add_resource(Keys, "/keys", endpoint="keys")
app.add_url_rule("/panel", view_func=Panel.as_view("panel"))
app.add_url_rule("/mixed", view_func=Mixed.as_view("mixed"))
'''

LOCAL = '''
from flask import Flask

from .bases import Audited

app = Flask(__name__)


class Local(Audited):
    def get(self):
        return {"local": True}


app.add_url_rule("/local", view_func=Local.as_view("local"))
'''


def test_a_decorator_list_of_a_base_class_in_another_module_is_written_on_the_endpoints(
        tmp_path: Path) -> None:
    files = {"__init__.py": "", "bases.py": BASES, "views.py": VIEWS}
    with converted_snippet(tmp_path, "inherited", files, "inherited_fastapi") as (
            result, out, legacy):
        by_rule = {view.route.rule: view.route for view in result.converted}
        assert sorted(by_rule) == ["/keys", "/panel"]
        assert by_rule["/keys"].inherited_decorator_lists["method_decorators"][0].to_json() == {
            "code": "login_required", "imports": "inherited.bases.login_required"}
        [mixed] = [left for left in result.left if left.route.rule == "/mixed"]
        assert any(reason.startswith("convert.decorator_not_written: @login_required")
                   for reason in mixed.reasons)
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        # imported from the base class's module (the view's module does not import it)
        assert "\nfrom inherited.bases import login_required\n" in router
        assert "@restful_output(\"keys\")  # FM027: the legacy Api makes the answer\n" \
               "# FM020: @login_required stays a decorator, inside the one above it (Flask's " \
               "order of effects)\n@login_required\ndef keys_get():" in router
        assert 'dependencies=[Depends(dependencies.login_required), ' \
               'Depends(dependencies.roles("admin"))]' in router
        assert not new_lint_findings(out, legacy, "inherited")
        from inherited.views import app as flask_app
        from inherited_fastapi.main import create_app

        flask_client = flask_app.test_client()
        with TestClient(create_app(flask_app)) as client:
            for method, path in [("GET", "/keys"), ("POST", "/keys"), ("GET", "/panel"),
                                 ("GET", "/mixed")]:
                for headers in ({}, {"Authorization": "Bearer secret"},
                                {"Authorization": "Bearer secret", "X-Role": "admin"},
                                {"X-Role": "admin"}):
                    old = flask_client.open(path, method=method, headers=headers)
                    new = client.request(method, path, headers=headers)
                    assert (new.status_code, new.content) == (old.status_code, old.data), (
                        method, path, headers)
            assert [client.get(path).status_code for path in ("/keys", "/panel")] == [401, 401]
            assert client.get("/panel", headers={"Authorization": "Bearer secret"}
                              ).status_code == 403


def test_an_item_that_cannot_be_imported_keeps_the_route_on_flask(tmp_path: Path) -> None:
    files = {"__init__.py": "", "bases.py": BASES, "views.py": LOCAL}
    with converted_snippet(tmp_path, "inherited_local", files, "inherited_local_fastapi") as (
            result, _out, _legacy):
        assert not result.converted
        [left] = result.left
        assert [w.to_json() for w in left.route.inherited_decorator_lists["decorators"]] == [
            {"code": "audit", "imports": None}]
        assert left.route.status == "manual"
        assert "scan.wrapper_not_importable: `audit` is in the `decorators` of a base class in " \
               "another module, with a name bound inside a function or conditionally, or an " \
               "argument that is not a literal, so a converted view cannot be decorated with " \
               "it" in left.reasons
