"""scan.monkey_patching: a project module that patches the standard library for green threads.

locust's package runs gevent's `monkey.patch_all()` when imported. Its threads and sockets are
then gevent's, and the generated app (a thread pool under an ASGI server) does not run with
them: under uvicorn no request that reaches a Flask view, converted or through the legacy mount,
was answered, and `migrate verify` hung (run by hand with locust 2.47.0 and with a ten-line app).
The scan warns at the call, with its line; only where the call runs when the module is imported.
"""

from __future__ import annotations

from migrator.scan import scan_path
from tests.scan_support import write_tree

PATCHED = {
    "__init__.py": """
        import os

        if not os.getenv("SKIP_MONKEY_PATCH"):
            from gevent import monkey

            monkey.patch_all()

        from flask import Flask

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
    ]
    [message] = {d.message.split(": ", 1)[1] for d in result.diagnostics
                 if d.code == "scan.monkey_patching" and d.file == "__init__.py"}
    assert message.startswith("it makes the standard library's threads and sockets gevent's")
    assert [route.endpoint for route in result.routes] == ["hello"]
