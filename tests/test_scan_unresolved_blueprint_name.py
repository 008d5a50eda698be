"""Registrations of a blueprint whose name the scan cannot read are not alternatives.

CloudKitty 25's `do_init(app, name, ...)` makes `Blueprint(name, ...)` once per API module and
registers it: the scan took the two registrations for the same name and warned that Flask
refuses the second (`scan.alternative_registration`), which is false: the names differ and Flask
serves both. The routes stay on Flask for their unreadable endpoint, and nothing more is said.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.scan_support import write_tree

PER_MODULE = '''
from flask import Blueprint, Flask


def do_init(app, name):
    bp = Blueprint(name, __name__)

    @bp.get("/x")
    def x():
        return {"bp": name}

    app.register_blueprint(bp, url_prefix="/" + name)


def create_app():
    app = Flask(__name__)
    do_init(app, "scope")
    do_init(app, "rating")
    return app
'''


def test_two_registrations_of_an_unread_name_are_not_said_to_clash(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"kitty/__init__.py": PER_MODULE})
    scan = scan_path(root / "kitty")
    assert sorted((route.rule, route.status) for route in scan.routes) == [
        ("/rating/x", "manual"), ("/scope/x", "manual")]
    assert all(route.reasons[0].startswith("scan.unresolved_registration: the name of "
                                           "Blueprint") for route in scan.routes)
    assert [d.code for d in scan.diagnostics] == ["scan.unresolved_argument"]
