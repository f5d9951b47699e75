"""Route llama.cpp's own log lines into Python logging instead of the terminal.

llama-cpp-python prints some native messages to stderr even with ``verbose=False``,
which would break the CLI's one-line errors and clutter streamed answers. Here every
line goes to the ``hearth.llama_cpp`` logger (debug level, errors at info), and the
last few error lines are kept so that a failed load can say what llama.cpp objected to.
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections import deque
from typing import Any

LOGGER = logging.getLogger("hearth.llama_cpp")
# ggml_log_level in the llama.cpp this wraps: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4,
# CONT 5 (continues the previous line). llama-cpp-python's own table predates DEBUG.
_WARN, _ERROR, _CONTINUE = 3, 4, 5
_FUNCTION_PREFIX = re.compile(r"^[a-z_]+: ")
_recent_errors: deque[str] = deque(maxlen=8)
_OFFLOADED = re.compile(r"offloaded \d+/\d+ layers to GPU")
_offloaded: list[str] = []
_callback: Any = None


def install(llama_cpp: Any) -> None:
    """Install the forwarding callback once per process."""
    global _callback
    if _callback is not None:
        return

    last_level = [_WARN]

    @llama_cpp.llama_log_callback
    def forward(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        if level == _CONTINUE:
            level = last_level[0]
        last_level[0] = level
        line = text.decode("utf-8", errors="replace").rstrip()
        if not line:
            return
        offloaded = _OFFLOADED.search(line)
        if offloaded:
            _offloaded[:] = [offloaded.group(0)]
        if level == _ERROR:
            _recent_errors.append(line)
            LOGGER.info(line)
        else:
            LOGGER.debug(line)

    _callback = forward  # ctypes callbacks must stay referenced while installed
    llama_cpp.llama_log_set(forward, ctypes.c_void_p(0))


def take_recent_errors() -> list[str]:
    """The error lines logged since the last call (oldest first), and forget them.

    The C function name that starts each line ("llama_model_load: ") is dropped.
    """
    lines = [_FUNCTION_PREFIX.sub("", line) for line in _recent_errors]
    _recent_errors.clear()
    return lines


def take_offloaded() -> str:
    """llama.cpp's last "offloaded N/M layers to GPU" line since the last call ("" if none).

    Its M counts the output layer as one more layer than the model's blocks.
    """
    line = _offloaded[0] if _offloaded else ""
    _offloaded.clear()
    return line
