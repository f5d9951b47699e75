"""How many layers go to the GPU: sizes from the GGUF file, the device's free memory."""

from __future__ import annotations

from pathlib import Path

import gguf
import pytest

from desktop_app.core.gpu.plan import (
    ALL,
    AUTO,
    MIN_MARGIN,
    ModelSizes,
    model_sizes,
    plan_offload,
)
from desktop_app.core.hardware import Device
from desktop_app.core.models.gguf_info import read_gguf_info
from tests.tiny_model import BLOCK_COUNT, EMBEDDING_LENGTH, HEAD_COUNT, HEAD_COUNT_KV

MIB = 1024**2
GIB = 1024**3


def _gpu(free: int, total: int = 2 * GIB) -> Device:
    """A device small enough that the margin is the 256 MiB minimum."""
    return Device("Vulkan0", "Test GPU", "GPU", total, free)


def test_sizes_come_from_the_files_tensors(tiny_model: Path) -> None:
    sizes = model_sizes(read_gguf_info(tiny_model), n_ctx=1000)
    # The gguf library's reader, independently: bytes of each block's tensors.
    reader = gguf.GGUFReader(tiny_model)
    by_block = [0] * BLOCK_COUNT
    for tensor in reader.tensors:
        if tensor.name.startswith("blk."):
            by_block[int(tensor.name.split(".")[1])] += int(tensor.n_bytes)
    assert sizes.block_bytes == tuple(by_block)
    assert all(size > 0 for size in by_block)
    head = EMBEDDING_LENGTH // HEAD_COUNT
    assert sizes.kv_bytes_per_block == 1000 * HEAD_COUNT_KV * 2 * head * 2  # f16 K and V
    output = {t.name: int(t.n_bytes) for t in reader.tensors}
    assert (
        sizes.output_bytes
        == output.get("output.weight", output["token_embd.weight"]) + output["output_norm.weight"]
    )


SIZES = ModelSizes(
    block_bytes=(100 * MIB,) * 10, output_bytes=200 * MIB, kv_bytes_per_block=10 * MIB,
    compute_bytes=50 * MIB,
)  # fmt: skip
ALL_NEEDED = 10 * 110 * MIB + 200 * MIB + 50 * MIB + MIN_MARGIN


def test_auto_offloads_everything_that_fits() -> None:
    plan = plan_offload(SIZES, AUTO, [_gpu(ALL_NEEDED)], ["Vulkan"])
    assert (plan.n_gpu_layers, plan.gpu_blocks, plan.output_on_gpu) == (11, 10, True)
    assert plan.describe() == "10/10 layers on Vulkan0 (Test GPU, 2.0 GB), KV cache on GPU"


def test_auto_offloads_as_many_blocks_as_fit_after_kv_cache_and_margin() -> None:
    free = 4 * 110 * MIB + 50 * MIB + MIN_MARGIN + 109 * MIB  # four blocks and a bit
    plan = plan_offload(SIZES, AUTO, [_gpu(free)], ["Vulkan"])
    assert (plan.n_gpu_layers, plan.gpu_blocks, plan.output_on_gpu) == (4, 4, False)
    assert plan.describe().startswith("4/10 layers on Vulkan0 (Test GPU, 2.0 GB), KV cache on GPU")
    assert "6 on the CPU" in plan.describe()
    # A longer context takes more KV cache per block: fewer blocks fit.
    bigger = ModelSizes(SIZES.block_bytes, SIZES.output_bytes, 40 * MIB, SIZES.compute_bytes)
    assert plan_offload(bigger, AUTO, [_gpu(free)], ["Vulkan"]).gpu_blocks == 3


def test_auto_keeps_the_cpu_when_not_even_one_block_fits() -> None:
    plan = plan_offload(SIZES, AUTO, [_gpu(MIN_MARGIN)], ["Vulkan"])
    assert plan.n_gpu_layers == 0 and not plan.on_gpu
    assert plan.describe().startswith("all 10 layers on the CPU (all would need")


def test_settings_and_the_command_line_override_the_plan() -> None:
    tight = [_gpu(MIN_MARGIN)]
    assert plan_offload(SIZES, 0, tight, ["Vulkan"]).n_gpu_layers == 0
    assert plan_offload(SIZES, 3, tight, ["Vulkan"]).n_gpu_layers == 3
    assert plan_offload(SIZES, ALL, tight, ["Vulkan"]).n_gpu_layers == 11
    assert plan_offload(SIZES, 99, tight, ["Vulkan"]).n_gpu_layers == 11


@pytest.mark.parametrize(
    ("devices", "backends", "reason"),
    [
        ([], [], "this llama.cpp build has no GPU backend"),
        ([], ["Vulkan"], "this build has Vulkan but found no GPU device"),
    ],
)
def test_without_a_gpu_everything_runs_on_the_cpu(
    devices: list[Device], backends: list[str], reason: str
) -> None:
    for requested in (AUTO, ALL, 5):
        plan = plan_offload(SIZES, requested, devices, backends)
        assert plan.n_gpu_layers == 0
        assert reason in plan.describe()
