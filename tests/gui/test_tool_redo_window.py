"""Regenerate, Continue and Edit-and-resend in a chat with tools on run in the tool loop
like a sent message: the approval prompt appears, the step is shown under the answer
and stored with it. Without tool support (or with the chat's tools turned off) they
answer without tools."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth
from desktop_app.core.chats.model import FinishReason
from desktop_app.core.documents.turns import DocumentsRedoJob, DocumentsTurnJob
from desktop_app.core.engine.base import CancelToken, ChatTurn, EngineEvent, GenerationParams
from desktop_app.core.tools.chat_job import ToolTurnJob
from desktop_app.core.tools.steps import message_steps
from desktop_app.ui.chat.message_actions import MessageAction
from desktop_app.ui.engine.worker import AnswerJob
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    Launcher,
    RecordingEngine,
    click_message_action,
    rows,
)
from tests.gui.test_tool_loop_window import (
    TOOLS_TEMPLATE,
    CallingEngine,
    ask,
    button,
    finished,
    prompt_shown,
    start,
    step_labels,
)
from tests.tiny_model import write_tiny_model


@pytest.fixture
def tools_model(tmp_path: Path) -> Path:
    return write_tiny_model(tmp_path / "tools.gguf", chat_template=TOOLS_TEMPLATE)


class Counting(CallingEngine):
    """The scripted calling engine, counting how often it is asked (per subclass)."""

    asked: ClassVar[list[GenerationParams]] = []

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        self.asked.append(params)
        return super().stream_chat(turns, params, cancel)


def counting() -> type[Counting]:
    return type("Counted", (Counting,), {"asked": []})


def redo(
    qtbot: QtBot, hearth: Hearth, asked: list[object], message_id: int, action: MessageAction
) -> None:
    """Click ``action`` under the message once the window is idle (it may measure the
    context after an answer), until the engine is asked."""
    before = len(asked)

    def started() -> bool:
        if len(asked) > before:
            return True
        if not hearth.bridge.is_busy:
            click_message_action(qtbot, hearth.window.chat_view, message_id, action)
        return False

    qtbot.waitUntil(started, timeout=ANSWER_TIMEOUT_MS)


def allow(qtbot: QtBot, hearth: Hearth) -> None:
    """The approval prompt appears; Return allows the call once; the answer ends."""
    qtbot.keyClick(prompt_shown(qtbot, hearth), Qt.Key.Key_Return)
    finished(qtbot, hearth)


def last_id(hearth: Hearth) -> int:
    """The id of the last message shown (stored)."""
    message_id = rows(hearth)[-1].message_id
    assert message_id is not None
    return message_id


def stored_steps(hearth: Hearth, message_id: int) -> list[tuple[str, str]]:
    return [(step.name, step.status) for step in message_steps(hearth.store, message_id)]


def started_jobs(hearth: Hearth, monkeypatch: pytest.MonkeyPatch) -> list[AnswerJob]:
    """The jobs the window hands to the engine thread, in order."""
    jobs: list[AnswerJob] = []
    real = hearth.bridge.start_job

    def start_job(conversation_id: int, job: AnswerJob, params: GenerationParams) -> bool:
        jobs.append(job)
        return real(conversation_id, job, params)

    monkeypatch.setattr(hearth.bridge, "start_job", start_job)
    return jobs


def test_regenerate_runs_the_tool_loop_and_stores_the_step_with_the_new_answer(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regenerate in a chat with tools asks before the call, shows the step under the new
    answer and stores it there; the old version keeps its own step. The job is wrapped
    as a sent message's is: the tool loop outside, the documents job inside."""
    engine = counting()
    hearth = start(launch, qtbot, monkeypatch, tools_model, engine)
    jobs = started_jobs(hearth, monkeypatch)
    ask(qtbot, hearth, "Six times seven?")
    allow(qtbot, hearth)
    first = last_id(hearth)

    redo(qtbot, hearth, engine.asked, first, MessageAction.REGENERATE)
    allow(qtbot, hearth)
    again = rows(hearth)[-1]
    assert again.message_id is not None and again.message_id != first
    assert again.text == "Result: 42"
    [label] = step_labels(hearth)
    assert "calculator" in label and "done" in label
    assert stored_steps(hearth, again.message_id) == [("calculator", "done")]
    assert stored_steps(hearth, first) == [("calculator", "done")]
    sent, regenerated = jobs
    assert isinstance(sent, ToolTurnJob) and isinstance(sent.inner, DocumentsTurnJob)
    assert isinstance(regenerated, ToolTurnJob)
    assert isinstance(regenerated.inner, DocumentsRedoJob)


