"""The main window's menu bar: the named menus features add to, and the window's own actions.

``WindowActions`` are File > Open Model…, New Chat, Quit and Chat > Stop Generating;
``build_menus`` makes File, Chat, Settings and Help (``Menu``), each a ``SectionedMenu``
kept in ``Section`` order, and puts the window's actions in them. Features add theirs
through ``WindowApi.add_menu_action``. Strings keep the "MainWindow" translation
context they had when the window built its menus itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from desktop_app.ui.extensions.api import Menu, Section
from desktop_app.ui.extensions.points import SectionedMenu


@dataclass(frozen=True)
class WindowActions:
    open_model: QAction
    new_chat: QAction
    quit: QAction
    stop: QAction


def build_actions(
    window: QMainWindow,
    choose_model: Callable[[], None],
    new_chat: Callable[[], None],
    stop: Callable[[], None],
) -> WindowActions:
    """The window's own actions, each calling the given handler (Quit closes ``window``)."""
    open_action = QAction(QCoreApplication.translate("MainWindow", "&Open Model…"), window)
    open_action.setObjectName("openModelAction")
    open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
    open_action.setStatusTip(
        QCoreApplication.translate("MainWindow", "Load a GGUF model file from this computer")
    )
    open_action.triggered.connect(choose_model)

    new_chat_action = QAction(QCoreApplication.translate("MainWindow", "&New Chat"), window)
    new_chat_action.setObjectName("newChatAction")
    new_chat_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
    new_chat_action.triggered.connect(new_chat)

    quit_action = QAction(QCoreApplication.translate("MainWindow", "&Quit"), window)
    quit_action.setObjectName("quitAction")
    quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    quit_action.triggered.connect(window.close)

    stop_action = QAction(QCoreApplication.translate("MainWindow", "&Stop Generating"), window)
    stop_action.setObjectName("stopAction")
    stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    stop_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    stop_action.triggered.connect(stop)
    return WindowActions(open_action, new_chat_action, quit_action, stop_action)


def build_menus(window: QMainWindow, actions: WindowActions) -> dict[Menu, SectionedMenu]:
    """The named menus features add to (``Menu``), each kept in ``Section`` order."""
    menu_bar = window.menuBar()
    menu_bar.setObjectName("menuBar")
    menu_bar.setAccessibleName(QCoreApplication.translate("MainWindow", "Menu bar"))
    titles = {
        Menu.FILE: (
            QCoreApplication.translate("MainWindow", "&File"),
            QCoreApplication.translate("MainWindow", "File"),
        ),
        Menu.CHAT: (
            QCoreApplication.translate("MainWindow", "&Chat"),
            QCoreApplication.translate("MainWindow", "Chat"),
        ),
        Menu.SETTINGS: (
            QCoreApplication.translate("MainWindow", "&Settings"),
            QCoreApplication.translate("MainWindow", "Settings"),
        ),
        Menu.HELP: (
            QCoreApplication.translate("MainWindow", "&Help"),
            QCoreApplication.translate("MainWindow", "Help"),
        ),
    }
    menus: dict[Menu, SectionedMenu] = {}
    for menu, (title, accessible) in titles.items():
        qmenu = menu_bar.addMenu(title)
        qmenu.setObjectName(menu.value)
        qmenu.setAccessibleName(accessible)
        menus[menu] = SectionedMenu(qmenu)
    file_menu = menus[Menu.FILE]
    file_menu.add(actions.open_model, Section.MAIN)
    file_menu.add(actions.new_chat, Section.MAIN)
    file_menu.add(actions.quit, Section.END)
    menus[Menu.CHAT].add(actions.stop, Section.MAIN)
    return menus
