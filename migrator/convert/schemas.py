"""Infer Pydantic models for a converted view's JSON body (rules FM010-FM012).

What the legacy code accepts is read from the code itself, never guessed from names:

* hand-written helpers (`validate_x(data) -> (bool, str)`, `-> list[str]`, `-> dict`, or raising
  a custom error), read statement by statement: every place that rejects the payload (a
  `return False, msg`, an `errors.append(msg)`, an `errors[k] = msg`, a `raise`) is recorded
  with the conditions that lead to it, and those conditions are evaluated for each JSON kind a
  field may have (missing, null, bool, int, float, str, list, object) into the set of values the
  helper lets through;
* marshmallow `Schema` classes, field by field (`fields.Str/Int/Float/Bool/List/Nested/...`,
  `required`, `load_default`, `allow_none`, `validate.Length/Range/OneOf/Regexp`).

A model says no more and no less than what was proven: a check the reader cannot translate
exactly (a regex that must NOT match, a cross-field condition, a statement it cannot read, a
marshmallow hook) leaves the field weaker than the legacy code and adds a TODO naming the helper.
The legacy helper keeps running in the view, so nothing is lost on the wire (docs/models.md).
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from migrator.scan.extract import ast_dotted, through_imports

KINDS = ("missing", "null", "bool", "int", "float", "str", "list", "dict")
# A representative value of each JSON kind: `isinstance` depends on the type only.
_SAMPLES = {"null": None, "bool": True, "int": 1, "float": 1.0, "str": "", "list": [], "dict": {}}
_TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict,
          "tuple": tuple}
_NUMBER_KINDS = ("int", "float")
_SIZED_KINDS = ("str", "list", "dict")


WHOLE_BODY = "$body"  # the field name standing for a body that is not an object (a list)


class Unreadable(Exception):
    """A construct the reader cannot translate exactly (the message says which)."""


# --------------------------------------------------------------------------- the model spec
@dataclass(frozen=True)
class FieldSpec:
    name: str  # the JSON key
    annotation: str  # Python source of the type
    default: str | None  # source of the default; None = required
    description: str = ""

    def source(self, attribute: str) -> str:
        arguments = []
        if self.default is not None:
            arguments.append(f"default={self.default}")
        if attribute != self.name:
            arguments.append(f"alias={self.name!r}")
        if self.description:
            arguments.append(f"description={self.description!r}")
        if not arguments:
            line = f"    {attribute}: {self.annotation}"
        elif self.default is not None and len(arguments) == 1:
            line = f"    {attribute}: {self.annotation} = {self.default}"
        else:
            line = f"    {attribute}: {self.annotation} = Field({', '.join(arguments)})"
        if len(line) <= 100:
            return line
        inner = "".join(f"        {a},\n" for a in arguments)
        value = f"Field(\n{inner}    )" if len(arguments) > 1 or self.default is None \
            else self.default
        return f"    {attribute}: (\n        {self.annotation}\n    ) = {value}" \
            if len(self.annotation) > 80 else f"    {attribute}: {self.annotation} = {value}"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    origin: str  # "legacy_flask_app.validation.validate_item_data(partial=True)"
    fields: tuple[FieldSpec, ...]
    extra: str = "allow"  # what the legacy code does with keys it does not check
    python_re: bool = False  # regexes keep Python's `re` semantics
    todos: tuple[str, ...] = ()
    nested: tuple[ModelSpec, ...] = ()  # models this one refers to (marshmallow Nested)
    rule: str = "FM010"
    root: str | None = None  # a RootModel over this annotation (a list body)

    def shape(self) -> tuple:
        """Everything but the name: two models of the same shape are one model."""
        return (self.fields, self.extra, self.python_re, self.todos, self.rule, self.root,
                tuple(m.shape() for m in self.nested))

    def renamed(self, name: str) -> ModelSpec:
        return ModelSpec(name, self.origin, self.fields, self.extra, self.python_re, self.todos,
                         self.nested, self.rule, self.root)

    def source(self) -> str:
        rule = self.rule
        base = f"RootModel[{self.root}]" if self.root else "BaseModel"
        lines = [f"class {self.name}({base}):", f'    """{rule}: from `{self.origin}`."""']
        lines += [""] if self.todos or not self.root else []
        lines += [f"    # TODO(migrate): {rule}: {todo}" for todo in self.todos]
        if self.root:
            return "\n".join(lines) + "\n"
        config = [f"extra={self.extra!r}"]
        if self.python_re:
            config.append('regex_engine="python-re"')
        if any(attribute_name(f.name) != f.name for f in self.fields):
            config.append("populate_by_name=True")
        lines.append(f"    model_config = ConfigDict({', '.join(config)})")
        if self.fields:
            lines.append("")
        lines += [f.source(attribute_name(f.name)) for f in self.fields]
        return "\n".join(lines) + "\n"


_BASEMODEL_NAMES = frozenset({
    "copy", "dict", "json", "schema", "schema_json", "construct", "validate", "fields",
    "model_config", "model_fields", "model_computed_fields", "model_extra",
    "model_fields_set", "model_construct", "model_copy", "model_dump", "model_dump_json",
    "model_json_schema", "model_parametrized_name", "model_post_init", "model_rebuild",
    "model_validate", "model_validate_json", "model_validate_strings", "parse_obj",
    "parse_raw", "parse_file", "from_orm", "update_forward_refs",
})


def attribute_name(key: str) -> str:
    from codemods.base import python_identifier

    name = python_identifier(key)
    if name in _BASEMODEL_NAMES or name.startswith("_"):
        name = f"{name.lstrip('_')}_field"
    return name


# --------------------------------------------------------------------------- legacy source access
@dataclass
class LegacyModule:
    name: str
    tree: ast.Module
    constants: dict[str, object]
    functions: dict[str, ast.FunctionDef]
    classes: dict[str, ast.ClassDef]
    imports: dict[str, str]  # local name -> qualified target
    instances: dict[str, ast.Call] = field(default_factory=dict)  # `x = Something(...)`


class LegacySource:
    """The legacy package's modules, read with `ast` (the helpers are read, never rewritten)."""

    def __init__(self, root: Path, module: str, file: str) -> None:
        # `api/items.py` is `legacy_flask_app.api.items`: the root is the package prefix.
        parts = Path(file).with_suffix("").parts
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        module_parts = module.split(".")
        self.root = root
        self.prefix = module_parts[: len(module_parts) - len(parts)]
        self._cache: dict[str, LegacyModule | None] = {}

    def module(self, name: str) -> LegacyModule | None:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name: str) -> LegacyModule | None:
        parts = name.split(".")
        if parts[: len(self.prefix)] != self.prefix:
            return None
        base = self.root.joinpath(*parts[len(self.prefix):])
        for path in (base.with_suffix(".py"), base / "__init__.py"):
            if path.is_file():
                tree = ast.parse(path.read_bytes())
                return LegacyModule(name, tree, _module_constants(tree),
                                    {s.name: s for s in tree.body if isinstance(s, ast.FunctionDef)},
                                    {s.name: s for s in tree.body if isinstance(s, ast.ClassDef)},
                                    _module_imports(tree, name, path.name == "__init__.py"),
                                    {s.targets[0].id: s.value for s in tree.body
                                     if isinstance(s, ast.Assign) and len(s.targets) == 1
                                     and isinstance(s.targets[0], ast.Name)
                                     and isinstance(s.value, ast.Call)})
        return None

    def lookup(self, qualified: str) -> tuple[LegacyModule, str] | None:
        """(module, top-level name) for `pkg.mod.name`, following one `from x import name`."""
        module_name, _, name = qualified.rpartition(".")
        module = self.module(module_name)
        for _ in range(3):
            if module is None:
                return None
            if name in module.functions or name in module.classes or name in module.constants \
                    or name in module.instances:
                return module, name
            target = module.imports.get(name)
            if target is None:
                return None
            module_name, _, name = target.rpartition(".")
            module = self.module(module_name)
        return None


