"""The conversation store: one SQLite database in WAL mode.

Every write is its own transaction, in WAL mode. Writes that finish something (a
finished answer, a new conversation, a change the user makes) commit with
``synchronous=FULL``: they survive a power loss as well as a crash. The writes on the
way to the first token (the question, the empty answer) and the growing text of a
streaming answer commit with ``synchronous=NORMAL``: no fsync, so the first token is
not kept waiting for the disk, yet they survive the app being killed (they are in the
WAL, which the OS holds), and the answer's final commit syncs them to disk too.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_app.core.chats.model import (
    Conversation,
    FinishReason,
    GenerationStats,
    Message,
    Role,
    title_from_text,
)

_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        system_prompt TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        model TEXT,
        finish_reason TEXT,
        prompt_tokens INTEGER,
        generated_tokens INTEGER,
        ttft_s REAL,
        tokens_per_s REAL
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE INDEX conversations_by_update ON conversations(updated_at);
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)

STALE_STREAM_S = 10.0
"""A streaming answer not flushed for this long belongs to a process that died."""


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class Store:
    """Thread-safe access to the conversation database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self._durable: bool | None = None
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            _migrate(db, path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Cannot open the conversation database {path}: {exc}") from exc
        return cls(db, path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if durable is not self._durable:
                self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
                self._durable = durable
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self._db.execute(sql, args)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()

    # Conversations

    def create_conversation(self, title: str = "New chat", system_prompt: str = "") -> Conversation:
        now = time.time()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, system_prompt, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)",
                (title, system_prompt, now, now),
            )
        return Conversation(int(cursor.lastrowid or 0), title, now, now, system_prompt)

    def conversation(self, conversation_id: int) -> Conversation | None:
        rows = self._query("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        return _conversation(rows[0]) if rows else None

    def conversations(self) -> list[Conversation]:
        """All conversations, most recently updated first."""
        rows = self._query("SELECT * FROM conversations ORDER BY updated_at DESC, id DESC")
        return [_conversation(row) for row in rows]

    def latest_conversation(self) -> Conversation | None:
        rows = self._query("SELECT * FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1")
        return _conversation(rows[0]) if rows else None

    def set_system_prompt(self, conversation_id: int, system_prompt: str) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE conversations SET system_prompt = ? WHERE id = ?",
                (system_prompt, conversation_id),
            )

    # Messages

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._query(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        return [_message(row) for row in rows]

    def message(self, message_id: int) -> Message | None:
        rows = self._query("SELECT * FROM messages WHERE id = ?", (message_id,))
        return _message(rows[0]) if rows else None

    def add_user_message(self, conversation_id: int, text: str) -> Message:
        """Append a user message; the first one also names an untitled conversation.

        Committed without fsync (see the module docstring): the answer that follows
        commits durably within moments.
        """
        now = time.time()
        with self._transaction(durable=False) as db:
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, role, content, created_at, updated_at,"
                " finish_reason) VALUES (?, 'user', ?, ?, ?, 'stop')",
                (conversation_id, text, now, now),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ?,"
                " title = CASE WHEN title = 'New chat' THEN ? ELSE title END WHERE id = ?",
                (now, title_from_text(text), conversation_id),
            )
        return Message(
            int(cursor.lastrowid or 0),
            conversation_id,
            Role.USER,
            text,
            now,
            finish_reason=FinishReason.STOP,
        )

    def begin_answer(self, conversation_id: int, model: str) -> int:
        """Create an empty assistant message that will be filled as it streams."""
        now = time.time()
        with self._transaction(durable=False) as db:
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, role, content, created_at, updated_at,"
                " model) VALUES (?, 'assistant', '', ?, ?, ?)",
                (conversation_id, now, now, model),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            )
        return int(cursor.lastrowid or 0)

    def update_answer(self, message_id: int, text: str) -> None:
        """Save the text so far of a streaming answer (cheap: no fsync, see above)."""
        with self._transaction(durable=False) as db:
            db.execute(
                "UPDATE messages SET content = ?, updated_at = ? WHERE id = ?",
                (text, time.time(), message_id),
            )

    def finish_answer(
        self, message_id: int, text: str, reason: FinishReason, stats: GenerationStats
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE messages SET content = ?, updated_at = ?, finish_reason = ?,"
                " prompt_tokens = ?, generated_tokens = ?, ttft_s = ?, tokens_per_s = ?"
                " WHERE id = ?",
                (
                    text,
                    time.time(),
                    reason.value,
                    stats.prompt_tokens,
                    stats.generated_tokens,
                    stats.time_to_first_token_s,
                    stats.tokens_per_s,
                    message_id,
                ),
            )

    def mark_interrupted_answers(self, stale_after_s: float = STALE_STREAM_S) -> int:
        """Mark answers whose writer died mid-stream as interrupted; returns how many."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE messages SET finish_reason = 'interrupted'"
                " WHERE finish_reason IS NULL AND updated_at < ?",
                (time.time() - stale_after_s,),
            )
        return cursor.rowcount

    def integrity_check(self) -> str:
        return str(self._query("PRAGMA integrity_check")[0][0])


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"The conversation database {path} was written by a newer Hearth "
            f"(schema {current}, this version knows {SCHEMA_VERSION}). Update Hearth to open it."
        )
    for version in range(current, SCHEMA_VERSION):
        try:
            db.executescript(
                f"BEGIN IMMEDIATE;\n{_MIGRATIONS[version]}\n"
                f"PRAGMA user_version = {version + 1};\nCOMMIT;"
            )
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        system_prompt=row["system_prompt"],
    )


def _message(row: sqlite3.Row) -> Message:
    reason = row["finish_reason"]
    stats = None
    if row["role"] == Role.ASSISTANT.value and reason is not None:
        stats = GenerationStats(
            prompt_tokens=row["prompt_tokens"] or 0,
            generated_tokens=row["generated_tokens"] or 0,
            time_to_first_token_s=row["ttft_s"],
            tokens_per_s=row["tokens_per_s"],
        )
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=Role(row["role"]),
        content=row["content"],
        created_at=row["created_at"],
        model=row["model"],
        finish_reason=FinishReason(reason) if reason else None,
        stats=stats,
    )
