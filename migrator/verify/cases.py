"""Request cases, and the cases generated for a migrated route.

Generated from two sources only: the scan model of the legacy source (the rule, its converters,
the methods, the auth decorators) and the generated app's own OpenAPI operation (query and
header parameters, request bodies with their required fields, types and constraints). Nothing
re-parses Flask source. What the verifier cannot invent -- a slug that exists in the fixtures, a
valid body for an untyped JSON body, a secret -- comes from the user's cases file (`values`,
`examples`, `credentials`; see casefile.py).
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from werkzeug.routing.rules import parse_converter_args

from migrator.model import ONE_SEGMENT, RULE_PARAMETER, PathParameter, Route


@dataclass(frozen=True)
class RequestSpec:
    """One HTTP request, encoded once so both apps receive the same bytes."""

    method: str
    path: str  # without the query
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    # the query as written (in a case's path, a replayed log line), sent as it is: a
    # percent-escape that is not UTF-8 (`%FF`) cannot be said as a decoded `query` pair
    raw_query: str | None = None

    @property
    def target(self) -> str:
        if self.raw_query is not None:
            return f"{self.path}?{self.raw_query}"
        return self.path + (f"?{urlencode(self.query)}" if self.query else "")

    def with_headers(self, extra: dict[str, str]) -> RequestSpec:
        kept = tuple((k, v) for k, v in self.headers if k.lower() not in
                     {e.lower() for e in extra})
        return replace(self, headers=kept + tuple(extra.items()))

    def with_default_headers(self, defaults: tuple[tuple[str, str], ...]) -> RequestSpec:
        present = {k.lower() for k, _ in self.headers}
        return replace(self, headers=tuple((k, v) for k, v in defaults
                                           if k.lower() not in present) + self.headers)

    def to_json(self) -> dict:
        body = None if self.body is None else self.body.decode("utf-8", "replace")[:400]
        return {"method": self.method, "path": self.target, "headers": dict(self.headers),
                "body": body}


def json_body(value: Any) -> tuple[bytes, tuple[tuple[str, str], ...]]:
    return json.dumps(value).encode(), (("Content-Type", "application/json"),)


def form_body(value: dict) -> tuple[bytes, tuple[tuple[str, str], ...]]:
    return urlencode(value, doseq=True).encode(), \
        (("Content-Type", "application/x-www-form-urlencoded"),)


@dataclass(frozen=True)
class Credentials:
    """How to be allowed in (or, for `wrong`, how to be refused): headers, cookies, a login."""

    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    login: RequestSpec | None = None


@dataclass(frozen=True)
class CredentialProfile:
    name: str
    correct: Credentials
    wrong: Credentials | None = None
    decorators: tuple[str, ...] = ()  # the route decorators (last dotted part) it satisfies
    routes: tuple[str, ...] = ()  # or: globs of rules / endpoints it applies to

    @property
    def names(self) -> set[str]:
        """The header and cookie names the correct credentials send, lower case."""
        return {k.lower() for k, _ in self.correct.headers + self.correct.cookies}

    def applies_to(self, route: Route, declared: frozenset[str] = frozenset()) -> bool:
        """Whether the route needs these credentials: by its decorators in the scan model, a
        route glob, or the header / cookie names its OpenAPI operations declare (`declared`)."""
        names = {d.rsplit(".", 1)[-1].split("(")[0] for d in route.decorators}
        if names & set(self.decorators) or self.names & declared:
            return True
        return any(fnmatch.fnmatchcase(route.rule, g) or fnmatch.fnmatchcase(route.endpoint, g)
                   for g in self.routes)


@dataclass
class Case:
    request: RequestSpec
    label: str  # what the case is for: "valid body", "missing field 'name'", ...
    source: str = "generated"  # generated | replay | cases-file
    credentials: tuple[Credentials, ...] = ()  # applied, in order, before the request
    expect_status: int | None = None
    origin: str | None = None  # file:line for replayed and user cases

    def to_json(self) -> dict:
        return {"label": self.label, "source": self.source, "origin": self.origin,
                "request": self.request.to_json()}


@dataclass
class CaseHints:
    """What the user told us (cases file): parameter values, example bodies."""

    # parameter name, or "ENDPOINT:NAME" for one route's parameter -> values (the first valid)
    values: dict[str, list[str]] = field(default_factory=dict)
    # "METHOD RULE" or endpoint -> example requests: {"json": ...} or {"form": {...}}
    examples: dict[str, list[dict]] = field(default_factory=dict)


# Sample values per Werkzeug converter: (valid, not found / boundary, does not match)
CONVERTER_SAMPLES: dict[str, tuple[str, str, str | None]] = {
    "int": ("1", "999999", "abc"),
    "float": ("1.5", "0.0", "1"),  # Werkzeug's float wants a dot: "1" is not a float URL
    # Werkzeug's uuid wants the hyphens (Starlette's own convertor takes a UUID without them)
    "uuid": ("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
             "00000000000000000000000000000000"),
    "path": ("a/b.txt", "missing", None),
    "default": ("x", "does-not-exist", None),
    "string": ("x", "does-not-exist", None),
}


def fill_rule(rule: str, values: dict[str, str]) -> str:
    return RULE_PARAMETER.sub(lambda m: values[m.group("name")], rule)


# Values tried for a converter with arguments (`<any(a, b):k>`, `<string(length=2):cc>`,
# `<int(signed=True):n>`): the first two its regex takes, and the first it refuses.
ARGUMENT_CANDIDATES = ("x", "xy", "xyz", "wxyz", "vwxyz", "1", "42", "-1", "1.5", "-1.5", "2024",
                       "0001", "does-not-exist", "--1", "x" * 40)


def path_samples(parameter: PathParameter) -> tuple[str, str, str | None]:
    """(a value the converter takes, another that likely finds nothing, one it refuses). A
    converter the app registers: values its class's regex takes, and one it refuses (its
    `to_python` may refuse more: such a request gets Flask's answer from both apps)."""
    custom = parameter.custom
    own_regex = custom is not None and custom.regex != ONE_SEGMENT
    if not parameter.arguments and not own_regex:
        builtin = custom is None and parameter.converter in CONVERTER_SAMPLES
        return CONVERTER_SAMPLES[parameter.converter if builtin else "default"]
    regex = parameter.regex
    if regex is None:
        return CONVERTER_SAMPLES["default"]
    items: tuple[str, ...] = ()
    if parameter.converter == "any" and custom is None:
        items = tuple(str(item) for item in parse_converter_args(parameter.arguments)[0])
    taken = [c for c in (*items, *ARGUMENT_CANDIDATES) if re.fullmatch(regex, c)]
    refused = next((c for c in ARGUMENT_CANDIDATES if not re.fullmatch(regex, c)), None)
    if not taken:
        return CONVERTER_SAMPLES["default"]
    return taken[0], taken[1] if len(taken) > 1 else taken[0], refused


