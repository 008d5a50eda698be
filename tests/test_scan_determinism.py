"""The scan's JSON does not depend on the hash seed.

The names a function calls are a set. Where the scan asks of them, one after another, whether
any makes a streamed response, and stops at the first that does, the ones it resolved first
depended on the set's order, that is on the hash seed: a module the pre-filter skipped (it names
nothing of Flask's) was parsed under some seeds and not under others, and the scan's
`files_parsed` changed from one run to the next on the same code (udata 17.18: 342, 343 or 344).
They are now asked in name order. Seeds 0 and 3 gave 2 and 3 files parsed before.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.scan_support import write_tree

SHOP = {
    "shop/__init__.py": """
from flask import Flask

from shop import plain, streams

app = Flask(__name__)


@app.get("/export")
def export():
    plain.count_rows()
    return streams.csv_response(["a", "b"])
""",
    "shop/streams.py": """
from flask import Response


def csv_response(rows):
    def generate():
        yield from rows
    return Response(generate(), mimetype="text/csv")
""",
    # no Flask name: the pre-filter skips it, and it is parsed only if something resolves it
    "shop/plain.py": """
def count_rows():
    return 2
""",
}


def test_the_scan_json_is_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    root = write_tree(tmp_path, SHOP)
    outputs = set()
    for seed in ("0", "3"):
        done = subprocess.run(
            [sys.executable, "-m", "migrator", "scan", str(root / "shop"), "--format", "json"],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert '"features": [\n        "stream"' in outputs.pop()
