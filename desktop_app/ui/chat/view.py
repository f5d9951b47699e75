"""The conversation on screen: a list view whose delegate paints each message.

Each row is laid out as a ``MessageDocument`` (answers as Markdown, see
``message_document``) at the view's width and cached. When a row changes, only that
row is measured again (a streaming answer that merely grew re-renders only its last
Markdown block), and the list is re-laid out only if the row's height changed (and
then only from cached sizes); a width or theme change drops the whole cache. A
streaming update costs about the same at token 10 and token 5000.

The view follows the end of the conversation while text streams in, unless the user
scrolled up to read; a "Jump to latest" button then brings them back, as does
scrolling to the bottom.

Size: the delegate's layout and painting, hit-testing of the action bar and the
scrolling policy share one layout cache and change together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QToolTip,
    QWidget,
)

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.core.markdown.schemes import COPY_SCHEME, SAFE_LINK_SCHEMES, THOUGHTS_SCHEME
from desktop_app.core.markdown.thoughts import split_thoughts
from desktop_app.ui.chat.message_actions import ActionBar, MessageAction, menu_actions
from desktop_app.ui.chat.message_document import MessageDocument, ThoughtClock, is_dark
from desktop_app.ui.chat.model import ChatRoles, ChatRow
from desktop_app.ui.shared.icons import themed_icon


@runtime_checkable
class PagedModel(Protocol):
    """A chat model that shows the latest messages first and older ones on demand."""

    def has_earlier(self) -> bool: ...

    def load_earlier(self) -> int: ...


AnyIndex = QModelIndex | QPersistentModelIndex

SIDE_MARGIN = 20
"""Space between the view's edges and the messages."""
MESSAGE_ACTION = "messageAction"
"""Property of a message menu entry that does a row action: [message id, action]."""
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


class FooterLink(Protocol):
    """A link under a message (``ui.extensions.api.MessageLink`` has this shape)."""

    @property
    def label(self) -> str: ...
    @property
    def tooltip(self) -> str: ...
    @property
    def activate(self) -> Callable[[], object]: ...
    @property
    def detail(self) -> str: ...


@dataclass
class _Layout:
    """One row laid out at one width."""

    width: int
    text: str | None
    """The text ``body`` holds, or None when it shows a placeholder."""
    body: MessageDocument
    body_rect: QRect
    """Where the text goes, relative to the row's top-left corner."""
    bubble_rect: QRect | None
    footer: str
    footer_rect: QRect | None
    size: QSize
    links: list[tuple[QRect, FooterLink]] = field(default_factory=list)
    """The links under the footer and where each is drawn, relative to the row."""
    details: list[tuple[QRect, str]] = field(default_factory=list)
    """The detail text under opened links and where it is drawn, relative to the row."""


