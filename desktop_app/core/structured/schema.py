"""JSON schemas to llama.cpp grammars, with a clear refusal for what cannot be expressed.

The conversion is llama-cpp-python's own port of llama.cpp's JSON-schema-to-GBNF
converter (``llama_cpp.llama_grammar``); Hearth writes no grammar engine. Before
converting, a schema is checked twice: against the JSON Schema metaschema
(``jsonschema``), so a malformed schema is named as such, and keyword by keyword,
because the converter silently ignores keywords it does not know (``not``,
``uniqueItems``...) and the answer would then not follow the schema the caller sent.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SUPPORTED = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "enum",
        "const",
        "anyOf",
        "oneOf",
        "allOf",
        "$ref",
        "$defs",
        "definitions",
        "pattern",
        "format",
        "minLength",
        "maxLength",
    }
)
"""Keywords llama-cpp-python's converter turns into grammar rules. It has no numeric
bounds (``minimum``, ``maximum``, ``multipleOf``): a bounded number can be an ``enum``."""

_EXCLUSIVE = ("$ref", "anyOf", "oneOf", "const", "enum")
"""Keywords that, when present, make the converter ignore every other constraint."""
_ALONGSIDE_EXCLUSIVE = frozenset({"type", "$defs", "definitions"})
_ALL_OF_PARTS = frozenset({"properties", "required", "$ref", "type", "anyOf"})

ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "contentEncoding",
    }
)
"""Keywords that describe and constrain nothing, so they can be left out of a grammar."""
_ALONGSIDE_EXCLUSIVE |= ANNOTATIONS

FORMATS = frozenset({"date", "time", "date-time", "uuid"})
"""String formats the converter writes rules for."""

_SUBSCHEMA_MAPS = ("properties", "$defs", "definitions")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")

JSON_OBJECT_SCHEMA: dict[str, Any] = {"type": "object"}
"""What ``{"type": "json_object"}`` asks for: any JSON object."""


class SchemaError(ValueError):
    """A schema that is invalid or that a grammar cannot express.

    ``keyword`` names the offending keyword (when one is to blame) and ``path`` where
    it is, as a JSON pointer into the schema.
    """

    def __init__(self, message: str, keyword: str | None = None, path: str = "") -> None:
        super().__init__(message)
        self.keyword = keyword
        self.path = path


@dataclass(frozen=True)
class CompiledSchema:
    schema: dict[str, Any]
    grammar: str
    """GBNF text for ``GenerationParams.grammar``."""


def _pointer(parts: tuple[str, ...]) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts) if parts else "/"


def _subschemas(node: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple[Any, tuple]]:
    for key in _SUBSCHEMA_MAPS:
        value = node.get(key)
        if isinstance(value, dict):
            for name, sub in value.items():
                yield sub, (*path, key, name)
    for key in _SUBSCHEMA_LISTS:
        value = node.get(key)
        if isinstance(value, list):
            for index, sub in enumerate(value):
                yield sub, (*path, key, str(index))
    for key in ("items", "additionalProperties"):
        value = node.get(key)
        if isinstance(value, dict):
            yield value, (*path, key)
        elif key == "items" and isinstance(value, list):
            for index, sub in enumerate(value):
                yield sub, (*path, key, str(index))


def check_supported(schema: Any, path: tuple[str, ...] = ()) -> None:
    """Raise ``SchemaError`` naming the first keyword the grammar cannot express."""
    if isinstance(schema, bool):
        if schema is False:
            raise SchemaError(
                f"The schema at {_pointer(path)} is false (it allows nothing).",
                "false",
                _pointer(path),
            )
        return
    if not isinstance(schema, dict):
        raise SchemaError(
            f"The schema at {_pointer(path)} must be an object.", None, _pointer(path)
        )
    for keyword in schema:
        if keyword not in SUPPORTED and keyword not in ANNOTATIONS:
            where = _pointer(path)
            raise SchemaError(
                f"The schema keyword '{keyword}' (at {where}) is not supported in "
                "constrained output; remove it or express it with: "
                + ", ".join(sorted(SUPPORTED - {"$defs", "definitions"})),
                keyword,
                where,
            )
    _check_combinations(schema, path)
    ref = schema.get("$ref")
    if ref is not None and not (isinstance(ref, str) and ref.startswith("#")):
        raise SchemaError(
            f"'$ref' {ref!r} (at {_pointer(path)}) must point inside the schema ('#/...'); "
            "Hearth fetches no schemas from elsewhere.",
            "$ref",
            _pointer(path),
        )
    form = schema.get("format")
    if form is not None and form not in FORMATS:
        raise SchemaError(
            f"The schema keyword 'format' {form!r} (at {_pointer(path)}) is not supported; use "
            + ", ".join(sorted(FORMATS))
            + " or a 'pattern'.",
            "format",
            _pointer(path),
        )
    for sub, sub_path in _subschemas(schema, path):
        check_supported(sub, sub_path)


def _unsupported(keyword: str, path: tuple[str, ...], why: str) -> SchemaError:
    where = _pointer(path)
    return SchemaError(
        f"The schema keyword '{keyword}' (at {where}) is not supported in constrained "
        f"output: {why}",
        keyword,
        where,
    )


def _check_combinations(schema: dict[str, Any], path: tuple[str, ...]) -> None:
    """Keywords the converter would silently drop because of another one beside them."""
    leader = next((k for k in _EXCLUSIVE if k in schema), None)
    if leader is not None:
        for keyword in schema:
            if keyword != leader and keyword not in _ALONGSIDE_EXCLUSIVE:
                raise _unsupported(keyword, path, f"it cannot be combined with '{leader}'.")
    if "allOf" in schema:
        if "properties" in schema or "additionalProperties" in schema:
            raise _unsupported("allOf", path, "it cannot be combined with 'properties'.")
        for part in schema["allOf"]:
            extra = set(part) - _ALL_OF_PARTS - ANNOTATIONS if isinstance(part, dict) else set()
            if extra:
                raise _unsupported(
                    sorted(extra)[0], (*path, "allOf"), "only properties are merged in 'allOf'."
                )
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in properties:
            raise _unsupported(
                "required", path, f"the required property '{name}' is not in 'properties'."
            )
    if ("minItems" in schema or "maxItems" in schema) and not (
        "items" in schema or "prefixItems" in schema
    ):
        keyword = "minItems" if "minItems" in schema else "maxItems"
        raise _unsupported(keyword, path, "array bounds need an 'items' schema.")
    if "items" in schema and "prefixItems" in schema:
        raise _unsupported("items", path, "it cannot be combined with 'prefixItems'.")
    if "minLength" in schema or "maxLength" in schema:
        keyword = "minLength" if "minLength" in schema else "maxLength"
        if schema.get("type") != "string":
            raise _unsupported(keyword, path, 'string lengths need "type": "string".')
        if "pattern" in schema or "format" in schema:
            raise _unsupported(keyword, path, "it cannot be combined with 'pattern' or 'format'.")


def check_schema(schema: Any) -> None:
    """Validate ``schema`` against the metaschema, then check every keyword is supported."""
    import jsonschema  # type: ignore[import-untyped]

    if not isinstance(schema, (dict, bool)):
        raise SchemaError("The schema must be a JSON object.")
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = _pointer(tuple(str(p) for p in exc.path))
        keyword = str(exc.path[-1]) if exc.path else None
        raise SchemaError(
            f"The schema is not valid JSON Schema at {where}: {exc.message}", keyword, where
        ) from exc
    check_supported(schema)


_LOOSE_CHAR = 'char ::= [^"\\\\] |'
_JSON_CHAR = 'char ::= [^"\\\\\\x7F\\x00-\\x1F] |'
"""The converter lets control characters (a raw newline...) into strings, which JSON
forbids; llama.cpp's current converter excludes them, and so does Hearth's grammar."""


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)
"""The converter writes characters beyond U+FFFF in literals as JSON surrogate pairs,
which GBNF reads as two surrogate code points that no UTF-8 text can match."""


def _astral(match: re.Match[str]) -> str:
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


@functools.lru_cache(maxsize=64)
def _grammar_for(canonical: str) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    grammar = _SURROGATE_PAIR.sub(_astral, json_schema_to_gbnf(canonical))
    return grammar.replace(_LOOSE_CHAR, _JSON_CHAR)


def compile_schema(schema: Any) -> CompiledSchema:
    """Check ``schema`` and convert it to a grammar (cached per schema)."""
    check_schema(schema)
    canonical = json.dumps(schema, ensure_ascii=False)  # key order is output order
    try:
        grammar = _grammar_for(canonical)
    except Exception as exc:  # the converter's own refusals (bad refs, patterns...)
        raise SchemaError(f"The schema cannot be turned into a grammar: {exc}") from exc
    return CompiledSchema(schema, grammar)
