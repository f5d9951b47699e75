"""OpenAI-style request parsing without a server: what each field becomes, and the
error (status, param, message) a client gets for each kind of bad value."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine.base import ChatTurn, GenerationParams
from desktop_app.server import protocol
from desktop_app.server.errors import ApiError
from desktop_app.server.protocol import parse_chat, parse_completion

HELLO = [{"role": "user", "content": "Hello"}]


def test_a_plain_chat_request_uses_the_engine_defaults() -> None:
    """Guards: unset sampling fields keep Hearth's defaults; max_tokens is the context."""
    parsed = parse_chat({"messages": HELLO}, 2048)
    defaults = GenerationParams()
    assert parsed.params == GenerationParams(
        max_tokens=2048, temperature=defaults.temperature, top_p=defaults.top_p
    )
    assert (parsed.model, parsed.stream, parsed.include_usage) == (None, False, False)
    assert parsed.turns == [ChatTurn("user", "Hello")]
    assert parsed.prompt is None


def test_every_supported_field_reaches_the_generation_parameters() -> None:
    body = {
        "model": "tiny",
        "messages": [
            {"role": "developer", "content": "Be brief."},
            {"role": "system", "content": None},
            {
                "role": "user",
                "content": [{"type": "text", "text": "Hel"}, {"type": "text", "text": "lo"}],
            },
            {"role": "assistant", "content": "Hi"},
        ],
        "max_tokens": 7,
        "temperature": 0,
        "top_p": 1,
        "seed": 2**31 + 5,
        "stop": "END",
        "stream": True,
        "stream_options": {"include_usage": True},
        "ignore_eos": True,
        "n": 1,
    }
    parsed = parse_chat(body, 4096)
    assert parsed.params == GenerationParams(
        max_tokens=7, temperature=0.0, top_p=1.0, seed=5, stop=("END",), ignore_eos=True
    )
    assert (parsed.model, parsed.stream, parsed.include_usage) == ("tiny", True, True)
    assert parsed.turns == [
        ChatTurn("system", "Be brief."),
        ChatTurn("system", ""),
        ChatTurn("user", "Hello"),
        ChatTurn("assistant", "Hi"),
    ]


def test_max_completion_tokens_wins_over_max_tokens() -> None:
    parsed = parse_chat({"messages": HELLO, "max_completion_tokens": 3, "max_tokens": 9}, 100)
    assert parsed.params.max_tokens == 3
    assert parse_chat({"messages": HELLO}, 0).params.max_tokens == 1
    assert parse_chat({"messages": HELLO, "stop": ["a", "b"]}, 9).params.stop == ("a", "b")


def test_a_completion_takes_a_prompt_and_sixteen_tokens_by_default() -> None:
    parsed = parse_completion({"prompt": "Once"}, 4096)
    assert (parsed.prompt, parsed.turns, parsed.params.max_tokens) == ("Once", None, 16)
    assert parse_completion({"prompt": ["Once"], "max_tokens": 5}, 4096).params.max_tokens == 5
    assert parse_completion({"prompt": "x", "max_completion_tokens": 4}, 99).params.max_tokens == 4
    assert parse_completion({"prompt": "x", "temperature": 1.5}, 99).params.temperature == 1.5


def _refused(parse: Any, body: Any) -> ApiError:
    with pytest.raises(ApiError) as refused:
        parse(body, 4096)
    return refused.value


@pytest.mark.parametrize(
    ("body", "param", "message"),
    [
        ({"messages": HELLO, "model": 3}, "model", "'model' must be a string."),
        ({"messages": HELLO, "n": 2}, "n", "Only one choice per request is supported"),
        ({"messages": HELLO, "n": 0}, "n", "'n' must be at least 1, not 0."),
        ({"messages": HELLO, "n": True}, "n", "'n' must be an integer."),
        ({"messages": HELLO, "stream": "yes"}, "stream", "'stream' must be true or false."),
        ({"messages": HELLO, "stream_options": ["usage"]}, "stream_options", "must be an object"),
        ({"messages": HELLO, "max_tokens": 0}, "max_tokens", "at least 1, not 0."),
        ({"messages": HELLO, "max_tokens": 1.5}, "max_tokens", "'max_tokens' must be an integer."),
        ({"messages": HELLO, "max_completion_tokens": 0}, "max_completion_tokens", "at least 1"),
        ({"messages": HELLO, "temperature": 2.5}, "temperature", "between 0 and 2, not 2.5."),
        ({"messages": HELLO, "temperature": -0.1}, "temperature", "between 0 and 2, not -0.1."),
        ({"messages": HELLO, "temperature": "hot"}, "temperature", "a number between 0 and 2"),
        ({"messages": HELLO, "temperature": True}, "temperature", "must be a number"),
        ({"messages": HELLO, "temperature": float("nan")}, "temperature", "must be a number"),
        ({"messages": HELLO, "top_p": 1.01}, "top_p", "between 0 and 1, not 1.01."),
        ({"messages": HELLO, "seed": "1"}, "seed", "'seed' must be an integer."),
        ({"messages": HELLO, "seed": False}, "seed", "'seed' must be an integer."),
        ({"messages": HELLO, "ignore_eos": 1}, "ignore_eos", "true or false"),
        ({"messages": HELLO, "stop": ""}, "stop", "non-empty string or a list"),
        ({"messages": HELLO, "stop": ["a", 1]}, "stop", "non-empty string or a list"),
        ({"messages": HELLO, "stop": {"a": 1}}, "stop", "non-empty string or a list"),
        ({"messages": HELLO, "stop": list("abcde")}, "stop", "at most 4 strings."),
        ({"messages": []}, "messages", "'messages' must be a non-empty list"),
        ({"messages": "Hello"}, "messages", "'messages' must be a non-empty list"),
        ({"messages": ["Hello"]}, "messages[0]", "Each message must be an object."),
        ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role", "'robot'"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id", "call"),
        ({"messages": [{"content": "x"}]}, "messages[0].role", "Unsupported role None"),
        (
            {"messages": [*HELLO, {"role": "user", "content": [{"type": "image_url"}]}]},
            "messages[1].content",
            "Only text content parts are supported.",
        ),
        (
            {"messages": [{"role": "user", "content": ["text"]}]},
            "messages[0].content",
            "Only text content parts",
        ),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content", "a string or"),
    ],
)
def test_bad_chat_fields_name_the_param_and_say_what_to_send(
    body: dict[str, Any], param: str, message: str
) -> None:
    error = _refused(parse_chat, body)
    assert (error.status, error.param, error.kind) == (400, param, "invalid_request_error")
    assert message in error.message
    assert error.body() == {
        "error": {
            "message": error.message,
            "type": "invalid_request_error",
            "param": param,
            "code": "invalid_value",
        }
    }


