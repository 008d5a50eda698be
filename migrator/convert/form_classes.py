"""Flask-WTF / WTForms `Form` classes -> Pydantic model specs of the form body (rule FM012).

A form body is a set of strings. The model keeps WTForms' acceptance where it can be stated
exactly: `DataRequired` (present and not blank: a `\\S` pattern), `InputRequired`, `Optional`,
`Length`, `Regexp` (anchored at the start, as `re.match`), `AnyOf` and `SelectField` choices
(`Literal`), `NumberRange`. What it cannot (IntegerField's string parsing corner cases,
BooleanField's false values, `Email`, inline `validate_<field>` methods, CSRF) is named in a TODO.
"""

from __future__ import annotations

import ast

from migrator.convert.schema_classes import _resolve
from migrator.convert.schemas import FieldSpec, LegacyModule, LegacySource, ModelSpec, Unreadable

FORM_BASES = ("flask_wtf.FlaskForm", "flask_wtf.Form", "flask_wtf.form.FlaskForm",
              "wtforms.Form", "wtforms.form.Form")
BLANK = r"^\s*\Z"  # what Optional() lets through without further checks
NOT_BLANK = r"\S"  # what DataRequired() asks of a string
TEXT_FIELDS = ("StringField", "TextAreaField", "PasswordField", "HiddenField", "SearchField",
               "TelField", "URLField", "EmailField")


def form_class(legacy: LegacySource, qualified: str) -> tuple[LegacyModule, ast.ClassDef] | None:
    found = legacy.lookup(qualified)
    if found is None or found[1] not in found[0].classes:
        return None
    return found[0], found[0].classes[found[1]]


def is_form(legacy: LegacySource, module: LegacyModule, cls: ast.ClassDef, depth: int = 0
            ) -> tuple[bool, bool]:
    """(is a WTForms form, has Flask-WTF's CSRF token)."""
    for base in cls.bases:
        target = _resolve(module, base) or ""
        if target in FORM_BASES:
            return True, target.startswith("flask_wtf")
        parent = form_class(legacy, target) if depth < 5 else None
        if parent:
            found = is_form(legacy, parent[0], parent[1], depth + 1)
            if found[0]:
                return found
    return False, False


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        raise Unreadable(f"`{ast.unparse(node)}` is not a constant") from None


def _arguments(call: ast.Call, names: tuple[str, ...]) -> dict[str, object]:
    values = {name: _literal(arg) for name, arg in zip(names, call.args)}
    values.update({k.arg: _literal(k.value) for k in call.keywords
                   if k.arg and k.arg != "message"})
    return values


def form_model(legacy: LegacySource, module: LegacyModule, cls: ast.ClassDef, csrf: bool
               ) -> ModelSpec:
    todos: list[str] = []
    specs: list[FieldSpec] = []
    python_re = False
    if csrf:
        todos.append("Flask-WTF checks the csrf_token field (the legacy view still does)")
        specs.append(FieldSpec("csrf_token", "StrictStr", None,
                               "CSRF token from the rendered form (Flask-WTF)"))
    for statement in cls.body:
        if isinstance(statement, ast.FunctionDef) and statement.name.startswith("validate_"):
            todos.append(f"{cls.name}.{statement.name} is not reproduced")
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and isinstance(statement.value, ast.Call)):
            continue
        target = _resolve(module, statement.value.func) or ""
        if not target.startswith("wtforms"):
            continue
        kind = target.rsplit(".", 1)[-1]
        key = statement.targets[0].id
        spec, uses_re = _field(module, cls.name, key, kind, statement.value, todos)
        python_re |= uses_re
        specs.append(spec)
    return ModelSpec(cls.name + "Data", f"{module.name}.{cls.name}", tuple(specs), "ignore",
                     python_re, tuple(todos), rule="FM012")


