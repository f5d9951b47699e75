"""Mount remote models and the local server on the main window.

- A "Settings" menu holds Settings… (Ctrl+,), Endpoints… and Local server…; the
  Endpoints page is also a page of the Settings dialog. The local server keeps its own
  dialog: it is a running service whose life must not end with a dialog.
- Remote models join the chat header's model picker as their own group, marked as
  remote; the list is fetched off the GUI thread at start and whenever the endpoints
  change. Picking one (there or on the Endpoints page) loads it like a file.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from desktop_app.core.endpoints import EndpointStore, RemoteModelEntry, remote_model_entries
from desktop_app.core.engine.base import ModelInfo
from desktop_app.core.engine.remote import is_remote_spec, parse_remote_spec
from desktop_app.ui.endpoints.page import EndpointsPage
from desktop_app.ui.models.picker import ModelPicker, PickerEntry
from desktop_app.ui.server.page import ServerPage

REMOTE_SOURCE = "remote"


def picker_entries(entries: list[RemoteModelEntry]) -> list[PickerEntry]:
    """Remote models as model-picker entries, labelled as remote."""
    return [
        PickerEntry(
            entry.spec,
            QCoreApplication.translate("RemoteMenu", "%1 (remote: %2)")
            .replace("%1", entry.model)
            .replace("%2", entry.endpoint),
            entry.spec,
        )
        for entry in entries
    ]


class _Fetched(QObject):
    done = Signal(object, object)


class _FetchRemoteModels(QRunnable):
    def __init__(self, store: EndpointStore, relay: _Fetched) -> None:
        super().__init__()
        self._store = store
        self._relay = relay

    def run(self) -> None:
        entries, errors = remote_model_entries(self._store)
        self._relay.done.emit(entries, errors)


class RemoteModels(QObject):
    """Keeps the picker's remote group current and loads a remote model when picked."""

    def __init__(self, window: QMainWindow, store: EndpointStore) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._picker: ModelPicker | None = getattr(window, "model_picker", None)
        self._relay = _Fetched(self)
        self._relay.done.connect(self._on_fetched)
        self.errors: list[str] = []
        """What the last refresh could not reach, one line per endpoint."""
        if self._picker is not None:
            self._picker.entry_chosen.connect(self._on_chosen)
        bridge = getattr(window, "bridge", None)
        if bridge is not None:
            bridge.model_loaded.connect(self._on_model_loaded)

    def refresh(self) -> None:
        if self._picker is None:
            return
        if not self._store.endpoints():
            self._picker.set_entries(REMOTE_SOURCE, [])
            return
        QThreadPool.globalInstance().start(_FetchRemoteModels(self._store, self._relay))

    @Slot(object, object)
    def _on_fetched(self, entries: list[RemoteModelEntry], errors: list[str]) -> None:
        self.errors = list(errors)
        if self._picker is not None:
            self._picker.set_entries(REMOTE_SOURCE, picker_entries(entries))

    @Slot(str, str)
    def _on_chosen(self, source: str, key: str) -> None:
        if source == REMOTE_SOURCE:
            self._window.open_model(key)  # type: ignore[attr-defined]

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        if not is_remote_spec(info.path):
            return
        if self._picker is not None:
            self._picker.set_current(REMOTE_SOURCE, info.path)
        label = self._window.findChild(QLabel, "chatFormatLabel")
        if label is not None:
            endpoint = parse_remote_spec(info.path).endpoint
            label.setText(
                QCoreApplication.translate(
                    "RemoteMenu", "Remote model on %1: the server applies its own chat format"
                ).replace("%1", endpoint)
            )


def _dialog(window: QMainWindow, page: QWidget, title: str, name: str) -> QDialog:
    dialog = QDialog(window)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(page)
    dialog.resize(720, 480)
    return dialog


def _settings_endpoints_page(
    window: QMainWindow, endpoints: EndpointStore, remote: RemoteModels
) -> EndpointsPage:
    """The Endpoints page as the Settings dialog shows it (a fresh one per opening)."""
    page = EndpointsPage(endpoints)
    page.model_chosen.connect(window.open_model)  # type: ignore[attr-defined]
    page.endpoints_changed.connect(remote.refresh)
    return page


def install_remote_menu(window: QMainWindow, endpoints: EndpointStore) -> QMenu:
    """Add a Settings menu (Settings…, Endpoints…, Local server…), the Endpoints page to
    the Settings dialog, and remote models to the picker."""
    remote = RemoteModels(window, endpoints)
    endpoints_page = EndpointsPage(endpoints)
    endpoints_dialog = _dialog(
        window,
        endpoints_page,
        QCoreApplication.translate("RemoteMenu", "Endpoints"),
        "endpointsDialog",
    )

    def use(spec: str) -> None:
        endpoints_dialog.hide()
        window.open_model(spec)  # type: ignore[attr-defined]

    endpoints_page.model_chosen.connect(use)
    endpoints_page.endpoints_changed.connect(remote.refresh)
    server_page = ServerPage(bridge=getattr(window, "bridge", None))
    server_dialog = _dialog(
        window,
        server_page,
        QCoreApplication.translate("RemoteMenu", "Local server"),
        "serverDialog",
    )
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(server_page.stop)

    menu = QMenu(QCoreApplication.translate("RemoteMenu", "&Settings"), window)
    menu.setObjectName("settingsMenu")
    help_menu = window.findChild(QMenu, "helpMenu")
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    else:
        window.menuBar().addMenu(menu)
    settings_action = window.findChild(QAction, "settingsAction")
    if settings_action is not None:
        menu.addAction(settings_action)
        menu.addSeparator()
    add_page = getattr(window, "add_settings_page", None)
    if add_page is not None:
        add_page(
            lambda: (
                QCoreApplication.translate("RemoteMenu", "Endpoints"),
                _settings_endpoints_page(window, endpoints, remote),
            )
        )
    endpoints_action = QAction(QCoreApplication.translate("RemoteMenu", "&Endpoints…"), window)
    endpoints_action.setObjectName("endpointsAction")
    endpoints_action.triggered.connect(endpoints_dialog.show)
    server_action = QAction(QCoreApplication.translate("RemoteMenu", "&Local Server…"), window)
    server_action.setObjectName("localServerAction")
    server_action.triggered.connect(server_dialog.show)
    menu.addAction(endpoints_action)
    menu.addAction(server_action)
    remote.setObjectName("remoteModels")
    remote.refresh()
    return menu
