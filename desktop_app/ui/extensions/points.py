"""The window's implementation of ``WindowApi``: where what features add ends up.

The main window makes one ``ExtensionPoints`` with the places it owns (its named menus,
the chat header's row, the splitter around the chat) and reads the pages, attachment
providers, request contributors and message decorators back when it needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QMainWindow, QMenu, QSplitter, QWidget

from desktop_app.ui.extensions.api import (
    AnswerJobAdapter,
    AttachmentProvider,
    ChatWindow,
    Menu,
    MessageDecorator,
    MessageLink,
    MessageLinkProvider,
    MessageView,
    OutgoingMessage,
    RequestContributor,
    Section,
    SettingsPageFactory,
    WelcomeWidgetsFactory,
)

if TYPE_CHECKING:
    from desktop_app.core.engine.base import ModelInfo
    from desktop_app.core.settings import Settings
    from desktop_app.ui.chat.model import ChatListModel
    from desktop_app.ui.chat.welcome import WelcomePage
    from desktop_app.ui.engine.worker import AnswerJob
    from desktop_app.ui.models.picker import ModelPicker


class SectionedMenu:
    """A menu whose actions are kept in ``Section`` order, a separator between sections."""

    def __init__(self, menu: QMenu) -> None:
        self.menu = menu
        self._ends: dict[Section, QAction] = {}
        for section in Section:
            marker = menu.addSeparator()
            marker.setObjectName(f"{menu.objectName()}_{section.value}")
            marker.setVisible(False)
            self._ends[section] = marker

    def add(self, action: QAction, section: Section) -> None:
        self.menu.insertAction(self._ends[section], action)
        self._refresh_separators()

    def _refresh_separators(self) -> None:
        """Show a separator only between two sections that both hold actions."""
        seen_before = False
        pending: QAction | None = None
        for action in self.menu.actions():
            if action in self._ends.values():
                if seen_before:
                    pending = pending or action
                action.setVisible(False)
                continue
            if pending is not None:
                pending.setVisible(True)
                pending = None
            seen_before = True


class ExtensionPoints:
    """``WindowApi`` for one window (see ``desktop_app.ui.extensions.api``)."""

    def __init__(
        self,
        window: QMainWindow,
        host: ChatWindow,
        menus: dict[Menu, SectionedMenu],
        header: QBoxLayout,
        header_index: Callable[[], int],
        splitter: QSplitter,
        welcome: WelcomePage,
        picker_index: Callable[[], int],
    ) -> None:
        self._window = window
        self._host = host
        self._menus = menus
        self._header = header
        self._header_index = header_index
        self._splitter = splitter
        self._welcome = welcome
        self._picker_index = picker_index
        self.model_picker: ModelPicker | None = None
        self.settings_pages: list[SettingsPageFactory] = []
        self._attachments: list[AttachmentProvider] = []
        self._contributors: list[RequestContributor] = []
        self._job_adapters: list[AnswerJobAdapter] = []
        self.decorators: list[MessageDecorator] = []
        self.link_providers: list[MessageLinkProvider] = []
        self._conversation_shown: list[Callable[[int], None]] = []
        self._new_chat: list[Callable[[], None]] = []
        self._model_loaded: list[Callable[[ModelInfo], None]] = []
        self._settings_changed: list[Callable[[Settings, Settings], None]] = []
        self._close: list[Callable[[], None]] = []

    # WindowApi

    @property
    def window(self) -> QMainWindow:
        return self._window

    @property
    def host(self) -> ChatWindow:
        return self._host

    def add_menu_action(
        self, menu: Menu, action: QAction, section: Section = Section.FEATURES
    ) -> None:
        self._menus[menu].add(action, section)

    def add_settings_page(self, factory: SettingsPageFactory) -> None:
        self.settings_pages.append(factory)

    def add_header_control(self, widget: QWidget) -> None:
        self._header.insertWidget(self._header_index(), widget, 0, Qt.AlignmentFlag.AlignVCenter)
        self._header_grew()

    def set_model_picker(self, picker: ModelPicker) -> None:
        self.model_picker = picker
        self._header.insertWidget(self._picker_index(), picker, 0, Qt.AlignmentFlag.AlignVCenter)
        self._header_grew()

    def _header_grew(self) -> None:
        """Drop the chat page's cached size of the header, which is not shown yet: else the
        page's minimum width leaves out what features added (and a restored splitter with it).
        """
        header = self._header.parentWidget()
        if header is not None:
            header.updateGeometry()

    def add_welcome_widgets(self, factory: WelcomeWidgetsFactory) -> None:
        self._welcome.add_widgets(factory)

    def add_side_panel(self, widget: QWidget) -> None:
        self._splitter.insertWidget(self._splitter.count() - 1, widget)
        chat = self._splitter.count() - 1
        self._splitter.setStretchFactor(chat, 1)
        self._splitter.setCollapsible(chat, False)
        self._splitter.setSizes([240] * chat + [740])

    def add_attachment_provider(self, provider: AttachmentProvider) -> None:
        self._attachments.append(provider)

    def add_request_contributor(self, contributor: RequestContributor) -> None:
        self._contributors.append(contributor)

    def add_answer_job_adapter(self, adapter: AnswerJobAdapter) -> None:
        self._job_adapters.append(adapter)

    def add_message_decorator(self, decorator: MessageDecorator) -> None:
        self.decorators.append(decorator)

    def add_message_links(self, provider: MessageLinkProvider) -> None:
        self.link_providers.append(provider)

    def on_conversation_shown(self, callback: Callable[[int], None]) -> None:
        self._conversation_shown.append(callback)

    def on_new_chat(self, callback: Callable[[], None]) -> None:
        self._new_chat.append(callback)

    def on_model_loaded(self, callback: Callable[[ModelInfo], None]) -> None:
        self._model_loaded.append(callback)

    def on_settings_changed(self, callback: Callable[[Settings, Settings], None]) -> None:
        self._settings_changed.append(callback)

    def on_close(self, callback: Callable[[], None]) -> None:
        self._close.append(callback)

    # The window's side

    def prepare(self, message: OutgoingMessage) -> OutgoingMessage:
        """Add the providers' attachments, then let each contributor change the message."""
        for provider in self._attachments:
            for item in provider.take_attachments(message.conversation_id):
                message.context.append(f"{item.label}:\n{item.text}")
        for contributor in self._contributors:
            contributor(message)
        return message

    def adapt_job(self, job: AnswerJob) -> AnswerJob:
        """A Regenerate, Continue or Edit-and-resend job as the adapters change it."""
        for adapter in self._job_adapters:
            job = adapter(job)
        return job

    def decorate(self, chat_model: ChatListModel) -> None:
        """Give ``chat_model``'s rows the features' decorations and links."""
        chat_model.set_decorator(
            lambda row: self.decorations(MessageView(row.message_id, row.role.value, row.text))
        )
        chat_model.set_links(
            lambda row: self.links(MessageView(row.message_id, row.role.value, row.text))
        )

    def decorations(self, message: MessageView) -> list[str]:
        lines = (decorator(message) for decorator in self.decorators)
        return [line for line in lines if line]

    def links(self, message: MessageView) -> list[MessageLink]:
        return [link for provider in self.link_providers for link in provider(message)]

    def conversation_shown(self, conversation_id: int) -> None:
        for callback in self._conversation_shown:
            callback(conversation_id)

    def new_chat(self) -> None:
        for callback in self._new_chat:
            callback()

    def model_loaded(self, info: ModelInfo) -> None:
        for callback in self._model_loaded:
            callback(info)

    def settings_changed(self, previous: Settings, settings: Settings) -> None:
        for callback in self._settings_changed:
            callback(previous, settings)

    def closing(self) -> None:
        for callback in self._close:
            callback()
