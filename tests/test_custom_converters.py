"""URL converters an app registers itself: `app.url_map.converters["uuid_str"] = Cls`.

Such routes stayed on Flask ("no Starlette convertor"): changedetection.io's `<uuid_str:uuid>`
kept 34 routes there, sqlite-web's `<b64:pk>` three. Werkzeug runs the converter's `to_python`
while it matches: it may refuse the value (Werkzeug then tries the other rules: another view,
404, 405) or give the view another value (a lowercased UUID, a list). No FastAPI path
expression can do that, so the converted route lets the legacy URL map decide at run time:
the scan records the registration and the class's regex (what FastAPI matches first), the view
takes its value from `request.view_args`, and a request the map refuses or routes elsewhere
gets Flask's answer. These tests send the same requests to Flask and to the generated app.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
from starlette.testclient import TestClient

from migrator.model import BUILT_IN_CONVERTERS, ONE_SEGMENT, CustomConverter, PathParameter
from migrator.scan import scan_path
from migrator.verify.cases import path_samples
from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.test_cli_scan import SCHEMA

LEGACY = '''
from uuid import UUID

from flask import Flask, abort, current_app, request
from werkzeug.routing import BaseConverter, ValidationError

app = Flask(__name__)
app.config["SUFFIX"] = "!"


class StrictUUIDConverter(BaseConverter):
    """changedetection.io's: a UUID written the canonical way, or the sentinel `first`."""

    def to_python(self, value):
        if value == "first":
            return value
        try:
            parsed = UUID(value)
        except ValueError as e:
            raise ValidationError() from e
        if str(parsed) != value.lower():
            raise ValidationError()
        return str(parsed)

    def to_url(self, value):
        return str(value)


class ListConverter(BaseConverter):
    """Flask's documentation's: comma-separated words."""

    regex = r"[a-z]+(?:,[a-z]+)*"

    def to_python(self, value):
        return value.split(",")

    def to_url(self, values):
        return ",".join(values)


class ShoutConverter(BaseConverter):
    def to_python(self, value):
        if value == "quiet":
            abort(404, "no shouting here")
        return value.upper() + current_app.config["SUFFIX"]


class SignedInt(BaseConverter):
    regex = r"-?\\d+"

    def to_python(self, value):
        return int(value)


app.url_map.converters["uuid_str"] = StrictUUIDConverter
app.url_map.converters["list"] = ListConverter
app.url_map.converters["shout"] = ShoutConverter
app.url_map.converters["int"] = SignedInt


class QuotedConverter(BaseConverter):
    regex = '[^/"]+'


app.url_map.converters["quoted"] = QuotedConverter

@app.errorhandler(404)
def not_found(error):
    return {"error": "not found", "description": error.description}, 404


@app.get("/watch/<uuid_str:uuid>")
def watch(uuid):
    """One watch."""
    return {"uuid": uuid, "args": request.view_args}


@app.get("/watch/new")
def new_watch():
    return {"new": True}


@app.get("/item/<uuid_str:uuid>")
def item_by_uuid(uuid: str):
    return {"by": "uuid", "uuid": uuid}


@app.get("/item/<name>")
def item_by_name(name):
    return {"by": "name", "name": name}


@app.route("/tags/<list:tags>", methods=["GET", "POST"])
def tags(tags):
    return {"tags": tags, "count": len(tags), "method": request.method}


@app.get("/shout/<shout:word>")
def shout(word):
    return {"word": word}


@app.get("/shout/loud")
def loud():
    return {"loud": True}


@app.get("/n/<int:n>")
def number(n):
    return {"n": n, "type": type(n).__name__}


@app.get("/q/<quoted:q>")
def quoted(q):
    return {"q": q}


@app.get("/raw/<uuid_str:uuid>")
def raw(uuid):
    return {"raw": True}
