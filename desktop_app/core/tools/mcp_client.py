"""MCP servers through the official ``mcp`` SDK, behind a small blocking interface.

Each connection runs the SDK's asyncio client on its own thread: one long-lived task
enters the transport (a child process over stdio, or streamable HTTP) and the
``ClientSession``, then waits until the connection is closed, so the SDK's context
managers are entered and left by the same task. The tool loop's thread submits calls
to that loop and waits with a timeout, checking its cancel token meanwhile.

A server is started only when a chat uses it (``connect``) and stopped with the chat
(``close``): the stdio child is terminated by the SDK when its context exits. Every
failure (the program cannot start, no answer within the timeout, a broken JSON-RPC
exchange, the process dying mid-call) becomes a ``ToolError`` with one readable line,
which quotes the server's last message when it had one (``server_log``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from typing import Any

import anyio

from desktop_app.core.tools.base import ToolError
from desktop_app.core.tools.calls import ToolSpec
from desktop_app.core.tools.config import McpServerConfig
from desktop_app.core.tools.server_log import ServerLog

POLL_S = 0.1
REQUEST_TIMEOUT = 408
"""The error code the SDK gives a request that ran past its read timeout (HTTP's)."""
CONNECTION_CLOSED = -32000
"""The SDK's code for requests still waiting when the connection closed."""
MAX_RESULT_CHARS = 50_000


class McpConnection:
    """One running MCP server. ``connect`` starts it and lists its tools."""

    def __init__(self, config: McpServerConfig) -> None:
        self.config = config
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._session: Any = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: str | None = None
        self._ended: str | None = None
        self.tools: list[ToolSpec] = []
        self._server_log: ServerLog | None = None

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._ended is None

    def connect(self) -> list[ToolSpec]:
        """Start the server, initialize the session and list its tools."""
        self._thread = threading.Thread(
            target=self._run, name=f"HearthMCP-{self.name}", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(self.config.timeout_s) and self._error is None:
            self._error = f"it did not answer within {self.config.timeout_s:g} s"
            self.close()
        if self._error is not None:
            raise ToolError(f"The MCP server {self.name} could not start: {self._error}")
        return self.tools

    def _with_last_words(self, reason: str) -> str:
        """``reason``, and what the server last wrote to its standard error, if anything."""
        said = self._server_log.last_words() if self._server_log is not None else ""
        return f"{reason}; the server said: {said}" if said else reason

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # the transport or session broke: record why
            reason = self._with_last_words(_reason(exc))
            if not self._ready.is_set():
                self._error = reason
            self._ended = reason
        else:
            self._ended = self._ended or "the connection was closed"
        finally:
            self._ready.set()
            loop.close()
            if self._server_log is not None:
                self._server_log.close()

    async def _serve(self) -> None:
        from mcp import ClientSession

        self._stop = asyncio.Event()
        async with self._transport() as streams, ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            listed = await session.list_tools()
            self.tools = [
                ToolSpec(tool.name, tool.description or "", dict(tool.inputSchema or {}))
                for tool in listed.tools
            ]
            self._session = session
            self._ready.set()
            await self._stop.wait()

    def _transport(self) -> Any:
        if self.config.url:
            return _http_transport(self.config.url, self.config.timeout_s)
        from mcp import StdioServerParameters
        from mcp.client.stdio import stdio_client

        program, *arguments = self.config.command
        env = {**os.environ, **self.config.env}
        self._server_log = ServerLog(self.name)
        parameters = StdioServerParameters(command=program, args=arguments, env=env)
        return stdio_client(parameters, errlog=self._server_log.file)

    def call(
        self,
        name: str,
        arguments: Mapping[str, Any],
        timeout_s: float | None = None,
        cancelled: Any = None,
    ) -> str:
        """Call tool ``name``; its text result, or ``ToolError``."""
        if not self.running or self._loop is None or self._session is None:
            raise ToolError(
                f"The MCP server {self.name} is not running ({self._ended or 'not started'})"
            )
        timeout = timeout_s or self.config.timeout_s
        future = asyncio.run_coroutine_threadsafe(
            self._session.call_tool(
                name, dict(arguments), read_timeout_seconds=timedelta(seconds=timeout)
            ),
            self._loop,
        )
        waited = 0.0
        try:
            while True:
                try:
                    result = future.result(POLL_S)
                    break
                except concurrent.futures.TimeoutError:
                    waited += POLL_S
                    if cancelled is not None and cancelled():
                        future.cancel()
                        raise ToolError("The call was stopped.") from None
                    if self._ended is not None:
                        raise ToolError(
                            f"The MCP server {self.name} stopped during the call ({self._ended})"
                        ) from None
                    if waited >= timeout + 1.0:
                        future.cancel()
                        raise ToolError(
                            f"{self.name}.{name} gave no result within {timeout:g} s"
                        ) from None
        except ToolError:
            raise
        except Exception as exc:
            code = getattr(getattr(exc, "error", None), "code", None)
            if code == REQUEST_TIMEOUT:
                raise ToolError(f"{self.name}.{name} gave no result within {timeout:g} s") from exc
            if isinstance(exc, (anyio.ClosedResourceError, anyio.BrokenResourceError)):
                self._ended = self._ended or self._with_last_words("the server process is gone")
            if self._ended is not None or code == CONNECTION_CLOSED:
                reason = self._ended or "the connection closed"
                raise ToolError(
                    f"The MCP server {self.name} stopped during the call ({reason})"
                ) from exc
            raise ToolError(f"{self.name}.{name} failed: {_reason(exc)}") from exc
        text = _result_text(result)
        if getattr(result, "isError", False):
            raise ToolError(text or f"{name} reported an error")
        return text

    def close(self) -> None:
        """Stop the server (the stdio child process ends with the session)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just closed
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)


@contextlib.asynccontextmanager
async def _http_transport(url: str, timeout_s: float) -> AsyncIterator[Any]:
    import httpx
    from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client

    timeout = httpx.Timeout(timeout_s, read=max(timeout_s, 300.0))
    async with (
        create_mcp_http_client(timeout=timeout) as client,
        streamable_http_client(url, http_client=client) as streams,
    ):
        yield streams


def _result_text(result: Any) -> str:
    parts: list[str] = []
    for item in getattr(result, "content", None) or ():
        kind = getattr(item, "type", "")
        if kind == "text":
            parts.append(item.text)
        elif kind == "resource" and hasattr(item.resource, "text"):
            parts.append(item.resource.text)
        else:
            parts.append(f"[{kind or 'content'} not shown]")
    text = "\n".join(parts)
    if len(text) > MAX_RESULT_CHARS:
        text = text[:MAX_RESULT_CHARS] + f"\n[… cut at {MAX_RESULT_CHARS} characters]"
    return text


def _reason(exc: BaseException) -> str:
    """One line for an exception, unwrapping anyio's exception groups."""
    while getattr(exc, "exceptions", None):  # an exception group
        exc = exc.exceptions[0]  # type: ignore[attr-defined]
    if isinstance(exc, FileNotFoundError):
        return f"program not found ({exc.filename or exc})"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
