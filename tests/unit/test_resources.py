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