def _module_imports(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    aliases: dict[str, str] = {}
    package = module if is_package else module.rpartition(".")[0]
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            base = statement.module or ""
            if statement.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - statement.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in statement.names:
                aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0])
    return aliases


@dataclass(frozen=True)
class CompiledRegex:
    pattern: str
    flags: int


def _module_constants(tree: ast.Module) -> dict[str, object]:
    constants: dict[str, object] = {}
    for statement in tree.body:
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            value = statement.value
            name = statement.targets[0].id
            try:
                constants[name] = ast.literal_eval(value)
                continue
            except (ValueError, TypeError, SyntaxError, RecursionError):
                pass
            if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "compile" and isinstance(value.func.value, ast.Name)
                    and value.func.value.id == "re" and len(value.args) == 1
                    and not value.keywords and isinstance(value.args[0], ast.Constant)
                    and isinstance(value.args[0].value, str)):
                constants[name] = CompiledRegex(value.args[0].value, 0)
    return constants


# --------------------------------------------------------------------------- boolean formulas
# A formula over atoms about ONE field's value, in disjunctive normal form: a frozenset of terms,
# each a frozenset of atoms. An atom is (tag, payload, positive). RAISE marks an evaluation that
# raises (TypeError, KeyError...): the request fails whichever way the test would have gone.
TRUE = frozenset({frozenset()})
FALSE: frozenset = frozenset()
RAISE = ("raise", None, True)


def _or(a: frozenset, b: frozenset) -> frozenset:
    return TRUE if frozenset() in a | b else a | b


def _and(a: frozenset, b: frozenset) -> frozenset:
    return frozenset(x | y for x in a for y in b)


def _negate_atom(atom: tuple) -> tuple:
    return atom if atom == RAISE else (atom[0], atom[1], not atom[2])


def _not(a: frozenset) -> frozenset:
    result = TRUE
    for term in a:
        clause = FALSE
        for atom in term:
            clause = _or(clause, frozenset({frozenset({_negate_atom(atom)})}))
        result = _and(result, clause)
    return result


def _const(value: bool) -> frozenset:
    return TRUE if value else FALSE


# --------------------------------------------------------------------------- values
@dataclass(frozen=True)
class FieldRef:
    key: str
    default: object = None
    indexed: bool = False  # data["k"] (KeyError when missing) rather than data.get("k")


@dataclass(frozen=True)
class Payload:
    pass


@dataclass(frozen=True)
class Const:
    value: object


@dataclass(frozen=True)
class Symbolic:
    kind: str  # the field's value, of this kind
    length: bool = False  # len(value)


_OPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_APPLY = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
          ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


