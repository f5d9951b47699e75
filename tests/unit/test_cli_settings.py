"""``hearth settings`` reads and changes the same validated settings file as the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.paths import app_paths
from desktop_app.core.settings import load_settings


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEARTH_HOME", str(tmp_path))
    return tmp_path


def test_set_then_get(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "set", "generation.temperature", "0.2"]) == 0
    assert main(["settings", "set", "theme", "dark"]) == 0
    assert main(["settings", "get", "theme"]) == 0
    assert capsys.readouterr().out.strip() == '"dark"'
    settings, _ = load_settings(app_paths().config_dir)
    assert (settings.generation.temperature, settings.theme) == (0.2, "dark")


def test_a_bad_value_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "set", "generation.top_p", "7"]) == 1
    err = capsys.readouterr().err
    assert err == "hearth: error: 'generation.top_p' must be a number from 0 to 1, not 7\n"
    assert not (app_paths().config_dir / "settings.json").exists()


def test_reset_puts_the_default_back() -> None:
    main(["settings", "set", "n_batch", "64"])
    assert main(["settings", "reset", "n_batch"]) == 0
    assert load_settings(app_paths().config_dir)[0].n_batch == 512


def test_chat_options_are_checked_by_the_declared_type(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["chat", "--top-k", "-3", "hello"])
    assert exited.value.code == 2
    assert "'generation.top_k' must be a whole number from 0 to 1000" in capsys.readouterr().err
