"""Stopping an answer: the Stop button and Esc end generation promptly and keep the text."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth
from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import Finished
from desktop_app.ui.chat.composer import Composer
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    LARGE_CONTEXT,
    LONG_ANSWER,
    Launcher,
    child,
    click,
    label_text,
    open_model,
    rows,
)

STOP_BOUND_S = 2.0
"""A generous sanity bound: the engine checks the flag before every token (~0.1 ms)."""


def start_long_answer(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> Hearth:
    hearth = launch(settings=LARGE_CONTEXT, generation_params=LONG_ANSWER)
    open_model(qtbot, hearth.window, monkeypatch, tiny_model)
    composer = child(hearth.window, Composer, "composer")
    qtbot.keyClicks(composer, "Tell me a very long story")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(rows(hearth)[-1].text), timeout=ANSWER_TIMEOUT_MS)
    assert hearth.bridge.is_generating
    return hearth


def stop_and_check(hearth: Hearth, qtbot: QtBot, stop: Callable[[], None]) -> None:
    with qtbot.waitSignal(hearth.bridge.turn_finished, timeout=ANSWER_TIMEOUT_MS) as finished:
        started = time.monotonic()
        stop()
    elapsed = time.monotonic() - started
    assert elapsed < STOP_BOUND_S

    result = finished.args[0]
    assert isinstance(result, Finished)
    assert result.reason is FinishReason.CANCELLED
    assert 0 < result.stats.generated_tokens < LONG_ANSWER.max_tokens

    answer = rows(hearth)[-1]
    assert answer.finish_reason is FinishReason.CANCELLED
    assert answer.text
    stored = hearth.store.messages(hearth.window.conversation_id or -1)[-1]
    assert stored.finish_reason is FinishReason.CANCELLED
    assert stored.content == answer.text, "the partial answer is kept, all of it"

    send = child(hearth.window, QPushButton, "sendButton")
    assert send.text() == "Send"
    assert f"{result.stats.generated_tokens} tokens" in label_text(hearth.window, "statusStats")


def test_the_stop_button_ends_the_answer_promptly(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = start_long_answer(launch, qtbot, monkeypatch, tiny_model)
    button = child(hearth.window, QPushButton, "sendButton")
    assert button.text() == "Stop"
    assert button.accessibleName() == "Stop generating"
    stop_and_check(hearth, qtbot, lambda: click(qtbot, button))


def test_escape_ends_the_answer_promptly(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = start_long_answer(launch, qtbot, monkeypatch, tiny_model)
    composer = child(hearth.window, Composer, "composer")
    stop_and_check(hearth, qtbot, lambda: qtbot.keyClick(composer, Qt.Key.Key_Escape))
