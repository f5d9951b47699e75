"""The GPU tests run llama.cpp's Vulkan backend on Mesa's lavapipe, a Vulkan driver on
the CPU, so that they run on machines without a GPU (CI). They need a llama-cpp-python
built with Vulkan (``HEARTH_GPU=vulkan packaging/setup-dev.sh``) and lavapipe
(``mesa-vulkan-drivers``); without either they are skipped, saying which is missing.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAVAPIPE_ICDS = sorted(glob.glob("/usr/share/vulkan/icd.d/lvp_icd*.json"))


def vulkan_build_reason() -> str | None:
    """Why the GPU tests cannot run here, or None when they can."""
    from desktop_app.core.hardware import built_backends

    backends = built_backends()
    if "Vulkan" not in backends:
        return (
            f"this llama-cpp-python build has no Vulkan backend (backends: "
            f"{', '.join(backends) or 'none'}); set it up with "
            "HEARTH_GPU=vulkan packaging/setup-dev.sh"
        )
    if not LAVAPIPE_ICDS:
        return (
            "Mesa's lavapipe Vulkan driver is not installed (apt-get install mesa-vulkan-drivers)"
        )
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(str(item.fspath)).parents]
    if not mine:
        return
    reason = vulkan_build_reason()
    for item in mine:
        item.add_marker(pytest.mark.gpu)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason), append=False)


def lavapipe_env(**extra: str) -> dict[str, str]:
    """An environment where llama.cpp's Vulkan backend sees lavapipe as its device."""
    env = dict(os.environ)
    env.update(
        VK_ICD_FILENAMES=LAVAPIPE_ICDS[0] if LAVAPIPE_ICDS else "", GGML_VK_VISIBLE_DEVICES="0"
    )
    env.update(extra)
    return env


def cpu_env() -> dict[str, str]:
    """The same build with no Vulkan device visible (lavapipe is skipped unless named)."""
    env = dict(os.environ)
    for name in ("GGML_VK_VISIBLE_DEVICES", "VK_ICD_FILENAMES"):
        env.pop(name, None)
    return env


def run_probe(
    model: Path, env: dict[str, str], *args: str, python: str = sys.executable
) -> dict[str, Any]:
    """``python -m tests.gpu.probe MODEL ARGS`` in ``env``; its JSON report."""
    result = subprocess.run(
        [python, "-m", "tests.gpu.probe", str(model), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout)
    report["stderr"] = result.stderr
    return report


@pytest.fixture(scope="session")
def probe() -> Callable[..., dict[str, Any]]:
    return run_probe


@pytest.fixture(scope="session")
def lavapipe_run(tiny_model: Path) -> dict[str, Any]:
    """The tiny model with every layer on lavapipe: 64 greedy tokens and the logits."""
    report = run_probe(tiny_model, lavapipe_env(), "--gpu-layers", "auto", "--logits")
    if not report["devices"]:
        pytest.skip("lavapipe is installed but llama.cpp's Vulkan backend found no device on it")
    return report


@pytest.fixture(scope="session")
def cpu_run(tiny_model: Path) -> dict[str, Any]:
    """The same in the same build with no GPU device: the CPU reference."""
    return run_probe(tiny_model, cpu_env(), "--gpu-layers", "auto", "--logits")
