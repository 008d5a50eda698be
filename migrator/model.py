"""The scan model: plain dataclasses that describe a Flask code base.

`migrate scan` builds it; `convert`, `verify` and `proxy` read it and never re-parse Flask
source to rediscover what is recorded here. Everything is JSON-serialisable through
`ScanResult.to_json()`, whose shape is the stable, documented `schema_version` 1
(docs/scan.md, migrator/schemas/scan.schema.json).
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, Protocol

SCHEMA_VERSION = 1

Status = Literal["auto", "assisted", "manual"]
Severity = Literal["info", "warning", "error"]
RouteKind = Literal["function", "method_view", "resource", "rule_only", "static",
                    "flask_classful"]


@dataclass(frozen=True)
class Location:
    file: str  # relative to the scan root, POSIX separators
    line: int | None


@dataclass
class Diagnostic:
    """Something a person should know; `code` is stable (see docs/scan.md)."""

    code: str
    message: str
    file: str
    line: int | None
    severity: Severity = "warning"

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
        }


@dataclass
class FileError:
    """A file the scan could not read or parse; it was skipped, the scan went on."""

    file: str
    line: int | None
    message: str

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass
class AppHook:
    """An app- or blueprint-level registration: error handler, request hook, CLI command."""

    kind: str  # e.g. "errorhandler", "before_request", "teardown_appcontext", "cli_command"
    target: str | None  # the status code / exception / command name, when there is one
    function: str | None
    file: str
    line: int | None
    blueprint: str | None = None

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "target": self.target,
            "function": self.function,
            "blueprint": self.blueprint,
            "file": self.file,
            "line": self.line,
        }


@dataclass
class Extension:
    """A Flask extension initialised on an app: `CORS(app)`, `db.init_app(app)`, ..."""

    name: str  # qualified name of what was called, as far as it resolves
    call: str  # how it was called: "constructor", "init_app" or "function" (`bind(app)`)
    file: str
    line: int | None

    def to_json(self) -> dict:
        return {"name": self.name, "call": self.call, "file": self.file, "line": self.line}


@dataclass
class App:
    name: str  # the variable the Flask object is bound to
    module: str
    file: str
    line: int | None
    factory: str | None = None  # the function that creates it, if it is created in one
    factory_requires: list[str] = field(default_factory=list)  # parameters without a default
    # module-level names bound once to what a call of the factory made (`app =
    # create_app("production")` in wsgi.py), as "module:name"
    instances: list[str] = field(default_factory=list)
    # the project function production calls to make the app, around its factory: a module-level
    # function that calls the factory and returns what it made (lemur's `lemur.create_app()`,
    # which calls `factory.create_app(blueprints=LEMUR_BLUEPRINTS, ...)`), as "module:function";
    # for an app made at module level, the module-level function that wraps its `wsgi_app` in
    # middleware and returns it (ironic-inspector's `get_app()`), which importing does not run
    wrapping_factory: str | None = None
    # WSGI middleware around `wsgi_app` that converted routes run too (scan/middleware.py): the
    # class's dotted name -> the attribute holding the app it hands requests on to
    middleware: dict[str, str] = field(default_factory=dict)
    # blueprints registered on it by a function that neither importing its module nor calling its
    # factory runs (calibre-web's `main()`, which then starts a server): "'web' in main()
    # (cps/main.py:62)". The app an import or a bare factory call gives lacks them.
    run_time_registrations: list[str] = field(default_factory=list)
    # blueprints registered by module-level code on an app the factory made (`app =
    # create_app()` then `app.register_blueprint(bp)` in wsgi.py): "module:`bp` (wsgi.py:5)".
    # The app a bare call of the factory gives lacks them; the module's own instance has them.
    instance_registrations: list[str] = field(default_factory=list)
    # for an app made at module level: the functions that wrap its `wsgi_app` in middleware
    # which the way the generated package gets the app (an import, `wrapping_factory`) does not
    # run: "`pkg.main._init()` wraps `_app.wsgi_app` (pkg/main.py:12)". The package asks for the
    # app instead of serving it without them.
    unloaded_middleware: list[str] = field(default_factory=list)
    # the WSGI compositions production serves it inside, which loading it does not set up:
    # mounted under a prefix by Werkzeug's DispatcherMiddleware, or within middleware given the
    # dispatcher (CloudKitty's `RequireToken(DispatcherMiddleware(root, {"/v2": api}))`):
    # "DispatcherMiddleware mounted at `/v2` (in setup_app(), wsgi.py:30) within `RequireToken`".
    # Its routes stay on Flask, and the package asks for the app.
    served_inside: list[str] = field(default_factory=list)
    # for an app made at module level: the project modules that add to it when imported (routes,
    # request hooks, error handlers, extensions) which importing its module does not import
    # (a `wsgi.py` adding an auth hook, sematic's `server.py` importing every view module):
    # "`wsgi` (wsgi.py:7: the before_request hook require_token)". Production's app, served
    # from such a module, has what the package's would lack: the package asks for the app
    # unless `legacy-app` states the module production serves.
    set_up_elsewhere: list[str] = field(default_factory=list)
    # for an app made at module level: a module of the project that imports its module and every
    # module adding to it whose import it does not reach (sematic's `server.py`, the one module
    # importing its views): the package imports it first, as production, serving the app from
    # it, does
    loaded_with: str | None = None
    # the factory call the project states makes the app production serves (`[tool.migrate]
    # legacy-app` in pyproject.toml, Flask's --app syntax): "module:create_app('production')"
    stated_app: str | None = None
    # the rule Flask adds for its static folder (`/static/<path:filename>`; None without one):
    # not listed as a route, since it is Flask's and stays on Flask, but FastAPI's own pages
    # must keep off the paths it answers (`static_url_path=""` makes it `/<path:filename>`)
    static_rule: str | None = None
    # URL converters it registers itself, by the name rules use (CustomConverter)
    url_converters: dict[str, CustomConverter] = field(default_factory=dict)
    # the library ("gevent", "eventlet") whose monkey patching a module that loading the app
    # imports runs (scan.monkey_patching): the standard library's threads and sockets are its
    # green ones then, which uvicorn's default loop (uvloop) does not wait on; its asyncio
    # loop waits through the patched `select`, which runs them (`--loop asyncio`)
    green_threads: str | None = None
    error_handlers: list[AppHook] = field(default_factory=list)
    hooks: list[AppHook] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    cli_commands: list[AppHook] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.module}:{self.factory + '.' if self.factory else ''}{self.name}"

    @property
    def flask_subclass(self) -> str | None:
        """The project subclass of Flask the app is the instance of (`self` in its methods,
        factory `MoinApp.__init__`), as its dotted name in `module`; None for other apps."""
        if self.name != "self" or not self.factory or not self.factory.endswith(".__init__"):
            return None
        return self.factory.removesuffix(".__init__")

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "key": self.key,
            "module": self.module,
            "file": self.file,
            "line": self.line,
            "factory": self.factory,
            "factory_requires": self.factory_requires,
            "wrapping_factory": self.wrapping_factory,
            "instances": self.instances,
            "middleware": self.middleware,
            "run_time_registrations": self.run_time_registrations,
            "instance_registrations": self.instance_registrations,
            "unloaded_middleware": self.unloaded_middleware,
            "served_inside": self.served_inside,
            "set_up_elsewhere": self.set_up_elsewhere,
            "loaded_with": self.loaded_with,
            "stated_app": self.stated_app,
            "static_rule": self.static_rule,
            "green_threads": self.green_threads,
            "url_converters": {name: converter.to_json()
                               for name, converter in sorted(self.url_converters.items())},
            "error_handlers": [h.to_json() for h in self.error_handlers],
            "hooks": [h.to_json() for h in self.hooks],
            "extensions": [e.to_json() for e in self.extensions],
            "cli_commands": [c.to_json() for c in self.cli_commands],
        }


@dataclass
class BlueprintRegistration:
    """One `register_blueprint` call, and what it resolved to."""

    parent: str  # app key or the parent blueprint's name
    name: str  # the dotted name the blueprint is registered under ("api.reviews")
    url_prefix: str | None  # the effective prefix of this registration
    file: str
    line: int | None

    def to_json(self) -> dict:
        return {
            "parent": self.parent,
            "name": self.name,
            "url_prefix": self.url_prefix,
            "file": self.file,
            "line": self.line,
        }


@dataclass
class Blueprint:
    name: str  # Blueprint's first argument
    variable: str
    module: str
    file: str
    line: int | None
    url_prefix: str | None  # given at construction
    registrations: list[BlueprintRegistration] = field(default_factory=list)
    hooks: list[AppHook] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "variable": self.variable,
            "module": self.module,
            "file": self.file,
            "line": self.line,
            "url_prefix": self.url_prefix,
            "registrations": [r.to_json() for r in self.registrations],
            "hooks": [h.to_json() for h in self.hooks],
        }


# A Werkzeug rule parameter: `<name>`, `<int:name>`, `<string(length=2):name>`.
RULE_PARAMETER = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?"
    r"(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)

UUID_REGEX = "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
# `any(...)` items written into a regex (and into nginx configs): URL-safe text only
ANY_ITEM = re.compile(r"[A-Za-z0-9_.~-]{1,100}")


def escape_regex(text: str) -> str:
    """Backslash-escape every character that is not alphanumeric, `/`, `_` or `-` (the same
    text for Python's `re` and for PCRE)."""
    return "".join(c if c.isalnum() or c in "/_-" else "\\" + c for c in text)


# What a converter with arguments that `converter_regex` can express gives the view.
ARGUMENT_CONVERTER_TYPES = {"any": "str", "default": "str", "string": "str", "int": "int",
                            "float": "float"}


def rule_default_names(route: Route) -> list[str] | None:
    """The names a rule's `defaults={...}` gives the view, as its source says them (string keys
    of a dict display, or the keywords of `dict(rev=CURRENT)`, moin's form; none of them a
    variable of the rule); None when the rule has no `defaults`, or when they cannot be read
    so (`dict(other)`, `dict(**other)`, `{**other}`)."""
    text = route.rule_options.get("defaults")
    if text is None:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(tree, ast.Dict) and all(
            isinstance(key, ast.Constant) and isinstance(key.value, str) for key in tree.keys):
        names = [key.value for key in tree.keys]  # type: ignore[union-attr]
    elif (isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name)
          and tree.func.id == "dict" and not tree.args and tree.keywords
          and all(keyword.arg is not None for keyword in tree.keywords)):
        names = [keyword.arg for keyword in tree.keywords]  # type: ignore[misc]
    else:
        return None
    if set(names) & {p.name for p in route.parameters}:
        return None
    return names


