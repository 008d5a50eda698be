"""Blueprints a factory takes from its caller, as a list it may extend.

lemur (PyPI, 1.9.3) makes its app in `lemur/factory.py`:

    def create_app(app_name=None, blueprints=None, config=None):
        if not blueprints:
            blueprints = DEFAULT_BLUEPRINTS
        else:
            blueprints = blueprints + DEFAULT_BLUEPRINTS
        ...
        configure_blueprints(app, blueprints)  # for blueprint in blueprints: register...

called by `lemur.create_app()` as `factory.create_app(..., blueprints=LEMUR_BLUEPRINTS, ...)`.
The scan read `blueprints` in the loop as the last binding, `blueprints + DEFAULT_BLUEPRINTS`,
which it did not read as a list: it listed 1 of lemur's 66 routes (the default blueprint's, from
the other arm) and warned that 16 blueprints are never registered.

A list a loop goes over is now read as every sequence it may be: each binding a read there may
see, a concatenation (`a + b`), `a or b`, and for a parameter what every call of the function
passes for it (or its default; `None` gives nothing). Where it may be several, every item of
them is registered, as a registration in one arm of an `if` is listed. The ground truth is the
real Flask app, built as its production module builds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import describe_difference, scanned_keys, write_tree


def _blueprint(name: str) -> str:
    return f'''
from flask import Blueprint

mod = Blueprint("{name}", __name__)


@mod.route("/{name}")
def index():
    return {{"{name}": True}}
'''


BLUEPRINTS = {f"pkg/{name}.py": _blueprint(name) for name in ("users", "roles", "health")}

LEMUR_FACTORY = {
    **BLUEPRINTS,
    "pkg/__init__.py": '''
from pkg import factory
from pkg.roles import mod as roles_bp
from pkg.users import mod as users_bp

PKG_BLUEPRINTS = (users_bp, roles_bp)


def create_app(config_path=None):
    app = factory.create_app(app_name=__name__, blueprints=PKG_BLUEPRINTS, config=config_path)
    return app
''',
    "pkg/factory.py": '''
from flask import Flask

from pkg.health import mod as health

DEFAULT_BLUEPRINTS = (health,)
API_VERSION = 1


def create_app(app_name=None, blueprints=None, config=None):
    if not blueprints:
        blueprints = DEFAULT_BLUEPRINTS
    else:
        blueprints = blueprints + DEFAULT_BLUEPRINTS
    app = Flask(app_name)
    configure_blueprints(app, blueprints)
    return app


def configure_blueprints(app, blueprints):
    for blueprint in blueprints:
        app.register_blueprint(blueprint, url_prefix=f"/api/{API_VERSION}")
''',
}

# the factory gives a default for what its one caller does not pass, and loops itself
DEFAULT_OR_PASSED = {
    **BLUEPRINTS,
    "pkg/__init__.py": "",
    "pkg/factory.py": '''
from flask import Flask

from pkg.health import mod as health

DEFAULT_BLUEPRINTS = [health]


def create_app(blueprints=None):
    app = Flask(__name__)
    blueprints = blueprints or DEFAULT_BLUEPRINTS
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app
''',
    "pkg/wsgi.py": '''
from pkg import roles, users
from pkg.factory import create_app

app = create_app([users.mod, roles.mod])
''',
}

# fbone's shape: `if blueprints is None`, and the caller passes nothing
FBONE_DEFAULT = {
    **BLUEPRINTS,
    "pkg/__init__.py": "",
    "pkg/factory.py": '''
from flask import Flask

from pkg import health, users

DEFAULT_BLUEPRINTS = (health.mod, users.mod)


def create_app(config=None, app_name=None, blueprints=None):
    if blueprints is None:
        blueprints = DEFAULT_BLUEPRINTS
    app = Flask(app_name or __name__)
    configure_blueprints(app, blueprints)
    return app


def configure_blueprints(app, blueprints):
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
''',
    "pkg/wsgi.py": '''
from pkg.factory import create_app

app = create_app()
''',
}


@pytest.mark.parametrize(("files", "app_spec", "expected"), [
    (LEMUR_FACTORY, "pkg:create_app", {"/api/1/users", "/api/1/roles", "/api/1/health"}),
    (DEFAULT_OR_PASSED, "pkg.wsgi:app", {"/users", "/roles"}),
    (FBONE_DEFAULT, "pkg.wsgi:app", {"/health", "/users"}),
], ids=["lemur", "or-default", "fbone"])
def test_blueprints_a_factory_takes_from_its_caller_are_listed(
        tmp_path: Path, files: dict[str, str], app_spec: str, expected: set[str]) -> None:
    root = write_tree(tmp_path, files)
    runtime = runtime_url_map(app_spec, pythonpath=[root])
    assert {rule for rule, _, _ in runtime} == expected  # what Flask builds
    scanned = scanned_keys(root)
    assert scanned == runtime, describe_difference(scanned, runtime)


def test_a_list_extended_in_one_arm_lists_the_items_of_both(tmp_path: Path) -> None:
    """`blueprints = blueprints + [roles.mod]` under `if extra:`: the loop may go over either
    list, so the items of both are registered; which one Flask serves is decided at run time
    (the app built with `extra=True` has them all). Before, the scan read the last binding only,
    the concatenation, which it could not read: nothing was registered."""
    root = write_tree(tmp_path, {
        **BLUEPRINTS,
        "pkg/__init__.py": "",
        "pkg/app.py": '''
from flask import Flask

from pkg import health, roles, users


def register(app, blueprints):
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def create_app(extra=False):
    app = Flask(__name__)
    blueprints = [users.mod, health.mod]
    if extra:
        blueprints = blueprints + [roles.mod]
    register(app, blueprints)
    return app
''',
    })
    runtime = runtime_url_map("pkg.app:create_app(True)", pythonpath=[root])
    assert {rule for rule, _, _ in runtime} == {"/users", "/health", "/roles"}
    scanned = scanned_keys(root)
    assert scanned == runtime, describe_difference(scanned, runtime)


def test_the_generated_app_loads_the_app_through_the_function_around_the_factory(
        tmp_path: Path) -> None:
    """lemur's `lemur.create_app()` calls `factory.create_app(..., blueprints=...)`, the function
    that makes the Flask object, and returns its app. The generated package loaded the legacy app
    with a bare `factory.create_app()`, which has none of the blueprints it is given: every
    converted route would have met a legacy app without its view. The scan names the function
    around the factory (`App.wrapping_factory`), and the generated package calls it."""
    from starlette.testclient import TestClient

    from migrator.scan import scan_path
    from tests.example_support import converted_snippet

    root = write_tree(tmp_path / "scan", LEMUR_FACTORY)
    [app] = scan_path(root).apps
    assert (app.key, app.wrapping_factory) == ("pkg.factory:create_app.app", "pkg:create_app")
    files = {name.removeprefix("pkg/"): source.replace("from pkg", "from lemur_like")
             for name, source in LEMUR_FACTORY.items()}
    with converted_snippet(tmp_path, "lemur_like", files, "lemur_like_fastapi") as (
            result, out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/api/1/health", "/api/1/roles", "/api/1/users"]
        main = (out / "main.py").read_text(encoding="utf-8")
        assert "from lemur_like import create_app" in main
        import lemur_like
        from lemur_like_fastapi.main import create_app

        flask_client = lemur_like.create_app().test_client()
        with TestClient(create_app()) as client:  # the legacy app it loads itself
            for path in ("/api/1/users", "/api/1/roles", "/api/1/health", "/api/1/nothing"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path


def test_a_function_that_only_picks_a_configuration_is_not_the_app_to_load(
        tmp_path: Path) -> None:
    """privacyidea's `create_silent_app()` (for its command line) returns `create_app(
    config_name="production", silent=True)`: the factory's routes, another configuration. The
    generated package keeps calling the factory itself."""
    from migrator.scan import scan_path

    root = write_tree(tmp_path, {**BLUEPRINTS, "pkg/__init__.py": "", "pkg/app.py": '''
from flask import Flask

from pkg import users


def create_app(config_name="development", silent=False):
    app = Flask(__name__)
    app.config["NAME"] = config_name
    app.register_blueprint(users.mod)
    return app
''', "pkg/cli.py": '''
from pkg.app import create_app


def create_silent_app():
    app = create_app(config_name="production", silent=True)
    return app
'''})
    [app] = scan_path(root).apps
    assert (app.factory, app.wrapping_factory) == ("create_app", None)


UDATA_STANDALONE = {
    **BLUEPRINTS,
    "pkg/__init__.py": "",
    "pkg/app.py": '''
from flask import Flask


def create_app():
    """A minimal app: the routes come with `standalone`."""
    app = Flask(__name__)
    return app


def standalone(app):
    from pkg import api
    api.init_app(app)
    return app
''',
    "pkg/api.py": '''
from pkg import health, users


def init_app(app):
    app.register_blueprint(users.mod)
    app.register_blueprint(health.mod, url_prefix="/api")
''',
}


@pytest.mark.parametrize("wsgi", [
    "app = standalone(create_app())",
    "app = create_app()\nstandalone(app)",
    "application = standalone(app=create_app())",
], ids=["call-passed-on", "name-passed-on", "keyword"])
def test_an_app_passed_on_in_a_module_that_names_nothing_of_flask(
        tmp_path: Path, wsgi: str) -> None:
    """udata (PyPI, 17.18): `udata/wsgi.py` is `app = standalone(create_app())`, and
    `standalone(app)` calls `api.init_app(app)`, which registers the API's blueprints. wsgi.py
    names nothing of Flask's, so the pre-filter skipped it, and it was parsed only after the
    scan had followed the apps passed to project functions; nor did the scan follow an app
    passed as the call of its factory. It listed 17 of udata's 229 routes and warned that the
    API blueprints (185 and 23 routes) are registered on a parameter no call passes."""
    root = write_tree(tmp_path, {**UDATA_STANDALONE, "pkg/wsgi.py": (
        f"from pkg.app import create_app, standalone\n\n{wsgi}\n")})
    variable = wsgi.split("\n")[0].split(" = ")[0]
    runtime = runtime_url_map(f"pkg.wsgi:{variable}", pythonpath=[root])
    assert {rule for rule, _, _ in runtime} == {"/users", "/api/health"}  # what Flask builds
    scanned = scanned_keys(root)
    assert scanned == runtime, describe_difference(scanned, runtime)
