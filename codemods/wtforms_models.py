"""FM012: a Flask-WTF / WTForms form used by a view -> a Pydantic model of the form body.

`form = ItemForm()` (Flask-WTF reads `request.form`) or `ItemForm(request.form)`, validated with
`validate_on_submit()` / `validate()`: the model (in `schemas.py`) documents the route's
`application/x-www-form-urlencoded` body. As with FM010 the view is not changed: the form keeps
validating inside the legacy request context, CSRF token included, so its answers (often a page
re-rendered with the errors) stay the legacy ones. CSRF is named in the model's TODO.
`--errors fastapi` changes nothing here (docs/models.md says why).
"""

from __future__ import annotations

import ast

from codemods.body_models import SCHEMAS_MODULE, ModelRule
from codemods.query_args import FLASK_PARAMS
from migrator.convert import form_classes, schemas
from migrator.scan.extract import ast_dotted


class WTFormsModel(ModelRule):
    RULE_ID = "FM012"
    SUMMARY = "Flask-WTF/WTForms form -> a Pydantic model documenting the form body (CSRF: TODO)"

    def infer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        validated = {ast_dotted(n.func.value) for n in ast.walk(function)
                     if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                     and n.func.attr in ("validate_on_submit", "validate")}
        for node in ast.walk(function):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in validated and isinstance(node.value, ast.Call)):
                continue
            qualified = self.qualify(node.value.func)
            found = form_classes.form_class(legacy, qualified) if qualified else None
            if found is None:
                continue
            is_form, csrf = form_classes.is_form(legacy, *found)
            if not is_form:
                continue
            model = form_classes.form_model(legacy, found[0], found[1], csrf)
            self.context.models.append(model)
            self.context.route_options["openapi_extra"] = f"form_body({model.name})"
            self.context.imports.add((SCHEMAS_MODULE, model.name))
            self.context.imports.add((FLASK_PARAMS, "form_body"))
            self.changed()
            return
