"""The outcome of an `if` test inside a loop, for one item of the loop (module-build-service's
route table):

    for key, val in api_routes.items():
        if key.startswith("component_build"):
            app.add_url_rule(val["url"], endpoint=key, view_func=component_view, ...)
        elif key == "import_module":
            app.add_url_rule(val["url"], endpoint=key, view_func=import_module, ...)

Each key reaches one `add_url_rule`, the one whose tests hold for it. The extractor keeps such a
test as a `Guard` (a comparison, `not`, `and`, `or` as CallExprs of TEST; a method call as
written); the linker gives `test_outcome` what each name stands for in that turn of the loop
(the item's parts, the constants the scan reads). Only such values are compared, with the few str
methods a route table's keys are tested by; any other test has no known outcome (None), and the
linker says so rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable

from migrator.scan.facts import TEST, CallExpr, Ref, Value

#: What a known value is not: a test of it has no outcome the scan can tell.
NOT_KNOWN = object()

#: str methods a test may call on a known str, with literal arguments.
STR_TESTS = frozenset({"startswith", "endswith", "isidentifier", "isdigit", "islower",
                       "isupper"})


def test_outcome(test: Value, known: Callable[[Value], object]) -> bool | None:
    """Whether `test` is true, where `known` gives the Python value of a Value (NOT_KNOWN when
    it cannot); None when that cannot be told."""
    if isinstance(test, CallExpr) and test.func == TEST:
        operator = test.args[0].value  # type: ignore[union-attr]  # (a Lit: test_value)
        operands = test.args[1:]
        if operator == "not":
            inner = test_outcome(operands[0], known)
            return None if inner is None else not inner
        if operator in ("and", "or"):
            outcomes = [test_outcome(operand, known) for operand in operands]
            decisive = operator == "or"  # a true operand decides `or`, a false one `and`
            if decisive in outcomes:
                return decisive
            return None if None in outcomes else not decisive
        left, right = (known(operand) for operand in operands)
        if left is NOT_KNOWN or right is NOT_KNOWN:
            return None
        try:
            if operator == "==":
                return bool(left == right)
            if operator == "!=":
                return bool(left != right)
            if operator in ("in", "not in") and isinstance(right, (str, tuple, list)):
                return (left in right) == (operator == "in")
        except TypeError:  # `1 in "abc"`: the test raises; no outcome to read
            return None
        return None
    if isinstance(test, CallExpr) and "." in test.func and not test.kwargs:
        owner, _, method = test.func.rpartition(".")
        subject = known(Ref(owner))
        arguments = [known(argument) for argument in test.args]
        if method not in STR_TESTS or not isinstance(subject, str) or NOT_KNOWN in arguments:
            return None
        try:
            return bool(getattr(subject, method)(*arguments))
        except TypeError:  # `key.startswith(1)`: the test raises
            return None
    value = known(test)
    return None if value is NOT_KNOWN else bool(value)
