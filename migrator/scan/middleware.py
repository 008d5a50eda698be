"""Read a WSGI middleware class, to say whether converted routes may run it as Flask does.

`app.wsgi_app = PrefixMiddleware(app.wsgi_app, "/db")`: Flask runs the middleware around every
request. A converted route is run by the bridge, not through `wsgi_app`, so it would skip it;
the generated app can run it first instead (flask_compat's `LegacyMiddlewarePass`), but only a
middleware whose whole effect comes before the app and lies in the environ it hands on:

    class PrefixMiddleware:
        def __init__(self, app, prefix):
            self.app = app
            self.prefix = prefix

        def __call__(self, environ, start_response):
            path = environ["PATH_INFO"]
            if path.startswith(self.prefix):
                environ["PATH_INFO"] = path[len(self.prefix):]
                environ["SCRIPT_NAME"] = self.prefix
                return self.app(environ, start_response)
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"URL does not match application prefix."]

That is the shape read here (`passes_on`: the attribute holding the app it calls):

- `__call__(self, environ, start_response)`, a plain `def` (no `yield`, no `await`), defines no
  function or lambda, and the class has no base class but `object` (an inherited `__call__`
  is not read);
- it hands the request on only as `return self.<app>(<environ>, start_response)`, never inside a
  `try` or `with` block, always through the same attribute, which nothing else in the class
  reads or calls (`__init__` sets it): the app's answer goes back untouched, and so does an
  error it raises;
- `start_response` is used only there, or called by a statement of its own (the middleware
  answers by itself);
- `self` is only used to read or set its attributes (it is never handed to a call).

A subclass of one base class that defines no `__init__` may instead hand the request on as
`return super().__call__(environ, start_response)` (klaus's `ProxyFix(WerkzeugProxyFix)`, which
sets `SCRIPT_NAME` from `X-Script-Name` first): it is read as above, and the scan takes it when
the base is one whose effect it knows (`base`, resolved in link.py).

Anything else (the answer wrapped or rewritten, `start_response` wrapped to change headers, an
error caught) is `unread`, with the reason: the app's routes stay on Flask.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from migrator.scan.facts import MiddlewareShape
from migrator.scan.names import dotted_name

# Why a class with a base is unread (a subclass of a base link.py knows is read after all).
_UNREAD_BASE = "it has a base class, whose code is not read"
# Statements and expressions that make a `__call__` unreadable wherever they are.
_UNREAD_NODES: dict[type[cst.CSTNode], str] = {
    cst.Yield: "its __call__ is a generator",
    cst.Await: "its __call__ awaits",
    cst.FunctionDef: "its __call__ defines a function",
    cst.Lambda: "its __call__ defines a lambda",
    cst.ClassDef: "its __call__ defines a class",
    cst.Global: "its __call__ declares a global",
    cst.Nonlocal: "its __call__ declares a nonlocal",
}


class _CallReader(cst.CSTVisitor):
    """Every use of `self` and `start_response` in `__call__`, and the calls handing the request
    on."""

    def __init__(self, self_name: str, start_response: str) -> None:
        self.self_name, self.start_response = self_name, start_response
        self.passes_on: set[str] = set()  # attributes called as `return self.x(environ, sr)`
        self.super_calls = 0  # `return super().__call__(environ, start_response)`
        self.reason: str | None = None
        self.blocks = 0  # try / with blocks around the node being visited
        self.allowed: set[int] = set()  # ids of the names used as allowed
        self.attribute_uses: set[str] = set()  # `self.x` other than handing on

    def unread(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason

    def on_visit(self, node: cst.CSTNode) -> bool:
        for kind, reason in _UNREAD_NODES.items():
            if isinstance(node, kind):
                self.unread(reason)
        return super().on_visit(node)

    def visit_Try(self, node: cst.Try) -> None:
        self.blocks += 1

    def leave_Try(self, original_node: cst.Try) -> None:
        self.blocks -= 1

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self.blocks += 1

    def leave_TryStar(self, original_node: cst.TryStar) -> None:
        self.blocks -= 1

    def visit_With(self, node: cst.With) -> None:
        self.blocks += 1

    def leave_With(self, original_node: cst.With) -> None:
        self.blocks -= 1

    def visit_Return(self, node: cst.Return) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        args = call.args
        if not (len(args) == 2 and all(arg.keyword is None and not arg.star for arg in args)
                and self.is_start_response(args[1].value)):
            return
        if self.is_self(call.func.value):
            self.passes_on.add(call.func.attr.value)
            self.allowed.update({id(call.func.value), id(call.func)})
        elif m.matches(call.func, m.Attribute(value=m.Call(func=m.Name("super"), args=[]),
                                              attr=m.Name("__call__"))):
            self.super_calls += 1
        else:
            return
        if self.blocks:
            self.unread("it calls the app it wraps inside a try or with block")
        self.allowed.add(id(args[1].value))

    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value
        if isinstance(value, cst.Call) and self.is_start_response(value.func):
            self.allowed.add(id(value.func))  # it answers by itself

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.is_self(node.value):
            self.allowed.add(id(node.value))
            if id(node) not in self.allowed:
                self.attribute_uses.add(node.attr.value)

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) in self.allowed:
            return
        if node.value == self.start_response:
            self.unread("its __call__ uses start_response other than to hand it on with the "
                        "request or to answer by itself")
        elif node.value == self.self_name:
            self.unread("its __call__ uses `self` other than to read or set its attributes")

    def is_self(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and node.value == self.self_name

    def is_start_response(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and node.value == self.start_response


class _AttributeReads(cst.CSTVisitor):
    """The `self.<name>` attributes read outside `__init__` and `__call__`."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            self.names.add(node.attr.value)