'''

VALID = "5f0e7a38-1c5b-4c39-9d0e-3a4b2c1d0e9f"
PATHS = [
    f"/watch/{VALID}", f"/watch/{VALID.upper()}", "/watch/first", "/watch/new",
    "/watch/not-a-uuid", f"/watch/{{{VALID}}}", f"/watch/{VALID.replace('-', '')}",
    f"/item/{VALID}", "/item/widget", f"/item/{VALID.upper()}",
    "/tags/a,b,c", "/tags/solo", "/tags/A,b", "/tags/a,,b",
    "/shout/hello", "/shout/quiet", "/shout/loud",
    "/n/42", "/n/-3", "/n/x", "/q/abc", '/q/a"b',
    f"/raw/{VALID}", "/raw/nope",
]


def test_the_scan_records_the_app_s_converters(tmp_path: Path) -> None:
    legacy = tmp_path / "conv_scan"
    legacy.mkdir()
    (legacy / "__init__.py").write_text(textwrap.dedent(LEGACY))
    result = scan_path(legacy)
    app = result.apps[0]
    converters = {name: (c.cls, c.regex, c.regex_source, c.line, c.weight, c.part_isolating)
                  for name, c in app.url_converters.items()}
    assert converters == {
        "uuid_str": ("conv_scan.StrictUUIDConverter", "[^/]+", "BaseConverter's regex '[^/]+'",
                     55, 100, True),
        "list": ("conv_scan.ListConverter", "[a-z]+(?:,[a-z]+)*",
                 "ListConverter.regex '[a-z]+(?:,[a-z]+)*'", 56, 100, True),
        "shout": ("conv_scan.ShoutConverter", "[^/]+", "BaseConverter's regex '[^/]+'", 57,
                  100, True),
        "int": ("conv_scan.SignedInt", "-?\\d+", "SignedInt.regex '-?\\\\d+'", 58, 100, True),
        # (its regex holds a slash, so Werkzeug takes it for one that may span segments)
        "quoted": ("conv_scan.QuotedConverter", '[^/"]+', 'QuotedConverter.regex \'[^/"]+\'', 65,
                   100, False),
    }
    routes = {route.endpoint: route for route in result.routes}
    assert {endpoint: route.status for endpoint, route in routes.items()} == {
        "watch": "assisted", "new_watch": "auto", "item_by_uuid": "assisted",
        "item_by_name": "auto", "tags": "assisted", "shout": "assisted", "loud": "auto", "number": "assisted", "quoted": "assisted",
        "raw": "assisted"}
    assert routes["number"].parameters[0].custom is app.url_converters["int"]
    document = result.to_json()
    jsonschema.validate(document, SCHEMA)
    [number] = [route for route in document["routes"] if route["endpoint"] == "number"]
    assert number["parameters"][0]["custom"]["class"] == "conv_scan.SignedInt"
    assert routes["watch"].reasons == [
        ("converter:uuid_str: <uuid_str:uuid> is the app's own converter, "
         "conv_scan.StrictUUIDConverter (__init__.py:55): converted, the legacy URL map still runs "
         "it (a path it refuses, or routes to another view, gets Flask's answer) and the view "
         "takes its value from `request.view_args`; FastAPI matches BaseConverter's regex '[^/]+' "
         "first")]


def test_routes_with_the_app_s_converters_answer_as_flask_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with converted_snippet(tmp_path, "conv_app", LEGACY, "conv_fastapi") as (result, out, _):
        assert [entry.route.endpoint for entry in result.left] == []
        router = (out / "routers" / "app_routes.py").read_text()
        assert '@router.get("/watch/{uuid}", response_model=WatchOut, name="watch")\n' \
               '@bridge.route\ndef watch(uuid: str):\n' \
               '    """One watch."""\n' \
               '    uuid = view_arg("uuid")  # FM001: what StrictUUIDConverter.to_python gave, ' \
               'as Flask passed it\n' in router
        # never read: no value to take
        assert 'def raw(uuid: str):\n    return {"raw": True}' in router
        package = (out / "routers" / "__init__.py").read_text()
        assert 'register_rule_convertor("flask_custom_list_' in package
        assert 'r"[a-z]+(?:,[a-z]+)*", str)' in package
        assert 'register_rule_convertor("flask_custom_int_' in package
        assert "'[^/\"]+', str)" in package
        import conv_app
        from conv_fastapi.main import create_app

        flask_client = conv_app.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "conv_fastapi")
        with TestClient(create_app(conv_app.app)) as client:
            for method in ("GET", "HEAD", "OPTIONS", "POST"):
                for path in PATHS:
                    legacy_answer = flask_client.open(path, method=method)
                    new = client.request(method, path)
                    assert (new.status_code, new.content) == (
                        legacy_answer.status_code, legacy_answer.data), (method, path)
                    assert new.headers.get("allow") == legacy_answer.headers.get("allow"), (
                        method, path)
            # the value Flask's view got: the converter's to_python's
            mounted.clear()
            assert client.get(f"/watch/{VALID.upper()}").json()["uuid"] == VALID
            assert client.get("/tags/a,b").json()["tags"] == ["a", "b"]
            assert client.post("/tags/a,b").json()["method"] == "POST"
            assert client.get("/shout/hey").json() == {"word": "HEY!"}
            assert client.get("/n/-3").json() == {"n": -3, "type": "int"}
            # ...served by the converted routes, not the legacy mount; so is a path the
            # converter refuses (the bridge runs Flask's dispatch), but not one the class's
            # regex refuses (the route does not match it: the mount serves it)
            assert client.get("/watch/not-a-uuid").status_code == 404
            assert mounted == []
            assert client.get("/tags/A").status_code == 404
            assert mounted == ["/tags/A"]


def test_werkzeug_s_converter_names_are_the_model_s() -> None:
    from werkzeug.routing import Map

    assert frozenset(Map.default_converters) == BUILT_IN_CONVERTERS


def test_verify_samples_fit_the_class_s_regex() -> None:
    """`migrate verify` asks a route with the app's converter for values its class's regex takes
    and one it refuses; a class without a regex of its own gets the one-segment samples (also
    when it replaces one of Werkzeug's: `int`'s "abc" is no longer refused)."""
    listed = CustomConverter("list", "app.ListConverter", "[a-z]+(?:,[a-z]+)*", "its regex")
    signed = CustomConverter("int", "app.SignedInt", "-?\\d+", "its regex")
    plain = CustomConverter("int", "app.AnyInt", ONE_SEGMENT, "BaseConverter's")
    assert path_samples(PathParameter("tags", "list", None, listed)) == ("x", "xy", "1")
    assert path_samples(PathParameter("n", "int", None, signed)) == ("1", "42", "x")
    assert path_samples(PathParameter("n", "int", None, plain)) == ("x", "does-not-exist", None)
    assert path_samples(PathParameter("n", "int")) == ("1", "999999", "abc")


def test_registrations_in_a_factory_through_update_and_unseen(tmp_path: Path) -> None:
    """`converters.update(name=Cls)` and `.update({"name": Cls})` in a factory; a converter
    whose registration the scan cannot see (an extension's) matches one segment, the legacy URL
    map routing its requests all the same; a name it cannot read gets a warning."""
    legacy = tmp_path / "conv_factory"
    legacy.mkdir()
    (legacy / "__init__.py").write_text(textwrap.dedent('''
        from flask import Blueprint, Flask
        from werkzeug.routing import BaseConverter, PathConverter

        from .extension import init_extension


        class HexConverter(BaseConverter):
            regex = "[0-9a-f]+"


        class RestConverter(PathConverter):
            pass


        class Configured(BaseConverter):
            def __init__(self, url_map, pattern):
                super().__init__(url_map)
                self.regex = pattern


        bp = Blueprint("b", __name__)


        @bp.get("/h/<hex:h>")
        def hexed(h):
            return {"h": h}


        @bp.get("/r/<rest:r>")
        def rest(r):
            return {"r": r}


        @bp.get("/re/<re('[a-z]{2}'):x>")
        def configured(x):
            return {"x": x}


        @bp.get("/e/<ext:e>")
        def extended(e):
            return {"e": e}


        def create_app():
            app = Flask(__name__)
            app.url_map.converters.update(hex=HexConverter)
            app.url_map.converters.update({"rest": RestConverter, "re": Configured})
            app.url_map.converters.update(MORE)
            init_extension(app)
            app.register_blueprint(bp)
            return app


        MORE = {}
    '''))
    (legacy / "extension.py").write_text(
        "def init_extension(app):\n    app.url_map.converters.setdefault('ext', object)\n")
    result = scan_path(legacy)
    [app] = result.apps
    assert {name: (c.cls, c.regex, c.regex_source) for name, c in app.url_converters.items()} == {
        "hex": ("conv_factory.HexConverter", "[0-9a-f]+", "HexConverter.regex '[0-9a-f]+'"),
        "rest": ("conv_factory.RestConverter", "[^/].*?", "PathConverter's regex '[^/].*?'"),
        "re": ("conv_factory.Configured", "[^/]+",
               "one path segment (Configured.__init__ may set the regex)"),
    }
    parameters = {route.function: route.parameters[0].custom for route in result.routes}
    assert parameters["extended"] is not None and (
        parameters["extended"].cls, parameters["extended"].regex) == (None, "[^/]+")
    assert {route.status for route in result.routes} == {"assisted"}
    [unread] = [d for d in result.diagnostics if d.code == "scan.url_converter"]
    assert unread.line == 49 and "not a literal" in unread.message


def test_a_class_s_regex_is_written_into_the_package_as_the_same_text() -> None:
    """The regex of the app's converter class is any text its source holds (a quote, a line
    break): `routers/__init__.py` gets a literal of exactly that text."""
    import ast

    from migrator.convert.render import _raw_string

    for regex in ["[a-z]+", '[^/"]+', "[^/\n]+", "x\\", "-?\\d+", "caf\u00e9+", "\t"]:
        assert ast.literal_eval(_raw_string(regex)) == regex, regex


UNSEEN = '''
from flask import Flask

