"""The nginx renderer: a plan in, the exact locations out; hostile rules refused; random valid
rules and stages always pass `nginx -t` (a real nginx, private prefix)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from migrator.proxy.nginx import (
    ProxyRuleError,
    build_locations,
    check_nginx_config,
    render_nginx,
    route_id,
    rule_matcher,
)
from migrator.proxy.plan import MigrationPlan, ProxySettings, RouteStage

UUID = "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"


def plan_of(*routes: RouteStage, legacy_rules=(), **settings) -> MigrationPlan:
    return MigrationPlan(["127.0.0.1:8000"], ["127.0.0.1:8001"], routes=list(routes),
                         legacy_rules=list(legacy_rules), settings=ProxySettings(**settings))


def location_lines(config: str) -> list[str]:
    return [line.strip().split(" {")[0] for line in config.splitlines()
            if line.strip().startswith("location ")]


def test_rules_become_exact_or_anchored_quoted_regex_locations_in_werkzeug_order():
    plan = plan_of(
        RouteStage("/files/<path:p>", ("GET",), "files", stage="full"),
        RouteStage("/users/<name>", ("GET",), "user", stage="full"),
        RouteStage("/users/<int:uid>", ("GET",), "user_id", stage="full"),
        RouteStage("/orders/<uuid:oid>", ("GET",), "order", stage="canary", percent=10),
        RouteStage("/price/<float:x>", ("GET",), "price", stage="full"),
        RouteStage("/health", ("GET",), "health", stage="full"),
        RouteStage("/v1.0/<any(a, b):kind>/<string(length=2):cc>", ("GET",), "k", stage="full"),
        legacy_rules=["/users/me", "/files/<int:fid>/meta", "/users/<name>"],
    )
    assert location_lines(render_nginx(plan)) == [
        'location = "/health"',
        'location = "/users/me"',  # legacy: an exact location beats the migrated regex
        # regexes sorted segment by segment: static < int/float < string/uuid/any < path
        'location ~ "^/price/[0-9]+\\\\.[0-9]+$"',
        'location ~ "^/users/[0-9]+$"',  # int before string, as in Werkzeug
        'location ~ "^/files/[0-9]+/meta$"',  # legacy int before the migrated path
        'location ~ "^/orders/' + UUID + '$"',
        'location ~ "^/users/[^/]+$"',
        'location ~ "^/v1\\\\.0/(?:a|b)/[^/]{2}$"',
        'location ~ "^/files/[^/].*$"',  # path last
        # FastAPI's own pages, where the generated app serves them (exact, so order is moot)
        'location = "/openapi.json"', 'location = "/docs"', 'location = "/docs/oauth2-redirect"',
        'location = "/redoc"',
        "location = /_migrate_mirror_",
        "location @mig_raw_path",  # named: no request path reaches it
        "location /",
    ]


def test_method_maps_stages_and_overrides():
    rule = "/items/<int:item_id>"
    rid = route_id(rule)
    config = render_nginx(plan_of(
        RouteStage(rule, ("GET",), "item", stage="canary", percent=25),
        RouteStage(rule, ("PUT", "DELETE"), "item_w", stage="full"),
        RouteStage("/reports", ("GET", "POST"), "reports", stage="shadow"),
        RouteStage("/old", ("GET",), "old", stage="rolled-back"),
    ))
    assert f'split_clients "{rid}:$mig_sticky" $mig_{rid}_w0 {{ 25% new; * legacy; }}' in config
    block = config.split(f'map "$request_method:$mig_force" $mig_{rid} {{')[1].split("}")[0]
    assert [ln.strip() for ln in block.strip().splitlines()] == [
        "default legacy;",
        f'"~^(?:GET|PUT|DELETE):(?<mig_{rid}_f>new|legacy)$" $mig_{rid}_f;',
        f'"GET:" $mig_{rid}_w0;  # canary',
        '"PUT:" new;  # full',
        '"DELETE:" new;  # full',
    ]
    # shadow mirrors the safe methods only by default; rolled-back answers from legacy
    reports = route_id("/reports")
    assert f'"{reports}:GET:legacy" 1;' in config and f'"{reports}:POST' not in config
    assert '"GET:" legacy;  # rolled-back' in config
    everything = render_nginx(plan_of(RouteStage("/reports", ("GET", "POST"), "r", stage="shadow"),
                                      shadow_methods="*"))
    assert f'"{reports}:POST:legacy" 1;' in everything
    assert "client_max_body_size 10m;" in config
    assert "client_max_body_size 50m;" in render_nginx(plan_of(client_max_body_size="50m"))


def test_catch_all_safety_headers_and_path_guard_are_always_there():
    config = render_nginx(plan_of())
    for line in ("proxy_set_header Host $http_host;",
                 "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                 "proxy_set_header X-Forwarded-Proto $mig_forwarded_proto;",
                 "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $mig_connection;",
                 "add_header X-Served-By $mig_served always;",
                 "proxy_next_upstream error timeout http_500 http_502 http_503 http_504;",
                 'if ($request_uri ~ "^[^?]*(//|/(\\.|%2[eE]){1,2}(/|\\?|$))") { return 418; }',
                 "error_page 418 = @mig_raw_path;",
                 "proxy_pass http://mig_legacy$request_uri;",
                 "server 127.0.0.1:8000 backup;"):
        assert line in config, line
    assert check_nginx_config(config) == (True, "")


HOSTILE = [
    '/a { return 200 "x"; }',
    '/a" { return 200 x; } location = "/b',
    "/inj/<int:x>$ { return 200 pwned; } location ~ ^/z",
    "/a\nreturn 200;",
    "/a\rb",
    "/a b",
    "/hash#/x",
    '/q"x/<int:x>',
    "/x\\y/<int:x>",
    "/br{3}/<int:x>",
    "/caf\u00e9/<name>",
    "/a/<int:x",
    "/a/int:x>",
    "/a/../b",
    "/a/./<name>",
    "/pct%zz",
    "/re/<string('[a-z]{3}'):x>",
    "/n/<int(min=1):x>",
    "/_migrate_mirror_",
    "relative/<int:x>",
    "/q?x=1",
    "/tab\there",
]


@pytest.mark.parametrize("rule", HOSTILE)
def test_hostile_rules_are_refused_with_one_line(rule):
    with pytest.raises(ProxyRuleError) as error:
        render_nginx(plan_of(RouteStage(rule, ("GET",), "x", stage="full", line=7)))
    assert "\n" not in error.value.where("migration.toml")
    assert error.value.where("migration.toml").startswith("migration.toml:7: ")


@pytest.mark.parametrize("method", ["get", "GET;", "G", "GET POST", "", "GET\n"])
def test_bad_methods_are_refused(method):
    with pytest.raises(ProxyRuleError):
        render_nginx(plan_of(RouteStage("/a", (method,), "x", stage="full")))


@pytest.mark.parametrize("field,value", [
    ("listen", "8080; include /etc/passwd"), ("server_name", "a b"),
    ("client_max_body_size", "10m; x"), ("backend_header", "X-B: y"),
    ("backend_cookie", "a-b"), ("canary_cookie", "c;d"), ("served_by_header", "X\nY"),
    ("worker_processes", "1; user root"), ("shadow_methods", "GET;POST"),
    ("fastapi_pages", "on; return 200"), ("fastapi_pages", "yes"),
    ("stream_read_timeout", "1h; return 200"), ("stream_read_timeout", "0"),
    ("stream_read_timeout", "an hour"),
])
def test_bad_settings_are_refused(field, value):
    with pytest.raises(ProxyRuleError):
        render_nginx(plan_of(**{field: value}))


@pytest.mark.parametrize("upstreams", [["127.0.0.1:80; x"], ["a b:80"], [], ["127.0.0.1:8001"]])
def test_bad_upstreams_are_refused(upstreams):
    with pytest.raises(ProxyRuleError):
        render_nginx(MigrationPlan(upstreams or [], ["127.0.0.1:8001"]))


def test_metacharacters_are_literal_and_quoted():
    """Characters that are valid in a path but special to PCRE or nginx: escaped, quoted."""
    cases = {
        "/v1.0/items/<int:id>": 'location ~ "^/v1\\\\.0/items/[0-9]+$"',
        "/c++/<name>": 'location ~ "^/c\\\\+\\\\+/[^/]+$"',
        "/f(x)/<name>": 'location ~ "^/f\\\\(x\\\\)/[^/]+$"',
        "/price$/<int:x>": 'location ~ "^/price\\\\$/[0-9]+$"',
        "/a;b/<int:x>": 'location ~ "^/a\\\\;b/[0-9]+$"',
        "/q'x/<int:x>": 'location ~ "^/q\\\\\'x/[0-9]+$"',
        "/a;b": 'location = "/a;b"',
        "/x$y": 'location = "/x$y"',
    }
    for rule, expected in cases.items():
        config = render_nginx(plan_of(RouteStage(rule, ("GET",), "e", stage="full")))
        assert expected in location_lines(config), rule
        assert check_nginx_config(config)[0], rule
    # what PCRE receives after nginx unquotes: matches only the literal rule
    assert re.fullmatch(rule_matcher("/v1.0/items/<int:id>").pattern[1:-1], "/v1.0/items/5")
    assert not re.fullmatch(rule_matcher("/v1.0/items/<int:id>").pattern[1:-1], "/v1x0/items/5")


def test_migrated_rules_with_the_app_s_own_converters_take_one_segment():
    """`<uuid_str:uuid>`, `<regex('[a-z]{3}'):x>`: their `to_python` may refuse what any regex
    takes, and the generated app lets the legacy URL map route these requests (answering those
    it sends elsewhere as Flask does), so one segment goes to FastAPI; the argument text never
    reaches the config. Werkzeug's own converters with checks after the match stay refused."""
    locs = build_locations(plan_of(
        RouteStage("/watch/<uuid_str:uuid>", ("GET",), "watch", stage="full"),
        RouteStage("/re/<regex('[a-z]{3}'):x>/raw", ("GET",), "re", stage="canary", percent=5)))
    assert [(loc.matcher.pattern, loc.migrated) for loc in locs] == [
        ("^/watch/[^/]+$", True), ("^/re/[^/]+/raw$", True)]
    with pytest.raises(ProxyRuleError, match="cannot be expressed exactly"):
        build_locations(plan_of(RouteStage("/n/<int(min=1):x>", ("GET",), "n", stage="full")))


