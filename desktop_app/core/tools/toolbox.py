"""The tools one chat can use: built-ins plus the tools of the MCP servers it uses.

MCP servers are started when the toolbox is opened for a chat and stopped when it is
closed. A server that fails to start is reported (``problems``) and left out; the chat
goes on with the other tools.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.core.tools.base import Tool, ToolError
from desktop_app.core.tools.calls import ToolCall, ToolSpec
from desktop_app.core.tools.config import McpServerConfig

if TYPE_CHECKING:  # the SDK (anyio, mcp) loads with the first server a chat starts
    from desktop_app.core.tools.mcp_client import McpConnection


@dataclass(frozen=True)
class _McpTool:
    connection: McpConnection
    remote_name: str
    spec: ToolSpec


class Toolbox:
    def __init__(self, builtins: Sequence[Tool] = ()) -> None:
        self._tools: dict[str, Tool | _McpTool] = {tool.spec.name: tool for tool in builtins}
        self._connections: list[McpConnection] = []
        self.problems: list[str] = []

    @classmethod
    def open(cls, builtins: Sequence[Tool], servers: Sequence[McpServerConfig]) -> Toolbox:
        """A toolbox with ``builtins`` and the tools of ``servers`` (started now)."""
        box = cls(builtins)
        for server in servers:
            box.add_server(server)
        return box

    def add_server(self, server: McpServerConfig) -> None:
        from desktop_app.core.tools.mcp_client import McpConnection

        connection = McpConnection(server)
        try:
            tools = connection.connect()
        except ToolError as exc:
            self.problems.append(str(exc))
            return
        self._connections.append(connection)
        for spec in tools:
            name = spec.name if spec.name not in self._tools else f"{server.name}_{spec.name}"
            if name in self._tools:  # consent is remembered by name: never let one name two
                self.problems.append(
                    f"{server.name}: tool {spec.name} left out (its name is already taken)"
                )
                continue
            shown = ToolSpec(name, spec.description, spec.parameters)
            self._tools[name] = _McpTool(connection, spec.name, shown)

    def specs(self) -> tuple[ToolSpec, ...]:
        return tuple(tool.spec for tool in self._tools.values())

    def run(
        self, call: ToolCall, timeout_s: float, cancelled: Callable[[], bool] | None = None
    ) -> str:
        tool = self._tools.get(call.name)
        if tool is None:
            raise ToolError(f"there is no tool called {call.name!r}")
        if isinstance(tool, _McpTool):
            return tool.connection.call(tool.remote_name, call.arguments, timeout_s, cancelled)
        try:
            return tool.run(call.arguments, timeout_s)
        except ToolError:
            raise
        except Exception as exc:  # a built-in's bug must not end the chat
            raise ToolError(f"{call.name} failed: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        for connection in self._connections:
            connection.close()
        self._connections.clear()
