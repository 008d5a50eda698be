"""Rendering results for people (rich tables, Markdown) and machines (JSON)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from migrator.model import ScanResult
from migrator.resources import template_environment

STATUS_STYLE = {"auto": "green", "assisted": "yellow", "manual": "red"}


def stdout_console() -> Console:
    # rich colours only when the stream is a terminal, and honours NO_COLOR. Piped into a file
    # or a pager, rules and endpoints are not folded at 80 columns.
    width = None if sys.stdout.isatty() else 220
    return Console(file=sys.stdout, soft_wrap=False, width=width)


def stderr_console() -> Console:
    return Console(file=sys.stderr, soft_wrap=False)


@contextmanager
def stderr_progress(label: str, total: int, shown: bool = True) -> Iterator[Callable[[int], None]]:
    """A transient progress bar on stderr for a long run (`shown`: the caller decides, from
    the size of the run and whether stderr is a terminal); yields `advance(steps)`."""
    if not shown:
        yield lambda steps: None
        return
    from rich.progress import Progress

    with Progress(console=stderr_console(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda steps: bar.advance(task, steps)


def blueprint_summary(result: ScanResult) -> list[dict]:
    rows: dict[str, Counter] = {}
    for route in result.routes:
        key = route.blueprint or f"(app {route.app})"
        rows.setdefault(key, Counter())[route.status] += 1
    return [
        {
            "blueprint": key,
            "total": sum(counts.values()),
            "auto": counts["auto"],
            "assisted": counts["assisted"],
            "manual": counts["manual"],
        }
        for key, counts in sorted(rows.items())
    ]


def status_totals(result: ScanResult) -> Counter:
    totals = Counter({"auto": 0, "assisted": 0, "manual": 0})
    totals.update(route.status for route in result.routes)
    return totals


def scan_json(result: ScanResult) -> str:
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"


def scan_markdown(result: ScanResult) -> str:
    template = template_environment().get_template("scan_report.md.j2")
    return template.render(
        result=result,
        summary=blueprint_summary(result),
        totals=status_totals(result),
        not_auto=[r for r in result.routes if r.status != "auto"],
    )


def print_scan_table(result: ScanResult, console: Console, *, verbose: bool) -> None:
    totals = status_totals(result)
    console.print(
        f"[bold]{len(result.routes)} routes[/bold] in {len(result.apps)} app(s) and "
        f"{len(result.blueprints)} blueprint(s) under {result.root}: "
        f"[green]{totals['auto']} auto[/green], [yellow]{totals['assisted']} assisted[/yellow], "
        f"[red]{totals['manual']} manual[/red]"
    )
    summary = Table(title="Per blueprint")
    for column in ("blueprint", "routes", "auto", "assisted", "manual"):
        summary.add_column(column, justify="left" if column == "blueprint" else "right")
    # what the project wrote (rules, names) and the reasons (`[tool.migrate.blueprint-prefixes]`)
    # are text, not markup: escaped, so their brackets print as written
    for row in blueprint_summary(result):
        summary.add_row(escape(row["blueprint"]), str(row["total"]), str(row["auto"]),
                        str(row["assisted"]), str(row["manual"]))
    console.print(summary)
    routes = Table(title="Routes")
    for column in ("rule", "methods", "endpoint", "status", "where"):
        routes.add_column(column, overflow="fold", no_wrap=column != "rule")
    if verbose:
        routes.add_column("features / reasons", overflow="fold")
    for route in result.routes:
        cells = [
            escape(route.rule),
            ",".join(route.methods),
            escape(route.endpoint),
            f"[{STATUS_STYLE[route.status]}]{route.status}[/]",
            escape(f"{route.file}:{route.line}"),
        ]
        if verbose:
            cells.append(escape("\n".join([", ".join(route.features), *route.reasons]).strip()))
        routes.add_row(*cells)
    console.print(routes)
    for error in result.errors:
        where = f"{error.file}:{error.line or '?'}"
        console.print(f"[red]error[/red] {escape(where)}: {escape(error.message)}",
                      markup=True, highlight=False)
    for diagnostic in result.diagnostics:
        # Text, not markup: the message's own brackets (`[scan.code]`) must print as written.
        console.print(Text.assemble(
            (diagnostic.severity, "yellow"),
            f" {diagnostic.file}:{diagnostic.line or '?'}: [{diagnostic.code}] "
            f"{diagnostic.message}"), highlight=False)


def print_convert_table(result, console: Console, written: bool = True) -> None:
    """Per route: converted, converted with TODOs, or left on Flask and why; then the files
    written (`written`: none were, with --check, which lists what it would write)."""
    data = result.to_json()
    table = Table(title=f"migrate convert -> {data['out']}")
    for column in ("rule", "methods", "endpoint", "result", "why / rules"):
        table.add_column(column, overflow="fold")
    style = {"converted": "green", "converted_with_todos": "yellow", "left_on_flask": "red"}
    for route in data["routes"]:
        detail = route.get("reasons") or route.get("todos") or route.get("rules_applied") or []
        table.add_row(escape(route["rule"]), ",".join(route["methods"]), escape(route["endpoint"]),
                      f"[{style[route['result']]}]{route['result']}[/]", escape("\n".join(detail)))
    console.print(table)
    counts = Counter(r["result"] for r in data["routes"])
    console.print(f"{counts['converted']} converted, {counts['converted_with_todos']} converted "
                  f"with TODOs, {counts['left_on_flask']} left on Flask (served by the mounted "
                  "legacy app)")
    if data["other_apps"]:
        others = [f"{app['app']} ({app['routes']} route{'s' if app['routes'] != 1 else ''})"
                  for app in data["other_apps"][:5]]
        more = len(data["other_apps"]) - len(others)
        console.print(
            f"note: converted the app {data['legacy_app']}, the one with the most routes the scan "
            f"can see; the other apps it found: {', '.join(others)}"
            f"{f' and {more} more' if more else ''}. If production serves another, convert it "
            "with --app.", highlight=False, markup=False)
    for note in data["legacy_app_notes"]:
        console.print(f"note: {note}", highlight=False, markup=False)
    for change in data["files"] if written else ():
        if change["action"] not in ("unchanged", "kept"):
            console.print(f"{change['action']}: {change['path']}", highlight=False, markup=False)
    if data["serve"]:
        console.print(f"Serve it with: {data['serve']}", highlight=False, markup=False)
    else:
        console.print("The generated package cannot make the legacy app itself: "
                      f"{data['legacy_app_unloadable']}. Build it with "
                      "create_app(legacy_app), or make the app in main.load_legacy_app.",
                      highlight=False, markup=False)


def print_verify_report(result, console: Console) -> None:
    """Per route: cases, passed, failed, first mismatch; then each mismatch side by side."""

    data = result.to_json()
    table = Table(title="migrate verify")
    for column in ("route", "endpoint", "cases", "passed", "failed", "first mismatch / notes"):
        table.add_column(column, overflow="fold")
    for route in data["routes"]:
        colour = "green" if route["ok"] else "red"
        table.add_row(escape(f"{','.join(route['methods'])} {route['rule']}"), route["endpoint"],
                      str(route["cases"]), f"[{colour}]{route['passed']}[/]",
                      f"[{colour}]{route['failed']}[/]",
                      escape(route["first_mismatch"] or "; ".join(
                          route["notes"] + ([f"ignored: {', '.join(route['ignore'])}"]
                                            if route["ignore"] else []))))
    console.print(table)
    for note in data["notes"]:
        console.print(escape(f"note: {note}"), highlight=False)
    for mismatch in data["mismatches"]:
        request = mismatch["request"]
        console.rule(escape(f"{mismatch['endpoint']}: {mismatch['label']} ({mismatch['source']}"
                            f"{', ' + mismatch['origin'] if mismatch['origin'] else ''})"))
        console.print(escape(f"{request['method']} {request['path']}"), highlight=False)
        if request["body"]:
            console.print(escape(f"  body: {request['body'][:200]}"), highlight=False)
        for item in mismatch["mismatches"]:
            console.print(escape(f"  ! {item['aspect']}"
                                 f"{' at ' + item['detail'] if item['detail'] else ''}: "
                                 f"flask={item['legacy']}  fastapi={item['new']}"),
                          highlight=False)
        side = Table(show_header=True, box=None, pad_edge=False)
        side.add_column("flask", overflow="fold", ratio=1)
        side.add_column("fastapi", overflow="fold", ratio=1)
        flask, fastapi = mismatch["flask"], mismatch["fastapi"]
        side.add_row(*(escape(f"{a['status']} {a['content_type']}"
                              f"{chr(10) + 'Location: ' + a['location'] if a['location'] else ''}"
                              f"{chr(10) + a['error'] if a['error'] else ''}\n{a['body']}")
                       for a in (flask, fastapi)))
        console.print(side)
    summary = data["summary"]
    replay = data["replay"]
    if replay is not None:
        console.print(f"access logs: {replay['lines']} lines, {replay['requests']} requests "
                      f"replayed, {replay['duplicates']} duplicates, {replay['writes_skipped']} "
                      f"writes skipped, {len(replay['malformed'])} malformed lines skipped",
                      highlight=False)
        for problem in replay["malformed"][:20]:
            console.print(escape(f"  {problem['file']}:{problem['line']}: {problem['reason']}"),
                          highlight=False)
    for problem in data["case_file_problems"]:
        console.print(escape(f"cases file: {problem['file']}:{problem['line']}: "
                             f"{problem['reason']} (skipped)"), highlight=False)
    if data["unmatched"]:
        console.print(f"{len(data['unmatched'])} replayed or user cases match no route being "
                      "verified (not run)", highlight=False)
    by_legacy = "route(s) answered alike by the generated app's legacy mount, not by the " \
        "converted code"
    not_green = [f"{count} {what}" for count, what in (
        (summary["routes_failed"], "route(s) with mismatches"),
        (summary["routes_answered_by_legacy"], by_legacy),
        (summary["routes_without_cases"], "route(s) with no case run")) if count]
    verdict = "[green]all routes verify green[/]" if data["ok"] else \
        f"[red]{escape('; '.join(not_green) or 'no route verified')}[/]"
    console.print(f"{summary['routes_passed']}/{summary['routes']} routes green, "
                  f"{summary['cases']} cases, {summary['cases_failed']} failed, "
                  f"{summary['seconds']:.1f} s; {verdict}")
