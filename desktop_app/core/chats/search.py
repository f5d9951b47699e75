"""Full-text search text: what the FTS5 index holds, how a query is matched, snippets.

FTS5's ``unicode61`` tokenizer keeps a run of Chinese (or Japanese, Korean) characters
as one token, so a word inside a sentence cannot be found; the ``trigram`` tokenizer
cannot find two-character words, and most Chinese words have two characters. So the
index holds a *derived* text: every CJK run is written as its overlapping bigrams
(``今天天气`` -> ``今天 天天 天气``) followed by its single characters, while other text
is kept as it is. A query is converted the same way: a CJK run becomes the phrase of its
bigrams (a single character matches alone), every other word matches as a prefix, so
results come as you type. Snippets and highlights are cut from the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK_CLASS = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
)
CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
"""A run of Chinese, Japanese or Korean characters (indexed as overlapping pairs)."""
_QUERY_PART = re.compile(f"[{_CJK_CLASS}]+|[^\\W_{_CJK_CLASS}]+")


def index_text(text: str) -> str:
    """The text the FTS5 index holds for ``text`` (see the module docstring)."""
    if not CJK_RUN.search(text):
        return text
    parts: list[str] = []
    singles: list[str] = []
    position = 0
    for match in CJK_RUN.finditer(text):
        parts.append(text[position : match.start()])
        run = match.group()
        if len(run) > 1:
            parts.append(" ".join(run[i : i + 2] for i in range(len(run) - 1)))
        singles.extend(run)
        position = match.end()
    parts.append(text[position:])
    return " ".join(part.strip() for part in [*parts, *singles] if part.strip())


def query_terms(query: str) -> list[str]:
    """The words and CJK runs of a query, in order (punctuation and operators dropped)."""
    return _QUERY_PART.findall(query)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed; None when nothing is searchable."""
    clauses: list[str] = []
    for term in query_terms(query):
        if CJK_RUN.fullmatch(term):
            if len(term) == 1:
                clauses.append(f'"{term}"*')
            else:
                clauses.append('"' + " ".join(term[i : i + 2] for i in range(len(term) - 1)) + '"')
        else:
            clauses.append(f'"{term}"*')
    return " AND ".join(clauses) if clauses else None


@dataclass(frozen=True)
class Snippet:
    """A short piece of the original text, and where the query matched inside it."""

    text: str
    highlights: tuple[tuple[int, int], ...]
    """(start, end) character offsets into ``text``."""

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The snippet with every match wrapped in ``before`` and ``after``."""
        pieces: list[str] = []
        position = 0
        for start, end in self.highlights:
            pieces += [self.text[position:start], before, self.text[start:end], after]
            position = end
        pieces.append(self.text[position:])
        return "".join(pieces)


@dataclass(frozen=True)
class SearchHit:
    """One search result: a conversation's title, or one of its messages."""

    conversation_id: int
    conversation_title: str
    message_id: int | None
    """None when the title matched."""
    role: str | None
    snippet: Snippet
    updated_at: float


def _term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    alternatives = []
    for term in sorted(set(terms), key=len, reverse=True):
        if CJK_RUN.fullmatch(term):
            alternatives.append(re.escape(term))
        else:
            alternatives.append(f"(?<![^\\W_]){re.escape(term)}")
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def make_snippet(text: str, query: str, width: int = 90) -> Snippet:
    """About ``width`` characters of ``text`` around the first match of ``query``."""
    flat = " ".join(text.split())
    pattern = _term_pattern(query_terms(query))
    first = pattern.search(flat) if pattern else None
    if first is None:
        cut = flat[:width]
        return Snippet(cut + ("…" if len(flat) > width else ""), ())
    start = max(0, first.start() - width // 3)
    if start > 0:
        space = flat.rfind(" ", start - 10, first.start())
        start = space + 1 if space >= 0 else start
    end = min(len(flat), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    window = flat[start:end]
    highlights = tuple(
        (m.start() + len(prefix), m.end() + len(prefix))
        for m in pattern.finditer(window)  # type: ignore[union-attr]
    )
    return Snippet(prefix + window + suffix, highlights)
