"""Guards against Qt binding bugs that would crash Hearth long after start."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    happened = Signal(int)


def test_emitting_signals_does_not_leak_references() -> None:
    """PySide6 6.12.0 released a reference to True on every emit: a streaming window
    aborted with 'bool_dealloc' after a few thousand signals."""
    emitter = _Emitter()
    received: list[int] = []
    emitter.happened.connect(received.append)
    before = sys.getrefcount(True)
    for value in range(20_000):
        emitter.happened.emit(value)
    assert len(received) == 20_000
    assert abs(sys.getrefcount(True) - before) < 100
