"""Real servers for the proxy end-to-end tests: the legacy app under gunicorn, the converted app
under uvicorn and nginx with a rendered config, each on 127.0.0.1 and a free port, each started
in its own process group and stopped by that pid. Every wait is bounded."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.app_bench import gunicorn_without_control_socket
from migrator.proxy.nginx import check_nginx_config

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the process group led by our pid; SIGKILL if it lingers."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)


def start(name: str, cmd: list[str], port: int, log: Path, *, env: dict | None = None,
          cwd: Path | None = None, timeout: float = 60) -> Server:
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                env={**os.environ, **(env or {})}, start_new_session=True)
    server = Server(name, proc, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}: {server.log_text()[-2000:]}")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{name} did not listen on {HOST}:{port} in {timeout}s: "
                       f"{server.log_text()[-2000:]}")


PREPARE_DB = """
import sys
from legacy_flask_app import create_app
from legacy_flask_app.fixtures import load_fixtures
for path in sys.argv[1:]:
    load_fixtures(create_app({"DATABASE": path, "UPLOAD_FOLDER": path + ".uploads"}))
"""


def settings_file(workdir: Path, name: str) -> Path:
    """A fresh fixture database for one server, named in a LEGACY_APP_SETTINGS file."""
    db = workdir / f"{name}.sqlite3"
    subprocess.run([sys.executable, "-c", PREPARE_DB, str(db)], check=True, timeout=120,
                   env={**os.environ, "PYTHONPATH": str(EXAMPLES)})
    cfg = workdir / f"{name}_settings.py"
    cfg.write_text(f"DATABASE = {str(db)!r}\nUPLOAD_FOLDER = {str(db) + '.uploads'!r}\n"
                   "SECRET_KEY = 'proxy-test'\n")
    return cfg


def start_gunicorn(workdir: Path) -> Server:
    port = free_port()
    return start("gunicorn", [
        sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", "1",
        "--worker-class", "gthread", "--threads", "8", *gunicorn_without_control_socket(),
        "--access-logfile", "-",
        "legacy_flask_app.wsgi:app"],
        port, workdir / "gunicorn.log",
        env={"PYTHONPATH": str(EXAMPLES), "LEGACY_APP_SETTINGS": str(settings_file(workdir, "flask"))})


def start_uvicorn(workdir: Path, package_dir: Path) -> Server:
    """`uvicorn PACKAGE.main:app` with its access log (to count mirrored requests) and the
    proxy headers trusted from 127.0.0.1 (to see X-Forwarded-For / -Proto arrive)."""
    port = free_port()
    return start("uvicorn", [
        sys.executable, "-m", "uvicorn", f"{package_dir.name}.main:app", "--host", HOST,
        "--port", str(port), "--proxy-headers", "--forwarded-allow-ips", HOST],
        port, workdir / "uvicorn.log",
        env={"PYTHONPATH": os.pathsep.join([str(package_dir.parent), str(EXAMPLES)]),
             "LEGACY_APP_SETTINGS": str(settings_file(workdir, "fastapi"))})


def start_app_module(workdir: Path, name: str, source: str) -> Server:
    """`uvicorn NAME:app` for a small app module written to `workdir` beside a copy of the
    generated package's flask_compat.py, which it imports as `flask_compat`."""
    shutil.copy(REPO / "templates" / "fastapi_app" / "flask_compat.py", workdir)
    (workdir / f"{name}.py").write_text(source, encoding="utf-8")
    port = free_port()
    return start("uvicorn", [sys.executable, "-m", "uvicorn", f"{name}:app", "--host", HOST,
                             "--port", str(port)], port, workdir / "uvicorn.log",
                 env={"PYTHONPATH": str(workdir)}, cwd=workdir)


def nginx_binary() -> str:
    """nginx must be installed (CI installs it): a missing nginx fails the tests, never skips."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                       else None)
    if binary is None:
        raise RuntimeError("nginx not found: apt-get install -y nginx")
    return binary


def nginx_prefix(prefix: Path, config: str) -> Path:
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(config, encoding="utf-8")
    return conf


def private_prefix() -> Path:
    """A prefix the worker can reach: run as root, nginx workers are `nobody`, and pytest's
    temporary folders (mode 0700) would make them fail with 500 on the first buffered body."""
    prefix = Path(tempfile.mkdtemp(prefix="migrate-nginx-"))
    prefix.chmod(0o755)
    return prefix


def start_nginx(prefix: Path, config: str, port: int) -> Server:
    nginx_prefix(prefix, config)
    return start("nginx", [nginx_binary(), "-p", f"{prefix}/", "-c", "nginx.conf", "-e",
                           "logs/error.log", "-g", "daemon off;"], port, prefix / "nginx.out")


def reload_nginx(config: str, prefix: Path) -> None:
    """Write the new config, `nginx -t` it, then `nginx -s reload` (which signals the master
    named in the prefix's pid file)."""
    ok, message = check_nginx_config(config, nginx_binary())
    if not ok:
        raise RuntimeError(message)
    nginx_prefix(prefix, config)
    subprocess.run([nginx_binary(), "-p", f"{prefix}/", "-c", "nginx.conf", "-e",
                    "logs/error.log", "-s", "reload"], check=True, timeout=60,
                   capture_output=True)


def request(port: int, method: str, path: str, *, headers: dict | None = None,
            body: bytes | None = None, timeout: float = 10
            ) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request on a new connection; the path is sent raw (no normalisation)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.headers, data
    finally:
        conn.close()
