"""Conversations in the window: the sidebar, Ctrl+K search, message actions, versions,
Continue, titles from the model, and File > Export / Import.

``ConversationsFeature`` plugs them into the window through the extension API: the
sidebar as a side panel, its actions in the File and Chat menus; the controller then
listens to the window (typed as ``ChatWindow``), its chat view and its engine bridge.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from desktop_app.core.chats.export import export_all_text, export_text
from desktop_app.core.chats.importer import InvalidExport, parse_export
from desktop_app.core.chats.jobs import ContinueJob, RegenerateJob, TitleTask, TurnJob
from desktop_app.core.chats.model import Role
from desktop_app.core.chats.store import StoreError
from desktop_app.core.engine.base import Finished
from desktop_app.ui.chat.message_actions import MessageAction
from desktop_app.ui.conversations.sidebar import ConversationSidebar
from desktop_app.ui.extensions.api import Menu

if TYPE_CHECKING:
    from desktop_app.ui.conversations.search_popup import SearchPopup
    from desktop_app.ui.extensions.api import WindowApi

STATUS_TIMEOUT_MS = 6000


class ConversationsFeature:
    """The conversation list, search, export/import and message actions."""

    name = "conversations"

    def __init__(self) -> None:
        self.controller: ConversationsController | None = None

    def install(self, api: WindowApi) -> None:
        self.controller = ConversationsController(api)


class ConversationsController(QObject):
    def __init__(self, api: WindowApi) -> None:
        window = api.host
        super().__init__(api.window)
        self._window = window
        self._main = api.window
        self._store = window.store
        self._bridge = window.bridge
        self._search: SearchPopup | None = None

        self.sidebar = ConversationSidebar(self._store, api.window)
        self.sidebar.conversation_chosen.connect(self._open)
        self.sidebar.new_chat_requested.connect(self._new_chat)
        self.sidebar.search_requested.connect(self.open_search)
        self.sidebar.conversation_deleted.connect(self._on_deleted)
        self.sidebar.conversation_restored.connect(self._open)
        self.sidebar.export_requested.connect(self.export_conversation)
        self.sidebar.error.connect(window.show_error)
        self.sidebar.conversation_renamed.connect(self._on_renamed)
        api.add_side_panel(self.sidebar)

        self._build_actions(api)
        api.on_conversation_shown(self.sidebar.set_current)
        api.on_new_chat(lambda: self.sidebar.set_current(None))
        api.on_close(self.shutdown)
        window.chat_view.message_action.connect(self._on_message_action)
        self._answering: int | None = None
        """The conversation whose answer is streaming (Finished does not name it)."""
        self._bridge.turn_started.connect(self._on_turn_started)
        self._bridge.turn_finished.connect(self._on_turn_finished)
        self._bridge.task_finished.connect(self._on_task_finished)

    # Actions and menus

    def _action(self, text: str, name: str, shortcut: str | None = None) -> QAction:
        action = QAction(text, self._main)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        self._main.addAction(action)
        return action

    def _build_actions(self, api: WindowApi) -> None:
        self.search_action = self._action(
            self.tr("&Search conversations…"), "searchAction", "Ctrl+K"
        )
        self.search_action.triggered.connect(self.open_search)
        self.sidebar_action = self._action(
            self.tr("Show &Sidebar"), "toggleSidebarAction", "Ctrl+B"
        )
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setChecked(True)
        self.sidebar_action.toggled.connect(self.sidebar.setVisible)
        self.rename_action = self._action(self.tr("&Rename Conversation"), "renameAction")
        self.rename_action.triggered.connect(self._rename_current)
        self.delete_action = self._action(
            self.tr("&Delete Conversation"), "deleteConversationAction"
        )
        self.delete_action.triggered.connect(self._delete_current)
        self.title_action = self._action(self.tr("Name with the &Model"), "titleFromModelAction")
        self.title_action.setStatusTip(self.tr("Ask the loaded model for a short title"))
        self.title_action.triggered.connect(self.ask_model_for_title)
        self.export_action = self._action(
            self.tr("&Export Conversation…"), "exportAction", "Ctrl+E"
        )
        self.export_action.triggered.connect(lambda: self.export_conversation(None))
        self.export_all_action = self._action(
            self.tr("Export &All Conversations…"), "exportAllAction"
        )
        self.export_all_action.triggered.connect(self.export_all)
        self.import_action = self._action(self.tr("&Import Conversations…"), "importAction")
        self.import_action.triggered.connect(self.import_file)

        for action in (self.export_action, self.export_all_action, self.import_action):
            api.add_menu_action(Menu.FILE, action)
        for action in (
            self.search_action,
            self.rename_action,
            self.title_action,
            self.delete_action,
            self.sidebar_action,
        ):
            api.add_menu_action(Menu.CHAT, action)

    def shutdown(self) -> None:
        self.sidebar.flush_deletes()
        if self._search is not None:
            self._search.shutdown()

    # Sidebar and search

    @Slot(int)
    def _open(self, conversation_id: int) -> None:
        self._window.show_conversation(conversation_id)

    @Slot()
    def _new_chat(self) -> None:
        self._window.new_chat()

    @Slot(int)
    def _on_deleted(self, conversation_id: int) -> None:
        if self._window.conversation_id == conversation_id:
            self._new_chat()

    @Slot()
    def open_search(self) -> None:
        if self._search is None:
            from desktop_app.ui.conversations.search_popup import SearchPopup

            self._search = SearchPopup(self._store, self._main)
            self._search.chosen.connect(self._open_hit)
        self._search.open_search()

    @property
    def search_popup(self) -> SearchPopup | None:
        return self._search

    @Slot(int, int)
    def _open_hit(self, conversation_id: int, message_id: int) -> None:
        if message_id:
            try:  # a hit on another branch: show that branch
                on_screen = {m.id for m in self._store.messages(conversation_id)}
                if message_id not in on_screen:
                    self._store.switch_to(message_id)
            except StoreError as exc:
                self._window.show_error(str(exc))
        self._window.show_conversation(conversation_id, message_id or None)

    @Slot(int, str)
    def _on_renamed(self, conversation_id: int, title: str) -> None:
        if self._window.conversation_id == conversation_id:
            self._main.setWindowTitle(self.tr("%1 — Hearth").replace("%1", title))

    def _rename_current(self) -> None:
        if self._window.conversation_id is not None:
            self.sidebar_action.setChecked(True)
            self.sidebar.rename(self._window.conversation_id)

    def _delete_current(self) -> None:
        if self._window.conversation_id is not None:
            self.sidebar.delete(self._window.conversation_id)

    # Streaming answers

    @Slot(int)
    def _on_turn_started(self, conversation_id: int) -> None:
        self._answering = conversation_id
        self.sidebar.update_conversation(conversation_id)

    @Slot(object)
    def _on_turn_finished(self, finished: Finished) -> None:
        """Reload the conversation on screen: its new messages now have ids and versions."""
        if self._answering is not None:
            self.sidebar.update_conversation(self._answering)
            self._answering = None
        conversation_id = self._window.conversation_id
        if conversation_id is None:
            return
        view = self._window.chat_view
        following, position = view.is_following, view.verticalScrollBar().value()
        self._window.show_conversation(conversation_id)
        if finished.error:
            self._window.chat_model.set_last_error(finished.error)
        if not following:
            view.doItemsLayout()
            view.verticalScrollBar().setValue(position)

    # Per-message actions

    @Slot(int, str)
    def _on_message_action(self, message_id: int, action_name: str) -> None:
        action = MessageAction(action_name)
        try:
            message = self._store.message(message_id)
        except StoreError as exc:
            self._window.show_error(str(exc))
            return
        if message is None:
            return
        model = self._window.chat_model
        row = model.row_of_message(message_id)
        if action is MessageAction.COPY:
            QGuiApplication.clipboard().setText(message.content)
            self._status(self.tr("Copied."))
            return
        if action in (MessageAction.PREVIOUS, MessageAction.NEXT):
            step = -1 if action is MessageAction.PREVIOUS else 1
            sibling = self._store.sibling(message_id, step)
            if sibling is not None and not self._bridge.is_generating:
                self._store.switch_to(sibling)
                self._window.show_conversation(message.conversation_id, sibling)
            return
        if self._bridge.is_busy:
            self._status(self.tr("Please wait until the answer is finished."))
            return
        if row is None:
            return
        if action is MessageAction.DELETE:
            self._store.delete_message(message_id)
            self._window.show_conversation(message.conversation_id)
            self.sidebar.update_conversation(message.conversation_id)
        elif action is MessageAction.REGENERATE:
            self._window.start_answer_job(RegenerateJob(message_id), row)
        elif action is MessageAction.CONTINUE:
            if row != model.rowCount() - 1:
                self._status(self.tr("Only the last answer can be continued."))
                return
            self._window.start_answer_job(ContinueJob(message_id), model.rowCount())
        elif action is MessageAction.EDIT and message.role is Role.USER:
            text, accepted = QInputDialog.getMultiLineText(
                self._main, self.tr("Edit message"), self.tr("Edit and resend:"), message.content
            )
            if accepted and text.strip():
                self._window.start_answer_job(
                    TurnJob(text, parent_id=message.parent_id, edits=message_id), row, question=text
                )

    # Titles

    @Slot()
    def ask_model_for_title(self) -> None:
        conversation_id = self._window.conversation_id
        if conversation_id is None:
            return
        if self._bridge.model is None:
            self._status(self.tr("Open a model first."))
            return
        if not self._bridge.run_task(TitleTask(conversation_id)):
            self._status(self.tr("Please wait until the answer is finished."))
            return
        self._status(self.tr("Asking the model for a title…"))

    @Slot(object, object)
    def _on_task_finished(self, task: object, result: object) -> None:
        if not isinstance(task, TitleTask):
            return
        if isinstance(result, Exception):
            self._window.show_error(
                self.tr("The model could not name the conversation: %1").replace("%1", str(result))
            )
            return
        self.sidebar.update_conversation(task.conversation_id)
        if self._window.conversation_id == task.conversation_id:
            self._main.setWindowTitle(self.tr("%1 — Hearth").replace("%1", str(result)))
        self._status(self.tr("Named \u201c%1\u201d.").replace("%1", str(result)))

    # Export and import

    def export_conversation(self, conversation_id: int | None) -> None:
        conversation_id = conversation_id or self._window.conversation_id
        conversation = self._store.conversation(conversation_id) if conversation_id else None
        if conversation is None:
            self._status(self.tr("There is no conversation to export."))
            return
        path, chosen = QFileDialog.getSaveFileName(
            self._main,
            self.tr("Export conversation"),
            _safe_name(conversation.title),
            self.tr("Markdown (*.md);;JSON (*.json)"),
        )
        if not path:
            return
        as_json = path.endswith(".json") or "json" in chosen.lower()
        self._write(Path(path), export_text(self._store, conversation, as_json))

    def export_all(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self._main,
            self.tr("Export all conversations"),
            "hearth-conversations.json",
            self.tr("JSON (*.json);;Markdown (*.md)"),
        )
        if not path:
            return
        as_markdown = path.endswith(".md") or "markdown" in chosen.lower()
        self._write(Path(path), export_all_text(self._store, not as_markdown))

    def _write(self, path: Path, text: str) -> None:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self._window.show_error(
                self.tr("Could not write %1: %2")
                .replace("%1", str(path))
                .replace("%2", exc.strerror or str(exc))
            )
            return
        self._status(self.tr("Exported to %1").replace("%1", str(path)))

    def import_file(self, path: str | None = None) -> list[int]:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self._main, self.tr("Import conversations"), "", self.tr("JSON (*.json)")
            )
            if not path:
                return []
        try:
            conversations = parse_export(Path(path).read_text(encoding="utf-8"))
            ids = self._store.import_conversations(conversations)
        except (OSError, UnicodeDecodeError, InvalidExport, StoreError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._window.show_error(
                self.tr("Could not import %1: %2. Nothing was imported.")
                .replace("%1", Path(path).name)
                .replace("%2", reason)
            )
            return []
        self.sidebar.refresh()
        if ids:
            self._window.show_conversation(ids[0])
        self._status(
            self.tr("Imported 1 conversation.")
            if len(ids) == 1
            else self.tr("Imported %1 conversations.").replace("%1", str(len(ids)))
        )
        return ids

    def _status(self, message: str) -> None:
        self._main.statusBar().showMessage(message, STATUS_TIMEOUT_MS)


def show_store_warning(window: QWidget, text: str) -> None:
    """Say (without blocking) that the conversation database had to be set aside."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("ConversationsController", "Conversations"),
        text,
        QMessageBox.StandardButton.Ok,
        window,
    )
    box.setObjectName("storeWarningBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def _safe_name(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_" else "_" for c in title).strip()
    return (cleaned or "conversation")[:60] + ".md"
