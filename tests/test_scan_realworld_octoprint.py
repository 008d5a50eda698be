"""OctoPrint (PyPI, 1.11.8), the 3D printer host: its API blueprint is registered through a
`functools.partial` called in a loop.

`Server._setup_blueprints` does `registrators = [functools.partial(app.register_blueprint, api,
url_prefix="/api")]`, adds the plugins' registrators to the list, then `for registrator in
registrators: registrator()`. The scan reported the `api` blueprint as never registered, and
listed none of its 92 routes. What it finds is checked against the source, read here with `ast`
independently of the scan (OctoPrint is not run: its dependencies are many).

Not listed, and said so: the plugins' blueprints, which OctoPrint finds while it runs
(`plugin_manager().get_implementations(BlueprintPlugin)`) and registers under a prefix made from
each plugin's identifier (`scan.unresolved_blueprint` warnings at those registrations).
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import (  # noqa: F401 (fixtures)
    declared_route_decorators,
    octoprint_package,
    realworld_cache,
)


def _declared_api_routes(package: Path) -> set[tuple[str, str, frozenset[str]]]:
    """(rule, endpoint, methods) of every `@api.route(...)` in `octoprint/server/api`, under the
    `/api` prefix the registrator gives the blueprint."""
    declared = set()
    for source in sorted((package / "server" / "api").glob("*.py")):
        module = ast.parse(source.read_text(encoding="utf-8"))
        declared.update((f"/api{rule}", f"api.{endpoint}", methods)
                        for rule, endpoint, methods in declared_route_decorators(module, "api"))
    return declared


def test_octoprint_api_registered_through_a_partial_in_a_loop_is_listed(
        octoprint_package: Path,  # noqa: F811 (the fixture)
) -> None:
    scan = scan_path(octoprint_package.parent)
    declared = _declared_api_routes(octoprint_package)
    assert len(declared) == 92
    found = {(route.rule, route.endpoint, frozenset(route.methods)) for route in scan.routes
             if route.blueprint == "api"}
    assert found == declared
    assert {route.app for route in scan.routes if route.blueprint == "api"} == \
        {"octoprint.server:app"}
    codes = [d.code for d in scan.diagnostics]
    assert "scan.blueprint_not_registered" not in [
        d.code for d in scan.diagnostics if d.file == "octoprint/server/api/__init__.py"]
    # the plugins' blueprints: registered at run time, under prefixes from their identifiers
    assert codes.count("scan.unresolved_blueprint") == 2
