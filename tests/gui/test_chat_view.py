"""The conversation view: layout caching, following the stream, the line under answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason, GenerationStats, Message, Role
from desktop_app.core.engine.base import Finished
from desktop_app.ui.chat.composer import MAX_LINES, Composer
from desktop_app.ui.chat.model import ChatListModel, ChatRoles, ChatRow, footer_text
from desktop_app.ui.chat.view import ChatView
from tests.gui.helpers import Launcher


def message(index: int, role: Role, text: str) -> Message:
    return Message(index, 1, role, text, 0.0, model="Tiny", finish_reason=FinishReason.STOP)


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[tuple[ChatView, ChatListModel]]:
    chat_view = ChatView()
    model = ChatListModel(chat_view)
    chat_view.setModel(model)
    chat_view.resize(480, 300)
    qtbot.addWidget(chat_view)
    chat_view.show()
    qtbot.waitExposed(chat_view)
    yield chat_view, model


def fill(model: ChatListModel, pairs: int) -> None:
    messages = []
    for n in range(pairs):
        messages.append(message(2 * n, Role.USER, f"Question {n}?"))
        messages.append(message(2 * n + 1, Role.ASSISTANT, f"Answer {n}. " * 30))
    model.set_messages(messages)


def test_streaming_relayouts_only_the_row_that_changed(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, model = view
    chat_view.resize(480, 1600)  # every row in sight: rows out of sight are only estimated
    fill(model, 3)
    model.add_user_message("More?")
    model.begin_answer("Tiny")
    qtbot.waitUntil(lambda: chat_view.delegate.cached_rows() == list(range(8)))
    first_height = chat_view.visualRect(model.index(7)).height()

    delegate = chat_view.delegate
    measured = delegate.measured
    model.append_text("word " * 200)
    assert delegate.measured == measured + 1, "only the changed row was measured again"
    qtbot.waitUntil(lambda: chat_view.visualRect(model.index(7)).height() > first_height)
    assert delegate.cached_rows() == list(range(8))
    assert delegate.measured == measured + 1, "the relayout reused every cached row"

    chat_view.resize(360, 300)
    qtbot.waitUntil(lambda: chat_view.visualRect(model.index(7)).width() < 360)
    assert chat_view.visualRect(model.index(7)).height() > first_height


def test_rows_out_of_sight_are_estimated_and_laid_out_when_they_come_into_sight(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, model = view
    fill(model, 100)
    chat_view.scroll_to_end()
    delegate = chat_view.delegate
    qtbot.waitUntil(lambda: 199 in delegate.cached_rows())
    assert 0 not in delegate.cached_rows(), "the top of a long chat is not laid out"
    assert len(delegate.cached_rows()) < 20

    chat_view.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: 0 in delegate.cached_rows())
    for row in (0, 1):
        index = model.index(row)
        qtbot.waitUntil(
            lambda index=index: (
                chat_view.visualRect(index).height() == delegate.laid_out_size(index).height()
            )
        )


def test_the_view_follows_the_stream_unless_the_user_scrolled_up(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, model = view
    fill(model, 6)
    model.add_user_message("Go on")
    model.begin_answer("Tiny")
    bar = chat_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    chat_view.scroll_to_end()

    for _ in range(5):
        model.append_text("more text " * 20)
        qtbot.waitUntil(lambda: bar.value() == bar.maximum() and chat_view.is_following)
    bottom = bar.maximum()

    bar.setValue(0)  # the user scrolls up to read
    assert not chat_view.is_following
    model.append_text("even more text " * 40)
    qtbot.waitUntil(lambda: bar.maximum() > bottom)
    assert bar.value() == 0, "reading position kept while the answer grows"

    bar.setValue(bar.maximum())  # back at the bottom: follow again
    assert chat_view.is_following
    before = bar.maximum()
    model.append_text("the end " * 40)
    qtbot.waitUntil(lambda: bar.maximum() > before and bar.value() == bar.maximum())


def test_the_line_under_an_answer_says_how_it_ended() -> None:
    stats = GenerationStats(
        prompt_tokens=9, generated_tokens=42, time_to_first_token_s=0.0123, tokens_per_s=87.25
    )
    row = ChatRow(Role.ASSISTANT, "Hi", model="Tiny", finish_reason=FinishReason.STOP, stats=stats)
    assert footer_text(row) == "Tiny · 42 tokens · 87.3 tok/s · TTFT 12 ms · stopped"
    words = {
        FinishReason.LENGTH: "length limit",
        FinishReason.CANCELLED: "cancelled",
        FinishReason.INTERRUPTED: "interrupted",
        FinishReason.ERROR: "error",
    }
    for reason, word in words.items():
        assert footer_text(ChatRow(Role.ASSISTANT, "", finish_reason=reason)).endswith(word)
    streaming = ChatRow(Role.ASSISTANT, "partial")
    assert footer_text(streaming) == ""
    assert footer_text(ChatRow(Role.USER, "Hi", finish_reason=FinishReason.STOP)) == ""


def test_the_model_exposes_rows_through_roles_and_finishes_the_streaming_row() -> None:
    model = ChatListModel()
    model.add_user_message("Hi")
    model.begin_answer("Tiny")
    model.append_text("Hel")
    model.append_text("lo")
    index = model.index(1)
    assert index.data(ChatRoles.IS_STREAMING) is True
    assert index.data(Qt.ItemDataRole.DisplayRole) == "Hello"
    model.finish_answer(Finished(FinishReason.ERROR, error="Disk full"))
    assert index.data(ChatRoles.FINISH_REASON) == "error"
    assert index.data(ChatRoles.ROLE) == "assistant"
    assert index.data(ChatRoles.MODEL_NAME) == "Tiny"
    assert index.data(ChatRoles.FOOTER).endswith("error: Disk full")
    assert "Assistant: Hello" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    model.append_text("ignored")
    assert index.data(ChatRoles.TEXT) == "Hello", "a finished answer does not change"


def test_the_composer_grows_with_its_text_up_to_a_limit(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.resize(400, composer.height())
    composer.show()
    start = composer.height()
    composer.setPlainText("\n".join(["line"] * 4))
    assert composer.height() > start
    composer.setPlainText("\n".join(["line"] * (MAX_LINES + 10)))
    tallest = composer.height()
    composer.setPlainText("\n".join(["line"] * (MAX_LINES + 30)))
    assert composer.height() == tallest
    composer.clear()
    assert composer.height() == start


def test_about_says_it_runs_on_this_computer(launch: Launcher, qtbot: QtBot) -> None:
    hearth = launch()
    action = hearth.window.findChild(QAction, "aboutAction")
    assert action is not None
    action.trigger()
    box = hearth.window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "runs entirely on this computer" in box.informativeText()
    box.accept()


def test_an_answer_laid_out_piece_by_piece_matches_one_laid_out_at_once(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, model = view
    model.add_user_message("Stream please")
    model.begin_answer("Tiny")
    for n in range(60):
        model.append_text(f"piece {n} " + ("\n\n" if n % 7 == 6 else ""))
    qtbot.waitUntil(lambda: chat_view.delegate.cached_rows() == [0, 1])
    streamed = chat_view.visualRect(model.index(1)).height()
    chat_view.delegate.invalidate_all()
    chat_view.scheduleDelayedItemsLayout()
    qtbot.waitUntil(lambda: chat_view.delegate.cached_rows() == [0, 1])
    assert chat_view.visualRect(model.index(1)).height() == streamed
