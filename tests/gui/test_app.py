"""The composition root: ``run_gui`` starts, loads a model from the command line, exits;
the window paints first, then its chat page and features come in and it is ``ready``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import build, run_gui
from desktop_app.core.paths import app_paths
from desktop_app.core.window_state import StateFile
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shared import first_paint


def when(condition: Callable[[], bool], action: Callable[[], None]) -> QTimer:
    """Poll ``condition`` while ``run_gui`` runs its event loop, then run ``action`` once."""
    timer = QTimer()

    def check() -> None:
        if condition():
            timer.stop()
            action()

    timer.timeout.connect(check)
    timer.start(20)
    return timer


def main_window() -> MainWindow | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


def test_run_gui_loads_the_model_given_on_the_command_line_and_exits_cleanly(
    qtbot: QtBot, hearth_home: Path, tiny_model: Path
) -> None:
    seen: list[bool] = []

    def loaded() -> bool:
        window = main_window()
        return window is not None and window.bridge.model is not None

    def close() -> None:
        window = main_window()
        assert window is not None
        seen.append(window.findChild(QWidget, "chatPage").isVisible())
        window.close()

    _timer = when(loaded, close)
    assert run_gui(["hearth", "--model", str(tiny_model)]) == 0
    assert seen == [True], "the chat page was showing"
    assert StateFile(app_paths().data_dir).state.last_model == str(tiny_model)


def test_a_bad_settings_file_is_reported_once(qtbot: QtBot, hearth_home: Path) -> None:
    config = app_paths().config_dir
    config.mkdir(parents=True)
    (config / "settings.json").write_text("{not json", encoding="utf-8")
    warnings: list[str] = []

    def warned() -> bool:
        window = main_window()
        return (
            window is not None and window.findChild(QMessageBox, "settingsWarningBox") is not None
        )

    def close() -> None:
        window = main_window()
        assert window is not None
        box = window.findChild(QMessageBox, "settingsWarningBox")
        warnings.append(box.text())
        box.accept()
        window.close()

    _timer = when(warned, close)
    assert run_gui(["hearth"]) == 0
    assert len(warnings) == 1 and "settings file was unreadable" in warnings[0]


def test_an_unreadable_database_is_kept_aside_and_the_app_starts(
    qtbot: QtBot, hearth_home: Path
) -> None:
    database = app_paths().database
    database.parent.mkdir(parents=True)
    garbage = b"this is not a database" * 100
    database.write_bytes(garbage)
    warnings: list[str] = []

    def warned() -> bool:
        window = main_window()
        return window is not None and window.findChild(QMessageBox, "storeWarningBox") is not None

    def close() -> None:
        window = main_window()
        assert window is not None
        box = window.findChild(QMessageBox, "storeWarningBox")
        warnings.append(box.text())
        box.accept()
        window.close()

    _timer = when(warned, close)
    assert run_gui(["hearth"]) == 0
    assert len(warnings) == 1 and "Cannot open the conversation database" in warnings[0]
    [aside] = database.parent.glob("hearth.sqlite3.unreadable-*")
    assert aside.read_bytes() == garbage
    assert str(aside) in warnings[0]


class FirstPaint(QObject):
    """What a window held when it first painted."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.seen: list[str] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.seen is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            names = ("emptyState", "chatPage", "sidebar", "statusModel")
            self.seen = [name for name in names if self.window.findChild(QWidget, name)]
        return False


def test_the_window_paints_before_its_chat_page_and_features_come_in(
    qtbot: QtBot, hearth_home: Path
) -> None:
    hearth = build(app_paths())
    window = hearth.window
    watch = FirstPaint(window)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.is_ready, timeout=30_000)
    finally:
        app.removeEventFilter(watch)
    assert watch.seen == ["emptyState"], "the first frame is the light window"
    assert window.is_ready
    for name in ("emptyState", "chatPage", "sidebar", "statusModel"):
        assert window.findChild(QWidget, name) is not None, name
    assert hearth.close()


def test_a_window_that_is_never_painted_completes_anyway(
    qtbot: QtBot, hearth_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shown on a hidden workspace, say: the features still come in."""
    monkeypatch.setattr(first_paint, "UNPAINTED_MS", 50)
    hearth = build(app_paths())
    window = hearth.window
    qtbot.waitUntil(lambda: window.is_ready, timeout=10_000)
    assert not window.isVisible()
    assert window.findChild(QWidget, "sidebar") is not None
    assert hearth.close()
