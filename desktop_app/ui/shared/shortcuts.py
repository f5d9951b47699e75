"""Keyboard use of the chat window: the shortcuts that are not menu commands of their
own elsewhere, and the F1 sheet that lists every shortcut the window has.

``install_chat_shortcuts`` adds the actions to the window (and its Chat and Help
menus, when they exist): Ctrl+L focuses the message box, Ctrl+Shift+C copies the
last answer, F1 shows the sheet. Up in an empty message box is the composer's own
``recall_requested`` signal; the window decides what to put back.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chats.model import Role
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.model import ChatListModel
from desktop_app.ui.shared.icons import themed_icon

SEARCH_SHORTCUT = "Ctrl+K"
SETTINGS_SHORTCUT = "Ctrl+,"


def _native(sequence: QKeySequence | str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def _plain_label(text: str) -> str:
    """A menu text without its mnemonic marker and trailing dots."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


@dataclass(frozen=True)
class ShortcutEntry:
    keys: str
    description: str


def fixed_entries() -> list[ShortcutEntry]:
    """Keys that belong to widgets rather than to actions."""
    return [
        ShortcutEntry(
            _native("Return"), QCoreApplication.translate("Shortcuts", "Send the message")
        ),
        ShortcutEntry(
            _native("Shift+Return"),
            QCoreApplication.translate("Shortcuts", "New line in the message"),
        ),
        ShortcutEntry(
            _native("Up"),
            QCoreApplication.translate(
                "Shortcuts", "Edit the last message (in an empty message box)"
            ),
        ),
        ShortcutEntry(
            _native("Tab"), QCoreApplication.translate("Shortcuts", "Move to the next control")
        ),
        ShortcutEntry(
            f"{_native('Menu')}, {_native('Shift+F10')}",
            QCoreApplication.translate(
                "Shortcuts",
                "The selected message's menu: copy, edit, continue, regenerate or delete it, "
                "switch versions, open its tool steps and sources",
            ),
        ),
    ]


def window_entries(window: QWidget) -> list[ShortcutEntry]:
    """Every action of ``window`` that has a shortcut, plus search and settings.

    Search (Ctrl+K) and settings (Ctrl+,) are listed even before their actions exist.
    """
    entries: list[ShortcutEntry] = []
    seen: set[str] = set()
    for action in window.findChildren(QAction):
        shortcut = action.shortcut()
        if shortcut.isEmpty() or not action.text():
            continue
        keys = _native(shortcut)
        if keys in seen:
            continue
        seen.add(keys)
        entries.append(ShortcutEntry(keys, _plain_label(action.text())))
    for keys, description in (
        (SEARCH_SHORTCUT, QCoreApplication.translate("Shortcuts", "Search conversations")),
        (SETTINGS_SHORTCUT, QCoreApplication.translate("Shortcuts", "Settings")),
    ):
        if _native(keys) not in seen:
            entries.append(ShortcutEntry(_native(keys), description))
    return entries


class ShortcutsSheet(QDialog):
    """A list of every keyboard shortcut; Esc or Enter closes it."""

    def __init__(self, entries: list[ShortcutEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsSheet")
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.setAccessibleName(self.tr("Keyboard Shortcuts"))
        self.resize(520, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Everything in Hearth works from the keyboard."), self)
        intro.setObjectName("shortcutsIntro")
        intro.setAccessibleName(self.tr("About keyboard use"))
        layout.addWidget(intro)
        self.table = QTreeWidget(self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(self.tr("Shortcuts"))
        self.table.setColumnCount(2)
        self.table.setHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(True)
        for entry in entries:
            QTreeWidgetItem(self.table, [entry.keys, entry.description])
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.setObjectName("shortcutsButtons")
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.setFocus()

    def descriptions(self) -> dict[str, str]:
        """Keys → action, as listed (for tests)."""
        items = (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
        return {item.text(0): item.text(1) for item in items if item is not None}


class ChatShortcuts(QObject):
    """The actions ``install_chat_shortcuts`` adds; ``notice`` reports what happened."""

    notice = Signal(str)

    def __init__(self, window: QMainWindow, composer: Composer, model: ChatListModel) -> None:
        super().__init__(window)  # no reference back to the window: no cycle for the GC
        self._composer = composer
        self._model = model

        self.focus_composer = QAction(self.tr("Focus the Message Box"), window)
        self.focus_composer.setObjectName("focusComposerAction")
        self.focus_composer.setShortcut(QKeySequence("Ctrl+L"))
        self.focus_composer.triggered.connect(self._focus_composer)

        self.copy_last_answer = QAction(self.tr("Copy Last Answer"), window)
        self.copy_last_answer.setObjectName("copyLastAnswerAction")
        self.copy_last_answer.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_last_answer.triggered.connect(self._copy_last_answer)

        self.show_shortcuts = QAction(self.tr("Keyboard Shortcuts"), window)
        self.show_shortcuts.setObjectName("shortcutsAction")
        self.show_shortcuts.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        if self.show_shortcuts.shortcut().isEmpty():
            self.show_shortcuts.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.show_shortcuts.triggered.connect(self.open_sheet)

        colour = window.palette().color(QPalette.ColorRole.ButtonText)
        self.copy_last_answer.setIcon(themed_icon("copy", colour))
        self.show_shortcuts.setIcon(themed_icon("keyboard", colour))
        for action in (self.focus_composer, self.copy_last_answer, self.show_shortcuts):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        composer.recall_requested.connect(self._recall_last_message)
        self.sheet: ShortcutsSheet | None = None

    @Slot()
    def _focus_composer(self) -> None:
        self._composer.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _copy_last_answer(self) -> None:
        for row in reversed(self._model.rows()):
            if row.role is Role.ASSISTANT and row.text:
                QGuiApplication.clipboard().setText(row.text)
                self.notice.emit(self.tr("Last answer copied to the clipboard."))
                return
        self.notice.emit(self.tr("There is no answer to copy yet."))

    @Slot()
    def _recall_last_message(self) -> None:
        for row in reversed(self._model.rows()):
            if row.role is Role.USER:
                self._composer.setPlainText(row.text)
                self._composer.moveCursor(self._composer.textCursor().MoveOperation.End)
                return

    @Slot()
    def open_sheet(self) -> None:
        window = self.parent()
        assert isinstance(window, QWidget)
        entries = window_entries(window) + fixed_entries()
        self.sheet = ShortcutsSheet(entries, window)
        self.sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sheet.destroyed.connect(self._forget_sheet)
        self.sheet.open()

    @Slot()
    def _forget_sheet(self) -> None:
        self.sheet = None


def install_chat_shortcuts(
    window: QMainWindow, composer: Composer, model: ChatListModel
) -> ChatShortcuts:
    """Add the chat shortcuts to ``window`` and to its Chat and Help menus."""
    shortcuts = ChatShortcuts(window, composer, model)
    chat_menu = window.findChild(QMenu, "chatMenu")
    if chat_menu is not None:
        chat_menu.addSeparator()
        chat_menu.addAction(shortcuts.focus_composer)
        chat_menu.addAction(shortcuts.copy_last_answer)
    help_menu = window.findChild(QMenu, "helpMenu")
    if help_menu is not None:
        if help_menu.actions():
            help_menu.insertAction(help_menu.actions()[0], shortcuts.show_shortcuts)
        else:
            help_menu.addAction(shortcuts.show_shortcuts)
    return shortcuts
