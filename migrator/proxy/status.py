"""`migrate status`: every route of the state file with its stage, and the overall progress.

Progress counts route methods (a rule and one of its methods), because that is the unit that
moves: `/users/` GET can be on FastAPI while `/users/` POST is still on Flask. The share of
traffic on FastAPI is route-weighted (every route method of the Flask app counts the same)
unless the state file gives traffic counts: `requests = N` on every route, and optionally
`[traffic] total_requests = N` for the whole app in the same period.
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from migrator.model import ScanResult
from migrator.proxy.plan import STAGES, MigrationPlan, RouteStage

STAGE_STYLE = {"shadow": "cyan", "canary": "yellow", "full": "green", "rolled-back": "red"}


def progress(plan: MigrationPlan, scan: ScanResult | None) -> dict:
    """Routes per stage, route methods migrated out of the app's, and the share on FastAPI with
    the basis it was computed on."""
    stages = {stage: sum(1 for r in plan.routes if r.stage == stage) for stage in STAGES}
    migrated = sum(len(r.methods) for r in plan.routes)
    total = sum(len(r.methods) for r in scan.routes) if scan is not None else None
    result = {"routes": len(plan.routes), "stages": stages,
              "route_methods": {"in_state": migrated, "in_app": total}}
    counts = [r.requests for r in plan.routes]
    if plan.routes and all(count is not None for count in counts):
        on_new = sum(r.requests * r.share_on_new for r in plan.routes)
        if plan.total_requests:
            result["share_on_new"] = on_new / plan.total_requests
            result["share_basis"] = "requests of the whole app ([traffic] total_requests)"
        elif sum(counts):
            result["share_on_new"] = on_new / sum(counts)
            result["share_basis"] = "requests of the routes in the state file (requests = N)"
    if "share_on_new" not in result:
        weighted = sum(len(r.methods) * r.share_on_new for r in plan.routes)
        denominator = total or migrated
        result["share_on_new"] = weighted / denominator if denominator else 0.0
        result["share_basis"] = ("route-weighted: every route method of the app counts the same"
                                 if total else "route-weighted over the routes in the state file")
    return result


def route_json(route: RouteStage) -> dict:
    verify = route.verify
    return {
        "rule": route.rule,
        "methods": list(route.methods),
        "endpoint": route.endpoint,
        "blueprint": route.blueprint,
        "stage": route.stage,
        "percent": route.percent,
        "share_on_new": route.share_on_new,
        "verify": None if verify is None else {"passed": verify.passed, "at": verify.at,
                                               "cases": verify.cases, "failed": verify.failed},
        "forced": route.forced,
        "ignore": list(route.ignore),
        "requests": route.requests,
        "line": route.line,
    }


def status_json(plan: MigrationPlan, scan: ScanResult | None) -> str:
    document = {"state": plan.source, "legacy_source": plan.legacy_source,
                "legacy_upstreams": plan.legacy_upstreams, "new_upstreams": plan.new_upstreams,
                "routes": [route_json(r) for r in plan.routes], "progress": progress(plan, scan)}
    return json.dumps(document, indent=2) + "\n"


def _verify_cell(route: RouteStage) -> str:
    if route.verify is None:
        return "never"
    outcome = "[green]passed[/]" if route.verify.passed else "[red]failed[/]"
    passed_cases = route.verify.cases - route.verify.failed
    return f"{outcome} {passed_cases}/{route.verify.cases} ({route.verify.at})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def print_status(plan: MigrationPlan, scan: ScanResult | None, console: Console) -> None:
    table = Table(title=escape(f"Routes in {plan.source}"))
    for column in ("rule", "methods", "endpoint", "stage", "verify"):
        table.add_column(column)
    for route in plan.routes:
        stage = f"[{STAGE_STYLE[route.stage]}]{route.stage}[/]"
        if route.stage == "canary":
            stage += f" {route.percent}%"
        if route.forced:
            stage += " [bold red](forced)[/]"
        table.add_row(escape(route.rule), ",".join(route.methods), escape(route.endpoint), stage,
                      _verify_cell(route))
    console.print(table, highlight=False)
    summary = progress(plan, scan)
    methods = summary["route_methods"]
    of_app = f" of {methods['in_app']} in the app" if methods["in_app"] is not None else ""
    console.print(f"{_count(summary['routes'], 'route')} in the state file "
                  f"({_count(methods['in_state'], 'route method')}{of_app}): " + ", ".join(f"{stage} {count}" for stage, count in
                                                    summary["stages"].items()), highlight=False)
    console.print(f"On FastAPI: {summary['share_on_new']:.1%} of traffic "
                  f"({summary['share_basis']})", highlight=False)
