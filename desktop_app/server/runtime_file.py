"""Where a running ``hearth serve`` (or the window's local server) can be reached.

A small JSON file in the data folder, written when a server starts and removed when it
stops, so that ``hearth ps`` finds the server without being told its address. A file
left by a server that died is recognised by its process id and ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import psutil

FILE_NAME = "server.json"


@dataclass(frozen=True)
class ServerAddress:
    url: str
    """The server's root, e.g. ``http://127.0.0.1:8321`` (the API is under /v1)."""
    pid: int
    needs_key: bool


class RuntimeFile:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME

    def publish(self, url: str, needs_key: bool) -> None:
        """Record this process's server (best effort: a server runs without it)."""
        payload = {"url": url, "pid": os.getpid(), "needs_key": needs_key}
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp = self.path.with_suffix(".tmp")
            temp.write_text(json.dumps(payload), encoding="utf-8")
            os.replace(temp, self.path)

    def withdraw(self) -> None:
        """Remove the file if it is this process's."""
        found = self.read(check_alive=False)
        if found is not None and found.pid == os.getpid():
            with contextlib.suppress(OSError):
                self.path.unlink()

    def read(self, check_alive: bool = True) -> ServerAddress | None:
        """The recorded server, or None (no file, unreadable, or its process is gone)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            found = ServerAddress(str(data["url"]), int(data["pid"]), bool(data["needs_key"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if check_alive and not psutil.pid_exists(found.pid):
            return None
        return found


def client_root(host: str, port: int) -> str:
    """Where a client on this machine reaches a server bound to ``host``:``port``."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
