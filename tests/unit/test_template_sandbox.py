"""A model's chat template renders in a child process with limits on time, memory and
output; every way a template can fail ends in a ``TemplateError`` with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop_app.core.engine.base import ChatTurn
from desktop_app.core.engine.prompt_format import PromptFormat, render_prompt
from desktop_app.core.engine.template_sandbox import (
    RenderLimits,
    TemplateCancelled,
    TemplateError,
    TemplateSandbox,
)
from tests import hostile_templates
from tests.tiny_model import CHATML_TEMPLATE

TURNS = [ChatTurn("system", "Be brief."), ChatTurn("user", "Hello")]
CONTEXT = {
    "messages": [{"role": t.role, "content": t.content} for t in TURNS],
    "bos_token": "",
    "eos_token": "",
    "add_generation_prompt": True,
}
QUICK = RenderLimits(seconds=0.5)


def model_format(source: str) -> PromptFormat:
    return PromptFormat("model", source, (), from_model=True)


@pytest.mark.parametrize("name", sorted(hostile_templates.TIME_BOMBS))
def test_a_template_that_never_finishes_is_stopped_at_the_time_limit(name: str) -> None:
    sandbox = TemplateSandbox(hostile_templates.TIME_BOMBS[name], QUICK)
    with sandbox, pytest.raises(TemplateError, match=r"longer than 0\.5 s to render"):
        sandbox.render(CONTEXT)


@pytest.mark.parametrize("name", sorted(hostile_templates.MEMORY_BOMBS))
def test_a_template_that_floods_memory_is_stopped(name: str) -> None:
    sandbox = TemplateSandbox(hostile_templates.MEMORY_BOMBS[name])
    with sandbox, pytest.raises(TemplateError, match=r"memory|output passed the limit"):
        sandbox.render(CONTEXT)


def test_output_over_the_limit_is_cut_off_with_the_reason() -> None:
    limits = RenderLimits(max_chars=1000)
    sandbox = TemplateSandbox("{% for i in range(100) %}{{ 'x' * 100 }}{% endfor %}", limits)
    with sandbox, pytest.raises(TemplateError, match="output passed the limit"):
        sandbox.render(CONTEXT)


@pytest.mark.parametrize("name", sorted(hostile_templates.SYNTAX_ERRORS))
def test_a_template_that_does_not_compile_reports_the_syntax_error(name: str) -> None:
    with pytest.raises(TemplateError, match="TemplateSyntaxError"):
        render_prompt(model_format(hostile_templates.SYNTAX_ERRORS[name]), TURNS)


@pytest.mark.parametrize("name", sorted(hostile_templates.ESCAPES))
def test_escape_attempts_run_nothing_outside_the_sandbox(name: str, tmp_path: Path) -> None:
    canary = tmp_path / "pwned"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    source = hostile_templates.fill(hostile_templates.ESCAPES[name], str(canary), str(secret))
    with pytest.raises(TemplateError):
        render_prompt(model_format(source), TURNS)
    assert not canary.exists()


def test_the_sandbox_keeps_serving_renders_and_recovers_after_a_kill() -> None:
    template = (
        "{% if messages[-1].content == 'hang' %}{% for a in range(100000) %}"
        "{% for b in range(100000) %}{% endfor %}{% endfor %}{% endif %}" + CHATML_TEMPLATE
    )
    with TemplateSandbox(template, QUICK) as sandbox:
        first = sandbox.render(CONTEXT)
        assert first.endswith("<|im_start|>assistant\n")
        hanging = {**CONTEXT, "messages": [{"role": "user", "content": "hang"}]}
        with pytest.raises(TemplateError, match="longer than"):
            sandbox.render(hanging)
        assert sandbox.render(CONTEXT) == first


def test_a_render_can_be_cancelled_while_it_runs() -> None:
    polls = []

    def stop() -> bool:
        polls.append(1)
        return len(polls) >= 3

    sandbox = TemplateSandbox(hostile_templates.TIME_BOMBS["nested-range"])
    with sandbox, pytest.raises(TemplateCancelled):
        sandbox.render(CONTEXT, stop)


def test_closing_the_sandbox_ends_its_process() -> None:
    sandbox = TemplateSandbox(CHATML_TEMPLATE)
    sandbox.render(CONTEXT)
    process = sandbox._process
    assert process is not None and process.is_alive()
    sandbox.close()
    assert not process.is_alive()
    assert process.pid != os.getpid()
