"""One LibCST pass over one file, producing `ModuleFacts`.

Speed matters here (a scan must cost no more than parsing the tree), so:
- no metadata providers: LibCST's PositionProvider costs about 2.3x the parse itself. Lines are
  found with `SourceLocator`, which searches the source text for the few nodes we report, in
  source order, from a cursor that only moves forward;
- expressions are turned into symbolic `Value`s only where the linker may need them.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import dataclasses
import re
import warnings
from bisect import bisect_right
from collections.abc import Iterator

import libcst as cst
import libcst.matchers as m

from migrator.scan.extension_routes import routes_added_by
from migrator.scan.facts import (
    ITEM_METHOD,
    MONKEY_PATCH_NAMES,
    SPLIT_ITEM,
    STRING_JOIN,
    TEST,
    VIEW_CLASS_ATTRIBUTES,
    AttributeWrite,
    Binding,
    CallExpr,
    CallFacts,
    ClassFacts,
    Concat,
    ContextImport,
    ConverterWrite,
    DecoratorFacts,
    Format,
    FunctionFacts,
    Guard,
    ImportRef,
    Lit,
    Loop,
    ModuleFacts,
    Or,
    Ref,
    Seq,
    SharedConnection,
    StreamedResponseCall,
    Unknown,
    Unpacked,
    Value,
    ViewFunctionsWrite,
    WrapperShape,
    WsgiAppWrite,
    passed_parameters,
)
from migrator.scan.loops import wrapping_loop
from migrator.scan.memo import bound_names, fills_cache
from migrator.scan.middleware import read_middleware
from migrator.scan.names import dotted_name

# What makes a response of its first argument; a generator there streams the response.
RESPONSE_MAKERS = frozenset({"flask.Response", "flask.make_response", "flask.wrappers.Response",
                             "werkzeug.Response", "werkzeug.wrappers.Response",
                             "werkzeug.wrappers.response.Response",
                             # Werkzeug < 2.1, still imported by code that supports both
                             "werkzeug.BaseResponse", "werkzeug.wrappers.BaseResponse",
                             "werkzeug.wrappers.base_response.BaseResponse"})
#: The feature (a pseudo qualified name; classify calls it `stream`) of such a response.
GENERATOR_RESPONSE = "flask.Response(generator)"
_BUILTIN_NAMES = frozenset(dir(builtins))
#: The `decorator` package's `@decorator`, which makes a signature-keeping decorator of a caller.
DECORATOR_PACKAGE = frozenset({"decorator.decorator"})
# wrapt's `@wrapt.decorator def closing(wrapped, instance, args, kwargs)`, written bare: a view
# decorator whose wrapper keeps the view's signature and runs this body with the view as `wrapped`
WRAPT_DECORATOR = "wrapt.decorator"

def names_only(display: cst.List | cst.Tuple) -> bool:
    """Whether a list or tuple display holds plain (dotted) names only, at least one:
    `[tab_ns, sql_ns]`, `app, api`."""
    return bool(display.elements) and all(
        isinstance(e, cst.Element) and isinstance(e.value, (cst.Name, cst.Attribute))
        for e in display.elements)


def string_constant(value: Value) -> bool:
    """Whether a value is text the linker may read as a constant: a string literal, or one
    made of literals and names with `+`, an f-string or `str.format` (`"/api/" + VERSION`)."""
    if isinstance(value, Lit):
        return isinstance(value.value, str)
    if isinstance(value, Concat):
        return any(string_constant(part) for part in value.parts) and all(
            isinstance(part, Ref) or string_constant(part) for part in value.parts)
    if isinstance(value, Format):
        return isinstance(value.template, Lit) and all(
            isinstance(part, (Lit, Ref)) for part in (*value.args, *dict(value.kwargs).values()))
    return False


def names_sequence(node: cst.BaseExpression) -> bool:
    """Whether an expression is a list of names made of names and displays of them: `a + b`,
    `blueprints or DEFAULT_BLUEPRINTS`, `blueprints + [roles.mod]` (what a factory may do with
    the blueprints its caller passes); a name or a display of names (`names_only`) alone too."""
    if isinstance(node, (cst.Name, cst.Attribute)):
        return True
    if isinstance(node, (cst.List, cst.Tuple)):
        return names_only(node) or not node.elements
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add) or \
            isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        return names_sequence(node.left) and names_sequence(node.right)
    return False


def partials_only(display: cst.List | cst.Tuple) -> bool:
    """Whether a list or tuple display holds `partial(...)` calls only, at least one:
    `[functools.partial(app.register_blueprint, api, url_prefix="/api")]` (OctoPrint)."""
    return bool(display.elements) and all(
        isinstance(e, cst.Element) and isinstance(e.value, cst.Call)
        and (dotted_name(e.value.func) or "").rsplit(".", 1)[-1] == "partial"
        for e in display.elements)


# The methods of an app or blueprint whose call makes a route decorator (`@app.route(path)`).
ROUTE_VERBS = frozenset({"route", "get", "post", "put", "patch", "delete"})
# Calls that change a `decorators` list in place (recorded with the others below).
DECORATOR_LIST_CHANGES = (".decorators.append", ".decorators.extend", ".decorators.insert")
# Methods through which a subclass of Flask-RESTful's or Flask-RESTX's Api (or of a RESTX
# Namespace) may set the decorators the resources get: whether their body names `decorators`.
DECORATOR_SETTING_METHODS = frozenset({"__init__", "init_app", "_init_app"})
# `decorators` as a name, an attribute, a keyword or a string key (`kwargs["decorators"]`)
NAMES_DECORATORS = m.Name("decorators") | m.Attribute(attr=m.Name("decorators")) | m.SimpleString(
    value=m.MatchRegex(r"""[rRuU]?(['"])decorators\1"""))
# Statement-level calls worth recording, by the last part of the callee's name.
RECORDED_CALLS = frozenset(
    {
        "add_url_rule",
        "register_blueprint",
        "add_resource",
        "add_namespace",
        "init_app",
        "register_error_handler",
        "before_request",
        "after_request",
        "teardown_request",
        "teardown_appcontext",
        "before_app_request",
        "after_app_request",
        "add_command",
        "errorhandler",
        "app_errorhandler",
        "route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
    }
)

_TRIPLE_QUOTED = re.compile(r'(?s)("""|\'\'\').*?(?<!\\)\1')


def pluggy_hook_name(func: str) -> str | None:
    """The hook a call runs through a pluggy plugin manager's `hook` attribute
    (`app.pluggy.hook.flaskbb_load_blueprints`), or None."""
    parts = func.split(".")
    return parts[-1] if len(parts) >= 3 and parts[-2] == "hook" else None


class SourceLocator:
    """Finds the line of a node by searching its exact source text from a forward-only cursor.

    LibCST reproduces source exactly, so `code_for_node(expr)` is the text as written. Because
    the visitor meets nodes in source order, the first match at or after the cursor is the node,
    except where the same text also stands inside a triple-quoted string (a docstring with an
    `@app.route` example): such matches are skipped. Once a statement (or a decorator) is
    walked, the cursor steps past the last match made in it: two statements written alike
    (`app.register_blueprint(auth)` in an `if` and again in its `else`) get their own lines,
    while the nodes of one statement (the statement and the call it is) share its match.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.cursor = 0
        self._matched: int | None = None  # the last match's index, until the next step
        self._line_starts: list[int] | None = None
        self._strings: list[tuple[int, int]] | None = None

    def _inside_string(self, index: int) -> int | None:
        if self._strings is None:
            self._strings = [m.span() for m in _TRIPLE_QUOTED.finditer(self.source)]
        for start, end in self._strings:
            if start < index < end:
                return end
            if start > index:
                break
        return None

    def line_of(self, index: int) -> int:
        if self._line_starts is None:
            starts = [0]
            find = self.source.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return bisect_right(self._line_starts, index)

    def find_text(self, text: str) -> int | None:
        # Only the first line: LibCST writes a node inside an indented block without the
        # block's indentation, so the continuation lines of a statement written over several
        # lines in a function do not match the source.
        text = text.split("\n", 1)[0]
        index = self.source.find(text, self.cursor)
        while index != -1:
            string_end = self._inside_string(index)
            if string_end is None:
                self.cursor = self._matched = index
                return self.line_of(index)
            index = self.source.find(text, string_end)
        return None

    def step_past_match(self) -> None:
        """A statement is walked: what is searched next starts after its match."""
        if self._matched is not None:
            self.cursor = max(self.cursor, self._matched + 1)
            self._matched = None

    def find_definition(self, keyword: str, name: str) -> int | None:
        """The line of `def name` / `class name` (plain string search; a regex per name would
        cost more than the rest of the walk)."""
        text = f"{keyword} {name}"
        index = self.source.find(text, self.cursor)
        while index != -1:
            end = index + len(text)
            after = self.source[end : end + 1]
            if not (after.isalnum() or after == "_") and self._inside_string(index) is None:
                self.cursor = self._matched = index
                return self.line_of(index)
            index = self.source.find(text, end)
        # unusual spacing (`def\tname`): fall back to a pattern
        return self.find_pattern(re.compile(keyword + r"[ \t]+" + re.escape(name) + r"\b"))

    def find_pattern(self, pattern: re.Pattern[str]) -> int | None:
        match = pattern.search(self.source, self.cursor)
        while match is not None:
            string_end = self._inside_string(match.start())
            if string_end is None:
                self.cursor = self._matched = match.start()
                return self.line_of(match.start())
            match = pattern.search(self.source, string_end)
        return None


def literal_value(node: cst.SimpleString | cst.Integer | cst.Float) -> object:
    """The value of a literal. LibCST's `evaluated_value` is `ast.literal_eval`, which warns (an
    error under -W error, shown by default from Python 3.12) on invalid escapes such as "\\_";
    raises ValueError for what it cannot evaluate."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return node.evaluated_value
        except (SyntaxError, ValueError) as error:
            raise ValueError(str(error)) from None


def ast_dotted(node: ast.expr) -> str | None:
    """`a.b.c` of a Name/Attribute chain of Python's own syntax tree, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = ast_dotted(node.value)
        return None if owner is None else f"{owner}.{node.attr}"
    return None


def nested_wrappers(value: cst.BaseExpression) -> tuple[str, ...]:
    """The callees nested in a call's first positional argument, outermost first: ("CORS",) of
    `TrailingSlash(CORS(app.wsgi_app))`; "" where one is not a dotted name."""
    nested: list[str] = []
    while isinstance(value, cst.Call) and value.args and value.args[0].keyword is None \
            and not value.args[0].star and isinstance(value.args[0].value, cst.Call):
        value = value.args[0].value
        nested.append(dotted_name(value.func) or "")
    return tuple(nested)


def through_imports(dotted: str, aliases: dict[str, str]) -> str | None:
    """`flask.request.args` for `req.args` where `aliases` (local name -> import target) binds
    `req` to `flask.request`; None when the first name is not imported."""
    head, _, rest = dotted.partition(".")
    target = aliases.get(head)
    if target is None:
        return None
    return f"{target}.{rest}" if rest else target


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module that `from <level dots><target> import ...` names inside `module`."""
    if level == 0:
        return target or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)]
    base = ".".join(package)
    if target:
        return f"{base}.{target}" if base else target
    return base


