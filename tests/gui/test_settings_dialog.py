"""The Settings dialog: opened with Ctrl+,, built from the declaration, saved atomically."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.core.engine.base import ModelInfo
from desktop_app.core.gpu.plan import AUTO
from desktop_app.core.hardware import Device, HardwareInfo
from desktop_app.core.paths import app_paths
from desktop_app.core.settings import Settings, load_settings
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.extensions.api import WindowApi
from desktop_app.ui.settings.dialog import SettingsDialog
from tests.gui.helpers import Launcher, child, click

HARDWARE = HardwareInfo(
    "Test CPU 9000",
    8,
    16,
    32 << 30,
    20 << 30,
    True,
    (Device("CPU", "Test CPU 9000", "CPU", 32 << 30, 20 << 30),
     Device("CUDA0", "Test GPU", "GPU", 8 << 30, 7 << 30)),
    ("CPU", "CUDA"),
)  # fmt: skip


def dialog_of(qtbot: QtBot, tmp_path: Path, settings: Settings | None = None) -> SettingsDialog:
    dialog = SettingsDialog(settings or Settings(), tmp_path, lambda: HARDWARE)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ok_button(dialog: SettingsDialog) -> QPushButton:
    box = child(dialog, QDialogButtonBox, "settingsButtons")
    return box.button(QDialogButtonBox.StandardButton.Ok)


class ExtraPageFeature:
    """Another area that adds a Settings page through the extension API."""

    name = "extra"

    def install(self, api: WindowApi) -> None:
        api.add_settings_page(lambda: ("Extra", QLabel("Another area's page")))


def test_ctrl_comma_opens_settings_and_ok_saves_them(launch: Launcher, qtbot: QtBot) -> None:
    hearth = launch(restore=False)
    window = hearth.window
    window.install_features([ExtraPageFeature()])
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(SettingsDialog, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    pages = ["General", "Generation", "Hardware", "Privacy", "Endpoints", "Documents", "Tools"]
    pages.append("Extra")
    assert dialog.page_titles() == pages

    theme = dialog.editor("theme")
    assert isinstance(theme, QComboBox)
    theme.setCurrentIndex(theme.findData("dark"))
    dialog.show_page("Generation")
    temperature = dialog.editor("generation.temperature")
    assert isinstance(temperature, QDoubleSpinBox)
    temperature.selectAll()
    qtbot.keyClicks(temperature, "0.25")
    send_key = dialog.editor("send_key")
    assert isinstance(send_key, QComboBox)
    send_key.setCurrentIndex(send_key.findData("ctrl+enter"))
    click(qtbot, ok_button(dialog))

    assert not dialog.isVisible()
    saved, warning = load_settings(app_paths().config_dir)
    assert warning is None
    assert (saved.theme, saved.generation.temperature, saved.send_key) == (
        "dark",
        0.25,
        "ctrl+enter",
    )
    assert window.settings == saved
    composer = child(window, Composer, "composer")
    assert "Ctrl+Enter to send" in composer.placeholderText()


def test_ctrl_enter_sends_when_chosen(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_ctrl_enter_sends(True)
    sent: list[str] = []
    composer.submitted.connect(sent.append)
    qtbot.keyClicks(composer, "one")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.keyClicks(composer, "two")
    assert sent == [] and composer.message() == "one\ntwo"
    qtbot.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == ["one\ntwo"]


def test_a_bad_value_is_explained_and_nothing_is_saved(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_of(qtbot, tmp_path)
    folder = dialog.editor("models_dir").findChild(QLineEdit)
    assert folder is not None
    folder.setText("first line\nsecond line")
    click(qtbot, ok_button(dialog))
    error = child(dialog, QLabel, "settingsError")
    assert dialog.isVisible() and error.isVisible()
    assert error.text() == "'models_dir' must be a single line"
    assert not (tmp_path / "settings.json").exists()


def test_restore_defaults_resets_the_forms(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_of(qtbot, tmp_path, Settings(n_batch=64, font_size=18))
    batch = dialog.editor("n_batch")
    assert isinstance(batch, QSpinBox) and batch.value() == 64
    box = child(dialog, QDialogButtonBox, "settingsButtons")
    click(qtbot, box.button(QDialogButtonBox.StandardButton.RestoreDefaults))
    assert batch.value() == 512
    click(qtbot, box.button(QDialogButtonBox.StandardButton.Apply))
    assert load_settings(tmp_path)[0].font_size == 0


def test_the_hardware_page_shows_this_computer_and_recommends(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_of(qtbot, tmp_path)
    dialog.show_page("Hardware")
    page = child(dialog, QWidget, "hardwareInfo")
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert "Test CPU 9000" in texts and "8 cores, 16 threads" in texts
    assert "Yes: this build of llama.cpp can run layers on a GPU" in texts
    assert any("CUDA0 — Test GPU (GPU, 7.0 GB free of 8.0 GB)" in text for text in texts)
    assert "CPU, CUDA" in texts
    click(qtbot, child(dialog, QPushButton, "recommendedHardwareButton"))
    threads, layers = dialog.editor("n_threads"), dialog.editor("n_gpu_layers")
    assert isinstance(threads, QSpinBox) and isinstance(layers, QSpinBox)
    assert (threads.value(), layers.value(), layers.text()) == (8, AUTO, "Automatic")


def test_the_hardware_page_says_where_the_loaded_model_runs(qtbot: QtBot, tmp_path: Path) -> None:
    placement = "26/26 layers on CUDA0 (Test GPU, 8.0 GB), KV cache on GPU"
    model = ModelInfo("Tiny", "/models/tiny.gguf", "llama", 4096, "ChatML", offload=placement)
    dialog = SettingsDialog(Settings(), tmp_path, lambda: HARDWARE, None, model)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_page("Hardware")
    assert child(dialog, QLabel, "modelPlacementLabel").text() == placement
    without = dialog_of(qtbot, tmp_path)
    assert without.findChild(QLabel, "modelPlacementLabel") is None


def test_delete_all_data_asks_twice(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = dialog_of(qtbot, tmp_path)
    dialog.show_page("Privacy")
    statement = child(dialog, QLabel, "privacyStatement").text()
    assert "nothing you type is sent anywhere" in statement and "no telemetry" in statement
    answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel]
    asked: list[str] = []

    def answer(_parent: object, title: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(answer))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(answer))
    requested: list[bool] = []
    dialog.delete_data_requested.connect(lambda: requested.append(True))
    button = child(dialog, QPushButton, "deleteAllDataButton")
    click(qtbot, button)
    assert asked == ["Delete all your data?", "Are you sure?"] and requested == []
    answers[:] = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes]
    click(qtbot, button)
    assert requested == [True]


def test_the_dialog_speaks_chinese_with_its_translation(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desktop_app.resources import resource_path

    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "settings_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        dialog = dialog_of(qtbot, tmp_path)
        assert dialog.page_titles() == ["常规", "生成", "硬件", "隐私"]
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert "温度" in labels and "上下文长度" in labels
        theme = dialog.editor("theme")
        assert isinstance(theme, QComboBox) and theme.itemText(2) == "深色"
    finally:
        QCoreApplication.removeTranslator(translator)