class Evaluator:
    """Evaluates a helper's conditions for one field and one JSON kind of its value."""

    def __init__(self, source: LegacySource, module: LegacyModule, env: dict[str, object],
                 key: str, kind: str) -> None:
        self.source, self.module, self.env, self.key, self.kind = source, module, env, key, kind

    # values ------------------------------------------------------------------------------
    def value(self, node: ast.expr) -> object:
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = [self.value(e) for e in node.elts]
            if all(isinstance(i, Const) for i in items):
                return Const(tuple(i.value for i in items))
            raise Unreadable(f"a non-constant sequence at line {node.lineno}")
        if isinstance(node, ast.Name):
            if node.id in self.env:
                bound = self.env[node.id]
                if isinstance(bound, _Opaque):  # bound to what the reading cannot follow
                    raise Unreadable(f"`{node.id}`, computed at line {bound.line}")
                return self.field_value(bound) if isinstance(bound, FieldRef) else bound
            if node.id in self.module.constants:
                return Const(self.module.constants[node.id])
            raise Unreadable(f"the name {node.id!r} at line {node.lineno}")
        reference = field_reference(node, self.env)
        if reference is not None:
            return self.field_value(reference)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "len" and len(node.args) == 1):
            inner = self.value(node.args[0])
            if isinstance(inner, Symbolic) and not inner.length:
                return Symbolic(inner.kind, length=True) if inner.kind in _SIZED_KINDS else RAISE
            if isinstance(inner, Const):
                try:
                    return Const(len(inner.value))  # type: ignore[arg-type]
                except TypeError:
                    return RAISE
            return inner if inner == RAISE else _unreadable(node)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in self.module.imports:
            raise Unreadable(f"{ast.unparse(node)} at line {node.lineno}")
        raise Unreadable(f"`{ast.unparse(node)}` at line {node.lineno}")

    def field_value(self, reference: FieldRef | Payload) -> object:
        if isinstance(reference, Payload):
            return reference
        if reference.key != self.key:
            raise Unreadable(f"a check that also reads {reference.key!r} (cross-field)")
        if self.kind == "missing":
            if isinstance(reference.default, _Opaque):
                raise Unreadable(f"the default of {reference.key!r} is computed at line "
                                 f"{reference.default.line}")
            return RAISE if reference.indexed else Const(reference.default)
        if self.kind == "null":
            return Const(None)
        return Symbolic(self.kind)

    # truth -------------------------------------------------------------------------------
    def truth(self, node: ast.expr) -> frozenset:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return _not(self.truth(node.operand))
        if isinstance(node, ast.BoolOp):
            # short circuit: `a or b` evaluates b only where a is false (so a `len(x)` guarded
            # by `isinstance(x, str) and` is never evaluated on a number)
            result = self.truth(node.values[0])
            for value in node.values[1:]:
                is_or = isinstance(node.op, ast.Or)
                if result == (TRUE if is_or else FALSE):
                    break
                part = self.truth(value)
                result = _or(result, _and(_not(result), part)) if is_or else _and(result, part)
            return result
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        return self.truthiness(self.value(node))

    def truthiness(self, value: object) -> frozenset:
        if value == RAISE:
            return frozenset({frozenset({RAISE})})
        if isinstance(value, Const):
            return _const(bool(value.value))
        if isinstance(value, Payload):
            return TRUE  # the body was checked to be a non-empty object, or the model says so
        assert isinstance(value, Symbolic)
        if value.length or value.kind in _NUMBER_KINDS:
            tag = "len" if value.length else "cmp"
            return frozenset({frozenset({(tag, ("!=", 0), True)})})
        if value.kind == "bool":
            return frozenset({frozenset({("eq", True, True)})})
        return frozenset({frozenset({("len", ("!=", 0), True)})})

    def compare(self, node: ast.Compare) -> frozenset:
        result = TRUE
        left_node = node.left
        for op, right_node in zip(node.ops, node.comparators):
            result = _and(result, self.compare_one(left_node, op, right_node))
            left_node = right_node
        return result

    def compare_one(self, left_node: ast.expr, op: ast.cmpop, right_node: ast.expr) -> frozenset:
        if isinstance(op, (ast.In, ast.NotIn)):
            return self.membership(left_node, right_node, isinstance(op, ast.NotIn))
        left, right = self.value(left_node), self.value(right_node)
        if RAISE in (left, right):
            return frozenset({frozenset({RAISE})})
        if isinstance(op, (ast.Is, ast.IsNot)):
            if not (isinstance(right, Const) and right.value is None):
                raise Unreadable(f"`{ast.unparse(right_node)}` after `is`")
            result = _const(isinstance(left, Const) and left.value is None)
            return _not(result) if isinstance(op, ast.IsNot) else result
        symbol = _OPS.get(type(op))
        if symbol is None:
            raise Unreadable(f"the operator {type(op).__name__}")
        if isinstance(left, Const) and isinstance(right, Const):
            try:
                return _const(_APPLY[symbol](left.value, right.value))
            except TypeError:
                return frozenset({frozenset({RAISE})})
        if isinstance(left, Const):
            left, right, symbol = right, left, _FLIP[symbol]
        if not isinstance(left, Symbolic) or not isinstance(right, Const):
            raise Unreadable("a comparison of two values of the payload")
        number = right.value
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            if symbol in ("==", "!="):
                if left.length or left.kind != _kind_of(number):
                    return _const(symbol == "!=")
                return frozenset({frozenset({("in", (number,), symbol == "==")})})
            raise Unreadable(f"an ordering against {number!r}")
        if left.length:
            return frozenset({frozenset({("len", (symbol, number), True)})})
        if left.kind in _NUMBER_KINDS or left.kind == "bool":
            return frozenset({frozenset({("cmp", (symbol, number), True)})})
        if symbol in ("==", "!="):
            return _const(symbol == "!=")
        return frozenset({frozenset({RAISE})})  # "a" < 1: TypeError

    def membership(self, item_node: ast.expr, container_node: ast.expr, negated: bool
                   ) -> frozenset:
        container = self.value(container_node)
        if isinstance(container, Payload):  # "k" in data
            key = self.value(item_node)
            if not isinstance(key, Const) or not isinstance(key.value, str):
                raise Unreadable(f"`{ast.unparse(item_node)}` in the payload")
            if key.value != self.key:
                raise Unreadable(f"a check that also reads {key.value!r} (cross-field)")
            result = _const(self.kind != "missing")
        else:
            item = self.value(item_node)
            if RAISE in (item, container):
                return frozenset({frozenset({RAISE})})
            if isinstance(item, Const) and isinstance(container, Const):
                try:
                    result = _const(item.value in container.value)  # type: ignore[operator]
                except TypeError:
                    return frozenset({frozenset({RAISE})})
            elif isinstance(item, Symbolic) and isinstance(container, Const):
                values = container.value
                if isinstance(values, str):
                    raise Unreadable("membership in a string")
                if not isinstance(values, (tuple, list, set, frozenset, dict)):
                    raise Unreadable("membership in a non-collection")
                if item.length:
                    raise Unreadable("membership of a length")
                if item.kind in ("list", "dict"):
                    return frozenset({frozenset({RAISE})}) if isinstance(values, (set, frozenset, dict)) \
                        else _const(negated)
                same = [v for v in values if _kind_of(v) == item.kind]
                if item.kind in ("bool", "int", "float") and any(
                        _kind_of(v) in ("bool", "int", "float") for v in values):
                    raise Unreadable("membership among numbers (True == 1)")
                result = frozenset({frozenset({("in", tuple(same), True)})}) if same else FALSE
            elif isinstance(item, Const) and isinstance(container, Symbolic):
                if container.kind == "str" and not container.length and isinstance(item.value, str):
                    result = frozenset({frozenset({("match", re.escape(item.value), True)})})
                elif container.kind in ("str", "list", "dict"):
                    raise Unreadable("membership in a list or object value")
                else:
                    return frozenset({frozenset({RAISE})})
            else:
                raise Unreadable("a membership test")
        return _not(result) if negated else result

    def call(self, node: ast.Call) -> frozenset:
        function = node.func
        if isinstance(function, ast.Name) and function.id == "isinstance" and len(node.args) == 2:
            subject = self.value(node.args[0])
            types = _type_tuple(node.args[1])
            if isinstance(subject, Payload):
                if types == (dict,):
                    return TRUE  # the model is an object
                raise Unreadable("an isinstance test of the whole payload")
            if subject == RAISE:
                return frozenset({frozenset({RAISE})})
            sample = subject.value if isinstance(subject, Const) else _SAMPLES[subject.kind]  # type: ignore[union-attr]
            if isinstance(subject, Symbolic) and subject.length:
                sample = 0
            return _const(isinstance(sample, types))
        if isinstance(function, ast.Name) and function.id == "bool" and len(node.args) == 1:
            return self.truth(node.args[0])
        if isinstance(function, ast.Attribute) and function.attr in ("match", "fullmatch", "search"):
            regex = self.regex(function, node)
            if regex is not None:
                subject = self.value(node.args[-1])
                if subject == RAISE:
                    return frozenset({frozenset({RAISE})})
                if isinstance(subject, Symbolic) and subject.kind == "str" and not subject.length:
                    return frozenset({frozenset({("match", regex, True)})})
                if isinstance(subject, Const) and isinstance(subject.value, str):
                    return _const(re.search(regex, subject.value) is not None)
                return frozenset({frozenset({RAISE})})
        if isinstance(function, ast.Name) and function.id in self.module.functions:
            return self.inline(self.module.functions[function.id], node)
        return self.truthiness(self.value(node))

    def regex(self, function: ast.Attribute, node: ast.Call) -> str | None:
        """The regex of `PATTERN.match(x)` / `re.match(p, x)`, in search form (pydantic's
        `pattern` searches)."""
        if isinstance(function.value, ast.Name) and function.value.id == "re" and len(node.args) == 2:
            pattern = self.value(node.args[0])
            if not isinstance(pattern, Const) or not isinstance(pattern.value, str) or node.keywords:
                raise Unreadable("a regex that is not a constant")
            text = pattern.value
        elif len(node.args) == 1 and not node.keywords:
            compiled = self.value(function.value)
            if not isinstance(compiled, Const) or not isinstance(compiled.value, CompiledRegex):
                return None
            text = compiled.value.pattern
        else:
            return None
        if function.attr == "match":
            return f"^(?:{text})"
        if function.attr == "fullmatch":
            return rf"^(?:{text})\Z"
        return text

    def inline(self, function: ast.FunctionDef, node: ast.Call) -> frozenset:
        """A project predicate whose body is one `return expression` (`_is_number(x)`)."""
        body = [s for s in function.body if not _is_docstring(s)]
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None \
                or node.keywords or len(node.args) != len(function.args.args):
            raise Unreadable(f"the call {function.name}() (not a one-line predicate)")
        env = dict(self.env)
        for parameter, argument in zip(function.args.args, node.args):
            bound = field_reference(argument, self.env)
            if bound is None and isinstance(argument, ast.Name):
                bound = self.env.get(argument.id)
            if bound is None:
                bound = self.value(argument)
            env[parameter.arg] = bound
        inner = Evaluator(self.source, self.module, env, self.key, self.kind)
        return inner.truth(body[0].value)


