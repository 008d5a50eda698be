"""What one source file says, before anything is resolved across files.

The extractor (`extract.py`) fills these from a LibCST tree in a worker process; they are plain
picklable dataclasses, so the tree itself never crosses a process boundary. Expressions are kept
as small symbolic `Value`s, because what `PREFIX + "/items"` or `api_bp` means is only known once
the linker (`link.py`) can see every module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Lit:
    """A literal: str, bytes, int, float, bool or None."""

    value: object


@dataclass(frozen=True)
class Ref:
    """A dotted name as written: `bp`, `views.bp`, `flask.Blueprint`."""

    dotted: str


@dataclass(frozen=True)
class Concat:
    """String concatenation: `A + "/x"`, an f-string of plain parts, implicit concatenation."""

    parts: tuple[Value, ...]


@dataclass(frozen=True)
class Seq:
    """A list, tuple or set display."""

    items: tuple[Value, ...]
    # the item names of a named tuple the linker makes (pkgutil's ModuleInfo: `info.name`)
    fields: tuple[str, ...] = ()


# The `func` of a CallExpr standing for an item of a split string, `__name__.split(".")[-1]`:
# args are the string, the split's own arguments, then the index (evaluated in link.py)
SPLIT_ITEM = {"split": "<str.split item>", "rsplit": "<str.rsplit item>"}
# The `func` of a CallExpr standing for `"/".join([...])` of a string literal (mapchete's tile
# rule): args are the separator and what is joined (evaluated in link.py)
STRING_JOIN = "<str.join>"


@dataclass(frozen=True)
class CallExpr:
    func: str  # dotted name of the callee, "" when it is not a plain dotted name
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]
    code: str

    def kwarg(self, name: str) -> Value | None:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Format:
    """`"/{}/<page>".format(d)` on a string literal, or an f-string (`f"/v{VERSION}"` is
    `"/v{}".format(VERSION)`): `str.format` of values that may be known."""

    template: Value
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Or:
    """`a or b`: the first value that is true, else the last (`decorators or []`)."""

    values: tuple[Value, ...]
    code: str = ""  # its source text, for messages


@dataclass(frozen=True)
class Unknown:
    """An expression the scanner does not evaluate; `code` is its source text."""

    code: str
    # a dict display's key and value pairs, which only a loop over it reads (`for prefix, bp in
    # BLUEPRINTS.items():`) or an item of it (below); the dict itself stays unevaluated
    pairs: tuple[tuple[Value, Value], ...] | None = None
    # `val["url"]`: the name subscripted and the key, read where the name is a loop's item that
    # is a dict display (module-build-service's `for key, val in api_routes.items():`)
    item: tuple[Value, Value] | None = None


@dataclass(frozen=True)
class Scoped:
    """A value written in another place than where it is used: the argument a call site passes
    for a parameter of a project function (`register_view(bp, ["/a", "/b"], V.as_view("v"))`),
    read in the caller's module and scope. Made by the linker only, never by the extractor."""

    value: Value
    module: str
    scope: str
    # where the call site is in that scope: (order, arms) of a CallFacts, for reading which
    # binding of a name it passes (None: not known)
    at: tuple[int, tuple[int, ...]] | None = None


@dataclass(frozen=True)
class Unpacked:
    """One name of a tuple assignment from a call (`app, api = create_app()`): the item at
    `index` of what the call returns, of `count` items. Only bindings hold it."""

    call: CallExpr
    index: int
    count: int
    code: str


Value = Lit | Ref | Concat | Seq | CallExpr | Format | Or | Unknown | Scoped | Unpacked


@dataclass(frozen=True)
class ImportRef:
    module: str  # absolute module name
    name: str | None  # None for `import module`


@dataclass
class Binding:
    """`name` is bound in `scope` ("" = module level, else the function's qualname)."""

    scope: str
    name: str
    order: int  # position among the module's bindings: later bindings shadow earlier ones
    kind: str  # "import", "assign", "def", "class"
    value: Value | ImportRef | None = None
    conditional: bool = False  # made inside an if/try/while/match: other branches may differ
    # the arms of if/try/while/match/for statements (ids; a loop's body is negative) the binding
    # is made in, outermost first: a binding whose arms begin the arms of a later use in the same
    # scope is made on every path to that use
    arms: tuple[int, ...] = ()


@dataclass
class DecoratorFacts:
    expr: Value  # Ref for `@x`, CallExpr for `@x(...)`
    line: int | None


