"""Bring a collection's index up to date with its folder, incrementally.

A file whose size and modification time match what the index holds is not opened at
all, so re-checking an unchanged collection costs one ``stat`` per file. A file whose
size or time changed is read and hashed: the same SHA-256 only updates the stored
size and time; different content is extracted, chunked (and embedded) again and
replaces the old chunks in one transaction. A file gone from the folder is dropped.

Nothing about one file stops the run: every failure (unreadable, too large, binary,
encrypted PDF, a symlink loop, a file deleted or rewritten while it was read) is
recorded on that file with a one-line message, and the run goes on. A folder that is
missing (a removed drive) leaves the index exactly as it was and says so.

``stop()`` is checked between files; a stopped run leaves the collection "paused" and
the next run carries on where it left (what was done is in the index).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.documents.chunking import DEFAULT_CHUNK_TOKENS, chunk_sections
from desktop_app.core.documents.extract import (
    MAX_FILE_BYTES,
    ExtractionError,
    check_size,
    extract,
    is_supported,
)
from desktop_app.core.documents.index import Collection, DocumentIndex

if TYPE_CHECKING:
    from desktop_app.core.documents.embedder import EmbeddingEngine

RETRY = -1
"""Stored as a failed file's size when the failure may pass (unreadable, changed while
read): the next run reads it again even if its size and time did not change."""
EMBED_BATCH = 64


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    path: str
    phase: str = "files"
    """"files" (reading files) or "vectors" (embedding chunks that have none yet)."""


@dataclass
class RunReport:
    collection: str
    scanned: int = 0
    unchanged: int = 0
    indexed: int = 0
    dropped: int = 0
    embedded: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    paused: bool = False
    folder_error: str | None = None


@dataclass(frozen=True)
class _Entry:
    path: str
    """Relative, with '/' separators."""
    absolute: Path
    size: int = 0
    mtime_ns: int = 0
    error: str | None = None


def scan(folder: Path) -> Iterator[_Entry]:
    """Every supported file under ``folder`` (following symlinks, each folder once)."""
    seen: set[tuple[int, int]] = set()
    root = folder.stat()
    seen.add((root.st_dev, root.st_ino))
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield _Entry(_relative(folder, directory), directory, error=_reason(exc))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            absolute = Path(entry.path)
            relative = _relative(folder, absolute)
            try:
                info = entry.stat(follow_symlinks=True)
            except OSError as exc:
                if is_supported(absolute) or entry.is_symlink():
                    yield _Entry(relative, absolute, error=_reason(exc))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in seen:
                    if entry.is_symlink():
                        yield _Entry(
                            relative,
                            absolute,
                            error="symlink loop: it leads back to a folder already indexed",
                        )
                    continue
                seen.add(key)
                subfolders.append(absolute)
            elif stat.S_ISREG(info.st_mode) and is_supported(absolute):
                yield _Entry(relative, absolute, info.st_size, info.st_mtime_ns)
        pending.extend(reversed(subfolders))


def _relative(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix() if path != folder else "."


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symlink loop: the link never reaches a file"
    if isinstance(exc, PermissionError):
        return "cannot read the file: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "the file disappeared while it was being indexed"
    return f"cannot read the file: {exc.strerror or exc}"


class Indexer:
    """Indexes collections of one ``DocumentIndex`` (with an embedder, vectors too)."""

    def __init__(
        self,
        index: DocumentIndex,
        embedder: EmbeddingEngine | None = None,
        *,
        chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.chunk_tokens = chunk_tokens
        self.max_file_bytes = max_file_bytes

    def run(
        self,
        collection: Collection,
        progress: Callable[[Progress], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> RunReport:
        report = RunReport(collection.name)
        stop = stop or (lambda: False)
        if not collection.folder.is_dir():
            report.folder_error = (
                f"the folder {collection.folder} is not there (a removed drive?); "
                "the index is kept as it was"
            )
            self.index.set_state(collection.id, "error", report.folder_error)
            return report
        self.index.set_state(collection.id, "indexing")
        known = self.index.file_signatures(collection.id)
        entries = list(scan(collection.folder))
        report.scanned = len(entries)
        seen: set[str] = set()
        for number, entry in enumerate(entries):
            if stop():
                report.paused = True
                self.index.set_state(collection.id, "paused")
                return report
            if progress is not None:
                progress(Progress(number, len(entries), entry.path))
            seen.add(entry.path)
            self._file(collection, entry, known.get(entry.path), report)
        gone = [path for path in known if path not in seen]
        if gone:
            self.index.drop_files(collection.id, gone)
            report.dropped = len(gone)
        if self.embedder is not None and not self._backfill(collection, report, progress, stop):
            report.paused = True
            self.index.set_state(collection.id, "paused")
            return report
        if progress is not None:
            progress(Progress(len(entries), len(entries), ""))
        self.index.set_state(collection.id, "ready")
        return report

    def _file(
        self,
        collection: Collection,
        entry: _Entry,
        known: tuple[int, int, str | None, int] | None,
        report: RunReport,
    ) -> None:
        def fail(message: str, size: int = entry.size, sha: str | None = None) -> None:
            report.errors[entry.path] = message
            self.index.replace_file(
                collection.id, entry.path, size, entry.mtime_ns, sha, (), error=message
            )

        if entry.error is not None:
            if known is None or known[0] != RETRY:
                fail(entry.error, RETRY)
            else:
                report.errors[entry.path] = entry.error
            return
        if known is not None and known[0] == entry.size and known[1] == entry.mtime_ns:
            report.unchanged += 1
            return
        try:
            check_size(entry.size, self.max_file_bytes)
        except ExtractionError as exc:
            fail(str(exc))
            return
        try:
            data = entry.absolute.read_bytes()
        except OSError as exc:
            fail(_reason(exc), RETRY)
            return
        sha = hashlib.sha256(data).hexdigest()
        if known is not None and known[2] == sha:
            self.index.touch_file(known[3], entry.size, entry.mtime_ns)
            report.unchanged += 1
            return
        try:
            document = extract(entry.absolute, data)
        except ExtractionError as exc:
            fail(str(exc), sha=sha)
            return
        try:
            after = entry.absolute.stat()
        except OSError as exc:
            fail(_reason(exc), RETRY)
            return
        if (after.st_size, after.st_mtime_ns) != (entry.size, entry.mtime_ns) or len(
            data
        ) != entry.size:
            fail("the file changed while it was being indexed; it is read again next time", RETRY)
            return
        chunks = chunk_sections(document.sections, self.chunk_tokens)
        vectors = None
        if self.embedder is not None and chunks:
            matrix = self.embedder.embed_documents([chunk.text for chunk in chunks])
            vectors = (self.embedder.info.name, matrix)
            report.embedded += len(chunks)
        self.index.replace_file(
            collection.id, entry.path, entry.size, entry.mtime_ns, sha, chunks, vectors=vectors
        )
        report.indexed += 1

    def _backfill(
        self,
        collection: Collection,
        report: RunReport,
        progress: Callable[[Progress], None] | None,
        stop: Callable[[], bool],
    ) -> bool:
        """Embed chunks that have no vector from this model (indexed without one, or
        under another model). False if stopped."""
        assert self.embedder is not None
        model = self.embedder.info.name
        while True:
            if stop():
                return False
            rows = self.index.chunks_without_vectors(collection.id, model, EMBED_BATCH)
            if not rows:
                return True
            if progress is not None:
                progress(Progress(report.embedded, report.embedded + len(rows), "", "vectors"))
            matrix = self.embedder.embed_documents([text for _, text in rows])
            self.index.store_vectors(model, [chunk_id for chunk_id, _ in rows], matrix)
            report.embedded += len(rows)


def collections_to_resume(index: DocumentIndex) -> list[Collection]:
    """Collections whose indexing was interrupted (the app was closed or killed while
    indexing): a fresh start carries on with them. Paused ones wait for the user."""
    return [c for c in index.collections() if c.state in ("pending", "indexing")]
