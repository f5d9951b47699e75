"""ToolTurnJob around Regenerate, Continue and Edit-and-resend: each answer keeps its
own steps (a regenerated answer gets the new ones, the old version keeps its own), a
continued answer keeps the steps of its first part, and a step reported before the
answer exists (a server that could not start) never lands on the previous answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.chats.jobs import ContinueJob, RegenerateJob, TurnJob
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import CancelToken, GenerationParams, TextDelta
from desktop_app.core.tools.approval import Decision
from desktop_app.core.tools.builtins import Calculator
from desktop_app.core.tools.chat_job import SERVER_PROBLEM, InnerJob, ToolTurnJob
from desktop_app.core.tools.steps import StoredStep, message_steps, save_steps
from desktop_app.core.tools.toolbox import Toolbox
from tests.unit.test_tool_chat_job import CallingEngine


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def with_tools(inner: InnerJob, problem: str = "") -> ToolTurnJob:
    def toolbox(store: Store, conversation_id: int) -> Toolbox:
        box = Toolbox([Calculator()])
        if problem:
            box.problems.append(problem)
        return box

    return ToolTurnJob(inner, toolbox, lambda call, cancel: Decision.ALLOW_ONCE)


def answer(job: ToolTurnJob, store: Store, conversation_id: int) -> str:
    events = job(CallingEngine(), store, conversation_id, GenerationParams(), CancelToken())  # type: ignore[arg-type]
    return "".join(event.text for event in events if isinstance(event, TextDelta))


def earlier_step(name: str = "earlier") -> StoredStep:
    return StoredStep(name, {"expression": "1"}, "done", "1")


def test_a_regenerated_answer_gets_the_new_steps_and_the_old_one_keeps_its_own(
    store: Store,
) -> None:
    """Regenerate makes a new answer: its steps are stored with it, not the old version."""
    conversation = store.create_conversation()
    answer(with_tools(TurnJob("2+3?")), store, conversation.id)
    _, first = store.messages(conversation.id)
    save_steps(store, first.id, [earlier_step()])
    assert answer(with_tools(RegenerateJob(first.id)), store, conversation.id) == "It is 5."
    _, second = store.messages(conversation.id)
    assert second.id != first.id
    assert [step.name for step in message_steps(store, first.id)] == ["earlier"]
    [step] = message_steps(store, second.id)
    assert (step.name, step.status, step.result) == ("calculator", "done", "5")


def test_a_continued_answer_keeps_the_steps_of_its_first_part(store: Store) -> None:
    """Continue writes onto the same answer: the steps it had stay, the new ones follow."""
    conversation = store.create_conversation()
    store.add_user_message(conversation.id, "2+3?")
    cut = store.begin_answer(conversation.id, "m")
    store.finish_answer(cut, "Let me see", FinishReason.LENGTH, GenerationStats())
    save_steps(store, cut, [earlier_step()])
    answer(with_tools(ContinueJob(cut)), store, conversation.id)
    assert store.message(cut).content == "Let me seeIt is 5."  # type: ignore[union-attr]
    assert [step.name for step in message_steps(store, cut)] == ["earlier", "calculator"]


def test_a_server_problem_is_stored_with_the_new_answer_not_the_previous_one(
    store: Store,
) -> None:
    """A step reported before the answer begins waits for it: the answer before it (the
    conversation's leaf until then) keeps its own steps."""
    conversation = store.create_conversation()
    answer(with_tools(TurnJob("2+3?")), store, conversation.id)
    _, previous = store.messages(conversation.id)
    answer(with_tools(TurnJob("again?"), "ghost: could not start"), store, conversation.id)
    *_, question, latest = store.messages(conversation.id)
    assert [step.name for step in message_steps(store, previous.id)] == ["calculator"]
    assert [step.name for step in message_steps(store, latest.id)] == [SERVER_PROBLEM, "calculator"]
    assert message_steps(store, question.id) == []
