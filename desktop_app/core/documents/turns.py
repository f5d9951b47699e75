"""A question with documents as an answer job, for the window's engine thread.

The window hands ``DocumentsTurnJob`` to its engine thread in place of a plain turn, so
everything slow happens there, never on the GUI thread: finding the chat's collections
(and turning on those of the preset a new chat was started with), BM25 and vector
search, embedding the question, saving the question with its attached files and the
answer with its sources (``run_turn_with_documents``). The attached files are stored
with the question, so every later question of the chat uses them again.

``DocumentSearch`` is what the jobs search with: a connection of its own to the document
index (not the GUI's, not the indexer's: with SQLite's WAL a reader never waits for
the indexer's writes) and the embedding model, loaded on first use and kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.chats.jobs import ContinueJob, RegenerateJob, TurnJob
from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.chats.store import Store
from desktop_app.core.documents.attachments import (
    Attachment,
    SourcesFound,
    continue_with_documents,
    question_attachments,
    regenerate_with_documents,
    run_turn_with_documents,
)
from desktop_app.core.documents.chat_collections import apply_preset_collections
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.retrieval import Retriever
from desktop_app.core.engine.base import (
    CancelToken,
    Engine,
    EngineError,
    EngineEvent,
    GenerationParams,
)
from desktop_app.core.presets import PresetLibrary

if TYPE_CHECKING:
    from desktop_app.core.documents.embedder import EmbeddingEngine


class EmbedderSlot:
    """The embedding model for questions: found and loaded once, by the first thread
    that asks (or ``preload``), then shared; it runs on a thread of its own."""

    def __init__(self, find: Callable[[], Path | None]) -> None:
        self._find = find
        self._lock = threading.Lock()
        self._tried = False
        self._closed = False
        self._engine: EmbeddingEngine | None = None
        self.error: str | None = None
        """Why the embedding model found could not be loaded."""

    def get(self) -> EmbeddingEngine | None:
        with self._lock:
            if not self._tried and not self._closed:
                self._tried = True
                try:
                    path = self._find()
                    if path is not None:
                        from desktop_app.core.documents.embedder import EmbeddingEngine

                        self._engine = EmbeddingEngine(path)
                except (EngineError, OSError) as exc:
                    self.error = str(exc)
            return self._engine

    def close(self) -> None:
        with self._lock:
            self._closed = True
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()


class DocumentSearch:
    """The document index and embedding model that answer jobs search with."""

    def __init__(self, index_path: Path, embedder: EmbedderSlot) -> None:
        self._path = index_path
        self.embedder = embedder
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._closed = False

    def retriever(self) -> Retriever:
        """The retriever (its index connection opened on first use), with the embedding
        model when there is one. Kept: its vector matrix stays in memory."""
        with self._lock:
            if self._closed:
                raise EngineError("the document index is closed")
            if self._retriever is None:
                self._retriever = Retriever(DocumentIndex.open(self._path))
            retriever = self._retriever
        retriever.embedder = self.embedder.get()
        return retriever

    def close(self) -> None:
        with self._lock:
            self._closed = True
            retriever, self._retriever = self._retriever, None
        if retriever is not None:
            retriever.index.close()
        self.embedder.close()


@dataclass(frozen=True)
class DocumentsTurnJob:
    """Ask ``text`` in a chat with ``attachments`` (added to the chat's files) and the
    chat's collections; ``on_sources`` hears, before the answer streams, which numbered
    sources it was given (on the engine thread)."""

    text: str
    attachments: tuple[Attachment, ...]
    search: DocumentSearch
    on_sources: Callable[[int, SourcesFound], None]
    presets: PresetLibrary | None = None
    """Given for a chat's first question: the preset it was started with may turn
    collections on."""

    def __call__(
        self,
        engine: Engine,
        store: Store,
        conversation_id: int,
        params: GenerationParams,
        cancel: CancelToken,
    ) -> Iterator[EngineEvent]:
        retriever = self.search.retriever()
        if self.presets is not None:
            preset_id = ChatOverrides.from_mapping(
                store.conversation_overrides(conversation_id)
            ).preset
            preset = self.presets.get(preset_id) if preset_id else None
            apply_preset_collections(retriever.index, conversation_id, preset)
        collections = retriever.index.chat_collections(conversation_id)
        for event in run_turn_with_documents(
            engine,
            store,
            conversation_id,
            self.text,
            params,
            cancel,
            attachments=self.attachments,
            retriever=retriever,
            collections=collections,
        ):
            if isinstance(event, SourcesFound):
                self.on_sources(conversation_id, event)
            else:
                yield event


@dataclass(frozen=True)
class DocumentsRedoJob:
    """Regenerate, Continue or Edit-and-resend (``base``) with the chat's documents: the
    files attached to its questions so far (an edited question keeps its own), the
    chat's collections, and the new answer's sources recorded (``on_sources`` hears
    them, on the engine thread). Continue shows the model the sources its answer began
    with."""

    base: RegenerateJob | ContinueJob | TurnJob
    search: DocumentSearch
    on_sources: Callable[[int, SourcesFound], None]

    def __call__(
        self,
        engine: Engine,
        store: Store,
        conversation_id: int,
        params: GenerationParams,
        cancel: CancelToken,
    ) -> Iterator[EngineEvent]:
        base = self.base
        if isinstance(base, ContinueJob):
            yield from continue_with_documents(engine, store, base.answer_id, params, cancel)
            return
        retriever = self.search.retriever()
        collections = retriever.index.chat_collections(conversation_id)
        if isinstance(base, RegenerateJob):
            events = regenerate_with_documents(
                engine,
                store,
                base.answer_id,
                params,
                cancel,
                retriever=retriever,
                collections=collections,
            )
        else:
            kept = question_attachments(store, base.edits) if base.edits is not None else []
            events = run_turn_with_documents(
                engine,
                store,
                conversation_id,
                base.text,
                params,
                cancel,
                attachments=kept,
                retriever=retriever,
                collections=collections,
                parent_id=base.parent_id,
            )
        for event in events:
            if isinstance(event, SourcesFound):
                self.on_sources(conversation_id, event)
            else:
                yield event
