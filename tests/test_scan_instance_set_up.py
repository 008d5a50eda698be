"""An app the factory made that its module goes on setting up.

pgAdmin 4 9.18 serves `pgAdmin4:app`: `app = create_app()`, then `app.config['sessions'] = ...`,
`app.PGADMIN_INT_KEY = ...`, `app.wsgi_app = ReverseProxied(app.wsgi_app)` and
`app.run_before_app_start()`. The generated package called `create_app()` bare, and every request
answered 500 (`'PgAdmin' object has no attribute 'PGADMIN_INT_KEY'`), with no word from the scan.
Which app production serves the source does not say; a `scan.instance_set_up` warning names the
instance, the first statement that sets it up, and the line to state. Stated, the package serves
that app, and its converted routes answer as Flask's.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

FACTORY = '''
from flask import Flask, abort, current_app


def create_app():
    app = Flask(__name__)

    @app.before_request
    def check_key():
        if current_app.API_KEY is None:
            abort(500)

    @app.get("/ping")
    def ping():
        return {"key": current_app.API_KEY}

    return app
'''

SERVED = '''
import os

from {package} import create_app

app = create_app()
app.logger.info("made")
with app.app_context():
    pass
if os.environ.get("KEY"):
    app.API_KEY = os.environ["KEY"]
else:
    app.API_KEY = ""

if __name__ == "__main__":
    app.run()
'''


def set_up_warnings(result) -> list[tuple[str, str, int | None]]:
    return [(d.message, d.file, d.line) for d in result.diagnostics
            if d.code == "scan.instance_set_up"]


def test_a_warning_names_the_instance_and_what_sets_it_up(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"shop/__init__.py": FACTORY,
                                 "served.py": SERVED.format(package="shop")})
    message = ("`served:app` is set up further by its module after the factory made it "
               "(`app.API_KEY = os.environ['KEY']` at line 10, and 1 more statement(s)), which "
               "the generated package's call of `create_app()` skips: if production serves that "
               "app, state it in pyproject.toml (`[tool.migrate]` `legacy-app = \"served:app\"`)")
    assert set_up_warnings(scan_path(root)) == [(message, "served.py", 10)]


def test_extensions_given_the_app_set_it_up(tmp_path: Path) -> None:
    served = "from flask_cors import CORS\n\nfrom shop import create_app\n\napp = create_app()\n" \
             "CORS(app)\n"
    root = write_tree(tmp_path, {"shop/__init__.py": FACTORY, "wsgi.py": served})
    [(message, file, line)] = set_up_warnings(scan_path(root))
    assert (file, line) == ("wsgi.py", 6) and "(`CORS(app)` at line 6)" in message


def test_no_warning_for_an_instance_only_read_or_served(tmp_path: Path) -> None:
    served = ("from shop import create_app\n\napp = create_app()\napp.logger.info('up')\n"
              "print(app.url_map)\nwith app.app_context():\n    pass\n\n\ndef main():\n"
              # a project function given the app (the example app's `load_fixtures(app)`)
              "    pass\n\n\ndef seed(app):\n    pass\n\n\nseed(app)\n\n\ndef other():\n"
              "    app.config['X'] = 1\n\n\nif __name__ == '__main__':\n    app.debug = True\n"
              "    app.run()\n")
    root = write_tree(tmp_path, {"shop/__init__.py": FACTORY, "wsgi.py": served,
                                 # a test's instance is no app production serves
                                 "tests/test_app.py": SERVED.format(package="shop")})
    assert set_up_warnings(scan_path(root)) == []


def test_stated_the_package_serves_that_app(tmp_path: Path) -> None:
    files = {"__init__.py": FACTORY, "served.py": SERVED.format(package="setup_app")}
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "pyproject.toml").write_text(
        '[tool.migrate]\nlegacy-app = "setup_app.served:app"\n', encoding="utf-8")
    with converted_snippet(tmp_path, "setup_app", files, "setup_fastapi") as (result, _, _):
        assert [view.route.rule for view in result.converted] == ["/ping"]
        assert set_up_warnings(result.scan) == []
        from setup_app.served import app as legacy_app
        from setup_fastapi.main import create_app

        with TestClient(create_app(), base_url="http://localhost") as client:
            old, new = legacy_app.test_client().get("/ping"), client.get("/ping")
            assert (new.status_code, new.content) == (old.status_code, old.get_data())
            assert new.json() == {"key": ""}
