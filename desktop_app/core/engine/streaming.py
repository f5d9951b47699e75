"""Token ids to text in O(1) per token.

``PieceTable`` caches each token's bytes the first time it is seen, so the hot loop
makes no ctypes call for a token it has met before. ``Utf8Stream`` decodes those
bytes incrementally, so a character split across tokens comes out whole once its
last byte arrives. ``StopScanner`` holds back only as many characters as the longest
stop string could need, so checking stop strings never rescans the whole answer.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable


class PieceTable(dict[int, bytes]):
    """Token id -> bytes, filled lazily from ``token_bytes``.

    A dict whose ``__missing__`` asks llama.cpp once per distinct token: a hit is a
    plain C-level lookup with no Python frame, which matters at thousands of tokens/s.
    """

    def __init__(self, token_bytes: Callable[[int], bytes]) -> None:
        super().__init__()
        self._token_bytes = token_bytes

    def __missing__(self, token: int) -> bytes:
        piece = self[token] = self._token_bytes(token)
        return piece


class TextTable(dict[int, "str | None"]):
    """Token id -> its text when its bytes are complete UTF-8 on their own, else None.

    Most tokens are whole characters, so most of the time the streaming loop needs no
    decoding at all; only tokens that carry part of a character (or follow one) go
    through the incremental decoder.
    """

    def __init__(self, pieces: PieceTable) -> None:
        super().__init__()
        self._pieces = pieces

    def __missing__(self, token: int) -> str | None:
        try:
            text: str | None = self._pieces[token].decode("utf-8")
        except UnicodeDecodeError:
            text = None
        self[token] = text
        return text


class Utf8Stream:
    """Bytes in, complete characters out; invalid bytes become U+FFFD."""

    def __init__(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.feed: Callable[[bytes], str] = decoder.decode
        self._decoder = decoder

    @property
    def pending(self) -> bool:
        """Whether the start of a character is waiting for its remaining bytes."""
        return bool(self._decoder.getstate()[0])

    def flush(self) -> str:
        return self._decoder.decode(b"", final=True)


class StopScanner:
    """Finds stop strings in streamed text, looking only at a bounded tail.

    ``feed`` returns the text that is safe to show: text that can no longer be the
    start of a stop string. After a stop string is found, ``stopped`` is true and the
    stop string itself is never returned.
    """

    def __init__(self, stops: tuple[str, ...]) -> None:
        self._stops = tuple(s for s in stops if s)
        self._hold = max((len(s) for s in self._stops), default=1) - 1
        self._initials = "".join(sorted({s[0] for s in self._stops}))
        self._pending = ""
        self.stopped = False

    @property
    def active(self) -> bool:
        """Whether there is anything to look for."""
        return bool(self._stops)

    def feed(self, text: str) -> str:
        if not self._stops:
            return text
        if self.stopped:
            return ""
        if not self._pending and not self._may_start_stop(text):
            return text
        window = self._pending + text
        cut = min((i for i in (window.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self.stopped = True
            self._pending = ""
            return window[:cut]
        keep = self._held_suffix(window)
        self._pending = window[len(window) - keep :] if keep else ""
        return window[: len(window) - keep]

    def _may_start_stop(self, text: str) -> bool:
        """Whether any stop string could begin in ``text``: the common case is a no."""
        return any(initial in text for initial in self._initials)

    def _held_suffix(self, window: str) -> int:
        """Length of the longest tail of ``window`` that begins some stop string."""
        for size in range(min(self._hold, len(window)), 0, -1):
            tail = window[-size:]
            if any(stop.startswith(tail) for stop in self._stops):
                return size
        return 0

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return "" if self.stopped else rest
