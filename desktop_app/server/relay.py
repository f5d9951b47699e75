"""Events from engine threads into the event loop, one wake-up per burst.

A decoding step of the parallel server hands a token to every active request at once.
Scheduling each with ``call_soon_threadsafe`` writes to the loop's wake-up socket and
queues a callback per request; ``LoopRelay`` queues the events of a burst together and
wakes the loop once to put them in their requests' queues, in order.

Inside ``one_wakeup()`` the thread's sends wait until the block ends. The parallel
scheduler wraps each decoding step in it: the loop then wakes while the next step
computes, instead of taking the interpreter from the decoding thread in the middle of
handing out tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_RELAYS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopRelay] = (
    weakref.WeakKeyDictionary()
)
_RELAYS_LOCK = threading.Lock()
_held = threading.local()


class LoopRelay:
    """Delivers ``(queue, event)`` pairs sent from any thread on ``loop``'s thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._pending: list[tuple[asyncio.Queue[Any], Any]] = []
        self._closed = False

    def send(self, queue: asyncio.Queue[Any], event: Any) -> None:
        """Put ``event`` in ``queue`` on the loop; ``RuntimeError`` if the loop is closed."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the event loop is closed")
            self._pending.append((queue, event))
            if len(self._pending) > 1:
                return  # a wake-up is on its way and will take this one too
            held: set[LoopRelay] | None = getattr(_held, "relays", None)
            if held is not None:
                held.add(self)
                return
            self._wake()

    def _wake(self) -> None:
        """Schedule the delivery (holding the lock)."""
        try:
            self._loop.call_soon_threadsafe(self._deliver)
        except RuntimeError:
            self._pending.clear()
            self._closed = True
            raise

    def _deliver(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        for queue, event in pending:
            queue.put_nowait(event)


@contextmanager
def one_wakeup() -> Iterator[None]:
    """Hold this thread's sends until the block ends, then wake each loop once."""
    if getattr(_held, "relays", None) is not None:  # nested: the outer block wakes
        yield
        return
    relays: set[LoopRelay] = set()
    _held.relays = relays
    try:
        yield
    finally:
        _held.relays = None
        for relay in relays:
            # A closed loop: its next send says so to the engine.
            with relay._lock, contextlib.suppress(RuntimeError):
                relay._wake()


def relay_for(loop: asyncio.AbstractEventLoop) -> LoopRelay:
    """The relay of ``loop`` (one per loop, made on first use)."""
    with _RELAYS_LOCK:
        relay = _RELAYS.get(loop)
        if relay is None:
            relay = _RELAYS[loop] = LoopRelay(loop)
        return relay
