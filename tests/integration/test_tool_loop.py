"""The tool loop with the tiny model and a real MCP server (stdio, the official SDK's
FastMCP, ``tests/mcp_test_server.py``): call → approval → execution → result → answer,
and the deny, timeout and crash paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    Finished,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.tools.approval import ApprovalPolicy, Decision
from desktop_app.core.tools.base import ToolError
from desktop_app.core.tools.calls import ToolCall
from desktop_app.core.tools.config import McpServerConfig
from desktop_app.core.tools.loop import ToolLoopEngine, ToolStep
from desktop_app.core.tools.toolbox import Toolbox

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parents[2]
SERVER = McpServerConfig(
    "test", (sys.executable, "-m", "tests.mcp_test_server"), env={"PYTHONPATH": str(ROOT)},
    timeout_s=60,
)  # fmt: skip
ASK = [ChatTurn("user", "Please add two numbers.")]


def named(tool: str) -> dict[str, Any]:
    return {"type": "function", "function": {"name": tool}}


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Iterator[LlamaEngine]:
    loaded = LlamaEngine(tiny_model)
    yield loaded
    loaded.close()


@pytest.fixture
def toolbox() -> Iterator[Toolbox]:
    box = Toolbox.open([], [SERVER])
    assert box.problems == []
    yield box
    box.close()


def run_loop(
    engine: LlamaEngine, box: Toolbox, decide: Decision, tool: str, timeout_s: float = 30
) -> tuple[ToolLoopEngine, list[ToolCall], str, Finished]:
    asked: list[ToolCall] = []

    def ask(call: ToolCall) -> Decision:
        asked.append(call)
        return decide

    loop = ToolLoopEngine(engine, box, ApprovalPolicy(ask), timeout_s=timeout_s)
    params = GenerationParams(max_tokens=200, seed=3, tool_choice=named(tool))
    text, finished = "", None
    for event in loop.stream_chat(list(ASK), params):
        if isinstance(event, TextDelta):
            text += event.text
        else:
            finished = event
    assert isinstance(finished, Finished)
    return loop, asked, text, finished


def test_full_loop_against_an_mcp_server(engine: LlamaEngine, toolbox: Toolbox) -> None:
    assert {spec.name for spec in toolbox.specs()} >= {"add", "lookup_city", "slow", "crash"}
    loop, asked, _, finished = run_loop(engine, toolbox, Decision.ALLOW_ONCE, "add")
    assert [call.name for call in asked] == ["add"]
    [step] = loop.steps
    assert step.status == "done"
    a, b = step.call.arguments["a"], step.call.arguments["b"]
    assert step.result == str(a + b)  # the server really ran it
    # the result went back to the model, which then answered (in its random words)
    roles = [turn.role for turn in loop.turns]
    assert roles == ["user", "assistant", "tool"]
    assert loop.turns[2].content == str(a + b) and loop.turns[2].tool_call_id == step.call.id
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)


def test_denied_call_never_runs(engine: LlamaEngine, toolbox: Toolbox) -> None:
    ran: list[str] = []

    class Counting:
        spec = toolbox.specs()[0]

        def run(self, arguments: Any, timeout_s: float) -> str:
            ran.append("ran")
            return "ran"

    box = Toolbox([Counting()])
    loop, asked, _, _ = run_loop(engine, box, Decision.DENY, Counting.spec.name)
    assert len(asked) == 1
    assert ran == []
    assert loop.steps[0].status == "denied"
    assert "did not allow" in loop.turns[2].content


def test_timeout_is_reported_and_the_chat_goes_on(engine: LlamaEngine, toolbox: Toolbox) -> None:
    loop, _, _, finished = run_loop(engine, toolbox, Decision.ALLOW_ONCE, "slow", timeout_s=1)
    [step] = loop.steps
    assert step.status == "failed"
    assert "no result within 1 s" in step.result
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)


def test_crash_mid_call_is_reported(engine: LlamaEngine, toolbox: Toolbox) -> None:
    loop, _, _, finished = run_loop(engine, toolbox, Decision.ALLOW_ONCE, "crash")
    [step] = loop.steps
    assert step.status == "failed"
    assert "test" in step.result and ("stopped" in step.result or "closed" in step.result.lower())
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)
    with pytest.raises(ToolError, match=r"not running|stopped"):
        toolbox.run(ToolCall("add", {"a": 1, "b": 2}), 5)


def test_server_runs_only_while_the_chat_uses_it() -> None:
    box = Toolbox.open([], [SERVER])
    pid = int(box.run(ToolCall("pid", {}), 10))
    os.kill(pid, 0)  # alive
    box.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_server_that_cannot_start_is_reported() -> None:
    missing = McpServerConfig("ghost", ("/nonexistent/mcp-server",), timeout_s=10)
    box = Toolbox.open([], [missing])
    assert box.specs() == ()
    assert "ghost could not start" in box.problems[0]


def test_a_server_that_dies_at_start_is_quoted_and_kept_off_the_terminal(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the server's standard error: it goes to the server's own log file, not to
    the user's terminal in the middle of a chat, and its last line (usually the reason
    a server would not start) is quoted in the problem the user sees."""
    from desktop_app.core import logs

    folder = tmp_path / "logs"
    setup = logs.LogSetup(folder, folder / logs.LOG_FILE, folder / logs.CRASH_FILE, None)
    monkeypatch.setattr(logs, "current", lambda: setup)
    script = "import sys; print('starting up', file=sys.stderr); "
    script += "sys.exit('config.toml: no API token set')"
    dying = McpServerConfig("dies", (sys.executable, "-c", script), timeout_s=30)
    box = Toolbox.open([], [dying])
    [problem] = box.problems
    assert problem.startswith("The MCP server dies could not start: ")
    assert problem.endswith("; the server said: config.toml: no API token set")
    log_file = tmp_path / "logs" / "mcp-dies.log"
    assert log_file.read_text() == "starting up\nconfig.toml: no API token set\n"
    assert "no API token" not in capfd.readouterr().err


def test_loop_is_bounded_and_cancellable(engine: LlamaEngine, toolbox: Toolbox) -> None:
    steps: list[ToolStep] = []
    cancel = CancelToken()

    def ask(call: ToolCall) -> Decision:
        cancel.cancel()  # Esc while the approval prompt is up
        return Decision.ALLOW_ONCE

    loop = ToolLoopEngine(engine, toolbox, ApprovalPolicy(ask), steps.append, max_steps=1)
    params = GenerationParams(max_tokens=200, seed=1, tool_choice=named("add"))
    events = list(loop.stream_chat(list(ASK), params, cancel))
    assert isinstance(events[-1], Finished)
    assert events[-1].reason is FinishReason.CANCELLED
