"""Lint checks for generated packages.

Everything the converter writes must pass `ruff check`. The bodies of converted views are the
legacy code itself, carried over verbatim (comments included): a finding there that the original
view already had is the legacy code's own and is not the converter's to "fix" (that would change
code nobody asked to change). So: no finding anywhere in the package, except a rule that also
fires inside the same view in the legacy source.
"""

from __future__ import annotations

import ast
import functools
import json
import subprocess
import sys
import warnings
from collections import defaultdict
from pathlib import Path


def ruff_findings(paths: list[Path], first_party: str, cwd: Path,
                  party: str = "first") -> list[dict]:
    """`ruff check` of `paths` with the legacy package `first_party` taken for `party` ("first"
    or "third"): which one isort sees depends on where ruff runs (a legacy package under
    `examples/` is third party to a run from the repository's root)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "json",
         "--config", f"lint.isort.known-{party}-party = ['{first_party}']", *map(str, paths)],
        capture_output=True, text=True, check=False, cwd=cwd, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout or "[]")


@functools.cache
def enclosing_functions(path: Path) -> list[tuple[int, int, str]]:
    with warnings.catch_warnings():  # legacy code may hold invalid escapes ("\_")
        warnings.simplefilter("ignore")
        tree = ast.parse(path.read_text(encoding="utf-8"))
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            spans.append((start, node.end_lineno or node.lineno, node.name))
    return spans


def function_at(spans: list[tuple[int, int, str]], line: int) -> str | None:
    inside = [s for s in spans if s[0] <= line <= s[1]]
    return min(inside, key=lambda s: s[1] - s[0])[2] if inside else None


def new_lint_findings(package: Path, legacy_root: Path, first_party: str) -> list[str]:
    """Findings in `package` that are not the legacy views' own, as readable lines, with the
    legacy package taken for first party and for third party."""
    legacy: dict[str, set[str]] = defaultdict(set)  # function name -> rule codes
    legacy_files = sorted(legacy_root.rglob("*.py"))
    # both ways, as the package is checked below (an import block in a view is sorted
    # differently with the legacy package taken for third party)
    for finding in [*ruff_findings(legacy_files, first_party, legacy_root),
                    *ruff_findings(legacy_files, first_party, legacy_root, party="third")]:
        path = Path(finding["filename"])
        name = function_at(enclosing_functions(path), finding["location"]["row"])
        if name:
            legacy[name].add(finding["code"])
    new = []
    seen = set()
    for finding in [*ruff_findings([package], first_party, package.parent),
                    *ruff_findings([package], first_party, package.parent, party="third")]:
        key = (finding["filename"], finding["location"]["row"], finding["code"])
        if key in seen:
            continue
        seen.add(key)
        path = Path(finding["filename"])
        name = None
        if path.parent.name == "routers":
            name = function_at(enclosing_functions(path), finding["location"]["row"])
        original = name.rstrip("_") if name else None  # the renderer suffixes clashing names
        if original and any(finding["code"] in legacy.get(legacy_name, set())
                            for legacy_name in legacy_names(original)):
            continue
        new.append(f"{path.relative_to(package)}:{finding['location']['row']}: "
                   f"{finding['code']} {finding['message']}")
    return new


HTTP_METHOD_FUNCTIONS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def legacy_names(converted: str) -> set[str]:
    """The legacy functions a converted endpoint may come from: its own name, and for a view
    class's method (`todo_get` from `Todo.get`) the method's."""
    _, _, method = converted.rpartition("_")
    return {converted, method} if method in HTTP_METHOD_FUNCTIONS else {converted}