def read_middleware(node: cst.ClassDef) -> MiddlewareShape | None:
    """How the class `node` works as WSGI middleware; None when it has no `__call__`."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    methods = {statement.name.value: statement for statement in body
               if isinstance(statement, cst.FunctionDef)}
    call = methods.get("__call__")
    if call is None:
        return None
    bases = [arg for arg in node.bases
             if not (isinstance(arg.value, cst.Name) and arg.value.value == "object")]
    base = dotted_name(bases[0].value) if len(bases) == 1 and not bases[0].star else None
    if node.keywords or (bases and (base is None or "__init__" in methods)):
        return MiddlewareShape(None, _UNREAD_BASE)
    if call.asynchronous is not None:
        return MiddlewareShape(None, "its __call__ is `async def`")
    params = call.params
    if (len(params.params) != 3 or params.star_arg not in (cst.MaybeSentinel.DEFAULT, None)
            or params.kwonly_params or params.star_kwarg is not None or params.posonly_params
            or call.decorators):
        return MiddlewareShape(None, "its __call__ does not take just (environ, start_response)")
    self_name, _environ, start_response = (param.name.value for param in params.params)
    reader = _CallReader(self_name, start_response)
    call.body.visit(reader)
    if reader.reason is not None:
        return MiddlewareShape(None, reader.reason)
    if base is not None:
        if reader.super_calls and not reader.passes_on:
            # the base's attribute holding the app: link.py knows it, for a base it knows
            return MiddlewareShape(None, _UNREAD_BASE, base=base)
        return MiddlewareShape(None, _UNREAD_BASE)
    if reader.super_calls:
        return MiddlewareShape(None, "its __call__ hands the request on to `super()`")
    if not reader.passes_on:
        return MiddlewareShape(None, "its __call__ never hands the request on as "
                                     "`return self.app(environ, start_response)`")
    if len(reader.passes_on) > 1:
        return MiddlewareShape(None, "its __call__ hands the request on to more than one app")
    [inner] = reader.passes_on
    if inner in methods:
        # Blazar's RequestLog: `return self._log_app(environ, start_response)`, a method that
        # wraps start_response and then calls the app, is no attribute holding the app
        return MiddlewareShape(None, f"its __call__ hands the request on to its own method "
                                     f"`{inner}`, whose code is not read")
    if inner in reader.attribute_uses:
        return MiddlewareShape(None, f"its __call__ uses `self.{inner}`, the app it wraps, other "
                                     "than to hand the request on")
    others = _AttributeReads()
    for name, method in methods.items():
        if name not in ("__init__", "__call__"):
            method.visit(others)
    if inner in others.names:
        return MiddlewareShape(None, f"another of its methods uses `self.{inner}`, the app it "
                                     "wraps")
    return MiddlewareShape(inner, None)
