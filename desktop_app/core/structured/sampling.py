"""Sampling under a grammar without masking the whole vocabulary on every token.

llama-cpp-python puts the grammar sampler first in its chain, so every token pays for
checking all of the vocabulary against the grammar (262,144 tokens on Gemma 3). As
llama.cpp's own ``common_sampler`` does, this samples with the ordinary chain first
and asks the grammar about the one token chosen; only when the grammar rejects it is
the grammar applied to every candidate and the token sampled again from what is left.
A model that follows the format pays for one check per token.
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np

_TOKEN_DATA = np.dtype([("id", "<i4"), ("logit", "<f4"), ("p", "<f4")])


class GrammarError(ValueError):
    """llama.cpp could not parse a grammar."""


class GrammarSampling:
    """A grammar sampler beside a sampler chain; ``sample`` has ``llama_sampler_sample``'s
    signature, so the engine's token loop calls either. Close it to free the grammar."""

    def __init__(self, llama_cpp: Any, vocab: Any, n_vocab: int, grammar: str) -> None:
        self._lib = llama_cpp
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
        self._one = (llama_cpp.llama_token_data * 1)()
        self._single = llama_cpp.llama_token_data_array(self._one, 1, -1, False)

    def _candidates(self, ctx: Any, index: int) -> Any:
        logits = self._lib.llama_get_logits_ith(ctx, index)
        data = self._data
        data["id"] = self._ids
        data["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        data["p"] = 0.0
        candidates = self._all
        candidates.size = self._n_vocab
        candidates.selected = -1
        candidates.sorted = False
        return candidates

    def _allowed(self, token: int) -> bool:
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
        if not self._allowed(token):
            candidates = self._candidates(ctx, index)
            lib.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
            lib.llama_sampler_apply(chain, ctypes.byref(candidates))
            token = int(self._data["id"][candidates.selected])
        lib.llama_sampler_accept(self._grammar, token)
        lib.llama_sampler_accept(chain, token)
        return token

    def close(self) -> None:
        if self._grammar:
            self._lib.llama_sampler_free(self._grammar)
            self._grammar = None


def grammar_sampler(llama_cpp: Any, llm: Any, grammar: str | None) -> GrammarSampling | None:
    """A ``GrammarSampling`` for ``grammar`` on ``llm`` (a ``llama_cpp.Llama``), or None."""
    if not grammar:
        return None
    vocab = llama_cpp.llama_model_get_vocab(llm._model.model)
    return GrammarSampling(llama_cpp, vocab, llm.n_vocab(), grammar)