def converter_regex(converter: str, arguments: str | None) -> str | None:
    """The regex that alone decides which path segments Werkzeug 3.1's `<converter(arguments):x>`
    matches (`werkzeug.routing.converters`), for Python's `re` and for PCRE:
    `<int(signed=True):n>` -> `-?[0-9]+`, `<any(a, b):k>` -> `(?:a|b)`. Digits are ASCII
    (Werkzeug's `\\d` also takes other Unicode digits: such a request is left to Flask). None
    for a custom converter, a check Werkzeug makes after the match (`min=`, `max=`), or
    arguments Werkzeug would refuse."""
    from werkzeug.routing.rules import parse_converter_args

    try:
        args, kwargs = parse_converter_args(arguments) if arguments else ((), {})
    except ValueError:
        return None
    if converter == "any":
        if kwargs or not args or not all(isinstance(i, str) and ANY_ITEM.fullmatch(i)
                                         for i in args):
            return None
        return "(?:" + "|".join(escape_regex(item) for item in args) + ")"
    plain = {"path": "[^/].*", "uuid": UUID_REGEX}
    if converter in plain:
        return None if arguments else plain[converter]
    builders = {"default": _string_regex, "string": _string_regex, "int": _int_regex,
                "float": _float_regex}
    if converter not in builders:
        return None
    try:
        return builders[converter](*args, **kwargs)
    except TypeError:  # an argument the converter does not take
        return None


