"""While the window lives, cyclic garbage is collected on the GUI thread only."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from desktop_app.ui.shared.gui_gc import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_garbage_made_on_a_worker_thread_is_freed_on_the_gui_thread(qtbot: QtBot) -> None:
    freed_on: list[str] = []

    class Tracked(Cycle):
        def __del__(self) -> None:
            freed_on.append(threading.current_thread().name)

    collector = GuiThreadCollector()
    collector.start()
    try:
        assert not gc.isenabled()

        def make_garbage() -> None:
            for _ in range(5 * gc.get_threshold()[0]):
                Tracked()

        worker = threading.Thread(target=make_garbage, name="engine")
        worker.start()
        worker.join()
        assert freed_on == []  # nothing collected on the worker
        qtbot.waitUntil(lambda: bool(freed_on), timeout=5_000)
        assert set(freed_on) == {threading.main_thread().name}
    finally:
        collector.stop()
    assert gc.isenabled()
