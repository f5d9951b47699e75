"""The conversation on screen: a list view whose delegate paints each message.

Each row is laid out with a ``QTextDocument`` at the view's width and cached. When a
row changes, only that row is measured again (a streaming answer that merely grew
gets the new text appended to its cached document), and the list is re-laid out only
if the row's height changed (and then only from cached sizes); a width change drops
the whole cache. A streaming update costs about the same at token 10 and token 5000.

The view follows the end of the conversation while text streams in, unless the user
scrolled up to read; scrolling back to the bottom resumes following."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.ui.chat_model import ChatRoles, ChatRow
from desktop_app.ui.message_actions import ActionBar, MessageAction

AnyIndex = QModelIndex | QPersistentModelIndex

SIDE_MARGIN = 20
"""Space between the view's edges and the messages."""
ROW_SPACING = 14
"""Vertical space between two messages."""
BUBBLE_PADDING_X = 14
BUBBLE_PADDING_Y = 9
BUBBLE_RADIUS = 12
USER_MAX_FRACTION = 0.8
"""A user message takes at most this fraction of the width, on the right."""
FOOTER_GAP = 5
FOLLOW_THRESHOLD_PX = 4
"""Within this distance of the bottom, the view counts as "at the bottom"."""
LINE_HEIGHT_PERCENT = 125
ERROR_COLOR = QColor(214, 69, 65)
"""Readable on light and dark backgrounds alike."""


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def _muted(palette: QPalette) -> QColor:
    """Secondary text: the text colour faded towards the background."""
    return _mix(
        palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.45
    )


def _spacing() -> QTextBlockFormat:
    """Roomier lines than the font's default, for long answers."""
    spacing = QTextBlockFormat()
    spacing.setLineHeight(
        LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
    )
    return spacing


@dataclass
class _Layout:
    """One row laid out at one width."""

    width: int
    text: str | None
    """The text ``body`` holds, or None when it shows a placeholder."""
    body: QTextDocument
    body_rect: QRect
    """Where the text goes, relative to the row's top-left corner."""
    bubble_rect: QRect | None
    footer: str
    footer_rect: QRect | None
    size: QSize


