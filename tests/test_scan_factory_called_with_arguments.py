"""A factory the project calls only with arguments, inside functions, which the generated package
calls bare.

mapchete 2023.12.3's `serve` command makes its app with `create_app(mapchete_files=...,
mode=...)` and runs it; `create_app(mapchete_files=None, ...)` iterates the files, so the bare
call the generated package made raised TypeError when uvicorn loaded it, after convert had printed
"Serve it with: uvicorn ..." and the scan had said nothing. cornflow 1.3.9 calls
`create_app(environment, ...)` in its service command, where the default is "development". Now a
warning (`scan.factory_called_with_arguments`) names the first such call and how to state it, and
convert repeats it. A factory the project also calls bare, or binds at module level (the
package imports that app), gets none.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.example_support import forget_package
from tests.scan_support import write_tree

SERVE = '''
import click
from flask import Flask


@click.command()
@click.argument("files", nargs=-1)
def serve(files):
    """What production runs: `tiles serve a.tif b.tif`."""
    app = create_app(files=files)
    app.run(host="127.0.0.1")


def create_app(files=None):
    app = Flask(__name__)
    layers = {name: len(name) for name in files}

    @app.route("/layers")
    def index():
        return {"layers": sorted(layers)}

    return app
'''


def factory_warnings(root: Path) -> list[tuple[str, int | None, str]]:
    return [(d.file, d.line, d.message) for d in scan_path(root).diagnostics
            if d.code == "scan.factory_called_with_arguments"]


def test_a_factory_called_only_with_arguments_is_warned_and_convert_says_so(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", {"tiles/__init__.py": "", "tiles/serve.py": SERVE})
    message = (
        "the project calls `create_app` only with arguments (`create_app(files=files)` in "
        "serve()), where the generated package calls `create_app()` with none: if production "
        "makes the app so, state the call in pyproject.toml (`[tool.migrate]` `legacy-app = "
        "\"tiles.serve:create_app(...)\"`) or give the package's `create_app(legacy_app)` the "
        "app")
    assert factory_warnings(root) == [("tiles/serve.py", 9, message)]
    result = convert_project(root, tmp_path / "out" / "tiles_fastapi")
    [note] = result.to_json()["legacy_app_notes"]
    assert note.startswith("tiles/serve.py:9: [scan.factory_called_with_arguments] the project "
                           "calls `create_app` only with arguments")
    # why it matters: the bare call the package makes fails where production's call does not
    sys.path[:0] = [str(root)]
    try:
        from tiles.serve import create_app

        with pytest.raises(TypeError):
            create_app()
        assert create_app(files=("a.tif",)).test_client().get("/layers").json == {
            "layers": ["a.tif"]}
    finally:
        sys.path.remove(str(root))
        forget_package("tiles")


def test_a_factory_also_called_bare_or_bound_at_module_level_is_not_warned(
        tmp_path: Path) -> None:
    bare = write_tree(tmp_path / "bare", {"tiles/__init__.py": "", "tiles/serve.py": SERVE + '''

def debug():
    create_app().run(debug=True)
'''})
    assert factory_warnings(bare) == []
    bound = write_tree(tmp_path / "bound", {
        "tiles/__init__.py": "", "tiles/serve.py": SERVE,
        "tiles/wsgi.py": "from tiles.serve import create_app\n\napp = create_app(files=['a'])\n"})
    assert factory_warnings(bound) == []
