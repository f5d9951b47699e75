"""The engine on its own thread, and the GUI-thread façade that talks to it.

``EngineWorker`` lives on a dedicated ``QThread`` and owns the engine: every llama.cpp
call (load, generate, close) happens there, because llama.cpp contexts are not
thread-safe. ``EngineBridge`` lives on the GUI thread, owns that thread and the
worker, and is the only thing widgets (or a benchmark, or a test) talk to.

Requests go to the worker and results come back through queued signals that carry
small immutable values (``str``, ``int``, frozen dataclasses). Cancellation is the
exception: the bridge sets a ``CancelToken`` directly from the GUI thread, because a
queued "stop" request would wait behind the generation it is meant to stop.

Streamed text goes through a ``StreamOutbox``: the engine thread puts each delta
there and the GUI thread collects what has gathered once per frame, on its own timer,
so a model producing thousands of tokens a second costs the GUI thread about sixty
small updates a second, never one per token. Only the first words of an answer (they
set the felt time to first token) and its end are signalled at once.

Size: the worker and the bridge are the two ends of one thread hand-off (requests one
way, events and the outbox the other) and change together.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, cast

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from desktop_app.core.chats.jobs import TurnJob
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.session import conversation_turns
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    Engine,
    EngineError,
    EngineEvent,
    Finished,
    GenerationParams,
    MeasuresContext,
    ModelInfo,
    TextDelta,
)
from desktop_app.core.engine.kv_state import ConversationStates, KVStateCache, Resumable
from desktop_app.core.engine.load_params import LoadParams, LoadProgress
from desktop_app.core.engine.remote_spec import is_remote_spec

log = logging.getLogger(__name__)

FRAME_INTERVAL_S = 0.016
"""Streamed text reaches the GUI at most about once per frame (60 Hz)."""


class StreamOutbox:
    """Streamed text on its way from the engine thread to the GUI thread.

    Why not a queued signal per frame: the GUI thread wakes right after the engine
    thread emits, while that thread is still running Python between two llama.cpp
    calls, and the two then hand the GIL back and forth at the worst moment. Woken by
    its own timer instead, the GUI thread nearly always finds the engine inside
    llama.cpp, which runs without the GIL. With the tiny model (a token every 0.1 ms)
    a queued signal per frame cost the engine about 1 % of its speed; a timer, nothing
    measurable.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parts: list[str] = []
        self._tokens = 0

    def put(self, text: str, tokens: int) -> None:
        """Add ``text``; ``tokens`` is the answer's token count so far."""
        with self._lock:
            self._parts.append(text)
            self._tokens = tokens

    def take(self) -> tuple[str, int] | None:
        """All text added since the last take and the latest token count, or None."""
        with self._lock:
            if not self._parts:
                return None
            text = "".join(self._parts)
            self._parts.clear()
            return text, self._tokens


class EngineFactory(Protocol):
    """Makes an engine from a model file (a ``Path``) or a remote spec (a ``str``) and the
    ``LoadParams``, reporting load progress to ``progress`` (which may cancel the load)."""

    def __call__(
        self, model: Path | str, params: LoadParams, progress: LoadProgress | None = None
    ) -> Engine: ...


def local_engine(
    model: Path | str, params: LoadParams, progress: LoadProgress | None = None
) -> Engine:
    """The default factory: llama.cpp, imported here on the engine thread when the first
    model loads, so that numpy and llama.cpp stay out of the window's start."""
    from desktop_app.core.engine.llama_engine import LlamaEngine

    return LlamaEngine(Path(model), params, progress)


AnswerJob = Callable[[Engine, Store, int, GenerationParams, CancelToken], Iterator[EngineEvent]]
"""Streams one answer into a conversation (see ``desktop_app.core.chats.jobs``)."""
EngineTask = Callable[[Engine, Store], object]
"""A short job run on the engine thread; its result (or exception) is reported."""

PROGRESS_STEP = 0.01
"""Load progress reaches the GUI in steps of at least one percent."""


