"""The typed way a feature adds itself to the main window.

A feature is any object with a ``name`` and an ``install(api)`` method (``Feature``).
The composition root (``desktop_app.app.build``) makes the list of features and hands
each one a ``WindowApi`` for the window; there is no global registry and no import-time
registration, so a test can build a window with exactly the features it wants, and a
feature never imports ``main_window`` or reaches into the window's widgets.

What a feature can add, and where it shows:

- ``add_menu_action(Menu.CHAT, action)``: an action in a named menu of the menu bar
  (File, Chat, Settings, Help), in one of the menu's sections (``Section``).
- ``add_settings_page(factory)``: a page of the Settings dialog, built afresh each time
  the dialog opens, returning ``(title, widget)``; ``settings_pages`` lists them (the
  settings feature, ``ui/settings/feature.py``, builds the dialog with them).
- ``add_header_control(widget)``: a control in the chat header, beside the model picker.
- ``set_model_picker(picker)``: the chat header's model picker, after "New chat";
  ``host.model_picker`` returns it from then on (features install in order).
- ``add_welcome_widgets(factory)``: widgets on the welcome page (no model loaded),
  under "Open a GGUF model…".
- ``add_side_panel(widget)``: a panel left of the chat (the conversation list is one).
- ``add_attachment_provider(provider)``: items added to the next message sent.
- ``add_request_contributor(contributor)``: changes to the outgoing request (extra
  context text, generation parameters, the job that answers it) just before a
  message is sent.
- ``add_message_decorator(decorator)``: a line rendered under a message (sources, a
  tool-call step).
- ``add_message_links(provider)``: clickable links under a message (``MessageLink``:
  a label, a tooltip shown on hover, what a click does, and optional detail text shown
  under it), e.g. an answer's sources, or a tool step that a click opens.
- ``on_conversation_shown(callback)``, ``on_model_loaded(callback)``,
  ``on_new_chat(callback)``, ``on_settings_changed(callback)``, ``on_close(callback)``:
  notifications.

Example, a documents feature (lives in ``ui/documents/feature.py``; ``app.py`` adds
``DocumentsFeature(library)`` to its list; ``main_window.py`` is not touched)::

    class DocumentsFeature:
        name = "documents"

        def __init__(self, library: DocumentLibrary) -> None:
            self._library = library

        def install(self, api: WindowApi) -> None:
            action = QAction(QCoreApplication.translate("Documents", "Add &Document…"),
                             api.window)
            action.triggered.connect(self._choose_file)
            api.add_menu_action(Menu.FILE, action, Section.FEATURES)
            api.add_settings_page(lambda: ("Documents", DocumentsPage(self._library)))
            api.add_attachment_provider(self)
            api.add_message_decorator(self._sources_line)

        def take_attachments(self, conversation_id: int | None) -> list[Attachment]:
            return [Attachment(doc.name, doc.text) for doc in self._library.pending()]

        def _sources_line(self, message: MessageView) -> str | None:
            return self._library.sources_for(message.message_id)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow, QWidget

    from desktop_app.core.chats.store import Store
    from desktop_app.core.engine.base import GenerationParams, ModelInfo
    from desktop_app.core.presets import PresetLibrary
    from desktop_app.core.settings import Settings
    from desktop_app.ui.chat.model import ChatListModel
    from desktop_app.ui.chat.view import ChatView
    from desktop_app.ui.engine.worker import AnswerJob, EngineBridge
    from desktop_app.ui.models.picker import ModelPicker


class Menu(Enum):
    """The menus of the menu bar, left to right."""

    FILE = "fileMenu"
    CHAT = "chatMenu"
    SETTINGS = "settingsMenu"
    HELP = "helpMenu"


class Section(Enum):
    """Where in a menu an action goes; sections are separated by a line, in this order."""

    MAIN = "main"
    """The menu's own first actions (Open Model…, New Chat; Stop Generating)."""
    FEATURES = "features"
    """What features add (export/import, search, endpoints…)."""
    SETTINGS = "settings"
    """Settings… and what configures the app."""
    END = "end"
    """Last: Quit in File, About in Help."""


WelcomeWidgetsFactory = Callable[["QWidget"], "list[QWidget]"]
"""Builds a feature's widgets for the welcome page, given their parent."""

SettingsPageFactory = Callable[[], "tuple[str, QWidget]"]
"""Builds one Settings dialog page: its tab title and its widget (a fresh one per opening)."""


@dataclass(frozen=True)
class Attachment:
    """An item added to the next message: shown by its ``label``, sent as ``text``."""

    label: str
    text: str


class AttachmentProvider(Protocol):
    def take_attachments(self, conversation_id: int | None) -> list[Attachment]:
        """The items to add to the message being sent now; they are consumed."""
        ...


