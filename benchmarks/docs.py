"""Documents: indexing throughput, re-indexing, query latency, vector search, recall.

Usage: python benchmarks/docs.py [--files 1000] [--embed-files 100] [--unchanged 10000]
                                 [--chunks 100000] [--queries 200] [--vectors-dim 768]

1. Indexing throughput on a generated corpus (English-like and Chinese text files, words
   drawn with Zipf's law from 20,000 words and 200 characters, like real text): MB of
   text per second and chunks per second, BM25 only and with the tiny test embedder.
2. Re-indexing an unchanged collection of ``--unchanged`` files (goal: <= 2 s).
3. Query latency p50/p90 over ``--chunks`` chunks: BM25 alone (goal <= 20 ms) and
   hybrid, the tiny embedder embedding each query (goal <= 50 ms).
4. Vector search alone over the same number of vectors of ``--vectors-dim`` dimensions:
   NumPy (what Hearth uses) against the sqlite-vec extension when it is installed.
5. Recall@5 with BM25 alone on benchmarks/docs_eval.py (English + Chinese).

Figures only; nothing here fails a build.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from benchmarks.docs_eval import DISTRACTORS, EVAL_SET
from desktop_app.core.documents.chunking import Chunk
from desktop_app.core.documents.embedder import EmbeddingEngine
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.indexer import Indexer
from desktop_app.core.documents.retrieval import Retriever
from desktop_app.core.documents.vectors import VectorSearch
from tests.tiny_embedder import write_tiny_embedder


def _words(*lines: str) -> list[str]:
    """The words of some lines of text (long word lists, written compactly)."""
    return " ".join(lines).split()


WORDS = _words(
    "system model answer question document river mountain energy market policy garden window "
    "engine memory network history science music travel weather report project budget customer "
    "service library teacher student kitchen recipe planet ocean forest city village bridge "
    "language computer software hardware battery signal camera "
)
HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理府研质"
)


class _Vocabulary:
    """Words drawn with Zipf's law (the n-th most common word n times rarer than the
    first), as in real text: a query then mixes common and rare words, as real ones do."""

    def __init__(self, rng: random.Random, size: int = 20000) -> None:
        syllables = [c + v for c in "bcdfghklmnprstvwz" for v in "aeiou"]
        words = list(WORDS)
        seen = set(words)
        while len(words) < size:
            word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.weights = list(accumulate(1.0 / rank for rank in range(1, size + 1)))
        self.hanzi = list(HANZI)
        self.hanzi_weights = list(accumulate(1.0 / r for r in range(1, len(self.hanzi) + 1)))

    def english(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.weights, k=count)

    def chinese(self, rng: random.Random, count: int) -> str:
        return "".join(rng.choices(self.hanzi, cum_weights=self.hanzi_weights, k=count))


_VOCABULARY = _Vocabulary(random.Random(0))


def _english(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = rng.randint(6, 16)
        sentences.append(" ".join(_VOCABULARY.english(rng, length)).capitalize() + ".")
        words -= length
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs)


def _chinese(rng: random.Random, chars: int) -> str:
    out = []
    while chars > 0:
        length = rng.randint(10, 30)
        out.append(_VOCABULARY.chinese(rng, length) + "。")
        chars -= length
    return "".join(out)


def _corpus(folder: Path, files: int, rng: random.Random) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(files):
        if number % 4 == 3:
            text = _chinese(rng, 1500)
            path = folder / f"doc{number:05d}.txt"
        else:
            text = f"# Report {number}\n\n" + _english(rng, 1200)
            path = folder / f"doc{number:05d}.md"
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] * 1000,
    )


def bench_throughput(root: Path, files: int, embed_files: int, embedder: EmbeddingEngine) -> None:
    runs = (("BM25 only", None, files), ("with tiny embedder", embedder, embed_files))
    for label, engine, count in runs:
        folder = root / f"corpus-{count}"
        if not folder.exists():
            _corpus(folder, count, random.Random(1))

        size = sum(path.stat().st_size for path in folder.iterdir())
        index = DocumentIndex.open(root / f"throughput-{engine is not None}.sqlite3")
        collection = index.add_collection("c", folder)
        started = time.perf_counter()
        report = Indexer(index, engine).run(collection)
        elapsed = time.perf_counter() - started
        chunks = index.status(index.collection("c"), None).chunks
        print(
            f"indexing {label}: {count} files, {size / 1e6:.1f} MB, {chunks} chunks in "
            f"{elapsed:.2f} s: {size / 1e6 / elapsed:.2f} MB/s, {chunks / elapsed:.0f} chunks/s"
            + (f" ({report.embedded} embedded)" if report.embedded else "")
        )
        index.close()


def bench_unchanged(root: Path, files: int) -> None:
    folder = root / "many"
    folder.mkdir()
    for number in range(files):
        sub = folder / f"d{number // 500:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"note{number:05d}.txt").write_text(
            f"Note {number}: remember item {number * 7 % 1000}.", encoding="utf-8"
        )
    index = DocumentIndex.open(root / "unchanged.sqlite3")
    collection = index.add_collection("many", folder)
    started = time.perf_counter()
    Indexer(index).run(collection)
    first = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        report = Indexer(index).run(index.collection("many"))
        runs.append(time.perf_counter() - started)
        assert report.unchanged == files, report
    print(
        f"re-index unchanged {files} files: median {statistics.median(runs):.2f} s "
        f"(goal <= 2 s; first indexing {first:.1f} s)"
    )
    index.close()


def _fill(index: DocumentIndex, chunks: int, rng: random.Random) -> int:
    collection = index.add_collection("big", Path(tempfile.gettempdir()))
    per_file = 50
    for number in range(chunks // per_file):
        items = []
        for ordinal in range(per_file):
            text = _chinese(rng, 120) if ordinal % 4 == 3 else _english(rng, 60)
            items.append(Chunk(ordinal, text, None, None, 60))
        index.replace_file(collection.id, f"f{number}.txt", 1, 1, f"{number}", items)
    return collection.id


def bench_queries(root: Path, chunks: int, queries: int, embedder: EmbeddingEngine) -> None:
    rng = random.Random(2)
    index = DocumentIndex.open(root / "big.sqlite3")
    started = time.perf_counter()
    collection_id = _fill(index, chunks, rng)
    print(f"built {chunks} chunks in {time.perf_counter() - started:.1f} s")
    ids = [row[0] for row in index._rows("SELECT id FROM chunks")]
    matrix = rng_vectors(len(ids), embedder.info.dimensions)
    index.store_vectors(embedder.info.name, ids, matrix)
    collection = next(c for c in index.collections() if c.id == collection_id)
    questions = [
        " ".join(_VOCABULARY.english(rng, rng.randint(3, 7))) + "?"
        if n % 4
        else _VOCABULARY.chinese(rng, rng.randint(4, 8))
        for n in range(queries)
    ]
    for label, engine in (("BM25", None), ("hybrid", embedder)):
        retriever = Retriever(index, engine)
        retriever.search(questions[0], [collection])  # load the vector matrix once
        samples = []
        for question in questions:
            started = time.perf_counter()
            retriever.search(question, [collection], k=5)
            samples.append(time.perf_counter() - started)
        p50, p90 = _percentiles(samples)
        goal = 20 if engine is None else 50
        print(
            f"query {label} over {chunks} chunks: p50 {p50:.1f} ms, p90 {p90:.1f} ms "
            f"(goal <= {goal} ms)"
        )
    index.close()


def rng_vectors(rows: int, dim: int) -> np.ndarray:
    matrix = np.random.default_rng(3).standard_normal((rows, dim)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def bench_vectors(root: Path, rows: int, dim: int, queries: int) -> None:
    index = DocumentIndex.open(root / "vectors.sqlite3")
    collection = index.add_collection("v", Path(tempfile.gettempdir()))
    matrix = rng_vectors(rows, dim)
    per_file = 1000
    for number in range(rows // per_file):
        items = [Chunk(i, "x", None, None, 1) for i in range(per_file)]
        block = matrix[number * per_file : (number + 1) * per_file]
        index.replace_file(collection.id, f"f{number}", 1, 1, "h", items, vectors=("m", block))
    probes = rng_vectors(queries, dim)
    search = VectorSearch(index)
    started = time.perf_counter()
    search.search("m", probes[0], [collection.id], 50)
    load = time.perf_counter() - started
    samples = []
    for probe in probes:
        started = time.perf_counter()
        search.search("m", probe, [collection.id], 50)
        samples.append(time.perf_counter() - started)
    p50, p90 = _percentiles(samples)
    print(
        f"vectors NumPy, {rows} x {dim}, top 50: p50 {p50:.1f} ms, p90 {p90:.1f} ms "
        f"(first query loads the matrix: {load * 1000:.0f} ms)"
    )
    index.close()
    try:
        import sqlite_vec
    except ImportError:
        print("vectors sqlite-vec: not installed (pip install sqlite-vec to compare)")
        return
    db, via = _extension_connection(root / "vec.sqlite3")
    if db is None:
        print(
            "vectors sqlite-vec: this Python's sqlite3 cannot load extensions, and apsw "
            "(which can) is not installed"
        )
        return
    sqlite_vec.load(db)
    db.execute(
        f"CREATE VIRTUAL TABLE vec USING vec0(embedding float[{dim}] distance_metric=cosine)"
    )
    db.execute("BEGIN")
    for i in range(rows):
        db.execute("INSERT INTO vec (rowid, embedding) VALUES (?, ?)", (i + 1, matrix[i].tobytes()))
    db.execute("COMMIT")
    samples = []
    for probe in probes:
        started = time.perf_counter()
        list(
            db.execute(
                "SELECT rowid, distance FROM vec WHERE embedding MATCH ? AND k = 50",
                (probe.tobytes(),),
            )
        )
        samples.append(time.perf_counter() - started)
    p50, p90 = _percentiles(samples)
    print(
        f"vectors sqlite-vec {sqlite_vec.__version__} (through {via}), {rows} x {dim}, top 50: "
        f"p50 {p50:.1f} ms, p90 {p90:.1f} ms"
    )
    db.close()


def _extension_connection(path: Path) -> tuple[Any, str]:
    """A connection that can load sqlite-vec: the standard sqlite3 module when this
    Python's build allows extensions, else apsw (its own SQLite), else None."""
    db = sqlite3.connect(path, isolation_level=None)
    if hasattr(db, "enable_load_extension"):
        db.enable_load_extension(True)
        return db, "sqlite3"
    db.close()
    try:
        import apsw
    except ImportError:
        return None, ""
    connection = apsw.Connection(str(path))
    connection.enable_load_extension(True)
    return connection, f"apsw {apsw.apswversion()}"


