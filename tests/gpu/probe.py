"""Load a model through Hearth's engine in a fresh process and report, as JSON, where
it ran and what it generated.

The GPU tests run this in a subprocess because llama.cpp's Vulkan backend reads its
environment (``GGML_VK_VISIBLE_DEVICES``, ``VK_ICD_FILENAMES``…) once per process, when
the backends register: every case needs a process of its own.

    python -m tests.gpu.probe MODEL [--gpu-layers auto|all|N] [--tokens N]
        [--cancel-after N] [--logits]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

QUESTION = "Tell me about the sea."


def main(argv: list[str] | None = None) -> int:
    from desktop_app.cli.common import gpu_layers

    parser = argparse.ArgumentParser()
    parser.add_argument("model", type=Path)
    parser.add_argument("--gpu-layers", type=gpu_layers, default="auto")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--cancel-after", type=int, default=0)
    parser.add_argument("--logits", action="store_true", help="the logits after the prompt")
    parser.add_argument(
        "--fail-gpu-loads",
        action="store_true",
        help="make every load with GPU layers fail as an out-of-device-memory one does",
    )
    args = parser.parse_args(argv)
    if args.fail_gpu_loads:
        _fail_gpu_loads()

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    from desktop_app.core.engine.base import (
        CancelToken,
        ChatTurn,
        Finished,
        GenerationParams,
        TextDelta,
    )
    from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
    from desktop_app.core.gpu.backends import gpu_backends, gpu_devices, registered_backends

    engine = LlamaEngine(args.model, LoadParams(n_ctx=2048, n_gpu_layers=args.gpu_layers))
    report: dict[str, object] = {
        "backends": list(registered_backends()),
        "gpu_backends": list(gpu_backends()),
        "devices": [
            {"name": d.name, "description": d.description, "kind": d.kind} for d in gpu_devices()
        ],
        "offload": engine.info.offload,
        "n_gpu_layers": engine.offload.plan.n_gpu_layers,
        "gpu_blocks": engine.offload.plan.gpu_blocks,
        "llama_line": engine.offload.llama_line,
        "notice": engine.offload.notice,
    }
    cancel = CancelToken()
    params = GenerationParams(
        max_tokens=args.tokens, temperature=0.0, seed=1, ignore_eos=True, repeat_penalty=1.0
    )
    text, tokens, reason = "", 0, ""
    for event in engine.stream_chat([ChatTurn("user", QUESTION)], params, cancel):
        if isinstance(event, TextDelta):
            text += event.text
            tokens = event.tokens
            if args.cancel_after and tokens >= args.cancel_after:
                cancel.cancel()
        elif isinstance(event, Finished):
            reason = event.reason.value
            report["error"] = event.error
    report.update(text=text, tokens=tokens, finish=reason)
    if args.logits:
        llm = engine.llama
        prompt = engine.prompt_tokens([ChatTurn("user", QUESTION)])
        llm.reset()
        llm.eval(prompt)
        report["logits"] = [float(x) for x in llm.scores[llm.n_tokens - 1]]
    engine.close()
    json.dump(report, sys.stdout)
    return 0


def _fail_gpu_loads() -> None:
    """llama.cpp's own failure when a device buffer cannot be allocated, for every load
    that asks for GPU layers (lavapipe takes whatever it is asked for, so a real
    out-of-memory cannot be provoked on it)."""
    import llama_cpp

    real = llama_cpp.Llama

    def llama(*args: object, **kwargs: object) -> object:
        if kwargs.get("n_gpu_layers", 0) != 0:
            raise ValueError("Failed to load model from file: unable to allocate Vulkan0 buffer")
        return real(*args, **kwargs)

    llama_cpp.Llama = llama  # type: ignore[misc]


if __name__ == "__main__":
    sys.exit(main())
