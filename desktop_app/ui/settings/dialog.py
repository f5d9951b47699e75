"""The Settings dialog: its forms are built from the settings declaration.

Each declared setting (``desktop_app.core.settings.declarations``) becomes one row
with an editor chosen by its type, its translated label, and its description under
it. Saving validates every value with the declared types and writes the file
atomically; ``settings_saved`` then carries the new ``Settings``.

Other parts of Hearth mount their own pages with ``add_page(title, widget)``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.engine.base import ModelInfo
from desktop_app.core.hardware import HardwareInfo, format_bytes
from desktop_app.core.setting_types import (
    Bool,
    Choice,
    Float,
    Int,
    OptionalInt,
    SettingError,
    Text,
    Translatable,
)
from desktop_app.core.settings import (
    GENERAL,
    GENERATION,
    HARDWARE,
    Declaration,
    Settings,
    declarations,
    save_settings,
)

_CONTEXT = "Settings"
SEED_RANDOM = -1


def tr_setting(text: str) -> str:
    """Translate a label or description declared in core, in the context it was marked
    with (QT_TRANSLATE_NOOP); an unmarked text (a language's own name) in "Settings"."""
    context = text.context if isinstance(text, Translatable) else _CONTEXT
    return QCoreApplication.translate(context, text)


class SettingEditor:
    """One editor widget bound to one declared setting."""

    def __init__(self, declaration: Declaration, parent: QWidget) -> None:
        self.declaration = declaration
        self.widget = self._make(declaration, parent)
        self.widget.setObjectName(f"setting_{declaration.key.replace('.', '_')}")
        self.widget.setAccessibleName(tr_setting(declaration.label))
        self.widget.setToolTip(tr_setting(declaration.description))

    def _make(self, declaration: Declaration, parent: QWidget) -> QWidget:
        kind = declaration.type
        if isinstance(kind, Bool):
            return QCheckBox(parent)
        if isinstance(kind, Choice):
            combo = QComboBox(parent)
            for value, label in kind.choices:
                combo.addItem(tr_setting(label), value)
            return combo
        if isinstance(kind, Int):
            spin = QSpinBox(parent)
            spin.setRange(kind.minimum, kind.maximum)
            for special, label in kind.special:
                if special == kind.minimum:
                    spin.setSpecialValueText(tr_setting(label))
            return spin
        if isinstance(kind, OptionalInt):
            spin = QSpinBox(parent)
            spin.setRange(SEED_RANDOM, kind.maximum)
            spin.setSpecialValueText(QCoreApplication.translate("Settings", "Random"))
            return spin
        if isinstance(kind, Float):
            float_spin = QDoubleSpinBox(parent)
            float_spin.setRange(kind.minimum, kind.maximum)
            float_spin.setDecimals(kind.decimals)
            float_spin.setSingleStep(0.05)
            return float_spin
        if isinstance(kind, Text) and kind.multiline:
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(80)
            return edit
        if isinstance(kind, Text) and kind.folder:
            return _FolderEdit(parent)
        return QLineEdit(parent)

    @property
    def typed_as_text(self) -> bool:
        """Whether the user types this value as text, read with the type's ``from_str``."""
        return isinstance(self.widget, (QPlainTextEdit, _FolderEdit, QLineEdit))

    def set_value(self, value: Any) -> None:
        widget = self.widget
        if self.typed_as_text:
            value = self.declaration.type.to_str(value)
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        elif isinstance(widget, QSpinBox):
            widget.setValue(SEED_RANDOM if value is None else int(value))
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, _FolderEdit):
            widget.line.setText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)

    def value(self) -> Any:
        widget = self.widget
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QSpinBox):
            if isinstance(self.declaration.type, OptionalInt) and widget.value() == SEED_RANDOM:
                return None
            return widget.value()
        if isinstance(widget, QDoubleSpinBox):
            return round(widget.value(), widget.decimals())
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, _FolderEdit):
            return widget.line.text().strip()
        if isinstance(widget, QLineEdit):
            return widget.text()
        raise TypeError(type(widget))


class _FolderEdit(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(self.tr("Hearth's own folder"))
        row.addWidget(self.line, 1)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.setObjectName("browseFolderButton")
        browse.clicked.connect(self._browse)
        row.addWidget(browse)

    @Slot()
    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a folder"), self.line.text()
        )
        if folder:
            self.line.setText(folder)


