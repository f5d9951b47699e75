"""Answers shown as Markdown: links and code actions, thoughts, copying, jump to latest."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason, GenerationStats, Message, Role
from desktop_app.ui.chat.model import ChatListModel
from desktop_app.ui.chat.view import ChatView
from desktop_app.ui.shared.theme import apply_theme

ANSWER = (
    "<think>\nFirst I consider the question.\n</think>\n\n"
    "Use **this**:\n\n```python\nprint('hello')\n```\n\n"
    "More at [the docs](https://docs.python.org/3/) and <b>raw</b>.\n"
)


def message(index: int, role: Role, text: str) -> Message:
    stats = GenerationStats(generated_tokens=40, tokens_per_s=20.0)
    return Message(
        index, 1, role, text, 0.0, model="Tiny", finish_reason=FinishReason.STOP, stats=stats
    )


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[tuple[ChatView, ChatListModel]]:
    chat_view = ChatView()
    model = ChatListModel(chat_view)
    chat_view.setModel(model)
    chat_view.resize(640, 480)
    qtbot.addWidget(chat_view)
    chat_view.show()
    qtbot.waitExposed(chat_view)
    model.set_messages([message(1, Role.USER, "How?"), message(2, Role.ASSISTANT, ANSWER)])
    yield chat_view, model


def find_anchor(chat_view: ChatView, row: int, anchor: str) -> QPoint:
    """Viewport coordinates of a point over link ``anchor`` in ``row``."""
    index = chat_view.model().index(row, 0)
    rect = chat_view.visualRect(index)
    for y in range(rect.top(), rect.bottom(), 3):
        for x in range(rect.left(), rect.right(), 4):
            if chat_view.delegate.anchor_at(index, QPoint(x, y)) == anchor:
                return QPoint(x, y)
    raise AssertionError(f"no {anchor!r} link on screen")


def click(qtbot: QtBot, chat_view: ChatView, point: QPoint) -> None:
    qtbot.mouseClick(chat_view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_answers_show_markdown_not_its_syntax(view: tuple[ChatView, ChatListModel]) -> None:
    chat_view, model = view
    shown = chat_view.delegate.document(model.index(1)).plain_text()
    assert "Use this:" in shown and "**" not in shown and "```" not in shown
    assert "print('hello')" in shown
    assert "<b>raw</b>" in shown, "raw HTML is shown as text"
    assert "First I consider" not in shown, "thoughts start collapsed"
    assert "Thoughts (" in shown, "with how long they took"
    user = chat_view.delegate.document(model.index(0)).plain_text()
    assert user == "How?"


def test_clicking_thoughts_opens_and_closes_them(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, model = view
    height = chat_view.visualRect(model.index(1)).height()
    click(qtbot, chat_view, find_anchor(chat_view, 1, "hearth-thoughts:toggle"))
    assert "First I consider" in chat_view.delegate.document(model.index(1)).plain_text()
    qtbot.waitUntil(lambda: chat_view.visualRect(model.index(1)).height() > height)
    click(qtbot, chat_view, find_anchor(chat_view, 1, "hearth-thoughts:toggle"))
    assert "First I consider" not in chat_view.delegate.document(model.index(1)).plain_text()


def test_copy_on_a_code_block_copies_its_code(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, _ = view
    QGuiApplication.clipboard().clear()
    with qtbot.waitSignal(chat_view.notice):
        click(qtbot, chat_view, find_anchor(chat_view, 1, "hearth-copy:0"))
    assert QGuiApplication.clipboard().text() == "print('hello')"


def test_links_open_in_the_browser_only_when_clicked(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat_view, _ = view
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(opened.append))
    point = find_anchor(chat_view, 1, "https://docs.python.org/3/")
    assert opened == [], "nothing is opened or fetched before the click"
    click(qtbot, chat_view, point)
    [url] = opened
    assert isinstance(url, QUrl), "the browser is given a URL object, not text"
    assert (url.scheme(), url.host(), url.path()) == ("https", "docs.python.org", "/3/")


def test_a_message_copies_as_markdown_or_as_plain_text(
    view: tuple[ChatView, ChatListModel],
) -> None:
    chat_view, model = view
    menu = chat_view.message_menu(model.index(1))
    actions = {action.objectName(): action for action in menu.actions()}
    actions["copyMarkdownAction"].trigger()
    assert QGuiApplication.clipboard().text() == ANSWER
    actions["copyPlainTextAction"].trigger()
    plain = QGuiApplication.clipboard().text()
    assert plain.startswith("Use this:") and "print('hello')" in plain and "**" not in plain
    menu.close()


def test_jump_to_latest_appears_when_the_user_scrolls_up(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, model = view
    model.add_user_message("Long one please")
    model.begin_answer("Tiny")
    bar = chat_view.verticalScrollBar()
    for n in range(30):
        model.append_text(f"Paragraph {n} of a long answer.\n\n")
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    assert not chat_view.jump_button.isVisible()

    bar.setValue(0)
    qtbot.waitUntil(chat_view.jump_button.isVisible)
    model.append_text("More text arrives.\n\n")
    qtbot.wait(20)
    assert bar.value() == 0, "the view stays where the user is reading"

    qtbot.mouseClick(chat_view.jump_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert chat_view.is_following and not chat_view.jump_button.isVisible()
    model.append_text("And it follows again.\n\n" * 5)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())


def test_code_colours_follow_the_theme(qtbot: QtBot, view: tuple[ChatView, ChatListModel]) -> None:
    chat_view, model = view
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        apply_theme(app, "light")
        qtbot.wait(10)
        light = chat_view.delegate.document(model.index(1)).text
        light_html = chat_view.delegate.document(model.index(1))
        light_image = chat_view.grab().toImage()
        apply_theme(app, "dark")
        qtbot.waitUntil(lambda: chat_view.delegate.document(model.index(1)) is not light_html)
        assert chat_view.delegate.document(model.index(1)).text == light
        assert chat_view.grab().toImage() != light_image
    finally:
        apply_theme(app, "light")


def test_a_streamed_answer_shows_the_same_as_one_rendered_at_once(qapp: QApplication) -> None:
    from desktop_app.ui.chat.message_document import MessageDocument

    text = ANSWER + "\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n中文段落。\n" * 5
    streamed = MessageDocument(qapp.font(), markdown=True, dark=False)
    for end in range(7, len(text) + 7, 7):
        streamed.set_text(text[:end], streaming=True)
    at_once = MessageDocument(qapp.font(), markdown=True, dark=False)
    at_once.set_text(text)
    streamed.set_width(500)
    at_once.set_width(500)
    # Only the thoughts' duration differs: it was seen streaming in one case.
    assert streamed.plain_text().split("\n", 1)[1] == at_once.plain_text().split("\n", 1)[1]
    assert streamed.height() == at_once.height()
    assert streamed.has_thoughts and "Thoughts (" in streamed.plain_text()


def test_thoughts_show_thinking_while_they_stream(qapp: QApplication) -> None:
    from desktop_app.ui.chat.message_document import MessageDocument

    document = MessageDocument(qapp.font(), markdown=True, dark=False)
    document.set_text("<think>Weighing the options", streaming=True)
    assert "Thinking…" in document.plain_text()
    assert "Weighing" not in document.plain_text()
    document.set_text("<think>Weighing the options</think>Done.", streaming=True)
    shown = document.plain_text()
    assert "Thoughts (1 s)" in shown and shown.endswith("Done.")


def test_streaming_thoughts_rebuild_the_thoughts_line_only_when_it_changes(
    qapp: QApplication,
) -> None:
    from desktop_app.ui.chat.message_document import MessageDocument

    document = MessageDocument(qapp.font(), markdown=True, dark=False)
    text = "<think>"
    for n in range(50):
        text += f"step {n} "
        document.set_text(text, streaming=True)
    assert document.header_builds == 1, "closed, the line says only 'Thinking…'"
    document.toggle_thoughts()
    document.set_text(text + "more", streaming=True)
    assert "step 49 more" in document.plain_text(), "open, new thoughts show at once"
    builds = document.header_builds
    document.set_text(text + "more</think>Done.", streaming=True)
    assert document.header_builds == builds + 1
    assert "Thoughts (" in document.plain_text() and "Thinking" not in document.plain_text()


def test_how_long_thoughts_took_survives_a_resize(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    chat_view, model = view
    model.add_user_message("Think")
    model.begin_answer("Tiny")
    model.append_text("<think>Let me see")
    qtbot.wait(2100)
    chat_view.resize(500, 480)  # every layout is rebuilt
    qtbot.waitUntil(lambda: chat_view.viewport().width() < 600)
    model.append_text("</think>Answer.")
    shown = chat_view.delegate.document(model.index(3)).plain_text()
    seconds = re.search(r"Thoughts \((\d+) s\)", shown)
    assert seconds is not None and int(seconds.group(1)) >= 2, shown


def menu_entries(chat_view: ChatView, row: int) -> dict[str, str]:
    menu = chat_view.message_menu(chat_view.model().index(row, 0))
    entries = {a.objectName(): a.text() for a in menu.actions() if a.objectName()}
    menu.close()
    return entries


def test_the_message_menu_offers_what_the_action_row_does(
    qtbot: QtBot, view: tuple[ChatView, ChatListModel]
) -> None:
    """The Menu key opens the selected message's menu, which lists its row's actions
    (Copy aside: the menu's own copies do that); choosing one does what its click does."""
    chat_view, model = view
    question, answer = menu_entries(chat_view, 0), menu_entries(chat_view, 1)
    assert [k for k in question if k.endswith("MessageAction")] == [
        "editMessageAction", "deleteMessageAction"
    ]  # fmt: skip
    assert [k for k in answer if k.endswith("MessageAction")] == [
        "regenerateMessageAction", "deleteMessageAction"
    ]  # fmt: skip

    chat_view.setCurrentIndex(model.index(1, 0))
    chat_view.setFocus()
    qtbot.keyClick(chat_view, Qt.Key.Key_Menu)

    def open_menus() -> list[QWidget]:
        return [
            w for w in QApplication.topLevelWidgets()
            if w.objectName() == "chatContextMenu" and w.isVisible()
        ]  # fmt: skip

    qtbot.waitUntil(lambda: len(open_menus()) == 1)
    menu = open_menus()[0]
    assert isinstance(menu, QMenu)
    regenerate = next(a for a in menu.actions() if a.objectName() == "regenerateMessageAction")
    with qtbot.waitSignal(chat_view.message_action) as emitted:
        menu.setActiveAction(regenerate)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert emitted.args == [2, "regenerate"]


def test_the_message_menu_names_the_other_versions_and_continue(
    view: tuple[ChatView, ChatListModel],
) -> None:
    chat_view, model = view
    stats = GenerationStats(generated_tokens=40, tokens_per_s=20.0)
    cut_short = Message(
        3, 1, Role.ASSISTANT, "Half an answer", 0.0, model="Tiny",
        finish_reason=FinishReason.LENGTH, stats=stats, sibling_index=1, sibling_count=3,
    )  # fmt: skip
    model.set_messages([message(1, Role.USER, "How?"), cut_short])
    entries = menu_entries(chat_view, 1)
    assert [(k, v) for k, v in entries.items() if k.endswith("MessageAction")] == [
        ("previousMessageAction", "Previous version"),
        ("nextMessageAction", "Next version"),
        ("continueMessageAction", "Continue"),
        ("regenerateMessageAction", "Regenerate"),
        ("deleteMessageAction", "Delete"),
    ]