from .extension import init_extension

app = Flask(__name__)
init_extension(app)


@app.get("/n/<int:n>")
def number(n):
    return {"n": n}


@app.get("/plain/<name>")
def plain(name):
    return {"name": name}
'''

EXTENSION = '''
from werkzeug.routing import IntegerConverter


class Doubling(IntegerConverter):
    def to_python(self, value):
        return int(value) * 2


CONVERTERS = {"int": Doubling}


def init_extension(app):
    app.url_map.converters.update(CONVERTERS)
'''


def test_a_converter_the_scan_could_not_see_leaves_its_routes_to_flask(tmp_path: Path) -> None:
    """`app.url_map.converters.update(CONVERTERS)` puts another class in place of `int` where
    the scan cannot read it: `<int:n>` converts as Werkzeug's `int`, and the converted view would
    take FastAPI's value. At start-up the generated app finds the converter in the legacy URL
    map and lets Flask answer that route, with the reason; the other routes stay converted."""
    files = {"__init__.py": UNSEEN, "extension.py": EXTENSION}
    with converted_snippet(tmp_path, "unseen_app", files, "unseen_fastapi") as (result, out, _):
        assert [entry.route.endpoint for entry in result.left] == []
        assert [d.code for d in result.scan.diagnostics if d.code == "scan.url_converter"] == [
            "scan.url_converter"]
        assert "LEGACY_CONVERTED_VALUES" not in (out / "routers" / "__init__.py").read_text()
        import unseen_app
        from unseen_fastapi.main import create_app

        fastapi_app = create_app(unseen_app.app)
        assert fastapi_app.state.legacy_views_changed == {"number": (
            "the legacy app gives n to this view through a converter it registers, which the "
            "conversion did not know of: the converted view would take FastAPI's value, not the "
            "converter's")}
        flask_client = unseen_app.app.test_client()
        with TestClient(fastapi_app) as client:
            for path in ("/n/3", "/plain/x"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
            assert client.get("/n/3").json() == {"n": 6}


def test_converted_values_are_named_for_the_start_up_check(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "named_values_app", LEGACY, "named_values_fastapi") as (
            _result, out, _legacy):
        package = (out / "routers" / "__init__.py").read_text()
        assert '    "number": ("n",),\n' in package and '    "watch": ("uuid",),\n' in package
        assert "legacy_converted_values=LEGACY_CONVERTED_VALUES)" in (out / "main.py").read_text()
        import named_values_app
        from named_values_fastapi.main import create_app

        assert create_app(named_values_app.app).state.legacy_views_changed == {}


FEED = '''
from flask import Flask
from werkzeug.routing import PathConverter