def _unreadable(node: ast.expr) -> object:
    raise Unreadable(f"`{ast.unparse(node)}` at line {node.lineno}")


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    for kind in ("bool", "int", "float", "str", "list", "dict"):
        if type(value) is _TYPES[kind]:
            return kind
    return "other"


def _type_tuple(node: ast.expr) -> tuple[type, ...]:
    names = node.elts if isinstance(node, ast.Tuple) else [node]
    types = []
    for name in names:
        if not isinstance(name, ast.Name) or name.id not in _TYPES:
            raise Unreadable(f"isinstance against `{ast.unparse(name)}`")
        types.append(_TYPES[name.id])
    return tuple(types)


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
        and isinstance(statement.value.value, str)


def field_reference(node: ast.expr, env: dict[str, object]) -> FieldRef | None:
    """`data["k"]` / `data.get("k"[, default])` where `data` is the payload."""
    def is_payload(n: ast.expr) -> bool:
        return isinstance(n, ast.Name) and isinstance(env.get(n.id), Payload)

    if isinstance(node, ast.Subscript) and is_payload(node.value) \
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return FieldRef(node.slice.value, indexed=True)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" and is_payload(node.func.value) and not node.keywords
            and 1 <= len(node.args) <= 2 and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)):
        default = None
        if len(node.args) == 2:
            try:
                default = ast.literal_eval(node.args[1])
            except ValueError:
                default = _Opaque(node.lineno)  # `data.get("k", request.cookies.get(...))`
        return FieldRef(node.args[0].value, default)
    return None


# --------------------------------------------------------------------------- reading a helper
@dataclass
class Site:
    """A place where the helper rejects the payload, and the conditions that lead there."""

    path: list[tuple[ast.expr, bool]]
    env: dict[str, object]
    message: ast.expr | None
    line: int


