"""The `migrate` command line. Thin: parse options, call one function, render its result.

Exit codes: 0 ok; 1 findings (for `scan`: a file could not be parsed); 2 usage error.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from migrator import __version__

app = typer.Typer(
    name="migrate",
    help="Incremental Flask-to-FastAPI migration: scan a Flask code base, convert routes, "
    "verify them, and move traffic with a strangler-fig proxy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ScanFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


def usage_error(message: str) -> typer.Exit:
    """One line on stderr, exit code 2."""
    print(f"migrate: error: {message}", file=sys.stderr)
    return typer.Exit(code=2)


def _version(value: bool) -> None:
    if value:
        print(f"migrate {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Flask-to-FastAPI migration toolkit."""


@app.command()
def scan(
    path: Annotated[Path, typer.Argument(help="Folder (or one .py file) of the Flask code base.")],
    format: Annotated[
        ScanFormat, typer.Option("--format", "-f", help="table (for people), json, markdown.")
    ] = ScanFormat.table,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Glob of paths to skip (repeatable), e.g. 'tests/*'."),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show features and reasons per route.")
    ] = False,
) -> None:
    """List every Flask app, blueprint and route, without importing or running the code.

    Exit code 0 when every file was read, 1 when some file could not be parsed (it is listed
    under errors and skipped; the rest is still scanned), 2 on a usage error.
    """
    from migrator.report import print_scan_table, scan_json, scan_markdown, stdout_console
    from migrator.scan import scan_path

    if not path.exists():
        raise usage_error(f"path not found: {path}")
    result = scan_path(path, excludes=exclude or (), jobs=jobs, progress=True)
    if format is ScanFormat.json:
        sys.stdout.write(scan_json(result))
    elif format is ScanFormat.markdown:
        sys.stdout.write(scan_markdown(result))
    else:
        print_scan_table(result, stdout_console(), verbose=verbose)
    raise typer.Exit(code=1 if result.errors else 0)


def main() -> None:
    app()
