"""Hearth's main window: it wires the chat page to the engine bridge, and features to it.

The window turns gestures into ``EngineBridge`` requests and the bridge's signals
into widget updates: the send/answer flow, which page shows, and the conversation on
screen. It never touches the engine; the only store calls it makes on the GUI thread
are small ones (read the conversation on start, create a conversation on its first
message). The answer itself is written by the engine thread.

Built elsewhere: the chat page's widgets and their wording (``ui/chat/page.py``), the
pages (``ui/chat/pages.py``), the answer statistics (``ui/status/stats.py``), per-chat
settings, presets and context usage (``ui/chat/chat_settings.py``), file drops
(``ui/chat/file_drop.py``), the menus and the window's actions (``ui/menus.py``),
opening models (``ui/engine/opener.py``). Features plug in through ``ui/extensions``:
models, the status bar's model part, Settings…, conversations, endpoints, server,
documents, tools, help. The window starts light: ``app.build`` installs the features
after its first paint, then ``finish_start`` shows the first conversation and emits
``ready``.

Size (about 600 lines): the send/answer flow, the conversation on screen, the bridge's
signals to widgets, and the two halves of the start.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chats.jobs import TurnJob
from desktop_app.core.chats.model import title_from_text
from desktop_app.core.chats.store import Store, StoreError
from desktop_app.core.engine.base import Finished, GenerationParams, ModelInfo
from desktop_app.core.settings import Settings, resume_cache_config, save_settings
from desktop_app.core.window_state import StateFile
from desktop_app.ui.chat.model import (
    PAGE_ROWS,
    ChatListModel,
)
from desktop_app.ui.chat.pages import Pages
from desktop_app.ui.chat.welcome import WelcomePage
from desktop_app.ui.engine.opener import ModelOpener
from desktop_app.ui.engine.worker import AnswerJob, EngineBridge
from desktop_app.ui.extensions.api import Feature, OutgoingMessage
from desktop_app.ui.extensions.points import ExtensionPoints
from desktop_app.ui.menus import build_actions, build_menus
from desktop_app.ui.shared.banner import ErrorBanner
from desktop_app.ui.shared.i18n import ui_language
from desktop_app.ui.shared.icons import themed_icon
from desktop_app.ui.status.stats import AnswerStats

if TYPE_CHECKING:
    from desktop_app.core.presets import PresetLibrary
    from desktop_app.ui.chat.chat_settings import ChatSettings
    from desktop_app.ui.chat.page import ChatPage
    from desktop_app.ui.chat.view import ChatView
    from desktop_app.ui.models.picker import ModelPicker

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000
SHUTDOWN_TIMEOUT_MS = 10_000


class MainWindow(QMainWindow):
    """The one window of Hearth.

    ``generation_params`` overrides the settings' generation parameters (tests,
    benchmarks, a future per-chat preset). Built light (menus, welcome page, status
    bar); after the first paint the composition root calls ``build_chat``,
    ``install_features`` and ``finish_start``, which emits ``ready``. Call
    ``restore_model`` then to reload the last model in the background.
    """

    conversation_shown = Signal(int)
    """A saved conversation is now on screen (after loading, switching, searching)."""
    new_chat_started = Signal()
    ready = Signal()
    """The start is complete: features installed, the first conversation on screen."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        config_dir: Path,
        bridge: EngineBridge,
        generation_params: GenerationParams | None = None,
        parent: QWidget | None = None,
        state: StateFile | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._opener = ModelOpener(
            self, bridge, state or StateFile(None), lambda: self._settings.load_params()
        )
        self._data_dir = data_dir
        """Where the resume cache may go on disk (None: memory only); never the store's folder,
        which is no folder at all when the store is in memory."""
        self._config_dir = config_dir
        self._bridge = bridge
        self._params_fixed = generation_params is not None
        self._params = generation_params or settings.generation
        self._pending_send: str | None = None
        self._conversation_id: int | None = None
        self._stream_visible = False
        """Whether the answer that is streaming belongs to the conversation on screen."""
        self._ready = False

        self.setObjectName("mainWindow")
        self.setAccessibleName(self.tr("Hearth"))
        self.setWindowTitle(self.tr("Hearth"))
        self.setAcceptDrops(True)
        self.resize(980, 740)
        self.setMinimumSize(520, 420)

        self._chat_model = ChatListModel(self)
        self._actions = build_actions(self, self._choose_model, self._new_chat, self._stop)
        self._actions.stop.setEnabled(False)
        self._menus = build_menus(self, self._actions)
        self._build_central()
        self._build_status_bar()

    def build_chat(self) -> None:
        """Build the chat page and connect the bridge: the start's second half.

        The composition root calls it once, just after the window's first paint (the
        chat page's modules are the heaviest of the window's), before ``install_features``.
        """
        from desktop_app.core.presets import PresetLibrary
        from desktop_app.ui.shared.shortcuts import install_chat_shortcuts

        self._presets = PresetLibrary(self._config_dir)
        self._chat_page = self._build_chat_page()
        self._pages.add_chat_page(self._chat_page)
        if self._settings.font_size > 0:
            self._chat_page.set_font_size(self._settings.font_size)
        self._connect_bridge()
        self._shortcuts = install_chat_shortcuts(self, self._composer, self._chat_model)
        self._shortcuts.notice.connect(self._show_notice)
        self._chat_view.notice.connect(self._show_notice)
        self._extensions = ExtensionPoints(
            self,
            self,
            self._menus,
            self._chat_page.header_row,
            lambda: self._chat_page.header_row.indexOf(self._chat_settings.button),
            self._splitter,
            self._pages.welcome,
            lambda: self._chat_page.header_row.indexOf(self._chat_page.new_chat_button) + 1,
        )
        self._extensions.decorate(self._chat_model)
        self.conversation_shown.connect(self._extensions.conversation_shown)
        self.new_chat_started.connect(self._extensions.new_chat)
        self._bridge.model_loaded.connect(self._extensions.model_loaded)
        self._update_controls()
        self._show_page()

    def install_features(self, features: list[Feature]) -> None:
        """Let each feature add itself through the extension API."""
        for feature in features:
            feature.install(self._extensions)

    def finish_start(self, resume: int | None) -> None:
        """Show the first conversation and say the window is ``ready``.

        The composition root calls it once, after the first paint and after installing
        the features: ``resume`` (the conversation on screen when the window last
        closed) if it still exists, else the latest one. Exactly one is loaded.
        """
        try:
            self._store.mark_interrupted_answers()
            conversation = self._store.conversation(resume) if resume is not None else None
            conversation = conversation or self._store.latest_conversation()
        except StoreError as exc:
            self.show_error(str(exc))
            conversation = None
        if conversation is not None:
            self.show_conversation(conversation.id)
        self._ready = True
        self.ready.emit()

    @property
    def is_ready(self) -> bool:
        """Whether ``ready`` was emitted (features installed, first conversation shown)."""
        return self._ready

    # Public API

    @property
    def chat_model(self) -> ChatListModel:
        return self._chat_model

    @property
    def bridge(self) -> EngineBridge:
        return self._bridge

    @property
    def store(self) -> Store:
        return self._store

    @property
    def chat_view(self) -> ChatView:
        return self._chat_view

    @property
    def model_picker(self) -> ModelPicker | None:
        """The header's model picker (the models feature's); others add entries to it."""
        return self._extensions.model_picker

    @property
    def conversation_id(self) -> int | None:
        """The conversation on screen; None for a new chat not yet started."""
        return self._conversation_id

    def restore_model(self, path: str | None = None) -> None:
        """Load ``path``, or else the last model used, in the background (``ModelOpener``)."""
        self._opener.restore(path)

    def open_model(self, path: str) -> None:
        """Load a model file, or a remote model (``remote:ENDPOINT/MODEL``), in the background."""
        self._opener.open(path)

    def set_format_note(self, text: str) -> None:
        self._chat_page.format_label.setText(text)

    def show_error(self, message: str) -> None:
        """Show a message in the banner at the top of the window (non-blocking)."""
        self._banner.show_message(message)

    # Building

    def _build_central(self) -> None:
        central = QWidget(self)
        central.setObjectName("centralWidget")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._banner = ErrorBanner(self)
        layout.addWidget(self._banner)
        welcome = WelcomePage(self)
        welcome.open_requested.connect(self._choose_model)
        welcome.follow(self._bridge)
        self._open_button = welcome.open_button
        self._pages = Pages(welcome, self._has_conversations(), central)
        layout.addWidget(self._pages, 1)
        self._splitter: QSplitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.setObjectName("mainSplitter")
        self._splitter.addWidget(central)
        self.setCentralWidget(self._splitter)

    def _has_conversations(self) -> bool:
        """Whether the chat page, not the welcome page, will show once built."""
        try:
            return self._store.latest_conversation() is not None
        except StoreError:
            return False

    def _build_chat_page(self) -> ChatPage:
        from desktop_app.ui.chat.file_drop import ModelFileDrop
        from desktop_app.ui.chat.page import ChatPage

        page = ChatPage(self, self._make_chat_settings, self._settings.send_key == "ctrl+enter")
        self._chat_settings = page.chat_settings
        self._preset_bar = page.chat_settings.preset_bar
        self._chat_view, self._composer = page.chat_view, page.composer
        self._header_open_button = page.header_open_button
        page.new_chat_button.clicked.connect(self._new_chat)
        page.header_open_button.clicked.connect(self._choose_model)
        self._chat_view.setModel(self._chat_model)
        self._composer.submitted.connect(self._send)
        drop = ModelFileDrop(self, self._composer.viewport())
        drop.model_dropped.connect(self.open_model)
        drop.notice.connect(self._show_notice)
        page.send_button.clicked.connect(self._send_or_stop)
        return page

    def _make_chat_settings(self, header: QWidget, page: QWidget) -> ChatSettings:
        from desktop_app.ui.chat.chat_settings import ChatSettings

        chat_settings = ChatSettings(
            self._store,
            self._bridge,
            self._presets,
            ui_language(self._settings.language),
            lambda: self._conversation_id,
            lambda: self._params,
            header,
            page,
        )
        chat_settings.error.connect(self.show_error)
        chat_settings.open_model_requested.connect(self.open_model)
        return chat_settings

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        bar.setAccessibleName(self.tr("Status"))
        self._stats = AnswerStats(bar)

    def _connect_bridge(self) -> None:
        bridge = self._bridge
        bridge.model_loading.connect(self._on_model_loading)
        bridge.model_loaded.connect(self._on_model_loaded)
        bridge.model_failed.connect(self._on_model_failed)
        bridge.load_cancelled.connect(self._on_load_cancelled)
        bridge.model_unloaded.connect(self._on_model_unloaded)
        bridge.text_received.connect(self._on_text)
        bridge.tokens_streamed.connect(self._on_tokens_streamed)
        bridge.turn_finished.connect(self._on_turn_finished)
        bridge.busy_changed.connect(self._update_controls)

    def show_conversation(self, conversation_id: int, message_id: int | None = None) -> None:
        """Show a saved conversation (its current branch), at ``message_id`` or at the end."""
        try:
            conversation = self._store.conversation(conversation_id)
            messages = self._store.messages(conversation_id) if conversation else []
        except StoreError as exc:
            self.show_error(str(exc))
            return
        if conversation is None:
            return
        if conversation_id != self._conversation_id:
            self._stream_visible = False  # an answer streaming elsewhere stays there
            self._chat_page.context_notice.hide()  # it spoke of the other chat's last answer
        if self._stream_visible:
            return  # the answer on screen is still streaming; it is reloaded when done
        self._conversation_id = conversation.id
        self._preset_bar.hide()
        self._chat_model.set_messages(messages, page=PAGE_ROWS)
        self._set_title(conversation.title)
        self._stats.last_of(messages)
        row = self._chat_model.reveal(message_id) if message_id else None
        if row is None:
            self._chat_view.scroll_to_end()
        else:
            self._chat_view.scroll_to_message_row(row)
        self._show_page()
        self._chat_settings.measure_usage()
        self.conversation_shown.emit(conversation.id)

    def start_answer_job(self, job: AnswerJob, keep_rows: int, question: str | None = None) -> bool:
        """Stream ``job``'s answer into the conversation on screen.

        The view keeps its first ``keep_rows`` rows, then shows ``question`` (if any)
        and the streaming answer; with ``keep_rows`` equal to the row count and no
        question, the last row (an answer being continued) streams again.
        """
        if self._conversation_id is None or self._bridge.is_busy:
            return False
        if self._bridge.model is None:
            self.statusBar().showMessage(self.tr("Open a model first."), STATUS_TIMEOUT_MS)
            return False
        params = self._chat_settings.generation_params()
        job = self._extensions.adapt_job(job)
        if not self._bridge.start_job(self._conversation_id, job, params):
            return False
        self._stream_visible = True
        rows = self._chat_model.rowCount()
        self._chat_model.keep_rows(keep_rows)
        if question is not None:
            self._chat_model.add_user_message(question)
        if keep_rows == rows and question is None:
            self._chat_model.reopen_last()
        else:
            self._chat_model.begin_answer(self._bridge.model.name)
        self._chat_view.scroll_to_end()
        self._stats.generating()
        return True

    def _show_page(self) -> None:
        """The chat page whenever there is a model or a conversation to show.

        Saved conversations stay readable while the model loads, or when the last
        model is gone; only a window with neither shows the welcome page.
        """
        if self._bridge.model is None:
            self._chat_page.show_no_model()
        self._pages.show_chat(self._bridge.model is not None or self._chat_model.rowCount() > 0)
        self._chat_settings.button.setEnabled(self._conversation_id is not None)

    # Gestures

    @Slot()
    def _choose_model(self) -> None:
        self._opener.choose()

    @Slot(str)
    def _send(self, text: str) -> None:
        if self._bridge.is_generating:
            return
        model = self._bridge.model
        if model is None or self._bridge.is_busy:
            message = (
                self.tr("Please wait until the model has loaded.")
                if self._bridge.loading_path
                else self.tr("Open a model first.")
            )
            self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)
            return
        if self._conversation_id is None and not self._start_conversation():
            return
        assert self._conversation_id is not None
        overrides = self._chat_settings.overrides()
        other = self._chat_settings.other_model(overrides)
        if other:
            self._pending_send = text  # this chat uses another model: load it, then send
            self.open_model(other)
            return
        first_message = self._chat_model.rowCount() == 0
        outgoing = self._extensions.prepare(
            OutgoingMessage(self._conversation_id, text, overrides.params(self._params))
        )
        job = outgoing.job((outgoing.answer_job or TurnJob)(outgoing.full_text()))
        if not self._bridge.start_job(self._conversation_id, job, outgoing.params):
            return
        self._preset_bar.hide()
        if first_message:
            # The engine thread names the conversation the same way when it saves the text.
            self._set_title(title_from_text(text))
        self._stream_visible = True
        self._composer.clear()
        self._chat_model.add_user_message(text)
        self._chat_model.begin_answer(model.name)
        self._chat_view.scroll_to_end()
        self._stats.generating()

    @Slot()
    def _send_or_stop(self) -> None:
        if self._bridge.is_generating:
            self._stop()
        else:
            self._composer.submit()
        self._composer.setFocus()

    @Slot()
    def _stop(self) -> None:
        if self._bridge.is_generating:
            self._bridge.stop()

    def new_chat(self) -> None:
        """Start a new chat (what File > New Chat does)."""
        self._actions.new_chat.trigger()

    @Slot()
    def _new_chat(self) -> None:
        if self._bridge.is_generating:
            self._bridge.stop()
        self._stream_visible = False
        self._conversation_id = None
        self._chat_model.clear()
        self._stats.clear()
        self._set_title("")
        self._show_page()
        self._chat_page.start_new_chat()
        self.new_chat_started.emit()

    # Bridge signals

    @Slot(str)
    def _on_model_loading(self, path: str) -> None:
        self._banner.hide()
        self._update_controls()

    def _on_model_loaded(self, info: ModelInfo) -> None:
        self._banner.hide()
        self._chat_page.show_model(info)
        self._show_page()
        self._chat_view.scroll_to_end()
        self._composer.setFocus()
        self._opener.remember(info.path)
        self._update_controls()
        self._chat_settings.measure_usage()
        pending, self._pending_send = self._pending_send, None
        if pending:
            self._send(pending)

    @Slot(str)
    def _on_load_cancelled(self, message: str) -> None:
        self._pending_send = None
        self._show_page()
        self._update_controls()

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self._pending_send = None
        self.show_error(message)
        self._show_page()
        self._update_controls()

    @Slot()
    def _on_model_unloaded(self) -> None:
        self._show_page()
        self._update_controls()

    @Slot(str)
    def _on_text(self, text: str) -> None:
        if self._stream_visible:
            self._chat_model.append_text(text)

    @Slot(int)
    def _on_tokens_streamed(self, count: int) -> None:
        if self._stream_visible:
            self._stats.streamed(count)

    @Slot(object)
    def _on_turn_finished(self, finished: Finished) -> None:
        self._stats.finished(finished.stats)
        if self._stream_visible:
            self._chat_settings.show_usage(
                finished.stats.prompt_tokens + finished.stats.generated_tokens
            )
            self._chat_page.show_dropped_turns(finished.stats.dropped_turns)
            self._chat_model.finish_answer(finished)
        self._stream_visible = False
        if finished.error:
            self.show_error(finished.error)
        self._update_controls()

    # Helpers

    @Slot()
    def _update_controls(self) -> None:
        generating = self._bridge.is_generating
        loading = self._bridge.loading_path is not None
        ready = self._bridge.model is not None and not self._bridge.is_busy
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        self._chat_page.show_send_state(generating, ready, colour)
        self._actions.new_chat.setIcon(themed_icon("new-chat", colour))
        self._actions.open_model.setIcon(themed_icon("open-model", colour))
        self._actions.stop.setIcon(themed_icon("stop", colour))
        self._actions.stop.setEnabled(generating)
        self._actions.open_model.setEnabled(not loading)
        self._open_button.setEnabled(not loading)
        self._header_open_button.setEnabled(not loading)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_extensions"):
            self._update_controls()  # icons drawn in the theme's text colour

    @Slot(str)
    def _show_notice(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def save_settings(self, settings: Settings) -> None:
        """Keep and save settings a feature changed outside the Settings dialog."""
        self._settings = settings
        try:
            save_settings(self._config_dir, settings)
        except OSError as exc:
            self.show_error(
                self.tr("Could not save the settings: %1").replace("%1", exc.strerror or str(exc))
            )

    def _set_title(self, conversation_title: str) -> None:
        if conversation_title:
            self.setWindowTitle(self.tr("%1 — Hearth").replace("%1", conversation_title))
        else:
            self.setWindowTitle(self.tr("Hearth"))

    # Settings, presets, per-chat overrides and context usage

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def presets(self) -> PresetLibrary:
        return self._presets

    @Slot(object)
    def apply_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on (the Settings dialog saved them), then tell the features."""
        previous, self._settings = self._settings, settings
        if not self._params_fixed:
            self._params = settings.generation
        self._composer.set_ctrl_enter_sends(settings.send_key == "ctrl+enter")
        self._chat_page.set_font_size(settings.font_size)
        self._bridge.configure_resume(*resume_cache_config(settings, self._data_dir))
        self._chat_settings.measure_usage()
        self._extensions.settings_changed(previous, settings)

    def _start_conversation(self) -> bool:
        """Create the conversation of a new chat, with the preset chosen for it."""
        conversation_id = self._chat_settings.create_conversation(
            ui_language(self._settings.language), self._settings.system_prompt
        )
        if conversation_id is None:
            return False
        self._conversation_id = conversation_id
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if hasattr(self, "_extensions"):  # else closed before the chat page was built
            self._extensions.closing()
        if not self._bridge.shutdown(SHUTDOWN_TIMEOUT_MS):
            log.warning("The engine thread did not stop within %d ms", SHUTDOWN_TIMEOUT_MS)
        event.accept()
        super().closeEvent(event)