def test_a_migrated_rule_holding_doubled_slashes_is_placed_where_werkzeug_merges_them():
    """cellxgene's `url_prefix="/" + "/api/v0.2"` makes rules `//api/v0.2/...`, which Werkzeug
    answers at `/api/v0.2/...`, where the generated app converts them (`Route.served_rule`);
    nginx picks locations from the URI with its slashes merged (a raw `//` goes to Flask), so a
    location holding `//` would never be chosen. The proxy refused such a rule."""
    locs = build_locations(plan_of(
        RouteStage("//api/v0.2/config", ("GET",), "config", stage="full"),
        RouteStage("//api/v0.2//layout/<name>", ("GET",), "layout", stage="full"),
        legacy_rules=["//api/v0.2/schema", "/api/v0.2/config"]))
    assert [(loc.matcher.location, loc.matcher.rule, loc.migrated) for loc in locs] == [
        ('location = "/api/v0.2/config"', "//api/v0.2/config", True),
        (r'location ~ "^/api/v0\\.2/layout/[^/]+$"', "//api/v0.2//layout/<name>", True)]
    # (the legacy rules: one Werkzeug answers at the migrated path, one nginx cannot place;
    # the catch-all sends both to Flask)
    conf = render_nginx(plan_of(RouteStage("//api/v0.2/config", ("GET",), "c", stage="full")))
    assert 'location = "/api/v0.2/config" {  # //api/v0.2/config' in conf
    with pytest.raises(ProxyRuleError, match="both answer at one path"):
        build_locations(plan_of(RouteStage("/a//b", ("GET",), "ab", stage="full"),
                                RouteStage("/a/b", ("POST",), "a_b", stage="full")))


