"""The generated package's `dependencies.py`: one route dependency per legacy guard decorator.

The views name their guards (`ConvertedView.guards`, from codemods/guards.py); each
distinct legacy decorator (or factory) gets one definition, a `flask_compat.LegacyGuard` around
the legacy code, imported rather than copied (docs/dependencies.md says why). Two different
legacy decorators with the same name (a project `login_required` and flask-login's) get distinct
names; routes refer to them through the module (`Depends(dependencies.login_required)`), so a
legacy decorator of the same name may stay on another view of the same router.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from codemods.base import GuardUse
from migrator.convert.view import ConvertedView
from migrator.resources import template_environment


@dataclass
class Definition:
    name: str  # in dependencies.py
    local: str  # the local name the legacy object is imported as
    use: GuardUse

    @property
    def origin(self) -> str:
        """The legacy decorator's dotted name, for the reader."""
        use = self.use
        return f"{use.target}.{use.attribute}" if use.attribute else use.target

    @property
    def legacy(self) -> str:
        """The legacy decorator, as an expression of dependencies.py."""
        return f"{self.local}.{self.use.attribute}" if self.use.attribute else self.local


def _key(use: GuardUse) -> tuple[str, str | None, bool]:
    return use.target, use.attribute, use.factory


def _definitions(guards: list[GuardUse]) -> dict[tuple[str, str | None, bool], Definition]:
    """One definition per legacy decorator and use (plain, or a factory called with arguments);
    names unique, deterministic."""
    definitions: dict[tuple[str, str | None, bool], Definition] = {}
    taken: set[str] = set()
    for use in sorted(guards, key=lambda g: (g.name, g.rule, g.target, g.attribute or "",
                                             g.factory)):
        if _key(use) in definitions:
            continue
        name, number = use.name, 2
        while name in taken or f"legacy_{name}" in taken:
            name, number = f"{use.name}_{number}", number + 1
        taken.update((name, f"legacy_{name}"))
        definitions[_key(use)] = Definition(name, f"legacy_{name}", use)
    return definitions


def render_dependencies(views: list[ConvertedView], legacy_tops: frozenset[str]
                        ) -> tuple[str, list[ConvertedView]]:
    """The text of dependencies.py, and the views with the `Depends(...)` of their routes."""
    from migrator.convert.render import render_imports  # render imports this module

    definitions = _definitions([guard for view in views for guard in view.guards])
    imports: set[tuple[str, str | None, str]] = {(".flask_compat", "LegacyGuard", "LegacyGuard")}
    for definition in definitions.values():
        module, _, attribute = definition.use.target.rpartition(".")
        # (`import security as legacy_required` for `security.auth.required`)
        imports.add((module, attribute, definition.local) if module
                    else (attribute, None, definition.local))
    with_dependencies = []
    for view in views:
        dependencies = [
            f"Depends(dependencies.{definitions[_key(g)].name}{g.arguments or ''})"
            for g in view.guards]
        with_dependencies.append(dataclasses.replace(view, dependencies=dependencies))
    ordered = sorted(definitions.values(), key=lambda d: d.name)
    template = template_environment().get_template("fastapi_app/dependencies.py.j2")
    text = template.render(imports=render_imports(imports, legacy_tops), definitions=ordered)
    return text, with_dependencies
