"""``hearth`` / ``hearth gui``: open the window (the only CLI module that loads Qt)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop_app.cli.common import CliError


def open_window(model: Path | None) -> int:
    if _no_display():
        raise CliError(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
            "use 'hearth chat' in a terminal, or set QT_QPA_PLATFORM=offscreen"
        )
    from desktop_app.window_check import window_problem

    problem = window_problem()
    if problem is not None:
        raise CliError(problem)
    from desktop_app.app import run_gui

    return run_gui(sys.argv[:1], model_path=str(model) if model else None)


def _no_display() -> bool:
    """On Linux and the BSDs, Qt aborts the process when it finds no display."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return False
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
