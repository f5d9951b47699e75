"""Cut a document into passages of about a token budget, along its own seams.

A section (a PDF page, the text under a heading) is never merged with the next one, so
every chunk has one locator. Inside a section, paragraphs are packed together up to the
budget; a paragraph longer than the budget is cut at sentence ends, and a sentence
longer than the budget at word (or, in Chinese, character) boundaries.

Tokens are estimated without a tokenizer: about four characters per token for
alphabetic text and one per CJK character, which is what common embedding and chat
tokenizers give within a factor that the budget's margin absorbs. The exact count, where
it matters (does a whole attachment fit the model's context?), comes from the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from desktop_app.core.documents.extract import Section

DEFAULT_CHUNK_TOKENS = 256

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\uff60]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s+|(?<=[。！？；])")


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate of how many tokens ``text`` takes (see module docstring)."""
    cjk = len(_CJK.findall(text))
    other = len(text) - cjk
    return cjk + (other + 3) // 4


def describe_location(page: int | None, heading: str | None) -> str:
    """Where a passage is, for people: "page 3", "Installation", "page 2 · Setup"."""
    parts = []
    if page is not None:
        parts.append(f"page {page}")
    if heading:
        parts.append(heading)
    return " · ".join(parts)


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    text: str
    page: int | None
    heading: str | None
    tokens: int

    @property
    def locator(self) -> str:
        return describe_location(self.page, self.heading)


def chunk_sections(sections: Iterable[Section], budget: int = DEFAULT_CHUNK_TOKENS) -> list[Chunk]:
    """The chunks of a document's sections, numbered from 0 in reading order."""
    chunks: list[Chunk] = []
    for section in sections:
        for text in _pack(_pieces(section.text, budget), budget):
            chunks.append(
                Chunk(len(chunks), text, section.page, section.heading, estimate_tokens(text))
            )
    return chunks


def _pieces(text: str, budget: int) -> Iterator[str]:
    """Paragraphs, each no longer than ``budget`` (long ones cut smaller)."""
    for paragraph in _PARAGRAPH_BREAK.split(text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if estimate_tokens(paragraph) <= budget:
            yield paragraph
            continue
        for sentence in _SENTENCE_END.split(paragraph):
            sentence = sentence.strip()
            if not sentence:
                continue
            if estimate_tokens(sentence) <= budget:
                yield sentence
            else:
                yield from _hard_cut(sentence, budget)


def _hard_cut(text: str, budget: int) -> Iterator[str]:
    """Cut at spaces (or anywhere, in text without them) to fit ``budget``."""
    start = 0
    while start < len(text):
        end = start
        used = 0.0
        while end < len(text) and used < budget:
            used += 1.0 if _CJK.match(text[end]) else 0.25
            end += 1
        if end < len(text):
            space = text.rfind(" ", start + 1, end)
            if space > start:
                end = space
        piece = text[start:end].strip()
        if piece:
            yield piece
        start = end


def _pack(pieces: Iterable[str], budget: int) -> Iterator[str]:
    current = ""
    for piece in pieces:
        candidate = f"{current}\n\n{piece}" if current else piece
        if current and estimate_tokens(candidate) > budget:
            yield current
            candidate = piece
        current = candidate
    if current:
        yield current
