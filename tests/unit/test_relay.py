"""``LoopRelay``: events sent from engine threads reach their queues in order, a burst
costs one loop wake-up, and a closed loop is reported to the sender."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from desktop_app.server.relay import LoopRelay, one_wakeup, relay_for


def test_events_from_threads_reach_their_queues_in_order() -> None:
    async def scenario() -> tuple[list[int], list[int]]:
        loop = asyncio.get_running_loop()
        relay = relay_for(loop)
        assert relay_for(loop) is relay
        first: asyncio.Queue[int] = asyncio.Queue()
        second: asyncio.Queue[int] = asyncio.Queue()

        def engine(queue: asyncio.Queue[int]) -> None:
            for number in range(200):
                relay.send(queue, number)

        threads = [threading.Thread(target=engine, args=(q,)) for q in (first, second)]
        for thread in threads:
            thread.start()
        got = ([await first.get() for _ in range(200)], [await second.get() for _ in range(200)])
        for thread in threads:
            thread.join()
        return got

    first, second = asyncio.run(scenario())
    assert first == list(range(200)) and second == list(range(200))


def test_a_burst_wakes_the_loop_once(monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> tuple[int, list[int]]:
        loop = asyncio.get_running_loop()
        relay = LoopRelay(loop)
        wakeups = 0
        schedule = loop.call_soon_threadsafe

        def counting(callback: Callable[..., object], *args: object) -> asyncio.Handle:
            nonlocal wakeups
            wakeups += 1
            return schedule(callback, *args)

        monkeypatch.setattr(loop, "call_soon_threadsafe", counting)
        queues: list[asyncio.Queue[int]] = [asyncio.Queue() for _ in range(8)]

        def engine() -> None:
            for number, queue in enumerate(queues):
                relay.send(queue, number)

        sender = threading.Thread(target=engine)
        sender.start()
        sender.join()  # the loop is not running meanwhile: all eight wait for one wake-up
        return wakeups, [await q.get() for q in queues]

    wakeups, events = asyncio.run(scenario())
    assert wakeups == 1 and events == list(range(8))


def test_a_closed_loop_is_reported_each_time() -> None:
    loop = asyncio.new_event_loop()
    relay = LoopRelay(loop)
    loop.close()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for _ in range(2):
        with pytest.raises(RuntimeError):
            relay.send(queue, 1)


def test_sends_inside_one_wakeup_wait_for_the_block_to_end() -> None:
    async def scenario() -> tuple[list[int], int]:
        loop = asyncio.get_running_loop()
        relay = LoopRelay(loop)
        queue: asyncio.Queue[int] = asyncio.Queue()
        inside = threading.Event()
        release = threading.Event()

        def engine() -> None:
            with one_wakeup():
                relay.send(queue, 1)
                relay.send(queue, 2)
                inside.set()
                release.wait(30)

        sender = threading.Thread(target=engine)
        sender.start()
        await loop.run_in_executor(None, inside.wait)
        await asyncio.sleep(0.05)  # the loop runs: nothing may have arrived yet
        held = queue.qsize()
        release.set()
        got = [await queue.get(), await queue.get()]
        sender.join()
        return got, held

    got, held = asyncio.run(scenario())
    assert held == 0 and got == [1, 2]
