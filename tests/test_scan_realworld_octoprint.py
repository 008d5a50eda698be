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

Its permission checks, `@Permissions.ADMIN.require(403)`, are the `Permission.require` of the
flask-principal it vendors (`octoprint/vendor/flask_principal.py`), which returns an
`IdentityContext` whose `__call__` wraps the view; the scan said "does not keep the view's
signature" and kept 65 routes on Flask. It reads the class now: the wrapper calls the view inside
`with self:`, so the decorator stays on the view inside the bridge (FM022), and the routes convert.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.lint_support import new_lint_findings
from tests.realworld import (  # noqa: F401 (fixtures)
    declared_route_decorators,
    functions_called_decorated,
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


def test_octoprint_routes_checked_by_its_vendored_principal_convert_with_the_check(
        octoprint_package: Path,  # noqa: F811 (the fixture)
        tmp_path: Path) -> None:
    root = octoprint_package.parent
    scan = scan_path(root)
    checked = [route for route in scan.routes
               if any(d.name.startswith("Permissions.") and d.name.endswith(".require")
                      for d in route.decorator_details)]
    assert len(checked) == 65
    declared = functions_called_decorated(
        octoprint_package,
        lambda callee: callee.startswith("Permissions.") and callee.endswith(".require"))
    assert {(route.view_file, route.function) for route in checked} <= declared
    for route in checked:
        [permission] = [d for d in route.decorator_details if d.name.endswith(".require")]
        assert (permission.qualified, permission.preserves_signature, permission.shape) == (
            "octoprint.vendor.flask_principal.Permission.require", True, "post_processing")
        assert route.status != "manual", (route.endpoint, route.reasons)

    out = tmp_path / "octoprint_fastapi"
    result = convert_project(root, out)
    left = {left.route.endpoint: left.reasons for left in result.left}
    # (`deleteTimelapse`, which reads its module's `__file__`, stayed on Flask before FM038)
    assert left == {}
    converted = {view.route.endpoint for view in result.converted}
    assert {route.endpoint for route in checked} <= converted
    routers = "\n".join(path.read_text(encoding="utf-8")
                        for path in sorted((out / "routers").glob("*.py")))
    assert routers.count("\n@Permissions.") == 65
    assert not new_lint_findings(out, root, "octoprint")
    # the caches their module binds anew with `global` while the app runs are read and written
    # on that module (FM037), not imported: an import would be a copy those writes never reach
    assert "import octoprint.server.views as views_module\n" in routers
    assert "        views_module._mfa_login_forms = forms\n" in routers
    assert "            timelapse_module._timelapse_cache_finished = files\n" in routers
    assert "global _mfa_login_forms" not in routers
    # the views' `logging.getLogger(__name__)` logs to their module's logger, as in Flask, and
    # `__file__` is the module's (FM038)
    assert "getLogger(__name__)" not in routers
    assert "logging.getLogger(system_module.__name__)" in routers
    assert "timelapse_module.__file__" in routers