def test_continue_runs_the_tool_loop_and_keeps_the_steps_of_the_first_part(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Continue of an answer stopped at the approval prompt asks again, runs the call,
    and the answer shows (and keeps) both its stopped step and the new one."""
    engine = counting()
    hearth = start(launch, qtbot, monkeypatch, tools_model, engine)
    ask(qtbot, hearth, "Six times seven?")
    qtbot.keyClick(prompt_shown(qtbot, hearth), Qt.Key.Key_Escape)
    finished(qtbot, hearth)
    stopped = rows(hearth)[-1]
    assert stopped.finish_reason is FinishReason.CANCELLED and stopped.message_id is not None

    redo(qtbot, hearth, engine.asked, stopped.message_id, MessageAction.CONTINUE)
    allow(qtbot, hearth)
    continued = rows(hearth)[-1]
    assert continued.message_id == stopped.message_id
    assert continued.text.endswith("Result: 42")
    stopped_label, done_label = step_labels(hearth)
    assert "stopped" in stopped_label and "done" in done_label
    assert stored_steps(hearth, stopped.message_id) == [
        ("calculator", "cancelled"),
        ("calculator", "done"),
    ]


def test_edit_and_resend_runs_the_tool_loop(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited question is answered with the chat's tools: prompt, step, stored."""
    engine = counting()
    hearth = start(launch, qtbot, monkeypatch, tools_model, engine)
    ask(qtbot, hearth, "Six times seven?")
    allow(qtbot, hearth)
    question = rows(hearth)[0].message_id
    assert question is not None
    monkeypatch.setattr(
        QInputDialog,
        "getMultiLineText",
        staticmethod(lambda *args, **kwargs: ("Seven times six?", True)),
    )

    redo(qtbot, hearth, engine.asked, question, MessageAction.EDIT)
    allow(qtbot, hearth)
    edited, answer = rows(hearth)
    assert edited.text == "Seven times six?" and edited.message_id != question
    assert answer.text == "Result: 42" and answer.message_id is not None
    [label] = step_labels(hearth)
    assert "calculator" in label and "done" in label
    assert stored_steps(hearth, answer.message_id) == [("calculator", "done")]


def test_regenerate_offers_no_tools_to_a_model_without_tool_support(
    qtbot: QtBot, launch: Launcher, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With tools greyed out (the template takes none), Regenerate does not run the tool
    loop even though the chat has the calculator chosen: the model is offered no tools."""
    recorder = RecordingEngine.recorder()
    hearth = start(launch, qtbot, monkeypatch, tiny_model, recorder)
    tools = button(hearth)
    assert not tools.available and "calculator" in tools.selected()
    jobs = started_jobs(hearth, monkeypatch)
    ask(qtbot, hearth, "Hello")
    finished(qtbot, hearth)
    answer = last_id(hearth)

    redo(qtbot, hearth, recorder.received, answer, MessageAction.REGENERATE)
    finished(qtbot, hearth)
    assert recorder.received[-1][1].tools == ()
    assert not any(isinstance(job, ToolTurnJob) for job in jobs)


def test_regenerate_with_the_chat_tools_turned_off_answers_without_them(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tools turned off in the chat header: Regenerate asks nothing and calls nothing."""
    engine = counting()
    hearth = start(launch, qtbot, monkeypatch, tools_model, engine)
    tools = button(hearth)
    for key in tools.selected():
        tools.actions_by_key[key].trigger()
    assert tools.selected() == ()
    ask(qtbot, hearth, "Six times seven?")
    finished(qtbot, hearth)
    first = last_id(hearth)

    redo(qtbot, hearth, engine.asked, first, MessageAction.REGENERATE)
    finished(qtbot, hearth)
    assert rows(hearth)[-1].text == "Result: none"
    assert engine.asked[-1].tools == ()
    assert step_labels(hearth) == []
