"""Which decorators Flask applies to a registered view, and what convert keeps of them.

- `add_url_rule("/w", view_func=require_key(view))` (or of `require_key(View.as_view("v"))`)
  registers the *wrapped* view. The converter keeps decorators written on the view only; before
  this test it dropped the wrapper and served `/w` without the key check Flask makes (a route
  reachable with less authentication). Such a route now stays on Flask.
- A decorator written *above* the route decorator wraps the module's name only: Flask registers
  the function as the decorators below it made it. The scan listed it anyway, and the converted
  route checked a key Flask never checks. The scan now lists only the decorators below, and warns
  (`scan.decorator_above_route`) about the one above.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from starlette.testclient import TestClient
from typer.testing import CliRunner

from migrator.cli import app as cli
from migrator.scan import scan_path
from tests.example_support import converted_snippet

LEGACY = '''
import functools

from flask import Flask, abort, request
from flask.views import MethodView

app = Flask(__name__)


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


@require_key
@app.get("/above")
def above():
    return {"above": True}


@app.get("/below")
@require_key
def below():
    return {"below": True}


@app.get("/outer", endpoint="outer")
@require_key
@app.get("/inner")
def stacked():
    return {"stacked": True}


def plain():
    return {"plain": True}


class Things(MethodView):
    def get(self):
        return {"things": []}


app.add_url_rule("/wrapped", view_func=require_key(plain))
app.add_url_rule("/bare", "bare", plain)
app.add_url_rule("/things", view_func=require_key(Things.as_view("things")))
app.add_url_rule("/open-things", view_func=Things.as_view("open_things"))
'''

REQUESTS = ["/above", "/below", "/outer", "/inner", "/wrapped", "/bare", "/things",
            "/open-things"]


def test_the_scan_lists_the_decorators_flask_applies(tmp_path: Path) -> None:
    package = tmp_path / "placement_app"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(LEGACY), encoding="utf-8")
    result = scan_path(package)
    assert {route.rule: route.decorators for route in result.routes} == {
        "/above": [], "/below": ["require_key"], "/outer": ["require_key"], "/inner": [],
        "/wrapped": ["require_key"], "/bare": [], "/things": ["require_key"], "/open-things": [],
    }
    assert [(d.code, d.file, d.line, d.message.split(":")[0]) for d in result.diagnostics] == [
        ("scan.decorator_above_route", "__init__.py", 20,
         "@require_key is above @app.get(...) on `above`"),
        ("scan.decorator_above_route", "__init__.py", 33,
         "@require_key is above @app.get(...) on `stacked`"),
    ]

    shown = CliRunner().invoke(cli, ["scan", str(package)])
    # not a terminal: no colour, and no markup printed as text
    assert "warning __init__.py:20: [scan.decorator_above_route] @require_key" in shown.output
    assert "[yellow]" not in shown.output


def test_converted_routes_check_exactly_what_flask_checks(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "placement_app", LEGACY, "placement_fastapi") as (
            result, _out, _legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/above", "/bare", "/below", "/inner", "/open-things", "/outer"]
        assert sorted(entry.route.rule for entry in result.left) == ["/things", "/wrapped"]
        for entry in result.left:
            assert entry.reasons[0].startswith(
                "convert.wrapped_at_registration: the view is registered wrapped in @require_key")
        import placement_app
        from placement_fastapi.main import create_app

        flask_client = placement_app.app.test_client()
        with TestClient(create_app(placement_app.app)) as client:
            for path in REQUESTS:
                for headers in ({}, {"X-Key": "k"}):
                    legacy_answer = flask_client.get(path, headers=headers)
                    new = client.get(path, headers=headers)
                    assert (new.status_code, new.content) == (
                        legacy_answer.status_code, legacy_answer.data), (path, headers)
        # the check really is there: without the key, /wrapped and /things refuse
        assert flask_client.get("/wrapped").status_code == 401
        assert flask_client.get("/things").status_code == 401
