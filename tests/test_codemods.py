"""Before/after pairs for every view rule: the Flask snippet and the exact expected output.

Each pair also runs the rule a second time on its own output and expects no change (idempotency),
and parses the output (it must be valid Python).
"""

from __future__ import annotations

import ast
import textwrap

import libcst as cst
import pytest

from codemods.abort_raise import AbortRaise
from codemods.base import EnclosingScope, ViewContext
from codemods.enclosing_values import EnclosingValues
from codemods.json_body import JsonBodyDoc
from codemods.jsonify_return import JsonifyReturn
from codemods.module_attributes import ModuleAttributes
from codemods.module_state import ModuleState
from codemods.path_params import PathParameters
from codemods.query_args import CookieValues, HeaderValues, QueryArgs
from codemods.registry import VIEW_RULES, select_rules
from codemods.restful_output import RestfulOutput
from migrator.model import CustomConverter, DecoratorInfo, PathParameter, Route, Wrapper
from migrator.scan.extract import import_aliases


def run_rule(rule, source: str, parameters=(), decorators=(), rule_options=None,
             route_fields=None, new_parameters=(), **context_options):
    """`decorators`: what the scan read of the view's decorators (DecoratorInfo);
    `rule_options`: the rule's Werkzeug options as the scan records them (source text);
    `route_fields`: other fields of the scanned route (`kind="resource"`);
    `new_parameters`: the endpoint's parameters that earlier rules added (NewParameter)."""
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    [function] = [s for s in module.body if isinstance(s, cst.FunctionDef)]
    route = Route(**{"rule": "/x", "methods": ["GET"], "endpoint": "x", "blueprint": None,
                     "app": None, "file": "m.py", "line": 1, "function": function.name.value,
                     "parameters": list(parameters), "module": "m", **(route_fields or {})})
    route.decorator_details = list(decorators)
    route.rule_options = dict(rule_options or {})
    context = ViewContext(route, import_aliases(module, "m", False),
                          parameters=list(new_parameters), **context_options)
    result = rule(context).transform(function)
    again = rule(ViewContext(route, context.aliases, parameters=list(new_parameters),
                             **context_options)).transform(result)
    assert again.deep_equals(result), "a second run must change nothing"
    code = cst.Module(body=[result]).code
    ast.parse(code)
    return code, context


def check(rule, before: str, after: str, parameters=(), decorators=()):
    code, context = run_rule(rule, before, parameters, decorators)
    assert code == textwrap.dedent(after).lstrip("\n")
    return context


def check_noop(rule, before: str, parameters=(), decorators=()):
    code, context = run_rule(rule, before, parameters, decorators)
    module = cst.parse_module(textwrap.dedent(before).lstrip("\n"))
    [function] = [s for s in module.body if isinstance(s, cst.FunctionDef)]
    assert code == cst.Module(body=[function]).code
    assert not context.applied
    return context


# -- FM001 path parameters ------------------------------------------------------------------
def test_fm001_types_path_parameters_and_keeps_comments():
    context = check(PathParameters, """
        from flask import Blueprint
        def show(item_id, token, amount, rest, name):  # the view
            # look it up
            return str(item_id)
    """, """
        def show(item_id: int, token: UUID, amount: float, rest: str, name: str):  # the view
            # look it up
            return str(item_id)
    """, [PathParameter("item_id", "int"), PathParameter("token", "uuid"),
          PathParameter("amount", "float"), PathParameter("rest", "path"),
          PathParameter("name", "default")])
    assert context.imports == {("uuid", "UUID")}


def test_fm001_parameter_with_a_default():
    check(PathParameters, """
        def show(page=1, anything=None):
            return ""
    """, """
        def show(page: int = 1, anything: str | None = None):
            return ""
    """, [PathParameter("page", "int"), PathParameter("anything", "path")])


def test_fm001_keeps_existing_annotations():
    check_noop(PathParameters, """
        def show(item_id: int):
            return ""
    """, [PathParameter("item_id", "int")])


def test_fm001_keeps_annotations_that_name_the_converter_s_type():
    """As written, quoted, aliased, or with None: FastAPI reads each as the converter's type."""
    check_noop(PathParameters, """
        import uuid
        from typing import Optional, Union
        from uuid import UUID as Id
        def show(a: int, b: "float", e: uuid.UUID, f: Id | None, g: "str | None",
                 c: Optional[str] = None, d: Union[None, int] = None):
            return ""
    """, [PathParameter("a", "int"), PathParameter("b", "float"), PathParameter("c", "default"),
          PathParameter("d", "int"), PathParameter("e", "uuid"), PathParameter("f", "uuid"),
          PathParameter("g", "path")])


