"""vantage6-server (PyPI, 4.15.2): the app and its Api are attributes of an object.

`ServerApp.__init__` sets `self.app = Flask(...)` and `self.api = Api(self.app)`, then its
methods add routes through them: `@self.app.route("/robots.txt")` in `configure_flask`, and
`load_resources`, which imports each module named in `vantage6.server.globals.RESOURCES` and
calls its `setup(self.api, api_path, services)`, whose `api.add_resource(...)` calls add the
REST API. The scan listed none of its routes and said nothing. What it finds is checked against
the source, read here with `ast` independently of the scan (vantage6 is not run: its
dependencies are many). The API's base path is the server's configuration (`api_path`), so the
resources' rules are unresolved and stay on Flask.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import realworld_cache, vantage6_package  # noqa: F401 (fixtures)


def _declared_endpoints(package: Path) -> set[str]:
    """The endpoint of every `api.add_resource` call in the `setup` of every module the server
    loads (`RESOURCES`)."""
    server = package / "server"
    tree = ast.parse((server / "globals.py").read_text(encoding="utf-8"))
    names = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "RESOURCES")
    endpoints = set()
    for name in names:
        module = ast.parse((server / "resource" / (name.replace(".", "/") + ".py"))
                           .read_text(encoding="utf-8"))
        setup = next(node for node in module.body
                     if isinstance(node, ast.FunctionDef) and node.name == "setup")
        for node in ast.walk(setup):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "api.add_resource":
                endpoints.update(ast.literal_eval(keyword.value) for keyword in node.keywords
                                 if keyword.arg == "endpoint")
    return endpoints


def test_vantage6_routes_added_through_self_app_and_self_api_are_listed(
        vantage6_package: Path,  # noqa: F811 (the fixture)
) -> None:
    scan = scan_path(vantage6_package.parent)
    [app] = scan.apps
    assert (app.key, app.factory) == ("vantage6.server:ServerApp.__init__.self.app",
                                      "ServerApp.__init__")
    declared = _declared_endpoints(vantage6_package)
    assert len(declared) == 51
    routes = {route.endpoint: route for route in scan.routes}
    assert len(routes) == len(scan.routes) == 52
    assert set(routes) == declared | {"static_from_root"}
    assert routes["static_from_root"].rule == "/robots.txt"
    assert all(route.rule.startswith("<unresolved: ") and route.status == "manual"
               for endpoint, route in routes.items() if endpoint != "static_from_root")
