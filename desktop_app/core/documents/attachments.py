"""Files attached to a question, collections a chat uses, and the sources of an answer.

An attached file is extracted once, when it is attached, and its text is stored with
the question (``Store.set_message_documents``), so the conversation keeps it across a
restart, an export and an import even if the file moves. Every later question of the
conversation can use it: when all attached text fits the document budget it goes into
the prompt whole; otherwise it is cut into chunks and the chunks most relevant to the
question are retrieved (BM25 over an in-memory FTS5 index, fused with vectors when an
embedder is at hand). Passages from the chat's collections are added the same way.

Each passage goes into the prompt with a number; the answer records the numbered
sources (file, page or heading, passage) so that they can be shown under it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Generator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.chats.model import Message, Role
from desktop_app.core.chats.search import index_text

# The session's answer streaming (flushes as it grows, finishes even when stopped) is
# reused as it is; only the prompt of the last question differs.
from desktop_app.core.chats.session import (
    FLUSH_INTERVAL_S,
    _stream_answer,
    continue_answer,
    conversation_turns,
    regenerate,
)
from desktop_app.core.chats.store import CURRENT_LEAF, ParentRef, Store
from desktop_app.core.documents.chunking import (
    Chunk,
    chunk_sections,
    describe_location,
    estimate_tokens,
)
from desktop_app.core.documents.extract import Section, extract
from desktop_app.core.documents.index import Collection, retrieval_expression
from desktop_app.core.documents.retrieval import NO_EMBEDDER_NOTE, Retriever, fuse
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    Engine,
    EngineEvent,
    GenerationParams,
)

if TYPE_CHECKING:
    from desktop_app.core.documents.embedder import EmbeddingEngine

DOCUMENT_SHARE = 0.5
"""The part of the context window that documents may fill; the rest is the chat."""
PASSAGES = 6
PASSAGE_TOKENS = 200

INSTRUCTIONS = (
    "Answer the question using the numbered documents below. Cite the ones you use "
    "like [1]. If they do not contain the answer, say so."
)


@dataclass(frozen=True)
class Attachment:
    name: str
    path: str
    size: int
    tokens: int
    sections: tuple[Section, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(section.text for section in self.sections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "size": self.size,
            "tokens": self.tokens,
            "sections": [asdict(section) for section in self.sections],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attachment:
        sections = tuple(
            Section(str(item.get("text", "")), item.get("page"), item.get("heading"))
            for item in data.get("sections", [])
            if isinstance(item, dict)
        )
        return cls(
            str(data.get("name", "")),
            str(data.get("path", "")),
            int(data.get("size", 0)),
            int(data.get("tokens", 0)),
            sections,
        )


@dataclass(frozen=True)
class Source:
    """A numbered passage that an answer was given."""

    number: int
    name: str
    path: str
    page: int | None
    heading: str | None
    passage: str

    @property
    def locator(self) -> str:
        return describe_location(self.page, self.heading)

    @property
    def label(self) -> str:
        return f"[{self.number}] {self.name}" + (f", {self.locator}" if self.locator else "")

    def open_url(self) -> str:
        """A file URL for the system viewer; PDFs open at the page where viewers allow."""
        url = Path(self.path).resolve().as_uri() if self.path else ""
        if url and self.page is not None and self.path.lower().endswith(".pdf"):
            url += f"#page={self.page}"
        return url

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(
            int(data.get("number", 0)),
            str(data.get("name", "")),
            str(data.get("path", "")),
            data.get("page"),
            data.get("heading"),
            str(data.get("passage", "")),
        )


@dataclass(frozen=True)
class SourcesFound:
    """What ``run_turn_with_documents`` yields before the answer: the numbered sources
    given to the model, and how they were found (e.g. keyword search only)."""

    sources: tuple[Source, ...]
    note: str
    question_id: int = 0
    """The stored question (which carries the attached files)."""
    answer_id: int = 0
    """The stored answer (which carries the sources)."""
    attached: tuple[str, ...] = ()
    """The names of the files stored with the question by this turn."""


def attach(path: Path) -> Attachment:
    """Extract ``path`` for attaching (``ExtractionError`` with a one-line reason)."""
    document = extract(path)
    tokens = sum(estimate_tokens(section.text) for section in document.sections)
    return Attachment(
        path.name, str(path.resolve()), path.stat().st_size, tokens, document.sections
    )


def _rank_chunks(
    question: str,
    chunks: Sequence[tuple[Attachment, Chunk]],
    embedder: EmbeddingEngine | None,
    limit: int,
) -> list[int]:
    """Indexes into ``chunks`` of the most relevant, best first (in-memory BM25 + vectors)."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE passages USING fts5(body,"
            " tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        db.executemany(
            "INSERT INTO passages (rowid, body) VALUES (?, ?)",
            ((i, index_text(chunk.text)) for i, (_, chunk) in enumerate(chunks)),
        )
        expression = retrieval_expression(question)
        lexical = (
            [
                row[0]
                for row in db.execute(
                    "SELECT rowid FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?",
                    (expression, limit * 4),
                )
            ]
            if expression
            else []
        )
    finally:
        db.close()
    rankings = [lexical]
    if embedder is not None:
        import numpy as np

        matrix = embedder.embed_documents([chunk.text for _, chunk in chunks], remember=True)
        scores = matrix @ embedder.embed_query(question)
        rankings.append([int(i) for i in np.argsort(-scores)[: limit * 4]])
    ranked = [item for item, _ in fuse(rankings)]
    if len(ranked) < limit:  # nothing matched: the beginning of each document
        ranked += [i for i in range(len(chunks)) if i not in ranked]
    return ranked[:limit]


