"""Continuous batching: several answers decoded together in one llama.cpp context.

On a CPU, decoding one sequence leaves most of the arithmetic idle while the weights
stream from memory, so a batch that carries one token of each of several answers costs
little more than one token. ``BatchedDecoder`` drives a ``LlamaEngine`` loaded with
``n_seq_max`` sequences (``LoadParams.n_seq_max``): each request gets a slot (one
llama.cpp sequence), and every ``step`` builds one batch from all active slots, a chunk
of the prompt of each slot still reading its prompt and the last sampled token of each
slot that is answering, then calls ``llama_decode`` once and samples each answering
slot's next token from its own logits. Prompts that fit one batch are read alone first
(``_prompts_first``), and answers are kept on consecutive sequence ids (``_compact``):
both follow from how llama.cpp splits a batch into compute passes.

What a request sees is the engine's single-sequence behaviour, from the same code
(``core/engine/sequence``): its own seeded sampler chain and repeat penalty, its own
grammar (structured output and forced tool calls), its own stop strings, end-of-turn
tokens, the incremental UTF-8 decoder, delta pacing and statistics. A slot whose prompt
ends in a batch has its first token sampled before the others' next ones, so a
newcomer's first token does not wait behind them. A request joins as soon as a slot
frees (``admit`` between two steps), a cancelled one leaves its slot at the next step and
the others go on. Each slot keeps the tokens of its last answer in its part of the KV cache; a new
request takes the free slot whose cache shares the longest prefix with its prompt, so a
client's next turn only evaluates what is new.

Not thread-safe: every call must come from the thread that owns the engine.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineEvent,
    Finished,
    GenerationParams,
)
from desktop_app.core.engine.context_window import ContextOverflowError
from desktop_app.core.engine.llama_engine import LlamaEngine, window_intact
from desktop_app.core.engine.prompt_format import TemplateError
from desktop_app.core.engine.sequence import AnswerText, TokenSampler, answer_stats, shared_prefix
from desktop_app.core.structured.sampling import GrammarSampling

Emit = Callable[[EngineEvent], None]

FULL_RATE_ANSWERS = max(1, os.cpu_count() or 1)
"""Up to this many answers decoded together (one per CPU core) each hand out text as
often as its ``stream_interval_s`` allows; with more, every interval stretches in
proportion (eight answers on two cores: four times as long), so that all of them
together make no more deltas a second than this many would. What each delta costs
downstream (the server's write, its client's parse, about a millisecond with the
``openai`` client) then stays near the same small share of each core as answers are
added, instead of growing with them and taking its time from the decoding: on a machine
whose cores all decode, a client that takes a core for a millisecond holds up the whole
step, since every decoding thread waits for the slowest at each of the graph's
barriers."""


@dataclass
class SequenceRequest:
    """One answer to decode: prompt tokens, sampling, and where its events go."""

    prompt: list[int]
    params: GenerationParams
    emit: Emit
    """Called on the engine thread with each event; ends with one ``Finished``."""
    cancel: CancelToken = field(default_factory=CancelToken)
    started: float = field(default_factory=time.perf_counter)
    dropped_turns: int = 0
    format_stops: bool = True
    """Stop at the prompt format's text markers (chat); off for raw completions."""


class _Slot:
    """One llama.cpp sequence: the tokens its KV cache holds and the answer in progress."""

    STATE = ("cache", "last_used", "request", "pending", "sampler", "answer", "cached", "first")
    """What moves with a sequence to another slot (all but ``seq_id``)."""

    def __init__(self, seq_id: int) -> None:
        self.seq_id = seq_id
        self.cache: list[int] = []
        """Token ids whose keys and values this sequence holds, by position."""
        self.last_used = 0.0
        self.request: SequenceRequest | None = None
        self.pending: list[int] = []
        """Tokens to evaluate next: the rest of the prompt, or the last sampled token."""
        self.sampler: TokenSampler | None = None
        self.answer: AnswerText | None = None
        self.cached = 0
        self.first = 0.0

    @property
    def constrained(self) -> GrammarSampling | None:
        """The answer's grammar beside its sampler chain, when it has one."""
        return self.sampler.constrained if self.sampler is not None else None


