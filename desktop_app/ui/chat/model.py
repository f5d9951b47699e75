"""One conversation's messages as a Qt list model: one row per message.

Streaming touches only the last row: ``append_text`` changes its text and emits
``dataChanged`` for that row alone, so the view re-lays out one item per update.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.core.chats.model import FinishReason, GenerationStats, Message, Role
from desktop_app.core.engine.base import Finished

AnyIndex = QModelIndex | QPersistentModelIndex

PAGE_ROWS = 120
"""Rows shown when a conversation opens, and added each time the user reaches the top."""


@dataclass(frozen=True)
class ChatRow:
    """What the view needs to show one message."""

    role: Role
    text: str
    model: str | None = None
    finish_reason: FinishReason | None = None
    """None while the answer is streaming."""
    stats: GenerationStats | None = None
    error: str | None = None
    """Why generation failed; only known in the session that saw it fail."""
    message_id: int | None = None
    """The stored message; None for a row shown before the store assigned its id."""
    sibling_index: int = 0
    """Which version of this message is shown (0-based), of ``sibling_count``."""
    sibling_count: int = 1

    @property
    def is_streaming(self) -> bool:
        return self.role is Role.ASSISTANT and self.finish_reason is None

    @classmethod
    def from_message(cls, message: Message) -> ChatRow:
        return cls(
            role=message.role,
            text=message.content,
            model=message.model,
            finish_reason=message.finish_reason,
            stats=message.stats,
            message_id=message.id,
            sibling_index=message.sibling_index,
            sibling_count=message.sibling_count,
        )


class ChatRoles(IntEnum):
    """Custom item data roles (values above ``Qt.UserRole``)."""

    ROW = Qt.ItemDataRole.UserRole + 1
    """The whole ``ChatRow``."""
    ROLE = Qt.ItemDataRole.UserRole + 2
    """"user" or "assistant"."""
    TEXT = Qt.ItemDataRole.UserRole + 3
    FINISH_REASON = Qt.ItemDataRole.UserRole + 4
    """The ``FinishReason`` value ("stop", "cancelled", ...) or None while streaming."""
    STATS = Qt.ItemDataRole.UserRole + 5
    """``GenerationStats`` or None."""
    MODEL_NAME = Qt.ItemDataRole.UserRole + 6
    IS_STREAMING = Qt.ItemDataRole.UserRole + 7
    FOOTER = Qt.ItemDataRole.UserRole + 8
    """The small line under a finished answer (model, tokens, speed, TTFT, reason)."""
    LINKS = Qt.ItemDataRole.UserRole + 9
    """Links under a finished message (objects with ``label``, ``tooltip``, ``activate``),
    supplied by features through the extension API."""


def finish_reason_text(reason: FinishReason) -> str:
    """A finish reason in words."""
    words = {
        FinishReason.STOP: QCoreApplication.translate("ChatListModel", "stopped"),
        FinishReason.LENGTH: QCoreApplication.translate("ChatListModel", "length limit"),
        FinishReason.CANCELLED: QCoreApplication.translate("ChatListModel", "cancelled"),
        FinishReason.INTERRUPTED: QCoreApplication.translate("ChatListModel", "interrupted"),
        FinishReason.ERROR: QCoreApplication.translate("ChatListModel", "error"),
    }
    return words[reason]


def format_tokens(count: int) -> str:
    return QCoreApplication.translate("ChatListModel", "%1 tokens").replace(
        "%1", QLocale().toString(count)
    )


def format_speed(tokens_per_s: float) -> str:
    digits = 0 if tokens_per_s >= 100 else 1
    return QCoreApplication.translate("ChatListModel", "%1 tok/s").replace(
        "%1", QLocale().toString(tokens_per_s, "f", digits)
    )


def format_ttft(seconds: float) -> str:
    locale = QLocale()
    if seconds < 1.0:
        value = QCoreApplication.translate("ChatListModel", "%1 ms").replace(
            "%1", locale.toString(round(seconds * 1000))
        )
    else:
        value = QCoreApplication.translate("ChatListModel", "%1 s").replace(
            "%1", locale.toString(seconds, "f", 2)
        )
    return QCoreApplication.translate("ChatListModel", "TTFT %1").replace("%1", value)


def format_stats(stats: GenerationStats) -> list[str]:
    """Tokens, speed and time to first token, as far as they are known."""
    parts = [format_tokens(stats.generated_tokens)]
    if stats.tokens_per_s is not None:
        parts.append(format_speed(stats.tokens_per_s))
    if stats.time_to_first_token_s is not None:
        parts.append(format_ttft(stats.time_to_first_token_s))
    return parts


def last_stats(messages: Sequence[Message]) -> str:
    """The statistics of the last answer that has them ("" if none)."""
    for message in reversed(messages):
        if message.role is Role.ASSISTANT and message.stats is not None:
            return " · ".join(format_stats(message.stats))
    return ""


def footer_text(row: ChatRow) -> str:
    """The line under a finished answer; empty for user messages and streaming answers."""
    if row.role is not Role.ASSISTANT or row.finish_reason is None:
        return ""
    parts = [row.model] if row.model else []
    if row.stats is not None:
        parts.extend(format_stats(row.stats))
    reason = finish_reason_text(row.finish_reason)
    parts.append(f"{reason}: {row.error}" if row.error else reason)
    return " · ".join(parts)


class ChatListModel(QAbstractListModel):
    """The messages of the conversation on screen."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ChatRow] = []
        self._earlier: list[ChatRow] = []
        """Older rows not shown yet (see ``set_messages``)."""
        self._decorate: Callable[[ChatRow], list[str]] | None = None
        self._links: Callable[[ChatRow], list[Any]] | None = None

    def set_decorator(self, decorate: Callable[[ChatRow], list[str]] | None) -> None:
        """Extra lines for a finished message's footer (sources, a tool step...), joined
        after the model and stats; features supply them through the extension API."""
        self._decorate = decorate

    def set_links(self, links: Callable[[ChatRow], list[Any]] | None) -> None:
        """Links shown under a finished message (an answer's sources...)."""
        self._links = links

    # Qt model interface

    def rowCount(self, parent: AnyIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, ChatRoles.TEXT):
            return row.text
        if role == ChatRoles.ROW:
            return row
        if role == ChatRoles.ROLE:
            return row.role.value
        if role == ChatRoles.FINISH_REASON:
            return row.finish_reason.value if row.finish_reason else None
        if role == ChatRoles.STATS:
            return row.stats
        if role == ChatRoles.MODEL_NAME:
            return row.model
        if role == ChatRoles.IS_STREAMING:
            return row.is_streaming
        if role == ChatRoles.FOOTER:
            if self._decorate is None or row.is_streaming:
                return footer_text(row)
            return " · ".join(part for part in (footer_text(row), *self._decorate(row)) if part)
        if role == ChatRoles.LINKS:
            if self._links is None or row.is_streaming:
                return []
            return self._links(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            speaker = (
                QCoreApplication.translate("ChatListModel", "You")
                if row.role is Role.USER
                else QCoreApplication.translate("ChatListModel", "Assistant")
            )
            return ". ".join(part for part in (f"{speaker}: {row.text}", footer_text(row)) if part)
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({int(role): QByteArray(role.name.lower().encode()) for role in ChatRoles})
        return names

    # Editing

    def rows(self) -> list[ChatRow]:
        return list(self._rows)

    def row_of_message(self, message_id: int) -> int | None:
        """The row that shows ``message_id``, or None."""
        for number, row in enumerate(self._rows):
            if row.message_id == message_id:
                return number
        return None

    def refresh_message(self, message_id: int) -> None:
        """Draw a message again: what features show under it (its footer, its links)
        has changed."""
        row = self.row_of_message(message_id)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def set_messages(self, messages: list[Message], page: int | None = None) -> None:
        """Show a conversation (system messages are not shown).

        With ``page``, only the last ``page`` rows are shown at first; ``load_earlier``
        shows more (the view asks when it is scrolled to the top), so opening a
        conversation of thousands of messages handles only what the user can see.
        """
        self.beginResetModel()
        rows = [ChatRow.from_message(m) for m in messages if m.role is not Role.SYSTEM]
        split = 0 if page is None else max(0, len(rows) - page)
        self._earlier, self._rows = rows[:split], rows[split:]
        self.endResetModel()

    def has_earlier(self) -> bool:
        """Whether older rows of this conversation are not shown yet."""
        return bool(self._earlier)

    def load_earlier(self, count: int = PAGE_ROWS) -> int:
        """Show up to ``count`` more of the older rows, at the top; returns how many."""
        count = min(count, len(self._earlier))
        if count <= 0:
            return 0
        self.beginInsertRows(QModelIndex(), 0, count - 1)
        self._rows[:0] = self._earlier[-count:]
        del self._earlier[-count:]
        self.endInsertRows()
        return count

    def reveal(self, message_id: int) -> int | None:
        """The row of ``message_id``, showing older rows first if it is among them."""
        row = self.row_of_message(message_id)
        if row is not None:
            return row
        for position, earlier in enumerate(self._earlier):
            if earlier.message_id == message_id:
                self.load_earlier(len(self._earlier) - position)
                return 0
        return None

    def clear(self) -> None:
        self.set_messages([])

    def keep_rows(self, count: int) -> None:
        """Drop every row after the first ``count`` (a new version replaces them)."""
        if count < len(self._rows):
            self.beginRemoveRows(QModelIndex(), count, len(self._rows) - 1)
            del self._rows[count:]
            self.endRemoveRows()

    def set_last_error(self, error: str) -> None:
        """Attach an error message to the last answer (it is not stored with it)."""
        if not self._rows or self._rows[-1].role is not Role.ASSISTANT:
            return
        last = len(self._rows) - 1
        self._rows[last] = replace(self._rows[last], error=error)
        index = self.index(last)
        self.dataChanged.emit(index, index)

    def reopen_last(self) -> None:
        """Let the last row (an answer being continued) stream again."""
        if not self._rows or self._rows[-1].role is not Role.ASSISTANT:
            return
        last = len(self._rows) - 1
        self._rows[last] = replace(self._rows[last], finish_reason=None, stats=None, error=None)
        index = self.index(last)
        self.dataChanged.emit(index, index)

    def add_user_message(self, text: str) -> None:
        self._append(ChatRow(Role.USER, text, finish_reason=FinishReason.STOP))

    def begin_answer(self, model: str | None = None) -> None:
        """Add an empty, streaming answer row."""
        self._append(ChatRow(Role.ASSISTANT, "", model=model))

    def append_text(self, text: str) -> None:
        """Add streamed text to the last row (which must be a streaming answer)."""
        if not text or not self._rows or not self._rows[-1].is_streaming:
            return
        last = len(self._rows) - 1
        self._rows[last] = replace(self._rows[last], text=self._rows[last].text + text)
        index = self.index(last)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, ChatRoles.TEXT])

    def finish_answer(self, finished: Finished) -> None:
        """Mark the streaming answer finished, with its reason and stats."""
        if not self._rows or not self._rows[-1].is_streaming:
            return
        last = len(self._rows) - 1
        self._rows[last] = replace(
            self._rows[last],
            finish_reason=finished.reason,
            stats=finished.stats,
            error=finished.error,
        )
        index = self.index(last)
        self.dataChanged.emit(index, index)

    def _append(self, row: ChatRow) -> None:
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(row)
        self.endInsertRows()
