"""A view reading a builtin's name that its module binds again reads the module's.

pyLoad 0.5's web views do `from pyload.core.utils import format, fs` and call `format.size(...)`.
The converter's scope analysis sees the view alone, where `format` is the builtin: the router
imported `fs` only, and `GET /info` answered 500 (`'builtin_function_or_method' object has no
attribute 'size'`) where Flask answers 200. A builtin's name the view's module binds (an import,
a `def`, an assignment) is now imported from there, like any other name the view reads.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

FILES = {
    "utils.py": '''
import types

format = types.SimpleNamespace(size=lambda n: f"{n / 1024:.1f} KiB")
''',
    "__init__.py": '''
from flask import Flask

from .utils import format

app = Flask(__name__)


def filter(items):
    """The module's own `filter`, which the views call."""
    return [item for item in items if item % 2]


@app.get("/size")
def size():
    return {"size": format.size(2048)}


@app.get("/odd")
def odd():
    return {"odd": filter([1, 2, 3]), "sum": sum([1, 2])}
''',
    "plain.py": '''
from flask import Blueprint

bp = Blueprint("plain", __name__)


@bp.get("/text")
def text():
    return {"text": "{}-{}".format(1, 2), "ids": sorted({3, 1})}
''',
}


def test_the_modules_binding_is_imported(tmp_path: Path) -> None:
    files = {**FILES, "__init__.py": FILES["__init__.py"] + '''
from .plain import bp

app.register_blueprint(bp)
'''}
    with converted_snippet(tmp_path, "shadow_app", files, "shadow_fastapi") as (result, out, _):
        assert sorted(view.route.rule for view in result.converted) == ["/odd", "/size", "/text"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "from shadow_app import filter\n" in router
        assert "from shadow_app.utils import format\n" in router
        assert "import sum" not in router and "sorted" not in router
        plain = (out / "routers" / "plain.py").read_text(encoding="utf-8")
        assert "format\n" not in plain  # a module that binds no builtin's name: none imported
        from shadow_app import app as legacy_app
        from shadow_fastapi.main import create_app

        with TestClient(create_app(legacy_app), base_url="http://localhost") as client:
            for path in ("/size", "/odd", "/text"):
                old, new = legacy_app.test_client().get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert client.get("/size").json() == {"size": "2.0 KiB"}
