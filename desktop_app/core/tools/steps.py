"""Tool steps stored with the answer they belong to, so a conversation shows its calls
again after a restart.

They go in the message's documents (the same JSON column that holds an answer's
sources), under their own key, merged with what else is there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.core.chats.store import Store
    from desktop_app.core.tools.loop import ToolStep

STEPS_KEY = "tool_steps"


@dataclass(frozen=True)
class StoredStep:
    """One call as the conversation keeps it."""

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    status: str = "done"
    result: str = ""
    seconds: float = 0.0

    @property
    def arguments_json(self) -> str:
        return json.dumps(dict(self.arguments), ensure_ascii=False)

    @classmethod
    def from_step(cls, step: ToolStep) -> StoredStep:
        return cls(
            step.call.name, dict(step.call.arguments), step.status, step.result, step.seconds
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "arguments": dict(self.arguments),
            "status": self.status,
            "result": self.result,
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoredStep:
        arguments = data.get("arguments")
        seconds = data.get("seconds")
        return cls(
            str(data.get("name", "")),
            arguments if isinstance(arguments, dict) else {},
            str(data.get("status", "")),
            str(data.get("result", "")),
            float(seconds) if isinstance(seconds, (int, float)) else 0.0,
        )


def save_steps(store: Store, message_id: int, steps: Sequence[StoredStep]) -> None:
    """Keep ``steps`` with message ``message_id`` (replacing its earlier steps)."""
    documents = store.message_documents([message_id]).get(message_id, {})
    documents[STEPS_KEY] = [step.to_dict() for step in steps]
    store.set_message_documents(message_id, documents)


def message_steps(store: Store, message_id: int) -> list[StoredStep]:
    """The steps kept with message ``message_id`` (none: an empty list)."""
    documents = store.message_documents([message_id]).get(message_id, {})
    items = documents.get(STEPS_KEY)
    if not isinstance(items, list):
        return []
    return [StoredStep.from_dict(item) for item in items if isinstance(item, dict)]
