"""A folder without `__init__.py` inside a package is a namespace package (PEP 420).

Found converting puppetboard 7.0.4: its views live in `puppetboard/views/*.py` with no
`views/__init__.py`, and `puppetboard/app.py` imports them as `puppetboard.views.catalogs`. The
scan named those modules `catalogs` (it stopped at the first folder without `__init__.py`), and
the generated routers said `from catalogs import app, log`: the package could not be imported.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.discover import module_name_for
from tests.example_support import converted_snippet

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
