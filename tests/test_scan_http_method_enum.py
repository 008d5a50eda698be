"""Methods written as the standard library's `http.HTTPMethod` (Python 3.11+).

Rucio lists every rule's methods as `methods=[HTTPMethod.GET.value]`: the scan said "`HTTPMethod.
GET.value` is not a constant the scan can read" and kept each route on Flask. `HTTPMethod` is a
string enum, each member its name (Werkzeug upper-cases each method, which gives the same text),
so a member or its `.value` is read as that name. A class of the project's own with that name
is not taken for it.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

SOURCE = '''
import enum
from http import HTTPMethod
import http

from flask import Flask, request


class Verb(str, enum.Enum):  # the project's own: not read
    GET = "GET"


app = Flask(__name__)


def item():
    return {"method": request.method}


app.add_url_rule("/value", "value", view_func=item, methods=[HTTPMethod.GET.value])
app.add_url_rule("/members", "members", view_func=item,
                 methods=[HTTPMethod.GET, HTTPMethod.POST])
app.add_url_rule("/qualified", "qualified", view_func=item, methods=[http.HTTPMethod.PUT])
app.add_url_rule("/own", "own", view_func=item, methods=[Verb.GET.value])
'''


def test_http_method_members_are_read_as_their_names(tmp_path):
    with converted_snippet(tmp_path, "verbs", SOURCE, "verbs_fastapi") as (result, _, _):
        methods = {route.endpoint: (route.methods, route.status, route.reasons)
                   for route in result.scan.routes}
        assert methods["value"][:2] == (["GET"], "auto")
        assert methods["members"][:2] == (["GET", "POST"], "auto")
        assert methods["qualified"][:2] == (["PUT"], "auto")
        assert methods["own"][1:] == ("manual", [
            ("scan.unresolved_methods: methods `Verb.GET.value` is not a constant the scan can "
             "read")])
        assert sorted(view.route.endpoint for view in result.converted) == [
            "members", "qualified", "value"]

        import verbs
        from verbs_fastapi.main import create_app

        flask_client = verbs.app.test_client()
        with TestClient(create_app(verbs.app)) as client:
            for method, path in [("GET", "/value"), ("POST", "/value"), ("POST", "/members"),
                                 ("GET", "/members"), ("PUT", "/qualified"),
                                 ("GET", "/qualified"), ("HEAD", "/value"),
                                 ("OPTIONS", "/members")]:
                old, new = flask_client.open(path, method=method), client.request(method, path)
                assert (new.status_code, new.content, new.headers.get("allow")) == (
                    old.status_code, old.get_data(), old.headers.get("allow")), (method, path)
