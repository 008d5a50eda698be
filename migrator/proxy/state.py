"""The migration state file (`migration.toml`): read it into a `MigrationPlan`, and rewrite it.

The file is for people first: `migrate convert` adds routes, `migrate rollout` moves them between
stages, `migrate verify` records its results, and a person may edit it in between. So every
rewrite edits the parsed tomlkit document in place (comments, order and formatting survive; only
the changed values differ) and is written atomically (a crash leaves the old file). Every error
is one line, `FILE:LINE: message`. The format is documented in docs/state.md.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError, TOMLKitError
from tomlkit.items import AoT, Table

from migrator.convert.output import atomic_write
from migrator.model import ScanResult, route_selected
from migrator.proxy.plan import (
    STAGES,
    MigrationPlan,
    ProxySettings,
    RouteStage,
    Stage,
    VerifyRecord,
)
from migrator.verify.compare import ignore_problem

STATE_FILE_NAME = "migration.toml"
FORMAT_VERSION = 1
DEFAULT_LEGACY_UPSTREAMS = ("127.0.0.1:8000",)
DEFAULT_NEW_UPSTREAMS = ("127.0.0.1:8001",)

RouteKey = tuple[str, tuple[str, ...]]


class StateError(Exception):
    """A state file problem. `str()` is one line: `FILE:LINE: message` (`FILE: message` when no
    line applies, e.g. a missing file)."""

    def __init__(self, file: Path | str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.file = str(file)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class VerifyGateError(StateError):
    """`set_stage` refused to move routes beyond shadow: their last verify did not pass. Nothing
    was written. `str()` has one `FILE:LINE: message` line per refused route."""

    def __init__(self, file: Path | str, refused: list[RouteStage]) -> None:
        self.refused = refused
        first = refused[0]
        super().__init__(file, first.line, _gate_message(first))

    def __str__(self) -> str:
        return "\n".join(f"{self.file}:{route.line}: {_gate_message(route)}"
                         for route in self.refused)


def _gate_message(route: RouteStage) -> str:
    if route.verify is None:
        why = "it has never passed `migrate verify`"
    else:
        why = (f"its last verify ({route.verify.at}) failed {route.verify.failed} of "
               f"{route.verify.cases} cases")
    return (f"refusing to move {describe(route)} beyond shadow: {why} "
            "(run `migrate verify`, or use --force, which is recorded)")


def describe(route: RouteStage) -> str:
    return f"{','.join(route.methods)} {route.rule} ({route.endpoint})"


# --- where things are in the text -----------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*(["']?)([A-Za-z0-9_-]+)\1\s*=""")


class _Lines:
    """Line numbers of tables and keys, from the text: tomlkit does not keep them, and a message
    about a value must point at the line a person would edit."""

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, int | None], int] = {}
        self.keys: dict[tuple[str, int | None], dict[str, int]] = {}
        section: tuple[str, int | None] = ("", None)
        routes = -1
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                name = header.group(2).replace('"', "").replace("'", "")
                if header.group(1) == "[[" and name == "route":
                    routes += 1
                    section = ("route", routes)
                elif name.startswith("route."):  # a sub-table of the current route
                    section = ("route", routes)
                else:
                    section = (name, None)
                self.tables.setdefault(section, number)
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault(section, {}).setdefault(key.group(2), number)

    def of(self, section: str, index: int | None = None, key: str | None = None) -> int | None:
        where = (section, index)
        if key is not None and key in self.keys.get(where, {}):
            return self.keys[where][key]
        if section == "" and key is None:
            return 1
        return self.tables.get(where)


# --- reading --------------------------------------------------------------------------------------

_UPSTREAM = re.compile(
    r"^(?:unix:/[^\s;{}\"'#]+"
    r"|(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(?P<port>[0-9]{1,5}))$"
)
_METHOD = re.compile(r"^[A-Z]{3,10}$")
_TOP_KEYS = ("version", "legacy", "new", "proxy", "verify", "traffic", "route")
_ROUTE_KEYS = ("rule", "methods", "endpoint", "blueprint", "stage", "percent", "verify", "forced",
               "ignore", "requests")