def test_legacy_rules_nginx_cannot_express_are_widened_not_dropped():
    locs = build_locations(plan_of(RouteStage("/n/<name>", ("GET",), "n", stage="full"),
                                   legacy_rules=["/n/<int(min=1):x>", "/bad rule"]))
    assert [(loc.matcher.pattern, loc.migrated) for loc in locs] == [
        ("^/n/[^/]+$", False), ("^/n/[^/]+$", True)]


# --- random valid rules: nginx -t accepts every rendering; the regex agrees with Werkzeug -----

STATIC = st.text(alphabet="abcxyz019-._~!$&'()*+,;=:@", min_size=1, max_size=6).filter(
    lambda s: s not in (".", ".."))
CONVERTER = st.sampled_from(["", "int:", "string:", "float:", "path:", "uuid:",
                             "string(length=3):", "any(red, blue):"])


@st.composite
def flask_rules(draw):
    segments = []
    for i in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            segments.append(draw(STATIC))
        else:
            converter = draw(CONVERTER)
            segments.append(f"<{converter}v{i}>")
            if converter == "path:":
                break
    return "/" + "/".join(segments) + ("/" if draw(st.booleans()) else "")


SAMPLE = {"int": "42", "float": "4.5", "uuid": "0e3b9f2a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
          "path": "a/b.c", "any": "blue", "string": "abc", "default": "x~y"}


