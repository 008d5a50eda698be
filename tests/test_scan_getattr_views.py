"""A view given as `getattr(module, name)` over a table of names is that module's attribute.

klaus 3.0.1 adds its 34 rules in a method of its Flask subclass, `for endpoint, rule in [...]:
self.add_url_rule(rule, view_func=getattr(views, endpoint))`. The scan read each literal rule
but not the view: every endpoint was `<unknown>` (`scan.view_not_found`), where Flask names
them `repo_list`, `index`... and the routes could not convert. `getattr` with a default is
another value (the default, where the module lacks the name), and stays unfollowed.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet, write_files
from tests.scan_support import listed_rules, served_rules

SITE = {
    "__init__.py": '''
import flask

from . import views


class Site(flask.Flask):
    def __init__(self, name):
        super().__init__(__name__)
        self.site_name = name
        self.setup_routes()

    def setup_routes(self):
        for endpoint, rule in [
            ("repo_list", "/"),
            ("index", "/<repo>/"),
            ("index", "/<repo>/<path:rev>"),
        ]:
            self.add_url_rule(rule, view_func=getattr(views, endpoint))
            if "<repo>" in rule:
                self.add_url_rule("/~<namespace>" + rule, view_func=getattr(views, endpoint))
        self.add_url_rule("/maybe", view_func=getattr(views, "maybe", views.repo_list))


def make_app(name="site"):
    return Site(name)
''',
    "views.py": '''
from flask import request


def repo_list():
    return {"order": request.args.get("order_by", "name")}


def index(repo, rev=None, namespace=None):
    return {"repo": repo, "rev": rev, "namespace": namespace}
''',
}


def test_the_scan_follows_getattr_of_a_module_to_the_view(tmp_path: Path) -> None:
    write_files(tmp_path / "site_app", SITE)
    result = scan_path(tmp_path / "site_app")
    sys.path.insert(0, str(tmp_path))
    try:
        served = served_rules(importlib.import_module("site_app").make_app())
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] == "site_app"]:
            del sys.modules[name]
    listed = listed_rules(result.routes)
    assert listed - {("/maybe", "<unknown>")} == served - {("/maybe", "repo_list")}
    by_rule = {route.rule: route for route in result.routes}
    assert by_rule["/"].status == "auto" and by_rule["/<repo>/<path:rev>"].status == "auto"
    # with a default, the view is the default where the module lacks the name: not guessed
    assert any(reason.startswith("scan.view_not_found") for reason in by_rule["/maybe"].reasons)


def test_the_routes_convert_and_answer_as_in_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "klausish", SITE, "klausish_fastapi") as (result, _, _):
        assert sorted(view.route.rule for view in result.converted) == [
            "/", "/<repo>/", "/<repo>/<path:rev>", "/~<namespace>/<repo>/",
            "/~<namespace>/<repo>/<path:rev>"]
        import klausish
        from klausish_fastapi.main import create_app

        legacy = klausish.make_app()
        flask_client = legacy.test_client()
        with TestClient(create_app(legacy)) as client:
            for path in ("/?order_by=date", "/alpha/", "/alpha/master/src/a.py", "/~ns/alpha/",
                         "/~ns/alpha/v1/x", "/alpha", "/maybe", "/nowhere/x/"):
                old = flask_client.get(path, base_url="http://testserver")
                new = client.get(path, follow_redirects=False)
                assert (new.status_code, new.content, new.headers.get("location")) == (
                    old.status_code, old.data, old.headers.get("location")), path
