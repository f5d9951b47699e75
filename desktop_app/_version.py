"""Hearth's version, from its one source of truth: ``version`` in ``pyproject.toml``.

A source checkout reads ``pyproject.toml`` itself, so a version bump shows at once
even in an editable install whose metadata is older. An installed wheel (pip, pipx)
and the PyInstaller bundle (whose recipe copies the package metadata in) read the
installed metadata, which the build took from ``pyproject.toml``.
"""

from __future__ import annotations

import re
from pathlib import Path

DISTRIBUTION = "hearth"
UNKNOWN = "0.0.0+unknown"

_PROJECT_TABLE = re.compile(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", re.MULTILINE | re.DOTALL)
_KEY = r'^{}\s*=\s*"([^"]+)"\s*$'


def version_from_pyproject(pyproject: Path) -> str | None:
    """The ``[project]`` version in ``pyproject``, if that file describes Hearth."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    table = _PROJECT_TABLE.search(text)
    if table is None:
        return None
    name = re.search(_KEY.format("name"), table.group(1), re.MULTILINE)
    found = re.search(_KEY.format("version"), table.group(1), re.MULTILINE)
    if name is None or name.group(1) != DISTRIBUTION or found is None:
        return None
    return found.group(1)


def find_version() -> str:
    source_tree_version = version_from_pyproject(
        Path(__file__).resolve().parent.parent / "pyproject.toml"
    )
    if source_tree_version:
        return source_tree_version
    # Imported here: importlib.metadata costs a noticeable part of startup, and a
    # source checkout never needs it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return UNKNOWN
