"""llama-cpp-python's own OpenAI-compatible server as a subprocess, for the remote tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_TIMEOUT_S = 60.0
MODEL_ALIAS = "tiny"
NO_END_OF_TURN = {"logit_bias": {"387": -100, "388": -100, "389": -100}}
"""The tiny model's special tokens (see tests/tiny_model.py), banned so answers run long."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LlamaServer:
    process: subprocess.Popen[bytes]
    base_url: str
    api_key: str | None
    log: Path

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


@contextmanager
def llama_server(model: Path, log_dir: Path, api_key: str | None = None) -> Iterator[LlamaServer]:
    port = free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "32768", "--n_threads", "1",
    ]  # fmt: skip
    if api_key:
        command += ["--api_key", api_key]
    log = log_dir / f"llama-server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    server = LlamaServer(process, f"http://127.0.0.1:{port}/v1", api_key, log)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        server.kill()


def _wait_until_ready(server: LlamaServer) -> None:
    headers = {"Authorization": f"Bearer {server.api_key}"} if server.api_key else {}
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited: {server.log.read_text()[-2000:]}")
        try:
            if (
                httpx.get(server.base_url + "/models", headers=headers, timeout=2).status_code
                == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"llama_cpp.server did not start: {server.log.read_text()[-2000:]}")