@dataclass
class HelperReading:
    sites: list[Site] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    fields_seen: dict[str, object] = field(default_factory=dict)  # key -> .get default
    shape: str = ""  # "tuple", "list", "dict", "raise"


class HelperReader:
    """Walks a helper's statements, keeping the path conditions to each rejection."""

    def __init__(self, env: dict[str, object], aborts: frozenset[str] = frozenset(),
                 view: bool = False) -> None:
        self.env = env
        self.aborts = aborts  # dotted names that mean `flask.abort` here
        self.view = view  # reading the view itself: only its own checks of the payload count
        self.reading = HelperReading()
        self.errors: str | None = None
        self.after_if: list = []
        self.stopped = False

    def note_fields(self, node: ast.AST) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.expr):
                try:
                    reference = field_reference(sub, self.env)
                except Unreadable:
                    continue
                if reference is not None and not reference.indexed and \
                        not isinstance(reference.default, _Opaque):
                    self.reading.fields_seen.setdefault(reference.key, reference.default)
                elif reference is not None:
                    self.reading.fields_seen.setdefault(reference.key, None)

    def site(self, path: list, message: ast.expr | None, line: int, shape: str) -> None:
        self.reading.sites.append(Site(list(path), dict(self.env), message, line))
        if not self.reading.shape:
            self.reading.shape = shape

    def block(self, statements: list[ast.stmt], path: list) -> str | None:
        """How the block ends: None (it may fall through), "reject" (always, by rejecting the
        payload) or "end" (always, sometimes by accepting it)."""
        for statement in statements:
            if self.stopped:
                return "end"
            self.note_fields(statement)
            ending = self.statement(statement, path)
            if ending:
                return ending
            if isinstance(statement, ast.If):
                path = self.after_if
        return None

    def unread(self, st: ast.stmt) -> str | None:
        """A statement the reader does not follow. One that may end the function (a loop or
        `with` holding a return) stops the reading: later checks might never be reached."""
        ends = any(isinstance(n, (ast.Return, ast.Raise)) for n in ast.walk(st))
        if not self.view or ends:
            self.reading.unread.append(
                f"line {st.lineno}: `{ast.unparse(st).splitlines()[0]}`")
        if ends and not isinstance(st, (ast.Return, ast.Raise)):
            self.stopped = True
            return "end"
        return None

    def rejecting_status(self, node: ast.expr | None) -> bool:
        """`return body, 400` (or `jsonify(...), 422, headers`) in a view."""
        return (isinstance(node, ast.Tuple) and len(node.elts) >= 2
                and isinstance(node.elts[1], ast.Constant) and isinstance(node.elts[1].value, int)
                and 400 <= node.elts[1].value < 500)

    def abort_call(self, node: ast.expr) -> ast.expr | None:
        """The message of `abort(400, description=...)`; None when not a 4xx abort."""
        if not (isinstance(node, ast.Call) and ast_dotted(node.func) in self.aborts and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, int)
                and 400 <= node.args[0].value < 500):
            return None
        for keyword in node.keywords:
            if keyword.arg == "description":
                return keyword.value
        return node.args[1] if len(node.args) > 1 else ast.Constant("")

    def statement(self, st: ast.stmt, path: list) -> str | None:
        if isinstance(st, ast.If):
            ends_body = self.block(st.body, [*path, (st.test, True)])
            ends_else = self.block(st.orelse, [*path, (st.test, False)])
            if ends_body and ends_else:
                return "reject" if ends_body == ends_else == "reject" else "end"
            # After `if c: <reject>`, later checks are reached only where `not c`; but every
            # accepted payload has `not c` anyway, so the condition adds nothing to the
            # accepted set and is left off (it would make later checks look cross-field).
            # After `if c: return <accept>`, `not c` matters and is kept.
            if ends_body == "end":
                self.after_if = [*path, (st.test, False)]
            elif ends_else == "end":
                self.after_if = [*path, (st.test, True)]
            else:
                self.after_if = list(path)
            return None
        if isinstance(st, ast.Return) and self.view:
            if self.rejecting_status(st.value):
                self.site(path, None, st.lineno, "return")
                return "reject"
            return "end"
        if isinstance(st, ast.Return):
            value = st.value
            if isinstance(value, ast.Tuple) and value.elts and isinstance(value.elts[0], ast.Constant) \
                    and value.elts[0].value is False:
                self.site(path, value.elts[1] if len(value.elts) > 1 else None, st.lineno, "tuple")
                return "reject"
            if isinstance(value, ast.List) and value.elts and all(
                    isinstance(e, (ast.Constant, ast.JoinedStr)) for e in value.elts):
                self.site(path, value.elts[0], st.lineno, "list")  # `return ["message"]`
                return "reject"
            return "end"
        if isinstance(st, ast.Raise):
            message = None
            if isinstance(st.exc, ast.Call) and st.exc.args:
                message = st.exc.args[0]
            self.site(path, message, st.lineno, "raise")
            return "reject"
        if isinstance(st, ast.Expr):
            if _is_docstring(st):
                return None
            call = st.value
            message = self.abort_call(call)
            if message is not None:
                self.site(path, message, st.lineno, "abort")
                return "reject"
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "append" and isinstance(call.func.value, ast.Name)
                    and call.func.value.id == self.errors and len(call.args) == 1):
                self.site(path, call.args[0], st.lineno, "list")
                return None
        if isinstance(st, ast.Assign) and len(st.targets) == 1:
            target = st.targets[0]
            if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                    and target.value.id == self.errors):
                self.site(path, st.value, st.lineno, "dict")
                return None
            if isinstance(target, ast.Name):
                # a helper's empty list or dict collects its errors (`errors["name"] = "..."`);
                # a view's may be anything (knowledge-repo's `headers = {}`, then `headers
                # ["proxy"] = data["proxy"]`): its own 4xx answers are what reject a body
                if not self.view and isinstance(st.value, (ast.List, ast.Dict)) and not (
                        st.value.elts if isinstance(st.value, ast.List) else st.value.keys):
                    self.errors = target.id
                    return None
                bound = self.env.get(target.id)
                if isinstance(bound, Payload) or isinstance(bound, FieldRef) \
                        and bound.key == WHOLE_BODY:
                    return None  # the view reading its body
                reference = field_reference(st.value, self.env)
                if target.id in self.env:
                    self.env[target.id] = _Opaque(st.lineno)
                    self.reading.unread.append(f"line {st.lineno}: {target.id} is reassigned")
                elif reference is not None:
                    self.env[target.id] = reference
                else:
                    self.env[target.id] = _Opaque(st.lineno)
                    return self.unread(st)
                return None
        if isinstance(st, ast.Pass):
            return None
        return self.unread(st)


