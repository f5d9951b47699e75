"""This chat's own settings in the window: the header's context usage and "Chat
settings…" button, the preset bar of a new chat, and the per-chat overrides (model,
system prompt, sampling) kept in the store.

Part of the main chat area, so its strings keep the ``MainWindow`` translation context.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.chats.store import Store, StoreError
from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.engine.context_window import compact_count
from desktop_app.core.engine.remote_spec import is_remote_spec
from desktop_app.core.presets import PresetLibrary
from desktop_app.ui.chat.preset_picker import PresetBar
from desktop_app.ui.chat.welcome import muted
from desktop_app.ui.engine.worker import EngineBridge

if TYPE_CHECKING:
    from desktop_app.ui.chat.settings_dialog import ChatSettingsDialog


def model_key(spec: str) -> str:
    """How a loaded model names itself: a remote spec as given, a file by absolute path."""
    return spec if is_remote_spec(spec) else os.path.abspath(spec)


class ChatSettings(QObject):
    """Owns the usage label, the Chat settings button and the preset bar; the window
    places them and says which conversation is on screen (``conversation``) and which
    generation parameters the settings give (``params``)."""

    open_model_requested = Signal(str)
    """This chat's model is not the one loaded."""
    error = Signal(str)

    def __init__(
        self,
        store: Store,
        bridge: EngineBridge,
        presets: PresetLibrary,
        language: str,
        conversation: Callable[[], int | None],
        params: Callable[[], GenerationParams],
        header: QWidget,
        page: QWidget,
    ) -> None:
        super().__init__(header)
        self._store = store
        self._bridge = bridge
        self._conversation = conversation
        self._params = params
        self.usage_label = muted(QLabel(header))
        self.usage_label.setObjectName("contextUsageLabel")
        self.usage_label.setAccessibleName(QCoreApplication.translate("MainWindow", "Context used"))
        self.usage_label.setToolTip(
            QCoreApplication.translate(
                "MainWindow", "How much of the model's context window this chat's next prompt takes"
            )
        )
        self.button = QPushButton(
            QCoreApplication.translate("MainWindow", "Chat settings…"), header
        )
        self.button.setObjectName("chatSettingsButton")
        self.button.setAccessibleName(QCoreApplication.translate("MainWindow", "Chat settings"))
        self.button.setToolTip(
            QCoreApplication.translate(
                "MainWindow", "Model, system prompt and sampling for this chat only"
            )
        )
        self.button.clicked.connect(self.open_dialog)
        self.preset_bar = PresetBar(presets, language, page)
        bridge.context_measured.connect(self._on_context_measured)

    def overrides(self) -> ChatOverrides:
        conversation_id = self._conversation()
        if conversation_id is None:
            return ChatOverrides()
        try:
            return ChatOverrides.from_mapping(self._store.conversation_overrides(conversation_id))
        except (StoreError, KeyError):
            return ChatOverrides()

    def generation_params(self) -> GenerationParams:
        """The settings' parameters with this chat's overrides applied."""
        return self.overrides().params(self._params())

    def create_conversation(self, language: str, default_prompt: str) -> int | None:
        """Create the conversation of a new chat with the preset chosen for it (its prompt
        in ``language``; ``default_prompt`` without a preset). None, and ``error``, when
        the store refuses."""
        preset = self.preset_bar.preset()
        prompt = preset.system_prompt_for(language) if preset else default_prompt
        try:
            conversation = self._store.create_conversation(system_prompt=prompt)
            if preset is not None:
                overrides = ChatOverrides(
                    preset=preset.id,
                    sampling=dict(preset.sampling),
                    response_schema=preset.response_schema,
                    tools=preset.tools or None,
                )
                self._store.set_conversation_overrides(conversation.id, overrides.to_mapping())
        except StoreError as exc:
            self.error.emit(str(exc))
            return None
        self.button.setEnabled(True)
        return conversation.id

    @Slot()
    def open_dialog(self) -> ChatSettingsDialog | None:
        """Edit this chat's model, system prompt and sampling (returns the dialog for tests)."""
        conversation_id = self._conversation()
        if conversation_id is None:
            return None
        conversation = self._store.conversation(conversation_id)
        if conversation is None:
            return None
        parent = self.button.window()
        from desktop_app.ui.chat.settings_dialog import ChatSettingsDialog  # when opened

        dialog = ChatSettingsDialog(
            self.overrides(), conversation.system_prompt, self._params(), parent
        )
        dialog.accepted.connect(lambda: self._save(dialog))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _save(self, dialog: ChatSettingsDialog) -> None:
        conversation_id = self._conversation()
        if conversation_id is None:
            return
        overrides = dialog.overrides()
        try:
            self._store.set_system_prompt(conversation_id, dialog.system_prompt())
            self._store.set_conversation_overrides(conversation_id, overrides.to_mapping())
        except (StoreError, KeyError) as exc:
            self.error.emit(str(exc))
            return
        other = self.other_model(overrides)
        if other:
            self.open_model_requested.emit(other)
        else:
            self.measure_usage()

    def other_model(self, overrides: ChatOverrides) -> str | None:
        """The model the chat asks for, when it is not the one loaded (else None)."""
        model = self._bridge.model
        if overrides.model and (model is None or model_key(overrides.model) != model.path):
            return overrides.model
        return None

    def measure_usage(self) -> None:
        """Ask the engine how much context the chat's next prompt takes."""
        conversation_id = self._conversation()
        if conversation_id is not None and not self._bridge.is_busy:
            self._bridge.measure_context(conversation_id, self.generation_params())

    @Slot(int, int)
    def _on_context_measured(self, conversation_id: int, tokens: int) -> None:
        if conversation_id == self._conversation():
            self.show_usage(tokens)

    def show_usage(self, tokens: int) -> None:
        model = self._bridge.model
        if model is None:
            self.usage_label.clear()
            return
        self.usage_label.setText(
            QCoreApplication.translate("MainWindow", "%1 / %2 tokens")
            .replace("%1", compact_count(tokens))
            .replace("%2", compact_count(model.context_length))
        )
