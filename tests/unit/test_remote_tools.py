"""A remote endpoint gets tools, tool_choice, response_format and tool messages as given,
and its streamed tool_calls come back as calls the parser reads."""

from __future__ import annotations

import json

import httpx

from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams, TextDelta
from desktop_app.core.tools.calls import ToolCall, ToolSpec
from desktop_app.core.tools.parsing import parse_tool_calls
from tests.unit.test_remote_engine import engine_for, sse

TOOL = ToolSpec("get_weather", "Weather.", {"type": "object", "properties": {}})
FORMAT = {"type": "json_object"}


def test_tools_pass_through_both_ways() -> None:
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        call = {"index": 0, "id": "c1", "type": "function"}
        chunks = [
            {"choices": [{"index": 0, "delta": {"tool_calls": [
                {**call, "function": {"name": "get_weather", "arguments": '{"ci'}}]},
                "finish_reason": None}]},
            {"choices": [{"index": 0, "delta": {"tool_calls": [
                {"index": 0, "function": {"arguments": 'ty": "Oslo"}'}}]},
                "finish_reason": None}]},
            {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
        ]  # fmt: skip
        return httpx.Response(
            200, content=sse(*chunks), headers={"content-type": "text/event-stream"}
        )

    turns = [
        ChatTurn("user", "Weather?"),
        ChatTurn("assistant", "", tool_calls=(ToolCall("get_weather", {"city": "Rome"}, "c0"),)),
        ChatTurn("tool", "sunny", tool_call_id="c0", name="get_weather"),
    ]
    params = GenerationParams(
        max_tokens=50, tools=(TOOL,), tool_choice="required", response_format=FORMAT
    )
    events = list(engine_for(handler).stream_chat(turns, params))
    assert isinstance(events[-1], Finished)
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    [call] = parse_tool_calls(text, ["get_weather"]).calls
    assert dict(call.arguments) == {"city": "Oslo"}
    body = seen[0]
    assert body["tools"] == [TOOL.to_openai()]
    assert body["tool_choice"] == "required"
    assert body["response_format"] == FORMAT
    assert body["messages"][1]["tool_calls"][0]["function"] == {
        "name": "get_weather",
        "arguments": '{"city": "Rome"}',
    }
    assert body["messages"][2] == {"role": "tool", "content": "sunny", "tool_call_id": "c0"}
