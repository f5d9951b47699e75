"""``hearth hardware`` and where ``hearth chat -v`` says the layers run, with the real
llama.cpp build of this venv (CPU or Vulkan: no GPU device is visible to these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_cli import hearth
from tests.tiny_model import BLOCK_COUNT, MODEL_NAME

pytestmark = pytest.mark.integration


def test_hardware_names_the_backends_and_the_devices(tmp_path: Path) -> None:
    result = hearth(tmp_path, "hardware")
    assert result.returncode == 0, result.stderr
    first, *devices = result.stdout.splitlines()
    assert first.startswith("llama-cpp-python 0.3.")
    backends = first.split("; backends: ")[1].split(";")[0].split(", ")
    assert "CPU" in backends  # and Vulkan in a Vulkan build
    assert any(line.startswith("  CPU: ") and " free of " in line for line in devices)


def test_hardware_plans_a_model(tiny_model: Path, tmp_path: Path) -> None:
    result = hearth(tmp_path, "hardware", "--model", str(tiny_model), "--ctx-size", "2048")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    index = lines.index(f"plan for {MODEL_NAME} (tiny.gguf), context 2048 tokens:")
    assert lines[index + 1].startswith(f"  all {BLOCK_COUNT} layers on the CPU (")


def test_hardware_rejects_a_bad_layer_count(tmp_path: Path) -> None:
    result = hearth(tmp_path, "hardware", "--gpu-layers", "many")
    assert result.returncode == 2
    assert "must be auto, all or a number, not 'many'" in result.stderr


def test_chat_verbose_says_where_the_layers_run(tiny_model: Path, tmp_path: Path) -> None:
    result = hearth(tmp_path, "chat", "--model", str(tiny_model), "--max-tokens", "4", "-v", "Hi")
    assert result.returncode == 0, result.stderr
    assert f"hearth: all {BLOCK_COUNT} layers on the CPU (" in result.stderr
    forced = hearth(
        tmp_path, "chat", "--model", str(tiny_model), "--max-tokens", "4", "-v",
        "--gpu-layers", "0", "Hi",
    )  # fmt: skip
    assert f"hearth: all {BLOCK_COUNT} layers on the CPU (GPU layers set to 0)" in forced.stderr
