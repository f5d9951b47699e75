"""Files attached to the next message: a paperclip button and a row of chips.

Files come from the paperclip's file dialog, from a drop onto the composer or from a
paste of copied files (``watch`` installs the drop and paste handling on the composer).
Each file is extracted on a worker thread (a PDF can take seconds); its chip shows the
name, the size and an estimate of the tokens it will take, or why it cannot be
attached. ``take`` hands the attached files over when the message is sent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from desktop_app.core.documents.attachments import Attachment, attach
from desktop_app.core.documents.extract import ExtractionError, is_supported
from desktop_app.core.hardware import format_bytes
from desktop_app.ui.shared.icons import themed_icon


class _Relay(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Extract(QRunnable):
    def __init__(self, relay: _Relay, ticket: int, path: Path) -> None:
        super().__init__()
        self._relay = relay
        self._ticket = ticket
        self._path = path

    def run(self) -> None:
        try:
            attachment = attach(self._path)
        except (ExtractionError, OSError) as exc:
            self._relay.failed.emit(self._ticket, str(exc))
            return
        except Exception as exc:  # a worker must never die silently
            self._relay.failed.emit(self._ticket, f"{exc.__class__.__name__}: {exc}")
            return
        self._relay.done.emit(self._ticket, attachment)


class Chip(QWidget):
    """One attached file: its name, size and tokens (or the error), and a remove button."""

    removed = Signal(int)

    def __init__(self, ticket: int, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ticket = ticket
        self.path = path
        self.attachment: Attachment | None = None
        self.error: str | None = None
        self.setObjectName(f"attachmentChip_{path.name}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 2, 2)
        self.label = QLabel(self.tr("%1 · reading…").replace("%1", path.name), self)
        self.label.setObjectName("attachmentLabel")
        remove = QToolButton(self)
        remove.setObjectName("removeAttachment")
        remove.setText("✕")
        remove.setToolTip(self.tr("Remove this file"))
        remove.setAccessibleName(self.tr("Remove this file"))
        remove.setAutoRaise(True)
        remove.clicked.connect(lambda: self.removed.emit(self.ticket))
        layout.addWidget(self.label)
        layout.addWidget(remove)
        self.setStyleSheet("Chip { border: 1px solid palette(mid); border-radius: 10px; }")

    def show_attachment(self, attachment: Attachment) -> None:
        self.attachment = attachment
        self.label.setText(
            self.tr("%1 · %2 · %3 tokens")
            .replace("%1", attachment.name)
            .replace("%2", format_bytes(attachment.size))
            .replace("%3", f"{attachment.tokens:,}")
        )
        self.label.setToolTip(attachment.path)

    def show_error(self, message: str) -> None:
        self.error = message
        self.label.setText(self.tr("%1 · cannot attach").replace("%1", self.path.name))
        self.label.setToolTip(message)
        self.label.setStyleSheet("color: palette(link-visited);")


class AttachmentsBar(QWidget):
    """The paperclip button and the chips of the files attached to the next message."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsBar")
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._chips: dict[int, Chip] = {}
        self._next = 0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.paperclip = QToolButton(self)
        self.paperclip.setObjectName("attachButton")
        self._show_paperclip_icon()
        self.paperclip.setToolTip(self.tr("Attach files to the next message"))
        self.paperclip.setAccessibleName(self.tr("Attach files"))
        self.paperclip.clicked.connect(self.choose_files)
        layout.addWidget(self.paperclip)
        self._chip_row = QHBoxLayout()
        layout.addLayout(self._chip_row)
        layout.addStretch(1)

    def _show_paperclip_icon(self) -> None:
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        self.paperclip.setIcon(themed_icon("paperclip", colour))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: redraw the icon
            self._show_paperclip_icon()

    def chips(self) -> list[Chip]:
        return list(self._chips.values())

    def pending(self) -> bool:
        """Whether some file is still being read."""
        return any(c.attachment is None and c.error is None for c in self._chips.values())

    @Slot()
    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Attach files"),
            "",
            self.tr(
                "Documents (*.txt *.md *.pdf *.docx *.html *.htm *.csv *.json *.py);;All files (*)"
            ),
        )
        self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            ticket = self._next
            self._next += 1
            chip = Chip(ticket, path, self)
            chip.removed.connect(self._remove)
            self._chips[ticket] = chip
            self._chip_row.addWidget(chip)
            self._pool.start(_Extract(self._relay, ticket, path))
        if paths:
            self.changed.emit()

    def attachments(self) -> list[Attachment]:
        """The attached files (those read without error)."""
        return [c.attachment for c in self._chips.values() if c.attachment is not None]

    def take(self) -> list[Attachment]:
        """The attached files (those read without error), and clear the bar."""
        taken = self.attachments()
        for ticket in list(self._chips):
            self._remove(ticket)
        return taken

    @Slot(int, object)
    def _done(self, ticket: int, attachment: Attachment) -> None:
        chip = self._chips.get(ticket)
        if chip is not None:
            chip.show_attachment(attachment)
            self.changed.emit()

    @Slot(int, str)
    def _failed(self, ticket: int, message: str) -> None:
        chip = self._chips.get(ticket)
        if chip is not None:
            chip.show_error(message)
            self.changed.emit()

    @Slot(int)
    def _remove(self, ticket: int) -> None:
        chip = self._chips.pop(ticket, None)
        if chip is not None:
            self._chip_row.removeWidget(chip)
            chip.deleteLater()
            self.changed.emit()

    def watch(self, composer: QWidget) -> None:
        """Take files dropped on, or pasted into, ``composer`` (drops on a text box land
        on its viewport)."""
        targets = [composer]
        viewport = getattr(composer, "viewport", None)
        if callable(viewport):
            targets.append(viewport())
        for target in targets:
            target.setAcceptDrops(True)
            target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            drag = event
            assert isinstance(drag, QDragEnterEvent)
            if _local_files(drag.mimeData()):
                drag.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            drop = event
            assert isinstance(drop, QDropEvent)
            files = _local_files(drop.mimeData())
            if files:
                self.add_files(files)
                drop.acceptProposedAction()
                return True
        elif kind == QEvent.Type.KeyPress:
            key = event
            assert isinstance(key, QKeyEvent)
            if key.matches(QKeySequence.StandardKey.Paste):
                files = _local_files(QGuiApplication.clipboard().mimeData())
                if files:
                    self.add_files(files)
                    return True
        return super().eventFilter(watched, event)


def _local_files(mime: object) -> list[Path]:
    """The document files among the URLs of ``mime``; other files (a model dropped on
    the window, say) are left to whoever else handles them."""
    if mime is None or not mime.hasUrls():  # type: ignore[attr-defined]
        return []
    urls = mime.urls()  # type: ignore[attr-defined]
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    return [path for path in paths if is_supported(path)]
