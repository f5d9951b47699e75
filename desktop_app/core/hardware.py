"""What this computer offers llama.cpp: CPU, memory, GPU offload and compute devices.

The device list comes from ggml's backend registry (``ggml_backend_dev_*`` in the
``libggml`` that llama-cpp-python ships), which llama-cpp-python does not wrap; the
few functions needed are bound here with ctypes. Everything degrades to "unknown"
rather than failing: the Hardware page must always open.
"""

from __future__ import annotations

import ctypes
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.engine.load_params import GPU_LAYERS_AUTO

_DEVICE_KINDS = {0: "CPU", 1: "GPU", 2: "integrated GPU", 3: "accelerator"}
MAX_DEFAULT_THREADS = 8


@dataclass(frozen=True)
class Device:
    name: str
    description: str
    kind: str
    """"CPU", "GPU", "integrated GPU" or "accelerator"."""
    memory_total: int
    memory_free: int

    @property
    def is_gpu(self) -> bool:
        return self.kind in ("GPU", "integrated GPU")


@dataclass(frozen=True)
class HardwareInfo:
    cpu_name: str
    physical_cores: int
    logical_cores: int
    ram_total: int
    ram_available: int
    gpu_offload: bool
    """Whether this llama.cpp build can offload layers to a GPU at all."""
    devices: tuple[Device, ...]
    backends: tuple[str, ...] = ()
    """The backends compiled into llama.cpp ("CPU", "Vulkan"…), with or without devices
    (``built_backends()``)."""

    @property
    def gpus(self) -> tuple[Device, ...]:
        return tuple(d for d in self.devices if d.is_gpu)

    @property
    def recommended_threads(self) -> int:
        """Generation is memory-bound: one thread per physical core, at most eight."""
        return max(1, min(MAX_DEFAULT_THREADS, self.physical_cores or self.logical_cores or 1))

    @property
    def recommended_gpu_layers(self) -> int:
        """Automatic (as many layers as fit, -2) when a GPU can take them, otherwise none."""
        return GPU_LAYERS_AUTO if self.gpu_offload and self.gpus else 0


def cpu_name() -> str:
    if sys.platform.startswith("linux"):
        try:
            text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        match = re.search(r"^(?:model name|Hardware|cpu model)\s*:\s*(.+)$", text, re.MULTILINE)
        if match:
            return " ".join(match.group(1).split())
    if sys.platform == "darwin":
        try:
            return subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                timeout=2,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _ggml() -> ctypes.CDLL | None:
    try:
        import llama_cpp
    except ImportError:
        return None
    folder = Path(llama_cpp.__file__).parent / "lib"
    names = {"win32": "ggml.dll", "darwin": "libggml.dylib"}
    path = folder / names.get(sys.platform, "libggml.so")
    try:
        # dlsym on this handle also searches its dependencies (libggml-base).
        lib = ctypes.CDLL(str(path))
        lib.ggml_backend_dev_count.restype = ctypes.c_size_t
        lib.ggml_backend_dev_get.argtypes = [ctypes.c_size_t]
        lib.ggml_backend_dev_get.restype = ctypes.c_void_p
        for name in ("ggml_backend_dev_name", "ggml_backend_dev_description"):
            getattr(lib, name).argtypes = [ctypes.c_void_p]
            getattr(lib, name).restype = ctypes.c_char_p
        lib.ggml_backend_dev_type.argtypes = [ctypes.c_void_p]
        lib.ggml_backend_dev_type.restype = ctypes.c_int
        size_p = ctypes.POINTER(ctypes.c_size_t)
        lib.ggml_backend_dev_memory.argtypes = [ctypes.c_void_p, size_p, size_p]
        lib.ggml_backend_dev_memory.restype = None
    except (OSError, AttributeError):
        return None
    return lib


