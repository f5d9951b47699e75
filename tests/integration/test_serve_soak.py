"""Soak: 200 requests from 8 clients, with random cancels and disconnects.

Bounded in count (short answers from the tiny model: about a minute on 2 cores), and
every request has a timeout. Afterwards the server must be idle, serve a normal request,
and its memory (this process's RSS: the server runs in it) must not have grown past the
high-water mark of the first 50 requests by more than ``RSS_MARGIN_BYTES``.
"""

from __future__ import annotations

import random
import socket
import threading
from pathlib import Path

import openai
import psutil
import pytest

from tests.pool_helpers import library_of_copies, pool_server

pytestmark = [pytest.mark.integration, pytest.mark.soak]

CLIENTS = 8
REQUESTS = 200
WARM_UP = 50
RSS_MARGIN_BYTES = 24 * 1024 * 1024
"""Allowed growth over the warm-up's high-water mark: allocator noise and caches that
fill once (token tables, sampler buffers), far below what a leak per request would add
over 150 more requests."""
TIMEOUT_S = 120.0


def _disconnect(root: str) -> None:
    """Send a streaming request and hang up before reading the answer."""
    host, port = root.removeprefix("http://").split(":")
    body = (
        b'{"model": "alpha", "messages": [{"role": "user", "content": "Hi"}], '
        b'"max_tokens": 200, "stream": true, "ignore_eos": true}'
    )
    with socket.create_connection((host, int(port)), timeout=TIMEOUT_S) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )


def test_soak_with_cancels_and_disconnects(tiny_model: Path, tmp_path: Path) -> None:
    library = library_of_copies(tiny_model, tmp_path, ("alpha",))
    process = psutil.Process()
    lock = threading.Lock()
    done: list[str] = []
    rss: list[int] = []
    errors: list[BaseException] = []

    with pool_server(library, parallel=4, queue_size=REQUESTS) as server:
        client = openai.OpenAI(
            base_url=server.base_url, api_key="unused", max_retries=0, timeout=TIMEOUT_S
        )

        def one(rng: random.Random) -> str:
            roll = rng.random()
            messages = [{"role": "user", "content": f"Say {rng.randrange(1000)}"}]
            if roll < 0.15:
                _disconnect(server.root)
                return "disconnect"
            if roll < 0.35:
                stream = client.chat.completions.create(
                    model="alpha", messages=messages, max_tokens=500, stream=True,  # type: ignore[arg-type]
                    extra_body={"ignore_eos": True},
                )  # fmt: skip
                for index, _chunk in enumerate(stream):
                    if index >= rng.randrange(1, 6):
                        break
                stream.close()
                return "cancel"
            answer = client.chat.completions.create(
                model="alpha",
                messages=messages,  # type: ignore[arg-type]
                max_tokens=rng.randrange(1, 24),
                stream=False,
            )
            assert answer.choices[0].finish_reason in ("stop", "length")
            return "answer"

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            try:
                for _ in range(REQUESTS // CLIENTS):
                    outcome = one(rng)
                    with lock:
                        done.append(outcome)
                        rss.append(process.memory_info().rss)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT_S * 4)
        assert not errors, errors
        assert len(done) == REQUESTS
        assert {"answer", "cancel", "disconnect"} <= set(done)

        runner = server.pool.route("alpha")[2]
        deadline_reached = threading.Event()
        timer = threading.Timer(TIMEOUT_S, deadline_reached.set)
        timer.start()
        while (runner.active or runner.waiting) and not deadline_reached.is_set():
            deadline_reached.wait(0.05)
        timer.cancel()
        assert runner.active == 0 and runner.waiting == 0
        answer = client.chat.completions.create(
            model="alpha", messages=[{"role": "user", "content": "Hello"}], max_tokens=5
        )
        assert answer.choices[0].finish_reason in ("stop", "length")
        client.close()

    high_water = max(rss[:WARM_UP])
    peak = max(rss)
    print(f"soak RSS: first {WARM_UP} high-water {high_water / 2**20:.1f} MiB, "
          f"peak {peak / 2**20:.1f} MiB, margin {RSS_MARGIN_BYTES / 2**20:.0f} MiB")  # fmt: skip
    assert peak <= high_water + RSS_MARGIN_BYTES
