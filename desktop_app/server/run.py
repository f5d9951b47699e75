"""Run the API app with uvicorn on a thread of this process (the window's local server)."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette

START_TIMEOUT_S = 30.0


class ServerThread:
    """uvicorn serving ``app`` on an already bound socket, on a daemon thread."""

    def __init__(self, app: Starlette, sock: socket.socket) -> None:
        self._sock = sock
        self._server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
        )
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="HearthApiServer",
            daemon=True,
        )

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._sock.getsockname()[:2]
        return str(host), int(port)

    def start(self) -> bool:
        """Start serving; False if uvicorn did not come up in time."""
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def stop(self, timeout_s: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        self._sock.close()