_VERIFY_KEYS = ("passed", "at", "cases", "failed")


@dataclass
class LoadedState:
    """A parsed state file: the plan, and what a rewrite needs (the document and the bytes it
    was parsed from, to detect a concurrent change)."""

    path: Path
    plan: MigrationPlan
    document: tomlkit.TOMLDocument
    raw: bytes | None  # the file's bytes when read; None when it does not exist yet
    scan: ScanResult | None = None


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)

    def error(self, message: str, section: str = "", index: int | None = None,
              key: str | None = None) -> StateError:
        return StateError(self.path, self.lines.of(section, index, key), message)

    def table(self, data: dict, name: str) -> dict:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.error(f"'{name}' must be a table ([{name}])", key=name)
        return value

    def unknown_keys(self, data: dict, allowed: Iterable[str], section: str,
                     index: int | None = None, what: str = "") -> None:
        for key in data:
            if key not in allowed:
                raise self.error(f"unknown key '{key}'{what} (known: {', '.join(allowed)})",
                                 section, index, key)

    def upstreams(self, data: dict, section: str) -> list[str]:
        value = data.get("upstreams")
        if value is None:
            raise self.error(f"[{section}] needs upstreams = [\"host:port\", ...]", section)
        if not isinstance(value, list) or not value:
            raise self.error(f"[{section}] upstreams must be a non-empty list of \"host:port\" "
                             "or \"unix:/path\" strings", section, key="upstreams")
        for upstream in value:
            match = _UPSTREAM.match(upstream) if isinstance(upstream, str) else None
            if not match or (match.group("port") and not 0 < int(match.group("port")) < 65536):
                raise self.error(f"bad upstream {upstream!r} in [{section}]: expected "
                                 "\"host:port\" (port 1..65535) or \"unix:/absolute/path\"",
                                 section, key="upstreams")
        return list(value)

    def pointers(self, value: object, section: str, index: int | None) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
            raise self.error("ignore must be a list of JSON pointers, e.g. [\"/created_at\"]",
                             section, index, "ignore")
        for pointer in value:  # a JSON pointer, or `re:` and a regular expression
            problem = ignore_problem(pointer)
            if problem is not None:
                raise self.error(f"ignore: {problem}", section, index, "ignore")
        return tuple(value)

    def count(self, value: object, name: str, section: str, index: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(f"{name} must be a whole number >= 0, not {value!r}",
                             section, index, name)
        return value

    def plan(self, data: dict) -> MigrationPlan:
        self.unknown_keys(data, _TOP_KEYS, "")
        version = data.get("version")
        if version != FORMAT_VERSION:
            raise self.error(f"version must be {FORMAT_VERSION} (this migrate reads state files "
                             f"of version {FORMAT_VERSION}), not {version!r}", key="version")
        legacy = self.table(data, "legacy")
        self.unknown_keys(legacy, ("source", "upstreams"), "legacy")
        source = legacy.get("source")
        if source is not None and (not isinstance(source, str) or not source):
            raise self.error("[legacy] source must be the path of the Flask code base",
                             "legacy", key="source")
        new = self.table(data, "new")
        self.unknown_keys(new, ("upstreams",), "new")
        plan = MigrationPlan(
            legacy_upstreams=self.upstreams(legacy, "legacy"),
            new_upstreams=self.upstreams(new, "new"),
            settings=self.settings(self.table(data, "proxy")),
            source=str(self.path),
            legacy_source=str((self.path.parent / source).resolve()) if source else None,
        )
        verify = self.table(data, "verify")
        self.unknown_keys(verify, ("ignore",), "verify")
        common_ignore = self.pointers(verify.get("ignore", []), "verify", None)
        traffic = self.table(data, "traffic")
        self.unknown_keys(traffic, ("total_requests",), "traffic")
        if "total_requests" in traffic:
            plan.total_requests = self.count(traffic["total_requests"], "total_requests",
                                             "traffic")
        routes = data.get("route", [])
        if not isinstance(routes, list):
            raise self.error("'route' must be an array of tables ([[route]])", key="route")
        for index, entry in enumerate(routes):
            plan.routes.append(self.route(entry, index, common_ignore))
        self.duplicates(plan.routes)
        return plan

    def settings(self, data: dict) -> ProxySettings:
        names = [f.name for f in dataclasses.fields(ProxySettings)]
        self.unknown_keys(data, names, "proxy")
        for name, value in data.items():
            if not isinstance(value, str) or not value:
                raise self.error(f"[proxy] {name} must be a non-empty string", "proxy", key=name)
        return ProxySettings(**data)

    def route(self, entry: object, index: int, common_ignore: tuple[str, ...]) -> RouteStage:
        def error(message: str, key: str | None = None) -> StateError:
            return self.error(message, "route", index, key)

        if not isinstance(entry, dict):
            raise error("each [[route]] must be a table")
        self.unknown_keys(entry, _ROUTE_KEYS, "route", index, " in [[route]]")
        for required in ("rule", "methods", "endpoint", "stage"):
            if required not in entry:
                raise error(f"[[route]] needs '{required}'")
        rule, endpoint = entry["rule"], entry["endpoint"]
        if not isinstance(rule, str) or not rule.startswith("/"):
            raise error(f"rule must be a Flask rule starting with '/', not {rule!r}", "rule")
        if not isinstance(endpoint, str) or not endpoint:
            raise error("endpoint must be Flask's endpoint name", "endpoint")
        methods = entry["methods"]
        if not isinstance(methods, list) or not methods or not all(
                isinstance(m, str) and _METHOD.match(m) for m in methods):
            raise error(f"methods must be a non-empty list of upper-case HTTP methods, not "
                        f"{methods!r}", "methods")
        if {"HEAD", "OPTIONS"} & set(methods):
            raise error("list methods without HEAD and OPTIONS (as `migrate scan` does): "
                        "each app answers those for its own routes", "methods")
        blueprint = entry.get("blueprint")
        if blueprint is not None and (not isinstance(blueprint, str) or not blueprint):
            raise error("blueprint must be the blueprint's dotted name", "blueprint")
        stage = entry["stage"]
        if stage not in STAGES:
            raise error(f"unknown stage {stage!r} (one of: {', '.join(STAGES)})", "stage")
        percent = self.percent(entry, stage, error)
        forced = entry.get("forced", False)
        if not isinstance(forced, bool):
            raise error("forced must be true or false", "forced")
        requests = entry.get("requests")
        if requests is not None:
            requests = self.count(requests, "requests", "route", index)
        own_ignore = self.pointers(entry.get("ignore", []), "route", index)
        return RouteStage(
            rule=rule,
            methods=tuple(sorted(set(methods))),
            endpoint=endpoint,
            blueprint=blueprint,
            stage=stage,
            percent=percent,
            verify=self.verify_record(entry.get("verify"), error),
            forced=forced,
            ignore=tuple(dict.fromkeys(common_ignore + own_ignore)),
            line=self.lines.of("route", index),
            requests=requests,
        )

    @staticmethod
    def percent(entry: dict, stage: Stage, error) -> int:
        implied = {"full": 100, "shadow": 0, "rolled-back": 0}
        if "percent" not in entry:
            if stage == "canary":
                raise error("a canary needs percent = 0..100 (share of clients on FastAPI)",
                            "percent")
            return implied[stage]
        percent = entry["percent"]
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise error(f"percent must be a whole number 0..100, not {percent!r}", "percent")
        if stage != "canary" and percent != implied[stage]:
            raise error(f"stage {stage!r} puts {implied[stage]}% of clients on FastAPI, but "
                        f"percent is {percent} (set stage = \"canary\" for a share)", "percent")
        return percent

    @staticmethod
    def verify_record(value: object, error) -> VerifyRecord | None:
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) - set(_VERIFY_KEYS) or not isinstance(
                value.get("passed"), bool) or not isinstance(value.get("at"), str):
            raise error("verify must be {passed = true|false, at = \"ISO time\", cases = N, "
                        "failed = N} (written by `migrate verify`)", "verify")
        counts = [value.get(name, 0) for name in ("cases", "failed")]
        if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in counts):
            raise error("verify cases and failed must be whole numbers >= 0", "verify")
        return VerifyRecord(passed=value["passed"], at=value["at"], cases=counts[0],
                            failed=counts[1])

    def duplicates(self, routes: list[RouteStage]) -> None:
        """A method of a rule can be at one stage only."""
        seen: dict[tuple[str, str], RouteStage] = {}
        for route in routes:
            for method in route.methods:
                first = seen.setdefault((route.rule, method), route)
                if first is not route:
                    raise StateError(self.path, route.line,
                                     f"duplicate route: {method} {route.rule} is already listed "
                                     f"at line {first.line}")

    def check_routes(self, plan: MigrationPlan, scan: ScanResult) -> None:
        """Every route must be one the scan of the legacy source knows: same rule and endpoint,
        its methods among the scanned route's."""
        scanned: dict[tuple[str, str], tuple[set[str], str | None]] = {}
        for route in scan.routes:
            methods, _ = scanned.setdefault((route.rule, route.endpoint),
                                            (set(), route.blueprint))
            methods.update(route.methods)
        # a route in a file the scan could not parse is unknown too: say so, it is the likely cause
        unparsed = f" ({len(scan.errors)} file(s) of it could not be parsed, e.g. " \
            f"{scan.errors[0].file}:{scan.errors[0].line})" if scan.errors else ""
        for route in plan.routes:
            found = scanned.get((route.rule, route.endpoint))
            if found is None:
                raise StateError(self.path, route.line,
                                 f"unknown route: the scan of {scan.root}{unparsed} has no rule "
                                 f"{route.rule} with endpoint {route.endpoint}")
            methods, blueprint = found
            extra = sorted(set(route.methods) - methods)
            if extra:
                raise StateError(self.path, route.line,
                                 f"unknown route: {route.rule} ({route.endpoint}) does not "
                                 f"answer {','.join(extra)} in the scan of {scan.root}")
            if route.blueprint != blueprint:
                raise StateError(self.path, route.line,
                                 f"{route.endpoint} is in blueprint {blueprint!r} according to "
                                 f"the scan, not {route.blueprint!r}")


