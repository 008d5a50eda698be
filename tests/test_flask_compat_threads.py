"""The thread pool the bridge runs legacy views in (``flask_compat.LegacyThreadPool``).

It starts small (views that compute gain nothing from more threads than the GIL lets run)
and adds a slot for every call that waits on something while calls queue. These tests
check the behaviour, not the speed: calls that can only finish together (a barrier) all
finish, the pool goes back to its minimum when the load is gone, context variables and
exceptions cross into and out of the threads, and a bridged app uses the pool.
"""

import asyncio
import contextvars
import threading
from typing import Any

import pytest
from fastapi import FastAPI
from flask import Flask

from tests.test_flask_compat import TestClient, fc

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def test_calls_that_wait_for_each_other_all_run_at_once() -> None:
    """Twelve calls that each wait until all twelve are running: with two slots to start with,
    they finish only because waiting calls add slots (no deadlock below ``maximum``)."""
    pool = fc.LegacyThreadPool(minimum=2, maximum=40, patience=0.002)
    barrier = threading.Barrier(12, timeout=30)

    def wait_for_the_others(n: int) -> int:
        barrier.wait()
        return n

    async def main() -> tuple[list[int], int]:
        results, largest = await while_watching_the_size(
            pool, asyncio.gather(*(pool.run(wait_for_the_others, n) for n in range(12)))
        )
        return list(results), largest

    results, largest = asyncio.run(main())
    assert results == list(range(12))
    assert largest >= 12


async def while_watching_the_size(pool: Any, work: Any) -> tuple[Any, int]:
    """Await ``work``; return its result and the largest size the pool had meanwhile."""
    largest = 0
    task = asyncio.ensure_future(work)
    while not task.done():
        largest = max(largest, pool.size() or 0)
        await asyncio.sleep(0.001)
    return task.result(), largest


def test_the_pool_goes_back_to_its_minimum_when_the_load_is_gone() -> None:
    pool = fc.LegacyThreadPool(minimum=3, maximum=40, patience=0.002)
    barrier = threading.Barrier(8, timeout=30)

    async def main() -> tuple[int, int | None]:
        _results, grown = await while_watching_the_size(
            pool, asyncio.gather(*(pool.run(barrier.wait) for _ in range(8)))
        )
        for _ in range(200):  # idle checks drop the unused slots, one check each
            await asyncio.sleep(0.005)
            if pool.size() == pool.minimum:
                break
        return grown, pool.size()

    grown, after = asyncio.run(main())
    assert grown >= 8
    assert after == 3


def test_a_pool_never_runs_more_than_its_maximum_at_once() -> None:
    pool = fc.LegacyThreadPool(minimum=1, maximum=3, patience=0.002)
    running = 0
    most = 0
    lock = threading.Lock()
    release = threading.Event()

    def call() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        release.wait(timeout=30)
        with lock:
            running -= 1

    async def main() -> None:
        tasks = [asyncio.create_task(pool.run(call)) for _ in range(10)]
        for _ in range(400):
            await asyncio.sleep(0.005)
            if most >= 3:
                break
        await asyncio.sleep(0.05)  # time for a fourth call to start, if the pool allowed one
        release.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())
    assert most == 3


def test_context_variables_and_exceptions_cross_the_thread_boundary() -> None:
    pool = fc.LegacyThreadPool()

    def read_request_id() -> tuple[str, bool]:
        return REQUEST_ID.get(), threading.current_thread() is threading.main_thread()

    def fail() -> None:
        raise LookupError("from the view")

    async def main() -> tuple[str, bool]:
        REQUEST_ID.set("req-42")
        with pytest.raises(LookupError, match="from the view"):
            await pool.run(fail)
        return await pool.run(read_request_id)

    assert asyncio.run(main()) == ("req-42", False)


@pytest.mark.parametrize(
    ("size", "state", "expected"),
    [
        # calls queue while the process idles: the running ones wait on I/O, add a slot each
        (4, {"queued": 9, "cpu_share": 0.1, "waiting_calls": 4, "running": 4}, 8),
        (4, {"queued": 9, "cpu_share": 0.1, "waiting_calls": 0, "running": 4}, 5),
        # calls queue while the process computes: more threads would only fight for the GIL
        (4, {"queued": 30, "cpu_share": 0.97, "waiting_calls": 4, "running": 4}, 4),
        (9, {"queued": 30, "cpu_share": 0.97, "waiting_calls": 9, "running": 9}, 8),
        # in between: keep the size
        (9, {"queued": 30, "cpu_share": 0.7, "waiting_calls": 9, "running": 9}, 9),
        # nothing queued: slots nobody uses go
        (20, {"queued": 0, "cpu_share": 0.3, "waiting_calls": 2, "running": 6}, 6),
        (20, {"queued": 0, "cpu_share": 0.0, "waiting_calls": 0, "running": 0}, 4),
        # never above the maximum
        (38, {"queued": 50, "cpu_share": 0.0, "waiting_calls": 38, "running": 38}, 40),
    ],
)
def test_the_size_follows_what_the_running_calls_do(
    size: int, state: dict[str, Any], expected: int
) -> None:
    pool = fc.LegacyThreadPool(minimum=4, maximum=40)
    assert pool.next_size(size, **state) == expected


@pytest.mark.parametrize(
    "kwargs",
    [{"minimum": 0}, {"minimum": 5, "maximum": 4}, {"patience": 0}, {"grow_below": 0.9,
                                                                    "shrink_above": 0.5}],
)
def test_nonsense_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        fc.LegacyThreadPool(**kwargs)


def test_a_bridge_runs_its_views_in_its_pool() -> None:
    legacy = Flask("pool_legacy")
    legacy.config["SECRET_KEY"] = "k"

    @legacy.get("/who")
    def who() -> Any:
        return {"thread": threading.current_thread().name}

    class CountingPool(fc.LegacyThreadPool):
        calls = 0

        async def run(self, func: Any, *args: Any) -> Any:
            type(self).calls += 1
            return await super().run(func, *args)

    pool = CountingPool(minimum=2)
    bridge = fc.LegacyBridge(legacy, threads=pool)
    app = FastAPI()

    @app.get("/who", name="who")
    @bridge.route
    def bridged_who() -> Any:
        return {"main": threading.current_thread() is threading.main_thread()}

    app.add_middleware(fc.FlaskMethodsMiddleware)
    fc.mount_legacy(app, legacy)
    with TestClient(app) as client:
        assert client.get("/who").json() == {"main": False}
        assert client.options("/who").status_code == 200  # Flask's automatic OPTIONS too
    assert CountingPool.calls == 2
    assert pool.size() is None  # no event loop running here
    assert fc.LegacyBridge(legacy).threads is fc.DEFAULT_THREAD_POOL


def test_the_pool_is_part_of_the_modules_public_names() -> None:
    """The README tells users to size it in the generated bridge.py."""
    assert "LegacyThreadPool" in fc.__all__
    bridge = fc.LegacyBridge(threads=fc.LegacyThreadPool(minimum=8, maximum=64))
    assert (bridge.threads.minimum, bridge.threads.maximum) == (8, 64)
