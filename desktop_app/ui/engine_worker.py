"""The engine on its own thread, and the GUI-thread façade that talks to it.

``EngineWorker`` lives on a dedicated ``QThread`` and owns the engine: every llama.cpp
call (load, generate, close) happens there, because llama.cpp contexts are not
thread-safe. ``EngineBridge`` lives on the GUI thread, owns that thread and the
worker, and is the only thing widgets (or a benchmark, or a test) talk to.

Requests go to the worker and results come back through queued signals that carry
small immutable values (``str``, ``int``, frozen dataclasses). Cancellation is the
exception: the bridge sets a ``CancelToken`` directly from the GUI thread, because a
queued "stop" request would wait behind the generation it is meant to stop.

Streaming is coalesced on the worker: deltas are joined and emitted at most about
once per frame, so a model producing thousands of tokens a second costs the GUI
thread about sixty small signals a second, never one per token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.session import run_turn
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    Engine,
    EngineError,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams, check_model_file
from desktop_app.core.engine.remote import is_remote_spec

FRAME_INTERVAL_S = 0.016
"""Streamed text reaches the GUI at most about once per frame (60 Hz)."""

EngineFactory = Callable[[Path, LoadParams], Engine]
"""Makes an engine from a model file (a ``Path``) or a remote spec (a ``str``)."""


class EngineWorker(QObject):
    """Owns the engine; every slot runs on the engine thread.

    Signals are emitted from the engine thread and arrive queued wherever they are
    connected. ``text_received`` carries the text added since its previous emission.
    ``tokens_streamed`` carries the number of tokens generated so far in this answer,
    a live count for the status bar; the final statistics come with ``turn_finished``.
    """

    model_loaded = Signal(object)
    model_failed = Signal(str)
    model_unloaded = Signal()
    turn_started = Signal(int)
    text_received = Signal(str)
    tokens_streamed = Signal(int)
    turn_finished = Signal(object)

    def __init__(
        self,
        store: Store,
        closing: threading.Event,
        engine_factory: EngineFactory = LlamaEngine,
        frame_interval_s: float = FRAME_INTERVAL_S,
    ) -> None:
        super().__init__()
        self._store = store
        self._closing = closing
        self._factory = engine_factory
        self._frame_interval_s = frame_interval_s
        self._engine: Engine | None = None

    @Slot(str, object)
    def load_model(self, path: str, params: LoadParams) -> None:
        if self._closing.is_set():
            return
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
            engine = self._factory(model_path, params)
        except EngineError as exc:
            self.model_failed.emit(str(exc))
            return
        except Exception as exc:  # an engine bug must not kill the thread silently
            shown = model_path.name if isinstance(model_path, Path) else model_path
            message = QCoreApplication.translate("EngineWorker", "Could not load %1: %2").replace(
                "%1", shown
            )
            self.model_failed.emit(message.replace("%2", str(exc)))
            return
        self._engine = engine
        self.model_loaded.emit(engine.info)

    @Slot(int, str, object, object)
    def generate(
        self, conversation_id: int, text: str, params: GenerationParams, cancel: CancelToken
    ) -> None:
        self.turn_started.emit(conversation_id)
        if self._engine is None:
            self.turn_finished.emit(
                Finished(
                    FinishReason.ERROR,
                    error=QCoreApplication.translate("EngineWorker", "No model is loaded."),
                )
            )
            return
        pending: list[str] = []
        tokens = 0
        emitted_at = float("-inf")  # the first delta goes out at once: it sets the felt TTFT
        finished: Finished | None = None
        try:
            # Iterate to the very end even after Finished: run_turn's final store write
            # happens when its generator is exhausted, and turn_finished promises it is done.
            for event in run_turn(self._engine, self._store, conversation_id, text, params, cancel):
                if isinstance(event, TextDelta):
                    pending.append(event.text)
                    tokens = event.tokens
                    now = time.monotonic()
                    if now - emitted_at >= self._frame_interval_s:
                        self.text_received.emit("".join(pending))
                        self.tokens_streamed.emit(tokens)
                        pending.clear()
                        emitted_at = now
                else:
                    finished = event
                    if pending:  # show the end of the answer before the final disk sync
                        self.text_received.emit("".join(pending))
                        self.tokens_streamed.emit(tokens)
                        pending.clear()
        except Exception as exc:  # the store or the engine failed: report, keep the thread
            finished = Finished(
                FinishReason.ERROR,
                finished.stats if finished else GenerationStats(),
                error=QCoreApplication.translate(
                    "EngineWorker", "The answer could not be completed: %1"
                ).replace("%1", str(exc)),
            )
        if pending:
            self.text_received.emit("".join(pending))
            self.tokens_streamed.emit(tokens)
        self.turn_finished.emit(finished or Finished(FinishReason.CANCELLED))

    @Slot(object)
    def run_job(self, job: object) -> None:
        """Run a job of Hearth's local API server on this thread, with the loaded model."""
        from desktop_app.server.engine_thread import Job, run_job

        assert isinstance(job, Job)
        run_job(self._engine, job, self._closing)  # type: ignore[arg-type]

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
        try:
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
    model_unloaded = Signal()
    turn_started = Signal(int)
    text_received = Signal(str)
    tokens_streamed = Signal(int)
    turn_finished = Signal(object)
    busy_changed = Signal(bool)

    _load_requested = Signal(str, object)
    _generate_requested = Signal(int, str, object, object)
    _close_requested = Signal()
    _job_requested = Signal(object)

    def __init__(
        self,
        store: Store,
        engine_factory: EngineFactory = LlamaEngine,
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

        self._thread = QThread()
        self._thread.setObjectName("HearthEngineThread")
        self._worker = EngineWorker(store, self._closing, engine_factory, frame_interval_s)
        self._worker.moveToThread(self._thread)

        queued = Qt.ConnectionType.QueuedConnection
        self._load_requested.connect(self._worker.load_model, queued)
        self._generate_requested.connect(self._worker.generate, queued)
        self._close_requested.connect(self._worker.close, queued)
        self._job_requested.connect(self._worker.run_job, queued)
        self._worker.model_loaded.connect(self._on_model_loaded, queued)
        self._worker.model_failed.connect(self._on_model_failed, queued)
        self._worker.model_unloaded.connect(self._on_model_unloaded, queued)
        self._worker.turn_started.connect(self.turn_started, queued)
        self._worker.text_received.connect(self.text_received, queued)
        self._worker.tokens_streamed.connect(self.tokens_streamed, queued)
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
        self._begin_request()
        self.model_loading.emit(path)
        self._load_requested.emit(path, params)
        return True

    def send(self, conversation_id: int, text: str, params: GenerationParams) -> bool:
        """Start an answer to ``text`` in ``conversation_id``; False if that is not possible now."""
        if self._closing.is_set() or self._model is None or self.is_busy:
            return False
        self._cancel = CancelToken()
        self._generating = True
        self._begin_request()
        self._generate_requested.emit(conversation_id, text, params, self._cancel)
        return True

    def submit_job(self, job: object) -> bool:
        """Queue a local API server job behind the window's own requests (any thread).

        The job runs on the engine thread with the loaded model and reports through its
        own sink; False after shutdown.
        """
        if self._closing.is_set():
            return False
        self._job_requested.emit(job)
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
        self._end_request(lambda: self.model_loaded.emit(info))

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self._loading_path = None
        self._end_request(lambda: self.model_failed.emit(message))

    @Slot()
    def _on_model_unloaded(self) -> None:
        self._model = None
        self.model_unloaded.emit()

    @Slot(object)
    def _on_turn_finished(self, finished: Finished) -> None:
        self._generating = False
        self._cancel = None
        self._end_request(lambda: self.turn_finished.emit(finished))
