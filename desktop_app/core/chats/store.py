"""The conversation store: one SQLite database in WAL mode.

Every write is its own transaction, in WAL mode. Writes that finish something (a
finished answer, a new conversation, a change the user makes) commit with
``synchronous=FULL``: they survive a power loss as well as a crash. The writes on the
way to the first token (the question, the empty answer) and the growing text of a
streaming answer commit with ``synchronous=NORMAL``: no fsync, so the first token is
not kept waiting for the disk, yet they survive the app being killed (they are in the
WAL, which the OS holds), and the answer's final commit syncs them to disk too.

Size: one class over one schema; every SQL statement lives here so that transactions,
the FTS index and migrations are read in one place (splitting it would split them).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from desktop_app.core.chats.model import (
    Conversation,
    FinishReason,
    GenerationStats,
    Message,
    Role,
    title_from_text,
)
from desktop_app.core.chats.search import SearchHit, index_text, make_snippet, match_expression
from desktop_app.core.chats.transfer import ImportedConversation

_SCHEMA_V1 = (
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        system_prompt TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """
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
    )""",
    "CREATE INDEX messages_by_conversation ON messages(conversation_id, id)",
    "CREATE INDEX conversations_by_update ON conversations(updated_at)",
)

_SCHEMA_V2 = (
    # The message tree: each message follows its parent; siblings are versions (an
    # edited question, a regenerated answer). The conversation shows the path from the
    # root to its current leaf.
    # No ON DELETE CASCADE on parent_id: SQLite limits cascades to 1000 levels, so
    # delete_message() deletes a whole subtree in one statement instead.
    "ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages(id)",
    "ALTER TABLE conversations ADD COLUMN current_leaf_id INTEGER",
    "ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",
    # Per-conversation overrides (model, system prompt, sampling) as a JSON object.
    "ALTER TABLE conversations ADD COLUMN settings TEXT",
    # A v1 conversation is flat: every message follows the one before it.
    """
    UPDATE messages SET parent_id = (
        SELECT MAX(earlier.id) FROM messages AS earlier
        WHERE earlier.conversation_id = messages.conversation_id AND earlier.id < messages.id
    )""",
    """
    UPDATE conversations SET current_leaf_id = (
        SELECT MAX(id) FROM messages WHERE messages.conversation_id = conversations.id
    )""",
    "CREATE INDEX messages_by_parent ON messages(parent_id)",
    # Full-text search over index_text() of finished messages and of titles (rowid = id).
    "CREATE VIRTUAL TABLE message_search USING fts5(body, tokenize = 'unicode61')",
    "CREATE VIRTUAL TABLE title_search USING fts5(body, tokenize = 'unicode61')",
    """
    CREATE TRIGGER messages_unindex AFTER DELETE ON messages BEGIN
        DELETE FROM message_search WHERE rowid = old.id;
    END""",
    """
    CREATE TRIGGER conversations_unindex AFTER DELETE ON conversations BEGIN
        DELETE FROM title_search WHERE rowid = old.id;
    END""",
)


def _index_existing(db: sqlite3.Connection) -> None:
    """Fill the search index from the messages and titles already stored."""
    db.executemany(
        "INSERT INTO message_search (rowid, body) VALUES (?, ?)",
        (
            (row[0], index_text(row[1]))
            for row in db.execute(
                "SELECT id, content FROM messages WHERE finish_reason IS NOT NULL"
            ).fetchall()
        ),
    )
    db.executemany(
        "INSERT INTO title_search (rowid, body) VALUES (?, ?)",
        (
            (row[0], index_text(row[1]))
            for row in db.execute("SELECT id, title FROM conversations").fetchall()
        ),
    )


Migration = Callable[[sqlite3.Connection], None]


def _statements(*sql: str) -> Migration:
    def run(db: sqlite3.Connection) -> None:
        for statement in sql:
            db.execute(statement)

    return run


def _steps(*steps: Migration) -> Migration:
    def run(db: sqlite3.Connection) -> None:
        for step in steps:
            step(db)

    return run


_SCHEMA_V3 = (
    # mark_interrupted_answers() runs at every start: find the few unfinished answers
    # without reading a million finished ones.
    "CREATE INDEX messages_unfinished ON messages(updated_at) WHERE finish_reason IS NULL",
)

_SCHEMA_V4 = (
    # Documents a message carries, as JSON: a question's attached files (their text),
    # an answer's numbered sources (see core/documents/attachments.py).
    "ALTER TABLE messages ADD COLUMN documents TEXT",
)

_MIGRATIONS: tuple[Migration, ...] = (
    _statements(*_SCHEMA_V1),
    _steps(_statements(*_SCHEMA_V2), _index_existing),
    _statements(*_SCHEMA_V3),
    _statements(*_SCHEMA_V4),
)
SCHEMA_VERSION = len(_MIGRATIONS)

STALE_STREAM_S = 10.0
"""A streaming answer not flushed for this long belongs to a process that died."""


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""

    def __init__(self, message: str, *, unreadable: bool = False) -> None:
        super().__init__(message)
        self.unreadable = unreadable
        """The file itself is the problem (damaged, not a database, from a newer Hearth),
        as opposed to the disk or another process holding a lock."""


# SQLITE_CORRUPT and SQLITE_NOTADB; the sqlite3 module names them only from Python 3.11.
_UNREADABLE_CODES = (11, 26)


class _Parent(Enum):
    CURRENT_LEAF = "current leaf"
    """Append after the last message of the branch on screen."""


CURRENT_LEAF = _Parent.CURRENT_LEAF
ParentRef = int | None | _Parent


class Store:
    """Thread-safe access to the conversation database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self._durable: bool | None = None
        self.path = path

    @property
    def in_memory(self) -> bool:
        """Whether the conversations live in memory only (no file another connection can open)."""
        return str(self.path) in ("", ":memory:")

    @classmethod
    def open(cls, path: Path) -> Store:
        db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            _migrate(db, path)
        except (sqlite3.DatabaseError, OSError, StoreError) as exc:
            if db is not None:
                db.close()
            if isinstance(exc, StoreError):
                raise
            unreadable = getattr(exc, "sqlite_errorcode", None) in _UNREADABLE_CODES
            raise StoreError(
                f"Cannot open the conversation database {path}: {exc}", unreadable=unreadable
            ) from exc
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
            conversation_id = int(cursor.lastrowid or 0)
            _index_title(db, conversation_id, title)
        return Conversation(conversation_id, title, now, now, system_prompt)

    def conversation(self, conversation_id: int) -> Conversation | None:
        rows = self._query("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        return _conversation(rows[0]) if rows else None

    def conversations(self) -> list[Conversation]:
        """All conversations, most recently updated first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, created_at, updated_at, system_prompt, pinned,"
                " current_leaf_id FROM conversations ORDER BY updated_at DESC, id DESC"
            ).fetchall()
        return [
            Conversation(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])
            for row in rows
        ]

    def latest_conversation(self) -> Conversation | None:
        rows = self._query("SELECT * FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1")
        return _conversation(rows[0]) if rows else None

    def message_counts(self) -> dict[int, int]:
        """How many messages each conversation holds (all branches)."""
        rows = self._query(
            "SELECT conversation_id, COUNT(*) FROM messages GROUP BY conversation_id"
        )
        return {row[0]: row[1] for row in rows}

    def set_system_prompt(self, conversation_id: int, system_prompt: str) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE conversations SET system_prompt = ? WHERE id = ?",
                (system_prompt, conversation_id),
            )

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise ValueError("A conversation title cannot be empty")
        with self._transaction() as db:
            if not db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id)
            ).rowcount:
                raise KeyError(f"No conversation with id {conversation_id}")
            _index_title(db, conversation_id, title)

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE conversations SET pinned = ? WHERE id = ?", (int(pinned), conversation_id)
            )

    def delete_conversation(self, conversation_id: int) -> bool:
        """Delete a conversation and all its messages; False if there was none."""
        with self._transaction() as db:
            db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            cursor = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        return cursor.rowcount > 0

    def conversation_overrides(self, conversation_id: int) -> dict[str, Any]:
        """This conversation's own settings (model, system prompt, sampling...), as stored."""
        rows = self._query("SELECT settings FROM conversations WHERE id = ?", (conversation_id,))
        if not rows or not rows[0][0]:
            return {}
        try:
            value = json.loads(rows[0][0])
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def set_conversation_overrides(
        self, conversation_id: int, overrides: Mapping[str, Any]
    ) -> None:
        """Replace this conversation's own settings; an empty mapping clears them."""
        text = json.dumps(dict(overrides), ensure_ascii=False) if overrides else None
        with self._transaction() as db:
            if not db.execute(
                "UPDATE conversations SET settings = ? WHERE id = ?", (text, conversation_id)
            ).rowcount:
                raise KeyError(f"No conversation with id {conversation_id}")

    # Messages

    def messages(self, conversation_id: int) -> list[Message]:
        """The current branch: the path from the first message to the current leaf."""
        rows = self._query(
            "WITH RECURSIVE path(id) AS ("
            " SELECT current_leaf_id FROM conversations WHERE id = ?"
            " UNION ALL"
            " SELECT messages.parent_id FROM messages JOIN path ON messages.id = path.id"
            " WHERE messages.parent_id IS NOT NULL)"
            " SELECT messages.* FROM messages JOIN path ON messages.id = path.id"
            " ORDER BY messages.id",
            (conversation_id,),
        )
        return self._with_siblings(conversation_id, rows)

    def all_messages(self, conversation_id: int) -> list[Message]:
        """Every message of every branch, oldest first (a parent before its children)."""
        rows = self._query(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        return self._with_siblings(conversation_id, rows)

    def _with_siblings(self, conversation_id: int, rows: list[sqlite3.Row]) -> list[Message]:
        children: dict[int | None, list[int]] = {}
        for message_id, parent_id in self._query(
            "SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        ):
            children.setdefault(parent_id, []).append(message_id)
        messages = []
        for row in rows:
            siblings = children.get(row["parent_id"], [row["id"]])
            messages.append(
                _message(
                    row, siblings.index(row["id"]) if row["id"] in siblings else 0, len(siblings)
                )
            )
        return messages

    def message(self, message_id: int) -> Message | None:
        rows = self._query("SELECT * FROM messages WHERE id = ?", (message_id,))
        return _message(rows[0]) if rows else None

    def _parent_for(
        self, db: sqlite3.Connection, conversation_id: int, parent: ParentRef
    ) -> int | None:
        if parent is CURRENT_LEAF:
            row = db.execute(
                "SELECT current_leaf_id FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is None:
                raise KeyError(f"No conversation with id {conversation_id}")
            return row[0]
        return parent

    def add_user_message(
        self, conversation_id: int, text: str, parent_id: ParentRef = CURRENT_LEAF
    ) -> Message:
        """Add a user message after ``parent_id`` (by default, the end of the current branch).

        The message becomes the current leaf; the first one also names an untitled
        conversation. Committed without fsync (see the module docstring): the answer
        that follows commits durably within moments.
        """
        now = time.time()
        with self._transaction(durable=False) as db:
            parent = self._parent_for(db, conversation_id, parent_id)
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, created_at,"
                " updated_at, finish_reason) VALUES (?, ?, 'user', ?, ?, ?, 'stop')",
                (conversation_id, parent, text, now, now),
            )
            message_id = int(cursor.lastrowid or 0)
            _index_message(db, message_id, text)
            title = title_from_text(text)
            renamed = db.execute(
                "UPDATE conversations SET updated_at = ?, current_leaf_id = ?,"
                " title = CASE WHEN title = 'New chat' THEN ? ELSE title END"
                " WHERE id = ? RETURNING title",
                (now, message_id, title, conversation_id),
            ).fetchone()
            if renamed is not None and renamed[0] == title:
                _index_title(db, conversation_id, title)
        return Message(
            message_id,
            conversation_id,
            Role.USER,
            text,
            now,
            finish_reason=FinishReason.STOP,
            parent_id=parent,
        )

    def begin_answer(
        self, conversation_id: int, model: str, parent_id: ParentRef = CURRENT_LEAF
    ) -> int:
        """Create an empty assistant message that will be filled as it streams.

        It follows ``parent_id`` (by default the end of the current branch; the question
        of a regenerated answer) and becomes the current leaf.
        """
        now = time.time()
        with self._transaction(durable=False) as db:
            parent = self._parent_for(db, conversation_id, parent_id)
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, created_at,"
                " updated_at, model) VALUES (?, ?, 'assistant', '', ?, ?, ?)",
                (conversation_id, parent, now, now, model),
            )
            answer_id = int(cursor.lastrowid or 0)
            db.execute(
                "UPDATE conversations SET updated_at = ?, current_leaf_id = ? WHERE id = ?",
                (now, answer_id, conversation_id),
            )
        return answer_id

    def update_answer(self, message_id: int, text: str) -> None:
        """Save the text so far of a streaming answer (cheap: no fsync, no indexing)."""
        with self._transaction(durable=False) as db:
            db.execute(
                "UPDATE messages SET content = ?, updated_at = ? WHERE id = ?",
                (text, time.time(), message_id),
            )

    def finish_answer(
        self, message_id: int, text: str, reason: FinishReason, stats: GenerationStats
    ) -> None:
        """Save a finished answer durably and add it to the search index."""
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
            _index_message(db, message_id, text)

    def reopen_answer(self, message_id: int) -> Message:
        """Make a finished (typically interrupted) answer stream again, to continue it."""
        with self._transaction(durable=False) as db:
            updated = db.execute(
                "UPDATE messages SET finish_reason = NULL, updated_at = ?"
                " WHERE id = ? AND role = 'assistant'",
                (time.time(), message_id),
            ).rowcount
            if not updated:
                raise KeyError(f"No answer with id {message_id}")
            db.execute("DELETE FROM message_search WHERE rowid = ?", (message_id,))
        message = self.message(message_id)
        assert message is not None
        return message

    def mark_interrupted_answers(self, stale_after_s: float = STALE_STREAM_S) -> int:
        """Mark answers whose writer died mid-stream as interrupted; returns how many."""
        with self._transaction() as db:
            stale = db.execute(
                "UPDATE messages SET finish_reason = 'interrupted'"
                " WHERE finish_reason IS NULL AND updated_at < ? RETURNING id, content",
                (time.time() - stale_after_s,),
            ).fetchall()
            for message_id, content in stale:
                _index_message(db, message_id, content)
        return len(stale)

    # Branches

    def switch_to(self, message_id: int) -> None:
        """Show the branch through ``message_id``: its newest descendant becomes the leaf."""
        with self._transaction() as db:
            conversation_id, _ = _place_of(db, message_id)
            db.execute(
                "UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                (_newest_leaf(db, message_id), conversation_id),
            )

    def sibling(self, message_id: int, step: int) -> int | None:
        """The version ``step`` places after (or before) ``message_id``; None past either end."""
        rows = self._query(
            "SELECT sibling.id, sibling.id = this.id FROM messages AS this"
            " JOIN messages AS sibling ON sibling.conversation_id = this.conversation_id"
            " AND sibling.parent_id IS this.parent_id"
            " WHERE this.id = ? ORDER BY sibling.id",
            (message_id,),
        )
        ids = [row[0] for row in rows]
        if message_id not in ids:
            return None
        position = ids.index(message_id) + step
        return ids[position] if 0 <= position < len(ids) else None

    def delete_message(self, message_id: int) -> None:
        """Delete a message and everything that follows it on its branches.

        If the branch on screen went with it, the newest remaining version at that
        place is shown instead, or else the branch up to the deleted message's parent.
        """
        with self._transaction() as db:
            conversation_id, parent_id = _place_of(db, message_id)
            leaf = db.execute(
                "SELECT current_leaf_id FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()[0]
            db.execute(
                "WITH RECURSIVE subtree(id) AS (SELECT ? UNION ALL"
                " SELECT messages.id FROM messages JOIN subtree"
                " ON messages.parent_id = subtree.id)"
                " DELETE FROM messages WHERE id IN subtree",
                (message_id,),
            )
            if (
                leaf is not None
                and db.execute("SELECT 1 FROM messages WHERE id = ?", (leaf,)).fetchone() is None
            ):
                sibling = db.execute(
                    "SELECT MAX(id) FROM messages WHERE conversation_id = ? AND parent_id IS ?",
                    (conversation_id, parent_id),
                ).fetchone()[0]
                new_leaf = _newest_leaf(db, sibling) if sibling is not None else parent_id
                db.execute(
                    "UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                    (new_leaf, conversation_id),
                )

    def set_message_documents(self, message_id: int, documents: Mapping[str, Any]) -> None:
        """Attach documents (attached files, sources) to a message; empty clears them."""
        text = json.dumps(dict(documents), ensure_ascii=False) if documents else None
        with self._transaction() as db:
            if not db.execute(
                "UPDATE messages SET documents = ? WHERE id = ?", (text, message_id)
            ).rowcount:
                raise KeyError(f"No message with id {message_id}")

    def message_documents(self, message_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The documents of those of ``message_ids`` that carry any."""
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(message_ids), 500):
            part = list(message_ids[start : start + 500])
            marks = ",".join("?" * len(part))
            _read_documents(
                self._query(
                    f"SELECT id, documents FROM messages WHERE id IN ({marks})"
                    " AND documents IS NOT NULL",
                    tuple(part),
                ),
                found,
            )
        return found

    def conversation_documents(self, conversation_id: int) -> dict[int, dict[str, Any]]:
        """The documents of the conversation's messages that carry any (all branches)."""
        found: dict[int, dict[str, Any]] = {}
        _read_documents(
            self._query(
                "SELECT id, documents FROM messages WHERE conversation_id = ?"
                " AND documents IS NOT NULL",
                (conversation_id,),
            ),
            found,
        )
        return found

    # Import

    def import_conversations(self, conversations: Sequence[ImportedConversation]) -> list[int]:
        """Add imported conversations, all or none, in one transaction; returns their ids.

        A file lists conversations newest first; they are added last to first, so that
        conversations updated in the same second keep their order (newer ids sort first).
        """
        ids: list[int] = []
        with self._transaction() as db:
            for item in reversed(conversations):
                conversation_id = int(
                    db.execute(
                        "INSERT INTO conversations (title, system_prompt, created_at, updated_at,"
                        " pinned, settings) VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            item.title,
                            item.system_prompt,
                            item.created_at,
                            item.updated_at,
                            int(item.pinned),
                            json.dumps(item.settings, ensure_ascii=False)
                            if item.settings
                            else None,
                        ),
                    ).lastrowid
                    or 0
                )
                _index_title(db, conversation_id, item.title)
                message_ids: dict[int, int] = {}
                for message in item.messages:
                    stats = message.stats
                    message_id = int(
                        db.execute(
                            "INSERT INTO messages (conversation_id, parent_id, role, content,"
                            " created_at, updated_at, model, finish_reason, prompt_tokens,"
                            " generated_tokens, ttft_s, tokens_per_s, documents)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (
                                conversation_id,
                                None if message.parent is None else message_ids[message.parent],
                                message.role.value,
                                message.content,
                                message.created_at,
                                message.created_at,
                                message.model,
                                message.finish_reason.value if message.finish_reason else None,
                                stats.prompt_tokens if stats else None,
                                stats.generated_tokens if stats else None,
                                stats.time_to_first_token_s if stats else None,
                                stats.tokens_per_s if stats else None,
                                json.dumps(message.documents, ensure_ascii=False)
                                if message.documents
                                else None,
                            ),
                        ).lastrowid
                        or 0
                    )
                    message_ids[message.number] = message_id
                    if message.finish_reason is not None:
                        _index_message(db, message_id, message.content)
                leaf = message_ids.get(item.current) if item.current is not None else None
                db.execute(
                    "UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                    (leaf, conversation_id),
                )
                ids.append(conversation_id)
        return ids[::-1]

    # Search

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Titles and finished messages matching ``query``, newest first, with snippets."""
        expression = match_expression(query)
        if expression is None:
            return []
        titles = self._query(
            "SELECT conversations.id, conversations.title, conversations.updated_at"
            " FROM title_search JOIN conversations ON conversations.id = title_search.rowid"
            " WHERE title_search MATCH ? ORDER BY conversations.updated_at DESC LIMIT ?",
            (expression, limit),
        )
        hits = [
            SearchHit(row[0], row[1], None, None, make_snippet(row[1], query), row[2])
            for row in titles
        ]
        messages = self._query(
            "SELECT messages.id, messages.conversation_id, messages.role, messages.content,"
            " messages.created_at, conversations.title"
            " FROM (SELECT rowid FROM message_search WHERE message_search MATCH ?"
            "       ORDER BY rowid DESC LIMIT ?) AS found"
            " JOIN messages ON messages.id = found.rowid"
            " JOIN conversations ON conversations.id = messages.conversation_id"
            " ORDER BY messages.id DESC",
            (expression, limit),
        )
        hits += [
            SearchHit(row[1], row[5], row[0], row[2], make_snippet(row[3], query), row[4])
            for row in messages
        ]
        return hits[:limit]

    def integrity_check(self) -> str:
        return str(self._query("PRAGMA integrity_check")[0][0])


def _read_documents(rows: Iterable[Sequence[Any]], found: dict[int, dict[str, Any]]) -> None:
    """Add (message id, documents JSON) rows to ``found``, skipping unreadable ones."""
    for row in rows:
        try:
            value = json.loads(row[1])
        except ValueError:
            continue
        if isinstance(value, dict):
            found[row[0]] = value


def open_or_recover(path: Path) -> tuple[Store, str | None]:
    """Open the store; if the file cannot be read, keep it aside and start afresh.

    Returns the store and, when something was wrong, a message for the user. A file
    that is not a database, is damaged or comes from a newer Hearth is renamed (with
    its WAL files) to ``<name>.unreadable-<time>``, never deleted. When the disk is the
    problem (read-only, locked by another process), the file is left alone and the
    conversations live in memory for this session.
    """
    try:
        return Store.open(path), None
    except StoreError as exc:
        problem = str(exc)
        if not exc.unreadable:  # the disk or a lock: the file may be fine, leave it be
            return Store.open(Path(":memory:")), (
                f"{problem}\n\nConversations are kept in memory only and will be lost "
                "when Hearth closes."
            )
    aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.rename(aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(aside.with_name(aside.name + suffix))
        return Store.open(path), (
            f"{problem}\n\nThe file was kept as {aside} and a new, empty database was started."
        )
    except (OSError, StoreError) as exc:
        return Store.open(Path(":memory:")), (
            f"{problem}\n\nIt could not be replaced ({exc}); conversations are kept in "
            "memory only and will be lost when Hearth closes."
        )


def _index_title(db: sqlite3.Connection, conversation_id: int, title: str) -> None:
    db.execute("DELETE FROM title_search WHERE rowid = ?", (conversation_id,))
    db.execute(
        "INSERT INTO title_search (rowid, body) VALUES (?, ?)", (conversation_id, index_text(title))
    )


def _index_message(db: sqlite3.Connection, message_id: int, text: str) -> None:
    db.execute("DELETE FROM message_search WHERE rowid = ?", (message_id,))
    db.execute(
        "INSERT INTO message_search (rowid, body) VALUES (?, ?)", (message_id, index_text(text))
    )


def _place_of(db: sqlite3.Connection, message_id: int) -> tuple[int, int | None]:
    """The conversation and the parent of a message; raises ``KeyError`` if there is none."""
    row = db.execute(
        "SELECT conversation_id, parent_id FROM messages WHERE id = ?", (message_id,)
    ).fetchone()
    if row is None:
        raise KeyError(f"No message with id {message_id}")
    return row[0], row[1]


def _newest_leaf(db: sqlite3.Connection, message_id: int) -> int:
    """Follow the newest child from ``message_id`` down to a message with none."""
    row = db.execute(
        "WITH RECURSIVE down(id) AS (SELECT ? UNION ALL"
        " SELECT (SELECT MAX(child.id) FROM messages AS child WHERE child.parent_id = down.id)"
        " FROM down WHERE down.id IS NOT NULL)"
        " SELECT MAX(id) FROM down",
        (message_id,),
    ).fetchone()
    return int(row[0])


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    while True:
        db.execute("BEGIN IMMEDIATE")  # another process may be migrating the same file
        try:
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"The conversation database {path} was written by a newer Hearth "
                    f"(schema {current}, this version knows {SCHEMA_VERSION}). "
                    "Update Hearth to open it.",
                    unreadable=True,
                )
            if current == SCHEMA_VERSION:
                db.execute("COMMIT")
                return
            _MIGRATIONS[current](db)
            db.execute(f"PRAGMA user_version = {current + 1}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        system_prompt=row["system_prompt"],
        pinned=bool(row["pinned"]),
        current_leaf_id=row["current_leaf_id"],
    )


def _message(row: sqlite3.Row, sibling_index: int = 0, sibling_count: int = 1) -> Message:
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
        parent_id=row["parent_id"],
        sibling_index=sibling_index,
        sibling_count=sibling_count,
    )
