"""lemur (PyPI, 1.9.3), Netflix's certificate manager: blueprints its factory takes from the caller.

`lemur.create_app()` calls `factory.create_app(app_name=__name__, blueprints=LEMUR_BLUEPRINTS,
config=config_path)`, and the factory does

    if not blueprints:
        blueprints = DEFAULT_BLUEPRINTS
    else:
        blueprints = blueprints + DEFAULT_BLUEPRINTS
    ...
    configure_blueprints(app, blueprints)  # for blueprint in blueprints: app.register_blueprint(
                                           #     blueprint, url_prefix=f"/api/{API_VERSION}")

The scan listed 1 of its 66 routes (the health check of DEFAULT_BLUEPRINTS) and warned that the
16 blueprints of LEMUR_BLUEPRINTS are never registered. What it lists now is checked against the
source itself, read here with `ast` independently of the scan: every `api.add_resource(...)` and
`@mod.route(...)` of every blueprint module the two tuples name, under `/api/1`. lemur is not
run: its own dependencies are many.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import lemur_package, realworld_cache  # noqa: F401 (fixtures)


def _imported_modules(tree: ast.Module) -> dict[str, str]:
    """name -> the module it is imported from, for `from lemur.x.views import mod as x_bp`."""
    return {alias.asname or alias.name: node.module for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names if alias.name == "mod"}


def _tuple_names(tree: ast.Module, name: str) -> list[str]:
    node = next(node for node in tree.body if isinstance(node, ast.Assign)
                and ast.unparse(node.targets[0]) == name)
    assert isinstance(node.value, ast.Tuple)
    return [ast.unparse(item) for item in node.value.elts]


def _declared_routes(package: Path) -> set[tuple[str, str]]:
    """(rule, endpoint) of every route of the blueprints `lemur.create_app()` registers."""
    init = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    factory = ast.parse((package / "factory.py").read_text(encoding="utf-8"))
    modules = [_imported_modules(init)[name] for name in _tuple_names(init, "LEMUR_BLUEPRINTS")]
    modules += [_imported_modules(factory)[name]
                for name in _tuple_names(factory, "DEFAULT_BLUEPRINTS")]
    version = next(ast.literal_eval(node.value) for node in factory.body
                   if isinstance(node, ast.Assign)
                   and ast.unparse(node.targets[0]) == "API_VERSION")
    declared = set()
    for module in modules:
        path = package.parent / (module.replace(".", "/") + ".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        blueprint = next(ast.literal_eval(node.value.args[0]) for node in tree.body
                         if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "mod")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "api.add_resource":
                endpoint = next(ast.literal_eval(k.value) for k in node.keywords
                                if k.arg == "endpoint")
                for rule in node.args[1:]:
                    declared.add((f"/api/{version}{ast.literal_eval(rule)}",
                                  f"{blueprint}.{endpoint}"))
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    if isinstance(decorator, ast.Call) and \
                            ast.unparse(decorator.func) == "mod.route":
                        declared.add((f"/api/{version}{ast.literal_eval(decorator.args[0])}",
                                      f"{blueprint}.{node.name}"))
    return declared


def test_the_blueprints_lemur_passes_its_factory_are_listed(
        lemur_package: Path,  # noqa: F811 (the fixture)
) -> None:
    declared = _declared_routes(lemur_package)
    assert len(declared) == 66
    result = scan_path(lemur_package.parent)
    scanned = {(route.rule, route.endpoint) for route in result.routes}
    assert scanned == declared, (sorted(declared - scanned), sorted(scanned - declared))
    assert not [d for d in result.diagnostics if d.code == "scan.blueprint_not_registered"]
