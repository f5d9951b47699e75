"""Tool definitions and tool calls as plain values, in the OpenAI shapes.

A tool is described to the model (and the API) as ``{"type": "function", "function":
{"name", "description", "parameters"}}``; a call the model makes is an id, a function
name and its arguments (a JSON object). These values travel between the parser, the
engine's prompt, the server and the tool loop, so they stay small and immutable.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class ToolSpecError(ValueError):
    """A tool definition that cannot be used; the message names what is wrong."""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )

    def to_openai(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": dict(self.parameters),
            },
        }


def tool_from_openai(data: Any, where: str = "tools") -> ToolSpec:
    """Validate one OpenAI tool definition; raises ``ToolSpecError`` naming ``where``."""
    if not isinstance(data, dict) or data.get("type", "function") != "function":
        raise ToolSpecError(f"{where} must be an object with type 'function'.")
    function = data.get("function")
    if not isinstance(function, dict):
        raise ToolSpecError(f"{where}.function must be an object.")
    name = function.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ToolSpecError(
            f"{where}.function.name must be 1-64 letters, digits, '_', '.' or '-', not {name!r}."
        )
    description = function.get("description") or ""
    if not isinstance(description, str):
        raise ToolSpecError(f"{where}.function.description must be a string.")
    parameters = function.get("parameters")
    if parameters is None:
        parameters = {"type": "object", "properties": {}}
    if not isinstance(parameters, dict):
        raise ToolSpecError(f"{where}.function.parameters must be a JSON schema object.")
    return ToolSpec(name, description, parameters)


def new_call_id() -> str:
    return "call_" + uuid.uuid4().hex[:24]


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: Mapping[str, Any]
    id: str = field(default_factory=new_call_id)

    @property
    def arguments_json(self) -> str:
        return json.dumps(dict(self.arguments), ensure_ascii=False)

    def to_openai(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments_json},
        }


def call_from_openai(data: Any) -> ToolCall:
    """A call from an OpenAI ``tool_calls`` entry (arguments as a JSON string or object)."""
    if not isinstance(data, dict) or not isinstance(data.get("function"), dict):
        raise ToolSpecError("a tool call must be an object with a 'function' object")
    function = data["function"]
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise ToolSpecError("a tool call needs a function name")
    arguments = function.get("arguments") or {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except ValueError as exc:
            raise ToolSpecError(f"the arguments of {name} are not valid JSON ({exc})") from exc
    if not isinstance(arguments, dict):
        raise ToolSpecError(f"the arguments of {name} must be a JSON object")
    call_id = data.get("id")
    return ToolCall(
        name, arguments, call_id if isinstance(call_id, str) and call_id else new_call_id()
    )
