"""A feature plugs into the window through ``WindowApi`` alone, the way documents and
tools will: menu action, Settings page, header control, attachment, request change,
message decoration, notifications."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.model import ChatRoles
from desktop_app.ui.extensions.api import (
    Attachment,
    Menu,
    MessageLink,
    MessageView,
    OutgoingMessage,
    WindowApi,
)
from desktop_app.ui.shared.elided_label import ElidedLabel
from tests.gui.helpers import (
    ANSWER_TIMEOUT_MS,
    SHORT_ANSWER,
    Launcher,
    answer_finished,
    child,
    open_model,
    open_settings,
)


class NotesFeature:
    """A small feature: a Chat menu action, a Settings page, a header button, one
    attachment for the next message, a seed for every request, and a decoration."""

    name = "notes"

    def __init__(self) -> None:
        self.shown: list[int] = []
        self.loaded: list[str] = []
        self.pending = [Attachment("Note", "The sky is green here.")]
        self.requests: list[OutgoingMessage] = []
        self.opened: list[int | None] = []

    def install(self, api: WindowApi) -> None:
        action = QAction("Take a Note", api.window)
        action.setObjectName("takeNoteAction")
        api.add_menu_action(Menu.CHAT, action)
        api.add_settings_page(lambda: ("Notes", QLabel("Notes settings")))
        button = QPushButton("Notes", api.window)
        button.setObjectName("notesButton")
        api.add_header_control(button)
        api.add_attachment_provider(self)
        api.add_request_contributor(self._contribute)
        api.add_message_decorator(self._decorate)
        api.add_message_links(self._links)
        api.on_conversation_shown(self.shown.append)
        api.on_model_loaded(lambda info: self.loaded.append(info.name))

    def take_attachments(self, conversation_id: int | None) -> list[Attachment]:
        taken, self.pending = self.pending, []
        return taken

    def _contribute(self, message: OutgoingMessage) -> None:
        message.params = replace(message.params, seed=77)
        self.requests.append(message)

    def _decorate(self, message: MessageView) -> str | None:
        return "noted" if message.role == "assistant" else None

    def _links(self, message: MessageView) -> list[MessageLink]:
        if message.role != "assistant":
            return []
        return [
            MessageLink(
                "the note", "The sky is green here.", lambda: self.opened.append(message.message_id)
            )
        ]


def test_a_feature_adds_itself_without_touching_the_window(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    hearth = launch(generation_params=SHORT_ANSWER, restore=False)
    window = hearth.window
    notes = NotesFeature()
    window.install_features([notes])

    chat_menu = child(window, QMenu, "chatMenu")
    names = [a.objectName() for a in chat_menu.actions() if not a.isSeparator()]
    assert names.index("stopAction") < names.index("takeNoteAction")
    button = child(window, QPushButton, "notesButton")
    assert button.parentWidget() is child(window, QWidget, "chatHeader")

    dialog = open_settings(window)
    assert any(
        isinstance(w, QLabel) and w.text() == "Notes settings" for w in dialog.findChildren(QWidget)
    )
    dialog.reject()

    open_model(qtbot, window, monkeypatch, tiny_model)
    assert len(notes.loaded) == 1
    composer = child(window, Composer, "composer")
    qtbot.keyClicks(composer, "What colour is the sky?")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)

    [request] = notes.requests
    assert request.params.seed == 77
    conversation_id = window.conversation_id
    assert conversation_id is not None
    question = hearth.store.messages(conversation_id)[0].content
    assert question == "Note:\nThe sky is green here.\n\nWhat colour is the sky?"
    assert notes.pending == []

    model = window.chat_model
    footer = model.data(model.index(1), ChatRoles.FOOTER)
    assert footer.endswith(" · noted")
    assert "noted" not in (model.data(model.index(0), ChatRoles.FOOTER) or "")
    assert model.data(model.index(0), ChatRoles.LINKS) == []
    [link] = model.data(model.index(1), ChatRoles.LINKS)
    assert (link.label, link.tooltip) == ("the note", "The sky is green here.")
    view = window.chat_view
    view.scrollToBottom()
    rect = view.delegate.link_rect(model.index(1), 0)
    assert rect is not None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert notes.opened == [hearth.store.messages(conversation_id)[1].id]

    window.show_conversation(conversation_id)
    assert notes.shown[-1] == conversation_id


def test_header_controls_leave_the_chat_format_its_whole_line(
    launch: Launcher, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path
) -> None:
    """Guards the header's layout: with every feature's controls in it, the chat-format
    line under the model's name still spans the header, instead of being squeezed into a
    narrow column that wraps every two words (as it was once documents and tools added
    their buttons)."""
    hearth = launch(restore=False)
    window = hearth.window
    for index in range(3):
        window.install_features([_HeaderButtonFeature(f"extra{index}")])
    window.resize(980, 740)
    open_model(qtbot, window, monkeypatch, tiny_model)
    header = child(window, QWidget, "chatHeader")
    line = child(window, QLabel, "chatFormatLabel")
    qtbot.waitUntil(lambda: line.isVisible() and bool(line.text()))
    assert line.width() > header.width() * 0.8
    assert line.height() < 3 * line.fontMetrics().height()
    title = child(window, ElidedLabel, "modelTitle")
    title.setText("A model name long enough to need far more room than the header has left")
    assert title.shown_text().endswith("…") and len(title.shown_text()) > 3
    assert title.text().endswith("left")


class _HeaderButtonFeature:
    def __init__(self, name: str) -> None:
        self.name = name

    def install(self, api: WindowApi) -> None:
        api.add_header_control(QPushButton(f"A wide {self.name} control", api.window))
