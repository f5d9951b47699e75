"""Render a growing Markdown text so that each update costs the size of its last block.

The text is cut into top-level blocks (paragraphs, lists, tables, code fences…) by
markdown-it's own block parser, run only on the part not yet settled. A block counts
as settled once the next block has begun on a complete line: nothing that arrives
later can change it (an unterminated fence runs to the end of the text, so it stays
open, and is shown as code meanwhile). Settled blocks are rendered once and handed
out once; only the open tail is rendered again on each update.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop_app.core.markdown.parser import markdown_parser
from desktop_app.core.markdown.render import MarkdownRenderer

CODE_CHUNK_LINES = 40
"""A long code block being written is shown in stretches of this many lines."""
LIST_CHUNK_ITEMS = 8
"""A long list being written is shown in groups of this many items."""
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})([^\n]*)\n")


@dataclass(frozen=True)
class StreamUpdate:
    """What changed since the previous update."""

    reset: bool
    """True when the text did not just grow: drop everything shown and start over."""
    settled: list[str] = field(default_factory=list)
    """HTML of each top-level block settled by this update, in order; they never change."""
    tail: str = ""
    """HTML of the open last block(s), replacing the previous tail."""
    joined: list[bool] = field(default_factory=list)
    """For each settled block: it continues the one before it, without a gap (the
    stretches of a long code block)."""
    tail_joined: bool = False
    """The tail continues the last settled block without a gap."""


@dataclass
class _OpenFence:
    """A long code block still being written, shown in stretches of whole lines."""

    marker: str
    language: str
    number: int
    opener_length: int
    started: bool = False
    """Whether its first stretch (with the header) has been handed out."""

    def may_close(self, partial_line: str) -> bool:
        """Whether a line still being written may become the closing fence ("``")."""
        stripped = partial_line.strip()
        indent = len(partial_line) - len(partial_line.lstrip(" "))
        return bool(stripped) and indent < 4 and set(stripped) == {self.marker[0]}

    def closes(self, line: str) -> bool:
        stripped = line.strip()
        return (
            len(line) - len(line.lstrip(" ")) < 4
            and stripped.startswith(self.marker)
            and set(stripped) == {self.marker[0]}
        )


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
    return _line_offsets(text, [line for line in starts[1:] if line < complete_lines])


def _line_offsets(text: str, lines: list[int]) -> list[int]:
    """Where each of ``lines`` (ascending line numbers) starts in ``text``."""
    offsets: list[int] = []
    offset = 0
    line = 0
    for cut in lines:
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
    """Feeds a growing text; returns only what changed, rendered.

    A long code block still being written is settled in stretches of
    ``CODE_CHUNK_LINES`` whole lines, so even a very long one costs only its last
    stretch per update.
    """

    def __init__(self, renderer: MarkdownRenderer) -> None:
        self._renderer = renderer
        self._text = ""
        self._settled = 0
        """Characters of ``_text`` already handed out as settled blocks."""
        self._settled_code_blocks = 0
        self._fence: _OpenFence | None = None
        self._in_list = False
        """Whether the open part continues a list whose first items were settled."""
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
            self._fence = None
            self._in_list = False
        self._text = text
        settled: list[str] = []
        joined: list[bool] = []
        while True:
            if self._fence is not None:
                tail = self._feed_fence(settled, joined)
                if tail is not None:
                    return StreamUpdate(reset, settled, tail, joined, tail_joined=True)
            open_part = text[self._settled :]
            start = 0
            ends = settled_blocks(open_part)
            list_ends = [] if ends else self._settled_list_items(open_part)
            for end in ends or list_ends:
                html, code_count = self._renderer.render(
                    open_part[start:end], self._settled_code_blocks
                )
                self.rendered_chars += end - start
                settled.append(html)
                joined.append(self._in_list)  # the rest of a list joins its first items
                self._in_list = bool(list_ends)
                self._settled_code_blocks += code_count
                start = end
            self._settled += start
            open_part = open_part[start:]
            self._fence = self._long_fence(open_part)
            if self._fence is None:
                break
        tail, _ = self._renderer.render(open_part, self._settled_code_blocks)
        self.rendered_chars += len(open_part)
        return StreamUpdate(
            reset=reset, settled=settled, tail=tail, joined=joined, tail_joined=self._in_list
        )

    @staticmethod
    def _settled_list_items(open_part: str) -> list[int]:
        """Where groups of settled items end, when ``open_part`` is one long list.

        An item is settled once the next one has begun on a complete line; items are
        handed out ``LIST_CHUNK_ITEMS`` at a time, each group rendered as a list of its
        own (an ordered list keeps its numbers: the group starts at its first number).
        """
        tokens = markdown_parser().parse(open_part)
        if not tokens or tokens[0].type not in ("bullet_list_open", "ordered_list_open"):
            return []
        starts = [
            token.map[0]
            for token in tokens
            if token.type == "list_item_open" and token.level == 1 and token.map is not None
        ]
        complete_lines = open_part.count("\n")
        ready = [line for line in starts[1:] if line < complete_lines]
        return _line_offsets(open_part, ready[LIST_CHUNK_ITEMS - 1 :: LIST_CHUNK_ITEMS])

    def _long_fence(self, open_part: str) -> _OpenFence | None:
        """The code block that ``open_part`` starts with, if it is long and still open."""
        opener = _FENCE_OPEN.match(open_part)
        if opener is None or (opener.group(1)[0] == "`" and "`" in opener.group(2)):
            return None
        fence = _OpenFence(
            marker=opener.group(1),
            language=opener.group(2).strip().split(maxsplit=1)[0]
            if opener.group(2).strip()
            else "",
            number=self._settled_code_blocks,
            opener_length=opener.end(),
        )
        lines = open_part[opener.end() :].split("\n")[:-1]  # whole lines only
        if len(lines) < 2 * CODE_CHUNK_LINES or any(fence.closes(line) for line in lines):
            return None
        return fence

    def _feed_fence(self, settled: list[str], joined: list[bool]) -> str | None:
        """Settle whole stretches of the open code block; its tail's HTML while it stays
        open, or None once it closed (everything up to the closing line is settled)."""
        fence = self._fence
        assert fence is not None
        open_part = self._text[self._settled :]
        begin = 0 if fence.started else fence.opener_length
        body = open_part[begin:]
        lines = body.split("\n")
        complete, partial = lines[:-1], lines[-1]
        closing = next((n for n, line in enumerate(complete) if fence.closes(line)), None)
        if closing is not None:
            code = "".join(line + "\n" for line in complete[:closing])
            settled.append(self._part(code, last=True))
            joined.append(fence.started)
            self._settled += begin + len(code) + len(complete[closing]) + 1
            self._settled_code_blocks += 1
            self._fence = None
            return None
        chunks = len(complete) // CODE_CHUNK_LINES
        for chunk in range(chunks):
            code = "".join(
                line + "\n"
                for line in complete[chunk * CODE_CHUNK_LINES : (chunk + 1) * CODE_CHUNK_LINES]
            )
            settled.append(self._part(code, last=False))
            joined.append(fence.started)
            fence.started = True
            self._settled += begin + len(code)
            begin = 0
        rest = complete[chunks * CODE_CHUNK_LINES :]
        if not fence.may_close(partial):  # a closing line being written is not code
            rest.append(partial)
        return self._part("\n".join(rest), last=True)

    def _part(self, code: str, *, last: bool) -> str:
        fence = self._fence
        assert fence is not None
        self.rendered_chars += len(code)
        return self._renderer.render_code_part(
            code, fence.language, fence.number, first=not fence.started, last=last
        )
