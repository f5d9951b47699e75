"""Constrained answers with the tiny random-weight model: every one parses and validates.

The model's weights are random, so without a grammar it writes gibberish; with one it
must produce JSON that follows the schema, every time, greedy and sampled. The corpus
bounds its free strings (``maxLength``) and arrays (``maxItems``), so the grammar
itself keeps each answer short; ``max_tokens`` is set well above the longest answer
such a schema allows, and every answer must end because the grammar completed (finish
reason "stop"), never by running out of tokens.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams, TextDelta
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.presets import builtin_presets
from desktop_app.core.structured.schema import compile_schema

pytestmark = pytest.mark.integration

_SENTIMENT = next(p for p in builtin_presets() if p.id == "sentiment")

CORPUS: dict[str, dict] = {
    "enum": {
        "type": "object",
        "properties": {"sentiment": {"enum": ["positive", "negative", "neutral", "mixed"]}},
        "required": ["sentiment"],
        "additionalProperties": False,
    },
    "sentiment": dict(_SENTIMENT.response_schema or {}),
    "nested": {
        "type": "object",
        "properties": {
            "person": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 12},
                    "age": {"type": "integer"},
                    "address": {
                        "type": "object",
                        "properties": {
                            "city": {"type": "string", "minLength": 1, "maxLength": 10},
                            "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
                        },
                        "required": ["city", "zip"],
                    },
                },
                "required": ["name", "age", "address"],
            }
        },
        "required": ["person"],
    },
    "array_bounds": {
        "type": "object",
        "properties": {
            "tags": {
                "type": "array",
                "items": {"type": "string", "maxLength": 8},
                "minItems": 2,
                "maxItems": 4,
            },
            "scores": {"type": "array", "items": {"type": "integer"}, "maxItems": 3},
        },
        "required": ["tags", "scores"],
    },
    "numbers_and_booleans": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "ratio": {"type": "number"},
            "ok": {"type": "boolean"},
            "nothing": {"type": "null"},
        },
        "required": ["count", "ratio", "ok", "nothing"],
    },
    "unicode": {
        "type": "object",
        "properties": {
            "greeting": {"enum": ["héllo", "你好", "привет", "👋"]},
            "text": {"type": "string", "minLength": 1, "maxLength": 6},
        },
        "required": ["greeting", "text"],
    },
    "any_of_and_refs": {
        "$defs": {
            "point": {
                "type": "object",
                "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}},
                "required": ["x", "y"],
            }
        },
        "type": "object",
        "properties": {
            "shape": {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {"circle": {"$ref": "#/$defs/point"}},
                        "required": ["circle"],
                    },
                    {
                        "type": "array",
                        "items": {"$ref": "#/$defs/point"},
                        "minItems": 1,
                        "maxItems": 3,
                    },
                ]
            },
            "label": {"const": "fixed"},
        },
        "required": ["shape", "label"],
    },
    "top_level_array": {
        "type": "array",
        "items": {"enum": [1, 2, 3]},
        "minItems": 1,
        "maxItems": 5,
    },
}

RUNS = [("greedy", 0.0, 0)] + [(f"seed{seed}", 1.0, seed) for seed in (1, 2, 3)]
MAX_TOKENS = 1024


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> LlamaEngine:
    loaded = LlamaEngine(tiny_model)
    yield loaded
    loaded.close()


def _answer(engine: LlamaEngine, params: GenerationParams) -> tuple[str, Finished]:
    turns = [ChatTurn("user", "Answer in JSON.")]
    parts: list[str] = []
    finished = None
    for event in engine.stream_chat(turns, params):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        else:
            finished = event
    assert isinstance(finished, Finished)
    return "".join(parts), finished


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_constrained_answer_validates(engine: LlamaEngine, name: str) -> None:
    schema = CORPUS[name]
    grammar = compile_schema(schema).grammar
    for label, temperature, seed in RUNS:
        params = GenerationParams(
            max_tokens=MAX_TOKENS, temperature=temperature, seed=seed, grammar=grammar
        )
        text, finished = _answer(engine, params)
        assert finished.reason is FinishReason.STOP, (label, finished, text[-200:])
        value = json.loads(text)
        jsonschema.validate(value, schema)


def test_unconstrained_tiny_model_writes_no_json(engine: LlamaEngine) -> None:
    """The control: the same prompts without a grammar do not give valid JSON."""
    valid = 0
    for _, temperature, seed in RUNS:
        text, _ = _answer(
            engine, GenerationParams(max_tokens=60, temperature=temperature, seed=seed)
        )
        try:
            jsonschema.validate(json.loads(text), CORPUS["enum"])
            valid += 1
        except (ValueError, jsonschema.ValidationError):
            pass
    assert valid == 0


def test_answer_cut_by_max_tokens_says_length(engine: LlamaEngine) -> None:
    grammar = compile_schema(CORPUS["nested"]).grammar
    text, finished = _answer(engine, GenerationParams(max_tokens=5, grammar=grammar, seed=1))
    assert finished.reason is FinishReason.LENGTH
    assert finished.stats.generated_tokens == 5
    with pytest.raises(ValueError):
        json.loads(text)
