"""FM010: a JSON body checked by hand-written code gets a Pydantic model (in `schemas.py`).

The model is inferred from what the view and the helpers it calls do with the payload
(`migrator.convert.schemas`): `validate_x(data) -> (bool, str)`, `-> list[str]`, `-> dict`, a
helper that raises, a value helper such as `validate_role(data.get("role"))`, and the view's own
`abort(400)` / `return ..., 400` under a condition on the payload.

The view is not changed: the helpers keep running inside the legacy request context, after the
auth decorators and `before_request` hooks, so every client (an unauthenticated one with a bad
body included) gets exactly the legacy answer. The model is the route's documented body
(`openapi_extra=json_body(Model)`), and property-based tests prove it accepts exactly what the
helpers accept (docs/models.md). What the reader cannot translate exactly is left out of the
model, which is then weaker than the helper (never stronger), with a TODO naming the helper.
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from codemods.base import ViewCodemod, camel_name
from codemods.query_args import FLASK_PARAMS
from migrator.convert import schemas
from migrator.scan.extract import ast_dotted

SCHEMAS_MODULE = "..schemas"
METHOD_SUFFIX = {"POST": "Create", "PUT": "Replace", "PATCH": "Update"}


def model_name(base: str, method: str) -> str:
    """`validate_item_data` + POST -> `ItemCreate`."""
    base = re.sub(r"^(validate|check|clean|parse)_", "", base)
    base = re.sub(r"_(data|payload|body|json|schema)$", "", base)
    return f"{camel_name(base) or 'Body'}{METHOD_SUFFIX.get(method, 'Body')}"


def view_tree(node: cst.FunctionDef) -> ast.FunctionDef:
    tree = ast.parse(cst.Module(body=[node.with_changes(decorators=[])]).code)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    return function


def payload_names(function: ast.FunctionDef, aliases: dict[str, str]) -> set[str]:
    """Names assigned from `request.get_json(...)` / `request.json` (`or {}` allowed)."""
    def reads_body(node: ast.expr) -> bool:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and sub.attr in ("get_json", "json"):
                dotted = ast_dotted(sub.value)
                if dotted is None:
                    continue
                head, _, rest = dotted.partition(".")
                target = aliases.get(head)
                if target and f"{target}.{rest}".rstrip(".") == "flask.request":
                    return True
        return False

    names = set()
    for statement in ast.walk(function):
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and reads_body(statement.value)):
            names.add(statement.targets[0].id)
    return names


def loop_elements(function: ast.FunctionDef, payloads: set[str]) -> set[str]:
    """Names bound to the items of a payload list: `for x in data` / `for i, x in
    enumerate(data)`."""
    names = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.For):
            continue
        source, target = node.iter, node.target
        if (isinstance(source, ast.Call) and isinstance(source.func, ast.Name)
                and source.func.id == "enumerate" and len(source.args) == 1
                and isinstance(target, ast.Tuple) and len(target.elts) == 2):
            source, target = source.args[0], target.elts[1]
        if isinstance(source, ast.Name) and source.id in payloads \
                and isinstance(target, ast.Name):
            names.add(target.id)
    return names


def merge_facts(into: dict[str, schemas.FieldFacts], more: dict[str, schemas.FieldFacts]) -> None:
    """Both helpers' rejections hold: the field accepts what all of them accept."""
    for key, fact in more.items():
        mine = into.setdefault(key, schemas.FieldFacts(key))
        mine.rejected |= fact.rejected
        for kind, terms in fact.forbidden.items():
            mine.forbidden.setdefault(kind, []).extend(terms)
        mine.messages += [m for m in fact.messages if m not in mine.messages]
        mine.todos += fact.todos
        mine.checked |= fact.checked
        if fact.has_default and not mine.has_default:
            mine.default, mine.has_default = fact.default, True


def has_todos(model: schemas.ModelSpec) -> bool:
    """A TODO anywhere in the model or the models it nests: not proven exact."""
    return bool(model.todos) or any(has_todos(m) for m in model.nested)