def read_state(path: Path, *, check_routes: bool = True,
               scan: ScanResult | None = None) -> LoadedState:
    """Parse and validate the state file. With `check_routes`, every route is checked against
    `scan`, or against a scan of the file's `[legacy] source` when no scan is given."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StateError(path, None, "no such state file (`migrate convert --state FILE` "
                         "creates one)") from None
    except OSError as error:
        raise StateError(path, None, f"cannot read: {error.strerror or error}") from None
    return _parse(path, raw, raw, check_routes=check_routes, scan=scan)


def _parse(path: Path, data: bytes, raw: bytes | None, *, check_routes: bool,
           scan: ScanResult | None) -> LoadedState:
    """The state in `data`; `raw` is what the file on disk holds (None: no file yet)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StateError(path, line, "not UTF-8 text") from None
    try:
        document = tomlkit.parse(text)
    except ParseError as error:
        message = re.sub(r" at line \d+ col \d+$", "", str(error))
        message = message.replace("'\\x00'", "end of file")
        if "use \\u000a instead" in message:  # tomlkit's words for an unclosed string
            message = "a string is not closed on this line (write a newline in it as \\n)"
        raise StateError(path, error.line, f"not valid TOML: {message}") from None
    except TOMLKitError as error:
        raise StateError(path, None, f"not valid TOML: {error}") from None
    reader = _Reader(path, text)
    plan = reader.plan(document.unwrap())
    if check_routes:
        if plan.legacy_source is None:
            raise reader.error("[legacy] needs source = \"path/of/the/flask/app\" to check the "
                               "routes against its scan", "legacy")
        if scan is None:
            if not Path(plan.legacy_source).exists():
                raise reader.error(f"[legacy] source {plan.legacy_source} does not exist",
                                   "legacy", key="source")
            from migrator.scan import scan_path

            scan = scan_path(Path(plan.legacy_source))
        reader.check_routes(plan, scan)
    return LoadedState(path, plan, document, raw, scan)


