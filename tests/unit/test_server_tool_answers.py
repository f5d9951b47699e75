"""Tool calls over the OpenAI API of ``hearth serve``, field by field, without a model.

An agent framework reads ``tool_calls`` and ``finish_reason: "tool_calls"`` to decide
whether to run a tool; if the markup the model wrote reached it as plain text, or the
finish said "stop", it would answer the user with raw ``<tool_call>`` text instead. The
app runs over a scripted runner that "writes" a Hermes-style call; each test names the
promise it guards. Found by mutation testing (``benchmarks/mutation.py server``).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams, TextDelta
from desktop_app.core.tools.calls import ToolCall
from desktop_app.server.app import ServerConfig, _Api, _Shape
from desktop_app.server.engine_thread import JOB_STARTED, Job, JobEvent
from tests.unit.test_server_shapes import (
    MODEL,
    STATS,
    TIMINGS,
    USAGE,
    ScriptedRunner,
    _client,
    _events,
    _without_id_and_time,
)

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The weather in a city.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]
ASK = {"messages": [{"role": "user", "content": "Weather in Paris?"}], "tools": TOOLS}
CALLING = ("Let me look.", "<tool_call>", '{"name": "get_weather", ', '"arguments": ')
CALLING += ('{"city": "Paris"}}', "</tool_call>")
CALL = {"type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}


def _runner() -> ScriptedRunner:
    return ScriptedRunner(Finished(FinishReason.STOP, STATS), pieces=CALLING)


def _without_call_ids(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for call in calls:
        assert call.pop("id").startswith("call_")
    return calls


def test_a_whole_answer_that_calls_a_tool_is_a_tool_calls_message() -> None:
    """Promise: when the model calls an offered tool, the chat completion carries the
    call in ``message.tool_calls`` (name and JSON arguments), the text before it as the
    content, and ``finish_reason: "tool_calls"`` — not the markup as text."""
    runner = _runner()
    with _client(runner) as client:
        answer = _without_id_and_time(
            client.post("/v1/chat/completions", json=ASK).json(), "chatcmpl"
        )
    message = answer["choices"][0]["message"]
    assert _without_call_ids(message.pop("tool_calls")) == [CALL]
    assert answer == {
        "object": "chat.completion",
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Let me look."},
                "finish_reason": "tool_calls",
            }
        ],
        "usage": USAGE,
        "timings": TIMINGS,
    }


def test_a_streamed_tool_call_is_one_tool_calls_delta_then_finish_tool_calls() -> None:
    """Promise: streamed, the call arrives as one ``delta.tool_calls`` entry with its
    index, none of its markup arrives as content, and the last chunk finishes with
    "tool_calls" (then the usage when asked, then [DONE])."""
    runner = _runner()
    body = {**ASK, "stream": True, "stream_options": {"include_usage": True}}
    with _client(runner) as client:
        events = _events(client.post("/v1/chat/completions", json=body))
    assert events[-1] == "[DONE]"
    chunks = [_without_id_and_time(e, "chatcmpl") for e in events[:-1]]
    deltas = [c["choices"][0]["delta"] for c in chunks[:-1]]
    assert deltas[0] == {"role": "assistant", "content": ""}
    assert "".join(d.get("content", "") for d in deltas) == "Let me look."
    calls = [d["tool_calls"] for d in deltas if "tool_calls" in d]
    assert len(calls) == 1
    assert [call.pop("index") for call in calls[0]] == [0]
    assert _without_call_ids(calls[0]) == [CALL]
    base = {"object": "chat.completion.chunk", "model": MODEL}
    assert chunks[-2] == {
        **base,
        "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}],
        "timings": TIMINGS,
    }
    assert chunks[-1] == {**base, "choices": [], "usage": USAGE}


def test_the_offered_tools_reach_the_engine_and_tool_choice_none_keeps_the_text() -> None:
    """Promise: the request's tools go to the engine (the chat template shows them to the
    model); with ``tool_choice: "none"`` the model is shown none and whatever it writes
    stays text, finishing with "stop"."""
    runner = _runner()
    with _client(runner) as client:
        client.post("/v1/chat/completions", json=ASK)
        refused = client.post("/v1/chat/completions", json={**ASK, "tool_choice": "none"})
    offered, hidden = runner.jobs
    assert [tool.name for tool in offered.params.tools] == ["get_weather"]
    assert hidden.params.tools == ()
    choice = refused.json()["choices"][0]
    assert choice == {
        "index": 0,
        "message": {"role": "assistant", "content": "".join(CALLING)},
        "finish_reason": "stop",
    }


def test_a_call_to_a_tool_not_offered_stays_text() -> None:
    """Promise: only calls to tools the request offered become ``tool_calls``; without
    tools, the same answer is plain content that finishes with "stop", streamed or not."""
    runner = _runner()
    plain = {"messages": ASK["messages"]}
    with _client(runner) as client:
        whole = client.post("/v1/chat/completions", json=plain).json()
        streamed = _events(client.post("/v1/chat/completions", json={**plain, "stream": True}))
    assert whole["choices"][0]["message"] == {"role": "assistant", "content": "".join(CALLING)}
    assert whole["choices"][0]["finish_reason"] == "stop"
    deltas = [e["choices"][0]["delta"] for e in streamed[:-1]]
    assert "".join(d.get("content", "") for d in deltas) == "".join(CALLING)
    assert not any("tool_calls" in d for d in deltas)
    assert streamed[-2]["choices"][0]["finish_reason"] == "stop"


def test_earlier_calls_and_their_results_reach_the_engine_as_turns() -> None:
    """Promise: an assistant message's ``tool_calls`` and a tool message's result reach
    the engine as the turns the chat template renders; a result without a ``name`` is
    named after the call it answers."""
    runner = _runner()
    arguments = json.dumps({"city": "Paris"})
    called = {"id": "call_1", "type": "function"}
    called["function"] = {"name": "get_weather", "arguments": arguments}  # type: ignore[assignment]
    messages = [
        *ASK["messages"],
        {"role": "assistant", "content": None, "tool_calls": [called]},
        {"role": "tool", "tool_call_id": "call_1", "content": "18 °C"},
    ]
    with _client(runner) as client:
        response = client.post("/v1/chat/completions", json={**ASK, "messages": messages})
    assert response.status_code == 200
    (job,) = runner.jobs
    assert job.turns == [
        ChatTurn("user", "Weather in Paris?"),
        ChatTurn(
            "assistant", "", tool_calls=(ToolCall("get_weather", {"city": "Paris"}, "call_1"),)
        ),
        ChatTurn("tool", "18 °C", tool_call_id="call_1", name="get_weather"),
    ]


def test_a_text_completion_shows_the_engine_no_tools() -> None:
    """Promise: /v1/completions takes no tools (the prompt is the model's whole input):
    a ``tools`` field there reaches the engine as no tools, and the answer stays text."""
    runner = _runner()
    with _client(runner) as client:
        answer = client.post("/v1/completions", json={"prompt": "Hi", "tools": TOOLS}).json()
    (job,) = runner.jobs
    assert job.params.tools == ()
    assert answer["choices"][0]["text"] == "".join(CALLING)
    assert answer["choices"][0]["finish_reason"] == "stop"


def test_a_streamed_text_completion_sends_its_usage_when_asked() -> None:
    """Promise: a streamed /v1/completions with ``stream_options.include_usage`` ends with
    a usage chunk (no choices, the token counts) before [DONE], as OpenAI's does."""
    runner = ScriptedRunner()
    body = {"prompt": "Hi", "stream": True, "stream_options": {"include_usage": True}}
    with _client(runner) as client:
        events = _events(client.post("/v1/completions", json=body))
    assert events[-1] == "[DONE]"
    chunks = [_without_id_and_time(e, "cmpl") for e in events[:-1]]
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1] == {
        "object": "text_completion",
        "model": MODEL,
        "choices": [],
        "usage": USAGE,
    }


