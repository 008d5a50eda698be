"""FM001: Flask converters become typed path parameters (`<int:item_id>` -> `item_id: int`).

The rule text itself (`<int:item_id>` -> `{item_id:int}`) is written by the router renderer from
the scan model; this rule gives the view's parameters the type the converter produced in Flask.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import ViewCodemod
from migrator.model import ARGUMENT_CONVERTER_TYPES, converter_regex

# converter -> (annotation, import); Flask hands the view exactly these Python types.
CONVERTER_TYPES: dict[str, tuple[str, tuple[str, str] | None]] = {
    "default": ("str", None),
    "string": ("str", None),
    "path": ("str", None),
    "int": ("int", None),
    "float": ("float", None),
    "uuid": ("UUID", ("uuid", "UUID")),
}


class PathParameters(ViewCodemod):
    RULE_ID = "FM001"
    SUMMARY = "Flask converters become typed path parameters: <int:id> -> id: int"

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        params = updated_node.params
        by_name = {p.name.value: p for p in (*params.params, *params.kwonly_params)}
        replacements: dict[str, cst.Param] = {}
        for parameter in self.context.route.parameters:
            typed = CONVERTER_TYPES.get(parameter.converter)
            if parameter.arguments:
                # `<any(a, b):k>`, `<string(length=2):cc>`, `<int(signed=True):n>`: the route
                # gets a convertor with the regex that alone decides Werkzeug's match; not
                # `min=`/`max=`, which Werkzeug checks after the match
                exact = converter_regex(parameter.converter, parameter.arguments) is not None
                typed = (ARGUMENT_CONVERTER_TYPES[parameter.converter], None) if exact else None
            if typed is None:
                arguments = f"({parameter.arguments})" if parameter.arguments else ""
                self.refuse(
                    f"<{parameter.converter}{arguments}:{parameter.name}> has no Starlette "
                    "convertor that matches the same URLs"
                )
                continue
            param = by_name.get(parameter.name)
            if param is None and self.context.path_values_preprocessed:
                continue  # `values.pop("lang_code")` in a url_value_preprocessor: not the view's
            if param is None:
                if not isinstance(params.star_kwarg, cst.Param):
                    self.refuse(f"the view takes no parameter {parameter.name!r}")
                else:
                    self.refuse(f"{parameter.name!r} reaches the view through **kwargs")
                continue
            annotation, needed = typed
            if needed:
                self.context.imports.add(needed)
            if param.annotation is None:
                changes: dict = {}
                default = param.default
                if isinstance(default, cst.Name) and default.value == "None":
                    # `def view(anything=None)` also serves a rule without the parameter
                    annotation = f"{annotation} | None"
                if default is not None:
                    changes["equal"] = cst.AssignEqual()  # `x: int = 1`, as PEP 8 spaces it
                replacements[parameter.name] = param.with_changes(
                    annotation=cst.Annotation(cst.parse_expression(annotation)), **changes
                )
        if not replacements:
            return updated_node
        self.changed()

        def replace(group: tuple[cst.Param, ...]) -> tuple[cst.Param, ...]:
            return tuple(replacements.get(p.name.value, p) for p in group)

        return updated_node.with_changes(
            params=params.with_changes(
                params=replace(params.params), kwonly_params=replace(params.kwonly_params)
            )
        )
