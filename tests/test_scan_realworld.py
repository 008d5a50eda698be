"""Static scan vs. runtime ``url_map`` on this repository's example app and on real apps
downloaded from PyPI.

For the example app, httpbin and the Flask tutorial (flaskr) the set of
``(rule, methods - {HEAD, OPTIONS}, endpoint)`` found by ``scan_path(root)`` must
EQUAL the app's runtime url_map, built in a subprocess.

The one honest exception: routes that exist at runtime only because third-party
code registers them while the app runs (httpbin's flasgger adds its own Swagger UI /
apispec blueprint).  They are found at runtime -- the module that created the route
(the view function's ``__module__``, or the blueprint's ``import_name`` for a
blueprint's static route) lives outside the app's own source tree -- never from a
hard-coded list, and the tests check that this set is small, non-empty where
expected and empty where not.  Every route defined in the app's own source must
match exactly; a scanned route that collides with an excluded one still fails.

httpbin and flaskr need network access to PyPI: they fail (do not skip) without it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent

from tests import realworld
from tests.realworld import flaskr_app, httpbin_app, realworld_cache  # noqa: F401 (fixtures)

REPO = _HERE.parent
EXAMPLES = REPO / "examples"

APPS = ["example", "httpbin", "flaskr"]


@pytest.fixture(scope="session")
def example_app(tmp_path_factory: pytest.TempPathFactory) -> realworld.RealWorldApp:
    """This repository's example app, built with `create_app(config)` (PYTHONPATH=examples)."""
    tmp = tmp_path_factory.mktemp("legacy-app")
    app_dir = EXAMPLES / "legacy_flask_app"
    return realworld.RealWorldApp(
        name="legacy_flask_app",
        version="repo",
        scan_root=app_dir,
        own_root=app_dir,
        app_spec="legacy_flask_app:create_app",
        pythonpath=(EXAMPLES,),
        # the app's files (SQLite database, uploads) stay out of the repository
        config={"TESTING": True, "DATABASE": str(tmp / "legacy.sqlite3"),
                "UPLOAD_FOLDER": str(tmp / "uploads")},
        expect_third_party=False,
    )


@pytest.fixture(scope="module", params=APPS)
def app(request: pytest.FixtureRequest) -> realworld.RealWorldApp:
    return request.getfixturevalue(f"{request.param}_app")


@pytest.fixture(scope="module")
def runtime(app: realworld.RealWorldApp) -> realworld.RuntimeSplit:
    return realworld.runtime_split(app)


@pytest.fixture(scope="module")
def scan(app: realworld.RealWorldApp) -> dict:
    return realworld.scan_json(app.scan_root)


# ------------------------------------------------------------- runtime side only


def test_runtime_url_map_builds(app, runtime) -> None:
    assert runtime.own, f"{app.name}: the runtime url_map has no routes of the app's own"
    if app.name == "httpbin":
        # The app ran on the Flask inside the isolated --target dir, not the project's.
        target = app.pythonpath[0].resolve()
        assert Path(runtime.info["flask_file"]).resolve().is_relative_to(target), runtime.info
        assert runtime.info["app_import_name"] == "httpbin.core", runtime.info


def test_third_party_routes_are_few_and_expected(app, runtime) -> None:
    """httpbin: flasgger registers a handful of routes (Swagger UI, spec, static,
    oauth2 redirect) at runtime; flaskr: none.  Computed at runtime, not listed."""
    realworld.check_third_party(app, runtime.routes, runtime.third_party)


# ---------------------------------------------------------------- scan vs runtime


def test_scan_routes_equal_runtime_url_map(app, scan, runtime) -> None:
    realworld.check_third_party(app, runtime.routes, runtime.third_party)
    realworld.check_scan_equals_runtime(app.name, scan["routes"], runtime.own, runtime.third_party)


def test_scan_reports_no_errors(app, scan) -> None:
    realworld.check_no_errors(app.name, scan)


def test_route_file_and_line_point_at_the_route(app, scan) -> None:
    assert scan["routes"], f"{app.name}: the scan found no routes at all"
    realworld.check_route_locations(app.name, app.scan_root, scan["routes"])


def test_scan_root_in_json(app, scan) -> None:
    assert Path(scan["root"]).resolve() == app.scan_root.resolve(), scan["root"]


def test_cli_json_matches_api(request: pytest.FixtureRequest) -> None:
    """``python -m migrator scan ROOT --format json`` prints the API's routes."""
    flaskr = request.getfixturevalue("flaskr_app")
    proc = subprocess.run(
        [sys.executable, "-m", "migrator", "scan", str(flaskr.scan_root), "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\n--- stderr ---\n{proc.stderr}"
    cli = json.loads(proc.stdout)
    api = realworld.scan_json(flaskr.scan_root)
    assert realworld.scan_route_keys(cli["routes"]) == realworld.scan_route_keys(api["routes"])
