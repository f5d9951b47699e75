"""Settings → Local server: start and stop Hearth's OpenAI-compatible API server.

The server runs as a child process (``hearth serve``) with its own engine thread and its
own copy of the model, so the window's chat and the API never contend for one llama.cpp
context. Off by default; binds 127.0.0.1 unless the user types another address, in which
case ``hearth serve`` requires an API key and prints a new one once: the page shows it
with a note to copy it now.
"""

from __future__ import annotations

import re
import sys

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
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

DEFAULT_PORT = 8321
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

    def __init__(self, model_path: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverPage")
        self.setAccessibleName(self.tr("Local server"))
        self._process: QProcess | None = None
        self._build(model_path)
        self._update_controls()

    @property
    def is_running(self) -> bool:
        return self._process is not None

    def _build(self, model_path: str) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
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
        self._port = QSpinBox(self)
        self._port.setObjectName("serverPort")
        self._port.setRange(1, 65535)
        self._port.setValue(DEFAULT_PORT)
        form.addRow(self.tr("Port"), self._port)
        self._model = QLineEdit(model_path, self)
        self._model.setObjectName("serverModel")
        self._model.setPlaceholderText(self.tr("path of a .gguf file (default: the last model)"))
        form.addRow(self.tr("Model"), self._model)
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
        running = self._process is not None
        self._toggle.setText(self.tr("Stop server") if running else self.tr("Start server"))
        for field in (self._host, self._port, self._model):
            field.setEnabled(not running)
        if not running:
            self._state.setText(self.tr("Off."))

    @Slot()
    def _on_toggle(self) -> None:
        if self._process is None:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        arguments = ["--host", self._host.text().strip(), "--port", str(self._port.value())]
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
                self._key_note.setText(
                    self.tr(
                        "New API key: %1\nCopy it now: it is not shown again. It is kept in %2."
                    )
                    .replace("%1", found.group(2))
                    .replace("%2", found.group(1))
                )
                self._key_note.show()
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

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.stop()
        super().closeEvent(event)