def gather_sources(
    question: str,
    attachments: Sequence[Attachment],
    budget_tokens: int,
    *,
    retriever: Retriever | None = None,
    collections: Sequence[Collection] = (),
    embedder: EmbeddingEngine | None = None,
) -> tuple[list[Source], str]:
    """The numbered sources for ``question``, and a note on how they were found."""
    sources: list[Source] = []
    notes: list[str] = []
    whole = sum(attachment.tokens for attachment in attachments)
    if attachments and whole <= budget_tokens:
        for attachment in attachments:
            sources.append(
                Source(
                    len(sources) + 1, attachment.name, attachment.path, None, None, attachment.text
                )
            )
        budget_tokens -= whole
    elif attachments:
        chunks = [
            (attachment, chunk)
            for attachment in attachments
            for chunk in chunk_sections(attachment.sections, PASSAGE_TOKENS)
        ]
        share = max(1, min(len(chunks), (budget_tokens // 2) // PASSAGE_TOKENS or 1))
        for i in _rank_chunks(question, chunks, embedder, share):
            attachment, chunk = chunks[i]
            sources.append(
                Source(
                    len(sources) + 1,
                    attachment.name,
                    attachment.path,
                    chunk.page,
                    chunk.heading,
                    chunk.text,
                )
            )
            budget_tokens -= chunk.tokens
        notes.append(f"attached files are long: {len(sources)} relevant passages retrieved")
        if embedder is None:
            notes.append(NO_EMBEDDER_NOTE)
    if retriever is not None and collections:
        found = retriever.search(question, collections, k=PASSAGES)
        if found.note:
            notes.append(found.note)
        for passage in found.passages:
            tokens = estimate_tokens(passage.chunk.text)
            if tokens > budget_tokens:
                break
            budget_tokens -= tokens
            sources.append(
                Source(
                    len(sources) + 1,
                    passage.chunk.path.rsplit("/", 1)[-1],
                    str(passage.chunk.file),
                    passage.chunk.page,
                    passage.chunk.heading,
                    passage.chunk.text,
                )
            )
    return sources, "; ".join(dict.fromkeys(notes))


def prompt_with_sources(question: str, sources: Sequence[Source]) -> str:
    """The question as the model sees it: instructions, numbered documents, question."""
    if not sources:
        return question
    blocks = [INSTRUCTIONS, ""]
    for source in sources:
        blocks += [source.label, source.passage.strip(), ""]
    blocks.append(f"Question: {question}")
    return "\n".join(blocks)


def conversation_attachments(
    store: Store, conversation_id: int, up_to: int | None = None
) -> list[Attachment]:
    """Every file attached to a question on the conversation's current branch (up to
    and including message ``up_to`` when given)."""
    messages = store.messages(conversation_id)
    if up_to is not None:
        ids = [message.id for message in messages]
        if up_to in ids:
            messages = messages[: ids.index(up_to) + 1]
    documents = store.message_documents([message.id for message in messages])
    return [
        Attachment.from_dict(item)
        for message in messages
        for item in documents.get(message.id, {}).get("attachments", [])
        if isinstance(item, dict)
    ]


def question_attachments(store: Store, question_id: int) -> list[Attachment]:
    """The files attached to one question (carried over when it is edited and resent)."""
    documents = store.message_documents([question_id]).get(question_id, {})
    return [
        Attachment.from_dict(item)
        for item in documents.get("attachments", [])
        if isinstance(item, dict)
    ]


def answer_sources(store: Store, answer_id: int) -> list[Source]:
    documents = store.message_documents([answer_id]).get(answer_id, {})
    return [
        Source.from_dict(item) for item in documents.get("sources", []) if isinstance(item, dict)
    ]


def run_turn_with_documents(
    engine: Engine,
    store: Store,
    conversation_id: int,
    question: str,
    params: GenerationParams,
    cancel: CancelToken | None = None,
    *,
    attachments: Sequence[Attachment] = (),
    retriever: Retriever | None = None,
    collections: Sequence[Collection] = (),
    parent_id: ParentRef = CURRENT_LEAF,
) -> Generator[EngineEvent | SourcesFound, None, None]:
    """Like ``session.run_turn``, with attached files and collections.

    Saves the question with its attachments (after ``parent_id``: the parent of an
    earlier question to edit it and resend), finds the sources, records them on the
    answer, yields them (``SourcesFound``, before the answer's events), then streams
    the answer.
    """
    message = store.add_user_message(conversation_id, question, parent_id=parent_id)
    if attachments:
        store.set_message_documents(
            message.id, {"attachments": [attachment.to_dict() for attachment in attachments]}
        )
    yield from _answer_with_documents(
        engine,
        store,
        message,
        params,
        cancel,
        retriever=retriever,
        collections=collections,
        attached=tuple(attachment.name for attachment in attachments),
    )


def regenerate_with_documents(
    engine: Engine,
    store: Store,
    answer_id: int,
    params: GenerationParams,
    cancel: CancelToken | None = None,
    *,
    retriever: Retriever | None = None,
    collections: Sequence[Collection] = (),
) -> Generator[EngineEvent | SourcesFound, None, None]:
    """Like ``session.regenerate``: the question is answered again, as a new sibling
    answer, with the files attached so far and the collections; the new answer gets
    its own sources."""
    question = _question_of(store, answer_id)
    if question is None:  # an answer to nothing: there is no question to find sources for
        yield from regenerate(engine, store, answer_id, params, cancel)
        return
    store.switch_to(question.id)  # the branch up to the question
    yield from _answer_with_documents(
        engine, store, question, params, cancel, retriever=retriever, collections=collections
    )


def continue_with_documents(
    engine: Engine,
    store: Store,
    answer_id: int,
    params: GenerationParams,
    cancel: CancelToken | None = None,
) -> Generator[EngineEvent, None, None]:
    """Like ``session.continue_answer``, with the question shown to the model as it was
    when the answer began: with the answer's stored sources."""
    question = _question_of(store, answer_id)
    sources = answer_sources(store, answer_id)
    if question is None or not sources:
        yield from continue_answer(engine, store, answer_id, params, cancel)
        return
    old = store.message(answer_id)
    assert old is not None
    store.switch_to(answer_id)
    turns = conversation_turns(store, question.conversation_id, up_to=question.id)
    if turns and turns[-1].role == "user":
        turns[-1] = ChatTurn("user", prompt_with_sources(question.content, sources))
    turns.append(ChatTurn("assistant", old.content))
    store.reopen_answer(answer_id)
    yield from _stream_answer(
        engine,
        store,
        answer_id,
        turns,
        params,
        cancel,
        old.content,
        FLUSH_INTERVAL_S,
        time.monotonic,
    )


def _question_of(store: Store, answer_id: int) -> Message | None:
    """The question ``answer_id`` answers (None for an answer to nothing)."""
    answer = store.message(answer_id)
    if answer is None or answer.role is not Role.ASSISTANT:
        raise KeyError(f"No answer with id {answer_id}")
    question = store.message(answer.parent_id) if answer.parent_id is not None else None
    return question if question is not None and question.role is Role.USER else None


def _answer_with_documents(
    engine: Engine,
    store: Store,
    question: Message,
    params: GenerationParams,
    cancel: CancelToken | None,
    *,
    retriever: Retriever | None,
    collections: Sequence[Collection],
    attached: tuple[str, ...] = (),
) -> Generator[EngineEvent | SourcesFound, None, None]:
    """Answer the stored ``question`` (the end of the current branch) with sources."""
    conversation_id = question.conversation_id
    budget = int(engine.info.context_length * DOCUMENT_SHARE)
    sources, note = gather_sources(
        question.content,
        conversation_attachments(store, conversation_id, up_to=question.id),
        budget,
        retriever=retriever,
        collections=collections,
        embedder=retriever.embedder if retriever is not None else None,
    )
    turns = conversation_turns(store, conversation_id, up_to=question.id)
    if sources and turns and turns[-1].role == "user":
        turns[-1] = ChatTurn("user", prompt_with_sources(question.content, sources))
    answer_id = store.begin_answer(conversation_id, engine.info.name, parent_id=question.id)
    if sources:
        store.set_message_documents(
            answer_id, {"sources": [source.to_dict() for source in sources]}
        )
    yield SourcesFound(tuple(sources), note, question.id, answer_id, attached)
    yield from _stream_answer(
        engine, store, answer_id, turns, params, cancel, "", FLUSH_INTERVAL_S, time.monotonic
    )