def _sample(schema: dict) -> Any:
    """A valid value for a JSON schema (as FastAPI/Pydantic write it)."""
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("default", "example"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = [s for s in schema.get(key, []) if s.get("type") != "null"]
        if options:
            return _sample(options[0])
    kind = schema.get("type")
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1) if "maximum" not in schema else \
            int(schema.get("minimum", schema["maximum"]))
    if kind == "number":
        return float(schema.get("minimum", 1.5))
    if kind == "boolean":
        return True
    if kind == "array":
        return [_sample(schema.get("items", {}))]
    if kind == "object" or "properties" in schema:
        required = schema.get("required", list(schema.get("properties", {})))
        return {name: _sample(sub) for name, sub in schema.get("properties", {}).items()
                if name in required}
    if schema.get("format") == "email":
        return "someone@example.com"
    length = schema.get("minLength", 1)
    return "a" * max(length, 1)


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, (int, float)):
        return "not-a-number"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"not": "a list"}
    if isinstance(value, dict):
        return ["not", "an", "object"]
    return "unexpected"


def _boundaries(value: Any, schema: dict) -> list[Any]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        found = [0, -1]
        for key, step in (("minimum", -1), ("maximum", 1), ("exclusiveMinimum", 0),
                          ("exclusiveMaximum", 0)):
            if key in schema:
                found.append(schema[key] + step)
        # Pydantic writes integer bounds as floats (`maximum: 5.0`); an int field gets ints
        return [int(v) for v in found] if isinstance(value, int) else found
    if isinstance(value, str):
        found = [""]
        if "maxLength" in schema:
            found.append("a" * (schema["maxLength"] + 1))
        return found
    if isinstance(value, list):
        return [[]]
    return []


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def body_cases(example: dict, schema: dict, components: dict) -> list[tuple[str, dict]]:
    """Valid and invalid bodies derived from one valid example ({"json": ..} or {"form": ..}):
    the example, each required field missing, each field with a wrong type, boundary values,
    an empty document and a body that is not JSON."""
    schema = _resolve(schema, components)
    properties = {k: _resolve(v, components) for k, v in schema.get("properties", {}).items()}
    required = schema.get("required")
    out: list[tuple[str, dict]] = [("valid body", example)]
    if "form" in example:
        form = example["form"]
        for name in form:
            out.append((f"form field {name!r} missing",
                        {"form": {k: v for k, v in form.items() if k != name}}))
            out.append((f"form field {name!r} empty", {"form": {**form, name: ""}}))
        return out
    value = example.get("json")
    if isinstance(value, dict):
        for name in (required if required is not None else list(value)):
            if name in value:
                out.append((f"required field {name!r} missing",
                            {"json": {k: v for k, v in value.items() if k != name}}))
        for name, item in value.items():
            out.append((f"field {name!r} of the wrong type",
                        {"json": {**value, name: _wrong_type(item)}}))
            for boundary in _boundaries(item, properties.get(name, {})):
                out.append((f"field {name!r} = {json.dumps(boundary)[:20]}",
                            {"json": {**value, name: boundary}}))
        out.append(("empty JSON object", {"json": {}}))
    elif isinstance(value, list):
        out.append(("empty JSON array", {"json": []}))
        out.append(("object instead of array", {"json": value[0] if value else {}}))
    out.append(("body is not JSON", {"raw": b"not json", "type": "application/json"}))
    out.append(("no body", {}))
    return out


