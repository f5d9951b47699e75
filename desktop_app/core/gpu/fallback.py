"""Loading with GPU layers, and falling back when the device cannot take them.

A GPU load can fail where the CPU one would not: no usable driver, less free device
memory than the plan assumed (another program took it), or a backend error. Then the
load is retried with half the layers, and then on the CPU with the GPU devices hidden
from llama.cpp (so that nothing, not even a compute buffer, goes to the device). Each
fallback leaves a one-line notice; only a failure on the CPU reaches the caller.

A failure that is the model file's own (an architecture this llama.cpp does not know, a
missing key or tensor, a damaged file) would fail on every device, so it is not
retried: the user hears about the file at once, not after three slow loads.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from desktop_app.core.engine.default_params import adjusted_defaults

LOGGER = logging.getLogger("hearth.gpu")
T = TypeVar("T")


MODEL_FILE_FAILURES = (
    "error loading model hyperparameters",
    "error loading model vocabulary",
    "unknown model architecture",
    "key not found in model",
    "has wrong type",
    "has wrong shape",
    "wrong array length",
    "missing tensor",
    "invalid model",
    "corrupted model",
    "not within the file bounds",
    "invalid split",
    "cannot be used as main model",
)
"""What llama.cpp's loader says (in its exception or its error log) when the GGUF
itself is at fault, whatever the device."""


def is_model_file_failure(reason: str) -> bool:
    """Whether a failed load's reason blames the model file rather than the device."""
    lowered = reason.lower()
    return any(marker in lowered for marker in MODEL_FILE_FAILURES)


class LoadCancelledError(Exception):
    """Raised by a load function when the user cancelled: never retried."""


@dataclass(frozen=True)
class Loaded(Generic[T]):
    value: T
    n_gpu_layers: int
    """What the successful attempt asked llama.cpp for (0: CPU only)."""
    notice: str = ""
    """One line when a fallback happened ("" otherwise)."""


def attempts(n_gpu_layers: int, n_blocks: int) -> list[int]:
    """The layer counts to try in order: the plan, half of its blocks, the CPU."""
    if n_gpu_layers == 0:
        return [0]
    blocks = n_blocks if n_gpu_layers < 0 else min(n_gpu_layers, n_blocks)
    order = [n_gpu_layers]
    if blocks // 2 > 0 and blocks // 2 != n_gpu_layers:
        order.append(blocks // 2)
    order.append(0)
    return order


def load_with_fallback(
    load: Callable[[int, bool], T],
    n_gpu_layers: int,
    n_blocks: int,
    failure_reason: Callable[[BaseException], str] = str,
) -> Loaded[T]:
    """Call ``load(layers, cpu_only)`` with each of ``attempts()`` until one works.

    ``cpu_only`` is True for the last resort after a GPU failure. Exceptions other than
    ``Exception`` subclasses, ``LoadCancelledError`` and failures whose reason blames the
    model file (``is_model_file_failure``) propagate at once; the CPU attempt's failure
    propagates as it is.
    """
    tried = attempts(n_gpu_layers, n_blocks)
    first_failure = ""
    for index, layers in enumerate(tried):
        last = index == len(tried) - 1
        cpu_only = layers == 0 and index > 0
        try:
            value = load(layers, cpu_only)
        except LoadCancelledError:
            raise
        except Exception as exc:
            if last:
                raise
            reason = failure_reason(exc)
            if is_model_file_failure(reason) or is_model_file_failure(str(exc)):
                raise
            first_failure = first_failure or reason
            LOGGER.warning("GPU load with %s layers failed: %s", layers, reason)
            continue
        notice = ""
        if index > 0:
            where = "on the CPU" if layers == 0 else f"with {layers} GPU layers"
            notice = f"GPU load failed ({first_failure}); running {where} instead."
            LOGGER.warning(notice)
        return Loaded(value, layers, notice)
    raise AssertionError("unreachable: the last attempt returns or raises")


def hidden_gpus(llama_cpp: Any) -> contextlib.AbstractContextManager[None]:
    """Load the next model with no GPU device at all (llama.cpp's ``devices`` = an
    empty NULL-terminated list), for the CPU fallback after a GPU failure."""
    no_devices = (ctypes.c_void_p * 1)(None)

    def without_gpus(params: Any) -> None:
        params.devices = ctypes.cast(no_devices, ctypes.c_void_p)

    return adjusted_defaults(llama_cpp, "llama_model_default_params", without_gpus)
