"""Read the wrapper a project view decorator builds, to say what convert may do with it.

A view decorator in Flask code is usually

    def require_api_key(view):
        @functools.wraps(view)
        def wrapped_view(*args, **kwargs):
            ...checks on request / session / g...   # may abort(), raise or return an answer
            return view(*args, **kwargs)
        return wrapped_view

and the shape of `wrapped_view` decides what the converter may do (docs/dependencies.md):

- `guard`: checks first, then `return view(*args, **kwargs)` (in every branch that lets the
  request through, none of them inside a try or with block; `current_app.ensure_sync(view)`
  and a known guard's `login_required(view)` count as the view, and so does a decorator of the
  project applied to the view, `cw_login_required(view)`, when the link step finds it is a guard
  itself: `through`); the view, `args` and `kwargs` are
  used nowhere else. Its whole effect happens before the view
  runs, and its answer (an early return, abort or raise) replaces the view's: it becomes a route
  dependency (FM020).
- `post_processing`: calls the view once, with its arguments unchanged, and may do something with
  the result (timing, caching headers) or read the view's name (a cache key).

Two more facts let convert lift a guard out from under a post-processing decorator without
changing any answer: the guard refuses only by raising (`abort(401)`: no `return` but the last),
and the decorator lets the view's exceptions through untouched after doing nothing observable
(`started = time.perf_counter()`; then `response = make_response(view(*args, **kwargs))`). It keeps running around the endpoint, inside the legacy
  request context, as in Flask (FM022).
- `unread`: anything else (the view called twice or not at all, the view handed to another
  function or given to a guard with other arguments, an `async` or generator wrapper, a function
  or lambda in the wrapper that names the view or the wrapper): the
  converter cannot show the effect is kept, so the route stays on Flask (FM023).

A guard or post-processing wrapper may also read or change the view's arguments (`args`,
`kwargs`: a log line, an ownership check on `kwargs["user_id"]`; a value it takes by name,
`def inner(table, *args, **kwargs)`, handed on first: `view(table, *args, **kwargs)`), or hand
the view other arguments (the `token_required` of many tutorials calls `view(current_user,
*args, **kwargs)`; ihatemoney's `need_auth` pops `project_id` and passes `project=`):
`reads_arguments`. It then stays around the view and is called with exactly Flask's arguments,
the values of the rule by name (FM025; FM028 when the view's own parameters are not those
values). The view may be called in several places when it runs at most once (`if not enabled:
return view(...)` before the call that is timed or logged).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from migrator.scan.classify import KNOWN_GUARD_DECORATORS
from migrator.scan.extract import dotted_name, literal_value
from migrator.scan.facts import WrapperShape
from migrator.scan.names import is_docstring, name_uses

NAME_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__module__", "__doc__"})
FLASK_ENSURE_SYNC = frozenset({"flask.current_app.ensure_sync",
                               "flask.globals.current_app.ensure_sync"})


class _Uses(cst.CSTVisitor):
    """Every use of the view, args and kwargs names, and the calls of the view (`view_calls`):
    `view(*args, **kwargs)`, also through a known guard, `login_required(view)(*args, **kwargs)`
    (`guarded_calls`); or called with other arguments, `view(current_user, *args, **kwargs)`,
    which changes its arguments (`reads_arguments`)."""

    def __init__(self, view: str, args: str | None, kwargs: str | None,
                 qualify: Callable[[str], str | None], named: Sequence[str] = (),
                 own: str | None = None) -> None:
        self.view, self.args, self.kwargs = view, args, kwargs
        self.own = own  # the wrapper's own name
        # `self` of `self._route`: the instance holding the view (a class used bare as a
        # decorator), whose other attributes the wrapper may read; used bare, it may hand on
        # the view
        self.holder = view.partition(".")[0] if "." in view else None
        self.named = tuple(named)  # the wrapper's own parameters before `*args`
        self.qualify = qualify
        self.view_calls: list[cst.Call] = []
        self.guarded_calls: list[cst.Call] = []
        self.through: list[str] = []  # the project decorators among them, as written
        self.other_uses: list[str] = []
        self.reads_arguments = False  # args or kwargs used besides the view call
        self.loops = 0  # loops and comprehensions around the current node
        self.looped_calls: list[cst.Call] = []  # exact calls inside one
        self.nested = False
        self.yields = False
        self.reads_name = False

    def _is_view(self, node: cst.BaseExpression) -> bool:
        if self.holder is not None:
            return isinstance(node, cst.Attribute) and dotted_name(node) == self.view
        return isinstance(node, cst.Name) and node.value == self.view

    def _applied_to_view_as_written(self, node: cst.BaseExpression) -> str | None:
        """The dotted name `node` calls when it is a call with the view as its only argument
        (`login_required(view)` -> `login_required`); else None."""
        if not (isinstance(node, cst.Call) and len(node.args) == 1 and not node.args[0].star
                and node.args[0].keyword is None and self._is_view(node.args[0].value)):
            return None
        return dotted_name(node.func)

    def _applied_to_view(self, node: cst.BaseExpression) -> str | None:
        """What `node` calls, qualified through the module's imports, when it is a call with the
        view as its only argument (`login_required(view)` -> `flask_login.login_required`)."""
        dotted = self._applied_to_view_as_written(node)
        return self.qualify(dotted) if dotted is not None else None

    def _is_guarded_view(self, node: cst.BaseExpression) -> bool:
        """`login_required(view)`: a third-party guard known by name, around the view (it calls
        the view with the arguments it is given, or answers itself); or a decorator of the
        project, which the link step must find to be a guard (`through`)."""
        return self._applied_to_view(node) in KNOWN_GUARD_DECORATORS or \
            self._project_decorator(node) is not None

    def _project_decorator(self, node: cst.BaseExpression) -> str | None:
        """The name as written of `deco` in `deco(view)` when it is neither a known guard nor
        `ensure_sync`: a decorator the link step looks up (WrapperShape.through)."""
        dotted = self._applied_to_view_as_written(node)
        if dotted is None or self.qualify(dotted) in KNOWN_GUARD_DECORATORS | FLASK_ENSURE_SYNC:
            return None
        return dotted

    def _is_synced_view(self, node: cst.BaseExpression) -> bool:
        """`current_app.ensure_sync(view)`, as flask-login's own `login_required` (and the
        decorators copied from it) call the view: Flask returns a plain function unchanged,
        and an `async def` view never converts."""
        return self._applied_to_view(node) in FLASK_ENSURE_SYNC

    def _is_exact_call(self, node: cst.Call) -> bool:
        if not (self._is_view(node.func) or self._is_guarded_view(node.func)
                or self._is_synced_view(node.func)):
            return False
        named = node.args[:len(self.named)]
        if len(named) < len(self.named) or not all(
                arg.star == "" and isinstance(arg.value, cst.Name) and arg.value.value == name
                and (arg.keyword is None or arg.keyword.value == name)
                for arg, name in zip(named, self.named, strict=True)):
            return False
        stars = [(a.star, a.value) for a in node.args[len(self.named):]]
        expected = [(star, name) for star, name in (("*", self.args), ("**", self.kwargs))
                    if name is not None]
        return len(stars) == len(expected) and all(
            star == want_star and isinstance(value, cst.Name) and value.value == want_name
            for (star, value), (want_star, want_name) in zip(stars, expected, strict=True))

    def _enter_loop(self, node: cst.CSTNode) -> bool:
        self.loops += 1
        return True

    def _leave_loop(self, node: cst.CSTNode) -> None:
        self.loops -= 1

    visit_For = visit_While = visit_ListComp = visit_SetComp = visit_DictComp = \
        visit_GeneratorExp = _enter_loop
    leave_For = leave_While = leave_ListComp = leave_SetComp = leave_DictComp = \
        leave_GeneratorExp = _leave_loop

    def visit_Call(self, node: cst.Call) -> bool:
        exact = self._is_exact_call(node)
        if exact or self._is_view(node.func) or self._is_synced_view(node.func):
            self.view_calls.append(node)
            if self.loops:
                self.looped_calls.append(node)
            if self._is_guarded_view(node.func):
                self.guarded_calls.append(node)
                through = self._project_decorator(node.func)
                if through is not None and through not in self.through:
                    self.through.append(through)
            if not exact:
                # `view(current_user, *args, **kwargs)`, `view(*args, project=p, **kwargs)`:
                # the view gets other arguments than Flask's, which the wrapper makes of
                # anything but the view itself (its arguments are visited, not its callee)
                self.reads_arguments = True
                for argument in node.args:
                    argument.visit(self)
            return False
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        # `view.__qualname__` (a cache key, a log line) names the view and changes nothing.
        if self._is_view(node.value) and node.attr.value in NAME_ATTRIBUTES:
            self.reads_name = True
            return False
        if self._is_view(node):  # `self._route` handed on or stored
            self.other_uses.append("the view is used other than called")
            return False
        if isinstance(node.value, cst.Name) and node.value.value == self.holder:
            return False  # another attribute of the instance (its methods: read_class_wrapper)
        # the attribute's own name is no variable: `request.args` reads no `*args`
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.view:
            self.other_uses.append("the view is used other than called")
        elif node.value == self.holder:
            self.other_uses.append("the instance holding the view is used other than through "
                                   "its attributes")
        elif node.value in (self.args, self.kwargs) or node.value in self.named:
            self.reads_arguments = True

    def _enter_nested(self, node: cst.FunctionDef | cst.Lambda) -> bool:
        """A function or lambda the wrapper defines may call the view later, unless it names
        neither the view (nor the instance holding it) nor the wrapper itself (whose
        `__wrapped__` is the view): privacyidea's gate defines `def check()` that reads
        `request.User`, runs it, and stores it for a later recheck. What it reads of `args` and
        `kwargs` it reads of the view's arguments."""
        names = [self.holder or self.view, *([self.own] if self.own else [])]
        if any(name_uses(node, name) for name in names):
            self.nested = True
        elif any(name_uses(node, name) for name in (self.args, self.kwargs, *self.named)
                 if name is not None):
            self.reads_arguments = True
        return False

    visit_FunctionDef = visit_Lambda = _enter_nested

    def visit_Yield(self, node: cst.Yield) -> None:
        self.yields = True


