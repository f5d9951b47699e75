"""The GPU side of this llama.cpp build: its GPU backends and the devices they found.

Both come from ggml's registry through ``core.hardware``'s ctypes bindings
(llama-cpp-python 0.3 does not wrap ``ggml_backend_reg_*`` / ``ggml_backend_dev_*``).
"""

from __future__ import annotations

from desktop_app.core.hardware import Device, built_backends, devices, registered_backends

__all__ = ["built_backends", "gpu_backends", "gpu_devices", "registered_backends"]

NOT_GPU = ("CPU", "BLAS", "RPC")


def gpu_backends() -> tuple[str, ...]:
    """The GPU backends compiled into this build, whether or not they found a device.

    From the registry, and from the backend libraries shipped with llama-cpp-python:
    a Vulkan backend whose instance cannot be created (no driver at all) does not
    register, and ``llama_supports_gpu_offload()`` says False without a device.
    """
    return tuple(name for name in built_backends() if name not in NOT_GPU)


def gpu_devices() -> tuple[Device, ...]:
    """The devices llama.cpp offloads layers to. A Vulkan device of CPU type (Mesa's
    lavapipe) is not among them unless ``GGML_VK_VISIBLE_DEVICES`` names it: ggml's
    Vulkan backend skips it by itself."""
    return tuple(device for device in devices() if device.is_gpu)
