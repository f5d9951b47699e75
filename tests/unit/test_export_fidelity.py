"""Export and import against what the store holds, written out by hand.

Round-trip tests compare one export with another, so a field the exporter drops
vanishes on both sides; here the export is compared with a hand-written document, and
an import with the store's contents field by field.
"""

from __future__ import annotations

import json
import time
import types
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.chats import store as store_module
from desktop_app.core.chats.export import export_all_text, export_text
from desktop_app.core.chats.importer import parse_export
from desktop_app.core.chats.model import FinishReason, GenerationStats, Role
from desktop_app.core.chats.store import Store

T0 = 1_700_000_000  # 2023-11-14T22:13:20Z


def at(minutes: int) -> str:
    return f"2023-11-14T22:{13 + minutes}:20+00:00"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The store's clock: set ``clock[0]`` before a write to date it."""
    now = [float(T0)]
    fake = types.SimpleNamespace(time=lambda: now[0], strftime=time.strftime)
    monkeypatch.setattr(store_module, "time", fake)
    return now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _branched_conversation(store: Store, clock: list[float]) -> int:
    """Two versions of one answer, the first on screen; pinned, with its own settings."""
    conversation = store.create_conversation(system_prompt="Be brief.")
    clock[0] = T0 + 60
    question = store.add_user_message(conversation.id, "Name a colour 颜色")
    clock[0] = T0 + 120
    first = store.begin_answer(conversation.id, "Tiny")
    clock[0] = T0 + 180
    store.finish_answer(first, "Red", FinishReason.STOP, GenerationStats(5, 1, 0.1, 20.0))
    clock[0] = T0 + 240
    second = store.begin_answer(conversation.id, "Other", parent_id=question.id)
    clock[0] = T0 + 300
    store.finish_answer(second, "Blue", FinishReason.LENGTH, GenerationStats(6, 2))
    store.switch_to(first)
    store.set_pinned(conversation.id, True)
    store.set_conversation_overrides(
        conversation.id, {"temperature": 0.3, "preset": "writer", "model": "tiny-q8"}
    )
    return conversation.id


def _expected(conversation_id: int) -> dict[str, Any]:
    return {
        "format": "hearth.conversation",
        "version": 2,
        "id": conversation_id,
        "title": "Name a colour 颜色",
        "system_prompt": "Be brief.",
        "pinned": True,
        "settings": {"temperature": 0.3, "preset": "writer", "model": "tiny-q8"},
        "created_at": at(0),
        "updated_at": at(4),
        "current": 2,
        "messages": [
            {
                "id": 1,
                "parent": None,
                "role": "user",
                "content": "Name a colour 颜色",
                "created_at": at(1),
                "model": None,
                "finish_reason": "stop",
                "stats": None,
            },
            {
                "id": 2,
                "parent": 1,
                "role": "assistant",
                "content": "Red",
                "created_at": at(2),
                "model": "Tiny",
                "finish_reason": "stop",
                "stats": {
                    "prompt_tokens": 5,
                    "generated_tokens": 1,
                    "time_to_first_token_s": 0.1,
                    "tokens_per_s": 20.0,
                },
            },
            {
                "id": 3,
                "parent": 1,
                "role": "assistant",
                "content": "Blue",
                "created_at": at(4),
                "model": "Other",
                "finish_reason": "length",
                "stats": {
                    "prompt_tokens": 6,
                    "generated_tokens": 2,
                    "time_to_first_token_s": None,
                    "tokens_per_s": None,
                },
            },
        ],
    }


def test_the_json_export_holds_everything_the_store_holds(store: Store, clock: list[float]) -> None:
    """Guards: every field of a conversation reaches its export (settings, pinning,
    branches, models, finish reasons, statistics, times)."""
    conversation_id = _branched_conversation(store, clock)
    conversation = store.conversation(conversation_id)
    assert conversation is not None
    assert json.loads(export_text(store, conversation, as_json=True)) == _expected(conversation_id)
    collection = json.loads(export_all_text(store, as_json=True))
    assert collection == {
        "format": "hearth.conversations",
        "version": 2,
        "conversations": [_expected(conversation_id)],
    }


def test_an_import_puts_every_field_into_the_store(store: Store) -> None:
    """Guards: importing a hand-written export gives exactly its contents in the store."""
    document = _expected(41)
    [conversation_id] = store.import_conversations(parse_export(json.dumps(document)))
    conversation = store.conversation(conversation_id)
    assert conversation is not None
    assert (conversation.title, conversation.system_prompt, conversation.pinned) == (
        "Name a colour 颜色",
        "Be brief.",
        True,
    )
    assert (conversation.created_at, conversation.updated_at) == (T0, T0 + 240)
    assert store.conversation_overrides(conversation_id) == document["settings"]
    messages = store.all_messages(conversation_id)
    assert [(m.role, m.content, m.model, m.finish_reason) for m in messages] == [
        (Role.USER, "Name a colour 颜色", None, FinishReason.STOP),
        (Role.ASSISTANT, "Red", "Tiny", FinishReason.STOP),
        (Role.ASSISTANT, "Blue", "Other", FinishReason.LENGTH),
    ]
    assert [m.created_at for m in messages] == [T0 + 60, T0 + 120, T0 + 240]
    question, red, blue = messages
    assert (question.parent_id, red.parent_id, blue.parent_id) == (None, question.id, question.id)
    assert red.stats == GenerationStats(5, 1, 0.1, 20.0)
    assert blue.stats == GenerationStats(6, 2)
    assert [m.content for m in store.messages(conversation_id)] == ["Name a colour 颜色", "Red"]
    assert [h.conversation_id for h in store.search("Blue")] == [conversation_id]


def test_an_unpinned_chat_without_settings_exports_as_such(
    store: Store, clock: list[float]
) -> None:
    """Guards the other side of each field: false and empty are exported, not defaulted."""
    conversation = store.create_conversation()
    exported = json.loads(export_text(store, conversation, as_json=True))
    assert (exported["pinned"], exported["settings"], exported["current"]) == (False, {}, None)
    assert exported["messages"] == []
    assert exported["created_at"] == exported["updated_at"] == at(0)


def test_the_markdown_export_reads_as_written_by_hand(store: Store, clock: list[float]) -> None:
    """Guards the Markdown layout, line by line: title, start, system prompt, headings
    with the model and the version shown, and the separator between conversations."""
    conversation_id = _branched_conversation(store, clock)
    conversation = store.conversation(conversation_id)
    assert conversation is not None
    expected = (
        "# Name a colour 颜色\n\n"
        f"_Started {at(0)}_\n\n"
        "## System\n\nBe brief.\n\n"
        "## You\n\nName a colour 颜色\n\n"
        "## Assistant (Tiny) [version 1/2]\n\nRed\n"
    )
    assert export_text(store, conversation, as_json=False) == expected
    other = store.create_conversation("Plain")
    store.add_user_message(other.id, "Hi")
    answer = store.begin_answer(other.id, "")
    store.finish_answer(answer, "Hello", FinishReason.STOP, GenerationStats(1, 1))
    plain = f"# Plain\n\n_Started {at(5)}_\n\n## You\n\nHi\n\n## Assistant\n\nHello\n"
    assert export_all_text(store, as_json=False) == plain + "\n---\n\n" + expected
