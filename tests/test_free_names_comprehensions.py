"""The names a view reads from its module, where a comprehension has more than one `for`.

LibCST's scope analysis leaves a read of a later `for`'s target without a referent in that
`for`'s own `if`s and in the `for`s after it: in moin 2.0's

    subitem_names = [y for x in subitems for y in x.meta[NAME] if y.startswith(item_names)]

the `y` after `if` looked like a name of the module. The converter then kept such a view on
Flask ("y is not defined at the top level of ..."), or, in a module that binds names by
`import *` (moin's views), wrote `from ...views import y` into the router. `free_names` now
applies Python's rule: a `for`'s target is seen by its `if`s, by the `for`s after it and by the
element, not by its own iterable (the first one is evaluated outside the comprehension).

Two bindings LibCST does not see at all make a name the view's own, as Python does: a walrus
in a comprehension (`[(last := x) for x in s]` binds `last` in the view, PEP 572) and the
captures of a `match` statement (`case {"kind": kind, **rest}:`); the keyword of a class pattern
(`x` in `case Point(x=px):`) names an attribute, and is read of no variable.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods.base import free_names
from tests.example_support import assert_answered_alike, converted_snippet


@pytest.mark.parametrize(("expression", "free"), [
    ("[y for x in s for y in x if y]", ["s"]),
    ("{y: z for x in s for y in x for z in y if z}", ["s"]),
    ("(y for x in s for y in x if y.startswith(p))", ["p", "s"]),
    ("[(a, b) for a, (b, *c) in s for d in c if d and b]", ["s"]),
    ("[y for x in s for y in x if (lambda: y)()]", ["s"]),
    ("[[z for z in y if z] for x in s for y in x]", ["s"]),
    # what the comprehension does not bind where it is read stays free
    ("[x for x in x]", ["x"]),
    ("[y for x in y for y in x]", ["y"]),
    ("[x.a for x.a in s]", ["s", "x"]),
])
def test_a_later_for_s_target_is_bound_where_python_binds_it(expression: str,
                                                             free: list[str]) -> None:
    function = cst.parse_module(f"def view():\n    return {expression}\n").body[0]
    assert isinstance(function, cst.FunctionDef)
    assert free_names(function) == free


SHOP = '''
from flask import Flask, request

app = Flask(__name__)

ITEMS = [{"tags": ["red", "round"]}, {"tags": ["blue", "rough", "square"]}]


@app.route("/tags")
def tags():
    """Tags starting with the prefix asked for."""
    prefix = request.args.get("prefix", "r")
    found = [y for x in ITEMS for y in x["tags"] if y.startswith(prefix)]
    return {"tags": found}
'''


def test_a_view_with_such_a_comprehension_converts(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "shop", SHOP, "shop_fastapi") as (result, out, _):
        assert [view.route.endpoint for view in result.converted] == ["tags"]
        router = (out / "routers" / "app_routes.py").read_text()
        assert "from shop import ITEMS\n" in router
        import shop
        from shop_fastapi.main import create_app
        from starlette.testclient import TestClient

        with TestClient(create_app(shop.app)) as client:
            assert_answered_alike(shop.app.test_client(), client, [
                ("GET", "/tags"), ("GET", "/tags?prefix=ro"), ("GET", "/tags?prefix=b")])


@pytest.mark.parametrize(("body", "free"), [
    # a walrus in a comprehension binds its name in the view (PEP 572), which LibCST does not see
    ("[(last := x) for x in s]\n    return last", ["s"]),
    ("if any((hit := x) > limit for x in s):\n        return hit\n    return None",
     ["limit", "s"]),
    # a `match` binds its captures in the view; a class pattern's keyword is an attribute name
    (("match p:\n        case {'a': a, **rest}:\n            return a, rest\n"
     "        case [b, *cs]:\n            return b, cs\n"
     "        case Point(x=px) as whole:\n            return px, whole\n"
     "        case Status.OK | None:\n            return None\n    return a"),
     ["Point", "Status", "p"]),
    # what no binding of the view names stays free
    ("[(last := x) for x in s]\n    return other", ["other", "s"]),
])
def test_bindings_libcst_misses_make_a_name_the_view_s_own(body: str, free: list[str]) -> None:
    function = cst.parse_module(f"def view():\n    {body}\n").body[0]
    assert isinstance(function, cst.FunctionDef)
    assert free_names(function) == free


SHAPES = '''
from flask import Flask, request

app = Flask(__name__)
KINDS = ("circle", "square")


@app.route("/describe")
def describe():
    match dict(request.args):
        case {"kind": kind, **rest} if kind in KINDS:
            sizes = [(size := int(value)) for value in rest.values() if value.isdigit()]
            return {"kind": kind, "sizes": sizes, "last": size if sizes else None}
        case {"kind": other}:
            return {"unknown": other}, 400
    return {"kind": None}
'''


def test_a_view_with_a_match_and_a_walrus_converts(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "shapes", SHAPES, "shapes_fastapi") as (result, _, _):
        assert [view.route.endpoint for view in result.converted] == ["describe"]
        import shapes
        from shapes_fastapi.main import create_app
        from starlette.testclient import TestClient

        with TestClient(create_app(shapes.app)) as client:
            assert_answered_alike(shapes.app.test_client(), client, [
                ("GET", "/describe?kind=circle&r=3&x=y&w=5"), ("GET", "/describe?kind=blob"),
                ("GET", "/describe"), ("GET", "/describe?kind=square")])
