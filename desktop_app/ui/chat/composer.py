"""The message box: Enter sends, Shift+Enter starts a new line, IME composition is respected."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

MIN_LINES = 2
MAX_LINES = 8


class Composer(QPlainTextEdit):
    """A plain-text editor that grows with its text (up to ``MAX_LINES``).

    ``submitted`` carries the text when the user presses Enter on a non-blank
    message; the editor is not cleared, so the receiver decides whether the message
    was accepted (and calls ``clear``) or must stay for later.
    """

    submitted = Signal(str)
    recall_requested = Signal()
    """Up was pressed in an empty box: the user wants their last message back to edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._composing = False
        self._ctrl_enter_sends = False
        self.setObjectName("composer")
        self.setAccessibleName(self.tr("Message"))
        self.setPlaceholderText(
            self.tr("Message Hearth… (Enter to send, Shift+Enter for a new line)")
        )
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    @property
    def is_composing(self) -> bool:
        """Whether an input method is composing text (Enter then belongs to the IME)."""
        return self._composing

    def message(self) -> str:
        return self.toPlainText()

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        self._composing = bool(event.preeditString())
        super().inputMethodEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._composing:
                pass  # the input method owns Enter while it composes: neither send nor break
            elif bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier) or (
                self._ctrl_enter_sends
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.textCursor().insertText("\n")
                self.ensureCursorVisible()
            else:
                self.submit()
            event.accept()
            return
        if (
            event.key() == Qt.Key.Key_Up
            and not self._composing
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and not self.toPlainText()
        ):
            self.recall_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def set_ctrl_enter_sends(self, ctrl_enter: bool) -> None:
        """Send with Ctrl+Enter (Enter adds a line) instead of Enter (Shift+Enter adds one)."""
        self._ctrl_enter_sends = ctrl_enter
        self.setPlaceholderText(
            self.tr("Message Hearth… (Ctrl+Enter to send, Enter for a new line)")
            if ctrl_enter
            else self.tr("Message Hearth… (Enter to send, Shift+Enter for a new line)")
        )

    def submit(self) -> None:
        """Emit ``submitted`` if there is something to send."""
        text = self.toPlainText()
        if text.strip():
            self.submitted.emit(text)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self._height_for_lines(MIN_LINES))

    def _height_for_lines(self, lines: int) -> int:
        margins = self.contentsMargins()
        document_margin = 2 * self.document().documentMargin()
        return int(
            lines * self.fontMetrics().lineSpacing()
            + document_margin
            + margins.top()
            + margins.bottom()
            + 2
        )

    def _fit_height(self) -> None:
        # QPlainTextDocumentLayout measures its height in lines (wrapped lines included).
        lines = int(self.document().documentLayout().documentSize().height())
        self.setFixedHeight(self._height_for_lines(max(MIN_LINES, min(MAX_LINES, lines))))