def load_plan(path: Path, *, check_routes: bool = True,
              scan: ScanResult | None = None) -> MigrationPlan:
    """The routing plan the state file describes; `StateError` (one line, FILE:LINE) if it does
    not parse, is inconsistent, or (with `check_routes`) names a route the scan does not know.
    A route's `ignore` includes the file's common `[verify] ignore` pointers."""
    return read_state(path, check_routes=check_routes, scan=scan).plan


# --- writing --------------------------------------------------------------------------------------


def _save(state: LoadedState) -> None:
    """Write the edited document atomically, unless the file changed since it was read. The new
    text is validated first (against the same scan, if routes were checked): the tools never
    write a file they would refuse to read."""
    data = tomlkit.dumps(state.document).encode("utf-8")
    if data == state.raw:
        return
    _parse(state.path, data, None, check_routes=state.scan is not None, scan=state.scan)
    try:
        current = state.path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != state.raw:
        raise StateError(state.path, None, "the state file changed while it was being updated; "
                         "nothing was written, run the command again")
    _write(state.path, data)


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data)
    except OSError as error:
        raise StateError(path, None, f"cannot write: {error.strerror or error}; the file is "
                         "unchanged") from None


def _route_tables(state: LoadedState) -> list[Table]:
    routes = state.document.get("route")
    return list(routes) if routes is not None else []


