"""The feature vocabulary and the auto / assisted / manual verdict for each route.

Vocabulary (stable; documented in docs/scan.md):
  request.args request.json request.form request.files request.headers request.cookies
  request.values request.data request.method request.meta session g current_app
  render_template url_for redirect abort make_response send_file stream jsonify response_class
  flash current_user http_exception async locals, and `decorator:NAME`, `validator:NAME`,
  `schema:NAME`.

Verdicts:
- auto: every feature has a mechanical FastAPI translation.
- assisted: the converter writes the code, a person reviews a `TODO(migrate)` (a body model whose
  field types need a look, a session cookie format, request-local state, a project decorator
  that becomes a dependency, ...).
- manual: the converter must not guess (an `async def` view, a third-party decorator
  whose effect it cannot show, a rule or method list only known at run time); the route stays on
  Flask until a person moves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from migrator.model import PathParameter, Route, Status, converter_regex, rule_default_names

if TYPE_CHECKING:
    from migrator.scan.link import Symbol

# Longest prefix wins: qualified name used in a view -> vocabulary word.
_FEATURE_PREFIXES: dict[str, str] = {
    "flask.request.args": "request.args",
    "flask.request.get_json": "request.json",
    "flask.request.json": "request.json",
    "flask.request.is_json": "request.json",
    "flask.request.form": "request.form",
    "flask.request.files": "request.files",
    "flask.request.headers": "request.headers",
    "flask.request.authorization": "request.headers",
    "flask.request.user_agent": "request.headers",
    "flask.request.cookies": "request.cookies",
    "flask.request.values": "request.values",
    "flask.request.data": "request.data",
    "flask.request.get_data": "request.data",
    "flask.request.stream": "request.data",
    "flask.request.method": "request.method",
    "flask.request": "request.meta",
    "flask.session": "session",
    "flask.g": "g",
    "flask.current_app": "current_app",
    "flask.render_template": "render_template",
    "flask.render_template_string": "render_template",
    "flask.url_for": "url_for",
    "flask.redirect": "redirect",
    "flask.abort": "abort",
    "flask.make_response": "make_response",
    "flask.send_file": "send_file",
    "flask.send_from_directory": "send_file",
    "flask.stream_with_context": "stream",
    "flask.stream_template": "stream",
    "flask.Response(generator)": "stream",  # extract.GENERATOR_RESPONSE
    "flask.jsonify": "jsonify",
    "flask.Response": "response_class",
    "flask.flash": "flash",
    "flask.get_flashed_messages": "flash",
    "flask_login.current_user": "current_user",
    "werkzeug.exceptions": "http_exception",
    "werkzeug.utils.send_file": "send_file",
    "werkzeug.utils.redirect": "redirect",
}
# `flask.request` itself (passed whole to a helper) is only reported when nothing more specific is.
_GENERIC = {"request.meta"}
# The Api classes of the resources FM027 converts: Flask-RESTful's, and Flask-RESTX's, whose
# resources also validate their payload from their methods' documentation (`restx_payload`)
RESTFUL_API = "flask_restful.Api"
RESTX_API = "flask_restx.Api"
RESOURCE_APIS = frozenset({RESTFUL_API, RESTX_API})

ASSISTED_FEATURES = {
    "request.json": "request.json: the JSON body keeps Flask's parsing; its Pydantic model (field "
                    "types) needs a person's review",
    "request.values": "request.values: query and form merged; FastAPI declares them separately",
    "session": "session: keeps working through the legacy request context (Flask's own cookie); "
               "a native FastAPI session would log users out (different cookie format)",
    "g": "g: request-local state stays in flask.g inside the legacy request context; moving it "
         "to request.state or a dependency is a person's call",
    "current_app": "current_app: the legacy app's context is pushed for the request; its config "
                   "moves to FastAPI settings by hand",
    "render_template": "render_template: templates still render through Flask's Jinja "
                       "environment; Jinja2Templates would need url_for(..., path=) changes",
    "url_for": "url_for: built from the legacy url_map (same rules); request.url_for takes path "
               "parameters only",
    "flash": "flash: message flashing needs the session and templates",
    "current_user": "current_user: becomes a dependency",
    "response_class": "response_class: a hand-built Response needs review",
    "stream": "stream: the answer streams from its generator through the bridge, chunk by chunk "
              "as under Flask (stream_with_context keeps the legacy request context); a native "
              "StreamingResponse is a person's rewrite",
}
MANUAL_FEATURES = {
    "async": "async: an `async def` view, which Flask runs to completion in the request's worker "
             "thread (asgiref); the bridge that keeps the legacy request cycle around a converted "
             "view runs plain `def` views only, so the route stays on Flask",
    "locals": "locals: the view reads its own local names (`locals()`, `vars()`), and a "
              "converted view has the request's values among them as parameters (datagrepper's "
              "charts pick `request.args` values by name from `locals()`), so the route stays "
              "on Flask",
}
# Third-party decorators whose effect is known: their checks run before the view and answer
# instead of it (flask-login: login_manager.unauthorized(); flask-httpauth: the auth error
# callback, 401/403; flask-jwt-extended: verify_jwt_in_request() raises, and the errors the
# JWTManager registered on the app answer 401/422; flask-principal: `permission.require(
# http_exception=None)` makes an IdentityContext whose wrapper checks `g.identity.can(
# permission)`, the identity Principal's before_request hook loaded, and refuses with
# `abort(http_exception)` or by raising PermissionDenied, which the app's error handlers
# answer), then they call the view unchanged; they become route dependencies (FM021).
_KNOWN_GUARDS = {
    "flask_login.login_required": "flask-login",
    "flask_login.fresh_login_required": "flask-login",
    "flask_login.utils.login_required": "flask-login",
    "flask_login.utils.fresh_login_required": "flask-login",
    **{f"flask_httpauth.{cls}.login_required": "flask-httpauth"
       for cls in ("HTTPBasicAuth", "HTTPDigestAuth", "HTTPTokenAuth", "MultiAuth")},
    # `@jwt_required()`, `@jwt_required(optional=True, fresh=True, refresh=True, ...)` (4.x)
    "flask_jwt_extended.jwt_required": "flask-jwt-extended",
    "flask_jwt_extended.view_decorators.jwt_required": "flask-jwt-extended",
    # `@admin_permission.require(http_exception=403)`, `admin_permission = Permission(...)`
    **{f"flask_principal.{cls}.require": "flask-principal" for cls in ("Permission", "Denial")},
}
# `auth.ensure_sync(view)` (`auth = HTTPBasicAuth()`): Flask's `ensure_sync`, which returns a
# plain function unchanged (Flask-HTTPAuth's own decorators call the view so)
HTTPAUTH_ENSURE_SYNC = frozenset(
    f"flask_httpauth.{cls}.ensure_sync"
    for cls in ("HTTPBasicAuth", "HTTPDigestAuth", "HTTPTokenAuth", "MultiAuth"))
KNOWN_GUARD_DECORATORS = frozenset(_KNOWN_GUARDS)
# ... and the request headers their checks read, documented on the route (DecoratorInfo.headers)
KNOWN_GUARD_HEADERS = {name: ("Authorization",) for name, package in _KNOWN_GUARDS.items()
                       if package in ("flask-httpauth", "flask-jwt-extended")}
# Third-party decorators that only record the view's name and return the view itself; the
# extension's own request hook looks the name up (`current_app.view_functions[request.endpoint]`,
# the legacy view, also when the bridge runs the route). FM024.
NAME_MARKING_DECORATORS = {
    "flask_wtf.csrf.CSRFProtect.exempt": "flask-wtf",
    "flask_wtf.CSRFProtect.exempt": "flask-wtf",
    # `@limiter.exempt`: the Limiter's before_request check looks up the legacy view's name
    "flask_limiter.Limiter.exempt": "flask-limiter",
    "flask_limiter.extension.Limiter.exempt": "flask-limiter",
}
# ... and the check of each package that looks the name up
NAME_MARKING_CHECKS = {"flask-wtf": "CSRF check", "flask-limiter": "rate-limit check"}
# flask-smorest's Blueprint class, and APIFlask's app and blueprint classes, under the names they
# are imported by (the package's and the defining module's); the scan's linker reads apps and
# blueprints by them too.
SMOREST_BLUEPRINT_CLASSES = frozenset({"flask_smorest.Blueprint",
                                       "flask_smorest.blueprint.Blueprint"})
APP_FRAMEWORK_CLASSES = frozenset({"apiflask.APIFlask", "apiflask.app.APIFlask"})
APIFLASK_BLUEPRINT_CLASSES = frozenset({"apiflask.APIBlueprint",
                                        "apiflask.blueprint.APIBlueprint"})
_APIFLASK_SCAFFOLDS = sorted(APP_FRAMEWORK_CLASSES | APIFLASK_BLUEPRINT_CLASSES)


def _methods(classes: Iterable[str], names: Iterable[str]) -> list[str]:
    """The qualified names of the methods `names` of each of `classes`."""
    return [f"{cls}.{name}" for cls in classes for name in names]


# Flask-RESTX's Namespace, and its Api (which hands the same decorators to its default namespace)
_RESTX_SCAFFOLDS = ("flask_restx.Namespace", "flask_restx.namespace.Namespace", RESTX_API,
                    "flask_restx.api.Api")
# ... whose decorators only document what they decorate (they add to its `__apidoc__` and
# return it): on a resource class they change nothing Flask runs. On a method, `expect(model,
# validate=True)` (or the Api's `validate=True`) makes the resource's dispatch validate the
# payload against the model first, which `restx_payload` does on the converted method.
RESTX_EXPECTING = frozenset(_methods(_RESTX_SCAFFOLDS, ("expect",)))
RESTX_MARSHALLING = frozenset(_methods(_RESTX_SCAFFOLDS, ("marshal_with", "marshal_list_with")))
RESTX_DOCUMENTING = frozenset(_methods(_RESTX_SCAFFOLDS, (
    "doc", "expect", "response", "param", "header", "produces", "deprecated", "hide",
    "vendor")))


# peewee's database classes (and playhouse's), whose `atomic()`, `transaction()`, `savepoint()`
# and `connection_context()` decorate a view (supysonic's `@db.atomic()` on a DatabaseProxy)
PEEWEE_DATABASES = (
    *(f"peewee.{cls}" for cls in ("Database", "SqliteDatabase", "PostgresqlDatabase",
                                  "MySQLDatabase", "DatabaseProxy")),
    *(f"playhouse.pool.{cls}" for cls in (
        "PooledSqliteDatabase", "PooledSqliteExtDatabase", "PooledPostgresqlDatabase",
        "PooledPostgresqlExtDatabase", "PooledMySQLDatabase")),
    "playhouse.sqlite_ext.SqliteExtDatabase", "playhouse.sqlite_ext.CSqliteExtDatabase",
    "playhouse.postgres_ext.PostgresqlExtDatabase", "playhouse.cockroachdb.CockroachDatabase",
    "playhouse.mysql_ext.MySQLConnectorDatabase", "playhouse.mysql_ext.MariaDBConnectorDatabase",
)


# Third-party decorators that stay on the converted view, inside the bridge, with the same effect
# (FM029), by package.
VIEW_KEPT_DECORATORS = {
    "flask_limiter.Limiter.limit": "flask-limiter",
    "flask_limiter.Limiter.shared_limit": "flask-limiter",
    "flask_limiter.extension.Limiter.limit": "flask-limiter",
    "flask_limiter.extension.Limiter.shared_limit": "flask-limiter",
    "flask_caching.Cache.cached": "flask-caching",
    "flask_expects_json.expects_json": "flask-expects-json",
    "flask_cors.cross_origin": "flask-cors",
    "flask_cors.decorator.cross_origin": "flask-cors",
    "flasgger.swag_from": "flasgger",
    "flasgger.utils.swag_from": "flasgger",
    **dict.fromkeys(_methods(SMOREST_BLUEPRINT_CLASSES, (
        "arguments", "response", "alt_response", "paginate", "etag", "doc")), "flask-smorest"),
    **dict.fromkeys(_methods(_APIFLASK_SCAFFOLDS, ("input", "output", "doc", "auth_required")),
                    "apiflask"),
    **dict.fromkeys(RESTX_DOCUMENTING, "flask-restx"),
    **dict.fromkeys(RESTX_MARSHALLING, "flask-restx"),
    "flask_restful.marshal_with": "flask-restful",
    "flask_restful.marshal_with_field": "flask-restful",
    **dict.fromkeys(_methods(PEEWEE_DATABASES, ("atomic", "transaction", "savepoint",
                                                "connection_context")), "peewee"),
}
# Why the effect is the same. flask-limiter's `limit` registers its limits under the name of the
# function it wraps (the converted one, which no other view has) and counts each request under
# the Flask endpoint (`request.endpoint`, the legacy endpoint in the bridge) and the limit's key:
# the converted route's requests count in the very buckets the legacy route's do.
# flask-caching's `cached` keys its entries by the request's path (`key_prefix`, the query
# string), not by the function, and stores what the view returns, which the rules leave as the
# legacy view returns it: the converted route reads and fills the legacy route's entries.
# flask-expects-json's `expects_json(schema)` reads the legacy request (`request.get_json`),
# answers a body that is not JSON or fails the JSON schema with `abort(400, ...)` (the legacy
# app's error handling), keeps the body in `g.data`, and calls the view with its arguments.
# flask-cors's `cross_origin(...)` makes a response of the view's answer and adds the CORS
# headers, reading the legacy request (`Origin`) and app config; with `automatic_options` (its
# default) it marks the view to answer OPTIONS itself, which Flask's rule records: the generated
# app hands those requests to the legacy app (rule_option:provide_automatic_options).
# Flask-RESTful's `marshal_with(fields)` and `marshal_with_field(field)` call the method and
# marshal what it returns (the data of a `(data, code, headers)` tuple), in the legacy request
# context (where `fields.Url` builds the legacy app's URLs); the Api makes the response.
# peewee's `atomic()` (`transaction()`, `savepoint()`, `connection_context()`) is a context
# manager used as a decorator: the bridge enters it in the thread that then runs the view, and
# peewee keeps its connection and transaction per thread, so the view's queries run in the
# transaction, and an exception (an `abort`) rolls it back before the legacy app answers it.
VIEW_KEPT_EFFECTS = {
    "flask-limiter": "its requests count in the legacy endpoint's buckets",
    "flask-caching": "it reads and fills the legacy route's cache entries (keyed by the path)",
    "flask-expects-json": "its JSON-schema check runs before the view and answers a bad body "
                          "with the legacy app's 400",
    "flask-smorest": "it works on the legacy request and answer (webargs parsing, schema "
                     "dumping, pagination, ETag) and its errors reach the legacy Api's handlers",
    "apiflask": "it works on the legacy request and answer (webargs parsing, schema dumping) "
                "and its errors reach the legacy app's handlers",
    "flask-restx": "it marshals the method's answer with the model, and the legacy Api makes "
                   "the response of that",
    "flask-restful": "it marshals the method's answer with the fields, and the legacy Api makes "
                     "the response of that",
    "flask-cors": "it adds the CORS headers to the legacy answer, and the legacy app answers "
                  "the route's OPTIONS requests (the preflight) through it",
    "flasgger": "it only records the view's OpenAPI spec (a file or a dict) for flasgger, which "
                "documents the legacy view; without `validation` its wrapper just calls the view",
    "peewee": "it runs the view inside the transaction (or connection) it opens, on the thread "
              "that runs the view, whose connection peewee keeps per thread: a view that raises "
              "rolls back, as under Flask",
}
# Kept decorators whose effect is kept only without an argument, by keyword and position:
# flasgger's `swag_from(..., validation=True)` validates the request body against a spec file it
# finds next to the decorated function's module, which for the converted view is the router's.
KEPT_UNLESS_ARGUMENT = {"flasgger.swag_from": ("validation", 4),
                        "flasgger.utils.swag_from": ("validation", 4)}
# ... where one decorator of a package does something else: APIFlask's `auth_required(auth,
# roles, optional)` is `auth.login_required(role=roles, optional=optional)` around the view
# (Flask-HTTPAuth's check, in the legacy request context; a refusal is answered by the auth
# object's error handler, which APIFlask makes the app's JSON error).
_KEPT_EFFECTS_OF_DECORATORS = {
    **dict.fromkeys(_methods(_APIFLASK_SCAFFOLDS, ("auth_required",)),
                    "its Flask-HTTPAuth check (and role check) runs before the view and answers a "
                    "refused request through the auth object's error handler"),
    **dict.fromkeys(RESTX_DOCUMENTING,
                    "it only documents the method (its `__apidoc__`), from which the payload is "
                    "validated before the method runs, as Flask-RESTX's dispatch does "
                    "(restx_payload)"),
}


def kept_decorator_effect(qualified: str) -> str:
    """Why the view-kept decorator `qualified` (FM029) has the same effect on the converted view."""
    return _KEPT_EFFECTS_OF_DECORATORS.get(qualified) or \
        VIEW_KEPT_EFFECTS[VIEW_KEPT_DECORATORS[qualified]]

# ... of which those that hand the view's arguments to callables of the project (flask-caching's
# `unless`, `make_cache_key`...): the view must take exactly Flask's arguments (FM025)
VIEW_KEPT_READING_ARGUMENTS = frozenset({
    "flask_caching.Cache.cached",
    # ... and flask-smorest's that hand the view more arguments (what webargs parsed, the
    # pagination parameters): the endpoint takes the rule's values, and the view Flask's (FM028)
    *_methods(SMOREST_BLUEPRINT_CLASSES, ("arguments", "paginate")),
    # ... and APIFlask's `input`, which hands it `json_data`, `query_data`...
    *_methods(_APIFLASK_SCAFFOLDS, ("input",)),
})
# ... of which methods of an object the project makes (`auth = HTTPBasicAuth()`)
INSTANCE_GUARDS = frozenset(n for n in _KNOWN_GUARDS
                            if n.startswith(("flask_httpauth.", "flask_principal.")))
# ... of which those whose method name says nothing of the object (`require`): the dependency is
# named after both (`admin_permission_require`)
NAMED_BY_OWNER_GUARDS = frozenset(n for n in _KNOWN_GUARDS if n.startswith("flask_principal."))
KNOWN_EXTERNAL_DECORATORS = {
    name: f"FM021 decorator:{name.rsplit('.', 1)[-1]} ({package}): becomes a route dependency "
          "that runs the same check inside the legacy request context"
    for name, package in _KNOWN_GUARDS.items()
}
# Werkzeug rule options (Route.rule_options) a FastAPI route cannot reproduce: a route that has
# one answers requests Flask does not answer, or answers them differently, so it stays on Flask.
RULE_OPTIONS = {
    "defaults": "the view gets values the URL does not carry, and Werkzeug redirects a request "
                "that gives the same values through another rule of the endpoint to this one",
    "url_defaults": "the blueprint's url_defaults reach the view as values the URL does not carry",
    "subdomain": "the rule answers only requests for that subdomain; a FastAPI route answers "
                 "every host",
    "host": "the rule answers only requests for that host; a FastAPI route answers every host",
    "host_matching": "the app matches every rule by host; a FastAPI route answers every host",
    "subdomain_matching": "the app matches rules by subdomain of SERVER_NAME; a FastAPI route "
                          "answers every host",
    "redirect_to": "Werkzeug answers with a redirect and never calls the view",
    "build_only": "Flask only builds URLs with the rule and never serves it",
    "alias": "Werkzeug redirects a request for an alias rule to the endpoint's main rule",
    "websocket": "a WebSocket rule, not an HTTP route",
    "provide_automatic_options": "Flask adds no OPTIONS answer of its own to the rule (a request "
                                 "gets 405, or the view's own answer); the converted route would "
                                 "answer OPTIONS itself",
    "merge_slashes": "the rule holds `//` and merges slashes as the option's value decides, "
                     "which the scan cannot read",
    "**": "options passed with `**` cannot be read; they may change which requests the rule "
          "answers",
    "*": "arguments passed with `*` cannot be read; they may change which requests the rule "
         "answers",
}


def _has_defaults(route: Route) -> bool:
    return "defaults" in route.rule_options or "url_defaults" in route.rule_options


def keep_endpoints_with_defaults(routes: list[Route]) -> None:
    """Note on every other rule of an endpoint that has a rule with `defaults` that Werkzeug
    redirects a request that matches such a rule with exactly the default values to the rule
    with the defaults (`Map.redirect_defaults`): the generated app leaves those requests to Flask
    (it asks the legacy URL map). Where the defaults cannot be read (or are a blueprint's
    `url_defaults`), the rule stays on Flask."""
    with_defaults: dict[tuple[str | None, str], Route] = {}
    for route in routes:
        if _has_defaults(route):
            with_defaults.setdefault((route.app, route.endpoint), route)
    for route in routes:
        other = with_defaults.get((route.app, route.endpoint))
        if other is None or _has_defaults(route):
            continue
        if "url_defaults" not in other.rule_options and rule_default_names(other) is not None:
            note_for_review(route, (
                f"rule_option:defaults: the endpoint's rule `{other.rule}` has defaults; a "
                "request Werkzeug redirects here to that rule is answered by Flask (the "
                "generated app asks the legacy URL map)"))
            continue
        keep_on_flask(route, (
            f"rule_option:defaults: the endpoint's rule `{other.rule}` has defaults; Werkzeug "
            "redirects a request for the same values here to that rule; the route stays on Flask"))


def keep_on_flask(route: Route, reason: str) -> None:
    """Make `route` manual for a reason found after it was classified; the reason comes first."""
    route.status = "manual"
    route.reasons.insert(0, reason)


def note_for_review(route: Route, reason: str) -> None:
    """Add a reason found after `route` was classified that asks a person to review the
    conversion: an `auto` route becomes `assisted`."""
    route.reasons.append(reason)
    if route.status == "auto":
        route.status = "assisted"


def custom_converter_note(parameter: PathParameter) -> str:
    """The review note for a path parameter whose converter the app registers itself."""
    custom = parameter.custom
    assert custom is not None
    arguments = f"({parameter.arguments})" if parameter.arguments else ""
    where = f"{custom.cls} ({custom.file}:{custom.line})" if custom.cls else \
        "registered where the scan cannot see"
    return (f"converter:{parameter.converter}: <{parameter.converter}{arguments}:{parameter.name}> "
            f"is the app's own converter, {where}: converted, the legacy URL map still runs it "
            "(a path it refuses, or routes to another view, gets Flask's answer) and the view "
            f"takes its value from `request.view_args`; FastAPI matches {custom.regex_source} "
            "first")


def note_custom_converters(route: Route) -> None:
    """Say, after `route` was classified, what the app's own converters in its rule do (the
    scan found their registrations after the rule): each parameter's note is replaced."""
    for parameter in route.parameters:
        if parameter.custom is None:
            continue
        prefix = f"converter:{parameter.converter}: <"
        route.reasons = [reason for reason in route.reasons
                         if not (reason.startswith(prefix) and "the app's own converter" in reason)]
        note_for_review(route, custom_converter_note(parameter))


