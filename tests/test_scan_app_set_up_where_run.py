"""An app that a function sets up and then serves itself with `app.run(...)`.

OWASP Nettacker 0.4.1 makes `app = Flask(...)` at module level in `nettacker/api/engine.py` and
sets `app.config["OWASP_NETTACKER_CONFIG"]` (API key, IP allow-list, access log) only in
`start_api_subprocess(options)`, which then calls `app.run(...)`: its command line is how the
API is served. Its `before_request` hook reads that config, so the app an import gives (the
generated package's, or gunicorn's) answers 500 to every request, and the scan said nothing. A
`scan.app_set_up_where_run` warning now names the function, the first statement that sets the
app up and the `run` call, and the two ways to give the package that app.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.scan_support import write_tree

ENGINE = '''
from flask import Flask, abort, request

app = Flask(__name__)


@app.before_request
def check_key():
    if request.args.get("key") != app.config["API"]["key"]:
        abort(401)


@app.get("/ping")
def ping():
    return {"ok": True}


def start_api(options):
    """Nettacker's shape: configured here, then served."""
    app.config["API"] = {"key": options.key}
    try:
        app.run(host=options.host, port=options.port)
    except Exception as error:
        raise SystemExit(str(error)) from error


def debug():
    # served as it is: nothing to say
    app.run(debug=True)


if __name__ == "__main__":
    app.config["API"] = {"key": "dev"}
    app.run()
'''

SERVE = '''
from engine import app


def serve(path):
    app.config.from_pyfile(path)
    app.run()
'''


def warnings(result) -> list[tuple[str, str, int | None]]:
    return [(d.message, d.file, d.line) for d in result.diagnostics
            if d.code == "scan.app_set_up_where_run"]


def test_a_function_that_sets_the_app_up_and_runs_it_is_named(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"engine.py": ENGINE})
    message = (
        "`app` is set up in start_api() (`app.config['API'] = {'key': options.key}` at line 19), "
        "which then serves it itself with `app.run(...)` (line 21): the app the generated "
        "package loads lacks that setup. If production serves the app so, give the package "
        "the app set up the same way: call its `create_app(legacy_app)` with it, or state a "
        "function that sets it up and returns it in pyproject.toml (`[tool.migrate]` "
        "`legacy-app = \"module:function()\"`)")
    assert warnings(scan_path(root)) == [(message, "engine.py", 19)]


def test_a_function_of_another_module_is_named_too(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"engine.py": ENGINE, "serve.py": SERVE})
    found = {(file, line, message.split(" (", 1)[0]) for message, file, line in
             warnings(scan_path(root))}
    assert found == {("engine.py", 19, "`app` is set up in start_api()"),
                     ("serve.py", 5, "`app` is set up in serve()")}


def test_nothing_is_said_once_the_app_is_stated(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "engine.py": ENGINE,
        "wsgi.py": "from engine import app\n\n\ndef make():\n    app.config['API'] = "
                   "{'key': 'k'}\n    return app\n",
        "pyproject.toml": '[tool.migrate]\nlegacy-app = "wsgi:make()"\n'})
    assert warnings(scan_path(root)) == []
