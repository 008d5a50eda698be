"""zou (PyPI, 1.0.97), Kitsu's API server: blueprints imported by name, rules added by a helper.

`configure_api_routes(app)` registers 26 blueprint packages with
`module = importlib.import_module(f"zou.app.blueprints.{module_name}")` in a loop over a list of
names, then `app.register_blueprint(module.blueprint)`; each package ends with
`api = configure_api_from_blueprint(blueprint, routes)`, which adds every `(path, resource)`
tuple of its `routes` list. The scan listed 6 of zou's routes. What it finds is checked against
the source itself, read here with `ast` independently of the scan: every route tuple of every
blueprint package, under its blueprint's name.

Every one of these routes stays on Flask, and the test says why: the helper keeps each class's
view in a dict (`view_func = view_funcs.get(resource)`, then `if view_func is None: view_func =
resource.as_view(...)`, then wraps it in the `decorators` it is given), so the view given to
`add_url_rule` is bound on several paths that the scan does not tell apart
(`scan.conditional_view`). zou is not run: its own dependencies are many.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import realworld_cache, zou_package  # noqa: F401 (fixtures)

CONDITIONAL = "scan.conditional_view: "


def _declared_routes(package: Path) -> set[tuple[str, str]]:
    """(path, blueprint name) of every route tuple of every blueprint package zou registers
    (`zou.app.api.BLUEPRINT_MODULES`, and `admin`, registered when an admin token is set)."""
    api = ast.parse((package / "app" / "api.py").read_text(encoding="utf-8"))
    names = next(ast.literal_eval(node.value) for node in api.body
                 if isinstance(node, ast.Assign)
                 and ast.unparse(node.targets[0]) == "BLUEPRINT_MODULES")
    declared = set()
    for name in [*names, "admin"]:
        tree = ast.parse((package / "app" / "blueprints" / name / "__init__.py")
                         .read_text(encoding="utf-8"))
        assigned = {ast.unparse(node.targets[0]): node.value for node in tree.body
                    if isinstance(node, ast.Assign) and len(node.targets) == 1}
        blueprint = assigned["blueprint"]
        assert isinstance(blueprint, ast.Call) and ast.unparse(blueprint.func) == "Blueprint"
        assert not blueprint.keywords  # no url_prefix: the paths are the rules
        blueprint_name = ast.literal_eval(blueprint.args[0])
        for item in assigned["routes"].elts:
            declared.add((ast.literal_eval(item.elts[0]), blueprint_name))
    return declared


def test_every_route_tuple_of_every_blueprint_package_is_found(
        zou_package: Path,  # noqa: F811 (the fixture)
) -> None:
    declared = _declared_routes(zou_package)
    assert len(declared) > 500
    result = scan_path(zou_package)
    added_by_helper = [route for route in result.routes
                       if route.file.endswith("app/utils/api.py")
                       and not route.rule.startswith("<unresolved")]
    found = {(route.rule, route.endpoint.rsplit(".", 1)[0]) for route in added_by_helper}
    assert found == declared, (sorted(declared - found)[:10], sorted(found - declared)[:10])
    assert not [d for d in result.diagnostics if d.code == "scan.unresolved_blueprint"]
    for route in added_by_helper:
        assert route.status == "manual"
        assert any(reason.startswith(CONDITIONAL) for reason in route.reasons), route.rule
