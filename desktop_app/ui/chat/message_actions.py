"""The row of small actions under each message, and the "< 2/3 >" version switcher.

Kept apart from the message delegate so that how a message is rendered and what can be
done with it change independently: the delegate reserves ``ActionBar.height`` pixels at
the bottom of each row and calls ``paint``; the view calls ``hit`` on a click. Nothing
here creates a widget, so the view stays virtualized however long the conversation.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.ui.chat.model import ChatRow

GAP = 14
"""Space between two actions."""
PREVIOUS_MARK = "\u2039"
NEXT_MARK = "\u203a"
"""The single angle quotation marks of the version switcher."""


class MessageAction(str, Enum):
    PREVIOUS = "previous"
    NEXT = "next"
    COPY = "copy"
    EDIT = "edit"
    REGENERATE = "regenerate"
    CONTINUE = "continue"
    DELETE = "delete"


CONTINUABLE = (FinishReason.INTERRUPTED, FinishReason.CANCELLED, FinishReason.LENGTH)


def actions_for(row: ChatRow) -> list[tuple[MessageAction | None, str]]:
    """What can be done with ``row``, in order, with labels (None: a plain label)."""
    if row.message_id is None or row.is_streaming:
        return []
    items: list[tuple[MessageAction | None, str]] = []
    if row.sibling_count > 1:
        items += [
            (MessageAction.PREVIOUS if row.sibling_index > 0 else None, PREVIOUS_MARK),
            (None, f"{row.sibling_index + 1}/{row.sibling_count}"),
            (
                MessageAction.NEXT if row.sibling_index + 1 < row.sibling_count else None,
                NEXT_MARK,
            ),
        ]
    items.append((MessageAction.COPY, QCoreApplication.translate("MessageActions", "Copy")))
    if row.role is Role.USER:
        items.append((MessageAction.EDIT, QCoreApplication.translate("MessageActions", "Edit")))
    else:
        if row.finish_reason in CONTINUABLE:
            items.append(
                (MessageAction.CONTINUE, QCoreApplication.translate("MessageActions", "Continue"))
            )
        items.append(
            (MessageAction.REGENERATE, QCoreApplication.translate("MessageActions", "Regenerate"))
        )
    items.append((MessageAction.DELETE, QCoreApplication.translate("MessageActions", "Delete")))
    return items


def menu_actions(row: ChatRow) -> list[tuple[MessageAction, str]]:
    """The row's actions for its menu, where the keyboard reaches them: all but Copy (the
    menu copies as Markdown or plain text itself), the version arrows named in words."""
    words = {
        MessageAction.PREVIOUS: QCoreApplication.translate("MessageActions", "Previous version"),
        MessageAction.NEXT: QCoreApplication.translate("MessageActions", "Next version"),
    }
    return [
        (action, words.get(action, label))
        for action, label in actions_for(row)
        if action is not None and action is not MessageAction.COPY
    ]


class ActionBar:
    """Lays out, paints and hit-tests the actions of one row inside a given rectangle."""

    @staticmethod
    def font(base: QFont) -> QFont:
        small = QFont(base)
        if small.pointSizeF() > 0:
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        else:
            small.setPixelSize(max(9, int(small.pixelSize() * 0.85)))
        return small

    @classmethod
    def height(cls, base: QFont) -> int:
        return QFontMetrics(cls.font(base)).height() + 6

    @classmethod
    def height_for(cls, row: ChatRow, base: QFont) -> int:
        """The space ``row`` needs: none while it streams or before it is saved."""
        return cls.height(base) if actions_for(row) else 0

    @classmethod
    def layout(
        cls, row: ChatRow, rect: QRect, base: QFont
    ) -> list[tuple[MessageAction | None, str, QRect]]:
        """Each action's label and rectangle; right-aligned under a user's message."""
        metrics = QFontMetrics(cls.font(base))
        items = actions_for(row)
        widths = [metrics.horizontalAdvance(label) for _, label in items]
        total = sum(widths) + GAP * max(0, len(items) - 1)
        x = rect.right() + 1 - total if row.role is Role.USER else rect.left()
        placed = []
        for (action, label), width in zip(items, widths, strict=True):
            placed.append((action, label, QRect(x, rect.top(), width, rect.height())))
            x += width + GAP
        return placed

    @classmethod
    def paint(
        cls, painter: QPainter, row: ChatRow, rect: QRect, base: QFont, palette: QPalette
    ) -> None:
        items = cls.layout(row, rect, base)
        if not items:
            return
        text = palette.color(QPalette.ColorRole.Text)
        background = palette.color(QPalette.ColorRole.Base)
        active = QColor.fromRgbF(
            text.redF() * 0.6 + background.redF() * 0.4,
            text.greenF() * 0.6 + background.greenF() * 0.4,
            text.blueF() * 0.6 + background.blueF() * 0.4,
        )
        inactive = QColor(active)
        inactive.setAlphaF(0.45)
        painter.save()
        painter.setFont(cls.font(base))
        for action, label, box in items:
            dimmed = action is None and label in (PREVIOUS_MARK, NEXT_MARK)
            painter.setPen(inactive if dimmed else active)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignVCenter), label)
        painter.restore()

    @classmethod
    def hit(cls, row: ChatRow, rect: QRect, base: QFont, point: QPoint) -> MessageAction | None:
        for action, _, box in cls.layout(row, rect, base):
            if action is not None and box.adjusted(-GAP // 2, 0, GAP // 2, 0).contains(point):
                return action
        return None
