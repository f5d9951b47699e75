"""Composition root: build the core services, then the window, and run the event loop."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.core.chats.store import Store, StoreError
from desktop_app.core.endpoints import EndpointStore
from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.engine.factory import engine_factory as local_or_remote
from desktop_app.core.paths import AppPaths, app_paths
from desktop_app.core.secrets import SecretStore
from desktop_app.core.settings import load_settings
from desktop_app.ui.engine_worker import EngineBridge, EngineFactory
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.remote_menu import install_remote_menu

log = logging.getLogger(__name__)

ORGANIZATION = "Hearth"
ORGANIZATION_DOMAIN = "hearth.invalid"


@dataclass
class Hearth:
    """The running application's parts, for ``run_gui`` and the GUI tests."""

    store: Store
    bridge: EngineBridge
    window: MainWindow
    settings_warning: str | None
    endpoints: EndpointStore | None = None

    def close(self) -> bool:
        """Close the window (which stops the engine thread) and the store.

        Returns False if the engine thread did not stop in time; the store is then
        left open for it, and the process should exit without waiting.
        """
        self.window.close()  # its closeEvent shuts the bridge down and waits for it
        stopped = self.bridge.shutdown(0)
        if stopped:
            self.store.close()
        return stopped


def build(
    paths: AppPaths,
    *,
    generation_params: GenerationParams | None = None,
    engine_factory: EngineFactory | None = None,
) -> Hearth:
    """Open the store and settings and build the window (not shown). Raises ``StoreError``."""
    paths.ensure()
    store = Store.open(paths.database)
    settings, warning = load_settings(paths.config_dir)
    endpoints = EndpointStore(paths.config_dir, SecretStore())
    bridge = EngineBridge(store, engine_factory or local_or_remote(endpoints))
    window = MainWindow(store, settings, paths.config_dir, bridge, generation_params)
    install_remote_menu(window, endpoints)
    return Hearth(store, bridge, window, warning, endpoints)


def _configure_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("hearth")
    return app


def _parse(argv: list[str]) -> str | None:
    parser = argparse.ArgumentParser(prog="hearth", add_help=False)
    parser.add_argument("--model")
    known, _ = parser.parse_known_args(argv[1:])
    return known.model


def run_gui(argv: list[str], model_path: str | None = None) -> int:
    """Run the desktop app until its window closes; returns the exit code.

    ``model_path`` (or ``--model PATH`` in ``argv``) is loaded instead of the last model.
    """
    app = _configure_application(argv)
    model_path = model_path or _parse(argv)
    try:
        hearth = build(app_paths())
    except (StoreError, OSError) as exc:
        QMessageBox.critical(
            None, QCoreApplication.translate("app", "Hearth cannot start"), str(exc)
        )
        return 1
    window = hearth.window
    window.show()
    if hearth.settings_warning:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("app", "Settings"),
            hearth.settings_warning,
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setObjectName("settingsWarningBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
    window.restore_model(model_path)
    code = app.exec()
    if not hearth.close():
        # A model load cannot be interrupted; leaving now is safe for SQLite and
        # better than a window that seems to hang after it closed.
        log.warning("Leaving without waiting for the engine thread")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
