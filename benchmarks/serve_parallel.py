"""Parallel decoding figures for ``benchmarks/serve.py --parallel-suite``.

All in one run, so machine noise hits every figure alike; the last lines are ratios.
Every server runs in its own process, as its users run it, and the clients (the
official ``openai`` client, streaming, ``--tokens`` each, end-of-turn ignored) run in
this one: a server that shared this process would share its interpreter lock with the
clients, a contention no deployment has.

1. Aggregate tok/s with 1, 2, 4 and 8 concurrent clients against ``hearth serve
   --parallel 8`` (the command itself, with a private ``HEARTH_HOME``), beside
   ``llama-batched-bench`` (``--batched-bench PATH``) for the same model, thread count,
   compute pass and KV format. Aggregate = all clients' tokens / wall time from the
   first request to the last token (prompts included; each client is made before the
   requests start). The server streams as it does by default (``server/pacing.py``: a
   chunk at most every 50 ms per answer, stretched when more answers than CPU cores
   decode together).
2. Single client: the parallel server against today's one-at-a-time server
   (``EngineThread`` behind the same app, ``python -m benchmarks.serve_parallel
   one-at-a-time``), same client, same tokens.
3. Time to first token (p50/p90) of a request arriving while 3 others stream, against
   the same request on an idle server.
4. Cold load on demand: from the request for a model that is not loaded (``hearth
   serve`` started without ``--model``, the model in its library) to its first token.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import openai

from desktop_app.core.engine.llama_engine import (
    LlamaEngine,
    LoadParams,
    kv_cache_type,
    ubatch_size,
)
from desktop_app.core.engine.load_params import GPU_LAYERS_ALL, GPU_LAYERS_AUTO

PROMPT = "Write a long story about a lighthouse keeper."
CLIENTS = (1, 2, 4, 8)
ROOT = Path(__file__).resolve().parents[1]
GPU_LAYERS_OPTION = {GPU_LAYERS_AUTO: "auto", GPU_LAYERS_ALL: "all"}


class Server:
    """A server process: where it listens and the model id it serves."""

    def __init__(self, base: str, model: str) -> None:
        self.base = base
        self.model = model


@contextmanager
def server_process(command: list[str], home: Path) -> Iterator[str]:
    """Run ``command`` (a server that prints ``... at http://HOST:PORT/v1``) and yield
    that URL; stopped with SIGTERM at the end."""
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "HEARTH_HOME": str(home)},
    )  # fmt: skip
    assert process.stdout is not None
    output: list[str] = []
    try:
        for line in process.stdout:
            output.append(line)
            found = re.search(r" at (http://\S+/v1)\s*$", line)
            if found:
                base = found.group(1)
                break
        else:
            raise RuntimeError("the server stopped before listening:\n" + "".join(output))
        # Keep reading its output, so that a full pipe never blocks it.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def served_model(base: str) -> str:
    return str(httpx.get(f"{base}/models", timeout=30).json()["data"][0]["id"])


@contextmanager
def hearth_serve(
    path: Path, load: LoadParams, parallel: int, *, loaded: bool = True
) -> Iterator[Server]:
    """``hearth serve`` with a private home: ``path`` loaded at start, or (``loaded``
    False) only in its library, for a load on demand."""
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as home:
        command = [sys.executable, "-m", "desktop_app", "serve", "--port", "0",
                   "--parallel", str(parallel), "--ctx-size", str(load.n_ctx),
                   "--batch-size", str(load.n_batch), "--gpu-layers",
                   GPU_LAYERS_OPTION.get(load.n_gpu_layers, str(load.n_gpu_layers))]  # fmt: skip
        if load.n_threads:
            command += ["--threads", str(load.n_threads)]
        model = ""
        if loaded:
            command += ["--model", str(path)]
        else:
            model = import_model(path, Path(home))
        with server_process(command, Path(home)) as base:
            yield Server(base, model or served_model(base))


def import_model(path: Path, home: Path) -> str:
    """Put ``path`` in the library of ``home`` (by reference); its model id."""
    env = {**os.environ, "HEARTH_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "desktop_app", "models", "import", "--reference", str(path)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    listed = subprocess.run(
        [sys.executable, "-m", "desktop_app", "models", "list"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return listed.split()[0]


@contextmanager
def one_at_a_time_server(path: Path, load: LoadParams) -> Iterator[Server]:
    """Today's one-at-a-time server (``EngineThread`` behind the same app)."""
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as home:
        command = [sys.executable, "-m", "benchmarks.serve_parallel", "one-at-a-time",
                   str(path), str(load.n_ctx), str(load.n_threads or 0)]  # fmt: skip
        with server_process(command, Path(home)) as base:
            yield Server(base, served_model(base))


def _serve_one_at_a_time(path: Path, n_ctx: int, threads: int) -> None:
    """The process behind ``one_at_a_time_server``: serves until it is terminated."""
    import uvicorn

    from desktop_app.server.app import ServerConfig, create_app
    from desktop_app.server.engine_thread import EngineThread
    from desktop_app.server.listen import bind_socket

    load = LoadParams(n_ctx=n_ctx, n_threads=threads or None)
    engine = EngineThread(lambda: LlamaEngine(path, load))
    engine.start()
    sock = bind_socket("127.0.0.1", 0)
    app = create_app(engine, ServerConfig(path.stem, path))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    print(f"one-at-a-time server at http://127.0.0.1:{sock.getsockname()[1]}/v1", flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        engine.stop()


def new_client(server: Server) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base, api_key="unused", max_retries=0, timeout=600)


def stream(
    client: openai.OpenAI, model: str, tokens: int, prompt: str
) -> tuple[int, float, float, float]:
    """One streamed answer: (tokens, time sent, time of its first text, time of its
    last token), the times from ``time.perf_counter``."""
    sent = time.perf_counter()
    first = 0.0
    generated = 0
    chunks = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": prompt}], max_tokens=tokens,
        seed=1, stream=True, stream_options={"include_usage": True},
        extra_body={"ignore_eos": True},
    )  # fmt: skip
    for chunk in chunks:
        if not first and chunk.choices and chunk.choices[0].delta.content:
            first = time.perf_counter()
        if chunk.usage is not None:
            generated = chunk.usage.completion_tokens
    return generated, sent, first, time.perf_counter()


