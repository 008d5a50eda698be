"""`migrate proxy` end to end: a real nginx with the rendered config in front of the legacy app
under gunicorn and the converted app under uvicorn, real HTTP on 127.0.0.1.

One set of servers per module (started once, stopped by pid). Which backend answered is read from
the served-by header, which nginx derives from the upstream address that actually answered; the
shadow copies are counted in uvicorn's own access log. Nothing here is timed: waits are bounded
polls, load loops have fixed request counts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from migrator.convert.run import convert_project
from migrator.proxy.nginx import render_nginx
from migrator.proxy.plan import MigrationPlan, ProxySettings, RouteStage
from migrator.proxy.state import add_routes
from tests.proxy_processes import (
    EXAMPLES,
    REPO,
    free_port,
    private_prefix,
    reload_nginx,
    request,
    start_gunicorn,
    start_nginx,
    start_uvicorn,
)

SERVED = "X-Served-By"
ADMIN = {"username": "admin", "password": "admin-password"}


def stage_plan(legacy: str, new: str, port: int) -> MigrationPlan:
    return MigrationPlan(
        legacy_upstreams=[legacy], new_upstreams=[new],
        routes=[
            RouteStage("/api/v1/tags", ("GET",), "api.list_tags", stage="full"),
            RouteStage("/api/v1/items/<int:item_id>", ("GET",), "api.item", stage="full"),
            RouteStage("/api/v1/categories/<slug:slug>", ("GET",), "api.get_category",
                       stage="rolled-back"),
            RouteStage("/api/v1/categories", ("GET",), "api.list_categories", stage="canary",
                       percent=25),
            RouteStage("/api/v1/files/<path:subpath>", ("GET",), "api.uploaded_file",
                       stage="shadow"),
            RouteStage("/auth/session", ("POST",), "auth.create_session", stage="shadow"),
            # Flask answers it with a strict-slashes redirect built from Host and the scheme
            RouteStage("/api/v1/reviews", ("GET",), "redirect", stage="full"),
        ],
        legacy_rules=["/api/v1/items/by-slug/<string:slug>", "/api/v1/search", "/health"],
        settings=ProxySettings(listen=f"127.0.0.1:{port}", shadow_methods="*",
                               worker_processes="1"),
    )


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    work = tmp_path_factory.mktemp("proxy-e2e")
    package = work / "migrated_proxy"
    convert_project(EXAMPLES / "legacy_flask_app", package)
    started, prefix = [], None
    try:
        legacy = start_gunicorn(work)
        started.append(legacy)
        new = start_uvicorn(work, package)
        started.append(new)
        port = free_port()
        plan = stage_plan(legacy.address, new.address, port)
        prefix = private_prefix()
        nginx = start_nginx(prefix, render_nginx(plan), port)
        started.append(nginx)
        yield {"legacy": legacy, "new": new, "nginx": nginx, "port": port, "plan": plan,
               "work": work, "prefix": prefix}
    finally:
        for server in reversed(started):
            server.stop()
        if prefix:
            shutil.rmtree(prefix, ignore_errors=True)


def served(port, method, path, **kw):
    status, headers, body = request(port, method, path, **kw)
    return status, headers.get(SERVED), body


def test_every_route_and_method_goes_where_its_stage_says(servers):
    port = servers["port"]
    expected = [
        ("GET", "/api/v1/tags", "new"),  # full
        ("HEAD", "/api/v1/tags", "legacy"),  # only GET moved: Flask keeps HEAD
        ("GET", "/api/v1/items/1", "new"),
        ("PUT", "/api/v1/items/1", "legacy"),  # method not migrated
        ("DELETE", "/api/v1/items/1", "legacy"),
        ("GET", "/api/v1/items/abc", "legacy"),  # int converter: not this rule
        ("GET", "/api/v1/items/1/", "legacy"),  # anchored: strict slashes
        ("GET", "/api/v1/items/by-slug/widget", "legacy"),
        ("GET", "/api/v1/categories/books", "legacy"),  # rolled back
        ("GET", "/api/v1/files/a.txt", "legacy"),  # shadow: Flask answers
        ("GET", "/api/v1/search?q=a", "legacy"),  # not migrated
        ("GET", "/health", "legacy"),
        ("GET", "/", "legacy"),
        ("GET", "/no/such/page", "legacy"),
    ]
    got = [(m, p, served(port, m, p)[1]) for m, p, _ in expected]
    assert got == expected
    status, _, body = served(port, "GET", "/api/v1/items/1")
    assert status == 200 and json.loads(body)["id"] == 1


def test_fastapi_s_own_pages_are_served_by_fastapi_through_the_proxy(servers):
    """/openapi.json, /docs and /redoc (no Flask rule answers them) reach the generated app,
    whose schema documents the migrated routes; Flask answered 404 there before."""
    port = servers["port"]
    status, by, body = served(port, "GET", "/openapi.json")
    assert (status, by) == (200, "new")
    assert "/api/v1/tags" in json.loads(body)["paths"]
    for page, marker in (("/docs", b"swagger-ui"), ("/redoc", b"redoc")):
        status, by, body = served(port, "GET", page)
        assert (status, by) == (200, "new") and marker in body.lower(), page
    assert served(port, "GET", "/docs", headers={"X-Migrate-Backend": "legacy"})[:2] == \
        (200, "new")  # FastAPI's pages: no legacy page to force
    legacy = servers["legacy"].address
    assert request(int(legacy.rsplit(":", 1)[1]), "GET", "/openapi.json")[0] == 404


def test_canary_share_and_stickiness(servers):
    port = servers["port"]
    on_new = 0
    for _ in range(2000):  # 2,000 clients without a cookie: each is a new client
        status, backend, _ = served(port, "GET", "/api/v1/categories")
        assert status == 200
        on_new += backend == "new"
    assert 400 <= on_new <= 600, on_new  # 20..30% of 2,000
    seen = {"new": 0, "legacy": 0}
    for _ in range(40):
        _, headers, _ = request(port, "GET", "/api/v1/categories")
        first = headers.get(SERVED)
        cookie = [c for c in headers.get_all("Set-Cookie") if c.startswith("migrate_canary=")]
        assert len(cookie) == 1
        jar = cookie[0].split(";", 1)[0]
        seen[first] += 1
        for _ in range(5):
            _, again, _ = request(port, "GET", "/api/v1/categories", headers={"Cookie": jar})
            assert again.get(SERVED) == first
            assert not any(c.startswith("migrate_canary=") for c in again.get_all("Set-Cookie") or [])
    assert seen["new"] and seen["legacy"], seen


def test_header_and_cookie_overrides(servers):
    port = servers["port"]
    hdr = "X-Migrate-Backend"
    cases = [
        ({hdr: "new"}, "GET", "/api/v1/categories/books", "new"),  # rolled back, forced to new
        ({hdr: "legacy"}, "GET", "/api/v1/tags", "legacy"),  # full, pulled back
        ({"Cookie": "migrate_backend=new"}, "GET", "/api/v1/files/a.txt", "new"),
        ({"Cookie": "migrate_backend=legacy"}, "GET", "/api/v1/items/1", "legacy"),
        ({hdr: "legacy", "Cookie": "migrate_backend=new"}, "GET", "/api/v1/tags", "legacy"),
        ({hdr: "new", "Cookie": "migrate_backend=legacy"}, "GET", "/api/v1/categories/books", "new"),
        ({hdr: "bogus"}, "GET", "/api/v1/tags", "new"),  # ignored: the stage applies
        ({hdr: "new"}, "PUT", "/api/v1/items/1", "legacy"),  # method not migrated
        ({hdr: "new"}, "GET", "/api/v1/search?q=a", "legacy"),  # route not migrated
    ]
    for _ in range(10):  # many canary-free requests: no randomness may leak in
        for headers, method, path, backend in cases:
            assert served(port, method, path, headers=headers)[1] == backend, (headers, path)
    for _ in range(50):  # the canary route: the override beats the 25% weight
        assert served(port, "GET", "/api/v1/categories", headers={hdr: "new"})[1] == "new"
        assert served(port, "GET", "/api/v1/categories",
                      headers={"Cookie": "migrate_backend=legacy"})[1] == "legacy"


def test_a_route_with_the_app_s_own_converter_answers_as_flask_through_nginx(servers):
    """`/api/v1/categories/<slug:slug>`: the example app registers `SlugConverter` (its regex,
    and a `to_python` that lowercases and refuses long values). nginx sends any one segment to
    FastAPI; the generated app lets the legacy URL map route it, so a value the converter
    refuses gets Flask's 404 from FastAPI. Several segments go to Flask."""
    port = servers["port"]
    to_new, to_legacy = {"X-Migrate-Backend": "new"}, {"X-Migrate-Backend": "legacy"}
    for path, backend in [("/api/v1/categories/Tools", "new"), ("/api/v1/categories/tools", "new"),
                          ("/api/v1/categories/no_such", "new"),
                          ("/api/v1/categories/" + "a" * 65, "new"),
                          ("/api/v1/categories/a/b", "legacy")]:
        status, served_by, body = served(port, "GET", path, headers=to_new)
        legacy_status, legacy_served_by, legacy_body = served(port, "GET", path, headers=to_legacy)
        assert (served_by, legacy_served_by) == (backend, "legacy"), path
        assert (status, body) == (legacy_status, legacy_body), path
    assert json.loads(served(port, "GET", "/api/v1/categories/Tools", headers=to_new)[2])[
        "category"]["slug"] == "tools"