class EngineWorker(QObject):
    """Owns the engine; every slot runs on the engine thread.

    Signals are emitted from the engine thread and arrive queued wherever they are
    connected. Streamed text goes into the ``StreamOutbox`` given by the bridge;
    ``text_ready`` asks for it to be collected at once (an answer's first words and its
    end), the bridge's frame timer collects the rest.
    """

    model_loaded = Signal(object)
    model_failed = Signal(str)
    load_cancelled = Signal(str)
    load_progress = Signal(float)
    model_unloaded = Signal()
    turn_started = Signal(int)
    text_ready = Signal()
    turn_finished = Signal(object)
    task_finished = Signal(object, object)
    state_restored = Signal(int)
    context_measured = Signal(int, int)

    def __init__(
        self,
        store: Store,
        closing: threading.Event,
        outbox: StreamOutbox,
        engine_factory: EngineFactory = local_engine,
    ) -> None:
        super().__init__()
        self._store = store
        self._closing = closing
        self._outbox = outbox
        self._factory = engine_factory
        self._engine: Engine | None = None
        self._states: ConversationStates | None = None
        self._resume_bytes = 0
        self._resume_folder: Path | None = None

    @Slot(int, object)
    def configure_resume(self, max_bytes: int, folder: Path | None) -> None:
        """Keep up to ``max_bytes`` of KV state of recent conversations (0: off)."""
        self._resume_bytes = max_bytes
        self._resume_folder = folder
        if self._states is not None:
            self._states.close()
            self._states = None
        self._start_resume()

    def _start_resume(self) -> None:
        engine = self._engine
        if self._resume_bytes <= 0 or engine is None or not engine.capabilities.saves_state:
            return
        cache = KVStateCache(self._resume_bytes, self._resume_folder)
        self._states = ConversationStates(cast(Resumable, engine), cache)

    @Slot(int, object)
    def measure_context(self, conversation_id: int, params: GenerationParams) -> None:
        """Count the tokens the next prompt of a conversation takes (for the usage label)."""
        engine = self._engine
        if engine is None or not engine.capabilities.counts_tokens or self._closing.is_set():
            return
        try:
            tokens = cast(MeasuresContext, engine).context_usage(
                conversation_turns(self._store, conversation_id), params
            )
        except Exception:  # a usage figure is a nicety: never fail the thread for it
            log.warning("Could not measure conversation %d", conversation_id, exc_info=True)
            return
        self.context_measured.emit(conversation_id, tokens)

    @Slot(str, object, object)
    def load_model(self, path: str, params: LoadParams, cancel: CancelToken) -> None:
        if self._closing.is_set():
            return
        from desktop_app.core.engine.llama_engine import LoadCancelled, check_model_file

        # A remote spec (remote:ENDPOINT/MODEL) goes to the factory as text, a file as a Path.
        model_path: str | Path = path if is_remote_spec(path) else Path(path)
        try:
            # A cheap header check first, so a wrong file keeps the current model loaded.
            if isinstance(model_path, Path):
                check_model_file(model_path)
        except EngineError as exc:
            self.model_failed.emit(str(exc))
            return
        self._close_engine()
        try:
            engine = self._factory(model_path, params, self._progress_reporter(cancel))
        except LoadCancelled as exc:
            self.load_cancelled.emit(str(exc))
            return
        except EngineError as exc:
            self.model_failed.emit(str(exc))
            return
        except Exception as exc:  # an engine bug must not kill the thread silently
            log.exception("Loading %s failed", model_path)
            shown = model_path.name if isinstance(model_path, Path) else model_path
            message = QCoreApplication.translate("EngineWorker", "Could not load %1: %2").replace(
                "%1", shown
            )
            self.model_failed.emit(message.replace("%2", str(exc)))
            return
        self._engine = engine
        self._start_resume()
        self.model_loaded.emit(engine.info)

    def _progress_reporter(self, cancel: CancelToken) -> Callable[[float], bool]:
        """Called by llama.cpp on this thread while a model loads; False aborts the load."""
        last = -1.0

        def report(fraction: float) -> bool:
            nonlocal last
            if fraction - last >= PROGRESS_STEP or fraction >= 1.0:
                last = fraction
                self.load_progress.emit(fraction)
            return not (cancel.cancelled or self._closing.is_set())

        return report

    @Slot(int, object, object, object)
    def run_job(
        self, conversation_id: int, job: AnswerJob, params: GenerationParams, cancel: CancelToken
    ) -> None:
        """Stream the answer ``job`` produces (a new turn, a regeneration, a continuation).

        ``turn_started`` goes out with the job's first event, once the question is saved
        (so the sidebar shows it), and together with the first words: one wake-up of
        the GUI thread instead of two.
        """
        if self._engine is None:
            self.turn_started.emit(conversation_id)
            self.turn_finished.emit(
                Finished(
                    FinishReason.ERROR,
                    error=QCoreApplication.translate("EngineWorker", "No model is loaded."),
                )
            )
            return
        if self._states is not None:
            try:
                if self._states.switch_to(conversation_id):
                    self.state_restored.emit(conversation_id)
            except Exception:  # a cache failure only costs speed
                log.warning("The resume cache failed; it is off now", exc_info=True)
                self._states = None
        outbox = self._outbox
        started, first = False, True
        finished: Finished | None = None
        try:
            # Iterate to the very end even after Finished: run_turn's final store write
            # happens when its generator is exhausted, and turn_finished promises it is done.
            for event in job(self._engine, self._store, conversation_id, params, cancel):
                if not started:
                    self.turn_started.emit(conversation_id)
                    started = True
                if isinstance(event, TextDelta):
                    outbox.put(event.text, event.tokens)
                    if first:  # the first words go out at once: they set the felt TTFT
                        self.text_ready.emit()
                        first = False
                else:
                    finished = event
                    self.text_ready.emit()  # show the end before the final disk sync
        except Exception as exc:  # the store or the engine failed: report, keep the thread
            log.exception("The answer in conversation %d failed", conversation_id)
            finished = Finished(
                FinishReason.ERROR,
                finished.stats if finished else GenerationStats(),
                error=QCoreApplication.translate(
                    "EngineWorker", "The answer could not be completed: %1"
                ).replace("%1", str(exc)),
            )
        if not started:
            self.turn_started.emit(conversation_id)
        self.turn_finished.emit(finished or Finished(FinishReason.CANCELLED))

    @Slot(object)
    def run_task(self, task: EngineTask) -> None:
        """Run a short non-streaming job on the engine (a title); reports via task_finished."""
        if self._engine is None:
            self.task_finished.emit(
                task, EngineError(QCoreApplication.translate("EngineWorker", "No model is loaded."))
            )
            return
        try:
            result: object = task(self._engine, self._store)
        except Exception as exc:  # report, keep the thread
            if not isinstance(exc, EngineError):
                log.exception("An engine task failed")
            result = exc
        self.task_finished.emit(task, result)

    @Slot(object)
    def run_server_job(self, job: object) -> None:
        """Run a job of Hearth's local API server on this thread, with the loaded model."""
        from desktop_app.server.engine_thread import Job, run_job

        assert isinstance(job, Job)
        run_job(self._engine, job, self._closing)

    @Slot()
    def close(self) -> None:
        """Close the engine, hand this object back to the main thread, and stop the thread."""
        self._close_engine()
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())
        thread = QThread.currentThread()
        thread.quit()

    def _close_engine(self) -> None:
        if self._engine is None:
            return
        engine, self._engine = self._engine, None
        states, self._states = self._states, None
        try:
            if states is not None:
                states.close()
            engine.close()
        finally:
            self.model_unloaded.emit()


