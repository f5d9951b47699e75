"""The status bar's last-answer statistics: "Generating…", tokens so far, then tokens,
speed and time to first token.

Its strings keep the ``MainWindow`` translation context they were written under.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar

from desktop_app.core.chats.model import GenerationStats, Message
from desktop_app.ui.chat.model import format_stats, format_tokens, last_stats


class AnswerStats(QLabel):
    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.setContentsMargins(8, 0, 8, 0)
        self.setObjectName("statusStats")
        self.setAccessibleName(QCoreApplication.translate("MainWindow", "Last answer statistics"))
        bar.addPermanentWidget(self)

    def generating(self) -> None:
        self.setText(QCoreApplication.translate("MainWindow", "Generating…"))

    def streamed(self, tokens: int) -> None:
        self.setText(
            QCoreApplication.translate("MainWindow", "%1…").replace("%1", format_tokens(tokens))
        )

    def finished(self, stats: GenerationStats) -> None:
        self.setText(" · ".join(format_stats(stats)))

    def last_of(self, messages: Sequence[Message]) -> None:
        """The statistics of the conversation's last answer that has them (else none)."""
        self.setText(last_stats(messages))
