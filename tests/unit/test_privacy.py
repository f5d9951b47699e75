"""Deleting all data removes chats, settings, presets and caches, and keeps models."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.paths import AppPaths, app_paths
from desktop_app.core.privacy import delete_all_data


def test_everything_but_the_models_is_deleted(tmp_path: Path) -> None:
    paths = app_paths({"HEARTH_HOME": str(tmp_path)}).ensure()
    (paths.config_dir / "settings.json").write_text("{}", encoding="utf-8")
    (paths.config_dir / "presets.json").write_text("{}", encoding="utf-8")
    paths.database.write_bytes(b"chats")
    (paths.data_dir / "kv-cache").mkdir()
    (paths.data_dir / "kv-cache" / "a.kv").write_bytes(b"state")
    (paths.models_dir / "model.gguf").write_bytes(b"GGUF")
    report = delete_all_data(paths)
    assert report.failed == []
    assert list(paths.config_dir.iterdir()) == []
    assert [p for p in paths.data_dir.iterdir() if p != paths.models_dir] == []
    assert (paths.models_dir / "model.gguf").exists()


def test_models_inside_the_data_folder_are_kept_too(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "config", tmp_path / "data", tmp_path / "data" / "models")
    paths.ensure()
    paths.database.write_bytes(b"chats")
    (paths.models_dir / "model.gguf").write_bytes(b"GGUF")
    delete_all_data(paths)
    assert [p.name for p in paths.data_dir.iterdir()] == ["models"]
    assert (paths.models_dir / "model.gguf").exists()