def bench_recall(root: Path) -> None:
    folder = root / "eval"
    folder.mkdir()
    for name, passage, _ in EVAL_SET:
        (folder / name).write_text(passage, encoding="utf-8")
    for number, text in enumerate(DISTRACTORS):
        (folder / f"other{number}.txt").write_text(text, encoding="utf-8")
    index = DocumentIndex.open(root / "eval.sqlite3")
    collection = index.add_collection("eval", folder)
    Indexer(index).run(collection)
    retriever = Retriever(index)
    hits = {"en": [0, 0], "zh": [0, 0]}
    missed = []
    for name, _, question in EVAL_SET:
        language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in question) else "en"
        found = [p.chunk.path for p in retriever.search(question, [collection], k=5).passages]
        hits[language][1] += 1
        if name in found:
            hits[language][0] += 1
        else:
            missed.append(question)
    total = sum(h[0] for h in hits.values()), sum(h[1] for h in hits.values())
    print(
        f"recall@5 BM25: English {hits['en'][0]}/{hits['en'][1]}, "
        f"Chinese {hits['zh'][0]}/{hits['zh'][1]}, all {total[0] / total[1]:.2f}"
        + (f"; missed: {missed}" if missed else "")
    )
    wall = retriever.search("长城", [collection], k=1).passages
    print(f"keyword 长城 -> {wall[0].chunk.path if wall else 'nothing'}")
    index.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument(
        "--embed-files", type=int, default=100, help="files for the run with the embedder"
    )
    parser.add_argument("--unchanged", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=1, help="embedder threads (default 1)")
    parser.add_argument("--chunks", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--vectors-dim", type=int, default=768)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        model = write_tiny_embedder(root / "tiny-embed.gguf")
        with EmbeddingEngine(model, n_ctx=512, n_threads=args.threads) as embedder:
            bench_throughput(root, args.files, args.embed_files, embedder)
            bench_unchanged(root, args.unchanged)
            bench_queries(root, args.chunks, args.queries, embedder)
        bench_vectors(root, args.chunks, args.vectors_dim, args.queries)
        bench_recall(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
