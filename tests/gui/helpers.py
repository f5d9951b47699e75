"""Shared steps for the GUI tests: find widgets by object name, pick files, load a model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth
from desktop_app.core.engine.base import CancelToken, ChatTurn, EngineEvent, GenerationParams
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.settings import Settings
from desktop_app.ui.chat.message_actions import MessageAction
from desktop_app.ui.chat.model import ChatRow
from desktop_app.ui.chat.view import ChatView
from desktop_app.ui.engine.worker import EngineFactory
from desktop_app.ui.settings.dialog import SettingsDialog

# Hang guards, not speed checks: a busy shared machine can slow llama.cpp a hundredfold.
LOAD_TIMEOUT_MS = 30_000
ANSWER_TIMEOUT_MS = 60_000

LONG_ANSWER = GenerationParams(max_tokens=30_000, ignore_eos=True, seed=7)
"""An answer that runs for seconds on the tiny model (it needs ``LARGE_CONTEXT``)."""
SHORT_ANSWER = GenerationParams(max_tokens=60, ignore_eos=True, seed=3)
"""An answer that always streams a few dozen tokens and ends at the length limit."""
LARGE_CONTEXT = Settings(context_length=32_768)

W = TypeVar("W", bound=QWidget)


class Launcher(Protocol):
    def __call__(
        self,
        *,
        settings: Settings | None = None,
        generation_params: GenerationParams | None = None,
        engine_factory: EngineFactory = LlamaEngine,
        restore: bool = True,
    ) -> Hearth: ...


def child(window: QWidget, kind: type[W], name: str) -> W:
    found = window.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found


def label_text(window: QWidget, name: str) -> str:
    return child(window, QLabel, name).text()


def pick_file(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> list[tuple[object, ...]]:
    """Make the Open dialog answer ``path``; returns the calls it received."""
    calls: list[tuple[object, ...]] = []

    def fake_dialog(*args: object, **kwargs: object) -> tuple[str, str]:
        calls.append(args)
        return str(path), "GGUF models (*.gguf)"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    return calls


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_message_action(
    qtbot: QtBot, view: ChatView, message_id: int, action: MessageAction
) -> None:
    """Click ``action`` (Regenerate, Continue, Edit…) under the message ``message_id``."""
    point = view.action_point(message_id, action)
    assert point is not None, f"no {action.value} action under message {message_id}"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def open_settings(window: QWidget) -> SettingsDialog:
    """File > Settings… (Ctrl+,); returns the dialog it opened."""
    action = window.findChild(QAction, "settingsAction")
    assert action is not None, "no Settings… action"
    action.trigger()
    dialogs = [d for d in window.findChildren(SettingsDialog) if d.isVisible()]
    assert len(dialogs) == 1, "Settings… opened no dialog"
    return dialogs[0]


def open_model(qtbot: QtBot, window: QWidget, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Click "Open a GGUF model…", pick ``path`` and wait for the chat page."""
    pick_file(monkeypatch, path)
    click(qtbot, child(window, QPushButton, "openModelButton"))
    chat_page = child(window, QWidget, "chatPage")
    qtbot.waitUntil(chat_page.isVisible, timeout=LOAD_TIMEOUT_MS)


def rows(hearth: Hearth) -> list[ChatRow]:
    return hearth.window.chat_model.rows()


def answer_finished(hearth: Hearth) -> bool:
    shown = rows(hearth)
    return bool(shown) and shown[-1].finish_reason is not None and not hearth.bridge.is_busy


class RecordingEngine(LlamaEngine):
    """The real engine, noting what each answer was asked with: the turns (system
    prompt first) and the ``GenerationParams`` that reach ``stream_chat``.

    Use ``RecordingEngine.recorder()`` as the launcher's ``engine_factory``.
    """

    received: list[tuple[list[ChatTurn], GenerationParams]]

    @classmethod
    def recorder(cls) -> type[RecordingEngine]:
        """A subclass with a list of its own, so tests never share what was received."""
        return type("Recording", (cls,), {"received": []})

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        self.received.append((list(turns), params))
        return super().stream_chat(turns, params, cancel)
