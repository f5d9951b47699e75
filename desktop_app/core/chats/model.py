"""Plain records for conversations and messages, shared by the store, the CLI and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class FinishReason(str, Enum):
    STOP = "stop"
    LENGTH = "length"
    CANCELLED = "cancelled"
    ERROR = "error"
    INTERRUPTED = "interrupted"
    """The process died while the answer was streaming; its text so far was kept."""


@dataclass(frozen=True)
class GenerationStats:
    prompt_tokens: int = 0
    generated_tokens: int = 0
    time_to_first_token_s: float | None = None
    tokens_per_s: float | None = None
    cached_prompt_tokens: int = 0
    """Prompt tokens reused from the KV cache of the previous turn (not re-evaluated)."""


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float
    system_prompt: str = ""
    pinned: bool = False


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: Role
    content: str
    created_at: float
    model: str | None = None
    finish_reason: FinishReason | None = None
    """None while the answer is still being written."""
    stats: GenerationStats | None = None
    parent_id: int | None = None
    """The message this one answers or follows; None for the first message."""
    sibling_index: int = 0
    """Which version this is among the messages sharing its parent (0-based)."""
    sibling_count: int = 1

    @property
    def is_streaming(self) -> bool:
        return self.role is Role.ASSISTANT and self.finish_reason is None


def title_from_text(text: str, limit: int = 60) -> str:
    """A conversation title taken from its first user message."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line or "New chat"
    return line[: limit - 1].rstrip() + "…"
