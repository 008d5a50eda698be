"""`migrate convert` as a user meets it: --diff, --check, re-runs, the hand-edit guard,
refused output folders, incremental conversion, `migrate rules`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codemods.app_logger import AppLogger
from migrator.cli import app
from migrator.convert.output import read_manifest_metadata
from tests.example_support import write_files

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "legacy_flask_app"
runner = CliRunner()


def convert(*args: str):
    return runner.invoke(app, ["convert", *args])


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_diff_and_check_write_nothing_then_convert_is_idempotent(tmp_path):
    out = tmp_path / "migrated"
    diff = convert(str(EXAMPLE), "--out", str(out), "--diff")
    assert diff.exit_code == 0, diff.output
    assert "+++ b/routers/users.py" in diff.stdout
    assert "\x1b[" not in diff.stdout  # no colour off a terminal
    assert not out.exists()
    check = convert(str(EXAMPLE), "--out", str(out), "--check")
    assert check.exit_code == 1
    assert "would create: main.py" in check.stderr
    assert "create: main.py" not in check.stdout  # (the table said it, as if written)
    assert not out.exists()

    first = convert(str(EXAMPLE), "--out", str(out))
    assert first.exit_code == 0, first.output
    snapshot = tree_bytes(out)
    assert convert(str(EXAMPLE), "--out", str(out)).exit_code == 0
    assert tree_bytes(out) == snapshot  # byte-for-byte idempotent
    assert convert(str(EXAMPLE), "--out", str(out), "--check").exit_code == 0
    assert convert(str(EXAMPLE), "--out", str(out), "--diff").stdout == ""


def test_fastapi_pages_can_be_turned_off_and_check_says_what_changes(tmp_path):
    out = tmp_path / "migrated"
    first = convert(str(EXAMPLE), "--out", str(out), "--no-fastapi-pages", "--no-state")
    assert first.exit_code == 0, first.output
    main = (out / "main.py").read_text()
    assert "openapi_url=None,\n        docs_url=None,\n        redoc_url=None," in main
    assert '"fastapi_pages": false' in (out / ".migrate-manifest.json").read_text()
    assert convert(str(EXAMPLE), "--out", str(out), "--no-fastapi-pages", "--check",
                   "--no-state").exit_code == 0
    # the pages back on is a change to main.py, which --check reports
    check = convert(str(EXAMPLE), "--out", str(out), "--check", "--no-state")
    assert check.exit_code == 1
    assert "would update: main.py" in check.stderr


def test_hand_edited_file_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "migrated"
    assert convert(str(EXAMPLE), "--out", str(out), "--blueprint", "users").exit_code == 0
    router = out / "routers" / "users.py"
    edited = router.read_text() + "\n# a person's note\n"
    router.write_text(edited)
    again = convert(str(EXAMPLE), "--out", str(out), "--blueprint", "auth")
    assert again.exit_code == 2
    assert "routers/users.py" in again.stderr
    assert router.read_text() == edited
    assert not (out / "routers" / "auth.py").exists()  # nothing was written
    forced = convert(str(EXAMPLE), "--out", str(out), "--blueprint", "auth", "--force")
    assert forced.exit_code == 0, forced.output
    assert "# a person's note" not in router.read_text()
    assert (out / "routers" / "auth.py").exists()


def test_converting_blueprints_one_at_a_time_equals_all_at_once(tmp_path):
    # same folder name: it is the package name written into main.py
    together = tmp_path / "a" / "migrated"
    apart = tmp_path / "b" / "migrated"
    assert convert(str(EXAMPLE), "--out", str(together), "-b", "users", "-b", "auth").exit_code == 0
    assert convert(str(EXAMPLE), "--out", str(apart), "-b", "users").exit_code == 0
    assert convert(str(EXAMPLE), "--out", str(apart), "-b", "auth").exit_code == 0
    assert tree_bytes(together) == tree_bytes(apart)


def test_route_globs_select_routes(tmp_path):
    out = tmp_path / "migrated"
    result = convert(str(EXAMPLE), "--out", str(out), "--route", "/api/v1/categor*",
                     "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sorted(r["endpoint"] for r in document["routes"]) == [
        "api.get_category", "api.list_categories"]
    assert {r["result"] for r in document["routes"]} == {"converted"}


def test_refused_output_folders(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    inside = convert(str(source), "--out", str(source / "generated"))
    assert inside.exit_code == 2
    assert inside.stderr.startswith("migrate: error:") and inside.stderr.count("\n") == 1
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    refused = convert(str(source), "--out", str(foreign))
    assert refused.exit_code == 2
    assert (foreign / "notes.txt").read_text() == "mine"
    assert convert(str(tmp_path / "missing"), "--out", str(tmp_path / "o")).exit_code == 2
    assert convert(str(source), "--out", str(tmp_path / "o"), "-b", "nope").exit_code == 2
    assert convert(str(source), "--out", str(tmp_path / "o"), "--only", "FM999").exit_code == 2


def test_rules_lists_every_rule():
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    for rule_id in ("FM001", "FM002", "FM003", "FM004", "FM005", "FM006", "FM007"):
        assert rule_id in result.stdout
    assert runner.invoke(app, ["convert", "--help"]).exit_code == 0
    # the same list for machines, in the same order
    listed = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert [rule["id"] for rule in listed] == [
        line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert len({rule["id"] for rule in listed}) == len(listed)
    assert {"id": "FM035", "module": "codemods.app_logger",
            "summary": AppLogger.SUMMARY} in listed


def test_report_counts_routes_not_endpoints(tmp_path):
    """A MethodView route becomes one endpoint per method, and is still one route."""
    result = convert(str(EXAMPLE), "--out", str(tmp_path / "migrated"), "--format", "json")
    routes = json.loads(result.stdout)["routes"]
    assert len(routes) == 51
    [item_api] = [r for r in routes if r["endpoint"] == "api.item_api"]
    assert item_api["methods"] == ["DELETE", "GET", "PATCH", "PUT"]
    assert item_api["result"] == "converted"


@pytest.mark.parametrize("layout", [
    {"shopsite/__init__.py": "", "shopsite/web/__init__.py": "from flask import Flask\napp = Flask(__name__)\n\n"
                             "@app.get('/x')\ndef x():\n    return {'x': 1}\n"},
    {"shopsite/__init__.py": "", "shopsite/web.py": "from flask import Flask\napp = Flask(__name__)\n\n"
                                            "@app.get('/x')\ndef x():\n    return {'x': 1}\n"},
    {"web.py": "from flask import Flask\napp = Flask(__name__)\n\n"
               "@app.get('/x')\ndef x():\n    return {'x': 1}\n"},
], ids=["package in a package", "module in a package", "top-level module"])
def test_the_serve_command_s_pythonpath_imports_the_generated_app(tmp_path, layout):
    """The `PYTHONPATH=... uvicorn pkg.main:app` line convert prints must work as printed, for an
    app in a nested package too (calibreweb's `calibreweb.cps`: the path named the package's
    parent folder, one level too deep, and `import calibreweb` failed)."""
    source = tmp_path / "src"
    for name, text in layout.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    out = tmp_path / "gen" / "migrated"
    result = runner.invoke(app, ["convert", str(source), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    serve = json.loads(result.stdout)["serve"]
    assert serve.startswith("PYTHONPATH=") and serve.endswith(" uvicorn migrated.main:app")
    paths = serve.split(" ")[0].removeprefix("PYTHONPATH=").split(":")
    done = subprocess.run(
        [sys.executable, "-c", "from migrated.main import app; print(len(app.routes))"],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)}, capture_output=True,
        text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]



def test_the_serve_command_leaves_an_installed_package_s_folder_to_its_environment(tmp_path):
    """proxpi 1.3.1, converted from its install: the command put the virtualenv's
    `site-packages` on PYTHONPATH, where another interpreter would read packages built for
    this one. The environment that installed the package imports it as it is."""
    site_packages = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    (site_packages / "shopsite").mkdir(parents=True)
    (site_packages / "shopsite" / "__init__.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n\n"
        "@app.get('/x')\ndef x():\n    return {'x': 1}\n", encoding="utf-8")
    out = tmp_path / "gen" / "migrated"
    result = runner.invoke(app, ["convert", str(site_packages / "shopsite"), "--out", str(out),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    serve = json.loads(result.stdout)["serve"]
    paths = serve.split(" ")[0].removeprefix("PYTHONPATH=").split(":")
    assert [Path(path).resolve() for path in paths] == [out.parent.resolve()]
    program = (f"import site; site.addsitedir({str(site_packages)!r}); "
               "from migrated.main import app; print(len(app.routes))")
    done = subprocess.run(  # in the environment whose site-packages it is
        [sys.executable, "-c", program],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]

# Two apps in one project: the public site and an admin app, each with its own routes; and a
# test's dummy app with more routes than either (pgadmin4 9.18's only app whose routes the scan
# can see is such a dummy, in pgadmin/authenticate/mfa/tests/utils.py: `migrate convert` used
# to convert it).
TWO_APPS = {
    "site/__init__.py": "",
    "site/public.py": '''
from flask import Flask

app = Flask(__name__)


@app.get("/")
def home():
    return {"page": "home"}


@app.get("/about")
def about():
    return {"page": "about"}
''',
    "site/admin.py": '''
from flask import Flask

admin = Flask(__name__)


@admin.get("/stats")
def stats():
    return {"users": 3}
''',
    "site/tests/__init__.py": "",
    "site/tests/utils.py": '''
from flask import Flask


def dummy_app():
    app = Flask(__name__)

    @app.get("/a")
    def a():
        return {}

    @app.get("/b")
    def b():
        return {}

    @app.get("/c")
    def c():
        return {}

    return app
''',
}


def converted_rules(out: Path) -> set[str]:
    return set(read_manifest_metadata(out)["endpoints"])


def test_app_option_chooses_the_app_and_later_runs_keep_it(tmp_path):
    project = tmp_path / "project"
    write_files(project, TWO_APPS)
    out = tmp_path / "migrated"
    # by default: the app serving the most routes outside test files
    first = convert(str(project), "--out", str(out), "--format", "json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["legacy_app"] == "site.public:app"
    assert converted_rules(out) == {"home", "about"}
    # ... said with the others (rucio's main app, whose blueprints the scan cannot follow, had
    # fewer routes than the documentation app of one of its modules, converted without a word)
    assert json.loads(first.stdout)["other_apps"] == [{"app": "site.admin:admin", "routes": 1}]
    shown = convert(str(project), "--out", str(tmp_path / "shown"))
    assert ("note: converted the app site.public:app, the one with the most routes the scan can "
            "see; the other apps it found: site.admin:admin (1 route). If production serves "
            "another, convert it with --app.") in " ".join(shown.stdout.split())
    # --app names another: by its key, or module:name
    other = tmp_path / "admin_migrated"
    for name in ("site.admin:admin", "site.admin"):
        chosen = convert(str(project), "--out", str(other), "--app", name, "--format", "json")
        assert chosen.exit_code == 0, chosen.output
        assert json.loads(chosen.stdout)["legacy_app"] == "site.admin:admin"
        assert json.loads(chosen.stdout)["other_apps"] == []  # chosen by name: nothing to say
        assert converted_rules(other) == {"stats"}
    # a later run without --app extends the package it made, not the default app's
    snapshot = tree_bytes(other)
    assert convert(str(project), "--out", str(other), "--check").exit_code == 0
    assert convert(str(project), "--out", str(other)).exit_code == 0
    assert tree_bytes(other) == snapshot
    # a test's app is converted only when asked for
    dummy = convert(str(project), "--out", str(tmp_path / "dummy"), "--app",
                    "site.tests.utils:dummy_app", "--format", "json")
    assert dummy.exit_code == 0, dummy.output
    assert json.loads(dummy.stdout)["legacy_app"] == "site.tests.utils:dummy_app.app"


def test_app_option_errors(tmp_path):
    project = tmp_path / "project"
    write_files(project, TWO_APPS)
    wrong = convert(str(project), "--out", str(tmp_path / "x"), "--app", "site.nowhere:app")
    assert wrong.exit_code == 2
    assert "--app site.nowhere:app names no app the scan found; the apps with routes: " \
           "site.tests.utils:dummy_app.app (3 routes), site.public:app (2 routes), " \
           "site.admin:admin (1 routes)" in wrong.stderr
    assert not (tmp_path / "x").exists()
    # only a test file's app has routes the scan can see: nothing is converted by default
    (project / "site" / "public.py").unlink()
    (project / "site" / "admin.py").write_text("from flask import Flask\n\nadmin = Flask(__name__)\n")
    only_test = convert(str(project), "--out", str(tmp_path / "y"))
    assert only_test.exit_code == 2
    assert "the only apps with routes the scan can see are made in test files " \
           "(site/tests/utils.py); pass --app to convert one of them" in only_test.stderr
    assert not (tmp_path / "y").exists()
    # the app a package was generated from is gone: say so rather than switch apps
    write_files(project, {"site/public.py": TWO_APPS["site/public.py"]})
    out = tmp_path / "z"
    assert convert(str(project), "--out", str(out)).exit_code == 0
    (project / "site" / "public.py").unlink()
    write_files(project, {"site/admin.py": TWO_APPS["site/admin.py"]})
    gone = convert(str(project), "--out", str(out))
    assert gone.exit_code == 2
    assert "the package was generated from the app site.public:app, which has no routes in " \
           "this scan; pass --app to choose one" in gone.stderr


def test_what_the_scan_says_about_loading_the_app_is_shown_by_convert(tmp_path):
    """sematic's hand run: a `legacy-app` statement the scan could not use was said only by
    `migrate scan`; convert ignored it without a word, and served the app otherwise made."""
    project = tmp_path / "shop"
    write_files(project, {
        "__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
                       "@app.get('/a')\ndef a():\n    return {}\n",
        "pyproject.toml": '[tool.migrate]\nlegacy-app = "shop:nothere()"\n'})
    shown = convert(str(project), "--out", str(tmp_path / "out"))
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.stdout.split())
    assert ("note: pyproject.toml:2: [scan.stated_app_unused] [tool.migrate] legacy-app states "
            "`shop:nothere()`, but the scan found no app made or returned by a function "
            "`nothere` of `shop`: it is not used") in text
    data = json.loads(convert(str(project), "--out", str(tmp_path / "out"), "--format",
                              "json").stdout)
    assert [note.split(": [", 1)[1].split("]")[0] for note in data["legacy_app_notes"]] == [
        "scan.stated_app_unused"]
