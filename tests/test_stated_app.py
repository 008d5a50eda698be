"""How the legacy app is made, stated in `[tool.migrate] legacy-app` (Flask's `--app` syntax).

A factory whose parameters have no default (`create_app(config_name)`, rq-dashboard's
`make_flask_app(config, username, password, url_prefix)`) cannot be called bare, and when no
module binds an app made with it, the generated package could not make the legacy app itself:
`uvicorn package.main:app` failed, and a person had to edit `main.load_legacy_app`, which the next
`migrate convert` then refuses to overwrite without --force. A factory with defaults was called
bare, which may not be the app production serves (`config_name="development"`). The nearest
`pyproject.toml` can state the call, as Flask's own `--app` option takes it; the generated package
makes the app with it.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

LEGACY = '''
from flask import Blueprint, Flask, current_app

shop = Blueprint("shop", __name__)


@shop.get("/config")
def config():
    return {"config": current_app.config["CONFIG_NAME"], "debug": current_app.config["DEBUG"]}


def create_app(config_name, debug=False):
    app = Flask(__name__)
    app.config.update(CONFIG_NAME=config_name, DEBUG=debug)
    app.register_blueprint(shop)
    return app
'''

STATED = '''
[project]
name = "shop"

[tool.migrate]
legacy-app = "shop_app:create_app('production', debug=True)"
'''


def _write(root: Path, pyproject: str | None, extra: dict[str, str] | None = None) -> Path:
    package = root / "shop_app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(LEGACY), encoding="utf-8")
    for name, source in (extra or {}).items():
        (package / name).write_text(textwrap.dedent(source), encoding="utf-8")
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return package


def test_without_a_statement_the_package_cannot_make_the_app(tmp_path: Path) -> None:
    (tmp_path / "legacy").mkdir()
    with converted_snippet(tmp_path, "shop_app", LEGACY, "shop_fastapi") as (result, _, _):
        assert result.to_json()["legacy_app_unloadable"] == (
            "`create_app` in `shop_app` (__init__.py:13) takes arguments without a default "
            "(config_name), and no module binds an app made with it unconditionally, once, at "
            "its top level (state the call that makes "
            "the production app in pyproject.toml: `[tool.migrate]` `legacy-app = "
            "\"shop_app:create_app(...)\"`, literal arguments)")
        from shop_fastapi import main

        with pytest.raises(RuntimeError, match="cannot be made here"):
            main.load_legacy_app()


def test_the_stated_call_makes_the_app(tmp_path: Path) -> None:
    scan = scan_path(_write(tmp_path / "scanned", STATED))
    [app] = scan.apps
    assert app.stated_app == "shop_app:create_app('production', debug=True)"
    assert [(d.code, d.file, d.line, d.severity) for d in scan.diagnostics] == [
        ("scan.stated_app", "__init__.py", 13, "info")]
    assert scan.to_json()["apps"][0]["stated_app"] == app.stated_app

    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "pyproject.toml").write_text(STATED, encoding="utf-8")
    with converted_snippet(tmp_path, "shop_app", LEGACY, "shop_fastapi") as (
            result, out, legacy):
        assert result.to_json()["legacy_app_unloadable"] is None
        main_source = (out / "main.py").read_text(encoding="utf-8")
        assert ("    from shop_app import create_app\n\n"
                "    return create_app('production', debug=True)\n") in main_source
        assert not new_lint_findings(out, legacy.parent, "shop_app")

        import shop_app
        from shop_fastapi.main import app  # what `uvicorn shop_fastapi.main:app` serves

        flask_client = shop_app.create_app("production", debug=True).test_client()
        with TestClient(app) as client:
            new, old = client.get("/config"), flask_client.get("/config")
            assert new.json() == old.get_json() == {"config": "production", "debug": True}
            assert new.content == old.data


@pytest.mark.parametrize(("statement", "message"), [
    ("legacy-app = 3", "[tool.migrate] legacy-app: must be a string, not 3"),
    ('legacy-app = "shop_app"', "'shop_app' names no module and factory call"),
    ('legacy-app = "shop_app:app.x"', "'app.x' is not a call of a function of `shop_app`"),
    ('legacy-app = "shop_app:create_app(os.environ[\'CONFIG\'])"',
     "the argument os.environ['CONFIG'] of \"create_app(os.environ['CONFIG'])\" is not a literal"),
    ('legacy-app = "shop_app:create_app(*ARGS)"', "'create_app(*ARGS)' unpacks arguments"),
    ('legacy-app = "shop_app:create_app("', "'create_app(' is not a Python call"),
])
def test_a_bad_statement_is_an_error_with_its_line_and_the_scan_goes_on(
        tmp_path: Path, statement: str, message: str) -> None:
    pyproject = f"[project]\nname = 'shop'\n\n[tool.migrate]\n{statement}\n"
    result = scan_path(_write(tmp_path, pyproject))
    assert [(e.file, e.line) for e in result.errors] == [(str(tmp_path / "pyproject.toml"), 5)]
    assert message in result.errors[0].message
    assert result.errors[0].message.endswith("; it is ignored")
    assert [route.rule for route in result.routes] == ["/config"]
    assert [app.stated_app for app in result.apps] == [None]


def test_a_call_of_no_factory_of_an_app_is_not_used(tmp_path: Path) -> None:
    pyproject = "[tool.migrate]\nlegacy-app = \"shop_app:make_app('x')\"\n"
    result = scan_path(_write(tmp_path, pyproject))
    assert [app.stated_app for app in result.apps] == [None]
    [warning] = result.diagnostics
    assert (warning.code, warning.file, warning.line) == (
        "scan.stated_app_unused", str(tmp_path / "pyproject.toml"), 2)
    assert "no app made or returned by a function `make_app` of `shop_app`" in warning.message


def test_a_call_that_would_lose_routes_is_not_used(tmp_path: Path) -> None:
    """wsgi.py registers a blueprint on the app it made: the factory's call alone lacks it."""
    wsgi = '''
    from flask import Blueprint

    from shop_app import create_app

    extra = Blueprint("extra", __name__)


    @extra.get("/extra")
    def extra_view():
        return {"extra": True}


    app = create_app("production")
    app.register_blueprint(extra)
    '''
    result = scan_path(_write(tmp_path, STATED, {"wsgi.py": wsgi}))
    assert sorted(route.rule for route in result.routes) == ["/config", "/extra"]
    assert [app.stated_app for app in result.apps] == [None]
    [warning] = [d for d in result.diagnostics if d.code.startswith("scan.stated")]
    assert (warning.code, warning.line) == ("scan.stated_app_ignored", 6)
    assert "makes an app without blueprints registered by module-level code" in warning.message


