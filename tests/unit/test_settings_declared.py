"""Settings are declared once; every value is checked by its declared type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.setting_types import SettingError
from desktop_app.core.settings import (
    DECLARATIONS,
    GENERAL,
    GENERATION,
    HARDWARE,
    Settings,
    declarations,
    load_settings,
    save_settings,
)


def test_every_field_is_declared_with_its_default_and_a_description() -> None:
    defaults = Settings()
    for key, declaration in DECLARATIONS.items():
        assert declaration.label and declaration.description, key
        assert defaults.value(key) == declaration.default, key
        declaration.type.check(key, declaration.default)  # defaults are valid


def test_the_pages_hold_what_the_issue_asks_for() -> None:
    keys = {page: [d.key for d in declarations(page)] for page in (GENERAL, GENERATION, HARDWARE)}
    assert keys[GENERAL] == ["language", "theme", "font_size", "send_key", "models_dir"]
    for name in ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed"):
        assert f"generation.{name}" in keys[GENERATION]
    assert "generation.context_overflow" in keys[GENERATION]
    hardware = [
        "context_length",
        "n_threads",
        "n_gpu_layers",
        "n_batch",
        "flash_attn",
        "resume_cache_mb",
        "resume_cache_on_disk",
    ]
    assert keys[HARDWARE] == hardware


def test_new_settings_round_trip(tmp_path: Path) -> None:
    settings = (
        Settings()
        .with_value("language", "zh_CN")
        .with_value("theme", "dark")
        .with_value("font_size", 14)
        .with_value("send_key", "ctrl+enter")
        .with_value("models_dir", "/data/models")
        .with_value("generation.context_overflow", "stop")
        .with_value("n_batch", 256)
        .with_value("flash_attn", True)
        .with_value("generation.top_k", 0)
        .with_value("generation.seed", 42)
    )
    save_settings(tmp_path, settings)
    assert load_settings(tmp_path) == (settings, None)
    load = settings.load_params()
    assert (load.n_batch, load.flash_attn) == (256, True)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("generation.temperature", 3, "'generation.temperature' must be a number from 0 to 2"),
        ("generation.top_k", 2.5, "'generation.top_k' must be a whole number"),
        ("theme", "pink", "'theme' must be one of 'system', 'light', 'dark'"),
        ("flash_attn", 1, "'flash_attn' must be true or false"),
        ("n_gpu_layers", -3, "'n_gpu_layers' must be a whole number from -2 to 1000"),
        ("models_dir", "a\nb", "'models_dir' must be a single line"),
        ("generation.seed", "x", "'generation.seed' must be random or a whole number from 0"),
        ("nonsense", 1, "'nonsense' is not a setting"),
    ],
)
def test_bad_values_get_a_clear_message(key: str, value: object, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        Settings().with_value(key, value)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_value_out_of_bounds_in_the_file_is_kept_aside(tmp_path: Path) -> None:
    content = {"version": 1, "generation": {"temperature": 9}}
    (tmp_path / "settings.json").write_text(json.dumps(content), encoding="utf-8")
    settings, warning = load_settings(tmp_path)
    assert settings == Settings()
    assert warning is not None and "generation.temperature" in warning
    assert len(list(tmp_path.glob("settings.bad-*.json"))) == 1


def test_old_files_without_the_new_fields_keep_their_values(tmp_path: Path) -> None:
    old = {"version": 1, "context_length": 2048, "generation": {"temperature": 0.3}}
    (tmp_path / "settings.json").write_text(json.dumps(old), encoding="utf-8")
    settings, warning = load_settings(tmp_path)
    assert warning is None
    assert settings.context_length == 2048
    assert settings.generation == GenerationParams(temperature=0.3)
    assert settings.theme == "system"


def test_a_failed_save_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(tmp_path, Settings(theme="dark"))

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError):
        save_settings(tmp_path, Settings(theme="light"))
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
    assert load_settings(tmp_path)[0].theme == "dark"