# Fields that only hold whitespace, comments or punctuation: never worth walking into.
_SKIPPED_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "leading_lines", "lines_after_decorators", "header", "footer",
        "semicolon", "newline", "trailing_whitespace", "equal", "colon", "dot", "asynchronous",
        "lbracket", "rbracket", "lbrace", "rbrace", "operator", "star", "arrow", "walrus",
        "default_comma", "star_arg", "whitespace",
    }
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(node_type)
    if fields is None:
        fields = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
        _CHILD_FIELDS[node_type] = fields
    return fields


class FactsExtractor:
    """Walks the tree by hand: LibCST's own visitor rebuilds every node it passes, which costs
    about as much as the parse; this walk skips whitespace and punctuation and only stops at the
    dozen node types that carry facts."""

    def __init__(self, module: cst.Module, source: str, facts: ModuleFacts) -> None:
        self.module = module
        self.facts = facts
        self.locator = SourceLocator(source)
        self.order = 0
        self.function_stack: list[FunctionFacts] = []
        # `locals()` calls whose names a string literal picks (`"{a}".format(**locals())`,
        # `"%(a)s" % locals()`): the names read are fixed, not the whole set
        self.locals_by_fixed_keys: set[int] = set()
        # `Response(ticks(), ...)`, read once the whole module is walked (generator_responses):
        # the functions the call is in, its scope, what makes the response, the function called
        # for its body (None: a generator expression) or the function's variable that is its
        # body (`Response(rows)`), and whether it is a variable
        self.responses_of_calls: list[
            tuple[list[FunctionFacts], str, str, str | None, bool]] = []
        # `rows = (f(x) for x in items)` in a function: (its scope, `rows`), for a response
        # made of the variable
        self.generator_variables: set[tuple[str, str]] = set()
        self.class_stack: list[ClassFacts] = []
        self.scope_names: list[str] = []  # qualname parts (functions and classes)
        self.loops: list[Loop] = []
        self.guards: list[Guard] = []  # the `if`s inside `loops` around the walk (CallFacts)
        # module-level functions with a function defined in them under a route decorator
        self.nested_route_makers: set[str] = set()
        self.aliases: dict[str, str] = {}  # local name -> qualified import target
        self.branch_depth = 0  # inside if/try/while/match of the current scope
        # of those, the arms a `try` runs on every path where nothing raises (its body, `else`
        # and `finally`): `try: from . import bulk` imports on every such path
        self.try_depth = 0
        self.if_depth = 0  # inside an `if` of the current scope (its condition may not hold)
        self.arms: list[int] = []  # the arms of branches and loops of the current scope (Binding)
        self.arm_count = 0
        # `if view is None:` statements that fill a per-key cache (scan/memo.py): not branches
        self.memoizing_ifs: set[int] = set()
        self.function_nodes: list[cst.FunctionDef] = []  # the defs of function_stack
        # the defs of functions defined in functions, by qualified name (note_update_wrapper)
        self.nested_function_nodes: dict[str, cst.FunctionDef] = {}
        # how many times each function of function_nodes binds each name (memo.bound_names),
        # by the def's id: read once per function, where it holds a text in a name
        self.function_bound: dict[int, dict[str, int]] = {}
        # for each class of class_stack: the depth of `arms` and `function_stack` its body is at
        self.class_depths: list[tuple[int, int]] = []
        self.main_guards = 0  # inside `if __name__ == "__main__":` at module level
        self.global_names: list[set[str]] = []  # `global x` in each function of function_stack
        self.app_contexts: list[str] = []  # `with x.app_context():` blocks the walk is in: x

    # -- helpers -------------------------------------------------------------------------
    @property
    def scope(self) -> str:
        return self.function_stack[-1].qualname if self.function_stack else ""

    def next_order(self) -> int:
        self.order += 1
        return self.order

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def value(self, node: cst.BaseExpression | None) -> Value:
        if node is None:
            return Lit(None)
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
            return self.literal(node)
        if isinstance(node, cst.Name):
            if node.value in ("None", "True", "False"):
                return Lit({"None": None, "True": True, "False": False}[node.value])
            return Ref(node.value)
        if isinstance(node, cst.Attribute):
            dotted = dotted_name(node)
            if dotted:
                return Ref(dotted)
            if isinstance(node.value, (cst.Call, cst.Attribute)):
                # an attribute of what a call returns, `import_string(name).bp`: Python's
                # `getattr(import_string(name), "bp")`, which the linker reads
                owner = self.value(node.value)
                if isinstance(owner, CallExpr):
                    return CallExpr("getattr", (owner, Lit(node.attr.value)), (),
                                    self.code(node))
            return Unknown(self.code(node))
        if isinstance(node, cst.ConcatenatedString):
            return Concat((self.value(node.left), self.value(node.right)))
        if isinstance(node, cst.FormattedString):
            # an f-string is the str.format of its text with its values: `f"/v{VERSION}"` with
            # `VERSION = 1` is "/v1" (a `+` concatenation would refuse a str and an int)
            template: list[str] = []
            values: list[Value] = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    template.append(part.value)  # `{{` and `}}` stay escaped, as str.format reads
                    continue
                spec = part.format_spec or ()
                if part.equal is not None or not all(
                        isinstance(piece, cst.FormattedStringText) for piece in spec):
                    return Unknown(self.code(node))  # `{x=}`, a computed width `{x:{w}}`
                conversion = f"!{part.conversion}" if part.conversion else ""
                spec_text = "".join(piece.value for piece in spec)  # type: ignore[union-attr]
                template.append("{" + conversion + (f":{spec_text}" if spec else "") + "}")
                values.append(self.value(part.expression))
            return Format(Lit("".join(template)), tuple(values), ())
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            items = []
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    return Unknown(self.code(node))
                items.append(self.value(element.value))
            return Seq(tuple(items))
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return Concat((self.value(node.left), self.value(node.right)))
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            return Or((self.value(node.left), self.value(node.right)), self.code(node))
        if isinstance(node, cst.Subscript):
            return self.split_item(node)
        if isinstance(node, cst.Dict):
            if any(not isinstance(element, cst.DictElement) for element in node.elements):
                return Unknown(self.code(node))  # `{**defaults, ...}`
            return Unknown(self.code(node), tuple(
                (self.value(element.key), self.value(element.value))
                for element in node.elements if isinstance(element, cst.DictElement)))
        if isinstance(node, cst.Call):
            if (isinstance(node.func, cst.Attribute) and node.func.attr.value == "format"
                    and is_string_literal(node.func.value)):
                call = self.call_value(node, with_code=False)
                if not any(arg.star for arg in node.args):
                    return Format(self.value(node.func.value), call.args, call.kwargs)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "join" \
                    and is_string_literal(node.func.value) \
                    and len(node.args) == 1 and not node.args[0].keyword \
                    and not node.args[0].star:
                # `"/".join(["", "api", VERSION])`: read in link.py where its parts are known
                return CallExpr(STRING_JOIN, (self.value(node.func.value),
                                              self.value(node.args[0].value)), (),
                                self.code(node))
            makes_dict = isinstance(node.func, cst.Name) and node.func.value == "dict"
            if makes_dict and node.args and all(
                    arg.keyword is not None and not arg.star for arg in node.args):
                # `dict(resource=Items, urls="/items/")` (cornflow's route table) is the dict
                # display `{"resource": Items, "urls": "/items/"}`; its text is kept, as a
                # rule's `defaults=dict(rev=CURRENT)` is read from it (model.rule_default_names)
                return Unknown(self.code(node), tuple(
                    (Lit(arg.keyword.value), self.value(arg.value))  # type: ignore[union-attr]
                    for arg in node.args))
            # other `dict(...)` calls keep their text too; other calls do not pay for theirs
            return self.call_value(node, with_code=makes_dict)
        return Unknown(self.code(node))

    def split_item(self, node: cst.Subscript) -> Value:
        """`__name__.split(".")[-1]` (a blueprint named after its module): a CallExpr of
        SPLIT_ITEM; `name["key"]` an Unknown with its `item`; any other subscript is Unknown."""
        call = node.value
        index = node.slice[0].slice if len(node.slice) == 1 else None
        negative = isinstance(index, cst.Index) and isinstance(index.value, cst.UnaryOperation) \
            and isinstance(index.value.operator, cst.Minus)
        number = index.value.expression if negative else getattr(index, "value", None)  # type: ignore[union-attr]
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                and call.func.attr.value in SPLIT_ITEM and isinstance(number, cst.Integer)
                and not any(arg.star or arg.keyword for arg in call.args)):
            key = index.value if isinstance(index, cst.Index) and index.star is None else None
            if isinstance(key, (cst.SimpleString, cst.Integer)) and dotted_name(call):
                return Unknown(self.code(node), item=(self.value(call), self.value(key)))
            return Unknown(self.code(node))
        return CallExpr(
            func=SPLIT_ITEM[call.func.attr.value],
            args=(self.value(call.func.value), *(self.value(arg.value) for arg in call.args),
                  Lit(-int(number.value) if negative else int(number.value))),
            kwargs=(), code=self.code(node))

    def literal(self, node: cst.SimpleString | cst.Integer | cst.Float) -> Value:
        try:
            return Lit(literal_value(node))
        except ValueError:
            return Unknown(node.value)

    def call_value(self, node: cst.Call, *, with_code: bool) -> CallExpr:
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        for arg in node.args:
            if arg.star:
                # `**val["options"]` keeps its item, which a loop over a dict display gives
                spread = self.value(arg.value) if isinstance(arg.value, cst.Subscript) else None
                kwargs.append((arg.star, spread if isinstance(spread, Unknown)
                               else Unknown(self.code(arg.value))))
            elif arg.keyword is not None:
                kwargs.append((arg.keyword.value, self.value(arg.value)))
            else:
                args.append(self.value(arg.value))
        if isinstance(node.func, cst.Call):
            # a call of a call, `app.route("/x")(view)` or `roles("admin")(view)`: "<call>", with
            # the inner call as the first argument
            return CallExpr(
                func="<call>",
                args=(self.call_value(node.func, with_code=with_code), *args),
                kwargs=tuple(kwargs),
                code=self.code(node) if with_code else "",
            )
        if isinstance(node.func, cst.Attribute) \
                and isinstance(node.func.value, (cst.Subscript, cst.Call)):
            # a method of a dict's item: `val["view_class"].as_view(key)` (odcs),
            # `api_v1.get(k, {}).items()` (freshmaker)
            owner = self.value(node.func.value)
            if isinstance(owner, Unknown) and owner.item is not None \
                    or isinstance(owner, CallExpr) and owner.func.endswith(".get"):
                return CallExpr(ITEM_METHOD, (owner, Lit(node.func.attr.value), *args),
                                tuple(kwargs), self.code(node) if with_code else "")
        return CallExpr(
            func=dotted_name(node.func) or "",
            args=tuple(args),
            kwargs=tuple(kwargs),
            code=self.code(node) if with_code else "",
        )

    def qualify(self, dotted: str) -> str | None:
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def note_feature(self, dotted: str) -> None:
        if not self.function_stack:
            return
        qualified = self.qualify(dotted)
        if qualified is not None and qualified.startswith(("flask", "werkzeug")):
            for function in self.function_stack:
                function.features.add(qualified)

    def bind(self, name: str, kind: str, value: Value | ImportRef | None) -> None:
        self.facts.bindings.append(
            Binding(self.scope, name, self.next_order(), kind, value, self.branch_depth > 0,
                    tuple(self.arms))
        )

    def decorators(self, node: cst.FunctionDef | cst.ClassDef) -> list[DecoratorFacts]:
        found = []
        for decorator in node.decorators:
            expr = decorator.decorator
            line = self.locator.find_text(self.code(expr))
            self.locator.step_past_match()
            if isinstance(expr, cst.Call):
                found.append(DecoratorFacts(self.call_value(expr, with_code=False), line))
            else:
                found.append(DecoratorFacts(self.value(expr), line))
        return found

    # -- imports -------------------------------------------------------------------------
    def record_import(self, node: cst.Import | cst.ImportFrom, *, bind: bool) -> None:
        """Note what the import binds; `bind=False` only learns the aliases (the pre-pass)."""
        if isinstance(node, cst.Import):
            for alias in node.names:
                local = import_local_name(alias, from_import=False)
                # `import a.b as c` binds a.b; `import a.b` binds a
                ref = ImportRef((dotted_name(alias.name) or "") if alias.asname else local, None)
                self.aliases[local] = ref.module
                if bind:
                    self.bind(local, "import", ref)
            return
        target = dotted_name(node.module) if node.module is not None else None
        module = resolve_relative(
            self.facts.module, self.facts.is_package, len(node.relative), target
        )
        if isinstance(node.names, cst.ImportStar):
            if bind:
                self.bind("*", "import", ImportRef(module, "*"))
            return
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = import_local_name(alias, from_import=True)
            self.aliases[local] = f"{module}.{name}" if module else name
            if bind:
                self.bind(local, "import", ImportRef(module, name))

    # -- the walk -------------------------------------------------------------------------
    def walk(self, node: cst.CSTNode) -> None:
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            handler(self, node)
        else:
            self.descend(node)

    def descend(self, node: cst.CSTNode) -> None:
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                self.walk(value)
            elif isinstance(value, (tuple, list)):
                for item in value:
                    if isinstance(item, cst.CSTNode):
                        self.walk(item)

    def walk_statement_line(self, node: cst.SimpleStatementLine | cst.SimpleStatementSuite
                            ) -> None:
        self.descend(node)
        self.locator.step_past_match()

    def walk_block(self, node: cst.IndentedBlock) -> None:
        if self.function_nodes:
            for before, statement in zip(node.body, node.body[1:], strict=False):
                if isinstance(statement, cst.If) and \
                        fills_cache(self.function_nodes[-1], before, statement):
                    self.memoizing_ifs.add(id(statement))
        if not self.loops:
            self.descend(node)
            return
        # in a loop, `if name in HIDDEN: continue` skips the rest of the block for the items
        # its test holds for: the statements after it are walked with the test not holding
        self.walk(node.header)
        skipping = len(self.guards)
        try:
            for statement in node.body:
                self.walk(statement)
                test = skipped_turn_test(statement)
                if test is not None:
                    self.guards.append(Guard(self.test_value(test), False, self.code(test),
                                             names_read(test)))
        finally:
            del self.guards[skipping:]
        for line in node.footer:
            self.walk(line)

    def walk_branch(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.If) and not self.function_stack and _is_main_guard(node.test):
            # `if __name__ == "__main__":` runs when the module is run, not imported
            self.main_guards += 1
            self.branch_depth += 1
            self.if_depth += 1
            self.walk_arm(node.body)
            self.main_guards -= 1
            if node.orelse is not None:
                self.walk_arm(node.orelse, branching=isinstance(node.orelse, cst.If))
            self.branch_depth -= 1
            self.if_depth -= 1
            return
        if isinstance(node, cst.If) and id(node) in self.memoizing_ifs:
            # after it the name holds what its body makes, on every path (scan/memo.py)
            self.walk(node.test)
            self.walk(node.body)
            return
        is_if = isinstance(node, cst.If)
        self.branch_depth += 1
        self.if_depth += is_if
        self.walk_arms(node)
        self.branch_depth -= 1
        self.if_depth -= is_if

    def walk_arms(self, node: cst.CSTNode) -> None:
        """Walk a branching statement, each arm as one (`Binding.arms`)."""
        if isinstance(node, cst.If):
            self.walk(node.test)
            # in a loop, the test may tell which items reach a call (Linker.loop_environments)
            test = (self.test_value(node.test), self.code(node.test),
                    names_read(node.test)) if self.loops else None
            with self.guarded(test, holds=True):
                self.walk_arm(node.body)
            with self.guarded(test, holds=False):
                if isinstance(node.orelse, cst.If):  # elif: an arm holding arms
                    self.walk_arm(node.orelse, branching=True)
                elif node.orelse is not None:
                    self.walk_arm(node.orelse)
        elif isinstance(node, cst.While):
            self.walk(node.test)
            self.walk_arm(node.body, loop=True)
            if node.orelse is not None:
                self.walk_arm(node.orelse)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            # a `finally` runs on every path, but after what may have raised: an arm too
            for arm in (node.body, *node.handlers, node.orelse, node.finalbody):
                if arm is not None:
                    on_every_path = not isinstance(
                        arm, (cst.ExceptHandler, cst.ExceptStarHandler))
                    self.try_depth += on_every_path
                    self.walk_arm(arm)
                    self.try_depth -= on_every_path
        elif isinstance(node, cst.Match):
            self.walk(node.subject)
            for case in node.cases:
                self.walk_arm(case)
        else:
            self.descend(node)

    @contextlib.contextmanager
    def guarded(self, test: tuple[Value, str, frozenset[str]] | None, *, holds: bool
                ) -> Iterator[None]:
        """Walk with `test` (its value, text and the names it reads; None: none) holding or
        not (`guards`)."""
        if test is not None:
            self.guards.append(Guard(test[0], holds, test[1], test[2]))
        try:
            yield
        finally:
            if test is not None:
                self.guards.pop()

    def test_value(self, node: cst.BaseExpression) -> Value:
        """What an `if` tests: comparisons and `not`/`and`/`or` of them as CallExprs of TEST
        (its operator first), anything else as `value` reads it (`key.startswith("a")`)."""
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return CallExpr(TEST, (Lit("not"), self.test_value(node.expression)), (), "")
        if isinstance(node, cst.BooleanOperation):
            operator = "and" if isinstance(node.operator, cst.And) else "or"
            return CallExpr(TEST, (Lit(operator), self.test_value(node.left),
                                   self.test_value(node.right)), (), "")
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            operator = COMPARISONS.get(type(node.comparisons[0].operator))
            if operator is not None:
                return CallExpr(TEST, (Lit(operator), self.value(node.left),
                                       self.value(node.comparisons[0].comparator)), (), "")
        return self.value(node)

    def walk_arm(self, node: cst.CSTNode, *, loop: bool = False, branching: bool = False
                 ) -> None:
        self.arm_count += 1
        self.arms.append(-self.arm_count if loop else self.arm_count)
        if branching:
            self.walk_arms(node)
        else:
            self.walk(node)
        self.arms.pop()

    def note_import_time_call(self, call: cst.Call) -> None:
        """A call a module-level statement makes: it runs when the module is imported."""
        if self.function_stack or self.class_stack or self.main_guards:
            return
        callee = dotted_name(call.func)
        if callee is not None:
            self.facts.import_time_calls.add(callee)
            if callee.rsplit(".", 1)[-1] in MONKEY_PATCH_NAMES:
                self.facts.patching_calls.append(
                    (callee, self.locator.find_text(self.code(call))))

    def walk_import(self, node: cst.Import | cst.ImportFrom) -> None:
        self.record_import(node, bind=True)
        modules = imported_modules(node, self.facts.module, self.facts.is_package)
        in_branch = self.branch_depth > self.try_depth
        line = self.locator.find_text(self.code(node)) if in_branch or self.app_contexts \
            else None
        for module in modules:
            if in_branch:
                self.facts.imports.setdefault(module, line)
            else:
                self.facts.imports[module] = None
        if self.app_contexts:
            self.facts.context_imports.append(ContextImport(
                self.scope, self.app_contexts[-1], modules, line))

    def walk_with(self, node: cst.With) -> None:
        """`with app.app_context():` around imports: what they import runs with `current_app`
        being that app (ContextImport)."""
        owners = [dotted_name(item.item.func.value) for item in node.items
                  if isinstance(item.item, cst.Call) and not item.item.args
                  and isinstance(item.item.func, cst.Attribute)
                  and item.item.func.attr.value == "app_context"]
        owner = next((o for o in owners if o is not None), None)
        if owner is not None:
            self.app_contexts.append(owner)
        try:
            self.descend(node)
        finally:
            if owner is not None:
                self.app_contexts.pop()

    # -- definitions ---------------------------------------------------------------------
    def walk_function(self, node: cst.FunctionDef) -> None:
        decorators = self.decorators(node)
        name = node.name.value
        line = self.locator.find_definition("def", name)
        in_class = self.class_stack[-1].name if self.class_stack and not self.function_stack \
            else None
        facts = FunctionFacts(
            qualname=".".join([*self.scope_names, name]),
            name=name,
            scope=self.scope,
            line=line,
            decorators=decorators,
            in_class=in_class,
            params=[p.name.value for p in (*node.params.posonly_params, *node.params.params)],
            required=[p.name.value for p in (*node.params.posonly_params, *node.params.params,
                                             *node.params.kwonly_params) if p.default is None],
            defaults={p.name.value: self.value(p.default) for p in (
                *node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
                if p.default is not None},
            annotations={} if self.aliases.get("annotations") == "__future__.annotations" else {
                p.name.value: dotted for p in (*node.params.posonly_params, *node.params.params)
                if p.annotation is not None
                and (dotted := dotted_name(p.annotation.annotation)) is not None},
            star_args=node.params.star_arg.name.value
            if isinstance(node.params.star_arg, cst.Param) else None,
            star_kwargs=node.params.star_kwarg.name.value
            if node.params.star_kwarg is not None else None,
            is_async=node.asynchronous is not None,
        )
        if len(self.function_stack) == 1 and not self.class_stack and any(
                _decorator_name(d).rpartition(".")[2] in ROUTE_VERBS for d in decorators):
            self.nested_route_makers.add(self.function_stack[0].name)
        if self.function_stack and any(_decorator_name(d).endswith("wraps") for d in decorators):
            self.function_stack[-1].uses_wraps = True
            self.function_stack[-1].wrapper = self.wrapper_shape(node)
        elif self.function_stack:
            facts.shape_around = self.shape_around(node, self.function_stack[-1])
        from migrator.scan.wrappers import returns_view  # it imports this module's helpers

        if returns_view(node):
            # the view itself, after at most setting attributes of it: its signature is kept
            facts.uses_wraps = True
            facts.wrapper = WrapperShape("returns_view")
        if any(self.qualify(_decorator_name(d)) in DECORATOR_PACKAGE for d in decorators):
            # the `decorator` package's `@decorator def gzip(f, *args, **kwargs)`: `gzip` is
            # a view decorator whose wrapper, of the view's own signature, runs this body
            facts.uses_wraps = True
            facts.wrapper = self.caller_shape(node)
        if any(isinstance(d.expr, Ref) and self.qualify(d.expr.dotted) == WRAPT_DECORATOR
               for d in decorators):
            facts.uses_wraps = True
            facts.wrapper = self.wrapt_shape(node)
        if in_class is not None:
            self.class_stack[-1].methods.append(name)
            self.note_class_binding(name)
            if name in DECORATOR_SETTING_METHODS:
                facts.names_decorators = bool(m.findall(node.body, NAMES_DECORATORS))
        else:
            self.bind(name, "def", None)
            facts.order = self.facts.bindings[-1].order
        self.facts.functions.append(facts)
        if self.function_stack:
            self.nested_function_nodes[facts.qualname] = node
        self.function_stack.append(facts)
        self.function_nodes.append(node)
        self.global_names.append(set())
        self.scope_names.append(name)
        outer_branch_depth, self.branch_depth = self.branch_depth, 0
        outer_try_depth, self.try_depth = self.try_depth, 0
        outer_if_depth, self.if_depth = self.if_depth, 0
        outer_arms, self.arms = self.arms, []
        self.walk(node.params)
        self.walk(node.body)
        self.branch_depth = outer_branch_depth
        self.try_depth = outer_try_depth
        self.if_depth = outer_if_depth
        self.arms = outer_arms
        self.function_stack.pop()
        self.function_nodes.pop()
        self.global_names.pop()
        self.scope_names.pop()

    def note_update_wrapper(self, returned: cst.BaseExpression | None) -> None:
        """`return update_wrapper(new_func, func)` (psiTurk's `nocache`): the function returns
        the wrapper it defines, made to look like the view as `@functools.wraps(func)` on it
        would; read as that."""
        if not isinstance(returned, cst.Call) or len(returned.args) < 2 \
                or self.qualify(dotted_name(returned.func) or "") != "functools.update_wrapper":
            return
        wrapper, wrapped = (argument.value for argument in returned.args[:2])
        if any(argument.keyword is not None or argument.star for argument in returned.args[:2]) \
                or not isinstance(wrapper, cst.Name) or not isinstance(wrapped, cst.Name):
            return
        enclosing = self.function_stack[-1]
        defined = self.nested_function_nodes.get(f"{enclosing.qualname}.{wrapper.value}")
        if defined is not None and passed_parameters(enclosing)[:1] == [wrapped.value]:
            from migrator.scan.wrappers import read_wrapper  # it imports this module's helpers

            enclosing.uses_wraps = True
            enclosing.wrapper = read_wrapper(defined, wrapped.value, self.qualify)

    def wrapper_shape(self, node: cst.FunctionDef) -> WrapperShape:
        """What convert may do with the decorator whose wrapper is `node` (scan/wrappers.py)."""
        from migrator.scan.wrappers import read_wrapper  # it imports this module's helpers

        for decorator in node.decorators:
            expr = decorator.decorator
            if (isinstance(expr, cst.Call) and (dotted_name(expr.func) or "").endswith("wraps")
                    and expr.args and isinstance(expr.args[0].value, cst.Name)):
                return read_wrapper(node, expr.args[0].value.value, self.qualify)
        return WrapperShape("unread", "its functools.wraps does not name the view")

    def shape_around(self, node: cst.FunctionDef, enclosing: FunctionFacts
                     ) -> WrapperShape | None:
        """The shape of `node`, defined in `enclosing` without functools.wraps, as the wrapper of
        the view a call of `enclosing` passes first (after the object in a method): None if it
        takes none."""
        from migrator.scan.wrappers import read_wrapper  # it imports this module's helpers

        params = passed_parameters(enclosing)
        return read_wrapper(node, params[0], self.qualify) if params else None

    def caller_shape(self, node: cst.FunctionDef) -> WrapperShape:
        """What convert may do with a view decorator the `decorator` package makes of `node`,
        its caller `def gzip(f, *args, **kwargs)`: `f` is the view (scan/wrappers.py)."""
        from migrator.scan.wrappers import read_wrapper  # it imports this module's helpers

        params = node.params
        if len(params.params) != 1 or params.posonly_params or params.kwonly_params \
                or not isinstance(params.star_arg, cst.Param) or params.star_kwarg is None:
            # `def warn_slow(f, timeout=60, *args, **kwargs)`: a decorator factory
            return WrapperShape("unread", "its caller takes other parameters than "
                                          "`(view, *args, **kwargs)`")
        return read_wrapper(node, params.params[0].name.value, self.qualify, view_parameter=True)

    def wrapt_shape(self, node: cst.FunctionDef) -> WrapperShape:
        """What convert may do with a view decorator `wrapt.decorator` makes of `node`, its
        wrapper `def closing(wrapped, instance, args, kwargs)`: `wrapped` is the view, `args` and
        `kwargs` what the view is called with (a tuple and a dict; `instance` is None for a
        function), so `wrapped(*args, **kwargs)` calls it as Flask did (scan/wrappers.py)."""
        from migrator.scan.wrappers import read_wrapper  # it imports this module's helpers

        params = node.params
        if len(params.params) != 4 or params.posonly_params or params.kwonly_params \
                or isinstance(params.star_arg, (cst.Param, cst.ParamStar)) \
                or params.star_kwarg is not None \
                or any(param.default is not None for param in params.params):
            return WrapperShape("unread", "its wrapper takes other parameters than "
                                          "`(wrapped, instance, args, kwargs)`")
        view, _instance, args, kwargs = (param.name.value for param in params.params)
        return read_wrapper(node, view, self.qualify, passed=(args, kwargs))

    def walk_class(self, node: cst.ClassDef) -> None:
        decorators = self.decorators(node)
        name = node.name.value
        line = self.locator.find_definition("class", name)
        bases = [dotted_name(arg.value) or self.code(arg.value) for arg in node.bases]
        attributes: dict[str, Value] = {}
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target = small.targets[0].target
                        if isinstance(target, cst.Name):
                            attributes[target.value] = self.value(small.value)
                    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        attributes[small.target.value] = self.value(small.value)
        from migrator.scan.wrappers import read_class_wrapper  # it imports this module's helpers

        facts = ClassFacts(name, self.scope, line, bases, [], attributes, decorators,
                           qualname=".".join([*self.scope_names, name]),
                           bare_wrapper=read_class_wrapper(node, self.qualify))
        if not self.class_stack and not self.function_stack:
            facts.middleware = read_middleware(node)
        if not self.class_stack or self.function_stack:
            self.bind(name, "class", None)
        self.facts.classes.append(facts)
        self.class_stack.append(facts)
        self.class_depths.append((len(self.arms), len(self.function_stack)))
        self.scope_names.append(name)
        self.walk(node.body)
        self.class_stack.pop()
        self.class_depths.pop()
        self.scope_names.pop()

    def note_class_binding(self, name: str) -> None:
        """`decorators`, `methods`, `get`... bound in the body of the class being walked, in an
        arm of an if/try/while/match/for there: ClassFacts.conditional."""
        if not self.class_depths or name not in VIEW_CLASS_ATTRIBUTES:
            return
        arms, functions = self.class_depths[-1]
        if functions == len(self.function_stack) and len(self.arms) > arms:
            self.class_stack[-1].conditional.add(name)

    # -- statements ----------------------------------------------------------------------
    def walk_for(self, node: cst.For) -> None:
        target = node.target
        names: tuple[str, ...] | None = None
        if isinstance(target, cst.Name):
            names = (target.value,)
        elif isinstance(target, (cst.Tuple, cst.List)) and all(
            isinstance(e.value, cst.Name) for e in target.elements
        ):
            names = tuple(e.value.value for e in target.elements)  # type: ignore[attr-defined]
        self.walk(node.iter)
        iterable = self.value(node.iter)
        self.loops.append(Loop(names or (), iterable if names else Unknown(""),
                               " ".join(self.code(node.iter).split())))
        # what the loop goes over, by the arm its body is (a binding in it is made only if it
        # goes over something: `for decorator in decorators or []:` with no decorators)
        self.facts.loop_iterables[-(self.arm_count + 1)] = iterable
        wrapping = wrapping_loop(node)
        if wrapping is not None:
            self.facts.wrapping_loops[-(self.arm_count + 1)] = wrapping
        self.walk_arm(node.body, loop=True)  # runs any number of times, none included
        self.loops.pop()
        if node.orelse is not None:
            self.walk_arm(node.orelse)

    def _record_call(self, call: cst.Call, assigned_to: str | None) -> None:
        func = dotted_name(call.func)
        if func is None:
            # `app.route("/x")(view)` and `app.errorhandler(404)(handler)`
            inner = call.func
            if isinstance(inner, cst.Call) and (dotted_name(inner.func) or "").rsplit(".", 1)[
                -1
            ] in RECORDED_CALLS:
                line = self.locator.find_text(self.code(call))
                expr = self.call_value(call, with_code=False)  # func "<call>", args[0] the inner
                self.facts.calls.append(
                    CallFacts(self.scope, expr, line, tuple(self.loops), assigned_to,
                              order=self.next_order(), arms=tuple(self.arms),
                              guards=tuple(self.guards))
                )
            return
        last = func.rsplit(".", 1)[-1]
        # `for registrator in registrators: registrator()` (OctoPrint): the linker reads the
        # call an item of the list stands for, a `functools.partial(app.register_blueprint, api,
        # url_prefix="/api")` (Linker.through_partial); it needs the call's line
        calls_loop_item = "." not in func and any(func in loop.targets for loop in self.loops)
        # `api.decorators.append(require_key)`: what wraps every resource of a Flask-RESTful or
        # Flask-RESTX Api (or Namespace) changes after it is made
        changes_decorators = func.endswith(DECORATOR_LIST_CHANGES)
        # `app.url_map.add(Rule("/", endpoint="index"))`: a rule added to Werkzeug's map directly
        adds_rule = func.endswith(".url_map.add")
        first_arg_is_name = bool(call.args) and isinstance(call.args[0].value, cst.Name)
        recorded = last in RECORDED_CALLS or changes_decorators or adds_rule or (
            last[:1].isupper() and (first_arg_is_name or assigned_to))
        passes_names = not (last in RECORDED_CALLS or last[:1].isupper() or changes_decorators
                            or adds_rule) and any(
            not arg.star and (isinstance(arg.value, cst.Name) or (
                isinstance(arg.value, cst.Attribute) and isinstance(arg.value.value, cst.Name))
                or isinstance(arg.value, (cst.List, cst.Tuple)) and names_only(arg.value)
                # `app = standalone(create_app())` in wsgi.py: the app a factory returns, passed
                # on in module-level code (in functions such calls are many, and views' own)
                or not self.scope and isinstance(arg.value, cst.Call)
                and dotted_name(arg.value.func) is not None)
            for arg in call.args
        )
        # `make_page("/a", "a")` of a function of this module that defines a routed function
        # (scan.link: parameter_route_decorators): each call adds its own rule
        passes_names = passes_names or (not recorded and func in self.nested_route_makers)
        if passes_names or (calls_loop_item and not recorded):
            # `register_error_handlers(app)`, `register_view(users.bp, ...)`,
            # `register(app=app)`, `api = configure_api(bp, routes)`: the linker follows an app
            # or blueprint passed to a project function. No line is needed, so no source search
            # is paid for; except for `QuotesView.register(app)`, which a warning may name
            # (Flask-Classful: scan.extension_routes), as it may a function of an extension that
            # adds routes (`dashboard.bind(app)`), a plugin hook's call (scan.plugin_hook) and a
            # call of a loop's item.
            registers = last == "register"
            named = registers or calls_loop_item or pluggy_hook_name(func) is not None \
                or routes_added_by(self.qualify(func) or "") is not None  # `dashboard.bind(app)`
            self.facts.calls.append(
                CallFacts(self.scope,
                          self.call_value(call, with_code=registers or calls_loop_item),
                          self.locator.find_text(self.code(call)) if named else None,
                          tuple(self.loops), None, follow_only=True, order=self.next_order(),
                          arms=tuple(self.arms), guards=tuple(self.guards))
            )
            return
        if recorded:
            line = self.locator.find_text(self.code(call))
            self.facts.calls.append(
                CallFacts(
                    self.scope,
                    self.call_value(call, with_code=True),
                    line,
                    tuple(self.loops),
                    assigned_to,
                    order=self.next_order(),
                    arms=tuple(self.arms),
                    guards=tuple(self.guards),
                )
            )

    def walk_expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self._record_call(node.value, None)
            self.note_import_time_call(node.value)
        self.walk(node.value)

    # -- views replaced after their rules were added ------------------------------------
    def note_view_functions_write(self, node: cst.BaseExpression, statement: cst.CSTNode) -> None:
        """`node` is `X.view_functions[key]` (assigned or deleted) or `X.view_functions`
        (changed by a method): the view Flask runs for an endpoint may not be the scanned one."""
        key = None
        if isinstance(node, cst.Subscript):
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = self.literal_string(node.slice[0].slice.value)
            node = node.value
        if not (isinstance(node, cst.Attribute) and node.attr.value == "view_functions"):
            return
        owner = dotted_name(node.value)
        if owner is not None:
            line = self.locator.find_text(self.code(statement))
            self.facts.view_functions_writes.append(
                ViewFunctionsWrite(owner, key, self.scope, line))

    def note_attribute_write(self, owner_node: cst.BaseExpression, attribute: str,
                             statement: cst.CSTNode) -> None:
        if attribute not in VIEW_CLASS_ATTRIBUTES:
            return
        owner = dotted_name(owner_node)
        if owner is not None and owner != "self":
            self.facts.attribute_writes.append(AttributeWrite(
                owner, attribute, self.scope, self.locator.find_text(self.code(statement))))

    def note_name_write(self, owner: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """`wrapper.__name__ = value` (or `setattr(wrapper, "__name__", value)`) in a function:
        the name a decorator gives the function it returns (FunctionFacts.name_writes)."""
        if self.function_stack and isinstance(owner, cst.Name):
            self.function_stack[-1].name_writes[owner.value] = self.value(value)

    def walk_del(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else []
        for target in [node.target, *(e.value for e in targets)]:
            if isinstance(target, cst.Subscript):
                self.note_view_functions_write(target, node)
        self.walk(node.target)

    def walk_aug_assign(self, node: cst.AugAssign) -> None:
        self.note_view_functions_write(node.target, node)  # `app.view_functions |= {...}`
        if isinstance(node.target, cst.Name):
            self.note_class_binding(node.target.value)
        self.walk(node.target)
        self.walk(node.value)

    def note_converter_write(self, target: cst.Subscript, node: cst.Assign) -> None:
        """`X.url_map.converters[key] = Converter`."""
        owner = _converters_owner(target.value)
        if owner is None:
            return
        key = None
        if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            key = self.literal_string(target.slice[0].slice.value)
        self.facts.converter_writes.append(ConverterWrite(
            owner, key, dotted_name(node.value) or "", self.scope,
            self.locator.find_text(self.code(node))))

    def note_converters_update(self, node: cst.Call) -> None:
        """`X.url_map.converters.update(uuid_str=Cls)` or `.update({"uuid_str": Cls})`: one
        write per entry; an entry (or an argument) it cannot read is a write without a key."""
        if not (isinstance(node.func, cst.Attribute) and node.func.attr.value == "update"):
            return
        owner = _converters_owner(node.func.value)
        if owner is None:
            return
        line = self.locator.find_text(self.code(node))
        entries: list[tuple[str | None, cst.BaseExpression | None]] = []
        for arg in node.args:
            if arg.keyword is not None:
                entries.append((arg.keyword.value, arg.value))
            elif not arg.star and isinstance(arg.value, cst.Dict) and all(
                    isinstance(element, cst.DictElement) for element in arg.value.elements):
                entries += [(self.literal_string(element.key), element.value)
                            for element in arg.value.elements
                            if isinstance(element, cst.DictElement)]
            else:
                entries.append((None, None))  # `update(mapping)`, `update(**modules)`
        for key, value in entries:
            converter = dotted_name(value) if value is not None else None
            self.facts.converter_writes.append(
                ConverterWrite(owner, key, converter or "", self.scope, line))

    def literal_string(self, node: cst.BaseExpression) -> str | None:
        literal = self.value(node)
        return literal.value if isinstance(literal, Lit) and isinstance(literal.value, str) \
            else None

    def walk_assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.note_class_binding(target.target.value)
            if isinstance(target.target, cst.Subscript):
                self.note_view_functions_write(target.target, node)
                self.note_converter_write(target.target, node)
            if isinstance(target.target, cst.Attribute):
                self.note_attribute_write(target.target.value, target.target.attr.value, node)
                if target.target.attr.value == "__name__":
                    self.note_name_write(target.target.value, node.value)
            if isinstance(target.target, cst.Attribute) \
                    and target.target.attr.value == "wsgi_app":
                owner = dotted_name(target.target.value)
                if owner is not None:
                    wrapper = dotted_name(node.value.func) if isinstance(node.value, cst.Call) \
                        else None
                    itself = isinstance(node.value, cst.Name) and node.value.value == "self" \
                        and bool(self.class_stack) and len(self.function_stack) == 1
                    self.facts.wsgi_app_writes.append(WsgiAppWrite(
                        owner, wrapper or "", self.scope,
                        self.locator.find_text(self.code(node)), self.if_depth > 0, itself,
                        nested_wrappers(node.value)))
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        value = node.value
        if isinstance(value, cst.Call):
            self.note_import_time_call(value)
            self.bind_unpacked(node)
        held_by = self.bind_receiver_attributes(node)
        self.note_shared_connection(names, value, node)
        if names:
            if isinstance(value, cst.Call) and held_by is None:
                if not self.function_stack and not self.scope:
                    # `app = create_app(debug=...)` at module level: where the linker names an
                    # app a module made with a factory (scan.instance_with_arguments)
                    code = self.code(value)
                    self.facts.assigned_calls.setdefault(
                        names[0], (self.locator.find_text(code), code))
                self._record_call(value, names[0])
            if isinstance(value, cst.GeneratorExp) and self.function_stack:
                self.generator_variables.update((self.scope, name) for name in names)
            # Local data in a function is never an app, a blueprint or a view: not bound. But a
            # list of names may be one of them (`for ns in namespaces: api.add_namespace(ns)`),
            # also made of others (`blueprints = blueprints + DEFAULT_BLUEPRINTS`), a list
            # of partials may register them (`for registrator in registrators:`), and a dict of
            # dicts may be a route table (odcs's `api_v1 = {"composes": {"url": ...}}`).
            if not self.function_stack or isinstance(value, (cst.Call, cst.Name, cst.Attribute)) \
                    or isinstance(value, cst.Dict) and value.elements and all(
                        isinstance(element, cst.DictElement)
                        and isinstance(element.value, cst.Dict) for element in value.elements) \
                    or (isinstance(value, (cst.List, cst.Tuple))
                        and (names_only(value) or partials_only(value))) \
                    or isinstance(value, (cst.BinaryOperation, cst.BooleanOperation)) \
                    and names_sequence(value):
                # `app = flask_app = CKANFlask(__name__)` (CKAN) makes one object that every
                # name it assigns holds: the first target is bound to it, each other one to
                # the first, as `flask_app = app` would be (`self.app = app = Flask(...)`: to
                # the attribute, which the class's other methods read)
                first = held_by if held_by is not None else cst.Name(names[0])
                if held_by is None:
                    self.bind(names[0], "assign", self.value(value))
                for name in names[1:] if held_by is None else names:
                    self.bind(name, "assign", self.value(first))
            elif len(names) == 1 and len(node.targets) == 1 \
                    and string_constant(text := self.value(value)) \
                    and self.bound_once_locally(names[0]):
                # `api_prefix = "/api/v1"` in a factory, then `register_blueprint(bp,
                # url_prefix=api_prefix)`: a text the function's only binding of the name
                # gives it, which the linker reads where the name is
                self.bind(names[0], "assign", text)
        self.walk(value)

    def bound_once_locally(self, name: str) -> bool:
        """Whether the function being walked binds `name` once (this assignment), not as a
        parameter: what it holds after that is the assigned value, on every path."""
        if self.function_stack[-1].has_parameter(name):
            return False
        node = self.function_nodes[-1]
        bound = self.function_bound.get(id(node))
        if bound is None:
            bound = self.function_bound[id(node)] = bound_names(node.body)
        return bound.get(name) == 1

    def bind_receiver_attributes(self, node: cst.Assign) -> cst.Attribute | None:
        """`self.app = Flask(...)` in a method: bound as `self.app` in the method's scope, for
        the linker, which reads `self.app` in the class's other methods as that object when it
        is the one value the class ever gives the attribute (vantage6-server's `ServerApp`).
        The first such target, which the statement's other targets are bound to; None if none."""
        method = self.function_stack[-1] if self.function_stack else None
        if method is None or method.in_class is None or not method.params or \
                not isinstance(node.value, (cst.Call, cst.Name, cst.Attribute)):
            return None
        receiver = method.params[0]
        first = None
        for target in node.targets:
            attribute = target.target
            if isinstance(attribute, cst.Attribute) and isinstance(attribute.value, cst.Name) \
                    and attribute.value.value == receiver:
                name = f"{receiver}.{attribute.attr.value}"
                if first is not None:  # `self.app = self.flask = Flask(...)`: one object
                    self.bind(name, "assign", self.value(first))
                    continue
                if isinstance(node.value, cst.Call):
                    self._record_call(node.value, name)
                self.bind(name, "assign", self.value(node.value))
                first = attribute
        return first

    def bind_unpacked(self, node: cst.Assign) -> None:
        """`app, api = create_app()`: each name is bound to its item of what the call returns,
        which the linker reads from the factory's `return app, api`."""
        call = self.value(node.value)
        if not isinstance(call, CallExpr):
            return
        for target in node.targets:
            elements = target.target.elements if isinstance(
                target.target, (cst.Tuple, cst.List)) else None
            if not elements or not all(isinstance(e, cst.Element) and isinstance(e.value, cst.Name)
                                       for e in elements):
                continue  # `a, *rest = f()`, `(a, b), c = f()`: not read
            for index, element in enumerate(elements):
                self.bind(element.value.value, "assign",  # type: ignore[attr-defined]
                          Unpacked(call, index, len(elements), self.code(node.value)))

    def walk_global(self, node: cst.Global) -> None:
        if self.global_names:
            self.global_names[-1].update(item.name.value for item in node.names)
            self.facts.globals_declared.update(item.name.value for item in node.names)

    def note_shared_connection(self, names: list[str], value: cst.BaseExpression,
                               statement: cst.CSTNode) -> None:
        """`conn = sqlite3.connect(...)` into a module-level name, without
        `check_same_thread=False` (SharedConnection)."""
        if not isinstance(value, cst.Call):
            return
        if self.qualify(dotted_name(value.func) or "") != "sqlite3.connect":
            return
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value == "check_same_thread":
                return  # whatever its value: the project decided
        shared = [name for name in names
                  if not self.function_stack or name in self.global_names[-1]]
        where = (f"in {self.scope}()" if self.function_stack
                 else f"in class {self.class_stack[-1].name}" if self.class_stack
                 else "at module level")
        for name in shared:
            self.facts.shared_connections.append(SharedConnection(
                name, where, self.locator.find_text(self.code(statement))))

    def walk_ann_assign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.note_class_binding(node.target.value)
        if isinstance(node.target, cst.Name) and node.value is not None:
            if isinstance(node.value, cst.Call):
                self._record_call(node.value, node.target.value)
            self.bind(node.target.value, "assign", self.value(node.value))
        if node.value is not None:
            self.walk(node.value)

    def walk_return(self, node: cst.Return) -> None:
        if self.function_stack:
            # what each `return` statement returns: a name (`return app`), names (`return app,
            # api`: read item by item where a tuple assignment takes it apart; `return [about,
            # browser]`: pgAdmin's `for module in get_submodules()`), a call (`return
            # Blueprint(name, __name__)`); anything else is Unknown, and a bare `return` None
            returned = node.value
            self.note_update_wrapper(returned)
            self.function_stack[-1].returns.append(
                self.value(returned) if returned is None or isinstance(
                    returned, (cst.Name, cst.Attribute, cst.Call)) or (
                    isinstance(returned, (cst.Tuple, cst.List)) and names_only(returned))
                else Unknown(self.code(returned)))
        if node.value is not None:
            self.walk(node.value)

    # -- expressions (features) ---------------------------------------------------------
    def walk_attribute(self, node: cst.Attribute) -> None:
        dotted = dotted_name(node)
        if dotted is None:
            self.walk(node.value)
        elif self.function_stack:
            self.note_feature(dotted)

    def walk_yield(self, node: cst.Yield) -> None:
        if self.function_stack:
            self.function_stack[-1].is_generator = True
        self.descend(node)

    def note_generator_response(self, func: str, node: cst.Call) -> None:
        """`Response(ticks(), ...)`, `make_response(x for x in rows)`: a response streamed from
        a generator. The view gets the `stream` feature, as with `stream_with_context`: the
        bridge of the converted route streams it as Flask does, chunk by chunk from the
        view's thread, and the scan's reason leaves a `StreamingResponse` to a person."""
        if not node.args or node.args[0].keyword is not None:
            return
        body = node.args[0].value
        functions = list(self.function_stack)
        if isinstance(body, cst.GeneratorExp) or (
                isinstance(body, cst.Name) and (self.scope, body.value) in self.generator_variables):
            self.responses_of_calls.append((functions, self.scope, func, None, False))
        elif isinstance(body, cst.Call) and (called := dotted_name(body.func)) is not None:
            self.responses_of_calls.append((functions, self.scope, func, called, False))
        elif isinstance(body, cst.Name):  # `stream = generate()` before, in the function
            self.responses_of_calls.append((functions, self.scope, func, body.value, True))

    def generator_responses(self) -> None:
        """Give the `stream` feature where a response is made of a generator expression or of a
        call of a generator function of the module (nested in the calling function, or at its
        top level), directly or through a variable of the function (`rows = generate()`), once
        the whole module is read (a class or function may come later). Where what makes the
        response or the function called for its body may be another module's
        (`EventStream(helpers.ticks())`), the functions get a `StreamedResponseCall` for the
        linker, which can tell."""
        made_by: dict[tuple[str, str], list[str]] = {}  # a function's variable -> its callees
        for binding in self.facts.bindings:
            if binding.scope and isinstance(binding.value, CallExpr) and binding.value.func:
                made_by.setdefault((binding.scope, binding.name), []).append(binding.value.func)
        for functions, scope, func, name, variable in self.responses_of_calls:
            maker = self.makes_response(func)
            if not maker and not self.may_be_imported(func):
                continue
            for body in made_by.get((scope, name), []) if variable else [name]:
                called = None if body is None or "." in body else \
                    self.facts.function(f"{scope}.{body}") or self.facts.function(body)
                if maker and (body is None or (called is not None and called.is_generator)):
                    for function in functions:
                        function.features.add(GENERATOR_RESPONSE)
                elif called is None and (body is None or self.may_be_imported(body)):
                    for function in functions:
                        function.response_calls.append(StreamedResponseCall(scope, func, body))

    def may_be_imported(self, dotted: str) -> bool:
        """Whether `dotted` may name something of another module of the project: not a
        builtin, not Flask's or Werkzeug's (the module knows those), not a class or function
        of this module."""
        head = dotted.split(".", 1)[0]
        qualified = self.qualify(dotted) or ""
        return not (
            (head in _BUILTIN_NAMES and head not in self.aliases)
            or qualified.startswith(("flask.", "werkzeug."))
            or any(cls.name == dotted for cls in self.facts.classes)
            or self.facts.function(dotted) is not None
        )

    def makes_response(self, func: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether calling `func` makes a response of its first argument: Flask's or Werkzeug's
        `Response`, `make_response`, an app's `response_class`, or a class of the module made
        from one of them (`class EventStream(Response)`)."""
        if (self.qualify(func) or "") in RESPONSE_MAKERS or func.endswith(".response_class"):
            return True
        return func not in seen and any(
            self.makes_response(base, seen | {func})
            for cls in self.facts.classes if cls.name == func for base in cls.bases)

    def walk_name(self, node: cst.Name) -> None:
        if self.function_stack and node.value in self.aliases:
            self.note_feature(node.value)

    def walk_binary_operation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Modulo) and is_string_literal(node.left) \
                and reads_locals(node.right):
            self.locals_by_fixed_keys.add(id(node.right))
        self.descend(node)

    def walk_call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "format" \
                and is_string_literal(node.func.value):
            self.locals_by_fixed_keys.update(id(arg.value) for arg in node.args
                                             if arg.star == "**" and reads_locals(arg.value))
        if isinstance(node.func, cst.Name) and node.func.value == "setattr" \
                and len(node.args) >= 2 and isinstance(node.args[1].value, cst.SimpleString):
            attribute = node.args[1].value.evaluated_value
            if isinstance(attribute, str):
                self.note_attribute_write(node.args[0].value, attribute, node)
                if attribute == "__name__" and len(node.args) == 3:
                    self.note_name_write(node.args[0].value, node.args[2].value)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in (
                "update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"):
            self.note_view_functions_write(node.func.value, node)
            self.note_converters_update(node)
        if self.function_stack:
            func = dotted_name(node.func)
            if func is None and isinstance(node.func, cst.Attribute) and isinstance(
                node.func.value, cst.Call
            ):
                # `ItemSchema().load(data)`: recorded as "ItemSchema().load"
                inner = dotted_name(node.func.value.func)
                if inner is not None:
                    func = f"{inner}().{node.func.attr.value}"
            if func is not None:
                for function in self.function_stack:
                    function.calls.add(func)
                self.note_generator_response(func, node)
            if reads_locals(node) and id(node) not in self.locals_by_fixed_keys:
                self.function_stack[-1].reads_locals = True
        self.walk(node.func)
        for arg in node.args:
            self.walk(arg.value)


def reads_locals(node: cst.BaseExpression) -> bool:
    """`locals()` or `vars()`: the local names of the function it is called in."""
    return isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Name) \
        and node.func.value in ("locals", "vars")


def is_string_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString))


def _converters_owner(node: cst.BaseExpression) -> str | None:
    """`app` for `app.url_map.converters`, else None."""
    if isinstance(node, cst.Attribute) and node.attr.value == "converters" and isinstance(
            node.value, cst.Attribute) and node.value.attr.value == "url_map":
        return dotted_name(node.value.value)
    return None


def _decorator_name(decorator: DecoratorFacts) -> str:
    expr = decorator.expr
    if isinstance(expr, CallExpr):
        return expr.func
    return expr.dotted if isinstance(expr, Ref) else ""


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.Equal)):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [side for side in sides if isinstance(side, cst.Name) and side.value == "__name__"]
    strings = [side for side in sides if isinstance(side, cst.SimpleString)
               and side.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1


# The comparisons an `if` in a loop may make of the loop's item (FactsExtractor.test_value).
COMPARISONS: dict[type, str] = {cst.Equal: "==", cst.NotEqual: "!=", cst.In: "in",
                                cst.NotIn: "not in"}


class _NamesRead(cst.CSTVisitor):
    """The names an expression reads (`key` of `key.startswith("a")`, not `startswith`)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.found.add(node.value)


def names_read(node: cst.CSTNode) -> frozenset[str]:
    """The names an expression reads (not the attributes it takes of them)."""
    reads = _NamesRead()
    node.visit(reads)
    return frozenset(reads.found)


def skipped_turn_test(statement: cst.BaseStatement) -> cst.BaseExpression | None:
    """The test of an `if` (without `elif` or `else`) whose body ends with `continue`, which
    ends a loop's turn where the test holds (`if name in HIDDEN: continue`); None for any
    other statement."""
    if not isinstance(statement, cst.If) or statement.orelse is not None:
        return None
    body = statement.body
    last = body.body[-1] if isinstance(body, cst.IndentedBlock) else body
    if not isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return None
    return statement.test if isinstance(last.body[-1], cst.Continue) else None


_HANDLERS = {
    cst.IndentedBlock: FactsExtractor.walk_block,
    cst.SimpleStatementLine: FactsExtractor.walk_statement_line,
    cst.SimpleStatementSuite: FactsExtractor.walk_statement_line,
    cst.If: FactsExtractor.walk_branch,
    cst.Try: FactsExtractor.walk_branch,
    cst.TryStar: FactsExtractor.walk_branch,
    cst.While: FactsExtractor.walk_branch,
    cst.Match: FactsExtractor.walk_branch,
    cst.Import: FactsExtractor.walk_import,
    cst.With: FactsExtractor.walk_with,
    cst.ImportFrom: FactsExtractor.walk_import,
    cst.FunctionDef: FactsExtractor.walk_function,
    cst.ClassDef: FactsExtractor.walk_class,
    cst.For: FactsExtractor.walk_for,
    cst.Expr: FactsExtractor.walk_expr,
    cst.Assign: FactsExtractor.walk_assign,
    cst.AugAssign: FactsExtractor.walk_aug_assign,
    cst.Del: FactsExtractor.walk_del,
    cst.AnnAssign: FactsExtractor.walk_ann_assign,
    cst.Global: FactsExtractor.walk_global,
    cst.Return: FactsExtractor.walk_return,
    cst.Attribute: FactsExtractor.walk_attribute,
    cst.Name: FactsExtractor.walk_name,
    cst.Call: FactsExtractor.walk_call,
    cst.BinaryOperation: FactsExtractor.walk_binary_operation,
    cst.Yield: FactsExtractor.walk_yield,
}


def imported_modules(node: cst.Import | cst.ImportFrom, module: str,
                     is_package: bool) -> tuple[str, ...]:
    """The modules an import statement may import: `import a.b` a.b; `from a import b, c` a,
    and a.b and a.c should they be modules (relative names made absolute)."""
    if isinstance(node, cst.Import):
        return tuple(name for alias in node.names
                     if (name := dotted_name(alias.name)) is not None)
    target = dotted_name(node.module) if node.module is not None else None
    base = resolve_relative(module, is_package, len(node.relative), target)
    if not base:
        return ()
    names = [] if isinstance(node.names, cst.ImportStar) else [
        dotted_name(alias.name) for alias in node.names]
    return (base, *(f"{base}.{name}" for name in names if name))


def import_local_name(alias: cst.ImportAlias, *, from_import: bool) -> str:
    """The name an import binds: the `as` name, else the imported name (`from m import x`) or
    the first part of the module (`import a.b` binds `a`)."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    dotted = dotted_name(alias.name) or ""
    return dotted if from_import else dotted.split(".")[0]


def import_aliases(module_tree: cst.Module, module: str, is_package: bool) -> dict[str, str]:
    """Local name -> absolute qualified target, for the imports at the top level of a module."""
    facts = ModuleFacts(module, "", is_package, 0)
    collector = FactsExtractor(module_tree, "", facts)
    for statement in module_tree.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    collector.record_import(small, bind=False)
    return collector.aliases


def plain_module_imports(statement: cst.CSTNode) -> list[str]:
    """The modules a top-level statement imports under their own first name (`import os`,
    `import urllib.parse`, which binds `urllib`; not `import a.b as c`)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    return [dotted for small in statement.body if isinstance(small, cst.Import)
            for alias in small.names
            if alias.asname is None and (dotted := dotted_name(alias.name))]


def submodule_imports(module_tree: cst.Module) -> dict[str, frozenset[str]]:
    """Local name -> the dotted modules imported under it, for the `import a.b` statements at
    the top level of a module (`import urllib.parse` binds `urllib` with `parse` loaded)."""
    found: dict[str, set[str]] = {}
    for statement in module_tree.body:
        for dotted in plain_module_imports(statement):
            if "." in dotted:
                found.setdefault(dotted.split(".")[0], set()).add(dotted)
    return {name: frozenset(modules) for name, modules in found.items()}


def extract_facts(
    module_tree: cst.Module, source: str, module: str, file: str, is_package: bool
) -> ModuleFacts:
    facts = ModuleFacts(module, file, is_package, source.count("\n") + 1)
    extractor = FactsExtractor(module_tree, source, facts)
    # Imports first, so that features in functions defined above a late import still resolve.
    extractor.aliases = import_aliases(module_tree, module, is_package)
    extractor.walk(module_tree)
    extractor.generator_responses()
    return facts
