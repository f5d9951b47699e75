"""Hearth's main window: the empty state, the chat page, menus and the status bar.

The window turns gestures into ``EngineBridge`` requests and the bridge's signals
into widget updates. It never touches the engine; the only store calls it makes on
the GUI thread are small ones (read the conversation on start, create a conversation
on its first message). The answer itself is written by the engine thread.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.core.chats.model import Role, title_from_text
from desktop_app.core.chats.store import Store, StoreError
from desktop_app.core.engine.base import Finished, GenerationParams, ModelInfo
from desktop_app.core.engine.remote import is_remote_spec
from desktop_app.core.settings import Settings, save_settings
from desktop_app.ui.chat_model import ChatListModel, format_stats, format_tokens
from desktop_app.ui.chat_view import ChatView
from desktop_app.ui.composer import Composer
from desktop_app.ui.engine_worker import EngineBridge
from desktop_app.ui.icons import themed_icon
from desktop_app.ui.model_picker import ModelPicker
from desktop_app.ui.models_hookup import ModelsHookup
from desktop_app.ui.models_service import ModelsService
from desktop_app.ui.shortcuts import install_chat_shortcuts

log = logging.getLogger(__name__)

MODEL_SUFFIX = ".gguf"
STATUS_TIMEOUT_MS = 8000
SHUTDOWN_TIMEOUT_MS = 10_000


def _local_files(mime: QMimeData) -> list[str]:
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if isinstance(url, QUrl) and url.isLocalFile()]


def _muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _scaled_font(font: QFont, factor: float, bold: bool = False) -> QFont:
    scaled = QFont(font)
    if scaled.pointSizeF() > 0:
        scaled.setPointSizeF(scaled.pointSizeF() * factor)
    scaled.setBold(bold)
    return scaled


class MainWindow(QMainWindow):
    """The one window of Hearth.

    ``generation_params`` overrides the settings' generation parameters (tests,
    benchmarks, a future per-chat preset). Call ``restore_model`` after showing the
    window to reload the last model in the background.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        config_dir: Path,
        bridge: EngineBridge,
        generation_params: GenerationParams | None = None,
        parent: QWidget | None = None,
        models: ModelsService | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._config_dir = config_dir
        self._bridge = bridge
        self._params = generation_params or settings.generation
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
        self._models = ModelsHookup(models, self) if models is not None else None
        self._build_actions()
        self._build_menus()
        self._build_central()
        self._build_status_bar()
        self._connect_bridge()
        self._shortcuts = install_chat_shortcuts(self, self._composer, self._chat_model)
        self._shortcuts.notice.connect(self._show_notice)
        self._chat_view.notice.connect(self._show_notice)
        self._show_latest_conversation()
        self._update_controls()

    # Public API

    @property
    def chat_model(self) -> ChatListModel:
        return self._chat_model

    @property
    def bridge(self) -> EngineBridge:
        return self._bridge

    @property
    def model_picker(self) -> ModelPicker | None:
        """The header's model picker; other sources add entries with ``set_entries``."""
        return self._models.picker if self._models is not None else None

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
        last = self._settings.last_model_path
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

    def show_error(self, message: str) -> None:
        """Show a message in the banner at the top of the window (non-blocking)."""
        self._banner_text.setText(message)
        self._banner.show()

    # Building

    def _build_actions(self) -> None:
        self._open_action = QAction(self.tr("&Open Model…"), self)
        self._open_action.setObjectName("openModelAction")
        self._open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self._open_action.setStatusTip(self.tr("Load a GGUF model file from this computer"))
        self._open_action.triggered.connect(self._choose_model)

        if self._models is not None:
            self._models_action = self._models.build_action(self)
            self._models.open_requested.connect(self.open_model)
            self._models.models_dir_requested.connect(self._set_models_dir)

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

        self._about_action = QAction(self.tr("&About Hearth"), self)
        self._about_action.setObjectName("aboutAction")
        self._about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self._about_action.triggered.connect(self._show_about)

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        menu_bar.setObjectName("menuBar")
        menu_bar.setAccessibleName(self.tr("Menu bar"))
        file_menu = menu_bar.addMenu(self.tr("&File"))
        file_menu.setObjectName("fileMenu")
        file_menu.setAccessibleName(self.tr("File"))
        file_menu.addAction(self._open_action)
        if self._models is not None:
            file_menu.addAction(self._models_action)
        file_menu.addAction(self._new_chat_action)
        file_menu.addSeparator()
        file_menu.addAction(self._quit_action)

        chat_menu = menu_bar.addMenu(self.tr("&Chat"))
        chat_menu.setObjectName("chatMenu")
        chat_menu.setAccessibleName(self.tr("Chat"))
        chat_menu.addAction(self._stop_action)

        help_menu = menu_bar.addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        help_menu.setAccessibleName(self.tr("Help"))
        help_menu.addAction(self._about_action)

    def _build_central(self) -> None:
        central = QWidget(self)
        central.setObjectName("centralWidget")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_banner())
        self._pages = QStackedWidget(central)
        self._pages.setObjectName("pages")
        self._pages.setAccessibleName(self.tr("Pages"))
        self._empty_page = self._build_empty_page()
        self._chat_page = self._build_chat_page()
        self._pages.addWidget(self._empty_page)
        self._pages.addWidget(self._chat_page)
        layout.addWidget(self._pages, 1)
        self.setCentralWidget(central)

    def _build_banner(self) -> QFrame:
        self._banner = QFrame(self)
        self._banner.setObjectName("errorBanner")
        self._banner.setAccessibleName(self.tr("Error"))
        self._banner.setStyleSheet(
            "#errorBanner { background: rgba(214, 69, 65, 0.14);"
            " border-bottom: 1px solid rgba(214, 69, 65, 0.55); }"
        )
        row = QHBoxLayout(self._banner)
        row.setContentsMargins(16, 8, 8, 8)
        self._banner_text = QLabel(self._banner)
        self._banner_text.setObjectName("errorBannerText")
        self._banner_text.setAccessibleName(self.tr("Error message"))
        self._banner_text.setWordWrap(True)
        self._banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self._banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self._banner_text, 1)
        dismiss = QToolButton(self._banner)
        dismiss.setObjectName("dismissErrorButton")
        dismiss.setAccessibleName(self.tr("Dismiss error"))
        dismiss.setText(self.tr("Dismiss"))
        dismiss.setAutoRaise(True)
        dismiss.clicked.connect(self._banner.hide)
        row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self._banner.hide()
        return self._banner

    def _build_empty_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("emptyState")
        page.setAccessibleName(self.tr("No model loaded"))
        outer = QVBoxLayout(page)
        outer.addStretch(2)
        content = QWidget(page)
        content.setObjectName("emptyStateContent")
        content.setFixedWidth(480)
        column = QVBoxLayout(content)
        column.setSpacing(14)

        title = QLabel(self.tr("Welcome to Hearth"), content)
        title.setObjectName("emptyStateTitle")
        title.setAccessibleName(self.tr("Welcome to Hearth"))
        title.setFont(_scaled_font(self.font(), 2.0, bold=True))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(title)

        line = QLabel(
            self.tr(
                "Open a GGUF model to start chatting. "
                "Hearth runs entirely on this computer: nothing you type leaves it."
            ),
            content,
        )
        line.setObjectName("emptyStateText")
        line.setAccessibleName(self.tr("What to do"))
        line.setWordWrap(True)
        line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(line)
        column.addSpacing(8)

        self._open_button = QPushButton(self.tr("Open a GGUF model…"), content)
        self._open_button.setObjectName("openModelButton")
        self._open_button.setAccessibleName(self.tr("Open a GGUF model"))
        self._open_button.setDefault(True)
        self._open_button.setFont(_scaled_font(self.font(), 1.15, bold=True))
        self._open_button.setMinimumHeight(44)
        self._open_button.setMinimumWidth(240)
        self._open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self._open_button.clicked.connect(self._choose_model)
        column.addWidget(self._open_button, 0, Qt.AlignmentFlag.AlignHCenter)

        hint = _muted(QLabel(self.tr("You can also drop a .gguf file on this window."), content))
        hint.setObjectName("emptyStateHint")
        hint.setAccessibleName(self.tr("Hint"))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(hint)
        if self._models is not None:
            column.addSpacing(8)
            for widget in self._models.build_welcome_widgets(content):
                column.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)

        self._empty_loading = QLabel(content)
        self._empty_loading.setObjectName("emptyStateLoading")
        self._empty_loading.setAccessibleName(self.tr("Loading"))
        self._empty_loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty_loading.hide()
        column.addWidget(self._empty_loading)

        centered = QHBoxLayout()
        centered.addStretch(1)
        centered.addWidget(content)
        centered.addStretch(1)
        outer.addLayout(centered)
        outer.addStretch(3)
        return page

    def _build_chat_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("chatPage")
        page.setAccessibleName(self.tr("Chat"))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QFrame(page)
        header.setObjectName("chatHeader")
        header.setAccessibleName(self.tr("Model"))
        header.setStyleSheet("#chatHeader { border-bottom: 1px solid palette(mid); }")
        header_row = QHBoxLayout(header)
        header_row.setContentsMargins(20, 10, 12, 10)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self._model_title = QLabel(header)
        self._model_title.setObjectName("modelTitle")
        self._model_title.setAccessibleName(self.tr("Model name"))
        self._model_title.setFont(_scaled_font(self.font(), 1.2, bold=True))
        self._model_title.setTextFormat(Qt.TextFormat.PlainText)
        titles.addWidget(self._model_title)
        self._format_label = _muted(QLabel(header))
        self._format_label.setObjectName("chatFormatLabel")
        self._format_label.setAccessibleName(self.tr("Chat format"))
        self._format_label.setTextFormat(Qt.TextFormat.PlainText)
        self._format_label.setWordWrap(True)
        titles.addWidget(self._format_label)
        header_row.addLayout(titles, 1)
        new_chat = QPushButton(self.tr("New chat"), header)
        new_chat.setObjectName("newChatButton")
        new_chat.setAccessibleName(self.tr("New chat"))
        new_chat.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        new_chat.clicked.connect(self._new_chat)
        header_row.addWidget(new_chat, 0, Qt.AlignmentFlag.AlignVCenter)
        self._new_chat_button = new_chat
        if self._models is not None:
            header_row.addWidget(self._models.picker, 0, Qt.AlignmentFlag.AlignVCenter)
        open_model = QPushButton(self.tr("Open model…"), header)
        open_model.setObjectName("headerOpenModelButton")
        open_model.setAccessibleName(self.tr("Open model"))
        open_model.setToolTip(self.tr("Open a GGUF model (Ctrl+O)"))
        open_model.clicked.connect(self._choose_model)
        header_row.addWidget(open_model, 0, Qt.AlignmentFlag.AlignVCenter)
        self._header_open_button = open_model
        layout.addWidget(header)

        self._chat_view = ChatView(page)
        self._chat_view.setModel(self._chat_model)
        layout.addWidget(self._chat_view, 1)

        composer_area = QWidget(page)
        composer_area.setObjectName("composerArea")
        area_row = QHBoxLayout(composer_area)
        area_row.setContentsMargins(16, 8, 16, 14)
        frame = QFrame(composer_area)
        frame.setObjectName("composerFrame")
        frame.setStyleSheet(
            "#composerFrame { border: 1px solid palette(mid); border-radius: 10px;"
            " background: palette(base); }"
        )
        frame_row = QHBoxLayout(frame)
        frame_row.setContentsMargins(10, 6, 6, 6)
        frame_row.setSpacing(8)
        self._composer = Composer(frame)
        self._composer.submitted.connect(self._send)
        self._composer.viewport().installEventFilter(self)
        frame_row.addWidget(self._composer, 1)
        self._send_button = QPushButton(self.tr("Send"), frame)
        self._send_button.setObjectName("sendButton")
        self._send_button.setAccessibleName(self.tr("Send"))
        self._send_button.setMinimumWidth(84)
        self._send_button.setMinimumHeight(34)
        self._send_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._send_button.clicked.connect(self._send_or_stop)
        frame_row.addWidget(self._send_button, 0, Qt.AlignmentFlag.AlignBottom)
        area_row.addWidget(frame)
        layout.addWidget(composer_area)
        return page

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
        bridge.model_unloaded.connect(self._on_model_unloaded)
        bridge.text_received.connect(self._on_text)
        bridge.tokens_streamed.connect(self._on_tokens_streamed)
        bridge.turn_finished.connect(self._on_turn_finished)
        bridge.busy_changed.connect(self._update_controls)

    def _show_latest_conversation(self) -> None:
        try:
            self._store.mark_interrupted_answers()
            conversation = self._store.latest_conversation()
            messages = self._store.messages(conversation.id) if conversation else []
        except StoreError as exc:
            self.show_error(str(exc))
            return
        if conversation is None:
            return
        self._conversation_id = conversation.id
        self._chat_model.set_messages(messages)
        self._set_title(conversation.title)
        for message in reversed(messages):
            if message.role is Role.ASSISTANT and message.stats is not None:
                self._stats_label.setText(" · ".join(format_stats(message.stats)))
                break
        self._chat_view.scroll_to_end()
        self._show_page()

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

    # Gestures

    @Slot()
    def _choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a GGUF model"),
            str(Path(self._settings.last_model_path).parent)
            if self._settings.last_model_path
            else "",
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
        if self._conversation_id is None:
            try:
                conversation = self._store.create_conversation(
                    system_prompt=self._settings.system_prompt
                )
            except StoreError as exc:
                self.show_error(str(exc))
                return
            self._conversation_id = conversation.id
        first_message = self._chat_model.rowCount() == 0
        if not self._bridge.send(self._conversation_id, text, self._params):
            return
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

    @Slot()
    def _new_chat(self) -> None:
        if self._bridge.is_generating:
            self._bridge.stop()
        self._stream_visible = False
        self._conversation_id = None
        self._chat_model.clear()
        self._stats_label.clear()
        self._set_title("")
        self._show_page()
        self._composer.setFocus()

    @Slot()
    def _show_about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setAccessibleName(self.tr("About Hearth"))
        box.setWindowTitle(self.tr("About Hearth"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.tr("<h3>Hearth %1</h3>").replace("%1", __version__))
        box.setInformativeText(
            self.tr(
                "A private AI assistant. Hearth runs entirely on this computer: "
                "your conversations and models stay here."
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # Drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event.mimeData())
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        models = [path for path in files if path.lower().endswith(MODEL_SUFFIX)]
        if len(files) == 1 and len(models) == 1:
            self.open_model(models[0])
            return
        message = (
            self.tr("Drop one model file at a time.")
            if len(models) > 1
            else self.tr("Only GGUF model files (.gguf) can be opened: %1").replace(
                "%1", ", ".join(Path(path).name for path in files)
            )
        )
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A file dropped on the composer opens the file instead of pasting its path.
        if watched is self._composer.viewport():
            kind = event.type()
            if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and (
                _local_files(event.mimeData())  # type: ignore[attr-defined]
            ):
                if kind == QEvent.Type.Drop:
                    self.dropEvent(event)  # type: ignore[arg-type]
                else:
                    event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        return super().eventFilter(watched, event)

    # Bridge signals

    @Slot(str)
    def _on_model_loading(self, path: str) -> None:
        message = self.tr("Loading %1…").replace("%1", Path(path).name)
        self._banner.hide()
        self._progress.show()
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
            return self.tr(
                "the built-in %1 format (the model's own template could not be used)"
            ).replace("%1", info.format_name)
        return self.tr("the built-in %1 format (the model has no chat template)").replace(
            "%1", info.format_name
        )

    def _on_model_loaded(self, info: ModelInfo) -> None:
        self._progress.hide()
        self._empty_loading.hide()
        self._banner.hide()
        self.statusBar().showMessage(
            self.tr("%1 is ready.").replace("%1", info.name), STATUS_TIMEOUT_MS
        )
        self._model_label.setText(info.name)
        self._model_label.setToolTip(info.path)
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
        if self._models is not None:
            self._models.set_current_path(info.path)
        self._update_controls()

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
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
        if self._settings.last_model_path == path:
            return
        self._settings = replace(self._settings, last_model_path=path)
        try:
            save_settings(self._config_dir, self._settings)
        except OSError as exc:
            self.show_error(
                self.tr("Could not save the settings: %1").replace("%1", exc.strerror or str(exc))
            )

    @Slot(str)
    def _set_models_dir(self, folder: str) -> None:
        if self._models is None:
            return
        self._settings = replace(self._settings, models_dir=folder)
        try:
            save_settings(self._config_dir, self._settings)
        except OSError as exc:
            self.show_error(
                self.tr("Could not save the settings: %1").replace("%1", exc.strerror or str(exc))
            )
        self._models.service.set_models_dir(Path(folder))

    def _set_title(self, conversation_title: str) -> None:
        if conversation_title:
            self.setWindowTitle(self.tr("%1 — Hearth").replace("%1", conversation_title))
        else:
            self.setWindowTitle(self.tr("Hearth"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._models is not None:
            self._models.close()
        if not self._bridge.shutdown(SHUTDOWN_TIMEOUT_MS):
            log.warning("The engine thread did not stop within %d ms", SHUTDOWN_TIMEOUT_MS)
        event.accept()
        super().closeEvent(event)
