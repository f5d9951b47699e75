"""Export and import: JSON round trips every branch; bad files are refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.chats.export import all_to_markdown, export_all_text, export_text
from desktop_app.core.chats.importer import InvalidExport, parse_export
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _branched_conversation(store: Store) -> int:
    conversation = store.create_conversation(system_prompt="Be brief.")
    question = store.add_user_message(conversation.id, "Name a colour 颜色")
    first = store.begin_answer(conversation.id, "Tiny")
    store.finish_answer(first, "Red", FinishReason.STOP, GenerationStats(5, 1, 0.1, 20.0))
    second = store.begin_answer(conversation.id, "Tiny", parent_id=question.id)
    store.finish_answer(second, "Blue", FinishReason.LENGTH, GenerationStats(5, 1))
    store.switch_to(first)
    store.set_pinned(conversation.id, True)
    store.set_conversation_overrides(conversation.id, {"temperature": 0.3})
    return conversation.id


def _export(store: Store, conversation_id: int) -> dict:
    conversation = store.conversation(conversation_id)
    assert conversation is not None
    return json.loads(export_text(store, conversation, as_json=True))


def test_export_import_export_gives_the_same_json_apart_from_the_id(
    store: Store, tmp_path: Path
) -> None:
    original_id = _branched_conversation(store)
    exported = _export(store, original_id)

    other = Store.open(tmp_path / "other.sqlite3")
    [imported_id] = other.import_conversations(parse_export(json.dumps(exported)))
    again = _export(other, imported_id)

    assert exported.pop("id") == original_id
    assert again.pop("id") == imported_id
    assert again == exported
    assert [m.content for m in other.messages(imported_id)] == ["Name a colour 颜色", "Red"]
    assert [h.conversation_id for h in other.search("颜色")] == [imported_id, imported_id]


def test_exporting_everything_round_trips_every_conversation(store: Store, tmp_path: Path) -> None:
    first = _branched_conversation(store)
    second = store.create_conversation()
    store.add_user_message(second.id, "Another one")
    text = export_all_text(store, as_json=True)

    other = Store.open(tmp_path / "other.sqlite3")
    ids = other.import_conversations(parse_export(text))
    assert [other.conversation(i).title for i in ids] == ["Another one", "Name a colour 颜色"]  # type: ignore[union-attr]
    assert len(other.all_messages(ids[1])) == len(store.all_messages(first)) == 3


def test_markdown_shows_the_branch_on_screen(store: Store) -> None:
    conversation_id = _branched_conversation(store)
    conversation = store.conversation(conversation_id)
    assert conversation is not None
    markdown = export_text(store, conversation, as_json=False)
    assert "## Assistant (Tiny) [version 1/2]\n\nRed" in markdown
    assert "Blue" not in markdown
    both = all_to_markdown([(conversation, store.messages(conversation_id))] * 2)
    assert both.count("# Name a colour") == 2
    assert export_all_text(store, as_json=False) == markdown


def test_a_version_1_export_imports_as_a_single_branch(store: Store) -> None:
    document = {
        "format": "hearth.conversation",
        "version": 1,
        "id": 7,
        "title": "Old",
        "system_prompt": "",
        "created_at": "2025-01-01T10:00:00+00:00",
        "updated_at": "2025-01-01T10:05:00+00:00",
        "messages": [
            {"role": "user", "content": "Hi", "created_at": "2025-01-01T10:00:00+00:00"},
            {
                "role": "assistant",
                "content": "Hello",
                "created_at": "2025-01-01T10:00:01+00:00",
                "model": "Tiny",
                "finish_reason": "stop",
                "stats": {"prompt_tokens": 3, "generated_tokens": 1},
            },
        ],
    }
    [conversation_id] = store.import_conversations(parse_export(json.dumps(document)))
    messages = store.messages(conversation_id)
    assert [(m.role.value, m.content) for m in messages] == [("user", "Hi"), ("assistant", "Hello")]
    assert messages[1].parent_id == messages[0].id


def _valid() -> dict:
    return {
        "format": "hearth.conversation",
        "version": 2,
        "title": "T",
        "created_at": "2025-01-01T10:00:00+00:00",
        "updated_at": "2025-01-01T10:00:00+00:00",
        "messages": [
            {"id": 1, "parent": None, "role": "user", "content": "Hi",
             "created_at": "2025-01-01T10:00:00+00:00"},
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: "{not json", "not JSON (line 1, column 2"),
        (lambda d: [1, 2], "the file holds no JSON object"),
        (lambda d: {**d, "format": "chatgpt"}, "not a Hearth export: format is 'chatgpt'"),
        (lambda d: {**d, "version": 9}, "newer Hearth"),
        (lambda d: {k: v for k, v in d.items() if k != "title"}, "title: missing"),
        (lambda d: {**d, "messages": {}}, "messages: expected a list, got an object"),
        (
            lambda d: {**d, "messages": [{**d["messages"][0], "role": "bot"}]},
            "messages[0].role: expected user, assistant or system, got 'bot'",
        ),
        (
            lambda d: {**d, "messages": [{**d["messages"][0], "parent": 5}]},
            "messages[0].parent: no earlier message has id 5",
        ),
        (
            lambda d: {**d, "messages": [{**d["messages"][0], "created_at": "yesterday"}]},
            "messages[0].created_at: not an ISO 8601 time",
        ),
        (lambda d: {**d, "current": 3}, "current: no message has id 3"),
    ],
)
def test_a_malformed_file_is_refused_with_what_is_wrong(change, message: str) -> None:  # type: ignore[no-untyped-def]
    changed = change(_valid())
    text = changed if isinstance(changed, str) else json.dumps(changed)
    with pytest.raises(InvalidExport) as error:
        parse_export(text)
    assert message in str(error.value)


def test_a_bad_conversation_in_a_collection_names_it_and_nothing_is_imported(
    store: Store,
) -> None:
    good = _valid()
    bad = {**_valid(), "messages": [{**good["messages"][0], "content": 5}]}
    text = json.dumps(
        {"format": "hearth.conversations", "version": 2, "conversations": [good, bad]}
    )
    with pytest.raises(InvalidExport, match=r"conversations\[1\]\.messages\[0\]\.content"):
        parse_export(text)
    assert store.conversations() == []


def test_an_import_that_fails_midway_leaves_nothing_behind(store: Store) -> None:
    items = parse_export(
        json.dumps({"format": "hearth.conversations", "version": 2,
                    "conversations": [_valid(), _valid()]})
    )  # fmt: skip
    store.close()
    reopened = Store.open(store.path)
    reopened._db.execute(  # a write that fails on the second conversation
        "CREATE TRIGGER refuse_second BEFORE INSERT ON conversations"
        " WHEN (SELECT COUNT(*) FROM conversations) >= 1"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(Exception, match="disk full"):
        reopened.import_conversations(items)
    assert reopened.conversations() == []
    assert reopened.search("Hi") == []