@pytest.mark.parametrize("body", [[], "text", None, 3])
def test_a_body_that_is_not_an_object_is_refused(body: Any) -> None:
    for parse in (parse_chat, parse_completion):
        error = _refused(parse, body)
        assert (error.status, error.param) == (400, None)
        assert error.message == "The request body must be a JSON object."


@pytest.mark.parametrize("prompt", [None, "", ["a", "b"], [1], 7])
def test_a_completion_needs_one_non_empty_prompt(prompt: Any) -> None:
    error = _refused(parse_completion, {"prompt": prompt})
    assert (error.status, error.param) == (400, "prompt")
    assert error.message == "'prompt' must be a non-empty string."


def test_usage_finish_reasons_and_model_entries() -> None:
    assert protocol.usage(GenerationStats(prompt_tokens=5, generated_tokens=3)) == {
        "prompt_tokens": 5,
        "completion_tokens": 3,
        "total_tokens": 8,
    }
    assert protocol.finish_reason(FinishReason.STOP) == "stop"
    assert protocol.finish_reason(FinishReason.LENGTH) == "length"
    assert protocol.finish_reason(FinishReason.CANCELLED) == "stop"
    assert protocol.model_entry("tiny", 7) == {
        "id": "tiny",
        "object": "model",
        "created": 7,
        "owned_by": "hearth",
    }
    made = protocol.new_id("chatcmpl")
    assert made.startswith("chatcmpl-") and len(made) == len("chatcmpl-") + 24
    assert made != protocol.new_id("chatcmpl")
    error = ApiError(503, "busy", kind="server_error", code="queue_full", headers={"A": "1"})
    assert error.body()["error"] == {
        "message": "busy",
        "type": "server_error",
        "param": None,
        "code": "queue_full",
    }
    assert (error.status, error.headers, str(error)) == (503, {"A": "1"}, "busy")


def test_exactly_four_stop_strings_are_accepted_and_five_refused() -> None:
    """Promise: 'stop' takes up to four strings, as OpenAI's API does — a client that
    sends the maximum is served, one more is refused with the limit."""
    four = ["</a>", "\nUser:", "END", "###"]
    assert parse_chat({"messages": HELLO, "stop": four}, 9).params.stop == tuple(four)
    assert parse_completion({"prompt": "x", "stop": four}, 9).params.stop == tuple(four)
    error = _refused(parse_chat, {"messages": HELLO, "stop": [*four, "more"]})
    assert (error.param, error.message) == ("stop", "'stop' takes at most 4 strings.")


@pytest.mark.parametrize(
    ("body", "param", "message"),
    [
        ({"messages": HELLO, "model": 3}, "model", "'model' must be a string."),
        (
            {"messages": HELLO, "n": 2},
            "n",
            "Only one choice per request is supported ('n' must be 1).",
        ),
        ({"messages": HELLO, "stream": "yes"}, "stream", "'stream' must be true or false."),
        (
            {"messages": HELLO, "stream_options": 1},
            "stream_options",
            "'stream_options' must be an object.",
        ),
        ({"messages": HELLO, "seed": "1"}, "seed", "'seed' must be an integer."),
        ({"messages": HELLO, "ignore_eos": 1}, "ignore_eos", "'ignore_eos' must be true or false."),
        (
            {"messages": HELLO, "stop": ""},
            "stop",
            "'stop' must be a non-empty string or a list of them.",
        ),
        ({"messages": []}, "messages", "'messages' must be a non-empty list of messages."),
        ({"messages": ["Hello"]}, "messages[0]", "Each message must be an object."),
    ],
)
def test_a_refused_field_gets_exactly_its_one_sentence(
    body: dict[str, Any], param: str, message: str
) -> None:
    """Promise: a client shows the refusal's message as it is: one whole sentence naming
    the field and what to send, nothing around it."""
    error = _refused(parse_chat, body)
    assert (error.param, error.message) == (param, message)
