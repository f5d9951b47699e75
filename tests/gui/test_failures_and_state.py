"""Failures seen in the window, window state kept apart, and the in-memory store's defects.

- A crash of the last run is offered at the next start, with the report's text.
- An uncaught exception on any thread shows a one-line, non-modal error.
- Size, sidebar width and the conversation on screen come back at the next start, and
  only that conversation is loaded (not the newest one first).
- With the database unusable (conversations in memory), Ctrl+K searches the live
  store, and the resume cache goes to the data folder, never the working directory.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QPushButton, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import run_gui
from desktop_app.core import logs
from desktop_app.core.chats.model import FinishReason, GenerationStats, Message
from desktop_app.core.chats.store import Store
from desktop_app.core.paths import app_paths
from desktop_app.core.settings import Settings
from desktop_app.resources import resource_path
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.conversations.controller import ConversationsController
from desktop_app.ui.settings.dialog import SettingsDialog
from desktop_app.ui.shared.error_reports import CrashReportDialog
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    LOAD_TIMEOUT_MS,
    SHORT_ANSWER,
    Launcher,
    answer_finished,
    child,
    click,
    open_model,
    open_settings,
)
from tests.gui.test_app import main_window, when


@pytest.fixture
def configured(hearth_home: Path) -> logs.LogSetup:
    """Logging configured as ``hearth`` does at start (tests/logfail.py undoes it)."""
    return logs.configure_logging(app_paths().data_dir)


def test_the_next_start_offers_the_crash_report(qtbot: QtBot, hearth_home: Path) -> None:
    folder = app_paths().data_dir / "logs"
    folder.mkdir(parents=True)
    (folder / "crash.log").write_text(
        "Fatal Python error: Segmentation fault\n\nThread 0x01 (most recent call first):\n"
        '  File "llama_engine.py", line 600 in stream_chat\n',
        encoding="utf-8",
    )
    setup = logs.configure_logging(app_paths().data_dir)
    shown: list[str] = []

    def offered() -> bool:
        window = main_window()
        return window is not None and window.findChild(QMessageBox, "crashOfferBox") is not None

    def show_and_close() -> None:
        window = main_window()
        assert window is not None
        box = window.findChild(QMessageBox, "crashOfferBox")
        click(qtbot, child(box, QPushButton, "showCrashReportButton"))
        dialog = window.findChild(CrashReportDialog, "crashReportDialog")
        assert dialog is not None and dialog.isVisible()
        shown.append(dialog.text.toPlainText())
        dialog.reject()
        window.close()

    _timer = when(offered, show_and_close)
    assert run_gui(["hearth"]) == 0
    assert setup.previous_crash == folder / "last-crash.log"
    assert len(shown) == 1 and "in stream_chat" in shown[0]
    assert not (folder / "crash.log").read_text(), "a fresh crash log for this run"


@pytest.mark.allow_log("desktop_app.core.logs")
def test_an_uncaught_exception_on_a_thread_shows_a_non_modal_error(
    launch: Launcher, qtbot: QtBot, configured: logs.LogSetup
) -> None:
    window = launch(restore=False).window

    def broken() -> None:
        raise ValueError("the tool thread tripped")

    threading.Thread(target=broken, name="ToolThread").start()
    banner = child(window, QWidget, "errorBanner")
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    text = " ".join(label.text() for label in banner.findChildren(QLabel))
    assert "Something went wrong: ValueError: the tool thread tripped" in text
    assert str(configured.log_file) in text
    assert QMessageBox not in {type(w) for w in window.findChildren(QMessageBox) if w.isModal()}
    assert "the tool thread tripped" in configured.log_file.read_text(encoding="utf-8")


def test_size_sidebar_and_conversation_come_back(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    first = launch(restore=False)
    store = first.store
    older = store.create_conversation()
    store.add_user_message(older.id, "The older one")
    newer = store.create_conversation()
    store.add_user_message(newer.id, "The newer one")
    window = first.window
    window.show_conversation(older.id)
    window.resize(700, 520)
    splitter = child(window, QSplitter, "mainSplitter")
    splitter.setSizes([300, 600])
    sizes = splitter.sizes()
    assert first.close()

    second = launch(restore=False).window
    assert second.conversation_id == older.id, "the conversation on screen, not the newest"
    assert (second.width(), second.height()) == (700, 520)
    assert child(second, QSplitter, "mainSplitter").sizes() == sizes


def test_the_restored_conversation_is_the_only_one_loaded(
    launch: Launcher, qtbot: QtBot, hearth_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = launch(restore=False)
    store = first.store
    older = store.create_conversation()
    store.add_user_message(older.id, "The older one")
    newer = store.create_conversation()
    store.add_user_message(newer.id, "The newer one")
    first.window.show_conversation(older.id)
    assert first.close()

    loaded: list[int] = []
    read_messages = Store.messages

    def counting(self: Store, conversation_id: int) -> list[Message]:
        loaded.append(conversation_id)
        return read_messages(self, conversation_id)

    monkeypatch.setattr(Store, "messages", counting)
    second = launch(restore=False).window
    assert second.conversation_id == older.id
    assert loaded == [older.id], "the newest conversation was loaded first, then replaced"


def _memory_only(hearth_home: Path) -> None:
    """A folder where the database file should be: it cannot be opened, nor replaced."""
    database = app_paths().database
    database.mkdir(parents=True)


def test_search_finds_conversations_kept_in_memory(
    launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    _memory_only(hearth_home)
    hearth = launch(restore=False)
    assert hearth.store.in_memory and hearth.store_warning is not None
    store = hearth.store
    chat = store.create_conversation()
    store.add_user_message(chat.id, "Where do herons nest?")
    answer = store.begin_answer(chat.id, "Tiny")
    store.finish_answer(answer, "In tall trees.", FinishReason.STOP, GenerationStats())

    window = hearth.window
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    controller = window.findChild(ConversationsController)
    assert controller is not None
    popup = controller.search_popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClicks(popup.field, "trees")
    qtbot.waitUntil(lambda: len(popup.hits()) == 1, timeout=5000)
    [hit] = popup.hits()
    assert (hit.conversation_id, hit.message_id) == (chat.id, answer)
    window.show_conversation(store.create_conversation().id)
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert window.conversation_id == chat.id


def test_the_resume_cache_never_goes_to_the_working_directory(
    launch: Launcher,
    qtbot: QtBot,
    hearth_home: Path,
    tmp_path: Path,
    tiny_model: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _memory_only(hearth_home)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    hearth = launch(
        settings=Settings(context_length=1024), generation_params=SHORT_ANSWER, restore=False
    )
    window = hearth.window
    dialog = open_settings(window)
    assert isinstance(dialog, SettingsDialog)
    dialog.show_page("Hardware")
    on_disk = dialog.editor("resume_cache_on_disk")
    assert isinstance(on_disk, QCheckBox)
    on_disk.setChecked(True)
    assert dialog.save()
    dialog.close()

    open_model(qtbot, window, monkeypatch, tiny_model)
    qtbot.waitUntil(lambda: not hearth.bridge.is_busy, timeout=LOAD_TIMEOUT_MS)
    composer = child(window, Composer, "composer")
    qtbot.keyClicks(composer, "Hello there")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert hearth.close()

    assert not (cwd / "kv-cache").exists()
    assert list((app_paths().data_dir / "kv-cache").glob("*.kv"))


def test_the_crash_report_speaks_chinese(qtbot: QtBot, tmp_path: Path) -> None:
    report = tmp_path / "last-crash.log"
    report.write_text("Fatal Python error: Aborted\n", encoding="utf-8")
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "diagnostics_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        dialog = CrashReportDialog(report)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "崩溃报告"
        assert QCoreApplication.translate("UncaughtErrors", "Something went wrong: %1") == (
            "出了点问题：%1"
        )
    finally:
        QCoreApplication.removeTranslator(translator)
