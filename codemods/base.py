"""What every view codemod shares: the context it reads and writes, and the rule contract.

A codemod rewrites ONE converted view function (a `libcst.FunctionDef`). It reads what the scan
recorded about the route (`ViewContext.route`, never re-discovering it) and the module's import
aliases, and writes into the context what the generated router needs: extra parameters, imports,
`TODO(migrate)` hand-offs, or a refusal that keeps the route on Flask.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    BuiltinAssignment,
    MetadataWrapper,
    ParentNodeProvider,
    ScopeProvider,
)

from migrator.model import DecoratorInfo, Route
from migrator.scan.classify import NAME_MARKING_DECORATORS, VIEW_KEPT_DECORATORS
from migrator.scan.extract import dotted_name, literal_value, through_imports
from migrator.scan.memo import target_names
from migrator.scan.names import name_uses


def python_identifier(text: str) -> str:
    """A valid Python name for `text`: `per-page` -> `per_page`, `2fa` -> `_2fa`, `class` ->
    `class_`."""
    name = re.sub(r"\W", "_", text)
    if not name or name[0].isdigit():
        name = f"_{name}"
    if keyword.iskeyword(name):
        name = f"{name}_"
    return name


def camel_name(text: str) -> str:
    """A class name made of `text`'s words: `item_api` -> `ItemApi`, the endpoint `stories-group`
    -> `StoriesGroup` (Flask endpoints may hold any character), `2fa` -> `_2fa`; "" for none."""
    camel = "".join(part[:1].upper() + part[1:] for part in re.split(r"[\W_]+", text) if part)
    return python_identifier(camel) if camel else ""


def decorator_call(decorator: cst.Decorator) -> ast.Call | None:
    """The decorator's expression read with `ast` when it is a call (`@ns.expect(todo)`), for
    the rules that read its arguments as values; None for a bare `@name`."""
    code = cst.Module(body=[]).code_for_node(decorator.decorator).strip()
    node = ast.parse(code, mode="eval").body
    return node if isinstance(node, ast.Call) else None


def literal_argument(node: ast.expr | None, default: object) -> object:
    """The literal value of a decorator's argument (`default` when it is not given); `...`
    (never equal to a value a rule takes) when it is not a literal (`code=HTTPStatus.OK`)."""
    if node is None:
        return default
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return ...


#: The methods whose requests carry no body: their routes document none.
BODILESS_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})
#: The generated package's decorator that hands a view class's method the instance Flask
#: dispatches to (`@bound_method("pets.Pets")`, outermost on such a method): it changes neither
#: the request nor the answer.
BOUND_METHOD = "bound_method"
#: ... the function `View.as_view` registers, around a converted method (keywords only)
CLASS_VIEW = "class_view"
#: ... Flask-RESTX's payload validation, where its resource's dispatch runs it
RESTX_PAYLOAD = "restx_payload"
#: ... Flask-RESTful's / Flask-RESTX's `Api.output`, which makes the response of what the
#: method returns (FM027)
RESTFUL_OUTPUT = "restful_output"
# Of those, the ones that leave the shape of the view's answer as it is (the Api's output
# encodes the same data)
_ANSWER_KEEPING_RUNTIME = frozenset({BOUND_METHOD, CLASS_VIEW, RESTX_PAYLOAD, RESTFUL_OUTPUT})


@dataclass(frozen=True)
class NewParameter:
    """A parameter the generated endpoint gains, e.g. `page: str | None = Query(None, alias="page")`."""

    name: str
    annotation: str
    default: str | None
    #: What it documents in the OpenAPI schema: its place ("query", "header", "cookie") and
    #: its name on the wire (FM030 leaves those out of a request parser's documentation).
    documents: tuple[str, str] | None = None


@dataclass(frozen=True)
class GuardUse:
    """A legacy guard decorator that became a route dependency (codemods/guards.py).

    `dependencies.py` of the generated package defines `name` as a `LegacyGuard` around the
    legacy decorator `target` (imported, not copied), or, for a decorator factory used with
    arguments (`@roles_required("admin")`), as a function that makes one per argument list."""

    name: str  # the dependency's name in dependencies.py, as the route writes it
    target: str  # the legacy decorator (or factory), as an importable dotted name
    # ... or, for a method of an object the project made (`auth.login_required` with
    # `auth = HTTPBasicAuth()`), `target` is that object and `attribute` the method's name
    attribute: str | None = None
    arguments: str | None = None  # a factory's arguments as written, `("admin", "editor")`
    headers: tuple[str, ...] = ()  # request headers its check reads (documented in OpenAPI)
    rule: str = "FM020"

    @property
    def factory(self) -> bool:
        return self.arguments is not None


@dataclass(frozen=True)
class EnclosingScope:
    """The functions a view is defined in: an app factory (`create_app`), a blueprint factory
    (`construct_blueprint(datastore)`), a class's `__init__` (FM026). The view reads their names
    from its closure, whose cells the legacy view holds; a router can only import module-level
    names, so the converted view takes those values from the legacy view at run time."""

    function: str  # the functions it is in, as the scan names them: `WebUI.__init__`
    names: frozenset[str]  # the names they bind (parameters included), read from the closure
    # ...but a name bound only by an import in their body is that import: (local, qualified)
    imports: tuple[tuple[str, str], ...] = ()


@dataclass
class ViewContext:
    route: Route
    aliases: dict[str, str]  # local name -> qualified import target, from the view's module
    parameters: list[NewParameter] = field(default_factory=list)
    imports: set[tuple[str, str]] = field(default_factory=set)  # (module, name)
    todos: list[tuple[str, str]] = field(default_factory=list)  # (rule id, reason)
    refusals: list[tuple[str, str]] = field(default_factory=list)  # (rule id, reason)
    applied: set[str] = field(default_factory=set)  # ids of rules that changed something
    # keyword arguments for the route decorator, as source: {"openapi_extra": "{...}"}
    route_options: dict[str, str] = field(default_factory=dict)
    # guard decorators that became route dependencies, outermost first (FM020)
    guards: list[GuardUse] = field(default_factory=list)
    # the legacy package's source (migrator.convert.schemas.LegacySource), for rules that read
    # the helpers a view calls; None when the view is converted on its own (tests)
    legacy: object | None = None
    models: list = field(default_factory=list)  # schemas.ModelSpec for the package's schemas.py
    error_format: str = "legacy"  # --errors fastapi: an exact body model validates (FM010/FM011)
    # a `url_value_preprocessor` of the app or of the route's blueprints runs before the view
    # (the bridge runs it): a path value the view does not take is the preprocessor's (FM001)
    path_values_preprocessed: bool = False
    # the functions the view is defined in, for a view that is not at its module's top level
    enclosing: EnclosingScope | None = None
    # the names the view's module binds to the legacy app the generated package serves (FM035)
    served_app_names: frozenset[str] = frozenset()
    # the names of the view's module that its functions rebind while the app runs (FM037)
    module_state: frozenset[str] = frozenset()
    # (module, local): `import module as local` for the router (FM037's legacy module)
    module_imports: set[tuple[str, str]] = field(default_factory=set)

    def qualified(self, node: cst.BaseExpression) -> str | None:
        """`flask.request.args.get` for `req.args.get` when `req` is `flask.request`."""
        dotted = dotted_name(node)
        return None if dotted is None else through_imports(dotted, self.aliases)

    def is_flask(self, node: cst.BaseExpression, name: str) -> bool:
        return self.qualified(node) == f"flask.{name}"

    def parameter_names(self) -> set[str]:
        return {p.name for p in self.parameters}

    def decorator_detail(self, decorator: cst.Decorator) -> DecoratorInfo | None:
        """What the scan read of `decorator` on the view (matched by the name as written)."""
        expression = decorator.decorator
        written = dotted_name(expression.func if isinstance(expression, cst.Call) else expression)
        if written is None:
            return None
        return next((d for d in reversed(self.route.decorator_details) if d.name == written), None)

    def keeps_answer_shape(self, decorator: cst.Decorator) -> bool:
        """Whether `decorator`, written above the one that makes the view's answer (a schema's
        dump, a model's marshalling), leaves that answer's shape as it is, so a model of it
        documents the route: a guard, a name marker, a third-party decorator the view keeps
        (FM029), or one of the generated package's own that do not touch it. A decorator of the
        project that works on the answer (`@envelope`) may change it."""
        expression = decorator.decorator
        if dotted_name(expression.func if isinstance(expression, cst.Call) else expression) \
                in _ANSWER_KEEPING_RUNTIME:
            return True
        detail = self.decorator_detail(decorator)
        return detail is not None and (detail.shape == "guard"
                                       or detail.qualified in VIEW_KEPT_DECORATORS
                                       or detail.qualified in NAME_MARKING_DECORATORS)

    def arguments_read_by_decorators(self, function: cst.FunctionDef) -> list[str]:
        """The decorators on the view that read or change its arguments (FM025), or hide its
        signature (FM036): the view must keep exactly Flask's arguments, the values of the rule,
        so no rule adds a parameter."""
        return [detail.name for detail in map(self.decorator_detail, function.decorators)
                if detail is not None and detail.needs_rule_values]

    def view_takes_other_arguments(self, function: cst.FunctionDef) -> bool:
        """Whether a decorator that reads or changes the view's arguments stays around a view
        whose parameters are not the values of the rule (`token_required` calling
        `view(current_user, *args, **kwargs)`, `need_auth` swapping `project_id` for `project`),
        or are values FastAPI does not make as Flask does (a converter the app registers: FastAPI
        gives the text it matched, Flask what `to_python` made of it). The view then keeps its
        parameters as written, and the endpoint FastAPI sees takes the rule's values and hands
        the decorators Flask's (FM028). So too where a `url_value_preprocessor` runs and the view
        takes a parameter the rule lacks, which the preprocessor may put in `view_args`, for
        a view that takes `*args`/`**kwargs`, and for a view a decorator wraps without
        functools.wraps (FM036)."""
        if star_parameters(function.params):
            return True  # `def view(*args, **kwargs)`: FastAPI cannot read that signature
        if any(detail is not None and detail.hides_signature
               for detail in map(self.decorator_detail, function.decorators)):
            return True  # nor the `(*args, **kwargs)` of a wrapper without functools.wraps
        taken = {p.name.value for p in named_parameters(function.params)}
        values = {p.name for p in self.route.parameters}
        if not self.arguments_read_by_decorators(function):
            return self.path_values_preprocessed and not taken <= values
        return taken != values or any(p.custom is not None for p in self.route.parameters)

    def seen_by_decorators(self, function: cst.FunctionDef) -> tuple[bool, bool]:
        """Whether a decorator that stays around the view sees (what the view returns, the
        exceptions it raises). Then a rewrite of returns (FM003) or of aborts (FM004) would change
        what the decorator works on: `@stamped` setting `resp.headers[...]` on a `jsonify(...)`
        response would get a dict, an `except NotFound:` around the view would miss FastAPI's
        HTTPException. A guard calls the view last and returns its answer untouched (the scan's
        `guard` shape), a name-marking decorator returns the view itself: neither sees anything.
        A decorator that works on the response sees the answer, and the errors unless it lets
        them through untouched; any other decorator (or one the scan has nothing on) both."""
        returns = errors = False
        for decorator in function.decorators:
            detail = self.decorator_detail(decorator)
            if detail is not None and (detail.shape == "guard"
                                       or detail.qualified in NAME_MARKING_DECORATORS):
                continue
            returns = True
            errors = errors or detail is None or detail.shape != "post_processing" \
                or not detail.lets_errors_through
        return returns, errors


class ViewCodemod(cst.CSTTransformer):
    """Base of the view rules. Subclasses set RULE_ID and SUMMARY and transform one function."""

    RULE_ID = ""
    SUMMARY = ""

    def __init__(self, context: ViewContext) -> None:
        super().__init__()
        self.context = context
        self.depth = 0

    # Only the view itself is rewritten, never a function nested in it (a local helper or
    # callback has other semantics). Subclasses hook in with on_view / leave_view.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        if self.depth == 1:
            self.on_view(node)
        return self.depth == 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        return self.leave_view(original_node, updated_node) if self.depth == 0 else updated_node

    def on_view(self, node: cst.FunctionDef) -> None:
        pass

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        return updated_node

    def changed(self) -> None:
        self.context.applied.add(self.RULE_ID)

    def todo(self, reason: str) -> None:
        self.context.todos.append((self.RULE_ID, reason))

    def refuse(self, reason: str) -> None:
        self.context.refusals.append((self.RULE_ID, reason))

    def transform(self, function: cst.FunctionDef) -> cst.FunctionDef:
        result = function.visit(self)
        assert isinstance(result, cst.FunctionDef)
        return result


def commented_decorator(expression: str, comment: str) -> cst.Decorator:
    """`@expression  # comment`: a decorator the converter writes, with why on its line."""
    return cst.Decorator(cst.parse_expression(expression), trailing_whitespace=(
        cst.TrailingWhitespace(whitespace=cst.SimpleWhitespace("  "),
                               comment=cst.Comment(comment))))


def has_decorator(function: cst.FunctionDef, expression: str) -> bool:
    """Whether `@expression` is on `function` already (a second run of a rule that adds it)."""
    wanted = cst.parse_expression(expression)
    return any(decorator.decorator.deep_equals(wanted) for decorator in function.decorators)


def star_parameters(params: cst.Parameters) -> list[str]:
    """The `*args` and `**kwargs` parameters, as written (`["*args", "**values"]`)."""
    return [f"{stars}{param.name.value}" for stars, param in (
        ("*", params.star_arg), ("**", params.star_kwarg)) if isinstance(param, cst.Param)]


def named_parameters(params: cst.Parameters) -> tuple[cst.Param, ...]:
    """The parameters a call can pass by name: positional-only, plain and keyword-only."""
    return (*params.posonly_params, *params.params, *params.kwonly_params)


def string_literal(node: cst.BaseExpression) -> str | None:
    """The text of a string literal (`"k"`, also implicitly concatenated); None for anything
    else: a bytes literal, an f-string, a name."""
    if not isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return None
    try:
        value = literal_value(node)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def is_literal(node: cst.BaseExpression, lists: bool = True) -> bool:
    """Whether `node` is a literal: a string, a number, None/True/False, or a tuple (or, with
    `lists`, a list) of literals."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_literal(node.left) and is_literal(node.right)
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    if isinstance(node, cst.Tuple) or (lists and isinstance(node, cst.List)):
        return all(isinstance(e, cst.Element) and is_literal(e.value, lists)
                   for e in node.elements)
    return False


