"""Presets in the window: pick one for a new chat, manage your own, see it take effect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QListWidget, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.presets import PresetLibrary
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.preset_picker import PresetEditor, PresetPicker
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    SHORT_ANSWER,
    Launcher,
    RecordingEngine,
    answer_finished,
    child,
    click,
    open_model,
)


@pytest.fixture
def library(tmp_path: Path) -> PresetLibrary:
    return PresetLibrary(tmp_path / "config")


def picker_of(qtbot: QtBot, library: PresetLibrary, language: str = "en") -> PresetPicker:
    picker = PresetPicker(library, language)
    qtbot.addWidget(picker)
    picker.show()
    return picker


def names(picker: PresetPicker) -> list[str]:
    shown = child(picker, QListWidget, "presetList")
    return [shown.item(i).text() for i in range(shown.count())]


def test_choosing_a_preset_previews_it_and_starts_the_chat(
    qtbot: QtBot, library: PresetLibrary
) -> None:
    picker = picker_of(qtbot, library)
    assert names(picker) == [
        "General assistant",
        "Translator (Chinese ⇄ English)",
        "Summariser",
        "Sentiment analyst",
        "Explainer / Q&A",
        "Writer",
    ]
    picker.select("sentiment")
    preview = child(picker, QLabel, "presetPreview").text()
    assert '"sentiment" (positive, negative, neutral or mixed)' in preview
    assert not child(picker, QPushButton, "preset_delete_button").isEnabled()
    click(qtbot, child(picker, QPushButton, "startChatButton"))
    assert picker.result() == QDialog.DialogCode.Accepted
    assert picker.chosen() is not None and picker.chosen().id == "sentiment"  # type: ignore[union-attr]


def test_the_picker_speaks_chinese_when_the_app_does(qtbot: QtBot, library: PresetLibrary) -> None:
    picker = picker_of(qtbot, library, "zh_CN")
    assert names(picker)[:2] == ["通用助手", "翻译（中文 ⇄ 英文）"]
    picker.select("translator")
    assert "中英翻译" in child(picker, QLabel, "presetPreview").text()


def test_create_duplicate_and_delete_your_own(
    qtbot: QtBot, library: PresetLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill_in(editor: PresetEditor) -> int:
        editor.name.setText("Pirate")
        editor.prompt.setPlainText("Answer like a pirate.")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PresetEditor, "exec", fill_in)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a: QMessageBox.StandardButton.Yes)
    )
    picker = picker_of(qtbot, library)
    click(qtbot, child(picker, QPushButton, "preset_new_button"))
    assert names(picker)[-1] == "Pirate (mine)"
    assert picker.current() is not None
    assert picker.current().system_prompt_for("en") == "Answer like a pirate."  # type: ignore[union-attr]
    picker.select("writer")
    click(qtbot, child(picker, QPushButton, "preset_duplicate_button"))
    assert names(picker)[-1] == "Writer (copy) (mine)"
    click(qtbot, child(picker, QPushButton, "preset_delete_button"))
    assert names(picker)[-1] == "Pirate (mine)"
    assert [p.id for p in PresetLibrary(library.path.parent).presets()][-1] == "pirate"


def test_a_bad_import_is_explained_and_changes_nothing(
    qtbot: QtBot, library: PresetLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text: warnings.append(text))
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x", "name": "X", "sampling": {"top_p": 3}}), "utf-8")
    picker = picker_of(qtbot, library)
    assert not picker.import_from(bad)
    assert warnings == [
        "bad.json, preset 1: sampling: 'generation.top_p' must be a number from 0 to 1, not 3"
    ]
    assert len(names(picker)) == 6


def test_a_new_chat_with_the_translator_preset(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    engine = RecordingEngine.recorder()
    hearth = launch(generation_params=SHORT_ANSWER, engine_factory=engine)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    combo = child(window, QComboBox, "presetCombo")
    assert combo.isVisible() and combo.currentText() == "Default settings"
    combo.setCurrentIndex(combo.findData("translator"))
    composer = child(window, Composer, "composer")
    composer.insertPlainText("你好，世界")  # QTest cannot type CJK; an input method would
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)

    assert not combo.isVisible()
    conversation = hearth.store.conversation(window.conversation_id)  # type: ignore[arg-type]
    assert conversation is not None
    assert conversation.system_prompt.startswith("You are a professional translator")
    overrides = ChatOverrides.from_mapping(hearth.store.conversation_overrides(conversation.id))
    assert overrides.preset == "translator" and overrides.sampling["temperature"] == 0.2
    usage = child(window, QLabel, "contextUsageLabel").text()
    assert usage.endswith(" / 4k tokens") and usage != "0 / 4k tokens"
    # What the engine was asked with, not only what was stored: the preset's prompt
    # and its temperature, on top of the window's other parameters.
    [(turns, params)] = engine.received
    assert turns[0].role == "system" and turns[0].content == conversation.system_prompt
    assert turns[-1].content == "你好，世界"
    assert (params.temperature, params.top_p, params.repeat_penalty) == (0.2, 0.9, 1.05)
    assert (params.max_tokens, params.seed) == (SHORT_ANSWER.max_tokens, SHORT_ANSWER.seed)

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert combo.isVisible() and combo.currentText() == "Default settings"
