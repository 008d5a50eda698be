"""A view module's logger is made in the router, not imported from the legacy module.

Most Flask modules bind `log = logging.getLogger(__name__)` and handle a failure with `except
Exception: log.exception(...)`. Ruff accepts that blind `except` in the legacy module, where it
sees `log` made by `logging.getLogger`, but not in a router that imports `log` (BLE001: ruff
takes an imported name for a logger only when it is configured as one). The router now writes
`log = logging.getLogger("the.module")`: `logging.getLogger` returns one object per name, so the
converted view logs to the very logger the Flask view logs to.
"""

from __future__ import annotations

import logging
from pathlib import Path

import libcst as cst
from starlette.testclient import TestClient

from migrator.convert.view import module_loggers, rebound_names
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

LOGGING_APP = """
import logging
from logging import getLogger

from flask import Flask

app = Flask(__name__)
log = logging.getLogger(__name__)
audit_logger = getLogger("audit.trail")
LOGGER = logging.getLogger()
odd_logger = logging.getLogger("tab\\there \\"quoted\\"")
configured_log = logging.getLogger(app.name)  # not a literal: imported as before


def risky(value):
    if value == "bad":
        raise ValueError(value)
    return value


@app.get("/items/<value>")
def item(value):
    configured_log.debug("item %s", value)
    try:
        return {"value": risky(value)}
    except Exception:
        log.exception("item %s failed", value)
        audit_logger.warning("refused %s", value)
        LOGGER.info("root saw %s", value)
        odd_logger.info("odd")
        return {"error": value}, 400
"""


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, str, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name in ("log_app", "audit.trail", "root"):  # not httpx's, asyncio's
            self.seen.append((record.name, record.getMessage(), record.levelno))


def test_module_loggers_are_made_in_the_router(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "log_app", LOGGING_APP, "log_fastapi") as (
            result, out, legacy):
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "import logging\n\nfrom fastapi import APIRouter\n" in router
        assert "from log_app import configured_log, risky\n" in router
        assert ('audit_logger = logging.getLogger("audit.trail")\n'
                'log = logging.getLogger("log_app")\n'
                'LOGGER = logging.getLogger()\n'
                'odd_logger = logging.getLogger("tab\\there \\"quoted\\"")\n'
                'router = APIRouter(tags=["app"])\n') in router
        # the blind `except` that logs passes ruff, as it does in the legacy module
        assert not new_lint_findings(out, legacy.parent, "log_app")

        import log_app
        from log_fastapi.main import create_app
        from log_fastapi.routers import app_routes

        assert app_routes.log is log_app.log
        assert app_routes.audit_logger is log_app.audit_logger
        assert app_routes.LOGGER is logging.getLogger()
        assert app_routes.odd_logger is logging.getLogger('tab\there "quoted"')
        records = Records()
        root = logging.getLogger()
        root.addHandler(records)
        level = root.level
        root.setLevel(logging.DEBUG)
        try:
            flask_client = log_app.app.test_client()
            with TestClient(create_app(log_app.app), base_url="http://localhost") as client:
                for path in ("/items/good", "/items/bad"):
                    records.seen.clear()
                    old = flask_client.get(path)
                    flask_records = list(records.seen)
                    records.seen.clear()
                    new = client.get(path)
                    assert (new.status_code, new.json(), records.seen) == (
                        old.status_code, old.get_json(), flask_records), path
                assert flask_records == [
                    ("log_app", "item bad", logging.DEBUG),
                    ("log_app", "item bad failed", logging.ERROR),
                    ("audit.trail", "refused bad", logging.WARNING),
                    ("root", "root saw bad", logging.INFO)]
        finally:
            root.removeHandler(records)
            root.setLevel(level)


def test_a_view_named_like_a_logger_does_not_hide_it(tmp_path: Path) -> None:
    """A view of another module named `log` is written `log_` in the router, as it is beside
    an imported `log`: the logger `log = logging.getLogger(...)` above it stays readable."""
    files = {
        "__init__.py": """
import logging

from flask import Flask

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.get("/name")
def name():
    return {"logger": log.name}


from . import audit  # noqa: E402,F401
""",
        "audit.py": """
from . import app


@app.get("/log")
def log():
    return {"log": "kept"}
""",
    }
    with converted_snippet(tmp_path, "named_app", files, "named_fastapi") as (result, out, _):
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert 'log = logging.getLogger("named_app")\n' in router
        assert "def log_():\n" in router
        import named_app
        from named_fastapi.main import create_app

        with TestClient(create_app(named_app.app), base_url="http://localhost") as client:
            assert client.get("/name").json() == {"logger": "named_app"}
            assert client.get("/log").json() == {"log": "kept"}


def loggers_of(source: str, module_name: str = "pkg.views") -> dict[str, str | None]:
    module = cst.parse_module(source)
    aliases = {"logging": "logging", "getLogger": "logging.getLogger", "lg": "logging",
               "other": "other"}
    return module_loggers(module, module_name, aliases, rebound_names(module))


def test_only_loggers_whose_name_is_known_without_running_the_module() -> None:
    assert loggers_of(
        "log = logging.getLogger(__name__)\n"
        "named = getLogger(name='fixed')\n"
        "aliased = lg.getLogger('x.y')\n"
        "root = logging.getLogger()\n") == {
            "log": "pkg.views", "named": "fixed", "aliased": "x.y", "root": None}
    # a name made at run time, another getLogger, or a name bound twice stay imported
    assert loggers_of(
        "a = logging.getLogger(NAME)\n"
        "b = other.getLogger(__name__)\n"
        "c = logging.getLogger(f'{__name__}.c')\n"
        "d = logging.getLogger(b'bytes')\n"
        "e = logging.getLogger(*names)\n"
        "f = logging.getLogger(__name__)\n"
        "f = logging.getLogger('again')\n"
        "if DEBUG:\n    g = logging.getLogger(__name__)\n"
        "h = i = logging.getLogger(__name__)\n") == {}
    # a module that binds `__name__` itself: its value is not the module's name
    assert loggers_of("__name__ = 'odd'\nlog = logging.getLogger(__name__)\n") == {}
