"""Conversation titles: at once from the first message, or asked of the loaded model."""

from __future__ import annotations

import re

from desktop_app.core.chats.model import Role, title_from_text
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import ChatTurn, Engine, GenerationParams, TextDelta

TITLE_PARAMS = GenerationParams(max_tokens=24, temperature=0.2, seed=0)
_INSTRUCTION = (
    "Write a short title (at most six words) for a conversation that starts with the "
    "message below. Answer with the title only, in the language of the message.\n\n"
)
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb*#`"
_WRAPPING = re.compile(
    f"^(title\\s*[:\uff1a]\\s*)|^[\\s{_QUOTES}]+|[\\s{_QUOTES}.\u3002]+$", re.IGNORECASE
)


def clean_title(text: str, limit: int = 60) -> str:
    """The first non-empty line of a model's answer, without quotes, markup or a final dot."""
    for line in text.splitlines():
        line = _WRAPPING.sub("", line.strip())
        line = _WRAPPING.sub("", line)
        if line:
            return title_from_text(line, limit)
    return ""


def suggest_title(engine: Engine, store: Store, conversation_id: int) -> str:
    """Ask ``engine`` for a title, save it and return it.

    Falls back to the title taken from the first message when the model answers
    nothing usable. Runs generation: call it on the engine's own thread.
    """
    first = next(
        (m for m in store.messages(conversation_id) if m.role is Role.USER and m.content), None
    )
    if first is None:
        raise ValueError("The conversation has no message to take a title from")
    prompt = [ChatTurn("user", _INSTRUCTION + first.content[:2000])]
    answer = "".join(
        event.text
        for event in engine.stream_chat(prompt, TITLE_PARAMS)
        if isinstance(event, TextDelta)
    )
    title = clean_title(answer) or title_from_text(first.content)
    store.rename_conversation(conversation_id, title)
    return title
