"""The order of the endpoints in a generated router: the one in which Starlette reaches the view
Flask would have chosen.

Werkzeug sends a path to the most specific rule (a segment's text before a converter, an `int`
before a string), whatever order the rules were declared in; Starlette to the first route in
order that matches. FastAPI's documentation says as much: declare `/users/me` before
`/users/{user_id}`. So a router keeps the legacy source order, except that of two routes that
share a path, the one Werkzeug prefers goes first. Werkzeug itself is the judge: a path both
rules match is searched for among a few sample values, and a URL map holding the two rules says
which one it picks; where it goes by the declared order, that order stays. A converter the app
registers itself stands in as the regex, weight and part_isolating the scan read from its class
(all Werkzeug reads to order rules). Pairs it cannot judge (a converter the scan could not read,
no shared path among the samples) keep their source order.
Pairs are judged one at a time: in a larger set, Werkzeug may break a tie between converters of
equal weight (a string and a UUID) by how its state machine groups the rules. For whatever an
order cannot settle (that, or a rule left on Flask), the generated app's `LegacyShortcut` sends
the path to the legacy app at run time.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import re
from collections.abc import Sequence

from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, MapAdapter, RoutingException, Rule

from migrator.model import BUILT_IN_CONVERTERS, RULE_PARAMETER, Route

# Values a converter segment may take in a shared path: a number, a word, a float, a UUID.
SAMPLE_VALUES = ("1", "a", "1.5", "-1", "12345678-1234-1234-1234-123456789abc")
MAX_SAMPLE_PATHS = 64

#: A rule's segment: its text (None if it holds a converter), an expression that matches at
#: least what the segment matches, whether a converter in it spans segments (`path`), and
#: sample values for it (each converter replaced by each sample value).
Segment = tuple["str | None", str, bool, tuple[str, ...]]


@functools.lru_cache(maxsize=4096)
def _shape(rule: str) -> tuple[tuple[Segment, ...], re.Pattern[str]]:
    """A rule's segments, and an expression for the whole rule matching at least its paths (a
    converter with arguments may match less than its class's expression: `[^/]+` stands for
    it)."""
    segments: list[Segment] = []
    for part in rule.split("/"):
        pieces, position, spans = [], 0, False
        for found in RULE_PARAMETER.finditer(part):
            converter = Map.default_converters.get(found["converter"] or "default")
            # a custom converter may match anything, slashes included
            part_spans = converter is None or not getattr(converter, "part_isolating", True)
            spans = spans or part_spans
            if converter is None:
                expression = ".*?"
            elif found["args"]:
                expression = "[^/].*?" if part_spans else "[^/]+"
            else:
                expression = converter.regex
            pieces += [re.escape(part[position : found.start()]), f"(?:{expression})"]
            position = found.end()
        pieces.append(re.escape(part[position:]))
        samples = tuple(RULE_PARAMETER.sub(value, part) for value in SAMPLE_VALUES)
        segments.append((part if position == 0 else None, "".join(pieces), spans, samples))
    whole = re.compile("/".join(segment[1] for segment in segments))
    return tuple(segments), whole


def may_match(rule: str, path: str) -> bool:
    """Whether the Werkzeug rule may answer `path`, or redirect it to its trailing slash
    (conservative: a converter with arguments or a custom one counts as matching more)."""
    whole = _shape(rule)[1]
    return bool(whole.fullmatch(path) or whole.fullmatch(path + "/"))


def _sample_paths(first: str, second: str) -> list[str]:
    """Paths both rules may match (by their expressions; Werkzeug has the last word): each
    segment's text where a rule has one, else the sample values both segments take, at most
    MAX_SAMPLE_PATHS of them."""
    (a, a_whole), (b, b_whole) = _shape(first), _shape(second)
    # where a segment spans, it and what follows constrain nothing segment by segment
    free_from = [next((i for i, segment in enumerate(side) if segment[2]), None)
                 for side in (a, b)]
    lengths = {len(a), len(b)}
    if free_from != [None, None]:
        lengths |= set(range(min(lengths), max(lengths) + 2))
    # a segment after a spanning one may fall at any position: the texts of such segments
    # are values to try there (`/c/<path:cid>` and `/c/<path:cid>/items` share `/c/a/items`)
    tails = {segment[0] for side, start in zip((a, b), free_from) if start is not None
             for segment in side[start + 1:] if segment[0] is not None}
    paths: list[str] = []
    for length in sorted(lengths):
        if any(start is None and len(side) != length for side, start in zip((a, b), free_from)):
            continue
        options = []
        for index in range(length):
            here = [side[index] for side, start in zip((a, b), free_from)
                    if index < len(side) and (start is None or index < start)]
            # a spanning converter of the other rule may reach here, and text after it fall here
            spanned = tails if len(here) < 2 else set()
            texts = {segment[0] for segment in here if segment[0] is not None}
            if texts:
                values = sorted(texts)
            elif here:  # `/a/a/<name>` and `/a/<path:p>/items` share `/a/a/items`
                values = sorted({value for segment in here for value in segment[3]} | spanned)
            else:
                values = ["a", *sorted(spanned - {"a"})]
            values = [value for value in values
                      if all(re.fullmatch(segment[1], value) for segment in here)]
            if not values:
                break  # no value both segments take: no shared path of this length
            options.append(values)
        else:
            for parts in itertools.islice(itertools.product(*options), MAX_SAMPLE_PATHS):
                path = "/".join(parts) or "/"
                if a_whole.fullmatch(path) and b_whole.fullmatch(path):
                    paths.append(path)
    return paths


#: The app's own converters two rules name: (name, regex, weight, part_isolating) each.
StandIns = tuple[tuple[str, str, int, bool], ...]


@functools.lru_cache(maxsize=256)
def _stand_in(regex: str, weight: int, part_isolating: bool) -> type[BaseConverter]:
    """A converter Werkzeug matches as it does the app's own class the scan read these from:
    a rule's weight and its state machine read nothing else (its `to_python`, which may refuse
    a value, is for the legacy URL map to run at run time: flask_compat's LegacyShortcut)."""
    return type("StandInConverter", (BaseConverter,),
                {"regex": regex, "weight": weight, "part_isolating": part_isolating})


