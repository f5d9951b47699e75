"""The document index: incremental indexing, BM25 with CJK, bad inputs, pause/resume."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop_app.core.documents import indexer as indexer_module
from desktop_app.core.documents.index import DocumentIndex, DocumentIndexError
from desktop_app.core.documents.indexer import Indexer, collections_to_resume
from desktop_app.core.documents.retrieval import Retriever, fuse

GREAT_WALL = (
    "长城是中国古代的军事防御工程。它东起山海关，西至嘉峪关，绵延两万多公里。修建长城用了两千多年。"
)


@pytest.fixture
def index(tmp_path: Path) -> DocumentIndex:
    opened = DocumentIndex.open(tmp_path / "data" / "documents.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "wall.txt").write_text(GREAT_WALL, encoding="utf-8")
    (root / "fruit.md").write_text(
        "# Apples\n\nApples grow on trees in orchards.\n\n# Bananas\n\nBananas are yellow.\n",
        encoding="utf-8",
    )
    (root / "sub" / "code.py").write_text("def gravity():\n    return 9.81\n", encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG not indexed")
    return root


def _consistent(index: DocumentIndex) -> None:
    rows = index._rows("PRAGMA integrity_check")
    assert rows == [("ok",)]
    chunks = index._rows("SELECT COUNT(*) FROM chunks")[0][0]
    searchable = index._rows("SELECT COUNT(*) FROM chunk_search")[0][0]
    assert chunks == searchable
    assert index._rows("PRAGMA foreign_key_check") == []


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file the indexer opens."""
    opened: list[str] = []
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        opened.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return opened


def test_index_and_search_english_and_chinese(index: DocumentIndex, folder: Path) -> None:
    collection = index.add_collection("Notes", folder)
    report = Indexer(index).run(collection)
    assert report.indexed == 3 and not report.errors
    retriever = Retriever(index)
    found = retriever.search("Where do apples grow?", [collection], k=3)
    assert found.mode == "bm25" and "BM25" in found.note
    top = found.passages[0].chunk
    assert top.path == "fruit.md" and top.heading == "Apples"
    wall = retriever.search("长城有多长", [collection], k=3).passages[0].chunk
    assert wall.path == "wall.txt"
    # a word inside a Chinese sentence, found by keyword
    assert retriever.search("嘉峪关", [collection]).passages[0].chunk.path == "wall.txt"
    # the stemmer: "orchard" finds "orchards"
    assert retriever.search("orchard", [collection]).passages[0].chunk.path == "fruit.md"
    status = index.status(index.collection("Notes"), None)
    assert (status.files, status.indexed, status.collection.state) == (3, 3, "ready")
    _consistent(index)


