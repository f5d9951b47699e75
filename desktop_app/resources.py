"""Find Hearth's data files, from a source tree, an installed wheel or a PyInstaller bundle.

Every lookup of a file under ``resources/`` goes through :func:`resource_path`, so that the
bundle recipe and the wheel only have to put the folder in one place each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_ENV_OVERRIDE = "HEARTH_RESOURCES"
PACKAGED_FOLDER = "_resources"
"""Where a wheel carries the top-level ``resources/`` folder, inside ``desktop_app``."""


def resources_root() -> Path:
    """The folder that holds icons, translations, the model catalog and desktop metadata.

    Order: ``HEARTH_RESOURCES`` (tests, packagers); the PyInstaller bundle's unpack folder;
    the copy inside an installed wheel (pip, pipx); the source tree's top-level
    ``resources/``.
    """
    override = os.environ.get(_ENV_OVERRIDE)
    if override:
        return Path(override)
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if bundle_dir is not None:
        return Path(bundle_dir) / "resources"
    package_dir = Path(__file__).resolve().parent
    packaged = package_dir / PACKAGED_FOLDER
    if packaged.is_dir():
        return packaged
    return package_dir.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file or folder under :func:`resources_root`; it may not exist (callers decide)."""
    return resources_root().joinpath(*parts)
