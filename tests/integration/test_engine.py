"""The llama.cpp engine with the tiny test model: streaming, stopping, stats."""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineError,
    EngineEvent,
    Finished,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadCancelled, LoadParams

pytestmark = pytest.mark.integration

QUESTION = [ChatTurn("system", "Be brief."), ChatTurn("user", "Hello world")]


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Iterator[LlamaEngine]:
    loaded = LlamaEngine(tiny_model, LoadParams(n_ctx=8192, n_threads=2))
    yield loaded
    loaded.close()


def _collect(events: Iterator[EngineEvent]) -> tuple[str, Finished]:
    parts: list[str] = []
    for event in events:
        if isinstance(event, TextDelta):
            parts.append(event.text)
        else:
            return "".join(parts), event
    raise AssertionError("the stream ended without a Finished event")


def test_streams_text_then_one_finished_record_with_stats(engine: LlamaEngine) -> None:
    events = list(engine.stream_chat(QUESTION, GenerationParams(max_tokens=64, seed=1)))
    assert all(isinstance(e, TextDelta) for e in events[:-1])
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)
    stats = finished.stats
    assert stats.prompt_tokens > 5
    assert 0 < stats.generated_tokens <= 64
    assert stats.time_to_first_token_s is not None and stats.time_to_first_token_s > 0


def test_max_tokens_ends_with_length(engine: LlamaEngine) -> None:
    params = GenerationParams(max_tokens=50, seed=3, ignore_eos=True)
    _, finished = _collect(engine.stream_chat(QUESTION, params))
    assert finished.reason is FinishReason.LENGTH
    assert finished.stats.generated_tokens == 50
    assert finished.stats.tokens_per_s is not None and finished.stats.tokens_per_s > 0


def test_end_of_turn_token_from_the_model_metadata_ends_the_answer(engine: LlamaEngine) -> None:
    reasons = {
        _collect(engine.stream_chat(QUESTION, GenerationParams(max_tokens=400, seed=s)))[1].reason
        for s in range(12)
    }
    assert FinishReason.STOP in reasons


def test_a_stop_string_ends_the_answer_and_is_not_shown(engine: LlamaEngine) -> None:
    params = GenerationParams(max_tokens=2000, seed=5, stop=(" ",), ignore_eos=True)
    text, finished = _collect(engine.stream_chat(QUESTION, params))
    assert finished.reason is FinishReason.STOP
    assert " " not in text
    assert finished.stats.generated_tokens < 2000


def test_cancel_from_another_thread_stops_between_tokens(engine: LlamaEngine) -> None:
    cancel = CancelToken()
    params = GenerationParams(max_tokens=7000, seed=2, ignore_eos=True)
    events = engine.stream_chat(QUESTION, params, cancel)
    next(events)
    stopper = threading.Thread(target=cancel.cancel)
    stopper.start()
    stopper.join()
    _, finished = _collect(events)
    assert finished.reason is FinishReason.CANCELLED
    assert finished.stats.generated_tokens < 7000


def test_seeded_generation_is_reproducible(engine: LlamaEngine) -> None:
    params = GenerationParams(max_tokens=40, seed=11, ignore_eos=True)
    first = _collect(engine.stream_chat(QUESTION, params))[0]
    second = _collect(engine.stream_chat(QUESTION, params))[0]
    assert first == second