def test_unchanged_files_are_never_read_again(
    index: DocumentIndex, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = index.add_collection("Notes", folder)
    Indexer(index).run(collection)
    opened = _reads(monkeypatch)
    report = Indexer(index).run(collection)
    assert opened == []
    assert (report.unchanged, report.indexed) == (3, 0)


def test_changed_file_reindexed_same_content_only_touched_deleted_dropped(
    index: DocumentIndex, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = index.add_collection("Notes", folder)
    Indexer(index).run(collection)
    (folder / "fruit.md").write_text("# Cherries\n\nCherries are red.\n", encoding="utf-8")
    wall = folder / "wall.txt"
    stat = wall.stat()
    os.utime(wall, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # same content
    (folder / "sub" / "code.py").unlink()
    extracted: list[str] = []
    original = indexer_module.extract

    def spy(path: Path, data: bytes | None = None):
        extracted.append(path.name)
        return original(path, data)

    monkeypatch.setattr(indexer_module, "extract", spy)
    report = Indexer(index).run(collection)
    assert extracted == ["fruit.md"]
    assert (report.indexed, report.unchanged, report.dropped) == (1, 1, 1)
    retriever = Retriever(index)
    assert retriever.search("apples", [collection]).passages == ()
    assert retriever.search("cherries", [collection]).passages[0].chunk.path == "fruit.md"
    assert retriever.search("gravity", [collection]).passages == ()
    # the touched file was hashed once; now its new time is known, so it is not read again
    opened = _reads(monkeypatch)
    Indexer(index).run(collection)
    assert opened == []
    _consistent(index)


def test_bad_inputs_each_get_a_message_and_indexing_goes_on(
    index: DocumentIndex, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fpdf import FPDF

    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    with open(folder / "huge.txt", "wb") as handle:  # sparse: 2 GB, no disk used
        handle.truncate(2 * 1024**3)
    (folder / "locked.txt").write_text("secret", encoding="utf-8")
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink("..", folder / "sub" / "up")
    scan = FPDF()
    scan.add_page()
    scan.output(str(folder / "scan.pdf"))
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    collection = index.add_collection("Notes", folder)
    report = Indexer(index).run(collection)
    errors = report.errors
    assert "binary data, not text" in errors["binary.txt"]
    assert "too large to index (2.0 GB" in errors["huge.txt"]
    assert "permission denied" in errors["locked.txt"]
    assert "symlink loop" in errors["loop-a.txt"]
    assert "symlink loop" in errors["sub/up"]
    assert "no text layer" in errors["scan.pdf"] and "OCR is not supported" in errors["scan.pdf"]
    assert report.indexed == 3
    status = index.status(index.collection("Notes"), None)
    assert {record.path for record in status.failed} == set(errors)
    assert status.collection.state == "ready"
    _consistent(index)


def test_file_deleted_or_rewritten_while_indexed(index: DocumentIndex, folder: Path) -> None:
    collection = index.add_collection("Notes", folder)

    def meddle(progress: indexer_module.Progress) -> None:
        if progress.path == "fruit.md":  # scanned before the others; stat already taken
            (folder / "wall.txt").unlink()
            (folder / "sub" / "code.py").write_text("x = 1\n" * 100, encoding="utf-8")

    report = Indexer(index).run(collection, progress=meddle)
    assert "disappeared while it was being indexed" in report.errors["wall.txt"]
    assert "changed while it was being indexed" in report.errors["sub/code.py"]
    # next pass: the rewritten file is read again, the deleted one dropped
    again = Indexer(index).run(collection)
    assert again.errors == {} and again.indexed == 1 and again.dropped == 1
    _consistent(index)


def test_missing_folder_keeps_the_index(index: DocumentIndex, folder: Path) -> None:
    collection = index.add_collection("Notes", folder)
    Indexer(index).run(collection)
    folder.rename(folder.with_name("elsewhere"))
    report = Indexer(index).run(collection)
    assert "is not there (a removed drive?)" in (report.folder_error or "")
    status = index.status(index.collection("Notes"), None)
    assert status.collection.state == "error" and status.indexed == 3
    assert Retriever(index).search("bananas", [collection]).passages


def test_pause_and_resume_after_restart(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "documents.sqlite3"
    index = DocumentIndex.open(path)
    collection = index.add_collection("Notes", folder)
    seen: list[str] = []

    def progress(update: indexer_module.Progress) -> None:
        seen.append(update.path)

    report = Indexer(index).run(collection, progress=progress, stop=lambda: len(seen) >= 1)
    assert report.paused and report.indexed == 1
    assert index.collection("Notes").state == "paused"
    index.close()

    reopened = DocumentIndex.open(path)  # a restart
    assert collections_to_resume(reopened) == []  # paused waits for the user
    resumed = Indexer(reopened).run(reopened.collection("Notes"))
    assert (resumed.unchanged, resumed.indexed) == (1, 2)
    reopened.close()


def test_interrupted_indexing_resumes_at_start(tmp_path: Path, folder: Path) -> None:
    index = DocumentIndex.open(tmp_path / "documents.sqlite3")
    collection = index.add_collection("Notes", folder)
    index.set_state(collection.id, "indexing")  # the app was killed while indexing
    assert [c.name for c in collections_to_resume(index)] == ["Notes"]
    index.close()


def test_collections_bad_names_and_folders(index: DocumentIndex, folder: Path) -> None:
    index.add_collection("Notes", folder)
    with pytest.raises(DocumentIndexError, match="already a collection named"):
        index.add_collection("Notes", folder)
    with pytest.raises(DocumentIndexError, match="is not a folder"):
        index.add_collection("Other", folder / "nope")
    assert index.remove_collection("Notes") and not index.remove_collection("Notes")
    _consistent(index)


def test_newer_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "documents.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(DocumentIndexError, match="newer Hearth"):
        DocumentIndex.open(path)


def test_reciprocal_rank_fusion_prefers_what_both_lists_found() -> None:
    fused = fuse([[1, 2, 3], [3, 4, 1]])
    assert [item for item, _ in fused][:2] == [1, 3]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 63)
    assert [item for item, _ in fuse([[5, 6]])] == [5, 6]


def test_background_service_pauses_resumes_and_picks_up_after_restart(
    tmp_path: Path, folder: Path
) -> None:
    import threading

    from desktop_app.core.documents.service import IndexingEvent, IndexingService

    path = tmp_path / "documents.sqlite3"
    events: list[IndexingEvent] = []
    gate = threading.Event()
    first_file = threading.Event()

    def listener(event: IndexingEvent) -> None:
        events.append(event)
        if event.progress is not None and event.progress.done == 0:
            first_file.set()
            gate.wait(10)  # hold the worker inside the first file

    index = DocumentIndex.open(path)
    service = IndexingService(index, listener)
    service.start()
    service.add("Notes", folder)
    assert first_file.wait(10)
    service.pause("Notes")
    gate.set()
    assert service.wait_idle(10)
    [ended] = [event.report for event in events if event.report is not None]
    assert ended.paused and ended.indexed == 1
    assert index.collection("Notes").state == "paused"
    service.close()
    index.close()

    # a restart: a paused collection waits; an interrupted one is picked up by itself
    index = DocumentIndex.open(path)
    index.set_state(index.collection("Notes").id, "indexing")
    events.clear()
    service = IndexingService(index, events.append)
    service.start()
    assert service.wait_idle(10)
    report = next(event.report for event in events if event.report is not None)
    assert (report.unchanged, report.indexed, report.paused) == (1, 2, False)
    assert index.collection("Notes").state == "ready"
    service.remove("Notes")
    assert service.wait_idle(10) and index.collections() == []
    service.close()
    index.close()


def test_vector_search_sees_what_another_process_wrote(tmp_path: Path, folder: Path) -> None:
    import numpy as np

    from desktop_app.core.documents.vectors import VectorSearch

    path = tmp_path / "documents.sqlite3"
    writer, reader = DocumentIndex.open(path), DocumentIndex.open(path)
    collection = writer.add_collection("Notes", folder)
    Indexer(writer).run(collection)
    ids = [row[0] for row in writer._rows("SELECT id FROM chunks ORDER BY id")]
    axis = np.eye(4, dtype=np.float32)
    writer.store_vectors("m", ids[:1], axis[:1])
    search = VectorSearch(reader)
    assert search.search("m", axis[1], [collection.id], 5) == [(ids[0], 0.0)]
    writer.store_vectors("m", ids[1:2], axis[1:2])  # another connection writes
    assert search.search("m", axis[1], [collection.id], 1) == [(ids[1], 1.0)]
    writer.close()
    reader.close()


def test_very_common_words_are_not_ranked_by(
    index: DocumentIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.core.documents import index as index_module
    from desktop_app.core.documents.chunking import Chunk

    monkeypatch.setattr(index_module, "COMMON_MIN", 5)
    collection = index.add_collection("Many", tmp_path)
    texts = [f"common filler words number{i}" for i in range(100)]
    texts[40] = "common filler words zebra"
    texts[41] = "common zebra giraffe"
    index.replace_file(
        collection.id, "a.txt", 1, 1, "x", [Chunk(i, t, None, None, 5) for i, t in enumerate(texts)]
    )
    queries: list[str] = []
    original = index._rows

    def spy(sql: str, args=()):  # type: ignore[no-untyped-def]
        if "ORDER BY rank" in sql:
            queries.append(args[0])
        return original(sql, args)

    monkeypatch.setattr(index, "_rows", spy)
    found = index.bm25("common zebra giraffe", [collection.id], 5)
    assert queries[-1] == '"zebra" OR "giraffe"'  # "common" is in every chunk: left out
    assert [chunk_id for chunk_id, _ in found][:2] == [42, 41]
    found = index.bm25("common filler", [collection.id], 5)
    assert queries[-1] == '"common" AND "filler"'  # every term is common: all of them
    assert len(found) == 5
    # Word counts are kept between questions, and counted again once the index changes.
    counts: list[str] = []
    monkeypatch.setattr(
        index,
        "_rows",
        lambda sql, args=(): (counts.append(sql) if "LIMIT ?)" in sql else None) or spy(sql, args),
    )
    index.bm25("common zebra giraffe", [collection.id], 5)
    assert counts == []  # counted by the first question already
    index.replace_file(
        collection.id,
        "a.txt",
        1,
        2,
        "y",
        [Chunk(i, f"giraffe {i}", None, None, 5) for i in range(100)],
    )
    index.bm25("common zebra giraffe", [collection.id], 5)
    assert len(counts) == 3 and queries[-1] == '"common" OR "zebra"'  # giraffe is common now
