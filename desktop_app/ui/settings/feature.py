"""Settings…: the menu action, the dialog with every feature's pages, and what a save changes
outside the chat (theme, notices, Delete all my data).

Plugged in through the extension API: the action goes in File and Settings, the dialog
gets the pages other features add (``WindowApi.settings_pages``), and a save hands the
new settings to the window (``ChatWindow.apply_settings``), which tells the features.
The dialog module loads when it is first opened.

Its strings keep the ``MainWindow`` translation context they were written under, so the
catalogues need no change.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.core.settings import Settings
from desktop_app.ui.extensions.api import Menu, Section, WindowApi
from desktop_app.ui.shared.theme import apply_theme

if TYPE_CHECKING:
    from desktop_app.core.hardware import HardwareInfo
    from desktop_app.ui.settings.dialog import SettingsDialog

STATUS_TIMEOUT_MS = 8000
SHUTDOWN_TIMEOUT_MS = 10_000


class SettingsFeature:
    name = "settings"

    def __init__(self, config_dir: Path) -> None:
        self._config_dir = config_dir

    def install(self, api: WindowApi) -> None:
        SettingsHookup(api, self._config_dir)


class SettingsHookup(QObject):
    """The action and the dialog's handling; a child of the window, which keeps it alive."""

    def __init__(self, api: WindowApi, config_dir: Path) -> None:
        super().__init__(api.window)
        self._api = api
        self._config_dir = config_dir
        self._hardware: HardwareInfo | None = None
        action = QAction(QCoreApplication.translate("MainWindow", "&Settings…"), api.window)
        action.setObjectName("settingsAction")
        action.setShortcut(QKeySequence("Ctrl+,"))
        action.setMenuRole(QAction.MenuRole.PreferencesRole)
        action.triggered.connect(self.open_settings)
        api.add_menu_action(Menu.FILE, action, Section.SETTINGS)
        api.add_menu_action(Menu.SETTINGS, action, Section.MAIN)
        api.on_settings_changed(self._changed)

    @Slot()
    def open_settings(self) -> SettingsDialog:
        """Open the Settings dialog (non-modal result handling; returns it for tests)."""
        if self._hardware is None:
            from desktop_app.core.hardware import detect

            self._hardware = detect()
        hardware = self._hardware
        from desktop_app.ui.settings.dialog import SettingsDialog  # when first opened

        host = self._api.host
        dialog = SettingsDialog(
            host.settings, self._config_dir, lambda: hardware, self._api.window, host.bridge.model
        )
        for factory in self._api.settings_pages:
            title, page = factory()
            dialog.add_page(title, page)
        dialog.settings_saved.connect(host.apply_settings)
        dialog.delete_data_requested.connect(self._delete_all_data)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _changed(self, previous: Settings, settings: Settings) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and settings.theme != previous.theme:
            apply_theme(app, settings.theme)
        bar = self._api.window.statusBar()
        if settings.language != previous.language:
            restart = QCoreApplication.translate(
                "MainWindow", "The new language is used after Hearth restarts."
            )
            bar.showMessage(restart, STATUS_TIMEOUT_MS)
        reload_needed = settings.load_params() != previous.load_params()
        if reload_needed and self._api.host.bridge.model is not None:
            bar.showMessage(
                QCoreApplication.translate(
                    "MainWindow", "Open the model again to use the new hardware settings."
                ),
                STATUS_TIMEOUT_MS,
            )

    def _delete_all_data(self) -> None:
        from desktop_app.core.paths import app_paths
        from desktop_app.core.privacy import delete_all_data

        host, window = self._api.host, self._api.window
        host.bridge.shutdown(SHUTDOWN_TIMEOUT_MS)
        host.store.close()
        report = delete_all_data(app_paths())
        if report.failed:
            message = QCoreApplication.translate(
                "MainWindow", "Some files could not be deleted:\n%1"
            ).replace("%1", "\n".join(f"{path}: {why}" for path, why in report.failed))
        else:
            message = QCoreApplication.translate(
                "MainWindow", "All your data was deleted. Hearth will now close."
            )
        QMessageBox.information(
            window, QCoreApplication.translate("MainWindow", "Delete all my data"), message
        )
        window.close()
