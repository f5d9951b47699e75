"""GPU against CPU for one model: generation tok/s, Hearth's app/raw ratio, prompt speed.

Usage: python benchmarks/gpu.py --model PATH|tiny|gemma [--tokens 256] [--runs 5]
       [--lavapipe] [--cpu-python PATH]

Each side runs in a process of its own (llama.cpp's backends read their environment
once per process):

- cpu: every GPU hidden (``VK_ICD_FILENAMES`` pointing nowhere, ``CUDA_VISIBLE_DEVICES``
  empty) and 0 GPU layers; with ``--cpu-python``, in another venv's Python, e.g. a
  CPU-only build;
- gpu: GPU layers "auto" (every layer that fits). ``--lavapipe`` makes Mesa's lavapipe,
  a Vulkan driver that runs on the CPU, the device: a correctness path, not a fast one.

Per side: raw tok/s (``Llama.generate`` in a bare loop) and app tok/s (Hearth's whole
pipeline, as in benchmarks/stream.py: engine thread, SQLite, the chat view's model),
alternated, medians over ``--runs``; and prompt processing of a 2,000-token prompt
(tokens / time of one evaluation from an empty cache, median of three). The last line
is ``cpu_tok_s=… gpu_tok_s=… gpu_app_raw_ratio=… cpu_pp_tok_s=… gpu_pp_tok_s=…``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMPT_TOKENS = 2000


def child(model: Path, side: str, tokens: int, runs: int) -> dict[str, object]:
    """Measure one side in this process; a JSON-able report."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from benchmarks.stream import Runner
    from desktop_app.core.engine.llama_engine import LoadParams
    from desktop_app.core.gpu.plan import AUTO

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    layers = 0 if side == "cpu" else AUTO
    load = LoadParams(n_ctx=max(4096, PROMPT_TOKENS + tokens + 256), n_gpu_layers=layers)
    runner = Runner(model, load, tokens)
    runner.raw()  # warm-up: shaders, weights, caches
    runner.app()
    raw, app = [], []
    for _ in range(runs):
        raw.append(runner.raw())
        app.append(runner.app()[0])
    prompt = runner._on_engine_thread(lambda: _prompt_rates(runner.engine.llama))
    report = {
        "layers": runner.engine.info.offload,
        "raw": statistics.median(raw),
        "app": statistics.median(app),
        "ratio": statistics.median(a / r for a, r in zip(app, raw, strict=True)),
        "pp": statistics.median(prompt),
    }
    runner.close()
    return report


def _prompt_rates(llm: object) -> list[float]:
    text = " ".join(
        f"The lighthouse keeper counted wave number {n} of the storm." for n in range(400)
    )
    tokens = llm.tokenize(text.encode(), add_bos=True)[:PROMPT_TOKENS]  # type: ignore[attr-defined]
    if len(tokens) < PROMPT_TOKENS:
        sys.exit(f"benchmark: the prompt is only {len(tokens)} tokens")
    rates = []
    for _ in range(3):
        llm.reset()  # type: ignore[attr-defined]
        started = time.perf_counter()
        llm.eval(tokens)  # type: ignore[attr-defined]
        rates.append(len(tokens) / (time.perf_counter() - started))
    return rates


def side_env(side: str, lavapipe: bool) -> dict[str, str]:
    env = dict(os.environ)
    if side == "cpu":
        env.update(VK_ICD_FILENAMES="/nonexistent/none.json", CUDA_VISIBLE_DEVICES="")
        env.pop("GGML_VK_VISIBLE_DEVICES", None)
    elif lavapipe:
        icds = sorted(glob.glob("/usr/share/vulkan/icd.d/lvp_icd*.json"))
        if not icds:
            sys.exit("benchmark: --lavapipe needs mesa-vulkan-drivers")
        env.update(VK_ICD_FILENAMES=icds[0], GGML_VK_VISIBLE_DEVICES="0")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a .gguf path, 'tiny' or 'gemma'")
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lavapipe", action="store_true", help="use lavapipe as the GPU")
    parser.add_argument("--cpu-python", help="the Python for the CPU side (another venv)")
    parser.add_argument("--child", choices=["cpu", "gpu"], help=argparse.SUPPRESS)
    parser.add_argument("--model-path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        report = child(args.model_path, args.child, args.tokens, args.runs)
        print("REPORT " + json.dumps(report), flush=True)
        # Skip interpreter teardown: Qt may abort while destroying the engine thread,
        # which would turn a finished measurement into a failed process.
        os._exit(0)

    sys.path.insert(0, str(ROOT))
    from benchmarks._models import resolve_model

    model = resolve_model(args.model)
    print(f"model: {model.name}, {args.tokens} tokens x {args.runs} runs per side, "
          f"prompt processing of {PROMPT_TOKENS} tokens")  # fmt: skip
    results = {}
    for side in ("cpu", "gpu"):
        python = args.cpu_python if side == "cpu" and args.cpu_python else sys.executable
        command = [python, str(Path(__file__).resolve()), "--child", side, "--model", args.model,
                   "--model-path", str(model), "--tokens", str(args.tokens),
                   "--runs", str(args.runs)]  # fmt: skip
        done = subprocess.run(
            command, env=side_env(side, args.lavapipe), capture_output=True, text=True, cwd=ROOT
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
        if done.returncode != 0 or not lines:
            sys.exit(f"benchmark: the {side} side failed:\n{done.stderr[-3000:]}")
        results[side] = json.loads(lines[-1].removeprefix("REPORT "))
        r = results[side]
        print(f"{side}: raw {r['raw']:8.1f} tok/s  app {r['app']:8.1f} tok/s  "
              f"app/raw {r['ratio']:.3f}  prompt {r['pp']:8.1f} tok/s  [{r['layers']}]",
              flush=True)  # fmt: skip
    cpu, gpu = results["cpu"], results["gpu"]
    print(f"cpu_tok_s={cpu['raw']:.1f} gpu_tok_s={gpu['raw']:.1f} "
          f"gpu_app_raw_ratio={gpu['ratio']:.3f} cpu_pp_tok_s={cpu['pp']:.1f} "
          f"gpu_pp_tok_s={gpu['pp']:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