def test_verify_takes_the_same_call_for_the_legacy_app(tmp_path: Path) -> None:
    """`migrate verify --legacy` takes a factory call as Flask's `--app` does (and as
    `legacy-app` states it); a call that is not one is a usage error, one line, exit 2. Without
    `--legacy`, verify makes the legacy app as the generated package does."""
    from typer.testing import CliRunner

    from migrator.cli import app as cli_app

    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "pyproject.toml").write_text(STATED, encoding="utf-8")
    with converted_snippet(tmp_path, "shop_app", LEGACY, "shop_fastapi"):
        runner = CliRunner()
        done = runner.invoke(cli_app, [
            "verify", "--legacy", "shop_app:create_app('production', debug=True)",
            "--new", "shop_fastapi.main:app", "--format", "json",
            "--state", str(tmp_path / "none.toml")])
        assert done.exit_code == 0, done.output
        report = json.loads(done.stdout)
        assert [(r["endpoint"], r["ok"]) for r in report["routes"]] == [("shop.config", True)]

        # without --legacy: one more app made as the package makes its own, with the same call
        done = runner.invoke(cli_app, [
            "verify", "--new", "shop_fastapi.main:app", "--format", "json",
            "--state", str(tmp_path / "none.toml")])
        assert done.exit_code == 0, done.output
        assert json.loads(done.stdout)["routes"][0]["ok"] is True

        for legacy, message in (
                ("shop_app:create_app(os.environ)", "the argument os.environ of "),
                ("shop_app:create_app()", "the factory failed: TypeError"),
                ("shop_app:create_app('production'", "is not a Python call")):
            done = runner.invoke(cli_app, ["verify", "--legacy", legacy,
                                           "--new", "shop_fastapi.main:app"])
            assert done.exit_code == 2
            assert f"--legacy {legacy}: " in done.stderr and message in done.stderr
            assert done.stderr.count("\n") == 1
        # what names no app nor factory, and a factory that makes something else
        for legacy, message in (
                ("json:__doc__", "--legacy json:__doc__ is neither a Flask app nor a factory"),
                ("shop_app:Blueprint('x', 'y')",
                 "--legacy shop_app:Blueprint('x', 'y') did not return a Flask app")):
            done = runner.invoke(cli_app, ["verify", "--legacy", legacy,
                                           "--new", "shop_fastapi.main:app"])
            assert done.exit_code == 2 and message in done.stderr, done.stderr


