"""Settings → Endpoints against llama-cpp-python's own server, and a chat on a remote model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.core.endpoints import EndpointStore
from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.secrets import SecretStore
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.endpoints.page import EndpointsPage
from tests.gui.helpers import ANSWER_TIMEOUT_MS, Launcher, answer_finished, child, click, rows
from tests.llama_server import LlamaServer, llama_server
from tests.tiny_model import write_tiny_model
from tests.unit.test_secrets import MemoryKeyring

KEY = "sk-gui-test"
CONNECT_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    folder = tmp_path_factory.mktemp("remote")
    model = write_tiny_model(folder / "tiny.gguf")
    with llama_server(model, folder, KEY) as running:
        yield running


def fill(qtbot: QtBot, page: QWidget, name: str, text: str) -> None:
    field = child(page, QLineEdit, name)
    field.clear()
    qtbot.keyClicks(field, text)


def test_add_an_endpoint_and_list_its_models(
    qtbot: QtBot, tmp_path: Path, server: LlamaServer
) -> None:
    keyring = MemoryKeyring()
    store = EndpointStore(tmp_path, SecretStore(backend=keyring))
    page = EndpointsPage(store)
    qtbot.addWidget(page)
    page.show()

    click(qtbot, child(page, QPushButton, "addEndpointButton"))
    fill(qtbot, page, "endpointName", "lab")
    fill(qtbot, page, "endpointUrl", server.base_url)
    fill(qtbot, page, "endpointKey", KEY)
    click(qtbot, child(page, QPushButton, "saveEndpointButton"))
    endpoints = child(page, QListWidget, "endpointList")
    assert [endpoints.item(i).text() for i in range(endpoints.count())] == ["lab"]
    assert keyring.saved == {("Hearth", "endpoint:lab"): KEY}
    assert KEY not in (tmp_path / "endpoints.json").read_text(encoding="utf-8")
    assert not child(page, QLabel, "keyringWarning").isVisible()

    click(qtbot, child(page, QPushButton, "testConnectionButton"))
    models = child(page, QListWidget, "endpointModels")
    qtbot.waitUntil(lambda: models.count() == 1, timeout=CONNECT_TIMEOUT_MS)
    assert models.item(0).text() == "tiny"
    assert child(page, QLabel, "endpointStatus").text() == "Connected. Models available: 1."

    with qtbot.waitSignal(page.model_chosen) as chosen:
        click(qtbot, child(page, QPushButton, "useRemoteModelButton"))
    assert chosen.args == ["remote:lab/tiny"]


def test_a_wrong_key_is_reported_on_the_page(
    qtbot: QtBot, tmp_path: Path, server: LlamaServer
) -> None:
    store = EndpointStore(tmp_path, SecretStore(backend=MemoryKeyring()))
    store.save_endpoint("lab", server.base_url, "sk-wrong")
    page = EndpointsPage(store)
    qtbot.addWidget(page)
    page.show()
    endpoints = child(page, QListWidget, "endpointList")
    endpoints.setCurrentRow(0)
    click(qtbot, child(page, QPushButton, "testConnectionButton"))
    status = child(page, QLabel, "endpointStatus")
    qtbot.waitUntil(lambda: "rejected" in status.text(), timeout=CONNECT_TIMEOUT_MS)
    assert "lab rejected the API key (HTTP 401" in status.text()
    assert child(page, QListWidget, "endpointModels").count() == 0
    assert not child(page, QPushButton, "useRemoteModelButton").isEnabled()


def test_without_a_keyring_the_page_says_keys_last_one_session(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from keyring.backends import fail

    page = EndpointsPage(EndpointStore(tmp_path, SecretStore(backend=fail.Keyring())))
    qtbot.addWidget(page)
    page.show()
    warning = child(page, QLabel, "keyringWarning")
    assert warning.isVisible()
    assert "kept for this session only" in warning.text()


def test_chat_with_a_remote_model_from_the_window(
    launch: Launcher, qtbot: QtBot, server: LlamaServer
) -> None:
    hearth = launch(
        generation_params=GenerationParams(max_tokens=20, seed=4),
        engine_factory=None,  # type: ignore[arg-type]  # the app's own: files or remote specs
    )
    assert hearth.endpoints is not None
    hearth.endpoints.save_endpoint("lab", server.base_url, KEY)
    window = hearth.window
    window.findChild(QAction, "endpointsAction").trigger()
    dialog = child(window, QDialog, "endpointsDialog")
    qtbot.waitExposed(dialog)
    child(dialog, QListWidget, "endpointList").setCurrentRow(0)
    click(qtbot, child(dialog, QPushButton, "testConnectionButton"))
    models = child(dialog, QListWidget, "endpointModels")
    qtbot.waitUntil(lambda: models.count() == 1, timeout=CONNECT_TIMEOUT_MS)
    click(qtbot, child(dialog, QPushButton, "useRemoteModelButton"))

    qtbot.waitUntil(lambda: hearth.bridge.model is not None, timeout=CONNECT_TIMEOUT_MS)
    assert hearth.bridge.model.path == "remote:lab/tiny"
    assert not dialog.isVisible()
    composer = child(window, Composer, "composer")
    qtbot.waitUntil(composer.isVisible)
    qtbot.keyClicks(composer, "Hello remote")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    user, answer = rows(hearth)
    assert (user.role, user.text) == (Role.USER, "Hello remote")
    assert answer.role is Role.ASSISTANT
    assert answer.finish_reason in (FinishReason.LENGTH, FinishReason.STOP)
    saved = hearth.store.messages(window.conversation_id)[-1]  # type: ignore[arg-type]
    assert saved.content == answer.text
    assert saved.model == "tiny"


def test_the_pages_speak_simplified_chinese(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desktop_app.resources import resource_path

    translator, main = QTranslator(), QTranslator()
    assert translator.load(str(resource_path("translations", "remote_zh_CN.qm")))
    # The Settings menu is the window's own now (it holds Settings… and features' items).
    assert main.load(str(resource_path("translations", "main_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    QCoreApplication.installTranslator(main)
    try:
        page = EndpointsPage(EndpointStore(tmp_path, SecretStore(backend=MemoryKeyring())))
        qtbot.addWidget(page)
        assert child(page, QPushButton, "testConnectionButton").text() == "测试连接"
        assert page.tr("Connected. Models available: %1.") == "已连接。可用模型：%1 个。"
        assert QCoreApplication.translate("MainWindow", "&Settings") == "设置(&S)"
        assert QCoreApplication.translate("RemoteMenu", "&Local Server…") == "本地服务器(&L)…"
    finally:
        QCoreApplication.removeTranslator(main)
        QCoreApplication.removeTranslator(translator)


def test_remote_models_join_the_model_picker_marked_as_remote(
    launch: Launcher, qtbot: QtBot, server: LlamaServer
) -> None:
    from desktop_app.ui.endpoints.feature import REMOTE_SOURCE, RemoteModels
    from desktop_app.ui.models.picker import ModelPicker

    hearth = launch(engine_factory=None)  # type: ignore[arg-type]
    assert hearth.endpoints is not None
    hearth.endpoints.save_endpoint("lab", server.base_url, KEY)
    hearth.endpoints.save_endpoint("gone", "http://127.0.0.1:9")
    remote = hearth.window.findChild(RemoteModels, "remoteModels")
    assert remote is not None
    remote.refresh()
    picker = child(hearth.window, ModelPicker, "modelPicker")
    qtbot.waitUntil(lambda: picker.entries(REMOTE_SOURCE) != [], timeout=CONNECT_TIMEOUT_MS)
    [entry] = picker.entries(REMOTE_SOURCE)
    assert (entry.key, entry.label) == ("remote:lab/tiny", "tiny (remote: lab)")
    assert len(remote.errors) == 1 and "Cannot connect to gone" in remote.errors[0]

    index = picker.findText("tiny (remote: lab)")
    picker.setCurrentIndex(index)
    picker.activated.emit(index)
    qtbot.waitUntil(lambda: hearth.bridge.model is not None, timeout=CONNECT_TIMEOUT_MS)
    assert hearth.bridge.model.path == "remote:lab/tiny"
    assert picker.currentText() == "tiny (remote: lab)"
    format_label = child(hearth.window, QLabel, "chatFormatLabel")
    assert format_label.text() == "Remote model on lab: the server applies its own chat format"
