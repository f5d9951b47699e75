"""Where an MCP server's own messages (its standard error) go.

A stdio server writes its logging to standard error, and the SDK passes ours on to it
by default, so every server's chatter would land in the user's terminal in the middle
of a chat. Hearth gives each server a file of its own in the logs folder
(``mcp-NAME.log``; a temporary one when logging is not set up), and when a server
fails, its last words are quoted in the error, which is usually the reason.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TextIO

from desktop_app.core import logs

MAX_LOG_BYTES = 1 << 20
"""A server's log file is started afresh when it has grown past this."""
MAX_QUOTED_CHARS = 200


class ServerLog:
    """The standard error of one run of one MCP server."""

    def __init__(self, server_name: str) -> None:
        self.path: Path | None = None
        self.file: TextIO = self._open(server_name)
        self._start = self.file.tell()

    def _open(self, server_name: str) -> TextIO:
        setup = logs.current()
        if setup is not None:
            safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", server_name).strip("._") or "server"
            path = setup.folder / f"mcp-{safe}.log"
            try:
                setup.folder.mkdir(parents=True, exist_ok=True)
                too_big = path.exists() and path.stat().st_size > MAX_LOG_BYTES
                handle = open(path, "w" if too_big else "a", encoding="utf-8")  # noqa: SIM115
                self.path = path
                return handle
            except OSError:
                pass
        return tempfile.TemporaryFile("w+", encoding="utf-8")

    def last_words(self) -> str:
        """The server's last non-empty line of this run ("" if it said nothing)."""
        try:
            self.file.flush()
            if self.path is not None:
                with open(self.path, encoding="utf-8", errors="replace") as reader:
                    reader.seek(self._start)
                    text = reader.read()
            else:
                self.file.seek(self._start)
                text = self.file.read()
        except (OSError, ValueError):
            return ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            return ""
        last = lines[-1]
        return last if len(last) <= MAX_QUOTED_CHARS else last[: MAX_QUOTED_CHARS - 1] + "…"

    def close(self) -> None:
        self.file.close()
