"""How the window opens a model: a file or a remote model, the last one used, or one
chosen in the Open dialog, loaded in the background by the engine bridge.

Strings keep the "MainWindow" translation context they had in the window.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow

from desktop_app.core.engine.load_params import LoadParams
from desktop_app.core.engine.remote_spec import is_remote_spec
from desktop_app.core.window_state import StateFile
from desktop_app.ui.engine.worker import EngineBridge

STATUS_TIMEOUT_MS = 8000


class ModelOpener:
    def __init__(
        self,
        window: QMainWindow,
        bridge: EngineBridge,
        state: StateFile,
        load_params: Callable[[], LoadParams],
    ) -> None:
        self._window = window
        self._bridge = bridge
        self._state = state
        self._load_params = load_params

    def restore(self, path: str | None = None) -> None:
        """Load ``path``, or else the last model used, in the background.

        A remembered model whose file is gone is skipped with a note in the status
        bar; an explicit ``path`` that fails shows the engine's message.
        """
        if path:
            self.open(path)
            return
        last = self._state.state.last_model
        if not last:
            return
        if is_remote_spec(last) or Path(last).is_file():
            self.open(last)
        else:
            self._window.statusBar().showMessage(
                QCoreApplication.translate(
                    "MainWindow", "The last model, %1, is no longer there."
                ).replace("%1", last),
                STATUS_TIMEOUT_MS,
            )

    def open(self, path: str) -> None:
        """Load a model file, or a remote model (``remote:ENDPOINT/MODEL``), in the background."""
        target = path if is_remote_spec(path) else os.path.abspath(path)
        if not self._bridge.load_model(target, self._load_params()):
            self._window.statusBar().showMessage(
                QCoreApplication.translate(
                    "MainWindow", "Please wait: a model is already loading."
                ),
                STATUS_TIMEOUT_MS,
            )

    def choose(self) -> None:
        """The Open dialog, in the last model's folder; loads the file picked."""
        last = self._state.state.last_model
        path, _ = QFileDialog.getOpenFileName(
            self._window,
            QCoreApplication.translate("MainWindow", "Open a GGUF model"),
            str(Path(last).parent) if last else "",
            QCoreApplication.translate("MainWindow", "GGUF models (*.gguf)"),
        )
        if path:
            self.open(path)

    def remember(self, path: str) -> None:
        """``path`` loaded: the next start loads it again."""
        self._state.update(last_model=path)
