"""The status bar's model part, plugged in through the extension API.

While a model loads: a progress bar, a Cancel button and "Loading NAME…"; then the
loaded model's name (its path and where its layers run on hover) and "NAME is ready."
(or the GPU plan's notice). All of it follows the engine bridge's signals; the window
keeps the bar itself, its messages and the last answer's statistics (``stats.py``,
which follow the chat on screen).

Its strings keep the ``MainWindow`` translation context they were written under, so the
catalogues need no change.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from desktop_app.core.engine.base import ModelInfo
from desktop_app.ui.engine.worker import EngineBridge
from desktop_app.ui.extensions.api import WindowApi

STATUS_TIMEOUT_MS = 8000


class StatusBarFeature:
    name = "status"

    def install(self, api: WindowApi) -> None:
        ModelStatus(api.window.statusBar(), api.host.bridge)


class ModelStatus(QObject):
    """The widgets and their updates; a child of the status bar, which keeps it alive."""

    def __init__(self, bar: QStatusBar, bridge: EngineBridge) -> None:
        super().__init__(bar)
        self._bar = bar
        self._bridge = bridge
        self._build(bar, bridge)
        bridge.model_loading.connect(self._loading)
        bridge.load_progress.connect(self._progressed)
        bridge.model_loaded.connect(self._loaded)
        bridge.load_cancelled.connect(self._cancelled)
        bridge.model_failed.connect(self._failed)
        bridge.model_unloaded.connect(self._unloaded)
        bridge.busy_changed.connect(self._busy_changed)
        if bridge.model is not None:
            self._show_model(bridge.model)

    def _build(self, bar: QStatusBar, bridge: EngineBridge) -> None:
        self._progress = QProgressBar(bar)
        self._progress.setObjectName("loadingProgress")
        self._progress.setAccessibleName(QCoreApplication.translate("MainWindow", "Loading model"))
        self._progress.setRange(0, 0)
        self._progress.setMaximumWidth(140)
        self._progress.setMaximumHeight(14)
        self._progress.setTextVisible(False)
        self._progress.hide()
        bar.insertPermanentWidget(0, self._progress)
        self._cancel = QToolButton(bar)
        self._cancel.setObjectName("cancelLoadButton")
        self._cancel.setText(QCoreApplication.translate("MainWindow", "Cancel"))
        self._cancel.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Cancel loading the model")
        )
        self._cancel.setAutoRaise(True)
        self._cancel.clicked.connect(bridge.cancel_load)
        self._cancel.hide()
        bar.insertPermanentWidget(1, self._cancel)
        self._model_label = QLabel(QCoreApplication.translate("MainWindow", "No model"), bar)
        self._model_label.setContentsMargins(8, 0, 8, 0)
        self._model_label.setObjectName("statusModel")
        self._model_label.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Loaded model")
        )
        bar.addPermanentWidget(self._model_label)

    def _loading(self, path: str) -> None:
        self._progress.setRange(0, 0)
        self._progress.show()
        self._cancel.show()
        self._bar.showMessage(
            QCoreApplication.translate("MainWindow", "Loading %1…").replace("%1", Path(path).name)
        )

    def _progressed(self, fraction: float) -> None:
        self._progress.setRange(0, 100)
        self._progress.setValue(round(fraction * 100))

    def _loaded(self, info: ModelInfo) -> None:
        self._progress.hide()
        self._bar.showMessage(
            info.offload_notice
            or QCoreApplication.translate("MainWindow", "%1 is ready.").replace("%1", info.name),
            STATUS_TIMEOUT_MS,
        )
        self._show_model(info)

    def _show_model(self, info: ModelInfo) -> None:
        self._model_label.setText(info.name)
        self._model_label.setToolTip("\n".join(filter(None, (info.path, info.offload))))

    def _cancelled(self, message: str) -> None:
        self._progress.hide()
        self._bar.showMessage(
            QCoreApplication.translate("MainWindow", "Loading the model was cancelled."),
            STATUS_TIMEOUT_MS,
        )

    def _failed(self, message: str) -> None:
        self._progress.hide()
        self._bar.clearMessage()

    def _unloaded(self) -> None:
        self._model_label.setText(QCoreApplication.translate("MainWindow", "No model"))
        self._model_label.setToolTip("")

    def _busy_changed(self) -> None:
        loading = self._bridge.loading_path is not None
        if not loading:
            self._progress.hide()
        self._cancel.setVisible(loading)
