"""Prompt formats: the model's template in a sandbox, fallbacks by architecture."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.engine.base import ChatTurn
from desktop_app.core.engine.prompt_format import (
    FORMATS,
    PromptFormat,
    TemplateError,
    choose_format,
    render_prompt,
)
from tests.tiny_model import CHATML_TEMPLATE

TURNS = [ChatTurn("system", "Be brief."), ChatTurn("user", "Translate 你好")]


def _no_tokens(_: str) -> bool:
    return False


def test_model_template_is_used_when_present() -> None:
    fmt = choose_format(CHATML_TEMPLATE, "llama", _no_tokens)
    assert fmt.from_model
    assert "own chat template" in fmt.description
    assert render_prompt(fmt, TURNS) == (
        "<|im_start|>system\nBe brief.<|im_end|>\n"
        "<|im_start|>user\nTranslate 你好<|im_end|>\n<|im_start|>assistant\n"
    )


@pytest.mark.parametrize(
    ("architecture", "tokens", "expected"),
    [
        ("gemma3", set(), "gemma"),
        ("llama", {"<|start_header_id|>"}, "llama3"),
        ("qwen2", set(), "chatml"),
        ("llama", {"<|im_start|>"}, "chatml"),
        ("phi3", set(), "phi3"),
        ("llama", {"[INST]"}, "mistral"),
        ("mamba", set(), "plain"),
    ],
)
def test_fallback_by_architecture(architecture: str, tokens: set[str], expected: str) -> None:
    fmt = choose_format(None, architecture, tokens.__contains__)
    assert fmt.name == expected
    assert not fmt.from_model
    assert "no chat template" in fmt.description


def test_gemma_fallback_folds_the_system_prompt_into_the_first_user_turn() -> None:
    prompt = render_prompt(FORMATS["gemma"], TURNS, bos_token="<bos>")
    assert prompt == (
        "<bos><start_of_turn>user\nBe brief.\n\nTranslate 你好<end_of_turn>\n<start_of_turn>model\n"
    )


def test_plain_format_has_stop_strings_for_the_next_user_turn() -> None:
    fmt = FORMATS["plain"]
    assert render_prompt(fmt, TURNS).endswith("User: Translate 你好\n\nAssistant:")
    assert any("User:" in stop for stop in fmt.stop)


HOSTILE_TEMPLATES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch {marker}') }}",
    "{% include '{secret}' %}",
    "{% import '{secret}' as secret %}{{ secret }}",
    "{{ messages.append({'role': 'x'}) }}",
    "{{ (messages | first).__class__.__mro__[1].__subclasses__() }}",
]


@pytest.mark.parametrize("template", HOSTILE_TEMPLATES)
def test_hostile_templates_cannot_run_code_or_read_files(template: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    source = template.replace("{marker}", str(marker)).replace("{secret}", str(secret))
    fmt = PromptFormat("model", source, (), from_model=True)
    with pytest.raises(TemplateError):
        render_prompt(fmt, TURNS)
    assert not marker.exists()


def test_unsafe_attributes_render_as_nothing() -> None:
    template = "{% for m in messages %}[{{ m.content | attr('__class__') }}]{% endfor %}"
    fmt = PromptFormat("model", template, (), from_model=True)
    assert render_prompt(fmt, TURNS) == "[][]"


def test_a_template_that_raises_reports_its_message() -> None:
    fmt = PromptFormat("model", "{{ raise_exception('Roles must alternate') }}", (), True)
    with pytest.raises(TemplateError, match="Roles must alternate"):
        render_prompt(fmt, TURNS)
