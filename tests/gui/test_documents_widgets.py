"""The documents widgets with real clicks: attaching files, the sources of an answer,
and Settings → Documents with background indexing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QHelpEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QPushButton,
    QToolButton,
    QToolTip,
)
from pytestqt.qtbot import QtBot

from desktop_app.core.documents.attachments import Source
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.service import IndexingService
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.documents.attachments_bar import AttachmentsBar
from desktop_app.ui.documents.documents_page import DocumentsPage, IndexingRelay
from desktop_app.ui.documents.sources import source_link

WAIT_MS = 20_000


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "notes.md"
    good.write_text("# Plan\n\nThe meeting is on Tuesday.\n", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    other = tmp_path / "wall.txt"
    other.write_text("长城很长。", encoding="utf-8")
    return {"good": good, "binary": binary, "other": other}


def test_paperclip_drop_and_paste_attach_files_as_chips(
    qtbot: QtBot, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    composer = Composer()
    bar = AttachmentsBar()
    bar.watch(composer)
    qtbot.addWidget(composer)
    qtbot.addWidget(bar)
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        lambda *a, **k: ([str(files["good"]), str(files["binary"])], ""),
    )
    qtbot.mouseClick(bar.findChild(QToolButton, "attachButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.pending(), timeout=WAIT_MS)
    good, bad = bar.chips()
    assert good.label.text() == "notes.md · 35 B · 9 tokens"
    assert bad.label.text() == "photo.txt · cannot attach"
    assert "binary data, not text" in bad.label.toolTip()

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["other"]))])
    drop = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    # Qt delivers drop events only during a real drag, which offscreen tests cannot start;
    # the bar's filter on the composer's viewport is handed the drop as Qt would.
    enter = QDragEnterEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    assert bar.eventFilter(composer.viewport(), enter) and enter.isAccepted()
    assert bar.eventFilter(composer.viewport(), drop)
    qtbot.waitUntil(lambda: len(bar.chips()) == 3 and not bar.pending(), timeout=WAIT_MS)

    QGuiApplication.clipboard().setMimeData(_urls(files["good"]))
    composer.setFocus()
    qtbot.keySequence(composer, QKeySequence.StandardKey.Paste)
    qtbot.waitUntil(lambda: len(bar.chips()) == 4 and not bar.pending(), timeout=WAIT_MS)
    assert composer.toPlainText() == ""  # the files were attached, not pasted as text

    qtbot.mouseClick(bad.findChild(QToolButton, "removeAttachment"), Qt.MouseButton.LeftButton)
    assert len(bar.chips()) == 3
    taken = bar.take()
    assert [a.name for a in taken] == ["notes.md", "wall.txt", "notes.md"]
    assert "The meeting is on Tuesday." in taken[0].text and bar.chips() == []


def _urls(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_source_links_show_the_passage_and_open_the_file_at_its_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources = [
        Source(1, "report.pdf", "/docs/report.pdf", 3, None, "Revenue grew by ten percent."),
        Source(2, "guide.md", "/docs/guide.md", None, "Setup", "Run the installer."),
    ]
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    first, second = (source_link(source) for source in sources)
    assert first.label == "[1] report.pdf, page 3"
    assert "Revenue grew by ten percent." in first.tooltip
    assert second.label == "[2] guide.md, Setup"
    first.activate()
    assert [url.toString() for url in opened] == ["file:///docs/report.pdf#page=3"]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[IndexingService]:
    index = DocumentIndex.open(tmp_path / "documents.sqlite3")
    relay = IndexingRelay()
    running = IndexingService(index, relay)
    running.relay = relay  # type: ignore[attr-defined]
    running.start()
    yield running
    running.close()
    index.close()


def test_documents_page_indexes_in_the_background_and_shows_errors(
    qtbot: QtBot, service: IndexingService, files: dict[str, Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    page = DocumentsPage(service, service.relay, service.index)  # type: ignore[attr-defined]
    qtbot.addWidget(page)
    page.show()
    assert "keywords only (BM25)" in page.findChild(type(page._mode), "searchMode").text()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    qtbot.mouseClick(page.findChild(QPushButton, "addCollection"), Qt.MouseButton.LeftButton)

    def indexed() -> bool:
        item = page.collections.item(0)
        return item is not None and "up to date" in item.text()

    qtbot.waitUntil(indexed, timeout=WAIT_MS)
    assert page.collections.item(0).text().startswith(f"{tmp_path.name} — 2 files")
    assert "1 failed" in page.collections.item(0).text()
    errors = [page.details.item(i).text() for i in range(page.details.count())]
    assert errors == ["photo.txt: binary data, not text (is the file name's extension wrong?)"]

    pause = page.findChild(QPushButton, "pauseCollection")
    qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
    assert "paused" in page.collections.item(0).text() and pause.text() == "Resume"
    qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(indexed, timeout=WAIT_MS)

    qtbot.mouseClick(page.findChild(QPushButton, "removeCollection"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.collections.count() == 0, timeout=WAIT_MS)


def test_chat_header_picker_chooses_collections_per_conversation(
    qtbot: QtBot, tmp_path: Path, files: dict[str, Path]
) -> None:
    from desktop_app.ui.documents.collection_picker import CollectionPicker

    index = DocumentIndex.open(tmp_path / "documents.sqlite3")
    index.add_collection("Manuals", tmp_path)
    index.add_collection("Notes", tmp_path)
    picker = CollectionPicker(index)
    qtbot.addWidget(picker)
    picker.show()
    picker.show_conversation(7)
    assert picker.text() == "Documents"
    menu = picker.menu()
    menu.aboutToShow.emit()
    [manuals, notes] = menu.actions()
    notes.trigger()
    assert picker.text() == "Documents (1)"
    assert [c.name for c in index.chat_collections(7)] == ["Notes"]
    picker.show_conversation(8)  # another chat has its own choice
    assert picker.text() == "Documents" and index.chat_collections(8) == []
    picker.show_conversation(7)
    assert picker.text() == "Documents (1)"
    index.remove_collection("Notes")
    assert index.chat_collections(7) == [] and manuals.text() == "Manuals"
    index.close()


def _ask(qtbot: QtBot, hearth, text: str) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.helpers import ANSWER_TIMEOUT_MS, answer_finished

    composer = hearth.window.findChild(Composer, "composer")
    qtbot.keyClicks(composer, text)
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)


def _link_labels(view, row: int) -> list[str]:  # type: ignore[no-untyped-def]
    from desktop_app.ui.chat.model import ChatRoles

    return [link.label for link in view.model().index(row, 0).data(ChatRoles.LINKS) or []]


def test_window_attaches_a_file_and_shows_the_answers_sources(
    launch, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path,  # type: ignore[no-untyped-def]
    files: dict[str, Path],
) -> None:  # fmt: skip
    from desktop_app.core.chats.export import export_text
    from desktop_app.core.chats.importer import parse_export
    from desktop_app.core.chats.model import Role
    from desktop_app.core.documents.attachments import answer_sources, conversation_attachments
    from desktop_app.ui.chat.model import ChatRoles
    from desktop_app.ui.chat.view import ChatView
    from tests.gui.helpers import SHORT_ANSWER, RecordingEngine, child, open_model

    engine = RecordingEngine.recorder()
    hearth = launch(generation_params=SHORT_ANSWER, engine_factory=engine)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(files["good"])], ""))
    bar = child(window, AttachmentsBar, "attachmentsBar")
    qtbot.mouseClick(child(window, QToolButton, "attachButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(bar.chips()) == 1 and not bar.pending(), timeout=WAIT_MS)
    _ask(qtbot, hearth, "When is the meeting?")
    assert bar.chips() == []
    conversation_id = window.conversation_id or -1
    question, answer = hearth.store.messages(conversation_id)
    # The question is stored as typed; the file goes with it, not into its text.
    assert question.role is Role.USER and question.content == "When is the meeting?"
    assert [a.name for a in conversation_attachments(hearth.store, conversation_id)] == ["notes.md"]
    assert "The meeting is on Tuesday." in engine.received[-1][0][-1].content
    view = child(window, ChatView, "chatView")
    qtbot.waitUntil(lambda: _link_labels(view, 1) == ["[1] notes.md"], timeout=WAIT_MS)
    assert "Attached: notes.md" in view.model().index(0, 0).data(ChatRoles.FOOTER)
    assert [s.label for s in answer_sources(hearth.store, answer.id)] == ["[1] notes.md"]

    # The source under the answer: the passage on hover, a click opens the file.
    row = view.model().index(1, 0)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.activateWindow()  # item views show tooltips only in the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    view.scrollToBottom()

    def link_in_place() -> bool:  # the rows laid out with their measured heights
        rect = view.delegate.link_rect(row, 0)
        return rect is not None and view.indexAt(rect.center()) == row

    qtbot.waitUntil(link_in_place, timeout=WAIT_MS)
    rect = view.delegate.link_rect(row, 0)
    assert rect is not None and view.viewport().rect().contains(rect.center())
    viewport = view.viewport()
    QApplication.sendEvent(
        viewport,
        QHelpEvent(QEvent.Type.ToolTip, rect.center(), viewport.mapToGlobal(rect.center())),
    )
    assert "The meeting is on Tuesday." in QToolTip.text()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert [url.toLocalFile() for url in opened] == [str(files["good"])]

    # A follow-up question in the same chat still has the file.
    _ask(qtbot, hearth, "Which day was that?")
    assert "The meeting is on Tuesday." in engine.received[-1][0][-1].content
    follow_up = hearth.store.messages(conversation_id)[-1]
    assert [s.label for s in answer_sources(hearth.store, follow_up.id)] == ["[1] notes.md"]
    qtbot.waitUntil(lambda: _link_labels(view, 3) == ["[1] notes.md"], timeout=WAIT_MS)

    # Export and import keep the file with the chat.
    exported = export_text(hearth.store, hearth.store.conversation(conversation_id), True)
    [imported] = hearth.store.import_conversations(parse_export(exported))
    assert [a.name for a in conversation_attachments(hearth.store, imported)] == ["notes.md"]

    # After a restart the chat shows its sources and files, and still uses the file.
    assert hearth.close()
    files["good"].unlink()  # the file's text was stored with the chat
    again = launch(generation_params=SHORT_ANSWER, engine_factory=engine)
    open_model(qtbot, again.window, monkeypatch, tiny_model)
    again.window.show_conversation(conversation_id)
    view = child(again.window, ChatView, "chatView")
    qtbot.waitUntil(lambda: _link_labels(view, 1) == ["[1] notes.md"], timeout=WAIT_MS)
    assert "Attached: notes.md" in view.model().index(0, 0).data(ChatRoles.FOOTER)
    _ask(qtbot, again, "And the time?")
    assert "The meeting is on Tuesday." in engine.received[-1][0][-1].content


def test_a_chat_started_from_a_preset_answers_from_its_collections(
    launch, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path,  # type: ignore[no-untyped-def]
    files: dict[str, Path],
) -> None:  # fmt: skip
    import json

    from desktop_app.core.documents.attachments import answer_sources
    from desktop_app.core.documents.index import DATABASE_NAME
    from desktop_app.core.documents.indexer import Indexer
    from desktop_app.core.paths import app_paths
    from desktop_app.core.presets import PresetLibrary
    from desktop_app.ui.documents.collection_picker import CollectionPicker
    from tests.gui.helpers import ANSWER_TIMEOUT_MS, SHORT_ANSWER, answer_finished, open_model

    paths = app_paths()
    paths.ensure()
    index = DocumentIndex.open(paths.data_dir / DATABASE_NAME)
    Indexer(index).run(index.add_collection("notes", files["good"].parent))
    index.close()
    preset_file = files["good"].parent.parent / "preset.json"
    preset_file.write_text(
        json.dumps({"id": "planner", "name": "Planner", "collections": ["notes"]}),
        encoding="utf-8",
    )
    PresetLibrary(paths.config_dir).import_file(preset_file)

    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    window.new_chat()
    combo = window.findChild(QComboBox, "presetCombo")
    combo.setCurrentIndex(combo.findData("planner"))
    composer = window.findChild(Composer, "composer")
    qtbot.keyClicks(composer, "When is the meeting?")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    picker = window.findChild(CollectionPicker)
    assert picker.chosen() == ["notes"] and picker.text() == "Documents (1)"
    qtbot.waitUntil(lambda: "no embedding model" in picker.toolTip(), timeout=WAIT_MS)
    picker.menu().aboutToShow.emit()
    [note] = [a for a in picker.menu().actions() if a.objectName() == "searchNote"]
    assert note.text() == "Keyword search only (no embedding model)" and not note.isEnabled()
    answer = hearth.store.messages(window.conversation_id or -1)[-1]
    [source] = answer_sources(hearth.store, answer.id)
    assert source.name == "notes.md" and "The meeting is on Tuesday." in source.passage


def test_window_searches_by_meaning_too_when_an_embedding_model_is_installed(
    launch, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tiny_model: Path,  # type: ignore[no-untyped-def]
    tiny_embedder: Path, tmp_path: Path,
) -> None:  # fmt: skip
    import threading

    from desktop_app.core.documents.attachments import answer_sources
    from desktop_app.core.documents.embedder import EmbeddingEngine
    from desktop_app.core.models.library import Library
    from desktop_app.core.paths import app_paths
    from desktop_app.ui.chat.model import ChatRoles
    from desktop_app.ui.chat.view import ChatView
    from desktop_app.ui.documents.collection_picker import CollectionPicker
    from tests.gui.helpers import SHORT_ANSWER, child, open_model

    paths = app_paths()
    paths.ensure()
    Library(paths.models_dir).import_file(tiny_embedder)
    long_file = tmp_path / "long.md"
    filler = "\n\n".join(f"# Part {i}\n\n" + "Nothing to see here. " * 60 for i in range(60))
    long_file.write_text(filler + "\n\n# Answer\n\nThe password is swordfish.\n", "utf-8")
    embedded_on: list[threading.Thread] = []
    original = EmbeddingEngine.embed_query

    def spy(self: EmbeddingEngine, text: str):  # type: ignore[no-untyped-def]
        embedded_on.append(threading.current_thread())
        return original(self, text)

    monkeypatch.setattr(EmbeddingEngine, "embed_query", spy)
    hearth = launch(generation_params=SHORT_ANSWER)
    window = hearth.window
    open_model(qtbot, window, monkeypatch, tiny_model)
    picker = child(window, CollectionPicker, "collectionPicker")
    qtbot.waitUntil(lambda: "Hybrid search" in picker.toolTip(), timeout=WAIT_MS)
    assert "tiny-embed" in picker.toolTip()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(long_file)], ""))
    bar = child(window, AttachmentsBar, "attachmentsBar")
    qtbot.mouseClick(child(window, QToolButton, "attachButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(bar.chips()) == 1 and not bar.pending(), timeout=WAIT_MS)
    _ask(qtbot, hearth, "What is the password?")
    # The question was embedded, on a worker thread, and the passages ranked by both.
    assert embedded_on and threading.main_thread() not in embedded_on
    answer = hearth.store.messages(window.conversation_id or -1)[-1]
    sources = answer_sources(hearth.store, answer.id)
    assert sources and any("swordfish" in source.passage for source in sources)
    view = child(window, ChatView, "chatView")
    footer = view.model().index(1, 0).data(ChatRoles.FOOTER)
    assert "relevant passages retrieved" in footer and "BM25" not in footer


def test_documents_page_refreshes_once_for_a_burst_of_events(
    qtbot: QtBot, service: IndexingService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.core.documents.service import IndexingEvent
    from desktop_app.ui.documents.documents_page import REFRESH_INTERVAL_MS

    index = DocumentIndex.open(tmp_path / "documents.sqlite3")  # the window's own connection
    index.add_collection("Notes", tmp_path)
    page = DocumentsPage(service, service.relay, index)  # type: ignore[attr-defined]
    qtbot.addWidget(page)
    reads: list[str] = []
    original = index.status
    monkeypatch.setattr(index, "status", lambda *a: reads.append("status") or original(*a))
    page.refresh()
    one_refresh = len(reads)
    reads.clear()
    for _ in range(20):  # e.g. many small collections finishing one after another
        service.relay(IndexingEvent("Notes", removed=True))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(reads), timeout=WAIT_MS)
    qtbot.wait(REFRESH_INTERVAL_MS * 2)
    assert len(reads) == one_refresh
    index.close()
