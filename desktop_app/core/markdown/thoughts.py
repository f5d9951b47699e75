"""Reasoning models write ``<think>…</think>`` before the answer; split it off."""

from __future__ import annotations

from dataclasses import dataclass

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"


@dataclass(frozen=True)
class Thoughts:
    text: str
    finished: bool
    """Whether ``</think>`` has arrived (the answer proper follows it)."""


def split_thoughts(text: str) -> tuple[Thoughts | None, str]:
    """The thoughts at the start of ``text`` (if any) and the answer after them.

    While the stream is still inside ``<think>``, the answer is empty. A partial
    opening tag at the very start ("<thi") counts as the start of thoughts, so the
    tag never flashes up as text.
    """
    stripped = text.lstrip()
    if not stripped.startswith(OPEN_TAG):
        if stripped and OPEN_TAG.startswith(stripped):
            return Thoughts("", finished=False), ""
        return None, text
    body = stripped[len(OPEN_TAG) :]
    end = body.find(CLOSE_TAG)
    if end < 0:
        return Thoughts(body.strip(), finished=False), ""
    return Thoughts(body[:end].strip(), finished=True), body[end + len(CLOSE_TAG) :].lstrip()
