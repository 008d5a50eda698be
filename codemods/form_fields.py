"""FM039: a view that reads `request.form` / `request.files` documents its form body (OpenAPI).

As with FM007, the view keeps reading the form with Flask (it runs inside the legacy request
context): a missing `request.form["name"]` is still Flask's 400, `request.form.get("n",
type=int)` still falls back to the default where the text is no number. FastAPI `Form()` and
`File()` parameters would answer 422 instead. So the route declares the form in its OpenAPI entry
and nothing changes on the wire:

    @app.post("/login")                      @router.post("/login", name="login",
    def login():                                 openapi_extra=form_fields(
        user = request.form["user"]                  {"user": "str", "avatar": "file"},
        avatar = request.files.get("avatar")         required=["user"]))
        ...                                  def login(): ...  (unchanged)

* each field named by a literal (`form["k"]`, `form.get("k")`, `form.getlist("k")`, `"k" in
  form`, and the same of `request.files`) is documented, as text, as `type=int` / `type=float`
  read it, as an upload, or as a list of those (`getlist`);
* required are only those read with `[...]` on every request: in the statements that open the
  view, before its first `if`, loop, `try` or `with`, and outside a conditional expression, an
  `and` / `or`, a lambda or a comprehension. The documentation is never stronger than the view;
* a view that also reads the form whole (`validate(request.form)`, `request.form.to_dict()`)
  documents the fields it names, and a form of other fields too;
* a function of the legacy package the view hands the form or the files to
  (`_form_to_item_data(request.form)`) is read the same way, its parameter standing for them
  (unless it rebinds it), and the functions it hands them on to, a few calls deep: what it
  names is documented, required where it reads it with `[...]` on every call of a call made on
  every request;
* a body read as JSON or else as a form (`request.get_json(silent=True) or request.form`)
  documents the JSON body's schema (FM010's model, FM007's untyped body) for the form too
  (`json_or_form(...)`);
* a route whose body another rule documents from a declaration (a WTForms form, FM012; a
  request parser, FM030; flask-smorest, APIFlask or Flask-RESTX models) is left to it; one of
  bodiless methods only (GET, DELETE) documents none.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping

import libcst as cst
import libcst.matchers as m

from codemods.base import BODILESS_METHODS, ViewCodemod, string_literal
from codemods.json_body import JSON_READS
from codemods.query_args import FLASK_PARAMS
from migrator.convert.schemas import LegacyModule, LegacySource
from migrator.scan.extract import dotted_name, through_imports

FORM = "flask.request.form"
FILES = "flask.request.files"
#: The route options other rules write that document a JSON body alone, which the form joins.
JSON_ONLY_BODIES = ("JSON_BODY", "json_body(", "json_schema_body(")
#: `type=` of `request.form.get(...)` documented as what it makes of the text.
FORM_VALUE_TYPES = {"int": "int", "float": "float", "str": "str"}
# Statements after which a field read with `[...]` may not be read on every request.
_BRANCHING = (cst.If, cst.For, cst.While, cst.Try, cst.TryStar, cst.With, cst.Match,
              cst.FunctionDef, cst.ClassDef)
#: How many calls deep the form is followed into the legacy package's functions.
HELPER_DEPTH = 3
# Expressions a part of which may not run whenever the statement does.
_CONDITIONAL = (cst.IfExp, cst.BooleanOperation, cst.Lambda, cst.ListComp, cst.SetComp,
                cst.DictComp, cst.GeneratorExp)


class _FormReads(cst.CSTVisitor):
    """What one view reads of `request.form` and `request.files`."""

    def __init__(self, context, followed: frozenset[tuple[str, str]] = frozenset()) -> None:
        super().__init__()
        self.context = context
        self.followed = followed  # (function, parameter) pairs being read, outermost first
        self.fields: dict[str, str] = {}  # name -> "str", "int", "float", "file", "list[...]"
        self.required: list[str] = []
        self.reads = False  # the form or the files, in any way but as a JSON fallback
        self.json_fallback = False  # `request.get_json(silent=True) or request.form`
        self.unconditional = True  # the statement being read runs on every request
        self._conditional = 0
        self._fallback_forms: set[int] = set()  # ids of the form nodes a fallback reads

    def source(self, node: cst.BaseExpression) -> str | None:
        qualified = self.context.qualified(node)
        return qualified if qualified in (FORM, FILES) else None

    def read_body(self, function: cst.FunctionDef) -> None:
        """Read the statements of `function`: those after its first branching one may not run
        on every request."""
        body = function.body.body if isinstance(function.body, cst.IndentedBlock) else \
            [function.body]
        for statement in body:
            if isinstance(statement, _BRANCHING):
                self.unconditional = False
            statement.visit(self)

    def aliases(self) -> Mapping[str, str]:
        """The names the code being read imports (local name -> qualified name)."""
        return self.context.aliases

    def module_name(self) -> str:
        return self.context.route.view_module

    def field(self, name: str, kind: str, required: bool = False) -> None:
        self.fields.setdefault(name, kind)
        if required and self.unconditional and not self._conditional \
                and name not in self.required:
            self.required.append(name)

    # a function nested in the view runs when something calls it, if ever
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.source(node) is not None and id(node) not in self._fallback_forms:
            self.reads = True

    def visit_Subscript(self, node: cst.Subscript) -> None:
        source = self.source(node.value)
        if source is None or len(node.slice) != 1 \
                or not isinstance(node.slice[0].slice, cst.Index):
            return
        name = string_literal(node.slice[0].slice.value)
        if name is not None:
            self.field(name, "file" if source == FILES else "str", required=True)

    def visit_Call(self, node: cst.Call) -> None:
        self.follow(node)
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("get", "getlist"):
            return
        source = self.source(func.value)
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if source is None or not positional:
            return
        name = string_literal(positional[0].value)
        if name is None:
            return
        kind = "file"
        if source == FORM:
            given = next((arg.value for arg in node.args
                          if arg.keyword is not None and arg.keyword.value == "type"), None)
            # (a builtin the module does not rebind by an import)
            kind = FORM_VALUE_TYPES.get(given.value, "str") \
                if isinstance(given, cst.Name) and given.value not in self.aliases() \
                else "str"
        self.field(name, f"list[{kind}]" if func.attr.value == "getlist" else kind)

    def follow(self, node: cst.Call) -> None:
        """Read the function of the legacy package that `node` hands the form or the files
        to, as a whole (`_form_to_item_data(request.form)`), for what it reads of them."""
        handed = {index: source for index, arg in enumerate(node.args)
                  if not arg.star and (source := self.source(arg.value)) is not None}
        legacy = self.context.legacy
        if not handed or len({function for function, _ in self.followed}) >= HELPER_DEPTH \
                or not isinstance(legacy, LegacySource):
            return
        found = self.helper(node.func, legacy)
        if found is None:
            return
        module, qualified, function = found
        positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        keywords = {a.arg for a in (*function.args.args, *function.args.kwonlyargs)}
        sources: dict[str, str] = {}
        for index, source in handed.items():
            arg = node.args[index]
            if arg.keyword is not None:
                parameter = arg.keyword.value if arg.keyword.value in keywords else None
            elif any(a.star for a in node.args[:index]) or index >= len(positional):
                parameter = None
            else:
                parameter = positional[index]
            if parameter is not None and (qualified, parameter) not in self.followed \
                    and parameter not in _rebound_names(function):
                sources[parameter] = source
        if not sources:
            return
        reads = _HelperFormReads(self.context, module, sources, self.followed | {
            (qualified, parameter) for parameter in sources})
        # the helper's `[...]` reads happen on every request if its call does
        reads.unconditional = self.unconditional and not self._conditional
        reads.read_body(cst.parse_module(ast.unparse(function)).body[0])
        for name, kind in reads.fields.items():
            self.fields.setdefault(name, kind)
        self.required += [name for name in reads.required if name not in self.required]

    def helper(self, func: cst.BaseExpression, legacy: LegacySource
               ) -> tuple[LegacyModule, str, ast.FunctionDef] | None:
        """(its module, its qualified name, its definition) where `func` names a function of
        the legacy package (imported, or defined in the module being read)."""
        dotted = dotted_name(func)
        if dotted is None:
            return None
        qualified = through_imports(dotted, dict(self.aliases())) \
            or f"{self.module_name()}.{dotted}"
        found = legacy.lookup(qualified)
        if found is None or found[1] not in found[0].functions:
            return None
        module, name = found
        return module, f"{module.name}.{name}", module.functions[name]

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)):
                source = self.source(target.comparator)
                name = string_literal(node.left)
                if source is not None and name is not None:
                    self.field(name, "file" if source == FILES else "str")

    # (libcst's dispatch: the visit_/leave_ methods run from these)
    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _CONDITIONAL):
            self._conditional += 1
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if isinstance(original_node, _CONDITIONAL):
            self._conditional -= 1

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if isinstance(node.operator, cst.Or):
            self.fallback([node.left, node.right])

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.fallback([node.body, node.orelse])

    def fallback(self, operands: list[cst.BaseExpression]) -> None:
        """`request.get_json(silent=True) or request.form` (also `... .to_dict()`,
        `dict(request.form)`, or `request.json if request.is_json else request.form`): the
        form stands for the JSON body where there is none."""
        forms = [form for form in map(self.whole_form, operands) if form is not None]
        if forms and any(self.reads_json(operand) for operand in operands):
            self.json_fallback = True
            self._fallback_forms.update(id(form) for form in forms)

    def whole_form(self, node: cst.BaseExpression) -> cst.BaseExpression | None:
        """The `request.form` node of `request.form`, `request.form.to_dict()` or
        `dict(request.form)`; None for anything else."""
        if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute) \
                and node.func.attr.value == "to_dict":
            node = node.func.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) \
                and node.func.value == "dict" and "dict" not in self.context.aliases \
                and len(node.args) == 1 and node.args[0].keyword is None \
                and not node.args[0].star:
            node = node.args[0].value
        return node if self.context.qualified(node) == FORM else None

    def reads_json(self, node: cst.BaseExpression) -> bool:
        return any(self.context.qualified(attribute) in JSON_READS
                   for attribute in m.findall(node, m.Attribute()))


def _rebound_names(function: ast.FunctionDef) -> set[str]:
    """The names `function` assigns to (or declares global) in its body."""
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.arg) and node not in (
                *function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs):
            names.add(node.arg)  # a nested function's or lambda's own parameter
    return names


class _HelperFormReads(_FormReads):
    """What a function of the legacy package reads of the form or the files a view hands it:
    its parameters in `sources` stand for them (the function does not rebind them)."""

    def __init__(self, context, module: LegacyModule, sources: dict[str, str],
                 followed: frozenset[tuple[str, str]]) -> None:
        super().__init__(context, followed)
        self.module = module
        self.sources = sources

    def source(self, node: cst.BaseExpression) -> str | None:
        return self.sources.get(node.value) if isinstance(node, cst.Name) else None

    def aliases(self) -> Mapping[str, str]:
        return self.module.imports

    def module_name(self) -> str:
        return self.module.name

    def fallback(self, operands: list[cst.BaseExpression]) -> None:
        """(the JSON body a view falls back from is the view's to read)"""


class FormFieldsDoc(ViewCodemod):
    RULE_ID = "FM039"
    SUMMARY = ("request.form / request.files reads -> the route documents its form fields and "
               "uploads (OpenAPI)")

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if set(self.context.route.methods) <= BODILESS_METHODS:
            return updated_node
        existing = self.context.route_options.get("openapi_extra")
        if existing is not None and not existing.startswith(JSON_ONLY_BODIES):
            return updated_node  # documented from a declaration (FM012, FM030, FM032, FM033)
        reads = _FormReads(self.context)
        reads.read_body(updated_node)
        if not reads.reads and not reads.json_fallback:
            return updated_node
        extra = existing
        if reads.json_fallback and existing is not None:
            extra = f"json_or_form({existing})"
            self.context.imports.add((FLASK_PARAMS, "json_or_form"))
        if reads.reads or extra is None:
            fields = "{" + ", ".join(f"{json.dumps(name)}: {json.dumps(kind)}"
                                     for name, kind in reads.fields.items()) + "}"
            required = f", required={json.dumps(reads.required)}" if reads.required else ""
            also = f", also={extra}" if extra is not None else ""
            extra = f"form_fields({fields}{required}{also})"
            self.context.imports.add((FLASK_PARAMS, "form_fields"))
        self.context.route_options["openapi_extra"] = extra
        self.changed()
        return updated_node