def uvicorn_lines(servers, pattern: str, expect: int) -> list[str]:
    """uvicorn's access-log lines matching `pattern`, polled until `expect` arrive (bounded)."""
    return access_lines(servers["new"], pattern, expect)


def access_lines(server, pattern: str, expect: int) -> list[str]:
    """`server`'s access-log lines matching `pattern`, polled until `expect` arrive (bounded)."""
    regex = re.compile(pattern)
    deadline = time.monotonic() + 20
    while True:
        lines = [ln for ln in server.log_text().splitlines() if regex.search(ln)]
        if len(lines) >= expect or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_shadow_flask_answers_and_fastapi_receives_each_copy(servers):
    port = servers["port"]
    for i in range(5):  # forced to FastAPI: answered there, and not mirrored there a second time
        status, backend, _ = served(port, "GET", f"/api/v1/files/forced-{i}.txt",
                                    headers={"X-Migrate-Backend": "new"})
        assert backend == "new" and status == 404
    for i in range(20):
        status, backend, _ = served(port, "GET", f"/api/v1/files/shadow-{i}.txt")
        assert backend == "legacy" and status == 404
    lines = uvicorn_lines(servers, r'"GET /api/v1/files/shadow-\d+\.txt HTTP', 20)
    assert len(lines) == 20
    assert len(uvicorn_lines(servers, r'"GET /api/v1/files/forced-\d+\.txt HTTP', 5)) == 5
    # the body is mirrored too: FastAPI logs 200 for the right password, 401 for a wrong one
    good = json.dumps(ADMIN).encode()
    bad = json.dumps({**ADMIN, "password": "nope"}).encode()
    json_type = {"Content-Type": "application/json"}
    assert served(port, "POST", "/auth/session", body=good, headers=json_type)[:2] == (200, "legacy")
    assert served(port, "POST", "/auth/session", body=bad, headers=json_type)[:2] == (401, "legacy")
    lines = uvicorn_lines(servers, r'"POST /auth/session HTTP', 2)
    assert [ln.split('" ', 1)[1][:3] for ln in lines] == ["200", "401"]