def test_fm001_gives_the_converter_s_type_where_the_view_annotated_another():
    """Flask hands the view the converter's value whatever the view's annotation says; FastAPI
    would validate the value against it (`item_id: str` on `<int:item_id>`: 422 on every
    request; `slug: int` on `<slug>`: 422 on every slug that is not a number) or refuse to start
    (`Sequence[str]` is no path type). The parameter gets the converter's type."""
    check(PathParameters, """
        from collections.abc import Sequence
        def show(item_id: str, slug: int, names: Sequence[str], when: "int | str",  # keep
                 token: str = None):
            return ""
    """, """
        def show(item_id: int, slug: str, names: str, when: int,  # keep
                 token: UUID | None = None):
            return ""
    """, [PathParameter("item_id", "int"), PathParameter("slug", "default"),
          PathParameter("names", "path"), PathParameter("when", "int"),
          PathParameter("token", "uuid")])


def test_fm001_types_converters_with_arguments_a_regex_decides():
    check(PathParameters, """
        def v(kind, cc, n, year, x):
            return ""
    """, """
        def v(kind: str, cc: str, n: int, year: int, x: float):
            return ""
    """, [PathParameter("kind", "any", "about, help"), PathParameter("cc", "string", "length=2"),
          PathParameter("n", "int", "signed=True"), PathParameter("year", "int", "fixed_digits=4"),
          PathParameter("x", "float", "signed=True")])


def test_fm001_takes_the_value_of_the_app_s_own_converter_from_the_legacy_request():
    """`<uuid_str:uuid>`, `<list:tags>`: the app's own converters. FastAPI passes the text it
    matched (`str`, whatever the view declared); the view takes what the converter's
    `to_python` gave, which the legacy URL map put in `request.view_args` (`view_arg`, a function:
    the view's module may bind `request` to something else). A parameter the view never reads
    needs no value."""
    uuid_str = CustomConverter("uuid_str", "app.StrictUUIDConverter", "[^/]+", "its regex")
    listed = CustomConverter("list", None, "[a-z,]+", "its regex")
    context = check(PathParameters, '''
        def v(uuid, tags: list[str], unused=None):
            \"\"\"A watch.\"\"\"
            # the view
            return str((uuid, tags))
    ''', '''
        def v(uuid: str, tags: str, unused: str | None = None):
            \"\"\"A watch.\"\"\"
            uuid = view_arg("uuid")  # FM001: what StrictUUIDConverter.to_python gave, as Flask passed it
            tags = view_arg("tags")  # FM001: what the app's 'list' converter gave, as Flask passed it
            # the view
            return str((uuid, tags))
    ''', [PathParameter("uuid", "uuid_str", None, uuid_str),
          PathParameter("tags", "list", None, listed),
          PathParameter("unused", "uuid_str", None, uuid_str)])
    assert context.imports == {(".flask_params", "view_arg")}


def test_fm001_binds_the_default_of_a_parameter_the_rule_lacks():
    """`/users/` and `/users/<int:page>` sharing `def users(page=1)`: Flask calls the view with
    the rule's values only, so for `/users/` `page` is always 1. Left in the signature, FastAPI
    would read it from the query string (`/users/?page=9`, or `?is_admin=1` below)."""
    check(PathParameters, '''
        def users(item_id, page=1, is_admin: bool = False, tags=("a", -1), unread=0, *, note=None):
            \"\"\"Pages of users.\"\"\"
            # the view
            return str((page, is_admin, tags, note))
    ''', '''
        def users(item_id: int):
            \"\"\"Pages of users.\"\"\"
            page = 1  # FM001: not in the rule, so Flask always passed this default
            is_admin: bool = False  # FM001: not in the rule, so Flask always passed this default
            tags = ("a", -1)  # FM001: not in the rule, so Flask always passed this default
            note = None  # FM001: not in the rule, so Flask always passed this default
            # the view
            return str((page, is_admin, tags, note))
    ''', [PathParameter("item_id", "int")])


def test_fm001_reads_the_rules_defaults_from_the_legacy_request():
    """`@app.get("/users/", defaults={"page": 1, "env": app.config["ENV"]})`: Flask passes the
    rule's defaults (values the scan need not read), which the legacy request's `view_args`
    hold; a function default is not what Flask passes."""
    code, context = run_rule(PathParameters, '''
        def users(page=3, env=None, unread=0):
            """Pages of users."""
            return str((page, env))
    ''', rule_options={"defaults": '{"page": 1, "env": app.config["ENV"]}'})
    assert code == textwrap.dedent('''
        def users():
            """Pages of users."""
            page = request.view_args["page"]  # FM001: the rule's `defaults`, as Flask passed them
            env = request.view_args["env"]  # FM001: the rule's `defaults`, as Flask passed them
            return str((page, env))
    ''').lstrip("\n")
    assert context.imports == {("flask", "request")}
    for options, reason in [
            ({"defaults": '{"page": 1, "size": 10}'}, "the rule's defaults pass 'size'"),
            ({"defaults": "{**BASE}"}, "'page' is not in the rule, and its default is not"),
            ({"defaults": "DEFAULTS"}, "'page' is not in the rule, and its default is not")]:
        _, context = run_rule(PathParameters, "def v(page=[]):\n    return ''\n",
                              rule_options=options)
        assert any(reason in why for _, why in context.refusals), (options, context.refusals)


