"""The local engine: llama.cpp through llama-cpp-python.

The token loop is driven here, one level below ``Llama.generate`` (its sampler
chain, then ``llama_sampler_sample`` and ``llama_decode`` directly), rather than
through ``create_chat_completion(stream=True)``, which re-detokenizes the whole answer
on every token. Each token costs one list lookup (``PieceTable``), one incremental
UTF-8 decode and, when stop strings are set, a check on a short tail. The KV cache of
the previous answer stays, and the longest prefix it shares with the next prompt is
reused, so a follow-up turn only evaluates the new tokens.

Not thread-safe: every call must come from the thread that owns the engine.

Size: the token loop, prompt caching and sliding-window checks share the model's
state and must run on its thread; helpers already live in context_window, prompt_format,
prompt_tokens, streaming and kv_state.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import logging
import os
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine import llama_logs
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineCapabilities,
    EngineError,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
)
from desktop_app.core.engine.context_window import (
    ContextOverflowError,
    answer_reserve,
    fit_turns,
)
from desktop_app.core.engine.default_params import adjusted_defaults
from desktop_app.core.engine.kv_state import KVSnapshot
from desktop_app.core.engine.llama_templates import defer_library_templates
from desktop_app.core.engine.load_params import (
    DEFAULT_CONTEXT,
    KV_AUTO,
    LoadParams,
    LoadProgress,
)
from desktop_app.core.engine.prompt_format import (
    PromptFormat,
    TemplateError,
    choose_format,
    render_prompt,
)
from desktop_app.core.engine.prompt_tokens import SegmentTokenizer, safe_boundary
from desktop_app.core.engine.sequence import AnswerText, TokenSampler, answer_stats, shared_prefix
from desktop_app.core.engine.streaming import PieceTable, TextTable
from desktop_app.core.engine.template_sandbox import TemplateCancelled, TemplateSandbox
from desktop_app.core.gpu.fallback import LoadCancelledError, hidden_gpus, load_with_fallback
from desktop_app.core.gpu.report import OffloadReport
from desktop_app.core.gpu.runtime import DEFAULT_UBATCH, plan_for
from desktop_app.core.hardware import looks_like_memory_failure, memory_advice
from desktop_app.core.models.gguf_info import GGUFError, GGUFInfo, read_gguf_info
from desktop_app.core.structured.sampling import prepare_utf8_classes
from desktop_app.core.tools.calls import ToolSpec
from desktop_app.core.tools.prompting import template_supports_tools

log = logging.getLogger(__name__)

CPU_UBATCH = 256
"""Compute pass size on CPU. A sliding-window cache (Gemma 2 and 3…) holds the window
plus one pass, so with 256 instead of 512 every windowed layer attends to 768 cells
instead of 1,024 once a chat outgrows the window: 135 new tokens after 3,000 took
160 ms against 166 ms on Gemma 3 270M, while long prompts ran as fast. GPUs want
bigger passes, so they keep llama.cpp's default."""
KV_CACHE_TYPES = {"f16": 1, "bf16": 30}
"""ggml's type ids for the KV cache formats Hearth offers (``GGML_TYPE_F16``, ``_BF16``)."""


class LoadCancelled(EngineError):
    """The user cancelled a model load; not an error to show as one."""


def _load_progress(llama_cpp: Any, report: LoadProgress) -> contextlib.AbstractContextManager[None]:
    """Give the next model load a llama.cpp progress callback, llama.cpp's only hook to
    follow or abort a model load (``Llama.__init__`` has no argument for it). The ctypes
    callback object stays alive with the context manager, until the load returns."""
    module = llama_cpp.llama_cpp

    def reporting(_fraction: float, _user_data: Any) -> bool:
        try:
            return bool(report(float(_fraction)))
        except Exception:  # an exception cannot cross into C; keep loading
            log.exception("The load progress report failed")
            return True

    callback = module.llama_progress_callback(reporting)

    def with_progress(params: Any) -> None:
        params.progress_callback = callback

    return adjusted_defaults(llama_cpp, "llama_model_default_params", with_progress)


