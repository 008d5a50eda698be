"""One pool for the legacy views: the bridge's, sized in the generated `bridge.py`.

otterwiki 2.26.1 keeps one GitPython `Repo` for the whole app, which hangs when two threads use
it at once: served by its generated app under uvicorn, 20 requests 10 at a time timed out, as
under Werkzeug's threaded server, where gunicorn's sync workers answered them all. The
generated `bridge.py` can be given a pool of one thread (`LegacyThreadPool(minimum=1,
maximum=1, inline_limit=None)`: no view in place on the event loop's thread either), but the
routes left on Flask ran in the default pool all the same: `main.py` mounted the legacy app
without the bridge's pool. It passes the bridge's pool now, so one pool, of one thread here,
runs the converted views and the routes left on Flask alike.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from tests.example_support import converted_snippet, forget_package

SHARED = '''
import threading
import time

from flask import Flask

app = Flask(__name__)
state = {"active": 0, "most": 0}
lock = threading.Lock()


def _work():
    with lock:
        state["active"] += 1
        state["most"] = max(state["most"], state["active"])
    time.sleep(0.02)  # a view waiting on something: it stays in a thread
    with lock:
        state["active"] -= 1
    return "done"


@app.route("/converted")
def converted():
    return _work()


def make_view():
    def view():
        return _work()
    return view


app.add_url_rule("/legacy", "legacy", make_view())  # a factory's result: left on Flask
'''

ONE_THREAD = (
    "from .flask_compat import LegacyBridge, LegacyThreadPool\n\n"
    "bridge = LegacyBridge(threads=LegacyThreadPool(minimum=1, maximum=1, inline_limit=None))\n")


def _most_at_once(app, state) -> int:
    state["most"] = 0

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            answers = await asyncio.gather(*[
                client.get(path) for path in ["/converted", "/legacy"] * 6])
        return [answer.status_code for answer in answers]

    assert asyncio.run(run()) == [200] * 12
    return state["most"]


def test_a_pool_of_one_runs_converted_and_legacy_views_one_at_a_time(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "shared", SHARED, "shared_fastapi") as (result, out, _):
        assert [v.route.endpoint for v in result.converted] == ["converted"]
        assert [v.route.endpoint for v in result.left] == ["legacy"]
        import shared
        from shared_fastapi.main import create_app

        # the default pool runs several legacy views at once (more than one thread)
        assert _most_at_once(create_app(shared.app), shared.state) > 1

        # a person sizes the pool in the generated bridge.py: one thread for every legacy view
        bridge = out / "bridge.py"
        default = "from .flask_compat import LegacyBridge\n\nbridge = LegacyBridge()\n"
        assert default in bridge.read_text()
        bridge.write_text(bridge.read_text().replace(default, ONE_THREAD))
        forget_package("shared_fastapi")
        from shared_fastapi.main import create_app

        started = time.monotonic()
        assert _most_at_once(create_app(shared.app), shared.state) == 1
        assert time.monotonic() - started >= 12 * 0.02  # (one after the other)
