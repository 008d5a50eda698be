#!/usr/bin/env python
"""Requests/s of the example Flask app under gunicorn against its converted FastAPI app
under uvicorn, measured side by side in one run.

What it does, in order:

1. ``python -m migrator convert examples/legacy_flask_app --out OUT/migrated_bench
   --format json`` -- the generated package, and the list of routes it serves itself
   (``result == "converted"``); any other route reaches Flask through the fallback mount.
2. Two SQLite databases with the same fixtures (``legacy_flask_app.fixtures.load_fixtures``),
   one per server, each named in a settings file that the app reads through
   ``LEGACY_APP_SETTINGS`` (``legacy_flask_app.create_app`` loads it with
   ``app.config.from_envvar``), so both servers run the shipped entry points unchanged:
   ``gunicorn legacy_flask_app.wsgi:app`` and ``uvicorn migrated_bench.main:app``.
3. gunicorn (``--worker-class sync`` by default, ``--workers N``) and uvicorn
   (``--workers N``, no access log: gunicorn writes none by default either), both on
   127.0.0.1 and a free port, started in their own process groups.
4. One GET per endpoint per server, which must answer 200 (the bodies are compared too).
5. ``--rounds R`` times (default 3; odd rounds Flask first, even rounds FastAPI first), for
   every endpoint on each server: a short wrk warm-up, then
   ``wrk --threads 2 --connections C --duration D --latency``; requests/s, p50 and p99
   (wrk's latency distribution), non-2xx responses and socket errors are parsed. Around
   each measured run the server's CPU time (its process group, from ``/proc``) gives
   CPU microseconds per request, and the machine's busy time minus the server's, wrk's
   and this script's gives the share of the CPUs other processes took: above 10% the
   run is flagged as disturbed (req/s on a shared 2-core machine is only as good as the
   machine is quiet).
6. Every server is stopped by process group in a ``finally``; the tables are printed: every
   round's req/s and ratio, then each server's median run per endpoint (the run with the
   median req/s, so its latencies and CPU figures belong to one real run).

``ratio`` is FastAPI req/s / Flask req/s, of the median runs. Targets (issue): no converted endpoint slower
than under Flask (ratio >= 1.0) and the I/O-bound endpoint (``--io-endpoint``) >= 3.0.
An endpoint left on Flask (``/api/v1/items/1/datasheet`` by default, whose guard is a class the
converter cannot read) is reported as well, to show the cost of the fallback mount, but is not
held to the first target: it still runs Flask's code. Its link is signed (``?expires=...&signature=
...``) by the example's own ``auth.sign_link`` with the key both servers read.

Nothing is installed at run time: wrk (Debian package ``wrk``), gunicorn and uvicorn
must be present; a missing one ends the run with a one-line message naming it.

    python benchmarks/app_bench.py [--workers 2] [--connections 64] [--duration 10] [--rounds 3]
        [--endpoints PATH ...] [--flask-worker-class sync|gthread] [--flask-threads 4]
        [--uvicorn-http auto|h11|httptools] [--uvicorn-loop auto|asyncio|uvloop] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
LEGACY_PACKAGE = EXAMPLES / "legacy_flask_app"
PACKAGE_NAME = "migrated_bench"
HOST = "127.0.0.1"

DEFAULT_ENDPOINTS = (
    "/api/v1/tags",  # CPU-light JSON (one small GROUP BY)
    "/api/v1/search?q=a",  # reads the database (LIKE search + tags per item)
    "/api/v1/slow/report",  # I/O-bound: waits UPSTREAM_LATENCY (10 ms) on a "slow upstream"
    "/health",  # CPU-light (one COUNT), a view defined inside create_app
    "/api/v1/items/export.ndjson",  # streamed, one chunk per item, read as it is sent
    # left on Flask (its guard, auth.signed_link, is a class): served through the fallback mount
    "/api/v1/items/1/datasheet",
)
# an endpoint that ends so and has no query is given a link signed for it (prepare)
SIGNED_SUFFIX = "/datasheet"
LINK_GOOD_UNTIL = 4102444800  # 2100-01-01
IO_ENDPOINT = "/api/v1/slow/report"
TARGET_RATIO = 1.0
TARGET_IO_RATIO = 3.0
NOISY_SHARE = 0.10  # other processes' share of the CPUs above which a run is flagged


class BenchError(Exception):
    """A failure that ends the run with a one-line message."""


# --------------------------------------------------------------------------------------
# prerequisites
# --------------------------------------------------------------------------------------


def check_tools() -> str:
    """Path of wrk; gunicorn and uvicorn must be importable. Installs nothing."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("wrk not found: install the Debian package `wrk` (apt-get install -y wrk)")
    missing = [
        m for m in ("gunicorn", "uvicorn", "httpx") if importlib.util.find_spec(m) is None
    ]
    if missing:
        raise BenchError(
            f"missing Python package(s) {', '.join(missing)}: pip install {' '.join(missing)}"
        )
    return wrk


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def uvicorn_impl(http: str = "auto", loop: str = "auto") -> str:
    """The HTTP parser and event loop uvicorn uses (``auto`` picks httptools/uvloop if installed)."""
    if http == "auto":
        http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    if loop == "auto":
        loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"http={http}, loop={loop}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------
