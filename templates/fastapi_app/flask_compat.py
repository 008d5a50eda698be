"""Runtime support that lets converted FastAPI routes run on top of a legacy Flask app.

``migrate convert`` copies this module verbatim into every generated package. It only
imports Flask, Werkzeug, FastAPI, Starlette, anyio and the standard library.

Why a bridge?
    A migration moves a *route* before it moves the code *under* the route. A converted
    view becomes a FastAPI endpoint with typed path/query/header/cookie/body parameters,
    but the database helpers, validators, auth helpers, request hooks and error
    handlers it calls are still the legacy app's. They read ``flask.request``,
    ``flask.g``, ``flask.session`` and ``flask.current_app``, raise ``abort(404)`` and
    expect ``before_request``/``after_request``/``teardown_request`` to run. Rewriting
    all of that at once is the big-bang migration we are trying to avoid.

:class:`LegacyBridge`
    ``bridge.route`` wraps a *sync* endpoint so that each call runs inside a real Flask
    request context of the legacy app, exactly as Flask's own ``wsgi_app`` would run a
    view: the WSGI environ is built from the ASGI request, ``before_request`` hooks run
    (and may answer instead of the endpoint), the return value becomes a Flask response
    (Flask-style values as Flask's ``make_response`` does, FastAPI-style values as FastAPI
    would), ``after_request`` hooks run and the session cookie is saved, the context is
    popped (teardown hooks run) and the finished response is handed to FastAPI. Errors
    go through the legacy error handlers: ``raise HTTPException(404)`` in a converted
    endpoint and ``abort(404)`` in shared code both produce the legacy 404 answer.
    FastAPI still sees the endpoint's own parameters, so validation, the 422 answer and
    the OpenAPI schema are FastAPI's.

    The bridge works per endpoint, with a dependency and a signature, on purpose:
    ``BaseHTTPMiddleware`` breaks contextvar propagation (Flask's ``request``/``g`` are
    contextvars) and changes when background tasks run, so nothing here uses it.

:class:`LegacyGuard`
    A route dependency made from a legacy view decorator that only checks the request
    before the view (``require_api_key``, ``login_required``, ``roles_required("admin")``).
    FastAPI declares and documents it (``dependencies=[Depends(require_api_key)]``); the
    bridge runs the legacy check inside the legacy request context, after the
    ``before_request`` hooks and before the endpoint, as Flask runs the decorator.

:class:`FlaskMethodsMiddleware`
    Flask answers ``HEAD`` and ``OPTIONS`` on every rule by itself; FastAPI answers 405.
    This pure ASGI middleware gives converted routes Flask's answers.

:func:`mount_legacy` and :class:`LegacyMount`
    Mounts the whole legacy app behind the FastAPI routes, so every route that has not
    been migrated yet is still served by Flask, in the same process, through the same
    thread pool as the bridge.

:class:`FlaskJSONResponse` and :func:`flask_json_dumps`
    JSON bytes identical to Flask's ``jsonify``: sorted keys, ASCII only, compact, a
    trailing newline, dates as HTTP dates.

Typical use in a generated package::

    bridge = LegacyBridge()              # or LegacyBridge(legacy): bound to one app
    router = APIRouter()

    @router.get("/users/{user_id}")
    @bridge.route
    def get_user(user_id: int, verbose: bool = False):
        user = load_user(user_id)        # shared code, uses flask.g
        if user is None:
            raise HTTPException(404)     # answered by the legacy 404 handler
        return {"id": user_id, "name": user.name}

    app = FastAPI()
    app.state.legacy_flask_app = create_legacy_app()   # where LegacyBridge() looks
    app.include_router(router)
    app.add_middleware(FlaskMethodsMiddleware)
    mount_legacy(app, app.state.legacy_flask_app)      # last: later routes would be shadowed
"""

import asyncio
import collections
import contextlib
import contextvars
import dataclasses
import functools
import http
import importlib
import inspect
import io
import json
import logging
import re
import sys
import threading
import time
import types
import typing
import urllib.parse
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Annotated, Any