def test_multibyte_text_split_across_tokens_arrives_intact(
    engine: LlamaEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chinese and emoji are single bytes in this vocabulary, so each character spans
    several tokens; the engine's token loop must emit only whole characters."""
    text = "你好世界 🙂 emoji ✓ 中文"
    llm = engine.llama
    tokens = llm.tokenize(text.encode(), add_bos=False, special=False)
    assert len(tokens) > len(text)
    end_of_turn = llm.tokenize(b"<|im_end|>", add_bos=False, special=True)

    def scripted_tokens(new_tokens: list[int], _: GenerationParams) -> Iterator[int]:
        llm.eval(new_tokens)  # keep llama.cpp's state consistent with a real answer
        yield from tokens + end_of_turn

    monkeypatch.setattr(engine, "_sampled_tokens", scripted_tokens)
    events = list(engine.stream_chat(QUESTION, GenerationParams(max_tokens=500)))
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert "".join(deltas) == text
    assert all("\ufffd" not in delta for delta in deltas)
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert finished.reason is FinishReason.STOP
    assert finished.stats.generated_tokens == len(tokens)


def test_follow_up_turns_reuse_the_cached_prompt_prefix(engine: LlamaEngine) -> None:
    """Time to first token must not grow with the conversation: each turn evaluates
    only what is new, the rest of the prompt comes from the KV cache."""
    turns = [ChatTurn("user", "Hello world, the assistant is a computer")]
    prompts: list[int] = []
    cached: list[int] = []
    for turn in range(4):
        params = GenerationParams(max_tokens=20, seed=turn, ignore_eos=True)
        answer, finished = _collect(engine.stream_chat(turns, params))
        prompts.append(finished.stats.prompt_tokens)
        cached.append(finished.stats.cached_prompt_tokens)
        turns += [ChatTurn("assistant", answer), ChatTurn("user", f"And then {turn}?")]
    for turn in range(1, 4):
        assert cached[turn] >= prompts[turn - 1]


def test_a_prompt_longer_than_the_context_is_an_error_not_a_crash(tiny_model: Path) -> None:
    small = LlamaEngine(tiny_model, LoadParams(n_ctx=64))
    try:
        _, finished = _collect(
            small.stream_chat([ChatTurn("user", "word " * 200)], GenerationParams())
        )
    finally:
        small.close()
    assert finished.reason is FinishReason.ERROR
    assert finished.error is not None and "context window" in finished.error


def test_a_model_without_a_template_uses_a_named_fallback(
    tiny_model_without_template: Path,
) -> None:
    fallback = LlamaEngine(tiny_model_without_template, LoadParams(n_ctx=512))
    try:
        assert fallback.prompt_format.name == "chatml"
        assert "chatml" in fallback.info.chat_format
        _, finished = _collect(fallback.stream_chat(QUESTION, GenerationParams(max_tokens=8)))
    finally:
        fallback.close()
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)


def test_a_fallback_format_stops_where_the_model_opens_the_next_turn(
    tiny_model_without_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the built-in formats' stops: a small model without a chat template often
    skips its end-of-turn marker and goes straight on to open the user's next turn and
    answer it (Gemma 3 270M writes "...<start_of_turn>model ..." for a thousand tokens).
    The answer must end where the next turn begins."""
    fallback = LlamaEngine(tiny_model_without_template, LoadParams(n_ctx=512))
    try:
        llm = fallback.llama
        answer = llm.tokenize(b"Bonjour", add_bos=False, special=False)
        next_turn = llm.tokenize(b"<|im_start|>user\nAnd more", add_bos=False, special=True)

        def scripted_tokens(new_tokens: list[int], _: GenerationParams) -> Iterator[int]:
            llm.eval(new_tokens)
            yield from answer + next_turn

        monkeypatch.setattr(fallback, "_sampled_tokens", scripted_tokens)
        text, finished = _collect(fallback.stream_chat(QUESTION, GenerationParams(max_tokens=50)))
    finally:
        fallback.close()
    assert text == "Bonjour"
    assert finished.reason is FinishReason.STOP


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        (b"just some text, renamed to look like a model\n" * 4, "not a usable GGUF"),
    ],
)
def test_bad_model_files_raise_a_clear_engine_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "model.gguf"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(EngineError, match=message):
        LlamaEngine(path)


def test_a_model_llama_cpp_rejects_gets_its_reason_and_nothing_on_the_terminal(
    tiny_model: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The header is valid, so only llama.cpp itself can object (and it logs why)."""
    key = b"general.architecture"
    value = struct.pack("<IQ", 8, 5) + b"llama"
    data = tiny_model.read_bytes()
    at = data.index(key + value) + len(key)
    alien = tmp_path / "alien.gguf"
    alien.write_bytes(data[:at] + struct.pack("<IQ", 8, 5) + b"alien" + data[at + len(value) :])
    capfd.readouterr()
    with pytest.raises(EngineError, match="unknown model architecture: 'alien'"):
        LlamaEngine(alien, LoadParams(n_ctx=256))
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")


def _long_chat(exchanges: int) -> list[ChatTurn]:
    turns = [ChatTurn("system", "Be brief.")]
    for n in range(exchanges):
        turns.append(ChatTurn("user", f"Question number {n} about the weather today?"))
        turns.append(ChatTurn("assistant", f"Answer number {n}: it is sunny and warm."))
    turns.append(ChatTurn("user", "And tomorrow?"))
    return turns


def test_an_overflowing_chat_leaves_out_old_turns_and_says_so(tiny_model: Path) -> None:
    small = LlamaEngine(tiny_model, LoadParams(n_ctx=256, n_threads=2))
    try:
        turns = _long_chat(30)
        assert len(small.prompt_tokens(turns)) > 256
        params = GenerationParams(max_tokens=16, seed=1)
        _, finished = _collect(small.stream_chat(turns, params))
        assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)
        assert finished.stats.dropped_turns > 0
        assert finished.stats.prompt_tokens <= 256 - 16
        kept = small.fit_context(turns, params)
        text = small.llama.detokenize(kept.tokens, special=True).decode("utf-8")
        assert text.count("Be brief.") == 1 and "And tomorrow?" in text
        assert "Question number 0 " not in text and "Question number 29 " in text
        assert small.context_usage(turns, params) == finished.stats.prompt_tokens
    finally:
        small.close()


