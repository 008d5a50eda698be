"""The `if` tests of a loop's item, read by the scan (migrator/scan/conditions.py), agree with
Python: for random tests over a loop's str keys, each key's rule is listed where Python's own
evaluation of the test holds, and not where it does not; where the scan cannot evaluate the test
(`len(key) > 2`, `key[:1] == "a"`), the rule is listed and left on Flask (`scan.loop_condition`), never converted
as if the test held."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from migrator.scan import scan_path
from tests.scan_support import write_tree

WORDS = st.sampled_from(["", "a", "ab", "admin", "admin-users", "b", "docs", "x-a"])


def word_list(words: list[str]) -> str:
    return "(" + "".join(f"{word!r}, " for word in words) + ")"


# tests the scan does not evaluate
UNREAD = ["len(key) > 2", "key[:1] == 'a'", "key.upper() == 'A'"]

ATOMS = st.one_of(
    st.builds(lambda word: f"key == {word!r}", WORDS),
    st.builds(lambda word: f"key != {word!r}", WORDS),
    st.builds(lambda words: f"key in {word_list(words)}", st.lists(WORDS, max_size=3)),
    st.builds(lambda words: f"key not in {list(words)!r}", st.lists(WORDS, max_size=3)),
    st.builds(lambda word: f"key.startswith({word!r})", WORDS),
    st.builds(lambda word: f"key.endswith({word!r})", WORDS),
    st.builds(lambda word: f"{word!r} in key", WORDS),
    st.just("key"),
    st.just("HIDDEN_KEY == key"),
    st.sampled_from(UNREAD),
)
TESTS = st.recursive(ATOMS, lambda inner: st.one_of(
    st.builds(lambda test: f"not ({test})", inner),
    st.builds(lambda left, right: f"({left}) and ({right})", inner, inner),
    st.builds(lambda left, right: f"({left}) or ({right})", inner, inner)), max_leaves=4)

KEYS = ["", "a", "admin", "admin-users", "docs", "x-a"]


@settings(max_examples=40, deadline=None)
@given(test=TESTS)
@example(test="len(key) > 2")  # reads `key` in a way the scan does not model
@example(test="key[:1] == 'a' or key == 'docs'")
@example(test="not (key in ('a', 'admin') or key.startswith('x'))")
def test_each_item_reaches_the_rule_where_python_says_the_test_holds(test: str) -> None:
    source = f'''
from flask import Flask

app = Flask(__name__)

HIDDEN_KEY = "docs"


def view():
    return "view"


for key in {KEYS!r}:
    if {test}:
        app.add_url_rule("/page-" + key, endpoint="page-" + key, view_func=view)
'''
    with tempfile.TemporaryDirectory() as folder:
        routes = scan_path(write_tree(Path(folder), {"app.py": source})).routes
    listed = {route.rule: route for route in routes}
    unread = any(atom in test for atom in UNREAD)
    for key in KEYS:
        holds = eval(test, {"key": key, "HIDDEN_KEY": "docs"})  # the test as Python runs it
        route = listed.get("/page-" + key)
        if route is None:
            assert not holds, (test, key)
        elif any(reason.startswith("scan.loop_condition") for reason in route.reasons):
            assert unread, (test, key)
            assert route.status == "manual"
        else:
            assert holds, (test, key)
            assert route.status == "auto"
