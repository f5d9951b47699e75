"""The window's pages: the welcome page, and the chat page once it is built.

The chat page is built just after the window's first paint. Until then, a window that
has conversations to show holds a blank page instead of the welcome page, so that the
welcome page never flashes before the conversation appears.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStackedWidget, QWidget

from desktop_app.ui.chat.welcome import WelcomePage


class Pages(QStackedWidget):
    def __init__(self, welcome: WelcomePage, blank_first: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pages")
        self.setAccessibleName(QCoreApplication.translate("MainWindow", "Pages"))
        self.welcome = welcome
        self.addWidget(welcome)
        self._chat: QWidget | None = None
        self._blank: QWidget | None = None
        if blank_first:
            self._blank = QWidget(self)
            self.setCurrentIndex(self.addWidget(self._blank))

    def add_chat_page(self, page: QWidget) -> None:
        self._chat = page
        self.addWidget(page)

    def show_chat(self, chat: bool) -> None:
        """The chat page if ``chat`` (and it is built), else the welcome page."""
        self.setCurrentWidget(self._chat if chat and self._chat is not None else self.welcome)
        if self._blank is not None:
            self._blank.deleteLater()
            self._blank = None
