"""Run Hearth's API server for tests: in-process on a thread, or ``hearth serve`` as a child."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from desktop_app.server.app import ServerConfig, create_app
from desktop_app.server.engine_thread import EngineThread
from desktop_app.server.listen import bind_socket
from desktop_app.server.models import resolve_model
from desktop_app.server.run import ServerThread
from desktop_app.server.security import AccessPolicy

START_TIMEOUT_S = 60.0


@dataclass
class RunningServer:
    base_url: str
    engine: EngineThread
    model_id: str


@contextmanager
def api_server(
    model: Path,
    *,
    queue_size: int = 8,
    api_key: str | None = None,
    max_body: int | None = None,
    embedder: Any = None,
    access: AccessPolicy | None = None,
) -> Iterator[RunningServer]:
    """The real app and engine thread, served by uvicorn on a free loopback port."""
    model_id, path = resolve_model(str(model))
    engine = EngineThread(
        lambda: LlamaEngine(path, LoadParams(n_ctx=8192, n_threads=1)), queue_size
    )
    engine.start()
    config = ServerConfig(model_id, path, api_key)
    if max_body is not None:
        config = replace(config, max_body_bytes=max_body)
    if access is not None:
        config = replace(config, access=access)
    server = ServerThread(create_app(engine, config, embedder), bind_socket("127.0.0.1", 0))
    try:
        assert server.start(), "uvicorn did not start"
        yield RunningServer(f"http://127.0.0.1:{server.address[1]}/v1", engine, model_id)
    finally:
        server.stop(30)
        engine.stop()


@dataclass
class ServeProcess:
    process: subprocess.Popen[str]
    lines: queue.Queue[str]
    seen: list[str]

    def wait_for(self, pattern: str, timeout_s: float = START_TIMEOUT_S) -> re.Match[str]:
        deadline = time.monotonic() + timeout_s
        regex = re.compile(pattern)
        for line in self.seen:
            if found := regex.search(line):
                return found
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if found := regex.search(line):
                return found
        raise AssertionError(f"no line matching {pattern!r} in: {self.seen}")


@contextmanager
def hearth_serve(*args: str, env: dict[str, str]) -> Iterator[ServeProcess]:
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "serve", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    try:
        yield ServeProcess(process, lines, [])
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
