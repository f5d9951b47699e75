"""Python's cyclic garbage collector, run only on the GUI thread.

The collector runs on whichever thread happens to allocate when a threshold is crossed.
If that is the engine thread and the garbage holds Qt widgets (a closed dialog, a
delegate and its view), their C++ destructors run off the GUI thread, which Qt forbids
and which can crash. So automatic collection is turned off while the window lives and a
timer on the GUI thread collects whenever the allocation counts say it is due.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Owns collection while it is started; ``stop`` gives it back to Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_if_due(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold, like Python
        would; returns the generation collected, or None."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        due = None
        for generation in range(3):
            threshold = thresholds[generation]
            if threshold and counts[generation] > threshold:
                due = generation
        if due is not None:
            gc.collect(due)
        return due
