"""The GPU side of this llama.cpp build: its GPU backends and the devices they found.

Both come from ggml's registry through ``core.hardware``'s ctypes bindings
(llama-cpp-python 0.3 does not wrap ``ggml_backend_reg_*`` / ``ggml_backend_dev_*``).
"""

from __future__ import annotations

from desktop_app.core.hardware import Device, devices, registered_backends

__all__ = ["gpu_backends", "gpu_devices", "registered_backends"]

NOT_GPU = ("CPU", "BLAS", "RPC")


def gpu_backends() -> tuple[str, ...]:
    """The registered backends that can take layers (all but the CPU and its helpers),
    whether or not they found a device (``llama_supports_gpu_offload()`` says False for
    a Vulkan build on a machine without a GPU)."""
    return tuple(name for name in registered_backends() if name not in NOT_GPU)


def gpu_devices() -> tuple[Device, ...]:
    """The devices llama.cpp offloads layers to. A Vulkan device of CPU type (Mesa's
    lavapipe) is not among them unless ``GGML_VK_VISIBLE_DEVICES`` names it: ggml's
    Vulkan backend skips it by itself."""
    return tuple(device for device in devices() if device.is_gpu)