class ItemNameConverter(PathConverter):
    regex = "[^/]+?(/[^/]+?)*"

    def to_python(self, value):
        return value.upper()


app = Flask(__name__)
app.url_map.converters["itemname"] = ItemNameConverter


@app.route("/atom/<itemname:item_name>")
@app.route("/atom", defaults=dict(item_name=""))
def atom(item_name):
    return {"item": item_name}
'''


def test_a_converted_value_of_one_rule_of_an_endpoint_is_named_whatever_the_rules_order(
        tmp_path: Path, monkeypatch) -> None:
    """moin 2.0's feed: `/+feed/atom/<itemname:item_name>` written above `/+feed/atom` with
    `defaults=dict(item_name="")`, one endpoint. The second rule's view, which takes no value
    from the converter, took the endpoint's entry in LEGACY_CONVERTED_VALUES: the start-up
    check then found the converter on a value the conversion did not name and handed the
    endpoint to Flask (five of moin's endpoints, ten rules)."""
    with converted_snippet(tmp_path, "feed_app", FEED, "feed_fastapi") as (result, out, _):
        assert sorted(view.route.rule for view in result.converted) == [
            "/atom", "/atom/<itemname:item_name>"]
        assert '    "atom": ("item_name",),\n' in (out / "routers" / "__init__.py").read_text()
        import feed_app
        from feed_fastapi.main import create_app

        app = create_app(feed_app.app)
        assert app.state.legacy_views_changed == {}
        mounted = paths_the_legacy_mount_serves(monkeypatch, "feed_fastapi")
        flask_client = feed_app.app.test_client()
        with TestClient(app) as client:
            for path in ("/atom", "/atom/home", "/atom/a/b"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path
        assert mounted == []


TRAITS = '''
from flask import Flask
from werkzeug.routing import BaseConverter, PathConverter, UnicodeConverter

