"""An engine-event sink that keeps one answer's text and its end, for the batched tests."""

from __future__ import annotations

from desktop_app.core.engine.base import EngineEvent, Finished, TextDelta


class Answer:
    def __init__(self) -> None:
        self.text = ""
        self.finished: Finished | None = None

    def __call__(self, event: EngineEvent) -> None:
        if isinstance(event, TextDelta):
            self.text += event.text
        elif isinstance(event, Finished):
            self.finished = event