def test_fm001_drops_a_rule_default_the_view_never_reads():
    """calibre-web's `@opds.route("/ajax/book/<uuid>", defaults={"library": ""})` on `def
    view(uuid, library)`, whose body never reads `library`: binding it would be an unused
    variable (ruff's F841), so the parameter just goes, as an unread function default does."""
    code, context = run_rule(PathParameters, '''
        def book(uuid, library, page=2):
            return uuid
    ''', [PathParameter("uuid", "string")], rule_options={"defaults": '{"library": ""}'})
    assert code == textwrap.dedent('''
        def book(uuid: str):
            return uuid
    ''').lstrip("\n")
    assert context.imports == set()


@pytest.mark.parametrize("source, parameter, reason", [
    ("def v(x, cache={}):\n    return ''\n", PathParameter("x", "int"),
     "'cache' is not in the rule, and its default is not a literal"),
    ("def v(x, y=[]):\n    return ''\n", PathParameter("x", "int"),
     "'y' is not in the rule, and its default is not a literal"),
    ("def v(x, other):\n    return ''\n", PathParameter("x", "int"),
     "'other' has no default and is not in the rule"),
    ("def v():\n    return ''\n", PathParameter("x", "int"), "no parameter"),
    ("def v(x):\n    return ''\n", PathParameter("x", "hex"),
     "<hex:x> has no Starlette convertor"),
    ("def v(x):\n    return ''\n", PathParameter("x", "int", "min=1"),
     "<int(min=1):x> has no Starlette convertor"),
])
def test_fm001_refuses_what_it_cannot_type(source, parameter, reason):
    _, context = run_rule(PathParameters, source, [parameter])
    assert context.refusals and reason in context.refusals[0][1]


def test_fm001_leaves_a_view_taking_varargs_to_fm028():
    check_noop(PathParameters, "def v(*args, **kwargs):\n    return ''\n",
               [PathParameter("x", "int")])


# -- FM002 query arguments ------------------------------------------------------------------
def test_fm002_query_arguments_with_flask_semantics():
    context = check(QueryArgs, """
        from flask import request
        def search(slug):
            q = request.args.get("q")
            order = request.args.get("order", "name")  # default
            page = request.args.get("page", 1, type=int)
            size = request.args.get("per-page", default=10)
            tags = request.args.getlist("tag")
            ids = request.args.getlist("id", type=int)
            again = request.args.get("q")
            return q, order, page, size, tags, ids, again, request.args.to_dict()
    """, """
        def search(slug):
            # default
            page = arg_value(page, 1, int)
            size = (per_page if per_page is not None else 10)
            tags = arg_list(tag)
            ids = arg_list(id, int)
            again = q
            return q, order, page, size, tags, ids, again, request.args.to_dict()
    """)
    assert [(p.name, p.annotation, p.default) for p in context.parameters] == [
        ("q", "Annotated[str | None, Query()]", "None"),
        ("order", "Annotated[str, Query()]", '"name"'),
        ("page", "Annotated[str | None, Query()]", "None"),
        ("per_page", 'Annotated[str | None, Query(alias="per-page")]', "None"),
        ("tag", "Annotated[list[str] | None, Query()]", "None"),
        ("id", "Annotated[list[str] | None, Query()]", "None"),
    ]
    assert context.imports == {("fastapi", "Query"), ("typing", "Annotated"),
                               (".flask_params", "arg_value"), (".flask_params", "arg_list")}


def test_fm002_no_parentheses_around_a_calls_only_argument():
    """`int(request.args.get("draw", 0))` became `int((draw if draw is not None else 0))`, which
    `ruff check` flags (UP034, found converting puppetboard 7); elsewhere the parentheses stay."""
    check(QueryArgs, """
        from flask import request
        def v():
            draw = int(request.args.get("draw", 0))
            start = request.args.get("start", 0) + 1
            return str((draw, start, max(request.args.get("n", 5), 2)))
    """, """
        def v():
            draw = int(draw_query if draw_query is not None else 0)
            start = (start_query if start_query is not None else 0) + 1
            return str((draw, start, max((n if n is not None else 5), 2)))
    """)


def test_fm002_aliased_and_module_style_imports():
    check(QueryArgs, """
        import flask
        from flask import request as req
        def v():
            return req.args.get("a"), flask.request.args.get("b")
    """, """
        def v():
            return a, b
    """)


def test_fm002_name_clash_with_a_path_parameter():
    context = check(QueryArgs, """
        from flask import request
        def v(item_id):
            return request.args.get("item_id")
    """, """
        def v(item_id):
            return item_id_query
    """)
    assert context.parameters[0].annotation == 'Annotated[str | None, Query(alias="item_id")]'


