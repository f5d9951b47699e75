"""Evicting a model never holds up requests for the others.

``ModelPool`` stops the least recently used model outside its lock, on the thread of
the model that replaces it: while that stop takes its time (a big model's memory being
freed), a request for another loaded model is answered.
"""

from __future__ import annotations

import threading
from functools import partialmethod
from pathlib import Path

import openai
import pytest

from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.server.scheduler import BatchScheduler
from tests.pool_helpers import library_of_copies, pool_server

pytestmark = pytest.mark.integration

WAIT_S = 120.0


def ask(client: openai.OpenAI, model: str) -> str | None:
    answer = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Hi"}], max_tokens=2, timeout=WAIT_S
    )
    return answer.choices[0].finish_reason


def test_a_request_for_another_model_is_served_while_an_eviction_stops_a_model(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stop waits as long as the model takes to close (by default it gives up after
    # 30 s, which would only hide a stop made under the pool's lock).
    monkeypatch.setattr(BatchScheduler, "stop", partialmethod(BatchScheduler.stop, None))
    library = library_of_copies(tiny_model, tmp_path, ("alpha", "beta", "gamma"))
    release = threading.Event()
    closing = threading.Event()
    events: list[str] = []

    def slow_close(path: Path, engine: LlamaEngine) -> None:
        events.append(f"loaded {path.stem}")
        if path.stem != "alpha":
            return
        close = engine.close

        def closing_slowly() -> None:
            closing.set()
            release.wait(WAIT_S)
            events.append("alpha closed")
            close()

        engine.close = closing_slowly  # type: ignore[method-assign]

    with pool_server(library, parallel=1, max_models=2, after_load=slow_close) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="unused", max_retries=0)
        assert ask(client, "alpha") and ask(client, "beta")
        gamma: list[str | None] = []
        newcomer = threading.Thread(target=lambda: gamma.append(ask(client, "gamma")))
        newcomer.start()  # evicts alpha, the least recently used
        assert closing.wait(WAIT_S), "alpha was not stopped"
        try:
            assert ask(client, "beta") in ("length", "stop")
            assert server.pool.unloaded == ["alpha:lru"]
            assert gamma == [] and "loaded gamma" not in events  # it waits for alpha's memory
        finally:
            release.set()
        newcomer.join(WAIT_S)
        assert gamma and gamma[0] in ("length", "stop")
        assert events == ["loaded alpha", "loaded beta", "alpha closed", "loaded gamma"]
        client.close()
