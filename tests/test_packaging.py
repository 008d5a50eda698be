"""`pip install .` (not only `-e`) gives a working tool: templates and schema ship in the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.scan_support import write_tree

REPO = Path(__file__).resolve().parent.parent


def test_wheel_ships_templates_and_runs_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True, timeout=600,
    )
    [wheel] = wheels.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(REPO / "templates").as_posix()
                 for p in (REPO / "templates").rglob("*") if p.is_file()}
    assert templates, "the repository has templates to ship"
    for template in templates:
        assert f"migrator/templates/{template}" in names
    assert "migrator/schemas/scan.schema.json" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)], check=True, timeout=600,
    )
    app = write_tree(tmp_path / "app", {"app.py": """
        from flask import Flask
        app = Flask(__name__)
        @app.route("/hello")
        def hello():
            return "hi"
    """})
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", "import migrator, sys; print(migrator.__file__)"],
        check=False, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert done.stdout.startswith(str(target)), "the installed copy, not the checkout, is used"
    done = subprocess.run(
        [sys.executable, "-m", "migrator", "scan", str(app), "--format", "markdown"],
        check=False, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "| `/hello` | GET | `hello` | auto | app.py:3 |" in done.stdout