@functools.lru_cache(maxsize=4096)
def _urls(rules: tuple[tuple[str, str, tuple[str, ...], bool], ...],
          converters: StandIns = ()) -> MapAdapter:
    """A URL map of `rules` (rule, endpoint, methods, strict slashes), bound."""
    return Map([Rule(rule, endpoint=endpoint, methods=list(methods), strict_slashes=strict)
                for rule, endpoint, methods, strict in rules],
               converters={name: _stand_in(*traits) for name, *traits in converters},
               ).bind("localhost")


def _stand_ins(routes: Sequence[Route]) -> StandIns | None:
    """The converters the routes' rules name that the app registers (or replaces), for the
    stand-ins of a URL map; None if one cannot be built: the scan did not read its class's
    regex, weight and part_isolating, a rule gives it arguments (which its class may read),
    two classes share its name, or a rule names one that is neither Werkzeug's nor known."""
    found: dict[str, tuple[str, int, bool]] = {}
    for route in routes:
        named = {match["converter"] or "default" for match in RULE_PARAMETER.finditer(route.rule)}
        custom = [parameter for parameter in route.parameters if parameter.custom is not None]
        if not named - BUILT_IN_CONVERTERS <= {parameter.converter for parameter in custom}:
            return None
        for parameter in custom:
            converter = parameter.custom
            assert converter is not None
            if (converter.weight is None or converter.part_isolating is None
                    or parameter.arguments is not None):
                return None
            traits = (converter.regex, converter.weight, converter.part_isolating)
            if found.setdefault(parameter.converter, traits) != traits:
                return None
    return tuple(sorted((name, *traits) for name, traits in found.items()))


def _matches(urls: MapAdapter, path: str, method: str) -> str | None:
    try:
        endpoint, _args = urls.match(path, method)
    except (HTTPException, RoutingException):
        return None
    return str(endpoint)


#: werkzeug_choice's answer when the rule declared first wins: the declared order must stay.
DECLARED_FIRST = "declared first"


def werkzeug_choice(first: Route, second: Route) -> Route | str | None:
    """The route Werkzeug chooses on a path and method both take: `first` or `second` if it
    chooses it whichever was declared first, DECLARED_FIRST if it chooses the one declared
    first, None if no shared path was found or the converters cannot be built."""
    converters = _stand_ins((first, second))
    if converters is None:
        return None  # a converter the app registers (or replaces) that cannot be built
    methods = tuple(sorted(set(first.methods) & set(second.methods)))
    paths = _sample_paths(first.rule, second.rule) if methods else []
    if not paths:
        return None
    one = (first.rule, "first", methods, first.strict_slashes is not False)
    other = (second.rule, "second", methods, second.strict_slashes is not False)
    method = methods[0]
    for path in paths:
        if (_matches(_urls((one,), converters), path, method)
                and _matches(_urls((other,), converters), path, method)):
            choices = {_matches(_urls((one, other), converters), path, method),
                       _matches(_urls((other, one), converters), path, method)}
            if choices == {"first"}:
                return first
            if choices == {"second"}:
                return second
            if None not in choices:
                return DECLARED_FIRST
    return None


def precedence_order(groups: Sequence[Sequence[Route]]) -> list[int]:
    """The positions of `groups` (routes, or the routes of each router) in the order they must
    be tried: their own order, except that a group holding a route Werkzeug chooses over a
    route of another group, on a path both take, comes before it (where Werkzeug goes by the
    declared order, that order stays). If the choices contradict each other, their own
    order."""
    before: dict[int, set[int]] = {index: set() for index in range(len(groups))}  # must follow
    for one, other in itertools.combinations(range(len(groups)), 2):
        for first, second in itertools.product(groups[one], groups[other]):
            # the same rule (one view per method): Flask tries them in the declared order
            chosen = DECLARED_FIRST if first.rule == second.rule else werkzeug_choice(first, second)
            if chosen is first or chosen == DECLARED_FIRST:
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
