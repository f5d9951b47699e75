"""The Models window and the model picker, driven with real clicks against the fake Hub."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.models.fit import GIB, Machine, format_size
from desktop_app.ui.models.picker import ModelPicker
from desktop_app.ui.models.window import ModelsWindow
from tests.fake_hub import GOOD_TOKEN, FakeHub, FakeRepo
from tests.gui.helpers import LOAD_TIMEOUT_MS, Launcher, child, click

REPO = "someone/Tiny-Chat-GGUF"
FILE = "tiny-chat-Q4_K_M.gguf"
DOWNLOAD_TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def collect_windows_on_the_gui_thread() -> Iterator[None]:
    """Free closed windows here, on the GUI thread, before the next test starts threads.

    Python's cyclic garbage collector runs on whichever thread allocates; left for later,
    it could delete a closed test's Qt objects from a download or Hub-search thread.
    """
    yield
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def no_system_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch a real keyring (nor a backend another test module defined)."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)


@pytest.fixture
def small_machine(monkeypatch: pytest.MonkeyPatch) -> Machine:
    machine = Machine(ram_bytes=2 * GIB)
    monkeypatch.setattr(Machine, "current", classmethod(lambda cls: machine))
    return machine


@pytest.fixture
def hub(fake_hub: FakeHub, tiny_model: Path) -> FakeHub:
    data = tiny_model.read_bytes()
    fake_hub.add_repo(FakeRepo(REPO, {FILE: data, "tiny-chat-Q8_0.gguf": data + b"\0"}))
    fake_hub.add_repo(FakeRepo("vendor/Gated-GGUF", {"gated-Q4_K_M.gguf": data}, gated=True))
    fake_hub.add_repo(
        FakeRepo("Qwen/Qwen2.5-0.5B-Instruct-GGUF", {"qwen2.5-0.5b-instruct-q4_k_m.gguf": data})
    )
    return fake_hub


def open_models_window(qtbot: QtBot, main: QWidget) -> ModelsWindow:
    main.findChild(object, "modelsAction").trigger()  # type: ignore[union-attr]
    window = main.findChild(ModelsWindow, "modelsWindow")
    assert window is not None
    qtbot.waitExposed(window)
    return window


def rows(tree: QTreeWidget) -> list[list[str]]:
    return [
        [tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount())
    ]


def search(qtbot: QtBot, window: ModelsWindow, query: str) -> QTreeWidget:
    window.show_tab("search")
    entry = child(window, QLineEdit, "hubQuery")
    entry.setFocus()
    qtbot.keyClicks(entry, query)
    click(qtbot, child(window, QPushButton, "hubSearchButton"))
    results = child(window, QTreeWidget, "hubResults")
    qtbot.waitUntil(lambda: results.topLevelItemCount() > 0, timeout=DOWNLOAD_TIMEOUT_MS)
    return results


def download_state(window: ModelsWindow) -> str:
    tree = child(window, QTreeWidget, "downloadsList")
    return tree.topLevelItem(0).text(4) if tree.topLevelItemCount() else ""


def test_first_run_offers_the_recommended_model_and_loads_it_when_downloaded(
    qtbot: QtBot, launch: Launcher, hub: FakeHub, small_machine: Machine
) -> None:
    hearth = launch(restore=False)
    main = hearth.window
    details = child(main, QLabel, "recommendedModelDetails").text()
    assert "Qwen2.5 0.5B Instruct" in details and "491 MB" in details and "Apache-2.0" in details
    click(qtbot, child(main, QPushButton, "downloadRecommendedButton"))
    chat_page = child(main, QWidget, "chatPage")
    qtbot.waitUntil(chat_page.isVisible, timeout=DOWNLOAD_TIMEOUT_MS + LOAD_TIMEOUT_MS)
    assert hearth.bridge.model is not None
    picker = child(main, ModelPicker, "modelPicker")
    assert [entry.label for entry in picker.entries()] == ["qwen2.5-0.5b-instruct"]
    assert picker.currentText() == "qwen2.5-0.5b-instruct"


def test_search_list_files_download_and_chat_from_the_library(
    qtbot: QtBot, launch: Launcher, hub: FakeHub
) -> None:
    hearth = launch(restore=False)
    window = open_models_window(qtbot, hearth.window)
    results = search(qtbot, window, "tiny")
    assert rows(results)[0][0] == REPO

    results.setCurrentItem(results.topLevelItem(0))
    files = child(window, QTreeWidget, "hubFiles")
    qtbot.waitUntil(lambda: files.topLevelItemCount() == 2, timeout=DOWNLOAD_TIMEOUT_MS)
    listed = rows(files)
    assert listed[0][0].startswith("Q4_K_M") and "recommended" in listed[0][0]
    assert listed[0][3] == "Fits" and listed[0][4] == FILE
    assert files.currentItem() is files.topLevelItem(0)

    click(qtbot, child(window, QPushButton, "hubDownloadButton"))
    qtbot.waitUntil(lambda: "Installed as" in download_state(window), timeout=DOWNLOAD_TIMEOUT_MS)
    bar = window.findChildren(QProgressBar)[0]
    assert bar.value() == bar.maximum()

    window.show_tab("library")
    library = child(window, QTreeWidget, "libraryList")
    qtbot.waitUntil(lambda: library.topLevelItemCount() == 1, timeout=LOAD_TIMEOUT_MS)
    row = rows(library)[0]
    assert row[0] == "tiny-chat-q4_k_m" and row[3] == "llama" and row[6] == "In the file"
    assert row[7] == REPO
    assert child(window, QLabel, "diskUsedLabel").text() == f"1 models · {row[1]} on disk"

    library.setCurrentItem(library.topLevelItem(0))
    click(qtbot, child(window, QPushButton, "useModelButton"))
    qtbot.waitUntil(lambda: hearth.bridge.model is not None, timeout=LOAD_TIMEOUT_MS)
    picker = child(hearth.window, ModelPicker, "modelPicker")
    assert picker.currentText() == "tiny-chat-q4_k_m"


def test_pause_and_resume_in_the_downloads_tab(
    qtbot: QtBot, launch: Launcher, hub: FakeHub
) -> None:
    hub.faults.hold_after[FILE] = 40_000
    hearth = launch(restore=False)
    window = open_models_window(qtbot, hearth.window)
    results = search(qtbot, window, "tiny")
    results.setCurrentItem(results.topLevelItem(0))
    files = child(window, QTreeWidget, "hubFiles")
    qtbot.waitUntil(lambda: files.topLevelItemCount() == 2, timeout=DOWNLOAD_TIMEOUT_MS)
    click(qtbot, child(window, QPushButton, "hubDownloadButton"))
    qtbot.waitUntil(lambda: bool(window.findChildren(QProgressBar)), timeout=DOWNLOAD_TIMEOUT_MS)
    bar = window.findChildren(QProgressBar)[0]
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=DOWNLOAD_TIMEOUT_MS)
    assert download_state(window) == "Downloading"
    pause = child(window, QPushButton, "pauseDownloadButton")
    qtbot.waitUntil(pause.isEnabled)
    click(qtbot, pause)
    hub.faults.release.set()
    qtbot.waitUntil(lambda: download_state(window) == "Paused", timeout=DOWNLOAD_TIMEOUT_MS)
    assert 0 < bar.value() < bar.maximum()
    resume = child(window, QPushButton, "resumeDownloadButton")
    assert resume.isEnabled()
    click(qtbot, resume)
    qtbot.waitUntil(lambda: "Installed as" in download_state(window), timeout=DOWNLOAD_TIMEOUT_MS)


def test_a_gated_repo_explains_and_a_saved_token_unlocks_it(
    qtbot: QtBot, launch: Launcher, hub: FakeHub
) -> None:
    hearth = launch(restore=False)
    window = open_models_window(qtbot, hearth.window)
    note = child(window, QLabel, "tokenNote")
    assert note.isVisible() and "keyring" in note.text()
    results = search(qtbot, window, "gated")
    assert "gated" in rows(results)[0][3]
    results.setCurrentItem(results.topLevelItem(0))
    files = child(window, QTreeWidget, "hubFiles")
    qtbot.waitUntil(lambda: files.topLevelItemCount() == 1, timeout=DOWNLOAD_TIMEOUT_MS)
    click(qtbot, child(window, QPushButton, "hubDownloadButton"))
    qtbot.waitUntil(
        lambda: download_state(window).startswith("Failed"), timeout=DOWNLOAD_TIMEOUT_MS
    )
    assert "accept its licence" in download_state(window)

    token = child(window, QLineEdit, "hfTokenEntry")
    token.setFocus()
    qtbot.keyClicks(token, GOOD_TOKEN)
    click(qtbot, child(window, QPushButton, "saveTokenButton"))
    assert token.text() == ""
    retry = child(window, QPushButton, "resumeDownloadButton")
    assert retry.text() == "Retry"
    click(qtbot, retry)
    qtbot.waitUntil(lambda: "Installed as" in download_state(window), timeout=DOWNLOAD_TIMEOUT_MS)


def test_offline_the_search_tab_says_so_and_requests_nothing(
    qtbot: QtBot, launch: Launcher, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    hearth = launch(restore=False)
    window = open_models_window(qtbot, hearth.window)
    window.show_tab("search")
    assert "Offline" in child(window, QLabel, "hubStatus").text()
    assert not child(window, QPushButton, "hubSearchButton").isEnabled()
    assert hub.log == []


def test_picker_lists_installed_models_and_opens_the_manager(
    qtbot: QtBot, launch: Launcher, tiny_model: Path
) -> None:
    from desktop_app.core.models.library import Library
    from desktop_app.core.paths import app_paths

    Library(app_paths().models_dir).import_file(tiny_model, copy=False)
    hearth = launch(restore=False)
    picker = child(hearth.window, ModelPicker, "modelPicker")
    assert [e.label for e in picker.entries()] == ["tiny"]
    picker.activated.emit(picker.findText("tiny"))
    qtbot.waitUntil(lambda: hearth.bridge.model is not None, timeout=LOAD_TIMEOUT_MS)
    picker.activated.emit(picker.findText("Manage models…"))
    window = hearth.window.findChild(ModelsWindow, "modelsWindow")
    assert window is not None and window.isVisible()


def test_the_models_window_speaks_chinese(qtbot: QtBot, launch: Launcher) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desktop_app.resources import resource_path

    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "models_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        hearth = launch(restore=False)
        window = open_models_window(qtbot, hearth.window)
        tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        assert tabs == ["精选目录", "搜索 Hub", "下载", "模型库"]
        assert (
            child(hearth.window, QPushButton, "downloadRecommendedButton").text() == "下载推荐模型"
        )
    finally:
        QCoreApplication.removeTranslator(translator)


def test_changing_the_models_folder_is_saved_and_lists_that_folder(
    qtbot: QtBot,
    launch: Launcher,
    tiny_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.core.models.library import Library
    from desktop_app.core.paths import app_paths
    from desktop_app.core.settings import load_settings

    elsewhere = tmp_path / "big-disk" / "models"
    Library(elsewhere).import_file(tiny_model, copy=False)
    hearth = launch(restore=False)
    window = open_models_window(qtbot, hearth.window)
    window.show_tab("library")
    library = child(window, QTreeWidget, "libraryList")
    assert library.topLevelItemCount() == 0
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: str(elsewhere))
    )
    click(qtbot, child(window, QPushButton, "changeModelsFolderButton"))
    qtbot.waitUntil(lambda: library.topLevelItemCount() == 1, timeout=LOAD_TIMEOUT_MS)
    assert str(elsewhere) in child(window, QLabel, "modelsFolderLabel").text()
    # Used in place: the file is listed but takes no room in the models folder.
    assert child(window, QLabel, "diskUsedLabel").text() == f"1 models · {format_size(0)} on disk"
    settings, _ = load_settings(app_paths().config_dir)
    assert settings.models_dir == str(elsewhere)
    picker = child(hearth.window, ModelPicker, "modelPicker")
    assert [entry.label for entry in picker.entries()] == ["tiny"]


def test_picker_names_a_model_opened_from_a_file_outside_the_library(
    qtbot: QtBot, launch: Launcher, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    from tests.gui.helpers import open_model

    hearth = launch(restore=False)
    picker = child(hearth.window, ModelPicker, "modelPicker")
    assert picker.currentText() == "Choose a model…"
    open_model(qtbot, hearth.window, monkeypatch, tiny_model)
    qtbot.waitUntil(lambda: hearth.bridge.model is not None, timeout=LOAD_TIMEOUT_MS)
    assert hearth.bridge.model is not None
    assert picker.currentText() == hearth.bridge.model.name
