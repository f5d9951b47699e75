"""The keyboard: every shortcut through real key presses, and the F1 sheet that lists them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.store import Store
from desktop_app.core.paths import app_paths
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.view import ChatView
from desktop_app.ui.shared.shortcuts import ShortcutsSheet
from tests.gui.helpers import Launcher, child


def seed_conversation(home: Path) -> None:
    """A saved conversation with two exchanges, shown when Hearth starts."""
    paths = app_paths()
    paths.ensure()
    store = Store.open(paths.database)
    conversation = store.create_conversation("Seeded")
    for question, answer in (
        ("First question", "First answer"),
        ("Second question", "**Bold** answer"),
    ):
        store.add_user_message(conversation.id, question)
        answer_id = store.begin_answer(conversation.id, "Tiny")
        store.update_answer(answer_id, answer)
        store.finish_answer(
            answer_id, answer, FinishReason.STOP, GenerationStats(generated_tokens=3)
        )
    store.close()


def start(launch: Launcher, hearth_home: Path) -> Hearth:
    seed_conversation(hearth_home)
    return launch(restore=False)


def test_ctrl_l_focuses_the_message_box_from_anywhere(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    window = start(launch, hearth_home).window
    view = child(window, ChatView, "chatView")
    composer = child(window, Composer, "composer")
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(composer.hasFocus)


def test_up_in_an_empty_message_box_brings_back_the_last_message(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    window = start(launch, hearth_home).window
    composer = child(window, Composer, "composer")
    composer.setFocus()
    qtbot.keyClick(composer, Qt.Key.Key_Up)
    assert composer.toPlainText() == "Second question"
    qtbot.keyClick(composer, Qt.Key.Key_Up)
    assert composer.toPlainText() == "Second question", "Up in a non-empty box moves the cursor"


def test_ctrl_shift_c_copies_the_last_answer(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    window = start(launch, hearth_home).window
    composer = child(window, Composer, "composer")
    composer.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(
        composer,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QGuiApplication.clipboard().text() == "**Bold** answer"
    assert "copied" in window.statusBar().currentMessage()


def test_ctrl_n_starts_a_new_chat(launch: Launcher, qtbot: QtBot, hearth_home: Path) -> None:
    hearth = start(launch, hearth_home)
    composer = child(hearth.window, Composer, "composer")
    composer.setFocus()
    assert hearth.window.chat_model.rowCount() == 4
    qtbot.keyClick(composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert hearth.window.chat_model.rowCount() == 0
    assert hearth.window.conversation_id is None


def test_f1_lists_every_shortcut_and_esc_closes_it(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    window = start(launch, hearth_home).window
    composer = child(window, Composer, "composer")
    composer.setFocus()
    qtbot.keyClick(composer, Qt.Key.Key_F1)
    sheet = window.findChild(ShortcutsSheet, "shortcutsSheet")
    assert sheet is not None
    qtbot.waitUntil(sheet.isVisible)
    listed = sheet.descriptions()
    for keys in ("Ctrl+N", "Ctrl+K", "Ctrl+L", "Esc", "Ctrl+Shift+C", "Ctrl+,", "F1", "Up"):
        assert keys in listed, f"{keys} is missing from the sheet"
    assert listed["Ctrl+K"] == "Search conversations"
    assert listed["Ctrl+,"] == "Settings"
    qtbot.keyClick(sheet.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(ShortcutsSheet, "shortcutsSheet") is None)


def test_every_control_has_an_accessible_name_and_takes_focus_by_keyboard(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    window = start(launch, hearth_home).window
    unnamed = [
        widget.objectName() or type(widget).__name__
        for widget in window.findChildren(QWidget)
        if widget.isVisible()
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not widget.accessibleName()
        and widget.parent() is not None
        and widget.objectName() not in ("qt_scrollarea_viewport",)
    ]
    assert unnamed == []
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisible()]
    assert buttons and all(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in buttons)
