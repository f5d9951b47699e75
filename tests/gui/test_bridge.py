"""The engine bridge on its own (no window), as a benchmark or another front end uses it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import Finished, GenerationParams, ModelInfo
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams, LoadProgress
from desktop_app.ui.chat.model import ChatListModel
from desktop_app.ui.engine.worker import FRAME_INTERVAL_S, EngineBridge
from tests.gui.helpers import ANSWER_TIMEOUT_MS, LOAD_TIMEOUT_MS
from tests.tiny_model import MODEL_NAME


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


def load(qtbot: QtBot, bridge: EngineBridge, path: Path, n_ctx: int = 4096) -> ModelInfo:
    with qtbot.waitSignal(bridge.model_loaded, timeout=LOAD_TIMEOUT_MS) as loaded:
        assert bridge.load_model(str(path), LoadParams(n_ctx=n_ctx))
    info = loaded.args[0]
    assert isinstance(info, ModelInfo)
    return info


def test_streaming_is_coalesced_to_about_one_signal_per_frame(
    qtbot: QtBot, bridge: EngineBridge, store: Store, tiny_model: Path
) -> None:
    assert load(qtbot, bridge, tiny_model).name == MODEL_NAME
    conversation = store.create_conversation()
    model = ChatListModel()
    model.add_user_message("Go")
    model.begin_answer(MODEL_NAME)
    chunks: list[str] = []
    counts: list[int] = []
    changes: list[int] = []
    bridge.text_received.connect(chunks.append)
    bridge.text_received.connect(model.append_text)
    bridge.tokens_streamed.connect(counts.append)
    bridge.turn_finished.connect(model.finish_answer)
    model.dataChanged.connect(lambda top, bottom, *_: changes.extend([top.row(), bottom.row()]))
    params = GenerationParams(max_tokens=1500, ignore_eos=True, seed=11)

    started = time.monotonic()
    # A loaded machine can slow llama.cpp a hundredfold: wait long, assert no speed.
    with qtbot.waitSignal(bridge.turn_finished, timeout=ANSWER_TIMEOUT_MS) as done:
        assert bridge.send(conversation.id, "Go", params)
    elapsed = time.monotonic() - started
    finished = done.args[0]
    assert isinstance(finished, Finished)
    assert finished.reason is FinishReason.LENGTH
    generated = finished.stats.generated_tokens
    assert generated == 1500

    # However fast the tokens came, at most about one signal per frame reached the GUI.
    assert len(chunks) <= elapsed / FRAME_INTERVAL_S + 3
    # The live count is of text deltas: a token holding part of a character adds none.
    assert counts == sorted(counts) and generated // 2 <= counts[-1] <= generated
    # Nothing was lost on the way, and only the answer row was touched while streaming.
    answer = store.messages(conversation.id)[-1]
    assert answer.role is Role.ASSISTANT and answer.content == "".join(chunks)
    assert model.rows()[-1].text == answer.content
    assert set(changes) == {1}
    assert not bridge.is_busy


def test_shutdown_mid_answer_cancels_and_keeps_the_partial_answer(
    qtbot: QtBot, store: Store, tiny_model: Path
) -> None:
    bridge = EngineBridge(store)
    load(qtbot, bridge, tiny_model, n_ctx=32_768)
    conversation = store.create_conversation()
    with qtbot.waitSignal(bridge.text_received, timeout=ANSWER_TIMEOUT_MS):
        bridge.send(conversation.id, "Go on", GenerationParams(max_tokens=30_000, ignore_eos=True))
    started = time.monotonic()
    assert bridge.shutdown(5000)
    assert time.monotonic() - started < 2.0
    assert not bridge.is_running
    answer = store.messages(conversation.id)[-1]
    assert answer.finish_reason is FinishReason.CANCELLED and answer.content
    assert not bridge.load_model(str(tiny_model), LoadParams()), "a shut-down bridge refuses work"
    assert bridge.shutdown(0), "shutdown is idempotent"


def test_requests_are_refused_without_a_model_or_while_busy(
    qtbot: QtBot, bridge: EngineBridge, store: Store, tiny_model: Path
) -> None:
    conversation = store.create_conversation()
    assert not bridge.send(conversation.id, "Hello", GenerationParams())
    busy: list[bool] = []
    bridge.busy_changed.connect(busy.append)
    with qtbot.waitSignal(bridge.model_loaded, timeout=LOAD_TIMEOUT_MS):
        assert bridge.load_model(str(tiny_model), LoadParams())
        assert bridge.is_busy and bridge.loading_path == str(tiny_model)
        assert not bridge.load_model(str(tiny_model), LoadParams()), "one load at a time"
        assert not bridge.send(conversation.id, "Hello", GenerationParams())
    assert busy == [True, False]
    with qtbot.waitSignal(bridge.turn_finished, timeout=ANSWER_TIMEOUT_MS):
        assert bridge.send(conversation.id, "Hello", GenerationParams(max_tokens=8))
        assert not bridge.send(conversation.id, "Again", GenerationParams())
    assert busy == [True, False, True, False]


def test_every_engine_call_happens_on_the_engine_thread(
    qtbot: QtBot, store: Store, tiny_model: Path
) -> None:
    threads: set[int] = set()

    class RecordingEngine(LlamaEngine):
        def __init__(
            self,
            path: Path,
            params: LoadParams | None = None,
            progress: LoadProgress | None = None,
        ) -> None:
            threads.add(id(QThread.currentThread()))
            super().__init__(path, params, progress)

        def stream_chat(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            threads.add(id(QThread.currentThread()))
            yield from super().stream_chat(*args, **kwargs)

        def close(self) -> None:
            threads.add(id(QThread.currentThread()))
            super().close()

    bridge = EngineBridge(store, RecordingEngine)
    gui_thread = id(QThread.currentThread())
    load(qtbot, bridge, tiny_model)
    conversation = store.create_conversation()
    with qtbot.waitSignal(bridge.turn_finished, timeout=ANSWER_TIMEOUT_MS):
        bridge.send(conversation.id, "Hi", GenerationParams(max_tokens=4))
    assert bridge.shutdown(5000)
    assert len(threads) == 1 and gui_thread not in threads
