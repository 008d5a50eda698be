"""FM002 / FM005 / FM006: `request.args`, `request.headers` and `request.cookies` `.get/getlist`
-> documented `Query` / `Header` / `Cookie` parameters of the endpoint (FM002 shown below; the
other two work the same way).

Flask's semantics are kept exactly, because a client must not see a new error:
- `request.args.get("k")` -> `k: Annotated[str | None, Query()] = None`, used as `k`;
- `request.args.get("k", "x")` -> `k: Annotated[str, Query()] = "x"`;
- a non-string default `d` -> `k: Annotated[str | None, Query()] = None`, used as
  `(k if k is not None else d)`;
- `type=T`: Flask falls back to the default when `T(value)` raises ValueError (no 400, no 422),
  so the parameter stays a string and the value is `arg_value(k, default, T)`;
- `request.args.getlist("k"[, type=T])` -> `k: Annotated[list[str] | None, Query()] = None`,
  used as `arg_list(k)` or `arg_list(k, T)` (Flask's `[]` when absent).
The new parameters are keyword-only, after the path parameters. For a key the request repeats,
Flask reads the first query or cookie value and the header's values joined with ","; FastAPI
would give these `str` parameters the last, the last and the first, and it parses cookies
differently: the bridge (`flask_compat._give_flask_values`) gives them Flask's value.
Keys that are not string literals, and every other use of `request.args`, are left as they are
(the endpoint runs inside the legacy request context, where they still work).
"""

from __future__ import annotations

import builtins
import json

import libcst as cst
import libcst.matchers as m

from codemods.base import (
    NewParameter,
    ViewCodemod,
    free_names,
    named_parameters,
    python_identifier,
    string_literal,
)

BUILTIN_NAMES = frozenset(dir(builtins))
FLASK_PARAMS = ".flask_params"  # the generated package's runtime helpers, imported relatively


