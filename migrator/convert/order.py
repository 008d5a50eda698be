"""The order of the endpoints in a generated router: the one in which Starlette reaches the view
Flask would have chosen.

Werkzeug sends a path to the most specific rule (a segment's text before a converter, an `int`
before a string), whatever order the rules were declared in; Starlette to the first route in
order that matches. FastAPI's documentation says as much: declare `/users/me` before
`/users/{user_id}`. So a router keeps the legacy source order, except that of two routes that
share a path, the one Werkzeug prefers goes first. Werkzeug itself is the judge: a path both
rules match is searched for among a few sample values, and a URL map holding the two rules says
which one it picks. Pairs it cannot judge (a converter the scan cannot build, a choice that
depends on the rules' order, no shared path found) keep their source order; the generated app's
`LegacyShortcut` still sends any path Flask would route elsewhere to the legacy app at run time.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RoutingException, Rule

from migrator.model import RULE_PARAMETER, Route

# Values a converter segment may take in a shared path: a number, a word, a float, a UUID.
SAMPLE_VALUES = ("1", "a", "1.5", "-1", "12345678-1234-1234-1234-123456789abc")
MAX_SAMPLE_PATHS = 256
BUILT_IN_CONVERTERS = frozenset(Map.default_converters)


def _segments(rule: str) -> list[tuple[str | None, bool]]:
    """Each segment of a rule: its text (None if it holds a converter), and whether a
    converter in it may span segments (`path`)."""
    segments = []
    for part in rule.split("/"):
        converters = [found["converter"] or "default" for found in RULE_PARAMETER.finditer(part)]
        segments.append((None if converters else part, "path" in converters))
    return segments


def _sample_paths(first: str, second: str) -> list[str]:
    """Paths that may match both rules: each segment's text where a rule has one, else the
    sample values (bounded)."""
    a, b = _segments(first), _segments(second)
    lengths = {len(a), len(b)}
    if any(spans for _text, spans in a + b):
        lengths |= set(range(min(lengths), max(lengths) + 2))
    paths: list[str] = []
    for length in sorted(lengths):
        options = []
        for index in range(length):
            texts = {seg[index][0] for seg in (a, b) if index < len(seg) and seg[index][0] is not None}
            if len(texts) > 1:
                break  # two different texts at the same place: no shared path of this length
            options.append(sorted(texts) or list(SAMPLE_VALUES))
        else:
            for parts in itertools.islice(itertools.product(*options), MAX_SAMPLE_PATHS):
                paths.append("/".join(parts) or "/")
    return paths


def _matches(urls: object, path: str, method: str) -> str | None:
    try:
        endpoint, _args = urls.match(path, method)  # type: ignore[attr-defined]
    except (HTTPException, RoutingException):
        return None
    return endpoint


def werkzeug_choice(first: Route, second: Route) -> Route | None:
    """The route Werkzeug chooses, whichever was declared first, on a path and method both
    take: `first`, `second`, or None (no shared path found, or a choice it cannot judge)."""
    names = {found["converter"] or "default"
             for rule in (first.rule, second.rule) for found in RULE_PARAMETER.finditer(rule)}
    if not names <= BUILT_IN_CONVERTERS:
        return None  # a custom converter: the scan cannot build it
    methods = sorted(set(first.methods) & set(second.methods))
    paths = _sample_paths(first.rule, second.rule) if methods else []
    if not paths:
        return None

    def rule(route: Route, endpoint: str) -> Rule:
        return Rule(route.rule, endpoint=endpoint, methods=methods,
                    strict_slashes=route.strict_slashes is not False)

    alone = [Map([rule(first, "first")]).bind("localhost"),
             Map([rule(second, "second")]).bind("localhost")]
    both = [Map([rule(first, "first"), rule(second, "second")]).bind("localhost"),
            Map([rule(second, "second"), rule(first, "first")]).bind("localhost")]
    method = methods[0]
    for path in paths:
        if all(_matches(urls, path, method) for urls in alone):
            choices = {_matches(urls, path, method) for urls in both}
            if choices == {"first"}:
                return first
            if choices == {"second"}:
                return second
    return None


def precedence_order(groups: Sequence[Sequence[Route]]) -> list[int]:
    """The positions of `groups` (routes, or the routes of each router) in the order they must
    be tried: their own order, except that a group holding a route Werkzeug chooses over a
    route of another group, on a path both take, comes before it. If the choices contradict
    each other, their own order."""
    before: dict[int, set[int]] = {index: set() for index in range(len(groups))}  # must follow
    for one, other in itertools.combinations(range(len(groups)), 2):
        for first, second in itertools.product(groups[one], groups[other]):
            if first.rule == second.rule:
                continue  # the same rule (one view per method): Flask tries them in order
            chosen = werkzeug_choice(first, second)
            if chosen is first:
                before[other].add(one)
            elif chosen is second:
                before[one].add(other)
    # Kahn's algorithm, taking the earliest group among those free to go.
    waiting = {index: len(needs) for index, needs in before.items()}
    followers: dict[int, list[int]] = {index: [] for index in before}
    for index, needs in before.items():
        for need in needs:
            followers[need].append(index)
    ready = [index for index, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        index = heapq.heappop(ready)
        order.append(index)
        for follower in followers[index]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                heapq.heappush(ready, follower)
    if len(order) != len(groups):  # contradicting choices: keep the given order
        return list(range(len(groups)))
    return order
