"""The engine thread reports a failure in one line and logs its traceback; it keeps running."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import Finished, GenerationParams
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams, LoadProgress
from desktop_app.ui.engine.worker import EngineBridge
from tests.gui.helpers import ANSWER_TIMEOUT_MS, LOAD_TIMEOUT_MS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "chats.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def bridges() -> Iterator[list[EngineBridge]]:
    """Bridges made by a test; each is shut down afterwards, whatever the test did.

    They are freed here, on the GUI thread: the engine bug's traceback left them in
    reference cycles, and a later collection could run on another test's engine thread.
    """
    made: list[EngineBridge] = []
    yield made
    for bridge in made:
        assert bridge.shutdown(5000)
    made.clear()
    gc.collect()


def broken_loader(
    path: Path | str, params: LoadParams, progress: LoadProgress | None = None
) -> LlamaEngine:
    raise KeyError("n_embd")  # a bug in the engine, not an EngineError


class BrokenEngine(LlamaEngine):
    """The tiny model loads; answering trips over a bug after the first words."""

    def stream_chat(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        yield from ()
        raise ZeroDivisionError("division by zero in the sampler")


def test_a_load_bug_is_one_line_for_the_user_and_a_traceback_in_the_log(
    qtbot: QtBot,
    store: Store,
    tiny_model: Path,
    caplog: pytest.LogCaptureFixture,
    bridges: list[EngineBridge],
) -> None:
    bridge = EngineBridge(store, broken_loader)
    bridges.append(bridge)
    with qtbot.waitSignal(bridge.model_failed, timeout=LOAD_TIMEOUT_MS) as failed:
        assert bridge.load_model(str(tiny_model), LoadParams(n_ctx=512))
    assert failed.args[0] == "Could not load tiny.gguf: 'n_embd'"
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    assert "broken_loader" in caplog.text and 'raise KeyError("n_embd")' in caplog.text
    with qtbot.waitSignal(bridge.model_failed, timeout=LOAD_TIMEOUT_MS):
        assert bridge.load_model(str(tiny_model), LoadParams(n_ctx=512)), "the thread still works"


def test_an_answer_bug_finishes_the_turn_with_its_message_and_logs_the_traceback(
    qtbot: QtBot,
    store: Store,
    tiny_model: Path,
    caplog: pytest.LogCaptureFixture,
    bridges: list[EngineBridge],
) -> None:
    bridge = EngineBridge(store, BrokenEngine)
    bridges.append(bridge)
    with qtbot.waitSignal(bridge.model_loaded, timeout=LOAD_TIMEOUT_MS):
        bridge.load_model(str(tiny_model), LoadParams(n_ctx=512))
    conversation = store.create_conversation()
    with qtbot.waitSignal(bridge.turn_finished, timeout=ANSWER_TIMEOUT_MS) as done:
        assert bridge.send(conversation.id, "Hi", GenerationParams(max_tokens=4))
    finished = done.args[0]
    assert isinstance(finished, Finished) and finished.reason is FinishReason.ERROR
    assert finished.error == "The answer could not be completed: division by zero in the sampler"
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in errors)
    assert "in stream_chat" in caplog.text
