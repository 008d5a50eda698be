"""The `migrate` command line. Thin: parse options, call one function, render its result.

Exit codes: 0 ok; 1 findings (for `scan`: a file could not be parsed); 2 usage error.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
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


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """What runs inside writes to stderr what it writes to stdout: `print`, a logging handler
    made on `sys.stdout`, a write to file descriptor 1. Verify imports and runs the legacy app,
    whose code may print (anitya's configuration module logs to stdout when it is imported):
    stdout carries the report only, JSON that parses with --format json."""
    for stream in (sys.stdout, sys.__stdout__):
        if stream is not None:
            stream.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1
        saved = None
    if saved is not None:
        os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if sys.__stdout__ is not None:
            sys.__stdout__.flush()  # what code holding it wrote meanwhile: still to stderr
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)


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


class ReportFormat(str, Enum):
    """--format of the commands that report in a table or in JSON."""

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
    app: Annotated[
        str | None,
        typer.Option("--app", help="Convert this app (its key as `migrate scan` shows it, "
                     "module:name or module:factory); default: the one the package was "
                     "generated from, else the app serving the most routes outside test files."),
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
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    json_encoding: Annotated[
        JsonEncoding,
        typer.Option("--json", help="flask: returned JSON keeps Flask's exact bytes (sorted keys, "
                     "ASCII, trailing newline, HTTP dates); fastapi: FastAPI's native encoding."),
    ] = JsonEncoding.flask,
    state: Annotated[
        Path | None,
        typer.Option("--state", help="Record converted routes in this state file at stage "
                     "shadow (created if missing). Default: ./migration.toml if it exists."),
    ] = None,
    no_state: Annotated[
        bool, typer.Option("--no-state", help="Do not record routes in any state file.")
    ] = False,
    errors: Annotated[
        ErrorFormat,
        typer.Option("--errors", help="legacy: an invalid body gets the legacy answer (status, "
                     "JSON shape, message); fastapi: a body model proven exact validates it "
                     "after the auth checks and hooks, answering FastAPI's 422."),
    ] = ErrorFormat.legacy,
    fastapi_pages: Annotated[
        bool,
        typer.Option("--fastapi-pages/--no-fastapi-pages",
                     help="Serve FastAPI's own pages (the OpenAPI schema, Swagger UI, ReDoc; "
                     "behind the legacy app's hooks), or not: their paths then answer as Flask "
                     "does (404 where no rule takes them)."),
    ] = True,
) -> None:
    """Convert Flask routes into a FastAPI package; the Flask source is never touched.

    Routes that cannot be converted safely stay on Flask, which the generated app mounts behind
    every converted route. Converted routes are added to the migration state file (--state, or
    ./migration.toml when it exists) at stage shadow; routes already there keep their stage.
    Exit code 0 ok; 1 with --check when something would change; 2 on a usage error (a missing
    path, a refused --out, a hand-edited file without --force, a broken state file).
    """
    import json

    from migrator.convert.output import OutputError, render_diff
    from migrator.convert.run import convert_project
    from migrator.report import print_convert_table, stdout_console

    if not path.is_dir():
        raise usage_error(f"not a folder: {path}")
    if state is not None and no_state:
        raise usage_error("--state and --no-state contradict each other")
    state_file = _convert_state_file(state, no_state)
    try:
        result = convert_project(path, out, blueprints=blueprint or (), patterns=route or (),
                                 only=set(only or ()) or None, skip=set(skip or ()) or None,
                                 force=force, write=not (diff or check),
                                 json_encoding=json_encoding.value, errors=errors.value,
                                 progress=True, app_name=app, fastapi_pages=fastapi_pages)
    except (OutputError, ValueError) as error:
        raise usage_error(str(error)) from None
    plan = result.plan
    assert plan is not None
    recorded = None
    if state_file is not None and not (diff or check):
        recorded = _record_converted(result, state_file, path)
    if diff:
        sys.stdout.write(render_diff(plan, color=sys.stdout.isatty()))
    elif format is ReportFormat.json:
        document = result.to_json()
        if recorded is not None:
            document["state"] = {"file": str(state_file),
                                 "added": [{"rule": r.rule, "methods": list(r.methods),
                                            "endpoint": r.endpoint} for r in recorded]}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        print_convert_table(result, stdout_console(), written=not check)
        if recorded is not None:
            print(f"{state_file}: {len(recorded)} route(s) added at stage shadow")
    if check and plan.changed:
        for change in plan.changes:
            if change.action not in ("unchanged", "kept"):
                print(f"would {change.action}: {change.path}", file=sys.stderr)
        raise typer.Exit(code=1)


@app.command()
def rules(
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
) -> None:
    """List the conversion rules: ID, module and what each does, in the order they run.

    The decisions about decorators (FM021-FM025, FM029, FM034, FM036) come last."""
    import json

    from codemods.guards import DECORATOR_DECISIONS
    from codemods.registry import VIEW_RULES

    listed = [(rule.RULE_ID, rule.__module__, rule.SUMMARY) for rule in VIEW_RULES]
    listed += [(rule_id, "codemods.guards", summary) for rule_id, summary in DECORATOR_DECISIONS]
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps([{"id": rule_id, "module": module, "summary": summary}
                                     for rule_id, module, summary in listed], indent=2) + "\n")
        return
    for rule_id, module, summary in listed:
        print(f"{rule_id}  {module:<26} {summary}")


class SetupScope(str, Enum):
    case = "case"
    route = "route"


@app.command()
def verify(
    new: Annotated[str, typer.Option("--new", help="The generated app: DIR.main:app.")],
    legacy: Annotated[str | None, typer.Option("--legacy", help="The Flask app: "
                      "MODULE:APP_OR_FACTORY, or a factory call with literal arguments, as "
                      "Flask's --app takes it: \"MODULE:create_app('production')\". Default: "
                      "one more app made as the generated package makes its own "
                      "(main.load_legacy_app).")] = None,
    cases: Annotated[Path | None, typer.Option("--cases", help="Your cases file (YAML or "
                     "JSON): cases, credentials, values, examples, ignore.")] = None,
    from_log: Annotated[list[Path] | None, typer.Option("--from-log", help="Replay an access "
                        "log (Nginx combined or gunicorn format; repeatable).")] = None,
    replay_writes: Annotated[bool, typer.Option("--replay-writes", help="Also replay POST, PUT, "
                             "PATCH and DELETE lines.")] = False,
    setup: Annotated[str | None, typer.Option("--setup", help="MODULE:FUNC called with each "
                     "side's Flask app before each case (e.g. a fresh database).")] = None,
    setup_each: Annotated[SetupScope, typer.Option("--setup-each", help="Run --setup before "
                          "each case or before each route's cases.")] = SetupScope.case,
    route: Annotated[list[str] | None, typer.Option("--route", "-r", help="Verify routes whose "
                     "rule or endpoint matches this glob (repeatable).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="A JSON pointer to ignore "
                      "in every JSON answer, e.g. /created_at ('*' matches any key or index), or "
                      "'re:' and a regular expression whose matches text answers leave out, e.g. "
                      "'re:name=\"csrf_token\" value=\"[^\"]*\"' (repeatable).")] = None,
    no_generate: Annotated[bool, typer.Option("--no-generate", help="Run only replayed and "
                           "user cases.")] = False,
    state: Annotated[Path, typer.Option("--state", help="The migration state file: its ignore "
                     "pointers are used and each route's outcome is recorded, when it exists.")]
    = Path("migration.toml"),
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
) -> None:
    """Prove that migrated routes answer like the Flask originals (both apps in process).

    Every case is sent to both apps from the same starting state (--setup); answers are compared
    on status, Content-Type, Location, cookie names and body.

    Exit code 0 when every case of every route matches; 1 on any mismatch; 2 on a usage error
    (an app that does not load, a cases file that does not parse, a missing log).
    """
    import json

    from migrator.report import print_verify_report, stdout_console
    from migrator.verify.casefile import CaseFileError, load_case_file
    from migrator.verify.compare import ignore_problem
    from migrator.verify.replay import read_access_logs
    from migrator.verify.run import VerifyError, VerifyInputs, record_outcomes, verify_routes

    for log in from_log or ():
        if not log.is_file():
            raise usage_error(f"access log not found: {log}")
    problems = [problem for entry in ignore or () if (problem := ignore_problem(entry))]
    if problems:
        raise usage_error(f"--ignore takes JSON pointers or 're:' and a regular expression: "
                          f"{problems[0]}")
    sys.path.insert(0, str(Path.cwd()))  # `--new DIR.main:app` names a folder of the cwd
    try:
        case_file = load_case_file(cases) if cases else None
        inputs = VerifyInputs(legacy, new, case_file=case_file,
                              replay=read_access_logs(list(from_log), replay_writes)
                              if from_log else None,
                              setup=setup, setup_each=setup_each.value, patterns=route or (),
                              ignore=tuple(ignore or ()), generate=not no_generate,
                              state_file=state if state.is_file() else None,
                              progress=lambda line: print(line, file=sys.stderr))
        with stdout_to_stderr():  # the apps' own output: stdout is the report's
            result = verify_routes(inputs)
        recorded = record_outcomes(state, result) if inputs.state_file is not None else 0
    except (CaseFileError, VerifyError) as error:
        raise usage_error(str(error)) from None
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2) + "\n")
    else:
        print_verify_report(result, stdout_console())
    if recorded:
        print(f"recorded {recorded} route outcome(s) in {state}", file=sys.stderr)
    raise typer.Exit(code=0 if result.ok else 1)


# --- migration state: convert records routes, rollout moves them, status shows them ------------

DEFAULT_STATE = Path("migration.toml")


def _convert_state_file(state: Path | None, no_state: bool) -> Path | None:
    """An explicit --state is created if missing; ./migration.toml is used only if it exists, so
    converting never leaves a state file behind unasked."""
    if no_state:
        return None
    if state is not None:
        return state
    return DEFAULT_STATE if DEFAULT_STATE.exists() else None


def _record_converted(result, state_file: Path, source: Path):
    from migrator.proxy.state import StateError, add_routes

    try:
        return add_routes(state_file, result.converted_routes(), legacy_source=source,
                          scan=result.scan)
    except StateError as error:
        raise usage_error(str(error)) from None


StateOption = Annotated[Path, typer.Option("--state", help="The migration state file.")]


@app.command()
def rollout(
    selector: Annotated[str, typer.Argument(help="Routes to move: a rule glob ('/api/v1/items*'), "
                                            "an endpoint or endpoint glob ('users.*'), or a "
                                            "blueprint name (nested blueprints included).")],
    percent: Annotated[
        int | None, typer.Option("--percent", min=0, max=100,
                                 help="Canary: this share of clients (sticky) on FastAPI.")
    ] = None,
    shadow: Annotated[bool, typer.Option("--shadow", help="Flask answers; FastAPI gets a "
                                         "mirrored copy.")] = False,
    full: Annotated[bool, typer.Option("--full", help="FastAPI answers every request.")] = False,
    rollback: Annotated[bool, typer.Option("--rollback", help="All traffic back on Flask; "
                                           "always allowed.")] = False,
    state: StateOption = DEFAULT_STATE,
    force: Annotated[bool, typer.Option("--force", help="Move beyond shadow without a passing "
                                        "verify; recorded as forced = true.")] = False,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table (a line per "
                      "route moved, for people) or json.")] = ReportFormat.table,
) -> None:
    """Change the stage of migrated routes in the state file.

    A route moves beyond shadow (a canary above 0%, or full) only if its last `migrate verify`
    passed, unless --force. Exit code 0 ok; 1 when the verify gate refused (nothing written);
    2 on a usage error (a broken state file, a selector that matches no route).
    """
    from migrator.proxy.state import StateError, VerifyGateError, describe, set_stage

    targets = [(name, value) for name, value in (("canary", percent is not None),
               ("shadow", shadow), ("full", full), ("rolled-back", rollback)) if value]
    if len(targets) != 1:
        raise usage_error("choose exactly one of --percent N, --shadow, --full, --rollback")
    stage = targets[0][0]
    try:
        # A rollback is the emergency exit: it only ever sends traffic back to Flask, so it
        # must work even when the legacy source cannot be scanned (moved, not deployed here).
        changed = set_stage(state, selector, stage, percent, force=force,
                            check_routes=stage != "rolled-back")
    except VerifyGateError as error:
        print(error, file=sys.stderr)
        raise typer.Exit(code=1) from None
    except StateError as error:
        raise usage_error(str(error)) from None
    if format is ReportFormat.json:
        import json

        from migrator.proxy.status import route_json

        sys.stdout.write(json.dumps({"state": str(state), "stage": stage, "percent": percent,
                                     "selector": selector,
                                     "changed": [route_json(route) for route in changed]},
                                    indent=2) + "\n")
        return
    target = f"canary {percent}%" if stage == "canary" else stage
    for route in changed:
        print(f"{target}{' (forced)' if route.forced else ''}: {describe(route)}")
    if not changed:
        print(f"nothing to change: every route matching {selector!r} is already {target}")


@app.command()
def status(
    state: StateOption = DEFAULT_STATE,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table (for people) or json.")
    ] = ReportFormat.table,
) -> None:
    """Show every route of the state file with its stage, and the overall progress.

    Progress: routes per stage, and route methods (a rule with one method, the unit that moves)
    in the state file out of all the Flask app's, from a scan of the legacy source. The share of
    traffic on FastAPI is route-weighted: each route method of the app counts the same, a canary
    counts its percent, full 100%, shadow and rolled-back 0. When every route in the file has
    `requests = N` (its traffic in some period, e.g. from access logs) it is requests-weighted
    instead, out of the traffic table's `total_requests` when given. Exit code 0 ok; 2 on a
    broken state file.
    """
    from migrator.proxy.state import StateError, read_state
    from migrator.proxy.status import print_status, status_json
    from migrator.report import stdout_console

    try:
        loaded = read_state(state)
    except StateError as error:
        raise usage_error(str(error)) from None
    if format is ReportFormat.json:
        sys.stdout.write(status_json(loaded.plan, loaded.scan))
    else:
        print_status(loaded.plan, loaded.scan, stdout_console())


class ProxyFormat(str, Enum):
    nginx = "nginx"
    gateway_api = "gateway-api"


@app.command()
def proxy(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the config here "
                                             "(default: standard output).")] = None,
    state: StateOption = DEFAULT_STATE,
    format: Annotated[ProxyFormat, typer.Option("--format", "-f", help="nginx (a complete "
                      "nginx.conf) or gateway-api (Kubernetes HTTPRoute manifests).")
                      ] = ProxyFormat.nginx,
    check: Annotated[bool, typer.Option("--check", help="Run `nginx -t` on the rendered config "
                                        "(private prefix, no root); nothing is written if it "
                                        "fails.")] = False,
    gateway: Annotated[str, typer.Option("--gateway", help="gateway-api: the parent Gateway "
                                         "([namespace/]name).")] = "strangler-gateway",
    legacy_service: Annotated[str, typer.Option("--legacy-service", help="gateway-api: the "
                                                "Flask Service, NAME:PORT.")] = "flask-legacy:8000",
    new_service: Annotated[str, typer.Option("--new-service", help="gateway-api: the FastAPI "
                                             "Service, NAME:PORT.")] = "fastapi-new:8000",
) -> None:
    """Render the strangler-fig proxy config from the state file (docs/proxy.md).

    Exit code 0 ok; 1 when --check and `nginx -t` refuses the config (nginx's message on
    stderr); 2 on a usage error (a broken state file, a rule that cannot be routed safely).
    """
    from migrator.convert.output import atomic_write
    from migrator.proxy.gateway import gateway_targets, render_gateway
    from migrator.proxy.nginx import ProxyRuleError, check_nginx_config, render_nginx
    from migrator.proxy.state import StateError, read_state

    if check and format is not ProxyFormat.nginx:
        raise usage_error("--check runs `nginx -t`: it applies to --format nginx only")
    try:
        targets = gateway_targets(gateway, legacy_service, new_service)
    except ProxyRuleError as error:
        raise usage_error(str(error)) from None
    try:
        loaded = read_state(state)
    except StateError as error:
        raise usage_error(str(error)) from None
    plan = loaded.plan
    if loaded.scan is not None:  # the rules left on Flask keep Werkzeug's precedence in nginx
        plan.legacy_rules = sorted(set(loaded.scan.flask_rules()))
        plan.legacy_extensions = sorted({e.name for a in loaded.scan.apps for e in a.extensions})
        plan.streamed_rules = sorted({r.rule for r in loaded.scan.routes if "stream" in r.features})
    try:
        text = render_nginx(plan) if format is ProxyFormat.nginx else render_gateway(plan, **targets)
    except ProxyRuleError as error:
        error.locate(state.read_text(encoding="utf-8"))
        raise usage_error(error.where(str(state))) from None
    if check:
        ok, message = check_nginx_config(text)
        if not ok:
            print(f"migrate: nginx -t failed: {message}", file=sys.stderr)
            raise typer.Exit(code=1)
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write(out, text.encode("utf-8"))
        print(f"wrote {out}{' (nginx -t: ok)' if check else ''}", file=sys.stderr)


def main() -> None:
    app()
