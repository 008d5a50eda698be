"""scan.monkey_patching: a project module that patches the standard library for green threads.

locust's package runs gevent's `monkey.patch_all()` when imported. Its threads and sockets are
then gevent's, which uvicorn's default event loop (uvloop) does not wait on: under it no request
that reaches a Flask view, converted or through the legacy mount, was answered, and `migrate
verify` hung (run by hand with locust 2.47.0 and with a ten-line app). uvicorn's asyncio loop
answers, and verify runs (tests/test_green_threads.py).
The scan warns at the call, with its line; only where the call runs when the module is imported.
It says whether loading the app imports the module, and through which imports, as far as import
statements show: an entry module of its own that serves the app with gevent (zou's `debug.py`,
sqlite-web's `wsgi_server.py`) is imported by none of the app's modules. Where only the views of
some routes import it (zou's `event_stream.py`, a process of its own that makes the app with the
factory and adds three routes to it), those routes stay on Flask, so that the generated package
does not import the module: zou's package imported it for those views, and then answered no
request at all (found by the zou 1.0.97 hand run).
"""

from __future__ import annotations

import textwrap

from starlette.testclient import TestClient

from migrator.scan import scan_path
from migrator.scan.link import import_chain
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

PATCHED = {
    "__init__.py": """
        import os

        if not os.getenv("SKIP_MONKEY_PATCH"):
            from gevent import monkey

            monkey.patch_all()

        from flask import Flask

        from . import jobs

        app = Flask(__name__)


        @app.get("/hello")
        def hello():
            return "hi"
    """,
    "green.py": """
        import eventlet

        eventlet.monkey_patch()
    """,
    "server.py": """
        from gevent import monkey


        def serve():
            monkey.patch_all()  # in a function: runs when called, not when imported


        if __name__ == "__main__":
            monkey.patch_all()
            serve()
    """,
    "patches.py": """
        class monkey:
            @staticmethod
            def patch_all():
                return None


        monkey.patch_all()  # the project's own, not gevent's
    """,
    "jobs.py": """
        from .workers import pool  # a file with no Flask name in it: read for its imports
    """,
    "workers/__init__.py": """
        from gevent import monkey

        monkey.patch_all()
    """,
    "workers/pool.py": """
        SIZE = 4
    """,
    "stream.py": """
        from gevent import monkey

        monkey.patch_all()

        from greenapp import app

        STATS = {"connections": 0}


        @app.get("/stats")
        def stats():
            return STATS
    """,
    "admin.py": """
        from greenapp import app

        from .stream import STATS


        @app.get("/admin/stats")
        def admin_stats():
            return {"stats": STATS}
    """,
    "tests/test_app.py": """
        from gevent import monkey

        monkey.patch_all()
    """,
}


def test_a_module_level_monkey_patch_is_warned_about_with_its_line(tmp_path):
    result = scan_path(write_tree(tmp_path / "greenapp", PATCHED))
    assert [(d.file, d.line, d.severity, d.message.split(":")[0])
            for d in result.diagnostics if d.code == "scan.monkey_patching"] == [
        ("__init__.py", 6, "warning", "`monkey.patch_all()` runs when `greenapp` is imported"),
        ("green.py", 3, "warning",
         "`eventlet.monkey_patch()` runs when `greenapp.green` is imported"),
        ("stream.py", 3, "warning", "`monkey.patch_all()` runs when `greenapp.stream` is imported"),
        ("workers/__init__.py", 3, "warning",
         "`monkey.patch_all()` runs when `greenapp.workers` is imported"),
    ]
    [message] = {d.message.split(": ", 1)[1] for d in result.diagnostics
                 if d.code == "scan.monkey_patching" and d.file == "__init__.py"}
    assert message.startswith("it makes the standard library's threads and sockets gevent's")
    assert [route.endpoint for route in result.routes] == ["hello", "admin_stats", "stats"]