def _count(value: object) -> int | None:
    """A repeat count a regex may hold, or None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9999:
        return None
    return value


def _string_regex(minlength: object = 1, maxlength: object = None,
                  length: object = None) -> str | None:
    if length is not None:
        count = _count(length)
        return None if count is None else f"[^/]{{{count}}}"
    low = _count(minlength)
    high = None if maxlength is None else _count(maxlength)
    if low is None or (maxlength is not None and high is None):
        return None
    if high is None:
        return "[^/]+" if low == 1 else f"[^/]{{{low},}}"
    return f"[^/]{{{low},{high}}}"


def _int_regex(fixed_digits: object = 0, min: object = None, max: object = None,
               signed: object = False) -> str | None:
    digits = _count(fixed_digits)
    if min is not None or max is not None or digits is None or not isinstance(signed, bool):
        return None  # min/max: checked after the match, which a route regex cannot do
    if digits and signed:
        return None  # Werkzeug counts the sign as a digit
    return ("-?" if signed else "") + (f"[0-9]{{{digits}}}" if digits else "[0-9]+")


def _float_regex(min: object = None, max: object = None, signed: object = False) -> str | None:
    if min is not None or max is not None or not isinstance(signed, bool):
        return None
    return ("-?" if signed else "") + "[0-9]+\\.[0-9]+"


class ConverterTraits(NamedTuple):
    """What Werkzeug's matching reads from a converter class: the expression it matches, its
    weight (of two rules alike up to their converters, the one with the lower weight is tried
    first) and whether it keeps to one path segment."""

    regex: str
    weight: int
    part_isolating: bool


# Werkzeug's converter classes a project's converter may inherit from, and what a subclass keeps
# of them when it sets nothing itself and the rule gives no arguments.
CONVERTER_BASES = {
    f"werkzeug.routing{module}.{name}": traits
    for module in ("", ".converters")
    for name, traits in (("BaseConverter", ConverterTraits("[^/]+", 100, True)),
                         ("UnicodeConverter", ConverterTraits("[^/]+", 100, True)),
                         ("PathConverter", ConverterTraits("[^/].*?", 200, False)))}
# Of those, the ones whose `__init__` sets the regex, whatever a subclass writes: Werkzeug's
# UnicodeConverter matches `[^/]{1,}` (with no arguments) even under a subclass's own `regex`.
CONVERTER_BASES_SETTING_REGEX = frozenset(
    name for name in CONVERTER_BASES if name.endswith(".UnicodeConverter"))
ONE_SEGMENT = "[^/]+"
# Werkzeug 3.1's `Map.default_converters`: the names a rule may use without registering them.
BUILT_IN_CONVERTERS = frozenset({"default", "string", "any", "path", "int", "float", "uuid"})


def usable_convertor_regex(regex: str) -> bool:
    """Whether a converter's regex can be a Starlette convertor's: it compiles as a group of
    its own (no inline flags), with no named group (Starlette names the parameter's group)."""
    try:
        compiled = re.compile(f"(?:{regex})")
    except re.error:
        return False
    return bool(regex) and not compiled.groupindex


@dataclass
class CustomConverter:
    """A URL converter an app registers itself: `app.url_map.converters["uuid_str"] =
    StrictUUIDConverter`, or a class put in place of one of Werkzeug's (`converters["int"]`).

    Werkzeug runs its `to_python` when it matches a rule; that may refuse the value (then
    Werkzeug tries the other rules: another view, 404, 405) or hand the view another value (a
    lowercased UUID, a list). A converted route matches `regex` in FastAPI, and the legacy URL
    map decides the rest at run time (flask_compat: `_routed_by_legacy_map`): a request it
    routes elsewhere gets Flask's answer, and the view takes its value from
    `request.view_args`. So the regex only decides which requests reach the converted route
    first: one that is wider or narrower than Werkzeug's costs speed, never an answer."""

    name: str
    cls: str | None  # the qualified class name; None: the scan found no registration
    regex: str  # what the converted route's path parameter matches
    regex_source: str  # where `regex` comes from, for the report: "its `regex`", ...
    file: str | None = None  # where it is registered
    line: int | None = None
    # Werkzeug's weight and part_isolating for the class (None: the scan cannot know it;
    # part_isolating too where it read no regex): the route order builds a stand-in from
    # the three, when it knows all of them, to let Werkzeug judge which of two rules it
    # prefers (migrator/convert/order.py)
    weight: int | None = None
    part_isolating: bool | None = None

    def to_json(self) -> dict:
        return {"name": self.name, "class": self.cls, "regex": self.regex,
                "regex_source": self.regex_source, "file": self.file, "line": self.line,
                "weight": self.weight, "part_isolating": self.part_isolating}


def merged_slashes(rule: str) -> str:
    """`rule` with each `//` of its text made one `/`, a converter's arguments left as written:
    the path Werkzeug matches a rule that merges slashes at (`Route.served_rule`), and where
    nginx matches it (`migrator.proxy.nginx.rule_matcher`)."""
    merged, position = [], 0
    for match in RULE_PARAMETER.finditer(rule):
        merged += [re.sub("/{2,}", "/", rule[position:match.start()]), match.group(0)]
        position = match.end()
    return "".join([*merged, re.sub("/{2,}", "/", rule[position:])])


@dataclass
class PathParameter:
    name: str
    converter: str  # "default", "string", "int", "float", "path", "uuid", "any", or a custom name
    arguments: str | None = None  # the converter's argument text, e.g. "minlength=2"
    # set when the app registers the converter itself (a custom name, or one of Werkzeug's
    # names given another class): the legacy URL map then routes and converts the value
    custom: CustomConverter | None = None

    def to_json(self) -> dict:
        found = {"name": self.name, "converter": self.converter, "arguments": self.arguments}
        if self.custom is not None:
            found["custom"] = self.custom.to_json()
        return found

    @classmethod
    def from_rule(cls, found: re.Match[str]) -> PathParameter:
        """The parameter a `RULE_PARAMETER` match names; a converter that is not Werkzeug's
        is custom, one path segment until the scan finds its registration."""
        converter = found["converter"] or "default"
        custom = None if converter in BUILT_IN_CONVERTERS else CustomConverter(
            converter, None, ONE_SEGMENT, "one path segment (the scan found no registration)")
        return cls(found["name"], converter, found["args"], custom)

    @property
    def regex(self) -> str | None:
        """What the converted route's parameter matches: the custom converter's regex, or
        `converter_regex` of Werkzeug's (None: no Starlette convertor matches the same)."""
        if self.custom is not None:
            return self.custom.regex
        return converter_regex(self.converter, self.arguments)


@dataclass
class DecoratorInfo:
    """A decorator on a view (other than the route decorator), as far as the scan resolved it."""

    name: str  # as written, without arguments: "login_required", "auth.roles_required"
    qualified: str | None  # "legacy_app.auth.login_required", "flask_login.login_required"
    origin: Literal["project", "external", "unresolved"]
    preserves_signature: bool  # wraps the view with functools.wraps (project decorators only)
    # What its wrapper does (migrator/scan/wrappers.py): "guard" (checks, then calls the view:
    # becomes a dependency), "post_processing" (runs around the view), "unread"; None when the
    # scan has no wrapper to read (a third-party or unresolved decorator).
    shape: Literal["guard", "post_processing", "returns_view", "unread"] | None = None
    shape_reason: str | None = None  # why it is "unread"
    headers: list[str] = field(default_factory=list)  # request headers a guard reads
    # a guard that refuses only by raising (abort): it may run before a decorator that...
    refuses_by_raising: bool = False
    # ...works on the response but lets the view's exceptions through, having done nothing
    lets_errors_through: bool = False
    # a guard or post-processing wrapper that reads or changes the view's arguments (FM025)
    reads_arguments: bool = False

    @property
    def hides_signature(self) -> bool:
        """A project decorator whose wrapper, read as a guard or post-processing one, does not
        keep the view's signature (no functools.wraps): FastAPI would read `*args, **kwargs` as
        request parameters, so it is called as Flask calls it, with the rule's values (FM036)."""
        return self.origin == "project" and not self.preserves_signature \
            and self.shape in ("guard", "post_processing")

    @property
    def needs_rule_values(self) -> bool:
        """Whether it must get exactly Flask's arguments, the rule's values by name: it reads or
        changes them (FM025), or it hides the view's signature (FM036)."""
        return self.reads_arguments or self.hides_signature

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "qualified": self.qualified,
            "origin": self.origin,
            "preserves_signature": self.preserves_signature,
            "shape": self.shape,
            "shape_reason": self.shape_reason,
            "headers": list(self.headers),
            "refuses_by_raising": self.refuses_by_raising,
            "lets_errors_through": self.lets_errors_through,
            "reads_arguments": self.reads_arguments,
        }


