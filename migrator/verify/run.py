"""`migrate verify`: load both apps in process, build the cases, run each case against each app
from the same starting state, compare the answers.

The migrated routes are the generated app's FastAPI routes whose names are endpoints of the
legacy app's scan model (convert names each route after its Flask endpoint); the rule,
converters, methods and decorators come from the scan model, parameters and bodies from the
generated app's OpenAPI schema.
"""

from __future__ import annotations

import fnmatch
import importlib
import logging
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from werkzeug.urls import iri_to_uri

from migrator.model import RULE_PARAMETER, Route
from migrator.scan.stated import call_arguments, parse_app_call
from migrator.verify.casefile import CaseFile, CaseFileProblem
from migrator.verify.cases import (
    Case,
    CredentialProfile,
    RequestSpec,
    declared_credentials,
    generate_cases,
)
from migrator.verify.compare import (
    Answer,
    CompareOptions,
    Mismatch,
    compare_answers,
    decoded_body,
)
from migrator.verify.replay import Replay

AUTOMATIC = ("HEAD", "OPTIONS")
# Sent with every request to both apps, so that neither test client's own defaults (httpx adds
# Accept, Accept-Encoding, Connection and its User-Agent; Werkzeug's client adds its own
# User-Agent) make the two requests differ. A case's own headers win.
DEFAULT_HEADERS = (("Host", "localhost"), ("User-Agent", "migrate-verify"), ("Accept", "*/*"),
                   ("Accept-Encoding", "gzip, deflate"), ("Connection", "keep-alive"))
# httpx sends `Content-Length: 0` with a POST, PUT or PATCH without a body; Werkzeug's client
# sends nothing. Both get the header.
EMPTY_BODY = (("Content-Length", "0"),)
# How much of one answer verify reads: a streamed answer may never end (an event stream's route
# converts, and the bridge streams it as Flask does). Past either bound, checked as each chunk
# comes (a stream that sends nothing more still blocks, as a view that never answers does),
# verify stops, closes the answer and compares what both apps sent (compare._compare_cut_streams).
STREAM_READ_SECONDS = 3.0
STREAM_READ_BYTES = 8 * 1024 * 1024
CLIENT_ADDRESS = ("127.0.0.1", 50000)  # REMOTE_ADDR of both: Werkzeug's test client uses 127.0.0.1


class VerifyError(Exception):
    """A one-line, user-facing problem with the inputs (the CLI exits 2)."""


@dataclass
class MigratedRoute:
    route: Route  # from the scan model of the legacy source
    methods: tuple[str, ...]  # the methods the generated app serves for it
    operations: dict[str, dict]  # method -> OpenAPI operation of the generated app

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.route.rule, self.methods)

    @property
    def label(self) -> str:
        return f"{'|'.join(self.methods)} {self.route.rule}"


@dataclass
class CaseOutcome:
    case: Case
    legacy: Answer
    new: Answer
    mismatches: list[Mismatch]

    def to_json(self) -> dict:
        return {**self.case.to_json(), "passed": not self.mismatches,
                "mismatches": [m.to_json() for m in self.mismatches],
                "flask": self.legacy.to_json(), "fastapi": self.new.to_json()}


@dataclass
class RouteOutcome:
    migrated: MigratedRoute
    outcomes: list[CaseOutcome] = field(default_factory=list)
    ignore: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    declared: frozenset[str] = frozenset()  # credential header/cookie names its OpenAPI declares
    # why the generated app lets its legacy mount answer this route (flask_compat.mount_legacy):
    # then its answers say nothing of the converted code, and the route does not pass
    answered_by_legacy: str | None = None

    @property
    def failed(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if o.mismatches]

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and not self.failed and self.answered_by_legacy is None

    def to_json(self) -> dict:
        first = self.failed[0] if self.failed else None
        return {"rule": self.migrated.route.rule, "endpoint": self.migrated.route.endpoint,
                "methods": list(self.migrated.methods), "cases": len(self.outcomes),
                "passed": len(self.outcomes) - len(self.failed), "failed": len(self.failed),
                "ok": self.passed, "ignore": list(self.ignore), "notes": self.notes,
                "answered_by_legacy": self.answered_by_legacy,
                "first_mismatch": None if first is None else
                f"{first.case.request.method} {first.case.request.target}: "
                f"{first.mismatches[0]}"}


