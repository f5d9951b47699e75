"""Nearest chunks by vector: brute force with NumPy over a matrix cached in memory.

Chosen over the sqlite-vec extension by measurement (``benchmarks/docs.py``, both in
one run, 100,000 vectors of 768 dimensions (nomic-embed's size), top 50, 200 queries,
on this 2-core machine shared with other jobs, load average about 22):

    NumPy (matrix @ query, argpartition)       p50 100 ms, p90 128 ms
    sqlite-vec 0.1.9 vec0 KNN (through apsw)   p50 580 ms, p90 617 ms

An earlier run at a lighter load gave 55 ms against 323 ms: NumPy about six times
faster either way. NumPy also needs no native extension: the Python that Hearth's
development environment uses has no ``sqlite3.enable_load_extension`` (nor does
macOS's), so sqlite-vec could only be loaded through another SQLite binding. Vectors
stay plain float32 BLOBs in the index, readable by any SQLite.

The matrix is read from the database once (2.4 s for 100,000 x 768 under that load)
and kept until the index changes (``DocumentIndex.version``: a write here or by another
process).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from desktop_app.core.documents.index import DocumentIndex

_blas: Any = None


def _one_blas_thread() -> Any:
    """A context in which BLAS (OpenBLAS under NumPy) runs on the calling thread only.

    A matrix-vector product is bound by memory, not arithmetic; BLAS's worker threads
    add little to it and, on a machine whose cores are busy (llama.cpp generating,
    indexing), cost far more waiting for each other: measured on this 2-core machine
    under load, 100,000 x 32 took 24 ms threaded and 1.0 ms on one thread (100,000 x
    768: 60 ms and 59 ms). ``threadpoolctl`` sets the limit and puts it back.
    """
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


class VectorSearch:
    """Cosine-similarity search over one model's vectors in some collections."""

    def __init__(self, index: DocumentIndex) -> None:
        self._index = index
        self._lock = threading.Lock()
        self._key: tuple[object, ...] | None = None
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def _load(self, model: str, collection_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        key = (model, tuple(sorted(collection_ids)), self._index.version())
        with self._lock:
            if key != self._key:
                self._ids, self._matrix = self._index.vectors(model, collection_ids)
                self._key = key
            return self._ids, self._matrix

    def search(
        self, model: str, query: np.ndarray, collection_ids: Sequence[int], limit: int
    ) -> list[tuple[int, float]]:
        """(chunk id, cosine similarity), best first."""
        ids, matrix = self._load(model, collection_ids)
        if not len(ids) or matrix.shape[1] != query.shape[0]:
            return []
        with _one_blas_thread():
            scores = matrix @ query.astype(np.float32)
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]
