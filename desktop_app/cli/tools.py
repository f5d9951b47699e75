"""``hearth tools`` (list and configure MCP servers) and the chat options for tools and
structured output: ``--tools``, ``--mcp``, ``--yes``, ``--json-schema``.

Approval prompts go to the terminal (stderr, answers read from the terminal even when
the prompt came from standard input); ``--yes`` allows every call, for scripts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desktop_app.cli.common import CliError

TTY_PATH = "/dev/tty"

if TYPE_CHECKING:
    from desktop_app.core.chats.store import Store
    from desktop_app.core.engine.base import Engine, GenerationParams
    from desktop_app.core.tools.approval import Decision
    from desktop_app.core.tools.calls import ToolCall
    from desktop_app.core.tools.loop import ToolStep


def add_chat_options(chat: argparse.ArgumentParser) -> None:
    chat.add_argument(
        "--tools",
        metavar="LIST",
        help="built-in tools the model may call, comma-separated: calculator, time, search, "
        "file, documents",
    )
    chat.add_argument(
        "--mcp",
        action="append",
        default=[],
        metavar="NAME",
        help="an MCP server from 'hearth tools list' whose tools the model may call "
        "(repeatable; started for this chat only)",
    )
    chat.add_argument(
        "--tool-choice",
        default="auto",
        metavar="auto|required|NAME",
        help="auto (default): the model decides; required: its first answer must call a "
        "tool; NAME: it must call that tool",
    )
    chat.add_argument(
        "--yes", action="store_true", help="allow every tool call without asking (scripts)"
    )
    chat.add_argument(
        "--json-schema",
        type=Path,
        metavar="FILE",
        help="answer with JSON that follows this JSON schema (constrained decoding)",
    )


def chat_params(params: GenerationParams, args: argparse.Namespace) -> GenerationParams:
    """``params`` with the chat's answer schema and tool choice."""
    choice: Any = args.tool_choice
    if choice not in ("auto", "required"):
        choice = {"type": "function", "function": {"name": choice}}
    return replace(schema_params(params, args.json_schema), tool_choice=choice)


def schema_params(params: GenerationParams, schema_file: Path | None) -> GenerationParams:
    """``params`` constrained to the schema in ``schema_file`` (if any)."""
    if schema_file is None:
        return params
    from desktop_app.core.structured.schema import SchemaError, compile_schema

    try:
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CliError(f"cannot read {schema_file}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise CliError(f"{schema_file} is not JSON: {exc}") from exc
    try:
        compiled = compile_schema(schema)
    except SchemaError as exc:
        raise CliError(f"{schema_file}: {exc}") from exc
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": schema_file.stem, "schema": schema, "strict": True},
    }
    return replace(params, grammar=compiled.grammar, response_format=response_format)


def terminal_asker(
    answers: TextIO | None = None, out: TextIO | None = None
) -> Callable[[ToolCall], Decision]:
    """Ask on the terminal: y (once), a (always this tool), n (deny). Answers are read
    from ``answers`` (standard input, when the prompt did not come from it), else from
    the terminal; with neither, every call is denied."""
    from desktop_app.core.tools.approval import Decision

    def ask(call: ToolCall) -> Decision:
        stream = out or sys.stderr
        with _answer_source(answers) as source:
            if source is None:
                print(
                    f"hearth: tool call {call.name} denied: no terminal to ask on (use --yes)",
                    file=stream,
                )
                return Decision.DENY
            return _ask_until_answered(call, source, stream)

    return ask


def _ask_until_answered(call: ToolCall, source: TextIO, stream: TextIO) -> Decision:
    from desktop_app.core.tools.approval import Decision

    while True:
        print(
            f"\nhearth: the model wants to call {call.name}({call.arguments_json})\n"
            "  allow? [y]es once / [a]lways this tool / [n]o: ",
            end="",
            file=stream,
            flush=True,
        )
        answer = source.readline()
        if not answer:
            return Decision.DENY
        choice = answer.strip().lower()[:1]
        if choice == "y":
            return Decision.ALLOW_ONCE
        if choice == "a":
            return Decision.ALLOW_ALWAYS
        if choice == "n":
            return Decision.DENY


@contextlib.contextmanager
def _answer_source(answers: TextIO | None) -> Iterator[TextIO | None]:
    """``answers`` as given (not closed), else the terminal, opened for one question and
    closed after it; None when there is no terminal."""
    if answers is not None:
        yield answers
        return
    with contextlib.ExitStack() as stack:
        try:
            tty: TextIO | None = stack.enter_context(open(TTY_PATH, encoding="utf-8"))
        except OSError:
            tty = None
        yield tty


def print_step(step: ToolStep) -> None:
    if step.status == "running":
        print(f"hearth: calling {step.call.name}({step.call.arguments_json}) …", file=sys.stderr)
    elif step.status in ("done", "failed", "denied"):
        result = step.result if len(step.result) <= 300 else step.result[:300] + " …"
        print(
            f"hearth: {step.call.name} {step.status} in {step.seconds:.2f} s: {result}",
            file=sys.stderr,
        )


