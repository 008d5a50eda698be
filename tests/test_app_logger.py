"""FM035: `app.logger` of the served legacy app becomes `current_app.logger`.

sqlite-web logs its views' failures with `except Exception: app.logger.exception(...)`, `app`
being the module's own Flask app. Ruff accepts that in sqlite-web's module, but flagged it in the
router, which imports `app` (BLE001: ruff resolves the imported name and no longer takes
`app.logger` for a logger). The converted view runs in the legacy app's context, where
`current_app` is that very app: the rewrite logs to the same logger, and ruff knows
`flask.current_app.logger`.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import libcst as cst
from starlette.testclient import TestClient

from codemods.app_logger import AppLogger
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.test_codemods import run_rule
from tests.test_router_loggers import Records  # keeps log_app's records, with their level

SERVED = frozenset({"app"})


def rewritten(before: str, served: frozenset[str] = SERVED):
    code, context = run_rule(AppLogger, before, served_app_names=served)
    return code, context


def test_fm035_rewrites_the_served_app_s_logger_and_keeps_comments():
    code, context = rewritten("""
        import flask
        def v(x):
            '''Docstring stays.'''
            try:
                return risky(x)
            except Exception:  # blind, but logged
                app.logger.exception("failed %s", x)   # odd  spacing kept
                app  .  logger.warning(
                    "twice",  # a comment inside the call
                )
                return {"name": app.name, "debug": app.config["DEBUG"]}, 500
    """)
    assert code == textwrap.dedent('''
        def v(x):
            \'\'\'Docstring stays.\'\'\'
            try:
                return risky(x)
            except Exception:  # blind, but logged
                current_app.logger.exception("failed %s", x)   # odd  spacing kept
                current_app  .  logger.warning(
                    "twice",  # a comment inside the call
                )
                return {"name": app.name, "debug": app.config["DEBUG"]}, 500
    ''').lstrip("\n")
    assert context.imports == {("flask", "current_app")}
    assert context.applied == {"FM035"}


def test_fm035_an_alias_of_the_app_and_flask_s_current_app_read_already():
    code, context = rewritten("""
        from flask import current_app
        def v():
            web.logger.info("in %s", current_app.name)
            return ""
    """, frozenset({"web"}))
    assert "    current_app.logger.info(\"in %s\", current_app.name)\n" in code
    assert context.imports == {("flask", "current_app")}


def _unchanged(before: str, served: frozenset[str] = SERVED) -> None:
    code, context = rewritten(before, served)
    module = cst.parse_module(textwrap.dedent(before).lstrip("\n"))
    [function] = [s for s in module.body if isinstance(s, cst.FunctionDef)]
    assert code == cst.Module(body=[function]).code
    assert not context.applied and not context.imports


def test_fm035_leaves_every_other_app_and_logger():
    # no served app known (a factory's app, a package that cannot make the app)
    _unchanged("""
        def v():
            app.logger.info("x")
            return ""
    """, frozenset())
    # another object's logger, and the app's other attributes
    _unchanged("""
        def v():
            other.logger.info("x")
            app.config["X"] = 1
            return app.name
    """)


def test_fm035_leaves_an_app_the_view_binds_itself():
    # the view's own `app`, a lambda's parameter, a comprehension's variable, a nested function
    _unchanged("""
        def v(app):
            app.logger.info("a parameter")
            return ""
    """)
    _unchanged("""
        def v():
            app = make()
            app.logger.info("a local")
            return ""
    """)
    code, _context = rewritten("""
        def v():
            log = lambda app: app.logger
            names = [app.logger.name for app in apps]
            def inner():
                return app.logger
            app.logger.info("this one is the module's")
            return log, names, inner
    """)
    assert code == textwrap.dedent("""
        def v():
            log = lambda app: app.logger
            names = [app.logger.name for app in apps]
            def inner():
                return app.logger
            current_app.logger.info("this one is the module's")
            return log, names, inner
    """).lstrip("\n")


def test_fm035_leaves_a_view_that_reads_another_current_app():
    _unchanged("""
        from .state import current_app
        def v():
            app.logger.info(current_app)
            return ""
    """)


APP = """
from flask import Flask

app = Flask(__name__)


def risky(value):
    if value == "bad":
        raise ValueError(value)
    return value


@app.get("/items/<value>")
def item(value):
    try:
        return {"value": risky(value)}
    except Exception:
        app.logger.exception("item %s failed", value)
        return {"error": value, "app": app.name}, 400


from . import more  # noqa: E402,F401
"""

MORE = """
from . import app as web

app = "not the app: a module-level name of its own"


@web.get("/more")
def more():
    try:
        raise KeyError("more")
    except Exception:
        web.logger.exception("more failed")
        return {"error": app}, 500
"""


def test_converted_views_log_to_the_same_logger_and_pass_ruff(tmp_path: Path) -> None:
    files = {"__init__.py": APP, "more.py": MORE}
    with converted_snippet(tmp_path, "log_app", files, "log_fastapi") as (
            result, out, legacy):
        assert not result.left
        assert all("FM035" in view.applied for view in result.converted)
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "from flask import current_app\n" in router
        assert '        current_app.logger.exception("item %s failed", value)\n' in router
        assert '        current_app.logger.exception("more failed")\n' in router
        assert 'return {"error": value, "app": app.name}, 400' in router
        # before FM035: BLE001 on both handlers, which pass ruff in the legacy modules
        assert new_lint_findings(out, legacy.parent, "log_app") == []

        import log_app
        from log_fastapi.main import create_app

        records = Records()
        log_app.app.logger.addHandler(records)
        try:
            flask_client = log_app.app.test_client()
            with TestClient(create_app(log_app.app), base_url="http://localhost") as client:
                for path in ("/items/good", "/items/bad", "/more"):
                    records.seen.clear()
                    old = flask_client.get(path)
                    flask_records = list(records.seen)
                    records.seen.clear()
                    new = client.get(path)
                    assert (new.status_code, new.json(), records.seen) == (
                        old.status_code, old.get_json(), flask_records), path
        finally:
            log_app.app.logger.removeHandler(records)
        assert flask_records == [("log_app", "more failed", logging.ERROR)]
