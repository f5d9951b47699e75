"""``tool_choice`` as a grammar: "required" and a named function always yield a call.

The call is constrained to the JSON object ``{"name": ..., "arguments": {...}}`` whose
arguments follow the tool's parameter schema; the parser reads that shape in every
format (it is Llama 3.1's, and the body of a Hermes ``<tool_call>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop_app.core.structured.schema import SchemaError, compile_schema
from desktop_app.core.tools.calls import ToolSpec


def call_schema(tools: Sequence[ToolSpec]) -> dict[str, Any]:
    """A JSON schema matching one call to any of ``tools``."""
    options = [
        {
            "type": "object",
            "properties": {
                "name": {"const": tool.name},
                "arguments": dict(tool.parameters) or {"type": "object"},
            },
            "required": ["name", "arguments"],
            "additionalProperties": False,
        }
        for tool in tools
    ]
    return options[0] if len(options) == 1 else {"anyOf": options}


def call_grammar(tools: Sequence[ToolSpec]) -> str:
    """The grammar of one call to one of ``tools``; ``SchemaError`` names what a tool's
    parameters use that a grammar cannot express."""
    for tool in tools:
        try:
            compile_schema(dict(tool.parameters))
        except SchemaError as exc:
            raise SchemaError(
                f"The parameters of tool '{tool.name}': {exc}", exc.keyword, exc.path
            ) from exc
    return compile_schema(call_schema(tools)).grammar


def forced_tools(choice: Any, tools: Sequence[ToolSpec]) -> tuple[ToolSpec, ...] | None:
    """The tools a ``tool_choice`` forces a call to (None: the model decides or must not
    call); ``ValueError`` for a choice that names nothing offered."""
    if choice is None or choice in ("auto", "none"):
        return None
    if choice == "required":
        if not tools:
            raise ValueError("tool_choice 'required' needs tools.")
        return tuple(tools)
    if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        name = choice["function"].get("name")
        match = tuple(tool for tool in tools if tool.name == name)
        if not match:
            raise ValueError(f"tool_choice names {name!r}, which is not among the tools.")
        return match
    raise ValueError(
        "'tool_choice' must be 'auto', 'none', 'required' or "
        '{"type": "function", "function": {"name": ...}}.'
    )