@dataclass(frozen=True)
class _Opaque:
    line: int


def read_helper(function: ast.FunctionDef, bindings: dict[str, object],
                module_imports: dict[str, str] | None = None) -> HelperReading:
    """`bindings`: each parameter -> Payload(), a FieldRef or a Const (from the call site or the
    parameter's default)."""
    env: dict[str, object] = {}
    params = function.args.args
    defaults = function.args.defaults
    for index, parameter in enumerate(params):
        if parameter.arg in bindings:
            env[parameter.arg] = bindings[parameter.arg]
            continue
        default_index = index - (len(params) - len(defaults))
        if default_index >= 0:
            try:
                env[parameter.arg] = Const(ast.literal_eval(defaults[default_index]))
            except ValueError:
                env[parameter.arg] = _Opaque(function.lineno)
        else:
            env[parameter.arg] = _Opaque(function.lineno)
    reader = HelperReader(env, _abort_names(module_imports or {}))
    reader.block(function.body, [])
    return reader.reading


def read_view(function: ast.FunctionDef, bindings: dict[str, object], aliases: dict[str, str]
              ) -> HelperReading:
    """The view's own checks of its body: `abort(4xx)` / `return ..., 4xx` under conditions on
    the payload (`bindings`: its names -> Payload(), or FieldRef(WHOLE_BODY) for a list)."""
    reader = HelperReader(dict(bindings), _abort_names(aliases), view=True)
    reader.block(function.body, [])
    return reader.reading


def _abort_names(aliases: dict[str, str]) -> frozenset[str]:
    names = {local for local, target in aliases.items() if target == "flask.abort"}
    names |= {f"{local}.abort" for local, target in aliases.items() if target == "flask"}
    return frozenset(names)


def qualify(node: ast.expr, aliases: dict[str, str], module: str) -> str | None:
    """The qualified name of a (dotted) name used in `module`: through its imports, or one of
    its own top-level names."""
    dotted = ast_dotted(node)
    if dotted is None:
        return None
    return through_imports(dotted, aliases) or f"{module}.{dotted}"


# --------------------------------------------------------------------------- field facts
@dataclass
class FieldFacts:
    """What a field may be, per JSON kind; narrowed by each rejection."""

    key: str
    rejected: set[str] = field(default_factory=set)
    forbidden: dict[str, list[frozenset]] = field(default_factory=dict)  # kind -> terms
    default: object = None
    has_default: bool = False
    messages: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    checked: bool = False  # some rejection of this field was read

    def reject(self, kind: str, formula: frozenset) -> None:
        """The helper rejects this field's values of `kind` where `formula` holds."""
        for term in formula:
            # a check that raises rejects the request whichever way it would have gone
            atoms = frozenset(a for a in term if a != RAISE)
            if not atoms:
                self.rejected.add(kind)
            else:
                self.forbidden.setdefault(kind, []).append(atoms)


def facts_for(reading: HelperReading, source: LegacySource, module: LegacyModule,
              where: str, todos: list[str]) -> tuple[dict[str, FieldFacts], bool]:
    """Per-field facts from a helper's rejection sites; and whether the whole body must be an
    object (always true of a model)."""
    facts: dict[str, FieldFacts] = {}
    for key, default in reading.fields_seen.items():
        facts[key] = FieldFacts(key, default=default, has_default=default is not None)
    for site in reading.sites:
        keys = _keys_in(site)
        if not keys:
            continue  # e.g. `not isinstance(data, dict)`: a model only accepts objects
        if len(keys) > 1:
            todos.append(f"{where} line {site.line}: a check across {', '.join(sorted(keys))} "
                         "is not carried by the model")
            continue
        [key] = keys
        fact = facts.setdefault(key, FieldFacts(key))
        for kind in KINDS:
            evaluator = Evaluator(source, module, site.env, key, kind)
            try:
                formula = TRUE
                for test, polarity in site.path:
                    truth = evaluator.truth(test)
                    formula = _and(formula, truth if polarity else _not(truth))
            except Unreadable as why:
                fact.todos.append(f"{where} line {site.line}: {why}; the model does not carry "
                                  "this check")
                break
            fact.reject(kind, formula)
        else:
            message = _message(site.message, module)
            if message and message not in fact.messages:
                fact.messages.append(message)
            fact.checked = True
    return facts, True


def _keys_in(site: Site) -> set[str]:
    keys: set[str] = set()
    for test, _ in site.path:
        for node in ast.walk(test):
            if isinstance(node, ast.Name) and isinstance(site.env.get(node.id), FieldRef):
                keys.add(site.env[node.id].key)  # type: ignore[union-attr]
            elif isinstance(node, ast.expr):
                reference = field_reference(node, site.env)
                if reference is not None:
                    keys.add(reference.key)
            if (isinstance(node, ast.Compare) and len(node.ops) == 1
                    and isinstance(node.ops[0], (ast.In, ast.NotIn))
                    and isinstance(node.comparators[0], ast.Name)
                    and isinstance(site.env.get(node.comparators[0].id), Payload)
                    and isinstance(node.left, ast.Constant)):
                keys.add(node.left.value)
    return keys