class MessageDelegate(QStyledItemDelegate):
    """Paints messages as word-wrapped blocks: user messages in a bubble on the right,
    answers full width on the left with a muted line of stats underneath.

    Layouts are cached per row. A changed row is marked stale rather than dropped:
    when a streaming answer only grew, its cached document re-renders only the
    Markdown block being written instead of the whole answer.

    Clicks on links: a code block's Copy puts its code on the clipboard, "Thoughts"
    opens or closes, and web links open in the system browser (nothing is fetched
    before the click). ``notice`` carries a short message for the status bar.
    """

    notice = Signal(str)

    def __init__(self, view: ChatView) -> None:
        super().__init__(view)
        self._view = view
        self._cache: dict[int, _Layout] = {}
        self._stale: set[int] = set()
        self._thought_clocks: dict[int, ThoughtClock] = {}
        """How long each message's thoughts took, as watched live (outlives layouts)."""
        self._estimated: dict[int, QSize] = {}
        """Rows whose size was estimated from their text length, never laid out."""
        self.measured = 0
        """How many row layouts were computed so far (for tests and benchmarks)."""

    # Cache control (driven by the view)

    def invalidate_rows(self, first: int, last: int) -> None:
        self._stale.update(range(first, last + 1))
        for row in range(first, last + 1):
            self._estimated.pop(row, None)

    def shift_rows(self, count: int) -> None:
        """``count`` rows were inserted at the top: cached layouts move down with theirs."""
        self._cache = {row + count: layout for row, layout in self._cache.items()}
        self._stale = {row + count for row in self._stale}
        self._estimated = {row + count: size for row, size in self._estimated.items()}
        self._thought_clocks = {row + count: c for row, c in self._thought_clocks.items()}

    def invalidate_all(self) -> None:
        self._cache.clear()
        self._stale.clear()
        self._estimated.clear()

    def forget_rows(self) -> None:
        """The rows changed places or went away: forget everything kept per row."""
        self.invalidate_all()
        self._thought_clocks.clear()

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
        # A finished message off screen gets an estimate: laying out a long conversation
        # in full would stall the window when it opens. ``measure_visible`` lays out the
        # rows that come into sight, and the view re-lays out if an estimate was off.
        key = index.row()
        width = max(120, self._view.viewport().width())
        cached = self._cache.get(key)
        if cached is not None and cached.width == width and key not in self._stale:
            return cached.size
        estimated = self._estimated.get(key)
        if estimated is not None and estimated.width() == width and key not in self._stale:
            return estimated
        row: ChatRow | None = index.data(ChatRoles.ROW)
        if row is None or row.is_streaming or key in self._stale:
            return self._layout(option.font, index).size
        estimate = self._estimate(option.font, row, width)
        self._estimated[key] = estimate
        return estimate

    def measure_visible(self, index: AnyIndex) -> bool:
        """Lay out a row that is in sight; True if the view used a wrong estimate for it."""
        estimate = self._estimated.pop(index.row(), None)
        layout = self._layout(self._view.font(), index)
        return estimate is not None and estimate != layout.size

    def _estimate(self, font: QFont, row: ChatRow, width: int) -> QSize:
        metrics = QFontMetrics(font)
        content_width = max(60, width - 2 * SIDE_MARGIN)
        if row.role is Role.USER:
            content_width = int(content_width * USER_MAX_FRACTION) - 2 * BUBBLE_PADDING_X
        per_line = max(8, content_width // max(1, metrics.averageCharWidth()))
        lines = sum(max(1, -(-len(line) // per_line)) for line in row.text.split("\n"))
        height = int(lines * metrics.lineSpacing() * 1.25) + ROW_SPACING
        if row.role is Role.USER:
            height += 2 * BUBBLE_PADDING_Y
        else:
            height += FOOTER_GAP + metrics.lineSpacing()
        return QSize(width, height + ActionBar.height_for(row, font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        layout = self._layout(option.font, index)
        row: ChatRow = index.data(ChatRoles.ROW)
        palette = option.palette
        origin = option.rect.topLeft()
        painter.save()
        # Stay inside the row, even in the one frame before a wrong estimate is corrected.
        painter.setClipRect(option.rect, Qt.ClipOperation.IntersectClip)
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
        body_origin = layout.body_rect.translated(origin).topLeft()
        painter.translate(body_origin)
        # Draw only the blocks in sight, not a whole long answer.
        visible = QRectF(self._view.viewport().rect().translated(-body_origin))
        if painter.hasClipping():
            visible = visible.intersected(painter.clipBoundingRect())
        layout.body.draw(painter, text_color, visible)
        painter.restore()
        if layout.footer_rect is not None:
            painter.save()
            painter.setFont(self._footer_font(option.font))
            error = row.finish_reason is FinishReason.ERROR
            painter.setPen(ERROR_COLOR if error else _muted(palette))
            flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
            painter.drawText(layout.footer_rect.translated(origin), flags, layout.footer)
            painter.restore()
        if layout.links:
            painter.save()
            link_font = self._footer_font(option.font)
            link_font.setUnderline(True)
            painter.setFont(link_font)
            painter.setPen(palette.color(QPalette.ColorRole.Link))
            for rect, link in layout.links:
                painter.drawText(
                    rect.translated(origin),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    link.label,
                )
            painter.restore()
        if layout.details:
            painter.save()
            painter.setFont(self._footer_font(option.font))
            painter.setPen(_muted(palette))
            flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
            for rect, detail in layout.details:
                painter.drawText(rect.translated(origin), flags, detail)
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
        markdown = row.role is Role.ASSISTANT and text is not None
        if cached is not None and cached.text is not None and text is not None and markdown:
            body = cached.body  # grows in place: only its last block is rendered again
        else:
            body = MessageDocument(
                font,
                markdown=markdown,
                dark=is_dark(self._view.palette()),
                clock=self._thought_clocks.setdefault(key, ThoughtClock()),
            )
        generation_s = None
        if row.stats is not None and row.stats.tokens_per_s:
            generation_s = row.stats.generated_tokens / row.stats.tokens_per_s
        body.set_text(
            self.tr("…") if text is None else text,
            streaming=row.is_streaming,
            generation_s=generation_s,
        )
        layout = self._measure(width, font, row, text, body, index)
        self._cache[key] = layout
        return layout

    def document(self, index: AnyIndex) -> MessageDocument:
        """The laid-out text of a row (for tests and the view's hit testing)."""
        return self._layout(self._view.font(), index).body

    def laid_out_size(self, index: AnyIndex) -> QSize:
        """The size of a row laid out in full (not estimated)."""
        return self._layout(self._view.font(), index).size

    def anchor_at(self, index: AnyIndex, position: QPoint) -> str:
        """The link under ``position`` (viewport coordinates) in row ``index``, or ""."""
        layout = self._layout(self._view.font(), index)
        origin = self._view.visualRect(index).topLeft()
        body_rect = layout.body_rect.translated(origin)
        if not body_rect.contains(position):
            return ""
        return layout.body.anchor_at((position - body_rect.topLeft()).toPointF())

    def link_at(self, index: AnyIndex, position: QPoint) -> FooterLink | None:
        """The footer link under ``position`` (viewport coordinates) in row ``index``."""
        layout = self._layout(self._view.font(), index)
        origin = self._view.visualRect(index).topLeft()
        for rect, link in layout.links:
            if rect.translated(origin).contains(position):
                return link
        return None

    def link_rect(self, index: AnyIndex, number: int) -> QRect | None:
        """Where footer link ``number`` (0-based) of row ``index`` is, in the viewport."""
        layout = self._layout(self._view.font(), index)
        if not 0 <= number < len(layout.links):
            return None
        return layout.links[number][0].translated(self._view.visualRect(index).topLeft())

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            link = self.link_at(index, event.pos())
            if link is not None:
                QToolTip.showText(event.globalPos(), link.tooltip, view)
                return True
        return super().helpEvent(event, view, option, index)

    def activate_anchor(self, index: AnyIndex, anchor: str) -> None:
        """Do what a click on link ``anchor`` in row ``index`` means."""
        scheme, _, rest = anchor.partition(":")
        if scheme == COPY_SCHEME:
            from desktop_app.core.markdown.plain import code_blocks  # markdown-it, on use

            blocks = code_blocks(str(index.data(ChatRoles.TEXT) or ""))
            if rest.isdigit() and int(rest) < len(blocks):
                QGuiApplication.clipboard().setText(blocks[int(rest)].rstrip("\n"))
                self.notice.emit(self.tr("Code copied to the clipboard."))
        elif scheme == THOUGHTS_SCHEME:
            self._layout(self._view.font(), index).body.toggle_thoughts()
            self._stale.add(index.row())
            self._view.row_resized(index)
        elif anchor.lower().startswith(SAFE_LINK_SCHEMES):
            QDesktopServices.openUrl(QUrl(anchor))

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        if isinstance(event, QMouseEvent):
            position = event.position().toPoint()
            link = self.link_at(index, position)
            if link is not None:
                if event.type() == QEvent.Type.MouseMove:
                    self._view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
                elif (
                    event.type() == QEvent.Type.MouseButtonRelease
                    and event.button() == Qt.MouseButton.LeftButton
                ):
                    link.activate()
                    return True
                return super().editorEvent(event, model, option, index)
            anchor = self.anchor_at(index, position)
            if event.type() == QEvent.Type.MouseMove:
                shape = Qt.CursorShape.PointingHandCursor if anchor else Qt.CursorShape.ArrowCursor
                self._view.viewport().setCursor(shape)
            elif (
                event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton
                and anchor
            ):
                self.activate_anchor(index, anchor)
                return True
        return super().editorEvent(event, model, option, index)

    def _measure(
        self,
        width: int,
        font: QFont,
        row: ChatRow,
        text: str | None,
        body: MessageDocument,
        index: AnyIndex,
    ) -> _Layout:
        self.measured += 1
        content_width = max(60, width - 2 * SIDE_MARGIN)
        if row.role is Role.USER:
            bubble_max = int(content_width * USER_MAX_FRACTION)
            body.set_width(max(20, bubble_max - 2 * BUBBLE_PADDING_X))
            text_width = min(int(body.ideal_width()) + 1, bubble_max - 2 * BUBBLE_PADDING_X)
            body.set_width(text_width)
            text_height = int(body.height() + 0.999)
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
            bottom = bubble.bottom() + 1
            footer = index.data(ChatRoles.FOOTER) or ""  # what features add (attached files)
            footer_rect = None
            if footer:
                bounds = QFontMetrics(self._footer_font(font)).boundingRect(
                    QRect(0, 0, bubble_max, 10_000),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
                    footer,
                )
                footer_rect = QRect(  # under the bubble, on the right like it
                    width - SIDE_MARGIN - bounds.width() - BUBBLE_PADDING_X,
                    bottom + FOOTER_GAP,
                    bounds.width() + 1,
                    bounds.height(),
                )
                bottom = footer_rect.bottom() + 1
            bottom += ActionBar.height_for(row, font)
            size = QSize(width, bottom + ROW_SPACING - ROW_SPACING // 2)
            return _Layout(width, text, body, body_rect, bubble, footer, footer_rect, size)

        body.set_width(content_width)  # re-lays out everything only if the width changed
        text_height = int(body.height() + 0.999)
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
        links, details, bottom = self._place_links(font, index, content_width, bottom)
        bottom += ActionBar.height_for(row, font)
        size = QSize(width, bottom + ROW_SPACING - ROW_SPACING // 2)
        return _Layout(
            width, text, body, body_rect, None, footer, footer_rect, size, links, details
        )

    def _place_links(
        self, font: QFont, index: AnyIndex, content_width: int, bottom: int
    ) -> tuple[list[tuple[QRect, FooterLink]], list[tuple[QRect, str]], int]:
        """Lay a row's footer links out left to right, wrapping, a link with detail text
        on a line of its own with the text under it; returns the links, the details and
        the new bottom of the row's content."""
        links: list[FooterLink] = list(index.data(ChatRoles.LINKS) or [])
        if not links:
            return [], [], bottom
        small = self._footer_font(font)
        link_font = QFont(small)
        link_font.setUnderline(True)
        metrics = QFontMetrics(link_font)
        gap = metrics.horizontalAdvance("  ")
        line = metrics.height()
        x, y = SIDE_MARGIN, bottom + FOOTER_GAP
        placed: list[tuple[QRect, FooterLink]] = []
        details: list[tuple[QRect, str]] = []
        for link in links:
            detail = getattr(link, "detail", "")
            width = min(metrics.horizontalAdvance(link.label) + 1, content_width)
            if x > SIDE_MARGIN and (detail or x + width > SIDE_MARGIN + content_width):
                x, y = SIDE_MARGIN, y + line
            placed.append((QRect(x, y, width, line), link))
            x += width + gap
            if detail:
                indent = metrics.horizontalAdvance("    ")
                bounds = QFontMetrics(small).boundingRect(
                    QRect(0, 0, content_width - indent, 100_000),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
                    detail,
                )
                left = SIDE_MARGIN + indent
                rect = QRect(left, y + line, content_width - indent, bounds.height())
                details.append((rect, detail))
                x, y = SIDE_MARGIN + content_width + 1, rect.bottom() + 1 - line
        return placed, details, y + line

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
    """The list of messages; follows the stream unless the user scrolled up.

    ``notice`` carries short confirmations ("Copied") for the status bar.
    """

    notice = Signal(str)

    message_action = Signal(int, str)
    """(message id, ``MessageAction`` value) when an action under a message is clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setAccessibleName(self.tr("Conversation"))
        self._delegate = MessageDelegate(self)
        self._delegate.notice.connect(self.notice)
        self.setItemDelegate(self._delegate)
        self._follow = True
        self._width = -1
        self._dark = is_dark(self.palette())
        self._jump = QToolButton(self)
        self._jump.setObjectName("jumpToLatestButton")
        self._jump.setText(self.tr("Jump to latest"))
        self._jump.setAccessibleName(self.tr("Jump to latest"))
        self._jump.setToolTip(self.tr("Scroll to the end and follow the answer"))
        self._jump.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._jump.setCursor(Qt.CursorShape.PointingHandCursor)
        self._jump.clicked.connect(self.scroll_to_end)
        self._jump.hide()
        self._style_jump_button()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setMouseTracking(True)  # a pointing hand over links
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAutoFillBackground(True)
        self.verticalScrollBar().setSingleStep(24)
        self.verticalScrollBar().rangeChanged.connect(self._on_range_changed)

    @property
    def delegate(self) -> MessageDelegate:
        return self._delegate

    @property
    def is_following(self) -> bool:
        """Whether new text scrolls the view to the bottom."""
        return self._follow

    @property
    def jump_button(self) -> QToolButton:
        return self._jump

    def scroll_to_end(self) -> None:
        """Jump to the end and follow new text again."""
        self._follow = True
        self.scrollToBottom()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._update_jump_button()

    def row_resized(self, index: AnyIndex) -> None:
        """Row ``index`` changed its own layout (thoughts opened): measure and show it."""
        self._delegate.refresh(index, self.font())
        self.scheduleDelayedItemsLayout()
        self.viewport().update()

    def _update_jump_button(self) -> None:
        bar = self.verticalScrollBar()
        show = not self._follow and bar.value() < bar.maximum() - FOLLOW_THRESHOLD_PX
        if show:
            self._place_jump_button()
        self._jump.setVisible(show)

    def _place_jump_button(self) -> None:
        self._jump.adjustSize()
        area = self.viewport().geometry()
        self._jump.move(
            area.center().x() - self._jump.width() // 2,
            area.bottom() - self._jump.height() - 12,
        )
        self._jump.raise_()

    def _style_jump_button(self) -> None:
        palette = self.palette()
        self._jump.setIcon(themed_icon("arrow-down", palette.color(QPalette.ColorRole.Text)))
        self._jump.setStyleSheet(
            "#jumpToLatestButton { border: 1px solid palette(mid); border-radius: 14px;"
            " padding: 5px 12px; background: palette(base); }"
            " #jumpToLatestButton:hover { background: palette(alternate-base); }"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and is_dark(self.palette()) != self._dark:
            # Code colours follow the theme: render every message again.
            self._dark = is_dark(self.palette())
            self._delegate.invalidate_all()
            self._style_jump_button()
            self.scheduleDelayedItemsLayout()
            self.viewport().update()

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
                signal.disconnect(self._delegate.forget_rows)
            old.rowsInserted.disconnect(self._on_rows_inserted)
        super().setModel(model)
        self._delegate.forget_rows()
        if model is not None:
            for signal in (
                model.modelReset,
                model.rowsRemoved,
                model.rowsMoved,
                model.layoutChanged,
            ):
                signal.connect(self._delegate.forget_rows)
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
        self._update_jump_button()

    def empty_hint(self) -> str:
        """The line shown in an empty conversation."""
        return self.tr("Ask anything. Your conversation stays on this computer.")

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._measure_visible_rows():
            self.scheduleDelayedItemsLayout()  # an estimate was off: lay out again
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

    def _measure_visible_rows(self) -> bool:
        """Lay out the rows in sight; True if any had been given a wrong size."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return False
        first = self.indexAt(QPoint(SIDE_MARGIN, 0))
        last = self.indexAt(QPoint(SIDE_MARGIN, self.viewport().height() - 1))
        first_row = first.row() if first.isValid() else 0
        last_row = last.row() if last.isValid() else model.rowCount() - 1
        wrong = False
        for row in range(first_row, last_row + 1):
            wrong |= self._delegate.measure_visible(model.index(row, 0))
        return wrong

    def _on_rows_inserted(self, _parent: AnyIndex, first: int, last: int) -> None:
        model = self.model()
        # Rows appended at the end shift no cached row; older rows shown at the top shift
        # every cached row by the same amount; rows inserted elsewhere drop the cache.
        if model is not None and first == 0 and last != model.rowCount() - 1:
            self._delegate.shift_rows(last + 1)
        elif model is None or last != model.rowCount() - 1:
            self._delegate.forget_rows()

    def _load_earlier(self) -> None:
        """Show older messages above, keeping what is on screen where it is."""
        model = self.model()
        if not isinstance(model, PagedModel) or not model.has_earlier():
            return
        bar = self.verticalScrollBar()
        from_bottom = bar.maximum() - bar.value()
        if model.load_earlier():
            self.doItemsLayout()
            bar.setValue(bar.maximum() - from_bottom)

    def verticalScrollbarValueChanged(self, value: int) -> None:
        # Decide before the base class runs: it may run a pending relayout, whose range
        # change must already see that the user left the bottom.
        self._follow = value >= self.verticalScrollBar().maximum() - FOLLOW_THRESHOLD_PX
        super().verticalScrollbarValueChanged(value)
        self._update_jump_button()
        if value == 0 and self.verticalScrollBar().maximum() > 0:
            QTimer.singleShot(0, self._load_earlier)

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)
        self._update_jump_button()

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

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A right-click opens the menu of the message under the pointer; the Menu key
        or Shift+F10 (where the platform makes them a context menu request, as X11
        does) that of the selected message."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self._open_current_menu()
            return
        index = self.indexAt(event.pos())
        if index.isValid():
            self.message_menu(index).popup(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The Menu key or Shift+F10 where the platform sends them as keys."""
        menu_key = event.key() == Qt.Key.Key_Menu or (
            event.key() == Qt.Key.Key_F10 and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        )
        if menu_key and self._open_current_menu():
            event.accept()
            return
        super().keyPressEvent(event)

    def _open_current_menu(self) -> bool:
        """Open the selected message's menu at the part of it that shows, scrolling only
        when none does; False when no message is selected."""
        index = self.currentIndex()
        if not index.isValid():
            return False
        shown = self.visualRect(index).intersected(self.viewport().rect())
        if shown.isEmpty():
            self.scrollTo(index)
            shown = self.visualRect(index).intersected(self.viewport().rect())
        corner = shown.topLeft() + QPoint(self.font().pointSize(), self.font().pointSize())
        self.message_menu(index).popup(self.viewport().mapToGlobal(corner))
        return True

    def message_menu(self, index: AnyIndex) -> QMenu:
        """The actions for one message: copy it as Markdown or as plain text, then what
        its action row offers (Edit, Continue, Regenerate, Delete, the other versions)
        and the links under it (a tool step, a source), so that the keyboard reaches
        them too: the menu opens on the current message with the Menu key or Shift+F10."""
        menu = QMenu(self)
        menu.setObjectName("chatContextMenu")
        menu.setAccessibleName(self.tr("Message actions"))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        text = str(index.data(ChatRoles.TEXT) or "")
        markdown = menu.addAction(self.tr("Copy as Markdown"))
        markdown.setObjectName("copyMarkdownAction")
        markdown.setData(text)
        markdown.setIcon(themed_icon("copy", self.palette().color(QPalette.ColorRole.Text)))
        plain = menu.addAction(self.tr("Copy as Plain Text"))
        plain.setObjectName("copyPlainTextAction")
        if index.data(ChatRoles.ROLE) == Role.USER.value:
            plain.setData(text)  # what the user typed, as typed
        else:
            from desktop_app.core.markdown.plain import to_plain_text  # markdown-it, on use

            plain.setData(to_plain_text(split_thoughts(text)[1]))
        row: ChatRow | None = index.data(ChatRoles.ROW)
        doable = menu_actions(row) if row is not None else []  # none without an id
        if row is not None and doable:
            menu.addSeparator()
            for action, label in doable:
                does = menu.addAction(label)
                does.setObjectName(f"{action.value}MessageAction")
                does.setProperty(MESSAGE_ACTION, [row.message_id, action.value])
        links: list[FooterLink] = index.data(ChatRoles.LINKS) or []
        if links:
            menu.addSeparator()
        for link in links:
            opens = menu.addAction(link.label)
            opens.setObjectName("messageLinkAction")
            opens.setToolTip(link.tooltip)
            opens.triggered.connect(link.activate)
        # A bound method, not a lambda holding the view: no reference cycle for the GC
        # to break on another thread.
        menu.triggered.connect(self._menu_triggered)
        return menu

    @Slot(QAction)
    def _menu_triggered(self, action: QAction) -> None:
        """Copy the text a copy action holds, or do a row action as its click would."""
        row_action = action.property(MESSAGE_ACTION)
        if row_action:
            self.message_action.emit(*row_action)
            return
        if action.data() is None:  # a link: it does its own thing
            return
        QGuiApplication.clipboard().setText(str(action.data()))
        self.notice.emit(self.tr("Message copied to the clipboard."))
