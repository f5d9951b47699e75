"""The chat store, field by field: what search shows and which documents come back.

Found by running mutation testing over the whole of store.py (``benchmarks/mutation.py
session_store``): the search and documents tests checked that something was found,
not which chat, message and time each hit names, nor past the store's batches of 500
ids. Each test names the promise it guards.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def test_a_search_hit_names_its_chat_message_role_and_time(store: Store) -> None:
    """Promise: the search panel shows each hit under its chat's title, opens the right
    chat at the right message, says who wrote it, and sorts by its time."""
    conversation = store.create_conversation("Lighthouse notes")
    other = store.create_conversation("Garden")
    asked = store.add_user_message(other.id, "Who keeps the lighthouse?")
    answer_id = store.begin_answer(other.id, "Tiny")
    store.finish_answer(answer_id, "A keeper.", FinishReason.STOP, GenerationStats())
    titles = {c.id: c for c in store.conversations()}

    hits = store.search("lighthouse")
    fields = [(h.conversation_id, h.conversation_title, h.message_id, h.role) for h in hits]
    assert fields == [
        (conversation.id, "Lighthouse notes", None, None),
        (other.id, "Garden", asked.id, "user"),
    ]
    assert hits[0].updated_at == titles[conversation.id].updated_at
    assert hits[1].updated_at == asked.created_at


def test_documents_come_back_for_every_message_past_a_batch(store: Store) -> None:
    """Promise: the documents of every message of a long chat are read back (the store
    asks SQLite for them 500 ids at a time), and only for messages that have some."""
    conversation = store.create_conversation()
    ids = [store.add_user_message(conversation.id, f"Question {n}").id for n in range(1203)]
    carrying = [ids[0], ids[499], ids[500], ids[1001], ids[1202]]
    for message_id in carrying:
        store.set_message_documents(message_id, {"files": [f"notes-{message_id}.txt"]})
    found = store.message_documents(ids)
    assert found == {m: {"files": [f"notes-{m}.txt"]} for m in carrying}
    assert store.message_documents(ids[1:499]) == {}


def test_the_store_is_usable_from_another_thread(store: Store) -> None:
    """Promise: answers are saved from the thread that generates them, not the one that
    opened the store (the window's): the store serialises its own access instead of
    refusing other threads."""
    saved: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            conversation = store.create_conversation("From a worker")
            saved.append(store.add_user_message(conversation.id, "Hello").id)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    assert errors == []
    assert [m.content for m in store.all_messages(store.conversations()[0].id)] == ["Hello"]
