"""Settings → Local server: start and stop Hearth's OpenAI-compatible API server.

Given the window's ``EngineBridge``, the server runs in this process (uvicorn on its
own thread) and every request runs on the window's engine thread with the model loaded
there: one model in memory, one llama.cpp thread. Without a bridge it starts ``hearth
serve`` as a child process with its own copy of the model.

Off by default; binds 127.0.0.1 unless the user types another address, which requires
an API key: a new one is shown once, with a note to copy it now.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.paths import app_paths
from desktop_app.core.secrets import SecretStore
from desktop_app.server.keys import is_loopback, server_key
from desktop_app.server.listen import DEFAULT_PORT, ServeError, bind_socket
from desktop_app.server.runtime_file import RuntimeFile, client_root
from desktop_app.server.security import AccessPolicy, PolicyError, split_list
from desktop_app.ui.engine.shared import BridgeJobRunner
from desktop_app.ui.engine.worker import EngineBridge

if TYPE_CHECKING:
    from desktop_app.server.run import ServerThread

STOP_TIMEOUT_MS = 5000
_SERVING = re.compile(r"serving (\S+) .* at (http://\S+)")
_NEW_KEY = re.compile(r"new API key \(shown once, kept in (.+)\): (\S+)")


def serve_command(arguments: list[str]) -> tuple[str, list[str]]:
    """The program and arguments that run ``hearth serve`` (from source or a bundle)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["serve", *arguments]
    return sys.executable, ["-m", "desktop_app", "serve", *arguments]