def test_fm002_a_parameter_never_shadows_a_name_the_view_reads():
    # `request` would shadow the Flask request the view still reads for its method
    context = check(QueryArgs, """
        from flask import request
        def v():
            wanted = request.args.get("request")
            return request.method, wanted, get_db(request.args.get("get_db"))
    """, """
        def v():
            wanted = request_query
            return request.method, wanted, get_db(get_db_query)
    """)
    assert [(p.name, p.annotation) for p in context.parameters] == [
        ("request_query", 'Annotated[str | None, Query(alias="request")]'),
        ("get_db_query", 'Annotated[str | None, Query(alias="get_db")]'),
    ]


def test_fm002_leaves_what_it_cannot_prove():
    check_noop(QueryArgs, """
        from flask import request
        other = {}
        def v(key):
            a = request.args.get(key)
            b = request.args["x"]
            c = other.args.get("x") if False else request.args.get("x", type=int, foo=1)
            def inner():
                return request.args.get("y")
            return a, b, c, inner
    """)


# -- FM003 jsonify returns ------------------------------------------------------------------
def test_fm003_return_values():
    check(JsonifyReturn, """
        from flask import jsonify as j
        def v(x):
            if x:
                return j({"a": 1})  # plain
            if x > 1:
                return j(a=1, b=x), 201
            if x > 2:
                return j(1, 2), 200, {"X": "y"}
            resp = j(x)
            resp.status_code = 202
            return resp
    """, """
        def v(x):
            if x:
                return {"a": 1}  # plain
            if x > 1:
                return {"a": 1, "b": x}, 201
            if x > 2:
                return [1, 2], 200, {"X": "y"}
            resp = j(x)
            resp.status_code = 202
            return resp
    """)


def test_fm003_leaves_empty_and_mixed_calls():
    check_noop(JsonifyReturn, """
        from flask import jsonify
        def v(x):
            if x:
                return jsonify()
            return jsonify(x, a=1)
    """)


def test_fm003_unwraps_only_values_that_are_dicts_or_lists():
    """`return jsonify(name)` became `return name`: a string then answered as an HTML body, a
    tuple as `(body, status)`, None as Flask's 500, where jsonify answered JSON. Only a value
    that is a dict or a list whatever happens keeps the rewrite."""
    check(JsonifyReturn, """
        from flask import jsonify, request
        def v(x):
            data = {"a": 1}
            data["b"] = 2
            found: list = [r for r in x]
            found += [1]
            if x == 1:
                return jsonify(data)
            if x == 2:
                return jsonify(found), 201
            if x == 3:
                return jsonify(dict(a=1))
            return jsonify({"a": 1} if x else [])
    """, """
        def v(x):
            data = {"a": 1}
            data["b"] = 2
            found: list = [r for r in x]
            found += [1]
            if x == 1:
                return data
            if x == 2:
                return found, 201
            if x == 3:
                return dict(a=1)
            return {"a": 1} if x else []
    """)
    check_noop(JsonifyReturn, """
        from flask import jsonify, request
        from helpers import sorted
        def v(x, items):
            name = request.args.get("name", "")
            pair = (1, 2)
            data = {}
            if x:
                data = request.args.get("data")
            for row in x:
                pass
            with open(x) as handle:
                row = {}
            def inner(dict):
                return dict
            if x == 1:
                return jsonify(name)
            if x == 2:
                return jsonify(pair), 201
            if x == 3:
                return jsonify(data)
            if x == 4:
                return jsonify(items)
            if x == 5:
                return jsonify(row)
            if x == 6:
                return jsonify(sorted(items))
            if x == 7:
                return jsonify(dict(a=1))
            return jsonify(None)
    """)


def _decorator(name, shape, lets_errors_through=False, qualified=None):
    return DecoratorInfo(name, qualified or f"app.deco.{name}", "project", True, shape=shape,
                         lets_errors_through=lets_errors_through)


def test_fm003_leaves_the_answer_a_decorator_around_the_view_works_on():
    """`@stamped` (`resp = view(); resp.headers["X"] = "1"`) stays around the converted view
    (FM022): given the dict instead of jsonify's Response, it raised AttributeError (a 500 where
    Flask answered 200), and a decorator that adds a key to dict answers changed the body."""
    check_noop(JsonifyReturn, """
        from flask import jsonify
        from app.deco import stamped
        @stamped
        def v():
            return jsonify({"a": 1})
    """, decorators=[_decorator("stamped", "post_processing", lets_errors_through=True)])
    # (and one the scan has nothing on)
    check_noop(JsonifyReturn, """
        from flask import jsonify
        @somewhere.wrap
        def v():
            return jsonify({"a": 1})
    """)
    # a guard returns the view's answer untouched, and @csrf.exempt returns the view itself
    check(JsonifyReturn, """
        from flask import jsonify
        from app.auth import require_key
        # keep
        @require_key
        @csrf.exempt
        def v():
            return jsonify({"a": 1})
    """, """
        # keep
        @require_key
        @csrf.exempt
        def v():
            return {"a": 1}
    """, decorators=[_decorator("require_key", "guard"),
                     DecoratorInfo("csrf.exempt", "flask_wtf.csrf.CSRFProtect.exempt",
                                   "external", False)])


