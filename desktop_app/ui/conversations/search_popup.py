"""Ctrl+K: search every conversation as you type, with highlighted snippets.

Queries run on a small worker thread with its own read connection to the database,
so typing never waits for SQLite (a store kept in memory has no file to open again:
then the worker searches the live store itself, which is thread-safe); each query
carries a number and only the answer to the latest one is shown. Results are painted
by a delegate from a small HTML string (no widget per result).
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chats.search import SearchHit
from desktop_app.core.chats.store import Store, StoreError

log = logging.getLogger(__name__)

HIT = Qt.ItemDataRole.UserRole + 1
HTML = Qt.ItemDataRole.UserRole + 2
DEBOUNCE_MS = 60
RESULT_LIMIT = 30


class SearchWorker(QObject):
    """Runs searches on its own thread with its own connection (or the live in-memory store)."""

    results = Signal(int, tuple)
    failed = Signal(int, str)

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._database = store.path
        self._shared = store if store.in_memory else None
        self._store: Store | None = None

    @Slot(int, str)
    def search(self, number: int, query: str) -> None:
        try:
            if self._shared is not None:
                hits = tuple(self._shared.search(query, RESULT_LIMIT))
            else:
                if self._store is None:
                    self._store = Store.open(self._database)
                hits = tuple(self._store.search(query, RESULT_LIMIT))
        except StoreError as exc:
            self.failed.emit(number, str(exc))
            return
        except Exception as exc:  # a bad query must not kill the thread
            log.exception("Searching for %r failed", query)
            self.failed.emit(number, str(exc))
            return
        self.results.emit(number, hits)

    @Slot()
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        QThread.currentThread().quit()


def hit_html(hit: SearchHit, title_prefix: str) -> str:
    """A result as rich text: the conversation title, then the snippet with matches bold."""
    snippet = html.escape(hit.snippet.marked("\x01", "\x02"))
    snippet = snippet.replace("\x01", "<b>").replace("\x02", "</b>")
    title = html.escape(hit.conversation_title)
    if hit.message_id is None:
        return f"<b>{title_prefix}</b> {snippet}"
    return f"<span style='font-size:small'>{title}</span><br>{snippet}"


class _HtmlDelegate(QStyledItemDelegate):
    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(HTML) or ""))
        document.setTextWidth(max(50, option.rect.width() - 12))
        return document

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        document = self._document(option, index)  # type: ignore[arg-type]
        return QSize(int(document.idealWidth()), int(document.size().height()) + 8)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        option.text = text
        document = self._document(option, index)  # type: ignore[arg-type]
        painter.save()
        painter.translate(option.rect.left() + 6, option.rect.top() + 4)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        context.clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        document.documentLayout().draw(painter, context)
        painter.restore()


class SearchPopup(QDialog):
    """The search box and its results; ``chosen(conversation_id, message_id or 0)``."""

    chosen = Signal(int, int)
    _search_requested = Signal(int, str)
    _close_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPopup")
        self.setWindowTitle(self.tr("Search conversations"))
        self.setAccessibleName(self.tr("Search conversations"))
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        self._field = QLineEdit(self)
        self._field.setObjectName("searchField")
        self._field.setPlaceholderText(self.tr("Search titles and messages…"))
        self._field.setClearButtonEnabled(True)
        self._field.installEventFilter(self)
        layout.addWidget(self._field)
        self._status = QLabel(self)
        self._status.setObjectName("searchStatus")
        layout.addWidget(self._status)
        self._model = QStandardItemModel(self)
        self._list = QListView(self)
        self._list.setObjectName("searchResults")
        self._list.setAccessibleName(self.tr("Search results"))
        self._list.setModel(self._model)
        self._list.setItemDelegate(_HtmlDelegate(self._list))
        self._list.setUniformItemSizes(False)
        self._list.setWordWrap(True)
        self._list.activated.connect(self._choose)
        self._list.clicked.connect(self._choose)
        layout.addWidget(self._list, 1)

        self._number = 0
        self._shown = 0
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._start_search)
        self._field.textChanged.connect(lambda _text: self._debounce.start())

        self._thread = QThread(self)
        self._thread.setObjectName("HearthSearchThread")
        self._worker = SearchWorker(store)
        self._worker.moveToThread(self._thread)
        queued = Qt.ConnectionType.QueuedConnection
        self._search_requested.connect(self._worker.search, queued)
        self._close_requested.connect(self._worker.close, queued)
        self._worker.results.connect(self._show_results, queued)
        self._worker.failed.connect(self._show_failure, queued)
        self._thread.start()

    @property
    def field(self) -> QLineEdit:
        return self._field

    @property
    def results_view(self) -> QListView:
        return self._list

    @property
    def shown_query_number(self) -> int:
        """The number of the query whose results are shown (for tests)."""
        return self._shown

    def hits(self) -> list[SearchHit]:
        return [self._model.item(row).data(HIT) for row in range(self._model.rowCount())]

    def open_search(self) -> None:
        self._field.selectAll()
        self.show()
        self.raise_()
        self.activateWindow()
        self._field.setFocus()

    def shutdown(self) -> None:
        if self._thread.isRunning():
            self._close_requested.emit()
            self._thread.wait(5000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        keys = (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if (
            watched is self._field
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in keys
        ):
            self._navigate(event.key())
            return True
        return super().eventFilter(watched, event)

    def _navigate(self, key: int) -> None:
        count = self._model.rowCount()
        if not count:
            return
        current = self._list.currentIndex().row()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self._model.index(max(0, current), 0))
            return
        step = 1 if key == Qt.Key.Key_Down else -1
        self._list.setCurrentIndex(self._model.index(min(count - 1, max(0, current + step)), 0))

    def _start_search(self) -> None:
        query = self._field.text()
        self._number += 1
        if not query.strip():
            self._model.clear()
            self._status.clear()
            self._shown = self._number
            return
        self._search_requested.emit(self._number, query)

    @Slot(int, tuple)
    def _show_results(self, number: int, hits: tuple[SearchHit, ...]) -> None:
        if number != self._number:
            return  # an answer to an older query
        self._shown = number
        self._model.clear()
        title_prefix = self.tr("Title:")
        for hit in hits:
            item = QStandardItem()
            item.setData(hit, HIT)
            item.setData(hit_html(hit, title_prefix), HTML)
            item.setEditable(False)
            self._model.appendRow(item)
        if hits:
            self._list.setCurrentIndex(self._model.index(0, 0))
            self._status.setText(
                self.tr("1 result")
                if len(hits) == 1
                else self.tr("%1 results").replace("%1", str(len(hits)))
            )
        else:
            self._status.setText(self.tr("No matches"))

    @Slot(int, str)
    def _show_failure(self, number: int, message: str) -> None:
        if number == self._number:
            self._shown = number
            self._status.setText(message)

    def _choose(self, index: QModelIndex) -> None:
        hit: SearchHit | None = index.data(HIT) if index.isValid() else None
        if hit is None:
            return
        self.hide()
        self.chosen.emit(hit.conversation_id, hit.message_id or 0)
