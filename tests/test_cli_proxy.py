"""`migrate proxy` on a state file: output, --check with a real `nginx -t`, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from migrator.proxy.plan import RouteStage
from migrator.proxy.state import add_routes

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "legacy_flask_app"


def migrate(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "migrator", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def state_file(tmp_path: Path, legacy: str = "127.0.0.1:18001") -> Path:
    state = tmp_path / "migration.toml"
    add_routes(state, [
        RouteStage("/api/v1/tags", ("GET",), "api.list_tags", blueprint="api"),
        RouteStage("/api/v1/items/<int:item_id>", ("GET",), "api.item_api", blueprint="api"),
    ], legacy_source=EXAMPLE, legacy_upstreams=[legacy], new_upstreams=["127.0.0.1:18002"])
    return state


def test_proxy_writes_a_checked_config_with_every_flask_rule_placed(tmp_path):
    state = state_file(tmp_path)
    out = tmp_path / "nginx.conf"
    run = migrate("proxy", "--state", str(state), "--out", str(out), "--check", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "nginx -t: ok" in run.stderr
    config = out.read_text()
    assert 'location = "/api/v1/tags" {' in config
    assert 'location ~ "^/api/v1/items/[0-9]+$" {' in config
    # rules left on Flask, from the scan of [legacy] source, keep Werkzeug's precedence
    assert 'location ~ "^/api/v1/items/by-slug/[^/]+$" {' in config
    # and so does the app's own static rule, which the scan records on the app
    assert 'location ~ "^/static/[^/].*$" {  # /static/<path:filename>' in config
    # the scan sees the export stream its answer: nginx lets it pause longer than 60 s
    export = config.split('location = "/api/v1/items/export.ndjson" {', 1)[1].split("}", 1)[0]
    assert "proxy_read_timeout 1h;" in export
    assert config.count("proxy_read_timeout 1h;") == 1
    gateway = migrate("proxy", "--state", str(state), "--format", "gateway-api", "--gateway",
                      "infra/edge", "--new-service", "api:9000", cwd=tmp_path)
    assert gateway.returncode == 0, gateway.stderr
    docs = list(yaml.safe_load_all(gateway.stdout))
    assert {d["kind"] for d in docs} == {"HTTPRoute"}
    assert docs[0]["spec"]["parentRefs"] == [{"name": "edge", "namespace": "infra"}]
    refs = {(b["name"], b["port"]) for d in docs for r in d["spec"]["rules"]
            for b in r["backendRefs"]}
    assert refs == {("api", 9000), ("flask-legacy", 8000)}
    bad = migrate("proxy", "--state", str(state), "--format", "gateway-api", "--new-service",
                  "api: {x}", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr == "migrate: error: --new-service 'api: {x}': expected NAME:PORT (a DNS " \
        "label and a port 1..65535)\n"


def test_check_fails_with_nginx_message_and_writes_nothing(tmp_path):
    # a valid upstream name nginx cannot resolve: only `nginx -t` finds that
    state = state_file(tmp_path, legacy="no-such-host.invalid:8000")
    out = tmp_path / "nginx.conf"
    run = migrate("proxy", "--state", str(state), "--out", str(out), "--check", cwd=tmp_path)
    assert run.returncode == 1
    assert "nginx -t failed" in run.stderr and "no-such-host.invalid" in run.stderr
    assert not out.exists()


def test_bad_state_values_are_one_line_with_file_and_line(tmp_path):
    state = state_file(tmp_path)
    text = state.read_text().replace('listen = "127.0.0.1:8080"',
                                     'listen = "8080; include /etc/shadow"')
    state.write_text(text)
    run = migrate("proxy", "--state", str(state), cwd=tmp_path)
    assert run.returncode == 2
    line = text[:text.index("listen =")].count("\n") + 1
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"migrate: error: {state}:{line}: [proxy] listen = ")
    check = migrate("proxy", "--state", str(state), "--format", "gateway-api", "--check",
                    cwd=tmp_path)
    assert check.returncode == 2 and "--check" in check.stderr
