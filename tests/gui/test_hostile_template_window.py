"""A model whose chat template the sandbox rejects still opens in the window, and the
chat header says which format is used instead and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from tests import hostile_templates
from tests.gui.helpers import (
    LOAD_TIMEOUT_MS,
    Launcher,
    child,
    click,
    label_text,
    open_model,
    pick_file,
)
from tests.tiny_model import write_tiny_model


@pytest.mark.parametrize("name", ["syntax:unclosed-for", "time:nested-range"])
def test_a_model_with_a_rejected_template_opens_and_the_header_says_why(
    name: str,
    launch: Launcher,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    model = write_tiny_model(tmp_path / "hostile.gguf", chat_template=hostile_templates.ALL[name])
    hearth = launch()
    open_model(qtbot, hearth.window, monkeypatch, model)
    header = label_text(hearth.window, "chatFormatLabel")
    assert "the built-in chatml format (the model's own template could not be used: " in header
    reason = "TemplateSyntaxError" if name.startswith("syntax") else "longer than 2 s"
    assert reason in header
    assert not child(hearth.window, QWidget, "errorBanner").isVisible()


def test_the_load_can_be_cancelled_while_the_template_is_tried(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    template = hostile_templates.ALL["time:nested-range"]
    model = write_tiny_model(tmp_path / "hostile.gguf", chat_template=template)
    hearth = launch()
    window, bridge = hearth.window, hearth.bridge
    loaded: list[object] = []
    bridge.model_loaded.connect(loaded.append)
    progress: list[float] = []
    bridge.load_progress.connect(progress.append)
    pick_file(monkeypatch, model)
    click(qtbot, child(window, QPushButton, "openModelButton"))
    qtbot.waitUntil(lambda: 1.0 in progress, timeout=LOAD_TIMEOUT_MS)  # llama.cpp is done
    with qtbot.waitSignal(bridge.load_cancelled, timeout=LOAD_TIMEOUT_MS):
        click(qtbot, child(window, QToolButton, "cancelLoadButton"))
    assert loaded == [] and bridge.model is None
    assert child(window, QWidget, "emptyState").isVisible()
