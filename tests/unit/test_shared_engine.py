"""API jobs on the window's engine thread: the waiting count, the 503 limit, and one job at
a time handed to the engine thread (the window's chats never wait behind a queue)."""

from __future__ import annotations

import pytest

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import Finished, GenerationParams
from desktop_app.server.engine_thread import JOB_STARTED, Job, JobEvent, QueueFull
from desktop_app.ui.engine.shared import BridgeJobRunner


class FakeBridge:
    model = None

    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def submit_job(self, job: Job) -> bool:
        self.jobs.append(job)
        return True


def test_a_job_stops_waiting_once_whether_it_starts_or_ends_first() -> None:
    bridge = FakeBridge()
    runner = BridgeJobRunner(bridge, max_waiting=2)  # type: ignore[arg-type]
    seen: list[JobEvent] = []
    runner.submit(Job(GenerationParams(), seen.append))
    runner.submit(Job(GenerationParams(), seen.append))
    with pytest.raises(QueueFull):
        runner.submit(Job(GenerationParams(), seen.append))

    assert len(bridge.jobs) == 1, "API jobs reach the engine thread one at a time"
    first = bridge.jobs[0]
    first.sink(JOB_STARTED)
    assert runner.waiting == 1
    assert len(bridge.jobs) == 1
    first.sink(Finished(FinishReason.STOP))
    assert runner.waiting == 1, "a started job is not counted off twice"
    assert len(bridge.jobs) == 2, "the next job goes once the first has ended"
    second = bridge.jobs[1]
    second.cancel.cancel()
    second.sink(Finished(FinishReason.STOP))  # skipped before it started
    assert runner.waiting == 0
    assert runner.completed == [FinishReason.STOP, FinishReason.CANCELLED]
    assert seen == [JOB_STARTED, Finished(FinishReason.STOP), Finished(FinishReason.STOP)]
    runner.submit(Job(GenerationParams(), seen.append))
    assert runner.waiting == 1
