"""Werkzeug converters with arguments: `<any(about, help):page>`, `<string(length=2):cc>`,
`<int(signed=True):n>`, `<int(fixed_digits=4):year>`, `<float(signed=True):x>`.

Such routes stayed on Flask ("no Starlette convertor"), while the scan called them `auto`. Now
one function, `migrator.model.converter_regex`, gives the regex that alone decides what Werkzeug
matches (the proxy's nginx locations use it too); the generated package registers a Starlette
convertor with that regex in `routers/__init__.py`, and the route answers exactly the URLs
Flask's does. A check Werkzeug makes after the match (`min=`, `max=`) has no such regex: that
route stays on Flask, and the scan says `manual`.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from migrator.model import PathParameter, converter_regex
from migrator.scan import scan_path
from migrator.verify.cases import path_samples
from tests.example_support import converted_snippet

SPECS = ["any(about, help)", "any('a.b', \"c-d\", e_f)", "string(length=2)", "string(2)",
         "string(minlength=2, maxlength=4)", "string(maxlength=3)", "int(signed=True)",
         "int(fixed_digits=3)", "int(4)", "float(signed=True)", "int", "float", "string",
         "default", "uuid", "path"]


def werkzeug_matches(spec: str, segment: str) -> bool:
    rule = "/r/<x>" if spec == "default" else f"/r/<{spec}:x>"
    adapter = Map([Rule(rule, endpoint="e")]).bind("localhost")
    try:
        adapter.match(f"/r/{segment}")
    except (NotFound, RequestRedirect):
        return False
    return True


def our_regex(spec: str) -> str:
    converter, _, arguments = spec.partition("(")
    regex = converter_regex(converter, arguments[:-1] if arguments else None)
    assert regex is not None, spec
    return regex


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=st.sampled_from(SPECS),
       segment=st.one_of(
           st.text(alphabet="0123456789-.abcdefhlpu_AF", min_size=1, max_size=8),
           st.from_regex(r"-{0,2}[0-9]{1,5}(\.[0-9]{0,3})?", fullmatch=True),
           st.sampled_from(["about", "help", "helpx", "a.b", "c-d", "e_f", "aXb"])))
def test_the_regex_matches_exactly_what_werkzeug_matches(spec: str, segment: str) -> None:
    """ASCII segments (Werkzeug's `\\d` also takes other Unicode digits; the generated app leaves
    those requests to Flask, through its legacy mount)."""
    ours = re.fullmatch(our_regex(spec), segment) is not None
    assert ours == werkzeug_matches(spec, segment), (spec, segment)


def test_checks_after_the_match_and_unknown_arguments_have_no_regex() -> None:
    for converter, arguments in [("int", "min=1"), ("float", "max=2.5"), ("int", "bogus=1"),
                                 ("int", "fixed_digits=3, signed=True"), ("path", "x"),
                                 ("uuid", "1"), ("any", "'a b'"), ("any", None), ("hex", None),
                                 ("string", "length='x'")]:
        assert converter_regex(converter, arguments) is None, (converter, arguments)


LEGACY = '''
from flask import Flask

app = Flask(__name__)


@app.get("/<any(about, help):page>")
def page(page):
    return {"page": page}


@app.get("/cc/<string(length=2):cc>")
def country(cc):
    return {"cc": cc}


@app.get("/n/<int(signed=True):n>")
def signed(n):
    return {"n": n, "type": type(n).__name__}


@app.get("/year/<int(fixed_digits=4):year>")
def year(year):
    return {"year": year}


@app.get("/min/<int(min=1):m>")
def minimum(m):
    return {"m": m}


@app.get("/f/<float(signed=True):x>")
def fl(x):
    return {"x": x}


@app.get("/name/<string(minlength=2, maxlength=4):name>")
def name(name):
    return {"name": name}


@app.get("/<other>")
def other(other):
    return {"other": other}
'''

PATHS = ["/about", "/help", "/helpx", "/cc/de", "/cc/deu", "/n/-5", "/n/5", "/n/--5",
         "/year/2024", "/year/024", "/year/0024", "/min/0", "/min/3", "/f/-1.5", "/f/1",
         "/name/a", "/name/abcd", "/name/abcde", "/name/%C3%A9%C3%A9", "/n/%D9%A3"]


def test_routes_with_converter_arguments_answer_the_urls_flask_answers(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "converter_app", LEGACY, "converter_fastapi") as (
            result, out, legacy):
        statuses = {route.rule: route.status for route in scan_path(legacy).routes}
        assert statuses["/min/<int(min=1):m>"] == "manual"
        assert {status for rule, status in statuses.items() if "min=" not in rule} == {"auto"}
        assert [(entry.route.rule, entry.reasons) for entry in result.left] == [
            ("/min/<int(min=1):m>", [("converter:int: no Starlette convertor does the same "
                                      "for <int(min=1):m>")])]
        package = (out / "routers" / "__init__.py").read_text()
        assert 'register_rule_convertor("flask_any_' in package
        assert 'r"(?:about|help)", str)' in package
        router = (out / "routers" / "app_routes.py").read_text()
        assert '@router.get("/n/{n:flask_int_' in router
        assert "def signed(n: int):" in router
        import converter_app
        from converter_fastapi.main import create_app

        flask_client = converter_app.app.test_client()
        with TestClient(create_app(converter_app.app)) as client:
            for path in PATHS:
                legacy_answer, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), path
            assert client.get("/n/-5").json() == {"n": -5, "type": "int"}


def test_verify_samples_fit_the_converter() -> None:
    """`migrate verify` asks a converted route with a value its converter takes, another one,
    and one it refuses (before, `<any(about, help):page>` got "x", which Flask never routes)."""
    samples = {(p.converter, p.arguments): path_samples(p) for p in [
        PathParameter("k", "any", "about, help"), PathParameter("cc", "string", "length=2"),
        PathParameter("n", "int", "signed=True"), PathParameter("y", "int", "fixed_digits=4"),
        PathParameter("x", "float", "signed=True")]}
    assert samples == {
        ("any", "about, help"): ("about", "help", "x"),
        ("string", "length=2"): ("xy", "42", "x"),
        ("int", "signed=True"): ("1", "42", "x"),
        ("int", "fixed_digits=4"): ("2024", "0001", "x"),
        ("float", "signed=True"): ("1.5", "-1.5", "x"),
    }