def written_names(node: cst.CSTNode) -> set[str]:
    """Every name written in `node` (read, bound, or an attribute's)."""
    return {name.value for name in m.findall(node, m.Name())}  # type: ignore[union-attr]


def reads_name(node: cst.CSTNode, name: str) -> bool:
    """Whether `name` is written in `node` as a name (not as an attribute's or a keyword
    argument's)."""
    return name_uses(node, name) > 0


# free_names by the function's source: the rules and the converter ask about each view several
# times (before and after rules that change nothing), and the scope analysis is the costliest
# step of convert (half of privacyidea's 271 views); the source alone decides the answer.
_FREE_NAMES: dict[str, tuple[str, ...]] = {}
_FREE_NAMES_KEPT = 512


def free_names(function: cst.FunctionDef) -> list[str]:
    """Names the function (its decorators and defaults included) reads but never binds, sorted.
    Builtins resolve to LibCST's builtin scope and are not free."""
    module = cst.Module(body=[function])
    key = module.code
    found = _FREE_NAMES.get(key)
    if found is None:
        if len(_FREE_NAMES) >= _FREE_NAMES_KEPT:
            _FREE_NAMES.clear()
        found = _FREE_NAMES[key] = tuple(sorted(free_reads(function)))
    return list(found)


def free_reads(function: cst.FunctionDef) -> dict[str, list[cst.Name]]:
    """Each name the function reads but never binds (free_names), with the Name nodes that read
    it: nodes of `function` itself, so a rule visiting it can tell those reads from a read of the
    same name that a lambda or comprehension inside binds."""
    wrapper = MetadataWrapper(cst.Module(body=[function]), unsafe_skip_copy=True)
    parents = wrapper.resolve(ParentNodeProvider)
    missed = _bindings_libcst_misses(wrapper.module, parents)
    reads: dict[str, list[cst.Name]] = {}
    for scope in {s for s in wrapper.resolve(ScopeProvider).values() if s is not None}:
        for access in scope.accesses:
            node = access.node
            if isinstance(node, cst.Name) and not access.referents \
                    and not _comprehension_binds(node, parents) \
                    and not _function_binds(node, parents, missed) \
                    and not is_pattern_keyword(node, parents):
                reads.setdefault(node.value, []).append(node)
    return reads


