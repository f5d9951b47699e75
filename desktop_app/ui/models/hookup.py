"""Wires model management into the main window: the Models window, the header's model
picker, and the welcome page's "Download the recommended model".

Kept apart from ``main_window.py`` so that the window only adds a few lines to use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from desktop_app.core.models.fit import format_size
from desktop_app.ui.models.picker import LOCAL_SOURCE, ModelPicker
from desktop_app.ui.models.service import ModelsService

if TYPE_CHECKING:
    from desktop_app.ui.models.window import ModelsWindow


class ModelsHookup(QObject):
    open_requested = Signal(str)
    """A model file the user chose (picker, Library tab, finished first download)."""
    models_dir_requested = Signal(str)

    def __init__(self, service: ModelsService, window: QWidget) -> None:
        super().__init__(window)
        # Owned by the window from now on: Qt deletes it with the window, on the GUI
        # thread, instead of Python's garbage collector on whichever thread runs it.
        service.setParent(self)
        self.service = service
        self._models_window: ModelsWindow | None = None
        self._first_download_pending = False
        self.picker = ModelPicker(window)
        self.picker.entry_chosen.connect(self._on_picker_choice)
        self.picker.manage_requested.connect(self.show_models)
        service.library_changed.connect(self.refresh)
        service.model_installed.connect(self._on_installed)
        self.refresh()

    def build_action(self, parent: QWidget) -> QAction:
        """The "Models…" menu action (Ctrl+Shift+M)."""
        action = QAction(self.tr("&Models…"), parent)
        action.setObjectName("modelsAction")
        action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        action.setStatusTip(self.tr("Download, import and manage models"))
        action.triggered.connect(self.show_models)
        return action

    # Welcome page

    def build_welcome_widgets(self, parent: QWidget) -> list[QWidget]:
        """The recommended-model button and its details, and a "Browse models…" button."""
        widgets: list[QWidget] = []
        entry = self.service.recommended()
        if entry is not None:
            self.recommend_button = QPushButton(self.tr("Download the recommended model"), parent)
            self.recommend_button.setObjectName("downloadRecommendedButton")
            self.recommend_button.setAccessibleName(self.tr("Download the recommended model"))
            self.recommend_button.setMinimumHeight(36)
            self.recommend_button.clicked.connect(self.download_recommended)
            details = QLabel(
                self.tr("%1 · %2 · licence: %3")
                .replace("%1", entry.name)
                .replace("%2", format_size(entry.size_bytes))
                .replace("%3", entry.license),
                parent,
            )
            details.setObjectName("recommendedModelDetails")
            details.setAlignment(Qt.AlignmentFlag.AlignCenter)
            details.setToolTip(entry.description(QLocale().name()))
            widgets += [self.recommend_button, details]
        browse = QPushButton(self.tr("Browse models…"), parent)
        browse.setObjectName("browseModelsButton")
        browse.setAccessibleName(self.tr("Browse models"))
        browse.clicked.connect(self.show_models)
        widgets.append(browse)
        return widgets

    @Slot()
    def download_recommended(self) -> None:
        entry = self.service.recommended()
        if entry is None:
            return
        self._first_download_pending = True
        window = self.models_window()
        window.download_catalog_entry(entry)
        window.show()
        window.raise_()

    # Models window

    def models_window(self) -> ModelsWindow:
        if self._models_window is None:
            # parent() rather than a stored reference: no cycle keeps the window alive
            # for the garbage collector to free later, on some other thread.
            parent = self.parent()
            assert isinstance(parent, QWidget)
            from desktop_app.ui.models.window import ModelsWindow  # when first opened

            self._models_window = ModelsWindow(self.service, parent)
            self._models_window.model_chosen.connect(self._on_library_choice)
            self._models_window.models_dir_requested.connect(self.models_dir_requested)
        return self._models_window

    @Slot()
    def show_models(self) -> None:
        window = self.models_window()
        window.show()
        window.raise_()
        window.activateWindow()

    # Picker

    @Slot()
    def refresh(self) -> None:
        self.picker.set_local_models(self.service.installed_models())

    def set_current_path(self, path: str, name: str = "") -> None:
        self.picker.set_current(LOCAL_SOURCE, path, name)

    @Slot(str, str)
    def _on_picker_choice(self, source: str, key: str) -> None:
        if source == LOCAL_SOURCE:
            self.open_requested.emit(key)

    @Slot(str)
    def _on_library_choice(self, path: str) -> None:
        self.open_requested.emit(path)

    @Slot(str, str)
    def _on_installed(self, _model_id: str, path: str) -> None:
        if self._first_download_pending:
            self._first_download_pending = False
            self.open_requested.emit(path)

    def close(self) -> None:
        self.service.close()