def sample_path(rule: str) -> str:
    def value(match):
        converter = (match.group(1) or "default").split("(")[0]
        return SAMPLE[converter]
    return re.sub(r"<(?:([a-z]+(?:\([^)]*\))?):)?v\d+>", value, rule)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.lists(flask_rules(), min_size=1, max_size=5, unique=True),
       stages=st.lists(st.sampled_from(["shadow", "canary", "full", "rolled-back"]),
                       min_size=5, max_size=5),
       percent=st.integers(0, 100))
def test_random_valid_rules_render_configs_nginx_accepts(rules, stages, percent):
    plan = plan_of(*[RouteStage(rule, ("GET", "POST"), f"e{i}", stage=stages[i],
                                percent=percent if stages[i] == "canary" else 0)
                     for i, rule in enumerate(rules)])
    ok, message = check_nginx_config(render_nginx(plan))
    assert ok, message
    for rule in rules:
        werkzeug = Map([Rule(rule, endpoint="e")]).bind("x")
        path = sample_path(rule)
        matcher = rule_matcher(rule)
        try:
            werkzeug.match(path)
            flask_matches = True
        except (NotFound, RequestRedirect):
            flask_matches = False
        # nginx matches the decoded path; PCRE and Python re agree on these constructs
        ours = path == matcher.pattern if matcher.exact else bool(
            re.fullmatch(matcher.pattern[1:-1], path))
        assert ours == flask_matches, (rule, path, matcher.pattern)


HOSTILE_ALPHABET = "/ab<>:{}();\"'$#\\\n\r\t .+*?[]^|%=~!@&,é"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=st.text(alphabet=HOSTILE_ALPHABET, min_size=1, max_size=24).map(lambda s: "/" + s))
def test_any_rule_string_is_refused_or_stays_inside_its_location(rule):
    """Arbitrary text: either one clear refusal, or a config where the rule added exactly one
    location, which nginx accepts and whose regex matches only what the rule means."""
    plan = plan_of(RouteStage(rule, ("GET",), "x", stage="full"), fastapi_pages="off")
    try:
        config = render_nginx(plan)
    except ProxyRuleError as error:
        assert "\n" not in str(error)
        return
    assert not set(rule) & set("{}\"\\#\n\r\t ?é")
    # the rule's, the mirror's, the raw-path hand-over's, the catch-all
    assert len(location_lines(config)) == 4
    assert config.count("return ") == 2  # the path guard and the mirror guard, nothing else
    ok, message = check_nginx_config(config)
    assert ok, message