def _field(module: LegacyModule, form: str, key: str, kind: str, call: ast.Call,
           todos: list[str]) -> tuple[FieldSpec, bool]:
    where = f"{form}.{key}"
    options = {k.arg: k.value for k in call.keywords if k.arg}
    validators_node = options.get("validators", call.args[1] if len(call.args) > 1 else None)
    validators = []
    if validators_node is not None:
        if not isinstance(validators_node, (ast.List, ast.Tuple)):
            raise Unreadable(f"{where}: validators `{ast.unparse(validators_node)}`")
        for item in validators_node.elts:
            name = (_resolve(module, item.func if isinstance(item, ast.Call) else item) or "")
            validators.append((name.rsplit(".", 1)[-1], item))
    names = [n for n, _ in validators]
    constraints: list[str] = []
    python_re = False
    literals: list | None = None
    required = "DataRequired" in names or "InputRequired" in names
    optional = "Optional" in names
    for name, node in validators:
        if name in ("DataRequired", "InputRequired", "Optional"):
            continue
        if name == "Length" and isinstance(node, ast.Call):
            args = _arguments(node, ("min", "max"))
            low, high = args.get("min", -1), args.get("max", -1)
            if isinstance(low, int) and low > 0:
                constraints.append(f"min_length={low}")
                required |= not optional  # an absent field has length 0
            if isinstance(high, int) and high >= 0:
                constraints.append(f"max_length={high}")
        elif name == "NumberRange" and isinstance(node, ast.Call):
            args = _arguments(node, ("min", "max"))
            if args.get("min") is not None:
                constraints.append(f"ge={args['min']!r}")
            if args.get("max") is not None:
                constraints.append(f"le={args['max']!r}")
            required |= not optional  # None is out of range
        elif name == "Regexp" and isinstance(node, ast.Call):
            args = _arguments(node, ("regex", "flags"))
            if args.get("flags"):
                raise Unreadable(f"{where}: Regexp flags")
            constraints.append(f"pattern={'^(?:' + str(args['regex']) + ')'!r}")
            python_re = True
        elif name == "AnyOf" and isinstance(node, ast.Call):
            literals = list(_arguments(node, ("values",))["values"])  # type: ignore[arg-type]
        else:
            todos.append(f"{where}: validator {name} is not carried by the model")
    if kind in TEXT_FIELDS:
        base = "StrictStr"
        if "DataRequired" in names:
            constraints.append(f"pattern={NOT_BLANK!r}")  # present and not only whitespace
            if python_re:
                todos.append(f"{where}: two patterns; the model carries the first")
                constraints.pop()
            python_re = True
        elif "InputRequired" in names:
            constraints.append("min_length=1")
    elif kind == "IntegerField":
        base = "int"
        todos.append(f"{where}: pydantic's int also parses '5.0'; WTForms' IntegerField does not")
    elif kind in ("FloatField", "DecimalField"):
        base = "float"
        todos.append(f"{where}: string parsing of {kind} and pydantic's float differ at the edges")
    elif kind == "BooleanField":
        base = "bool"
        required = False
        todos.append(f"{where}: BooleanField is true for any value but its false_values; "
                     "pydantic's bool accepts a different set")
    elif kind in ("SelectField", "RadioField"):
        choices = options.get("choices", call.args[2] if len(call.args) > 2 else None)
        values = _literal(choices) if choices is not None else None
        if not isinstance(values, (list, tuple)):
            raise Unreadable(f"{where}: choices are not a constant list")
        literals = [v[0] if isinstance(v, (list, tuple)) else v for v in values]
        required = True  # WTForms rejects a missing choice ("Not a valid choice")
        base = "StrictStr"
    else:
        raise Unreadable(f"{where}: {kind}")
    if literals is not None:
        base = f"Literal[{', '.join(repr(str(v)) for v in literals)}]"
        constraints = []
        python_re = False
    annotation = f"Annotated[{base}, Field({', '.join(constraints)})]" if constraints else base
    if optional:  # Optional(): an empty or blank value ends the checks
        annotation = f"{annotation} | Annotated[StrictStr, Field(pattern={BLANK!r})]"
        python_re = True
    return FieldSpec(key, annotation, None if required and not optional else "None"), python_re