class ModelRule(ViewCodemod):
    """What the model rules (FM010-FM012) share: they read the view with `ast` and the legacy
    package through `context.legacy`, never change the view, and make no model rather than a
    wrong one when something cannot be read."""

    SKIP_WHEN_BODY_DOCUMENTED = True  # an earlier model rule already typed the body

    def leave_view(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
                   ) -> cst.FunctionDef:
        legacy = self.context.legacy
        if not isinstance(legacy, schemas.LegacySource) or (
                self.SKIP_WHEN_BODY_DOCUMENTED and "openapi_extra" in self.context.route_options):
            return updated_node
        self.validation: tuple[int, str] | None = None  # (index, statement) for --errors fastapi
        self.answer_seen, _errors = self.context.seen_by_decorators(original_node)
        try:
            self.infer(view_tree(original_node), legacy)
        except schemas.Unreadable:  # no model rather than a wrong one; FM007 documents the body
            return updated_node
        if self.validation is None or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        index, statement = self.validation
        body = list(updated_node.body.body)
        body.insert(index, cst.parse_statement(statement))
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))

    def documents_answer(self) -> bool:
        """Whether the view's answer may be documented: no rule did yet, and no decorator that
        stays around the view works on it (`@envelope` answering `{"data": ...}` instead)."""
        options = self.context.route_options
        return not (self.answer_seen or "response_model" in options or "responses" in options)

    def validate_at(self, function: ast.FunctionDef, line: int, model: schemas.ModelSpec,
                    payload: str, payload_name: str | None = None,
                    body_type: str | None = None) -> None:
        """`--errors fastapi`: the exact `model` validates `payload` just before the top-level
        statement holding the legacy check at `line` (so the view's earlier answers, a 404 for
        instance, keep their precedence; the auth checks and hooks have run). Only a model
        with no TODO (proven exact, nested models included), and only after the body was read
        at the top level (`payload_name`; None: `payload` reads it itself). `body_type`: what
        is validated when it is not the model itself (`list[Model]`)."""
        if self.context.error_format != "fastapi" or has_todos(model):
            return
        index = next((i for i, st in enumerate(function.body)
                      if st.lineno <= line <= (st.end_lineno or st.lineno)), None)
        if index is not None and not self.always_checked(function.body[index], line):
            return  # the view checks the body on some paths only (`if request.method == ...`)
        read = next((i for i, st in enumerate(function.body) if isinstance(st, ast.Assign)
                     and any(isinstance(t, ast.Name) and t.id == payload_name
                             for t in st.targets)), None) if payload_name else -1
        if index is None or read is None or read >= index:
            return
        self.validation = (index, f"validate_body({body_type or model.name}, {payload})\n")
        self.context.imports.add((FLASK_PARAMS, "validate_body"))

    def always_checked(self, statement: ast.stmt, line: int) -> bool:
        """Whether the legacy check at `line` runs whenever the top-level `statement` does: a
        simple statement; the test of an `if`, or its rejection (`abort`, `raise`, `return`)
        right in its body — then the test is the check; the first statement of a `try`. Not
        code in a branch (`if request.method == "PUT": validate(data)`) or in a loop."""
        if isinstance(statement, ast.If):
            if statement.test.lineno <= line <= (statement.test.end_lineno or line):
                return True
            return any(child.lineno <= line <= (child.end_lineno or line) and (
                isinstance(child, (ast.Raise, ast.Return)) or (
                    isinstance(child, ast.Expr) and isinstance(child.value, ast.Call)
                    and self.qualify(child.value.func) == "flask.abort"))
                for child in statement.body)
        if isinstance(statement, ast.Try):
            first = statement.body[0]
            return first.lineno <= line <= (first.end_lineno or line) and \
                self.always_checked(first, line)
        return not isinstance(statement, (ast.For, ast.AsyncFor, ast.While, ast.With,
                                          ast.AsyncWith, ast.Match, ast.FunctionDef,
                                          ast.AsyncFunctionDef, ast.ClassDef))

    def infer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        raise NotImplementedError

    def tagged(self, model: schemas.ModelSpec) -> schemas.ModelSpec:
        """`model` (and the models it nests) as made by this rule."""
        return schemas.ModelSpec(model.name, model.origin, model.fields, model.extra,
                                 model.python_re, model.todos,
                                 tuple(self.tagged(m) for m in model.nested), self.RULE_ID)

    def qualify(self, node: ast.expr) -> str | None:
        """The qualified name of a name the view uses: imported, or defined in its module."""
        return schemas.qualify(node, self.context.aliases, self.context.route.view_module)