@dataclass(frozen=True)
class WrapperShape:
    """The shape of a view decorator's `functools.wraps` wrapper (scan/wrappers.py)."""

    shape: str  # "guard", "post_processing" or "unread"
    reason: str | None = None  # why it is unread
    headers: tuple[str, ...] = ()  # request headers a guard reads
    refuses_by_raising: bool = False  # a guard whose only `return` is the view call
    lets_errors_through: bool = False  # post_processing: no effect before the view, no try
    reads_arguments: bool = False  # reads (or changes) *args / **kwargs besides the view call
    # decorators of the project the guard hands the view to (`return deco(view)(*args,
    # **kwargs)`), as written: a guard only if each of them is one (the link step decides)
    through: tuple[str, ...] = ()


@dataclass(frozen=True)
class MiddlewareShape:
    """How a class with `__call__` works as WSGI middleware (scan/middleware.py)."""

    passes_on: str | None  # the attribute holding the app it hands requests on to; None: unread
    reason: str | None = None  # why it is unread
    # the base class (as written) a subclass hands requests on through, with `return
    # super().__call__(environ, start_response)`: read when the base is one whose effect is
    # known (link.py's SUPER_PASSING), else the class is unread for `reason`
    base: str | None = None


@dataclass
class FunctionFacts:
    qualname: str
    name: str
    scope: str  # the scope the def statement is in
    line: int | None
    decorators: list[DecoratorFacts] = field(default_factory=list)
    features: set[str] = field(default_factory=set)  # flask names used, fully qualified
    calls: set[str] = field(default_factory=set)  # dotted names called in the body
    returns: list[Value] = field(default_factory=list)  # what each `return` statement returns
    uses_wraps: bool = False  # the body decorates an inner function with functools.wraps
    wrapper: WrapperShape | None = None  # that inner function's shape (scan/wrappers.py)
    # a function defined in another, not decorated with functools.wraps: its shape read as the
    # wrapper of the view the enclosing function takes first (`def logged(view): def wrapper(
    # *args, **kwargs)`); what a decorator that returns it does to the view, if it is one
    shape_around: WrapperShape | None = None
    params: list[str] = field(default_factory=list)  # positional parameter names, in order
    required: list[str] = field(default_factory=list)  # parameters a call must pass
    defaults: dict[str, Value] = field(default_factory=dict)  # parameter -> its default
    # parameter -> the dotted name its annotation is written as (`int`, `uuid.UUID`); none
    # under `from __future__ import annotations`, where annotations are strings at run time
    annotations: dict[str, str] = field(default_factory=dict)
    star_args: str | None = None  # the name of its `*args` parameter
    star_kwargs: str | None = None  # the name of its `**kwargs` parameter
    in_class: str | None = None
    is_async: bool = False  # `async def`
    # calls `locals()` or `vars()` in its own body: reads the names its body binds
    reads_locals: bool = False
    is_generator: bool = False  # its own body yields
    # calls that may make a response streamed from a generator, with names of other modules
    response_calls: list[StreamedResponseCall] = field(default_factory=list)
    # `responder.__name__ = f"get_{name}"` in its body: the name set, by the name it is set on
    # (a decorator naming its wrapper, which names the endpoint Flask gives the view)
    name_writes: dict[str, Value] = field(default_factory=dict)
    # the order of the binding its `def` makes (Binding.order; None for a method): where its
    # decorators run, in its scope
    order: int | None = None
    # a method of DECORATOR_SETTING_METHODS (scan/extract.py) whose body names `decorators`
    # (udata's `UDataApi.__init__`: `kwargs["decorators"] = [self.authentify] + decorators`)
    names_decorators: bool = False

    @property
    def parameter_names(self) -> set[str]:
        """Every parameter a call can pass by name, keyword-only ones included."""
        return {*self.params, *self.required, *self.defaults}

    def has_parameter(self, name: str) -> bool:
        """Whether `name` is one of its parameters (`*args` and `**kwargs` included)."""
        return name in self.parameter_names or name in (self.star_args, self.star_kwargs)


@dataclass(frozen=True)
class StreamedResponseCall:
    """`EventStream(ticks())`, `Response(helpers.rows())`, `Stream(x for x in rows)` in a
    function, where what is called (`maker`) or the function called for the body (`body`;
    None: a generator expression) may be another module's: if `maker` makes a Flask response
    and `body` is a generator function, the response streams (the linker decides)."""

    scope: str  # where the names are looked up
    maker: str
    body: str | None


@dataclass
class ClassFacts:
    name: str
    scope: str
    line: int | None
    bases: list[str]
    methods: list[str]
    attributes: dict[str, Value]
    decorators: list[DecoratorFacts] = field(default_factory=list)
    middleware: MiddlewareShape | None = None  # top-level classes with `__call__` only
    # VIEW_CLASS_ATTRIBUTES the class body binds inside an if/try/while/match/for/with
    # (`if not PUBLIC: decorators = [require_key]`): known at run time only
    conditional: set[str] = field(default_factory=set)
    # dotted with the classes (and functions) it is defined in: `PageView.logged` for a class
    # defined in the body of `PageView`, whose scope is the module's all the same
    qualname: str = ""
    # used bare as a view decorator (`@PageView.logged`): the shape of its `__call__` as the
    # wrapper of the view its `__init__` stores (scan/wrappers.py); None without both methods
    bare_wrapper: WrapperShape | None = None


