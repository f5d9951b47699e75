"""Chat export and import, word for word: the file written and the place named.

The round-trip tests compare one export with another; these pin the bytes the exporter
writes (readable UTF-8, two-space indent), what it writes for unusual messages, and the
exact location that the importer names when a file is wrong, so a person can fix it.
Found by mutation testing (``benchmarks/mutation.py export``); each test names the
promise it guards.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Sequence
from typing import Any

import pytest

from desktop_app.core.chats.export import export_all_text, export_text, to_json
from desktop_app.core.chats.importer import InvalidExport, parse_export
from desktop_app.core.chats.model import (
    Conversation,
    FinishReason,
    GenerationStats,
    Message,
    Role,
)

T0 = 1_700_000_000.0
CHAT = Conversation(id=5, title="Café", created_at=T0, updated_at=T0 + 1)
QUESTION = Message(1, 5, Role.USER, "Où ?", T0, finish_reason=FinishReason.STOP)
ANSWER = Message(2, 5, Role.ASSISTANT, "Ici.", T0 + 1, model="m", parent_id=1)
DOCUMENTS = {1: {"attachments": [{"name": "a.txt", "text": "é"}]}}


class _Source:
    """A ConversationSource holding one conversation in memory."""

    def conversations(self) -> list[Conversation]:
        return [CHAT]

    def messages(self, conversation_id: int) -> list[Message]:
        return [QUESTION, ANSWER]

    def all_messages(self, conversation_id: int) -> list[Message]:
        return [QUESTION, ANSWER]

    def conversation_overrides(self, conversation_id: int) -> dict[str, Any]:
        return {"temperature": 0.2}

    def message_documents(self, message_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        return {k: v for k, v in DOCUMENTS.items() if k in message_ids}


def test_the_json_file_is_readable_utf8_with_two_space_indent() -> None:
    """Promise: an export is a human-readable file (UTF-8 text, not \\u escapes)."""
    text = to_json(CHAT, [QUESTION])
    assert '\n  "title": "Café",\n' in text
    assert text.endswith("}\n")
    assert "\\u" not in text


def test_an_unfinished_answer_and_no_current_branch_are_written_as_null() -> None:
    """Promise: an answer without a finish reason and a conversation without a
    current message export as nulls (never a wrong message number)."""
    document = json.loads(to_json(CHAT, [QUESTION, ANSWER]))
    assert document["current"] is None
    assert document["messages"][1]["finish_reason"] is None
    assert document["messages"][1]["parent"] == 1
    assert document["messages"][0]["parent"] is None


def test_documents_are_exported_with_their_message_only() -> None:
    """Promise: a message's attached documents are in the export, under "documents",
    and messages without any have no such key."""
    for text in (export_text(_Source(), CHAT, as_json=True), export_all_text(_Source(), True)):
        document = json.loads(text)
        chat = document["conversations"][0] if "conversations" in document else document
        assert chat["messages"][0]["documents"] == DOCUMENTS[1]
        assert "documents" not in chat["messages"][1]
        assert chat["settings"] == {"temperature": 0.2}
    direct = json.loads(to_json(CHAT, [QUESTION, ANSWER], None, DOCUMENTS))
    assert direct["messages"][0]["documents"] == DOCUMENTS[1]


def _valid() -> dict[str, Any]:
    return json.loads(export_text(_Source(), CHAT, as_json=True))


def _wrapped() -> dict[str, Any]:
    return json.loads(export_all_text(_Source(), True))


def _with(document: dict[str, Any], path: str, value: Any) -> str:
    """``document`` with the value at a dotted path (``messages.0.role``) replaced;
    ``...`` deletes it."""
    document = copy.deepcopy(document)
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return json.dumps(document)


def _problem(text: str) -> str:
    with pytest.raises(InvalidExport) as caught:
        parse_export(text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("title", ..., "title: missing"),
        ("title", "  ", "title: empty"),
        ("messages", {}, "messages: expected a list, got an object"),
        ("messages.0", [], "messages[0]: expected an object, got a list"),
        ("messages.0.id", "1", "messages[0].id: expected an integer, got text"),
        ("messages.0.id", True, "messages[0].id: expected an integer, got true/false"),
        ("messages.1.id", 1, "messages[1].id: 1 is used twice"),
        ("messages.1.parent", 9, "messages[1].parent: no earlier message has id 9"),
        ("messages.1.parent", 1.5, "messages[1].parent: expected an integer, got a number"),
        (
            "messages.0.role",
            "robot",
            "messages[0].role: expected user, assistant or system, got 'robot'",
        ),
        ("messages.0.role", None, "messages[0].role: expected text, got null"),
        (
            "messages.0.finish_reason",
            "done",
            "messages[0].finish_reason: expected one of stop, length, cancelled, error, "
            "interrupted, got 'done'",
        ),
        ("messages.0.stats", 3, "messages[0].stats: expected an object, got a number"),
        (
            "messages.0.stats",
            {"prompt_tokens": "a"},
            "messages[0].stats.prompt_tokens: expected an integer, got text",
        ),
        (
            "messages.0.stats",
            {"generated_tokens": []},
            "messages[0].stats.generated_tokens: expected an integer, got a list",
        ),
        (
            "messages.0.stats",
            {"time_to_first_token_s": "1"},
            "messages[0].stats.time_to_first_token_s: expected a number, got text",
        ),
        (
            "messages.0.stats",
            {"tokens_per_s": True},
            "messages[0].stats.tokens_per_s: expected a number, got true/false",
        ),
        ("messages.0.finish_reason", 3, "messages[0].finish_reason: expected text, got a number"),
        ("messages.0.model", 3, "messages[0].model: expected text, got a number"),
        ("messages.0.documents", [1], "messages[0].documents: expected an object, got a list"),
        ("messages.0.content", ..., "messages[0].content: missing"),
        ("messages.0.created_at", "noon", "messages[0].created_at: not an ISO 8601 time: 'noon'"),
        ("current", 7, "current: no message has id 7"),
        ("current", "2", "current: expected an integer, got text"),
        ("system_prompt", 1, "system_prompt: expected text, got a number"),
        ("created_at", None, "created_at: expected text, got null"),
        ("updated_at", 5, "updated_at: expected text, got a number"),
        ("pinned", "yes", "pinned: expected true/false, got text"),
        ("settings", [1], "settings: expected an object, got a list"),
        ("version", True, "version: expected a positive integer, got True"),
        ("version", 0, "version: expected a positive integer, got 0"),
    ],
)
def test_a_bad_field_is_named_by_its_place(path: str, value: Any, message: str) -> None:
    """Promise: an import that fails names the first wrong field by its place in the
    file, and says what was expected and what was found."""
    assert _problem(_with(_valid(), path, value)) == message


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("conversations", {}, "conversations: expected a list, got an object"),
        ("conversations.0", "x", "conversations[0]: expected an object, got text"),
        ("conversations.0.title", 1, "conversations[0].title: expected text, got a number"),
        (
            "conversations.0.messages.1.role",
            2,
            "conversations[0].messages[1].role: expected text, got a number",
        ),
    ],
)
def test_a_bad_field_in_a_file_of_many_chats_names_the_chat(
    path: str, value: Any, message: str
) -> None:
    """Promise: in an export of every chat, the message names which chat is wrong."""
    assert _problem(_with(_wrapped(), path, value)) == message


def test_a_file_that_is_not_an_object_says_so() -> None:
    """Promise: a JSON file that is not an export says it holds no JSON object."""
    assert _problem("[1]") == "not a Hearth export: the file holds no JSON object"


def test_a_flat_version_1_file_numbers_its_messages_in_order() -> None:
    """Promise: old (version 1) exports, without ids, import as one branch in order;
    user messages get the "stop" finish reason, answers keep theirs (or none)."""
    document = _valid()
    document["version"] = 1
    for message in document["messages"]:
        del message["id"], message["parent"]
        message["finish_reason"] = None
    document["messages"].append(dict(document["messages"][0], content="again"))
    del document["current"]
    (chat,) = parse_export(json.dumps(document))
    assert [(m.number, m.parent) for m in chat.messages] == [(1, None), (2, 1), (3, 2)]
    assert [m.finish_reason for m in chat.messages] == [FinishReason.STOP, None, FinishReason.STOP]
    assert chat.current == 3


def test_imported_facts_keep_their_values() -> None:
    """Promise: statistics, documents, a system prompt and naive times come back as written."""
    document = _valid()
    document["messages"][1]["stats"] = {"prompt_tokens": 0, "generated_tokens": 0}
    document["messages"][1]["finish_reason"] = "length"
    document["messages"][0]["created_at"] = "2023-11-14T22:13:20"
    (chat,) = parse_export(json.dumps(document))
    question, answer = chat.messages
    assert answer.stats == GenerationStats(0, 0, None, None)
    assert answer.finish_reason is FinishReason.LENGTH
    assert question.documents == DOCUMENTS[1]
    assert answer.documents is None
    assert question.stats is None
    assert question.created_at == T0
    assert chat.system_prompt == ""
    assert chat.current == 2


def test_times_with_an_offset_and_without_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Promise: a time with an offset keeps it, and a time without one is UTC whatever
    the computer's time zone."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        document = _valid()
        document["messages"][0]["created_at"] = "2023-11-15T00:13:20+02:00"
        document["messages"][1]["created_at"] = "2023-11-14T22:13:20"
        (chat,) = parse_export(json.dumps(document))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert [m.created_at for m in chat.messages] == [T0, T0]


def test_a_conversation_without_messages_has_no_current_message() -> None:
    """Promise: an exported empty chat imports as an empty chat."""
    document = _valid()
    document["messages"] = []
    document["current"] = None
    (chat,) = parse_export(json.dumps(document))
    assert (chat.messages, chat.current) == ((), None)
