"""The tool loop in the window: the Tools button, the approval prompt (allow once,
always allow, deny, Esc), the steps under the answer (opened with a click, kept across
a restart), the bound on the loop, tools greyed out for a template without tool
support, and one answer with the real tiny model forced to call a tool."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth
from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.overrides import ChatOverrides
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.paths import app_paths
from desktop_app.core.tools.config import (
    McpServerConfig,
    ToolsConfig,
    load_tools_config,
    save_tools_config,
)
from desktop_app.core.tools.loop import MAX_STEPS
from desktop_app.core.tools.mcp_client import McpConnection
from desktop_app.ui.chat.model import ChatRoles
from desktop_app.ui.extensions.api import OutgoingMessage, WindowApi
from desktop_app.ui.tools.approval import ApprovalPrompt, WindowApprovals
from desktop_app.ui.tools.chat_tools import ChatToolsButton
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    Launcher,
    RecordingEngine,
    answer_finished,
    child,
    click,
    open_model,
    rows,
)
from tests.tiny_model import CHATML_TEMPLATE, write_tiny_model

TOOLS_TEMPLATE = (
    "{% if tools %}{{ '<|im_start|>system\\nTools:' }}"
    "{% for tool in tools %}{{ ' ' + tool['function']['name'] }}{% endfor %}"
    "{{ '<|im_end|>\\n' }}{% endif %}" + CHATML_TEMPLATE
)
CALL = '<tool_call>{"name": "calculator", "arguments": {"expression": "6*7"}}</tool_call>'


@pytest.fixture
def tools_model(tmp_path: Path) -> Path:
    """The tiny model with a chat template that takes tools."""
    return write_tiny_model(tmp_path / "tools.gguf", chat_template=TOOLS_TEMPLATE)


class CallingEngine(LlamaEngine):
    """The real engine, whose answers are scripted: with tools offered it calls ``call``
    (the calculator) until ``rounds`` results came back, then answers with the last
    result."""

    rounds = 1
    call = CALL

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        results = [turn.content for turn in turns if turn.role == "tool"]
        if params.tools and len(results) < self.rounds:
            yield TextDelta(self.call, 12)
            yield Finished(FinishReason.STOP, GenerationStats(generated_tokens=12))
            return
        yield TextDelta(f"Result: {results[-1] if results else 'none'}", 3)
        yield Finished(FinishReason.STOP, GenerationStats(generated_tokens=3))


def start(
    launch: Launcher,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    model: Path,
    engine: type[LlamaEngine] = CallingEngine,
) -> Hearth:
    hearth = launch(engine_factory=engine, restore=False)
    open_model(qtbot, hearth.window, monkeypatch, model)
    return hearth


def button(hearth: Hearth) -> ChatToolsButton:
    return child(hearth.window, ChatToolsButton, "chatToolsButton")


def approvals(hearth: Hearth) -> WindowApprovals:
    found = hearth.window.findChild(WindowApprovals)
    assert found is not None
    return found


def ask(qtbot: QtBot, hearth: Hearth, text: str) -> None:
    composer = child(hearth.window, QWidget, "composer")
    composer.setFocus()
    qtbot.keyClicks(composer, text)
    qtbot.keyClick(composer, Qt.Key.Key_Return)


def prompt_shown(qtbot: QtBot, hearth: Hearth) -> ApprovalPrompt:
    qtbot.waitUntil(
        lambda: (
            hearth.window.findChild(ApprovalPrompt, "toolApprovalPrompt") is not None
            and hearth.window.findChild(ApprovalPrompt, "toolApprovalPrompt").isVisible()
        ),
        timeout=ANSWER_TIMEOUT_MS,
    )
    prompt = hearth.window.findChild(ApprovalPrompt, "toolApprovalPrompt")
    assert prompt is not None
    return prompt


def finished(qtbot: QtBot, hearth: Hearth) -> None:
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    prompts = hearth.window.findChildren(ApprovalPrompt)
    assert not any(prompt.isVisible() for prompt in prompts)  # no prompt left open


def step_labels(hearth: Hearth) -> list[str]:
    model = hearth.window.chat_model
    index = model.index(model.rowCount() - 1)
    return [link.label for link in index.data(ChatRoles.LINKS)]


def click_step(qtbot: QtBot, hearth: Hearth, number: int) -> None:
    view = hearth.window.chat_view
    model = hearth.window.chat_model
    index = model.index(model.rowCount() - 1)
    view.scrollTo(index)
    rect = view.delegate.link_rect(index, number)
    assert rect is not None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_allow_once_runs_the_tool_off_the_gui_thread_and_keeps_the_step(
    qtbot: QtBot,
    launch: Launcher,
    tools_model: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[threading.Thread] = []
    from desktop_app.core.tools import builtins

    real = builtins.calculate
    monkeypatch.setattr(
        builtins, "calculate", lambda text: threads.append(threading.current_thread()) or real(text)
    )
    hearth = start(launch, qtbot, monkeypatch, tools_model)
    tools = button(hearth)
    assert tools.available and tools.actions_by_key["calculator"].isChecked()
    ask(qtbot, hearth, "What is six times seven?")
    prompt = prompt_shown(qtbot, hearth)
    assert "calculator" in prompt.findChild(QWidget, "toolApprovalQuestion").text()
    assert json.loads(prompt.findChild(QWidget, "toolApprovalArguments").toPlainText()) == {
        "expression": "6*7"
    }
    assert threads == []  # nothing runs before the user says so
    qtbot.keyClick(prompt, Qt.Key.Key_Return)  # the default button: Allow once
    finished(qtbot, hearth)
    assert rows(hearth)[-1].text == "Result: 42"
    assert threads and all(t is not threading.main_thread() for t in threads)
    [label] = step_labels(hearth)
    assert "calculator" in label and "done" in label
    delegate = hearth.window.chat_view.delegate
    model = hearth.window.chat_model
    last = model.index(model.rowCount() - 1)
    closed_height = delegate.laid_out_size(last).height()
    click_step(qtbot, hearth, 0)
    qtbot.waitUntil(lambda: delegate.laid_out_size(last).height() > closed_height)
    [link] = last.data(ChatRoles.LINKS)
    assert '"expression": "6*7"' in link.detail and "42" in link.detail

    assert hearth.close()
    again = launch(engine_factory=CallingEngine, restore=False)
    [label] = step_labels(again)
    assert "calculator" in label and "done" in label


@pytest.mark.parametrize(
    ("key", "modifier"),
    [(Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
     (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
     (None, Qt.KeyboardModifier.NoModifier)],
    ids=["menu key", "shift+f10", "keyboard context menu request"],
)  # fmt: skip
def test_the_keyboard_reaches_a_step_through_the_message_menu(
    qtbot: QtBot,
    launch: Launcher,
    tools_model: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: Qt.Key | None,
    modifier: Qt.KeyboardModifier,
) -> None:
    """Steps are painted links under the answer; the Menu key (or Shift+F10) on the
    current message opens its menu, which lists them, and Enter on one opens it as a
    click does. Some platforms deliver those keys as keys, others (X11) as a context
    menu request with the keyboard as its reason, at the middle of the view: both open
    the selected message's menu."""
    hearth = start(launch, qtbot, monkeypatch, tools_model)
    ask(qtbot, hearth, "What is six times seven?")
    qtbot.keyClick(prompt_shown(qtbot, hearth), Qt.Key.Key_Return)
    finished(qtbot, hearth)
    view = hearth.window.chat_view
    model = hearth.window.chat_model
    last = model.index(model.rowCount() - 1)
    closed_height = view.delegate.laid_out_size(last).height()
    view.setFocus()
    view.setCurrentIndex(last)
    if key is not None:
        qtbot.keyClick(view, key, modifier)
    else:
        middle = view.viewport().rect().center()
        request = QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, middle, view.viewport().mapToGlobal(middle)
        )
        QApplication.sendEvent(view.viewport(), request)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.objectName() == "chatContextMenu"
    [step] = menu.findChildren(QAction, "messageLinkAction")
    assert "calculator" in step.text() and "done" in step.text()
    while menu.activeAction() is not step:
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.delegate.laid_out_size(last).height() > closed_height)
    [link] = last.data(ChatRoles.LINKS)
    assert link.label.startswith("▾") and "42" in link.detail


