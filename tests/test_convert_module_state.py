"""A view that reads or rebinds module-level state its module rebinds while the app runs.

OctoPrint 1.11's views keep caches in module globals (`global _templates, _plugin_names`,
`global _mfa_login_forms`, `global _timelapse_cache_finished ...`), archivy 1.7's command view
sets `global logger`. A router's import of such a name from the legacy module (`from
octoprint.server.views import _templates`) is a copy of the binding, made once, that the module's
own `global` writes never reach; and the converted view's `global _templates` would write the
router's name, not the module's: the converted routes would answer from a cache of their own
that the legacy app never fills or clears. FM037 writes each read and write of such a name as
an attribute of the legacy module (`counter.HITS += 1`), where Flask's view reads and writes it;
without FM037 (`--skip FM037`) such a view stays on Flask (`convert.module_state`). A view that
binds such a name where no attribute can stand (`except ... as`, an import) stays on Flask too.
"""

from __future__ import annotations

from pathlib import Path

from tests.example_support import (
    assert_answered_alike,
    converted_snippet,
    paths_the_legacy_mount_serves,
)

COUNTER = '''
from flask import Flask

app = Flask(__name__)
HITS = 0
LIMIT = 3
_cache = None


def reset():
    global HITS
    HITS = 0


@app.route("/hit", methods=["POST"])
def hit():
    """Count a hit."""
    global HITS
    HITS += 1
    return {"hits": HITS}


@app.route("/count")
def count():
    return {"hits": HITS}


@app.route("/reset", methods=["POST"])
def do_reset():
    reset()
    return {"hits": 0}


@app.route("/limit")
def limit():
    return {"limit": LIMIT}


@app.route("/cached")
def cached():
    def fill():
        global _cache
        _cache = {"filled": True}

    if _cache is None:
        fill()
    return dict(_cache)
'''


def test_state_the_module_rebinds_is_shared_with_the_legacy_module(tmp_path: Path,
                                                                   monkeypatch) -> None:
    with converted_snippet(tmp_path, "counter", COUNTER, "counter_fastapi") as (result, out, _):
        assert not result.left
        assert sorted(view.route.endpoint for view in result.converted) == [
            "cached", "count", "do_reset", "hit", "limit"]
        router = (out / "routers" / "app_routes.py").read_text()
        assert "import counter\nfrom counter import LIMIT, reset\n" in router
        assert "global" not in router
        assert '    """Count a hit."""\n    counter.HITS += 1\n    return {"hits": counter.HITS}' \
            in router
        import counter
        from counter_fastapi.main import create_app
        from starlette.testclient import TestClient

        legacy_for_flask = counter.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "counter_fastapi")
        with TestClient(create_app(counter.app)) as client:
            # one legacy module serves both apps: a hit counted by either is seen by both, as
            # it is by every view of the Flask app
            assert client.post("/hit").json() == {"hits": 1}
            assert legacy_for_flask.post("/hit").json == {"hits": 2}
            assert client.get("/count").json() == {"hits": 2}
            assert client.post("/reset").json() == {"hits": 0}  # the module's reset()
            assert legacy_for_flask.get("/count").json == {"hits": 0}
            assert client.get("/cached").json() == {"filled": True}
            assert counter._cache == {"filled": True}  # the fill() the converted view calls
            assert_answered_alike(legacy_for_flask, client, [
                ("GET", "/count"), ("GET", "/limit"), ("GET", "/cached")])
        assert not mounted


def test_without_fm037_such_views_stay_on_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "counter", COUNTER, "counter_fastapi",
                           skip={"FM037"}) as (result, _, _):
        left = {view.route.endpoint: view.reasons for view in result.left}
        assert sorted(left) == ["cached", "count", "hit"]
        assert left["hit"] == [(
            "convert.module_state: the view reads or rebinds HITS, which functions of counter "
            "rebind while the app runs (`global`), and FM037, which reads and writes them on "
            "the module, did not run; a router would import a copy that those writes never "
            "reach, so the route stays on Flask")]
        assert "reads or rebinds _cache," in left["cached"][0]
        # nothing rebinds LIMIT; `reset` is a function the converted view calls in its module
        assert sorted(view.route.endpoint for view in result.converted) == ["do_reset", "limit"]


NAME_OF_ITS_OWN = '''
from flask import Flask

app = Flask(__name__)
error = None


@app.route("/try")
def attempt():
    global error
    try:
        1 / 0
    except ZeroDivisionError as error:
        return {"error": str(error)}
'''


def test_a_binding_no_attribute_can_stand_for_keeps_the_route_on_flask(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "catcher", NAME_OF_ITS_OWN, "catcher_fastapi") as (
            result, _, _):
        [left] = result.left
        assert left.reasons == [(
            "FM037: the view binds error where no attribute can stand (except ... as), which "
            "functions of catcher rebind while the app runs (`global`); a router's import of it "
            "would be a copy those writes never reach")]


IMPORTED_THEN_REBOUND = {
    "store.py": "cache = {'version': 1}\n",
    "__init__.py": '''
from flask import Flask

from .store import cache

app = Flask(__name__)


@app.route("/renew", methods=["POST"])
def renew():
    global cache
    cache = {"version": cache["version"] + 1}
    return cache


@app.route("/version")
def version():
    return cache
''',
}


def test_a_name_imported_from_elsewhere_and_rebound_is_read_on_the_module(
        tmp_path: Path) -> None:
    # `from .store import cache` binds the package's own `cache`, which `renew` rebinds: the
    # view must read the package's binding, not `pkg.store.cache`, which nothing rebinds
    with converted_snippet(tmp_path, "renewing", IMPORTED_THEN_REBOUND,
                           "renewing_fastapi") as (result, out, _):
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text()
        assert "import renewing\n" in router and "store" not in router
        import renewing
        from renewing_fastapi.main import create_app
        from starlette.testclient import TestClient

        with TestClient(create_app(renewing.app)) as client:
            assert client.get("/version").json() == {"version": 1}
            assert renewing.app.test_client().post("/renew").json == {"version": 2}
            assert client.get("/version").json() == {"version": 2}
            assert client.post("/renew").json() == {"version": 3}
            assert renewing.app.test_client().get("/version").json == {"version": 3}
