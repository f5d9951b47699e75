"""Text out of a file, in sections that remember where they came from.

Each format goes to a maintained extractor: PDF to pypdfium2 (PDFium, the engine of
Chrome's viewer: fast, robust on damaged files, one section per page), DOCX to
python-docx (paragraphs, with the current heading as the locator), HTML to the
standard library's ``html.parser`` (visible text, headings as locators), and text,
Markdown, source code, CSV and JSON through charset-normalizer, which finds the
encoding of text that is not UTF-8 and tells text from binary. Every failure is an
``ExtractionError`` with a one-line message for the collection's status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from desktop_app.core.hardware import format_bytes

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Larger files are refused: their text would not be useful, and reading them stalls."""


def _words(*lines: str) -> list[str]:
    """The words of some lines of text (long word lists, written compactly)."""
    return " ".join(lines).split()


TEXT_SUFFIXES = frozenset(
    _words(
        ".txt .text .md .markdown .rst .org .log .tex .csv .tsv .json .jsonl .yaml .yml "
        ".toml .ini .cfg .xml .py .pyi .js .jsx .ts .tsx .c .h .cc .cpp .hpp .cs .java .kt "
        ".go .rs .rb .php .swift .m .scala .sh .bash .zsh .ps1 .bat .sql .r .lua .pl .css "
        ".scss .vue "
    )
)
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
DOCX_SUFFIXES = frozenset({".docx"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class ExtractionError(Exception):
    """The file's text cannot be had; the message says why in one line."""


@dataclass(frozen=True)
class Section:
    """A stretch of a document's text and where it is: a page and/or a heading."""

    text: str
    page: int | None = None
    """1-based page number (PDF)."""
    heading: str | None = None
    """The heading the text sits under (Markdown, DOCX, HTML)."""


@dataclass(frozen=True)
class Document:
    path: Path
    sections: tuple[Section, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(section.text for section in self.sections)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def check_size(size: int, limit: int = MAX_FILE_BYTES) -> None:
    if size > limit:
        raise ExtractionError(
            f"too large to index ({format_bytes(size)}; the limit is {format_bytes(limit)})"
        )


def extract(path: Path, data: bytes | None = None) -> Document:
    """The text of ``path`` (``data``: its bytes, when already read)."""
    suffix = path.suffix.lower()
    if data is None:
        try:
            size = path.stat().st_size
            check_size(size)
            data = path.read_bytes()
        except OSError as exc:
            raise ExtractionError(f"cannot read the file: {exc.strerror or exc}") from exc
    check_size(len(data))
    if suffix in PDF_SUFFIXES:
        sections = _pdf(data)
    elif suffix in DOCX_SUFFIXES:
        sections = _docx(data)
    elif suffix in HTML_SUFFIXES:
        sections = _html(decode_text(data))
    elif suffix in _MARKDOWN_SUFFIXES:
        sections = _markdown(decode_text(data))
    else:
        sections = [Section(decode_text(data))]
    kept = tuple(section for section in sections if section.text.strip())
    return Document(path, kept)


def decode_text(data: bytes) -> str:
    """Text from bytes in whatever encoding charset-normalizer finds; binary is refused."""
    if not data:
        return ""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("binary data, not text (is the file name's extension wrong?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError("binary data, not text (is the file name's extension wrong?)")
    return str(best)


def _pdf(data: bytes) -> list[Section]:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("the PDF is encrypted; it needs a password to open") from exc
        raise ExtractionError(f"not a readable PDF ({exc})") from exc
    try:
        sections: list[Section] = []
        for number in range(len(pdf)):
            page = pdf[number]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            sections.append(Section(text, page=number + 1))
    finally:
        pdf.close()
    if not any(section.text.strip() for section in sections):
        raise ExtractionError("the PDF has no text layer (scanned images?); OCR is not supported")
    return sections


def _docx(data: bytes) -> list[Section]:
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"not a readable DOCX file ({exc})") from exc
    sections: list[Section] = []
    heading: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if lines:
            sections.append(Section("\n\n".join(lines), heading=heading))
            lines.clear()

    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith("Heading") or style == "Title":
            flush()
            heading = text
            lines.append(text)
        else:
            lines.append(text)
    flush()
    for table in document.tables:
        rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
        if rows:
            sections.append(Section("\n".join(rows), heading=heading))
    return sections


def _markdown(text: str) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    lines: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _MARKDOWN_HEADING.match(line)
        if match:
            if lines:
                sections.append(Section("\n".join(lines), heading=heading))
            heading = match.group(2)
            lines = [line]
        else:
            lines.append(line)
    if lines:
        sections.append(Section("\n".join(lines), heading=heading))
    return sections


class _HtmlText(HTMLParser):
    """Visible text of an HTML page, cut into sections at its headings."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head"})
    _BLOCKS = frozenset(
        _words("p div br li tr h1 h2 h3 h4 h5 h6 section article pre blockquote table ul ol")
    )
    _HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = []
        self._heading: str | None = None
        self._parts: list[str] = []
        self._skip = 0
        self._in_heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._HEADINGS:
            self._flush()
            self._in_heading = []
        elif tag in self._BLOCKS:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._HEADINGS and self._in_heading is not None:
            self._heading = " ".join("".join(self._in_heading).split()) or None
            self._in_heading = None
            self._parts.append("\n")
        elif tag in self._BLOCKS:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_heading is not None:
            self._in_heading.append(data)
        self._parts.append(data)

    def _flush(self) -> None:
        text = "".join(self._parts)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if joined:
            self.sections.append(Section(joined, heading=self._heading))
        self._parts = []

    def close(self) -> None:
        super().close()
        self._flush()


def _html(text: str) -> list[Section]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return parser.sections
