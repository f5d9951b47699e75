"""One message, laid out for the chat view's delegate to paint.

An answer is a stack of small ``QTextDocument``s: the "Thoughts" line (and, when
open, the thoughts), one document per group of settled Markdown blocks, and one for
the block still being written. A streaming update re-renders and re-lays out only
that last document, so its cost does not depend on how long the answer already is.
The settled documents keep their measured heights until the width changes.

A user's message is one plain-text document (what they typed, as typed).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPainter,
    QPalette,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)

from desktop_app.core.markdown.schemes import THOUGHTS_SCHEME
from desktop_app.core.markdown.thoughts import Thoughts, split_thoughts

LINE_HEIGHT_PERCENT = 125
BLOCK_GAP_EM = 0.6
"""Space between two Markdown blocks, in units of the font's line height."""
THOUGHTS_TOGGLE = f"{THOUGHTS_SCHEME}:toggle"


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark theme (light text on a dark background)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class SafeTextDocument(QTextDocument):
    """A text document that never loads anything: no images, no style sheets, no files.

    The HTML given to it has no ``<img>`` at all; this is the second lock on that door.
    """

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None


def _new_document(font: QFont, width: float) -> SafeTextDocument:
    document = SafeTextDocument()
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    document.setDefaultTextOption(option)
    document.setUndoRedoEnabled(False)
    if width > 0:
        document.setTextWidth(width)
    return document


def _roomy_lines(document: QTextDocument) -> None:
    spacing = QTextBlockFormat()
    spacing.setLineHeight(
        LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
    )
    cursor = QTextCursor(document)
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.mergeBlockFormat(spacing)


@dataclass
class _Piece:
    document: QTextDocument
    height: float
    joined: bool = False
    """Drawn right under the piece before it, without a gap (a long code block's stretches)."""


@dataclass
class ThoughtClock:
    """When a message's thoughts started and how long they took, as watched live.

    Kept by the view per message, so that it outlives the message's layout (which is
    rebuilt when the window is resized or the theme changes)."""

    started: float | None = None
    seconds: float | None = None


def thought_duration_text(seconds: float | None) -> str:
    if seconds is None:
        return QCoreApplication.translate("MessageDocument", "Thoughts")
    if seconds < 60:
        return QCoreApplication.translate("MessageDocument", "Thoughts (%1 s)").replace(
            "%1", str(max(1, round(seconds)))
        )
    return QCoreApplication.translate("MessageDocument", "Thoughts (%1 min)").replace(
        "%1", str(round(seconds / 60, 1))
    )


