"""Settings → Documents: collections, their indexing progress, pause and resume.

The page drives an ``IndexingService`` (core, its own worker thread). Its events are
relayed to the GUI thread by a queued signal; the progress bar shows the collection
being indexed, and the list below a collection shows the files that could not be
indexed and why. The page reads the index through the window's own connection (never
the indexer's, which it would wait for), and refreshes at most every
``REFRESH_INTERVAL_MS`` however many events arrive.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.documents.index import DocumentIndex, DocumentIndexError
from desktop_app.core.documents.service import IndexingEvent, IndexingService

REFRESH_INTERVAL_MS = 250


class IndexingRelay(QObject):
    """Turns the service's events (worker thread) into a queued signal."""

    received = Signal(object)

    def __call__(self, event: IndexingEvent) -> None:
        self.received.emit(event)


class DocumentsPage(QWidget):
    def __init__(
        self,
        service: IndexingService,
        relay: IndexingRelay,
        index: DocumentIndex,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPage")
        self._service = service
        self._index = index
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_INTERVAL_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        relay.received.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        layout = QVBoxLayout(self)
        self._mode = QLabel(self)
        self._mode.setObjectName("searchMode")
        self._mode.setWordWrap(True)
        layout.addWidget(self._mode)
        self.collections = QListWidget(self)
        self.collections.setObjectName("collections")
        self.collections.currentRowChanged.connect(lambda _row: self._show_details())
        layout.addWidget(self.collections)
        buttons = QHBoxLayout()
        self._add = self._button("addCollection", self.tr("Add Folder…"), self._choose_folder)
        self._pause = self._button("pauseCollection", self.tr("Pause"), self._toggle_pause)
        self._reindex = self._button("reindexCollection", self.tr("Update"), self._update)
        self._remove = self._button("removeCollection", self.tr("Remove"), self._remove_current)
        for button in (self._add, self._pause, self._reindex, self._remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("indexingProgress")
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.details = QListWidget(self)
        self.details.setObjectName("collectionErrors")
        layout.addWidget(self.details)
        self.refresh()

    def _button(self, name: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def current_name(self) -> str | None:
        item = self.collections.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def refresh(self) -> None:
        model = self._service.embedding_model
        self._mode.setText(
            self.tr("Search: keyword and meaning (%1).").replace("%1", model)
            if model
            else self.tr(
                "Search: keywords only (BM25). Install an embedding model "
                "(nomic-embed-text-v1.5 or bge-m3) to search by meaning too."
            )
        )
        current = self.current_name()
        self.collections.clear()
        for collection in self._index.collections():
            status = self._index.status(collection, model)
            text = self.tr("%1 — %2 files, %3 passages — %4")
            text = (
                text.replace("%1", collection.name)
                .replace("%2", str(status.indexed))
                .replace("%3", str(status.chunks))
                .replace("%4", self._state_text(collection.state, len(status.failed)))
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, collection.name)
            item.setToolTip(str(collection.folder))
            self.collections.addItem(item)
            if collection.name == current:
                self.collections.setCurrentItem(item)
        if self.collections.currentItem() is None and self.collections.count():
            self.collections.setCurrentRow(0)
        self._show_details()

    def _state_text(self, state: str, failed: int) -> str:
        words = {
            "pending": self.tr("waiting"),
            "indexing": self.tr("indexing"),
            "paused": self.tr("paused"),
            "ready": self.tr("up to date"),
            "error": self.tr("folder missing"),
        }
        text = words.get(state, state)
        if failed:
            text += self.tr(", %1 failed").replace("%1", str(failed))
        return text

    def _show_details(self) -> None:
        self.details.clear()
        name = self.current_name()
        collection = self._index.collection(name) if name else None
        self._pause.setEnabled(collection is not None)
        self._reindex.setEnabled(collection is not None)
        self._remove.setEnabled(collection is not None)
        if collection is None:
            return
        self._pause.setText(self.tr("Resume") if collection.state == "paused" else self.tr("Pause"))
        if collection.error:
            self.details.addItem(collection.error)
        for record in self._index.status(collection, None).failed:
            self.details.addItem(f"{record.path}: {record.error}")

    @Slot()
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of documents"))
        if folder:
            self.add_folder(Path(folder))

    def add_folder(self, folder: Path, name: str | None = None) -> None:
        try:
            self._service.add(name or folder.name, folder)
        except DocumentIndexError as exc:
            QMessageBox.warning(self, self.tr("Documents"), str(exc))
            return
        self.refresh()

    @Slot()
    def _toggle_pause(self) -> None:
        name = self.current_name()
        collection = self._index.collection(name) if name else None
        if collection is None:
            return
        if collection.state == "paused":
            self._service.resume(collection.name)
        else:
            self._service.pause(collection.name)
        self.refresh()

    @Slot()
    def _update(self) -> None:
        name = self.current_name()
        if name:
            self._service.reindex(name)

    @Slot()
    def _remove_current(self) -> None:
        name = self.current_name()
        if name:
            self._service.remove(name)

    @Slot(object)
    def _on_event(self, event: IndexingEvent) -> None:
        if event.progress is not None:
            self.progress.setVisible(True)
            self.progress.setRange(0, max(1, event.progress.total))
            self.progress.setValue(event.progress.done)
            self.progress.setFormat(f"{event.collection}: %v / %m")
        if event.report is not None or event.removed:
            self.progress.setVisible(False)
            if not self._refresh_timer.isActive():
                self._refresh_timer.start()
