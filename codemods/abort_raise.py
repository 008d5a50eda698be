"""FM004: `abort(404)` -> `raise HTTPException(status_code=404)`; a description becomes `detail`.

The generated app answers an `HTTPException` through the legacy app's error handlers (see
`flask_compat.LegacyBridge`), so the status and body stay what Flask's `abort` produced. An
`abort(response)` or an abort with other arguments is left as it is, and so is one whose code
is not a literal status Werkzeug has an exception for (`abort(599)` is a LookupError, a 500 in
Flask; `abort(resp)` may be a response), or an `http.HTTPStatus` member; and so is every abort the
rewrite could change the meaning of: one inside a `try` (its `except NotFound:` or
`except HTTPException:` catches Werkzeug's exceptions, not FastAPI's), and all of them in a view
that itself reads a name `HTTPException` (Werkzeug's: FastAPI's would hide it) or that a
decorator stays around without letting its errors through untouched (FM022 with a `try`:
`except NotFound:` around the view). `abort()` still works there: the view runs inside the
legacy request context.
"""

from __future__ import annotations

import http

import libcst as cst
from werkzeug.exceptions import default_exceptions

from codemods.base import ViewCodemod, free_names


class AbortRaise(ViewCodemod):
    RULE_ID = "FM004"
    SUMMARY = "abort(code[, description]) -> raise HTTPException(status_code=code, detail=...)"

    def on_view(self, node: cst.FunctionDef) -> None:
        # Werkzeug's HTTPException is read by the view itself, or may be by a decorator around it
        _answer, errors_seen = self.context.seen_by_decorators(node)
        self.reads_http_exception = errors_seen or "HTTPException" in free_names(node)
        self.tries = 0

    def visit_Try(self, node: cst.Try) -> None:
        self.tries += 1

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        self.tries -= 1
        return updated_node

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self.tries += 1

    def leave_TryStar(self, original_node: cst.TryStar, updated_node: cst.TryStar) -> cst.TryStar:
        self.tries -= 1
        return updated_node

    def leave_Expr(
        self, original_node: cst.Expr, updated_node: cst.Expr
    ) -> cst.Expr | cst.Raise:
        call = updated_node.value
        if not isinstance(call, cst.Call) or not self.context.is_flask(call.func, "abort"):
            return updated_node
        if self.tries or self.reads_http_exception:
            return updated_node
        args = list(call.args)
        if not args or args[0].keyword is not None or args[0].star:
            return updated_node
        code = args[0].value
        if self.status_code(code) not in default_exceptions:
            # abort(response): the Response is the answer; an unknown code: Flask's LookupError
            return updated_node
        detail = None
        for arg in args[1:]:
            if arg.star:
                return updated_node
            positional_description = arg.keyword is None and detail is None
            keyword_description = arg.keyword is not None and arg.keyword.value == "description"
            if not (positional_description or keyword_description):
                return updated_node
            detail = arg.value
        new_args = [cst.Arg(code, keyword=cst.Name("status_code"),
                            equal=cst.AssignEqual(cst.SimpleWhitespace(""),
                                                  cst.SimpleWhitespace("")))]
        if detail is not None:
            new_args.append(cst.Arg(detail, keyword=cst.Name("detail"),
                                    equal=cst.AssignEqual(cst.SimpleWhitespace(""),
                                                          cst.SimpleWhitespace(""))))
        self.changed()
        self.context.imports.add(("fastapi", "HTTPException"))
        return cst.Raise(exc=cst.Call(cst.Name("HTTPException"), new_args),
                         semicolon=updated_node.semicolon)

    def status_code(self, node: cst.BaseExpression) -> int | None:
        """The status an `abort` argument certainly is: an integer literal or a member of
        `http.HTTPStatus`; None for anything else (a name may hold a response)."""
        if isinstance(node, cst.Integer):
            return int(node.evaluated_value)
        qualified = self.context.qualified(node)
        if qualified is not None and qualified.startswith("http.HTTPStatus."):
            member = getattr(http.HTTPStatus, qualified.rsplit(".", 1)[-1], None)
            return int(member) if isinstance(member, http.HTTPStatus) else None
        return None
