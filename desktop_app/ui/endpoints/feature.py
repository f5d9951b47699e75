"""Remote endpoints in the window, plugged in through the extension API.

- Settings > Endpoints… opens the Endpoints page in its own dialog; the same page is
  also a page of the Settings dialog.
- Remote models join the chat header's model picker as their own group, marked as
  remote; the list is fetched off the GUI thread at start and whenever the endpoints
  change. Picking one (there or on the Endpoints page) loads it like a file.

Translations keep the ``RemoteMenu`` context this code was first written under.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QVBoxLayout, QWidget

from desktop_app.core.endpoints import EndpointStore, RemoteModelEntry, remote_model_entries
from desktop_app.core.engine.base import ModelInfo
from desktop_app.core.engine.remote_spec import is_remote_spec, parse_remote_spec
from desktop_app.ui.extensions.api import ChatWindow, Menu, WindowApi
from desktop_app.ui.models.picker import ModelPicker, PickerEntry

if TYPE_CHECKING:
    from desktop_app.ui.endpoints.page import EndpointsPage

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

    def __init__(self, window: ChatWindow, parent: QObject, store: EndpointStore) -> None:
        super().__init__(parent)
        self._window = window
        self._store = store
        self._picker: ModelPicker | None = window.model_picker
        self._relay = _Fetched(self)
        self._relay.done.connect(self._on_fetched)
        self.errors: list[str] = []
        """What the last refresh could not reach, one line per endpoint."""
        if self._picker is not None:
            self._picker.entry_chosen.connect(self._on_chosen)
        window.bridge.model_loaded.connect(self._on_model_loaded)

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
            self._window.open_model(key)

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        if not is_remote_spec(info.path):
            return
        if self._picker is not None:
            self._picker.set_current(REMOTE_SOURCE, info.path)
        endpoint = parse_remote_spec(info.path).endpoint
        self._window.set_format_note(
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
    window: ChatWindow, endpoints: EndpointStore, remote: RemoteModels
) -> EndpointsPage:
    """The Endpoints page as the Settings dialog shows it (a fresh one per opening)."""
    from desktop_app.ui.endpoints.page import EndpointsPage

    page = EndpointsPage(endpoints)
    page.model_chosen.connect(window.open_model)
    page.endpoints_changed.connect(remote.refresh)
    return page


class EndpointsFeature:
    """Settings > Endpoints…, the Endpoints settings page, remote models in the picker."""

    name = "endpoints"

    def __init__(self, endpoints: EndpointStore) -> None:
        self._endpoints = endpoints
        self.remote: RemoteModels | None = None

    def install(self, api: WindowApi) -> None:
        window, host, endpoints = api.window, api.host, self._endpoints
        remote = RemoteModels(host, window, endpoints)
        remote.setObjectName("remoteModels")
        self.remote = remote
        dialog: QDialog | None = None

        def use(spec: str) -> None:
            if dialog is not None:
                dialog.hide()
            host.open_model(spec)

        def show_dialog() -> None:
            # Built on first use, not before the window shows (issue 13: start fast).
            nonlocal dialog
            if dialog is None:
                from desktop_app.ui.endpoints.page import EndpointsPage

                page = EndpointsPage(endpoints)
                dialog = _dialog(
                    window,
                    page,
                    QCoreApplication.translate("RemoteMenu", "Endpoints"),
                    "endpointsDialog",
                )
                page.model_chosen.connect(use)
                page.endpoints_changed.connect(remote.refresh)
            dialog.show()

        api.add_settings_page(
            lambda: (
                QCoreApplication.translate("RemoteMenu", "Endpoints"),
                _settings_endpoints_page(host, endpoints, remote),
            )
        )
        action = QAction(QCoreApplication.translate("RemoteMenu", "&Endpoints…"), window)
        action.setObjectName("endpointsAction")
        action.triggered.connect(show_dialog)
        api.add_menu_action(Menu.SETTINGS, action)
        remote.refresh()
