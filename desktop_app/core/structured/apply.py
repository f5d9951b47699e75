"""Putting a JSON schema on generation parameters: the grammar for a local engine and
the ``response_format`` a remote one receives."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.structured.schema import compile_schema


def response_format_for(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}


def with_schema(params: GenerationParams, schema: dict[str, Any], name: str) -> GenerationParams:
    """``params`` constrained to ``schema`` (raises ``SchemaError``)."""
    grammar = compile_schema(schema).grammar
    return replace(params, grammar=grammar, response_format=response_format_for(schema, name))
