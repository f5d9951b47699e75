"""Loading settings: old keys migrate by declaration, a bad value resets only itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.settings import (
    DECLARATIONS,
    DELETED,
    RENAMED,
    Settings,
    load_settings,
    save_settings,
)
from desktop_app.core.window_state import STATE_FILE, StateFile, WindowState


def write(folder: Path, content: object) -> Path:
    path = folder / "settings.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_a_renamed_key_is_read_under_its_new_name(tmp_path: Path) -> None:
    # Before 7d27d6d the overflow strategy was a top-level setting.
    write(tmp_path, {"version": 1, "context_overflow": "stop", "theme": "dark"})
    settings, warning = load_settings(tmp_path)
    assert warning is None
    assert settings.generation.context_overflow == "stop"
    assert settings.theme == "dark"
    save_settings(tmp_path, settings)
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert "context_overflow" not in saved
    assert saved["generation"]["context_overflow"] == "stop"


def test_the_new_name_wins_over_the_old_one(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "version": 1,
            "context_overflow": "stop",
            "generation": {"context_overflow": "drop_oldest"},
        },
    )
    assert load_settings(tmp_path)[0].generation.context_overflow == "drop_oldest"


def test_the_migration_tables_point_at_declared_settings() -> None:
    for old, new in RENAMED.items():
        assert new in DECLARATIONS and old not in DECLARATIONS, old
    assert not DELETED & set(DECLARATIONS)


def test_a_bad_value_resets_that_setting_only_and_the_file_is_kept(tmp_path: Path) -> None:
    original = {
        "version": 1,
        "theme": "dark",
        "n_batch": -5,
        "generation": {"temperature": 9, "top_k": 7},
    }
    write(tmp_path, original)
    settings, warning = load_settings(tmp_path)

    assert settings.theme == "dark" and settings.generation.top_k == 7
    assert settings.n_batch == Settings().n_batch
    assert settings.generation.temperature == Settings().generation.temperature
    assert warning is not None
    assert "'n_batch' must be a whole number from 1 to 16384, not -5" in warning
    assert "'generation.temperature' must be a number from 0 to 2, not 9" in warning
    [kept] = tmp_path.glob("settings.bad-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == original
    assert load_settings(tmp_path) == (settings, None), "the repaired file was saved"


def test_a_bad_value_in_a_read_only_folder_still_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"version": 1, "theme": "pink", "font_size": 12})
    monkeypatch.setattr("desktop_app.core.settings.copy_aside", lambda path: None)
    settings, warning = load_settings(tmp_path)
    assert settings.font_size == 12 and settings.theme == "system"
    assert warning is not None and "left as it was" in warning
    assert json.loads((tmp_path / "settings.json").read_text())["theme"] == "pink"


def test_the_last_model_moves_from_the_settings_to_the_window_state(tmp_path: Path) -> None:
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    write(config, {"version": 1, "last_model_path": "/models/old.gguf", "theme": "dark"})

    state = StateFile(data, config)
    settings, warning = load_settings(config)

    assert state.state.last_model == "/models/old.gguf"
    assert warning is None and settings.theme == "dark"
    assert json.loads((data / STATE_FILE).read_text())["last_model"] == "/models/old.gguf"
    save_settings(config, settings)
    assert "last_model_path" not in (config / "settings.json").read_text()
    assert StateFile(data, config).state.last_model == "/models/old.gguf"


def test_window_state_round_trips_and_drops_bad_values(tmp_path: Path) -> None:
    state = StateFile(tmp_path)
    state.update(last_model="/m.gguf", splitter_sizes=(200, 700), last_conversation=3)
    assert StateFile(tmp_path).state == WindowState(
        last_model="/m.gguf", splitter_sizes=(200, 700), last_conversation=3
    )
    (tmp_path / STATE_FILE).write_text(
        json.dumps({"version": 1, "last_model": 5, "splitter_sizes": [1, -2], "geometry": "AA=="})
    )
    assert StateFile(tmp_path).state == WindowState(geometry="AA==")
    (tmp_path / STATE_FILE).write_text("{broken")
    assert StateFile(tmp_path).state == WindowState()
