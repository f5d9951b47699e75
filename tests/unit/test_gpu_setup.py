"""packaging/gpu-backend.sh picks the backend HEARTH_GPU asks for, and
vendor_vulkan_loader.py puts the loader into a wheel that pip still accepts."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def choose(value: str, tools: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``hearth_gpu_backend VALUE`` with only ``tools`` (name → script) and the basic
    commands on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("uname", "grep", "sed", "ldconfig", "basename", "dirname", "cat"):
        found = shutil.which(name) or f"/sbin/{name}"
        (bin_dir / name).symlink_to(found)
    for name, script in tools.items():
        tool = bin_dir / name
        tool.write_text(f"#!/bin/sh\n{script}\n")
        tool.chmod(0o755)
    return subprocess.run(
        ["/bin/bash", "-c", f'source packaging/gpu-backend.sh && hearth_gpu_backend "{value}"'],
        cwd=ROOT,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )


def vulkaninfo(device_type: str) -> str:
    return f"echo 'GPU0:'; echo '        deviceType = PHYSICAL_DEVICE_TYPE_{device_type}'"


HAS_LOADER = (
    "libvulkan.so.1 "
    in subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
)


@pytest.mark.parametrize("value", ["cpu", "vulkan", "cuda", "metal"])
def test_an_explicit_backend_is_taken_as_it_is(value: str, tmp_path: Path) -> None:
    assert choose(value, {}, tmp_path).stdout.strip() == value


def test_auto_picks_cuda_where_nvcc_and_an_nvidia_driver_exist(tmp_path: Path) -> None:
    tools = {"nvcc": "exit 0", "nvidia-smi": "echo 'GPU 0: NVIDIA RTX 3060'"}
    assert choose("auto", tools, tmp_path).stdout.strip() == "cuda"
    no_driver = {"nvcc": "exit 0", "nvidia-smi": "exit 9"}
    assert choose("auto", no_driver, tmp_path / "x").stdout.strip() == "cpu"


@pytest.mark.skipif(not HAS_LOADER, reason="no Vulkan loader (libvulkan1) on this machine")
def test_auto_picks_vulkan_only_for_a_real_gpu(tmp_path: Path) -> None:
    gpu = choose("auto", {"vulkaninfo": vulkaninfo("DISCRETE_GPU")}, tmp_path)
    assert gpu.stdout.strip() == "vulkan"
    # lavapipe alone is a Vulkan driver for the CPU: the CPU build serves it better.
    lavapipe = choose("auto", {"vulkaninfo": vulkaninfo("CPU")}, tmp_path / "x")
    assert lavapipe.stdout.strip() == "cpu"


def test_a_bad_value_is_refused(tmp_path: Path) -> None:
    result = choose("opencl", {}, tmp_path)
    assert result.returncode == 2
    assert "HEARTH_GPU must be auto, cpu, vulkan, cuda or metal (got 'opencl')" in result.stderr


def test_the_loader_goes_into_the_wheel_with_its_record(tmp_path: Path) -> None:
    wheel = tmp_path / "llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl"
    record = "llama_cpp_python-0.3.36.dist-info/RECORD"
    with zipfile.ZipFile(wheel, "w") as out:
        out.writestr("llama_cpp/lib/libggml-vulkan.so", b"ggml")
        out.writestr(record, "llama_cpp/lib/libggml-vulkan.so,sha256=x,4\n" + record + ",,\n")
    loader = tmp_path / "libvulkan.so.1.3.239"
    loader.write_bytes(b"\x7fELF loader")
    script = ROOT / "packaging" / "vendor_vulkan_loader.py"
    subprocess.run(["python3", str(script), str(wheel), str(loader)], check=True)
    with zipfile.ZipFile(wheel) as result:
        assert result.read("llama_cpp/lib/libvulkan.so.1") == b"\x7fELF loader"
        assert result.getinfo("llama_cpp/lib/libvulkan.so.1").external_attr >> 16 == 0o755
        lines = result.read(record).decode().splitlines()
    digest = base64.urlsafe_b64encode(hashlib.sha256(b"\x7fELF loader").digest()).rstrip(b"=")
    assert f"llama_cpp/lib/libvulkan.so.1,sha256={digest.decode()},11" in lines
    assert f"{record},," in lines
    # Running it again changes nothing.
    before = wheel.read_bytes()
    subprocess.run(["python3", str(script), str(wheel), str(loader)], check=True)
    assert wheel.read_bytes() == before
