"""The generated app's start-up warnings survive a legacy app that configures logging.

graphite-api calls `logging.config.dictConfig` when it is imported, whose default
`disable_existing_loggers=True` disables every logger made before. `main.py` imports
`flask_compat` before `create_app` loads the legacy app, so a logger `flask_compat` made at
import was disabled, and "converted routes would not run ... the legacy app answers every
request" never reached the operator. The logger is looked up when a warning is logged.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.example_support import converted_snippet

LEGACY = '''
import logging.config

from flask import Flask

logging.config.dictConfig({"version": 1})

app = Flask(__name__)


class Stamp:
    """Adds a header to every answer: converted routes would skip it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def stamped(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Stamp", "1")], exc_info)
        return self.wsgi_app(environ, stamped)


@app.route("/ping")
def ping():
    return {"ok": True}


if app.config.get("STAMP", True):
    app.wsgi_app = Stamp(app.wsgi_app)
'''


def test_a_legacy_dict_config_does_not_silence_the_start_up_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with converted_snippet(tmp_path, "configures_logging", LEGACY, "configures_fastapi") as (
            result, _, _):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        from configures_fastapi.main import create_app  # imports flask_compat first

        with caplog.at_level(logging.WARNING):
            app = create_app()  # imports the legacy app, which configures logging
        assert app.state.legacy_only_because == "configures_logging.Stamp"
        assert logging.getLogger("flask_compat").disabled is False
        assert [record.getMessage() for record in caplog.records
                if record.name == "flask_compat"] == [
            ("converted routes would not run configures_logging.Stamp of the legacy app: the "
             "legacy app answers every request (a wrapper `migrate scan` did not see, or saw "
             "set only where a condition holds)")]
