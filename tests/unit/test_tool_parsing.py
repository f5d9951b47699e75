"""Tool calls read from the formats models write them in, whole and streamed."""

from __future__ import annotations

import pytest

from desktop_app.core.tools.parsing import ToolCallStream, parse_tool_calls

NAMES = ("get_weather", "calculator")


def test_hermes_blocks_after_text() -> None:
    text = (
        'Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n'
        '</tool_call>\n<tool_call>{"name": "calculator", "arguments": {"expression": "2+2"}}'
        "</tool_call>"
    )
    parsed = parse_tool_calls(text, NAMES)
    assert parsed.content == "Let me check."
    assert [(c.name, dict(c.arguments)) for c in parsed.calls] == [
        ("get_weather", {"city": "Paris"}),
        ("calculator", {"expression": "2+2"}),
    ]
    assert parsed.calls[0].id != parsed.calls[1].id


def test_llama3_json_with_parameters_and_python_tag() -> None:
    for text in (
        '{"name": "get_weather", "parameters": {"city": "Oslo"}}',
        '<|python_tag|>{"name": "get_weather", "parameters": {"city": "Oslo"}}',
        '{"name": "get_weather", "parameters": {"city": "Oslo"}}; '
        '{"name": "calculator", "parameters": {"expression": "1"}}',
    ):
        parsed = parse_tool_calls(text, NAMES)
        assert parsed.calls[0].name == "get_weather"
        assert dict(parsed.calls[0].arguments) == {"city": "Oslo"}
        assert parsed.content == ""


def test_mistral_tool_calls_array() -> None:
    text = '[TOOL_CALLS][{"name": "calculator", "arguments": {"expression": "6*7"}}]'
    parsed = parse_tool_calls(text, NAMES)
    assert [c.name for c in parsed.calls] == ["calculator"]
    bare = parse_tool_calls(
        '[{"name": "calculator", "arguments": "{\\"expression\\": \\"1\\"}"}]', NAMES
    )
    assert dict(bare.calls[0].arguments) == {"expression": "1"}


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "unknown_tool", "arguments": {}}',  # not offered: ordinary JSON
        '{"answer": 42}',
        "<tool_call>not json</tool_call>",
        "plain words",
    ],
)
def test_other_text_stays_content(text: str) -> None:
    parsed = parse_tool_calls(text, NAMES)
    assert parsed.calls == []
    assert parsed.content == text


def _stream(pieces: list[str]) -> tuple[str, list]:
    stream = ToolCallStream(NAMES)
    shown = "".join(stream.feed(piece) for piece in pieces)
    rest, calls = stream.finish()
    return shown + rest, calls


def test_stream_holds_back_a_call_and_shows_text() -> None:
    call = '<tool_call>{"name": "calculator", "arguments": {"expression": "1+1"}}</tool_call>'
    pieces = ["Sure, ", "<tool", "_call>", call[len("<tool_call>") :]]
    shown, calls = _stream(pieces)
    assert shown == "Sure, "
    assert [c.name for c in calls] == ["calculator"]


def test_stream_of_plain_text_loses_nothing() -> None:
    pieces = ["  Hello", " <to", "ol> is not a call", " {json} later"]
    shown, calls = _stream(pieces)
    assert shown == "".join(pieces)
    assert calls == []


def test_stream_of_json_that_is_not_a_call_comes_out_whole() -> None:
    shown, calls = _stream(['{"a"', ": 1}"])
    assert shown == '{"a": 1}'
    assert calls == []
