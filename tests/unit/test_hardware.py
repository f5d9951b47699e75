"""What the Hardware page shows, read from this machine and from llama.cpp."""

from __future__ import annotations

from desktop_app.core import hardware
from desktop_app.core.gpu.plan import AUTO
from desktop_app.core.hardware import Device, HardwareInfo


def test_this_machine_is_described() -> None:
    info = hardware.detect()
    assert info.cpu_name
    assert info.logical_cores >= 1
    assert info.ram_total > info.ram_available > 0
    assert isinstance(info.gpu_offload, bool)
    # llama.cpp always registers its CPU backend.
    assert any(d.kind == "CPU" for d in info.devices)
    assert 1 <= info.recommended_threads <= hardware.MAX_DEFAULT_THREADS


def _info(gpu_offload: bool, devices: tuple[Device, ...], cores: int = 12) -> HardwareInfo:
    return HardwareInfo("Test CPU", cores, cores * 2, 16 << 30, 8 << 30, gpu_offload, devices)


def test_recommendations_follow_the_hardware() -> None:
    cpu = Device("CPU", "Test CPU", "CPU", 16 << 30, 8 << 30)
    gpu = Device("CUDA0", "RTX", "GPU", 8 << 30, 7 << 30)
    assert _info(False, (cpu,)).recommended_gpu_layers == 0
    assert _info(True, (cpu,)).recommended_gpu_layers == 0
    assert _info(True, (cpu, gpu)).recommended_gpu_layers == AUTO
    assert _info(True, (cpu, gpu)).gpus == (gpu,)
    assert _info(False, (cpu,), cores=4).recommended_threads == 4
    assert _info(False, (cpu,), cores=32).recommended_threads == 8


def test_memory_failures_are_recognised_and_get_advice() -> None:
    assert hardware.looks_like_memory_failure("insufficient memory (attempted to allocate 64 GB)")
    assert hardware.looks_like_memory_failure("ggml_backend_cuda_buffer: cudaMalloc failed")
    assert not hardware.looks_like_memory_failure("unknown model architecture: 'alien'")
    advice = hardware.memory_advice(n_gpu_layers=-1, n_ctx=32768)
    assert "fewer GPU layers" in advice and "32768" in advice
    assert "GPU" not in hardware.memory_advice(n_gpu_layers=0, n_ctx=8192)


def test_sizes_read_like_people_say_them() -> None:
    assert hardware.format_bytes(512) == "512 B"
    assert hardware.format_bytes(int(1.5 * 1024**3)) == "1.5 GB"
