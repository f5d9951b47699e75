"""This chat's own settings: model, system prompt and sampling, over the defaults.

Each sampling row has a "Default" check box: checked, the chat follows the default
from Settings (shown greyed); unchecked, the chat keeps its own value.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.presets import SAMPLING_KEYS
from desktop_app.core.settings import DECLARATIONS
from desktop_app.ui.settings.dialog import SettingEditor, tr_setting


class ChatSettingsDialog(QDialog):
    """Edit one conversation's overrides; read ``system_prompt()`` and ``overrides()``."""

    def __init__(
        self,
        overrides: ChatOverrides,
        system_prompt: str,
        defaults: GenerationParams,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._overrides = overrides
        self.setObjectName("chatSettingsDialog")
        self.setWindowTitle(self.tr("Chat settings"))
        self.setAccessibleName(self.tr("Chat settings"))
        form = QFormLayout()

        model_row = QHBoxLayout()
        self.model = QLineEdit(overrides.model, self)
        self.model.setObjectName("chatModelEdit")
        self.model.setPlaceholderText(self.tr("The model that is loaded"))
        self.model.setAccessibleName(self.tr("Model for this chat"))
        model_row.addWidget(self.model, 1)
        browse = QPushButton(self.tr("Choose…"), self)
        browse.setObjectName("chatModelBrowseButton")
        browse.clicked.connect(self._choose_model)
        model_row.addWidget(browse)
        form.addRow(self.tr("Model"), model_row)

        self.prompt = QPlainTextEdit(system_prompt, self)
        self.prompt.setObjectName("chatSystemPromptEdit")
        self.prompt.setAccessibleName(self.tr("System prompt for this chat"))
        self.prompt.setTabChangesFocus(True)
        self.prompt.setMinimumHeight(90)
        form.addRow(self.tr("System prompt"), self.prompt)

        self.editors: dict[str, SettingEditor] = {}
        self.use_default: dict[str, QCheckBox] = {}
        for key in SAMPLING_KEYS:
            declaration = DECLARATIONS[f"generation.{key}"]
            editor = SettingEditor(declaration, self)
            own = key in overrides.sampling
            editor.set_value(overrides.sampling[key] if own else getattr(defaults, key))
            default_box = QCheckBox(self.tr("Default"), self)
            default_box.setObjectName(f"default_{key}")
            default_box.setChecked(not own)
            editor.widget.setEnabled(own)
            default_box.toggled.connect(partial(self._follow_default, key, getattr(defaults, key)))
            row = QHBoxLayout()
            row.addWidget(editor.widget, 1)
            row.addWidget(default_box)
            self.editors[key] = editor
            self.use_default[key] = default_box
            form.addRow(tr_setting(declaration.label), row)

        note = QLabel(
            self.tr("Values marked Default follow Settings → Generation."),
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(note)
        column.addWidget(buttons)
        self.resize(560, 600)

    def _follow_default(self, key: str, default: object, checked: bool) -> None:
        editor = self.editors[key]
        editor.widget.setEnabled(not checked)
        if checked:
            editor.set_value(default)

    def system_prompt(self) -> str:
        return self.prompt.toPlainText()

    def overrides(self) -> ChatOverrides:
        sampling = {
            key: editor.value()
            for key, editor in self.editors.items()
            if not self.use_default[key].isChecked()
        }
        # replace(): what this dialog does not edit (answer schema, tools) is kept
        return replace(self._overrides, model=self.model.text().strip(), sampling=sampling)

    @Slot()
    def _choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Model for this chat"), self.model.text(), self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.model.setText(path)
