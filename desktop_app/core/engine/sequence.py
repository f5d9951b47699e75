"""One answer's token handling, shared by ``LlamaEngine`` and ``BatchedDecoder``.

Both engines decode answers token by token and must behave alike: the same sampler
chain and seed, the same repeat penalty, the same end-of-turn tokens, stop strings held
back across tokens, characters split across tokens, delta pacing and statistics, and the
same longest-prefix reuse of the KV cache. This module holds those pieces; the engines
keep only what differs (one sequence and ``llama_batch_get_one``, or several sequences
in one ``llama_batch``).

The repeat penalty is applied by ``RepeatPenalty`` to the few logits it changes, in
place, before the chain runs, instead of by llama.cpp's penalties sampler: that one looks
up every candidate of the vocabulary in a hash map on every token (262,144 lookups on
Gemma 3, about 2.6 ms a token against 0.4 ms for the rest of the chain), which cost a
single answer about 15 % of its speed and eight answers decoded together a third.
The arithmetic is the same, so the sampled tokens are too.

The chain runs through bindings that keep the GIL: a sample takes well under a
millisecond, and releasing the GIL for it let the server's event loop (or any other
Python thread) take the interpreter for up to a switch interval (5 ms) before the
decoding thread got it back, once per answer per step.

When the chain starts with a top-k cut (the default, k = 40), ``TopShortlist`` hands it
only the tokens whose logits lie near the best one instead of the whole vocabulary: the
k best are among them whenever there are at least k, so the chain keeps exactly the
same k tokens and samples the same one (see ``TopShortlist``).
"""

from __future__ import annotations

import collections
import ctypes
import functools
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine.base import DELTA_INTERVAL_S, GenerationParams, TextDelta
from desktop_app.core.engine.streaming import PieceTable, StopScanner, TextTable, Utf8Stream
from desktop_app.core.structured.sampling import GrammarSampling, grammar_sampler


@functools.cache
def _keeping_gil(module: Any, name: str) -> Any:
    """``module``'s ctypes binding ``name``, called without releasing the GIL (the
    ordinary binding where llama-cpp-python keeps its library elsewhere)."""
    bound = getattr(module, name)
    lib = getattr(module, "_lib", None)
    if not isinstance(lib, ctypes.CDLL) or not hasattr(bound, "argtypes"):
        return bound
    function = getattr(ctypes.PyDLL(lib._name, handle=lib._handle), name)
    function.argtypes, function.restype = bound.argtypes, bound.restype
    return function


class RepeatPenalty:
    """llama.cpp's repeat penalty (``llama_sampler_init_penalties`` with no frequency or
    presence penalty) over the last ``last_n`` sampled tokens, applied to the logits row.

    A token seen in the window has its logit divided by ``penalty`` when positive and
    multiplied by it otherwise, in single precision as llama.cpp does.
    """

    def __init__(self, llama_cpp: Any, penalty: float, last_n: int) -> None:
        self._logits_ith = _keeping_gil(llama_cpp.llama_cpp, "llama_get_logits_ith")
        self._penalty = float(np.float32(penalty))
        self.active = last_n > 0 and self._penalty != 1.0
        self._window: collections.deque[int] = collections.deque()
        self._last_n = last_n
        self._counts: dict[int, int] = {}

    def apply(self, ctx: Any, index: int) -> None:
        """Penalize the logits of batch entry ``index`` (-1: the last) of ``ctx``."""
        if not self._counts:
            return
        row = self._logits_ith(ctx, index)
        penalty = self._penalty
        for token in self._counts:
            logit = row[token]
            # float32 in, float32 out: the double product or quotient rounds to the
            # same float as llama.cpp's single-precision operation.
            row[token] = logit * penalty if logit <= 0 else logit / penalty

    def accept(self, token: int) -> None:
        if not self.active:
            return
        counts, window = self._counts, self._window
        counts[token] = counts.get(token, 0) + 1
        window.append(token)
        if len(window) > self._last_n:
            old = window.popleft()
            left = counts[old] - 1
            if left:
                counts[old] = left
            else:
                del counts[old]


