"""Settings → Endpoints: add, edit and remove remote OpenAI-compatible endpoints.

Names and URLs are saved by ``EndpointStore`` (JSON in the config folder); the API key
goes to the keyring through it, and when no keyring works the page says the key is
kept for this session only. "Test connection" asks the endpoint for its models on a
worker thread and lists them; "Use this model" asks the window to load the chosen one.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.endpoints import EndpointError, EndpointStore
from desktop_app.core.engine.base import EngineError
from desktop_app.core.engine.remote_spec import RemoteModelSpec

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries a background result to the page; its signals are queued to the GUI thread."""

    listed = Signal(int, object)
    failed = Signal(int, str)


class _ListModels(QRunnable):
    def __init__(
        self, relay: _Relay, ticket: int, name: str, base_url: str, key: str | None
    ) -> None:
        super().__init__()
        self._relay = relay
        self._ticket = ticket
        self._name = name
        self._base_url = base_url
        self._key = key

    def run(self) -> None:
        from desktop_app.core.engine.remote import list_models  # httpx, on this worker thread

        try:
            models = list_models(self._base_url, self._key, endpoint_name=self._name)
        except EngineError as exc:
            self._relay.failed.emit(self._ticket, str(exc))
            return
        except Exception as exc:  # never let a worker die silently
            log.exception("Listing the models of an endpoint failed")
            self._relay.failed.emit(self._ticket, f"{exc.__class__.__name__}: {exc}")
            return
        self._relay.listed.emit(self._ticket, tuple(models))


