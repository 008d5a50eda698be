"""`migrate convert`: choose routes from the scan model, convert their views, render and write.

Incremental: the manifest of the output folder records which endpoints were converted, and a
later run converts those plus the newly chosen ones, so converting one blueprint and then another
gives the same package as converting both at once.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from codemods.base import python_identifier, written_names
from codemods.registry import select_rules
from migrator import __version__
from migrator.convert.output import (
    OutputError,
    WritePlan,
    apply_plan,
    plan_write,
    read_manifest_metadata,
    validate_out_dir,
)
from migrator.convert.render import legacy_app_spec, render_package
from migrator.convert.view import (
    ConvertedView,
    LeftOnFlask,
    SourceCache,
    aliased_view,
    convert_view,
    qualified_view,
    value_preprocessors,
)
from migrator.discover import looks_like_test
from migrator.model import App, Route, ScanResult, route_selected
from migrator.proxy.plan import RouteStage
from migrator.report import stderr_progress
from migrator.scan import scan_path
from migrator.scan.stated import INSTALL_FOLDERS


def _methods(views: list[ConvertedView]) -> list[str]:
    """The methods a route's converted views serve (a MethodView's, one view each), sorted."""
    return sorted({m for view in views for m in view.route.methods})


@dataclass
class ConvertResult:
    out_dir: Path
    app: App
    converted: list[ConvertedView] = field(default_factory=list)
    left: list[LeftOnFlask] = field(default_factory=list)
    plan: WritePlan | None = None
    scan: ScanResult | None = None
    # the other apps the scan found, by key, with how many routes it sees on each, where the
    # app converted was chosen for having the most (neither --app nor an earlier run named it)
    other_apps: dict[str, int] = field(default_factory=dict)

    def serve_command(self) -> str | None:
        """How to serve the generated app: both the output folder's parent and the folder that
        holds the legacy package must be importable; an installed package's `site-packages` is
        left to the environment that installed it (on PYTHONPATH, another interpreter would read
        packages built for this one); uvicorn's asyncio loop where loading the legacy app makes
        the standard library green (`LegacyApp.uvicorn_options`). None when the package cannot
        make the legacy app itself (`legacy_app_spec`)."""
        assert self.scan is not None
        legacy = legacy_app_spec(self.app)
        if legacy.unloadable:
            return None
        source = Path(self.scan.root) / self.app.file
        # `a.b` is a/b/__init__.py or a/b.py: the folder `import a` works from is as many
        # levels above the file's folder as the module has parts (one fewer for a plain module)
        legacy_root = source.parent
        for _ in range(len(self.app.module.split(".")) - (source.name != "__init__.py")):
            legacy_root = legacy_root.parent
        paths = []
        for folder in (self.out_dir.parent, legacy_root):
            if folder is legacy_root and folder.name in INSTALL_FOLDERS:
                continue
            shown = _shown(folder)
            if shown not in paths:
                paths.append(shown)
        return (f"PYTHONPATH={':'.join(paths)} uvicorn {self.out_dir.name}.main:app"
                f"{legacy.uvicorn_options}")

    def converted_by_route(self) -> dict[tuple[str, str], list[ConvertedView]]:
        """The converted views of each (rule, endpoint): a MethodView route is converted into one
        view per method, but it is one route."""
        by_route: dict[tuple[str, str], list[ConvertedView]] = {}
        for view in self.converted:
            by_route.setdefault((view.route.rule, view.route.endpoint), []).append(view)
        return by_route

    def converted_routes(self) -> list[RouteStage]:
        """One routing-plan entry per converted route: its rule and the methods converted."""
        return [RouteStage(rule=rule, endpoint=endpoint, blueprint=views[0].route.blueprint,
                           methods=tuple(_methods(views)))
                for (rule, endpoint), views in self.converted_by_route().items()]

    def to_json(self) -> dict:
        routes = []
        for (rule, endpoint), views in self.converted_by_route().items():
            todos = [f"{rule_id}: {why}" for view in views for rule_id, why in view.todos]
            routes.append({"endpoint": endpoint, "rule": rule,
                           "methods": _methods(views),
                           "result": "converted_with_todos" if todos else "converted",
                           "rules_applied": sorted({r for view in views for r in view.applied}),
                           "todos": todos})
            # what a body/answer model does not carry (the legacy code still checks it): a
            # documentation gap, not a behaviour change, so not a route TODO
            model_todos = sorted({f"{m.rule}: {m.name}: {t}" for view in views
                                  for m in view.models for t in m.todos})
            if model_todos:
                routes[-1]["model_todos"] = model_todos
        for left in self.left:
            routes.append({"endpoint": left.route.endpoint, "rule": left.route.rule,
                           "methods": left.route.methods, "result": "left_on_flask",
                           "reasons": left.reasons})
        routes.sort(key=lambda r: (r["rule"], r["endpoint"]))
        changes = [{"path": c.path, "action": c.action} for c in self.plan.changes] \
            if self.plan else []
        return {"out": str(self.out_dir), "legacy_app": self.app.key, "routes": routes,
                "files": changes, "serve": self.serve_command(),
                "legacy_app_unloadable": legacy_app_spec(self.app).unloadable,
                "legacy_app_notes": [
                    f"{d.file}:{d.line or '?'}: [{d.code}] {d.message}"
                    for d in (self.scan.diagnostics if self.scan else ())
                    if d.code in APP_LOADING_CODES],
                "other_apps": [{"app": key, "routes": count}
                               for key, count in self.other_apps.items()]}


#: What the scan says about how the generated package gets the legacy app (a statement it
#: cannot use, setup an import skips, a composition production serves it in): convert repeats
#: it, as the serve command it prints depends on it.
APP_LOADING_CODES = frozenset({
    "scan.stated_app_unused", "scan.stated_app_ignored", "scan.instance_set_up",
    "scan.instance_chosen", "scan.instance_with_arguments", "scan.app_set_up_where_run",
    "scan.set_up_elsewhere", "scan.loaded_with", "scan.served_inside",
    "scan.unloaded_middleware", "scan.run_time_registration",
    "scan.factory_called_with_arguments"})


def _shown(folder: Path) -> str:
    """A folder as a user would type it: relative to the working folder when inside it."""
    try:
        relative = folder.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(folder)
    return relative.as_posix() or "."


def choose_app(scan: ScanResult, wanted: str | None = None, recorded: str | None = None) -> App:
    """The app to convert: the one `wanted` names (`--app`: its key as `migrate scan` shows it,
    `module:name` for a module's app, `module:factory`, or a module holding one app); else the
    one the package was generated from (`recorded`), so that a later run extends the same
    package; else the app serving the most routes, apps made in test files left out (pgadmin4's
    only app with routes the scan can see is a test's dummy app: production serves another)."""
    serving: dict[str, int] = defaultdict(int)
    for route in scan.routes:
        serving[route.app] += 1
    listed = sorted((a for a in scan.apps if serving[a.key]), key=lambda a: (-serving[a.key], a.key))
    keys = ", ".join(f"{a.key} ({serving[a.key]} routes)" for a in listed[:5]) or "none"
    keys += f" and {len(listed) - 5} more" if len(listed) > 5 else ""
    if wanted is not None:
        named = [a for a in scan.apps
                 if wanted == a.key or (a.factory and wanted == f"{a.module}:{a.factory}")]
        named = named or [a for a in scan.apps if a.module == wanted]
        if len(named) != 1:
            what = "names no app" if not named else "names several apps"
            raise OutputError(f"--app {wanted} {what} the scan found; the apps with routes: "
                              f"{keys}")
        if not serving[named[0].key]:
            raise OutputError(f"the app {named[0].key} has no routes the scan can see")
        return named[0]
    if recorded is not None:
        for app in scan.apps:
            if app.key == recorded and serving[app.key]:
                return app
        raise OutputError(f"the package was generated from the app {recorded}, which has no "
                          "routes in this scan; pass --app to choose one (the apps with routes: "
                          f"{keys})")
    with_routes = [a for a in scan.apps if serving[a.key]]
    if not with_routes:
        raise OutputError(f"no Flask app with routes found under {scan.root}")
    apps = [a for a in with_routes if not looks_like_test(a.file)]
    if not apps:
        raise OutputError("the only apps with routes the scan can see are made in test files "
                          f"({', '.join(sorted({a.file for a in with_routes}))}); pass --app to "
                          f"convert one of them ({keys})")
    return max(apps, key=lambda a: (serving[a.key], a.key))


def apps_not_chosen(scan: ScanResult, chosen: App) -> dict[str, int]:
    """The apps other than `chosen` that the scan found outside test files, with the number of
    routes it sees on each, most first. An app on which it sees none may be the one production
    serves all the same (rucio's `main:application`, whose blueprints are registered where the
    scan cannot follow, beside the documentation app of each of its modules)."""
    serving = Counter(route.app for route in scan.routes)
    others = [a for a in scan.apps if a.key != chosen.key and not looks_like_test(a.file)]
    return {a.key: serving[a.key]
            for a in sorted(others, key=lambda a: (-serving[a.key], a.key))}


def select_routes(routes: list[Route], blueprints: Sequence[str], patterns: Sequence[str],
                  previous: set[str]) -> list[Route]:
    """Routes of the chosen blueprints (a name also selects its nested blueprints), or whose rule
    or endpoint matches a glob, plus those converted by earlier runs; all routes if nothing is
    chosen."""
    def chosen(route: Route) -> bool:
        if route.endpoint in previous:
            return True
        if not blueprints and not patterns:
            return True
        return route_selected(route, blueprints, patterns)

    return [r for r in routes if chosen(r)]


def registered_prefixes(scan: ScanResult) -> dict[str, str | None]:
    """Each blueprint registration's effective URL prefix, by its dotted name; a name registered
    under two different prefixes (by two apps, say) is left out."""
    found: dict[str, set[str | None]] = defaultdict(set)
    for blueprint in scan.blueprints:
        for registration in blueprint.registrations:
            found[registration.name].add(registration.url_prefix)
    return {name: prefixes.pop() for name, prefixes in found.items() if len(prefixes) == 1}


# Names every generated router binds itself (templates/fastapi_app/router.py.j2).
ROUTER_TEMPLATE_NAMES: dict[str, tuple[str, str | None]] = {
    "APIRouter": ("fastapi", "APIRouter"), "bridge": ("..bridge", "bridge"),
    "router": ("the router itself", None),
}


def bound_object(module: str, name: str | None, local: str) -> tuple[str, str | None]:
    """What an import binds `local` to, as (module, name): `import os` and `import os.path`
    both bind `os` to the module `os`, so two views of a router may each write theirs."""
    top = module.split(".")[0]
    return (top, None) if name is None and local == top else (module, name)


def import_clashes(views: list[ConvertedView]) -> tuple[list[ConvertedView], list[LeftOnFlask]]:
    """The views a router can hold, and the routes that stay on Flask because a view needs a
    name that an earlier view of the same router imports from elsewhere (`HTTPException` from
    fastapi for one view, from werkzeug.exceptions for the next): one module binds one.

    A view that needs the name only for the parameters a rule gave it (`Query` from fastapi,
    next to a view reading TinyDB's `Query`) writes it `fastapi.Query` there instead."""
    views = list(views)
    origins: dict[tuple[str | None, str], set[tuple[str, str | None]]] = defaultdict(set)
    for view in views:
        for module, name, local in view.imports:
            origins[(view.route.blueprint, local)].add(bound_object(module, name, local))
    for index, view in enumerate(views):
        for module, name, local in sorted(view.imports, key=lambda i: (i[2], i[0], i[1] or "")):
            if name == local and len(origins[(view.route.blueprint, local)]) > 1:
                view = qualified_view(view, module, name) or view
        views[index] = view
    bound: dict[tuple[str | None, str], tuple[str, str | None]] = {}
    aliases: dict[tuple[str | None, str, str | None], str] = {}  # one per name of the project
    clashes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for index, view in enumerate(views):
        blueprint = view.route.blueprint
        for local, source in ROUTER_TEMPLATE_NAMES.items():  # what router.py.j2 binds itself
            bound.setdefault((blueprint, local), source)
        for module, name, local in sorted(view.imports, key=lambda i: (i[2], i[0], i[1] or "")):
            origin = bound_object(module, name, local)
            earlier = bound.setdefault((blueprint, local), origin)
            if earlier == origin:
                continue
            if not module.startswith("."):
                # another object under a name the router binds already: a name of the project
                # (each view module's `app = get_app()`, `log = logging.getLogger(__name__)`), or
                # of a library (FastAPI's `HTTPException` that FM004 raises, beside a view
                # reading Werkzeug's): the view reads it under another name
                alias = aliases.get((blueprint, module, name))
                if alias is None or alias in written_names(view.function):
                    alias = _free_alias(local, module, view,
                                        {b for (p, b) in bound if p == blueprint})
                aliased = aliased_view(view, module, name, local, alias)
                if aliased is not None:
                    views[index] = view = aliased
                    bound[(blueprint, alias)] = (module, name)
                    aliases[(blueprint, module, name)] = alias
                    continue
            shown = f"{earlier[0]}.{earlier[1]}" if earlier[1] else earlier[0]
            clashes[(view.route.rule, view.route.endpoint)].append(
                f"convert.name_clash: this view reads {local} as "
                f"{module + '.' + name if name else module}, but its router already imports "
                f"{local} as {shown} for another view; the route stays on Flask")
    kept = [v for v in views if (v.route.rule, v.route.endpoint) not in clashes]
    left: dict[tuple[str, str], LeftOnFlask] = {}
    for view in views:
        key = (view.route.rule, view.route.endpoint)
        if key in clashes and key not in left:
            left[key] = LeftOnFlask(view.route, list(dict.fromkeys(clashes[key])))
    return kept, list(left.values())


def _free_alias(local: str, module: str, view: ConvertedView, taken: set[str]) -> str:
    """A name for `local` of `module` that neither the router nor the view uses yet:
    `app` of `puppetboard.views.facts` -> `facts_app`. A name ruff reads as a logger stays
    one (`log` -> `log_facts`, as ruff takes names that start with `log` or end with `logger`
    for loggers: BLE001 accepts `except Exception:` that logs the exception to one)."""
    short = module.strip(".").rsplit(".", 1)[-1]
    base = python_identifier(f"{local}_{short}" if local.startswith(("log", "LOG"))
                             else f"{short}_{local}")
    used = taken | written_names(view.function)
    alias, number = base, 2
    while alias in used:
        alias, number = f"{base}_{number}", number + 1
    return alias


def source_from_out(source: Path, out_dir: Path) -> str:
    """`source` as a path from `out_dir` (POSIX separators), or absolute where none leads
    there (another drive)."""
    try:
        return Path(os.path.relpath(source, out_dir)).as_posix()
    except ValueError:
        return str(source)


def convert_project(source: Path, out_dir: Path, *, blueprints: Sequence[str] = (),
                    patterns: Sequence[str] = (), only: set[str] | None = None,
                    skip: set[str] | None = None, force: bool = False, write: bool = True,
                    jobs: int | None = None, json_encoding: str = "flask",
                    errors: str = "legacy", progress: bool = False,
                    app_name: str | None = None, fastapi_pages: bool = True) -> ConvertResult:
    """`progress`: a progress bar on stderr, when it is a terminal and the run is long;
    `app_name`: the app to convert (`--app`, see `choose_app`)."""
    source = Path(source).resolve()
    out_dir = validate_out_dir(Path(out_dir), source)
    rules = select_rules(only, skip)
    scan = scan_path(source, jobs=jobs, progress=progress)
    manifest = read_manifest_metadata(out_dir)
    app = choose_app(scan, app_name, manifest.get("legacy_app") if app_name is None else None)
    previous = set(manifest.get("endpoints", [])) if manifest.get("legacy_app") == app.key \
        else set()
    app_routes = [r for r in scan.routes if r.app == app.key]
    known = {r.endpoint for r in app_routes}
    unknown = [b for b in blueprints if not any(
        (r.blueprint or "") == b or (r.blueprint or "").startswith(b + ".") for r in app_routes)]
    if unknown:
        raise OutputError(f"no blueprint named {', '.join(unknown)} among the scanned routes")
    selected = select_routes(app_routes, blueprints, patterns, previous & known)
    if (blueprints or patterns) and not selected:
        raise OutputError("no route matches the chosen blueprints and rule patterns")
    result = ConvertResult(out_dir, app, scan=scan)
    if app_name is None and manifest.get("legacy_app") != app.key:
        result.other_apps = apps_not_chosen(scan, app)
    sources = SourceCache(source)
    sources.error_format = errors  # FM010/FM011: who answers an invalid body
    sources.value_preprocessors = value_preprocessors(app, scan.blueprints)  # FM001
    served = legacy_app_spec(app)
    # FM035: the app a module binds is the one served, whether the package imports it or is
    # given it (sqlite-web's, set up by its `initialize_app()`); a factory's apps are not
    if served.factory is None and (served.unloadable is None or app.factory is None):
        sources.served_app = (served.module, served.name)
    # about 0.15 s a route: privacyidea's 271 take 40 s
    shown = progress and sys.stderr.isatty() and len(selected) > 50
    with stderr_progress("converting", len(selected), shown) as advance:
        for route in selected:
            try:
                outcome = convert_view(route, sources, rules)
            except Exception as error:  # noqa: BLE001 -- a converter bug costs one route
                # Do no harm: a route whose conversion failed stays on Flask, and the report
                # says so.
                reason = (f"convert.internal_error: converting {route.file}:{route.line} "
                          f"raised {type(error).__name__}: {error}; the route stays on Flask "
                          "(a converter bug: please report it)")
                outcome = LeftOnFlask(route, [reason])
            for part in [outcome] if isinstance(outcome, LeftOnFlask) else outcome:
                if isinstance(part, LeftOnFlask):
                    result.left.append(part)
                else:
                    result.converted.append(part)
            advance(1)
    result.converted, clashing = import_clashes(result.converted)
    result.left.extend(clashing)
    legacy_tops = frozenset(r.module.split(".")[0] for r in scan.routes) | {
        app.module.split(".")[0]}
    files = render_package(out_dir.name, app, result.converted, legacy_tops, json_encoding,
                           registered_prefixes(scan),
                           scan.flask_rules(app),
                           [extension.name for extension in app.extensions],
                           fastapi_pages=fastapi_pages)
    metadata = {
        "generator_version": __version__,
        "legacy_app": app.key,
        "endpoints": sorted({r.endpoint for r in selected}),
        "rules": [rule.RULE_ID for rule in rules],
        "json_encoding": json_encoding,
        "errors": errors,
        "fastapi_pages": fastapi_pages,
        # what `migrate verify` scans for the routes this package was made from, where the
        # legacy app it imports lies elsewhere (an installed copy, which the pyproject.toml
        # stating prefixes beside this source does not cover); relative, so both can move
        "source": source_from_out(source, out_dir),
    }
    result.plan = plan_write(out_dir, files, force=force, metadata=metadata)
    if write:
        apply_plan(result.plan, files, metadata=metadata)
    return result