# convert + databases
# --------------------------------------------------------------------------------------


def convert(out_dir: Path) -> list[dict]:
    """Run ``migrate convert`` into OUT/migrated_bench; return its route list."""
    target = out_dir / PACKAGE_NAME
    cmd = [
        sys.executable,
        "-m",
        "migrator",
        "convert",
        str(LEGACY_PACKAGE),
        "--out",
        str(target),
        "--format",
        "json",
    ]
    shown = ["python", *cmd[1:4], str(LEGACY_PACKAGE.relative_to(REPO)), *cmd[5:]]
    print(f"$ {' '.join(shown)}", flush=True)
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(
            f"migrate convert failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}"
        )
    report = json.loads(proc.stdout)
    routes = report["routes"]
    converted = sum(1 for r in routes if r["result"] == "converted")
    print(f"  {converted}/{len(routes)} routes converted, the rest stay on Flask (fallback mount)")
    return routes


def shown(path: str) -> str:
    """``path`` for the tables, a signed link's signature shortened."""
    return re.sub(r"(signature=)[0-9a-f]{12,}", r"\1...", path)


def served_by(path: str, routes: list[dict]) -> str:
    """``FastAPI`` if the GET route Werkzeug picks for ``path`` was converted, else ``Flask
    fallback``: rules are matched as Flask matches them (``/items/export.ndjson`` is not
    ``/items/<int:item_id>``); a converter the app registers itself matches one segment."""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map, Rule

    builtin = {"default", "string", "any", "path", "int", "float", "uuid"}
    rules = [
        Rule(re.sub(r"<(\w+)(\([^)]*\))?:", lambda m: m.group(0) if m.group(1) in builtin
                    else "<", route["rule"]), endpoint=index, methods=["GET"])
        for index, route in enumerate(routes) if "GET" in route["methods"]
    ]
    try:
        index, _ = Map(rules).bind("localhost").match(path.split("?", 1)[0], method="GET")
    except HTTPException:
        return "Flask fallback"
    return "FastAPI" if routes[index]["result"] == "converted" else "Flask fallback"


PREPARE_DB = """
import json, sys
from legacy_flask_app import create_app
from legacy_flask_app.auth import sign_link
from legacy_flask_app.fixtures import load_fixtures
expires, links, databases = int(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3:]
for path in databases:
    app = create_app({"DATABASE": path, "UPLOAD_FOLDER": path + ".uploads"})
    load_fixtures(app)
# the servers' key: DefaultConfig's, or the environment's, which they inherit too
with app.app_context():
    print(json.dumps({link: f"{link}?{sign_link(link, expires)}" for link in links}))
"""