@dataclass
class Loop:
    """A `for` statement around a recorded call: `for bp, prefix in [(a, "/a"), ...]:`."""

    targets: tuple[str, ...]  # one name, or the names of a tuple target
    iterable: Value
    code: str = ""  # the iterable's source text, for messages


#: The `func` of a CallExpr standing for a method called on an item of a dict, `val["view_class"]
#: .as_view(key)` (odcs), `api_v1.get(k, {}).items()` (freshmaker): args are the item (an Unknown
#: with `item`, or the CallExpr of `.get`), the method's name, then the call's own arguments; the
#: linker makes it `ComposeDetailAPI.as_view(key)` where it knows the item, and reads a loop over
#: the `.items()` of a dict display's item
ITEM_METHOD = "<item method>"

#: The `func` of a CallExpr standing for a test an `if` makes (Guard.test): the operator is the
#: first argument (`==`, `!=`, `in`, `not in`, `not`, `and`, `or`), the operands follow
TEST = "<test>"


@dataclass(frozen=True)
class Guard:
    """An `if` inside a loop around a recorded call: the call is made only where `test` is
    `holds` (True in the `if`'s body, False in its `elif`s and `else`)."""

    test: Value  # a Value, or a CallExpr of TEST; `key.startswith("a")` is a CallExpr
    holds: bool
    code: str  # the test's source text, for messages
    # the names the test reads, from its source (`len(key) > 2` reads `key`, which its Value,
    # an Unknown, does not show)
    names: frozenset[str]


@dataclass
class CallFacts:
    """A call of interest made as a statement (or an assignment's value)."""

    scope: str
    expr: CallExpr
    line: int | None
    loops: tuple[Loop, ...] = ()
    assigned_to: str | None = None
    follow_only: bool = False  # only there to follow an app passed to a project function
    order: int = 0  # position among the module's bindings and calls
    arms: tuple[int, ...] = ()  # the arms of branches and loops the call is made in (Binding)
    guards: tuple[Guard, ...] = ()  # the `if`s around it inside its loops, outermost first


@dataclass
class ViewFunctionsWrite:
    """`app.view_functions[endpoint] = wrapped` (or `.update(...)`, `del ...[...]`): the view
    Flask runs for an endpoint is replaced after its rule was added."""

    owner: str  # the dotted name before `.view_functions`
    endpoint: str | None  # a literal key, else None (any endpoint)
    scope: str
    line: int | None


@dataclass
class WsgiAppWrite:
    """`app.wsgi_app = Middleware(app.wsgi_app)`: WSGI middleware around the Flask app, which a
    converted route (run by the bridge, not through `wsgi_app`) would not go through."""

    owner: str  # the dotted name before `.wsgi_app`
    wrapper: str  # the callee's dotted name (`ProxyFix`), "" when the value is not a call
    scope: str
    line: int | None
    conditional: bool = False  # in an `if` of its scope (`if base_url:`, Airflow's)
    # `app.wsgi_app = self` in a method: an instance of the method's class puts itself around
    # the app (flask-reverse-proxy-fix's `ReverseProxyPrefixFix(app)`, copied in buku)
    itself: bool = False
    # the callees nested in the wrapper's first argument, outermost first (graphite-api's
    # `TrailingSlash(CORS(app.wsgi_app, origins))`: ("CORS",)); "" where one is not a name
    inner: tuple[str, ...] = ()


@dataclass
class ConverterWrite:
    """`app.url_map.converters["uuid_str"] = StrictUUIDConverter`: a URL converter the app's
    rules may name, which Werkzeug runs when it matches them."""

    owner: str  # the dotted name before `.url_map.converters`
    name: str | None  # the literal key; None when it is not a literal
    converter: str  # the value's dotted name; "" when it is not a name
    scope: str
    line: int | None


@dataclass
class SharedConnection:
    """`db = sqlite3.connect(...)` kept in a module-level name (assigned at module level, or
    through `global db` in a function) without `check_same_thread=False`: one connection for
    the whole process, which sqlite3 lets only the thread that made it use."""

    name: str
    where: str  # "at module level", "in class Store", "in connect()"
    line: int | None


# The attributes of a view class whose change outside the class body changes the view Flask
# runs (the only attribute writes the scan records).
VIEW_CLASS_ATTRIBUTES = frozenset({"decorators", "method_decorators", "methods",
                                   "dispatch_request", "init_every_request",
                                   "provide_automatic_options", "as_view", "get", "post", "head",
                                   "options", "delete", "put", "trace", "patch"})