def tool_engine(
    engine: Engine, args: argparse.Namespace, open_store: Callable[[], Store]
) -> Engine:
    """``engine`` wrapped in the tool loop when the chat asked for tools."""
    wanted = [name.strip() for name in (args.tools or "").split(",") if name.strip()]
    if not wanted and not args.mcp:
        if args.tool_choice != "auto":
            raise CliError("--tool-choice needs --tools or --mcp")
        return engine
    from desktop_app.core.documents.index import DATABASE_NAME
    from desktop_app.core.paths import app_paths
    from desktop_app.core.tools.approval import ApprovalPolicy, allow_all
    from desktop_app.core.tools.builtins import builtin_tools
    from desktop_app.core.tools.config import load_tools_config
    from desktop_app.core.tools.loop import ToolLoopEngine
    from desktop_app.core.tools.toolbox import Toolbox

    try:
        documents = app_paths().data_dir / DATABASE_NAME
        builtins = builtin_tools(wanted, open_store, args.attach or [], documents)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    config, warning = load_tools_config(app_paths().config_dir)
    if warning:
        print(f"hearth: warning: {warning}", file=sys.stderr)
    servers = []
    for name in args.mcp:
        server = config.server(name)
        if server is None:
            raise CliError(f"no MCP server is called {name!r} (see 'hearth tools list')")
        servers.append(server)
    toolbox = Toolbox.open(builtins, servers)
    for problem in toolbox.problems:
        print(f"hearth: warning: {problem}", file=sys.stderr)
    answers = None if args.prompt == "-" else sys.stdin
    policy = ApprovalPolicy(allow_all if args.yes else terminal_asker(answers))
    return ToolLoopEngine(engine, toolbox, policy, print_step)


def add_commands(commands: Any) -> None:
    tools = commands.add_parser(
        "tools",
        help="list tools and configure MCP servers",
        description="Built-in tools and MCP servers the model may call in 'hearth chat "
        "--tools/--mcp' and in the window (every call needs your approval).",
    )
    actions = tools.add_subparsers(dest="tools_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list built-in tools and MCP servers")
    listing.add_argument(
        "--connect", action="store_true", help="start enabled MCP servers and list their tools"
    )
    add = actions.add_parser("add", help="add or replace an MCP server")
    add.add_argument("name")
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--command",
        dest="server_command",
        nargs=argparse.REMAINDER,
        help="program and arguments (stdio); put it last",
    )
    where.add_argument("--url", help="streamable HTTP endpoint")
    add.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    add.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    for verb, text in (("remove", "remove"), ("enable", "switch on"), ("disable", "switch off")):
        action = actions.add_parser(verb, help=f"{text} an MCP server")
        action.add_argument("name")


def run(args: argparse.Namespace) -> int:
    from desktop_app.core.paths import app_paths
    from desktop_app.core.tools.config import (
        ToolsConfigError,
        load_tools_config,
        save_tools_config,
        server_from_dict,
    )

    config_dir = app_paths().config_dir
    config, warning = load_tools_config(config_dir)
    if warning:
        print(f"hearth: warning: {warning}", file=sys.stderr)
    try:
        if args.tools_command == "list":
            _list(config, args.connect)
            return 0
        if args.tools_command == "add":
            env = dict(item.split("=", 1) for item in args.env if "=" in item)
            data: dict[str, Any] = {"name": args.name, "env": env, "timeout_s": args.timeout}
            if args.url:
                data["url"] = args.url
            else:
                data["command"] = args.server_command or []
            config = config.with_server(server_from_dict(data))
        elif args.tools_command == "remove":
            config = config.without_server(args.name)
        else:
            server = config.server(args.name)
            if server is None:
                raise ToolsConfigError(f"no MCP server is called {args.name!r}")
            config = config.with_server(replace(server, enabled=args.tools_command == "enable"))
    except ToolsConfigError as exc:
        raise CliError(str(exc)) from exc
    save_tools_config(config_dir, config)
    print(f"hearth: tools configuration saved ({args.tools_command} {args.name})")
    return 0


def _list(config: Any, connect: bool) -> None:
    from desktop_app.core.tools.builtins import BUILTIN_NAMES, builtin_tools
    from desktop_app.core.tools.toolbox import Toolbox

    print("Built-in tools (--tools NAME):")
    for short in BUILTIN_NAMES:
        tool = builtin_tools([short], open_store=lambda: None, documents=Path())[0]  # type: ignore[arg-type,return-value]
        print(f"  {short:<12} {tool.spec.name}: {tool.spec.description}")
    print("MCP servers (--mcp NAME):" if config.servers else "MCP servers: none (hearth tools add)")
    for server in config.servers:
        state = "on" if server.enabled else "off"
        where = server.url or " ".join(server.command)
        print(f"  {server.name:<12} [{state}] {server.transport}: {where}")
        if connect and server.enabled:
            box = Toolbox.open([], [server])
            try:
                for problem in box.problems:
                    print(f"    ! {problem}")
                for spec in box.specs():
                    print(f"    - {spec.name}: {spec.description}")
            finally:
                box.close()
