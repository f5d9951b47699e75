"""The ``hearth`` command: the window by default, and headless subcommands.

The chat and chats paths import no Qt, so they start fast and run on machines
without a display. Exit status: 0 success, 1 a one-line error on stderr, 2 bad usage,
130 interrupted by Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from desktop_app import __version__
from desktop_app.cli import chat as cli_chat
from desktop_app.cli import chats as cli_chats
from desktop_app.cli import docs as cli_docs
from desktop_app.cli import endpoints as cli_endpoints
from desktop_app.cli import hardware as cli_hardware
from desktop_app.cli import models as cli_models
from desktop_app.cli import ps as cli_ps
from desktop_app.cli import serve as cli_serve
from desktop_app.cli import settings as cli_settings
from desktop_app.cli import tools as cli_tools
from desktop_app.cli.common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, CliError, UsageError

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "chat": cli_chat.run,
    "chats": cli_chats.run,
    "settings": cli_settings.run,
    "models": cli_models.run,
    "serve": cli_serve.run,
    "ps": cli_ps.run,
    "endpoints": cli_endpoints.run,
    "docs": cli_docs.run,
    "hardware": cli_hardware.run,
    "tools": cli_tools.run,
}
"""Each command group's entry point; without a command, ``hearth`` opens the window."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth",
        description="Hearth: a private AI assistant that runs on your own computer.",
        epilog="With no command, the Hearth window opens.",
    )
    parser.add_argument("--version", action="version", version=f"hearth {__version__}")
    parser.add_argument(
        "--log-level",
        type=str.lower,
        choices=LOG_LEVELS,
        default=None,
        metavar="LEVEL",
        help=f"what to log ({', '.join(LOG_LEVELS)}); the log file is logs/hearth.log in the "
        "data folder (default: info in the file, warnings on the terminal)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen (with --model: load it and generate) and exit",
    )
    parser.add_argument(
        "--check-window",
        action="store_true",
        help="check that the system libraries the window needs are installed, say what "
        "to install if not, and exit",
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

    cli_chat.add_commands(commands)
    cli_settings.add_commands(commands)
    cli_tools.add_commands(commands)

    cli_chats.add_commands(commands)
    cli_serve.add_commands(commands)
    cli_ps.add_commands(commands)
    cli_endpoints.add_commands(commands)
    cli_models.add_commands(commands)
    cli_docs.add_commands(commands)
    cli_hardware.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        if args.self_test:  # leaves the user's folders alone, its log files included
            from desktop_app.self_test import run_self_test

            return run_self_test(args.top_model)
        if args.check_window:  # run by install.sh: writes nothing
            from desktop_app.window_check import check_window

            return check_window()
        _configure_logging(args.log_level)
        command = _COMMANDS.get(args.command or "")
        if command is not None:
            return command(args)
        from desktop_app.cli.window import open_window

        return open_window(getattr(args, "model", None) or args.top_model)
    except UsageError as exc:
        parser.error(str(exc))
    except CliError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _configure_logging(level: str | None) -> None:
    """Logging, crash log and exception hooks for this run; points to a crash of the last."""
    from desktop_app.core.logs import configure_logging
    from desktop_app.core.paths import app_paths

    setup = configure_logging(app_paths().data_dir, level)
    if setup.previous_crash is not None:
        print(
            f"hearth: the previous run crashed; its report is in {setup.previous_crash}",
            file=sys.stderr,
        )
