"""Settings are saved atomically and survive damage; HEARTH_HOME moves everything."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.paths import app_paths
from desktop_app.core.settings import Settings, load_settings, save_settings


def test_settings_round_trip(tmp_path: Path) -> None:
    settings = Settings(
        models_dir="/models",
        context_length=8192,
        generation=replace(GenerationParams(), temperature=0.2, seed=7, stop=("END",)),
    )
    save_settings(tmp_path, settings)
    assert load_settings(tmp_path) == (settings, None)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_missing_file_means_defaults_without_a_warning(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == (Settings(), None)


def test_a_corrupt_file_is_kept_aside_and_defaults_are_used(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    settings, warning = load_settings(tmp_path)
    assert settings == Settings()
    assert warning is not None
    assert "kept as settings.bad-" in warning
    [kept] = list(tmp_path.glob("settings.bad-*.json"))
    assert kept.read_text(encoding="utf-8") == "{not json"


def test_wrong_types_and_unknown_versions_are_treated_as_corrupt(tmp_path: Path) -> None:
    for content in ({"context_length": "big"}, {"version": 99}, ["a list"]):
        (tmp_path / "settings.json").write_text(json.dumps(content), encoding="utf-8")
        settings, warning = load_settings(tmp_path)
        assert settings == Settings()
        assert warning is not None
    assert len(list(tmp_path.glob("settings.bad-*"))) == 3


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    content = {"version": 1, "context_length": 2048, "from_the_future": True}
    (tmp_path / "settings.json").write_text(json.dumps(content), encoding="utf-8")
    settings, warning = load_settings(tmp_path)
    assert settings.context_length == 2048
    assert warning is None


def test_hearth_home_puts_every_folder_under_it(tmp_path: Path) -> None:
    paths = app_paths({"HEARTH_HOME": str(tmp_path)})
    for folder in (paths.config_dir, paths.data_dir, paths.models_dir, paths.database):
        assert folder.is_relative_to(tmp_path)


def test_without_hearth_home_the_platform_folders_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards: without HEARTH_HOME, files go to the platform's folders for "Hearth"
    (on Linux, the XDG folders the user set)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    paths = app_paths({})
    assert paths.config_dir.name == paths.data_dir.name == "Hearth"
    assert paths.models_dir == paths.data_dir / "models"
    assert paths.database == paths.data_dir / "hearth.sqlite3"
    if sys.platform.startswith("linux"):
        assert paths.config_dir == tmp_path / "xdg-config" / "Hearth"
        assert paths.data_dir == tmp_path / "xdg-data" / "Hearth"