@dataclass
class Wrapper:
    """A decorator applied to the view where its rule is added, outermost first:
    `add_url_rule("/w", view_func=require_key(view))`, `view_func=roles("admin")(view)`."""

    code: str  # as a decorator on the view would be written: `require_key`, `roles("admin")`
    # what the code's first name is, importable: `pkg.auth.require_key`, or `pkg.security` for
    # `auth.login_required` with `auth` made in pkg.security; None when the code cannot be
    # written on a converted view (a name bound inside a function, a non-literal argument)
    imports: str | None

    def to_json(self) -> dict:
        return {"code": self.code, "imports": self.imports}


@dataclass
class Route:
    rule: str  # full rule as `app.url_map` shows it: prefixes applied
    methods: list[str]  # declared or default; the automatic HEAD and OPTIONS left out
    endpoint: str  # as Flask computes it, with blueprint name prefixes
    blueprint: str | None  # dotted registration name ("api.reviews"), None for app routes
    app: str | None  # key of the App it is served by
    file: str
    line: int | None
    function: str  # view function, or the MethodView / Resource class
    kind: RouteKind = "function"
    status: Status = "auto"
    reasons: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)
    # the first decorators of `decorators`, applied where the rule is added rather than written
    # on the view: `add_url_rule("/w", view_func=require_key(View.as_view("w")))`
    wrapped_at_registration: list[Wrapper] = field(default_factory=list)
    # a view class's `decorators` / `method_decorators` list (by that name) that a base class of
    # another module defines (lemur's `AuthenticatedResource.method_decorators =
    # [login_required]`, in lemur/auth/service.py), its items in the list's order: convert
    # reads the view's own module only
    inherited_decorator_lists: dict[str, list[Wrapper]] = field(default_factory=dict)
    # for a view class: the decorators written on each HTTP method function (and
    # `dispatch_request`), by the function's name, from its nearest definition along the
    # project base classes (zou's `@jwt_required()` on `BaseModelsResource.post` in
    # crud/base.py); each name is also in `decorators`
    method_function_decorators: dict[str, list[str]] = field(default_factory=dict)
    # for a view class: it and the classes Python looks its attributes up in after it (its
    # method resolution order, multiple inheritance included), by name, while they are
    # top-level classes of the view's module: the class bodies convert reads
    view_classes: list[str] = field(default_factory=list)
    decorator_details: list[DecoratorInfo] = field(default_factory=list)
    parameters: list[PathParameter] = field(default_factory=list)
    strict_slashes: bool | None = None
    module: str = ""
    # Werkzeug rule options beyond rule, methods, endpoint and strict_slashes that change which
    # requests the rule answers or how (`defaults`, `subdomain`, `redirect_to`, `build_only`, ...,
    # blueprint `url_defaults` and `subdomain` included), name -> source text; see RULE_OPTIONS.
    rule_options: dict[str, str] = field(default_factory=dict)
    # Where the view's `def` or class is (relative file, dotted module): `file`/`module` above are
    # where the rule is added, which differs for `app.add_url_rule("/u", view_func=views.user)`.
    # Convert reads the view from here. Left empty, they are `file` and `module`.
    view_file: str = ""
    view_module: str = ""
    # the Api class a Flask-RESTful/RESTX resource is added to: "flask_restful.Api"
    resource_api: str | None = None
    # a view defined in a function, on which `@functools.wraps(func)` copies the metadata of the
    # project function passed for `func` (fava's `api_endpoint(get_changed)`): that function,
    # qualified. The registered view's `__wrapped__` is it, not a function the view calls from.
    view_wraps: str | None = None

    def __post_init__(self) -> None:
        self.view_file = self.view_file or self.file
        self.view_module = self.view_module or self.module

    @property
    def served_rule(self) -> str:
        """The rule as Werkzeug matches a request against it: where the rule merges slashes
        (Werkzeug's default, `rule_options["merge_slashes"]`), each `//` of its text is one `/`,
        the path it answers at (cellxgene's `url_prefix="/" + "/api/v0.2"` makes rules
        `//api/v0.2/...` that answer at `/api/v0.2/...`); a request that doubles a slash there
        gets Werkzeug's redirect to it. Otherwise the rule as written."""
        return merged_slashes(self.rule) if self.rule_options.get("merge_slashes") == "True" \
            else self.rule

    @property
    def view_in_package_init(self) -> bool:
        """Whether the view's module is a package's `__init__.py` (where relative imports
        resolve from the package itself)."""
        return self.view_file.endswith("__init__.py")

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "methods": list(self.methods),
            "endpoint": self.endpoint,
            "blueprint": self.blueprint,
            "app": self.app,
            "file": self.file,
            "line": self.line,
            "function": self.function,
            "module": self.module,
            "view_file": self.view_file,
            "view_module": self.view_module,
            "kind": self.kind,
            "status": self.status,
            "reasons": list(self.reasons),
            "features": list(self.features),
            "decorators": list(self.decorators),
            "wrapped_at_registration": [w.to_json() for w in self.wrapped_at_registration],
            "inherited_decorator_lists": {
                name: [w.to_json() for w in items]
                for name, items in self.inherited_decorator_lists.items()},
            "method_function_decorators": {
                name: list(names) for name, names in self.method_function_decorators.items()},
            "view_classes": list(self.view_classes),
            "decorator_details": [d.to_json() for d in self.decorator_details],
            "parameters": [p.to_json() for p in self.parameters],
            "strict_slashes": self.strict_slashes,
            "rule_options": dict(self.rule_options),
            "resource_api": self.resource_api,
            "view_wraps": self.view_wraps,
        }


