"""What a person states about the legacy app that no reading of its source can know.

A blueprint's URL prefix is sometimes a deployment setting: rq-dashboard registers its blueprint
with `url_prefix=url_prefix`, a parameter its command line or an environment variable fills.
The scan then lists the blueprint's routes with `<unresolved: url_prefix>` and keeps them on
Flask. The project can state the prefix its deployment uses, in the `pyproject.toml` nearest to
the scanned folder (that folder or the closest one above it that has one, as ruff and black
look for theirs; the search stops at a `site-packages` folder):

    [tool.migrate.blueprint-prefixes]
    rq_dashboard = ""          # the blueprint's name, as its endpoints start with
    "admin.reports" = "/r"     # a nested blueprint: its dotted name

The scan takes a stated prefix only where it cannot read the registration's own (an
`scan.stated_prefix` note says so); a prefix it can read wins, with a warning. The generated app
checks at start-up that the legacy app serves each converted rule (`routers.LEGACY_RULES`), so a
statement that is wrong for some deployment sends those routes to Flask instead of answering at
the wrong paths.

The same table can state how the generated package makes the legacy app, where the scan finds
a factory but not the call production makes of it: a factory whose parameters have no default
(`make_flask_app(config, username, password, url_prefix)`), or whose defaults are not what
production passes (`create_app(config_name="development")`). The value is written as Flask's own
`--app` option takes it, a module and a call of its factory with literal arguments:

    [tool.migrate]
    legacy-app = "rq_dashboard.cli:make_flask_app(None, None, None, '')"

The generated `main.load_legacy_app` then makes the app with that call (`scan.stated_app`).
Where production serves an app a module made with the factory and arguments that are not
literals (terracotta's `app = create_app(debug=settings.DEBUG, profile=settings.FLASK_PROFILE)`
in `terracotta/server/app.py`), the value names that app, `legacy-app =
"terracotta.server.app:app"`, and the package imports it.

Every command that scans (scan, convert, verify, proxy) reads the same file, so they agree.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import ParseError

from migrator.model import FileError

PYPROJECT = "pyproject.toml"
PREFIXES_TABLE = "blueprint-prefixes"
LEGACY_APP_KEY = "legacy-app"
_MODULE_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


@dataclass(frozen=True)
class StatedApp:
    """`[tool.migrate] legacy-app`: the factory call that makes the legacy app."""

    module: str  # the factory's module
    factory: str  # the module-level function it calls; for an app object, the object's name
    call: str  # the call as the generated package writes it: `make_flask_app(None, '')`
    line: int | None
    # `terracotta.server.app:app`: the module-level name of the app production serves, which
    # the project made with its factory and arguments that are no literals (`create_app(
    # debug=settings.DEBUG)`); `call` is then the name
    is_object: bool = False

    @property
    def text(self) -> str:
        return f"{self.module}:{self.call}"


@dataclass
class StatedValues:
    """The values stated in `source` (a path as the scan reports files; "" when none was found)."""

    source: str = ""
    blueprint_prefixes: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # each stated name's line there
    legacy_app: StatedApp | None = None


# Where installers put packages: a pyproject.toml there or above belongs to no installed package
# (a virtualenv made inside a project folder would otherwise lend the project's statements to
# every package installed in it).
INSTALL_FOLDERS = frozenset({"site-packages", "dist-packages"})


def nearest_pyproject(root: Path) -> Path | None:
    """The `pyproject.toml` in `root` (a folder, or a file's folder) or the closest folder above,
    short of the folder packages are installed in."""
    folder = (root if root.is_dir() else root.parent).resolve()
    for candidate in (folder, *folder.parents):
        if candidate.name in INSTALL_FOLDERS:
            return None
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
    legacy_app = None
    if isinstance(table, dict) and LEGACY_APP_KEY in table:
        app_line = _key_lines(text_lines, {LEGACY_APP_KEY: None}).get(LEGACY_APP_KEY)
        legacy_app = stated_app(table[LEGACY_APP_KEY], app_line)
        if isinstance(legacy_app, str):
            errors.append(FileError(shown, app_line, f"[tool.migrate] {LEGACY_APP_KEY}: "
                                                     f"{legacy_app}; it is ignored"))
            legacy_app = None
    return StatedValues(shown, stated, lines, legacy_app), errors


def stated_app(value: object, line: int | None) -> StatedApp | str:
    """The factory call `value` states, in Flask's `--app` syntax, or the module-level name of
    an app a module made with the factory (`pkg.wsgi:app`); or what is wrong with it."""
    if isinstance(value, str):
        module, colon, name = (part.strip() for part in value.partition(":"))
        if colon and _MODULE_NAME.fullmatch(module) and name.isidentifier():
            return StatedApp(module, name, name, line, is_object=True)
    parsed = parse_app_call(value)
    if isinstance(parsed, str):
        return parsed
    module, factory, call = parsed
    return StatedApp(module, factory, ast.unparse(call), line)


def parse_app_call(value: object) -> tuple[str, str, ast.Call] | str:
    """`module:factory(args)` as Flask's `--app` option takes it (the arguments literals, as
    Flask's own loader wants them): the module, the factory's name and the call; or what is
    wrong with `value`."""
    example = "write it as `package.module:create_app('production')`"
    if not isinstance(value, str):
        return f"must be a string, not {value!r}; {example}"
    module, colon, expression = value.partition(":")
    module, expression = module.strip(), expression.strip()
    if not colon or not _MODULE_NAME.fullmatch(module):
        return f"{value!r} names no module and factory call; {example}"
    try:
        call = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return f"{expression!r} is not a Python call; {example}"
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        return (f"{expression!r} is not a call of a function of `{module}`; a module-level "
                f"app is found by the scan itself; {example}")
    if any(isinstance(argument, ast.Starred) for argument in call.args) or \
            any(keyword.arg is None for keyword in call.keywords):
        return f"{expression!r} unpacks arguments; write each one"
    for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
        try:
            ast.literal_eval(argument)
        except (ValueError, TypeError, SyntaxError, RecursionError):
            return (f"the argument {ast.unparse(argument)} of {expression!r} is not a "
                    "literal (Flask's --app takes literals only)")
    return module, call.func.id, call


def call_arguments(call: ast.Call) -> tuple[list[Any], dict[str, Any]]:
    """The values of a call `parse_app_call` accepted (its arguments are literals)."""
    return ([ast.literal_eval(argument) for argument in call.args],
            {str(keyword.arg): ast.literal_eval(keyword.value) for keyword in call.keywords})


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
