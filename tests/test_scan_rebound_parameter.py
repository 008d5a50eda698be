"""A parameter of a registering function that its body assigns again.

CloudKitty 25's `do_init(app, prefix, ...)` registers its blueprints with `url_prefix=prefix`
after `if not prefix.startswith('/'): prefix = '/' + prefix`. The scan read the literal each
call passes (`"scope"`) and listed the rule `scope/x`, converted at a path with no leading slash
(the start-up check then handed it to Flask). A literal passed for a parameter the body binds
again is no longer read: the prefix is unresolved, and the route stays on Flask with the usual
way to state it; one the body leaves alone is read as before.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.scan_support import write_tree

DO_INIT = '''
from flask import Blueprint, Flask


def do_init(app, prefix):
    bp = Blueprint("api", __name__)

    @bp.get("/x")
    def x():
        return {{"ok": True}}
{rebind}
    app.register_blueprint(bp, url_prefix=prefix)


def create_app():
    app = Flask(__name__)
    do_init(app, "{prefix}")
    return app
'''


def test_a_literal_passed_for_a_parameter_the_body_assigns_is_not_read(tmp_path: Path) -> None:
    rebind = '''
    if not prefix.startswith("/"):
        prefix = "/" + prefix
'''
    root = write_tree(tmp_path, {"kitty/__init__.py": DO_INIT.format(rebind=rebind, prefix="scope")})
    [route] = scan_path(root / "kitty").routes
    assert (route.rule, route.status) == ("<unresolved: url_prefix>/x", "manual")
    assert route.reasons[0].startswith("scan.unresolved_registration: the url_prefix of "
                                       "register_blueprint of 'api'")


def test_a_parameter_the_body_leaves_alone_is_read(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"plain/__init__.py": DO_INIT.format(rebind="",
                                                                    prefix="/scope")})
    [route] = scan_path(root / "plain").routes
    assert route.rule == "/scope/x"
