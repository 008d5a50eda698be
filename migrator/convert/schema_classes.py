"""marshmallow `Schema` classes -> Pydantic model specs (rule FM011).

Read statically, field by field. Each mapping keeps marshmallow's own acceptance (marshmallow 3
and 4): `fields.Str` takes strings only (`StrictStr`), `fields.Int(strict=True)` integers only,
not bools (`StrictInt`); an unknown key is an error unless `Meta.unknown` says otherwise
(`extra="forbid"`), and a `dump_only` key sent in a body is an unknown key. Where pydantic's
coercion is not marshmallow's (a lax `Int`/`Float`/`Bool`, `Email`, `DateTime`) or a hook
(`@pre_load`, `@validates`, `@validates_schema`) changes the input, the model keeps only what was
proven and says so in a TODO naming the schema.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from migrator.convert.schemas import (
    FieldSpec,
    LegacyModule,
    LegacySource,
    ModelSpec,
    Unreadable,
    qualify,
)
from migrator.scan.extract import ast_dotted

# APIFlask's `Schema` is marshmallow's with nothing added, and its `fields` and `validators`
# modules import marshmallow's own classes under the same names (it adds a few of its own,
# `File` and `Config`, which no mapping here takes).
MARSHMALLOW_SCHEMAS = ("marshmallow.Schema", "marshmallow.schema.Schema", "apiflask.Schema",
                       "apiflask.schemas.Schema")
_MARSHMALLOW_MODULES = {"apiflask.fields.": "marshmallow.fields.",
                        "apiflask.validators.": "marshmallow.validate."}
HOOKS = ("pre_load", "post_load", "validates", "validates_schema", "pre_dump", "post_dump")


@dataclass
class SchemaField:
    key: str
    kind: str  # Str, Int, ...
    call: ast.Call
    options: dict[str, ast.expr]


def schema_class(legacy: LegacySource, qualified: str) -> tuple[LegacyModule, ast.ClassDef] | None:
    found = legacy.lookup(qualified)
    if found is None or found[1] not in found[0].classes:
        return None
    return found[0], found[0].classes[found[1]]


def schema_instance(legacy: LegacySource, qualified: str
                    ) -> tuple[LegacyModule, ast.ClassDef, dict[str, ast.expr]] | None:
    """`review_schema = ReviewSchema(many=True)` at module level -> (module, class, kwargs)."""
    found = legacy.lookup(qualified)
    if found is None:
        return None
    module, name = found
    call = module.instances.get(name)
    if call is None:
        return None
    target = _resolve(module, call.func)
    cls = schema_class(legacy, target) if target else None
    if cls is None:
        return None
    return cls[0], cls[1], {k.arg: k.value for k in call.keywords if k.arg}


def schema_reference(legacy: LegacySource, qualified: Callable[[ast.expr], str | None],
                     node: ast.expr, classes: bool = False
                     ) -> tuple[LegacyModule, ast.ClassDef, dict[str, ast.expr]] | None:
    """(module, class, instance options) of the marshmallow schema `node` names: an instance
    made there (`PetSchema(many=True)`), a name bound to one at a module's top level
    (`pet_schema`), or with `classes` a schema class (`PetSchema`, which a framework's decorator
    instantiates); `qualified` names a name as the code using `node` sees it. None for anything
    else."""
    options: dict[str, ast.expr] = {}
    if isinstance(node, ast.Call):
        if node.args or any(k.arg is None for k in node.keywords):
            return None
        options = {k.arg: k.value for k in node.keywords if k.arg}
        target = qualified(node.func)
        found = schema_class(legacy, target) if target else None
        if found is None:
            return None
        module, cls = found
    else:
        target = qualified(node)
        found = schema_class(legacy, target) if target and classes else None
        if found is not None:
            module, cls = found
        else:
            instance = schema_instance(legacy, target) if target else None
            if instance is None:
                return None
            module, cls, options = instance
    if not is_schema(legacy, module, cls):
        return None
    return module, cls, options


def _resolve(module: LegacyModule, node: ast.expr) -> str | None:
    """The qualified name of `node` in `module`, marshmallow's for APIFlask's re-exports."""
    target = qualify(node, module.imports, module.name)
    for alias, original in _MARSHMALLOW_MODULES.items():
        if target and target.startswith(alias):
            return original + target.removeprefix(alias)
    return target


def is_schema(legacy: LegacySource, module: LegacyModule, cls: ast.ClassDef) -> bool:
    """Whether `cls` is a marshmallow schema (it derives from marshmallow's `Schema`)."""
    return derives_from(legacy, module, cls, MARSHMALLOW_SCHEMAS)


def derives_from(legacy: LegacySource, module: LegacyModule, cls: ast.ClassDef,
                 bases: tuple[str, ...], depth: int = 0) -> bool:
    """Whether `cls` derives from one of the classes `bases` (qualified names), through the
    project's own classes (five levels at most)."""
    for base in cls.bases:
        target = _resolve(module, base)
        if target in bases:
            return True
        parent = schema_class(legacy, target) if target and depth < 5 else None
        if parent and derives_from(legacy, parent[0], parent[1], bases, depth + 1):
            return True
    return False


def read_fields(legacy: LegacySource, module: LegacyModule, cls: ast.ClassDef, todos: list[str],
                depth: int = 0) -> list[SchemaField]:
    """The declared fields, a parent schema's first (as marshmallow orders them)."""
    found: dict[str, SchemaField] = {}
    for base in cls.bases:
        target = _resolve(module, base)
        parent = schema_class(legacy, target) if target and target not in MARSHMALLOW_SCHEMAS \
            else None
        if parent and depth < 5:
            for f in read_fields(legacy, parent[0], parent[1], todos, depth + 1):
                found[f.key] = f
    for statement in cls.body:
        if isinstance(statement, ast.FunctionDef):
            for decorator in statement.decorator_list:
                name = ast_dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
                if name and name.rsplit(".", 1)[-1] in HOOKS:
                    todos.append(f"{cls.name}.{statement.name} (@{name.rsplit('.', 1)[-1]}) "
                                 "is not reproduced")
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and isinstance(statement.value, ast.Call)):
            continue
        target = _resolve(module, statement.value.func)
        if not target or not target.startswith("marshmallow.fields."):
            continue
        options = {k.arg: k.value for k in statement.value.keywords if k.arg}
        key = statement.targets[0].id
        data_key = options.get("data_key")
        if isinstance(data_key, ast.Constant) and isinstance(data_key.value, str):
            key = data_key.value
        found[key] = SchemaField(key, target.rsplit(".", 1)[-1], statement.value, options)
    return list(found.values())


