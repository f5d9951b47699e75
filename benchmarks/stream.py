"""Streaming throughput: raw llama.cpp, llama-cpp-python's chat streaming, and Hearth.

Usage: python benchmarks/stream.py --model PATH|tiny|gemma [--tokens 1000] [--runs 7]

Three ways to produce the same number of greedy tokens from the same prompt, run in
turn (raw, chat completion, Hearth; then again) so that machine noise hits them alike:

- raw: ``Llama.generate`` in a bare loop, the ceiling;
- ccc: ``create_chat_completion(stream=True)``, the library's own streaming path. Its
  rate counts tokens, not chunks (a chunk may carry several tokens, or none while a
  multi-byte character or a possible stop string is held back): streaming chunks carry
  no usage, so the count is the context's token count after the answer less the
  prompt's (measured once, without streaming), plus the last token, which
  ``Llama.generate`` yields without evaluating, when it stops at ``max_tokens``; it
  may stop earlier at an end-of-turn token;
- app: Hearth's whole pipeline: ``EngineBridge.send`` → the engine on its worker
  thread (saving the answer to SQLite as it grows) → its stream outbox, collected by
  the GUI thread once per frame → the chat view's ``ChatListModel``, offscreen, timed
  until the model holds the whole answer (the answer's final disk sync follows it).

Hearth's engine drives llama.cpp one level below ``Llama.generate`` (same sampler
chain, same tokens, less Python per token), so the app can outrun raw on a model as
fast as the tiny one: raw is the library's own loop, as the issue defines it.

Each rate is tokens / wall time from the request to the last token, prompt included;
every run starts from an empty KV cache, so each path pays the same prefill. The last
line is ``raw_tok_s=… app_tok_s=… ratio=…`` with medians and ratio = app / raw.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from benchmarks._models import resolve_model
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams, LoadProgress
from desktop_app.ui.chat.model import ChatListModel
from desktop_app.ui.engine.worker import EngineBridge

PROMPT = "Write a long, detailed story about a lighthouse keeper and a storm."
LIBRARY_FORMATS = {"gemma": "gemma", "chatml": "chatml", "llama3": "llama-3",
                   "mistral": "mistral-instruct"}  # fmt: skip
"""llama-cpp-python's names for Hearth's fallback formats, for models without a template."""


def wait_for(signal: object, timeout_s: float) -> list[object]:
    """Spin a local event loop until ``signal`` fires; return its arguments."""
    loop = QEventLoop()
    received: list[object] = []

    def done(*args: object) -> None:
        received.extend(args)
        loop.quit()

    signal.connect(done)  # type: ignore[attr-defined]
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(done)  # type: ignore[attr-defined]
    if not received:
        sys.exit(f"benchmark: no answer within {timeout_s:.0f} s")
    return received


class EngineThreadJobs(QObject):
    """Runs callables on the engine's thread: llama.cpp (and its OpenMP team) must
    only ever be driven from one thread, or the teams fight over the cores."""

    submitted = Signal(object)

    @Slot(object)
    def run(self, job: Callable[[], object]) -> None:
        job()


class Runner:
    def __init__(self, model: Path, load: LoadParams, tokens: int) -> None:
        self.tokens = tokens
        self.params = GenerationParams(max_tokens=tokens, temperature=0.0, seed=0, ignore_eos=True)
        home = Path(tempfile.mkdtemp(prefix="hearth-bench-home-"))
        self.store = Store.open(home / "hearth.sqlite3")
        self.chat_model = ChatListModel()
        self.engines: list[tuple[LlamaEngine, QThread]] = []
        self.ccc_prompt_tokens: int | None = None
        self.bridge = EngineBridge(self.store, engine_factory=self._make_engine)
        self.bridge.text_received.connect(self.chat_model.append_text)
        self.signals = 0
        self.text_complete_at = 0.0
        self.bridge.text_received.connect(self._count_signal)
        self.bridge.load_model(str(model), load)
        loaded = wait_for(self.bridge.model_loaded, 600)
        self.model_name = loaded[0].name  # type: ignore[attr-defined]
        self.engine, engine_thread = self.engines[-1]
        self.jobs = EngineThreadJobs()
        self.jobs.moveToThread(engine_thread)
        self.jobs.submitted.connect(self.jobs.run, Qt.ConnectionType.QueuedConnection)
        self.prompt: list[int] = self._on_engine_thread(
            lambda: self.engine.prompt_tokens([ChatTurn("user", PROMPT)])
        )

    def _make_engine(
        self, path: Path, load: LoadParams, progress: LoadProgress | None = None
    ) -> LlamaEngine:
        engine = LlamaEngine(path, load, progress)
        self.engines.append((engine, QThread.currentThread()))
        return engine

    def _on_engine_thread(self, job: Callable[[], Any]) -> Any:
        """Run ``job`` on the engine thread and wait for it, the GUI thread idle meanwhile."""
        result: list[Any] = []
        finished = threading.Event()

        def wrapped() -> None:
            try:
                result.append(job())
            finally:
                finished.set()

        self.jobs.submitted.emit(wrapped)
        finished.wait()
        return result[0]

    def _count_signal(self, _: str) -> None:
        """Runs after the chat model has appended the text (connected after it)."""
        self.signals += 1
        self.text_complete_at = time.perf_counter()

    def _forget_cache(self) -> None:
        """Every path starts from an empty KV cache, so each pays the same prefill."""
        self.engine.llama.reset()

    def raw(self) -> float:
        return self._on_engine_thread(self._raw)

    def _raw(self) -> float:
        self._forget_cache()
        llm = self.engine.llama
        p = self.params
        started = time.perf_counter()
        count = 0
        for _ in llm.generate(
            self.prompt, top_k=p.top_k, top_p=p.top_p, min_p=p.min_p,
            temp=p.temperature, repeat_penalty=p.repeat_penalty,
        ):  # fmt: skip
            count += 1
            if count >= self.tokens:
                break
        return count / (time.perf_counter() - started)

    def chat_completion(self) -> tuple[float, int, int]:
        return self._on_engine_thread(self._chat_completion)

    def _chat_completion(self) -> tuple[float, int, int]:
        """Tokens/s, tokens and non-empty chunks of one streamed chat completion."""
        llm = self._library_chat_format()
        if self.ccc_prompt_tokens is None:
            self.ccc_prompt_tokens = self._ccc_prompt_tokens()
        self._forget_cache()
        p = self.params
        started = time.perf_counter()
        chunks = 0
        finish = None
        stream = llm.create_chat_completion(
            messages=[{"role": "user", "content": PROMPT}], max_tokens=self.tokens,
            temperature=p.temperature, top_k=p.top_k, top_p=p.top_p, min_p=p.min_p,
            repeat_penalty=p.repeat_penalty, stream=True,
        )  # fmt: skip
        for chunk in stream:
            choice = chunk["choices"][0]
            if choice["delta"].get("content"):
                chunks += 1
            finish = choice.get("finish_reason") or finish
        elapsed = time.perf_counter() - started
        tokens = llm.n_tokens - self.ccc_prompt_tokens + (1 if finish == "length" else 0)
        return tokens / elapsed, tokens, chunks

    def _library_chat_format(self) -> Any:
        llm = self.engine.llama
        fmt = self.engine.prompt_format
        if not fmt.from_model and fmt.name in LIBRARY_FORMATS:
            llm.chat_format = LIBRARY_FORMATS[fmt.name]  # its default would be llama-2
        return llm

    def _ccc_prompt_tokens(self) -> int:
        """The prompt's length as the library formats it (its usage, without streaming)."""
        self._forget_cache()
        answer = self.engine.llama.create_chat_completion(
            messages=[{"role": "user", "content": PROMPT}], max_tokens=1, temperature=0.0
        )
        return int(answer["usage"]["prompt_tokens"])

    def app(self) -> tuple[float, float | None, int]:
        conversation = self.store.create_conversation()
        self.chat_model.clear()
        self.chat_model.add_user_message(PROMPT)
        self.chat_model.begin_answer(self.model_name)
        self.signals = 0
        self._on_engine_thread(self._forget_cache)
        started = time.perf_counter()
        self.bridge.send(conversation.id, PROMPT, self.params)
        [finished] = wait_for(self.bridge.turn_finished, 600)
        elapsed = self.text_complete_at - started
        assert isinstance(finished, Finished)
        self.chat_model.finish_answer(finished)
        generated = finished.stats.generated_tokens
        if generated != self.tokens or not self.chat_model.rows()[-1].text:
            sys.exit(f"benchmark: the app produced {generated} tokens ({finished.reason})")
        return generated / elapsed, finished.stats.time_to_first_token_s, self.signals

    def close(self) -> None:
        self.bridge.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a .gguf path, 'tiny' or 'gemma'")
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-ccc", action="store_true", help="skip create_chat_completion")
    args = parser.parse_args()

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    model = resolve_model(args.model)
    load = LoadParams(n_ctx=max(2048, args.tokens + 256), n_threads=args.threads)
    runner = Runner(model, load, args.tokens)
    print(
        f"model: {runner.model_name} ({model.name}), {args.tokens} tokens, {args.runs} runs, "
        f"{args.threads} threads, prompt {len(runner.prompt)} tokens, all on the engine thread"
    )

    runner.raw()  # warm-up: page in the weights and fill each path's KV cache
    runner.app()
    if not args.skip_ccc:
        runner.chat_completion()
    raw: list[float] = []
    app: list[float] = []
    ccc: list[float] = []
    for run in range(1, args.runs + 1):
        raw.append(runner.raw())
        line = f"run {run}: raw {raw[-1]:9.1f} tok/s"
        if not args.skip_ccc:
            rate, tokens, chunks = runner.chat_completion()
            ccc.append(rate)
            line += f"  ccc {rate:9.1f} tok/s ({tokens} tokens in {chunks} chunks)"
        rate, ttft, signals = runner.app()
        app.append(rate)
        ttft_ms = f"{ttft * 1000:.1f} ms" if ttft is not None else "n/a"
        line += f"  app {rate:9.1f} tok/s (first token {ttft_ms}, {signals} GUI signals)"
        print(line, flush=True)
    runner.close()

    raw_median, app_median = statistics.median(raw), statistics.median(app)
    paired = statistics.median(a / r for a, r in zip(app, raw, strict=True))
    print(f"median of per-run app/raw ratios: {paired:.3f} (less sensitive to drift)")
    if ccc:
        ccc_median = statistics.median(ccc)
        print(f"ccc_tok_s={ccc_median:.1f} ccc_ratio={ccc_median / raw_median:.3f}")
    print(f"raw_tok_s={raw_median:.1f} app_tok_s={app_median:.1f} "
          f"ratio={app_median / raw_median:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