@dataclass
class OutgoingMessage:
    """A message about to be sent; request contributors may change it in place."""

    conversation_id: int
    text: str
    params: GenerationParams
    context: list[str] = field(default_factory=list)
    """Extra context blocks, sent before ``text`` in the same user turn."""
    answer_job: Callable[[str], AnswerJob] | None = None
    """Makes the job that answers, given the full text (None: a plain turn). A feature
    that needs more than text (files stored with the question, a search run on the
    engine thread) sets it; the job runs on the engine thread, inside ``job_wrappers``."""
    job_wrappers: list[Callable[[AnswerJob], AnswerJob]] = field(default_factory=list)
    """Each wraps the answer job, in order (the tools feature runs it in its tool loop)."""

    def full_text(self) -> str:
        return "\n\n".join([*self.context, self.text])

    def job(self, base: AnswerJob) -> AnswerJob:
        """``base`` (the job that answers ``full_text``) wrapped by ``job_wrappers``."""
        for wrap in self.job_wrappers:
            base = wrap(base)
        return base


RequestContributor = Callable[[OutgoingMessage], None]
"""Called with each outgoing message before it is sent (add context, change params)."""

AnswerJobAdapter = Callable[["AnswerJob"], "AnswerJob"]
"""Given the job of a Regenerate, Continue or Edit-and-resend (``core.chats.jobs``), on
the GUI thread, returns the job to run instead (or the same one); what it returns runs
on the engine thread, so it must not touch a database itself."""


@dataclass(frozen=True)
class MessageView:
    """What a message decorator is told about the message it may decorate."""

    message_id: int | None
    role: str
    text: str


MessageDecorator = Callable[[MessageView], "str | None"]
"""Returns a line to show under the message, or None for none."""


@dataclass(frozen=True)
class MessageLink:
    """A link shown under a message: ``label`` is drawn as a link, ``tooltip`` shows on
    hover, ``activate`` runs (on the GUI thread) when the user clicks it."""

    label: str
    tooltip: str
    activate: Callable[[], object]
    detail: str = ""
    """Text shown under the link, on its own lines (an opened tool step); empty: none."""


MessageLinkProvider = Callable[[MessageView], "list[MessageLink]"]
"""Returns the links to show under a finished message (none: an empty list)."""


class ChatWindow(Protocol):
    """What features may use of the main window beyond ``WindowApi``'s additions."""

    @property
    def store(self) -> Store: ...
    @property
    def bridge(self) -> EngineBridge: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def presets(self) -> PresetLibrary: ...
    @property
    def conversation_id(self) -> int | None: ...
    @property
    def chat_view(self) -> ChatView: ...
    @property
    def chat_model(self) -> ChatListModel: ...
    def open_model(self, path: str) -> None: ...
    def show_conversation(self, conversation_id: int, message_id: int | None = None) -> None: ...
    def show_error(self, message: str) -> None: ...
    def new_chat(self) -> None: ...
    @property
    def model_picker(self) -> ModelPicker | None: ...
    def save_settings(self, settings: Settings) -> None:
        """Keep and save settings a feature changed outside the Settings dialog."""
        ...

    def apply_settings(self, settings: Settings) -> None:
        """Use settings the Settings dialog saved; ``on_settings_changed`` callbacks follow."""
        ...

    def set_format_note(self, text: str) -> None:
        """Replace the chat header's prompt-format line (until the next model loads)."""
        ...

    def start_answer_job(
        self, job: AnswerJob, keep_rows: int, question: str | None = None
    ) -> bool: ...


class WindowApi(Protocol):
    """The window's side of the plug-in points, handed to ``Feature.install``."""

    @property
    def window(self) -> QMainWindow:
        """The window itself, as a parent for a feature's widgets, actions and dialogs."""
        ...

    @property
    def host(self) -> ChatWindow: ...
    def add_menu_action(
        self, menu: Menu, action: QAction, section: Section = Section.FEATURES
    ) -> None: ...
    def add_settings_page(self, factory: SettingsPageFactory) -> None: ...
    @property
    def settings_pages(self) -> list[SettingsPageFactory]:
        """The pages features added so far, in order (for the Settings dialog)."""
        ...

    def add_header_control(self, widget: QWidget) -> None: ...
    def set_model_picker(self, picker: ModelPicker) -> None: ...
    def add_welcome_widgets(self, factory: WelcomeWidgetsFactory) -> None: ...
    def add_side_panel(self, widget: QWidget) -> None: ...
    def add_attachment_provider(self, provider: AttachmentProvider) -> None: ...
    def add_request_contributor(self, contributor: RequestContributor) -> None: ...
    def add_answer_job_adapter(self, adapter: AnswerJobAdapter) -> None: ...
    def add_message_decorator(self, decorator: MessageDecorator) -> None: ...
    def add_message_links(self, provider: MessageLinkProvider) -> None: ...
    def on_conversation_shown(self, callback: Callable[[int], None]) -> None: ...
    def on_new_chat(self, callback: Callable[[], None]) -> None: ...
    def on_model_loaded(self, callback: Callable[[ModelInfo], None]) -> None: ...
    def on_settings_changed(self, callback: Callable[[Settings, Settings], None]) -> None:
        """Called with the previous and the new settings after the Settings dialog saves."""
        ...

    def on_close(self, callback: Callable[[], None]) -> None:
        """Called when the window closes (stop services, flush pending work)."""
        ...


class Feature(Protocol):
    """One feature of the window; ``install`` is called once, after the window is built."""

    name: str

    def install(self, api: WindowApi) -> None: ...


def install_features(api: WindowApi, features: list[Feature]) -> None:
    """Install each feature in order (the order of their menu actions and pages)."""
    for feature in features:
        feature.install(api)
