"""Mount the Endpoints and Local server pages on the main window.

Until a Settings dialog with pages exists, each page opens in its own dialog from a
"Settings" menu. A remote model picked on the Endpoints page is loaded like a file.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QVBoxLayout, QWidget

from desktop_app.core.endpoints import EndpointStore
from desktop_app.ui.endpoints_page import EndpointsPage
from desktop_app.ui.server_page import ServerPage


def _dialog(window: QMainWindow, page: QWidget, title: str, name: str) -> QDialog:
    dialog = QDialog(window)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(page)
    dialog.resize(720, 480)
    return dialog


def install_remote_menu(window: QMainWindow, endpoints: EndpointStore) -> QMenu:
    """Add Settings → Endpoints… and Settings → Local server… to ``window``'s menu bar."""
    open_model = window.open_model  # MainWindow.open_model(path_or_spec)
    endpoints_page = EndpointsPage(endpoints)
    endpoints_dialog = _dialog(
        window,
        endpoints_page,
        QCoreApplication.translate("RemoteMenu", "Endpoints"),
        "endpointsDialog",
    )

    def use(spec: str) -> None:
        endpoints_dialog.hide()
        open_model(spec)

    endpoints_page.model_chosen.connect(use)
    server_page = ServerPage()
    server_dialog = _dialog(
        window,
        server_page,
        QCoreApplication.translate("RemoteMenu", "Local server"),
        "serverDialog",
    )
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(server_page.stop)

    menu = window.menuBar().addMenu(QCoreApplication.translate("RemoteMenu", "&Settings"))
    menu.setObjectName("settingsMenu")
    endpoints_action = QAction(QCoreApplication.translate("RemoteMenu", "&Endpoints…"), window)
    endpoints_action.setObjectName("endpointsAction")
    endpoints_action.triggered.connect(endpoints_dialog.show)
    server_action = QAction(QCoreApplication.translate("RemoteMenu", "&Local Server…"), window)
    server_action.setObjectName("localServerAction")
    server_action.triggered.connect(server_dialog.show)
    menu.addAction(endpoints_action)
    menu.addAction(server_action)
    return menu
