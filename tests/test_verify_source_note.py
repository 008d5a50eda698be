"""verify says where it reads the routes from only where that is not the code it imported.

panoptes-ui: `migrate convert src --out out`, then `migrate verify --legacy panoptes.app:app`
with `src` on the path, noted "the routes are read from the source the package was converted
from, .../src, not from the package the legacy app was imported from, .../src/panoptes": the
same code (a `src/` layout is the usual one). The note now comes only where the imported package
lies outside the converted folder (an installed copy, say).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from migrator.convert.run import convert_project
from migrator.verify.run import VerifyInputs, verify_routes
from tests.example_support import forget_package
from tests.scan_support import write_tree

MINI = '''
from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/ping")
def ping():
    return jsonify(ok=True)
'''


def verify_notes(tmp_path: Path, imported_from: Path) -> list[str]:
    roots = [str(imported_from), str(tmp_path / "generated")]
    sys.path[:0] = roots
    try:
        result = verify_routes(VerifyInputs("mini:app", "mini_fastapi.main:app"))
    finally:
        for root in roots:
            sys.path.remove(root)
        forget_package("mini")
        forget_package("mini_fastapi")
    assert result.ok
    return result.notes


def test_no_note_where_the_package_is_imported_from_the_converted_folder(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "src", {"mini/__init__.py": MINI})
    convert_project(source, tmp_path / "generated" / "mini_fastapi")
    assert verify_notes(tmp_path, source) == []
    # an installed copy elsewhere: the note says which code the routes come from
    installed = tmp_path / "site-packages"
    shutil.copytree(source, installed)
    [note] = verify_notes(tmp_path, installed)
    assert note.startswith("the routes are read from the source the package was converted "
                           f"from, {source.resolve()}, not from the package the legacy app was "
                           f"imported from, {installed / 'mini'}")
