"""A route decorator on a function defined inside a project function, its rule made from that
function's parameters:

    def make_page(path, name, text):
        @app.route(path, endpoint=name)
        def page():
            return text
        return page

    make_page("/a", "a", "A")

Each call of `make_page` adds a rule of its own, as a call of a helper that calls
`app.add_url_rule(path, ...)` does. The scan listed one route, its rule `path` unresolved and
its endpoint `page`; it now lists one per call, with that call's arguments. The view reads
`text` from the closure of the function Flask registered for its endpoint (FM026), so each
converted route answers with its own call's text.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import describe_difference, scanned_keys, write_tree

PAGES = '''
from flask import Flask

app = Flask(__name__)


def make_page(path, name, text="default", methods=("GET",)):
    @app.route(path, endpoint=name, methods=methods)
    def page():
        """A page of its own text."""
        return text

    return page


make_page("/a", "a", "A")
make_page("/b", name="b", text="B", methods=["GET", "POST"])
make_page("/c", "c")
'''


def test_each_call_of_the_enclosing_function_is_a_route(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pages/__init__.py": PAGES})
    scanned = scanned_keys(root)
    runtime = runtime_url_map("pages:app", pythonpath=[root])
    assert scanned == runtime, describe_difference(scanned, runtime)
    assert len(runtime) == 3
    routes = scan_path(root).routes
    assert {(r.rule, r.line) for r in routes} == {("/a", 7), ("/b", 7), ("/c", 7)}


def test_each_converted_route_answers_with_its_own_call(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "pages", PAGES, "pages_fastapi") as (result, _out, _):
        assert sorted(view.route.endpoint for view in result.converted) == ["a", "b", "c"]
        import pages
        from pages_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = pages.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "pages_fastapi")
        with TestClient(create_app(pages.app)) as client:
            for method, path in [("GET", "/a"), ("GET", "/b"), ("POST", "/b"), ("GET", "/c"),
                                 ("POST", "/a")]:
                new = client.request(method, path)
                old = flask_client.open(path, method=method)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
        assert mounted == ["/a"]  # the POST, which no converted route takes: Flask's 405
