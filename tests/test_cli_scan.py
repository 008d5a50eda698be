"""`migrate scan` as a user meets it: help, formats, schema, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.scan_support import write_tree

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "migrator" / "schemas" / "scan.schema.json").read_text()
)
EXAMPLE = Path(__file__).parent.parent / "examples" / "legacy_flask_app"
runner = CliRunner()

SMALL_APP = {
    "app.py": """
        from flask import Flask, request, session
        from functools import wraps

        def login_required(f):
            @wraps(f)
            def inner(*args, **kwargs):
                return f(*args, **kwargs)
            return inner

        app = Flask(__name__)

        @app.route("/items/<int:item_id>", methods=["GET", "PUT"])
        def item(item_id):
            return {"q": request.args.get("q")}

        @app.get("/me")
        @login_required
        def me():
            return {"user": session.get("user")}

        @app.errorhandler(404)
        def not_found(error):
            return {"error": "not found"}, 404
    """
}


def test_help_lists_commands_and_options():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "scan" in result.output
    result = runner.invoke(app, ["scan", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--exclude", "--jobs", "--verbose"):
        assert option in result.output


def test_json_output_follows_the_schema(tmp_path):
    root = write_tree(tmp_path, SMALL_APP)
    result = runner.invoke(app, ["scan", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["schema_version"] == 1
    routes = {r["endpoint"]: r for r in document["routes"]}
    assert routes["item"]["rule"] == "/items/<int:item_id>"
    assert routes["item"]["methods"] == ["GET", "PUT"]
    assert routes["item"]["status"] == "auto"
    assert routes["item"]["features"] == ["request.args"]
    assert routes["me"]["status"] == "assisted"
    assert "decorator:login_required" in routes["me"]["features"]
    assert "session" in routes["me"]["features"]
    assert document["apps"][0]["error_handlers"][0]["target"] == "404"


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="example app not present")
def test_example_app_json_follows_the_schema():
    result = runner.invoke(app, ["scan", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    # nothing to warn about: `roles_required(*roles)` keeps the view's name (functools.wraps)
    assert [d for d in document["diagnostics"] if d["severity"] == "warning"] == []


def test_schema_rejects_a_malformed_document():
    """The schema is a real check: a route without its rule fails validation."""
    bad = {"schema_version": 1, "root": "/", "apps": [], "blueprints": [], "errors": [],
           "routes": [{"methods": ["GET"], "endpoint": "x", "blueprint": None, "file": "a.py",
                       "line": 1, "function": "x", "status": "auto", "reasons": [],
                       "features": []}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


def test_table_and_markdown_output(tmp_path):
    root = write_tree(tmp_path, SMALL_APP)
    result = runner.invoke(app, ["scan", str(root), "-v"])
    assert result.exit_code == 0
    assert "/items/<int:item_id>" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes when stdout is not a terminal
    result = runner.invoke(app, ["scan", str(root), "--format", "markdown"])
    assert result.exit_code == 0
    assert "| `/items/<int:item_id>` | GET, PUT | `item` | auto | app.py:12 |" in result.stdout


def test_exit_codes(tmp_path):
    root = write_tree(tmp_path, SMALL_APP)
    assert runner.invoke(app, ["scan", str(root)]).exit_code == 0
    missing = runner.invoke(app, ["scan", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"migrate: error: path not found: {tmp_path / 'nope'}"
    assert runner.invoke(app, ["scan", str(root), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["scan"]).exit_code == 2
    assert runner.invoke(app, ["scan", str(root), "--bogus"]).exit_code == 2
    write_tree(root, {"broken.py": "from flask import Flask\ndef (:\n"})
    with_error = runner.invoke(app, ["scan", str(root), "--format", "json"])
    assert with_error.exit_code == 1
    document = json.loads(with_error.stdout)
    assert [(e["file"], e["line"]) for e in document["errors"]] == [("broken.py", 2)]
    assert len(document["routes"]) == 2


def test_console_script_is_installed(tmp_path):
    root = write_tree(tmp_path, SMALL_APP)
    command = shutil.which("migrate")
    argv = [command] if command else [sys.executable, "-m", "migrator"]
    done = subprocess.run([*argv, "scan", str(root), "--format", "json"], check=False, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["routes"]) == 2
    done = subprocess.run([*argv, "scan", str(tmp_path / "missing")], check=False, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1


def test_tables_print_brackets_in_reasons_and_errors_as_written(tmp_path):
    """Reasons and errors are text: `[tool.migrate.blueprint-prefixes]` in a reason, or
    `[tool.migrate] legacy-app` in an error, were read by rich as markup and vanished from the
    table (localtileserver's hand run), leaving a hint that named no table."""
    root = write_tree(tmp_path, {
        "shop/__init__.py": """
            import os

            from flask import Blueprint, Flask

            bp = Blueprint("pages", __name__)

            @bp.get("/[x]")
            def page():
                return "page"

            def create_app(url_prefix=os.environ.get("PREFIX", "/")):
                app = Flask(__name__)
                app.register_blueprint(bp, url_prefix=url_prefix)
                return app
        """,
        "pyproject.toml": '[tool.migrate]\nlegacy-app = "shop:create_app(os.environ)"\n',
    })
    wide = {"COLUMNS": "2000"}
    scanned = runner.invoke(app, ["scan", str(root), "-v"], env=wide)
    assert "[tool.migrate.blueprint-prefixes]" in scanned.stdout, scanned.stdout
    assert "<unresolved: url_prefix>/[x]" in scanned.stdout
    assert "pyproject.toml:2: [tool.migrate] legacy-app: the argument" in scanned.stdout
    converted = runner.invoke(app, ["convert", str(root / "shop"), "--out",
                                    str(tmp_path / "out" / "shop_fastapi"), "--no-state"],
                              env=wide)
    assert converted.exit_code == 0, converted.output
    assert "[tool.migrate.blueprint-prefixes]" in converted.stdout, converted.stdout
