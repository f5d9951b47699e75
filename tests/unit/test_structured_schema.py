"""JSON schemas: checked against the metaschema, refused by keyword when a grammar
cannot express them, converted by llama-cpp-python otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.structured.schema import SchemaError, check_schema, compile_schema


@pytest.mark.parametrize(
    ("schema", "keyword"),
    [
        ({"type": "array", "items": {"type": "integer"}, "uniqueItems": True}, "uniqueItems"),
        ({"type": "integer", "minimum": 0}, "minimum"),
        ({"type": "number", "multipleOf": 2}, "multipleOf"),
        ({"not": {"type": "string"}}, "not"),
        ({"if": {"type": "string"}, "then": {"maxLength": 2}}, "if"),
        (
            {"type": "object", "patternProperties": {"^a": {"type": "string"}}},
            "patternProperties",
        ),
        ({"type": "object", "properties": {"a": {"type": "string", "format": "email"}}}, "format"),
        ({"type": "object", "properties": {"a": {"$ref": "https://x.org/s.json"}}}, "$ref"),
        ({"type": "object", "required": ["a"]}, "required"),
        ({"type": "array", "maxItems": 2}, "maxItems"),
        ({"maxLength": 3}, "maxLength"),
        ({"enum": ["a", "b"], "maxLength": 1, "type": "string"}, "maxLength"),
        (
            {
                "type": "object",
                "properties": {"deep": {"type": "array", "items": {"contains": {}}}},
            },
            "contains",
        ),
    ],
)
def test_unsupported_keyword_is_named(schema: dict[str, Any], keyword: str) -> None:
    with pytest.raises(SchemaError) as caught:
        compile_schema(schema)
    assert caught.value.keyword == keyword
    assert f"'{keyword}'" in str(caught.value)


def test_invalid_schema_is_named_as_such() -> None:
    with pytest.raises(SchemaError, match="not valid JSON Schema at /properties/a/type"):
        check_schema({"type": "object", "properties": {"a": {"type": "strnig"}}})
    with pytest.raises(SchemaError, match="must be a JSON object"):
        check_schema(["type", "object"])


def test_supported_schema_becomes_a_grammar_without_control_characters() -> None:
    compiled = compile_schema(
        {
            "type": "object",
            "properties": {
                "name": {"type": "string", "maxLength": 5, "description": "who"},
                "kind": {"enum": ["a", "b"]},
                "when": {"type": "string", "format": "date"},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
            },
            "required": ["name", "kind"],
        }
    )
    assert compiled.grammar.startswith("char ::=") or "root ::=" in compiled.grammar
    assert "\\x00-\\x1F" in compiled.grammar
    assert compile_schema(compiled.schema).grammar == compiled.grammar
