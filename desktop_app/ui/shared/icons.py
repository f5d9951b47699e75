"""Hearth's SVG icons, drawn in the theme's text colour and sharp at any scale.

The files in ``resources/icons`` use ``currentColor``. An icon in a given colour is
written once per process as an SVG file with that colour filled in and handed to Qt's
SVG icon engine, which renders it for every size and device pixel ratio asked for,
never scaling a bitmap.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QColor, QIcon

from desktop_app.resources import resource_path


@lru_cache(maxsize=1)
def _cache_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="hearth-icons-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@lru_cache(maxsize=256)
def _coloured_svg(name: str, colour: str) -> Path:
    source = resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")
    target = _cache_dir() / f"{name}-{colour.lstrip('#')}.svg"
    target.write_text(source.replace("currentColor", colour), encoding="utf-8")
    return target


APP_ICON = "hearth"
"""``resources/icons/hearth.svg``: the app's own icon, drawn in its own colours."""


def icon_names() -> list[str]:
    """The single-colour interface icons Hearth ships (the full-colour app icon is apart)."""
    return sorted(
        path.stem for path in resource_path("icons").glob("*.svg") if path.stem != APP_ICON
    )


def themed_icon(name: str, colour: QColor) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` drawn in ``colour``."""
    return QIcon(str(_coloured_svg(name, colour.name())))
