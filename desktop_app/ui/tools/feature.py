"""The tools feature of the window: Settings → Tools, a summary line under structured
answers, and Chat → Show Structured Answer (the card, with the raw JSON a click away)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop_app.ui.extensions.api import Menu, MessageView, Section, WindowApi
from desktop_app.ui.tools.answer_card import AnswerCard, parse_structured
from desktop_app.ui.tools.settings_page import ToolsSettingsPage


def summary_line(message: MessageView) -> str | None:
    """A short reading of a structured (JSON object) answer, for under the message."""
    if message.role != "assistant":
        return None
    data = parse_structured(message.text)
    if data is None:
        return None
    label = data.get("sentiment")
    if isinstance(label, str):
        parts = [
            QCoreApplication.translate("Tools", "Sentiment: %1").replace("%1", label.capitalize())
        ]
        confidence = data.get("confidence")
        if isinstance(confidence, (int, float)) and not isinstance(confidence, bool):
            parts.append(
                QCoreApplication.translate("Tools", "%1 % confident").replace(
                    "%1", str(round(confidence * 100))
                )
            )
        return " · ".join(parts)
    return QCoreApplication.translate("Tools", "Structured answer (%1 fields)").replace(
        "%1", str(len(data))
    )


class AnswerCardDialog(QDialog):
    def __init__(self, data: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Tools", "Structured answer"))
        self.card = AnswerCard(data, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card)
        layout.addWidget(buttons)
        self.resize(480, 360)


class ToolsFeature:
    name = "tools"

    def __init__(self, config_dir: Path) -> None:
        self._config_dir = config_dir
        self._api: WindowApi | None = None
        self.last_dialog: AnswerCardDialog | None = None

    def install(self, api: WindowApi) -> None:
        self._api = api
        api.add_settings_page(
            lambda: (
                QCoreApplication.translate("Tools", "Tools"),
                ToolsSettingsPage(self._config_dir),
            )
        )
        api.add_message_decorator(summary_line)
        action = QAction(
            QCoreApplication.translate("Tools", "Show Structured &Answer…"), api.window
        )
        action.setObjectName("structuredAnswerAction")
        action.triggered.connect(self.show_last_answer)
        api.add_menu_action(Menu.CHAT, action, Section.FEATURES)

    def show_last_answer(self) -> None:
        """Open the card of the newest structured answer in the chat shown."""
        assert self._api is not None
        host = self._api.host
        if host.conversation_id is None:
            return
        for message in reversed(host.store.messages(host.conversation_id)):
            data = parse_structured(message.content) if message.role.value == "assistant" else None
            if data is not None:
                self.last_dialog = AnswerCardDialog(data, self._api.window)
                self.last_dialog.open()
                return
        host.show_error(
            QCoreApplication.translate("Tools", "This chat has no structured (JSON) answer.")
        )
