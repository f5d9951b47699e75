"""Showing tools to a model through its chat template.

A template that knows tools (it reads the ``tools`` variable, as Qwen's, Llama 3.1's,
Mistral's and Hermes' do) gets them that way, with assistant ``tool_calls`` and ``tool``
messages as Hugging Face templates expect them. A template that does not (or a
built-in fallback format) gets the Hermes convention written into the conversation:
the tool list and how to call in the system message, calls as ``<tool_call>`` blocks
in the assistant's text, and results as ``<tool_response>`` blocks in a user turn.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from desktop_app.core.tools.calls import ToolSpec
from desktop_app.core.tools.parsing import HERMES_CLOSE, HERMES_OPEN

if TYPE_CHECKING:
    from desktop_app.core.engine.base import ChatTurn

_TOOLS_VARIABLE = re.compile(r"\btools\b")


def template_supports_tools(template: str) -> bool:
    """Whether a chat template reads the ``tools`` variable."""
    return bool(_TOOLS_VARIABLE.search(template))


def tool_instructions(tools: Sequence[ToolSpec]) -> str:
    listed = "\n".join(json.dumps(tool.to_openai(), ensure_ascii=False) for tool in tools)
    return (
        "You may call functions to help answer. The functions you can call are listed "
        f"in <tools></tools>:\n<tools>\n{listed}\n</tools>\n"
        "To call one, answer with a JSON object inside <tool_call></tool_call> tags:\n"
        f'{HERMES_OPEN}\n{{"name": <function name>, "arguments": <arguments object>}}\n'
        f"{HERMES_CLOSE}\nThe results come back in <tool_response></tool_response> tags."
    )


def _native(turn: ChatTurn) -> dict[str, Any]:
    message: dict[str, Any] = {"role": turn.role, "content": turn.content}
    if turn.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": dict(call.arguments)},
            }
            for call in turn.tool_calls
        ]
    if turn.role == "tool":
        message["tool_call_id"] = turn.tool_call_id
        message["name"] = turn.name
    return message


def template_messages(
    turns: Sequence[ChatTurn], tools: Sequence[ToolSpec], native: bool
) -> list[dict[str, Any]]:
    """The ``messages`` a template renders for ``turns`` (see the module doc)."""
    if native:
        return [_native(turn) for turn in turns]
    messages: list[dict[str, Any]] = []
    for turn in turns:
        content = turn.content
        role = turn.role
        if turn.tool_calls:
            blocks = "\n".join(
                f'{HERMES_OPEN}\n{{"name": {json.dumps(call.name)}, '
                f'"arguments": {call.arguments_json}}}\n{HERMES_CLOSE}'
                for call in turn.tool_calls
            )
            content = f"{content}\n{blocks}" if content else blocks
        if role == "tool":
            role, content = "user", f"<tool_response>\n{content}\n</tool_response>"
            if messages and messages[-1]["role"] == "user" and messages[-1].get("tool"):
                messages[-1]["content"] += "\n" + content
                continue
            messages.append({"role": role, "content": content, "tool": True})
            continue
        messages.append({"role": role, "content": content})
    if tools:
        instructions = tool_instructions(tools)
        if messages and messages[0]["role"] == "system":
            base = messages[0]["content"]
            messages[0] = {
                "role": "system",
                "content": f"{base}\n\n{instructions}" if base else instructions,
            }
        else:
            messages.insert(0, {"role": "system", "content": instructions})
    return [{k: v for k, v in message.items() if k != "tool"} for message in messages]
