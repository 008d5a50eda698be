"""A loop that wraps a name in each item of a list, in order (zou's
`configure_api_from_blueprint`):

    view_func = resource.as_view(resource.__name__)
    for decorator in decorators or []:
        view_func = decorator(view_func)

After it, `view_func` is the last item's wrapper around ... the first item's wrapper around the
view, as `@last ... @first` written above a `def` make it. The linker reads it so where it knows
the list's items (`Linker.wrapping_loop_items`); here only the loop's shape is checked: its body
runs each of its statements once per item, in order (simple statements only: no `break`,
`continue`, `return`, `raise`, no nested block), binds the name once, as `name = item(name)`,
and does not rebind the loop variable.
"""

from __future__ import annotations

import libcst as cst

from migrator.scan.memo import bound_names

ENDING_A_TURN = (cst.Break, cst.Continue, cst.Return, cst.Raise, cst.Global, cst.Nonlocal, cst.Del)


def wrapping_loop(node: cst.For) -> tuple[str, str] | None:
    """(loop variable, wrapped name) when `node` is such a loop, else None."""
    if node.orelse is not None or node.asynchronous is not None \
            or not isinstance(node.target, cst.Name) \
            or not isinstance(node.body, cst.IndentedBlock):
        return None
    variable = node.target.value
    wrapped: str | None = None
    for statement in node.body.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        for small in statement.body:
            if isinstance(small, ENDING_A_TURN):
                return None
            name = _wrapped_in(small, variable)
            if name is not None:
                if wrapped is not None:
                    return None
                wrapped = name
    if wrapped is None:
        return None
    bound = bound_names(node.body)
    if bound.get(wrapped) != 1 or variable in bound:
        return None
    return variable, wrapped


def _wrapped_in(statement: cst.BaseSmallStatement, variable: str) -> str | None:
    """NAME for `NAME = variable(NAME)`, else None."""
    if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
        return None
    target, call = statement.targets[0].target, statement.value
    if not (isinstance(target, cst.Name) and isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name) and call.func.value == variable
            and len(call.args) == 1):
        return None
    argument = call.args[0]
    if argument.keyword is not None or argument.star \
            or not isinstance(argument.value, cst.Name) or argument.value.value != target.value:
        return None
    return target.value