# -- FM004 abort -> raise -------------------------------------------------------------------
def test_fm004_abort_becomes_raise():
    context = check(AbortRaise, """
        import flask
        from flask import abort
        def v(x):
            if not x:
                abort(404)
            if x < 0:
                abort(400, "negative")  # why
            if x > 9:
                flask.abort(403, description=f"too big: {x}")
            return ""
    """, """
        def v(x):
            if not x:
                raise HTTPException(status_code=404)
            if x < 0:
                raise HTTPException(status_code=400, detail="negative")  # why
            if x > 9:
                raise HTTPException(status_code=403, detail=f"too big: {x}")
            return ""
    """)
    assert context.imports == {("fastapi", "HTTPException")}


def test_fm004_leaves_abort_with_a_response_or_other_arguments():
    check_noop(AbortRaise, """
        from flask import abort, make_response
        def v(x):
            abort(make_response("no", 418))
            abort(400, "x", extra=1)
            return ""
    """)


def test_fm004_rewrites_only_codes_werkzeug_answers():
    """`abort(resp)` with a response in a variable became `HTTPException(status_code=resp)` (a
    500 where Flask answered the response); `abort(599)` answered 599 where Flask's abort
    raises LookupError (500). A status of `http.HTTPStatus` is still rewritten."""
    check_noop(AbortRaise, """
        from flask import abort, jsonify
        import settings
        def v(x):
            resp = jsonify(error="x")
            abort(resp)
            abort(599)
            abort(settings.DENIED)
            return ""
    """)
    check(AbortRaise, """
        from http import HTTPStatus
        from flask import abort
        def v(x):
            abort(HTTPStatus.NOT_FOUND, "gone")
    """, """
        def v(x):
            raise HTTPException(status_code=HTTPStatus.NOT_FOUND, detail="gone")
    """)


def test_fm004_leaves_aborts_a_try_may_catch_and_views_reading_httpexception():
    check_noop(AbortRaise, """
        from flask import abort
        from werkzeug.exceptions import NotFound
        def v(x):
            try:
                abort(404)  # `except NotFound` catches Werkzeug's exception, not FastAPI's
            except NotFound:
                return "caught"
    """)
    check_noop(AbortRaise, """
        from flask import abort
        from werkzeug.exceptions import HTTPException
        def v(x):
            if x:
                abort(400)  # FastAPI's HTTPException would hide the Werkzeug one read below
            return HTTPException.code
    """)
    check(AbortRaise, """
        from flask import abort
        def v(x):
            try:
                x = int(x)
            except ValueError:
                return "nan"
            abort(404)
    """, """
        def v(x):
            try:
                x = int(x)
            except ValueError:
                return "nan"
            raise HTTPException(status_code=404)
    """)


def test_fm004_leaves_aborts_a_decorator_around_the_view_may_catch():
    """`@soft404` (`try: return view(...) except NotFound: ...`) stays around the converted view
    (FM022); FastAPI's HTTPException passed its `except NotFound:` by (a 404 where Flask answered
    200). A decorator that lets the view's errors through untouched sees no difference."""
    source = """
        from flask import abort
        from app.deco import soft404
        @soft404
        def v(x):
            if not x:
                abort(404)
            return {"x": x}
    """
    check_noop(AbortRaise, source, decorators=[_decorator("soft404", "post_processing")])
    check(AbortRaise, source, """
        @soft404
        def v(x):
            if not x:
                raise HTTPException(status_code=404)
            return {"x": x}
    """, decorators=[_decorator("soft404", "post_processing", lets_errors_through=True)])


def test_registry_order_and_selection():
    assert [r.RULE_ID for r in VIEW_RULES] == ["FM026", "FM037", "FM038", "FM027", "FM001",
                                               "FM002", "FM005", "FM006", "FM011", "FM032",
                                               "FM012", "FM010", "FM013", "FM031", "FM033",
                                               "FM030", "FM007", "FM039", "FM003", "FM004",
                                               "FM035", "FM020", "FM028"]
    assert [r.RULE_ID for r in select_rules({"FM003"}, None)] == ["FM003"]
    assert [r.RULE_ID for r in select_rules(None, {"FM001"})] == [
        "FM026", "FM037", "FM038", "FM027", "FM002", "FM005", "FM006", "FM011", "FM032", "FM012",
        "FM010", "FM013", "FM031", "FM033", "FM030", "FM007", "FM039", "FM003", "FM004", "FM035",
        "FM020", "FM028"]
    with pytest.raises(ValueError, match="FM999"):
        select_rules({"FM999"}, None)


