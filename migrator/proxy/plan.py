"""The routing plan: what the migration state file says, as plain dataclasses.

`state.py` reads and rewrites the state file (`migration.toml`) and produces a `MigrationPlan`;
the renderers (`nginx.py`, `gateway.py`) and `migrate status` / `migrate verify` read it. Nothing
here does I/O: the plan is data, so each renderer can be tested on a plan built in the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# shadow: Flask answers, FastAPI gets a mirrored copy whose answer is discarded.
# canary: `percent` of clients (sticky per client) go to FastAPI, the rest to Flask.
# full: every request for the route goes to FastAPI (Flask stays the fallback when it fails).
# rolled-back: migrated in code, but all traffic is back on Flask.
Stage = Literal["shadow", "canary", "full", "rolled-back"]
STAGES: tuple[Stage, ...] = ("shadow", "canary", "full", "rolled-back")


@dataclass(frozen=True)
class VerifyRecord:
    """The last `migrate verify` outcome recorded for a route."""

    passed: bool
    at: str  # ISO 8601 timestamp (UTC)
    cases: int = 0
    failed: int = 0


@dataclass
class RouteStage:
    """One migrated route (a Flask rule and the methods that moved) and how far it is rolled out."""

    rule: str  # the full Flask rule, as `migrate scan` reports it: "/api/v1/items/<int:item_id>"
    methods: tuple[str, ...]  # the methods that moved, upper case, without HEAD/OPTIONS: ("GET",)
    endpoint: str  # Flask's endpoint name: "api.get_item"
    blueprint: str | None = None  # dotted registration name ("api.reviews"); None for app routes
    stage: Stage = "shadow"
    percent: int = 0  # canary share of clients on FastAPI, 0..100 (meaningful for "canary")
    verify: VerifyRecord | None = None
    forced: bool = False  # moved beyond shadow with --force, without a passing verify
    ignore: tuple[str, ...] = ()  # JSON pointers `migrate verify` may ignore ("/created_at")
    line: int | None = None  # where the route's table starts in the state file, for messages
    requests: int | None = None  # the route's traffic in some period (from access logs), if known

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.rule, self.methods)

    @property
    def share_on_new(self) -> float:
        """Fraction of this route's requests that FastAPI answers (shadow copies do not count)."""
        if self.stage == "full":
            return 1.0
        if self.stage == "canary":
            return self.percent / 100
        return 0.0


@dataclass
class ProxySettings:
    """Knobs of the generated proxy that are not per route."""

    listen: str = "127.0.0.1:8080"
    server_name: str = "_"
    client_max_body_size: str = "10m"  # nginx's default 1m would start answering 413
    backend_header: str = "X-Migrate-Backend"  # forced choice: "new" | "legacy"
    backend_cookie: str = "migrate_backend"  # forced choice by cookie, for testers
    canary_cookie: str = "migrate_canary"  # sticky canary assignment
    served_by_header: str = "X-Served-By"  # on every response: "new" | "legacy"
    # the migrated methods a shadow route copies to FastAPI, comma-separated, or "*" for all:
    # a mirrored POST writes twice when both apps share a database
    shadow_methods: str = "GET,HEAD,OPTIONS"
    worker_processes: str = "auto"  # nginx worker_processes: "auto" or a number
    # "on": FastAPI's own pages (/openapi.json, /docs, /redoc: where the generated app serves
    # them) go to FastAPI, which documents the migrated routes; "off": to Flask, as before
    fastapi_pages: str = "on"
    # nginx's proxy_read_timeout for the routes that stream their answer (the scan's `stream`:
    # an event stream, a large export): how long the app may send nothing before nginx closes
    # the answer. nginx's own 60 s would cut an event stream that pauses longer, which Flask
    # under a threaded server never did; every other route keeps nginx's 60 s.
    stream_read_timeout: str = "1h"


@dataclass
class MigrationPlan:
    legacy_upstreams: list[str]  # "127.0.0.1:8000" or "unix:/run/legacy.sock"
    new_upstreams: list[str]
    routes: list[RouteStage] = field(default_factory=list)
    settings: ProxySettings = field(default_factory=ProxySettings)
    # every other Flask rule of the app (from `migrate scan`): the proxy gives them locations to
    # Flask so that a migrated regex never catches a path Werkzeug would route to another rule
    legacy_rules: list[str] = field(default_factory=list)
    # the extensions on the Flask app(s) (from `migrate scan`): some serve pages of their own,
    # which FastAPI's pages must not take (`fastapi_pages`)
    legacy_extensions: list[str] = field(default_factory=list)
    # the Flask rules whose view streams its answer (from `migrate scan`): their locations get
    # `stream_read_timeout`, whichever app serves them
    streamed_rules: list[str] = field(default_factory=list)
    source: str | None = None  # the state file it was read from, for messages
    legacy_source: str | None = None  # the Flask code base (absolute), as `[legacy] source` names
    total_requests: int | None = None  # all requests to the app in the period of `requests`
