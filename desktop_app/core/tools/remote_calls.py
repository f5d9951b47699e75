"""Tools through a remote (OpenAI-compatible) endpoint.

Requests carry ``tools``, ``tool_choice`` and ``response_format`` as the caller gave
them, and messages with their ``tool_calls`` / ``tool_call_id``. The endpoint's
streamed ``tool_calls`` deltas are gathered and handed back as Hermes ``<tool_call>``
text, the markup the local parser reads, so one parser serves every engine.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from desktop_app.core.tools.parsing import HERMES_CLOSE, HERMES_OPEN

if TYPE_CHECKING:
    from desktop_app.core.engine.base import ChatTurn, GenerationParams


def request_message(turn: ChatTurn) -> dict[str, Any]:
    message: dict[str, Any] = {"role": turn.role, "content": turn.content}
    if turn.tool_calls:
        message["tool_calls"] = [call.to_openai() for call in turn.tool_calls]
    if turn.role == "tool":
        message["tool_call_id"] = turn.tool_call_id
    return message


def request_options(params: GenerationParams) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if params.tools:
        options["tools"] = [tool.to_openai() for tool in params.tools]
        if params.tool_choice is not None:
            options["tool_choice"] = params.tool_choice
    if params.response_format is not None:
        options["response_format"] = params.response_format
    return options


class StreamedCalls:
    """Gathers ``tool_calls`` deltas by index (names and argument fragments)."""

    def __init__(self) -> None:
        self._calls: dict[int, dict[str, str]] = {}

    def feed(self, deltas: Any) -> None:
        if not isinstance(deltas, list):
            return
        for delta in deltas:
            if not isinstance(delta, dict):
                continue
            index = delta.get("index", len(self._calls))
            call = self._calls.setdefault(int(index), {"name": "", "arguments": ""})
            function = delta.get("function") or {}
            if isinstance(function, dict):
                call["name"] += str(function.get("name") or "")
                call["arguments"] += str(function.get("arguments") or "")

    def text(self) -> str:
        """The calls as ``<tool_call>`` blocks ("" when there were none)."""
        blocks = []
        for _, call in sorted(self._calls.items()):
            try:
                arguments = json.loads(call["arguments"]) if call["arguments"].strip() else {}
            except ValueError:
                arguments = {}
            body = json.dumps({"name": call["name"], "arguments": arguments}, ensure_ascii=False)
            blocks.append(f"{HERMES_OPEN}\n{body}\n{HERMES_CLOSE}")
        return "\n".join(blocks)