class BatchedDecoder:
    """Up to ``engine``'s ``n_seq_max`` answers decoded together (see the module doc)."""

    def __init__(self, engine: LlamaEngine) -> None:
        self._engine = engine
        llm = engine.llama
        self._llm = llm
        self._llama_cpp = engine._llama_cpp
        llama_cpp = self._llama_cpp
        self._ctx = llm._ctx.ctx
        self._memory = llama_cpp.llama_get_memory(self._ctx)
        self.parallel = engine.sequences
        self.sequence_context = engine.sequence_context
        self._n_batch = max(self.parallel, int(llama_cpp.llama_n_batch(self._ctx)))
        self._batch = llama_cpp.llama_batch_init(self._n_batch, 0, self.parallel)
        batch = self._batch
        self._tokens = np.ctypeslib.as_array(batch.token, shape=(self._n_batch,))
        self._pos = np.ctypeslib.as_array(batch.pos, shape=(self._n_batch,))
        self._n_seq = np.ctypeslib.as_array(batch.n_seq_id, shape=(self._n_batch,))
        self._logits = np.ctypeslib.as_array(batch.logits, shape=(self._n_batch,))
        self._n_seq[:] = 1
        self._seq_ids = [batch.seq_id[i] for i in range(self._n_batch)]
        self._slots = [_Slot(i) for i in range(self.parallel)]
        for seq in range(self.parallel):
            llama_cpp.llama_memory_seq_rm(self._memory, seq, -1, -1)
        self._threads = int(llama_cpp.llama_n_threads(self._ctx))
        self._threads_batch = int(llama_cpp.llama_n_threads_batch(self._ctx))
        self._batch_threads_set = self._threads_batch
        self._clock = time.perf_counter
        self.decode_steps = 0
        """``llama_decode`` calls made so far (diagnostics and tests)."""

    # What is going on

    @property
    def active(self) -> int:
        """Requests decoding now."""
        return sum(1 for slot in self._slots if slot.request is not None)

    @property
    def reading(self) -> int:
        """Requests still reading their prompt (no token sampled yet)."""
        return sum(1 for slot in self._slots if slot.request is not None and not slot.first)

    @property
    def free(self) -> int:
        return self.parallel - self.active

    def active_sequences(self) -> list[int]:
        """The llama.cpp sequence ids of the requests decoding now, in order."""
        return sorted(self._active_ids())

    def cached_tokens(self) -> list[int]:
        """How many tokens each slot's cache holds (diagnostics and tests)."""
        return [len(slot.cache) for slot in self._slots]

    # Preparing requests

    def chat_prompt(
        self, turns: list[ChatTurn], params: GenerationParams
    ) -> tuple[list[int], int] | Finished:
        """The prompt tokens and dropped turns for a chat, or why there is none."""
        try:
            fit = self._engine.fit_context(turns, params)
        except TemplateError as exc:
            return Finished(FinishReason.ERROR, error=f"The chat template failed: {exc}")
        except ContextOverflowError as exc:
            stats = GenerationStats(prompt_tokens=exc.prompt_tokens)
            return Finished(FinishReason.ERROR, stats, error=str(exc))
        return fit.tokens, fit.dropped_turns

    def completion_prompt(self, prompt: str) -> list[int] | Finished:
        """The tokens of raw ``prompt`` text, or why it cannot be continued."""
        engine = self._engine
        tokens = self._llm.tokenize(prompt.encode("utf-8"), add_bos=engine._add_bos, special=False)
        if not tokens or len(tokens) >= self.sequence_context:
            return Finished(
                FinishReason.ERROR,
                GenerationStats(prompt_tokens=len(tokens)),
                error=f"The prompt ({len(tokens)} tokens) does not fit the context window "
                f"({self.sequence_context} tokens).",
            )
        return tokens

    # Admission

    def admit(self, request: SequenceRequest) -> bool:
        """Start ``request`` in a free slot; False when every slot is busy.

        A request that cannot start (no room for an answer) is finished at once.
        """
        free = [slot for slot in self._slots if slot.request is None]
        if not free:
            return False
        prompt = request.prompt
        budget = min(request.params.max_tokens, self.sequence_context - len(prompt))
        if budget <= 0:
            stats = GenerationStats(prompt_tokens=len(prompt), dropped_turns=request.dropped_turns)
            request.emit(Finished(FinishReason.LENGTH, stats))
            return True
        try:
            sampler = self._engine.token_sampler(request.params)
        except Exception as exc:  # a grammar llama.cpp refuses: this request alone fails
            stats = GenerationStats(prompt_tokens=len(prompt), dropped_turns=request.dropped_turns)
            request.emit(Finished(FinishReason.ERROR, stats, error=f"Generation failed: {exc}"))
            return True
        slot = self._choose(free, prompt)
        slot.cached = self._keep_prefix(slot, prompt)
        slot.sampler = sampler
        slot.answer = self._engine.answer_text(request.params, budget, request.format_stops)
        slot.request = request
        slot.pending = prompt[slot.cached :]
        slot.first = 0.0
        return True

    def _choose(self, free: list[_Slot], prompt: list[int]) -> _Slot:
        """The free slot for ``prompt``: next to the slots answering (see ``_compact``),
        holding the conversation ``prompt`` continues when there is one, else the least
        recently used. A slot counts as continued when the prompt shares at least half
        of what it holds: a common system prompt alone must not take another client's
        slot. A conversation held away from the others is copied next to them."""
        active = self._active_ids()
        fewest = min(_runs(active | {slot.seq_id}) for slot in free)
        beside = [slot for slot in free if _runs(active | {slot.seq_id}) == fewest]
        best, best_shared = None, 0
        for slot in free:
            shared = shared_prefix(slot.cache, prompt)
            if shared > best_shared and 2 * shared >= len(slot.cache):
                best, best_shared = slot, shared
        target = min(beside, key=lambda s: s.last_used)
        if best is None or best in beside:
            return best or target
        self._copy(best, target)
        return target

    def _active_ids(self) -> set[int]:
        return {slot.seq_id for slot in self._slots if slot.request is not None}

    def _copy(self, source: _Slot, target: _Slot) -> None:
        """Give free ``target`` a copy of free ``source``'s conversation (KV and tokens)."""
        self._llama_cpp.llama_memory_seq_cp(self._memory, source.seq_id, target.seq_id, -1, -1)
        target.cache = list(source.cache)
        target.last_used = source.last_used

    def _compact(self) -> None:
        """Keep the answering sequences on consecutive ids.

        With a KV cache per sequence, llama.cpp splits a batch into one compute pass per
        run of consecutive sequence ids, and each pass reads all the weights again: four
        answers on sequences 0, 2, 4 and 6 decoded at half the speed of the same four on
        0 to 3 (Gemma 3 270M). When an answer ends between others, the highest one
        moves into the gap (llama.cpp copies its cache there before the next pass). The
        conversation the gap held moves to the least recently used free slot, unless it
        is older than that one's; when no other slot is free, the gap stays until a new
        request fills it, rather than lose that conversation.
        """
        while True:
            active = self.active_sequences()
            if _runs(set(active)) <= 1:
                return
            gap = self._slots[next(i for i in range(active[0], active[-1]) if i not in active)]
            spare = [s for s in self._slots if s.request is None and s is not gap]
            if gap.cache and not spare:
                return  # moving would lose that conversation: the next request fills the gap
            if gap.cache:
                keeper = min(spare, key=lambda s: s.last_used)
                if keeper.last_used < gap.last_used:  # else the gap's is the oldest: dropped
                    self._copy(gap, keeper)
            self._move(self._slots[active[-1]], gap)

    def _move(self, source: _Slot, target: _Slot) -> None:
        """Move active ``source``'s sequence (KV and answer) to free ``target``."""
        lib, memory = self._llama_cpp, self._memory
        lib.llama_memory_seq_cp(memory, source.seq_id, target.seq_id, -1, -1)
        lib.llama_memory_seq_rm(memory, source.seq_id, -1, -1)
        for name in _Slot.STATE:
            setattr(target, name, getattr(source, name))
        source.cache = []
        source.request = None
        source.pending = []
        source.sampler = None
        source.answer = None

    def _keep_prefix(self, slot: _Slot, prompt: list[int]) -> int:
        """Keep the part of the slot's cache that ``prompt`` starts with; its length."""
        llama_cpp = self._llama_cpp
        cached = shared_prefix(slot.cache, prompt)
        if cached:
            pos_min = llama_cpp.llama_memory_seq_pos_min(self._memory, slot.seq_id)
            going_back = cached < len(slot.cache)
            intact = not going_back or window_intact(cached, pos_min, self._engine._n_swa)
            if intact and llama_cpp.llama_memory_seq_rm(self._memory, slot.seq_id, cached, -1):
                del slot.cache[cached:]
                return cached
        llama_cpp.llama_memory_seq_rm(self._memory, slot.seq_id, -1, -1)
        slot.cache.clear()
        return 0

    # Decoding

    def step(self) -> None:
        """Decode one batch over every active slot and hand out what it produced."""
        answering: list[tuple[_Slot, int]] = []
        starting: list[tuple[_Slot, int]] = []  # prompts ending here: sampled first
        reading: list[_Slot] = []
        n = 0
        tokens, positions, logits, seq_ids = self._tokens, self._pos, self._logits, self._seq_ids
        for slot in self._slots:
            if slot.request is not None and slot.request.cancel.cancelled:
                self._finish(slot, FinishReason.CANCELLED)
        self._compact()
        prompts_first = self._prompts_first()
        for slot in self._slots:
            if slot.request is None:
                continue
            if slot.first:
                if prompts_first:
                    continue  # answering: one token each
                token = slot.pending[0]
                tokens[n] = token
                positions[n] = len(slot.cache)
                seq_ids[n][0] = slot.seq_id
                logits[n] = 1
                slot.cache.append(token)
                answering.append((slot, n))
                n += 1
            else:
                reading.append(slot)
        for slot in reading:  # prompts share what is left of the batch, first come first
            room = self._n_batch - n
            if room <= 0:
                break
            chunk = slot.pending[:room]
            del slot.pending[: len(chunk)]
            start = len(slot.cache)
            end = n + len(chunk)
            tokens[n:end] = chunk
            positions[n:end] = np.arange(start, start + len(chunk))
            logits[n:end] = 0
            for i in range(n, end):
                seq_ids[i][0] = slot.seq_id
            slot.cache.extend(chunk)
            n = end
            if not slot.pending:
                logits[n - 1] = 1
                starting.append((slot, n - 1))
        if n == 0:
            return
        self._batch.n_tokens = n
        self._use_threads(self._threads_batch if reading else self._threads)
        status = self._llama_cpp.llama_decode(self._ctx, self._batch)
        self.decode_steps += 1
        if status != 0:
            self._fail_all(f"llama_decode returned {status}")
            return
        now = self._clock()
        ctx = self._ctx
        share = max(1.0, (len(answering) + len(starting)) / FULL_RATE_ANSWERS)
        for slot, index in starting + answering:
            assert slot.sampler is not None
            try:
                token = slot.sampler.sample(ctx, index)
            except Exception as exc:  # no token fits the grammar: end this answer only
                self._finish(slot, FinishReason.ERROR, f"Generation failed: {exc}")
                continue
            self._take(slot, token, now, share)
        self._compact()

    def _prompts_first(self) -> bool:
        """Whether this step reads only the prompts, all of which it finishes.

        llama.cpp computes a batch in one pass per group of sequences with as many
        tokens each, so a prompt beside the others' next tokens costs two passes either
        way. Reading it alone first gives its first token one pass earlier and delays
        the others' next tokens by nothing; a prompt longer than a batch is read beside
        them instead, so that they do not stall for its whole length.
        """
        reading = [s.pending for s in self._slots if s.request is not None and not s.first]
        return bool(reading) and sum(map(len, reading)) <= self._n_batch

    def _use_threads(self, batch_threads: int) -> None:
        """Threads for the next decode. llama.cpp uses its batch thread count for any
        batch of more than one token; a step of several answers' next tokens is
        generation, so it gets the generation count, as one answer alone would (and
        prompts keep the batch count, as with one sequence)."""
        if batch_threads != self._batch_threads_set:
            self._llama_cpp.llama_set_n_threads(self._ctx, self._threads, batch_threads)
            self._batch_threads_set = batch_threads

    def _take(self, slot: _Slot, token: int, now: float, share: float) -> None:
        """Handle one sampled token: end, stop string, budget, or text to stream."""
        request, answer = slot.request, slot.answer
        assert request is not None and answer is not None
        if not slot.first:
            slot.first = now
        if request.cancel.cancelled:
            self._finish(slot, FinishReason.CANCELLED)
            return
        reason = answer.take(token)
        if reason is not None:
            self._finish(slot, reason)
            return
        delta = answer.ready(now, share)
        if delta is not None:
            request.emit(delta)
        slot.pending = [token]

    def _finish(self, slot: _Slot, reason: FinishReason, error: str | None = None) -> None:
        request, answer, sampler = slot.request, slot.answer, slot.sampler
        assert request is not None and answer is not None and sampler is not None
        last = self._clock()
        tail = answer.finish(complete=reason is not FinishReason.ERROR)
        if tail is not None:
            request.emit(tail)
        generated = answer.generated
        stats = answer_stats(
            len(request.prompt),
            slot.cached,
            generated,
            request.started,
            slot.first if generated else 0.0,
            last,
            request.dropped_turns,
        )
        sampler.close()
        slot.sampler = None
        slot.answer = None
        slot.request = None
        slot.pending = []
        slot.last_used = last
        request.emit(Finished(reason, stats, error=error))

    def _fail_all(self, reason: str) -> None:
        """llama.cpp refused a batch: end every active answer and forget the caches."""
        for slot in self._slots:
            if slot.request is not None:
                self._finish(slot, FinishReason.ERROR, f"Generation failed: {reason}")
            self._llama_cpp.llama_memory_seq_rm(self._memory, slot.seq_id, -1, -1)
            slot.cache.clear()

    def cancel_all(self, reason: FinishReason = FinishReason.CANCELLED) -> None:
        for slot in self._slots:
            if slot.request is not None:
                self._finish(slot, reason)

    def close(self) -> None:
        """End what is running and free the batch (the engine stays open)."""
        self.cancel_all()
        if self._batch is not None:
            self._llama_cpp.llama_batch_free(self._batch)
            self._batch = None


def _runs(ids: set[int]) -> int:
    """How many runs of consecutive numbers ``ids`` makes (llama.cpp's passes per batch)."""
    return sum(1 for i in ids if i - 1 not in ids)
