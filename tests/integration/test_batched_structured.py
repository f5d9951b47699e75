"""``BatchedDecoder`` with grammars and tools: each slot samples under its own grammar.

The decoder behind ``hearth serve`` is driven directly with the tiny random-weight model,
two sequences in one llama.cpp context.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import (
    ChatTurn,
    Finished,
    GenerationParams,
)
from desktop_app.core.engine.batched import BatchedDecoder, SequenceRequest
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from desktop_app.core.structured.schema import compile_schema
from desktop_app.core.tools.calls import tool_from_openai
from tests.answer_recorder import Answer

pytestmark = pytest.mark.integration

SCHEMA = {
    "type": "object",
    "properties": {"mood": {"enum": ["calm", "busy"]}, "n": {"enum": [1, 2, 3]}},
    "required": ["mood", "n"],
    "additionalProperties": False,
}
TURNS = [ChatTurn("user", "How are you today?")]


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Iterator[LlamaEngine]:
    made = LlamaEngine(tiny_model, LoadParams(n_ctx=2048, n_threads=1, n_seq_max=2))
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def decoder(engine: LlamaEngine) -> Iterator[BatchedDecoder]:
    made = BatchedDecoder(engine)
    try:
        yield made
    finally:
        made.close()


def start(decoder: BatchedDecoder, params: GenerationParams) -> tuple[Answer, SequenceRequest]:
    prepared = decoder.chat_prompt(TURNS, params)
    assert not isinstance(prepared, Finished), prepared
    answer = Answer()
    request = SequenceRequest(prepared[0], params, answer)
    assert decoder.admit(request)
    return answer, request


def run(decoder: BatchedDecoder, *answers: Answer) -> None:
    for _ in range(2000):
        if all(answer.finished for answer in answers):
            return
        decoder.step()
    raise AssertionError("the answers did not finish")


def grammar_params(seed: int = 1, **changes: object) -> GenerationParams:
    params = GenerationParams(
        max_tokens=300, temperature=1.0, seed=seed, grammar=compile_schema(SCHEMA).grammar
    )
    return replace(params, **changes)  # type: ignore[arg-type]


def test_a_constrained_answer_beside_a_free_one(decoder: BatchedDecoder) -> None:
    free_params = GenerationParams(max_tokens=30, temperature=0, seed=3, ignore_eos=True)
    alone, _ = start(decoder, free_params)
    run(decoder, alone)
    constrained, _ = start(decoder, grammar_params())
    beside, _ = start(decoder, free_params)
    run(decoder, constrained, beside)
    assert constrained.finished is not None
    assert constrained.finished.reason is FinishReason.STOP
    jsonschema.validate(json.loads(constrained.text), SCHEMA)
    assert beside.text == alone.text


def test_same_seed_same_constrained_answer_alone_or_together(decoder: BatchedDecoder) -> None:
    alone, _ = start(decoder, grammar_params(seed=5))
    run(decoder, alone)
    first, _ = start(decoder, grammar_params(seed=5))
    second, _ = start(decoder, grammar_params(seed=9))
    run(decoder, first, second)
    assert first.text == alone.text
    for answer in (first, second):
        jsonschema.validate(json.loads(answer.text), SCHEMA)


def test_a_bad_grammar_fails_its_request_only(decoder: BatchedDecoder) -> None:
    good, _ = start(decoder, grammar_params())
    bad = Answer()
    prepared = decoder.chat_prompt(TURNS, grammar_params())
    assert not isinstance(prepared, Finished)
    assert decoder.admit(SequenceRequest(prepared[0], grammar_params(grammar="root ::= ("), bad))
    assert bad.finished is not None and bad.finished.reason is FinishReason.ERROR
    assert "grammar" in (bad.finished.error or "")
    assert decoder.active == 1
    run(decoder, good)
    jsonschema.validate(json.loads(good.text), SCHEMA)


def test_the_grammar_is_freed_when_an_answer_is_cancelled(decoder: BatchedDecoder) -> None:
    answer, request = start(decoder, grammar_params())
    decoder.step()
    grammars = [slot.constrained for slot in decoder._slots if slot.constrained is not None]
    assert len(grammars) == 1
    request.cancel.cancel()
    run(decoder, answer)
    assert answer.finished is not None and answer.finished.reason is FinishReason.CANCELLED
    assert grammars[0]._grammar is None
    assert all(slot.constrained is None for slot in decoder._slots)


def test_tools_reach_the_prompt_as_in_the_single_engine(
    engine: LlamaEngine, decoder: BatchedDecoder
) -> None:
    weather = tool_from_openai(
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
        }
    )
    params = GenerationParams(tools=(weather,))
    prepared = decoder.chat_prompt(TURNS, params)
    assert not isinstance(prepared, Finished)
    assert prepared[0] == engine.prompt_tokens(TURNS, (weather,))
    plain = decoder.chat_prompt(TURNS, GenerationParams())
    assert not isinstance(plain, Finished)
    assert plain[0] != prepared[0]
    assert "get_weather" in engine.llama.detokenize(prepared[0]).decode("utf-8", "replace")
