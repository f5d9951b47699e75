"""Asking the user about a tool call, in the window.

The tool loop runs on the engine thread and blocks there while it waits for consent;
``WindowApprovals.ask`` posts the question to the GUI thread (a queued signal), where
an ``ApprovalPrompt`` shows the tool and its arguments with three buttons, and waits
for the answer or for the answer to be stopped (Esc), polling its cancel token so a
stop is prompt even with the prompt open. Esc in the prompt stops the answer too.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.engine.base import CancelToken
from desktop_app.core.tools.approval import Decision
from desktop_app.core.tools.calls import ToolCall

POLL_S = 0.05


class ApprovalPrompt(QDialog):
    """ "The model wants to call X with these arguments": Allow once, Always allow this
    tool, Deny. ``decided`` carries the ``Decision``, or None when the user pressed Esc
    (stop the answer)."""

    decided = Signal(object)

    def __init__(self, call: ToolCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolApprovalPrompt")
        self.setWindowTitle(self.tr("Allow a tool call?"))
        self.call = call
        question = QLabel(self)
        question.setObjectName("toolApprovalQuestion")
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setWordWrap(True)
        question.setText(
            self.tr("The model wants to run the tool “%1” with these arguments:").replace(
                "%1", call.name
            )
        )
        arguments = QPlainTextEdit(self)
        arguments.setObjectName("toolApprovalArguments")
        arguments.setAccessibleName(self.tr("Arguments"))
        arguments.setReadOnly(True)
        arguments.setPlainText(json.dumps(dict(call.arguments), ensure_ascii=False, indent=2))
        arguments.setMaximumHeight(160)
        note = QLabel(self.tr("Esc stops the answer."), self)
        note.setEnabled(False)
        self.allow_once = QPushButton(self.tr("Allow &once"), self)
        self.allow_once.setObjectName("allowOnceButton")
        self.allow_always = QPushButton(self.tr("&Always allow this tool"), self)
        self.allow_always.setObjectName("allowAlwaysButton")
        self.deny = QPushButton(self.tr("&Deny"), self)
        self.deny.setObjectName("denyButton")
        for button, decision in (
            (self.allow_once, Decision.ALLOW_ONCE),
            (self.allow_always, Decision.ALLOW_ALWAYS),
            (self.deny, Decision.DENY),
        ):
            button.clicked.connect(lambda _=False, d=decision: self._decide(d))
        self.allow_once.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.deny)
        buttons.addWidget(self.allow_always)
        buttons.addWidget(self.allow_once)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(arguments)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self._done = False
        self.allow_once.setFocus()

    def _decide(self, decision: Decision | None) -> None:
        if self._done:
            return
        self._done = True
        self.decided.emit(decision)
        super().done(
            QDialog.DialogCode.Rejected if decision is None else QDialog.DialogCode.Accepted
        )

    def reject(self) -> None:
        """Esc (or the window's close button): stop the answer."""
        self._decide(None)

    def dismiss(self) -> None:
        """Close without a decision (the answer was stopped elsewhere)."""
        self._done = True
        super().done(QDialog.DialogCode.Rejected)


class _Request:
    """One question on its way from the engine thread to the user and back."""

    def __init__(self, call: ToolCall) -> None:
        self.call = call
        self.answered = threading.Event()
        self.decision = Decision.DENY
        self.abandoned = False


class WindowApprovals(QObject):
    """Asks in the window; ``ask`` is called on the engine thread (see the module doc).

    ``stop_answer`` is called when the user presses Esc in the prompt; ``remember`` with
    the tool's name when they choose "Always allow this tool".
    """

    _requested = Signal(object)
    _abandoned = Signal(object)
    asked = Signal(object)
    """The prompt just shown (for tests and the screenshot script)."""

    def __init__(
        self,
        parent_window: QWidget,
        stop_answer: Callable[[], None],
        remember: Callable[[str], None],
    ) -> None:
        super().__init__(parent_window)
        self._window = parent_window
        self._stop_answer = stop_answer
        self._remember = remember
        self._closed = threading.Event()
        self.prompt: ApprovalPrompt | None = None
        queued = Qt.ConnectionType.QueuedConnection
        self._requested.connect(self._show, queued)
        self._abandoned.connect(self._dismiss, queued)

    def ask(self, call: ToolCall, cancel: CancelToken) -> Decision:
        """The user's decision about ``call`` (DENY if the answer is stopped first)."""
        request = _Request(call)
        self._requested.emit(request)
        while not request.answered.wait(POLL_S):
            if cancel.cancelled or self._closed.is_set():
                request.abandoned = True
                self._abandoned.emit(request)
                return Decision.DENY
        return request.decision

    def close(self) -> None:
        """The window closes: every question waiting is answered with DENY."""
        self._closed.set()
        if self.prompt is not None:
            self.prompt.dismiss()

    @Slot(object)
    def _show(self, request: _Request) -> None:
        if request.abandoned or self._closed.is_set():
            return
        prompt = ApprovalPrompt(request.call, self._window)
        prompt.decided.connect(lambda decision: self._answer(request, decision))
        prompt.finished.connect(lambda _result: self._forget(prompt))
        self.prompt = prompt
        prompt.open()
        prompt.allow_once.setFocus()
        self.asked.emit(prompt)

    def _answer(self, request: _Request, decision: Decision | None) -> None:
        if decision is None:  # Esc: stop the answer; the loop sees the cancel token
            self._stop_answer()
            return
        if decision is Decision.ALLOW_ALWAYS:
            self._remember(request.call.name)
        request.decision = decision
        request.answered.set()

    @Slot(object)
    def _dismiss(self, request: _Request) -> None:
        prompt = self.prompt
        if prompt is not None and prompt.call is request.call:
            prompt.dismiss()

    def _forget(self, prompt: ApprovalPrompt) -> None:
        if self.prompt is prompt:
            self.prompt = None
        prompt.deleteLater()
