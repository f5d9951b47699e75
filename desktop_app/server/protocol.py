"""OpenAI-style requests and answers: strict checks, clear error objects.

Every bad request raises ``ApiError`` (``server/errors.py``, shared with ``tools_api``)
with the HTTP status, the OpenAI error ``type``, the offending ``param`` and a sentence
saying what to send instead.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from typing import Any

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine.base import ChatTurn, GenerationParams
from desktop_app.server.errors import ApiError, invalid
from desktop_app.server.tools_api import turn_from_message, with_extensions

MAX_STOP_STRINGS = 4
ROLES = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool",
}
FINISH_REASONS = {FinishReason.STOP: "stop", FinishReason.LENGTH: "length"}


@dataclass(frozen=True)
class GenerationRequest:
    model: str | None
    params: GenerationParams
    stream: bool
    include_usage: bool
    turns: list[ChatTurn] | None = None
    prompt: str | None = None
    tool_names: tuple[str, ...] = ()
    """Tools the answer may call: their calls are parsed out of its text."""


def _number(body: dict[str, Any], key: str, low: float, high: float) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise invalid(key, f"'{key}' must be a number between {low:g} and {high:g}.")
    if not low <= value <= high:
        raise invalid(key, f"'{key}' must be between {low:g} and {high:g}, not {value:g}.")
    return float(value)


def _integer(body: dict[str, Any], key: str, low: int) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(key, f"'{key}' must be an integer.")
    if value < low:
        raise invalid(key, f"'{key}' must be at least {low}, not {value}.")
    return value


def _stop(body: dict[str, Any]) -> tuple[str, ...]:
    value = body.get("stop")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
        raise invalid("stop", "'stop' must be a non-empty string or a list of them.")
    if len(value) > MAX_STOP_STRINGS:
        raise invalid("stop", f"'stop' takes at most {MAX_STOP_STRINGS} strings.")
    return tuple(value)


def _common(body: Any, context_length: int) -> tuple[str | None, GenerationParams, bool, bool]:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise invalid("model", "'model' must be a string.")
    n = _integer(body, "n", 1)
    if n is not None and n != 1:
        raise invalid("n", "Only one choice per request is supported ('n' must be 1).")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise invalid("stream", "'stream' must be true or false.")
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise invalid("stream_options", "'stream_options' must be an object.")
    max_tokens = _integer(body, "max_completion_tokens", 1)
    if max_tokens is None:
        max_tokens = _integer(body, "max_tokens", 1)
    defaults = GenerationParams()
    temperature = _number(body, "temperature", 0.0, 2.0)
    top_p = _number(body, "top_p", 0.0, 1.0)
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise invalid("seed", "'seed' must be an integer.")
    ignore_eos = body.get("ignore_eos", False)  # an extension llama.cpp's server has too
    if not isinstance(ignore_eos, bool):
        raise invalid("ignore_eos", "'ignore_eos' must be true or false.")
    params = GenerationParams(
        ignore_eos=ignore_eos,
        max_tokens=max_tokens if max_tokens is not None else max(1, context_length),
        temperature=defaults.temperature if temperature is None else temperature,
        top_p=defaults.top_p if top_p is None else top_p,
        seed=None if seed is None else seed % 2**31,
        stop=_stop(body),
    )
    return model, params, stream, bool(options.get("include_usage"))


def _content(message: dict[str, Any], index: int) -> str:
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                raise invalid(
                    f"messages[{index}].content", "Only text content parts are supported."
                )
            parts.append(str(part.get("text", "")))
        return "".join(parts)
    raise invalid(f"messages[{index}].content", "'content' must be a string or a list of parts.")


def parse_chat(body: Any, context_length: int) -> GenerationRequest:
    model, params, stream, usage = _common(body, context_length)
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise invalid("messages", "'messages' must be a non-empty list of messages.")
    turns: list[ChatTurn] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise invalid(f"messages[{index}]", "Each message must be an object.")
        role = ROLES.get(message.get("role"))  # type: ignore[arg-type]
        if role is None:
            raise invalid(
                f"messages[{index}].role",
                f"Unsupported role {message.get('role')!r}; use system, user, assistant or tool.",
            )
        turns.append(turn_from_message(role, _content(message, index), message, index, turns))
    params, names = with_extensions(body, params, chat=True)
    return GenerationRequest(model, params, stream, usage, turns=turns, tool_names=names)


def parse_completion(body: Any, context_length: int) -> GenerationRequest:
    model, params, stream, usage = _common(body, context_length)
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str) or not prompt:
        raise invalid("prompt", "'prompt' must be a non-empty string.")
    if body.get("max_tokens") is None and body.get("max_completion_tokens") is None:
        params = GenerationParams(**{**params.__dict__, "max_tokens": 16})
    params, _ = with_extensions(body, params, chat=False)
    return GenerationRequest(model, params, stream, usage, prompt=prompt)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


def now() -> int:
    return int(time.time())


def usage(stats: GenerationStats) -> dict[str, int]:
    return {
        "prompt_tokens": stats.prompt_tokens,
        "completion_tokens": stats.generated_tokens,
        "total_tokens": stats.prompt_tokens + stats.generated_tokens,
    }


def finish_reason(reason: FinishReason) -> str:
    return FINISH_REASONS.get(reason, "stop")


def model_entry(model_id: str, created: int) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": created, "owned_by": "hearth"}
