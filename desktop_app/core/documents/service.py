"""Background indexing: one worker thread that keeps collections up to date.

The window (and anything else long-lived) talks to this, never to the indexer
directly: ``add``, ``reindex``, ``pause``, ``resume`` and ``remove`` return at once;
progress and results arrive through ``listener`` on the worker thread (the UI turns
them into queued signals). At ``start`` the collections whose indexing was interrupted
(the app was closed or killed while indexing) are queued again; paused ones wait for
``resume``. Pausing takes effect between two files.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.documents.index import Collection, DocumentIndex
from desktop_app.core.documents.indexer import Indexer, Progress, RunReport, collections_to_resume

if TYPE_CHECKING:
    from desktop_app.core.documents.embedder import EmbeddingEngine


@dataclass(frozen=True)
class IndexingEvent:
    collection: str
    progress: Progress | None = None
    report: RunReport | None = None
    """Set when a run ended (finished, paused, or the folder was missing)."""
    removed: bool = False
    """The collection was removed."""


Listener = Callable[[IndexingEvent], None]
_STOP = object()
_EVERY_COLLECTION = object()


class IndexingService:
    def __init__(
        self,
        index: DocumentIndex,
        listener: Listener,
        embedder: EmbeddingEngine | None = None,
    ) -> None:
        self.index = index
        self._listener = listener
        self._indexer = Indexer(index, embedder)
        self.embedding_model = embedder.info.name if embedder is not None else None
        """The name vectors are stored under; None: keyword search (BM25) only."""
        self._queue: queue.Queue[object] = queue.Queue()
        self._paused: set[str] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._work, name="HearthIndexer", daemon=True)
        self.running: str | None = None
        """The collection being indexed now, if any."""

    def start(self) -> None:
        self._thread.start()
        for collection in collections_to_resume(self.index):
            self._queue.put(collection.name)

    def use_embedder(self, embedder: EmbeddingEngine) -> None:
        """Store vectors from ``embedder`` from now on (it was loaded after the start),
        and add them to the passages indexed without (an unchanged file is not read
        again)."""
        self._indexer.embedder = embedder
        self.embedding_model = embedder.info.name
        self._queue.put(_EVERY_COLLECTION)

    def add(self, name: str, folder: Path) -> Collection:
        collection = self.index.add_collection(name, folder)
        self._queue.put(collection.name)
        return collection

    def reindex(self, name: str) -> None:
        self._queue.put(name)

    def pause(self, name: str) -> None:
        with self._lock:
            self._paused.add(name)
        collection = self.index.collection(name)
        if collection is not None and self.running != name:
            self.index.set_state(collection.id, "paused")

    def resume(self, name: str) -> None:
        with self._lock:
            self._paused.discard(name)
        self._queue.put(name)

    def remove(self, name: str) -> None:
        """Stop indexing ``name`` and remove it (on the worker, after any current file)."""
        self.pause(name)
        self._queue.put(("remove", name))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once everything queued so far is done (for tests and the CLI)."""
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        with self._lock:
            self._paused.update(c.name for c in self.index.collections())
        self._queue.put(_STOP)
        if self._thread.is_alive():
            self._thread.join()

    def _progress(self, name: str) -> Callable[[Progress], None]:
        def report(progress: Progress) -> None:
            self._listener(IndexingEvent(name, progress=progress))

        return report

    def _stopped(self, name: str) -> Callable[[], bool]:
        def stop() -> bool:
            with self._lock:
                return name in self._paused

        return stop

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if item is _EVERY_COLLECTION:
                for each in self.index.collections():
                    self._queue.put(each.name)
                continue
            if isinstance(item, threading.Event):
                item.set()
                continue
            if isinstance(item, tuple):
                self.index.remove_collection(item[1])
                with self._lock:
                    self._paused.discard(item[1])
                self._listener(IndexingEvent(item[1], removed=True))
                continue
            name = str(item)
            with self._lock:
                if name in self._paused:
                    continue
            collection = self.index.collection(name)
            if collection is None:
                continue
            self.running = name
            try:
                report = self._indexer.run(
                    collection,
                    progress=self._progress(name),
                    stop=self._stopped(name),
                )
            finally:
                self.running = None
            self._listener(IndexingEvent(name, report=report))
