"""Composition root: build the core services, then the window, and run the event loop."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_ID, APP_NAME, __version__
from desktop_app.core import logs
from desktop_app.core.chats.store import Store, StoreError, open_or_recover
from desktop_app.core.endpoints import EndpointStore
from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.engine.factory import engine_factory as local_or_remote
from desktop_app.core.paths import AppPaths, app_paths
from desktop_app.core.secrets import SecretStore
from desktop_app.core.settings import Settings, load_settings, resume_cache_config
from desktop_app.core.window_state import StateFile
from desktop_app.resources import resource_path
from desktop_app.ui.engine.worker import EngineBridge, EngineFactory
from desktop_app.ui.extensions.api import Feature
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shared.error_reports import UncaughtErrors, offer_crash_report
from desktop_app.ui.shared.first_paint import (
    after_first_paint,
    report_first_paint,
    report_ready,
)
from desktop_app.ui.shared.gui_gc import GuiThreadCollector
from desktop_app.ui.shared.i18n import install_translations
from desktop_app.ui.shared.theme import apply_cjk_fallback, apply_theme
from desktop_app.ui.shared.window_state import WindowStateKeeper

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
    store_warning: str | None = None
    """The conversation database could not be opened (kept aside, or in memory)."""
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


def apply_preferences(app: QApplication, settings: Settings) -> None:
    """Language, fonts and theme for the whole app; call before any widget is built.

    ``language`` ("system", "en", "zh_CN") and ``theme`` ("system", "light", "dark")
    are read from the settings when they hold them, else they follow the system.
    """
    language = str(getattr(settings, "language", "system"))
    theme = str(getattr(settings, "theme", "system"))
    try:
        install_translations(app, language)
    except ValueError as exc:
        log.warning("%s; following the system language", exc)
        install_translations(app, "system")
    apply_cjk_fallback(app)
    try:
        apply_theme(app, theme)
    except ValueError as exc:
        log.warning("%s; following the system theme", exc)
        apply_theme(app, "system")


def build(
    paths: AppPaths,
    *,
    generation_params: GenerationParams | None = None,
    engine_factory: EngineFactory | None = None,
    preferences: bool = False,
) -> Hearth:
    """Open the store and settings and build the window (not shown). Raises ``StoreError``.

    ``preferences`` applies the language, fonts and theme from the settings first
    (the app does; tests that set up their own leave it off). The window starts light:
    the chat page is built, the features installed and the first conversation shown just
    after its first paint (``desktop_app.ui.shared.first_paint``); then it emits ``ready``.
    """
    paths.ensure()
    store, store_warning = open_or_recover(paths.database)
    state = StateFile(paths.data_dir, paths.config_dir)  # before the settings: it migrates
    settings, warning = load_settings(paths.config_dir)
    app = QApplication.instance()
    if preferences and isinstance(app, QApplication):
        apply_preferences(app, settings)
    endpoints = EndpointStore(paths.config_dir, SecretStore())
    bridge = EngineBridge(store, engine_factory or local_or_remote(endpoints))
    bridge.configure_resume(*resume_cache_config(settings, paths.data_dir))
    window = MainWindow(
        store,
        settings,
        paths.config_dir,
        bridge,
        generation_params,
        state=state,
        data_dir=paths.data_dir,
    )
    keeper = WindowStateKeeper(window, state)  # the size before the window shows
    UncaughtErrors(window)

    def finish() -> None:
        window.build_chat()
        window.install_features(features(paths, settings, endpoints))
        keeper.restore_splitter()  # after the features: the sidebar's splitter is theirs
        window.finish_start(state.state.last_conversation)

    after_first_paint(window, finish)
    return Hearth(store, bridge, window, warning, store_warning, endpoints)


def features(paths: AppPaths, settings: Settings, endpoints: EndpointStore) -> list[Feature]:
    """The window's features, in install order (their menu actions and pages follow it).

    Imported here, after the first paint, so that the window shows without them.
    """
    from desktop_app.core.documents.index import DATABASE_NAME as DOCUMENTS_DATABASE
    from desktop_app.core.documents.models import installed_embedding_model
    from desktop_app.core.models.library import models_dir_for
    from desktop_app.ui.conversations.controller import ConversationsFeature
    from desktop_app.ui.documents.feature import DocumentsFeature
    from desktop_app.ui.endpoints.feature import EndpointsFeature
    from desktop_app.ui.help.feature import HelpFeature
    from desktop_app.ui.models.feature import ModelsFeature
    from desktop_app.ui.models.service import ModelsService
    from desktop_app.ui.server.feature import ServerFeature
    from desktop_app.ui.settings.feature import SettingsFeature
    from desktop_app.ui.status.feature import StatusBarFeature
    from desktop_app.ui.tools.feature import ToolsFeature

    models = ModelsService(models_dir_for(paths.models_dir, settings.models_dir))
    return [
        ModelsFeature(models, paths.models_dir),  # first: others add to its picker
        StatusBarFeature(),
        SettingsFeature(paths.config_dir),
        ConversationsFeature(),
        EndpointsFeature(endpoints),
        ServerFeature(),
        DocumentsFeature(
            paths.data_dir / DOCUMENTS_DATABASE,
            lambda: installed_embedding_model(models.library),
        ),
        ToolsFeature(paths.config_dir, paths.data_dir / DOCUMENTS_DATABASE),
        HelpFeature(),
    ]


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
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to the installed .desktop file
    app.setWindowIcon(QIcon(str(resource_path("icons", "hearth.svg"))))
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
    report_first_paint(app)
    model_path = model_path or _parse(argv)
    try:
        hearth = build(app_paths(), preferences=True)
    except (StoreError, OSError) as exc:
        QMessageBox.critical(
            None, QCoreApplication.translate("app", "Hearth cannot start"), str(exc)
        )
        return 1
    collector = GuiThreadCollector(app)
    collector.start()
    window = hearth.window
    window.ready.connect(report_ready)
    window.ready.connect(lambda: _when_ready(hearth, model_path))
    window.show()
    code = app.exec()
    collector.stop()
    if not hearth.close():
        # A model load cannot be interrupted; leaving now is safe for SQLite and
        # better than a window that seems to hang after it closed.
        log.warning("Leaving without waiting for the engine thread")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _when_ready(hearth: Hearth, model_path: str | None) -> None:
    """What the start says and loads once the window is complete."""
    from desktop_app.ui.conversations.controller import show_store_warning  # a feature's

    window = hearth.window
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
    if hearth.store_warning:
        show_store_warning(window, hearth.store_warning)
    setup = logs.current()
    if setup is not None and setup.previous_crash is not None:
        offer_crash_report(window, setup.previous_crash)
    window.restore_model(model_path)
