"""One chat turn, end to end: save the question, stream the answer, save it as it grows.

Shared by the CLI and the window's engine worker, so both write the store the same
way. The answer row exists before the first token; its text is committed at least every
``flush_interval_s`` while it streams, and finally with its stats. If the
consumer stops iterating (window closed, Ctrl+C), the text so far is kept and the
answer is marked cancelled; if the engine raises, it is kept and marked as an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator

from desktop_app.core.chats.model import FinishReason, GenerationStats, Message, Role
from desktop_app.core.chats.store import CURRENT_LEAF, ParentRef, Store
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


def conversation_turns(
    store: Store, conversation_id: int, up_to: int | None = None
) -> list[ChatTurn]:
    """The conversation as the engine sees it: system prompt, then the current branch's
    finished messages (up to and including message ``up_to`` when given)."""
    conversation = store.conversation(conversation_id)
    if conversation is None:
        raise KeyError(f"No conversation with id {conversation_id}")
    turns = [ChatTurn("system", conversation.system_prompt)] if conversation.system_prompt else []
    for message in store.messages(conversation_id):
        if message.role is Role.ASSISTANT and message.finish_reason is FinishReason.ERROR:
            pass
        elif message.content or message.role is Role.USER:
            turns.append(ChatTurn(message.role.value, message.content))
        if message.id == up_to:
            break
    return turns


def run_turn(
    engine: Engine,
    store: Store,
    conversation_id: int,
    user_text: str,
    params: GenerationParams,
    cancel: CancelToken | None = None,
    *,
    parent_id: ParentRef = CURRENT_LEAF,
    flush_interval_s: float = FLUSH_INTERVAL_S,
    clock: Callable[[], float] = time.monotonic,
) -> Generator[EngineEvent, None, None]:
    """Save ``user_text``, stream the answer, and persist it; yields the engine's events.

    ``parent_id`` places the question: by default at the end of the current branch;
    the parent of an earlier question to edit it and resend (a sibling version).
    """
    store.add_user_message(conversation_id, user_text, parent_id=parent_id)
    turns = conversation_turns(store, conversation_id)
    answer_id = store.begin_answer(conversation_id, engine.info.name)
    yield from _stream_answer(
        engine, store, answer_id, turns, params, cancel, "", flush_interval_s, clock
    )


def regenerate(
    engine: Engine,
    store: Store,
    answer_id: int,
    params: GenerationParams,
    cancel: CancelToken | None = None,
    *,
    flush_interval_s: float = FLUSH_INTERVAL_S,
    clock: Callable[[], float] = time.monotonic,
) -> Generator[EngineEvent, None, None]:
    """Answer the question of ``answer_id`` again, as a new sibling version of it."""
    old = _answer(store, answer_id)
    if old.parent_id is None:  # an answer to nothing: only the system prompt precedes it
        turns = [t for t in conversation_turns(store, old.conversation_id) if t.role == "system"]
    else:
        store.switch_to(old.parent_id)  # the branch up to the question
        turns = conversation_turns(store, old.conversation_id, up_to=old.parent_id)
    new_id = store.begin_answer(old.conversation_id, engine.info.name, parent_id=old.parent_id)
    yield from _stream_answer(
        engine, store, new_id, turns, params, cancel, "", flush_interval_s, clock
    )


def continue_answer(
    engine: Engine,
    store: Store,
    answer_id: int,
    params: GenerationParams,
    cancel: CancelToken | None = None,
    *,
    flush_interval_s: float = FLUSH_INTERVAL_S,
    clock: Callable[[], float] = time.monotonic,
) -> Generator[EngineEvent, None, None]:
    """Generate more text onto an answer (an interrupted one, typically)."""
    old = _answer(store, answer_id)
    store.switch_to(answer_id)
    turns = conversation_turns(store, old.conversation_id, up_to=answer_id)
    if not turns or turns[-1].role != "assistant":
        turns.append(ChatTurn("assistant", old.content))
    store.reopen_answer(answer_id)
    yield from _stream_answer(
        engine, store, answer_id, turns, params, cancel, old.content, flush_interval_s, clock
    )


def _answer(store: Store, answer_id: int) -> Message:
    message = store.message(answer_id)
    if message is None or message.role is not Role.ASSISTANT:
        raise KeyError(f"No answer with id {answer_id}")
    return message


def _stream_answer(
    engine: Engine,
    store: Store,
    answer_id: int,
    turns: list[ChatTurn],
    params: GenerationParams,
    cancel: CancelToken | None,
    prefix: str,
    flush_interval_s: float,
    clock: Callable[[], float],
) -> Generator[EngineEvent, None, None]:
    parts: list[str] = [prefix] if prefix else []
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
