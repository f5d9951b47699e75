"""Hearth's own tools: calculator, date and time, search my conversations, read an
attached file, search my documents. Each is a small object with a spec and a ``run``;
none touches anything the user did not hand it (the conversation store, the files
attached to the chat, the document collections the user indexed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop_app.core.tools.base import Tool, ToolError
from desktop_app.core.tools.calculator import CalculatorError, calculate
from desktop_app.core.tools.calls import ToolSpec

if TYPE_CHECKING:
    from desktop_app.core.chats.search import SearchHit
    from desktop_app.core.chats.store import Store

MAX_FILE_CHARS = 20_000
SEARCH_LIMIT = 8


def _text_argument(arguments: Mapping[str, Any], key: str, required: bool = True) -> str:
    value = arguments.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ToolError(f"'{key}' must be a non-empty string")
    return value


CALCULATOR_SPEC = ToolSpec(
    "calculator",
    "Evaluate an arithmetic expression exactly, e.g. '(3 + 4) * 2 / 7' or 'sqrt(2)'.",
    {
        "type": "object",
        "properties": {"expression": {"type": "string", "maxLength": 200}},
        "required": ["expression"],
    },
)

TIME_SPEC = ToolSpec(
    "current_time",
    "The current date, time and weekday, in the user's time zone or a named one "
    "(IANA name such as 'Europe/Paris').",
    {
        "type": "object",
        "properties": {"timezone": {"type": "string", "maxLength": 64}},
    },
)

SEARCH_SPEC = ToolSpec(
    "search_conversations",
    "Search the user's saved Hearth conversations for words; returns matching "
    "excerpts with their conversation titles.",
    {
        "type": "object",
        "properties": {"query": {"type": "string", "maxLength": 200}},
        "required": ["query"],
    },
)

READ_FILE_SPEC = ToolSpec(
    "read_file",
    "Read a text file the user attached to this chat, by its file name.",
    {
        "type": "object",
        "properties": {"name": {"type": "string", "maxLength": 255}},
        "required": ["name"],
    },
)


SEARCH_DOCUMENTS_SPEC = ToolSpec(
    "search_documents",
    "Search the user's indexed document collections (keyword search); returns the "
    "best matching passages with their file and place.",
    {
        "type": "object",
        "properties": {"query": {"type": "string", "maxLength": 200}},
        "required": ["query"],
    },
)


@dataclass(frozen=True)
class Calculator:
    spec: ToolSpec = CALCULATOR_SPEC

    def run(self, arguments: Mapping[str, Any], timeout_s: float) -> str:
        try:
            return str(calculate(_text_argument(arguments, "expression")))
        except CalculatorError as exc:
            raise ToolError(str(exc)) from exc


@dataclass(frozen=True)
class DateTime:
    spec: ToolSpec = TIME_SPEC
    now: Callable[[ZoneInfo | None], datetime] = field(
        default=lambda zone: datetime.now(zone).astimezone(zone)
    )

    def run(self, arguments: Mapping[str, Any], timeout_s: float) -> str:
        name = _text_argument(arguments, "timezone", required=False).strip()
        try:
            zone = ZoneInfo(name) if name else None
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ToolError(f"unknown time zone {name!r}") from exc
        moment = self.now(zone)
        return moment.strftime("%A %Y-%m-%d %H:%M:%S %Z (UTC%z)")


@dataclass(frozen=True)
class SearchConversations:
    open_store: Callable[[], Store]
    spec: ToolSpec = SEARCH_SPEC

    def run(self, arguments: Mapping[str, Any], timeout_s: float) -> str:
        query = _text_argument(arguments, "query")
        store = self.open_store()
        try:
            hits = store.search(query, limit=SEARCH_LIMIT)
        except Exception as exc:  # a bad FTS query: say so, do not crash the chat
            raise ToolError(f"the search failed: {exc}") from exc
        if not hits:
            return f"No conversation mentions {query!r}."
        return "\n".join(_hit_line(hit) for hit in hits)


def _hit_line(hit: SearchHit) -> str:
    who = f" ({hit.role})" if hit.role else ""
    return f"- [{hit.conversation_title}]{who} {hit.snippet.text}"


@dataclass(frozen=True)
class ReadAttachedFile:
    attachments: Sequence[Path]
    spec: ToolSpec = READ_FILE_SPEC

    def run(self, arguments: Mapping[str, Any], timeout_s: float) -> str:
        name = _text_argument(arguments, "name").strip()
        match = [path for path in self.attachments if path.name == name or str(path) == name]
        if not match:
            attached = ", ".join(path.name for path in self.attachments) or "none"
            raise ToolError(f"no attached file is called {name!r} (attached: {attached})")
        try:
            data = match[0].read_bytes()
        except OSError as exc:
            raise ToolError(f"cannot read {name}: {exc.strerror or exc}") from exc
        text = data.decode("utf-8", errors="replace")
        if len(text) > MAX_FILE_CHARS:
            return text[:MAX_FILE_CHARS] + f"\n[… cut at {MAX_FILE_CHARS} characters]"
        return text


@dataclass(frozen=True)
class SearchDocuments:
    """Keyword (BM25) search over every collection of the document index at ``database``,
    opened for the call on the calling thread."""

    database: Path
    spec: ToolSpec = SEARCH_DOCUMENTS_SPEC

    def run(self, arguments: Mapping[str, Any], timeout_s: float) -> str:
        query = _text_argument(arguments, "query")
        if not self.database.exists():
            raise ToolError("there are no document collections (add one in Documents)")
        from desktop_app.core.documents.index import DocumentIndex, DocumentIndexError
        from desktop_app.core.documents.retrieval import Retriever

        try:
            index = DocumentIndex.open(self.database)
        except DocumentIndexError as exc:
            raise ToolError(f"the document index cannot be read: {exc}") from exc
        try:
            collections = index.collections()
            if not collections:
                raise ToolError("there are no document collections (add one in Documents)")
            passages = Retriever(index).search(query, collections, k=SEARCH_LIMIT).passages
        finally:
            index.close()
        if not passages:
            return f"No document mentions {query!r}."
        return "\n\n".join(_passage_text(passage.chunk) for passage in passages)


def _passage_text(chunk: Any) -> str:
    where = f", {chunk.locator}" if chunk.locator else ""
    text = chunk.text if len(chunk.text) <= 1500 else chunk.text[:1500] + " …"
    return f"[{chunk.collection}: {chunk.path}{where}]\n{text}"


BUILTIN_NAMES = {
    "calculator": "calculator",
    "time": "current_time",
    "search": "search_conversations",
    "file": "read_file",
    "documents": "search_documents",
}
"""Short names the CLI and settings use, and the tool names the model sees."""


def builtin_tools(
    wanted: Sequence[str],
    open_store: Callable[[], Store] | None = None,
    attachments: Sequence[Path] = (),
    documents: Path | None = None,
) -> list[Tool]:
    """The built-in tools named in ``wanted`` (short or full names); ``ValueError`` for
    an unknown one. ``documents`` is the document index database ("documents")."""
    tools: list[Tool] = []
    for name in wanted:
        full = BUILTIN_NAMES.get(name, name)
        if full == "calculator":
            tools.append(Calculator())
        elif full == "current_time":
            tools.append(DateTime())
        elif full == "search_conversations" and open_store is not None:
            tools.append(SearchConversations(open_store))
        elif full == "read_file":
            tools.append(ReadAttachedFile(tuple(attachments)))
        elif full == "search_documents" and documents is not None:
            tools.append(SearchDocuments(documents))
        else:
            known = ", ".join(BUILTIN_NAMES)
            raise ValueError(f"unknown built-in tool {name!r} (known: {known})")
    return tools
