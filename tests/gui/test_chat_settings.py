"""Per-chat settings from the chat header, and what the header says about the context."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.engine.base import ChatTurn, GenerationParams
from desktop_app.core.settings import Settings
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.settings_dialog import ChatSettingsDialog
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


def say(qtbot: QtBot, hearth: object, composer: Composer, text: str) -> None:
    qtbot.keyClicks(composer, text)
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)  # type: ignore[arg-type]


def test_a_chat_keeps_its_own_system_prompt_and_sampling(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    button = child(window, QPushButton, "chatSettingsButton")
    assert not button.isEnabled()  # nothing to configure before the chat exists
    say(qtbot, hearth, child(window, Composer, "composer"), "Hello")
    assert button.isEnabled()

    click(qtbot, button)
    dialog = window.findChild(ChatSettingsDialog, "chatSettingsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.prompt.setPlainText("Answer in French.")
    click(qtbot, child(dialog, QCheckBox, "default_temperature"))
    temperature = dialog.editors["temperature"].widget
    assert isinstance(temperature, QDoubleSpinBox) and temperature.isEnabled()
    temperature.setValue(0.1)
    dialog.accept()

    conversation_id = window.conversation_id
    assert conversation_id is not None
    conversation = hearth.store.conversation(conversation_id)
    assert conversation is not None and conversation.system_prompt == "Answer in French."
    overrides = ChatOverrides.from_mapping(hearth.store.conversation_overrides(conversation_id))
    assert overrides.sampling == {"temperature": 0.1}
    assert overrides.params(SHORT_ANSWER).max_tokens == SHORT_ANSWER.max_tokens


def test_the_engine_answers_with_the_chats_own_prompt_and_sampling(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    """Guards: a chat's overrides reach the engine, not just the database: the next
    answer is generated with the chat's temperature, on top of the window's other
    parameters, and with the chat's system prompt first."""
    engine = RecordingEngine.recorder()
    hearth = launch(generation_params=SHORT_ANSWER, engine_factory=engine)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    composer = child(window, Composer, "composer")
    say(qtbot, hearth, composer, "Hello")
    [(turns, params)] = engine.received
    assert params == SHORT_ANSWER
    assert [turn.role for turn in turns] == ["user"]

    click(qtbot, child(window, QPushButton, "chatSettingsButton"))
    dialog = window.findChild(ChatSettingsDialog, "chatSettingsDialog")
    assert dialog is not None
    dialog.prompt.setPlainText("Answer in French.")
    click(qtbot, child(dialog, QCheckBox, "default_temperature"))
    temperature = dialog.editors["temperature"].widget
    assert isinstance(temperature, QDoubleSpinBox)
    temperature.setValue(0.1)
    dialog.accept()
    say(qtbot, hearth, composer, "Again")

    turns, params = engine.received[-1]
    assert params == GenerationParams(
        max_tokens=SHORT_ANSWER.max_tokens,
        temperature=0.1,
        seed=SHORT_ANSWER.seed,
        ignore_eos=True,
    )
    assert turns[0] == ChatTurn("system", "Answer in French.")
    assert [turn.content for turn in turns if turn.role == "user"] == ["Hello", "Again"]


def test_older_messages_left_out_are_announced(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    short = GenerationParams(max_tokens=40, ignore_eos=True, seed=3)
    hearth = launch(settings=Settings(context_length=256), generation_params=short)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    composer = child(window, Composer, "composer")
    notice = child(window, QLabel, "contextNotice")
    usage = child(window, QLabel, "contextUsageLabel")
    turns = 0
    while not notice.isVisible():
        turns += 1
        assert turns < 12, "the chat never outgrew a 256-token context"
        say(qtbot, hearth, composer, f"Message number {turns} with a few words in it.")
        assert usage.text().endswith(" / 256 tokens")
    assert notice.text().startswith("Older messages were left out")
    last = hearth.store.messages(window.conversation_id)[-1]  # type: ignore[arg-type]
    assert last.content, "the answer still came"


def test_a_chat_with_its_own_model_loads_it_before_answering(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    import shutil

    other = tiny_model.with_name("other-tiny.gguf")
    shutil.copyfile(tiny_model, other)
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    composer = child(window, Composer, "composer")
    say(qtbot, hearth, composer, "Hello")
    conversation_id = window.conversation_id
    assert conversation_id is not None
    hearth.store.set_conversation_overrides(conversation_id, {"model": str(other)})

    qtbot.keyClicks(composer, "Again")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: hearth.bridge.model is not None and hearth.bridge.model.path == str(other),
        timeout=ANSWER_TIMEOUT_MS,
    )
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    messages = hearth.store.messages(conversation_id)
    assert [m.content for m in messages if m.role.value == "user"] == ["Hello", "Again"]
    assert messages[-1].content