# -- FM037 module state the view's module rebinds -----------------------------------------------
def test_fm037_reads_and_writes_module_state_on_the_legacy_module():
    code, context = run_rule(ModuleState, """
        def login():
            \"\"\"Log in once the forms are made.\"\"\"
            # made on first use
            global _forms, _seen  # the module's caches
            if _forms is None:
                _forms = [make(name) for name in NAMES if name not in _forms_skipped]
            del _seen
            return render(forms=_forms, title=_forms.title)
    """, module_state=frozenset({"_forms", "_seen", "_templates"}))
    assert code == textwrap.dedent("""
        def login():
            \"\"\"Log in once the forms are made.\"\"\"
            # made on first use
            # the module's caches
            if m._forms is None:
                m._forms = [make(name) for name in NAMES if name not in _forms_skipped]
            del m._seen
            return render(forms=m._forms, title=m._forms.title)
    """).lstrip("\n")
    assert context.module_imports == {("m", "m")} and context.applied == {"FM037"}


def test_fm037_keeps_other_names_of_a_global_and_avoids_the_view_s_names():
    code, context = run_rule(ModuleState, """
        def hit(m):
            global HITS, other
            HITS += m
            return HITS
    """, module_state=frozenset({"HITS"}))
    assert code == textwrap.dedent("""
        def hit(m):
            global other
            m_module.HITS += m
            return m_module.HITS
    """).lstrip("\n")
    assert context.module_imports == {("m", "m_module")}


def test_fm037_leaves_state_nothing_rebinds():
    code, context = run_rule(ModuleState, """
        def limit():
            global LIMIT
            return LIMIT
    """, module_state=frozenset({"HITS"}))
    assert "global LIMIT" in code and not context.applied and not context.module_imports


@pytest.mark.parametrize(("body", "why"), [
    ("    try:\n        pass\n    except E as _c:\n        pass\n", "except ... as"),
    ("    import _c\n", "an import"),
    ("    def _c():\n        pass\n", "a def"),
])
def test_fm037_refuses_a_binding_no_attribute_can_stand_for(body, why):
    _, context = run_rule(ModuleState, "def view():\n    global _c\n" + body,
                          module_state=frozenset({"_c"}))
    assert context.refusals == [("FM037", (
        f"the view binds _c where no attribute can stand ({why}), which functions of m rebind "
        "while the app runs (`global`); a router's import of it would be a copy those writes "
        "never reach"))]


def test_fm037_refuses_a_view_using_the_name_for_its_own():
    _, context = run_rule(ModuleState, """
        def view():
            def inner(_c):
                return _c
            return inner(_c)
    """, module_state=frozenset({"_c"}))
    assert context.refusals[0][1].startswith("the view also uses _c for a name of its own")


# -- FM038 the module's own attributes ----------------------------------------------------------
def test_fm038_reads_the_module_s_own_attributes_on_the_legacy_module():
    context = check(ModuleAttributes, """
        def status():
            \"\"\"Where the app runs.\"\"\"
            log = logging.getLogger(__name__)  # the module's logger
            log.info("%s in %s", __package__, os.path.dirname(__file__))
            return {"doc": __doc__, "names": [__name__ for _ in range(2)]}
    """, """
        def status():
            \"\"\"Where the app runs.\"\"\"
            log = logging.getLogger(m.__name__)  # the module's logger
            log.info("%s in %s", m.__package__, os.path.dirname(m.__file__))
            return {"doc": m.__doc__, "names": [m.__name__ for _ in range(2)]}
    """)
    assert context.module_imports == {("m", "m")} and context.applied == {"FM038"}


def test_fm038_leaves_a_view_reading_none_of_them():
    check_noop(ModuleAttributes, """
        def view(__doc__):
            __name__ = "mine"
            return __doc__ + __name__ + __version__
    """)


def test_fm038_uses_the_name_fm037_imports_the_module_under():
    code, context = run_rule(ModuleAttributes, """
        def view(m):
            return m + __name__
    """, module_imports={("m", "m_module")})
    assert "return m + m_module.__name__" in code
    assert context.module_imports == {("m", "m_module")}


def test_fm038_refuses_a_view_using_the_name_for_its_own():
    _, context = run_rule(ModuleAttributes, """
        def view():
            def inner(__name__):
                return __name__
            return inner(__name__)
    """)
    assert context.refusals == [("FM038", (
        "the view also uses __name__ for a name of its own; a router would read its own "
        "__name__, not m's"))]