class MessageDocument:
    """The laid-out text of one message; see the module docstring.

    ``markdown`` renders the text as Markdown (answers); otherwise it is shown as plain
    text (the user's own messages). ``dark`` picks the code colours.
    """

    def __init__(
        self, font: QFont, *, markdown: bool, dark: bool, clock: ThoughtClock | None = None
    ) -> None:
        self._font = QFont(font)
        self._markdown = markdown
        self._dark = dark
        self._width = -1.0
        self._gap = BLOCK_GAP_EM * QFontMetricsF(font).lineSpacing()
        self._text: str | None = None
        self._pieces: list[_Piece] = []
        self._tops: list[float] = []
        """Where each settled piece starts, below the thoughts (for drawing what is in sight)."""
        self._settled_height = 0.0
        """Where the settled pieces end, below the thoughts."""
        self._tail: _Piece | None = None
        self._thoughts: Thoughts | None = None
        self._thoughts_open = False
        self._clock = clock or ThoughtClock()
        self._header: list[_Piece] = []
        # markdown-it and Pygments load with the first message shown, not with the window.
        from desktop_app.core.markdown.render import MarkdownRenderer, code_theme
        from desktop_app.core.markdown.stream import StreamingMarkdown

        self._renderer = MarkdownRenderer(
            code_theme(dark),
            copy_label=QCoreApplication.translate("MessageDocument", "Copy"),
            image_label=QCoreApplication.translate("MessageDocument", "Image: %1"),
        )
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        self._stylesheet = (
            self._renderer.stylesheet
            + f" pre, code {{ font-family: '{mono}'; }}"
            + f" p, li, blockquote {{ line-height: {LINE_HEIGHT_PERCENT}%; }}"
        )
        self._stream = StreamingMarkdown(self._renderer)
        self.updates = 0
        """How many times the text changed (for tests and benchmarks)."""
        self.header_builds = 0
        """How many times the "Thoughts" line was built (for tests and benchmarks)."""

    # Content

    @property
    def text(self) -> str | None:
        return self._text

    @property
    def has_thoughts(self) -> bool:
        return self._thoughts is not None

    @property
    def thoughts_open(self) -> bool:
        return self._thoughts_open

    def set_text(
        self, text: str, *, streaming: bool = False, generation_s: float | None = None
    ) -> None:
        """Show ``text``. While ``streaming``, text that only grew costs its last block.

        ``generation_s`` (how long the whole answer took) lets a saved answer estimate
        how long its thoughts took, when this session did not watch them stream.
        """
        if text == self._text:
            return
        self.updates += 1
        self._text = text
        if not self._markdown:
            self._set_plain(text)
            return
        thoughts, answer = split_thoughts(text)
        self._track_thought_time(thoughts, answer, text, streaming, generation_s)
        shown, self._thoughts = self._thoughts, thoughts
        if self._header_changes(shown, thoughts):
            self._build_header()
        update = self._stream.feed(answer)
        if update.reset:
            self._pieces.clear()
            self._tops.clear()
            self._settled_height = 0.0
        for html, joined in zip(update.settled, update.joined, strict=True):
            piece = self._html_piece(html)
            piece.joined = joined
            self._append_settled(piece)
        if self._tail is None:
            self._tail = _Piece(self._html_document(""), 0.0)
        self._tail.document.setHtml(update.tail.strip())
        self._tail.height = self._tail.document.size().height()
        self._tail.joined = update.tail_joined

    def _gap_before(self, piece: _Piece, first: bool) -> float:
        return 0.0 if first or piece.joined else self._gap

    def _append_settled(self, piece: _Piece) -> None:
        top = self._settled_height + self._gap_before(piece, not self._pieces)
        self._pieces.append(piece)
        self._tops.append(top)
        self._settled_height = top + piece.height

    def toggle_thoughts(self) -> None:
        """Open or close the "Thoughts" section."""
        self._thoughts_open = not self._thoughts_open
        self._build_header()

    def _track_thought_time(
        self,
        thoughts: Thoughts | None,
        answer: str,
        text: str,
        streaming: bool,
        generation_s: float | None,
    ) -> None:
        if thoughts is None:
            return
        now = time.monotonic()
        clock = self._clock
        if streaming and clock.started is None:
            clock.started = now
        if thoughts.finished and clock.seconds is None:
            if clock.started is not None:
                clock.seconds = now - clock.started
            elif generation_s is not None and text:
                # Not watched live: the share of the answer's time the thoughts' text took.
                clock.seconds = generation_s * (1 - len(answer) / len(text))

    def _header_changes(self, shown: Thoughts | None, thoughts: Thoughts | None) -> bool:
        """Whether the "Thoughts" line (or the open thoughts) must be drawn again.

        Closed, it shows only whether the thoughts finished: a streaming update inside
        ``<think>`` leaves it as it is instead of building it again for every piece.
        """
        if shown is None or thoughts is None or not self._header:
            return shown is not None or thoughts is not None
        if shown.finished != thoughts.finished:
            return True
        return self._thoughts_open and shown.text != thoughts.text

    def _build_header(self) -> None:
        self.header_builds += 1
        self._header = []
        thoughts = self._thoughts
        if thoughts is None:
            return
        if thoughts.finished:
            title = thought_duration_text(self._clock.seconds)
        else:
            title = QCoreApplication.translate("MessageDocument", "Thinking…")
        arrow = "▾" if self._thoughts_open else "▸"
        muted = self._renderer.theme.muted
        header = self._html_piece(
            f'<p><a href="{THOUGHTS_TOGGLE}" style="color: {muted}; text-decoration: none;">'
            f"{arrow} {_escape(title)}</a></p>"
        )
        self._header.append(header)
        if self._thoughts_open and thoughts.text:
            body = _new_document(self._font, self._width)
            body.setDefaultStyleSheet(self._stylesheet)
            paragraphs = "".join(
                f"<p>{_escape(line)}</p>" for line in thoughts.text.split("\n") if line.strip()
            )
            body.setHtml(f'<div style="color: {muted};"><i>{paragraphs}</i></div>')
            self._header.append(_Piece(body, body.size().height()))

    def _set_plain(self, text: str) -> None:
        document = _new_document(self._font, self._width)
        document.setPlainText(text)
        _roomy_lines(document)
        self._pieces = []
        self._tops = []
        self._settled_height = 0.0
        self._tail = _Piece(document, document.size().height())

    def _html_document(self, html: str) -> QTextDocument:
        document = _new_document(self._font, self._width)
        document.setDefaultStyleSheet(self._stylesheet)
        if html:
            document.setHtml(html.strip())  # a newline after the last tag would show as a space
        return document

    def _html_piece(self, html: str) -> _Piece:
        document = self._html_document(html)
        return _Piece(document, document.size().height())

    # Layout

    def _all_pieces(self) -> list[_Piece]:
        tail = [self._tail] if self._tail is not None else []
        return self._header + self._pieces + tail

    def set_width(self, width: float) -> None:
        """Wrap the text at ``width`` pixels (re-lays out everything if it changed)."""
        if width == self._width:
            return
        self._width = width
        for piece in self._all_pieces():
            piece.document.setTextWidth(width)
            piece.height = piece.document.size().height()
        pieces, self._pieces = self._pieces, []
        self._tops = []
        self._settled_height = 0.0
        for piece in pieces:
            self._append_settled(piece)

    def ideal_width(self) -> float:
        """The width the text needs without wrapping more than it must."""
        return max((piece.document.idealWidth() for piece in self._all_pieces()), default=0.0)

    def _tail_top(self) -> float:
        """Where the tail starts, below the thoughts."""
        if self._tail is None or not self._pieces:
            return self._settled_height
        return self._settled_height + self._gap_before(self._tail, False)

    def height(self) -> float:
        header = sum(piece.height + self._gap for piece in self._header)
        tail = self._tail.height if self._tail is not None else 0.0
        return header + self._tail_top() + tail

    def _placed(self, top: float = 0.0, bottom: float = float("inf")) -> list[tuple[float, _Piece]]:
        """(y, piece) for the pieces that meet the band from ``top`` to ``bottom``.

        Settled pieces are found by bisection, so a long answer costs only what is in sight.
        """
        placed: list[tuple[float, _Piece]] = []
        y = 0.0
        for piece in self._header:
            placed.append((y, piece))
            y += piece.height + self._gap
        first = max(0, bisect_right(self._tops, top - y) - 1)
        for index in range(first, len(self._pieces)):
            piece_top = y + self._tops[index]
            if piece_top > bottom:
                break
            placed.append((piece_top, self._pieces[index]))
        if self._tail is not None:
            placed.append((y + self._tail_top(), self._tail))
        return [
            (piece_y, piece)
            for piece_y, piece in placed
            if piece_y <= bottom and piece_y + piece.height >= top
        ]

    # Painting and hit testing

    def draw(self, painter: QPainter, text_color: QColor, clip: QRectF | None) -> None:
        """Paint at the painter's origin; only pieces that meet ``clip`` are drawn."""
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_color)
        band = (clip.top(), clip.bottom()) if clip is not None else (0.0, float("inf"))
        for y, piece in self._placed(*band):
            painter.save()
            painter.translate(0, y)
            if clip is not None:
                context.clip = clip.translated(0, -y)
            piece.document.documentLayout().draw(painter, context)
            painter.restore()

    def anchor_at(self, point: QPointF) -> str:
        """The link under ``point`` (relative to the text's top-left), or ""."""
        for y, piece in self._placed(point.y(), point.y()):
            if y <= point.y() < y + piece.height:
                return piece.document.documentLayout().anchorAt(QPointF(point.x(), point.y() - y))
        return ""

    def plain_text(self) -> str:
        """The visible text (for accessibility and tests)."""
        return "\n".join(piece.document.toPlainText() for piece in self._all_pieces())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
