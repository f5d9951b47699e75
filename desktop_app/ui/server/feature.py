"""Settings > Local Server…: the API server page in its own dialog.

The server keeps its own dialog rather than a Settings page: it is a running service
whose life must not end with a dialog. It stops when the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QVBoxLayout

from desktop_app.ui.extensions.api import Menu, WindowApi
from desktop_app.ui.server.page import ServerPage


class ServerFeature:
    name = "server"

    def __init__(self) -> None:
        self.page: ServerPage | None = None

    def install(self, api: WindowApi) -> None:
        window = api.window
        page = ServerPage(bridge=api.host.bridge)
        self.page = page
        dialog = QDialog(window)
        dialog.setObjectName("serverDialog")
        dialog.setWindowTitle(QCoreApplication.translate("RemoteMenu", "Local server"))
        QVBoxLayout(dialog).addWidget(page)
        dialog.resize(720, 480)
        api.on_close(page.stop)
        action = QAction(QCoreApplication.translate("RemoteMenu", "&Local Server…"), window)
        action.setObjectName("localServerAction")
        action.triggered.connect(dialog.show)
        api.add_menu_action(Menu.SETTINGS, action)