_PROXY_COMMENTS = {
    "listen": "address:port the generated proxy listens on",
    "server_name": "nginx server_name",
    "client_max_body_size": "largest request body; nginx's own default (1m) would answer 413",
    "backend_header": "request header that forces a backend for testers: new | legacy",
    "backend_cookie": "cookie that forces a backend for testers: new | legacy",
    "canary_cookie": "cookie that keeps a client in its canary bucket",
    "served_by_header": "response header naming the backend that answered",
    "shadow_methods": "methods mirrored in shadow (\"*\": every migrated one; writes too)",
    "worker_processes": "nginx worker_processes: \"auto\" or a number",
    "fastapi_pages": "on: /docs, /redoc, /openapi.json go to FastAPI (off: to Flask)",
    "stream_read_timeout": "how long a streamed answer may pause (nginx's own: 60s)",
}


def _toml(value: object) -> str:
    return tomlkit.item(value).as_string()


def new_state_text(legacy_source: str, legacy_upstreams: Iterable[str] = DEFAULT_LEGACY_UPSTREAMS,
                   new_upstreams: Iterable[str] = DEFAULT_NEW_UPSTREAMS) -> str:
    """The text of a new state file, without routes: the documented defaults, commented."""
    proxy = []
    for setting in dataclasses.fields(ProxySettings):
        comment = _PROXY_COMMENTS.get(setting.name)
        line = f"{setting.name} = {_toml(setting.default)}"
        proxy.append(f"{line:<42} # {comment}" if comment else line)
    proxy_lines = "\n".join(proxy)
    return f"""\
# Migration state: which Flask routes have moved to FastAPI, and how much traffic they get.
# `migrate convert --state` adds converted routes, `migrate rollout` moves them between stages,
# `migrate verify` records its results. Edit it by hand too: comments and order are kept.
# Format reference: docs/state.md
version = {FORMAT_VERSION}

[legacy]
# The Flask code base, relative to this file: every route below must be in its scan.
source = {_toml(legacy_source)}
# Where the Flask app listens: "host:port" or "unix:/path/to.sock" (several are balanced).
upstreams = {_toml(list(legacy_upstreams))}

[new]
# Where the FastAPI app (uvicorn <package>.main:app) listens.
upstreams = {_toml(list(new_upstreams))}

[proxy]
{proxy_lines}

[verify]
# Known legitimate differences, as JSON pointers into JSON answers, or 're:' and a regular
# expression whose matches text answers leave out, ignored by `migrate verify` for every route
# (a route's own `ignore` adds to these), e.g. ["/generated_at"].
ignore = []

# One [[route]] per migrated Flask rule and the methods that moved to FastAPI. stage is
#   "shadow"      Flask answers; FastAPI gets a mirrored copy whose answer is discarded
#   "canary"      `percent` of clients (sticky) are answered by FastAPI, the rest by Flask
#   "full"        FastAPI answers every request (Flask remains the fallback if it fails)
#   "rolled-back" all traffic is back on Flask
# Beyond shadow only after a passing `migrate verify` (or `migrate rollout --force`: forced).
# Optional: requests = N (the route's traffic in a period, from access logs) and, above,
# [traffic] total_requests = N (all requests in that period) weight `migrate status`.
"""


