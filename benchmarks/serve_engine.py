"""Continuous batching without the server: ``BatchedDecoder`` alone beside llama.cpp.

Usage: python benchmarks/serve_engine.py --model tiny|gemma|PATH [--tokens 128]
       [--runs 3] [--threads 2] [--batched-bench PATH] [--profile N]

For 1, 2, 4 and 8 sequences, the aggregate tok/s of ``BatchedDecoder.step`` driven in a
plain loop (no HTTP, no asyncio, no scheduler thread), beside ``llama-batched-bench``'s
S_TG for the same model, thread count, compute pass and KV format, run in turn so that
machine noise hits both alike. The engine's rate counts only the answering steps (after
every prompt is read), as S_TG does. When the engine alone reaches llama.cpp's rate,
a gap measured through ``hearth serve`` lies in the server path.

``--profile N`` runs N sequences once under cProfile and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._models import resolve_model
from benchmarks.serve_parallel import PROMPT, batched_bench, prompt_length
from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams
from desktop_app.core.engine.batched import BatchedDecoder, SequenceRequest
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams

CLIENTS = (1, 2, 4, 8)


def engine_rate(decoder: BatchedDecoder, clients: int, tokens: int) -> float:
    """Aggregate tok/s of the answering steps of ``clients`` sequences decoded together."""
    done: list[Finished] = []
    params = GenerationParams(max_tokens=tokens, ignore_eos=True, seed=1)
    for index in range(clients):
        fit = decoder.chat_prompt([ChatTurn("user", f"{PROMPT} Part {index + 1}.")], params)
        assert not isinstance(fit, Finished), fit
        prompt, _ = fit
        decoder.admit(SequenceRequest(prompt, params, lambda e: done.append(e) if isinstance(
            e, Finished) else None))  # fmt: skip
    while decoder.reading:
        decoder.step()
    started = time.perf_counter()
    steps = 0
    while decoder.active:
        decoder.step()
        steps += 1
    elapsed = time.perf_counter() - started
    assert len(done) == clients
    return steps * clients / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="gemma")
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batched-bench", type=Path, metavar="PATH")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    path = resolve_model(args.model)
    prompt = prompt_length(path)
    load = LoadParams(n_ctx=prompt + args.tokens + 64, n_threads=args.threads, n_seq_max=8)
    engine = LlamaEngine(path, load)
    decoder = BatchedDecoder(engine)
    print(
        f"engine-only suite: {path.name}, {args.tokens} tokens per sequence, "
        f"{args.threads} threads, {args.runs} runs, prompt {prompt} tokens",
        flush=True,
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        rate = engine_rate(decoder, args.profile, args.tokens)
        profiler.disable()
        print(f"{args.profile} sequences: {rate:.1f} tok/s (under cProfile)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
        return
    ours: dict[int, list[float]] = {c: [] for c in CLIENTS}
    theirs: dict[int, list[float]] = {c: [] for c in CLIENTS}
    for _ in range(args.runs):
        for clients in CLIENTS:
            ours[clients].append(engine_rate(decoder, clients, args.tokens))
            line = f"{clients} sequences: engine {ours[clients][-1]:.1f} tok/s"
            if args.batched_bench is not None:
                row = batched_bench(
                    args.batched_bench, path, args.threads, args.tokens, prompt, load, (clients,)
                )[clients]
                theirs[clients].append(row[0])
                line += f", llama-batched-bench S_TG {row[0]:.1f} tok/s"
            print(line, flush=True)
    decoder.close()
    engine.close()
    print()
    print("sequences  engine tok/s  llama.cpp S_TG  engine/llama.cpp")
    for clients in CLIENTS:
        mine = statistics.median(ours[clients])
        line = f"{clients:>9}  {mine:>12.1f}"
        if theirs[clients]:
            other = statistics.median(theirs[clients])
            line += f"  {other:>14.1f}  {mine / other:>16.3f}"
        print(line)


if __name__ == "__main__":
    main()