def _flag(options: dict[str, ast.expr], name: str) -> bool:
    node = options.get(name)
    return isinstance(node, ast.Constant) and node.value is True


def _meta_unknown(module: LegacyModule, cls: ast.ClassDef) -> str:
    for statement in cls.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            for inner in statement.body:
                if (isinstance(inner, ast.Assign) and isinstance(inner.targets[0], ast.Name)
                        and inner.targets[0].id == "unknown"):
                    target = _resolve(module, inner.value) or ""
                    return {"INCLUDE": "allow", "EXCLUDE": "ignore"}.get(
                        target.rsplit(".", 1)[-1], "forbid")
    return "forbid"  # marshmallow 3+: RAISE


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        raise Unreadable(f"`{ast.unparse(node)}` is not a constant") from None


def _validators(node: ast.expr | None, module: LegacyModule) -> list[ast.Call]:
    if node is None:
        return []
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    calls = []
    for item in items:
        target = _resolve(module, item.func) if isinstance(item, ast.Call) else None
        if not target or not target.startswith("marshmallow.validate."):
            raise Unreadable(f"the validator `{ast.unparse(item)}`")
        calls.append(item)
    return calls


def _arguments(call: ast.Call, names: tuple[str, ...]) -> dict[str, object]:
    values = {name: _literal(arg) for name, arg in zip(names, call.args)}
    values.update({k.arg: _literal(k.value) for k in call.keywords if k.arg and k.arg != "error"})
    return values


