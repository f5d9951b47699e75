"""API server throughput: Hearth's engine thread, the same through HTTP, and llama_cpp.server.

Usage: python benchmarks/serve.py --model PATH|tiny|gemma [--tokens 500] [--runs 3]

Four ways to stream the same number of tokens (end-of-turn suppressed) from one prompt,
run in turn so that machine noise hits them alike:

- engine: a job submitted straight to the server's ``EngineThread`` (no HTTP), the ceiling;
- api: the official ``openai`` client streaming from ``hearth serve``'s app (uvicorn, SSE);
- remote: Hearth's own ``RemoteEngine`` streaming from the same app;
- llama_cpp_server: the ``openai`` client streaming from ``python -m llama_cpp.server``
  (its streaming re-decodes the growing answer on every token; runs that have not
  finished after ``--timeout`` seconds are reported as such).

Rates are tokens / wall time from the request to the last token, prompt included. The
last line gives the medians and each path's ratio to ``engine``.

``--parallel-suite`` measures parallel decoding instead (``benchmarks/serve_parallel.py``):
aggregate tok/s with 1, 2, 4 and 8 streaming clients beside ``llama-batched-bench``
(``--batched-bench PATH``), the single client against the one-at-a-time server, time to
first token while 3 others stream, and a cold load on demand.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import openai
import uvicorn

from benchmarks._models import resolve_model
from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams, TextDelta
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from desktop_app.core.engine.remote import RemoteEngine
from desktop_app.server.app import ServerConfig, create_app
from desktop_app.server.engine_thread import EngineThread, Job, JobEvent
from desktop_app.server.listen import bind_socket
from desktop_app.server.models import resolve_model as model_for_server

PROMPT = "Write a long story about a lighthouse keeper."


def engine_run(engine: EngineThread, tokens: int) -> float:
    done = threading.Event()
    counted: list[int] = []

    def sink(event: JobEvent) -> None:
        if isinstance(event, TextDelta):
            counted.append(event.tokens)
        elif isinstance(event, Finished):
            counted.append(event.stats.generated_tokens)
            done.set()

    params = GenerationParams(max_tokens=tokens, ignore_eos=True, seed=1)
    started = time.perf_counter()
    engine.submit(Job(params, sink, turns=[ChatTurn("user", PROMPT)]))
    done.wait()
    return counted[-1] / (time.perf_counter() - started)


def api_run(base_url: str, tokens: int) -> float:
    with openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0) as client:
        started = time.perf_counter()
        stream = client.chat.completions.create(
            model="bench", messages=[{"role": "user", "content": PROMPT}], max_tokens=tokens,
            seed=1, stream=True, stream_options={"include_usage": True},
            extra_body={"ignore_eos": True},
        )  # fmt: skip
        generated = 0
        for chunk in stream:
            if chunk.usage is not None:
                generated = chunk.usage.completion_tokens
        return generated / (time.perf_counter() - started)


def remote_run(remote: RemoteEngine, tokens: int) -> float:
    params = GenerationParams(max_tokens=tokens, seed=1)
    started = time.perf_counter()
    finished = None
    for event in remote.stream_chat([ChatTurn("user", PROMPT)], params):
        if isinstance(event, Finished):
            finished = event
    assert finished is not None and finished.stats.generated_tokens == tokens, finished
    return tokens / (time.perf_counter() - started)


def llama_server_run(base_url: str, tokens: int, bias: dict[str, int], timeout: float) -> float:
    with openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=timeout) as c:
        started = time.perf_counter()
        generated = 0
        try:
            stream = c.chat.completions.create(
                model="bench", messages=[{"role": "user", "content": PROMPT}],
                max_tokens=tokens, seed=1, stream=True, logit_bias=bias,  # type: ignore[arg-type]
            )  # fmt: skip
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content is not None:
                    generated += 1
                if time.perf_counter() - started > timeout:
                    stream.close()
                    return float("nan")
        except openai.APITimeoutError:
            return float("nan")
        return generated / (time.perf_counter() - started)


def start_llama_server(
    model: Path, threads: int, n_ctx: int
) -> tuple[subprocess.Popen[bytes], str]:
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias",
         "bench", "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", str(threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    for _ in range(600):
        try:
            if httpx.get(base + "/models", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    sys.exit("benchmark: llama_cpp.server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--parallel-suite", action="store_true")
    parser.add_argument("--batched-bench", type=Path, metavar="PATH")
    args = parser.parse_args()
    if args.parallel_suite:
        from benchmarks.serve_parallel import run_suite

        run_suite(
            resolve_model(args.model), args.tokens, args.threads, args.runs, args.batched_bench
        )
        return
    path = resolve_model(args.model)
    n_ctx = args.tokens + 256
    load = LoadParams(n_ctx=n_ctx, n_threads=args.threads)
    _, resolved = model_for_server(str(path))
    engine = EngineThread(lambda: LlamaEngine(resolved, load))
    info = engine.start()
    probe = LlamaEngine(resolved, LoadParams(n_ctx=64, n_threads=1))
    ends = {probe.llama.token_eos()}
    for marker in ("<end_of_turn>", "<|im_end|>", "<|endoftext|>", "<eos>"):
        ids = probe.llama.tokenize(marker.encode(), add_bos=False, special=True)
        if len(ids) == 1:
            ends.add(ids[0])
    probe.close()
    bias = {str(token): -100 for token in ends if token >= 0}

    sock = bind_socket("127.0.0.1", 0)
    app = create_app(engine, ServerConfig("bench", resolved))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    remote = RemoteEngine(base, "bench", extra_body={"ignore_eos": True})
    llama_process, llama_base = start_llama_server(resolved, args.threads, n_ctx)

    paths: dict[str, Callable[[], float]] = {
        "engine": lambda: engine_run(engine, args.tokens),
        "api": lambda: api_run(base, args.tokens),
        "remote": lambda: remote_run(remote, args.tokens),
        "llama_cpp_server": lambda: llama_server_run(llama_base, args.tokens, bias, args.timeout),
    }
    rates: dict[str, list[float]] = {name: [] for name in paths}
    print(f"model {info.name}, {args.tokens} tokens, {args.threads} threads, {args.runs} runs")
    try:
        for run in range(args.runs):
            for name, measure in paths.items():
                rate = measure()
                rates[name].append(rate)
                print(f"run {run + 1} {name:>16}: {rate:8.1f} tok/s", flush=True)
    finally:
        llama_process.kill()
        remote.close()
        server.should_exit = True
        engine.stop()
    medians = {name: statistics.median(values) for name, values in rates.items()}
    base_rate = medians["engine"]
    print(
        " ".join(f"{name}_tok_s={rate:.1f}" for name, rate in medians.items())
        + " "
        + " ".join(
            f"{name}_ratio={rate / base_rate:.3f}"
            for name, rate in medians.items()
            if name != "engine"
        )
    )


if __name__ == "__main__":
    main()