def test_the_stop_strategy_refuses_an_overflowing_chat(tiny_model: Path) -> None:
    small = LlamaEngine(tiny_model, LoadParams(n_ctx=256, n_threads=2))
    try:
        params = GenerationParams(max_tokens=16, seed=1, context_overflow="stop")
        _, finished = _collect(small.stream_chat(_long_chat(30), params))
        assert finished.reason is FinishReason.ERROR
        assert finished.error is not None and "no longer leaves room" in finished.error
        assert finished.stats.prompt_tokens > 256
    finally:
        small.close()


def test_a_load_reports_progress_and_can_be_cancelled(tiny_model: Path) -> None:
    seen: list[float] = []
    loaded = LlamaEngine(
        tiny_model, LoadParams(n_ctx=256), progress=lambda f: seen.append(f) or True
    )
    loaded.close()
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    with pytest.raises(LoadCancelled, match="was cancelled"):
        LlamaEngine(tiny_model, LoadParams(n_ctx=256), progress=lambda f: f < 0.5)
    again = LlamaEngine(tiny_model, LoadParams(n_ctx=256))  # nothing was left half-loaded
    again.close()


def test_a_load_that_runs_out_of_memory_says_what_to_change(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import llama_cpp

    class OutOfMemory:
        def __init__(self, **_kwargs: object) -> None:
            raise ValueError("Failed to create llama_context")

    monkeypatch.setattr(llama_cpp, "Llama", OutOfMemory)
    with pytest.raises(EngineError) as caught:
        LlamaEngine(tiny_model, LoadParams(n_ctx=32768, n_gpu_layers=-1))
    message = str(caught.value)
    assert message.startswith("Not enough memory to load tiny.gguf")
    # Every GPU attempt fell back to the CPU, where only the context can shrink.
    assert "Try a smaller context (now 32768 tokens)" in message


def test_prompt_tokens_match_tokenizing_the_whole_prompt(engine: LlamaEngine) -> None:
    """Prompts are tokenized piece by piece (see prompt_tokens.py); the tokens must be
    exactly those of the whole text, whatever the messages hold."""
    texts = ["你好，世界", "emoji 🙂👍🏽 mix", "<|im_end|> typed by the user", "a\n\n  b", ""]
    turns = [ChatTurn("system", "Be brief.")]
    for n, text in enumerate(texts * 3):
        turns.append(ChatTurn("user" if n % 2 == 0 else "assistant", f"{n} {text}"))
        if turns[-1].role == "user":
            whole = engine.llama.tokenize(
                engine._render(engine.prompt_format, turns).encode("utf-8"),
                add_bos=False,
                special=True,
            )
            pieces = engine.prompt_tokens(turns)
            added_bos = len(pieces) - len(whole)
            assert pieces[added_bos:] == whole
            assert added_bos in (0, 1)


@pytest.mark.parametrize("kv_type", ["f16", "bf16"])
def test_each_kv_cache_type_loads_and_streams(tiny_model: Path, kv_type: str) -> None:
    loaded = LlamaEngine(tiny_model, LoadParams(n_ctx=256, kv_cache_type=kv_type))
    try:
        params = GenerationParams(max_tokens=8, seed=1, ignore_eos=True)
        _text, finished = _collect(loaded.stream_chat(QUESTION, params))
        assert finished.stats.generated_tokens == 8 and not finished.error
    finally:
        loaded.close()


@pytest.mark.parametrize("temperature", [0.0, 0.8])
def test_the_token_loop_samples_what_llama_generate_samples(
    engine: LlamaEngine, temperature: float
) -> None:
    """The engine drives llama.cpp below ``Llama.generate`` with the same sampler chain:
    greedy and seeded answers must be the very same tokens."""
    params = GenerationParams(max_tokens=60, temperature=temperature, seed=5, ignore_eos=True)
    prompt = engine.prompt_tokens(QUESTION)
    llm = engine.llama
    llm.reset()
    llm.set_seed(5)
    reference = llm.generate(
        prompt,
        top_k=params.top_k,
        top_p=params.top_p,
        min_p=params.min_p,
        temp=params.temperature,
        repeat_penalty=params.repeat_penalty,
    )
    expected = [token for token, _ in zip(reference, range(59), strict=False)]
    reference.close()
    llm._sampler = None  # generate leaves its sampler on the Llama object
    llm.reset()
    _, finished = _collect(engine.stream_chat(QUESTION, params))
    assert finished.stats.generated_tokens == 60
    assert list(llm.input_ids[len(prompt) : llm.n_tokens]) == expected


def _script_answer(
    engine: LlamaEngine, monkeypatch: pytest.MonkeyPatch, pieces: list[str]
) -> list[int]:
    """Make the model "sample" ``pieces``, each piece tokenized on its own (so a stop
    string is cut into tokens wherever the pieces cut it); returns the token ids."""
    llm = engine.llama
    tokens = [t for piece in pieces for t in llm.tokenize(piece.encode(), add_bos=False)]

    def scripted_tokens(new_tokens: list[int], _: GenerationParams) -> Iterator[int]:
        llm.eval(new_tokens)
        yield from tokens

    monkeypatch.setattr(engine, "_sampled_tokens", scripted_tokens)
    return tokens


@pytest.mark.parametrize(
    ("answer", "stop", "shown"),
    [
        ("The result is 4.</answer> and then more", "</answer>", "The result is 4."),
        ("Sure, done.\nUser: next question", "\nUser:", "Sure, done."),
        ("a</answe</answer>", "</answer>", "a</answe"),
    ],
)
@pytest.mark.parametrize("cut", ["characters", "pairs", "words"])
def test_a_multi_character_stop_split_across_tokens_ends_the_answer_unseen(
    engine: LlamaEngine,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    stop: str,
    shown: str,
    cut: str,
) -> None:
    """Guards: a stop string that arrives over several tokens is never shown, the text
    before it is shown whole, and generation stops at the token that completes it."""
    if cut == "characters":
        pieces = list(answer)
    elif cut == "pairs":
        pieces = [answer[i : i + 2] for i in range(0, len(answer), 2)]
    else:
        words = answer.split(" ")
        pieces = [word + " " for word in words[:-1]] + words[-1:]
    tokens = _script_answer(engine, monkeypatch, pieces)
    params = GenerationParams(max_tokens=500, stop=(stop,))
    text, finished = _collect(engine.stream_chat(QUESTION, params))
    assert text == shown
    assert finished.reason is FinishReason.STOP
    llm = engine.llama
    needed = next(
        n
        for n in range(1, len(tokens) + 1)
        if stop in llm.detokenize(tokens[:n]).decode("utf-8", "replace")
    )
    assert finished.stats.generated_tokens == needed


def test_a_stop_string_taken_from_a_real_answer_cuts_it_there(engine: LlamaEngine) -> None:
    """Guards: with real sampling, a stop string of several tokens from the middle of a
    seeded answer ends that same answer just before it."""
    params = GenerationParams(max_tokens=80, seed=21, ignore_eos=True)
    full, _ = _collect(engine.stream_chat(QUESTION, params))
    llm = engine.llama
    start = len(full) // 2
    stop = ""
    for end in range(start + 2, len(full)):
        candidate = full[start:end]
        if len(llm.tokenize(candidate.encode(), add_bos=False)) >= 3:
            stop = candidate
            break
    assert stop, f"no stop string of three tokens in {full!r}"
    text, finished = _collect(engine.stream_chat(QUESTION, replace(params, stop=(stop,))))
    assert text == full[: full.find(stop)]
    assert finished.reason is FinishReason.STOP


def _regenerate(engine: LlamaEngine, turns: list[ChatTurn]) -> tuple[str, Finished, str, Finished]:
    params = GenerationParams(max_tokens=30, seed=9, ignore_eos=True)
    first, first_finished = _collect(engine.stream_chat(turns, params))
    again, again_finished = _collect(engine.stream_chat(turns, params))
    return first, first_finished, again, again_finished


LONG_QUESTION = [ChatTurn("user", "Tell me about lighthouses, storms and the sea " * 4)]


def test_going_back_past_a_sliding_window_evaluates_the_prompt_afresh(
    engine: LlamaEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the sliding-window check of ``_keep_cached_prefix``: when the cache no
    longer holds the window before the reused prefix (a regenerated answer on Gemma 3),
    nothing is reused, so the model never attends without the cells it needs.

    The tiny model has no sliding window, so the engine is given one at the seam where
    it reads llama.cpp's state: a window of 16 tokens, and a cache whose oldest cell is
    past the prompt (what llama.cpp reports once the answer overwrote the window)."""
    llama_cpp = engine._llama_cpp
    prompt = engine.prompt_tokens(LONG_QUESTION)
    monkeypatch.setattr(engine, "_n_swa", 16)
    monkeypatch.setattr(llama_cpp, "llama_memory_seq_pos_min", lambda _memory, _seq: len(prompt))
    first, _, again, finished = _regenerate(engine, LONG_QUESTION)
    assert finished.stats.cached_prompt_tokens == 0
    assert again == first


def test_going_back_within_a_sliding_window_keeps_the_cache(
    engine: LlamaEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the check: when the cache still holds the window, the shared
    prefix is reused as without a sliding window. The oldest position is asked of the
    engine's KV memory for the chat's sequence (0)."""
    monkeypatch.setattr(engine, "_n_swa", 16)
    asked: list[tuple[object, int]] = []

    def pos_min(memory: object, seq: int) -> int:
        asked.append((memory, seq))
        return 0

    monkeypatch.setattr(engine._llama_cpp, "llama_memory_seq_pos_min", pos_min)
    prompt = engine.prompt_tokens(LONG_QUESTION)
    first, _, again, finished = _regenerate(engine, LONG_QUESTION)
    assert finished.stats.cached_prompt_tokens == len(prompt) - 1
    assert again == first
    assert asked and all(seq == 0 for _, seq in asked), "the sequence of the chat"
    assert all(memory is not None for memory, _ in asked), "the engine's own KV memory"


def test_going_forward_with_a_sliding_window_keeps_the_cache(
    engine: LlamaEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Going forward (the next turn) the cache holds the window by construction, so the
    prefix is reused even though the oldest cell is long gone."""
    monkeypatch.setattr(engine, "_n_swa", 16)
    monkeypatch.setattr(engine._llama_cpp, "llama_memory_seq_pos_min", lambda _memory, _seq: 10**6)
    # One token: the cache then holds exactly the prompt (the sampled token is never
    # evaluated), so the next turn goes strictly forward whatever the answer's text
    # retokenizes to.
    params = GenerationParams(max_tokens=1, seed=4, ignore_eos=True)
    answer, first = _collect(engine.stream_chat(LONG_QUESTION, params))
    turns = [*LONG_QUESTION, ChatTurn("assistant", answer), ChatTurn("user", "And then?")]
    _, finished = _collect(engine.stream_chat(turns, params))
    assert finished.stats.cached_prompt_tokens == first.stats.prompt_tokens
