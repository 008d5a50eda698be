"""Project decorators that do not keep the view's signature: no `functools.wraps` (FM036).

Legacy code often forgets `functools.wraps`. Flask does not mind where the endpoint is named (or
the decorator sits on a method of a view class): it calls what the decorator returned with the
rule's values by name. The scan said "a project decorator that does not keep the view's
signature" and kept every such route on Flask, because FastAPI would read the wrapper's
`(*args, **kwargs)` as request parameters. The wrapper is now read as a `functools.wraps` one is
(scan/wrappers.py): a guard or post-processing wrapper stays around the converted view, inside
the bridge, and the endpoint takes the rule's values and calls it with them (FM028), as Flask
calls it. No query, header or cookie parameter is added (the view keeps reading the request), no
guard becomes a dependency (it checks inside the bridge, as in Flask: no route is reachable with
less checking). A wrapper the scan cannot read (the view called twice) still keeps its route on
Flask.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.realworld import beets_package, realworld_cache  # noqa: F401 (fixtures)

LEGACY = '''
from flask import Flask, abort, jsonify, make_response, request
from flask.views import MethodView

app = Flask(__name__)
CALLS = []


def require_key(view):
    # no functools.wraps: Flask names the endpoint after `checked`
    def checked(*args, **kwargs):
        if request.headers.get("X-Key") != "secret":
            abort(401)
        return view(*args, **kwargs)
    return checked


def timed(view):
    def wrapper(*args, **kwargs):
        CALLS.append(view.__name__)
        response = make_response(view(*args, **kwargs))
        response.headers["X-Timed"] = "1"
        return response
    return wrapper


def tagged(tag):
    def decorator(view):
        def inner(*args, **kwargs):
            response = make_response(view(*args, **kwargs))
            response.headers["X-Tag"] = tag
            return response
        return inner
    return decorator


def twice(view):
    def wrapper(*args, **kwargs):
        view(*args, **kwargs)
        return view(*args, **kwargs)
    return wrapper


@app.get("/items/<int:item_id>")
@require_key
def item(item_id):
    """One item."""
    # the query stays read from the request
    return {"item": item_id, "q": request.args.get("q", "")}


@app.get("/reports/<slug>", endpoint="report")
@timed
@tagged("weekly")
def report(slug):
    return jsonify(report=slug)


@app.get("/twice", endpoint="twice")
@twice
def twice_view():
    return {"ok": True}


class Notes(MethodView):
    @require_key
    def get(self, note_id):
        return {"note": note_id, "kind": self.kind}

    def post(self, note_id):
        return {"posted": note_id, "body": request.get_json()}, 201

    kind = "note"


app.add_url_rule("/notes/<int:note_id>", view_func=Notes.as_view("notes"))


def doubled(n):
    return {"doubled": n * 2}


# wrapped where the rule is added
app.add_url_rule("/doubled/<int:n>", endpoint="doubled", view_func=timed(doubled))
'''


def test_wrappers_without_functools_wraps_stay_around_a_view_called_as_flask_calls_it(tmp_path):
    with converted_snippet(tmp_path, "unwrapped_app", LEGACY, "unwrapped_fastapi") as (
            result, out, legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        details = {d.name: d for r in scanned.values() for d in r.decorator_details}
        assert {n: (d.shape, d.preserves_signature, d.hides_signature)
                for n, d in details.items()} == {
            "require_key": ("guard", False, True), "timed": ("post_processing", False, True),
            "tagged": ("post_processing", False, True), "twice": ("unread", False, False)}
        # Flask names a view after what the decorators return: `checked`
        import unwrapped_app
        flask_endpoints = {r.endpoint for r in unwrapped_app.app.url_map.iter_rules()}
        assert sorted(scanned) == sorted(flask_endpoints - {"static"}) == [
            "checked", "doubled", "notes", "report", "twice"]
        assert {e: r.status for e, r in scanned.items()} == {
            "checked": "assisted", "report": "assisted", "notes": "assisted",
            "twice": "manual", "doubled": "assisted"}
        assert scanned["checked"].reasons[0] == (
            "FM036 decorator:require_key: does not keep the view's signature (no "
            "functools.wraps); it stays around the view inside the legacy request context, and "
            "the endpoint takes the rule's values and calls it with them as Flask does (FM028)")
        assert "FM023 decorator:twice: its wrapper calls the view more than once" in \
            scanned["twice"].reasons[0]

        assert sorted({c.route.endpoint for c in result.converted}) == [
            "checked", "doubled", "notes", "report"]
        assert [left.route.endpoint for left in result.left] == ["twice"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        note = ("# FM036: @{0} does not keep the view's signature; it runs inside the bridge, "
                "around the view, called with the rule's values as in Flask\n@{1}\n")
        # the guard is no dependency; the endpoint takes the rule's values (FM028), and the
        # view keeps its parameters and reads the query from the request
        # (a guard leaves the answer as it is: its shape documents the route)
        assert ('@router.get("/items/{item_id:int}", response_model=CheckedOut, name="checked")'
                '\n@bridge.route\n'
                "@rule_values(item_id=int)  # FM028: FastAPI gives the rule's values, which "
                "@require_key gets as in Flask; the view keeps its parameters\n"
                + note.format("require_key", "require_key") + "def item(item_id):\n"
                '    """One item."""\n    # the query stays read from the request\n'
                '    return {"item": item_id, "q": request.args.get("q", "")}\n') in router
        assert ("@rule_values(slug=str)  # FM028: FastAPI gives the rule's values, which "
                "@timed, @tagged get as in Flask; the view keeps its parameters\n"
                + note.format("timed", "timed") + note.format("tagged", 'tagged("weekly")')
                + "def report(slug):\n") in router
        # a decorator on a method of a view class gets the instance first, as in Flask
        assert ('@rule_values(note_id=int)  # FM028: FastAPI gives the rule\'s values, which '
                "@require_key gets as in Flask; the view keeps its parameters\n"
                '@bound_method("notes")  # `self`: the instance Flask dispatches to, as the '
                "decorators below read it\n" + note.format("require_key", "require_key")
                + "def notes_get(self, note_id):\n") in router
        assert "Depends(" not in router
        assert not new_lint_findings(out, legacy.parent, "unwrapped_app")

        from unwrapped_fastapi.main import create_app

        flask_client = unwrapped_app.app.test_client()
        key = {"X-Key": "secret"}
        cases = [("GET", "/items/3", {}, None), ("GET", "/items/3?q=lamp", key, None),
                 ("GET", "/items/3", {"X-Key": "wrong"}, None), ("GET", "/items/x", key, None),
                 ("GET", "/reports/weekly", {}, None), ("GET", "/twice", {}, None),
                 ("GET", "/notes/4", {}, None), ("GET", "/notes/4", key, None),
                 ("POST", "/notes/4", {}, {"text": "hi"}), ("HEAD", "/items/3", key, None),
                 ("GET", "/doubled/21", {}, None)]
        with TestClient(create_app(unwrapped_app.app), base_url="http://localhost") as client:
            answers, calls = [], []
            for send in (lambda method, path, **options: flask_client.open(
                    path, method=method, **options), client.request):
                unwrapped_app.CALLS.clear()
                answers.append([send(method, path, headers=headers, json=body)
                                for method, path, headers, body in cases])
                calls.append(list(unwrapped_app.CALLS))
            for case, old, new in zip(cases, *answers, strict=True):
                assert (new.status_code, new.headers.get("content-type"), new.content,
                        new.headers.get("x-timed"), new.headers.get("x-tag")) == (
                    old.status_code, old.headers.get("content-type"), old.get_data(),
                    old.headers.get("x-timed"), old.headers.get("x-tag")), case
            assert [a.status_code for a in answers[0]] == [
                401, 200, 401, 404, 200, 200, 401, 200, 201, 200, 200]
            # @timed saw the name of what it wraps, `inner` and `doubled`, in both apps
            assert calls[0] == calls[1] == ["inner", "doubled"]


def test_beets_web_decorators_without_functools_wraps(
        beets_package: Path,  # noqa: F811 (the fixture)
) -> None:
    """beets 2.14.1's web plugin from PyPI (`beetsplug/web/__init__.py`): `@resource_list("items")`
    and `@resource_query("items")` return responders written without functools.wraps that call
    the view once (`list_all()`, `query_func(queries)`, Flask's value of the rule); they stayed on
    Flask ("does not keep the view's signature") and are now read (FM036). `@resource("items")`
    calls its view once per id of the rule (`[retriever(id_) for id_ in ids]`): it stays on Flask,
    now with that reason. beets is not run here (its dependencies are many)."""
    scan = scan_path(beets_package / "web")
    routes = {route.rule: route for route in scan.routes if route.app.endswith("web:app")}
    assert {rule: (routes[rule].endpoint, routes[rule].status) for rule in (
        "/item/", "/item/query/", "/item/query/<query:queries>", "/album/", "/album/query/",
        "/album/query/<query:queries>", "/item/<idlist:ids>", "/album/<idlist:ids>")} == {
        "/item/": ("all_items", "assisted"), "/item/query/": ("all_items", "assisted"),
        "/item/query/<query:queries>": ("query_items", "assisted"),
        "/album/": ("all_albums", "assisted"), "/album/query/": ("all_albums", "assisted"),
        "/album/query/<query:queries>": ("query_albums", "assisted"),
        "/item/<idlist:ids>": ("get_items", "manual"), "/album/<idlist:ids>": ("get_albums", "manual")}
    details = {d.name: d for route in routes.values() for d in route.decorator_details}
    assert {name: (details[name].shape, details[name].hides_signature, details[name].reads_arguments)
            for name in ("resource_list", "resource_query", "resource")} == {
        "resource_list": ("post_processing", True, False),
        "resource_query": ("post_processing", True, True),
        "resource": ("unread", False, False)}
    assert routes["/item/<idlist:ids>"].reasons[0].startswith(
        "FM023 decorator:resource: its wrapper calls the view in a loop;")


# knowledge-repo 0.9.3's `PageView.logged` (knowledge_repo/app/models.py), cut down: a class
# nested in a model class, used bare; its instance is what Flask registers and calls
BARE_CLASSES = '''
from functools import update_wrapper

from flask import Flask, abort, current_app, request

app = Flask(__name__)
LOG = []


class PageView:
    class logged(object):

        def __init__(self, route, object_extractor=None):
            self._route = route
            self._object_extractor = object_extractor

        def __getattr__(self, attr):
            return getattr(self._route, attr)

        def __call__(self, *args, **kwargs):
            if not current_app.config.get("INDEXING_ENABLED", True):
                return self._route(*args, **kwargs)
            LOG.append((request.full_path, request.endpoint, self.extract_objects(*args, **kwargs)))
            try:
                return self._route(*args, **kwargs)
            finally:
                LOG.append("done")

        def object_extractor(self, extractor):
            self._object_extractor = extractor
            return self

        def extract_objects(self, *args, **kwargs):
            if self._object_extractor is None:
                return sorted(kwargs.items())
            return self._object_extractor(*args, **kwargs)


class RequireKey:
    def __init__(self, view):
        self.view = view
        update_wrapper(self, view)

    def __call__(self, *args, **kwargs):
        if request.headers.get("X-Key") != "secret":
            abort(401)
        return self.view(*args, **kwargs)


class Leaky:
    """Another method calls the view: what `__call__` does is not all it does."""

    def __init__(self, view):
        self.view = view
        self.__name__ = view.__name__

    def __call__(self, *args, **kwargs):
        self.again()
        return self.view(*args, **kwargs)

    def again(self):
        return self.view()


@app.route("/posts/<int:post_id>")
@PageView.logged
@RequireKey
def post(post_id):
    return {"post": post_id}


@app.route("/feed")
@PageView.logged
def feed():
    return {"feed": request.args.getlist("tag")}


@app.route("/leaky")
@Leaky
def leaky():
    return {"leaky": True}
'''


def test_classes_used_bare_wrap_the_view_they_are_made_with(tmp_path):
    """`@PageView.logged`: Flask calls `PageView.logged(view)` and registers the instance, whose
    `__call__(self, *args, **kwargs)` calls `self._route`, the view its `__init__` stored. The
    scan said "from an unresolved name" (a class in a class body) and, for a class used bare at
    the top level, "a class of the project used as a decorator": knowledge-repo 0.9.3 kept 46
    routes on Flask so. It now reads `__call__` as a wrapper of `self._route` (other methods may
    not reach the view: `__getattr__`'s `getattr(self._route, attr)` only reads it), and the
    instance stays around the converted view, called with the rule's values (FM036)."""
    with converted_snippet(tmp_path, "bare_class_app", BARE_CLASSES, "bare_class_fastapi") as (
            result, out, legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        details = {d.name: d for r in scanned.values() for d in r.decorator_details}
        assert {n: (d.qualified, d.shape, d.reads_arguments, d.shape_reason)
                for n, d in details.items()} == {
            "PageView.logged": ("bare_class_app.PageView.logged", "post_processing", True, None),
            "RequireKey": ("bare_class_app.RequireKey", "guard", False, None),
            "Leaky": ("bare_class_app.Leaky", "unread", False,
                      "its method `again` uses the view or the instance holding it")}
        assert {e: r.status for e, r in scanned.items()} == {
            "post": "assisted", "feed": "assisted", "leaky": "manual"}
        assert sorted({c.route.endpoint for c in result.converted}) == ["feed", "post"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ("@rule_values(post_id=int)  # FM028: FastAPI gives the rule's values, which "
                "@PageView.logged, @RequireKey get as in Flask; the view keeps its parameters\n"
                "# FM036: @PageView.logged does not keep the view's signature; it runs inside "
                "the bridge, around the view, called with the rule's values as in Flask\n"
                "@PageView.logged\n") in router
        assert not new_lint_findings(out, legacy.parent, "bare_class_app")

        import bare_class_app
        from bare_class_fastapi.main import create_app

        flask_client = bare_class_app.app.test_client()
        cases = [("/posts/7", {}), ("/posts/7", {"X-Key": "secret"}), ("/feed?tag=a&tag=b", {}),
                 ("/leaky", {})]
        with TestClient(create_app(bare_class_app.app), base_url="http://localhost") as client:
            for indexing in (True, False):
                bare_class_app.app.config["INDEXING_ENABLED"] = indexing
                answers, logs = [], []
                for get in (flask_client.get, client.get):
                    bare_class_app.LOG.clear()
                    answers.append([get(path, headers=headers) for path, headers in cases])
                    logs.append(list(bare_class_app.LOG))
                for (path, _headers), old, new in zip(cases, *answers, strict=True):
                    assert (new.status_code, new.headers["content-type"], new.content) == (
                        old.status_code, old.headers["content-type"], old.get_data()), path
                # the same page views logged, with the legacy endpoint and the rule's values
                assert logs[0] == logs[1] == ([
                    ("/posts/7?", "post", [("post_id", 7)]), "done",
                    ("/posts/7?", "post", [("post_id", 7)]), "done",
                    ("/feed?tag=a&tag=b", "feed", []), "done"] if indexing else [])
