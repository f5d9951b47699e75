"""The embedding engine: a GGUF embedding model loaded by llama.cpp on a thread of its own.

llama.cpp contexts are not thread-safe, so the model is created, used and freed on one
worker thread; ``embed`` may be called from any thread (indexing threads, the API
server, the CLI) and waits for its turn. Vectors come back L2-normalised, so a dot
product is their cosine similarity. A model that declares no pooling of its own (a
decoder used for embeddings) is mean-pooled.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.core.engine import llama_logs
from desktop_app.core.engine.base import EngineError
from desktop_app.core.models.gguf_info import GGUFError, read_gguf_info

DEFAULT_EMBEDDING_CONTEXT = 2048
BATCH_TEXTS = 16
REMEMBERED_VECTORS = 4096
"""Vectors of attached files' passages kept for the next question (about 12 MB at 768
dimensions): a long attached file is ranked again for every question of its chat."""

# Query and document prefixes that some embedding models were trained with.
_PREFIXES: dict[str, tuple[str, str]] = {
    "nomic": ("search_query: ", "search_document: "),
    "e5": ("query: ", "passage: "),
}


@dataclass(frozen=True)
class EmbeddingInfo:
    name: str
    """A stable name for the model; vectors are stored under it."""
    path: str
    architecture: str
    dimensions: int
    context_length: int


class EmbeddingEngine:
    """One embedding model on its own worker thread."""

    def __init__(
        self, path: Path, *, n_ctx: int = DEFAULT_EMBEDDING_CONTEXT, n_threads: int | None = None
    ) -> None:
        try:
            gguf = read_gguf_info(path)
        except (OSError, GGUFError) as exc:
            raise EngineError(f"{path.name} is not a usable GGUF model: {exc}") from exc
        if gguf.context_length:  # an encoder has positions for its trained length only
            n_ctx = min(n_ctx, gguf.context_length)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="HearthEmbedder")
        self._closed = threading.Event()
        self._llm: Any = None
        self._remembered: OrderedDict[str, np.ndarray] = OrderedDict()
        self._remembered_lock = threading.Lock()
        future = self._executor.submit(self._load, path, n_ctx, n_threads)
        try:
            dimensions, context = future.result()
        except BaseException:
            self._executor.shutdown(wait=True)
            raise
        stem = path.name.lower()
        self._prefixes = next((pair for key, pair in _PREFIXES.items() if key in stem), ("", ""))
        self.info = EmbeddingInfo(
            name=path.stem,
            path=str(path),
            architecture=gguf.architecture,
            dimensions=dimensions,
            context_length=context,
        )

    def _load(self, path: Path, n_ctx: int, n_threads: int | None) -> tuple[int, int]:
        import llama_cpp

        threads = n_threads or max(1, min(8, os.cpu_count() or 1))
        llama_logs.install(llama_cpp)
        llama_logs.take_recent_errors()
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path),
                embedding=True,
                n_ctx=n_ctx,
                n_batch=n_ctx,
                n_ubatch=n_ctx,
                # the same count for single texts and batches: on a busy machine, idle
                # extra batch threads spinning in ggml's pool cost more than they bring
                n_threads=threads,
                n_threads_batch=threads,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            reason = next(iter(llama_logs.take_recent_errors()), str(exc))
            raise EngineError(f"llama.cpp could not load {path.name} ({reason})") from exc
        self._pooled = (
            llama_cpp.llama_pooling_type(self._llm.ctx) != llama_cpp.LLAMA_POOLING_TYPE_NONE
        )
        return int(self._llm.n_embd()), int(self._llm.n_ctx())

    def embed_documents(self, texts: Sequence[str], *, remember: bool = False) -> np.ndarray:
        """One row per text; with ``remember``, the vectors are kept (up to
        ``REMEMBERED_VECTORS``, least recently used first out) and not computed again."""
        if not remember:
            return self.embed([self._prefixes[1] + text for text in texts])
        with self._remembered_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._remembered))
        fresh = self.embed([self._prefixes[1] + text for text in missing])
        with self._remembered_lock:
            found = dict(zip(missing, fresh, strict=True))
            for text in texts:
                if text in self._remembered:
                    found[text] = self._remembered[text]
                    self._remembered.move_to_end(text)
            self._remembered.update((text, found[text]) for text in missing)
            while len(self._remembered) > REMEMBERED_VECTORS:
                self._remembered.popitem(last=False)
        if not texts:
            return np.zeros((0, self.info.dimensions), dtype=np.float32)
        return np.vstack([found[text] for text in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([self._prefixes[0] + text])[0]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised float32 row per text (texts longer than the context are cut)."""
        if self._closed.is_set():
            raise EngineError("the embedding model has been closed")
        if not texts:
            return np.zeros((0, self.info.dimensions), dtype=np.float32)
        future: Future[np.ndarray] = self._executor.submit(self._embed, list(texts))
        return future.result()

    def count_tokens(self, text: str) -> int:
        future: Future[int] = self._executor.submit(
            lambda: len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
        )
        return future.result()

    def _embed(self, texts: list[str]) -> np.ndarray:
        rows: list[np.ndarray] = []
        for start in range(0, len(texts), BATCH_TEXTS):
            batch = [text if text.strip() else " " for text in texts[start : start + BATCH_TEXTS]]
            result = self._llm.embed(batch, normalize=False, truncate=True)
            for item in result:
                array = np.asarray(item, dtype=np.float32)
                if not self._pooled or array.ndim == 2:
                    array = array.reshape(-1, self.info_dimensions()).mean(axis=0)
                rows.append(array)
        matrix = np.vstack(rows)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (matrix / norms).astype(np.float32)

    def info_dimensions(self) -> int:
        return int(self._llm.n_embd())

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()

        def free() -> None:
            if self._llm is not None:
                self._llm.close()
                self._llm = None

        self._executor.submit(free).result()
        self._executor.shutdown(wait=True)

    def __enter__(self) -> EmbeddingEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
