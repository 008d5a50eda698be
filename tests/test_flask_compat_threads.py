"""The thread pool the bridge runs legacy views in (``flask_compat.LegacyThreadPool``).

It starts small (views that compute gain nothing from more threads than the GIL lets run)
and adds a slot for every call that waits on something while calls queue. These tests
check the behaviour, not the speed: calls that can only finish together (a barrier) all
finish, the pool goes back to its minimum when the load is gone, context variables and
exceptions cross into and out of the threads, and a bridged app uses the pool.

A view's calls move onto the event loop's thread once the view has shown it is short, and go
back to the threads for good when it turns out to wait: the tests below follow one view
call by call, on which thread each call ran.
"""

import asyncio
import contextvars
import os
import subprocess
import sys
import threading
import time
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
    # The 8 calls wait for each other; the last one in holds them all (the barrier's action)
    # until the event loop has seen the pool at 8 or more. Sampled freely, the peak could pass
    # between two looks on a busy machine (6 of 8 seen).
    seen = threading.Event()
    barrier = threading.Barrier(8, action=lambda: seen.wait(timeout=10), timeout=30)

    async def main() -> tuple[int, int | None]:
        work = asyncio.ensure_future(asyncio.gather(*(pool.run(barrier.wait)
                                                      for _ in range(8))))
        grown = 0
        while not work.done():
            grown = max(grown, pool.size() or 0)
            if grown >= 8:
                seen.set()
            await asyncio.sleep(0.001)
        await work
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
    [
        {"minimum": 0},
        {"minimum": 5, "maximum": 4},
        {"patience": 0},
        {"grow_below": 0.9, "shrink_above": 0.5},
        {"inline_limit": 0},
        {"inline_wait": -1},
        {"inline_after": 0},
    ],
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

        async def run(self, func: Any, *args: Any, **options: Any) -> Any:
            type(self).calls += 1
            return await super().run(func, *args, **options)

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


# --------------------------------------------------------------------------------------
# short views in place, on the event loop's thread
# --------------------------------------------------------------------------------------


def where_calls_ran(pool: Any, view: Any, calls: int) -> list[str]:
    """Run ``view`` ``calls`` times as one view's calls (key ``view``), one after the other;
    for each call, ``"loop"`` if it ran on the event loop's thread, else ``"thread"``."""

    async def main() -> list[str]:
        loop_thread = threading.get_ident()

        def call() -> bool:
            view()
            return threading.get_ident() == loop_thread

        return [
            "loop" if await pool.run(call, key=view) else "thread" for _ in range(calls)
        ]

    return asyncio.run(main())


def test_a_short_view_moves_onto_the_event_loop_after_inline_after_calls() -> None:
    pool = fc.LegacyThreadPool(inline_after=3)

    def short_view() -> None:
        pass

    assert where_calls_ran(pool, short_view, 20) == ["thread"] * 3 + ["loop"] * 17


def test_calls_without_a_key_and_a_pool_without_a_limit_stay_in_threads() -> None:
    def short_view() -> None:
        pass

    kept = fc.LegacyThreadPool(inline_limit=None)
    assert where_calls_ran(kept, short_view, 10) == ["thread"] * 10

    pool = fc.LegacyThreadPool()

    async def main() -> list[bool]:
        loop_thread = threading.get_ident()
        return [
            await pool.run(lambda: threading.get_ident() == loop_thread) for _ in range(10)
        ]

    assert asyncio.run(main()) == [False] * 10


def test_a_view_that_waits_in_place_goes_back_and_must_show_more_to_move_again() -> None:
    """Each call sleeps 3 ms: within the limit in a thread (so it moves), but 3 ms not
    computing in place, over ``inline_wait``. Its fifth late call of sixteen sends it back;
    it moves again after 12 short calls in a row, then would need 48."""
    pool = fc.LegacyThreadPool(inline_limit=0.5, inline_wait=0.001, inline_after=3)

    def waiting_view() -> None:
        time.sleep(0.003)

    ran = where_calls_ran(pool, waiting_view, 60)
    assert ran == (
        ["thread"] * 3 + ["loop"] * 5 + ["thread"] * 12 + ["loop"] * 5 + ["thread"] * 35
    )


