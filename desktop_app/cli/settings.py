"""``hearth settings …`` and the sampling/load options of ``hearth chat`` and ``serve``.

Every value given on the command line is checked by the same declared type that
checks the settings file and the settings dialog, so a bad value gets the same
one-line message everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from desktop_app.core.setting_types import SettingError

SAMPLING_OPTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("--max-tokens", "generation.max_tokens", "N", "the longest answer in tokens"),
    ("--temperature", "generation.temperature", "T", "higher is more varied, 0 is greedy"),
    ("--seed", "generation.seed", "S", "a fixed seed repeats answers exactly"),
    ("--top-p", "generation.top_p", "P", "sample from the likeliest words adding up to P"),
    ("--top-k", "generation.top_k", "K", "sample from the K likeliest words; 0: off"),
    ("--min-p", "generation.min_p", "P", "drop words less likely than P times the best"),
    ("--repeat-penalty", "generation.repeat_penalty", "X", "above 1 discourages repeats"),
    ("--overflow", "generation.context_overflow", "HOW", "when the chat outgrows the context"),
)
"""``hearth chat`` options that set a generation setting for this run: flag, key, metavar, help."""

LOAD_OPTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("--ctx-size", "context_length", "N", "context window in tokens; 0: the model's own"),
    ("--threads", "n_threads", "N", "CPU threads; 0: automatic"),
    (
        "--gpu-layers",
        "n_gpu_layers",
        "auto|all|N",
        "layers on the GPU; auto: as many as fit in its free memory, 0: CPU only",
    ),
    ("--batch-size", "n_batch", "N", "prompt tokens per step"),
)
"""Options of ``hearth chat`` and ``hearth serve`` that set how the model is loaded."""


def declared(key: str) -> Any:
    """An argparse ``type=`` that parses text with the setting's declared type (``from_str``).

    A bad value becomes argparse's usage error (exit status 2), which names the option,
    the setting and what it accepts.
    """

    def parse(text: str) -> Any:
        from desktop_app.core.settings import DECLARATIONS  # at parse time: keeps --help fast

        try:
            return DECLARATIONS[key].type.from_str(key, text)
        except SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc

    parse.__name__ = key
    return parse


def _add(parser: argparse.ArgumentParser, options: tuple[tuple[str, str, str, str], ...]) -> None:
    for flag, key, metavar, text in options:
        parser.add_argument(
            flag,
            type=declared(key),
            metavar=metavar,
            dest=_dest(key),
            help=f"{text} (default: the '{key}' setting)",
        )


def _dest(key: str) -> str:
    return "setting_" + key.replace(".", "_")


def add_chat_options(chat: argparse.ArgumentParser) -> None:
    """Sampling and load options of ``hearth chat``, each checked by its declared type."""
    _add(chat, SAMPLING_OPTIONS)
    add_load_options(chat)
    chat.add_argument(
        "--flash-attn",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="use flash attention where the hardware supports it",
    )


def add_load_options(parser: argparse.ArgumentParser) -> None:
    """How the model is loaded (``hearth chat`` and ``hearth serve``)."""
    _add(parser, LOAD_OPTIONS)


def apply_options(settings: Any, args: argparse.Namespace) -> Any:
    """``settings`` with the values given on the command line (already checked)."""
    for _flag, key, _metavar, _help in (*SAMPLING_OPTIONS, *LOAD_OPTIONS):
        value = getattr(args, _dest(key), None)
        if value is not None:
            settings = settings.with_value(key, value)
    if getattr(args, "flash_attn", None) is not None:
        settings = replace(settings, flash_attn=args.flash_attn)
    return settings


def add_commands(commands: Any) -> None:
    parser = commands.add_parser("settings", help="show or change Hearth's settings")
    actions = parser.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="every setting with its value and what it accepts")
    get = actions.add_parser("get", help="print one setting's value as 'set' takes it")
    get.add_argument("key", metavar="KEY")
    get.add_argument("--json", action="store_true", help="print the value as JSON")
    set_ = actions.add_parser(
        "set",
        help="change a setting (VALUE is text as 'get' prints it: true, 0.7, random, dark…)",
    )
    set_.add_argument("key", metavar="KEY")
    set_.add_argument("value", metavar="VALUE")
    reset = actions.add_parser("reset", help="put one setting, or all, back to the default")
    reset.add_argument("key", metavar="KEY", nargs="?")


def run(args: argparse.Namespace) -> int:
    """Run ``hearth settings``; returns the exit code (1 with a one-line message on error)."""
    from desktop_app.core.paths import app_paths
    from desktop_app.core.settings import DECLARATIONS, Settings, load_settings, save_settings
    from desktop_app.core.window_state import StateFile

    paths = app_paths()
    config_dir = paths.config_dir
    StateFile(paths.data_dir, config_dir)  # take over old window state before a save drops it
    settings, warning = load_settings(config_dir)
    if warning:
        print(f"hearth: warning: {warning}", file=sys.stderr)
    command = args.settings_command
    key: str | None = getattr(args, "key", None)
    if key is not None and key not in DECLARATIONS:
        print(
            f"hearth: error: no setting named {key!r} (see 'hearth settings list')",
            file=sys.stderr,
        )
        return 1
    if command == "list":
        for name, declaration in DECLARATIONS.items():
            shown = json.dumps(_jsonable(settings.value(name)), ensure_ascii=False)
            print(f"{name} = {shown}\t# {declaration.type.describe()}")
        return 0
    if command == "get" and key is not None:
        if args.json:
            print(json.dumps(_jsonable(settings.value(key)), ensure_ascii=False))
        else:
            print(settings.text(key))
        return 0
    if command == "set" and key is not None:
        try:
            settings = settings.with_text(key, args.value)
        except SettingError as exc:
            print(f"hearth: error: {exc}", file=sys.stderr)
            return 1
    elif key is None:
        settings = Settings()
    else:
        settings = settings.with_value(key, DECLARATIONS[key].default)
    try:
        save_settings(config_dir, settings)
    except OSError as exc:
        print(f"hearth: error: cannot save the settings: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