def test_deny_tells_the_model_and_the_step_says_denied(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hearth = start(launch, qtbot, monkeypatch, tools_model)
    ask(qtbot, hearth, "Six times seven?")
    prompt = prompt_shown(qtbot, hearth)
    click(qtbot, prompt.deny)
    finished(qtbot, hearth)
    assert rows(hearth)[-1].text == "Result: The user did not allow this call."
    [label] = step_labels(hearth)
    assert "denied" in label


def test_always_allow_is_remembered_for_the_tool(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hearth = start(launch, qtbot, monkeypatch, tools_model)
    ask(qtbot, hearth, "Six times seven?")
    click(qtbot, prompt_shown(qtbot, hearth).allow_always)
    finished(qtbot, hearth)
    assert load_tools_config(app_paths().config_dir)[0].always_allowed == ("calculator",)
    asked: list[object] = []
    approvals(hearth).asked.connect(asked.append)
    ask(qtbot, hearth, "Again?")
    finished(qtbot, hearth)
    assert rows(hearth)[-1].text == "Result: 42"
    assert asked == []


def test_esc_in_the_prompt_stops_the_answer_and_runs_nothing(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hearth = start(launch, qtbot, monkeypatch, tools_model)
    ask(qtbot, hearth, "Six times seven?")
    prompt = prompt_shown(qtbot, hearth)
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    finished(qtbot, hearth)
    assert rows(hearth)[-1].finish_reason is FinishReason.CANCELLED
    [label] = step_labels(hearth)
    assert "stopped" in label


def test_the_loop_stops_after_max_steps(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_tools_config(app_paths().config_dir, ToolsConfig(always_allowed=("calculator",)))
    endless = type("Endless", (CallingEngine,), {"rounds": 1000})
    hearth = start(launch, qtbot, monkeypatch, tools_model, endless)
    ask(qtbot, hearth, "Keep calculating")
    finished(qtbot, hearth)
    assert len(step_labels(hearth)) == MAX_STEPS
    assert rows(hearth)[-1].text == "Result: 42"


def test_tools_are_greyed_out_when_the_template_takes_none(
    qtbot: QtBot, launch: Launcher, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = RecordingEngine.recorder()
    hearth = start(launch, qtbot, monkeypatch, tiny_model, recorder)
    tools = button(hearth)
    assert not tools.available
    assert "no tool support" in tools.toolTip()
    assert not tools.actions_by_key["calculator"].isEnabled()
    assert tools.reason.isVisible() and "no tool support" in tools.reason.text()
    ask(qtbot, hearth, "Hello")
    finished(qtbot, hearth)
    assert recorder.received and recorder.received[-1][1].tools == ()


class ForceCall:
    """A test feature: every message must call the date-and-time tool."""

    name = "force-call"

    def install(self, api: WindowApi) -> None:
        choice = {"type": "function", "function": {"name": "current_time"}}

        def force(message: OutgoingMessage) -> None:
            message.params = replace(message.params, tool_choice=choice)

        api.add_request_contributor(force)


def test_the_real_tiny_model_calls_a_tool_through_the_worker(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hearth = launch(restore=False, generation_params=GenerationParams(max_tokens=200, seed=11))
    hearth.window.install_features([ForceCall()])
    open_model(qtbot, hearth.window, monkeypatch, tools_model)
    tools = button(hearth)
    tools.actions_by_key["calculator"].trigger()  # leave only the date and time
    assert tools.selected() == ("time",)
    ask(qtbot, hearth, "What time is it?")
    prompt = prompt_shown(qtbot, hearth)
    assert "current_time" in prompt.findChild(QWidget, "toolApprovalQuestion").text()
    click(qtbot, prompt.allow_once)
    finished(qtbot, hearth)
    labels = step_labels(hearth)
    assert labels and "current_time" in labels[0]


ROOT = Path(__file__).parents[2]
SERVER = McpServerConfig(
    "test", (sys.executable, "-m", "tests.mcp_test_server"), env={"PYTHONPATH": str(ROOT)},
    timeout_s=60,
)  # fmt: skip


def calling(tool: str) -> type[CallingEngine]:
    call = f'<tool_call>{{"name": "{tool}", "arguments": {{}}}}</tool_call>'
    return type(f"Calls_{tool}", (CallingEngine,), {"call": call})


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_an_mcp_server_runs_only_while_a_chat_that_uses_it_answers(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_tools_config(
        app_paths().config_dir, ToolsConfig(servers=(SERVER,), always_allowed=("pid",))
    )
    started: list[str] = []
    real_connect = McpConnection.connect

    def counting(self: McpConnection):  # type: ignore[no-untyped-def]
        started.append(self.name)
        return real_connect(self)

    monkeypatch.setattr(McpConnection, "connect", counting)
    hearth = start(launch, qtbot, monkeypatch, tools_model, calling("pid"))
    ask(qtbot, hearth, "Without the server")
    finished(qtbot, hearth)
    assert started == []  # the chat does not use it: never started
    tools = button(hearth)
    tools.menu_.aboutToShow.emit()  # the menu lists the servers switched on
    tools.actions_by_key["mcp:test"].trigger()
    ask(qtbot, hearth, "Which process?")
    finished(qtbot, hearth)
    assert started == ["test"]
    pid = int(rows(hearth)[-1].text.removeprefix("Result: "))
    qtbot.waitUntil(lambda: gone(pid), timeout=ANSWER_TIMEOUT_MS)  # stopped with the answer


def test_a_server_crashing_mid_call_is_shown_in_the_step_and_the_chat_goes_on(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = ToolsConfig(servers=(SERVER,), builtins=(), always_allowed=("crash",))
    save_tools_config(app_paths().config_dir, config)
    hearth = start(launch, qtbot, monkeypatch, tools_model, calling("crash"))
    tools = button(hearth)
    tools.menu_.aboutToShow.emit()
    tools.actions_by_key["mcp:test"].trigger()
    ask(qtbot, hearth, "Crash, please")
    finished(qtbot, hearth)
    assert rows(hearth)[-1].text.startswith("Result: Error: The MCP server test stopped")
    [label] = step_labels(hearth)
    assert "crash" in label and "failed" in label


def test_a_preset_turns_its_tools_on_for_a_new_chat(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_dir = app_paths().config_dir
    config_dir.mkdir(parents=True, exist_ok=True)
    clock = {"id": "clock", "name": {"en": "Clock"}, "system_prompt": {"en": ""}, "tools": ["time"]}
    (config_dir / "presets.json").write_text(
        json.dumps({"version": 1, "presets": [clock]}), encoding="utf-8"
    )
    save_tools_config(config_dir, ToolsConfig(always_allowed=("current_time",)))
    hearth = start(launch, qtbot, monkeypatch, tools_model, calling("current_time"))
    assert button(hearth).selected() == ("calculator", "time")  # the settings' defaults
    combo = child(hearth.window, QComboBox, "presetCombo")
    combo.setCurrentIndex(combo.findData("clock"))
    ask(qtbot, hearth, "What time is it?")
    finished(qtbot, hearth)
    assert button(hearth).selected() == ("time",)
    overrides = ChatOverrides.from_mapping(
        hearth.store.conversation_overrides(hearth.window.conversation_id)  # type: ignore[arg-type]
    )
    assert overrides.tools == ("time",)
    [label] = step_labels(hearth)
    assert "current_time" in label and "done" in label


def test_the_chat_settings_dialog_keeps_what_it_does_not_edit(qtbot: QtBot) -> None:
    from desktop_app.ui.chat.settings_dialog import ChatSettingsDialog

    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}}
    kept = ChatOverrides(preset="clock", response_schema=schema, tools=("time",))
    dialog = ChatSettingsDialog(kept, "", GenerationParams())
    qtbot.addWidget(dialog)
    edited = dialog.overrides()
    assert (edited.tools, edited.response_schema, edited.preset) == (("time",), schema, "clock")


class RemoteLikeEngine(CallingEngine):
    """Says it is a remote model (a remote endpoint's ``ModelInfo``)."""

    @property
    def info(self):  # type: ignore[no-untyped-def]
        return replace(super().info, format_source="remote", supports_tools=False)


def test_tools_are_greyed_out_for_a_remote_model_with_the_reason(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hearth = start(launch, qtbot, monkeypatch, tools_model, RemoteLikeEngine)
    tools = button(hearth)
    assert not tools.available and "local models only" in tools.reason.text()


def test_a_damaged_tools_file_is_reported_and_set_aside(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_dir = app_paths().config_dir
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "tools.json").write_text("{not json", encoding="utf-8")
    hearth = launch(engine_factory=CallingEngine, restore=False)
    banner = hearth.window.findChild(QWidget, "errorBanner")
    assert banner is not None and banner.isVisible()
    assert "tools file" in " ".join(label.text() for label in banner.findChildren(QLabel))
    assert not (config_dir / "tools.json").exists()
    assert button(hearth).selected() == ("calculator", "time")


def test_closing_the_window_during_a_prompt_ends_the_answer(
    qtbot: QtBot, launch: Launcher, tools_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hearth = start(launch, qtbot, monkeypatch, tools_model)
    ask(qtbot, hearth, "Six times seven?")
    prompt_shown(qtbot, hearth)
    hearth.window.close()  # as the user does; it waits for the engine thread
    assert not hearth.bridge.is_running, "the engine thread did not stop"
    qtbot.wait(50)  # the answer's last signals arrive while the store is still open