class TopShortlist:
    """The candidates a chain that begins with keeping the ``keep`` best tokens needs.

    ``llama_sampler_sample`` copies every logit of the vocabulary into the chain's
    candidate array and partially sorts it for the top-k cut: on Gemma 3's 262,144 tokens
    that is most of a sample's cost (about 0.4 ms, 0.8 ms with caches cold after a
    decode), paid for every answer at every step. Here one vectorized pass finds the
    tokens within a margin of the best logit (``MARGINS``, widened once when too few lie
    within the first); when there are at least ``keep`` of them, they contain the
    ``keep`` best of the whole vocabulary (any token outside is below all of them), so
    the chain's top-k cut keeps the same tokens and everything after it (top-p, min-p,
    temperature, the seeded draw) sees what it would have seen. With fewer than ``keep``
    within the widest margin, ``sample`` returns None and the caller runs the chain on
    the whole vocabulary. Candidates keep their token order, so the greedy pick of equal
    best logits is the first, as over the whole vocabulary; among exactly equal logits
    inside the k best, llama.cpp's partial sort may order them differently.
    """

    MARGINS = (12.0, 24.0)
    """How far below the best logit the shortlist reaches, tried in turn until at least
    ``keep`` tokens lie within: 12 (a probability ratio of e^-12, about 6e-6 at
    temperature 1) is enough on most steps; a confident step (about one in nine of
    Gemma 3's with k = 40) needs the wider one, which costs a second pass over a row
    already in cache instead of the whole vocabulary through the chain."""

    def __init__(self, llama_cpp: Any, n_vocab: int, keep: int) -> None:
        lib = llama_cpp.llama_cpp
        self._logits_ith = _keeping_gil(lib, "llama_get_logits_ith")
        self._apply = _keeping_gil(lib, "llama_sampler_apply")
        self._accept = _keeping_gil(lib, "llama_sampler_accept")
        self._token_data = lib.llama_token_data
        self._array = lib.llama_token_data_array()
        self._row_type = ctypes.c_float * n_vocab
        self.keep = keep
        self._grow(1024)

    def _grow(self, size: int) -> None:
        self._buffer = (self._token_data * size)()
        self._view = np.ctypeslib.as_array(self._buffer)
        self._view["p"] = 0.0
        self._array.data = self._buffer

    def sample(self, chain: Any, ctx: Any, index: int) -> int | None:
        """The chain's token from the shortlist of batch entry ``index``, or None when
        fewer than ``keep`` tokens are near the best (nothing was sampled then)."""
        pointer = self._logits_ith(ctx, index)
        logits = self._row_type.from_address(ctypes.addressof(pointer.contents))
        row = np.frombuffer(memoryview(logits), dtype=np.float32)
        best = row.max()
        for margin in self.MARGINS:
            ids = np.flatnonzero(row > best - margin)
            if ids.size >= self.keep:
                break
        else:
            return None
        size = ids.size
        if size > len(self._buffer):
            self._grow(size * 2)
        view = self._view
        view["id"][:size] = ids
        view["logit"][:size] = row[ids]
        view["p"][:size] = 0.0
        array = self._array
        array.size = size
        array.selected = -1
        array.sorted = False
        self._apply(chain, ctypes.byref(array))
        token = int(view["id"][array.selected])
        self._accept(chain, token)
        return token


def shortlist_size(params: GenerationParams, n_vocab: int) -> int | None:
    """How many best tokens the chain for ``params`` keeps first (None: it needs them
    all, as with no top-k cut, a top-k past the vocabulary, or sampling at a negative
    temperature, which draws from the whole distribution)."""
    if params.temperature == 0:
        return 1  # greedy: the best token
    if params.temperature < 0 or not 0 < params.top_k < n_vocab:
        return None
    return params.top_k


class TokenSampler:
    """An answer's sampler: llama-cpp-python's chain for ``params`` (seeded), the repeat
    penalty, and the grammar beside the chain when ``params`` has one.

    ``sample(ctx, index)`` picks the next token from batch entry ``index``'s logits and
    records it. Raises what ``grammar_sampler`` raises for a grammar llama.cpp refuses.
    Close it to free the native samplers.
    """

    def __init__(
        self,
        llama_cpp: Any,
        llm: Any,
        params: GenerationParams,
        token_bytes: Callable[[int], bytes],
    ) -> None:
        seed = params.seed if params.seed is not None else random.randrange(2**31)
        llm.set_seed(seed)
        self._lib = llama_cpp
        self._penalty = RepeatPenalty(llama_cpp, params.repeat_penalty, llm.last_n_tokens_size)
        self._chain = llm._init_sampler(
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=params.min_p,
            temp=params.temperature,
            repeat_penalty=1.0,  # ``RepeatPenalty`` does it (see the module doc)
        )
        try:
            self.constrained: GrammarSampling | None = grammar_sampler(
                llama_cpp, llm, params.grammar, token_bytes
            )
        except Exception:
            self._chain.close()
            raise
        self._sample = (
            self.constrained.sample
            if self.constrained
            else _keeping_gil(llama_cpp.llama_cpp, "llama_sampler_sample")
        )
        keep = None if self.constrained else shortlist_size(params, llm.n_vocab())
        self._shortlist = TopShortlist(llama_cpp, llm.n_vocab(), keep) if keep else None

    def sample(self, ctx: Any, index: int) -> int:
        penalty = self._penalty
        if penalty.active:
            penalty.apply(ctx, index)
        chain = self._chain.sampler
        shortlist = self._shortlist
        token = shortlist.sample(chain, ctx, index) if shortlist is not None else None
        if token is None:
            token = self._sample(chain, ctx, index)
        penalty.accept(token)
        return token

    def close(self) -> None:
        self._chain.close()
        if self.constrained is not None:
            self.constrained.close()
            self.constrained = None


