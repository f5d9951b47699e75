"""``BatchedDecoder``: answers on consecutive sequence ids, newcomers' prompts read first.

llama.cpp splits a batch into one compute pass per run of consecutive sequence ids, so
the decoder places requests next to each other and moves an answer into the gap another
one leaves. Moving copies a sequence's KV cache inside llama.cpp: these tests check that
every answer still reads exactly as it does alone, and that a conversation moved out of
the way still serves its follow-up turn from the cache, with the same text as without.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.engine.base import (
    ChatTurn,
    Finished,
    GenerationParams,
)
from desktop_app.core.engine.batched import BatchedDecoder, SequenceRequest
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from tests.answer_recorder import Answer

pytestmark = pytest.mark.integration

QUESTIONS = ["Tell me about lighthouses.", "What is the capital of France?", "Write a haiku"]


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Iterator[LlamaEngine]:
    made = LlamaEngine(tiny_model, LoadParams(n_ctx=512, n_threads=1, n_seq_max=4))
    try:
        yield made
    finally:
        made.close()


def greedy(tokens: int) -> GenerationParams:
    return GenerationParams(max_tokens=tokens, temperature=0, seed=3, ignore_eos=True)


def start(decoder: BatchedDecoder, turns: list[ChatTurn], tokens: int) -> Answer:
    params = greedy(tokens)
    prepared = decoder.chat_prompt(turns, params)
    assert not isinstance(prepared, Finished), prepared
    answer = Answer()
    assert decoder.admit(SequenceRequest(prepared[0], params, answer))
    return answer


def consecutive(ids: list[int]) -> bool:
    return ids == list(range(ids[0], ids[0] + len(ids))) if ids else True


def run(decoder: BatchedDecoder, *answers: Answer) -> None:
    for _ in range(2000):
        assert consecutive(decoder.active_sequences()), decoder.active_sequences()
        if all(answer.finished for answer in answers):
            return
        decoder.step()
    raise AssertionError("the answers did not finish")


def alone(engine: LlamaEngine, turns: list[ChatTurn], tokens: int) -> str:
    decoder = BatchedDecoder(engine)  # a fresh one: nothing cached
    try:
        answer = start(decoder, turns, tokens)
        run(decoder, answer)
        return answer.text
    finally:
        decoder.close()


def test_an_answer_moved_into_a_gap_and_a_moved_conversation_read_as_alone(
    engine: LlamaEngine,
) -> None:
    chats = [[ChatTurn("user", question)] for question in QUESTIONS]
    lengths = [30, 6, 30]  # the middle answer ends first and leaves a gap
    expected = [alone(engine, chat, n) for chat, n in zip(chats, lengths, strict=True)]
    decoder = BatchedDecoder(engine)
    try:
        answers = [start(decoder, chat, n) for chat, n in zip(chats, lengths, strict=True)]
        assert decoder.active_sequences() == [0, 1, 2]
        run(decoder, answers[1])
        decoder.step()
        assert len(decoder.active_sequences()) == 2
        run(decoder, *answers)
        assert [a.text for a in answers] == expected

        # The middle conversation was moved aside; its next turn, asked while another
        # answer runs, is served from its cache and reads as it does without one.
        follow_up = [*chats[1], ChatTurn("assistant", answers[1].text), ChatTurn("user", "And?")]
        other = start(decoder, [ChatTurn("user", "Count to ten")], 30)
        decoder.step()
        second = start(decoder, follow_up, 12)
        run(decoder, other, second)
        assert second.finished is not None
        assert second.finished.stats.cached_prompt_tokens > 0
    finally:
        decoder.close()
    assert second.text == alone(engine, follow_up, 12)
    assert other.text == alone(engine, [ChatTurn("user", "Count to ten")], 30)


def test_a_follow_up_whose_conversation_sits_apart_is_copied_next_to_the_others(
    engine: LlamaEngine,
) -> None:
    chats = [[ChatTurn("user", q)] for q in [*QUESTIONS, "Name three colours"]]
    decoder = BatchedDecoder(engine)
    try:
        long, *short = [
            start(decoder, chat, n) for chat, n in zip(chats, [40, 8, 8, 4], strict=True)
        ]
        assert decoder.active_sequences() == [0, 1, 2, 3]
        run(decoder, *short)
        assert decoder.active_sequences() == [0]  # the last conversation is kept in slot 3
        follow_up = [*chats[3], ChatTurn("assistant", short[2].text), ChatTurn("user", "More")]
        second = start(decoder, follow_up, 12)
        assert decoder.active_sequences() == [0, 1]
        run(decoder, long, second)
        assert second.finished is not None
        assert second.finished.stats.cached_prompt_tokens > 0
    finally:
        decoder.close()
    assert second.text == alone(engine, follow_up, 12)
    assert long.text == alone(engine, chats[0], 40)


def generated(decoder: BatchedDecoder) -> dict[int, int]:
    return {
        slot.seq_id: slot.answer.generated for slot in decoder._slots if slot.answer is not None
    }


def test_a_newcomers_prompt_is_read_before_the_others_next_tokens(engine: LlamaEngine) -> None:
    decoder = BatchedDecoder(engine)
    try:
        running = start(decoder, [ChatTurn("user", QUESTIONS[0])], 30)
        decoder.step()
        decoder.step()
        assert generated(decoder) == {0: 2}
        newcomer = start(decoder, [ChatTurn("user", QUESTIONS[1])], 30)
        decoder.step()  # the prompt alone: the newcomer's first token, nothing for the other
        assert decoder.reading == 0 and generated(decoder) == {0: 2, 1: 1}
        decoder.step()  # then one token each, in one pass
        assert generated(decoder) == {0: 3, 1: 2}
        run(decoder, running, newcomer)
    finally:
        decoder.close()
    assert running.text == alone(engine, [ChatTurn("user", QUESTIONS[0])], 30)
    assert newcomer.text == alone(engine, [ChatTurn("user", QUESTIONS[1])], 30)