class ServerPage(QWidget):
    """On/off, host, port and model; shows the address, a new key once, and the log."""

    running_changed = Signal(bool)

    def __init__(
        self,
        model_path: str = "",
        parent: QWidget | None = None,
        *,
        bridge: EngineBridge | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serverPage")
        self.setAccessibleName(self.tr("Local server"))
        self._bridge = bridge
        self._process: QProcess | None = None
        self._server: ServerThread | None = None
        self._runner: BridgeJobRunner | None = None
        self._build(model_path)
        self._update_controls()

    @property
    def is_running(self) -> bool:
        return self._process is not None or self._server is not None

    @property
    def runner(self) -> BridgeJobRunner | None:
        """The in-process server's job runner while it runs (diagnostics and tests)."""
        return self._runner

    def _build(self, model_path: str) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Let other programs use the model loaded in this window through the OpenAI "
                "API. Their requests wait their turn behind yours. Any address other than "
                "127.0.0.1 needs an API key."
            )
            if self._bridge is not None
            else self.tr(
                "Let other programs on this computer use a Hearth model through the OpenAI "
                "API. The server runs in its own process with its own copy of the model. "
                "Any address other than 127.0.0.1 needs an API key."
            ),
            self,
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form = QFormLayout()
        self._host = QLineEdit("127.0.0.1", self)
        self._host.setObjectName("serverHost")
        form.addRow(self.tr("Address"), self._host)
        self._allowed_hosts = QLineEdit(self)
        self._allowed_hosts.setObjectName("serverAllowedHosts")
        self._allowed_hosts.setPlaceholderText(self.tr("e.g. mybox.local (this computer's names)"))
        self._allowed_hosts.setToolTip(
            self.tr(
                "Host names, besides localhost and this computer's addresses, that requests "
                "may be sent to. Others are refused, so web pages cannot reach the server "
                "by pointing their own domain at this computer."
            )
        )
        self._cors_origins = QLineEdit(self)
        self._cors_origins.setObjectName("serverCorsOrigins")
        self._cors_origins.setPlaceholderText(self.tr("none (e.g. http://localhost:3000)"))
        self._cors_origins.setToolTip(
            self.tr(
                "Web apps that may call the server from a browser. Requests from any "
                "other web page are refused."
            )
        )
        self._port = QSpinBox(self)
        self._port.setObjectName("serverPort")
        self._port.setRange(1, 65535)
        self._port.setValue(DEFAULT_PORT)
        form.addRow(self.tr("Port"), self._port)
        form.addRow(self.tr("Allowed host names"), self._allowed_hosts)
        form.addRow(self.tr("Allowed web apps"), self._cors_origins)
        self._model = QLineEdit(model_path, self)
        self._model.setObjectName("serverModel")
        self._model.setPlaceholderText(self.tr("path of a .gguf file (default: the last model)"))
        if self._bridge is None:
            form.addRow(self.tr("Model"), self._model)
        else:
            self._model.hide()
        self._new_key = QCheckBox(self.tr("Make a new API key"), self)
        self._new_key.setObjectName("serverNewKey")
        form.addRow("", self._new_key)
        outer.addLayout(form)
        row = QHBoxLayout()
        self._toggle = QPushButton(self)
        self._toggle.setObjectName("serverToggleButton")
        self._toggle.clicked.connect(self._on_toggle)
        row.addWidget(self._toggle)
        self._state = QLabel(self)
        self._state.setObjectName("serverState")
        self._state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._state.setWordWrap(True)
        row.addWidget(self._state, 1)
        outer.addLayout(row)
        self._key_note = QLabel(self)
        self._key_note.setObjectName("serverKey")
        self._key_note.setWordWrap(True)
        self._key_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._key_note.hide()
        outer.addWidget(self._key_note)
        self._log = QPlainTextEdit(self)
        self._log.setObjectName("serverLog")
        self._log.setReadOnly(True)
        self._log.setMaximumBlockCount(500)
        self._log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        outer.addWidget(self._log, 1)

    def _update_controls(self) -> None:
        running = self.is_running
        self._toggle.setText(self.tr("Stop server") if running else self.tr("Start server"))
        for field in (
            self._host,
            self._port,
            self._allowed_hosts,
            self._cors_origins,
            self._model,
            self._new_key,
        ):
            field.setEnabled(not running)
        if not running:
            self._state.setText(self.tr("Off."))

    @Slot()
    def _on_toggle(self) -> None:
        if self.is_running:
            self.stop()
        else:
            self.start()

    def start(self) -> None:
        if self._bridge is not None:
            self._start_in_process(self._bridge)
        else:
            self._start_child()

    def _show_key(self, key: str, kept_in: str) -> None:
        self._key_note.setText(
            self.tr("New API key: %1\nCopy it now: it is not shown again. It is kept in %2.")
            .replace("%1", key)
            .replace("%2", kept_in)
        )
        self._key_note.show()

    def _start_in_process(self, bridge: EngineBridge) -> None:
        host = self._host.text().strip()
        self._key_note.hide()
        self._log.clear()
        try:
            access = AccessPolicy.build(
                host,
                split_list(self._allowed_hosts.text()),
                split_list(self._cors_origins.text()),
            )
            sock = bind_socket(host, self._port.value())
        except (ServeError, PolicyError) as exc:
            self._state.setText(str(exc))
            return
        api_key = None
        if not is_loopback(host) or self._new_key.isChecked():
            secrets = SecretStore()
            key = server_key(secrets, regenerate=self._new_key.isChecked())
            api_key = key.key
            if key.generated:
                self._show_key(key.key, key.source)
            else:
                self._log.appendPlainText(
                    self.tr("Requests must carry the API key kept in %1.").replace("%1", key.source)
                )
        # Starlette and uvicorn load when the server first starts, not with the window.
        from desktop_app.server.app import ServerConfig, create_app
        from desktop_app.server.run import ServerThread

        runner = BridgeJobRunner(bridge)
        server = ServerThread(
            create_app(runner, ServerConfig("", Path(), api_key, access=access)), sock
        )
        if not server.start():
            server.stop()
            self._state.setText(self.tr("The server could not be started."))
            return
        self._server, self._runner = server, runner
        RuntimeFile(app_paths().data_dir).publish(client_root(*server.address), bool(api_key))
        shown_host, port = server.address
        url = f"http://{shown_host}:{port}/v1"
        self._state.setText(self.tr("Serving the window's model at %1").replace("%1", url))
        self._log.appendPlainText(url)
        self._update_controls()
        self.running_changed.emit(True)

    def _start_child(self) -> None:
        arguments = ["--host", self._host.text().strip(), "--port", str(self._port.value())]
        for host in split_list(self._allowed_hosts.text()):
            arguments += ["--allowed-host", host]
        for origin in split_list(self._cors_origins.text()):
            arguments += ["--cors-origin", origin]
        if self._new_key.isChecked():
            arguments.append("--new-api-key")
        if self._model.text().strip():
            arguments += ["--model", self._model.text().strip()]
        program, full = serve_command(arguments)
        process = QProcess(self)
        process.setProcessEnvironment(QProcessEnvironment.systemEnvironment())
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._on_output)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        self._key_note.hide()
        self._log.clear()
        self._state.setText(self.tr("Starting…"))
        process.start(program, full)
        self._update_controls()
        self.running_changed.emit(True)

    def stop(self) -> None:
        if self._server is not None:
            server, runner = self._server, self._runner
            self._server = self._runner = None
            if runner is not None:
                runner.cancel_all()
            server.stop()
            RuntimeFile(app_paths().data_dir).withdraw()
            self._update_controls()
            self.running_changed.emit(False)
            return
        process = self._process
        if process is None:
            return
        process.terminate()
        if not process.waitForFinished(STOP_TIMEOUT_MS):
            process.kill()
            process.waitForFinished(STOP_TIMEOUT_MS)

    @Slot()
    def _on_output(self) -> None:
        if self._process is None:
            return
        text = bytes(self._process.readAllStandardOutput().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if found := _NEW_KEY.search(line):
                self._show_key(found.group(2), found.group(1))
                line = line.replace(found.group(2), "••••••")
            elif found := _SERVING.search(line):
                self._state.setText(
                    self.tr("Serving %1 at %2")
                    .replace("%1", found.group(1))
                    .replace("%2", found.group(2))
                )
            self._log.appendPlainText(line)

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._on_output()
        self._process = None
        self._update_controls()
        if code not in (0, 15, -15):
            self._state.setText(
                self.tr("The server stopped (exit status %1); see the log below.").replace(
                    "%1", str(code)
                )
            )
        self.running_changed.emit(False)

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._process = None
            self._update_controls()
            self._state.setText(self.tr("The server could not be started."))
            self.running_changed.emit(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)