def read_wrapper(wrapper: cst.FunctionDef, view: str,
                 qualify: Callable[[str], str | None], *,
                 view_parameter: bool = False,
                 passed: tuple[str, str] | None = None) -> WrapperShape:
    """The shape of `wrapper`, the function decorated with `functools.wraps(view)`, or, with
    `view_parameter`, the caller the `decorator` package calls with the view first, or, with
    `passed`, wrapt's wrapper, given the view's arguments as the tuple and dict it names.
    `qualify` maps a dotted name of the module to its import target (`request` -> `flask.request`)."""
    params = wrapper.params
    if wrapper.asynchronous is not None:
        return WrapperShape("unread", "its wrapper is `async def`")
    if params.posonly_params or params.kwonly_params:
        return WrapperShape("unread", "its wrapper takes positional-only or keyword-only "
                                      "parameters")
    # `def inner(table, *args, **kwargs)`, which Flask calls with the rule's values by name:
    # it reads `table` (FM025), and must hand it on first, `view(table, *args, **kwargs)`
    named = [param.name.value for param in params.params[1 if view_parameter else 0:]]
    args = params.star_arg.name.value if isinstance(params.star_arg, cst.Param) else None
    kwargs = params.star_kwarg.name.value if params.star_kwarg is not None else None
    if passed is not None:
        named, (args, kwargs) = [], passed
    uses = _Uses(view, args, kwargs, qualify, named, wrapper.name.value)
    wrapper.body.visit(uses)
    if uses.nested:
        return WrapperShape("unread", "its wrapper defines a function or lambda that names "
                                      "the view or the wrapper")
    if uses.yields:
        return WrapperShape("unread", "its wrapper is a generator")
    if uses.other_uses:
        return WrapperShape("unread", uses.other_uses[0])
    if not uses.view_calls:
        return WrapperShape("unread", "its wrapper never calls the view")
    returns = _Returns(uses.view_calls)
    wrapper.body.visit(returns)
    if len(uses.view_calls) == 1 and uses.looped_calls and not returns.plain_view_returns:
        # (a call returned at once runs once; several calls: _at_most_once refuses a loop too)
        return WrapperShape("unread", "its wrapper calls the view in a loop")
    # Each call returned at once, outside a try or with block: the view runs at most once and
    # its answer leaves the wrapper unchanged, in whichever branch lets the request through.
    passes_through = len(returns.plain_view_returns) == len(uses.view_calls)
    if len(uses.view_calls) > 1 and not passes_through and not _at_most_once(wrapper, uses, returns):
        return WrapperShape("unread", "its wrapper calls the view more than once")
    reads = uses.reads_arguments or bool(named)
    body = wrapper.body.body if isinstance(wrapper.body, cst.IndentedBlock) else ()
    # A guard becomes a dependency run on its own, so it must not depend on which view it guards.
    if not uses.reads_name and passes_through:
        # (a known guard around the view may refuse by returning an answer: a redirect, a 401)
        return WrapperShape("guard", headers=tuple(_headers_read(wrapper.body, qualify)),
                            refuses_by_raising=returns.count == len(uses.view_calls)
                            and not uses.guarded_calls, reads_arguments=reads,
                            through=tuple(uses.through))
    if uses.guarded_calls:
        # (locust's `auth_required_if_enabled` returns it inside a `try` whose `except`
        # answers for the guard: written right, the message said it was not)
        return WrapperShape("unread", "its wrapper hands the view to a guard other than by "
                                      "returning `guard(view)(*args, **kwargs)` at once, "
                                      "outside any `try` or `with` block")
    if len(uses.view_calls) > 1:
        # (it reads the view's name: a guard must not) at most one call, its answer unchanged
        return WrapperShape("post_processing", lets_errors_through=False, reads_arguments=reads)
    return WrapperShape("post_processing",
                        lets_errors_through=_lets_errors_through(body, uses.view_calls[0],
                                                                 qualify),
                        reads_arguments=reads)