def test_one_long_wait_in_place_is_enough() -> None:
    """A view that is short until one call waits 60 ms (more than ten times the 5 ms limit,
    say an upstream that times out): that call is the only long one the loop waits for, and
    the view stays in threads however short its later calls are."""
    pool = fc.LegacyThreadPool(inline_limit=0.005, inline_after=3)
    calls = 0

    def mostly_short_view() -> None:
        nonlocal calls
        calls += 1
        if calls == 6:
            time.sleep(0.06)

    ran = where_calls_ran(pool, mostly_short_view, 60)
    assert ran == ["thread"] * 3 + ["loop"] * 3 + ["thread"] * 54  # for good


def test_a_view_that_is_not_short_in_a_thread_never_moves() -> None:
    pool = fc.LegacyThreadPool(inline_limit=0.005, inline_after=3)

    def slow_view() -> None:
        time.sleep(0.01)  # an upstream that answers in 10 ms, every time

    assert where_calls_ran(pool, slow_view, 8) == ["thread"] * 8


def test_a_call_in_place_sees_no_running_event_loop_as_in_a_thread() -> None:
    """Legacy code may start an event loop of its own (``asyncio.run``, asgiref's
    ``async_to_sync``, which Flask uses for ``async def`` views and hooks): that works in a
    thread, so it must work in place. Context variables behave as in a thread too."""
    from asgiref.sync import async_to_sync

    pool = fc.LegacyThreadPool(inline_after=1)

    async def answer() -> int:
        return 42

    def legacy_view() -> tuple[int, int, str]:
        REQUEST_ID.set("changed by the view")
        return asyncio.run(answer()), async_to_sync(answer)(), REQUEST_ID.get()

    async def main() -> list[Any]:
        REQUEST_ID.set("req-7")
        loop = asyncio.get_running_loop()
        results = [await pool.run(legacy_view, key=legacy_view) for _ in range(3)]
        assert pool.runs_inline(legacy_view)
        return [results, asyncio.get_running_loop() is loop, REQUEST_ID.get()]

    results, same_loop, request_id = asyncio.run(main())
    assert results == [(42, 42, "changed by the view")] * 3
    assert same_loop
    assert request_id == "req-7"


def test_a_bridged_view_runs_on_the_event_loop_once_it_has_shown_it_is_short() -> None:
    legacy = Flask("inline_legacy")
    legacy.config["SECRET_KEY"] = "k"

    @legacy.get("/where")
    def where() -> Any:
        return {}

    bridge = fc.LegacyBridge(legacy, threads=fc.LegacyThreadPool(inline_after=2))
    app = FastAPI()

    @app.get("/loop")
    async def loop_thread() -> int:
        return threading.get_ident()

    @app.get("/where", name="where")
    @bridge.route
    def bridged_where() -> Any:
        return {"thread": threading.get_ident()}

    fc.mount_legacy(app, legacy)
    with TestClient(app) as client:
        loop = client.get("/loop").json()
        ran = [client.get("/where").json()["thread"] == loop for _ in range(5)]
    assert ran == [False, False, True, True, True]


def test_calls_in_place_while_the_views_own_thread_calls_still_run_are_not_judged() -> None:
    """Right after a view moves, its calls that started in threads are still running; they
    take the GIL whenever a call in place lets go of it, which makes that call look late
    through no fault of its own. Such calls are not counted; the ones after are."""
    pool = fc.LegacyThreadPool(inline_limit=0.5, inline_wait=0.001, inline_after=1)
    gate = threading.Event()

    async def main() -> tuple[bool, list[bool], list[bool]]:
        loop_thread = threading.get_ident()

        def view(kind: str) -> bool:
            if kind == "held":
                gate.wait(timeout=10)
            elif kind == "late":
                time.sleep(0.003)
            return threading.get_ident() == loop_thread

        held = asyncio.ensure_future(pool.run(view, "held", key=view))
        await asyncio.sleep(0.01)  # it is running in a thread now
        first = await pool.run(view, "short", key=view)  # in a thread; the view moves
        during = [await pool.run(view, "late", key=view) for _ in range(6)]
        gate.set()
        await held
        after = [await pool.run(view, "late", key=view) for _ in range(6)]
        return first, during, after

    first, during, after = asyncio.run(main())
    assert first is False
    assert during == [True] * 6
    assert after == [True] * 5 + [False]


