"""``response_format`` and ``tools`` on Hearth's API, driven by the official ``openai``
client against the real server and the tiny random-weight model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import openai
import pytest

from tests.serve_helpers import RunningServer, api_server

pytestmark = pytest.mark.integration

SCHEMA = {
    "type": "object",
    "properties": {
        "sentiment": {"enum": ["positive", "negative", "neutral", "mixed"]},
        "score": {"enum": [0, 1, 2, 3, 4, 5]},
        "words": {"type": "array", "items": {"type": "string", "maxLength": 10}, "maxItems": 2},
    },
    "required": ["sentiment", "score", "words"],
    "additionalProperties": False,
}
FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "review", "schema": SCHEMA, "strict": True},
}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "minLength": 1, "maxLength": 20},
                "unit": {"enum": ["c", "f"]},
            },
            "required": ["city", "unit"],
            "additionalProperties": False,
        },
    },
}
CLOCK = {
    "type": "function",
    "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}},
}
ASK = [{"role": "user", "content": "What is the weather in Paris?"}]


@pytest.fixture(scope="module")
def api(tiny_model: Path) -> Iterator[RunningServer]:
    with api_server(tiny_model) as running:
        yield running


@pytest.fixture
def client(api: RunningServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=api.base_url, api_key="unused", max_retries=0) as made:
        yield made


def test_json_schema_answers_validate(client: openai.OpenAI) -> None:
    for seed in range(4):
        answer = client.chat.completions.create(
            model="tiny", messages=ASK, response_format=FORMAT, seed=seed, temperature=1.0,
            max_tokens=400,
        )  # fmt: skip
        assert answer.choices[0].finish_reason == "stop"
        jsonschema.validate(json.loads(answer.choices[0].message.content or ""), SCHEMA)


def test_json_schema_streamed(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="tiny", messages=ASK, response_format=FORMAT, seed=7, max_tokens=400, stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    jsonschema.validate(json.loads(text), SCHEMA)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_completions_take_a_response_format(client: openai.OpenAI) -> None:
    answer = client.completions.create(
        model="tiny", prompt="Review:", max_tokens=400, seed=3,
        extra_body={"response_format": FORMAT},
    )  # fmt: skip
    jsonschema.validate(json.loads(answer.choices[0].text), SCHEMA)


def test_unsupported_keyword_is_a_400_naming_it(client: openai.OpenAI) -> None:
    schema = {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="tiny", messages=ASK, max_tokens=5,
            response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": schema}},
        )  # fmt: skip
    assert "'uniqueItems'" in str(caught.value)
    assert caught.value.body["param"] == "response_format.json_schema.schema"  # type: ignore[index]


def test_invalid_schema_is_a_400(client: openai.OpenAI) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "strnig"}}}
    with pytest.raises(openai.BadRequestError, match="not valid JSON Schema"):
        client.chat.completions.create(
            model="tiny", messages=ASK, max_tokens=5,
            response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": schema}},
        )  # fmt: skip


def test_tool_choice_required_always_calls_a_tool(client: openai.OpenAI) -> None:
    parameters = WEATHER["function"]["parameters"]  # type: ignore[index]
    for seed in range(6):
        answer = client.chat.completions.create(
            model="tiny", messages=ASK, tools=[WEATHER], tool_choice="required", seed=seed,
            temperature=1.0, max_tokens=300,
        )  # fmt: skip
        choice = answer.choices[0]
        assert choice.finish_reason == "tool_calls"
        calls = choice.message.tool_calls or []
        assert [call.function.name for call in calls] == ["get_weather"]
        jsonschema.validate(json.loads(calls[0].function.arguments), parameters)
        assert calls[0].id.startswith("call_")


def test_named_tool_choice_calls_that_tool(client: openai.OpenAI) -> None:
    answer = client.chat.completions.create(
        model="tiny", messages=ASK, tools=[WEATHER, CLOCK], seed=1, max_tokens=300,
        tool_choice={"type": "function", "function": {"name": "get_time"}},
    )  # fmt: skip
    calls = answer.choices[0].message.tool_calls or []
    assert [call.function.name for call in calls] == ["get_time"]
    assert json.loads(calls[0].function.arguments) == {}


def test_streamed_tool_call(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="tiny", messages=ASK, tools=[WEATHER], tool_choice="required", seed=2,
        max_tokens=300, stream=True,
    )  # fmt: skip
    chunks = [c for c in stream if c.choices]
    deltas = [call for c in chunks for call in (c.choices[0].delta.tool_calls or [])]
    assert [d.function.name for d in deltas if d.function] == ["get_weather"]
    assert not "".join(c.choices[0].delta.content or "" for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_tool_results_come_back_in(client: openai.OpenAI) -> None:
    first = client.chat.completions.create(
        model="tiny", messages=ASK, tools=[WEATHER], tool_choice="required", seed=4, max_tokens=300
    )
    call = (first.choices[0].message.tool_calls or [])[0]
    messages = [
        *ASK,
        {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
        {"role": "tool", "tool_call_id": call.id, "content": "18 °C and sunny"},
    ]
    answer = client.chat.completions.create(
        model="tiny", messages=messages, tools=[WEATHER], tool_choice="none", seed=4,
        max_tokens=8,
    )  # fmt: skip
    assert answer.choices[0].finish_reason in ("stop", "length")
    assert answer.choices[0].message.tool_calls is None


def test_tool_message_without_call_id_is_a_400(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="tool_call_id"):
        client.chat.completions.create(
            model="tiny", messages=[*ASK, {"role": "tool", "content": "x"}],  # type: ignore[list-item]
            max_tokens=5,
        )  # fmt: skip
