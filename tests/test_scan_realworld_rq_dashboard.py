"""rq-dashboard (PyPI, 0.9.0): a blueprint whose URL prefix is a deployment setting.

rq-dashboard's app is made by `make_flask_app(config, username, password, url_prefix)`, which
does `app.register_blueprint(blueprint, url_prefix=url_prefix)`. Both callers pass what is only
known when the dashboard starts: the `--url-prefix` option of its command line (`cli.run`), or
an environment variable (`app.create_app`). No static scan can know the prefix, so:

- the scan lists each of the blueprint's 19 rules with `<unresolved: url_prefix>` in front, and
  everything after it is exactly the app's `url_map`, whatever prefix the dashboard is started
  with (checked here for none and for `/rq`);
- every route stays on Flask (`manual`), with the reason and a `scan.unresolved_argument`
  warning at the registration; `migrate convert` emits none of them. Guessing "no prefix"
  would put converted routes at paths the deployed dashboard does not serve.

A project that serves the dashboard with no prefix states so in its `pyproject.toml`
(`[tool.migrate.blueprint-prefixes] rq_dashboard = ""`): then all but the blueprint's static route
convert, the package passes the lint check but for the legacy views' own findings, imports and
builds its OpenAPI schema around `make_flask_app(None, None, None, "")`, and around a dashboard
made with `/rq` instead the start-up check hands every converted route to Flask. Stating that
call too (`[tool.migrate] legacy-app`), the package makes the dashboard itself: `uvicorn
rq_fastapi.main:app` serves it.

Checked by hand (not in CI: it needs a Redis server): so converted, on 22 paths with GET and
HEAD plus 7 POSTs against a seeded Redis the converted app answered as rq-dashboard (status,
`Location`, content type, `Cache-Control`, body), the defaults redirect of `/0/` to `/` and its
500s included.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.lint_support import new_lint_findings
from tests.realworld import realworld_cache, rq_dashboard_site  # noqa: F401 (fixtures)
from tests.runtime_urlmap import route_key, runtime_app_info

UNKNOWN_PREFIX = "<unresolved: url_prefix>"


@pytest.mark.parametrize("prefix", ["", "/rq"])
def test_every_rule_is_listed_with_its_prefix_unknown(
        rq_dashboard_site: Path, prefix: str) -> None:  # noqa: F811 (the fixture)
    result = scan_path(rq_dashboard_site / "rq_dashboard")
    assert len(result.routes) == 19
    assert all(route.rule.startswith(UNKNOWN_PREFIX) for route in result.routes)
    scanned = {route_key(prefix + route.rule.removeprefix(UNKNOWN_PREFIX), route.methods,
                         route.endpoint) for route in result.routes}
    _, runtime = runtime_app_info(f"rq_dashboard.cli:make_flask_app(None, None, None, {prefix!r})",
                                  pythonpath=[rq_dashboard_site])
    assert scanned == {route_key(r.rule, r.methods, r.endpoint) for r in runtime}

    assert {route.status for route in result.routes} == {"manual"}
    warnings = [(d.code, d.file, d.line) for d in result.diagnostics if d.severity == "warning"]
    # (its command line's `run()` sets the Redis URL on the app it makes, then serves it:
    # the app the package loads lacks that setup)
    assert warnings == [("scan.unresolved_argument", "cli.py", 53),
                        ("scan.app_set_up_where_run", "cli.py", 211)]


def test_no_route_converts_while_the_prefix_is_unknown(
        rq_dashboard_site: Path, tmp_path: Path) -> None:  # noqa: F811 (the fixture)
    result = convert_project(rq_dashboard_site / "rq_dashboard", tmp_path / "rq_fastapi")
    assert not result.converted
    assert len(result.left) == 19
    # the blueprint's static route is never converted; the others are left for the prefix
    assert all(reason.startswith("scan.unresolved_registration: the url_prefix of "
                                 "register_blueprint of 'rq_dashboard' (cli.py:53)")
               for left in result.left for reason in left.route.reasons[:1])
    assert sorted(left.reasons[0].split(":")[0] for left in result.left) == \
        ["convert.kind_static"] + ["scan.unresolved_registration"] * 18


PROBE = textwrap.dedent('''
    import json, sys, warnings
    warnings.simplefilter("ignore")
    from rq_dashboard.cli import make_flask_app
    from rq_fastapi.main import create_app

    found = {}
    for prefix in ("", "/rq"):
        app = create_app(make_flask_app(None, None, None, prefix))
        found[prefix] = {"paths": len(app.openapi()["paths"]),
                         "changed": sorted(app.state.legacy_views_changed)}
    from rq_fastapi.main import app  # made by the package itself, with the stated call
    found["served"] = {"paths": len(app.openapi()["paths"]),
                       "changed": sorted(app.state.legacy_views_changed),
                       "rules": sorted(rule.rule for rule in app.state.legacy_flask_app.url_map
                                       .iter_rules())[:2]}
    print(json.dumps(found))
''')


def test_with_the_prefix_stated_the_routes_convert(
        rq_dashboard_site: Path, tmp_path: Path) -> None:  # noqa: F811 (the fixture)
    project = tmp_path / "project"
    shutil.copytree(rq_dashboard_site / "rq_dashboard", project / "rq_dashboard")
    (project / "pyproject.toml").write_text(
        '[tool.migrate]\nlegacy-app = "rq_dashboard.cli:make_flask_app(None, None, None, \'\')"\n'
        '\n[tool.migrate.blueprint-prefixes]\nrq_dashboard = ""\n', encoding="utf-8")
    scan = scan_path(project / "rq_dashboard")
    assert not [route.rule for route in scan.routes if route.rule.startswith(UNKNOWN_PREFIX)]
    assert [(d.code, d.file, d.line) for d in scan.diagnostics if d.code.startswith("scan.stated")] \
        == [("scan.stated_prefix", "cli.py", 53), ("scan.stated_app", "cli.py", 37)]

    out = tmp_path / "generated" / "rq_fastapi"
    result = convert_project(project / "rq_dashboard", out)
    assert len(result.converted) == 18
    assert [left.route.endpoint for left in result.left] == ["rq_dashboard.static"]
    assert not new_lint_findings(out, project, "rq_dashboard")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(out.parent), str(project),
                                                          str(rq_dashboard_site)])})
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    endpoints = sorted({view.route.endpoint for view in result.converted})
    assert found[""] == {"paths": 18, "changed": []}
    # deployed under another prefix, Flask answers all 18, and the schema documents none of them
    assert found["/rq"] == {"paths": 0, "changed": endpoints}
    assert found["served"] == {"paths": 18, "changed": [], "rules": ["/", "/<int:instance_number>/"]}
