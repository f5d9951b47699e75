"""Time to first token as a conversation grows, and when coming back to a long one.

Usage: python benchmarks/ttft.py --model PATH|tiny|gemma [--turns 20] [--long 4000]

1. One conversation, turn after turn: TTFT at turn 2 and at turn N (default 20).
   With the KV cache kept between turns, only the new message is evaluated, so the
   ratio turn N / turn 2 should stay near 1 (goal <= 1.2).
2. A conversation of about 4,000 prompt tokens, then another conversation, then back
   to the long one with a new question: TTFT without the state cache (the whole
   prompt is evaluated again) and with it (``ConversationStates`` restores the KV
   cache), each as a ratio to the TTFT of simply continuing the long chat (goal with
   the cache <= 1.5).

Everything runs on the engine directly, in this thread, with greedy decoding and short
answers. Figures are medians of --runs repeats; the machine is shared, so read ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._models import resolve_model
from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams, TextDelta
from desktop_app.core.engine.kv_state import ConversationStates, KVStateCache
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams

PARAMS = GenerationParams(max_tokens=24, temperature=0.0, seed=1, ignore_eos=True)
TOPICS = ("the sea", "mountains", "old libraries", "city gardens", "winter trains",
          "river boats", "desert stars", "small bakeries")  # fmt: skip


def question(n: int, words: int = 40) -> str:
    topic = TOPICS[n % len(TOPICS)]
    # The same size at every turn, so that turn 2 and turn N evaluate as much new text.
    filler = " ".join(f"detail{i}" for i in range(words))
    return f"Question {n}: tell me something about {topic}. Context: {filler}"


def answer_text(n: int, words: int = 60) -> str:
    return f"Answer {n}: " + " ".join(f"fact{n}_{i}" for i in range(words))


def ttft(engine: LlamaEngine, turns: list[ChatTurn]) -> tuple[float, str, int, int]:
    """Seconds to the first token, the answer text, prompt tokens from cache, and in all."""
    started = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    for event in engine.stream_chat(turns, PARAMS):
        if isinstance(event, TextDelta):
            if first is None:
                first = time.perf_counter() - started
            parts.append(event.text)
        elif isinstance(event, Finished):
            if event.error:
                sys.exit(f"benchmark: {event.error}")
            seconds = first if first is not None else time.perf_counter() - started
            stats = event.stats
            return seconds, "".join(parts), stats.cached_prompt_tokens, stats.prompt_tokens
    raise RuntimeError("no Finished event")


def growing_chat(engine: LlamaEngine, n_turns: int) -> dict[int, tuple[float, int, int]]:
    """Per turn: TTFT, prompt tokens evaluated (not from cache), prompt tokens in all."""
    engine.llama.reset()
    turns = [ChatTurn("system", "You are a helpful assistant. Answer briefly.")]
    seen: dict[int, tuple[float, int, int]] = {}
    for n in range(1, n_turns + 1):
        turns.append(ChatTurn("user", question(n)))
        seconds, text, cached, prompt = ttft(engine, turns)
        seen[n] = (seconds, prompt - cached, prompt)
        turns.append(ChatTurn("assistant", text))
    return seen


def long_history(engine: LlamaEngine, target_tokens: int) -> list[ChatTurn]:
    turns = [ChatTurn("system", "You are a helpful assistant. Answer briefly.")]
    n = 0
    while len(engine.prompt_tokens(turns)) < target_tokens:
        n += 1
        turns += [ChatTurn("user", question(n)), ChatTurn("assistant", answer_text(n))]
    return turns


def come_back(
    engine: LlamaEngine, history: list[ChatTurn], cache: bool, run: int
) -> tuple[float, float, int, float]:
    """TTFT continuing the long chat, TTFT returning to it after another chat (restoring
    its state included), prompt tokens reused on return, and seconds spent saving its
    state when leaving it (paid by the first answer in the other chat)."""
    engine.llama.reset()
    states = ConversationStates(engine, KVStateCache(2 << 30)) if cache else None
    long_chat = [*history, ChatTurn("user", question(100 + run))]
    if states:
        states.switch_to(1)
    _, text, _, _ = ttft(engine, long_chat)  # the long chat is in use (prefilled)
    follow = [*long_chat, ChatTurn("assistant", text), ChatTurn("user", question(200 + run))]
    continuing, text2, _, _ = ttft(engine, follow)  # a continuing chat: the baseline
    other = [ChatTurn("system", "You translate."), ChatTurn("user", question(300 + run, 200))]
    saving = 0.0
    if states:
        started = time.perf_counter()
        states.switch_to(2)
        saving = time.perf_counter() - started
    ttft(engine, other)  # use another conversation
    back = [*follow, ChatTurn("assistant", text2), ChatTurn("user", question(400 + run))]
    started = time.perf_counter()
    if states:
        states.switch_to(1)
    restoring = time.perf_counter() - started
    returning, _, cached, _ = ttft(engine, back)
    return continuing, restoring + returning, cached, saving


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a GGUF file, 'tiny' or 'gemma'")
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--long", type=int, default=4000, help="tokens of the long chat")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ctx", type=int, default=8192)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--flash-attn", action="store_true", help="load with flash attention")
    parser.add_argument(
        "--growing-only", action="store_true", help="skip the long-chat return measurement"
    )
    args = parser.parse_args()
    path = resolve_model(args.model)
    load = LoadParams(n_ctx=args.ctx, n_threads=args.threads, flash_attn=args.flash_attn)
    engine = LlamaEngine(path, load)
    print(
        f"model: {engine.info.name} ({engine.info.chat_format}), n_ctx {args.ctx}, "
        f"flash attention {'on' if args.flash_attn else 'off'}"
    )

    runs = [growing_chat(engine, args.turns) for _ in range(args.runs)]
    last = args.turns
    t2 = statistics.median(run[2][0] for run in runs)
    tn = statistics.median(run[last][0] for run in runs)
    print(
        f"growing chat: ttft turn 2 = {t2 * 1000:.0f} ms ({runs[0][2][1]} of "
        f"{runs[0][2][2]} prompt tokens evaluated), turn {last} = {tn * 1000:.0f} ms "
        f"({runs[0][last][1]} of {runs[0][last][2]} evaluated), ratio = {tn / t2:.2f} "
        "(goal <= 1.2)"
    )
    if args.growing_only:
        return 0

    history = long_history(engine, args.long)
    prompt_tokens = len(engine.prompt_tokens(history))
    results: dict[bool, list[tuple[float, float, int, float]]] = {False: [], True: []}
    for run in range(args.runs):
        for cache in (False, True):
            results[cache].append(come_back(engine, history, cache, run))
    print(f"long chat: {prompt_tokens} prompt tokens, then another chat, then back")
    for cache in (False, True):
        continuing = statistics.median(r[0] for r in results[cache])
        returning = statistics.median(r[1] for r in results[cache])
        cached = statistics.median(r[2] for r in results[cache])
        label = "with state cache   " if cache else "without state cache"
        saving = statistics.median(r[3] for r in results[cache])
        goal = f" (goal <= 1.5; saving it on leaving took {saving * 1000:.0f} ms)" if cache else ""
        print(
            f"{label}: continuing = {continuing * 1000:.0f} ms, returning = "
            f"{returning * 1000:.0f} ms ({cached:.0f} prompt tokens reused), "
            f"ratio = {returning / continuing:.2f}{goal}"
        )
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
