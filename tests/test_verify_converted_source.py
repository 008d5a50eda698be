"""Where the legacy app runs from an installed package, the statements beside a reviewed copy.

A team converts a copy of the legacy source (with a `pyproject.toml` stating the prefixes the
deployment uses) while the app itself runs from the package installed in a virtualenv. The
installed package is not covered by any `pyproject.toml` above `site-packages` (a virtualenv
made inside some project folder would otherwise lend that project's statements to every package
installed in it), and `migrate verify` reads the routes from the source the package was
converted from, which the manifest records, so it finds every converted route.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from migrator.cli import app as cli_app
from migrator.convert.output import read_manifest_metadata
from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.example_support import forget_package
from tests.test_stated_prefixes import LEGACY

STATED = '''
[tool.migrate.blueprint-prefixes]
shop = "/v1"
"shop.reports" = "/r"
'''


def _package(folder: Path) -> Path:
    package = folder / "shop_app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(LEGACY), encoding="utf-8")
    return package


def test_no_pyproject_above_site_packages_applies_to_an_installed_package(
        tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(STATED, encoding="utf-8")
    installed = _package(tmp_path / "venv" / "lib" / "python3" / "site-packages")
    assert {r.rule for r in scan_path(installed).routes} == {
        "<unresolved: url_prefix>/items",
        "<unresolved: url_prefix>/<unresolved: url_prefix>/daily", "/fixed/here"}
    # the same source outside an install folder takes them
    assert {r.rule for r in scan_path(_package(tmp_path / "src")).routes} == {
        "/v1/items", "/v1/r/daily", "/fixed/here"}


def test_verify_reads_the_routes_from_the_source_the_package_was_converted_from(
        tmp_path: Path) -> None:
    reviewed = _package(tmp_path / "review")
    (tmp_path / "review" / "pyproject.toml").write_text(STATED, encoding="utf-8")
    site_packages = tmp_path / "venv" / "lib" / "python3" / "site-packages"
    installed = _package(site_packages)
    out = tmp_path / "generated" / "shop_fastapi"
    result = convert_project(reviewed, out)
    assert sorted(view.route.rule for view in result.converted) == [
        "/fixed/here", "/v1/items", "/v1/r/daily"]
    assert read_manifest_metadata(out)["source"] == "../../review/shop_app"

    roots = [str(site_packages), str(tmp_path / "generated")]
    sys.path[:0] = roots
    try:
        done = CliRunner().invoke(cli_app, [
            "verify", "--legacy", "shop_app:create_app", "--new", "shop_fastapi.main:app",
            "--format", "json", "--state", str(tmp_path / "none.toml")])
        assert sys.modules["shop_app"].__file__ == str(installed / "__init__.py")
    finally:
        for root in roots:
            sys.path.remove(root)
        forget_package("shop_app")
        forget_package("shop_fastapi")
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert [(r["endpoint"], r["ok"]) for r in report["routes"]] == [
        ("fixed.here", True), ("shop.items", True), ("shop.reports.daily", True)]
    assert any(f"read from the source the package was converted from, {reviewed}" in note
               for note in report["notes"]), report["notes"]
