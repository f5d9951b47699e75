"""Hearth's main window: the empty state, the chat page, menus and the status bar.

The window turns gestures into ``EngineBridge`` requests and the bridge's signals
into widget updates. It never touches the engine; the only store calls it makes on
the GUI thread are small ones (read the conversation on start, create a conversation
on its first message). The answer itself is written by the engine thread.

Per-chat settings, presets and context usage live in ``ui/chat/chat_settings.py``;
the chat page's widgets are built in ``ui/chat/page.py`` and file drops handled in
``ui/chat/file_drop.py``; features (models, conversations, endpoints, server, documents,
help) plug in through ``ui/extensions``.

Size (about 850 lines, over the ~600 aimed at): the send/answer flow, model loading,
the status bar, the bridge's signals to widgets and applying saved settings. Next to
move out: the status bar and its signal handlers, and the Settings dialog hookup.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chats.jobs import TurnJob
from desktop_app.core.chats.model import Role, title_from_text
from desktop_app.core.chats.store import Store, StoreError
from desktop_app.core.engine.base import Finished, GenerationParams, ModelInfo
from desktop_app.core.engine.remote_spec import is_remote_spec
from desktop_app.core.hardware import HardwareInfo
from desktop_app.core.presets import PresetLibrary
from desktop_app.core.settings import Settings, resume_cache_config, save_settings
from desktop_app.core.window_state import StateFile
from desktop_app.ui.chat.chat_settings import ChatSettings, model_key
from desktop_app.ui.chat.file_drop import ModelFileDrop
from desktop_app.ui.chat.model import PAGE_ROWS, ChatListModel, format_stats, format_tokens
from desktop_app.ui.chat.page import ChatPage
from desktop_app.ui.chat.view import ChatView
from desktop_app.ui.chat.welcome import WelcomePage
from desktop_app.ui.engine.worker import AnswerJob, EngineBridge
from desktop_app.ui.extensions.api import Feature, Menu, MessageView, OutgoingMessage, Section
from desktop_app.ui.extensions.points import ExtensionPoints, SectionedMenu
from desktop_app.ui.shared.banner import ErrorBanner
from desktop_app.ui.shared.i18n import ui_language
from desktop_app.ui.shared.icons import themed_icon
from desktop_app.ui.shared.shortcuts import install_chat_shortcuts
from desktop_app.ui.shared.theme import apply_theme

if TYPE_CHECKING:
    from desktop_app.ui.models.picker import ModelPicker
    from desktop_app.ui.settings.dialog import SettingsDialog

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000
SHUTDOWN_TIMEOUT_MS = 10_000


class MainWindow(QMainWindow):
    """The one window of Hearth.

    ``generation_params`` overrides the settings' generation parameters (tests,
    benchmarks, a future per-chat preset). Call ``restore_model`` after showing the
    window to reload the last model in the background.
    """

    conversation_shown = Signal(int)
    """A saved conversation is now on screen (after loading, switching, searching)."""
    new_chat_started = Signal()

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
        self._state = state or StateFile(None)
        self._data_dir = data_dir
        """Where the resume cache may go on disk (None: memory only); never the store's folder,
        which is no folder at all when the store is in memory."""
        self._config_dir = config_dir
        self._bridge = bridge
        self._params_fixed = generation_params is not None
        self._params = generation_params or settings.generation
        self._presets = PresetLibrary(config_dir)
        self._hardware: HardwareInfo | None = None
        self._pending_send: str | None = None
        self._conversation_id: int | None = None
        self._stream_visible = False
        """Whether the answer that is streaming belongs to the conversation on screen."""

        self.setObjectName("mainWindow")
        self.setAccessibleName(self.tr("Hearth"))
        self.setWindowTitle(self.tr("Hearth"))
        self.setAcceptDrops(True)
        self.resize(980, 740)
        self.setMinimumSize(520, 420)

        self._chat_model = ChatListModel(self)
        self._build_actions()
        self._build_menus()
        self._build_central()
        if settings.font_size > 0:
            self._apply_font_size()
        self._build_status_bar()
        self._connect_bridge()
        self._shortcuts = install_chat_shortcuts(self, self._composer, self._chat_model)
        self._shortcuts.notice.connect(self._show_notice)
        self._chat_view.notice.connect(self._show_notice)
        self._extensions = ExtensionPoints(
            self,
            self,
            self._menus,
            self._header_row,
            lambda: self._header_row.indexOf(self._chat_settings_button),
            self._splitter,
            self._empty_page,
            lambda: self._header_row.indexOf(self._new_chat_button) + 1,
        )
        self._chat_model.set_decorator(
            lambda row: self._extensions.decorations(
                MessageView(row.message_id, row.role.value, row.text)
            )
        )
        self._chat_model.set_links(
            lambda row: self._extensions.links(
                MessageView(row.message_id, row.role.value, row.text)
            )
        )
        self.conversation_shown.connect(self._extensions.conversation_shown)
        self.new_chat_started.connect(self._extensions.new_chat)
        self._bridge.model_loaded.connect(self._extensions.model_loaded)
        self._update_controls()

    def install_features(self, features: list[Feature]) -> None:
        """Let each feature add itself through the extension API, then show the latest chat.

        Called once by the composition root (``desktop_app.app.build``).
        """
        for feature in features:
            feature.install(self._extensions)
        self._show_latest_conversation()

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
        """Load ``path``, or else the last model used, in the background.

        A remembered model whose file is gone is skipped with a note in the status
        bar; an explicit ``path`` that fails shows the engine's message.
        """
        if path:
            self.open_model(path)
            return
        last = self._state.state.last_model
        if not last:
            return
        if is_remote_spec(last) or Path(last).is_file():
            self.open_model(last)
        else:
            self.statusBar().showMessage(
                self.tr("The last model, %1, is no longer there.").replace("%1", last),
                STATUS_TIMEOUT_MS,
            )

    def open_model(self, path: str) -> None:
        """Load a model file, or a remote model (``remote:ENDPOINT/MODEL``), in the background."""
        target = path if is_remote_spec(path) else os.path.abspath(path)
        if not self._bridge.load_model(target, self._settings.load_params()):
            self.statusBar().showMessage(
                self.tr("Please wait: a model is already loading."), STATUS_TIMEOUT_MS
            )

    def set_format_note(self, text: str) -> None:
        self._format_label.setText(text)

    def show_error(self, message: str) -> None:
        """Show a message in the banner at the top of the window (non-blocking)."""
        self._banner.show_message(message)

    # Building

    def _build_actions(self) -> None:
        self._open_action = QAction(self.tr("&Open Model…"), self)
        self._open_action.setObjectName("openModelAction")
        self._open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self._open_action.setStatusTip(self.tr("Load a GGUF model file from this computer"))
        self._open_action.triggered.connect(self._choose_model)

        self._new_chat_action = QAction(self.tr("&New Chat"), self)
        self._new_chat_action.setObjectName("newChatAction")
        self._new_chat_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self._new_chat_action.triggered.connect(self._new_chat)

        self._quit_action = QAction(self.tr("&Quit"), self)
        self._quit_action.setObjectName("quitAction")
        self._quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self._quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self._quit_action.triggered.connect(self.close)

        self._stop_action = QAction(self.tr("&Stop Generating"), self)
        self._stop_action.setObjectName("stopAction")
        self._stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self._stop_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._stop_action.triggered.connect(self._stop)

        self._settings_action = QAction(self.tr("&Settings…"), self)
        self._settings_action.setObjectName("settingsAction")
        self._settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self._settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self._settings_action.triggered.connect(self.open_settings)

    def _build_menus(self) -> None:
        """The named menus features add to (``Menu``), each kept in ``Section`` order."""
        menu_bar = self.menuBar()
        menu_bar.setObjectName("menuBar")
        menu_bar.setAccessibleName(self.tr("Menu bar"))
        titles = {
            Menu.FILE: (self.tr("&File"), self.tr("File")),
            Menu.CHAT: (self.tr("&Chat"), self.tr("Chat")),
            Menu.SETTINGS: (self.tr("&Settings"), self.tr("Settings")),
            Menu.HELP: (self.tr("&Help"), self.tr("Help")),
        }
        self._menus: dict[Menu, SectionedMenu] = {}
        for menu, (title, accessible) in titles.items():
            qmenu = menu_bar.addMenu(title)
            qmenu.setObjectName(menu.value)
            qmenu.setAccessibleName(accessible)
            self._menus[menu] = SectionedMenu(qmenu)
        file_menu = self._menus[Menu.FILE]
        file_menu.add(self._open_action, Section.MAIN)
        file_menu.add(self._new_chat_action, Section.MAIN)
        file_menu.add(self._settings_action, Section.SETTINGS)
        file_menu.add(self._quit_action, Section.END)
        self._menus[Menu.CHAT].add(self._stop_action, Section.MAIN)
        self._menus[Menu.SETTINGS].add(self._settings_action, Section.MAIN)

    def _build_central(self) -> None:
        central = QWidget(self)
        central.setObjectName("centralWidget")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._banner = ErrorBanner(self)
        layout.addWidget(self._banner)
        self._pages = QStackedWidget(central)
        self._pages.setObjectName("pages")
        self._pages.setAccessibleName(self.tr("Pages"))
        self._empty_page = WelcomePage(self)
        self._empty_page.open_requested.connect(self._choose_model)
        self._open_button = self._empty_page.open_button
        self._empty_loading = self._empty_page.loading
        self._chat_page = self._build_chat_page()
        self._pages.addWidget(self._empty_page)
        self._pages.addWidget(self._chat_page)
        layout.addWidget(self._pages, 1)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.setObjectName("mainSplitter")
        self._splitter.addWidget(central)
        self.setCentralWidget(self._splitter)

    def _build_chat_page(self) -> QWidget:
        page = ChatPage(self, self._make_chat_settings, self._settings.send_key == "ctrl+enter")
        self._chat_settings = page.chat_settings
        self._chat_settings_button = page.chat_settings.button
        self._preset_bar = page.chat_settings.preset_bar
        self._header_row = page.header_row
        self._model_title, self._format_label = page.model_title, page.format_label
        self._new_chat_button, self._header_open_button = (
            page.new_chat_button,
            page.header_open_button,
        )
        self._chat_view, self._context_notice = page.chat_view, page.context_notice
        self._composer, self._send_button = page.composer, page.send_button
        self._new_chat_button.clicked.connect(self._new_chat)
        self._header_open_button.clicked.connect(self._choose_model)
        self._chat_view.setModel(self._chat_model)
        self._composer.submitted.connect(self._send)
        drop = ModelFileDrop(self, self._composer.viewport())
        drop.model_dropped.connect(self.open_model)
        drop.notice.connect(self._show_notice)
        self._send_button.clicked.connect(self._send_or_stop)
        return page

    def _make_chat_settings(self, header: QWidget, page: QWidget) -> ChatSettings:
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
        self._progress = QProgressBar(bar)
        self._progress.setObjectName("loadingProgress")
        self._progress.setAccessibleName(self.tr("Loading model"))
        self._progress.setRange(0, 0)
        self._progress.setMaximumWidth(140)
        self._progress.setMaximumHeight(14)
        self._progress.setTextVisible(False)
        self._progress.hide()
        bar.addPermanentWidget(self._progress)
        self._cancel_load_button = QToolButton(bar)
        self._cancel_load_button.setObjectName("cancelLoadButton")
        self._cancel_load_button.setText(self.tr("Cancel"))
        self._cancel_load_button.setAccessibleName(self.tr("Cancel loading the model"))
        self._cancel_load_button.setAutoRaise(True)
        self._cancel_load_button.clicked.connect(self._bridge.cancel_load)
        self._cancel_load_button.hide()
        bar.addPermanentWidget(self._cancel_load_button)
        self._stats_label = QLabel(bar)
        self._stats_label.setContentsMargins(8, 0, 8, 0)
        self._stats_label.setObjectName("statusStats")
        self._stats_label.setAccessibleName(self.tr("Last answer statistics"))
        bar.addPermanentWidget(self._stats_label)
        self._model_label = QLabel(self.tr("No model"), bar)
        self._model_label.setContentsMargins(8, 0, 8, 0)
        self._model_label.setObjectName("statusModel")
        self._model_label.setAccessibleName(self.tr("Loaded model"))
        bar.addPermanentWidget(self._model_label)

    def _connect_bridge(self) -> None:
        bridge = self._bridge
        bridge.model_loading.connect(self._on_model_loading)
        bridge.model_loaded.connect(self._on_model_loaded)
        bridge.model_failed.connect(self._on_model_failed)
        bridge.load_cancelled.connect(self._on_load_cancelled)
        bridge.load_progress.connect(self._on_load_progress)
        bridge.model_unloaded.connect(self._on_model_unloaded)
        bridge.text_received.connect(self._on_text)
        bridge.tokens_streamed.connect(self._on_tokens_streamed)
        bridge.turn_finished.connect(self._on_turn_finished)
        bridge.busy_changed.connect(self._update_controls)

    def _show_latest_conversation(self) -> None:
        try:
            self._store.mark_interrupted_answers()
            conversation = self._store.latest_conversation()
        except StoreError as exc:
            self.show_error(str(exc))
            return
        if conversation is not None:
            self.show_conversation(conversation.id)

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
            self._context_notice.hide()  # it spoke of the other conversation's last answer
        if self._stream_visible:
            return  # the answer on screen is still streaming; it is reloaded when done
        self._conversation_id = conversation.id
        self._preset_bar.hide()
        self._chat_model.set_messages(messages, page=PAGE_ROWS)
        self._set_title(conversation.title)
        self._stats_label.clear()
        for message in reversed(messages):
            if message.role is Role.ASSISTANT and message.stats is not None:
                self._stats_label.setText(" · ".join(format_stats(message.stats)))
                break
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
        self._stats_label.setText(self.tr("Generating…"))
        return True

    def _show_page(self) -> None:
        """The chat page whenever there is a model or a conversation to show.

        Saved conversations stay readable while the model loads, or when the last
        model is gone; only a window with neither shows the welcome page.
        """
        if self._bridge.model is None:
            self._model_title.setText(self.tr("No model loaded"))
            self._model_title.setToolTip("")
            self._format_label.setText(
                self.tr("Open a GGUF model (Ctrl+O) to continue this conversation.")
            )
        if self._bridge.model is not None or self._chat_model.rowCount() > 0:
            self._pages.setCurrentWidget(self._chat_page)
        else:
            self._pages.setCurrentWidget(self._empty_page)
        self._chat_settings_button.setEnabled(self._conversation_id is not None)

    # Gestures

    @Slot()
    def _choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a GGUF model"),
            str(Path(self._state.state.last_model).parent) if self._state.state.last_model else "",
            self.tr("GGUF models (*.gguf)"),
        )
        if path:
            self.open_model(path)

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
        if overrides.model and model_key(overrides.model) != model.path:
            self._pending_send = text  # this chat uses another model: load it, then send
            self.open_model(overrides.model)
            return
        first_message = self._chat_model.rowCount() == 0
        outgoing = self._extensions.prepare(
            OutgoingMessage(self._conversation_id, text, overrides.params(self._params))
        )
        job = outgoing.job(TurnJob(outgoing.full_text()))
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
        self._stats_label.setText(self.tr("Generating…"))

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
        self._new_chat_action.trigger()

    @Slot()
    def _new_chat(self) -> None:
        if self._bridge.is_generating:
            self._bridge.stop()
        self._stream_visible = False
        self._conversation_id = None
        self._chat_model.clear()
        self._stats_label.clear()
        self._chat_settings.usage_label.clear()
        self._context_notice.hide()
        self._preset_bar.reset()
        self._preset_bar.show()
        self._set_title("")
        self._show_page()
        self._composer.setFocus()
        self.new_chat_started.emit()

    # Drag and drop

    # Bridge signals

    @Slot(str)
    def _on_model_loading(self, path: str) -> None:
        message = self.tr("Loading %1…").replace("%1", Path(path).name)
        self._banner.hide()
        self._progress.setRange(0, 0)
        self._progress.show()
        self._cancel_load_button.show()
        self.statusBar().showMessage(message)
        self._empty_loading.setText(message)
        self._empty_loading.show()
        self._update_controls()

    @Slot(object)
    def _format_words(self, info: ModelInfo) -> str:
        if info.format_source == "model":
            return self.tr("the model's own chat template")
        if info.format_source == "plain":
            return self.tr("a plain User/Assistant format (the model has no chat template)")
        if info.format_source == "rejected":
            return (
                self.tr("the built-in %1 format (the model's own template could not be used: %2)")
                .replace("%1", info.format_name)
                .replace("%2", info.format_problem)
            )
        return self.tr("the built-in %1 format (the model has no chat template)").replace(
            "%1", info.format_name
        )

    def _on_model_loaded(self, info: ModelInfo) -> None:
        self._progress.hide()
        self._empty_loading.hide()
        self._banner.hide()
        self.statusBar().showMessage(
            info.offload_notice or self.tr("%1 is ready.").replace("%1", info.name),
            STATUS_TIMEOUT_MS,
        )
        self._model_label.setText(info.name)
        self._model_label.setToolTip("\n".join(filter(None, (info.path, info.offload))))
        self._model_title.setText(info.name)
        self._model_title.setToolTip(info.path)
        self._format_label.setText(
            self.tr("Chat format: %1 · context %2 tokens")
            .replace("%1", self._format_words(info))
            .replace("%2", self.locale().toString(info.context_length))
        )
        self._show_page()
        self._chat_view.scroll_to_end()
        self._composer.setFocus()
        self._remember_model(info.path)
        self._update_controls()
        self._chat_settings.measure_usage()
        pending, self._pending_send = self._pending_send, None
        if pending:
            self._send(pending)

    @Slot(float)
    def _on_load_progress(self, fraction: float) -> None:
        self._progress.setRange(0, 100)
        self._progress.setValue(round(fraction * 100))

    @Slot(str)
    def _on_load_cancelled(self, message: str) -> None:
        self._pending_send = None
        self._progress.hide()
        self._empty_loading.hide()
        self.statusBar().showMessage(self.tr("Loading the model was cancelled."), STATUS_TIMEOUT_MS)
        self._show_page()
        self._update_controls()

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self._pending_send = None
        self._progress.hide()
        self._empty_loading.hide()
        self.statusBar().clearMessage()
        self.show_error(message)
        self._show_page()
        self._update_controls()

    @Slot()
    def _on_model_unloaded(self) -> None:
        self._model_label.setText(self.tr("No model"))
        self._model_label.setToolTip("")
        self._show_page()
        self._update_controls()

    @Slot(str)
    def _on_text(self, text: str) -> None:
        if self._stream_visible:
            self._chat_model.append_text(text)

    @Slot(int)
    def _on_tokens_streamed(self, count: int) -> None:
        if self._stream_visible:
            self._stats_label.setText(self.tr("%1…").replace("%1", format_tokens(count)))

    @Slot(object)
    def _on_turn_finished(self, finished: Finished) -> None:
        self._stats_label.setText(" · ".join(format_stats(finished.stats)))
        if self._stream_visible:
            self._chat_settings.show_usage(
                finished.stats.prompt_tokens + finished.stats.generated_tokens
            )
            self._context_notice.setVisible(finished.stats.dropped_turns > 0)
            self._context_notice.setText(
                self.tr(
                    "Older messages were left out so that this chat fits the model's context "
                    "window. Messages the model did not see: %1."
                ).replace("%1", str(finished.stats.dropped_turns))
            )
        if self._stream_visible:
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
        self._send_button.setText(self.tr("Stop") if generating else self.tr("Send"))
        self._send_button.setAccessibleName(
            self.tr("Stop generating") if generating else self.tr("Send")
        )
        self._send_button.setToolTip(
            self.tr("Stop generating (Esc)") if generating else self.tr("Send (Enter)")
        )
        self._send_button.setEnabled(generating or ready)
        self._apply_icons()
        self._stop_action.setEnabled(generating)
        self._open_action.setEnabled(not loading)
        self._open_button.setEnabled(not loading)
        self._header_open_button.setEnabled(not loading)
        if not loading:
            self._progress.hide()
        self._cancel_load_button.setVisible(loading)

    def _apply_icons(self) -> None:
        """Icons drawn in the theme's text colour (again after a theme change)."""
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        self._send_button.setIcon(
            themed_icon("stop" if self._bridge.is_generating else "send", colour)
        )
        self._new_chat_button.setIcon(themed_icon("new-chat", colour))
        self._header_open_button.setIcon(themed_icon("open-model", colour))
        self._new_chat_action.setIcon(themed_icon("new-chat", colour))
        self._open_action.setIcon(themed_icon("open-model", colour))
        self._stop_action.setIcon(themed_icon("stop", colour))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_send_button"):
            self._apply_icons()

    @Slot(str)
    def _show_notice(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def _remember_model(self, path: str) -> None:
        self._state.update(last_model=path)

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

    @Slot()
    def open_settings(self) -> SettingsDialog:
        """Open the Settings dialog (non-modal result handling; returns it for tests)."""
        if self._hardware is None:
            from desktop_app.core.hardware import detect

            self._hardware = detect()
        hardware = self._hardware
        from desktop_app.ui.settings.dialog import SettingsDialog  # when first opened

        dialog = SettingsDialog(
            self._settings, self._config_dir, lambda: hardware, self, self._bridge.model
        )
        for factory in self._extensions.settings_pages:
            title, page = factory()
            dialog.add_page(title, page)
        dialog.settings_saved.connect(self._apply_settings)
        dialog.delete_data_requested.connect(self._delete_all_data)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @Slot(object)
    def _apply_settings(self, settings: Settings) -> None:
        reload_needed = settings.load_params() != self._settings.load_params()
        previous, self._settings = self._settings, settings
        if not self._params_fixed:
            self._params = settings.generation
        self._composer.set_ctrl_enter_sends(settings.send_key == "ctrl+enter")
        self._apply_font_size()
        app = QApplication.instance()
        if isinstance(app, QApplication) and settings.theme != previous.theme:
            apply_theme(app, settings.theme)
        if settings.language != previous.language:
            self.statusBar().showMessage(
                self.tr("The new language is used after Hearth restarts."), STATUS_TIMEOUT_MS
            )
        self._bridge.configure_resume(*resume_cache_config(settings, self._data_dir))
        if reload_needed and self._bridge.model is not None:
            self.statusBar().showMessage(
                self.tr("Open the model again to use the new hardware settings."),
                STATUS_TIMEOUT_MS,
            )
        self._chat_settings.measure_usage()
        self._extensions.settings_changed(previous, settings)

    @Slot()
    def _delete_all_data(self) -> None:
        from desktop_app.core.paths import app_paths
        from desktop_app.core.privacy import delete_all_data

        self._bridge.shutdown(SHUTDOWN_TIMEOUT_MS)
        self._store.close()
        report = delete_all_data(app_paths())
        if report.failed:
            message = self.tr("Some files could not be deleted:\n%1").replace(
                "%1", "\n".join(f"{path}: {why}" for path, why in report.failed)
            )
        else:
            message = self.tr("All your data was deleted. Hearth will now close.")
        QMessageBox.information(self, self.tr("Delete all my data"), message)
        self.close()

    def _apply_font_size(self) -> None:
        """The chat's text size from Settings (0: the application font)."""
        for widget in (self._chat_view, self._composer):
            font = QApplication.font(widget)
            if self._settings.font_size > 0:
                font.setPointSize(self._settings.font_size)
            widget.setFont(font)

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
        self._extensions.closing()
        if not self._bridge.shutdown(SHUTDOWN_TIMEOUT_MS):
            log.warning("The engine thread did not stop within %d ms", SHUTDOWN_TIMEOUT_MS)
        event.accept()
        super().closeEvent(event)