def test_verify_without_legacy_needs_a_package_that_makes_the_app(tmp_path: Path) -> None:
    """No statement: the package cannot make the app (`create_app(config_name)`), so verify
    without --legacy is a usage error that says to give it."""
    from typer.testing import CliRunner

    from migrator.cli import app as cli_app

    (tmp_path / "legacy").mkdir()
    with converted_snippet(tmp_path, "shop_app", LEGACY, "shop_fastapi"):
        done = CliRunner().invoke(cli_app, ["verify", "--new", "shop_fastapi.main:app"])
        assert done.exit_code == 2
        assert done.stderr.startswith("migrate: error: --new shop_fastapi.main:app: its "
                                      "load_legacy_app() failed (give the Flask app with "
                                      "--legacy): RuntimeError: the legacy Flask app cannot be "
                                      "made here")
        assert done.stderr.count("\n") == 1


# -- the app a module made with the factory, named ----------------------------------------------
# terracotta serves `terracotta.server.app:app = create_app(debug=settings.DEBUG, profile=...)`;
# its factory's parameters all have defaults, so the package called `create_app()` bare: with
# TC_DEBUG set, production re-raises what the package answered 404 (its hand run). Arguments that
# are not literals cannot be stated as a call; the app itself can be named, as Flask's --app does.
DEFAULTS = """
import os

from flask import Flask


def create_app(debug=False):
    app = Flask(__name__)
    app.config["MODE"] = "debug" if debug else "quiet"

    @app.get("/mode")
    def mode():
        return {"mode": app.config["MODE"]}

    return app
"""
SERVER = """
import os

from mode_app import create_app

app = create_app(debug=os.environ.get("MODE_DEBUG", "1") == "1")
"""


def test_an_instance_made_with_arguments_is_named_in_a_warning(tmp_path: Path) -> None:
    package = tmp_path / "mode_app"
    package.mkdir()
    (package / "__init__.py").write_text(DEFAULTS, encoding="utf-8")
    (package / "server.py").write_text(SERVER, encoding="utf-8")
    result = scan_path(tmp_path)
    [app] = result.apps
    assert (app.factory, app.factory_requires, app.instances) == (
        "create_app", [], ["mode_app.server:app"])
    [warning] = [d for d in result.diagnostics if d.code == "scan.instance_with_arguments"]
    assert (warning.file, warning.line, warning.severity) == ("mode_app/server.py", 6, "warning")
    assert warning.message == (
        "`mode_app.server:app` is made with `create_app(debug=os.environ.get(\"MODE_DEBUG\", \"1\") "
        "== \"1\")`, where the generated package calls `create_app()` with no arguments: if "
        "production serves that app, state it in pyproject.toml (`[tool.migrate]` `legacy-app "
        "= \"mode_app.server:app\"`)")


def test_the_stated_instance_is_the_app_the_package_serves(tmp_path: Path) -> None:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "pyproject.toml").write_text(
        '[tool.migrate]\nlegacy-app = "mode_app.server:app"\n', encoding="utf-8")
    with converted_snippet(tmp_path, "mode_app", {"__init__.py": DEFAULTS, "server.py": SERVER},
                           "mode_fastapi") as (result, out, legacy):
        [app] = result.scan.apps
        assert app.stated_app == "mode_app.server:app"
        codes = {d.code for d in result.scan.diagnostics}
        assert "scan.stated_app" in codes and "scan.instance_with_arguments" not in codes
        main = (out / "main.py").read_text(encoding="utf-8")
        assert "    from mode_app.server import app\n\n    return app\n" in main
        assert not new_lint_findings(out, legacy.parent, "mode_app")
        from mode_app.server import app as production
        from mode_fastapi.main import app as package_app

        with TestClient(package_app) as client:
            new = client.get("/mode")
        # before: {"mode": "quiet"}, from create_app() called bare
        assert new.json() == production.test_client().get("/mode").get_json() == {
            "mode": "debug"}


def test_a_stated_name_that_is_no_instance_is_not_used(tmp_path: Path) -> None:
    package = tmp_path / "mode_app"
    package.mkdir()
    (package / "__init__.py").write_text(DEFAULTS, encoding="utf-8")
    (package / "server.py").write_text(SERVER, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.migrate]\nlegacy-app = "mode_app:app"\n',
                                             encoding="utf-8")
    result = scan_path(tmp_path)
    assert [app.stated_app for app in result.apps] == [None]
    [unused] = [d for d in result.diagnostics if d.code == "scan.stated_app_unused"]
    assert (unused.file, unused.line) == ("pyproject.toml", 2)
    assert "found no module-level name `app` of `mode_app` bound to an app made with a " \
           "factory" in unused.message
