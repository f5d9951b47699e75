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
    assert main(["settings", "get", "--json", "theme"]) == 0
    assert capsys.readouterr().out.splitlines() == ["dark", '"dark"']
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


def test_text_settings_take_any_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "set", "system_prompt", "42"]) == 0
    assert load_settings(app_paths().config_dir)[0].system_prompt == "42"
    assert main(["settings", "set", "generation.seed", "random"]) == 0
    assert main(["settings", "get", "generation.seed"]) == 0
    assert capsys.readouterr().out == "random\n"


def test_what_get_prints_set_takes_back(capsys: pytest.CaptureFixture[str]) -> None:
    main(["settings", "set", "generation.stop", '["END", "a,b"]'])
    main(["settings", "set", "generation.temperature", "0.35"])
    for key in ("generation.stop", "generation.temperature", "flash_attn", "generation.seed"):
        capsys.readouterr()
        assert main(["settings", "get", key]) == 0
        printed = capsys.readouterr().out.rstrip("\n")
        before = load_settings(app_paths().config_dir)[0]
        assert main(["settings", "set", key, printed]) == 0
        assert load_settings(app_paths().config_dir)[0] == before, key


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["chat", "--temperature", "5", "hi"],
            "argument --temperature: 'generation.temperature' must be a number from 0 to 2, not 5",
        ),
        (
            ["chat", "--seed", "-7", "hi"],
            "argument --seed: 'generation.seed' must be random or a whole number from 0 to "
            "2147483647, not -7",
        ),
        (
            ["chat", "--max-tokens", "0", "hi"],
            "argument --max-tokens: 'generation.max_tokens' must be a whole number from 1 to",
        ),
        (
            ["serve", "--gpu-layers", "-3"],
            "argument --gpu-layers: 'n_gpu_layers' must be a whole number from -2 to 1000",
        ),
        (
            ["chat", "--overflow", "explode", "hi"],
            "argument --overflow: 'generation.context_overflow' must be one of 'drop_oldest', "
            "'stop'",
        ),
    ],
)
def test_command_line_values_are_checked_by_the_declared_type(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "usage: hearth" in err


def test_command_line_values_reach_the_settings_of_the_run() -> None:
    from desktop_app.cli import build_parser
    from desktop_app.cli.settings import apply_options
    from desktop_app.core.settings import Settings

    args = build_parser().parse_args(
        ["chat", "--temperature", "0.5", "--seed", "7", "--ctx-size", "0", "--threads", "3", "x"]
    )
    settings = apply_options(Settings(), args)
    assert (settings.generation.temperature, settings.generation.seed) == (0.5, 7)
    load = settings.load_params()
    assert (load.n_ctx, load.n_threads) == (0, 3)