def _sequences(llama_cpp: Any, n_seq_max: int) -> contextlib.AbstractContextManager[None]:
    """Give the next context ``n_seq_max`` sequences, each with its own part of the cache
    (``Llama.__init__`` takes no ``n_seq_max``)."""
    if n_seq_max <= 1:
        return contextlib.nullcontext()

    def with_sequences(params: Any) -> None:
        params.n_seq_max = n_seq_max
        params.kv_unified = False

    return adjusted_defaults(llama_cpp, "llama_context_default_params", with_sequences)


class TokenizedFit(NamedTuple):
    tokens: list[int]
    dropped_turns: int


def kv_cache_type(params: LoadParams, system_info: str, gpu_offload: bool = True) -> str:
    """The KV cache format to load with.

    "auto" picks bf16 on a CPU-only load when the CPU computes in bf16 natively
    (AVX512_BF16 in llama.cpp's system info): attention over a long chat then runs
    about 10 % faster than with f16, in the same memory (measured on Gemma 3 270M,
    135 new tokens after 3,000: 191 ms against 207 ms), with the same greedy tokens.
    Everywhere else (GPUs, flash attention, CPUs without it) f16 stays, as llama.cpp
    chooses by default.
    """
    if params.kv_cache_type in KV_CACHE_TYPES:
        return params.kv_cache_type
    if params.kv_cache_type != KV_AUTO:
        raise EngineError(
            f"Unknown KV cache type {params.kv_cache_type!r}: use auto, "
            + ", ".join(KV_CACHE_TYPES)
        )
    native_bf16 = "AVX512_BF16 = 1" in system_info
    return (
        "bf16"
        if native_bf16 and runs_on_cpu(params, gpu_offload) and not params.flash_attn
        else "f16"
    )


def window_intact(cached: int, pos_min: int, n_swa: int) -> bool:
    """Whether reusing ``cached`` tokens of the KV cache keeps every layer's context.

    A sliding-window cache (``swa_full`` off) holds only the window plus one compute
    pass and overwrites older cells. Going back in the chat (regenerate, edit) then
    needs cells it no longer has, and llama.cpp would silently attend without them; in
    that case the prompt is evaluated afresh, as llama-server does. ``pos_min`` is the
    oldest position the cache holds for the sequence (-1: none).
    """
    if n_swa <= 0:
        return True
    return 0 <= pos_min <= max(0, cached - n_swa)


def runs_on_cpu(params: LoadParams, gpu_offload: bool) -> bool:
    """Whether every layer runs on the CPU (``gpu_offload``: this llama.cpp build can offload)."""
    return params.n_gpu_layers == 0 or not gpu_offload


def ubatch_size(params: LoadParams, gpu_offload: bool = True) -> int:
    """Tokens per compute pass within a batch (see ``CPU_UBATCH``)."""
    return CPU_UBATCH if runs_on_cpu(params, gpu_offload) else DEFAULT_UBATCH


def default_threads() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def check_model_file(path: Path) -> GGUFInfo:
    """The file's GGUF header; ``EngineError`` with a one-line reason if ``path`` is not
    a usable GGUF."""
    try:
        return read_gguf_info(path)
    except FileNotFoundError as exc:
        raise EngineError(f"Model file not found: {path}") from exc
    except PermissionError as exc:
        raise EngineError(f"Cannot read the model file {path}: permission denied") from exc
    except OSError as exc:
        raise EngineError(f"Cannot read the model file {path}: {exc.strerror or exc}") from exc
    except GGUFError as exc:
        raise EngineError(f"{path.name} is not a usable GGUF model: {exc}") from exc


