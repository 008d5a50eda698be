"""Python's method resolution order (C3 linearisation) over classes the scan knows only by their
bases: the order in which Python looks up a view class's `dispatch_request`, its methods and its
`decorators` when it derives from more than one class (klaus's `IndexView(TreeViewMixin,
ReadmeMixin, BaseRepoView)`), where a depth-first walk of the bases would be wrong as soon as two
bases share an ancestor."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

Node = TypeVar("Node")

#: Deeper hierarchies than this are not linearised (a name that resolves back into its own
#: hierarchy, say): the caller then falls back to what it can say without the order.
MAX_DEPTH = 20


def c3_linearization(root: Node, bases: Callable[[Node], Sequence[Node]],
                     key: Callable[[Node], Hashable]) -> list[Node] | None:
    """`root` and its ancestors in the order Python looks attributes up in them (its `__mro__`),
    given each node's direct bases in the order written; `key` tells two nodes apart. None where
    Python would refuse to make the class (a cycle, a duplicate base, bases in an order no
    linearisation keeps) or the hierarchy is deeper than MAX_DEPTH."""
    known: dict[Hashable, list[Node] | None] = {}

    def linearize(node: Node, depth: int) -> list[Node] | None:
        node_key = key(node)
        if node_key in known:  # (None while it is being linearised: a cycle)
            return known[node_key]
        if depth > MAX_DEPTH:
            return None
        known[node_key] = None
        direct = list(bases(node))
        parents = [linearize(base, depth + 1) for base in direct]
        if any(parent is None for parent in parents):
            return None
        merged = _merge([*parents, direct], key)  # type: ignore[list-item]
        known[node_key] = None if merged is None else [node, *merged]
        return known[node_key]

    return linearize(root, 0)


def _merge(sequences: list[list[Node]], key: Callable[[Node], Hashable]) -> list[Node] | None:
    """C3's merge: repeatedly take the first head of a sequence that is in no sequence's tail."""
    remaining = [[(key(node), node) for node in sequence] for sequence in sequences if sequence]
    merged: list[Node] = []
    while remaining:
        tails = {node_key for sequence in remaining for node_key, _ in sequence[1:]}
        head = next((sequence[0] for sequence in remaining if sequence[0][0] not in tails), None)
        if head is None:
            return None
        merged.append(head[1])
        remaining = [rest for sequence in remaining
                     if (rest := sequence[1:] if sequence[0][0] == head[0] else sequence)]
    return merged
