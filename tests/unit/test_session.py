"""run_turn: the question and the answer are saved, and the answer is saved as it grows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats, Role
from desktop_app.core.chats.session import conversation_turns, run_turn
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


class ScriptedEngine:
    """Answers with fixed pieces, advancing a fake clock by one second per piece."""

    def __init__(self, pieces: list[str], clock: list[float]) -> None:
        self.pieces = pieces
        self.clock = clock
        self.seen: list[list[ChatTurn]] = []
        self.store: Store | None = None
        self.snapshots: list[str] = []

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("Scripted", "scripted.gguf", "test", 512, "test format")

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        self.seen.append(list(turns))
        for count, piece in enumerate(self.pieces, start=1):
            if cancel is not None and cancel.cancelled:
                yield Finished(FinishReason.CANCELLED, GenerationStats(3, 1))
                return
            self.clock[0] += 1.0
            yield TextDelta(piece, count)
        yield Finished(FinishReason.STOP, GenerationStats(3, len(self.pieces), 0.1, 50.0))

    def close(self) -> None:
        pass


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _answer_text(store: Store, conversation_id: int) -> str:
    return store.messages(conversation_id)[-1].content


def test_question_and_answer_are_saved_with_stats(store: Store) -> None:
    clock = [0.0]
    engine = ScriptedEngine(["Hel", "lo"], clock)
    conversation = store.create_conversation(system_prompt="Be brief.")
    events = list(run_turn(engine, store, conversation.id, "Hi", GenerationParams()))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Hel", "lo"]
    question, answer = store.messages(conversation.id)
    assert (question.role, question.content) == (Role.USER, "Hi")
    assert (answer.content, answer.finish_reason, answer.model) == (
        "Hello",
        FinishReason.STOP,
        "Scripted",
    )
    assert answer.stats is not None
    assert answer.stats.generated_tokens == 2
    assert engine.seen[0] == [ChatTurn("system", "Be brief."), ChatTurn("user", "Hi")]


def test_the_answer_is_flushed_at_every_interval_while_it_streams(store: Store) -> None:
    clock = [0.0]
    engine = ScriptedEngine(["a", "b", "c", "d", "e"], clock)
    conversation = store.create_conversation()
    seen_in_store = []
    for event in run_turn(
        engine,
        store,
        conversation.id,
        "go",
        GenerationParams(),
        flush_interval_s=2.0,
        clock=lambda: clock[0],
    ):
        if isinstance(event, TextDelta):
            seen_in_store.append(_answer_text(store, conversation.id))
    assert seen_in_store == ["", "ab", "ab", "abcd", "abcd"]
    assert _answer_text(store, conversation.id) == "abcde"


def test_stopping_early_keeps_the_text_and_marks_the_answer_cancelled(store: Store) -> None:
    engine = ScriptedEngine(["one ", "two ", "three"], [0.0])
    conversation = store.create_conversation()
    events = run_turn(engine, store, conversation.id, "count", GenerationParams())
    next(events)
    next(events)
    events.close()
    answer = store.messages(conversation.id)[-1]
    assert (answer.content, answer.finish_reason) == ("one two ", FinishReason.CANCELLED)


def test_following_turns_see_the_whole_conversation(store: Store) -> None:
    engine = ScriptedEngine(["ok"], [0.0])
    conversation = store.create_conversation()
    list(run_turn(engine, store, conversation.id, "first", GenerationParams()))
    list(run_turn(engine, store, conversation.id, "second", GenerationParams()))
    assert conversation_turns(store, conversation.id) == [
        ChatTurn("user", "first"),
        ChatTurn("assistant", "ok"),
        ChatTurn("user", "second"),
        ChatTurn("assistant", "ok"),
    ]


class FailingEngine(ScriptedEngine):
    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        yield TextDelta("half ", 1)
        raise RuntimeError("the GPU fell off")


def test_an_engine_failure_keeps_the_text_and_marks_the_answer_as_an_error(store: Store) -> None:
    conversation = store.create_conversation()
    events = run_turn(FailingEngine([], [0.0]), store, conversation.id, "go", GenerationParams())
    with pytest.raises(RuntimeError, match="fell off"):
        list(events)
    answer = store.messages(conversation.id)[-1]
    assert (answer.content, answer.finish_reason) == ("half ", FinishReason.ERROR)