def _message(node: ast.expr | None, module: LegacyModule) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Name) \
                    and value.value.id in module.constants and value.format_spec is None:
                parts.append(str(module.constants[value.value.id]))
            else:
                try:
                    parts.append(str(eval(compile(ast.Expression(value.value), "<msg>", "eval"),
                                          {"__builtins__": {}}, dict(module.constants))))
                except Exception:  # noqa: BLE001 - a message we cannot render is left out
                    return ""
        return "".join(parts)
    return ""


# --------------------------------------------------------------------------- facts -> annotation
@dataclass(frozen=True)
class Span:
    """An interval of numbers (or of lengths)."""

    low: float = -math.inf
    low_closed: bool = False
    high: float = math.inf
    high_closed: bool = False

    def empty(self) -> bool:
        return self.low > self.high or self.low == self.high and not (
            self.low_closed and self.high_closed)

    def meet(self, other: Span) -> Span:
        low = max((self.low, not self.low_closed), (other.low, not other.low_closed))
        high = min((self.high, self.high_closed), (other.high, other.high_closed))
        return Span(low[0], not low[1], high[0], high[1])

    def minus(self, other: Span) -> list[Span]:
        if self.meet(other).empty():
            return [self]
        parts = [self.meet(Span(high=other.low, high_closed=not other.low_closed)),
                 self.meet(Span(low=other.high, low_closed=not other.high_closed))]
        return [p for p in parts if not p.empty()]

    def within(self, spans: list[Span]) -> bool:
        rest = [self]
        for span in spans:
            rest = [piece for r in rest for piece in r.minus(span)]
        return not rest


def _atom_spans(op: str, n: float) -> list[Span]:
    return {"<": [Span(high=n)], "<=": [Span(high=n, high_closed=True)],
            ">": [Span(low=n)], ">=": [Span(low=n, low_closed=True)],
            "==": [Span(n, True, n, True)], "!=": [Span(high=n), Span(low=n)]}[op]


def _term_spans(atoms: list[tuple]) -> list[Span]:
    spans = [Span()]
    for tag, (op, n), positive in atoms:
        if not positive:
            op = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}[op]
        spans = [s.meet(a) for s in spans for a in _atom_spans(op, n)]
        spans = [s for s in spans if not s.empty()]
    return spans


def annotation_for(fact: FieldFacts) -> tuple[str | None, bool, list[str]]:
    """(annotation source, uses a regex, todos) for what the field accepts; None for no value
    at all (`if "debug" in data: abort(400)`): pydantic has no annotation for that (`Never`
    fails to build), the model leaves the field out."""
    todos = list(fact.todos)
    members: list[str] = []
    python_re = False
    accepted = [k for k in KINDS if k not in fact.rejected and k != "missing"]
    if accepted == list(KINDS[1:]) and not any(fact.forbidden.get(k) for k in accepted):
        return "Any", False, todos
    for kind in accepted:
        if kind == "null":
            continue
        member, uses_re = _member(kind, fact.forbidden.get(kind, []), fact.key, todos)
        python_re |= uses_re
        if member:
            members.append(member)
    if "float" in accepted and "int" not in accepted:
        todos.append(f"{fact.key!r}: the legacy code rejects whole numbers; pydantic's "
                     "StrictFloat accepts them")
    if "null" in accepted:
        members.append("None")
    if not members:
        return None, False, todos
    return " | ".join(members), python_re, todos


def _member(kind: str, terms: list[frozenset], key: str, todos: list[str]
            ) -> tuple[str | None, bool]:
    """The annotation of one accepted kind, from the terms under which it is rejected."""
    tag = "len" if kind in _SIZED_KINDS else "cmp" if kind in _NUMBER_KINDS else None
    domain = Span(0, True) if tag == "len" else Span()
    accepted = [domain]
    mixed: list[tuple[list[tuple], list[tuple]]] = []
    for term in terms:
        bounds = [a for a in term if a[0] == tag]
        others = [a for a in term if a[0] != tag]
        if others:
            mixed.append((bounds, others))
            continue
        for forbidden in _term_spans(bounds):
            accepted = [piece for span in accepted for piece in span.minus(forbidden)]
    if tag == "len":  # lengths are whole numbers: (2, 5) is [3, 4]
        accepted = [_whole(s) for s in accepted]
        accepted = [s for s in accepted if not s.empty()]
    if not accepted:
        return None, False
    if len(accepted) > 1:
        todos.append(f"{key!r}: the legacy code accepts several separate ranges; the model "
                     "carries the range around them")
        accepted = [Span(accepted[0].low, accepted[0].low_closed, accepted[-1].high,
                         accepted[-1].high_closed)]
    [span] = accepted
    constraints = _span_constraints(span, tag, kind)
    python_re = False
    literals: tuple | None = None
    for bounds, others in mixed:
        # `x and not match`: exact when every accepted value satisfies the bounds part
        if len(others) != 1 or not span.within(_term_spans(bounds) if bounds else [Span()]):
            todos.append(f"{key!r}: a check combining several conditions is not carried by "
                         "the model")
            continue
        [(atom_tag, payload, positive)] = others
        if atom_tag == "match" and not positive:
            if python_re:
                todos.append(f"{key!r}: several patterns; the model carries the first")
                continue
            constraints.append(f"pattern={payload!r}")
            python_re = True
        elif atom_tag == "in" and not positive:
            literals = payload if literals is None else tuple(v for v in literals if v in payload)
        elif atom_tag == "eq" and kind == "bool":
            literals = (not positive,) if literals is None else tuple(
                v for v in literals if v is (not positive))
        else:
            todos.append(f"{key!r}: the legacy code rejects values where {atom_tag} "
                         f"{payload!r} is {positive}; the model does not carry it")
    base = {"str": "StrictStr", "int": "StrictInt", "float": "StrictFloat", "bool": "StrictBool",
            "list": "list[Any]", "dict": "dict[str, Any]"}[kind]
    if literals is not None:
        kept = [v for v in literals if _literal_allowed(v, constraints)]
        if not kept:
            return None, False
        return f"Literal[{', '.join(repr(v) for v in kept)}]", False
    if constraints:
        return f"Annotated[{base}, Field({', '.join(constraints)})]", python_re
    return base, python_re


