"""The one thread that drives llama.cpp for the API server, fed by a fair FIFO job queue.

llama.cpp must be driven from a single thread (from two it is unsafe and much slower),
so the asyncio loop never calls it: request handlers submit a ``Job`` and receive its
events through the job's ``sink``, which the engine thread calls. Jobs run one at a
time in arrival order; when ``max_waiting`` jobs are already waiting, ``submit`` raises
``QueueFull`` and the handler answers 503. A job whose cancel token is set before it
starts is skipped; one cancelled while running stops before its next token.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, cast

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    CompletesText,
    EngineCapabilities,
    EngineError,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
)

_log = logging.getLogger(__name__)


class ServerEngine(Protocol):
    """What the server needs from an engine: chat streams, and raw completion when
    ``capabilities.raw_completion`` says so."""

    @property
    def info(self) -> ModelInfo: ...

    @property
    def capabilities(self) -> EngineCapabilities: ...

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]: ...

    def close(self) -> None: ...


class QueueFull(Exception):
    """Too many requests are already waiting for the engine."""


class JobStarted:
    """Sent to a job's sink when the engine thread picks the job up."""


JOB_STARTED = JobStarted()
JobEvent = EngineEvent | JobStarted


@dataclass
class Job:
    params: GenerationParams
    sink: Callable[[JobEvent], None]
    """Called on the engine thread with each event; must be cheap and thread-safe."""
    turns: list[ChatTurn] | None = None
    prompt: str | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    submitted_at: float = 0.0
    """``time.perf_counter()`` when the runner took the job (set by ``BatchScheduler``)."""
    load_wait_s: float = 0.0
    """How long the job waited for its model to load (models loaded on demand)."""


class EngineThread:
    """Opens the engine on its own thread, then runs submitted jobs one by one."""

    def __init__(self, open_engine: Callable[[], ServerEngine], max_waiting: int = 8) -> None:
        self._open_engine = open_engine
        self._max_waiting = max_waiting
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._waiting = 0
        self._running = False
        self._ready = threading.Event()
        self._closing = threading.Event()
        self._info: ModelInfo | None = None
        self._error: str | None = None
        self._thread = threading.Thread(target=self._run, name="HearthServerEngine", daemon=True)
        self.completed: list[FinishReason] = []
        """Finish reasons of the jobs run so far, in order (diagnostics and tests)."""

    @property
    def info(self) -> ModelInfo | None:
        """The loaded model (None before ``start``)."""
        return self._info

    @property
    def waiting(self) -> int:
        """Jobs queued and not started yet."""
        with self._lock:
            return self._waiting

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running

    def start(self) -> ModelInfo:
        """Start the thread and load the model on it; raises ``EngineError`` if it fails."""
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise EngineError(self._error)
        assert self._info is not None
        return self._info

    def submit(self, job: Job) -> None:
        with self._lock:
            if self._waiting >= self._max_waiting:
                raise QueueFull
            self._waiting += 1
        self._jobs.put(job)

    def stop(self, timeout_s: float = 30.0) -> None:
        """Finish the running job's current token, drop the rest, close the engine."""
        if not self._thread.is_alive():
            return
        self._closing.set()  # the running job stops before its next token
        while True:
            try:
                pending = self._jobs.get_nowait()
            except queue.Empty:
                break
            if pending is not None:
                pending.cancel.cancel()
                deliver(pending, Finished(FinishReason.CANCELLED))
        self._jobs.put(None)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        try:
            engine = self._open_engine()
            self._info = engine.info
        except Exception as exc:
            if not isinstance(exc, EngineError):
                _log.exception("Loading the model for the server failed")
            self._error = str(exc) if isinstance(exc, EngineError) else f"{exc!r}"
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                with self._lock:
                    self._waiting -= 1
                    self._running = True
                try:
                    reason = run_job(engine, job, self._closing)
                finally:
                    with self._lock:
                        self._running = False
                self.completed.append(reason)
        finally:
            engine.close()


class _JobCancel(CancelToken):
    """The job's own cancel token, or the owner shutting down, whichever comes first."""

    __slots__ = ("_closing", "_job")

    def __init__(self, job: CancelToken, closing: threading.Event) -> None:
        self._job = job
        self._closing = closing

    @property
    def cancelled(self) -> bool:  # type: ignore[override]  # read-only here, by design
        return self._job.cancelled or self._closing.is_set()

    def cancel(self) -> None:
        self._job.cancel()


def deliver(job: Job, event: JobEvent) -> bool:
    """Hand ``event`` to the job's sink; False if the receiver is gone (loop closed)."""
    try:
        job.sink(event)
    except RuntimeError:
        return False
    return True


def run_job(
    engine: ServerEngine | None, job: Job, closing: threading.Event | None = None
) -> FinishReason:
    """Run one job on the calling thread, which must own ``engine``; returns how it ended.

    Used by ``EngineThread`` and by the window's engine thread when the API server shares
    the window's model. ``closing`` set by the owner stops the job like a cancel.
    """
    cancel: CancelToken = job.cancel if closing is None else _JobCancel(job.cancel, closing)
    if cancel.cancelled:
        deliver(job, Finished(FinishReason.CANCELLED))
        return FinishReason.CANCELLED
    if engine is None:
        deliver(job, Finished(FinishReason.ERROR, error="No model is loaded in Hearth."))
        return FinishReason.ERROR
    if not deliver(job, JOB_STARTED):
        return FinishReason.CANCELLED
    if job.prompt is not None:
        if not engine.capabilities.raw_completion:
            deliver(
                job,
                Finished(
                    FinishReason.ERROR,
                    error=f"{engine.info.name} does not take raw text completions; "
                    "use /v1/chat/completions.",
                ),
            )
            return FinishReason.ERROR
        events = cast(CompletesText, engine).stream_completion(job.prompt, job.params, cancel)
    else:
        events = engine.stream_chat(job.turns or [], job.params, cancel)
    reason = FinishReason.CANCELLED
    try:
        for event in events:
            if isinstance(event, Finished):
                reason = FinishReason.CANCELLED if cancel.cancelled else event.reason
            if not deliver(job, event):
                job.cancel.cancel()
    except Exception as exc:  # an engine bug must not stop the thread
        _log.exception("generation failed")
        deliver(job, Finished(FinishReason.ERROR, error=f"Generation failed: {exc}"))
        return FinishReason.ERROR
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
    return reason
