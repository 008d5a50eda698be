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
`@mod.route(...)` of every blueprint module the two tuples name, under `/api/1`.

Its 65 Flask-RESTful resources derive from `AuthenticatedResource`, whose `method_decorators =
[login_required]` is in lemur/auth/service.py, and 10 of them guard methods with Flask-Principal's
`@admin_permission.require(http_exception=403)`. All 66 routes convert now (6 did before): the
inherited list is written on the endpoints with `login_required` imported from lemur.auth.service,
and the permission check, a known guard (FM021), stays on the method inside its
`@validate_schema`, as Flask runs them. The package passes the lint check. lemur is not run: its
own dependencies are many.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.lint_support import new_lint_findings
from tests.realworld import lemur_package, realworld_cache  # noqa: F401 (fixtures)
from tests.scan_support import listed_rules


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
    scanned = listed_rules(result.routes)
    assert scanned == declared, (sorted(declared - scanned), sorted(scanned - declared))
    assert not [d for d in result.diagnostics if d.code == "scan.blueprint_not_registered"]


def test_every_lemur_route_converts_with_its_checks(
        lemur_package: Path,  # noqa: F811 (the fixture)
        tmp_path: Path) -> None:
    root = lemur_package.parent
    out = tmp_path / "lemur_fastapi"
    result = convert_project(root, out)
    assert not result.left
    assert {view.route.rule for view in result.converted} == {
        rule for rule, _ in _declared_routes(lemur_package)}
    routers = "\n".join(path.read_text(encoding="utf-8")
                        for path in sorted((out / "routers").glob("*.py")))
    # the 95 endpoints of the resources deriving from AuthenticatedResource (lemur's login,
    # ping and provider resources are plain `Resource`s)
    assert routers.count("\n@login_required\n") == sum(
        1 for view in result.converted if "login_required" in view.route.decorators) == 95
    # each method's permission check stays on it, inside its `@validate_schema` (which runs
    # first in Flask too), where the scan read it as a known guard (FM021)
    written = sum(path.read_text(encoding="utf-8").count(
        "\n    @admin_permission.require(http_exception=403)\n")
        for path in lemur_package.rglob("views.py"))
    assert written == routers.count("\n@admin_permission.require(http_exception=403)\n") \
        == 13
    # ... said so under the rule that read it, Flask-Principal's known guard
    assert "# FM021: @admin_permission.require stays a decorator, inside the one above it " \
           "(Flask's order of effects)\n@admin_permission.require(http_exception=403)\n" \
        in routers
    for path in out.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"))
    assert not new_lint_findings(out, root, "lemur")
