"""``hearth docs``: document collections (add, list, status, search, rm, index), and
``hearth chat --attach FILE… --docs NAME…``.

Imports no Qt. Indexing runs in the foreground with a progress line; Ctrl+C pauses it
(``hearth docs index NAME`` carries on). Search is hybrid when an embedding model is
installed (or named with ``--embedding-model``), keyword-only (BM25) otherwise, and says
which.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import EXIT_ERROR, EXIT_OK, CliError

if TYPE_CHECKING:
    from desktop_app.core.chats.store import Store
    from desktop_app.core.documents.attachments import Source
    from desktop_app.core.documents.embedder import EmbeddingEngine
    from desktop_app.core.documents.index import Collection, DocumentIndex
    from desktop_app.core.engine.base import GenerationParams

SNIPPET_CHARS = 160


def _error(message: str) -> Exception:
    return CliError(message)


def _embedding_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--embedding-model",
        metavar="ID|PATH",
        help="embedding model for vectors (default: the first one installed)",
    )
    parser.add_argument("--no-embeddings", action="store_true", help="keyword search (BM25) only")


def add_commands(commands: Any) -> None:
    docs = commands.add_parser(
        "docs",
        help="document collections: add folders, index them, search them",
        description="Keep folders of documents indexed for chats (hearth chat --docs NAME). "
        "Text, Markdown, code, HTML, CSV/JSON, PDF and DOCX are indexed.",
    )
    actions = docs.add_subparsers(dest="docs_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a folder as a collection and index it")
    add.add_argument("folder", type=Path, metavar="FOLDER")
    add.add_argument("--name", metavar="N", help="collection name (default: the folder's)")
    _embedding_options(add)
    actions.add_parser("list", help="one collection per line")
    status = actions.add_parser("status", help="indexing state, counts and per-file errors")
    status.add_argument("name", nargs="?", metavar="N")
    _embedding_options(status)
    search = actions.add_parser("search", help="the passages that best match QUERY")
    search.add_argument("query", metavar="QUERY")
    search.add_argument(
        "--collection", action="append", metavar="N", help="search only N (repeatable)"
    )
    search.add_argument("-k", type=int, default=5, metavar="K", help="passages (default 5)")
    _embedding_options(search)
    remove = actions.add_parser("rm", help="remove a collection from the index (files stay)")
    remove.add_argument("name", metavar="N")
    index = actions.add_parser(
        "index", help="bring collections up to date (changed, new, deleted files); resume"
    )
    index.add_argument("name", nargs="?", metavar="N", help="default: every collection")
    _embedding_options(index)


def add_chat_options(chat: argparse.ArgumentParser) -> None:
    chat.add_argument(
        "--attach",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="attach files to the question (the file tool may read them too)",
    )
    chat.add_argument(
        "--docs", nargs="+", metavar="N", help="answer from these document collections"
    )
    chat.add_argument("--embedding-model", metavar="ID|PATH", help=argparse.SUPPRESS)


def wants_documents(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "attach", None) or getattr(args, "docs", None))


def has_stored_files(store: Store, conversation_id: int) -> bool:
    """Whether files were attached to the conversation's questions: a continued chat
    answers with them even without ``--attach``."""
    from desktop_app.core.documents.attachments import conversation_attachments

    return bool(conversation_attachments(store, conversation_id))


def open_index() -> DocumentIndex:
    from desktop_app.core.documents.index import DATABASE_NAME, DocumentIndex, DocumentIndexError
    from desktop_app.core.paths import app_paths

    try:
        return DocumentIndex.open(app_paths().ensure().data_dir / DATABASE_NAME)
    except (DocumentIndexError, OSError) as exc:
        raise _error(str(exc)) from exc


def embedding_model_path(args: argparse.Namespace) -> Path | None:
    """The embedding model file to use, or None (BM25 only)."""
    if getattr(args, "no_embeddings", False):
        return None
    from desktop_app.cli.models import open_library, resolve_model
    from desktop_app.core.documents.models import installed_embedding_model

    named = getattr(args, "embedding_model", None)
    return resolve_model(named) if named else installed_embedding_model(open_library())


def open_embedder(args: argparse.Namespace) -> EmbeddingEngine | None:
    """The embedding model to use, loaded on its own thread, or None (BM25 only)."""
    from desktop_app.core.documents.embedder import EmbeddingEngine
    from desktop_app.core.engine.base import EngineError

    path = embedding_model_path(args)
    if path is None:
        return None
    try:
        return EmbeddingEngine(path)
    except EngineError as exc:
        raise _error(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    index = open_index()
    try:
        command = args.docs_command
        if command == "list":
            return _list(index)
        if command == "rm":
            if not index.remove_collection(args.name):
                raise _error(f"no collection named {args.name!r} (see 'hearth docs list')")
            print(
                f"hearth: removed collection {args.name!r} (its files are untouched)",
                file=sys.stderr,
            )
            return EXIT_OK
        if command == "status":
            path = embedding_model_path(args)
            names = [args.name] if args.name else None
            return _status(index, path.stem if path else None, _chosen(index, names))
        embedder = open_embedder(args)
        try:
            if command == "add":
                return _add(index, embedder, args)
            if command == "index":
                return _index(index, embedder, _chosen(index, [args.name] if args.name else None))
            return _search(index, embedder, args)
        finally:
            if embedder is not None:
                embedder.close()
    finally:
        index.close()


def _chosen(index: DocumentIndex, names: list[str] | None) -> list[Collection]:
    if not names:
        return index.collections()
    chosen = []
    for name in names:
        collection = index.collection(name)
        if collection is None:
            raise _error(f"no collection named {name!r} (see 'hearth docs list')")
        chosen.append(collection)
    return chosen


def _list(index: DocumentIndex) -> int:
    for collection in index.collections():
        status = index.status(collection, None)
        print(
            f"{collection.name}\t{collection.folder}\t{collection.state}\t"
            f"{status.indexed} files\t{status.chunks} passages"
            + (f"\t{len(status.failed)} failed" if status.failed else "")
        )
    return EXIT_OK


def _add(index: DocumentIndex, embedder: EmbeddingEngine | None, args: argparse.Namespace) -> int:
    from desktop_app.core.documents.index import DocumentIndexError

    folder: Path = args.folder
    name = args.name or folder.expanduser().resolve().name
    try:
        collection = index.add_collection(name, folder)
    except DocumentIndexError as exc:
        raise _error(str(exc)) from exc
    print(f"hearth: added collection {collection.name!r} ({collection.folder})", file=sys.stderr)
    return _index(index, embedder, [collection])


def _index(
    index: DocumentIndex, embedder: EmbeddingEngine | None, collections: list[Collection]
) -> int:
    from desktop_app.core.documents.indexer import Indexer, Progress

    indexer = Indexer(index, embedder)
    tty = sys.stderr.isatty()
    failed = False
    if embedder is None:
        print("hearth: no embedding model: keyword search (BM25) only", file=sys.stderr)
    for collection in collections:

        def show(progress: Progress, name: str = collection.name) -> None:
            if tty:
                what = "embedding" if progress.phase == "vectors" else progress.path
                print(
                    f"\r\033[K{name}: {progress.done}/{progress.total} {what}"[:200],
                    end="",
                    file=sys.stderr,
                    flush=True,
                )

        try:
            report = indexer.run(collection, progress=show)
        except KeyboardInterrupt:
            index.set_state(collection.id, "paused")
            print(
                f"\nhearth: paused {collection.name!r}; 'hearth docs index {collection.name}' "
                "carries on",
                file=sys.stderr,
            )
            raise
        if tty:
            print("\r\033[K", end="", file=sys.stderr)
        if report.folder_error:
            print(f"hearth: {collection.name}: {report.folder_error}", file=sys.stderr)
            failed = True
            continue
        print(
            f"{collection.name}: {report.scanned} files, {report.indexed} indexed, "
            f"{report.unchanged} unchanged, {report.dropped} removed, "
            f"{len(report.errors)} failed"
            + (f", {report.embedded} passages embedded" if report.embedded else "")
        )
        for path, message in sorted(report.errors.items()):
            print(f"  {path}: {message}")
    return EXIT_ERROR if failed else EXIT_OK


def _status(index: DocumentIndex, model: str | None, collections: list[Collection]) -> int:
    search = (
        f"hybrid (BM25 + {model})" if model else "keyword search (BM25) only: no embedding model"
    )
    print(f"search: {search}")
    for collection in collections:
        status = index.status(collection, model)
        print(f"{collection.name}\t{collection.folder}")
        print(
            f"  state: {collection.state}" + (f" ({collection.error})" if collection.error else "")
        )
        print(
            f"  files: {status.indexed} indexed, {len(status.failed)} failed; "
            f"{status.chunks} passages" + (f", {status.vectors} with vectors" if model else "")
        )
        for record in status.failed:
            print(f"  {record.path}: {record.error}")
    return EXIT_OK


def _search(
    index: DocumentIndex, embedder: EmbeddingEngine | None, args: argparse.Namespace
) -> int:
    from desktop_app.core.documents.retrieval import Retriever

    collections = _chosen(index, args.collection)
    if not collections:
        raise _error("there are no collections yet (hearth docs add FOLDER)")
    found = Retriever(index, embedder).search(args.query, collections, k=max(1, args.k))
    if found.note:
        print(f"hearth: {found.note}", file=sys.stderr)
    for number, passage in enumerate(found.passages, start=1):
        chunk = passage.chunk
        where = f", {chunk.locator}" if chunk.locator else ""
        print(f"[{number}] {chunk.collection}/{chunk.path}{where}\t{passage.score:.4f}")
        print(f"    {_snippet(chunk.text)}")
    if not found.passages:
        print(f"hearth: nothing matches {args.query!r}", file=sys.stderr)
    return EXIT_OK


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


def print_sources(sources: Sequence[Source]) -> None:
    if not sources:
        return
    print("\nSources:")
    for source in sources:
        print(f"  {source.label} ({source.path})")
        print(f"      {_snippet(source.passage)}")


def chat(
    engine: Any,
    store: Store,
    conversation_id: int,
    prompt: str | None,
    params: GenerationParams,
    args: argparse.Namespace,
) -> int:
    """``hearth chat`` with attachments and/or collections (one prompt, or interactive)."""
    from desktop_app.core.documents.attachments import attach
    from desktop_app.core.documents.extract import ExtractionError
    from desktop_app.core.documents.retrieval import Retriever

    attachments = []
    for path in args.attach or []:
        try:
            attachments.append(attach(path))
        except (ExtractionError, OSError) as exc:
            raise _error(f"cannot attach {path}: {exc}") from exc
    index = open_index() if args.docs else None
    embedder = open_embedder(args) if args.docs else None
    try:
        collections = _chosen(index, args.docs) if index is not None else []
        retriever = Retriever(index, embedder) if index is not None else None
        if prompt is not None:
            _turn(
                engine, store, conversation_id, prompt, params, attachments, retriever, collections
            )
            return EXIT_OK
        print("Ctrl+D or /exit quits.", file=sys.stderr)
        while True:
            try:
                line = input("> ")
            except (EOFError, KeyboardInterrupt):
                print(file=sys.stderr)
                return EXIT_OK
            if line.strip() in ("/exit", "/quit"):
                return EXIT_OK
            if line.strip():
                _turn(
                    engine,
                    store,
                    conversation_id,
                    line,
                    params,
                    attachments,
                    retriever,
                    collections,
                )
                attachments = []  # attached once; later questions still use them
    finally:
        if embedder is not None:
            embedder.close()
        if index is not None:
            index.close()


def _turn(
    engine: Any,
    store: Store,
    conversation_id: int,
    prompt: str,
    params: GenerationParams,
    attachments: list[Any],
    retriever: Any,
    collections: list[Collection],
) -> None:
    from desktop_app.core.chats.model import FinishReason
    from desktop_app.core.documents.attachments import SourcesFound, run_turn_with_documents
    from desktop_app.core.engine.base import CancelToken, Finished, TextDelta

    cancel = CancelToken()
    events: Generator[Any, None, None] = run_turn_with_documents(
        engine,
        store,
        conversation_id,
        prompt,
        params,
        cancel,
        attachments=attachments,
        retriever=retriever,
        collections=collections,
    )
    sources: tuple[Source, ...] = ()
    finished: Finished | None = None
    try:
        for event in events:
            if isinstance(event, TextDelta):
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, Finished):
                finished = event
            elif isinstance(event, SourcesFound):
                sources = event.sources
                if event.note:
                    print(f"hearth: {event.note}", file=sys.stderr)
    except KeyboardInterrupt:
        cancel.cancel()
        events.close()
        print()
        raise
    print()
    print_sources(sources)
    if finished is not None and finished.reason is FinishReason.ERROR:
        raise _error(finished.error or "generation failed")
