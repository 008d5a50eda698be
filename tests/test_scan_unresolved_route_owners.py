"""A route decorator whose app the scan cannot follow is named, not passed over in silence.

onionshare-cli 2.7 builds its Flask app in `Web.__init__` and hands the `Web` object to a mode
class, whose `define_routes` adds the mode's pages with `@self.web.app.route("/download")`: 10
rules in its four modes, which the scan neither listed nor mentioned. The generated app serves
them from Flask (through the legacy mount), but the report said nothing of them. A route-shaped
decorator (its rule written as a path) on a function defined in a function, whose owner is
reached through that function's `self` or a parameter and is no app or blueprint the scan
knows, now gets a `scan.unresolved_app` warning at its line.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import write_tree

FILES = {
    "modes/__init__.py": "",
    "modes/web.py": '''
from flask import Flask

from .mode import Mode


class Web:
    def __init__(self):
        self.app = Flask(__name__)
        self.hooks = {"logged": lambda function: function}

        @self.app.route("/a")
        def a():
            return "a"

        self.mode = Mode(self)


def create_app():
    return Web().app
''',
    "modes/mode.py": '''
class Mode:
    def __init__(self, web):
        self.web = web
        self.define_routes()

    def define_routes(self):
        @self.web.app.route("/b")
        def b():
            return "b"

        @self.web.hooks.get("logged")  # not a route: its argument is no path
        def c():
            return "c"


def more_routes(web):
    @web.app.get("/c")
    def c():
        return "c"
''',
}


def test_a_route_added_through_an_object_the_scan_does_not_follow_is_warned(
        tmp_path: Path, monkeypatch) -> None:
    root = write_tree(tmp_path / "src", FILES)
    assert runtime_url_map("modes.web:create_app", pythonpath=[root]) == {
        ("/a", frozenset({"GET"}), "a"), ("/b", frozenset({"GET"}), "b")}
    result = scan_path(root)
    assert [route.rule for route in result.routes] == ["/a"]
    warnings = [(d.file, d.line, d.message) for d in result.diagnostics
                if d.code == "scan.unresolved_app"]
    through_self = (
        "cannot tell which app or blueprint `@self.web.app.route(...)` adds a rule to "
        "(`self.web.app`, an attribute of an object or parameter in Mode.define_routes(), the "
        "scan does not follow): the route is not listed, and stays on Flask")
    through_parameter = (
        "cannot tell which app or blueprint `@web.app.get(...)` adds a rule to (`web.app`, an "
        "attribute of an object or parameter in more_routes(), the scan does not follow): the "
        "route is not listed, and stays on Flask")
    assert warnings == [("modes/mode.py", 7, through_self),
                        ("modes/mode.py", 17, through_parameter)]

    with converted_snippet(tmp_path / "convert", "modes", {
            name.removeprefix("modes/"): source for name, source in FILES.items()},
            "modes_fastapi") as (converted, _out, _legacy):
        assert [view.route.rule for view in converted.converted] == ["/a"]
        from modes.web import create_app as create_legacy
        from modes_fastapi.main import create_app

        with TestClient(create_app(create_legacy())) as client:
            assert (client.get("/a").text, client.get("/b").text) == ("a", "b")