class EngineBridge(QObject):
    """GUI-thread façade over the engine thread; usable with or without a window.

    Only one request runs at a time: ``send`` is refused (returns False) while a
    model loads or an answer streams, or when no model is loaded. ``load_model``
    cancels a streaming answer first. ``busy_changed`` reports whether a request is
    in flight. Call ``shutdown`` before the application exits (it is also connected
    to ``aboutToQuit`` as a safety net).
    """

    model_loading = Signal(str)
    model_loaded = Signal(object)
    model_failed = Signal(str)
    load_cancelled = Signal(str)
    load_progress = Signal(float)
    model_unloaded = Signal()
    turn_started = Signal(int)
    text_received = Signal(str)
    tokens_streamed = Signal(int)
    turn_finished = Signal(object)
    busy_changed = Signal(bool)
    task_finished = Signal(object, object)
    """(task, result or exception) of a ``run_task`` request."""
    state_restored = Signal(int)
    """A conversation's KV state was restored before its answer (instant resume)."""
    context_measured = Signal(int, int)
    """(conversation id, tokens its next prompt takes), after ``measure_context``."""

    _load_requested = Signal(str, object, object)
    _job_requested = Signal(int, object, object, object)
    _task_requested = Signal(object)
    _close_requested = Signal()
    _resume_requested = Signal(int, object)
    _measure_requested = Signal(int, object)
    _server_job_requested = Signal(object)

    def __init__(
        self,
        store: Store,
        engine_factory: EngineFactory = local_engine,
        parent: QObject | None = None,
        *,
        frame_interval_s: float = FRAME_INTERVAL_S,
    ) -> None:
        super().__init__(parent)
        self._closing = threading.Event()
        self._model: ModelInfo | None = None
        self._loading_path: str | None = None
        self._generating = False
        self._pending = 0
        self._cancel: CancelToken | None = None
        self._load_cancel: CancelToken | None = None

        self._outbox = StreamOutbox()
        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(round(frame_interval_s * 1000))
        self._frame_timer.timeout.connect(self._collect_text)

        self._thread = QThread()
        self._thread.setObjectName("HearthEngineThread")
        self._worker = EngineWorker(store, self._closing, self._outbox, engine_factory)
        self._worker.moveToThread(self._thread)

        queued = Qt.ConnectionType.QueuedConnection
        self._load_requested.connect(self._worker.load_model, queued)
        self._job_requested.connect(self._worker.run_job, queued)
        self._task_requested.connect(self._worker.run_task, queued)
        self._worker.task_finished.connect(self._on_task_finished, queued)
        self._close_requested.connect(self._worker.close, queued)
        self._resume_requested.connect(self._worker.configure_resume, queued)
        self._worker.load_cancelled.connect(self._on_load_cancelled, queued)
        self._worker.load_progress.connect(self.load_progress, queued)
        self._worker.state_restored.connect(self.state_restored, queued)
        self._measure_requested.connect(self._worker.measure_context, queued)
        self._worker.context_measured.connect(self.context_measured, queued)
        self._server_job_requested.connect(self._worker.run_server_job, queued)
        self._worker.model_loaded.connect(self._on_model_loaded, queued)
        self._worker.model_failed.connect(self._on_model_failed, queued)
        self._worker.model_unloaded.connect(self._on_model_unloaded, queued)
        self._worker.turn_started.connect(self._on_turn_started, queued)
        self._worker.text_ready.connect(self._collect_text, queued)
        self._worker.turn_finished.connect(self._on_turn_finished, queued)

        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._thread.start()

    # State, as seen from the GUI thread

    @property
    def model(self) -> ModelInfo | None:
        """The loaded model, or None."""
        return self._model

    @property
    def loading_path(self) -> str | None:
        """The model file being loaded, or None."""
        return self._loading_path

    @property
    def is_generating(self) -> bool:
        return self._generating

    @property
    def is_busy(self) -> bool:
        return self._pending > 0

    @property
    def is_running(self) -> bool:
        """Whether the engine thread is still running (False once shut down)."""
        return self._thread.isRunning()

    # Requests

    def load_model(self, path: str, params: LoadParams) -> bool:
        """Load ``path`` in the background; False while another load runs or after shutdown."""
        if self._closing.is_set() or self._loading_path is not None:
            return False
        self.stop()
        self._loading_path = path
        self._load_cancel = CancelToken()
        self._begin_request()
        self.model_loading.emit(path)
        self._load_requested.emit(path, params, self._load_cancel)
        return True

    def measure_context(self, conversation_id: int, params: GenerationParams) -> None:
        """Ask for ``context_measured`` with the size of this conversation's next prompt."""
        if not self._closing.is_set() and self._model is not None:
            self._measure_requested.emit(conversation_id, params)

    def cancel_load(self) -> None:
        """Abort the model load in progress (the previous model is already unloaded)."""
        if self._load_cancel is not None:
            self._load_cancel.cancel()

    def configure_resume(self, max_bytes: int, folder: Path | None = None) -> None:
        """Keep the KV state of recent conversations: up to ``max_bytes`` in memory (0: off),
        and in ``folder`` beyond that and across restarts (None: memory only)."""
        if not self._closing.is_set():
            self._resume_requested.emit(max_bytes, folder)

    def send(self, conversation_id: int, text: str, params: GenerationParams) -> bool:
        """Start an answer to ``text`` in ``conversation_id``; False if that is not possible now."""
        return self.start_job(conversation_id, TurnJob(text), params)

    def start_job(self, conversation_id: int, job: AnswerJob, params: GenerationParams) -> bool:
        """Stream the answer ``job`` makes (regenerate, continue, edit), like ``send``."""
        if self._closing.is_set() or self._model is None or self.is_busy:
            return False
        self._cancel = CancelToken()
        self._generating = True
        self._begin_request()
        self._job_requested.emit(conversation_id, job, params, self._cancel)
        return True

    def run_task(self, task: EngineTask) -> bool:
        """Run ``task`` on the engine thread; ``task_finished`` reports its result."""
        if self._closing.is_set() or self._model is None or self.is_busy:
            return False
        self._begin_request()
        self._task_requested.emit(task)
        return True

    def submit_job(self, job: object) -> bool:
        """Queue a local API server job behind the window's own requests (any thread).

        The job runs on the engine thread with the loaded model and reports through its
        own sink; False after shutdown.
        """
        if self._closing.is_set():
            return False
        self._server_job_requested.emit(job)
        return True

    def stop(self) -> None:
        """Stop the streaming answer before its next token (safe to call any time)."""
        if self._cancel is not None:
            self._cancel.cancel()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel, close the engine on its thread, and wait for the thread to end.

        A cancelled answer still gets its final store write before the engine closes.
        Returns False if the thread did not end in time (a model load cannot be
        interrupted); the caller must then not wait for it again.
        """
        if not self._closing.is_set():
            self._closing.set()
            self.stop()
            self.cancel_load()
            self._close_requested.emit()
        if not self._thread.isRunning():
            return True
        return self._thread.wait(max(0, timeout_ms))

    # Results from the worker

    def _begin_request(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def _end_request(self, announce: Callable[[], None]) -> None:
        """Count a finished request, announce its result, then say if all is idle.

        The result goes out first, so a listener to ``busy_changed(False)`` already
        sees the new state (the model loaded, the answer finished).
        """
        self._pending = max(0, self._pending - 1)
        announce()
        if self._pending == 0:
            self.busy_changed.emit(False)

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        self._model = info
        self._loading_path = None
        self._load_cancel = None
        self._end_request(lambda: self.model_loaded.emit(info))

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self._loading_path = None
        self._load_cancel = None
        self._end_request(lambda: self.model_failed.emit(message))

    @Slot(str)
    def _on_load_cancelled(self, message: str) -> None:
        self._loading_path = None
        self._load_cancel = None
        self._end_request(lambda: self.load_cancelled.emit(message))

    @Slot()
    def _on_model_unloaded(self) -> None:
        self._model = None
        self.model_unloaded.emit()

    @Slot(object, object)
    def _on_task_finished(self, task: object, result: object) -> None:
        self._end_request(lambda: self.task_finished.emit(task, result))

    @Slot(int)
    def _on_turn_started(self, conversation_id: int) -> None:
        self._frame_timer.start()
        self.turn_started.emit(conversation_id)

    @Slot()
    def _collect_text(self) -> None:
        taken = self._outbox.take()
        if taken is not None:
            text, tokens = taken
            self.text_received.emit(text)
            self.tokens_streamed.emit(tokens)

    @Slot(object)
    def _on_turn_finished(self, finished: Finished) -> None:
        self._frame_timer.stop()
        self._collect_text()
        self._generating = False
        self._cancel = None
        self._end_request(lambda: self.turn_finished.emit(finished))
