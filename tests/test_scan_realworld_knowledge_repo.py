"""knowledge-repo (PyPI, 0.9.3), Airbnb's knowledge-sharing web app: a Flask subclass as the app,
blueprints made by a helper.

`class KnowledgeFlask(Flask)` registers every blueprint in its own `__init__`
(`self.register_blueprint(routes.posts.blueprint)`), and the app is made where the scan names no
object (`return KnowledgeFlask(self, ...)` in a repository method); each `routes` module makes
its blueprint with `blueprint = get_blueprint('stats', __name__)`, a project function whose one
statement is `return Blueprint(name, import_name, template_folder=..., static_folder='../static')`.
The scan listed none of the app's routes (a `scan.unresolved_blueprint` warning at each
registration). What it finds is checked against the source, read here with `ast` independently of
the scan (knowledge-repo is not run: its dependencies are many).

Not listed, and said so: the blueprints of the auth providers, which
`KnowledgeAuthProvider.register_auth_provider_blueprints(self)` registers in a loop over the
app's configuration (`app.config.get('AUTH_PROVIDERS', ...)`), each under a prefix made from its
name: one `scan.unresolved_blueprint` warning at that registration.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import (  # noqa: F401 (fixtures)
    declared_route_decorators,
    knowledge_repo_package,
    realworld_cache,
)


def _constant(package: Path, name: str) -> str:
    """A module-level string constant of `knowledge_repo/constants.py`."""
    tree = ast.parse((package / "constants.py").read_text(encoding="utf-8"))
    return next(ast.literal_eval(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name)


def _declared_routes(package: Path) -> set[tuple[str, str, frozenset[str]]]:
    """(rule, endpoint, methods) of every `@blueprint.route(...)` in the `routes` modules the
    app registers, the blueprint's name read from its `get_blueprint(NAME, __name__)`, and the
    static route each blueprint's `static_folder` gives."""
    app = ast.parse((package / "app" / "app.py").read_text(encoding="utf-8"))
    registered = {node.args[0].value.attr for node in ast.walk(app)
                  if isinstance(node, ast.Call)
                  and ast.unparse(node.func) == "self.register_blueprint"
                  and ast.unparse(node.args[0]).startswith("routes.")}
    declared = set()
    for name in registered:
        module = ast.parse((package / "app" / "routes" / f"{name}.py").read_text(encoding="utf-8"))
        made = next(node.value for node in module.body if isinstance(node, ast.Assign)
                    and ast.unparse(node.targets[0]) == "blueprint")
        assert ast.unparse(made.func) == "get_blueprint"
        first = made.args[0]
        blueprint = first.value if isinstance(first, ast.Constant) else \
            _constant(package, first.id)
        declared.add(("/static/<path:filename>", f"{blueprint}.static", frozenset({"GET"})))
        declared.update((rule, f"{blueprint}.{endpoint}", methods)
                        for rule, endpoint, methods in declared_route_decorators(module,
                                                                                 "blueprint"))
    return declared


def test_knowledge_repo_routes_of_its_flask_subclass_and_helper_made_blueprints(
        knowledge_repo_package: Path,  # noqa: F811 (the fixture)
) -> None:
    scan = scan_path(knowledge_repo_package.parent)
    [app] = scan.apps
    assert app.factory == "KnowledgeFlask.__init__"
    declared = _declared_routes(knowledge_repo_package)
    assert len(declared) == 72  # 61 view rules, 11 blueprints' static routes
    found = {(route.rule, route.endpoint, frozenset(route.methods)) for route in scan.routes}
    assert found == declared
    warnings = [(d.code, d.file, d.line) for d in scan.diagnostics if d.severity == "warning"]
    assert warnings == [
        ("scan.unresolved_blueprint", "knowledge_repo/app/auth_provider.py", 26),
        ("scan.unresolved_argument", "knowledge_repo/app/auth_provider.py", 34),
        ("scan.blueprint_not_registered", "knowledge_repo/app/auth_provider.py", 34),
    ]
    # the debug blueprint is registered under `if self.config['DEBUG']:`
    [conditional] = [d for d in scan.diagnostics if d.code == "scan.conditional_registration"]
    assert conditional.message.startswith("blueprint `debug` is registered inside an if")


def test_knowledge_repo_page_view_logging_class_is_read_as_a_wrapper(
        knowledge_repo_package: Path,  # noqa: F811 (the fixture)
) -> None:
    """`@PageView.logged` (knowledge_repo/app/models.py: a class in the body of the `PageView`
    model, used bare) wraps 46 of its views; its `__call__` logs the page view around
    `self._route(*args, **kwargs)`, the view its `__init__` stores. The scan said "from an
    unresolved name" and kept all 46 on Flask; it now reads it as a post-processing wrapper that
    reads the view's arguments (its object extractor gets them), which stays around the view
    (FM036). No route of knowledge-repo is manual any more but its blueprint static routes."""
    scan = scan_path(knowledge_repo_package.parent)
    logged = [route for route in scan.routes if "PageView.logged" in route.decorators]
    assert len(logged) == 46
    assert {(d.qualified, d.shape, d.reads_arguments, d.hides_signature)
            for route in logged for d in route.decorator_details
            if d.name == "PageView.logged"} == {
        ("knowledge_repo.app.models.PageView.logged", "post_processing", True, True)}
    # (a blueprint's static route is manual: Flask keeps serving its files, as convert leaves it)
    assert {route.status for route in scan.routes if route.kind != "static"} == {
        "auto", "assisted"}
