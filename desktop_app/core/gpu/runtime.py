"""The offload plan for a model on this computer, as a load and ``hearth hardware`` see it."""

from __future__ import annotations

from desktop_app.core.gpu.backends import gpu_backends, gpu_devices
from desktop_app.core.gpu.plan import OffloadPlan, model_sizes, plan_offload
from desktop_app.core.models.gguf_info import GGUFInfo

DEFAULT_UBATCH = 512
"""llama.cpp's compute pass on a GPU (the engine keeps it there when layers offload)."""


def plan_for(info: GGUFInfo, n_ctx: int, requested: int) -> OffloadPlan:
    """Where ``requested`` GPU layers (``AUTO``, ``ALL``, 0 or a count) of the model
    described by ``info`` go with an ``n_ctx``-token context, given this build's
    backends and its devices' free memory now."""
    sizes = model_sizes(info, n_ctx, DEFAULT_UBATCH)
    return plan_offload(sizes, requested, gpu_devices(), gpu_backends())
