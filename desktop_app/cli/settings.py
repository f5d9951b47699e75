"""``hearth settings …`` and the sampling/load options of ``hearth chat``.

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

CHAT_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--top-p", "generation.top_p", "P"),
    ("--top-k", "generation.top_k", "K"),
    ("--min-p", "generation.min_p", "P"),
    ("--repeat-penalty", "generation.repeat_penalty", "X"),
    ("--batch-size", "n_batch", "N"),
)


def _declared(key: str) -> Any:
    """An argparse type that parses text and checks it with the setting's declared type."""
    from desktop_app.core.settings import DECLARATIONS

    declaration = DECLARATIONS[key]

    def parse(text: str) -> Any:
        try:
            value: Any = json.loads(text)
        except json.JSONDecodeError:
            value = text
        try:
            return declaration.type.check(key, value)
        except SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc

    parse.__name__ = key
    return parse


def add_chat_options(chat: argparse.ArgumentParser) -> None:
    """Sampling and load options of ``hearth chat`` beyond the basic ones."""
    for flag, key, metavar in CHAT_OPTIONS:
        chat.add_argument(flag, type=_declared(key), metavar=metavar, dest=key.replace(".", "_"))
    chat.add_argument(
        "--flash-attn",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="use flash attention where the hardware supports it",
    )
    chat.add_argument(
        "--overflow",
        choices=("drop_oldest", "stop"),
        default=None,
        help="when the chat outgrows the context: leave out the oldest turns, or stop",
    )


def apply_chat_options(settings: Any, args: argparse.Namespace) -> Any:
    """``settings`` with the values given on the command line."""
    for _flag, key, _metavar in CHAT_OPTIONS:
        value = getattr(args, key.replace(".", "_"), None)
        if value is not None:
            settings = settings.with_value(key, value)
    if getattr(args, "flash_attn", None) is not None:
        settings = replace(settings, flash_attn=args.flash_attn)
    if getattr(args, "overflow", None) is not None:
        settings = settings.with_value("generation.context_overflow", args.overflow)
    return settings


def add_commands(commands: Any) -> None:
    parser = commands.add_parser("settings", help="show or change Hearth's settings")
    actions = parser.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="every setting with its value and what it accepts")
    get = actions.add_parser("get", help="print one setting's value as JSON")
    get.add_argument("key", metavar="KEY")
    set_ = actions.add_parser("set", help="change a setting (VALUE is JSON or plain text)")
    set_.add_argument("key", metavar="KEY")
    set_.add_argument("value", metavar="VALUE")
    reset = actions.add_parser("reset", help="put one setting, or all, back to the default")
    reset.add_argument("key", metavar="KEY", nargs="?")


def run(args: argparse.Namespace) -> int:
    """Run ``hearth settings``; returns the exit code (1 with a one-line message on error)."""
    from desktop_app.core.paths import app_paths
    from desktop_app.core.settings import DECLARATIONS, Settings, load_settings, save_settings

    config_dir = app_paths().config_dir
    settings, warning = load_settings(config_dir)
    if warning:
        print(f"hearth: warning: {warning}", file=sys.stderr)
    command = args.settings_command
    key = getattr(args, "key", None)
    if key is not None and key not in DECLARATIONS:
        print(
            f"hearth: error: no setting named {key!r} (see 'hearth settings list')",
            file=sys.stderr,
        )
        return 1
    if command == "list":
        for name, declaration in DECLARATIONS.items():
            value = json.dumps(_jsonable(settings.value(name)), ensure_ascii=False)
            print(f"{name} = {value}\t# {declaration.type.describe()}")
        return 0
    if command == "get":
        print(json.dumps(_jsonable(settings.value(key)), ensure_ascii=False))
        return 0
    if command == "set":
        try:
            value: Any = json.loads(args.value)
        except json.JSONDecodeError:
            value = args.value
        try:
            settings = settings.with_value(key, value)
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
