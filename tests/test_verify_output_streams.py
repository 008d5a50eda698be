"""`migrate verify`'s stdout is its report only: what the apps it runs print goes to stderr.

anitya's `config.py` logs "Loading Anitya configuration" to stdout when it is imported, so the
stdout of `migrate verify --format json` began with that line and did not parse (its hand run).
Verify imports and runs legacy code; whatever that code writes to stdout (`print`, a logging
handler on `sys.stdout`, a write to file descriptor 1) now goes to stderr while it runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.example_support import converted_snippet

LEGACY = '''
import logging
import os
import sys

from flask import Flask

print("loading the shop")
logging.basicConfig(stream=sys.stdout, level=logging.INFO)
logging.getLogger("shop").info("configured from stdout")

app = Flask(__name__)


@app.get("/price")
def price():
    print("pricing")
    os.write(1, b"a write to file descriptor 1\\n")
    return {"price": 3}
'''


def test_the_json_report_parses_whatever_the_apps_print(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "noisy_shop", LEGACY, "noisy_fastapi") as (
            result, _out, _legacy):
        assert [view.route.endpoint for view in result.converted] == ["price"]
    paths = os.pathsep.join([str(tmp_path / "legacy"), str(tmp_path / "generated")])
    done = subprocess.run(
        [sys.executable, "-m", "migrator", "verify", "--legacy", "noisy_shop:app",
         "--new", "noisy_fastapi.main:app", "--format", "json",
         "--state", str(tmp_path / "none.toml")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False,
        env={**os.environ, "PYTHONPATH": paths})
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)  # before: "loading the shop" came first
    assert [(r["endpoint"], r["ok"]) for r in report["routes"]] == [("price", True)]
    for printed in ("loading the shop", "configured from stdout", "pricing",
                    "a write to file descriptor 1"):
        assert printed in done.stderr and printed not in done.stdout, printed

    # the table goes to stdout too, after what the apps printed went to stderr
    table = subprocess.run(
        [sys.executable, "-m", "migrator", "verify", "--legacy", "noisy_shop:app",
         "--new", "noisy_fastapi.main:app", "--state", str(tmp_path / "none.toml")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False,
        env={**os.environ, "PYTHONPATH": paths})
    assert table.returncode == 0, table.stderr[-3000:]
    assert "pricing" not in table.stdout and "pricing" in table.stderr
    assert "price" in table.stdout
