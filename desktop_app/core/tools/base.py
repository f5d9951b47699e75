"""What a tool is to the tool loop: a description for the model and a way to run it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from desktop_app.core.tools.calls import ToolSpec


class ToolError(Exception):
    """A tool call failed; the message is shown in the step and given to the model."""


class Tool(Protocol):
    @property
    def spec(self) -> ToolSpec: ...

    def run(self, arguments: Mapping[str, Any], timeout_s: float) -> str:
        """Run the tool; return its result as text or raise ``ToolError``."""
        ...
