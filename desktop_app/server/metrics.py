"""``GET /metrics``: the server's counters in Prometheus text format (prometheus_client).

Each app has its own registry (tests and the window may run several). Request outcomes,
tokens and timings are counted as the jobs' events pass through ``track``; queue
lengths and loaded models are read from the runner when the metrics are scraped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import Finished, TextDelta
from desktop_app.server.engine_thread import JobEvent

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
TTFT_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
RATE_BUCKETS = (1, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)
OUTCOMES = {
    FinishReason.STOP: "stop",
    FinishReason.LENGTH: "length",
    FinishReason.CANCELLED: "cancelled",
    FinishReason.ERROR: "error",
}

Status = Callable[[], list[dict[str, Any]]]
"""What is loaded: rows like ``ModelPool.loaded()`` returns."""


class _Loaded(Collector):
    def __init__(self, status: Status) -> None:
        self._status = status

    def collect(self) -> Iterator[GaugeMetricFamily]:
        rows = self._status()
        waiting = GaugeMetricFamily(
            "hearth_queue_length", "Requests waiting for a free slot", labels=["model"]
        )
        active = GaugeMetricFamily(
            "hearth_requests_active", "Requests being answered now", labels=["model"]
        )
        loaded = GaugeMetricFamily(
            "hearth_model_loaded", "1 when the model is ready, 0 while it loads", labels=["model"]
        )
        memory = GaugeMetricFamily(
            "hearth_model_memory_bytes", "Memory a loaded model takes", labels=["model"]
        )
        for row in rows:
            model = [row["id"]]
            waiting.add_metric(model, row["waiting"])
            active.add_metric(model, row["active"])
            loaded.add_metric(model, 1 if row["state"] == "ready" else 0)
            memory.add_metric(model, row["memory_bytes"])
        count = GaugeMetricFamily("hearth_models_loaded", "Models loaded (ready)")
        count.add_metric([], sum(1 for row in rows if row["state"] == "ready"))
        yield from (waiting, active, loaded, memory, count)


class ServerMetrics:
    """The counters of one app."""

    def __init__(self, status: Status) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hearth_requests",
            "Generation requests by how they ended",
            ["model", "outcome"],
            registry=self.registry,
        )
        self.tokens = Counter(
            "hearth_tokens_generated", "Tokens generated", ["model"], registry=self.registry
        )
        self.prompt_tokens = Counter(
            "hearth_prompt_tokens", "Prompt tokens read", ["model"], registry=self.registry
        )
        self.cached_tokens = Counter(
            "hearth_prompt_tokens_cached",
            "Prompt tokens reused from a slot's cache",
            ["model"],
            registry=self.registry,
        )
        self.ttft = Histogram(
            "hearth_time_to_first_token_seconds",
            "From the request to its first token (queue and model load included)",
            ["model"],
            buckets=TTFT_BUCKETS,
            registry=self.registry,
        )
        self.rate = Histogram(
            "hearth_tokens_per_second",
            "Generation rate of each answer after its first token",
            ["model"],
            buckets=RATE_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(_Loaded(status))

    def track(self, model: str, sink: Callable[[JobEvent], None]) -> Callable[[JobEvent], None]:
        """``sink`` that also counts what passes through it (on the engine thread)."""
        submitted = time.perf_counter()
        first = True

        def counting(event: JobEvent) -> None:
            nonlocal first
            if first and isinstance(event, TextDelta):
                first = False
                self.ttft.labels(model).observe(time.perf_counter() - submitted)
            elif isinstance(event, Finished):
                self._finished(model, event)
            sink(event)

        return counting

    def _finished(self, model: str, event: Finished) -> None:
        stats = event.stats
        self.requests.labels(model, OUTCOMES.get(event.reason, "stop")).inc()
        self.tokens.labels(model).inc(stats.generated_tokens)
        self.prompt_tokens.labels(model).inc(stats.prompt_tokens)
        self.cached_tokens.labels(model).inc(stats.cached_prompt_tokens)
        if stats.tokens_per_s:
            self.rate.labels(model).observe(stats.tokens_per_s)

    def render(self) -> bytes:
        return generate_latest(self.registry)
