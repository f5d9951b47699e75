"""One chat turn, end to end: save the question, stream the answer, save it as it grows.

Shared by the CLI and the window's engine worker, so both write the store the same
way. The answer row exists before the first token; its text is committed at least every
``flush_interval_s`` while it streams, and finally with its stats. If the
consumer stops iterating (window closed, Ctrl+C), the text so far is kept and the
answer is marked cancelled; if the engine raises, it is kept and marked as an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from desktop_app.core.chats.model import FinishReason, GenerationStats, Role
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    Engine,
    EngineEvent,
    Finished,
    GenerationParams,
    TextDelta,
)

FLUSH_INTERVAL_S = 0.5


def conversation_turns(store: Store, conversation_id: int) -> list[ChatTurn]:
    """The conversation as the engine sees it: system prompt, then finished messages."""
    conversation = store.conversation(conversation_id)
    if conversation is None:
        raise KeyError(f"No conversation with id {conversation_id}")
    turns = [ChatTurn("system", conversation.system_prompt)] if conversation.system_prompt else []
    for message in store.messages(conversation_id):
        if message.role is Role.ASSISTANT and message.finish_reason is FinishReason.ERROR:
            continue
        if message.content or message.role is Role.USER:
            turns.append(ChatTurn(message.role.value, message.content))
    return turns


def run_turn(
    engine: Engine,
    store: Store,
    conversation_id: int,
    user_text: str,
    params: GenerationParams,
    cancel: CancelToken | None = None,
    *,
    flush_interval_s: float = FLUSH_INTERVAL_S,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[EngineEvent]:
    """Save ``user_text``, stream the answer, and persist it; yields the engine's events."""
    store.add_user_message(conversation_id, user_text)
    turns = conversation_turns(store, conversation_id)
    answer_id = store.begin_answer(conversation_id, engine.info.name)
    parts: list[str] = []
    flushed_at = clock()
    finished: Finished | None = None
    try:
        for event in engine.stream_chat(turns, params, cancel):
            if isinstance(event, TextDelta):
                parts.append(event.text)
                now = clock()
                if now - flushed_at >= flush_interval_s:
                    store.update_answer(answer_id, "".join(parts))
                    flushed_at = now
            else:
                finished = event
            yield event
    except Exception as exc:
        finished = Finished(
            FinishReason.ERROR, finished.stats if finished else GenerationStats(), str(exc)
        )
        raise
    finally:
        final = finished or Finished(FinishReason.CANCELLED, GenerationStats())
        store.finish_answer(answer_id, "".join(parts), final.reason, final.stats)
