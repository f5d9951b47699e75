"""Chatting: Enter sends, the answer streams in, Shift+Enter and input methods behave."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineEvent,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.model import ChatRoles
from desktop_app.ui.chat.view import ChatView
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    SHORT_ANSWER,
    Launcher,
    answer_finished,
    child,
    click,
    label_text,
    open_model,
    rows,
)
from tests.tiny_model import MODEL_NAME


def test_enter_sends_and_the_answer_streams_into_the_view(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    composer = child(window, Composer, "composer")
    assert composer.hasFocus(), "the composer is ready for typing once the model is loaded"
    assert composer.placeholderText().startswith("Message Hearth…")

    streamed: list[str] = []
    hearth.bridge.text_received.connect(streamed.append)
    qtbot.keyClicks(composer, "Hello there")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)

    user, answer = rows(hearth)
    assert (user.role, user.text) == (Role.USER, "Hello there")
    assert answer.role is Role.ASSISTANT and answer.text
    assert answer.text == "".join(streamed)
    assert answer.finish_reason is FinishReason.LENGTH
    assert answer.stats is not None and answer.stats.generated_tokens == SHORT_ANSWER.max_tokens
    assert composer.toPlainText() == ""
    assert "Hello there" in window.windowTitle()

    view = child(window, ChatView, "chatView")
    footer = view.model().index(1, 0).data(ChatRoles.FOOTER)
    assert MODEL_NAME in footer and "60 tokens" in footer and "tok/s" in footer
    assert "TTFT" in footer and "length limit" in footer

    stats = label_text(window, "statusStats")
    assert "60 tokens" in stats and "tok/s" in stats and "TTFT" in stats
    assert label_text(window, "statusModel") == MODEL_NAME

    stored = hearth.store.messages(window.conversation_id or -1)
    assert [(m.role, m.content) for m in stored] == [
        (Role.USER, "Hello there"),
        (Role.ASSISTANT, answer.text),
    ]


def test_shift_enter_inserts_a_new_line_instead_of_sending(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    open_model(qtbot, hearth.window, monkeypatch, tiny_model)
    composer = child(hearth.window, Composer, "composer")

    qtbot.keyClicks(composer, "line one")
    qtbot.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer, "line two")
    assert composer.toPlainText() == "line one\nline two"
    assert rows(hearth) == []

    qtbot.keyClick(composer, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert rows(hearth)[0].text == "line one\nline two"


def test_enter_during_input_method_composition_does_not_send(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    open_model(qtbot, hearth.window, monkeypatch, tiny_model)
    composer = child(hearth.window, Composer, "composer")

    QCoreApplication.sendEvent(composer, QInputMethodEvent("ni hao", []))
    assert composer.is_composing
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert rows(hearth) == [], "Enter belongs to the input method while it composes"

    commit = QInputMethodEvent("", [])
    commit.setCommitString("你好")
    QCoreApplication.sendEvent(composer, commit)
    assert not composer.is_composing
    assert composer.toPlainText() == "你好"
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert rows(hearth)[0].text == "你好"


def test_blank_messages_are_not_sent_and_the_send_button_sends(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    open_model(qtbot, hearth.window, monkeypatch, tiny_model)
    composer = child(hearth.window, Composer, "composer")
    send = child(hearth.window, QPushButton, "sendButton")

    qtbot.keyClicks(composer, "   ")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    click(qtbot, send)
    assert rows(hearth) == []

    composer.clear()
    qtbot.keyClicks(composer, "Via the button")
    click(qtbot, send)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert rows(hearth)[0].text == "Via the button"
    assert send.text() == "Send"


def test_new_chat_starts_a_fresh_conversation_on_its_first_message(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    composer = child(window, Composer, "composer")
    qtbot.keyClicks(composer, "First chat")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    first_id = window.conversation_id

    qtbot.keyClick(composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert rows(hearth) == []
    assert window.conversation_id is None
    assert len(hearth.store.conversations()) == 1, "a new chat is only stored once it is used"

    qtbot.keyClicks(composer, "Second chat")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert window.conversation_id not in (None, first_id)
    assert [c.title for c in hearth.store.conversations()] == ["Second chat", "First chat"]
    assert rows(hearth)[0].text == "Second chat"


class FailingEngine(LlamaEngine):
    """Streams a few words, then fails the way a broken backend would."""

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        yield TextDelta("Partial ", 1)
        yield TextDelta("answer", 2)
        raise RuntimeError("the GPU went away")


@pytest.mark.allow_log("desktop_app.ui.engine.worker")  # the bug is logged with its traceback
def test_a_failing_answer_shows_the_error_and_keeps_its_text(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(engine_factory=FailingEngine)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    composer = child(window, Composer, "composer")
    qtbot.keyClicks(composer, "Try")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)

    answer = rows(hearth)[-1]
    assert answer.text == "Partial answer"
    assert answer.finish_reason is FinishReason.ERROR
    assert "the GPU went away" in (answer.error or "")
    assert child(window, QWidget, "errorBanner").isVisible()
    assert "the GPU went away" in label_text(window, "errorBannerText")
    assert child(window, QPushButton, "sendButton").isEnabled(), "the app stays usable"
