"""The tool loop: model → tool calls → approval → execution → results → model …

``ToolLoopEngine`` wraps any engine and keeps its contract (``stream_chat`` yields text
deltas and one ``Finished``), so the chat session code, the CLI and the window's worker
use it like a model. Between answers it runs the calls the model made, each after the
policy's consent, and reports every step through ``on_step``. The loop stops after
``max_steps`` rounds of calls (the model then answers without tools), and a cancel
token stops it between tokens or between calls. ``params.tool_choice`` "required" or
a named function forces the first answer to be a call (grammar-constrained).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    Engine,
    EngineCapabilities,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)
from desktop_app.core.tools.approval import ApprovalPolicy, Decision
from desktop_app.core.tools.base import ToolError
from desktop_app.core.tools.calls import ToolCall
from desktop_app.core.tools.choice import call_grammar, forced_tools
from desktop_app.core.tools.parsing import ToolCallStream
from desktop_app.core.tools.toolbox import Toolbox

MAX_STEPS = 8
TOOL_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ToolStep:
    """One call, as the conversation shows it."""

    call: ToolCall
    status: str
    """"asking", "running", "done", "denied", "failed" or "cancelled"."""
    result: str = ""
    seconds: float = 0.0


StepListener = Callable[[ToolStep], None]


class ToolLoopEngine:
    def __init__(
        self,
        engine: Engine,
        toolbox: Toolbox,
        policy: ApprovalPolicy,
        on_step: StepListener | None = None,
        *,
        max_steps: int = MAX_STEPS,
        timeout_s: float = TOOL_TIMEOUT_S,
    ) -> None:
        self._engine = engine
        self._toolbox = toolbox
        self._policy = policy
        self._on_step = on_step or (lambda step: None)
        self._max_steps = max_steps
        self._timeout_s = timeout_s
        self.steps: list[ToolStep] = []
        """Every finished step of the last ``stream_chat``."""
        self.turns: list[ChatTurn] = []
        """The conversation the last ``stream_chat`` ended with (calls and results in)."""

    @property
    def info(self) -> ModelInfo:
        return self._engine.info

    @property
    def capabilities(self) -> EngineCapabilities:
        return self._engine.capabilities

    def close(self) -> None:
        self._toolbox.close()

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        cancel = cancel or CancelToken()
        self.steps = []
        self.turns = list(turns)
        generated = 0
        for round_ in range(self._max_steps + 1):
            with_tools = round_ < self._max_steps
            specs = self._toolbox.specs() if with_tools else ()
            names = tuple(spec.name for spec in specs)
            stream = ToolCallStream(names)
            step_params = replace(params, tools=tuple(specs), tool_choice=None)
            forced = forced_tools(params.tool_choice, specs) if round_ == 0 and specs else None
            if forced:  # the first answer must call (tool_choice "required" or a name)
                step_params = replace(step_params, grammar=call_grammar(forced))
            finished: Finished | None = None
            for event in self._engine.stream_chat(self.turns, step_params, cancel):
                if isinstance(event, TextDelta):
                    text = stream.feed(event.text)
                    if text:
                        yield TextDelta(text, generated + event.tokens)
                else:
                    finished = event
            finished = finished or Finished(FinishReason.CANCELLED)
            generated += finished.stats.generated_tokens
            rest, calls = stream.finish()
            if rest:
                yield TextDelta(rest, generated)
            if finished.reason is not FinishReason.STOP or not calls:
                yield replace(finished, stats=replace(finished.stats, generated_tokens=generated))
                return
            self.turns.append(ChatTurn("assistant", "", tool_calls=tuple(calls)))
            for call in calls:
                if cancel.cancelled:
                    self._report(ToolStep(call, "cancelled"))
                    yield Finished(FinishReason.CANCELLED, GenerationStats())
                    return
                step = self._run(call, cancel)
                self.turns.append(
                    ChatTurn("tool", step.result, tool_call_id=call.id, name=call.name)
                )
            if cancel.cancelled:  # stopped while asked or during a call: no further answer
                yield Finished(FinishReason.CANCELLED, GenerationStats(generated_tokens=generated))
                return
        yield Finished(FinishReason.STOP, GenerationStats(generated_tokens=generated))

    def _report(self, step: ToolStep) -> None:
        if step.status not in ("asking", "running"):
            self.steps.append(step)
        self._on_step(step)

    def _run(self, call: ToolCall, cancel: CancelToken) -> ToolStep:
        self._report(ToolStep(call, "asking"))
        decision = self._policy.approve(call)
        if cancel.cancelled:  # stopped while the user was asked: not a denial
            step = ToolStep(call, "cancelled", "The user stopped the chat before this call ran.")
            self._report(step)
            return step
        if decision is Decision.DENY:
            step = ToolStep(call, "denied", "The user did not allow this call.")
            self._report(step)
            return step
        self._report(ToolStep(call, "running"))
        started = time.monotonic()
        try:
            result = self._toolbox.run(call, self._timeout_s, lambda: cancel.cancelled)
            status = "done"
        except ToolError as exc:
            result, status = f"Error: {exc}", "failed"
        step = ToolStep(call, status, result, time.monotonic() - started)
        self._report(step)
        return step
