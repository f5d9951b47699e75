"""Say when the window first paints, for ``benchmarks/startup.py``.

With ``HEARTH_REPORT_FIRST_PAINT=1`` in the environment, the first paint of any widget
prints ``hearth-first-paint <unix time>`` on stderr; otherwise nothing is installed.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

ENV = "HEARTH_REPORT_FIRST_PAINT"
MARK = "hearth-first-paint"


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
