"""FM001: Flask converters become typed path parameters (`<int:item_id>` -> `item_id: int`).

The rule text itself (`<int:item_id>` -> `{item_id:int}`) is written by the router renderer from
the scan model; this rule gives the view's parameters the type the converter produced in Flask.
A converter the app registers itself (`<uuid_str:uuid>`) gives the view whatever its `to_python`
returns, which only the legacy URL map knows: the parameter is the `str` FastAPI matched, and the
view takes the converted value from the legacy request (`view_arg("uuid")`: docs/scan.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import libcst as cst

from codemods.base import ViewCodemod, is_literal, named_parameters, reads_name
from codemods.query_args import FLASK_PARAMS
from migrator.model import (
    ARGUMENT_CONVERTER_TYPES,
    CustomConverter,
    PathParameter,
    converter_regex,
    rule_default_names,
)
from migrator.scan.extract import dotted_name
from migrator.scan.names import is_docstring

# converter -> (annotation, import); Flask hands the view exactly these Python types.
CONVERTER_TYPES: dict[str, tuple[str, tuple[str, str] | None]] = {
    "default": ("str", None),
    "string": ("str", None),
    "path": ("str", None),
    "int": ("int", None),
    "float": ("float", None),
    "uuid": ("UUID", ("uuid", "UUID")),
}


def rule_value_type(parameter: PathParameter) -> tuple[str, tuple[str, str] | None] | None:
    """The annotation (and its import) of the endpoint parameter for one value of the rule: the
    type Flask's converter hands the view; `str` for a converter the app registers (what FastAPI
    matched; the view takes Werkzeug's value). None when no Starlette convertor matches the same
    URLs."""
    if parameter.custom is not None:
        return "str", None
    if parameter.arguments:
        # `<any(a, b):k>`, `<string(length=2):cc>`, `<int(signed=True):n>`: the route gets a
        # convertor with the regex that alone decides Werkzeug's match; not `min=`/`max=`, which
        # Werkzeug checks after the match
        exact = converter_regex(parameter.converter, parameter.arguments) is not None
        return (ARGUMENT_CONVERTER_TYPES[parameter.converter], None) if exact else None
    return CONVERTER_TYPES.get(parameter.converter)


def unmatched_converter(parameter: PathParameter) -> str:
    """Why a route whose rule has `parameter` (rule_value_type None) stays on Flask."""
    arguments = f"({parameter.arguments})" if parameter.arguments else ""
    return (f"<{parameter.converter}{arguments}:{parameter.name}> has no Starlette convertor "
            "that matches the same URLs")


class PathParameters(ViewCodemod):
    RULE_ID = "FM001"
    SUMMARY = "Flask converters become typed path parameters: <int:id> -> id: int"

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.context.view_takes_other_arguments(original_node):
            # a decorator hands the view other arguments than the rule's values, a
            # url_value_preprocessor may, or the view takes *args/**kwargs: the view keeps its
            # parameters as written, and FM028 gives the endpoint the rule's values
            return updated_node
        params = updated_node.params
        by_name = {p.name.value: p for p in (*params.params, *params.kwonly_params)}
        replacements: dict[str, cst.Param] = {}
        bindings: list[cst.BaseStatement] = []  # values the app's own converters gave
        for parameter in self.context.route.parameters:
            typed = rule_value_type(parameter)
            if typed is None:
                self.refuse(unmatched_converter(parameter))
                continue
            param = by_name.get(parameter.name)
            if param is None and self.context.path_values_preprocessed:
                continue  # `values.pop("lang_code")` in a url_value_preprocessor: not the view's
            if param is None:
                self.refuse(f"the view takes no parameter {parameter.name!r}")
                continue
            annotation, needed = typed
            if needed:
                self.context.imports.add(needed)
            if parameter.custom is not None:
                replacements[parameter.name] = _annotated(param, annotation)
                binding = self.converted_value(parameter.name, parameter.custom)
                body_lines = getattr(updated_node.body, "body", ())
                if reads_name(updated_node.body, parameter.name) and not any(
                        binding.deep_equals(line) for line in body_lines):  # (a second run)
                    self.context.imports.add((FLASK_PARAMS, "view_arg"))
                    bindings.append(binding)
                continue
            if param.annotation is None or not self.names_type(
                    param.annotation.annotation, annotation, needed):
                # Flask handed the view the converter's value whatever its annotation said;
                # FastAPI validates against the annotation (`user_id: str` on `<int:user_id>`:
                # 422 on every request) or refuses it at start-up (`Sequence[str]`)
                replacements[parameter.name] = _annotated(param, annotation)
        fixed = self.values_not_in_rule(params, updated_node.body)
        if not replacements and not fixed:
            return updated_node
        self.changed()

        def replace(group: tuple[cst.Param, ...]) -> tuple[cst.Param, ...]:
            return tuple(replacements.get(p.name.value, p) for p in group
                         if p.name.value not in fixed)

        body = updated_node.body
        if fixed or bindings:
            assert isinstance(body, cst.IndentedBlock)
            lines = list(body.body)
            at = 1 if lines and is_docstring(lines[0]) else 0
            lines[at:at] = [*bindings, *(line for line in fixed.values() if line is not None)]
            body = body.with_changes(body=lines)
        kwonly = replace(params.kwonly_params)
        star = params.star_arg
        if not kwonly and isinstance(star, cst.ParamStar):
            star = cst.MaybeSentinel.DEFAULT  # a bare `*` with nothing after it is no more
        params = params.with_changes(
            posonly_params=replace(params.posonly_params), params=replace(params.params),
            kwonly_params=kwonly, star_arg=star)
        if fixed:
            params = _without_trailing_comma(params)
        return updated_node.with_changes(body=body, params=params)

    def names_type(self, annotation: cst.BaseExpression, type_name: str,
                   needed: tuple[str, str] | None) -> bool:
        """Whether the view's `annotation` is the converter's type (`type_name`, imported from
        `needed`): as written (`int`, `uuid.UUID`, `"int"`), or with None (`Optional[int]`,
        `int | None`), which FastAPI reads the same for a path value."""
        if isinstance(annotation, cst.SimpleString):
            try:
                annotation = cst.parse_expression(annotation.evaluated_value)
            except (cst.ParserSyntaxError, TypeError):
                return False
        members = union_members(annotation, self.context.qualified)
        if members is not None:
            kept = [m for m in members if not (isinstance(m, cst.Name) and m.value == "None")]
            return len(kept) == 1 and len(members) == 2 and \
                self.names_type(kept[0], type_name, needed)
        written = dotted_name(annotation)
        if written is None:
            return False
        resolved = self.context.qualified(annotation)
        if needed is None:  # a builtin: `int`, unless the module imports another `int`
            return (written == type_name and resolved is None) or \
                resolved == f"builtins.{type_name}"
        return resolved == ".".join(needed)

    def converted_value(self, name: str, converter: CustomConverter) -> cst.BaseStatement:
        """`uuid = view_arg("uuid")`: the value the app's converter gave the view in Flask (its
        `to_python`, run by the legacy URL map; `flask.request.view_args`), in place of the text
        FastAPI matched. Not `request.view_args`: the view's module may bind `request` to
        something else (sqlite-web's, which `from peewee import *` could rebind)."""
        one_class = converter.cls is not None and " " not in converter.cls  # not "A or B"
        by = f"{converter.cls.rsplit('.', 1)[-1]}.to_python" if one_class else \
            f"the app's {converter.name!r} converter"
        return cst.parse_statement(
            f"{name} = view_arg({json.dumps(name)})  # FM001: what {by} gave, as Flask passed "
            "it\n")

    def values_not_in_rule(self, params: cst.Parameters, body: cst.BaseSuite
                           ) -> dict[str, cst.BaseStatement | None]:
        """The view's parameters the rule has no value for, each as the statement that binds
        its default in the body (None when the body never reads it). Flask calls the view with
        the rule's values only, so such a parameter always has its default; left in the
        signature, FastAPI would read it from the query string (`?is_admin=1`). A default that is
        not an immutable literal (evaluated once, shared by every call) or a missing one keeps
        the route on Flask."""
        in_rule = {p.name for p in self.context.route.parameters}
        rule_defaults = rule_default_names(self.context.route) or []
        fixed: dict[str, cst.BaseStatement | None] = {}
        for param in named_parameters(params):
            name = param.name.value
            if name in in_rule:
                continue
            if name in rule_defaults:
                # `@app.get("/users/", defaults={"page": 1})`: Flask passes the rule's default
                # (any expression, evaluated when the rule was added), which the legacy request,
                # matched against the legacy URL map, holds; one the body never reads just goes
                if not reads_name(body, name):
                    fixed[name] = None
                    continue
                self.context.imports.add(("flask", "request"))
                fixed[name] = cst.parse_statement(
                    f"{name} = request.view_args[{json.dumps(name)}]  # FM001: the rule's "
                    "`defaults`, as Flask passed them\n")
                continue
            # (with a url_value_preprocessor, such a view is FM028's: it may give the value)
            if param.default is None:
                self.refuse(f"the view's parameter {name!r} has no default and is not in the "
                            "rule: Flask cannot call the view for this rule")
            elif not is_literal(param.default, lists=False):
                self.refuse(f"the view's parameter {name!r} is not in the rule, and its default "
                            "is not a literal the converted view could bind the same way")
            elif not reads_name(body, name):
                fixed[name] = None  # never read: the parameter just goes
            else:
                value = cst.Module(body=[]).code_for_node(param.default)
                annotation = "" if param.annotation is None else \
                    ": " + cst.Module(body=[]).code_for_node(param.annotation.annotation)
                fixed[name] = cst.parse_statement(
                    f"{name}{annotation} = {value}  # FM001: not in the rule, so Flask always "
                    "passed this default\n")
        taken = {p.name.value for p in named_parameters(params)}
        for name in rule_defaults:
            if name not in taken:
                self.refuse(f"the rule's defaults pass {name!r}, which the view does not take "
                            "(Flask fails to call it)")
        return fixed


def union_members(annotation: cst.BaseExpression,
                  qualified: Callable[[cst.BaseExpression], str | None]
                  ) -> list[cst.BaseExpression] | None:
    """The members of a union annotation (`A | B`, `Union[A, B]`, `Optional[A]` as `[A, None]`);
    None for any other annotation."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        left = union_members(annotation.left, qualified) or [annotation.left]
        right = union_members(annotation.right, qualified) or [annotation.right]
        return [*left, *right]
    if not isinstance(annotation, cst.Subscript):
        return None
    kind = qualified(annotation.value)
    indexes = [element.slice.value for element in annotation.slice
               if isinstance(element.slice, cst.Index)]
    if kind in ("typing.Optional", "typing_extensions.Optional") and len(indexes) == 1:
        return [indexes[0], cst.Name("None")]
    if kind in ("typing.Union", "typing_extensions.Union"):
        return indexes
    return None


def _annotated(param: cst.Param, annotation: str) -> cst.Param:
    """`param` with `annotation`, in place of any it has (` | None` when its default is None:
    `def view(x=None)` also serves a rule without it)."""
    default = param.default
    if isinstance(default, cst.Name) and default.value == "None":
        annotation = f"{annotation} | None"
    changes: dict = {}
    if default is not None:
        changes["equal"] = cst.AssignEqual()  # `x: int = 1`, as PEP 8 spaces it
    return param.with_changes(annotation=cst.Annotation(cst.parse_expression(annotation)),
                              **changes)


def _without_trailing_comma(params: cst.Parameters) -> cst.Parameters:
    """`(id, )` -> `(id)` once a parameter after `id` has gone."""
    if params.star_kwarg is not None:
        return params
    if params.kwonly_params:
        group = "kwonly_params"
    elif isinstance(params.star_arg, (cst.Param, cst.ParamStar)):
        return params
    elif params.params:
        group = "params"
    elif params.posonly_params:
        group = "posonly_params"
    else:
        return params
    members = getattr(params, group)
    last = members[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return params.with_changes(**{group: (*members[:-1], last)})