#: Attributes every module has in its globals that the `builtins` module has too: LibCST's scope
#: analysis resolves a function's read of one to the builtins, where Python reads the function's
#: own module's (`__name__` in a view is its module's name).
MODULE_ATTRIBUTES = frozenset({"__name__", "__doc__", "__package__", "__spec__", "__loader__"})
#: Attributes every module has (a package: `__path__`) that no statement binds and the `builtins`
#: module lacks: LibCST finds a function's reads of them free.
MODULE_FILE_ATTRIBUTES = frozenset({"__file__", "__cached__", "__path__", "__builtins__"})
_MODULE_ATTRIBUTE_NAMES = MODULE_ATTRIBUTES | MODULE_FILE_ATTRIBUTES
#: The builtins' names a module may bind again, which a view of it then reads (builtin_reads);
#: the module's own attributes are FM038's.
BUILTIN_NAMES = frozenset(dir(builtins)) - MODULE_ATTRIBUTES


def module_attribute_names(function: cst.FunctionDef) -> set[str]:
    """The attributes of its own module (MODULE_ATTRIBUTES, MODULE_FILE_ATTRIBUTES) that the
    function reads and does not bind."""
    # (FM038 and the converter ask of every view; scope analysis costs about 17 ms a view, a
    # look for the names almost none of them has, nothing)
    if not m.findall(function, m.Name(value=m.MatchIfTrue(_MODULE_ATTRIBUTE_NAMES.__contains__))):
        return set()
    names = {name for name in free_names(function) if name in MODULE_FILE_ATTRIBUTES}
    return names | builtin_reads(function, MODULE_ATTRIBUTES)