def prepare(out_dir: Path, endpoints: list[str]) -> tuple[dict[str, Path], list[str]]:
    """One database + settings file per server, loaded with the same fixtures; and the
    endpoints, a link signed where one is needed (``SIGNED_SUFFIX``)."""
    settings = {}
    dbs = []
    for name in ("flask", "fastapi"):
        db = out_dir / f"{name}.sqlite3"
        uploads = out_dir / f"{name}-uploads"
        uploads.mkdir(exist_ok=True)
        if db.exists():
            db.unlink()
        dbs.append(str(db))
        cfg = out_dir / f"{name}_settings.py"
        cfg.write_text(f"DATABASE = {str(db)!r}\nUPLOAD_FOLDER = {str(uploads)!r}\n")
        settings[name] = cfg
    links = [path for path in endpoints if path.endswith(SIGNED_SUFFIX)]
    proc = subprocess.run(
        [sys.executable, "-c", PREPARE_DB, str(LINK_GOOD_UNTIL), json.dumps(links), *dbs],
        env={**os.environ, "PYTHONPATH": str(EXAMPLES)},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise BenchError(f"loading the fixtures failed: {proc.stderr.strip()[-500:]}")
    print(f"  fixtures loaded into {len(dbs)} databases (one per server)")
    signed = json.loads(proc.stdout.strip().splitlines()[-1])
    return settings, [signed.get(path, path) for path in endpoints]


# --------------------------------------------------------------------------------------
# servers
# --------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    cmd: list[str]
    env: dict[str, str]
    port: int
    log: Path
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        out = self.log.open("wb")
        self.proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            cwd=self.log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() reaches every worker
        )
        out.close()
        print(
            f"  {self.name}: pid {self.proc.pid}, {self.base}  ({' '.join(self.cmd[2:])})",
            flush=True,
        )

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise BenchError(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                httpx.get(self.base + path, timeout=2.0)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise BenchError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the process group (master + workers), SIGKILL it if still alive after 10 s."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        pgid = proc.pid  # start_new_session: the group id is the leader's pid
        try:
            os.killpg(pgid, signal.SIGTERM)
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            proc.wait(timeout=5)
        except ProcessLookupError:
            pass
        # workers that outlived the master (should not happen) go with the group
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@functools.cache
def gunicorn_without_control_socket() -> tuple[str, ...]:
    """Recent gunicorn listens on a control socket at one fixed path in $HOME, shared by every
    gunicorn on the machine (a bench run, tests side by side): off, where the option exists.
    The proxy tests start their gunicorns with it too (``tests/proxy_processes.py``)."""
    usage = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    ).stdout
    return ("--no-control-socket",) if "--no-control-socket" in usage else ()


def make_servers(
    args: argparse.Namespace, out_dir: Path, settings: dict[str, Path]
) -> tuple[Server, Server]:
    pythonpath = os.pathsep.join(
        p for p in (str(out_dir), str(EXAMPLES), os.environ.get("PYTHONPATH", "")) if p
    )
    base_env = {**os.environ, "PYTHONPATH": pythonpath, "PYTHONUNBUFFERED": "1"}
    gunicorn_cmd = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(args.workers),
        "--worker-class", args.flask_worker_class,
        "--bind", f"{HOST}:{{port}}",
        "--log-level", "warning",
        *gunicorn_without_control_socket(),
    ]  # fmt: skip
    if args.flask_worker_class == "gthread":
        gunicorn_cmd += ["--threads", str(args.flask_threads)]
    gunicorn_cmd.append("legacy_flask_app.wsgi:app")
    uvicorn_cmd = [
        sys.executable, "-m", "uvicorn", f"{PACKAGE_NAME}.main:app",
        "--host", HOST, "--port", "{port}",
        "--workers", str(args.workers),
        "--no-access-log", "--log-level", "warning",
        "--http", args.uvicorn_http, "--loop", args.uvicorn_loop,
    ]  # fmt: skip

    servers = []
    for name, cmd, cfg in (
        ("flask", gunicorn_cmd, settings["flask"]),
        ("fastapi", uvicorn_cmd, settings["fastapi"]),
    ):
        port = free_port()
        servers.append(
            Server(
                name=name,
                cmd=[part.replace("{port}", str(port)) for part in cmd],
                env={**base_env, "LEGACY_APP_SETTINGS": str(cfg)},
                port=port,
                log=out_dir / f"{name}.log",
            )
        )
    return servers[0], servers[1]


