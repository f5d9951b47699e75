"""Opening a model: the empty state, background loading, and reloading on the next start."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.engine.base import Engine
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams, LoadProgress
from desktop_app.core.paths import app_paths
from desktop_app.core.window_state import StateFile
from tests.gui.helpers import LOAD_TIMEOUT_MS, Launcher, child, click, label_text, pick_file
from tests.tiny_model import MODEL_NAME

SLOW_LOAD_S = 0.6


def slow_engine(path: Path, params: LoadParams, progress: LoadProgress | None = None) -> Engine:
    """The real engine, after a pause like a large file on a slow disk (on the engine thread)."""
    time.sleep(SLOW_LOAD_S)
    return LlamaEngine(path, params, progress)


def test_fresh_start_shows_the_empty_state_and_loads_a_model_in_the_background(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(engine_factory=slow_engine)
    window = hearth.window
    empty = child(window, QWidget, "emptyState")
    button = child(window, QPushButton, "openModelButton")
    assert empty.isVisible()
    assert button.isVisible() and button.text() == "Open a GGUF model…"
    assert ".gguf" in label_text(window, "emptyStateHint")
    assert not child(window, QWidget, "chatPage").isVisible()

    dialog_calls = pick_file(monkeypatch, tiny_model)
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start(20)
    started = time.monotonic()
    click(qtbot, button)

    progress = child(window, QProgressBar, "loadingProgress")
    assert progress.isVisible(), "a busy indicator shows while the model loads"
    assert progress.maximum() == 0, "the busy indicator is indeterminate"
    assert "Loading tiny.gguf" in window.statusBar().currentMessage()
    assert child(window, QLabel, "emptyStateLoading").isVisible()
    assert not button.isEnabled()

    chat_page = child(window, QWidget, "chatPage")
    qtbot.waitUntil(chat_page.isVisible, timeout=LOAD_TIMEOUT_MS)
    heartbeat.stop()
    assert time.monotonic() - started >= SLOW_LOAD_S
    # The GUI thread kept running its timers while the engine thread was loading.
    assert len([t for t in ticks if t - started < SLOW_LOAD_S]) >= 10
    assert "GGUF models (*.gguf)" in dialog_calls[0]

    assert label_text(window, "modelTitle") == MODEL_NAME
    assert "the model's own chat template" in label_text(window, "chatFormatLabel")
    assert label_text(window, "statusModel") == MODEL_NAME
    assert not progress.isVisible()
    assert not child(window, QWidget, "errorBanner").isVisible()
    paths = app_paths()
    assert StateFile(paths.data_dir).state.last_model == str(tiny_model)
    assert not (paths.config_dir / "settings.json").exists(), "window state is not a setting"


def test_the_last_model_is_loaded_again_on_the_next_start(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    first = launch()
    pick_file(monkeypatch, tiny_model)
    click(qtbot, child(first.window, QPushButton, "openModelButton"))
    qtbot.waitUntil(lambda: first.bridge.model is not None, timeout=LOAD_TIMEOUT_MS)
    assert first.close()

    second = launch()
    chat_page = child(second.window, QWidget, "chatPage")
    qtbot.waitUntil(chat_page.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert label_text(second.window, "modelTitle") == MODEL_NAME


def test_a_remembered_model_that_is_gone_is_skipped(
    launch: Launcher, tmp_path: Path, qtbot: QtBot
) -> None:
    gone = tmp_path / "deleted.gguf"
    StateFile(app_paths().data_dir).update(last_model=str(gone))
    hearth = launch()
    window = hearth.window
    assert "no longer there" in window.statusBar().currentMessage()
    assert hearth.bridge.loading_path is None
    assert child(window, QWidget, "emptyState").isVisible()
    assert not child(window, QWidget, "errorBanner").isVisible()
