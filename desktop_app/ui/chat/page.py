"""The chat page: the header (model, chat format, per-chat settings, New chat, Open
model), the conversation, the context notice, the preset bar and the composer.

It builds and holds the widgets and words what they show (the model and its chat
format, the Send/Stop button, the context notice); the main window connects them and
decides when. Strings keep the "MainWindow" translation context they had when the
window built this page itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.engine.base import ModelInfo
from desktop_app.ui.chat.chat_settings import ChatSettings
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.view import ChatView
from desktop_app.ui.chat.welcome import muted, scaled_font
from desktop_app.ui.shared.elided_label import ElidedLabel
from desktop_app.ui.shared.icons import themed_icon


class ChatPage(QWidget):
    def __init__(
        self,
        parent: QWidget,
        chat_settings: Callable[[QWidget, QWidget], ChatSettings],
        ctrl_enter_sends: bool,
    ) -> None:
        super().__init__(parent)
        page = self
        page.setObjectName("chatPage")
        page.setAccessibleName(QCoreApplication.translate("MainWindow", "Chat"))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QFrame(page)
        header.setObjectName("chatHeader")
        header.setAccessibleName(QCoreApplication.translate("MainWindow", "Model"))
        header.setStyleSheet("#chatHeader { border-bottom: 1px solid palette(mid); }")
        # Two rows: the model's name with the controls (features add theirs there), then
        # the chat format across the whole width, so that more controls never squeeze it
        # into a narrow wrapped column.
        header_rows = QVBoxLayout(header)
        header_rows.setContentsMargins(20, 8, 12, 8)
        header_rows.setSpacing(2)
        header_row = QHBoxLayout()
        self.header_row = header_row
        header_rows.addLayout(header_row)
        self.model_title = ElidedLabel(header)
        self.model_title.setObjectName("modelTitle")
        self.model_title.setAccessibleName(QCoreApplication.translate("MainWindow", "Model name"))
        self.model_title.setFont(scaled_font(self.font(), 1.2, bold=True))
        # A long name ends in "…" rather than pushing the controls away.
        self.model_title.setMinimumWidth(80)
        header_row.addWidget(self.model_title, 1, Qt.AlignmentFlag.AlignVCenter)
        self.format_label = muted(QLabel(header))
        self.format_label.setObjectName("chatFormatLabel")
        self.format_label.setAccessibleName(QCoreApplication.translate("MainWindow", "Chat format"))
        self.format_label.setTextFormat(Qt.TextFormat.PlainText)
        self.format_label.setWordWrap(True)
        header_rows.addWidget(self.format_label)
        self.chat_settings = chat_settings(header, page)
        header_row.addWidget(self.chat_settings.usage_label, 0, Qt.AlignmentFlag.AlignVCenter)
        header_row.addWidget(self.chat_settings.button, 0, Qt.AlignmentFlag.AlignVCenter)
        new_chat = QPushButton(QCoreApplication.translate("MainWindow", "New chat"), header)
        new_chat.setObjectName("newChatButton")
        new_chat.setAccessibleName(QCoreApplication.translate("MainWindow", "New chat"))
        new_chat.setToolTip(
            QCoreApplication.translate("MainWindow", "Start a new conversation (Ctrl+N)")
        )
        header_row.addWidget(new_chat, 0, Qt.AlignmentFlag.AlignVCenter)
        self.new_chat_button = new_chat
        open_model = QPushButton(QCoreApplication.translate("MainWindow", "Open model…"), header)
        open_model.setObjectName("headerOpenModelButton")
        open_model.setAccessibleName(QCoreApplication.translate("MainWindow", "Open model"))
        open_model.setToolTip(
            QCoreApplication.translate("MainWindow", "Open a GGUF model (Ctrl+O)")
        )
        header_row.addWidget(open_model, 0, Qt.AlignmentFlag.AlignVCenter)
        self.header_open_button = open_model
        layout.addWidget(header)

        self.chat_view = ChatView(page)
        layout.addWidget(self.chat_view, 1)

        self.context_notice = muted(QLabel(page))
        self.context_notice.setObjectName("contextNotice")
        self.context_notice.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Context notice")
        )
        self.context_notice.setWordWrap(True)
        self.context_notice.setContentsMargins(20, 4, 20, 0)
        self.context_notice.hide()
        layout.addWidget(self.context_notice)
        layout.addWidget(self.chat_settings.preset_bar)

        composer_area = QWidget(page)
        composer_area.setObjectName("composerArea")
        area_row = QHBoxLayout(composer_area)
        area_row.setContentsMargins(16, 8, 16, 14)
        frame = QFrame(composer_area)
        frame.setObjectName("composerFrame")
        frame.setStyleSheet(
            "#composerFrame { border: 1px solid palette(mid); border-radius: 10px;"
            " background: palette(base); }"
        )
        frame_row = QHBoxLayout(frame)
        frame_row.setContentsMargins(10, 6, 6, 6)
        frame_row.setSpacing(8)
        self.composer = Composer(frame)
        self.composer.set_ctrl_enter_sends(ctrl_enter_sends)
        frame_row.addWidget(self.composer, 1)
        self.send_button = QPushButton(QCoreApplication.translate("MainWindow", "Send"), frame)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName(QCoreApplication.translate("MainWindow", "Send"))
        self.send_button.setMinimumWidth(84)
        self.send_button.setMinimumHeight(34)
        self.send_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        frame_row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        area_row.addWidget(frame)
        layout.addWidget(composer_area)

    def set_font_size(self, points: int) -> None:
        """The chat's text size from Settings (0: the application font)."""
        for widget in (self.chat_view, self.composer):
            font = QApplication.font(widget)
            if points > 0:
                font.setPointSize(points)
            widget.setFont(font)

    def start_new_chat(self) -> None:
        """No usage and no context notice yet; the preset bar back, at its default."""
        self.chat_settings.usage_label.clear()
        self.context_notice.hide()
        self.chat_settings.preset_bar.reset()
        self.chat_settings.preset_bar.show()
        self.composer.setFocus()

    def show_model(self, info: ModelInfo) -> None:
        """The header names the loaded model and the chat format it uses."""
        self.model_title.setText(info.name)
        self.model_title.setToolTip(info.path)
        self.format_label.setText(
            QCoreApplication.translate("MainWindow", "Chat format: %1 · context %2 tokens")
            .replace("%1", format_words(info))
            .replace("%2", self.locale().toString(info.context_length))
        )

    def show_no_model(self) -> None:
        """The header of a saved conversation shown without a model."""
        self.model_title.setText(QCoreApplication.translate("MainWindow", "No model loaded"))
        self.model_title.setToolTip("")
        self.format_label.setText(
            QCoreApplication.translate(
                "MainWindow", "Open a GGUF model (Ctrl+O) to continue this conversation."
            )
        )

    def show_send_state(self, generating: bool, ready: bool, colour: QColor) -> None:
        """Send, or Stop while an answer streams; enabled when either can be done."""
        if generating:
            text = QCoreApplication.translate("MainWindow", "Stop")
            name = QCoreApplication.translate("MainWindow", "Stop generating")
            tip = QCoreApplication.translate("MainWindow", "Stop generating (Esc)")
        else:
            text = name = QCoreApplication.translate("MainWindow", "Send")
            tip = QCoreApplication.translate("MainWindow", "Send (Enter)")
        self.send_button.setText(text)
        self.send_button.setAccessibleName(name)
        self.send_button.setToolTip(tip)
        self.send_button.setEnabled(generating or ready)
        self.send_button.setIcon(themed_icon("stop" if generating else "send", colour))
        self.new_chat_button.setIcon(themed_icon("new-chat", colour))
        self.header_open_button.setIcon(themed_icon("open-model", colour))

    def show_dropped_turns(self, dropped: int) -> None:
        """Say how many older messages the model did not see (hidden when none)."""
        self.context_notice.setVisible(dropped > 0)
        self.context_notice.setText(
            QCoreApplication.translate(
                "MainWindow",
                "Older messages were left out so that this chat fits the model's context "
                "window. Messages the model did not see: %1.",
            ).replace("%1", str(dropped))
        )


def format_words(info: ModelInfo) -> str:
    """Which chat format the model's prompts use, in words."""
    if info.format_source == "model":
        return QCoreApplication.translate("MainWindow", "the model's own chat template")
    if info.format_source == "plain":
        return QCoreApplication.translate(
            "MainWindow", "a plain User/Assistant format (the model has no chat template)"
        )
    if info.format_source == "rejected":
        return (
            QCoreApplication.translate(
                "MainWindow",
                "the built-in %1 format (the model's own template could not be used: %2)",
            )
            .replace("%1", info.format_name)
            .replace("%2", info.format_problem)
        )
    return QCoreApplication.translate(
        "MainWindow", "the built-in %1 format (the model has no chat template)"
    ).replace("%1", info.format_name)
