"""Turning a conversation into a prompt.

The model's own chat template (GGUF ``tokenizer.chat_template``) is rendered in a
sandboxed, immutable Jinja environment, in a child process with limits on time and
memory (``template_sandbox``): a template is data from a downloaded file and must not
be able to run code, read files, or hang or exhaust the app. A model without a template gets a
fallback chosen by its architecture, else a plain "User:/Assistant:" format; the
chosen format is reported so the UI and ``--verbose`` can say which one is in use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jinja2

from desktop_app.core.engine.base import ChatTurn
from desktop_app.core.engine.template_sandbox import (
    RenderLimits,
    TemplateError,
    TemplateSandbox,
    describe,
    make_environment,
    render_bounded,
)
from desktop_app.core.tools.calls import ToolSpec
from desktop_app.core.tools.prompting import template_messages, template_supports_tools


@dataclass(frozen=True)
class PromptFormat:
    name: str
    template: str
    stop: tuple[str, ...]
    """Stop strings in the generated text, for formats without an end-of-turn token."""
    from_model: bool

    @property
    def description(self) -> str:
        if self.from_model:
            return "the model's own chat template"
        if self.name == "plain":
            return "a plain User/Assistant format (the model has no chat template)"
        return f"the built-in {self.name} format (the model has no chat template)"


_CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
_GEMMA = (
    "{{ bos_token }}{% set sys = namespace(text='') %}"
    "{% for m in messages %}"
    "{% if m.role == 'system' %}{% set sys.text = m.content + '\n\n' %}"
    "{% else %}<start_of_turn>{{ 'model' if m.role == 'assistant' else 'user' }}\n"
    "{% if m.role == 'user' %}{{ sys.text }}{% set sys.text = '' %}{% endif %}"
    "{{ m.content }}<end_of_turn>\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
_LLAMA3 = (
    "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>"
    "\n\n{{ m.content }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
_PHI3 = (
    "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
_MISTRAL = (
    "{{ bos_token }}{% set sys = namespace(text='') %}{% for m in messages %}"
    "{% if m.role == 'system' %}{% set sys.text = m.content + '\n\n' %}"
    "{% elif m.role == 'user' %}[INST] {{ sys.text }}{{ m.content }} [/INST]"
    "{% set sys.text = '' %}{% else %}{{ m.content }}{{ eos_token }}{% endif %}{% endfor %}"
)
_PLAIN = (
    "{% for m in messages %}{% if m.role == 'system' %}{{ m.content }}\n\n"
    "{% elif m.role == 'user' %}User: {{ m.content }}\n\n"
    "{% else %}Assistant: {{ m.content }}\n\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)

# Each format stops at its end-of-turn marker and also at the marker that opens the next
# turn: a small model without a chat template often skips the end of its turn and goes
# straight on to write the user's next message and answer it (Gemma 3 270M does).
FORMATS: dict[str, PromptFormat] = {
    "chatml": PromptFormat("chatml", _CHATML, ("<|im_end|>", "<|im_start|>"), from_model=False),
    "gemma": PromptFormat("gemma", _GEMMA, ("<end_of_turn>", "<start_of_turn>"), from_model=False),
    "llama3": PromptFormat(
        "llama3", _LLAMA3, ("<|eot_id|>", "<|start_header_id|>"), from_model=False
    ),
    "phi3": PromptFormat("phi3", _PHI3, ("<|end|>", "<|user|>"), from_model=False),
    "mistral": PromptFormat("mistral", _MISTRAL, ("[INST]",), from_model=False),
    "plain": PromptFormat("plain", _PLAIN, ("\nUser:", "\n\nUser:"), from_model=False),
}


def choose_format(
    template: str | None, architecture: str, has_token: Callable[[str], bool]
) -> PromptFormat:
    """The model's template if it has one, else a fallback for its architecture.

    ``has_token`` tells whether the vocabulary knows a special token, which separates
    families that share an architecture name (llama 2/Mistral versus Llama 3).
    """
    if template and template.strip():
        return PromptFormat("model", template, (), from_model=True)
    arch = architecture.lower()
    if arch.startswith("gemma"):
        return FORMATS["gemma"]
    if arch.startswith("phi3") or (has_token("<|end|>") and has_token("<|assistant|>")):
        return FORMATS["phi3"]
    if has_token("<|start_header_id|>"):
        return FORMATS["llama3"]
    if arch.startswith(("qwen", "chatglm")) or has_token("<|im_start|>"):
        return FORMATS["chatml"]
    if arch == "mistral" or (arch == "llama" and has_token("[INST]")):
        return FORMATS["mistral"]
    return FORMATS["plain"]


_ENVIRONMENT = make_environment()


@functools.lru_cache(maxsize=16)
def _compile(source: str) -> jinja2.Template:
    """Compiling costs far more than rendering; a built-in format is compiled once."""
    return _ENVIRONMENT.from_string(source)


def render_prompt(
    fmt: PromptFormat,
    turns: Sequence[ChatTurn],
    *,
    bos_token: str = "",
    eos_token: str = "",
    add_generation_prompt: bool = True,
    sandbox: TemplateSandbox | None = None,
    should_stop: Callable[[], bool] | None = None,
    tools: Sequence[ToolSpec] = (),
) -> str:
    """Render ``turns`` with ``fmt``; raises ``TemplateError`` on any template failure.

    A model's own template renders in ``sandbox`` (a child process with time and
    memory limits; a one-off one when None); a built-in format renders here. ``tools``
    go to a template that reads them, else into the conversation's text
    (``core.tools.prompting``).
    """
    native = fmt.from_model and template_supports_tools(fmt.template)
    context = {
        "messages": template_messages(turns, tools, native),
        "bos_token": bos_token,
        "eos_token": eos_token,
        "add_generation_prompt": add_generation_prompt,
    }
    if tools and native:
        context["tools"] = [tool.to_openai() for tool in tools]
    if fmt.from_model:
        if sandbox is not None:
            return sandbox.render(context, should_stop)
        with TemplateSandbox(fmt.template) as one_off:
            return one_off.render(context, should_stop)
    try:
        return render_bounded(_compile(fmt.template), context, RenderLimits().max_chars)
    except TemplateError:
        raise
    except Exception as exc:
        raise TemplateError(describe(exc)) from exc
