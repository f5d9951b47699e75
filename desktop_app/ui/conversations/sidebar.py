"""The conversation sidebar: pinned first, then Today, Yesterday, Previous 7 days, Older.

A ``QListView`` over a flat model: a heading row, then one row per
conversation below them. Titles are edited in place (double-click or F2). A deleted
conversation disappears at once but is only removed from the store when its undo
toast expires (or the window closes), so Undo simply shows it again.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chats.model import Conversation
from desktop_app.core.chats.store import Store, StoreError

CONVERSATION_ID = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled
_CONVERSATION_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
)
UNDO_TIMEOUT_MS = 8000


def group_of(updated_at: float, today: date) -> int:
    """0 Today, 1 Yesterday, 2 Previous 7 days, 3 Older."""
    return _Groups(today).of(updated_at)


class _Groups:
    """Local midnights of today, yesterday and a week ago, to sort times by comparison."""

    def __init__(self, today: date) -> None:
        def midnight(day: date) -> float:
            return datetime.combine(day, datetime.min.time()).timestamp()

        self.bounds = (
            midnight(today),
            midnight(today - timedelta(days=1)),
            midnight(today - timedelta(days=7)),
        )

    def of(self, updated_at: float) -> int:
        for group, bound in enumerate(self.bounds):
            if updated_at >= bound:
                return group
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
        self._undo.setAccessibleName(self.tr("Undo"))
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


class ConversationListModel(QAbstractListModel):
    """A flat list: a heading row, its conversations, the next heading...

    Flat, so that a ``QListView`` with uniform row heights lays out 10,000
    conversations without asking about each one; nothing per row is built until the
    view asks for that row.
    """

    renamed = Signal(int, str)
    rename_failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[str | Conversation] = []

    def set_groups(self, groups: list[tuple[str, list[Conversation]]]) -> None:
        self.beginResetModel()
        self._rows = []
        for name, members in groups:
            self._rows.append(name)
            self._rows.extend(members)
        self.endResetModel()

    def conversation_rows(self) -> list[tuple[int, Conversation]]:
        return [(row, item) for row, item in enumerate(self._rows) if not isinstance(item, str)]

    def replace(self, row: int, conversation: Conversation) -> None:
        """New data for the conversation in ``row`` that keeps its place."""
        self._rows[row] = conversation
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def row_of(self, conversation_id: int) -> int | None:
        for row, item in enumerate(self._rows):
            if not isinstance(item, str) and item.id == conversation_id:
                return row
        return None

    def headings(self) -> list[str]:
        return [item for item in self._rows if isinstance(item, str)]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def conversation_at(self, index: QModelIndex | QPersistentModelIndex) -> Conversation | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        return None if isinstance(item, str) else item

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        if isinstance(item, str):
            if role == Qt.ItemDataRole.DisplayRole:
                return item
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
                return font
            if role == Qt.ItemDataRole.ForegroundRole:
                return QApplication.palette().placeholderText()
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.title
        if role == CONVERSATION_ID:
            return item.id
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        heading = isinstance(self._rows[index.row()], str)
        return _GROUP_FLAGS if heading else _CONVERSATION_FLAGS

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = _EDIT
    ) -> bool:
        """A title edited in place: save it; an empty one keeps the old title."""
        conversation = self.conversation_at(index)
        if conversation is None or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            self._store.rename_conversation(conversation.id, str(value))
            saved = self._store.conversation(conversation.id)
        except ValueError:
            return False
        except StoreError as exc:
            self.rename_failed.emit(str(exc))
            return False
        if saved is None:
            return False
        self._rows[index.row()] = saved
        self.dataChanged.emit(index, index)
        self.renamed.emit(saved.id, saved.title)
        return True


class _FitWidthDelegate(QStyledItemDelegate):
    """Rows as wide as the list, not as their title: the view then elides long titles."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(1, hint.height())


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
        self._conversations: list[Conversation] = []
        """Every conversation as last read, most recently updated first."""
        self.setObjectName("sidebar")
        self.setAccessibleName(self.tr("Conversations"))
        self.setMinimumWidth(180)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 8)
        layout.setSpacing(6)
        buttons = QHBoxLayout()
        self._new_button = QPushButton(self.tr("New chat"), self)
        self._new_button.setObjectName("sidebarNewChatButton")
        self._new_button.setAccessibleName(self.tr("New chat"))
        self._new_button.clicked.connect(self.new_chat_requested)
        buttons.addWidget(self._new_button, 1)
        self._search_button = QToolButton(self)
        self._search_button.setObjectName("sidebarSearchButton")
        self._search_button.setAccessibleName(self.tr("Search conversations"))
        self._search_button.setText(self.tr("Search"))
        self._search_button.setToolTip(self.tr("Search conversations (Ctrl+K)"))
        self._search_button.clicked.connect(self.search_requested)
        buttons.addWidget(self._search_button)
        layout.addLayout(buttons)

        self._model = ConversationListModel(store, self)
        self._model.renamed.connect(self._on_renamed)
        self._model.renamed.connect(self.conversation_renamed)
        self._model.rename_failed.connect(self.error)
        self._view = QListView(self)
        self._view.setObjectName("conversationList")
        self._view.setAccessibleName(self.tr("Conversation list"))
        self._view.setModel(self._model)
        self._view.setUniformItemSizes(True)
        # Rows fit the sidebar's width and long titles end in "…", never a sideways scroll.
        self._view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._view.setResizeMode(QListView.ResizeMode.Adjust)
        self._view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._view.setItemDelegate(_FitWidthDelegate(self._view))
        self._view.setFrameShape(QFrame.Shape.NoFrame)
        self._view.setStyleSheet("QListView::item { padding: 4px 4px; }")
        self._view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self._view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._view.customContextMenuRequested.connect(self._show_menu)
        self._view.clicked.connect(self._on_clicked)
        self._view.activated.connect(self._on_clicked)
        layout.addWidget(self._view, 1)

        self._toast = UndoToast(self)
        self._toast.undo_clicked.connect(self.undo_delete)
        self._toast.expired.connect(self.flush_deletes)
        layout.addWidget(self._toast)
        self.refresh()

    # Public API

    @property
    def view(self) -> QListView:
        return self._view

    @property
    def toast(self) -> UndoToast:
        return self._toast

    def refresh(self) -> None:
        """Reload the whole list from the store (one query over every conversation)."""
        try:
            self._conversations = self._store.conversations()
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self._show()

    def update_conversation(self, conversation_id: int) -> None:
        """Re-read one conversation (an answer started or ended in it, it was renamed or
        pinned) instead of the whole list, and move it to where its update time puts it."""
        try:
            fresh = self._store.conversation(conversation_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        was = next((i for i, c in enumerate(self._conversations) if c.id == conversation_id), None)
        old = self._conversations.pop(was) if was is not None else None
        at = None
        if fresh is not None:
            key = (fresh.updated_at, fresh.id)
            at = next(
                (i for i, c in enumerate(self._conversations) if (c.updated_at, c.id) < key),
                len(self._conversations),
            )
            self._conversations.insert(at, fresh)
        row = self.index_of(conversation_id)
        if (
            old is not None
            and fresh is not None
            and at == was
            and row is not None
            and old.pinned == fresh.pinned
            and len({_Groups(date.today()).of(c.updated_at) for c in (old, fresh)}) == 1
        ):
            self._model.replace(row.row(), fresh)  # same place: no need to rebuild the list
        else:
            self._show()

    def _show(self) -> None:
        """Group the conversations read last, less those waiting to be deleted."""
        conversations = [c for c in self._conversations if c.id not in self._pending_delete]
        names = [
            self.tr("Pinned"),
            self.tr("Today"),
            self.tr("Yesterday"),
            self.tr("Previous 7 days"),
            self.tr("Older"),
        ]
        groups: list[list[Conversation]] = [[] for _ in names]
        bounds = _Groups(date.today())
        for conversation in conversations:
            slot = 0 if conversation.pinned else 1 + bounds.of(conversation.updated_at)
            groups[slot].append(conversation)
        self._model.set_groups(
            [(name, members) for name, members in zip(names, groups, strict=True) if members]
        )
        self.set_current(self._current)

    def set_current(self, conversation_id: int | None) -> None:
        """Highlight the conversation on screen."""
        self._current = conversation_id
        index = self.index_of(conversation_id) if conversation_id is not None else None
        selection = self._view.selectionModel()
        if index is None:
            selection.clearSelection()
        else:
            self._view.setCurrentIndex(index)

    def index_of(self, conversation_id: int) -> QModelIndex | None:
        row = self._model.row_of(conversation_id)
        return None if row is None else self._model.index(row, 0)

    def titles(self) -> list[str]:
        """The conversation titles in the order shown (for tests)."""
        return [c.title for _, c in self._model.conversation_rows()]

    def group_names(self) -> list[str]:
        return self._model.headings()

    def rename(self, conversation_id: int) -> None:
        """Start editing a conversation's title in place."""
        index = self.index_of(conversation_id)
        if index is not None:
            self._view.setCurrentIndex(index)
            self._view.edit(index)

    def delete(self, conversation_id: int) -> None:
        """Hide a conversation now; remove it from the store when the undo time is up."""
        self.flush_deletes()
        conversation = self._store.conversation(conversation_id)
        if conversation is None:
            return
        self._pending_delete.append(conversation_id)
        self._show()
        self._toast.show_for(conversation.title)
        self.conversation_deleted.emit(conversation_id)

    def undo_delete(self) -> None:
        if not self._pending_delete:
            return
        restored = self._pending_delete.pop()
        self._show()
        self.conversation_restored.emit(restored)

    def flush_deletes(self) -> None:
        """Delete for good whatever waits for its undo time to pass."""
        pending, self._pending_delete = self._pending_delete, []
        self._conversations = [c for c in self._conversations if c.id not in pending]
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
        self.update_conversation(conversation_id)

    # Events

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            conversation_id = self._selected()
            if conversation_id is not None:
                self.delete(conversation_id)
                return
        super().keyPressEvent(event)

    def _on_renamed(self, conversation_id: int, title: str) -> None:
        self._conversations = [
            dataclasses.replace(c, title=title) if c.id == conversation_id else c
            for c in self._conversations
        ]

    def _selected(self) -> int | None:
        index = self._view.currentIndex()
        value = index.data(CONVERSATION_ID) if index.isValid() else None
        return int(value) if value is not None else None

    def _on_clicked(self, index: QModelIndex) -> None:
        value = index.data(CONVERSATION_ID)
        if value is not None and int(value) != self._current:
            self._current = int(value)
            self.conversation_chosen.emit(int(value))

    def _show_menu(self, position: QPoint) -> None:
        index = self._view.indexAt(position)
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
        menu.popup(self._view.viewport().mapToGlobal(position))