def _muted(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


class SettingsDialog(QDialog):
    """Settings in pages: General, Generation, Hardware, Privacy, and any added ones.

    ``settings_saved(Settings)`` after a successful save; ``delete_data_requested``
    once the user has confirmed twice that all their data should go.
    """

    settings_saved = Signal(object)
    delete_data_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        config_dir: Path,
        hardware_info: Callable[[], HardwareInfo] | None = None,
        parent: QWidget | None = None,
        loaded_model: ModelInfo | None = None,
    ) -> None:
        super().__init__(parent)
        self._loaded_model = loaded_model
        self._settings = settings
        self._config_dir = config_dir
        self._editors: dict[str, SettingEditor] = {}
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.resize(760, 560)

        self._page_list = QListWidget(self)
        self._page_list.setObjectName("settingsPageList")
        self._page_list.setAccessibleName(self.tr("Settings pages"))
        self._page_list.setMaximumWidth(180)
        self._pages = QStackedWidget(self)
        self._pages.setObjectName("settingsPages")
        self._page_list.currentRowChanged.connect(self._pages.setCurrentIndex)

        self.add_page(self.tr("General"), self._declared_page(GENERAL))
        self.add_page(self.tr("Generation"), self._declared_page(GENERATION))
        self.add_page(self.tr("Hardware"), self._hardware_page(hardware_info))
        self.add_page(self.tr("Privacy"), self._privacy_page())

        self._error = QLabel(self)
        self._error.setObjectName("settingsError")
        self._error.setWordWrap(True)
        self._error.setStyleSheet("color: #c0392b;")
        self._error.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.setObjectName("settingsButtons")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        buttons.clicked.connect(self._clicked)
        self._buttons = buttons

        body = QHBoxLayout()
        body.addWidget(self._page_list)
        body.addWidget(self._pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self._error)
        layout.addWidget(buttons)
        self._show(settings)
        self._page_list.setCurrentRow(0)

    # Public API

    def add_page(self, title: str, page: QWidget) -> None:
        """Mount a page (another area's settings) under ``title`` in the page list."""
        page.setParent(self._pages)
        if not page.objectName():
            page.setObjectName(f"settingsPage_{self._pages.count()}")
        if not page.accessibleName():
            page.setAccessibleName(title)
        self._pages.addWidget(page)
        self._page_list.addItem(title)

    def page_titles(self) -> list[str]:
        return [self._page_list.item(i).text() for i in range(self._page_list.count())]

    def show_page(self, title: str) -> None:
        titles = self.page_titles()
        if title in titles:
            self._page_list.setCurrentRow(titles.index(title))

    def editor(self, key: str) -> QWidget:
        """The editor widget of a declared setting (for tests and other pages)."""
        return self._editors[key].widget

    @property
    def settings(self) -> Settings:
        """The settings as last saved (or as given)."""
        return self._settings

    # Pages

    def _declared_page(self, page: str) -> QScrollArea:
        scroll = QScrollArea(self)
        scroll.setObjectName(f"settingsPage_{page}")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget(scroll)
        form = QFormLayout(content)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_rows(form, content, declarations(page))
        scroll.setWidget(content)
        return scroll

    def _add_rows(self, form: QFormLayout, parent: QWidget, items: list[Declaration]) -> None:
        for declaration in items:
            editor = SettingEditor(declaration, parent)
            self._editors[declaration.key] = editor
            cell = QWidget(parent)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 6)
            column.setSpacing(2)
            column.addWidget(editor.widget)
            column.addWidget(_muted(tr_setting(declaration.description), cell))
            label = QLabel(tr_setting(declaration.label), parent)
            label.setBuddy(editor.widget)
            form.addRow(label, cell)

    def _hardware_page(self, hardware_info: Callable[[], HardwareInfo] | None) -> QWidget:
        page = self._declared_page(HARDWARE)
        content = page.widget()
        form = content.layout() if content is not None else None
        assert content is not None and isinstance(form, QFormLayout)
        box = QGroupBox(self.tr("This computer"), content)
        box.setObjectName("hardwareInfo")
        rows = QFormLayout(box)
        if hardware_info is None:
            from desktop_app.core.hardware import detect

            hardware_info = detect
        info = hardware_info()
        self._hardware = info
        cores = self.tr("%1 cores, %2 threads")
        rows.addRow(self.tr("Processor"), QLabel(info.cpu_name, box))
        rows.addRow(
            self.tr("Cores"),
            QLabel(
                cores.replace("%1", str(info.physical_cores)).replace(
                    "%2", str(info.logical_cores)
                ),
                box,
            ),
        )
        memory = self.tr("%1 (%2 free)")
        rows.addRow(
            self.tr("Memory"),
            QLabel(
                memory.replace("%1", format_bytes(info.ram_total)).replace(
                    "%2", format_bytes(info.ram_available)
                ),
                box,
            ),
        )
        offload = QLabel(
            self.tr("Yes: this build of llama.cpp can run layers on a GPU")
            if info.gpu_offload
            else self.tr("No: this build of llama.cpp runs on the CPU only"),
            box,
        )
        offload.setObjectName("gpuOffloadLabel")
        rows.addRow(self.tr("GPU offload"), offload)
        backends = QLabel(", ".join(info.backends) or self.tr("Unknown"), box)
        backends.setObjectName("backendsLabel")
        rows.addRow(self.tr("llama.cpp backends"), backends)
        free_of = self.tr("%1 free of %2")
        device_lines = [
            f"{d.name} — {d.description} ({d.kind}"
            + (
                ", "
                + free_of.replace("%1", format_bytes(d.memory_free)).replace(
                    "%2", format_bytes(d.memory_total)
                )
                if d.memory_total
                else ""
            )
            + ")"
            for d in info.devices
        ]
        devices = QLabel("\n".join(device_lines) or self.tr("None found"), box)
        devices.setObjectName("devicesLabel")
        devices.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rows.addRow(self.tr("Devices"), devices)
        if self._loaded_model is not None and self._loaded_model.offload:
            placement = QLabel(self._loaded_model.offload, box)
            placement.setObjectName("modelPlacementLabel")
            placement.setWordWrap(True)
            placement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            rows.addRow(self.tr("Loaded model"), placement)
        recommend = QPushButton(self.tr("Use recommended threads and GPU layers"), box)
        recommend.setObjectName("recommendedHardwareButton")
        recommend.setToolTip(
            self.tr("%1 threads, GPU layers: %2")
            .replace("%1", str(info.recommended_threads))
            .replace("%2", self.tr("automatic") if info.recommended_gpu_layers != 0 else "0")
        )
        recommend.clicked.connect(self._use_recommended)
        rows.addRow("", recommend)
        form.insertRow(0, box)
        note = _muted(self.tr("Changes here take effect the next time a model is loaded."), content)
        form.addRow(note)
        return page

    @Slot()
    def _use_recommended(self) -> None:
        self._editors["n_threads"].set_value(self._hardware.recommended_threads)
        self._editors["n_gpu_layers"].set_value(self._hardware.recommended_gpu_layers)

    def _privacy_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("settingsPage_privacy")
        column = QVBoxLayout(page)
        statement = QLabel(
            self.tr(
                "<h3>Your data stays on this computer</h3>"
                "<p>Hearth runs models on this computer. Your messages, answers, settings "
                "and presets are stored only here, and nothing you type is sent anywhere.</p>"
                "<p>Hearth has no telemetry, no analytics and no crash reporting. It only "
                "goes online when you ask it to: to search for or download a model, or to "
                "use a remote server you set up yourself.</p>"
            ),
            page,
        )
        statement.setObjectName("privacyStatement")
        statement.setWordWrap(True)
        statement.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(statement)
        column.addSpacing(12)
        delete = QPushButton(self.tr("Delete all my data…"), page)
        delete.setObjectName("deleteAllDataButton")
        delete.setToolTip(
            self.tr("Deletes every conversation, your settings and presets, and cached state.")
        )
        delete.clicked.connect(self._confirm_delete)
        column.addWidget(delete, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(
            _muted(
                self.tr(
                    "Downloaded model files are kept; delete them from the models folder "
                    "if you wish."
                ),
                page,
            )
        )
        column.addStretch(1)
        return page

    @Slot()
    def _confirm_delete(self) -> None:
        first = QMessageBox.warning(
            self,
            self.tr("Delete all your data?"),
            self.tr(
                "This deletes every conversation, your settings and presets, and cached "
                "state. It cannot be undone."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if first != QMessageBox.StandardButton.Yes:
            return
        second = QMessageBox.critical(
            self,
            self.tr("Are you sure?"),
            self.tr("Really delete everything now? Hearth will close afterwards."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if second != QMessageBox.StandardButton.Yes:
            return
        self.delete_data_requested.emit()
        self.reject()

    # Values

    def _show(self, settings: Settings) -> None:
        for key, editor in self._editors.items():
            editor.set_value(settings.value(key))

    def collect(self) -> Settings:
        """The settings shown in the forms; raises ``SettingError`` for a bad value."""
        settings = self._settings
        for key, editor in self._editors.items():
            if editor.typed_as_text:
                settings = settings.with_text(key, editor.value())
            else:
                settings = settings.with_value(key, editor.value())
        return settings

    def save(self) -> bool:
        """Validate and save; on failure show why, focus the field, and return False."""
        try:
            settings = self.collect()
        except SettingError as exc:
            self._show_error(str(exc))
            editor = self._editors.get(exc.key)
            if editor is not None:
                editor.widget.setFocus()
            return False
        try:
            save_settings(self._config_dir, settings)
        except OSError as exc:
            self._show_error(
                self.tr("Could not save the settings: %1").replace("%1", exc.strerror or str(exc))
            )
            return False
        self._error.hide()
        self._settings = settings
        self.settings_saved.emit(settings)
        return True

    def _show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.show()

    @Slot()
    def _accept(self) -> None:
        if self.save():
            self.accept()

    @Slot(QAbstractButton)
    def _clicked(self, button: QAbstractButton) -> None:
        role = self._buttons.buttonRole(button)
        if role == QDialogButtonBox.ButtonRole.ApplyRole:
            self.save()
        elif role == QDialogButtonBox.ButtonRole.ResetRole:
            defaults = Settings()
            for key, editor in self._editors.items():
                editor.set_value(defaults.value(key))
