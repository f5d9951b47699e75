"""Export a conversation as JSON or Markdown."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from desktop_app.core.chats.model import Conversation, Message, Role

EXPORT_FORMAT = "hearth.conversation"
EXPORT_VERSION = 1


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds")


def to_json(conversation: Conversation, messages: list[Message]) -> str:
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "id": conversation.id,
        "title": conversation.title,
        "system_prompt": conversation.system_prompt,
        "created_at": _iso(conversation.created_at),
        "updated_at": _iso(conversation.updated_at),
        "messages": [
            {
                "role": message.role.value,
                "content": message.content,
                "created_at": _iso(message.created_at),
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
            }
            for message in messages
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_HEADINGS = {Role.USER: "You", Role.ASSISTANT: "Assistant", Role.SYSTEM: "System"}


def to_markdown(conversation: Conversation, messages: list[Message]) -> str:
    parts = [f"# {conversation.title}", "", f"_Started {_iso(conversation.created_at)}_", ""]
    if conversation.system_prompt:
        parts += ["## System", "", conversation.system_prompt, ""]
    for message in messages:
        heading = _HEADINGS[message.role]
        if message.role is Role.ASSISTANT and message.model:
            heading += f" ({message.model})"
        parts += [f"## {heading}", "", message.content, ""]
    return "\n".join(parts)