@dataclass
class VerifyResult:
    routes: list[RouteOutcome] = field(default_factory=list)
    native_json: bool = False
    replay: Replay | None = None
    case_file_problems: list[CaseFileProblem] = field(default_factory=list)
    unmatched: list[Case] = field(default_factory=list)  # replayed/user cases of no route
    notes: list[str] = field(default_factory=list)  # about the whole run
    seconds: float = 0.0  # the whole run: loading both apps, scanning, generating, running
    case_seconds: float = 0.0  # running the cases alone (setup, both requests, comparing)

    @property
    def cases(self) -> int:
        return sum(len(r.outcomes) for r in self.routes)

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.routes) and bool(self.routes)

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "summary": {"routes": len(self.routes),
                        "routes_passed": sum(r.passed for r in self.routes),
                        # of the others: a case answered differently; alike, but answered by
                        # the legacy mount; no case run
                        "routes_failed": sum(bool(r.failed) for r in self.routes),
                        "routes_answered_by_legacy": sum(
                            not r.failed and r.answered_by_legacy is not None
                            for r in self.routes),
                        "routes_without_cases": sum(
                            not r.outcomes and r.answered_by_legacy is None for r in self.routes),
                        "cases": self.cases,
                        "cases_failed": sum(len(r.failed) for r in self.routes),
                        "seconds": round(self.seconds, 3),
                        "case_seconds": round(self.case_seconds, 3),
                        "native_json": self.native_json},
            "notes": self.notes,
            "routes": [r.to_json() for r in self.routes],
            "mismatches": [{"rule": r.migrated.route.rule, "endpoint": r.migrated.route.endpoint,
                            **o.to_json()} for r in self.routes for o in r.failed],
            "replay": None if self.replay is None else self.replay.to_json(),
            "unmatched": [{"origin": c.origin, "request": c.request.to_json()}
                          for c in self.unmatched],
            "case_file_problems": [p.to_json() for p in self.case_file_problems],
        }


# ---------------------------------------------------------------------------- loading

def import_object(spec: str, what: str) -> Any:
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise VerifyError(f"{what} must look like MODULE:NAME, not {spec!r}")
    try:
        target: Any = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 -- the user's code; any failure is a usage error
        raise VerifyError(f"{what}: cannot import {module_name}: "
                          f"{type(error).__name__}: {error}") from None
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except Exception as error:  # noqa: BLE001 -- a module __getattr__ may build the app
            raise VerifyError(f"{what}: {module_name} has no usable {attribute!r}: "
                              f"{type(error).__name__}: {error}") from None
    return target


def load_app(spec: str, option: str, kind: type):
    """The app `spec` names, or what calling the factory it names returns (`kind`: Flask or
    FastAPI); or what a call of the factory with literal arguments returns, written as Flask's
    `--app` takes it (`shop:create_app('production')`)."""
    if "(" in spec.partition(":")[2]:
        parsed = parse_app_call(spec)
        if isinstance(parsed, str):
            raise VerifyError(f"{option} {spec}: {parsed}")
        module, name, call = parsed
        arguments, keywords = call_arguments(call)
        factory = import_object(f"{module}:{name}", option)
        return _made_app(factory, arguments, keywords, kind,
                         f"{option} {spec}: the factory failed",
                         f"{option} {spec} did not return a {kind.__name__} app")
    target = import_object(spec, option)
    if isinstance(target, kind):
        return target
    not_an_app = f"{option} {spec} is neither a {kind.__name__} app nor a factory that returns one"
    if not callable(target):
        raise VerifyError(not_an_app)
    return _made_app(target, [], {}, kind, f"{option} {spec}: the factory failed", not_an_app)


def package_legacy_app(spec: str):
    """Without --legacy: a legacy app made as the generated package `spec` (`--new`) makes its
    own, by its `main.load_legacy_app()` (the factory call `[tool.migrate] legacy-app` states,
    the module's app...). Its main.py imports the legacy app's module first where loading it
    patches the standard library for green threads (verify_routes says why)."""
    from flask import Flask

    load = import_object(f"{spec.partition(':')[0]}:load_legacy_app", "--new")
    return _made_app(load, [], {}, Flask,
                     f"--new {spec}: its load_legacy_app() failed (give the Flask app with "
                     "--legacy)",
                     f"--new {spec}: its load_legacy_app() did not return a Flask app; give it "
                     "with --legacy")


