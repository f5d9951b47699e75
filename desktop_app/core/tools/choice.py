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
