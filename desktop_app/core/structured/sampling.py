"""Sampling under a grammar without masking the whole vocabulary on every token.

llama-cpp-python puts the grammar sampler first in its chain, so every token pays for
checking all of the vocabulary against the grammar (262,144 tokens on Gemma 3). As
llama.cpp's own ``common_sampler`` does, this samples with the ordinary chain first
and asks the grammar about the one token chosen; only when the grammar rejects it is
the grammar applied to every candidate and the token sampled again from what is left.
A model that follows the format pays for one check per token. When the grammar does
refuse, it is first applied to the model's ``SHORTLIST`` most likely tokens only, and to
the whole vocabulary only if none of them fits; for greedy decoding this picks exactly
the token a full mask would (the most likely token the grammar allows).

llama.cpp's grammar reads token bytes as UTF-8 leniently: bytes that are not UTF-8 at
all (0xF8, overlong forms, surrogates) decode to some code point and can pass a string
rule, and JSON parsers then see U+FFFD or reject the text. A random-weight model picks
such byte tokens often, so tokens whose bytes are never valid UTF-8 are excluded, and
tokens that carry part of a character are checked against the bytes pending before them
with Python's strict incremental decoder.
"""

from __future__ import annotations

import codecs
import ctypes
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

_TOKEN_DATA = np.dtype([("id", "<i4"), ("logit", "<f4"), ("p", "<f4")])
SHORTLIST = 64


class GrammarError(ValueError):
    """llama.cpp could not parse a grammar."""


@dataclass(frozen=True)
class Utf8Classes:
    """Which tokens are not whole UTF-8 text on their own, found once per model."""

    never: np.ndarray
    """Ids of tokens whose bytes hold an invalid sequence: never valid."""
    partial: np.ndarray
    """Mask of tokens that start or end in the middle of a character."""
    pieces: dict[int, bytes]
    """The bytes of those partial tokens."""


def utf8_classes(n_vocab: int, token_bytes: Callable[[int], bytes]) -> Utf8Classes:
    never: list[int] = []
    partial = np.zeros(n_vocab, dtype=bool)
    pieces: dict[int, bytes] = {}
    for token in range(n_vocab):
        piece = token_bytes(token)
        if piece.isascii():
            continue
        try:
            piece.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        if any(_fits(context, piece) for context in _CONTEXTS):
            partial[token] = True
            pieces[token] = piece
        else:
            never.append(token)
    return Utf8Classes(np.asarray(never, dtype=np.int64), partial, pieces)


_CONTEXTS = (b"", b"\xc3", b"\xe1", b"\xe1\x80", b"\xf1", b"\xf1\x80", b"\xf1\x80\x80")
"""Unfinished characters a token may continue (one to three bytes still to come)."""