def _whole(span: Span) -> Span:
    low = span.low if span.low_closed or not math.isfinite(span.low) else math.floor(span.low) + 1
    high = span.high if span.high_closed or not math.isfinite(span.high) \
        else math.ceil(span.high) - 1
    low = math.ceil(low) if math.isfinite(low) else low
    high = math.floor(high) if math.isfinite(high) else high
    return Span(low, True, high, math.isfinite(high))


def _span_constraints(span: Span, tag: str | None, kind: str) -> list[str]:
    if tag is None:
        return []
    if tag == "len":
        constraints = [f"min_length={int(span.low)}"] if span.low > 0 else []
        if math.isfinite(span.high):
            constraints.append(f"max_length={int(span.high)}")
        return constraints
    constraints = []
    for bound, closed, names in ((span.low, span.low_closed, ("ge", "gt")),
                                 (span.high, span.high_closed, ("le", "lt"))):
        if math.isfinite(bound):
            value = int(bound) if kind == "int" and float(bound).is_integer() else bound
            constraints.append(f"{names[0] if closed else names[1]}={value!r}")
    return constraints


def _literal_allowed(value: object, constraints: list[str]) -> bool:
    if not constraints:
        return True
    if isinstance(value, str):
        for constraint in constraints:
            name, _, raw = constraint.partition("=")
            bound = ast.literal_eval(raw)
            if name == "min_length" and len(value) < bound or name == "max_length" and \
                    len(value) > bound or name == "pattern" and not re.search(bound, value):
                return False
    return True


def model_from_facts(name: str, origin: str, facts: dict[str, FieldFacts], todos: list[str],
                     extra: str = "allow") -> ModelSpec:
    fields_ = []
    python_re = False
    all_todos = list(todos)
    for key, fact in facts.items():
        annotation, uses_re, field_todos = annotation_for(fact)
        python_re |= uses_re
        all_todos += field_todos
        if annotation is None:  # the legacy code takes the key only when it is absent
            if extra != "forbid" or "missing" in fact.rejected:
                all_todos.append(f"{key!r}: the legacy code rejects the key whatever its value; "
                                 "the model leaves the field out and does not carry that check")
            continue
        if "missing" in fact.rejected:
            default = None
        elif fact.has_default:
            default = repr(fact.default)
        else:
            default = "None"
        description = "; ".join(fact.messages)
        fields_.append(FieldSpec(key, annotation, default, description))
    return ModelSpec(name, origin, tuple(fields_), extra, python_re,
                     tuple(dict.fromkeys(all_todos)))


# --------------------------------------------------------------------------- schemas.py
_TYPING_NAMES = ("Annotated", "Any", "Literal")
_PYDANTIC_NAMES = ("AfterValidator", "BaseModel", "ConfigDict", "Field", "RootModel",
                   "StrictBool", "StrictFloat", "StrictInt", "StrictStr")


def render_schemas(views: list) -> str | None:
    """The text of the generated `schemas.py` for the converted views' models; None if there are
    none. Models of the same shape are one model (the first name wins); a name taken by a model
    of another shape gets a number. Views are updated to the final names. A model's nested
    models come before it."""
    chosen: dict[str, ModelSpec] = {}
    by_shape: dict[tuple, str] = {}

    def place(model: ModelSpec) -> str:
        for inner in model.nested:
            place(inner)
        name = by_shape.get(model.shape())
        if name is None:
            name, number = model.name, 2
            while name in chosen:
                name, number = f"{model.name}{number}", number + 1
            chosen[name] = model.renamed(name)
            by_shape[model.shape()] = name
        return name

    for view in views:
        final = []
        for model in view.models:
            name = place(model)
            if name != model.name:
                _rename(view, model.name, name)
            final.append(chosen[name])
        view.models = final
    if not chosen:
        return None
    text = "\n\n".join(chosen[name].source() for name in chosen)
    # the names the models' code reads: not a word of a docstring or a TODO comment (`date =
    # None` quoted from a helper), nor a field's own name
    used = {node.id for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    typing_names = [n for n in _TYPING_NAMES if n in used]
    pydantic_names = [n for n in _PYDANTIC_NAMES if n in used]
    datetime_names = [n for n in ("date", "datetime", "time") if n in used]
    header = ['"""Pydantic models of the converted routes\' bodies and answers (`migrate convert`).',
              "",
              "Each is inferred from the legacy code named in its docstring and documents a route",
              "in OpenAPI; the legacy code still checks the body and writes the answer, so",
              "clients get the legacy answers. A TODO(migrate) marks a check a model does not",
              'carry (the model is then weaker than the legacy code, never stronger)."""',
              "", "from __future__ import annotations", ""]
    if datetime_names:
        header.append(f"from datetime import {', '.join(datetime_names)}")
    if typing_names:
        header.append(f"from typing import {', '.join(typing_names)}")
    if datetime_names or typing_names:
        header.append("")
    line = f"from pydantic import {', '.join(pydantic_names)}"
    if len(line) > 88:  # isort's wrapping, as render_imports does
        line = "from pydantic import (\n" + "".join(f"    {n},\n" for n in pydantic_names) + ")"
    header.append(line)
    return "\n".join(header) + "\n\n\n" + text


def renamed_in_options(route_options: dict[str, str], old: str, new: str) -> dict[str, str]:
    """A route's decorator options (source) with the model `old` named `new`."""
    pattern = re.compile(rf"\b{re.escape(old)}\b")
    return {key: pattern.sub(new, code) for key, code in route_options.items()}


def _rename(view, old: str, new: str) -> None:
    view.route_options = renamed_in_options(view.route_options, old, new)
    view.imports = {(m, new if n == old else n, new if local == old else local)
                    for m, n, local in view.imports}