def builtin_reads(function: cst.FunctionDef, names: Collection[str]) -> set[str]:
    """Those of `names` that the function reads and LibCST's scope analysis, which sees the
    function alone, resolves to the builtins: where its module binds one of them (`from
    pyload.core.utils import format`), Python reads the module's, and free_names misses it."""
    # (a look for the names first: scope analysis costs about 17 ms a view)
    if not names or not m.findall(function, m.Name(value=m.MatchIfTrue(names.__contains__))):
        return set()
    wrapper = MetadataWrapper(cst.Module(body=[function]), unsafe_skip_copy=True)
    found: set[str] = set()
    for scope in {s for s in wrapper.resolve(ScopeProvider).values() if s is not None}:
        for access in scope.accesses:
            node = access.node
            if isinstance(node, cst.Name) and node.value in names and access.referents \
                    and all(isinstance(r, BuiltinAssignment) for r in access.referents):
                found.add(node.value)
    return found


_FUNCTIONS = (cst.FunctionDef, cst.Lambda)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _bindings_libcst_misses(module: cst.Module, parents: Mapping[cst.CSTNode, cst.CSTNode]
                            ) -> dict[int, set[str]]:
    """By (id of) function: the names it binds where LibCST's scope analysis does not see a
    binding: a walrus in a comprehension (`[(last := x) for x in s]` binds `last` in the
    function, PEP 572) and a `match` statement's captures (`case {"a": a, **rest}:`)."""
    bindings = _MissedBindings()
    module.visit(bindings)
    found: dict[int, set[str]] = {}
    for name, node in bindings.found:
        if isinstance(node, cst.NamedExpr) and not _in_comprehension(node, parents):
            continue  # LibCST sees this one
        owner = _enclosing(node, parents, _FUNCTIONS)
        if owner is not None:
            found.setdefault(id(owner), set()).add(name.value)
    return found


