"""The Vulkan build on lavapipe: full offload, streaming, cancelling, the same answer as
the CPU, and every way a GPU load can fall back to the CPU without failing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.gpu.conftest import ROOT, cpu_env, lavapipe_env, run_probe
from tests.tiny_model import BLOCK_COUNT

LOGIT_TOLERANCE = 1e-2
"""Largest difference allowed between a logit on lavapipe and on the CPU. The tiny
model's logits are of order 1; lavapipe computes in f32 like the CPU but sums in a
different order (and converts the f16 KV cache at other points), which moves logits
by ~1e-5 to 1e-3, far below the gap between the top two tokens of a greedy step."""


def test_every_layer_is_offloaded_to_lavapipe(lavapipe_run: dict[str, Any]) -> None:
    assert lavapipe_run["n_gpu_layers"] == BLOCK_COUNT + 1
    assert lavapipe_run["gpu_blocks"] == BLOCK_COUNT
    # llama.cpp's own log line counts the output layer as one more layer.
    assert (
        lavapipe_run["llama_line"] == f"offloaded {BLOCK_COUNT + 1}/{BLOCK_COUNT + 1} layers to GPU"
    )
    assert lavapipe_run["offload"].startswith(f"{BLOCK_COUNT}/{BLOCK_COUNT} layers on Vulkan0 (")
    assert "KV cache on GPU" in lavapipe_run["offload"]
    assert not lavapipe_run["notice"]


def test_it_streams_the_whole_answer_on_lavapipe(lavapipe_run: dict[str, Any]) -> None:
    assert lavapipe_run["finish"] == "length"
    assert lavapipe_run["tokens"] == 64
    assert lavapipe_run["text"]


def test_the_greedy_answer_matches_the_cpu(
    lavapipe_run: dict[str, Any], cpu_run: dict[str, Any]
) -> None:
    assert cpu_run["n_gpu_layers"] == 0 and not cpu_run["devices"]
    gpu_logits, cpu_logits = np.array(lavapipe_run["logits"]), np.array(cpu_run["logits"])
    assert np.abs(gpu_logits - cpu_logits).max() < LOGIT_TOLERANCE
    assert lavapipe_run["text"] == cpu_run["text"]


def test_the_greedy_answer_matches_a_cpu_only_build(
    tiny_model: Path, lavapipe_run: dict[str, Any]
) -> None:
    if not os.environ.get("HEARTH_CPU_PYTHON"):
        pytest.skip(
            "HEARTH_CPU_PYTHON (the python of a CPU-only Hearth venv) is not set; "
            "packaging/backend-venv.sh cpu DIR makes one and prints it"
        )
    cpu = run_probe(tiny_model, cpu_env(), "--logits", python=os.environ["HEARTH_CPU_PYTHON"])
    assert cpu["backends"] == ["CPU"]
    assert np.abs(np.array(lavapipe_run["logits"]) - np.array(cpu["logits"])).max() < (
        LOGIT_TOLERANCE
    )
    assert lavapipe_run["text"] == cpu["text"]


def test_a_generation_on_lavapipe_can_be_cancelled(tiny_model: Path) -> None:
    report = run_probe(tiny_model, lavapipe_env(), "--tokens", "500", "--cancel-after", "5")
    assert report["n_gpu_layers"] == BLOCK_COUNT + 1
    assert report["finish"] == "cancelled"
    assert 5 <= report["tokens"] < 500


def test_no_vulkan_driver_runs_on_the_cpu(tiny_model: Path, tmp_path: Path) -> None:
    report = run_probe(
        tiny_model, lavapipe_env(VK_ICD_FILENAMES=str(tmp_path / "no-such-driver.json"))
    )
    # The Vulkan backend cannot even register without a driver, yet the build has it.
    assert report["gpu_backends"] == ["Vulkan"]
    assert report["devices"] == [] and report["n_gpu_layers"] == 0
    assert "found no GPU device" in report["offload"]
    assert report["finish"] == "length" and report["tokens"] == 64


def test_a_lavapipe_only_machine_keeps_the_cpu(tiny_model: Path) -> None:
    # lavapipe is installed and is the only Vulkan device, but nobody named it.
    env = cpu_env()
    env["VK_ICD_FILENAMES"] = lavapipe_env()["VK_ICD_FILENAMES"]
    report = run_probe(tiny_model, env)
    assert report["devices"] == [] and report["n_gpu_layers"] == 0


def test_a_gpu_load_that_fails_falls_back_to_the_cpu_without_the_gpu(tiny_model: Path) -> None:
    # Every load with GPU layers fails as an out-of-device-memory one does: the planned
    # load (all 3), then half the blocks (1); the CPU load takes over with the GPU hidden
    # from llama.cpp (it offloads nothing) and says so in one line.
    report = run_probe(tiny_model, lavapipe_env(), "--gpu-layers", "all", "--fail-gpu-loads")
    assert report["n_gpu_layers"] == 0
    assert report["llama_line"] == f"offloaded 0/{BLOCK_COUNT + 1} layers to GPU"
    assert report["notice"] == (
        "GPU load failed (Failed to load model from file: unable to allocate Vulkan0 buffer); "
        "running on the CPU instead."
    )
    assert report["offload"].startswith(f"all {BLOCK_COUNT} layers on the CPU")
    assert report["finish"] == "length" and report["tokens"] == 64


def _unshare_works() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "--mount", "true"], capture_output=True)
    return probe.returncode == 0


def _loader_paths() -> list[str]:
    found = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    return sorted(
        {line.split("=>")[-1].strip() for line in found.splitlines() if "libvulkan.so.1 " in line}
    )


@pytest.mark.skipif(not _unshare_works(), reason="needs 'unshare --mount' (root) to hide a library")
def test_without_a_vulkan_loader_hearth_still_starts(tmp_path: Path) -> None:
    # Hide every libvulkan.so.1 on the system behind an empty file in a private mount
    # namespace, then ask Hearth what it has: it must start.
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    paths = _loader_paths()
    hides = " && ".join(f"mount --bind {empty} {path}" for path in paths)
    hidden = " && ".join(f"test ! -s {path}" for path in paths)
    command = f"{hides} && {hidden} && exec {sys.executable} -m desktop_app hardware"
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", command],
        cwd=ROOT,
        env=lavapipe_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # The wheel's own copy of the loader (llama_cpp/lib/libvulkan.so.1) took over.
    assert "; backends: Vulkan, CPU; GPU offload: yes" in result.stdout