def test_host_forwarded_headers_and_bodies_pass_through(servers):
    port = servers["port"]
    headers = {"Host": "shop.example:8443", "X-Forwarded-Proto": "https",
               "X-Forwarded-For": "203.0.113.9"}
    for backend in ("new", "legacy"):
        status, got, _ = request(port, "GET", "/api/v1/reviews",
                                 headers={**headers, "X-Migrate-Backend": backend})
        assert got.get(SERVED) == backend
        assert status == 308 and got["Location"] == "https://shop.example:8443/api/v1/reviews/"
    assert uvicorn_lines(servers, r'^INFO: +203\.0\.113\.9:\d+ - "GET /api/v1/reviews HTTP', 1)
    # bodies above nginx's 1 MiB default reach the app (Flask's own limit here is 2 MiB)
    big = b'{"username": "admin", "pad": "' + b"x" * (1536 * 1024) + b'"}'
    for backend in ("new", "legacy"):
        status, got, _ = request(port, "POST", "/auth/session", body=big, headers={
            "Content-Type": "application/json", "X-Migrate-Backend": backend})
        assert status == 401, status  # the app read the body and refused the login; not a 413


def test_websocket_upgrade_reaches_fastapi(servers):
    """The handshake's Upgrade/Connection headers pass: uvicorn sees a WebSocket, not a GET (the
    example has no WebSocket route, so the app rejects it with 403 after the upgrade)."""
    with socket.create_connection(("127.0.0.1", servers["port"]), timeout=10) as sock:
        sock.sendall(b"GET /api/v1/tags?ws=1 HTTP/1.1\r\nHost: shop.example\r\n"
                     b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     b"Sec-WebSocket-Version: 13\r\n\r\n")
        head = sock.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 403") and f"{SERVED}: new" in head, head
    assert uvicorn_lines(servers, r'"WebSocket /api/v1/tags\?ws=1" 403', 1)