# -- FM005 / FM006 headers and cookies ---------------------------------------------------------
def test_fm005_headers_become_header_parameters():
    context = check(HeaderValues, """
        from flask import request as req
        def v():
            token = req.headers.get("X-API-Key")
            agent = req.headers.get("User-Agent", "none")
            size = req.headers.get("Content-Length", type=int)
            custom = req.headers.get("X_Custom")  # Werkzeug reads it as X-Custom
            return token, agent, size, custom, req.headers["X-Required"]
    """, """
        def v():
            token = x_api_key
            agent = user_agent
            size = arg_value(content_length, None, int)
            custom = x_custom  # Werkzeug reads it as X-Custom
            return token, agent, size, custom, req.headers["X-Required"]
    """)
    assert [(p.name, p.annotation, p.default) for p in context.parameters] == [
        ("x_api_key", 'Annotated[str | None, Header(alias="X-API-Key", convert_underscores=False)]',
         "None"),
        ("user_agent", 'Annotated[str, Header(alias="User-Agent", convert_underscores=False)]',
         '"none"'),
        ("content_length",
         'Annotated[str | None, Header(alias="Content-Length", convert_underscores=False)]',
         "None"),
        ("x_custom", 'Annotated[str | None, Header(alias="X-Custom", convert_underscores=False)]',
         "None"),
    ]


def test_fm006_cookies_become_cookie_parameters_and_self_assignments_go():
    context = check(CookieValues, """
        import flask
        def v():
            # the theme the user chose
            theme = flask.request.cookies.get("theme", "light")
            lang = flask.request.cookies.get("lang", flask.request.accept_languages.best or "en")
            return theme, lang
    """, """
        def v():
            # the theme the user chose
            lang = (lang if lang is not None else flask.request.accept_languages.best or "en")
            return theme, lang
    """)
    assert [(p.name, p.annotation, p.default) for p in context.parameters] == [
        ("theme", "Annotated[str, Cookie()]", '"light"'),
        ("lang", "Annotated[str | None, Cookie()]", "None"),
    ]


# -- FM007 JSON body documented ------------------------------------------------------------------
def test_fm007_documents_the_json_body_and_leaves_the_view_alone():
    source = """
        from flask import request as r
        def v():
            data = r.get_json(silent=True) or {}
            return data
    """
    code, context = run_rule(JsonBodyDoc, source)
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    assert code == cst.Module(body=[module.body[1]]).code  # the view is unchanged
    assert context.route_options == {"openapi_extra": "JSON_BODY"}
    assert context.imports == {(".flask_params", "JSON_BODY")}
    _, context = run_rule(JsonBodyDoc, "import flask\ndef v():\n    return flask.request.json\n")
    assert context.route_options == {"openapi_extra": "JSON_BODY"}
    _, context = run_rule(JsonBodyDoc, "from flask import request\ndef v():\n    return request.args\n")
    assert context.route_options == {}


def test_fm002_never_takes_a_name_the_view_binds_otherwise():
    check(QueryArgs, """
        from flask import request
        def v():
            tag = "default"
            found = [tag for tag in request.args.getlist("tag")]
            q = request.args.get("q", "")
            q = q.strip()
            page = request.args.get("page")
            return tag, found, q, page
    """, """
        def v():
            tag = "default"
            found = [tag for tag in arg_list(tag_query)]
            q = q_query
            q = q.strip()
            return tag, found, q, page
    """)


# -- FM026 names of the function a view is defined in -------------------------------------------
FACTORY = EnclosingScope("construct_blueprint", frozenset({"datastore", "app", "bp", "helper",
                                                           "token", "guard"}))


def test_fm026_takes_the_factory_s_names_from_the_legacy_view():
    code, context = run_rule(EnclosingValues, '''
        def index(uuid):
            """One watch."""
            # the datastore the factory was given
            watch = datastore.data["watching"].get(uuid)
            return helper(watch, app.config["X"], len)  # builtins stay builtins
    ''', enclosing=FACTORY)
    assert code == textwrap.dedent('''
        def index(uuid):
            """One watch."""
            app = enclosing_value("x", "app")  # FM026: construct_blueprint()'s `app`, from the legacy view's closure
            datastore = enclosing_value("x", "datastore")  # FM026: construct_blueprint()'s `datastore`, from the legacy view's closure
            helper = enclosing_value("x", "helper")  # FM026: construct_blueprint()'s `helper`, from the legacy view's closure
            # the datastore the factory was given
            watch = datastore.data["watching"].get(uuid)
            return helper(watch, app.config["X"], len)  # builtins stay builtins
    ''').lstrip("\n")
    assert context.imports == {(".flask_params", "enclosing_value")}
    assert context.applied == {"FM026"}


def test_fm026_a_one_line_body_becomes_a_block_and_keeps_its_comment():
    code, _ = run_rule(EnclosingValues, "def ping(): return app.name  # who answers\n",
                       enclosing=FACTORY)
    assert code == (
        "def ping():\n"
        '    app = enclosing_value("x", "app")  # FM026: construct_blueprint()\'s `app`, from '
        "the legacy view's closure\n"
        "    return app.name  # who answers\n")


