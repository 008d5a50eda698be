#!/usr/bin/env python
"""What the generated nginx strangler-fig config costs: the converted FastAPI app under uvicorn,
loaded directly and through nginx running the config `migrate proxy` renders, in one run.

What it does, in order:

1. converts the example app and loads one fixture database per server (the steps and helpers of
   ``app_bench.py``), starts gunicorn (legacy) and uvicorn (new) on 127.0.0.1 and free ports;
2. renders, with ``render_nginx``, a plan where ``--endpoint``'s rule is at stage ``full`` (so
   every request goes to FastAPI through the route's location, method map and the served-by
   header), checks it with ``nginx -t`` and starts nginx on a private prefix;
3. checks that the endpoint answers 200 with ``X-Served-By: new`` through nginx;
4. for each connection count (``--connections 1,16``) and each of ``--rounds`` rounds, loads
   the app directly and then through nginx with ``wrk --threads T --connections C --duration D
   --latency`` after a short warm-up; the medians over rounds are reported;
5. prints a table (req/s, p50, p99) and the overhead: added p50 in ms and lost throughput in %,
   against the targets (under 1 ms at p50, under 15% of throughput); stops every server by
   process group in a ``finally``.

Nothing is installed at run time: wrk, nginx, gunicorn and uvicorn must be present.

    python benchmarks/proxy_bench.py [--endpoint /api/v1/tags] [--connections 1,16]
        [--duration 5] [--warmup 1] [--rounds 2] [--workers 1] [--nginx-workers 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_bench
from app_bench import BenchError, Load, Server, free_port, markdown_table

sys.path.insert(0, str(app_bench.REPO))
from migrator.proxy.nginx import check_nginx_config, render_nginx
from migrator.proxy.plan import MigrationPlan, ProxySettings, RouteStage

TARGET_P50_MS = 1.0
TARGET_THROUGHPUT_LOSS = 0.15


def start_nginx(prefix: Path, config: str, port: int) -> Server:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        raise BenchError("nginx not found: apt-get install -y nginx")
    ok, message = check_nginx_config(config, nginx)
    if not ok:
        raise BenchError(f"nginx -t refused the rendered config: {message}")
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(config)
    server = Server("nginx", [nginx, "-p", f"{prefix}/", "-c", "nginx.conf", "-e",
                              "logs/error.log", "-g", "daemon off;"],
                    dict(os.environ), port, prefix / "nginx.log")
    server.start()
    return server


def median_load(loads: list[Load]) -> Load:
    return Load(statistics.median(x.rps for x in loads), sum(x.requests for x in loads),
                statistics.median(x.p50_ms for x in loads),
                statistics.median(x.p99_ms for x in loads),
                non_2xx=sum(x.non_2xx for x in loads),
                socket_errors={k: sum(x.socket_errors.get(k, 0) for x in loads)
                               for x in loads for k in x.socket_errors},
                other_cpu_share=max(x.other_cpu_share for x in loads))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="/api/v1/tags")
    parser.add_argument("--connections", default="1,16",
                        help="comma-separated connection counts (default 1,16)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn / uvicorn workers")
    parser.add_argument("--nginx-workers", default="1")
    parser.add_argument("--out-dir", type=Path)
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.connections.split(",")]
    # what app_bench.make_servers reads
    args.flask_worker_class, args.flask_threads = "gthread", 4
    args.uvicorn_http = args.uvicorn_loop = "auto"

    servers: list[Server] = []
    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="proxy-bench-"))
    prefix = Path(tempfile.mkdtemp(prefix="proxy-bench-nginx-"))
    prefix.chmod(0o755)  # nginx workers run as nobody when started as root
    try:
        wrk = app_bench.check_tools()
        app_bench.convert(out_dir)
        flask, fastapi = app_bench.make_servers(args, out_dir, app_bench.prepare(out_dir))
        for server in (flask, fastapi):
            server.start()
            servers.append(server)
        for server in (flask, fastapi):
            server.wait_ready(args.endpoint)
        port = free_port()
        rule = args.endpoint.split("?", 1)[0]
        plan = MigrationPlan(
            [f"{app_bench.HOST}:{flask.port}"], [f"{app_bench.HOST}:{fastapi.port}"],
            routes=[RouteStage(rule, ("GET",), "bench", stage="full")],
            settings=ProxySettings(listen=f"{app_bench.HOST}:{port}",
                                   worker_processes=args.nginx_workers))
        nginx = start_nginx(prefix, render_nginx(plan), port)
        servers.append(nginx)
        nginx.wait_ready(args.endpoint)
        import httpx

        probe = httpx.get(nginx.base + args.endpoint, timeout=10)
        if probe.status_code != 200 or probe.headers.get("X-Served-By") != "new":
            raise BenchError(f"through nginx: {probe.status_code}, X-Served-By="
                             f"{probe.headers.get('X-Served-By')!r}, expected 200 from new")
        print(f"  {nginx.base}{args.endpoint} -> 200, X-Served-By: new", flush=True)

        rows, verdicts = [], []
        for conns in counts:
            loads: dict[str, list[Load]] = {"direct": [], "nginx": []}
            nginx_cpu_s = 0.0
            for _ in range(args.rounds):
                for name, server in (("direct", fastapi), ("nginx", nginx)):
                    url = server.base + args.endpoint
                    app_bench.run_wrk(wrk, url, conns, args.warmup, threads=args.threads)
                    before = app_bench.group_cpu_s(nginx.proc.pid)
                    loads[name].append(app_bench.run_wrk(wrk, url, conns, args.duration,
                                                         threads=min(args.threads, conns),
                                                         pgid=fastapi.proc.pid))
                    if name == "nginx":
                        nginx_cpu_s += app_bench.group_cpu_s(nginx.proc.pid) - before
            direct, proxied = median_load(loads["direct"]), median_load(loads["nginx"])
            added = proxied.p50_ms - direct.p50_ms
            lost = 1 - proxied.rps / direct.rps if direct.rps else 0.0
            # the proxied runs count nginx as "other": judge the machine by the direct runs
            noisy = direct.other_cpu_share
            nginx_us = nginx_cpu_s / proxied.requests * 1e6 if proxied.requests else 0.0
            for name, load in (("FastAPI direct", direct), ("via nginx", proxied)):
                rows.append([str(conns), name, app_bench.fmt_rps(load.rps),
                             f"{load.p50_ms:.2f}", f"{load.p99_ms:.2f}",
                             app_bench.fmt_errors(load)])
            verdicts.append(
                f"  {conns} connection(s): {added:+.2f} ms at p50 (target < {TARGET_P50_MS} ms: "
                f"{'met' if added < TARGET_P50_MS else 'MISSED'}), {lost:+.1%} throughput lost "
                f"(target < {TARGET_THROUGHPUT_LOSS:.0%}: "
                f"{'met' if lost < TARGET_THROUGHPUT_LOSS else 'MISSED'}); nginx used "
                f"{nginx_us:.0f} us of CPU per request; other processes "
                f"took {noisy:.0%} of the CPUs{' (DISTURBED)' if noisy > 0.10 else ''}")
        print()
        print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
              f"{args.workers} uvicorn worker(s), {args.nginx_workers} nginx worker(s), "
              f"wrk -t{args.threads} -d{args.duration}s, median of {args.rounds} round(s), "
              f"GET {args.endpoint}")
        print(markdown_table([["conns", "target", "req/s", "p50 ms", "p99 ms", "errors"], *rows],
                             right={0, 2, 3, 4}))
        print("\n".join(["", "overhead of the proxy:", *verdicts]))
    except BenchError as error:
        print(f"proxy_bench: {error}", file=sys.stderr)
        return 1
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(prefix, ignore_errors=True)
        if args.out_dir is None:
            shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