def devices() -> tuple[Device, ...]:
    """The compute devices llama.cpp's backends registered (empty if unknown)."""
    lib = _ggml()
    if lib is None:
        return ()
    import llama_cpp

    llama_cpp.llama_backend_init()  # registers the backends; cheap and idempotent
    fns = lib
    found = []
    for index in range(lib.ggml_backend_dev_count()):
        dev = lib.ggml_backend_dev_get(index)
        if not dev:
            continue
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        fns.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        found.append(
            Device(
                name=(fns.ggml_backend_dev_name(dev) or b"").decode("utf-8", "replace"),
                description=(fns.ggml_backend_dev_description(dev) or b"").decode(
                    "utf-8", "replace"
                ),
                kind=_DEVICE_KINDS.get(fns.ggml_backend_dev_type(dev), "other"),
                memory_total=int(total.value),
                memory_free=int(free.value),
            )
        )
    return tuple(found)


def registered_backends() -> tuple[str, ...]:
    """Names of the backends this llama.cpp build has ("CPU", "Vulkan", "CUDA", "Metal"…),
    each listed even when it found no device (a Vulkan build on a machine without a
    driver). From ggml's backend registry (``ggml_backend_reg_*``), bound like the
    device functions."""
    lib = _ggml()
    if lib is None:
        return ()
    try:
        lib.ggml_backend_reg_count.restype = ctypes.c_size_t
        lib.ggml_backend_reg_get.argtypes = [ctypes.c_size_t]
        lib.ggml_backend_reg_get.restype = ctypes.c_void_p
        lib.ggml_backend_reg_name.argtypes = [ctypes.c_void_p]
        lib.ggml_backend_reg_name.restype = ctypes.c_char_p
    except AttributeError:
        return ()
    import llama_cpp

    llama_cpp.llama_backend_init()  # registers the backends; cheap and idempotent
    names = []
    for index in range(lib.ggml_backend_reg_count()):
        reg = lib.ggml_backend_reg_get(index)
        if reg:
            names.append((lib.ggml_backend_reg_name(reg) or b"?").decode("utf-8", "replace"))
    return tuple(names)


_BACKEND_LIBRARIES = {"vulkan": "Vulkan", "cuda": "CUDA", "metal": "Metal"}


def built_backends() -> tuple[str, ...]:
    """The backends compiled into this build: the registered ones, then any GPU backend
    whose library llama-cpp-python ships but that did not register (a Vulkan backend
    cannot create its instance where there is no Vulkan driver at all)."""
    names = list(registered_backends())
    try:
        import llama_cpp
    except ImportError:
        return tuple(names)
    folder = Path(llama_cpp.__file__).parent / "lib"
    prefix = "ggml-" if sys.platform == "win32" else "libggml-"
    for path in sorted(folder.glob(f"{prefix}*")):
        name = _BACKEND_LIBRARIES.get(path.name.removeprefix(prefix).split(".")[0])
        if name is not None and name not in names:
            names.append(name)
    return tuple(names)


def gpu_offload_supported() -> bool:
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except (ImportError, AttributeError, OSError):
        return False


def detect() -> HardwareInfo:
    import psutil  # here: not needed before the window shows (issue 13)

    memory = psutil.virtual_memory()
    return HardwareInfo(
        cpu_name=cpu_name(),
        physical_cores=psutil.cpu_count(logical=False) or 0,
        logical_cores=psutil.cpu_count(logical=True) or os.cpu_count() or 0,
        ram_total=int(memory.total),
        ram_available=int(memory.available),
        gpu_offload=gpu_offload_supported(),
        devices=devices(),
        backends=built_backends(),
    )


def format_bytes(size: int) -> str:
    """1536 MiB -> "1.5 GB" (binary units, named the way people read them)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit in ("B", "KB") else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


_MEMORY_WORDS = (
    "out of memory",
    "failed to allocate",
    "unable to allocate",
    "cannot allocate",
    "alloc failed",
    "outofdevicememory",
    "cudamalloc",
    "insufficient memory",
    "failed to create llama_context",
    "failed to initialize the context",
)


def looks_like_memory_failure(text: str) -> bool:
    lowered = text.lower().replace("_", "")
    return any(word.replace("_", "") in lowered for word in _MEMORY_WORDS)


def memory_advice(n_gpu_layers: int, n_ctx: int) -> str:
    """What to change after a load failed for lack of memory."""
    steps = []
    if n_gpu_layers != 0:
        steps.append("fewer GPU layers")
    steps.append(f"a smaller context (now {n_ctx} tokens)" if n_ctx > 0 else "a smaller context")
    return f"Try {' or '.join(steps)} in Settings → Hardware, or a smaller model."
