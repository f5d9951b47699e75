"""An answer's sources as links under it (``MessageLink``s drawn by the chat view).

Each link reads "[2] report.pdf, page 3"; hovering shows the file and the passage; a
click opens the file with the system's viewer (``QDesktopServices``), a PDF at its page
where the viewer honours ``#page=N``.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop_app.core.documents.attachments import Source
from desktop_app.ui.extensions.api import MessageLink

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


def source_link(source: Source) -> MessageLink:
    return MessageLink(source.label, source_tooltip(source), partial(open_source, source))
