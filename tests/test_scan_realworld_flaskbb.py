"""FlaskBB (PyPI, 2.0.2): blueprints registered by pluggy hook implementations.

`configure_blueprints(app)` calls `app.pluggy.hook.flaskbb_load_blueprints(app=app)`; each of
`flaskbb/{auth,forum,management,user}/views.py` implements that hook (`@impl(tryfirst=True)`,
`impl = HookimplMarker("flaskbb")`): it makes its blueprint inside the function, adds each view
with `register_view(bp, routes=[...], view_func=View.as_view("name"))` and registers the
blueprint on the app it is given. The scan listed none of FlaskBB's 101 routes. What it finds
is checked against the source itself, read here with `ast` independently of the scan. FlaskBB
is not run: its pinned dependencies (2019's) do not install on this Python. Each blueprint's
`url_prefix` is `app.config[...]`, read at run time, so every route is listed `manual` with its
prefix unresolved.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import flaskbb_package, realworld_cache  # noqa: F401 (fixtures)

HOOK = "flaskbb_load_blueprints"
PLUGINS = ("auth", "forum", "management", "user")


def _declared_routes(package: Path) -> set[tuple[str, str]]:
    """(rule under the blueprint's prefix, endpoint) of every `register_view` call in every
    implementation of the hook."""
    declared = set()
    for plugin in PLUGINS:
        tree = ast.parse((package / plugin / "views.py").read_text(encoding="utf-8"))
        hook = next(node for node in tree.body
                    if isinstance(node, ast.FunctionDef) and node.name == HOOK)
        blueprints = {node.targets[0].id: ast.literal_eval(node.value.args[0])
                      for node in ast.walk(hook)
                      if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                      and ast.unparse(node.value.func) == "Blueprint"}
        for node in ast.walk(hook):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "register_view":
                keywords = {keyword.arg: keyword.value for keyword in node.keywords}
                endpoint = ast.literal_eval(keywords["view_func"].args[0])
                for rule in ast.literal_eval(keywords["routes"]):
                    declared.add((rule, f"{blueprints[node.args[0].id]}.{endpoint}"))
    return declared


def test_flaskbb_routes_registered_by_plugin_hooks_are_listed(
        flaskbb_package: Path,  # noqa: F811 (the fixture)
) -> None:
    scan = scan_path(flaskbb_package.parent)
    declared = _declared_routes(flaskbb_package)
    assert len(declared) == 101
    prefix = "<unresolved: url_prefix>"
    assert all(route.rule.startswith(prefix) for route in scan.routes)
    assert {(route.rule.removeprefix(prefix), route.endpoint) for route in scan.routes} == declared
    assert {route.status for route in scan.routes} == {"manual"}
    assert not [d for d in scan.diagnostics if d.code == "scan.blueprint_not_registered"]
    [hook] = [d for d in scan.diagnostics
              if d.code == "scan.plugin_hook" and f"`{HOOK}`" in d.message]
    assert (hook.file, hook.severity) == ("flaskbb/app.py", "info")
    assert all(f"flaskbb/{plugin}/views.py:" in hook.message for plugin in PLUGINS)