def feature_names(qualified: set[str]) -> set[str]:
    found: set[str] = set()
    for name in qualified:
        best = None
        for prefix, feature in _FEATURE_PREFIXES.items():
            if (name == prefix or name.startswith(prefix + ".")) and (
                best is None or len(prefix) > len(best[0])
            ):
                best = (prefix, feature)
        if best is not None:
            found.add(best[1])
    if found - _GENERIC:
        found -= _GENERIC
    return found


def classify_route(
    route: Route,
    decorators: list[tuple[str, Symbol | None]],
    scan_reasons: list[str],
) -> tuple[Status, list[str]]:
    from migrator.scan.link import (
        CLASS_BODY_VIEW,
        DecoratorClassSym,
        ExternalSym,
        FuncSym,
        OwnMethodSym,
    )

    manual: list[str] = list(scan_reasons)
    assisted: list[str] = []
    for feature in route.features:
        if feature in MANUAL_FEATURES:
            manual.append(MANUAL_FEATURES[feature])
        elif feature in ASSISTED_FEATURES:
            assisted.append(ASSISTED_FEATURES[feature])
        elif feature.startswith("validator:") and "request.json" in route.features:
            # FM010 reads a model from a helper given the JSON body (or a field of it) only;
            # a helper given form fields, query values or nothing of the request keeps running
            # in the view as it is, which needs no review
            assisted.append(
                f"{feature}: where the helper checks the JSON body, FM010 reads its checks into "
                "the Pydantic model that documents the body; the helper still runs in the view")
        elif feature.startswith("schema:"):
            # FM011 documents what `load` reads from the JSON body and what `dump` answers; a
            # schema loading query values or form fields runs in the view as it is
            assisted.append(
                f"{feature}: the marshmallow schema keeps running in the view; FM011 reads a "
                "Pydantic model from it where it loads the JSON body or dumps the answer")
    details = {d.name: d for d in route.decorator_details}
    for dotted, symbol in decorators:
        detail = details.get(dotted)
        short = dotted.rsplit('.', 1)[-1]
        if isinstance(symbol, DecoratorClassSym) and not symbol.called \
                and (detail is None or detail.shape is None):
            manual.append(
                f"decorator:{short}: a class of the project used as a decorator (`@{short}`): "
                "its instance wraps the view, which the converter cannot read; the route stays "
                "on Flask")
            continue
        # a project function, or a project class called to make the decorator (`@requires(
        # "admin")`, whose `__call__` the scan read as a decorator's)
        project = isinstance(symbol, (FuncSym, DecoratorClassSym))
        if project and detail is not None and detail.hides_signature:
            assisted.append(
                f"FM036 decorator:{short}: does not keep the view's signature (no "
                "functools.wraps); it stays around the view inside the legacy request context, "
                "and the endpoint takes the rule's values and calls it with them as Flask does "
                "(FM028)"
            )
        elif project and detail is not None and not detail.preserves_signature \
                and detail.shape != "unread":  # (one read as unread says why: FM023 below)
            manual.append(
                f"decorator:{short}: a project decorator that does not keep "
                "the view's signature (functools.wraps); the route stays on Flask"
            )
        elif project and detail is not None and detail.shape == "returns_view":
            assisted.append(
                f"FM034 decorator:{short}: returns the view itself (it at most sets attributes "
                "of it); it stays on the view, inside the bridge, where it changes nothing of "
                "what the view does"
            )
        elif project and detail is not None and detail.reads_arguments \
                and detail.shape in ("guard", "post_processing"):
            assisted.append(
                f"FM025 decorator:{short}: reads or changes the view's arguments; it stays "
                "around the view inside the legacy request context, called with the values of "
                "the rule as Flask calls it (FM028 where the view takes other parameters, which "
                "the decorator hands it)"
            )
        elif project and detail is not None and detail.shape == "guard":
            assisted.append(
                f"FM020 decorator:{short}: checks the request before the view; becomes a route "
                "dependency that runs the same check inside the legacy request context (or stays "
                "on the view where a decorator outside it must run first)"
            )
        elif project and detail is not None \
                and detail.shape == "post_processing":
            assisted.append(
                f"FM022 decorator:{short}: works on the view's response; it keeps running around "
                "the endpoint, inside the legacy request context, as in Flask"
            )
        elif project:
            why = detail.shape_reason if detail is not None and detail.shape_reason else \
                "its wrapper could not be read"
            manual.append(f"FM023 decorator:{short}: {why}; the converter cannot show its effect "
                          "is kept, so the route stays on Flask")
        elif isinstance(symbol, ExternalSym) and symbol.qualified in KNOWN_EXTERNAL_DECORATORS:
            assisted.append(KNOWN_EXTERNAL_DECORATORS[symbol.qualified])
        elif isinstance(symbol, ExternalSym) and symbol.qualified in VIEW_KEPT_DECORATORS:
            package = VIEW_KEPT_DECORATORS[symbol.qualified]
            assisted.append(f"FM029 decorator:{short} ({package}): stays on the view, inside the "
                            f"bridge: {kept_decorator_effect(symbol.qualified)}")
        elif isinstance(symbol, ExternalSym) and symbol.qualified in NAME_MARKING_DECORATORS:
            assisted.append(
                f"FM024 decorator:{short} ({NAME_MARKING_DECORATORS[symbol.qualified]}): marks the "
                "legacy view by name; the extension's check, which the bridge runs against the "
                "legacy view, still skips this route")
        elif isinstance(symbol, OwnMethodSym):
            method = symbol.cls.module.function(f"{symbol.cls.cls.qualname}.{symbol.name}")
            line = "" if method is None or method.line is None else f":{method.line}"
            manual.append(
                f"decorator:{dotted}: {symbol.cls.cls.name}.{symbol.name}, a method of the "
                f"project's own class ({symbol.cls.module.file}{line}), which the scan does not "
                "read as a decorator through an instance; its effect cannot be shown, so the "
                "route stays on Flask")
        elif symbol is None and dotted.startswith("<"):  # a list item, a class decorator...
            manual.append(f"decorator:{dotted}: the scan does not read what it does; its effect "
                          "cannot be shown, so the route stays on Flask")
        else:
            where = symbol.qualified if isinstance(symbol, ExternalSym) else "an unresolved name"
            manual.append(
                f"decorator:{dotted}: from {where}; its effect cannot be shown, so the route "
                "stays on Flask"
            )
    for option, text in route.rule_options.items():
        if option == "defaults" and rule_default_names(route) is not None:
            assisted.append(f"rule_option:defaults: `defaults={text}`: the view gets these values "
                            "from the legacy URL map (`request.view_args`), as Flask passes them")
            continue
        if option == "provide_automatic_options" and route.methods != ["OPTIONS"]:
            # the converted route takes the other methods; the generated app reads the legacy
            # rule and hands an OPTIONS request for it to the legacy app
            assisted.append(f"rule_option:provide_automatic_options: `{option}={text}`: Flask "
                            "gives the rule no OPTIONS answer of its own; the generated app hands "
                            "OPTIONS requests for it to the legacy app (the view's own answer, "
                            "or 405), as Flask answers them")
            continue
        if option == "merge_slashes" and text == "True":
            # Werkzeug matches the rule at its path with the slashes merged (Route.served_rule)
            assisted.append(f"rule_option:merge_slashes: the rule `{route.rule}` holds `//`, "
                            "which Werkzeug merges: it answers at "
                            f"`{route.served_rule}`, where the converted route is, and "
                            "redirects a request that doubles a slash to it (the generated app "
                            "hands that one to Flask)")
            continue
        why = RULE_OPTIONS.get(option, "not an option of Werkzeug's Rule")
        shown = text if option in ("*", "**") else f"{option}={text}"
        manual.append(f"rule_option:{option}: `{shown}`: {why}; the route stays on Flask")
    for parameter in route.parameters:
        arguments = f"({parameter.arguments})" if parameter.arguments else ""
        if parameter.custom is not None:
            assisted.append(custom_converter_note(parameter))
        elif converter_regex(parameter.converter, parameter.arguments) is None:
            manual.append(
                f"converter:{parameter.converter}: no Starlette convertor does the same for "
                f"<{parameter.converter}{arguments}:{parameter.name}>"
            )
    if route.kind == "method_view":
        assisted.append("method_view: becomes one endpoint per HTTP method (one for all of them "
                        "with the class's own dispatch_request)")
    if route.kind == "function" and "." in route.function and not any(
            reason.startswith(CLASS_BODY_VIEW) for reason in scan_reasons):
        enclosing = route.function.rpartition(".")[0]
        assisted.append(f"nested_view: {route.function} is defined inside {enclosing}; FM026: "
                        f"the converted view takes the names of {enclosing} it reads from the "
                        "legacy view's closure, at run time" + (
                            f"; its @wraps(...) only copies the metadata of {route.view_wraps} "
                            "(the endpoint's name), which the converted route does not need"
                            if route.view_wraps else ""))
    if route.kind == "resource" and route.resource_api in RESOURCE_APIS:
        assisted.append("resource: FM027: becomes one endpoint per HTTP method, answered through "
                        "the legacy Api's own output (its representations, its error handling)"
                        + ("; Flask-RESTX's payload validation runs before the method, as in "
                           "its dispatch" if route.resource_api == RESTX_API else ""))
    elif route.kind == "resource":
        manual.append(f"resource: resources of {route.resource_api} need a person")
    if route.kind == "flask_classful":
        manual.append("flask_classful: Flask-Classful calls the method on an instance it made "
                      "at registration, through its proxy (the class's before_/after_ hooks, "
                      "its representations); a person moves it")
    if route.kind == "static":
        # convert leaves it (convert.kind_static): Flask's send_file answers conditional and
        # range requests and sets caching headers its own way
        manual.append("static: the blueprint's static files stay served by Flask (the fallback "
                      "mount, the proxy's default location), as the app's own are; a "
                      "StaticFiles mount for them is a person's change")
    if route.kind == "rule_only":
        manual.append("rule_only: the rule has no view function in the source (it is bound "
                      "with app.view_functions or an endpoint decorator)")
    if route.strict_slashes is False or (route.rule.endswith("/") and route.rule != "/"):
        assisted.append(
            "trailing_slash: Flask redirects or matches slashes differently from Starlette; "
            "the rule is registered as written, and the other form reaches Flask through the "
            "legacy mount, which redirects or matches it as before"
        )
    if manual:
        return "manual", manual + assisted
    if assisted:
        return "assisted", assisted
    return "auto", []
