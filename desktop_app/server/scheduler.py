"""One model on its own thread, decoding several API jobs together (continuous batching).

``BatchScheduler`` is the parallel counterpart of ``EngineThread``: it loads the model
on its thread, then loops: admit waiting jobs into free slots of a ``BatchedDecoder``,
decode one step for every active job, repeat; it sleeps when nothing is active or
waiting. A job joins between two steps as soon as a slot frees, so a short request
never waits for a long one to finish. Jobs submitted while the model is loading wait
for it; if the load fails they all end with the reason, and so does every later job.

Jobs start in arrival order; ``QueueFull`` is raised when ``max_waiting`` jobs already
wait for a slot.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import EngineError, Finished, ModelInfo
from desktop_app.core.engine.batched import BatchedDecoder, SequenceRequest
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.models.gguf_info import GGUFError, read_gguf_info
from desktop_app.server.engine_thread import JOB_STARTED, Job, JobEvent, QueueFull, deliver
from desktop_app.server.relay import one_wakeup

_log = logging.getLogger(__name__)

LOADING, READY, FAILED, STOPPED = "loading", "ready", "failed", "stopped"


class BatchScheduler:
    """Loads a model with ``open_engine`` on its own thread and runs jobs in batches."""

    def __init__(
        self, open_engine: Callable[[], LlamaEngine], max_waiting: int = 8, name: str = ""
    ) -> None:
        self._open_engine = open_engine
        self._max_waiting = max_waiting
        self.name = name
        self._cond = threading.Condition()
        self._queue: collections.deque[Job] = collections.deque()
        self._closing = False
        self._ready = threading.Event()
        self._active = 0
        self._info: ModelInfo | None = None
        self.parallel = 0
        self.state = LOADING
        self.error: str | None = None
        self.load_started = 0.0
        self.ready_at = 0.0
        self.load_seconds: float | None = None
        self.memory_bytes = 0
        """What the loaded model takes: weights plus every sequence's KV cache."""
        self.last_active = time.monotonic()
        """When a job last started or ended (idle time, TTL and LRU)."""
        self.completed: list[FinishReason] = []
        """How each job ended, in order (diagnostics and tests)."""
        self._thread = threading.Thread(target=self._run, name="HearthBatchEngine", daemon=True)

    # State

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._queue)

    @property
    def active(self) -> int:
        """Jobs decoding now."""
        return self._active

    @property
    def busy(self) -> bool:
        return self._active > 0 or self.waiting > 0

    # Control

    def start(self) -> None:
        """Start loading on the scheduler's thread; returns at once (see ``wait_ready``)."""
        self.load_started = time.perf_counter()
        self._thread.start()

    def wait_ready(self, timeout_s: float | None = None) -> ModelInfo:
        """Block until the model is loaded; ``EngineError`` if the load failed."""
        if not self._ready.wait(timeout_s):
            raise EngineError(f"{self.name or 'the model'} is still loading")
        if self._info is None:
            raise EngineError(self.error or "the model could not be loaded")
        return self._info

    def submit(self, job: Job) -> None:
        with self._cond:
            if self.state in (FAILED, STOPPED):
                failed = self.error or "The model was unloaded."
            else:
                failed = ""
                self._purge_cancelled()
                if len(self._queue) >= self._max_waiting:
                    raise QueueFull
                job.submitted_at = time.perf_counter()
                self._queue.append(job)
                self._cond.notify()
        if failed:
            deliver(job, Finished(FinishReason.ERROR, error=failed))

    def stop(self, timeout_s: float = 30.0) -> None:
        """Cancel what runs and waits, free the model, and end the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)
        self._drain(FinishReason.CANCELLED, None)

    # The thread

    def _purge_cancelled(self) -> None:
        """Drop waiting jobs whose client went away (holding the lock)."""
        if any(job.cancel.cancelled for job in self._queue):
            kept = [job for job in self._queue if not job.cancel.cancelled]
            gone = [job for job in self._queue if job.cancel.cancelled]
            self._queue = collections.deque(kept)
            for job in gone:
                self._end(job, Finished(FinishReason.CANCELLED))

    def _drain(self, reason: FinishReason, error: str | None) -> None:
        with self._cond:
            jobs = list(self._queue)
            self._queue.clear()
        for job in jobs:
            self._end(job, Finished(reason, error=error))

    def _end(self, job: Job, event: Finished) -> None:
        self.completed.append(event.reason)
        deliver(job, event)

    def _run(self) -> None:
        try:
            engine = self._open_engine()
            decoder = BatchedDecoder(engine)
        except Exception as exc:
            reason = str(exc) if isinstance(exc, EngineError) else f"{exc!r}"
            self.error = f"Could not load {self.name or 'the model'}: {reason}"
            _log.warning("%s", self.error)
            with self._cond:
                self.state = FAILED
            self._ready.set()
            self._drain(FinishReason.ERROR, self.error)
            return
        self.ready_at = time.perf_counter()
        self.load_seconds = self.ready_at - self.load_started
        self.parallel = decoder.parallel
        self.memory_bytes = _memory_bytes(engine)
        self._info = engine.info
        with self._cond:
            self.state = READY
        self._ready.set()
        try:
            self._loop(decoder)
        finally:
            decoder.close()
            engine.close()
            with self._cond:
                self.state = STOPPED
            self._drain(FinishReason.CANCELLED, None)

    def _loop(self, decoder: BatchedDecoder) -> None:
        while True:
            with self._cond:
                while not self._closing and not self._queue and not decoder.active:
                    self._cond.wait()
                if self._closing:
                    return
                self._purge_cancelled()
                jobs = [self._queue.popleft() for _ in range(min(decoder.free, len(self._queue)))]
            with one_wakeup():  # the event loop wakes once the step's tokens are out
                for job in jobs:
                    self._admit(decoder, job)
                self._active = decoder.active
                if decoder.active:
                    decoder.step()
                    self._active = decoder.active

    def _admit(self, decoder: BatchedDecoder, job: Job) -> None:
        self.last_active = time.monotonic()
        if job.cancel.cancelled:
            self._end(job, Finished(FinishReason.CANCELLED))
            return
        job.load_wait_s = max(0.0, self.ready_at - job.submitted_at)
        if not deliver(job, JOB_STARTED):
            self.completed.append(FinishReason.CANCELLED)
            return
        prepared = (
            decoder.completion_prompt(job.prompt)
            if job.prompt is not None
            else decoder.chat_prompt(job.turns or [], job.params)
        )
        if isinstance(prepared, Finished):
            self._end(job, prepared)
            return
        prompt, dropped = prepared if isinstance(prepared, tuple) else (prepared, 0)

        def emit(event: JobEvent) -> None:
            if isinstance(event, Finished):
                self.last_active = time.monotonic()
                reason = FinishReason.CANCELLED if job.cancel.cancelled else event.reason
                self.completed.append(reason)
            if not deliver(job, event):
                job.cancel.cancel()

        decoder.admit(
            SequenceRequest(
                prompt,
                job.params,
                emit,
                job.cancel,
                dropped_turns=dropped,
                format_stops=job.prompt is None,
            )
        )


def _memory_bytes(engine: LlamaEngine) -> int:
    """Weights (as llama.cpp counts them) plus the KV cache for every sequence's context
    (an upper bound from the file's header: f16, sliding windows not discounted)."""
    llama_cpp = engine._llama_cpp
    llm = engine.llama
    weights = int(llama_cpp.llama_model_size(llm._model.model))
    try:
        per_token = read_gguf_info(Path(engine.info.path)).kv_bytes_per_token or 0
    except (OSError, GGUFError):
        per_token = 0
    return weights + per_token * int(llm.n_ctx())