def page_locations(conf: str) -> dict[str, str]:
    """`location = "PATH"` blocks of FastAPI's pages -> the backend variable they set."""
    return dict(re.findall(r'location = "([^"]+)" \{  # FastAPI\'s own page.*\n.*\n'
                           r'\s*set \$mig_backend (\w+);', conf))


def test_fastapi_pages_go_to_fastapi_where_the_generated_app_serves_them():
    """The generated app serves /openapi.json, /docs (and its OAuth2 redirect) and /redoc, or
    moves each off the paths a Flask rule answers (render.fastapi_page_urls): the proxy sends
    the same paths to FastAPI, and none that a Flask rule answers."""
    assert page_locations(render_nginx(plan_of(legacy_rules=["/health"]))) == {
        "/openapi.json": "new", "/docs": "new", "/docs/oauth2-redirect": "new", "/redoc": "new"}
    # a Flask rule answers /docs/...: the documentation moves under /fastapi, as in main.py
    conf = render_nginx(plan_of(legacy_rules=["/docs/<path:page>", "/redoc"]))
    assert page_locations(conf) == {
        "/openapi.json": "new", "/fastapi/docs": "new", "/fastapi/docs/oauth2-redirect": "new",
        "/fastapi/redoc": "new"}
    assert 'location = "/docs"' not in conf and 'location = "/redoc" {  # FastAPI' not in conf
    assert page_locations(render_nginx(plan_of(fastapi_pages="off"))) == {}


def test_the_proxy_and_the_generated_app_place_fastapi_s_pages_alike():
    from migrator.convert.render import fastapi_page_urls

    rules = ["/docs", "/openapi.json", "/api/<path:rest>"]
    moved = fastapi_page_urls(rules)
    assert moved == {"openapi_url": "/fastapi/openapi.json", "docs_url": "/fastapi/docs",
                     "swagger_ui_oauth2_redirect_url": "/fastapi/docs/oauth2-redirect"}
    assert set(page_locations(render_nginx(plan_of(legacy_rules=rules)))) == {
        *moved.values(), "/redoc"}  # ReDoc stays where FastAPI puts it: no rule answers it


def test_an_extension_serving_its_own_pages_moves_fastapi_s_in_the_proxy_too():
    plan = plan_of(legacy_rules=["/pets"])
    plan.legacy_extensions = ["flask_smorest.Api"]  # its /openapi.json stays on Flask
    assert set(page_locations(render_nginx(plan))) == {
        "/fastapi/openapi.json", "/fastapi/docs", "/fastapi/docs/oauth2-redirect",
        "/fastapi/redoc"}


def location_blocks(config: str) -> dict[str, str]:
    """Each location's block, by the rule its comment names."""
    return {m[2]: m[1] for m in re.finditer(r'\n( +location [^\n]*\{  # (\S+)\n.*?\n +\})',
                                            config, re.DOTALL)}


def test_the_locations_of_streamed_rules_let_the_answer_pause_longer():
    """A rule whose view streams (the scan's `stream`) keeps nginx reading for
    `stream_read_timeout`, migrated or left on Flask; every other location keeps nginx's own 60 s,
    within which a stuck request falls back to Flask."""
    plan = plan_of(RouteStage("/events/<name>", ("GET",), "events", stage="canary", percent=5),
                   RouteStage("/items", ("GET",), "items", stage="full"),
                   legacy_rules=["/export.csv", "/report"])
    plan.streamed_rules = ["/events/<name>", "/export.csv"]
    blocks = location_blocks(render_nginx(plan))
    assert set(blocks) == {"/events/<name>", "/items", "/export.csv", "/report"}
    streams = {rule for rule, block in blocks.items()
               if "proxy_read_timeout 1h;  # the answer streams" in block}
    assert streams == {"/events/<name>", "/export.csv"}
    assert all("proxy_read_timeout" not in blocks[rule] for rule in ("/items", "/report"))
    plan.settings.stream_read_timeout = "15m"
    assert "proxy_read_timeout 15m;" in location_blocks(render_nginx(plan))["/export.csv"]
