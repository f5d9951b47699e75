"""How a model is loaded (``LoadParams``), apart from the engine that loads it.

Settings and the CLI build these without importing llama.cpp or numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_CONTEXT = 4096
KV_AUTO = "auto"
GPU_LAYERS_AUTO = -2
"""``n_gpu_layers``: as many layers as fit in the GPU's free memory (see ``core.gpu.plan``)."""
GPU_LAYERS_ALL = -1

LoadProgress = Callable[[float], bool]
"""Called with the fraction loaded (0 to 1); returning False cancels the load."""


@dataclass(frozen=True)
class LoadParams:
    n_ctx: int = DEFAULT_CONTEXT
    """Context window in tokens; 0 uses the model's trained length."""
    n_threads: int | None = None
    """CPU threads for generation; None lets Hearth pick (logical CPUs, at most 8)."""
    n_gpu_layers: int = GPU_LAYERS_AUTO
    """Layers to offload to the GPU: ``GPU_LAYERS_AUTO`` (-2) as many as fit, -1 all,
    0 none (the CPU only)."""
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
