"""The local API server on the window's own engine thread.

``BridgeJobRunner`` gives the API app (``desktop_app.server.app``) the window's
``EngineBridge`` as its job runner: API requests run on the same engine thread, with the
same loaded model, as the chat window (one llama.cpp context, one thread). They run in
arrival order, and only one at a time is handed to the engine thread: the others wait
here, so a chat the user starts in the window waits at most for the API answer being
written, never behind a queue of API requests. When ``max_waiting`` API requests are
already waiting, new ones get 503.
"""

from __future__ import annotations

import collections
import threading

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import Finished, ModelInfo
from desktop_app.server.engine_thread import JOB_STARTED, Job, JobEvent, QueueFull
from desktop_app.ui.engine.worker import EngineBridge


class BridgeJobRunner:
    """Submits API jobs to the window's engine thread; thread-safe."""

    def __init__(self, bridge: EngineBridge, max_waiting: int = 8) -> None:
        self._bridge = bridge
        self._max_waiting = max_waiting
        self._lock = threading.Lock()
        self._waiting = 0
        self._jobs: dict[int, Job] = {}
        self._queue: collections.deque[Job] = collections.deque()
        self._in_flight = False
        self.completed: list[FinishReason] = []
        """How each API job ended, in order (diagnostics and tests)."""

    @property
    def info(self) -> ModelInfo | None:
        return self._bridge.model

    @property
    def waiting(self) -> int:
        with self._lock:
            return self._waiting

    def submit(self, job: Job) -> None:
        with self._lock:
            if self._waiting >= self._max_waiting:
                raise QueueFull
            self._waiting += 1
            key = id(job)
            self._jobs[key] = job
        reply = job.sink
        waiting = True

        def sink(event: JobEvent) -> None:
            nonlocal waiting
            if event is JOB_STARTED or isinstance(event, Finished):
                with self._lock:
                    if waiting:
                        waiting = False
                        self._waiting -= 1
                    if isinstance(event, Finished):
                        self._jobs.pop(key, None)
                        reason = FinishReason.CANCELLED if job.cancel.cancelled else event.reason
                        self.completed.append(reason)
            try:
                reply(event)
            finally:
                if isinstance(event, Finished):
                    self._forward_next(finished=True)

        job.sink = sink
        with self._lock:
            self._queue.append(job)
        self._forward_next()

    def _forward_next(self, finished: bool = False) -> None:
        """Hand the next waiting job to the engine thread unless one is there already."""
        with self._lock:
            if finished:
                self._in_flight = False
            if self._in_flight or not self._queue:
                return
            job = self._queue.popleft()
            self._in_flight = True
        if not self._bridge.submit_job(job):
            job.sink(Finished(FinishReason.ERROR, error="Hearth is shutting down."))

    def cancel_all(self) -> None:
        """Stop every API job, waiting or running (the server is being turned off)."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.cancel.cancel()