def field_annotation(legacy: LegacySource, module: LegacyModule, schema: str, f: SchemaField,
                     todos: list[str], nested: list[ModelSpec], direction: str,
                     keep_values: bool) -> tuple[str, bool]:
    """(annotation, uses a python regex) for a field read by `load` ("in") or `dump` ("out")."""
    kind = f.kind
    strict = _flag(f.options, "strict")
    where = f"{schema}.{f.key}"
    constraints: list[str] = []
    python_re = False
    literals = None
    for validator in _validators(f.options.get("validate"), module) if keep_values else []:
        name = (_resolve(module, validator.func) or "").rsplit(".", 1)[-1]
        if name == "Length":
            args = _arguments(validator, ("min", "max"))
            if args.get("equal") is not None:
                args["min"] = args["max"] = args["equal"]
            if args.get("min") is not None:
                constraints.append(f"min_length={args['min']!r}")
            if args.get("max") is not None:
                constraints.append(f"max_length={args['max']!r}")
        elif name == "Range":
            args = _arguments(validator, ("min", "max"))
            if args.get("min") is not None:
                op = "ge" if args.get("min_inclusive", True) else "gt"
                constraints.append(f"{op}={args['min']!r}")
            if args.get("max") is not None:
                op = "le" if args.get("max_inclusive", True) else "lt"
                constraints.append(f"{op}={args['max']!r}")
        elif name == "OneOf":
            literals = tuple(_arguments(validator, ("choices",))["choices"])  # type: ignore[arg-type]
        elif name == "Regexp":
            args = _arguments(validator, ("regex", "flags"))
            if args.get("flags"):
                raise Unreadable(f"{where}: Regexp flags")
            # marshmallow's Regexp uses `regex.match`: anchored at the start
            constraints.append(f"pattern={'^(?:' + str(args['regex']) + ')'!r}")
            python_re = True
        else:
            todos.append(f"{where}: validate.{name} is not carried by the model")
    if kind in ("Str", "String", "Email", "Url", "URL", "UUID"):
        base = "StrictStr"
        if kind != "Str" and kind != "String" and direction == "in":
            todos.append(f"{where}: marshmallow's {kind} format check is not carried by the "
                         "model (the schema still checks it)")
    elif kind in ("Int", "Integer"):
        base = "StrictInt" if strict or direction == "out" else "int"
        if base == "int":
            todos.append(f"{where}: a lax marshmallow Int takes '5' and 5.0 but not true; "
                         "pydantic's int also takes true")
    elif kind in ("Float", "Number", "Decimal"):
        base = "StrictInt | StrictFloat" if direction == "out" else "float"
        if direction == "in":
            todos.append(f"{where}: marshmallow's {kind} coerces strings and rejects true and "
                         "NaN; pydantic's float differs")
    elif kind in ("Bool", "Boolean"):
        base = "bool"
        if direction == "in":
            todos.append(f"{where}: marshmallow's Bool accepts its own truthy/falsy strings; "
                         "pydantic's bool a different set")
    elif kind in ("DateTime", "Date", "Time"):
        base = {"DateTime": "datetime", "Date": "date", "Time": "time"}[kind]
        todos.append(f"{where}: marshmallow's {kind} formats differ from pydantic's")
    elif kind in ("List", "Nested", "Dict", "Raw"):
        base = _container(legacy, module, schema, f, todos, nested, direction, keep_values)
    else:
        raise Unreadable(f"{where}: fields.{kind}")
    if literals is not None:
        base = f"Literal[{', '.join(repr(v) for v in literals)}]"
        constraints = []
    if constraints:
        base = f"Annotated[{base}, Field({', '.join(constraints)})]"
    return base, python_re


