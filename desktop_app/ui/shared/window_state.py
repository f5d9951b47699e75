"""Bring the window back as it was: size and place, sidebar width (the last conversation is
``MainWindow.finish_start``'s).

The values live in the window state file (``desktop_app.core.window_state``), not in
the settings; they are read when the window is built and written when it closes.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktop_app.core.window_state import StateFile


class WindowStateKeeper(QObject):
    """Restores the window's geometry at once, and saves it and the splitter on close.

    The splitter's sizes come back with ``restore_splitter``, once the features have
    added their side panels to it.
    """

    def __init__(self, window: QMainWindow, state: StateFile) -> None:
        super().__init__(window)
        self._window = window
        self._state = state
        self._complete = False
        """Whether the features are in (a window closed before keeps the rest as it was)."""
        saved = state.state
        if saved.geometry:
            window.restoreGeometry(QByteArray.fromBase64(saved.geometry.encode("ascii")))
        window.installEventFilter(self)

    def restore_splitter(self) -> None:
        self._complete = True
        saved = self._state.state
        splitter = self._splitter()
        if splitter is not None and len(saved.splitter_sizes) == splitter.count():
            splitter.setSizes(list(saved.splitter_sizes))

    def _splitter(self) -> QSplitter | None:
        return self._window.findChild(QSplitter, "mainSplitter")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.save()
        return False

    def save(self) -> None:
        """Write the window's geometry, the splitter and the conversation on screen."""
        geometry = bytes(self._window.saveGeometry().toBase64().data()).decode("ascii")
        if not self._complete:
            self._state.update(geometry=geometry)
            return
        splitter = self._splitter()
        conversation = getattr(self._window, "conversation_id", None)
        self._state.update(
            geometry=geometry,
            splitter_sizes=tuple(splitter.sizes()) if splitter is not None else (),
            last_conversation=conversation if isinstance(conversation, int) else None,
        )