def test_path_tricks_go_to_flask_unchanged(servers):
    """A raw path with '//', '/./' or '/../' (also percent-encoded) reaches Flask as the client
    sent it, and the client gets Flask's own answer: what it got before the migration."""
    port, legacy_port = servers["port"], servers["legacy"].port
    tricks = ["/api/v1/files/../items/1", "/api/v1/files/%2e%2e/items/1",
              "/api/v1/files/.%2E/items/1", "/api/v1/files/./a", "/api/v1/items//1",
              "/api/v1/files//a", "//api/v1/tags", "/api/v1/tags/.?x=/../y"]
    for path in tricks:
        status, headers, body = request(port, "GET", path, headers={"Host": "shop.example"})
        direct = request(legacy_port, "GET", path, headers={"Host": "shop.example"})
        assert headers.get(SERVED) == "legacy", path
        assert (status, headers.get("Location"), body) == (
            direct[0], direct[1].get("Location"), direct[2]), path
    # without the hand-over, the first one would be routed as /api/v1/items/1 (a migrated rule)
    # and reach the FastAPI app's files handler with subpath="../items/1"; Werkzeug merges the
    # slashes of a migrated rule's path and redirects, which nginx passes on
    assert request(port, "GET", "/api/v1/items//1")[0] == 308
    # the method is handed over too (gunicorn's access log: one line from nginx, one direct)
    for port_used in (port, legacy_port):
        status, headers, _ = request(port_used, "POST", "/auth//session?n=1", body=b"{}",
                                     headers={"Content-Type": "application/json"})
        assert status == 308, status
    assert len(access_lines(servers["legacy"], r'"POST /auth//session\?n=1 HTTP', 2)) == 2
    for path in ("/api/v1/files/a..b", "/api/v1/files/a%2Fb", "/api/v1/search?q=a&next=/../x"):
        assert served(port, "GET", path)[1] == "legacy", path


