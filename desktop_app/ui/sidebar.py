"""The conversation sidebar: pinned first, then Today, Yesterday, Previous 7 days, Older.

A ``QTreeView`` over a ``QStandardItemModel``: group rows at the top level, one row per
conversation below them. Titles are edited in place (double-click or F2). A deleted
conversation disappears at once but is only removed from the store when its undo
toast expires (or the window closes), so Undo simply shows it again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chats.model import Conversation
from desktop_app.core.chats.store import Store, StoreError

CONVERSATION_ID = Qt.ItemDataRole.UserRole + 1
UNDO_TIMEOUT_MS = 8000


def group_of(updated_at: float, today: date) -> int:
    """0 Today, 1 Yesterday, 2 Previous 7 days, 3 Older."""
    day = datetime.fromtimestamp(updated_at).date()
    if day >= today:
        return 0
    if day == today - timedelta(days=1):
        return 1
    if day >= today - timedelta(days=7):
        return 2
    return 3


class UndoToast(QFrame):
    """A small bar at the bottom of the sidebar: "Deleted 'title'  [Undo]"."""

    undo_clicked = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoToast")
        self.setAccessibleName(self.tr("Deleted conversation"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        self._label = QLabel(self)
        self._label.setObjectName("undoToastText")
        self._label.setWordWrap(True)
        row.addWidget(self._label, 1)
        self._undo = QPushButton(self.tr("Undo"), self)
        self._undo.setObjectName("undoButton")
        self._undo.clicked.connect(self._on_undo)
        row.addWidget(self._undo)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self.hide()

    def show_for(self, title: str, timeout_ms: int | None = None) -> None:
        self._label.setText(self.tr("Deleted \u201c%1\u201d").replace("%1", title))
        self._timer.start(UNDO_TIMEOUT_MS if timeout_ms is None else timeout_ms)
        self.show()

    def _on_undo(self) -> None:
        self._timer.stop()
        self.hide()
        self.undo_clicked.emit()

    def _on_timeout(self) -> None:
        self.hide()
        self.expired.emit()


class ConversationSidebar(QWidget):
    """Lists conversations; emits what the user chose. Talks to the store directly
    for small, quick writes (rename, pin, delete)."""

    conversation_chosen = Signal(int)
    new_chat_requested = Signal()
    search_requested = Signal()
    conversation_deleted = Signal(int)
    """A conversation was hidden for deletion (the window should leave it if shown)."""
    conversation_restored = Signal(int)
    export_requested = Signal(int)
    conversation_renamed = Signal(int, str)
    error = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._current: int | None = None
        self._pending_delete: list[int] = []
        self._loading = False
        self.setObjectName("sidebar")
        self.setAccessibleName(self.tr("Conversations"))
        self.setMinimumWidth(180)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 8)
        layout.setSpacing(6)
        buttons = QHBoxLayout()
        self._new_button = QPushButton(self.tr("New chat"), self)
        self._new_button.setObjectName("sidebarNewChatButton")
        self._new_button.clicked.connect(self.new_chat_requested)
        buttons.addWidget(self._new_button, 1)
        self._search_button = QToolButton(self)
        self._search_button.setObjectName("sidebarSearchButton")
        self._search_button.setText(self.tr("Search"))
        self._search_button.setToolTip(self.tr("Search conversations (Ctrl+K)"))
        self._search_button.clicked.connect(self.search_requested)
        buttons.addWidget(self._search_button)
        layout.addLayout(buttons)

        self._model = QStandardItemModel(self)
        self._model.itemChanged.connect(self._on_item_changed)
        self._tree = QTreeView(self)
        self._tree.setObjectName("conversationTree")
        self._tree.setAccessibleName(self.tr("Conversation list"))
        self._tree.setModel(self._model)
        self._tree.setHeaderHidden(True)
        self._tree.setRootIsDecorated(False)
        self._tree.setIndentation(0)
        self._tree.setUniformRowHeights(True)
        self._tree.setFrameShape(QFrame.Shape.NoFrame)
        self._tree.setStyleSheet("QTreeView::item { padding: 4px 4px; }")
        self._tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self._tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._tree.customContextMenuRequested.connect(self._show_menu)
        self._tree.clicked.connect(self._on_clicked)
        self._tree.activated.connect(self._on_clicked)
        layout.addWidget(self._tree, 1)

        self._toast = UndoToast(self)
        self._toast.undo_clicked.connect(self.undo_delete)
        self._toast.expired.connect(self.flush_deletes)
        layout.addWidget(self._toast)
        self.refresh()

    # Public API

    @property
    def tree(self) -> QTreeView:
        return self._tree

    @property
    def toast(self) -> UndoToast:
        return self._toast

    def refresh(self) -> None:
        """Reload the list from the store (cheap: one query)."""
        try:
            conversations = [
                c for c in self._store.conversations() if c.id not in self._pending_delete
            ]
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self._loading = True
        self._model.clear()
        names = [
            self.tr("Pinned"),
            self.tr("Today"),
            self.tr("Yesterday"),
            self.tr("Previous 7 days"),
            self.tr("Older"),
        ]
        groups: list[list[Conversation]] = [[] for _ in names]
        today = date.today()
        for conversation in conversations:
            slot = 0 if conversation.pinned else 1 + group_of(conversation.updated_at, today)
            groups[slot].append(conversation)
        for name, members in zip(names, groups, strict=True):
            if not members:
                continue
            header = QStandardItem(name)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setForeground(self.palette().placeholderText())
            font = header.font()
            font.setBold(True)
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            header.setFont(font)
            for conversation in members:
                item = QStandardItem(conversation.title)
                item.setData(conversation.id, CONVERSATION_ID)
                item.setToolTip(conversation.title)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsEditable
                )
                header.appendRow(item)
            self._model.appendRow(header)
        self._tree.expandAll()
        self._loading = False
        self.set_current(self._current)

    def set_current(self, conversation_id: int | None) -> None:
        """Highlight the conversation on screen."""
        self._current = conversation_id
        index = self.index_of(conversation_id) if conversation_id is not None else None
        selection = self._tree.selectionModel()
        if index is None:
            selection.clearSelection()
        else:
            self._tree.setCurrentIndex(index)

    def index_of(self, conversation_id: int) -> QModelIndex | None:
        for group in range(self._model.rowCount()):
            header = self._model.item(group)
            for row in range(header.rowCount()):
                child = header.child(row)
                if child.data(CONVERSATION_ID) == conversation_id:
                    return child.index()
        return None

    def titles(self) -> list[str]:
        """The conversation titles in the order shown (for tests)."""
        return [
            self._model.item(g).child(r).text()
            for g in range(self._model.rowCount())
            for r in range(self._model.item(g).rowCount())
        ]

    def group_names(self) -> list[str]:
        return [self._model.item(g).text() for g in range(self._model.rowCount())]

    def rename(self, conversation_id: int) -> None:
        """Start editing a conversation's title in place."""
        index = self.index_of(conversation_id)
        if index is not None:
            self._tree.setCurrentIndex(index)
            self._tree.edit(index)

    def delete(self, conversation_id: int) -> None:
        """Hide a conversation now; remove it from the store when the undo time is up."""
        self.flush_deletes()
        conversation = self._store.conversation(conversation_id)
        if conversation is None:
            return
        self._pending_delete.append(conversation_id)
        self.refresh()
        self._toast.show_for(conversation.title)
        self.conversation_deleted.emit(conversation_id)

    def undo_delete(self) -> None:
        if not self._pending_delete:
            return
        restored = self._pending_delete.pop()
        self.refresh()
        self.conversation_restored.emit(restored)

    def flush_deletes(self) -> None:
        """Delete for good whatever waits for its undo time to pass."""
        pending, self._pending_delete = self._pending_delete, []
        for conversation_id in pending:
            try:
                self._store.delete_conversation(conversation_id)
            except StoreError as exc:
                self.error.emit(str(exc))
        self._toast.hide()

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        try:
            self._store.set_pinned(conversation_id, pinned)
        except StoreError as exc:
            self.error.emit(str(exc))
        self.refresh()

    # Events

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            conversation_id = self._selected()
            if conversation_id is not None:
                self.delete(conversation_id)
                return
        super().keyPressEvent(event)

    def _selected(self) -> int | None:
        index = self._tree.currentIndex()
        value = index.data(CONVERSATION_ID) if index.isValid() else None
        return int(value) if value is not None else None

    def _on_clicked(self, index: QModelIndex) -> None:
        value = index.data(CONVERSATION_ID)
        if value is not None and int(value) != self._current:
            self._current = int(value)
            self.conversation_chosen.emit(int(value))

    def _on_item_changed(self, item: QStandardItem) -> None:
        """A title edited in place: save it (the list is not rebuilt under the editor)."""
        if self._loading:
            return
        conversation_id = item.data(CONVERSATION_ID)
        if conversation_id is None:
            return
        try:
            self._store.rename_conversation(int(conversation_id), item.text())
        except ValueError:
            pass  # an empty title: the old one stays
        except StoreError as exc:
            self.error.emit(str(exc))
        saved = self._store.conversation(int(conversation_id))
        if saved is not None and saved.title != item.text():
            self._loading = True
            item.setText(saved.title)
            item.setToolTip(saved.title)
            self._loading = False
        if saved is not None:
            self.conversation_renamed.emit(saved.id, saved.title)

    def _show_menu(self, position: QPoint) -> None:
        index = self._tree.indexAt(position)
        value = index.data(CONVERSATION_ID) if index.isValid() else None
        if value is None:
            return
        conversation_id = int(value)
        conversation = self._store.conversation(conversation_id)
        if conversation is None:
            return
        menu = QMenu(self)
        menu.setObjectName("sidebarMenu")
        rename = menu.addAction(self.tr("Rename"))
        rename.triggered.connect(lambda: self.rename(conversation_id))
        pin = menu.addAction(self.tr("Unpin") if conversation.pinned else self.tr("Pin"))
        pin.triggered.connect(lambda: self.set_pinned(conversation_id, not conversation.pinned))
        export = menu.addAction(self.tr("Export…"))
        export.triggered.connect(lambda: self.export_requested.emit(conversation_id))
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete"))
        delete.triggered.connect(lambda: self.delete(conversation_id))
        menu.popup(self._tree.viewport().mapToGlobal(position))