def _container(legacy: LegacySource, module: LegacyModule, schema: str, f: SchemaField,
               todos: list[str], nested: list[ModelSpec], direction: str,
               keep_values: bool) -> str:
    if f.kind == "Raw":
        return "Any"
    if f.kind == "Dict":
        return "dict[str, Any]"
    if f.kind == "List":
        if not f.call.args:
            raise Unreadable(f"{schema}.{f.key}: List without an inner field")
        inner_call = f.call.args[0]
        if not isinstance(inner_call, ast.Call):
            raise Unreadable(f"{schema}.{f.key}: List of `{ast.unparse(inner_call)}`")
        target = _resolve(module, inner_call.func) or ""
        inner = SchemaField(f.key, target.rsplit(".", 1)[-1], inner_call,
                            {k.arg: k.value for k in inner_call.keywords if k.arg})
        annotation, _ = field_annotation(legacy, module, schema, inner, todos, nested, direction,
                                         keep_values)
        return f"list[{annotation}]"
    # Nested(OtherSchema[, many=True])
    if not f.call.args:
        raise Unreadable(f"{schema}.{f.key}: Nested without a schema")
    target = _resolve(module, f.call.args[0])
    found = schema_class(legacy, target) if target else None
    if found is None:
        raise Unreadable(f"{schema}.{f.key}: Nested({ast.unparse(f.call.args[0])})")
    model = schema_model(legacy, found[0], found[1], direction, None)
    nested.append(model)
    return f"list[{model.name}]" if _flag(f.options, "many") else model.name


def schema_model(legacy: LegacySource, module: LegacyModule, cls: ast.ClassDef, direction: str,
                 name: str | None, partial: bool = False) -> ModelSpec:
    """The model of what `load` accepts (direction "in") or what `dump` writes ("out")."""
    hooks: list[str] = []
    fields = read_fields(legacy, module, cls, hooks)
    # load runs pre_load, validates*, post_load; dump runs pre_dump and post_dump
    todos = [h for h in hooks if ("dump)" in h) == (direction == "out")]
    # dump writes what the object holds without validating it: the answer's model carries types
    keep_values = direction == "in" and not any("pre_load" in t for t in todos)
    if direction == "in" and not keep_values:
        todos.append("value checks (validate=...) are left out: the pre_load hook may change the "
                     "values they see")
    specs = []
    nested: list[ModelSpec] = []
    python_re = False
    for f in fields:
        if direction == "in" and _flag(f.options, "dump_only"):
            continue
        if direction == "out" and _flag(f.options, "load_only"):
            continue
        annotation, uses_re = field_annotation(legacy, module, cls.name, f, todos, nested,
                                               direction, keep_values)
        python_re |= uses_re
        if direction == "out":  # dump writes what the object holds: None, or nothing
            specs.append(FieldSpec(f.key, f"{annotation} | None", "None"))
            continue
        default_node = f.options.get("load_default", f.options.get("missing"))
        allow_none = _flag(f.options, "allow_none") or (
            isinstance(default_node, ast.Constant) and default_node.value is None)
        if allow_none:
            annotation = f"{annotation} | None"
        if _flag(f.options, "required") and not partial:
            default = None
        elif default_node is not None:
            default = repr(_literal(default_node))
        else:
            default = "None"
        specs.append(FieldSpec(f.key, annotation, default))
    extra = _meta_unknown(module, cls) if direction == "in" else "allow"
    model_name = name or cls.name.removesuffix("Schema") + ("Out" if direction == "out" else "In")
    return ModelSpec(model_name, f"{module.name}.{cls.name}", tuple(specs), extra, python_re,
                     tuple(todos), tuple(nested))
