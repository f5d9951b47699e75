"""Answer jobs as small immutable callables, to hand to the engine thread.

Each job streams one answer into a conversation with the engine and the store it is
given (``job(engine, store, conversation_id, params, cancel)``); the window's engine
worker runs it on the engine's own thread. ``TitleTask`` is a short non-streaming job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from desktop_app.core.chats.session import continue_answer, regenerate, run_turn
from desktop_app.core.chats.store import CURRENT_LEAF, ParentRef, Store
from desktop_app.core.chats.titles import suggest_title
from desktop_app.core.engine.base import CancelToken, Engine, EngineEvent, GenerationParams


@dataclass(frozen=True)
class TurnJob:
    """Ask ``text`` after ``parent_id``: by default at the end of the current branch; the
    parent of an earlier question to edit that question and resend it."""

    text: str
    parent_id: ParentRef = CURRENT_LEAF
    edits: int | None = None
    """The question this one replaces (Edit and resend), for features that carry over
    what was stored with it (e.g. the attached files)."""

    def __call__(
        self,
        engine: Engine,
        store: Store,
        conversation_id: int,
        params: GenerationParams,
        cancel: CancelToken,
    ) -> Iterator[EngineEvent]:
        return run_turn(
            engine, store, conversation_id, self.text, params, cancel, parent_id=self.parent_id
        )


@dataclass(frozen=True)
class RegenerateJob:
    """Answer the question of ``answer_id`` again, as a sibling version."""

    answer_id: int

    def __call__(
        self,
        engine: Engine,
        store: Store,
        conversation_id: int,
        params: GenerationParams,
        cancel: CancelToken,
    ) -> Iterator[EngineEvent]:
        return regenerate(engine, store, self.answer_id, params, cancel)


@dataclass(frozen=True)
class ContinueJob:
    """Generate more text onto ``answer_id`` (an interrupted or cut-off answer)."""

    answer_id: int

    def __call__(
        self,
        engine: Engine,
        store: Store,
        conversation_id: int,
        params: GenerationParams,
        cancel: CancelToken,
    ) -> Iterator[EngineEvent]:
        return continue_answer(engine, store, self.answer_id, params, cancel)


@dataclass(frozen=True)
class TitleTask:
    """Ask the model for a short title for ``conversation_id``; returns the title."""

    conversation_id: int

    def __call__(self, engine: Engine, store: Store) -> str:
        return suggest_title(engine, store, self.conversation_id)
