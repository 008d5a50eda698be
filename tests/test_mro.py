"""The scan's method resolution order (migrator/scan/mro.py) is Python's: for random class
hierarchies, `c3_linearization` gives each class's `__mro__`, and None exactly where Python
refuses to make the class."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.scan.mro import c3_linearization

#: class i's bases: some of the classes before it, in a drawn order
hierarchies = st.integers(min_value=1, max_value=7).flatmap(lambda size: st.tuples(*[
    st.lists(st.integers(min_value=0, max_value=max(index - 1, 0)), max_size=3).map(
        lambda bases, index=index: bases if index else [])
    for index in range(size)]))


@settings(max_examples=400, deadline=None)
@given(hierarchies)
def test_the_order_is_pythons(bases: tuple[list[int], ...]) -> None:
    made: dict[int, type] = {}
    for index, written in enumerate(bases):
        if all(b in made for b in written):  # (else a base could not be made)
            try:
                made[index] = type(f"C{index}", tuple(made[b] for b in written), {})
            except TypeError:  # duplicate base, or no consistent order: Python refuses it
                pass
    for index in range(len(bases)):
        order = c3_linearization(index, lambda node: bases[node], lambda node: node)
        if index in made:
            assert order is not None
            assert [f"C{node}" for node in order] == [
                klass.__name__ for klass in made[index].__mro__[:-1]]  # `object` left out
        elif all(b in made for b in bases[index]):
            assert order is None  # Python refused this very class


def test_a_diamond_is_not_walked_depth_first() -> None:
    bases = {"D": ["B", "C"], "B": ["A"], "C": ["A"], "A": []}
    assert c3_linearization("D", bases.__getitem__, str) == ["D", "B", "C", "A"]


def test_a_cycle_has_no_order() -> None:
    bases = {"A": ["B"], "B": ["A"]}
    assert c3_linearization("A", bases.__getitem__, str) is None
