"""An answer job with tools, for the window's engine thread.

``ToolTurnJob`` wraps an answer job (``core/chats/jobs.py``): it opens the chat's
toolbox (starting the MCP servers the chat uses), runs the inner job with the engine
wrapped in ``ToolLoopEngine``, stores every finished step with the answer as it
happens, and closes the toolbox (stopping the servers) when the answer ends. The inner
job may be a new question, an edited one, a Regenerate (a new answer) or a Continue
(the same answer: its earlier steps are kept, the new ones follow them). All of it
runs on the thread that runs the job, never the GUI thread; the user is asked through
``ask``, which may block that thread until the user answers or the answer is stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.chats.model import Role
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    Engine,
    EngineEvent,
    GenerationParams,
)
from desktop_app.core.tools.approval import ApprovalPolicy, Decision
from desktop_app.core.tools.builtins import builtin_tools
from desktop_app.core.tools.calls import ToolCall
from desktop_app.core.tools.config import McpServerConfig
from desktop_app.core.tools.loop import MAX_STEPS, ToolLoopEngine, ToolStep
from desktop_app.core.tools.steps import StoredStep, message_steps, save_steps
from desktop_app.core.tools.toolbox import Toolbox

InnerJob = Callable[[Engine, Store, int, GenerationParams, CancelToken], Iterator[EngineEvent]]
WindowAsker = Callable[[ToolCall, CancelToken], Decision]
"""Asks the user about a call; returns when they answer or the cancel token is set."""

SERVER_PROBLEM = "mcp_server"
"""The name a step gets that reports an MCP server which could not start."""


def open_chat_toolbox(
    store: Store,
    conversation_id: int,
    builtins: Sequence[str],
    servers: Sequence[McpServerConfig],
    documents: Path | None = None,
) -> Toolbox:
    """The tools of one chat: ``builtins`` (short names) and ``servers`` (started now).

    "file" reads the files attached to the chat's questions (found in the store),
    "documents" searches the document index at ``documents``.
    """
    from desktop_app.core.documents.attachments import conversation_attachments

    paths = [Path(item.path) for item in conversation_attachments(store, conversation_id)]
    tools = builtin_tools(
        [name for name in builtins if name != "file" or paths], lambda: store, paths, documents
    )
    return Toolbox.open(tools, servers)


@dataclass(frozen=True)
class ToolTurnJob:
    inner: InnerJob
    open_toolbox: Callable[[Store, int], Toolbox]
    ask: WindowAsker
    always_allowed: Iterable[str] = ()
    on_step: Callable[[ToolStep], None] = lambda step: None
    max_steps: int = MAX_STEPS

    def __call__(
        self,
        engine: Engine,
        store: Store,
        conversation_id: int,
        params: GenerationParams,
        cancel: CancelToken,
    ) -> Iterator[EngineEvent]:
        toolbox = self.open_toolbox(store, conversation_id)
        recorder = _Recorder(store, conversation_id)
        for problem in toolbox.problems:
            recorder.add(ToolStep(ToolCall(SERVER_PROBLEM, {}), "failed", problem))

        def report(step: ToolStep) -> None:
            if step.status not in ("asking", "running"):
                recorder.add(step)
            self.on_step(step)

        policy = ApprovalPolicy(lambda call: self.ask(call, cancel), self.always_allowed)
        loop = _RecordingLoop(recorder, engine, toolbox, policy, report, max_steps=self.max_steps)
        try:
            yield from self.inner(loop, store, conversation_id, params, cancel)
        finally:
            toolbox.close()
            recorder.flush()


class _RecordingLoop(ToolLoopEngine):
    """The tool loop, telling the recorder when the answer begins: every job stores (or
    reopens) its answer as the conversation's leaf before it asks the engine."""

    def __init__(self, recorder: _Recorder, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recorder = recorder

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        self._recorder.begin()
        return super().stream_chat(turns, params, cancel)


class _Recorder:
    """Saves the steps so far with the answer being written (the conversation's leaf when
    the engine is first asked). Steps reported before that (a server that could not
    start) wait for it, so they never land on the previous answer; an answer that
    already had steps (a Continue) keeps them ahead of the new ones."""

    def __init__(self, store: Store, conversation_id: int) -> None:
        self._store = store
        self._conversation_id = conversation_id
        self._answer_id: int | None = None
        self._earlier: list[StoredStep] = []
        self.steps: list[StoredStep] = []

    def begin(self) -> None:
        if self._answer_id is not None:
            return
        conversation = self._store.conversation(self._conversation_id)
        leaf = conversation.current_leaf_id if conversation else None
        message = self._store.message(leaf) if leaf is not None else None
        if message is None or message.role is not Role.ASSISTANT:
            return
        self._answer_id = message.id
        self._earlier = message_steps(self._store, message.id)
        self.flush()

    def add(self, step: ToolStep) -> None:
        self.steps.append(StoredStep.from_step(step))
        self.flush()

    def flush(self) -> None:
        if self.steps and self._answer_id is not None:
            save_steps(self._store, self._answer_id, [*self._earlier, *self.steps])
