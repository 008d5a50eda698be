"""Decorators of an instance of a project subclass of an Api or Namespace class.

udata's `api = UDataApi(...)`, with `class UDataApi(flask_restx.Api)`, documents its resources
with `@api.doc(...)`, `@api.expect(...)` and `@api.marshal_with(...)`, methods its class
inherits from Flask-RESTX; fasjson makes its namespaces with its own `Namespace(flask_restx.
Namespace)`, which overrides `marshal_with`. The scan read such a decorator as "from an
unresolved name" and kept the route on Flask (udata: 157 uses of `api.doc` among its manual
routes). A method that no project class of the instance's defines is the outside class's
(`flask_restx.Api.doc`), read as on a plain `Api`; one a project class defines or overrides is
its own, still not read through the instance, and the reason says whose method it is.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

PROJECT_API = '''
from flask import Flask
from flask_restx import Api, Namespace, Resource, fields

app = Flask(__name__)


class ProjectApi(Api):
    """The project's Api: RESTX's, with a helper of its own."""

    def secured(self, func):
        return func


class ProjectNamespace(Namespace):
    """fasjson's: `marshal_with` wraps the answer in an envelope."""

    def marshal_with(self, fields, *args, **kwargs):
        kwargs.setdefault("envelope", "result")
        return super().marshal_with(fields, *args, **kwargs)


api = ProjectApi(app, prefix="/api")
ns = ProjectNamespace("things")
api.add_namespace(ns)

thing = ns.model("Thing", {"name": fields.String})


@api.route("/documented")
class Documented(Resource):
    @api.doc("documented")
    @api.marshal_with(thing)
    def get(self):
        """A documented thing."""
        return {"name": "documented", "secret": "dropped by the model"}


@ns.route("/enveloped")
class Enveloped(Resource):
    @ns.doc("enveloped")
    @ns.marshal_with(thing)
    def get(self):
        return {"name": "enveloped"}
'''


def test_an_inherited_method_of_a_project_api_is_the_outside_class_s(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path, {"things/__init__.py": PROJECT_API}))
    routes = {route.rule: route for route in result.routes}
    documented, enveloped = routes["/api/documented"], routes["/api/things/enveloped"]
    assert documented.status == "assisted"
    assert [reason.split(":")[0] for reason in documented.reasons] == [
        "FM029 decorator", "FM029 decorator", "resource"]
    # `marshal_with` is ProjectNamespace's own: not read through the instance, the route stays
    assert enveloped.status == "manual"
    # named as the project's own method (it said "from an unresolved name": FlexGet's
    # `@api.response`, of its `API(RestxAPI)`, 87 times)
    assert enveloped.reasons[0] == (
        "decorator:ns.marshal_with: ProjectNamespace.marshal_with, a method of the project's own "
        "class (things/__init__.py:17), which the scan does not read as a decorator through an "
        "instance; its effect cannot be shown, so the route stays on Flask")
    assert not any(reason.startswith("decorator:ns.doc") for reason in enveloped.reasons)


def test_a_route_documented_through_a_project_namespace_converts_and_answers_alike(
        tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "things", PROJECT_API, "things_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/api/documented"]
        import things
        from starlette.testclient import TestClient
        from things_fastapi.main import create_app

        flask_client = things.app.test_client()
        with TestClient(create_app(things.app)) as client:
            for path in ("/api/documented", "/api/things/enveloped"):
                new, legacy = client.get(path), flask_client.get(path)
                assert (new.status_code, new.content) == (legacy.status_code, legacy.data)
            assert client.get("/api/documented").json() == {"name": "documented"}
            assert client.get("/api/things/enveloped").json() == {
                "result": {"name": "enveloped"}}
