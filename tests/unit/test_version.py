"""One version for Hearth: pyproject.toml's, whichever way Hearth is run."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

import desktop_app
from desktop_app import _version
from desktop_app._version import version_from_pyproject

ROOT = Path(__file__).resolve().parents[2]

if sys.version_info >= (3, 11):
    import tomllib

    def declared_version() -> str:
        with (ROOT / "pyproject.toml").open("rb") as file:
            return tomllib.load(file)["project"]["version"]
else:  # pragma: no cover - the suite runs on 3.11 in CI
    declared_version = None


@pytest.mark.skipif(declared_version is None, reason="needs tomllib (Python 3.11+)")
def test_the_package_reports_the_version_declared_in_pyproject() -> None:
    assert desktop_app.__version__ == declared_version()


def test_only_the_project_table_counts(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.other]\nversion = "9.9"\n\n[project]\nname = "hearth"\nversion = "1.2.3"\n'
        '\n[tool.x]\nname = "other"\n',
        encoding="utf-8",
    )
    assert version_from_pyproject(pyproject) == "1.2.3"


def test_another_projects_pyproject_is_ignored(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "else"\nversion = "4.0"\n', encoding="utf-8")
    assert version_from_pyproject(pyproject) is None
    assert version_from_pyproject(tmp_path / "missing.toml") is None


def test_an_installed_copy_reads_the_package_metadata(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A wheel or the bundle has no pyproject.toml next to the package: metadata decides."""
    package = tmp_path / "site-packages" / "desktop_app"
    package.mkdir(parents=True)
    monkeypatch.setattr(_version, "__file__", str(package / "_version.py"))
    monkeypatch.setattr(importlib.metadata, "version", lambda name: f"7.7.7 of {name}")
    assert _version.find_version() == "7.7.7 of hearth"
