"""Settings → Local server: start hearth serve from the window, see its address and key."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import openai
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.paths import app_paths
from desktop_app.server.runtime_file import RuntimeFile
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.server.page import ServerPage
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    SHORT_ANSWER,
    Launcher,
    answer_finished,
    child,
    click,
    open_model,
    rows,
)
from tests.llama_server import free_port

START_TIMEOUT_MS = 60_000


@pytest.fixture
def page(
    qtbot: QtBot, hearth_home: Path, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> ServerPage:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("HEARTH_API_KEY", raising=False)
    shown = ServerPage(str(tiny_model))
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.stop()


def test_start_and_stop_the_local_server(qtbot: QtBot, page: ServerPage) -> None:
    port = free_port()
    child(page, QSpinBox, "serverPort").setValue(port)
    toggle = child(page, QPushButton, "serverToggleButton")
    assert toggle.text() == "Start server"
    click(qtbot, toggle)
    state = child(page, QLabel, "serverState")
    qtbot.waitUntil(lambda: state.text().startswith("Serving"), timeout=START_TIMEOUT_MS)
    assert state.text() == f"Serving tiny at http://127.0.0.1:{port}/v1"
    assert not child(page, QLineEdit, "serverHost").isEnabled()
    models = httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=30).json()
    assert [m["id"] for m in models["data"]] == ["tiny"]
    assert not child(page, QLabel, "serverKey").isVisible()
    click(qtbot, toggle)
    qtbot.waitUntil(lambda: not page.is_running, timeout=START_TIMEOUT_MS)
    assert toggle.text() == "Start server"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=5)


def test_beyond_loopback_a_new_key_is_shown_once(qtbot: QtBot, page: ServerPage) -> None:
    port = free_port()
    host = child(page, QLineEdit, "serverHost")
    host.setText("0.0.0.0")
    child(page, QSpinBox, "serverPort").setValue(port)
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    key_note = child(page, QLabel, "serverKey")
    qtbot.waitUntil(key_note.isVisible, timeout=START_TIMEOUT_MS)
    key = key_note.text().split("New API key: ")[1].split("\n")[0]
    assert "Copy it now: it is not shown again." in key_note.text()
    state = child(page, QLabel, "serverState")
    qtbot.waitUntil(lambda: state.text().startswith("Serving"), timeout=START_TIMEOUT_MS)
    base = f"http://127.0.0.1:{port}/v1/models"
    assert httpx.get(base, timeout=30).status_code == 401
    headers = {"Authorization": f"Bearer {key}"}
    assert httpx.get(base, headers=headers, timeout=30).status_code == 200
    assert key not in child(page, QPlainTextEdit, "serverLog").toPlainText()


def test_a_server_that_cannot_start_says_why(
    qtbot: QtBot, page: ServerPage, tmp_path: Path
) -> None:
    child(page, QLineEdit, "serverModel").setText(str(tmp_path / "missing.gguf"))
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    qtbot.waitUntil(lambda: not page.is_running, timeout=START_TIMEOUT_MS)
    assert "exit status 1" in child(page, QLabel, "serverState").text()
    log = child(page, QPlainTextEdit, "serverLog").toPlainText()
    assert "hearth: error: no installed model or model file" in log


def test_in_window_the_server_shares_the_windows_model_and_engine_thread(
    launch: Launcher,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model: Path,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    window.findChild(QAction, "localServerAction").trigger()
    dialog = child(window, QDialog, "serverDialog")
    page = child(dialog, ServerPage, "serverPage")
    port = free_port()
    child(page, QSpinBox, "serverPort").setValue(port)
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    state = child(page, QLabel, "serverState")
    assert state.text() == f"Serving the window's model at http://127.0.0.1:{port}/v1"
    base = f"http://127.0.0.1:{port}/v1"
    with openai.OpenAI(base_url=base, api_key="unused", max_retries=0) as client:
        not_loaded = client.with_options(max_retries=0).models
        with pytest.raises(openai.APIStatusError) as refused:
            not_loaded.list()
        assert refused.value.status_code == 503
        assert "No model is loaded in Hearth" in refused.value.message

        open_model(qtbot, window, monkeypatch, tiny_model)
        assert [m.id for m in client.models.list()] == ["tiny"]
        asked: list[object] = []
        caller = threading.Thread(
            target=lambda: asked.append(
                client.chat.completions.create(
                    model="tiny",
                    messages=[{"role": "user", "content": "Hi"}],
                    max_tokens=8,
                    extra_body={"ignore_eos": True},
                )
            )
        )
        caller.start()
        qtbot.waitUntil(lambda: not caller.is_alive(), timeout=START_TIMEOUT_MS)
    [answer] = asked
    assert answer.choices[0].finish_reason == "length"  # type: ignore[attr-defined]
    assert answer.usage.completion_tokens == 8  # type: ignore[attr-defined]
    assert page.runner is not None and page.runner.completed == [FinishReason.LENGTH]
    # The window still chats with the same model on the same thread afterwards.
    composer = child(window, Composer, "composer")
    qtbot.keyClicks(composer, "Hello")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    assert rows(hearth)[-1].finish_reason is FinishReason.LENGTH
    # hearth ps finds the window's server through the runtime file.
    runtime = RuntimeFile(app_paths().data_dir)
    found = runtime.read()
    assert found is not None and found.url == f"http://127.0.0.1:{port}"
    listed = httpx.get(found.url + "/v1/ps", timeout=5).json()["data"]
    assert [(r["id"], r["state"]) for r in listed] == [("tiny", "ready")]
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    assert not page.is_running
    assert runtime.read() is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/models", timeout=5)


def test_in_window_beyond_loopback_needs_the_key_shown_once(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("HEARTH_API_KEY", raising=False)
    hearth = launch()
    page = ServerPage(bridge=hearth.bridge)
    qtbot.addWidget(page)
    page.show()
    port = free_port()
    child(page, QLineEdit, "serverHost").setText("0.0.0.0")
    child(page, QSpinBox, "serverPort").setValue(port)
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    try:
        key_note = child(page, QLabel, "serverKey")
        assert key_note.isVisible()
        key = key_note.text().split("New API key: ")[1].split("\n")[0]
        assert "kept in memory for this run only" in key_note.text()
        url = f"http://127.0.0.1:{port}/v1/models"
        assert httpx.get(url, timeout=30).status_code == 401
        wrong = httpx.get(url, headers={"Authorization": "Bearer nope"}, timeout=30)
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_api_key"
        right = httpx.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
        assert right.status_code == 503  # authorised; no model is loaded yet
        assert right.json()["error"]["code"] == "model_not_loaded"
    finally:
        page.stop()


def test_in_window_the_page_sets_allowed_hosts_and_web_apps(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    hearth = launch()
    page = ServerPage(bridge=hearth.bridge)
    qtbot.addWidget(page)
    page.show()
    port = free_port()
    child(page, QSpinBox, "serverPort").setValue(port)
    hosts = child(page, QLineEdit, "serverAllowedHosts")
    origins = child(page, QLineEdit, "serverCorsOrigins")
    qtbot.keyClicks(hosts, "mybox.lan, other.lan")
    qtbot.keyClicks(origins, "http://localhost:3000")
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    try:
        assert not hosts.isEnabled() and not origins.isEnabled()
        url = f"http://127.0.0.1:{port}/v1/models"
        for host in ("mybox.lan", "other.lan:8321", f"127.0.0.1:{port}"):
            assert httpx.get(url, headers={"Host": host}, timeout=30).status_code == 503
        rebound = httpx.get(url, headers={"Host": "attacker.example"}, timeout=30)
        assert rebound.status_code == 403
        assert rebound.json()["error"]["code"] == "host_not_allowed"
        app = httpx.get(url, headers={"Origin": "http://localhost:3000"}, timeout=30)
        assert app.headers["access-control-allow-origin"] == "http://localhost:3000"
        evil = httpx.get(url, headers={"Origin": "http://evil.example"}, timeout=30)
        assert evil.status_code == 403
    finally:
        page.stop()


def test_a_bad_web_app_address_is_refused_with_the_reason(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    hearth = launch()
    page = ServerPage(bridge=hearth.bridge)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(child(page, QLineEdit, "serverCorsOrigins"), "localhost:3000/app")
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    assert not page.is_running
    assert "is not a web origin" in child(page, QLabel, "serverState").text()


def test_the_child_server_gets_the_same_lists(qtbot: QtBot, page: ServerPage) -> None:
    port = free_port()
    child(page, QSpinBox, "serverPort").setValue(port)
    qtbot.keyClicks(child(page, QLineEdit, "serverAllowedHosts"), "mybox.lan")
    qtbot.keyClicks(child(page, QLineEdit, "serverCorsOrigins"), "http://localhost:3000")
    click(qtbot, child(page, QPushButton, "serverToggleButton"))
    state = child(page, QLabel, "serverState")
    qtbot.waitUntil(lambda: state.text().startswith("Serving"), timeout=START_TIMEOUT_MS)
    url = f"http://127.0.0.1:{port}/v1/models"
    assert httpx.get(url, headers={"Host": "mybox.lan"}, timeout=30).status_code == 200
    assert httpx.get(url, headers={"Host": "evil.lan"}, timeout=30).status_code == 403
    app = httpx.get(url, headers={"Origin": "http://localhost:3000"}, timeout=30)
    assert app.headers["access-control-allow-origin"] == "http://localhost:3000"
