"""``hearth chat``: stream an answer from a local or remote model in the terminal.

Imports no Qt and loads llama.cpp only when a chat runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Generator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desktop_app.cli import docs as cli_docs
from desktop_app.cli import endpoints as cli_endpoints
from desktop_app.cli import models as cli_models
from desktop_app.cli import settings as cli_settings
from desktop_app.cli import tools as cli_tools
from desktop_app.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    CliError,
    UsageError,
    open_store,
)

if TYPE_CHECKING:  # imported lazily at run time: the chats commands never load llama.cpp
    from desktop_app.core.chats.store import Store
    from desktop_app.core.engine.base import Engine, GenerationParams


def _conversation_ref(text: str) -> int | None:
    if text == "new":
        return None
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a conversation ID or 'new', not {text!r}")
    return int(text)


def add_commands(commands: Any) -> None:
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
    chat.add_argument(
        "--conversation",
        type=_conversation_ref,
        default=None,
        metavar="ID|new",
        help="continue conversation ID, or start a new one (default)",
    )
    chat.add_argument(
        "--ignore-eos", action="store_true", help="keep generating past end-of-turn tokens"
    )
    chat.add_argument(
        "-v", "--verbose", action="store_true", help="report the prompt format and statistics"
    )
    cli_settings.add_chat_options(chat)
    cli_docs.add_chat_options(chat)
    cli_tools.add_chat_options(chat)


def run(args: argparse.Namespace) -> int:
    return _chat(args)


def _chat(args: argparse.Namespace) -> int:
    from desktop_app.core.engine.base import EngineError
    from desktop_app.core.engine.llama_engine import LlamaEngine, check_model_file
    from desktop_app.core.engine.remote import is_remote_spec
    from desktop_app.core.paths import app_paths
    from desktop_app.core.settings import load_settings
    from desktop_app.core.window_state import StateFile

    paths = app_paths()
    last_model = StateFile(paths.data_dir, paths.config_dir).state.last_model
    settings, warning = load_settings(paths.config_dir)
    if warning:
        print(f"hearth: warning: {warning}", file=sys.stderr)
    settings = cli_settings.apply_options(settings, args)
    model = args.model or (Path(last_model) if last_model else None)
    if model is None:
        raise UsageError("chat needs --model PATH (no model has been used yet)")
    remote = is_remote_spec(str(model))
    try:
        if not remote:
            check_model_file(model)
    except EngineError as exc:
        raise CliError(str(exc)) from exc

    store = open_store()
    try:
        conversation_id = _conversation_for(store, args)
        load = settings.load_params()
        try:
            engine = cli_endpoints.open_remote(str(model)) if remote else LlamaEngine(model, load)
        except EngineError as exc:
            raise CliError(str(exc)) from exc
        try:
            info = engine.info
            if args.verbose:
                print(
                    f"hearth: {info.name} ({info.architecture}), context {info.context_length} "
                    f"tokens, prompt format: {info.chat_format}; conversation {conversation_id}",
                    file=sys.stderr,
                )
                if info.offload:
                    print(f"hearth: {info.offload}", file=sys.stderr)
            elif info.offload_notice:
                print(f"hearth: notice: {info.offload_notice}", file=sys.stderr)
            params = cli_tools.chat_params(_generation_params(settings.generation, args), args)
            chat_engine = cli_tools.tool_engine(engine, args, lambda: store)
            try:
                if cli_docs.wants_documents(args) or (
                    args.conversation is not None
                    and cli_docs.has_stored_files(store, conversation_id)
                ):
                    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
                    return cli_docs.chat(chat_engine, store, conversation_id, prompt, params, args)
                if args.prompt is None:
                    return _interactive(chat_engine, store, conversation_id, params, args.verbose)
                prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
                if not prompt.strip():
                    raise UsageError("the prompt is empty")
                return _answer(chat_engine, store, conversation_id, prompt, params, args.verbose)
            finally:
                if chat_engine is not engine:
                    chat_engine.close()
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
    """The settings' generation parameters (with the command line's values already in)."""
    return replace(defaults, ignore_eos=args.ignore_eos or defaults.ignore_eos)


def _answer(
    engine: Engine,
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
    events: Generator[TextDelta | Finished, None, None] = run_turn(
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
    if finished.reason is FinishReason.LENGTH and params.grammar:
        raise CliError(
            f"the answer reached the token limit ({params.max_tokens}) before its JSON was "
            "complete; raise --max-tokens or bound the schema's strings and arrays"
        )
    return EXIT_OK


def _interactive(
    engine: Engine,
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
