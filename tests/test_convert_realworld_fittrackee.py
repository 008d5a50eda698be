"""fittrackee (PyPI, 1.3.6): every API route guarded by an instance used as a decorator factory.

`require_auth = CustomResourceProtector()` (fittrackee/oauth2/server.py); its class's own
`__call__(self, scopes=None, *, role=None, ...)` returns the decorator, whose `functools.wraps`
wrapper checks the JWT or OAuth2 token and calls the view with the user first:
`@require_auth(scopes=["workouts:read"])` above `def get_workouts(auth_user)`. The scan named
it "from an unresolved name" and kept the 113 routes it guards on Flask; it reads it now, a
guard that hands the view an argument (FM025), which stays on the converted view, inside the
bridge, so the token is checked as in Flask. fittrackee is not run here (its dependencies are
many, its database PostgreSQL); converted, its package passes the lint check but for the
`from typing import Dict` that its views' annotations need, which the legacy modules hold too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.lint_support import new_lint_findings, ruff_findings
from tests.realworld import (  # noqa: F401 (fixtures)
    fittrackee_package,
    functions_called_decorated,
    realworld_cache,
)


def test_fittrackee_routes_keep_their_token_check_and_convert(
        fittrackee_package: Path,  # noqa: F811 (the fixture)
        tmp_path: Path) -> None:
    root = fittrackee_package.parent
    scan = scan_path(root)
    assert len(scan.routes) == 135
    guarded = [route for route in scan.routes
               if any(d.name == "require_auth" for d in route.decorator_details)]
    written = functions_called_decorated(fittrackee_package,
                                         lambda callee: callee == "require_auth")
    assert {route.function for route in guarded} == {name for _, name in written}
    assert len(guarded) == 113
    for route in guarded:
        [auth] = [d for d in route.decorator_details if d.name == "require_auth"]
        assert (auth.qualified, auth.shape, auth.reads_arguments) == (
            "fittrackee.oauth2.server.require_auth", "guard", True), route.endpoint
        assert any(reason.startswith("FM025 decorator:require_auth")
                   for reason in route.reasons), route.endpoint
    assert {route.status for route in scan.routes} == {"assisted"}

    out = tmp_path / "fittrackee_fastapi"
    result = convert_project(root, out)
    assert len(result.converted) == 135 and not result.left
    routers = "\n".join(path.read_text(encoding="utf-8")
                        for path in sorted((out / "routers").glob("*.py")))
    assert routers.count("\n@require_auth(") == 113
    # `def get_map(map_id: int)` on `/workouts/map/<map_id>`, whose ids are hex strings
    # (`fa33f4d996844a5c73ecd1ae24456ab8`): Flask passes the text; FastAPI validated it as an
    # int, a 422 for every map (FM001 now gives the converter's type)
    assert "\ndef get_map(map_id: str) -> Union[HttpResponse, Response]:\n" in routers
    for path in out.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"))
    findings = new_lint_findings(out, root, "fittrackee")
    assert findings and all(" UP035 " in finding for finding in findings), findings
    legacy_typing_imports = {finding["message"] for finding in ruff_findings(
        sorted(fittrackee_package.rglob("*.py")), "fittrackee", root)
        if finding["code"] == "UP035"}
    assert {finding.split(" UP035 ", 1)[1] for finding in findings} <= legacy_typing_imports
