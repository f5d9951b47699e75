"""Wrong files: dropped non-models are rejected, broken models show why, the app stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import Role
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.documents.attachments_bar import AttachmentsBar
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    LOAD_TIMEOUT_MS,
    SHORT_ANSWER,
    Launcher,
    answer_finished,
    child,
    click,
    open_model,
    pick_file,
    rows,
)
from tests.tiny_model import MODEL_NAME


def drop_files(target: QWidget, *paths: Path) -> bool:
    """Drag ``paths`` over ``target`` and drop them; returns whether the drag was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    position = QPointF(target.rect().center())
    actions = Qt.DropAction.CopyAction
    buttons = Qt.MouseButton.LeftButton
    modifiers = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(position.toPoint(), actions, mime, buttons, modifiers)
    QCoreApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(position, actions, mime, buttons, modifiers)
    QCoreApplication.sendEvent(target, drop)
    return drop.isAccepted()


def error_banner(window: QWidget) -> QWidget:
    return child(window, QWidget, "errorBanner")


def test_dropping_a_file_that_is_not_a_model_is_rejected_with_a_message(
    launch: Launcher, tmp_path: Path
) -> None:
    hearth = launch()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model", encoding="utf-8")
    drop_files(hearth.window, notes)
    message = hearth.window.statusBar().currentMessage()
    assert "Only GGUF model files (.gguf)" in message and "notes.txt" in message
    assert hearth.bridge.loading_path is None
    assert child(hearth.window, QWidget, "emptyState").isVisible()


def test_dropping_a_model_on_the_window_or_the_composer_loads_it(
    launch: Launcher, qtbot: QtBot, tiny_model: Path, tmp_path: Path
) -> None:
    hearth = launch()
    assert drop_files(hearth.window, tiny_model)
    chat_page = child(hearth.window, QWidget, "chatPage")
    qtbot.waitUntil(chat_page.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert hearth.bridge.model is not None and hearth.bridge.model.name == MODEL_NAME

    composer = child(hearth.window, Composer, "composer")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model", encoding="utf-8")
    assert drop_files(composer.viewport(), notes)  # a document: attached to the next message
    attachments = child(hearth.window, AttachmentsBar, "attachmentsBar")
    assert [chip.path for chip in attachments.chips()] == [notes]
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    drop_files(composer.viewport(), picture)
    assert composer.toPlainText() == "", "a dropped file is not pasted as text"
    assert "Only GGUF" in hearth.window.statusBar().currentMessage()


def test_a_text_file_named_gguf_shows_the_error_and_the_app_stays_usable(
    launch: Launcher,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
    tmp_path: Path,
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    fake = tmp_path / "fake.gguf"
    fake.write_text("This is a text file, not a model.\n", encoding="utf-8")

    pick_file(monkeypatch, fake)
    click(qtbot, child(window, QWidget, "openModelButton"))
    banner = error_banner(window)
    qtbot.waitUntil(banner.isVisible, timeout=LOAD_TIMEOUT_MS)
    message = child(window, QLabel, "errorBannerText").text()
    assert "fake.gguf is not a usable GGUF model" in message
    assert "\n" not in message
    assert child(window, QWidget, "emptyState").isVisible()
    assert child(window, QWidget, "openModelButton").isEnabled()

    click(qtbot, child(window, QToolButton, "dismissErrorButton"))
    assert not banner.isVisible()

    open_model(qtbot, window, monkeypatch, tiny_model)
    composer = child(window, Composer, "composer")
    qtbot.keyClicks(composer, "Still works?")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert [row.role for row in rows(hearth)] == [Role.USER, Role.ASSISTANT]


def test_a_bad_file_keeps_the_previous_model_loaded(
    launch: Launcher,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
    tmp_path: Path,
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    fake = tmp_path / "broken.gguf"
    fake.write_bytes(b"GGUF" + b"\x00" * 7)

    pick_file(monkeypatch, fake)
    composer = child(window, Composer, "composer")
    qtbot.keyClick(composer, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(error_banner(window).isVisible, timeout=LOAD_TIMEOUT_MS)
    assert "broken.gguf" in child(window, QLabel, "errorBannerText").text()
    assert child(window, QWidget, "chatPage").isVisible()
    assert hearth.bridge.model is not None and hearth.bridge.model.name == MODEL_NAME

    qtbot.keyClicks(composer, "Same model")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert rows(hearth)[-1].model == MODEL_NAME
