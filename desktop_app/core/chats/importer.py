"""Read conversations exported by Hearth (see ``export``), checking every field.

``parse_export`` either returns every conversation in the file or raises
``InvalidExport`` naming the first thing wrong (``conversations[2].messages[5].role:
...``); ``Store.import_conversations`` then writes them all in one transaction, so a
bad file never leaves half an import behind.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from desktop_app.core.chats.model import FinishReason, GenerationStats, Role
from desktop_app.core.chats.transfer import (
    EXPORT_ALL_FORMAT,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    ImportedConversation,
    ImportedMessage,
)


class InvalidExport(ValueError):
    """The file is not a Hearth export this version can read; the message says why."""


def parse_export(text: str) -> list[ImportedConversation]:
    """Every conversation in an exported JSON file; raises ``InvalidExport``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidExport(
            f"not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(document, dict):
        raise InvalidExport("not a Hearth export: the file holds no JSON object")
    kind = document.get("format")
    if kind not in (EXPORT_FORMAT, EXPORT_ALL_FORMAT):
        raise InvalidExport(
            f"not a Hearth export: format is {kind!r}, expected {EXPORT_FORMAT!r} "
            f"or {EXPORT_ALL_FORMAT!r}"
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidExport(f"version: expected a positive integer, got {version!r}")
    if version > EXPORT_VERSION:
        raise InvalidExport(
            f"written by a newer Hearth (export version {version}, this one reads up to "
            f"{EXPORT_VERSION})"
        )
    if kind == EXPORT_FORMAT:
        return [_conversation(document, "")]
    items = _require(document, "conversations", list, "")
    return [
        _conversation(_object(item, f"conversations[{i}]"), f"conversations[{i}].")
        for i, item in enumerate(items)
    ]


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidExport(f"{where}: expected an object, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "null" if value is None else "a number"
    )


def _require(mapping: dict[str, Any], key: str, expected: type, prefix: str) -> Any:
    if key not in mapping:
        raise InvalidExport(f"{prefix}{key}: missing")
    return _check(mapping[key], expected, f"{prefix}{key}")


def _check(value: Any, expected: type, where: str) -> Any:
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidExport(f"{where}: expected a number, got {_kind(value)}")
        return float(value)
    if expected is int and isinstance(value, bool):
        raise InvalidExport(f"{where}: expected an integer, got true/false")
    if not isinstance(value, expected):
        names = {
            str: "text",
            int: "an integer",
            list: "a list",
            dict: "an object",
            bool: "true/false",
        }
        raise InvalidExport(f"{where}: expected {names[expected]}, got {_kind(value)}")
    return value


def _optional(mapping: dict[str, Any], key: str, expected: type, where: str) -> Any:
    value = mapping.get(key)
    return None if value is None else _check(value, expected, f"{where}{key}")


def _time(mapping: dict[str, Any], key: str, prefix: str) -> float:
    text = _require(mapping, key, str, prefix)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidExport(f"{prefix}{key}: not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _conversation(document: dict[str, Any], prefix: str) -> ImportedConversation:
    title = _require(document, "title", str, prefix).strip()
    if not title:
        raise InvalidExport(f"{prefix}title: empty")
    raw_messages = _require(document, "messages", list, prefix)
    messages: list[ImportedMessage] = []
    numbers: set[int] = set()
    for index, raw in enumerate(raw_messages):
        where = f"{prefix}messages[{index}]"
        item = _object(raw, where)
        messages.append(_message(item, where + ".", index, numbers, messages))
        numbers.add(messages[-1].number)
    current = _optional(document, "current", int, prefix)
    if current is not None and current not in numbers:
        raise InvalidExport(f"{prefix}current: no message has id {current}")
    settings = document.get("settings") or {}
    return ImportedConversation(
        title=title,
        system_prompt=_optional(document, "system_prompt", str, prefix) or "",
        created_at=_time(document, "created_at", prefix),
        updated_at=_time(document, "updated_at", prefix),
        pinned=bool(_optional(document, "pinned", bool, prefix)),
        settings=_check(settings, dict, f"{prefix}settings"),
        current=current if current is not None else (messages[-1].number if messages else None),
        messages=tuple(messages),
    )


def _message(
    item: dict[str, Any],
    prefix: str,
    index: int,
    numbers: set[int],
    earlier: list[ImportedMessage],
) -> ImportedMessage:
    if "id" in item:  # version 2: a tree
        number = _check(item["id"], int, f"{prefix}id")
        if number in numbers:
            raise InvalidExport(f"{prefix}id: {number} is used twice")
        parent = _optional(item, "parent", int, prefix)
        if parent is not None and parent not in numbers:
            raise InvalidExport(f"{prefix}parent: no earlier message has id {parent}")
    else:  # version 1: a flat list, each message follows the one before
        number = index + 1 if not numbers else max(numbers) + 1
        parent = earlier[-1].number if earlier else None
    role_text = _require(item, "role", str, prefix)
    try:
        role = Role(role_text)
    except ValueError:
        raise InvalidExport(
            f"{prefix}role: expected user, assistant or system, got {role_text!r}"
        ) from None
    reason_text = _optional(item, "finish_reason", str, prefix)
    try:
        reason = FinishReason(reason_text) if reason_text else None
    except ValueError:
        choices = ", ".join(r.value for r in FinishReason)
        raise InvalidExport(
            f"{prefix}finish_reason: expected one of {choices}, got {reason_text!r}"
        ) from None
    if reason is None and role is not Role.ASSISTANT:
        reason = FinishReason.STOP
    stats_item = item.get("stats")
    stats = None
    if stats_item is not None:
        raw_stats = _object(stats_item, f"{prefix}stats")
        where = f"{prefix}stats."
        stats = GenerationStats(
            prompt_tokens=_optional(raw_stats, "prompt_tokens", int, where) or 0,
            generated_tokens=_optional(raw_stats, "generated_tokens", int, where) or 0,
            time_to_first_token_s=_optional(raw_stats, "time_to_first_token_s", float, where),
            tokens_per_s=_optional(raw_stats, "tokens_per_s", float, where),
        )
    return ImportedMessage(
        number=number,
        parent=parent,
        role=role,
        content=_require(item, "content", str, prefix),
        created_at=_time(item, "created_at", prefix),
        model=_optional(item, "model", str, prefix),
        finish_reason=reason,
        stats=stats,
        documents=(
            _object(item["documents"], f"{prefix}documents")
            if item.get("documents") is not None
            else None
        ),
    )