def _at_most_once(wrapper: cst.FunctionDef, uses: _Uses, returns: _Returns) -> bool:
    """Whether the view runs at most once although the wrapper calls it in several places: each
    call but the last (in the order written) is returned at once (`if not enabled: return
    view(*args, **kwargs)`), and the last is in no loop. Without a loop around it, code runs in
    the order it is written, so the last call runs only where no returned call ran before it.
    Or each call is in another arm of an `if` than every other call, and none in a loop."""
    returned = {id(r.value) for r in returns.plain_view_returns}
    last = uses.view_calls[-1]
    if (all(id(call) in returned for call in uses.view_calls[:-1])
            and id(last) not in returned and not any(c is last for c in uses.looped_calls)):
        return True
    # alerta's `jsonp`: `if callback: data = view(*args, **kwargs).data ...` and
    # `else: return view(*args, **kwargs)`: calls in different arms of one `if`, none in a
    # loop, of which only one runs
    arms = _branch_arms(wrapper, uses.view_calls)
    return not uses.looped_calls and all(
        _exclusive(arms[id(one)], arms[id(other)])
        for index, one in enumerate(uses.view_calls) for other in uses.view_calls[index + 1:])


def _branch_arms(root: cst.CSTNode, calls: Sequence[cst.Call]
                 ) -> dict[int, tuple[tuple[int, int], ...]]:
    """For each of `calls`, the arms of `if` statements and conditional expressions it is in:
    (the branch's id, 0 for its body, 1 for its `else`/`elif`), outermost first."""
    wanted = {id(call) for call in calls}
    found: dict[int, tuple[tuple[int, int], ...]] = {}

    def walk(node: cst.CSTNode, arms: tuple[tuple[int, int], ...]) -> None:
        if id(node) in wanted:
            found[id(node)] = arms
        if isinstance(node, (cst.If, cst.IfExp)):
            walk(node.test, arms)
            walk(node.body, (*arms, (id(node), 0)))
            if node.orelse is not None:
                walk(node.orelse, (*arms, (id(node), 1)))
            return
        for child in node.children:
            walk(child, arms)

    walk(root, ())
    return found


