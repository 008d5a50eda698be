"""Static scan vs. runtime ``url_map`` on the repo's example app.

``scan_path(examples/legacy_flask_app)`` must find exactly the
``(rule, methods - {HEAD, OPTIONS}, endpoint)`` set of the app that
``legacy_flask_app.create_app(config)`` builds (in a subprocess, with
``PYTHONPATH=examples``).  Routes that third-party extensions register while the
app runs are the only exception; they are identified at runtime by the module
that created them (outside ``examples/legacy_flask_app``) and must stay few.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent

from tests import realworld

REPO = _HERE.parent
EXAMPLES = REPO / "examples"
APP_DIR = EXAMPLES / "legacy_flask_app"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> realworld.RealWorldApp:
    assert (APP_DIR / "__init__.py").is_file(), (
        f"{APP_DIR}/__init__.py does not exist: the example app is missing"
    )
    tmp = tmp_path_factory.mktemp("legacy-app")
    # Keep the app's files (sqlite DB, uploads) out of the repo.
    config = {
        "TESTING": True,
        "DATABASE": str(tmp / "legacy.sqlite3"),
        "UPLOAD_FOLDER": str(tmp / "uploads"),
    }
    return realworld.RealWorldApp(
        name="legacy_flask_app",
        version="repo",
        scan_root=APP_DIR,
        own_root=APP_DIR,
        app_spec="legacy_flask_app:create_app",
        pythonpath=(EXAMPLES,),
        config=config,
        expect_third_party=None,
    )


@pytest.fixture(scope="module")
def runtime(app: realworld.RealWorldApp) -> realworld.RuntimeSplit:
    return realworld.runtime_split(app)


@pytest.fixture(scope="module")
def scan(app: realworld.RealWorldApp) -> dict:
    return realworld.scan_json(app.scan_root)


def test_runtime_url_map_builds(app, runtime) -> None:
    assert runtime.own, f"{app.name}: the runtime url_map has no routes of the app's own"


def test_third_party_routes_are_few(app, runtime) -> None:
    realworld.check_third_party(app, runtime.routes, runtime.third_party)


def test_scan_routes_equal_runtime_url_map(app, scan, runtime) -> None:
    realworld.check_third_party(app, runtime.routes, runtime.third_party)
    realworld.check_scan_equals_runtime(app.name, scan["routes"], runtime.own, runtime.third_party)


def test_scan_reports_no_errors(app, scan) -> None:
    realworld.check_no_errors(app.name, scan)


def test_route_file_and_line_point_at_the_route(app, scan) -> None:
    assert scan["routes"], f"{app.name}: the scan found no routes at all"
    realworld.check_route_locations(app.name, app.scan_root, scan["routes"])
