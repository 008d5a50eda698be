"""Decorators that read or change the view's arguments (FM025).

A logging decorator (`log.debug("enter %s %s", args, kwargs)`), an ownership check on
`kwargs["user_id"]`, a decorator normalising a path value: their wrappers use `args`/`kwargs`
besides calling the view, which kept every such route on Flask (FM023, "it reads or changes the
view's arguments": privacyidea 3.14 has 199 routes kept only by its `@log_with`). Flask calls a
view function with the values of its rule, by name. The decorator stays around the converted view,
inside the legacy request context, and sees the same arguments when the converted view takes
exactly the legacy view's parameters: no query, header or cookie parameter is added (the view
keeps reading `request.args`). A view taking a parameter the rule lacks (`@inject_user` passing
`user`) keeps it, and the endpoint takes the rule's values (FM028, tests/test_rule_values.py).
Such a decorator is not lifted into a dependency (a dependency is not given the view's
arguments).

The wrapper may also call the view in several places when it runs it at most once: every call but
the last is returned at once (`if not enabled: return view(*args, **kwargs)`), the last in no loop.
"""

from __future__ import annotations

import libcst as cst
from starlette.testclient import TestClient

from codemods.query_args import QueryArgs
from migrator.model import DecoratorInfo
from migrator.scan.wrappers import read_wrapper
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.test_codemods import check_noop

LEGACY = '''
import functools
import logging

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
log = logging.getLogger("legacy.calls")
CALLS = []


def logged(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not log.isEnabledFor(logging.DEBUG):
            return view(*args, **kwargs)
        CALLS.append(("enter", view.__name__, sorted(kwargs)))
        result = view(*args, **kwargs)
        CALLS.append(("exit", view.__name__))
        return result
    return wrapper


def owner_only(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if kwargs.get("user_id") != int(request.headers.get("X-User", "0")):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def upper_slug(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        kwargs["slug"] = kwargs["slug"].upper()
        return view(*args, **kwargs)
    return wrapper


def inject_user(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        kwargs["user"] = {"name": request.headers.get("X-Name", "ann")}
        return view(*args, **kwargs)
    return wrapper


def with_arguments(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        answer = view(*args, **kwargs)
        return {"answer": answer, "arguments": sorted(kwargs)}
    return wrapper


@app.get("/users/<int:user_id>")
@logged
@owner_only
def user(user_id):
    """One user."""
    return {"user": user_id}


@app.get("/slugs/<slug>")
@upper_slug
def slug(slug):
    return jsonify(slug=slug)


@app.get("/me/<int:item_id>")
@inject_user
def me(item_id, user=None):
    return {"user": user, "item": item_id}


@app.get("/search")
@with_arguments
def search():
    # the query stays read from the request: a parameter would be one more argument
    return {"q": request.args.get("q"), "page": request.args.get("page", 1, type=int)}


@app.get("/calls")
def calls():
    return {"calls": CALLS}
'''


