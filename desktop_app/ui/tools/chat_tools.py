"""The chat header's Tools button: which tools this chat may call.

A menu of check boxes, one per built-in tool and per MCP server switched on in
Settings → Tools. When the loaded model's chat template takes no tools, every entry is
greyed out and the menu's first line (and the button's tooltip) says why.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from desktop_app.core.tools.builtins import BUILTIN_NAMES

SERVER_PREFIX = "mcp:"
"""A chat's tool list names an MCP server as ``mcp:NAME``."""


def builtin_labels() -> dict[str, str]:
    return {
        "calculator": QCoreApplication.translate("ChatTools", "Calculator"),
        "time": QCoreApplication.translate("ChatTools", "Date and time"),
        "search": QCoreApplication.translate("ChatTools", "Search my conversations"),
        "file": QCoreApplication.translate("ChatTools", "Read an attached file"),
        "documents": QCoreApplication.translate("ChatTools", "Search my documents"),
    }


class ChatToolsButton(QToolButton):
    """``toggled_tools`` carries the chat's new tool list after a click in the menu."""

    toggled_tools = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatToolsButton")
        self.setAccessibleName(self.tr("Tools for this chat"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.menu_.setObjectName("chatToolsMenu")
        self.setMenu(self.menu_)
        self.reason = QAction(self)  # kept across the menu's rebuilds (clear() deletes its own)
        self.reason.setObjectName("chatToolsReason")
        self.reason.setEnabled(False)
        self.actions_by_key: dict[str, QAction] = {}
        self._servers: tuple[str, ...] = ()
        self._selected: tuple[str, ...] = ()
        self._unavailable = self.tr("No model is loaded.")
        self._rebuild()

    def set_servers(self, names: Sequence[str]) -> None:
        """The MCP servers switched on in the settings."""
        if tuple(names) != self._servers:
            self._servers = tuple(names)
            self._rebuild()

    def set_selected(self, keys: Sequence[str]) -> None:
        self._selected = tuple(keys)
        for key, action in self.actions_by_key.items():
            action.setChecked(key in self._selected)
        self._update_text()

    def selected(self) -> tuple[str, ...]:
        """The chosen tools that are offered now (a removed server drops out)."""
        return tuple(key for key in self._selected if key in self.actions_by_key)

    def set_unavailable(self, reason: str) -> None:
        """Grey every tool out, saying why (empty: the tools can be used)."""
        self._unavailable = reason
        for action in self.actions_by_key.values():
            action.setEnabled(not reason)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self._update_text()

    @property
    def available(self) -> bool:
        return not self._unavailable

    def _rebuild(self) -> None:
        self.menu_.clear()
        self.menu_.addAction(self.reason)
        self.actions_by_key = {}
        labels = builtin_labels()
        for short in BUILTIN_NAMES:
            self._add(short, labels.get(short, short), BUILTIN_NAMES[short])
        if self._servers:
            self.menu_.addSeparator()
        for name in self._servers:
            self._add(
                SERVER_PREFIX + name,
                self.tr("MCP server: %1").replace("%1", name),
                self.tr("The tools of the MCP server %1 (started when this chat uses it)").replace(
                    "%1", name
                ),
            )
        self.set_unavailable(self._unavailable)
        self.set_selected(self._selected)

    def _add(self, key: str, label: str, tooltip: str) -> None:
        action = QAction(label, self.menu_)
        action.setObjectName(f"tool_{key}")
        action.setCheckable(True)
        action.setToolTip(tooltip)
        action.toggled.connect(lambda checked, k=key: self._toggled(k, checked))
        self.menu_.addAction(action)
        self.actions_by_key[key] = action

    def _toggled(self, key: str, checked: bool) -> None:
        chosen = [k for k in self._selected if k != key]
        if checked:
            chosen.append(key)
        if set(chosen) == set(self._selected):  # set_selected checking its boxes
            return
        self._selected = tuple(chosen)
        self._update_text()
        self.toggled_tools.emit(self._selected)

    def _update_text(self) -> None:
        count = len(self.selected())
        if self._unavailable:
            self.setText(self.tr("Tools: off"))
            self.setToolTip(self._unavailable)
        elif count:
            self.setText(self.tr("Tools: %1").replace("%1", str(count)))
            self.setToolTip(self.tr("The model may call these tools; every call asks you first."))
        else:
            self.setText(self.tr("Tools"))
            self.setToolTip(self.tr("Let the model call tools in this chat"))