def encode_body(spec: dict) -> tuple[bytes | None, tuple[tuple[str, str], ...]]:
    if "json" in spec:
        return json_body(spec["json"])
    if "form" in spec:
        return form_body(spec["form"])
    if "raw" in spec:
        raw = spec["raw"] if isinstance(spec["raw"], bytes) else str(spec["raw"]).encode()
        return raw, (("Content-Type", spec.get("type", "application/octet-stream")),)
    return None, ()


def _query_sample(schema: dict) -> tuple[str, str | None]:
    """(valid, wrong-type) values of a query parameter, as URL text."""
    schema = {**schema, **next((s for s in schema.get("anyOf", []) if s.get("type") != "null"),
                               {})}
    kind = schema.get("type")
    if kind == "array":
        return _query_sample(schema.get("items", {}))
    if kind == "integer":
        return "2", "not-a-number"
    if kind == "number":
        return "2.5", "not-a-number"
    if kind == "boolean":
        return "true", "maybe"
    if "enum" in schema:
        return str(schema["enum"][0]), "not-in-enum"
    return "a", None


def declared_credentials(operation: dict, security_schemes: dict) -> frozenset[str]:
    """Header and cookie names an OpenAPI operation declares, through its parameters or its
    security requirements (API keys; `Authorization` for HTTP schemes), lower case."""
    names = {p["name"].lower() for p in operation.get("parameters", [])
             if p.get("in") in ("header", "cookie")}
    for requirement in operation.get("security", []):
        for scheme_name in requirement:
            scheme = security_schemes.get(scheme_name, {})
            if scheme.get("type") == "apiKey" and scheme.get("in") in ("header", "cookie"):
                names.add(scheme["name"].lower())
            elif scheme.get("type") in ("http", "oauth2", "openIdConnect"):
                names.add("authorization")
    return frozenset(names)


