"""The model picker in the chat header: installed models, other sources, "Manage models…".

Entries come in groups called sources. "local" holds the installed models (set with
:meth:`ModelPicker.set_local_models`); another part of the app can add its own group
with :meth:`ModelPicker.set_entries` (remote endpoints, for instance) and hears about a
choice through :attr:`ModelPicker.entry_chosen` with its source name and the entry's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from desktop_app.core.models.fit import format_size
from desktop_app.core.models.library import InstalledModel

LOCAL_SOURCE = "local"
_MANAGE = "\0manage"
_PLACEHOLDER = "\0placeholder"


@dataclass(frozen=True)
class PickerEntry:
    key: str
    """What the source needs to open the entry (a file path for local models)."""
    label: str
    tooltip: str = ""


class ModelPicker(QComboBox):
    entry_chosen = Signal(str, str)
    """(source, key) when the user picks an entry."""
    manage_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPicker")
        self.setAccessibleName(self.tr("Model"))
        self.setToolTip(self.tr("Choose the model to chat with"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setMinimumContentsLength(18)
        self._sources: dict[str, list[PickerEntry]] = {LOCAL_SOURCE: []}
        self._current: tuple[str, str] | None = None
        self._current_label = ""
        self.activated.connect(self._on_activated)
        self._rebuild()

    # API

    def set_local_models(self, models: Sequence[InstalledModel]) -> None:
        self.set_entries(
            LOCAL_SOURCE,
            [
                PickerEntry(
                    str(model.path),
                    model.id,
                    f"{model.source} · {model.quant or '?'} · {format_size(model.size)}",
                )
                for model in models
            ],
        )

    def set_entries(self, source: str, entries: Sequence[PickerEntry]) -> None:
        """Replace one source's entries (an empty list removes the group)."""
        self._sources[source] = list(entries)
        self._rebuild()

    def entries(self, source: str = LOCAL_SOURCE) -> list[PickerEntry]:
        return list(self._sources.get(source, []))

    def set_current(self, source: str, key: str, label: str = "") -> None:
        """Show which entry is in use (no signal). ``label`` names a model that is in
        no list (a file opened directly), so the picker never claims none is loaded."""
        self._current = (source, key)
        self._current_label = label
        self._rebuild()

    # Internals

    def _rebuild(self) -> None:
        self.blockSignals(True)
        self.clear()
        current_index = -1
        for source, entries in self._sources.items():
            if not entries:
                continue
            if self.count():
                self.insertSeparator(self.count())
            for entry in entries:
                self.addItem(entry.label, (source, entry.key))
                self.setItemData(
                    self.count() - 1, entry.tooltip or entry.key, Qt.ItemDataRole.ToolTipRole
                )
                if self._current == (source, entry.key):
                    current_index = self.count() - 1
        if current_index < 0:
            label = self._current_label or self.tr("Choose a model…")
            self.insertItem(0, label, (_PLACEHOLDER, ""))
            if self._current_label and self._current is not None:
                self.setItemData(0, self._current[1], Qt.ItemDataRole.ToolTipRole)
            current_index = 0
        if self.count() > 1:
            self.insertSeparator(self.count())
        self.addItem(self.tr("Manage models…"), (_MANAGE, ""))
        self.setCurrentIndex(current_index)
        self.blockSignals(False)

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        data = self.itemData(index)
        if not isinstance(data, tuple):
            return
        source, key = data
        if source == _MANAGE:
            self._rebuild()  # put the current model back on display
            self.manage_requested.emit()
        elif source != _PLACEHOLDER:
            self._current = (source, key)
            self.entry_chosen.emit(source, key)
