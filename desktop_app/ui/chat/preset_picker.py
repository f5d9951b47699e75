"""Choose a preset for a new chat, and manage the user's own presets.

``PresetPicker`` lists the built-in and user presets with a preview of each one's
instructions; "Start chat" accepts with ``chosen()`` set. The user's presets can be
created, duplicated, edited, deleted, exported and imported here; every change goes
through ``PresetLibrary``, which validates and saves it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.presets import SAMPLING_KEYS, Preset, PresetError, PresetLibrary
from desktop_app.core.setting_types import SettingError
from desktop_app.core.settings import DECLARATIONS
from desktop_app.ui.settings.dialog import SettingEditor, tr_setting


class PresetEditor(QDialog):
    """Name, instructions and sampling of one user preset."""

    def __init__(self, preset: Preset | None, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("presetEditor")
        self.setWindowTitle(self.tr("Edit preset") if preset else self.tr("New preset"))
        self._language = language
        form = QFormLayout()
        self.name = QLineEdit(preset.name_for(language) if preset else "", self)
        self.name.setObjectName("presetNameEdit")
        self.name.setAccessibleName(self.tr("Name"))
        form.addRow(self.tr("Name"), self.name)
        self.prompt = QPlainTextEdit(preset.system_prompt_for(language) if preset else "", self)
        self.prompt.setObjectName("presetPromptEdit")
        self.prompt.setAccessibleName(self.tr("Instructions"))
        self.prompt.setTabChangesFocus(True)
        form.addRow(self.tr("Instructions"), self.prompt)
        self.editors: dict[str, SettingEditor] = {}
        for key in SAMPLING_KEYS:
            declaration = DECLARATIONS[f"generation.{key}"]
            editor = SettingEditor(declaration, self)
            value = preset.sampling.get(key, declaration.default) if preset else declaration.default
            editor.set_value(value)
            self.editors[key] = editor
            form.addRow(tr_setting(declaration.label), editor.widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(buttons)
        self.resize(520, 620)

    def sampling(self) -> dict[str, object]:
        return {key: editor.value() for key, editor in self.editors.items()}


class PresetPicker(QDialog):
    """Pick the preset a new chat starts with; manage user presets on the way."""

    def __init__(
        self,
        library: PresetLibrary,
        language: str = "en",
        parent: QWidget | None = None,
        *,
        start_label: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._language = language
        self._chosen: Preset | None = None
        self.setObjectName("presetPicker")
        self.setWindowTitle(self.tr("New chat"))
        self.setAccessibleName(self.tr("Choose a preset"))
        self.resize(720, 480)

        intro = QLabel(self.tr("Choose how the assistant should behave in this chat."), self)
        intro.setWordWrap(True)
        self._list = QListWidget(self)
        self._list.setObjectName("presetList")
        self._list.setAccessibleName(self.tr("Presets"))
        self._list.currentItemChanged.connect(self._show_current)
        self._list.itemDoubleClicked.connect(lambda _item: self._start())
        self._preview = QLabel(self)
        self._preview.setObjectName("presetPreview")
        self._preview.setWordWrap(True)
        self._preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._preview.setTextFormat(Qt.TextFormat.PlainText)
        self._preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        manage = QVBoxLayout()
        self._buttons: dict[str, QPushButton] = {}
        for name, label, slot in (
            ("new", self.tr("New…"), self._new),
            ("duplicate", self.tr("Duplicate"), self._duplicate),
            ("edit", self.tr("Edit…"), self._edit),
            ("delete", self.tr("Delete"), self._delete),
            ("import", self.tr("Import…"), self._import),
            ("export", self.tr("Export…"), self._export),
        ):
            button = QPushButton(label, self)
            button.setObjectName(f"preset_{name}_button")
            button.clicked.connect(slot)
            manage.addWidget(button)
            self._buttons[name] = button
        manage.addStretch(1)

        row = QHBoxLayout()
        row.addWidget(self._list, 2)
        row.addWidget(self._preview, 3)
        row.addLayout(manage)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self._start_button = buttons.addButton(
            start_label or self.tr("Start chat"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._start_button.setObjectName("startChatButton")
        self._start_button.setDefault(True)
        buttons.accepted.connect(self._start)
        buttons.rejected.connect(self.reject)

        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(row, 1)
        column.addWidget(buttons)
        self._reload()

    # Public API

    def chosen(self) -> Preset | None:
        """The preset picked when the dialog was accepted."""
        return self._chosen

    def select(self, preset_id: str) -> None:
        for index in range(self._list.count()):
            if self._list.item(index).data(Qt.ItemDataRole.UserRole) == preset_id:
                self._list.setCurrentRow(index)
                return

    def current(self) -> Preset | None:
        item = self._list.currentItem()
        if item is None:
            return None
        return self._library.get(item.data(Qt.ItemDataRole.UserRole))

    # Slots

    def _reload(self, select: str | None = None) -> None:
        self._list.clear()
        for preset in self._library.presets():
            name = preset.name_for(self._language)
            if not preset.builtin:
                name = self.tr("%1 (mine)").replace("%1", name)
            item = QListWidgetItem(name, self._list)
            item.setData(Qt.ItemDataRole.UserRole, preset.id)
            item.setToolTip(preset.description_for(self._language))
        self._list.setCurrentRow(0)
        if select:
            self.select(select)

    @Slot()
    def _show_current(self) -> None:
        preset = self.current()
        if preset is None:
            self._preview.clear()
            return
        description = preset.description_for(self._language)
        prompt = preset.system_prompt_for(self._language) or self.tr("(no instructions)")
        self._preview.setText(f"{description}\n\n{prompt}" if description else prompt)
        self._buttons["edit"].setEnabled(not preset.builtin)
        self._buttons["delete"].setEnabled(not preset.builtin)

    @Slot()
    def _start(self) -> None:
        self._chosen = self.current()
        if self._chosen is not None:
            self.accept()

    def _fail(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Presets"), message)

    @Slot()
    def _new(self) -> None:
        editor = PresetEditor(None, self._language, self)
        if editor.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            preset = self._library.create(
                editor.name.text(), editor.prompt.toPlainText(), editor.sampling(), self._language
            )
        except (PresetError, SettingError, OSError) as exc:
            self._fail(str(exc))
            return
        self._reload(preset.id)

    @Slot()
    def _duplicate(self) -> None:
        preset = self.current()
        if preset is None:
            return
        try:
            copy = self._library.duplicate(preset.id, self.tr(" (copy)"))
        except (PresetError, OSError) as exc:
            self._fail(str(exc))
            return
        self._reload(copy.id)

    @Slot()
    def _edit(self) -> None:
        preset = self.current()
        if preset is None or preset.builtin:
            return
        editor = PresetEditor(preset, self._language, self)
        if editor.exec() != QDialog.DialogCode.Accepted:
            return
        name = {**preset.name, self._language: editor.name.text()}
        prompt = {**preset.system_prompt, self._language: editor.prompt.toPlainText()}
        changed = replace(preset, name=name, system_prompt=prompt, sampling=editor.sampling())
        try:
            self._library.update(changed)
        except (PresetError, OSError) as exc:
            self._fail(str(exc))
            return
        self._reload(preset.id)

    @Slot()
    def _delete(self) -> None:
        preset = self.current()
        if preset is None or preset.builtin:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete preset"),
            self.tr("Delete the preset “%1”?").replace("%1", preset.name_for(self._language)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._library.delete(preset.id)
        except (PresetError, OSError) as exc:
            self._fail(str(exc))
            return
        self._reload()

    @Slot()
    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import presets"), "", self.tr("Presets (*.json)")
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> bool:
        try:
            imported = self._library.import_file(path)
        except (PresetError, OSError) as exc:
            self._fail(str(exc))
            return False
        self._reload(imported[0].id)
        return True

    @Slot()
    def _export(self) -> None:
        preset = self.current()
        if preset is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export preset"), f"{preset.id}.json", self.tr("Presets (*.json)")
        )
        if path:
            try:
                self._library.export([preset.id], Path(path))
            except (PresetError, OSError) as exc:
                self._fail(str(exc))


class PresetBar(QWidget):
    """ "Preset: [General assistant ▾] More…" above the composer of a new chat.

    The first entry, "Default settings", uses the system prompt and sampling from
    Settings. "More…" opens the ``PresetPicker`` to preview and manage presets.
    """

    def __init__(self, library: PresetLibrary, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self._language = language
        self.setObjectName("presetBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 4, 16, 0)
        label = QLabel(self.tr("Preset:"), self)
        row.addWidget(label)
        self.combo = QComboBox(self)
        self.combo.setObjectName("presetCombo")
        self.combo.setAccessibleName(self.tr("Preset for this chat"))
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label.setBuddy(self.combo)
        row.addWidget(self.combo)
        more = QPushButton(self.tr("More…"), self)
        more.setObjectName("presetMoreButton")
        more.setToolTip(self.tr("Preview, create, import and export presets"))
        more.clicked.connect(self.open_picker)
        row.addWidget(more)
        row.addStretch(1)
        self.reload()

    @property
    def library(self) -> PresetLibrary:
        return self._library

    def reload(self, select: str | None = None) -> None:
        current = select if select is not None else self.combo.currentData()
        self.combo.clear()
        self.combo.addItem(self.tr("Default settings"), "")
        for preset in self._library.presets():
            self.combo.addItem(preset.name_for(self._language), preset.id)
            self.combo.setItemData(
                self.combo.count() - 1,
                preset.description_for(self._language),
                Qt.ItemDataRole.ToolTipRole,
            )
        index = self.combo.findData(current or "")
        self.combo.setCurrentIndex(max(0, index))

    def reset(self) -> None:
        self.combo.setCurrentIndex(0)

    def preset(self) -> Preset | None:
        """The chosen preset, or None for the default settings."""
        preset_id = self.combo.currentData()
        return self._library.get(preset_id) if preset_id else None

    @Slot()
    def open_picker(self) -> None:
        picker = PresetPicker(
            self._library, self._language, self.window(), start_label=self.tr("Use this preset")
        )
        current = self.combo.currentData()
        if current:
            picker.select(current)
        accepted = picker.exec() == QDialog.DialogCode.Accepted
        chosen = picker.chosen()
        self.reload(chosen.id if accepted and chosen else None)
