"""A small MCP server for the tests, written with the official SDK (FastMCP), over stdio.

Run as ``python -m tests.mcp_test_server``. Its tools: ``add`` (the sum of two
integers), ``lookup_city`` (a fixed answer), ``slow`` (sleeps a minute, for timeouts), ``pid`` and
``crash`` (the process exits mid-call).
"""

from __future__ import annotations

import os
import time

from mcp.server.fastmcp import FastMCP

server = FastMCP("hearth-test")


@server.tool()
def add(a: int, b: int) -> str:
    """Add two integers."""
    return str(a + b)


@server.tool()
def lookup_city(code: str) -> str:
    """The city an airport code belongs to."""
    return {"CDG": "Paris", "NRT": "Tokyo"}.get(code.upper(), "unknown")


@server.tool()
def slow() -> str:
    """Wait a minute, then answer."""
    time.sleep(60)
    return "finally"


@server.tool()
def pid() -> str:
    """The server's process id."""
    return str(os.getpid())


@server.tool()
def crash() -> str:
    """Exit the server process in the middle of the call."""
    os._exit(3)


if __name__ == "__main__":
    server.run()