class SelectableRoute(Protocol):
    rule: str
    endpoint: str
    blueprint: str | None


def route_selected(route: SelectableRoute, blueprints: Sequence[str],
                   patterns: Sequence[str]) -> bool:
    """Whether a route belongs to one of the blueprints (a name also selects its nested
    blueprints) or its rule or endpoint matches one of the globs. `migrate convert` selects scan
    routes and `migrate rollout` state-file routes with it, so both understand a selector alike."""
    bp = route.blueprint or ""
    if any(bp == b or bp.startswith(b + ".") for b in blueprints):
        return True
    return any(fnmatch.fnmatchcase(route.rule, p) or fnmatch.fnmatchcase(route.endpoint, p)
               for p in patterns)


@dataclass
class ScanResult:
    root: str
    routes: list[Route] = field(default_factory=list)
    apps: list[App] = field(default_factory=list)
    blueprints: list[Blueprint] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_scanned: int = 0  # files read (after excludes)
    files_parsed: int = 0  # of those, files that passed the byte-level pre-filter and were parsed
    lines_scanned: int = 0

    def flask_rules(self, app: App | None = None) -> list[str]:
        """The rules Flask may answer for `app` (when None: every rule the scan lists, an app's
        or not): the routes' rules, in scan order, then the static rule of each app, which the
        scan does not list as a route."""
        apps = self.apps if app is None else [app]
        routes = self.routes if app is None else [r for r in self.routes if r.app == app.key]
        return [r.rule for r in routes] + [a.static_rule for a in apps
                                           if a.static_rule is not None]

    def to_json(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "root": self.root,
            "routes": [r.to_json() for r in self.routes],
            "apps": [a.to_json() for a in self.apps],
            "blueprints": [b.to_json() for b in self.blueprints],
            "errors": [e.to_json() for e in self.errors],
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "stats": {
                "files_scanned": self.files_scanned,
                "files_parsed": self.files_parsed,
                "lines_scanned": self.lines_scanned,
            },
        }