class MessageDelegate(QStyledItemDelegate):
    """Paints messages as word-wrapped blocks: user messages in a bubble on the right,
    answers full width on the left with a muted line of stats underneath.

    Layouts are cached per row. A changed row is marked stale rather than dropped:
    when a streaming answer only grew, the new text is appended to its cached
    document, which re-lays out only the last paragraph instead of the whole answer.
    """

    def __init__(self, view: ChatView) -> None:
        super().__init__(view)
        self._view = view
        self._cache: dict[int, _Layout] = {}
        self._stale: set[int] = set()
        self.measured = 0
        """How many row layouts were computed so far (for tests and benchmarks)."""

    # Cache control (driven by the view)

    def invalidate_rows(self, first: int, last: int) -> None:
        self._stale.update(range(first, last + 1))

    def shift_rows(self, count: int) -> None:
        """``count`` rows were inserted at the top: cached layouts move down with theirs."""
        self._cache = {row + count: layout for row, layout in self._cache.items()}
        self._stale = {row + count for row in self._stale}

    def invalidate_all(self) -> None:
        self._cache.clear()
        self._stale.clear()

    def cached_rows(self) -> list[int]:
        """Rows whose layout is cached and current (for tests)."""
        return sorted(row for row in self._cache if row not in self._stale)

    def refresh(self, index: AnyIndex, font: QFont) -> bool:
        """Lay out a changed row now; True if its size changed (the list must re-lay out)."""
        before = self._cache.get(index.row())
        after = self._layout(font, index)
        return before is None or before.size != after.size

    # Painting

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return self._layout(option.font, index).size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        layout = self._layout(option.font, index)
        row: ChatRow = index.data(ChatRoles.ROW)
        palette = option.palette
        origin = option.rect.topLeft()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if layout.bubble_rect is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._bubble_color(palette))
            painter.drawRoundedRect(
                QRectF(layout.bubble_rect.translated(origin)), BUBBLE_RADIUS, BUBBLE_RADIUS
            )
        text_color = palette.color(QPalette.ColorRole.Text)
        if layout.text is None:
            text_color = _muted(palette)
        painter.translate(layout.body_rect.translated(origin).topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_color)
        if painter.hasClipping():
            # Draw only the lines in the exposed area, not a whole long answer.
            context.clip = painter.clipBoundingRect()
        layout.body.documentLayout().draw(painter, context)
        painter.restore()
        if layout.footer_rect is not None:
            painter.save()
            painter.setFont(self._footer_font(option.font))
            error = row.finish_reason is FinishReason.ERROR
            painter.setPen(ERROR_COLOR if error else _muted(palette))
            flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
            painter.drawText(layout.footer_rect.translated(origin), flags, layout.footer)
            painter.restore()
        ActionBar.paint(
            painter, row, self.action_bar_rect(option.rect, option.font), option.font, palette
        )

    def action_bar_rect(self, item_rect: QRect, font: QFont) -> QRect:
        """Where a row's actions go: a strip at the bottom of its rectangle."""
        height = ActionBar.height(font)
        bottom = item_rect.bottom() + 1 - (ROW_SPACING - ROW_SPACING // 2)
        return QRect(
            item_rect.left() + SIDE_MARGIN,
            bottom - height,
            item_rect.width() - 2 * SIDE_MARGIN,
            height,
        )

    # Layout

    def _layout(self, font: QFont, index: AnyIndex) -> _Layout:
        width = max(120, self._view.viewport().width())
        key = index.row()
        cached = self._cache.get(key)
        if cached is not None and cached.width == width and key not in self._stale:
            return cached
        self._stale.discard(key)
        row: ChatRow | None = index.data(ChatRoles.ROW)
        if row is None:
            row = ChatRow(Role.ASSISTANT, "", finish_reason=FinishReason.STOP)
        text: str | None = row.text if row.text or not row.is_streaming else None
        if (
            cached is not None
            and cached.width == width
            and row.role is Role.ASSISTANT
            and cached.text is not None
            and text is not None
            and text.startswith(cached.text)
        ):
            body = cached.body
            if len(text) > len(cached.text):
                cursor = QTextCursor(body)
                cursor.movePosition(QTextCursor.MoveOperation.End)
                start = cursor.position()
                cursor.insertText(text[len(cached.text) :])
                # New paragraphs do not inherit the line spacing; give it to them.
                cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeBlockFormat(_spacing())
        else:
            body = self._new_body(font, self.tr("…") if text is None else text)
        layout = self._measure(width, font, row, text, body, index)
        self._cache[key] = layout
        return layout

    @staticmethod
    def _new_body(font: QFont, text: str) -> QTextDocument:
        body = QTextDocument()
        body.setDefaultFont(font)
        body.setDocumentMargin(0)
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        body.setDefaultTextOption(text_option)
        body.setPlainText(text)
        cursor = QTextCursor(body)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(_spacing())
        return body

    def _measure(
        self,
        width: int,
        font: QFont,
        row: ChatRow,
        text: str | None,
        body: QTextDocument,
        index: AnyIndex,
    ) -> _Layout:
        self.measured += 1
        content_width = max(60, width - 2 * SIDE_MARGIN)
        if row.role is Role.USER:
            bubble_max = int(content_width * USER_MAX_FRACTION)
            body.setTextWidth(max(20, bubble_max - 2 * BUBBLE_PADDING_X))
            text_width = min(int(body.idealWidth()) + 1, bubble_max - 2 * BUBBLE_PADDING_X)
            body.setTextWidth(text_width)
            text_height = int(body.size().height() + 0.999)
            bubble = QRect(
                width - SIDE_MARGIN - text_width - 2 * BUBBLE_PADDING_X,
                ROW_SPACING // 2,
                text_width + 2 * BUBBLE_PADDING_X,
                text_height + 2 * BUBBLE_PADDING_Y,
            )
            body_rect = QRect(
                bubble.left() + BUBBLE_PADDING_X,
                bubble.top() + BUBBLE_PADDING_Y,
                text_width,
                text_height,
            )
            bottom = bubble.bottom() + 1 + ActionBar.height(font)
            size = QSize(width, bottom + ROW_SPACING - ROW_SPACING // 2)
            return _Layout(width, text, body, body_rect, bubble, "", None, size)

        if body.textWidth() != content_width:  # setting it re-lays out the whole document
            body.setTextWidth(content_width)
        text_height = int(body.size().height() + 0.999)
        body_rect = QRect(SIDE_MARGIN, ROW_SPACING // 2, content_width, text_height)
        bottom = body_rect.bottom() + 1
        footer = index.data(ChatRoles.FOOTER) or ""
        footer_rect = None
        if footer:
            metrics = QFontMetrics(self._footer_font(font))
            bounds = metrics.boundingRect(
                QRect(0, 0, content_width, 10_000),
                int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
                footer,
            )
            footer_rect = QRect(SIDE_MARGIN, bottom + FOOTER_GAP, content_width, bounds.height())
            bottom = footer_rect.bottom() + 1
        bottom += ActionBar.height(font)
        size = QSize(width, bottom + ROW_SPACING - ROW_SPACING // 2)
        return _Layout(width, text, body, body_rect, None, footer, footer_rect, size)

    @staticmethod
    def _footer_font(font: QFont) -> QFont:
        small = QFont(font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        else:
            small.setPixelSize(max(9, int(small.pixelSize() * 0.85)))
        return small

    @staticmethod
    def _bubble_color(palette: QPalette) -> QColor:
        base = palette.color(QPalette.ColorRole.Base)
        return _mix(base, palette.color(QPalette.ColorRole.Highlight), 0.16)


class ChatView(QListView):
    """The list of messages; follows the stream unless the user scrolled up."""

    message_action = Signal(int, str)
    """(message id, ``MessageAction`` value) when an action under a message is clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setAccessibleName(self.tr("Conversation"))
        self._delegate = MessageDelegate(self)
        self.setItemDelegate(self._delegate)
        self._follow = True
        self._width = -1
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAutoFillBackground(True)
        self.verticalScrollBar().setSingleStep(24)
        self.verticalScrollBar().rangeChanged.connect(self._on_range_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_context_menu)

    @property
    def delegate(self) -> MessageDelegate:
        return self._delegate

    @property
    def is_following(self) -> bool:
        """Whether new text scrolls the view to the bottom."""
        return self._follow

    def scroll_to_end(self) -> None:
        """Jump to the end and follow new text again."""
        self._follow = True
        self.scrollToBottom()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def scroll_to_message_row(self, row: int) -> None:
        """Show ``row`` at the top of the view and stop following the stream."""
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        self.doItemsLayout()
        index = model.index(row, 0)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
        self._follow = self.verticalScrollBar().value() >= (
            self.verticalScrollBar().maximum() - FOLLOW_THRESHOLD_PX
        )

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            for signal in (old.modelReset, old.rowsRemoved, old.rowsMoved, old.layoutChanged):
                signal.disconnect(self._delegate.invalidate_all)
            old.rowsInserted.disconnect(self._on_rows_inserted)
        super().setModel(model)
        self._delegate.invalidate_all()
        if model is not None:
            for signal in (
                model.modelReset,
                model.rowsRemoved,
                model.rowsMoved,
                model.layoutChanged,
            ):
                signal.connect(self._delegate.invalidate_all)
            model.rowsInserted.connect(self._on_rows_inserted)

    def dataChanged(
        self, top_left: AnyIndex, bottom_right: AnyIndex, roles: Sequence[int] = ()
    ) -> None:
        self._delegate.invalidate_rows(top_left.row(), bottom_right.row())
        model = self.model()
        resized = False
        for row in range(top_left.row(), bottom_right.row() + 1):
            resized |= self._delegate.refresh(model.index(row, 0), self.font())
        super().dataChanged(top_left, bottom_right, list(roles))
        # QListView does not re-measure a changed item itself. Most streaming updates
        # only extend the last line; only a row that changed height needs a relayout.
        if resized:
            self.scheduleDelayedItemsLayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = self.viewport().width()
        super().resizeEvent(event)
        if width != self._width:
            self._width = width
            self._delegate.invalidate_all()
            # QListView re-lays out a top-to-bottom list only when its height changes.
            self.scheduleDelayedItemsLayout()
        if self._follow:
            self.scrollToBottom()

    def empty_hint(self) -> str:
        """The line shown in an empty conversation."""
        return self.tr("Ask anything. Your conversation stays on this computer.")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(_muted(self.palette()))
            painter.drawText(
                self.viewport().rect().adjusted(SIDE_MARGIN, 0, -SIDE_MARGIN, 0),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.empty_hint(),
            )
            painter.end()

    def _on_rows_inserted(self, _parent: AnyIndex, first: int, last: int) -> None:
        model = self.model()
        # Rows appended at the end shift no cached row; older rows shown at the top shift
        # every cached row by the same amount; rows inserted elsewhere drop the cache.
        if model is not None and first == 0 and last != model.rowCount() - 1:
            self._delegate.shift_rows(last + 1)
        elif model is None or last != model.rowCount() - 1:
            self._delegate.invalidate_all()

    def _load_earlier(self) -> None:
        """Show older messages above, keeping what is on screen where it is."""
        model = self.model()
        load = getattr(model, "load_earlier", None)
        if load is None or not model.has_earlier():  # type: ignore[union-attr]
            return
        bar = self.verticalScrollBar()
        from_bottom = bar.maximum() - bar.value()
        if load():
            self.doItemsLayout()
            bar.setValue(bar.maximum() - from_bottom)

    def verticalScrollbarValueChanged(self, value: int) -> None:
        # Decide before the base class runs: it may run a pending relayout, whose range
        # change must already see that the user left the bottom.
        self._follow = value >= self.verticalScrollBar().maximum() - FOLLOW_THRESHOLD_PX
        super().verticalScrollbarValueChanged(value)
        if value == 0 and self.verticalScrollBar().maximum() > 0:
            QTimer.singleShot(0, self._load_earlier)

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    def action_at(self, point: QPoint) -> tuple[int, MessageAction] | None:
        """The message and action under ``point`` (viewport coordinates), if any."""
        index = self.indexAt(point)
        row: ChatRow | None = index.data(ChatRoles.ROW) if index.isValid() else None
        if row is None or row.message_id is None:
            return None
        rect = self._delegate.action_bar_rect(self.visualRect(index), self.font())
        action = ActionBar.hit(row, rect, self.font(), point)
        return None if action is None else (row.message_id, action)

    def action_point(self, message_id: int, action: MessageAction) -> QPoint | None:
        """Where to click for ``action`` under ``message_id`` (for tests and automation)."""
        model = self.model()
        for number in range(model.rowCount() if model is not None else 0):
            index = model.index(number, 0)
            row: ChatRow = index.data(ChatRoles.ROW)
            if row.message_id != message_id:
                continue
            rect = self._delegate.action_bar_rect(self.visualRect(index), self.font())
            for candidate, _, box in ActionBar.layout(row, rect, self.font()):
                if candidate is action:
                    return box.center()
        return None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.action_at(event.position().toPoint())
            if hit is not None:
                self.message_action.emit(hit[0], hit[1].value)
                event.accept()
                return
        super().mouseReleaseEvent(event)

    def _show_context_menu(self, position: QPoint) -> None:
        index = self.indexAt(position)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.setObjectName("chatContextMenu")
        menu.setAccessibleName(self.tr("Message actions"))
        copy = menu.addAction(self.tr("Copy message"))
        copy.setObjectName("copyMessageAction")
        text = str(index.data(ChatRoles.TEXT) or "")
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(text))
        menu.popup(self.viewport().mapToGlobal(position))
