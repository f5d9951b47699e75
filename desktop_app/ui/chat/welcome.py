"""The welcome page shown while there is neither a model nor a conversation.

Its strings keep the ``MainWindow`` translation context they were written under.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from desktop_app.ui.engine.worker import EngineBridge


def muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def scaled_font(font: QFont, factor: float, bold: bool = False) -> QFont:
    scaled = QFont(font)
    if scaled.pointSizeF() > 0:
        scaled.setPointSizeF(scaled.pointSizeF() * factor)
    scaled.setBold(bold)
    return scaled


class WelcomePage(QWidget):
    """ "Welcome to Hearth", Open a GGUF model…, and what other features add below."""

    open_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAccessibleName(QCoreApplication.translate("MainWindow", "No model loaded"))
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        content = QWidget(self)
        content.setObjectName("emptyStateContent")
        content.setFixedWidth(480)
        self._content = content
        column = QVBoxLayout(content)
        self._column = column
        self._has_extras = False
        column.setSpacing(14)

        title = QLabel(QCoreApplication.translate("MainWindow", "Welcome to Hearth"), content)
        title.setObjectName("emptyStateTitle")
        title.setAccessibleName(QCoreApplication.translate("MainWindow", "Welcome to Hearth"))
        title.setFont(scaled_font(self.font(), 2.0, bold=True))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(title)

        line = QLabel(
            QCoreApplication.translate(
                "MainWindow",
                "Open a GGUF model to start chatting. "
                "Hearth runs entirely on this computer: nothing you type leaves it.",
            ),
            content,
        )
        line.setObjectName("emptyStateText")
        line.setAccessibleName(QCoreApplication.translate("MainWindow", "What to do"))
        line.setWordWrap(True)
        line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(line)
        column.addSpacing(8)

        self.open_button = QPushButton(
            QCoreApplication.translate("MainWindow", "Open a GGUF model…"), content
        )
        self.open_button.setObjectName("openModelButton")
        self.open_button.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Open a GGUF model")
        )
        self.open_button.setDefault(True)
        self.open_button.setFont(scaled_font(self.font(), 1.15, bold=True))
        self.open_button.setMinimumHeight(44)
        self.open_button.setMinimumWidth(240)
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.clicked.connect(self.open_requested)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)

        hint = muted(
            QLabel(
                QCoreApplication.translate(
                    "MainWindow", "You can also drop a .gguf file on this window."
                ),
                content,
            )
        )
        hint.setObjectName("emptyStateHint")
        hint.setAccessibleName(QCoreApplication.translate("MainWindow", "Hint"))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(hint)

        self.loading = QLabel(content)
        self.loading.setObjectName("emptyStateLoading")
        self.loading.setAccessibleName(QCoreApplication.translate("MainWindow", "Loading"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.hide()
        column.addWidget(self.loading)

        centered = QHBoxLayout()
        centered.addStretch(1)
        centered.addWidget(content)
        centered.addStretch(1)
        outer.addLayout(centered)
        outer.addStretch(3)

    def follow(self, bridge: EngineBridge) -> None:
        """Say "Loading NAME…" under the button while ``bridge`` loads a model."""
        bridge.model_loading.connect(self._loading)
        for ended in (bridge.model_loaded, bridge.model_failed, bridge.load_cancelled):
            ended.connect(lambda _: self.loading.hide())

    def _loading(self, path: str) -> None:
        self.loading.setText(
            QCoreApplication.translate("MainWindow", "Loading %1…").replace("%1", Path(path).name)
        )
        self.loading.show()

    def add_widgets(self, factory: Callable[[QWidget], list[QWidget]]) -> None:
        """Add a feature's widgets under the hint, above the loading line."""
        index = self._column.indexOf(self.loading)
        if not self._has_extras:
            self._column.insertSpacing(index, 8)
            self._has_extras = True
            index += 1
        for widget in factory(self._content):
            self._column.insertWidget(index, widget, 0, Qt.AlignmentFlag.AlignHCenter)
            index += 1
