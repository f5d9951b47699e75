"""How often a streamed answer's text is handed out (``GenerationParams.stream_interval_s``,
``hearth serve --stream-interval``).

Guards the promises of ``server/pacing.py``: the server gives every job its interval;
tokens that come faster than the interval are handed out together, the first text of an
answer at once, with nothing lost or reordered by joining; an interval of 0 hands out
every token. The tiny model answers in well under a millisecond a token, so the engines
are driven directly (the server's event loop would join such fast events anyway), the
batched decoder with a clock that advances one step at a time.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from desktop_app.cli.parser import build_parser
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine import batched
from desktop_app.core.engine.base import (
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)
from desktop_app.core.engine.batched import BatchedDecoder, SequenceRequest
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from desktop_app.server.app import ServerConfig, create_app
from desktop_app.server.engine_thread import JOB_STARTED, Job
from desktop_app.server.pacing import STREAM_INTERVAL_S

pytestmark = pytest.mark.integration

TURNS = [ChatTurn("user", "Hello there")]
TOKENS = 30
ANSWER = GenerationParams(max_tokens=TOKENS, seed=4, ignore_eos=True)


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Iterator[LlamaEngine]:
    made = LlamaEngine(tiny_model, LoadParams(n_ctx=512, n_threads=1, n_seq_max=2))
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def crowded_engine(tiny_model: Path) -> Iterator[LlamaEngine]:
    made = LlamaEngine(tiny_model, LoadParams(n_ctx=1024, n_threads=1, n_seq_max=8))
    try:
        yield made
    finally:
        made.close()


def deltas(engine: LlamaEngine, interval: float) -> list[TextDelta]:
    params = replace(ANSWER, stream_interval_s=interval)
    events = list(engine.stream_chat(TURNS, params))
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.stats.generated_tokens == TOKENS
    return [event for event in events if isinstance(event, TextDelta)]


def test_a_long_interval_hands_out_the_first_text_at_once_and_the_rest_together(
    engine: LlamaEngine,
) -> None:
    every = deltas(engine, 0.0)
    paced = deltas(engine, 600.0)
    assert len(paced) == 2, paced
    assert paced[0] == every[0]
    assert "".join(d.text for d in paced) == "".join(d.text for d in every)


def test_an_interval_of_zero_hands_out_every_token(engine: LlamaEngine) -> None:
    every = deltas(engine, 0.0)
    # A token whose bytes end inside a character waits for the next one, so a few
    # deltas may carry two tokens; most carry one.
    assert len(every) >= TOKENS * 2 // 3, every
    assert [d.tokens for d in every] == sorted({d.tokens for d in every})


class SteppingClock:
    """A clock that moves ``step`` seconds each time it is read (once per decoding step)."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def paced_together(
    engine: LlamaEngine, intervals: list[float]
) -> list[list[tuple[float, EngineEvent]]]:
    """Answers decoded together, one per interval, on a clock of 10 ms a step: each
    answer's events with the clock's time when they came."""
    decoder = BatchedDecoder(engine)
    clock = SteppingClock(0.01)
    decoder._clock = clock
    seen: list[list[tuple[float, EngineEvent]]] = [[] for _ in intervals]
    try:
        for interval, events in zip(intervals, seen, strict=True):
            params = replace(ANSWER, stream_interval_s=interval)
            fit = decoder.chat_prompt(TURNS, params)
            assert not isinstance(fit, Finished), fit

            def emit(event: EngineEvent, events: list[tuple[float, EngineEvent]] = events) -> None:
                events.append((clock.now, event))

            assert decoder.admit(SequenceRequest(fit[0], params, emit))
        while decoder.active:
            decoder.step()
    finally:
        decoder.close()
    for events in seen:
        finished = events[-1][1]
        assert isinstance(finished, Finished) and finished.reason is FinishReason.LENGTH
    return seen


