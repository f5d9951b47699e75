"""``hearth chats``: list, show, search, rename, delete, export and import conversations.

Imports no Qt and no llama.cpp, so these commands start fast anywhere.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.common import EXIT_OK, CliError, open_store

if TYPE_CHECKING:
    from desktop_app.core.chats.store import Store


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chats = commands.add_parser(
        "chats", help="list, show, search, rename, delete, export and import conversations"
    )
    actions = chats.add_subparsers(dest="chats_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="one conversation per line, its ID first")
    show = actions.add_parser("show", help="print a conversation (the branch on screen)")
    show.add_argument("id", type=int, metavar="ID")
    search = actions.add_parser(
        "search", help="full-text search of titles and messages (Chinese too)"
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=50, metavar="N")
    rename = actions.add_parser("rename", help="give a conversation a new title")
    rename.add_argument("id", type=int, metavar="ID")
    rename.add_argument("title", metavar="TITLE")
    delete = actions.add_parser("delete", help="delete a conversation and all its messages")
    delete.add_argument("id", type=int, metavar="ID")
    export = actions.add_parser(
        "export",
        help="export one conversation or all of them",
        description="JSON holds every branch and can be imported again; Markdown holds "
        "the branch on screen.",
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("id", type=int, nargs="?", metavar="ID")
    which.add_argument("--all", action="store_true", help="every conversation")
    export.add_argument("--format", choices=("json", "md"), default="md")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    load = actions.add_parser("import", help="import conversations exported as JSON")
    load.add_argument("file", type=Path, metavar="FILE", help="'-' reads standard input")


def run(args: argparse.Namespace) -> int:
    store = open_store()
    try:
        command = args.chats_command
        if command == "list":
            return _list(store)
        if command == "search":
            return _search(store, args.query, args.limit)
        if command == "import":
            return _import(store, args.file)
        if command == "export" and args.all:
            return _export_all(store, args.format, args.output)
        return _one(store, args)
    finally:
        store.close()


def _error(message: str) -> Exception:
    return CliError(message)


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def _list(store: Store) -> int:
    counts = store.message_counts()
    for conversation in store.conversations():
        pin = "pinned\t" if conversation.pinned else ""
        print(
            f"{conversation.id}\t{_when(conversation.updated_at)}\t"
            f"{counts.get(conversation.id, 0)} messages\t{pin}{conversation.title}"
        )
    return EXIT_OK


def _search(store: Store, query: str, limit: int) -> int:
    from desktop_app.core.chats.search import match_expression

    if match_expression(query) is None:
        raise _error("the search has no words to look for")
    for hit in store.search(query, limit):
        where = f"message {hit.message_id}" if hit.message_id else "title"
        print(f"{hit.conversation_id}\t{where}\t{hit.conversation_title}\t{hit.snippet.marked()}")
    return EXIT_OK


def _one(store: Store, args: argparse.Namespace) -> int:
    from desktop_app.core.chats.export import export_text, to_markdown

    conversation = store.conversation(args.id)
    if conversation is None:
        raise _error(f"no conversation with ID {args.id} (see 'hearth chats list')")
    command = args.chats_command
    if command == "show":
        sys.stdout.write(to_markdown(conversation, store.messages(conversation.id)))
    elif command == "rename":
        try:
            store.rename_conversation(conversation.id, args.title)
        except ValueError as exc:
            raise _error("the title is empty") from exc
    elif command == "delete":
        store.delete_conversation(conversation.id)
        print(f"Deleted conversation {conversation.id}: {conversation.title}", file=sys.stderr)
    else:
        _write(export_text(store, conversation, args.format == "json"), args.output)
    return EXIT_OK


def _export_all(store: Store, kind: str, output: Path | None) -> int:
    from desktop_app.core.chats.export import export_all_text

    _write(export_all_text(store, kind == "json"), output)
    return EXIT_OK


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _error(f"cannot write {output}: {exc.strerror or exc}") from exc


def _import(store: Store, file: Path) -> int:
    from desktop_app.core.chats.importer import InvalidExport, parse_export

    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise _error(f"cannot read {file}: {reason}") from exc
    try:
        conversations = parse_export(text)
    except InvalidExport as exc:
        raise _error(f"{file}: {exc}; nothing was imported") from exc
    ids = store.import_conversations(conversations)
    noun = "conversation" if len(ids) == 1 else "conversations"
    print(f"Imported {len(ids)} {noun}: {' '.join(map(str, ids))}")
    return EXIT_OK