def _route_table(route: RouteStage) -> Table:
    table = tomlkit.table()
    table.add("rule", route.rule)
    table.add("methods", list(route.methods))
    table.add("endpoint", route.endpoint)
    if route.blueprint:
        table.add("blueprint", route.blueprint)
    table.add("stage", route.stage)
    table.add("percent", route.percent)
    return table


def add_routes(path: Path, routes: Iterable[RouteStage], *, legacy_source: Path,
               scan: ScanResult | None = None,
               legacy_upstreams: Iterable[str] = DEFAULT_LEGACY_UPSTREAMS,
               new_upstreams: Iterable[str] = DEFAULT_NEW_UPSTREAMS) -> list[RouteStage]:
    """Add routes (as `migrate convert` converted them) at stage shadow; returns those added.

    Entries already in the file are untouched; for a rule already listed with some of the
    methods, only the other methods are added (as their own entry). The file is created, with
    the documented defaults and comments, when it does not exist; an existing file must name the
    same legacy source. `scan` (of `legacy_source`) saves a second scan when checking routes.
    """
    path = Path(path)
    legacy_source = Path(legacy_source).resolve()
    if path.exists():
        state = read_state(path, scan=scan)
    else:  # a new file, written only once it has its routes
        folder = path.parent.resolve()
        # relative to the file when inside its folder, so the project can move; else absolute
        shown = legacy_source.relative_to(folder).as_posix() \
            if legacy_source.is_relative_to(folder) else str(legacy_source)
        text = new_state_text(shown, legacy_upstreams, new_upstreams)
        state = _parse(path, text.encode("utf-8"), None, check_routes=True, scan=scan)
    if state.plan.legacy_source != str(legacy_source):
        raise StateError(path, _Lines(tomlkit.dumps(state.document)).of("legacy", key="source"),
                         f"this state file is for {state.plan.legacy_source}, not "
                         f"{legacy_source}")
    covered = {(r.rule, m) for r in state.plan.routes for m in r.methods}
    added = []
    for route in routes:
        methods = tuple(sorted(m for m in set(route.methods) if (route.rule, m) not in covered))
        if not methods:
            continue
        covered.update((route.rule, m) for m in methods)
        added.append(RouteStage(rule=route.rule, methods=methods, endpoint=route.endpoint,
                                blueprint=route.blueprint, stage="shadow", percent=0))
    if not added:
        _save(state)  # a new file is still created: it was asked for
        return []
    pending = [_route_table(route) for route in added]
    if "route" not in state.document:
        state.document.append("route", AoT([pending.pop(0)]))
        # tomlkit lays out a new array of tables differently from a parsed one: re-parse, so the
        # blank lines below come out the same whether the file had routes or not
        state.document = tomlkit.parse(tomlkit.dumps(state.document))
    tables = state.document["route"]
    for table in pending:
        if not tomlkit.dumps(state.document).endswith("\n\n"):
            tables[-1].add(tomlkit.nl())  # one blank line between route tables
        tables.append(table)
    _save(state)
    return added