def generate_cases(route: Route, method: str, operation: dict, components: dict,
                   profiles: list[CredentialProfile], hints: CaseHints,
                   declared: frozenset[str] = frozenset()) -> list[Case]:
    """Cases for one method of one migrated route (see the module docstring)."""
    valid: dict[str, str] = {}
    cases: list[Case] = []

    def add(label: str, path_values: dict[str, str], query=(), body=None, headers=()):
        request = RequestSpec(method, fill_rule(route.served_rule, path_values), tuple(query),
                              tuple(headers), body)
        cases.append(Case(request, label))

    def given_values(name: str) -> list[str]:
        return hints.values.get(f"{route.endpoint}:{name}") or hints.values.get(name) or []

    for parameter in route.parameters:
        given = given_values(parameter.name)
        valid[parameter.name] = given[0] if given else path_samples(parameter)[0]
    # path values: the valid one, the user's other values, one that matches but finds nothing,
    # and one the converter must refuse (a 404 from Flask's router)
    for parameter in route.parameters:
        good, missing, refused = path_samples(parameter)
        for value in given_values(parameter.name)[1:]:
            add(f"{parameter.name}={value}", {**valid, parameter.name: value})
        add(f"{parameter.name}={missing} (not found)", {**valid, parameter.name: missing})
        if refused is not None:
            add(f"{parameter.name}={refused} (converter refuses)",
                {**valid, parameter.name: refused})

    # query and header parameters, from the OpenAPI operation
    query_parameters = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    header_parameters = [p for p in operation.get("parameters", []) if p.get("in") == "header"]
    all_query = []
    for parameter in query_parameters:
        name = parameter["name"]
        good, wrong = _query_sample(parameter.get("schema", {}))
        given = given_values(name)
        good = given[0] if given else good
        all_query.append((name, good))
        add(f"query {name}={good}", valid, [(name, good)])
        if wrong is not None:
            add(f"query {name}={wrong} (wrong type)", valid, [(name, wrong)])
        if parameter.get("schema", {}).get("type") in ("integer", "number") or not given:
            add(f"query {name}= (empty)", valid, [(name, "")])
    if len(all_query) > 1:
        add("all query parameters", valid, all_query)
    for parameter in header_parameters:
        good, wrong = _query_sample(parameter.get("schema", {}))
        add(f"header {parameter['name']}: {good}", valid, headers=[(parameter["name"], good)])

    # bodies
    body_schema = {}
    content = operation.get("requestBody", {}).get("content", {})
    media = next(iter(content), None)
    if media is not None:
        body_schema = content[media].get("schema", {})
    examples = hints.examples.get(f"{method} {route.rule}") or hints.examples.get(
        f"{method} {route.endpoint}") or hints.examples.get(route.endpoint) or []
    if not examples and media is not None:
        resolved = _resolve(body_schema, components)
        if resolved.get("properties") or resolved.get("type") in ("object", "array"):
            key = "form" if "form" in media else "json"
            examples = [{key: _sample(resolved)}]
    if examples:
        for index, example in enumerate(examples):
            for label, spec in body_cases(example, body_schema, components) if index == 0 \
                    else [("valid body", example)]:
                body, headers = encode_body(spec)
                add(f"{label}" + (f" #{index + 1}" if index else ""), valid, body=body,
                    headers=headers)
    else:
        add("no query, no body", valid)
        if media is None:  # a body the operation does not declare must change nothing
            body, headers = encode_body({"json": {"unexpected": True}})
            add("undeclared JSON body", valid, body=body, headers=headers)
        if media is not None or method in ("POST", "PUT", "PATCH"):
            for label, spec in (("empty JSON object", {"json": {}}),
                                ("body is not JSON", {"raw": b"not json",
                                                      "type": "application/json"})):
                body, headers = encode_body(spec)
                add(label, valid, body=body, headers=headers)
    add("unknown query parameter", valid, [("unexpected", "1")])
    # Flask redirects `/a` to `/a/` for a rule ending in a slash and answers 404 the other way
    # round; Starlette's redirect_slashes answers 307 both ways. (Not for `/`: `//` is not a
    # toggled slash, and Werkzeug's test client reads it as a URL with an empty host.)
    slashed = fill_rule(route.served_rule, valid)
    if slashed != "/":
        add("trailing slash toggled", valid)
        cases[-1].request = replace(cases[-1].request, path=slashed[:-1]
                                    if slashed.endswith("/") else slashed + "/")
    if method == "GET":
        add("HEAD", valid)
        cases[-1].request = replace(cases[-1].request, method="HEAD")
    add("OPTIONS", valid)
    cases[-1].request = replace(cases[-1].request, method="OPTIONS")

    # credentials: every case with the correct ones; the valid request also without and with
    # wrong ones, so that what differs is the credentials alone
    needed = [p for p in profiles if p.applies_to(route, declared)]
    if needed:
        correct = tuple(p.correct for p in needed)
        for case in cases:
            case.credentials = correct
        index = next((i for i, c in enumerate(cases)
                      if c.label in ("valid body", "no query, no body")), 0)
        base = cases[index]
        variants = [Case(base.request, base.label + ", without credentials")]
        wrong = tuple(p.wrong for p in needed if p.wrong is not None)
        if wrong:
            variants.append(Case(base.request, base.label + ", wrong credentials",
                                 credentials=wrong))
        cases[index + 1:index + 1] = variants
    return cases


AUTH_WORDS = ("login", "auth", "require", "role", "permission", "token", "key", "admin")


def has_auth_decorator(route: Route) -> bool:
    return any(any(word in d.lower() for word in AUTH_WORDS) for d in route.decorators)
