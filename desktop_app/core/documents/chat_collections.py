"""Which collections a new chat answers from: those its preset turns on."""

from __future__ import annotations

from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.presets import Preset


def apply_preset_collections(
    index: DocumentIndex, conversation_id: int, preset: Preset | None
) -> list[str]:
    """Turn on for a chat the collections ``preset`` names that exist, unless the chat
    already has collections chosen; returns the names turned on."""
    if preset is None or not preset.collections or index.chat_collections(conversation_id):
        return []
    existing = {collection.name for collection in index.collections()}
    names = [name for name in preset.collections if name in existing]
    if names:
        index.set_chat_collections(conversation_id, names)
    return names
