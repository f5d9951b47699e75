"""The document index: collections, files, chunks, their BM25 index and their vectors.

One SQLite database (WAL) in the data folder, next to the conversations
(``documents.sqlite3``). Chunks are searched with FTS5's BM25 over the same derived
text the chat search indexes (``core.chats.search.index_text``: CJK runs as bigrams, so
长城 is found inside a Chinese sentence), with the Porter stemmer for English. Vectors
are float32 BLOBs in the same database and are searched with NumPy (see
``core/documents/vectors.py`` for why, with the measurements).

Every change to one file's chunks is one transaction: a crash leaves either the old
chunks or the new ones, never a mix.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.chats.search import CJK_RUN, index_text, query_terms
from desktop_app.core.documents.chunking import Chunk, describe_location

if TYPE_CHECKING:  # numpy loads with the first vector, not with the window
    import numpy as np

DATABASE_NAME = "documents.sqlite3"

_SCHEMA = (
    """
    CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        folder TEXT NOT NULL,
        created_at REAL NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'indexing', 'paused', 'ready', 'error')),
        error TEXT,
        indexed_at REAL
    )""",
    """
    CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256 TEXT,
        error TEXT,
        indexed_at REAL NOT NULL,
        UNIQUE (collection_id, path)
    )""",
    """
    CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        page INTEGER,
        heading TEXT,
        tokens INTEGER NOT NULL
    )""",
    "CREATE INDEX chunks_by_file ON chunks(file_id)",
    """
    CREATE VIRTUAL TABLE chunk_search USING fts5(
        body, collection_id UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    """
    CREATE TABLE vectors (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    )""",
    "CREATE INDEX vectors_by_model ON vectors(model)",
    # The collections each conversation answers from (chosen in the chat header).
    """
    CREATE TABLE chat_collections (
        conversation_id INTEGER NOT NULL,
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        PRIMARY KEY (conversation_id, collection_id)
    )""",
    """
    CREATE TRIGGER chunks_unindex AFTER DELETE ON chunks BEGIN
        DELETE FROM chunk_search WHERE rowid = old.id;
    END""",
)
SCHEMA_VERSION = 1

COMMON_SHARE = 0.05
"""A query term in more than this share of all chunks is too common to rank by."""
COMMON_MIN = 2000
"""...but below this many chunks nothing counts as common: ranking them all is cheap."""


def _words(*lines: str) -> list[str]:
    """The words of some lines of text (long word lists, written compactly)."""
    return " ".join(lines).split()


# Words that carry no meaning for retrieval; an OR over them would touch every chunk.
_STOPWORDS = frozenset(
    _words(
        "a an and are as at be been but by can could do does did for from had has have how i "
        "if in into is it its me my no not of on or our she he so than that the their them "
        "then there these they this to was we were what when where which who whom why will "
        "with would you your "
    )
)


class DocumentIndexError(Exception):
    """The document index cannot be used or changed; the message says why."""


@dataclass(frozen=True)
class Collection:
    id: int
    name: str
    folder: Path
    state: str
    error: str | None
    indexed_at: float | None


@dataclass(frozen=True)
class FileRecord:
    id: int
    collection_id: int
    path: str
    """Relative to the collection's folder, with '/' separators."""
    size: int
    mtime_ns: int
    sha256: str | None
    error: str | None
    chunks: int


@dataclass(frozen=True)
class StoredChunk:
    id: int
    collection: str
    folder: Path
    path: str
    ordinal: int
    text: str
    page: int | None
    heading: str | None

    @property
    def file(self) -> Path:
        return self.folder / self.path

    @property
    def locator(self) -> str:
        return describe_location(self.page, self.heading)


@dataclass(frozen=True)
class CollectionStatus:
    collection: Collection
    files: int
    indexed: int
    failed: tuple[FileRecord, ...]
    chunks: int
    vectors: int
    """Chunks that have a vector from the current embedding model."""


def retrieval_terms(query: str) -> list[str]:
    """The FTS5 terms of a question: its meaningful words, and its CJK runs as bigrams
    (the index holds them), each once, in order."""
    terms: list[str] = []
    for term in query_terms(query):
        if CJK_RUN.fullmatch(term):
            if len(term) == 1:
                terms.append(term)
            else:
                terms.extend(term[i : i + 2] for i in range(len(term) - 1))
        elif term.lower() not in _STOPWORDS:
            terms.append(term.lower())
    return list(dict.fromkeys(terms))


