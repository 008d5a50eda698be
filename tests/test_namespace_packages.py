"""A folder without `__init__.py` inside a package is a namespace package (PEP 420).

Found converting puppetboard 7.0.4: its views live in `puppetboard/views/*.py` with no
`views/__init__.py`, and `puppetboard/app.py` imports them as `puppetboard.views.catalogs`. The
scan named those modules `catalogs` (it stopped at the first folder without `__init__.py`), and
the generated routers said `from catalogs import app, log`: the package could not be imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

from starlette.testclient import TestClient

from migrator.discover import module_name_for
from tests.example_support import converted_snippet, forget_package, write_files

FILES = {
    "__init__.py": "",
    "core.py": '''
from flask import Flask

app = Flask(__name__)
''',
    "app.py": '''
from nsapp.core import app

import nsapp.views.pages  # noqa: F401  (registers the routes)
import nsapp.views.deep.more  # noqa: F401
''',
    "views/pages.py": '''
from nsapp.core import app


@app.get("/pages/<int:n>")
def page(n):
    return {"page": n}
''',
    "views/deep/more.py": '''
from nsapp.core import app


@app.get("/more")
def more():
    return {"more": True}
''',
}


def test_modules_of_a_namespace_folder_inside_a_package(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "nsapp", FILES, "nsapp_fastapi") as (result, _out, legacy):
        assert not (legacy / "views" / "__init__.py").exists()
        assert module_name_for(legacy / "views" / "deep" / "more.py") == (
            "nsapp.views.deep.more", False)
        assert module_name_for(legacy.parent / "outside.py") == ("outside", False)
        assert {r.rule: r.view_module for r in result.scan.routes} == {
            "/pages/<int:n>": "nsapp.views.pages", "/more": "nsapp.views.deep.more"}
        assert sorted(v.route.rule for v in result.converted) == ["/more", "/pages/<int:n>"]
        import nsapp.app  # noqa: F401
        from nsapp.core import app
        from nsapp_fastapi.main import create_app

        flask_client = app.test_client()
        with TestClient(create_app(app), base_url="http://localhost") as client:
            for path in ("/pages/3", "/more"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path


# Found scanning cryptoadvance-specter 2.1.11: `cryptoadvance/` holds no `__init__.py` (a
# namespace package, PEP 420) and `cryptoadvance/specter/server.py` imports
# `from cryptoadvance.specter.api import api_bp`. The scan named the package `specter`, so that
# import found nothing: "cannot tell which blueprint `app.register_blueprint(api_bp)`
# registers", and its routes were not listed. A `src/` folder above is a folder on `sys.path`,
# not a namespace: the project's imports tell which.
NAMESPACE_FILES = {
    "src/nsco/shop/__init__.py": '''
from flask import Flask


def create_app():
    app = Flask(__name__)
    from nsco.shop.views import bp
    app.register_blueprint(bp, url_prefix="/shop")
    return app
''',
    "src/nsco/shop/views.py": '''
from flask import Blueprint

from nsco.shop.prices import price_of

bp = Blueprint("shop", __name__)


@bp.get("/items/<int:item_id>")
def item(item_id):
    return {"item": item_id, "price": price_of(item_id)}
''',
    "src/nsco/shop/prices.py": '''
def price_of(item_id):
    return item_id * 2.5
''',
    # a top-level package nothing imports by a longer name keeps its own
    "tools/helper.py": "VALUE = 1\n",
}


def test_a_package_inside_a_namespace_package_is_named_as_the_project_imports_it(
        tmp_path: Path) -> None:
    from migrator.convert.run import convert_project

    repo = tmp_path / "repo"
    write_files(repo, NAMESPACE_FILES)
    out = tmp_path / "generated" / "shop_fastapi"
    result = convert_project(repo, out)
    assert {(r.rule, r.view_module, r.blueprint) for r in result.scan.routes} == {
        ("/shop/items/<int:item_id>", "nsco.shop.views", "shop")}
    assert [(app.module, app.factory) for app in result.scan.apps] == [("nsco.shop", "create_app")]
    assert not [d for d in result.scan.diagnostics if d.code.startswith("scan.unresolved")]
    assert [v.route.rule for v in result.converted] == ["/shop/items/<int:item_id>"]
    assert "from nsco.shop import create_app" in (out / "main.py").read_text()
    roots = [str(repo / "src"), str(tmp_path / "generated")]
    sys.path[:0] = roots
    try:
        from nsco.shop import create_app as create_legacy
        from shop_fastapi.main import create_app

        legacy_app = create_legacy()
        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            old, new = legacy_app.test_client().get("/shop/items/4"), client.get("/shop/items/4")
            assert (new.status_code, new.content) == (old.status_code, old.get_data())
            assert new.json() == {"item": 4, "price": 10.0}
    finally:
        for root in roots:
            sys.path.remove(root)
        forget_package("nsco")
        forget_package("shop_fastapi")


def test_the_namespace_folder_itself_may_be_the_scan_root(tmp_path: Path) -> None:
    from migrator.discover import project_files, with_namespace_parents

    write_files(tmp_path, NAMESPACE_FILES)
    root = tmp_path / "src" / "nsco"
    files = with_namespace_parents(project_files(root)[0], root)
    assert sorted(f.module for f in files) == [
        "nsco.shop", "nsco.shop.prices", "nsco.shop.views"]
    # from the repository's root: `src` is no namespace (nothing imports `src.nsco`), and
    # `tools/helper.py` is imported by no longer name
    files = with_namespace_parents(project_files(tmp_path)[0], tmp_path)
    assert sorted(f.module for f in files) == [
        "helper", "nsco.shop", "nsco.shop.prices", "nsco.shop.views"]


def test_a_module_of_the_same_name_is_no_namespace_evidence(tmp_path: Path) -> None:
    """sqlite-web's wheel: the package `sqlite_web` holds the module `sqlite_web.py`, imported
    as `from sqlite_web.sqlite_web import ...`; scanned from a folder also named `sqlite_web`,
    that import is no sign that the folder is a namespace package."""
    from migrator.discover import project_files, with_namespace_parents

    root = tmp_path / "sqlite_web"
    (root / "sqlite_web").mkdir(parents=True)
    (root / "sqlite_web" / "__init__.py").write_text("from sqlite_web.sqlite_web import app\n")
    (root / "sqlite_web" / "sqlite_web.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    files = with_namespace_parents(project_files(root)[0], root)
    assert sorted(f.module for f in files) == ["sqlite_web", "sqlite_web.sqlite_web"]


# beets 2.14.1: `beetsplug/` holds no `__init__.py` and its web plugin, `beetsplug/web/`, is
# imported by no module of the project (beets loads plugins with `import_module(f"beetsplug.
# {name}")`). Other modules of the folder are (`from beetsplug._utils import art`): the folder
# is a namespace package, so each of its packages is named under it. The scan named the web
# plugin `web`, and the routers said `from web import ...`: the package could not be imported.
PLUGIN_FILES = {
    "plug/web/__init__.py": '''
from flask import Flask

from plug._utils import shout

app = Flask(__name__)


@app.get("/hello/<name>")
def hello(name):
    return {"hello": shout(name)}
''',
    "plug/_utils.py": '''
def shout(text):
    return text.upper()
''',
    "plug/other.py": "from plug._utils import shout  # noqa: F401\n",
    # a folder on sys.path beside it: nothing imports `tools.helper`
    "tools/helper.py": "VALUE = 1\n",
}


def test_packages_of_a_namespace_folder_some_of_whose_modules_are_imported_by_it(
        tmp_path: Path) -> None:
    from migrator.convert.run import convert_project
    from migrator.discover import project_files, with_namespace_parents

    repo = tmp_path / "repo"
    write_files(repo, PLUGIN_FILES)
    assert {source.module for source in with_namespace_parents(
        project_files(repo)[0], repo)} == {"plug.web", "plug._utils", "plug.other",
                                                  "helper"}
    out = tmp_path / "generated" / "plug_fastapi"
    result = convert_project(repo, out)
    assert [(r.rule, r.view_module) for r in result.scan.routes] == [
        ("/hello/<name>", "plug.web")]
    assert [v.route.rule for v in result.converted] == ["/hello/<name>"]
    assert "from plug.web import app\n" in (out / "main.py").read_text()
    assert "from plug._utils import shout\n" in (out / "routers" / "app_routes.py").read_text()
    roots = [str(repo), str(tmp_path / "generated")]
    sys.path[:0] = roots
    try:
        from plug.web import app
        from plug_fastapi.main import create_app

        with TestClient(create_app(app), base_url="http://localhost") as client:
            old, new = app.test_client().get("/hello/ann"), client.get("/hello/ann")
            assert (new.status_code, new.content) == (old.status_code, old.get_data())
    finally:
        for root in roots:
            sys.path.remove(root)
        forget_package("plug")
        forget_package("plug_fastapi")


def test_the_package_itself_may_be_the_scan_root(tmp_path: Path) -> None:
    """Specter Desktop's hand run scanned `site-packages/cryptoadvance/specter`, the package: the
    namespace folder `cryptoadvance/` is above the scan root, and the scan named the modules
    `specter.*`. With relative imports the generated package said `import specter.server`
    (ModuleNotFoundError); with absolute ones (`from cryptoadvance.specter.api import api_bp`)
    nothing resolved and no route was listed. The folders above a package scanned on its own
    are read as namespace packages when the project imports it by their names."""
    from migrator.discover import project_files, with_namespace_parents

    write_files(tmp_path, NAMESPACE_FILES)
    root = tmp_path / "src" / "nsco" / "shop"
    files = with_namespace_parents(project_files(root)[0], root)
    assert sorted(f.module for f in files) == [
        "nsco.shop", "nsco.shop.prices", "nsco.shop.views"]
    # a package whose imports name no folder above it keeps its own name (`src` is on sys.path)
    (tmp_path / "src" / "solo").mkdir()
    (tmp_path / "src" / "solo" / "__init__.py").write_text("from solo.core import VALUE\n")
    (tmp_path / "src" / "solo" / "core.py").write_text("VALUE = 1\n")
    root = tmp_path / "src" / "solo"
    files = with_namespace_parents(project_files(root)[0], root)
    assert sorted(f.module for f in files) == ["solo", "solo.core"]


def test_a_package_scanned_on_its_own_inside_a_namespace_converts(tmp_path: Path) -> None:
    from migrator.convert.run import convert_project

    site = tmp_path / "site"
    write_files(site, {
        "nsr/pkg/__init__.py": "import nsr.pkg.app  # noqa: F401\n",
        "nsr/pkg/app.py": '''
from flask import Flask

from .views import bp

app = Flask(__name__)
app.register_blueprint(bp)
''',
        "nsr/pkg/views.py": '''
from flask import Blueprint

bp = Blueprint("views", __name__)


@bp.route("/x")
def x():
    return {"a": 1}
''',
    })
    out = tmp_path / "generated" / "nsr_fastapi"
    result = convert_project(site / "nsr" / "pkg", out)
    assert [(r.rule, r.view_module) for r in result.scan.routes] == [("/x", "nsr.pkg.views")]
    assert "from nsr.pkg.app import app" in (out / "main.py").read_text()
    roots = [str(site), str(tmp_path / "generated")]
    sys.path[:0] = roots
    try:
        from nsr.pkg.app import app as legacy_app
        from nsr_fastapi.main import create_app

        with TestClient(create_app(), base_url="http://localhost") as client:
            old, new = legacy_app.test_client().get("/x"), client.get("/x")
            assert (new.status_code, new.content) == (old.status_code, old.get_data())
            assert new.json() == {"a": 1}
    finally:
        for root in roots:
            sys.path.remove(root)
        forget_package("nsr")
        forget_package("nsr_fastapi")
