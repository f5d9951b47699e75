"""The backends compiled into this llama.cpp build, from ggml's backend registry.

llama-cpp-python 0.3 does not wrap ``ggml_backend_reg_*``; they are bound here with
ctypes on the ``libggml`` it ships (``core.hardware`` does the same for the device
functions). Devices come from ``core.hardware.devices()``.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache
from pathlib import Path

from desktop_app.core.hardware import Device, devices


@cache
def _registry() -> ctypes.CDLL | None:
    try:
        import llama_cpp
    except ImportError:
        return None
    names = {"win32": "ggml.dll", "darwin": "libggml.dylib"}
    path = Path(llama_cpp.__file__).parent / "lib" / names.get(sys.platform, "libggml.so")
    try:
        lib = ctypes.CDLL(str(path))
        lib.ggml_backend_reg_count.restype = ctypes.c_size_t
        lib.ggml_backend_reg_get.argtypes = [ctypes.c_size_t]
        lib.ggml_backend_reg_get.restype = ctypes.c_void_p
        lib.ggml_backend_reg_name.argtypes = [ctypes.c_void_p]
        lib.ggml_backend_reg_name.restype = ctypes.c_char_p
        lib.ggml_backend_reg_dev_count.argtypes = [ctypes.c_void_p]
        lib.ggml_backend_reg_dev_count.restype = ctypes.c_size_t
    except (OSError, AttributeError):
        return None
    llama_cpp.llama_backend_init()  # registers the backends; idempotent
    return lib


def registered_backends() -> tuple[str, ...]:
    """Names of the backends this build has ("CPU", "Vulkan", "CUDA", "Metal"…), each
    listed even when it found no device (a Vulkan build on a machine without a driver)."""
    lib = _registry()
    if lib is None:
        return ()
    names = []
    for index in range(lib.ggml_backend_reg_count()):
        reg = lib.ggml_backend_reg_get(index)
        if reg:
            names.append((lib.ggml_backend_reg_name(reg) or b"?").decode("utf-8", "replace"))
    return tuple(names)


def gpu_backends() -> tuple[str, ...]:
    """The registered backends that can take layers (all but the CPU and its helpers),
    whether or not they found a device (``llama_supports_gpu_offload()`` says False for
    a Vulkan build on a machine without a GPU)."""
    return tuple(name for name in registered_backends() if name not in ("CPU", "BLAS", "RPC"))


def gpu_devices() -> tuple[Device, ...]:
    """The devices llama.cpp offloads layers to. A Vulkan device of CPU type (Mesa's
    lavapipe) is not among them unless ``GGML_VK_VISIBLE_DEVICES`` names it: ggml's
    Vulkan backend skips it by itself."""
    return tuple(device for device in devices() if device.is_gpu)
