"""Fixtures for the GUI tests: an isolated HEARTH_HOME, the tiny model, and a launcher.

``launch()`` builds Hearth the way ``run_gui`` does (store, settings, bridge,
window), shows the window and closes everything at the end of the test, so a test
reads as a story: launch, click, type, wait, check.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth, build
from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.paths import app_paths
from desktop_app.core.settings import Settings, save_settings
from desktop_app.ui.engine.worker import EngineFactory
from tests.gui.helpers import LOAD_TIMEOUT_MS, Launcher
from tests.tiny_model import write_tiny_model


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def hearth_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HEARTH_HOME", str(home))
    return home


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    return write_tiny_model(tmp_path / "tiny.gguf")


@pytest.fixture
def launch(qtbot: QtBot, hearth_home: Path) -> Iterator[Launcher]:
    """Start Hearth on ``hearth_home``; every window started is closed after the test."""
    launched: list[Hearth] = []

    def start(
        *,
        settings: Settings | None = None,
        generation_params: GenerationParams | None = None,
        engine_factory: EngineFactory = LlamaEngine,
        restore: bool = True,
    ) -> Hearth:
        paths = app_paths()
        if settings is not None:
            save_settings(paths.config_dir, settings)
        hearth = build(paths, generation_params=generation_params, engine_factory=engine_factory)
        launched.append(hearth)
        with qtbot.waitSignal(hearth.window.ready, timeout=LOAD_TIMEOUT_MS):
            hearth.window.show()  # the features install just after the first paint
        qtbot.waitExposed(hearth.window)
        hearth.window.activateWindow()
        qtbot.waitUntil(hearth.window.isActiveWindow)
        if restore:
            hearth.window.restore_model()
        return hearth

    yield start
    for hearth in launched:
        assert hearth.close(), "the engine thread did not stop"
    # Break the closed windows' reference cycles here, on the GUI thread: left to the
    # collector, they could be freed on the next test's engine thread, which must never
    # delete widgets.
    launched.clear()
    gc.collect()