def set_stage(path: Path, selector: str, stage: Stage, percent: int | None = None, *,
              force: bool = False, check_routes: bool = True,
              scan: ScanResult | None = None) -> list[RouteStage]:
    """Move the routes `selector` matches (a rule glob, an endpoint name or glob, or a blueprint
    name, which includes its nested blueprints) to `stage`; `percent` (0..100) is required for a
    canary and not allowed otherwise. Returns the routes that changed, as they are now.

    Moving a route beyond shadow (a canary above 0% or full) needs its last verify to have
    passed; otherwise nothing is written and `VerifyGateError` names the routes, unless `force`,
    which is recorded as `forced = true`. A later move beyond shadow with a passing verify clears
    it. Shadow and rollback are always allowed.
    """
    path = Path(path)
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    if stage == "canary":
        if percent is None or isinstance(percent, bool) or not 0 <= percent <= 100:
            raise StateError(path, None, f"a canary needs a percent 0..100, not {percent!r}")
    elif percent is not None:
        raise StateError(path, None, f"percent applies to a canary only, not to {stage}")
    target_percent = percent if stage == "canary" else 100 if stage == "full" else 0
    state = read_state(path, check_routes=check_routes, scan=scan)
    chosen = [(index, route) for index, route in enumerate(state.plan.routes)
              if route_selected(route, [selector], [selector])]
    if not chosen:
        raise StateError(path, None, f"no route in the state file matches {selector!r} (a rule "
                         "glob, an endpoint or a blueprint)")
    beyond_shadow = target_percent > 0
    refused = [route for _, route in chosen if beyond_shadow and not force
               and not (route.verify and route.verify.passed)]
    if refused:
        raise VerifyGateError(path, refused)
    tables = _route_tables(state)
    changed = []
    for index, route in chosen:
        forced = route.forced
        if beyond_shadow:
            forced = not (route.verify and route.verify.passed)
        if (route.stage, route.percent, route.forced) == (stage, target_percent, forced):
            continue
        table = tables[index]
        table["stage"] = stage
        table["percent"] = target_percent
        if forced:
            table["forced"] = True
        elif "forced" in table:
            del table["forced"]
        changed.append(dataclasses.replace(route, stage=stage, percent=target_percent,
                                           forced=forced))
    _save(state)
    return changed


def record_verification(path: Path, results: dict[RouteKey, VerifyRecord], *,
                        check_routes: bool = False) -> list[RouteKey]:
    """Record each route's last verify outcome (`verify = {passed, at, cases, failed}`), keyed
    by (rule, methods) as `RouteStage.key` gives them (methods sorted, upper case). Returns the
    keys that match no route of the state file; those are not recorded.

    Routes are not re-checked against a scan by default: verify has just run them."""
    state = read_state(Path(path), check_routes=check_routes)
    tables = _route_tables(state)
    index_of = {route.key: index for index, route in enumerate(state.plan.routes)}
    missing = []
    for key, record in results.items():
        rule, methods = key
        index = index_of.get((rule, tuple(sorted(set(methods)))))
        if index is None:
            missing.append(key)
            continue
        verify = tomlkit.inline_table()
        verify.update({"passed": record.passed, "at": record.at, "cases": record.cases,
                       "failed": record.failed})
        tables[index]["verify"] = verify
    _save(state)
    return missing
