"""A blueprint registered under one name in two places of one app: alternatives.

cryptoadvance-specter registers its `auth_endpoint` blueprint in the `else` of `if not
hwibridge:`, whose other arm imports a module that registers it too. Flask refuses a second
registration under one name (a ValueError since Flask 2.1), so an app that starts ran only one
of them. The scan listed each of specter's 4 auth routes twice (same rule, endpoint, file and
line), and `migrate convert` wrote each view twice into one router (`login` and `login_`).

Now a second registration giving the same routes (the same blueprint, prefix and options) is
listed once, with a `scan.alternative_registration` note at it; one giving different rules (a
different prefix) lists both sets, which stay on Flask: which one Flask serves is decided at
run time. The ground truth is the real Flask app built each way.

Two statements written alike (`app.register_blueprint(bp, url_prefix="/auth")` in the `if` and
in the `else`) also got the first one's line: the scan's source locator found the first match
again. Each now has its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Blueprint, Flask

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import write_tree

ALTERNATIVE = "scan.alternative_registration"

SAME_PREFIX = '''
from flask import Blueprint, Flask

auth = Blueprint("auth", __name__)


@auth.route("/login", methods=["GET", "POST"])
def login():
    """Log in."""
    return {"login": True}


def create_app(config=None):
    app = Flask(__name__)
    if (config or {}).get("BRIDGE"):
        app.register_blueprint(auth, url_prefix="/auth")
    else:
        app.register_blueprint(auth, url_prefix="/auth")
    return app
'''

OTHER_PREFIX = '''
from flask import Blueprint, Flask

auth = Blueprint("auth", __name__)
tokens = Blueprint("tokens", __name__)


@tokens.route("/token")
def token():
    return {"token": "t"}


auth.register_blueprint(tokens, url_prefix="/tokens")


@auth.route("/login")
def login():
    return {"login": True}


@auth.route("/logout")
def logout():
    return {"logout": True}


def create_app(config=None):
    app = Flask(__name__)
    if (config or {}).get("BRIDGE"):
        app.register_blueprint(auth, url_prefix="/bridge/auth")
    else:
        app.register_blueprint(auth, url_prefix="/auth")

    @app.route("/")
    def index():
        return "home"

    return app
'''


def test_flask_refuses_a_second_registration_under_one_name() -> None:
    """The fact the scan relies on: both arms cannot have run in an app that started."""
    app = Flask(__name__)
    bp = Blueprint("auth", __name__)
    app.register_blueprint(bp, url_prefix="/auth")
    with pytest.raises(ValueError, match="already registered"):
        app.register_blueprint(bp, url_prefix="/login")


def test_the_same_registration_in_both_arms_is_listed_once(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "same", {"app.py": SAME_PREFIX})
    result = scan_path(root)
    assert [(r.rule, r.methods, r.endpoint, r.line, r.status) for r in result.routes] == [
        ("/auth/login", ["GET", "POST"], "auth.login", 6, "auto")]
    [note] = [d for d in result.diagnostics if d.code == ALTERNATIVE]
    assert (note.severity, note.file, note.line) == ("info", "app.py", 17)
    assert "registered on this app at app.py:15 too, with the same prefix" in note.message
    [blueprint] = result.blueprints
    # each call is recorded; one prefix, as the router needs
    assert [(r.url_prefix, r.line) for r in blueprint.registrations] == [
        ("/auth", 15), ("/auth", 17)]
    scanned = {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes}
    for config in ({"BRIDGE": True}, {}):
        assert runtime_url_map("app:create_app", pythonpath=[root], config=config) == scanned


def test_the_same_registration_converts_to_one_view(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "same_auth_app", SAME_PREFIX, "same_auth_fastapi") as (
            result, out, _legacy):
        assert [view.route.endpoint for view in result.converted] == ["auth.login"]
        router = (out / "routers" / "auth.py").read_text(encoding="utf-8")
        assert router.count('"""Log in."""') == 1
        assert "def login_" not in router


def test_registrations_with_different_rules_list_both_and_stay_on_flask(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path / "other", {"app.py": OTHER_PREFIX})
    result = scan_path(root)
    scanned = {(r.rule, frozenset(r.methods), r.endpoint) for r in result.routes}
    bridge = runtime_url_map("app:create_app", pythonpath=[root], config={"BRIDGE": True})
    plain = runtime_url_map("app:create_app", pythonpath=[root], config={})
    assert bridge != plain and scanned == bridge | plain
    by_rule = {r.rule: r for r in result.routes}
    assert by_rule["/"].status == "assisted"  # a view defined in the factory
    alternatives = [rule for rule in by_rule if rule != "/"]
    assert sorted(alternatives) == [
        "/auth/login", "/auth/logout", "/auth/tokens/token",
        "/bridge/auth/login", "/bridge/auth/logout", "/bridge/auth/tokens/token"]
    for rule in alternatives:
        route = by_rule[rule]
        assert route.status == "manual", rule
        assert route.reasons == [(
            "scan.alternative_registration: `auth` is registered on this app at app.py:28 and "
            "at app.py:30 with different rules; Flask refuses a second registration under one "
            "name, so which one it serves is decided at run time; the route stays on Flask")]
    [warning] = [d for d in result.diagnostics if d.code == ALTERNATIVE]
    assert (warning.severity, warning.line) == ("warning", 30)
    assert "the 6 route(s) of both stay on Flask" in warning.message

    with converted_snippet(tmp_path, "other_auth_app", OTHER_PREFIX, "other_auth_fastapi") as (
            converted, _out, _legacy):
        assert [view.route.rule for view in converted.converted] == ["/"]
        assert sorted(left.route.rule for left in converted.left) == sorted(alternatives)


def test_a_blueprint_registered_twice_on_one_parent_is_an_alternative_too(
        tmp_path: Path) -> None:
    """Flask's check is per `register` call, nested blueprints' too (`api.child`)."""
    root = write_tree(tmp_path / "nested", {"app.py": '''
        import os

        from flask import Blueprint, Flask

        api = Blueprint("api", __name__, url_prefix="/api")
        child = Blueprint("child", __name__)


        @child.get("/ping")
        def ping():
            return "pong"


        if os.environ.get("V2"):
            api.register_blueprint(child, url_prefix="/v2")
        else:
            api.register_blueprint(child, url_prefix="/v1")

        app = Flask(__name__)
        app.register_blueprint(api)
        '''})
    result = scan_path(root)
    assert sorted((r.rule, r.endpoint, r.status) for r in result.routes) == [
        ("/api/v1/ping", "api.child.ping", "manual"), ("/api/v2/ping", "api.child.ping", "manual")]
    [warning] = [d for d in result.diagnostics if d.code == ALTERNATIVE]
    assert "`api.child` is registered on this app at app.py:15" in warning.message
    assert warning.line == 17


def test_statements_written_alike_get_their_own_lines(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "alike", {"app.py": '''
        import os

        from flask import Flask

        app = Flask(__name__)


        def view():
            return "v"


        if os.environ.get("A"): app.add_url_rule("/a", view_func=view)
        else: app.add_url_rule("/a", view_func=view)
        app.add_url_rule("/b", view_func=view, endpoint="b")
        app.add_url_rule("/b", view_func=view, endpoint="b")
        '''})
    result = scan_path(root)
    assert sorted((r.rule, r.line) for r in result.routes) == [
        ("/a", 12), ("/a", 13), ("/b", 14), ("/b", 15)]


def test_apps_the_factory_made_in_two_modules_are_no_alternatives(tmp_path: Path) -> None:
    """`application = create_app()` in wsgi.py and `app = create_app()` in cli.py are two app
    objects: each may register the blueprint (under any prefix) without Flask refusing."""
    root = write_tree(tmp_path / "instances", {
        "pkg/__init__.py": """
            from flask import Flask


            def create_app():
                app = Flask(__name__)
                return app
            """,
        "pkg/views.py": """
            from flask import Blueprint

            bp = Blueprint("pages", __name__)


            @bp.get("/page")
            def page():
                return "page"
            """,
        "pkg/wsgi.py": """
            from pkg import create_app
            from pkg.views import bp

            application = create_app()
            application.register_blueprint(bp, url_prefix="/web")
            """,
        "pkg/cli.py": """
            from pkg import create_app
            from pkg.views import bp

            app = create_app()
            app.register_blueprint(bp, url_prefix="/cli")
            """,
    })
    result = scan_path(root)
    assert sorted((r.rule, r.endpoint) for r in result.routes) == [
        ("/cli/page", "pages.page"), ("/web/page", "pages.page")]
    assert not [d for d in result.diagnostics if d.code == ALTERNATIVE]
    assert not [r for r in result.routes
                if any(reason.startswith(ALTERNATIVE) for reason in r.reasons)]
