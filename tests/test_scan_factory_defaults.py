"""A blueprint prefix the app factory takes as a parameter with a default no call passes.

localtileserver 0.11.0 (PyPI) makes its app with

    def create_app(url_prefix="/"):
        app = Flask(__name__)
        ...
        app.register_blueprint(tileserver, url_prefix=url_prefix)

and production (its `wsgi.py`) calls `create_app()` bare, as the generated package does. The scan
called the prefix unknown (`scan.unresolved_argument`) and kept all of the blueprint's routes on
Flask. Where no call of the factory the scan finds (outside tests), nor the stated
`legacy-app`, passes the parameter, its default is what every app the project makes gets: the
scan now reads it, with an info diagnostic (`scan.factory_default`). A deployment that passes
another prefix in a way no scan sees is still safe: the generated app checks at start-up that
the legacy app serves each converted rule and hands one it does not serve to Flask (the last
test). The ground truth for the rules is the real Flask app.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import listed_rules, registered_endpoints, write_tree

BLUEPRINT = '''
from flask import Blueprint

tiles = Blueprint("tiles", __name__)


@tiles.route("/split/")
def split():
    return {"split": True}
'''

FACTORY = '''
from flask import Flask

from pkg.views import tiles


def create_app(url_prefix="/", debug=False):
    app = Flask(__name__)
    app.debug = debug
    app.register_blueprint(tiles, url_prefix=url_prefix)
    return app
'''


def scanned(tmp_path: Path, files: dict[str, str]):
    root = write_tree(tmp_path, {"pkg/views.py": BLUEPRINT, **files})
    result = scan_path(root)
    codes = {d.code for d in result.diagnostics}
    return result, codes


def test_the_default_of_a_parameter_no_call_passes_is_the_prefix(tmp_path: Path) -> None:
    result, codes = scanned(tmp_path, {
        "pkg/__init__.py": FACTORY,
        "wsgi.py": "from pkg import create_app\n\napp = create_app(debug=True)\n",
        # a test's call makes no app production serves
        "tests/test_app.py": "from pkg import create_app\n\napp = create_app('/t')\n",
    })
    runtime = registered_endpoints(tmp_path, "pkg", lambda pkg: pkg.create_app())
    assert listed_rules(result.routes) == set(runtime.items()) == {("/split/", "tiles.split")}
    assert [route.status for route in result.routes] == ["assisted"]  # (trailing_slash)
    assert "scan.unresolved_argument" not in codes
    [note] = [d for d in result.diagnostics if d.code == "scan.factory_default"]
    assert (note.file, note.line, note.severity) == ("pkg/__init__.py", 9, "info")
    assert "taken as '/', from the defaults of create_app()" in note.message


def test_a_default_read_in_a_computed_prefix_and_a_name(tmp_path: Path) -> None:
    result, _ = scanned(tmp_path, {"pkg/__init__.py": '''
        from flask import Flask

        from pkg.views import tiles

        API = "/api"


        def create_app(version="v2", name="tiles_" + "v2", prefix=API):
            app = Flask(__name__)
            app.register_blueprint(tiles, url_prefix=f"{prefix}/{version}", name=name)
            return app
    '''})
    runtime = registered_endpoints(tmp_path, "pkg", lambda pkg: pkg.create_app())
    assert listed_rules(result.routes) == set(runtime.items()) == {
        ("/api/v2/split/", "tiles_v2.split")}


def test_a_default_of_none_leaves_the_blueprints_own_prefix(tmp_path: Path) -> None:
    result, _ = scanned(tmp_path, {
        "pkg/views.py": BLUEPRINT.replace('__name__)', '__name__, url_prefix="/own")'),
        "pkg/__init__.py": FACTORY.replace('url_prefix="/"', "url_prefix=None"),
    })
    runtime = registered_endpoints(tmp_path, "pkg", lambda pkg: pkg.create_app())
    assert listed_rules(result.routes) == set(runtime.items()) == {("/own/split/", "tiles.split")}


def unresolved(result) -> bool:
    return [route.rule for route in result.routes] == ["<unresolved: url_prefix>/split/"] \
        and [route.status for route in result.routes] == ["manual"]


WSGI = "import pkg\nfrom pkg import create_app\n\nSETTINGS = {}\nARGS = ()\n"

CALLS = [
    'app = create_app("/tiles")',
    'app = create_app(url_prefix="/tiles")',
    'app = pkg.create_app(url_prefix="/tiles")',
    "app = create_app(**SETTINGS)",
    "app = create_app(*ARGS)",
    # calls the facts keep no record of: in a function, with literal arguments only
    'def main():\n    run(create_app(url_prefix="/tiles"))\n',
    # the name passed on, or imported under another: which calls it gets is not seen
    "from flask.cli import FlaskGroup\n\ncli = FlaskGroup(create_app=create_app)\n",
    'from pkg import create_app as make\n\napp = make(url_prefix="/tiles")\n',
]


def test_a_call_that_passes_the_parameter_keeps_it_unknown(tmp_path: Path) -> None:
    for number, code in enumerate(CALLS):
        result, codes = scanned(tmp_path / str(number), {
            "pkg/__init__.py": FACTORY, "wsgi.py": WSGI + code})
        assert unresolved(result), code
        assert "scan.factory_default" not in codes


def test_a_parameter_the_body_binds_again_keeps_it_unknown(tmp_path: Path) -> None:
    result, _ = scanned(tmp_path, {"pkg/__init__.py": FACTORY.replace(
        "    app.register_blueprint", "    url_prefix = url_prefix.rstrip('/') + '/'\n"
                                      "    app.register_blueprint")})
    assert unresolved(result)


def test_a_stated_call_with_arguments_keeps_it_unknown(tmp_path: Path) -> None:
    result, codes = scanned(tmp_path, {
        "pkg/__init__.py": FACTORY,
        "pyproject.toml": '[tool.migrate]\nlegacy-app = "pkg:create_app(\'/tiles\')"\n',
    })
    assert unresolved(result)
    assert "scan.factory_default" not in codes


def test_a_stated_prefix_wins_over_the_default(tmp_path: Path) -> None:
    result, codes = scanned(tmp_path, {
        "pkg/__init__.py": FACTORY,
        "pyproject.toml": '[tool.migrate.blueprint-prefixes]\ntiles = "/tiles"\n',
    })
    assert listed_rules(result.routes) == {("/tiles/split/", "tiles.split")}
    assert "scan.stated_prefix" in codes and "scan.factory_default" not in codes


def test_a_deployment_passing_another_prefix_is_answered_by_flask(tmp_path: Path) -> None:
    files = {"__init__.py": FACTORY.replace("pkg.views", "tile_app.views"),
             "views.py": BLUEPRINT}
    with converted_snippet(tmp_path, "tile_app", files, "tile_fastapi") as (result, _, _):
        assert [view.route.rule for view in result.converted] == ["/split/"]
        import tile_app
        from tile_fastapi.main import create_app

        with TestClient(create_app(tile_app.create_app())) as client:
            assert client.get("/split/").json() == {"split": True}
        # a deployment calling the factory in a way no scan sees
        legacy_app = tile_app.create_app(url_prefix="/tiles")
        app = create_app(legacy_app)
        assert set(app.state.legacy_views_changed) == {"tiles.split"}
        flask_client = legacy_app.test_client()
        with TestClient(app) as client:
            for path in ("/split/", "/tiles/split/"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.get_data()), path
            assert client.get("/tiles/split/").json() == {"split": True}


MADE_IN_FACTORY = '''
from flask import Blueprint, Flask


def create_app(url_prefix="/tiles", name="tiles"):
    app = Flask(__name__)
    tiles = Blueprint(name, __name__, url_prefix=url_prefix)

    @tiles.route("/<int:z>")
    def tile(z):
        return {"z": z}

    app.register_blueprint(tiles)
    return app
'''


def test_a_blueprint_made_in_the_factory_takes_its_defaults(tmp_path: Path) -> None:
    """The same for a blueprint the factory makes from its parameters (planners' note 57)."""
    result, codes = scanned(tmp_path, {"pkg/__init__.py": MADE_IN_FACTORY})
    runtime = registered_endpoints(tmp_path, "pkg", lambda pkg: pkg.create_app())
    assert listed_rules(result.routes) == set(runtime.items()) == {("/tiles/<int:z>",
                                                                    "tiles.tile")}
    assert "scan.unresolved_argument" not in codes
    notes = [d for d in result.diagnostics if d.code == "scan.factory_default"]
    assert [(d.file, d.line) for d in notes] == [("pkg/__init__.py", 6)] * 2
    assert "url_prefix of `tiles`: `url_prefix` is not a constant the scan can read; taken as " \
        "'/tiles', from the defaults of create_app()" in notes[1].message


def test_a_blueprint_made_in_a_factory_some_call_passes_stays_unknown(tmp_path: Path) -> None:
    result, codes = scanned(tmp_path, {
        "pkg/__init__.py": MADE_IN_FACTORY,
        "wsgi.py": 'from pkg import create_app\n\napp = create_app(url_prefix="/t")\n'})
    assert listed_rules(result.routes) == {("<unresolved: url_prefix>/<int:z>", "tiles.tile")}
    assert "scan.unresolved_argument" in codes
