"""The documents feature, plugged into the window through ``ui.extensions``.

- Settings → Documents: collections and their background indexing (``DocumentsPage``
  over an ``IndexingService``, which resumes interrupted indexing at start).
- The chat header: the paperclip with the chips of the files attached to the next
  message (drop or paste files onto the composer too), and the collection picker.
- Sending: the attached files and the chat's collections become numbered passages in
  the question's context (whole files when they fit, else the relevant passages), and
  the answer records them as its sources, shown under it as links (``MessageLink``):
  the passage on hover, a click opens the file (a PDF at its page).

Keyword search (BM25) only in the window for now: the embedding model runs in the CLI
and the API server.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop_app.core.chats.model import Role
from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.documents.attachments import (
    DOCUMENT_SHARE,
    Source,
    answer_sources,
    gather_sources,
    prompt_with_sources,
)
from desktop_app.core.documents.chat_collections import apply_preset_collections
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.retrieval import Retriever
from desktop_app.core.documents.service import IndexingService
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.documents.attachments_bar import AttachmentsBar
from desktop_app.ui.documents.collection_picker import CollectionPicker
from desktop_app.ui.documents.documents_page import DocumentsPage, IndexingRelay
from desktop_app.ui.documents.sources_view import open_source, source_tooltip
from desktop_app.ui.extensions.api import MessageLink, MessageView, OutgoingMessage, WindowApi

DEFAULT_CONTEXT = 4096


class DocumentsFeature:
    name = "documents"

    def __init__(self, index_path: Path) -> None:
        self._index_path = index_path
        self.index: DocumentIndex | None = None
        self.service: IndexingService | None = None
        self.bar: AttachmentsBar | None = None
        self.picker: CollectionPicker | None = None
        self._closed = False
        self._pending: dict[int, tuple[int, list[Source]]] = {}
        """conversation id -> (the last message id before the question, its sources)."""

    def install(self, api: WindowApi) -> None:
        self._api = api
        self.index = DocumentIndex.open(self._index_path)
        relay = IndexingRelay(api.window)
        self.service = IndexingService(self.index, relay)
        self.service.start()
        service = self.service
        api.add_settings_page(
            lambda: (
                QCoreApplication.translate("Documents", "Documents"),
                DocumentsPage(service, relay),
            )
        )
        controls = QWidget(api.window)
        controls.setObjectName("documentsControls")
        row = QHBoxLayout(controls)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = AttachmentsBar(controls)
        self.picker = CollectionPicker(self.index, controls)
        self.picker.set_search_note(
            QCoreApplication.translate(
                "Documents", "Keyword search only: the window does not use an embedding model"
            )
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
        api.add_message_links(self._links)
        api.on_close(self._close)

    def _conversation_shown(self, conversation_id: int | None) -> None:
        if self.picker is not None and not self._closed:
            self.picker.show_conversation(conversation_id)

    def _contribute(self, message: OutgoingMessage) -> None:
        assert self.bar is not None and self.index is not None
        if self._closed:
            return
        self._apply_preset(message.conversation_id)
        if self.picker is not None:
            self.picker.show_conversation(message.conversation_id)
        attachments = self.bar.take()
        collections = self.index.chat_collections(message.conversation_id)
        if not attachments and not collections:
            return
        model = self._api.host.bridge.model
        context = model.context_length if model is not None else DEFAULT_CONTEXT
        sources, _note = gather_sources(
            message.text,
            attachments,
            int(context * DOCUMENT_SHARE),
            retriever=Retriever(self.index),
            collections=collections,
        )
        if not sources:
            return
        numbered = prompt_with_sources(message.text, sources)
        message.context.append(numbered.rsplit("\nQuestion: ", 1)[0])
        store = self._api.host.store
        before = store.messages(message.conversation_id)
        self._pending[message.conversation_id] = (before[-1].id if before else 0, sources)

    def _apply_preset(self, conversation_id: int) -> None:
        """A new chat answers from the collections of the preset it was started with."""
        assert self.index is not None
        store = self._api.host.store
        if store.messages(conversation_id):
            return
        preset_id = ChatOverrides.from_mapping(store.conversation_overrides(conversation_id)).preset
        preset = self._api.host.presets.get(preset_id) if preset_id else None
        apply_preset_collections(self.index, conversation_id, preset)

    def _links(self, view: MessageView) -> list[MessageLink]:
        """One link per source of an answer: the passage on hover, a click opens the file."""
        return [
            MessageLink(source.label, source_tooltip(source), partial(open_source, source))
            for source in self._sources(view)
        ]

    def _sources(self, view: MessageView) -> list[Source]:
        """An answer's sources: stored with it, or (just finished) those its question got,
        which are stored now."""
        if self._closed or view.role != Role.ASSISTANT.value or view.message_id is None:
            return []
        store = self._api.host.store
        sources = answer_sources(store, view.message_id)
        if not sources:
            message = store.message(view.message_id)
            pending = self._pending.get(message.conversation_id) if message else None
            if message is None or pending is None or view.message_id <= pending[0]:
                return []
            sources = pending[1]
            del self._pending[message.conversation_id]
            store.set_message_documents(
                view.message_id, {"sources": [source.to_dict() for source in sources]}
            )
        return sources

    def _close(self) -> None:
        """The window closes: stop indexing; what comes after (late signals) is ignored."""
        self._closed = True
        if self.service is not None:
            self.service.close()
        if self.index is not None:
            self.index.close()
