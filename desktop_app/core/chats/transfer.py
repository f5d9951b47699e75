"""What export, import and the store share: the file format's name and version, and a
conversation as read from a file (checked by ``importer``, written by ``Store``).

Kept below all three so that none of them imports another for these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.chats.model import FinishReason, GenerationStats, Role

EXPORT_FORMAT = "hearth.conversation"
EXPORT_ALL_FORMAT = "hearth.conversations"
EXPORT_VERSION = 2


@dataclass(frozen=True)
class ImportedMessage:
    number: int
    parent: int | None
    role: Role
    content: str
    created_at: float
    model: str | None = None
    finish_reason: FinishReason | None = None
    stats: GenerationStats | None = None
    documents: dict[str, Any] | None = None
    """Attached files or sources (see core/documents/attachments.py), as exported."""


@dataclass(frozen=True)
class ImportedConversation:
    title: str
    system_prompt: str
    created_at: float
    updated_at: float
    pinned: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    current: int | None = None
    """The number of the message that ends the branch on screen."""
    messages: tuple[ImportedMessage, ...] = ()
