"""Events from engine threads into the event loop, one wake-up per burst.

A decoding step of the parallel server hands a token to every active request at once.
Scheduling each with ``call_soon_threadsafe`` writes to the loop's wake-up socket and
queues a callback per request; ``LoopRelay`` queues the events of a burst together and
wakes the loop once to put them in their requests' queues, in order.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any

_RELAYS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopRelay] = (
    weakref.WeakKeyDictionary()
)
_RELAYS_LOCK = threading.Lock()


class LoopRelay:
    """Delivers ``(queue, event)`` pairs sent from any thread on ``loop``'s thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._pending: list[tuple[asyncio.Queue[Any], Any]] = []

    def send(self, queue: asyncio.Queue[Any], event: Any) -> None:
        """Put ``event`` in ``queue`` on the loop; ``RuntimeError`` if the loop is closed."""
        with self._lock:
            self._pending.append((queue, event))
            if len(self._pending) > 1:
                return  # a wake-up is on its way and will take this one too
            try:
                self._loop.call_soon_threadsafe(self._deliver)
            except RuntimeError:
                self._pending.clear()
                raise

    def _deliver(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        for queue, event in pending:
            queue.put_nowait(event)


def relay_for(loop: asyncio.AbstractEventLoop) -> LoopRelay:
    """The relay of ``loop`` (one per loop, made on first use)."""
    with _RELAYS_LOCK:
        relay = _RELAYS.get(loop)
        if relay is None:
            relay = _RELAYS[loop] = LoopRelay(loop)
        return relay
