"""What the engine receives for each kind of turn: the chat's parameters, the cancel
token, and exactly the turns the answer follows.

The store tests check what is saved; these check what is *sent*, so that a turn that
drops the chat's own temperature or its stop button, or a regenerated answer that sees
the old answer, fails. Found by mutation testing (``benchmarks/mutation.py
session_store``); each test names the promise it guards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats, Role
from desktop_app.core.chats.session import (
    continue_answer,
    conversation_turns,
    regenerate,
    run_turn,
)
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)

PARAMS = GenerationParams(temperature=0.1, max_tokens=7, stop=("END",))


class RecordingEngine:
    """Answers "ok" and records every call: the turns, the parameters and the token."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[ChatTurn], GenerationParams, CancelToken | None]] = []

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("Recorder", "recorder.gguf", "test", 512, "test format")

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        self.calls.append((list(turns), params, cancel))
        yield TextDelta("ok", 1)
        yield Finished(FinishReason.STOP, GenerationStats(3, 1))

    def close(self) -> None:
        pass


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _turns(calls: list[tuple[list[ChatTurn], GenerationParams, CancelToken | None]]) -> list:
    return [(t.role, t.content) for t in calls[-1][0]]


def test_every_kind_of_turn_sends_the_chats_parameters_and_cancel_token(store: Store) -> None:
    """Promise: the parameters given for a chat (its overrides, its preset) and its stop
    button reach the engine on a new turn, a regenerated answer and a continued one."""
    engine = RecordingEngine()
    chat = store.create_conversation(system_prompt="Be brief.")
    cancel = CancelToken()
    list(run_turn(engine, store, chat.id, "Hi", PARAMS, cancel))
    answer = store.messages(chat.id)[-1]
    list(regenerate(engine, store, answer.id, PARAMS, cancel))
    latest = store.messages(chat.id)[-1]
    list(continue_answer(engine, store, latest.id, PARAMS, cancel))
    assert len(engine.calls) == 3
    for _, params, token in engine.calls:
        assert params is PARAMS
        assert token is cancel


def test_a_regenerated_answer_follows_its_question_only(store: Store) -> None:
    """Promise: regenerating sends the conversation up to the question (not the old
    answer) and saves the new version under the model's name, beside the old one."""
    engine = RecordingEngine()
    chat = store.create_conversation(system_prompt="Be brief.")
    list(run_turn(engine, store, chat.id, "Hi", PARAMS))
    list(run_turn(engine, store, chat.id, "Again", PARAMS))
    first_answer = store.messages(chat.id)[1]
    list(regenerate(engine, store, first_answer.id, PARAMS))
    assert _turns(engine.calls) == [("system", "Be brief."), ("user", "Hi")]
    shown = store.messages(chat.id)
    assert [m.content for m in shown] == ["Hi", "ok"]
    assert shown[-1].model == "Recorder"
    assert shown[-1].sibling_count == 2


def test_an_answer_to_nothing_is_regenerated_from_the_system_prompt(store: Store) -> None:
    """Promise: an answer without a question (a continued system prompt) is regenerated
    from the system prompt alone."""
    engine = RecordingEngine()
    chat = store.create_conversation(system_prompt="Be brief.")
    answer_id = store.begin_answer(chat.id, "Recorder", parent_id=None)
    store.finish_answer(answer_id, "old", FinishReason.STOP, GenerationStats())
    list(regenerate(engine, store, answer_id, PARAMS))
    assert _turns(engine.calls) == [("system", "Be brief.")]


def test_continuing_sends_the_answer_so_far_as_the_last_turn(store: Store) -> None:
    """Promise: continuing an interrupted answer sends the conversation up to it, with
    its text so far as the assistant's last turn, and appends the new text."""
    engine = RecordingEngine()
    chat = store.create_conversation()
    list(run_turn(engine, store, chat.id, "Hi", PARAMS))
    answer = store.messages(chat.id)[-1]
    list(run_turn(engine, store, chat.id, "Later", PARAMS))
    list(continue_answer(engine, store, answer.id, PARAMS))
    assert _turns(engine.calls) == [("user", "Hi"), ("assistant", "ok")]
    assert store.message(answer.id).content == "okok"  # type: ignore[union-attr]


def test_continuing_an_empty_answer_adds_it_as_an_assistant_turn(store: Store) -> None:
    """Promise: an answer interrupted before its first word is continued as an
    assistant turn (empty answers are otherwise left out of the conversation)."""
    engine = RecordingEngine()
    chat = store.create_conversation()
    store.add_user_message(chat.id, "Hi")
    answer_id = store.begin_answer(chat.id, "Recorder")
    store.finish_answer(answer_id, "", FinishReason.CANCELLED, GenerationStats())
    list(continue_answer(engine, store, answer_id, PARAMS))
    assert _turns(engine.calls) == [("user", "Hi"), ("assistant", "")]


def test_failed_and_empty_answers_are_left_out_but_questions_are_not(store: Store) -> None:
    """Promise: the engine never sees a failed answer or an empty one, but always sees
    every question (an empty one too)."""
    chat = store.create_conversation()
    store.add_user_message(chat.id, "")
    failed = store.begin_answer(chat.id, "m")
    store.finish_answer(failed, "half", FinishReason.ERROR, GenerationStats())
    store.add_user_message(chat.id, "Q")
    empty = store.begin_answer(chat.id, "m")
    store.finish_answer(empty, "", FinishReason.CANCELLED, GenerationStats())
    store.add_user_message(chat.id, "R")
    assert conversation_turns(store, chat.id) == [
        ChatTurn("user", ""),
        ChatTurn("user", "Q"),
        ChatTurn("user", "R"),
    ]


def test_unknown_ids_are_named(store: Store) -> None:
    """Promise: asking for a conversation or an answer that does not exist says which."""
    with pytest.raises(KeyError, match="No conversation with id 99"):
        conversation_turns(store, 99)
    chat = store.create_conversation()
    question = store.add_user_message(chat.id, "Hi")
    with pytest.raises(KeyError, match=f"No answer with id {question.id}"):
        list(regenerate(RecordingEngine(), store, question.id, PARAMS))
    assert store.messages(chat.id)[-1].role is Role.USER


def test_a_finished_answer_is_searchable_by_its_text(store: Store) -> None:
    """Promise: search finds an answer by its words once it is finished, and points
    at that answer."""
    chat = store.create_conversation()
    store.add_user_message(chat.id, "Hi")
    answer_id = store.begin_answer(chat.id, "m")
    other = store.create_conversation()
    store.add_user_message(other.id, "a question written while the answer streams")
    store.finish_answer(answer_id, "penguins waddle", FinishReason.STOP, GenerationStats())
    hits = store.search("penguins")
    assert [(hit.message_id, hit.role) for hit in hits] == [(answer_id, "assistant")]


def test_reopening_a_question_is_refused_by_id(store: Store) -> None:
    """Promise: only an answer can be continued; the message names the id."""
    chat = store.create_conversation()
    question = store.add_user_message(chat.id, "Hi")
    with pytest.raises(KeyError, match=f"No answer with id {question.id}"):
        store.reopen_answer(question.id)
