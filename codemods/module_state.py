"""FM037: module state that the view's module rebinds while the app runs is read and written on
that module.

OctoPrint caches its login forms in a module-level name that a view fills on first use:

    _mfa_login_forms = None

    def login():
        global _mfa_login_forms
        if _mfa_login_forms is None:
            ...
            _mfa_login_forms = forms

A router's `from octoprint.server.views import _mfa_login_forms` would be a copy of the binding
made once, at import: what any function of the module binds to the name later (`global`) never
reaches it, and the converted view's own `global` would bind the router's name instead of the
module's. So each read and write of such a name in the view becomes one of the module's
attribute, which is where Flask's view reads and writes it (its globals are the module's dict):

    import octoprint.server.views as views_module

    def login():
        if views_module._mfa_login_forms is None:
            ...
            views_module._mfa_login_forms = forms

and its `global` statement goes. A name only declared `global`, or an object changed in place
(`_templates[k] = v`), is one shared object, which an import shares: left alone (the converter
decides which names its module rebinds: `run_time_globals`).

An attribute cannot stand everywhere a name can: a view that binds such a name by `import`,
`def`, `class`, `except ... as`, a walrus or a `match` capture, or uses the name for something
else too (a local of a function inside it), stays on Flask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    BuiltinAssignment,
    GlobalScope,
    MetadataWrapper,
    ParentNodeProvider,
    ScopeProvider,
)

from codemods.base import (
    MODULE_ATTRIBUTES,
    ViewCodemod,
    ViewContext,
    free_names,
    is_pattern_keyword,
    python_identifier,
    written_names,
)
from migrator.scan.names import name_nodes


class ModuleState(ViewCodemod):
    RULE_ID = "FM037"
    SUMMARY = ("module state the view's module rebinds while the app runs (`global _cache`, "
               "then `_cache = ...`) is read and written on the legacy module: "
               "`views_module._cache`")

    def transform(self, function: cst.FunctionDef) -> cst.FunctionDef:
        enclosing = self.context.enclosing.names if self.context.enclosing else frozenset()
        names = module_state_read(function, self.context.module_state, enclosing)
        if not names:
            return function
        rewritten = on_the_module(function, names, self.context)
        if isinstance(rewritten, str):
            self.refuse(f"{rewritten}, which functions of {self.context.route.view_module} rebind "
                        "while the app runs (`global`); a router's import of it would be a copy "
                        "those writes never reach")
            return function
        self.changed()
        return rewritten


def global_names(node: cst.CSTNode) -> frozenset[str]:
    """The names the `global` statements in `node` name."""
    return frozenset(item.name.value for statement in m.findall(node, m.Global())
                     for item in statement.names)  # type: ignore[attr-defined]


def module_state_read(function: cst.FunctionDef, module_state: frozenset[str],
                      enclosing: frozenset[str]) -> set[str]:
    """The names of `module_state` (run_time_globals of the view's module) that the view reads
    from its module or declares `global`; a name the functions it is defined in bind is theirs."""
    return ((set(free_names(function)) | global_names(function)) & module_state) - enclosing


def on_the_module(function: cst.FunctionDef, names: set[str], context: ViewContext
                  ) -> cst.FunctionDef | str:
    """`function` with `names` read and written as attributes of the view's legacy module, which
    the router then imports (`context.module_imports`); or why that cannot be done."""
    module = context.route.view_module
    local = _module_local(module, function, context)
    rewritten = module_attributes(function, names, local)
    if not isinstance(rewritten, str):
        context.module_imports.add((module, local))
    return rewritten


def _module_local(module: str, function: cst.FunctionDef, context: ViewContext) -> str:
    """The router's name for the legacy module: the name an earlier rule imports it under, else
    the module's own for a top-level one (`import counter`), else its last part and `_module`
    (`import octoprint.server.views as views_module`: `from octoprint.server import views` would
    take whatever the package binds to `views`, and ruff asks for that form where the alias is
    the last part), unless the view or a rule's new parameters or imports use that name
    already."""
    imported = sorted(local for name, local in context.module_imports if name == module)
    if imported:
        return imported[0]
    taken = written_names(function) | context.parameter_names() \
        | {name for _, name in context.imports} | {local for _, local in context.module_imports}
    base = python_identifier(f"{module.rsplit('.', 1)[-1]}_module")
    if "." not in module and module not in taken:
        return module
    local, number = base, 2
    while local in taken:
        local, number = f"{base}_{number}", number + 1
    return local


def module_attributes(function: cst.FunctionDef, names: set[str], local: str
                      ) -> cst.FunctionDef | str:
    """`function` with each read and write of the module-level `names` written as an attribute
    of `local` (the legacy module) and those names dropped from its `global` statements; or why
    that cannot be done (a binding no attribute can stand for, the name used for something else)."""
    wrapper = MetadataWrapper(cst.Module(body=[function]), unsafe_skip_copy=True)
    parents = wrapper.resolve(ParentNodeProvider)
    scopes = {scope for scope in wrapper.resolve(ScopeProvider).values() if scope is not None}
    module_scope = next(scope for scope in scopes if isinstance(scope, GlobalScope))
    declared = {item.name for statement in m.findall(function, m.Global())
                for item in statement.names}  # type: ignore[attr-defined]
    module_names: set[cst.Name] = set()
    for name in sorted(names):
        for assignment in module_scope.assignments[name]:
            if assignment.node is function:
                return f"the view is named {name}, the module-level name it would write"
            if not isinstance(assignment.node, cst.Name) \
                    or not _attribute_may_stand(assignment.node, parents):
                return (f"the view binds {name} where no attribute can stand "
                        f"({_what(assignment.node, parents)})")
            module_names.add(assignment.node)
        for scope in scopes:
            for access in scope.accesses[name]:
                # (`__name__` of the module resolves to the builtins' in LibCST: MODULE_ATTRIBUTES)
                if isinstance(access.node, cst.Name) and all(
                        referent.scope is module_scope or (
                            name in MODULE_ATTRIBUTES and isinstance(referent, BuiltinAssignment))
                        for referent in access.referents):
                    module_names.add(access.node)
        for node in name_nodes(function, name):
            if node not in module_names and node not in declared \
                    and not is_pattern_keyword(node, parents):
                return f"the view also uses {name} for a name of its own"
    return function.visit(_ModuleAttributes(module_names, names, local))  # type: ignore[return-value]


def _attribute_may_stand(name: cst.Name, parents: Mapping[cst.CSTNode, cst.CSTNode]) -> bool:
    """Whether an assignment target `name` may be written `module.name`: the target of `=`,
    `+=`, a `for`, a `with ... as`, or an item of a tuple or list unpacked there."""
    child: cst.CSTNode = name
    parent = parents.get(child)
    while isinstance(parent, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
        child, parent = parent, parents.get(parent)
    if isinstance(parent, cst.AsName):
        return isinstance(parents.get(parent), cst.WithItem)
    return (isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.For, cst.Del))
            and getattr(parent, "target", None) is child)


def _what(node: cst.CSTNode, parents: Mapping[cst.CSTNode, cst.CSTNode]) -> str:
    """What binds a name, for a reason: `import`, `def`, `except ... as`."""
    parent = parents.get(node)
    if isinstance(node, (cst.Import, cst.ImportFrom)):
        return "an import"
    if isinstance(node, cst.FunctionDef):
        return "a def"
    if isinstance(node, cst.ClassDef):
        return "a class"
    if isinstance(parent, cst.NamedExpr):
        return "a walrus"
    if isinstance(parent, cst.AsName) and isinstance(parents.get(parent), cst.ExceptHandler):
        return "except ... as"
    return type(parent).__name__


class _ModuleAttributes(cst.CSTTransformer):
    """Writes the given Name nodes as `local.name` and drops `names` from `global` statements;
    a `global` line left naming nothing goes, its comments kept on the line after it."""

    def __init__(self, nodes: set[cst.Name], names: set[str], local: str) -> None:
        super().__init__()
        self.nodes, self.names, self.local = nodes, names, local

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name
                   ) -> cst.BaseExpression:
        if original_node in self.nodes:
            return cst.Attribute(value=cst.Name(self.local), attr=updated_node)
        return updated_node

    def _without_names(self, statements: Sequence[cst.BaseSmallStatement]
                       ) -> list[cst.BaseSmallStatement]:
        """The small statements of a line without `names` in its `global`s (one naming nothing
        goes; the line's last statement then ends without a semicolon)."""
        kept: list[cst.BaseSmallStatement] = []
        for statement in statements:
            if isinstance(statement, cst.Global):
                items = [item for item in statement.names if item.name.value not in self.names]
                if not items:
                    continue
                items[-1] = items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                statement = statement.with_changes(names=items)
            kept.append(statement)
        if kept and len(kept) < len(statements) and kept[-1] is not statements[-1]:
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return kept

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []  # the comments of a line that went
        for statement in updated_node.body:
            if isinstance(statement, cst.SimpleStatementLine) \
                    and any(isinstance(small, cst.Global) for small in statement.body):
                small = self._without_names(statement.body)
                if not small:
                    carried += [line for line in statement.leading_lines if line.comment]
                    comment = statement.trailing_whitespace.comment
                    if comment is not None:
                        carried.append(cst.EmptyLine(comment=comment))
                    continue
                statement = statement.with_changes(body=small)
            if carried:
                statement = statement.with_changes(
                    leading_lines=[*carried, *statement.leading_lines])
                carried = []
            body.append(statement)
        if not body:
            return updated_node.with_changes(
                body=[cst.SimpleStatementLine([cst.Pass()], leading_lines=carried)])
        return updated_node.with_changes(body=body, footer=[*carried, *updated_node.footer])

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite,
                                   updated_node: cst.SimpleStatementSuite
                                   ) -> cst.SimpleStatementSuite:
        """`if x: global _cache; _cache = 1`, a block on one line."""
        small = self._without_names(updated_node.body)
        return updated_node.with_changes(body=small or [cst.Pass()])
