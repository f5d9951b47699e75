"""The API's ``response_format``, ``tools`` and ``tool_choice``, and tool messages.

Requests: ``response_format`` becomes a grammar (``core.structured``), ``tool_choice``
"required" or a named function becomes the grammar of a call (``core.tools.choice``),
``tools`` go to the chat template. Answers: the model's own tool-call markup becomes
OpenAI ``tool_calls`` with ``finish_reason: "tool_calls"``, whole or streamed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktop_app.core.engine.base import ChatTurn, GenerationParams
from desktop_app.core.structured.schema import JSON_OBJECT_SCHEMA, SchemaError, compile_schema
from desktop_app.core.tools.calls import (
    ToolCall,
    ToolSpec,
    ToolSpecError,
    call_from_openai,
    tool_from_openai,
)
from desktop_app.core.tools.choice import call_grammar, forced_tools
from desktop_app.core.tools.parsing import ToolCallStream, parse_tool_calls
from desktop_app.server.errors import ApiError, invalid


def _schema_error(param: str, exc: SchemaError) -> ApiError:
    return invalid(param, str(exc), "unsupported_schema")


def _response_format(value: Any) -> tuple[str | None, Any]:
    """The grammar for a ``response_format`` (None for plain text)."""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise invalid("response_format", "'response_format' must be an object with a 'type'.")
    kind = value["type"]
    if kind == "text":
        return None, None
    if kind == "json_object":
        return compile_schema(JSON_OBJECT_SCHEMA).grammar, value
    if kind != "json_schema":
        raise invalid(
            "response_format.type",
            f"Unsupported response_format type {kind!r}; use text, json_object or json_schema.",
        )
    spec = value.get("json_schema")
    if not isinstance(spec, dict):
        raise invalid("response_format.json_schema", "'json_schema' must be an object.")
    name = spec.get("name")
    if name is not None and not isinstance(name, str):
        raise invalid("response_format.json_schema.name", "'name' must be a string.")
    strict = spec.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise invalid("response_format.json_schema.strict", "'strict' must be true or false.")
    schema = spec.get("schema", {"type": "object"})
    try:
        return compile_schema(schema).grammar, value
    except SchemaError as exc:
        raise _schema_error("response_format.json_schema.schema", exc) from exc


def _tools(value: Any) -> tuple[ToolSpec, ...]:
    if not isinstance(value, list):
        raise invalid("tools", "'tools' must be a list of function tools.")
    tools = []
    for index, item in enumerate(value):
        try:
            tools.append(tool_from_openai(item, f"tools[{index}]"))
        except ToolSpecError as exc:
            raise invalid(f"tools[{index}]", str(exc)) from exc
    names = [tool.name for tool in tools]
    if len(set(names)) != len(names):
        raise invalid("tools", "Each tool needs a different name.")
    return tuple(tools)


def _chosen(choice: Any, tools: tuple[ToolSpec, ...]) -> tuple[ToolSpec, ...] | None:
    try:
        return forced_tools(choice, tools)
    except ValueError as exc:
        raise invalid("tool_choice", str(exc)) from exc


def with_extensions(
    body: dict[str, Any], params: GenerationParams, chat: bool
) -> tuple[GenerationParams, tuple[str, ...]]:
    """``params`` with the request's response format, tools and tool choice, and the
    names of the tools whose calls are to be read from the answer."""
    grammar, response_format = None, None
    if body.get("response_format") is not None:
        grammar, response_format = _response_format(body["response_format"])
    tools: tuple[ToolSpec, ...] = ()
    choice = body.get("tool_choice")
    if chat and body.get("tools") is not None:
        tools = _tools(body["tools"])
    elif choice is not None and choice != "none":
        raise invalid("tool_choice", "'tool_choice' needs 'tools'.")
    forced = _chosen(choice, tools)
    if forced is not None:
        if grammar is not None:
            raise invalid(
                "tool_choice",
                "A forced tool call and a response_format cannot both shape the answer.",
            )
        try:
            grammar = call_grammar(forced)
        except SchemaError as exc:
            raise _schema_error("tools", exc) from exc
    shown = () if choice == "none" else tools
    params = replace(
        params,
        grammar=grammar,
        response_format=response_format,
        tools=shown,
        tool_choice=choice,
    )
    return params, tuple(tool.name for tool in shown)


def turn_from_message(
    role: str, content: str, message: dict[str, Any], index: int, turns: list[ChatTurn]
) -> ChatTurn:
    """A chat turn, with an assistant's ``tool_calls`` or a tool result's call id."""
    if role == "assistant" and message.get("tool_calls"):
        raw = message["tool_calls"]
        if not isinstance(raw, list):
            raise invalid(f"messages[{index}].tool_calls", "'tool_calls' must be a list.")
        try:
            calls = tuple(call_from_openai(item) for item in raw)
        except ToolSpecError as exc:
            raise invalid(f"messages[{index}].tool_calls", str(exc)) from exc
        return ChatTurn(role, content, tool_calls=calls)
    if role == "tool":
        call_id = message.get("tool_call_id")
        if not isinstance(call_id, str) or not call_id:
            raise invalid(
                f"messages[{index}].tool_call_id", "A tool message needs its 'tool_call_id'."
            )
        given = message.get("name")
        name = given if isinstance(given, str) else ""
        for turn in reversed(turns):
            for call in turn.tool_calls:
                if call.id == call_id:
                    name = name or call.name
        return ChatTurn("tool", content, tool_call_id=call_id, name=name)
    return ChatTurn(role, content)


def answer_parts(text: str, names: tuple[str, ...]) -> tuple[str | None, list[ToolCall]]:
    """A whole answer's content (None when it only calls) and its tool calls."""
    parsed = parse_tool_calls(text, names)
    if not parsed.calls:
        return text, []
    return parsed.content or None, parsed.calls


def stream_filter(names: tuple[str, ...]) -> ToolCallStream | None:
    return ToolCallStream(names) if names else None


def tool_call_deltas(calls: list[ToolCall]) -> list[dict[str, Any]]:
    """Streamed ``tool_calls`` entries: each call whole, with its index."""
    return [{"index": i, **call.to_openai()} for i, call in enumerate(calls)]
