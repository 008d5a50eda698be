"""A package that puts its own folder on `sys.path` and imports what it holds as top-level.

Found converting calibre-web 0.6.27: `calibreweb/__init__.py` runs `sys.path.insert(0, path)`
with its own folder, then `from cps.main import main`, and its modules import `from cps import
...`: the app runs as `cps`, never as `calibreweb.cps`. The scan named the modules by the
package structure alone (`calibreweb.cps`), so the generated routers imported a second copy of
every module beside the one the app runs: a `config` nothing had loaded, which failed at import.
Now such a package's modules are named as the project imports them (`cps`), when some file
imports them so and none by the longer name.
"""

from __future__ import annotations

import sys
from pathlib import Path

from starlette.testclient import TestClient

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.example_support import forget_package, write_files

INSERTS_ITS_FOLDER = '''
import os
import sys

path = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, path)

from core.main import main  # noqa: E402, F401
'''

FILES = {
    "shopapp/__init__.py": INSERTS_ITS_FOLDER,
    "shopapp/core/__init__.py": '''
from flask import Flask

app = Flask(__name__)
HITS = {"count": 0}


def create_app():
    from core import views  # noqa: F401
    return app
''',
    "shopapp/core/views.py": '''
from core import HITS, app


@app.get("/hits")
def hits():
    # module state the legacy app and the converted route must share
    HITS["count"] += 1
    return {"hits": HITS["count"]}
''',
    "shopapp/core/main.py": '''
def main():
    from core import create_app

    create_app().run()
''',
}


def test_modules_are_named_as_the_project_imports_them(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_files(repo, FILES)
    out = tmp_path / "generated" / "shop_fastapi"
    result = convert_project(repo, out)
    assert [app.key for app in result.scan.apps] == ["core:app"]
    assert [(r.rule, r.view_module) for r in result.scan.routes] == [("/hits", "core.views")]
    assert [v.route.rule for v in result.converted] == ["/hits"]
    router = (out / "routers" / "app_routes.py").read_text()
    assert "from core import HITS" in router and "shopapp" not in router
    assert "from core import app" in (out / "main.py").read_text()
    roots = [str(repo), str(tmp_path / "generated")]
    sys.path[:0] = roots
    try:
        import shopapp  # noqa: F401  (puts shopapp/ on sys.path, as the project's entry point does)
        from core import create_app as create_legacy
        from shop_fastapi.main import create_app

        legacy_app = create_legacy()
        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            assert legacy_app.test_client().get("/hits").get_json() == {"hits": 1}
            # the converted route counts in the same module: one copy of `core`
            assert client.get("/hits").json() == {"hits": 2}
    finally:
        for root in roots:
            sys.path.remove(root)
        sys.path[:] = [entry for entry in sys.path if entry != str(repo / "shopapp")]
        for package in ("shopapp", "core", "shop_fastapi"):
            forget_package(package)


def test_a_package_imported_by_its_full_name_keeps_it(tmp_path: Path) -> None:
    """The same folder put on `sys.path`, but the project imports `shopapp.core`: the module
    names stay those of the package structure."""
    files = {name: text.replace("from core", "from shopapp.core")
             for name, text in FILES.items()}
    write_files(tmp_path, files)
    scan = scan_path(tmp_path)
    assert [(r.rule, r.view_module) for r in scan.routes] == [("/hits", "shopapp.core.views")]


def test_a_folder_put_on_path_only_for_another_folder_changes_nothing(tmp_path: Path) -> None:
    """`sys.path.insert(0, os.path.join(path, "vendor"))` puts another folder on the path: a
    top-level `core` import is not one of this package's modules."""
    files = dict(FILES)
    files["shopapp/__init__.py"] = INSERTS_ITS_FOLDER.replace(
        "sys.path.insert(0, path)", 'sys.path.insert(0, os.path.join(path, "vendor"))')
    write_files(tmp_path, files)
    scan = scan_path(tmp_path)
    assert [app.key for app in scan.apps] == ["shopapp.core:app"]
