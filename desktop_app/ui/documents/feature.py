"""The documents feature, plugged into the window through ``ui.extensions``.

- Settings → Documents: collections and their background indexing (``DocumentsPage``
  over an ``IndexingService``, which resumes interrupted indexing at start).
- The chat header: the paperclip with the chips of the files attached to the next
  message (drop or paste files onto the composer too), and the collection picker.
- Sending: the question is answered by a ``DocumentsTurnJob`` on the engine thread,
  which stores the attached files with the question (so every later question of the
  chat uses them: whole when they fit, else the passages relevant to each question),
  searches the chat's collections (hybrid when an embedding model is installed, which
  loads on a worker thread and runs on its own), and stores the numbered sources with
  the answer. They are shown under it as links (``MessageLink``): the passage on
  hover, a click opens the file (a PDF at its page).

Nothing here touches a database on the GUI thread while painting: what is shown under
messages comes from memory, filled when an answer's sources are found and, for a chat
opened from the list, by a worker that reads them from the store. The window reads the
document index (the picker, the Settings page) through a connection of its own, so it
never waits for the indexer.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop_app.core.chats.jobs import ContinueJob, RegenerateJob, TurnJob
from desktop_app.core.chats.model import Role
from desktop_app.core.chats.store import Store, StoreError
from desktop_app.core.documents.attachments import Attachment, Source, SourcesFound
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.service import IndexingService
from desktop_app.core.documents.turns import (
    DocumentSearch,
    DocumentsRedoJob,
    DocumentsTurnJob,
    EmbedderSlot,
)
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.documents.attachments_bar import AttachmentsBar
from desktop_app.ui.documents.collection_picker import CollectionPicker
from desktop_app.ui.documents.documents_page import DocumentsPage, IndexingRelay
from desktop_app.ui.documents.sources import source_link
from desktop_app.ui.extensions.api import MessageLink, MessageView, OutgoingMessage, WindowApi

if TYPE_CHECKING:
    from desktop_app.core.documents.embedder import EmbeddingEngine
    from desktop_app.ui.engine.worker import AnswerJob


class _Relay(QObject):
    """Results of worker threads (the engine thread, the pool), queued to the GUI."""

    sources_found = Signal(int, object, object)
    """(conversation id, ``SourcesFound``, names of the files attached to the question)."""
    documents_loaded = Signal(int, object)
    """(conversation id, {message id: its stored documents})."""
    embedder_ready = Signal(object, str)
    """(the embedding model or None, why it could not be loaded or "")."""

    def emit_safely(self, signal_name: str, *args: object) -> None:
        """Emit from a worker; the window (this object's parent) may be gone already."""
        with contextlib.suppress(RuntimeError):  # the C++ object was deleted
            getattr(self, signal_name).emit(*args)


class _LoadDocuments(QRunnable):
    """Read the stored documents (attached files, sources) of a conversation's messages."""

    def __init__(self, relay: _Relay, store: Store, conversation_id: int) -> None:
        super().__init__()
        self._relay = relay
        self._store = store
        self._conversation_id = conversation_id

    def run(self) -> None:
        try:
            documents = self._store.conversation_documents(self._conversation_id)
        except (StoreError, sqlite3.Error):
            return  # the store closed with the window meanwhile: nobody will look
        self._relay.emit_safely("documents_loaded", self._conversation_id, documents)


class _LoadEmbedder(QRunnable):
    def __init__(self, relay: _Relay, slot: EmbedderSlot) -> None:
        super().__init__()
        self._relay = relay
        self._slot = slot

    def run(self) -> None:
        engine = self._slot.get()
        self._relay.emit_safely("embedder_ready", engine, self._slot.error or "")


class DocumentsFeature:
    name = "documents"

    def __init__(
        self, index_path: Path, find_embedder: Callable[[], Path | None] = lambda: None
    ) -> None:
        self._index_path = index_path
        self._find_embedder = find_embedder
        self.index: DocumentIndex | None = None
        """The window's own connection to the document index (picker, Settings page)."""
        self.service: IndexingService | None = None
        self.search: DocumentSearch | None = None
        self.bar: AttachmentsBar | None = None
        self.picker: CollectionPicker | None = None
        self._closed = False
        self._sources: dict[int, list[Source]] = {}
        """answer id -> its numbered sources."""
        self._notes: dict[int, str] = {}
        """answer id -> how its sources were found (e.g. keyword search only)."""
        self._attached: dict[int, list[str]] = {}
        """question id -> the names of the files attached to it."""
        self._loaded: set[int] = set()
        """Conversations whose stored documents were read (or are being read)."""

    def install(self, api: WindowApi) -> None:
        self._api = api
        self.index = DocumentIndex.open(self._index_path)
        self._service_index = DocumentIndex.open(self._index_path)
        self.search = DocumentSearch(self._index_path, EmbedderSlot(self._find_embedder))
        self._relay = _Relay(api.window)
        self._relay.sources_found.connect(self._on_sources)
        self._relay.documents_loaded.connect(self._on_documents_loaded)
        self._relay.embedder_ready.connect(self._on_embedder_ready)
        indexing = IndexingRelay(api.window)
        self.service = IndexingService(self._service_index, indexing)
        self.service.start()
        service, index = self.service, self.index
        api.add_settings_page(
            lambda: (
                QCoreApplication.translate("Documents", "Documents"),
                DocumentsPage(service, indexing, index),
            )
        )
        controls = QWidget(api.window)
        controls.setObjectName("documentsControls")
        row = QHBoxLayout(controls)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = AttachmentsBar(controls)
        self.picker = CollectionPicker(self.index, controls)
        self.picker.set_search_note(
            QCoreApplication.translate("Documents", "Looking for an embedding model…")
        )
        row.addWidget(self.bar)
        row.addWidget(self.picker)
        api.add_header_control(controls)
        composer = api.window.findChild(Composer, "composer")
        if composer is not None:
            self.bar.watch(composer)
        api.on_conversation_shown(self._conversation_shown)
        api.on_new_chat(lambda: self._conversation_shown(None))
        api.add_request_contributor(self._contribute)
        api.add_answer_job_adapter(self._redo)
        api.add_message_links(self._links)
        api.add_message_decorator(self._decoration)
        api.on_close(self._close)
        QThreadPool.globalInstance().start(_LoadEmbedder(self._relay, self.search.embedder))

    # Sending

    def _contribute(self, message: OutgoingMessage) -> None:
        """Answer with a documents job: the attached files go with the question."""
        assert self.bar is not None and self.search is not None
        if self._closed:
            return
        attachments = tuple(self.bar.attachments())
        first_question = self._api.host.chat_model.rowCount() == 0
        names = [attachment.name for attachment in attachments]
        relay, search, bar = self._relay, self.search, self.bar
        presets = self._api.host.presets if first_question else None

        def found(conversation_id: int, sources: SourcesFound) -> None:  # engine thread
            relay.emit_safely("sources_found", conversation_id, sources, names)

        def make_job(text: str) -> DocumentsTurnJob:
            bar.take()
            return DocumentsTurnJob(text, attachments, search, found, presets)

        message.answer_job = make_job

    def _redo(self, job: AnswerJob) -> AnswerJob:
        """Regenerate, Continue and Edit-and-resend use the chat's documents too."""
        if self._closed or self.search is None:
            return job
        if not isinstance(job, (RegenerateJob, ContinueJob, TurnJob)):
            return job
        relay = self._relay

        def found(conversation_id: int, sources: SourcesFound) -> None:  # engine thread
            relay.emit_safely("sources_found", conversation_id, sources, [])

        return DocumentsRedoJob(job, self.search, found)

    @Slot(int, object, object)
    def _on_sources(self, conversation_id: int, found: SourcesFound, names: list[str]) -> None:
        if self._closed:
            return
        if found.sources:
            self._sources[found.answer_id] = list(found.sources)
        if found.note:
            self._notes[found.answer_id] = found.note
        names = names or list(found.attached)
        if names:
            self._attached[found.question_id] = names
        if self.picker is not None and self._api.host.conversation_id == conversation_id:
            self.picker.show_conversation(conversation_id)  # a preset may have chosen some

    # What is shown under messages (from memory: this runs while painting)

    def _links(self, view: MessageView) -> list[MessageLink]:
        """One link per source of an answer: the passage on hover, a click opens the file."""
        if view.message_id is None or view.role != Role.ASSISTANT.value:
            return []
        return [source_link(source) for source in self._sources.get(view.message_id, [])]

    def _decoration(self, view: MessageView) -> str | None:
        if view.message_id is None:
            return None
        if view.role == Role.USER.value and view.message_id in self._attached:
            return QCoreApplication.translate("Documents", "Attached: %1").replace(
                "%1", ", ".join(self._attached[view.message_id])
            )
        if view.role == Role.ASSISTANT.value:
            return self._notes.get(view.message_id)
        return None

    # Conversations shown

    def _conversation_shown(self, conversation_id: int | None) -> None:
        if self._closed:
            return
        if self.picker is not None:
            self.picker.show_conversation(conversation_id)
        if conversation_id is not None and conversation_id not in self._loaded:
            self._loaded.add(conversation_id)
            QThreadPool.globalInstance().start(
                _LoadDocuments(self._relay, self._api.host.store, conversation_id)
            )

    @Slot(int, object)
    def _on_documents_loaded(self, conversation_id: int, documents: dict[int, Any]) -> None:
        if self._closed:
            return
        model = self._api.host.chat_model
        for message_id, stored in documents.items():
            sources = [
                Source.from_dict(s) for s in stored.get("sources", []) if isinstance(s, dict)
            ]
            attached = [
                Attachment.from_dict(a).name
                for a in stored.get("attachments", [])
                if isinstance(a, dict)
            ]
            new = (sources and message_id not in self._sources) or (
                attached and message_id not in self._attached
            )
            if sources:
                self._sources.setdefault(message_id, sources)
            if attached:
                self._attached.setdefault(message_id, attached)
            if new:  # drawn again only when something changed under it
                model.refresh_message(message_id)

    @Slot(object, str)
    def _on_embedder_ready(self, embedder: EmbeddingEngine | None, error: str) -> None:
        if self._closed or self.picker is None:
            return
        if embedder is not None:
            if self.service is not None:
                self.service.use_embedder(embedder)
            note = QCoreApplication.translate(
                "Documents", "Hybrid search: keywords and meaning (%1)"
            ).replace("%1", embedder.info.name)
        elif error:
            note = QCoreApplication.translate(
                "Documents", "Keyword search only (the embedding model failed: %1)"
            ).replace("%1", error)
        else:
            note = QCoreApplication.translate(
                "Documents", "Keyword search only (no embedding model)"
            )
        self.picker.set_search_note(note)

    def _close(self) -> None:
        """The window closes: stop indexing; what comes after (late signals) is ignored."""
        self._closed = True
        if self.service is not None:
            self.service.close()
        if self.search is not None:
            self.search.close()
        if self.index is not None:
            self.index.close()
            self._service_index.close()