def _fits(pending: bytes, piece: bytes) -> bool:
    """Whether ``pending + piece`` is valid UTF-8, allowing an unfinished last character
    that some continuation can still complete (Python's incremental decoder waits, for
    example, on a surrogate's first two bytes, which nothing completes)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(pending + piece, final=False)
    except UnicodeDecodeError:
        return False
    tail = decoder.getstate()[0]
    if not tail:
        return True
    needed = _LENGTH.get(tail[0] >> 4, 0) - len(tail)
    return any(_valid(tail + bytes([byte]) * needed) for byte in (0x80, 0x90, 0xA0, 0xBF))


_LENGTH = {0xC: 2, 0xD: 2, 0xE: 3, 0xF: 4}


def _valid(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unfinished(pending: bytes, piece: bytes) -> bytes:
    decoder = codecs.getincrementaldecoder("utf-8")()
    decoder.decode(pending + piece, final=False)
    return decoder.getstate()[0]


_CLASSES: weakref.WeakKeyDictionary[Any, Utf8Classes] = weakref.WeakKeyDictionary()


class GrammarSampling:
    """A grammar sampler beside a sampler chain; ``sample`` has ``llama_sampler_sample``'s
    signature, so the engine's token loop calls either. Close it to free the grammar."""

    def __init__(
        self, llama_cpp: Any, vocab: Any, n_vocab: int, grammar: str, classes: Utf8Classes
    ) -> None:
        self._lib = llama_cpp
        self._classes = classes
        self._pending = b""
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            vocab, grammar.encode("utf-8"), b"root"
        )
        if not self._grammar:
            raise GrammarError("llama.cpp could not parse the grammar")
        self._n_vocab = n_vocab
        self._ids = np.arange(n_vocab, dtype=np.int32)
        self._data = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        pointer = self._data.ctypes.data_as(ctypes.POINTER(llama_cpp.llama_token_data))
        self._all = llama_cpp.llama_token_data_array(pointer, n_vocab, -1, False)
        self._short = np.zeros(min(SHORTLIST, n_vocab), dtype=_TOKEN_DATA)
        short_pointer = self._short.ctypes.data_as(ctypes.POINTER(llama_cpp.llama_token_data))
        self._few = llama_cpp.llama_token_data_array(short_pointer, len(self._short), -1, False)
        self._one = (llama_cpp.llama_token_data * 1)()
        self._single = llama_cpp.llama_token_data_array(self._one, 1, -1, False)
        self.sampled = 0
        self.resampled = 0
        self.full_masks = 0
        """Tokens sampled, and how many of them the grammar sent back (diagnostics)."""

    def _candidates(self, ctx: Any, index: int) -> Any:
        logits = self._lib.llama_get_logits_ith(ctx, index)
        data = self._data
        data["id"] = self._ids
        data["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        data["p"] = 0.0
        if self._classes.never.size:
            data["logit"][self._classes.never] = -np.inf
        candidates = self._all
        candidates.size = self._n_vocab
        candidates.selected = -1
        candidates.sorted = False
        return candidates

    def _utf8_ok(self, token: int) -> bool:
        if not self._classes.partial[token]:
            return not self._pending
        return _fits(self._pending, self._classes.pieces[token])

    def _mask_broken_utf8(self, data: np.ndarray) -> None:
        """After the grammar: drop partial-character tokens that cannot follow."""
        ids, logits = data["id"], data["logit"]
        partial = self._classes.partial[ids]
        if self._pending:  # a character is unfinished: only its continuation may follow
            logits[~partial] = -np.inf
        for index in np.flatnonzero(partial & np.isfinite(logits)).tolist():
            if not _fits(self._pending, self._classes.pieces[int(ids[index])]):
                logits[index] = -np.inf

    def _shortlist(self) -> Any:
        """The most likely tokens of the filled candidates, as their own array."""
        logits = self._data["logit"]
        size = len(self._short)
        top = np.argpartition(logits, -size)[-size:]
        self._short["id"] = top
        self._short["logit"] = logits[top]
        self._short["p"] = 0.0
        few = self._few
        few.size, few.selected, few.sorted = size, -1, False
        return few

    def _allowed(self, token: int) -> bool:
        if not self._utf8_ok(token):
            return False
        one, single = self._one[0], self._single
        one.id, one.logit, one.p = token, 0.0, 0.0
        single.size, single.selected, single.sorted = 1, -1, False
        self._lib.llama_sampler_apply(self._grammar, ctypes.byref(single))
        return one.logit != float("-inf")

    def sample(self, chain: Any, ctx: Any, index: int) -> int:
        lib = self._lib
        candidates = self._candidates(ctx, index)
        lib.llama_sampler_apply(chain, ctypes.byref(candidates))
        token = int(self._data["id"][candidates.selected])
        self.sampled += 1
        if not self._allowed(token):
            self.resampled += 1
            self._candidates(ctx, index)
            few = self._shortlist()
            lib.llama_sampler_apply(self._grammar, ctypes.byref(few))
            self._mask_broken_utf8(self._short[: few.size])
            if np.isfinite(self._short["logit"][: few.size]).any():
                lib.llama_sampler_apply(chain, ctypes.byref(few))
                token = int(self._short["id"][few.selected])
            else:
                self.full_masks += 1
                candidates = self._candidates(ctx, index)
                lib.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
                self._mask_broken_utf8(self._data)
                lib.llama_sampler_apply(chain, ctypes.byref(candidates))
                token = int(self._data["id"][candidates.selected])
            if not self._allowed(token):  # accepting it would abort inside llama.cpp
                raise GrammarError("no token can continue the answer under its grammar")
        if self._classes.partial[token]:
            self._pending = _unfinished(self._pending, self._classes.pieces[token])
        lib.llama_sampler_accept(self._grammar, token)
        lib.llama_sampler_accept(chain, token)
        return token

    def close(self) -> None:
        if self._grammar:
            self._lib.llama_sampler_free(self._grammar)
            self._grammar = None


def prepare_utf8_classes(llm: Any, token_bytes: Callable[[int], bytes]) -> Utf8Classes:
    """Find and keep the UTF-8 classes of ``llm``'s vocabulary.

    The engine calls this while the model loads (on its thread): the scan reads every
    token's bytes (about a second for a 262,144-token vocabulary on a busy machine),
    which would otherwise delay the first constrained answer.
    """
    classes = _CLASSES.get(llm)
    if classes is None:
        classes = _CLASSES[llm] = utf8_classes(llm.n_vocab(), token_bytes)
    return classes


def grammar_sampler(
    llama_cpp: Any, llm: Any, grammar: str | None, token_bytes: Callable[[int], bytes]
) -> GrammarSampling | None:
    """A ``GrammarSampling`` for ``grammar`` on ``llm`` (a ``llama_cpp.Llama``), or None.

    The model's UTF-8 classes come from ``prepare_utf8_classes`` (at load; found now if
    the engine did not).
    """
    if not grammar:
        return None
    classes = prepare_utf8_classes(llm, token_bytes)
    vocab = llama_cpp.llama_model_get_vocab(llm._model.model)
    return GrammarSampling(llama_cpp, vocab, llm.n_vocab(), grammar, classes)
