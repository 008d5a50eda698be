"""Convert one scanned route's view into the source of a FastAPI endpoint.

The view is found by what the scan recorded (file, qualname); the view rules of `codemods/` run
on it in registry order; then the Flask route decorators are dropped and the names the body needs
are worked out, so the router can import them from the legacy package (shared code stays shared).
Whatever cannot be shown safe keeps the route on Flask, with the reason (do no harm).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
import libcst.matchers as m
from libcst.metadata import GlobalScope, MetadataWrapper, ScopeProvider

from codemods.base import (
    BOUND_METHOD,
    BUILTIN_NAMES,
    CLASS_VIEW,
    RESTX_PAYLOAD,
    EnclosingScope,
    GuardUse,
    NewParameter,
    ViewCodemod,
    ViewContext,
    builtin_reads,
    commented_decorator,
    free_names,
    free_reads,
    module_attribute_names,
    named_parameters,
    python_identifier,
    reads_name,
    star_parameters,
)
from codemods.body_models import SCHEMAS_MODULE
from codemods.module_attributes import ModuleAttributes
from codemods.module_state import ModuleState, global_names, module_state_read
from codemods.query_args import FLASK_PARAMS
from codemods.restful_output import RestfulOutput
from codemods.rule_values import RuleValues
from migrator.convert.schemas import LegacySource, renamed_in_options
from migrator.discover import decode_source
from migrator.model import App, Blueprint, DecoratorInfo, Route, Wrapper
from migrator.scan.classify import (
    NAME_MARKING_DECORATORS,
    RESOURCE_APIS,
    RESTX_API,
    VIEW_KEPT_DECORATORS,
)
from migrator.scan.extract import (
    dotted_name,
    import_aliases,
    import_local_name,
    plain_module_imports,
    resolve_relative,
    submodule_imports,
    through_imports,
)
from migrator.scan.link import METHOD_VIEW_BASES, VIEW_BASES
from migrator.scan.names import is_docstring, name_uses

# The class views' bases of Flask's and Flask-RESTful's (a chain of classes ending at one of them
# has no constructor the module does not show), and the runtime helper giving the instance Flask
# dispatches to otherwise.
VIEW_CLASS_BASES = METHOD_VIEW_BASES | VIEW_BASES
VIEW_INSTANCE = "view_instance"


@dataclass
class ConvertedView:
    route: Route
    function: cst.FunctionDef  # rewritten: Flask route decorators dropped, new parameters added
    parameters: list[NewParameter]
    imports: set[tuple[str, str | None, str]]  # (module, name or None for `import module`, local)
    todos: list[tuple[str, str]]
    applied: set[str]
    newline: str = "\n"  # the legacy module's line ending, kept in the router
    route_options: dict[str, str] = field(default_factory=dict)  # route decorator kwargs (source)
    guards: list[GuardUse] = field(default_factory=list)  # guard decorators lifted (FM020)
    # their `Depends(...)` for the route decorator, as source; render_dependencies fills it
    dependencies: list[str] = field(default_factory=list)
    models: list = field(default_factory=list)  # schemas.ModelSpec the route's body is typed by
    # the module loggers among `imports` ((module, name) -> the logger's name, None for the root
    # logger), which the router makes itself: `log = logging.getLogger("pkg.views")`
    loggers: dict[tuple[str, str], str | None] = field(default_factory=dict)
    # the names among `imports` that their module binds only on some paths
    # (maybe_unbound_names), or that only a star import of it may bind (star_imports): the
    # router imports them inside `try: ... except ImportError:`
    optional: set[tuple[str, str]] = field(default_factory=set)
    # the names among `imports` that only annotations Python does not evaluate read (`auth_user:
    # "User"`, a local `thing: Thing = ...`, which the legacy module may import under `if
    # TYPE_CHECKING:`): the router imports them there too
    type_only: set[tuple[str, str | None]] = field(default_factory=set)


@dataclass
class LeftOnFlask:
    route: Route
    reasons: list[str] = field(default_factory=list)  # each "CODE: why"


class SourceCache:
    """Each source file is parsed, and its imports and top-level names read, once per run
    (a module with many views, or a MethodView's methods, would otherwise redo it each time)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._modules: dict[str, cst.Module] = {}
        self._aliases: dict[str, dict[str, str]] = {}
        self._submodules: dict[str, dict[str, frozenset[str]]] = {}
        self._defined: dict[str, set[str]] = {}
        self._loggers: dict[str, dict[str, str | None]] = {}
        self._maybe_unbound: dict[str, set[str]] = {}
        self._run_time_globals: dict[str, frozenset[str]] = {}
        self._type_checking: dict[str, dict[str, str]] = {}
        self._star_imports: dict[str, bool] = {}
        self._enclosing: dict[tuple[str, str], EnclosingScope | str] = {}
        self._legacy: dict[tuple[str, ...], LegacySource] = {}
        self.error_format = "legacy"  # --errors: "fastapi" lets exact body models validate
        # the app (None) and the blueprint registrations with a url_value_preprocessor (scan)
        self.value_preprocessors: frozenset[str | None] = frozenset()
        # (module, name) of the module-level legacy app the generated package serves (FM035)
        self.served_app: tuple[str, str] | None = None
        self._served_app_names: dict[str, frozenset[str]] = {}

    def module(self, relative: str) -> cst.Module:
        if relative not in self._modules:
            data = (self.root / relative).read_bytes()
            self._modules[relative] = cst.parse_module(decode_source(data))
        return self._modules[relative]

    def aliases(self, route: Route) -> dict[str, str]:
        """Local name -> qualified import target, at the top of the route's module. A name the
        module binds again, or binds conditionally, is left out: which import wins is only known
        at run time (`try: from werkzeug.wrappers import Response`), so no rule may read it as
        the imported object, and the router imports it from the legacy module itself."""
        if route.view_file not in self._aliases:
            module = self.module(route.view_file)
            rebound = rebound_names(module)
            self._aliases[route.view_file] = {
                name: target for name, target in import_aliases(
                    module, route.view_module, route.view_in_package_init).items()
                if name not in rebound}
        return self._aliases[route.view_file]

    def submodules(self, route: Route) -> dict[str, frozenset[str]]:
        """Local name -> the submodules the route's module imports under it (`import
        urllib.parse`), at its top level."""
        if route.view_file not in self._submodules:
            self._submodules[route.view_file] = submodule_imports(self.module(route.view_file))
        return self._submodules[route.view_file]

    def legacy(self, route: Route) -> LegacySource:
        """The legacy package's modules, for rules that read the helpers a view calls."""
        source = LegacySource(self.root, route.view_module, route.view_file)
        return self._legacy.setdefault(tuple(source.prefix), source)

    def defined(self, route: Route) -> set[str]:
        """Names bound at the top level of the view's module (imported from it by routers)."""
        if route.view_file not in self._defined:
            module = self.module(route.view_file)
            self._defined[route.view_file] = module_level_names(module) | rebound_names(module)
        return self._defined[route.view_file]

    def type_checking_aliases(self, route: Route) -> dict[str, str]:
        """Local name -> qualified import target, for the imports under the view module's
        top-level `if TYPE_CHECKING:` (type_checking_imports)."""
        if route.view_file not in self._type_checking:
            self._type_checking[route.view_file] = type_checking_imports(
                self.module(route.view_file), route.view_module, route.view_in_package_init)
        return self._type_checking[route.view_file]

    def star_imports(self, route: Route) -> bool:
        """Whether the view's module has a top-level `from x import *` (star_imports)."""
        if route.view_file not in self._star_imports:
            self._star_imports[route.view_file] = star_imports(self.module(route.view_file))
        return self._star_imports[route.view_file]

    def enclosing(self, route: Route) -> EnclosingScope | str:
        """The functions a nested view is defined in (enclosing_scope)."""
        key = (route.view_file, route.function)
        if key not in self._enclosing:
            self._enclosing[key] = enclosing_scope(
                self.module(route.view_file), route.function, route.view_module,
                route.view_in_package_init)
        return self._enclosing[key]

    def served_app_names(self, route: Route) -> frozenset[str]:
        """The names the view's module binds to the served legacy app: an import of it, or, in
        the app's own module, its name, bound once at the top level (FM035)."""
        if self.served_app is None:
            return frozenset()
        if route.view_file not in self._served_app_names:
            module_name, name = self.served_app
            names = {local for local, target in self.aliases(route).items()
                     if target == f"{module_name}.{name}"}
            if route.view_module == module_name:
                module = self.module(route.view_file)
                if name in module_level_names(module) - rebound_names(module):
                    names.add(name)
            self._served_app_names[route.view_file] = frozenset(names)
        return self._served_app_names[route.view_file]

    def maybe_unbound(self, route: Route) -> set[str]:
        """The view module's names bound only on some paths (maybe_unbound_names)."""
        if route.view_file not in self._maybe_unbound:
            self._maybe_unbound[route.view_file] = maybe_unbound_names(
                self.module(route.view_file))
        return self._maybe_unbound[route.view_file]

    def run_time_globals(self, route: Route) -> frozenset[str]:
        """The names of the view's module that its functions rebind while the app runs
        (run_time_globals)."""
        if route.view_file not in self._run_time_globals:
            self._run_time_globals[route.view_file] = run_time_globals(
                self.module(route.view_file))
        return self._run_time_globals[route.view_file]

    def loggers(self, route: Route) -> dict[str, str | None]:
        """The view module's loggers: top-level names bound once to `logging.getLogger(...)`."""
        if route.view_file not in self._loggers:
            module = self.module(route.view_file)
            self._loggers[route.view_file] = module_loggers(
                module, route.view_module, self.aliases(route), rebound_names(module))
        return self._loggers[route.view_file]



def blueprint_chain(blueprint: str | None) -> list[str]:
    """`api.reviews` -> `["api", "api.reviews"]`: the registrations whose hooks apply."""
    if not blueprint:
        return []
    parts = blueprint.split(".")
    return [".".join(parts[:index]) for index in range(1, len(parts) + 1)]


def value_preprocessors(app: App, blueprints: list[Blueprint]) -> frozenset[str | None]:
    """The app (None) and the blueprint registrations (dotted names) that have a
    `url_value_preprocessor`, from the scan."""
    found: set[str | None] = set()
    if any(hook.kind == "url_value_preprocessor" for hook in app.hooks):
        found.add(None)
    for blueprint in blueprints:
        if any(hook.kind == "url_value_preprocessor" for hook in blueprint.hooks):
            found.update(registration.name for registration in blueprint.registrations)
    return frozenset(found)


def definitions(module: cst.Module, qualname: str
                ) -> list[cst.FunctionDef | cst.ClassDef] | None:
    """The `def`s and classes `qualname` (`construct_blueprint.index`) names, outermost first,
    each the last of its name in the body it is in (the one Python binds); None when one of
    them is not there."""
    chain: list[cst.FunctionDef | cst.ClassDef] = []
    body: Sequence[cst.CSTNode] = module.body
    for part in qualname.split("."):
        found = _bound_definition(body, part)
        if found is None:
            return None
        chain.append(found)
        body = found.body.body if isinstance(found.body, cst.IndentedBlock) else ()
    return chain


def _bound_definition(body: Sequence[cst.CSTNode], name: str
                      ) -> cst.FunctionDef | cst.ClassDef | None:
    """The `def` or class `name` that `body` binds: the last one written directly in it, or
    else the only one inside its `if`/`try`/`with`/`for`/`while` statements, which make no
    scope of their own (calibre-web defines a view in a `try:`). None when there is none, or
    when branches define it more than once: which one runs is decided at run time."""
    direct: cst.FunctionDef | cst.ClassDef | None = None
    nested: list[cst.FunctionDef | cst.ClassDef] = []
    for statement in body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            if statement.name.value == name:
                direct, nested = statement, []  # binds it again, whatever came before
        elif isinstance(statement, cst.BaseCompoundStatement):
            nested += _definitions_in_branches(statement, name)
    if nested:  # (a direct one before them is bound only where no branch ran)
        return nested[0] if len(nested) == 1 and direct is None else None
    return direct


#: Why `_bound_definition` may find nothing where the scan found the view.
_NOT_BOUND_FOR_CERTAIN = ("(or one in each branch of an if/try: which one Flask serves is "
                          "decided at run time)")


def _definitions_in_branches(statement: cst.BaseCompoundStatement, name: str
                             ) -> list[cst.FunctionDef | cst.ClassDef]:
    """The `def`s and classes named `name` in the blocks of an `if`/`try`/`with`/`for`/`while`
    (and in those nested in them), not in the functions and classes it holds."""
    found: list[cst.FunctionDef | cst.ClassDef] = []

    class Definitions(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            if node.name.value == name:
                found.append(node)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            if node.name.value == name:
                found.append(node)
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    statement.visit(Definitions())
    return found


def find_function(module: cst.Module, qualname: str) -> cst.FunctionDef | None:
    chain = definitions(module, qualname)
    return chain[-1] if chain and isinstance(chain[-1], cst.FunctionDef) else None


def enclosing_scope(module: cst.Module, qualname: str, module_name: str = "",
                    is_package: bool = False) -> EnclosingScope | str:
    """The functions the function `qualname` (`construct_blueprint.index`, `WebUI.__init__.
    index`) is defined in, with the names they bind (FM026); or why it is not a function
    defined inside a function (a method of a class, say). Python's scoping decides: a class
    body's names are not seen by the functions in it, and `global x` binds the module's. A name
    bound once, by an import written directly in an enclosing function's body (`from .auth import
    login_required`), is that import, which a router can write too; `module_name` and
    `is_package` place its relative imports."""
    *outer, name = qualname.split(".")
    chain = definitions(module, ".".join(outer))
    if chain is None or not all(isinstance(node.body, cst.IndentedBlock) for node in chain):
        return f"{qualname} is not found as a `def` inside `def`s and classes"
    if not isinstance(chain[-1], cst.FunctionDef):
        return f"{name} is a method of class {chain[-1].name.value}"
    scopes = MetadataWrapper(cst.Module(body=[chain[0]]), unsafe_skip_copy=True
                             ).resolve(ScopeProvider)
    bindings: dict[str, set[int]] = {}  # name -> the statements or targets that bind it
    imports: list[cst.SimpleStatementLine] = []
    for node in chain:
        scope = scopes.get(node.params) if isinstance(node, cst.FunctionDef) else None
        if scope is None:
            continue
        for assignment in scope.assignments:
            if assignment.scope is scope:  # (`import os.path` binds `os`; LibCST: `os.path`)
                bindings.setdefault(assignment.name.partition(".")[0], set()).add(
                    id(assignment.node))
        assert isinstance(node.body, cst.IndentedBlock)
        imports += [line for line in node.body.body if isinstance(line, cst.SimpleStatementLine)
                    and all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in line.body)]
    imported = {local: target for local, target in import_aliases(
        cst.Module(body=imports), module_name, is_package).items()
        if len(bindings.get(local, ())) == 1}
    return EnclosingScope(".".join(outer), frozenset(set(bindings) - set(imported)),
                          tuple(sorted(imported.items())))


def module_level_names(module: cst.Module) -> set[str]:
    """Names bound at the top level of a module (defs, classes, assignments, imports)."""
    names: set[str] = set()
    for statement in module.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            names.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            names.add(target.target.value)
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    names.add(small.target.value)
    return names


def module_loggers(module: cst.Module, module_name: str, aliases: dict[str, str],
                   rebound: set[str]) -> dict[str, str | None]:
    """Names the module binds once, at the top level, to `logging.getLogger(__name__)`,
    `logging.getLogger("a.name")` or `logging.getLogger()`: name -> the logger's name (None for
    the root logger). `logging.getLogger` returns one object per name, so a router that makes
    the logger itself holds the very object the legacy module logs to; and ruff reads a logger
    made in the router as one, where an imported `log` is not (BLE001 on `except Exception:
    log.exception(...)`, which passes in the legacy module)."""
    found: dict[str, str | None] = {}
    # a module that binds `__name__` itself: its value is not the module's name
    name_is_module = "__name__" not in rebound | module_level_names(module)
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and isinstance(small.value, cst.Call)):
                continue
            target = small.targets[0].target.value
            function = dotted_name(small.value.func) or ""
            head, dot, rest = function.partition(".")
            if target in rebound or f"{aliases.get(head, '')}{dot}{rest}" != "logging.getLogger":
                continue
            arguments = small.value.args
            if not arguments:
                found[target] = None
            elif len(arguments) == 1 and not arguments[0].star and (
                    arguments[0].keyword is None or arguments[0].keyword.value == "name"):
                value = arguments[0].value
                if isinstance(value, cst.Name) and value.value == "__name__" and name_is_module:
                    found[target] = module_name
                elif isinstance(value, cst.SimpleString) and \
                        isinstance(value.evaluated_value, str):
                    found[target] = value.evaluated_value
    return found


