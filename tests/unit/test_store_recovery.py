"""A database that cannot be opened is kept aside, never deleted, and Hearth still starts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.core.chats.store import SCHEMA_VERSION, Store, open_or_recover


def test_a_damaged_file_is_moved_aside_and_a_fresh_database_is_started(tmp_path: Path) -> None:
    path = tmp_path / "hearth.sqlite3"
    garbage = b"this is not sqlite" * 100
    path.write_bytes(garbage)

    store, warning = open_or_recover(path)

    assert warning is not None and "Cannot open the conversation database" in warning
    [aside] = tmp_path.glob("hearth.sqlite3.unreadable-*")
    assert aside.read_bytes() == garbage
    assert str(aside) in warning
    assert store.conversations() == []
    store.create_conversation()
    assert len(Store.open(path).conversations()) == 1


def test_a_database_from_a_newer_hearth_is_kept_aside_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "hearth.sqlite3"
    first = Store.open(path)
    first.create_conversation(title="Precious")
    first.close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()

    store, warning = open_or_recover(path)

    assert warning is not None and "newer Hearth" in warning
    [aside] = tmp_path.glob("hearth.sqlite3.unreadable-*")
    kept = sqlite3.connect(aside)
    assert kept.execute("SELECT title FROM conversations").fetchall() == [("Precious",)]
    assert store.conversations() == []


def test_an_unusable_folder_leaves_files_alone_and_keeps_chats_in_memory(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")

    store, warning = open_or_recover(blocker / "hearth.sqlite3")

    assert warning is not None and "in memory only" in warning
    assert blocker.read_text() == "a file where the data folder should be"
    store.create_conversation()
    assert len(store.conversations()) == 1


def test_a_healthy_database_opens_without_a_warning(tmp_path: Path) -> None:
    store, warning = open_or_recover(tmp_path / "hearth.sqlite3")
    assert warning is None
    store.close()
