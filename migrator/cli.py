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


class ConvertFormat(str, Enum):
    table = "table"
    json = "json"


class JsonEncoding(str, Enum):
    flask = "flask"
    fastapi = "fastapi"


class ErrorFormat(str, Enum):
    legacy = "legacy"
    fastapi = "fastapi"


@app.command()
def convert(
    path: Annotated[Path, typer.Argument(help="Folder of the Flask code base (never modified).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder of the generated FastAPI package.")],
    blueprint: Annotated[
        list[str] | None,
        typer.Option("--blueprint", "-b", help="Convert this blueprint (repeatable; a name also "
                     "selects its nested blueprints)."),
    ] = None,
    route: Annotated[
        list[str] | None,
        typer.Option("--route", "-r", help="Convert routes whose rule or endpoint matches this "
                     "glob (repeatable), e.g. '/api/v1/items*' or 'users.*'."),
    ] = None,
    diff: Annotated[bool, typer.Option("--diff", help="Print what would change; write nothing.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if anything would change.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite generated files that a person edited.")
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only these rule IDs (repeatable).")
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", help="Skip these rule IDs (repeatable).")
    ] = None,
    format: Annotated[ConvertFormat, typer.Option("--format", "-f")] = ConvertFormat.table,
    json_encoding: Annotated[
        JsonEncoding,
        typer.Option("--json", help="flask: returned JSON keeps Flask's exact bytes (sorted keys, "
                     "ASCII, trailing newline, HTTP dates); fastapi: FastAPI's native encoding."),
    ] = JsonEncoding.flask,
    errors: Annotated[
        ErrorFormat,
        typer.Option("--errors", help="legacy: an invalid body gets the legacy answer (status, "
                     "JSON shape, message); fastapi: a body model proven exact validates it "
                     "after the auth checks and hooks, answering FastAPI's 422."),
    ] = ErrorFormat.legacy,
) -> None:
    """Convert Flask routes into a FastAPI package; the Flask source is never touched.

    Routes that cannot be converted safely stay on Flask, which the generated app mounts behind
    every converted route. Exit code 0 ok; 1 with --check when something would change; 2 on a
    usage error (a missing path, a refused --out, a hand-edited file without --force).
    """
    import json

    from migrator.convert.output import OutputError, render_diff
    from migrator.convert.run import convert_project
    from migrator.report import print_convert_table, stdout_console

    if not path.is_dir():
        raise usage_error(f"not a folder: {path}")
    try:
        result = convert_project(path, out, blueprints=blueprint or (), patterns=route or (),
                                 only=set(only or ()) or None, skip=set(skip or ()) or None,
                                 force=force, write=not (diff or check),
                                 json_encoding=json_encoding.value, errors=errors.value)
    except (OutputError, ValueError) as error:
        raise usage_error(str(error)) from None
    plan = result.plan
    assert plan is not None
    if diff:
        sys.stdout.write(render_diff(plan, color=sys.stdout.isatty()))
    elif format is ConvertFormat.json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2) + "\n")
    else:
        print_convert_table(result, stdout_console())
    if check and plan.changed:
        for change in plan.changes:
            if change.action not in ("unchanged", "kept"):
                print(f"would {change.action}: {change.path}", file=sys.stderr)
        raise typer.Exit(code=1)


@app.command()
def rules() -> None:
    """List the conversion rules: ID, module and what each does."""
    from codemods.registry import VIEW_RULES

    for rule in VIEW_RULES:
        print(f"{rule.RULE_ID}  {rule.__module__:<26} {rule.SUMMARY}")
    from codemods.guards import DECORATOR_DECISIONS

    for rule_id, summary in DECORATOR_DECISIONS:
        print(f"{rule_id}  {'codemods.guards':<26} {summary}")


def main() -> None:
    app()