HEAVY = 45


def compute():
    return 7


class WikiName(PathConverter):
    regex = "[^/]+?(/[^/]+?)*"
    weight = 200


class Lower(UnicodeConverter):
    regex = "[a-z]+"  # UnicodeConverter's __init__ sets its own


class Light(BaseConverter):
    weight = 50


class Slashed(Light):
    regex = "[a-z]+/[a-z]+"


class Isolated(PathConverter):
    part_isolating = True


class Spanning(Isolated):
    part_isolating = False
    weight = HEAVY


class Computed(BaseConverter):
    weight = compute()


class Initialised(BaseConverter):
    def __init__(self, map, *args):
        super().__init__(map)
        self.regex = "[0-9]+"


class Derived(Initialised):
    weight = 10


class Formatted(BaseConverter):
    regex = "[%s]{8}" % "a-z"  # bepasty's ItemNameConverter: not a literal
    weight = 200


app = Flask(__name__)
app.url_map.converters["wiki"] = WikiName
app.url_map.converters["lower"] = Lower
app.url_map.converters["light"] = Light
app.url_map.converters["slashed"] = Slashed
app.url_map.converters["isolated"] = Isolated
app.url_map.converters["spanning"] = Spanning
app.url_map.converters["computed"] = Computed
app.url_map.converters["initialised"] = Initialised
app.url_map.converters["derived"] = Derived
app.url_map.converters["formatted"] = Formatted
app.url_map.converters["path"] = PathConverter
'''

SAMPLES = ["a", "abc", "a/b", "abc/de", "A", "1", "a b", "/a", "a/", ""]


def test_the_scan_reads_what_werkzeug_orders_rules_by(tmp_path: Path, monkeypatch) -> None:
    """The route order lets Werkzeug judge two rules with an app's converter by a stand-in
    built from the regex, weight and part_isolating the scan records: each is what Werkzeug
    itself finds on the class (inherited from a project base or from Werkzeug's, set by
    `__init_subclass__` from a regex with a slash, or by UnicodeConverter's `__init__` over a
    subclass's regex), or None where the scan cannot know it (then the routes keep their
    source order)."""
    legacy = tmp_path / "traits_app"
    legacy.mkdir()
    (legacy / "__init__.py").write_text(TRAITS)
    recorded = scan_path(legacy).apps[0].url_converters
    monkeypatch.syspath_prepend(str(tmp_path))
    import traits_app

    werkzeug_map = traits_app.app.url_map
    # (weight, part_isolating, regex) where the scan cannot read all three
    unknown = {"computed": (None, True, "[^/]+"), "initialised": (None, None, ONE_SEGMENT),
               "derived": (None, None, ONE_SEGMENT), "formatted": (200, None, ONE_SEGMENT)}
    for name, converter in recorded.items():
        if name in unknown:
            assert (converter.weight, converter.part_isolating, converter.regex) == unknown[name]
            continue
        real = werkzeug_map.converters[name](werkzeug_map)
        assert (converter.weight, converter.part_isolating) == (
            real.weight, real.part_isolating), name
        assert [re.fullmatch(f"(?:{converter.regex})", sample) is not None
                for sample in SAMPLES] == [
            re.fullmatch(f"(?:{real.regex})", sample) is not None for sample in SAMPLES], name
    assert set(recorded) == {*unknown, "wiki", "lower", "light", "slashed", "isolated",
                             "spanning", "path"}