class AnswerText:
    """Sampled tokens in, text to show out, for one answer.

    ``take(token)`` returns why the answer ends (an end-of-turn token, a stop string,
    the token budget) or None; the text it adds waits in ``take``'s buffer until
    ``ready(now)`` hands it out (at most every ``interval`` seconds, the first text at
    once) or ``finish`` adds what was held back and returns the rest.
    """

    __slots__ = ("_ends", "_interval", "_partial", "_pieces", "_stops", "_texts", "_utf8",
                 "budget", "due", "generated", "held")  # fmt: skip

    def __init__(
        self,
        pieces: PieceTable,
        texts: TextTable,
        ends_answer: Sequence[bool],
        stops: tuple[str, ...],
        budget: int,
        interval: float = DELTA_INTERVAL_S,
    ) -> None:
        self._pieces = pieces
        self._interval = interval
        self._texts = texts
        self._ends = ends_answer
        self._utf8 = Utf8Stream()
        self._partial = False
        self._stops = StopScanner(stops)
        self.budget = budget
        self.generated = 0
        self.held: list[str] = []
        self.due = 0.0

    def take(self, token: int) -> FinishReason | None:
        if self._ends[token]:
            return FinishReason.STOP
        self.generated += 1
        text = self._texts[token]
        if text is None or self._partial:
            text = self._utf8.feed(self._pieces[token])
            self._partial = self._utf8.pending
        stops = self._stops
        if stops.active:
            text = stops.feed(text)
            if stops.stopped:
                if text:
                    self.held.append(text)
                return FinishReason.STOP
        if text:
            self.held.append(text)
        if self.generated >= self.budget:
            return FinishReason.LENGTH
        return None

    def ready(self, now: float, share: float = 1.0) -> TextDelta | None:
        """The text held so far, when there is some and the last delta is old enough
        (the next one then waits ``share`` intervals: see ``FULL_RATE_ANSWERS``)."""
        if not self.held or now < self.due:
            return None
        delta = TextDelta("".join(self.held), self.generated)
        self.held.clear()
        self.due = now + self._interval * share
        return delta

    def finish(self, complete: bool = True) -> TextDelta | None:
        """The rest of the text, with what the decoder and the stop scan held back
        (``complete`` False: an error ended the answer, show only what was taken)."""
        if complete:
            self.held.append(self._stops.feed(self._utf8.flush()) + self._stops.flush())
        tail = "".join(self.held)
        self.held.clear()
        return TextDelta(tail, self.generated) if tail else None


def answer_stats(
    prompt_tokens: int,
    cached: int,
    generated: int,
    started: float,
    first: float,
    last: float,
    dropped: int = 0,
) -> GenerationStats:
    """An answer's statistics (``first``/``last``: when its first and last tokens came)."""
    return GenerationStats(
        dropped_turns=dropped,
        cached_prompt_tokens=cached,
        prompt_tokens=prompt_tokens,
        generated_tokens=generated,
        time_to_first_token_s=(first - started) if first else None,
        tokens_per_s=(generated - 1) / (last - first) if generated > 1 and last > first else None,
    )


def shared_prefix(cache: Sequence[int] | np.ndarray, prompt: list[int]) -> int:
    """How many leading tokens of ``prompt`` the KV cache holding ``cache`` can reuse.

    At most all but the prompt's last token: sampling needs logits, so at least one
    token is evaluated.
    """
    n = min(len(cache), len(prompt) - 1)
    if n <= 0:
        return 0
    mismatches = np.flatnonzero(np.asarray(cache[:n]) != np.asarray(prompt[:n]))
    return int(mismatches[0]) if mismatches.size else n
