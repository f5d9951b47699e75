"""What rendering a model's chat template in its sandbox process costs.

    .venv/bin/python benchmarks/template_render.py [--messages 200] [--repeat 30]

Prints medians, side by side: rendering in this process (how Hearth rendered before
the sandbox process, and how it renders its built-in formats), one render through the
sandbox process (a pipe round trip), and starting a sandbox process (once per model
load) with spawn (what Hearth uses) and, for comparison, a forkserver.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from collections.abc import Callable

from desktop_app.core.engine import template_sandbox
from desktop_app.core.engine.template_sandbox import (
    TemplateSandbox,
    make_environment,
    render_bounded,
)

# ChatML, as the tiny test model carries it (not imported: every sandbox process
# re-imports this script, as multiprocessing does with a main script).
CHATML_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# A template in the style of recent instruction models: a system block, roles checked,
# a namespace carried through the loop, per-message branches.
RICH_TEMPLATE = (
    "{{ bos_token }}{% set ns = namespace(system='', turns=0) %}"
    "{% if messages[0].role == 'system' %}{% set ns.system = messages[0].content %}{% endif %}"
    "<|start|>system\n{{ ns.system | trim }}\nToday: {{ strftime_now('%Y-%m-%d') }}<|end|>\n"
    "{% for m in messages %}{% if m.role == 'system' %}{% continue %}{% endif %}"
    "{% if (m.role == 'user') != (ns.turns % 2 == 0) %}"
    "{{ raise_exception('Roles must alternate user/assistant') }}{% endif %}"
    "{% set ns.turns = ns.turns + 1 %}"
    "<|start|>{{ m.role }}\n{{ m.content | trim }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|start|>assistant\n{% endif %}"
)


def conversation(messages: int) -> dict[str, object]:
    turns = [{"role": "system", "content": "You are a helpful assistant. " * 5}]
    for n in range(messages):
        role = "user" if n % 2 == 0 else "assistant"
        turns.append({"role": role, "content": f"Message {n}: " + "some words here " * 20})
    if turns[-1]["role"] != "user":
        turns.append({"role": "user", "content": "And now?"})
    return {
        "messages": turns,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "add_generation_prompt": True,
    }


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def start_cost(method: str, repeat: int) -> float:
    original = template_sandbox._context

    def chosen() -> object:
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload([template_sandbox.__name__])
        return context

    template_sandbox._context = chosen
    try:
        context = conversation(2)

        def start_and_render() -> None:
            with TemplateSandbox(CHATML_TEMPLATE) as sandbox:
                sandbox.render(context)

        start_and_render()  # the forkserver itself starts once per app run
        return median_ms(start_and_render, repeat)
    finally:
        template_sandbox._context = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    context = conversation(args.messages)
    environment = make_environment()
    print(f"{args.messages} messages, median of {args.repeat} runs (ms):")
    print(f"{'template':10} {'in-process':>11} {'sandbox':>9} {'ratio':>6} {'chars':>8}")
    for name, source in (("chatml", CHATML_TEMPLATE), ("rich", RICH_TEMPLATE)):
        template = environment.from_string(source)
        local = median_ms(
            lambda t=template: render_bounded(t, context, 1 << 26),  # type: ignore[misc]
            args.repeat,
        )
        with TemplateSandbox(source) as sandbox:
            text = sandbox.render(context)
            remote = median_ms(lambda: sandbox.render(context), args.repeat)
        print(f"{name:10} {local:11.3f} {remote:9.3f} {remote / local:6.1f} {len(text):8}")
    forkserver = start_cost("forkserver", max(3, args.repeat // 3))
    spawn = start_cost("spawn", max(3, args.repeat // 10))
    print(f"start a sandbox + first render: forkserver {forkserver:.1f} ms, spawn {spawn:.1f} ms")


if __name__ == "__main__":
    main()