def _made_app(factory: Callable, arguments: list, keywords: dict, kind: type, failed: str,
              not_an_app: str):
    """What `factory(*arguments, **keywords)` returns, a `kind` app; a VerifyError (a usage
    error) saying `failed` and why when the call raises, `not_an_app` when it returns another
    thing."""
    try:
        app = factory(*arguments, **keywords)
    except Exception as error:  # noqa: BLE001 -- the user's factory, or the generated package's
        raise VerifyError(f"{failed}: {type(error).__name__}: {error}") from None
    if not isinstance(app, kind):
        raise VerifyError(not_an_app)
    return app


def with_the_legacy_rules(new_app, legacy_app, spec: str, notes: list[str]):
    """The generated app, its own legacy app having every rule `--legacy`'s has. It makes its
    legacy app as `--legacy` does, so they match; unless a module adds routes to `current_app`
    when first imported (`with app.app_context(): from . import routes`; `migrate scan` warns:
    scan.import_once_registration): Python runs it once, for the first app only. Then the
    generated app is made again around `--legacy`'s app (its `create_app(legacy_app)`), and a
    note says that both sides share that app."""
    mounted = getattr(new_app.state, "legacy_flask_app", None)
    if mounted is None or mounted is legacy_app:
        return new_app
    missing = sorted(_rules(legacy_app) - _rules(mounted))
    if not missing:
        return new_app
    shown = ", ".join(f"{rule} ({endpoint})" for rule, endpoint in missing[:3]) + (
        f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    why = (f"the generated app's own legacy app lacks {len(missing)} rule(s) that --legacy's "
           f"has: {shown} (a module that adds routes when first imported gives them to the "
           "first app only: see `migrate scan`)")
    create = getattr(sys.modules.get(spec.partition(":")[0]), "create_app", None)
    if not callable(create):
        raise VerifyError(f"{why}; --new {spec} has no create_app(legacy_app) to make it around "
                          "--legacy's app")
    try:
        rebuilt = create(legacy_app)
    except Exception as error:  # noqa: BLE001 -- the generated package, with the user's app
        raise VerifyError(f"{why}; create_app(legacy_app) of --new failed: "
                          f"{type(error).__name__}: {error}") from None
    if getattr(getattr(rebuilt, "state", None), "legacy_flask_app", None) is not legacy_app:
        raise VerifyError(f"{why}, and create_app(legacy_app) of --new did not mount it")
    notes.append(f"{why}: the generated app was made around --legacy's app, which both sides "
                 "share (state it keeps in memory, such as rate-limit counters, is shared too)")
    return rebuilt


def made_around_legacy(spec: str, legacy_app, error: VerifyError, notes: list[str]):
    """The generated app `--new` names, made by its package's `create_app(legacy_app)` around
    `--legacy`'s app, where `--new` itself could not be made (`error`): a package that cannot
    make the legacy app itself (locust's, whose app a class's `__init__` makes) serves only the
    app it is given. `error` again where the package has no such `create_app`, or it fails."""
    from fastapi import FastAPI

    create = getattr(sys.modules.get(spec.partition(":")[0]), "create_app", None)
    if not callable(create):
        raise error  # not a generated package's main module
    try:
        app = create(legacy_app)
    except Exception as failed:  # noqa: BLE001 -- the generated package, with the user's app
        raise VerifyError(f"{error}; create_app(legacy_app) failed too: "
                          f"{type(failed).__name__}: {failed}") from None
    if not isinstance(app, FastAPI):
        raise error
    notes.append(f"{error} -- so the generated app was made by create_app(legacy_app) around "
                 "--legacy's app, which both sides share (state it keeps in memory, such as "
                 "rate-limit counters, is shared too)")
    return app


def _rules(app) -> set[tuple[str, str]]:
    return {(rule.rule, rule.endpoint) for rule in app.url_map.iter_rules()}


def generated_folder(spec: str) -> Path:
    """The folder of the module `--new` names (its package's main.py)."""
    module = sys.modules.get(spec.partition(":")[0])
    return Path(getattr(module, "__file__", "") or ".").parent


def manifest_metadata(spec: str) -> dict:
    """The convert manifest of the package `--new` points into ({} if there is none)."""
    from migrator.convert.output import OutputError, read_manifest_metadata

    try:
        return read_manifest_metadata(generated_folder(spec))
    except OutputError:
        return {}


def legacy_source_root(legacy_app) -> Path | None:
    """The folder (or file) of the legacy app's top-level package, for the scan; None where its
    import name is no module (keystone's `Flask("public")`)."""
    top = legacy_app.import_name.split(".")[0]
    module = sys.modules.get(top)
    if module is None:
        try:
            module = importlib.import_module(top)
        except ImportError:
            return None
    file = Path(getattr(module, "__file__", None) or "")
    if not file.name:
        return None
    return file.parent if file.name == "__init__.py" else file


def source_to_scan(spec: str, metadata: dict, legacy_app, legacy_option: str,
                   notes: list[str]) -> Path:
    """The source convert scanned to make the package (its manifest says where), where it is
    still there: its routes are the ones the package was made from, with what the project
    states beside it. Else the legacy app's own package. `legacy_option`: how the user gave
    the legacy app, for the error where neither can be found."""
    imported = legacy_source_root(legacy_app)
    recorded = metadata.get("source")
    source = (generated_folder(spec) / recorded).resolve() \
        if isinstance(recorded, str) and recorded else None
    if imported is None:
        if source is not None and source.exists():
            return source
        missing = ("the package records no source it was converted from: convert it again "
                   "to record one" if source is None else
                   f"the source the package was converted from, {source}, is gone")
        raise VerifyError(f"{legacy_option}: the app's import name `{legacy_app.import_name}` "
                          f"is no module verify can import, and {missing}")
    if source is None:
        return imported
    if not source.exists():
        notes.append(f"the source the package was converted from, {source}, is gone: the "
                     f"routes are read from the legacy app's own package, {imported}")
        return imported
    if not imported.resolve().is_relative_to(source):
        # (the package imported from inside the converted folder, `src/` holding it, is the
        # same code: nothing to say)
        notes.append(f"the routes are read from the source the package was converted from, "
                     f"{source}, not from the package the legacy app was imported from, "
                     f"{imported}")
    return source


def migrated_routes(new_app, routes: list[Route], patterns: Sequence[str]) -> list[MigratedRoute]:
    from fastapi import routing as fastapi_routing

    # Recent FastAPI keeps an included router as one entry of `app.routes` and exposes the
    # effective routes through `iter_route_contexts`; older versions copy them into the list.
    iterate = getattr(fastapi_routing, "iter_route_contexts", None)
    effective = new_app.routes if iterate is None else iterate(new_app.routes)
    # an endpoint may serve several rules (httpbin's /anything and /anything/<path:anything>)
    # (at the path Werkzeug matches the rule at: `//api/x` merged, as the generated app has it)
    by_name_and_path = {(r.endpoint, RULE_PARAMETER.sub(r"{\g<name>}", r.served_rule)): r
                        for r in routes}
    with warnings.catch_warnings():  # FastAPI warns about duplicate operation IDs, which
        warnings.simplefilter("ignore")  # one endpoint per method of a Flask view can produce
        schema = new_app.openapi()
    found: dict[tuple[str, str], MigratedRoute] = {}
    for api_route in effective:
        route = by_name_and_path.get((getattr(api_route, "name", None),
                                      getattr(api_route, "path_format", None)))
        if route is None or not getattr(api_route, "methods", None):
            continue
        if patterns and not any(fnmatch.fnmatchcase(route.rule, p) or
                                fnmatch.fnmatchcase(route.endpoint, p) for p in patterns):
            continue
        entry = found.setdefault((route.rule, route.endpoint), MigratedRoute(route, (), {}))
        path_item = schema.get("paths", {}).get(api_route.path_format, {})
        for method in sorted(api_route.methods - set(AUTOMATIC)):
            entry.operations[method] = path_item.get(method.lower(), {})
    for entry in found.values():
        entry.methods = tuple(m for m in entry.route.methods if m in entry.operations) + tuple(
            sorted(set(entry.operations) - set(entry.route.methods)))
    return sorted(found.values(), key=lambda m: (m.route.rule, m.route.endpoint))


# ---------------------------------------------------------------------------- running

class Side:
    """One app: what its setup is given, its client, and how to send that client a request."""

    def __init__(self, setup_target, send: Callable, client_factory: Callable):
        self.setup_target = setup_target
        self._send = send
        self._client_factory = client_factory
        # A login request is sent once per side; the cookies it set are given to every later
        # case that needs it (password hashing makes a login cost ~100 ms; setup functions
        # reset data, and a signed session cookie stays valid across a reset).
        self._login_cookies: dict[RequestSpec, list[tuple[str, str]]] = {}

    def run(self, case: Case, setup: Callable | None) -> Answer:
        try:
            if setup is not None:
                setup(self.setup_target)
            client = self._client_factory()
            headers: dict[str, str] = {}
            for credentials in case.credentials:
                headers.update(credentials.headers)
                for name, value in credentials.cookies:
                    _set_cookie(client, name, value)
                if credentials.login is not None:
                    cookies = self._login_cookies.get(credentials.login)
                    if cookies is None:
                        answer = self._send(client, _normalised(credentials.login))
                        if answer.error:
                            return Answer(0, [], b"", error=f"login: {answer.error}")
                        cookies = [tuple(v.split(";", 1)[0].split("=", 1)) for k, v in
                                   answer.headers if k == "set-cookie" and "=" in v]
                        self._login_cookies[credentials.login] = cookies
                    for name, value in cookies:
                        _set_cookie(client, name.strip(), value)
            request = case.request.with_headers(headers) if headers else case.request
            request = _normalised(request)
            return self._send(client, request)
        except Exception as error:  # noqa: BLE001 -- an app that crashes is a finding
            return Answer(0, [], b"", error=f"{type(error).__name__}: {error}")


def _normalised(request: RequestSpec) -> RequestSpec:
    request = request.with_default_headers(DEFAULT_HEADERS)
    if request.body is None and request.method in ("POST", "PUT", "PATCH"):
        request = request.with_default_headers(EMPTY_BODY)
    return request


def _set_cookie(client, name: str, value: str) -> None:
    if hasattr(client, "cookies"):  # httpx
        client.cookies.set(name, value)
    else:  # werkzeug
        client.set_cookie(name, value)


#: What a path is put after to be percent-encoded as a URL's path (werkzeug's `iri_to_uri` reads
#: a path that begins with `//` as an authority)
URI_BASE = "http://verify"


def _client_target(path: str) -> tuple[str, str]:
    """The target a test client is given for the request target `path` (perhaps with a query),
    and the path as written, percent-encoded (what a server reads off the request line). Both
    test clients read a path that begins with `//` as a host and a path (Werkzeug's builder gave
    Flask `//admin/secret` as `/secret`, httpx sent it to host `admin`), where servers take the
    whole of it for the path: such a path is given as `/`, and travels beside."""
    written, mark, query = path.partition("?")
    uri = iri_to_uri(URI_BASE + written).removeprefix(URI_BASE)
    return ("/" + mark + query if written.startswith("//") else path), uri


def _sent_query(raw: str) -> str:
    """A query as written, as a client sends it: its escapes kept, spaces and characters that
    are not ASCII percent-encoded (as httpx does for the generated app)."""
    return iri_to_uri(f"{URI_BASE}/?{raw}").partition("?")[2]


def _send_flask(client, request) -> Answer:
    environ = {"REMOTE_ADDR": CLIENT_ADDRESS[0], "REMOTE_PORT": CLIENT_ADDRESS[1]}
    if request.body is None and EMPTY_BODY[0] in request.headers:
        environ["CONTENT_LENGTH"] = "0"  # Werkzeug's builder drops the header without a body
    target, written = _client_target(request.path)
    if target != request.path:  # as gunicorn gives it: decoded once, as Latin-1 text
        environ["PATH_INFO"] = unquote_to_bytes(written).decode("latin-1")
        environ["REQUEST_URI"] = environ["RAW_URI"] = request.path
    query = _sent_query(request.raw_query) if request.raw_query is not None \
        else list(request.query)
    try:
        response = client.open(target, method=request.method,
                               query_string=query, headers=list(request.headers),
                               data=request.body, environ_overrides=environ, buffered=False)
    except Exception as error:  # noqa: BLE001 -- out of the app's WSGI callable: a server's 500
        return Answer(0, [], b"", error=f"{type(error).__name__}: {error}", raised=True)
    try:
        raw, cut = read_bounded(response.iter_encoded())
    finally:
        response.close()
    headers = [(k.lower(), v) for k, v in response.headers.items()]
    return Answer(response.status_code, headers, decoded_body(headers, raw), cut=cut)


#: The header that carries a request's path as written to the new app (see RawPathApp).
RAW_PATH_HEADER = "x-migrate-verify-raw-path"


class RawPathApp:
    """The generated app, given each request's path as a server gives it: as the client wrote
    it (`raw_path`), percent-decoded once (`path`), as uvicorn does and as Werkzeug's test
    client gives Flask. Starlette's test client goes through httpx, which removes `..` segments
    (`/a/../b` is `/b`) and whose path it decodes once more (`%2541` is `A`, not `%41`): verify
    reported answers no server gives (flaskcode's `..%252Fsecret.txt` read a file). The path
    travels in RAW_PATH_HEADER, which the app never sees."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            key = RAW_PATH_HEADER.encode()
            written = [value for name, value in scope["headers"] if name == key]
            if written:
                raw = written[0]
                scope = {**scope, "raw_path": raw, "path": unquote(raw.decode("ascii")),
                         "headers": [(n, v) for n, v in scope["headers"] if n != key]}
        await self.app(scope, receive, send)


def _send_starlette(client, request) -> Answer:
    # the bytes as sent (httpx would decompress a gzip body, Werkzeug's client does not), so
    # that both sides are decoded alike
    target, written = _client_target(request.path)
    if request.raw_query is not None:  # httpx keeps its escapes, and quotes as _sent_query
        target, params = f"{target}?{request.raw_query}", None
    else:
        params = list(request.query)
    with client.stream(request.method, target, params=params,
                       headers=[*request.headers, (RAW_PATH_HEADER, written)],
                       content=request.body) as response:
        raw, cut = read_bounded(response.iter_raw())
        headers = [(k.lower(), v) for k, v in response.headers.multi_items()]
    return Answer(response.status_code, headers, decoded_body(headers, raw), cut=cut)


def read_bounded(chunks: Iterable[bytes]) -> tuple[bytes, bool]:
    """The body `chunks` make, and whether verify stopped reading it at its bounds
    (STREAM_READ_SECONDS, STREAM_READ_BYTES) before it ended."""
    deadline = time.monotonic() + STREAM_READ_SECONDS
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size >= STREAM_READ_BYTES or time.monotonic() >= deadline:
            return b"".join(parts), True
    return b"".join(parts), False


@dataclass
class VerifyInputs:
    legacy: str | None  # MODULE:APP_OR_FACTORY; None: made as the generated package makes it
    new: str  # PACKAGE.main:app
    case_file: CaseFile | None = None
    replay: Replay | None = None
    setup: str | None = None  # MODULE:FUNC
    setup_each: str = "case"  # case | route
    patterns: Sequence[str] = ()
    ignore: Sequence[str] = ()  # JSON pointers for every route
    route_ignore: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = field(default_factory=dict)
    generate: bool = True
    state_file: Path | None = None  # migration.toml: ignore pointers in, outcomes out
    progress: Callable[[str], None] | None = None


def verify_routes(inputs: VerifyInputs) -> VerifyResult:
    from flask import Flask

    from migrator.scan import scan_path

    started = time.perf_counter()
    # The legacy app first: loading it may patch the standard library for green threads
    # (gevent's `monkey.patch_all()`, scan.monkey_patching), and FastAPI's anyio must then be
    # imported after it, for the test client's event loop thread, its thread locals and locks
    # to be the green ones the views run with.
    legacy_app = load_app(inputs.legacy, "--legacy", Flask) if inputs.legacy is not None \
        else package_legacy_app(inputs.new)
    from fastapi import FastAPI

    with warnings.catch_warnings():  # Starlette's note that httpx will become httpx2
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    notes: list[str] = []
    try:
        new_app = load_app(inputs.new, "--new", FastAPI)
    except VerifyError as error:
        if inputs.legacy is None:
            raise
        new_app = made_around_legacy(inputs.new, legacy_app, error, notes)
    else:
        new_app = with_the_legacy_rules(new_app, legacy_app, inputs.new, notes)
    setup = import_object(inputs.setup, "--setup") if inputs.setup else None
    if setup is not None and not callable(setup):
        raise VerifyError(f"--setup {inputs.setup} is not a function")
    metadata = manifest_metadata(inputs.new)
    route_ignore = dict(inputs.route_ignore)
    if inputs.state_file is not None:
        route_ignore = {**state_ignores(inputs.state_file), **route_ignore}
    scan = scan_path(source_to_scan(
        inputs.new, metadata, legacy_app,
        f"--legacy {inputs.legacy}" if inputs.legacy is not None else f"--new {inputs.new}",
        notes))
    routes = [r for r in scan.routes if r.endpoint in legacy_app.view_functions]
    targets = migrated_routes(new_app, routes, inputs.patterns)
    if not targets and metadata and not inputs.patterns:
        # (Blazar, explainerdashboard: a package that converts nothing is not a wrong --new)
        raise VerifyError("no migrated route found: the generated package converts no route "
                          "(`migrate convert` left every route on Flask; its report says why), so "
                          "the legacy app answers every request through the mount: nothing to "
                          "compare")
    if not targets:
        raise VerifyError("no migrated route found: none of the generated app's routes is named "
                          "after an endpoint of the legacy app" +
                          (" (or none matches --route)" if inputs.patterns else ""))
    case_file = inputs.case_file or CaseFile()
    result = VerifyResult(native_json=metadata.get("json_encoding") == "fastapi",
                          replay=inputs.replay, case_file_problems=list(case_file.problems),
                          notes=notes)
    profiles = {p.name: p for p in case_file.profiles}
    by_route = {(t.route.rule, t.route.endpoint): RouteOutcome(t) for t in targets}
    cases: dict[tuple[str, str], list[Case]] = {key: [] for key in by_route}
    schema_components = new_app.openapi().get("components", {})  # cached by FastAPI
    components = schema_components.get("schemas", {})
    security_schemes = schema_components.get("securitySchemes", {})
    everything = getattr(new_app.state, "legacy_only_because", None)
    changed_views = getattr(new_app.state, "legacy_views_changed", None) or {}
    for key, outcome in by_route.items():
        target = outcome.migrated
        why = f"every request, because of {everything}" if everything is not None else \
            changed_views.get(target.route.endpoint)
        if why is not None:
            outcome.answered_by_legacy = why
            outcome.notes.append(f"answered by the generated app's legacy mount, not by the "
                                 f"converted code: {why}")
        declared = frozenset().union(*(declared_credentials(op, security_schemes)
                                       for op in target.operations.values()))
        outcome.declared = declared
        needed = [p for p in case_file.profiles if p.applies_to(target.route, declared)]
        outcome.notes.extend(_credential_notes(target.route, needed))
        if inputs.generate:
            for method in target.methods:
                cases[key].extend(generate_cases(target.route, method,
                                                      target.operations[method], components,
                                                      case_file.profiles, case_file.hints,
                                                      declared))
        outcome.ignore = _ignores(target, inputs.ignore, case_file, route_ignore)
    # replayed and user cases go to the route the legacy app's router sends them to; they carry
    # the route's correct credentials unless a user case names a profile (or "none")
    adapter = legacy_app.url_map.bind("localhost")
    extra = [(c, None) for c in (inputs.replay.cases if inputs.replay else [])] + \
        case_file.cases
    for case, profile in extra:
        key = _legacy_route(adapter, case.request.method, case.request.path)
        if key not in cases:
            result.unmatched.append(case)
            continue
        if profile is None:
            case = replace(case, credentials=tuple(
                p.correct for p in case_file.profiles
                if p.applies_to(by_route[key].migrated.route, by_route[key].declared)))
        elif profile != "none":
            case = replace(case, credentials=(profiles[profile].correct,))
        cases[key].append(case)

    flask_side = Side(legacy_app, _send_flask, legacy_app.test_client)
    new_client = TestClient(RawPathApp(new_app), base_url="http://localhost",
                            follow_redirects=False, raise_server_exceptions=False,
                            client=CLIENT_ADDRESS)

    def fresh_new_client():
        new_client.cookies.clear()
        return new_client

    new_side = Side(getattr(new_app.state, "legacy_flask_app", new_app), _send_starlette,
                    fresh_new_client)
    total = sum(len(c) for c in cases.values())
    # Both apps log the tracebacks of their 500 answers; the report shows those answers.
    logging.disable(logging.ERROR)
    cases_started = time.perf_counter()
    try:
        # Inside `with`, the client keeps one event loop thread (and runs the app's lifespan, as
        # a server would); outside, it starts one per request.
        with new_client:
            _run_cases(by_route, cases, flask_side, new_side, setup, inputs, result, total)
    finally:
        logging.disable(logging.NOTSET)
    result.case_seconds = time.perf_counter() - cases_started
    result.seconds = time.perf_counter() - started
    return result


def _run_cases(by_route, cases, flask_side, new_side, setup, inputs, result, total) -> None:
    done = 0
    for key, outcome in by_route.items():
        options = CompareOptions(ignore=outcome.ignore, native_json=result.native_json)
        route_cases = cases[key]
        if inputs.setup_each == "case":
            answers = ((flask_side.run(case, setup), new_side.run(case, setup))
                       for case in route_cases)
        else:
            # the route's cases on one side, then on the other: where the two share their state
            # (one database, the legacy module's objects), each then sees its own writes only,
            # as it would with its own (one side's setup would undo the other's writes halfway)
            def on(side: Side, route_cases: list[Case] = route_cases) -> list[Answer]:
                return [side.run(case, setup if index == 0 else None)
                        for index, case in enumerate(route_cases)]

            answers = zip(on(flask_side), on(new_side), strict=True)
        for case, (legacy_answer, new_answer) in zip(route_cases, answers, strict=True):
            case_options = options if case.expect_status is None else CompareOptions(
                options.ignore, options.native_json, case.expect_status)
            outcome.outcomes.append(CaseOutcome(case, legacy_answer, new_answer,
                                                compare_answers(legacy_answer, new_answer,
                                                                case_options)))
            done += 1
            if inputs.progress is not None and done % 50 == 0:
                inputs.progress(f"verify: {done}/{total} cases")
        raised = [o.legacy.error.split(":", 1)[0] for o in outcome.outcomes
                  if o.legacy.raised and o.legacy.error and not o.mismatches]
        if raised:
            outcome.notes.append(
                f"{len(raised)} case(s): the legacy app raised ({', '.join(sorted(set(raised)))})"
                ", which a WSGI server answers with a 500 of its own; compared by status alone")
        result.routes.append(outcome)


def _legacy_route(adapter, method: str, path: str) -> tuple[str, str] | None:
    """(rule, endpoint) the legacy app's router sends a request to, or None."""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    try:
        rule, _ = adapter.match(path, method, return_rule=True)
    except RequestRedirect:
        try:  # the slash redirect of a rule ending in "/": that rule's route
            rule, _ = adapter.match(path + "/", method, return_rule=True)
        except (HTTPException, RequestRedirect):
            return None
    except HTTPException:
        return None
    return (rule.rule, rule.endpoint)


def _credential_notes(route: Route, needed: list[CredentialProfile]) -> list[str]:
    from migrator.verify.cases import has_auth_decorator

    if needed:
        return [f"credentials: {', '.join(p.name for p in needed)}"]
    if has_auth_decorator(route):
        return [("auth decorator without a credentials profile: only anonymous cases "
                f"({', '.join(route.decorators)})")]
    return []


def _ignores(target: MigratedRoute, everywhere: Sequence[str], case_file: CaseFile,
             route_ignore: dict[tuple[str, tuple[str, ...]], tuple[str, ...]]) -> tuple[str, ...]:
    """The JSON pointers declared for a route: --ignore, the cases file, the state file."""
    pointers = list(everywhere)
    for glob, declared in case_file.ignore.items():
        if fnmatch.fnmatchcase(target.route.rule, glob) or \
                fnmatch.fnmatchcase(target.route.endpoint, glob):
            pointers.extend(declared)
    for (rule, methods), declared in route_ignore.items():
        if rule == target.route.rule and set(methods) & set(target.methods):
            pointers.extend(declared)
    return tuple(dict.fromkeys(pointers))




# ---------------------------------------------------------------------------- state file

def state_ignores(path: Path) -> dict[tuple[str, tuple[str, ...]], tuple[str, ...]]:
    """The JSON pointers the state file declares per route."""
    from migrator.proxy.state import load_plan

    try:
        plan = load_plan(path, check_routes=False)
    except Exception as error:  # noqa: BLE001 -- any unreadable state file is a usage error
        raise VerifyError(f"{path}: {error}") from None
    return {route.key: tuple(route.ignore) for route in plan.routes if route.ignore}


def record_outcomes(path: Path, result: VerifyResult) -> int:
    """Record each verified route's outcome in the state file; returns how many were recorded.

    A state-file route is (rule, methods that moved); its outcome is that of the cases sent with
    those methods (HEAD counts with GET, OPTIONS with every method) to the verified route of the
    same rule.
    """
    from datetime import datetime, timezone

    from migrator.proxy.plan import VerifyRecord
    from migrator.proxy.state import load_plan, record_verification

    plan = load_plan(path, check_routes=False)
    at = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    records = {}
    for stage in plan.routes:
        methods = set(stage.methods) | {"OPTIONS"} | ({"HEAD"} if "GET" in stage.methods else set())
        for outcome in result.routes:
            migrated = outcome.migrated
            if migrated.route.rule != stage.rule or not set(stage.methods) & set(migrated.methods):
                continue
            cases = [o for o in outcome.outcomes if o.case.request.method in methods]
            failed = sum(1 for o in cases if o.mismatches)
            records[stage.key] = VerifyRecord(passed=bool(cases) and not failed, at=at,
                                              cases=len(cases), failed=failed)
    if records:
        record_verification(path, records)
    return len(records)
