"""Conversations in the window: sidebar rename, delete and undo, search, versions, Continue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.paths import app_paths
from desktop_app.resources import resource_path
from desktop_app.ui.chat.message_actions import MessageAction
from desktop_app.ui.conversations import sidebar as sidebar_module
from desktop_app.ui.conversations.controller import ConversationsController
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    LOAD_TIMEOUT_MS,
    Launcher,
    answer_finished,
    open_model,
    rows,
)


class VersionEngine(LlamaEngine):
    """The real tiny model loaded, answering "Version 1", "Version 2"... in turn."""

    calls = 0
    seen: ClassVar[list[list[ChatTurn]]] = []

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        VersionEngine.calls += 1
        VersionEngine.seen.append(list(turns))
        yield TextDelta(f"Version {VersionEngine.calls}", 1)
        yield Finished(FinishReason.STOP, GenerationStats(3, 1))


@pytest.fixture(autouse=True)
def _reset_engine() -> None:
    VersionEngine.calls = 0
    VersionEngine.seen = []


def _seed(home: Path) -> dict[str, int]:
    """Two saved conversations; the newer one has two versions of its answer."""
    store = Store.open(app_paths().database)
    weather = store.create_conversation()
    store.add_user_message(weather.id, "今天天气很好吗?")
    sunny = store.begin_answer(weather.id, "Tiny")
    store.finish_answer(sunny, "It is sunny.", FinishReason.STOP, GenerationStats())
    colours = store.create_conversation()
    question = store.add_user_message(colours.id, "Name a colour")
    red = store.begin_answer(colours.id, "Tiny")
    store.finish_answer(red, "Red", FinishReason.STOP, GenerationStats())
    blue = store.begin_answer(colours.id, "Tiny", parent_id=question.id)
    store.finish_answer(blue, "Blue", FinishReason.STOP, GenerationStats())
    store.close()
    return {"weather": weather.id, "colours": colours.id, "sunny": sunny, "red": red, "blue": blue}


def _controller(window: QWidget) -> ConversationsController:
    found = window.findChild(ConversationsController)
    assert found is not None
    return found


def _click_action(qtbot: QtBot, window: QWidget, message_id: int, action: MessageAction) -> None:
    view = window.chat_view  # type: ignore[attr-defined]
    point = view.action_point(message_id, action)
    assert point is not None, f"no {action.value} action under message {message_id}"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def _load(qtbot: QtBot, hearth: Hearth, monkeypatch: pytest.MonkeyPatch, model: Path) -> None:
    open_model(qtbot, hearth.window, monkeypatch, model)
    qtbot.waitUntil(
        lambda: hearth.bridge.model is not None and not hearth.bridge.is_busy,
        timeout=LOAD_TIMEOUT_MS,
    )


def _editor(tree: QWidget) -> QLineEdit | None:
    """The in-place title editor that is open, if any."""
    return next((e for e in tree.findChildren(QLineEdit) if e.isVisible()), None)


def test_the_sidebar_groups_and_renames_by_double_click_and_f2(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    ids = _seed(hearth_home)
    window = launch(restore=False).window
    sidebar = _controller(window).sidebar
    assert sidebar.group_names() == ["Today"]
    assert sidebar.titles() == ["Name a colour", "今天天气很好吗?"]

    tree = sidebar.view
    index = sidebar.index_of(ids["weather"])
    assert index is not None
    rect = tree.visualRect(index)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.conversation_id == ids["weather"]  # a click opens it
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: _editor(tree) is not None)
    editor = _editor(tree)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Weather")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Weather" in sidebar.titles())
    assert window.store.conversation(ids["weather"]).title == "Weather"  # type: ignore[union-attr]

    index = sidebar.index_of(ids["colours"])
    assert index is not None
    tree.setCurrentIndex(index)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: _editor(tree) is not None)
    editor = _editor(tree)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Colours")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sidebar.titles() == ["Colours", "Weather"])

    window.store.set_pinned(ids["weather"], True)
    sidebar.refresh()
    assert sidebar.group_names() == ["Pinned", "Today"]
    assert sidebar.titles() == ["Weather", "Colours"]


def test_delete_hides_at_once_undo_brings_it_back_and_the_time_out_deletes(
    launch: Launcher, qtbot: QtBot, hearth_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seed(hearth_home)
    window = launch(restore=False).window
    sidebar = _controller(window).sidebar
    tree = sidebar.view
    tree.setCurrentIndex(sidebar.index_of(ids["weather"]))
    tree.setFocus()

    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    assert sidebar.titles() == ["Name a colour"]
    assert sidebar.toast.isVisible()
    assert "今天天气很好吗?" in sidebar.toast.findChild(QWidget, "undoToastText").text()  # type: ignore[union-attr]
    qtbot.mouseClick(sidebar.toast.findChild(QWidget, "undoButton"), Qt.MouseButton.LeftButton)
    assert sidebar.titles() == ["Name a colour", "今天天气很好吗?"]
    assert not sidebar.toast.isVisible()
    assert window.store.conversation(ids["weather"]) is not None

    monkeypatch.setattr(sidebar_module, "UNDO_TIMEOUT_MS", 50)
    tree.setCurrentIndex(sidebar.index_of(ids["weather"]))
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.store.conversation(ids["weather"]) is None, timeout=5000)
    assert sidebar.titles() == ["Name a colour"]
    assert window.store.search("天气") == []


def test_ctrl_k_finds_a_chinese_word_and_opens_the_conversation_at_it(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    ids = _seed(hearth_home)
    window = launch(restore=False).window
    assert window.conversation_id == ids["colours"]

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = _controller(window).search_popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    popup.field.insert("天气")  # what an input method commits (QTest types ASCII only)
    qtbot.waitUntil(lambda: len(popup.hits()) == 2, timeout=5000)
    title_hit, message_hit = popup.hits()
    assert (title_hit.conversation_id, title_hit.message_id) == (ids["weather"], None)
    assert message_hit.conversation_id == ids["weather"]
    assert message_hit.snippet.marked() == "今天[天气]很好吗?"

    qtbot.keyClick(popup.field, Qt.Key.Key_Down)
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert window.conversation_id == ids["weather"]
    assert [row.text for row in rows_of(window)] == ["今天天气很好吗?", "It is sunny."]

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup.field.clear()
    qtbot.keyClicks(popup.field, "zebra")
    qtbot.waitUntil(lambda: popup.findChild(QWidget, "searchStatus").text() == "No matches")  # type: ignore[union-attr]


def rows_of(window: QWidget) -> list:  # type: ignore[type-arg]
    return window.chat_model.rows()  # type: ignore[attr-defined]


def test_the_version_switcher_and_regenerate_through_clicks(
    launch: Launcher,
    qtbot: QtBot,
    hearth_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
) -> None:
    ids = _seed(hearth_home)
    hearth = launch(restore=False, engine_factory=VersionEngine)
    window = hearth.window
    assert [(r.text, r.sibling_index, r.sibling_count) for r in rows_of(window)][1] == (
        "Blue",
        1,
        2,
    )

    _click_action(qtbot, window, ids["blue"], MessageAction.PREVIOUS)
    assert rows_of(window)[1].text == "Red"
    assert window.store.messages(ids["colours"])[1].id == ids["red"]
    assert window.chat_view.action_point(ids["red"], MessageAction.PREVIOUS) is None
    _click_action(qtbot, window, ids["red"], MessageAction.NEXT)
    assert rows_of(window)[1].text == "Blue"

    _load(qtbot, hearth, monkeypatch, tiny_model)
    _click_action(qtbot, window, ids["blue"], MessageAction.REGENERATE)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    qtbot.waitUntil(lambda: rows(hearth)[-1].message_id is not None)
    answer = rows(hearth)[-1]
    assert (answer.text, answer.sibling_index, answer.sibling_count) == ("Version 1", 2, 3)
    assert [t.content for t in VersionEngine.seen[-1]] == ["Name a colour"]


def test_edit_and_resend_keeps_the_old_question_as_a_version(
    launch: Launcher,
    qtbot: QtBot,
    hearth_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
) -> None:
    _seed(hearth_home)
    hearth = launch(restore=False, engine_factory=VersionEngine)
    window = hearth.window
    _load(qtbot, hearth, monkeypatch, tiny_model)
    question = rows_of(window)[0]
    monkeypatch.setattr(
        QInputDialog,
        "getMultiLineText",
        staticmethod(lambda *args, **kwargs: ("Name a fruit", True)),
    )
    _click_action(qtbot, window, question.message_id, MessageAction.EDIT)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    qtbot.waitUntil(lambda: rows(hearth)[-1].message_id is not None)
    shown = rows_of(window)
    assert [(r.text, r.sibling_index, r.sibling_count) for r in shown] == [
        ("Name a fruit", 1, 2),
        ("Version 1", 0, 1),
    ]
    _click_action(qtbot, window, shown[0].message_id, MessageAction.PREVIOUS)
    assert [r.text for r in rows_of(window)] == ["Name a colour", "Blue"]


def test_an_interrupted_answer_is_marked_and_continued(
    launch: Launcher,
    qtbot: QtBot,
    hearth_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
) -> None:
    store = Store.open(app_paths().database)
    conversation = store.create_conversation()
    store.add_user_message(conversation.id, "Tell a story")
    answer = store.begin_answer(conversation.id, "Tiny")
    store.update_answer(answer, "Once upon a time")
    store._db.execute("UPDATE messages SET updated_at = 0 WHERE id = ?", (answer,))  # long ago
    store.close()

    hearth = launch(restore=False, engine_factory=VersionEngine)
    window = hearth.window
    shown = rows_of(window)[-1]
    assert (shown.text, shown.finish_reason) == ("Once upon a time", FinishReason.INTERRUPTED)
    assert "interrupted" in window.chat_model.data(window.chat_model.index(1), 0x0108)  # FOOTER

    _load(qtbot, hearth, monkeypatch, tiny_model)
    _click_action(qtbot, window, answer, MessageAction.CONTINUE)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    qtbot.waitUntil(lambda: rows(hearth)[-1].message_id is not None)
    assert rows_of(window)[-1].text == "Once upon a timeVersion 1"
    assert VersionEngine.seen[-1][-1] == ChatTurn("assistant", "Once upon a time")
    assert window.store.message(answer).finish_reason is FinishReason.STOP  # type: ignore[union-attr]


def test_file_menu_export_and_import(
    launch: Launcher,
    qtbot: QtBot,
    hearth_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    ids = _seed(hearth_home)
    window = launch(restore=False).window
    controller = _controller(window)
    target = tmp_path / "all.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "JSON (*.json)"))
    )
    controller.export_all_action.trigger()
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert [c["id"] for c in exported["conversations"]] == [ids["colours"], ids["weather"]]

    imported = controller.import_file(str(target))
    assert len(imported) == 2
    assert len(controller.sidebar.titles()) == 4

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    assert controller.import_file(str(bad)) == []
    banner = window.findChild(QWidget, "errorBanner")
    assert banner is not None and banner.isVisible()
    assert "not a Hearth export" in window.findChild(QWidget, "errorBannerText").text()  # type: ignore[union-attr]
    assert len(controller.sidebar.titles()) == 4
    _ = QApplication.instance(), QPoint


def test_a_long_conversation_opens_at_its_end_and_shows_older_messages_on_scrolling_up(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    store = Store.open(app_paths().database)
    conversation = store.create_conversation()
    first = store.add_user_message(conversation.id, "message 0 the very first")
    for number in range(1, 400):
        store.add_user_message(conversation.id, f"message {number}")
    store.close()
    window = launch(restore=False).window
    model = window.chat_model
    assert model.rowCount() < 400 and model.has_earlier()
    assert model.rows()[-1].text == "message 399"

    view = window.chat_view
    before = model.rowCount()
    view.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: model.rowCount() > before)
    assert view.verticalScrollBar().value() > 0  # what was on screen stays on screen

    window.show_conversation(conversation.id, first.id)  # as a search result does
    assert model.rows()[0].text == "message 0 the very first"
    assert view.indexAt(view.viewport().rect().topLeft()).row() == 0


def test_the_conversation_strings_have_a_chinese_translation(qtbot: QtBot) -> None:
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "conversations_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        assert QCoreApplication.translate("ConversationSidebar", "Yesterday") == "昨天"
        assert QCoreApplication.translate("MessageActions", "Regenerate") == "重新生成"
        assert QCoreApplication.translate("SearchPopup", "No matches") == "没有匹配项"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_the_menu_asks_the_model_for_a_title_and_delete_removes_a_version(
    launch: Launcher,
    qtbot: QtBot,
    hearth_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
) -> None:
    ids = _seed(hearth_home)
    hearth = launch(restore=False, engine_factory=VersionEngine)
    window = hearth.window
    controller = _controller(window)
    _load(qtbot, hearth, monkeypatch, tiny_model)

    controller.title_action.trigger()
    qtbot.waitUntil(lambda: "Version 1" in controller.sidebar.titles(), timeout=ANSWER_TIMEOUT_MS)
    assert window.store.conversation(ids["colours"]).title == "Version 1"  # type: ignore[union-attr]
    assert window.windowTitle().startswith("Version 1")
    assert "Name a colour" in VersionEngine.seen[-1][-1].content

    _click_action(qtbot, window, ids["blue"], MessageAction.DELETE)
    assert [(r.text, r.sibling_count) for r in rows_of(window)] == [
        ("Name a colour", 1),
        ("Red", 1),
    ]
    assert window.store.message(ids["blue"]) is None


def test_a_long_title_ends_in_an_ellipsis_in_a_narrow_sidebar(qtbot: QtBot, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "hearth.sqlite3")
    conversation = store.create_conversation()
    title = "A very long conversation title about quicksort and merge sort in Python and Rust"
    store.rename_conversation(conversation.id, title)
    sidebar = sidebar_module.ConversationSidebar(store)
    qtbot.addWidget(sidebar)
    sidebar.resize(200, 400)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    view = sidebar.view
    model = view.model()
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    [index] = [row for row in rows if row.data() == title]
    assert view.horizontalScrollBar().maximum() == 0  # no sideways scrolling
    assert view.visualRect(index).width() <= view.viewport().width()
    store.close()


def test_one_conversation_is_reread_without_reloading_the_list(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "chats.db")
    first, second, third = (store.create_conversation(name) for name in ("One", "Two", "Three"))
    sidebar = sidebar_module.ConversationSidebar(store)
    qtbot.addWidget(sidebar)
    assert sidebar.titles() == ["Three", "Two", "One"]

    def no_reload() -> None:
        raise AssertionError("the whole list was read again")

    monkeypatch.setattr(store, "conversations", no_reload)
    store.add_user_message(first.id, "Hello again")  # an answer starts in the oldest one
    sidebar.update_conversation(first.id)
    assert sidebar.titles() == ["One", "Three", "Two"]

    store.rename_conversation(first.id, "Renamed")  # same place: the row is updated in place
    sidebar.update_conversation(first.id)
    assert sidebar.titles() == ["Renamed", "Three", "Two"]

    sidebar.set_pinned(second.id, True)
    assert sidebar.group_names() == ["Pinned", "Today"]
    assert sidebar.titles() == ["Two", "Renamed", "Three"]

    sidebar.delete(third.id)
    sidebar.flush_deletes()
    sidebar.update_conversation(first.id)  # the deleted one stays gone
    assert sidebar.titles() == ["Two", "Renamed"]
    store.close()
