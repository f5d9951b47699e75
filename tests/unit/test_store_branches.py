"""The message tree: edits and regenerations are sibling versions; one branch is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _answer(store: Store, conversation_id: int, text: str, parent: int | None = None) -> int:
    answer_id = (
        store.begin_answer(conversation_id, "Tiny")
        if parent is None
        else store.begin_answer(conversation_id, "Tiny", parent_id=parent)
    )
    store.finish_answer(answer_id, text, FinishReason.STOP, GenerationStats())
    return answer_id


def _contents(store: Store, conversation_id: int) -> list[str]:
    return [m.content for m in store.messages(conversation_id)]


def test_regenerating_adds_a_sibling_answer_and_shows_it(store: Store) -> None:
    conversation = store.create_conversation()
    question = store.add_user_message(conversation.id, "Name a colour")
    first = _answer(store, conversation.id, "Red")
    second = _answer(store, conversation.id, "Blue", parent=question.id)

    assert _contents(store, conversation.id) == ["Name a colour", "Blue"]
    shown = store.messages(conversation.id)[1]
    assert (shown.id, shown.sibling_index, shown.sibling_count) == (second, 1, 2)
    assert store.sibling(second, -1) == first
    assert store.sibling(second, +1) is None

    store.switch_to(first)
    assert _contents(store, conversation.id) == ["Name a colour", "Red"]
    assert store.messages(conversation.id)[1].sibling_index == 0


def test_editing_a_question_keeps_the_old_branch_with_its_answers(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_user_message(conversation.id, "2+2?")
    _answer(store, conversation.id, "4")
    old = store.add_user_message(conversation.id, "times 3?")
    _answer(store, conversation.id, "12")

    edited = store.add_user_message(conversation.id, "times 5?", parent_id=old.parent_id)
    _answer(store, conversation.id, "20")
    assert _contents(store, conversation.id) == ["2+2?", "4", "times 5?", "20"]
    assert [(m.sibling_index, m.sibling_count) for m in store.messages(conversation.id)] == [
        (0, 1),
        (0, 1),
        (1, 2),
        (0, 1),
    ]

    store.switch_to(old.id)  # the old question's branch comes back with its answer
    assert _contents(store, conversation.id) == ["2+2?", "4", "times 3?", "12"]
    store.switch_to(edited.id)
    assert _contents(store, conversation.id) == ["2+2?", "4", "times 5?", "20"]


def test_editing_the_first_question_makes_a_second_root(store: Store) -> None:
    conversation = store.create_conversation()
    first = store.add_user_message(conversation.id, "Hi")
    _answer(store, conversation.id, "Hello")
    store.add_user_message(conversation.id, "Hey", parent_id=None)
    assert _contents(store, conversation.id) == ["Hey"]
    assert store.messages(conversation.id)[0].sibling_count == 2
    assert store.sibling(first.id, 1) == store.messages(conversation.id)[0].id


def test_deleting_a_shown_version_shows_the_newest_remaining_one(store: Store) -> None:
    conversation = store.create_conversation()
    question = store.add_user_message(conversation.id, "Q")
    first = _answer(store, conversation.id, "A1")
    second = _answer(store, conversation.id, "A2", parent=question.id)
    store.delete_message(second)
    assert _contents(store, conversation.id) == ["Q", "A1"]
    store.delete_message(first)
    assert _contents(store, conversation.id) == ["Q"]
    store.delete_message(question.id)
    assert store.messages(conversation.id) == []
    assert store.add_user_message(conversation.id, "again").parent_id is None


def test_deleting_a_message_deletes_what_follows_it_even_on_long_branches(store: Store) -> None:
    conversation = store.create_conversation()
    first = store.add_user_message(conversation.id, "start")
    for number in range(1200):  # deeper than SQLite's 1000-level cascade limit
        store.add_user_message(conversation.id, f"message {number}")
    store.delete_message(first.id)
    assert store.messages(conversation.id) == []
    assert store.integrity_check() == "ok"


def test_a_reopened_answer_streams_again_and_keeps_its_text(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_user_message(conversation.id, "Tell a story")
    answer = store.begin_answer(conversation.id, "Tiny")
    store.update_answer(answer, "Once upon")
    store.mark_interrupted_answers(stale_after_s=0)
    reopened = store.reopen_answer(answer)
    assert reopened.is_streaming and reopened.content == "Once upon"
    store.finish_answer(answer, "Once upon a time.", FinishReason.STOP, GenerationStats())
    assert _contents(store, conversation.id)[-1] == "Once upon a time."


def test_conversation_settings_rename_and_pinning(store: Store) -> None:
    conversation = store.create_conversation()
    assert store.conversation_overrides(conversation.id) == {}
    overrides = {"model": "gemma.gguf", "temperature": 0.2, "system_prompt": "简洁"}
    store.set_conversation_overrides(conversation.id, overrides)
    assert store.conversation_overrides(conversation.id) == overrides
    store.set_conversation_overrides(conversation.id, {})
    assert store.conversation_overrides(conversation.id) == {}
    with pytest.raises(KeyError):
        store.set_conversation_overrides(999, {"model": "x"})

    store.rename_conversation(conversation.id, "  My   plans ")
    store.set_pinned(conversation.id, True)
    saved = store.conversation(conversation.id)
    assert saved is not None and (saved.title, saved.pinned) == ("My plans", True)
    with pytest.raises(ValueError):
        store.rename_conversation(conversation.id, "   ")


def test_switching_to_or_deleting_a_missing_message_raises(store: Store) -> None:
    with pytest.raises(KeyError, match="No message with id 999"):
        store.switch_to(999)
    with pytest.raises(KeyError, match="No message with id 999"):
        store.delete_message(999)
