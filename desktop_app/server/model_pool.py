"""Models on demand: load the model a request names, unload the least recently used.

``ModelPool`` is the job runner of ``hearth serve``. It knows every model it may serve
(a ``ModelCatalog``: the library's installed models, a ``--model`` file, and models on
saved remote endpoints) and keeps up to ``max_models`` local ones loaded, each in its own
``BatchScheduler``. A request for a model that is not loaded starts its load and waits
in that scheduler's queue; when the pool is full, or the machine lacks the memory, the
least recently used idle model is unloaded first: it leaves the pool at once and stops
on the new model's thread before that one loads, so requests for other models never
wait on it. With a ``ttl_s``, a model idle that long is unloaded by a sweeper thread. A
model that fails to load fails the requests waiting for it with the reason; the next
request for it tries again.

Remote models (``remote:<endpoint>/<model>``) go through an ``EngineThread`` with a
``RemoteEngine``: they take no memory here and do not count against ``max_models``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import psutil

from desktop_app.core.engine.base import Engine, EngineError, ModelInfo
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.engine.remote import is_remote_spec
from desktop_app.server.engine_thread import EngineThread, Job
from desktop_app.server.errors import ApiError
from desktop_app.server.models import matches
from desktop_app.server.scheduler import FAILED, LOADING, READY, STOPPED, BatchScheduler

MEMORY_MARGIN = 1.2
"""A model needs its file size times this in free memory (weights plus work buffers)."""


@dataclass(frozen=True)
class ModelSource:
    """A model the server may serve."""

    id: str
    location: str
    """A file path, or a ``remote:<endpoint>/<model>`` spec."""
    size: int = 0
    context_length: int = 0
    """The model's trained context, when known (0: unknown)."""

    @property
    def remote(self) -> bool:
        return is_remote_spec(self.location)


class ModelCatalog(Protocol):
    """Which models exist; read on every listing and every request for an unloaded one."""

    def models(self) -> list[ModelSource]: ...

    def remote_models(self) -> list[ModelSource]: ...


@dataclass
class _Entry:
    source: ModelSource
    runner: Any
    """A ``BatchScheduler`` (local) or an ``EngineThread`` (remote)."""
    touched: float

    def idle_since(self) -> float:
        return max(self.touched, getattr(self.runner, "last_active", self.touched))

    @property
    def busy(self) -> bool:
        runner = self.runner
        if isinstance(runner, BatchScheduler):
            return runner.busy
        return bool(runner.busy or runner.waiting)

    @property
    def state(self) -> str:
        runner = self.runner
        if isinstance(runner, BatchScheduler):
            return runner.state
        return READY if runner.info is not None else LOADING


