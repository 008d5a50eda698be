"""Shared helpers for scan tests: write a tree of files, scan it, compare with the runtime."""

from __future__ import annotations

import textwrap
from pathlib import Path

from migrator.scan import scan_path

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
