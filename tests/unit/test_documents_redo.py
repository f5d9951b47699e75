"""Regenerate and Continue with documents: the model sees the files attached up to the
question answered again, and the sources its answer began with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.chats.store import Store
from desktop_app.core.documents.attachments import (
    answer_sources,
    attach,
    continue_with_documents,
    regenerate_with_documents,
    run_turn_with_documents,
)
from desktop_app.core.engine.base import EngineCapabilities, GenerationParams
from tests.unit.test_session_branches import EchoEngine as _Echo


class EchoEngine(_Echo):
    @property
    def capabilities(self) -> EngineCapabilities:
        return EngineCapabilities()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "hearth.sqlite3")
    yield store
    store.close()


def _drain(events: Iterator[object]) -> None:
    for _ in events:
        pass


def test_regenerating_an_earlier_answer_sees_only_the_files_attached_up_to_it(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "first.md").write_text("Apples are red.", encoding="utf-8")
    (tmp_path / "later.md").write_text("Plums are purple.", encoding="utf-8")
    engine = EchoEngine("one", "two", "again")
    params = GenerationParams()
    conversation = store.create_conversation()
    first = [attach(tmp_path / "first.md")]
    later = [attach(tmp_path / "later.md")]
    _drain(run_turn_with_documents(engine, store, conversation.id, "Q1", params, attachments=first))
    _drain(run_turn_with_documents(engine, store, conversation.id, "Q2", params, attachments=later))
    old_answer = store.messages(conversation.id)[1]

    _drain(regenerate_with_documents(engine, store, old_answer.id, params))

    prompt = engine.seen[-1][-1].content
    assert "Apples are red." in prompt and "Plums are purple." not in prompt
    assert prompt.endswith("Question: Q1")
    question, answer = store.messages(conversation.id)
    assert answer.id != old_answer.id and answer.parent_id == question.id
    assert [s.label for s in answer_sources(store, answer.id)] == ["[1] first.md"]


def test_continue_shows_the_model_the_answers_sources(store: Store, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("The key is under the mat.", encoding="utf-8")
    engine = EchoEngine("It is", " there.")
    params = GenerationParams()
    conversation = store.create_conversation()
    attached = [attach(tmp_path / "notes.md")]
    _drain(
        run_turn_with_documents(
            engine, store, conversation.id, "Where?", params, attachments=attached
        )
    )
    answer = store.messages(conversation.id)[-1]

    _drain(continue_with_documents(engine, store, answer.id, params))

    turns = engine.seen[-1]
    assert [t.role for t in turns] == ["user", "assistant"]
    assert "The key is under the mat." in turns[0].content
    assert turns[1].content == "It is"
    assert store.messages(conversation.id)[-1].content == "It is there."
