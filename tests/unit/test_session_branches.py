"""Edit and resend, regenerate and continue: new versions stream and are saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.session import continue_answer, regenerate, run_turn
from desktop_app.core.chats.store import Store
from desktop_app.core.chats.titles import clean_title, suggest_title
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)


class EchoEngine:
    """Answers with a fixed text per call, remembering the turns it was given."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.seen: list[list[ChatTurn]] = []

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("Echo", "echo.gguf", "test", 512, "test format")

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        self.seen.append(list(turns))
        text = self.answers.pop(0)
        for count, character in enumerate(text, start=1):
            yield TextDelta(character, count)
        yield Finished(FinishReason.STOP, GenerationStats(3, 1))

    def close(self) -> None:
        pass


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _drain(events: Iterator[EngineEvent]) -> None:
    for _ in events:
        pass


def _contents(store: Store, conversation_id: int) -> list[str]:
    return [m.content for m in store.messages(conversation_id)]


def test_edit_and_resend_answers_the_new_question_on_a_sibling_branch(store: Store) -> None:
    engine = EchoEngine("four", "twelve", "twenty")
    conversation = store.create_conversation()
    params = GenerationParams()
    _drain(run_turn(engine, store, conversation.id, "2+2?", params))
    _drain(run_turn(engine, store, conversation.id, "times 3?", params))
    old_question = store.messages(conversation.id)[2]

    _drain(
        run_turn(
            engine, store, conversation.id, "times 5?", params, parent_id=old_question.parent_id
        )
    )

    assert _contents(store, conversation.id) == ["2+2?", "four", "times 5?", "twenty"]
    assert [t.content for t in engine.seen[-1]] == ["2+2?", "four", "times 5?"]
    edited = store.messages(conversation.id)[2]
    assert (edited.sibling_index, edited.sibling_count) == (1, 2)


def test_regenerate_makes_a_sibling_answer_from_the_same_question(store: Store) -> None:
    engine = EchoEngine("red", "blue")
    conversation = store.create_conversation(system_prompt="Be brief.")
    _drain(run_turn(engine, store, conversation.id, "A colour?", GenerationParams()))
    first = store.messages(conversation.id)[-1]

    _drain(regenerate(engine, store, first.id, GenerationParams()))

    assert [t.content for t in engine.seen[-1]] == ["Be brief.", "A colour?"]
    newest = store.messages(conversation.id)[-1]
    assert (newest.content, newest.sibling_index, newest.sibling_count) == ("blue", 1, 2)
    assert store.sibling(newest.id, -1) == first.id


def test_continue_adds_text_onto_an_interrupted_answer(store: Store) -> None:
    engine = EchoEngine(" upon a time.")
    conversation = store.create_conversation()
    store.add_user_message(conversation.id, "Tell a story")
    answer = store.begin_answer(conversation.id, "Echo")
    store.update_answer(answer, "Once")
    store.mark_interrupted_answers(stale_after_s=0)

    _drain(continue_answer(engine, store, answer, GenerationParams()))

    assert engine.seen[-1][-1] == ChatTurn("assistant", "Once")
    message = store.message(answer)
    assert message is not None
    assert (message.content, message.finish_reason) == ("Once upon a time.", FinishReason.STOP)
    assert [h.message_id for h in store.search("upon")] == [answer]


@pytest.mark.parametrize("job", [regenerate, continue_answer])
def test_regenerate_and_continue_refuse_a_question_or_a_missing_id(store: Store, job) -> None:
    conversation = store.create_conversation()
    question = store.add_user_message(conversation.id, "Hello?").id
    for not_an_answer in (question, question + 1000):
        with pytest.raises(KeyError):
            _drain(job(EchoEngine("x"), store, not_an_answer, GenerationParams()))
    assert _contents(store, conversation.id) == ["Hello?"]


def test_the_model_names_a_conversation_on_request(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_user_message(conversation.id, "How warm will Paris be tomorrow?")
    assert store.conversation(conversation.id).title == "How warm will Paris be tomorrow?"  # type: ignore[union-attr]

    title = suggest_title(EchoEngine('Title: "Paris weather".\nMore text'), store, conversation.id)

    assert title == "Paris weather"
    assert store.conversation(conversation.id).title == "Paris weather"  # type: ignore[union-attr]
    assert suggest_title(EchoEngine('""'), store, conversation.id) == (
        "How warm will Paris be tomorrow?"
    )
    assert clean_title("“天气预报”。") == "天气预报"
