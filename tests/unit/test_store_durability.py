"""Which writes of the store are fsynced: the level of ``PRAGMA synchronous`` at each COMMIT.

The store's promise (its module docstring): what finishes something commits with
``synchronous=FULL`` and survives a power loss; the writes on the way to the first
token and a streaming answer's growing text commit with ``NORMAL`` (no fsync, so the
first token never waits for the disk). Every statement the store's connection runs is
traced, so the test sees the level in force when each transaction commits.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.store import Store

_LEVELS = {"0": "OFF", "1": "NORMAL", "2": "FULL", "3": "EXTRA"}
_PRAGMA = re.compile(r"PRAGMA\s+synchronous\s*=\s*(\w+)", re.IGNORECASE)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _connection(store: Store) -> sqlite3.Connection:
    connection = store._db
    assert isinstance(connection, sqlite3.Connection)
    return connection


def commit_levels(store: Store, action: Callable[[], object]) -> list[str]:
    """The ``synchronous`` level at each COMMIT that ``action`` makes, in order."""
    db = _connection(store)
    level = _LEVELS[str(db.execute("PRAGMA synchronous").fetchone()[0])]
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    try:
        action()
    finally:
        db.set_trace_callback(None)
    levels: list[str] = []
    for sql in statements:
        match = _PRAGMA.fullmatch(sql.strip())
        if match:
            value = match.group(1).upper()
            level = _LEVELS.get(value, value)
        elif sql.strip().upper() == "COMMIT":
            levels.append(level)
    return levels


def test_a_finished_answer_commits_with_full_sync(store: Store) -> None:
    """Guards: ``finish_answer`` is fsynced (FULL), after a stream of NORMAL updates."""
    conversation = store.create_conversation()
    assert commit_levels(store, lambda: store.add_user_message(conversation.id, "Hi")) == ["NORMAL"]
    answer: list[int] = []
    begin = lambda: answer.append(store.begin_answer(conversation.id, "m"))  # noqa: E731
    assert commit_levels(store, begin) == ["NORMAL"]
    assert commit_levels(store, lambda: store.update_answer(answer[0], "Hel")) == ["NORMAL"]
    finished = commit_levels(
        store,
        lambda: store.finish_answer(answer[0], "Hello", FinishReason.STOP, GenerationStats(3, 2)),
    )
    assert finished == ["FULL"]
    assert _connection(store).execute("PRAGMA synchronous").fetchone()[0] == 2


def test_changes_the_user_makes_commit_with_full_sync(store: Store) -> None:
    """Guards: a new chat, a rename, a pin, settings and a delete each survive a power loss,
    even right after a streaming (NORMAL) write."""
    conversation = store.create_conversation()
    answer = store.begin_answer(conversation.id, "m")
    actions: list[Callable[[], object]] = [
        lambda: store.create_conversation("Second"),
        lambda: store.rename_conversation(conversation.id, "Renamed"),
        lambda: store.set_pinned(conversation.id, True),
        lambda: store.set_system_prompt(conversation.id, "Be brief."),
        lambda: store.set_conversation_overrides(conversation.id, {"temperature": 0.2}),
        lambda: store.mark_interrupted_answers(stale_after_s=0),
        lambda: store.delete_conversation(conversation.id),
    ]
    for action in actions:
        store.update_answer(answer, "streaming")  # leaves the connection at NORMAL
        assert commit_levels(store, action) == ["FULL"]
