"""Regenerate and Edit-and-resend in the window use the chat's attached files, like a
new question does: the model is shown the file again and the new answer has sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QToolButton
from pytestqt.qtbot import QtBot

from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.message_actions import MessageAction
from desktop_app.ui.documents.attachments_bar import AttachmentsBar
from tests.gui.helpers import click_message_action

WAIT_MS = 20_000
UNIQUE = "Quillfeather"
"""A word only the attached file contains."""


def _finished(qtbot: QtBot, hearth) -> None:
    from tests.gui.helpers import ANSWER_TIMEOUT_MS, answer_finished, rows

    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    qtbot.waitUntil(lambda: rows(hearth)[-1].message_id is not None, timeout=WAIT_MS)


def _redo(qtbot: QtBot, hearth, engine, message_id: int, action: MessageAction) -> None:
    """Click ``action`` under the message once the window is idle (it may measure the
    context after an answer), until the engine is asked; then wait for the answer."""
    asked = len(engine.received)

    def asked_again() -> bool:
        if len(engine.received) > asked:
            return True
        if not hearth.bridge.is_busy:
            click_message_action(qtbot, hearth.window.chat_view, message_id, action)
        return False

    qtbot.waitUntil(asked_again, timeout=WAIT_MS)
    _finished(qtbot, hearth)
    assert len(engine.received) == asked + 1


def _link_labels(window, row: int) -> list[str]:
    from desktop_app.ui.chat.model import ChatRoles

    model = window.chat_view.model()
    return [link.label for link in model.index(row, 0).data(ChatRoles.LINKS) or []]


def test_regenerate_and_edit_answer_with_the_attached_file_and_its_sources(
    launch,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
    tmp_path: Path,
) -> None:
    from desktop_app.core.documents.attachments import answer_sources
    from desktop_app.ui.chat.model import ChatRoles
    from tests.gui.helpers import SHORT_ANSWER, RecordingEngine, child, open_model, rows

    notes = tmp_path / "notes.md"
    notes.write_text(f"# Plan\n\nThe courier is called {UNIQUE}.\n", encoding="utf-8")
    engine = RecordingEngine.recorder()
    hearth = launch(generation_params=SHORT_ANSWER, engine_factory=engine)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(notes)], ""))
    bar = child(window, AttachmentsBar, "attachmentsBar")
    qtbot.mouseClick(child(window, QToolButton, "attachButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(bar.chips()) == 1 and not bar.pending(), timeout=WAIT_MS)
    composer = child(window, Composer, "composer")
    qtbot.keyClicks(composer, "Who is the courier?")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    _finished(qtbot, hearth)
    assert UNIQUE in engine.received[-1][0][-1].content
    question, first = (row.message_id for row in rows(hearth))
    assert question is not None and first is not None

    # Regenerate: the model sees the file again, the new version has its sources.
    _redo(qtbot, hearth, engine, first, MessageAction.REGENERATE)
    assert UNIQUE in engine.received[-1][0][-1].content
    again = rows(hearth)[-1].message_id
    assert again is not None and again != first
    assert [s.label for s in answer_sources(hearth.store, again)] == ["[1] notes.md"]
    qtbot.waitUntil(lambda: _link_labels(window, 1) == ["[1] notes.md"], timeout=WAIT_MS)

    # Edit and resend: the edited question keeps its file, the answer has sources.
    monkeypatch.setattr(
        QInputDialog,
        "getMultiLineText",
        staticmethod(lambda *args, **kwargs: ("What is the courier's name?", True)),
    )
    _redo(qtbot, hearth, engine, question, MessageAction.EDIT)
    prompt = engine.received[-1][0][-1].content
    assert UNIQUE in prompt and "What is the courier's name?" in prompt
    edited, answer = (row.message_id for row in rows(hearth))
    assert edited is not None and answer is not None and edited != question
    stored = hearth.store.message_documents([edited]).get(edited, {})
    assert [a["name"] for a in stored.get("attachments", [])] == ["notes.md"]
    assert [s.label for s in answer_sources(hearth.store, answer)] == ["[1] notes.md"]
    qtbot.waitUntil(lambda: _link_labels(window, 1) == ["[1] notes.md"], timeout=WAIT_MS)
    footer = window.chat_view.model().index(0, 0).data(ChatRoles.FOOTER)
    assert "Attached: notes.md" in footer