import anyio
import anyio.from_thread
import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import FastAPI, Request, Security
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.params import Cookie, Header, Query
from fastapi.security import APIKeyHeader
from flask import Flask
from flask import Response as FlaskResponse
from flask.ctx import RequestContext
from flask.globals import _cv_app, _cv_request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask.signals import request_finished, request_started, request_tearing_down
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import empty_send
from starlette.responses import JSONResponse, StreamingResponse
from starlette.responses import Response as StarletteResponse
from starlette.routing import (
    BaseRoute,
    Host,
    Match,
    Mount,
    NoMatchFound,
    Route,
    WebSocketRoute,
    request_response,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from werkzeug.datastructures import FileStorage, Headers, MultiDict
from werkzeug.exceptions import HTTPException as WerkzeugHTTPException
from werkzeug.exceptions import SecurityError, default_exceptions
from werkzeug.http import parse_cookie
from werkzeug.middleware.profiler import ProfilerMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import Map, RequestRedirect, RoutingException
from werkzeug.test import encode_multipart
from werkzeug.wrappers import Response as WerkzeugResponse

try:  # the thread's context switches tell preemption from waiting (Linux only)
    import resource

    _RUSAGE_THREAD: int | None = resource.RUSAGE_THREAD
except (ImportError, AttributeError):
    _RUSAGE_THREAD = None

__all__ = [
    "FlaskJSONResponse",
    "FlaskMethodsMiddleware",
    "LegacyBridge",
    "LegacyGuard",
    "LegacyMount",
    "LegacyShortcut",
    "LegacyThreadPool",
    "flask_json_dumps",
    "mount_legacy",
    "read_body",
]

#: Reserved parameter names: the bridge adds ``_legacy_request`` to an endpoint's signature;
#: ``_legacy_body`` was the body dependency of earlier versions and stays reserved.
REQUEST_PARAM = "_legacy_request"
BODY_PARAM = "_legacy_body"

#: Attribute of ``fastapi_app.state`` where an unbound :class:`LegacyBridge` finds the
#: legacy app.
STATE_ATTRIBUTE = "legacy_flask_app"

#: Scope key under which :class:`LegacyGuard` dependencies leave their checks for the bridge.
GUARDS_KEY = "flask_compat.legacy_guards"

#: Scope key set by :class:`FlaskMethodsMiddleware` when it serves ``HEAD`` as ``GET``, so
#: that the legacy code still sees ``request.method == "HEAD"``, as it would in Flask.
ORIGINAL_METHOD_KEY = "flask_compat.original_method"

#: Attribute of ``fastapi_app.state`` set by :func:`mount_legacy` when every request must go
#: to the legacy app (:func:`bypassed_legacy_code`): what the converted routes would skip.
LEGACY_ONLY_ATTRIBUTE = "legacy_only_because"

#: Attribute of ``fastapi_app.state`` set by :func:`mount_legacy` when the legacy app's
#: ``wsgi_app`` is wrapped in WSGI middleware that `migrate scan` read as only changing the
#: request (:class:`LegacyMiddlewarePass`): the classes, outermost first.
LEGACY_MIDDLEWARE_ATTRIBUTE = "legacy_middleware"

#: Attribute of ``fastapi_app.state`` set by :func:`mount_legacy`: the converted endpoints whose
#: view the legacy app no longer runs as `migrate convert` read it (:func:`changed_legacy_views`),
#: each with why; the legacy app answers their requests.
CHANGED_VIEWS_ATTRIBUTE = "legacy_views_changed"


def startup_logger() -> logging.Logger:
    """The logger of the start-up checks' warnings, which say which routes the legacy app
    answers instead of the converted code. A legacy app that configures logging while
    ``create_app`` loads it (``logging.config.dictConfig``, whose default
    ``disable_existing_loggers`` disables every logger made before: graphite-api's) cannot
    mean to silence them, not knowing of them; a level set for ``flask_compat`` still applies."""
    log = logging.getLogger("flask_compat")
    log.disabled = False
    return log


# --------------------------------------------------------------------------------------
# JSON exactly as Flask writes it
# --------------------------------------------------------------------------------------


def flask_json_dumps(obj: Any) -> str:
    """Serialize ``obj`` exactly as Flask's ``jsonify`` does, minus the trailing newline.

    This is ``DefaultJSONProvider.dumps`` with the arguments ``DefaultJSONProvider.response``
    uses outside debug mode: ``sort_keys=True``, ``ensure_ascii=True``, compact
    separators ``(",", ":")`` and Flask's own ``default`` hook, which writes
    ``datetime``/``date`` as HTTP dates (``werkzeug.http.http_date``), ``Decimal`` and
    ``UUID`` as strings, dataclasses through ``dataclasses.asdict`` and objects with an
    ``__html__`` method (``markupsafe.Markup``) as that method's result.
    """
    return json.dumps(
        obj,
        default=DefaultJSONProvider.default,
        ensure_ascii=DefaultJSONProvider.ensure_ascii,
        sort_keys=DefaultJSONProvider.sort_keys,
        separators=(",", ":"),
    )


class FlaskJSONResponse(JSONResponse):
    """A Starlette ``JSONResponse`` whose body is byte-for-byte Flask's ``jsonify`` output.

    ``FlaskJSONResponse(value).body == flask_app.json.response(value).get_data()`` for a
    Flask app with the default JSON provider, outside debug mode; the media type is
    ``application/json`` as in Flask. Return it from an endpoint to keep the legacy
    wire format, HTTP dates included.

    Used as a FastAPI ``default_response_class`` it still sorts keys, escapes non-ASCII
    and adds the newline, but FastAPI has already turned dates into ISO 8601 strings
    by then (``jsonable_encoder``); return the response object yourself to keep HTTP
    dates.
    """

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode ``content`` as Flask does: :func:`flask_json_dumps` plus ``"\\n"``."""
        return f"{flask_json_dumps(content)}\n".encode()


# --------------------------------------------------------------------------------------
# ASGI request -> WSGI environ
# --------------------------------------------------------------------------------------


async def read_body(request: Request) -> bytes:
    """The raw request body, for the legacy app's ``flask.request`` (a bridged endpoint awaits it).

    FastAPI parses a ``Form()``/``File()`` body through ``request.form()``, which
    consumes the stream without keeping the bytes. In that case the body is re-encoded
    from the parsed form (same fields, files and multipart boundary), which Werkzeug
    parses to the same ``request.form``/``request.files``, although the bytes may
    differ from what the client sent.
    """
    try:
        return await request.body()
    except RuntimeError:  # "Stream consumed": FastAPI already parsed a form body.
        pass
    form = await request.form()  # Starlette returns the form it has already parsed.
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return urllib.parse.urlencode(
            [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
        ).encode("utf-8")
    values: MultiDict[str, Any] = MultiDict()
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read()
            await value.seek(0)
            value = FileStorage(
                io.BytesIO(data), filename=value.filename, content_type=value.content_type
            )
        values.add(key, value)
    boundary = _multipart_boundary(content_type)
    return encode_multipart(values, boundary=boundary)[1]


def _flask_value_reads(params: Iterable[inspect.Parameter]) -> tuple[tuple[str, str, str], ...]:
    """``(parameter, "query" | "query list" | "header" | "cookie", key)`` of the endpoint's
    plain string query, header and cookie parameters (and ``list[str]`` query parameters),
    whose FastAPI value can differ from Flask's.

    For a repeated key, ``request.args.get(key)`` in Flask gives the first value (Werkzeug's
    ``MultiDict``) where FastAPI gives the last one (Starlette's ``QueryParams``), a
    percent-escape that is not UTF-8 stays escaped where FastAPI gives U+FFFD, and
    ``request.headers.get(name)`` gives the values joined with ``","`` (as a WSGI server, and
    this bridge's environ, join them) where FastAPI gives the first. Werkzeug also parses the
    ``Cookie`` header its own way: the first of repeated names (Starlette: the last), a bare
    ``name`` as an empty value (Starlette: no such cookie), octal escapes in quoted values as
    UTF-8. The bridge gives these parameters Flask's value, as the legacy view read it
    (:func:`_give_flask_values`). Only ``str`` and ``str | None`` parameters with no
    constraints qualify: any string is valid for them, so Flask's value needs no validation
    FastAPI did not do.
    """
    found = []
    for param in params:
        annotation, marker = param.annotation, param.default
        if typing.get_origin(annotation) is Annotated:
            annotation, *metadata = typing.get_args(annotation)
            marker = next((m for m in metadata if isinstance(m, (Query, Header, Cookie))),
                          marker)
        if getattr(marker, "metadata", True):
            continue
        if annotation in (list[str], list[str] | None) and isinstance(marker, Query):
            # `request.args.getlist(key)` (FM002): Flask's values keep escapes that are not
            # UTF-8, where FastAPI gives U+FFFD (datagrepper's `user=%FFx`)
            found.append((param.name, "query list", marker.alias or param.name))
            continue
        if annotation not in (str, str | None):
            continue
        if isinstance(marker, Query):
            found.append((param.name, "query", marker.alias or param.name))
        elif isinstance(marker, Cookie):
            found.append((param.name, "cookie", marker.alias or param.name))
        elif isinstance(marker, Header):
            key = marker.alias or (param.name.replace("_", "-") if marker.convert_underscores
                                   else param.name)
            found.append((param.name, "header", key.lower()))
    return tuple(found)


def _give_flask_values(request: Request, kwargs: dict[str, Any],
                       reads: tuple[tuple[str, str, str], ...]) -> None:
    """Give the parameters of :func:`_flask_value_reads` the value Flask would read."""
    cookies: MultiDict[str, str] | None = None
    args: MultiDict[str, str] | None = None
    query = request.scope.get("query_string", b"")
    # one value per key, and nothing that decodes differently: FastAPI's query values are Flask's
    query_as_flask = b"&" not in query and b"%" not in query
    for name, source, key in reads:
        if name not in kwargs:
            continue
        if source in ("query", "query list"):
            if query_as_flask:
                continue
            values = request.query_params.getlist(key)
            whole_list = source == "query list"
            if (len(values) > 1 and not whole_list) or any(
                    "\ufffd" in value for value in (values if whole_list else values[:1])):
                if args is None:  # as werkzeug.sansio.request.Request.args reads it
                    try:
                        args = MultiDict(urllib.parse.parse_qsl(
                            query.decode(), keep_blank_values=True, errors="werkzeug.url_quote"))
                    except UnicodeDecodeError:
                        args = MultiDict()
                kwargs[name] = args.getlist(key) if whole_list else args.get(key, kwargs[name])
        elif source == "header":
            values = request.headers.getlist(key)
            if len(values) > 1:
                kwargs[name] = ",".join(values)
        else:
            if cookies is None:
                cookies = parse_cookie("; ".join(request.headers.getlist("cookie")))
            if key in cookies:
                kwargs[name] = cookies[key]  # the first value, as MultiDict.get gives it


def _multipart_boundary(content_type: str) -> str | None:
    """Return the ``boundary`` parameter of a ``multipart/form-data`` content type."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "boundary":
            return value.strip('"')
    return None


def _route_path(scope: Scope) -> str:
    """The path below ``root_path``, as Starlette's routing computes it."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path):
        if path == root_path:
            return ""
        if path[len(root_path)] == "/":
            return path[len(root_path) :]
    return path


def _wsgi_str(value: str) -> str:
    """PEP 3333 "native string": UTF-8 bytes decoded as latin-1."""
    return value.encode("utf-8").decode("latin-1")


def _build_environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """Build the WSGI environ of an ASGI HTTP request (for the bridge and the legacy mount alike).

    Shared code therefore sees the same ``flask.request`` whether a route is served by
    the bridge or by the mounted legacy app. ``SCRIPT_NAME`` is the ASGI ``root_path``
    and ``PATH_INFO`` the path below it; repeated headers are joined with ``","``
    (``"; "`` for ``Cookie``); ``REQUEST_URI``/``RAW_URI`` carry the undecoded path.

    A header whose name holds an underscore is left out, as gunicorn (its default
    ``header_map = "drop"``) and Werkzeug's server leave it out of the legacy app's environ:
    ``X_Remote_User`` and ``X-Remote-User`` would both become ``HTTP_X_REMOTE_USER``, so a
    client could pass a header under the name a proxy in front strips or sets for it.
    """
    query_string = scope.get("query_string", b"").decode("latin-1")
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    request_uri = raw_path.decode("latin-1") + (f"?{query_string}" if query_string else "")
    server_name, server_port = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "asgi.scope": scope,
        "REQUEST_METHOD": scope.get(ORIGINAL_METHOD_KEY, scope["method"]),
        "SCRIPT_NAME": _wsgi_str(scope.get("root_path", "")),
        "PATH_INFO": _wsgi_str(_route_path(scope)),
        "QUERY_STRING": query_string,
        "REQUEST_URI": request_uri,
        "RAW_URI": request_uri,
        "SERVER_NAME": server_name,
        "SERVER_PORT": str(server_port or 0),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client is not None:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").lower()
        if "_" in name:
            continue
        value = raw_value.decode("latin-1")
        if name == "content-type":
            key = "CONTENT_TYPE"
        elif name == "content-length":
            key = "CONTENT_LENGTH"
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
        if key in environ:
            value = environ[key] + ("; " if name == "cookie" else ",") + value
        environ[key] = value
    if "CONTENT_LENGTH" in environ:
        # The body may have been re-encoded from a parsed form (see read_body).
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


# --------------------------------------------------------------------------------------
# Response conversion
# --------------------------------------------------------------------------------------


def _raw_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """A Werkzeug response's headers (``get_wsgi_response``, or a WSGI app's
    ``start_response``) as ASGI sends them: without whitespace around names and values, as
    gunicorn sends a Flask app's. (moin's ``Content-Security-Policy`` ends with a space, which
    uvicorn's h11 refuses: every converted page of it came back empty under ``--http h11``,
    where the routes left on Flask, stripped so, answered.)"""
    return [(name.strip().lower().encode("latin-1"), value.strip().encode("latin-1"))
            for name, value in headers]


def _to_werkzeug_headers(raw_headers: Iterable[tuple[bytes, bytes]]) -> Headers:
    return Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw_headers])


def _body_allowed(status: int) -> bool:
    return not (status < 200 or status in (204, 304))


@functools.cache
def _exception_class(code: int) -> type[WerkzeugHTTPException]:
    """A subclass of Werkzeug's exception for ``code`` that can carry extra headers.

    Subclassing keeps Flask's error handler lookup (by code and by MRO) working: a
    handler for ``404`` or ``NotFound`` catches it.
    """
    base = default_exceptions.get(code, WerkzeugHTTPException)

    def get_headers(self: Any, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        headers = Headers(base.get_headers(self, environ, scope))
        for name, value in self.extra_headers:
            headers.set(name, value)
        return headers.to_wsgi_list()

    return type(
        base.__name__,
        (base,),
        {
            "code": code,
            "extra_headers": (),
            "get_headers": get_headers,
            "__module__": __name__,
        },
    )


def _http_exception_to_werkzeug(exc: StarletteHTTPException) -> WerkzeugHTTPException:
    """Translate FastAPI's ``HTTPException`` into the Werkzeug exception ``abort`` raises.

    ``detail`` becomes the description, except that the status phrase Starlette fills
    in for ``HTTPException(404)`` maps back to Werkzeug's default description, so a
    converted ``abort(404)`` answers exactly as before. ``headers`` are kept.
    """
    code = exc.status_code
    detail = exc.detail
    try:
        default_phrase = http.HTTPStatus(code).phrase
    except ValueError:
        default_phrase = None
    error = _exception_class(code)(description=None if detail == default_phrase else detail)
    if exc.headers:
        error.extra_headers = tuple(exc.headers.items())  # type: ignore[attr-defined]
    error.__cause__ = exc
    return error


def _declared_scalars(annotation: Any) -> tuple[type, ...]:
    """The JSON scalars (``None``, ``bool``, ``int``, ``float``) an endpoint's return annotation
    names (``-> float``, ``-> Item | None``), which it answers as FastAPI does, as JSON.

    Flask answers 500 to a view that returns ``None`` (or ends without a return) or a number:
    ``make_response`` rejects them. A converted view declares none of them, so it keeps that
    answer; an endpoint written FastAPI's way says what it returns.
    """
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    members = typing.get_args(annotation) if union else (annotation,)
    return tuple(
        type(None) if member in (None, type(None)) else member
        for member in members
        if member in (None, type(None), bool, int, float)
    )


def _documented_answer(annotation: Any) -> Any:
    """The return annotation FastAPI may read as the endpoint's JSON answer, or no annotation.

    FastAPI makes a response model of a return annotation. A Flask view's annotation describes
    what ``make_response`` is given instead: a Werkzeug/Flask ``Response`` (of which FastAPI cannot
    make a model at all: importing the router fails), a ``(body, status)`` tuple, a ``str`` or
    ``bytes`` body (HTML or raw bytes, not a JSON string). Those, and a name left unresolved
    (FastAPI would look it up in this module), are not shown to FastAPI; the endpoint is then
    documented without a model, as a view without an annotation is.
    """

    def flask_style(member: Any) -> bool:
        if typing.get_origin(member) is typing.Literal:
            return False
        if isinstance(member, (str, typing.ForwardRef)) or member in (str, bytes, tuple) \
                or typing.get_origin(member) is tuple:
            return True
        if isinstance(member, type) and issubclass(member, WerkzeugResponse):
            return True
        return any(flask_style(argument) for argument in typing.get_args(member))

    if annotation is inspect.Signature.empty or not flask_style(annotation):
        return annotation
    return inspect.Signature.empty


def _is_model(value: Any) -> bool:
    """A Pydantic model instance (duck-typed, so Pydantic is not imported)."""
    return hasattr(value, "model_dump") and not isinstance(value, type)


def _plain(app: Flask, value: Any) -> Any:
    """Pydantic models and dataclasses (also nested) to plain data for Flask's JSON.

    Models are dumped in Python mode, so their dates, ``Decimal`` and ``UUID`` values
    are written the legacy way; a model whose Python dump ``app.json`` cannot encode
    falls back to Pydantic's JSON mode.
    """
    if _is_model(value):
        data = value.model_dump(by_alias=True)
        try:
            app.json.dumps(data)
        except TypeError:
            data = value.model_dump(mode="json", by_alias=True)
        return data
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(app, dataclasses.asdict(value))
    if isinstance(value, (list, tuple)):
        return [_plain(app, item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(app, item) for key, item in value.items()}
    return value


# --------------------------------------------------------------------------------------
# The bridge
# --------------------------------------------------------------------------------------


def _fastapi_json(app: Flask, rv: Any) -> Any:
    """With ``json_encoding="fastapi"``: a dict, list or model (alone or first in a tuple)
    becomes a response whose body FastAPI's ``JSONResponse`` would write."""

    def encode(value: Any) -> Any:
        if isinstance(value, (dict, list)) or _is_model(value):
            body = JSONResponse(jsonable_encoder(value)).body
            return app.response_class(body, mimetype="application/json")
        return value

    if isinstance(rv, tuple) and rv:
        return (encode(rv[0]), *rv[1:])
    return encode(rv)


def _opens_empty_session(app: Flask, environ: dict[str, Any]) -> bool:
    """Whether Flask would open an empty session for this request without reading anything.

    Flask's ``SecureCookieSessionInterface.open_session`` builds an itsdangerous serializer
    (which test-serialises ``{}``) before it looks for the cookie; without the cookie it
    returns an empty ``session_class()``. That is known without asking it when the interface
    and the app's ``request_context`` are Flask's own, a secret key is set (else Flask opens a
    null session) and the ``Cookie`` header does not even contain the cookie name (Werkzeug
    takes cookie names verbatim).
    """
    return (
        type(app.session_interface) is SecureCookieSessionInterface
        and type(app).request_context is Flask.request_context
        and bool(app.secret_key)
        and app.config["SESSION_COOKIE_NAME"] not in environ.get("HTTP_COOKIE", "")
    )


def _request_context(app: Flask, environ: dict[str, Any]) -> RequestContext:
    """``app.request_context(environ)``, with the session opened for free when Flask's own
    cookie session would open an empty one (see :func:`_opens_empty_session`)."""
    if _opens_empty_session(app, environ):
        return RequestContext(app, environ, session=app.session_interface.session_class())
    return app.request_context(environ)


#: Flask methods whose work the deferred request context repeats for a request that has not
#: needed its request object; an app that overrides any of them gets Flask's own cycle.
_DEFERRED_CYCLE_METHODS = (
    "request_context",
    "preprocess_request",
    "process_response",
    "finalize_request",
    "do_teardown_request",
    "ensure_sync",
)


@functools.cache
def _runs_flasks_own_cycle(app_type: type[Flask]) -> bool:
    """Whether ``app_type`` keeps every method of :data:`_DEFERRED_CYCLE_METHODS` as Flask's."""
    return all(getattr(app_type, name) is getattr(Flask, name) for name in _DEFERRED_CYCLE_METHODS)


@functools.lru_cache(maxsize=4096)
def _is_coroutine_function(func: Callable[..., Any]) -> bool:
    """``inspect.iscoroutinefunction``, remembered: hooks are asked about on every request."""
    return inspect.iscoroutinefunction(func)


def _sync_hook(app: Flask, func: Callable[..., Any]) -> Callable[..., Any]:
    """``app.ensure_sync(func)`` for an app that keeps Flask's ``ensure_sync``."""
    try:
        is_coroutine = _is_coroutine_function(func)
    except TypeError:  # an unhashable callable object: ask every time, as Flask does
        return app.ensure_sync(func)
    return app.ensure_sync(func) if is_coroutine else func


#: The request context shape the deferred context is written against: Flask >= 3.1 keeps
#: the session in ``_session`` behind a ``session`` property.
_DEFERRED_CONTEXT_SUPPORTED = isinstance(
    inspect.getattr_static(RequestContext, "session", None), property
)


def _deferred_endpoint(app: Flask, scope: Scope, environ: dict[str, Any]) -> str | None:
    """The legacy endpoint of the route serving ``scope``, when its request context may be
    deferred (:class:`_DeferredRequestContext`); ``None`` when Flask's own is needed.

    The request object may wait for its first use only when building it late cannot change
    anything it would have decided early: the app runs Flask's own request cycle, matching
    does not depend on the host (no ``TRUSTED_HOSTS``, host or subdomain matching), no URL
    value preprocessor needs the view arguments, the session is the empty one Flask would
    open (:func:`_opens_empty_session`), the route is a converted view whose legacy endpoint
    (the route's name) is known, which is where the blueprint hooks come from, and no converter
    of the app's own routes it (:func:`_routed_by_legacy_map`).
    """
    if not _DEFERRED_CONTEXT_SUPPORTED:
        return None
    endpoint = getattr(scope.get("route"), "name", None)
    if endpoint is None or endpoint not in app.view_functions:
        return None
    if not _runs_flasks_own_cycle(type(app)):
        return None
    if (
        app.config.get("TRUSTED_HOSTS") is not None
        or app.url_map.host_matching
        or app.subdomain_matching
        or not _opens_empty_session(app, environ)
    ):
        return None
    names = (None, *_blueprints_of(endpoint))
    if any(name in app.url_value_preprocessors for name in names):
        return None
    if _routed_by_legacy_map(app, endpoint):
        return None  # the legacy URL map routes it: the request is matched before the hooks
    return endpoint


def _routed_by_legacy_map(app: Flask, endpoint: str | None) -> bool:
    """Whether a rule of ``endpoint`` names a converter the app registers itself
    (``app.url_map.converters["uuid_str"] = StrictUUIDConverter``, or a class put in place of
    one of Werkzeug's). Werkzeug runs its ``to_python`` while matching: it may refuse the path
    (Werkzeug then tries the other rules: another view, 404, 405) or give the view another
    value. A FastAPI path expression cannot do either, so for such a route the legacy URL map
    decides, as in Flask (:meth:`LegacyBridge._full_dispatch`), and the view takes its values
    from ``request.view_args`` (`migrate convert` writes that)."""
    return bool(_values_of_own_converters(app, endpoint))


def _values_of_own_converters(app: Flask, endpoint: str | None) -> frozenset[str]:
    """The path values of ``endpoint``'s rules whose converter the app registers itself (not
    Werkzeug's class for its name)."""
    converters = app.url_map.converters
    if endpoint is None or converters == Map.default_converters:
        return frozenset()
    # once per app and endpoint: Flask's setup (rules, converters) is over when requests come
    known = _OWN_CONVERTER_VALUES.setdefault(app, {})
    values = known.get(endpoint)
    if values is None:
        try:
            rules = list(app.url_map.iter_rules(endpoint))
        except KeyError:
            return frozenset()  # not (yet) an endpoint of the app: asked again next time
        values = known[endpoint] = frozenset(
            found["variable"]
            for rule in rules for found in _FLASK_PARAMETER.finditer(rule.rule)
            if converters.get(found["converter"] or "default")
            is not Map.default_converters.get(found["converter"] or "default")
        )
    return values


#: :func:`_values_of_own_converters`'s answers, per legacy app and endpoint.
_OWN_CONVERTER_VALUES: weakref.WeakKeyDictionary[Flask, dict[str, frozenset[str]]] = (
    weakref.WeakKeyDictionary())


def _routed_elsewhere(ctx: RequestContext, endpoint: str) -> bool:
    """Whether the legacy URL map refused the request (404, 405, a redirect) or sent it to
    another endpoint than the converted route's."""
    request = ctx.request
    return request.routing_exception is not None or request.url_rule is None or (
        request.url_rule.endpoint != endpoint)


@functools.lru_cache(maxsize=4096)
def _blueprints_of(endpoint: str) -> tuple[str, ...]:
    """``request.blueprints`` for a request matched to ``endpoint`` (Flask's own rule)."""
    blueprint, dot, _view = endpoint.rpartition(".")
    if not dot:
        return ()
    names = [blueprint]
    while "." in blueprint:
        blueprint = blueprint.rpartition(".")[0]
        names.append(blueprint)
    return tuple(names)


def _untrusted_host(ctx: RequestContext) -> SecurityError | None:
    """The ``SecurityError`` Flask recorded for a Host header ``TRUSTED_HOSTS`` rejects."""
    if isinstance(ctx, _DeferredRequestContext) and not ctx.request_built:
        return None  # deferred only without TRUSTED_HOSTS: nothing to reject
    error = ctx.request.routing_exception
    return error if isinstance(error, SecurityError) else None


class _DeferredRequestContext(RequestContext):
    """Flask's request context for a converted route, with the request built on first use.

    Flask builds the request object, binds the URL map to it and matches the URL before any
    code runs. Most converted views never look at ``flask.request`` any more (FastAPI reads
    their parameters), nor do many hooks: a view that only calls ``get_db()`` needs ``g``
    and ``current_app``, which live in the application context. Here the request object,
    the URL adapter and the match are made the first time anything asks for
    ``ctx.request`` or ``ctx.url_adapter`` (``flask.request``, ``url_for``, an error
    handler), exactly as Flask would have made them; until then, the hooks of the route's
    blueprints are run by :class:`LegacyBridge` as Flask's ``preprocess_request``,
    ``process_response`` and ``do_teardown_request`` run them, with ``request.blueprints``
    known from the endpoint the route was converted from. Once the request exists, Flask's
    own methods take over.
    """

    def __init__(
        self,
        app: Flask,
        environ: dict[str, Any],
        session: Any,
        endpoint: str,
        view_args: dict[str, Any],
    ) -> None:
        # RequestContext.__init__ is not called: building the request is what is deferred.
        self.app = app
        self.environ = environ
        self.blueprints = _blueprints_of(endpoint)
        self._fallback_view_args = view_args
        self._built_request: Any = None
        self._built_url_adapter: Any = None
        self.flashes = None
        self._session = session
        self._after_request_functions = []
        self._cv_tokens = []

    @property  # type: ignore[override]
    def request(self) -> Any:
        if self._built_request is None:
            self._build_request()
        return self._built_request

    @request.setter
    def request(self, value: Any) -> None:
        self._built_request = value

    @property  # type: ignore[override]
    def url_adapter(self) -> Any:
        if self._built_request is None:
            self._build_request()
        return self._built_url_adapter

    @url_adapter.setter
    def url_adapter(self, value: Any) -> None:
        self._built_url_adapter = value

    @property
    def request_built(self) -> bool:
        """Whether something has asked for the request object."""
        return self._built_request is not None

    def _build_request(self) -> None:
        """What ``RequestContext.__init__`` and ``push`` do with the request, done now."""
        app = self.app
        request = app.request_class(self.environ)
        request.json_module = app.json
        self._built_request = request
        try:
            self._built_url_adapter = app.create_url_adapter(request)
        except WerkzeugHTTPException as e:
            request.routing_exception = e
        if self._cv_tokens and self._built_url_adapter is not None:
            self.match_request()
        if request.url_rule is None and request.view_args is None:
            request.view_args = dict(self._fallback_view_args)

    def push(self) -> None:
        """``RequestContext.push`` without the URL match (it comes with the request)."""
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not self.app:
            app_ctx = self.app.app_context()
            app_ctx.push()
        else:
            app_ctx = None
        self._cv_tokens.append((_cv_request.set(self), app_ctx))

    def pop(self, exc: BaseException | None = None) -> None:  # type: ignore[override]
        """``RequestContext.pop``; the teardown hooks run for the route's blueprints."""
        if self._built_request is not None:
            super().pop(exc)
            return
        clear_request = len(self._cv_tokens) == 1
        try:
            if clear_request:
                app = self.app
                for name in (*self.blueprints, None):
                    for func in reversed(app.teardown_request_funcs.get(name, ())):
                        _sync_hook(app, func)(exc)
                request_tearing_down.send(app, _async_wrapper=app.ensure_sync, exc=exc)
                if self._built_request is not None:  # a teardown hook asked for it
                    self._built_request.close()
                    self.environ["werkzeug.request"] = None
        finally:
            ctx = _cv_request.get()
            token, app_ctx = self._cv_tokens.pop()
            _cv_request.reset(token)
            if app_ctx is not None:
                app_ctx.pop(exc)
            if ctx is not self:
                raise AssertionError(f"Popped wrong request context. ({ctx!r} instead of {self!r})")

    def preprocess(self) -> Any:
        """``Flask.preprocess_request`` (no URL value preprocessor applies to this route)."""
        if self._built_request is not None:
            return self.app.preprocess_request()
        app = self.app
        for name in (None, *reversed(self.blueprints)):
            for before_func in app.before_request_funcs.get(name, ()):
                rv = _sync_hook(app, before_func)()
                if rv is not None:
                    return rv
        return None

    def process_response(self, response: WerkzeugResponse) -> WerkzeugResponse:
        """``Flask.process_response``: the ``after_request`` hooks, then the session."""
        app = self.app
        if self._built_request is not None:
            return app.process_response(response)
        for func in self._after_request_functions:
            response = _sync_hook(app, func)(response)
        for name in (*self.blueprints, None):
            for func in reversed(app.after_request_funcs.get(name, ())):
                response = _sync_hook(app, func)(response)
        session = self._session
        if session or session.modified:
            app.session_interface.save_session(app, session, response)
        elif session.accessed:
            # All that Flask's SecureCookieSessionInterface.save_session (the interface of
            # every deferred context) does for an empty, unchanged session that was read.
            response.vary.add("Cookie")
        return response


# --------------------------------------------------------------------------------------
# The thread pool of the legacy views
# --------------------------------------------------------------------------------------


class LegacyThreadPool:
    """Runs the bridged legacy request cycles in worker threads, as many at once as pays,
    and a short view's calls in place.

    A legacy view is a plain ``def``: it may block (a database, an upstream service,
    ``time.sleep``), so it runs in a thread, not on the event loop, until it has shown it is
    short (see below). How many should run at once depends on what they do. Views that
    mostly compute (a small query, JSON) hold the GIL: beyond a few threads they only queue
    for it, and the hand-offs cost more CPU than the views (measured on two cores: a
    CPU-light endpoint served about a quarter fewer requests with 40 threads than with 4).
    Views that wait on I/O hold no GIL while they wait: each needs a thread of its own, or
    requests queue behind sleeping threads (4 threads cap a view that waits 10 ms on an
    upstream at 400 requests/s per process).

    So the number of calls allowed to run at once adapts: ``minimum`` to start with; while
    calls are queued, every ``patience`` seconds, the process's CPU use over that time
    decides. Below ``grow_below`` (a fraction of one core) the running calls are waiting,
    not computing: one more slot for each call that has run longer than ``patience`` (at
    least one), up to ``maximum`` (40, what FastAPI's own thread pool allows). Above
    ``shrink_above`` the process is busy computing: one slot fewer, down to ``minimum``.
    With nothing queued, slots nobody uses are dropped. Calls that wait for each other cannot
    deadlock below ``maximum``: while they wait, the process is idle and slots are added.

    The threads are anyio's, the ones FastAPI runs sync endpoints in, and the context
    variables are copied into the thread, as ``run_in_threadpool`` does. The slots are kept
    per event loop. Outside asyncio (trio) calls go to ``run_in_threadpool`` unchanged.

    **Short views run on the event loop.** Handing a call to a thread and its answer back
    costs more than a short view itself: two thread wake-ups and the GIL moving between
    cores (measured on two cores: a CPU-light view served in a thread used about twice the
    CPU per request it used run in place, and served half the requests). Flask's sync
    workers never pay this. So a call given a ``key`` (the bridge passes the view) runs in
    place, on the event loop's thread, once the view has shown it is short, and only while it
    stays short:

    * it must first finish ``inline_after`` calls in a row in a thread, each within
      ``inline_limit`` seconds (measured in the thread, so time spent waiting for the GIL
      counts against it): a view that waits on every call (a slow upstream) never leaves
      the threads;
    * run in place, it goes back to the threads for the life of the pool as soon as one call
      spends more than ten times ``inline_limit`` (50 ms) not computing (on I/O, a sleep, a
      lock): a view that can wait that long once can wait that long again;
    * it also goes back to the threads when more than a quarter of its last ``INLINE_WINDOW``
      (16) calls in place were late: took longer than ``inline_limit``, or spent more than
      ``inline_wait`` seconds not computing. To move in place again it must then show four
      times as many short calls in a row as the last time (3, 12, 48, ...). One late call is
      not enough, and going back this way is not for good, because a loaded machine delays any
      thread now and then (another process takes the core, the GIL is slow to come back;
      measured under full load: fewer than 1 call in 100).

    A call's time, which includes reading the answer of a view that streams (read whole in its
    thread; in place, as much as is read at once: :func:`_read_in_place`), is its wall time
    less the CPU time the process's other threads used meanwhile (they run while the view has
    let go of the GIL, in sqlite say); what it spent not computing is that time less its own
    CPU time. A call that never blocked but was preempted (on Linux: involuntary context
    switches of its thread, and no voluntary one) counts its CPU time only: on a busy machine
    another process took the core, the view did not wait.

    Calls in place take turns with the rest of the event loop's work: once calls in place
    have run for ``inline_limit`` in one pass of the loop (one run through its ready
    callbacks), the next ones wait, in order of arrival, for a turn in a later pass (each
    pass gives as many turns as fit in ``inline_limit`` at the mean call time), so the loop
    reads new requests and sends finished answers about that often. (uvloop runs a whole
    pass of callbacks before it polls the sockets again; without the turns, under 64
    connections the p99 latency of one worker went from 138 ms with threads to 1.2 s, and
    to about 400 ms with them.)

    The default limit is Python's switch interval (5 ms): a view computing in a thread holds
    the GIL, and so the event loop, for that long at a time anyway. A view that waits on most
    calls (an upstream, a sleep, a database lock) holds the event loop for five calls before
    it goes back, five more after 12 short calls, five more after 48: a few dozen calls over
    a million. One wait over 50 ms is the price of learning, once per view and event loop. A
    view that waits briefly on fewer than a quarter of its calls may stay in place, blocking
    as it did in Flask's sync worker. (A call that computes for long, say a garbage
    collection, is only late: in a thread it would hold the GIL just the same.) A call in
    place sees no running event loop (``asyncio.run`` and asgiref's ``async_to_sync`` work in
    it, as in a thread), but it runs on the event loop's thread: anyio's ``from_thread``
    functions are not available to it.
    ``inline_limit=None`` keeps every call in a thread.
    """

    #: How many of a view's last calls in place decide whether it stays in place.
    INLINE_WINDOW = 16

    def __init__(
        self,
        minimum: int = 4,
        maximum: int = 40,
        *,
        patience: float = 0.005,
        grow_below: float = 0.5,
        shrink_above: float = 0.9,
        inline_limit: float | None = 0.005,
        inline_wait: float = 0.001,
        inline_after: int = 3,
    ) -> None:
        if not 1 <= minimum <= maximum:
            raise ValueError("LegacyThreadPool needs 1 <= minimum <= maximum")
        if patience <= 0 or not 0 <= grow_below <= shrink_above:
            raise ValueError("LegacyThreadPool needs patience > 0 and grow_below <= shrink_above")
        if (inline_limit is not None and inline_limit <= 0) or inline_wait < 0 or inline_after < 1:
            raise ValueError(
                "LegacyThreadPool needs inline_limit > 0 (or None), inline_wait >= 0 and"
                " inline_after >= 1"
            )
        self.minimum = minimum
        self.maximum = maximum
        self.patience = patience
        self.grow_below = grow_below
        self.shrink_above = shrink_above
        self.inline_limit = inline_limit
        self.inline_wait = inline_wait
        self.inline_after = inline_after
        self._slots: RunVar[_LoopSlots] = RunVar(f"flask_compat.LegacyThreadPool.{id(self)}")

    async def run(self, func: Callable[..., Any], *args: Any, key: Hashable | None = None,
                  abandon_on_cancel: bool = False) -> Any:
        """Run ``func(*args)`` in a worker thread once a slot is free; return its result.

        Calls with the same ``key`` (the bridge passes the view) are one view's calls: they
        run in place on the event loop's thread while that view is short (see the class).
        With ``abandon_on_cancel``, a task cancelled while the thread runs stops waiting for it
        at once (the call runs on, its result unused): a call that streams its answer from
        the thread runs until the stream ends, which an event stream never does, so its
        caller must be able to stop the stream (``_StreamFromThread.stop``) first.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio (trio): FastAPI's own pool
            return await run_in_threadpool(func, *args)
        try:
            slots = self._slots.get()
        except LookupError:
            slots = _LoopSlots(self, loop)
            self._slots.set(slots)
        if key is None or self.inline_limit is None:
            return await slots.run(func, args, abandon_on_cancel=abandon_on_cancel)
        return await slots.run_view(key, func, args, abandon_on_cancel)

    def next_size(
        self, size: int, *, queued: int, cpu_share: float, waiting_calls: int, running: int
    ) -> int:
        """The number of slots after a check: ``size`` slots now, ``queued`` calls waiting for
        one, ``running`` calls running, ``waiting_calls`` of them for longer than
        ``patience``, and the process used ``cpu_share`` of a core since the last check."""
        if queued and cpu_share < self.grow_below:
            size += max(1, waiting_calls)
        elif cpu_share > self.shrink_above:
            size -= 1
        if not queued:
            size = min(size, max(running, self.minimum))
        return max(self.minimum, min(size, self.maximum))

    def size(self) -> int | None:
        """How many calls may run at once on the running event loop (``None``: no call has
        run on it yet, or no event loop is running)."""
        try:
            return int(self._slots.get().limiter.total_tokens)
        except (LookupError, RuntimeError):
            return None

    def runs_inline(self, key: Hashable) -> bool:
        """Whether the view ``key``'s next call on the running event loop runs in place."""
        try:
            view = self._slots.get().views.get(key)
        except (LookupError, RuntimeError):
            return False
        return view is not None and view.inline


@dataclasses.dataclass
class _ViewCalls:
    """What one :class:`LegacyThreadPool` has seen of one view's calls on one event loop."""

    needed: int  # short threaded calls in a row it needs to move in place
    short_in_a_row: int = 0  # threaded calls within the limit since the last longer one
    in_threads: int = 0  # its calls running in threads now
    inline: bool = False  # its calls run in place
    barred: bool = False  # one call in place waited very long: threads for good
    late: collections.deque[bool] = dataclasses.field(
        default_factory=lambda: collections.deque(maxlen=LegacyThreadPool.INLINE_WINDOW)
    )  # for its last calls in place: was it late (too long, or waiting)?


class _LoopSlots:
    """The slots of one :class:`LegacyThreadPool` on one event loop."""

    def __init__(self, pool: LegacyThreadPool, loop: asyncio.AbstractEventLoop) -> None:
        self.pool = pool
        self.loop = loop
        self.limiter = anyio.CapacityLimiter(pool.minimum)
        # The threads themselves are never the bottleneck: the slots are.
        self.threads = anyio.CapacityLimiter(pool.maximum)
        self.started: dict[object, float] = {}  # running call -> when it started
        self.check_from: tuple[float, float] | None = None  # (wall, CPU) of a scheduled check
        self.views: dict[Hashable, _ViewCalls] = {}
        self.in_place_this_pass = 0.0  # seconds of calls in place in this pass of the loop
        self.next_pass_watched = False  # a callback starts the next pass
        self.turns: collections.deque[asyncio.Future[None]] = collections.deque()  # waiting
        self.call_time: float | None = None  # running mean of a call in place, in seconds

    def schedule_check(self) -> None:
        if self.check_from is None:
            self.check_from = (time.monotonic(), time.process_time())
            self.loop.call_later(self.pool.patience, self.check)

    def check(self) -> None:
        pool, limiter = self.pool, self.limiter
        assert self.check_from is not None
        wall_from, cpu_from = self.check_from
        self.check_from = None
        now = time.monotonic()
        cpu_share = (time.process_time() - cpu_from) / max(now - wall_from, 1e-9)
        queued = limiter.statistics().tasks_waiting
        limiter.total_tokens = pool.next_size(
            int(limiter.total_tokens),
            queued=queued,
            cpu_share=cpu_share,
            waiting_calls=sum(1 for t in self.started.values() if now - t > pool.patience),
            running=limiter.borrowed_tokens,
        )
        if queued or limiter.total_tokens > pool.minimum:
            self.schedule_check()

    async def run(
        self, func: Callable[..., Any], args: tuple[Any, ...], took: list[float] | None = None,
        abandon_on_cancel: bool = False,
    ) -> Any:
        """Run ``func(*args)`` in a thread; append its wall time in the thread to ``took``
        (see :meth:`LegacyThreadPool.run` for ``abandon_on_cancel``)."""
        call = object()
        try:
            self.limiter.acquire_on_behalf_of_nowait(call)
        except anyio.WouldBlock:
            self.schedule_check()
            await self.limiter.acquire_on_behalf_of(call)
        self.started[call] = time.monotonic()
        try:
            context = contextvars.copy_context()
            work = functools.partial(context.run, func, *args)
            if took is not None:
                work = functools.partial(_timed, work, took)
            if abandon_on_cancel:
                return await anyio.to_thread.run_sync(
                    work, limiter=self.threads, **{_ABANDON_ON_CANCEL: True})
            return await anyio.to_thread.run_sync(work, limiter=self.threads)
        finally:
            del self.started[call]
            self.limiter.release_on_behalf_of(call)

    async def run_view(self, key: Hashable, func: Callable[..., Any], args: tuple[Any, ...],
                       abandon_on_cancel: bool = False) -> Any:
        """Run one call of the view ``key``: in place while the view is short, else in a thread."""
        pool = self.pool
        assert pool.inline_limit is not None
        view = self.views.get(key)
        if view is None:
            view = self.views[key] = _ViewCalls(needed=pool.inline_after)
        if view.inline and (self.turns or self.in_place_this_pass > pool.inline_limit):
            # The loop reads new requests and sends the answers it has only between passes:
            # after inline_limit of work in place in this pass, wait for a turn in a later
            # one, in order of arrival.
            turn = self.loop.create_future()
            self.turns.append(turn)
            self.watch_next_pass()
            await turn
        if view.inline:
            self.watch_next_pass()
            started = time.perf_counter()
            try:
                return self.run_in_place(view, func, args)
            finally:
                took_here = time.perf_counter() - started
                self.in_place_this_pass += took_here
                mean = self.call_time
                self.call_time = took_here if mean is None else mean + (took_here - mean) / 8
        took: list[float] = []
        view.in_threads += 1
        try:
            return await self.run(func, args, took, abandon_on_cancel)
        finally:
            view.in_threads -= 1
            if took and not view.barred and not view.inline:
                if took[0] <= pool.inline_limit:
                    view.short_in_a_row += 1
                    if view.short_in_a_row >= view.needed:
                        view.inline = True
                        view.late.clear()
                else:
                    view.short_in_a_row = 0

    def watch_next_pass(self) -> None:
        """Have :meth:`next_pass` run when the event loop starts its next pass."""
        if not self.next_pass_watched:
            self.next_pass_watched = True
            self.loop.call_soon(self.next_pass)

    def next_pass(self) -> None:
        """A new pass: nothing in place yet; give turns to as many waiting calls as fit in
        ``inline_limit`` at the running mean of a call (at least one), first come first."""
        self.in_place_this_pass = 0.0
        self.next_pass_watched = False
        pool = self.pool
        assert pool.inline_limit is not None
        turns = max(1, int(pool.inline_limit / max(self.call_time or 0.0, 1e-6)))
        while self.turns and turns:
            turn = self.turns.popleft()
            if not turn.done():  # a cancelled request's turn goes to the next one
                turn.set_result(None)
                turns -= 1
        if self.turns:
            self.watch_next_pass()

    def run_in_place(
        self, view: _ViewCalls, func: Callable[..., Any], args: tuple[Any, ...]
    ) -> Any:
        """Run ``func(*args)`` on the event loop's thread, seeing no running loop (as in a
        thread); judge the call (see :class:`LegacyThreadPool`)."""
        pool = self.pool
        assert pool.inline_limit is not None
        context = contextvars.copy_context()
        blocked_from, preempted_from = _thread_switches()
        cpu_from = time.thread_time()
        process_cpu_from = time.process_time()
        wall_from = time.perf_counter()
        try:
            return context.run(_off_the_loop, func, *args)
        finally:
            wall = time.perf_counter() - wall_from
            cpu = time.thread_time() - cpu_from
            # While the view let go of the GIL (in sqlite, say), the process's other threads
            # may have taken it: that time is theirs, not the view's.
            elsewhere = time.process_time() - process_cpu_from - cpu
            spent = max(wall - max(elsewhere, 0.0), cpu)
            blocked, preempted = _thread_switches()
            if preempted > preempted_from and blocked == blocked_from:
                # The system took the core away (another process, on a busy machine) and the
                # view never blocked: the time it did not compute was not the view's waiting.
                spent = cpu
            if spent - cpu > 10 * pool.inline_limit:
                view.inline = False
                view.barred = True
            elif not view.in_threads:
                # (While its own calls from before the move still run in threads, they take
                # the GIL whenever this call lets go of it: such a call is not counted.)
                view.late.append(spent > pool.inline_limit or spent - cpu > pool.inline_wait)
                if 4 * sum(view.late) > view.late.maxlen:
                    view.inline = False
                    view.short_in_a_row = 0
                    view.needed *= 4


def _thread_switches() -> tuple[int, int]:
    """How often the calling thread has blocked (voluntary context switches) and been
    preempted (involuntary ones) so far; ``(0, 0)`` where the system does not tell (Linux
    does)."""
    if _RUSAGE_THREAD is None:
        return 0, 0
    usage = resource.getrusage(_RUSAGE_THREAD)
    return usage.ru_nvcsw, usage.ru_nivcsw


def _timed(work: Callable[[], Any], took: list[float]) -> Any:
    """Call ``work()``; append how long it took (wall time) to ``took``."""
    started = time.perf_counter()
    try:
        return work()
    finally:
        took.append(time.perf_counter() - started)


# anyio 4.1 renamed to_thread.run_sync's `cancellable` (3.x) to `abandon_on_cancel`
_ABANDON_ON_CANCEL = ("abandon_on_cancel"
                      if "abandon_on_cancel" in inspect.signature(anyio.to_thread.run_sync).parameters
                      else "cancellable")

#: The pool every :class:`LegacyBridge` uses unless given another.
DEFAULT_THREAD_POOL = LegacyThreadPool()


def _first_request(app: Flask) -> None:
    """What Flask's ``full_dispatch_request`` does first on the app's first request: from now
    on the app has handled one (its setup methods refuse); before Flask 2.3, its
    ``before_first_request`` functions run first, once, under its lock, as Flask 2.2 runs them
    (knowledge-repo makes its excluded tags and starts its index refresh in them)."""
    functions = getattr(app, "before_first_request_funcs", None)  # Flask < 2.3
    if not functions:
        app._got_first_request = True
        return
    with getattr(app, "_before_request_lock", None) or contextlib.nullcontext():
        if not app._got_first_request:
            for function in functions:
                app.ensure_sync(function)()
            app._got_first_request = True


class LegacyBridge:
    """Run converted FastAPI endpoints inside the legacy Flask app's request context.

    ``bridge = LegacyBridge(flask_app)`` (or ``LegacyBridge()``, which uses
    ``app.state.legacy_flask_app`` of the serving FastAPI app); decorate each converted
    *sync* endpoint with
    ``@bridge.route`` (alias ``@bridge.endpoint``) *below* the FastAPI route decorator.
    For every request the bridged endpoint does what Flask's ``wsgi_app`` does around a
    view:

    1. builds a WSGI environ from the Starlette request (method, path, ``root_path``,
       query string, headers, body, client, scheme, server) and pushes
       ``flask_app.request_context(environ)``, so ``flask.request``, ``session`` (read
       from Flask's own session cookie), ``g``, ``current_app`` and ``url_for`` work in
       shared code;
    2. sends ``request_started`` and runs ``flask_app.preprocess_request()`` (URL value
       preprocessors and ``before_request`` hooks); a hook's return value is the answer;
    3. calls the endpoint with the parameters FastAPI validated (a plain ``str`` query, header
       or cookie parameter gets the value Flask would read where the two differ: a repeated
       key, Werkzeug's cookie parsing; :func:`_flask_value_reads`) and turns the result
       into a Flask response: Flask-style values (``str``, ``bytes``, ``dict``, ``list``,
       ``(body, status)``, ``(body, headers)``, ``(body, status, headers)``, a Flask or
       Werkzeug response) exactly as ``flask_app.make_response``; FastAPI-style values as
       FastAPI would answer them (a Starlette ``Response`` keeps its status, headers and
       body; Pydantic models and dataclasses become JSON written by the legacy app's JSON
       provider, and so do ``None`` and numbers where the endpoint declares them, in its
       return annotation (``-> float``, ``-> Item | None``), its route's ``status_code`` or an
       injected ``response: Response`` parameter: otherwise they are Flask's error (500), as
       for a converted view that ends without a return; the route's ``status_code`` and
       headers set on the injected response apply when the value is not a response);
    4. on an exception: FastAPI's ``HTTPException`` becomes the Werkzeug exception of the
       same code (``detail`` as description, headers kept); it, ``abort()`` from shared
       code and any other exception go to ``flask_app.handle_user_exception``, so the
       legacy ``@app.errorhandler`` functions answer; an unhandled exception goes to
       ``flask_app.handle_exception`` (500, or re-raised when ``TESTING`` or
       ``PROPAGATE_EXCEPTIONS`` is set), as in Flask;
    5. runs ``flask_app.process_response`` (``after_request`` hooks, session cookie
       saved), pops the context (``teardown_request``/``teardown_appcontext`` run once,
       with the error if there was one) and returns a Starlette response with the same
       status code, headers (repeated ``Set-Cookie`` kept) and body bytes.

    FastAPI's own request validation (the 422 answer) happens before the endpoint is
    called and is left alone, as is a ``RequestValidationError`` raised by the endpoint.

    The endpoint FastAPI registers is a ``functools.wraps`` wrapper, so names,
    operation ids, summaries and descriptions come from the original function. Its
    ``__signature__`` is the original one plus one keyword-only parameter,
    ``_legacy_request: Request``, which FastAPI never documents. The wrapper is a coroutine
    function: FastAPI awaits it on the event loop, it reads the body there
    (:func:`read_body`) and runs the whole legacy request cycle, the sync view included, in
    a worker thread, in one hop: through ``threads``, a :class:`LegacyThreadPool` (by default
    one shared by every bridge), which keeps few views running at once while they compute,
    adds threads while they wait on I/O, and runs a view that has shown it is short in place,
    on the event loop's thread, for as long as it stays short.

    The request object is built when something first reads it (``flask.request``,
    ``url_for``, an error handler), not before: see :class:`_DeferredRequestContext`. A
    converted view whose parameters FastAPI reads, and hooks that only use ``g``,
    ``session`` and ``current_app``, never pay for it.

    Known differences from Flask:

    * the legacy context exists only around the endpoint call: FastAPI validates the
      parameters and solves ``Depends(...)`` dependencies *before* it is pushed, so a
      request with invalid parameters gets FastAPI's 422 without the ``before_request``
      hooks running, and dependencies cannot use ``flask.g``/``session``;
    * the view runs in a worker thread (or in place, see :class:`LegacyThreadPool`), not
      in the thread of a WSGI server; the legacy app's URL map is still matched
      (``request.endpoint``) when the request is built, and if it has no rule for the
      path, ``request.endpoint`` is ``None`` and ``request.view_args`` holds FastAPI's
      validated path parameters; while the request is not built yet, the blueprint hooks
      that run are those of the legacy endpoint the route was converted from (the route's
      ``name``), not those of whatever rule Flask's matcher would pick for the path;
    * a Flask response body made by a generator streams as under a WSGI server (read after
      the context is popped, by the thread that ran the view, and sent as it comes; a view
      that has moved in place reads it on the event loop's thread, a short answer at once).
      The scan keeps the views it sees streaming on Flask; not every stream shows in the
      source. A file (``send_file``, ``send_from_directory``) is sent a chunk at a time, and
      a Starlette ``StreamingResponse``/``FileResponse`` keeps streaming;
    * a custom reason phrase (``return "x", "299 Odd"``) is lost: ASGI carries the
      status code only;
    * ``response_model`` filtering is not applied to the returned value (FastAPI skips
      it for returned ``Response`` objects); the schema still documents it.
    """

    def __init__(
        self,
        flask_app: Flask | None = None,
        *,
        json_encoding: str = "flask",
        threads: LegacyThreadPool | None = None,
    ) -> None:
        """Bridge endpoints to ``flask_app``, the legacy application object.

        ``json_encoding="flask"`` (the default) writes the dicts, lists and models an endpoint
        returns exactly as the legacy app's JSON provider does (sorted keys, ASCII, a trailing
        newline, HTTP dates), so clients see the same bytes; ``"fastapi"`` writes them as
        FastAPI does (insertion order, UTF-8, ISO 8601 dates, no trailing newline).

        Without ``flask_app`` the bridge looks the legacy app up for every request on the
        FastAPI app serving it, as ``app.state.legacy_flask_app``; one module-level
        bridge can then serve several FastAPI apps built around different legacy apps
        (tests, app factories).
        """
        if json_encoding not in ("flask", "fastapi"):
            raise ValueError(f"json_encoding must be 'flask' or 'fastapi', not {json_encoding!r}")
        self.flask_app = flask_app
        self.json_encoding = json_encoding
        self.threads = threads if threads is not None else DEFAULT_THREAD_POOL

    def app_for(self, scope: Scope) -> Flask:
        """The legacy Flask app for a request: the bound one, else the serving app's state."""
        if self.flask_app is not None:
            return self.flask_app
        legacy = getattr(getattr(scope.get("app"), "state", None), STATE_ATTRIBUTE, None)
        if isinstance(legacy, Flask):
            return legacy
        raise RuntimeError(
            "LegacyBridge() has no Flask app: pass one, or set"
            f" `app.state.{STATE_ATTRIBUTE}` on the FastAPI app."
        )

    # -- decorator ----------------------------------------------------------------------

    def route(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Decorate a sync endpoint function so that it runs through the legacy app.

        Apply it below ``@router.get(...)``/``@app.post(...)``; the returned function is
        what FastAPI registers. Raises ``TypeError`` for coroutine or generator
        functions, and if the function already has a parameter named
        ``_legacy_request`` or ``_legacy_body``.
        """
        if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
            raise TypeError(f"{func.__qualname__}: LegacyBridge.route needs a plain `def`.")
        if inspect.isgeneratorfunction(func):
            raise TypeError(f"{func.__qualname__}: generator endpoints cannot be bridged.")
        try:
            signature = inspect.signature(func, eval_str=True)
        except NameError:
            signature = inspect.signature(func)  # FastAPI resolves the rest itself.
        params = list(signature.parameters.values())
        for param in params:
            if param.name in (REQUEST_PARAM, BODY_PARAM):
                raise TypeError(f"{func.__qualname__}: parameter name {param.name!r} is reserved.")
        response_params = tuple(
            param.name
            for param in params
            if isinstance(param.annotation, type)
            and issubclass(param.annotation, StarletteResponse)
        )
        flask_value_reads = _flask_value_reads(params)
        # What a FastAPI-style endpoint declares (a route `status_code` and an injected response
        # are read per request): None or a number answers as JSON only when declared.
        declared_scalars = _declared_scalars(signature.return_annotation)
        if response_params:
            declared_scalars = (type(None), bool, int, float)
        hidden = inspect.Parameter(REQUEST_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        if params and params[-1].kind is inspect.Parameter.VAR_KEYWORD:
            params.insert(len(params) - 1, hidden)
        else:
            params.append(hidden)
        bridge = self

        @functools.wraps(func)
        async def bridged(*args: Any, **kwargs: Any) -> StarletteResponse:
            # A coroutine function, so that FastAPI calls it on the event loop: it reads the
            # body there and then makes the one hop to the thread pool for the whole legacy
            # request cycle (FastAPI would otherwise solve a body dependency and hop itself).
            try:
                request = kwargs.pop(REQUEST_PARAM)
            except KeyError:
                raise TypeError(
                    f"{func.__qualname__} is bridged to the legacy Flask app and must be"
                    " called by FastAPI; call its __wrapped__ attribute directly instead."
                ) from None
            if flask_value_reads:
                _give_flask_values(request, kwargs, flask_value_reads)
            body = await read_body(request)
            sub_responses = [kwargs[name] for name in response_params if name in kwargs]
            scope = request.scope
            view_args = {
                name: kwargs.get(name, value)  # FastAPI's validated value, e.g. an int
                for name, value in scope.get("path_params", {}).items()
            }

            def view() -> Any:
                return func(*args, **kwargs)

            def finish(rv: Any) -> Any:
                return bridge._endpoint_value(rv, scope, sub_responses, declared_scalars)

            # One context for the legacy call and every later step of an answer that streams
            # (stream_with_context resets, at its end, the context variables the view set).
            context = contextvars.copy_context()
            stream_here = _answer_stream(request, context)
            if stream_here is not None and bridge.threads.inline_limit is not None:
                stream_here.read_limit = bridge.threads.inline_limit
            try:
                answer = await bridge.threads.run(
                    context.run, bridge.respond, scope, body, view, finish, view_args,
                    stream_here, key=func,
                    abandon_on_cancel=stream_here is not None,
                )
            except Exception:
                if stream_here is not None:  # it broke off: send what was read, as a WSGI
                    await stream_here.send_what_was_read()  # server had written it
                raise
            except BaseException:
                if stream_here is not None:
                    stream_here.stop()
                raise
            if answer is _STREAMED:
                assert stream_here is not None and stream_here.streamed_status is not None
                await stream_here.sent()
                return _SentAnswer(stream_here.streamed_status)
            return answer

        bridged.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=params, return_annotation=_documented_answer(signature.return_annotation))
        bridged.__flask_compat_bridge__ = self  # type: ignore[attr-defined]
        return bridged

    endpoint = route

    # -- the request cycle -------------------------------------------------------------

    def respond(
        self,
        scope: Scope,
        body: bytes,
        view: Callable[[], Any],
        finish: Callable[[Any], Any] | None = None,
        view_args: dict[str, Any] | None = None,
        stream_here: "_StreamFromThread | None" = None,
    ) -> StarletteResponse:
        """Run ``view`` as Flask's ``wsgi_app`` runs a view, and return the answer.

        ``scope`` is the ASGI scope and ``body`` the raw request body. ``finish`` turns
        the view's return value into something ``make_response`` accepts; it runs after
        the view, outside the error handling, as ``make_response`` does in Flask.
        ``view_args`` becomes ``flask.request.view_args`` when the legacy URL map has no
        rule for the path (default: the ASGI path parameters). This is what bridged
        endpoints call; it is public for custom integrations.

        An answer that streams (a generator body without a ``Content-Length`` up to 1 MiB) is
        returned as a ``StreamingResponse`` whose chunks are each read in a worker thread;
        bridged endpoints pass ``stream_here``: called in a worker thread, this call then reads
        and sends such an answer itself (see :func:`_answer_stream`), and called in place, it
        reads it on the event loop's thread (:func:`_read_in_place`).
        """
        app = self.app_for(scope)
        environ = _build_environ(scope, body)
        middleware = vars(app).get("request_context")
        if isinstance(middleware, LegacyMiddlewarePass):
            passed = middleware.run(environ, _fastapi_reads(scope.get("route")))
            if isinstance(passed, StarletteResponse):
                return passed  # the middleware's own answer, or Flask's (see run)
            environ = passed
        fallback_view_args = scope.get("path_params", {}) if view_args is None else view_args
        endpoint = _deferred_endpoint(app, scope, environ)
        ctx: RequestContext
        if endpoint is not None:
            ctx = _DeferredRequestContext(
                app, environ, app.session_interface.session_class(), endpoint, fallback_view_args
            )
        else:
            ctx = _request_context(app, environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                if endpoint is None:
                    request = ctx.request
                    if request.url_rule is None and request.view_args is None:
                        request.view_args = dict(fallback_view_args)
                routed = getattr(scope.get("route"), "name", None)
                if not _routed_by_legacy_map(app, routed):
                    routed = None
                response = self._full_dispatch(
                    app, ctx, view, finish, scope.get(GUARDS_KEY, ()), routed)
            except RequestValidationError as e:  # FastAPI's, left to FastAPI.
                error = e
                raise
            except Exception as e:  # noqa: BLE001 -- Flask's wsgi_app catches everything.
                error = e
                response = app.handle_exception(e)
            except BaseException:
                error = sys.exc_info()[1]
                raise
            app_iter, _status, headers = response.get_wsgi_response(environ)
            streamed = getattr(response, "_flask_compat_stream", None)
        finally:
            if error is not None and app.should_ignore_error(error):
                error = None
            ctx.pop(error)

        raw_headers = _raw_headers(headers)
        if streamed is not None:
            # A StreamingResponse/FileResponse from the endpoint: keep its body iterator,
            # with the status and headers the legacy hooks produced.
            streamed.status_code = response.status_code
            streamed.raw_headers[:] = raw_headers  # in place: .headers caches the list
            return streamed
        if response.direct_passthrough and not isinstance(app_iter, (list, tuple)):
            # `send_file`, `send_from_directory` (a file wrapper, or a byte range of one): sent
            # a chunk at a time, as a WSGI server sends it, not read into memory whole first
            answer = StreamingResponse(_chunks_in_threads(app_iter, _read_ahead),
                                       status_code=response.status_code)
            answer.raw_headers[:] = raw_headers
            return answer
        if not isinstance(app_iter, (list, tuple)) and _streams(raw_headers):
            return _stream_answer(app_iter, response.status_code, raw_headers, stream_here)
        try:
            content = b"".join(app_iter)
        finally:
            _close(app_iter)
        answer = StarletteResponse(content=content, status_code=response.status_code)
        answer.raw_headers[:] = raw_headers
        return answer

    def _full_dispatch(
        self,
        app: Flask,
        ctx: RequestContext,
        view: Callable[[], Any],
        finish: Callable[[Any], Any] | None,
        guards: Iterable[Callable[[], Any]] = (),
        routed_endpoint: str | None = None,
    ) -> WerkzeugResponse:
        """Flask's ``full_dispatch_request`` with ``view`` in place of URL dispatching.

        ``guards`` are the checks of the route's :class:`LegacyGuard` dependencies, outermost
        decorator first: they run after the ``before_request`` hooks and before the view, as
        the legacy decorators did; the first that does not let the request through answers
        (its value is a Flask view's return value, ``None`` included, as in Flask).

        ``routed_endpoint``: the route's legacy endpoint, when the legacy URL map routes its
        requests (:func:`_routed_by_legacy_map`). Where the map refuses the request or sends
        it to another endpoint, Flask's ``dispatch_request`` answers instead of the view: the
        routing error (404, 405, a redirect, through the error handlers) or the other view.
        """
        from_view = False
        deferred = isinstance(ctx, _DeferredRequestContext)
        if not app._got_first_request:
            _first_request(app)
        try:
            request_started.send(app, _async_wrapper=app.ensure_sync)
            rv = ctx.preprocess() if deferred else app.preprocess_request()
            answered = rv is not None
            if not answered and routed_endpoint is not None and _routed_elsewhere(
                    ctx, routed_endpoint):
                rv = app.dispatch_request()  # Flask's routing error, or the view it chose
                answered = True
            if not answered:
                # Flask's dispatch_request raises the routing exception before the view. The
                # route itself is FastAPI's decision, but a Host header that TRUSTED_HOSTS
                # rejects is not a routing matter: Flask answers 400, and so must we.
                untrusted = _untrusted_host(ctx)
                if untrusted is not None:
                    raise untrusted
                for check in guards:
                    rv = check()
                    if rv is not _LET_THROUGH:
                        answered = True
                        break
            if not answered:
                rv = view()
                from_view = True
        except RequestValidationError:
            raise
        except Exception as e:  # noqa: BLE001 -- as full_dispatch_request; may re-raise.
            if isinstance(e, StarletteHTTPException):
                e = _http_exception_to_werkzeug(e)
            rv = app.handle_user_exception(e)
        if from_view and finish is not None:
            rv = finish(rv)
        if not deferred:
            return app.finalize_request(rv)
        # Flask's finalize_request, with the deferred context's process_response.
        response = app.make_response(rv)
        response = ctx.process_response(response)
        request_finished.send(app, _async_wrapper=app.ensure_sync, response=response)
        return response

    # -- return values ----------------------------------------------------------------

    def _endpoint_value(
        self,
        rv: Any,
        scope: Scope,
        sub_responses: list[StarletteResponse],
        declared_scalars: tuple[type, ...] = (),
    ) -> Any:
        """Turn an endpoint's return value into a value Flask's ``make_response`` takes.

        ``None`` and numbers are FastAPI's answers (JSON, or no body for a ``status_code`` that
        has none) only for an endpoint that declares them (``declared_scalars``, from its return
        annotation or an injected response) or its route's ``status_code``; otherwise they go to
        ``make_response`` as they are, which answers as Flask does: a ``TypeError`` (500), for a
        view that ended without a return, say.
        """
        app = self.app_for(scope)
        if self.json_encoding == "fastapi":
            rv = _fastapi_json(app, rv)
        if isinstance(rv, tuple):
            if rv and (isinstance(rv[0], StarletteResponse) or _is_model(rv[0])):
                return (self._endpoint_value(rv[0], scope, []), *rv[1:])
            return rv
        if isinstance(rv, WerkzeugResponse):
            return rv
        if isinstance(rv, StarletteResponse):
            return self._from_starlette(app, rv)

        route_status = getattr(scope.get("route"), "status_code", None)
        if (rv is None or isinstance(rv, (bool, int, float))) and route_status is None \
                and not isinstance(rv, declared_scalars):
            return rv
        if _is_model(rv) or (dataclasses.is_dataclass(rv) and not isinstance(rv, type)):
            rv = _plain(app, rv)
        elif isinstance(rv, (list, dict)):
            # The common case is plain JSON data: serialise it as it is. Only a value Flask's
            # provider rejects (a Pydantic model inside, say) is walked and converted, which
            # costs far more than the serialisation itself.
            try:
                rv = app.json.response(rv)
            except TypeError:
                if isinstance(rv, list):
                    rv = [_plain(app, item) for item in rv]
                else:
                    rv = {key: _plain(app, value) for key, value in rv.items()}
        if rv is None and route_status is not None and not _body_allowed(route_status):
            response = app.response_class(status=route_status)
            del response.headers["Content-Type"]
        elif rv is None or isinstance(rv, (bool, int, float)):
            response = app.json.response(rv)
        else:
            response = app.make_response(rv)
        if route_status is not None:
            response.status_code = route_status
        for sub in sub_responses:
            if sub.status_code:
                response.status_code = sub.status_code
            for name, value in _to_werkzeug_headers(sub.raw_headers).items():
                if name.lower() != "content-length":
                    response.headers.add(name, value)
        return response

    def _from_starlette(self, app: Flask, rv: StarletteResponse) -> WerkzeugResponse:
        """A Flask response with the status, headers and body of a Starlette response."""
        headers = _to_werkzeug_headers(rv.raw_headers)
        if hasattr(rv, "body"):
            response = app.response_class(rv.body, status=rv.status_code)
            response.headers = headers
            return response
        # Streaming or file response: an empty non-sequence body, so that Werkzeug does
        # not add a Content-Length; the Starlette object keeps the real body.
        response = app.response_class(iter(()), status=rv.status_code)
        response.headers = headers
        response._flask_compat_stream = rv  # type: ignore[attr-defined]
        return response

    # -- automatic OPTIONS ------------------------------------------------------------

    def options_response(self, scope: Scope, body: bytes, methods: list[str]) -> StarletteResponse:
        """Flask's automatic ``OPTIONS`` answer for ``methods``, through the legacy hooks.

        Flask dispatches ``OPTIONS`` like any request (``before_request`` and
        ``after_request`` hooks run) and answers with an empty ``200`` whose ``Allow``
        header lists ``methods``; see ``Flask.make_default_options_response``. An app class
        that overrides that method (openEO's ``OpenEoApiApp`` answers ``204`` as JSON) gets its
        own answer, as Flask calls it, with any method only FastAPI knows added to ``Allow``.
        """

        def view() -> WerkzeugResponse:
            app = self.app_for(scope)
            if type(app).make_default_options_response is not Flask.make_default_options_response:
                response = app.make_default_options_response()
            else:
                response = app.response_class()
            response.allow.update(methods)
            return response

        return self.respond(scope, body, view)


# --------------------------------------------------------------------------------------
# Legacy view decorators as route dependencies
# --------------------------------------------------------------------------------------

#: What the guarded stand-in view returns: the legacy check let the request through.
_LET_THROUGH = object()


def _let_through(*args: Any, **kwargs: Any) -> Any:
    """The view a :class:`LegacyGuard` decorates: reached only when the check passes."""
    return _LET_THROUGH


class LegacyGuard:
    """A FastAPI dependency that runs a legacy *guard* decorator for the route.

    A guard decorator checks the request and then calls the view unchanged (``migrate scan``
    proves the shape: its wrapper lets the request through only by ``return view(*args,
    **kwargs)``, outside any try or with block, and uses neither the view nor its arguments
    anywhere else). ``LegacyGuard(require_api_key)`` applies the
    legacy decorator, once, to a stand-in view; declared on a route
    (``dependencies=[Depends(guard)]``), FastAPI calls it before the endpoint and it hands the
    check to the bridge, which runs it inside the legacy request context, after the
    ``before_request`` hooks (so ``g.user`` is loaded) and before the endpoint, in the order of
    the route's dependencies (the outermost decorator first). The answer is then the legacy
    one, byte for byte: ``abort(401)`` goes through the legacy error handlers, a returned
    ``redirect(...)`` is the response, and what the check sets on ``g`` is seen by the view.
    The check itself stays the legacy package's code: during the migration there is one
    place to fix it.

    ``headers`` names the request headers the check reads (``X-API-Key``): they are
    documented in OpenAPI as ``APIKeyHeader`` security schemes, read but never required, so
    answers do not change (the legacy check still decides).

    Fail-closed: on a route whose endpoint is not bridged (``@bridge.route``) nothing would run
    the check, so the dependency raises instead of letting the request through.
    """

    def __init__(self, decorator: Callable[[Callable[..., Any]], Callable[..., Any]], *,
                 headers: Iterable[str] = ()) -> None:
        self.decorator = decorator
        self.check = decorator(_let_through)
        self.headers = tuple(headers)
        parameters = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY,
                                        annotation=Request)]
        for index, header in enumerate(self.headers):
            scheme = APIKeyHeader(name=header, scheme_name=header, auto_error=False)
            parameters.append(inspect.Parameter(
                f"header_{index}", inspect.Parameter.KEYWORD_ONLY, annotation=str | None,
                default=Security(scheme)))
        self.__signature__ = inspect.Signature(parameters, return_annotation=None)

    def __repr__(self) -> str:
        name = getattr(self.decorator, "__qualname__", repr(self.decorator))
        return f"LegacyGuard({name})"

    async def __call__(self, request: Request, **documented: Any) -> None:
        """Hand the check to the bridge, which runs it inside the legacy request context."""
        endpoint = getattr(request.scope.get("route"), "endpoint", None)
        if getattr(endpoint, "__flask_compat_bridge__", None) is None:
            raise RuntimeError(f"{self!r} guards a route whose endpoint is not bridged "
                               "(@bridge.route): nothing would run the legacy check.")
        request.scope.setdefault(GUARDS_KEY, []).append(self.check)


# --------------------------------------------------------------------------------------
# HEAD and OPTIONS
# --------------------------------------------------------------------------------------


def _route_candidates(routes: list[Any]) -> Iterable[Any]:
    """Every route of an app, with routes of included routers flattened.

    Recent FastAPI versions keep an included router as one entry of ``app.router.routes``
    and expose the effective routes through ``fastapi.routing.iter_route_contexts``;
    older ones copy the routes into the list.
    """
    from fastapi import routing as fastapi_routing

    iterate = getattr(fastapi_routing, "iter_route_contexts", None)
    return routes if iterate is None else iterate(routes)


def _rule_methods(methods: Iterable[str]) -> set[str]:
    """The methods Flask gives a rule declared with ``methods``: OPTIONS always, HEAD with GET."""
    result = {method.upper() for method in methods} | {"OPTIONS"}
    if "GET" in result:
        result.add("HEAD")
    return result


class FlaskMethodsMiddleware:
    """Answer ``HEAD`` and ``OPTIONS`` on converted routes the way Flask does.

    Flask adds ``HEAD`` and ``OPTIONS`` to every rule; a FastAPI ``@router.get`` route
    answers 405 to both. This pure ASGI middleware (no ``BaseHTTPMiddleware``, so
    contextvars and background tasks behave) looks at requests whose path matches at
    least one route of the FastAPI app (Starlette matching, ``Match.FULL`` or
    ``Match.PARTIAL``; ``Mount`` and ``Host`` entries are skipped):

    * ``HEAD``, when no route declares ``HEAD`` but one allows ``GET``: the request is
      served as ``GET`` and the body is dropped; status and headers, ``Content-Length``
      included, are kept. A bridged endpoint still sees ``request.method == "HEAD"``.
    * ``OPTIONS``, when no route declares ``OPTIONS``: ``200`` with an empty body,
      ``Content-Type: text/html; charset=utf-8``, ``Content-Length: 0`` and an ``Allow``
      header listing the allowed methods in Werkzeug's format (``"GET, HEAD, OPTIONS"``).
      Like Flask, the order is the iteration order of a set of method names: if the
      legacy app mounted by :func:`mount_legacy` has rules for the path, their methods
      come first, exactly as Flask lists them, followed by any the FastAPI routes add;
      otherwise it is the set Flask would build for the FastAPI routes' methods. If the
      first matching route is bridged, the answer goes through the legacy
      ``before_request``/``after_request`` hooks, as Flask's automatic answer does. Where the
      legacy rule for the path gives no automatic answer (``provide_automatic_options=False``
      however it was set, ``PROVIDE_AUTOMATIC_OPTIONS = False`` included), the mounted legacy
      app answers instead: 405, or the view's own answer, as in Flask.

    Anything else, including every path no FastAPI route matches, passes through
    untouched (a mounted legacy app answers ``HEAD``/``OPTIONS`` itself).

    Add it with ``app.add_middleware(FlaskMethodsMiddleware)`` (the routes are those of
    the app serving the request) or wrap the app: ``FlaskMethodsMiddleware(app)``. Add
    ``CORSMiddleware`` after it, so that CORS stays outermost and answers preflights.
    """

    def __init__(self, app: ASGIApp, fastapi_app: Starlette | None = None) -> None:
        """``app`` is the ASGI app to call; ``fastapi_app`` owns the routes.

        ``fastapi_app`` defaults to ``app`` when that is a Starlette/FastAPI app, and
        otherwise to the app serving each request (``scope["app"]``), which is what
        ``app.add_middleware(FlaskMethodsMiddleware)`` needs.
        """
        self.app = app
        if fastapi_app is None and isinstance(app, Starlette):
            fastapi_app = app
        self.fastapi_app = fastapi_app

    def _routes_app(self, scope: Scope) -> Starlette:
        routes_app = self.fastapi_app if self.fastapi_app is not None else scope.get("app")
        if isinstance(routes_app, Starlette):
            return routes_app
        raise RuntimeError("FlaskMethodsMiddleware cannot find the FastAPI app: pass fastapi_app=.")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        state = self._routes_app(scope).state if scope["type"] == "http" else None
        if scope["type"] != "http" or scope["method"] not in ("HEAD", "OPTIONS") or getattr(
                state, LEGACY_ONLY_ATTRIBUTE, None) is not None or (
                scope["method"] == "OPTIONS" and getattr(state, LEGACY_MIDDLEWARE_ATTRIBUTE, None)):
            # (the legacy app's WSGI middleware may answer an OPTIONS request itself: the
            # legacy app answers it, through the middleware)
            await self.app(scope, receive, send)
            return
        matched = self._matching_routes(scope)
        if not matched or any(match is Match.FULL for match, _ in matched):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD":
            if any("GET" in (route.methods or ()) for _, route in matched):
                await self._head_as_get(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        await self._options(scope, receive, send, [route for _, route in matched])

    def _matching_routes(self, scope: Scope) -> list[tuple[Match, Any]]:
        matched = []
        changed = getattr(self._routes_app(scope).state, CHANGED_VIEWS_ATTRIBUTE, None) or {}
        for route in _route_candidates(self._routes_app(scope).router.routes):
            if isinstance(getattr(route, "original_route", route), (Mount, Host)):
                continue
            if getattr(route, "methods", None) is None:
                continue
            if getattr(route, "name", None) in changed:
                continue  # answered by the legacy app (mount_legacy), HEAD and OPTIONS too
            # A copy: FastAPI's matching may record its state in the scope.
            match, _child = route.matches(dict(scope))
            if match is not Match.NONE:
                matched.append((match, route))
        return matched

    async def _head_as_get(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope = {**scope, "method": "GET", ORIGINAL_METHOD_KEY: "HEAD"}
        finished = False

        async def send_without_body(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.start":
                await send(message)
            elif not finished and (
                message["type"] == "http.response.pathsend"
                or (message["type"] == "http.response.body" and not message.get("more_body"))
            ):
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app(scope, receive, send_without_body)

    async def _options(self, scope: Scope, receive: Receive, send: Send, routes: list[Any]) -> None:
        methods: list[str] = []
        legacy: Flask | None = None
        mounted = self._legacy_mount(scope)
        if mounted is not None:
            mount, legacy, child_scope = mounted
            if any(_routed_by_legacy_map(legacy, getattr(route, "name", None)) for route in routes):
                # its converters (which may need the app's context) decide Flask's answer
                await mount.handle({**scope, **child_scope}, receive, send)
                return
            adapter = legacy.create_url_adapter(legacy.request_class(_build_environ(scope, b"")))
            if adapter is not None:
                if not _automatic_options(adapter):
                    # Flask gives this path no automatic OPTIONS answer (the rule says
                    # provide_automatic_options=False: the view's own, or 405): Flask answers.
                    await mount.handle({**scope, **child_scope}, receive, send)
                    return
                methods = list(adapter.allowed_methods())
        body = await _receive_body(receive)
        # For a path the legacy app knows (every converted route), its own matcher gave the
        # methods in Flask's order. Flask's order is a set's iteration order, which depends on
        # the set's whole insertion history, so it cannot be rebuilt for methods only FastAPI
        # knows (a route that is new, not migrated); those come in a fixed order instead (the
        # Allow header is a set: RFC 9110, section 10.2.1).
        extra = set().union(*(_rule_methods(route.methods) for route in routes))
        methods += sorted(extra - set(methods))

        bridge = getattr(routes[0].endpoint, "__flask_compat_bridge__", None)
        if isinstance(bridge, LegacyBridge):
            response = await bridge.threads.run(bridge.options_response, scope, body, methods)
        else:
            plain = (legacy.response_class if legacy is not None else FlaskResponse)()
            plain.allow.update(methods)
            _iter, _status, headers = plain.get_wsgi_response({"REQUEST_METHOD": "OPTIONS"})
            response = StarletteResponse(status_code=plain.status_code)
            response.raw_headers[:] = _raw_headers(headers)
        await response(scope, receive, send)

    def _legacy_mount(self, scope: Scope) -> tuple[Mount, Flask, Scope] | None:
        """The mount of the Flask app (by :func:`mount_legacy`) under this path, if any: the
        mount, the app, and the scope changes the mount's match makes."""
        for route in self._routes_app(scope).router.routes:
            if not isinstance(route, Mount):
                continue
            flask_app = getattr(route.app, "app", None)
            if isinstance(flask_app, Flask):
                match, child_scope = route.matches(dict(scope))
                if match is Match.FULL:
                    return route, flask_app, child_scope
        return None


def _automatic_options(adapter: Any) -> bool:
    """Whether Flask answers OPTIONS for the adapter's path by itself: no rule there (a route
    only FastAPI has), or the rule Werkzeug picks for OPTIONS provides the automatic answer.
    False when that rule was added with ``provide_automatic_options=False`` (the argument, the
    view's attribute, ``PROVIDE_AUTOMATIC_OPTIONS = False`` in the config, or OPTIONS among the
    view's methods): Flask then answers 405, or lets the view answer."""
    try:
        rule, _args = adapter.match(method="OPTIONS", return_rule=True)
    except WerkzeugHTTPException as error:
        # 405: no rule takes OPTIONS; 404: none has the path; 308 (a redirect) as before
        return error.code != 405
    except RoutingException:  # another routing outcome (an alias redirect): Flask answers it
        return False
    return bool(getattr(rule, "provide_automatic_options", False))


async def _receive_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


# --------------------------------------------------------------------------------------
# Mounting the legacy app
# --------------------------------------------------------------------------------------


#: What :meth:`LegacyMount._start` returns for an answer that streams: the legacy app's
#: iterable, an iterator over it, and what the app passes to ``write()`` meanwhile.
_Stream = tuple[Iterable[bytes], Any, list[bytes]]

#: The largest legacy answer with a ``Content-Length`` that is read at once, not streamed.
_MAX_BUFFERED_ANSWER = 1 << 20
_STREAM_END = object()


class LegacyMount:
    """The legacy Flask app as an ASGI app: what :func:`mount_legacy` mounts behind the routes.

    It does what a WSGI adapter such as ``a2wsgi`` does, with the bridge's WSGI environ
    (:func:`_build_environ`, so shared code sees the same ``flask.request`` on a converted
    route and on one left on Flask) and the bridge's :class:`LegacyThreadPool`, so that a
    route left on Flask costs about what it cost under Flask's sync worker. (``a2wsgi``
    hands every call to a thread and every message of the answer back to the event loop,
    three thread round trips per request: a trivial route served through it used about
    twice the CPU per request it used under Flask.)

    * A request whose body has a known size up to ``max_buffered_body`` (1 MiB; GET
      requests have none) is read first. Its legacy call is then one call of the pool, keyed
      by the Flask endpoint the path matches: a short legacy view runs in place on the event
      loop, as a short bridged view does, and a view that waits stays in a thread (see
      :class:`LegacyThreadPool`). A larger or chunked body streams to the legacy app:
      ``wsgi.input`` reads it from the connection as the app asks, so that call always runs
      in a thread.
    * An answer with a ``Content-Length`` up to ``max_buffered_answer`` (1 MiB), or with no
      body (HEAD, 204, 304), is read within that same call and sent at once. Any other
      answer (a generator, a large file) is sent as it comes, by the thread that called the
      legacy app: it reads every chunk and hands each to the event loop to send, as a WSGI
      server's worker does. A generator may use what the view made in its thread (a sqlite3
      connection refuses any other thread; under load, reading each chunk in whichever thread
      was free broke every streamed answer that read the database). The chunks are read in the
      context of the call that made the answer (Flask's ``stream_with_context`` resets, at the
      end of the stream, context variables it set in the view), the stream stops when the
      client has gone (an endless event stream would otherwise keep its thread), and the
      legacy iterable is closed in the end. A view that streamed is called in a thread from
      then on; should one that has moved in place stream an answer first, that answer's chunks
      are each read in a thread, as before.

    Exceptions the legacy app lets out (Flask lets none out unless ``PROPAGATE_EXCEPTIONS``)
    reach the ASGI server as they would from any ASGI app. A websocket is closed: Flask
    cannot serve one.
    """

    #: How many paths' view keys are remembered: without them every request would be matched
    #: against the legacy URL map twice, here and in Flask.
    VIEW_KEYS_KEPT = 4096

    def __init__(
        self,
        app: Flask,
        threads: LegacyThreadPool | None = None,
        *,
        max_buffered_body: int = 1 << 20,
        max_buffered_answer: int = _MAX_BUFFERED_ANSWER,
    ) -> None:
        self.app = app
        self.threads = threads if threads is not None else DEFAULT_THREAD_POOL
        self.max_buffered_body = max_buffered_body
        self.max_buffered_answer = max_buffered_answer
        self._view_keys: dict[tuple[Any, ...], Hashable] = {}  # (method, host, path) -> key
        self._streaming_keys: set[Hashable] = set()  # views that streamed: always in a thread

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1000})
            return
        if scope["type"] != "http":
            return
        # One context for the whole request: the legacy call and every later step of a
        # streamed answer run in it, so a context variable the view set and a generator
        # resets later are the same variable in the same context.
        context = contextvars.copy_context()
        declared = _declared_body_length(scope)
        if declared is not None and declared <= self.max_buffered_body:
            environ = _build_environ(scope, await _receive_body(receive))
            key: Hashable | None = self.view_key(environ)
            if key in self._streaming_keys:
                key = None  # a view that streamed: called, and read, in one thread
            disconnects: Receive | None = receive  # all it can give now: the disconnect
        else:
            environ = _build_environ(scope, b"")
            environ["wsgi.input"] = io.BufferedReader(_StreamedBody(receive))
            environ.pop("CONTENT_LENGTH", None)
            if declared is not None:
                environ["CONTENT_LENGTH"] = str(declared)
            key = None  # it reads the connection from its thread: never in place
            disconnects = None  # the legacy app reads the body from it: nobody else may
        stream_here = _StreamFromThread(send, disconnects, threading.get_ident())
        try:
            status, headers, body, stream = await self.threads.run(
                context.run, self._start, environ, stream_here, key=key, abandon_on_cancel=True
            )
        except Exception:
            # a streamed answer broke off: what was read before is sent, as a WSGI server had
            # written it, then the error reaches the server
            await stream_here.send_what_was_read()
            raise
        except BaseException:
            stream_here.stop()
            raise
        if stream is None:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        self._streaming_keys.add(self.view_key(environ))
        if stream is _STREAMED:
            await stream_here.sent()  # read by the thread that called the legacy app
            return
        iterable, iterator, written = stream
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            while True:
                if body:
                    await send({"type": "http.response.body", "body": body, "more_body": True})
                chunk = await self.threads.run(context.run, _next_chunk, iterator, written)
                if chunk is _STREAM_END:
                    break
                body = chunk
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                with anyio.CancelScope(shield=True):
                    await self.threads.run(context.run, close)

    def view_key(self, environ: dict[str, Any]) -> Hashable:
        """What the thread pool tells this request's view by: the legacy endpoint its method and
        path match (requests that match no rule, or need a redirect, are one group)."""
        method = environ["REQUEST_METHOD"]
        where = (method, environ.get("HTTP_HOST"), environ["SCRIPT_NAME"], environ["PATH_INFO"])
        key = self._view_keys.get(where)
        if key is None:
            try:
                rule, _args = self.app.url_map.bind_to_environ(environ).match(return_rule=True)
                key = (LegacyMount, method, rule.endpoint)
            except Exception:  # noqa: BLE001 -- 404, 405, a redirect, host matching: one group.
                key = (LegacyMount, method, None)
            if len(self._view_keys) >= self.VIEW_KEYS_KEPT:
                self._view_keys.clear()
            self._view_keys[where] = key
        return key

    def _start(
        self, environ: dict[str, Any], stream_here: "_StreamFromThread"
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes, _Stream | object | None]:
        """Call the legacy app; read its answer now unless it is large or of unknown length.
        Called in a worker thread, send such an answer from here (``_STREAMED``); called in
        place, leave it to the event loop."""
        status, headers, body, stream = _start_wsgi(self.app, environ, self.max_buffered_answer)
        if stream is None or threading.get_ident() == stream_here.loop_thread:
            return status, headers, body, stream
        stream_here.send_all(status, headers, body, stream)
        return status, headers, b"", _STREAMED


#: What :meth:`LegacyMount._start` gives for an answer it has sent itself.
_STREAMED = object()


class _StreamFromThread:
    """Sends a streamed legacy answer that the worker thread which called the legacy app reads.

    The thread reads the chunks, as a WSGI server's worker does, and queues them; the event
    loop sends them. The thread does not wait for each chunk to be sent: that was a round trip
    between the thread and the event loop per chunk, and a stream of many small chunks (one
    JSON document per line) cost the mount about two and a half times the CPU per request
    that Flask's sync worker spent. The loop sends all that is queued, in one message, as soon
    as it comes to it: a chunk never waits for more data. A thread that has read
    ``QUEUED_BYTES`` that are not sent yet waits, as a WSGI server's write waits on a full
    socket. Once the client has gone (looked for every ``CHECK_EVERY`` seconds) or a send
    fails, the thread stops reading, and the stream is closed.
    """

    #: How often a streamed answer looks for a disconnect: looking costs about as much as
    #: sending a chunk, and a stream of many small chunks would pay it for each.
    CHECK_EVERY = 0.05
    #: How far the thread may read ahead of what has been sent (queued, or being sent).
    QUEUED_BYTES = 1 << 16

    def __init__(self, send: Send, receive: Receive | None, loop_thread: int) -> None:
        self.send = send
        self.receive = receive  # None: the legacy app reads the request body from it
        self.loop_thread = loop_thread  # a call run in place cannot send from there
        self.call_soon, self.start_task = _loop_callbacks()
        self.context: contextvars.Context | None = None  # a bridged call's (_answer_stream)
        self.streamed_status: int | None = None  # a bridged answer's, once it streams
        self.read_limit = 0.005  # called in place, how long it reads at once (_read_in_place)
        self.checked = 0.0  # when the client was last seen there (time.monotonic())
        self.gone = False  # the client has gone, or a send failed: stop reading
        self.ending = False  # the thread has stopped reading: send what is queued, then stop
        # Made when the answer turns out to stream (most answers do not):
        self._room: threading.Condition | None = None  # the thread waits on it when ahead
        self._queued: list[Message | bytes] = []  # bytes: a chunk of the body
        self._queued_bytes = 0
        self._wake_scheduled = False
        self._ready: anyio.Event | None = None  # something is queued
        self._sent: anyio.Event | None = None  # the sender is done
        self._sender: Any = None  # the task that sends (a reference keeps an asyncio task)
        self._error: BaseException | None = None

    # --- in the worker thread ------------------------------------------------------------

    def send_all(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes,
                 stream: _Stream) -> None:
        iterable, iterator, written = stream
        self._room = threading.Condition()
        try:
            if not self._queue({"type": "http.response.start", "status": status,
                                "headers": headers}):
                return
            while True:
                if body and not self._queue(body):
                    return  # the client has gone: stop reading (and close) the stream
                chunk = _next_chunk(iterator, written)
                if chunk is _STREAM_END:
                    self._queue({"type": "http.response.body", "body": b"", "more_body": False})
                    return
                body = chunk
        finally:
            _close(iterable)

    def _queue(self, message: Message | bytes) -> bool:
        """Queue ``message`` for the event loop to send, after waiting while the thread is
        ``QUEUED_BYTES`` ahead; False once the stream is to stop."""
        room = self._room
        assert room is not None
        with room:
            while self._queued_bytes >= self.QUEUED_BYTES and not self.gone:
                room.wait()
            if self.gone:
                return False
            self._queued.append(message)
            if isinstance(message, bytes):
                self._queued_bytes += len(message)
            if not self._wake_scheduled:
                self._wake_scheduled = True
                self.call_soon(self._wake)
        return True

    # --- on the event loop ---------------------------------------------------------------

    def _wake(self) -> None:
        if self._ready is None:
            self._ready, self._sent = anyio.Event(), anyio.Event()
        self._ready.set()
        if self._sender is None:
            self._sender = self.start_task(self._send_queued) or True

    async def _send_queued(self) -> None:
        try:
            while not self.gone:
                assert self._ready is not None
                await self._ready.wait()
                self._ready = anyio.Event()
                assert self._room is not None
                with self._room:
                    messages, self._queued = self._queued, []
                    self._wake_scheduled = False
                taken = sum(len(m) for m in messages if isinstance(m, bytes))
                if messages and not await self._send_messages(messages):
                    return
                with self._room:  # sent: the thread may read that much further
                    self._queued_bytes -= taken
                    self._room.notify_all()
                    if self.ending and not self._queued:
                        return
        except BaseException as e:  # noqa: BLE001 -- a failed send (or a cancelled task) is given to `sent`
            self._error = e
            self.stop()
        finally:
            assert self._sent is not None
            self._sent.set()

    async def _send_messages(self, messages: list[Message | bytes]) -> bool:
        """Send what was queued, the body's chunks in one message; False when the answer is
        over (sent, or the client has gone)."""
        first = messages[0]
        if isinstance(first, dict) and first["type"] == "http.response.start":
            await self.send(first)
            del messages[0]
        last = messages[-1] if messages else None
        ends = isinstance(last, dict)  # the last, empty message of the body
        body = b"".join(messages[:-1] if ends else messages)  # type: ignore[arg-type]
        if body and await self._client_gone():
            self.stop()
            return False
        if body or ends:
            await self.send({"type": "http.response.body", "body": body, "more_body": not ends})
        return not ends

    async def _client_gone(self) -> bool:
        """Whether the client has disconnected, looked for every ``CHECK_EVERY`` seconds. The
        request body has been read, so all ``receive`` can still give is the disconnect, which
        servers give at once once it happened; until then it would wait, and is not waited
        for."""
        now = time.monotonic()
        if self.receive is None or now - self.checked < self.CHECK_EVERY:
            return False
        self.checked = now
        with anyio.move_on_after(0):
            return (await self.receive())["type"] == "http.disconnect"
        return False

    def stop(self) -> None:
        """Stop the stream: the thread reads no further, and nothing more is sent."""
        self.gone = True
        if self._ready is not None:
            self._ready.set()
        room = self._room
        if room is not None:
            with room:
                room.notify_all()

    async def send_what_was_read(self) -> None:
        """The legacy call failed while its answer streamed: send what the thread queued before
        it failed, then stop."""
        if self._sender is None and self._queued:  # the thread's wake-up has not run yet
            self._wake()
        if self._sender is not None:
            self.ending = True
            assert self._ready is not None and self._sent is not None
            self._ready.set()
            await self._sent.wait()
        self.stop()

    async def sent(self) -> None:
        """Wait until the answer is sent (or stopped); raise what stopped its sending."""
        if self._sender is None:  # the thread's wake-up has not run yet
            self._wake()
        assert self._sent is not None
        await self._sent.wait()
        if self._error is not None:
            raise self._error


def _loop_callbacks() -> tuple[Callable[[Callable[[], Any]], Any],
                               Callable[[Callable[[], Any]], Any]]:
    """For the running event loop: how another thread schedules a callback on it without
    waiting, and how a callback on it starts a task that nothing awaits."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not asyncio: trio
        import trio

        return trio.lowlevel.current_trio_token().run_sync_soon, trio.lowlevel.spawn_system_task
    return loop.call_soon_threadsafe, lambda task: loop.create_task(task())


def _start_wsgi(
    app: Callable[..., Iterable[bytes]], environ: dict[str, Any], max_buffered_answer: int
) -> tuple[int, list[tuple[bytes, bytes]], bytes, _Stream | None]:
    """Call the WSGI ``app``: its status, its headers (as ASGI sends them) and its body, read
    now when it has a ``Content-Length`` up to ``max_buffered_answer`` or no body at all, or
    else its first piece and the stream of the rest (:func:`_next_chunk`; the caller closes
    the iterable)."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        # Nothing is sent before this call returns, so a later call (with exc_info, as
        # PEP 3333 allows) simply replaces the status and headers.
        started[:] = [status, headers]
        return written.append

    iterable = app(environ, start_response)
    streams = False
    try:
        iterator = iter(iterable)
        if not started:  # a WSGI app may call start_response with its first chunk
            first = _next_chunk(iterator, written)
            if not started:
                raise RuntimeError("The legacy WSGI app did not call start_response.")
            if first is not _STREAM_END:
                written.append(first)
        status_line, header_list = started
        status = int(status_line.split(" ", 1)[0])
        headers = _raw_headers(header_list)
        streams = environ["REQUEST_METHOD"] != "HEAD" and _body_allowed(status) \
            and _streams(headers, max_buffered_answer)
        if streams:
            body = b"".join(written)
            written.clear()
            return status, headers, body, (iterable, iterator, written)
        # (write() may add to the list while the iterator runs: the order stays the app's.)
        written.extend(iterator)
        return status, headers, b"".join(written), None
    finally:
        if not streams:
            _close(iterable)


def _next_chunk(iterator: Any, written: list[bytes]) -> Any:
    """The next piece of a streamed answer (with what the app wrote meanwhile), or ``_STREAM_END``."""
    chunk = next(iterator, _STREAM_END)
    if written:
        chunk = b"".join(written) + (b"" if chunk is _STREAM_END else chunk)
        written.clear()
    return chunk


def _declared_body_length(scope: Scope) -> int | None:
    """The request body's size from its headers: 0 without one, ``None`` if unknown (chunked)."""
    length = 0
    for name, value in scope.get("headers", []):
        if name.lower() == b"transfer-encoding":
            return None
        if name.lower() == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return None
    return length


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class _StreamedBody(io.RawIOBase):
    """``wsgi.input`` for a body that streams: reads the ASGI connection, from the worker
    thread the legacy call runs in, as the legacy app asks for more."""

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.pending = b""
        self.more = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending and self.more:
            message = anyio.from_thread.run(self.receive)
            if message["type"] != "http.request":  # the client is gone: the body ends here
                self.more = False
                break
            self.pending = message.get("body", b"")
            self.more = message.get("more_body", False)
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


class WrittenViews(dict):  # type: ignore[type-arg]
    """A legacy app's ``view_functions`` once its converted routes are served: a dict that
    tells each subscriber the endpoints of each write (:class:`LegacyShortcut` checks the
    converted views again). Reads are the dict's own. Every FastAPI app made around the same
    legacy app subscribes to one such dict, held weakly: none wraps another's."""

    __slots__ = ("_subscribers",)

    def __init__(self, views: Mapping[str, Any]) -> None:
        super().__init__(views)
        self._subscribers: list[weakref.WeakMethod[Callable[[Iterable[str]], None]]] = []

    def subscribe(self, written: Callable[[Iterable[str]], None]) -> None:
        """Call ``written(endpoints)`` (a bound method) after each write from now on."""
        self._subscribers.append(weakref.WeakMethod(written))  # type: ignore[arg-type]

    def _written(self, endpoints: Iterable[str]) -> None:
        endpoints = tuple(endpoints)
        for reference in list(self._subscribers):
            written = reference()
            if written is None:
                self._subscribers.remove(reference)  # its app is gone
            else:
                written(endpoints)

    def __setitem__(self, endpoint: str, view: Any) -> None:
        super().__setitem__(endpoint, view)
        self._written((endpoint,))

    def __delitem__(self, endpoint: str) -> None:
        super().__delitem__(endpoint)
        self._written((endpoint,))

    def update(self, *args: Any, **kwargs: Any) -> None:
        views = dict(*args, **kwargs)
        super().update(views)
        self._written(views)

    def __ior__(self, other: Any) -> Any:  # `views |= {...}`
        self.update(other)
        return self

    def setdefault(self, endpoint: str, view: Any = None) -> Any:
        if endpoint in self:
            return self[endpoint]
        self[endpoint] = view
        return view

    def pop(self, endpoint: str, *default: Any) -> Any:
        had = endpoint in self
        view = super().pop(endpoint, *default)
        if had:
            self._written((endpoint,))
        return view

    def popitem(self) -> tuple[str, Any]:
        endpoint, view = super().popitem()
        self._written((endpoint,))
        return endpoint, view

    def clear(self) -> None:
        endpoints = list(self)
        super().clear()
        self._written(endpoints)


class LegacyShortcut(BaseRoute):
    """The first route of an app with a legacy mount: a request that no other route can take
    goes straight to the mount.

    Starlette tries an app's routes in order, so a request for a route left on Flask reaches
    the catch-all mount only after every FastAPI route has been tried (FastAPI 0.137 and
    later try each included router's routes twice): on the example app about 120 µs per
    request, a quarter of what Flask spends on a small view. This entry tries one regular
    expression made of the other routes' path expressions instead. If the request's path
    matches none of them, it matches as the mount does (same child scope) and the mount
    serves it; otherwise it matches nothing and routing goes on as before (a path a FastAPI
    route knows, with a method it lacks, still reaches the mount last).

    **Routes of included routers.** FastAPI 0.137 and later keep an included router as one
    entry of the app's routes, which matches a request by trying each of its routes: a request
    for the 8th router's route paid for trying the seven before (about 40 µs on the example app,
    120 µs for a router listed later). Each path expression is a group of the expression, so the
    one that matches names the first route whose path matches; if that route takes the method
    too, it is the route Starlette would choose (every route before it matches nothing), and this
    entry hands the request to its included router's ``handle``, as Starlette would after that
    router matched. Otherwise (another method, a route of the app's own list, a WebSocket
    route) routing goes on as before.

    The expression is rebuilt when the app's routes change. If a route might match on more
    than its path (a ``Host``, a route class with its own ``matches``), it is never used.

    **Flask's choice among overlapping rules.** Starlette takes the first route in order whose
    path matches; Werkzeug takes the most specific rule (a static part beats a converter, an
    ``int`` beats a string). So a converted ``/users/<name>`` listed before ``/users/me``
    (converted in another router, or left on Flask) would answer ``/users/me`` itself. For
    the converted routes (those named after a legacy endpoint) that may share a path with
    another legacy rule (:func:`_may_share_a_path`, decided when the expression is built),
    this entry asks the legacy URL map which endpoint Flask would choose. When the route
    FastAPI would take is a different converted route, the mount serves the request, as
    Flask did. A FastAPI route of its own (not named after a legacy endpoint) keeps its
    precedence over the legacy app, as does every route when the legacy URL map matches on
    hosts or subdomains (Flask's choice then depends on more than the path).

    **Rules with defaults.** Werkzeug redirects a request for one rule of an endpoint whose
    values are another rule's ``defaults`` to that rule (``/users/page/1`` -> ``/users/`` with
    ``defaults={"page": 1}``). The converted routes of such an endpoint are asked about too, and
    a request the legacy URL map redirects is served by the mount: Flask's redirect.

    **Middleware set after start-up.** :func:`mount_legacy` looks at the WSGI middleware around
    the legacy app's ``wsgi_app`` when the FastAPI app is made. Each request looks again, at
    the cost of one dict lookup, whether ``wsgi_app`` is still the one seen then: a wrapper set
    later (where a condition holds, after ``create_app``) that converted routes would not run
    sends every request to the legacy app from then on, as one there at start-up does.

    **Views changed after start-up.** :func:`mount_legacy` checks that the legacy app runs each
    converted endpoint's view as it was converted. An extension may wrap or replace a view later,
    while the app serves (Flask-MonitoringDashboard wraps a view when an admin sets a monitoring
    rule; a lock could be an auth check): the legacy app's ``view_functions`` becomes a
    :class:`WrittenViews`, which tells of each write, and an endpoint whose view is then not the
    converted one is answered by the legacy app from then on (until its view is the converted one
    again). A new dict set as ``view_functions`` is looked at as ``wsgi_app`` is.
    """

    #: Route classes whose ``matches`` rejects every path its ``path_regex`` rejects.
    PATH_MATCHED = (Route, WebSocketRoute, Mount)
    #: The scope key that carries the included router :meth:`matches` chose to :meth:`handle`.
    HANDED_TO = "migrate.handed_to"

    def __init__(self, legacy: Mount, app: Starlette) -> None:
        self.legacy = legacy
        self.app = app
        self._index: Any = None  # compiled expression, or False: not usable
        self._index_of: tuple[tuple[int, int], ...] | None = None
        self._routers: list[Any] = [app.router]  # the app's router and those it includes
        # the other routes in FastAPI's order, as (candidate, route): the candidate is the
        # included route's effective context (FastAPI 0.137+) or the route itself
        self._candidates: list[tuple[Any, Any]] = []
        # by the index's group of a route's path expression: the included router that holds it
        # (FastAPI 0.137+) and the methods it takes (None: any); routes served otherwise absent
        self._handed_to: dict[int, tuple[Any, frozenset[str] | None]] = {}
        # Converted routes that may share a path with another legacy rule (an expression, or
        # None: none), and every route in FastAPI's order: (path expression, methods, name,
        # path format).
        self._contested: Any = None
        self._in_order: list[tuple[re.Pattern[str], Any, str | None, str | None]] = []
        self._legacy_urls: Any = None  # the legacy URL map, bound (a MapAdapter)
        self._legacy_app: Any = None  # the legacy app, if its map has converters of its own
        self._legacy_views: dict[str, Any] = {}  # the legacy endpoints
        #: Every request goes to the legacy app (see :func:`mount_legacy`).
        self.everything = False
        self._legacy_only: frozenset[str] = frozenset()
        self._watched: Any = None  # the legacy app whose `wsgi_app` is watched (watch())
        self._wsgi_app_seen: Any = None  # its instance's `wsgi_app` when last looked at
        self._middleware: Mapping[str, str] = {}
        self._passed: tuple[str, ...] = ()  # the middleware the converted routes run
        self._views: WrittenViews | None = None  # the watched app's `view_functions` (watch_views)
        # what changed_legacy_views checks the written endpoints against
        self._converted: tuple[Mapping[str, tuple[Any, ...]], Any, Any] = ({}, None, None)

    def watch(self, flask_app: Flask, middleware: Mapping[str, str],
              passed: Iterable[str]) -> None:
        """Look at ``flask_app.wsgi_app`` on each request from now on (see the class)."""
        self._watched = flask_app
        self._wsgi_app_seen = vars(flask_app).get("wsgi_app")
        self._middleware = middleware
        self._passed = tuple(passed)

    def watch_views(self, legacy_views: Mapping[str, tuple[Any, ...]],
                    converted_values: Mapping[str, Iterable[str]] | None,
                    rules: Mapping[str, Iterable[str]] | None) -> None:
        """Look at each write to the watched app's ``view_functions`` from now on (see the
        class): the converted endpoints' views are checked as :func:`mount_legacy` did."""
        self._converted = (legacy_views, converted_values, rules)
        self._subscribe()

    def _subscribe(self) -> None:
        """Be told of the writes to ``view_functions``: the :class:`WrittenViews` another app
        made around the same legacy app already tells, or one made of the dict now."""
        views = self._watched.view_functions
        if not isinstance(views, WrittenViews):
            views = WrittenViews(views)
            self._watched.view_functions = views
        views.subscribe(self._views_written)
        self._views = views

    def _views_replaced(self) -> None:
        """Another dict was set as ``view_functions``: watched, and every converted view checked."""
        self._subscribe()
        self._views_written(self._converted[0])

    def _views_written(self, endpoints: Iterable[str]) -> None:
        """``endpoints`` of ``view_functions`` were written: those converted are answered by the
        legacy app while it runs another view for them than the one converted."""
        legacy_views, converted_values, rules = self._converted
        written = {endpoint: legacy_views[endpoint] for endpoint in endpoints
                   if endpoint in legacy_views}
        if not written:
            return
        now = changed_legacy_views(self._watched, written, converted_values, rules)
        before = getattr(self.app.state, CHANGED_VIEWS_ATTRIBUTE, None) or {}
        changed = {endpoint: why for endpoint, why in before.items() if endpoint not in written}
        for endpoint, why in sorted(now.items()):
            changed[endpoint] = before.get(endpoint, f"{why} (after start-up)")
            if endpoint not in before:
                startup_logger().warning(
                    "the view of the converted route %r changed after start-up: the legacy app "
                    "answers it from now on: %s", endpoint, why)
        setattr(self.app.state, CHANGED_VIEWS_ATTRIBUTE, changed)
        self.legacy_only = frozenset(changed)

    def _wsgi_app_changed(self) -> None:
        """``wsgi_app`` was set since it was last looked at: unless the middleware around it
        is what it was (ProxyFix, the profiler and the middleware the converted routes run),
        every request goes to the legacy app, through it."""
        flask_app = self._watched
        self._wsgi_app_seen = vars(flask_app).get("wsgi_app")
        passed, bypassed = _wsgi_chain(flask_app, self._middleware)
        if bypassed is None and tuple(passed) == self._passed:
            return
        self.send_everything_to_legacy(
            bypassed or f"{', '.join(passed)} (set after start-up)", after_start_up=True)

    def send_everything_to_legacy(self, bypassed: str, *, after_start_up: bool = False) -> None:
        """Do no harm: converted routes would skip ``bypassed`` of the legacy app (an auth
        check, an IP allow-list), so from now on the legacy app answers every request, through
        it, as before the migration; ``state.legacy_only_because`` and a warning say why."""
        setattr(self.app.state, LEGACY_ONLY_ATTRIBUTE, bypassed)
        self.everything = True
        self.app.openapi_schema = None  # built again without the routes (_document_served_routes)
        if after_start_up:
            startup_logger().warning(
                "converted routes would not run %s of the legacy app, set on it after start-up: "
                "the legacy app answers every request from now on", bypassed)
        else:
            startup_logger().warning(
                "converted routes would not run %s of the legacy app: the legacy app answers "
                "every request (a wrapper `migrate scan` did not see, or saw set only where a "
                "condition holds)", bypassed)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """``Match.FULL`` (with the mount's child scope) if no other route can match the path."""
        if scope["type"] != "http":
            return Match.NONE, {}
        if self._watched is not None and not self.everything:
            attributes = vars(self._watched)
            if attributes.get("wsgi_app") is not self._wsgi_app_seen:
                self._wsgi_app_changed()
            if self._views is not None and attributes.get("view_functions") is not self._views:
                self._views_replaced()
        if self.everything:
            return self.legacy.matches(scope)
        if self.legacy_only and self._chosen_route(scope) in self.legacy_only:
            return self.legacy.matches(scope)
        index = self._current_index()
        if index is False:
            return Match.NONE, {}
        path = _route_path(scope)
        found = index.match(path)
        if found is None or (
            self._contested is not None
            and self._contested.match(path)
            and self._flask_chooses_another_route(path, scope["method"])
        ):
            return self.legacy.matches(scope)
        # The first route whose path matches: if it takes the method too, Starlette would
        # choose it (the routes before it match nothing), and its included router serves it.
        target = self._handed_to.get(found.lastindex)
        if target is not None and (target[1] is None or scope["method"] in target[1]):
            return Match.FULL, {self.HANDED_TO: target[0]}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the included router chosen in :meth:`matches` serve the request, or else the
        legacy mount."""
        router = scope.pop(self.HANDED_TO, None)
        if router is not None:
            await router.handle(scope, receive, send)
        else:
            await self.legacy.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        """This entry has no URL of its own (the mount's are found through the mount)."""
        raise NoMatchFound(name, path_params)

    def _current_index(self) -> Any:
        state = self._routes_state()
        if state != self._index_of:
            self._index = self._build_index(self.app.router.routes)
            self._index_of = self._routes_state()  # the routers found while building it
            if self._index is not False:
                self._find_contested_routes()
        return self._index

    def _flask_chooses_another_route(self, path: str, method: str) -> bool:
        """Whether the legacy app would route ``method path`` to another endpoint than the
        converted route FastAPI would take, or to a rule of its endpoint left on Flask."""
        try:
            if self._legacy_app is None:
                rule, _args = self._legacy_urls.match(path, method, return_rule=True)
            else:  # a converter the app registers may need its context in `to_python`
                with self._legacy_app.app_context():
                    rule, _args = self._legacy_urls.match(path, method, return_rule=True)
        except RequestRedirect:
            # Werkzeug redirects a request whose values are another rule's `defaults` to that
            # rule (`/users/page/1` -> `/users/`): Flask answers it
            return True
        except (WerkzeugHTTPException, RoutingException):  # 404, 405: as before
            return False
        except Exception:  # noqa: BLE001 -- a converter of the app's own failed here: Flask
            return True  # answers (its full request cycle gives that failure its own answer)
        for path_regex, methods, name, path_format in self._in_order:
            if path_regex.match(path) and (
                methods is None or method in methods or (method == "HEAD" and "GET" in methods)
            ):
                return name in self._legacy_views and \
                    not self._converted_from(name, path_format, rule)
        return False

    @staticmethod
    def _converted_from(name: str | None, path_format: str | None, rule: Any) -> bool:
        """Whether the route ``name`` at ``path_format`` is the one converted from the legacy
        ``rule``: of its endpoint, at the path the rule's text gives. Another rule of the same
        endpoint (Lyrebird's ``/api/checker/search`` left on Flask beside a converted
        ``/api/checker/<checker_id>``, or one whose method stayed there) is Flask's to route."""
        return rule.endpoint == name and path_format in {
            _RULE_VALUE.sub(r"{\1}", text) for text in _rule_texts(rule, rule.map)}

    @property
    def legacy_only(self) -> frozenset[str]:
        """Converted routes (by name) whose requests go to the legacy app all the same: the
        legacy app runs another view for them than the one converted (:func:`mount_legacy`)."""
        return self._legacy_only

    @legacy_only.setter
    def legacy_only(self, names: frozenset[str]) -> None:
        if names != self._legacy_only:
            self.app.openapi_schema = None  # built again without them (_document_served_routes)
        self._legacy_only = names

    def _chosen_route(self, scope: Scope) -> str | None:
        """The name of the route Starlette would choose for the request: the first that
        matches it fully (one matching the path alone comes into play only when none does, and
        then the mount, which matches everything, is chosen first). Only used while some route
        is :attr:`legacy_only`, so it may cost a full matching."""
        for route in _route_candidates(self.app.router.routes):
            if getattr(route, "original_route", route) in (self, self.legacy):
                continue
            match, _child = route.matches(dict(scope))  # a copy: FastAPI may note its state
            if match is Match.FULL:
                return getattr(getattr(route, "original_route", route), "name", None)
        return None

    def _find_contested_routes(self) -> None:
        self._contested, self._in_order = None, []
        flask_app = getattr(self.legacy.app, "app", None)  # the LegacyMount's
        if not isinstance(flask_app, Flask):
            return
        url_map = flask_app.url_map
        if url_map.host_matching or flask_app.subdomain_matching:
            return  # Flask's choice depends on the host too
        self._legacy_urls = url_map.bind("localhost")
        # Werkzeug's converters need no app context; the app's own may (only they get one)
        self._legacy_app = None if url_map.converters == Map.default_converters else flask_app
        self._legacy_views = flask_app.view_functions
        # OPTIONS is left out: FlaskMethodsMiddleware answers it on converted routes.
        rules = [
            (rule, set(rule.methods or ()) - {"OPTIONS"}, _rule_segments(rule.rule, url_map))
            for rule in url_map.iter_rules()
        ]
        # an endpoint with a rule that has `defaults`: a request for its other rules may be one
        # Werkzeug redirects (Map.redirect_defaults)
        with_defaults = {rule.endpoint for rule in url_map.iter_rules() if rule.defaults}
        contested = []
        for candidate, route in self._candidates:
            name = getattr(route, "name", None)
            path_regex = candidate.path_regex
            methods = _route_methods(candidate, route)
            path_format = getattr(candidate, "path_format", None)
            self._in_order.append((path_regex, methods, name, path_format))
            if name not in flask_app.view_functions:
                continue  # a FastAPI route of its own
            segments = _route_segments(candidate.path_format, candidate.param_convertors)
            # Werkzeug tries a segment's text before its converters: a path with no parameter
            # is Flask's choice over any rule with one.
            static = all(text is not None for _expression, text, _spans in segments)
            answers = _rule_methods(methods) - {"OPTIONS"} if methods else None
            if name in with_defaults or any(
                not self._converted_from(name, path_format, rule)
                and (answers is None or not rule_methods or answers & rule_methods)
                and (not static or all(text is not None for _e, text, _s in other))
                and _may_share_a_path(segments, other)
                for rule, rule_methods, other in rules
            ):
                contested.append(_without_group_names(path_regex))
        if contested:
            self._contested = re.compile("|".join(f"(?:{pattern})" for pattern in contested))

    def _routes_state(self) -> tuple[tuple[int, int], ...]:
        """Changes when a route is added to the app or to a router it includes: each router's
        number of routes and (FastAPI 0.137+) its count of changes, which counts inclusions."""
        return tuple(
            (len(router.routes), getattr(router, "_routes_version", 0)) for router in self._routers
        )

    def _build_index(self, routes: list[Any]) -> Any:
        self._routers = [self.app.router, *_included_routers(routes)]
        self._candidates = []
        self._handed_to = {}
        patterns = []
        targets: list[tuple[Any, frozenset[str] | None] | None] = []
        for entry in routes:
            # the included router (FastAPI 0.137+) a request for one of its routes is handed to
            router = entry if getattr(entry, "original_router", None) is not None else None
            for candidate in _route_candidates([entry]):
                route = getattr(candidate, "original_route", candidate)
                if route is self or route is self.legacy:
                    continue
                self._candidates.append((candidate, route))
                path_regex = getattr(candidate, "path_regex", None)
                path_matched = isinstance(route, self.PATH_MATCHED) and _own_matches(type(route))
                if not path_matched or path_regex is None:
                    return False
                patterns.append(_without_group_names(path_regex))
                methods = _route_methods(candidate, route)
                targets.append(None if router is None or not isinstance(route, Route)
                               else (router, frozenset(methods) if methods else None))
        try:
            # each path expression a group of its own: the one matched tells the route
            index = re.compile("|".join(
                f"(?P<route{number}>{pattern})" for number, pattern in enumerate(patterns))
                or r"(?!)")
        except re.error:  # e.g. a convertor's expression with inline flags or backreferences
            return False
        self._handed_to = {index.groupindex[f"route{number}"]: target
                           for number, target in enumerate(targets) if target is not None}
        return index


def _without_group_names(path_regex: re.Pattern[str]) -> str:
    """A route's path expression with its named groups made plain groups: the names may repeat
    across the routes joined into one expression, whose alternatives only need to match."""
    return re.sub(r"\(\?P<\w+>", "(?:", path_regex.pattern)


def _route_methods(candidate: Any, route: Any) -> Any:
    """The methods a route (or its effective context, FastAPI 0.137+) takes; None: any."""
    return getattr(candidate, "methods", None) or getattr(route, "methods", None)


#: A path's segment: its whole expression, its text if it has no parameter, and whether a
#: parameter in it may span several segments (everything after it is then unknown).
_Segment = tuple[str, "str | None", bool]

_FLASK_PARAMETER = re.compile(
    r"<(?:(?P<converter>\w+)(?P<arguments>\(.*?\))?:)?(?P<variable>\w+)>")
_STARLETTE_PARAMETER = re.compile(r"{(?P<name>\w+)}")


def _segments(path: str, parameter: re.Pattern[str], expression_of: Callable[[re.Match[str]],
              str | None]) -> list[_Segment]:
    """Split ``path`` at its slashes; ``expression_of`` gives a parameter's expression, or
    ``None`` if it may span segments."""
    segments: list[_Segment] = []
    for part in path.split("/"):
        pieces, position, spans = [], 0, False
        for found in parameter.finditer(part):
            pieces.append(re.escape(part[position : found.start()]))
            expression = expression_of(found)
            spans = spans or expression is None
            pieces.append(f"(?:{expression})")
            position = found.end()
        pieces.append(re.escape(part[position:]))
        segments.append(("".join(pieces), part if position == 0 else None, spans))
        if spans:
            break
    return segments


def _rule_segments(rule: str, url_map: Any) -> list[_Segment]:
    """The segments of a Werkzeug rule. A parameter stands for its converter's expression; one
    with arguments (which may change the expression: ``int(signed=True)``) for any text
    without a slash, what every converter that keeps to one segment may match, and more."""

    def expression_of(found: re.Match[str]) -> str | None:
        converter = url_map.converters.get(found["converter"] or "default")
        if not getattr(converter, "part_isolating", False):
            return None
        expression = getattr(converter, "regex", None)
        if found["arguments"] or not isinstance(expression, str):
            return "[^/]+"
        return expression

    return _segments(rule, _FLASK_PARAMETER, expression_of)


def _route_segments(path_format: str, convertors: dict[str, Any]) -> list[_Segment]:
    """The segments of a Starlette route (``path_format`` and its ``param_convertors``)."""

    def expression_of(found: re.Match[str]) -> str | None:
        expression = convertors[found["name"]].regex
        # spans segments if it matches a slash (other than in a "not a slash" class)
        spans = re.fullmatch(expression, "a/b") or "/" in expression.replace("[^/]", "")
        return None if spans else expression

    return _segments(path_format, _STARLETTE_PARAMETER, expression_of)


def _may_share_a_path(route: list[_Segment], rule: list[_Segment]) -> bool:
    """Whether some path may match both (``False`` only when none can: two different texts,
    or a text the other segment's expression does not match, or a different number of
    segments with no parameter that spans them)."""
    for (route_expression, route_text, route_spans), (rule_expression, rule_text, rule_spans) in (
        zip(route, rule)
    ):
        if route_spans or rule_spans:
            return True
        if route_text is not None and rule_text is not None:
            if route_text != rule_text:
                return False
        elif route_text is not None:
            if not re.fullmatch(rule_expression, route_text):
                return False
        elif rule_text is not None and not re.fullmatch(route_expression, rule_text):
            return False
    return len(route) == len(rule)


def _included_routers(routes: list[Any]) -> list[Any]:
    """The routers that FastAPI 0.137+ keeps included in ``routes`` (recursively)."""
    found = []
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None and router not in found:
            found.append(router)
            found.extend(r for r in _included_routers(router.routes) if r not in found)
    return found


def _own_matches(route_class: type) -> bool:
    """Whether ``route_class.matches`` is Starlette's or FastAPI's, not a subclass's override."""
    defined_in = next((cls for cls in route_class.__mro__ if "matches" in vars(cls)), None)
    return defined_in is not None and defined_in.__module__.startswith(("fastapi.", "starlette."))


#: Flask methods a converted route does not run: the bridge runs the view itself.
_BYPASSED_APP_METHODS = ("__call__", "wsgi_app", "full_dispatch_request", "dispatch_request")


def _wsgi_chain(flask_app: Flask, middleware: Mapping[str, str]) -> tuple[list[str], str | None]:
    """Walk the WSGI middleware around ``flask_app``'s own ``wsgi_app``, outermost first.

    ``middleware`` maps the dotted name of each class `migrate scan` read as only changing the
    request (``LEGACY_MIDDLEWARE`` in the generated main.py) to the attribute holding the app
    it calls. Returns those of them found on the way, and what a converted route would skip: an
    override of one of Flask's methods in the app's class, or middleware that is none of them
    (nor ProxyFix or ProfilerMiddleware); None when there is nothing.
    """
    app_type = type(flask_app)
    for name in _BYPASSED_APP_METHODS:
        if getattr(app_type, name) is not getattr(Flask, name):
            return [], f"{app_type.__module__}.{app_type.__qualname__}.{name}"
    found: list[str] = []
    current = vars(flask_app).get("wsgi_app")
    while current is not None:
        if getattr(current, "__self__", None) is flask_app and \
                getattr(current, "__func__", None) is app_type.wsgi_app:
            return found, None  # the app's own wsgi_app
        # (their own classes only: a subclass may do more, klaus's ProxyFix sets SCRIPT_NAME,
        # and is run as the scan read it, or else bypassed)
        if type(current) is ProxyFix:
            current = current.app
            continue
        if type(current) is ProfilerMiddleware:  # it only measures
            current = current._app
            continue
        kind = current if inspect.isfunction(current) else type(current)
        name = f"{kind.__module__}.{kind.__qualname__}"
        inner = middleware.get(name) if not inspect.isfunction(current) else None
        if inner is None:
            return found, name
        found.append(name)
        current = getattr(current, inner, None)
    return found, None


def bypassed_legacy_code(flask_app: Flask, middleware: Mapping[str, str] | None = None
                         ) -> str | None:
    """What of the legacy app a converted route would skip, since the bridge runs the view
    without calling ``wsgi_app`` or Flask's dispatch: an override of one of those methods in
    the app's class, or WSGI middleware around its ``wsgi_app`` (``app.wsgi_app =
    Middleware(app.wsgi_app)``, perhaps set by an extension); None when there is none.
    Werkzeug's ``ProxyFix`` is not counted: the ASGI server (``uvicorn --proxy-headers``)
    gives converted routes the client address and scheme; nor its ``ProfilerMiddleware``,
    which only measures (converted routes go unprofiled); a subclass of either is counted, as
    any other class. Nor are the classes of
    ``middleware`` (see :func:`_wsgi_chain`): the bridge runs them (:class:`LegacyMiddlewarePass`)."""
    return _wsgi_chain(flask_app, middleware or {})[1]


#: Key of a WSGI environ that the bridge sends through the legacy app's middleware: a copy of
#: the environ as it was before (:class:`LegacyMiddlewarePass`).
_MIDDLEWARE_PASS_KEY = "flask_compat.before_middleware"

#: The WSGI environ keys (besides the path and the ``HTTP_`` headers) that FastAPI reads a
#: converted route's parameters and body from.
_FASTAPI_READS = ("REQUEST_METHOD", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH", "wsgi.input")


@dataclasses.dataclass(frozen=True)
class _Passing:
    """What the bridge leaves in the environ it sends through the middleware: a copy of the
    environ as it was, and the keys FastAPI read (:func:`_fastapi_reads`)."""

    before: dict[str, Any]
    reads: frozenset[str] | None


class _PassedMiddleware(Exception):
    """Raised where Flask's ``wsgi_app`` would open the request context: the middleware
    handed the request on, with ``environ``."""

    def __init__(self, environ: dict[str, Any]) -> None:
        super().__init__()
        self.environ = environ


def _where(environ: Mapping[str, Any]) -> tuple[str, str]:
    """The root path and path Werkzeug reads from ``SCRIPT_NAME`` and ``PATH_INFO``."""
    return environ.get("SCRIPT_NAME", "").rstrip("/"), "/" + environ.get("PATH_INFO", "").lstrip("/")


def _reads_alike(before: Mapping[str, Any], after: Mapping[str, Any],
                 reads: frozenset[str] | None) -> bool:
    """Whether the middleware left alone all that FastAPI read the route's parameters from:
    the path (as Werkzeug reads it), the method, and the environ keys ``reads`` names
    (:func:`_fastapi_reads`; None: every header, the query string and the body)."""
    if _where(before) != _where(after) or before.get("REQUEST_METHOD") != after.get(
            "REQUEST_METHOD"):
        return False
    if reads is None:
        reads = frozenset({*_FASTAPI_READS, *(
            key for key in (*before, *after) if key.startswith("HTTP_"))})
    return all(before.get(key) is after.get(key) or before.get(key) == after.get(key)
               for key in reads)


#: The attribute of a route where :func:`_fastapi_reads` keeps its answer.
_READS_ATTRIBUTE = "_flask_compat_reads"


class _ReadsAnything(Exception):
    """A dependency takes the whole request: what it reads is not known."""


def _fastapi_reads(route: Any) -> frozenset[str] | None:
    """The WSGI environ keys whose values FastAPI reads for ``route`` (its endpoint's parameters
    and its dependencies'): ``QUERY_STRING`` for query parameters, ``HTTP_X_KEY`` for each
    header parameter, ``HTTP_COOKIE`` for cookies, the body's keys for body parameters. The
    bridge's own request parameter and :class:`LegacyGuard` dependencies (their checks run in
    the legacy request context) read nothing FastAPI validates. None when a dependency takes
    the whole request (or a header model): then every header counts."""
    known = getattr(route, _READS_ATTRIBUTE, False)
    if known is not False:
        return known
    keys: set[str] = set()

    def visit(dependant: Any, endpoint: bool) -> None:
        if not endpoint and (dependant.request_param_name or dependant.http_connection_param_name
                             or dependant.websocket_param_name):
            raise _ReadsAnything
        if dependant.query_params:
            keys.add("QUERY_STRING")
        for field in dependant.header_params:
            if _is_model(field.field_info.annotation):
                raise _ReadsAnything
            name = field.alias.upper().replace("-", "_")
            keys.add(name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}")
        if dependant.cookie_params:
            keys.add("HTTP_COOKIE")
        if dependant.body_params:
            keys.update(("CONTENT_TYPE", "CONTENT_LENGTH", "wsgi.input"))
        for sub in dependant.dependencies:
            if not isinstance(sub.call, LegacyGuard):
                visit(sub, False)

    dependant = getattr(route, "dependant", None)
    try:
        if dependant is None:
            raise _ReadsAnything
        visit(dependant, True)
        reads: frozenset[str] | None = frozenset(keys)
    except _ReadsAnything:
        reads = None
    if route is not None:
        setattr(route, _READS_ATTRIBUTE, reads)
    return reads


class LegacyMiddlewarePass:
    """Run the legacy app's WSGI middleware before a converted route, as Flask runs it.

    ``app.wsgi_app = PrefixMiddleware(app.wsgi_app)``: Flask runs the middleware around every
    request; a converted route, run by the bridge, would skip it. `migrate scan` reads each
    such class and lets its routes convert only when its ``__call__`` does nothing but read
    and change the environ, then either answers by itself or ends with ``return
    self.app(environ, start_response)`` (no ``try`` around it, ``start_response`` passed
    on untouched): the generated main.py lists those classes (``LEGACY_MIDDLEWARE``).

    :func:`mount_legacy` sets an instance of this class as the legacy app's
    ``request_context``, which is where Flask's ``wsgi_app`` starts. For each request of a
    converted route, :meth:`run` calls the app's ``wsgi_app`` (the middleware) with the
    environ the bridge built and a copy of it under a key of its own. Where the middleware
    hands the request on, this object compares the two:

    * the middleware left the path and method as they were, and whatever FastAPI read the
      route's parameters from (:func:`_fastapi_reads`: the headers, query string, cookies or
      body its parameters name; it may have set ``wsgi.url_scheme``, ``SCRIPT_NAME`` to a root
      the path does not start with, ``REMOTE_ADDR``, another header, a key of its own): the
      request stops there and the bridge runs the route in a request context made from the
      environ the middleware handed on, as Flask would have;
    * it changed any of them (a prefix stripped from the path, a login header the route reads
      dropped from an untrusted address), so FastAPI's parameters no longer say what Flask's
      view would see: Flask carries on with its own request cycle, and the route answers with
      Flask's answer.

    Where the middleware answers by itself (a 404 for a path outside its prefix), that is the
    route's answer. The middleware runs once per request in every case. Without the key (every
    request the mounted legacy app serves) this is Flask's own ``request_context``.
    """

    def __init__(self, flask_app: Flask) -> None:
        self.flask_app = flask_app

    def __call__(self, environ: dict[str, Any]) -> RequestContext:
        """The legacy app's ``request_context``: Flask's own, but see the class."""
        passing = environ.pop(_MIDDLEWARE_PASS_KEY, None)
        if passing is not None and _reads_alike(passing.before, environ, passing.reads):
            raise _PassedMiddleware(environ)
        return type(self.flask_app).request_context(self.flask_app, environ)

    def run(self, environ: dict[str, Any], reads: frozenset[str] | None = None
            ) -> dict[str, Any] | StarletteResponse:
        """Send ``environ`` through the middleware: the environ it hands on to the converted
        route, or the answer (the middleware's own, or Flask's). ``reads``: the environ keys
        FastAPI read the route's parameters from (:func:`_fastapi_reads`; None: all of them)."""
        environ[_MIDDLEWARE_PASS_KEY] = _Passing(dict(environ), reads)
        try:
            status, headers, body, stream = _start_wsgi(
                self.flask_app.wsgi_app, environ, _MAX_BUFFERED_ANSWER)
        except _PassedMiddleware as passed:
            return passed.environ
        if stream is None:
            answer = StarletteResponse(content=body, status_code=status)
        else:
            iterable, iterator, written = stream

            def pieces() -> Iterator[bytes]:
                # streamed, as the legacy mount streams: a download Flask answers is not held
                # in memory whole (Starlette reads a sync iterator in a worker thread)
                try:
                    yield body
                    while (chunk := _next_chunk(iterator, written)) is not _STREAM_END:
                        yield chunk
                finally:
                    _close(iterable)

            answer = StreamingResponse(pieces(), status_code=status)
        answer.raw_headers[:] = headers
        return answer


def _close(app_iter: Any) -> None:
    """PEP 3333: the server calls ``close()`` on the app's iterable, if it has one."""
    close = getattr(app_iter, "close", None)
    if close is not None:
        close()


def _streams(raw_headers: list[tuple[bytes, bytes]],
             max_buffered_answer: int = _MAX_BUFFERED_ANSWER) -> bool:
    """Whether an answer with a body is sent as it comes (by the legacy mount, or the bridge for
    one made of an iterable, not a list): unless its ``Content-Length`` says it is small."""
    length = _content_length(raw_headers)
    return length is None or length > max_buffered_answer


def _answer_stream(request: Request, context: contextvars.Context) -> "_StreamFromThread | None":
    """Where the worker thread that runs a bridged view sends an answer that streams: to the
    ASGI ``send`` of the request FastAPI made for the endpoint (Starlette keeps it as
    ``Request._send``). ``None`` where the request has none: such an answer then streams from
    the event loop (:func:`_stream_answer`)."""
    send = getattr(request, "_send", None)
    if send is None or send is empty_send:
        return None
    stream_here = _StreamFromThread(send, request.receive, threading.get_ident())
    stream_here.context = context
    return stream_here


def _stream_answer(app_iter: Iterable[bytes], status: int, raw_headers: list[tuple[bytes, bytes]],
                   stream_here: "_StreamFromThread | None") -> Any:
    """A bridged answer that streams (a generator: an event stream, a large export), sent as it
    comes and never read into memory whole: an endless one would never be answered.

    Called in a worker thread with ``stream_here``, the thread reads the chunks and queues them
    for the event loop to send (``_STREAMED``), as a WSGI server's worker reads them: a
    generator may use what the view made in its thread (a sqlite3 connection refuses any
    other). Called in place on the event loop's thread, it reads them there
    (:func:`_read_in_place`). Without ``stream_here``, it gives a ``StreamingResponse`` that
    reads each chunk in a worker thread."""
    context = stream_here.context if stream_here is not None else None
    if stream_here is not None:
        stream_here.streamed_status = status
        if threading.get_ident() != stream_here.loop_thread:
            stream_here.send_all(status, raw_headers, b"", (app_iter, iter(app_iter), []))
            return _STREAMED
        return _read_in_place(app_iter, status, raw_headers, stream_here)
    if context is None:  # (a Context is a mapping: an empty one is falsy)
        context = contextvars.copy_context()
    answer = StreamingResponse(_chunks_in_threads(app_iter, _read_one, context),
                               status_code=status)
    answer.raw_headers[:] = raw_headers
    return answer


def _read_in_place(app_iter: Iterable[bytes], status: int, raw_headers: list[tuple[bytes, bytes]],
                   stream_here: "_StreamFromThread") -> StarletteResponse:
    """A streamed answer of a view called in place, read on the event loop's thread (called
    there, with no running loop, in the view's context), as the worker thread that runs a view
    reads its answer: a generator may use what the view made in its thread (a sqlite3
    connection refuses any other), so its chunks are read in this one.

    The chunks are read at once for up to ``stream_here.read_limit`` seconds (the pool's limit
    of a short call) or ``_StreamFromThread.QUEUED_BYTES`` bytes: an answer read to its end by
    then (an export of a few rows) is sent in one message, as the thread sends all it has read
    (a thread's hand-offs cost a stream of a dozen chunks about half the CPU of the request).
    The time read here is the call's own: a view whose answers are slow to read goes back to
    the threads (see :class:`LegacyThreadPool`). The rest of a longer answer is read a chunk at
    a time while it is sent: here, the event loop serving other requests between chunks, if
    the reading so far computed; in worker threads if it mostly waited (an event stream that
    was short before), as the loop cannot serve anyone while a chunk it reads waits. A stream
    that breaks off sends what was read, then the error, as the thread does."""
    chunks = iter(app_iter)
    read: list[bytes] = []
    size = 0
    started, cpu_from = time.perf_counter(), time.thread_time()
    blocked_from, _preempted = _thread_switches()
    until = started + stream_here.read_limit
    rest: Iterator[bytes] | None = None
    try:
        while (chunk := next(chunks, _STREAM_END)) is not _STREAM_END:
            if chunk:
                read.append(chunk)
                size += len(chunk)
            if size >= _StreamFromThread.QUEUED_BYTES or time.perf_counter() > until:
                rest = chunks
                break
    except Exception as e:  # given to the answer, after what was read
        if not read:
            _close(app_iter)
            raise
        rest = _broken_off(e)  # (the answer closes app_iter)
    except BaseException:
        _close(app_iter)
        raise
    if rest is None:
        _close(app_iter)
        answer: StarletteResponse = StarletteResponse(status_code=status)
        answer.body = b"".join(read)  # sent as the one message of a stream (no Content-Length)
    else:
        context = stream_here.context
        assert context is not None
        took = time.perf_counter() - started
        blocked, _preempted = _thread_switches()
        # (A thread that never blocked did not wait: the system took its core away.)
        waited = took - (time.thread_time() - cpu_from) > took / 2 and (
            _RUSAGE_THREAD is None or blocked > blocked_from)
        body: typing.AsyncIterator[bytes] = (
            _chunks_in_threads(app_iter, _read_one, context, rest, b"".join(read)) if waited
            else _rest_in_place(b"".join(read), rest, app_iter, context))
        answer = StreamingResponse(body, status_code=status)
    answer.raw_headers[:] = raw_headers
    return answer


def _broken_off(error: Exception) -> Iterator[bytes]:
    """The rest of a stream that broke off while it was read in place: ``error``."""
    raise error
    yield b""  # (a generator)


async def _rest_in_place(read: bytes, chunks: Iterator[bytes], app_iter: Iterable[bytes],
                         context: contextvars.Context) -> typing.AsyncIterator[bytes]:
    """What :func:`_read_in_place` read, then the rest of the answer, each chunk read on the
    event loop's thread in the view's ``context`` with no running loop; the answer is closed at
    the end, or when the client goes away and the response stops iterating."""
    try:
        if read:
            yield read
        while (chunk := context.run(_off_the_loop, _read_one, chunks)) is not _STREAM_END:
            if chunk:
                yield chunk
            await asyncio.sleep(0)  # the loop's other work, between chunks
    finally:
        context.run(_off_the_loop, _close, app_iter)


def _off_the_loop(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` on the event loop's thread, seeing no running loop, as in a thread
    (``asyncio.run`` and asgiref's ``async_to_sync`` work in it)."""
    loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        return func(*args)
    finally:
        asyncio.events._set_running_loop(loop)


class _SentAnswer(StarletteResponse):
    """What a bridged endpoint returns once the worker thread that ran its view has sent the
    answer (:func:`_stream_answer`): it sends nothing more, and runs the background tasks
    FastAPI gives it."""

    def __init__(self, status: int) -> None:
        self.status_code = status  # what was sent
        self.body = b""
        self.background = None
        self.raw_headers = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.background is not None:
            await self.background()


async def _chunks_in_threads(
    app_iter: Iterable[bytes], read: Callable[[Iterator[bytes]], Any],
    context: contextvars.Context | None = None,
    chunks: Iterator[bytes] | None = None, first: bytes = b"",
) -> typing.AsyncIterator[bytes]:
    """The chunks of an answer, each ``read(chunks)`` (``_STREAM_END`` at the end) in a worker
    thread, in ``context`` if given; of ``chunks``, the iterator of ``app_iter`` already begun,
    after ``first``, the part of it already read. The answer is closed at the end, or when the
    client goes away and the response stops iterating, as a WSGI server closes it.

    A file (``read=_read_ahead``) may be read in any thread, unlike a generator that reads a
    database connection, and up to ``_FILE_READ_AHEAD`` bytes at a time: Werkzeug's file
    wrapper reads 8 KiB at a time, and a trip to a thread per 8 KiB cost more than the
    reading. A generator's chunks (``read=_read_one``) are sent one by one: the next may be
    slow to come (an event stream)."""
    if chunks is None:
        chunks = iter(app_iter)
    call: Callable[..., Any] = read if context is None else functools.partial(context.run, read)
    try:
        if first:
            yield first
        while (chunk := await anyio.to_thread.run_sync(call, chunks)) is not _STREAM_END:
            if chunk:
                yield chunk
    finally:
        if context is None:
            _close(app_iter)
        else:  # a generator's end runs its `finally`s (stream_with_context pops its context)
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(context.run, _close, app_iter)


#: How much of a file answer one trip to a worker thread reads.
_FILE_READ_AHEAD = 1 << 16


def _read_ahead(chunks: Iterator[bytes]) -> Any:
    """The next chunks of ``chunks``, joined, up to about ``_FILE_READ_AHEAD`` bytes
    (``_STREAM_END`` at the end)."""
    read: list[bytes] = []
    size = 0
    for chunk in chunks:
        read.append(chunk)
        size += len(chunk)
        if size >= _FILE_READ_AHEAD:
            break
    return b"".join(read) if read else _STREAM_END


def _read_one(chunks: Iterator[bytes]) -> Any:
    """The next chunk of ``chunks`` (``_STREAM_END`` at the end)."""
    return next(chunks, _STREAM_END)


#: A path value of a Werkzeug rule (`<int:item_id>`, `<any(a, b):kind>`): its name is group 1.
_RULE_VALUE = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def _rule_texts(rule: Any, url_map: Map) -> set[str]:
    """The texts a converted route's Flask rule (``routers.LEGACY_RULES``) may have where the
    legacy URL map holds ``rule``: its own, and where Werkzeug matches it at the path with its
    slashes merged, that path (Flask-RESTX joins a blueprint's prefix "/" and a rule "/x" into
    "//x", served at "/x" and converted as read)."""
    texts = {rule.rule}
    merges = url_map.merge_slashes if rule.merge_slashes is None else rule.merge_slashes
    if merges and "//" in rule.rule:
        texts.add(re.sub("/{2,}", "/", rule.rule))
    return texts


def changed_legacy_views(flask_app: Flask, legacy_views: Mapping[str, tuple[Any, ...]],
                         converted_values: Mapping[str, Iterable[str]] | None = None,
                         rules: Mapping[str, Iterable[str]] | None = None,
                         ) -> dict[str, str]:
    """The converted endpoints whose view ``flask_app`` does not run as `migrate convert` read
    it, each with why.

    ``legacy_views`` maps each converted endpoint to its view's module, its name there (a
    function, or a ``View`` class), and the number of wrappers its rule's registration puts
    around it (``add_url_rule(view_func=require_key(view))``: 1), which the converted route
    carries too. Flask must run that view, wrapped in those and nothing else. A view defined
    inside a function (``construct_blueprint.index``), which no module binds, is the function at
    the bottom of the registered view's ``__wrapped__`` chain, with that qualified name (its
    ``<locals>`` left out); its entry adds how many wrappers its decorators put around it, and,
    where ``functools.wraps(func)`` is written on the view itself (fava's ``api_endpoint``), the
    function it names, which is then below the view in that chain. Anything that
    wrapped or replaced it while the app was set up (an extension's ``init_app`` writing
    ``app.view_functions``, code the scan could not follow) would be skipped by the converted
    route: an authentication check, perhaps.

    ``converted_values`` (``routers.LEGACY_CONVERTED_VALUES``) names the path values each
    converted view takes from the legacy request because a converter the app registers gives
    them. A value of the endpoint's rules that gets such a converter without being named there
    (registered where `migrate scan` could not see it, ``int`` replaced by an extension) would
    reach the converted view as FastAPI matched it, not as the converter gives it.

    ``rules`` (``routers.LEGACY_RULES``) names the Flask rules each endpoint was converted from.
    One the legacy app does not serve for that endpoint (its blueprint's prefix changed since,
    or is a setting read when the app is made) would have the converted route answer at a path
    where Flask answers something else, or nothing.
    """
    changed: dict[str, str] = {}
    served_rules: dict[str, set[str]] = {}
    for rule in flask_app.url_map.iter_rules():
        served_rules.setdefault(rule.endpoint, set()).update(_rule_texts(rule, flask_app.url_map))
    for endpoint, (module_name, name, wrappers, *decorators) in legacy_views.items():
        registered = flask_app.view_functions.get(endpoint)
        if registered is None:
            changed[endpoint] = "the legacy app has no view for this endpoint"
            continue
        served = served_rules.get(endpoint, set())
        unserved = sorted(set((rules or {}).get(endpoint, ())) - served)
        if unserved:
            changed[endpoint] = (
                f"the legacy app does not serve {', '.join(unserved)} for this endpoint (it "
                f"serves {', '.join(sorted(served)) or 'no rule'}): the converted route would "
                "answer where Flask does not")
            continue
        unknown = _values_of_own_converters(flask_app, endpoint) - set(
            (converted_values or {}).get(endpoint, ()))
        if unknown:
            changed[endpoint] = (
                f"the legacy app gives {', '.join(sorted(unknown))} to this view through a "
                "converter it registers, which the conversion did not know of: the converted "
                "view would take FastAPI's value, not the converter's")
            continue
        if decorators:
            nested_change = _nested_view_change(registered, module_name, name,
                                                wrappers + decorators[0], *decorators[1:])
            if nested_change is not None:
                changed[endpoint] = nested_change
            continue
        try:
            expected = getattr(sys.modules.get(module_name) or importlib.import_module(
                module_name), name)
        except (ImportError, AttributeError) as error:
            changed[endpoint] = f"{module_name}.{name}, the converted view, is not found: {error}"
            continue
        view = registered
        for _ in range(wrappers):  # the wrappers the converted route has too
            view = getattr(view, "__wrapped__", None)
        if view is None or not _runs_as_converted(view, expected):
            changed[endpoint] = _runs_another_view(registered, module_name, name, expected)
    return changed


def _runs_another_view(runs: Any, module_name: str, name: str, expected: Any = None) -> str:
    """Why a converted endpoint goes to Flask: the legacy app runs ``runs``, not the view
    ``name`` of ``module_name`` (``expected``, where known). Told by where its code is:
    functools.wraps gives a wrapper its view's name."""
    if expected is not None and _another_copy(runs, expected):
        return (f"the legacy app runs another copy of {module_name}.{name} than its module now "
                "holds: the module ran again after the app was made (importlib.reload, or an "
                "import under a second name), and the converted route would run the new copy")
    code = getattr(runs, "__code__", None)
    what = f"a function defined at {code.co_filename}:{code.co_firstlineno}" \
        if code is not None else f"a {type(runs).__qualname__} object"
    return (f"the legacy app runs {what} for it, not {module_name}.{name} as it was "
            "converted: something wrapped or replaced the view while the app was set up")


def _another_copy(runs: Any, expected: Any) -> bool:
    """Whether the function under ``runs``' wrappers is not ``expected``'s but one defined by
    the same code: its name, file and line."""
    try:
        inner, own = inspect.unwrap(runs), inspect.unwrap(expected)
    except ValueError:  # a cycle of __wrapped__
        return False
    codes = [getattr(function, "__code__", None) for function in (inner, own)]
    return inner is not own and None not in codes and len({
        (function.__qualname__, code.co_filename, code.co_firstlineno)
        for function, code in zip((inner, own), codes, strict=True)}) == 1


def _nested_view_change(registered: Any, module_name: str, name: str, wrappers: int,
                        wraps: str | None = None) -> str | None:
    """Why the registered view is not the function ``name`` of ``module_name`` (a view defined
    inside a function) wrapped exactly ``wrappers`` times, or None when it is. ``wraps``: the
    function (``module.name``) that ``functools.wraps`` on the view names as its ``__wrapped__``,
    where the chain goes on below the view."""
    chain = wrapped_chain(registered)
    if wraps is not None:
        # functools.wraps gave the view the wrapped function's __qualname__ and __module__:
        # the view is told by its code and the module it was defined in
        original = chain[min(wrappers, len(chain) - 1)]
        if not _defined_as(original, module_name, name):
            return _runs_another_view(original, module_name, name)
        below = chain[wrappers + 1] if len(chain) > wrappers + 1 else None
        wrapped_module, _, wrapped_name = wraps.rpartition(".")
        if below is None or not _is_function(below, wrapped_module, wrapped_name):
            return (f"the legacy app's {module_name}.{name} does not wrap {wraps} as it was "
                    "converted: something rebound or wrapped the function it was given")
        return None
    original = chain[-1]
    if not _is_function(original, module_name, name):
        return _runs_another_view(original, module_name, name)
    if len(chain) - 1 != wrappers:
        return (f"the legacy app runs {module_name}.{name} inside {len(chain) - 1} wrapper(s), "
                f"where the converted route has {wrappers}: something wrapped the view while "
                "the app was set up")
    return None


def wrapped_chain(function: Any) -> list[Any]:
    """``function``, what its ``__wrapped__`` names, and so on down (at most 64 of them)."""
    chain = [function]
    while (inner := getattr(chain[-1], "__wrapped__", None)) is not None and len(chain) < 64:
        chain.append(inner)
    return chain


def _defined_as(candidate: Any, module_name: str, name: str) -> bool:
    """Whether ``candidate`` is the function ``name`` defined in the module ``module_name``,
    whatever ``__qualname__`` and ``__module__`` were set to since."""
    return getattr(candidate, "__globals__", {}).get("__name__") == module_name \
        and code_named(candidate, name)


def code_named(function: Any, name: str) -> bool:
    """Whether ``function`` is a Python function whose code was defined as ``name`` (a qualified
    name, ``<locals>`` left out; Python 3.10 keeps only its last part), which functools.wraps
    does not change."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    qualname = getattr(code, "co_qualname", None)
    if qualname is None:  # Python 3.10
        return bool(code.co_name == name.rpartition(".")[2])
    return bool(qualname.replace(".<locals>", "") == name)


def _is_function(candidate: Any, module_name: str, name: str) -> bool:
    """Whether ``candidate`` is the Python function ``name`` (its qualified name, ``<locals>``
    left out) of the module ``module_name``."""
    qualname = getattr(candidate, "__qualname__", "").replace(".<locals>", "")
    return getattr(candidate, "__code__", None) is not None and qualname == name and getattr(
        candidate, "__module__", None) == module_name


def _runs_as_converted(view: Any, expected: Any) -> bool:
    """Whether the registered ``view`` (registration wrappers removed) is ``expected``: the
    function itself, or one it wraps (a decorator written above ``@app.route`` is not applied by
    Flask, nor by the converted route); for a ``View`` class, what its ``as_view`` made."""
    try:
        if isinstance(expected, type):
            # as_view sets view_class on the function it returns, after the class's decorators,
            # so only a wrapper added later carries it further in (functools.wraps copies
            # __dict__)
            if getattr(view, "view_class", None) is not expected:
                return False
            inner = getattr(view, "__wrapped__", None)
            if inner is None:
                return True
            marked = inspect.unwrap(inner, stop=lambda f: "view_class" in getattr(f, "__dict__", {}))
            return "view_class" not in getattr(marked, "__dict__", {})
        return inspect.unwrap(expected, stop=lambda f: f is view) is view
    except ValueError:  # a cycle of __wrapped__
        return False


#: The keys of an OpenAPI path item that are operations.
OPENAPI_OPERATIONS = frozenset({"get", "put", "post", "delete", "options", "head", "patch",
                                "trace"})


def edit_openapi(fastapi_app: FastAPI, edit: Callable[[dict[str, Any]], None]) -> None:
    """Have ``fastapi_app.openapi()`` hand the schema FastAPI builds to ``edit``, which changes
    it in place, once: the result is cached as FastAPI caches its own, and built and edited again
    after ``fastapi_app.openapi_schema = None`` (FastAPI's documented extension point)."""
    build = fastapi_app.openapi

    def openapi() -> dict[str, Any]:
        if fastapi_app.openapi_schema is not None:
            return fastapi_app.openapi_schema
        schema = build()
        edit(schema)
        fastapi_app.openapi_schema = schema
        return schema

    fastapi_app.openapi = openapi  # type: ignore[method-assign]


def _document_served_routes(fastapi_app: FastAPI, shortcut: LegacyShortcut) -> None:
    """Leave the converted routes the legacy app answers (``shortcut.legacy_only``, or all of
    them when it answers every request: ``shortcut.everything``) out of the OpenAPI schema: it
    would document parameters and answers of code that does not run."""

    def leave_out(schema: dict[str, Any]) -> None:
        if not (shortcut.legacy_only or shortcut.everything):
            return
        paths = schema.get("paths", {})
        for route in _route_candidates(fastapi_app.router.routes):
            original = getattr(route, "original_route", route)
            if not shortcut.everything and \
                    getattr(original, "name", None) not in shortcut.legacy_only:
                continue
            item = paths.get(getattr(route, "path_format", None), {})
            for method in getattr(route, "methods", None) or ():
                item.pop(method.lower(), None)
            if not set(item) & OPENAPI_OPERATIONS:
                paths.pop(route.path_format, None)

    edit_openapi(fastapi_app, leave_out)


#: The route a FastAPI page runs the legacy request cycle as: no legacy endpoint (not the page's
#: route name, which a legacy endpoint may share: the app's own hooks run, as for any URL Flask
#: has no rule for), reading nothing from the request that legacy WSGI middleware could change.
_PAGE_ROUTE = types.SimpleNamespace(**{_READS_ATTRIBUTE: frozenset()})


def _pages_through_legacy_hooks(fastapi_app: FastAPI, threads: LegacyThreadPool | None) -> None:
    """Serve FastAPI's own pages (the schema, Swagger UI and its OAuth2 redirect, ReDoc) inside
    the legacy request cycle, as the bridge serves a converted route: the legacy app's WSGI
    middleware and ``before_request`` hooks run first and a hook's answer is the page's answer
    (a login redirect, a refused token, mlflow's check of the ``Host`` header), as Flask answers
    any URL; ``after_request`` hooks add their headers. Without this, the pages described the
    migrated API to anyone the legacy app turns away."""
    pages = {fastapi_app.openapi_url, fastapi_app.docs_url, fastapi_app.redoc_url}
    if fastapi_app.docs_url is not None:
        pages.add(fastapi_app.swagger_ui_oauth2_redirect_url)
    bridge = LegacyBridge(threads=threads)
    taken = _pages_the_legacy_app_answers(fastapi_app, pages - {None})
    for route in list(fastapi_app.router.routes):
        if type(route) is Route and route.path in taken:
            # a rule `migrate convert` did not see (an extension's: Dash's catch-all at "/")
            fastapi_app.router.routes.remove(route)
            startup_logger().warning(
                "FastAPI's page %s is off: the legacy app answers that path (%s)", route.path,
                taken[route.path])
        elif type(route) is Route and route.path in pages:
            route.endpoint = _page_through_legacy_hooks(route.endpoint, bridge)
            route.app = request_response(route.endpoint)


def _pages_the_legacy_app_answers(fastapi_app: FastAPI, pages: set[str]) -> dict[str, str]:
    """Which of FastAPI's `pages` a rule of the legacy app answers (or redirects, or refuses
    the method of), with the rule: the generated app moved its pages off the rules the scan
    listed, and a rule it did not list would otherwise lose those paths to the pages."""
    flask_app = getattr(fastapi_app.state, STATE_ATTRIBUTE, None)
    if not isinstance(flask_app, Flask):
        return {}
    urls = flask_app.url_map.bind("localhost")
    taken: dict[str, str] = {}
    for page in pages:
        try:
            with flask_app.app_context():  # a converter of the app's own may need it
                rule, _values = urls.match(page, "GET", return_rule=True)
        except RequestRedirect as redirect:
            taken[page] = f"it redirects to {redirect.new_url}"
        except WerkzeugHTTPException as refused:
            if refused.code != 404:
                taken[page] = f"its rules answer {refused.code}"
        except Exception as error:  # noqa: BLE001 -- a converter of the app's own failed:
            taken[page] = f"matching it raised {type(error).__name__}"  # Flask answers that
        else:
            taken[page] = f"rule {rule.rule}, endpoint {rule.endpoint}"
    schema = fastapi_app.openapi_url
    if schema in taken:  # the other pages show what they fetch from there
        taken.update({page: f"it shows {schema}, which the legacy app answers"
                      for page in pages if page not in taken})
    return taken


def _page_through_legacy_hooks(page: Callable[[Request], Any], bridge: LegacyBridge
                               ) -> Callable[[Request], Any]:
    """FastAPI's ``page`` endpoint, answering through the legacy request cycle."""

    async def answer(request: Request) -> StarletteResponse:
        # The page is made first, on the event loop (FastAPI's page functions are coroutines
        # and the schema is built once): the legacy view then only hands it on.
        made = page(request)
        if inspect.isawaitable(made):
            made = await made
        body = await read_body(request)
        scope = {**request.scope, "route": _PAGE_ROUTE}
        flask_app = bridge.app_for(scope)
        return await bridge.threads.run(
            contextvars.copy_context().run, bridge.respond, scope, body, lambda: made,
            functools.partial(bridge._from_starlette, flask_app))

    # FlaskMethodsMiddleware's OPTIONS answer for the page then runs the hooks too
    answer.__flask_compat_bridge__ = bridge  # type: ignore[attr-defined]
    return answer


def mount_legacy(
    fastapi_app: FastAPI, flask_app: Flask, threads: LegacyThreadPool | None = None,
    legacy_views: Mapping[str, tuple[Any, ...]] | None = None,
    legacy_middleware: Mapping[str, str] | None = None,
    legacy_converted_values: Mapping[str, Iterable[str]] | None = None,
    legacy_rules: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """Serve every request that no FastAPI route takes with the legacy Flask app.

    Mounts ``flask_app`` at ``"/"`` as a :class:`LegacyMount`, and puts a
    :class:`LegacyShortcut` first among the app's routes. Starlette tries routes in order and
    a mount at ``"/"`` matches every path, so call this after all routes and routers have
    been added. A path whose FastAPI route lacks the request's method (e.g.
    only ``GET /users`` migrated, ``POST /users`` not yet) also reaches Flask, because the
    mount is a full match and the route only a partial one.

    The legacy app sees ``SCRIPT_NAME`` = the ASGI ``root_path`` (empty unless the app
    is itself mounted or served with ``--root-path``) and ``PATH_INFO`` = the path below
    it, so ``GET /users/5`` reaches Flask as ``/users/5`` and ``url_for`` builds the same
    URLs as before.

    Unless already set, ``fastapi_app.state.legacy_flask_app`` is set to ``flask_app``:
    that is where an unbound ``LegacyBridge()`` finds the legacy app. ``threads`` is the
    pool the legacy calls run in (default: the one every bridge uses).

    ``legacy_views`` (``routers.LEGACY_VIEWS`` of a generated package) names each converted
    endpoint's legacy view: a converted route whose view the legacy app no longer runs as it
    was converted (:func:`changed_legacy_views`) is answered by the legacy app, with a warning,
    and ``fastapi_app.state.legacy_views_changed`` says why. So is one whose path value gets a
    converter the app registers that ``legacy_converted_values``
    (``routers.LEGACY_CONVERTED_VALUES``) does not name for it.

    ``legacy_rules`` (``routers.LEGACY_RULES``) names the Flask rules each converted endpoint
    was converted from; an endpoint the legacy app does not serve at one of them is answered by
    the legacy app, with a warning, too.

    ``legacy_middleware`` (``LEGACY_MIDDLEWARE`` in the generated main.py) names the WSGI
    middleware classes around the legacy app's ``wsgi_app`` that the converted routes run too
    (:class:`LegacyMiddlewarePass`), each with the attribute that holds the app it calls.

    FastAPI's own pages (the schema, Swagger UI, ReDoc) answer through the legacy request cycle
    from then on (:func:`_pages_through_legacy_hooks`): whom the legacy app turns away does not
    see them.
    """
    if getattr(fastapi_app.state, STATE_ATTRIBUTE, None) is None:
        setattr(fastapi_app.state, STATE_ATTRIBUTE, flask_app)
    fastapi_app.mount("/", LegacyMount(flask_app, threads), name="legacy")
    legacy = fastapi_app.router.routes[-1]
    assert isinstance(legacy, Mount)
    shortcut = LegacyShortcut(legacy, fastapi_app)
    fastapi_app.router.routes.insert(0, shortcut)
    passed, bypassed = _wsgi_chain(flask_app, legacy_middleware or {})
    shortcut.watch(flask_app, legacy_middleware or {}, passed)
    if passed and bypassed is None:
        setattr(fastapi_app.state, LEGACY_MIDDLEWARE_ATTRIBUTE, tuple(passed))
        if not isinstance(vars(flask_app).get("request_context"), LegacyMiddlewarePass):
            flask_app.request_context = LegacyMiddlewarePass(flask_app)  # type: ignore[method-assign]
    if bypassed is not None:
        shortcut.send_everything_to_legacy(bypassed)
    changed = changed_legacy_views(flask_app, legacy_views or {}, legacy_converted_values,
                                   legacy_rules)
    setattr(fastapi_app.state, CHANGED_VIEWS_ATTRIBUTE, changed)
    if changed:
        # Do no harm: the legacy app answers these routes, through whatever wraps their views.
        shortcut.legacy_only = frozenset(changed)
        for endpoint, why in sorted(changed.items()):
            startup_logger().warning(
                "the converted route %r is answered by the legacy app: %s", endpoint, why)
    _pages_through_legacy_hooks(fastapi_app, threads)
    if legacy_views:
        shortcut.watch_views(legacy_views, legacy_converted_values, legacy_rules)
        _document_served_routes(fastapi_app, shortcut)
