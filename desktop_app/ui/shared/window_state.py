"""Bring the window back as it was: size and place, sidebar width, last conversation.

The values live in the window state file (``desktop_app.core.window_state``), not in
the settings; they are read when the window is built and written when it closes.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktop_app.core.chats.store import Store, StoreError
from desktop_app.core.window_state import StateFile


class WindowStateKeeper(QObject):
    """Restores the window's geometry and splitter at once, and saves them on close."""

    def __init__(self, window: QMainWindow, state: StateFile) -> None:
        super().__init__(window)
        self._window = window
        self._state = state
        saved = state.state
        if saved.geometry:
            window.restoreGeometry(QByteArray.fromBase64(saved.geometry.encode("ascii")))
        splitter = self._splitter()
        if splitter is not None and len(saved.splitter_sizes) == splitter.count():
            splitter.setSizes(list(saved.splitter_sizes))
        window.installEventFilter(self)

    def _splitter(self) -> QSplitter | None:
        return self._window.findChild(QSplitter, "mainSplitter")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.save()
        return False

    def save(self) -> None:
        """Write the window's geometry, the splitter and the conversation on screen."""
        splitter = self._splitter()
        conversation = getattr(self._window, "conversation_id", None)
        self._state.update(
            geometry=bytes(self._window.saveGeometry().toBase64().data()).decode("ascii"),
            splitter_sizes=tuple(splitter.sizes()) if splitter is not None else (),
            last_conversation=conversation if isinstance(conversation, int) else None,
        )


def last_conversation(store: Store, state: StateFile) -> int | None:
    """The conversation on screen when the window last closed, if it still exists."""
    wanted = state.state.last_conversation
    if wanted is None:
        return None
    try:
        return wanted if store.conversation(wanted) is not None else None
    except StoreError:
        return None
