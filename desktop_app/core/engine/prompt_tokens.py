"""Tokenizing a rendered prompt without tokenizing the whole conversation every turn.

Every turn renders the whole conversation and turns it into tokens; llama.cpp's
tokenizer first looks for each of the vocabulary's special tokens in the text, which
for a vocabulary like Gemma's (6,414 of them) takes about 4 ms per 3,000 tokens of
chat, paid again on every turn and growing with the conversation.

llama.cpp tokenizes the raw text between two special tokens on its own, with no state
carried across a special token. So a prompt cut right after each end-of-turn marker
tokenizes piece by piece exactly as it does whole, and the pieces of earlier turns
come out of a memo. That holds only when no other special token can span the cut and
the marker does not swallow the whitespace after it (``safe_boundary``); a model
whose vocabulary fails that is tokenized whole, as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

MAX_SEGMENTS = 4096
"""Memoised pieces kept (least recently used go first): a few long chats' worth."""


def spans_cut(marker: str, special: str) -> bool:
    """Whether ``special`` could match across a cut made right after ``marker``.

    That is, whether some proper prefix of ``special`` ends the text before the cut:
    either a suffix of ``marker``, or anything that ends with the whole ``marker``.
    """
    if special == marker or marker[-1] not in special[:-1]:
        return False
    for end in range(1, len(special)):
        head = special[:end]
        if marker.endswith(head) or head.endswith(marker):
            return True
    return False


def claims_marker(marker: str, special: str) -> bool:
    """Whether ``special`` could take the start of ``marker`` for itself.

    llama.cpp looks for longer special tokens first (equal lengths in no set order),
    so one that ends with the beginning of the marker would leave the marker's rest as
    plain text joined to what follows the cut.
    """
    if special == marker or len(special) < len(marker):
        return False
    return any(special.endswith(marker[:end]) for end in range(1, len(marker)))


def safe_boundary(marker: str, strips_right: bool, specials: Iterable[str]) -> bool:
    """Whether cutting prompts right after ``marker`` keeps tokenization exact."""
    if not marker or strips_right:
        return False
    return not any(
        spans_cut(marker, special) or claims_marker(marker, special) for special in specials
    )


class SegmentTokenizer:
    """Tokenizes prompts piece by piece, cut after a marker, remembering the pieces.

    ``tokenize`` turns text into token ids exactly as the model does (special tokens
    parsed, no BOS added). ``boundaries`` are markers that passed ``safe_boundary``,
    best first; a prompt is cut at the first one it contains.
    """

    def __init__(
        self,
        tokenize: Callable[[str], list[int]],
        boundaries: Sequence[str],
        max_segments: int = MAX_SEGMENTS,
    ) -> None:
        self._tokenize = tokenize
        self._boundaries = tuple(boundaries)
        self._max_segments = max_segments
        self._memo: OrderedDict[str, tuple[int, ...]] = OrderedDict()

    def __call__(self, text: str) -> list[int]:
        marker = next((b for b in self._boundaries if b in text), None)
        if marker is None:
            return self._tokenize(text)
        pieces = text.split(marker)
        tokens: list[int] = []
        for index, piece in enumerate(pieces):
            segment = piece if index == len(pieces) - 1 else piece + marker
            if segment:
                tokens.extend(self._segment(segment))
        return tokens

    def _segment(self, segment: str) -> tuple[int, ...]:
        memo = self._memo
        tokens = memo.get(segment)
        if tokens is not None:
            memo.move_to_end(segment)
            return tokens
        tokens = tuple(self._tokenize(segment))
        memo[segment] = tokens
        if len(memo) > self._max_segments:
            memo.popitem(last=False)
        return tokens