def test_escaped_rules_route_only_their_own_paths(servers, tmp_path):
    """Regex metacharacters in rules are literal: `.`, `+`, `(`, `$`, `;`, `'`."""
    port = free_port()
    rules = ["/v1.0/items/<int:id>", "/c++/<name>", "/f(x)/<name>", "/price$/<int:x>",
             "/a;b/<int:x>", "/q'x/<int:x>", "/v2.0/static.json"]
    plan = MigrationPlan(
        [servers["legacy"].address], [servers["new"].address],
        routes=[RouteStage(r, ("GET",), f"e{i}", stage="full") for i, r in enumerate(rules)],
        settings=ProxySettings(listen=f"127.0.0.1:{port}", worker_processes="1"))
    prefix = private_prefix()
    nginx = start_nginx(prefix, render_nginx(plan), port)
    try:
        expected = [
            ("/v1.0/items/5", "new"), ("/v1x0/items/5", "legacy"), ("/v1.0/items/5/", "legacy"),
            ("/c++/bob", "new"), ("/cc/bob", "legacy"), ("/c/bob", "legacy"),
            ("/f(x)/bob", "new"), ("/fx/bob", "legacy"), ("/price$/5", "new"),
            ("/price/5", "legacy"), ("/a;b/5", "new"), ("/q'x/5", "new"),
            ("/v2.0/static.json", "new"), ("/v2x0/staticxjson", "legacy"),
        ]
        assert [(p, served(port, "GET", p)[1]) for p, _ in expected] == expected
    finally:
        nginx.stop()
        if prefix:
            shutil.rmtree(prefix, ignore_errors=True)


def test_a_migrated_rule_holding_doubled_slashes_is_served_at_the_path_werkzeug_merges(
        servers):
    """cellxgene's `url_prefix="/" + "/api/v0.2"` makes rules `//api/v0.2/...` that Flask serves
    at `/api/v0.2/...` (and redirects `//api/...` there). nginx picks the location from the URI
    with its slashes merged, so the location is at the merged path; a request that really holds
    `//` still reaches Flask as sent."""
    port = free_port()
    plan = MigrationPlan(
        [servers["legacy"].address], [servers["new"].address],
        routes=[RouteStage("//v9//merged/<int:x>", ("GET",), "merged", stage="full"),
                RouteStage("//v9/config", ("GET",), "config", stage="full")],
        settings=ProxySettings(listen=f"127.0.0.1:{port}", worker_processes="1"))
    prefix = private_prefix()
    nginx = start_nginx(prefix, render_nginx(plan), port)
    try:
        expected = [
            ("/v9/merged/5", "new"), ("/v9/config", "new"), ("/v9/merged/x", "legacy"),
            ("//v9//merged/5", "legacy"), ("//v9/config", "legacy"), ("/v9//config", "legacy"),
            ("/v9/config/", "legacy"),
        ]
        assert [(p, served(port, "GET", p)[1]) for p, _ in expected] == expected
    finally:
        nginx.stop()
        shutil.rmtree(prefix, ignore_errors=True)


