"""The tools feature of the window: Settings → Tools, the chat header's Tools button,
the tool loop of a chat's answers (approval prompts, steps under the answer), for a
sent message and for Regenerate, Continue and Edit-and-resend alike, a
summary line under structured answers, and Chat → Show Structured Answer (the card,
with the raw JSON a click away)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.engine.base import ModelInfo
from desktop_app.core.tools.builtins import BUILTIN_NAMES
from desktop_app.core.tools.chat_job import ToolTurnJob, open_chat_toolbox
from desktop_app.core.tools.config import ToolsConfig, load_tools_config, save_tools_config
from desktop_app.core.tools.loop import MAX_STEPS, ToolStep
from desktop_app.core.tools.steps import message_steps
from desktop_app.ui.extensions.api import (
    Menu,
    MessageLink,
    MessageView,
    OutgoingMessage,
    Section,
    WindowApi,
)
from desktop_app.ui.tools.answer_card import AnswerCard, parse_structured
from desktop_app.ui.tools.approval import WindowApprovals
from desktop_app.ui.tools.chat_tools import SERVER_PREFIX, ChatToolsButton
from desktop_app.ui.tools.settings_page import ToolsSettingsPage
from desktop_app.ui.tools.step_links import status_text, step_links

if TYPE_CHECKING:
    from desktop_app.ui.engine.worker import AnswerJob


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


class _StepRelay(QObject):
    """Steps reported on the engine thread, delivered on the GUI thread (queued)."""

    step = Signal(object)


class ToolsFeature:
    name = "tools"

    def __init__(
        self, config_dir: Path, documents: Path | None = None, *, max_steps: int = MAX_STEPS
    ) -> None:
        self._config_dir = config_dir
        self._documents = documents
        self._max_steps = max_steps
        self._api: WindowApi | None = None
        self.last_dialog: AnswerCardDialog | None = None
        self.button: ChatToolsButton | None = None
        self.approvals: WindowApprovals | None = None
        self._conversation: int | None = None
        self._touched = False
        """Whether the user changed the tools of the new chat before its first message."""
        self._opened: set[tuple[int, int]] = set()
        """(message id, step number) of the steps showing their arguments and result."""

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

        self.button = ChatToolsButton(api.window)
        self.button.menu_.aboutToShow.connect(self._refresh_servers)
        self.button.toggled_tools.connect(self._tools_toggled)
        api.add_header_control(self.button)
        self._refresh_servers()
        self.button.set_selected(self._config().builtins)
        self.approvals = WindowApprovals(api.window, api.host.bridge.stop, self._always_allow)
        self._relay = _StepRelay(api.window)
        self._relay.step.connect(self._show_step, Qt.ConnectionType.QueuedConnection)
        api.on_model_loaded(self._model_loaded)
        api.host.bridge.model_unloaded.connect(self._model_unloaded)
        api.on_conversation_shown(self._conversation_shown)
        api.on_new_chat(self._new_chat)
        api.add_request_contributor(self._contribute)
        api.add_answer_job_adapter(self._redo)
        api.add_message_links(self._links)
        api.on_close(self.approvals.close)

    # The chat's tools

    def _config(self) -> ToolsConfig:
        """The tools file, read afresh (Settings → Tools writes it); a damaged one is set
        aside with a message, and the defaults are used."""
        config, warning = load_tools_config(self._config_dir)
        if warning and self._api is not None:
            self._api.host.show_error(warning)
        return config

    @Slot()
    def _refresh_servers(self) -> None:
        assert self.button is not None
        self.button.set_servers([s.name for s in self._config().servers if s.enabled])

    def _model_loaded(self, info: ModelInfo) -> None:
        assert self.button is not None
        reason = ""
        if info.format_source == "remote":
            reason = QCoreApplication.translate(
                "Tools", "Tools are off: the window runs tools with local models only."
            )
        elif not info.supports_tools:
            reason = QCoreApplication.translate(
                "Tools", "Tools are off: the chat template of %1 has no tool support."
            ).replace("%1", info.name)
        self.button.set_unavailable(reason)

    @Slot()
    def _model_unloaded(self) -> None:
        assert self.button is not None
        self.button.set_unavailable(QCoreApplication.translate("Tools", "No model is loaded."))

    def _overrides(self, conversation_id: int) -> ChatOverrides:
        assert self._api is not None
        store = self._api.host.store
        return ChatOverrides.from_mapping(store.conversation_overrides(conversation_id))

    def _conversation_shown(self, conversation_id: int) -> None:
        assert self.button is not None
        if conversation_id == self._conversation:
            return
        self._conversation = conversation_id
        self._touched = False
        tools = self._overrides(conversation_id).tools
        self.button.set_selected(self._config().builtins if tools is None else tools)

    def _new_chat(self) -> None:
        assert self.button is not None
        self._conversation = None
        self._touched = False
        self.button.set_selected(self._config().builtins)

    def _tools_toggled(self, keys: tuple[str, ...]) -> None:
        self._touched = True
        if self._conversation is not None:
            self._save_tools(self._conversation, keys)

    def _save_tools(self, conversation_id: int, keys: tuple[str, ...]) -> None:
        assert self._api is not None
        overrides = replace(self._overrides(conversation_id), tools=keys)
        self._api.host.store.set_conversation_overrides(conversation_id, overrides.to_mapping())

    def _contribute(self, message: OutgoingMessage) -> None:
        """Run the answer in the tool loop when this chat has tools and the model can."""
        assert self.button is not None and self.approvals is not None
        conversation_id = message.conversation_id
        if conversation_id != self._conversation:  # a new chat's first message
            preset_tools = self._overrides(conversation_id).tools
            if preset_tools is not None and not self._touched:
                self.button.set_selected(preset_tools)
            self._conversation = conversation_id
            self._save_tools(conversation_id, self.button.selected())
        wrap = self._tool_loop()
        if wrap is not None:
            message.job_wrappers.append(wrap)

    def _redo(self, job: AnswerJob) -> AnswerJob:
        """Regenerate, Continue and Edit-and-resend run in the tool loop too, like a sent
        message (outside the documents job, which the documents adapter added first)."""
        wrap = self._tool_loop()
        if wrap is None or isinstance(job, ToolTurnJob):
            return job
        return wrap(job)

    def _tool_loop(self) -> Callable[[AnswerJob], AnswerJob] | None:
        """What runs an answer job of the chat shown in its tool loop: its tools, the
        approval prompt, the tools always allowed, its steps shown (None: this chat has
        no tools on, or the model cannot take them)."""
        assert self.button is not None and self.approvals is not None
        chosen = self.button.selected()
        if not chosen or not self.button.available:
            return None
        config = self._config()
        servers = [
            server
            for key in chosen
            if key.startswith(SERVER_PREFIX)
            for server in [config.server(key[len(SERVER_PREFIX) :])]
            if server is not None and server.enabled
        ]
        builtins = [key for key in chosen if key in BUILTIN_NAMES]
        opener = partial(
            open_chat_toolbox,
            builtins=tuple(builtins),
            servers=tuple(servers),
            documents=self._documents,
        )
        return partial(
            ToolTurnJob,
            open_toolbox=opener,
            ask=self.approvals.ask,
            always_allowed=config.always_allowed,
            on_step=self._relay.step.emit,
            max_steps=self._max_steps,
        )

    def _always_allow(self, tool_name: str) -> None:
        config = self._config()
        if tool_name not in config.always_allowed:
            always = (*config.always_allowed, tool_name)
            save_tools_config(self._config_dir, replace(config, always_allowed=always))

    @Slot(object)
    def _show_step(self, step: ToolStep) -> None:
        assert self._api is not None
        if step.status == "asking":
            return
        if step.status == "running":
            text = QCoreApplication.translate("Tools", "Running the tool %1…")
        else:
            text = QCoreApplication.translate("Tools", "Tool %1: %2").replace(
                "%2", status_text(step.status)
            )
        self._api.window.statusBar().showMessage(text.replace("%1", step.call.name), 5000)

    # Steps under answers

    def _links(self, view: MessageView) -> list[MessageLink]:
        assert self._api is not None
        message_id = view.message_id
        if view.role != "assistant" or message_id is None:
            return []
        steps = message_steps(self._api.host.store, message_id)
        if not steps:
            return []
        return step_links(
            steps,
            lambda number: (message_id, number) in self._opened,
            lambda number: self._toggle_step(message_id, number),
        )

    def _toggle_step(self, message_id: int, number: int) -> None:
        assert self._api is not None
        self._opened ^= {(message_id, number)}
        self._api.host.chat_model.refresh_message(message_id)

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