def test_decorators_reading_arguments_stay_around_a_view_taking_flasks_arguments(tmp_path):
    with converted_snippet(tmp_path, "argument_app", LEGACY, "argument_fastapi") as (
            result, out, legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        details = {d.name: d for r in scanned.values() for d in r.decorator_details}
        assert {n: (d.shape, d.reads_arguments) for n, d in details.items()} == {
            "logged": ("post_processing", True), "owner_only": ("guard", True),
            "upper_slug": ("guard", True), "inject_user": ("guard", True),
            "with_arguments": ("post_processing", True)}
        assert {e: r.status for e, r in scanned.items()} == {
            "user": "assisted", "slug": "assisted", "me": "assisted", "search": "assisted",
            "calls": "auto"}
        assert scanned["user"].reasons[0] == (
            "FM025 decorator:logged: reads or changes the view's arguments; it stays around the "
            "view inside the legacy request context, called with the values of the rule as "
            "Flask calls it (FM028 where the view takes other parameters, which the decorator "
            "hands it)")

        # `me` takes `user`, which the rule lacks and @inject_user sets: FM028 gives FastAPI
        # the rule's values, and the view keeps its parameters (FM001 leaves `user=None`)
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ("@rule_values(item_id=int)  # FM028: FastAPI gives the rule's values, which "
                "@inject_user gets as in Flask; the view keeps its parameters\n# FM025: @inject_user "
                "reads or changes the view's arguments; it runs inside the bridge, around the "
                "view, as in Flask\n@inject_user\ndef me(item_id, user=None):\n") in router
        note = ("# FM025: @{} reads or changes the view's arguments; it runs inside the bridge, around the "
                "view, as in Flask\n@{}\n")
        # no dependency for the ownership check, no response_model for answers a decorator
        # works on, no query parameter for a view whose arguments a decorator reads
        assert ('@router.get("/users/{user_id:int}", name="user")\n@bridge.route\n'
                + note.format("logged", "logged") + note.format("owner_only", "owner_only")
                + 'def user(user_id: int):\n    """One user."""\n') in router
        assert ('@router.get("/search", name="search")\n@bridge.route\n'
                + note.format("with_arguments", "with_arguments") + "def search():\n"
                "    # the query stays read from the request: a parameter would be one more "
                "argument\n    return {\"q\": request.args.get(\"q\"), \"page\": "
                "request.args.get(\"page\", 1, type=int)}\n") in router
        # @upper_slug returns the view's answer untouched (a guard's shape): FM003 applies
        assert 'def slug(slug: str):\n    return {"slug": slug}\n' in router
        assert not new_lint_findings(out, legacy.parent, "argument_app")

        import argument_app
        from argument_fastapi.main import create_app

        flask_client = argument_app.app.test_client()
        cases = [("/users/1", {}), ("/users/1", {"X-User": "1"}), ("/users/2", {"X-User": "1"}),
                 ("/slugs/abc", {}), ("/me/3", {"X-Name": "bob"}), ("/search?q=lamp&page=2", {}),
                 ("/search", {})]
        with TestClient(create_app(argument_app.app), base_url="http://localhost") as client:
            for debug in (False, True):  # @logged: both of its calls of the view
                argument_app.log.setLevel("DEBUG" if debug else "WARNING")
                answers, logged = [], []
                for get in (flask_client.get, client.get):
                    argument_app.CALLS.clear()
                    answers.append([get(path, headers=headers) for path, headers in cases])
                    logged.append(list(argument_app.CALLS))
                for (path, _headers), old, new in zip(cases, *answers, strict=True):
                    assert (new.status_code, new.headers["content-type"], new.content) == (
                        old.status_code, old.headers["content-type"], old.get_data()), path
                # the same calls logged: the converted view got Flask's arguments
                assert logged[0] == logged[1] == ([
                    ("enter", "user", ["user_id"]), ("enter", "user", ["user_id"]),
                    ("exit", "user"), ("enter", "user", ["user_id"])] if debug else [])


def shape(source: str):
    """read_wrapper on the `wrapper` of `def deco(view)` in `source`."""
    module = cst.parse_module(source)
    deco = next(s for s in module.body if isinstance(s, cst.FunctionDef))
    wrapper = next(s for s in deco.body.body if isinstance(s, cst.FunctionDef))
    return read_wrapper(wrapper, "view", lambda dotted: dotted)


def test_a_guard_whose_answer_the_wrapper_may_change_is_named_for_what_it_does():
    """locust's `auth_required_if_enabled` returns `login_required(view)(*args, **kwargs)`
    inside a `try` whose `except` answers instead: the reason said the guard was handed the
    view "other than in `return guard(view)(*args, **kwargs)`", which is what it reads."""
    body = ("def deco(view):\n    def wrapper(*args, **kwargs):\n        if WEB_LOGIN:\n"
            "            try:\n                return login_required(view)(*args, **kwargs)\n"
            "            except Exception as e:\n                return f'auth exception: {e}'\n"
            "        else:\n            return view(*args, **kwargs)\n")
    kept = ("its wrapper hands the view to a guard other than by returning "
            "`guard(view)(*args, **kwargs)` at once, outside any `try` or `with` block")
    assert (shape(body).shape, shape(body).reason) == ("unread", kept)
    stored = shape("def deco(view):\n    def wrapper(*args, **kwargs):\n"
                   "        answer = login_required(view)(*args, **kwargs)\n"
                   "        return answer\n")
    assert (stored.shape, stored.reason) == ("unread", kept)


def test_the_view_called_in_several_places_but_run_at_most_once():
    at_most_once = shape(
        "def deco(view):\n"
        "    def wrapper(*args, **kwargs):\n"
        "        if QUIET:\n"
        "            return view(*args, **kwargs)\n"
        "        for _ in range(2):\n"
        "            if READY:\n"
        "                return view(*args, **kwargs)\n"
        "        started = now()\n"
        "        answer = view(*args, **kwargs)\n"
        "        record(started)\n"
        "        return answer\n")
    assert (at_most_once.shape, at_most_once.lets_errors_through,
            at_most_once.reads_arguments) == ("post_processing", False, False)
    for body in (
            # the call that does not return comes first: a returned call may follow it
            ("        answer = view(*args, **kwargs)\n"
            "        if answer is None:\n"
            "            return view(*args, **kwargs)\n"
            "        return answer\n"),
            # the last call is in a loop
            ("        if QUIET:\n"
            "            return view(*args, **kwargs)\n"
            "        answers = [view(*args, **kwargs) for _ in range(2)]\n"
            "        return answers[-1]\n"),
            # a call returned inside a try is not returned at once (its except may call again)
            ("        try:\n"
            "            return view(*args, **kwargs)\n"
            "        except KeyError:\n"
            "            answer = view(*args, **kwargs)\n"
            "        return answer\n")):
        unread = shape("def deco(view):\n    def wrapper(*args, **kwargs):\n" + body)
        assert (unread.shape, unread.reason) == (
            "unread", "its wrapper calls the view more than once"), body


def test_the_view_called_once_in_a_loop_runs_more_than_once():
    """One call in a loop runs once per item (beets' `resource` calls its view once per id of
    the rule): not a post-processing wrapper, unless the call is returned at once."""
    for body in (
            ("        for _ in range(3):\n"
             "            answer = view(*args, **kwargs)\n"
             "        return answer\n"),
            "        return [view(*args, **kwargs) for _ in range(2)][-1]\n"):
        looped = shape("def deco(view):\n    def wrapper(*args, **kwargs):\n" + body)
        assert (looped.shape, looped.reason) == (
            "unread", "its wrapper calls the view in a loop"), body
    once = shape("def deco(view):\n    def wrapper(*args, **kwargs):\n"
                 "        for handler in HANDLERS:\n"
                 "            if handler.ready():\n"
                 "                return view(*args, **kwargs)\n"
                 "        abort(503)\n")
    assert once.shape == "guard"


def test_a_function_the_wrapper_defines_may_not_name_the_view():
    """privacyidea 3.14's `conditional_access_gate` defines `def check()` in its wrapper, runs it
    and stores it for a later recheck: a function that names neither the view nor the wrapper
    cannot call the view, so the wrapper is read (a guard here). One that names either may call
    the view later, or again."""
    head = "def deco(view):\n    def wrapper(*args, **kwargs):\n"
    gate = shape(head +
                 "        def check():\n"
                 "            return precheck(request.User)\n"
                 "        rejection = check()\n"
                 "        if rejection is not None:\n"
                 "            return rejection\n"
                 "        context().gate_check = check\n"
                 "        return view(*args, **kwargs)\n")
    assert (gate.shape, gate.reads_arguments) == ("guard", False)
    logged = shape(head +
                   "        log(lambda: sorted(kwargs))\n"
                   "        return view(*args, **kwargs)\n")
    assert (logged.shape, logged.reads_arguments) == ("guard", True)
    for body in ("        later = lambda: view(*args, **kwargs)\n",
                 "        def later():\n            return wrapper.__wrapped__()\n",
                 "        def view():\n            return 1\n"):
        unread = shape(head + body + "        return view(*args, **kwargs)\n")
        assert (unread.shape, unread.reason) == (
            "unread", ("its wrapper defines a function or lambda that names the view or the "
                       "wrapper")), body


def test_a_wrapper_taking_a_value_by_name_hands_it_on_first():
    """sqlite-web's `require_table`: `def inner(table, *args, **kwargs)`, which Flask calls with
    the rule's values by name; it reads `table` (FM025) and must hand it on first."""
    head = "def deco(view):\n    def wrapper(table, *args, **kwargs):\n"
    guard = shape(head + "        if table not in TABLES:\n            abort(404)\n"
                         "        return view(table, *args, **kwargs)\n")
    assert (guard.shape, guard.reads_arguments) == ("guard", True)
    by_keyword = shape(head + "        return view(table=table, *args, **kwargs)\n")
    assert (by_keyword.shape, by_keyword.reads_arguments) == ("guard", True)
    # handed on otherwise, or not at all: the view gets other arguments than Flask's, which
    # the decorator, called with Flask's, makes as in Flask (FM028 types the endpoint)
    for call in ("view(*args, **kwargs)", "view(TABLE, *args, **kwargs)",
                 "view(*args, table=table, **kwargs)", "view(table.lower(), *args, **kwargs)"):
        other = shape(head + f"        return {call}\n")
        assert (other.shape, other.reads_arguments) == ("guard", True), call
    handed = shape(head + "        return view(view, *args, **kwargs)\n")
    assert (handed.shape, handed.reason) == ("unread", "the view is used other than called")
    never = shape(head + "        return TABLES[table]\n")
    assert (never.shape, never.reason) == ("unread", "its wrapper never calls the view")
    keyword_only = shape("def deco(view):\n    def wrapper(*args, table, **kwargs):\n"
                         "        return view(*args, table=table, **kwargs)\n")
    assert (keyword_only.shape, keyword_only.reason) == (
        "unread", "its wrapper takes positional-only or keyword-only parameters")


def test_routes_under_a_wrapper_taking_a_value_by_name_convert(tmp_path):
    source = '''
import functools

from flask import Flask, abort

app = Flask(__name__)
TABLES = {"users", "notes"}


def require_table(view):
    @functools.wraps(view)
    def inner(table, *args, **kwargs):
        if table not in TABLES:
            abort(404)
        return view(table, *args, **kwargs)
    return inner


@app.get("/<table>/row/<int:pk>")
@require_table
def row(table, pk):
    return {"table": table, "pk": pk}


@app.get("/<table>/")
@require_table
def table_page(table):
    return {"table": table}
'''
    with converted_snippet(tmp_path, "named_app", source, "named_fastapi") as (
            result, out, legacy):
        assert [entry.route.endpoint for entry in result.left] == []
        assert {r.endpoint: r.status for r in result.scan.routes} == {
            "row": "assisted", "table_page": "assisted"}
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ("# FM025: @require_table reads or changes the view's arguments; it runs inside the bridge, "
                "around the view, as in Flask\n@require_table\ndef row(table: str, pk: int):"
                ) in router
        assert not new_lint_findings(out, legacy.parent, "named_app")
        import named_app
        from named_fastapi.main import create_app

        flask_client = named_app.app.test_client()
        with TestClient(create_app(named_app.app)) as client:
            for path in ("/users/row/1", "/nope/row/1", "/notes/", "/nope/", "/users/row/x"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path


def test_fm002_leaves_the_request_reads_of_a_view_whose_arguments_a_decorator_reads():
    check_noop(QueryArgs, """
        from flask import request
        from app.deco import logged
        @logged
        def v():
            return {"q": request.args.get("q")}
    """, decorators=[DecoratorInfo("logged", "app.deco.logged", "project", True,
                                   shape="post_processing", reads_arguments=True)])


def test_a_guard_reading_arguments_is_not_lifted():
    from tests.test_convert_guards import run_guards

    code, context = run_guards("""
        from app.auth import owner_only
        @owner_only
        def v(user_id):
            return 1
    """, [DecoratorInfo("owner_only", "app.auth.owner_only", "project", True, shape="guard",
                        reads_arguments=True)])
    assert code.startswith("# FM025: @owner_only reads or changes the view's arguments; it runs inside the "
                           "bridge, around the view, as in Flask\n@owner_only\ndef v(user_id):")
    assert context.guards == [] and context.applied == {"FM025"}




def test_a_view_class_whose_arguments_a_decorator_reads_gets_the_instance_first(tmp_path):
    """A method's own decorator gets `self` first from Flask. The route stayed on Flask; the
    converted method now keeps `self`, which `bound_method` passes (the instance Flask
    dispatches to), and the decorator sees the arguments Flask gives it."""
    source = LEGACY + '''

from flask.views import MethodView


class Owned(MethodView):
    @owner_only
    def get(self, user_id):
        return {"owned": user_id, "by": type(self).__name__}


app.add_url_rule("/owned/<int:user_id>", view_func=Owned.as_view("owned"))
'''
    with converted_snippet(tmp_path, "class_argument_app", source, "class_argument_fastapi") as (
            result, out, legacy):
        assert "owned" in {view.route.endpoint for view in result.converted}
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ('@bound_method("owned")  # `self`: the instance Flask dispatches to, as the '
                "decorators below read it\n# FM025: @owner_only reads or changes the view's arguments; it "
                "runs inside the bridge, around the view, as in Flask\n@owner_only\n"
                "def owned_get(self, user_id: int):\n") in router
        assert not new_lint_findings(out, legacy.parent, "class_argument_app")
        import class_argument_app
        from class_argument_fastapi.main import create_app

        flask_client = class_argument_app.app.test_client()
        with TestClient(create_app(class_argument_app.app)) as client:
            for headers in ({}, {"X-User": "7"}, {"X-User": "8"}):
                old = flask_client.get("/owned/7", headers=headers)
                new = client.get("/owned/7", headers=headers)
                assert (new.status_code, new.content) == (old.status_code, old.data), headers
            assert client.get("/owned/7", headers={"X-User": "7"}).json() == {
                "owned": 7, "by": "Owned"}


GATED = '''
import functools

from flask import Flask, g, request

app = Flask(__name__)


def gate(view):
    """privacyidea's conditional-access gate, cut down: a rejection is an ordinary answer."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        def check():
            if request.headers.get("X-User") == "locked":
                return {"result": {"value": False}}
            return None

        rejection = check()
        if rejection is not None:
            return rejection
        g.gate_check = check
        return view(*args, **kwargs)
    return wrapper


@app.get("/validate/<int:n>")
@gate
def validate(n):
    return {"n": n, "rechecked": g.gate_check() is None}
'''


def test_a_gate_defining_a_function_converts_and_answers_as_in_flask(tmp_path):
    with converted_snippet(tmp_path, "gated_app", GATED, "gated_fastapi") as (
            result, out, legacy):
        [route] = result.scan.routes
        [detail] = route.decorator_details
        assert (detail.shape, route.status) == ("guard", "assisted")
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "dependencies=[Depends(dependencies.gate)]" in router
        assert not new_lint_findings(out, legacy.parent, "gated_app")

        import gated_app
        from gated_fastapi.main import create_app

        flask_client = gated_app.app.test_client()
        with TestClient(create_app(gated_app.app), base_url="http://localhost") as client:
            for headers in ({}, {"X-User": "locked"}, {"X-User": "ann"}):
                old, new = flask_client.get("/validate/3", headers=headers), \
                    client.get("/validate/3", headers=headers)
                assert (new.status_code, new.content) == (old.status_code, old.get_data())
            # what the gate stored on `g` before the view, the view reads
            assert client.get("/validate/3").json() == {"n": 3, "rechecked": True}
