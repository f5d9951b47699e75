"""The timing and cache figures a response carries beside OpenAI's ``usage``.

``usage.prompt_tokens_details.cached_tokens`` (OpenAI's field) says how much of the
prompt a slot's cache held; ``timings`` (as llama.cpp's server names it) says how long
the request waited for its model to load, and its time to first token and rate.
"""

from __future__ import annotations

from typing import Any

from desktop_app.core.chats.model import GenerationStats
from desktop_app.server import protocol
from desktop_app.server.engine_thread import Job


def usage(stats: GenerationStats) -> dict[str, Any]:
    return {
        **protocol.usage(stats),
        "prompt_tokens_details": {"cached_tokens": stats.cached_prompt_tokens},
    }


def timings(stats: GenerationStats, job: Job) -> dict[str, Any]:
    return {
        "load_s": round(job.load_wait_s, 4),
        "time_to_first_token_s": None
        if stats.time_to_first_token_s is None
        else round(stats.time_to_first_token_s, 4),
        "tokens_per_s": None if stats.tokens_per_s is None else round(stats.tokens_per_s, 2),
        "cached_tokens": stats.cached_prompt_tokens,
    }
