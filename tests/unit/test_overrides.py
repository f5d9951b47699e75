"""Per-conversation overrides: stored with the conversation, read back leniently."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import GenerationParams


def test_overrides_round_trip_through_the_store(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "chats.sqlite3")
    try:
        chat = store.create_conversation(system_prompt="Translate.")
        mine = ChatOverrides("/models/qwen.gguf", "translator", {"temperature": 0.2, "top_k": 10})
        store.set_conversation_overrides(chat.id, mine.to_mapping())
        back = ChatOverrides.from_mapping(store.conversation_overrides(chat.id))
        assert back == mine
        params = back.params(GenerationParams(max_tokens=99))
        assert (params.temperature, params.top_k, params.max_tokens) == (0.2, 10, 99)
    finally:
        store.close()


def test_entries_that_no_longer_validate_are_ignored() -> None:
    data = {"model": 3, "sampling": {"temperature": 9, "top_p": 0.5, "mirostat": 1}}
    assert ChatOverrides.from_mapping(data) == ChatOverrides(sampling={"top_p": 0.5})
    assert ChatOverrides().to_mapping() == {}
