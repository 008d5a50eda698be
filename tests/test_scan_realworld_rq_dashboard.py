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

Checked by hand (not in CI: it needs a Redis server): with that one registration edited to
`url_prefix=""`, all 19 rules convert (18 assisted, 1 auto), the package passes the lint check
but for the legacy views' own findings, and on 22 paths with GET and HEAD plus 7 POSTs against
a seeded Redis the converted app answered as rq-dashboard (status, `Location`, content type,
`Cache-Control`, body), the defaults redirect of `/0/` to `/` and its 500s included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.convert.run import convert_project
from migrator.scan import scan_path
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
    assert warnings == [("scan.unresolved_argument", "cli.py", 53)]


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