class LlamaEngine:
    """One loaded GGUF model."""

    capabilities = EngineCapabilities(saves_state=True, counts_tokens=True, raw_completion=True)

    def __init__(
        self,
        path: Path,
        params: LoadParams | None = None,
        progress: LoadProgress | None = None,
    ) -> None:
        """Load ``path``; ``progress(fraction)`` is called during the load and may return
        False to cancel it (``LoadCancelled`` is raised)."""
        params = params or LoadParams()
        info = check_model_file(path)
        try:
            import llama_cpp
        except ImportError as exc:  # pragma: no cover - a broken install
            raise EngineError(f"The llama.cpp engine is not installed: {exc}") from exc
        self._llama_cpp = llama_cpp
        llama_logs.install(llama_cpp)
        defer_library_templates(llama_cpp)
        llama_logs.take_recent_errors()
        trained = info.context_length or DEFAULT_CONTEXT
        self.sequences = max(1, params.n_seq_max)
        n_ctx = (params.n_ctx if params.n_ctx > 0 else trained) * self.sequences
        cancelled = False
        system_info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
        gpu_offload = bool(llama_cpp.llama_supports_gpu_offload())
        n_batch = min(params.n_batch, n_ctx)

        def report(fraction: float) -> bool:
            nonlocal cancelled
            if progress is not None and progress(fraction) is False:
                cancelled = True
            return not cancelled

        plan = plan_for(info, n_ctx, params.n_gpu_layers)

        def load(n_gpu_layers: int, cpu_only: bool) -> tuple[Any, str]:
            attempt = replace(params, n_gpu_layers=n_gpu_layers)
            kv_type = KV_CACHE_TYPES[kv_cache_type(attempt, system_info, gpu_offload)]
            n_ubatch = min(n_batch, ubatch_size(attempt, gpu_offload))
            devices = hidden_gpus(llama_cpp) if cpu_only else contextlib.nullcontext()
            try:
                with (
                    _load_progress(llama_cpp, report),
                    devices,
                    _sequences(llama_cpp, self.sequences),
                ):
                    llm = llama_cpp.Llama(
                        model_path=str(path),
                        n_ctx=n_ctx,
                        n_threads=params.n_threads or default_threads(),
                        n_gpu_layers=n_gpu_layers,
                        n_batch=n_batch,
                        n_ubatch=n_ubatch,
                        flash_attn=params.flash_attn,
                        swa_full=params.swa_full,
                        type_k=kv_type,
                        type_v=kv_type,
                        verbose=False,
                    )
            except (ValueError, RuntimeError, OSError, MemoryError) as exc:
                if cancelled:
                    raise LoadCancelledError from exc
                raise
            key = f"{params.flash_attn}|{params.swa_full}|{n_gpu_layers}|{kv_type}|{n_ubatch}"
            return llm, key

        def failure(exc: BaseException) -> str:
            return next(iter(llama_logs.take_recent_errors()), str(exc) or type(exc).__name__)

        try:
            loaded = load_with_fallback(load, plan.n_gpu_layers, plan.n_blocks, failure)
        except LoadCancelledError as exc:
            raise LoadCancelled(f"Loading {path.name} was cancelled.") from exc
        except (ValueError, RuntimeError, OSError, MemoryError) as exc:
            reasons = llama_logs.take_recent_errors()
            reason = next(iter(reasons), str(exc))
            if isinstance(exc, MemoryError) or looks_like_memory_failure(
                " ".join([*reasons, str(exc)])
            ):
                raise EngineError(
                    f"Not enough memory to load {path.name} ({reason}). " + memory_advice(0, n_ctx)
                ) from exc
            raise EngineError(
                f"llama.cpp could not load {path.name} ({reason}). The file may be damaged, "
                "use an architecture this version does not support, or need more memory "
                "(try a smaller context or fewer GPU layers)."
            ) from exc
        self._llm, self._load_key = loaded.value
        if loaded.n_gpu_layers != plan.n_gpu_layers:
            plan = plan_for(info, n_ctx, loaded.n_gpu_layers)
        self._offload = OffloadReport(plan, loaded.notice, llama_logs.take_offloaded())
        model = self._llm._model
        self.sequence_context = int(llama_cpp.llama_n_ctx_seq(self._llm._ctx.ctx))
        """Tokens of context each sequence has (all of it with one sequence)."""
        self._vocab = llama_cpp.llama_model_get_vocab(model.model)
        self._n_swa = 0 if params.swa_full else int(llama_cpp.llama_model_n_swa(model.model))
        n_vocab = self._llm.n_vocab()
        self._pieces = PieceTable(self._token_bytes)
        prepare_utf8_classes(self._llm, self._token_bytes)  # not on the first constrained answer
        self._texts = TextTable(self._pieces)
        self._bos = model.token_bos()
        self._eos = model.token_eos()
        self._add_bos = bool(model.add_bos_token())
        self._sandbox: TemplateSandbox | None = None
        self._format_problem = ""
        try:
            self._format = self._pick_format(
                info.chat_template, info.architecture, lambda: not report(1.0)
            )
        except TemplateCancelled as exc:
            self._llm.close()
            raise LoadCancelled(f"Loading {path.name} was cancelled.") from exc
        self._ends_answer = [
            bool(llama_cpp.llama_vocab_is_eog(self._vocab, t)) for t in range(n_vocab)
        ]
        stop_tokens, self._format_text_stops = self._split_format_stops()
        for token in stop_tokens:
            self._ends_answer[token] = True
        self._prompt_tokenizer = SegmentTokenizer(
            self._tokenize_special, self._safe_boundaries(stop_tokens)
        )
        self._never_ends = [False] * n_vocab
        self._info = ModelInfo(
            name=info.name,
            path=str(path),
            architecture=info.architecture,
            context_length=self.sequence_context,
            chat_format=self._format_words(),
            format_name=self._format.name,
            format_source=self._format_source(bool(self._format_problem)),
            format_problem=self._format_problem,
            offload=self._offload.describe(),
            offload_notice=self._offload.notice,
            supports_tools=self.supports_tools,
        )

    def _format_words(self) -> str:
        if self._format_problem:
            return (
                f"the built-in {self._format.name} format (the model's own template was "
                f"rejected: {self._format_problem})"
            )
        return self._format.description

    def _format_source(self, template_rejected: bool) -> str:
        if template_rejected:
            return "rejected"
        if self._format.from_model:
            return "model"
        return "plain" if self._format.name == "plain" else "builtin"

    @property
    def info(self) -> ModelInfo:
        return self._info

    @property
    def offload(self) -> OffloadReport:
        """Where the layers run, and any GPU fallback that happened while loading."""
        return self._offload

    @property
    def llama(self) -> Any:
        """The underlying ``llama_cpp.Llama``, for benchmarks and diagnostics.

        Like the engine itself, it may only be used on the engine's thread.
        """
        return self._llm

    @property
    def prompt_format(self) -> PromptFormat:
        return self._format

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
        self._llm.close()

    @property
    def state_fingerprint(self) -> str:
        """What a saved KV state is valid for: this file and these load parameters."""
        path = Path(self._info.path)
        try:
            stat = path.stat()
            file_id = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        except OSError:
            file_id = str(path)
        key = f"{file_id}|{self._llm.n_ctx()}|{self._load_key}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def save_state(self) -> KVSnapshot | None:
        """The KV cache and the tokens it holds, or None when it is empty."""
        n = self._llm.n_tokens
        if n <= 0:
            return None
        ctx = self._llm._ctx.ctx
        size = self._llama_cpp.llama_state_seq_get_size(ctx, 0)
        data = bytearray(size)
        buffer = (ctypes.c_uint8 * size).from_buffer(data)
        written = self._llama_cpp.llama_state_seq_get_data(ctx, buffer, size, 0)
        del buffer
        if written <= 0:
            return None
        if written < size:
            del data[written:]
        return KVSnapshot(np.array(self._llm.input_ids[:n], dtype=np.intc), data)

    def restore_state(self, snapshot: KVSnapshot) -> bool:
        """Replace the KV cache with ``snapshot``; False (and an empty cache) if refused."""
        llama_cpp = self._llama_cpp
        ctx = self._llm._ctx.ctx
        n = len(snapshot.tokens)
        if n == 0 or n > self._llm.n_ctx():
            return False
        llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(ctx), True)
        self._llm.n_tokens = 0
        buffer = (ctypes.c_uint8 * len(snapshot.data)).from_buffer(snapshot.data)
        read = llama_cpp.llama_state_seq_set_data(ctx, buffer, len(snapshot.data), 0)
        del buffer
        if read == 0:
            llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(ctx), True)
            return False
        self._llm.input_ids[:n] = snapshot.tokens
        self._llm.n_tokens = n
        # The logits in the context belong to another conversation: the next answer
        # evaluates at least one prompt token before it samples (see _cached_prefix).
        self._llm._requires_eval = True
        return True

    def count_tokens(self, text: str) -> int:
        return len(self._tokenize_special(text))

    def _token_bytes(self, token: int) -> bytes:
        """The bytes a token stands for; control tokens (end of turn etc.) show nothing."""
        size = 64
        while True:
            buffer = ctypes.create_string_buffer(size)
            n = self._llama_cpp.llama_token_to_piece(self._vocab, token, buffer, size, 0, False)
            if n >= 0:
                return buffer.raw[:n]
            size = -n

    def _split_format_stops(self) -> tuple[list[int], tuple[str, ...]]:
        """The prompt format's stop markers: single special tokens, and the rest as text.

        Control tokens render as no text, so a marker like Gemma's ``<end_of_turn>``
        can never match as a stop string; it is caught by its token id instead (a model
        without a chat template often does not flag it as end-of-generation). Only
        markers that take several tokens are looked for in the text, which spares the
        per-token stop scan for the common formats.
        """
        tokens: list[int] = []
        texts: list[str] = []
        for marker in self._format.stop:
            ids = self._tokenize_special(marker)
            if len(ids) == 1:
                tokens.append(ids[0])
            else:
                texts.append(marker)
        return tokens, tuple(texts)

    def _tokenize_special(self, text: str) -> list[int]:
        """Token ids of ``text`` with special tokens parsed, no BOS added."""
        return self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def _safe_boundaries(self, stop_tokens: list[int]) -> list[str]:
        """End-of-turn markers that prompts may be cut after (see ``prompt_tokens``)."""
        llama_cpp = self._llama_cpp
        vocab_type = llama_cpp.llama_vocab_type(self._vocab)
        if vocab_type not in (llama_cpp.LLAMA_VOCAB_TYPE_SPM, llama_cpp.LLAMA_VOCAB_TYPE_BPE):
            return []
        special = (
            llama_cpp.LLAMA_TOKEN_ATTR_CONTROL
            | llama_cpp.LLAMA_TOKEN_ATTR_USER_DEFINED
            | llama_cpp.LLAMA_TOKEN_ATTR_UNKNOWN
        )
        get_attr = llama_cpp.llama_vocab_get_attr
        attrs = {
            t: a for t in range(self._llm.n_vocab()) if (a := get_attr(self._vocab, t)) & special
        }
        try:
            texts = {t: self._special_text(t) for t in attrs}
        except UnicodeDecodeError:  # a token llama.cpp matches as bytes: cut nothing
            return []
        eot = llama_cpp.llama_vocab_eot(self._vocab)
        candidates = [*stop_tokens, eot, *(t for t in attrs if self._ends_answer[t])]
        boundaries: list[str] = []
        for token in dict.fromkeys(candidates):
            text = texts.get(token, "")
            strips = bool(attrs.get(token, 0) & llama_cpp.LLAMA_TOKEN_ATTR_RSTRIP)
            if text not in boundaries and safe_boundary(text, strips, texts.values()):
                boundaries.append(text)
        return boundaries

    def _has_single_token(self, text: str) -> bool:
        return len(self._tokenize_special(text)) == 1

    def _special_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self._llm._model.token_get_text(token)

    def _pick_format(
        self, template: str | None, architecture: str, should_stop: Callable[[], bool]
    ) -> PromptFormat:
        """The model's template if a trial render passes, else the fallback (and why, in
        ``_format_problem``).

        The trial runs in the template's sandbox process, so a template that hangs or
        floods memory is stopped at the limits and the load can be cancelled meanwhile.
        """
        chosen = choose_format(template, architecture, self._has_single_token)
        if not chosen.from_model:
            return chosen
        self._sandbox = TemplateSandbox(chosen.template)
        probe = [ChatTurn("system", "You are helpful."), ChatTurn("user", "Hello")]
        try:
            self._render(chosen, probe, should_stop)
        except TemplateCancelled:
            self._sandbox.close()
            raise
        except TemplateError as exc:
            self._sandbox.close()
            self._sandbox = None
            self._format_problem = str(exc)
            return choose_format(None, architecture, self._has_single_token)
        return chosen

    def _render(
        self,
        fmt: PromptFormat,
        turns: list[ChatTurn],
        should_stop: Callable[[], bool] | None = None,
        tools: tuple[ToolSpec, ...] = (),
    ) -> str:
        last = turns[-1] if turns else None
        if last is not None and last.role == "assistant" and not last.tool_calls:
            # continue this answer (see Engine)
            return self._render(fmt, turns[:-1], should_stop, tools) + last.content
        return render_prompt(
            fmt,
            turns,
            bos_token=self._special_text(self._bos),
            eos_token=self._special_text(self._eos),
            sandbox=self._sandbox,
            should_stop=should_stop,
            tools=tools,
        )

    @property
    def supports_tools(self) -> bool:
        """Whether the model's own chat template knows tools (else they go in the text)."""
        return self._format.from_model and template_supports_tools(self._format.template)

    def prompt_tokens(self, turns: list[ChatTurn], tools: tuple[ToolSpec, ...] = ()) -> list[int]:
        """The token ids the model sees for ``turns`` (raises ``TemplateError``)."""
        tokens = self._prompt_tokenizer(self._render(self._format, turns, tools=tools))
        if self._add_bos and self._bos >= 0 and (not tokens or tokens[0] != self._bos):
            tokens.insert(0, self._bos)
        return tokens

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        started = time.perf_counter()
        try:
            fit = self.fit_context(turns, params)
        except TemplateError as exc:
            yield Finished(FinishReason.ERROR, error=f"The chat template failed: {exc}")
            return
        except ContextOverflowError as exc:
            stats = GenerationStats(prompt_tokens=exc.prompt_tokens)
            yield Finished(FinishReason.ERROR, stats, error=str(exc))
            return
        yield from self._generate(
            fit.tokens, params, cancel or CancelToken(), started, fit.dropped_turns
        )

    def fit_context(self, turns: list[ChatTurn], params: GenerationParams) -> TokenizedFit:
        """The prompt tokens for ``turns``, with the oldest turns left out if they overflow.

        Raises ``ContextOverflowError`` (strategy "stop", or a message too long even
        alone) and ``TemplateError``.
        """
        n_ctx = self.sequence_context
        prompts: dict[int, list[int]] = {}

        def count_prompt(candidate: list[ChatTurn]) -> int:
            tokens = self.prompt_tokens(candidate, params.tools)
            prompts[len(candidate)] = tokens
            return len(tokens)

        fit = fit_turns(
            turns,
            count_prompt,
            lambda turn: self.count_tokens(turn.content) + 4,
            n_ctx,
            answer_reserve(n_ctx, params.max_tokens),
            params.context_overflow,
        )
        return TokenizedFit(prompts[len(fit.turns)], fit.dropped_turns)

    def context_usage(self, turns: list[ChatTurn], params: GenerationParams) -> int:
        """Tokens the next prompt for ``turns`` takes (after leaving out old turns)."""
        try:
            return len(self.fit_context(turns, params).tokens)
        except ContextOverflowError as exc:
            return exc.prompt_tokens

    def stream_completion(
        self, prompt: str, params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        """Continue raw ``prompt`` text, with no chat template (an OpenAI-style completion)."""
        started = time.perf_counter()
        tokens = self._llm.tokenize(prompt.encode("utf-8"), add_bos=self._add_bos, special=False)
        n_ctx = self.sequence_context
        if not tokens or len(tokens) >= n_ctx:
            yield Finished(
                FinishReason.ERROR,
                GenerationStats(prompt_tokens=len(tokens)),
                error=f"The prompt ({len(tokens)} tokens) does not fit the context window "
                f"({n_ctx} tokens).",
            )
            return
        yield from self._generate(
            tokens, params, cancel or CancelToken(), started, format_stops=False
        )

    def _generate(
        self,
        prompt: list[int],
        params: GenerationParams,
        cancel: CancelToken,
        started: float,
        dropped: int = 0,
        *,
        format_stops: bool = True,
    ) -> Iterator[EngineEvent]:
        budget = min(params.max_tokens, self.sequence_context - len(prompt))
        if budget <= 0:
            none = answer_stats(len(prompt), 0, 0, started, 0.0, 0.0, dropped)
            yield Finished(FinishReason.LENGTH, none)
            return
        cached = self._keep_cached_prefix(prompt)
        answer = self.answer_text(params, budget, format_stops)
        first = last = 0.0
        reason: FinishReason | None = None
        clock = time.perf_counter
        tokens = self._sampled_tokens(prompt[cached:], params)

        def stats() -> GenerationStats:
            return answer_stats(
                len(prompt), cached, answer.generated, started, first, last, dropped
            )

        try:
            for token in tokens:
                now = clock()
                if not first:
                    first = now
                if cancel.cancelled:
                    reason = FinishReason.CANCELLED
                    break
                reason = answer.take(token)
                if reason is not None:
                    break
                delta = answer.ready(now)
                if delta is not None:
                    yield delta
            last = clock()
            tail = answer.finish()
            if tail is not None:
                yield tail
        except Exception as exc:  # llama.cpp failed mid-answer: report, keep the text
            log.exception("Generation failed after %d tokens", answer.generated)
            yield Finished(FinishReason.ERROR, stats(), error=f"Generation failed: {exc}")
            return
        finally:
            tokens.close()
        yield Finished(reason or FinishReason.LENGTH, stats())

    def answer_text(self, params: GenerationParams, budget: int, format_stops: bool) -> AnswerText:
        """An answer's token handling: end-of-turn tokens, stop strings (the prompt
        format's text markers too when ``format_stops``, unless ``ignore_eos``)."""
        text_stops = () if params.ignore_eos or not format_stops else self._format_text_stops
        ends_answer = self._never_ends if params.ignore_eos else self._ends_answer
        stops = params.stop + text_stops
        return AnswerText(
            self._pieces, self._texts, ends_answer, stops, budget, params.stream_interval_s
        )

    def token_sampler(self, params: GenerationParams) -> TokenSampler:
        """A seeded sampler for ``params`` on this model (see ``TokenSampler``)."""
        return TokenSampler(self._llama_cpp, self._llm, params, self._token_bytes)

    def _sampled_tokens(
        self, new_tokens: list[int], params: GenerationParams
    ) -> Generator[int, None, None]:
        """Evaluate ``new_tokens`` after the cache, then sample and evaluate token by token.

        What ``Llama.generate`` does, with the same sampler chain, minus its per-token
        bookkeeping in Python (a batch filled field by field, a cache trim, an index
        check): several µs a token, 5-10 % of a small model's token time on CPU.
        The generator must be closed (it frees its sampler); the last token it yields
        is never evaluated, as with ``generate``.
        """
        if not new_tokens:  # sampling would read logits left by another prompt
            raise ValueError("at least one prompt token must be evaluated")
        llm = self._llm
        llama_cpp = self._llama_cpp
        sampler = self.token_sampler(params)
        try:
            llm.eval(new_tokens)
            ctx = llm._ctx.ctx
            sample = sampler.sample
            decode = llama_cpp.llama_decode
            token_slot = (llama_cpp.llama_token * 1)()
            one_token = llama_cpp.llama_batch_get_one(token_slot, 1)
            input_ids = llm.input_ids
            n = llm.n_tokens
            while True:
                token = sample(ctx, -1)
                yield token
                token_slot[0] = token
                status = decode(ctx, one_token)
                if status != 0:
                    raise RuntimeError(f"llama_decode returned {status}")
                input_ids[n] = token
                n += 1
                llm.n_tokens = n
        finally:
            sampler.close()

    def _keep_cached_prefix(self, prompt: list[int]) -> int:
        """Keep the part of the KV cache that ``prompt`` starts with, drop the rest, and
        return its length in tokens (0: evaluate the whole prompt afresh).

        ``Llama.generate`` would find the shared prefix with a Python loop over every
        token of the chat, on every turn (about 0.3 ms per 1,000 tokens).
        """
        cached = self._cached_prefix(prompt)
        if not cached:
            self._llm.reset()
            return 0
        llama_cpp = self._llama_cpp
        pos_min = llama_cpp.llama_memory_seq_pos_min(
            llama_cpp.llama_get_memory(self._llm._ctx.ctx), 0
        )
        # Going forward the cache holds the window by construction; only going back can
        # miss it (and a hybrid cache reports its recurrent part's position here).
        going_back = cached < self._llm.n_tokens
        intact = not going_back or window_intact(cached, pos_min, self._n_swa)
        if intact and self._llm._ctx.kv_cache_seq_rm(-1, cached, -1):
            self._llm.n_tokens = cached
            return cached
        self._llm.reset()
        return 0

    def _cached_prefix(self, prompt: list[int]) -> int:
        """How many leading prompt tokens are already in the KV cache."""
        return shared_prefix(self._llm.input_ids[: self._llm.n_tokens], prompt)
