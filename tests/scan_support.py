"""Shared helpers for scan tests: write a tree of files, scan it, compare with the runtime."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

from migrator.model import Route
from migrator.scan import scan_path
from tests.example_support import forget_package

RouteKey = tuple[str, frozenset[str], str]


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def registered_endpoints(root: Path, module: str, app_of: Callable[[ModuleType], object]
                         ) -> dict[str, str]:
    """{rule: endpoint} of the Flask app `app_of` gets from `module` (imported from `root`, and
    forgotten after), without Flask's static route: what Flask itself registered."""
    sys.path.insert(0, str(root))
    try:
        app = app_of(importlib.import_module(module))
    finally:
        sys.path.remove(str(root))
        forget_package(module.split(".")[0])
    return {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()  # type: ignore[attr-defined]
            if rule.endpoint != "static"}


def served_rules(app) -> set[tuple[str, str]]:
    """(rule, endpoint) of every rule the Flask `app` registered, without its static route: what
    a scan of its source should list."""
    return {(rule.rule, rule.endpoint) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"}


def listed_rules(routes: Iterable[Route]) -> set[tuple[str, str]]:
    """(rule, endpoint) of each route a scan listed: the scan's side of `served_rules`."""
    return {(route.rule, route.endpoint) for route in routes}


def scanned_keys(root: Path, **options) -> set[RouteKey]:
    result = scan_path(root, **options)
    return {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes}


def describe_difference(scanned: set[RouteKey], runtime: set[RouteKey]) -> str:
    lines = []
    for key in sorted(runtime - scanned, key=str):
        lines.append(f"  missing from scan: {key[0]} {sorted(key[1])} {key[2]}")
    for key in sorted(scanned - runtime, key=str):
        lines.append(f"  extra in scan:     {key[0]} {sorted(key[1])} {key[2]}")
    return "\n".join(lines)