def test_streamed_text_is_sent_as_it_comes_not_held_to_the_end() -> None:
    """Promise: a streamed answer reaches the client piece by piece as the model writes
    it: the text that has arrived is sent at once, before the answer has finished (the
    stream is driven by hand here, since the test client only returns whole bodies)."""
    runner = ScriptedRunner()
    api = _Api(runner, ServerConfig(model_id=MODEL, model_path=Path(f"/models/{MODEL}.gguf")))
    job = Job(GenerationParams(), sink=runner.jobs.append)

    async def run() -> tuple[list[str], list[str]]:
        events: asyncio.Queue[JobEvent] = asyncio.Queue()
        stream = api.stream(events, job, _Shape(True, MODEL, "chatcmpl-1", job), False)
        for event in (JOB_STARTED, TextDelta("Hel", 1), TextDelta("lo", 2)):
            events.put_nowait(event)
        early = [await anext(stream), await anext(stream)]
        events.put_nowait(TextDelta(" there", 3))
        events.put_nowait(Finished(FinishReason.STOP, STATS))
        return early, [line async for line in stream]

    early, rest = asyncio.run(run())
    payloads = [json.loads(line.removeprefix("data: ")) for line in early]
    assert [p["choices"][0]["delta"] for p in payloads] == [
        {"role": "assistant", "content": ""},
        {"content": "Hello"},
    ]
    assert json.loads(rest[0].removeprefix("data: "))["choices"][0]["delta"] == {
        "content": " there"
    }
    assert rest[-1] == "data: [DONE]\n\n"
