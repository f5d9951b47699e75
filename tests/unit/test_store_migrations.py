"""Schema migrations: a database written by an older Hearth opens with its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.core.chats.store import _MIGRATIONS, _SCHEMA_V1, SCHEMA_VERSION, Store


def _write_v1_database(path: Path) -> None:
    """What Hearth's first release left on disk: two flat conversations, one answer cut off."""
    db = sqlite3.connect(path)
    for statement in _SCHEMA_V1:
        db.execute(statement)
    db.executemany(
        "INSERT INTO conversations (id, title, system_prompt, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [(1, "Weather", "Be brief.", 100.0, 130.0), (2, "Greetings", "", 200.0, 210.0)],
    )
    db.executemany(
        "INSERT INTO messages (id, conversation_id, role, content, created_at, updated_at,"
        " model, finish_reason, prompt_tokens, generated_tokens, ttft_s, tokens_per_s)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, 1, "user", "今天天气怎么样?", 110.0, 110.0, None, "stop", None, None, None, None),
            (2, 2, "user", "Say hello", 201.0, 201.0, None, "stop", None, None, None, None),
            (3, 1, "assistant", "今天天气很好。", 111.0, 112.0, "Tiny", "stop", 9, 4, 0.1, 30.0),
            (4, 1, "user", "And tomorrow?", 120.0, 120.0, None, "stop", None, None, None, None),
            (5, 2, "assistant", "Hello there", 202.0, 203.0, "Tiny", None, None, None, None, None),
            (6, 1, "assistant", "Rain.", 121.0, 122.0, "Tiny", "length", 20, 2, 0.2, 25.0),
        ],
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def test_a_v1_database_migrates_to_the_current_schema_keeping_every_message(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hearth.sqlite3"
    _write_v1_database(path)

    store = Store.open(path)

    assert store.integrity_check() == "ok"
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert store.message_documents([1, 3]) == {}  # v4: documents a message carries
    weather = store.messages(1)
    assert [(m.id, m.role, m.content) for m in weather] == [
        (1, Role.USER, "今天天气怎么样?"),
        (3, Role.ASSISTANT, "今天天气很好。"),
        (4, Role.USER, "And tomorrow?"),
        (6, Role.ASSISTANT, "Rain."),
    ]
    # A flat conversation became a single branch: each message follows the previous one.
    assert [m.parent_id for m in weather] == [None, 1, 3, 4]
    assert all((m.sibling_index, m.sibling_count) == (0, 1) for m in weather)
    assert weather[3].finish_reason is FinishReason.LENGTH
    assert weather[1].stats is not None and weather[1].stats.generated_tokens == 4
    greetings = store.messages(2)
    assert [m.content for m in greetings] == ["Say hello", "Hello there"]
    assert greetings[1].is_streaming
    conversation = store.conversation(1)
    assert conversation is not None
    assert (conversation.title, conversation.system_prompt, conversation.pinned) == (
        "Weather",
        "Be brief.",
        False,
    )
    assert store.conversation_overrides(1) == {}


def test_migrated_messages_and_titles_are_searchable(tmp_path: Path) -> None:
    path = tmp_path / "hearth.sqlite3"
    _write_v1_database(path)
    store = Store.open(path)

    assert [(h.conversation_id, h.message_id) for h in store.search("天气")] == [(1, 3), (1, 1)]
    assert [(h.conversation_id, h.message_id) for h in store.search("greetings")] == [(2, None)]
    # The answer cut off mid-stream is indexed once it is marked interrupted.
    assert store.search("there") == []
    assert store.mark_interrupted_answers(stale_after_s=0) == 1
    assert [h.message_id for h in store.search("there")] == [5]


def test_new_messages_after_migration_continue_the_branch(tmp_path: Path) -> None:
    path = tmp_path / "hearth.sqlite3"
    _write_v1_database(path)
    store = Store.open(path)

    question = store.add_user_message(1, "And next week?")
    assert question.parent_id == 6
    assert [m.content for m in store.messages(1)][-2:] == ["Rain.", "And next week?"]


def test_opening_twice_migrates_once(tmp_path: Path) -> None:
    path = tmp_path / "hearth.sqlite3"
    _write_v1_database(path)
    Store.open(path).close()
    store = Store.open(path)
    assert len(store.messages(1)) == 4
    assert len(store.search("天气")) == 2


def test_a_v2_database_gets_the_unfinished_answer_index_and_keeps_its_branches(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hearth.sqlite3"
    _write_v1_database(path)
    db = sqlite3.connect(path, isolation_level=None)
    _MIGRATIONS[1](db)  # what a version-2 Hearth left: the tree, the search index
    db.execute("PRAGMA user_version = 2")
    db.execute("UPDATE messages SET updated_at = 0 WHERE id = 5")
    db.close()

    store = Store.open(path)

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    plan = " ".join(
        str(row[-1])
        for row in raw.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM messages"
            " WHERE finish_reason IS NULL AND updated_at < 1"
        )
    )
    assert "messages_unfinished" in plan
    assert store.mark_interrupted_answers() == 1
    assert [m.content for m in store.messages(1)][-1] == "Rain."
    assert [h.message_id for h in store.search("there")] == [5]


def test_a_conversations_documents_are_read_in_one_go(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "hearth.sqlite3")
    chat, other = store.create_conversation(), store.create_conversation()
    question = store.add_user_message(chat.id, "Summarise this")
    store.add_user_message(other.id, "Unrelated")
    store.set_message_documents(question.id, {"attachments": [{"name": "notes.md"}]})
    answer = store.begin_answer(chat.id, "model")
    store.set_message_documents(answer, {"sources": [{"number": 1}]})
    assert store.conversation_documents(chat.id) == {
        question.id: {"attachments": [{"name": "notes.md"}]},
        answer: {"sources": [{"number": 1}]},
    }
    assert store.conversation_documents(other.id) == {}
    store.close()
