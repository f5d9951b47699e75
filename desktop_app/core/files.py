"""Small files Hearth owns (settings, endpoints, presets, the model library's manifest):
written so that a crash never leaves half a file, and never silently lost when bad."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any


def write_json_atomically(path: Path, data: Any) -> None:
    """Write ``data`` as JSON: a temporary file in the same folder, fsync, then replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _aside_name(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.bad-{stamp}{path.suffix}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = path.with_name(f"{path.stem}.bad-{stamp}-{counter}{path.suffix}")
    return aside


def copy_aside(path: Path) -> Path | None:
    """Copy a file that is about to be repaired to a ``.bad-`` name; None if that failed."""
    aside = _aside_name(path)
    try:
        shutil.copy2(path, aside)
    except OSError:
        return None
    return aside


def keep_aside(path: Path) -> Path:
    """Rename a bad file to a name that does not exist yet, so nothing is overwritten.

    Where the folder cannot be written (read-only disk), the file stays where it is and
    its own path is returned: it is kept either way, and the app still starts.
    """
    aside = _aside_name(path)
    try:
        os.replace(path, aside)
    except OSError:
        return path
    return aside
