"""Parts of ``hearth serve`` that need no model: the default parallelism, the runtime file
that ``hearth ps`` reads, and its table."""

from __future__ import annotations

import json
import os
from pathlib import Path

from desktop_app.cli.ps import format_rows
from desktop_app.server.runtime_file import RuntimeFile
from desktop_app.server.serve_pool import MAX_DEFAULT_PARALLEL, default_parallel


def test_default_parallel_follows_the_free_memory(tiny_model: Path) -> None:
    # The tiny model's KV cache: 2 layers x 2 KV heads x (16 + 16) x 2 bytes per token.
    per_sequence = 256 * 1024
    assert default_parallel(tiny_model, 1024, available=10**12) == MAX_DEFAULT_PARALLEL
    assert default_parallel(tiny_model, 1024, available=4 * 2 * per_sequence) == 2
    assert default_parallel(tiny_model, 1024, available=1000) == 1
    assert default_parallel(tiny_model.with_name("missing.gguf"), 1024) == 1


def test_the_runtime_file_names_a_live_server_only(tmp_path: Path) -> None:
    runtime = RuntimeFile(tmp_path)
    assert runtime.read() is None
    runtime.publish("http://127.0.0.1:8321", needs_key=True)
    found = runtime.read()
    assert found is not None
    assert (found.url, found.pid, found.needs_key) == ("http://127.0.0.1:8321", os.getpid(), True)
    runtime.path.write_text(json.dumps({"url": "http://x:1", "pid": 2**22 + 7, "needs_key": 0}))
    assert runtime.read() is None, "a file left by a dead server is ignored"
    runtime.path.write_text("{not json")
    assert runtime.read() is None
    runtime.publish("http://127.0.0.1:8321", needs_key=False)
    runtime.withdraw()
    assert not runtime.path.exists()


def test_ps_table() -> None:
    rows = [
        {"id": "gemma", "state": "ready", "memory_bytes": 300 * 2**20, "parallel": 4,
         "active": 0, "waiting": 0, "idle_s": 125.0, "remote": False},
        {"id": "remote:lab/llama", "state": "ready", "memory_bytes": 0, "parallel": 1,
         "active": 1, "waiting": 2, "idle_s": 0.0, "remote": True},
    ]  # fmt: skip
    lines = format_rows(rows).splitlines()
    assert lines[0].split() == ["MODEL", "STATE", "MEMORY", "PARALLEL", "ACTIVE", "WAITING",
                                "IDLE"]  # fmt: skip
    assert lines[1].split() == ["gemma", "ready", "300.0", "MB", "4", "0", "0", "2m05s"]
    assert lines[2].split() == ["remote:lab/llama", "(remote)", "ready", "-", "1", "1", "2",
                                "busy"]  # fmt: skip
    assert format_rows([]) == "No model is loaded."
