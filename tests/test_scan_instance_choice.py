"""Of several module-level apps made with a factory the generated package cannot call bare, it
imports the one production most likely serves, and the scan says which it took.

opentaxii 0.9.3 makes its app with `create_app(server)` in two modules: `opentaxii.http`
(gunicorn's) and `opentaxii.cli`, which then sets `app.debug = True`. The package imported the
first in name order, the CLI's: its JSON was pretty-printed and an error that production
answers through the app's handler escaped as a debug 500 (found by the opentaxii hand run). An
instance whose module turns debug on, or is named like a command (`cli`, `manage`...), now comes
last, and a warning (`scan.instance_chosen`) names the one taken and how to state another.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

SHOP = {
    "__init__.py": "",
    "factory.py": """
        from flask import Flask, jsonify


        def create_app(settings):
            app = Flask(__name__)
            app.config.update(settings)

            @app.route("/health")
            def health():
                return jsonify(alive=True, env=app.config["ENV_NAME"])

            return app
    """,
    "cli.py": """
        from shop.factory import create_app

        app = create_app({"ENV_NAME": "cli"})
        app.debug = True
    """,
    "wsgi.py": """
        from shop.factory import create_app

        app = create_app({"ENV_NAME": "production"})
    """,
}


def test_the_instance_production_serves_comes_first(tmp_path: Path) -> None:
    result = scan_path(write_tree(tmp_path / "shop", SHOP))
    assert [app.instances for app in result.apps] == [["shop.wsgi:app", "shop.cli:app"]]
    chosen = [(d.file, d.line, d.message) for d in result.diagnostics
              if d.code == "scan.instance_chosen"]
    assert chosen == [("wsgi.py", 3, (
        "the generated package imports `shop.wsgi:app`, one of 2 apps module-level code makes "
        "with `create_app`; the other(s): `shop.cli:app` (its module sets debug on, "
        "`app.debug = True` at line 4). If production serves another, state it in "
        "pyproject.toml (`[tool.migrate]` `legacy-app = \"shop.cli:app\"`)"))]


def test_a_module_named_like_a_command_comes_last(tmp_path: Path) -> None:
    sources = {**{name: text for name, text in SHOP.items() if name != "cli.py"},
               "manage.py": SHOP["wsgi.py"].replace("production", "manage"),
               "wsgi.py": SHOP["wsgi.py"]}
    result = scan_path(write_tree(tmp_path / "shop", sources))
    assert [app.instances for app in result.apps] == [["shop.wsgi:app", "shop.manage:app"]]
    assert [d.message for d in result.diagnostics if d.code == "scan.instance_chosen"] == [(
        "the generated package imports `shop.wsgi:app`, one of 2 apps module-level code makes "
        "with `create_app`; the other(s): `shop.manage:app` (a module named `manage`). If "
        "production serves another, state it in pyproject.toml (`[tool.migrate]` `legacy-app "
        "= \"shop.manage:app\"`)")]


def test_the_package_serves_production_s_app(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "shop", SHOP, "shop_fastapi") as (result, out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/health"]
        assert "from shop.wsgi import app" in (out / "main.py").read_text()
        import shop.wsgi
        from shop_fastapi.main import app

        with TestClient(app) as client:
            answer = client.get("/health")
        legacy = shop.wsgi.app.test_client().get("/health")
        assert (answer.status_code, answer.content) == (legacy.status_code, legacy.data) == (
            200, b'{"alive":true,"env":"production"}\n')
