"""ToolTurnJob (the window's answer job with tools): steps stored with the answer as
they happen, a server that cannot start reported as a step, the toolbox closed when the
answer ends; and the per-chat / per-preset tool lists and remembered consent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.chats.jobs import TurnJob
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)
from desktop_app.core.presets import preset_from_dict
from desktop_app.core.tools.approval import Decision
from desktop_app.core.tools.builtins import Calculator
from desktop_app.core.tools.calls import ToolCall
from desktop_app.core.tools.chat_job import SERVER_PROBLEM, ToolTurnJob, open_chat_toolbox
from desktop_app.core.tools.config import (
    McpServerConfig,
    ToolsConfig,
    load_tools_config,
    save_tools_config,
)
from desktop_app.core.tools.steps import message_steps, save_steps
from desktop_app.core.tools.toolbox import Toolbox

CALL = '<tool_call>{"name": "calculator", "arguments": {"expression": "2+3"}}</tool_call>'


class CallingEngine:
    """Calls the calculator once, then answers with the result."""

    def __init__(self) -> None:
        self.seen_tools: list[tuple[str, ...]] = []

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("Scripted", "scripted.gguf", "test", 512, "test format")

    @property
    def capabilities(self):  # type: ignore[no-untyped-def]
        from desktop_app.core.engine.base import NO_CAPABILITIES

        return NO_CAPABILITIES

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        self.seen_tools.append(tuple(spec.name for spec in params.tools))
        results = [turn.content for turn in turns if turn.role == "tool"]
        text = f"It is {results[-1]}." if results else CALL
        yield TextDelta(text, 1)
        yield Finished(FinishReason.STOP, GenerationStats(generated_tokens=1))

    def close(self) -> None:
        pass


class ClosingToolbox(Toolbox):
    closed = 0

    def close(self) -> None:
        type(self).closed += 1
        super().close()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def run(job: ToolTurnJob, store: Store, conversation_id: int) -> list[EngineEvent]:
    return list(
        job(CallingEngine(), store, conversation_id, GenerationParams(), CancelToken())  # type: ignore[arg-type]
    )


def test_steps_are_stored_with_the_answer_and_the_toolbox_closes(store: Store) -> None:
    conversation = store.create_conversation()
    asked: list[ToolCall] = []

    def ask(call: ToolCall, cancel: CancelToken) -> Decision:
        asked.append(call)
        return Decision.ALLOW_ONCE

    ClosingToolbox.closed = 0
    job = ToolTurnJob(
        TurnJob("What is 2+3?"), lambda store, cid: ClosingToolbox([Calculator()]), ask
    )
    events = run(job, store, conversation.id)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "It is 5."
    assert [call.name for call in asked] == ["calculator"]
    assert ClosingToolbox.closed == 1
    question, answer = store.messages(conversation.id)
    assert answer.content == "It is 5."
    [step] = message_steps(store, answer.id)
    assert (step.name, step.status, step.result) == ("calculator", "done", "5")
    assert step.arguments == {"expression": "2+3"}
    assert message_steps(store, question.id) == []


def test_always_allowed_tools_are_not_asked_about(store: Store) -> None:
    conversation = store.create_conversation()
    job = ToolTurnJob(
        TurnJob("2+3?"),
        lambda store, cid: Toolbox([Calculator()]),
        lambda call, cancel: pytest.fail("asked"),  # type: ignore[arg-type,return-value]
        always_allowed=("calculator",),
    )
    run(job, store, conversation.id)
    assert message_steps(store, store.messages(conversation.id)[-1].id)[0].status == "done"


def test_a_server_that_cannot_start_is_a_failed_step_and_the_chat_goes_on(
    store: Store, tmp_path: Path
) -> None:
    conversation = store.create_conversation()
    broken = McpServerConfig("ghost", (str(tmp_path / "no-such-program"),), timeout_s=20)
    job = ToolTurnJob(
        TurnJob("2+3?"),
        lambda store, cid: open_chat_toolbox(store, cid, ["calculator"], [broken]),
        lambda call, cancel: Decision.ALLOW_ONCE,
    )
    run(job, store, conversation.id)
    answer = store.messages(conversation.id)[-1]
    assert answer.content == "It is 5."
    problem, call = message_steps(store, answer.id)
    assert problem.name == SERVER_PROBLEM and problem.status == "failed"
    assert "ghost" in problem.result and "could not start" in problem.result
    assert call.status == "done"


def test_read_file_is_offered_only_with_an_attached_file(store: Store, tmp_path: Path) -> None:
    conversation = store.create_conversation()
    box = open_chat_toolbox(store, conversation.id, ["calculator", "file"], [])
    assert [spec.name for spec in box.specs()] == ["calculator"]
    note = tmp_path / "note.txt"
    note.write_text("remember the milk", encoding="utf-8")
    question = store.add_user_message(conversation.id, "see the note")
    attachment = {"name": "note.txt", "path": str(note), "size": 17, "tokens": 4, "sections": []}
    store.set_message_documents(question.id, {"attachments": [attachment]})
    box = open_chat_toolbox(store, conversation.id, ["file"], [])
    assert box.run(ToolCall("read_file", {"name": "note.txt"}), 5) == "remember the milk"


def test_saved_steps_keep_the_other_documents_of_the_message(store: Store) -> None:
    conversation = store.create_conversation()
    answer_id = store.begin_answer(conversation.id, "m")
    store.set_message_documents(answer_id, {"sources": [{"label": "[1]"}]})
    from desktop_app.core.tools.steps import StoredStep

    save_steps(store, answer_id, [StoredStep("calculator", {"expression": "1"}, "done", "1")])
    documents = store.message_documents([answer_id])[answer_id]
    assert documents["sources"] == [{"label": "[1]"}]
    assert documents["tool_steps"][0]["name"] == "calculator"


def test_chat_and_preset_tool_lists_and_remembered_consent_round_trip(tmp_path: Path) -> None:
    overrides = ChatOverrides(tools=("calculator", "mcp:files"))
    assert ChatOverrides.from_mapping(json.loads(json.dumps(overrides.to_mapping()))) == overrides
    assert ChatOverrides.from_mapping({}).tools is None
    preset = preset_from_dict(
        {"id": "helper", "name": {"en": "Helper"}, "tools": ["time", "documents"]}
    )
    assert preset.tools == ("time", "documents")
    assert preset_from_dict(preset.to_dict()).tools == ("time", "documents")
    save_tools_config(tmp_path, ToolsConfig(always_allowed=("calculator",)))
    assert load_tools_config(tmp_path)[0].always_allowed == ("calculator",)


def test_search_my_documents_finds_passages_with_their_place(tmp_path: Path) -> None:
    from desktop_app.core.documents.chunking import Chunk
    from desktop_app.core.documents.index import DocumentIndex
    from desktop_app.core.tools.base import ToolError
    from desktop_app.core.tools.builtins import builtin_tools

    database = tmp_path / "documents.sqlite3"
    [tool] = builtin_tools(["documents"], documents=database)
    with pytest.raises(ToolError, match="no document collections"):
        tool.run({"query": "zebra"}, 5)
    index = DocumentIndex.open(database)
    notes = index.add_collection("Notes", tmp_path)
    index.replace_file(
        notes.id,
        "zoo.md",
        1,
        1,
        "x",
        [
            Chunk(0, "The zebra sleeps standing up.", 2, "Animals", 6),
            Chunk(1, "Opening hours are nine to five.", 3, None, 6),
        ],
    )
    index.close()
    found = tool.run({"query": "zebra"}, 5)
    assert "[Notes: zoo.md" in found and "The zebra sleeps standing up." in found
    assert "Opening hours" not in found
    assert tool.run({"query": "giraffe"}, 5) == "No document mentions 'giraffe'."