def test_fm026_finds_a_view_that_functools_wraps_named_after_another_function():
    """fava's `api_endpoint(func)`: `@wraps(func)` on the view itself (the scan's `view_wraps`)
    names `func` as the view's `__wrapped__`, so the view's closure is found by its own name."""
    code, _ = run_rule(EnclosingValues, '''
        def _wrapper():
            """The endpoint."""
            return func()
    ''', enclosing=EnclosingScope("api_endpoint", frozenset({"func", "method", "name"})),
        route_fields={"function": "api_endpoint._wrapper", "view_wraps": "m.get_changed"})
    assert code == textwrap.dedent('''
        def _wrapper():
            """The endpoint."""
            func = enclosing_value("x", "func", view="api_endpoint._wrapper")  # FM026: api_endpoint()'s `func`, from the legacy view's closure
            return func()
    ''').lstrip("\n")


def test_fm026_a_name_the_view_binds_itself_or_the_module_s_is_left_alone():
    code, context = run_rule(EnclosingValues, '''
        def index():
            token = request.args.get("token")
            def inner(datastore):
                return datastore
            return inner(token)
    ''', enclosing=FACTORY)
    assert "enclosing_value" not in code
    assert not context.applied
    # a view at its module's top level: nothing to take
    check_noop(EnclosingValues, "def index():\n    return datastore\n")


@pytest.mark.parametrize(("source", "refusal"), [
    ("""
     def count():
         nonlocal token
         token += 1
         return str(token)
     """, ("the view rebinds token of construct_blueprint() (`nonlocal`), which a converted "
           "view cannot")),
    ("""
     @guard
     def admin():
         return "x"
     """, ("the view's decorators, defaults or annotations read guard of "
           "construct_blueprint(), which construct_blueprint() evaluated when it defined the "
           "view; a router cannot")),
    ("""
     def page(n=token) -> bp:
         return n
     """, ("the view's decorators, defaults or annotations read bp, token of "
           "construct_blueprint(), which construct_blueprint() evaluated when it defined the "
           "view; a router cannot")),
])
def test_fm026_refuses_what_the_factory_evaluated_or_what_rebinds_its_names(source, refusal):
    code, context = run_rule(EnclosingValues, source, enclosing=FACTORY)
    assert context.refusals == [("FM026", refusal)]
    assert "enclosing_value" not in code


def test_fm002_never_names_a_parameter_after_a_builtin_the_view_calls():
    """changedetection.io's edit page calls `next(...)` and reads `request.args.get("next")`: a
    parameter `next` made `next(...)` call None."""
    context = check(QueryArgs, """
        from flask import request
        def v():
            first = next(iter(["a"]))
            return request.args.get("next") or first, request.args.get("id")
    """, """
        def v():
            first = next(iter(["a"]))
            return next_query or first, id
    """)
    # `id` is a builtin too, but the view does not call it: the parameter keeps its name
    assert [(p.name, p.annotation) for p in context.parameters] == [
        ("next_query", 'Annotated[str | None, Query(alias="next")]'),
        ("id", "Annotated[str | None, Query()]")]


# -- FM027 a Flask-RESTful resource's answers, made by the legacy Api ------------------------------
RESOURCE = {"kind": "resource", "resource_api": "flask_restful.Api", "endpoint": "api.todo",
            "wrapped_at_registration": [Wrapper("stamped", "m.stamped")]}


def test_fm027_puts_the_api_s_output_inside_the_api_s_decorators():
    code, context = run_rule(RestfulOutput, '''
        @stamped
        @require_key  # the class's `decorators`
        def todo_get(todo_id):
            """One todo."""
            # the todo, or Flask-RESTful's 404
            if todo_id not in TODOS:
                abort(404, message="no such todo")
            return TODOS[todo_id], 200,   {"X-Id": todo_id}
    ''', route_fields=RESOURCE)
    assert code == textwrap.dedent('''
        @stamped
        @restful_output("api.todo")  # FM027: the legacy Api makes the answer
        @require_key  # the class's `decorators`
        def todo_get(todo_id):
            """One todo."""
            # the todo, or Flask-RESTful's 404
            if todo_id not in TODOS:
                abort(404, message="no such todo")
            return TODOS[todo_id], 200,   {"X-Id": todo_id}
    ''').lstrip("\n")
    assert context.imports == {(".flask_params", "restful_output")}
    assert context.applied == {"FM027"}


def test_fm027_leaves_views_and_flask_restplus_resources_alone():
    check_noop(RestfulOutput, "@app.get('/x')\ndef x():\n    return {}\n")
    code, context = run_rule(RestfulOutput, "def get():\n    return {}\n", route_fields={
        **RESOURCE, "resource_api": "flask_restplus.Api"})
    assert code == "def get():\n    return {}\n" and not context.applied


def test_fm027_a_flask_restx_resource_answers_through_its_api_too():
    code, context = run_rule(RestfulOutput, "def get():\n    return {}\n", route_fields={
        **RESOURCE, "resource_api": "flask_restx.Api"})
    assert code == ('@restful_output("api.todo")  # FM027: the legacy Api makes the answer\n'
                    "def get():\n    return {}\n")
    assert context.applied == {"FM027"}
