"""What a person states about the legacy app that no reading of its source can know.

A blueprint's URL prefix is sometimes a deployment setting: rq-dashboard registers its blueprint
with `url_prefix=url_prefix`, a parameter its command line or an environment variable fills.
The scan then lists the blueprint's routes with `<unresolved: url_prefix>` and keeps them on
Flask. The project can state the prefix its deployment uses, in the `pyproject.toml` nearest to
the scanned folder (that folder or the closest one above it that has one, as ruff and black
look for theirs):

    [tool.migrate.blueprint-prefixes]
    rq_dashboard = ""          # the blueprint's name, as its endpoints start with
    "admin.reports" = "/r"     # a nested blueprint: its dotted name

The scan takes a stated prefix only where it cannot read the registration's own (an
`scan.stated_prefix` note says so); a prefix it can read wins, with a warning. The generated app
checks at start-up that the legacy app serves each converted rule (`routers.LEGACY_RULES`), so a
statement that is wrong for some deployment sends those routes to Flask instead of answering at
the wrong paths.

Every command that scans (scan, convert, verify, proxy) reads the same file, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from migrator.model import FileError

PYPROJECT = "pyproject.toml"
PREFIXES_TABLE = "blueprint-prefixes"


@dataclass
class StatedValues:
    """The values stated in `source` (a path as the scan reports files; "" when none was found)."""

    source: str = ""
    blueprint_prefixes: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # each stated name's line there


def nearest_pyproject(root: Path) -> Path | None:
    """The `pyproject.toml` in `root` (a folder, or a file's folder) or the closest folder above."""
    folder = (root if root.is_dir() else root.parent).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / PYPROJECT
        if path.is_file():
            return path
    return None


def shown_path(path: Path, root: Path) -> str:
    """`path` relative to the scanned folder when inside it, else as it is."""
    base = (root if root.is_dir() else root.parent).resolve()
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def load_stated_values(root: Path) -> tuple[StatedValues, list[FileError]]:
    """The values `[tool.migrate]` of the nearest `pyproject.toml` states, and what is wrong in
    it (a file that does not parse, a prefix that is not a string): reported, never fatal."""
    path = nearest_pyproject(root)
    if path is None:
        return StatedValues(), []
    shown = shown_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
        document = tomlkit.parse(text).unwrap()
    except (OSError, UnicodeDecodeError) as error:
        return StatedValues(), [FileError(shown, None, f"cannot read it: {error}")]
    except ParseError as error:
        return StatedValues(), [FileError(shown, error.line, f"not valid TOML: {error}")]
    tool = document.get("tool", {})
    table = tool.get("migrate", {}) if isinstance(tool, dict) else {}
    prefixes = table.get(PREFIXES_TABLE, {}) if isinstance(table, dict) else {}
    text_lines = text.splitlines()
    line = _table_line(text_lines, PREFIXES_TABLE)
    if not isinstance(prefixes, dict):
        return StatedValues(shown), [FileError(
            shown, line, f"[tool.migrate] {PREFIXES_TABLE} must be a table of blueprint names "
            "and prefixes")]
    lines = _key_lines(text_lines, prefixes)
    problems = {name: _prefix_problem(value) for name, value in prefixes.items()}
    errors = [FileError(shown, lines.get(name, line), f"[tool.migrate.{PREFIXES_TABLE}] {name}: "
                        f"{problem}; it is ignored")
              for name, problem in problems.items() if problem is not None]
    stated = {name: value for name, value in prefixes.items() if problems[name] is None}
    return StatedValues(shown, stated, lines), errors


def _prefix_problem(value: object) -> str | None:
    """What makes `value` no URL prefix Flask takes (Werkzeug wants rules to start with "/")."""
    if not isinstance(value, str):
        return f"the prefix must be a string, not {value!r}"
    if value and not value.startswith("/"):
        return f"the prefix must be empty or start with '/', not {value!r}"
    return None


def _table_line(text_lines: list[str], table: str) -> int | None:
    """The line of the `[tool.migrate.<table>]` header (or of `<table> =`), for messages."""
    for number, text in enumerate(text_lines, start=1):
        stripped = text.strip()
        if stripped.replace(" ", "") == f"[tool.migrate.{table}]" or \
                stripped.replace(" ", "").startswith(f"{table}="):
            return number
    return None


def _key_lines(text_lines: list[str], names: dict[str, object]) -> dict[str, int]:
    """The line each of `names` is stated on (`name = ...` or `"dotted.name" = ...`)."""
    found: dict[str, int] = {}
    for number, text in enumerate(text_lines, start=1):
        key = text.split("=", 1)[0].strip().strip("\"'")
        if "=" in text and key in names and key not in found:
            found[key] = number
    return found
