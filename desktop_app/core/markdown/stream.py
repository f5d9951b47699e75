"""Render a growing Markdown text so that each update costs the size of its last block.

The text is cut into top-level blocks (paragraphs, lists, tables, code fences…) by
markdown-it's own block parser, run only on the part not yet settled. A block counts
as settled once the next block has begun on a complete line: nothing that arrives
later can change it (an unterminated fence runs to the end of the text, so it stays
open, and is shown as code meanwhile). Settled blocks are rendered once and handed
out once; only the open tail is rendered again on each update.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.markdown.parser import markdown_parser
from desktop_app.core.markdown.render import MarkdownRenderer


@dataclass(frozen=True)
class StreamUpdate:
    """What changed since the previous update."""

    reset: bool
    """True when the text did not just grow: drop everything shown and start over."""
    settled: list[str] = field(default_factory=list)
    """HTML of each top-level block settled by this update, in order; they never change."""
    tail: str = ""
    """HTML of the open last block(s), replacing the previous tail."""


def settled_blocks(text: str) -> list[int]:
    """Where each settled top-level block of ``text`` ends (character offsets, ascending).

    A block's blank lines belong to it; the last block is never settled.
    """
    tokens = markdown_parser().parse(text)
    starts = sorted(
        {
            token.map[0]
            for token in tokens
            if token.level == 0 and token.nesting in (0, 1) and token.map is not None
        }
    )
    # A block is settled once the next one has begun on a complete line.
    complete_lines = text.count("\n")
    cut_lines = [line for line in starts[1:] if line < complete_lines]
    offsets: list[int] = []
    offset = 0
    line = 0
    for cut in cut_lines:
        while line < cut:
            offset = text.index("\n", offset) + 1
            line += 1
        offsets.append(offset)
    return offsets


def settled_length(text: str) -> int:
    """How many leading characters of ``text`` form blocks that are settled."""
    offsets = settled_blocks(text)
    return offsets[-1] if offsets else 0


class StreamingMarkdown:
    """Feeds a growing text; returns only what changed, rendered."""

    def __init__(self, renderer: MarkdownRenderer) -> None:
        self._renderer = renderer
        self._text = ""
        self._settled = 0
        """Characters of ``_text`` already handed out as settled blocks."""
        self._settled_code_blocks = 0
        self.rendered_chars = 0
        """Characters rendered so far (for tests and benchmarks: the cost of updates)."""

    @property
    def text(self) -> str:
        return self._text

    def feed(self, text: str) -> StreamUpdate:
        """Show ``text`` (normally the previous text plus a new piece)."""
        reset = not text.startswith(self._text[: self._settled])
        if reset:
            self._settled = 0
            self._settled_code_blocks = 0
        self._text = text
        settled: list[str] = []
        open_part = text[self._settled :]
        start = 0
        for end in settled_blocks(open_part):
            html, code_count = self._renderer.render(
                open_part[start:end], self._settled_code_blocks
            )
            self.rendered_chars += end - start
            settled.append(html)
            self._settled_code_blocks += code_count
            start = end
        self._settled += start
        open_part = open_part[start:]
        tail, _ = self._renderer.render(open_part, self._settled_code_blocks)
        self.rendered_chars += len(open_part)
        return StreamUpdate(reset=reset, settled=settled, tail=tail)
