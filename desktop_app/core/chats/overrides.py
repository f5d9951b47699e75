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
    response_schema: Mapping[str, Any] | None = None
    """A JSON schema every answer in this chat must follow (from a preset, or the CLI)."""
    tools: tuple[str, ...] | None = None
    """The tools this chat may call (built-in short names, ``mcp:NAME`` for a server);
    None until the chat or its preset chose (then the tools settings' defaults apply)."""

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
        schema = data.get("response_schema")
        tools = data.get("tools")
        return cls(
            model if isinstance(model, str) else "",
            preset if isinstance(preset, str) else "",
            sampling,
            schema if isinstance(schema, Mapping) and _usable(schema) else None,
            tuple(t for t in tools if isinstance(t, str)) if isinstance(tools, list) else None,
        )

    def to_mapping(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.model:
            data["model"] = self.model
        if self.preset:
            data["preset"] = self.preset
        if self.sampling:
            data["sampling"] = dict(self.sampling)
        if self.response_schema is not None:
            data["response_schema"] = dict(self.response_schema)
        if self.tools is not None:
            data["tools"] = list(self.tools)
        return data

    def params(self, base: GenerationParams) -> GenerationParams:
        """``base`` (the defaults) with this chat's sampling values and answer schema."""
        params = replace(base, **dict(self.sampling))
        if self.response_schema is None:
            return params
        from desktop_app.core.structured.apply import with_schema

        return with_schema(params, dict(self.response_schema), self.preset or "chat")


def _usable(schema: Mapping[str, Any]) -> bool:
    from desktop_app.core.structured.schema import SchemaError, check_schema

    try:
        check_schema(dict(schema))
    except SchemaError:
        return False
    return True
