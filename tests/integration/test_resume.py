"""Instant resume: a restored KV cache gives exactly the tokens a fresh prefill gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams, TextDelta
from desktop_app.core.engine.kv_state import ConversationStates, KVStateCache
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams

pytestmark = pytest.mark.integration

GREEDY = GenerationParams(max_tokens=24, temperature=0.0, seed=5, ignore_eos=True)
A1 = [ChatTurn("system", "Be brief."), ChatTurn("user", "Tell me about the sea and boats.")]
B1 = [ChatTurn("user", "Something completely different: mountains, snow, goats.")]


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Iterator[LlamaEngine]:
    loaded = LlamaEngine(tiny_model, LoadParams(n_ctx=1024, n_threads=2))
    yield loaded
    loaded.close()


def answer(engine: LlamaEngine, turns: list[ChatTurn]) -> tuple[str, Finished]:
    parts: list[str] = []
    for event in engine.stream_chat(turns, GREEDY):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        else:
            return "".join(parts), event
    raise AssertionError("no Finished event")


def second_turn(first_answer: str) -> list[ChatTurn]:
    return [*A1, ChatTurn("assistant", first_answer), ChatTurn("user", "And what about ships?")]


def fresh(engine: LlamaEngine, turns: list[ChatTurn]) -> str:
    engine.llama.reset()
    text, finished = answer(engine, turns)
    assert finished.stats.cached_prompt_tokens == 0
    return text


def test_returning_to_a_conversation_restores_its_cache_exactly(engine: LlamaEngine) -> None:
    states = ConversationStates(engine, KVStateCache(max_bytes=256 << 20))
    assert not states.switch_to(1)
    first, _ = answer(engine, A1)
    assert not states.switch_to(2)
    answer(engine, B1)
    assert states.switch_to(1)  # restored
    turns = second_turn(first)
    resumed, finished = answer(engine, turns)
    prompt = finished.stats.prompt_tokens
    assert finished.stats.cached_prompt_tokens > len(engine.prompt_tokens(A1)) - 2
    assert finished.stats.cached_prompt_tokens < prompt
    assert resumed == fresh(engine, turns)


def test_without_the_cache_the_whole_prompt_is_evaluated_again(engine: LlamaEngine) -> None:
    first, _ = answer(engine, A1)
    answer(engine, B1)
    _, finished = answer(engine, second_turn(first))
    assert finished.stats.cached_prompt_tokens <= 1  # at most the shared BOS


def test_snapshots_pushed_out_of_memory_come_back_from_disk(
    engine: LlamaEngine, tmp_path: Path
) -> None:
    cache = KVStateCache(max_bytes=1, folder=tmp_path / "kv", max_disk_bytes=1 << 30)
    states = ConversationStates(engine, cache)
    states.switch_to(10)
    first, _ = answer(engine, A1)
    states.switch_to(20)
    assert cache.size == 0 and len(list((tmp_path / "kv").glob("*.kv"))) == 1
    answer(engine, B1)
    assert states.switch_to(10)
    turns = second_turn(first)
    resumed, finished = answer(engine, turns)
    assert finished.stats.cached_prompt_tokens > 0
    assert resumed == fresh(engine, turns)


def test_the_lru_keeps_the_most_recent_within_its_budget(engine: LlamaEngine) -> None:
    answer(engine, A1)
    snapshot = engine.save_state()
    assert snapshot is not None
    cache = KVStateCache(max_bytes=int(snapshot.nbytes * 2.5))
    for key in ("a", "b", "c"):
        cache.put(key, snapshot)
    assert cache.keys() == ["b", "c"]
    assert cache.size <= cache.max_bytes
    assert cache.take("a") is None
    assert cache.take("c") is snapshot and cache.keys() == ["b"]
