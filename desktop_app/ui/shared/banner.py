"""The error banner across the top of the window: a selectable message and Dismiss.

Its strings keep the ``MainWindow`` translation context they were written under.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class ErrorBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setAccessibleName(QCoreApplication.translate("MainWindow", "Error"))
        self.setStyleSheet(
            "#errorBanner { background: rgba(214, 69, 65, 0.14);"
            " border-bottom: 1px solid rgba(214, 69, 65, 0.55); }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 8, 8)
        self.text = QLabel(self)
        self.text.setObjectName("errorBannerText")
        self.text.setAccessibleName(QCoreApplication.translate("MainWindow", "Error message"))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.text, 1)
        dismiss = QToolButton(self)
        dismiss.setObjectName("dismissErrorButton")
        dismiss.setAccessibleName(QCoreApplication.translate("MainWindow", "Dismiss error"))
        dismiss.setText(QCoreApplication.translate("MainWindow", "Dismiss"))
        dismiss.setAutoRaise(True)
        dismiss.clicked.connect(self.hide)
        row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str) -> None:
        self.text.setText(message)
        self.show()
