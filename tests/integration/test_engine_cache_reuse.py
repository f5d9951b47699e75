"""Reusing the KV cache never changes an answer: a turn that reuses part of the cache
answers exactly as an engine that evaluates the whole prompt afresh (same seed).

The other engine tests compare an engine with itself, so a wrong prefix length on both
sides of a comparison goes unseen; these compare a reused cache with a fresh engine.
Found by mutation testing (``benchmarks/mutation.py llama_engine``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.engine.base import (
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from desktop_app.core.engine.sequence import shared_prefix

pytestmark = pytest.mark.integration

LOAD = LoadParams(n_ctx=2048, n_threads=2)
PARAMS = GenerationParams(max_tokens=24, seed=5, ignore_eos=True)
STORY = "Tell me about lighthouses, storms, ships and the sea at night. " * 3
QUESTION = [ChatTurn("user", STORY + "Start with the storms.")]
EDITED = [ChatTurn("user", STORY + "Start with the ships instead.")]
OTHER = [ChatTurn("system", "Answer in French."), ChatTurn("user", "Bonjour")]


def _collect(events: Iterator[EngineEvent]) -> tuple[str, Finished]:
    parts: list[str] = []
    for event in events:
        if isinstance(event, TextDelta):
            parts.append(event.text)
        elif isinstance(event, Finished):
            return "".join(parts), event
    raise AssertionError("the stream ended without a Finished event")


@pytest.fixture
def fresh(tiny_model: Path) -> Iterator[LlamaEngine]:
    made = LlamaEngine(tiny_model, LOAD)
    yield made
    made.close()


@pytest.fixture
def reused(tiny_model: Path) -> Iterator[LlamaEngine]:
    made = LlamaEngine(tiny_model, LOAD)
    yield made
    made.close()


def test_a_fresh_engine_evaluates_the_whole_prompt(fresh: LlamaEngine, reused: LlamaEngine) -> None:
    """Promise: a first answer is computed from the whole prompt (nothing is taken from
    an empty cache), and after another conversation the same question gets the same
    answer as on a fresh engine."""
    first, finished = _collect(fresh.stream_chat(QUESTION, PARAMS))
    assert finished.stats.cached_prompt_tokens == 0
    _collect(reused.stream_chat(OTHER, PARAMS))
    again, _ = _collect(reused.stream_chat(QUESTION, PARAMS))
    assert again == first


def test_going_back_to_an_edited_question_answers_as_a_fresh_engine(
    fresh: LlamaEngine, reused: LlamaEngine
) -> None:
    """Promise: editing a question reuses the cache only up to the edit — the cells past
    it (the old question's end and its answer) are dropped, so the answer is exactly a
    fresh engine's, while the shared start is not evaluated again."""
    _collect(reused.stream_chat(QUESTION, PARAMS))
    edited, finished = _collect(reused.stream_chat(EDITED, PARAMS))
    shared = shared_prefix(reused.prompt_tokens(QUESTION), reused.prompt_tokens(EDITED))
    assert finished.stats.cached_prompt_tokens == shared > 0
    expected, _ = _collect(fresh.stream_chat(EDITED, PARAMS))
    assert edited == expected


def test_the_shared_prefix_leaves_at_least_one_token_to_evaluate() -> None:
    """Promise: the cache gives the tokens a prompt starts with — never past the first
    difference, never the prompt's last token (sampling needs fresh logits), and
    nothing from an empty cache or for a one-token prompt."""
    assert shared_prefix([], [1, 2, 3]) == 0
    assert shared_prefix([1, 2, 3], [1]) == 0
    assert shared_prefix([1], [1, 2]) == 1
    assert shared_prefix([1, 2, 3], [1, 2, 3]) == 2
    assert shared_prefix([1, 2, 3, 4, 5], [1, 2, 9, 4, 5, 6]) == 2
    assert shared_prefix([7, 2], [1, 2, 3]) == 0
