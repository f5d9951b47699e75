"""Loading with GPU layers, and falling back when the device cannot take them.

A GPU load can fail where the CPU one would not: no usable driver, less free device
memory than the plan assumed (another program took it), or a backend error. Then the
load is retried with half the layers, and then on the CPU with the GPU devices hidden
from llama.cpp (so that nothing, not even a compute buffer, goes to the device). Each
fallback leaves a one-line notice; only a failure on the CPU reaches the caller.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

LOGGER = logging.getLogger("hearth.gpu")
T = TypeVar("T")


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
    ``Exception`` subclasses, and ``LoadCancelledError``, propagate at once; the CPU
    attempt's failure propagates as it is.
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


@contextlib.contextmanager
def hidden_gpus(llama_cpp: Any) -> Iterator[None]:
    """Load the next model with no GPU device at all (llama.cpp's ``devices`` = an
    empty NULL-terminated list), for the CPU fallback after a GPU failure.

    Like the engine's load-progress hook, this wraps ``llama_model_default_params``,
    which ``Llama.__init__`` uses to build its parameters, for one load on the
    engine's thread.
    """
    module = llama_cpp.llama_cpp
    original = module.llama_model_default_params
    no_devices = (ctypes.c_void_p * 1)(None)

    def default_params_without_gpus() -> Any:
        params = original()
        params.devices = ctypes.cast(no_devices, ctypes.c_void_p)
        return params

    module.llama_model_default_params = default_params_without_gpus
    try:
        yield
    finally:
        module.llama_model_default_params = original