def migrate(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "migrator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def test_a_fastapi_that_never_answers_its_shadow_copies_never_starves_flask(servers):
    """nginx keeps each client connection until its mirror copy is answered. A FastAPI that
    accepts the copies and never answers (hung, or far slower than Flask) would pile them up
    until the worker's 1024 connections are gone and Flask's own traffic is refused; the mirror
    upstream's max_conns drops the copies beyond it instead."""
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(4096)
    held: list[socket.socket] = []
    done = threading.Event()

    def swallow():  # accepts and holds every connection, reads nothing, answers nothing
        hole.settimeout(0.2)
        while not done.is_set():
            try:
                held.append(hole.accept()[0])
            except OSError:
                continue

    port = free_port()
    plan = MigrationPlan(
        legacy_upstreams=[servers["legacy"].address],
        new_upstreams=[f"127.0.0.1:{hole.getsockname()[1]}"],
        routes=[RouteStage("/api/v1/tags", ("GET",), "api.list_tags", stage="shadow")],
        settings=ProxySettings(listen=f"127.0.0.1:{port}", worker_processes="1"))
    prefix = private_prefix()
    acceptor = threading.Thread(target=swallow)
    acceptor.start()
    nginx = start_nginx(prefix, render_nginx(plan), port)
    results: list[int] = []

    def load():
        for _ in range(150):  # bounded: 8 x 150 = 1,200 requests, more than 1024 connections
            try:
                status, backend, _ = served(port, "GET", "/api/v1/tags")
                results.append(status if backend == "legacy" else -status)
            except OSError:
                results.append(0)

    try:
        threads = [threading.Thread(target=load) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        nginx.stop()
        done.set()
        acceptor.join(timeout=10)
        for connection in held:
            connection.close()
        hole.close()
        shutil.rmtree(prefix, ignore_errors=True)
    assert len(results) == 1200
    assert results.count(200) == 1200, {r: results.count(r) for r in set(results)}
    assert held  # the copies did reach the black hole (up to max_conns at a time)


#: Requests each load thread sends at most (it stops once the traffic has moved).
LOAD_CAP = 50_000


def test_rollout_proxy_and_reload_move_traffic_without_a_failed_request(servers, tmp_path):
    """`migrate rollout` + `migrate proxy --check` + `nginx -s reload`, under a bounded load."""
    state = tmp_path / "migration.toml"
    add_routes(state, [RouteStage("/api/v1/tags", ("GET",), "api.list_tags", blueprint="api")],
               legacy_source=EXAMPLES / "legacy_flask_app",
               legacy_upstreams=[servers["legacy"].address],
               new_upstreams=[servers["new"].address])
    port = free_port()
    text = state.read_text()
    text = text.replace('listen = "127.0.0.1:8080"', f'listen = "127.0.0.1:{port}"')
    state.write_text(text.replace('worker_processes = "auto"', 'worker_processes = "1"'))
    prefix = private_prefix()
    conf = prefix / "nginx.conf"
    made = migrate("proxy", "--state", str(state), "--out", str(conf), "--check", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    nginx = start_nginx(prefix, conf.read_text(), port)
    results: list[tuple[int, str]] = []
    stop = threading.Event()

    def load():
        # Runs until the traffic has moved (stop), bounded: a fast machine sends a few
        # thousand requests before the two `migrate` runs and reloads are done, so a small
        # fixed count could end the load before any request reached the new app.
        for _ in range(LOAD_CAP):
            if stop.is_set():
                return
            try:
                status, backend, _ = served(port, "GET", "/api/v1/tags")
            except OSError as error:
                status, backend = 0, repr(error)
            results.append((status, backend))

    threads = [threading.Thread(target=load) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for stage in (["--percent", "50"], ["--full"]):
            seen = len(results)
            while len(results) < seen + 50 and any(t.is_alive() for t in threads):
                time.sleep(0.02)
            moved = migrate("rollout", "/api/v1/tags", *stage, "--force", "--state", str(state),
                            cwd=tmp_path)
            assert moved.returncode == 0, moved.stderr
            made = migrate("proxy", "--state", str(state), "--out", str(conf), "--check",
                           cwd=tmp_path)
            assert made.returncode == 0, made.stderr
            reload_nginx(conf.read_text(), prefix)
        deadline = time.monotonic() + 30  # bounded: until the reloaded workers answer
        while time.monotonic() < deadline:
            if [served(port, "GET", "/api/v1/tags")[1] for _ in range(20)] == ["new"] * 20:
                break
            time.sleep(0.1)
        else:
            pytest.fail("traffic did not move to new after the reload")
        moved_at = len(results)  # the load goes on after the move, on the new app
        while len(results) < moved_at + 50 and any(t.is_alive() for t in threads):
            time.sleep(0.02)
        assert any(t.is_alive() for t in threads), f"the load ended ({LOAD_CAP} requests each)"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        nginx.stop()
        shutil.rmtree(prefix, ignore_errors=True)
    assert len(results) > 100
    assert all(status == 200 for status, _ in results), [r for r in results if r[0] != 200][:5]
    backends = [backend for _, backend in results]
    assert backends[0] == "legacy" and "new" in backends


def test_fastapi_down_gets_fall_back_to_flask(servers):
    """Last in the module: it stops the FastAPI server."""
    port = servers["port"]
    servers["new"].stop(signal.SIGKILL)
    for _ in range(20):
        for path in ("/api/v1/tags", "/api/v1/items/1"):
            status, backend, _ = served(port, "GET", path)
            assert (status, backend) == (200, "legacy"), path
        status, backend, _ = served(port, "GET", "/api/v1/categories",
                                    headers={"X-Migrate-Backend": "new"})
        assert (status, backend) == (200, "legacy")
