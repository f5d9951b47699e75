"""The conversation store: saving, reloading, schema versions, interrupted answers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.chats.export import to_json, to_markdown
from desktop_app.core.chats.model import FinishReason, GenerationStats, Role
from desktop_app.core.chats.store import SCHEMA_VERSION, Store, StoreError


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hearth.sqlite3"


def test_a_conversation_survives_closing_and_reopening(db_path: Path) -> None:
    store = Store.open(db_path)
    conversation = store.create_conversation(system_prompt="Answer in French.")
    store.add_user_message(conversation.id, "How do I say hello?")
    answer = store.begin_answer(conversation.id, "Tiny")
    stats = GenerationStats(12, 3, 0.05, 40.0)
    store.finish_answer(answer, "Bonjour !", FinishReason.STOP, stats)
    store.close()

    reopened = Store.open(db_path)
    [saved] = reopened.conversations()
    assert saved.title == "How do I say hello?"
    assert saved.system_prompt == "Answer in French."
    question, reply = reopened.messages(saved.id)
    assert (question.role, question.content) == (Role.USER, "How do I say hello?")
    assert (reply.role, reply.content, reply.model) == (Role.ASSISTANT, "Bonjour !", "Tiny")
    assert reply.finish_reason is FinishReason.STOP
    assert reply.stats == stats
    assert reply.created_at > 0


def test_database_uses_wal_and_is_versioned(db_path: Path) -> None:
    Store.open(db_path).close()
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_streaming_answer_is_visible_to_another_connection_as_it_grows(db_path: Path) -> None:
    writer = Store.open(db_path)
    conversation = writer.create_conversation()
    writer.add_user_message(conversation.id, "Count")
    answer = writer.begin_answer(conversation.id, "Tiny")
    writer.update_answer(answer, "one, two")

    reader = Store.open(db_path)
    partial = reader.message(answer)
    assert partial is not None
    assert partial.content == "one, two"
    assert partial.is_streaming


def test_stale_streaming_answers_are_marked_interrupted(db_path: Path) -> None:
    store = Store.open(db_path)
    conversation = store.create_conversation()
    answer = store.begin_answer(conversation.id, "Tiny")
    store.update_answer(answer, "half an ans")
    assert store.mark_interrupted_answers(stale_after_s=60) == 0
    assert store.mark_interrupted_answers(stale_after_s=0) == 1
    message = store.message(answer)
    assert message is not None
    assert (message.content, message.finish_reason) == ("half an ans", FinishReason.INTERRUPTED)


def test_a_database_from_a_newer_version_is_refused_with_a_clear_message(db_path: Path) -> None:
    Store.open(db_path).close()
    db = sqlite3.connect(db_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer Hearth"):
        Store.open(db_path)


def test_a_file_that_is_not_a_database_is_refused_with_a_clear_message(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="Cannot open the conversation database"):
        Store.open(db_path)


def test_conversations_are_listed_most_recent_first(db_path: Path) -> None:
    store = Store.open(db_path)
    first = store.create_conversation()
    second = store.create_conversation()
    store.add_user_message(first.id, "newest activity")
    assert [c.id for c in store.conversations()] == [first.id, second.id]
    assert store.latest_conversation() == store.conversation(first.id)


def test_exports_carry_the_whole_conversation(db_path: Path) -> None:
    store = Store.open(db_path)
    conversation = store.create_conversation(system_prompt="Be kind.")
    store.add_user_message(conversation.id, "你好")
    answer = store.begin_answer(conversation.id, "Tiny")
    store.finish_answer(answer, "Hello!", FinishReason.LENGTH, GenerationStats(5, 2, 0.1, 9.0))
    saved = store.conversation(conversation.id)
    assert saved is not None
    messages = store.messages(conversation.id)

    document = json.loads(to_json(saved, messages))
    assert document["title"] == "你好"
    assert document["system_prompt"] == "Be kind."
    assert [(m["role"], m["content"]) for m in document["messages"]] == [
        ("user", "你好"),
        ("assistant", "Hello!"),
    ]
    assert document["messages"][1]["finish_reason"] == "length"
    assert document["messages"][1]["stats"]["generated_tokens"] == 2

    markdown = to_markdown(saved, messages)
    assert markdown.startswith("# 你好\n")
    assert "## Assistant (Tiny)\n\nHello!" in markdown