@dataclass(frozen=True)
class ContextImport:
    """An import inside `with app.app_context():` (the application factory pattern of
    hackersandslackers' tutorial: `with app.app_context(): from . import routes`, routes.py
    adding rules to `current_app`). At its import, `current_app` in the module is `owner`."""

    scope: str
    owner: str  # the dotted name whose `app_context()` is entered
    modules: tuple[str, ...]  # the modules the import may import (absolute names)
    line: int | None


@dataclass
class AttributeWrite:
    """`Items.decorators = [require_key]` or `setattr(Items, "get", ...)`: an attribute set
    outside the object's own definition (a class body is read as `ClassFacts.attributes`)."""

    owner: str  # the dotted name whose attribute is set
    attribute: str
    scope: str
    line: int | None


@dataclass
class ModuleFacts:
    module: str
    file: str  # relative to the scan root
    is_package: bool
    lines: int
    bindings: list[Binding] = field(default_factory=list)
    functions: list[FunctionFacts] = field(default_factory=list)
    classes: list[ClassFacts] = field(default_factory=list)
    calls: list[CallFacts] = field(default_factory=list)
    view_functions_writes: list[ViewFunctionsWrite] = field(default_factory=list)
    wsgi_app_writes: list[WsgiAppWrite] = field(default_factory=list)
    converter_writes: list[ConverterWrite] = field(default_factory=list)
    attribute_writes: list[AttributeWrite] = field(default_factory=list)
    shared_connections: list[SharedConnection] = field(default_factory=list)
    # the iterable of each `for` statement, by the arm its body is (Binding.arms, negative)
    loop_iterables: dict[int, Value] = field(default_factory=dict)
    # `for decorator in decorators: view = decorator(view)` (scan/loops.py), by the arm its body
    # is: (loop variable, wrapped name)
    wrapping_loops: dict[int, tuple[str, str]] = field(default_factory=dict)
    # what module-level statements call (dotted names), outside `if __name__ == "__main__":`:
    # the functions that run when the module is imported
    import_time_calls: set[str] = field(default_factory=set)
    # those of them that may monkey-patch the standard library (their last name is one of
    # MONKEY_PATCH_NAMES: gevent's `monkey.patch_all()`, eventlet's `monkey_patch()`), with
    # their lines, for the linker to resolve
    patching_calls: list[tuple[str, int | None]] = field(default_factory=list)
    # names a function of the module declares `global`: it may give them another value when it
    # runs, so their module-level value is not read as a constant
    globals_declared: set[str] = field(default_factory=set)
    # each module-level `name = call(...)`: its line and the call's source, by the name (the
    # first, if several)
    assigned_calls: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    # imports made inside `with x.app_context():` (ContextImport)
    context_imports: list[ContextImport] = field(default_factory=list)
    # every module an import statement of the module may import, wherever it is written (a
    # function's imports too, and `from a import b` both a and a.b): what importing it may run;
    # each maps to None where one such statement is outside every if/while/match block and
    # `except` clause of its scope (a `try` body runs on every path where nothing raises), else
    # to the line of the first (the module imports it only on some paths)
    imports: dict[str, int | None] = field(default_factory=dict)

    def function(self, qualname: str) -> FunctionFacts | None:
        """The function defined as `qualname` (`create_app`, `Api.get`), the first if several."""
        return self._functions.get(qualname)

    @cached_property
    def _functions(self) -> dict[str, FunctionFacts]:
        found: dict[str, FunctionFacts] = {}
        for function in self.functions:
            found.setdefault(function.qualname, function)
        return found


IMPLICIT_CLASS_METHODS = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})


# Calls that make the standard library's threads and sockets a green-thread library's (the
# library's name, by the qualified name of the call)
MONKEY_PATCHES = {
    "gevent.monkey.patch_all": "gevent", "gevent.monkey.patch_thread": "gevent",
    "eventlet.monkey_patch": "eventlet", "eventlet.patcher.monkey_patch": "eventlet",
}
MONKEY_PATCH_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in MONKEY_PATCHES)


def method_kind(function: FunctionFacts) -> str | None:
    """How Python calls a method: "instance" (its first parameter is the object), "class" (the
    class: classmethod, `__new__`), "static"; None when another decorator makes it something
    else (a property, a cached value)."""
    names = [decorator.expr.dotted if isinstance(decorator.expr, Ref) else None
             for decorator in function.decorators]
    if not names:
        return "class" if function.name in IMPLICIT_CLASS_METHODS else "instance"
    if names == ["classmethod"]:
        return "class"
    if names == ["staticmethod"]:
        return "static"
    return None


def passed_parameters(function: FunctionFacts) -> list[str]:
    """The positional parameters a call of `function` passes: a method's without its first
    (the object or class Python passes)."""
    bound = function.in_class is not None and method_kind(function) in ("instance", "class")
    return function.params[1:] if bound else function.params
