"""A conversation's own settings: the model, the preset and sampling values it uses.

They are stored as a JSON mapping with the conversation (``Store.conversation_overrides``)
and read leniently: an entry that no longer validates (an older version, a hand-edited
database) is ignored rather than breaking the chat. The system prompt is the
conversation's own column and is not repeated here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.presets import SAMPLING_KEYS
from desktop_app.core.setting_types import SettingError
from desktop_app.core.settings import DECLARATIONS


@dataclass(frozen=True)
class ChatOverrides:
    model: str = ""
    """A model file this chat uses instead of the loaded one; empty: any."""
    preset: str = ""
    """The preset the chat was started with (for display)."""
    sampling: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ChatOverrides:
        model = data.get("model")
        preset = data.get("preset")
        sampling: dict[str, Any] = {}
        raw = data.get("sampling")
        if isinstance(raw, Mapping):
            for key, value in raw.items():
                if key in SAMPLING_KEYS:
                    declared = f"generation.{key}"
                    try:
                        sampling[key] = DECLARATIONS[declared].type.check(declared, value)
                    except SettingError:
                        continue
        return cls(
            model if isinstance(model, str) else "",
            preset if isinstance(preset, str) else "",
            sampling,
        )

    def to_mapping(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.model:
            data["model"] = self.model
        if self.preset:
            data["preset"] = self.preset
        if self.sampling:
            data["sampling"] = dict(self.sampling)
        return data

    def params(self, base: GenerationParams) -> GenerationParams:
        """``base`` (the defaults) with this chat's sampling values."""
        return replace(base, **dict(self.sampling))
