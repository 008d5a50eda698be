"""A view that reads its own local names (`locals()`, `vars()`) stays on Flask.

datagrepper 1.1.0's chart view picks a `request.args` value by name from `locals()`
(`split_on=category`). The converted view has the request's values among its locals as
parameters (`user`, `N_query`...): `GET /charts/...&split_on=category` answered a chart with 200
where Flask answers 500, and the scan rated the route `auto`. Such a view now has the `locals`
feature and is `manual`; `vars(obj)` of an object, `locals()` in a function the view defines,
and `locals()` whose names a string literal picks (knowledge-repo's
`"{filename}_{page_num}.jpg".format(**locals())`, `"%(a)s" % vars()`) do not count.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

LEGACY = '''
from flask import Flask, request

app = Flask(__name__)


@app.route("/pick")
def pick():
    users = request.args.getlist("user")
    lookup = locals()
    return repr(lookup[request.args.get("name", "users")])


@app.route("/fields")
def fields():
    """`vars(obj)` reads the object's attributes, not the view's names."""
    class Item:
        def __init__(self):
            self.name = request.args.get("name", "x")

    def names():
        here = 1
        return sorted(locals())

    prefix = "p"
    page = "{prefix}-1".format(**locals())  # names a string literal picks: fixed
    label = "%(page)s" % vars()
    return {"item": vars(Item()), "names": names(), "label": label}
'''


def test_a_view_reading_its_locals_stays_on_flask(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "scan", {"localsapp/__init__.py": LEGACY})
    routes = {route.rule: route for route in scan_path(root).routes}
    assert (routes["/pick"].status, routes["/fields"].status) == ("manual", "auto")
    assert "locals" in routes["/pick"].features
    assert "locals" not in routes["/fields"].features
    assert routes["/pick"].reasons[0].startswith(
        "locals: the view reads its own local names (`locals()`, `vars()`)")

    with converted_snippet(tmp_path / "convert", "localsapp", LEGACY, "locals_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/fields"]
        import localsapp
        from locals_fastapi.main import create_app

        flask_client = localsapp.app.test_client()
        with TestClient(create_app(localsapp.app), raise_server_exceptions=False) as client:
            for path in ("/pick?name=user&user=a", "/pick?user=a", "/fields?name=n"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
        # Flask's own answers: `user` is not one of the view's names, `users` is
        assert flask_client.get("/pick?name=user&user=a").status_code == 500
        assert flask_client.get("/pick?user=a").get_data() == b"['a']"
