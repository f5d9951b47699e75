"""The chat header's "Documents" control: which collections this chat answers from."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from desktop_app.core.documents.index import DocumentIndex


class CollectionPicker(QToolButton):
    def __init__(self, index: DocumentIndex, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("collectionPicker")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(self.tr("Document collections this chat answers from"))
        self.setAccessibleName(self.tr("Document collections"))
        self._index = index
        self._conversation: int | None = None
        self._search_note = ""
        self._menu = QMenu(self)
        self._menu.setObjectName("collectionMenu")
        self._menu.aboutToShow.connect(self._fill)
        self.setMenu(self._menu)
        self._show_count()

    def show_conversation(self, conversation_id: int | None) -> None:
        self._conversation = conversation_id
        self._show_count()

    def set_search_note(self, note: str) -> None:
        """How the collections are searched (e.g. keyword search only), shown at the end
        of the menu and in the tooltip."""
        self._search_note = note
        tip = self.tr("Document collections this chat answers from")
        self.setToolTip(f"{tip}\n{note}" if note else tip)

    def chosen(self) -> list[str]:
        if self._conversation is None:
            return []
        return [c.name for c in self._index.chat_collections(self._conversation)]

    def _show_count(self) -> None:
        count = len(self.chosen())
        self.setText(
            self.tr("Documents (%1)").replace("%1", str(count)) if count else self.tr("Documents")
        )

    def _fill(self) -> None:
        self._menu.clear()
        chosen = set(self.chosen())
        collections = self._index.collections()
        if not collections:
            empty = self._menu.addAction(self.tr("No collections (Settings → Documents)"))
            empty.setEnabled(False)
            return
        for collection in collections:
            action = QAction(collection.name, self._menu)
            action.setCheckable(True)
            action.setChecked(collection.name in chosen)
            action.setEnabled(self._conversation is not None)
            action.toggled.connect(lambda on, name=collection.name: self._toggle(name, on))
            self._menu.addAction(action)
        if self._search_note:
            self._menu.addSeparator()
            note = self._menu.addAction(self._search_note)
            note.setObjectName("searchNote")
            note.setEnabled(False)

    def _toggle(self, name: str, on: bool) -> None:
        if self._conversation is None:
            return
        names = [n for n in self.chosen() if n != name] + ([name] if on else [])
        self._index.set_chat_collections(self._conversation, names)
        self._show_count()
