"""The bridge loads with progress and can cancel; going back to a chat restores its state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import Finished, GenerationParams
from desktop_app.core.engine.llama_engine import LoadParams
from desktop_app.ui.engine.worker import EngineBridge
from tests.gui.helpers import ANSWER_TIMEOUT_MS, LOAD_TIMEOUT_MS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "chats.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def bridge(store: Store) -> Iterator[EngineBridge]:
    created = EngineBridge(store)
    yield created
    assert created.shutdown(5000)


def test_loading_reports_progress_up_to_the_end(
    qtbot: QtBot, bridge: EngineBridge, tiny_model: Path
) -> None:
    seen: list[float] = []
    bridge.load_progress.connect(seen.append)
    with qtbot.waitSignal(bridge.model_loaded, timeout=LOAD_TIMEOUT_MS):
        assert bridge.load_model(str(tiny_model), LoadParams(n_ctx=512))
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_a_cancelled_load_leaves_no_model_and_the_bridge_usable(
    qtbot: QtBot, bridge: EngineBridge, tiny_model: Path
) -> None:
    with qtbot.waitSignal(bridge.load_cancelled, timeout=LOAD_TIMEOUT_MS) as cancelled:
        assert bridge.load_model(str(tiny_model), LoadParams(n_ctx=512))
        bridge.cancel_load()  # the engine thread sees it at the first progress report
    assert cancelled.args[0] == "Loading tiny.gguf was cancelled."
    assert bridge.model is None and not bridge.is_busy and bridge.loading_path is None
    with qtbot.waitSignal(bridge.model_loaded, timeout=LOAD_TIMEOUT_MS):
        assert bridge.load_model(str(tiny_model), LoadParams(n_ctx=512))


def ask(qtbot: QtBot, bridge: EngineBridge, conversation: int, text: str) -> Finished:
    params = GenerationParams(max_tokens=8, temperature=0.0, ignore_eos=True)
    with qtbot.waitSignal(bridge.turn_finished, timeout=ANSWER_TIMEOUT_MS) as done:
        assert bridge.send(conversation, text, params)
    return done.args[0]


def test_going_back_to_a_chat_reuses_its_saved_state(
    qtbot: QtBot, bridge: EngineBridge, store: Store, tiny_model: Path
) -> None:
    bridge.configure_resume(64 << 20)
    with qtbot.waitSignal(bridge.model_loaded, timeout=LOAD_TIMEOUT_MS):
        bridge.load_model(str(tiny_model), LoadParams(n_ctx=1024))
    first = store.create_conversation(system_prompt="Be brief.").id
    other = store.create_conversation().id
    restored: list[int] = []
    bridge.state_restored.connect(restored.append)
    ask(qtbot, bridge, first, "Tell me about the sea and all its boats and fish.")
    ask(qtbot, bridge, other, "Something else entirely: mountains.")
    back = ask(qtbot, bridge, first, "And ships?")
    assert restored == [first]
    assert back.stats.cached_prompt_tokens > 20
