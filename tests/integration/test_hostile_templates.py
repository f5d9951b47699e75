"""Hostile chat templates in real GGUF files: each model still loads, with the built-in
format and the reason, and nothing runs outside the sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.core.engine.base import ChatTurn
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadCancelled, LoadParams
from tests import hostile_templates
from tests.tiny_model import write_tiny_model

pytestmark = pytest.mark.integration

SMALL = LoadParams(n_ctx=256, n_threads=2)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(folder of models, canary path, secret path)."""
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    return folder, folder / "pwned", secret


def hostile_model(corpus: tuple[Path, Path, Path], name: str) -> Path:
    folder, canary, secret = corpus
    path = folder / (name.replace(":", "-") + ".gguf")
    if not path.exists():
        template = hostile_templates.fill(hostile_templates.ALL[name], str(canary), str(secret))
        write_tiny_model(path, chat_template=template)
    return path


@pytest.mark.parametrize("name", sorted(hostile_templates.ALL))
def test_a_hostile_template_loads_the_model_with_the_fallback_format(
    name: str, corpus: tuple[Path, Path, Path]
) -> None:
    engine = LlamaEngine(hostile_model(corpus, name), SMALL)
    try:
        info = engine.info
        assert info.format_source == "rejected"
        assert info.format_name == "chatml"
        assert info.format_problem
        assert info.chat_format == (
            "the built-in chatml format (the model's own template was rejected: "
            f"{info.format_problem})"
        )
        tokens = engine.prompt_tokens([ChatTurn("user", "Hello")])
        assert (
            engine.llama.detokenize(tokens, special=True)
            .decode()
            .endswith("<|im_start|>assistant\n")
        )
    finally:
        engine.close()
    assert not corpus[1].exists(), "the template ran code outside the sandbox"


def test_a_load_stays_cancellable_while_the_template_is_tried(
    corpus: tuple[Path, Path, Path],
) -> None:
    calls_at_end: list[float] = []

    def progress(fraction: float) -> bool:
        if fraction >= 1.0:
            calls_at_end.append(fraction)
        return len(calls_at_end) < 3  # the template trial is running by the third call

    with pytest.raises(LoadCancelled):
        LlamaEngine(hostile_model(corpus, "time:nested-range"), SMALL, progress=progress)


def test_the_cli_chats_with_a_model_whose_template_does_not_compile(
    corpus: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    model = hostile_model(corpus, "syntax:unclosed-for")
    env = {**os.environ, "HEARTH_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "chat", "--model", str(model), "-v",
         "--max-tokens", "3", "--seed", "1", "Hello"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "prompt format: the built-in chatml format (the model's own template was rejected: "
        "TemplateSyntaxError: Unexpected end of template." in result.stderr
    )
