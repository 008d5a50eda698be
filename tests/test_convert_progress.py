"""A long `migrate convert` shows its progress on stderr, when stderr is a terminal.

privacyidea's 271 routes take 40 s to convert (about 0.15 s a route), in silence before; now a
transient bar counts the routes on a terminal, and a run whose stderr is a file or a pipe writes
nothing there (its JSON on stdout unchanged). Half of that time was LibCST's scope analysis,
asked several times about the same view: `free_names` now remembers its answer by source.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import libcst as cst

from codemods.base import free_names
from tests.scan_support import write_tree

MANY_ROUTES = "from flask import Flask\n\napp = Flask(__name__)\n" + "".join(
    f"\n\n@app.get('/items/{number}')\ndef item_{number}():\n    return {{'item': {number}}}\n"
    for number in range(60))


def run_convert(tmp_path: Path, stderr_on_terminal: bool) -> tuple[dict, bytes]:
    root = write_tree(tmp_path / "legacy" / "many_app", {"__init__.py": MANY_ROUTES})
    out = tmp_path / ("on_terminal" if stderr_on_terminal else "piped")
    command = [sys.executable, "-m", "migrator", "convert", str(root), "--out", str(out),
               "--no-state", "--format", "json"]
    environment = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    if not stderr_on_terminal:
        done = subprocess.run(command, capture_output=True, check=True, timeout=300,
                              env=environment)
        return json.loads(done.stdout), done.stderr
    primary, secondary = os.openpty()
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=secondary,
                                   env=environment)
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: the run is over
                break
            if not chunk:
                break
            shown += chunk
        stdout, _ = process.communicate(timeout=300)
    finally:
        os.close(primary)
    assert process.returncode == 0, shown
    return json.loads(stdout), shown


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    piped, stderr = run_convert(tmp_path, stderr_on_terminal=False)
    assert stderr == b""
    assert len(piped["routes"]) == 60
    on_terminal, shown = run_convert(tmp_path, stderr_on_terminal=True)
    assert b"converting" in shown and b"100%" in shown
    assert on_terminal["routes"] == piped["routes"]


def test_free_names_by_source() -> None:
    source = "def view(item):\n    return helper(item, LIMIT) + len(item)\n"
    first = cst.parse_module(source).body[0]
    again = cst.parse_module(source).body[0]  # another node, the same source
    assert isinstance(first, cst.FunctionDef) and isinstance(again, cst.FunctionDef)
    names = free_names(first)
    assert names == ["LIMIT", "helper"]
    names.append("changed by a caller")
    assert free_names(again) == ["LIMIT", "helper"]
    changed = first.with_changes(body=cst.parse_module(
        "def view(item):\n    LIMIT = 3\n    return helper(item, LIMIT)\n").body[0].body)
    assert free_names(changed) == ["helper"]
