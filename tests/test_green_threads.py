"""An app whose loading runs gevent's `monkey.patch_all()` (locust's package does it when
imported) is served and verified.

Under uvicorn's default event loop (uvloop, which `uvicorn[standard]` installs) the generated
app answered no request that reaches a Flask view: uvloop waits on its own sockets, not
gevent's, so the greenlets that run the views never get to run. uvicorn's asyncio loop waits
through the patched `select`, which runs them: the scan records that loading the app patches
(`App.green_threads`), the serve command convert prints asks for `--loop asyncio`, and
uvicorn answers (measured by hand with locust 2.47.0, and here under a real uvicorn). Requests
at once hung all the same, but for a few, while the generated main.py imported FastAPI (and
anyio) before the legacy app: anyio's thread locals were then the real thread's, shared by
every green thread. It now imports the legacy app's module first.

`migrate verify` hung too, in two places: its test client's event loop thread, when Starlette
and anyio were imported before the patching (they now are imported after the legacy app is
loaded, so they use gevent's threads, as the app does), and the scan's process pool (above
PARALLEL_THRESHOLD files), whose shutdown waits on a patched lock forever (it parses in
process once the standard library is green). Each verify runs in a process of its own: the
patching must not reach the test process.
"""

from __future__ import annotations

import http.client
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from migrator.convert.run import convert_project
from migrator.scan import PARALLEL_THRESHOLD, scan_path
from tests.proxy_processes import HOST, free_port, start
from tests.scan_support import write_tree

WEB = """
    import time

    from flask import Flask, jsonify

    app = Flask(__name__)


    @app.route("/ping")
    def ping():
        time.sleep(0.01)  # gevent's sleep, once patched
        return jsonify(ok=True)


    @app.route("/hello/<name>")
    def hello(name):
        return jsonify(hello=name)


    app.add_url_rule("/lambda", "lam", lambda: "from the legacy mount")  # stays on Flask
"""

CONCURRENT = 16

GREEN = {
    "__init__.py": """
        from gevent import monkey

        monkey.patch_all()
    """,
    "web.py": WEB,
    # enough modules for the scan's process pool
    **{f"m{index}.py": "" for index in range(PARALLEL_THRESHOLD)},
}


def converted(tmp_path: Path, sources: dict[str, str]) -> tuple[Path, Path, str]:
    legacy = write_tree(tmp_path / "legacy" / "greenapp", sources)
    out = tmp_path / "generated" / "green_fastapi"
    result = convert_project(legacy, out)
    assert sorted(view.route.rule for view in result.converted) == ["/hello/<name>", "/ping"]
    command = result.serve_command()
    assert command is not None
    return legacy, out, command


def test_the_scan_records_that_loading_the_app_patches(tmp_path: Path) -> None:
    green = scan_path(write_tree(tmp_path / "greenapp", GREEN))
    assert [app.green_threads for app in green.apps] == ["gevent"]
    assert [app.to_json()["green_threads"] for app in green.apps] == ["gevent"]
    warning = next(d.message for d in green.diagnostics if d.code == "scan.monkey_patching")
    assert "uvicorn's default event loop (uvloop)" in warning
    assert warning.endswith("Serve the generated app with uvicorn's `--loop asyncio`, as the "
                            "serve command convert prints does, or move the call out of the "
                            "modules the app imports")
    plain = scan_path(write_tree(tmp_path / "plainapp", {"web.py": WEB}))
    assert [app.green_threads for app in plain.apps] == [None]


def test_uvicorn_answers_with_the_serve_command_s_loop(tmp_path: Path) -> None:
    _legacy, out, command = converted(tmp_path, GREEN)
    assert command.endswith("uvicorn green_fastapi.main:app --loop asyncio")
    main = (out / "main.py").read_text()
    assert "    uvicorn green_fastapi.main:app --loop asyncio\n" in main  # its docstring
    # the legacy app's module before FastAPI's, which imports anyio
    assert main.index("\nimport greenapp.web  # noqa: F401\n") < main.index(
        "\nfrom fastapi import FastAPI\n")
    assignment, program, *arguments = shlex.split(command)
    assert program == "uvicorn" and assignment.startswith("PYTHONPATH=")
    port = free_port()
    server = start("uvicorn", [sys.executable, "-m", "uvicorn", *arguments, "--host", HOST,
                               "--port", str(port), "--workers", "1"],
                   port, tmp_path / "uvicorn.log",
                   env={"PYTHONPATH": assignment.removeprefix("PYTHONPATH=")}, cwd=Path.cwd())

    def get(path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        except OSError as error:  # (a timeout: the request hung)
            return 0, repr(error).encode()
        finally:
            connection.close()

    try:
        answers = [get(path) for path in ("/ping", "/hello/ada", "/lambda")]
        # at once: each view in a green thread of its own
        with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
            together = list(pool.map(get, ["/ping"] * CONCURRENT))
    finally:
        server.stop()
    assert answers == [(200, b'{"ok":true}\n'), (200, b'{"hello":"ada"}\n'),
                       (200, b"from the legacy mount")]
    assert together == [(200, b'{"ok":true}\n')] * CONCURRENT


def run_verify(tmp_path: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrator", "verify", "--new", "green_fastapi.main:app",
         "--format", "json", *options],
        check=False, capture_output=True, text=True, timeout=180, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(tmp_path / "legacy"), str(tmp_path / "generated")])})


def test_verify_runs_where_loading_the_legacy_app_patches(tmp_path: Path) -> None:
    converted(tmp_path, GREEN)
    for options in (("--legacy", "greenapp.web:app"), ()):  # and the package's own legacy app
        verified = run_verify(tmp_path, *options)
        assert verified.returncode == 0, (options, verified.stdout[-2000:],
                                          verified.stderr[-2000:])
        routes = json.loads(verified.stdout)["routes"]
        assert sorted((route["rule"], route["ok"]) for route in routes) == [
            ("/hello/<name>", True), ("/ping", True)], options
        assert all(route["cases"] > 0 for route in routes)
