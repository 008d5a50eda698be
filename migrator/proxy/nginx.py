"""Render a `MigrationPlan` as an nginx strangler-fig config, and check it with `nginx -t`.

Every Flask rule becomes one location that matches exactly what Werkzeug would match: a static
rule is `location = "..."`, a rule with converters an anchored, quoted regex built only from a
fixed converter table. Rule text is untrusted (Werkzeug accepts `/a { return 200 "x"; }` as a
rule string), so it is validated against an allow-list and escaped before it reaches the config;
`nginx -t` passing proves nothing about injection. Precedence rules: docs/proxy.md.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from migrator.convert.render import fastapi_page_paths
from migrator.model import (
    BUILT_IN_CONVERTERS,
    ONE_SEGMENT,
    RULE_PARAMETER,
    converter_regex,
    escape_regex,
    merged_slashes,
)
from migrator.proxy.plan import STAGES, MigrationPlan, ProxySettings, RouteStage
from migrator.resources import template_environment

# RFC 3986 path characters (unreserved, sub-delims, ":", "@", "%" of a pct-encoding, "/").
STATIC_CHARS = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*")
PCT_ENCODING = re.compile(r"%(?![0-9A-Fa-f]{2})")
NON_NORMAL = re.compile(r"//|/\.{1,2}(/|$)")
METHOD = re.compile(r"[A-Z]{3,10}")
UPSTREAM = re.compile(
    r"(?:(?:\d{1,3}\.){3}\d{1,3}|\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)"
    r":\d{1,5}|unix:/[A-Za-z0-9_./-]+"
)
LISTEN = re.compile(r"(?:(?:\d{1,3}\.){3}\d{1,3}:|\[[0-9A-Fa-f:.]+\]:)?\d{1,5}")
SERVER_NAME = re.compile(r"_|[A-Za-z0-9*](?:[A-Za-z0-9.*-]{0,252})")
BODY_SIZE = re.compile(r"\d{1,10}[kKmMgG]?")
NGINX_TIME = re.compile(r"[1-9][0-9]{0,6}(?:ms|s|m|h|d)?")  # one nginx time value: "90s", "1h"
HEADER_NAME = re.compile(r"[A-Za-z0-9-]{1,64}")
COOKIE_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
# The internal location `mirror` sends its subrequests to; no Flask rule may use it.
MIRROR_URI = "/_migrate_mirror_"
# Shadow copies in flight per FastAPI server (each holds a client and an upstream connection of
# the 1024 a worker has): beyond it copies are dropped, so a slow FastAPI never starves Flask.
MIRROR_MAX_CONNS = 64

# The converters' weights in Werkzeug 3.1's matcher (lower is tried first; their regexes:
# migrator.model.converter_regex): static segments < int/float < string/uuid/any < path.
# `path` is the only one that spans segments.
CONVERTER_WEIGHT = {"int": 50, "float": 50, "default": 100, "string": 100, "uuid": 100,
                    "any": 100, "path": 200}


class ProxyRuleError(ValueError):
    """A rule, method or setting that cannot be put into a proxy config safely. `line` is where
    the route's table starts in the state file, when known."""

    def __init__(self, message: str, line: int | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.key = key  # the state file key at fault ("listen", "upstreams"), when not a route

    def locate(self, text: str) -> None:
        """Find `line` from the state file's text when only the key is known."""
        if self.line is None and self.key:
            found = re.search(rf"(?m)^\s*{re.escape(self.key)}\s*=", text)
            self.line = text.count("\n", 0, found.start()) + 1 if found else None

    def where(self, source: str | None) -> str:
        """One line: `FILE:LINE: message` (as much of FILE:LINE as is known)."""
        if source and self.line:
            return f"{source}:{self.line}: {self}"
        return f"{source}: {self}" if source else str(self)


@dataclass(frozen=True)
class Matcher:
    """How nginx selects one Flask rule: `location = "exact"` or `location ~ "^regex$"`."""

    rule: str
    exact: bool
    pattern: str  # the exact path, or the PCRE (already escaped for PCRE, not for nginx)
    segments: tuple[tuple[int, ...], ...]  # per path segment: (0,) static, (1, weights...)

    @property
    def location(self) -> str:
        return f"location {'=' if self.exact else '~'} {nginx_quote(self.pattern)}"

    @property
    def sort_key(self) -> tuple:
        return self.segments


def nginx_quote(text: str) -> str:
    """A double-quoted nginx string; nginx turns `\\\\` back into `\\` and `\\"` into `"`."""
    if any(c in text for c in "\n\r\t") or any(ord(c) < 0x20 or ord(c) > 0x7E for c in text):
        raise ProxyRuleError(f"control or non-ASCII character in {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_static(rule: str, text: str) -> None:
    if not STATIC_CHARS.fullmatch(text):
        bad = sorted({c for c in text if not STATIC_CHARS.fullmatch(c)})
        raise ProxyRuleError(
            f"rule {rule!r}: character(s) {''.join(bad)!r} are outside the RFC 3986 path set")
    if PCT_ENCODING.search(text):
        raise ProxyRuleError(f"rule {rule!r}: '%' not followed by two hex digits")


def converter_pcre(rule: str, converter: str, args: str | None, *, exact: bool) -> str:
    """The PCRE for one converter (`migrator.model.converter_regex`). `exact=False` (rules that
    stay on Flask) may widen an unsupported converter to one segment: sending extra requests to
    Flask is always safe. A converter the app registers itself is widened to one segment for a
    migrated rule too: its `to_python` may refuse what any regex takes, so the generated app
    lets the legacy URL map route these requests, and answers those it sends elsewhere as Flask
    does (docs/scan.md); a path of several segments goes to Flask."""
    regex = converter_regex(converter, args)
    if regex is not None:
        return regex
    if converter not in BUILT_IN_CONVERTERS:
        return ONE_SEGMENT
    if not exact:
        return "[^/].*" if converter == "path" else ONE_SEGMENT
    what = f"{converter}({args})" if args else converter
    raise ProxyRuleError(f"rule {rule!r}: converter {what!r} cannot be expressed exactly in nginx "
                         "(supported: default, string, int, float, path, uuid, any, without "
                         "min=/max=, and the app's own); the route must stay on Flask")


def rule_matcher(rule: str, *, exact: bool = True, merge_slashes: bool = False) -> Matcher:
    """Validate a Flask rule and translate it; raises `ProxyRuleError` with one line.
    `merge_slashes`: each `//` of the rule's text is one `/`, where nginx matches it (it picks
    the location from the URI with its slashes merged, and hands a request that doubles one to
    Flask as it came, so such a location never sees one): Werkzeug answers a rule that merges
    slashes (its default) at that path too (`Route.served_rule`)."""
    if not isinstance(rule, str) or not rule.startswith("/"):
        raise ProxyRuleError(f"rule {rule!r}: must start with '/'")
    if len(rule) > 1000:
        raise ProxyRuleError(f"rule {rule[:40]!r}...: longer than 1000 characters")
    text = merged_slashes(rule) if merge_slashes else rule
    pieces, pos = [], 0  # (static text, the converter that follows it or None)
    for match in RULE_PARAMETER.finditer(text):
        pieces.append((text[pos:match.start()], match))
        pos = match.end()
    pieces.append((text[pos:], None))
    statics, regex = [], []
    segments: list[list] = [[]]
    for static, match in pieces:
        check_static(rule, static)  # also rejects stray '<' and '>'
        statics.append(static)
        regex.append(escape_regex(static))
        for i, piece in enumerate(static.split("/")):
            if i:
                segments.append([])
            if piece:
                segments[-1].append(None)
        if match:
            converter = match.group("converter") or "default"
            regex.append(converter_pcre(rule, converter, match.group("args"), exact=exact))
            segments[-1].append(CONVERTER_WEIGHT.get(converter, 100))
    if NON_NORMAL.search("x".join(statics)):  # a converter stands for a non-empty segment part
        raise ProxyRuleError(f"rule {rule!r}: not normalised ('//', '/./' or '/../')")
    if rule == MIRROR_URI or rule.startswith(MIRROR_URI + "/"):
        raise ProxyRuleError(f"rule {rule!r}: {MIRROR_URI} is reserved for the shadow mirror")
    parts = tuple((0,) if all(w is None for w in seg) else
                  (1, *sorted(w for w in seg if w is not None))
                  for seg in segments[1:] or [[]])
    if len(statics) == 1:
        return Matcher(rule, True, statics[0], parts)
    return Matcher(rule, False, "^" + "".join(regex) + "$", parts)


def check_methods(rule: str, methods: Iterable[str]) -> tuple[str, ...]:
    methods = tuple(methods)
    for method in methods:
        if not isinstance(method, str) or not METHOD.fullmatch(method):
            raise ProxyRuleError(f"rule {rule!r}: bad method {method!r} (upper-case letters only)")
    if not methods:
        raise ProxyRuleError(f"rule {rule!r}: no methods")
    return methods


def check_settings(plan: MigrationPlan) -> None:
    s = plan.settings
    checks = [
        (LISTEN, s.listen, "listen"), (SERVER_NAME, s.server_name, "server_name"),
        (BODY_SIZE, s.client_max_body_size, "client_max_body_size"),
        (HEADER_NAME, s.backend_header, "backend_header"),
        (HEADER_NAME, s.served_by_header, "served_by_header"),
        (COOKIE_NAME, s.backend_cookie, "backend_cookie"),
        (COOKIE_NAME, s.canary_cookie, "canary_cookie"),
        (re.compile(r"auto|[1-9][0-9]{0,2}"), s.worker_processes, "worker_processes"),
        (re.compile(r"\*|[A-Z]{3,10}(?:,[A-Z]{3,10})*"), s.shadow_methods, "shadow_methods"),
        (re.compile(r"on|off"), s.fastapi_pages, "fastapi_pages"),
        (NGINX_TIME, s.stream_read_timeout, "stream_read_timeout"),
    ]
    for pattern, value, name in checks:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ProxyRuleError(f"[proxy] {name} = {value!r} is not allowed here", key=name)
    for name, upstreams in (("legacy", plan.legacy_upstreams), ("new", plan.new_upstreams)):
        if not upstreams:
            raise ProxyRuleError(f"no {name} upstream", key="upstreams")
        for upstream in upstreams:
            if not isinstance(upstream, str) or not UPSTREAM.fullmatch(upstream):
                raise ProxyRuleError(f"{name} upstream {upstream!r}: expected host:port or "
                                     "unix:/path", key="upstreams")
    if set(plan.legacy_upstreams) & set(plan.new_upstreams):
        raise ProxyRuleError("an upstream is both legacy and new: the served-by header could not "
                             "tell them apart", key="upstreams")


def route_id(rule: str) -> str:
    """Stable per rule (not per position), so adding a route does not reshuffle canary users."""
    return "r" + hashlib.sha256(rule.encode()).hexdigest()[:10]


@dataclass
class Decision:
    method: str
    stage: str
    split: str | None  # the split_clients variable of a canary


@dataclass
class Location:
    matcher: Matcher
    id: str
    migrated: bool
    decisions: list[Decision]
    splits: list[tuple[str, int]]  # (variable, percent)
    mirror_methods: list[str]
    streams: bool = False  # the rule's view streams its answer (`stream_read_timeout`)

    @property
    def mirrored(self) -> bool:
        return bool(self.mirror_methods)


def routes_by_rule(plan: MigrationPlan) -> dict[str, list[RouteStage]]:
    """The plan's routes grouped by rule, each rule validated (errors carry the route's line)."""
    by_rule: dict[str, list[RouteStage]] = {}
    for route in plan.routes:
        try:
            rule_matcher(route.rule, merge_slashes=True)
            check_methods(route.rule, route.methods)
            if route.stage not in STAGES:
                raise ProxyRuleError(f"rule {route.rule!r}: unknown stage {route.stage!r}")
            if route.stage == "canary" and (isinstance(route.percent, bool) or not isinstance(
                    route.percent, int) or not 0 <= route.percent <= 100):
                raise ProxyRuleError(f"rule {route.rule!r}: canary percent {route.percent!r} "
                                     "not in 0..100")
        except ProxyRuleError as error:
            raise ProxyRuleError(str(error), route.line) from None
        by_rule.setdefault(route.rule, []).append(route)
    return by_rule


def build_locations(plan: MigrationPlan) -> list[Location]:
    """One location per Flask rule, in the order nginx must try them."""
    by_rule = routes_by_rule(plan)
    locations: list[Location] = []
    shadow = set(plan.settings.shadow_methods.split(","))
    for rule, routes in by_rule.items():
        matcher = rule_matcher(rule, merge_slashes=True)
        rid = route_id(rule)
        decisions, splits, mirror = [], [], []
        seen: set[str] = set()
        for route in routes:
            split = None
            if route.stage == "canary":
                split = f"$mig_{rid}_w{len(splits)}"
                splits.append((split[1:], route.percent))
            for method in route.methods:
                if method in seen:
                    raise ProxyRuleError(f"rule {rule!r}: method {method} listed twice",
                                         route.line)
                seen.add(method)
                decisions.append(Decision(method, route.stage, split))
                if route.stage == "shadow" and (shadow == {"*"} or method in shadow):
                    mirror.append(method)
        locations.append(Location(matcher, rid, True, decisions, splits, mirror))
    # nginx refuses two `location =` of one path, which two rules may name once their slashes
    # are merged (`/a//b` and `/a/b`); regex locations are tried in order, as Werkzeug's rules
    placed: dict[str, str] = {}  # exact location -> the migrated rule there
    for location in locations:
        if not location.matcher.exact:
            continue
        other = placed.setdefault(location.matcher.location, location.matcher.rule)
        if other != location.matcher.rule:
            raise ProxyRuleError(f"rules {other!r} and {location.matcher.rule!r}: both answer "
                                 "at one path, where Werkzeug merges their slashes; migrate one")
    migrated = set(by_rule)
    for rule in plan.legacy_rules:
        if rule in migrated:
            continue
        try:
            matcher = rule_matcher(rule, exact=False)
        except ProxyRuleError:
            continue  # unrepresentable: the catch-all sends it to Flask anyway
        if matcher.exact and matcher.location in placed:
            continue  # a migrated rule's path (its slashes merged): the generated app decides
        migrated.add(rule)
        locations.append(Location(matcher, route_id(rule), False, [], [], []))
    streamed = set(plan.streamed_rules)
    for location in locations:
        location.streams = location.matcher.rule in streamed
    # exact locations always win in nginx, as a fully static rule does in Werkzeug; the regexes
    # are tried in file order, so they go in Werkzeug's order (docs/proxy.md).
    locations.sort(key=lambda loc: (not loc.matcher.exact, loc.matcher.sort_key, loc.matcher.rule))
    return locations


def fastapi_pages(plan: MigrationPlan) -> list[str]:
    """The paths of FastAPI's own pages, as the generated app places them (off the paths Flask
    rules answer: `migrator.convert.render.fastapi_page_urls`), when `fastapi_pages = "on"`.
    Were the proxy to place them elsewhere than the app, FastAPI would hand those requests to
    its legacy mount: Flask would answer them, as before the migration."""
    if plan.settings.fastapi_pages != "on":
        return []
    return fastapi_page_paths([*plan.legacy_rules, *(route.rule for route in plan.routes)],
                              plan.legacy_extensions)


def _pcre_upstream(upstream: str) -> str:
    return "~(^|, )" + re.escape(upstream).replace("\\:", ":") + "$"


def render_nginx(plan: MigrationPlan) -> str:
    """The complete nginx.conf (run it with `nginx -p PREFIX -c CONF`); raises ProxyRuleError."""
    check_settings(plan)
    locations = build_locations(plan)
    s: ProxySettings = plan.settings
    template = template_environment().get_template("proxy/nginx.conf.j2")
    return template.render(
        plan=plan, settings=s, locations=locations,
        served_patterns=[(nginx_quote(_pcre_upstream(u)), "new") for u in plan.new_upstreams]
        + [(nginx_quote(_pcre_upstream(u)), "legacy") for u in plan.legacy_upstreams],
        header_var="$http_" + s.backend_header.lower().replace("-", "_"),
        mirror_uri=MIRROR_URI,
        mirror_max_conns=MIRROR_MAX_CONNS,
        pages=[nginx_quote(path) for path in fastapi_pages(plan)],
        mirror_keys=[f"{loc.id}:{m}" for loc in locations for m in loc.mirror_methods],
        source=re.sub(r"[\x00-\x1f\x7f]", "?", plan.source or "")[-200:],  # in a # comment
    )


def check_nginx_config(text: str, nginx: str = "nginx") -> tuple[bool, str]:
    """`nginx -t` on `text` in a private prefix (no root, no system paths touched)."""
    binary = shutil.which(nginx) or shutil.which(nginx, path="/usr/sbin:/usr/local/sbin")
    if binary is None:
        return False, f"{nginx} not found: install nginx (apt-get install -y nginx)"
    with tempfile.TemporaryDirectory(prefix="migrate-nginx-") as tmp:
        prefix = Path(tmp)
        for sub in ("conf", "logs", "tmp"):
            (prefix / sub).mkdir()
        (prefix / "conf" / "nginx.conf").write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [binary, "-t", "-q", "-p", f"{prefix}/", "-c", "conf/nginx.conf", "-e", "logs/error.log"],
            capture_output=True, text=True, check=False, timeout=60)
    message = (proc.stderr + proc.stdout).strip().replace(f"{prefix}/", "")
    return proc.returncode == 0, message