class HelperBodyModel(ModelRule):
    RULE_ID = "FM010"
    SUMMARY = "JSON body checked by helpers or by the view -> a Pydantic model documenting the body"

    def infer(self, function: ast.FunctionDef, legacy: schemas.LegacySource) -> None:
        aliases = self.context.aliases
        payloads = payload_names(function, aliases)
        if not payloads:
            return
        env = {name: schemas.Payload() for name in payloads}
        elements = loop_elements(function, payloads)
        if elements:  # `for item in payload: validate(item)`: a list body
            self.list_body(function, payloads, elements, legacy)
            return
        facts, todos, origins, whole = self.helper_facts(function, env, legacy)
        view_module = legacy.module(self.context.route.view_module)
        own = schemas.read_view(function, env, aliases)
        lines = list(self.check_lines)
        if own.sites and view_module is not None:
            where = f"{self.context.route.function}()"
            more, _ = schemas.facts_for(own, legacy, view_module, where, todos)
            todos += [f"{where} {why}" for why in own.unread]
            if any(f.checked for f in more.values()):
                origins.append(f"{self.context.route.view_module}.{self.context.route.function}")
                lines += [site.line for site in own.sites]
            merge_facts(facts, more)
        if not facts:
            return
        self.defaults(function, env, facts)
        name = model_name(origins[0].split("(")[0].rsplit(".", 1)[-1],
                          self.context.route.methods[0]) if whole else \
            model_name(self.context.route.endpoint.rsplit(".", 1)[-1], "")
        origin = " + ".join(origins) or f"{self.context.route.view_module}.{self.context.route.function}"
        model = schemas.model_from_facts(name, origin, facts, todos)
        self.declare(model)
        if lines and len(payloads) == 1:
            [payload] = payloads
            self.validate_at(function, min(lines), model, payload, payload)

    def helper_facts(self, function: ast.AST, env: dict, legacy: schemas.LegacySource):
        """Facts from every helper the payload (or a field of it) is passed to: (facts, todos,
        origins, whether the first helper takes the whole payload)."""
        facts: dict[str, schemas.FieldFacts] = {}
        todos: list[str] = []
        origins: list[str] = []
        helper_defaults: dict[str, object] = {}
        whole = False
        self.check_lines: list[int] = []  # where the view calls a validating helper
        for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
            found = self.helper(call, env, legacy)
            if found is None:
                continue
            qualified, module, helper, bindings = found
            reading = schemas.read_helper(helper, bindings, module.imports)
            if not reading.sites:  # not a validator (`insert_item(db, data)`): its defaults
                helper_defaults.update(reading.fields_seen)
                continue
            where = f"{qualified.rsplit('.', 1)[-1]}()"
            more, _ = schemas.facts_for(reading, legacy, module, where, todos)
            todos += [f"{where} {why}" for why in reading.unread]
            merge_facts(facts, more)
            self.check_lines.append(call.lineno)
            constants = ", ".join(f"{k}={v.value!r}" for k, v in bindings.items()
                                  if isinstance(v, schemas.Const))
            origins.append(f"{qualified}({constants})")
            whole |= not origins[1:] and any(
                isinstance(v, schemas.Payload) for v in bindings.values())
        for key, default in helper_defaults.items():
            if key in facts and default is not None and not facts[key].has_default:
                facts[key].default, facts[key].has_default = default, True
        return facts, todos, origins, whole

    def list_body(self, function: ast.FunctionDef, payloads: set[str], elements: set[str],
                  legacy: schemas.LegacySource) -> None:
        """A JSON list whose items a helper checks: a RootModel over the item model, with the
        view's own checks of the list (non-empty, at most N items)."""
        element_env = {name: schemas.Payload() for name in elements}
        facts, todos, origins, whole = self.helper_facts(function, element_env, legacy)
        if not facts or not whole:
            return
        item = schemas.model_from_facts(
            model_name(origins[0].split("(")[0].rsplit(".", 1)[-1], self.context.route.methods[0]),
            " + ".join(origins), facts, todos)
        body = {name: schemas.FieldRef(schemas.WHOLE_BODY) for name in payloads}
        own = schemas.read_view(function, body, self.context.aliases)
        view_module = legacy.module(self.context.route.view_module)
        body_todos: list[str] = []
        whole_facts, _ = schemas.facts_for(own, legacy, view_module, f"{function.name}()",
                                           body_todos) if view_module else ({}, True)
        fact = whole_facts.get(schemas.WHOLE_BODY)
        annotation = f"list[{item.name}]"
        if fact is not None:
            fact.rejected |= {"missing", "null", "bool", "int", "float", "str", "dict"}
            found, _, more_todos = schemas.annotation_for(fact)
            body_todos += more_todos
            if found.startswith("Annotated[list[Any], "):
                annotation = found.replace("list[Any]", annotation, 1)
        name = model_name(self.context.route.endpoint.rsplit(".", 1)[-1], "")
        model = schemas.ModelSpec(
            name, f"{self.context.route.view_module}.{function.name}", (), "allow", False,
            tuple(body_todos), (item,), root=annotation)
        self.declare(model)
        lines = [site.line for site in own.sites] + self.check_lines
        if len(payloads) == 1:
            [payload] = payloads
            self.validate_at(function, min(lines), model, payload, payload)

    def helper(self, call: ast.Call, env: dict, legacy: schemas.LegacySource):
        """(qualified name, module, function, bindings) when `call` passes the payload, or one
        of its fields, to a function of the legacy package."""
        target = self.qualify(call.func)
        if target is None or call.keywords and any(k.arg is None for k in call.keywords):
            return None
        found = legacy.lookup(target)
        if found is None or found[1] not in found[0].functions:
            return None
        module, name = found
        function = module.functions[name]
        parameters = [p.arg for p in function.args.args]
        bindings: dict[str, object] = {}
        passes_payload = False
        for parameter, argument in [*zip(parameters, call.args),
                                    *((k.arg, k.value) for k in call.keywords)]:
            if isinstance(argument, ast.Name) and isinstance(env.get(argument.id), schemas.Payload):
                bindings[parameter] = schemas.Payload()
                passes_payload = True
                continue
            try:
                reference = schemas.field_reference(argument, env)
            except schemas.Unreadable:
                reference = None
            if reference is not None:
                bindings[parameter] = reference
                passes_payload = True
            elif isinstance(argument, ast.Constant):
                bindings[parameter] = schemas.Const(argument.value)
        if not passes_payload or len(call.args) > len(parameters):
            return None
        return f"{module.name}.{name}", module, function, bindings

    @staticmethod
    def defaults(function: ast.FunctionDef, env: dict, facts: dict[str, schemas.FieldFacts]
                 ) -> None:
        """`data.get("in_stock", True)` in the view: the value a missing key stands for."""
        seen: dict[str, list] = {}
        for node in ast.walk(function):
            try:
                reference = schemas.field_reference(node, env) if isinstance(node, ast.expr) \
                    else None
            except schemas.Unreadable:
                continue
            if reference is not None and not reference.indexed and reference.key in facts \
                    and not isinstance(reference.default, schemas._Opaque):
                seen.setdefault(reference.key, []).append(reference.default)
        for key, defaults in seen.items():
            fact = facts[key]
            distinct = {repr(d) for d in defaults}
            if len(distinct) == 1 and not fact.has_default and defaults[0] is not None:
                fact.default, fact.has_default = defaults[0], True

    def declare(self, model: schemas.ModelSpec) -> None:
        self.context.models.append(model)
        self.context.route_options["openapi_extra"] = f"json_body({model.name})"
        self.context.imports.add((SCHEMAS_MODULE, model.name))
        self.context.imports.add((FLASK_PARAMS, "json_body"))
        self.changed()
