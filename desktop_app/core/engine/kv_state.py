"""Instant resume: keep the KV cache of recently used conversations.

llama.cpp keeps one KV cache per context, so switching to another conversation
throws away the work done for the previous one, and coming back would re-evaluate
its whole prompt. ``ConversationStates`` saves the KV cache (with the token ids it
holds) when the engine moves to another conversation and restores it on return;
the engine then evaluates only what is new, exactly as if the conversation had never
been left.

Snapshots live in an LRU bounded by bytes. With a folder, snapshots pushed out of
memory (and those left at close) are written there, keyed by the model and the load
parameters they are valid for, and read back when needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

_MAGIC = b"HEARTHKV1\n"
_HEADER = struct.Struct("<Q")


@dataclass(frozen=True, eq=False)
class KVSnapshot:
    tokens: np.ndarray
    """The token ids whose keys and values the snapshot holds (int32)."""
    data: bytearray
    """llama.cpp's serialized sequence state (``llama_state_seq_get_data``)."""

    @property
    def nbytes(self) -> int:
        return len(self.data) + self.tokens.nbytes


class Resumable(Protocol):
    """An engine whose KV cache can be saved and restored (``LlamaEngine``)."""

    @property
    def state_fingerprint(self) -> str: ...

    def save_state(self) -> KVSnapshot | None: ...

    def restore_state(self, snapshot: KVSnapshot) -> bool: ...


class KVStateCache:
    """Snapshots by key, least recently used first out, at most ``max_bytes`` in memory."""

    def __init__(self, max_bytes: int, folder: Path | None = None, max_disk_bytes: int = 0):
        self.max_bytes = max_bytes
        self.folder = folder
        self.max_disk_bytes = max_disk_bytes or 4 * max_bytes
        self._entries: OrderedDict[str, KVSnapshot] = OrderedDict()
        self._size = 0

    @property
    def size(self) -> int:
        """Bytes held in memory."""
        return self._size

    def keys(self) -> list[str]:
        """Keys in memory, least recently used first."""
        return list(self._entries)

    def put(self, key: str, snapshot: KVSnapshot) -> None:
        self.discard(key, from_disk=False)
        if snapshot.nbytes > self.max_bytes:
            self._spill(key, snapshot)
            return
        self._entries[key] = snapshot
        self._size += snapshot.nbytes
        while self._size > self.max_bytes:
            old_key, old = self._entries.popitem(last=False)
            self._size -= old.nbytes
            self._spill(old_key, old)

    def take(self, key: str) -> KVSnapshot | None:
        """Remove and return the snapshot for ``key`` (from memory, else from disk)."""
        snapshot = self._entries.pop(key, None)
        if snapshot is not None:
            self._size -= snapshot.nbytes
            return snapshot
        return self._read(key)

    def discard(self, key: str, *, from_disk: bool = True) -> None:
        snapshot = self._entries.pop(key, None)
        if snapshot is not None:
            self._size -= snapshot.nbytes
        if from_disk and self.folder is not None:
            with contextlib.suppress(OSError):
                self._path(key).unlink(missing_ok=True)

    def flush(self) -> None:
        """Write every snapshot held in memory to the folder (at close)."""
        for key, snapshot in list(self._entries.items()):
            self._spill(key, snapshot)
        self._entries.clear()
        self._size = 0

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{hashlib.sha1(key.encode()).hexdigest()[:20]}.kv"

    def _spill(self, key: str, snapshot: KVSnapshot) -> None:
        if self.folder is None or snapshot.nbytes > self.max_disk_bytes:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self._path(key)
            temp = path.with_suffix(".tmp")
            with open(temp, "wb") as handle:
                handle.write(_MAGIC)
                handle.write(_HEADER.pack(len(snapshot.tokens)))
                handle.write(snapshot.tokens.astype("<i4").tobytes())
                handle.write(snapshot.data)
            os.replace(temp, path)
            self._trim_folder()
        except OSError:
            return  # a cache: a full disk only costs speed

    def _read(self, key: str) -> KVSnapshot | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        path.unlink(missing_ok=True)
        if not raw.startswith(_MAGIC) or len(raw) < len(_MAGIC) + _HEADER.size:
            return None
        offset = len(_MAGIC)
        (count,) = _HEADER.unpack_from(raw, offset)
        offset += _HEADER.size
        end = offset + 4 * count
        if end > len(raw):
            return None
        import numpy as np  # with the engine, which has loaded it already

        tokens = np.frombuffer(raw[offset:end], dtype="<i4").astype(np.intc)
        return KVSnapshot(tokens, bytearray(raw[end:]))

    def _trim_folder(self) -> None:
        assert self.folder is not None
        files = sorted(
            ((p.stat(), p) for p in self.folder.glob("*.kv")), key=lambda f: f[0].st_mtime
        )
        total = sum(stat.st_size for stat, _ in files)
        for stat, path in files:
            if total <= self.max_disk_bytes:
                break
            total -= stat.st_size
            path.unlink(missing_ok=True)


class ConversationStates:
    """Which conversation the engine's KV cache holds, and the saved ones of the others.

    Call ``switch_to(conversation_id)`` on the engine's thread before generating for
    a conversation; it saves the KV cache of the previous conversation and restores
    the one of ``conversation_id`` if it was kept. Returns whether one was restored.
    """

    def __init__(self, engine: Resumable, cache: KVStateCache) -> None:
        self._engine = engine
        self._cache = cache
        self._current: int | None = None
        self._prefix = engine.state_fingerprint

    @property
    def cache(self) -> KVStateCache:
        return self._cache

    @property
    def current(self) -> int | None:
        return self._current

    def _key(self, conversation_id: int) -> str:
        return f"{self._prefix}:{conversation_id}"

    def switch_to(self, conversation_id: int) -> bool:
        if conversation_id == self._current:
            return False
        if self._current is not None:
            snapshot = self._engine.save_state()
            if snapshot is not None:
                self._cache.put(self._key(self._current), snapshot)
        self._current = conversation_id
        saved = self._cache.take(self._key(conversation_id))
        return saved is not None and self._engine.restore_state(saved)

    def forget(self, conversation_id: int) -> None:
        """Drop what is kept for a conversation (it was deleted or edited)."""
        self._cache.discard(self._key(conversation_id))
        if conversation_id == self._current:
            self._current = None

    def close(self) -> None:
        """Keep the current conversation's state too, then write the memory LRU to disk."""
        if self._current is not None and self._cache.folder is not None:
            snapshot = self._engine.save_state()
            if snapshot is not None:
                self._cache.put(self._key(self._current), snapshot)
        self._current = None
        self._cache.flush()
