"""The engine contract shared by every backend.

One engine owns one loaded model. ``stream_chat`` yields ``TextDelta`` events and ends
with exactly one ``Finished``. Cancellation is cooperative: the caller sets a
``CancelToken`` from any thread and the engine stops before the next token.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.tools.calls import ToolCall, ToolSpec


@dataclass(frozen=True)
class ChatTurn:
    role: str
    """"system", "user", "assistant" or "tool" (a tool's result)."""
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    """Calls an assistant turn made."""
    tool_call_id: str = ""
    """For a "tool" turn: the call it answers, and the tool's ``name``."""
    name: str = ""


DELTA_INTERVAL_S = 0.001
"""Engines join text that arrives within this long of the last delta into one delta: at
thousands of tokens/s, per-token events would cost the pipeline more than they show."""


@dataclass(frozen=True)
class GenerationParams:
    max_tokens: int = 1024
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    seed: int | None = None
    stop: tuple[str, ...] = ()
    ignore_eos: bool = False
    """Keep generating past end-of-turn tokens and the prompt format's end markers
    (benchmarks and stress tests); the caller's own ``stop`` strings still apply."""
    context_overflow: str = "drop_oldest"
    """When the chat outgrows the context: "drop_oldest" turns, or "stop" with a message."""
    grammar: str | None = None
    """A llama.cpp GBNF grammar the answer must follow (see ``core/structured``)."""
    response_format: Any = None
    """The OpenAI ``response_format`` the grammar came from, for remote engines."""
    tools: tuple[ToolSpec, ...] = ()
    """Tools shown to the model through its chat template (see ``core/tools``)."""
    tool_choice: Any = None
    """The OpenAI ``tool_choice``, for remote engines (a local one uses ``grammar``)."""
    stream_interval_s: float = DELTA_INTERVAL_S
    """Text that comes within this long of the last delta joins the next one (the API
    server: ``hearth serve --stream-interval``)."""


class TextDelta(NamedTuple):
    """A piece of the answer: one token's text, or a few tokens' when they come faster
    than ``DELTA_INTERVAL_S`` apart. A named tuple, because many are made per second."""

    text: str
    tokens: int
    """Tokens generated so far in this answer (a character may span several)."""


@dataclass(frozen=True)
class Finished:
    reason: FinishReason
    stats: GenerationStats = field(default_factory=GenerationStats)
    error: str | None = None


EngineEvent = TextDelta | Finished


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str
    architecture: str
    context_length: int
    """The context window this load uses (n_ctx)."""
    chat_format: str
    """Which prompt format is in use, in English words a user understands (CLI, logs)."""
    format_name: str = ""
    """The prompt format's short name: "chatml", "gemma", "plain"…"""
    format_source: str = "model"
    """Where it came from: "model" (the file's own template), "builtin" (a fallback by
    architecture), "plain", or "rejected" (the file's template failed; a fallback is used).
    The window words this in the user's language."""
    format_problem: str = ""
    """Why the file's template was rejected (``format_source == "rejected"``)."""
    offload: str = ""
    """Where the layers run ("26/26 layers on Vulkan0 (…), KV cache on GPU"), with any
    GPU fallback notice; empty for engines that do not run locally."""
    offload_notice: str = ""
    """One line when a GPU load failed and a fallback (fewer layers, the CPU) took over."""
    supports_tools: bool = False
    """Whether the model's own chat template takes tools (the window greys tools out
    otherwise)."""


class CancelToken:
    """A flag that any thread may set to stop a generation between two tokens.

    A plain attribute rather than a ``threading.Event``: the engine reads it once per
    token, and an attribute read is the cheapest check there is. Setting a Python
    attribute is atomic, and the engine only ever reads it.
    """

    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass(frozen=True)
class EngineCapabilities:
    """What an engine can do beyond ``Engine``'s contract; callers check these flags
    instead of probing for methods, then use the matching protocol below."""

    saves_state: bool = False
    """``save_state``/``load_state`` (``kv_state.Resumable``): chats resume without re-reading."""
    counts_tokens: bool = False
    """``context_usage`` (``MeasuresContext``): how many tokens a chat's next prompt takes."""
    raw_completion: bool = False
    """``stream_completion`` (``CompletesText``): text completion without a chat template."""
    supports_grammar: bool = False
    """Constrained output (a GBNF grammar or a JSON schema)."""
    supports_tools: bool = False
    """Tool calls in the chat protocol."""
    embeddings: bool = False
    """Text embeddings from the loaded model."""


NO_CAPABILITIES = EngineCapabilities()


class EngineError(Exception):
    """A model could not be loaded or used; the message is meant for the user."""


class Engine(Protocol):
    @property
    def info(self) -> ModelInfo: ...

    @property
    def capabilities(self) -> EngineCapabilities: ...

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        """Stream the next answer; when the last turn is an assistant's, continue that text."""
        ...

    def close(self) -> None: ...


class MeasuresContext(Engine, Protocol):
    """An engine with ``capabilities.counts_tokens``."""

    def context_usage(self, turns: list[ChatTurn], params: GenerationParams) -> int: ...


class CompletesText(Engine, Protocol):
    """An engine with ``capabilities.raw_completion``."""

    def stream_completion(
        self, prompt: str, params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]: ...