class _MissedBindings(cst.CSTVisitor):
    """The walruses and `match` captures of a tree, each with its name (one walk of it)."""

    def __init__(self) -> None:
        self.found: list[tuple[cst.Name, cst.CSTNode]] = []

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if isinstance(node.target, cst.Name):
            self.found.append((node.target, node))

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.found.append((node.name, node))

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.found.append((node.name, node))

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self.found.append((node.rest, node))


def _enclosing(node: cst.CSTNode, parents: Mapping[cst.CSTNode, cst.CSTNode],
               kinds: tuple[type[cst.CSTNode], ...]) -> cst.CSTNode | None:
    """The nearest node around `node` of one of `kinds`."""
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, kinds):
        parent = parents.get(parent)
    return parent


def _in_comprehension(node: cst.CSTNode, parents: Mapping[cst.CSTNode, cst.CSTNode]) -> bool:
    """Whether `node` is in a comprehension of the function it is in."""
    return isinstance(_enclosing(node, parents, (*_FUNCTIONS, *_COMPREHENSIONS)),
                      _COMPREHENSIONS)


def _function_binds(name: cst.Name, parents: Mapping[cst.CSTNode, cst.CSTNode],
                    missed: dict[int, set[str]]) -> bool:
    """Whether a function around `name` binds it in a way LibCST does not see (its read is then
    of that function's local, or of a closure's cell)."""
    owner = _enclosing(name, parents, _FUNCTIONS)
    while owner is not None:
        if name.value in missed.get(id(owner), ()):
            return True
        owner = _enclosing(owner, parents, _FUNCTIONS)
    return False


