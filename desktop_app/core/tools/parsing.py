"""Finding tool calls in what a model wrote, in the formats models are trained on.

Formats read:

* Hermes / Qwen 2.5+ / many fine-tunes: ``<tool_call>{"name": ..., "arguments": {...}}
  </tool_call>``, one block per call, possibly after some text.
* Llama 3.1+ JSON tool calling: the whole answer is ``{"name": ..., "parameters": {...}}``
  (several joined by ``;``), optionally after ``<|python_tag|>``.
* Mistral: ``[TOOL_CALLS][{"name": ..., "arguments": {...}}, ...]``.

Llama's ``<|python_tag|>`` and Mistral's ``[TOOL_CALLS]`` are control tokens that the
engine shows as no text, so a bare JSON object or array of calls is read the same way.
Only calls to tools the request offered count: any other JSON stays the answer's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.tools.calls import ToolCall

HERMES_OPEN = "<tool_call>"
HERMES_CLOSE = "</tool_call>"
PYTHON_TAG = "<|python_tag|>"
MISTRAL_TAG = "[TOOL_CALLS]"
_LEADING_MARKERS = (HERMES_OPEN, PYTHON_TAG, MISTRAL_TAG, "{", "[")
_HERMES_BLOCK = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|\Z)", re.DOTALL)


@dataclass(frozen=True)
class ParsedAnswer:
    content: str
    calls: list[ToolCall] = field(default_factory=list)


def _call_from(data: Any, names: Collection[str]) -> ToolCall | None:
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("function"), dict):  # an OpenAI-shaped call written out
        data = data["function"]
    name = data.get("name")
    if not isinstance(name, str) or name not in names:
        return None
    arguments = data.get("arguments", data.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except ValueError:
            return None
    if not isinstance(arguments, dict):
        return None
    return ToolCall(name, arguments)


def _json_values(text: str) -> list[Any] | None:
    """The JSON values ``text`` consists of (joined by ``;`` or whitespace), else None."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    position = 0
    text = text.strip()
    while position < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError:
            return None
        values.append(value)
        while position < len(text) and (text[position].isspace() or text[position] == ";"):
            position += 1
    return values


def _calls_in(values: list[Any], names: Collection[str]) -> list[ToolCall] | None:
    items: list[Any] = []
    for value in values:
        items.extend(value if isinstance(value, list) else [value])
    calls = [_call_from(item, names) for item in items]
    if not calls or any(call is None for call in calls):
        return None
    return [call for call in calls if call is not None]


def parse_tool_calls(text: str, names: Collection[str]) -> ParsedAnswer:
    """Split an answer into its text and the calls it makes to the tools in ``names``."""
    if not names:
        return ParsedAnswer(text)
    if HERMES_OPEN in text:
        calls: list[ToolCall] = []
        for match in _HERMES_BLOCK.finditer(text):
            values = _json_values(match.group(1))
            found = _calls_in(values, names) if values else None
            if found is None:
                return ParsedAnswer(text)
            calls.extend(found)
        return ParsedAnswer(_HERMES_BLOCK.sub("", text).strip(), calls)
    body = text.strip()
    for tag in (PYTHON_TAG, MISTRAL_TAG):
        if body.startswith(tag):
            body = body[len(tag) :]
    if body.startswith(("{", "[")):
        values = _json_values(body)
        found = _calls_in(values, names) if values else None
        if found:
            return ParsedAnswer("", found)
    return ParsedAnswer(text)


class ToolCallStream:
    """Streams an answer's text while holding back what may be a tool call.

    ``feed`` returns the text that is certainly content; text that starts like a call
    (a marker, or a JSON value at the start of the answer) is held until ``finish``,
    which parses the whole answer.
    """

    def __init__(self, names: Collection[str]) -> None:
        self._names = names
        self._text: list[str] = []
        self._held = ""
        self._holding = False
        self._started = False
        self._emitted = 0

    def feed(self, text: str) -> str:
        self._text.append(text)
        if self._holding:
            return ""
        self._held += text
        if not self._started:
            lead = self._held.lstrip()
            if not lead:
                return ""
            if lead.startswith(_LEADING_MARKERS):
                self._holding = True
                return ""
            if any(marker.startswith(lead) for marker in _LEADING_MARKERS):
                return ""
            self._started = True
        index = self._held.find(HERMES_OPEN)
        if index >= 0:
            out, self._held, self._holding = self._held[:index], "", True
        else:
            keep = _partial_suffix(self._held, HERMES_OPEN)
            out = self._held[: len(self._held) - keep]
            self._held = self._held[len(self._held) - keep :]
        self._emitted += len(out)
        return out

    def finish(self) -> tuple[str, list[ToolCall]]:
        """The content not yet returned, and the calls the answer makes."""
        whole = "".join(self._text)
        parsed = parse_tool_calls(whole, self._names)
        if not parsed.calls:
            return whole[self._emitted :], []
        return ("" if self._emitted else parsed.content), parsed.calls


def _partial_suffix(text: str, marker: str) -> int:
    """Length of the longest end of ``text`` that is a proper start of ``marker``."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if text.endswith(marker[:size]):
            return size
    return 0
