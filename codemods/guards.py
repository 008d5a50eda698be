"""FM020 / FM021: guard decorators (auth checks) become route dependencies.

A *guard* is a view decorator whose wrapper checks the request and then calls the view unchanged
(`migrate scan` reads the wrapper and records `shape="guard"`, migrator/scan/wrappers.py):
`require_api_key`, `login_required`, `roles_required("admin")`, `admin_required`, and flask-login's
`login_required` (FM021, known by name). Such a decorator leaves the view and becomes
`dependencies=[Depends(dependencies.require_api_key)]` on the route, defined in the generated package's
`dependencies.py` as a `LegacyGuard` around the legacy decorator: the bridge runs the legacy
check inside the legacy request context, after the `before_request` hooks and before the
endpoint, so every answer (401/403 bodies from the legacy error handlers, the login redirect)
stays byte-identical and what the check sets on `g` is seen by the view.

Order is kept: only the outermost run of guards is lifted (Flask runs decorators outermost
first). A guard below a decorator that works on the response (`@timed` above
`@require_api_key`: the timer also covers the 401) stays a decorator inside the bridge, where
it runs exactly as in Flask. A factory's arguments are kept when they are literals; otherwise
the decorator stays (the router could not be shown to evaluate them the same way).
"""

from __future__ import annotations

import libcst as cst

from codemods.base import GuardUse, ViewCodemod, is_literal
from migrator.convert import schemas
from migrator.model import DecoratorInfo
from migrator.scan.classify import (
    INSTANCE_GUARDS,
    NAME_MARKING_CHECKS,
    NAME_MARKING_DECORATORS,
    NAMED_BY_OWNER_GUARDS,
    VIEW_KEPT_DECORATORS,
    kept_decorator_effect,
)

# The generated package's dependencies.py, imported relative to the package (as FLASK_PARAMS is).
DEPENDENCIES_IMPORT = (".", "dependencies")


# Decisions about view decorators that are not rewrites of their own; `migrate rules` lists them.
DECORATOR_DECISIONS: tuple[tuple[str, str], ...] = (
    ("FM021", ("flask-login's @login_required / @fresh_login_required, flask-httpauth's "
              "@auth.login_required, flask-jwt-extended's @jwt_required(...), flask-principal's "
              "@permission.require(...) -> Depends(...) as FM020")),
    ("FM022", ("decorators that work on the view's response (@timed, @cached) keep running "
              "around the endpoint, inside the bridge, as in Flask")),
    ("FM023", ("a decorator whose wrapper cannot be read (the view called twice "
              "or not at all, async) keeps the route on Flask")),
    ("FM024", ("@csrf.exempt (Flask-WTF), @limiter.exempt (flask-limiter) leave the endpoint: "
              "they mark the legacy view by name, and the check the bridge runs looks up the "
              "legacy view")),
    ("FM025", ("a guard or response decorator that reads or changes the view's arguments stays "
              "around the view, called with the rule's values as Flask calls it (FM028 where "
              "the view takes others); no query, header or cookie parameters are added")),
    ("FM029", ("flask-limiter's @limiter.limit / @limiter.shared_limit, flask-caching's "
              "@cache.cached(...), flask-expects-json's @expects_json(...), flask-smorest's "
              "@blp.arguments/response/paginate/etag, APIFlask's @bp.input/output/auth_required and "
              "Flask-RESTX's @ns.marshal_with/doc/expect stay on the view, inside the bridge: the "
              "same buckets, cache entries, checks and answers as the Flask app's")),
    ("FM034", ("a project decorator that returns the view itself, at most setting attributes of "
              "it (a docstring copied from elsewhere, a marker an extension reads) stays on the "
              "view, inside the bridge, where it changes nothing of what the view does")),
    ("FM036", ("a project guard or response decorator that does not keep the view's signature "
              "(no functools.wraps) stays around the view, inside the bridge; the endpoint takes "
              "the rule's values and calls it with them, as Flask does (FM028)")),
)


def guard_rule(detail: DecoratorInfo) -> str:
    """The rule a guard decorator falls under: FM021 for a third-party one known by name
    (flask-login's, Flask-HTTPAuth's...), FM020 for one of the project the scan read."""
    return "FM021" if detail.origin == "external" else "FM020"