def _exclusive(one: tuple[tuple[int, int], ...], other: tuple[tuple[int, int], ...]) -> bool:
    """Whether two places are in different arms of one branch: never both run."""
    arms = dict(one)
    return any(branch in arms and arms[branch] != arm for branch, arm in other)


class _Returns(cst.CSTVisitor):
    """Counts the `return` statements, and finds those that return one of `view_calls` as it
    is, outside any try or with block (whose handlers or exit could act on the view's answer
    or its exception)."""

    def __init__(self, view_calls: Sequence[cst.Call]) -> None:
        self.view_calls = view_calls
        self.count = 0
        self.plain_view_returns: list[cst.Return] = []
        self.enclosing = 0  # try / with blocks around the current node

    def _enter(self, node: cst.CSTNode) -> bool:
        self.enclosing += 1
        return True

    def _leave(self, node: cst.CSTNode) -> None:
        self.enclosing -= 1

    visit_Try = visit_TryStar = visit_With = _enter
    leave_Try = leave_TryStar = leave_With = _leave

    def visit_Return(self, node: cst.Return) -> None:
        self.count += 1
        if not self.enclosing and any(node.value is call for call in self.view_calls):
            self.plain_view_returns.append(node)


# Calls a wrapper may make before calling the view without any effect a client could see.
PURE_CALLS = frozenset({
    "time.perf_counter", "time.perf_counter_ns", "time.monotonic", "time.monotonic_ns",
    "time.time", "time.time_ns", "time.process_time", "time.process_time_ns",
})