def compute_for(seconds: float) -> None:
    """Keep the CPU busy for ``seconds`` (wall time), as a view that computes does."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


def test_calls_in_place_take_turns_with_the_rest_of_the_event_loop() -> None:
    """Six calls in place of 30 ms each, queued at once, with a limit of 50 ms: at most two
    run before the loop gets its next pass (here, a ticking task gets a turn); without the
    turns all six would run back to back, and the loop would read and send nothing. (Ten times
    the default 5 ms limit, and a call well below it: a busy machine that delays the thread by
    a few milliseconds does not make the call look long.)"""
    pool = fc.LegacyThreadPool(inline_limit=0.05, inline_after=1)
    events: list[str] = []

    def computing_view() -> None:
        compute_for(0.03)
        events.append("call")

    async def main() -> None:
        await pool.run(computing_view, key=computing_view)  # in a thread: the view moves
        events.clear()
        calls = asyncio.gather(
            *(pool.run(computing_view, key=computing_view) for _ in range(6))
        )

        async def tick() -> None:
            while not calls.done():
                events.append("tick")
                await asyncio.sleep(0)

        await asyncio.gather(calls, tick())

    asyncio.run(main())
    assert events.count("call") == 6
    runs = "".join("c" if event == "call" else " " for event in events).split()
    assert max(len(run) for run in runs) <= 2, events


def test_a_cancelled_call_waiting_for_its_turn_gives_the_turn_to_the_next() -> None:
    """A request whose client went away while its call waited for a turn is cancelled; the
    calls behind it still get theirs. (30 ms calls, a 50 ms limit: as above.)"""
    pool = fc.LegacyThreadPool(inline_limit=0.05, inline_after=1)
    ran: list[int] = []

    def computing_view(n: int) -> None:
        compute_for(0.03)
        ran.append(n)

    async def main() -> None:
        await pool.run(computing_view, 0, key=computing_view)  # in a thread: the view moves
        ran.clear()
        calls = [
            asyncio.ensure_future(pool.run(computing_view, n, key=computing_view))
            for n in range(1, 7)
        ]
        await asyncio.sleep(0)  # 1 and 2 run; 3 to 6 wait for turns
        calls[2].cancel()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert isinstance(results[2], asyncio.CancelledError)

    asyncio.run(main())
    assert ran == [1, 2, 4, 5, 6]


def cpu_for(seconds: float) -> None:
    """Use ``seconds`` of this thread's CPU time, however long that takes on the clock."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or fc._RUSAGE_THREAD is None,
    reason="needs Linux: CPU affinity and per-thread context switch counts",
)
def test_a_call_the_system_preempts_is_not_judged_by_the_time_it_lost() -> None:
    """Once a view runs in place, a process that keeps our core busy makes each 3 ms call take
    about twice that on the clock, although the view never waits. Only a call that blocked (a
    voluntary context switch) is judged by its clock time: this view stays in place."""
    pool = fc.LegacyThreadPool(inline_after=1)
    core = min(os.sched_getaffinity(0))
    before = os.sched_getaffinity(0)

    def view() -> None:
        cpu_for(0.003)

    async def main() -> tuple[list[str], list[str], list[float]]:
        loop_thread = threading.get_ident()

        async def call() -> str:
            def timed() -> tuple[bool, float]:
                started = time.perf_counter()
                view()
                return threading.get_ident() == loop_thread, time.perf_counter() - started

            in_place, took = await pool.run(timed, key=view)
            clock.append(took)
            return "loop" if in_place else "thread"

        clock: list[float] = []
        # moves in place before the hog starts, after a call in a thread short on the clock
        # (one that other work on this machine delayed over 5 ms does not count)
        moving = [await call()]
        while moving[-1] == "thread" and len(moving) < 50:
            moving.append(await call())
        where = []
        hog = subprocess.Popen(  # noqa: ASYNC220 -- started between two calls on one loop
            [sys.executable, "-c", f"import os\nos.sched_setaffinity(0, {{{core}}})\nwhile 1: pass"]
        )
        try:
            os.sched_setaffinity(0, {core})
            await asyncio.sleep(0.3)  # the hog is running on our core
            del clock[:]
            where += [await call() for _ in range(32)]
        finally:
            os.sched_setaffinity(0, before)
            hog.kill()
            hog.wait()
        return moving, where, clock

    moving, where, clock = asyncio.run(main())
    assert (moving[0], moving[-1]) == ("thread", "loop")
    assert where == ["loop"] * 32
    assert sorted(clock)[len(clock) // 2] > 0.005  # the calls did lose time to the hog
