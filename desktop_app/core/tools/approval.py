"""Consent for tool calls: nothing runs unless the user allowed it.

The policy remembers the tools the user allowed for the rest of the chat ("always
allow this tool") and asks about everything else through an ``Asker``: the window
shows a prompt, the terminal asks a question, a script passes ``--yes``.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterable

from desktop_app.core.tools.calls import ToolCall


class Decision(enum.Enum):
    ALLOW_ONCE = "once"
    ALLOW_ALWAYS = "always"
    DENY = "deny"


Asker = Callable[[ToolCall], Decision]
"""Asks the user about one call; may block (it runs on the tool loop's thread)."""


def deny_all(call: ToolCall) -> Decision:
    return Decision.DENY


def allow_all(call: ToolCall) -> Decision:
    return Decision.ALLOW_ONCE


class ApprovalPolicy:
    def __init__(self, ask: Asker = deny_all, always_allowed: Iterable[str] = ()) -> None:
        self._ask = ask
        self._always = set(always_allowed)
        self._lock = threading.Lock()

    @property
    def always_allowed(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._always)

    def forget(self, tool_name: str) -> None:
        with self._lock:
            self._always.discard(tool_name)

    def approve(self, call: ToolCall) -> Decision:
        """The decision for ``call``: remembered, or asked (and remembered if "always")."""
        with self._lock:
            if call.name in self._always:
                return Decision.ALLOW_ALWAYS
        decision = self._ask(call)
        if decision is Decision.ALLOW_ALWAYS:
            with self._lock:
                self._always.add(call.name)
        return decision
