"""The rules Flask-Classful makes from a `FlaskView` subclass's methods, as its `register` does.

`QuotesView.register(app)` adds one rule per public method: `index` and `post` on the class's
route base, `get`, `put`, `patch` and `delete` on the base and the method's arguments, any other
method on `/<name>/` and its arguments, and the rules of `@route(...)` as written; each under
the endpoint `<Class>:<method>`. These are the pure parts of that (flask_classful 0.16.0's
`register`, `build_rule`, `get_route_base`), for the linker to feed with what the class and the
call say (`Linker.collect_classful_register`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FLASK_VIEW = "flask_classful.FlaskView"
ROUTE_DECORATOR = "flask_classful.route"
METHOD_DECORATOR = "flask_classful.method"

SPECIAL_METHODS = {"get": ["GET"], "put": ["PUT"], "patch": ["PATCH"], "post": ["POST"],
                   "delete": ["DELETE"], "index": ["GET"]}
# FlaskView's own members: never routes (`get_interesting_members` skips `dir(FlaskView)`)
FLASK_VIEW_MEMBERS = frozenset({
    "decorators", "representations", "route_base", "route_prefix", "trailing_slash",
    "base_args", "excluded_methods", "method_dashified", "special_methods", "type_hints",
    "register", "parse_options", "make_proxy_method", "build_rule", "get_route_base",
    "default_route_base", "build_route_name"})
# the annotations FlaskView.type_hints turns into converters (`id: int` -> `<int:id>`)
TYPE_HINT_CONVERTERS = {"str": "string", "int": "int", "float": "float", "uuid.UUID": "uuid"}
# `register`'s parameters after the app, in order (the rest are the rules' options)
REGISTER_PARAMETERS = ("route_base", "subdomain", "route_prefix", "trailing_slash",
                       "method_dashified", "base_class", "init_argument")
# class attributes that change the rules in ways not read here
UNREAD_ATTRIBUTES = ("special_methods", "type_hints", "build_rule", "get_route_base",
                     "default_route_base", "build_route_name", "register")

_RULE_ARGUMENT = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def is_routed(name: str, excluded: list[str]) -> bool:
    """Whether `register` makes rules for the class's function `name`."""
    return not (name in FLASK_VIEW_MEMBERS or name.startswith(("_", "before_", "after_"))
                or name in excluded)


def dashify_uppercase(name: str) -> str:
    """`somethingWithUppercase` -> `something-with-uppercase` (flask_classful's)."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1-\2", name)
    return re.sub("([a-z0-9])([A-Z])", r"\1-\2", name).lower()


def route_base(class_name: str, declared: str | None) -> tuple[str, list[str]]:
    """The route base, without slashes at either end, and the rule arguments it holds (which
    the methods then take from it, not from their own rule parts)."""
    if declared is None:
        return dashify_uppercase(class_name.removesuffix("View")), []
    base = declared if declared.startswith("/") else "/" + declared
    return base.strip("/"), _RULE_ARGUMENT.findall(base)


def build_rule(prefix: str | None, base: str, rule: str, arguments: list[str]) -> str:
    """`build_rule`: the prefix, the base, the rule, then a part per argument, slashes
    between them collapsed."""
    parts = [part for part in (prefix, base) if part]
    if rule:
        parts.append(rule)
    parts.extend(arguments)
    return re.sub(r"(/)\1+", r"\1", "/" + "/".join(parts))


def with_trailing_slash(rule: str, trailing_slash: object, special: bool) -> str:
    """What `register` does to the end of a special method's or a named method's rule."""
    if special and not trailing_slash and rule != "/":
        return rule.rstrip("/")
    if trailing_slash is True and not rule.endswith("/"):
        return rule + "/"
    return rule


@dataclass
class Registration:
    """What one `register` call builds every rule with: the class's attributes, overridden by
    the call's arguments."""

    class_name: str
    prefix: str | None
    base: str
    trailing_slash: object = True
    dashified: bool = False
    default_methods: list[str] = field(default_factory=lambda: ["GET"])
    rule_options: dict[str, object] = field(default_factory=dict)  # `**rule_options`


def method_rules(registration: Registration, name: str,
                 routes: list[tuple[str, dict[str, object]]], http_methods: list[str],
                 arguments: list[str]) -> list[tuple[str, dict[str, object], str]]:
    """The rules, options and endpoints `register` adds for the method `name`: its `@route`
    rules (`routes`, bottom decorator first), else a special method's, else `/<name>/`'s
    (`arguments`: the rule parts of the method's arguments)."""
    endpoint = f"{registration.class_name}:{name}"
    options = registration.rule_options
    if routes:
        made = []
        for index, (rule, route_options) in enumerate(routes):
            merged = {**route_options, **options}
            named = merged.pop("endpoint", None) or (
                endpoint if len(routes) == 1 else f"{endpoint}_{index}")
            made.append((build_rule(registration.prefix, registration.base, rule, []), merged,
                         str(named)))
        return made
    if name in SPECIAL_METHODS:
        rule = with_trailing_slash(build_rule(registration.prefix, registration.base, "/",
                                              arguments), registration.trailing_slash, True)
        return [(rule, {"methods": SPECIAL_METHODS[name], **options}, endpoint)]
    shown = name.replace("_", "-") if registration.dashified else name
    rule = f"/{shown}/" if registration.trailing_slash else f"/{shown}"
    rule = with_trailing_slash(build_rule(registration.prefix, registration.base, rule,
                                          arguments), registration.trailing_slash, False)
    return [(rule, {"methods": http_methods or registration.default_methods, **options},
             endpoint)]
