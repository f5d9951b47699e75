"""Setting what ``Llama.__init__`` offers no argument for, for one load.

llama-cpp-python 0.3's ``Llama.__init__`` builds its ``llama_model_params`` and
``llama_context_params`` from llama.cpp's ``llama_model_default_params()`` and
``llama_context_default_params()``, and takes no argument for a load progress callback,
the devices to use or the number of sequences. For the duration of one load, on the
thread that loads (the engine's), the factory returns its defaults adjusted by us.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def adjusted_defaults(
    llama_cpp: Any, factory: str, adjust: Callable[[Any], None]
) -> Iterator[None]:
    """While the block runs, ``llama_cpp.llama_cpp.<factory>()`` returns llama.cpp's
    defaults after ``adjust(params)``; the original factory is back afterwards."""
    module = llama_cpp.llama_cpp
    original = getattr(module, factory)

    def adjusted() -> Any:
        params = original()
        adjust(params)
        return params

    setattr(module, factory, adjusted)
    try:
        yield
    finally:
        setattr(module, factory, original)
