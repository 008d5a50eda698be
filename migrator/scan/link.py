"""Link per-file facts into the model: resolve names across modules, find apps and blueprints,
apply registrations the way Flask does, and compute each route's full rule and endpoint.

Flask semantics mirrored here (Flask 2.x/3.x, `sansio/blueprints.py` and `sansio/app.py`):
- `BlueprintSetupState.add_url_rule`: with a prefix, `rule = "/".join((prefix.rstrip("/"),
  rule.lstrip("/")))` if rule else the prefix; endpoint `f"{name_prefix}.{name}.{ep}".lstrip(".")`.
- `Blueprint.register`: a registration's `url_prefix` (else the blueprint's own) is joined to the
  parent's as `parent.rstrip("/") + "/" + child.lstrip("/")`; `name=` renames the blueprint.
- `App.add_url_rule`: endpoint defaults to the view's `__name__`; methods default to the view's
  `methods` attribute, else `("GET",)`. `MethodView` subclasses collect `methods` from the HTTP
  method functions they (or their bases) define unless the class sets `methods`.
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import json
import posixpath
import re
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple, TypeVar

from migrator.discover import looks_like_test
from migrator.model import (
    CONVERTER_BASES,
    CONVERTER_BASES_SETTING_REGEX,
    ONE_SEGMENT,
    RULE_PARAMETER,
    App,
    AppHook,
    Blueprint,
    BlueprintRegistration,
    CustomConverter,
    DecoratorInfo,
    Diagnostic,
    Extension,
    PathParameter,
    Route,
    ScanResult,
    Wrapper,
    usable_convertor_regex,
)
from migrator.scan import FileOutcome, classful, parse_file
from migrator.scan.classify import (
    APIFLASK_BLUEPRINT_CLASSES,
    APP_FRAMEWORK_CLASSES,
    HTTPAUTH_ENSURE_SYNC,
    KEPT_UNLESS_ARGUMENT,
    KNOWN_GUARD_DECORATORS,
    KNOWN_GUARD_HEADERS,
    NAME_MARKING_DECORATORS,
    RESTX_API,
    RESTX_DOCUMENTING,
    SMOREST_BLUEPRINT_CLASSES,
    VIEW_KEPT_READING_ARGUMENTS,
    classify_route,
    feature_names,
    keep_endpoints_with_defaults,
    keep_on_flask,
    note_custom_converters,
    note_for_review,
)
from migrator.scan.conditions import NOT_KNOWN, test_outcome
from migrator.scan.extension_routes import routes_added_by, routes_made_by_view_base
from migrator.scan.extract import (
    RESPONSE_MAKERS,
    ROUTE_VERBS,
    ast_dotted,
    pluggy_hook_name,
    string_constant,
)
from migrator.scan.facts import (
    ITEM_METHOD,
    MONKEY_PATCH_NAMES,
    MONKEY_PATCHES,
    SPLIT_ITEM,
    STRING_JOIN,
    Binding,
    CallExpr,
    CallFacts,
    ClassFacts,
    Concat,
    ConverterWrite,
    DecoratorFacts,
    Format,
    FunctionFacts,
    Guard,
    ImportRef,
    Lit,
    Loop,
    MiddlewareShape,
    ModuleFacts,
    Or,
    Ref,
    Scoped,
    Seq,
    Unknown,
    Unpacked,
    Value,
    WrapperShape,
    WsgiAppWrite,
    method_kind,
    passed_parameters,
)
from migrator.scan.mro import c3_linearization
from migrator.scan.paste import PasteConfigs
from migrator.scan.stated import StatedApp, StatedValues
from migrator.scan.walks import MODULE_INFO_FIELDS, PKGUTIL_WALKS, WERKZEUG_WALKS, ModuleTree

# `current_app`: at a module's top level, the app whose context its import runs in (context_app)
CURRENT_APP = frozenset({"flask.current_app", "flask.globals.current_app"})
SPLIT_ITEMS = frozenset(SPLIT_ITEM.values())
# the methods of a string whose items a tuple assignment may unpack (`Linker.split_item`)
STRING_SPLITS = frozenset({"partition", "rpartition", "split", "rsplit"})
# Werkzeug's Rule, added to an app's URL map directly (collect_url_map_rule): its positional
# parameters after the rule string, and the methods a Rule without `methods` answers
WERKZEUG_RULES = frozenset({"werkzeug.routing.Rule", "werkzeug.routing.rules.Rule"})
# a blueprint copied is a blueprint with its routes (Linker.copied_blueprint)
COPY_FUNCTIONS = frozenset({"copy.copy", "copy.deepcopy"})
RULE_POSITIONAL_OPTIONS = ("defaults", "subdomain", "methods", "build_only", "endpoint",
                           "strict_slashes", "merge_slashes", "redirect_to", "alias", "host",
                           "websocket")
EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
# Frameworks built on Flask whose app class is a Flask subclass (APIFlask, APP_FRAMEWORK_CLASSES):
# what the class adds to every app (APIFlask's own documentation rules) is recorded as an
# extension of the app (call "app_class"), as `Api(app)` is.
FLASK_APP_CLASSES = {"flask.Flask", "flask.app.Flask", *APP_FRAMEWORK_CLASSES}
# Dash apps serve on a Flask app, their `server` (Linker.collect_dash)
DASH_CLASSES = frozenset({"dash.Dash", "dash.dash.Dash"})
BLUEPRINT_CLASSES = {"flask.Blueprint", "flask.blueprints.Blueprint",
                     *APIFLASK_BLUEPRINT_CLASSES, *SMOREST_BLUEPRINT_CLASSES}
# flask-smorest's `Api(app)`: `api.register_blueprint(blp, **options)` registers `blp` on the app
# with those options (Flask's `register_blueprint`), after documenting it.
SMOREST_API_CLASSES = frozenset({"flask_smorest.Api", "flask_smorest.api.Api"})
# Options of flask-smorest's `route` and `add_url_rule` that only document the route (it takes
# them off before Flask's `add_url_rule`): not options of the Werkzeug rule.
SMOREST_DOCUMENTATION_OPTIONS = frozenset({"parameters", "tags"})
# The scan's reason for a view `def` written in a class body (not in a method of it).
CLASS_BODY_VIEW = "scan.class_body_view"

# Apps and blueprints whose `route` decorator also takes a MethodView class (flask-smorest,
# APIFlask): it registers `Cls.as_view(endpoint)`, the endpoint being the class's name.
CLASS_ROUTING_CLASSES = APP_FRAMEWORK_CLASSES | APIFLASK_BLUEPRINT_CLASSES | \
    SMOREST_BLUEPRINT_CLASSES
RESTFUL_API_CLASSES = {"flask_restful.Api"}
# The options of `api.add_resource(...)` / RESTX's `@ns.route(...)` the Api keeps for itself
# (the instance's arguments, RESTX's documentation); the others are `add_url_rule`'s.
RESOURCE_REGISTRATION_OPTIONS = frozenset({"resource_class_args", "resource_class_kwargs",
                                           "doc", "route_doc"})
RESTX_API_CLASSES = {"flask_restx.Api", "flask_restplus.Api"}
# The members of the standard library's `http.HTTPMethod` (Python 3.11+).
HTTP_METHOD_MEMBERS = frozenset({"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST",
                                 "PUT", "TRACE"})
# Methods of Flask-RESTful's and Flask-RESTX's Api through which a resource's view is wrapped
# as it is registered: a project subclass overriding one may wrap it otherwise.
API_VIEW_WRAPPING_METHODS = frozenset({"_register_view", "output"})
NAMESPACE_CLASSES = {"flask_restx.Namespace", "flask_restplus.Namespace"}
METHOD_VIEW_BASES = {
    "flask.views.MethodView",
    "flask.MethodView",
    "flask_restful.Resource",
    "flask_restx.Resource",
    "flask_restplus.Resource",
}
VIEW_BASES = {"flask.views.View", "flask.View"}
# Classes from outside the project a view class may derive from that add nothing Flask runs.
HARMLESS_CLASS_BASES = frozenset({"object", "abc.ABC", "typing.Generic"})
# The last part of a module name that says its app is made for development or a command, not
# the one production serves (`opentaxii.cli`), and a statement that turns debug on.
DEVELOPMENT_MODULES = frozenset({"cli", "manage", "commands", "command", "debug", "dev",
                                 "devserver", "development", "runserver", "shell", "__main__"})
DEBUG_ON = re.compile(r"""\.debug\s*=\s*True\b|\[\s*['"]DEBUG['"]\s*\]\s*=\s*True\b""")
# Flask methods a converted route does not run (the bridge runs the view itself): an app
# class that overrides one keeps its routes on Flask (flask_compat checks the same at start-up).
BYPASSED_APP_METHODS = frozenset({"__call__", "wsgi_app", "full_dispatch_request",
                                  "dispatch_request"})
# Methods through which an app or a blueprint registers views: a subclass that overrides one
# may wrap every view (`login_required(view_func)`), which the scan cannot read.
REGISTERING_METHODS = frozenset({"add_url_rule", "route", "get", "post", "put", "patch",
                                 "delete", "_method_route", "register_blueprint"})
BLUEPRINT_SETUP_METHODS = frozenset({"register", "make_setup_state", "record", "record_once"})
# Werkzeug's ProxyFix: its effect on a converted route comes from the ASGI server instead.
PROXY_FIX = frozenset({"werkzeug.middleware.proxy_fix.ProxyFix",
                       "werkzeug.contrib.fixers.ProxyFix"})
# Middleware a project class may extend by handing requests on through `super().__call__`
# (scan/middleware.py): the attribute where it holds the app it calls. ProxyFix only changes the
# environ, so a subclass that changes it too (klaus's, which sets SCRIPT_NAME from X-Script-Name)
# is run by converted routes as a whole, as Flask runs it.
SUPER_PASSING = dict.fromkeys(PROXY_FIX, "app")
# Werkzeug's DispatcherMiddleware: the apps it mounts are served under their prefixes.
DISPATCHER_MIDDLEWARE = frozenset({"werkzeug.middleware.dispatcher.DispatcherMiddleware",
                                   "werkzeug.wsgi.DispatcherMiddleware"})
# Werkzeug's ProfilerMiddleware only measures (timesketch's, with ENABLE_PROFILING): it changes
# no request or answer, so a converted route only goes unprofiled.
PROFILER = frozenset({"werkzeug.middleware.profiler.ProfilerMiddleware",
                      "werkzeug.contrib.profiler.ProfilerMiddleware"})
# Third-party WSGI middleware that answers some requests by itself and hands every other one on
# untouched, as a project class can (scan/middleware.py): the generated app runs it before each
# converted route (flask_compat's LegacyMiddlewarePass). By the name the project imports it
# under: the class's own dotted name, as the legacy app's chain shows it at run time, the
# attribute holding the app it hands requests on to, and what it does. WhiteNoise answers GET and
# HEAD (and a 405) for the files under its prefix, and calls `self.application` for any other
# path.
WHITENOISE_DOES = "answers the requests for its own files and hands every other one on untouched"
# python-socketio's and python-engineio's WSGIApp (Flask-SocketIO's derives from the first) answer
# the requests under their path (and their `static_files`) and hand every other one on.
SOCKETIO_DOES = ("answers the requests under its Socket.IO path (and its static files) and "
                 "hands every other one on")
PASSING_MIDDLEWARE = {
    "whitenoise.WhiteNoise": ("whitenoise.base.WhiteNoise", "application", WHITENOISE_DOES),
    "whitenoise.base.WhiteNoise": ("whitenoise.base.WhiteNoise", "application",
                                   WHITENOISE_DOES),
    **{name: ("socketio.middleware.WSGIApp", "wsgi_app", SOCKETIO_DOES)
       for name in ("socketio.WSGIApp", "socketio.middleware.WSGIApp")},
    **{name: ("engineio.middleware.WSGIApp", "wsgi_app", SOCKETIO_DOES)
       for name in ("engineio.WSGIApp", "engineio.middleware.WSGIApp")},
}
# What a project class read as only changing the request does (scan/middleware.py).
CHANGES_THE_REQUEST = "only changes the request before handing it on"
# Extensions that wrap the app's `wsgi_app` in middleware of their own when they are set up on it
# (`SocketIO(app)`, `socketio.init_app(app)`), in the extension's code, where the scan does not
# see the write: by the extension's name, the middleware as PASSING_MIDDLEWARE gives it.
# Flask-SocketIO's answers the requests under its Socket.IO path (`/socket.io/` unless `path=`
# says otherwise) and hands every other one on, with the environ copied and `flask.app` added.
EXTENSION_MIDDLEWARE = {
    "flask_socketio.SocketIO": (
        "flask_socketio._SocketIOMiddleware", "wsgi_app",
        "answers the requests under its Socket.IO path and hands every other one on"),
}
#: Calls that import what a string names (blueprints found by name: `importlib.import_module(
#: f"app.views.{name}")` in a loop over a list of names, Werkzeug's `import_string("app.views:bp")`):
#: whether the string names a module or an object (`pkg.module:name` or `pkg.module.name`).
IMPORT_BY_NAME = {"importlib.import_module": "module", "werkzeug.utils.import_string": "object",
                  "werkzeug.import_string": "object"}
#: The builtin `__import__`'s parameters, in order.
BUILTIN_IMPORT_PARAMETERS = ("name", "globals", "locals", "fromlist", "level")
IMPORTING_FUNCTIONS = frozenset(name.rsplit(".", 1)[-1] for name in IMPORT_BY_NAME)
HTTP_METHOD_FUNCS = ("get", "post", "head", "options", "delete", "put", "trace", "patch")
# A rule option with this literal value changes nothing (None never does).
RULE_OPTION_NO_OPS: dict[str, object] = {
    "build_only": False, "alias": False, "websocket": False, "provide_automatic_options": True,
    "subdomain": "", "merge_slashes": True, "host_matching": False, "subdomain_matching": False,
}
HOOK_DECORATORS = {
    "errorhandler": "errorhandler",
    "app_errorhandler": "errorhandler",
    "before_request": "before_request",
    "before_app_request": "before_request",
    "after_request": "after_request",
    "after_app_request": "after_request",
    "teardown_request": "teardown_request",
    "teardown_app_request": "teardown_request",
    "teardown_appcontext": "teardown_appcontext",
    "context_processor": "context_processor",
    "app_context_processor": "context_processor",
    "url_value_preprocessor": "url_value_preprocessor",
    "url_defaults": "url_defaults",
    "before_first_request": "before_first_request",
}


# A replacement field of str.format with a width or precision of 4+ digits, or a nested field.
LARGE_OR_NESTED_FORMAT_FIELD = re.compile(r"(?<!\{)\{(?!\{)[^{}]*(?:\d{4,}|\{)")


def hint_for_test_module(file: str) -> str:
    """What to say after a reason found in a test module: it may not run in production, but the
    scan cannot know which files do, so the reason stands and the user decides."""
    if not looks_like_test(file):
        return ""
    parts = file.split("/")
    folders = [i for i, part in enumerate(parts[:-1]) if part in ("tests", "test")]
    pattern = "/".join(parts[:folders[0] + 1]) + "/*" if folders else file
    return f" (in a test module: `--exclude '{pattern}'` if it never runs in production)"


def unknown_option_reason(option: str, of: str, where: str, error: object,
                          stateable_as: str | None = None) -> str:
    """Why a route of a blueprint whose `name` or `url_prefix` (given where the blueprint is
    made or registered) is known only at run time stays on Flask; for a prefix of a blueprint
    registered as `stateable_as` (its dotted name), how the project can state the one its
    deployment uses."""
    part = "endpoint" if option == "name" else "full rule"
    reason = (f"scan.unresolved_registration: the {option} of {of} ({where}) {error}, so the "
              f"route's {part} is known only at run time; the route stays on Flask")
    if option != "url_prefix" or stateable_as is None:
        return reason
    key = stateable_as if re.fullmatch(r"[A-Za-z0-9_-]+", stateable_as) else \
        json.dumps(stateable_as)
    return (f"{reason} (if every deployment uses one prefix, state it in pyproject.toml: "
            f"`[tool.migrate.blueprint-prefixes]` `{key} = \"/...\"`)")


def registration_name(parent_name: str, own_name: object) -> str | None:
    """The dotted name of a blueprint registered as `own_name` under `parent_name` (the name
    `[tool.migrate.blueprint-prefixes]` states a prefix for); None when the name is unknown."""
    if not isinstance(own_name, str) or own_name.startswith("<unresolved"):
        return None
    return f"{parent_name}.{own_name}".lstrip(".")


class Unresolved(Exception):
    """An expression whose value is only known at run time."""


@dataclass
class NameRegistration:
    """The first registration of a blueprint under a dotted name on an app."""

    blueprint: FlaskObject
    url_prefix: object
    options: dict[str, str]  # the rule options it gives its routes
    where: str  # file:line of the register_blueprint call
    on_instance: bool  # on an app the factory made, by module-level code (wsgi.py)
    routes: list[Route]  # the routes it added, nested blueprints' too

    def gives_same_routes(self, blueprint: FlaskObject, url_prefix: object,
                          options: dict[str, str]) -> bool:
        """Whether a registration of `blueprint` under the same name adds the same routes."""
        return (blueprint is self.blueprint and url_prefix == self.url_prefix
                and options == self.options)


# -- symbols ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModuleSym:
    name: str


@dataclass(frozen=True)
class ExternalSym:
    qualified: str


@dataclass(frozen=True)
class FuncSym:
    module: ModuleFacts
    function: FunctionFacts


@dataclass(frozen=True)
class ClassSym:
    module: ModuleFacts
    cls: ClassFacts


@dataclass(frozen=True)
class DecoratorClassSym:
    """A project class used as a view decorator. Called (`@requires("admin")`), its instance is
    the decorator: `__call__(self, view)` makes the wrapper, read like a function decorator's.
    Bare (`@Requires`), its instance wraps the view itself.

    Or an instance of one, named (`instance`: its qualified name) where the module makes it
    (fittrackee's `require_auth = CustomResourceProtector()`): bare (`@require_auth`), it is
    the decorator, as a called class is; called (`@require_auth(scopes=[...])`: `factory`),
    its `__call__` is a decorator factory, read like a function returning a decorator."""

    cls: ClassSym
    called: bool
    instance: str | None = None
    factory: bool = False


@dataclass(frozen=True)
class OwnMethodSym:
    """`api.response` where `api = API(...)` and the project's `class API(flask_restx.Api)`
    defines `response` itself (FlexGet): a method of the project's own class reached through an
    instance, which the scan does not read as a decorator. `cls` is the class that defines it."""

    cls: ClassSym
    name: str


@dataclass(frozen=True)
class ValueSym:
    module: ModuleFacts
    scope: str
    value: Value


@dataclass(eq=False)
class FlaskObject:
    """An app, blueprint, Flask-RESTful/RESTX Api or Namespace created in the scanned code."""

    kind: str  # "app", "blueprint", "restful_api", "restx_api", "namespace"
    module: ModuleFacts
    scope: str
    variable: str
    call: CallExpr
    line: int | None
    model: App | Blueprint | None = None
    declarations: list[RouteDecl] = field(default_factory=list)
    children: list[tuple[FlaskObject, dict, CallFacts, ModuleFacts]] = field(default_factory=list)
    attached_to: list[FlaskObject] = field(default_factory=list)  # Api(app) / api.init_app(bp)
    registered: bool = False
    # the external classes the object's class is or derives from (`apiflask.APIFlask`)
    classes: frozenset[str] = frozenset()
    # a Blueprint's `name` / `url_prefix` the scan cannot read (`url_prefix=web_base_path`):
    # option -> why, for the reasons of its routes (`register`)
    unresolved: dict[str, str] = field(default_factory=dict)
    # where an Api's or Namespace's `decorators` list is changed after it is made
    # (`api.decorators.append(require_key)`): "file:line"
    decorator_changes: list[str] = field(default_factory=list)
    # the class that made the object where `call.func` names another callable: a project
    # function that returns `Blueprint(...)` (knowledge-repo's `get_blueprint(name, __name__)`)
    maker: Symbol | None = None


Symbol = ModuleSym | ExternalSym | FuncSym | ClassSym | ValueSym | FlaskObject


@dataclass
class RouteDecl:
    """One route declaration on an app or blueprint, before registration prefixes apply."""

    module: ModuleFacts
    scope: str
    rule: Value
    verb: str  # "route" or an HTTP method shortcut
    options: dict[str, Value]
    view: Symbol | None
    view_name: str | None  # what `__name__` the view has (function, or as_view's name)
    kind: str
    line: int | None
    decorators: list[tuple[str, Symbol | None]]
    env: dict[str, Value]
    # the first decorators of `decorators`, applied where the rule is added:
    # `add_url_rule("/w", view_func=require_key(view))`
    wrappers: list[Wrapper] = field(default_factory=list)
    # a resource's Api class: "flask_restful.Api", "flask_restx.Api"
    resource_api: str | None = None
    # a rule a registering decorator adds (`@api("/x")`, Linker.registering_factory): the
    # decorator factory, and the file of the use, where the route is listed (at `line`)
    registered_by: FunctionFacts | None = None
    used_in: str | None = None
    # the project function whose metadata `@functools.wraps(func)` copies onto the view (a view
    # defined in a function that is passed it: fava's `api_endpoint`), qualified; the view's
    # `__wrapped__` is that function, and the decorator is not among `decorators`
    view_wraps: str | None = None


class WrapsUse(NamedTuple):
    """`@wraps(func)` on a view defined in a function, for one call of that function
    (Linker.wraps_passed_function)."""

    decorator: DecoratorFacts
    parameter: str  # `func`
    name: str  # the `__name__` it gives the view: the function passed's
    copied: FuncSym | None  # the function passed, where wraps only copies its metadata


def symbol_name(symbol: Symbol | None) -> str | None:
    """The `__name__` of a project class, function or module; None for anything else."""
    if isinstance(symbol, ClassSym):
        return symbol.cls.name
    if isinstance(symbol, FuncSym):
        return symbol.function.name
    if isinstance(symbol, ModuleSym):  # `f"{views.__name__}.{name}"` in a module walk
        return symbol.name
    return None


def keywords_passed_on(caller: ModuleFacts, site: CallFacts, taken: Collection[str]
                       ) -> dict[str, Value] | None:
    """What the call `site` gives the `**kwargs` of the function it calls, which takes the
    parameters `taken` by name: its other keyword arguments, read where the call is; None where
    the call spreads a `*` or `**` of its own (what it passes is not known)."""
    extra = {key: placed_at(value, caller, site.scope)
             for key, value in site.expr.kwargs if key not in taken}
    return None if "*" in extra or "**" in extra else extra


def spread_into(options: dict[str, Value], star: str, given: dict[str, Value]) -> None:
    """A rule's options with the `*`/`**` at `star` (`**kwargs` of the function that adds the
    rule) replaced by what the call passed for it (keywords_passed_on); an option written
    beside it wins."""
    del options[star]
    for key, value in given.items():
        options.setdefault(key, value)


def call_text(call: CallExpr) -> str:
    """The source text of a call, for messages; where it was not kept, `func(...)`
    (`val["view_class"].as_view(...)` for a method of a dict's item)."""
    if call.code:
        return call.code
    if call.func == ITEM_METHOD:
        owner, method = call.args[:2]
        owner_text = call_text(owner) if isinstance(owner, CallExpr) else \
            getattr(owner, "code", "?")
        return f"{owner_text}.{getattr(method, 'value', '?')}(...)"
    return f"{call.func}(...)"


def item_method_call(call: CallExpr) -> Value:
    """A method called on a dict's item (ITEM_METHOD), its arguments substituted: where the
    item is a name (`"view_class": ComposeDetailAPI` for `val["view_class"].as_view(key)`), the
    call of that name's method, read where the dict is written when the arguments name nothing
    (`key` a literal); else as it was."""
    owner, method, *arguments = call.args
    placed = owner if isinstance(owner, Scoped) else None
    name = placed.value if placed is not None else owner
    if not isinstance(name, Ref) or not isinstance(method, Lit):
        return call
    made = CallExpr(f"{name.dotted}.{method.value}", tuple(arguments), call.kwargs, call.code)
    if placed is None:
        return made
    return Scoped(made, placed.module, placed.scope, placed.at) if all(
        names_nothing(part) for part in (*arguments, *(value for _, value in call.kwargs))) \
        else call


def spread_dict_display(options: dict[str, Value], modules: dict[str, ModuleFacts]) -> None:
    """A rule's options with a `**` of a dict display whose keys are all str literals
    (`**val["options"]` of a loop over a route table) replaced by its items."""
    pairs = display_pairs(options.get("**"), modules)
    if pairs is None or not all(isinstance(key, Lit) and isinstance(key.value, str)
                                for key, _ in pairs):
        return
    spread_into(options, "**", {key.value: item for key, item in pairs})  # type: ignore[union-attr]


def placed_parts(value: Value, module: ModuleFacts, scope: str) -> Value:
    """`placed_at` of each part of a tuple or list display (`(bp, "/prefix")`, which a loop
    may unpack), or of the value itself."""
    return Seq(tuple(placed_parts(item, module, scope) for item in value.items), value.fields) \
        if isinstance(value, Seq) else placed_at(value, module, scope)


T = TypeVar("T")


def unique_by_repr(values: list[T]) -> list[T]:
    """`values` in order, each once (values of the scan's model compare by what they show)."""
    found: dict[str, T] = {}
    for value in values:
        found.setdefault(repr(value), value)
    return list(found.values())


#: The calls a loop over a list `Linker.sequence_items` reads may make (a blueprint, rule,
#: resource or namespace per item); other calls in loops are read only where the list is plain.
REGISTERING_IN_LOOPS = frozenset({"register_blueprint", "add_url_rule", "add_resource",
                                  "add_namespace"})
#: Paste Deploy's function that builds the WSGI app a config describes
PASTE_LOADAPP = frozenset({"paste.deploy.loadapp", "paste.deploy.loadwsgi.loadapp"})
#: The first parameter of a Paste Deploy app factory (`def app_factory(global_config,
#: **local_conf)`), by the names Paste's docs and OpenStack's services give it
PASTE_GLOBAL_CONF = frozenset({"global_conf", "global_config"})
#: The calls that add a rule, where one in a loop over items the scan cannot read adds any
#: number of routes (Linker.note_unread_loop).
RULES_ADDED_IN_LOOPS = frozenset({"add_url_rule", "add_resource", "route", *ROUTE_VERBS})
#: The most sequences `Linker.sequence_alternatives` reads a value as (a concatenation of names
#: each bound in several arms makes their product).
MAX_SEQUENCE_ALTERNATIVES = 32


def names_nothing(value: Value) -> bool:
    """Whether `value` reads no name: a literal, or a display, concatenation or format of
    literals."""
    if isinstance(value, Lit):
        return True
    if isinstance(value, Seq):
        return all(names_nothing(part) for part in value.items)
    if isinstance(value, Concat):
        return all(names_nothing(part) for part in value.parts)
    if isinstance(value, Format):
        return names_nothing(value.template) and all(
            names_nothing(part) for part in (*value.args, *(v for _, v in value.kwargs)))
    return False


def placed_at(value: Value, module: ModuleFacts, scope: str,
              at: tuple[int, tuple[int, ...]] | None = None) -> Value:
    """`value`, written in `module` at `scope`, as it can be read elsewhere: as it is when it
    names nothing (`"/users"`, `["GET", "POST"]`, `False`: an option keeps its literal meaning),
    else `Scoped`."""
    return value if isinstance(value, Scoped) or names_nothing(value) else \
        Scoped(value, module.module, scope, at)


def first_and_more(found: list[tuple[int, str]], unit: str = "") -> tuple[int, str, str]:
    """The first of `found` (line, what), and how many more there are, as said after it:
    `", and 2 more statement(s)"` (`unit` " statement(s)"); "" where it is the only one."""
    (line, what), more = found[0], len(found) - 1
    return line, what, f", and {more} more{unit}" if more else ""


def the_one_closure(closures: list[FunctionFacts | None]) -> FunctionFacts | None:
    """The function every `return` returns, of what closures_returned found for each; None
    where one returns anything else, or another function."""
    return closures[0] if closures and closures[0] is not None and all(
        inner is closures[0] for inner in closures) else None


def only_call_returned(function: FunctionFacts) -> CallExpr | None:
    """The call `function` returns in its only `return` (`return X(...)`); None where it has
    another `return`, or returns anything else."""
    returned = function.returns[0] if len(function.returns) == 1 else None
    return returned if isinstance(returned, CallExpr) else None


def with_value(value: Value, old: Value, new: Value) -> Value:
    """`value` with `new` for each `old` in it, in a concatenation or a format's fields."""
    if value == old:
        return new
    if isinstance(value, Concat):
        return Concat(tuple(with_value(part, old, new) for part in value.parts))
    if isinstance(value, Format):
        return Format(with_value(value.template, old, new),
                      tuple(with_value(arg, old, new) for arg in value.args),
                      tuple((key, with_value(arg, old, new)) for key, arg in value.kwargs))
    return value


def rule_call_target(expr: CallExpr) -> tuple[str, str]:
    """The object and method of a call that may add a rule: (`app`, `add_url_rule`) for
    `app.add_url_rule(...)`, (`bp`, `route`) for `bp.route(rule)(view)`."""
    owner, _, last = expr.func.rpartition(".")
    if expr.func == "<call>" and expr.args and isinstance(expr.args[0], CallExpr):
        owner, _, last = expr.args[0].func.rpartition(".")
    return owner, last


#: What module-level code may do with an app it made that sets nothing up: log, make a test
#: client or a context, serve it (`app.run()`, in a `__main__` block or not), register a
#: blueprint (Linker.register notes those: App.instance_registrations).
APP_READS = frozenset({"logger", "test_client", "test_cli_runner", "app_context",
                       "test_request_context", "run", "register_blueprint", "url_map", "name"})


def is_main_guard(test: ast.expr) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    return isinstance(test, ast.Compare) and len(test.ops) == 1 \
        and isinstance(test.ops[0], ast.Eq) and {
            ast_dotted(test.left) or getattr(test.left, "value", None),
            ast_dotted(test.comparators[0]) or getattr(test.comparators[0], "value", None),
        } == {"__name__", "__main__"}


def module_setup_steps(tree: ast.Module, name: str, after: int,
                       external: Callable[[str], bool],
                       statements: list[ast.stmt] | None = None) -> list[tuple[int, str]]:
    """The module-level statements after line `after` that set up the app bound to `name`
    (an attribute or item written, `app.config["X"] = 1`, `app.wsgi_app = ...`; a method
    called, `app.config.from_object(...)`, `app.before_request(f)`; the app given to a callable
    from outside the project, `external`: `CORS(app)`, not the project's `load_fixtures(app)`),
    outside functions, classes and `if __name__ == "__main__":` blocks: (line, the statement's
    first line, shortened). Given `statements` (a function's body), those of them instead."""
    found: list[tuple[int, str]] = []

    def owner_of(node: ast.expr) -> tuple[str, ...]:
        parts: list[str] = []
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Attribute):
                parts.insert(0, node.attr)
            node = node.value
        return (node.id, *parts) if isinstance(node, ast.Name) else ()

    def sets_up(node: ast.AST) -> bool:
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            return any(isinstance(target, (ast.Attribute, ast.Subscript))
                       and owner_of(target)[:1] == (name,) for target in targets)
        if isinstance(node, ast.Call):
            chain = owner_of(node.func)
            if len(chain) > 1 and chain[0] == name:
                return chain[1] not in APP_READS
            # `CORS(app)`, `socketio.init_app(app)`, `DispatcherMiddleware(app, {...})`
            called = ast_dotted(node.func)
            return called is not None and external(called) and any(
                isinstance(argument, ast.Name) and argument.id == name
                for argument in (*node.args, *(keyword.value for keyword in node.keywords)))
        return False

    def note(statement: ast.stmt) -> None:
        code = ast.unparse(statement).splitlines()[0]
        found.append((statement.lineno, code if len(code) <= 80 else code[:77] + "..."))

    def visit(statements: list[ast.stmt]) -> None:
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(statement, ast.If) and is_main_guard(statement.test):
                visit(statement.orelse)
                continue
            if statement.lineno <= after:
                continue
            if isinstance(statement, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
                if isinstance(statement, (ast.If, ast.While)) and sets_up(statement.test) \
                        or isinstance(statement, ast.With) and any(
                            sets_up(item.context_expr) for item in statement.items):
                    note(statement)
                for block in ("body", "orelse", "finalbody"):
                    visit(getattr(statement, block, []))
                for handler in getattr(statement, "handlers", []):
                    visit(handler.body)
                continue
            if any(sets_up(node) for node in ast.walk(statement)):
                note(statement)

    visit(tree.body if statements is None else statements)
    return found


class ScopedCall(NamedTuple):
    """A call as `calls_with_scope` finds it."""

    scope: str  # the enclosing function's qualname, as the facts name it; "" at module level
    call: ast.Call
    outer: tuple[ast.Call, ...]  # the calls it is given to as an argument, innermost first
    body: ast.AST  # the function (or module) whose body it is in
    assigned_to: tuple[str | None, ...] = ()  # the targets of the assignment it is the value of


def calls_with_scope(tree: ast.Module) -> list[ScopedCall]:
    """Each call in `tree`, with its scope ("" at module level and in a class body there), the
    calls it is given to as an argument (directly, or inside an expression such as a dict of
    them): `RequireToken(DispatcherMiddleware(root, {...}))` gives the dispatcher
    `(RequireToken(...),)`, and the function or module whose body holds it."""
    found: list[ScopedCall] = []
    assigned = {id(node.value): tuple(ast_dotted(target) for target in node.targets)
                for node in ast.walk(tree)
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)}

    def visit(node: ast.AST, names: list[str], outer: tuple[ast.Call, ...], body: ast.AST
              ) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for child in node.body:
                visit(child, [*names, node.name], (), node)
            return
        if isinstance(node, ast.ClassDef):
            for child in node.body:
                visit(child, [*names, node.name], (), body)
            return
        if isinstance(node, ast.Call):
            scope = ".".join(names) if isinstance(body, (ast.FunctionDef,
                                                         ast.AsyncFunctionDef)) else ""
            found.append(ScopedCall(scope, node, outer, body, assigned.get(id(node), ())))
            visit(node.func, names, (), body)
            for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
                visit(argument, names, (node, *outer), body)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, names, outer if isinstance(child, ast.expr) else (), body)

    visit(tree, [], (), tree)
    return found


def dispatcher_mounts(found: ScopedCall) -> tuple[list[tuple[str | None, ast.expr]], bool]:
    """What a `DispatcherMiddleware(app, mounts)` call serves: ("", its default app), then
    (prefix, app) for each item of its dict of mounts, a literal or a name its function (or
    module) last binds to one before the call (CloudKitty's `dispatch_dict`); None for the
    prefix of an item that is not a string literal; `**others` is left out. And whether the
    mounts could be read: where they are something else, the default app only, and False."""
    call = found.call
    keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    default = call.args[0] if call.args else keywords.get("app")
    mounts = call.args[1] if len(call.args) > 1 else keywords.get("mounts")
    if isinstance(mounts, ast.Name):
        bound = [node.value for node in ast.walk(found.body)
                 if isinstance(node, ast.Assign) and node.lineno < call.lineno
                 and [ast_dotted(target) for target in node.targets] == [mounts.id]]
        mounts = bound[-1] if bound else mounts
    found_mounts: list[tuple[str | None, ast.expr]] = [("", default)] if default is not None \
        else []
    if mounts is not None and not isinstance(mounts, ast.Dict):
        return found_mounts, False
    if isinstance(mounts, ast.Dict):
        for key, value in zip(mounts.keys, mounts.values, strict=True):
            if key is not None:
                found_mounts.append((key.value if isinstance(key, ast.Constant)
                                     and isinstance(key.value, str) else None, value))
    return found_mounts, True


def attribute_assignments(tree: ast.Module, attribute: str
                          ) -> Iterator[tuple[str, str | None, tuple[str, str] | None]]:
    """Each `owner.attribute = value` in `tree`: the scope it runs in (the enclosing function's
    qualname, as the facts name it; "" at module level and in a class body there), the owner's
    dotted name (None: not a name, `objects[0].csrf = ...`), and the value: `("name", dotted)`
    for a dotted name, `("call", dotted)` for a call of one, with any arguments (`CSRFProtect(
    app)`), None for anything else."""
    def walk(node: ast.AST, names: list[str], scope: str
             ) -> Iterator[tuple[str, str | None, tuple[str, str] | None]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [*names, child.name]
                yield from walk(child, inner, ".".join(inner))
                continue
            if isinstance(child, ast.ClassDef):
                yield from walk(child, [*names, child.name], scope)
                continue
            targets = child.targets if isinstance(child, ast.Assign) else \
                [child.target] if isinstance(child, (ast.AnnAssign, ast.AugAssign)) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == attribute:
                    value = None if isinstance(child, ast.AugAssign) else child.value
                    called = isinstance(value, ast.Call)
                    dotted = ast_dotted(value.func if isinstance(value, ast.Call) else value) \
                        if value is not None else None
                    yield scope, ast_dotted(target.value), \
                        None if dotted is None else ("call" if called else "name", dotted)
            yield from walk(child, names, scope)
    yield from walk(tree, [], "")


def static_url_path(url_path: object, folder: object) -> str | None:
    """Flask's `static_url_path` of an app or blueprint given these arguments: the one given,
    without a trailing slash (as its setter keeps it), else `/` and the static folder's last
    part; None where neither is a string."""
    if isinstance(url_path, str):
        return url_path.rstrip("/")
    if isinstance(folder, str):
        return ("/" + folder.rstrip("\\/").rsplit("/", 1)[-1]).rstrip("/")
    return None


def reads_any(value: Value, names: set[str]) -> bool:
    """Whether `value` reads one of `names` (a parameter of the function it is in, a loop's
    variable)."""
    if isinstance(value, Ref):
        return value.dotted.split(".")[0] in names
    if isinstance(value, Concat):
        return any(reads_any(part, names) for part in value.parts)
    if isinstance(value, (Seq, Or)):
        return any(reads_any(item, names) for item in
                   (value.items if isinstance(value, Seq) else value.values))
    if isinstance(value, Unknown) and value.item is not None:  # `val["url"]`
        return reads_any(value.item[0], names)
    if isinstance(value, CallExpr):
        return (value.func.split(".")[0] in names or
                any(reads_any(a, names) for a in value.args) or
                any(reads_any(v, names) for _, v in value.kwargs))
    if isinstance(value, Format):
        return (reads_any(value.template, names) or any(reads_any(a, names) for a in value.args)
                or any(reads_any(v, names) for _, v in value.kwargs))
    if isinstance(value, Unpacked):
        return reads_any(value.call, names)
    return False  # a literal; Scoped and Unknown: not this function's names


#: The key of a loop environment (Linker.loop_environments) holding the `if` test whose outcome
#: for that turn of the loop the scan cannot tell: the route is listed, and left on Flask.
UNREAD_GUARD = "<unread guard>"


def display_pairs(value: Value | None, modules: dict[str, ModuleFacts]
                  ) -> list[tuple[Value, Value]] | None:
    """The key and value pairs of the dict display `value` (Scoped where it is written, as a
    loop's item or a dict's value may be), each placed there; None for anything else."""
    placed = value if isinstance(value, Scoped) else None
    display = placed.value if placed is not None else value
    if not isinstance(display, Unknown) or display.pairs is None:
        return None
    if placed is None:
        return list(display.pairs)
    where = modules[placed.module]
    return [(placed_at(key, where, placed.scope, placed.at),
             placed_at(item, where, placed.scope, placed.at)) for key, item in display.pairs]


def literal_keys(pairs: list[tuple[Value, Value]]) -> bool:
    return all(isinstance(key, Lit) for key, _ in pairs)


def value_at(pairs: list[tuple[Value, Value]], key: Lit) -> Value | None:
    """The value a dict display of literal keys `pairs` holds at `key` (the last one written,
    as a dict keeps); None where it has no such key."""
    found = [item for written, item in pairs
             if type(written.value) is type(key.value) and written.value == key.value]  # type: ignore[union-attr]
    return found[-1] if found else None


def dict_item(container: Value, key: Value, modules: dict[str, ModuleFacts]) -> Value | None:
    """`container[key]` where `container` is a dict display (a loop's item: `val` in `for key,
    val in api_routes.items()`) every key of which is a literal, and `key` one of them: its
    value, placed where the dict is written; None for anything else."""
    pairs = display_pairs(container, modules)
    if pairs is None or not isinstance(key, Lit) or not literal_keys(pairs):
        return None
    return value_at(pairs, key)


def local_env(symbol: ValueSym, module: ModuleFacts, scope: str,
              env: dict[str, Value] | None) -> dict[str, Value]:
    """The loop variables and parameters `env` gives a name bound in the same function as the
    place that reads it (`item = View.as_view(f"{name}-item")` in a function whose `name` is a
    parameter); a name bound elsewhere does not see them."""
    same_function = symbol.module is module and bool(symbol.scope) and (
        scope == symbol.scope or scope.startswith(symbol.scope + "."))
    return dict(env) if env and same_function else {}


def import_chain(importer: dict[str, tuple[str, bool] | None], module: str) -> str:
    """How importing a root reaches `module` (`importer`: what Linker.modules_imported_from
    gives): `a.views` → `a.util` (imports), `a.web`'s package `a`."""
    chain = [module]
    while (step := importer.get(chain[-1])) is not None and step[0] not in chain:
        chain.append(step[0])
    text = f"`{chain[-1]}`"
    names = list(reversed(chain[:-1]))
    for index, name in enumerate(names):
        step = importer[name]
        if step is None or not step[1]:
            text += f" → `{name}`"
        elif index + 1 == len(names) or not (importer[names[index + 1]] or ("", False))[1]:
            text += f"'s package `{name}`"  # (of a run of packages, the outermost)
    return text


class Linker:
    def __init__(self, outcomes: list[FileOutcome], result: ScanResult,
                 stated: StatedValues | None = None, paste: PasteConfigs | None = None) -> None:
        self.result = result
        # what the project's Paste Deploy configs put around the apps its factories make
        self.paste = paste if paste is not None else PasteConfigs()
        # what the project states in pyproject.toml for what the source cannot tell
        self.stated = stated if stated is not None else StatedValues()
        self.stated_prefixes_used: set[str] = set()
        self.diagnostics_given: set[tuple[str, str, str, int | None, str]] = set()
        self.context_apps: dict[str, FlaskObject | None] = {}  # module -> its current_app
        self.current_app_users: set[str] = set()  # modules whose top level uses it so
        self.modules: dict[str, ModuleFacts] = {}
        self.pending = {}
        self.tree = ModuleTree(outcome.file for outcome in outcomes)  # for module walks
        for outcome in outcomes:
            if outcome.facts is not None:
                self.modules[outcome.facts.module] = outcome.facts
            elif outcome.error is None:
                self.pending[outcome.file.module] = outcome.file
        self.objects: dict[tuple[str, int], FlaskObject | None] = {}
        # Flask-RESTX's default endpoints, by Api: each rule's registrations so far, the
        # endpoint of each registration of a route declaration, and the names given
        self.resource_emissions: dict[tuple[int, int], list[int]] = {}
        self.restx_endpoints: dict[tuple, str] = {}
        self.restx_endpoints_taken: dict[int, set[str]] = {}
        self._loaded_functions: dict[str, set[tuple[str, str]]] = {}  # by app key
        self._callers_parsed: set[str] = set()  # function names parse_pending_mentioning got
        # every file that was read, by module: what the facts do not keep is read from its bytes
        # or syntax tree (source_text, project_trees)
        self.source_files = {outcome.file.module: outcome.file for outcome in outcomes
                             if outcome.error is None}
        self._arguments_given: dict[tuple[str, str], set[str] | None] = {}
        self._named_nowhere: dict[tuple[str, str], str | None] = {}  # (named_nowhere)
        self._syntax_trees: dict[str, ast.Module | None] = {}
        self._aliases_followed: set[int] = set()  # (resolve_decorator, against `a = b; b = a`)
        self._app_attributes: dict[tuple[int, str], tuple[ModuleFacts, str, tuple[str, str]]
                                   | None] = {}  # (app_attribute_value)
        self._file_bytes: dict[str, bytes] = {}  # (source_text)
        self._pending_imports: dict[str, dict[str, int | None]] = {}  # (imports_of)
        self.class_methods_memo: dict[tuple[str, str], frozenset[str] | None] = {}
        # makes_streamed_response: its final answers, the functions it is asking about, and
        # whether an answer met one of them
        self._streams_memo: dict[tuple[str, str], bool] = {}
        self._streams_visiting: set[tuple[str, str]] = set()
        self._streams_cut = False
        self._evaluating: set[int] = set()
        self._importing: set[int] = set()  # imports by name being read (cycles)
        self._returning: set[int] = set()  # functions whose returns are being resolved
        # (module, function qualname, parameter) -> the app or blueprint passed in for it
        self.parameter_objects: dict[tuple[str, str, str], FlaskObject] = {}
        # (module, function qualname) -> every call that passes it an app or blueprint, by
        # (caller module, id of the call): a function that adds rules to its parameter (Flask's
        # docs' `register_api(app, model, name)`) adds them once per call, with its arguments
        self.helper_calls: dict[tuple[str, str], dict[tuple[str, int],
                                                     tuple[ModuleFacts, CallFacts]]] = {}
        # while the rules of one such call are collected: its parameter -> the object passed
        self.call_objects: dict[tuple[str, str, str], FlaskObject] = {}
        # (module, function qualname) -> every call of a project function that adds rules made
        # from its parameters to an app or blueprint it does not take (`bind_rule_functions`),
        # by (caller module, id of the call); and the ids of those rule calls in its body
        self.rule_function_calls: dict[tuple[str, str], dict[tuple[str, int],
                                                            tuple[ModuleFacts, CallFacts]]] = {}
        self.parameter_rule_calls: set[int] = set()
        # the ids of route decorators on a function defined in a project function, whose rule
        # is made from that function's parameters (`@app.route(path)` in `make_page(path)`):
        # read once per call of it, as its rule calls are
        self.parameter_route_decorators: set[int] = set()
        # the calls of decorator factories that `@factory(...)` on a function makes, by where
        # they are written, and the function each decorates with the index of the decorator
        # among its decorators (function_decorator_calls)
        self.decorator_use_calls: dict[tuple[str, str, int | None], CallFacts] = {}
        self.decorated_by_call: dict[int, tuple[FunctionFacts, int]] = {}
        # classes_by_base_name, for the number of modules parsed when it was built
        self._subclasses: dict[str, list[tuple[ModuleFacts, ClassFacts]]] = {}
        self._subclasses_seen = -1
        # names_defined_below and lookup_order by (id of) the class, with the number of
        # modules parsed then
        self._names_below: dict[int, tuple[int, frozenset[str]]] = {}
        self._lookup_orders: dict[int, tuple[int, tuple[ClassSym | str, ...] | None]] = {}
        # imports_dash, with the number of modules parsed then
        self._imports_dash: tuple[int, bool] | None = None
        # instance_class: the calls it is reading, and what it read (with the number of
        # modules parsed then)
        self._instances_visiting: set[int] = set()
        # (module, qualname) of the functions a registering loop read a list of from what
        # their callers pass (`parameter_alternatives`): a bare call of one registers less
        self.lists_from_callers: set[tuple[str, str]] = set()
        # id(App) of the instance of a project subclass of Flask -> the class and the functions
        # that make it, as (module, name) (subclass_makers): a stated call may call any of them
        self.subclass_app_makers: dict[int, list[tuple[str, str]]] = {}
        # apps a factory makes, by id: the call that makes each module-level instance
        # (App.instances), with the file and line
        self.instance_calls: dict[int, dict[str, tuple[CallExpr, str, str, int | None]]] = {}
        # apps made at module level, by id: the module-level functions that wrap their
        # `wsgi_app` in middleware other than ProxyFix or the profiler (note_middleware_setters)
        self.middleware_setters: dict[int, list[tuple[ModuleFacts, FunctionFacts,
                                                      WsgiAppWrite]]] = {}
        self._instance_classes: dict[int, tuple[int, ClassSym | None]] = {}
        self._hook_implementations: dict[str, list[FuncSym]] = {}  # by hook name
        self._instance_methods: dict[int, list[FunctionFacts]] = {}  # by id of the class
        self.decorator_calls: list[CallFacts] = []  # bare_decorator_calls' (kept alive)
        # blueprints registered on a parameter no followed call passes an app for, by id:
        # where (note_registration_on_parameter)
        self.registrations_on_parameters: dict[int, str] = {}
        self.lazy_parsing = True
        self.binding_index: dict[str, dict[tuple[str, str], list[Binding]]] = {}
        # (app key, dotted registration name) -> the rule options every route of that blueprint
        # registration gets from `Blueprint(subdomain=, url_defaults=)` and `register_blueprint`
        self.registration_options: dict[tuple[str, str], dict[str, str]] = {}
        # (app key, dotted registration name) -> the first registration under that name
        self.registered_names: dict[tuple[str, str], NameRegistration] = {}
        # a project subclass of Flask whose instance is the app, `self` in its methods
        # (make_class_apps), by id of its ClassFacts; None: a subclass that is not one
        self.class_apps: dict[int, FlaskObject | None] = {}
        # the first line where each function (by module and qualname) binds each name in its
        # own body (rebound_before)
        self._rebound: dict[tuple[str, str], dict[str, int]] = {}
        # the line spans of each module's functions (runs_on_import); None: it does not parse
        self._function_spans: dict[str, list[tuple[int, int]] | None] = {}
        # `x.add_url_rule(...)` / `self.route(...)` calls whose owner the scan could not name,
        # (file, line) -> code; and those it named at least once (through a followed parameter)
        self.unresolved_rule_calls: dict[tuple[str, int | None], str] = {}
        # rules added with the item of a loop the scan cannot read: the call's and the
        # iterable's source text, and the loop's names
        self.unread_loop_calls: dict[tuple[str, int | None],
                                     tuple[str, str, tuple[str, ...]]] = {}
        self.resolved_rule_calls: set[tuple[str, int | None]] = set()

    # -- modules and names ---------------------------------------------------------------
    def module(self, name: str) -> ModuleFacts | None:
        facts = self.modules.get(name)
        if facts is None and name in self.pending and self.lazy_parsing:
            # A file the pre-filter skipped (a constants module, a re-exporting __init__) is
            # parsed the first time a name is looked up in it.
            outcome = parse_file(self.pending.pop(name), force=True)
            if outcome.error is not None:
                self.result.errors.append(outcome.error)
            if outcome.facts is not None:
                self.modules[name] = outcome.facts
                self.result.files_parsed += 1
                facts = outcome.facts
        return facts

    def is_module(self, name: str) -> bool:
        return name in self.modules or name in self.pending

    def bindings_of(self, module: ModuleFacts, scope: str, name: str) -> list[Binding]:
        """The bindings of `name` in `scope`, in source order (indexed once per module: name
        lookups are the linker's hot path)."""
        index = self.binding_index.get(module.module)
        if index is None:
            index = {}
            for candidate in module.bindings:
                index.setdefault((candidate.scope, candidate.name), []).append(candidate)
            self.binding_index[module.module] = index
        return index.get((scope, name), [])

    def binding(self, module: ModuleFacts, scope: str, name: str,
                before: int | None = None) -> Binding | None:
        while True:
            found = None
            for candidate in self.bindings_of(module, scope, name):
                if before is not None and candidate.order > before and scope:
                    continue
                found = candidate
            if found is not None:
                return found
            if not scope:
                return None
            function = module.function(scope)
            if function is not None and function.has_parameter(name):
                return None  # a parameter of the function, which hides the outer names
            scope = scope.rpartition(".")[0]
            before = None

    def resolve_in_module(self, module_name: str, name: str, depth: int = 0) -> Symbol | None:
        module = self.module(module_name)
        if module is None:
            if self.is_module(f"{module_name}.{name}"):
                return ModuleSym(f"{module_name}.{name}")
            return None if self.is_module(module_name) else ExternalSym(f"{module_name}.{name}")
        binding = self.binding(module, "", name)
        if binding is not None and binding.value != ImportRef(module_name, name):
            # (`from . import views` inside the package binds the submodule, not itself)
            return self.symbol_for(module, binding, depth + 1)
        if self.is_module(f"{module_name}.{name}"):
            return ModuleSym(f"{module_name}.{name}")
        for star in self.bindings_of(module, "", "*"):
            assert isinstance(star.value, ImportRef)
            if depth < 20:
                found = self.resolve_in_module(star.value.module, name, depth + 1)
                if found is not None:
                    return found
        return None

    def symbol_for(self, module: ModuleFacts, binding: Binding, depth: int = 0) -> Symbol | None:
        if depth > 30:
            return None
        if binding.kind == "import":
            ref = binding.value
            assert isinstance(ref, ImportRef)
            if ref.name is None:
                return ModuleSym(ref.module) if self.is_module(ref.module) else ExternalSym(
                    ref.module)
            return self.resolve_in_module(ref.module, ref.name, depth)
        if binding.kind == "def":
            found = None
            for function in module.functions:
                if function.name == binding.name and function.scope == binding.scope:
                    found = FuncSym(module, function)
            return found
        if binding.kind == "class":
            found_cls = None
            for cls in module.classes:
                if cls.name == binding.name and cls.scope == binding.scope:
                    found_cls = ClassSym(module, cls)
            return found_cls
        value = binding.value
        if isinstance(value, CallExpr):
            obj = self.flask_object(module, binding, value) \
                or self.copied_blueprint(module, binding, value, depth)
            if obj is not None:
                return obj
            imported = self.imported_by_name(module, binding.scope, value, None, depth)
            if imported is not None:
                return imported
            factory = self.call_factory(module, binding.scope, value, depth)
            if isinstance(factory, FuncSym):
                for target in self.returned_symbols(factory, depth):
                    if isinstance(target, FlaskObject):
                        return target  # `app = create_app()`: the object the factory returns
                    if isinstance(target, FuncSym) and target.function.scope == \
                            factory.function.qualname and (
                                self.returns_a_closure(target, depth)
                                or not self.wraps_a_view(module, binding.scope, value, depth)):
                        # `admin_required = roles_required("admin")`: the closure the
                        # decorator factory returns (but `protected = require_key(view)`
                        # is the call, which unwrap_view reads: Flask registers the
                        # wrapper under the view's name)
                        return target
        if isinstance(value, Unpacked) and value.call.func:
            # `app, api = create_app()`: the item of the factory's `return app, api`
            factory = self.resolve(module, binding.scope, value.call.func, depth=depth + 1)
            if isinstance(factory, FuncSym):
                for returned in factory.function.returns:
                    item = returned.items[value.index] if isinstance(returned, Seq) and \
                        len(returned.items) == value.count else None
                    target = self.resolve(factory.module, factory.function.qualname,
                                          item.dotted, depth=depth + 1) \
                        if isinstance(item, Ref) else None
                    if isinstance(target, FlaskObject):
                        return target
        if isinstance(value, Ref):
            resolved = self.resolve(module, binding.scope, value.dotted, before=binding.order,
                                    depth=depth + 1)
            if resolved is not None:
                return resolved
        return ValueSym(module, binding.scope, value) if value is not None else None

    def copied_blueprint(self, module: ModuleFacts, binding: Binding, call: CallExpr,
                         depth: int) -> FlaskObject | None:
        """`new_tile_api = copy.deepcopy(TILE_API)` (terracotta copies its blueprints before
        extensions change them): a blueprint with the routes of the one copied, read as that
        one. A rule added to the original after the copy is made is not the copy's; the
        generated app's start-up check finds the legacy app not serving it for that endpoint
        (`routers.LEGACY_RULES`) and keeps the route on Flask."""
        if call.func.rpartition(".")[2] not in ("copy", "deepcopy") or len(call.args) != 1 \
                or call.kwargs or not isinstance(call.args[0], Ref):
            return None  # (read by name first: resolving every call's callee costs much)
        callee = self.resolve(module, binding.scope, call.func, depth=depth + 1)
        if not isinstance(callee, ExternalSym) or callee.qualified not in COPY_FUNCTIONS:
            return None
        original = self.resolve(module, binding.scope, call.args[0].dotted,
                                before=binding.order, depth=depth + 1)
        return original if isinstance(original, FlaskObject) and original.kind == "blueprint" \
            else None

    def call_factory(self, module: ModuleFacts, scope: str, call: CallExpr,
                     depth: int = 0) -> Symbol | None:
        """What `call` calls, for what it returns: the function, or the `__new__` of a class
        that has one (`app = App()` where `App.__new__` returns the app it makes: pyload-ng)."""
        factory = self.resolve(module, scope, call.func, depth=depth + 1) if call.func else None
        if isinstance(factory, ClassSym):
            factory = self.class_member(factory, "__new__", depth + 1)
        return factory

    def made_by_factory(self, module: ModuleFacts, scope: str,
                        call: CallExpr) -> FlaskObject | None:
        """The app or blueprint a call of a project factory returns (`standalone(create_app())`
        passes the app `create_app` makes), as for a name bound to the call."""
        factory = self.call_factory(module, scope, call)
        return self.factory_product(factory) if isinstance(factory, FuncSym) else None

    def returned_symbols(self, function: FuncSym, depth: int = 0) -> Iterator[Symbol | None]:
        """What each `return name` of a project function names, in order, resolved once each
        (resolving twice at every level of a chain of factories costs 2**depth).

        A return that names what the function's own call returned (`found = find(child)`, then
        `return found`: FlexMeasures' chart helpers walk a spec so, with two such calls) names
        nothing more than its other returns: while they are resolved, the function's returns
        are not resolved again. Each level of that recursion resolved every such call again,
        down to the depth limit: 2**30 steps with two of them, and the scan never ended."""
        key = id(function.function)
        for returned in function.function.returns:
            if isinstance(returned, Ref):
                if key in self._returning:
                    return
                self._returning.add(key)
                try:
                    symbol = self.resolve(function.module, function.function.qualname,
                                          returned.dotted, depth=depth + 1)
                finally:
                    self._returning.discard(key)
                yield symbol

    def factory_product(self, factory: FuncSym) -> FlaskObject | None:
        """The app or blueprint a project function returns (`create_app()`, changedetection.io's
        `construct_blueprint(datastore)`), if one of its `return` statements names one."""
        return next((target for target in self.returned_symbols(factory)
                     if isinstance(target, FlaskObject)), None)

    def imported_by_name(self, module: ModuleFacts, scope: str, call: CallExpr,
                         env: dict[str, Value] | None, depth: int = 0) -> Symbol | None:
        """What `importlib.import_module(name)` (`import_module(".views", __name__)`, relative
        to a package) or Werkzeug's `import_string(name)` imports, when `name` is a constant
        (read with the loop variables of `env`) naming a project module, or an object of one;
        None otherwise (a computed name, a module not in the project)."""
        if call.func == "__import__":
            return self.imported_by_builtin(module, scope, call, env)
        arguments = [*call.args, *(value for key, value in call.kwargs if key == "package")]
        if not call.func or not 1 <= len(arguments) <= 2 \
                or len(call.kwargs) != len(arguments) - len(call.args) or depth > 30 \
                or call.func.rsplit(".", 1)[-1] not in IMPORTING_FUNCTIONS:
            return None
        kind = IMPORT_BY_NAME.get(
            self.qualified(self.resolve(module, scope, call.func, depth=depth + 1)) or "")
        if kind is None or (kind != "module" and len(arguments) > 1):
            return None
        key = id(call)
        if key in self._importing:  # `module = import_module(f"app.{module}")`: reads itself
            return None
        self._importing.add(key)
        try:
            name, *package = [self.evaluate(module, scope, argument, env)
                              for argument in arguments]
        except Unresolved:
            return None
        finally:
            self._importing.discard(key)
        if isinstance(name, str) and name.startswith(".") and package \
                and isinstance(package[0], str) and package[0]:
            try:  # the string arithmetic of importlib's, which imports nothing
                name = importlib.util.resolve_name(name, package[0])
            except ImportError:  # beyond the top-level package
                return None
        if not isinstance(name, str) or not name or name.startswith("."):
            return None
        if ":" not in name and self.is_module(name):
            return ModuleSym(name)
        if kind == "module":
            return None
        # Werkzeug: `module:object`, else the last dotted part is the object
        module_name, _, attribute = name.partition(":") if ":" in name else name.rpartition(".")
        if not self.is_module(module_name) or not attribute.isidentifier():
            return None
        return self.resolve_in_module(module_name, attribute, depth + 1)

    def imported_by_builtin(self, module: ModuleFacts, scope: str, call: CallExpr,
                            env: dict[str, Value] | None) -> Symbol | None:
        """What the builtin `__import__(name, globals, locals, fromlist)` gives (lektor's
        `__import__(module, None, None, ["bp"]).bp` over a package's modules): the module
        `name` itself when `fromlist` is a non-empty list, else its top-level package; None
        for a relative import (`level`), a shadowed `__import__` or a name not known."""
        if self.resolve(module, scope, "__import__") is not None or not call.args:
            return None
        options = {**dict(zip(BUILTIN_IMPORT_PARAMETERS, call.args, strict=False)),
                   **dict(call.kwargs)}
        if not set(options) <= set(BUILTIN_IMPORT_PARAMETERS):
            return None
        try:
            name, fromlist, level = (
                self.evaluate(module, scope, value, env) if value is not None else default
                for value, default in ((options.get("name"), None),
                                       (options.get("fromlist"), ()),
                                       (options.get("level"), 0)))
        except Unresolved:
            return None
        if not isinstance(name, str) or not name or level != 0 \
                or not isinstance(fromlist, (list, tuple)):
            return None
        imported = name if fromlist else name.split(".")[0]
        return ModuleSym(imported) if self.is_module(imported) else None

    def imported_symbol(self, module: ModuleFacts, scope: str, value: Value,
                        env: dict[str, Value], before: int | None = None,
                        depth: int = 0) -> Symbol | None:
        """What `value` names through a module or object imported by name in a loop (`mod =
        importlib.import_module(f"app.views.{name}")` then `mod.blueprint`, `mod.init_app` or
        `getattr(mod, "blueprint", None)`, or `import_string(path)` itself), read with that
        iteration's loop variables; a name is read as bound `before` that position in a
        function (two loops of one function that each bind `module`)."""
        if depth > 10:
            return None
        if isinstance(value, CallExpr):
            got = self.getattr_call(module, scope, value)
            if got is None:
                return self.imported_by_name(module, scope, value, env)
            owner = self.imported_symbol(module, scope, got[0], env, before, depth + 1)
            return self.resolve_in_module(owner.name, got[1]) \
                if isinstance(owner, ModuleSym) else None
        if not isinstance(value, Ref):
            return None
        head, *rest = value.dotted.split(".")
        binding = self.binding(module, scope, head, before)
        if binding is None or binding.kind != "assign" or not isinstance(binding.value, CallExpr):
            return None
        symbol = self.imported_symbol(module, binding.scope, binding.value, env, binding.order,
                                      depth + 1)
        for part in rest:
            symbol = self.resolve_in_module(symbol.name, part) \
                if isinstance(symbol, ModuleSym) else None
        return symbol

    def getattr_call(self, module: ModuleFacts, scope: str,
                     call: CallExpr) -> tuple[Value, str] | None:
        """`getattr(owner, "name")` or `getattr(owner, "name", default)` with the builtin: the
        owner and the name."""
        if call.func != "getattr" or not 2 <= len(call.args) <= 3 or call.kwargs \
                or self.resolve(module, scope, "getattr") is not None:
            return None
        name = call.args[1]
        if not isinstance(name, Lit) or not isinstance(name.value, str):
            return None
        return call.args[0], name.value

    def defines_no(self, module: ModuleFacts, scope: str, value: Value,
                   env: dict[str, Value], before: int | None) -> bool:
        """`module.bp` or `getattr(module, "bp", None)`, where `module` is a project module
        imported by name that binds no `bp` (nor imports any with `*`): a module of a walk that
        has no blueprint, which the app skips (`if hasattr(module, "bp"):`, `if bp:`) or could
        not start with."""
        if isinstance(value, Ref) and "." not in value.dotted:
            binding = self.binding(module, scope, value.dotted, before)
            bound = binding.value if binding is not None and binding.kind == "assign" else None
            got = self.getattr_call(module, binding.scope, bound) \
                if binding is not None and isinstance(bound, CallExpr) \
                and len(bound.args) == 3 else None  # with a default: no AttributeError
            if got is None:
                return False
            owner, attribute = got
        elif isinstance(value, Ref) and value.dotted.count(".") == 1:
            head, attribute = value.dotted.split(".")
            owner = Ref(head)
        else:
            return False
        imported = self.imported_symbol(module, scope, owner, env, before)
        facts = self.module(imported.name) if isinstance(imported, ModuleSym) else None
        return facts is not None and not self.bindings_of(facts, "", attribute) \
            and not self.bindings_of(facts, "", "*") \
            and not self.is_module(f"{imported.name}.{attribute}")

    def wraps_a_view(self, module: ModuleFacts, scope: str, call: CallExpr, depth: int) -> bool:
        """`require_key(View.as_view("p"))` or `require_key(view)`: a call with a view as its
        only argument."""
        if len(call.args) != 1 or call.kwargs:
            return False
        argument = call.args[0]
        if isinstance(argument, CallExpr):
            return argument.func.endswith(".as_view")
        return isinstance(argument, Ref) and isinstance(
            self.resolve(module, scope, argument.dotted, depth=depth + 1), FuncSym)

    def returns_a_closure(self, function: FuncSym, depth: int) -> bool:
        """The function returns one of its own nested functions: a decorator, so the call that
        made it was a decorator factory's (`require(check_fn)`), not a view being wrapped."""
        return any(self.closures_returned(function.module, function.function, depth + 1))

    def closures_returned(self, module: ModuleFacts, function: FunctionFacts, depth: int = 0
                          ) -> list[FunctionFacts | None]:
        """For each `return` of `function`, the function nested in it that it returns (`return
        wrapper`), or None where it returns anything else."""
        found: list[FunctionFacts | None] = []
        for returned in function.returns:
            inner = self.resolve(module, function.qualname, returned.dotted, depth=depth) \
                if isinstance(returned, Ref) else None
            found.append(inner.function if isinstance(inner, FuncSym)
                         and inner.function.scope == function.qualname else None)
        return found

    def resolve(self, module: ModuleFacts, scope: str, dotted: str, *, before: int | None = None,
                depth: int = 0) -> Symbol | None:
        head, *rest = dotted.split(".")
        binding = self.binding(module, scope, head, before)
        if binding is None and scope:
            parameter = self.parameter_object(module, scope, head)
            if parameter is not None:
                return parameter if not rest else None
            default = self.parameter_default(module, scope, head)
            if default is not None:
                # `def create_app(app: Flask = app)` (mlflow's auth): the default, where no call
                # the scan follows passes an app or blueprint for it
                where, value = default
                return self.resolve(module, where, ".".join([value.dotted, *rest]),
                                    depth=depth + 1)
            receiver = self.receiver(module, scope, head) if rest or self.class_apps else None
            if receiver is not None and not rest and not receiver[1]:
                # `self` in a method of a Flask subclass that is the app (make_class_apps)
                class_app = self.class_apps.get(id(receiver[0].cls))
                if class_app is not None:
                    return class_app
            if receiver is not None and rest:
                # `self._register_blueprints(app)`, `cls.BLUEPRINTS` in a method
                klass, is_class = receiver
                if self.overridden_below(klass, rest[0]):
                    return None  # which one runs depends on the object's class
                attribute = None if is_class else self.instance_attribute(klass, rest[0])
                symbol = self.symbol_for(*attribute, depth) if attribute is not None \
                    else self.class_member(klass, rest[0], depth, instance=not is_class)
                for part in rest[1:]:
                    symbol = self.member(symbol, part, depth)
                return symbol
        if binding is None:
            symbol: Symbol | None = None
            for star in self.bindings_of(module, "", "*"):
                assert isinstance(star.value, ImportRef)
                symbol = self.resolve_in_module(star.value.module, head, depth + 1)
                if symbol is not None:
                    break
            if symbol is None:
                return None
        else:
            symbol = self.symbol_for(module, binding, depth)
        for part in rest:
            symbol = self.member(symbol, part, depth)
        return symbol

    def member(self, symbol: Symbol | None, name: str, depth: int) -> Symbol | None:
        """`symbol.name`: a module's name, an external object's attribute, a project class's
        attribute or method, the blueprint a Flask-RESTful or RESTX Api is on (`api.blueprint`,
        cellxgene's `app.register_blueprint(api.blueprint)`); None for anything else."""
        if isinstance(symbol, FlaskObject):
            hosts = self.api_hosts(symbol) if symbol.kind in ("restful_api", "restx_api") \
                and name == "blueprint" else []
            # the Api sets it where it is given a blueprint; on one given an app it is None
            return hosts[0] if len(hosts) == 1 and hosts[0].kind == "blueprint" else None
        if isinstance(symbol, ModuleSym):
            return self.resolve_in_module(symbol.name, name, depth + 1)
        if isinstance(symbol, ExternalSym):
            return ExternalSym(f"{symbol.qualified}.{name}")
        if isinstance(symbol, ClassSym):
            return self.class_member(symbol, name, depth)
        if isinstance(symbol, ValueSym) and isinstance(symbol.value, CallExpr) \
                and name == "server" and self.is_dash(symbol.module, symbol.scope, symbol.value):
            # `@dash_app.server.route(...)`: the Flask app the Dash app serves on
            return self.dash_server(symbol.module, symbol.scope, symbol.value)
        if isinstance(symbol, ValueSym) and isinstance(symbol.value, CallExpr) \
                and symbol.value.func:
            # `extension.init_app(app)` after `extension = Extension()`, a project class
            made = self.instance_class(symbol, depth)
            if made is not None:
                return self.class_member(made, name, depth, instance=True)
        return None

    def instance_class(self, symbol: ValueSym, depth: int) -> ClassSym | None:
        """The project class a call makes the value of (`Extension()`), read once per call
        while no more modules are parsed (not `query = query.filter(...)`, which names
        itself: read once per chain)."""
        assert isinstance(symbol.value, CallExpr)
        key = id(symbol.value)
        known = self._instance_classes.get(key)
        if known is not None and known[0] == len(self.modules):
            return known[1]
        if key in self._instances_visiting:
            return None
        named = self.binding_holding(symbol)
        # `result = Answer(...)` in every branch is an Answer; `limiter = Limiter(...)` in one
        # branch and `limiter = NoLimits()` in the other is not known
        made_by: list[tuple[str, Binding | None]]
        if named is None:
            made_by = [(symbol.scope, None)]
        elif not named.conditional:
            made_by = [(named.scope, named)]
        else:
            made_by = [(binding.scope, binding)
                       for binding in self.bindings_of(symbol.module, named.scope, named.name)]
        self._instances_visiting.add(key)
        made: ClassSym | None = None
        try:
            for scope, binding in made_by:
                value = binding.value if binding is not None else symbol.value
                made_here = self.resolve(symbol.module, scope, value.func, depth=depth + 1) \
                    if (binding is None or binding.kind == "assign") \
                    and isinstance(value, CallExpr) and value.func else None
                if not isinstance(made_here, ClassSym) \
                        or made is not None and made_here.cls is not made.cls:
                    made = None
                    break
                made = made_here
        finally:
            self._instances_visiting.discard(key)
        self._instance_classes[key] = (len(self.modules), made)
        return made

    def class_member(self, cls: ClassSym, name: str, depth: int, *,
                     instance: bool = False) -> Symbol | None:
        """What `name` is on a project class (`instance`: on an instance of it, where only its
        methods are known, not what `__init__` or any code sets on the object), looked up in the
        class and its project bases: a method (None for a property or any method a decorator
        other than classmethod/staticmethod makes), or the value the class body assigns."""
        if depth > 30:
            return None
        for klass in self.class_chain(cls):
            if name in klass.cls.methods:
                function = next((f for f in klass.module.functions if f.name == name
                                 and f.in_class == klass.cls.name
                                 and f.scope == klass.cls.scope), None)
                return FuncSym(klass.module, function) if function is not None \
                    and method_kind(function) is not None else None
            if name in klass.cls.attributes:
                if instance:
                    return None
                value = klass.cls.attributes[name]
                found = self.resolve(klass.module, klass.cls.scope, value.dotted,
                                     depth=depth + 1) if isinstance(value, Ref) else None
                return found or ValueSym(klass.module, klass.cls.scope, value)
            nested = next((c for c in klass.module.classes if klass.cls.qualname
                           and c.qualname == f"{klass.cls.qualname}.{name}"), None)
            if nested is not None:  # `class logged:` in the class body (`PageView.logged`)
                return ClassSym(klass.module, nested)
        return None

    def instance_attribute(self, cls: ClassSym, name: str) -> tuple[ModuleFacts, Binding] | None:
        """`self.name` in a method of `cls`, where the methods of `cls` itself give the
        attribute one value, unconditionally (`self.app = Flask(...)` in `__init__`): that
        binding, with its module. None where no method or several set it (which holds then
        depends on which methods ran), and where only a base class sets it: each subclass's
        objects make their own (sibling test cases, each adding routes to the app its base's
        `setUp` makes), which one app in the scan's model would merge."""
        found = [(cls.module, binding) for method in self.instance_methods(cls)
                 for binding in self.bindings_of(cls.module, method.qualname,
                                                 f"{method.params[0]}.{name}")]
        if len(found) != 1 or found[0][1].conditional:
            return None
        return found[0]

    def instance_methods(self, klass: ClassSym) -> list[FunctionFacts]:
        """The methods `klass` defines itself whose first parameter is the instance (by id of
        the class: its module's functions never change once parsed)."""
        found = self._instance_methods.get(id(klass.cls))
        if found is None:
            found = self._instance_methods[id(klass.cls)] = [
                function for function in klass.module.functions
                if function.in_class == klass.cls.name and function.scope == klass.cls.scope
                and function.params and method_kind(function) == "instance"]
        return found

    @staticmethod
    def function_with_parameter(module: ModuleFacts, scope: str, name: str
                                ) -> FunctionFacts | None:
        """The function `scope`, or the nearest function it is nested in, that has a parameter
        `name`; None if there is none."""
        while scope:
            function = module.function(scope)
            if function is None:
                return None
            if function.has_parameter(name):
                return function
            scope = function.scope
        return None

    def parameter_default(self, module: ModuleFacts, scope: str, name: str
                          ) -> tuple[str, Ref] | None:
        """The default of the parameter `name` of the function `scope` (or of a function it is
        nested in), when it names something (`app=app`), and the scope it is read in."""
        function = self.function_with_parameter(module, scope, name)
        if function is None:
            return None
        default = function.defaults.get(name)
        return (function.scope, default) if isinstance(default, Ref) else None

    def receiver(self, module: ModuleFacts, scope: str, name: str
                 ) -> tuple[ClassSym, bool] | None:
        """`self` or `cls` in a method (or in a function nested in one): the class the method is
        defined in, and whether `name` is that class (`cls` of a classmethod or of `__new__`)
        rather than an instance of it; None for any other name."""
        function = self.function_with_parameter(module, scope, name)
        kind = method_kind(function) if function is not None \
            and function.in_class is not None else None
        if function is None or kind not in ("class", "instance") \
                or function.params[:1] != [name]:
            return None
        klass = next((ClassSym(module, cls) for cls in module.classes
                      if cls.name == function.in_class and cls.scope == function.scope), None)
        return (klass, kind == "class") if klass is not None else None

    def overridden_below(self, cls: ClassSym, name: str) -> bool:
        """Whether a project class derived from `cls` defines `name` itself: `self.name` in
        `cls`'s methods is then the subclass's for its objects."""
        return name in self.names_defined_below(cls)

    def names_defined_below(self, cls: ClassSym) -> frozenset[str]:
        """The methods and class attributes the project classes derived from `cls` define.
        Subclasses are found by the names their bases are written with (`class Child(Base)`,
        `class C(models.Base)`), in the modules the scan has parsed."""
        known = self._names_below.get(id(cls.cls))
        if known is not None and known[0] == len(self.modules):
            return known[1]
        names: set[str] = set()
        pending, seen = [cls], {id(cls.cls)}
        while pending:
            base = pending.pop()
            for module, facts in self.classes_by_base_name().get(base.cls.name, ()):
                derived = ClassSym(module, facts)
                if id(facts) in seen or all(
                        klass.cls is not base.cls for klass in self.class_chain(derived)[1:]):
                    continue
                names.update(facts.methods, facts.attributes)
                for method in self.instance_methods(derived):  # `self.app = ...` set below
                    prefix = f"{method.params[0]}."
                    names.update(binding.name[len(prefix):] for binding in module.bindings
                                 if binding.scope == method.qualname
                                 and binding.name.startswith(prefix))
                seen.add(id(facts))
                pending.append(derived)
        self._names_below[id(cls.cls)] = (len(self.modules), frozenset(names))
        return frozenset(names)

    def classes_by_base_name(self) -> dict[str, list[tuple[ModuleFacts, ClassFacts]]]:
        """The parsed modules' classes, by the last part of each name their bases are written
        with (kept up to date as modules are parsed)."""
        if self._subclasses_seen != len(self.modules):
            self._subclasses_seen = len(self.modules)
            self._subclasses = {}
            for module in self.modules.values():
                for facts in module.classes:
                    for base in facts.bases:
                        self._subclasses.setdefault(base.rpartition(".")[2], []).append(
                            (module, facts))
        return self._subclasses

    def parameter_object(self, module: ModuleFacts, scope: str, name: str) -> FlaskObject | None:
        while scope:
            found = self.call_objects.get((module.module, scope, name)) or \
                self.parameter_objects.get((module.module, scope, name))
            if found is not None:
                return found
            scope = scope.rpartition(".")[0]
        return None

    def bind_parameters(self) -> None:
        """Follow apps and blueprints passed to project functions (`register_handlers(app)`,
        `db.init_app(app)`), so that what those functions register is found. Repeated until
        nothing changes, for chains of such calls."""
        for _ in range(6):
            changed = False
            for module in list(self.modules.values()):
                for call in module.calls:
                    expr = call.expr
                    if not expr.func or expr.func == "<call>":
                        continue
                    # Apps and blueprints passed along are names bound in modules the pre-filter
                    # kept, so the arguments resolve without parsing skipped modules.
                    lazy, self.lazy_parsing = self.lazy_parsing, False
                    try:
                        passed = [
                            (position, self.object_at_call(module, call, argument.dotted)
                             if isinstance(argument, Ref)
                             else self.made_by_factory(module, call.scope, argument))
                            for position, argument in [*enumerate(expr.args), *expr.kwargs]
                            if isinstance(argument, (Ref, CallExpr))
                        ]
                    finally:
                        self.lazy_parsing = lazy
                    passed = [(position, obj) for position, obj in passed if obj is not None]
                    if not passed:
                        continue
                    for callee in self.callees(module, call):
                        if isinstance(callee, ClassSym):  # `WebUI(app)`: its __init__ takes them
                            callee = self.constructor(callee)
                        if not isinstance(callee, FuncSym):
                            continue
                        params = self.positional_parameters(module, call, callee.function)
                        self.helper_calls.setdefault(
                            (callee.module.module, callee.function.qualname), {}
                        )[(module.module, id(call))] = (module, call)
                        for position, obj in passed:
                            if isinstance(position, str):  # passed by keyword
                                if position not in params:
                                    continue
                                position = params.index(position)
                            if position >= len(params):
                                continue
                            key = (callee.module.module, callee.function.qualname,
                                   params[position])
                            if obj is not None and self.parameter_objects.get(key) is not obj:
                                self.parameter_objects[key] = obj
                                changed = True
            if not changed:
                return

    def callees(self, module: ModuleFacts, call: CallFacts) -> list[Symbol | None]:
        """What a call calls: the name resolved, or, for `module.init_app(app)` after `module =
        import_module(f"app.{name}")` in a loop over names, each iteration's function."""
        func = call.expr.func
        callee = self.resolve(module, call.scope, func)
        if callee is not None or "." not in func:
            return [callee]
        hook = pluggy_hook_name(func)
        implementations = self.hook_implementations(hook) if hook is not None else []
        if implementations:
            where = ", ".join(f"{symbol.module.file}:{symbol.function.line} "
                              f"`{symbol.function.name}`" for symbol in implementations)
            self.diagnostic(
                "scan.plugin_hook",
                f"`{func}(...)` runs the implementations of the pluggy hook `{hook}` registered "
                f"at run time; the scan follows the {len(implementations)} in the scanned code "
                f"as if each is registered: {where}",
                module.file, call.line, severity="info")
            return list(implementations)
        return [self.imported_symbol(module, call.scope, Ref(func), env, call.order)
                for env in self.loop_environments(module, call)]

    def hook_implementations(self, hook: str) -> list[FuncSym]:
        """The module-level functions pluggy calls for `hook`: marked by a pluggy
        `HookimplMarker` (`impl = HookimplMarker("flaskbb")`, then `@impl` or `@impl(tryfirst=
        True)`) and named as the hook, or marked `specname=` it. Test files are left out (they
        register plugins of their own). Which modules a plugin manager registers is decided
        at run time (FlaskBB registers every loaded `flaskbb.*` module), so all are taken."""
        found = self._hook_implementations.get(hook)
        if found is not None:
            return found
        self.parse_pending_mentioning({hook})  # an implementation names the hook
        found = []
        for module in sorted(self.modules.values(), key=lambda m: m.file):
            if looks_like_test(module.file):
                continue
            for function in module.functions:
                if function.scope == "" and any(
                        self.marks_hook_implementation(module, decorator.expr, function, hook)
                        for decorator in function.decorators):
                    found.append(FuncSym(module, function))
        self._hook_implementations[hook] = found
        return found

    def marks_hook_implementation(self, module: ModuleFacts, decorator: Value,
                                  function: FunctionFacts, hook: str) -> bool:
        if isinstance(decorator, CallExpr):
            specname = decorator.kwarg("specname")
            if specname is not None and not isinstance(specname, Lit):
                return False
            name = specname.value if specname is not None else function.name
            marker = self.resolve(module, "", decorator.func) if decorator.func else None
        elif isinstance(decorator, Ref):
            name, marker = function.name, self.resolve(module, "", decorator.dotted)
        else:
            return False
        if name != hook or not isinstance(marker, ValueSym) or \
                not isinstance(marker.value, CallExpr) or not marker.value.func:
            return False
        made_by = self.qualified(self.resolve(marker.module, marker.scope, marker.value.func))
        return made_by is not None and made_by.split(".")[0] == "pluggy" and \
            made_by.endswith(".HookimplMarker")

    def positional_parameters(self, module: ModuleFacts, call: CallFacts,
                              function: FunctionFacts) -> list[str]:
        """The parameters `call`'s positional arguments go to. Python passes a method's first
        one itself where the method is called on an object (`self.setup(app)`), where a
        classmethod is called, and where the class is called (`WebUI(app)`, which reaches
        `__init__`); not where a method is called on the class (`Base.setup(self, app)`,
        `Base.__init__(self, app)`) nor for a staticmethod."""
        params = function.params
        if function.in_class is None:
            return params
        kind = method_kind(function)
        made = function.name == "__init__" and not call.expr.func.endswith(".__init__")
        if made or kind == "class":
            return params[1:]
        if kind != "instance":
            return params
        head = call.expr.func.split(".")[0]
        receiver = self.receiver(module, call.scope, head)
        on_class = receiver[1] if receiver is not None else \
            isinstance(self.resolve(module, call.scope, head), ClassSym)
        return params if on_class else params[1:]

    @staticmethod
    def constructor(klass: ClassSym) -> FuncSym | None:
        """The `__init__` the class itself defines (not one it inherits), if any."""
        function = klass.module.function(f"{klass.cls.name}.__init__") \
            if klass.cls.scope == "" else None
        return FuncSym(klass.module, function) if function is not None else None

    def names_from_parameters(self, module: ModuleFacts, function: FunctionFacts) -> set[str]:
        """The parameters of `function` and the names its own body binds, only by assignment,
        from values that read them (`method, _, name = func.__name__.partition("_")`): what a
        route decorator on a function defined in it may make its rule from."""
        names = set(function.parameter_names)
        own = [binding for binding in module.bindings if binding.scope == function.qualname]
        while True:
            found = {binding.name for binding in own if binding.name not in names
                     and binding.kind == "assign" and isinstance(binding.value, Value)
                     and reads_any(binding.value, names)}
            if not found:
                return names
            names |= found

    def bind_rule_functions(self) -> None:
        """Find the calls of project functions that add a rule made from their parameters to an
        app or blueprint they do not take as one (Flask's docs on method views:
        `register_api(UserAPI, "user_api", "/users/", pk="user_id")` adding to the module's
        `app`; gramps-webapi's 148 `register_endpt(Resource, "/people/", "people")`). Each call
        adds its own rules, which `collect` reads with that call's arguments."""
        wanted: dict[str, set[tuple[str, str]]] = {}  # function name -> (module, qualname)
        for module in list(self.modules.values()):
            for call in module.calls:
                function = module.function(call.scope)
                if function is None or not call.expr.func:
                    continue
                owner, last = rule_call_target(call.expr)
                names = function.parameter_names
                # `app.add_url_rule(url, ...)`, `bp.route(url)(view)`, `api.add_resource(cls,
                # *cls.endpoints)`; not `requests.get(url)`
                is_rule = last in ("add_url_rule", "add_resource") or (
                    call.expr.func == "<call>" and last in ROUTE_VERBS)
                if not is_rule or not owner or owner.split(".")[0] in names \
                        or not reads_any(call.expr, names):
                    continue
                target = self.target_object(module, call.scope, owner)
                if target is None or target.module is module and (
                        target.scope == function.qualname
                        or target.scope.startswith(function.qualname + ".")):
                    # an app the function makes (`create_app(server)`): each call makes its own,
                    # which is one app to the scan, its rules read once
                    continue
                self.parameter_rule_calls.add(id(call))
                wanted.setdefault(function.name, set()).add((module.module, function.qualname))
            for nested in module.functions:
                enclosing = module.function(nested.scope) if nested.scope else None
                if enclosing is None or enclosing.in_class is not None:
                    continue
                names: set[str] | None = None  # read only for a route decorator
                for decorator in nested.decorators:
                    expr = decorator.expr
                    owner, _, last = expr.func.rpartition(".") \
                        if isinstance(expr, CallExpr) else ("", "", "")
                    if last not in ROUTE_VERBS or not owner:
                        continue
                    if names is None:
                        names = self.names_from_parameters(module, enclosing)
                    if owner.split(".")[0] not in names and reads_any(expr, names):
                        self.parameter_route_decorators.add(id(decorator))
                        wanted.setdefault(enclosing.name, set()).add(
                            (module.module, enclosing.qualname))
        if not wanted:
            return
        for module, call, callee in self.project_calls(set(wanted), bare_decorators=True):
            key = (callee.module.module, callee.function.qualname)
            if key in wanted.get(callee.function.name, ()):
                self.rule_function_calls.setdefault(key, {})[(module.module, id(call))] = \
                    (module, call)

    def bare_decorator_calls(self, module: ModuleFacts, names: set[str]) -> list[CallFacts]:
        """`@rest_resource` on `class Liveness(...)` (specter's REST resources) or `@api_endpoint`
        on `def get_changed()` (fava's JSON API), a decorator named one of `names`, as the call
        Python makes of it: `rest_resource(Liveness)`, where the class or function is bound
        (kept: linking keys calls by their id). A function decorator with others below it is
        given what they make of the function, which the scan does not read (`Unknown`)."""
        made = []
        decorated: list[tuple[ClassFacts | FunctionFacts, str]] = [
            *((cls, "class") for cls in module.classes),
            *((function, "def") for function in module.functions)]
        for owner, kind in decorated:
            for index, decorator in enumerate(owner.decorators):
                if not isinstance(decorator.expr, Ref) or \
                        decorator.expr.dotted.rsplit(".", 1)[-1] not in names:
                    continue
                bound = next((binding for binding in self.bindings_of(module, owner.scope,
                                                                      owner.name)
                              if binding.kind == kind), None)
                if bound is None:
                    continue
                code = f"@{decorator.expr.dotted} on {owner.name}"
                given: Value = Ref(owner.name) if kind == "class" or \
                    index == len(owner.decorators) - 1 else Unknown(code)
                made.append(CallFacts(
                    owner.scope, CallExpr(decorator.expr.dotted, (given,), (), code),
                    decorator.line, order=bound.order, arms=bound.arms))
        self.decorator_calls.extend(made)
        return made

    def qualified(self, symbol: Symbol | None) -> str | None:
        if isinstance(symbol, ExternalSym):
            return symbol.qualified
        if isinstance(symbol, (FuncSym,)):
            return f"{symbol.module.module}.{symbol.function.qualname}"
        if isinstance(symbol, ClassSym):
            return f"{symbol.module.module}.{symbol.cls.qualname or symbol.cls.name}"
        return None

    def class_bases(self, cls: ClassSym, depth: int = 0) -> set[str]:
        """Qualified names of every external base class reached through project classes."""
        found: set[str] = set()
        if depth > 20:
            return found
        for base in cls.cls.bases:
            symbol = self.resolve(cls.module, cls.cls.scope, base)
            if isinstance(symbol, ClassSym):
                found |= self.class_bases(symbol, depth + 1)
            elif isinstance(symbol, ExternalSym):
                found.add(symbol.qualified)
        return found

    # -- values ---------------------------------------------------------------------------
    def evaluate(self, module: ModuleFacts, scope: str, value: Value,
                 env: dict[str, Value] | None = None) -> object:
        if isinstance(value, Lit):
            return value.value
        if isinstance(value, Scoped):
            return self.evaluate(self.modules[value.module], value.scope, value.value)
        if isinstance(value, Concat):
            parts = [self.evaluate(module, scope, part, env) for part in value.parts]
            if all(isinstance(p, str) for p in parts):
                return "".join(parts)  # type: ignore[arg-type]
            if all(isinstance(p, (list, tuple)) for p in parts):
                return [item for p in parts for item in p]  # type: ignore[union-attr]
            raise Unresolved("a concatenation of values of different kinds")
        if isinstance(value, Seq):
            return [self.evaluate(module, scope, item, env) for item in value.items]
        if isinstance(value, Or):
            try:  # `decorators or []`: the first true one, else the last
                for item in value.values[:-1]:
                    result = self.evaluate(module, scope, item, env)
                    if result:
                        return result
                return self.evaluate(module, scope, value.values[-1], env)
            except Unresolved:
                raise Unresolved(f"`{value.code}` is computed at run time") from None
        if isinstance(value, Ref):
            head = value.dotted.split(".")[0]
            if env and head in env and value.dotted == head:
                return self.evaluate(module, scope, env[head], None)
            if env and head in env:
                field_value = self.substitute(value, env)  # `info.name` of pkgutil's ModuleInfo
                if isinstance(field_value, Lit):
                    return field_value.value
            if value.dotted in ("__name__", "__package__") \
                    and self.binding(module, scope, value.dotted) is None:
                # the module's own names, which `import_module(".views", __name__)` reads
                return module.module if value.dotted == "__name__" or module.is_package \
                    else module.module.rpartition(".")[0]
            if value.dotted.endswith(".__name__"):
                # `resource.as_view(resource.__name__)`: the name of a project class or function
                named = self.defined_name(module, scope, Ref(value.dotted[:-len(".__name__")]),
                                          env)
                if named is not None:
                    return named
            symbol = self.resolve(module, scope, value.dotted)
            if isinstance(symbol, ValueSym):
                self.require_unconditional(symbol, value.dotted)
                key = id(symbol.value)
                if key in self._evaluating:
                    raise Unresolved(f"{value.dotted} refers to itself")
                self._evaluating.add(key)
                try:
                    return self.evaluate(symbol.module, symbol.scope, symbol.value,
                                         local_env(symbol, module, scope, env))
                finally:
                    self._evaluating.discard(key)
            method = self.http_method(module, scope, value.dotted)
            if method is not None:
                return method
            raise Unresolved(f"`{value.dotted}` is not a constant the scan can read")
        if isinstance(value, Format):
            template = self.evaluate(module, scope, value.template, env)
            args = [self.evaluate(module, scope, arg, env) for arg in value.args]
            kwargs = {key: self.evaluate(module, scope, arg, env) for key, arg in value.kwargs}
            if not isinstance(template, str) or not all(
                    isinstance(v, (str, int, float, bool)) or v is None
                    for v in (*args, *kwargs.values())):
                raise Unresolved("a str.format of values that are not plain constants")
            if LARGE_OR_NESTED_FORMAT_FIELD.search(template):
                # `"{:>999999999}".format(x)` would build a huge string in the scan
                raise Unresolved("a str.format with a large or computed width")
            try:  # plain constants only: no attribute or item of an object of the project's
                return template.format(*args, **kwargs)
            except (IndexError, KeyError, ValueError, AttributeError, TypeError) as error:
                raise Unresolved(f"a str.format that fails ({error})") from None
        if isinstance(value, CallExpr) and value.func in SPLIT_ITEMS:
            # `__name__.split(".")[-1]`: an item of a constant string split
            text, *split_args = [self.evaluate(module, scope, arg, env) for arg in value.args]
            index = split_args.pop()
            if isinstance(text, str) and len(split_args) <= 2 and all(
                    isinstance(arg, (str, int)) or arg is None for arg in split_args):
                try:  # `split("")`, `split(1)`: what Python refuses, the scan does not read
                    parts = text.split(*split_args) if value.func == SPLIT_ITEM["split"] \
                        else text.rsplit(*split_args)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    parts = []
                if isinstance(index, int) and -len(parts) <= index < len(parts):
                    return parts[index]
            raise Unresolved(f"`{value.code}` is computed at run time")
        if isinstance(value, Unpacked) and value.call.func.rpartition(".")[2] in STRING_SPLITS:
            return self.split_item(module, scope, value, env)
        if isinstance(value, CallExpr) and value.func == STRING_JOIN:
            separator, parts = (self.evaluate(module, scope, arg, env) for arg in value.args)
            if isinstance(separator, str) and isinstance(parts, list) and all(
                    isinstance(part, str) for part in parts):
                return separator.join(parts)
            raise Unresolved(f"`{value.code}` joins values that are not all strings")
        if isinstance(value, Unknown) and value.item is not None \
                and isinstance(value.item[1], Lit):
            # `ENDPOINTS["login"]` (cornflow): the item of a dict display bound once
            pairs = self.mapping_pairs(module, scope, value.item[0])
            found = value_at(pairs, value.item[1]) \
                if pairs is not None and literal_keys(pairs) else None
            if found is not None and id(found) not in self._evaluating:
                self._evaluating.add(id(found))
                try:
                    return self.evaluate(module, scope, found, env)
                finally:
                    self._evaluating.discard(id(found))
        if isinstance(value, CallExpr):
            if value.func == "str" and len(value.args) == 1 and not value.kwargs \
                    and self.resolve(module, scope, "str") is None:  # the builtin
                # `"/api/v" + str(VERSION)`: the text of a plain constant
                argument = self.evaluate(module, scope, value.args[0], env)
                if isinstance(argument, (str, int, float, bool)) or argument is None:
                    return str(argument)
            raise Unresolved(f"`{call_text(value)}` is computed at run time")
        raise Unresolved(f"`{getattr(value, 'code', '?')}` is computed at run time")

    def split_item(self, module: ModuleFacts, scope: str, value: Unpacked,
                   env: dict[str, Value] | None) -> str:
        """`method, _, name = func.__name__.partition("_")` (fava's JSON API names each endpoint's
        rule and method after its function): the item of a known string that the names unpack
        from `partition`, `rpartition`, `split` or `rsplit` of it, when the call gives exactly
        as many items as there are names (otherwise Python raises, and the scan does not read)."""
        receiver, _, method = value.call.func.rpartition(".")
        text = self.evaluate(module, scope, Ref(receiver), env) if receiver else None
        arguments = [self.evaluate(module, scope, arg, env) for arg in value.call.args]
        if isinstance(text, str) and not value.call.kwargs and len(arguments) <= (
                1 if method in ("partition", "rpartition") else 2) and all(
                isinstance(arg, (str, int)) or arg is None for arg in arguments):
            try:  # `partition("")`, `split(1)`: what Python refuses, the scan does not read
                items = getattr(text, method)(*arguments)
            except (TypeError, ValueError):
                items = ()
            if len(items) == value.count:
                return items[value.index]
        raise Unresolved(f"`{value.code}` is computed at run time")

    def defined_name(self, module: ModuleFacts, scope: str, value: Value,
                     env: dict[str, Value] | None) -> str | None:
        """The `__name__` of the project class, function or module `value` names (a loop variable or
        parameter of `env` included); None if it names neither."""
        return symbol_name(self.named_symbol(module, scope, value, env))

    def named_symbol(self, module: ModuleFacts, scope: str, value: Value,
                     env: dict[str, Value] | None) -> Symbol | None:
        """What the name `value` is (a loop variable or parameter of `env` included, read where
        its value is written); None where it is not a name."""
        value = self.substitute(value, env or {})
        if isinstance(value, Scoped):
            module, scope, value = self.modules[value.module], value.scope, value.value
        return self.resolve(module, scope, value.dotted) if isinstance(value, Ref) else None

    def this_turns_text(self, module: ModuleFacts, scope: str, value: Value,
                        env: dict[str, Value]) -> Value:
        """`url_prefix=versioned`, where `versioned = f"/api/{version}"` is bound in the loop
        over `version` that makes the call: the text the name holds on this turn, which the
        registration evaluates later, without the loop's items (`env`)."""
        if not env or not isinstance(value, Ref) or "." in value.dotted:
            return value
        symbol = self.resolve(module, scope, value.dotted)
        if isinstance(symbol, ValueSym) and string_constant(symbol.value) \
                and local_env(symbol, module, scope, env):
            return self.substitute(symbol.value, env)
        return value

    def require_unconditional(self, symbol: ValueSym, dotted: str) -> None:
        """A constant assigned differently in branches (`if LEGACY: r = "/a" else: r = "/"`),
        or one a function declares `global`, is only known at run time; picking a value would
        be a silent guess."""
        name = dotted.rsplit(".", 1)[-1]
        if not symbol.scope and name in symbol.module.globals_declared:
            raise Unresolved(f"`{dotted}` may be given another value at run time by a function "
                             f"of {symbol.module.file} (`global {name}`)")
        values = [b for b in self.bindings_of(symbol.module, symbol.scope, name)
                  if b.kind == "assign"]
        if any(b.conditional for b in values) and len({repr(b.value) for b in values}) > 1:
            raise Unresolved(f"`{dotted}` depends on a condition evaluated at run time")

    def substitute(self, value: Value, env: dict[str, Value]) -> Value:
        """Replace loop variables in `value` (`bp` in `for bp in (a, b): ...`)."""
        if not env:
            return value
        if isinstance(value, Ref):
            head, _, rest = value.dotted.partition(".")
            if head in env:
                target = env[head]
                if not rest:
                    return target
                if isinstance(target, Ref):
                    return Ref(f"{target.dotted}.{rest}")
                if isinstance(target, Scoped) and isinstance(target.value, Ref):
                    return Scoped(Ref(f"{target.value.dotted}.{rest}"), target.module,
                                  target.scope)
                if isinstance(target, Seq) and rest in target.fields:
                    return target.items[target.fields.index(rest)]  # `info.name`: ModuleInfo
                return Unknown(value.dotted)
            return value
        if isinstance(value, Seq):
            return Seq(tuple(self.substitute(v, env) for v in value.items))
        if isinstance(value, Concat):
            return Concat(tuple(self.substitute(v, env) for v in value.parts))
        if isinstance(value, Format):
            return Format(self.substitute(value.template, env),
                          tuple(self.substitute(v, env) for v in value.args),
                          tuple((k, self.substitute(v, env)) for k, v in value.kwargs))
        if isinstance(value, CallExpr):
            called = CallExpr(
                value.func, tuple(self.substitute(v, env) for v in value.args),
                tuple((k, self.substitute(v, env)) for k, v in value.kwargs), value.code)
            return item_method_call(called) if value.func == ITEM_METHOD else called
        if isinstance(value, Or):
            return Or(tuple(self.substitute(v, env) for v in value.values), value.code)
        if isinstance(value, Unknown) and value.item is not None:
            found = dict_item(self.substitute(value.item[0], env),
                              self.substitute(value.item[1], env), self.modules)
            return value if found is None else found
        return value

    def module_walk(self, module: ModuleFacts, scope: str, call: CallExpr) -> Seq | None:
        """The modules a loop over `pkgutil.iter_modules(views.__path__)`,
        `pkgutil.walk_packages(...)` or Werkzeug's `find_modules("app.views")` goes through,
        among the project's files, as the items the walk yields (pkgutil's ModuleInfo, Werkzeug's
        dotted names); None when the call is none of them or what it walks is not known."""
        qualified = self.qualified(self.resolve(module, scope, call.func)) if call.func else None
        parameters = PKGUTIL_WALKS.get(qualified or "") or WERKZEUG_WALKS.get(qualified or "")
        if parameters is None or len(call.args) > len(parameters) \
                or any(key not in parameters for key, _ in call.kwargs):
            return None
        arguments = dict(zip(parameters, call.args, strict=False)) | dict(call.kwargs)
        try:
            if qualified in WERKZEUG_WALKS:
                package = self.evaluate(module, scope, arguments["import_path"])
                flags = [self.evaluate(module, scope, arguments[key]) if key in arguments
                         else False for key in ("include_packages", "recursive")]
                if not isinstance(package, str) or package not in self.tree.package_folders:
                    return None
                return Seq(tuple(Lit(name) for name in
                                 self.tree.find_modules(package, *map(bool, flags))))
            prefix = self.evaluate(module, scope, arguments["prefix"]) \
                if "prefix" in arguments else ""
        except (Unresolved, KeyError):
            return None
        folders = self.walked_folders(module, scope, arguments.get("path"))
        if folders is None or not isinstance(prefix, str):
            return None
        walk = self.tree.iter_modules if qualified == "pkgutil.iter_modules" \
            else self.tree.walk_packages
        return Seq(tuple(Seq((Unknown("module_finder"), Lit(name), Lit(is_package)),
                             MODULE_INFO_FIELDS) for name, is_package in walk(folders, prefix)))

    def walked_folders(self, module: ModuleFacts, scope: str,
                       value: Value | None) -> list[str] | None:
        """The project folders a pkgutil walk's `path` names: a package's `__path__`, or a list
        of folders made from `__file__` with `os.path`; None when it names none of them (no
        path walks all of `sys.path`)."""
        if isinstance(value, Ref) and value.dotted.rsplit(".", 1)[-1] == "__path__":
            owner = value.dotted.rpartition(".")[0]
            package = self.resolve(module, scope, owner) if owner else (
                ModuleSym(module.module) if module.is_package
                and self.binding(module, scope, "__path__") is None else None)
            folder = self.tree.package_folders.get(package.name) \
                if isinstance(package, ModuleSym) else None
            return [folder] if folder is not None else None
        if isinstance(value, Ref):
            symbol = self.resolve(module, scope, value.dotted)
            return self.walked_folders(symbol.module, symbol.scope, symbol.value) \
                if isinstance(symbol, ValueSym) else None
        if not isinstance(value, Seq):
            return None
        folders = [self.source_path(module, scope, item) for item in value.items]
        if not all(folder is not None and self.tree.has_folder(folder) for folder in folders):
            return None
        return folders  # type: ignore[return-value]

    def source_path(self, module: ModuleFacts, scope: str, value: Value,
                    depth: int = 0) -> str | None:
        """A path in the scanned tree (POSIX, relative to its root) that `value` computes from
        the module's `__file__` with `os.path` (`os.path.join(os.path.dirname(__file__),
        "views")`); None for any other value, or a path outside the tree."""
        if depth > 20:
            return None
        if isinstance(value, Scoped):
            return self.source_path(self.modules[value.module], value.scope, value.value,
                                    depth + 1)
        if isinstance(value, Ref):
            if value.dotted == "__file__" and self.binding(module, scope, "__file__") is None:
                return module.file
            symbol = self.resolve(module, scope, value.dotted)
            return self.source_path(symbol.module, symbol.scope, symbol.value, depth + 1) \
                if isinstance(symbol, ValueSym) else None
        if not isinstance(value, CallExpr) or not value.func or value.kwargs:
            return None
        function = "str" if value.func == "str" and self.resolve(module, scope, "str") is None \
            else self.qualified(self.resolve(module, scope, value.func))
        paths = [self.source_path(module, scope, arg, depth + 1) for arg in value.args[:1]]
        if function in ("str", "os.path.abspath", "os.path.realpath", "os.path.normpath") \
                and len(value.args) == 1 and paths[0] is not None:
            path = paths[0]
        elif function == "os.path.dirname" and len(value.args) == 1 and paths[0] is not None:
            path = posixpath.dirname(paths[0])
        elif function == "os.path.join" and value.args and paths[0] is not None:
            parts = [arg.value for arg in value.args[1:] if isinstance(arg, Lit)]
            if len(parts) != len(value.args) - 1 or not all(
                    isinstance(part, str) and not part.startswith("/") for part in parts):
                return None
            path = posixpath.join(paths[0], *parts)  # type: ignore[arg-type]
        else:
            return None
        path = posixpath.normpath(path)
        return None if path == ".." or path.startswith(("../", "/")) else path

    def loop_environments(self, module: ModuleFacts, call: CallFacts,
                          base: dict[str, Value] | None = None) -> list[dict[str, Value]]:
        environments: list[dict[str, Value]] = [dict(base or {})]
        for index, loop in enumerate(call.loops):
            if not loop.targets:
                continue
            outer = {name for around in call.loops[:index] for name in around.targets}
            if reads_any(loop.iterable, outer):
                # `for key, val in api_v1.get(k, {}).items():` in `for k, v in MAPPING.items():`
                # (freshmaker): what it goes over differs from one turn of the outer loop to
                # the next; a turn whose items are not known is kept as it is
                turns = []
                for env in environments:
                    items = self.loop_items(module, call, loop, env)
                    if items is None:
                        self.note_unread_loop(module, call, loop)
                    turns.extend(self.loop_turns([env], loop, items))
                environments = turns
                continue
            found = self.loop_items(module, call, loop, base or {})
            if found is not None:
                environments = self.loop_turns(environments, loop, found)
            else:
                self.note_unread_loop(module, call, loop)
        return self.guarded_environments(module, call, environments)

    def note_unread_loop(self, module: ModuleFacts, call: CallFacts, loop: Loop) -> None:
        """A rule added with the item of a loop over what the scan cannot read (CloudKitty's
        `for info in schema(resources): api.add_resource(info["resource"], info["url"])`): the
        loop may add any number of routes, where the scan lists one, with what it cannot read
        of it (the route `emit` makes of the call says so)."""
        if rule_call_target(call.expr)[1] in RULES_ADDED_IN_LOOPS \
                and reads_any(call.expr, set(loop.targets)):
            self.unread_loop_calls[(module.file, call.line)] = (
                " ".join(call.expr.code.split())[:120], loop.code[:120] or "?", loop.targets)

    def loop_items(self, module: ModuleFacts, call: CallFacts, loop: Loop,
                   env: dict[str, Value]) -> list[Value] | None:
        """The items `loop` (around `call`) goes over, with the names of `env`, each placed
        where it is written; None when they are not known."""
        iterable: Value = self.substitute(loop.iterable, env)
        written = iterable
        where, scope = module, call.scope
        # `for route in routes` over a parameter: the items are the caller's, read there
        relocated = isinstance(iterable, Scoped)
        if isinstance(iterable, Scoped):
            where, scope, iterable = self.modules[iterable.module], iterable.scope, \
                iterable.value
        if isinstance(iterable, Ref):
            symbol = self.resolve(where, scope, iterable.dotted)
            # `for key in BPS:` over a dict display: its keys
            keys = self.dict_view(where, scope, iterable, "keys")
            if keys is not None:
                iterable = keys
            elif isinstance(symbol, ValueSym):
                # `for bp in BLUEPRINTS` over a list another module binds: its items are
                # names read there
                relocated = relocated or symbol.module is not where
                where, scope, iterable = symbol.module, symbol.scope, symbol.value
        if isinstance(iterable, CallExpr) and iterable.func == ITEM_METHOD:
            # `api_v1.get(k, {}).items()`: a view of what the method's owner stands for
            owner, method, *arguments = iterable.args
            iterable = self.dict_view(where, scope, owner, method.value) \
                if isinstance(method, Lit) and isinstance(method.value, str) \
                and not arguments and not iterable.kwargs else None
            if iterable is None:
                return None
        if isinstance(iterable, CallExpr):
            owner_name, _, method_name = iterable.func.rpartition(".")
            iterable = self.module_walk(where, scope, iterable) or (
                self.dict_view(where, scope, Ref(owner_name), method_name)
                if owner_name and not iterable.args and not iterable.kwargs else None) \
                or iterable
        if isinstance(iterable, CallExpr) and iterable.func and not iterable.args \
                and not iterable.kwargs:
            # `for module in get_submodules()` (pgAdmin 4), a project function whose one
            # `return` is a list of names: its items, read where the function is
            function = self.resolve(where, scope, iterable.func)
            if isinstance(function, FuncSym) and len(function.function.returns) == 1 \
                    and isinstance(function.function.returns[0], Seq):
                where, scope, iterable = function.module, function.function.qualname, \
                    function.function.returns[0]
                relocated = True
        if not isinstance(iterable, Seq):
            # `for bp in blueprints` over what a factory's caller passes, which the factory
            # may extend (`blueprints + DEFAULT_BLUEPRINTS`, `blueprints or DEFAULT`): read
            # through every binding and call it may come from, each item placed where it
            # is written
            items = self.sequence_items(
                module, call.scope, written,
                None if isinstance(written, Scoped) else (call.order, call.arms)) \
                if isinstance(written, (Scoped, Ref, Concat, Or)) \
                and rule_call_target(call.expr)[1] in REGISTERING_IN_LOOPS else None
            return None if items is None else list(items)
        if not relocated:
            return list(iterable.items)
        if len(loop.targets) == 1:
            return [placed_at(item, where, scope) for item in iterable.items]
        return [Seq(tuple(placed_at(part, where, scope) for part in item.items))
                if isinstance(item, Seq) else item for item in iterable.items]

    @staticmethod
    def loop_turns(environments: list[dict[str, Value]], loop: Loop,
                   items: list[Value] | None) -> list[dict[str, Value]]:
        """Each of `environments` with `loop`'s names bound to each of `items` in turn (an item
        unpacked to a tuple target); `environments` as they are where the items are not
        known."""
        if items is None:
            return environments
        turns = []
        for env, item in itertools.product(environments, items):
            turn = dict(env)
            if len(loop.targets) == 1:
                turn[loop.targets[0]] = item
            elif isinstance(item, Seq) and len(item.items) == len(loop.targets):
                turn.update(zip(loop.targets, item.items, strict=True))
            else:
                continue
            turns.append(turn)
        return turns

    def guarded_environments(self, module: ModuleFacts, call: CallFacts,
                             environments: list[dict[str, Value]]) -> list[dict[str, Value]]:
        """The turns of the loops around `call` that reach it through the `if`s between (its
        `guards`): a test of the loop's items that does not hold in a turn drops the turn; one
        whose outcome the scan cannot tell keeps it, marked with UNREAD_GUARD. Tests that read
        no loop variable are left as they were (a registration in one arm is listed)."""
        variables = {name for loop in call.loops for name in loop.targets}
        guards = [guard for guard in call.guards if guard.names & variables]
        if not guards:
            return environments
        kept = []
        for env in environments:
            def known(value: Value, env: dict[str, Value] = env) -> object:
                try:  # a literal, a constant (`HIDDEN = ("debug",)`), the turn's item
                    return self.evaluate(module, call.scope, value, env)
                except Unresolved:
                    return NOT_KNOWN

            unread: Guard | None = None
            for guard in guards:
                outcome = test_outcome(guard.test, known)
                if outcome is None:
                    unread = unread or guard
                elif outcome != guard.holds:
                    break
            else:
                kept.append({**env, UNREAD_GUARD: Lit(unread.code)} if unread else env)
        return kept

    def dict_view(self, module: ModuleFacts, scope: str, owner: Value, method: str
                  ) -> Seq | None:
        """`BLUEPRINTS.items()` (`.keys()`, `.values()`) of the dict display `owner` stands for
        (mapping_pairs): its pairs (keys, values), in order; None for anything else."""
        if method not in ("items", "keys", "values"):
            return None
        pairs = self.mapping_pairs(module, scope, owner)
        if pairs is None:
            return None
        return Seq(tuple(Seq(pair) for pair in pairs) if method == "items" else
                   tuple(key for key, _ in pairs) if method == "keys" else
                   tuple(value for _, value in pairs))

    def mapping_pairs(self, module: ModuleFacts, scope: str, owner: Value
                      ) -> list[tuple[Value, Value]] | None:
        """The pairs of the dict display `owner` stands for, read in `module` at `scope`, each
        placed where it is written: a name bound to one once, without a condition; `NAME.get(
        key, default)` of such a dict of dicts with a literal key (freshmaker's
        `api_v1.get(k, {})` in a loop over `k`), the default where the key is not there; a
        display a loop gives. None for anything else."""
        if isinstance(owner, Ref):
            symbol = self.resolve(module, scope, owner.dotted)
            if not isinstance(symbol, ValueSym):
                return None
            try:
                self.require_unconditional(symbol, owner.dotted)
            except Unresolved:
                return None
            return display_pairs(Scoped(symbol.value, symbol.module.module, symbol.scope),
                                 self.modules)  # (names read where the dict is)
        if isinstance(owner, CallExpr) and owner.func.endswith(".get") \
                and len(owner.args) in (1, 2) and not owner.kwargs:
            outer = self.mapping_pairs(module, scope, Ref(owner.func.removesuffix(".get")))
            key = owner.args[0]
            if outer is None or not isinstance(key, Lit) or not literal_keys(outer):
                return None
            found = value_at(outer, key)
            if found is None and len(owner.args) == 2:  # not there: the default
                found = placed_at(owner.args[1], module, scope)
            return display_pairs(found, self.modules)
        return display_pairs(owner, self.modules)

    def sequence_items(self, module: ModuleFacts, scope: str, value: Value,
                       at: tuple[int, tuple[int, ...]] | None) -> tuple[Value, ...] | None:
        """The items of the list or tuple `value` stands for, read in `module` at `scope` (at
        `at` in it, where known), each placed where it is written, each once: of every
        sequence it may be (`sequence_alternatives`), as a registration made in one arm of an
        `if` is listed. None when some of it is not known."""
        alternatives = self.sequence_alternatives(module, scope, value, at, 0)
        if alternatives is None:
            return None
        return tuple(unique_by_repr([item for items in alternatives for item in items]))

    def sequence_alternatives(self, module: ModuleFacts, scope: str, value: Value,
                              at: tuple[int, tuple[int, ...]] | None, depth: int
                              ) -> list[tuple[Value, ...]] | None:
        """Every list or tuple `value` may be, read in `module` at `scope` (at `at` in it, where
        known), its items placed where they are written: a display; `a + b`, each of `a`'s
        followed by each of `b`'s; `a or b`, each of `a`'s that is not empty, and `b`'s if one
        of `a`'s is; a name, those of every binding a read there may see, and for a parameter,
        of what every call of its function passes for it (or its default). lemur's factory:

            def create_app(app_name=None, blueprints=None, config=None):
                if not blueprints:
                    blueprints = DEFAULT_BLUEPRINTS
                else:
                    blueprints = blueprints + DEFAULT_BLUEPRINTS
                ...
                configure_blueprints(app, blueprints)  # `for blueprint in blueprints: ...`

        called as `factory.create_app(..., blueprints=LEMUR_BLUEPRINTS)`. `None` (a parameter's
        default) is no items: a loop over it raises before it registers anything. None when
        some of it is not known, or it may be more than `MAX_SEQUENCE_ALTERNATIVES` sequences."""
        if depth > 8:
            return None
        if isinstance(value, Scoped):
            found = self.sequence_alternatives(self.modules[value.module], value.scope,
                                               value.value, value.at, depth + 1)
        elif isinstance(value, Seq):
            found = [tuple(placed_parts(item, module, scope) for item in value.items)]
        elif isinstance(value, Lit) and value.value is None:
            found = [()]
        elif isinstance(value, Concat):
            found = [()]
            for part in value.parts:
                tails = self.sequence_alternatives(module, scope, part, at, depth + 1)
                if tails is None:
                    return None
                found = [(*head, *tail) for head in found for tail in tails]
        elif isinstance(value, Or):  # the first true value, else the last
            found = []
            for option in value.values:
                options = self.sequence_alternatives(module, scope, option, at, depth + 1)
                if options is None:
                    return None
                last = option is value.values[-1]
                found.extend(items for items in options if items or last)
                if all(options):  # none is empty: the options after it are never read
                    break
        elif isinstance(value, Ref):
            found = self.name_alternatives(module, scope, value, at, depth)
        else:
            return None
        if found is None or len(found) > MAX_SEQUENCE_ALTERNATIVES:
            return None
        return unique_by_repr(found)

    def name_alternatives(self, module: ModuleFacts, scope: str, value: Ref,
                          at: tuple[int, tuple[int, ...]] | None, depth: int
                          ) -> list[tuple[Value, ...]] | None:
        """`sequence_alternatives` of a name: of each binding a read at `at` may see; of a
        parameter, of what each call of its function passes (`parameter_alternatives`); of a
        name bound elsewhere (or where the read's place is not known), of its value."""
        name = value.dotted
        local = bool(scope) and "." not in name
        reaching = self.reaching_bindings(module, scope, name, at) \
            if local and at is not None else None
        if reaching is None and local and not self.bindings_of(module, scope, name):
            reaching = [None]
        if reaching is None:
            symbol = self.resolve(module, scope, name)
            if not isinstance(symbol, ValueSym) or symbol.value is value:
                return None
            return self.sequence_alternatives(symbol.module, symbol.scope, symbol.value, None,
                                              depth + 1)
        found: list[tuple[Value, ...]] = []
        for binding in reaching:
            if binding is None:  # the parameter, or what an enclosing scope binds
                function = self.function_with_parameter(module, scope, name)
                options = self.parameter_alternatives(module, function, name, depth + 1) \
                    if function is not None else self.name_alternatives(
                        module, scope.rpartition(".")[0], value, None, depth + 1)
            elif binding.kind == "assign" and isinstance(binding.value, Value):
                options = self.sequence_alternatives(module, scope, binding.value,
                                                     (binding.order, binding.arms), depth + 1)
            else:
                return None
            if options is None:
                return None
            found.extend(options)
        return found

    def parameter_alternatives(self, module: ModuleFacts, function: FunctionFacts, name: str,
                               depth: int) -> list[tuple[Value, ...]] | None:
        """`sequence_alternatives` of the parameter `name` of `function`: of what each call of
        it passes (its default where a call passes nothing), read where the call is; None
        where no call is found or one passes what is not known (`*args`)."""
        found: list[tuple[Value, ...]] = []
        sites = self.calls_of(function)
        for caller, site in sites:
            params, starred, arguments = self.site_arguments(caller, site, function)
            if name not in arguments and (starred and name in params or any(
                    key == "**" for key, _ in site.expr.kwargs)):
                return None
            env = self.parameter_values(function, module, arguments, caller, site.scope,
                                        (site.order, site.arms))
            given = env.get(name)
            options = None if given is None else \
                self.sequence_alternatives(caller, site.scope, given, None, depth)
            if options is None:
                return None
            found.extend(options)
            if name in arguments:
                self.lists_from_callers.add((module.module, function.qualname))
        return found if sites else None

    def calls_of(self, function: FunctionFacts) -> list[tuple[ModuleFacts, CallFacts]]:
        """The calls of the project function `function` the scan recorded (`project_calls`)."""
        return [(caller, site) for caller, site, callee in self.project_calls({function.name})
                if callee.function is function]

    def project_calls(self, names: set[str], *, bare_decorators: bool = False,
                      function_decorators: bool = False
                      ) -> Iterator[tuple[ModuleFacts, CallFacts, FuncSym]]:
        """The recorded calls of project functions named one of `names`, each with the function
        it calls. Test files are left out (a test's call makes no app or rule that production
        serves); files the pre-filter skipped that mention a name are parsed first.
        `bare_decorators`: a decorator so named, not called, on a class or function counts as
        the call Python makes of it (`bare_decorator_calls`); `function_decorators`: so does a
        called decorator on a function (`function_decorator_calls`)."""
        unparsed = names - self._callers_parsed
        if unparsed:
            self._callers_parsed |= unparsed
            self.parse_pending_mentioning(unparsed)
        for caller in list(self.modules.values()):
            if looks_like_test(caller.file):
                continue
            sites = caller.calls
            if bare_decorators:  # in the order the module runs them
                sites = sorted([*sites, *self.bare_decorator_calls(caller, names)],
                               key=lambda site: site.order)
            if function_decorators:
                sites = [*sites, *self.function_decorator_calls(caller, names)]
            for site in sites:
                func = site.expr.func
                if not func or func == "<call>" or func.rsplit(".", 1)[-1] not in names:
                    continue
                callee = self.resolve(caller, site.scope, func)
                if isinstance(callee, FuncSym):
                    yield caller, site, callee

    def site_arguments(self, caller: ModuleFacts, site: CallFacts, function: FunctionFacts
                       ) -> tuple[list[str], bool, dict[str, Value]]:
        """What a call of `function` passes, by parameter name: the parameters its positional
        arguments go to, whether it passes `*args` (after which which positional argument is
        which is not known: none is given), and the arguments."""
        params = self.positional_parameters(caller, site, function)
        starred = any(key == "*" for key, _ in site.expr.kwargs)
        arguments: dict[str, Value] = {} if starred else \
            dict(zip(params, site.expr.args, strict=False))
        arguments.update((key, value) for key, value in site.expr.kwargs
                         if key in function.parameter_names)
        return params, starred, arguments

    # -- Flask objects --------------------------------------------------------------------
    def flask_object(self, module: ModuleFacts, binding: Binding,
                     call: CallExpr) -> FlaskObject | None:
        key = (module.module, binding.order)
        if key in self.objects:
            return self.objects[key]
        self.objects[key] = None  # guards against cycles while resolving the callee
        # A module the pre-filter skipped mentions neither Flask nor Blueprint, so it can neither
        # define nor re-export their classes: the callee is resolved without parsing such files
        # (which, through imports into other libraries, could otherwise mean parsing most of them).
        lazy, self.lazy_parsing = self.lazy_parsing, False
        try:
            callee = self.resolve(module, binding.scope, call.func) if call.func else None
            helper_made = self.made_by_helper(module, binding, call, callee) \
                if isinstance(callee, FuncSym) else None
        finally:
            self.lazy_parsing = lazy
        maker = None
        if helper_made is not None:
            maker, call = helper_made
            callee = maker
        classes = frozenset(self.callee_classes(callee))
        kind = self.object_kind(classes)
        obj = None
        api = self.namespace_maker(module, binding.scope, call) if kind is None else None
        if api is not None:
            # `ns = api.namespace("todos", path=...)`: Flask-RESTX's Api makes a Namespace with
            # those arguments and adds it to itself
            obj = FlaskObject("namespace", module, binding.scope, binding.name, call, None,
                              classes=frozenset({"flask_restx.Namespace"}), registered=True)
            api.children.append((obj, {}, CallFacts(binding.scope, call, None, (), binding.name),
                                 module))
        elif kind is not None:
            line = None
            for recorded in module.calls:
                if (recorded.assigned_to == binding.name and recorded.scope == binding.scope
                        and recorded.expr.func == call.func):
                    line = recorded.line
            obj = FlaskObject(kind, module, binding.scope, binding.name, call, line,
                              classes=classes, maker=maker)
        self.objects[key] = obj
        return obj

    def made_by_helper(self, module: ModuleFacts, binding: Binding, call: CallExpr,
                       helper: FuncSym) -> tuple[Symbol, CallExpr] | None:
        """`blueprint = get_blueprint("stats", __name__)` where the project function's one
        statement that returns is `return Blueprint(name, import_name, static_folder=...)`
        (knowledge-repo): each call makes its own app or blueprint, as that call of the class
        would with the helper's arguments, the parameters standing for this call's arguments
        (read where the call is) or their defaults (read where the function is defined). The
        class and that call; None where the call cannot be read so (a `*args` or `**kwargs`
        at either call, a method, a parameter not passed, another kind of object)."""
        function = helper.function
        made = only_call_returned(function)
        if made is None or not made.func or made.func == "<call>" \
                or function.in_class is not None or function.is_generator \
                or function.is_async or any(key in ("*", "**") for key, _ in
                                            (*call.kwargs, *made.kwargs)):
            return None
        maker = self.resolve(helper.module, function.qualname, made.func)
        if self.object_kind(frozenset(self.callee_classes(maker))) not in ("app", "blueprint"):
            return None
        if len(call.args) > len(function.params) or any(
                key not in function.parameter_names for key, _ in call.kwargs):
            return None  # a TypeError when the call runs
        arguments = dict(zip(function.params, call.args, strict=False))
        arguments.update(call.kwargs)
        if any(name not in arguments for name in function.required):
            return None
        env = self.parameter_values(function, helper.module, arguments, module, binding.scope,
                                    (binding.order, binding.arms))

        def passed(value: Value) -> Value:
            return placed_at(self.substitute(value, env), helper.module, function.qualname)

        return maker, CallExpr(call.func, tuple(passed(value) for value in made.args),
                               tuple((key, passed(value)) for key, value in made.kwargs),
                               call.code)

    def site_values(self, function: FunctionFacts, defined_in: ModuleFacts,
                    caller: ModuleFacts, site: CallFacts) -> dict[str, Value]:
        """What the parameters of `function` (defined in `defined_in`) stand for in the call
        `site` (in `caller`): parameter_values of what it passes (site_arguments)."""
        _, _, arguments = self.site_arguments(caller, site, function)
        return self.parameter_values(function, defined_in, arguments, caller, site.scope,
                                     (site.order, site.arms))

    @staticmethod
    def parameter_values(function: FunctionFacts, defined_in: ModuleFacts,
                         arguments: dict[str, Value], caller: ModuleFacts, scope: str,
                         at: tuple[int, tuple[int, ...]]) -> dict[str, Value]:
        """What the parameters of `function` (defined in `defined_in`) stand for in a call
        passing `arguments` (by parameter name): each argument, read where the call is (in
        `caller`, at `scope`, position `at`), or the parameter's default, read where the
        function is defined."""
        values = {name: placed_at(default, defined_in, function.scope)
                  for name, default in function.defaults.items() if name not in arguments}
        values.update((name, placed_at(value, caller, scope, at))
                      for name, value in arguments.items())
        return values

    def maker_class(self, obj: FlaskObject) -> Symbol | None:
        """The class that made `obj` (a project subclass of Flask or Blueprint, or Flask's)."""
        if obj.maker is not None:
            return obj.maker
        return self.resolve(obj.module, obj.scope, obj.call.func) if obj.call.func else None

    def note_decorator_lists_set(self) -> None:
        """`api.decorators = [...]` after the Api (or Namespace) is made: recorded with the
        in-place changes (`api.decorators.append(...)`) the calls showed."""
        for module in list(self.modules.values()):
            for write in module.attribute_writes:
                changed = self.target_object(module, write.scope, write.owner) \
                    if write.attribute == "decorators" else None
                if changed is not None:
                    changed.decorator_changes.append(f"{module.file}:{write.line}")

    def namespace_maker(self, module: ModuleFacts, scope: str, call: CallExpr
                        ) -> FlaskObject | None:
        """The Flask-RESTX Api whose `namespace(...)` method `call` calls, if it is one."""
        owner, _, last = call.func.rpartition(".")
        if last != "namespace" or not owner:
            return None
        api = self.target_object(module, scope, owner)
        return api if api is not None and api.kind == "restx_api" else None

    def callee_classes(self, callee: Symbol | None) -> set[str]:
        """The qualified external classes a callee is or derives from."""
        if isinstance(callee, ExternalSym):
            return {callee.qualified}
        if isinstance(callee, ClassSym):
            return self.class_bases(callee)
        return set()

    @staticmethod
    def object_kind(names: frozenset[str] | set[str]) -> str | None:
        """What an object made by a class that is or derives from `names` is, for the scan."""
        if names & FLASK_APP_CLASSES:
            return "app"
        if names & BLUEPRINT_CLASSES:
            return "blueprint"
        if names & RESTFUL_API_CLASSES:
            return "restful_api"
        if names & RESTX_API_CLASSES:
            return "restx_api"
        if names & NAMESPACE_CLASSES:
            return "namespace"
        if names & SMOREST_API_CLASSES:
            return "smorest_api"
        return None

    def all_objects(self) -> list[FlaskObject]:
        for module in list(self.modules.values()):
            for binding in module.bindings:
                if binding.kind == "assign" and isinstance(binding.value, CallExpr):
                    self.flask_object(module, binding, binding.value)
        self.make_class_apps()
        objects = [o for o in self.objects.values() if o is not None]
        return objects + [o for o in self.class_apps.values()
                          if o is not None and all(o is not known for known in objects)]

    def note_resources_added_to_api_subclasses(self) -> None:
        """`self.add_resource(...)` in a method of a project subclass of Flask-RESTful's or
        Flask-RESTX's Api (AiiDA's `AiidaApi.__init__` adds every resource of its REST API so),
        or `self.add_namespace(...)`: the scan does not follow the objects made with the class
        into its methods, so the routes are not listed; said with the other rules added to an
        object the scan cannot name."""
        for module in list(self.modules.values()):
            for call in module.calls:
                owner, _, method = (call.expr.func or "").rpartition(".")
                if owner != "self" or method not in ("add_resource", "add_namespace") \
                        or not call.scope:
                    continue
                receiver = self.receiver(module, call.scope, "self")
                if receiver is not None and not receiver[1] and self.object_kind(
                        frozenset(self.class_bases(receiver[0]))) in (
                        "restful_api", "restx_api", "namespace"):
                    self.unresolved_rule_calls.setdefault((module.file, call.line),
                                                          call.expr.code)

    def make_class_apps(self) -> None:
        """A project subclass of Flask whose own methods add rules or blueprints to `self`
        (grip's `Grip.__init__`: `self.add_url_rule(...)`; knowledge-repo's `KnowledgeFlask`:
        `self.register_blueprint(...)`), made nowhere the scan names an object: the app is the
        class's instance, `self` in its methods (factory `KnowledgeFlask.__init__`). Where the
        project binds one object made with the class (`app = MyFlask(__name__)`), `self` is that
        object; where it binds several, `self` is not guessed."""
        made: dict[int, list[FlaskObject]] = {}
        for obj in list(self.objects.values()):
            if obj is not None and obj.kind == "app":
                callee = self.maker_class(obj)
                if isinstance(callee, ClassSym):
                    made.setdefault(id(callee.cls), []).append(obj)
        for module in list(self.modules.values()):
            for call in module.calls:
                owner, _, method = (call.expr.func or "").rpartition(".")
                if not call.scope or not (owner == "self" and method in REGISTERING_METHODS
                                          or self.hands_self_to_registration(module, call)):
                    continue
                receiver = self.receiver(module, call.scope, "self")
                if receiver is None or receiver[1] or id(receiver[0].cls) in self.class_apps:
                    continue
                klass = receiver[0]
                classes = frozenset(self.class_bases(klass))
                is_app = self.object_kind(classes) == "app"
                objects = made.get(id(klass.cls), [])
                app = None
                if is_app and len(objects) == 1:
                    app = objects[0]
                elif is_app and not objects:
                    qualname = ".".join(filter(None, (klass.cls.scope, klass.cls.name)))
                    app = FlaskObject("app", klass.module, f"{qualname}.__init__", "self",
                                      CallExpr(klass.cls.name, (), (), ""), klass.cls.line,
                                      classes=classes)
                self.class_apps[id(klass.cls)] = app
        # `self.wsgi_app = ProxyFix(self.wsgi_app)` in the class's `__init__`: `self` is the app
        # where the project makes exactly one with the class (mark_wsgi_middleware); no app is
        # made up for it, as a middleware class keeps its `self.wsgi_app` too
        for module in list(self.modules.values()):
            for write in module.wsgi_app_writes:
                receiver = self.receiver(module, write.scope, write.owner) \
                    if write.owner == "self" and write.scope else None
                if receiver is None or receiver[1] or id(receiver[0].cls) in self.class_apps:
                    continue
                objects = made.get(id(receiver[0].cls), [])
                if len(objects) == 1 and self.object_kind(
                        frozenset(self.class_bases(receiver[0]))) == "app":
                    self.class_apps[id(receiver[0].cls)] = objects[0]

    def hands_self_to_registration(self, module: ModuleFacts, call: CallFacts) -> bool:
        """`register_modules(self)` in a method: a project function given `self` that adds
        rules or blueprints to that parameter (lektor's `WebUI.__init__`: `register_modules(
        self)`, whose loop calls `app.register_blueprint(...)`)."""
        if not call.expr.func or call.expr.func == "<call>" or not any(
                isinstance(argument, Ref) and argument.dotted == "self"
                for argument in call.expr.args):
            return False
        callee = self.resolve(module, call.scope, call.expr.func)
        if not isinstance(callee, FuncSym):
            return False
        function = callee.function
        params = self.positional_parameters(module, call, function)
        given = {params[index] for index, argument in enumerate(call.expr.args[:len(params)])
                 if isinstance(argument, Ref) and argument.dotted == "self"}
        inside = function.qualname + "."
        for site in callee.module.calls:
            owner, _, method = (site.expr.func or "").rpartition(".")
            if owner in given and method in REGISTERING_METHODS and (
                    site.scope == function.qualname or site.scope.startswith(inside)):
                return True
        return False

    def object_at_call(self, module: ModuleFacts, call: CallFacts,
                       dotted: str) -> FlaskObject | None:
        """The app or blueprint `dotted` names where `call` is made: in a function, what the
        name holds there, whatever it is bound to later (`app.register_blueprint(bp)` registers
        the blueprint made above it on the app made above it; CKAN passes its app to helpers,
        then rebinds `app` to each plugin's middleware around it; dtale's `app =
        add_dash(app)`)."""
        return self.target_object(module, call.scope, dotted,
                                  before=call.order if call.scope else None)

    def target_object(self, module: ModuleFacts, scope: str, dotted: str,
                      before: int | None = None) -> FlaskObject | None:
        symbol = self.resolve(module, scope, dotted, before=before)
        if not scope and isinstance(symbol, ExternalSym) and symbol.qualified in CURRENT_APP:
            app = self.context_app(module)  # module-level code: the app being set up
            if app is not None:
                self.current_app_users.add(module.module)
            return app
        return symbol if isinstance(symbol, FlaskObject) else None

    def names_current_app(self, module: ModuleFacts, scope: str, dotted: str) -> bool:
        symbol = self.resolve(module, scope, dotted)
        return isinstance(symbol, ExternalSym) and symbol.qualified in CURRENT_APP

    def context_app(self, module: ModuleFacts) -> FlaskObject | None:
        """The app `current_app` is in `module`'s module-level code: the one whose context is
        pushed where the module is imported (`with app.app_context(): from . import routes` in
        the factory), or where a module imported so imports it at module level. Outside an app
        context such code raises RuntimeError, so every import site that runs first is one of
        these; they must all name one app."""
        if module.module in self.context_apps:
            return self.context_apps[module.module]
        self.context_apps[module.module] = None  # (an import cycle)
        found: list[FlaskObject] = []
        for importer in list(self.modules.values()):
            for site in importer.context_imports:
                if module.module in site.modules:
                    app = self.target_object(importer, site.scope, site.owner)
                    if app is None or app.kind != "app":
                        return None  # a context the scan cannot name
                    found.append(app)
            if importer is module:
                continue
            for binding in importer.bindings:
                ref = binding.value
                if binding.scope or binding.kind != "import" or not isinstance(ref, ImportRef):
                    continue
                if module.module in (ref.module, f"{ref.module}.{ref.name}"):
                    app = self.context_app(importer)
                    if app is not None:
                        found.append(app)
        apps = {id(app): app for app in found}
        result = next(iter(apps.values())) if len(apps) == 1 else None
        self.context_apps[module.module] = result
        return result

    # -- views ----------------------------------------------------------------------------
    def class_methods(self, cls: ClassSym, depth: int = 0) -> frozenset[str] | None:
        """`View.methods` as Flask computes it for this class (None: not set, so GET)."""
        key = (cls.module.module, cls.cls.name)
        if key in self.class_methods_memo:
            return self.class_methods_memo[key]
        self.class_methods_memo[key] = None
        result: frozenset[str] | None = None
        if "methods" in cls.cls.attributes:
            try:
                declared = self.evaluate(cls.module, cls.cls.scope, cls.cls.attributes["methods"])
                result = frozenset(str(m).upper() for m in declared)  # type: ignore[union-attr]
            except (Unresolved, TypeError):
                result = None
        else:
            methods: set[str] = set()
            is_method_view = False
            for base in cls.cls.bases:
                symbol = self.resolve(cls.module, cls.cls.scope, base)
                if isinstance(symbol, ClassSym) and depth < 20:
                    inherited = self.class_methods(symbol, depth + 1)
                    methods |= inherited or set()
                    if self.class_bases(symbol) & METHOD_VIEW_BASES:
                        is_method_view = True
                elif isinstance(symbol, ExternalSym) and symbol.qualified in METHOD_VIEW_BASES:
                    is_method_view = True
            if is_method_view:
                for name in self.class_method_names(cls):
                    if name in HTTP_METHOD_FUNCS:
                        methods.add(name.upper())
            result = frozenset(methods) if methods else None
        self.class_methods_memo[key] = result
        return result

    def class_method_names(self, cls: ClassSym, depth: int = 0) -> set[str]:
        names = set(cls.cls.methods)
        if depth < 20:
            for base in cls.cls.bases:
                symbol = self.resolve(cls.module, cls.cls.scope, base)
                if isinstance(symbol, ClassSym):
                    names |= self.class_method_names(symbol, depth + 1)
        return names

    def unwrap_view(self, module: ModuleFacts, scope: str, value: Value, env: dict[str, Value],
                    decorators: list[tuple[str, Symbol | None]], wrappers: list[Wrapper],
                    depth: int = 0, at: tuple[int, tuple[int, ...]] | None = None
                    ) -> tuple[Symbol | None, str | None, str]:
        """(view symbol, its __name__, kind) for a `view_func=` expression read at `at` (a
        call's order and arms in `scope`; None: after everything); the decorators it applies
        (`require_key(view)`, `roles("admin")(view)`) are added to `decorators` and `wrappers`,
        outermost first. Kind `conditional_view`: the name is bound differently on different
        paths to `at` (`view = login_required(index)`, then `if PUBLIC: view = index`)."""
        if isinstance(value, Ref) and "." not in value.dotted and at is not None \
                and value.dotted in env and depth <= 10:
            # a parameter the function binds again before the read (`view =
            # login_required(view)`): what that binding makes of the argument, not the argument
            reaching = self.reaching_bindings(module, scope, value.dotted, at)
            if reaching is not None and any(binding is not None for binding in reaching):
                function = module.function(scope)
                if function is None or value.dotted not in function.parameter_names:
                    return None, None, "function"  # a loop variable bound again: not read
                return self.unwrap_bindings(module, reaching, env, decorators, wrappers, depth,
                                            at)
        value = self.substitute(value, env)
        if depth > 10:
            return None, None, "function"
        if isinstance(value, Scoped):  # a parameter: the argument, where the call passes it
            return self.unwrap_view(self.modules[value.module], value.scope, value.value, {},
                                    decorators, wrappers, depth + 1, value.at)
        if isinstance(value, Ref) and "." not in value.dotted and at is not None:
            reaching = self.reaching_bindings(module, scope, value.dotted, at)
            # (none of them made: a parameter read before the function binds it again, as in
            # `view = login_required(view)`, which the name's own reading below gives)
            if reaching is not None and any(binding is not None for binding in reaching):
                return self.unwrap_bindings(module, reaching, env, decorators, wrappers, depth,
                                            at)
        if isinstance(value, CallExpr):
            got = self.getattr_call(module, scope, value) if len(value.args) == 2 else None
            if got is not None and isinstance(got[0], Ref) and got[1].isidentifier():
                # klaus's `view_func=getattr(views, endpoint)` over a table of names: the
                # attribute itself (a default, `getattr(views, name, None)`, is another value)
                return self.unwrap_view(module, scope, Ref(f"{got[0].dotted}.{got[1]}"), env,
                                        decorators, wrappers, depth + 1, at)
            if value.func.endswith(".as_view") and value.args:
                owner: Value = self.substitute(Ref(value.func.rsplit(".", 1)[0]), env)
                if isinstance(owner, Scoped) and isinstance(owner.value, Ref):
                    # `view.as_view(endpoint)` where `view` is a parameter: the class passed
                    cls = self.resolve(self.modules[owner.module], owner.scope,
                                       owner.value.dotted)
                else:
                    cls = self.resolve(module, scope, owner.dotted) \
                        if isinstance(owner, Ref) else None
                try:
                    name = str(self.evaluate(module, scope, value.args[0], env))
                except Unresolved:
                    name = None
                return cls, name, "method_view"
            if len(value.args) == 1 and value.func and value.func != "<call>":
                decorators.append((value.func, self.decorator_symbol(module, scope, value.func,
                                                                     called=False)))
                wrappers.append(Wrapper(value.func, self.importable(module, scope, value.func)))
                view, name, kind = self.unwrap_view(module, scope, value.args[0], env,
                                                    decorators, wrappers, depth + 1, at)
                # (`view_func=logged(view)`: named after what `logged` returns)
                return view, self.wrapped_name(module, scope, value.func, Ref(value.func), name,
                                               kind), kind
            factory = value.args[0] if value.func == "<call>" and value.args else None
            if isinstance(factory, CallExpr) and len(value.args) == 2 and not value.kwargs \
                    and factory.func and factory.func != "<call>":
                # `roles("admin")(view)`: the decorator a factory makes
                decorators.append((factory.func, self.decorator_symbol(module, scope,
                                                                       factory.func, called=True)))
                wrappers.append(self.factory_wrapper(module, scope, factory))
                view, name, kind = self.unwrap_view(module, scope, value.args[1], env,
                                                    decorators, wrappers, depth + 1, at)
                return view, self.wrapped_name(module, scope, factory.func, factory, name,
                                               kind), kind
            return None, None, "function"
        if isinstance(value, Ref):
            symbol = self.resolve(module, scope, value.dotted)
            if isinstance(symbol, FuncSym):
                return symbol, symbol.function.name, "function"
            if isinstance(symbol, ValueSym):
                return self.unwrap_view(symbol.module, symbol.scope, symbol.value,
                                        local_env(symbol, module, scope, env), decorators,
                                        wrappers, depth + 1)
            return symbol, None, "function"
        return None, None, "function"

    def reaching_bindings(self, module: ModuleFacts, scope: str, name: str,
                          at: tuple[int, tuple[int, ...]]) -> list[Binding | None] | None:
        """The bindings of `name` in `scope` that a read at `at` may see: the last one made on
        every path to it (its arms begin the read's), and those made after it on some paths only
        (in an arm of their own, or later in a loop around the read, for its next turn). A
        leading None stands for what an enclosing scope binds, when no binding here is made on
        every path. None if `scope` binds `name` nowhere (a parameter, an enclosing scope's)."""
        bindings = self.bindings_of(module, scope, name)
        if not bindings:
            return None
        order, arms = at
        reaching: list[Binding | None] = []
        made_on_every_path = False
        for binding in bindings:  # in source order
            if binding.order >= order:  # read again on the next turn of a loop around both
                # (a binding's own value is read before it is made: `view = wrap(view)`)
                shared = next((i for i, (a, b) in enumerate(zip(binding.arms, arms)) if a != b),
                              min(len(binding.arms), len(arms)))
                if any(arm < 0 for arm in arms[:shared]):
                    reaching.append(binding)
            elif arms[:len(binding.arms)] == binding.arms:
                reaching = [binding]  # made on every path: hides those before
                made_on_every_path = True
            else:
                reaching.append(binding)
        return reaching if made_on_every_path else [None, *reaching]

    def in_empty_loop(self, module: ModuleFacts, binding: Binding,
                      env: dict[str, Value]) -> bool:
        """Whether `binding` is made in the body of a `for` over what is known to be empty: an
        iterable written of literals and of parameters or loop variables that `env` gives a
        literal (`for decorator in decorators or []:` with `decorators=None`). A name of the
        module (`for d in EXTRA:` with `EXTRA = []`) may be a list filled at run time
        (`EXTRA.append(require_key)`): not known empty."""
        for arm in binding.arms:
            iterable = module.loop_iterables.get(arm) if arm < 0 else None
            if iterable is None or not self.literal_in(iterable, env):
                continue
            try:
                items = self.evaluate(module, binding.scope, self.substitute(iterable, env))
            except Unresolved:
                continue
            if isinstance(items, (list, tuple, str)) and not items:
                return True
        return False

    @staticmethod
    def literal_in(value: Value, env: dict[str, Value]) -> bool:
        """Whether `value` is made of literals written in it, and of names `env` gives a scalar
        literal (None, a bool, a number, a string)."""
        if isinstance(value, Lit):
            return True
        if isinstance(value, Seq):
            return all(Linker.literal_in(item, env) for item in value.items)
        if isinstance(value, Or):
            return all(Linker.literal_in(item, env) for item in value.values)
        if isinstance(value, Ref) and value.dotted in env:
            given = env[value.dotted]
            if isinstance(given, Scoped):
                given = given.value
            return isinstance(given, Lit)
        return False

    def unwrap_bindings(self, module: ModuleFacts, reaching: list[Binding | None],
                        env: dict[str, Value], decorators: list[tuple[str, Symbol | None]],
                        wrappers: list[Wrapper], depth: int,
                        at: tuple[int, tuple[int, ...]] | None = None
                        ) -> tuple[Symbol | None, str | None, str]:
        """`unwrap_view` of each binding a read (at `at`) may see, if they all give the same
        view with the same decorators; else kind `conditional_view` (which view Flask runs is
        decided at run time)."""
        # a binding in a loop over nothing is never made (`for decorator in decorators or []:
        # view = decorator(view)` where no decorators are given)
        reaching = [b for b in reaching if b is None or not self.in_empty_loop(module, b, env)]
        wrapping = self.wrapping_loop_items(module, reaching, env, at)
        if wrapping is not None:
            # over a list the scan knows, each item wraps what the name held before the loop
            loop_binding, items, where, where_scope = wrapping
            for item in reversed(items):  # the last item's wrapper is the outermost
                decorator, wrapper = self.listed_decorator(where, where_scope, item,
                                                           "a decorator of the loop")
                decorators.append(decorator)
                wrappers.append(wrapper)
            reaching = [b for b in reaching if b is not loop_binding]
        if None in reaching:
            first_binding = next(b for b in reaching if b is not None)
            scope = first_binding.scope
            function = module.function(scope) if scope else None
            if scope and (self.binding(module, scope.rpartition(".")[0], first_binding.name)
                          is not None or self.parameter_object(module, scope,
                                                               first_binding.name) is not None
                          or function is not None
                          and first_binding.name in function.parameter_names):
                # or what the enclosing scope binds, or the argument (`if SECURE: view =
                # login_required(view)`)
                return None, None, "conditional_view"
            # the module binds the name nowhere else: a path without a binding here fails
            # (`NameError`) before the rule is added (a `def` in both arms of a try)
            reaching = [b for b in reaching if b is not None]
        found: list[tuple[tuple[Symbol | None, str | None, str],
                          list[tuple[str, Symbol | None]], list[Wrapper]]] = []
        keys = []
        for binding in reaching:
            assert binding is not None
            binding_decorators: list[tuple[str, Symbol | None]] = []
            binding_wrappers: list[Wrapper] = []
            symbol = self.symbol_for(module, binding)
            if binding.kind == "assign" and isinstance(binding.value, (CallExpr, Ref)):
                # read as written, its names where it is made, with the read's loop variables
                # and parameters if the binding sees them (`symbol_for` reads the names as
                # bound last, and may take `step = require_key(step)` for require_key's closure)
                sees_env = bool(binding.scope) or any(arm < 0 for arm in binding.arms)
                view = self.unwrap_view(
                    module, binding.scope, binding.value, env if sees_env else {},
                    binding_decorators, binding_wrappers, depth + 1,
                    (binding.order, binding.arms))
                if view[0] is None and isinstance(binding.value, CallExpr) \
                        and isinstance(symbol, FuncSym):
                    # `view = make_view("hi")`: the function a project factory returns
                    binding_decorators.clear()
                    binding_wrappers.clear()
                    view = symbol, symbol.function.name, "function"
            elif isinstance(symbol, FuncSym):
                view = symbol, symbol.function.name, "function"
            else:
                view = symbol, None, "function"
            found.append((view, binding_decorators, binding_wrappers))
            # two `def`s of one name are two functions (`symbol_for` finds the last one)
            keys.append((binding.order if binding.kind in ("def", "class") else None,
                         self.view_key(view, binding_decorators, binding_wrappers)))
        first = found[0]
        if len(set(map(repr, keys))) > 1:
            # a `def` in each branch of a try: Flask's endpoint is their name all the same
            names = {view[1] for view, _, _ in found}
            return None, names.pop() if len(names) == 1 else None, "conditional_view"
        decorators.extend(first[1])
        wrappers.extend(first[2])
        return first[0]

    def wrapping_loop_items(self, module: ModuleFacts, reaching: list[Binding | None],
                            env: dict[str, Value], at: tuple[int, tuple[int, ...]] | None
                            ) -> tuple[Binding, tuple[Value, ...], ModuleFacts, str] | None:
        """`for decorator in decorators or []: view = decorator(view)` (scan/loops.py) made
        after every other binding the read sees, and before the read, outside the loop: the
        loop's binding, and the items of the list it goes over, written as a list display (in
        the function, or by the call that passes it); their module and scope. None otherwise:
        a list kept in a module-level name may be changed where the scan does not look."""
        made = [b for b in reaching if b is not None]
        if at is None or len(made) < 2:
            return None
        last = max(made, key=lambda b: b.order)
        arm = last.arms[-1] if last.arms else 0
        shape = module.wrapping_loops.get(arm)
        if shape is None or shape[1] != last.name or last.order >= at[0] or arm in at[1] \
                or any(arm in b.arms for b in made if b is not last):
            return None
        listed = self.listed_items(module, last.scope, module.loop_iterables[arm], env)
        return (last, *listed) if listed is not None else None

    def listed_items(self, module: ModuleFacts, scope: str, value: Value, env: dict[str, Value]
                     ) -> tuple[tuple[Value, ...], ModuleFacts, str] | None:
        """The items of a list display `value` stands for (`decorators or []` with the list
        the call passes), with the module and scope they are written in."""
        value = self.substitute(value, env)
        if isinstance(value, Scoped):
            return self.listed_items(self.modules[value.module], value.scope, value.value, {})
        if isinstance(value, Or):  # the first true value, else the last
            for option in value.values:
                option = self.substitute(option, env)
                if isinstance(option, Lit) and not option.value:
                    continue
                found = self.listed_items(module, scope, option, env)
                if found is None or found[0]:
                    return found
            return (), module, scope
        if isinstance(value, Seq):
            return value.items, module, scope
        return None

    def listed_decorator(self, module: ModuleFacts, scope: str, item: Value, label: str
                         ) -> tuple[tuple[str, Symbol | DecoratorClassSym | None], Wrapper]:
        """An item of a list of decorators (`[require_key, roles("admin")]`), written in
        `module` at `scope`: the decorator as a route lists it, and the wrapper a converted view
        is written with; an item the scan cannot read is a decorator of unknown effect."""
        if isinstance(item, Ref):
            return ((item.dotted, self.decorator_symbol(module, scope, item.dotted, called=False)),
                    Wrapper(item.dotted, self.importable(module, scope, item.dotted)))
        if isinstance(item, CallExpr) and item.func and item.func != "<call>":
            return ((item.func, self.decorator_symbol(module, scope, item.func, called=True)),
                    self.factory_wrapper(module, scope, item))
        return (f"<{label}>", None), Wrapper(f"<{label}>", None)

    def view_key(self, view: tuple[Symbol | None, str | None, str],
                 decorators: list[tuple[str, Symbol | None]], wrappers: list[Wrapper]) -> object:
        """What tells two readings of a view apart: the view, its name and kind, and what wraps
        it."""
        symbol, name, kind = view
        return (self.qualified(symbol) or repr(symbol), name, kind,
                [(code, self.qualified(decorator) or repr(decorator))
                 for code, decorator in decorators],
                [(wrapper.code, wrapper.imports) for wrapper in wrappers])

    def importable(self, module: ModuleFacts, scope: str, dotted: str) -> str | None:
        """What the first name of `dotted` is, as a router would import it: the target of a
        module-level import, or the module's own top-level binding; None for a name bound
        inside a function, conditionally, or not at all."""
        head = dotted.split(".")[0]
        binding = self.binding(module, scope, head)
        if binding is None or binding.scope or binding.conditional:
            return None
        if binding.kind == "import":
            ref = binding.value
            assert isinstance(ref, ImportRef)
            return ref.module if ref.name is None else f"{ref.module}.{ref.name}"
        return f"{module.module}.{head}"

    def factory_wrapper(self, module: ModuleFacts, scope: str, factory: CallExpr) -> Wrapper:
        """`roles("admin")` applied where a rule is added: written again only with literal
        arguments (a name could mean something else where the router imports it)."""
        values = [*factory.args, *(value for _, value in factory.kwargs)]
        if not all(isinstance(value, Lit) for value in values):
            return Wrapper(call_text(factory), None)
        arguments = [_literal_code(value.value) for value in factory.args
                     if isinstance(value, Lit)]
        arguments += [f"{key}={_literal_code(value.value)}" for key, value in factory.kwargs
                      if isinstance(value, Lit)]
        return Wrapper(f"{factory.func}({', '.join(arguments)})",
                       self.importable(module, scope, factory.func))

    # -- collecting declarations ----------------------------------------------------------
    def collect(self) -> None:
        for module in list(self.modules.values()):
            for function in module.functions:
                self.collect_function(module, function)
            for cls in module.classes:
                self.collect_class(module, cls)
            for call in module.calls:
                if self.collect_registering_call(module, call):
                    continue
                helper = self.rule_helper(module, call)
                if helper is not None:
                    self.collect_helper_call(module, call, *helper)
                    continue
                sites = self.rule_function_calls.get((module.module, call.scope)) \
                    if id(call) in self.parameter_rule_calls else None
                if sites:
                    function = module.function(call.scope)
                    assert function is not None  # parameter_rule_calls are calls in one
                    self.collect_helper_call(module, call, function, None, sites)
                    continue
                for env in self.loop_environments(module, call):
                    self.collect_call(module, call, env)

    def rule_helper(self, module: ModuleFacts, call: CallFacts
                    ) -> tuple[FunctionFacts, str, dict[tuple[str, int],
                                                        tuple[ModuleFacts, CallFacts]]] | None:
        """The project function whose parameter `call` adds a rule to or registers a blueprint
        on (`bp_or_app.add_url_rule(route, view_func=view_func)` in `register_view(bp_or_app,
        routes, view_func)`; `api.add_resource(Rules, api_base + "/rule")` in vantage6's
        `setup(api, api_base)`), that parameter, and the calls that pass the function an app or
        blueprint; None otherwise."""
        owner, last = rule_call_target(call.expr)
        if not owner or "." in owner or not (
                last in ("add_url_rule", "register_blueprint", "add_resource")
                or last in ROUTE_VERBS):
            return None
        scope = call.scope
        while scope:
            function = module.function(scope)
            if function is not None and owner in function.params:
                calls = self.helper_calls.get((module.module, function.qualname))
                return (function, owner, calls) if calls else None
            scope = scope.rpartition(".")[0]
        return None

    def collect_helper_call(self, module: ModuleFacts, call: CallFacts, function: FunctionFacts,
                            owner: str | None,
                            calls: dict[tuple[str, int], tuple[ModuleFacts, CallFacts]]
                            ) -> None:
        """Collect `call`, in the body of `function`, once per call of `function` that passes
        an app or blueprint for `owner` (the parameter `call` adds rules to; None: the object is
        not a parameter, and every call counts): the parameters stand for that call's arguments
        (read where the call is), or their defaults (read where the function is defined)."""
        rebound = self.rebound_before(module, function, call.line)
        for caller, site in calls.values():
            params, starred, arguments = self.site_arguments(caller, site, function)
            env = self.parameter_values(function, module, arguments, caller, site.scope,
                                        (site.order, site.arms))
            # a parameter the body assigns before the call (CloudKitty's `do_init`: `if not
            # prefix.startswith("/"): prefix = "/" + prefix`) may no longer be the argument: a
            # literal passed for it is not read there (what names an object is still followed)
            env = {name: value for name, value in env.items()
                   if name not in rebound or isinstance(value, Scoped)}
            objects: dict[tuple[str, str, str], FlaskObject] = {}
            for name, value in arguments.items():
                obj = self.object_at_call(caller, site, value.dotted) \
                    if isinstance(value, Ref) else None
                if obj is not None:
                    objects[(module.module, function.qualname, name)] = obj
            if owner is not None and (module.module, function.qualname, owner) not in objects:
                continue  # this call passes the app or blueprint for another parameter
            # what the call gives the function's `*args` / `**kwargs`, which it passes on
            # (`bp.add_url_rule(route, view_func=view_func, *args, **kwargs)`): nothing, or these
            passed_on: dict[str, dict[str, Value] | None] = {}
            if function.star_args:
                passed_on[function.star_args] = None if starred or \
                    len(site.expr.args) > len(params) else {}
            if function.star_kwargs:
                passed_on[function.star_kwargs] = keywords_passed_on(caller, site, params)
            targets = {id(obj): obj for obj in objects.values()}.values()
            before = {id(obj): (len(obj.declarations), len(obj.children)) for obj in targets}
            saved, self.call_objects = self.call_objects, objects
            try:
                for loop_env in self.loop_environments(module, call, env):
                    self.collect_call(module, call, loop_env)
            finally:
                self.call_objects = saved
            for obj in targets:
                declarations, children = before[id(obj)]
                for options in [*(decl.options for decl in obj.declarations[declarations:]),
                                *(child[1] for child in obj.children[children:])]:
                    for star in ("*", "**"):
                        value = options.get(star)
                        given = passed_on.get(value.code) if isinstance(value, Unknown) else None
                        if given is not None:
                            spread_into(options, star, given)

    def name_after_decorators(self, module: ModuleFacts, function: FunctionFacts,
                              decorators: list[DecoratorFacts], route: str,
                              endpoint_given: bool, wrapped: tuple[str, str] | None = None
                              ) -> str:
        """The `__name__` of what `decorators` (those below the route decorator `route`) make
        of `function`: Flask names the endpoint after it when the rule gives none. A project
        decorator without `functools.wraps` returns its own wrapper (`def wrapper(*args,
        **kwargs)`: the endpoint is `wrapper`), or one it names (beets' `responder.__name__ =
        f"get_{name}"`). Where the scan cannot tell, the function's name, and a diagnostic.
        `wrapped`: for a registering decorator's wrapper, the parameter holding the view and the
        view's name, which `@functools.wraps(func)` gives the wrapper."""
        name = function.name
        for decorator in reversed(decorators):  # the innermost first
            expr = decorator.expr
            dotted = expr.func if isinstance(expr, CallExpr) else getattr(expr, "dotted", "")
            if wrapped is not None and isinstance(expr, CallExpr) \
                    and expr.args == (Ref(wrapped[0]),) and self.qualified(
                        self.resolve(module, function.scope, dotted)) == "functools.wraps":
                name = wrapped[1]
                continue
            named = self.name_through(module, function.scope, dotted, expr, name) \
                if dotted else name
            if named is None:
                if not endpoint_given:
                    self.diagnostic(
                        "scan.unknown_endpoint",
                        f"@{dotted} on `{function.name}` returns a function whose name the scan "
                        f"cannot read, and Flask names the endpoint of @{route}(...) after it; "
                        f"listed as `{function.name}`", module.file, decorator.line)
                return function.name
            name = named
        return name

    def name_through(self, module: ModuleFacts, scope: str, dotted: str, expr: Value,
                     name: str) -> str | None:
        """The `__name__` of what the decorator `dotted`, written as `expr` in `scope`, makes of
        a view named `name`: a third-party decorator keeps it (functools.wraps); None where the
        scan cannot tell."""
        symbol = self.resolve_decorator(module, scope, dotted)
        if isinstance(symbol, ClassSym) and isinstance(expr, CallExpr):
            # `@requires("admin")`: the instance's `__call__(self, view)` is the decorator
            call = self.own_call_method(symbol)
            symbol = FuncSym(symbol.module, call) if call is not None else None
            expr = Ref(dotted)
        if not isinstance(symbol, FuncSym):
            return name
        return self.decorated_name(symbol, expr, module, scope, name)

    def wrapped_name(self, module: ModuleFacts, scope: str, dotted: str, expr: Value,
                     name: str | None, kind: str) -> str | None:
        """`name_through` for a view wrapped where its rule is added: the view's name where the
        scan cannot tell (no line to say so at; the rule's own endpoint usually names it)."""
        if name is None or kind != "function":
            return name
        return self.name_through(module, scope, dotted, expr, name) or name

    def decorated_name(self, decorator: FuncSym, expr: Value, module: ModuleFacts, scope: str,
                       name: str) -> str | None:
        """The `__name__` of what the project decorator `decorator`, written as `expr` (called:
        a factory), returns for a view named `name`; None if the scan cannot tell."""
        function, defined_in = decorator.function, decorator.module
        made_in = defined_in  # the module of the function that makes the wrapper
        factory: FunctionFacts | None = None  # called: the function `expr` calls
        if isinstance(expr, CallExpr):  # the factory returns the decorator
            made = self.returned_function(defined_in, function)
            instance = self.decorator_instance_returned(defined_in, function) \
                if made is None else None
            if instance is not None:  # `return IdentityContext(self, http_exception)`
                made = self.own_call_method(instance.cls)
            if made is None:
                return None
            factory, function = function, made
            if instance is not None:
                made_in = instance.cls.module
        if function.uses_wraps or any(called.rsplit(".", 1)[-1] == "update_wrapper"
                                      for called in function.calls):
            return name  # (or the view itself, or the `decorator` package's wrapper)
        wrapper = self.returned_function(made_in, function)
        if wrapper is None:
            return None
        written = function.name_writes.get(wrapper.name)
        if written is None:
            return wrapper.name
        env: dict[str, Value] = {}
        if factory is not None:  # the name may read the factory's arguments
            if any(key.startswith("*") for key, _ in expr.kwargs) \
                    or len(expr.args) > len(passed_parameters(factory)):
                return None
            arguments = dict(zip(passed_parameters(factory), expr.args, strict=False))
            arguments.update(expr.kwargs)
            env = self.parameter_values(factory, defined_in, arguments, module, scope,
                                        (0, ()))
        view = next(iter(passed_parameters(function)), None)
        if view is not None:  # `f"{prefix}_{view.__name__}"`: the name it was given
            written = with_value(written, Ref(f"{view}.__name__"), Lit(name))
        try:
            value = self.evaluate(made_in, function.qualname, written, env)
        except Unresolved:
            return None
        return value if isinstance(value, str) else None

    @staticmethod
    def own_call_method(klass: ClassSym) -> FunctionFacts | None:
        """The `__call__` `klass` defines itself."""
        return next((f for f in klass.module.functions
                     if f.qualname == f"{klass.cls.name}.__call__"
                     and f.scope == klass.cls.scope), None)

    def returned_function(self, module: ModuleFacts, function: FunctionFacts
                          ) -> FunctionFacts | None:
        """The function defined in `function` that each of its `return`s returns, if so (not
        where one returns anything else: the view itself, `if DEBUG: return view`)."""
        return the_one_closure(self.closures_returned(module, function))

    def view_decorators(self, module: ModuleFacts, scope: str,
                        decorators: list[DecoratorFacts]) -> list[tuple[str, Symbol | None]]:
        found = []
        for decorator in decorators:
            expr = decorator.expr
            dotted = expr.func if isinstance(expr, CallExpr) else getattr(expr, "dotted", "")
            if not dotted:
                continue
            last = dotted.rsplit(".", 1)[-1]
            owner = dotted.rsplit(".", 1)[0] if "." in dotted else None
            if owner and (last in ROUTE_VERBS or last in HOOK_DECORATORS) and \
                    self.target_object(module, scope, owner) is not None:
                continue
            symbol = self.decorator_symbol(module, scope, dotted,
                                           called=isinstance(expr, CallExpr))
            if isinstance(symbol, ExternalSym) and symbol.qualified in KEPT_UNLESS_ARGUMENT \
                    and isinstance(expr, CallExpr):
                keyword, position = KEPT_UNLESS_ARGUMENT[symbol.qualified]
                given = expr.kwarg(keyword) if len(expr.args) <= position \
                    else expr.args[position]
                if any(key.startswith("*") for key, _ in expr.kwargs) or not (
                        given is None or given in (Lit(False), Lit(None))):
                    # an effect the view cannot keep: a name no rule knows, so it stays on Flask
                    symbol = ExternalSym(f"{symbol.qualified}(..., {keyword}=...)")
            found.append((dotted, symbol))
        return found

    def decorator_symbol(self, module: ModuleFacts, scope: str, dotted: str, called: bool
                         ) -> Symbol | DecoratorClassSym | None:
        """What a decorator names (`require_key(view)`: `called` False; `roles("admin")(view)`:
        True); `csrf.exempt` where `csrf = CSRFProtect()`: the third-party class's method."""
        symbol = self.resolve_decorator(module, scope, dotted)
        if isinstance(symbol, ValueSym) and isinstance(symbol.value, CallExpr) \
                and symbol.value.func:
            made = self.instance_class(symbol, 0)
            named = self.binding_holding(symbol)
            if made is not None and named is not None and not named.scope:
                return DecoratorClassSym(made, True, f"{symbol.module.module}.{named.name}",
                                         factory=called)
        return DecoratorClassSym(symbol, called) if isinstance(symbol, ClassSym) else symbol

    def resolve_decorator(self, module: ModuleFacts, scope: str, dotted: str) -> Symbol | None:
        """What a decorator's name resolves to; for a name no binding resolves, the method of
        the third-party class whose instance it is an attribute of (`csrf.exempt` where `csrf =
        CSRFProtect()`, `allows.requires` where `allows = Allows()`), also where that instance
        is an attribute of the app (`app_attribute_member`)."""
        symbol = self.resolve(module, scope, dotted)
        if symbol is None and "." in dotted:
            symbol = self.instance_method(module, scope, *dotted.rsplit(".", 1))
        if isinstance(symbol, ValueSym) and isinstance(symbol.value, Ref) \
                and id(symbol.value) not in self._aliases_followed:
            # `csrf_exempt = csrf.exempt`, then `@csrf_exempt` (pyLoad): what the alias names,
            # where it is bound once (`if DEBUG: exempt = ... else: ...` is known at run time)
            try:
                self.require_unconditional(symbol, dotted)
            except Unresolved:
                return symbol
            self._aliases_followed.add(id(symbol.value))
            try:
                return self.resolve_decorator(symbol.module, symbol.scope, symbol.value.dotted)
            finally:
                self._aliases_followed.discard(id(symbol.value))
        if dotted.count(".") >= 2 and (symbol is None or isinstance(symbol, ExternalSym) and any(
                symbol.qualified.startswith(f"{name}.") for name in CURRENT_APP)):
            return self.app_attribute_member(module, scope, dotted) or symbol
        return symbol

    def app_attribute_member(self, module: ModuleFacts, scope: str, dotted: str
                             ) -> Symbol | None:
        """`@app.csrf.exempt`, where `app` is the app (or `flask.current_app` in module-level
        code run in its context: Specter Desktop's views, imported in its factory's
        `app.app_context()`) and the project sets that attribute of the app once, to a name or
        a third-party object (`app.csrf = csrf` after `csrf = CSRFProtect()`): what the rest
        names there (`csrf.exempt`). None where the attribute is set otherwise, more than once,
        or on an object the scan cannot name (which may be the app)."""
        owner, attribute, *rest = dotted.split(".")
        app = self.target_object(module, scope, owner)
        if app is None or app.kind != "app":
            return None
        key = (id(app), attribute)
        if key not in self._app_attributes:
            self._app_attributes[key] = self.app_attribute_value(app, attribute)
        found = self._app_attributes[key]
        if found is None:
            return None
        where, write_scope, (kind, value) = found
        if kind == "name":
            return self.resolve_decorator(where, write_scope, ".".join([value, *rest]))
        made = self.resolve(where, write_scope, value)  # the class of `CSRFProtect(app)`
        return ExternalSym(f"{made.qualified}.{rest[0]}") \
            if isinstance(made, ExternalSym) and len(rest) == 1 else None

    def app_attribute_value(self, app: FlaskObject, attribute: str
                            ) -> tuple[ModuleFacts, str, tuple[str, str]] | None:
        """Where the project sets `attribute` of `app`, and to what (`attribute_assignments`: a
        dotted name, or a call of one); None unless it does so once, in a file outside tests,
        and every other object whose attribute of that name it sets is one the scan names."""
        found = None
        for module_name, tree in self.project_trees(f".{attribute}"):
            where = self.module(module_name)
            if where is None:
                continue
            for write_scope, owner, value in attribute_assignments(tree, attribute):
                if owner is None:
                    return None
                target = self.target_object(where, write_scope, owner)
                receiver = self.receiver(where, write_scope, owner) if "." not in owner \
                    else None
                if target is None and receiver is not None and self.object_kind(
                        self.class_bases(receiver[0])) != "app":
                    continue  # `self.csrf = ...` in a class that is no Flask app
                if target is None and self.resolve(where, write_scope, owner) is None:
                    return None  # it may be the app
                if target is not app:
                    continue
                if found is not None or value is None:
                    return None
                found = (where, write_scope, value)
        return found

    def instance_method(self, module: ModuleFacts, scope: str, owner: str, name: str
                        ) -> ExternalSym | OwnMethodSym | None:
        """`auth.login_required` where `auth = HTTPBasicAuth()`: the method of a third-party
        class, named `flask_httpauth.HTTPBasicAuth.login_required` (also of an app or blueprint
        of a framework's class: `bp.input` of APIFlask's `APIBlueprint`)."""
        instance = self.resolve(module, scope, owner)
        made = instance.value if isinstance(instance, ValueSym) else \
            instance.call if isinstance(instance, FlaskObject) else None
        if isinstance(instance, ValueSym) and not isinstance(made, CallExpr):
            made = self.instance_unless_none(instance)
        if isinstance(made, CallExpr) and made.func:
            cls = self.resolve(instance.module, instance.scope, made.func)  # type: ignore[union-attr]
            if isinstance(cls, ExternalSym):
                return ExternalSym(f"{cls.qualified}.{name}")
            if isinstance(cls, ClassSym):
                return self.inherited_outside_method(cls, name) or self.own_method(cls, name)
            if isinstance(instance, FlaskObject) and instance.kind == "namespace" and \
                    self.namespace_maker(instance.module, instance.scope, made) is not None:
                return ExternalSym(f"flask_restx.Namespace.{name}")  # `api.namespace(...)`'s
        return None

    def inherited_outside_method(self, cls: ClassSym, name: str) -> ExternalSym | None:
        """`api.doc` where `api = UDataApi(...)` and `class UDataApi(flask_restx.Api)`: the
        method of the one class from outside the project the class derives from
        (`flask_restx.Api.doc`), where no project class of its chain defines or binds `name` (or
        a `__getattr__`). None otherwise: the project's own method (`marshal_with` overridden to
        add an envelope), which the scan does not read through an instance."""
        if any(attribute in klass.cls.methods or attribute in klass.cls.attributes
               for klass in self.class_chain(cls) for attribute in (name, "__getattr__")):
            return None
        outside = self.class_bases(cls)
        return ExternalSym(f"{outside.pop()}.{name}") if len(outside) == 1 else None

    def own_method(self, cls: ClassSym, name: str) -> OwnMethodSym | None:
        """The method `name` the first project class of `cls`'s chain defines, named so that a
        report can say whose it is; None where none does (a `__getattr__`, an attribute)."""
        for klass in self.class_chain(cls):
            if name in klass.cls.methods:
                return OwnMethodSym(klass, name)
            if name in klass.cls.attributes or "__getattr__" in klass.cls.methods:
                return None
        return None

    @staticmethod
    def binding_holding(symbol: ValueSym) -> Binding | None:
        """The binding whose value `symbol` is (`limiter` of `limiter = Limiter(...)`)."""
        return next((binding for binding in symbol.module.bindings
                     if binding.value is symbol.value), None)

    def instance_unless_none(self, instance: ValueSym) -> CallExpr | None:
        """`limiter = Limiter(...)` in one branch and `limiter = None` in the other (calibre-web,
        where flask-limiter is optional): what `limiter` names when it is `None`. A decorator
        `@limiter.limit(...)` is applied when its module is imported, which fails where `limiter`
        is `None`: wherever the app runs, it is the instance. The call that makes it, if every
        other binding of the name is `None` and every call makes the same class; else None."""
        value = instance.value
        if not (isinstance(value, Lit) and value.value is None):
            return None
        named = self.binding_holding(instance)
        if named is None or not named.conditional:
            return None
        calls: list[CallExpr] = []
        for binding in self.bindings_of(instance.module, instance.scope, named.name):
            if isinstance(binding.value, Lit) and binding.value.value is None:
                continue
            if binding.kind != "assign" or not isinstance(binding.value, CallExpr) \
                    or not binding.value.func:
                return None
            calls.append(binding.value)
        classes = {self.qualified(self.resolve(instance.module, instance.scope, call.func))
                   for call in calls}
        return calls[0] if calls and len(classes) == 1 and None not in classes else None

    def method_alias(self, module: ModuleFacts, scope: str, name: str) -> str | None:
        """`app.route` for `route` after `route = app.route` (bound once, unconditionally, in
        the scope or the module): a decorator named by an alias of an app's or blueprint's
        method."""
        binding = self.binding(module, scope, name) if name else None
        if binding is None or binding.kind != "assign" or binding.conditional \
                or not isinstance(binding.value, Ref) or "." not in binding.value.dotted \
                or len(self.bindings_of(module, binding.scope, name)) != 1:
            return None
        return binding.value.dotted

    def collect_function(self, module: ModuleFacts, function: FunctionFacts) -> None:
        for index, decorator in enumerate(function.decorators):
            expr = decorator.expr
            dotted = expr.func if isinstance(expr, CallExpr) else getattr(expr, "dotted", "")
            if "." not in dotted:
                dotted = self.method_alias(module, function.scope, dotted) or dotted
            if "." not in dotted:
                continue
            owner, _, last = dotted.rpartition(".")
            if last not in ROUTE_VERBS and last not in HOOK_DECORATORS and last != "command":
                continue  # not a route or hook decorator: no need to resolve its owner
            if owner.endswith(".cli") and last == "command":
                target = self.target_object(module, function.scope, owner[: -len(".cli")])
                if target is not None and target.kind == "app":
                    name = function.name.replace("_", "-")
                    if isinstance(expr, CallExpr) and expr.args:
                        try:
                            name = str(self.evaluate(module, function.scope, expr.args[0]))
                        except Unresolved:
                            pass
                    self.add_hook(target, AppHook("cli_command", name, function.name,
                                                  module.file, decorator.line))
                continue
            # (in a function: the object the name holds where the `def` runs its decorators)
            target = self.target_object(module, function.scope, owner,
                                        before=function.order if function.scope else None)
            if target is None:
                if last in ROUTE_VERBS and not function.scope and \
                        self.names_current_app(module, function.scope, owner):
                    self.diagnostic(
                        "scan.unresolved_app",
                        f"cannot tell which app `{owner}` (flask.current_app) is when "
                        f"{module.module} is imported: no `with app.app_context():` the scan "
                        "can follow imports it; the route is not listed", module.file,
                        decorator.line)
                elif last in ROUTE_VERBS and self.held_by_unfollowed_object(
                        module, function, owner, expr):
                    self.diagnostic(
                        "scan.unresolved_app",
                        f"cannot tell which app or blueprint `@{owner}.{last}(...)` adds a rule "
                        f"to (`{owner}`, an attribute of an object or parameter in "
                        f"{function.scope}(), the scan does not follow): the route is not "
                        "listed, and stays on Flask", module.file, decorator.line)
                continue
            if last in ROUTE_VERBS and isinstance(expr, CallExpr) and target.kind in (
                    "app", "blueprint"):
                below = function.decorators[index + 1:]
                if self.collect_registering_decorator(module, function, target, expr, last,
                                                      below):
                    continue
                for env in self.enclosing_call_environments(module, function, decorator):
                    wraps = self.wraps_passed_function(module, function.scope, below, env)
                    metadata = wraps.decorator if wraps is not None and wraps.copied else None
                    target.declarations.append(RouteDecl(
                        module=module, scope=function.scope,
                        rule=expr.args[0] if expr.args else expr.kwarg("rule") or Unknown("?"),
                        verb=last, options={key: self.substitute(value, env)
                                            for key, value in expr.kwargs},
                        view=FuncSym(module, function),
                        view_name=self.name_after_decorators(
                            module, function, below, dotted, "endpoint" in dict(expr.kwargs),
                            (wraps.parameter, wraps.name) if wraps is not None else None),
                        kind="function",
                        line=decorator.line,
                        # Flask registers what the decorators below the route decorator made of
                        # the function; one above it wraps the module's name only, never this
                        # rule. `@wraps(func)` copying a plain function's metadata changes
                        # nothing Flask or the view does (`view_wraps`).
                        decorators=self.view_decorators(
                            module, function.scope, [d for d in below if d is not metadata]),
                        env=env,
                        view_wraps=self.qualified(wraps.copied) if wraps is not None else None))
                self.note_decorators_above(module, function, index, dotted)
            elif last in HOOK_DECORATORS:
                argument = None
                if isinstance(expr, CallExpr) and expr.args:
                    argument = self.describe(module, function.scope, expr.args[0])
                self.add_hook(target, AppHook(HOOK_DECORATORS[last], argument, function.name,
                                              module.file, decorator.line))

    @staticmethod
    def held_by_unfollowed_object(module: ModuleFacts, function: FunctionFacts, owner: str,
                                  expr: Value) -> bool:
        """Whether a route-shaped decorator (`@self.web.app.route("/b")`, a rule written as a
        path) on a function defined in a function names its owner as an attribute of the
        enclosing function's `self` or of a parameter (onionshare's mode classes, given the
        `Web` object that holds the app): an object made at run time, which the scan does not
        follow. (An app passed as the parameter itself is followed from the calls that pass
        one; a function nothing calls adds no rule.)"""
        if not function.scope or "." not in owner or not isinstance(expr, CallExpr) \
                or not expr.args:
            return False
        rule = expr.args[0]
        if not (isinstance(rule, Lit) and isinstance(rule.value, str)
                and rule.value.startswith("/")):
            return False
        enclosing = module.function(function.scope)
        root = owner.split(".")[0]
        return enclosing is not None and (root == "self" or root in enclosing.params)

    def wraps_passed_function(self, module: ModuleFacts, scope: str,
                              decorators: list[DecoratorFacts], env: dict[str, Value]
                              ) -> WrapsUse | None:
        """`@wraps(func)` among `decorators` (on a view defined in a function), where the call of
        that function that `env` stands for passes a project function or class for `func`
        (fava's `api_endpoint(get_changed)`), with the name it gives the view (which names its
        endpoint), and the function passed where it is one no decorator wraps (then
        `functools.wraps` only copies its metadata onto the view: the view's `__name__`,
        `__doc__`, `__wrapped__`; its `__dict__` is empty). None otherwise."""
        for decorator in decorators:
            expr = decorator.expr
            if not isinstance(expr, CallExpr) or len(expr.args) != 1 or expr.kwargs \
                    or not isinstance(expr.args[0], Ref) or expr.args[0].dotted not in env \
                    or self.qualified(self.resolve(module, scope, expr.func)) != "functools.wraps":
                continue
            passed = self.named_symbol(module, scope, expr.args[0], env)
            name = symbol_name(passed)
            if name is not None:
                return WrapsUse(decorator, expr.args[0].dotted, name, passed if isinstance(
                    passed, FuncSym) and self.undecorated(passed, module.function(scope))
                    else None)
        return None

    def undecorated(self, function: FuncSym, enclosing: FunctionFacts | None) -> bool:
        """Whether `function` is passed as its `def` made it: a module-level function with no
        decorator, or none but bare uses of `enclosing` (`@api_endpoint` on `def get_changed`,
        whose call passes the function before its decorators run)."""
        if function.function.in_class is not None or function.function.scope:
            return False
        return all(isinstance(decorator.expr, Ref) and isinstance(
            used := self.resolve(function.module, "", decorator.expr.dotted), FuncSym)
            and used.function is enclosing for decorator in function.function.decorators)

    def enclosing_call_environments(self, module: ModuleFacts, function: FunctionFacts,
                                    decorator: DecoratorFacts) -> list[dict[str, Value]]:
        """What the parameters of the function `function` is defined in stand for, once per
        call of it, where `decorator` (a route decorator on `function`) makes its rule from
        them (`parameter_route_decorators`); one empty environment otherwise, or where no call
        is found (the rule is then read as written)."""
        sites = self.rule_function_calls.get((module.module, function.scope)) \
            if id(decorator) in self.parameter_route_decorators else None
        enclosing = module.function(function.scope)
        if not sites or enclosing is None:
            return [{}]
        return [self.site_values(enclosing, module, caller, site)
                for caller, site in sites.values()]

    def note_decorators_above(self, module: ModuleFacts, function: FunctionFacts, index: int,
                              route: str) -> None:
        """`scan.decorator_above_route` for each decorator above the one at `index` (`@route`,
        which adds the rule) on `function`: Flask registers the view before they apply."""
        line = function.decorators[index].line
        for above, symbol in self.view_decorators(module, function.scope,
                                                  function.decorators[:index]):
            if isinstance(symbol, ExternalSym) and symbol.qualified in NAME_MARKING_DECORATORS:
                continue  # `@csrf.exempt` records the name: it works in either place
            self.diagnostic(
                "scan.decorator_above_route",
                f"@{above} is above @{route}(...) on `{function.name}`: Flask registers the "
                "view before it is applied, so requests for this rule do not go through it "
                "(convert keeps it that way)", module.file, line)

    def registering_factory(self, module: ModuleFacts, scope: str
                            ) -> tuple[FunctionFacts, FunctionFacts] | None:
        """`(api, outer)` where `scope` is the function `outer(func)`, which the module-level
        function `api(...)` returns: a decorator factory whose decorator adds a rule for the view
        it is given (`app.add_url_rule(rule, view_func=func, **options)`, Flask's own `route`
        kept as a project's) or for its own wrapper of it (ironic-inspector's `def api(path,
        **flask_kwargs): def outer(func): @_app.route(path, **flask_kwargs) ... def
        wrapper(*args, **kwargs)`); None otherwise."""
        outer = module.function(scope) if scope else None
        if outer is None or len(outer.params) != 1 or not outer.scope:
            return None
        factory = module.function(outer.scope)
        if factory is None or factory.scope or factory.in_class is not None \
                or self.returned_function(module, factory) is not outer:
            return None
        return factory, outer

    def registering_uses(self, factory: FunctionFacts
                         ) -> list[tuple[ModuleFacts, CallFacts, FunctionFacts, int]]:
        """Each use of the decorator factory `factory` on a function of the project (test files
        left out): the module, the call Python makes of the factory, the function decorated and
        the index of the use among its decorators."""
        return [(caller, site, *decorated) for caller, site, callee in
                self.project_calls({factory.name}, function_decorators=True)
                if callee.function is factory
                and (decorated := self.decorated_by_call.get(id(site))) is not None]

    def registering_use_values(self, module: ModuleFacts, factory: FunctionFacts,
                               caller: ModuleFacts, site: CallFacts,
                               options: dict[str, Value]) -> tuple[dict[str, Value],
                                                                   dict[str, Value]]:
        """What the factory's parameters stand for in one use (`@api("/x", methods=["GET"])`),
        and the rule's `options` (as the rule is written in `module`) with what the factory's
        `**kwargs` passes on (`**flask_kwargs`): the use's keyword arguments beyond the
        factory's parameters."""
        parameters = factory.parameter_names
        env = self.site_values(factory, module, caller, site)
        options = dict(options)
        spread = options.get("**")
        if factory.star_kwargs and isinstance(spread, Unknown) \
                and spread.code == factory.star_kwargs:
            given = keywords_passed_on(caller, site, parameters)
            if given is not None:
                spread_into(options, "**", given)
        return env, options

    def collect_registering_decorator(self, module: ModuleFacts, function: FunctionFacts,
                                      target: FlaskObject, expr: CallExpr, verb: str,
                                      below: list[DecoratorFacts]) -> bool:
        """Each use of a registering decorator (`@api("/v1/rules", methods=["POST"])` on `def
        create_rule`) whose decorator adds its own wrapper of the view, as a rule of its own on
        `target`: the route decorator `expr` on the wrapper `function` read with the use's
        arguments (registering_use_values), the endpoint named after the view where
        `functools.wraps(func)` names the wrapper so, listed at the use. False where `function`
        is no such wrapper, its rule reads none of the factory's parameters, or no use is found:
        the rule is then read as written."""
        found = self.registering_factory(module, function.scope)
        if found is None:
            return False
        factory, outer = found
        parameters = factory.parameter_names | {factory.star_args, factory.star_kwargs} - {None}
        if not reads_any(expr, parameters):  # type: ignore[arg-type]
            return False
        uses = self.registering_uses(factory)
        if not uses:
            return False
        for caller, site, decorated, _ in uses:
            env, options = self.registering_use_values(module, factory, caller, site,
                                                       dict(expr.kwargs))
            target.declarations.append(RouteDecl(
                module=module, scope=function.scope,
                rule=expr.args[0] if expr.args else expr.kwarg("rule") or Unknown("?"),
                verb=verb, options=options, view=FuncSym(module, function),
                view_name=self.name_after_decorators(
                    module, function, below, expr.func, "endpoint" in options,
                    wrapped=(outer.params[0], decorated.name)),
                kind="function", line=site.line,
                decorators=self.view_decorators(module, function.scope, below), env=env,
                registered_by=factory, used_in=caller.file))
        return True

    def collect_registering_call(self, module: ModuleFacts, call: CallFacts) -> bool:
        """Each use of a registering decorator whose decorator adds the view it is given
        (`def route(rule, **options): def decorator(view): app.add_url_rule(rule,
        view_func=view, **options); return view`) as a rule of its own: the decorated function
        is the view, with the decorators below the use, as under `@app.route(...)`, so the route
        converts as such a one would. False where `call` is no such registration, the factory
        or its decorator change the options in place, the decorator binds its parameter again
        (`view = login_required(view)`), or no use is found: the call is then read as written."""
        owner, last = rule_call_target(call.expr)
        found = self.registering_factory(module, call.scope) \
            if last == "add_url_rule" and call.expr.func != "<call>" else None
        if found is None:
            return False
        factory, outer = found
        expr = call.expr
        named = ("rule", "endpoint", "view_func")
        given = dict(zip(named, expr.args))
        given.update((key, value) for key, value in expr.kwargs if key in named)
        spread = f"{factory.star_kwargs}."
        if len(expr.args) > len(named) or given.get("view_func") != Ref(outer.params[0]) \
                or any(called.startswith(spread) for called in (*factory.calls, *outer.calls)):
            return False
        if self.bindings_of(module, outer.qualname, outer.params[0]):
            return False  # `view = login_required(view)` first: Flask runs what it is bound to
        target = self.target_object(module, call.scope, owner)
        uses = self.registering_uses(factory) \
            if target is not None and target.kind in ("app", "blueprint") else []
        if not uses:
            return False
        assert target is not None
        for caller, site, decorated, index in uses:
            env, options = self.registering_use_values(
                module, factory, caller, site,
                {key: value for key, value in expr.kwargs if key not in named})
            if "endpoint" in given:
                options.setdefault("endpoint", given["endpoint"])
            below = decorated.decorators[index + 1:]
            self.note_decorators_above(caller, decorated, index, site.expr.func)
            target.declarations.append(RouteDecl(
                module=module, scope=call.scope, rule=given.get("rule") or Unknown("?"),
                verb="route", options=options, view=FuncSym(caller, decorated),
                view_name=self.name_after_decorators(
                    caller, decorated, below, expr.func,
                    options.get("endpoint", Lit(None)) != Lit(None)),
                kind="function", line=site.line,
                decorators=self.view_decorators(caller, decorated.scope, below), env=env,
                used_in=caller.file))
        return True

    def function_decorator_calls(self, module: ModuleFacts, names: set[str]
                                 ) -> list[CallFacts]:
        """`@api("/v1/rules")` on `def create_rule`, a called decorator named one of `names`, as
        the call Python makes of it (`api("/v1/rules")`, where the `def` runs), each mapped to the
        function it decorates (`decorated_by_call`; kept: linking keys calls by their id)."""
        made = []
        for function in module.functions:
            for decorator in function.decorators:
                expr = decorator.expr
                if not isinstance(expr, CallExpr) or not expr.func or \
                        expr.func.rsplit(".", 1)[-1] not in names:
                    continue
                key = (module.module, function.qualname, decorator.line)
                call = self.decorator_use_calls.get(key)
                if call is None:
                    bound = next((binding for binding in self.bindings_of(
                        module, function.scope, function.name) if binding.kind == "def"), None)
                    call = self.decorator_use_calls[key] = CallFacts(
                        function.scope, expr, decorator.line,
                        order=bound.order if bound is not None else 0,
                        arms=bound.arms if bound is not None else ())
                    self.decorated_by_call[id(call)] = (
                        function, function.decorators.index(decorator))
                made.append(call)
        return made

    def collect_class(self, module: ModuleFacts, cls: ClassFacts) -> None:
        """RESTX style: `@ns.route("/x")` on a Resource class; flask-smorest and APIFlask style:
        `@blp.route("/x")` on a MethodView class."""
        # Python applies a class's decorators from the bottom up: that is the order the routes
        # are registered in (RESTX gives the later ones of a class `_2`... endpoints)
        for decorator in reversed(cls.decorators):
            expr = decorator.expr
            if not isinstance(expr, CallExpr) or not expr.func.endswith(".route"):
                continue
            target = self.target_object(module, cls.scope, expr.func.rsplit(".", 1)[0])
            if target is not None and target.kind in ("app", "blueprint") and \
                    target.classes & CLASS_ROUTING_CLASSES:
                target.declarations.append(RouteDecl(
                    module=module, scope=cls.scope,
                    rule=expr.args[0] if expr.args else expr.kwarg("rule") or Unknown("?"),
                    verb="route", options=dict(expr.kwargs), view=ClassSym(module, cls),
                    view_name=cls.name, kind="method_view", line=decorator.line,
                    decorators=self.class_decorators(module, ClassSym(module, cls)), env={}))
                continue
            if target is None or target.kind not in ("restx_api", "namespace"):
                continue
            # `@ns.route("/x", methods=["GET"], endpoint=...)`: RESTX keeps `doc` for itself
            # and hands the rest to `add_url_rule`, as `add_resource` does
            options = {key: value for key, value in expr.kwargs
                       if key not in RESOURCE_REGISTRATION_OPTIONS}
            for url in expr.args:
                target.declarations.append(RouteDecl(
                    module=module, scope=cls.scope, rule=url, verb="route",
                    options=dict(options),
                    view=ClassSym(module, cls), view_name=cls.name, kind="resource",
                    line=decorator.line,
                    decorators=self.class_decorators(module, ClassSym(module, cls)), env={}))

    def rule_declarations(self, bp: FlaskObject) -> list[RouteDecl]:
        """The blueprint's route declarations, without the options its class takes for itself
        (flask-smorest's `tags=`, `parameters=`)."""
        if not bp.classes & SMOREST_BLUEPRINT_CLASSES:
            return bp.declarations
        return [replace(decl, options={
            key: value for key, value in decl.options.items()
            if key not in SMOREST_DOCUMENTATION_OPTIONS}) for decl in bp.declarations]

    def class_decorators(self, module: ModuleFacts, cls: ClassSym) -> list[tuple[str, Symbol | None]]:
        """The class's `decorators` (and RESTful `method_decorators`) plus the decorators on its
        HTTP method functions and `dispatch_request`: each guards some method of the route, so
        each must be known. Attributes and methods are looked up as Python does, through the
        project base classes (`class Items(ProtectedAPI)` gets ProtectedAPI's `decorators`). A
        list the scan cannot read item by item is an unresolved decorator (the route is manual)."""
        found: list[tuple[str, Symbol | None]] = [
            *self.decorators_on_class(module, cls),
            *self.listed_class_decorators(cls, ("decorators", "method_decorators"))]
        for decorators in self.method_function_decorators(cls).values():
            for decorator in decorators:
                if decorator[0] not in [d for d, _ in found]:
                    found.append(decorator)
        return found

    def method_function_decorators(self, cls: ClassSym
                                   ) -> dict[str, list[tuple[str, Symbol | None]]]:
        """The decorators written on each HTTP method function (and `dispatch_request`) of the
        view class, by the function's name, from each function's nearest definition along the
        project base classes, in the chain's order (`Route.method_function_decorators`)."""
        return {function.name: self.view_decorators(klass.module, function.scope,
                                                    function.decorators)
                for klass, function in self.nearest_methods(self.class_chain(cls))
                if function.name in (*HTTP_METHOD_FUNCS, "dispatch_request")}

    @staticmethod
    def nearest_methods(chain: list[ClassSym]) -> list[tuple[ClassSym, FunctionFacts]]:
        """The functions defined in the bodies of a class chain (`class_chain`), each name's
        nearest definition only (the one Python calls), in the chain's order."""
        seen: set[str] = set()
        found = []
        for klass in chain:
            for function in klass.module.functions:
                if function.in_class == klass.cls.name and function.scope == klass.cls.scope \
                        and function.name not in seen:
                    seen.add(function.name)
                    found.append((klass, function))
        return found

    def class_list(self, cls: ClassSym, key: str
                   ) -> tuple[list[ClassSym], tuple[Value, ...] | None, ModuleFacts, str] | None:
        """The `key` list (`decorators`, `method_decorators`) `cls` looks up through its project
        bases: the classes of `class_chain` looked in, the last the one that defines it; its
        items (None where it is not a list the scan reads item by item); and the module and
        scope its names are read in. None where no class of the chain defines it."""
        chain = self.class_chain(cls)
        at = next((i for i, klass in enumerate(chain) if key in klass.cls.attributes), None)
        if at is None:
            return None
        owner = chain[at]
        return chain[:at + 1], *self.decorator_list(owner.module, owner.cls.scope,
                                                    owner.cls.attributes[key])

    def listed_class_decorators(self, cls: ClassSym, keys: tuple[str, ...]
                                ) -> list[tuple[str, Symbol | DecoratorClassSym | None]]:
        """The items of the class's decorator lists (`decorators = [login_required]`), looked
        up through its project bases and read as the decorators written on a view function
        (`listed_decorator`: `requires("admin")` of a project class is one whose `__call__` is
        read); a list the scan cannot read item by item is one unresolved decorator."""
        found: list[tuple[str, Symbol | DecoratorClassSym | None]] = []
        for key in keys:
            listed = self.class_list(cls, key)
            if listed is None:
                continue
            looked_in, items, where, scope = listed
            owner = looked_in[-1].cls.name
            if items is None:
                found.append((f"<{owner}.{key}>", None))
                continue
            found.extend(self.listed_decorator(where, scope, item, f"{owner}.{key} item")[0]
                         for item in items)
        return found

    def inherited_decorator_lists(self, cls: ClassSym) -> dict[str, list[Wrapper]]:
        """The class's `decorators` and `method_decorators` lists that a base class of another
        module defines (lemur's `class AuthenticatedResource(Resource): method_decorators =
        [login_required]` in lemur/auth/service.py), which convert, reading the view's module,
        cannot see: each item as a decorator written with what its first name imports. Only
        through single inheritance, where the scan's lookup order is Python's; a list the scan
        cannot read item by item is left out (the route is manual for it)."""
        found: dict[str, list[Wrapper]] = {}
        for key in ("decorators", "method_decorators"):
            listed = self.class_list(cls, key)
            if listed is None:
                continue
            looked_in, items, where, scope = listed
            if items is None or all(klass.module is cls.module for klass in looked_in) \
                    or any(len(klass.cls.bases) != 1 for klass in looked_in[:-1]):
                continue
            found[key] = [self.listed_decorator(where, scope, item, f"an item of {key}")[1]
                          for item in items]
        return found

    def decorators_on_class(self, module: ModuleFacts, cls: ClassSym
                            ) -> list[tuple[str, Symbol | None]]:
        """The decorators written on the view class itself (`@login_required_class`): they run
        on the class when its module is imported and may change or replace it, which convert,
        reading the class body, does not see. Each is one of unknown effect (the route stays
        on Flask), but the route decorators of a routing object (`@ns.route`, `@blp.route`) and
        Flask-RESTX's documentation (`@ns.doc`, `@ns.response(404, ...)`, `@ns.param`), which
        only add to the class's `__apidoc__`."""
        unknown: list[tuple[str, Symbol | None]] = []
        for decorator in cls.cls.decorators:
            expr = decorator.expr
            dotted = expr.func if isinstance(expr, CallExpr) else getattr(expr, "dotted", None)
            if not dotted or dotted == "<call>":
                unknown.append((f"<a decorator on {cls.cls.name}>", None))
                continue
            if isinstance(expr, CallExpr) and dotted.endswith(".route") and self.target_object(
                    cls.module, cls.cls.scope, dotted.rsplit(".", 1)[0]) is not None:
                continue
            symbol = self.decorator_symbol(cls.module, cls.cls.scope, dotted,
                                           called=isinstance(expr, CallExpr))
            if isinstance(symbol, ExternalSym) and symbol.qualified in RESTX_DOCUMENTING:
                continue
            unknown.append((f"<{dotted} on the class {cls.cls.name}>", None))
        return unknown

    def decorator_list(self, module: ModuleFacts, scope: str, value: Value
                       ) -> tuple[tuple[Value, ...] | None, ModuleFacts, str]:
        """The items of a list of decorators written in `module` at `scope` (`[a, b]`; a
        module-level list `COMMON`, followed to its value), and the module and scope their names
        are looked up in; None for the items when it is not a list the scan reads."""
        if isinstance(value, Ref):
            symbol = self.resolve(module, scope, value.dotted)
            if isinstance(symbol, ValueSym):
                value, module, scope = symbol.value, symbol.module, symbol.scope
        return (value.items if isinstance(value, Seq) else None), module, scope

    def class_changes(self, cls: ClassSym) -> list[str]:
        """Why a view class is not what its body says: `Items.decorators = [require_key]` (or
        `setattr(Items, "get", ...)`) outside the class, on it or a base class, changes what
        Flask runs; the scan reads class bodies only, so such a route is manual. So is one whose
        body (or a base's) sets such an attribute only on some paths (`if not PUBLIC:
        decorators = [require_key]`)."""
        chain = self.class_chain(cls)
        reasons = [
            f"scan.conditional_class_body: class {klass.cls.name} ({klass.module.file}) binds "
            f"`{name}` inside an if/try/loop of its body, so what Flask runs is decided at run "
            "time; the route stays on Flask"
            for klass in chain for name in sorted(klass.cls.conditional)]
        for module in list(self.modules.values()):
            for write in module.attribute_writes:  # only VIEW_CLASS_ATTRIBUTES are recorded
                if self.resolve(module, write.scope, write.owner) in chain:
                    reasons.append(
                        f"scan.class_changed: {module.file}:{write.line} sets "
                        f"`{write.owner}.{write.attribute}` outside the class, which the scan "
                        f"does not read; the route stays on Flask{hint_for_test_module(module.file)}")
        return reasons

    def unseen_dispatch(self, cls: ClassSym) -> list[str]:
        """Why a view class stays on Flask when the `dispatch_request` Flask runs for it (an auth
        check before every method, say) may be a project class's that convert does not read:
        convert writes one endpoint per method, or one from a `dispatch_request`, looked up
        only in `view_classes`; beyond them, the converted endpoints would skip it."""
        seen = self.view_classes(cls)
        if any("dispatch_request" in klass.cls.methods for klass in seen):
            return []  # the first one Python finds is one convert reads
        for base in self.class_chain(cls):
            if "dispatch_request" in base.cls.methods:
                return [(f"scan.unseen_dispatch: {base.cls.name}.dispatch_request "
                        f"({base.module.file}), which Flask may run for every request of "
                        f"{cls.cls.name}, is in a base class that convert does not read (one in "
                        "another module, or after one there); the route stays on Flask")]
        return []

    def unread_bases(self, cls: ClassSym) -> list[str]:
        """Why a view class stays on Flask when it (or a project base class) derives from a class
        outside the project other than Flask's own views: such a base's `dispatch_request` (an
        auth check before every method), `decorators` or methods are what Flask runs for every
        request, and the scan cannot read them; converted endpoints would skip them."""
        for klass in self.class_chain(cls):
            for base in klass.cls.bases:
                symbol = self.resolve(klass.module, klass.cls.scope, base.split("[", 1)[0])
                if isinstance(symbol, ClassSym):
                    continue  # the project's: in the chain, checked as it is
                name = symbol.qualified if isinstance(symbol, ExternalSym) else \
                    "object" if symbol is None and base == "object" else None
                if name in METHOD_VIEW_BASES or name in VIEW_BASES \
                        or name in HARMLESS_CLASS_BASES:
                    continue
                what = "" if name == base else f" (`{name}`)" if name is not None else \
                    " (a name the scan cannot follow to a class)"
                return [(f"scan.unread_base: {klass.cls.name} ({klass.module.file}) derives from "
                         f"`{base}`{what}, a class from outside the project whose "
                         f"`dispatch_request`, `decorators` and methods Flask runs for every "
                         f"request of {cls.cls.name} and the scan does not read; the route "
                         "stays on Flask")]
        return []

    def class_chain(self, cls: ClassSym) -> list[ClassSym]:
        """`cls` and its project base classes, in Python's lookup order (`lookup_order`); where
        that cannot be computed, depth first, left to right."""
        order = self.lookup_order(cls)
        return [klass for klass in order if isinstance(klass, ClassSym)] \
            if order is not None else self._depth_first_chain(cls)

    def lookup_order(self, cls: ClassSym) -> list[ClassSym | str] | None:
        """Python's method resolution order of a project class (scan/mro.py): project classes
        as ClassSym, any other base by its qualified name (`flask.views.MethodView`), taken as
        a class of no base the scan knows; `object` left out, as it comes last anyway. None
        where it cannot be computed (a name that resolves back into its own hierarchy)."""
        known = self._lookup_orders.get(id(cls.cls))
        if known is not None and known[0] == len(self.modules):
            return None if known[1] is None else list(known[1])

        def bases(klass: ClassSym | str) -> list[ClassSym | str]:
            if isinstance(klass, str):
                return []
            found: list[ClassSym | str] = []
            for base in klass.cls.bases:
                symbol = self.resolve(klass.module, klass.cls.scope, base.split("[", 1)[0])
                if isinstance(symbol, ClassSym):
                    found.append(symbol)
                elif base != "object":
                    found.append(symbol.qualified if isinstance(symbol, ExternalSym) else base)
            return found

        order = c3_linearization(
            cls, bases, lambda klass: klass if isinstance(klass, str) else id(klass.cls))
        self._lookup_orders[id(cls.cls)] = (len(self.modules),
                                            None if order is None else tuple(order))
        return order

    def _depth_first_chain(self, cls: ClassSym, depth: int = 0) -> list[ClassSym]:
        chain = [cls]
        if depth < 20:
            for base in cls.cls.bases:
                symbol = self.resolve(cls.module, cls.cls.scope, base)
                if isinstance(symbol, ClassSym):
                    chain += [c for c in self._depth_first_chain(symbol, depth + 1)
                              if all(c.cls is not seen.cls for seen in chain)]
        return chain

    def view_classes(self, cls: ClassSym) -> list[ClassSym]:
        """The classes convert looks a view class's methods, `decorators` and
        `dispatch_request` up in (`Route.view_classes`): its lookup order up to the first class
        that is not a top-level class of the view's own module, whose body convert does not
        read. Just the class itself where the order cannot be computed."""
        seen = [cls]  # (convert finds the view class itself as the scan does)
        for klass in (self.lookup_order(cls) or [cls])[1:]:
            if not isinstance(klass, ClassSym) or klass.module is not cls.module \
                    or klass.cls.qualname != klass.cls.name:
                break
            seen.append(klass)
        return seen

    def collect_call(self, module: ModuleFacts, call: CallFacts, env: dict[str, Value]) -> None:
        call = self.through_partial(module, call, env) or call

        def named(dotted: str) -> FlaskObject | None:
            return self.object_at_call(module, call, dotted)

        if call.follow_only:
            # `QuotesView.register(app)` passes the app, as a call to follow does; so does an
            # extension's function that adds routes (`dashboard.bind(app)`)
            owner, _, last = call.expr.func.rpartition(".")
            if last == "register" and owner:
                self.collect_classful_register(module, call, env, owner)
            elif call.line is not None and routes_added_by(self.qualified(
                    self.resolve(module, call.scope, call.expr.func)) or "") is not None:
                self.collect_extension(module, call, env, None, how="function")
            return
        expr = call.expr
        if expr.func == "<call>":
            inner = expr.args[0]
            assert isinstance(inner, CallExpr)
            owner, _, last = inner.func.rpartition(".")
            target = named(owner) if owner else None
            if target is None or len(expr.args) < 2:
                return
            if last in ROUTE_VERBS and target.kind in ("app", "blueprint"):
                decorators: list[tuple[str, Symbol | None]] = []
                wrappers: list[Wrapper] = []
                view, view_name, kind = self.unwrap_view(module, call.scope, expr.args[1], env,
                                                         decorators, wrappers,
                                                         at=(call.order, call.arms))
                target.declarations.append(RouteDecl(
                    module, call.scope, self.substitute(inner.args[0], env) if inner.args
                    else Unknown("?"), last, dict(inner.kwargs), view, view_name, kind,
                    call.line, decorators + self.symbol_decorators(view), env, wrappers))
            elif last in HOOK_DECORATORS:
                argument = self.describe(module, call.scope, inner.args[0]) if inner.args else None
                self.add_hook(target, AppHook(HOOK_DECORATORS[last], argument,
                                              self.describe(module, call.scope, expr.args[1]),
                                              module.file, call.line))
            return
        owner, _, last = expr.func.rpartition(".")
        if not owner:
            self.collect_extension(module, call, env, None)
            return
        if owner.endswith(".cli") and last == "add_command":
            target = named(owner[: -len(".cli")])
            if target is not None and expr.args:
                self.add_hook(target, AppHook("cli_command",
                                              self.describe(module, call.scope, expr.args[0]),
                                              None, module.file, call.line))
            return
        if owner.endswith(".decorators") and last in ("append", "extend", "insert"):
            changed = named(owner.removesuffix(".decorators"))
            if changed is not None:
                changed.decorator_changes.append(f"{module.file}:{call.line}")
                return
        if last == "add" and owner.endswith(".url_map"):
            app = named(owner.removesuffix(".url_map"))
            if app is not None and app.kind == "app":
                self.collect_url_map_rule(module, call, env, app)
            return
        target = named(owner)
        if target is not None:
            self.resolved_rule_calls.add((module.file, call.line))
        if target is None:
            if last == "init_app":
                self.collect_extension(module, call, env, owner)
            elif last == "add_url_rule" or (last == "route" and owner == "self"):
                self.unresolved_rule_calls.setdefault((module.file, call.line), expr.code)
            elif last == "register_blueprint":
                child = self.registered_object(module, call, env)
                if child is not None:
                    self.note_registration_on_parameter(module, call, owner, child)
                else:
                    self.note_unnamed_registration(module, call)
            elif last in ROUTE_VERBS:
                pass  # `self.client.get(url)`, `requests.get(url)` are no routes
            else:
                self.collect_extension(module, call, env, None)
            return
        if last == "add_url_rule" and target.kind in ("app", "blueprint"):
            self.collect_add_url_rule(module, call, env, target)
        elif last == "register_blueprint" and target.kind in ("app", "blueprint", "smorest_api") \
                and expr.args:
            child_value = self.substitute(expr.args[0], env)
            child = None
            if isinstance(child_value, Scoped) and isinstance(child_value.value, Ref):
                # a parameter of a function given the app (`def setup(app, bp)`): the call's
                child = self.target_object(self.modules[child_value.module], child_value.scope,
                                           child_value.value.dotted)
            elif isinstance(child_value, Ref):
                child = named(child_value.dotted)
            elif isinstance(child_value, CallExpr) and child_value.func:
                # `app.register_blueprint(tags.construct_blueprint(datastore))`
                factory = self.resolve(module, call.scope, child_value.func)
                if isinstance(factory, FuncSym):
                    child = self.factory_product(factory)
            if child is None:
                # `app.register_blueprint(module.blueprint)` after `module =
                # importlib.import_module(f"app.views.{name}")`, in a loop over the names
                imported = self.imported_symbol(module, call.scope, child_value, env,
                                                call.order)
                child = imported if isinstance(imported, FlaskObject) else None
            if child is None and self.defines_no(module, call.scope, child_value, env,
                                                 call.order):
                return  # a module walk's module without it (`if hasattr(module, "bp"):`)
            if child is None or child.kind != "blueprint":
                origin = self.made_outside(module, call.scope, child_value) \
                    if child is None else None
                if origin is not None:
                    self.diagnostic(
                        "scan.external_blueprint",
                        f"`{' '.join(expr.code.split())}` registers a blueprint made by {origin}, "
                        "outside the scanned code: its routes are not listed; they stay on "
                        "Flask, which the generated app still serves them from", module.file,
                        call.line)
                    return
                self.diagnostic("scan.unresolved_blueprint",
                                f"cannot tell which blueprint `{expr.code}` registers", module.file,
                                call.line)
                return
            options = {k: self.this_turns_text(module, call.scope, self.substitute(v, env), env)
                       for k, v in expr.kwargs}
            target.children.append((child, options, call, module))
            child.registered = True
        elif last == "add_resource" and target.kind in ("restful_api", "restx_api", "namespace"):
            self.collect_add_resource(module, call, env, target)
        elif last == "add_namespace" and target.kind == "restx_api" and expr.args:
            namespace = self.substitute(expr.args[0], env)
            if isinstance(namespace, Ref):
                child = named(namespace.dotted)
                if child is not None:
                    target.children.append((child, {k: v for k, v in expr.kwargs}, call, module))
                    child.registered = True
        elif last == "init_app" and target.kind in ("restful_api", "restx_api", "smorest_api") \
                and expr.args:
            app_value = self.substitute(expr.args[0], env)
            if isinstance(app_value, Ref):
                app = named(app_value.dotted)
                if app is not None:
                    target.attached_to.append(app)
                    if target.kind == "smorest_api":  # an extension of the app, as `Api(app)` is
                        self.add_extension(app, Extension(
                            self.qualified(self.maker_class(target)) or target.call.func,
                            "init_app", module.file, call.line))
        elif last in HOOK_DECORATORS or last == "register_error_handler":
            kind = HOOK_DECORATORS.get(last, "errorhandler")
            args = [self.substitute(a, env) for a in expr.args]
            argument = self.describe(module, call.scope, args[0]) if len(args) > 1 else None
            function = self.describe(module, call.scope, args[-1]) if args else None
            self.add_hook(target, AppHook(kind, argument, function, module.file, call.line))

    def collect_classful_register(self, module: ModuleFacts, call: CallFacts,
                                  env: dict[str, Value], owner: str) -> bool:
        """`QuotesView.register(app, route_base=...)` for a project subclass of Flask-Classful's
        FlaskView: the rules its methods make (scan/classful.py), declared on the app or
        blueprint. False when `owner` is no such class. A registration whose rules depend on
        what the scan cannot read (a `*` argument, a `base_class=`, a class overriding how
        rules are built, a value known at run time) lists none, with a warning."""
        cls = self.resolve(module, call.scope, owner)
        if not isinstance(cls, ClassSym) or classful.FLASK_VIEW not in self.class_bases(cls):
            return False
        expr = call.expr
        code = " ".join(expr.code.split())
        chain = self.class_chain(cls)

        def unlisted(why: str) -> bool:
            self.diagnostic("scan.extension_routes",
                            f"`{code}` adds Flask-Classful's routes from {cls.cls.name}'s methods, "
                            f"which the scan cannot list: {why}. They stay on Flask, which the "
                            "generated app still serves them from", module.file, call.line)
            return True

        target_value = self.substitute(expr.args[0], env) if expr.args else None
        target = self.object_at_call(module, call, target_value.dotted) \
            if isinstance(target_value, Ref) else None
        if target is None or target.kind not in ("app", "blueprint"):
            return unlisted("the app or blueprint it is given is not one the scan knows")
        if any(key.startswith("*") for key, _ in expr.kwargs) or any(
                isinstance(arg, Unpacked) for arg in expr.args):
            return unlisted("a `*` argument")
        given = dict(zip(classful.REGISTER_PARAMETERS, expr.args[1:]))
        given.update((key, value) for key, value in expr.kwargs)
        try:
            passed = {key: self.evaluate(module, call.scope, self.substitute(value, env), env)
                      for key, value in given.items()}
            overriding = [f"{klass.cls.name}.{name}" for klass in chain
                          for name in classful.UNREAD_ATTRIBUTES
                          if name in klass.cls.attributes or name in klass.cls.methods]
            if overriding or passed.get("base_class") is not None:
                return unlisted(f"{', '.join(overriding) or 'base_class='} changes how "
                                "Flask-Classful builds them")

            def attribute(name: str, default: object) -> object:
                for klass in chain:
                    if name in klass.cls.attributes:
                        return self.evaluate(klass.module, klass.cls.scope,
                                             klass.cls.attributes[name])
                return default

            def setting(name: str, default: object) -> object:
                value = passed.get(name)
                return value if value is not None else attribute(name, default)

            declared_base = passed.get("route_base") or attribute("route_base", None)
            base, base_arguments = classful.route_base(
                cls.cls.name, None if declared_base is None else str(declared_base))
            registration = classful.Registration(
                cls.cls.name, passed.get("route_prefix") or attribute("route_prefix", None),
                base, setting("trailing_slash", True),
                setting("method_dashified", False) is True,
                list(attribute("default_methods", ["GET"])),  # type: ignore[call-overload]
                {key: value for key, value in passed.items()
                 if key not in classful.REGISTER_PARAMETERS or key == "subdomain"
                 and value is not None})
            excluded = list(attribute("excluded_methods", []))  # type: ignore[call-overload]
            ignored = ["self", *attribute("base_args", []), *base_arguments]  # type: ignore[misc]
            inspect_args = attribute("inspect_args", True)
            class_decorators = self.listed_class_decorators(cls, ("decorators",))
            declarations = []
            for klass, function in sorted(self.nearest_methods(chain),
                                          key=lambda member: member[1].name):
                name = function.name
                if not classful.is_routed(name, excluded) or any(
                        isinstance(d.expr, Ref) and (d.expr.dotted in ("classmethod", "property")
                                                     or d.expr.dotted.endswith(
                                                         (".setter", "cached_property")))
                        for d in function.decorators):
                    continue
                routes: list[tuple[str, dict[str, object]]] = []
                http_methods: list[str] = []
                others = []
                for decorator in reversed(function.decorators):  # applied from the bottom up
                    made = decorator.expr
                    qualified = self.qualified(self.resolve(
                        klass.module, klass.cls.scope, made.func)) \
                        if isinstance(made, CallExpr) and made.func else None
                    if qualified == classful.ROUTE_DECORATOR and made.args:
                        routes.append((str(self.evaluate(klass.module, klass.cls.scope,
                                                         made.args[0])),
                                       {key: self.evaluate(klass.module, klass.cls.scope, value)
                                        for key, value in made.kwargs}))
                    elif qualified == classful.METHOD_DECORATOR and made.args:
                        http_methods.append(str(self.evaluate(klass.module, klass.cls.scope,
                                                              made.args[0])))
                    else:
                        others.insert(0, decorator)
                if inspect_args and not routes and (
                        not function.params or function.params[0] != "self"):
                    # get_true_argspec finds no `self` and no wrapped function: `register`
                    # raises DecoratorCompatibilityError (a staticmethod, `def f(this)`); it
                    # reads no arguments of a method with `@route` rules
                    return unlisted(f"Flask-Classful refuses {cls.cls.name}.{name}, whose first "
                                    "parameter is not `self` (DecoratorCompatibilityError)")
                arguments = self.classful_arguments(klass, function, ignored) \
                    if inspect_args else []
                made_rules = classful.method_rules(registration, name, routes, http_methods,
                                                   arguments)
                view = FuncSym(klass.module, function)
                decorators = [*class_decorators,
                              *self.view_decorators(klass.module, klass.cls.scope, others)]
                for rule, options, endpoint in made_rules:
                    values = {key: Seq(tuple(Lit(str(m)) for m in value))  # type: ignore[union-attr]
                              if key == "methods" else Lit(value)
                              for key, value in options.items()}
                    values["endpoint"] = Lit(endpoint)
                    declarations.append(RouteDecl(
                        klass.module, klass.cls.scope, Lit(rule), "route", values, view, name,
                        "flask_classful", function.line, list(decorators), {}))
        except (Unresolved, TypeError) as error:
            return unlisted(f"a value {error}" if isinstance(error, Unresolved) else str(error))
        target.declarations.extend(declarations)
        return True

    def classful_arguments(self, klass: ClassSym, function: FunctionFacts,
                           ignored: list[str]) -> list[str]:
        """The rule parts `build_rule` makes of a method's positional arguments without a
        default (`<item_id>`; `<int:item_id>` for `item_id: int`), but those in `ignored`."""
        with_default = sum(parameter in function.defaults for parameter in function.params)
        parts = []
        for parameter in function.params[:len(function.params) - with_default]:
            if parameter in ignored:
                continue
            hint = function.annotations.get(parameter)
            qualified = hint if hint in ("str", "int", "float") else self.qualified(
                self.resolve(klass.module, klass.cls.scope, hint)) if hint else None
            converter = classful.TYPE_HINT_CONVERTERS.get(qualified or "")
            parts.append(f"<{converter}:{parameter}>" if converter else f"<{parameter}>")
        return parts

    def through_partial(self, module: ModuleFacts, call: CallFacts, env: dict[str, Value]
                        ) -> CallFacts | None:
        """`registrator()` in `for registrator in registrators:` over a list of
        `functools.partial(app.register_blueprint, api, url_prefix="/api")` (OctoPrint): the
        call the partial makes, its own arguments first, then the call's (whose keywords win),
        as `functools.partial` does. None for any other call; the partial of a project function
        (which the scan would have to follow into) is not read."""
        expr = call.expr
        made = env.get(expr.func) if expr.func and "." not in expr.func else None
        if not isinstance(made, CallExpr) or not made.func or not made.args \
                or not isinstance(made.args[0], Ref) \
                or any(key in ("*", "**") for key, _ in (*made.kwargs, *expr.kwargs)) \
                or self.qualified(self.resolve(module, call.scope, made.func)) != \
                "functools.partial":
            return None
        given = {key for key, _ in expr.kwargs}
        return replace(call, expr=CallExpr(
            made.args[0].dotted, (*made.args[1:], *expr.args),
            (*((key, value) for key, value in made.kwargs if key not in given), *expr.kwargs),
            expr.code), follow_only=False)

    def registered_object(self, module: ModuleFacts, call: CallFacts,
                          env: dict[str, Value]) -> FlaskObject | None:
        """The blueprint `x.register_blueprint(bp)` registers, where the scan knows it."""
        child = self.substitute(call.expr.args[0], env) if call.expr.args else None
        if isinstance(child, Scoped) and isinstance(child.value, Ref):
            return self.target_object(self.modules[child.module], child.scope,
                                      child.value.dotted)
        if isinstance(child, Ref):
            return self.target_object(module, call.scope, child.dotted)
        if isinstance(child, CallExpr) and child.func:  # `register_blueprint(make_bp())`
            return self.made_by_factory(module, call.scope, child)
        return None

    def note_registration_on_parameter(self, module: ModuleFacts, call: CallFacts, owner: str,
                                       child: FlaskObject) -> None:
        """`def load_blueprints(app): app.register_blueprint(auth)` where no call the scan
        follows passes an app for `app` (flaskbb's plugin hooks, a caller outside the scanned
        code): the blueprint's `scan.blueprint_not_registered` says where it is registered."""
        head = owner.split(".")[0]
        function = self.function_with_parameter(module, call.scope, head) \
            if self.binding(module, call.scope, head) is None else None
        if function is not None:
            self.registrations_on_parameters.setdefault(id(child), (
                f"`{owner}`, a parameter of `{function.qualname}` ({module.file}:{call.line})"))

    def note_unnamed_registration(self, module: ModuleFacts, call: CallFacts) -> None:
        """`self.get_app.register_blueprint(baseview.create_blueprint(...))` (Airflow 2's copy of
        Flask-AppBuilder's `AppBuilder`, for each view given to `add_view`): a blueprint the scan
        cannot name, registered on an app it cannot name either. No
        `scan.blueprint_not_registered` speaks for it, so this says that such routes exist (not
        in a test module, whose registrations production does not make)."""
        if looks_like_test(module.file) \
                or isinstance(self.resolve(module, call.scope, call.expr.func), FuncSym):
            return  # (or a project's own method of that name: AirflowAppBuilder's)
        self.diagnostic(
            "scan.unresolved_blueprint",
            f"cannot tell which app `{' '.join(call.expr.code.split())}` registers a blueprint "
            "on, nor which blueprint: the scan lists no route from this registration; such "
            "routes stay on Flask", module.file, call.line)

    def collect_add_url_rule(self, module: ModuleFacts, call: CallFacts, env: dict[str, Value],
                             target: FlaskObject) -> None:
        expr = call.expr
        args = list(expr.args)
        options = {k: self.substitute(v, env) for k, v in expr.kwargs}
        spread_dict_display(options, self.modules)
        rule = self.substitute(args[0], env) if args else options.pop("rule", Unknown("?"))
        if len(args) > 1:
            options.setdefault("endpoint", self.substitute(args[1], env))
        # as written: unwrap_view reads a parameter the function binds again as that binding
        view_value = args[2] if len(args) > 2 else expr.kwarg("view_func")
        options.pop("view_func", None)
        decorators: list[tuple[str, Symbol | None]] = []
        wrappers: list[Wrapper] = []
        if view_value is None or view_value == Lit(None):
            view, view_name, kind = None, None, "rule_only"
        else:
            view, view_name, kind = self.unwrap_view(module, call.scope, view_value, env,
                                                     decorators, wrappers,
                                                     at=(call.order, call.arms))
        target.declarations.append(RouteDecl(
            module, call.scope, rule, "route", options, view, view_name, kind, call.line,
            decorators + self.symbol_decorators(view), env, wrappers))

    def collect_url_map_rule(self, module: ModuleFacts, call: CallFacts, env: dict[str, Value],
                             target: FlaskObject) -> None:
        """`app.url_map.add(Rule("/", endpoint="index"))` (Flask's docs on `app.endpoint`): a
        rule without a view, bound by `@app.endpoint("index")` or `app.view_functions`, as
        `add_url_rule("/", endpoint="index")` is (`rule_only`). Unlike `add_url_rule`, Flask adds
        no OPTIONS answer, and a Rule without `methods` takes every method."""
        expr = call.expr
        value = self.substitute(expr.args[0], env) if expr.args else None
        if isinstance(value, Ref):  # `rule = Rule(...)` first
            symbol = self.resolve(module, call.scope, value.dotted)
            value = symbol.value if isinstance(symbol, ValueSym) else value
        made_by = self.resolve(module, call.scope, value.func) \
            if isinstance(value, CallExpr) and value.func else None
        if not isinstance(made_by, ExternalSym) or made_by.qualified not in WERKZEUG_RULES:
            self.diagnostic("scan.unresolved_rule",
                            f"cannot read what `{' '.join(expr.code.split())}` adds to the URL "
                            "map (a Submount, a rule factory, a rule made elsewhere): its routes "
                            "are not listed", module.file, call.line)
            return
        assert isinstance(value, CallExpr)
        options = {k: self.substitute(v, env) for k, v in value.kwargs}
        rule = self.substitute(value.args[0], env) if value.args else \
            options.pop("string", Unknown("?"))
        for name, given in zip(RULE_POSITIONAL_OPTIONS, value.args[1:], strict=False):
            options.setdefault(name, self.substitute(given, env))
        options.setdefault("methods", Lit(EVERY_METHOD))
        options["provide_automatic_options"] = Lit(False)
        target.declarations.append(RouteDecl(
            module, call.scope, rule, "route", options, None, None, "rule_only", call.line, [],
            env))

    def symbol_decorators(self, view: Symbol | None) -> list[tuple[str, Symbol | None]]:
        if isinstance(view, FuncSym):
            return self.view_decorators(view.module, view.function.scope,
                                        view.function.decorators)
        if isinstance(view, ClassSym):
            return self.class_decorators(view.module, view)
        return []

    def collect_add_resource(self, module: ModuleFacts, call: CallFacts, env: dict[str, Value],
                             target: FlaskObject) -> None:
        expr = call.expr
        args = self.spread_arguments(module, call.scope, expr, env)
        if args is None:
            self.diagnostic("scan.unresolved_rule",
                            f"cannot tell what `{' '.join(expr.code.split())}` passes (a `*` "
                            "argument the scan cannot read): its routes are not listed",
                            module.file, call.line)
            return
        if not args:
            return
        resource_value = self.substitute(args[0], env)
        where, scope = module, call.scope
        if isinstance(resource_value, Scoped):  # an item of a list another module binds
            where, scope = self.modules[resource_value.module], resource_value.scope
            resource_value = resource_value.value
        resource = self.resolve(where, scope, resource_value.dotted) \
            if isinstance(resource_value, Ref) else None
        view_name = resource.cls.name if isinstance(resource, ClassSym) else None
        # what Flask-RESTful and RESTX do not keep for themselves goes to `add_url_rule`
        # (`methods=["GET"]` narrows the class's methods, `defaults=`...)
        options = {k: self.substitute(v, env) for k, v in expr.kwargs
                   if k not in RESOURCE_REGISTRATION_OPTIONS and k != "*"}
        for url in args[1:]:
            target.declarations.append(RouteDecl(
                module, call.scope, self.substitute(url, env), "route", dict(options), resource,
                view_name, "resource", call.line,
                self.class_decorators(module, resource) if isinstance(resource, ClassSym)
                else [], env))

    def spread_arguments(self, module: ModuleFacts, call_scope: str, expr: CallExpr,
                         env: dict[str, Value]) -> tuple[Value, ...] | None:
        """The positional arguments of `expr`, then the items a `*name` spreads where `name`
        holds a tuple or list the scan knows (a loop's item: timesketch's `for route in
        API_ROUTES: api_v1.add_resource(*route)`; a class attribute: specter's
        `*resource_cls.endpoints`); None where a `*` argument is not known."""
        stars = [value for key, value in expr.kwargs if key == "*"]
        if not stars:
            return expr.args
        star = stars[0]
        if len(stars) > 1 or not isinstance(star, Unknown) or \
                not all(part.isidentifier() for part in star.code.split(".")):
            return None
        spread = self.substitute(Ref(star.code), env)
        where, scope, at = module, call_scope, None
        if isinstance(spread, Scoped):  # an argument of a call the function was read for
            where, scope, at = self.modules[spread.module], spread.scope, spread.at
            spread = spread.value
        if isinstance(spread, Ref):  # a list bound elsewhere (`*resource_cls.endpoints`)
            found = self.resolve(where, scope, spread.dotted)
            if not isinstance(found, ValueSym):
                return None
            where, scope, at, spread = found.module, found.scope, None, found.value
        if not isinstance(spread, Seq):
            return None
        relocated = where is not module or scope != call_scope
        return (*expr.args, *(placed_at(item, where, scope, at) if relocated else item
                              for item in spread.items))

    def made_outside(self, module: ModuleFacts, scope: str, value: Value,
                     depth: int = 0) -> str | None:
        """The code outside the scanned tree that made `value`, when it did: a name imported
        from another package (`from flask_dance.contrib.github import github_bp`), or what
        calling one returned (`docs = get_swaggerui_blueprint(...)`); each, when a name is bound
        more than once (calibre-web's `blueprint_func = make_github_blueprint`, `else:
        ... make_google_blueprint`)."""
        if depth > 4:
            return None
        if isinstance(value, Scoped):
            module, scope, value = self.modules[value.module], value.scope, value.value
        if isinstance(value, CallExpr) and value.func:
            return self.made_outside(module, scope, Ref(value.func), depth + 1)
        if not isinstance(value, Ref):
            return None
        if "." not in value.dotted:
            found = self.binding(module, scope, value.dotted)
            if found is None:
                return None
            origins = set()
            for binding in self.bindings_of(module, found.scope, value.dotted):
                symbol = self.symbol_for(module, binding)
                origin = symbol.qualified if isinstance(symbol, ExternalSym) else \
                    self.made_outside(symbol.module, symbol.scope, symbol.value, depth + 1) \
                    if isinstance(symbol, ValueSym) else None
                if origin is None:
                    return None
                origins.add(origin)
            return " or ".join(sorted(origins)) or None
        symbol = self.resolve(module, scope, value.dotted)
        if isinstance(symbol, ExternalSym):
            return symbol.qualified
        if isinstance(symbol, ValueSym):
            return self.made_outside(symbol.module, symbol.scope, symbol.value, depth + 1)
        return None

    def collect_extension(self, module: ModuleFacts, call: CallFacts, env: dict[str, Value],
                          init_owner: str | None, how: str = "constructor") -> None:
        expr = call.expr
        if init_owner is None and self.is_dash(module, call.scope, expr):
            self.collect_dash(module, call, env)
            return
        if not expr.args:
            return
        first = self.substitute(expr.args[0], env)
        if not isinstance(first, Ref):
            return
        app = self.object_at_call(module, call, first.dotted)
        if app is None:
            return
        if init_owner is not None:
            if any(isinstance(callee, FuncSym) for callee in self.callees(module, call)):
                # the project's own `init_app(app)`, also `module.init_app(app)` on modules
                # imported by name in a loop (udata's core): followed by bind_parameters
                return
            owner = self.resolve(module, call.scope, init_owner)
            name = init_owner
            if isinstance(owner, ValueSym) and isinstance(owner.value, CallExpr):
                callee = self.resolve(owner.module, owner.scope, owner.value.func)
                name = self.qualified(callee) or owner.value.func
            self.add_extension(app, Extension(name, "init_app", module.file, call.line))
            return
        callee = self.resolve(module, call.scope, expr.func)
        if isinstance(callee, FuncSym):
            return  # a project function that receives the app, not an extension
        kind = self.object_kind(self.callee_classes(callee))
        if kind in ("restful_api", "restx_api"):
            return
        name = self.qualified(callee) or expr.func
        self.add_extension(app, Extension(name, how, module.file, call.line))

    def is_dash(self, module: ModuleFacts, scope: str, expr: CallExpr) -> bool:
        """Whether `expr` makes a Dash app (`dash.Dash`, or a project class deriving from it).
        Asked of every call that may be an extension's: the callee is resolved only in a
        project that imports dash (resolving every call's callee made OctoPrint's scan a
        quarter slower)."""
        return bool(expr.func) and expr.func != "<call>" and self.imports_dash() and bool(
            self.callee_classes(self.resolve(module, scope, expr.func)) & DASH_CLASSES)

    def imports_dash(self) -> bool:
        """Whether a module parsed so far imports dash."""
        known = self._imports_dash
        if known is None or known[0] != len(self.modules):
            found = any(name == "dash" or name.startswith("dash.")
                        for module in list(self.modules.values()) for name in module.imports)
            known = self._imports_dash = (len(self.modules), found)
        return known[1]

    def dash_server(self, module: ModuleFacts, scope: str, expr: CallExpr) -> FlaskObject | None:
        """The Flask app a Dash app made by `expr` serves on: the app its `server=` names."""
        server = expr.kwarg("server")
        return self.target_object(module, scope, server.dotted) \
            if isinstance(server, Ref) else None

    def collect_dash(self, module: ModuleFacts, call: CallFacts, env: dict[str, Value]) -> None:
        """`Dash(__name__, server=app)`: Dash adds its pages and endpoints to `app` (an extension
        of it, `scan.extension_routes`), and `dash_app.server` is `app`, whose routes the
        project may add through it. `Dash(__name__)` makes a Flask app of its own, at run time:
        the scan does not list it, and says so."""
        server = call.expr.kwarg("server")
        given = self.substitute(server, env) if isinstance(server, Ref) else None
        app = self.object_at_call(module, call, given.dotted) if isinstance(given, Ref) else None
        if app is not None:
            self.add_extension(app, Extension(self.qualified(self.resolve(
                module, call.scope, call.expr.func)) or call.expr.func, "constructor",
                module.file, call.line))
        elif server is None or isinstance(server, Lit) and server.value is True:
            self.diagnostic(
                "scan.dash_server",
                f"`{' '.join(call.expr.code.split())[:120]}` makes the Flask app Dash serves on "
                "at run time (its `server`): the scan lists none of its routes, Dash's own or "
                "those added to `.server`; make the Flask app yourself and pass it "
                "(`Dash(__name__, server=app)`) to have them listed and converted",
                module.file, call.line)
        elif not (isinstance(server, Lit) and server.value is False):  # False: `init_app` later
            # explainerdashboard's `dash.Dash(server=self.server, ...)`, an attribute set by
            # `setattr` in a loop: its pages and endpoints join an app the scan cannot tell
            self.diagnostic(
                "scan.dash_server",
                f"`{' '.join(call.expr.code.split())[:120]}` serves on a Flask app the scan "
                "cannot tell (`server=`): Dash adds its pages and endpoints to it at run time, "
                "and the scan lists none of them (they stay on Flask)",
                module.file, call.line)

    def describe(self, module: ModuleFacts, scope: str, value: Value) -> str:
        if isinstance(value, Scoped):
            return self.describe(self.modules[value.module], value.scope, value.value)
        try:
            return str(self.evaluate(module, scope, value))
        except Unresolved:
            if isinstance(value, Ref):
                return value.dotted
            if isinstance(value, CallExpr):
                return value.code or value.func
            return getattr(value, "code", "?")

    def add_hook(self, target: FlaskObject, hook: AppHook) -> None:
        self.ensure_model(target)
        if isinstance(target.model, App):
            if hook.kind == "errorhandler":
                target.model.error_handlers.append(hook)
            elif hook.kind == "cli_command":
                target.model.cli_commands.append(hook)
            else:
                target.model.hooks.append(hook)
        elif isinstance(target.model, Blueprint):
            hook.blueprint = target.model.name
            target.model.hooks.append(hook)

    def add_extension(self, target: FlaskObject, extension: Extension) -> None:
        self.ensure_model(target)
        if isinstance(target.model, App):
            target.model.extensions.append(extension)

    def diagnostic(self, code: str, message: str, file: str, line: int | None,
                   severity: str = "warning") -> None:
        # a call in a loop the scan reads once per item says the same thing each time
        key = (code, message, file, line, severity)
        if key not in self.diagnostics_given:
            self.diagnostics_given.add(key)
            self.result.diagnostics.append(Diagnostic(code, message, file, line, severity))  # type: ignore[arg-type]

    # -- models ---------------------------------------------------------------------------
    def ensure_model(self, obj: FlaskObject) -> None:
        if obj.model is not None:
            return
        factory = obj.scope or None
        if obj.kind == "app":
            obj.model = App(obj.variable, obj.module.module, obj.module.file, obj.line, factory)
            obj.model.static_rule = self.app_static_rule(obj)
            for framework in sorted(obj.classes & APP_FRAMEWORK_CLASSES):
                obj.model.extensions.append(
                    Extension(framework, "app_class", obj.module.file, obj.line))
        elif obj.kind == "blueprint":
            name = self.argument(obj, 0, "name", factory_default=True)
            prefix = self.argument(obj, 5, "url_prefix", factory_default=True)
            changed_by = self.constructor_reading(obj, "url_prefix")
            if changed_by is not None and "url_prefix" not in obj.unresolved:
                # pgAdmin's `PgAdminModule.__init__`: `kwargs.setdefault('url_prefix', '/' +
                # name)`; what a call passes is not what Blueprint gets
                obj.unresolved["url_prefix"] = \
                    f"is set by {changed_by}, which the scan does not read"
                self.diagnostic("scan.unresolved_argument",
                                f"url_prefix of `{obj.variable}`: set by {changed_by}, which the "
                                "scan does not read; its routes are listed and stay on Flask",
                                obj.module.file, obj.line)
            # Known only at run time: shown as such in the routes' endpoints and rules, which
            # stay on Flask (`register`), rather than guessed (the variable's name, no prefix).
            if "name" in obj.unresolved:
                name = "<unresolved: name>"
            if "url_prefix" in obj.unresolved:
                prefix = "<unresolved: url_prefix>"
            obj.model = Blueprint(
                name if isinstance(name, str) else obj.variable, obj.variable,
                obj.module.module, obj.module.file, obj.line,
                prefix if isinstance(prefix, str) else None)

    def constructor_reading(self, obj: FlaskObject, option: str) -> str | None:
        """The `__init__` of a project class that made `obj` (or of a project class it derives
        from) that names the option `option` of Flask's constructor (a parameter, a keyword, a
        string: `kwargs.setdefault("url_prefix", "/" + name)`), as "Class.__init__ (file:line)";
        None where no such `__init__` names it, and the call's argument is Flask's."""
        maker = self.maker_class(obj)
        pending = [maker] if isinstance(maker, ClassSym) else []
        seen: set[int] = set()
        while pending and len(seen) < 20:
            klass = pending.pop()
            if id(klass.cls) in seen:
                continue
            seen.add(id(klass.cls))
            if "__init__" in klass.cls.methods:
                found = self.method_naming(klass, "__init__", option)
                if found is not None:
                    return found
            for base in klass.cls.bases:
                symbol = self.resolve(klass.module, klass.cls.scope, base)
                if isinstance(symbol, ClassSym):
                    pending.append(symbol)
        return None

    def method_naming(self, klass: ClassSym, method: str, name: str) -> str | None:
        """"Class.method (file:line)" where the method of the project class `klass` names
        `name` (a name, a parameter, a keyword argument or a string); None where it does not, or
        its module does not parse."""
        tree = self.syntax_tree(klass.module.module)
        if tree is None:
            return None
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef) or node.name != klass.cls.name \
                    or node.lineno != klass.cls.line:
                continue
            for function in node.body:
                if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and function.name == method and any(
                            isinstance(part, ast.Name) and part.id == name
                            or isinstance(part, ast.arg) and part.arg == name
                            or isinstance(part, ast.keyword) and part.arg == name
                            or isinstance(part, ast.Constant) and part.value == name
                            for part in ast.walk(function)):
                    return f"{klass.cls.name}.{method} ({klass.module.file}:{function.lineno})"
        return None

    @staticmethod
    def argument_value(obj: FlaskObject, position: int, keyword: str) -> Value | None:
        """The unevaluated argument of the call that made `obj`, by keyword or position."""
        value = obj.call.kwarg(keyword)
        if value is None and len(obj.call.args) > position:
            value = obj.call.args[position]
        return value

    def argument(self, obj: FlaskObject, position: int, keyword: str,
                 factory_default: bool = False) -> object:
        """The argument of the call that made `obj`, read; None where it is not given, or where
        it cannot be read (reported, and kept in `obj.unresolved`). `factory_default`: a
        blueprint's `name` or `url_prefix` that a parameter of the app factory it is made in
        gives is that parameter's default where nothing passes it (`scan.factory_default`)."""
        value = self.argument_value(obj, position, keyword)
        if value is None:
            return None
        try:
            return self.evaluate(obj.module, obj.scope, value)
        except Unresolved as error:
            read = self.factory_default_of(obj, value, keyword) if factory_default else None
            if read is not None:
                self.note_factory_default(f"{keyword} of `{obj.variable}`: {error}", read[0],
                                          obj.scope, obj.module.file, obj.line)
                return read[0]
            self.diagnostic("scan.unresolved_argument",
                            f"{keyword} of `{obj.variable}`: {error}", obj.module.file, obj.line)
            obj.unresolved[keyword] = str(error)
            return None

    def factory_default_of(self, bp: FlaskObject, value: Value, keyword: str
                           ) -> tuple[object] | None:
        """`value` (the blueprint's `name` or `url_prefix`) read with the defaults of the app
        factory `bp` is made in that nothing passes (`unpassed_factory_defaults`), in a 1-tuple;
        None where it is made elsewhere, or that does not read a name or prefix."""
        apps = [obj for obj in self.objects.values() if obj is not None and obj.kind == "app"
                and obj.module is bp.module and obj.scope == bp.scope and bp.scope]
        return self.default_value(bp.module, bp.scope, value, self.unpassed_factory_defaults(
            apps[0], bp.module, bp.scope), keyword) if len(apps) == 1 else None

    def note_factory_default(self, what: str, value: object, factory: str, file: str,
                             line: int | None) -> None:
        """`scan.factory_default`: `what` (an argument the scan cannot read, and why) is taken as
        `value`, the default of a parameter of `factory` that no call passes."""
        self.diagnostic("scan.factory_default",
                        f"{what}; taken as {value!r}, from the defaults of {factory}(), since no "
                        "call of it the scan found passes that parameter (the generated app "
                        "checks at start-up that the legacy app serves each converted rule, and "
                        "hands a rule it does not serve to Flask)", file, line, severity="info")

    # -- registration ---------------------------------------------------------------------
    def link(self) -> None:
        objects = self.all_objects()
        # `app = create_app()` then `standalone(app)` in wsgi.py, which names nothing of Flask's
        # (the pre-filter skipped it): the calls there pass the factory's app on
        self.parse_pending_mentioning({obj.scope.rsplit(".", 1)[-1] for obj in objects
                                       if obj.kind == "app" and obj.scope})
        self.bind_parameters()
        self.bind_rule_functions()
        self.collect()
        self.note_decorator_lists_set()
        for obj in objects:
            self.ensure_model(obj)
        apps = [o for o in objects if o.kind == "app"]
        for app in apps:
            assert isinstance(app.model, App)
            self.result.apps.append(app.model)
            for decl in app.declarations:
                self.emit(app, decl, prefix=None, name="", blueprint=None)
            for child, options, call, module in app.children:
                self.register(app, child, options, call, module, parent_prefix=None,
                              parent_name="", parent_key=app.model.key, depth=0)
            for api in objects:
                if api.kind in ("restful_api", "restx_api") and app in self.api_hosts(api):
                    self.emit_api(app, api, prefix=None, name="")
                elif api.kind == "smorest_api" and app in self.api_hosts(api):
                    for child, options, call, module in api.children:
                        self.register(app, child, options, call, module, parent_prefix=None,
                                      parent_name="", parent_key=app.model.key, depth=0)
        for obj in objects:
            if obj.kind == "blueprint":
                assert isinstance(obj.model, Blueprint)
                self.result.blueprints.append(obj.model)
                if not obj.registered and (obj.declarations or self.apis_on(obj)):
                    where = self.registrations_on_parameters.get(id(obj))
                    self.diagnostic(
                        "scan.blueprint_not_registered",
                        f"blueprint {obj.model.name!r} (`{obj.variable}`) is " + (
                            f"registered only on {where}, for which no call the scan can see "
                            "passes an app (a plugin hook, or a caller outside the scanned "
                            "code)" if where else "never registered on an app the scan can see")
                        + "; " + self.unlisted_routes(obj), obj.module.file, obj.line)
        self.note_resources_added_to_api_subclasses()
        for (file, line), code in self.unresolved_rule_calls.items():
            if (file, line) not in self.resolved_rule_calls:
                self.diagnostic(
                    "scan.unresolved_app",
                    f"cannot tell which app, blueprint or Api `{' '.join(code.split())[:120]}` "
                    "adds a rule to (an object made at run time, `self` in a subclass of Flask or "
                    "of an Api, a parameter of a function the scan did not follow): the route is "
                    "not listed",
                    file, line)
        self.note_factory_calls(apps)
        keep_endpoints_with_defaults(self.result.routes)
        self.mark_replaced_views()
        self.mark_endpoint_clashes()
        self.mark_wsgi_middleware()
        self.mark_apps_served_inside()
        self.mark_apps_served_by_paste()
        self.note_middleware_setters()
        self.mark_url_converters()
        self.mark_app_class_overrides()
        self.note_shared_connections()
        self.note_monkey_patching()
        self.note_conditional_imports()
        self.note_extension_routes()
        self.note_import_once_registrations()
        self.take_stated_app()
        self.note_instances_made_with_arguments()
        self.note_factory_called_with_arguments()
        self.note_instances_chosen()
        self.note_instances_set_up_further()
        self.note_apps_set_up_where_run()
        self.mark_apps_set_up_elsewhere()
        self.note_unloaded_middleware()
        self.report_unused_statements()
        self.result.routes.sort(key=lambda r: (r.file, r.line or 0, r.rule, r.endpoint))

    def note_factory_calls(self, apps: list[FlaskObject]) -> None:
        """What loading an app a factory makes takes: the factory's parameters without a
        default (flasky's `create_app(config_name)`: calling it bare raises TypeError), and the
        module-level names bound once to an app the project made with it (`app =
        create_app(os.getenv("FLASK_CONFIG"))` in wsgi.py), which hold it ready to serve."""
        for app in apps:
            assert isinstance(app.model, App)
            if not app.model.factory:
                continue
            function = app.module.function(app.model.factory)
            if function is not None:
                receiver = function.params[:1] if function.in_class is not None \
                    and method_kind(function) in ("class", "instance") else []
                app.model.factory_requires = [name for name in function.required
                                              if name not in receiver]
            subclass = app.model.flask_subclass
            if subclass is not None:
                # the instance of a project subclass of Flask: the outermost of the functions
                # that make it, taking no argument without a default, is production's call
                makers = self.subclass_makers(app, subclass)
                self.subclass_app_makers[id(app.model)] = [
                    (app.module.module, subclass),
                    *((maker.module.module, maker.function.name) for maker in makers)]
                wrapper = self.outermost([maker for maker in makers
                                          if not maker.function.required])
            else:
                wrapper = self.wrapping_factory(app)
            if wrapper is not None:
                app.model.wrapping_factory = f"{wrapper.module.module}:{wrapper.function.name}"
        # `app = create_app()` in wsgi.py: no Flask name in it, so the pre-filter skipped it
        self.parse_pending_mentioning({app.model.factory.rsplit(".", 1)[-1]
                                       for app in apps
                                       if isinstance(app.model, App) and app.model.factory})
        for module in list(self.modules.values()):  # resolving may read more modules
            if looks_like_test(module.file):
                continue  # a test's app is not the one production serves
            names = Counter(b.name for b in module.bindings if not b.scope)
            for binding in module.bindings:
                if binding.scope or binding.kind != "assign" or binding.conditional \
                        or names[binding.name] != 1 or not isinstance(binding.value, CallExpr):
                    continue
                made = self.symbol_for(module, binding)
                if isinstance(made, FlaskObject) and made in apps and made.scope \
                        and isinstance(made.model, App):
                    made.model.instances.append(f"{module.module}:{binding.name}")
                    line, code = module.assigned_calls.get(binding.name, (None, ""))
                    self.instance_calls.setdefault(id(made.model), {})[
                        f"{module.module}:{binding.name}"] = (binding.value, code, module.file,
                                                              line)
        for app in apps:
            assert isinstance(app.model, App)
            # the one production most likely serves first (the package imports the first)
            app.model.instances.sort(key=lambda name, app=app.model: (
                self.development_instance(app, name) is not None, name))

    def wrapping_factory(self, app: FlaskObject) -> FuncSym | None:
        """The project function production calls to make `app`, around the factory that makes
        it: a module-level function outside tests, taking no argument without a default, that
        calls the factory (or such a function) and returns what it made, and that no other such
        function calls. lemur's `lemur.create_app()` calls `factory.create_app(app_name=...,
        blueprints=LEMUR_BLUEPRINTS)` and adds its error handlers: a bare call of the factory
        makes an app without the blueprints. Only where a loop in the factory registers what its
        callers pass (`lists_from_callers`): a function that only picks a configuration
        (privacyidea's `create_silent_app()`, for its command line) makes an app with the
        factory's routes. None where there is none, or several."""
        assert app.model is not None and app.model.factory
        factory = app.model.factory
        if (app.module.module, factory) not in self.lists_from_callers:
            return None

        def wraps_it(symbol: FuncSym, found: list[FuncSym]) -> bool:
            names = {factory.rsplit(".", 1)[-1], *(known.function.name for known in found)}
            function = symbol.function
            return not function.required \
                and not (symbol.module is app.module and function.name == factory) \
                and any(called.rsplit(".", 1)[-1] in names for called in function.calls) \
                and self.factory_product(symbol) is app

        return self.outermost(self.module_functions_taken(wraps_it))

    def module_functions_taken(self, takes: Callable[[FuncSym, list[FuncSym]], bool],
                               mentioned: Callable[[list[FuncSym]], set[str]] | None = None
                               ) -> list[FuncSym]:
        """The module-level functions outside tests that `takes` accepts, given each and those
        accepted so far (a wrapper of a wrapper...): in rounds, at most 4, until one accepts
        none. Before each round, the files the pre-filter skipped that mention one of
        `mentioned(accepted so far)` are parsed."""
        found: list[FuncSym] = []
        for _ in range(4):
            if mentioned is not None:
                self.parse_pending_mentioning(mentioned(found))
            added = False
            for module in list(self.modules.values()):
                if looks_like_test(module.file):
                    continue
                for function in module.functions:
                    if function.scope or function.in_class is not None \
                            or any(known.function is function for known in found):
                        continue
                    symbol = FuncSym(module, function)
                    if takes(symbol, found):
                        found.append(symbol)
                        added = True
            if not added:
                break
        return found

    def outermost(self, functions: list[FuncSym]) -> FuncSym | None:
        """The one of `functions` that none of the others calls; None if there are several."""
        outermost = [symbol for symbol in functions if not any(
            other is not symbol and any(
                isinstance(callee := self.resolve(other.module, other.function.qualname, called),
                           FuncSym) and callee.function is symbol.function
                for called in sorted(other.function.calls))
            for other in functions)]
        return outermost[0] if len(outermost) == 1 else None

    def subclass_makers(self, app: FlaskObject, subclass: str) -> list[FuncSym]:
        """The module-level functions outside tests that make `app`, the instance of the
        project's `subclass` of Flask (factory `MoinApp.__init__`): each returns a call of the
        class, or of another of them (moin's `create_app()` returns `create_app_ext(...)`, which
        returns `MoinApp(...)`; grip's `create_app(..., grip_class=None)` returns
        `grip_class(...)`, `Grip` unless the caller passes another)."""
        cls = self.resolve(app.module, "", subclass)
        if not isinstance(cls, ClassSym):
            return []

        def makes_it(symbol: FuncSym, found: list[FuncSym]) -> bool:
            return self.returns_a_call_of(symbol, [cls.cls, *(known.function for known in found)])

        # (a module that mentions no Flask name, grip's `api.py`, is parsed where it mentions
        # the class or a maker)
        return self.module_functions_taken(
            makes_it, lambda found: {cls.cls.name, *(known.function.name for known in found)})

    def returns_a_call_of(self, function: FuncSym, makers: Collection[object]) -> bool:
        """Whether a `return` of `function` returns a call of one of `makers` (the facts of a
        project class or function): `return MoinApp(...)`, `return create_app_ext(...)`."""
        for returned in function.function.returns:
            if isinstance(returned, CallExpr) and returned.func:
                callee = self.resolve(function.module, function.function.qualname, returned.func)
                made_by = callee.cls if isinstance(callee, ClassSym) else \
                    callee.function if isinstance(callee, FuncSym) else None
                if any(made_by is maker for maker in makers):
                    return True
        return False

    def parse_pending_mentioning(self, names: set[str]) -> None:
        """Parse the files the pre-filter skipped (no Flask name in them) that mention one of
        `names`, test files left out: a call of a project function found by its name."""
        wanted = [name.encode() for name in names]
        for module_name, source in list(self.pending.items()):
            if looks_like_test(source.relative):
                continue
            text = self.source_text(module_name)
            if any(name in text for name in wanted):
                self.module(module_name)

    def note_shared_connections(self) -> None:
        """A sqlite3 connection kept for the whole process works under a server that runs every
        request on the thread that opened it (gunicorn's sync workers), not in the thread pool
        where the generated app runs the legacy views: sqlite3 raises ProgrammingError there (a
        500). Which views use it, through which helpers, the scan cannot tell: a warning."""
        if not self.result.apps:
            return  # not a Flask project: nothing runs its code in the bridge
        for module in self.modules.values():
            for shared in module.shared_connections:
                self.diagnostic(
                    "scan.thread_bound_connection",
                    f"`{shared.name} = sqlite3.connect(...)` {shared.where} keeps one connection for the "
                    "whole process, which sqlite3 lets only the opening thread use: the generated "
                    "app runs Flask views in a thread pool, where routes that use it answer 500 "
                    "(ProgrammingError). Open the connection per request (on `g`, closed in a "
                    "teardown) or pass `check_same_thread=False` and serialise its use",
                    module.file, shared.line)

    def note_monkey_patching(self) -> None:
        """gevent's `monkey.patch_all()` (or eventlet's `monkey_patch()`) when a project module
        is imported (locust's package does it): threads and sockets become green threads, which
        uvicorn's default event loop (uvloop) does not wait on: under it, no request that
        reaches a Flask view (converted, or through the legacy mount) is answered. Its asyncio
        loop waits through the patched `select`, which runs them. A warning at the call says
        whether loading the app imports the module (and through which imports: the app records
        it, `App.green_threads`, and the serve command asks for `--loop asyncio`), or only the
        views of some routes do, which then stay on Flask so that the generated package does
        not import it (zou's event stream, a process of its own that makes the app and adds
        routes to it), or no module of the app does (a command that serves the app with
        gevent)."""
        if not self.result.apps:
            return  # not a Flask project: nothing runs its code in the bridge
        self.parse_pending_mentioning(set(MONKEY_PATCH_NAMES))  # (a module naming no Flask)
        patching: dict[str, list[tuple[str, int | None, str]]] = {}
        for module in list(self.modules.values()):
            if looks_like_test(module.file):
                continue
            for callee, line in module.patching_calls:
                library = MONKEY_PATCHES.get(
                    self.qualified(self.resolve(module, "", callee)) or "")
                if library is not None:
                    patching.setdefault(module.module, []).append((callee, line, library))
        if not patching:
            return
        loaded = self.modules_imported_from(
            [app.module for app in self.result.apps if not looks_like_test(app.file)])
        for app in self.result.apps:
            if not looks_like_test(app.file):
                imported = self.modules_imported_from([app.module])
                app.green_threads = next((patching[name][0][2] for name in sorted(
                    patching.keys() & imported.keys())), None)
        # the routes whose views' modules import such a module that loading the app does not
        kept: dict[str, list[dict[str, tuple[str, bool] | None]]] = {}  # what each route reaches
        reached_from: dict[tuple[str, ...], dict[str, tuple[str, bool] | None]] = {}
        for route in sorted(self.result.routes, key=lambda route: (route.file, route.line or 0)):
            if looks_like_test(route.file):
                continue
            roots = tuple(sorted({route.module, route.view_module} - {""}))
            if roots not in reached_from:
                reached_from[roots] = self.modules_imported_from(list(roots))
            reached = reached_from[roots]
            for name in sorted(patching.keys() & reached.keys() - loaded.keys()):
                callee, _line, library = patching[name][0]
                imported = (f"the view's module `{name}` calls `{callee}()` when imported"
                            if reached[name] is None else
                            f"importing the view's module imports `{name}` "
                            f"({import_chain(reached, name)}), which calls `{callee}()`")
                keep_on_flask(route, (
                    f"scan.monkey_patching: {imported}: it makes the standard library's "
                    f"threads and sockets {library}'s, which the generated app does not run "
                    "with; the route stays on Flask, so the generated package does not import "
                    "it"))
                kept.setdefault(name, []).append(reached)
        for name, calls in sorted(patching.items(), key=lambda item: self.modules[item[0]].file):
            module = self.modules[name]
            for callee, line, library in calls:
                effect = (f"it makes the standard library's threads and sockets {library}'s, "
                          "which uvicorn's default event loop (uvloop) does not wait on: under "
                          "it, no request that reaches a Flask view, converted or through the "
                          "legacy mount, would be answered")
                apps = [app.key for app in self.result.apps if app.module == name]
                if name in loaded:
                    where = (f"the app `{apps[0]}` is made in it" if apps else
                             f"loading the app imports it ({import_chain(loaded, name)})")
                    # (uvicorn's asyncio loop waits through the patched `select`, which
                    # runs the green threads: App.green_threads, the serve command)
                    advice = ("Serve the generated app with uvicorn's `--loop asyncio`, as the "
                              "serve command convert prints does, or move the call out of the "
                              "modules the app imports")
                elif name in kept:
                    importing = [reached for reached in kept[name] if reached[name] is not None]
                    holding = len(kept[name]) - len(importing)
                    views = [f"it holds the views of {holding} route(s)"] if holding else []
                    if importing:
                        views.append(f"the views of {len(importing)} {'more ' if holding else ''}"
                                     f"route(s) import it ({import_chain(importing[0], name)})")
                    where = (f"{', and '.join(views)}, which stay on Flask, so that the "
                             "generated package does not import it")
                    advice = ("If it serves those routes in a process of its own (an event "
                              "stream, a debug server), keep it so")
                else:
                    where = ("neither the app's module nor its views' modules import it, as "
                             "far as their import statements show (not `importlib`, plugins)")
                    advice = ("If it is a module of its own that serves the app (a command, a "
                              "server script), keep it out of the process that runs the "
                              "generated app")
                self.diagnostic(
                    "scan.monkey_patching",
                    f"`{callee}()` runs when `{name}` is imported: {effect}; {where}. {advice}",
                    module.file, line)

    def modules_imported_from(self, roots: list[str]) -> dict[str, tuple[str, bool] | None]:
        """The project modules that importing `roots` imports, as far as import statements
        (anywhere in a module, a function's too) show, with the packages that hold each (Python
        imports a package before its modules). Each maps to how it is reached: the module that
        imports it, or the module it is the package of (True); None for the roots."""
        reached: dict[str, tuple[str, bool] | None] = {}
        queue: deque[str] = deque()

        def reach(name: str, step: tuple[str, bool] | None) -> None:
            if name in reached or not self.is_module(name):
                return
            reached[name] = step
            queue.append(name)
            if "." in name:
                reach(name.rsplit(".", 1)[0], (name, True))

        for root in roots:
            reach(root, None)
        while queue:
            name = queue.popleft()
            for imported in sorted(self.imports_of(name)):
                reach(imported, (name, False))
        return reached

    def imports_of(self, name: str) -> dict[str, int | None]:
        """What the import statements of the module `name` may import (ModuleFacts.imports);
        a file no Flask name made the scan parse is parsed for them, once, and left pending."""
        facts = self.modules.get(name)
        if facts is not None:
            return facts.imports
        if name not in self._pending_imports:
            source = self.pending.get(name)
            parsed = parse_file(source, force=True).facts if source is not None else None
            self._pending_imports[name] = parsed.imports if parsed is not None else {}
        return self._pending_imports[name]

    def note_conditional_imports(self) -> None:
        """A module that adds routes when imported (`@bp.route` on a blueprint made elsewhere),
        which the project imports only inside if/while/match blocks or `except` clauses: alerta's
        `AuthBlueprint.register` imports its SAML routes' module only `if
        app.config['AUTH_PROVIDER'] == 'saml2'`. Its routes exist only where that path is
        taken, as those of a blueprint registered in a branch do (scan.conditional_registration):
        an info note at the import. Files no Flask name made the scan parse are read for their
        imports where they name the module."""
        holders = {app.module for app in self.result.apps} | {
            blueprint.module for blueprint in self.result.blueprints}
        counts = Counter(route.module for route in self.result.routes
                         if route.module and not looks_like_test(route.file))
        if not counts.keys() - holders:
            return
        parsed = self.import_sites([name for name, facts in self.modules.items()
                                    if not looks_like_test(facts.file)])
        # the route modules no parsed module imports on every path (imported so somewhere: the
        # common case), with where parsed modules import them
        unsettled = {name: [site for site in parsed.get(name, ()) if site[0] != name]
                     for name in counts.keys() - holders}
        unsettled = {name: sites for name, sites in unsettled.items()
                     if all(line is not None for _importer, line in sites)}
        # ... and where the skipped files that name one of them do (an importer names it)
        words = {name.rsplit(".", 1)[-1].encode() for name in unsettled}
        skipped = self.import_sites([
            module for module, source in self.pending.items()
            if not looks_like_test(source.relative)
            and any(word in self.source_text(module) for word in words)]) if words else {}
        for name, sites in sorted(unsettled.items()):
            sites += [site for site in skipped.get(name, ()) if site[0] != name]
            if not sites or any(line is None for _importer, line in sites):
                continue
            files = [(self.module_file(importer), line) for importer, line in sites]
            (file, line), *others = sorted(set(files), key=lambda site: (site[0], site[1] or 0))
            elsewhere = "".join(f", and at {other}:{other_line}" for other, other_line in others)
            self.diagnostic(
                "scan.conditional_import",
                f"`{name}` adds {counts[name]} route(s) when imported, and the project imports it only "
                f"inside if/while/match blocks or except clauses (here{elsewhere}): they exist "
                "in the legacy app only where that path is taken (the generated app checks at "
                "start-up that the legacy app has each converted endpoint's view, and hands the "
                "requests of one it lacks to Flask)", file, line, severity="info")

    def import_sites(self, modules: list[str]) -> dict[str, list[tuple[str, int | None]]]:
        """Where `modules` import each module, by its name: (importer, None) for an import on
        every path of its scope, (importer, line) for one in a branch. Importing `a.b.c` also
        imports `a.b` and `a`, at the same place."""
        sites: dict[str, list[tuple[str, int | None]]] = {}
        for importer in modules:
            for imported, line in self.imports_of(importer).items():
                parts = imported.split(".")
                for end in range(1, len(parts) + 1):
                    sites.setdefault(".".join(parts[:end]), []).append((importer, line))
        return sites

    def module_file(self, name: str) -> str:
        """The file of the project module `name`, relative to the scan root."""
        facts = self.modules.get(name)
        return facts.file if facts is not None else self.pending[name].relative

    def source_text(self, name: str) -> bytes:
        """The bytes of a file of the project, by module, read once (a file the pre-filter
        skipped is searched for several names in one scan; a parsed one is read again only
        for what its facts do not keep: syntax_tree)."""
        if name not in self._file_bytes:
            try:
                self._file_bytes[name] = self.source_files[name].path.read_bytes()
            except OSError:
                self._file_bytes[name] = b""  # unreadable: parse_files reported it
        return self._file_bytes[name]

    def note_import_once_registrations(self) -> None:
        """`with app.app_context(): from . import routes` in a factory, routes.py adding to
        `current_app`: Python runs routes.py once, so only the first app the factory makes in a
        process gets those routes. A second one (`migrate verify` makes the legacy app and the
        generated package makes its own; a test suite's fixtures) answers them 404."""
        for importer in list(self.modules.values()):
            for site in importer.context_imports:
                users = sorted(set(site.modules) & self.current_app_users)
                if site.scope and users:
                    self.diagnostic(
                        "scan.import_once_registration",
                        f"{', '.join(users)} adds routes or hooks to `current_app` when first "
                        f"imported, here in {site.scope}(): Python imports a module once, so "
                        f"only the first app {site.scope}() sets up in a process has them; a "
                        "second one answers them 404. The generated package, given no app, "
                        "makes its own: where one process needs both, give it the first "
                        "(`create_app(legacy_app)`), as `migrate verify` does",
                        importer.file, site.line)

    def note_extension_routes(self) -> None:
        """Routes an extension adds when the app starts (Flask-Admin's pages, flasgger's
        documentation), which no scan of the project's source lists: a warning names each, for
        apps outside test files. The generated app serves them from the legacy app."""
        for app in self.result.apps:
            if looks_like_test(app.file):
                continue
            for extension in app.extensions:
                adds = routes_added_by(extension.name)
                if adds is not None:
                    self.diagnostic(
                        "scan.extension_routes",
                        f"{extension.name} adds routes to {app.key} when it starts: {adds}. The "
                        "scan cannot list them (they are made by the extension's code, not the "
                        "project's); they stay on Flask, which the generated app still serves "
                        "them from", extension.file, extension.line)
        for module in list(self.modules.values()):  # (resolving may parse more modules)
            if looks_like_test(module.file):
                continue
            for call in module.calls:
                owner, _, last = call.expr.func.rpartition(".")
                if last != "register" or not owner or not call.expr.args \
                        or not isinstance(call.expr.args[0], Ref):
                    continue
                cls = self.resolve(module, call.scope, owner)
                target = self.object_at_call(module, call, call.expr.args[0].dotted)
                if not isinstance(cls, ClassSym) or target is None:
                    continue
                for base in sorted(self.class_bases(cls)):
                    adds = routes_made_by_view_base(base)
                    if adds is not None:
                        self.diagnostic(
                            "scan.extension_routes",
                            f"`{' '.join(call.expr.code.split())}` adds {adds} to "
                            f"`{target.variable}` when it runs ({cls.cls.name} derives from "
                            f"{base}): the scan cannot list them; they stay on Flask, which the "
                            "generated app still serves them from", module.file, call.line)

    def mark_app_class_overrides(self) -> None:
        """A project subclass of Flask or Blueprint that overrides a method through which
        Flask registers or runs the views: `class SecureBlueprint(Blueprint)` whose
        `add_url_rule` wraps every view in `login_required`, `class GuardedFlask(Flask)` whose
        `dispatch_request` checks a token. The scan reads the views as written and the bridge
        runs them itself, so every route such a class registers is manual. One diagnostic per
        class, with the routes of every app or blueprint made from it (pgAdmin 4 makes dozens of
        blueprints from its `PgAdminModule`)."""
        # (the class's file, line and overridden methods) -> how many apps and blueprints are
        # made from it, and how many routes they keep on Flask
        found: dict[tuple[str, int | None, str], tuple[int, int]] = {}
        for obj in list(self.objects.values()):
            if obj is None or obj.kind not in ("app", "blueprint") or obj.model is None:
                continue
            cls = self.maker_class(obj)
            if not isinstance(cls, ClassSym):
                continue
            methods = BYPASSED_APP_METHODS | REGISTERING_METHODS if obj.kind == "app" \
                else REGISTERING_METHODS | BLUEPRINT_SETUP_METHODS
            for klass in self.class_chain(cls):
                overridden = sorted(set(klass.cls.methods) & methods)
                if not overridden:
                    continue
                what = ", ".join(f"{klass.cls.name}.{name}" for name in overridden)
                if isinstance(obj.model, App):
                    touched = [r for r in self.result.routes if r.app == obj.model.key]
                else:
                    names = {registration.name for registration in obj.model.registrations}
                    touched = [r for r in self.result.routes if r.blueprint in names]
                key = (klass.module.file, klass.cls.line, what)
                made, kept = found.get(key, (0, 0))
                found[key] = (made + 1, kept + len(touched))
                for route in touched:
                    keep_on_flask(route, (
                        f"scan.class_override: {what} ({klass.module.file}:{klass.cls.line}) "
                        "overrides Flask's, through which the view is registered or run (it "
                        "may wrap the view, or check the request); the route stays on Flask"))
                break
        for (file, line, what), (made, kept) in found.items():
            if not kept:
                continue  # no route of its objects to keep (pgAdmin's Kerberos and OAuth
                # modules, made from `PgAdminModule` and never registered where the scan sees)
            of = f" (of the {made} apps and blueprints made from it)" if made > 1 else ""
            self.diagnostic(
                "scan.class_override",
                f"{what} overrides Flask's, through which views are registered or run: "
                f"{kept} route(s){of} stay on Flask", file, line)

    def apps_named(self, module: ModuleFacts, scope: str, owner: str) -> list[App]:
        """The app `owner` names there; every app when it is not one the scan knows."""
        target = self.target_object(module, scope, owner)
        if target is not None and isinstance(target.model, App):
            return [target.model]
        return list(self.result.apps)

    def routes_of_app(self, module: ModuleFacts, scope: str, owner: str) -> list[Route]:
        """The routes of the app `owner` names there; every app's when it is not an app the
        scan knows (`current_app`, a parameter the scan did not follow)."""
        target = self.target_object(module, scope, owner)
        if target is not None and isinstance(target.model, App):
            return [route for route in self.result.routes if route.app == target.model.key]
        return list(self.result.routes)

    def mark_wsgi_middleware(self) -> None:
        """`app.wsgi_app = Middleware(app.wsgi_app)`: a converted route runs the view through
        the bridge, not through `wsgi_app`, so it would skip the middleware (an auth check, an
        IP allow-list): every route of the app (of every app, when the object is not one the
        scan knows) is manual. Werkzeug's ProxyFix only is reproduced by the ASGI server
        (`uvicorn --proxy-headers`): the routes stay convertible, with the note; and its
        ProfilerMiddleware only measures: converted routes go unprofiled, with the note."""
        for app in self.result.apps:
            for extension in app.extensions:
                if extension.name in EXTENSION_MIDDLEWARE:
                    qualified, passes_on, does = EXTENSION_MIDDLEWARE[extension.name]
                    self.run_middleware(
                        [app], f"{extension.name} wraps `{app.name}.wsgi_app` in {qualified}",
                        qualified, passes_on, does, extension.file, extension.line)
        writes = []
        for module in list(self.modules.values()):
            for write in module.wsgi_app_writes:
                if write.owner == "self" and self.target_object(module, write.scope,
                                                                "self") is None:
                    continue  # a middleware class keeping the app it wraps, not an app
                # `app.wsgi_app = self` in a method: the wrapper is the method's class
                wrapper = write.scope.rsplit(".", 1)[0] if write.itself else write.wrapper
                # each class of `Outer(Inner(app.wsgi_app))`, outermost first: the requests go
                # through all of them, so the generated app may run them only if it may run
                # each (ProxyFix and the profiler are the generated app's to handle)
                chain = [wrapper, *write.inner]
                passing: list[tuple[str, str, str, str]] = []
                for position, name in enumerate(chain):
                    symbol = self.resolve(module, "" if write.itself else write.scope, name) \
                        if name else None
                    qualified = self.qualified(symbol) if symbol is not None else None
                    shape = self.middleware_shape(symbol) if isinstance(symbol, ClassSym) \
                        else None
                    if qualified is not None and shape is not None and \
                            shape.passes_on is not None:
                        passing.append((name, qualified, shape.passes_on, CHANGES_THE_REQUEST))
                    elif qualified in PASSING_MIDDLEWARE:
                        passing.append((name, *PASSING_MIDDLEWARE[qualified]))
                    elif qualified not in PROXY_FIX | PROFILER or \
                            (position == len(chain) - 1 and not passing):
                        # what converted routes cannot run; or ProxyFix or the profiler,
                        # with nothing else to run (see below)
                        shown = " around ".join(part or "an expression"
                                                for part in chain[:position + 1])
                        writes.append((module, write, shown, symbol, qualified))
                        break
                else:
                    apps = self.apps_named(module, write.scope, write.owner)
                    for name, qualified, passes_on, does in passing:
                        wrapped = f"`{write.owner}.wsgi_app` is " + (
                            f"set to the {name} around it" if write.itself
                            else f"wrapped in {name}")
                        self.run_middleware(apps, wrapped, qualified, passes_on, does,
                                            module.file, write.line)
        # (the middleware the generated app runs is known first: ProxyFix then runs with it)
        for module, write, shown, symbol, qualified in writes:
            touched = self.routes_of_app(module, write.scope, write.owner)
            where = f"{module.file}:{write.line}"
            proxy_fix = qualified in PROXY_FIX
            profiler = qualified in PROFILER
            # `if base_url: app.wsgi_app = DispatcherMiddleware(...)` (Airflow's, specter's):
            # the routes convert, and the generated app's start-up check, finding the legacy
            # app wrapped where the condition held, serves every request from Flask
            checked = write.conditional and not proxy_fix and not profiler
            if isinstance(symbol, ClassSym):
                shape = symbol.cls.middleware
                why = shape.reason if shape is not None else \
                    "its __call__ is inherited, whose code is not read" \
                    if [base for base in symbol.cls.bases if base != "object"] \
                    else "it has no __call__"
                shown = f"{shown} ({why}: {symbol.module.file}:{symbol.cls.line})"
            if not touched and not proxy_fix and not profiler:
                continue  # no route the scan lists to keep on Flask (keystone's and Superset's
                # apps, whose routes are made at run time: the mount serves them through it)
            target = self.target_object(module, write.scope, write.owner)
            run_too = proxy_fix and target is not None and isinstance(target.model, App) \
                and bool(target.model.middleware)
            self.diagnostic(
                "scan.wsgi_middleware",
                f"`{write.owner}.wsgi_app` is wrapped in {shown}"
                f"{' where a condition holds' if write.conditional else ''}: " + (
                    "converted routes run it with the app's other middleware, as Flask does "
                    "(without them, `uvicorn --proxy-headers` plays its part)"
                    if run_too else
                    "serve the generated app with `uvicorn --proxy-headers "
                    "--forwarded-allow-ips ...` for the same client address and scheme"
                    if proxy_fix else
                    "converted routes are not profiled (it only measures: it changes no "
                    "request or answer); the routes left on Flask still are"
                    if profiler else
                    "converted routes would not go through it, so where it is wrapped, the "
                    "generated app finds the wrapper at start-up and serves every request from "
                    "Flask, through it" if checked else
                    f"{len(touched)} route(s) stay on Flask, where requests still go through "
                    f"it{hint_for_test_module(module.file)}"),
                module.file, write.line, severity="info" if run_too else "warning")
            for route in touched:
                if run_too:
                    continue
                if proxy_fix:
                    note_for_review(route, (
                        f"wsgi_middleware:ProxyFix: {where}: once converted, the route sees the "
                        "client address and scheme the ASGI server gives (uvicorn "
                        "--proxy-headers), not ProxyFix's X-Forwarded-Host/-Prefix"))
                    continue
                if profiler:
                    note_for_review(route, (
                        f"wsgi_middleware:ProfilerMiddleware: {where}: once converted, the route is "
                        "not profiled (the middleware only measures)"))
                    continue
                if checked:
                    note_for_review(route, (
                        f"wsgi_middleware:conditional: {where}: once converted, where the condition "
                        f"holds and `{write.owner}.wsgi_app` is wrapped in {shown}, the "
                        "generated app serves every request from Flask (its start-up check)"))
                    continue
                keep_on_flask(route, (
                    f"scan.wsgi_middleware: {where} wraps `{write.owner}.wsgi_app` in "
                    f"{shown}, which a converted route would not go through; the route "
                    f"stays on Flask{hint_for_test_module(module.file)}"))

    def mark_apps_served_inside(self) -> None:
        """`DispatcherMiddleware(root, {"/v2": get_api_app()})` (CloudKitty's `setup_app()`,
        which production serves behind keystone's auth middleware; Flask's "application
        dispatching"): production's requests reach a mounted app under its prefix and, where the
        dispatcher is given to a call (`RequireToken(DispatcherMiddleware(...))`), through that
        middleware. A converted route would answer at the rule's own path and skip the
        middleware, and the app the generated package loads would serve every route so: the
        app's routes stay on Flask and the package asks for the app (App.served_inside). The
        default app of a dispatcher given to no call is served at its own paths: its routes
        convert, and a warning names the mounts the package does not serve beside it."""
        for module, found, callee in self.resolved_calls("DispatcherMiddleware"):
            if self.qualified(callee) in DISPATCHER_MIDDLEWARE:
                scope, call, outer = found.scope, found.call, found.outer
                mounts, readable = dispatcher_mounts(found)
                inside = f"in {scope}(), " if scope else ""
                within = "".join(f" within `{ast_dotted(wrapper.func) or 'a call'}`"
                                 for wrapper in outer)
                for prefix, expression in mounts:
                    dotted = ast_dotted(expression) or ""
                    if dotted.endswith(".wsgi_app") and (prefix == "" or dotted in found.assigned_to):
                        # `app.wsgi_app = DispatcherMiddleware(app.wsgi_app, ...)`, or the app
                        # mounting itself under a prefix there (`{prefix: app.wsgi_app}`, Airflow's
                        # and specter's): the app's own middleware, mark_wsgi_middleware's
                        continue
                    target = self.app_given(module, scope, expression)
                    if target is None or not isinstance(target.model, App):
                        continue
                    app = target.model
                    if prefix == "" and not outer:
                        others = [f"`{other}`" if other is not None else "a computed prefix"
                                  for other, _ in mounts if other != ""] if readable \
                            else ["mounts the scan cannot read"]
                        if not others:  # `DispatcherMiddleware(app, {})`: the app alone
                            continue
                        self.diagnostic(
                            "scan.served_inside",
                            f"`{app.name}` is served by DispatcherMiddleware ({inside}"
                            f"{module.file}:{call.lineno}) at its own paths, beside "
                            f"{', '.join(others)}: the generated package serves "
                            "the app alone, without the other mounts",
                            module.file, call.lineno)
                        continue
                    at = "as its default app" if prefix == "" else \
                        f"mounted at `{prefix}`" if prefix is not None else \
                        "mounted at a prefix the scan cannot read"
                    described = (f"DispatcherMiddleware {at} ({inside}{module.file}:"
                                 f"{call.lineno}){within}")
                    how = " and ".join(filter(None, (
                        "under that prefix" if prefix != "" else "",
                        "through that middleware" if outer else "")))
                    self.keep_app_served_inside(
                        app, described,
                        f"production serves the app inside {described}: requests reach the "
                        f"route {how}, which a converted route would not",
                        lambda count, how=how, app=app, described=described: (
                            f"`{app.name}` is served inside {described}: production's requests "
                            f"reach its routes {how}, which neither a converted route nor the "
                            f"app the generated package loads would: its {count} route(s) stay "
                            "on Flask, and the package asks for the app (pass it to "
                            "create_app(legacy_app))"),
                        module.file, call.lineno)

    def keep_app_served_inside(self, app: App, described: str, why: str,
                               warning: Callable[[int], str], file: str, line: int | None
                               ) -> None:
        """Record that production serves `app` inside a composition (`described`, once): the
        package asks for the app (App.served_inside), its routes stay on Flask because `why`,
        and `warning` (given how many routes) says so at `file`:`line`."""
        if described in app.served_inside:
            return
        app.served_inside.append(described)
        routes = [route for route in self.result.routes if route.app == app.key]
        for route in routes:
            keep_on_flask(route, f"scan.served_inside: {why}; the route stays on Flask")
        self.diagnostic("scan.served_inside", warning(len(routes)), file, line)

    def mark_apps_served_by_paste(self) -> None:
        """An app a factory makes that a Paste Deploy config serves wrapped (CloudKitty's and
        other OpenStack services' `api_paste.ini`: `pipeline = cors request_id authtoken api`,
        `[app:api] paste.app_factory = service.api.app:app_factory`): production's requests
        reach its routes through the filters, an auth check perhaps, which neither a converted
        route nor the app the generated package loads would run: the app's routes stay on
        Flask and the package asks for the app (App.served_inside), as for an app served inside
        DispatcherMiddleware."""
        for served in self.paste.served:
            module_name, _, attribute = served.factory.partition(":")
            module = self.module(module_name.strip())
            factory = self.resolve(module, "", attribute.strip()) \
                if module is not None and attribute.strip() else None
            where = f"[{served.section}] of {served.file}:{served.line}"
            apps = self.apps_returned(factory) if isinstance(factory, FuncSym) else []
            if not apps:
                self.diagnostic(
                    "scan.paste_pipeline",
                    f"the Paste Deploy app {where} is served wrapped by "
                    f"{', '.join(served.wrapped_by)}; its factory `{served.factory}` is not a "
                    "project function the scan sees return a Flask app, so no app is known to "
                    "be served so (if one is, its routes would answer without those filters "
                    "once converted)", served.file, served.line)
                continue
            described = f"the Paste Deploy app {where}, wrapped by {', '.join(served.wrapped_by)}"
            for target in apps:
                app = target.model
                assert isinstance(app, App)
                self.keep_app_served_inside(
                    app, described,
                    f"production serves the app as {described}: requests reach the route "
                    "through them, which a converted route would not",
                    lambda count, app=app, described=described, factory=served.factory: (
                        f"`{app.name}` (from `{factory}`) is served as {described}: "
                        "production's requests reach its routes through them, which neither a "
                        "converted route nor the app the generated package loads would: its "
                        f"{count} route(s) stay on Flask, and the package asks for the app "
                        "(pass it to create_app(legacy_app))"),
                    served.file, served.line)
        self.mark_paste_factories_unseen()
        for unread in self.paste.unread:
            self.diagnostic(
                "scan.paste_pipeline",
                f"the Paste Deploy app [{unread.section}] of {unread.file}:{unread.line} is "
                f"served wrapped by {', '.join(unread.wrapped_by)}; the scan cannot tell which "
                f"factory `{unread.use}` names, so no app is known to be served so (if it "
                "makes a Flask app of the project, its routes would answer without those "
                "filters once converted)", unread.file, unread.line)

    def mark_paste_factories_unseen(self) -> None:
        """A project that loads a Paste Deploy config (`deploy.loadapp("config:" + path)`) from
        a file not in the scanned folder (a wheel has no `etc/`): which filters the config puts
        around which app is not known. An app returned by a function shaped as Paste Deploy's
        app factories are (`def app_factory(global_config, **local_conf)`) that no config read
        names is taken as served so: its routes stay on Flask, and the package asks for it."""
        loads = [f"{module.file}:{found.call.lineno}"
                 for module, found, callee in self.resolved_calls("loadapp")
                 if self.qualified(callee) in PASTE_LOADAPP]
        if not loads:
            return
        more_loads = first_and_more([(0, load) for load in loads], " call(s)")[2]
        for module in self.modules.values():
            if looks_like_test(module.file):
                continue
            for function in module.functions:
                if function.scope or function.in_class is not None \
                        or not function.params or function.params[0] not in PASTE_GLOBAL_CONF \
                        or function.star_kwargs is None \
                        or f"{module.module}:{function.qualname}" in self.paste.factories:
                    continue
                factory = FuncSym(module, function)
                described = (
                    f"a Paste Deploy app factory (`{function.qualname}({function.params[0]}, "
                    f"**{function.star_kwargs})`, {module.file}:{function.line}) of a project that "
                    f"loads a Paste Deploy config ({loads[0]}{more_loads}) the scan did not find "
                    "in the scanned folder")
                for target in self.apps_returned(factory):
                    app = target.model
                    assert isinstance(app, App)
                    self.keep_app_served_inside(
                        app, described,
                        f"production may serve the app through {described}: filters it puts "
                        "around the app (an auth check perhaps) would not run for a converted "
                        "route",
                        lambda count, app=app, described=described: (
                            f"`{app.name}` is returned by {described}: the filters that config "
                            "puts around it (an auth check perhaps) are not seen, and neither a "
                            "converted route nor the app the generated package loads would run "
                            f"them: its {count} route(s) stay on Flask, and the package asks "
                            "for the app (scan the folder that holds the config too, to read "
                            "it)"),
                        module.file, function.line)

    def apps_returned(self, function: FuncSym, depth: int = 0) -> list[FlaskObject]:
        """The apps a project function returns: named by a `return` (`return app`), made by a
        project function whose call it returns (`return setup_app()`), or given to a call it
        returns, directly or through a name bound to the call (CloudKitty's `app =
        DispatcherMiddleware(root_app, ...)`, then `return app`), through up to 8 such calls."""
        found: list[FlaskObject] = []
        module, scope = function.module, function.function.qualname
        calls: list[tuple[ModuleFacts, str, CallExpr]] = []
        for returned in function.function.returns:
            symbol = self.resolve(module, scope, returned.dotted) \
                if isinstance(returned, Ref) else None
            if isinstance(symbol, FlaskObject) and symbol.kind == "app":
                found.append(symbol)
            elif isinstance(symbol, ValueSym) and isinstance(symbol.value, CallExpr):
                calls.append((symbol.module, symbol.scope, symbol.value))
            elif isinstance(returned, CallExpr):
                calls.append((module, scope, returned))
        while calls and depth < 8:
            where, within, call = calls.pop()
            callee = self.resolve(where, within, call.func) if call.func else None
            if isinstance(callee, FuncSym) and callee.function is not function.function:
                found.extend(self.apps_returned(callee, depth + 1))
            for argument in (*call.args, *(value for _, value in call.kwargs)):
                if isinstance(argument, CallExpr):
                    calls.append((where, within, argument))
                elif isinstance(argument, Ref):
                    target = self.target_object(where, within,
                                                argument.dotted.removesuffix(".wsgi_app"))
                    if target is not None and target.kind == "app":
                        found.append(target)
        return list({id(target): target for target in found}.values())

    def app_given(self, module: ModuleFacts, scope: str, expression: ast.expr
                  ) -> FlaskObject | None:
        """The app or blueprint an expression written in `module` at `scope` names (`api`,
        `api.wsgi_app`) or makes (`get_api_app()`, a project function returning one)."""
        if isinstance(expression, ast.Call):
            called = ast_dotted(expression.func)
            callee = self.resolve(module, scope, called) if called else None
            return self.factory_product(callee) if isinstance(callee, FuncSym) else None
        dotted = ast_dotted(expression)
        if dotted is None:
            return None
        return self.target_object(module, scope, dotted.removesuffix(".wsgi_app"))

    def middleware_shape(self, cls: ClassSym) -> MiddlewareShape | None:
        """How a project class works as WSGI middleware: its own `__call__` as read, or, handing
        requests on to its base's (`shape.base`), the base's way when SUPER_PASSING knows it."""
        shape = cls.cls.middleware
        if shape is None or shape.base is None:
            return shape
        base = self.resolve(cls.module, cls.cls.scope, shape.base)
        passes_on = SUPER_PASSING.get(base.qualified) if isinstance(base, ExternalSym) else None
        return MiddlewareShape(passes_on) if passes_on is not None else shape

    def note_middleware_setters(self) -> None:
        """An app made at module level whose `wsgi_app` a module-level function wraps, which
        importing the module does not run, and which a module-level function returning the app
        runs (ironic-inspector's `get_app()`, which its WSGI script calls: ProxyFix, keystone or
        basic auth, CORS). That function is how production gets the app (App.wrapping_factory):
        the generated package calls it, where the bare app an import gives would serve every
        request without the middleware, an auth check perhaps."""
        setters: dict[int, tuple[FlaskObject, set[tuple[str, str]]]] = {}
        for module in list(self.modules.values()):
            if looks_like_test(module.file):
                continue
            for write in module.wsgi_app_writes:
                function = module.function(write.scope) if write.scope else None
                if function is None or function.scope or function.in_class is not None:
                    continue  # at import time, or in a method or a nested function
                target = self.target_object(module, write.scope, write.owner)
                if target is None or not isinstance(target.model, App) or target.model.factory:
                    continue
                setters.setdefault(id(target), (target, set()))[1].add(
                    (module.module, function.qualname))
                if not self.only_proxy_fix_or_profiler(module, write):
                    self.middleware_setters.setdefault(id(target.model), []).append(
                        (module, function, write))
        for app, scopes in setters.values():
            assert isinstance(app.model, App)

            def sets_up(symbol: FuncSym, found: list[FuncSym], app: FlaskObject = app,
                        scopes: set[tuple[str, str]] = scopes) -> bool:
                # it returns the app, and it or a project function it calls wraps `wsgi_app`
                return not symbol.function.required and self.factory_product(symbol) is app \
                    and not scopes.isdisjoint(self.functions_run_by(
                        [(symbol.module, "", symbol.function.name)]))

            wrapper = self.outermost(self.module_functions_taken(sets_up))
            if wrapper is not None:
                app.model.wrapping_factory = f"{wrapper.module.module}:{wrapper.function.name}"

    def only_proxy_fix_or_profiler(self, module: ModuleFacts, write: WsgiAppWrite) -> bool:
        """Whether `write` wraps `wsgi_app` in Werkzeug's ProxyFix or profiler only, which the
        generated app needs not run (mark_wsgi_middleware)."""
        if write.itself:
            return False
        names = [write.wrapper, *write.inner]
        return all(name and self.qualified(self.resolve(module, write.scope, name))
                   in PROXY_FIX | PROFILER for name in names)

    def setters_left_out(self, app: App, loader: tuple[ModuleFacts, str] | None) -> list[str]:
        """The functions that wrap the module-level `app`'s `wsgi_app` in middleware (other
        than ProxyFix or the profiler) that neither importing the app's module (and what it
        imports) nor `loader` runs (module, function: the call production makes to get the
        app): "`pkg.main._init()` wraps `_app.wsgi_app` (pkg/main.py:12)". The app the
        generated package loads lacks them."""
        setters = self.middleware_setters.get(id(app), [])
        if not setters:
            return []
        # what importing the app's module runs: its module-level calls and those of the
        # modules that importing it imports (not a wsgi.py calling the setter, which the
        # generated package does not import)
        pending = self.import_time_calls([app.module])
        if loader:
            pending.append((loader[0], "", loader[1]))
        run = self.functions_run_by(pending)
        left = []
        for module, function, write in setters:
            if (module.module, function.qualname) in run:
                continue
            entry = (f"`{module.module}.{function.qualname}()` wraps `{write.owner}.wsgi_app` "
                     f"({module.file}:{write.line})")
            if entry not in left:
                left.append(entry)
        return left

    def import_time_calls(self, module_names: list[str]) -> list[tuple[ModuleFacts, str, str]]:
        """The calls (module, scope, called name) the module-level statements of the modules
        importing `module_names` may import make, for functions_run_by."""
        importing = {module.module: module for name in module_names
                     for module in self.imported_with(name)}
        return [(module, "", called) for module in importing.values()
                for called in sorted(module.import_time_calls)]

    def imported_with(self, module_name: str) -> list[ModuleFacts]:
        """The project modules that importing `module_name` may import: it, its packages, the
        modules their import statements name, and theirs (a function's imports too: what may
        run, not what surely does)."""
        seen: dict[str, ModuleFacts] = {}
        pending = [module_name]
        while pending:
            name = pending.pop()
            module = None if name in seen else self.module(name)
            if module is None:
                continue
            seen[name] = module
            parts = name.split(".")
            pending += [".".join(parts[:end]) for end in range(1, len(parts))]
            pending += [imported for imported in module.imports if self.is_module(imported)]
        return list(seen.values())

    def note_unloaded_middleware(self) -> None:
        """A module-level app whose middleware is set up by a function that the way the
        generated package gets the app does not run (an import; the function returning it,
        App.wrapping_factory; the stated call): that app would serve every route, an auth check
        perhaps skipped. App.unloaded_middleware names them, and the package asks for the app
        (convert's legacy_app_spec) instead of making it without them."""
        for app in self.result.apps:
            if id(app) not in self.middleware_setters or app.stated_app:
                continue
            loader = None
            if app.wrapping_factory:
                module_name, _, function = app.wrapping_factory.partition(":")
                module = self.modules.get(module_name)
                loader = (module, function) if module is not None else None
            app.unloaded_middleware = self.setters_left_out(app, loader)
            if not app.unloaded_middleware:
                continue
            getter = f", nor `{app.wrapping_factory}()`, which returns the app," \
                if app.wrapping_factory else ""
            self.diagnostic(
                "scan.unloaded_middleware",
                f"{app.unloaded_middleware[0]} in middleware, which importing `{app.module}` "
                f"does not run{getter}: the generated package cannot make `{app.name}` as "
                "production serves it and asks for it (pass the app to "
                "create_app(legacy_app), or state the call production makes in pyproject.toml: "
                f"`[tool.migrate]` `legacy-app = \"{app.module}:...(...)\"`)",
                app.file, app.line)

    def mark_url_converters(self) -> None:
        """`app.url_map.converters["uuid_str"] = StrictUUIDConverter`: the app's rules may name
        it (`<uuid_str:uuid>`), or it replaces one of Werkzeug's (`converters["int"]`). The app
        records it, and each parameter that names it on the app's routes (every app's, when
        the object is not one the scan knows) gets it: the route converts, the legacy URL map
        routing its requests at run time (model.CustomConverter)."""
        touched: dict[int, Route] = {}
        for module in list(self.modules.values()):
            if looks_like_test(module.file):
                continue  # a test's app is not the one production serves
            for write in module.converter_writes:
                apps = self.apps_named(module, write.scope, write.owner)
                if write.name is None:
                    self.diagnostic(
                        "scan.url_converter",
                        f"`{write.owner}.url_map.converters` gets a converter under a name that "
                        "is not a literal: a rule naming it converts with one path segment for it "
                        "(the legacy URL map routes its requests), but one of Werkzeug's it "
                        "replaces (`int`, say) is not known to be replaced",
                        module.file, write.line)
                    continue
                found = self.read_url_converter(module, write)
                for app in apps:
                    known = app.url_converters.get(write.name)
                    converter = found
                    if known is not None and known.cls != found.cls:
                        converter = replace(
                            found, cls=f"{known.cls} or {found.cls}", regex=ONE_SEGMENT,
                            regex_source="one path segment (two classes are registered under "
                                         "this name)")
                    app.url_converters[write.name] = converter
                    for route in self.result.routes:
                        if route.app != app.key:
                            continue
                        for parameter in route.parameters:
                            if parameter.converter == write.name:
                                parameter.custom = converter
                                touched[id(route)] = route
        for route in touched.values():
            note_custom_converters(route)

    def read_url_converter(self, module: ModuleFacts, write: ConverterWrite) -> CustomConverter:
        """The converter a registration names, with the regex the converted routes match."""
        assert write.name is not None
        symbol = self.resolve(module, write.scope, write.converter) if write.converter else None
        qualified = self.qualified(symbol) or write.converter or None
        found = CustomConverter(write.name, qualified, ONE_SEGMENT,
                                "one path segment (the scan cannot read the class)",
                                module.file, write.line)
        if isinstance(symbol, ClassSym):
            return self.read_converter_class(symbol, found)
        if qualified in CONVERTER_BASES:
            traits = CONVERTER_BASES[qualified]
            return replace(found, regex=traits.regex, regex_source=f"{qualified}'s regex",
                           weight=traits.weight, part_isolating=traits.part_isolating)
        return found

    def read_converter_class(self, cls: ClassSym, found: CustomConverter) -> CustomConverter:
        """`found` with the regex, weight and part_isolating Werkzeug matches a converter class
        with: set in the class or in a project class it inherits from (the nearest), else kept
        from Werkzeug's base class (model.CONVERTER_BASES). One path segment, weight and
        part_isolating unknown, where an `__init__` may set the regex (Werkzeug passes it the
        rule's arguments) or the class or its bases cannot be read."""
        chain, root = [cls], None  # the class and its project bases, nearest first; Werkzeug's
        while root is None and len(chain) <= 20:
            for base in chain[-1].cls.bases:
                symbol = self.resolve(chain[-1].module, chain[-1].cls.scope, base)
                if isinstance(symbol, ClassSym):
                    chain.append(symbol)
                    break
                if (qualified := self.qualified(symbol)) in CONVERTER_BASES:
                    root = qualified
                    break
            else:
                break
        for owner in chain:
            if "__init__" in owner.cls.methods:
                return replace(found, regex_source=(
                    f"one path segment ({owner.cls.name}.__init__ may set the regex)"))
        if root is None:
            return replace(found, regex_source=(
                f"one path segment (the scan cannot read {chain[-1].cls.name}'s bases)"))
        traits = CONVERTER_BASES[root]

        def written(attribute: str) -> tuple[str, object]:
            """(class, value) of the nearest class that sets `attribute`; value Unresolved when
            it is not a literal; ("", Werkzeug's value) when none does."""
            for owner in chain:
                if attribute in owner.cls.attributes:
                    try:
                        return owner.cls.name, self.evaluate(
                            owner.module, owner.cls.scope, owner.cls.attributes[attribute])
                    except Unresolved:
                        return owner.cls.name, Unresolved
            return "", getattr(traits, attribute)

        owner, class_regex = written("regex")
        regex = class_regex
        if root in CONVERTER_BASES_SETTING_REGEX or not owner:
            regex = traits.regex
            source = f"{root.rsplit('.', 1)[-1]}'s regex {traits.regex!r}"
        elif isinstance(regex, str) and usable_convertor_regex(regex):
            source = f"{owner}.regex {regex!r}"
        else:  # (its weight, a literal all the same, is for the report: bepasty's 200)
            weight = written("weight")[1]
            return replace(found, weight=weight if type(weight) is int else None, regex_source=(
                f"one path segment ({owner}.regex is not a literal it can use)"))
        _, weight = written("weight")
        # Werkzeug's __init_subclass__: a class setting `regex` and not `part_isolating` keeps
        # to one segment unless its regex holds a slash
        part_isolating: object = traits.part_isolating
        for kept in chain:
            if "part_isolating" in kept.cls.attributes:
                part_isolating = written("part_isolating")[1]
                break
            if "regex" in kept.cls.attributes:  # (the nearest class setting it: `owner`)
                part_isolating = "/" not in class_regex if isinstance(class_regex, str) else None
                break
        return replace(
            found, regex=regex, regex_source=source,
            weight=weight if type(weight) is int else None,
            part_isolating=part_isolating if isinstance(part_isolating, bool) else None)

    def run_middleware(self, apps: list[App], wrapped: str, qualified: str, passes_on: str,
                       does: str, file: str, line: int | None) -> None:
        """Middleware that only changes the request before handing it on (scan/middleware.py,
        PASSING_MIDDLEWARE, EXTENSION_MIDDLEWARE): the generated app runs it before each
        converted route (flask_compat's LegacyMiddlewarePass), so the apps' routes stay
        convertible; each app records it. `wrapped` says what wraps which app (the message)."""
        for app in apps:
            app.middleware[qualified] = passes_on
        self.diagnostic(
            "scan.wsgi_middleware", (
                f"{wrapped}, which {does}: converted routes run it first, as Flask does (a "
                "request it answers, or whose path or method it changes, or a header, query "
                "string or body the route reads, gets Flask's answer)"),
            file, line, severity="info")

    def mark_replaced_views(self) -> None:
        """`app.view_functions[endpoint] = require_key(view)` (or `.update(...)`, `del`): Flask
        runs another view than the one the scan read, often a wrapped one. Every route it may
        touch (the key's endpoint, or all of the app's when the key is not a literal; every
        app's when the object is not one the scan knows) is manual: converting the scanned view
        could drop the wrapper's checks."""
        # the project's own code first, then test modules, each in file and line order: a
        # route's first reason is then the write that runs in production, if one does
        writes = sorted(((module, write) for module in list(self.modules.values())
                         for write in module.view_functions_writes),
                        key=lambda found: (looks_like_test(found[0].file), found[0].file,
                                           found[1].line or 0))
        reasons: list[tuple[list[Route], str]] = []
        for module, write in writes:
            touched = [route for route in self.routes_of_app(module, write.scope, write.owner)
                       if write.endpoint is None or route.endpoint == write.endpoint]
            key = repr(write.endpoint) if write.endpoint is not None else "..."
            where = f"{module.file}:{write.line}"
            self.diagnostic(
                "scan.view_functions_replaced",
                f"`{write.owner}.view_functions[{key}]` is written (a view replaced or "
                "wrapped): "
                f"{len(touched)} route(s) keep the view Flask runs now, on Flask"
                f"{hint_for_test_module(module.file)}",
                module.file, write.line)
            reasons.append((touched, (
                f"scan.view_replaced: {where} changes `{write.owner}.view_functions"
                f"[{key}]`, so Flask may run another view (a wrapped one) than the one "
                f"the scan read; the route stays on Flask{hint_for_test_module(module.file)}")))
        # keep_on_flask puts a reason before those a route has: the last one put is read first
        for touched, reason in reversed(reasons):
            for route in touched:
                keep_on_flask(route, reason)

    def mark_endpoint_clashes(self) -> None:
        """Two views registered under one endpoint of an app (`page_new` in one branch of an
        `if` on the setup, `page_old` in the other, both `endpoint="page"`). Flask keeps one
        view per endpoint and refuses a second (`add_url_rule` raises AssertionError), so at
        most one of those registrations runs, and which one only the setup tells. Converted,
        each view would be a FastAPI route of its own, and the first would answer every
        request whatever Flask runs: all of them stay on Flask."""
        by_endpoint: dict[tuple[str, str], list[Route]] = {}
        for route in self.result.routes:
            if not route.endpoint.startswith("<"):  # (an endpoint the scan could not read)
                by_endpoint.setdefault((route.app, route.endpoint), []).append(route)
        for (_app, endpoint), routes in by_endpoint.items():
            views = {(route.view_module, route.function): route for route in routes}
            if len(views) < 2 or any(not function for _module, function in views):
                continue
            first = min(routes, key=lambda route: (route.file, route.line or 0))
            self.diagnostic(
                "scan.endpoint_clash",
                f"{len(views)} views are registered under the endpoint `{endpoint}`: Flask "
                "keeps one view per endpoint and refuses a second (AssertionError), so at most "
                "one of these registrations runs, which the setup decides; their routes stay "
                "on Flask",
                first.file, first.line)
            for route in routes:
                others = ", ".join(
                    f"`{function}` ({other.file}:{other.line})"
                    for (module, function), other in views.items()
                    if (module, function) != (route.view_module, route.function))
                keep_on_flask(route, (
                    f"scan.endpoint_clash: the endpoint `{endpoint}` is registered with another "
                    f"view too, {others}; Flask runs one view per endpoint, chosen when the app "
                    "is set up, so the route stays on Flask"))

    def api_hosts(self, api: FlaskObject) -> list[FlaskObject]:
        hosts = list(api.attached_to)
        if api.call.args and isinstance(api.call.args[0], Ref):
            host = self.target_object(api.module, api.scope, api.call.args[0].dotted)
            if host is not None:
                hosts.append(host)
        app_kw = api.call.kwarg("app")
        if isinstance(app_kw, Ref):
            host = self.target_object(api.module, api.scope, app_kw.dotted)
            if host is not None:
                hosts.append(host)
        return hosts

    def declared_routes(self, blueprint: FlaskObject) -> int:
        """How many rules the blueprint declares, with the resources of the Flask-RESTful and
        RESTX Apis on it (and of their namespaces)."""
        count = len(blueprint.declarations)
        for api in self.apis_on(blueprint):
            count += len(api.declarations) + sum(
                len(child.declarations) for child, *_ in api.children
                if child.kind == "namespace")
        return count

    def unlisted_routes(self, blueprint: FlaskObject) -> str:
        """What a warning about a blueprint the scan never sees registered says is missing: the
        routes it counts, or, where it counts none, those its Apis get in ways it cannot read
        (keystone adds every resource through `self.api`, a property over `self.__api`)."""
        count = self.declared_routes(blueprint)
        if count:
            return f"its {count} route(s) are not listed"
        apis = self.apis_on(blueprint)
        names = ", ".join(f"`{api.variable}`" for api in apis)
        return (f"the routes its Api{'s' if len(apis) > 1 else ''} {names} get are not listed "
                "(the scan sees no resource added)")

    def apis_on(self, obj: FlaskObject) -> list[FlaskObject]:
        return [o for o in self.objects.values()
                if o is not None and o.kind in ("restful_api", "restx_api") and obj in
                self.api_hosts(o)]

    def runs_when_loaded(self, module: ModuleFacts, scope: str, app: App) -> bool:
        """Whether the function `scope` of `module` (its outermost enclosing function) runs when
        the app is loaded: when some module is imported (a module-level call, outside `if
        __name__ == "__main__":`) or when the app's factory is called, directly or through the
        project functions they call."""
        top = scope.split(".")[0]
        if "." in scope and module.function(top) is None:
            top = ".".join(scope.split(".")[:2])  # a method: `WebUI.__init__`
        key = (module.module, top)
        if key in self.loaded_functions(app):
            return True
        # a module-level call in a file the pre-filter skipped (`wsgi.py`: `main()`)
        name = top.rsplit(".", 1)[-1]
        if name in self._callers_parsed:
            return False
        self._callers_parsed.add(name)
        known = len(self.modules)
        self.parse_pending_mentioning({name})
        if len(self.modules) == known:
            return False
        self._loaded_functions.clear()
        return key in self.loaded_functions(app)

    def loaded_functions(self, app: App) -> set[tuple[str, str]]:
        """(module, qualname) of every project function that runs when `app` is loaded: by the
        module-level calls of the modules that loading it may import, and by its factory.
        Not those of a module nothing there imports: udata's `wsgi.py`, `app =
        standalone(create_app())`, registers the API's blueprints on the app it makes itself,
        which the app the package makes with `create_app()` lacks."""
        cached = self._loaded_functions.get(app.key)
        if cached is not None:
            return cached
        pending = self.import_time_calls(self.loading_modules(app))
        factory_module = self.modules.get(app.module)
        if app.factory and factory_module is not None:
            pending.append((factory_module, "", app.factory))
        found = self.functions_run_by(pending)
        self._loaded_functions[app.key] = found
        return found

    def loading_modules(self, app: App) -> list[str]:
        """The modules the generated package may import to get `app`: its module, the one whose
        function wraps it, and the one pyproject.toml states (`[tool.migrate] legacy-app`, for
        whichever app it turns out to name: udata's `udata.wsgi:app`)."""
        named = [app.module]
        if app.loaded_with:
            named.append(app.loaded_with)
        if app.wrapping_factory:
            named.append(app.wrapping_factory.partition(":")[0])
        if self.stated.legacy_app is not None:
            named.append(self.stated.legacy_app.module)
        return named

    def functions_run_by(self, pending: list[tuple[ModuleFacts, str, str]]
                         ) -> set[tuple[str, str]]:
        """(module, qualname) of every project function that the calls `pending` (module,
        scope, called name) run, and the calls of those run, at any depth."""
        found: set[tuple[str, str]] = set()
        while pending:
            module, scope, called = pending.pop()
            symbol = self.resolve(module, scope, called)
            if symbol is None and scope == "" and module.function(called) is not None:
                symbol = FuncSym(module, module.function(called))  # a method: `WebUI.__init__`
            symbols = [symbol] if symbol is not None or "." not in called else [
                # `module.init_app(app)` on modules imported by name in a loop
                callee for call in module.calls if call.scope == scope
                and call.expr.func == called for callee in self.callees(module, call)]
            for symbol in symbols:
                if not isinstance(symbol, FuncSym):
                    continue
                key = (symbol.module.module, symbol.function.qualname)
                if key in found:
                    continue
                found.add(key)
                pending.extend((symbol.module, symbol.function.qualname, name)
                               for name in sorted(symbol.function.calls))
        return found

    def stated_prefix(self, parent_name: str, own_name: object) -> tuple[str, str] | None:
        """The prefix `[tool.migrate.blueprint-prefixes]` states for the blueprint registered
        as `own_name` under `parent_name` (its dotted name), with that name; None if none."""
        name = registration_name(parent_name, own_name)
        if name is None:
            return None
        prefix = self.stated.blueprint_prefixes.get(name)
        return None if prefix is None else (name, prefix)

    def take_stated_prefix(self, stated: tuple[str, str], unread: str, file: str,
                           line: int | None) -> str:
        """The stated prefix, for a registration whose own the scan cannot read; noted."""
        name, prefix = stated
        self.stated_prefixes_used.add(name)
        self.diagnostic("scan.stated_prefix",
                        f"{unread}; taken as {prefix!r}, as {self.stated.source} states for "
                        f"`{name}` ([tool.migrate.blueprint-prefixes])", file, line,
                        severity="info")
        return prefix

    def refuse_stated_prefix(self, stated: tuple[str, str], read: object, file: str,
                             line: int | None) -> None:
        """A statement for a prefix the scan reads in the source: the source wins."""
        name, prefix = stated
        self.stated_prefixes_used.add(name)
        if read != prefix:
            self.diagnostic("scan.stated_prefix_ignored",
                            f"{self.stated.source} states {prefix!r} as the prefix of `{name}`, "
                            f"but this registration gives {read!r}, which the scan reads: the "
                            "source's is used", file, line)

    def take_stated_app(self) -> None:
        """The factory call `[tool.migrate] legacy-app` states, for the app that factory makes;
        not where that call would make an app without some of its routes (blueprints a wrapping
        factory, a module's instance or code loading it never runs registers)."""
        stated = self.stated.legacy_app
        if stated is None:
            return
        if stated.is_object:
            self.take_stated_instance(stated)
            return
        # the app's factory, or, for the instance of a project subclass of Flask, a function
        # that makes it (grip's `grip.api:create_app(path, render_offline=True)`)
        apps = [app for app in self.result.apps
                if app.module == stated.module and app.factory == stated.factory
                or (stated.module, stated.factory) in self.subclass_app_makers.get(id(app), ())]
        returning = self.module_app_returned_by(stated)
        if returning is not None and returning not in apps:
            apps.append(returning)
        if not apps:
            self.diagnostic("scan.stated_app_unused",
                            f"[tool.migrate] legacy-app states `{stated.text}`, but the scan "
                            f"found no app made or returned by a function `{stated.factory}` "
                            f"of `{stated.module}`: it is not used", self.stated.source,
                            stated.line)
            return
        for app in apps:
            lost = self.registrations_lost(app, app.instance_registrations)
            if app is returning:
                # a module-level app: the stated call must run what sets up its middleware
                lost += [f"the middleware where {entry}" for entry in self.setters_left_out(
                    app, (self.modules[stated.module], stated.factory))]
            elif app.wrapping_factory and id(app) not in self.subclass_app_makers:
                lost.append(f"the blueprints `{app.wrapping_factory}` gives the factory")
            self.use_statement(app, lost, "that call makes an app without",
                               f"makes this app with `{stated.call}`")

    def registrations_lost(self, app: App, instance_registrations: list[str]) -> list[str]:
        """What the app a statement gives lacks of `app`'s blueprints: those registered by code
        that loading it does not run, and `instance_registrations` (module-level code
        registering on an app the factory made)."""
        return [f"blueprints registered by {what}: {entries[0]}" for what, entries in (
            ("code that loading the app does not run", app.run_time_registrations),
            ("module-level code on an app the factory made", instance_registrations))
            if entries]

    def use_statement(self, app: App, lost: list[str], lacking: str, taken: str) -> None:
        """`[tool.migrate] legacy-app` for `app` (scan.stated_app), unless what it gives
        lacks something of `app` (`lost`: scan.stated_app_ignored, at the statement)."""
        stated = self.stated.legacy_app
        assert stated is not None
        if lost:
            self.diagnostic("scan.stated_app_ignored",
                            f"[tool.migrate] legacy-app states `{stated.text}`, but {lacking} "
                            f"{'; '.join(lost)}: it is not used", self.stated.source, stated.line)
            return
        app.stated_app = stated.text
        self.diagnostic("scan.stated_app",
                        f"the generated package {taken}, as {self.stated.source} states "
                        "([tool.migrate] legacy-app)", app.file, app.line, severity="info")

    def take_stated_instance(self, stated: StatedApp) -> None:
        """`[tool.migrate] legacy-app` naming a module-level app made with a factory (App.
        instances: terracotta's `terracotta.server.app:app`, made with `create_app(debug=
        settings.DEBUG, ...)`): the package imports it; not where that app lacks routes
        (blueprints that code loading it does not run registers, or module-level code of
        another module registers on another instance; a wrapping factory it was not made by)."""
        name = f"{stated.module}:{stated.call}"
        apps = [app for app in self.result.apps if name in app.instances]
        stated_module = self.module(stated.module)
        target = self.target_object(stated_module, "", stated.call) \
            if stated_module is not None and not apps else None
        if target is not None and isinstance(target.model, App) and not target.model.factory:
            # a module-level app that the stated module imports, and sets up or adds to
            # (`from shop import app` in wsgi.py, with an auth hook): importing it gives that
            self.use_statement(target.model, [], "", f"imports `{name}`, the app of "
                                                     f"`{target.model.module}`")
            return
        if not apps:
            self.diagnostic("scan.stated_app_unused",
                            f"[tool.migrate] legacy-app states `{stated.text}`, but the scan "
                            f"found no module-level name `{stated.call}` of `{stated.module}` "
                            "bound to an app made with a factory: it is not used",
                            self.stated.source, stated.line)
            return
        for app in apps:
            # (module-level code of the stated module registers on that very app)
            lost = self.registrations_lost(app, [
                entry for entry in app.instance_registrations
                if not entry.startswith(f"{stated.module}:")])
            call = self.instance_calls.get(id(app), {}).get(name)
            wrapper = (app.wrapping_factory or "").partition(":")[2]
            if wrapper and id(app) not in self.subclass_app_makers and (
                    call is None or call[0].func.rsplit(".", 1)[-1] != wrapper):
                lost.append(f"the blueprints `{app.wrapping_factory}` gives the factory")
            self.use_statement(app, lost, "that app lacks",
                               f"imports this app's instance `{name}`")

    def note_instances_made_with_arguments(self) -> None:
        """A factory the generated package calls bare (no argument lacks a default), while a
        module binds an app it made with arguments (terracotta's `terracotta.server.app:app =
        create_app(debug=settings.DEBUG, profile=settings.FLASK_PROFILE)`, which production
        serves): the package's app may differ from production's (debug, configuration). Which
        one production serves, a `wsgi.py` or a `run.py` for development, the scan cannot tell:
        a warning names it and how to state it."""
        for app in self.result.apps:
            if not app.factory or "." in app.factory or app.factory_requires \
                    or app.stated_app or app.wrapping_factory or app.instance_registrations:
                continue  # the package does not call the factory bare
            made = [(name, *found) for name, found in sorted(
                self.instance_calls.get(id(app), {}).items()) if found[0].args or found[0].kwargs]
            if not made:
                continue
            name, _, code, file, line = made[0]
            more = f" ({len(made) - 1} more such)" if len(made) > 1 else ""
            self.diagnostic(
                "scan.instance_with_arguments",
                f"`{name}` is made with `{code}`{more}, where the generated package calls "
                f"`{app.factory}()` with no arguments: if production serves that app, state it "
                f"in pyproject.toml (`[tool.migrate]` `legacy-app = \"{name}\"`)", file, line)

    def note_factory_called_with_arguments(self) -> None:
        """A factory the generated package calls bare (no argument lacks a default), which the
        project itself calls only with arguments, in functions (mapchete's `serve` command:
        `create_app(mapchete_files=..., mode=...)`, where a bare call raises; cornflow's
        `create_app("production")` in its service command, where the default is
        "development"): production's app is made by such a call, which the package's is not.
        A warning names the first call and how to state it."""
        for app in self.result.apps:
            if not app.factory or "." in app.factory or app.factory_requires \
                    or app.stated_app or app.wrapping_factory or app.instance_registrations \
                    or app.instances or looks_like_test(app.file):
                continue  # the package does not call the factory bare
            module = self.module(app.module)
            factory = module.function(app.factory) if module is not None else None
            if factory is None:
                continue
            calls: list[tuple[str, int, str, str]] = []  # file, line, function, code
            for caller, found, callee in self.resolved_calls(app.factory):
                if isinstance(callee, FuncSym) and callee.function is factory \
                        and found.scope != app.factory:
                    code = "" if not (found.call.args or found.call.keywords) else " ".join(
                        (ast.get_source_segment(self.source_text(caller.module).decode(
                            "utf-8", "replace"), found.call) or "").split())
                    calls.append((caller.file, found.call.lineno, found.scope, code))
            if not calls or not all(code for *_, code in calls):
                continue  # never called, or called bare somewhere, as the package does
            file, line, scope, code = min(calls)
            where = f"in {scope}()" if scope else "at module level"
            more = f" ({len(calls) - 1} more such)" if len(calls) > 1 else ""
            self.diagnostic(
                "scan.factory_called_with_arguments",
                f"the project calls `{app.factory}` only with arguments (`{code[:160]}` {where}"
                f"{more}), where the generated package calls `{app.factory}()` with none: if "
                "production makes the app so, state the call in pyproject.toml (`[tool.migrate]` "
                f"`legacy-app = \"{app.module}:{app.factory}(...)\"`) or give the package's "
                "`create_app(legacy_app)` the app", file, line)

    def instance_setup_steps(self, app: App, name: str) -> list[tuple[int, str]]:
        """The statements of its module that set up the instance `name` ("module:variable") of
        `app` after the factory made it (module_setup_steps)."""
        found = self.instance_calls.get(id(app), {}).get(name)
        module_name, _, variable = name.partition(":")
        if found is None or found[3] is None:
            return []
        tree = self.syntax_tree(module_name)
        module = self.module(module_name)
        if tree is None or module is None:
            return []
        return module_setup_steps(tree, variable, found[3], lambda called: isinstance(
            self.resolve(module, "", called), ExternalSym))

    def development_instance(self, app: App, name: str) -> str | None:
        """Why the instance `name` of `app` looks like one made for development rather than the
        one production serves, or None: its module sets debug on (opentaxii's `cli.py`, `app.
        debug = True`, beside `http.py`, gunicorn's), or is named like a command (`cli`,
        `manage`, `debug`...)."""
        for line, code in self.instance_setup_steps(app, name):
            if DEBUG_ON.search(code):
                return f"its module sets debug on, `{code}` at line {line}"
        last = name.partition(":")[0].rsplit(".", 1)[-1]
        return f"a module named `{last}`" if last in DEVELOPMENT_MODULES else None

    def note_instances_chosen(self) -> None:
        """Several module-level apps made with a factory the package cannot call bare
        (opentaxii's `create_app(server)`: `opentaxii.cli:app`, made with debug on, and
        `opentaxii.http:app`, gunicorn's): the package imports the first of App.instances,
        which puts those that look made for development last (development_instance). Which one
        production serves the scan cannot know: a warning names the one taken, the others, and
        how to state another."""
        for app in self.result.apps:
            if len(app.instances) < 2 or not app.factory or app.stated_app \
                    or app.wrapping_factory or app.instance_registrations:
                continue
            if not app.factory_requires and ("." not in app.factory or app.flask_subclass):
                continue  # the package calls the factory (or the app's subclass) itself
            chosen, others = app.instances[0], app.instances[1:]
            described = [f"`{name}`" + (f" ({why})" if (
                why := self.development_instance(app, name)) else "") for name in others]
            _, _, file, line = self.instance_calls[id(app)][chosen]
            self.diagnostic(
                "scan.instance_chosen",
                f"the generated package imports `{chosen}`, one of {len(app.instances)} apps "
                f"module-level code makes with `{app.factory}`; the other(s): "
                f"{', '.join(described)}. If production serves another, state it in "
                f"pyproject.toml (`[tool.migrate]` `legacy-app = \"{others[0]}\"`)",
                file, line)

    def note_instances_set_up_further(self) -> None:
        """A factory the generated package calls bare, while a module binds an app it made and
        its module-level code goes on setting that app up (pgAdmin 4's `pgAdmin4.py`: `app =
        create_app()`, then `app.PGADMIN_INT_KEY = ...`, `app.wsgi_app = ReverseProxied(...)`,
        `app.run_before_app_start()`): the package's app lacks that setup (pgAdmin's answers
        500 to every request without `PGADMIN_INT_KEY`). Which app production serves the scan
        cannot tell: a warning names the instance, what sets it up, and how to state it."""
        for app in self.result.apps:
            if not app.factory or "." in app.factory or app.factory_requires \
                    or app.stated_app or app.wrapping_factory:
                continue  # the package does not call the factory bare
            found = []
            for name, (_, _, file, _) in sorted(self.instance_calls.get(id(app), {}).items()):
                steps = self.instance_setup_steps(app, name)
                if steps:
                    found.append((name, file, steps))
            if not found:
                continue
            name, file, steps = found[0]
            first_line, first_code, more = first_and_more(steps, " statement(s)")
            self.diagnostic(
                "scan.instance_set_up",
                f"`{name}` is set up further by its module after the factory made it "
                f"(`{first_code}` at line {first_line}{more}), which the generated package's "
                f"call of `{app.factory}()` skips: if production serves that app, state it in "
                f"pyproject.toml (`[tool.migrate]` `legacy-app = \"{name}\"`)", file, first_line)

    def note_apps_set_up_where_run(self) -> None:
        """A module-level function that sets an app up and then serves it itself (OWASP
        Nettacker's `start_api_subprocess(options)`: `app.config["OWASP_NETTACKER_CONFIG"] =
        {...}`, then `app.run(...)`): production's app is the one so set up, which the app the
        generated package loads (an import, a bare factory call) is not (Nettacker's hooks
        read that config: 500 on every request). A warning names the function, the first
        statement that sets the app up and the `run` call, unless the project states the app."""
        for module_name, tree in self.project_trees(".run("):
            module = self.module(module_name)
            if module is None:
                continue
            for function in tree.body:
                if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for call in ast.walk(function):
                    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and call.func.attr == "run" and isinstance(call.func.value, ast.Name)):
                        continue
                    name = call.func.value.id
                    target = self.target_object(module, function.name, name)
                    app = target.model if target is not None else None
                    if not isinstance(app, App) or app.stated_app or app.wrapping_factory:
                        continue
                    steps = module_setup_steps(
                        tree, name, 0, lambda called, module=module, scope=function.name:
                        isinstance(self.resolve(module, scope, called), ExternalSym),
                        statements=[s for s in function.body if s.lineno < call.lineno])
                    if not steps:
                        continue
                    first_line, first_code, more = first_and_more(steps, " statement(s)")
                    self.diagnostic(
                        "scan.app_set_up_where_run",
                        f"`{name}` is set up in {function.name}() (`{first_code}` at line "
                        f"{first_line}{more}), which then serves it itself with `{name}.run(...)` "
                        f"(line {call.lineno}): the app the generated package loads lacks that "
                        "setup. If production serves the app so, give the package the app set "
                        "up the same way: call its `create_app(legacy_app)` with it, or state a "
                        "function that sets it up and returns it in pyproject.toml "
                        "(`[tool.migrate]` `legacy-app = \"module:function()\"`)",
                        module.file, first_line)
                    break

    def mark_apps_set_up_elsewhere(self) -> None:
        """An app made at module level that modules its loading does not import add to: its
        routes, request hooks, error handlers or extensions written in a module the app's own
        module (and the modules the package imports to load it: `loading_modules`) does not
        import, as far as import statements show. Production's app has them where it is served
        from such a module (`gunicorn wsgi:app`, wsgi.py adding an auth hook; sematic's
        `server.py`, importing every view module), or lacks them where nothing imports it
        (sematic's test-only storage routes). The routes stay on Flask (a converted one would
        answer where production's app may not); where nothing is stated, a warning names the
        module and the package asks for the app (App.set_up_elsewhere), since an import of the
        app's module would serve it without, an auth hook perhaps; a statement of the module
        production serves (`legacy-app = "wsgi:app"`) makes it one the package imports. Where
        one module of the project imports all of them (sematic's `server.py`), starting no
        server when imported, the package imports it first (App.loaded_with) and nothing is
        lost. Not where the modules loading the app import others by name (`importlib`, a
        package walk): which ones the scan cannot tell."""
        files = {facts.file: name for name, facts in self.modules.items()}
        for app in self.result.apps:
            if app.factory or looks_like_test(app.file):
                continue
            loaded = self.modules_imported_from(self.loading_modules(app))
            if any(word in self.source_text(name) for name in loaded for word in (
                    b"import_module", b"__import__", b"import_string", b"walk_packages",
                    b"iter_modules", b"find_modules")):
                continue
            # (a blueprint's routes join the app where it is registered, which the scan
            # follows on its own: scan.run_time_registration, App.instance_registrations)
            routes = [route for route in self.result.routes
                      if route.app == app.key and route.blueprint is None]
            additions = [
                *((route.module, route.line, f"the route {route.rule}") for route in routes),
                *((files.get(hook.file), hook.line, f"the {hook.kind} hook "
                   f"{hook.function or ''}".rstrip()) for hook in [*app.hooks,
                                                                   *app.error_handlers]),
                *((files.get(extension.file), extension.line, extension.name)
                  for extension in app.extensions)]
            added: dict[str, list[tuple[int, str]]] = {}
            for module, line, what in additions:
                if module and module not in loaded and line is not None and not looks_like_test(
                        self.module_file(module)) and self.runs_on_import(module, line):
                    added.setdefault(module, []).append((line, what))
            if not added:
                continue
            serving = self.serving_module(app, added)
            if serving is not None and not app.stated_app:
                # sematic's `server.py`, which imports every view module: the package imports it
                app.loaded_with = serving
                self._loaded_functions.pop(app.key, None)  # (loading_modules grew)
                self.diagnostic(
                    "scan.loaded_with",
                    f"the generated package imports `{serving}` before taking `{app.name}` from "
                    f"`{app.module}`: it imports the modules that add to the app "
                    f"({', '.join(f'`{name}`' for name in sorted(added))}), as serving the app "
                    "from it does", self.module_file(serving), None, severity="info")
                continue
            stated = self.stated.legacy_app if app.stated_app else None
            loader = (f"the generated package, which imports `{app.module}` for the app"
                      if stated is None else f"`{stated.module}`, which the generated package "
                      f"imports for the app as {self.stated.source} states")
            for route in routes:
                if route.module in added:
                    reason = (f"scan.set_up_elsewhere: `{route.module}` adds the route when "
                              f"imported, and {loader}, does not import it: whether "
                              "production's app has it the scan cannot tell; the route stays on "
                              "Flask")
                    if route.status == "manual":
                        route.reasons.append(reason)  # (after what kept it there first)
                    else:
                        keep_on_flask(route, reason)
            for module, found in sorted(added.items()):
                line, what, also = first_and_more(sorted(found))
                file = self.module_file(module)
                if not app.stated_app:
                    app.set_up_elsewhere.append(f"`{module}` ({file}:{line}: {what}{also})")
                self.diagnostic(
                    "scan.set_up_elsewhere",
                    f"`{module}` adds to `{app.name}` of `{app.module}` when imported ({what} "
                    f"at line {line}{also}), and {loader}, does not import it: " + (
                        "production's app lacks it unless production imports the module "
                        "itself; any route it adds stays on Flask" if app.stated_app else
                        "the app production serves from it, or from a module importing it, "
                        "has what the package's would lack (a hook that checks every "
                        "request, perhaps). Any route it adds stays on Flask, and the package "
                        "asks for the app: state the module production serves the app from "
                        "in pyproject.toml (`[tool.migrate]` `legacy-app = "
                        f"\"{serving or module}:{app.name}\"`)"), file, line or None)

    def serving_module(self, app: App, added: Collection[str]) -> str | None:
        """A module of the project outside tests that imports `app`'s module and every module of
        `added` (sematic's `server.py`, the one that imports its views), as far as import
        statements show, and that starts no server when imported (imports_quietly): the one
        importing the fewest modules, else the first by name; None where there is none."""
        sites = self.import_sites([name for name in self.source_files
                                   if not looks_like_test(self.module_file(name))])
        needed = {app.module, *added}
        best: tuple[int, str] | None = None
        for importer in sorted({site[0] for name in added for site in sites.get(name, ())}):
            reached = self.modules_imported_from([importer])
            if needed <= reached.keys() and (best is None or len(reached) < best[0]) \
                    and self.imports_quietly(importer):
                best = (len(reached), importer)
        return best[1] if best is not None else None

    def imports_quietly(self, name: str) -> bool:
        """Whether importing the project module `name` starts no server: no module-level call
        outside `if __name__ == "__main__":` of a `run`, `serve`, `serve_forever` or
        `run_simple` (a `run.py` calling `app.run()` unguarded would block the import)."""
        facts = self.module(name)
        return facts is not None and not any(
            called.rsplit(".", 1)[-1] in ("run", "serve", "serve_forever", "run_simple")
            for called in facts.import_time_calls)

    def runs_on_import(self, module: str, line: int) -> bool:
        """Whether the statement at `line` of the project module `module` runs when the module
        is imported: outside every function's body (a decorator of a module-level function is
        outside its body)."""
        if module not in self._function_spans:
            tree = self.syntax_tree(module)
            self._function_spans[module] = [
                (node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))] \
                if tree is not None else None
        spans = self._function_spans[module]
        return spans is not None and not any(first <= line <= last for first, last in spans)

    def module_app_returned_by(self, stated: StatedApp) -> App | None:
        """The app made at module level that the stated function returns: a module-level
        function outside tests (ironic-inspector's `get_app()`, which returns `_app` with its
        middleware set up around `wsgi_app`), production's way to get that app."""
        module = self.module(stated.module)
        function = module.function(stated.factory) if module is not None else None
        if module is None or function is None or function.scope or function.in_class \
                or looks_like_test(module.file):
            return None
        product = self.factory_product(FuncSym(module, function))
        if product is None or not isinstance(product.model, App) or product.model.factory:
            return None
        return product.model

    def unpassed_factory_defaults(self, app: FlaskObject, module: ModuleFacts, scope: str
                                  ) -> dict[str, Value]:
        """The defaults of the parameters of the module-level function that made `app`, for code
        in its own body (`scope`), that no call of it passes: localtileserver's `create_app(
        url_prefix="/")` registers its blueprint with `url_prefix=url_prefix` and is called
        bare, by production's wsgi.py and by the generated package alike. Empty where a call the
        scan found (outside tests), or the stated `legacy-app`, passes arguments it cannot
        place (`*args`, `**kwargs`), and for a parameter the body binds again."""
        function = module.function(scope) if app.module is module and app.scope == scope \
            else None
        if function is None or function.scope or function.in_class is not None \
                or not function.defaults:
            return {}
        stated = self.stated.legacy_app
        if stated is not None and not stated.is_object and stated.module == module.module \
                and stated.factory == function.name and stated.call != f"{function.name}()":
            return {}  # which parameters the stated call passes is not parsed here
        key = (module.module, function.qualname)
        if key not in self._arguments_given:
            self._arguments_given[key] = self.arguments_given(function)
        passed = self._arguments_given[key]
        rebound = self.names_rebound(module, function) if passed is not None else None
        if passed is None or rebound is None:
            return {}
        return {name: placed_at(default, module, function.scope)
                for name, default in function.defaults.items()
                if name not in passed and name not in rebound}

    def arguments_given(self, function: FunctionFacts) -> set[str] | None:
        """The parameters of the module-level `function` that a call of a function so named
        passes, in a file of the project outside tests; None where one passes `*args` or
        `**kwargs`, or where the name is used otherwise (imported under another name, passed
        on, given to `functools.partial`), so calls of it cannot all be seen. Read from the
        files' syntax trees, as the facts keep only calls that pass names (`create_app(
        url_prefix="/tiles")` is not among them); a call of another function so named counts
        too, which may count a parameter passed that is not, never the other way round."""
        name = function.name
        passed: set[str] = set()
        for _, tree in self.project_trees(name):
            called = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    if isinstance(func, ast.Name) and func.id == name or isinstance(
                            func, ast.Attribute) and func.attr == name:
                        called.add(id(func))
                        if any(isinstance(arg, ast.Starred) for arg in node.args) \
                                or any(keyword.arg is None for keyword in node.keywords):
                            return None
                        passed.update(passed_parameters(function)[:len(node.args)])
                        passed.update(str(keyword.arg) for keyword in node.keywords)
                elif isinstance(node, ast.alias) and node.name.rpartition(".")[2] == name \
                        and node.asname not in (None, name):
                    return None
            if any(isinstance(node, ast.Name) and node.id == name
                   or isinstance(node, ast.Attribute) and node.attr == name
                   for node in ast.walk(tree) if id(node) not in called):
                return None
        return passed

    def named_nowhere(self, module: ModuleFacts, name: str) -> str | None:
        """`name`, where it is a module-level function of `module` that no file of the project
        outside tests names (calls, imports, decorates with, passes on, or calls in its own
        body): only something outside the project runs it, as an entry point does. None
        otherwise."""
        key = (module.module, name)  # asked once per rule the function adds (mlflow's 51)
        if key not in self._named_nowhere:
            self._named_nowhere[key] = self.find_named_nowhere(module, name)
        return self._named_nowhere[key]

    def find_named_nowhere(self, module: ModuleFacts, name: str) -> str | None:
        function = module.function(name)
        if function is None or function.scope or function.in_class is not None:
            return None
        for module_name, tree in self.project_trees(name):
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and node.name == name and module_name == module.module:
                    continue  # its definition (the walk still enters its body)
                if isinstance(node, ast.Name) and node.id == name \
                        or isinstance(node, ast.Attribute) and node.attr == name \
                        or isinstance(node, ast.alias) and name in (
                            node.name.rpartition(".")[2], node.asname):
                    return None
        return name

    def project_trees(self, text: str) -> Iterator[tuple[str, ast.Module]]:
        """The syntax trees of the project's files outside tests that hold `text`, by module
        (a file that does not parse is left out: the scan reported it, and Python does not run
        it either)."""
        for module_name, source in self.source_files.items():
            if looks_like_test(source.relative) or text.encode() not in self.source_text(
                    module_name):
                continue
            tree = self.syntax_tree(module_name)
            if tree is not None:
                yield module_name, tree

    def resolved_calls(self, text: str
                       ) -> Iterator[tuple[ModuleFacts, ScopedCall, Symbol | None]]:
        """Each call in the project's files outside tests that hold `text` (project_trees),
        with its module and what its callee, where a dotted name, resolves to there."""
        for module_name, tree in self.project_trees(text):
            module = self.module(module_name)
            if module is None:
                continue
            for found in calls_with_scope(tree):
                called = ast_dotted(found.call.func)
                yield module, found, (self.resolve(module, found.scope, called)
                                      if called is not None else None)

    def syntax_tree(self, module_name: str) -> ast.Module | None:
        """The Python syntax tree of a file of the project (parsed once); None where it does not
        parse."""
        if module_name not in self._syntax_trees:
            try:
                self._syntax_trees[module_name] = ast.parse(self.source_text(module_name))
            except (SyntaxError, ValueError):
                self._syntax_trees[module_name] = None
        return self._syntax_trees[module_name]

    def rebound_before(self, module: ModuleFacts, function: FunctionFacts,
                       line: int | None) -> set[str]:
        """The names `function`, a project function of `module`, assigns in its own body (not in
        functions nested in it) on a line before `line`; every name it assigns anywhere where
        `line` is not known, or where its `def` cannot be told from another of that name."""
        key = (module.module, function.qualname)
        if key not in self._rebound:
            first: dict[str, int] = {}
            tree = self.syntax_tree(module.module)
            definitions = [node for node in ast.walk(tree) if isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function.name] \
                if tree is not None else []
            exact = [node for node in definitions if function.line in (
                node.lineno, *(decorator.lineno for decorator in node.decorator_list))]
            pending: list[ast.AST] = [statement for node in (exact or definitions)
                                      for statement in node.body]
            while pending:
                node = pending.pop()
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                     ast.Lambda)):
                    continue
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    first[node.id] = min(first.get(node.id, node.lineno), node.lineno)
                pending.extend(ast.iter_child_nodes(node))
            self._rebound[key] = first if len(exact) == 1 or not definitions else {
                name: 0 for name in first}
        return {name for name, at in self._rebound[key].items()
                if line is None or at < line}

    def names_rebound(self, module: ModuleFacts, function: FunctionFacts) -> set[str] | None:
        """The names a module-level function binds in its body besides taking them as
        parameters (`url_prefix = url_prefix.rstrip("/")`), which the facts do not keep for
        local data: any name assigned, deleted, imported or defined in any function of the
        module so named (a superset); None where the module does not parse."""
        tree = self.syntax_tree(module.module)
        if tree is None:
            return None
        bound: set[str] = set()
        for definition in ast.walk(tree):
            if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    or definition.name != function.name:
                continue
            for statement in definition.body:
                for node in ast.walk(statement):
                    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                        bound.add(node.id)
                    elif isinstance(node, ast.alias):
                        bound.add(node.asname or node.name.partition(".")[0])
                    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                           ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) \
                            and node.name:
                        bound.add(node.name)
                    elif isinstance(node, (ast.Global, ast.Nonlocal)):
                        bound.update(node.names)
        return bound

    def default_value(self, module: ModuleFacts, scope: str, value: Value,
                      defaults: dict[str, Value], option: str) -> tuple[object] | None:
        """`value`, a blueprint's `option` (`name` or `url_prefix`), read with the parameters of
        `defaults` standing for their defaults (in a 1-tuple: a prefix may be None); None where
        it still cannot be read, reads none of them, or reads no name or prefix."""
        if not defaults or not reads_any(value, set(defaults)):
            return None
        try:
            read = self.evaluate(module, scope, value, defaults)
        except Unresolved:
            return None
        return (read,) if isinstance(read, str) or read is None and option == "url_prefix" \
            else None

    def report_unused_statements(self) -> None:
        """Stated prefixes of no blueprint the scan found registered: a typo, or a stale line."""
        for name in sorted(set(self.stated.blueprint_prefixes) - self.stated_prefixes_used):
            self.diagnostic("scan.stated_prefix_unused",
                            f"[tool.migrate.blueprint-prefixes] states a prefix for `{name}`, "
                            "which no registration the scan found has", self.stated.source,
                            self.stated.lines.get(name))

    def register(self, app: FlaskObject, bp: FlaskObject, options: dict[str, Value],
                 call: CallFacts, module: ModuleFacts, parent_prefix: str | None,
                 parent_name: str, parent_key: str, depth: int,
                 parent_options: dict[str, str] | None = None, alternative: bool = False,
                 on_instance: bool = False) -> None:
        """Flask's `Blueprint.register`, applied statically."""
        assert isinstance(bp.model, Blueprint)
        if depth > 20:
            return
        # A name or URL prefix known only at run time (`url_prefix=url_prefix`, a parameter of
        # the app factory) still registers the blueprint: its routes are listed, with what is
        # unknown shown in the rule or endpoint, and stay on Flask (the full rule is unknown).
        unknown: list[str] = []
        own_name: object = bp.model.name
        url_prefix: object = None
        for option in ("name", "url_prefix"):
            if option not in options:
                continue
            stated = self.stated_prefix(parent_name, own_name) if option == "url_prefix" else None
            try:
                value = self.evaluate(module, call.scope, options[option])
            except Unresolved as error:
                read = None if stated is not None else self.default_value(
                    module, call.scope, options[option],
                    self.unpassed_factory_defaults(app, module, call.scope), option)
                if read is not None:
                    value = read[0]
                    self.note_factory_default(f"register_blueprint of {bp.model.name!r}: {error}",
                                              value, call.scope, module.file, call.line)
                elif stated is not None:
                    value = self.take_stated_prefix(stated, f"register_blueprint of "
                                                    f"{bp.model.name!r}: {error}", module.file,
                                                    call.line)
                else:
                    value = f"<unresolved: {option}>"  # the reason says why
                    unknown.append(unknown_option_reason(
                        option, f"register_blueprint of {bp.model.name!r}",
                        f"{module.file}:{call.line}", error,
                        registration_name(parent_name, own_name)))
                    self.diagnostic("scan.unresolved_argument",
                                    f"register_blueprint of {bp.model.name!r}: {error}; its "
                                    "routes are listed and stay on Flask", module.file, call.line)
            else:
                if stated is not None:
                    self.refuse_stated_prefix(stated, value, module.file, call.line)
            if option == "name":
                own_name = value
            else:
                url_prefix = value
        for option, error in bp.unresolved.items():
            if option in ("name", "url_prefix") and option not in options:
                # the blueprint's own, which this registration does not replace
                stated = self.stated_prefix(parent_name, own_name) \
                    if option == "url_prefix" else None
                if stated is not None:
                    url_prefix = self.take_stated_prefix(
                        stated, f"Blueprint {bp.model.name!r}: {error}", bp.module.file, bp.line)
                    continue
                unknown.append(unknown_option_reason(
                    option, f"Blueprint {bp.model.name!r}", f"{bp.module.file}:{bp.line}", error,
                    registration_name(parent_name, own_name)))
        if url_prefix is None:
            url_prefix = bp.model.url_prefix
        if parent_prefix is not None and url_prefix is not None:
            url_prefix = parent_prefix.rstrip("/") + "/" + str(url_prefix).lstrip("/")
        elif parent_prefix is not None:
            url_prefix = parent_prefix
        name = f"{parent_name}.{own_name}".lstrip(".")
        bp.model.registrations.append(BlueprintRegistration(
            parent_key, name, url_prefix, module.file, call.line))
        assert isinstance(app.model, App)
        if not call.scope and app.model.factory and depth == 0 and not self.names_current_app(
                module, call.scope, call.expr.func.rpartition(".")[0]):
            # module-level code registering on an app the factory made (wsgi.py): the app a
            # bare call of the factory gives lacks it
            on_instance = True
            where = f"{module.module}:`{name}` ({module.file}:{call.line})"
            if where not in app.model.instance_registrations:
                app.model.instance_registrations.append(where)
        elif call.scope and not self.runs_when_loaded(module, call.scope, app.model):
            where = f"`{name}` in {call.scope}() ({module.file}:{call.line})"
            if where not in app.model.run_time_registrations:
                app.model.run_time_registrations.append(where)
                self.diagnostic(
                    "scan.run_time_registration",
                    f"blueprint `{name}` is registered in {call.scope}(), which neither importing "
                    "a module nor calling the app's factory runs: the app the generated package "
                    "would load lacks its routes (pass the app to create_app(legacy_app))",
                    module.file, call.line)
        inherited = self.blueprint_rule_options(bp, options, parent_options)
        called_at = f"{module.file}:{call.line}"
        # (the nested blueprints of an alternative registration are alternatives with it)
        # (a name the scan cannot read may differ between registrations: CloudKitty's
        # `Blueprint(name, ...)` in a helper called once per API module)
        earlier = None if alternative or registration_name("", name) is None \
            else self.registered_names.get((app.model.key, name))
        # two apps the factory made (in wsgi.py and cli.py) may each have it: no alternatives
        separate_apps = earlier is not None and (on_instance or earlier.on_instance)
        if earlier is not None and earlier.gives_same_routes(bp, url_prefix, inherited):
            if not separate_apps and earlier.where != called_at:
                self.diagnostic(
                    "scan.alternative_registration",
                    f"`{name}` is registered on this app at {earlier.where} too, with the same "
                    "prefix: Flask refuses a second registration under one name, so only one of "
                    "them runs; its routes are listed once", module.file, call.line,
                    severity="info")
            return  # the same routes: listed once
        alternatives = earlier is not None and not separate_apps
        self.registration_options[(app.model.key, name)] = inherited
        static = self.static_declaration(bp)
        first = len(self.result.routes)
        for decl in ([static] if static else []) + self.rule_declarations(bp):
            self.emit(app, decl, prefix=url_prefix, name=name, blueprint=name)
        for api in self.apis_on(bp):
            self.emit_api(app, api, prefix=url_prefix, name=name)
        for child, child_options, child_call, child_module in bp.children:
            self.register(app, child, child_options, child_call, child_module,
                          parent_prefix=url_prefix, parent_name=name, parent_key=bp.model.name,
                          depth=depth + 1, parent_options=inherited,
                          alternative=alternative or alternatives, on_instance=on_instance)
        routes = self.result.routes[first:]
        for route in routes:
            for reason in reversed(unknown):
                keep_on_flask(route, reason)
        if depth == 0 and routes and any(arm > 0 for arm in call.arms):
            # (`if os.environ.get("FLASK_DEBUG"): app.register_blueprint(debug)`, anitya's)
            self.diagnostic(
                "scan.conditional_registration",
                f"blueprint `{name}` is registered inside an if/try/while/match block, so only "
                f"on some paths: its {len(routes)} route(s) exist in the legacy app only where "
                "that path is taken (the generated app checks at start-up that the legacy app "
                "has each converted endpoint's view, and hands the requests of one it lacks to "
                "Flask)", module.file, call.line, severity="info")
        if earlier is None and not alternative:
            self.registered_names[(app.model.key, name)] = NameRegistration(
                bp, url_prefix, inherited, called_at, on_instance, routes)
        if not alternatives:
            return
        assert earlier is not None
        # Flask refuses a second registration under one name (a ValueError since Flask 2.1), so
        # in an app that starts, only one of the two ran (`if bridge: ... else: ...`), chosen
        # at run time: neither's rules can be shown to be the ones Flask serves
        reason = (f"scan.alternative_registration: `{name}` is registered on this app at "
                  f"{earlier.where} and at {called_at} with different rules; Flask refuses a "
                  "second registration under one name, so which one it serves is decided at run "
                  "time; the route stays on Flask")
        self.diagnostic(
            "scan.alternative_registration",
            f"`{name}` is registered on this app at {earlier.where} too, with different rules: "
            "Flask refuses a second registration under one name, so only one of them runs; "
            f"the {len(earlier.routes) + len(routes)} route(s) of both stay on Flask",
            module.file, call.line)
        for route in [*earlier.routes, *routes]:
            if reason not in route.reasons:
                keep_on_flask(route, reason)

    def blueprint_rule_options(self, bp: FlaskObject, options: dict[str, Value],
                               parent_options: dict[str, str] | None) -> dict[str, str]:
        """What Flask's `BlueprintSetupState` adds to every rule of a registration: the
        registration's `subdomain` (else the blueprint's, joined to a parent's as in
        `Blueprint.register`) and the blueprint's `url_defaults` updated by the registration's
        (a parent's `url_defaults` do not reach nested blueprints)."""
        found: dict[str, str] = {}
        subdomains = [text for text in (
            self.option_text("subdomain", options.get("subdomain")),
            self.option_text("subdomain", self.argument_value(bp, 6, "subdomain")),
        ) if text is not None][:1]
        if parent_options and "subdomain" in parent_options:
            subdomains.append(parent_options["subdomain"])
        if subdomains:
            found["subdomain"] = " + '.' + ".join(subdomains)
        defaults = [text for text in (
            self.option_text("defaults", self.argument_value(bp, 7, "url_defaults")),
            self.option_text("defaults", options.get("url_defaults")),
        ) if text is not None]
        if defaults:
            found["url_defaults"] = " | ".join(defaults)
        return found

    @staticmethod
    def option_text(option: str, value: Value | None) -> str | None:
        """The source text of a rule option's value, or None when the value changes nothing
        (`subdomain=None`, `build_only=False`, `defaults={}`, ...)."""
        if isinstance(value, Scoped):  # passed by the caller of a registration helper
            value = value.value
        if value is None:
            return None
        if isinstance(value, Lit):
            if value.value is None or value.value == RULE_OPTION_NO_OPS.get(option, None):
                return None
            return repr(value.value)
        if isinstance(value, Ref):
            return value.dotted
        if isinstance(value, (Unknown, CallExpr, Or)):
            code = call_text(value) if isinstance(value, CallExpr) else value.code or "?"
            return None if code in ("{}", "dict()") and option == "defaults" else code
        return "<an expression>"

    def rule_options(self, app: FlaskObject, decl: RouteDecl, rule: str, name: str,
                     answers_options: bool) -> dict[str, str]:
        """The options of a route's Werkzeug rule that change which requests it answers or how:
        the route's own, its blueprint registration's, and the app's URL matching mode."""
        assert isinstance(app.model, App)
        found = dict(self.registration_options.get((app.model.key, name), {}))
        if answers_options:
            found["provide_automatic_options"] = "False (the view handles OPTIONS)"
        for option, value in decl.options.items():
            if option in ("endpoint", "methods", "strict_slashes", "merge_slashes"):
                continue
            if option in ("*", "**"):
                found[option] = self.option_text(option, value) or "?"
                continue
            text = self.option_text(option, value)
            if text is not None and option == "defaults":
                text = self.defaults_text(decl, text)
            if text is not None:
                found[option] = text
        merge = decl.options.get("merge_slashes")
        if "//" in rule and not (isinstance(merge, Lit) and merge.value is False):
            found["merge_slashes"] = self.option_text("merge_slashes", merge) or "True"
        for option in ("host_matching", "subdomain_matching"):
            text = self.option_text(option, app.call.kwarg(option))
            if text is not None:
                found[option] = text
        return found

    def defaults_text(self, decl: RouteDecl, text: str) -> str:
        """`defaults={pk: None}` in a function called with `pk="user_id"` (Flask's docs'
        `register_api`): the dict with the keys that call gives, `{'user_id': None}`, which
        convert can read; the text as written when a key is not such a parameter's string."""
        if not decl.env:
            return text
        try:
            tree = ast.parse(text, mode="eval").body
        except SyntaxError:
            return text
        if not isinstance(tree, ast.Dict) or any(key is None for key in tree.keys):
            return text  # not a dict display, or one with `**`
        keys: list[str] = []
        for key in tree.keys:
            if isinstance(key, ast.Name) and key.id in decl.env:
                try:
                    value = self.evaluate(decl.module, decl.scope, Ref(key.id), decl.env)
                except Unresolved:
                    return text
                if not isinstance(value, str):
                    return text
                keys.append(repr(value))
            else:
                keys.append(ast.get_source_segment(text, key) or "?")
        values = [ast.get_source_segment(text, value) or "?" for value in tree.values]
        return "{" + ", ".join(f"{key}: {value}" for key, value in zip(keys, values,
                                                                        strict=True)) + "}"

    def static_declaration(self, bp: FlaskObject) -> RouteDecl | None:
        """A blueprint with a `static_folder` serves `<static_url_path>/<path:filename>`."""
        folder_value = self.argument_value(bp, 2, "static_folder")
        if folder_value is None or folder_value == Lit(None):
            return None
        url_path = self.argument(bp, 3, "static_url_path")
        folder = self.argument(bp, 2, "static_folder") if url_path is None else None
        path = static_url_path(url_path, folder)
        if path is None:
            return None  # reported by argument()
        return RouteDecl(bp.module, bp.scope, Lit(f"{path}/<path:filename>"), "route", {},
                         None, "static", "static", bp.line, [], {})

    def app_static_rule(self, app: FlaskObject) -> str | None:
        """The rule Flask adds for the app's static folder ("static" unless the call says
        otherwise; None for `static_folder=None`), `<unresolved: static_url_path>/...` where its
        path cannot be read. Positional arguments count in a call of Flask itself only (a
        subclass or a framework's class may take others there)."""
        direct = app.call.func.rpartition(".")[2] == "Flask"
        folder_value, url_path_value = (
            self.argument_value(app, position, keyword) if direct else app.call.kwarg(keyword)
            for position, keyword in ((2, "static_folder"), (1, "static_url_path")))
        if folder_value == Lit(None):
            return None
        try:
            folder = "static" if folder_value is None else self.evaluate(
                app.module, app.scope, folder_value)
            url_path = None if url_path_value is None else self.evaluate(
                app.module, app.scope, url_path_value)
        except Unresolved:
            return "<unresolved: static_url_path>/<path:filename>"
        if folder is None:
            return None
        path = static_url_path(url_path, folder)
        return f"{path if path is not None else '<unresolved: static_url_path>'}/<path:filename>"

    def emit_api(self, app: FlaskObject, api: FlaskObject, prefix: str | None, name: str) -> None:
        """Flask-RESTful `Api(app_or_bp, prefix=...)` and RESTX namespaces."""
        if api.kind == "restx_api":
            # it serves its Swagger UI (at its `doc=` path, "/" by default) and `/swagger.json`
            # from rules it adds while the app runs: an extension of the app, as APIFlask's is
            extension = Extension(RESTX_API, "constructor" if app not in api.attached_to
                                  else "init_app", api.module.file, api.line)
            assert isinstance(app.model, App)
            if extension not in app.model.extensions:
                self.add_extension(app, extension)
        api_prefix = self.argument(api, 99, "prefix") or ""
        for decl in api.declarations:
            self.emit_resource(app, api, decl, prefix, name, str(api_prefix), None)
        for namespace, options, call, module in api.children:
            path = None
            if "path" in options:
                try:
                    path = self.evaluate(module, call.scope, options["path"])
                except Unresolved:
                    path = None
            if path is None:
                path = self.argument(namespace, 99, "path")
            ns_name = self.argument(namespace, 0, "name")
            if path is None:
                path = f"/{ns_name}"
            for decl in namespace.declarations:
                self.emit_resource(app, api, decl, prefix, name, str(api_prefix) + str(path),
                                   str(ns_name), namespace)

    def emit_resource(self, app: FlaskObject, api: FlaskObject, decl: RouteDecl,
                      prefix: str | None, name: str, api_prefix: str,
                      namespace: str | None, namespace_object: FlaskObject | None = None) -> None:
        emitted = self.resource_emissions.setdefault((id(api), id(decl)), [0])
        registration = emitted[0]  # how many times the Api registered this rule before
        emitted[0] += 1
        decl = self.with_api_decorators(api, decl, namespace_object)
        endpoint = decl.options.get("endpoint")
        if endpoint is None and decl.view_name:
            given = decl.view_name.lower() if api.kind == "restful_api" else \
                self.restx_endpoint(api, decl, namespace, registration)
            decl = replace(decl, options={**decl.options, "endpoint": Lit(given)})
        try:
            url = self.evaluate(decl.module, decl.scope, decl.rule, decl.env)
            rule: Value = Lit(api_prefix.rstrip("/") + str(url) if api_prefix else url)
        except Unresolved:
            rule = decl.rule
        api_class = min(api.classes & (RESTFUL_API_CLASSES | RESTX_API_CLASSES), default=None)
        resolved = replace(decl, rule=rule, resource_api=api_class)
        self.emit(app, resolved, prefix=prefix, name=name, blueprint=name or None)

    def restx_endpoint(self, api: FlaskObject, decl: RouteDecl, namespace: str | None,
                       registration: int) -> str:
        """The endpoint Flask-RESTX gives a resource it registers without one: the class's
        name in snake case, after its namespace's name; a name the Api gave already (the same
        namespace added twice, say) gets `_2`, `_3`... (`Api.default_endpoint`). The URLs of
        one `@ns.route("/a", "/b")` share it."""
        key = (id(api), decl.module.module, decl.line, decl.view_name, registration)
        if key not in self.restx_endpoints:
            dashed = _camel_to_dash(decl.view_name or "")
            base = f"{namespace}_{dashed}" if namespace else dashed
            taken = self.restx_endpoints_taken.setdefault(id(api), set())
            name, suffix = base, 2
            while name in taken:
                name, suffix = f"{base}_{suffix}", suffix + 1
            taken.add(name)
            self.restx_endpoints[key] = name
        return self.restx_endpoints[key]

    def with_api_decorators(self, api: FlaskObject, decl: RouteDecl,
                            namespace: FlaskObject | None = None) -> RouteDecl:
        """`Api(app, decorators=[csrf.exempt, require_key])`: Flask-RESTful applies them to every
        resource's view where `add_resource` registers it (the last outermost), around its own
        `Api.output`: registration wrappers, written as the scan writes `require_key(view)`.
        Flask-RESTX applies a `Namespace(..., decorators=[...])`'s first, then the Api's
        (`chain(namespace.decorators, api.decorators)`, each list's last outermost)."""
        decorators: list[tuple[str, Symbol | None]] = []
        wrappers: list[Wrapper] = []
        for owner in (api, namespace):  # the outermost list first
            if owner is None:
                continue
            # its class may set or apply other decorators: a decorator of unknown effect
            decorators.extend((f"<{method}, which may wrap the view>", None)
                              for method in self.view_wrapping_methods(owner))
            # the list changed where the scan does not follow it: a decorator of unknown effect
            for where in owner.decorator_changes:
                decorators.append((f"<{owner.variable}.decorators changed at {where}>", None))
                wrappers.append(Wrapper(f"<{owner.variable}.decorators>", None))
            value = owner.call.kwarg("decorators") if owner.kind in (
                "restful_api", "restx_api", "namespace") else None
            if value is None:
                continue
            items, where, scope = self.decorator_list(owner.module, owner.scope, value)
            for item in reversed(items or (Unknown("?"),)):  # outermost first
                # (a list or item the scan cannot read: a decorator of unknown effect)
                decorator, wrapper = self.listed_decorator(where, scope, item,
                                                           f"{owner.variable} decorators")
                decorators.append(decorator)
                wrappers.append(wrapper)
        if not decorators:
            return decl
        return replace(decl, decorators=[*decorators, *decl.decorators],
                       wrappers=[*wrappers, *decl.wrappers])

    def http_method(self, module: ModuleFacts, scope: str, dotted: str) -> str | None:
        """`HTTPMethod.GET` or `HTTPMethod.GET.value`, of the standard library's
        `http.HTTPMethod` (Python 3.11+, a string enum: each member is its name, as rucio lists
        its rules' methods): the method's name; None for any other name."""
        owner, _, member = dotted.removesuffix(".value").rpartition(".")
        if not owner or member not in HTTP_METHOD_MEMBERS:
            return None
        symbol = self.resolve(module, scope, owner)
        return member if isinstance(symbol, ExternalSym) and \
            symbol.qualified == "http.HTTPMethod" else None

    def view_wrapping_methods(self, owner: FlaskObject) -> list[str]:
        """The methods of the project class that made the Api or Namespace `owner` (and of its
        project bases) that may wrap its resources' views in what the scan does not read: one
        that sets the decorators it is given (udata's `UDataApi.__init__`, which puts its
        `authentify` first among them), or one through which Api wraps each view. Each as
        `Class.method (file:line)`."""
        cls = self.maker_class(owner) if owner.kind in ("restful_api", "restx_api",
                                                        "namespace") else None
        if not isinstance(cls, ClassSym):
            return []
        found = []
        for klass in self.class_chain(cls):
            for name in klass.cls.methods:
                function = klass.module.function(f"{klass.cls.qualname or klass.cls.name}.{name}")
                if name in API_VIEW_WRAPPING_METHODS or (
                        function is not None and function.names_decorators):
                    line = function.line if function is not None else klass.cls.line
                    found.append(f"{klass.cls.name}.{name} ({klass.module.file}:{line})")
        return found

    def emit(self, app: FlaskObject, decl: RouteDecl, prefix: str | None, name: str,
             blueprint: str | None) -> None:
        assert isinstance(app.model, App)
        reasons: list[str] = []
        module = decl.module
        try:
            rule = str(self.evaluate(module, decl.scope, decl.rule, decl.env))
        except Unresolved as error:
            rule = f"<unresolved: {error}>"
            reasons.append(f"scan.unresolved_rule: the rule {error}")
        if looks_like_test(module.file) and not looks_like_test(app.module.file):
            # a test that makes the app production serves and adds a rule of its own to it
            # (bepasty's `app = create_app()`, then `app.add_url_rule('/test_call', ...)`):
            # production never runs it, and a router would import the test module (and pytest)
            self.diagnostic(
                "scan.test_route",
                f"a test adds the rule `{rule}` to the app `{app.model.key}`; production does not "
                "run tests, so the route is not listed (if this file runs in production, name it "
                "otherwise: the scan takes `tests/` folders, `test_*.py`, `*_test.py` and "
                "`conftest.py` for tests)", module.file, decl.line, severity="info")
            return
        if prefix is not None:
            rule = "/".join((prefix.rstrip("/"), rule.lstrip("/"))) if rule else prefix
        endpoint_value = decl.options.get("endpoint")
        endpoint: str | None = None
        if endpoint_value is not None and endpoint_value != Lit(None):
            try:
                endpoint = str(self.evaluate(module, decl.scope, endpoint_value, decl.env))
            except Unresolved as error:
                reasons.append(f"scan.unresolved_endpoint: the endpoint {error}")
        if endpoint is None:
            endpoint = decl.view_name or "<unknown>"
        if name:
            endpoint = f"{name}.{endpoint}"
        methods, answers_options = self.methods_for(decl, reasons)
        strict = decl.options.get("strict_slashes")
        strict_slashes: bool | None = None
        if isinstance(strict, Lit) and isinstance(strict.value, bool):
            strict_slashes = strict.value
        function, features = self.view_features(decl)
        if isinstance(decl.view, FuncSym) and decl.view.function.in_class is not None \
                and decl.kind != "flask_classful":
            owner = decl.view.function.in_class
            # grip's `self.add_url_rule("/", "render", self._render_page)`: a bound method;
            # `@app.route(...)` on a function in a class body: a plain function
            calls = {"instance": f"as a method of an instance of {owner}",
                     "class": f"as a method of {owner}"}.get(
                method_kind(decl.view.function) or "", "as a plain function")
            reasons.append(
                f"{CLASS_BODY_VIEW}: {function} is defined in the body of class {owner}; "
                f"Flask calls it {calls}, which a router cannot import")
        if isinstance(decl.view, ClassSym):
            reasons.extend(self.class_changes(decl.view))
            reasons.extend(self.unseen_dispatch(decl.view) or self.unread_bases(decl.view))
        if decl.kind in ("function", "method_view", "resource") and not isinstance(
                decl.view, (FuncSym, ClassSym)):
            what = decl.view.qualified if isinstance(decl.view, ExternalSym) else "an expression"
            reasons.append(
                f"scan.view_not_found: the {'resource' if decl.kind == 'resource' else 'view'} "
                f"is {what} the scan cannot follow to a `def` or class in the project (a lambda, "
                "a factory's result, an item of a collection)")
        unread_loop = self.unread_loop_calls.get((module.file, decl.line))
        if unread_loop is not None and not set(unread_loop[2]) & set(decl.env):
            # (a turn of the loop a caller's list gives binds its names: that rule is read)
            call_code, loop_code, _ = unread_loop
            reasons.append(
                f"scan.unread_loop: added once per item of `{loop_code}`, which the scan cannot "
                "read; the loop may add other routes like it")
            self.diagnostic(
                "scan.unread_loop",
                f"`{call_code}` runs once per item of `{loop_code}`, which the scan cannot read (a "
                "call's result, or a value made at run time): the loop may add any number of "
                "routes; one is listed, with what the scan cannot read of it, and stays on Flask",
                module.file, decl.line)
        if decl.kind == "conditional_view":
            reasons.append(
                "scan.conditional_view: the view given where the rule is added is bound "
                "differently on different paths through the code (an if, a loop, a try), so "
                "which view, and which decorators, Flask runs is decided at run time")
        for wrapper in decl.wrappers:
            if wrapper.imports is None:
                reasons.append(
                    f"scan.wrapper_not_importable: `{wrapper.code}` wraps the view where the rule "
                    "is added, with a name bound inside a function or an argument that is not a "
                    "literal, so a converted view cannot be decorated with it")
        inherited = self.inherited_decorator_lists(decl.view) \
            if isinstance(decl.view, ClassSym) else {}
        for key, wrappers in inherited.items():
            for wrapper in wrappers:
                if wrapper.imports is None:
                    reasons.append(
                        f"scan.wrapper_not_importable: `{wrapper.code}` is in the `{key}` of a "
                        "base class in another module, with a name bound inside a function or "
                        "conditionally, or an argument that is not a literal, so a converted "
                        "view cannot be decorated with it")
        unread_guard = decl.env.get(UNREAD_GUARD)
        if isinstance(unread_guard, Lit):
            reasons.append(
                f"scan.loop_condition: the rule is added in a loop, under `if "
                f"{unread_guard.value}`, whose outcome for this item the scan cannot tell: "
                "which items reach this registration, and so which view each rule has, is "
                "decided at run time")
        if decl.registered_by is not None:
            reasons.append(
                f"scan.registering_decorator: registered by @{decl.registered_by.name}(...) "
                f"({module.file}:{decl.registered_by.line}), which adds its own wrapper of the "
                f"view, `{function}`, as the route: a router cannot import that wrapper, so the "
                "route stays on Flask, where it runs")
        unnamed = self.named_nowhere(module, decl.scope.split(".")[0]) \
            if decl.scope and blueprint is None and app.model.factory is None else None
        if unnamed is not None:
            # mlflow's `auth.create_app(app: Flask = app)`, which only its `basic-auth` entry
            # point names: a router would import the plugin's modules, which may not import
            reasons.append(
                f"scan.run_time_rule: the rule is added in {unnamed}() ({module.file}), which no "
                "code of the project calls or names (an entry point's or a command's function): "
                "the app the generated package loads may lack it, and a router would import "
                "code that app never imports, so the route stays on Flask")
        decorator_names = [d for d, _ in decl.decorators]
        view_module = decl.view.module if isinstance(decl.view, (FuncSym, ClassSym)) else None
        route = Route(
            rule=rule,
            methods=methods,
            endpoint=endpoint,
            blueprint=blueprint,
            app=app.model.key,
            file=decl.used_in or module.file,
            line=decl.line,
            function=function,
            # a view that depends on the path taken is a view all the same, one the scan
            # cannot name (`scan.conditional_view` says why)
            kind="function" if decl.kind == "conditional_view"  # type: ignore[arg-type]
            else decl.kind,
            decorators=decorator_names,
            wrapped_at_registration=decl.wrappers,
            inherited_decorator_lists=inherited,
            method_function_decorators={
                function: [name for name, _ in decorators]
                for function, decorators in self.method_function_decorators(decl.view).items()}
            if isinstance(decl.view, ClassSym) else {},
            view_classes=[klass.cls.name for klass in self.view_classes(decl.view)]
            if isinstance(decl.view, ClassSym) else [],
            resource_api=decl.resource_api,
            view_wraps=decl.view_wraps,
            parameters=[PathParameter.from_rule(m) for m in RULE_PARAMETER.finditer(rule)],
            strict_slashes=strict_slashes,
            module=module.module,
            rule_options=self.rule_options(app, decl, rule, name, answers_options),
            view_file=view_module.file if view_module is not None else "",
            view_module=view_module.module if view_module is not None else "",
        )
        route.features = features
        route.decorator_details = [self.decorator_info(d, symbol) for d, symbol in decl.decorators]
        route.status, route.reasons = classify_route(route, decl.decorators, reasons)
        self.result.routes.append(route)

    def decorator_info(self, dotted: str, symbol: Symbol | DecoratorClassSym | None,
                       seen: frozenset[str] = frozenset()) -> DecoratorInfo:
        if isinstance(symbol, DecoratorClassSym):
            qualified = symbol.instance or self.qualified(symbol.cls)
            call = self.own_call_method(symbol.cls)
            if not symbol.called:
                # `@PageView.logged`: the instance wraps the view; a class the scan cannot read
                # so (`shape` None) stays on Flask, as classify says
                info = DecoratorInfo(dotted, qualified, "project", False)
                if symbol.cls.cls.bare_wrapper is not None:
                    self.read_wrapper_shape(info, symbol.cls.cls.bare_wrapper, symbol.cls.module,
                                            f"{symbol.cls.cls.qualname}.__call__", seen)
                return info
            if call is None:
                return DecoratorInfo(dotted, qualified, "project", True, shape="unread",
                                     shape_reason="its class has no `__call__` of its own to read")
            if symbol.factory:  # `@require_auth(scopes=[...])` on an instance
                return self.function_decorator_info(dotted, qualified, symbol.cls.module, call,
                                                    seen)
            info = DecoratorInfo(dotted, qualified, "project", call.uses_wraps)
            if call.wrapper is not None:
                self.read_wrapper_shape(info, call.wrapper, symbol.cls.module, call.qualname, seen)
            return info
        if isinstance(symbol, FuncSym):
            return self.function_decorator_info(dotted, self.qualified(symbol), symbol.module,
                                                symbol.function, seen)
        if isinstance(symbol, ExternalSym):
            info = DecoratorInfo(dotted, symbol.qualified, "external", False)
            if symbol.qualified in KNOWN_GUARD_DECORATORS:
                info.shape = "guard"
                info.headers = list(KNOWN_GUARD_HEADERS.get(symbol.qualified, ()))
            info.reads_arguments = symbol.qualified in VIEW_KEPT_READING_ARGUMENTS
            return info
        return DecoratorInfo(dotted, None, "unresolved", False)

    def function_decorator_info(self, dotted: str, qualified: str | None, module: ModuleFacts,
                                function: FunctionFacts, seen: frozenset[str]) -> DecoratorInfo:
        """A decorator function of the project, as its `functools.wraps` wrapper reads; for a
        decorator factory, the wrapper of the decorator it returns."""
        made = self.decorator_instance_returned(module, function)
        if made is not None:
            # flask-principal's `Permission.require`: `return IdentityContext(self, exc)`, an
            # instance of a project class whose `__call__(self, view)` is the decorator
            info = self.decorator_info(dotted, made, seen)
            info.qualified = qualified
            return info
        preserves = function.uses_wraps
        wrapper = function.wrapper
        closures = self.closures_returned(module, function)
        # a decorator factory: the decorator it returns
        for inner in filter(None, closures):
            preserves = preserves or inner.uses_wraps
            wrapper = wrapper or inner.wrapper
        if not preserves and wrapper is None:
            delegate = self.delegate_returned(module, function)
            key = f"{delegate.module.module}.{delegate.function.qualname}" if delegate else ""
            if delegate is not None and key not in seen:
                # `def cache_control(**kw): return _cache_control(False, **kw)` (cellxgene): the
                # decorator, or the factory, is the one whose result it returns
                return self.function_decorator_info(dotted, qualified, delegate.module,
                                                    delegate.function, seen | {key})
            wrapper = self.unwrapped_wrapper(module, closures)
        info = DecoratorInfo(dotted, qualified, "project", preserves)
        if wrapper is not None:
            self.read_wrapper_shape(info, wrapper, module, function.qualname, seen)
        return info

    def unwrapped_wrapper(self, module: ModuleFacts, closures: list[FunctionFacts | None]
                          ) -> WrapperShape | None:
        """The shape of the wrapper a decorator without functools.wraps returns (`def
        logged(view): def wrapper(*args, **kwargs): ...; return wrapper`), or, for a factory, the
        decorator it returns: the function returned is a wrapper unless it returns a function
        itself. `closures`: the decorator's (closures_returned). None where every `return`
        does not return the same function (`if DEBUG: return view`)."""
        made = the_one_closure(closures)
        if made is None:
            return None
        inner = self.closures_returned(module, made)
        if not any(inner):
            return made.shape_around
        decorator = the_one_closure(inner)
        return decorator.shape_around if decorator is not None else None

    def delegate_returned(self, module: ModuleFacts, function: FunctionFacts) -> FuncSym | None:
        """The project function whose result `function` returns in its only `return` (`return
        _cache_control(False, **kwargs)`), or, for a decorator that applies a decorator factory's
        result to its view (`return roles_required("admin")(view)`), that factory; None for
        anything else."""
        returned = only_call_returned(function)
        if returned is None:
            return None
        if returned.func == "<call>" and returned.args:
            inner, *outer = returned.args
            view = passed_parameters(function)[:1]
            if not isinstance(inner, CallExpr) or returned.kwargs or len(outer) != 1 \
                    or not isinstance(outer[0], Ref) or [outer[0].dotted] != view:
                return None
            returned = inner
        if not returned.func:
            return None
        called = self.resolve(module, function.qualname, returned.func)
        return called if isinstance(called, FuncSym) and called.function is not function \
            else None

    def decorator_instance_returned(self, module: ModuleFacts, function: FunctionFacts
                                    ) -> DecoratorClassSym | None:
        """The project class `function` makes and returns in its only `return` (`return
        IdentityContext(self, http_exception)`), as a called class decorator: the instance is
        the decorator, whose `__call__` decorator_info reads. None for anything else, a
        function that also returns something else included."""
        returned = only_call_returned(function)
        if returned is None or not returned.func:
            return None
        made = self.resolve(module, function.qualname, returned.func)
        return DecoratorClassSym(made, called=True) if isinstance(made, ClassSym) else None

    def read_wrapper_shape(self, info: DecoratorInfo, wrapper: WrapperShape, module: ModuleFacts,
                           scope: str, seen: frozenset[str]) -> None:
        """`info` as the decorator's wrapper reads; a guard that hands the view to decorators of
        the project (`return cw_login_required(view)(*args, **kwargs)`) stays one only if each
        of them is a guard: the checks of both run before the view, in that order (at run time
        the route dependency runs the outer decorator, which runs the inner one)."""
        info.shape = wrapper.shape  # type: ignore[assignment]
        info.shape_reason = wrapper.reason
        info.headers = list(wrapper.headers)
        info.refuses_by_raising = wrapper.refuses_by_raising
        info.lets_errors_through = wrapper.lets_errors_through
        info.reads_arguments = wrapper.reads_arguments
        for name in wrapper.through:
            owner, _, method = name.rpartition(".")
            external = self.instance_method(module, scope, owner, method) if owner else None
            if isinstance(external, ExternalSym) and external.qualified in \
                    HTTPAUTH_ENSURE_SYNC | KNOWN_GUARD_DECORATORS:
                continue  # the view itself, or a known guard around it
            symbol = self.resolve(module, scope, name)
            inner = self.decorator_info(name, symbol, seen | {info.qualified or info.name}) \
                if isinstance(symbol, FuncSym) and self.qualified(symbol) not in seen \
                and self.qualified(symbol) != info.qualified else None
            if inner is None or inner.shape != "guard":
                why = "the scan cannot read it" if inner is None else \
                    inner.shape_reason or f"its wrapper is {inner.shape or 'not read'}"
                info.shape, info.shape_reason = "unread", (
                    f"its wrapper hands the view to `{name}`, which is not a guard ({why})")
                return
            known = {header.lower() for header in info.headers}
            info.headers += [header for header in inner.headers if header.lower() not in known]
            info.reads_arguments = info.reads_arguments or inner.reads_arguments

    def methods_for(self, decl: RouteDecl, reasons: list[str]) -> tuple[list[str], bool]:
        """The methods as the scan lists them (without the HEAD and OPTIONS Flask adds), and
        whether the view handles OPTIONS itself (declared, or an `options` method of a view
        class): Flask then provides no automatic OPTIONS answer for the rule."""
        if decl.verb != "route":
            methods: set[str] = {decl.verb.upper()}
        elif "methods" in decl.options and decl.options["methods"] != Lit(None):
            try:
                declared = self.evaluate(decl.module, decl.scope, decl.options["methods"],
                                         decl.env)
                if isinstance(declared, str):
                    raise Unresolved("a string, which Flask rejects")
                methods = {str(m).upper() for m in declared}  # type: ignore[union-attr]
            except (Unresolved, TypeError) as error:
                reasons.append(f"scan.unresolved_methods: methods {error}")
                methods = {"GET"}
        elif isinstance(decl.view, ClassSym):
            methods = set(self.class_methods(decl.view) or {"GET"})
        else:
            if decl.kind == "resource":
                reasons.append("scan.unresolved_methods: methods are those the resource class "
                               "defines, and the scan cannot tell which class it is")
            methods = {"GET"}
        shown = methods - {"HEAD", "OPTIONS"}
        return sorted(shown or methods), "OPTIONS" in methods

    def view_features(self, decl: RouteDecl) -> tuple[str, list[str]]:
        """The view's name and the Flask features it (and its class's methods) use."""
        functions: list[tuple[ModuleFacts, FunctionFacts]] = []
        name = decl.view_name or ""
        if isinstance(decl.view, FuncSym):
            functions.append((decl.view.module, decl.view.function))
            name = decl.view.function.qualname
        elif isinstance(decl.view, ClassSym):
            name = decl.view.cls.name
            for function in decl.view.module.functions:
                if function.in_class == decl.view.cls.name:
                    functions.append((decl.view.module, function))
        features: set[str] = set()
        for module, function in functions:
            if function.is_async:
                features.add("async")
            if function.reads_locals:
                features.add("locals")
            features |= feature_names(function.features)
            for called in sorted(function.calls):  # (a set: resolving parses modules lazily)
                features |= self.helper_features(module, function, called)
            if "stream" not in features and self.makes_streamed_response(module, function):
                features.add("stream")
        for dotted, _ in decl.decorators:
            features.add(f"decorator:{dotted.rsplit('.', 1)[-1]}")
        return name, sorted(features)

    def is_request_parser(self, module: ModuleFacts, scope: str, dotted: str,
                          depth: int = 0) -> bool:
        """Whether `dotted` names a Flask-RESTful or Flask-RESTX `RequestParser()` made at the
        top level of a module (its own, or one it imports it from), or a `.copy()` of one: an
        object that exists once the module is imported, whose arguments FM030 documents."""
        symbol = self.resolve(module, scope, dotted)
        if not (isinstance(symbol, ValueSym) and not symbol.scope
                and isinstance(symbol.value, CallExpr)):
            return False
        made_by = symbol.value.func
        if made_by.endswith(".copy"):
            return depth < 8 and self.is_request_parser(
                symbol.module, "", made_by.removesuffix(".copy"), depth + 1)
        maker = self.resolve(symbol.module, "", made_by)
        return isinstance(maker, ExternalSym) and maker.qualified in REQUEST_PARSERS

    def makes_streamed_response(self, module: ModuleFacts, function: FunctionFacts) -> bool:
        """Whether `function` makes a response streamed from a generator with names of other
        modules (`EventStream(helpers.ticks())`, where the module alone cannot tell), or calls a
        project function that makes one (`return csv_response(rows)`, at any depth). Such a
        view has the `stream` feature, as one that makes the response itself (see
        `ViewExtractor.note_generator_response`)."""
        key = (module.module, function.qualname)
        known = self._streams_memo.get(key)
        if known is not None:
            return known
        if key in self._streams_visiting:  # a call back into a function being asked about
            self._streams_cut = True
            return False
        self._streams_visiting.add(key)
        cut_above, self._streams_cut = self._streams_cut, False
        try:
            found = any(
                self.is_response_class(module, call.scope, call.maker) and (
                    call.body is None or (isinstance(
                        body := self.resolve(module, call.scope, call.body), FuncSym)
                        and body.function.is_generator))
                for call in function.response_calls
            ) or any(
                isinstance(helper := self.resolve(module, function.qualname, called), FuncSym)
                and ("stream" in feature_names(helper.function.features)
                     or self.makes_streamed_response(helper.module, helper.function))
                # in name order: which helpers are resolved (and modules parsed) before one
                # answers may not depend on the hash seed
                for called in sorted(function.calls)
            )
        finally:
            self._streams_visiting.discard(key)
        # A "no" that met a function still being asked about may change once that one is
        # answered: only final answers are remembered.
        if found or not self._streams_cut:
            self._streams_memo[key] = found
        self._streams_cut = self._streams_cut or cut_above
        return found

    def is_response_class(self, module: ModuleFacts, scope: str, dotted: str) -> bool:
        """Whether calling `dotted` makes a Flask (or Werkzeug) response of its first argument:
        one of theirs, or a project class made from one (`class EventStream(Response)`)."""
        symbol = self.resolve(module, scope, dotted)
        if isinstance(symbol, ExternalSym):
            return symbol.qualified in RESPONSE_MAKERS
        return isinstance(symbol, ClassSym) and bool(self.class_bases(symbol) & RESPONSE_MAKERS)

    def helper_features(self, module: ModuleFacts, function: FunctionFacts,
                        called: str) -> set[str]:
        """`validator:NAME` for validation helpers, `schema:NAME` for marshmallow schemas,
        `reqparse:NAME` for the Flask-RESTful/RESTX request parsers the view parses with."""
        found: set[str] = set()
        if called.endswith(("().load", "().loads", "().validate", "().dump", "().dumps")):
            cls = self.resolve(module, function.qualname, called.split("(")[0])
            if isinstance(cls, ClassSym) and any(
                    b.startswith("marshmallow") for b in self.class_bases(cls)):
                found.add(f"schema:{cls.cls.name}")
            return found
        head, _, last = called.rpartition(".")
        if head and last == "parse_args":
            if self.is_request_parser(module, function.qualname, head):
                found.add(f"reqparse:{head}")
            return found
        if head and last in ("load", "loads", "validate", "dump", "dumps"):
            instance = self.resolve(module, function.qualname, head)
            if isinstance(instance, ValueSym) and isinstance(instance.value, CallExpr):
                cls = self.resolve(instance.module, instance.scope, instance.value.func)
                if isinstance(cls, ClassSym) and any(
                        b.startswith("marshmallow") for b in self.class_bases(cls)):
                    found.add(f"schema:{cls.cls.name}")
            return found
        short = called.rsplit(".", 1)[-1]
        if _VALIDATOR_NAME.match(short):
            symbol = self.resolve(module, function.qualname, called)
            # a function, not a method (`User.verify_hash(token)`), whose checks the converter
            # reads from the arguments it is given
            if isinstance(symbol, FuncSym) and symbol.function.in_class is None:
                found.add(f"validator:{short}")
        return found


#: What makes a `reqparse:NAME` feature's parser (FM030).
REQUEST_PARSERS = frozenset({"flask_restful.reqparse.RequestParser",
                             "flask_restx.reqparse.RequestParser"})

_VALIDATOR_NAME = re.compile(r"^(validate|check|verify|ensure|clean)_|_(validator|is_valid)$")


def _camel_to_dash(value: str) -> str:
    """flask_restx.utils.camel_to_dash."""
    first = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", value)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", first).lower()


def _literal_code(value: object) -> str:
    """A literal as source, strings in double quotes where that needs no escape (as ruff's
    formatter writes them)."""
    if isinstance(value, str) and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return repr(value)
