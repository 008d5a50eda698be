"""scan.thread_bound_connection: a sqlite3 connection kept for the whole process.

maildump (PyPI) opens `_conn = sqlite3.connect(...)` once, through `global _conn`, and uses it in
every view. Under gunicorn's sync workers every request runs on the thread that opened it; the
generated app runs the legacy views in a thread pool, where sqlite3 refuses it (a 500). The scan
cannot tell which views reach the connection through which helpers, so it warns, with the line.
"""

from __future__ import annotations

import importlib

from fastapi.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import EXAMPLE, converted_snippet
from tests.scan_support import write_tree

SHARED = {
    "__init__.py": """
        from flask import Flask

        from . import db

        app = Flask(__name__)
        db.connect(":memory:")


        @app.get("/count")
        def count():
            return {"count": db.count()}
    """,
    "db.py": """
        import sqlite3
        from sqlite3 import connect as sqlite_connect

        _conn = None
        SHARED = sqlite3.connect(":memory:")  # module level: warned
        FINE = sqlite_connect(":memory:", check_same_thread=False)  # the project chose


        class Store:
            conn = sqlite3.connect(":memory:")  # a class attribute: process-wide too


        def connect(path):
            global _conn
            _conn = sqlite3.connect(path)  # through `global`: warned


        def count():
            return _conn.execute("SELECT 1").fetchone()[0]


        def per_call(path):
            local = sqlite3.connect(path)  # a local: not warned
            return local
    """,
}


def thread_warnings(result) -> list[tuple[str, int | None, str]]:
    return [(d.file, d.line, d.message.split(" keeps ")[0]) for d in result.diagnostics
            if d.code == "scan.thread_bound_connection"]


def test_a_process_wide_sqlite_connection_is_warned_about_with_its_line(tmp_path):
    result = scan_path(write_tree(tmp_path / "mailapp", SHARED))
    assert thread_warnings(result) == [
        ("db.py", 5, "`SHARED = sqlite3.connect(...)` at module level"),
        ("db.py", 10, "`conn = sqlite3.connect(...)` in class Store"),
        ("db.py", 15, "`_conn = sqlite3.connect(...)` in connect()"),
    ]


def test_the_warning_is_about_what_the_generated_app_does(tmp_path):
    """The route converts (the scan cannot see the connection from the view), and Flask answers
    where the generated app, running the view in another thread, answers 500."""
    with converted_snippet(tmp_path, "mailapp", SHARED, "mailapp_fastapi") as (result, _, _):
        assert [v.route.rule for v in result.converted] == ["/count"]
        legacy = importlib.import_module("mailapp")
        assert legacy.app.test_client().get("/count").json == {"count": 1}
        main = importlib.import_module("mailapp_fastapi.main")
        client = TestClient(main.create_app(legacy.app), raise_server_exceptions=False)
        assert client.get("/count").status_code == 500


def test_no_warning_for_a_connection_per_request_or_without_a_flask_app(tmp_path):
    assert thread_warnings(scan_path(EXAMPLE)) == []  # get_db() keeps it on `g`
    not_flask = write_tree(tmp_path / "tool", {"store.py": "import sqlite3\nDB = sqlite3.connect('x')\n"})
    assert thread_warnings(scan_path(not_flask)) == []