class GuardDependencies(ViewCodemod):
    RULE_ID = "FM020"
    SUMMARY = ("auth/guard decorators (@require_api_key, @roles_required(...), flask-login's "
               "@login_required: FM021) -> Depends(...) from dependencies.py")

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        updated_node = self.without_name_markers(updated_node)
        decorators = list(updated_node.decorators)
        lifted: list[cst.Decorator] = []
        kept: list[cst.Decorator] = []
        for index, decorator in enumerate(decorators):
            use = self.guard_use(decorator)
            detail = self.context.decorator_detail(decorator)
            if use is not None and (not kept or detail.refuses_by_raising):
                # the outermost guards; or a guard that refuses only by raising, inside
                # decorators that let the view's errors through: run first, it answers the same
                lifted.append(decorator)
                self.context.guards.append(use)
            elif use is None and detail is not None and detail.lets_errors_through:
                kept.append(decorator)
            else:
                kept.extend(decorators[index:])
                break
        kept = [self.noted(d) for d in kept]
        if not lifted:
            return updated_node.with_changes(decorators=kept)
        # The route says `dependencies=[Depends(dependencies.require_api_key)]` (render.py): the
        # module's name, so a legacy decorator of the same name can stay in the same router.
        self.context.imports.add(("fastapi", "Depends"))
        self.context.imports.add(DEPENDENCIES_IMPORT)
        self.changed()
        # Comments on (or above) a lifted decorator move above the `def`, rather than vanish.
        comments = [line for d in lifted for line in d.leading_lines if line.comment is not None]
        comments += [cst.EmptyLine(comment=d.trailing_whitespace.comment) for d in lifted
                     if d.trailing_whitespace.comment is not None]
        return updated_node.with_changes(
            decorators=kept,
            lines_after_decorators=[*updated_node.lines_after_decorators, *comments])

    def without_name_markers(self, node: cst.FunctionDef) -> cst.FunctionDef:
        """Drop `@csrf.exempt` (FM024), with a comment in its place. It returns the view itself
        after recording `module.name`, and Flask-WTF's check reads the name of the view the
        legacy app registered for the endpoint: the legacy view, whose decorator ran when the
        legacy module was imported. On the endpoint it would only record the router's name."""
        kept: list[cst.Decorator] = []
        notes: list[cst.EmptyLine] = []
        for decorator in node.decorators:
            detail = self.context.decorator_detail(decorator)
            if detail is None or detail.qualified not in NAME_MARKING_DECORATORS:
                if notes:  # the note stays where the decorator was
                    decorator = decorator.with_changes(
                        leading_lines=[*notes, *decorator.leading_lines])
                    notes = []
                kept.append(decorator)
                continue
            notes.extend(line for line in decorator.leading_lines if line.comment is not None)
            check = NAME_MARKING_CHECKS[NAME_MARKING_DECORATORS[detail.qualified]]
            notes.append(cst.EmptyLine(comment=cst.Comment(
                f"# FM024: @{detail.name} marks the legacy view by name; the {check} the "
                "bridge runs looks up that view, as in Flask")))
            self.context.applied.add("FM024")
        if len(kept) == len(node.decorators):
            return node
        return node.with_changes(decorators=kept,
                                 lines_after_decorators=[*notes, *node.lines_after_decorators])

    def noted(self, decorator: cst.Decorator) -> cst.Decorator:
        """A decorator that stays on the view, with a comment saying why (once)."""
        detail = self.context.decorator_detail(decorator)
        if detail is None or (detail.shape not in ("guard", "post_processing", "returns_view")
                              and detail.qualified not in VIEW_KEPT_DECORATORS):
            return decorator
        written = detail.name
        if detail.shape == "returns_view":
            rule, why = "FM034", (f"@{written} returns the view itself (it at most sets "
                                  "attributes of it), as in Flask")
        elif detail.qualified in VIEW_KEPT_DECORATORS:
            effect = kept_decorator_effect(detail.qualified)
            rule, why = "FM029", f"@{written} runs inside the bridge: {effect}, as in Flask"
        elif detail.hides_signature:
            rule, why = "FM036", (f"@{written} does not keep the view's signature; it runs "
                                  "inside the bridge, around the view, called with the rule's "
                                  "values as in Flask")
        elif detail.reads_arguments:
            rule, why = "FM025", (f"@{written} reads or changes the view's arguments; it runs "
                                  "inside the bridge, around the view, as in Flask")
        elif detail.shape == "post_processing":
            rule, why = "FM022", (f"@{written} works on the view's response; it runs inside the "
                                  "bridge, as in Flask")
        elif self.guard_use(decorator) is None:
            rule, why = guard_rule(detail), (f"@{written} stays a decorator: its arguments are "
                                             "not literals (or it is not importable)")
        else:
            rule, why = guard_rule(detail), (f"@{written} stays a decorator, inside the one above "
                                             "it (Flask's order of effects)")
        comment = f"# {rule}: {why}"
        if any(line.comment is not None and line.comment.value == comment
               for line in decorator.leading_lines):
            return decorator
        if rule in ("FM022", "FM025", "FM029", "FM034", "FM036"):  # a guard left in place: a note
            self.context.applied.add(rule)
        return decorator.with_changes(leading_lines=[
            *decorator.leading_lines, cst.EmptyLine(comment=cst.Comment(comment))])

    def held_by_a_module(self, target: str, detail: DecoratorInfo) -> bool:
        """Whether the project decorator at the dotted path `target` is a name of a module
        (`pkg.decorators.require_api_key`), importable from it, rather than an attribute of an
        object or class the module holds (`pkg.security.auth.required`)."""
        legacy = self.context.legacy
        if isinstance(legacy, schemas.LegacySource):
            return legacy.module(target.rpartition(".")[0]) is not None
        return target == detail.qualified  # (a view converted on its own: no package read)

    def guard_use(self, decorator: cst.Decorator) -> GuardUse | None:
        """The dependency `decorator` becomes, or None if it must stay a decorator."""
        expression = decorator.decorator
        call = expression if isinstance(expression, cst.Call) else None
        head = call.func if call is not None else expression
        detail = self.context.decorator_detail(decorator)
        if detail is None or detail.shape != "guard" or detail.needs_rule_values:
            return None  # (a dependency is not given the view's arguments)
        written = detail.name
        if detail.origin == "project" and not detail.preserves_signature:
            return None
        if call is not None and not all(
                arg.star == "" and is_literal(arg.value) for arg in call.args):
            return None
        attribute = None
        if detail.qualified in INSTANCE_GUARDS and "." in written:
            # `auth.login_required`: import `auth`, the object the project made
            owner, _, attribute = written.rpartition(".")
            target = self.context.qualified(cst.parse_expression(owner)) or \
                f"{self.context.route.view_module}.{owner}"
        else:
            target = self.context.qualified(head)
            if target is not None and "." in written and detail.origin == "project" \
                    and not self.held_by_a_module(target, detail):
                # `auth.required` (`auth = Auth()`), `Permissions.ADMIN.require(403)`,
                # `Auth.required` (a staticmethod): an attribute of an object, which no module
                # holds under that dotted name: import the first name as the view's module
                # binds it, and reach the decorator through it
                first, _, attribute = written.partition(".")
                target = self.context.qualified(cst.Name(first))
        if target is None:
            if "." in written:
                return None  # an attribute of something the module defines: not importable
            target = f"{self.context.route.view_module}.{written}"
        rule = guard_rule(detail)
        arguments = None
        if call is not None:
            source = cst.Module(body=[]).code_for_node(call.with_changes(func=cst.Name("f")))
            arguments = source.strip()[1:]
        # a method is named after its object too (`admin_permission_require`, `auth_required`)
        name = "_".join(written.split(".")[-2:]) if detail.qualified in NAMED_BY_OWNER_GUARDS \
            or (attribute is not None and detail.origin == "project") \
            else written.rsplit(".", 1)[-1]
        return GuardUse(name=name, target=target, attribute=attribute,
                        arguments=arguments, headers=tuple(detail.headers), rule=rule)
