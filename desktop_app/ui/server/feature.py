"""Settings > Local Server…: the API server page in its own dialog.

The server keeps its own dialog rather than a Settings page: it is a running service
whose life must not end with a dialog. It stops when the window closes.

The page (and the server modules it imports) is built the first time the menu action
is used, not before the window shows (issue 13: start fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QVBoxLayout

from desktop_app.ui.extensions.api import Menu, WindowApi

if TYPE_CHECKING:
    from desktop_app.ui.engine.worker import EngineBridge
    from desktop_app.ui.server.page import ServerPage


class ServerFeature:
    name = "server"

    def __init__(self) -> None:
        self.page: ServerPage | None = None
        self._dialog: QDialog | None = None

    def install(self, api: WindowApi) -> None:
        window, bridge = api.window, api.host.bridge
        api.on_close(self._stop)
        action = QAction(QCoreApplication.translate("RemoteMenu", "&Local Server…"), window)
        action.setObjectName("localServerAction")
        action.triggered.connect(lambda: self._show(window, bridge))
        api.add_menu_action(Menu.SETTINGS, action)

    def _show(self, window: QMainWindow, bridge: EngineBridge) -> None:
        if self._dialog is None:
            from desktop_app.ui.server.page import ServerPage

            self.page = ServerPage(bridge=bridge)
            self._dialog = QDialog(window)
            self._dialog.setObjectName("serverDialog")
            self._dialog.setWindowTitle(QCoreApplication.translate("RemoteMenu", "Local server"))
            QVBoxLayout(self._dialog).addWidget(self.page)
            self._dialog.resize(720, 480)
        self._dialog.show()

    def _stop(self) -> None:
        if self.page is not None:
            self.page.stop()
