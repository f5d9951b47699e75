"""Will a model fit this machine? Memory needed = weights + KV cache + a runtime margin.

The KV cache is ``bytes per token * context``; a GGUF header or the catalog gives the
exact bytes per token, and for a Hub file known only by its size a conservative guess
from the parameter count stands in.
"""

from __future__ import annotations

import enum
import shutil
import subprocess
from dataclasses import dataclass

GIB = 1024**3
RUNTIME_OVERHEAD_BYTES = 512 * 1024**2
"""llama.cpp's compute buffers and the app itself, roughly."""
COMFORT_FRACTION = 0.8
"""Above this share of the machine's memory a model still runs but crowds everything else."""


class Fit(enum.Enum):
    FITS = "fits"
    TIGHT = "tight"
    TOO_BIG = "too big"


@dataclass(frozen=True)
class Machine:
    ram_bytes: int
    vram_bytes: int = 0
    """0 when no GPU memory is known."""

    @classmethod
    def current(cls, with_gpu: bool = False) -> Machine:
        """This computer; ``with_gpu`` also asks ``nvidia-smi`` (slow: not on a GUI thread)."""
        import psutil  # here: not needed before the window shows (issue 13)

        ram = int(psutil.virtual_memory().total)
        return cls(ram_bytes=ram, vram_bytes=nvidia_vram_bytes() if with_gpu else 0)


def nvidia_vram_bytes(timeout_s: float = 3.0) -> int:
    """Total memory of the largest NVIDIA GPU, from ``nvidia-smi``; 0 if there is none.

    llama.cpp offloads to one GPU by default, so the largest one is what a model can use.
    """
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return 0
    try:
        result = subprocess.run(
            [tool, "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return 0
    sizes = [int(line) for line in result.stdout.split() if line.strip().isdigit()]
    return max(sizes, default=0) * 1024**2 if result.returncode == 0 else 0


@dataclass(frozen=True)
class FitEstimate:
    needed_bytes: int
    fit: Fit
    where: str
    """"GPU" when the model fits in GPU memory, otherwise "RAM"."""


def guess_kv_bytes_per_token(file_size: int, bits_per_weight: float = 4.8) -> int:
    """A generous f16 KV-cache size per token for a model known only by its file size.

    Modern models with grouped-query attention take 10 to 140 KiB per token for 0.5B to 8B
    parameters; 16 KiB per billion parameters plus 16 KiB errs on the safe side for most.
    """
    parameters_b = file_size * 8 / bits_per_weight / 1e9
    return int((16 * parameters_b + 16) * 1024)


def memory_needed(file_size: int, kv_bytes_per_token: int, context: int) -> int:
    return file_size + kv_bytes_per_token * max(context, 0) + RUNTIME_OVERHEAD_BYTES


def estimate(
    file_size: int, kv_bytes_per_token: int | None, context: int, machine: Machine
) -> FitEstimate:
    kv = kv_bytes_per_token if kv_bytes_per_token else guess_kv_bytes_per_token(file_size)
    needed = memory_needed(file_size, kv, context)
    if machine.vram_bytes and needed <= machine.vram_bytes * COMFORT_FRACTION:
        return FitEstimate(needed, Fit.FITS, "GPU")
    if needed <= machine.ram_bytes * COMFORT_FRACTION:
        return FitEstimate(needed, Fit.FITS, "RAM")
    if needed <= machine.ram_bytes:
        return FitEstimate(needed, Fit.TIGHT, "RAM")
    return FitEstimate(needed, Fit.TOO_BIG, "RAM")


def format_size(size: int) -> str:
    """1.2 GB, 850 MB, 12 KB: decimal units, as download sites show them."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            break
        value /= 1000
    if unit == "B":
        return f"{int(value)} B"
    return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