def _pure(node: cst.BaseExpression, qualify: Callable[[str], str | None]) -> bool:
    """A value that neither does nor reads anything a guard could change: a literal, or a call
    of PURE_CALLS with literal arguments (`time.perf_counter()`). Reading `g` or the request is
    not pure here: a guard lifted before this statement could have changed what it reads."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    if isinstance(node, cst.Call):
        dotted = dotted_name(node.func)
        return dotted is not None and qualify(dotted) in PURE_CALLS and all(
            arg.star == "" and _pure(arg.value, qualify) for arg in node.args)
    return False


def _lets_errors_through(body: Sequence[cst.BaseStatement], call: cst.Call,
                         qualify: Callable[[str], str | None]) -> bool:
    """True when an exception from the view leaves the wrapper untouched and the wrapper did
    nothing a client could see before calling it: every statement before the one that calls the
    view binds a local name to an effect-free value (`started = time.perf_counter()`), and that
    statement is a plain one at the top of the wrapper (not in a try, with, if or loop) that calls
    the view first (`response = make_response(view(*args, **kwargs))`). Then a guard inside this
    decorator that refuses by raising gives the same answer whether it runs inside or before it."""
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        value = getattr(small, "value", None)
        first = value if value is call else (
            value.args[0].value if isinstance(value, cst.Call) and len(value.args) == 1
            and isinstance(value.func, (cst.Name, cst.Attribute)) else None)
        if first is call and isinstance(small, (cst.Assign, cst.Return, cst.Expr)) and (
                not isinstance(small, cst.Assign) or all(
                    isinstance(t.target, cst.Name) for t in small.targets)):
            return True
        if not (isinstance(small, cst.Assign) and all(
                isinstance(t.target, cst.Name) for t in small.targets)
                and _pure(small.value, qualify)):
            return False
    return False


def _headers_read(body: cst.BaseSuite, qualify: Callable[[str], str | None]) -> list[str]:
    """Header names a guard reads as `request.headers.get("X")` or `request.headers["X"]`."""
    found: list[str] = []

    class Reads(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            dotted = dotted_name(node.func)
            if dotted and qualify(dotted) == "flask.request.headers.get" and node.args:
                _add(node.args[0].value)

        def visit_Subscript(self, node: cst.Subscript) -> None:
            dotted = dotted_name(node.value)
            if dotted and qualify(dotted) == "flask.request.headers" and len(node.slice) == 1:
                index = node.slice[0].slice
                if isinstance(index, cst.Index):
                    _add(index.value)

    def _add(node: cst.BaseExpression) -> None:
        try:
            name = literal_value(node) if isinstance(node, cst.SimpleString) else None
        except ValueError:
            name = None
        if isinstance(name, str) and name.lower() not in (f.lower() for f in found):
            found.append(name)

    body.visit(Reads())
    return found


# Attributes of a view function Flask reads where the rule is added (`add_url_rule`: the methods,
# the OPTIONS answer, the endpoint's name) or that name it: a decorator setting one changes the
# rule, not only the function.
RULE_ATTRIBUTES = frozenset({"methods", "required_methods", "provide_automatic_options",
                             "__name__", "__qualname__", "__module__", "__wrapped__",
                             "view_class", "__call__", "__code__"})


def returns_view(node: cst.FunctionDef) -> bool:
    """Whether `node` is a view decorator that returns the view itself, after at most setting
    attributes of it to values that do not read it (aw-server's `copy_doc`: `f.__doc__ =
    api_method.__doc__; return f`): the view Flask runs is the function as written. An attribute
    Flask reads where the rule is added (`f.methods = [...]`) does not count."""
    params = node.params
    if node.asynchronous is not None or node.decorators or len(params.params) != 1 \
            or params.posonly_params or params.kwonly_params or params.star_kwarg is not None \
            or isinstance(params.star_arg, cst.Param) or params.params[0].default is not None \
            or not isinstance(node.body, cst.IndentedBlock):
        return False
    view = params.params[0].name.value
    statements = list(node.body.body)
    if statements and is_docstring(statements[0]):
        statements = statements[1:]
    if not statements:
        return False
    *setting, last = statements
    if not (isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1
            and isinstance(last.body[0], cst.Return)
            and isinstance(last.body[0].value, cst.Name) and last.body[0].value.value == view):
        return False
    for statement in setting:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Pass):
                continue
            if not isinstance(small, cst.Assign) or name_uses(small.value, view):
                return False
            for target in small.targets:
                attribute = target.target
                if not (isinstance(attribute, cst.Attribute)
                        and isinstance(attribute.value, cst.Name)
                        and attribute.value.value == view
                        and attribute.attr.value not in RULE_ATTRIBUTES):
                    return False
    return True


def read_class_wrapper(node: cst.ClassDef, qualify: Callable[[str], str | None]
                       ) -> WrapperShape | None:
    """The shape of a class used bare as a view decorator (knowledge-repo's `@PageView.logged`):
    Flask calls `Logged(view)`, whose `__init__(self, route, extractor=None)` stores the view on
    the instance (`self._route = route`), and registers the instance, whose `__call__(self, *args,
    **kwargs)` is the wrapper, with `self._route` as the view. None for a class without both
    methods of its own. Unread where another method reaches the view (only `__getattr__`'s
    `getattr(self._route, name)` and name reads such as `self._route.__name__` do not call it)
    or uses the instance other than through its attributes (but `return self`), and where a
    base class, a decorator or `__get__` / `__new__` could change what the instance is."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    methods = {s.name.value: s for s in body if isinstance(s, cst.FunctionDef)}
    init, call = methods.get("__init__"), methods.get("__call__")
    if init is None or call is None:
        return None
    if node.decorators or any(dotted_name(base.value) != "object" for base in node.bases) \
            or node.keywords:
        return WrapperShape("unread", "its class has a base class or a decorator")
    if "__get__" in methods or "__new__" in methods:
        return WrapperShape("unread", "its class defines `__get__` or `__new__`")
    attribute = _stored_view(init)
    if attribute is None:
        return WrapperShape("unread", "its `__init__` does not take the view alone and store "
                                      "it in one attribute (`self.view = view`)")
    if not call.params.params or call.decorators:
        return WrapperShape("unread", "its `__call__` is not a plain method")
    for name, method in methods.items():
        if name not in ("__init__", "__call__") and _reaches_view(method, attribute):
            return WrapperShape("unread", f"its method `{name}` uses the view or the instance "
                                          "holding it")
    holder = call.params.params[0].name.value
    return read_wrapper(call, f"{holder}.{attribute}", qualify, view_parameter=True)


def _stored_view(init: cst.FunctionDef) -> str | None:
    """The attribute `__init__(self, view, other=None)` stores the view in (`self.view = view`,
    once, in its own body), the view read nowhere else but for its name (`update_wrapper(self,
    view)`, `view.__name__`); None otherwise, and where a parameter after the view has no
    default (Flask's call gives it none)."""
    params = init.params
    if len(params.params) < 2 or params.posonly_params or init.decorators \
            or any(p.default is None for p in (*params.params[2:], *params.kwonly_params)):
        return None
    instance, view = params.params[0].name.value, params.params[1].name.value
    statements = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    stored = [target.target.attr.value for statement in statements
              if isinstance(statement, cst.SimpleStatementLine)
              for small in statement.body if isinstance(small, cst.Assign)
              and isinstance(small.value, cst.Name) and small.value.value == view
              for target in small.targets
              if isinstance(target.target, cst.Attribute)
              and isinstance(target.target.value, cst.Name)
              and target.target.value.value == instance]
    if len(stored) != 1:
        return None
    reads = _NameReads(view)
    init.body.visit(reads)
    return stored[0] if name_uses(init.body, view) == 1 + reads.count else None


class _NameReads(cst.CSTVisitor):
    """The uses of `view` that only read its name: `view.__name__`, `update_wrapper(self,
    view)`, `wraps(view)(self)`."""

    def __init__(self, view: str) -> None:
        self.view = view
        self.count = 0

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == self.view \
                and node.attr.value in NAME_ATTRIBUTES:
            self.count += 1

    def visit_Call(self, node: cst.Call) -> None:
        called = (dotted_name(node.func) or "").rsplit(".", 1)[-1]
        position = {"update_wrapper": 1, "wraps": 0}.get(called)
        if position is not None and len(node.args) > position \
                and isinstance(node.args[position].value, cst.Name) \
                and node.args[position].value.value == self.view:
            self.count += 1


def _reaches_view(method: cst.FunctionDef, attribute: str) -> bool:
    """Whether a method other than `__init__` and `__call__` may call the view the instance
    holds in `attribute`, or hand on the instance: it reads `self.<attribute>` other than for
    its name (`__getattr__` may return `getattr(self.<attribute>, name)`), or uses `self` bare
    other than in `return self`. A static or class method reads no instance."""
    decorators = [dotted_name(d.decorator) for d in method.decorators]
    if decorators in (["staticmethod"], ["classmethod"]):
        return False
    if decorators or not method.params.params:
        return True  # (a property, a cached value: what it is called on is not read here)
    instance = method.params.params[0].name.value
    uses = _InstanceUses(instance, attribute, method.name.value == "__getattr__")
    method.body.visit(uses)
    return uses.reaches


class _InstanceUses(cst.CSTVisitor):
    def __init__(self, instance: str, attribute: str, delegates: bool) -> None:
        self.instance, self.attribute, self.delegates = instance, attribute, delegates
        self.reaches = False

    def _is_view(self, node: cst.BaseExpression) -> bool:
        return dotted_name(node) == f"{self.instance}.{self.attribute}"

    def visit_Return(self, node: cst.Return) -> bool:
        # `return self`: a builder's method (`logged.object_extractor(f)`)
        return not (isinstance(node.value, cst.Name) and node.value.value == self.instance)

    def visit_Call(self, node: cst.Call) -> bool:
        if self.delegates and dotted_name(node.func) == "getattr" and node.args \
                and self._is_view(node.args[0].value):
            for argument in node.args[1:]:
                argument.visit(self)
            return False
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self._is_view(node.value) and node.attr.value in NAME_ATTRIBUTES:
            return False
        if self._is_view(node):
            self.reaches = True
            return False
        if isinstance(node.value, cst.Name) and node.value.value == self.instance:
            return False  # another attribute of the instance
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.instance:
            self.reaches = True
