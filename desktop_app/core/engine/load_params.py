"""How a model is loaded (``LoadParams``), apart from the engine that loads it.

Settings and the CLI build these without importing llama.cpp or numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_CONTEXT = 4096
KV_AUTO = "auto"

LoadProgress = Callable[[float], bool]
"""Called with the fraction loaded (0 to 1); returning False cancels the load."""


@dataclass(frozen=True)
class LoadParams:
    n_ctx: int = DEFAULT_CONTEXT
    """Context window in tokens; 0 uses the model's trained length."""
    n_threads: int | None = None
    """CPU threads for generation; None lets Hearth pick (logical CPUs, at most 8)."""
    n_gpu_layers: int = 0
    """Layers to offload to the GPU; -1 offloads all of them."""
    n_batch: int = 512
    """Prompt tokens evaluated per step."""
    flash_attn: bool = False
    swa_full: bool = False
    """Keep a full-size KV cache for sliding-window layers (Gemma 3…). Not needed to reuse
    a shared prefix that ends within the window (the next turn of a chat); it costs
    memory and attention time on every token."""
    kv_cache_type: str = KV_AUTO
    """Number format of the KV cache: "f16", "bf16", or "auto" (see ``kv_cache_type``)."""
    n_seq_max: int = 1
    """Sequences decoded together (``core.engine.batched``); each gets ``n_ctx`` tokens of
    its own KV cache."""