def delta_gaps(events: list[tuple[float, EngineEvent]]) -> list[float]:
    """Clock time between one delta and the next, the tail's (at the end) left out."""
    times = [t for t, event in events if isinstance(event, TextDelta)]
    return [round(b - a, 6) for a, b in itertools.pairwise(times[:-1])]


def text(events: list[tuple[float, EngineEvent]]) -> str:
    return "".join(event.text for _, event in events if isinstance(event, TextDelta))


def test_the_batched_decoder_hands_out_text_at_most_once_an_interval(
    engine: LlamaEngine,
) -> None:
    """Two answers, one paced at 45 ms, one at 0: the paced one's text comes every
    fifth step (sooner only at the end), the other's every step; both read alike."""
    paced, unpaced = paced_together(engine, [0.045, 0.0])
    gaps = delta_gaps(paced)
    assert gaps and all(gap >= 0.045 for gap in gaps), gaps
    assert len(gaps) <= TOKENS // 4 < len(delta_gaps(unpaced))
    assert text(paced) == text(unpaced)


def test_the_answers_that_stream_at_full_rate_are_one_per_cpu_core() -> None:
    assert os.cpu_count() == batched.FULL_RATE_ANSWERS


@pytest.mark.parametrize(("full_rate", "stretched"), [(4, 0.09), (2, 0.18)])
def test_more_answers_than_full_rate_stretch_the_interval_in_proportion(
    crowded_engine: LlamaEngine, monkeypatch: pytest.MonkeyPatch, full_rate: int,
    stretched: float,
) -> None:  # fmt: skip
    """Eight answers paced at 45 ms, with twice (four times) FULL_RATE_ANSWERS decoding:
    each one's text comes at most every 90 (180) ms, so all of them together send no
    more than FULL_RATE_ANSWERS would."""
    monkeypatch.setattr(batched, "FULL_RATE_ANSWERS", full_rate)
    answers = paced_together(crowded_engine, [0.045] * 8)
    for events in answers:
        gaps = delta_gaps(events)
        assert gaps and all(gap >= stretched for gap in gaps), gaps
        assert text(events) == text(answers[0])


class RecordingRunner:
    """Takes every job and answers it at once, keeping the job to look at."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.info = ModelInfo("tiny", "/models/tiny.gguf", "llama", 2048, "ChatML")

    def submit(self, job: Job) -> None:
        self.jobs.append(job)
        job.sink(JOB_STARTED)
        job.sink(TextDelta("Hi", 1))
        job.sink(Finished(FinishReason.STOP, GenerationStats(generated_tokens=1)))


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("interval", [None, 0.0, 0.2])
def test_the_server_gives_every_job_its_stream_interval(
    stream: bool, interval: float | None
) -> None:
    runner = RecordingRunner()
    config = ServerConfig("tiny", Path("/models/tiny.gguf"))
    if interval is not None:
        config = replace(config, stream_interval_s=interval)
    with TestClient(create_app(runner, config), base_url="http://127.0.0.1") as client:  # type: ignore[arg-type]
        body = {"messages": [{"role": "user", "content": "Hi"}], "stream": stream}
        assert client.post("/v1/chat/completions", json=body).status_code == 200
        assert client.post("/v1/completions", json={"prompt": "Hi"}).status_code == 200
    expected = STREAM_INTERVAL_S if interval is None else interval
    assert [job.params.stream_interval_s for job in runner.jobs] == [expected, expected]


@pytest.mark.parametrize(
    ("given", "seconds"), [([], 0.05), (["--stream-interval", "0"], 0.0),
                           (["--stream-interval", "120"], 0.12)],
)  # fmt: skip
def test_serve_reads_the_interval_in_milliseconds(given: list[str], seconds: float) -> None:
    args = build_parser().parse_args(["serve", *given])
    assert args.stream_interval == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["-1", "soon", "20000"])
def test_serve_refuses_an_interval_out_of_range(
    bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--stream-interval", bad])
    assert "--stream-interval: must be a number of milliseconds from 0 to 10000" in (
        capsys.readouterr().err
    )