class EndpointsPage(QWidget):
    """The endpoint list on the left, the selected endpoint's form on the right.

    ``model_chosen`` carries a ``remote:<endpoint>/<model>`` spec for the window to load.
    """

    model_chosen = Signal(str)
    endpoints_changed = Signal()

    def __init__(self, store: EndpointStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._editing: str | None = None
        self._ticket = 0
        self._tested_endpoint: str | None = None
        self._relay = _Relay(self)
        self._relay.listed.connect(self._on_listed)
        self._relay.failed.connect(self._on_failed)
        self.setObjectName("endpointsPage")
        self.setAccessibleName(self.tr("Endpoints"))
        self._build()
        # The keyring is asked when the page is first shown: finding its backend takes
        # about 0.3 s, which the window's start does not wait for.
        self._reload(select=None, check_keyring=False)

    # Building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Use models served by another machine or service that speaks the OpenAI API "
                "(llama.cpp server, vLLM, Ollama, a cloud provider). Your messages are sent "
                "to that endpoint."
            ),
            self,
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self._keyring_note = QLabel(self)
        self._keyring_note.setObjectName("keyringWarning")
        self._keyring_note.setWordWrap(True)
        self._keyring_note.setStyleSheet("color: #b5472e;")
        outer.addWidget(self._keyring_note)

        row = QHBoxLayout()
        left = QVBoxLayout()
        self._list = QListWidget(self)
        self._list.setObjectName("endpointList")
        self._list.setAccessibleName(self.tr("Saved endpoints"))
        self._list.currentItemChanged.connect(self._on_selected)
        left.addWidget(self._list, 1)
        buttons = QHBoxLayout()
        self._add_button = QPushButton(self.tr("Add"), self)
        self._add_button.setObjectName("addEndpointButton")
        self._add_button.clicked.connect(self._new_endpoint)
        self._remove_button = QPushButton(self.tr("Remove"), self)
        self._remove_button.setObjectName("removeEndpointButton")
        self._remove_button.clicked.connect(self._remove)
        buttons.addWidget(self._add_button)
        buttons.addWidget(self._remove_button)
        left.addLayout(buttons)
        row.addLayout(left, 1)

        right = QVBoxLayout()
        form = QFormLayout()
        self._name = QLineEdit(self)
        self._name.setObjectName("endpointName")
        self._name.setPlaceholderText(self.tr("e.g. lab"))
        form.addRow(self.tr("Name"), self._name)
        self._url = QLineEdit(self)
        self._url.setObjectName("endpointUrl")
        self._url.setPlaceholderText("http://192.168.1.20:8080/v1")
        form.addRow(self.tr("Base URL"), self._url)
        self._key = QLineEdit(self)
        self._key.setObjectName("endpointKey")
        self._key.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("API key"), self._key)
        right.addLayout(form)
        actions = QHBoxLayout()
        self._save_button = QPushButton(self.tr("Save"), self)
        self._save_button.setObjectName("saveEndpointButton")
        self._save_button.clicked.connect(self._save)
        self._test_button = QPushButton(self.tr("Test connection"), self)
        self._test_button.setObjectName("testConnectionButton")
        self._test_button.clicked.connect(self._test)
        actions.addWidget(self._save_button)
        actions.addWidget(self._test_button)
        actions.addStretch(1)
        right.addLayout(actions)
        self._status = QLabel(self)
        self._status.setObjectName("endpointStatus")
        self._status.setWordWrap(True)
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right.addWidget(self._status)
        self._models = QListWidget(self)
        self._models.setObjectName("endpointModels")
        self._models.setAccessibleName(self.tr("Models on this endpoint"))
        self._models.itemDoubleClicked.connect(lambda _item: self._use_model())
        right.addWidget(self._models, 1)
        self._use_button = QPushButton(self.tr("Use this model"), self)
        self._use_button.setObjectName("useRemoteModelButton")
        self._use_button.clicked.connect(self._use_model)
        right.addWidget(self._use_button, 0, Qt.AlignmentFlag.AlignRight)
        row.addLayout(right, 2)
        outer.addLayout(row, 1)
        self._models.currentItemChanged.connect(lambda *_: self._update_buttons())

    def showEvent(self, event: QShowEvent) -> None:
        """Show endpoints saved elsewhere (the CLI, another page) since the page was built."""
        if not self._busy_testing():
            self._reload(select=self._editing)
        super().showEvent(event)

    def _busy_testing(self) -> bool:
        return not self._test_button.isEnabled()

    # State

    def _reload(self, select: str | None, *, check_keyring: bool = True) -> None:
        self._list.blockSignals(True)
        self._list.clear()
        for endpoint in self._store.endpoints():
            item = QListWidgetItem(endpoint.name, self._list)
            item.setToolTip(endpoint.base_url)
            if endpoint.name == select:
                self._list.setCurrentItem(item)
        self._list.blockSignals(False)
        notes = []
        if self._store.warning:
            notes.append(self._store.warning)
        if check_keyring and not self._store.keys_persistent:
            notes.append(
                self.tr(
                    "No system keyring is available: API keys are kept for this session "
                    "only and must be entered again after a restart. They are never written "
                    "to a file."
                )
            )
        self._keyring_note.setText("\n".join(notes))
        self._keyring_note.setVisible(bool(notes))
        current = self._list.currentItem()
        self._show(current.text() if current else None)

    def _show(self, name: str | None) -> None:
        self._editing = name
        self._models.clear()
        self._status.clear()
        self._tested_endpoint = None
        if name is None:
            self._name.clear()
            self._url.clear()
            self._key.clear()
            self._key.setPlaceholderText("")
        else:
            endpoint = self._store.get(name)
            self._name.setText(endpoint.name)
            self._url.setText(endpoint.base_url)
            self._key.clear()
            has_key = bool(self._store.api_key(name))
            self._key.setPlaceholderText(
                self.tr("saved (type to replace, clear with a single space)")
                if has_key
                else self.tr("none")
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self._remove_button.setEnabled(self._editing is not None)
        self._use_button.setEnabled(
            self._tested_endpoint is not None and self._models.currentItem() is not None
        )

    def _say(self, text: str, error: bool = False) -> None:
        self._status.setStyleSheet("color: #b5472e;" if error else "")
        self._status.setText(text)

    # Actions

    @Slot()
    def _new_endpoint(self) -> None:
        self._list.setCurrentRow(-1)
        self._show(None)
        self._name.setFocus()

    @Slot(object, object)
    def _on_selected(self, current: QListWidgetItem | None, _previous: object) -> None:
        self._show(current.text() if current else None)

    def _typed_key(self) -> str | None:
        """None keeps the saved key; a lone space removes it; other text replaces it."""
        typed = self._key.text()
        if not typed:
            return None
        return "" if not typed.strip() else typed.strip()

    @Slot()
    def _save(self) -> bool:
        try:
            endpoint = self._store.save_endpoint(
                self._name.text(), self._url.text(), self._typed_key(), replacing=self._editing
            )
        except EndpointError as exc:
            self._say(str(exc), error=True)
            return False
        except OSError as exc:
            self._say(
                self.tr("Could not save the endpoints: %1").replace("%1", str(exc)), error=True
            )
            return False
        self._reload(select=endpoint.name)
        self._say(self.tr("Saved %1.").replace("%1", endpoint.name))
        self.endpoints_changed.emit()
        return True

    @Slot()
    def _remove(self) -> None:
        if self._editing is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove endpoint"),
            self.tr("Remove the endpoint %1 and its saved API key?").replace("%1", self._editing),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._store.remove(self._editing)
        self._reload(select=None)
        self.endpoints_changed.emit()

    @Slot()
    def _test(self) -> None:
        """Ask the endpoint in the form (saved or not) for its models, off the GUI thread."""
        name = self._name.text().strip() or self.tr("this endpoint")
        typed = self._typed_key()
        key = (
            typed
            if typed is not None
            else (self._store.api_key(self._editing) if self._editing else None)
        )
        self._ticket += 1
        self._models.clear()
        self._tested_endpoint = None
        self._update_buttons()
        self._test_button.setEnabled(False)
        self._say(self.tr("Connecting to %1…").replace("%1", name))
        QThreadPool.globalInstance().start(
            _ListModels(self._relay, self._ticket, name, self._url.text().strip(), key or None)
        )

    @Slot(int, object)
    def _on_listed(self, ticket: int, models: tuple[str, ...]) -> None:
        if ticket != self._ticket:
            return
        self._test_button.setEnabled(True)
        for model in models:
            QListWidgetItem(model, self._models)
        if models:
            self._models.setCurrentRow(0)
        self._tested_endpoint = self._editing
        count = len(models)
        text = (
            self.tr("Connected. Models available: %1.").replace("%1", str(count))
            if count
            else self.tr("Connected, but the endpoint offers no models.")
        )
        if self._editing is None and count:
            text += " " + self.tr("Save the endpoint to use its models.")
        self._say(text)
        self._update_buttons()

    @Slot(int, str)
    def _on_failed(self, ticket: int, message: str) -> None:
        if ticket != self._ticket:
            return
        self._test_button.setEnabled(True)
        self._say(message, error=True)

    @Slot()
    def _use_model(self) -> None:
        item = self._models.currentItem()
        if item is None or self._tested_endpoint is None:
            if self._editing is None:
                self._say(self.tr("Save the endpoint first."), error=True)
            return
        self.model_chosen.emit(str(RemoteModelSpec(self._tested_endpoint, item.text())))
