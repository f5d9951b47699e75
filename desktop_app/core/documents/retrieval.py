"""Hybrid retrieval: BM25 and dense vectors, fused by reciprocal rank.

Reciprocal rank fusion (Cormack et al., 2009) adds ``1 / (k + rank)`` from each list a
chunk appears in: it needs no score calibration between BM25 and cosine similarity,
and a chunk that both find comes first. Without an embedding model the BM25 list is
the answer, and ``Retrieval.mode`` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.core.documents.index import Collection, DocumentIndex, StoredChunk

if TYPE_CHECKING:
    from desktop_app.core.documents.embedder import EmbeddingEngine
    from desktop_app.core.documents.vectors import VectorSearch

NO_EMBEDDER_NOTE = "no embedding model: keyword search (BM25) only"
RRF_K = 60
CANDIDATES = 50


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk and how it was found."""

    chunk: StoredChunk
    score: float
    bm25_rank: int | None
    dense_rank: int | None


@dataclass(frozen=True)
class Retrieval:
    passages: tuple[Passage, ...]
    mode: str
    """"hybrid" (BM25 + vectors) or "bm25" (no embedding model, or no vectors yet)."""
    note: str = ""


def fuse(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of ranked id lists: (id, fused score), best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


class Retriever:
    """Searches collections of a ``DocumentIndex``, with an embedder when there is one."""

    def __init__(self, index: DocumentIndex, embedder: EmbeddingEngine | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self._vectors: VectorSearch | None = None

    def search(self, query: str, collections: Sequence[Collection], k: int = 5) -> Retrieval:
        ids = [collection.id for collection in collections]
        lexical = [chunk_id for chunk_id, _ in self.index.bm25(query, ids, CANDIDATES)]
        dense: list[int] = []
        mode, note = "bm25", ""
        if self.embedder is None:
            note = NO_EMBEDDER_NOTE
        else:
            if self._vectors is None:  # numpy loads with the first vector search
                from desktop_app.core.documents.vectors import VectorSearch

                self._vectors = VectorSearch(self.index)
            vector = self.embedder.embed_query(query)
            dense = [
                chunk_id
                for chunk_id, _ in self._vectors.search(
                    self.embedder.info.name, vector, ids, CANDIDATES
                )
            ]
            if dense:
                mode = "hybrid"
            else:
                note = "no vectors yet for these collections: keyword search (BM25) only"
        fused = fuse([lexical, dense] if dense else [lexical])[:k]
        chunks = self.index.chunks([chunk_id for chunk_id, _ in fused])
        lexical_rank = {chunk_id: rank for rank, chunk_id in enumerate(lexical, start=1)}
        dense_rank = {chunk_id: rank for rank, chunk_id in enumerate(dense, start=1)}
        passages = tuple(
            Passage(chunks[chunk_id], score, lexical_rank.get(chunk_id), dense_rank.get(chunk_id))
            for chunk_id, score in fused
            if chunk_id in chunks
        )
        return Retrieval(passages, mode, note)
