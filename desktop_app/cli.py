"""The ``hearth`` command: the window by default, and headless subcommands.

The chat and chats paths import no Qt, so they start fast and run on machines
without a display. Exit status: 0 success, 1 a one-line error on stderr, 2 bad usage,
130 interrupted by Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop_app import (
    __version__,
    cli_chats,
    cli_endpoints,
    cli_models,
    cli_ps,
    cli_serve,
    cli_settings,
)

if TYPE_CHECKING:  # imported lazily at run time: the chats commands never load llama.cpp
    from desktop_app.core.chats.store import Store
    from desktop_app.core.engine.base import GenerationParams
    from desktop_app.core.engine.llama_engine import LlamaEngine

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A failure to report as one line on stderr with exit status 1."""


class UsageError(Exception):
    """Bad usage discovered after parsing; reported like argparse's own errors."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def _conversation_ref(text: str) -> int | None:
    if text == "new":
        return None
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a conversation ID or 'new', not {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth",
        description="Hearth: a private AI assistant that runs on your own computer.",
        epilog="With no command, the Hearth window opens.",
    )
    parser.add_argument("--version", action="version", version=f"hearth {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen (with --model: load it and generate) and exit",
    )
    parser.add_argument(
        "--model",
        dest="top_model",
        type=cli_models.resolve_model,
        metavar="ID|PATH",
        help="an installed model ID or a GGUF file to load",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the Hearth window (the default)")
    gui.add_argument(
        "--model",
        type=cli_models.resolve_model,
        metavar="ID|PATH",
        help="an installed model ID or a GGUF file to load at start",
    )

    chat = commands.add_parser(
        "chat",
        help="chat with a local model in the terminal",
        description="Stream an answer to PROMPT and save the exchange in Hearth's store. "
        "PROMPT '-' reads it from standard input; no PROMPT starts an interactive chat.",
    )
    chat.add_argument("prompt", nargs="?", metavar="PROMPT")
    chat.add_argument(
        "--model",
        type=cli_models.resolve_model,
        metavar="ID|PATH",
        help="an installed model's ID, a GGUF file, or remote:ENDPOINT/MODEL "
        "(default: the last model the window used)",
    )
    chat.add_argument("--system", metavar="TEXT", help="system prompt for a new conversation")
    chat.add_argument("--max-tokens", type=_positive_int, metavar="N")
    chat.add_argument("--temperature", type=float, metavar="T")
    chat.add_argument("--seed", type=int, metavar="S")
    chat.add_argument(
        "--conversation",
        type=_conversation_ref,
        default=None,
        metavar="ID|new",
        help="continue conversation ID, or start a new one (default)",
    )
    chat.add_argument("--ctx-size", type=_positive_int, metavar="N", help="context window")
    chat.add_argument("--threads", type=_positive_int, metavar="N", help="CPU threads")
    chat.add_argument("--gpu-layers", type=int, metavar="N", help="layers to offload (-1: all)")
    chat.add_argument(
        "--ignore-eos", action="store_true", help="keep generating past end-of-turn tokens"
    )
    chat.add_argument(
        "-v", "--verbose", action="store_true", help="report the prompt format and statistics"
    )
    cli_settings.add_chat_options(chat)
    cli_settings.add_commands(commands)

    cli_chats.add_commands(commands)
    cli_serve.add_commands(commands)
    cli_ps.add_commands(commands)
    cli_endpoints.add_commands(commands)
    cli_models.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        if args.self_test:
            from desktop_app.self_test import run_self_test

            return run_self_test(args.top_model)
        if args.command == "chat":
            return _chat(args)
        if args.command == "chats":
            return cli_chats.run(args)
        if args.command == "settings":
            return cli_settings.run(args)
        if args.command == "models":
            return cli_models.run(args)
        if args.command == "serve":
            return cli_serve.run(args)
        if args.command == "ps":
            return cli_ps.run(args)
        if args.command == "endpoints":
            return cli_endpoints.run(args)
        return _gui(getattr(args, "model", None) or args.top_model)
    except UsageError as exc:
        parser.error(str(exc))
    except CliError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _gui(model: Path | None) -> int:
    if _no_display():
        raise CliError(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
            "use 'hearth chat' in a terminal, or set QT_QPA_PLATFORM=offscreen"
        )
    from desktop_app.app import run_gui

    return run_gui(sys.argv[:1], model_path=str(model) if model else None)


def _no_display() -> bool:
    """On Linux and the BSDs, Qt aborts the process when it finds no display."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return False
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _open_store() -> Store:
    from desktop_app.core.chats.store import Store, StoreError
    from desktop_app.core.paths import app_paths

    try:
        return Store.open(app_paths().ensure().database)
    except (StoreError, OSError) as exc:
        raise CliError(str(exc)) from exc


