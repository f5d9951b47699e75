"""Export conversations as JSON (every branch, for re-import) or Markdown (the branch shown).

JSON layout (``format`` "hearth.conversation", version 2; several conversations are
wrapped in ``{"format": "hearth.conversations", "version": 2, "conversations": [...]}``):
the conversation's ``id`` is its id in the exporting database, for reference only.
Messages are numbered 1, 2, 3... in the file (``id``), and each names the message it
follows (``parent``, null for a first message); ``current`` is the last message of the
branch on screen. Times are UTC ISO 8601 to the second.

Round trip: importing a file and exporting the result gives the same JSON except the
conversation ``id`` (a new one is assigned) and ``updated_at`` precision below a second
(times are kept to the second). Message numbering, parents, contents, models, finish
reasons, statistics, pinning, per-conversation settings and times are preserved.

A message that carries documents (a question's attached files with their text, an
answer's numbered sources) has them under ``documents``; other messages have no such key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Protocol

from desktop_app.core.chats.model import Conversation, Message, Role
from desktop_app.core.chats.transfer import EXPORT_ALL_FORMAT, EXPORT_FORMAT, EXPORT_VERSION


class ConversationSource(Protocol):
    """What export reads (``Store`` is one)."""

    def conversations(self) -> list[Conversation]: ...
    def messages(self, conversation_id: int) -> list[Message]: ...
    def all_messages(self, conversation_id: int) -> list[Message]: ...
    def conversation_overrides(self, conversation_id: int) -> dict[str, Any]: ...
    def message_documents(self, message_ids: Sequence[int]) -> dict[int, dict[str, Any]]: ...


ExportItem = (
    tuple[Conversation, Sequence[Message], Mapping[str, Any]]
    | tuple[Conversation, Sequence[Message], Mapping[str, Any], Mapping[int, Any]]
)
"""A conversation, all its messages (every branch, oldest first), its settings, and
optionally the documents of its messages by message id."""


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds")


def conversation_document(
    conversation: Conversation,
    messages: Sequence[Message],
    overrides: Mapping[str, Any] | None = None,
    documents: Mapping[int, Any] | None = None,
) -> dict[str, Any]:
    """One conversation as a JSON-ready mapping (see the module docstring)."""
    documents = documents or {}
    numbers = {message.id: number for number, message in enumerate(messages, start=1)}
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "id": conversation.id,
        "title": conversation.title,
        "system_prompt": conversation.system_prompt,
        "pinned": conversation.pinned,
        "settings": dict(overrides or {}),
        "created_at": iso(conversation.created_at),
        "updated_at": iso(conversation.updated_at),
        "current": numbers.get(conversation.current_leaf_id or -1),
        "messages": [
            {
                "id": numbers[message.id],
                "parent": numbers.get(message.parent_id or -1),
                "role": message.role.value,
                "content": message.content,
                "created_at": iso(message.created_at),
                "model": message.model,
                "finish_reason": message.finish_reason.value if message.finish_reason else None,
                "stats": (
                    {
                        "prompt_tokens": message.stats.prompt_tokens,
                        "generated_tokens": message.stats.generated_tokens,
                        "time_to_first_token_s": message.stats.time_to_first_token_s,
                        "tokens_per_s": message.stats.tokens_per_s,
                    }
                    if message.stats
                    else None
                ),
                **({"documents": documents[message.id]} if message.id in documents else {}),
            }
            for message in messages
        ],
    }


def _dump(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_json(
    conversation: Conversation,
    messages: Sequence[Message],
    overrides: Mapping[str, Any] | None = None,
    documents: Mapping[int, Any] | None = None,
) -> str:
    return _dump(conversation_document(conversation, messages, overrides, documents))


def all_to_json(items: Sequence[ExportItem]) -> str:
    return _dump(
        {
            "format": EXPORT_ALL_FORMAT,
            "version": EXPORT_VERSION,
            "conversations": [conversation_document(*item) for item in items],
        }
    )


_HEADINGS = {Role.USER: "You", Role.ASSISTANT: "Assistant", Role.SYSTEM: "System"}


def to_markdown(conversation: Conversation, messages: Sequence[Message]) -> str:
    """The conversation as it reads on screen (``messages``: the current branch)."""
    parts = [f"# {conversation.title}", "", f"_Started {iso(conversation.created_at)}_", ""]
    if conversation.system_prompt:
        parts += ["## System", "", conversation.system_prompt, ""]
    for message in messages:
        heading = _HEADINGS[message.role]
        if message.role is Role.ASSISTANT and message.model:
            heading += f" ({message.model})"
        if message.sibling_count > 1:
            heading += f" [version {message.sibling_index + 1}/{message.sibling_count}]"
        parts += [f"## {heading}", "", message.content, ""]
    return "\n".join(parts)


def all_to_markdown(items: Sequence[tuple[Conversation, Sequence[Message]]]) -> str:
    return "\n---\n\n".join(to_markdown(conversation, messages) for conversation, messages in items)


def export_text(store: ConversationSource, conversation: Conversation, as_json: bool) -> str:
    """One conversation read from ``store``: JSON with every branch and its settings,
    or Markdown with the branch on screen."""
    if as_json:
        messages = store.all_messages(conversation.id)
        return to_json(
            conversation,
            messages,
            store.conversation_overrides(conversation.id),
            store.message_documents([message.id for message in messages]),
        )
    return to_markdown(conversation, store.messages(conversation.id))


def export_all_text(store: ConversationSource, as_json: bool) -> str:
    """Every conversation in ``store``, most recently updated first (see ``export_text``)."""
    conversations = store.conversations()
    if as_json:
        items: list[ExportItem] = []
        for c in conversations:
            messages = store.all_messages(c.id)
            documents = store.message_documents([message.id for message in messages])
            items.append((c, messages, store.conversation_overrides(c.id), documents))
        return all_to_json(items)
    return all_to_markdown([(c, store.messages(c.id)) for c in conversations])