def is_pattern_keyword(name: cst.Name, parents: Mapping[cst.CSTNode, cst.CSTNode]) -> bool:
    """`x` in `case Point(x=px):`, an attribute the pattern matches, read of no variable."""
    parent = parents.get(name)
    return isinstance(parent, cst.MatchKeywordElement) and parent.key is name


def _comprehension_binds(name: cst.Name, parents: Mapping[cst.CSTNode, cst.CSTNode]) -> bool:
    """Whether a comprehension around `name` binds it where it is read. LibCST leaves a read of
    the target of a comprehension's second or later `for` without a referent in that `for`'s own
    `if`s and in the later `for`s (`[y for x in xs for y in x.meta if y.startswith(p)]`: the `y`
    after `if`), which would take it for a name of the module. Python's rule: a `for`'s target is
    seen by its `if`s, the `for`s after it and the element, not by its own iterable."""
    child: cst.CSTNode = name
    node = parents.get(child)
    while node is not None:
        seen: list[cst.BaseAssignTargetExpression] = []
        if isinstance(node, cst.CompFor) and child is not node.iter and child is not node.target:
            seen.append(node.target)  # its `if`s and the `for`s within it
        elif isinstance(node, _COMPREHENSIONS) and child is not node.for_in:
            comp_for: cst.CompFor | None = node.for_in  # the element: every `for`'s target
            while comp_for is not None:
                seen.append(comp_for.target)
                comp_for = comp_for.inner_for_in
        if any(name.value in target_names(target) for target in seen):
            return True
        child, node = node, parents.get(node)
    return False
