"""The About box names the version that ``hearth --version`` prints."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app import __version__
from tests.gui.helpers import Launcher


def test_about_shows_the_version(launch: Launcher, qtbot: QtBot) -> None:
    hearth = launch()
    action = hearth.window.findChild(QAction, "aboutAction")
    assert action is not None
    action.trigger()
    box = hearth.window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert f"Hearth {__version__}" in box.text()
    box.accept()
