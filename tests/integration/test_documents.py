"""Documents end to end with real llama.cpp: the tiny embedder, hybrid search, attachments
with sources, ``hearth docs`` / ``hearth chat --attach --docs``, and ``/v1/embeddings``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import openai
import pytest

from desktop_app.core.chats.export import export_text
from desktop_app.core.chats.importer import parse_export
from desktop_app.core.chats.store import Store
from desktop_app.core.documents.attachments import (
    Source,
    SourcesFound,
    answer_sources,
    attach,
    conversation_attachments,
    run_turn_with_documents,
)
from desktop_app.core.documents.embedder import EmbeddingEngine
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.indexer import Indexer
from desktop_app.core.documents.retrieval import Retriever
from desktop_app.core.engine.base import Finished, GenerationParams, TextDelta
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from tests.integration.test_cli import hearth
from tests.serve_helpers import api_server

pytestmark = pytest.mark.integration

WALL = "长城是中国古代的军事防御工程，东起山海关，西至嘉峪关。"


@pytest.fixture(scope="module")
def embedder(tiny_embedder: Path) -> Iterator[EmbeddingEngine]:
    with EmbeddingEngine(tiny_embedder, n_ctx=512, n_threads=1) as engine:
        yield engine


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "wall.txt").write_text(WALL, encoding="utf-8")
    (root / "fruit.md").write_text(
        "# Apples\n\nApples grow on trees in orchards.\n\n# Bananas\n\nBananas are yellow.\n",
        encoding="utf-8",
    )
    return root


def test_embedder_vectors_are_normalised_and_deterministic(embedder: EmbeddingEngine) -> None:
    import threading

    assert embedder.info.dimensions == 32 and embedder.info.architecture == "bert"
    vectors = embedder.embed(["hello world", "长城", "hello world"])
    assert vectors.shape == (3, 32)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2]) and not np.allclose(vectors[0], vectors[1])
    # callers on other threads are served one at a time by the model's own thread
    results: list[np.ndarray] = []
    workers = [
        threading.Thread(target=lambda: results.append(embedder.embed(["hello world"])[0]))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(results) == 3 and all(np.allclose(r, vectors[0]) for r in results)


def test_hybrid_search_with_vectors(
    tmp_path: Path, folder: Path, embedder: EmbeddingEngine
) -> None:
    index = DocumentIndex.open(tmp_path / "documents.sqlite3")
    collection = index.add_collection("Notes", folder)
    report = Indexer(index, embedder).run(collection)
    assert report.embedded >= 3
    status = index.status(index.collection("Notes"), embedder.info.name)
    assert status.vectors == status.chunks
    found = Retriever(index, embedder).search("Where do apples grow?", [collection], k=3)
    assert found.mode == "hybrid" and found.note == ""
    top = found.passages[0]
    assert top.chunk.heading == "Apples" and top.bm25_rank == 1 and top.dense_rank is not None
    # chunks indexed before the embedder was there get vectors on the next pass
    plain = index.add_collection("Plain", folder)
    Indexer(index).run(plain)
    assert index.status(index.collection("Plain"), embedder.info.name).vectors == 0
    Indexer(index, embedder).run(index.collection("Plain"))
    assert index.status(index.collection("Plain"), embedder.info.name).vectors == status.chunks
    index.close()


def _answer(events: Iterator[object]) -> tuple[tuple[Source, ...], str]:
    sources: tuple[Source, ...] = ()
    text = []
    for event in events:
        if isinstance(event, SourcesFound):
            sources = event.sources
        elif isinstance(event, TextDelta):
            text.append(event.text)
        else:
            assert isinstance(event, Finished)
    return sources, "".join(text)


def test_attached_file_and_collection_become_numbered_sources(
    tmp_path: Path, folder: Path, tiny_model: Path
) -> None:
    store = Store.open(tmp_path / "hearth.sqlite3")
    index = DocumentIndex.open(tmp_path / "documents.sqlite3")
    collection = index.add_collection("Notes", folder)
    Indexer(index).run(collection)
    note = tmp_path / "note.md"
    note.write_text("# Plan\n\nThe meeting is on Tuesday.\n", encoding="utf-8")
    engine = LlamaEngine(tiny_model, LoadParams(n_ctx=4096, n_threads=1))
    seen_prompts: list[str] = []
    original = engine.stream_chat

    def spy(turns, params, cancel=None):  # type: ignore[no-untyped-def]
        seen_prompts.append(turns[-1].content)
        return original(turns, params, cancel)

    engine.stream_chat = spy  # type: ignore[method-assign]
    try:
        conversation = store.create_conversation()
        params = GenerationParams(max_tokens=5, seed=1)
        sources, _ = _answer(
            run_turn_with_documents(
                engine, store, conversation.id, "When is the meeting? And apples?", params,
                attachments=[attach(note)], retriever=Retriever(index),
                collections=[collection],
            )
        )  # fmt: skip
        assert [s.name for s in sources][:2] == ["note.md", "fruit.md"]
        assert (
            "[1] note.md" in seen_prompts[-1] and "The meeting is on Tuesday." in seen_prompts[-1]
        )
        assert "[2] fruit.md, Apples" in seen_prompts[-1]
        answer = store.messages(conversation.id)[-1]
        assert [s.label for s in answer_sources(store, answer.id)][:1] == ["[1] note.md"]
        # a follow-up question still has the attached file
        _answer(run_turn_with_documents(engine, store, conversation.id, "Which day?", params))
        assert "The meeting is on Tuesday." in seen_prompts[-1]
    finally:
        engine.close()
    # attachments and sources survive export and import
    exported = export_text(store, store.conversation(conversation.id), as_json=True)
    [imported_id] = store.import_conversations(parse_export(exported))
    assert [a.name for a in conversation_attachments(store, imported_id)] == ["note.md"]
    last = store.messages(imported_id)[-1]
    assert answer_sources(store, last.id) == answer_sources(
        store, store.messages(conversation.id)[-1].id
    )
    store.close()
    index.close()


def test_long_attachment_is_chunked_and_the_relevant_part_retrieved(
    tmp_path: Path, tiny_model: Path
) -> None:
    from desktop_app.core.documents.attachments import gather_sources

    long_file = tmp_path / "long.md"
    filler = "\n\n".join(
        f"# Part {i}\n\n" + "Nothing to see in this part. " * 40 for i in range(60)
    )
    long_file.write_text(filler + "\n\n# Answer\n\nThe secret password is swordfish.\n", "utf-8")
    sources, note = gather_sources("What is the secret password?", [attach(long_file)], 2000)
    assert "relevant passages retrieved" in note
    assert sources[0].heading == "Answer" and "swordfish" in sources[0].passage


def test_cli_docs_commands(tmp_path: Path, folder: Path, tiny_embedder: Path) -> None:
    home = tmp_path / "home"
    added = hearth(home, "docs", "add", str(folder), "--name", "Notes")
    assert added.returncode == 0, added.stderr
    assert "no embedding model: keyword search (BM25) only" in added.stderr
    assert "Notes: 2 files, 2 indexed" in added.stdout
    listed = hearth(home, "docs", "list")
    assert listed.stdout.startswith("Notes\t") and "ready" in listed.stdout
    found = hearth(home, "docs", "search", "长城", "-k", "1")
    assert found.returncode == 0 and "[1] Notes/wall.txt" in found.stdout
    assert "嘉峪关" in found.stdout
    (folder / "wall.txt").unlink()
    (folder / "bad.txt").write_bytes(bytes(range(256)) * 4)
    again = hearth(home, "docs", "index", "Notes")
    assert "1 removed, 1 failed" in again.stdout and "bad.txt: binary data" in again.stdout
    status = hearth(home, "docs", "status", "Notes")
    assert "keyword search (BM25) only" in status.stdout
    assert "bad.txt: binary data, not text" in status.stdout
    hybrid = hearth(home, "docs", "search", "apples", "--embedding-model", str(tiny_embedder))
    assert hybrid.returncode == 0 and "fruit.md, Apples" in hybrid.stdout
    missing = hearth(home, "docs", "search", "x", "--collection", "Nope")
    assert missing.returncode == 1 and "no collection named 'Nope'" in missing.stderr
    removed = hearth(home, "docs", "rm", "Notes")
    assert removed.returncode == 0 and hearth(home, "docs", "list").stdout == ""
    assert (folder / "fruit.md").exists()


def test_cli_chat_with_attachment_and_docs_prints_sources(
    tmp_path: Path, folder: Path, tiny_model: Path
) -> None:
    home = tmp_path / "home"
    assert hearth(home, "docs", "add", str(folder), "--name", "Notes").returncode == 0
    note = tmp_path / "note.txt"
    note.write_text("The meeting is on Tuesday.", encoding="utf-8")
    result = hearth(
        home, "chat", "--model", str(tiny_model), "--max-tokens", "5", "--seed", "1",
        "--attach", str(note), "--docs", "Notes", "--", "When do apples grow?",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Sources:\n  [1] note.txt" in result.stdout
    assert "no embedding model: keyword search (BM25) only" in result.stderr
    assert "[2] fruit.md, Apples" in result.stdout
    bad = hearth(
        home, "chat", "--model", str(tiny_model), "--attach", str(tmp_path / "none.txt"), "--",
        "hi",
    )  # fmt: skip
    assert bad.returncode == 1 and "cannot attach" in bad.stderr


def test_cli_chat_continued_without_attach_still_uses_the_chats_files(
    tmp_path: Path, tiny_model: Path
) -> None:
    home = tmp_path / "home"
    note = tmp_path / "note.txt"
    note.write_text("The courier is called Quillfeather.", encoding="utf-8")
    first = hearth(
        home, "chat", "--model", str(tiny_model), "--max-tokens", "3", "--seed", "1",
        "--attach", str(note), "--", "Who is the courier?",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    store = Store.open(home / "data" / "hearth.sqlite3")
    [conversation] = store.conversations()
    store.close()
    note.unlink()  # the file's text was stored with the chat
    again = hearth(
        home, "chat", "--model", str(tiny_model), "--max-tokens", "3", "--seed", "1",
        "--conversation", str(conversation.id), "--", "What is his name?",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "Sources:\n  [1] note.txt" in again.stdout


def test_v1_embeddings_with_the_openai_client(tiny_model: Path, embedder: EmbeddingEngine) -> None:
    with (
        api_server(tiny_model, embedder=embedder) as running,
        openai.OpenAI(base_url=running.base_url, api_key="unused", max_retries=0) as client,
    ):
        result = client.embeddings.create(model="tiny-embed", input=["hello world", "长城"])
        assert [item.index for item in result.data] == [0, 1]
        assert len(result.data[0].embedding) == 32
        expected = embedder.embed(["hello world", "长城"])
        assert np.allclose(result.data[0].embedding, expected[0], atol=1e-6)
        assert result.usage.prompt_tokens > 0
        plain = client.embeddings.create(
            model="tiny-embed", input="hello world", encoding_format="float"
        )
        assert np.allclose(plain.data[0].embedding, expected[0], atol=1e-6)
        with pytest.raises(openai.BadRequestError, match="Token arrays are not supported"):
            client.embeddings.create(model="tiny-embed", input=[[1, 2, 3]])
        with pytest.raises(openai.BadRequestError, match="'input' must be"):
            client.embeddings.create(model="tiny-embed", input=[])
    with (
        api_server(tiny_model) as running,
        openai.OpenAI(base_url=running.base_url, api_key="unused", max_retries=0) as client,
        pytest.raises(openai.InternalServerError, match="No embedding model is loaded"),
    ):
        client.embeddings.create(model="x", input="hello")


def test_documents_job_ranks_a_long_stored_file_again_for_each_question(
    tmp_path: Path, tiny_model: Path, tiny_embedder: Path
) -> None:
    from desktop_app.core.documents.turns import DocumentSearch, DocumentsTurnJob, EmbedderSlot
    from desktop_app.core.engine.base import CancelToken

    long_file = tmp_path / "long.md"
    parts = [f"# Part {i}\n\n" + "Nothing to see in this part. " * 40 for i in range(60)]
    parts.insert(10, "# Password\n\nThe secret password is swordfish.")
    parts.insert(50, "# Door\n\nThe front door is painted teal.")
    long_file.write_text("\n\n".join(parts), "utf-8")
    store = Store.open(tmp_path / "hearth.sqlite3")
    conversation = store.create_conversation()
    search = DocumentSearch(tmp_path / "documents.sqlite3", EmbedderSlot(lambda: tiny_embedder))
    engine = LlamaEngine(tiny_model, LoadParams(n_ctx=4096, n_threads=1))
    found: list[SourcesFound] = []
    params = GenerationParams(max_tokens=4, seed=1)
    try:
        for question, files in (
            ("What is the secret password?", (attach(long_file),)),
            ("What colour is the front door?", ()),  # the file was stored with the chat
        ):
            job = DocumentsTurnJob(question, files, search, lambda _id, f: found.append(f))
            list(job(engine, store, conversation.id, params, CancelToken()))
    finally:
        engine.close()
        search.close()
    first, second = found
    assert any("swordfish" in s.passage for s in first.sources)
    assert any("teal" in s.passage for s in second.sources)
    assert not any("teal" in s.passage for s in first.sources)
    assert "relevant passages retrieved" in second.note and "BM25" not in second.note
    assert [m.content for m in store.messages(conversation.id)][::2] == [
        "What is the secret password?",
        "What colour is the front door?",
    ]
    store.close()