def test_the_warning_says_whether_and_how_loading_the_app_imports_the_module(tmp_path):
    result = scan_path(write_tree(tmp_path / "greenapp", PATCHED))
    where = {d.file: d.message.split("would be answered; ")[1]
             for d in result.diagnostics if d.code == "scan.monkey_patching"}
    assert where == {
        "__init__.py": "the app `greenapp:app` is made in it. Serve the generated app with "
                       "uvicorn's `--loop asyncio`, as the serve command convert prints does, "
                       "or move the call out of the modules the app imports",
        "workers/__init__.py": "loading the app imports it (`greenapp` → `greenapp.jobs` → "
                               "`greenapp.workers`). Serve the generated app with uvicorn's "
                               "`--loop asyncio`, as the serve command convert prints does, or "
                               "move the call out of the modules the app imports",
        "stream.py": "it holds the views of 1 route(s), and the views of 1 more route(s) "
                     "import it (`greenapp.admin` → `greenapp.stream`), which stay on Flask, so "
                     "that the generated package does not import it. If it serves those routes "
                     "in a process of its own (an event stream, a debug server), keep it so",
        "green.py": "neither the app's module nor its views' modules import it, as far as their "
                    "import statements show (not `importlib`, plugins). If it is a module of its "
                    "own that serves the app (a command, a server script), keep it out of the "
                    "process that runs the generated app",
    }


def test_routes_whose_views_import_the_module_stay_on_flask(tmp_path):
    result = scan_path(write_tree(tmp_path / "greenapp", PATCHED))
    first = {route.rule: (route.status, route.reasons[0] if route.reasons else None)
             for route in result.routes}
    assert first == {
        "/hello": ("auto", None),
        "/stats": ("manual", (
            "scan.monkey_patching: the view's module `greenapp.stream` calls "
            "`monkey.patch_all()` when imported: it makes the standard library's threads and "
            "sockets gevent's, which the generated app does not run with; the route stays on "
            "Flask, so the generated package does not import it")),
        "/admin/stats": ("manual", (
            "scan.monkey_patching: importing the view's module imports `greenapp.stream` "
            "(`greenapp.admin` → `greenapp.stream`), which calls `monkey.patch_all()`: it makes "
            "the standard library's threads and sockets gevent's, which the generated app does "
            "not run with; the route stays on Flask, so the generated package does not import "
            "it")),
    }


# zou's event stream: a module of its own makes the app with the factory, patches the standard
# library first, and adds routes to its app (importing the module would patch the test process:
# the generated package must not)
EVENT_STREAM = {
    "__init__.py": """
        from flask import Flask


        def create_app():
            app = Flask(__name__)

            @app.get("/ping")
            def ping():
                return {"pong": True}

            return app
    """,
    "event_stream.py": """
        from gevent import monkey

        monkey.patch_all()

        from flask import jsonify

        from streamapp import create_app

        app = create_app()
        server_stats = {"nb_connections": 0}


        @app.route("/stats")
        def stats():
            return jsonify(server_stats)
    """,
}


def test_the_generated_package_does_not_import_a_module_that_patches(tmp_path):
    source = {name: textwrap.dedent(text).lstrip("\n") for name, text in EVENT_STREAM.items()}
    with converted_snippet(tmp_path, "streamapp", source, "stream_fastapi") as (result, out, _):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        assert "event_stream" not in "".join(
            path.read_text(encoding="utf-8") for path in out.rglob("*.py"))
        from stream_fastapi.main import create_app

        with TestClient(create_app()) as client:
            assert client.get("/ping").json() == {"pong": True}
            assert client.get("/stats").status_code == 404  # as `create_app()`'s app answers


def test_an_import_chain_names_the_outermost_of_a_run_of_packages():
    reached = {"app.web": None, "app": ("app.web", True), "lib.a.b": ("app", False),
               "lib.a": ("lib.a.b", True), "lib": ("lib.a", True)}
    assert import_chain(reached, "app") == "`app.web`'s package `app`"
    assert import_chain(reached, "lib") == "`app.web`'s package `app` → `lib.a.b`'s package `lib`"
    assert import_chain(reached, "lib.a.b") == "`app.web`'s package `app` → `lib.a.b`"