def stream_once(server: Server, tokens: int, prompt: str = PROMPT) -> tuple[int, float, float]:
    """(tokens, seconds to first token, seconds to last) for one streamed answer."""
    with new_client(server) as client:
        generated, sent, first, last = stream(client, server.model, tokens, prompt)
        return generated, first - sent, last - sent


def aggregate(server: Server, clients: int, tokens: int) -> float:
    """All clients' tokens over the time from the first request to the last token. Each
    client has its connection pool ready before the requests start, as an application
    that talks to the server would."""
    results: list[tuple[int, float, float, float]] = []
    barrier = threading.Barrier(clients)

    def run(index: int) -> None:
        with new_client(server) as client:
            barrier.wait()
            results.append(stream(client, server.model, tokens, f"{PROMPT} Part {index + 1}."))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = max(r[3] for r in results) - min(r[1] for r in results)
    return sum(r[0] for r in results) / wall


def ttft_samples(server: Server, samples: int, background: int, tokens: int) -> list[float]:
    """TTFT of ``samples`` short requests, each sent while ``background`` others stream."""
    stop = threading.Event()

    def keep_streaming(index: int) -> None:
        while not stop.is_set():
            stream_once(server, tokens, f"{PROMPT} Background {index}.")

    threads = [threading.Thread(target=keep_streaming, args=(i,)) for i in range(background)]
    for thread in threads:
        thread.start()
    if background:
        time.sleep(2.0)  # let the background answers get going
    firsts = []
    for index in range(samples):
        firsts.append(stream_once(server, 8, f"Say hello number {index}.")[1])
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    return firsts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def batched_bench(
    binary: Path,
    model: Path,
    threads: int,
    tokens: int,
    prompt_tokens: int,
    load: LoadParams,
    sequences: tuple[int, ...] = CLIENTS,
) -> dict[int, tuple[float, float, float]]:
    """``{sequences: (S_TG tok/s, S tok/s, generated tok/s)}`` from llama.cpp's
    ``llama-batched-bench``, with Hearth's compute pass, KV format and attention (no
    flash attention). S_TG leaves the prompts out; the third figure counts the generated
    tokens over the prompts' time and theirs, as the clients' aggregate does."""
    kv = kv_cache_type(load, _system_info())
    ubatch = ubatch_size(load)
    command = [
        str(binary), "-m", str(model), "-c", str(max(CLIENTS) * (prompt_tokens + tokens + 16)),
        "-b", "512", "-ub", str(ubatch), "-npp", str(prompt_tokens), "-ntg", str(tokens),
        "-npl", ",".join(map(str, sequences)), "-t", str(threads), "-ctk", kv, "-ctv", kv,
        "-fa", "on" if load.flash_attn else "off",
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rows: dict[int, tuple[float, float]] = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 10 and re.fullmatch(r"\d+", cells[2] or ""):
            # | PP | TG | B | N_KV | T_PP s | S_PP t/s | T_TG s | S_TG t/s | T s | S t/s |
            sequences, generated, seconds = int(cells[2]), int(cells[1]), float(cells[8])
            rows[sequences] = (float(cells[7]), float(cells[9]), sequences * generated / seconds)
    return rows


def _system_info() -> str:
    import llama_cpp

    return llama_cpp.llama_print_system_info().decode("utf-8", "replace")


def prompt_length(path: Path) -> int:
    engine = LlamaEngine(path, LoadParams(n_ctx=256, n_threads=1))
    try:
        from desktop_app.core.engine.base import ChatTurn

        return len(engine.prompt_tokens([ChatTurn("user", f"{PROMPT} Part 1.")]))
    finally:
        engine.close()


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def run_suite(
    path: Path, tokens: int, threads: int, runs: int, batched_bench_path: Path | None
) -> None:
    prompt = prompt_length(path)
    n_ctx = prompt + tokens + 64
    load = LoadParams(n_ctx=n_ctx, n_threads=threads)
    print(f"parallel suite: {path.name}, {tokens} tokens per client, {threads} threads, "
          f"{runs} runs, prompt {prompt} tokens", flush=True)  # fmt: skip

    with one_at_a_time_server(path, load) as sequential:
        single_today = median_of(runs, lambda: aggregate(sequential, 1, tokens))
        idle_today = ttft_samples(sequential, 10, 0, tokens)
    print(f"one-at-a-time server, 1 client: {single_today:.1f} tok/s", flush=True)

    rates: dict[int, list[float]] = {c: [] for c in CLIENTS}
    llama_rates: dict[int, list[tuple[float, float, float]]] = {c: [] for c in CLIENTS}
    with hearth_serve(path, load, max(CLIENTS)) as parallel:
        for _ in range(runs):
            for clients in CLIENTS:  # each count beside llama.cpp's, so noise hits both
                rates[clients].append(aggregate(parallel, clients, tokens))
                print(f"hearth serve, {clients} clients: {rates[clients][-1]:.1f} tok/s "
                      "aggregate", flush=True)  # fmt: skip
                if batched_bench_path is None:
                    continue
                row = batched_bench(
                    batched_bench_path, path, threads, tokens, prompt, load, (clients,)
                )[clients]
                llama_rates[clients].append(row)
                print(f"llama-batched-bench, {clients} sequences: S_TG {row[0]:.1f} tok/s, "
                      f"S {row[1]:.1f} tok/s, generated over all {row[2]:.1f} tok/s",
                      flush=True)  # fmt: skip
        idle = ttft_samples(parallel, 10, 0, tokens)
        busy = ttft_samples(parallel, 10, 3, tokens)
    hearth = {c: statistics.median(v) for c, v in rates.items()}
    llama = {
        c: [statistics.median(r[i] for r in v) for i in range(3)]
        for c, v in llama_rates.items()
        if v
    }

    colds = []
    for _ in range(runs):
        with hearth_serve(path, load, 4, loaded=False) as cold:
            colds.append(stream_once(cold, 8)[1])

    print()
    print("clients  hearth tok/s  x single  llama.cpp S_TG  x single  hearth/llama.cpp"
          "  each run's ratio    ratio, prompts counted on both sides")  # fmt: skip
    for clients in CLIENTS:
        line = f"{clients:>7}  {hearth[clients]:>12.1f}  {hearth[clients] / hearth[1]:>8.2f}"
        if clients in llama:
            s_tg, _, overall = llama[clients]
            runs_ratios = zip(rates[clients], llama_rates[clients], strict=True)
            pairs = " ".join(f"{ours / theirs[0]:.3f}" for ours, theirs in runs_ratios)
            line += (f"  {s_tg:>14.1f}  {s_tg / llama[1][0]:>8.2f}  {hearth[clients] / s_tg:>16.3f}"
                     f"  {pairs:>17}  {hearth[clients] / overall:>8.3f}")  # fmt: skip
        print(line)
    print(f"single client: parallel server {hearth[1]:.1f} tok/s, one-at-a-time server "
          f"{single_today:.1f} tok/s, ratio {hearth[1] / single_today:.3f}")  # fmt: skip
    print(f"TTFT one-at-a-time idle p50 {percentile(idle_today, 0.5) * 1000:.0f} ms; "
          f"parallel idle p50/p90 {percentile(idle, 0.5) * 1000:.0f}/"
          f"{percentile(idle, 0.9) * 1000:.0f} ms; while 3 stream p50/p90 "
          f"{percentile(busy, 0.5) * 1000:.0f}/{percentile(busy, 0.9) * 1000:.0f} ms; "
          f"ratio p50 {percentile(busy, 0.5) / percentile(idle, 0.5):.2f}, "
          f"p90 {percentile(busy, 0.9) / percentile(idle, 0.9):.2f}")  # fmt: skip
    print(f"cold load on demand to first token: median {statistics.median(colds):.2f} s "
          f"({', '.join(f'{c:.2f}' for c in colds)})")  # fmt: skip


if __name__ == "__main__" and sys.argv[1:2] == ["one-at-a-time"]:
    _serve_one_at_a_time(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
