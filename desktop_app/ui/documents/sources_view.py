"""The sources under an answer: one link per numbered passage the answer was given.

Each link reads "[2] report.pdf, page 3"; hovering shows the passage; a click opens the
file with the system's viewer (``QDesktopServices``), a PDF at its page where the
viewer honours ``#page=N``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from desktop_app.core.documents.attachments import Source

PASSAGE_TOOLTIP_CHARS = 600


def source_tooltip(source: Source) -> str:
    """The file and (the start of) the passage, shown when the pointer rests on a source."""
    passage = " ".join(source.passage.split())
    if len(passage) > PASSAGE_TOOLTIP_CHARS:
        passage = passage[: PASSAGE_TOOLTIP_CHARS - 1] + "…"
    return f"{source.path}\n\n{passage}"


def open_source(source: Source) -> bool:
    url = source.open_url()
    return bool(url) and QDesktopServices.openUrl(QUrl(url))


class SourcesView(QWidget):
    opened = Signal(object)
    """A source the user clicked (a ``Source``)."""

    def __init__(
        self,
        sources: Sequence[Source],
        parent: QWidget | None = None,
        opener: Callable[[Source], bool] = open_source,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sourcesView")
        self._opener = opener
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Sources:"), self)
        layout.addWidget(title)
        for source in sources:
            link = QToolButton(self)
            link.setObjectName(f"source_{source.number}")
            link.setText(source.label)
            link.setAutoRaise(True)
            link.setToolTip(source_tooltip(source))
            link.clicked.connect(lambda _=False, s=source: self._open(s))
            layout.addWidget(link)
        layout.addStretch(1)

    def _open(self, source: Source) -> None:
        self._opener(source)
        self.opened.emit(source)
