"""How many of a model's layers to put on the GPU, from the file's tensor sizes.

llama.cpp counts a model's layers as its repeating blocks plus the output layer:
``n_gpu_layers = k`` puts the last ``k`` blocks on the GPU, and the output layer too
once ``k`` exceeds the block count. The input embedding always stays on the CPU. Each
offloaded block also holds its part of the KV cache on the GPU. "auto" offloads as many
blocks as fit in the devices' free memory after a safety margin and the compute buffer,
and the output layer when every block fits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from desktop_app.core.engine.load_params import GPU_LAYERS_ALL, GPU_LAYERS_AUTO
from desktop_app.core.hardware import Device, format_bytes
from desktop_app.core.models.gguf_info import ArrayValue, GGUFInfo

AUTO = GPU_LAYERS_AUTO
"""``n_gpu_layers`` meaning "as many as fit" (the default); ``ALL`` (-1) all, 0 none."""
ALL = GPU_LAYERS_ALL
MARGIN_FRACTION = 0.05
MIN_MARGIN = 256 * 1024**2
"""Kept free on the device: other programs' use changes while a model is loaded, and
drivers reserve memory of their own (5 % of the device, at least 256 MiB)."""
_BLOCK = re.compile(r"^blk\.(\d+)\.")


@dataclass(frozen=True)
class ModelSizes:
    """What offloading a model costs, per part, in bytes."""

    block_bytes: tuple[int, ...]
    """Weights of each repeating block."""
    output_bytes: int
    """The output layer (its norm and projection; a copy of the embedding when tied)."""
    kv_bytes_per_block: int
    """f16 KV cache of one block for the whole context."""
    compute_bytes: int
    """llama.cpp's compute buffer on the device (logits and attention scores of a pass)."""

    @property
    def n_blocks(self) -> int:
        return len(self.block_bytes)


def model_sizes(info: GGUFInfo, n_ctx: int, n_ubatch: int = 512) -> ModelSizes:
    """The sizes that decide how many layers fit, read from the GGUF header."""
    tensors = info.tensor_bytes or {}
    arch = info.architecture
    blocks: dict[int, int] = {}
    for name, size in tensors.items():
        match = _BLOCK.match(name)
        if match:
            index = int(match.group(1))
            blocks[index] = blocks.get(index, 0) + size
    declared = _int(info, f"{arch}.block_count")
    count = max(declared or 0, max(blocks, default=-1) + 1)
    output = tensors.get("output.weight", tensors.get("token_embd.weight", 0))
    output += sum(size for name, size in tensors.items() if name.startswith("output_norm."))
    kv_per_token = info.kv_bytes_per_token or 0
    kv_per_block = kv_per_token // count * n_ctx if count else 0
    tokens = info.metadata.get("tokenizer.ggml.tokens")
    n_vocab = tokens.length if isinstance(tokens, ArrayValue) else 0
    n_head = _int(info, f"{arch}.attention.head_count") or 0
    n_embd = _int(info, f"{arch}.embedding_length") or 0
    compute = n_ubatch * (n_vocab + n_ctx * n_head + 8 * n_embd) * 4
    return ModelSizes(
        block_bytes=tuple(blocks.get(i, 0) for i in range(count)),
        output_bytes=output,
        kv_bytes_per_block=kv_per_block,
        compute_bytes=compute,
    )


def _int(info: GGUFInfo, key: str) -> int | None:
    value = info.metadata.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class OffloadPlan:
    """Where a load puts the model, and why."""

    n_gpu_layers: int
    """The value for llama.cpp (blocks on the GPU, plus one for the output layer)."""
    n_blocks: int
    gpu_blocks: int
    output_on_gpu: bool
    devices: tuple[Device, ...]
    """The GPU devices layers go to (empty: CPU only)."""
    needed_bytes: int = 0
    """Device memory the offloaded part needs (weights, KV cache, compute, margin)."""
    free_bytes: int = 0
    reason: str = ""
    """Why fewer than all layers are on the GPU (empty when all are)."""

    @property
    def on_gpu(self) -> bool:
        return self.gpu_blocks > 0 and bool(self.devices)

    def describe(self) -> str:
        """One line: "26/26 layers on Vulkan0 (NVIDIA RTX 3060, 12.0 GB), KV cache on GPU"."""
        if not self.on_gpu:
            line = f"all {self.n_blocks} layers on the CPU"
            return f"{line} ({self.reason})" if self.reason else line
        where = ", ".join(
            f"{d.name} ({d.description}, {format_bytes(d.memory_total)})" for d in self.devices
        )
        line = f"{self.gpu_blocks}/{self.n_blocks} layers on {where}, KV cache on GPU"
        if self.gpu_blocks == self.n_blocks and not self.output_on_gpu:
            line += ", output layer on the CPU"
        elif self.gpu_blocks < self.n_blocks:
            line += f", {self.n_blocks - self.gpu_blocks} on the CPU"
        return f"{line} ({self.reason})" if self.reason else line


def plan_offload(
    sizes: ModelSizes,
    requested: int,
    devices: Sequence[Device],
    backends: Sequence[str],
) -> OffloadPlan:
    """The plan for ``requested`` layers (``AUTO``, ``ALL``, 0 or a count) on ``devices``
    (the GPU devices llama.cpp found) with ``backends`` (the build's GPU backends)."""
    n = sizes.n_blocks
    cpu = OffloadPlan(0, n, 0, False, ())
    if requested == 0:
        return replace(cpu, reason="GPU layers set to 0")
    if not backends:
        return replace(cpu, reason="this llama.cpp build has no GPU backend")
    if not devices:
        return replace(
            cpu,
            reason=f"this build has {'/'.join(backends)} but found no GPU device "
            "(no driver, or only a CPU-type device)",
        )
    gpus = tuple(devices)
    free = sum(d.memory_free for d in gpus)
    total = sum(d.memory_total for d in gpus)
    if requested == ALL or requested > n:
        return OffloadPlan(n + 1, n, n, True, gpus, _need(sizes, n, True, total), free)
    if requested > 0:
        need = _need(sizes, requested, False, total)
        return OffloadPlan(requested, n, requested, False, gpus, need, free, "as set")
    blocks = 0
    while blocks < n and _need(sizes, blocks + 1, False, total) <= free:
        blocks += 1
    if blocks == n and _need(sizes, n, True, total) <= free:
        return OffloadPlan(n + 1, n, n, True, gpus, _need(sizes, n, True, total), free)
    need_all = _need(sizes, n, True, total)
    reason = f"all would need {format_bytes(need_all)}, {format_bytes(free)} free"
    if blocks == 0:
        return OffloadPlan(0, n, 0, False, (), 0, free, reason)
    return OffloadPlan(
        blocks, n, blocks, False, gpus, _need(sizes, blocks, False, total), free, reason
    )


def _need(sizes: ModelSizes, blocks: int, output: bool, device_total: int) -> int:
    """Device bytes for the last ``blocks`` blocks (and the output layer)."""
    chosen = sizes.block_bytes[len(sizes.block_bytes) - blocks :] if blocks else ()
    weights = sum(chosen) + (sizes.output_bytes if output else 0)
    margin = max(MIN_MARGIN, int(device_total * MARGIN_FRACTION))
    return weights + blocks * sizes.kv_bytes_per_block + sizes.compute_bytes + margin
