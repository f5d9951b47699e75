"""Conversations survive a restart, and closing the window mid-answer loses nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.ui.chat.composer import Composer
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    LARGE_CONTEXT,
    LOAD_TIMEOUT_MS,
    LONG_ANSWER,
    SHORT_ANSWER,
    Launcher,
    answer_finished,
    child,
    label_text,
    open_model,
    rows,
)

CLOSE_BOUND_S = 5.0


def test_quit_and_restart_the_conversation_is_still_there(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    first = launch(generation_params=SHORT_ANSWER)
    open_model(qtbot, first.window, monkeypatch, tiny_model)
    composer = child(first.window, Composer, "composer")
    qtbot.keyClicks(composer, "Remember this")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(first), timeout=ANSWER_TIMEOUT_MS)
    before = [(row.role, row.text, row.finish_reason) for row in rows(first)]
    qtbot.keyClick(composer, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not first.window.isVisible()
    assert not first.bridge.is_running
    assert first.close()

    second = launch(generation_params=SHORT_ANSWER)
    after = [(row.role, row.text, row.finish_reason) for row in rows(second)]
    assert after == before
    assert after[0][:2] == (Role.USER, "Remember this")
    assert "Remember this" in second.window.windowTitle()
    assert "tok/s" in label_text(second.window, "statusStats")

    # The conversation is readable at once, before any model is loaded.
    assert child(second.window, QWidget, "chatPage").isVisible()

    # The last model comes back too, and the conversation goes on where it was.
    qtbot.waitUntil(lambda: second.bridge.model is not None, timeout=LOAD_TIMEOUT_MS)
    composer = child(second.window, Composer, "composer")
    qtbot.keyClicks(composer, "And this")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(second), timeout=ANSWER_TIMEOUT_MS)
    stored = second.store.messages(second.window.conversation_id or -1)
    assert [m.content for m in stored if m.role is Role.USER] == ["Remember this", "And this"]
    assert len(second.store.conversations()) == 1


def test_closing_the_window_mid_answer_exits_cleanly_and_keeps_the_text(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(settings=LARGE_CONTEXT, generation_params=LONG_ANSWER)
    open_model(qtbot, hearth.window, monkeypatch, tiny_model)
    composer = child(hearth.window, Composer, "composer")
    qtbot.keyClicks(composer, "Keep talking")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(rows(hearth)[-1].text), timeout=ANSWER_TIMEOUT_MS)
    shown = rows(hearth)[-1].text
    conversation_id = hearth.window.conversation_id or -1

    started = time.monotonic()
    hearth.window.close()
    assert time.monotonic() - started < CLOSE_BOUND_S
    assert not hearth.window.isVisible()
    assert not hearth.bridge.is_running, "the engine thread has ended"

    answer = hearth.store.messages(conversation_id)[-1]
    assert answer.role is Role.ASSISTANT
    assert answer.finish_reason is FinishReason.CANCELLED
    assert answer.content.startswith(shown), "everything shown was saved"
    assert answer.stats is not None and 0 < answer.stats.generated_tokens < LONG_ANSWER.max_tokens
