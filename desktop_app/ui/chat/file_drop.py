"""Model files dropped on the window (or on the composer) open the model.

An event filter on the window and on the composer's viewport: a single ``.gguf`` file
asks for it to be opened (``model_dropped``); other files get a one-line ``notice``.
A drop on the composer that carries no local file is left to the composer (text).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QObject, QUrl, Signal
from PySide6.QtGui import QDropEvent

MODEL_SUFFIX = ".gguf"
_DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def local_files(mime: QMimeData) -> list[str]:
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if isinstance(url, QUrl) and url.isLocalFile()]


class ModelFileDrop(QObject):
    model_dropped = Signal(str)
    notice = Signal(str)

    def __init__(self, window: QObject, composer_viewport: QObject) -> None:
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)
        composer_viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _DRAG_EVENTS or not isinstance(event, QDropEvent):
            return False
        files = local_files(event.mimeData())
        if not files:
            if watched is self._window:
                event.ignore()
                return True
            return False  # the composer takes dropped text itself
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            self._dropped(files)
        return True

    def _dropped(self, files: list[str]) -> None:
        models = [path for path in files if path.lower().endswith(MODEL_SUFFIX)]
        if len(files) == 1 and len(models) == 1:
            self.model_dropped.emit(models[0])
            return
        self.notice.emit(
            QCoreApplication.translate("MainWindow", "Drop one model file at a time.")
            if len(models) > 1
            else QCoreApplication.translate(
                "MainWindow", "Only GGUF model files (.gguf) can be opened: %1"
            ).replace("%1", ", ".join(Path(path).name for path in files))
        )