class ModelPool:
    """Serves any model of ``catalog``, loading and unloading on demand; thread-safe."""

    def __init__(
        self,
        catalog: ModelCatalog,
        open_local: Callable[[Path], LlamaEngine],
        open_remote: Callable[[str], Engine] | None = None,
        *,
        max_models: int = 1,
        ttl_s: float | None = None,
        max_waiting: int = 8,
        default_model: str = "",
        available_memory: Callable[[], int] | None = None,
    ) -> None:
        self._catalog = catalog
        self._open_local = open_local
        self._open_remote = open_remote
        self.max_models = max(1, max_models)
        self.ttl_s = ttl_s
        self._max_waiting = max_waiting
        self.default_model = default_model
        self._available = available_memory or (lambda: int(psutil.virtual_memory().available))
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._closing = threading.Event()
        self.unloaded: list[str] = []
        """Models unloaded so far, in order, with why: "lru", "ttl" or "memory" (tests)."""
        self._sweeper: threading.Thread | None = None
        if ttl_s is not None:
            self._sweeper = threading.Thread(target=self._sweep, name="HearthModelTTL", daemon=True)
            self._sweeper.start()

    # What the app asks

    @property
    def info(self) -> ModelInfo | None:
        """The only loaded model's info, or None (the app's single-model view)."""
        with self._lock:
            ready = [e for e in self._entries.values() if e.state == READY]
        return ready[0].runner.info if len(ready) == 1 else None

    def route(self, requested: str | None) -> tuple[str, int, Any]:
        """``(model id, context length, runner)`` for a request's ``model``; loads it if
        needed. Raises ``ApiError`` (404 unknown model, 400 none named, 503 pool busy)."""
        source = self.find(requested)
        with self._lock:
            entry = self._entries.get(source.id)
            if entry is not None and entry.state in (FAILED, STOPPED):
                del self._entries[source.id]
                entry = None
            if entry is None:
                entry = self._load(source)
            entry.touched = time.monotonic()
        runner = entry.runner
        info = runner.info
        context = info.context_length if info is not None else source.context_length
        return source.id, context, runner

    def load(self, requested: str) -> ModelInfo:
        """Load a model now and wait for it (``hearth serve --model``); ``EngineError``."""
        try:
            _, _, runner = self.route(requested)
        except ApiError as exc:
            raise EngineError(exc.message) from exc
        if isinstance(runner, BatchScheduler):
            return runner.wait_ready()
        return runner.info

    def listing(self) -> list[ModelSource]:
        """Every model a request may name: local ones first, then remote ones."""
        return [*self._local_sources(), *self._catalog.remote_models()]

    def loaded(self) -> list[dict[str, Any]]:
        """What is loaded or loading, for ``GET /v1/ps`` and the metrics."""
        now = time.monotonic()
        with self._lock:
            entries = list(self._entries.values())
        rows = []
        for entry in entries:
            runner = entry.runner
            local = isinstance(runner, BatchScheduler)
            info = runner.info
            rows.append(
                {
                    "id": entry.source.id,
                    "state": entry.state,
                    "remote": entry.source.remote,
                    "memory_bytes": runner.memory_bytes if local else 0,
                    "idle_s": 0.0 if entry.busy else max(0.0, now - entry.idle_since()),
                    "active": runner.active if local else int(runner.busy),
                    "waiting": runner.waiting,
                    "parallel": runner.parallel if local else 1,
                    "context_length": info.context_length if info is not None else 0,
                    "load_s": runner.load_seconds if local else None,
                    "error": runner.error if local else None,
                }
            )
        return rows

    @property
    def loading(self) -> bool:
        with self._lock:
            return any(e.state == LOADING for e in self._entries.values())

    def close(self) -> None:
        self._closing.set()
        with self._lock:
            entries = list(self._entries.values())
            self._entries.clear()
        for entry in entries:
            entry.runner.stop()

    # Finding, loading, unloading

    def _local_sources(self) -> list[ModelSource]:
        return self._catalog.models()

    def find(self, requested: str | None) -> ModelSource:
        if requested is None or requested == "":
            with self._lock:
                loaded = [e.source for e in self._entries.values()]
            if len(loaded) == 1:
                return loaded[0]
            if self.default_model:
                requested = self.default_model
            else:
                raise ApiError(
                    400,
                    "Name a model in 'model' (see GET /v1/models): "
                    + ("none is loaded." if not loaded else "several are loaded."),
                    param="model",
                    code="model_required",
                )
        local = self._local_sources()
        for source in local:
            if source.id == requested or matches(requested, source.id, Path(source.location)):
                return source
        if is_remote_spec(requested) and self._open_remote is not None:
            return ModelSource(requested, requested)
        names = ", ".join(repr(s.id) for s in local) or "none installed"
        raise ApiError(
            404,
            f"The model {requested!r} does not exist here; this server offers {names} "
            "(see GET /v1/models).",
            param="model",
            code="model_not_found",
        )

    def _load(self, source: ModelSource) -> _Entry:
        """Start loading ``source`` (holding the lock), making room first."""
        if source.remote:
            assert self._open_remote is not None
            opener = self._open_remote
            runner: Any = EngineThread(lambda: opener(source.location), self._max_waiting)
            try:
                runner.start()  # a remote engine opens without waiting for the network
            except EngineError as exc:
                raise ApiError(
                    502, f"Cannot use {source.id!r}: {exc}", kind="server_error", param="model"
                ) from exc
        else:
            victims = self._make_room(source)
            path = Path(source.location)
            open_local = self._open_local

            def open_engine() -> LlamaEngine:
                # On the new model's thread, outside the pool's lock: requests for other
                # models go on while the evicted ones stop, and their memory is free
                # before this one loads.
                for victim in victims:
                    victim.runner.stop()
                return open_local(path)

            runner = BatchScheduler(open_engine, self._max_waiting, name=source.id)
            runner.start()
        entry = _Entry(source, runner, time.monotonic())
        self._entries[source.id] = entry
        return entry

    def _make_room(self, source: ModelSource) -> list[_Entry]:
        """Forget the least recently used idle local models (holding the lock) until
        ``source`` fits; returns them, for the caller to stop outside the lock."""

        def local_entries() -> list[_Entry]:
            return [e for e in self._entries.values() if not e.source.remote]

        victims: list[_Entry] = []
        while len(local_entries()) >= self.max_models:
            victim = self._forget_lru(local_entries(), "lru")
            if victim is None:
                raise ApiError(
                    503,
                    f"Cannot load {source.id!r}: {self.max_models} model(s) are loaded and "
                    "busy answering. Try again shortly.",
                    kind="server_error",
                    code="models_busy",
                    headers={"Retry-After": "2"},
                )
            victims.append(victim)
        needed = int(source.size * MEMORY_MARGIN)

        def available() -> int:  # counting what the models about to stop will free
            return self._available() + sum(_memory_of(v) for v in victims)

        while needed and available() < needed and local_entries():
            victim = self._forget_lru(local_entries(), "memory")
            if victim is None:
                break
            victims.append(victim)
        return victims

    def _forget_lru(self, entries: list[_Entry], why: str) -> _Entry | None:
        idle = [e for e in entries if not e.busy]
        if not idle:
            return None
        victim = min(idle, key=_Entry.idle_since)
        self._forget(victim, why)
        return victim

    def _forget(self, entry: _Entry, why: str) -> None:
        """Take ``entry`` out of the pool (holding the lock); the caller stops its runner."""
        self._entries.pop(entry.source.id, None)
        self.unloaded.append(f"{entry.source.id}:{why}")

    def _sweep(self) -> None:
        assert self.ttl_s is not None
        period = min(max(self.ttl_s / 4, 0.05), 5.0)
        while not self._closing.wait(period):
            now = time.monotonic()
            with self._lock:
                expired = [
                    entry
                    for entry in self._entries.values()
                    if entry.state == READY
                    and not entry.busy
                    and now - entry.idle_since() >= self.ttl_s
                ]
                for entry in expired:
                    self._forget(entry, "ttl")
            for entry in expired:  # outside the lock: /health and /metrics never wait on it
                entry.runner.stop()


def _memory_of(entry: _Entry) -> int:
    runner = entry.runner
    return runner.memory_bytes if isinstance(runner, BatchScheduler) else 0


__all__ = ["Job", "ModelCatalog", "ModelPool", "ModelSource"]
