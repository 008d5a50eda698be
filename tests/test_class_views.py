"""Class-based views: a plain `View` answers through its own `dispatch_request`, and a method
that calls `super()` cannot leave its class.

- `View` subclasses with `dispatch_request` stayed on Flask with a wrong reason ("Plain.get is
  inherited"): Flask calls `dispatch_request` for every method of the rule. They now convert to
  one endpoint for all of them, its body.
- A `MethodView` method that called `super()` was converted as a plain function, where
  `super()` raises RuntimeError (500 for every request). Such a route now stays on Flask.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask, request
from flask.views import MethodView, View

app = Flask(__name__)


class Plain(View):
    methods = ["GET", "POST"]

    def dispatch_request(self, name):
        """Echo the name and the method."""
        return {"name": name, "method": request.method}


class Base(MethodView):
    def get(self):
        return {"base": True}


class Child(Base):
    def get(self):
        return {"child": super().get()}


app.add_url_rule("/plain/<name>", view_func=Plain.as_view("plain"))
app.add_url_rule("/child", view_func=Child.as_view("child"))
'''

ENDPOINT = '''@router.get("/plain/{name}", response_model=PlainOut, name="plain")
@router.post("/plain/{name}", response_model=PlainOut, name="plain")
@bridge.route
def plain(name: str):
    """Echo the name and the method."""
    return {"name": name, "method": request.method}
'''


def test_a_views_dispatch_request_is_one_endpoint_for_its_methods(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "class_views", LEGACY, "class_views_fastapi") as (
            result, out, _legacy):
        assert [(view.route.rule, view.route.methods) for view in result.converted] == [
            ("/plain/<name>", ["GET", "POST"])]
        assert ENDPOINT in (out / "routers" / "app_routes.py").read_text()
        assert [(entry.route.rule, entry.reasons) for entry in result.left] == [
            ("/child", [("convert.super_call: Child.get calls super(), which only works "
                         "inside its class; the route stays on Flask")])]
        import class_views
        from class_views_fastapi.main import create_app

        flask_client = class_views.app.test_client()
        with TestClient(create_app(class_views.app)) as client:
            for method in ("GET", "POST", "PUT", "HEAD", "OPTIONS"):
                for path in ("/plain/bob", "/child"):
                    legacy_answer = flask_client.open(path, method=method)
                    new = client.request(method, path)
                    assert (new.status_code, new.content, new.headers.get("Allow")) == (
                        legacy_answer.status_code, legacy_answer.data,
                        legacy_answer.headers.get("Allow")), (method, path)
        assert flask_client.get("/child").json == {"child": {"base": True}}
