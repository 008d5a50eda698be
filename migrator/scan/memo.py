"""A view made once per key and kept in a dict, so a class on several rules gets one view (zou's
`configure_api_from_blueprint`, whose rules may share a resource):

    view_funcs = {}
    for path, resource in route_tuples:
        view_func = view_funcs.get(resource)
        if view_func is None:
            view_func = resource.as_view(resource.__name__)
            view_funcs[resource] = view_func
        blueprint.add_url_rule(path, view_func=view_func)

After the `if`, `view_func` is what its body makes for that key: now, or on an earlier turn for
the same key. So the body is read as if it ran on every path (the extractor walks it without an
arm of its own), when that is so: the cache is a dict of this function that nothing else reads
or changes, the body stores the name under the key last, and it reads nothing that differs
between two turns with the same key (only the key, names it binds itself, and names the
function never rebinds: its parameters, globals).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from migrator.scan.names import NameReader, name_uses


def fills_cache(function: cst.FunctionDef, before: cst.CSTNode, branch: cst.If) -> bool:
    """Whether `branch`, an `if` of `function` right after the statement `before`, fills a
    cache as above. Cheap unless `before` reads a cache (`X = D.get(K)`)."""
    read = _cache_read(before)
    if read is None or branch.orelse is not None or not _tests_missing(branch.test, read[0]):
        return False
    name, cache, key = read
    body = branch.body.body if isinstance(branch.body, cst.IndentedBlock) else ()
    if not body or not _stores(body[-1], cache, key, name):
        return False
    # the cache: made empty once in this function, used by the read and the store only
    bound = bound_names(function.body)
    if bound.get(cache) != 1 or not _made_empty(function.body, cache) \
            or name_uses(function.body, cache) != 3:
        return False
    # what the body reads is the same on every turn with this key (a function or class made
    # in it could read anything of the turn: not read)
    if _has_nested_scope(branch.body):
        return False
    own = bound_names(branch.body)
    return all(used in (key, name) or used in own or used not in bound
               for used in _read_names(body[:-1]))


def _cache_read(node: cst.CSTNode) -> tuple[str, str, str] | None:
    """`X = D.get(K)` or `X = D.get(K, None)`: (X, D, K)."""
    if not isinstance(node, cst.SimpleStatementLine) or len(node.body) != 1:
        return None
    assign = node.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 \
            or not isinstance(assign.targets[0].target, cst.Name):
        return None
    call = assign.value
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            and isinstance(call.func.value, cst.Name) and call.func.attr.value == "get"
            and 1 <= len(call.args) <= 2 and all(not a.keyword and not a.star for a in call.args)
            and isinstance(call.args[0].value, cst.Name)
            and (len(call.args) == 1 or (isinstance(call.args[1].value, cst.Name)
                                         and call.args[1].value.value == "None"))):
        return None
    return assign.targets[0].target.value, call.func.value.value, call.args[0].value.value


def _tests_missing(test: cst.BaseExpression, name: str) -> bool:
    """`X is None` or `not X`."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return isinstance(test.expression, cst.Name) and test.expression.value == name
    return (isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name)
            and test.left.value == name and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.Is)
            and isinstance(test.comparisons[0].comparator, cst.Name)
            and test.comparisons[0].comparator.value == "None")


def _stores(node: cst.CSTNode, cache: str, key: str, name: str) -> bool:
    """`D[K] = X`."""
    if not isinstance(node, cst.SimpleStatementLine) or len(node.body) != 1:
        return False
    assign = node.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return False
    target = assign.targets[0].target
    return (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name)
            and target.value.value == cache and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
            and isinstance(target.slice[0].slice.value, cst.Name)
            and target.slice[0].slice.value.value == key
            and isinstance(assign.value, cst.Name) and assign.value.value == name)


def _made_empty(body: cst.BaseSuite, cache: str) -> bool:
    """`D = {}` or `D = dict()` at the top of the function's body."""
    statements = body.body if isinstance(body, cst.IndentedBlock) else ()
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            assign = statement.body[0]
            if isinstance(assign, cst.Assign) and len(assign.targets) == 1 \
                    and isinstance(assign.targets[0].target, cst.Name) \
                    and assign.targets[0].target.value == cache:
                value = assign.value
                return (isinstance(value, cst.Dict) and not value.elements) or (
                    isinstance(value, cst.Call) and isinstance(value.func, cst.Name)
                    and value.func.value == "dict" and not value.args)
    return False


class _Names(NameReader):
    """The names bound (assigned, loop targets, imports, defs) and read under a node."""

    def __init__(self) -> None:
        self.bound: dict[str, int] = {}
        self.read: list[str] = []

    def _bind(self, target: cst.CSTNode) -> None:
        for node in target_names(target):
            self.bound[node] = self.bound.get(node, 0) + 1

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._bind(item.name)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self._bind(item.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._bind(node.name)
        return False  # its own scope (what it reads from here: a closure, conservatively read)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._bind(node.name)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.read.append(node.value)


def target_names(target: cst.CSTNode) -> list[str]:
    """The names an assignment target binds (`x`, `k, (v, w)`, `*rest`)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return []  # `d[k] = v`, `o.a = v` bind no name


def bound_names(node: cst.CSTNode) -> dict[str, int]:
    """How many times each name is bound under `node` (not in nested functions or classes)."""
    names = _Names()
    node.visit(names)
    return names.bound


def _read_names(statements: Sequence[cst.CSTNode]) -> set[str]:
    names = _Names()
    for statement in statements:
        statement.visit(names)
    return set(names.read)


def _has_nested_scope(node: cst.CSTNode) -> bool:
    class Nested(cst.CSTVisitor):
        found = False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            self.found = True
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            self.found = True
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            self.found = True
            return False

    nested = Nested()
    node.visit(nested)
    return nested.found