class _Bindings(cst.CSTVisitor):
    """Every name a function body binds, and whether all its bindings are
    `name = request.<source>.get/getlist("name", ...)`."""

    def __init__(self, context, source: str) -> None:
        super().__init__()
        self.context = context
        self.source = source
        self.names: dict[str, bool] = {}

    def bind(self, target: cst.BaseExpression | None, own: bool = False) -> None:
        if isinstance(target, cst.Name):
            self.names[target.value] = self.names.get(target.value, True) and own
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind(element.value)
        elif isinstance(target, cst.StarredElement):
            self.bind(target.value)

    def is_own_lookup(self, name: str, value: cst.BaseExpression) -> bool:
        if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)):
            return False
        if value.func.attr.value not in ("get", "getlist") or not value.args:
            return False
        if self.context.qualified(value.func.value) != f"flask.request.{self.source}":
            return False
        key = value.args[0].value
        return isinstance(key, cst.SimpleString) and string_literal(key) == name

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            own = isinstance(target.target, cst.Name) and len(node.targets) == 1 and \
                self.is_own_lookup(target.target.value, node.value)
            self.bind(target.target, own)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.bind(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.bind(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.bind(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.bind(node.name.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        target = node.asname.name if node.asname is not None else node.name
        while isinstance(target, cst.Attribute):
            target = target.value
        self.bind(target if isinstance(target, cst.Name) else None)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bind(node.name)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.bind(node.name)
        return False


class RequestValues(ViewCodemod):
    """`request.<SOURCE>.get/getlist(...)` -> a `<PARAMETER>` parameter (see the module doc)."""

    SOURCE = "args"
    PARAMETER = "Query"
    LOWER_NAMES = False  # header names are case-insensitive: `X-API-Key` -> `x_api_key`

    def __init__(self, context) -> None:
        super().__init__(context)
        self.by_key: dict[tuple[str, str], str] = {}  # (kind, key) -> parameter name
        self.taken: set[str] = set()
        self.redundant: set[str] = set()  # parameters whose `name = name` lines are dropped
        self.made: list[cst.IfExp] = []  # the `(k if k is not None else d)` this rule wrote

    def on_view(self, node: cst.FunctionDef) -> None:
        # a decorator reading the view's arguments would see the new parameters (FM025): the
        # view keeps reading the request, as it does inside the legacy request context
        self.keeps_request_reads = bool(self.context.arguments_read_by_decorators(node))
        self.taken = {p.name.value for p in named_parameters(node.params)}
        self.taken |= self.context.parameter_names()
        # nor a name the view reads from its module (`request.method` next to
        # `request.args.get("request")`): the parameter would shadow it
        self.taken |= set(free_names(node))
        # ...or a builtin it calls (`next(...)` next to `request.args.get("next")`)
        self.taken |= {name.value for name in m.findall(node, m.Name())
                       if name.value in BUILTIN_NAMES}
        # A parameter may take a name the view binds only when every binding of that name is the
        # very lookup it replaces (`q = request.args.get("q")`): anything else (`for tag in
        # request.args.getlist("tag")`, an earlier `tag = ...`) would see the wrong value or
        # rebind the parameter.
        bindings = _Bindings(self.context, self.SOURCE)
        node.body.visit(bindings)
        self.taken |= {name for name, own in bindings.names.items() if not own}

    def parameter(self, kind: str, key: str, annotation: str, default: str | None) -> str:
        """A keyword-only `name: Annotated[annotation, Query(...)] = default`, once per key."""
        existing = self.by_key.get((kind, key))
        if existing is not None:
            return existing
        name = python_identifier(key.lower() if self.LOWER_NAMES else key)
        while name in self.taken:
            name = f"{name}_{self.PARAMETER.lower()}"
        self.taken.add(name)
        self.by_key[(kind, key)] = name
        # Werkzeug reads `X_Custom` and `X-Custom` as one header (one environ key): the request
        # carries the hyphenated name (servers drop underscored ones).
        wire = key.replace("_", "-") if self.PARAMETER == "Header" else key
        options = [] if name == wire else [f"alias={json.dumps(wire)}"]
        if self.PARAMETER == "Header" and name != wire:
            options.append("convert_underscores=False")  # the alias is the exact header name
        declared = f"{self.PARAMETER}({', '.join(options)})"
        self.context.parameters.append(
            NewParameter(name, f"Annotated[{annotation}, {declared}]", default,
                         documents=(self.PARAMETER.lower(), wire))
        )
        self.context.imports.update({("fastapi", self.PARAMETER), ("typing", "Annotated")})
        return name

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        # `role = request.args.get("role")` became `role = role`: the parameter already is the
        # variable, so the line goes (leave_IndentedBlock keeps its comments).
        if (len(updated_node.targets) == 1 and isinstance(updated_node.value, cst.Name)
                and isinstance(updated_node.targets[0].target, cst.Name)
                and updated_node.targets[0].target.value == updated_node.value.value
                and not original_node.value.deep_equals(updated_node.value)):
            self.redundant.add(updated_node.value.value)
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not self.redundant:
            return updated_node
        body: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []
        statements = list(updated_node.body)
        for index, statement in enumerate(statements):
            redundant = (
                isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign) and self._is_redundant(
                    statement.body[0]) and index < len(statements) - 1
            )
            if redundant:
                assert isinstance(statement, cst.SimpleStatementLine)
                carried += list(statement.leading_lines)
                comment = statement.trailing_whitespace.comment
                if comment is not None:
                    carried.append(cst.EmptyLine(comment=comment))
                continue
            if carried:
                statement = statement.with_changes(
                    leading_lines=[*carried, *statement.leading_lines])
                carried = []
            body.append(statement)
        return updated_node.with_changes(body=body)

    def _is_redundant(self, assign: cst.Assign) -> bool:
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        return (isinstance(target, cst.Name) and isinstance(assign.value, cst.Name)
                and target.value == assign.value.value and target.value in self.redundant)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if self.keeps_request_reads:
            return updated_node
        if (len(updated_node.args) == 1 and not updated_node.args[0].star
                and updated_node.args[0].keyword is None
                and any(updated_node.args[0].value is made for made in self.made)):
            # `int((k if k is not None else 0))`: the only argument needs no parentheses (UP034)
            only = updated_node.args[0]
            return updated_node.with_changes(
                args=[only.with_changes(value=only.value.with_changes(lpar=[], rpar=[]))])
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("get", "getlist"):
            return updated_node
        if self.context.qualified(func.value) != f"flask.request.{self.SOURCE}":
            return updated_node
        method = func.attr.value
        positional = [a for a in updated_node.args if a.keyword is None]
        keywords = {a.keyword.value: a for a in updated_node.args if a.keyword is not None}
        if any(a.star for a in updated_node.args) or not positional:
            return updated_node
        key_node = positional[0].value
        key = string_literal(key_node) if isinstance(key_node, cst.SimpleString) else None
        if key is None:
            return updated_node
        if set(keywords) - {"default", "type"} or len(positional) > (2 if method == "get" else 1):
            return updated_node
        type_arg = keywords["type"].value if "type" in keywords else None
        default_arg = positional[1].value if len(positional) > 1 else (
            keywords["default"].value if "default" in keywords else None)
        self.changed()
        if method == "getlist":
            # `None` when absent (a `[]` default would be shared between calls, and a
            # `default_factory` costs a signature inspection per request): `arg_list` turns it
            # into Flask's `[]`.
            name = self.parameter("list", key, "list[str] | None", "None")
            self.context.imports.add((FLASK_PARAMS, "arg_list"))
            args = [cst.Arg(cst.Name(name))] + ([cst.Arg(type_arg)] if type_arg is not None else [])
            return cst.Call(cst.Name("arg_list"), args)
        if type_arg is not None:
            name = self.parameter("value", key, "str | None", "None")
            self.context.imports.add((FLASK_PARAMS, "arg_value"))
            return cst.Call(
                cst.Name("arg_value"),
                [cst.Arg(cst.Name(name)), cst.Arg(default_arg or cst.Name("None")),
                 cst.Arg(type_arg)],
            )
        if default_arg is None:
            return cst.Name(self.parameter("value", key, "str | None", "None"))
        if isinstance(default_arg, cst.SimpleString) and string_literal(default_arg) is not None:
            code = cst.Module([]).code_for_node(default_arg)
            return cst.Name(self.parameter(f"default:{code}", key, "str", code))
        name = self.parameter("value", key, "str | None", "None")
        made = cst.IfExp(
            test=cst.Comparison(cst.Name(name), [cst.ComparisonTarget(
                cst.IsNot(), cst.Name("None"))]),
            body=cst.Name(name),
            orelse=default_arg,
            lpar=[cst.LeftParen()],
            rpar=[cst.RightParen()],
        )
        self.made.append(made)
        return made


class QueryArgs(RequestValues):
    RULE_ID = "FM002"
    SUMMARY = "request.args.get/getlist -> query parameters with Flask's defaults and type= rules"


class HeaderValues(RequestValues):
    RULE_ID = "FM005"
    SUMMARY = "request.headers.get -> Header parameters (exact header name, Flask's defaults)"
    SOURCE = "headers"
    PARAMETER = "Header"
    LOWER_NAMES = True


class CookieValues(RequestValues):
    RULE_ID = "FM006"
    SUMMARY = "request.cookies.get -> Cookie parameters with Flask's defaults"
    SOURCE = "cookies"
    PARAMETER = "Cookie"