def retrieval_expression(query: str) -> str | None:
    """An FTS5 expression that ranks any chunk sharing a meaningful word with ``query``.

    Unlike the chat search (every word must match, as you type), a question's words are
    OR-ed and BM25 ranks the chunks that have more and rarer ones first.
    """
    terms = retrieval_terms(query)
    return " OR ".join(f'"{term}"' for term in terms) if terms else None


class DocumentIndex:
    """Thread-safe access to the document database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.path = path
        self.generation = 0
        """Bumped by every change to chunks or vectors (caches compare it)."""
        self._term_stats: tuple[object, int, dict[str, int]] = ((), 0, {})
        """(``version()`` they were counted at, chunks in all, chunks per probed term
        up to the cap): what ``bm25`` needs to leave out common words, kept until
        the index changes, since counting costs more than the search itself."""

    @classmethod
    def open(cls, path: Path) -> DocumentIndex:
        db: sqlite3.Connection | None = None
        try:
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise DocumentIndexError(
                    f"The document index {path} was written by a newer Hearth; "
                    "update Hearth or move the file away."
                )
            if version == 0:
                db.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
        except (sqlite3.DatabaseError, OSError) as exc:
            if db is not None:
                db.close()
            raise DocumentIndexError(f"Cannot open the document index {path}: {exc}") from exc
        return cls(db, path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self.generation += 1

    def version(self) -> tuple[int, int]:
        """Changes whenever chunks or vectors may have changed, by this connection
        (``generation``) or by another process (SQLite's ``data_version``)."""
        with self._lock:
            return self.generation, self._db.execute("PRAGMA data_version").fetchone()[0]

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    # Collections

    def add_collection(self, name: str, folder: Path) -> Collection:
        name = " ".join(name.split())
        if not name:
            raise DocumentIndexError("a collection needs a name")
        folder = folder.expanduser().resolve()
        if not folder.is_dir():
            raise DocumentIndexError(f"{folder} is not a folder")
        if self.collection(name) is not None:
            raise DocumentIndexError(f"there is already a collection named {name!r}")
        with self.transaction() as db:
            db.execute(
                "INSERT INTO collections (name, folder, created_at) VALUES (?, ?, ?)",
                (name, str(folder), time.time()),
            )
        collection = self.collection(name)
        assert collection is not None
        return collection

    def collections(self) -> list[Collection]:
        rows = self._rows(
            "SELECT id, name, folder, state, error, indexed_at FROM collections ORDER BY name"
        )
        return [Collection(r[0], r[1], Path(r[2]), r[3], r[4], r[5]) for r in rows]

    def collection(self, name: str) -> Collection | None:
        return next((c for c in self.collections() if c.name == name), None)

    def remove_collection(self, name: str) -> bool:
        collection = self.collection(name)
        if collection is None:
            return False
        with self.transaction() as db:
            db.execute("DELETE FROM chunk_search WHERE collection_id = ?", (collection.id,))
            db.execute(
                "DELETE FROM vectors WHERE chunk_id IN (SELECT chunks.id FROM chunks"
                " JOIN files ON files.id = chunks.file_id WHERE files.collection_id = ?)",
                (collection.id,),
            )
            db.execute(
                "DELETE FROM chunks WHERE file_id IN"
                " (SELECT id FROM files WHERE collection_id = ?)",
                (collection.id,),
            )
            db.execute("DELETE FROM files WHERE collection_id = ?", (collection.id,))
            db.execute("DELETE FROM chat_collections WHERE collection_id = ?", (collection.id,))
            db.execute("DELETE FROM collections WHERE id = ?", (collection.id,))
        return True

    def set_state(self, collection_id: int, state: str, error: str | None = None) -> None:
        finished = time.time() if state == "ready" else None
        with self.transaction() as db:
            db.execute(
                "UPDATE collections SET state = ?, error = ?,"
                " indexed_at = COALESCE(?, indexed_at) WHERE id = ?",
                (state, error, finished, collection_id),
            )

    def status(self, collection: Collection, model: str | None) -> CollectionStatus:
        files = self.files(collection.id)
        failed = tuple(record for record in files if record.error)
        chunks = sum(record.chunks for record in files)
        vectors = 0
        if model:
            vectors = self._rows(
                "SELECT COUNT(*) FROM vectors JOIN chunks ON chunks.id = vectors.chunk_id"
                " JOIN files ON files.id = chunks.file_id"
                " WHERE files.collection_id = ? AND vectors.model = ?",
                (collection.id, model),
            )[0][0]
        indexed = sum(1 for record in files if not record.error)
        return CollectionStatus(collection, len(files), indexed, failed, chunks, vectors)

    def chat_collections(self, conversation_id: int) -> list[Collection]:
        """The collections a conversation answers from."""
        rows = self._rows(
            "SELECT collection_id FROM chat_collections WHERE conversation_id = ?",
            (conversation_id,),
        )
        chosen = {row[0] for row in rows}
        return [c for c in self.collections() if c.id in chosen]

    def set_chat_collections(self, conversation_id: int, names: Sequence[str]) -> None:
        by_name = {c.name: c.id for c in self.collections()}
        with self.transaction() as db:
            db.execute("DELETE FROM chat_collections WHERE conversation_id = ?", (conversation_id,))
            db.executemany(
                "INSERT INTO chat_collections (conversation_id, collection_id) VALUES (?, ?)",
                ((conversation_id, by_name[name]) for name in names if name in by_name),
            )

    # Files

    def files(self, collection_id: int) -> list[FileRecord]:
        rows = self._rows(
            "SELECT files.id, collection_id, path, size, mtime_ns, sha256, error,"
            " (SELECT COUNT(*) FROM chunks WHERE chunks.file_id = files.id)"
            " FROM files WHERE collection_id = ? ORDER BY path",
            (collection_id,),
        )
        return [FileRecord(*row) for row in rows]

    def file_signatures(self, collection_id: int) -> dict[str, tuple[int, int, str | None, int]]:
        """path -> (size, mtime_ns, sha256, file id), for the quick unchanged check."""
        rows = self._rows(
            "SELECT path, size, mtime_ns, sha256, id FROM files WHERE collection_id = ?",
            (collection_id,),
        )
        return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}

    def touch_file(self, file_id: int, size: int, mtime_ns: int) -> None:
        """The file was rewritten with the same content: remember its new size and time."""
        with self.transaction() as db:
            db.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id)
            )

    def replace_file(
        self,
        collection_id: int,
        path: str,
        size: int,
        mtime_ns: int,
        sha256: str | None,
        chunks: Sequence[Chunk],
        error: str | None = None,
        vectors: tuple[str, np.ndarray] | None = None,
    ) -> None:
        """Store a file's chunks (and their vectors) in place of what it had, atomically.

        With ``error`` the file is recorded as failed and keeps no chunks.
        """
        with self.transaction() as db:
            row = db.execute(
                "SELECT id FROM files WHERE collection_id = ? AND path = ?",
                (collection_id, path),
            ).fetchone()
            now = time.time()
            if row is None:
                file_id = db.execute(
                    "INSERT INTO files (collection_id, path, size, mtime_ns, sha256, error,"
                    " indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (collection_id, path, size, mtime_ns, sha256, error, now),
                ).lastrowid
            else:
                file_id = row[0]
                db.execute("DELETE FROM chunks WHERE file_id = ?", (file_id,))
                db.execute(
                    "UPDATE files SET size = ?, mtime_ns = ?, sha256 = ?, error = ?,"
                    " indexed_at = ? WHERE id = ?",
                    (size, mtime_ns, sha256, error, now, file_id),
                )
            ids: list[int] = []
            for chunk in chunks:
                chunk_id = db.execute(
                    "INSERT INTO chunks (file_id, ordinal, text, page, heading, tokens)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (file_id, chunk.ordinal, chunk.text, chunk.page, chunk.heading, chunk.tokens),
                ).lastrowid
                assert chunk_id is not None
                ids.append(chunk_id)
                body = index_text(f"{chunk.heading}\n{chunk.text}" if chunk.heading else chunk.text)
                db.execute(
                    "INSERT INTO chunk_search (rowid, body, collection_id) VALUES (?, ?, ?)",
                    (chunk_id, body, collection_id),
                )
            if vectors is not None:
                import numpy as np

                model, matrix = vectors
                db.executemany(
                    "INSERT INTO vectors (chunk_id, model, vector) VALUES (?, ?, ?)",
                    (
                        (chunk_id, model, np.asarray(row, dtype=np.float32).tobytes())
                        for chunk_id, row in zip(ids, matrix, strict=True)
                    ),
                )

    def drop_files(self, collection_id: int, paths: Sequence[str]) -> None:
        with self.transaction() as db:
            for path in paths:
                db.execute(
                    "DELETE FROM files WHERE collection_id = ? AND path = ?", (collection_id, path)
                )

    # Chunks and vectors

    def chunks(self, ids: Sequence[int]) -> dict[int, StoredChunk]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            "SELECT chunks.id, collections.name, collections.folder, files.path, chunks.ordinal,"
            " chunks.text, chunks.page, chunks.heading FROM chunks"
            " JOIN files ON files.id = chunks.file_id"
            " JOIN collections ON collections.id = files.collection_id"
            f" WHERE chunks.id IN ({marks})",
            ids,
        )
        return {
            row[0]: StoredChunk(
                row[0], row[1], Path(row[2]), row[3], row[4], row[5], row[6], row[7]
            )
            for row in rows
        }

    def chunks_without_vectors(
        self, collection_id: int, model: str, limit: int = 64
    ) -> list[tuple[int, str]]:
        return self._rows(
            "SELECT chunks.id, chunks.text FROM chunks JOIN files ON files.id = chunks.file_id"
            " LEFT JOIN vectors ON vectors.chunk_id = chunks.id AND vectors.model = ?"
            " WHERE files.collection_id = ? AND vectors.chunk_id IS NULL"
            " ORDER BY chunks.id LIMIT ?",
            (model, collection_id, limit),
        )

    def store_vectors(self, model: str, ids: Sequence[int], matrix: np.ndarray) -> None:
        import numpy as np

        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (chunk_id, model, vector) VALUES (?, ?, ?)",
                (
                    (chunk_id, model, np.asarray(row, dtype=np.float32).tobytes())
                    for chunk_id, row in zip(ids, matrix, strict=True)
                ),
            )

    def vectors(self, model: str, collection_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, matrix with one float32 row per chunk) for ``model`` in these
        collections."""
        import numpy as np

        marks = ",".join("?" * len(collection_ids))
        rows = self._rows(
            "SELECT vectors.chunk_id, vectors.vector FROM vectors"
            " JOIN chunks ON chunks.id = vectors.chunk_id JOIN files ON files.id = chunks.file_id"
            f" WHERE vectors.model = ? AND files.collection_id IN ({marks})",
            (model, *collection_ids),
        )
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32)
        return ids, matrix.reshape(len(rows), -1)

    def bm25(
        self, query: str, collection_ids: Sequence[int], limit: int
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score: higher is better), best first.

        FTS5 scores every chunk that matches before it sorts, so an OR with a word that
        is in most chunks costs a pass over most of the index. Such words add almost
        nothing to BM25 (their IDF is near zero), so a term found in more than
        ``COMMON_SHARE`` of the chunks is left out of the OR, which is probed cheaply (a
        capped ``LIMIT`` without ranking); when every term is that common, the chunks
        that have all of them are ranked instead.
        """
        terms = retrieval_terms(query)
        if not terms or not collection_ids:
            return []
        marks = ",".join("?" * len(collection_ids))
        scope = f" AND collection_id IN ({marks})"
        try:
            version = self.version()
            with self._lock:
                if self._term_stats[0] != version:
                    total = self._rows("SELECT COUNT(*) FROM chunks")[0][0]
                    self._term_stats = (version, total, {})
                _, total, counted = self._term_stats
            cap = max(COMMON_MIN, int(total * COMMON_SHARE))
            rare: list[str] = []
            if len(terms) > 1 and total > cap:
                for term in terms:
                    found = counted.get(term)
                    if found is None:
                        found = self._rows(
                            "SELECT COUNT(*) FROM (SELECT rowid FROM chunk_search"
                            " WHERE chunk_search MATCH ? LIMIT ?)",
                            (f'"{term}"', cap),
                        )[0][0]
                        counted[term] = found
                    if found < cap:
                        rare.append(term)
            else:
                rare = terms
            joiner = " OR " if rare else " AND "
            expression = joiner.join(f'"{term}"' for term in (rare or terms))
            rows = self._rows(
                "SELECT rowid, rank FROM chunk_search WHERE chunk_search MATCH ?"
                f"{scope} ORDER BY rank LIMIT ?",
                (expression, *collection_ids, limit),
            )
        except sqlite3.OperationalError:
            return []
        return [(row[0], -row[1]) for row in rows]