def _chat(args: argparse.Namespace) -> int:
    from desktop_app.core.engine.base import EngineError
    from desktop_app.core.engine.llama_engine import LlamaEngine, check_model_file
    from desktop_app.core.engine.remote import is_remote_spec
    from desktop_app.core.paths import app_paths
    from desktop_app.core.settings import load_settings

    settings, warning = load_settings(app_paths().config_dir)
    if warning:
        print(f"hearth: warning: {warning}", file=sys.stderr)
    settings = cli_settings.apply_chat_options(settings, args)
    model = args.model or (Path(settings.last_model_path) if settings.last_model_path else None)
    if model is None:
        raise UsageError("chat needs --model PATH (no model has been used yet)")
    remote = is_remote_spec(str(model))
    try:
        if not remote:
            check_model_file(model)
    except EngineError as exc:
        raise CliError(str(exc)) from exc

    store = _open_store()
    try:
        conversation_id = _conversation_for(store, args)
        defaults = settings.load_params()
        load = replace(
            defaults,
            n_ctx=args.ctx_size or defaults.n_ctx,
            n_threads=args.threads or defaults.n_threads,
            n_gpu_layers=defaults.n_gpu_layers if args.gpu_layers is None else args.gpu_layers,
        )
        try:
            engine = cli_endpoints.open_remote(str(model)) if remote else LlamaEngine(model, load)
        except EngineError as exc:
            raise CliError(str(exc)) from exc
        try:
            if args.verbose:
                info = engine.info
                print(
                    f"hearth: {info.name} ({info.architecture}), context {info.context_length} "
                    f"tokens, prompt format: {info.chat_format}; conversation {conversation_id}",
                    file=sys.stderr,
                )
            params = _generation_params(settings.generation, args)
            if args.prompt is None:
                return _interactive(engine, store, conversation_id, params, args.verbose)
            prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
            if not prompt.strip():
                raise UsageError("the prompt is empty")
            return _answer(engine, store, conversation_id, prompt, params, args.verbose)
        finally:
            engine.close()
    finally:
        store.close()


def _conversation_for(store: Store, args: argparse.Namespace) -> int:
    if args.conversation is None:
        return store.create_conversation(system_prompt=args.system or "").id
    conversation = store.conversation(args.conversation)
    if conversation is None:
        raise CliError(f"no conversation with ID {args.conversation} (see 'hearth chats list')")
    if args.system is not None:
        store.set_system_prompt(conversation.id, args.system)
    return conversation.id


def _generation_params(defaults: GenerationParams, args: argparse.Namespace) -> GenerationParams:
    changes: dict[str, object] = {"ignore_eos": args.ignore_eos or defaults.ignore_eos}
    if args.max_tokens is not None:
        changes["max_tokens"] = args.max_tokens
    if args.temperature is not None:
        changes["temperature"] = args.temperature
    if args.seed is not None:
        changes["seed"] = args.seed
    return replace(defaults, **changes)


def _answer(
    engine: LlamaEngine,
    store: Store,
    conversation_id: int,
    prompt: str,
    params: GenerationParams,
    verbose: bool,
) -> int:
    from desktop_app.core.chats.model import FinishReason
    from desktop_app.core.chats.session import run_turn
    from desktop_app.core.engine.base import CancelToken, Finished, TextDelta

    cancel = CancelToken()
    finished: Finished | None = None
    events: Iterator[TextDelta | Finished] = run_turn(
        engine, store, conversation_id, prompt, params, cancel
    )
    out: TextIO = sys.stdout
    try:
        for event in events:
            if isinstance(event, TextDelta):
                out.write(event.text)
                out.flush()
            else:
                finished = event
    except KeyboardInterrupt:
        cancel.cancel()
        events.close()
        out.write("\n")
        raise
    out.write("\n")
    out.flush()
    if finished is None:
        return EXIT_ERROR
    if verbose:
        stats = finished.stats
        rate = f"{stats.tokens_per_s:.1f} tok/s" if stats.tokens_per_s else "n/a tok/s"
        ttft = (
            f"{stats.time_to_first_token_s * 1000:.0f} ms"
            if stats.time_to_first_token_s is not None
            else "n/a"
        )
        print(
            f"hearth: {finished.reason.value}; {stats.prompt_tokens} prompt tokens, "
            f"{stats.generated_tokens} generated, {rate}, first token after {ttft}",
            file=sys.stderr,
        )
    if finished.reason is FinishReason.ERROR:
        raise CliError(finished.error or "generation failed")
    return EXIT_OK


def _interactive(
    engine: LlamaEngine,
    store: Store,
    conversation_id: int,
    params: GenerationParams,
    verbose: bool,
) -> int:
    print(
        f"Chatting with {engine.info.name} (conversation {conversation_id}). "
        "Ctrl+C stops an answer; Ctrl+D or /exit quits.",
        file=sys.stderr,
    )
    while True:
        try:
            line = input("> ")
        except EOFError:
            print(file=sys.stderr)
            return EXIT_OK
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return EXIT_OK
        if line.strip() in ("/exit", "/quit"):
            return EXIT_OK
        if not line.strip():
            continue
        try:
            _answer(engine, store, conversation_id, line, params, verbose)
        except KeyboardInterrupt:
            continue
