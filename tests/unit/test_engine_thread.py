"""The API server's engine thread: stopping it ends the running answer, not after it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineError,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)
from desktop_app.server.engine_thread import EngineThread, Job, JobEvent


class EndlessEngine:
    """Streams a token every few milliseconds until cancelled."""

    def __init__(self) -> None:
        self.closed = False

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("Endless", "endless.gguf", "test", 512, "test format")

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        count = 0
        while cancel is None or not cancel.cancelled:
            count += 1
            yield TextDelta("x", count)
            time.sleep(0.005)
        yield Finished(FinishReason.CANCELLED)

    def stream_completion(
        self, prompt: str, params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        return self.stream_chat([], params, cancel)

    def close(self) -> None:
        self.closed = True


def test_stop_cancels_the_running_job_and_the_waiting_ones() -> None:
    engine = EndlessEngine()
    thread = EngineThread(lambda: engine)
    thread.start()
    streaming = threading.Event()
    running: list[JobEvent] = []
    waiting: list[JobEvent] = []

    def on_running(event: JobEvent) -> None:
        running.append(event)
        if isinstance(event, TextDelta):
            streaming.set()

    thread.submit(Job(GenerationParams(), on_running, turns=[ChatTurn("user", "go")]))
    thread.submit(Job(GenerationParams(), waiting.append, turns=[ChatTurn("user", "next")]))
    assert streaming.wait(5)

    started = time.monotonic()
    thread.stop(timeout_s=5)

    assert time.monotonic() - started < 2
    assert engine.closed
    assert isinstance(running[-1], Finished)
    assert running[-1].reason is FinishReason.CANCELLED
    assert [type(e) for e in waiting] == [Finished]
    assert thread.completed == [FinishReason.CANCELLED]


def test_a_bug_while_opening_the_model_is_reported_and_its_traceback_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken() -> EndlessEngine:
        raise IndexError("tensor 7 out of range")

    thread = EngineThread(broken)
    with pytest.raises(EngineError, match="tensor 7 out of range"):
        thread.start()
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.exc_info is not None and record.exc_info[0] is IndexError
    assert 'raise IndexError("tensor 7 out of range")' in caplog.text