def check_endpoints(flask: Server, fastapi: Server, endpoints: list[str]) -> None:
    """Every endpoint answers 200 on both servers; warn when the bodies differ."""
    import httpx

    for path in endpoints:
        bodies = []
        for server in (flask, fastapi):
            resp = httpx.get(server.base + path, timeout=10.0)
            if resp.status_code != 200:
                raise BenchError(
                    f"GET {path} on {server.name} answered {resp.status_code}, not 200: {resp.text[:200]!r}"
                )
            try:
                bodies.append(resp.json())
            except ValueError:
                bodies.append(resp.content)
        same = "same body" if bodies[0] == bodies[1] else "BODIES DIFFER"
        print(f"  GET {shown(path)}: 200 on both ({same})")


# --------------------------------------------------------------------------------------
# wrk
# --------------------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * UNITS[m.group(2)]


@dataclass
class Load:
    rps: float
    requests: int
    p50_ms: float
    p99_ms: float
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    server_cpu_s: float = 0.0  # CPU time of the server's process group during the run
    other_cpu_share: float = 0.0  # CPU used by processes other than the server and wrk, 0..1

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())

    @property
    def cpu_us_per_request(self) -> float:
        return self.server_cpu_s / self.requests * 1e6 if self.requests else 0.0


def parse_wrk(output: str) -> Load:
    rps = re.search(r"Requests/sec:\s*([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    p50 = re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE)
    if not (rps and total and p50 and p99):
        raise BenchError(f"cannot parse wrk output:\n{output}")
    load = Load(float(rps.group(1)), int(total.group(1)), _ms(p50.group(1)), _ms(p99.group(1)))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    if non_2xx:
        load.non_2xx = int(non_2xx.group(1))
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sock:
        load.socket_errors = {
            k: int(v)
            for k, v in zip(("connect", "read", "write", "timeout"), sock.groups(), strict=True)
            if int(v)
        }
    return load


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_busy_s() -> float:
    """CPU seconds of user, nice, system and steal time, all CPUs together, since boot
    (``/proc/stat``). irq/softirq time is left out: on loopback it is mostly the
    benchmark's own packets, which no process is charged for."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system = fields[0], fields[1], fields[2]
    steal = fields[7] if len(fields) > 7 else 0
    return (user + nice + system + steal) / CLOCK_TICKS  # guest time is inside user


def group_cpu_s(pgid: int) -> float:
    """CPU seconds used so far by the live processes of process group ``pgid``."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            rest = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # after "pid (comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt
        # cmajflt utime stime ...
        if len(rest) > 12 and int(rest[2]) == pgid:
            total += int(rest[11]) + int(rest[12])
    return total / CLOCK_TICKS


def run_wrk(
    wrk: str, url: str, connections: int, duration: int, threads: int = 2, pgid: int | None = None
) -> Load:
    """One wrk run; with ``pgid``, also the server's CPU time and everyone else's share."""
    cmd = [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--latency",
        url,
    ]
    server0 = group_cpu_s(pgid) if pgid else 0.0
    busy0 = machine_busy_s()
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    wall = time.monotonic() - start
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    own1 = resource.getrusage(resource.RUSAGE_SELF)
    busy = machine_busy_s() - busy0
    server = group_cpu_s(pgid) - server0 if pgid else 0.0
    if proc.returncode != 0:
        raise BenchError(f"wrk failed (exit {proc.returncode}): {proc.stderr.strip()}")
    load = parse_wrk(proc.stdout)
    if pgid:
        # wrk is the only child reaped in between; this process's own CPU counts as ours
        wrk_cpu = (child1.ru_utime + child1.ru_stime) - (child0.ru_utime + child0.ru_stime)
        bench_cpu = (own1.ru_utime + own1.ru_stime) - (own0.ru_utime + own0.ru_stime)
        other = max(0.0, busy - server - wrk_cpu - bench_cpu)
        load.server_cpu_s = server
        load.other_cpu_share = other / ((os.cpu_count() or 1) * wall) if wall > 0 else 0.0
    return load


# --------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------


def fmt_rps(value: float) -> str:
    return f"{value:,.0f}"


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def fmt_errors(load: Load) -> str:
    if not load.errors:
        return "0"
    parts = []
    if load.non_2xx:
        parts.append(f"{load.non_2xx} non-2xx")
    parts += [f"{n} {kind}" for kind, n in load.socket_errors.items()]
    return " + ".join(parts)


def markdown_table(lines: list[list[str]], right: set[int]) -> str:
    """A Markdown table, padded; `lines[0]` is the header; columns in `right` align right."""
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]
    out = []
    for n, row in enumerate(lines):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append(
                "|"
                + "|".join(
                    ("-" * (w + 1) + ":") if i in right else "-" * (w + 2)
                    for i, w in enumerate(widths)
                )
                + "|"
            )
    return "\n".join(out)


def median_load(runs: list[Load]) -> Load:
    """The run with the median req/s (the lower middle one for an even count): its latencies
    and CPU figures are those of one real run, not a mix of several."""
    ordered = sorted(runs, key=lambda load: load.rps)
    return ordered[(len(ordered) - 1) // 2]


def rounds_table(endpoints: list[str], loads: dict[str, dict[str, list[Load]]]) -> str:
    """req/s of every round, and the ratio in each: how much the runs spread."""
    rounds = len(next(iter(loads.values()))["flask"])
    head = ["endpoint"] + [f"round {n}: Flask / FastAPI req/s (ratio)" for n in range(1, rounds + 1)]
    lines = [head]
    for path in endpoints:
        cells = [f"`{shown(path)}`"]
        for flask, fast in zip(loads[path]["flask"], loads[path]["fastapi"]):
            ratio = fast.rps / flask.rps if flask.rps else float("inf")
            cells.append(f"{fmt_rps(flask.rps)} / {fmt_rps(fast.rps)} ({ratio:.2f})")
        lines.append(cells)
    return markdown_table(lines, right=set(range(1, len(head))))


def table(rows: list[tuple[str, str, Load, Load]]) -> str:
    head = [
        "endpoint", "served by", "Flask req/s", "FastAPI req/s", "ratio",
        "Flask p50/p99 ms", "FastAPI p50/p99 ms", "errors Flask / FastAPI",
    ]  # fmt: skip
    lines = [head]
    for path, where, flask, fast in rows:
        ratio = fast.rps / flask.rps if flask.rps else float("inf")
        lines.append(
            [
                f"`{shown(path)}`",
                where,
                fmt_rps(flask.rps),
                fmt_rps(fast.rps),
                f"**{ratio:.2f}**",
                f"{fmt_ms(flask.p50_ms)} / {fmt_ms(flask.p99_ms)}",
                f"{fmt_ms(fast.p50_ms)} / {fmt_ms(fast.p99_ms)}",
                f"{fmt_errors(flask)} / {fmt_errors(fast)}",
            ]
        )
    return markdown_table(lines, right={2, 3, 4, 5, 6})


def cpu_table(rows: list[tuple[str, str, Load, Load]]) -> str:
    """Server CPU per request (less sensitive to a busy machine than req/s) and the share
    of the CPUs that other processes took during each run."""
    head = ["endpoint", "Flask CPU us/req", "FastAPI CPU us/req", "other processes Flask / FastAPI"]
    lines = [head]
    for path, _where, flask, fast in rows:
        lines.append(
            [
                f"`{shown(path)}`",
                f"{flask.cpu_us_per_request:,.0f}",
                f"{fast.cpu_us_per_request:,.0f}",
                f"{flask.other_cpu_share:.0%} / {fast.other_cpu_share:.0%}",
            ]
        )
    return markdown_table(lines, right=set(range(1, len(head))))


def verdict(rows: list[tuple[str, str, Load, Load]], io_endpoint: str) -> list[str]:
    lines = []
    converted = [(p, fl, fa) for p, where, fl, fa in rows if where == "FastAPI"]
    slower = [(p, fa.rps / fl.rps) for p, fl, fa in converted if fa.rps < fl.rps * TARGET_RATIO]
    if converted:
        status = "PASS" if not slower else "FAIL"
        detail = (
            ", ".join(f"{shown(p)} {r:.2f}x" for p, r in slower)
            or f"{len(converted)} endpoint(s), all >= 1.00x"
        )
        lines.append(
            f"target: no converted endpoint slower than under Flask ... {status} ({detail})"
        )
    io = [(fl, fa) for p, _w, fl, fa in rows if p == io_endpoint]
    if io:
        fl, fa = io[0]
        ratio = fa.rps / fl.rps
        status = "PASS" if ratio >= TARGET_IO_RATIO else "FAIL"
        lines.append(
            f"target: I/O-bound {io_endpoint} >= {TARGET_IO_RATIO:.0f}x Flask ... {status} ({ratio:.2f}x)"
        )
    for p, where, fl, fa in rows:
        if where != "FastAPI":
            lines.append(
                f"note: {shown(p)} stays on Flask (fallback mount under uvicorn): {fa.rps / fl.rps:.2f}x"
            )
    busiest = max(
        (max(fl.other_cpu_share, fa.other_cpu_share) for _p, _w, fl, fa in rows), default=0
    )
    if busiest > NOISY_SHARE:
        lines.append(
            f"WARNING: other processes took up to {busiest:.0%} of the CPUs during a run:"
            " req/s and latencies are disturbed; rerun on a quiet machine"
        )
    if any(fl.errors or fa.errors for _p, _w, fl, fa in rows):
        lines.append(
            "note: some runs had errors (see the errors column); their req/s count only answered requests"
        )
    return lines


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn and uvicorn workers (default 2)"
    )
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument(
        "--duration",
        type=int,
        default=10,
        help="seconds of load per endpoint per server (default 10)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of unmeasured load before each run (default 2)",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="load every endpoint on both servers this many times, alternating which goes"
        " first; the tables give the median run (default 3)",
    )
    parser.add_argument("--endpoints", nargs="+", default=list(DEFAULT_ENDPOINTS), metavar="PATH")
    parser.add_argument(
        "--io-endpoint", default=IO_ENDPOINT, help="the endpoint held to the 3x target"
    )
    parser.add_argument("--flask-worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument(
        "--flask-threads", type=int, default=4, help="gunicorn --threads with gthread (default 4)"
    )
    parser.add_argument("--uvicorn-http", choices=("auto", "h11", "httptools"), default="auto")
    parser.add_argument("--uvicorn-loop", choices=("auto", "asyncio", "uvloop"), default="auto")
    parser.add_argument(
        "--out-dir", type=Path, help="work dir (default: a temp dir, removed afterwards)"
    )
    args = parser.parse_args(argv)
    if args.connections < 1 or args.duration < 1 or args.workers < 1 or args.rounds < 1:
        parser.error("--connections, --duration, --workers and --rounds must be >= 1")

    try:
        wrk = check_tools()
    except BenchError as exc:
        print(f"app_bench: {exc}", file=sys.stderr)
        return 1
    own_dir = args.out_dir is None
    out_dir = Path(tempfile.mkdtemp(prefix="app-bench-")) if own_dir else args.out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    servers: list[Server] = []
    ok = False
    try:
        wrk_version = subprocess.run(
            [wrk, "--version"], capture_output=True, text=True, check=False
        )
        print(
            f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}\n"
            f"versions: flask {version('flask')}, gunicorn {version('gunicorn')}, fastapi {version('fastapi')}, "
            f"starlette {version('starlette')}, uvicorn {version('uvicorn')} ({uvicorn_impl(args.uvicorn_http, args.uvicorn_loop)}), "
            f"{(wrk_version.stdout or wrk_version.stderr).split(' [')[0].strip()}\n"
            f"load: wrk --threads {args.threads} --connections {args.connections} --duration {args.duration}s "
            f"--latency (after a {args.warmup} s warm-up), one endpoint at a time, {args.rounds} round(s),"
            " alternating which server goes first; tables give each server's median run\n"
            f"servers: gunicorn --worker-class {args.flask_worker_class}"
            + (f" --threads {args.flask_threads}" if args.flask_worker_class == "gthread" else "")
            + f" --workers {args.workers}  vs  uvicorn --workers {args.workers} --no-access-log\n"
            f"work dir: {out_dir}",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        routes = convert(out_dir)
        settings, args.endpoints = prepare(out_dir, args.endpoints)
        flask, fastapi = make_servers(args, out_dir, settings)
        servers = [flask, fastapi]
        print("starting servers:")
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready(args.endpoints[0])
        check_endpoints(flask, fastapi, args.endpoints)

        # loads[path][server name]: one Load per round. Rounds alternate which server goes
        # first, so a machine that gets busier or quieter during the run favours neither.
        loads: dict[str, dict[str, list[Load]]] = {
            path: {server.name: [] for server in servers} for path in args.endpoints
        }
        for round_no in range(1, args.rounds + 1):
            if args.rounds > 1:
                print(f"round {round_no} of {args.rounds}:", flush=True)
            order = servers if round_no % 2 else servers[::-1]
            for path in args.endpoints:
                for server in order:
                    url = server.base + path
                    if args.warmup:
                        run_wrk(wrk, url, args.connections, args.warmup, args.threads)
                    pgid = server.proc.pid if server.proc is not None else None
                    load = run_wrk(wrk, url, args.connections, args.duration, args.threads, pgid)
                    loads[path][server.name].append(load)
                    print(
                        f"  {shown(path):<24} {server.name:<8} {fmt_rps(load.rps):>7} req/s  "
                        f"p50 {fmt_ms(load.p50_ms)} ms  p99 {fmt_ms(load.p99_ms)} ms  "
                        f"errors {fmt_errors(load)}  server CPU {load.cpu_us_per_request:,.0f} us/req  "
                        f"other processes {load.other_cpu_share:.0%} of the CPUs",
                        flush=True,
                    )
                for server in servers:
                    if server.proc is not None and server.proc.poll() is not None:
                        raise BenchError(f"{server.name} died during the run:\n{server.log_tail()}")
        rows = [
            (path, served_by(path, routes), median_load(loads[path]["flask"]),
             median_load(loads[path]["fastapi"]))
            for path in args.endpoints
        ]  # fmt: skip
        if args.rounds > 1:
            print()
            print(rounds_table(args.endpoints, loads))

        print()
        print(table(rows))
        print()
        print(cpu_table(rows))
        print(f"\nload average (1 min) before the run: {load_before:.2f}")
        print()
        print("\n".join(verdict(rows, args.io_endpoint)))
        ok = True
        return 0
    except BenchError as exc:
        print(f"app_bench: {exc}", file=sys.stderr)
        return 1
    finally:
        for server in servers:
            server.stop()
        if own_dir and ok:
            shutil.rmtree(out_dir, ignore_errors=True)
        elif not ok:
            print(f"(work dir and server logs kept in {out_dir})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
