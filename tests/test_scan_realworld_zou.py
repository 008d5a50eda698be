"""zou (PyPI, 1.0.97), Kitsu's API server: blueprints imported by name, rules added by a helper.

`configure_api_routes(app)` registers 26 blueprint packages with
`module = importlib.import_module(f"zou.app.blueprints.{module_name}")` in a loop over a list of
names, then `app.register_blueprint(module.blueprint)`; each package ends with
`api = configure_api_from_blueprint(blueprint, routes)`, which adds every `(path, resource)`
tuple of its `routes` list. The scan listed 6 of zou's routes. What it finds is checked against
the source itself, read here with `ast` independently of the scan: every route tuple of every
blueprint package, under its blueprint's name.

The helper keeps each class's view in a dict, so a class on several rules gets one view
(`view_func = view_funcs.get(resource)`, then `if view_func is None: view_func =
resource.as_view(resource.__name__)`, wrapped in the `decorators` it is given, stored in the
dict); the scan reads that cache (scan/memo.py) and the loop over `decorators or []`: empty where
a package gives none, and where one gives a list (`user`: `decorators=[permissions.require_person,
jwt_required()]`), each item wraps the view in turn, the last outermost (scan/loops.py). Each
rule's view is its class's, under the class's name, wrapped in what its package gives, which the
test reads from the source too (every route stayed on Flask as `scan.conditional_view`, then the
44 of `user`). zou is not run: its own dependencies are many.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import realworld_cache, zou_package  # noqa: F401 (fixtures)

CONDITIONAL = "scan.conditional_view: "


def _declared_routes(package: Path) -> tuple[set[tuple[str, str]], dict[str, set[str]],
                                               dict[str, list[str]]]:
    """(path, blueprint name) of every route tuple of every blueprint package zou registers
    (`zou.app.api.BLUEPRINT_MODULES`, and `admin`, registered when an admin token is set), the
    resource classes of each path, and the `decorators` the package gives the helper, as
    written, by blueprint."""
    api = ast.parse((package / "app" / "api.py").read_text(encoding="utf-8"))
    names = next(ast.literal_eval(node.value) for node in api.body
                 if isinstance(node, ast.Assign)
                 and ast.unparse(node.targets[0]) == "BLUEPRINT_MODULES")
    declared = set()
    classes: dict[str, set[str]] = {}
    decorated: dict[str, list[str]] = {}
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
            path = ast.literal_eval(item.elts[0])
            declared.add((path, blueprint_name))
            classes.setdefault(path, set()).add(ast.unparse(item.elts[1]))
        helper_call = assigned["api"]
        assert isinstance(helper_call, ast.Call)
        for keyword in helper_call.keywords:
            if keyword.arg == "decorators":
                assert isinstance(keyword.value, ast.List)
                decorated[blueprint_name] = [ast.unparse(item) for item in keyword.value.elts]
    return declared, classes, decorated


def test_every_route_tuple_of_every_blueprint_package_is_found(
        zou_package: Path,  # noqa: F811 (the fixture)
) -> None:
    declared, classes, decorated = _declared_routes(zou_package)
    assert decorated == {"user": ["permissions.require_person", "jwt_required()"]}
    assert len(declared) > 500
    result = scan_path(zou_package)
    added_by_helper = [route for route in result.routes
                       if route.file.endswith("app/utils/api.py")
                       and not route.rule.startswith("<unresolved")]
    found = {(route.rule, route.endpoint.rsplit(".", 1)[0]) for route in added_by_helper}
    assert found == declared, (sorted(declared - found)[:10], sorted(found - declared)[:10])
    assert not [d for d in result.diagnostics if d.code == "scan.unresolved_blueprint"]
    for route in added_by_helper:
        blueprint, view = route.endpoint.rsplit(".", 1)
        assert not [reason for reason in route.reasons if reason.startswith(CONDITIONAL)], (
            route.rule, route.reasons)
        # the class's view, under the class's name, wrapped in the package's decorators (the
        # last outermost)
        assert view in classes[route.rule] and route.function == view, route.endpoint
        assert [wrapper.code for wrapper in route.wrapped_at_registration] == list(
            reversed(decorated.get(blueprint, []))), route.endpoint
    on_flask = [route for route in added_by_helper if route.status == "manual"]
    assert len(added_by_helper) - len(on_flask) > 540
