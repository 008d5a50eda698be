"""A view that reads or rebinds module-level state its module rebinds while the app runs.

OctoPrint 1.11's views keep caches in module globals (`global _templates, _plugin_names`,
`global _mfa_login_forms`, `global _timelapse_cache_finished ...`), archivy 1.7's command view
sets `global logger`. A router imports such a name from the legacy module (`from
octoprint.server.views import _templates`): a copy of the binding, made once, that the module's
own `global` writes never reach; and the converted view's `global _templates` then wrote the
router's name, not the module's. The converted routes answered from a cache of their own that
the legacy app never fills or clears. Such a view now stays on Flask (`convert.module_state`),
naming the names; one that reads only names nothing rebinds still converts.
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


def test_views_of_state_the_module_rebinds_stay_on_flask(tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "counter", COUNTER, "counter_fastapi") as (result, _, _):
        left = {view.route.endpoint: view.reasons for view in result.left}
        assert sorted(left) == ["cached", "count", "hit"]
        assert left["hit"] == [(
            "convert.module_state: the view reads or rebinds HITS, which functions of counter "
            "rebind while the app runs (`global`); a router would import a copy that those "
            "writes never reach, so the route stays on Flask")]
        assert "reads or rebinds HITS," in left["count"][0]
        assert "reads or rebinds _cache," in left["cached"][0]
        # nothing rebinds LIMIT; `reset` is a function the converted view calls in its module
        assert sorted(view.route.endpoint for view in result.converted) == ["do_reset", "limit"]
        import counter
        from counter_fastapi.main import create_app
        from starlette.testclient import TestClient

        legacy_for_flask = counter.app.test_client()
        mounted = paths_the_legacy_mount_serves(monkeypatch, "counter_fastapi")
        with TestClient(create_app(counter.app)) as client:
            # one legacy module serves both apps here, so each step runs on the generated app
            # and then on Flask, and the two agree on the count they share
            for method, path in [("POST", "/hit"), ("POST", "/hit"), ("GET", "/count"),
                                 ("POST", "/reset"), ("GET", "/count"), ("GET", "/cached")]:
                new = client.request(method, path)
                old = legacy_for_flask.open(path, method=method)
                if method == "POST" and path == "/hit":
                    assert new.json()["hits"] + 1 == old.json["hits"]
                else:
                    assert (new.status_code, new.content) == (old.status_code, old.data), path
            assert_answered_alike(legacy_for_flask, client, [("GET", "/limit")])
        assert "/limit" not in mounted and "/reset" not in mounted
        assert mounted.count("/hit") == 2 and mounted.count("/count") == 2
