"""Resource files resolve from the source tree, an override, and a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_app.resources import resource_path


def test_source_tree_resources_exist(monkeypatch) -> None:
    monkeypatch.delenv("HEARTH_RESOURCES", raising=False)
    root = resource_path()
    assert root == Path(__file__).resolve().parents[2] / "resources"
    assert root.is_dir()


def test_bundle_folder_wins_over_the_source_tree(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HEARTH_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("catalog.json") == tmp_path / "resources" / "catalog.json"


def test_override_wins(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEARTH_RESOURCES", str(tmp_path))
    assert resource_path("x") == tmp_path / "x"


def test_an_installed_wheel_uses_its_packaged_copy(monkeypatch, tmp_path: Path) -> None:
    """pip and pipx install resources/ as desktop_app/_resources (see setup.py)."""
    from desktop_app import resources

    package = tmp_path / "site-packages" / "desktop_app"
    (package / resources.PACKAGED_FOLDER / "icons").mkdir(parents=True)
    monkeypatch.delenv("HEARTH_RESOURCES", raising=False)
    monkeypatch.setattr(resources, "__file__", str(package / "resources.py"))
    expected = package / resources.PACKAGED_FOLDER / "icons" / "hearth.svg"
    assert resource_path("icons", "hearth.svg") == expected


def test_the_app_icon_is_there() -> None:
    assert resource_path("icons", "hearth.svg").read_text(encoding="utf-8").startswith("<?xml")