def _module_level_lines(statement: cst.CSTNode
                        ) -> Iterator[cst.SimpleStatementLine | cst.FunctionDef | cst.ClassDef]:
    """The simple lines and the `def`/`class` statements a module-level statement runs at module
    level, nested blocks (`try`, `if`, ...) included; the bodies of functions and classes are
    their own scopes and are not entered."""
    if isinstance(statement, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
        yield statement
        return
    for child in statement.children:
        if isinstance(child, (cst.BaseSuite, cst.BaseStatement, cst.ExceptHandler, cst.Else,
                              cst.Finally)):
            yield from _module_level_lines(child)


def _bound_names(statement: cst.CSTNode) -> list[str]:
    """Names a module-level statement binds, nested blocks (`try`, `if`, ...) included
    (_module_level_lines)."""
    names: list[str] = []
    for line in _module_level_lines(statement):
        if isinstance(line, (cst.FunctionDef, cst.ClassDef)):
            names.append(line.name.value)
            continue
        for small in line.body:
            if isinstance(small, cst.Import):
                names += [import_local_name(a, from_import=False) for a in small.names]
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                names += [import_local_name(a, from_import=True) for a in small.names]
            elif isinstance(small, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
                targets = ([t.target for t in small.targets] if isinstance(small, cst.Assign)
                           else [small.target])
                while targets:
                    target = targets.pop()
                    if isinstance(target, (cst.Tuple, cst.List)):
                        targets += [element.value for element in target.elements]
                    elif isinstance(target, cst.Name):
                        names.append(target.value)
    return names


def _surely_bound(statements: Sequence[cst.CSTNode]) -> set[str] | None:
    """Names that running `statements` (a block at module level) binds whichever way it goes;
    None when it never ends normally (it raises, as an `except ImportError:` that gives up)."""
    bound: set[str] = set()
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            if any(isinstance(small, cst.Raise) for small in statement.body):
                return None
            bound.update(_bound_names(statement))
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            bound.add(statement.name.value)
        elif isinstance(statement, cst.If):
            branches = [_surely_bound(statement.body.body)]
            orelse = statement.orelse
            branches.append(_surely_bound([orelse]) if isinstance(orelse, cst.If) else
                            _surely_bound(orelse.body.body) if orelse is not None else set())
            bound.update(_meet(branches))
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            body = _surely_bound(statement.body.body)
            if body is not None and statement.orelse is not None:
                rest = _surely_bound(statement.orelse.body.body)
                body = None if rest is None else body | rest
            bound.update(_meet([body, *(_surely_bound(handler.body.body)
                                        for handler in statement.handlers)]))
            if statement.finalbody is not None:
                bound.update(_surely_bound(statement.finalbody.body.body) or set())
        elif isinstance(statement, cst.With):
            bound.update(_surely_bound(statement.body.body) or set())
        # a loop may run no time: what it binds is not sure
    return bound


def _meet(branches: Sequence[set[str] | None]) -> set[str]:
    """What every branch that ends normally binds (none does: nothing after it runs)."""
    ending = [branch for branch in branches if branch is not None]
    return set.intersection(*ending) if ending else set()


def run_time_globals(module: cst.Module) -> frozenset[str]:
    """The module-level names that the module's functions bind (`global _mfa_login_forms`, then
    `_mfa_login_forms = forms`: OctoPrint's caches) while the app runs. A name only declared
    `global`, or whose object is changed in place (`_templates[locale] = ...`), keeps its one
    object, which an import of it shares."""
    if not global_names(module):
        return frozenset()  # (the scope analysis costs a module's parse again)
    scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    module_scope = next(scope for scope in scopes.values() if isinstance(scope, GlobalScope))
    return frozenset(assignment.name for assignment in module_scope.assignments
                     if scopes.get(assignment.node) is not module_scope)


def maybe_unbound_names(module: cst.Module) -> set[str]:
    """Names the module binds at its top level only on some paths: `try: from googleapiclient
    .errors import HttpError` with an `except ImportError:` that does not bind it. A router must
    not import such a name unguarded: importing the package would fail where the legacy module
    just leaves it unbound (and only a view that reaches it fails, with a NameError)."""
    anywhere = {name for statement in module.body for name in _bound_names(statement)}
    return anywhere - (_surely_bound(module.body) or set())


def type_checking_imports(module: cst.Module, module_name: str, in_package_init: bool
                          ) -> dict[str, str]:
    """Local name -> qualified target of the imports under a top-level `if TYPE_CHECKING:`
    (or `typing.TYPE_CHECKING`) without an `else`: names the module binds for type checkers
    only. Under `from __future__ import annotations` its annotations may read them, never
    evaluated; a router's are evaluated where its `def` runs."""
    found: dict[str, str] = {}
    for statement in module.body:
        if isinstance(statement, cst.If) and statement.orelse is None \
                and dotted_name(statement.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING") \
                and isinstance(statement.body, cst.IndentedBlock):
            found.update(import_aliases(cst.Module(body=list(statement.body.body)),
                                        module_name, in_package_init))
    return found


def star_imports(module: cst.Module) -> bool:
    """Whether the module's top level (nested blocks included, not functions or classes) has a
    `from x import *`, which binds names the source does not show."""
    return any(isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar)
               for statement in module.body for line in _module_level_lines(statement)
               if isinstance(line, cst.SimpleStatementLine) for small in line.body)


def rebound_names(module: cst.Module) -> set[str]:
    """Names whose module-level binding is only known at run time: bound more than once at the
    top level, or bound inside a top-level `try`/`if`/`with`/loop. `import os` and `import
    os.path` bind `os` twice, to the same module: that is one binding."""
    seen: set[str] = set()
    only_modules: set[str] = set()  # seen, and bound by `import a` / `import a.b` alone
    rebound: set[str] = set()
    for statement in module.body:
        names = set(_bound_names(statement))
        if not isinstance(statement, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
            rebound.update(names)
        modules = {dotted.split(".")[0] for dotted in plain_module_imports(statement)}
        rebound.update(name for name in names
                       if name in seen and not (name in modules and name in only_modules))
        for name in names:
            if name not in modules:
                only_modules.discard(name)
            elif name not in seen:
                only_modules.add(name)
        seen.update(names)
    return rebound


def convert_view(route: Route, sources: SourceCache, rules: tuple[type[ViewCodemod], ...]
                 ) -> list[ConvertedView | LeftOnFlask] | LeftOnFlask:
    """The endpoint(s) for one route: one for a view function, one per HTTP method for a
    MethodView; or the reasons it stays on Flask. A MethodView or resource some of whose
    methods cannot be converted gives the others' endpoints and, last, those methods (the
    route with only them) with the reasons they stay on Flask."""
    left = LeftOnFlask(route)
    if route.kind not in ("function", "method_view") and not (
            route.kind == "resource" and route.resource_api in RESOURCE_APIS):
        left.reasons.append(f"convert.kind_{route.kind}: {route.kind} routes are not converted")
        return left
    if route.status == "manual":
        left.reasons.extend(route.reasons)
        return left
    for decorator in route.decorator_details:
        if decorator.origin == "external" and decorator.shape == "guard":
            continue  # FM021: a third-party guard known by name (codemods/guards.py)
        if decorator.qualified in NAME_MARKING_DECORATORS:
            continue  # FM024: @csrf.exempt, dropped from the endpoint (codemods/guards.py)
        if decorator.qualified in VIEW_KEPT_DECORATORS:
            continue  # FM029: @limiter.limit, kept on the endpoint (codemods/guards.py)
        if decorator.origin != "project" or not (decorator.preserves_signature
                                                 or decorator.hides_signature):
            left.reasons.append(
                f"convert.decorator: @{decorator.name} ({decorator.origin}) cannot be shown to "
                "keep its effect and the view's signature; the route stays on Flask")
    enclosing = None
    if "." in route.function:
        enclosing = sources.enclosing(route) if route.kind == "function" else \
            f"{route.function} is defined inside a function or class"
        if isinstance(enclosing, str):
            left.reasons.append(f"convert.nested_view: {enclosing}; a router cannot import it")
    if left.reasons:
        return left
    module = sources.module(route.view_file)
    if route.kind in ("method_view", "resource"):
        return convert_method_view(route, module, sources, rules)
    function = find_function(module, route.function)
    if function is None:
        left.reasons.append(f"convert.view_not_found: no function {route.function} in "
                            f"{route.view_file} {_NOT_BOUND_FOR_CERTAIN}")
        return left
    wrappers = registration_wrappers(route, sources)
    if isinstance(wrappers, str):
        left.reasons.append(wrappers)
        return left
    wrapping, aliases = wrappers
    applied = route.decorators[len(route.wrapped_at_registration):]
    kept = [d for d in function.decorators if _decorator_name(d) in applied]
    # A comment on a dropped Flask route decorator moves above the `def`, rather than vanish.
    comments = [
        cst.EmptyLine(comment=d.trailing_whitespace.comment)
        for d in function.decorators
        if d not in kept and d.trailing_whitespace.comment is not None
    ]
    unwritten = _unwritten_decorators(route, [[*wrapping, *kept]])
    if unwritten:
        left.reasons.append(unwritten)
        return left
    function = function.with_changes(decorators=[*wrapping, *kept],
                                      lines_after_decorators=[*function.lines_after_decorators,
                                                              *comments])
    converted = convert_function(route, function, sources, rules, left, aliases,
                                 enclosing=enclosing)
    return [converted] if converted is not None else left


def convert_method_view(route: Route, module: cst.Module, sources: SourceCache,
                        rules: tuple[type[ViewCodemod], ...]
                        ) -> list[ConvertedView | LeftOnFlask] | LeftOnFlask:
    """`ItemAPI.as_view("item_api")`: one endpoint per HTTP method, each the method's body; for
    a class with its own `dispatch_request` (a plain `View`), one endpoint, its body. A
    Flask-RESTful resource (`api.add_resource(Todo, "/todos/<todo_id>")`) likewise, its
    `method_decorators` inside the class's `decorators`, its answers made by the Api (FM027).

    Flask makes a new instance per request (`init_every_request`), so a method that uses `self`
    gets `self = ItemAPI()`; when the constructor may take arguments (`as_view("items", model)`,
    `resource_class_kwargs`), is not in the module, or the class keeps one instance
    (`init_every_request = False`), it gets the instance Flask would use: `self =
    view_instance("item_api")`. The class's `decorators` apply to every endpoint, the first of
    the list innermost, as in `View.as_view`.
    """
    left = LeftOnFlask(route)
    cls = _bound_definition(module.body, route.function)
    if not isinstance(cls, cst.ClassDef) or not isinstance(cls.body, cst.IndentedBlock):
        left.reasons.append(f"convert.view_not_found: no class {route.function} in "
                            f"{route.view_file} {_NOT_BOUND_FOR_CERTAIN}")
        return left
    # Methods and `decorators` are looked up as Python does, through the classes of the same
    # module in the class's method resolution order: `class Items(ProtectedAPI)` gets
    # ProtectedAPI's `decorators`, `class Index(TreeMixin, BaseView)` BaseView's
    # `dispatch_request`. What lies beyond is checked below: every decorator the scan found
    # must be written on some endpoint.
    chain = _class_chain(module, cls, route)
    if isinstance(chain, str):
        left.reasons.append(f"convert.view_not_found: no class {chain} in {route.view_file} "
                            f"{_NOT_BOUND_FOR_CERTAIN}, where the scan found a base class of "
                            f"{route.function}")
        return left
    methods: dict[str, cst.FunctionDef] = {}
    for klass in reversed(chain):
        methods.update((s.name.value, s) for s in _class_body(klass)
                       if isinstance(s, cst.FunctionDef))
    resource = route.kind == "resource"
    if resource and any(_class_attribute(klass, "representations") is not None
                        for klass in chain):
        left.reasons.append(f"convert.resource_representations: {cls.name.value} chooses its "
                            "own representations, which Flask-RESTful applies inside the "
                            "resource's dispatch; the route stays on Flask")
        return left
    instance, from_legacy = _instance_binding(route, cls, chain, methods, sources)
    details = {detail.name: detail for detail in route.decorator_details}
    # ... and Flask-RESTX's then validates the payload against the models the method's
    # documentation expects (`@ns.expect(model, validate=True)`), before calling it
    validation = [commented_decorator(
        f"{RESTX_PAYLOAD}({json.dumps(route.endpoint)})",
        "# Flask-RESTX's dispatch: the payload is validated before the method")] \
        if resource and route.resource_api == RESTX_API else []
    wrappers = registration_wrappers(route, sources)
    if isinstance(wrappers, str):
        left.reasons.append(wrappers)
        return left
    wrapping, aliases = wrappers
    listed = _listed_decorators(route, chain, "decorators", sources, aliases)
    if isinstance(listed, str):
        left.reasons.append(listed)
        return left
    decorators, aliases = listed
    # Resource.dispatch_request applies them to the bound method, inside `decorators`
    method_listed = _listed_decorators(route, chain, "method_decorators", sources, aliases) \
        if resource else ([], aliases)
    if isinstance(method_listed, str):
        left.reasons.append(method_listed)
        return left
    method_decorators, aliases = method_listed
    # `View.as_view` registers a function taking keyword arguments only, which the class's
    # `decorators` (and the Api's, and those applied where it is registered) wrap: one of them
    # handing it a positional argument (`view(current_user, *args, **kwargs)`) fails in Flask
    # (TypeError, a 500). Between them and the method (and a resource's `method_decorators`,
    # which wrap the bound method), `@class_view` takes keywords only too.
    keywords_only = [commented_decorator(
        CLASS_VIEW, "# what View.as_view registers: the rule's values by keyword only")] \
        if _needs_rule_values([*wrapping, *decorators], details) else []
    converted: list[ConvertedView] = []
    written: list[list[cst.Decorator]] = []  # each endpoint's decorators, before the rules
    # The HTTP methods whose endpoint cannot be converted: with one endpoint per method, the
    # others convert and these stay on Flask, which the generated app hands a request its
    # converted routes lack the method of (Lyrebird's `/api/flow/<action>`: `post(action)`
    # converts, `get()` and `delete()`, which Flask calls with `action` and fails, stay)
    methods_left: list[str] = []
    ran_with_method: list[list[str]] = []  # those an endpoint's dispatched method runs itself
    dispatch = methods.get("dispatch_request")
    # A class's own `dispatch_request` (a plain `View`, or a MethodView overriding it) answers
    # every method of the rule: one endpoint for all of them. Otherwise one per HTTP method.
    plan = [(route.methods, "dispatch_request")] if dispatch is not None else [
        ([method], method.lower()) for method in route.methods]
    for served, method_name in plan:
        function = methods.get(method_name)
        dispatched = function is None and route.kind == "method_view" and \
            not _ends_in_flask_view(chain, sources.aliases(route))
        if dispatched:
            function = _dispatched_method(cls.name.value, method_name)
            # the method runs with the decorators written on it, wherever that is
            ran_with_method.append(route.method_function_decorators.get(method_name, []))
        if function is None:
            left.reasons.append(
                f"convert.inherited_method: {cls.name.value}.{method_name} is not defined in "
                f"{cls.name.value} or its bases in {route.view_file} (inherited from elsewhere, "
                f"or missing, and Flask answers {method_name.upper()} with a 500); the route "
                "stays on Flask")
            methods_left += served
            continue
        if method_name in methods:  # (not one dispatched to, which calls no super())
            function = _explicit_supers(function, _defining_class(chain, method_name))
        if _zero_argument_super(function) or reads_name(function.body, "__class__"):
            left.reasons.append(f"convert.super_call: {cls.name.value}.{method_name} calls "
                                "super() where the converter cannot name its class and instance "
                                "(in a nested function, or `super` not called, or `__class__` "
                                "read), which only works inside its class; the route stays on "
                                "Flask")
            methods_left += served
            written.append(list(function.decorators))  # Flask still applies them
            continue
        params = function.params
        body = function.body
        uses_self = reads_name(function.body, "self")
        # A decorator written on the method wraps the plain function, which Flask calls with the
        # instance first: one that reads the arguments (FM025: `args[0].datastore`) gets it so
        bound = _needs_rule_values(function.decorators, details)
        if uses_self and not bound:
            assert isinstance(body, cst.IndentedBlock)
            docstring = body.body[:1] if is_docstring(body.body[0]) else []
            body = body.with_changes(body=[*docstring, cst.parse_statement(instance),
                                           *body.body[len(docstring):]])
        # The method's own decorators (an auth check on `post` only, say) stay, inside the
        # class's: `as_view` wraps the dispatch in the class decorators, which then calls the
        # decorated method. Each must be one the scan vetted for this route.
        unknown = [d for d in function.decorators if _decorator_name(d) not in route.decorators]
        if unknown:
            names = ", ".join(str(_decorator_name(d)) for d in unknown)
            left.reasons.append(f"convert.decorator: {cls.name.value}.{method_name} has "
                                f"decorator(s) the scan did not vet ({names}); the route stays "
                                "on Flask")
            methods_left += served
            written.append(list(function.decorators))
            continue
        short = route.endpoint.rsplit(".", 1)[-1]
        name = python_identifier(short if dispatch is not None else f"{short}_{method_name}")
        own = list(function.decorators)
        if bound:
            own.insert(0, commented_decorator(
                f"{BOUND_METHOD}({json.dumps(route.endpoint)})",
                "# `self`: the instance Flask dispatches to, as the decorators below read it"))
        function = function.with_changes(
            name=cst.Name(name), body=body,
            decorators=[*wrapping, *decorators, *keywords_only, *validation, *method_decorators,
                        *own],
            params=params.with_changes(params=params.params[1:]))
        written.append(list(function.decorators))
        method_route = dataclasses.replace(route, methods=list(served))
        runtime = {BOUND_METHOD} if bound else {VIEW_INSTANCE} if uses_self and from_legacy \
            else set()
        runtime |= {CLASS_VIEW} if keywords_only else set()
        runtime |= {RESTX_PAYLOAD} if validation else set()
        # (its own list of reasons: convert_function gives up on any reason in it)
        method_left = LeftOnFlask(method_route)
        result = convert_function(
            method_route, function, sources, rules, method_left, aliases,
            extra_imports={(FLASK_PARAMS, helper) for helper in runtime},
            first_parameter=params.params[0] if bound else None)
        left.reasons.extend(method_left.reasons)
        if result is not None and resource and RestfulOutput.RULE_ID not in result.applied:
            left.reasons.append(f"convert.resource_output: {RestfulOutput.RULE_ID} did not run "
                                "(--skip/--only), and without the Api's output the resource "
                                "would answer otherwise; the route stays on Flask")
            result = None
        if result is None:
            methods_left += served
            continue
        converted.append(result)
    left.reasons = list(dict.fromkeys(left.reasons))  # (each method's, said once)
    if not converted or dispatch is not None and methods_left:
        return left
    unwritten = _unwritten_decorators(route, written, ran_with_method)
    if unwritten:
        left.reasons.append(unwritten)
        return left
    if methods_left:
        return [*converted, LeftOnFlask(dataclasses.replace(route, methods=methods_left),
                                        left.reasons)]
    return converted


def _defining_class(chain: list[cst.ClassDef], method_name: str) -> str:
    """The class of `chain` (most derived first) whose body defines `method_name`: the class a
    zero-argument `super()` in that method starts from (its `__class__`)."""
    return next(klass.name.value for klass in chain if any(
        isinstance(s, cst.FunctionDef) and s.name.value == method_name
        for s in _class_body(klass)))


class _ExplicitSupers(cst.CSTTransformer):
    """`super()` -> `super(Cls, self)` in the body of a method of `Cls` whose first parameter is
    `self`, where it is exactly what Python passes to a zero-argument `super()` there: the class
    that defines the method and the method's first argument. The converted endpoint is a
    function of the router, where `super()` would fail; the class is a module-level name of the
    legacy module, which the router imports, and `self` the instance the endpoint binds. Not in
    a function, lambda or comprehension nested in the method (there zero-argument `super()` has
    no first argument to take)."""

    def __init__(self, class_name: str) -> None:
        super().__init__()
        self.class_name = class_name
        self.depth = 0

    def _enter(self, node: cst.CSTNode) -> None:
        self.depth += 1

    def _leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:
        self.depth -= 1
        return updated_node

    visit_FunctionDef = visit_Lambda = visit_ListComp = visit_SetComp = _enter
    visit_DictComp = visit_GeneratorExp = _enter
    leave_FunctionDef = leave_Lambda = leave_ListComp = leave_SetComp = _leave
    leave_DictComp = leave_GeneratorExp = _leave

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if self.depth == 1 and not updated_node.args and m.matches(updated_node.func,
                                                                   m.Name("super")):
            return updated_node.with_changes(
                args=[cst.Arg(cst.Name(self.class_name)), cst.Arg(cst.Name("self"))],
                whitespace_before_args=cst.SimpleWhitespace(""))
        return updated_node


def _explicit_supers(function: cst.FunctionDef, class_name: str) -> cst.FunctionDef:
    """The method with its own zero-argument `super()` calls made explicit (_ExplicitSupers);
    as it is when its first parameter is not `self` (the name the endpoint binds the instance
    to), or when the class's name is not the module's in it (the method binds that name)."""
    params = function.params.params
    if not params or params[0].name.value != "self" or not name_uses(function.body, "super"):
        return function
    result = function.visit(_ExplicitSupers(class_name))
    assert isinstance(result, cst.FunctionDef)
    return result if class_name in free_names(result) else function


def _zero_argument_super(function: cst.FunctionDef) -> bool:
    """Whether the method still reads `super` other than as an explicit `super(cls, obj)`
    call: a zero-argument call (nested, or one _explicit_supers left), or the bare name."""
    explicit = [call for call in m.findall(function.body, m.Call(func=m.Name("super")))
                if isinstance(call, cst.Call) and call.args]
    return name_uses(function.body, "super") > len(explicit)


def _needs_rule_values(decorators: list[cst.Decorator], details: dict[str, DecoratorInfo]
                       ) -> bool:
    """Whether one of `decorators` must get exactly Flask's arguments: it reads or changes them
    (FM025) or hides the view's signature (FM036), as the scan read it (`details`: the route's
    decorators by the name as written)."""
    return any(detail.needs_rule_values for detail in map(details.get, map(
        _decorator_name, decorators)) if detail is not None)


def _unwritten_decorators(route: Route, written: list[list[cst.Decorator]],
                          ran_with_method: Sequence[list[str]] = ()) -> str | None:
    """Why the route stays on Flask if a decorator the scan found Flask applying is on none of
    the converted endpoints (as many times as Flask applies it): one inherited from a class of
    another module, say. Such a route would be reachable with less checking than in Flask.
    `ran_with_method`: the names of the decorators an endpoint's method, called through Flask's
    dispatch (`_dispatched_method`), carries itself."""
    carried: Counter[str | None] = Counter()
    for decorators in written:
        carried |= Counter(_decorator_name(d) for d in decorators)
    for names in ran_with_method:
        carried |= Counter(names)
    missing = Counter(route.decorators) - carried
    if not missing:
        return None
    return (f"convert.decorator_not_written: {', '.join('@' + str(n) for n in sorted(missing))} "
            "applies to the view in Flask, but the converter cannot find where it is written "
            "(a base class in another module, a list it cannot read); the route stays on Flask")


def _ends_in_flask_view(chain: list[cst.ClassDef], aliases: dict[str, str]) -> bool:
    """Whether every base of the classes of `chain` is one of them, `object` or Flask's own
    `View` or `MethodView`: then a method none of the chain defines is not defined at all."""
    names = {klass.name.value for klass in chain}
    for klass in chain:
        for base in klass.bases:
            dotted = dotted_name(base.value)
            if dotted not in names and dotted != "object" and (
                    dotted is None or through_imports(dotted, aliases) not in VIEW_CLASS_BASES):
                return False
    return True


def _dispatched_method(class_name: str, method_name: str) -> cst.FunctionDef:
    """An endpoint body for a method a `MethodView` inherits from a class convert does not read
    (a project base in another module, or one after it): MethodView's own `dispatch_request`,
    which Flask calls, finds it as Python does. The scan has made sure no base the converter does
    not read defines `dispatch_request` (scan.unseen_dispatch) and that every base is the
    project's or Flask's (scan.unread_base). The decorators written on the method run with it
    (`Route.method_function_decorators`, counted as written); any other the scan found that no
    endpoint writes keeps the route on Flask (`_unwritten_decorators`)."""
    return cst.ensure_type(cst.parse_statement(
        f"def {method_name}(self, **kwargs):\n"
        f"    # {class_name}.{method_name} is not in a class convert reads: Flask's MethodView "
        "dispatch looks it up, as in Flask\n"
        "    return self.dispatch_request(**kwargs)\n"), cst.FunctionDef)


def _class_chain(module: cst.Module, cls: cst.ClassDef, route: Route
                 ) -> list[cst.ClassDef] | str:
    """`cls`, then the classes Python looks names up in after it, in order, as far as the scan
    found them in the module (`Route.view_classes`); the name of one not bound for certain
    there otherwise: the scan's check of their `dispatch_request` holds for all of them."""
    chain = [cls]
    for name in route.view_classes[1:]:
        klass = _bound_definition(module.body, name)
        if not isinstance(klass, cst.ClassDef):
            return name
        chain.append(klass)
    return chain


def _class_body(cls: cst.ClassDef) -> list[cst.BaseStatement]:
    return list(cls.body.body) if isinstance(cls.body, cst.IndentedBlock) else []


def _class_attribute(cls: cst.ClassDef, name: str) -> cst.BaseExpression | None:
    """What the class body last assigns to `name` (`decorators = [...]`), or None."""
    found = None
    for statement in _class_body(cls):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                targets = [target.target for target in small.targets]
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                targets = [small.target]
            else:
                continue
            if any(isinstance(target, cst.Name) and target.value == name for target in targets):
                found = small.value
    return found


def _class_decorators(chain: list[cst.ClassDef], name: str) -> list[cst.Decorator]:
    """The `decorators` (or a resource's `method_decorators`) list the class looks up through
    `chain`, as decorators, outermost first (the list's first is applied innermost). A value
    that is not a list here (`decorators = COMMON`) gives none: the route then stays on Flask,
    for a decorator the scan found is written on no endpoint (`_unwritten_decorators`)."""
    for klass in chain:
        value = _class_attribute(klass, name)
        if value is not None:
            return [cst.Decorator(e.value) for e in reversed(value.elements)] \
                if isinstance(value, (cst.List, cst.Tuple)) else []
    return []


def _instance_binding(route: Route, cls: cst.ClassDef, chain: list[cst.ClassDef],
                      methods: dict[str, cst.FunctionDef], sources: SourceCache
                      ) -> tuple[str, bool]:
    """The statement that binds `self` in a method endpoint, and whether it takes the instance
    from the legacy view: a new instance of the class where that is exactly what Flask makes
    (the constructor is `object`'s or takes no argument, the whole chain of classes up to Flask's
    own base is in the module, a new instance per request); otherwise the instance Flask
    dispatches to (`view_instance`, flask_params)."""
    init = methods.get("__init__")
    params = init.params if init is not None else None
    takes_arguments = params is not None and (
        len(params.params) > 1 or params.star_arg not in (None, cst.MaybeSentinel.DEFAULT)
        or bool(params.kwonly_params) or params.star_kwarg is not None)
    flask_base = _ends_in_flask_view(chain, sources.aliases(route))
    once = any(isinstance(value := _class_attribute(klass, "init_every_request"), cst.Name)
               and value.value == "False" for klass in chain)
    # a Flask-RESTX resource is made with its Api (`Resource.__init__(self, api=None, ...)`)
    restx = route.kind == "resource" and route.resource_api == RESTX_API
    if takes_arguments or once or not flask_base or restx:
        return (f"self = {VIEW_INSTANCE}({json.dumps(route.endpoint)})  # the instance "
                "Flask dispatches to\n"), True
    return f"self = {cls.name.value}()\n", False


def convert_function(route: Route, function: cst.FunctionDef, sources: SourceCache,
                     rules: tuple[type[ViewCodemod], ...], left: LeftOnFlask,
                     aliases: dict[str, str] | None = None,
                     enclosing: EnclosingScope | None = None,
                     extra_imports: set[tuple[str, str]] = frozenset(),
                     first_parameter: cst.Param | None = None) -> ConvertedView | None:
    """Run the rules on one endpoint function and work out its imports; None (with the reasons
    added to `left`) when it cannot be shown safe. `aliases` adds to the view module's imports
    (the names of decorators applied where the rule is added, in another module); `enclosing`:
    the functions a nested view is defined in (FM026); `extra_imports`: the generated package's
    names the function already reads (`view_instance`), as (module, name); `first_parameter`:
    one the rules do not see, put first afterwards (`self` of a method that `bound_method`
    calls with the instance)."""
    # A name the enclosing functions bind is theirs in the view, not the module's import of it;
    # one they bind by an import alone is that import
    shadowed = enclosing.names if enclosing is not None else frozenset()
    enclosing_imports = dict(enclosing.imports) if enclosing is not None else {}
    context = ViewContext(route, {**{name: target for name, target in {
                              **sources.aliases(route), **(aliases or {})}.items()
                              if name not in shadowed}, **enclosing_imports},
                          enclosing=enclosing,
                          legacy=sources.legacy(route),
                          error_format=sources.error_format,
                          served_app_names=sources.served_app_names(route) - shadowed,
                          module_state=sources.run_time_globals(route),
                          path_values_preprocessed=any(
                              name in sources.value_preprocessors
                              for name in (None, *blueprint_chain(route.blueprint))))
    context.imports.update(extra_imports)
    legacy_reads = set(free_names(function)) - {name for _, name in extra_imports}
    original = function
    for rule in rules:
        function = rule(context).transform(function)
    if context.refusals:
        left.reasons.extend(f"{rule}: {why}" for rule, why in context.refusals)
        return None
    _rename_models_read_as_legacy_names(context, legacy_reads)
    # FM026 bound the names the view reads from its closure; a rule's new name (FM004's
    # `HTTPException`) is imported, unless the view read that name from its closure too
    rules_import = {name for _, name in context.imports}
    clash = sorted(rules_import & shadowed & legacy_reads)
    unbound = sorted((set(free_names(function)) & shadowed) - rules_import)
    if clash or unbound:
        assert enclosing is not None  # (only then is anything shadowed)
    if clash:
        left.reasons.append(
            f"convert.name_clash: the converted view would import {', '.join(clash)}, hiding "
            f"what the view reads of {enclosing.function}()")
        return None
    if unbound:  # FM026 did not run (--skip), or left them: the module does not have them
        left.reasons.append(
            f"convert.nested_view: the view reads {', '.join(unbound)} of "
            f"{enclosing.function}(), which FM026 takes from the legacy view; a router cannot "
            "import them")
        return None
    defined = sources.defined(route)
    # A name a rule imports for the new parameters only (`Query` from fastapi) that the view
    # reads as something else of its module (SQLAlchemy's or TinyDB's `Query`) is written
    # `fastapi.Query` in those parameters, so the body keeps reading its own.
    module_imports: set[str] = set()
    for module_name, name in sorted(context.imports):
        legacy = legacy_origin(name, context.aliases, defined, route)
        if (name in legacy_reads and legacy is not None and legacy != f"{module_name}.{name}"
                and _qualifiable(module_name, legacy_reads | set(defined))
                and _name_count(function, name) == _name_count(original, name)):
            context.parameters[:] = [qualified_parameter(p, module_name, name)
                                     for p in context.parameters]
            context.imports.discard((module_name, name))
            module_imports.add(module_name)
    added = [
        cst.Param(
            cst.Name(p.name),
            annotation=cst.Annotation(cst.parse_expression(p.annotation)),
            default=cst.parse_expression(p.default) if p.default is not None else None,
        )
        for p in context.parameters
    ]
    # Keyword-only, after the view's own (path) parameters: defaults may then mix freely.
    params = function.params
    if added:
        params = params.with_changes(
            star_arg=params.star_arg if isinstance(params.star_arg, cst.Param)
            else cst.ParamStar(),
            kwonly_params=[*params.kwonly_params, *added],
        )
    function = function.with_changes(params=params)
    unlike_flask = _arguments_unlike_flask(route, original, function, context)
    if unlike_flask:
        left.reasons.append(unlike_flask)
    if first_parameter is not None:
        function = function.with_changes(params=function.params.with_changes(
            params=[first_parameter, *function.params.params]))
    # without FM038 (--skip): `__name__` would read the router's
    attributes = sorted(module_attribute_names(function))
    if attributes:
        left.reasons.append(
            f"convert.module_attribute: the view reads {', '.join(attributes)} of "
            f"{route.view_module}, which a router would read as its own, and "
            f"{ModuleAttributes.RULE_ID}, which reads them on the module, did not run")
    # `from .form import SingleTag` in the body names the legacy package, not the router's
    function = absolute_imports(drop_imports_made_unused(original, function), route.view_module,
                                route.view_in_package_init)
    imports, missing = resolve_imports(function, context, defined, route, module_imports,
                                       sources.submodules(route))
    star_bound: set[str] = set()
    if missing and sources.star_imports(route):
        # `from peewee import *` may bind them, as far as the source shows: imported from the
        # view's module where it binds them (optional, as maybe-unbound names are: a name it
        # does not bind fails in the converted view where it failed in Flask's, with NameError)
        star_bound = set(missing)
        imports.update((route.view_module, name, name) for name in missing)
        missing = []
    taken = {p.name.value for p in (*function.params.params, *function.params.kwonly_params)}
    clash = sorted(taken & {local for _, _, local in imports})
    missing = [name for name in missing if name not in attributes]  # (`__file__`: said above)
    if missing:
        left.reasons.append(
            f"convert.undefined_name: {', '.join(missing)} is not defined at the top level of "
            f"{route.view_module}, so the router cannot import it")
    # `from module import _cache` in the router is a copy of the binding made once: what the
    # module's functions bind to `_cache` with `global` while the app runs never reaches it,
    # and the converted view's own `global _cache` would bind the router's name. FM037 writes
    # them on the module; without it (--skip/--only) the route stays on Flask
    rebound = sorted(module_state_read(function, sources.run_time_globals(route), shadowed))
    if rebound:
        left.reasons.append(
            f"convert.module_state: the view reads or rebinds {', '.join(rebound)}, which "
            f"functions of {route.view_module} rebind while the app runs (`global`), and "
            f"{ModuleState.RULE_ID}, which reads and writes them on the module, did not run; a "
            "router would import a copy that those writes never reach, so the route stays on "
            "Flask")
    if clash:
        left.reasons.append(f"convert.name_clash: parameter(s) {', '.join(clash)} would hide "
                            "names the view uses")
    for module_name, name in sorted(context.imports):
        # a name the rules import that the view already read as something else of its module
        legacy = legacy_origin(name, context.aliases, defined, route)
        if name in legacy_reads and legacy is not None and legacy != f"{module_name}.{name}":
            left.reasons.append(
                f"convert.name_clash: the converted view would import {name} from "
                f"{module_name}, hiding the {legacy} it reads; the route stays on Flask")
    if left.reasons:
        return None
    module_loggers_read = sources.loggers(route)
    loggers = {(module_name, name): module_loggers_read[name]
               for module_name, name, _ in imports
               if module_name == route.view_module and name in module_loggers_read}
    if loggers:
        imports.add(("logging", None, "logging"))  # the router makes them: logging.getLogger
    maybe_unbound = sources.maybe_unbound(route)
    # A name the module binds only under `if TYPE_CHECKING:`, which its annotations read under
    # `from __future__ import annotations` (beets' `queries: Sequence[str]`): the router's
    # annotations are evaluated (and FastAPI reads an endpoint's), so it imports the name from
    # where the module's type checkers do; from the module itself it would stay unbound
    type_checking = sources.type_checking_aliases(route)
    for module_name, name, local in sorted(imports, key=str):
        if module_name == route.view_module and name in maybe_unbound \
                and name in type_checking and name not in star_bound:
            imports.discard((module_name, name, local))
            imports.add(import_of(type_checking[name], local))
    optional = {(module_name, name) for module_name, name, _ in imports
                if module_name == route.view_module and (name in maybe_unbound or name in star_bound)}
    # A name the module imports only for type checkers, which only annotations Python never
    # evaluates read (`thing: Thing = ...` in the view): imported for them in the router too,
    # which so runs no import the legacy module avoids (an import cycle, say)
    local_only = local_annotation_names(function) & set(type_checking) if type_checking \
        else set()
    type_only = {item for item in imports if item[2] in local_only}
    type_only |= annotation_imports(function, context.aliases, defined, route,
                                    {local for _, _, local in imports} | taken)
    imports.update(type_only)
    return ConvertedView(route, function, context.parameters, imports, context.todos,
                         context.applied, sources.module(route.view_file).default_newline,
                         context.route_options, guards=context.guards, models=context.models,
                         loggers=loggers, optional=optional,
                         type_only={(module, name) for module, name, _ in type_only})


def _rename_models_read_as_legacy_names(context: ViewContext, reads: set[str]) -> None:
    """A model a rule named as a name the view reads (APIFlask's schema `PetOut`, which FM032
    documents with a model named from it) takes another name: the models are the generated
    package's own, the names the view reads are the legacy code's."""
    taken = reads | {model.name for model in context.models}
    for index, model in enumerate(context.models):
        if model.name not in reads:
            continue
        name, number = f"{model.name}Model", 2
        while name in taken:
            name, number = f"{model.name}Model{number}", number + 1
        taken.add(name)
        context.models[index] = model.renamed(name)
        context.route_options.update(renamed_in_options(context.route_options, model.name, name))
        if (SCHEMAS_MODULE, model.name) in context.imports:
            context.imports.discard((SCHEMAS_MODULE, model.name))
            context.imports.add((SCHEMAS_MODULE, name))


def _arguments_unlike_flask(route: Route, original: cst.FunctionDef, converted: cst.FunctionDef,
                            context: ViewContext) -> str | None:
    """Why the converted view could be called with other arguments than in Flask, or None.
    Flask calls a view function with `request.view_args` by name. Where the view's parameters
    are not what FastAPI gives (a decorator hands it `current_user`, a `url_value_preprocessor`
    gives it a value the rule lacks), FM028 must give the endpoint the rule's values and call
    the view with Flask's. And a decorator that reads the view's arguments (FM025) sees them:
    the converted view must take the same parameters as the legacy view (no rule adds one). A
    view class's `decorators` (and a resource's `method_decorators`) are called so too; a
    decorator written on a method also gets the instance first, which `bound_method` passes
    (convert_method_view), outside what is compared here."""
    taken = [p.name.value for p in named_parameters(converted.params)]
    legacy = [p.name.value for p in named_parameters(original.params)]
    values = [p.name for p in route.parameters]
    if context.view_takes_other_arguments(original) and \
            RuleValues.RULE_ID not in context.applied:
        written = [*legacy, *star_parameters(original.params)]
        return (f"{RuleValues.RULE_ID}: the view takes other arguments "
                f"({', '.join(written) or 'none'}) than the rule's values FastAPI gives "
                f"({', '.join(values) or 'none'}), and {RuleValues.RULE_ID}, which calls it with "
                "Flask's, did not run (--skip/--only); the route stays on Flask")
    readers = context.arguments_read_by_decorators(original)
    if not readers or taken == legacy:
        return None
    names = ", ".join(f"@{name}" for name in readers)
    return (f"FM025: {names} reads or changes the view's arguments, so the converted view must "
            f"take exactly the legacy view's parameters ({', '.join(legacy) or 'none'}); it "
            f"would take ({', '.join(taken) or 'none'}); the route stays on Flask")


def _qualifiable(module_name: str, taken: set[str]) -> bool:
    """Whether `import module_name` may be added to a router: an absolute module whose name
    is not one the view reads or its module binds."""
    return (not module_name.startswith(".") and "." not in module_name
            and module_name not in taken)


def _name_count(node: cst.CSTNode, name: str) -> int:
    """How many times `name` is written in `node` as a name (not an attribute)."""
    return len(m.findall(node, m.Name(name)))


class _Qualify(cst.CSTTransformer):
    """Writes the name `name` as `module_name.name` wherever it is read (not an attribute's or a
    keyword argument's name)."""

    def __init__(self, module_name: str, name: str) -> None:
        super().__init__()
        self.module_name, self.name = module_name, name
        self.not_read: set[cst.Name] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_read.add(node.attr)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_read.add(node.keyword)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if updated_node.value != self.name or original_node in self.not_read:
            return updated_node
        return cst.Attribute(cst.Name(self.module_name), cst.Name(self.name))


def qualified_parameter(parameter: NewParameter, module_name: str, name: str) -> NewParameter:
    """`parameter` with the name `name` written `module_name.name` (`Query(alias="q")` ->
    `fastapi.Query(alias="q")`) in its annotation and default."""

    def qualify(text: str | None) -> str | None:
        if text is None:
            return None
        expression = cst.parse_expression(text).visit(_Qualify(module_name, name))
        return cst.Module(body=[]).code_for_node(expression)

    return dataclasses.replace(parameter, annotation=qualify(parameter.annotation),
                               default=qualify(parameter.default))


def qualified_view(view: ConvertedView, module_name: str, name: str) -> ConvertedView | None:
    """`view` importing `module_name` instead of `name` from it, which only its new parameters
    read (written `module_name.name` there), for a router where another view reads `name` as
    something else; None if the view reads `name` anywhere else."""
    added = {p.name for p in view.parameters}
    params = view.function.params
    if not _qualifiable(module_name, set(free_names(view.function)) - {name}):
        return None
    in_added = sum(_name_count(p, name) for p in params.kwonly_params if p.name.value in added)
    if in_added == 0 or in_added != _name_count(view.function, name):
        return None
    qualify = _Qualify(module_name, name)
    kwonly = [p.visit(qualify) if p.name.value in added else p for p in params.kwonly_params]
    return dataclasses.replace(
        view,
        function=view.function.with_changes(params=params.with_changes(kwonly_params=kwonly)),
        parameters=[qualified_parameter(p, module_name, name) for p in view.parameters],
        imports=(view.imports - {(module_name, name, name)}) | {(module_name, None, module_name)},
    )


class _Rename(cst.CSTTransformer):
    """Writes the given Name nodes with another name."""

    def __init__(self, nodes: set[cst.Name], new: str) -> None:
        super().__init__()
        self.nodes, self.new = nodes, new

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.new) if original_node in self.nodes \
            else updated_node


def aliased_view(view: ConvertedView, module_name: str, name: str | None, local: str,
                 alias: str) -> ConvertedView | None:
    """`view` importing `local` (`module_name.name`, or the module itself) as `alias`, each read
    of the module-level `local` in the view (decorators and annotations included) written
    `alias`: for a router where another view imports `local` from elsewhere (each view module of
    a blueprint binding `app = get_app()` or `log = logging.getLogger(__name__)`). None when the
    view binds the name at module level itself (`global`) or reads it in a string annotation."""
    wrapper = MetadataWrapper(cst.Module(body=[view.function]), unsafe_skip_copy=True)
    scopes = {scope for scope in wrapper.resolve(ScopeProvider).values() if scope is not None}
    reads: set[cst.Name] = set()
    for scope in scopes:
        if isinstance(scope, GlobalScope) and local in scope.assignments:
            return None
        for access in scope.accesses[local]:
            if access.referents:
                continue  # a local of the view (or of a function inside it) of the same name
            if not isinstance(access.node, cst.Name):
                return None
            reads.add(access.node)
    if not reads:
        return None
    return dataclasses.replace(
        view, function=view.function.visit(_Rename(reads, alias)),
        imports=(view.imports - {(module_name, name, local)}) | {(module_name, name, alias)})


def registration_wrappers(route: Route, sources: SourceCache
                          ) -> tuple[list[cst.Decorator], dict[str, str]] | str:
    """The decorators Flask applies where the rule is added (`add_url_rule("/w",
    view_func=require_key(view))`), to write on the converted view above its own, outermost
    first (Flask wraps what the `def` made), and the imports their names need; or why the route
    stays on Flask. Dropping such a wrapper would serve the route with less authentication."""
    place = f"({route.file}:{route.line})"
    return _written_wrappers(route.wrapped_at_registration, route, sources,
                             "convert.wrapped_at_registration",
                             f"wraps the view where its rule is added {place}",
                             f"where the rule is added {place}")


def _written_wrappers(wrappers: list[Wrapper], route: Route, sources: SourceCache, code: str,
                      applies: str, where: str, imported: dict[str, str] | None = None
                      ) -> tuple[list[cst.Decorator], dict[str, str]] | str:
    """`wrappers` (decorators the scan read elsewhere than on the view: `applies`, `where`) as
    decorators on the converted view, in their order, and the imports their names need, added
    to those its other decorators need (`imported`); or why the route stays on Flask
    (diagnostic `code`)."""
    decorators: list[cst.Decorator] = []
    aliases = dict(imported or {})
    for wrapper in wrappers:
        try:
            expression = cst.parse_expression(wrapper.code)
        except cst.ParserSyntaxError:
            expression = None
        if wrapper.imports is None or expression is None:
            return (f"{code}: `{wrapper.code}` {applies} and cannot be written as a decorator on "
                    "the converted view; the route stays on Flask")
        head = wrapper.code.split(".")[0].split("(")[0]
        here = legacy_origin(head, sources.aliases(route), sources.defined(route), route)
        if here is not None and here != wrapper.imports:
            return (f"convert.name_clash: `{head}` of @{wrapper.code} is {wrapper.imports} "
                    f"{where} but {here} in the view's module; the route stays on Flask")
        if aliases.get(head, wrapper.imports) != wrapper.imports:
            return (f"convert.name_clash: `{head}` of @{wrapper.code} is {wrapper.imports} "
                    f"{where} but {aliases[head]} for another of its decorators; the route stays "
                    "on Flask")
        aliases[head] = wrapper.imports
        decorators.append(cst.Decorator(expression))
    return decorators, aliases


def _listed_decorators(route: Route, chain: list[cst.ClassDef], name: str, sources: SourceCache,
                       imported: dict[str, str]
                       ) -> tuple[list[cst.Decorator], dict[str, str]] | str:
    """The class's `name` list (`decorators`, `method_decorators`) as decorators, outermost
    first (`_class_decorators`): written in the view's module, or on a base class of another
    module, as the scan read it (lemur's `AuthenticatedResource.method_decorators =
    [login_required]`), with the imports their names need added to those the route's other
    decorators need (`imported`); or why the route stays on Flask."""
    inherited = route.inherited_decorator_lists.get(name)
    if inherited is None or any(_class_attribute(klass, name) is not None for klass in chain):
        return _class_decorators(chain, name), imported
    written = _written_wrappers(inherited, route, sources, "convert.inherited_decorators",
                                f"is in the `{name}` of a base class in another module",
                                "where that base class is", imported)
    if isinstance(written, str):
        return written
    decorators, aliases = written
    return decorators[::-1], aliases


def _decorator_name(decorator: cst.Decorator) -> str | None:
    expr = decorator.decorator
    if isinstance(expr, cst.Call):
        expr = expr.func
    return dotted_name(expr)


class _AbsoluteImports(cst.CSTTransformer):
    def __init__(self, module: str, is_package: bool) -> None:
        super().__init__()
        self.module, self.is_package = module, is_package

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
                         ) -> cst.ImportFrom:
        if not updated_node.relative:
            return updated_node
        target = dotted_name(updated_node.module) if updated_node.module is not None else None
        absolute = resolve_relative(self.module, self.is_package, len(updated_node.relative),
                                    target)
        if not absolute:  # above the top-level package: left as written (it fails in Flask too)
            return updated_node
        return updated_node.with_changes(relative=[], module=cst.parse_expression(absolute),
                                         whitespace_after_from=cst.SimpleWhitespace(" "),
                                         whitespace_before_import=cst.SimpleWhitespace(" "))


class _DropImportsMadeUnused(cst.CSTTransformer):
    def __init__(self, original: cst.FunctionDef, converted: cst.FunctionDef) -> None:
        super().__init__()
        # each name counted in one walk of each function (not one walk per name: big views)
        before = Counter(node.value for node in m.findall(original, m.Name()))
        after = Counter(node.value for node in m.findall(converted, m.Name()))
        self.unused = {name for name, count in after.items() if count == 1 < before[name]}

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
                         ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        kept = [alias for alias in updated_node.names
                if import_local_name(alias, from_import=True) not in self.unused]
        if len(kept) == len(updated_node.names):
            return updated_node
        if not kept:
            return cst.RemoveFromParent()
        kept[-1] = kept[-1].with_changes(comma=updated_node.names[-1].comma)  # its style
        return updated_node.with_changes(names=kept)


def drop_imports_made_unused(original: cst.FunctionDef, converted: cst.FunctionDef
                             ) -> cst.FunctionDef:
    """`converted` without the names its own body imports (`from flask import request` inside
    the view) that the original read and the rules left unread: `request.args.get("uuid")`
    became the parameter `uuid`. A name the legacy view imported and never read is kept."""
    result = converted.visit(_DropImportsMadeUnused(original, converted))
    assert isinstance(result, cst.FunctionDef)
    return result


def absolute_imports(function: cst.FunctionDef, module: str, is_package: bool
                     ) -> cst.FunctionDef:
    """`function` with the relative imports in its body (`from . import x`, `from .form import
    Form`) written as the absolute imports they are in the legacy module `module`: the router
    that holds the converted view is in another package."""
    result = function.visit(_AbsoluteImports(module, is_package))
    assert isinstance(result, cst.FunctionDef)
    return result


def legacy_origin(name: str, aliases: dict[str, str], defined: set[str], route: Route
                  ) -> str | None:
    """What a free name of the view is in its legacy module, dotted (`werkzeug.exceptions.
    NotFound`, `json` for `import json`, `pkg.views.helper` for one it defines), or None.
    `aliases` and `defined`: the module's imports and top-level names (SourceCache)."""
    target = aliases.get(name)
    if target is not None:
        return target
    return f"{route.view_module}.{name}" if name in defined else None


def string_annotation_names(function: cst.FunctionDef) -> set[str]:
    """The names the function's string annotations read (`auth_user: "User"`, `->
    Union[Dict, "HttpResponse"]`): forward references, which no scope analysis counts as
    reads, but linters and type checkers resolve. Strings that hold values, not names: a
    `Literal["..."]`'s, `Annotated[T, ...]`'s metadata after the type, and a call's arguments
    (`Query(alias="distro")`, which the converter itself writes)."""
    names: set[str] = set()

    def subscript_name(node: cst.Subscript) -> str:  # `Literal[...]`, `typing.Literal[...]`
        head = node.value
        return (head.attr.value if isinstance(head, cst.Attribute) else
                head.value if isinstance(head, cst.Name) else "")

    class Strings(cst.CSTVisitor):
        def __init__(self) -> None:
            self.value_depth = 0

        def visit_Subscript(self, node: cst.Subscript) -> bool:
            kind = subscript_name(node)
            self.value_depth += kind == "Literal"
            if kind == "Annotated" and node.slice:
                node.slice[0].visit(self)  # the type; the metadata after it are values
                return False
            return True

        def leave_Subscript(self, original_node: cst.Subscript) -> None:
            self.value_depth -= subscript_name(original_node) == "Literal"

        def visit_Call(self, node: cst.Call) -> None:
            self.value_depth += 1

        def leave_Call(self, original_node: cst.Call) -> None:
            self.value_depth -= 1

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            if self.value_depth:
                return
            value = node.evaluated_value
            try:
                expression = cst.parse_expression(value.strip()) if isinstance(value, str) \
                    else None
            except cst.ParserSyntaxError:
                return  # not an expression: nothing a linter resolves either
            if expression is not None:
                names.update(free_names(cst.FunctionDef(
                    cst.Name("_"), cst.Parameters(), cst.IndentedBlock(
                        [cst.SimpleStatementLine([cst.Expr(expression)])]))))

    class Annotations(cst.CSTVisitor):
        def visit_Annotation(self, node: cst.Annotation) -> bool:
            node.visit(Strings())
            return False

    function.visit(Annotations())
    return names


def local_annotation_names(function: cst.FunctionDef) -> set[str]:
    """The free names of `function` that only annotations of local variables read (`thing:
    Thing | None = None` in its body or a nested function's): Python never evaluates those (PEP
    526), so the router needs such a name for linters and type checkers only. An annotation in
    a class body is evaluated where the class is made, a nested function's parameters' and
    return's where its `def` runs."""
    in_local_annotations: set[int] = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            in_local_annotations.add(id(node))

    class LocalAnnotations(cst.CSTVisitor):
        def __init__(self) -> None:
            self.in_function: list[bool] = []  # per enclosing scope, the innermost last

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.in_function.append(True)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.in_function.pop()

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.in_function.append(False)

        def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
            self.in_function.pop()

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if self.in_function[-1]:
                node.annotation.visit(Names())

    function.visit(LocalAnnotations())
    if not in_local_annotations:
        return set()  # (no scope analysis for a function without local annotations)
    return {name for name, reads in free_reads(function).items()
            if all(id(read) in in_local_annotations for read in reads)}


def annotation_imports(function: cst.FunctionDef, aliases: dict[str, str], defined: set[str],
                       route: Route, taken: set[str]) -> set[tuple[str, str | None, str]]:
    """Where the names only string annotations of the converted view read come from, for an
    `if TYPE_CHECKING:` import in the router: the legacy module's import of them, or the
    legacy module (which binds them, maybe under `if TYPE_CHECKING:` itself). A name it does
    not bind either is left alone: the legacy view's annotation names nothing there too."""
    found: set[tuple[str, str | None, str]] = set()
    for name in sorted(string_annotation_names(function) - set(free_names(function)) - taken):
        target = legacy_origin(name, aliases, defined, route)
        if target is not None:
            found.add(import_of(target, name))
    return found


def submodules_read(function: cst.FunctionDef, name: str, modules: frozenset[str]
                    ) -> set[str]:
    """Those of `modules` (`urllib.parse`, imported under `name`) that the function reads an
    attribute chain of (`urllib.parse.urlparse`)."""
    if not modules:
        return set()
    chains = {dotted for node in m.findall(function, m.Attribute())
              if (dotted := dotted_name(node)) is not None and dotted.startswith(name + ".")}
    return {module for module in modules
            if any(chain == module or chain.startswith(module + ".") for chain in chains)}


def import_of(target: str, local: str) -> tuple[str, str | None, str]:
    """The import binding `local` to `target` (legacy_origin): `from pkg.views import helper`
    for `pkg.views.helper`, `import json` for a module with no package."""
    module_name, _, attribute = target.rpartition(".")
    return (module_name, attribute, local) if module_name else (target, None, local)


def resolve_imports(function: cst.FunctionDef, context: ViewContext, defined: set[str],
                    route: Route, module_imports: set[str] = frozenset(),
                    submodules: dict[str, frozenset[str]] | None = None,
                    ) -> tuple[set[tuple[str, str | None, str]], list[str]]:
    """Where each free name of the converted view comes from (`defined`: the names bound at
    the top level of its module; `module_imports`: modules the new parameters name, `import
    fastapi` for `fastapi.Query`; `submodules`: the module's `import a.b` statements, by the
    name they bind, SourceCache.submodules)."""
    imports: set[tuple[str, str | None, str]] = {(module, None, module) for module in module_imports}
    imports |= {(module, None, local) for module, local in context.module_imports}
    missing: list[str] = []
    new_names = {name for _, name in context.imports} | set(module_imports) \
        | {local for _, local in context.module_imports}
    # a builtin the module binds again (pyLoad's `from pyload.core.utils import format`): the
    # view reads the module's, which free_names, seeing the view alone, takes for the builtin
    rebound = {name for name in (*context.aliases, *defined) if name in BUILTIN_NAMES}
    for name in [*free_names(function), *sorted(builtin_reads(function, rebound))]:
        if name in new_names:
            continue
        target = legacy_origin(name, context.aliases, defined, route)
        if target is None:
            missing.append(name)
            continue
        # `urllib.parse.urlparse` read off `import urllib.parse`: a plain `import urllib` works
        # only once something else loaded the submodule, and type checkers flag it
        read_below = submodules_read(function, name, (submodules or {}).get(name, frozenset())
                                     ) if target == name else set()
        if read_below:
            imports.update((module, None, name) for module in read_below)
        else:
            imports.add(import_of(target, name))
    for module_name, name in context.imports:
        imports.add((module_name, name, name))
    return imports, missing
