"""The window's first paint: run the rest of the start after it, and report it.

``after_first_paint`` is how the window shows fast: the composition root builds a light
window (menus, welcome page, chat page), shows it, and installs the features and loads
the first conversation only once the window has painted, so their imports and work
never delay the first frame.

With ``HEARTH_REPORT_FIRST_PAINT=1`` in the environment, the first paint of any widget
prints ``hearth-first-paint <unix time>`` on stderr, and the window's ``ready`` (features
in, first conversation shown) ``hearth-ready <unix time>``, for
``benchmarks/startup.py``; otherwise nothing is installed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV = "HEARTH_REPORT_FIRST_PAINT"
UNPAINTED_MS = 5000
"""A window not painted by then (started on a hidden workspace, say) completes anyway."""
MARK = "hearth-first-paint"
READY_MARK = "hearth-ready"


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"{MARK} {time.time():.6f}", file=sys.stderr, flush=True)
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        return False


def report_first_paint(app: QApplication) -> None:
    """Install the reporter on ``app`` when the environment asks for it."""
    if os.environ.get(ENV):
        reporter = _FirstPaint(app)
        app.installEventFilter(reporter)


def report_ready() -> None:
    """Print the ready mark when the environment asks for it (connect to ``ready``)."""
    if os.environ.get(ENV):
        print(f"{READY_MARK} {time.time():.6f}", file=sys.stderr, flush=True)


class _AfterFirstPaint(QObject):
    """Watches the application's paint events until one is for a widget of ``window``
    (or ``UNPAINTED_MS`` pass)."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._callback: Callable[[], None] | None = callback
        app = QApplication.instance()
        assert app is not None, "after_first_paint needs a QApplication"
        app.installEventFilter(self)
        QTimer.singleShot(UNPAINTED_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            # Queued, so the frame being painted is finished and shown first.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once, on the GUI thread, just after ``window`` first paints, or
    ``UNPAINTED_MS`` after this call if it has not painted by then."""
    _AfterFirstPaint(window, callback)
