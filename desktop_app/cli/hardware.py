"""``hearth hardware``: the llama.cpp backends this build has, each device with its
free and total memory, and (``--model``) where a model's layers would go."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.common import EXIT_ERROR, EXIT_OK, gpu_layers


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from desktop_app.cli import models as cli_models

    hardware = commands.add_parser(
        "hardware",
        help="the llama.cpp backends and devices, and where a model's layers would run",
        description="Print the llama.cpp backends this build has (CPU, Vulkan, CUDA, "
        "Metal) and each device with its free and total memory. With --model, also the "
        "offload plan: how many layers fit on the GPU with the context set.",
    )
    hardware.add_argument(
        "--model", type=cli_models.resolve_model, metavar="ID|PATH", help="plan for this model"
    )
    hardware.add_argument("--ctx-size", type=int, metavar="N", help="context (default: settings)")
    hardware.add_argument(
        "--gpu-layers", type=gpu_layers, metavar="auto|all|N", help="default: settings"
    )


def run(args: argparse.Namespace) -> int:
    from desktop_app.core.hardware import detect, format_bytes

    info = detect()
    try:
        import llama_cpp

        version = f"llama-cpp-python {llama_cpp.__version__}"
    except ImportError:
        version = "llama-cpp-python is not installed"
    if info.gpu_offload:
        offload = "GPU offload: yes"
    elif set(info.backends) - {"CPU", "BLAS", "RPC"}:
        offload = "GPU offload: no GPU device found"
    else:
        offload = "GPU offload: no (CPU-only build)"
    print(f"{version}; backends: {', '.join(info.backends) or 'none'}; {offload}")
    print(
        f"CPU: {info.cpu_name}, {info.physical_cores} cores, "
        f"RAM {format_bytes(info.ram_available)} free of {format_bytes(info.ram_total)}"
    )
    for device in info.devices:
        print(
            f"  {device.name}: {device.description} ({device.kind}), "
            f"{format_bytes(device.memory_free)} free of {format_bytes(device.memory_total)}"
        )
    if not info.gpus and set(info.backends) - {"CPU", "BLAS", "RPC"}:
        print("  no GPU device found: models run on the CPU (is a GPU driver installed?)")
    if args.model is None:
        return EXIT_OK
    return _plan(args.model, args)


def _plan(path: Path, args: argparse.Namespace) -> int:
    from desktop_app.core.engine.base import EngineError
    from desktop_app.core.engine.llama_engine import DEFAULT_CONTEXT, check_model_file
    from desktop_app.core.gpu.runtime import plan_for
    from desktop_app.core.hardware import format_bytes
    from desktop_app.core.paths import app_paths
    from desktop_app.core.settings import load_settings

    try:
        info = check_model_file(path)
    except EngineError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    settings, _warning = load_settings(app_paths().config_dir)
    n_ctx = args.ctx_size or settings.context_length or info.context_length or DEFAULT_CONTEXT
    requested = settings.n_gpu_layers if args.gpu_layers is None else args.gpu_layers
    plan = plan_for(info, n_ctx, requested)
    print(f"plan for {info.name} ({path.name}), context {n_ctx} tokens:")
    print(f"  {plan.describe()}")
    if plan.on_gpu:
        print(
            f"  needs {format_bytes(plan.needed_bytes)} of device memory "
            f"(weights, KV cache, compute buffer, margin); {format_bytes(plan.free_bytes)} free"
        )
    return EXIT_OK
