"""Help > About Hearth, plugged in through the extension API.

Its strings keep the ``MainWindow`` translation context they were written under, so the
catalogues need no change.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app import __version__
from desktop_app.ui.extensions.api import Menu, Section, WindowApi


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setAccessibleName(QCoreApplication.translate("MainWindow", "About Hearth"))
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "About Hearth"))
    box.setIcon(QMessageBox.Icon.Information)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        QCoreApplication.translate("MainWindow", "<h3>Hearth %1</h3>").replace("%1", __version__)
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "MainWindow",
            "A private AI assistant. Hearth runs entirely on this computer: "
            "your conversations and models stay here.",
        )
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class HelpFeature:
    name = "help"

    def install(self, api: WindowApi) -> None:
        window = api.window
        action = QAction(QCoreApplication.translate("MainWindow", "&About Hearth"), window)
        action.setObjectName("aboutAction")
        action.setMenuRole(QAction.MenuRole.AboutRole)
        action.triggered.connect(lambda: show_about(window))
        api.add_menu_action(Menu.HELP, action, Section.MAIN)
