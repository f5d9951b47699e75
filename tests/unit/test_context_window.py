"""Fitting a conversation into the context window, with a counter of one token per word."""

from __future__ import annotations

import itertools

import pytest

from desktop_app.core.engine.base import ChatTurn
from desktop_app.core.engine.context_window import (
    ContextOverflowError,
    compact_count,
    fit_turns,
)


def words(turn: ChatTurn) -> int:
    return len(turn.content.split()) + 2


def prompt_words(turns: list[ChatTurn]) -> int:
    return sum(words(t) for t in turns) + 1


def chat(exchanges: int, size: int = 10) -> list[ChatTurn]:
    turns = [ChatTurn("system", "You are terse.")]
    for n in range(exchanges):
        turns.append(ChatTurn("user", " ".join([f"q{n}"] * size)))
        turns.append(ChatTurn("assistant", " ".join([f"a{n}"] * size)))
    turns.append(ChatTurn("user", "last question"))
    return turns


def test_a_conversation_that_fits_is_sent_whole() -> None:
    turns = chat(3)
    fit = fit_turns(turns, prompt_words, words, n_ctx=200, reserve=50)
    assert fit.turns == turns and fit.dropped_turns == 0
    assert fit.prompt_tokens == prompt_words(turns)


def test_overflow_drops_the_oldest_turns_but_keeps_the_system_prompt() -> None:
    turns = chat(20)
    fit = fit_turns(turns, prompt_words, words, n_ctx=200, reserve=50)
    assert fit.turns[0] == turns[0]
    assert fit.turns[-1] == turns[-1]
    assert fit.turns[1].role == "user"
    assert fit.dropped_turns > 0
    assert fit.turns[1:] == turns[1 + fit.dropped_turns :]
    assert fit.prompt_tokens <= 150


def test_the_stop_strategy_refuses_with_a_clear_message() -> None:
    with pytest.raises(ContextOverflowError) as caught:
        fit_turns(chat(20), prompt_words, words, n_ctx=200, reserve=50, strategy="stop")
    message = str(caught.value)
    assert "no longer leaves room for an answer" in message
    assert "(200 tokens)" in message and "Settings" in message


def test_a_message_too_long_on_its_own_is_refused_even_when_dropping() -> None:
    turns = [ChatTurn("system", "x"), ChatTurn("user", "word " * 500)]
    with pytest.raises(ContextOverflowError, match="Shorten the message"):
        fit_turns(turns, prompt_words, words, n_ctx=200, reserve=50)


def test_the_start_of_the_prompt_stays_put_while_the_chat_grows() -> None:
    """Turns are dropped in blocks, so most turns reuse the KV cache of the one before."""
    first_kept = []
    for exchanges in range(10, 40):
        fit = fit_turns(chat(exchanges), prompt_words, words, n_ctx=400, reserve=50)
        first_kept.append(fit.turns[1].content)
    changes = sum(1 for a, b in itertools.pairwise(first_kept) if a != b)
    assert changes <= len(first_kept) // 3


@pytest.mark.parametrize(
    ("tokens", "text"), [(950, "950"), (3100, "3.1k"), (8192, "8k"), (4096, "4k"), (12345, "12.3k")]
)
def test_compact_counts(tokens: int, text: str) -> None:
    assert compact_count(tokens) == text
