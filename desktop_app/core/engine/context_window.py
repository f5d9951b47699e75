"""Fit a conversation into the model's context window.

When the next turn would not fit (the prompt plus room for the answer), the default
strategy leaves out the oldest turns but always keeps the system prompt and the new
question; the other strategy refuses with a message that says what to do.

Turns are left out in blocks of about a quarter of the window, with block edges fixed
by the old turns themselves. As the chat grows, the same turns stay left out until a
whole new block must go, so the prompt keeps the same beginning from turn to turn and
the KV cache still covers it (dropping one turn at a time would change the start of
the prompt, and force a full re-evaluation, on every turn).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop_app.core.engine.base import ChatTurn

DROP_OLDEST = "drop_oldest"
STOP = "stop"
STRATEGIES = (DROP_OLDEST, STOP)


class ContextOverflowError(Exception):
    """The conversation does not fit; the message is meant for the user."""

    def __init__(self, message: str, prompt_tokens: int) -> None:
        super().__init__(message)
        self.prompt_tokens = prompt_tokens


@dataclass(frozen=True)
class ContextFit:
    turns: list[ChatTurn]
    prompt_tokens: int
    dropped_turns: int
    """How many of the oldest turns were left out (the system prompt never is)."""


def answer_reserve(n_ctx: int, max_tokens: int) -> int:
    """Room kept free for the answer: its maximum length, at most a quarter of the window."""
    return max(1, min(max_tokens, n_ctx // 4))


def fit_turns(
    turns: Sequence[ChatTurn],
    count_prompt: Callable[[list[ChatTurn]], int],
    count_turn: Callable[[ChatTurn], int],
    n_ctx: int,
    reserve: int,
    strategy: str = DROP_OLDEST,
) -> ContextFit:
    """The turns to send; raises ``ContextOverflowError`` when they cannot fit.

    ``count_prompt`` counts the whole prompt with the model's tokenizer and template;
    ``count_turn`` estimates one turn (used only to place block edges).
    """
    turns = list(turns)
    limit = n_ctx - reserve
    total = count_prompt(turns)
    if total <= limit:
        return ContextFit(turns, total, 0)
    system = turns[:1] if turns and turns[0].role == "system" else []
    history = turns[len(system) :]
    if strategy == STOP:
        raise ContextOverflowError(
            f"This conversation ({total} tokens) no longer leaves room for an answer in the "
            f"model's context window ({n_ctx} tokens). Start a new chat, load the model with "
            "a larger context, or let Hearth leave out the oldest messages (Settings).",
            total,
        )
    starts = [i for i, turn in enumerate(history) if turn.role == "user" and i > 0]
    for start in _block_starts(history, starts, count_turn, max(1, limit // 4)) + starts:
        candidate = system + history[start:]
        tokens = count_prompt(candidate)
        if tokens <= limit:
            return ContextFit(candidate, tokens, start)
    minimal = system + history[-1:]
    tokens = count_prompt(minimal)
    if tokens <= limit:
        return ContextFit(minimal, tokens, len(history) - 1)
    raise ContextOverflowError(
        f"The message and system prompt alone ({tokens} tokens) leave no room for an answer "
        f"in the model's context window ({n_ctx} tokens). Shorten the message, or load the "
        "model with a larger context.",
        tokens,
    )


def _block_starts(
    history: list[ChatTurn],
    starts: list[int],
    count_turn: Callable[[ChatTurn], int],
    block_tokens: int,
) -> list[int]:
    """User turns where a new block of about ``block_tokens`` begins, oldest first."""
    edges: list[int] = []
    size = 0
    previous = 0
    for start in starts:
        size += sum(count_turn(turn) for turn in history[previous:start])
        previous = start
        if size >= block_tokens:
            edges.append(start)
            size = 0
    return edges


def compact_count(tokens: int) -> str:
    """3100 -> "3.1k", 8192 -> "8k" (a whole number of 1024s), 950 -> "950"."""
    if tokens < 1000:
        return str(tokens)
    if tokens % 1024 == 0:
        return f"{tokens // 1024}k"
    value = tokens / 1000
    text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return text.removesuffix(".0") + "k"
