"""FM003: `return jsonify(x)` -> `return x` (also inside `(body, status[, headers])` tuples).

The generated endpoint renders dicts and lists with the legacy app's JSON provider, so the bytes
on the wire stay Flask's (sorted keys, compact, trailing newline, HTTP dates). Only `return`
values are rewritten: a `jsonify(...)` whose Response object is used further (`resp =
jsonify(x); resp.status_code = 201`) is left as it is.

`jsonify(x)` with one value becomes `x` only where `x` is a dict or a list whatever happens at
run time: a literal, a comprehension, `dict(...)`/`list(...)`/`sorted(...)`, or a local name
bound to nothing else. Any other value keeps its `jsonify`: returned bare, a string would be an
HTML body, a tuple a `(body, status)` pair and None Flask's 500, where `jsonify` answers JSON.
Nothing is unwrapped in a view that a decorator working on its answer stays around (FM022:
`resp = view(); resp.headers[...] = ...` needs the Response `jsonify` makes).
"""

from __future__ import annotations

import json

import libcst as cst

from codemods.base import ViewCodemod
from migrator.scan.extract import dotted_name

# builtins whose call always makes a dict or a list
_CONTAINER_CALLS = frozenset({"dict", "list", "sorted"})


class _Bindings(cst.CSTVisitor):
    """Every name the view binds, with the value of each binding where it is a plain assignment
    (None for any other binding: a parameter, a loop, an import...). Nested functions and
    comprehensions are read too: a name they bind counts as another binding, which can only
    make the answer more careful."""

    def __init__(self) -> None:
        self.values: dict[str, list[cst.BaseExpression | None]] = {}

    def bind(self, target: cst.CSTNode, value: cst.BaseExpression | None = None) -> None:
        if isinstance(target, cst.Name):
            self.values.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind(element.value)
        elif isinstance(target, cst.StarredElement):
            self.bind(target.value)
        # `a.b = ...` and `a[0] = ...` bind no name

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bind(node.target, node.value)

    # an augmented assignment keeps a list a list (`+=` takes any iterable) and a dict a dict

    def visit_For(self, node: cst.For) -> None:
        self.bind(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:  # with/except/import ... as NAME
        self.bind(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            self.bind(cst.Name((dotted_name(node.name) or "").partition(".")[0] or "_"))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bind(node.name)
        for param in (*node.params.posonly_params, *node.params.params,
                      *node.params.kwonly_params):
            self.bind(param.name)
        for star in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(star, cst.Param):
                self.bind(star.name)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        for param in (*node.params.posonly_params, *node.params.params,
                      *node.params.kwonly_params):
            self.bind(param.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bind(node.name)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.bind(item.name)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self.bind(item.name)

    def visit_Del(self, node: cst.Del) -> None:
        self.bind(node.target)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.bind(node.name)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.bind(node.name)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self.bind(node.rest)


class JsonifyReturn(ViewCodemod):
    RULE_ID = "FM003"
    SUMMARY = "return jsonify(x) -> return x, where x is a dict or a list (Flask's JSON encoding)"

    def on_view(self, node: cst.FunctionDef) -> None:
        # a decorator that works on the view's answer gets what `jsonify` made, not a dict
        self.answer_seen, _errors = self.context.seen_by_decorators(node)
        bindings = _Bindings()
        node.visit(bindings)
        self.bound = set(bindings.values)
        self.container_names = {
            name for name, values in bindings.values.items()
            if all(value is not None and self.makes_container(value) for value in values)
        }

    def makes_container(self, value: cst.BaseExpression) -> bool:
        """Whether `value` always evaluates to a dict or a list (names: see `on_view`)."""
        if isinstance(value, (cst.Dict, cst.List, cst.DictComp, cst.ListComp)):
            return True
        if isinstance(value, cst.IfExp):
            return self.makes_container(value.body) and self.makes_container(value.orelse)
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
            name = value.func.value
            return (name in _CONTAINER_CALLS and name not in self.bound
                    and name not in self.context.aliases)
        return False

    def is_container(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Name):
            return value.value in self.container_names
        return self.makes_container(value)

    def payload(self, call: cst.BaseExpression) -> cst.BaseExpression | None:
        if not isinstance(call, cst.Call) or not self.context.is_flask(call.func, "jsonify"):
            return None
        positional = [a for a in call.args if a.keyword is None and not a.star]
        keywords = [a for a in call.args if a.keyword is not None]
        if any(a.star for a in call.args) or (positional and keywords):
            return None
        if len(positional) == 1:
            # anything else keeps jsonify: a str, tuple, None or Response would answer otherwise
            return positional[0].value if self.is_container(positional[0].value) else None
        if len(positional) > 1:
            return cst.List([cst.Element(a.value) for a in positional])
        if keywords:
            return cst.Dict(
                [
                    cst.DictElement(cst.SimpleString(json.dumps(a.keyword.value)), a.value)
                    for a in keywords
                    if a.keyword is not None
                ]
            )
        return None  # jsonify() with no arguments renders `null`: left as it is

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        value = updated_node.value
        if value is None or self.answer_seen:
            return updated_node
        payload = self.payload(value)
        if payload is not None:
            self.changed()
            return updated_node.with_changes(value=payload)
        if isinstance(value, cst.Tuple) and value.elements:
            first = self.payload(value.elements[0].value)
            if first is not None:
                self.changed()
                elements = [value.elements[0].with_changes(value=first), *value.elements[1:]]
                return updated_node.with_changes(value=value.with_changes(elements=elements))
        return updated_node
