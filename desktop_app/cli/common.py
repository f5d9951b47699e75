"""What every ``hearth`` command shares: errors, exit codes, argument types, the store.

Imports no command module, so each command module can import this one.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.chats.store import Store

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A failure to report as one line on stderr with exit status 1."""


class UsageError(Exception):
    """Bad usage discovered after parsing; reported like argparse's own errors."""


def open_store() -> Store:
    """Open the conversation store in the data folder, or raise CliError."""
    from desktop_app.core.chats.store import Store, StoreError
    from desktop_app.core.paths import app_paths

    try:
        return Store.open(app_paths().ensure().database)
    except (StoreError, OSError) as exc:
        raise CliError(str(exc)) from exc


def gpu_layers(text: str) -> int:
    """``--gpu-layers``: "auto" (as many as fit), "all" or -1, or a count (0: CPU only)."""
    from desktop_app.core.gpu.plan import ALL, AUTO

    words = {"auto": AUTO, "all": ALL}
    if text.lower() in words:
        return words[text.lower()]
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be auto, all or a number, not {text!r}") from None
    if value < ALL:
        raise argparse.ArgumentTypeError(f"must be auto, all, -1 or a number >= 0, not {text}")
    return value
